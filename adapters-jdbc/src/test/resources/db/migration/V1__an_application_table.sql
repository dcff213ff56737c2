-- An application's own first migration, in Flyway's default location, as an application embedding
-- the allocation storage has one (OwnFlywayOfAnApplicationTest).
CREATE TABLE application_customers (
    id   BIGINT       NOT NULL,
    name VARCHAR(255) NOT NULL,
    CONSTRAINT application_customers_pk PRIMARY KEY (id)
);
