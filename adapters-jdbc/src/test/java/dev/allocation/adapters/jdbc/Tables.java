package dev.allocation.adapters.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Direct access to the tables, for tests that set up or inspect rows. */
final class Tables {

    private Tables() {
    }

    /** The one integer {@code sql} selects. */
    static int integer(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             java.sql.ResultSet rs = statement.executeQuery(sql)) {
            if (!rs.next()) {
                throw new IllegalStateException("No row from " + sql);
            }
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not run " + sql, e);
        }
    }
}
