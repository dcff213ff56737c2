package dev.allocation.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Stream;

/**
 * The processor time a load run took over its measured window: the whole machine's (every process and the
 * kernel: the database's backends, the loopback's TCP, the suite's clients), the suite's JVM's own share
 * of it, the local PostgreSQL server's share, and the context switches the machine made. A ratio to the
 * floor says how far a variant is from it; the processor time per operation says where the difference goes,
 * in every run rather than in a scratch profile. The machine's and the database's figures come from Linux's
 * {@code /proc}; elsewhere they are NaN, and so is the database's when no PostgreSQL server runs on this
 * machine. The JVM's share is also split by what its threads do ({@code threads}, seconds by {@link #GROUPS
 * group}): where a variant's time goes inside the JVM, the HTTP server's threads against its clients' say,
 * without a profiler; empty where {@code /proc/self/task} cannot be read.
 */
record ProcessorTime(double machineSeconds, double jvmSeconds, double databaseSeconds, double switches,
                     Map<String, Double> threads) {

    /** No time at all: what slices of a variant add up from. */
    static final ProcessorTime NONE = new ProcessorTime(0, 0, 0, 0, Map.of());
    /**
     * The groups the JVM's threads fall into, in the order printed, by the start of their names as Linux keeps
     * them (15 characters at most): the API's Jetty threads, the suite's client threads, the outbox relay, the
     * JIT compiler, the garbage collector; every other thread is {@code other}.
     */
    static final List<String> GROUPS = List.of("server", "clients", "relay", "compiler", "collector", "other");
    private static final Path STAT = Path.of("/proc/stat");
    private static final Path PROC = Path.of("/proc");
    private static final Path TASKS = Path.of("/proc/self/task");
    /** The pid of PostgreSQL's postmaster, once a listing found it; -1 before. */
    private static volatile long postmaster = -1;
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /**
     * The counters at one moment: {@code busy} and {@code total} in the kernel's ticks over the {@code cores}
     * that {@code /proc/stat} counts (the machine's, which a JVM limited to fewer would not say), and
     * {@code database}, the local PostgreSQL server's processes' ticks (-1: none found).
     */
    record Reading(long wallNanos, long busy, long total, int cores, long switches, long jvmNanos, long database,
                   Map<Long, Task> threads) {
    }

    /** One of the JVM's threads at a reading: its {@link #GROUPS group} and the nanoseconds it has run. */
    record Task(String group, long nanos) {
    }

    /** The counters now; the machine's are -1 where {@code /proc/stat} cannot be read. */
    static Reading read() {
        long busy = -1;
        long total = -1;
        long switches = -1;
        int cores = 0;
        try {
            List<String> lines = Files.readAllLines(STAT);
            for (String line : lines) {
                if (line.startsWith("cpu ")) {
                    // user nice system idle iowait irq softirq steal (guest time is counted in user already):
                    // busy is what ran here; idle, waiting on the disk and stolen by the hypervisor are not
                    String[] ticks = line.trim().split("\\s+");
                    total = 0;
                    busy = 0;
                    for (int i = 1; i <= Math.min(8, ticks.length - 1); i++) {
                        total += Long.parseLong(ticks[i]);
                        busy += i == 4 || i == 5 || i == 8 ? 0 : Long.parseLong(ticks[i]);
                    }
                } else if (line.startsWith("cpu")) {
                    cores++;
                } else if (line.startsWith("ctxt ")) {
                    switches = Long.parseLong(line.substring(5).trim());
                }
            }
        } catch (Exception e) {
            busy = -1;   // not Linux, or a format this does not know: the machine's figures are NaN
        }
        return new Reading(System.nanoTime(), busy, total, cores, switches, OS.getProcessCpuTime(),
                busy < 0 ? -1 : databaseTicks(), busy < 0 ? Map.of() : threadTimes());
    }

    /**
     * This JVM's threads by their id, each with its group and the nanoseconds it has run (the scheduler's own
     * count, {@code schedstat}: exact, where the ticks of {@code stat} lose most of a thread that runs in
     * many short bursts); empty when they cannot be listed.
     */
    private static Map<Long, Task> threadTimes() {
        Map<Long, Task> threads = new HashMap<>();
        try (Stream<Path> tasks = Files.list(TASKS)) {
            tasks.forEach(task -> {
                try {
                    String ran = Files.readString(task.resolve("schedstat"));
                    threads.put(Long.parseLong(task.getFileName().toString()),
                            new Task(group(Files.readString(task.resolve("comm")).strip()),
                                    Long.parseLong(ran.substring(0, ran.indexOf(' ')))));
                } catch (IOException | RuntimeException e) {
                    // it ended meanwhile
                }
            });
            return threads;
        } catch (IOException e) {
            return Map.of();
        }
    }

    /** The {@link #GROUPS group} of a thread by its name as Linux keeps it. */
    private static String group(String name) {
        if (name.startsWith("allocation-http")) {
            return "server";
        } else if (name.startsWith("bench-client")) {
            return "clients";
        } else if (name.startsWith("allocation-outb")) {
            return "relay";
        } else if (name.contains("CompilerThre")) {
            return "compiler";
        } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            return "collector";
        }
        return "other";
    }

    /**
     * The ticks of user and system time of every process named {@code postgres} on this machine, and of the
     * backends that have ended: the server's first process (the postmaster, whose parent is not a
     * {@code postgres}) adds its children's once it has waited for them, so that a connection closed within
     * a window still counts. A backend that the postmaster waits for while {@code /proc} is listed would be
     * counted twice or not at all, so the listing is done again when the postmaster's count of its children's
     * ticks moved meanwhile. -1 when there is no such process, or {@code /proc} cannot be read.
     */
    private static long databaseTicks() {
        for (int attempt = 0; attempt < 5; attempt++) {
            long[] before = postmaster > 0 ? stat(PROC.resolve(Long.toString(postmaster))) : null;
            Map<Long, long[]> postgres = postgresProcesses();
            if (postgres == null || postgres.isEmpty()) {
                return -1;
            }
            long ticks = 0;
            long root = -1;
            for (Map.Entry<Long, long[]> process : postgres.entrySet()) {
                long[] it = process.getValue();
                ticks += it[1];
                if (!postgres.containsKey(it[0])) {   // the postmaster: its ended children's too
                    ticks += it[2];
                    root = process.getKey();
                }
            }
            long[] after = root == postmaster ? stat(PROC.resolve(Long.toString(root))) : null;
            if (before != null && after != null && after[2] == before[2]) {
                return ticks;
            }
            postmaster = root;
        }
        return -1;
    }

    /** Every process named {@code postgres} by its pid: its parent's pid, its ticks, its ended children's ticks. */
    private static Map<Long, long[]> postgresProcesses() {
        Map<Long, long[]> postgres = new HashMap<>();
        try (Stream<Path> processes = Files.list(PROC)) {
            processes.filter(path -> path.getFileName().toString().chars().allMatch(Character::isDigit))
                    .forEach(path -> {
                        long[] process = stat(path);
                        if (process != null) {
                            postgres.put(Long.parseLong(path.getFileName().toString()), process);
                        }
                    });
            return postgres;
        } catch (IOException e) {
            return null;
        }
    }

    /** A {@code postgres} process's parent, ticks and ended children's ticks; null for another or one gone. */
    private static long[] stat(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            int close = stat.lastIndexOf(')');
            if (!stat.substring(stat.indexOf('(') + 1, close).equals("postgres")) {
                return null;
            }
            // after the name: state, ppid (1) ... utime (11), stime (12), cutime (13), cstime (14)
            String[] fields = stat.substring(close + 2).split(" ");
            return new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                    Long.parseLong(fields[13]) + Long.parseLong(fields[14])};
        } catch (IOException | RuntimeException e) {
            return null;   // it ended meanwhile, or is not ours to read
        }
    }

    /**
     * What was spent from {@code start} to {@code end}: the machine's busy share of its ticks, times the
     * cores counted and the time between (so that the kernel's tick rate need not be known).
     */
    static ProcessorTime between(Reading start, Reading end) {
        double wall = (end.wallNanos() - start.wallNanos()) / 1e9;
        long ticks = end.total() - start.total();
        boolean machine = start.busy() >= 0 && end.busy() >= 0 && ticks > 0 && end.cores() > 0;
        // a process's ticks are the kernel's too: scaled as the machine's are
        boolean database = machine && start.database() >= 0 && end.database() >= 0;
        Map<String, Double> threads = new LinkedHashMap<>();
        if (machine && !end.threads().isEmpty()) {
            // thread by thread: one that ended within the window is not counted, one started within it from 0
            GROUPS.forEach(group -> threads.put(group, 0.0));
            end.threads().forEach((id, thread) -> {
                Task before = start.threads().get(id);
                long spent = thread.nanos() - (before == null ? 0 : before.nanos());
                threads.merge(thread.group(), spent / 1e9, Double::sum);
            });
        }
        return new ProcessorTime(
                machine ? (double) (end.busy() - start.busy()) / ticks * end.cores() * wall : Double.NaN,
                start.jvmNanos() >= 0 && end.jvmNanos() >= 0 ? (end.jvmNanos() - start.jvmNanos()) / 1e9 : Double.NaN,
                database ? (double) (end.database() - start.database()) / ticks * end.cores() * wall : Double.NaN,
                start.switches() >= 0 && end.switches() >= 0 ? end.switches() - start.switches() : Double.NaN,
                Map.copyOf(threads));
    }

    ProcessorTime plus(ProcessorTime other) {
        Map<String, Double> threads = new HashMap<>(this.threads);
        other.threads.forEach((group, seconds) -> threads.merge(group, seconds, Double::sum));
        return new ProcessorTime(machineSeconds + other.machineSeconds, jvmSeconds + other.jvmSeconds,
                databaseSeconds + other.databaseSeconds, switches + other.switches, Map.copyOf(threads));
    }

    /**
     * The JVM's processor time per operation by {@link #GROUPS group}, in µs, as the tables print it:
     * {@code server 150, clients 25, relay 9, compiler 12, collector 1, other 3}; a dash where the threads
     * could not be read.
     */
    String describeThreads(long operations) {
        if (threads.isEmpty()) {
            return "–";
        }
        double n = Math.max(1, operations);
        StringJoiner groups = new StringJoiner(", ");
        GROUPS.forEach(group -> groups.add(String.format(Locale.ROOT, "%s %,.0f", group,
                threads.getOrDefault(group, 0.0) * 1e6 / n)));
        return groups.toString();
    }

    /**
     * Per operation: the machine's and the JVM's processor time, in µs, the context switches, and the
     * local PostgreSQL server's processor time, in µs (NaN where it was not read).
     */
    double[] perOperation(long operations) {
        double n = Math.max(1, operations);
        return new double[] {machineSeconds * 1e6 / n, jvmSeconds * 1e6 / n, switches / n, databaseSeconds * 1e6 / n};
    }

    /**
     * Per operation, as the tables print it: {@code 1,060 µs (JVM 370, PostgreSQL 520), 16.6 switches};
     * without PostgreSQL's share where no server of it ran here.
     */
    String describe(long operations) {
        double[] each = perOperation(operations);
        if (Double.isNaN(each[0])) {
            return String.format(Locale.ROOT, "JVM %,.0f µs", each[1]);
        }
        return Double.isNaN(each[3])
                ? String.format(Locale.ROOT, "%,.0f µs (JVM %,.0f), %.1f switches", each[0], each[1], each[2])
                : String.format(Locale.ROOT, "%,.0f µs (JVM %,.0f, PostgreSQL %,.0f), %.1f switches", each[0], each[1],
                        each[3], each[2]);
    }
}
