-- the sample application's own first migration, in Flyway's default location and history table:
-- it must neither see the library's migrations nor be seen by them
CREATE TABLE shop_orders (
    id VARCHAR(255) PRIMARY KEY,
    sku VARCHAR(255) NOT NULL,
    qty INT NOT NULL
);
