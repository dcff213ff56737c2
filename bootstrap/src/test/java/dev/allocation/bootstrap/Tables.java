package dev.allocation.bootstrap;

import dev.allocation.adapters.jdbc.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Empties the allocation tables of a test database between tests (cheaper than a new database). */
final class Tables {

    private Tables() {
    }

    static void empty(TestDatabase database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE allocations_view, allocations, batches, products");
        }
    }
}
