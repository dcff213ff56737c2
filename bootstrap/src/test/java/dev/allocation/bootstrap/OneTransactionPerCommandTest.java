package dev.allocation.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import dev.allocation.adapters.memory.InMemoryStorage;
import dev.allocation.application.AllocationView;
import dev.allocation.application.outbox.Outbox;
import dev.allocation.application.port.AllocationsReadModel;
import dev.allocation.application.port.ProductRepository;
import dev.allocation.application.port.Storage;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import dev.allocation.domain.commands.CreateBatch;
import dev.allocation.domain.events.Event;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A command is one transaction: its change, the read-model rows it implies and, for a shrink, the
 * reallocation of the lines it gives back commit together or not at all. An Allocate sent again is no
 * exception: it changes nothing, and nothing is written after its commit.
 */
class OneTransactionPerCommandTest {

    private static final LocalDate TOMORROW = LocalDate.now().plusDays(1);

    private final InMemoryStorage storage = new InMemoryStorage();
    private final CommitCountingStorage counted = new CommitCountingStorage(storage);
    private final AllocationService service =
            Bootstrap.builder().storage(counted).build();

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
    void an_allocation_sent_again_commits_once_as_well() {
        service.handle(new CreateBatch("batch1", "RUG", 10, null));
        service.handle(new Allocate("o1", "RUG", 2));
        counted.commits.set(0);

        service.handle(new Allocate("o1", "RUG", 2));

        assertThat(counted.commits).hasValue(1);
        assertThat(service.allocations("o1")).containsExactly(new AllocationView("RUG", "batch1"));
    }

    @Test
    void on_a_database_an_allocation_sent_again_takes_one_transaction_as_the_first_did() throws Exception {
        AtomicInteger transactions = new AtomicInteger();
        try (TestDatabase database = TestDatabases.h2InMemory();
             AllocationService onH2 = Bootstrap.builder()
                     .jdbc(transactionsOfThisThread(database.dataSource(), transactions)).build()) {
            onH2.handle(new CreateBatch("batch1", "MAT", 10, null));
            transactions.set(0);
            onH2.handle(new Allocate("o1", "MAT", 2));
            assertThat(transactions).as("the first Allocate").hasValue(1);
            transactions.set(0);

            onH2.handle(new Allocate("o1", "MAT", 2));

            assertThat(transactions).as("the Allocate sent again").hasValue(1);
            assertThat(onH2.allocations("o1")).containsExactly(new AllocationView("MAT", "batch1"));
        }
    }

    /**
     * {@code dataSource}, counting the connections the calling thread takes from it: a unit of work, like
     * any other transaction of the store, takes one of its own (the outbox relay, on its own thread, is
     * not counted).
     */
    private static DataSource transactionsOfThisThread(DataSource dataSource, AtomicInteger transactions) {
        Thread handling = Thread.currentThread();
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && Thread.currentThread() == handling) {
                        transactions.incrementAndGet();
                    }
                    try {
                        return method.invoke(dataSource, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Storage that counts the units of work that commit, and can be told to fail every commit. */
    private static final class CommitCountingStorage implements Storage {

        final AtomicInteger commits = new AtomicInteger();
        volatile boolean failCommits;
        private final Storage storage;

        CommitCountingStorage(Storage storage) {
            this.storage = storage;
        }

        @Override
        public AllocationsReadModel readModel() {
            return storage.readModel();
        }

        @Override
        public Outbox outbox() {
            return storage.outbox();
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
