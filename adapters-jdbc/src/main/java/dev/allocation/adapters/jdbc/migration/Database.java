package dev.allocation.adapters.jdbc.migration;

import java.sql.SQLException;
import org.flywaydb.core.api.migration.Context;

/** Which database a Java migration runs on, for the migrations that differ by database. */
enum Database {
    H2,
    POSTGRESQL,
    OTHER;

    static Database of(Context context) throws SQLException {
        String name = context.getConnection().getMetaData().getDatabaseProductName();
        if ("H2".equalsIgnoreCase(name)) {
            return H2;
        }
        return "PostgreSQL".equalsIgnoreCase(name) ? POSTGRESQL : OTHER;
    }
}
