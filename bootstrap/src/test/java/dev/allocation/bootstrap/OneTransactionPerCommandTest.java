package dev.allocation.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import dev.allocation.adapters.memory.InMemoryStorage;
import dev.allocation.application.AllocationView;
import dev.allocation.application.port.ProductRepository;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.application.port.UnitOfWorkFactory;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import dev.allocation.domain.commands.CreateBatch;
import dev.allocation.domain.events.Event;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A command is one transaction: its change, the read-model rows it implies and, for a shrink, the
 * reallocation of the lines it gives back commit together or not at all.
 */
class OneTransactionPerCommandTest {

    private static final LocalDate TOMORROW = LocalDate.now().plusDays(1);

    private final InMemoryStorage storage = new InMemoryStorage();
    private final CommitCountingStorage counted = new CommitCountingStorage(storage);
    private final AllocationService service =
            Bootstrap.builder().storage(counted, storage.readModel(), storage.outbox()).build();

    @Test
    void an_allocation_commits_once() {
        service.handle(new CreateBatch("batch1", "SOFA", 10, null));
        counted.commits.set(0);

        service.handle(new Allocate("o1", "SOFA", 2));

        assertThat(counted.commits).hasValue(1);
        assertThat(service.allocations("o1")).containsExactly(new AllocationView("SOFA", "batch1"));
    }

    @Test
    void a_shrink_and_the_reallocation_of_the_lines_it_gives_back_commit_once() {
        service.handle(new CreateBatch("batch1", "TABLE", 50, null));
        service.handle(new CreateBatch("batch2", "TABLE", 50, TOMORROW));
        service.handle(new Allocate("o1", "TABLE", 20));
        service.handle(new Allocate("o2", "TABLE", 20));
        counted.commits.set(0);

        service.handle(new ChangeBatchQuantity("batch1", 25));

        assertThat(counted.commits).hasValue(1);
        assertThat(service.allocations("o2")).containsExactly(new AllocationView("TABLE", "batch2"));
    }

    @Test
    void a_shrink_that_fails_to_commit_deallocates_nothing() {
        service.handle(new CreateBatch("batch1", "LAMP", 50, null));
        service.handle(new CreateBatch("batch2", "LAMP", 50, TOMORROW));
        service.handle(new Allocate("o1", "LAMP", 40));
        counted.failCommits = true;

        assertThatThrownBy(() -> service.handle(new ChangeBatchQuantity("batch1", 25)))
                .hasMessageContaining("disk full");

        counted.failCommits = false;
        assertThat(service.allocations("o1")).containsExactly(new AllocationView("LAMP", "batch1"));
        service.handle(new Allocate("o2", "LAMP", 10));
        assertThat(service.allocations("o2")).as("batch1 still has 50").containsExactly(new AllocationView("LAMP", "batch1"));
    }

    @Test
    void sending_an_allocation_again_repairs_its_missing_read_model_row() throws Exception {
        try (TestDatabase database = TestDatabases.h2InMemory();
             AllocationService onH2 = Bootstrap.builder().jdbc(database.dataSource()).build()) {
            onH2.handle(new CreateBatch("batch1", "RUG", 10, null));
            onH2.handle(new Allocate("o1", "RUG", 2));
            execute(database, "DELETE FROM allocations_view");
            assertThat(onH2.allocations("o1")).isEmpty();

            onH2.handle(new Allocate("o1", "RUG", 2));

            assertThat(onH2.allocations("o1")).containsExactly(new AllocationView("RUG", "batch1"));
        }
    }

    @Test
    void sending_an_allocation_again_repairs_its_stale_read_model_row() throws Exception {
        try (TestDatabase database = TestDatabases.h2InMemory();
             AllocationService onH2 = Bootstrap.builder().jdbc(database.dataSource()).build()) {
            onH2.handle(new CreateBatch("batch1", "MAT", 10, null));
            onH2.handle(new CreateBatch("batch2", "MAT", 10, TOMORROW));
            onH2.handle(new Allocate("o1", "MAT", 2));
            execute(database, "UPDATE allocations_view SET batchref = 'batch2'");

            onH2.handle(new Allocate("o1", "MAT", 2));

            assertThat(onH2.allocations("o1")).containsExactly(new AllocationView("MAT", "batch1"));
        }
    }

    private static void execute(TestDatabase database, String sql) throws Exception {
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Storage that counts the units of work that commit, and can be told to fail every commit. */
    private static final class CommitCountingStorage implements UnitOfWorkFactory {

        final AtomicInteger commits = new AtomicInteger();
        volatile boolean failCommits;
        private final UnitOfWorkFactory storage;

        CommitCountingStorage(UnitOfWorkFactory storage) {
            this.storage = storage;
        }

        @Override
        public UnitOfWork start() {
            UnitOfWork unit = storage.start();
            return new UnitOfWork() {
                @Override
                public ProductRepository products() {
                    return unit.products();
                }

                @Override
                public void commit() {
                    if (failCommits) {
                        unit.rollback();
                        throw new IllegalStateException("disk full");
                    }
                    unit.commit();
                    commits.incrementAndGet();
                }

                @Override
                public void rollback() {
                    unit.rollback();
                }

                @Override
                public List<Event> collectNewEvents() {
                    return unit.collectNewEvents();
                }

                @Override
                public void close() {
                    unit.close();
                }
            };
        }
    }
}
