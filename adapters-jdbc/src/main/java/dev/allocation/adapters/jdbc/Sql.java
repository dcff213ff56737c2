package dev.allocation.adapters.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Prepared statements with positional parameters on the connection of a JDBI {@link Handle}, which still
 * owns the connection and the transaction: plain JDBC costs less client CPU than JDBI's statement API
 * (see the README). A failure is thrown as JDBI's {@link UnableToExecuteStatementException}, naming the SQL.
 */
final class Sql {

    private Sql() {
    }

    /** Reads the current row. */
    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet row) throws SQLException;
    }

    static <T> List<T> list(Handle handle, String sql, Row<T> row, Object... parameters) {
        try (PreparedStatement statement = handle.getConnection().prepareStatement(sql)) {
            set(statement, parameters);
            try (ResultSet rs = statement.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(row.read(rs));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    /** Runs an insert, update or delete; returns the number of rows it changed. */
    static int update(Handle handle, String sql, Object... parameters) {
        try (PreparedStatement statement = handle.getConnection().prepareStatement(sql)) {
            set(statement, parameters);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    /**
     * Runs {@code sql} once per row of parameters, several in one JDBC batch (one round trip). Returns the
     * rows each changed, counting a driver's "success, no count" as one.
     */
    static int[] batch(Handle handle, String sql, List<Object[]> rows) {
        if (rows.size() <= 1) {
            return rows.isEmpty() ? new int[0] : new int[] {update(handle, sql, rows.get(0))};
        }
        try (PreparedStatement statement = handle.getConnection().prepareStatement(sql)) {
            for (Object[] parameters : rows) {
                set(statement, parameters);
                statement.addBatch();
            }
            int[] counts = statement.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                counts[i] = counts[i] == PreparedStatement.SUCCESS_NO_INFO ? 1 : Math.max(counts[i], 0);
            }
            return counts;
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    private static void set(PreparedStatement statement, Object[] parameters) throws SQLException {
        set(statement, 1, parameters);
    }

    /** Sets {@code parameters} from the one numbered {@code first}; returns the number of the next. */
    static int set(PreparedStatement statement, int first, Object[] parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(first + i, parameters[i]);
        }
        return first + parameters.length;
    }

    static UnableToExecuteStatementException failure(String sql, SQLException e) {
        String statement = sql.replaceAll("\\s+", " ");
        return new UnableToExecuteStatementException(e.getMessage() + " [statement: " + statement + "]", e, null);
    }
}
