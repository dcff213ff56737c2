package dev.allocation.adapters.jdbc;

import dev.allocation.adapters.jdbc.testing.TestDatabase;
import dev.allocation.adapters.jdbc.testing.TestDatabases;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;

class H2JdbiStorageTest extends JdbiStorageTest {

    private TestDatabase h2;

    @Override
    DataSource emptyDatabase() {
        h2 = TestDatabases.h2InMemory();
        return h2.dataSource();
    }

    @AfterEach
    void dropDatabase() {
        h2.close();
    }
}
