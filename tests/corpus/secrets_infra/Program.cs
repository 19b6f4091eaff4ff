using Microsoft.Data.SqlClient;

namespace Acme.Reports;

public static class Program
{
    private const string ConnectionString =
        "Server=tcp:acme-sql.database.windows.net,1433;Initial Catalog=reports;User ID=reports_app;Password=pyP1VM25QXRpv9O9;Encrypt=True;";
    private const string LocalConnection = "Server=(localdb)\\mssqllocaldb;Database=reports;Trusted_Connection=True;";

    public static void Main(string[] args)
    {
        var apiKey = Environment.GetEnvironmentVariable("REPORTS_API_KEY");
        var cosmos = "AccountEndpoint=https://acme-reports.documents.azure.com:443/;AccountKey=JtgsKJf8Hd9nIky007yH0F4dDEzrbhEoTiWEsGypGsu7z1lnA0VdDx4yyygQyQ1Pd+4EhA7ggZVOqEuEoDObdv==;";
        using var conn = new SqlConnection(ConnectionString);
    }
}
