package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.testing.ApiClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar as an operator runs it: its version, its usage, a wrong option, its log formats and levels, the ordinary reasons it
 * cannot start, each told in one line with its documented exit code (a real port taken, a real H2
 * directory held by another instance, a Redis that does not answer, a token no request could send, a
 * listener open to other machines without a token), and the exit code of an orderly stop.
 */
class OperatingTheServiceIT {

    private static final Duration EXIT = Duration.ofSeconds(30);

    @Test
    void version_prints_the_version_of_the_build() {
        ServiceProcess.Ran ran = ServiceProcess.run(List.of("--version"), Map.of(), EXIT);

        assertThat(ran.exitCode()).isZero();
        assertThat(ran.output()).containsExactly("allocation-service " + System.getProperty("project.version"));
    }

    @Test
    void help_prints_every_option_with_its_default_never_a_value_of_the_environment_and_exits_0() {
        ServiceProcess.Ran ran = ServiceProcess.run(List.of("--help"), Map.of("ALLOCATION_API_TOKEN", "s3cret-t0ken"),
                EXIT);

        assertThat(ran.exitCode()).isZero();
        assertThat(ran.output()).containsExactlyElementsOf(ServiceCommandLine.USAGE.lines().toList());
    }

    @Test
    void a_wrong_option_is_named_in_the_first_line_followed_by_the_usage_and_exits_with_2() {
        ServiceProcess.Ran ran = ServiceProcess.run(List.of("--prot", "5005"), Map.of(), EXIT);

        assertThat(ran.exitCode()).isEqualTo(2);
        assertThat(ran.output().get(0)).isEqualTo("Unknown option --prot (--help lists them)");
        assertThat(ran.output().subList(2, ran.output().size()))
                .containsExactlyElementsOf(ServiceCommandLine.USAGE.lines().toList());
    }

    @Test
    void a_port_in_use_is_told_in_one_line_and_exits_with_3() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ServiceProcess.Ran ran = ServiceProcess.run(List.of("--in-memory", "--host", "127.0.0.1", "--port",
                    Integer.toString(taken.getLocalPort()), "--admin-port", "0"), Map.of(), EXIT);

            assertThat(ran.exitCode()).isEqualTo(StartFailure.PORT_IN_USE);
            assertToldInOneLine(ran, "127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void an_h2_directory_held_by_another_instance_is_told_in_one_line_and_exits_with_4(@TempDir Path data) {
        try (ServiceProcess first = ServiceProcess.start("holder", List.of("--data-dir", data.toString()), Map.of())) {
            ServiceProcess.Ran second = ServiceProcess.run(List.of("--data-dir", data.toString(), "--port", "0",
                    "--admin-port", "0"), Map.of(), EXIT);

            assertThat(second.exitCode()).isEqualTo(StartFailure.DATABASE);
            assertToldInOneLine(second, "in use by another process");
            assertThat(first.isAlive()).isTrue();
        }
    }

    @Test
    void a_redis_that_does_not_answer_is_told_in_one_line_and_exits_with_5() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();   // free again once closed: nothing listens there
        }
        ServiceProcess.Ran ran = ServiceProcess.run(List.of("--in-memory", "--port", "0", "--admin-port", "0",
                "--redis-url", "redis://127.0.0.1:" + closed), Map.of(), EXIT);

        assertThat(ran.exitCode()).isEqualTo(StartFailure.REDIS);
        assertToldInOneLine(ran, "Cannot connect to Redis at redis://127.0.0.1:" + closed);
    }

    @Test
    void json_logs_are_one_object_per_line_and_the_level_is_honoured() throws Exception {
        try (ServiceProcess service = ServiceProcess.start("json", List.of("--in-memory", "--log-format", "json",
                "--log-level", "DEBUG"), Map.of())) {
            new ApiClient(service.port()).addBatch("b1", "LAMP", 10, null);

            List<String> lines = Files.readAllLines(service.logFile()).stream().filter(line -> !line.isBlank()).toList();
            assertThat(lines).allSatisfy(line -> assertThat(line).startsWith("{\"").endsWith("}"));
            assertThat(lines).anyMatch(line -> line.contains("\"level\":\"DEBUG\"")
                    && line.contains("handling command CreateBatch"));
        }
    }

    @Test
    void a_log_level_of_warn_keeps_the_info_lines_out() {
        ServiceProcess.Ran ran = ServiceProcess.run(List.of("--in-memory", "--port", "0", "--admin-port", "0",
                "--log-level", "WARN", "--redis-url", "redis://127.0.0.1:1"), Map.of(), EXIT);

        assertThat(ran.output()).noneMatch(line -> line.contains(" INFO "));
        assertThat(ran.output()).anyMatch(line -> line.contains(" ERROR "));
    }

    @Test
    void an_orderly_stop_on_sigterm_exits_with_0_as_documented() {
        try (ServiceProcess service = ServiceProcess.start("sigterm-exit", List.of("--in-memory"), Map.of())) {
            new ApiClient(service.port()).addBatch("b1", "LAMP", 10, null);

            assertThat(service.terminate(EXIT)).as("exited after SIGTERM").isPresent();

            assertThat(service.exitCode()).isZero();
            assertThat(service.logLines(line -> line.contains("Allocation service stopped"))).hasSize(1);
        }
    }

    @Test
    void an_empty_token_variable_is_refused_with_2_rather_than_taken_for_no_authentication() {
        ServiceProcess.Ran ran = ServiceProcess.run(List.of("--in-memory", "--port", "0", "--admin-port", "0"),
                Map.of("ALLOCATION_API_TOKEN", ""), EXIT);

        assertThat(ran.exitCode()).isEqualTo(2);
        assertThat(ran.output().get(0)).isEqualTo("--api-token (ALLOCATION_API_TOKEN) must not be empty or blank"
                + " (to run without a token, leave it unset)");
    }

    @Test
    void a_listener_other_machines_reach_without_a_token_is_refused_with_2_in_one_line() {
        ServiceProcess.Ran ran = ServiceProcess.run(List.of("--in-memory", "--port", "0", "--admin-port", "0",
                "--host", "0.0.0.0"), Map.of(), EXIT);

        assertThat(ran.exitCode()).isEqualTo(2);
        assertThat(ran.output().get(0)).startsWith("--host 0.0.0.0 can be reached from other machines, and no"
                + " --api-token");
    }

    @Test
    void a_start_without_a_token_on_every_interface_when_explicitly_allowed_says_so_in_a_warning() {
        try (ServiceProcess service = ServiceProcess.start("allowed-unauthenticated", List.of("--in-memory", "--host",
                "0.0.0.0"), Map.of("ALLOCATION_ALLOW_UNAUTHENTICATED", "true"))) {
            assertThat(service.logLines(line -> line.contains(" WARN ")
                    && line.contains("--host 0.0.0.0 can be reached from other machines without a token"))).hasSize(1);
        }
    }

    private static void assertToldInOneLine(ServiceProcess.Ran ran, String saying) {
        List<String> told = ran.output().stream().filter(line -> line.contains("could not start")).toList();
        assertThat(told).hasSize(1);
        assertThat(told.get(0)).contains(saying);
        assertThat(ran.output()).as("no stack trace").noneMatch(line -> line.startsWith("\tat ")
                || line.startsWith("Caused by"));
    }
}
