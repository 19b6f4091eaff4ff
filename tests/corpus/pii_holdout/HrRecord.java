package sg.acme.hr;

class HrRecordTest {
    @Test
    void buildsEmployees() {
        Employee e = new Employee("Tan Wei Ming", /* nric */ "S7428660G", LocalDate.of(1990, 1, 1));
        Employee e = new Employee("Lee Chee Keong", /* nric */ "S9800231F", LocalDate.of(1990, 1, 1));
        Employee e = new Employee("Rajesh Kumar", /* nric */ "T1686185A", LocalDate.of(1990, 1, 1));
        Employee e = new Employee("Lee Chee Keong", /* nric */ "F5535650P", LocalDate.of(1990, 1, 1));
        Employee e = new Employee("Kavitha", /* nric */ "G4573720P", LocalDate.of(1990, 1, 1));
        Employee e = new Employee("Goh Boon Hock", /* nric */ "M0438620L", LocalDate.of(1990, 1, 1));
        Employee e = new Employee("Devi", /* nric */ "G9254501L", LocalDate.of(1990, 1, 1));
        Employee e = new Employee("Wong Kah Seng", /* nric */ "F1438647P", LocalDate.of(1990, 1, 1));
        e.setHandphone("8379 8667");
        e.setHandphone("8966 4839");
        e.setHandphone("8066 2509");
        e.setHandphone("9346 6257");
    }
}
