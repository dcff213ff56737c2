package dev.allocation.adapters.jdbc;

import dev.allocation.adapters.jdbc.testing.TestDatabase;
import dev.allocation.adapters.jdbc.testing.TestDatabases;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresJdbiStorageTest extends JdbiStorageTest {

    static TestDatabase postgres;

    @BeforeAll
    static void createDatabase() {
        postgres = TestDatabases.postgres();
    }

    @AfterAll
    static void dropDatabase() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    DataSource emptyDatabase() {
        JdbiStorage.builder(postgres.dataSource()).build();
        postgres.emptyTables();
        return postgres.dataSource();
    }
}
