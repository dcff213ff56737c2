package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.allocation.adapters.jdbc.JdbiStorage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service's options: flags over environment variables over defaults, and clear refusals. */
class ServiceConfigTest {

    private static ServiceConfig parse(Map<String, String> env, String... args) {
        return ServiceCommandLine.parse(args, env, System.out).orElseThrow();
    }

    private static String answer(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ServiceCommandLine.parse(args, env, new PrintStream(out, true, StandardCharsets.UTF_8))).isEmpty();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void with_nothing_given_it_listens_on_5005_with_embedded_h2_under_data_and_no_broker() {
        ServiceConfig config = parse(Map.of());

        assertThat(config).isEqualTo(ServiceConfig.defaults());
        assertThat(config.port()).isEqualTo(5005);
        assertThat(config.dataDir()).isEqualTo(Path.of("data"));
        assertThat(config.databaseUrl()).isEmpty();
        assertThat(config.redisUrl()).isEmpty();
    }

    @Test
    void by_default_it_listens_on_the_loopback_interface_only_and_asks_for_no_token() {
        ServiceConfig config = parse(Map.of());

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.http().host()).isEqualTo("127.0.0.1");
        assertThat(config.http().apiToken()).isEmpty();
        assertThat(parse(Map.of(), "--host", "0.0.0.0", "--api-token", "t0ken").http().host()).isEqualTo("0.0.0.0");
    }

    @Test
    void the_api_token_comes_from_its_flag_or_variable_and_reaches_the_http_api() {
        assertThat(parse(Map.of("ALLOCATION_API_TOKEN", "from-env")).http().apiToken()).hasValue("from-env");
        assertThat(parse(Map.of("ALLOCATION_API_TOKEN", "from-env"), "--api-token", "from-flag").http().apiToken())
                .hasValue("from-flag");
    }

    @Test
    void an_empty_or_blank_token_from_the_flag_or_the_variable_is_refused_rather_than_taken_for_no_token() {
        for (String token : new String[] {"", " ", "\t"}) {
            assertThatThrownBy(() -> parse(Map.of("ALLOCATION_API_TOKEN", token))).as("variable \"%s\"", token)
                    .isInstanceOf(ServiceConfig.UsageError.class)
                    .hasMessage("--api-token (ALLOCATION_API_TOKEN) must not be empty or blank (to run without a token,"
                            + " leave it unset)");
            assertThatThrownBy(() -> parse(Map.of(), "--api-token", token)).as("flag \"%s\"", token)
                    .isInstanceOf(ServiceConfig.UsageError.class).hasMessageContaining("must not be empty or blank");
            assertThatThrownBy(() -> parse(Map.of(), "--api-token=" + token)).as("flag= \"%s\"", token)
                    .isInstanceOf(ServiceConfig.UsageError.class).hasMessageContaining("must not be empty or blank");
        }
    }

    @Test
    void a_token_with_whitespace_around_it_or_a_control_character_in_it_is_refused_since_no_request_could_send_it() {
        for (String token : new String[] {" t0ken", "t0ken ", "t0ken\n", "t0ken\r", "\tt0ken", "t0\u0000ken"}) {
            assertThatThrownBy(() -> parse(Map.of("ALLOCATION_API_TOKEN", token))).as("variable %s", token.strip())
                    .isInstanceOf(ServiceConfig.UsageError.class)
                    .hasMessageStartingWith("--api-token (ALLOCATION_API_TOKEN) must not");
            assertThatThrownBy(() -> parse(Map.of(), "--api-token", token)).as("flag %s", token.strip())
                    .isInstanceOf(ServiceConfig.UsageError.class)
                    .hasMessageStartingWith("--api-token (ALLOCATION_API_TOKEN) must not");
        }
        assertThat(parse(Map.of(), "--api-token", "two words").apiToken()).hasValue("two words");
    }

    @Test
    void without_a_token_a_listener_other_machines_can_reach_is_refused_naming_it() {
        assertThatThrownBy(() -> parse(Map.of(), "--host", "0.0.0.0")).isInstanceOf(ServiceConfig.UsageError.class)
                .hasMessage("--host 0.0.0.0 can be reached from other machines, and no --api-token"
                        + " (ALLOCATION_API_TOKEN) is set: give one, or --allow-unauthenticated"
                        + " (ALLOCATION_ALLOW_UNAUTHENTICATED=true) to run without");
        assertThatThrownBy(() -> parse(Map.of("ALLOCATION_ADMIN_HOST", "0.0.0.0")))
                .isInstanceOf(ServiceConfig.UsageError.class).hasMessageStartingWith("--admin-host 0.0.0.0 can be reached");
        for (String address : new String[] {"::", "192.0.2.10", "[2001:db8::1]", "::ffff:192.0.2.10"}) {
            assertThatThrownBy(() -> parse(Map.of(), "--host", address)).as(address)
                    .isInstanceOf(ServiceConfig.UsageError.class).hasMessageContaining("can be reached from other machines");
        }
        assertThatThrownBy(() -> parse(Map.of(), "--host", "0.0.0.0", "--admin-host", "0.0.0.0"))
                .hasMessageStartingWith("--host 0.0.0.0 and --admin-host 0.0.0.0 can be reached");
    }

    @Test
    void a_listener_name_that_does_not_resolve_is_refused_rather_than_guessed_loopback() {
        assertThatThrownBy(() -> parse(Map.of(), "--admin-host", "no-such-host.invalid"))
                .isInstanceOf(ServiceConfig.UsageError.class)
                .hasMessage("--admin-host (ALLOCATION_ADMIN_HOST) no-such-host.invalid does not resolve to an address");
        assertThatThrownBy(() -> parse(Map.of(), "--host", " ")).isInstanceOf(ServiceConfig.UsageError.class)
                .hasMessage("--host (ALLOCATION_HOST) must not be blank");
    }

    @Test
    void loopback_listeners_need_no_token() {
        for (String address : new String[] {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"}) {
            assertThat(parse(Map.of(), "--host", address, "--admin-host", address).unauthenticatedListeners())
                    .as(address).isEmpty();
        }
    }

    @Test
    void a_token_or_the_explicit_option_lets_a_listener_other_machines_reach_start_and_the_option_is_remembered() {
        assertThat(parse(Map.of("ALLOCATION_API_TOKEN", "t0ken"), "--host", "0.0.0.0", "--admin-host", "0.0.0.0")
                .unauthenticatedListeners()).isEmpty();

        ServiceConfig fromFlag = parse(Map.of(), "--host", "0.0.0.0", "--allow-unauthenticated");
        ServiceConfig fromVariable = parse(Map.of("ALLOCATION_ALLOW_UNAUTHENTICATED", "true",
                "ALLOCATION_ADMIN_HOST", "0.0.0.0"));

        assertThat(fromFlag.allowUnauthenticated()).isTrue();
        assertThat(fromFlag.unauthenticatedListeners()).containsExactly("--host 0.0.0.0");
        assertThat(fromVariable.unauthenticatedListeners()).containsExactly("--admin-host 0.0.0.0");
        assertThat(parse(Map.of()).allowUnauthenticated()).isFalse();
        assertThatThrownBy(() -> parse(Map.of(), "--allow-unauthenticated=yes"))
                .hasMessageContaining("--allow-unauthenticated (ALLOCATION_ALLOW_UNAUTHENTICATED) must be true or false");
    }

    @Test
    void redis_urls_with_a_password_a_user_a_database_and_tls_are_understood_as_written() {
        for (String url : new String[] {"redis://:s3cret@cache:6380/2", "redis://app:s3cret@cache:6380/2",
                "rediss://:s3cret@cache:6380/2"}) {
            io.lettuce.core.RedisURI uri = io.lettuce.core.RedisURI.create(parse(Map.of(), "--redis-url", url)
                    .redisUrl().orElseThrow());

            assertThat(uri.getHost()).as(url).isEqualTo("cache");
            assertThat(uri.getPort()).as(url).isEqualTo(6380);
            assertThat(uri.getDatabase()).as(url).isEqualTo(2);
            assertThat(new String(uri.getCredentialsProvider().resolveCredentials().block().getPassword())).as(url)
                    .isEqualTo("s3cret");
            assertThat(uri.isSsl()).as(url).isEqualTo(url.startsWith("rediss://"));
        }
    }

    @Test
    void environment_variables_configure_every_option() {
        ServiceConfig config = parse(Map.of("ALLOCATION_PORT", "8080", "ALLOCATION_DB_URL", "jdbc:postgresql://db/alloc",
                "ALLOCATION_DB_USER", "app", "ALLOCATION_DB_PASSWORD", "secret", "ALLOCATION_REDIS_URL", "redis://cache:6379",
                "ALLOCATION_HOST", "127.0.0.1"));

        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.databaseUrl()).hasValue("jdbc:postgresql://db/alloc");
        assertThat(config.databaseUser()).hasValue("app");
        assertThat(config.databasePassword()).hasValue("secret");
        assertThat(config.redisUrl()).hasValue("redis://cache:6379");
    }

    @Test
    void a_flag_wins_over_its_environment_variable_in_both_spellings() {
        ServiceConfig config = parse(Map.of("ALLOCATION_PORT", "8080", "ALLOCATION_DATA_DIR", "/var/env"),
                "--port", "9090", "--data-dir=/var/flag");

        assertThat(config.port()).isEqualTo(9090);
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/flag"));
    }

    @Test
    void help_asks_for_the_usage_which_lists_every_flag_and_variable() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ServiceCommandLine.parse(new String[] {"--port", "1", "--help"}, Map.of(), new PrintStream(out, true,
                StandardCharsets.UTF_8))).isEqualTo(Optional.empty());
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(ServiceCommandLine.USAGE);
        assertThat(ServiceCommandLine.USAGE).contains("--port", "ALLOCATION_PORT", "--db-url", "ALLOCATION_DB_URL", "--db-user",
                "--db-password", "--data-dir", "ALLOCATION_DATA_DIR", "--redis-url", "ALLOCATION_REDIS_URL", "--in-memory",
                "--api-token", "ALLOCATION_API_TOKEN", "--allow-unauthenticated", "ALLOCATION_ALLOW_UNAUTHENTICATED",
                "rediss://");
    }

    @Test
    void a_wrong_option_is_refused_with_a_message_naming_it() {
        assertThatThrownBy(() -> parse(Map.of(), "--prot", "1")).hasMessageContaining("Unknown option --prot");
        assertThatThrownBy(() -> parse(Map.of(), "--port", "http")).hasMessageContaining("--port (ALLOCATION_PORT) must be a number");
        assertThatThrownBy(() -> parse(Map.of(), "--port", "70000")).hasMessageContaining("--port must be between 0 and 65535");
        assertThatThrownBy(() -> parse(Map.of(), "--port")).hasMessageContaining("--port needs a value");
        assertThatThrownBy(() -> parse(Map.of(), "--db-url", "postgres://x")).hasMessageContaining("must be a JDBC URL");
        assertThatThrownBy(() -> parse(Map.of(), "--db-user", "x")).hasMessageContaining("need --db-url");
        assertThatThrownBy(() -> parse(Map.of(), "--redis-url", "localhost")).hasMessageContaining("redis://");
        assertThatThrownBy(() -> parse(Map.of(), "--in-memory", "--db-url", "jdbc:h2:mem:x"))
                .hasMessageContaining("exclude each other");
    }

    @Test
    void passwords_and_the_token_never_show_in_its_description() {
        assertThat(parse(Map.of("ALLOCATION_DB_PASSWORD", "hunter2", "ALLOCATION_API_TOKEN", "t0ken"), "--db-url",
                "jdbc:postgresql://db/a", "--redis-url", "redis://:s3cret@cache:6379").toString())
                .doesNotContain("hunter2").doesNotContain("s3cret").doesNotContain("t0ken").contains("redis://***@cache:6379");
    }

    @Test
    void how_it_runs_has_safe_defaults() {
        ServiceConfig.Operations operations = parse(Map.of()).operations();

        assertThat(operations.locking()).isEqualTo(JdbiStorage.Locking.OPTIMISTIC);
        assertThat(operations.poolSize()).isEqualTo(16);
        assertThat(operations.httpWorkers()).isEqualTo(16);
        assertThat(operations.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(operations.outOfStockRecipient()).isEqualTo("stock@made.com");
        assertThat(operations.logLevel()).isEqualTo("INFO");
        assertThat(operations.logFormat()).isEqualTo("text");
    }

    @Test
    void every_operating_option_comes_from_its_flag_or_its_variable() {
        ServiceConfig fromFlags = parse(Map.of(), "--locking", "pessimistic", "--pool-size", "4", "--http-workers", "32",
                "--shutdown-grace", "3", "--out-of-stock-recipient", "ops@example.com", "--log-level", "debug",
                "--log-format", "JSON");
        ServiceConfig fromVariables = parse(Map.of("ALLOCATION_LOCKING", "PESSIMISTIC", "ALLOCATION_POOL_SIZE", "4",
                "ALLOCATION_HTTP_WORKERS", "32", "ALLOCATION_SHUTDOWN_GRACE", "3",
                "ALLOCATION_OUT_OF_STOCK_RECIPIENT", "ops@example.com", "ALLOCATION_LOG_LEVEL", "DEBUG",
                "ALLOCATION_LOG_FORMAT", "json"));

        ServiceConfig.Operations expected = new ServiceConfig.Operations(JdbiStorage.Locking.PESSIMISTIC, 4, 32,
                Duration.ofSeconds(3), "ops@example.com", "DEBUG", "json");
        assertThat(fromFlags.operations()).isEqualTo(expected);
        assertThat(fromVariables.operations()).isEqualTo(expected);
        assertThat(fromFlags.http().threads()).isEqualTo(32);
    }

    @Test
    void a_wrong_operating_option_is_refused_naming_it() {
        assertThatThrownBy(() -> parse(Map.of(), "--locking", "careful")).hasMessageContaining("--locking (ALLOCATION_LOCKING) must be optimistic or pessimistic");
        assertThatThrownBy(() -> parse(Map.of(), "--pool-size", "0")).hasMessageContaining("--pool-size must be between 1 and 1000");
        assertThatThrownBy(() -> parse(Map.of(), "--http-workers", "many")).hasMessageContaining("--http-workers (ALLOCATION_HTTP_WORKERS) must be a number");
        assertThatThrownBy(() -> parse(Map.of(), "--shutdown-grace", "-1")).hasMessageContaining("--shutdown-grace must be between 0 and 3600");
        assertThatThrownBy(() -> parse(Map.of(), "--out-of-stock-recipient", " ")).hasMessageContaining("--out-of-stock-recipient must not be blank");
        assertThatThrownBy(() -> parse(Map.of(), "--log-level", "LOUD")).hasMessageContaining("--log-level must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
        assertThatThrownBy(() -> parse(Map.of(), "--log-format", "xml")).hasMessageContaining("--log-format must be text or json");
    }

    @Test
    void the_usage_lists_every_operating_option_with_its_variable_and_the_exit_codes() {
        assertThat(ServiceCommandLine.USAGE).contains("--locking", "ALLOCATION_LOCKING", "--pool-size", "ALLOCATION_POOL_SIZE",
                "--http-workers", "ALLOCATION_HTTP_WORKERS", "--shutdown-grace", "ALLOCATION_SHUTDOWN_GRACE",
                "--out-of-stock-recipient", "ALLOCATION_OUT_OF_STOCK_RECIPIENT", "--log-level", "ALLOCATION_LOG_LEVEL",
                "--log-format", "ALLOCATION_LOG_FORMAT", "--version", "Exit codes");
    }

    @Test
    void help_and_version_are_answered_wherever_they_stand_and_leave_nothing_to_run() {
        assertThat(answer(Map.of(), "--prot", "--version")).isEqualTo("allocation-service " + AllocationServer.version()
                + System.lineSeparator());
        assertThat(answer(Map.of(), "--help", "--port", "http")).isEqualTo(ServiceCommandLine.USAGE);
        assertThat(answer(Map.of("ALLOCATION_API_TOKEN", "t0ken", "ALLOCATION_PORT", "8080"), "-h"))
                .isEqualTo(ServiceCommandLine.USAGE).doesNotContain("t0ken").doesNotContain("8080");
    }

    @Test
    void a_switch_given_alone_is_on_whatever_its_variable_says() {
        assertThat(parse(Map.of("ALLOCATION_IN_MEMORY", "true"), "--in-memory").inMemory()).isTrue();
        assertThat(parse(Map.of("ALLOCATION_IN_MEMORY", "false"), "--in-memory").inMemory()).isTrue();
        assertThat(parse(Map.of("ALLOCATION_IN_MEMORY", "TRUE")).inMemory()).isTrue();
        assertThat(parse(Map.of("ALLOCATION_IN_MEMORY", "true"), "--in-memory=false").inMemory()).isFalse();
        assertThat(parse(Map.of("ALLOCATION_ALLOW_UNAUTHENTICATED", "true"), "--allow-unauthenticated")
                .allowUnauthenticated()).isTrue();
    }

    @Test
    void an_empty_variable_counts_as_unset() {
        ServiceConfig config = parse(Map.of("ALLOCATION_PORT", "", "ALLOCATION_IN_MEMORY", "", "ALLOCATION_DB_URL", "",
                "ALLOCATION_REDIS_URL", "", "ALLOCATION_LOCKING", "", "ALLOCATION_LOG_LEVEL", ""));

        assertThat(config).isEqualTo(ServiceConfig.defaults());
    }

    @Test
    void a_value_from_the_environment_is_taken_as_written_even_with_a_dollar_and_braces() {
        ServiceConfig config = parse(Map.of("ALLOCATION_DB_PASSWORD", "pa${sys:user.home}ss", "ALLOCATION_API_TOKEN",
                "t0${java.version}ken", "ALLOCATION_DB_URL", "jdbc:h2:mem:${user.name}"));

        assertThat(config.databasePassword()).hasValue("pa${sys:user.home}ss");
        assertThat(config.apiToken()).hasValue("t0${java.version}ken");
        assertThat(config.databaseUrl()).hasValue("jdbc:h2:mem:${user.name}");
    }

    @Test
    void a_flag_given_twice_counts_as_last_given() {
        assertThat(parse(Map.of(), "--port", "1", "--port=2").port()).isEqualTo(2);
    }

    @Test
    void only_the_documented_flags_and_variables_are_read_and_no_file_of_arguments(@TempDir Path folder)
            throws IOException {
        Path arguments = Files.writeString(folder.resolve("arguments.txt"), "--port 7\n");

        assertThatThrownBy(() -> parse(Map.of(), "@" + arguments)).isInstanceOf(ServiceConfig.UsageError.class)
                .hasMessage("Unknown option @" + arguments + " (--help lists them)");
        assertThat(parse(Map.of("ALLOCATION_HELP", "yes", "ALLOCATION_VERSION", "true", "ALLOCATION_H", "true")))
                .isEqualTo(ServiceConfig.defaults());
    }

    @Test
    void the_readme_lists_every_option_with_the_flag_variable_and_default_the_usage_shows() throws IOException {
        Map<String, String> usage = new LinkedHashMap<>();   // each option's name, and its lines in the usage
        String name = null;
        for (String line : ServiceCommandLine.USAGE.lines().toList()) {
            if (line.startsWith("  -")) {
                Matcher flag = Pattern.compile("--[a-z-]+").matcher(line);
                name = flag.find() ? flag.group() : null;
                usage.put(name, line.strip());
            } else if (name != null && line.startsWith("   ")) {
                usage.merge(name, " " + line.strip(), String::concat);
            } else {
                name = null;
            }
        }
        Map<String, String> readme = new LinkedHashMap<>();   // the options table: flag, variable, default, meaning
        for (String line : Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8)) {
            if (line.startsWith("| `--")) {
                String[] cells = line.split("\\|");
                String flag = cells[1].strip().replace("`", "");
                String option = flag.split(" ")[0];
                readme.put(option, flag);
                assertThat(usage.get(option)).as(option).isNotNull().contains(flag)
                        .contains(cells[2].strip().replace("`", "").replace("=true", ""));
                if (cells[3].strip().startsWith("`")) {
                    assertThat(usage.get(option)).as(option).contains("default " + cells[3].strip().replace("`", ""));
                }
            }
        }
        assertThat(readme.keySet()).containsExactlyElementsOf(usage.keySet());
    }

    @Test
    void kafka_takes_its_servers_and_the_clients_properties_from_a_file_whose_values_never_show(@TempDir Path folder)
            throws IOException {
        Path file = folder.resolve("kafka.properties");
        Files.writeString(file, "security.protocol=SASL_SSL\nsasl.jaas.config=secret-login\n");

        ServiceConfig config = parse(Map.of("ALLOCATION_KAFKA_PROPERTIES", file.toString()),
                "--kafka-bootstrap-servers", "k1:9092,k2:9092");

        assertThat(config.kafka()).hasValueSatisfying(kafka -> {
            assertThat(kafka.bootstrapServers()).isEqualTo("k1:9092,k2:9092");
            assertThat(kafka.properties()).containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.jaas.config", "secret-login");
        });
        assertThat(config.toString()).contains("kafka=k1:9092,k2:9092").doesNotContain("secret-login");
        assertThat(parse(Map.of()).kafka()).isEmpty();
    }

    @Test
    void kafka_properties_without_servers_or_a_file_that_cannot_be_read_are_refused(@TempDir Path folder) {
        assertThatThrownBy(() -> parse(Map.of(), "--kafka-properties", folder.resolve("k.properties").toString()))
                .hasMessageContaining("--kafka-properties needs --kafka-bootstrap-servers");
        assertThatThrownBy(() -> parse(Map.of(), "--kafka-bootstrap-servers", "k1:9092", "--kafka-properties",
                folder.resolve("missing.properties").toString()))
                .hasMessageContaining("--kafka-properties (ALLOCATION_KAFKA_PROPERTIES) cannot be read");
        assertThatThrownBy(() -> parse(Map.of(), "--kafka-bootstrap-servers", " "))
                .hasMessageContaining("--kafka-bootstrap-servers (ALLOCATION_KAFKA_BOOTSTRAP_SERVERS) must not be blank");
    }
}
