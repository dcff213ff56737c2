package dev.allocation.spring.boot.sample;

import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The shop on a PostgreSQL database of its own, the book's API at the root as the service serves it;
 * skipped without a server (failing instead when {@code CI=true}).
 */
class ShopOnPostgresTest extends ShopContract {

    private static TestDatabase database;

    @BeforeAll
    static void requirePostgres() {
        TestDatabases.requirePostgres();
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry properties) {
        database = TestDatabases.postgres();
        properties.add("spring.datasource.url", database::url);
        properties.add("spring.datasource.username", database::user);
        properties.add("spring.datasource.password", database::password);
    }

    @Override
    String basePath() {
        return "";
    }

    @AfterAll
    static void drop() {
        if (database != null) {
            database.close();
        }
    }
}
