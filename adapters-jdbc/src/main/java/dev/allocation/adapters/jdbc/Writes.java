package dev.allocation.adapters.jdbc;

import dev.allocation.application.port.ConcurrencyConflict;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * What a unit of work writes as it commits, gathered first and then sent together. On PostgreSQL the
 * statements go as one multi-statement prepared statement, whose parts the driver sends before it waits
 * for an answer: one round trip for the whole unit, however many tables it writes, and its {@code COMMIT}
 * goes in that round trip too, unless a statement's count of rows must be checked before the unit may
 * commit. H2 runs in process, so there they run one by one, rows of one statement in a JDBC batch.
 *
 * <p>A statement may expect a number of changed rows, and name the {@link ConcurrencyConflict} that
 * fewer rows, or a duplicate key, mean. A <em>check</em> (a version check) goes before the rest of its
 * product's writes: where they share one round trip, it fails the round trip itself, so that a stale unit
 * never runs, nor waits for locks behind, the statements that follow it.
 */
final class Writes {

    /**
     * The statements sent in one round trip at most: the answers the server writes while the driver is
     * still sending must fit in the socket's buffers.
     */
    static final int PER_ROUND_TRIP = 200;

    private final Dialect dialect;
    private final List<Write> writes = new ArrayList<>();

    Writes(Dialect dialect) {
        this.dialect = dialect;
    }

    /** A statement whose count of changed rows does not matter. */
    void add(String sql, Object... parameters) {
        writes.add(new Write(sql, parameters, -1, null, null, false));
    }

    /** The same statement once per row of parameters. */
    void addEach(String sql, List<Object[]> rows) {
        rows.forEach(row -> add(sql, row));
    }

    /** The same statement once per row, a duplicate key meaning that another unit wrote first: {@code conflict}. */
    void insertEach(String sql, List<Object[]> rows, String conflict) {
        rows.forEach(row -> writes.add(new Write(sql, row, -1, null, conflict, false)));
    }

    /** The same statement once per row, each changing exactly one row, or else {@code conflict}. */
    void changeEach(String sql, List<Object[]> rows, String conflict) {
        rows.forEach(row -> writes.add(new Write(sql, row, 1, conflict, null, true)));
    }

    /**
     * The version check of a product, which must change its one row, or else {@code conflict}: the
     * dialect's {@link Dialect#versionCheck}, whose parameters are the new version, the sku and the version
     * loaded.
     */
    void check(String conflict, long version, String sku, long loadedVersion) {
        // on PostgreSQL a stale version fails the statement itself (Dialect#versionCheck)
        writes.add(new Write(dialect.versionCheck, new Object[] {version, sku, loadedVersion}, 1, conflict, null,
                dialect != Dialect.POSTGRESQL));
    }

    /** An insert that is a check of its own: a duplicate key means {@code conflict}. */
    void insertChecked(String sql, String conflict, Object... parameters) {
        writes.add(new Write(sql, parameters, 1, conflict, conflict, false));   // inserts its row, or fails
    }

    /**
     * Runs every statement gathered, in order, on {@code handle}'s transaction, checks what each changed,
     * and commits. On PostgreSQL the {@code COMMIT} follows the last statements in their round trip when
     * none of them is {@link Write#countedAfter counted after}: a statement that fails there stops the
     * rest, the {@code COMMIT} with them, and the unit rolls back. The handle's own commit then finds
     * nothing to do: the driver knows from the server's answer that no transaction is open, and sends
     * nothing.
     */
    void runAndCommit(Handle handle) {
        if (dialect == Dialect.POSTGRESQL) {
            for (int from = 0; from < writes.size(); from += PER_ROUND_TRIP) {
                List<Write> part = writes.subList(from, Math.min(writes.size(), from + PER_ROUND_TRIP));
                boolean last = from + part.size() == writes.size();
                together(handle, part, last && part.stream().noneMatch(Write::countedAfter));
            }
        } else {
            oneByOne(handle);
        }
        handle.commit();
    }

    private void together(Handle handle, List<Write> part, boolean commit) {
        String sql = part.stream().map(Write::sql).collect(Collectors.joining(";\n")) + (commit ? ";\nCOMMIT" : "");
        try (PreparedStatement statement = handle.getConnection().prepareStatement(sql)) {
            int next = 1;
            for (Write write : part) {
                next = Sql.set(statement, next, write.parameters());
            }
            boolean rows = statement.execute();
            for (Write write : part) {
                write.verify(rows ? count(statement.getResultSet()) : statement.getUpdateCount());
                rows = statement.getMoreResults();
            }
        } catch (SQLException e) {
            throw conflictOr(part, e, Sql.failure(sql, e));
        }
    }

    /** Consecutive rows of one statement go in one JDBC batch, each row's count checked. */
    private void oneByOne(Handle handle) {
        int from = 0;
        while (from < writes.size()) {
            Write first = writes.get(from);
            int to = from + 1;
            while (to < writes.size() && writes.get(to).sql().equals(first.sql())) {
                to++;
            }
            List<Write> run = writes.subList(from, to);
            try {
                int[] counts = Sql.batch(handle, first.sql(), run.stream().map(Write::parameters).toList());
                for (int i = 0; i < run.size(); i++) {
                    run.get(i).verify(counts[i]);
                }
            } catch (RuntimeException e) {
                throw dialect.isUniqueViolation(e) && first.duplicate() != null
                        ? new ConcurrencyConflict(first.duplicate(), e) : e;
            }
            from = to;
        }
    }

    /**
     * The conflict a failure of statements sent together means: a failed check (PostgreSQL's
     * {@link Dialect#versionCheck} divides by zero), or a duplicate key where one was foreseen.
     */
    private RuntimeException conflictOr(List<Write> part, SQLException e, RuntimeException failure) {
        String state = e.getSQLState();
        List<String> meant = "22012".equals(state)
                ? part.stream().filter(write -> write.sql().equals(dialect.versionCheck)).map(Write::stale).toList()
                : "23505".equals(state) ? part.stream().map(Write::duplicate).filter(Objects::nonNull).toList()
                : List.of();
        return meant.isEmpty() ? failure
                : new ConcurrencyConflict(String.join("; or ", new LinkedHashSet<>(meant)), failure);
    }

    private static int count(ResultSet rows) throws SQLException {
        try (rows) {
            int count = 0;
            while (rows.next()) {
                count++;
            }
            return count;
        }
    }

    /**
     * One statement: its SQL, its parameters, the rows it must change (-1: any) with the conflict that
     * other counts mean ({@code stale}), and the conflict a duplicate key means (null: a plain failure).
     * {@code countedAfter}: only its count of rows, read once it ran, can say that it went wrong (a
     * change that finds no row fails nothing), so the unit may not commit before it is read.
     */
    private record Write(String sql, Object[] parameters, int expected, String stale, String duplicate,
                         boolean countedAfter) {

        void verify(int changed) {
            if (expected >= 0 && changed != expected) {
                throw new ConcurrencyConflict(stale);
            }
        }
    }
}
