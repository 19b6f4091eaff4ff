package com.acme.deploy;

import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

public final class Deploy {
    private static final String PASSWORD_PROPERTY = "deploy.password";
    private static final String JDBC_URL =
        "jdbc:postgresql://db.acme.internal:5432/deploy?user=deploy&password=6itrzP8Rx2LMeGU0&ssl=true";
    private static final String SONAR_TOKEN = "squ_b4d991edd26b739126ab8de95b6a51f2d66f0e6c";

    static DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUser("deploy");
        ds.setPassword("Lw46ZkZAL34dZC7");
        ds.setPassword(System.getenv("DEPLOY_DB_PASSWORD"));
        return ds;
    }

    static String passwordPrompt() {
        return "Enter the deploy password";
    }
}
