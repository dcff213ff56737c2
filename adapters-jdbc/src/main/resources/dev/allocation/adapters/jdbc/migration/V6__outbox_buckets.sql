-- Buckets, so that the relays of several instances share the outbox and relay in parallel: each sku
-- falls into one of 64 buckets by a hash of it (JdbiOutbox), and each live relay holds a lease on its
-- share of the buckets and claims only their events. outbox_claims stays: on PostgreSQL every claim
-- takes its row in share mode, so that a relay of the previous release, which locks it for update,
-- still claims alone while a rolling upgrade runs both.

-- Who relays which bucket, until when (milliseconds since the epoch, by the relay's clock). A claim
-- locks the rows of its own buckets; a relay takes another's bucket only once its lease lapsed.
CREATE TABLE outbox_buckets (
    bucket      INTEGER      NOT NULL,
    relay_id    VARCHAR(36),                -- null: nobody holds it
    lease_until BIGINT       NOT NULL,
    CONSTRAINT outbox_buckets_pk PRIMARY KEY (bucket)
);
INSERT INTO outbox_buckets (bucket, lease_until) VALUES
    (0, 0), (1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (6, 0), (7, 0),
    (8, 0), (9, 0), (10, 0), (11, 0), (12, 0), (13, 0), (14, 0), (15, 0),
    (16, 0), (17, 0), (18, 0), (19, 0), (20, 0), (21, 0), (22, 0), (23, 0),
    (24, 0), (25, 0), (26, 0), (27, 0), (28, 0), (29, 0), (30, 0), (31, 0),
    (32, 0), (33, 0), (34, 0), (35, 0), (36, 0), (37, 0), (38, 0), (39, 0),
    (40, 0), (41, 0), (42, 0), (43, 0), (44, 0), (45, 0), (46, 0), (47, 0),
    (48, 0), (49, 0), (50, 0), (51, 0), (52, 0), (53, 0), (54, 0), (55, 0),
    (56, 0), (57, 0), (58, 0), (59, 0), (60, 0), (61, 0), (62, 0), (63, 0);

-- The relays alive, each renewing its row while it runs: the buckets are shared among them.
CREATE TABLE outbox_relays (
    relay_id    VARCHAR(36) NOT NULL,
    alive_until BIGINT      NOT NULL,
    CONSTRAINT outbox_relays_pk PRIMARY KEY (relay_id)
);
