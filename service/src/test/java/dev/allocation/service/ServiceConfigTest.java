package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The service's options: flags over environment variables over defaults, and clear refusals. */
class ServiceConfigTest {

    private static ServiceConfig parse(Map<String, String> env, String... args) {
        return ServiceConfig.parse(args, env).orElseThrow();
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
        assertThat(ServiceConfig.parse(new String[] {"--port", "1", "--help"}, Map.of())).isEqualTo(Optional.empty());
        assertThat(ServiceConfig.USAGE).contains("--port", "ALLOCATION_PORT", "--db-url", "ALLOCATION_DB_URL", "--db-user",
                "--db-password", "--data-dir", "ALLOCATION_DATA_DIR", "--redis-url", "ALLOCATION_REDIS_URL", "--in-memory");
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
    void passwords_never_show_in_its_description() {
        assertThat(parse(Map.of("ALLOCATION_DB_PASSWORD", "hunter2"), "--db-url", "jdbc:postgresql://db/a",
                "--redis-url", "redis://:s3cret@cache:6379").toString())
                .doesNotContain("hunter2").doesNotContain("s3cret").contains("redis://***@cache:6379");
    }
}
