package dev.allocation.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import dev.allocation.application.port.UnitOfWork;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** Units of work run at READ COMMITTED whatever level the connections come with. */
class IsolationTest {

    @Test
    void on_h2_a_unit_runs_at_read_committed_on_a_connection_handed_out_at_read_uncommitted() throws Exception {
        try (TestDatabase h2 = TestDatabases.h2InMemory()) {
            RecordingDataSource database = new RecordingDataSource(handingOutReadUncommitted(h2.dataSource()));
            JdbiStorage storage = JdbiStorage.builder(database).build();

            try (UnitOfWork uow = storage.start()) {
                uow.products().get("ANY");
                assertThat(database.lastTaken().getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
            }
        }
    }

    @Test
    void on_postgres_a_unit_runs_at_read_committed_when_the_session_default_is_serializable() throws Exception {
        try (TestDatabase postgres = TestDatabases.postgres()) {
            PGSimpleDataSource serializable = new PGSimpleDataSource();
            serializable.setURL(postgres.url());
            serializable.setUser(postgres.user());
            serializable.setPassword(postgres.password());
            serializable.setOptions("-c default_transaction_isolation=serializable");
            RecordingDataSource database = new RecordingDataSource(serializable);
            JdbiStorage storage = JdbiStorage.builder(database).build();

            try (UnitOfWork uow = storage.start()) {
                uow.products().get("ANY");
                try (Statement statement = database.lastTaken().createStatement();
                     ResultSet rs = statement.executeQuery("SHOW transaction_isolation")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("read committed");
                }
            }
        }
    }

    private static DataSource handingOutReadUncommitted(DataSource target) {
        return (DataSource) Proxy.newProxyInstance(IsolationTest.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(target, args);
                        if (result instanceof Connection connection) {
                            connection.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED);
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
