-- The allocation schema, portable across H2 2.x and PostgreSQL 14+.
-- Constraints make an invalid state impossible even if code were wrong.

-- One row per sku: the aggregate root, and its version for optimistic concurrency.
CREATE TABLE products (
    sku     VARCHAR(255) NOT NULL,
    version BIGINT       NOT NULL,
    CONSTRAINT products_pk PRIMARY KEY (sku),
    CONSTRAINT products_version_not_negative CHECK (version >= 0)
);

-- A batch keeps its allocated quantity itself, so that allocating never needs to read every line.
-- id only keeps the order in which batches were added.
CREATE TABLE batches (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY,
    reference          VARCHAR(255) NOT NULL,
    sku                VARCHAR(255) NOT NULL,
    purchased_quantity INTEGER      NOT NULL,
    allocated_quantity INTEGER      NOT NULL,
    eta                DATE,
    CONSTRAINT batches_pk PRIMARY KEY (id),
    CONSTRAINT batches_reference_unique UNIQUE (reference),
    CONSTRAINT batches_reference_sku_unique UNIQUE (reference, sku),
    CONSTRAINT batches_product_fk FOREIGN KEY (sku) REFERENCES products (sku),
    CONSTRAINT batches_purchased_not_negative CHECK (purchased_quantity >= 0),
    CONSTRAINT batches_allocated_not_negative CHECK (allocated_quantity >= 0),
    CONSTRAINT batches_not_over_allocated CHECK (allocated_quantity <= purchased_quantity)
);
CREATE INDEX batches_by_sku ON batches (sku, id);

-- Order lines allocated to batches; id keeps the order of allocation (a shrinking batch gives up its
-- newest lines first). The line's sku must be its batch's sku.
CREATE TABLE allocations (
    id       BIGINT GENERATED ALWAYS AS IDENTITY,
    orderid  VARCHAR(255) NOT NULL,
    sku      VARCHAR(255) NOT NULL,
    qty      INTEGER      NOT NULL,
    batchref VARCHAR(255) NOT NULL,
    CONSTRAINT allocations_pk PRIMARY KEY (id),
    CONSTRAINT allocations_one_per_order_line UNIQUE (orderid, sku),
    CONSTRAINT allocations_batch_fk FOREIGN KEY (batchref, sku) REFERENCES batches (reference, sku),
    CONSTRAINT allocations_qty_positive CHECK (qty > 0)
);
CREATE INDEX allocations_by_batch ON allocations (batchref, id);

-- The read model: which batch holds each order line, as of the product version it was copied at.
-- batchref NULL is a tombstone: the line is not allocated (and an older copy cannot bring it back).
CREATE TABLE allocations_view (
    orderid  VARCHAR(255) NOT NULL,
    sku      VARCHAR(255) NOT NULL,
    batchref VARCHAR(255),
    version  BIGINT       NOT NULL,
    CONSTRAINT allocations_view_pk PRIMARY KEY (orderid, sku)
);
