package dev.allocation.spring.boot.sample;

import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The shop on an H2 database in memory, H2 being the version Boot manages; the book's API under a base
 * path.
 */
class ShopOnH2Test extends ShopContract {

    private static final String BASE_PATH = "/allocation-api";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry properties) {
        properties.add("spring.datasource.url", () -> "jdbc:h2:mem:shop-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        properties.add("allocation.web.base-path", () -> BASE_PATH);
    }

    @Override
    String basePath() {
        return BASE_PATH;
    }
}
