package dev.allocation.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import javax.sql.DataSource;

/**
 * A step between the raw reference and the service, for {@link AdapterCostScenario}: the same Allocate
 * (the adapter's statements and its read-model row in one transaction) with plain
 * JDBC, but reached the way the adapter reaches the database: a connection borrowed from the pool for
 * each transaction, each statement prepared when used and closed after. Nothing of JDBI, the bus, the
 * domain or the adapter's own logic runs, so what this costs over the reference is the price of that
 * access path alone. Every sku it is given holds one batch in the warehouse.
 */
final class PooledJdbcSession {

    private final DataSource pool;
    private final SqlDialect dialect;

    PooledJdbcSession(DataSource pool, SqlDialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
    }

    /** Allocates one unit of {@code sku} to a new order; a lost race is retried at once. */
    int allocate(String orderId, String sku) throws SQLException {
        int lost = 0;
        while (!allocateTransaction(orderId, sku)) {
            lost++;
        }
        return lost;
    }

    private boolean allocateTransaction(String orderId, String sku) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                long version = -1;
                String batch = null;
                int purchased = 0;
                int allocated = 0;
                try (PreparedStatement load = connection.prepareStatement(ReferenceSql.PRODUCT_WITH_BATCHES)) {
                    load.setString(1, sku);
                    try (ResultSet rs = load.executeQuery()) {
                        while (rs.next()) {
                            version = rs.getLong(2);
                            batch = rs.getString(3);
                            purchased = rs.getInt(4);
                            allocated = rs.getInt(5);
                            rs.getObject(6, LocalDate.class);
                        }
                    }
                }
                try (PreparedStatement line = connection.prepareStatement(ReferenceSql.LINE_OF_ORDER)) {
                    line.setString(1, orderId);
                    line.setString(2, sku);
                    try (ResultSet rs = line.executeQuery()) {
                        if (rs.next()) {
                            throw new IllegalStateException("Order " + orderId + " is allocated already");
                        }
                    }
                }
                try (PreparedStatement bump = connection.prepareStatement(ReferenceSql.UPDATE_PRODUCT_VERSION)) {
                    bump.setLong(1, version + 1);
                    bump.setString(2, sku);
                    bump.setLong(3, version);
                    if (bump.executeUpdate() != 1) {
                        connection.rollback();
                        return false;
                    }
                }
                try (PreparedStatement insert = connection.prepareStatement(ReferenceSql.INSERT_LINE)) {
                    insert.setString(1, orderId);
                    insert.setString(2, sku);
                    insert.setInt(3, 1);
                    insert.setString(4, batch);
                    insert.executeUpdate();
                }
                try (PreparedStatement update = connection.prepareStatement(ReferenceSql.UPDATE_BATCH)) {
                    update.setInt(1, purchased);
                    update.setInt(2, allocated + 1);
                    update.setString(3, batch);
                    update.executeUpdate();
                }
                try (PreparedStatement view = connection.prepareStatement(dialect.writeView())) {
                    view.setString(1, orderId);
                    view.setString(2, sku);
                    view.setString(3, batch);
                    view.setLong(4, version + 1);
                    view.executeUpdate();
                }
                connection.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                if (e instanceof SQLException sql && dialect.isLostRace(sql)) {
                    return false;
                }
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }
}
