-- The transactional outbox: the events that leave the service, recorded in the transaction of the
-- change that raised them, and published after commit by the relay. Times are milliseconds since
-- the epoch (UTC), as the relay's clock gives them.

CREATE TABLE outbox (
    id              BIGINT GENERATED ALWAYS AS IDENTITY,  -- the order recorded; per sku, the order committed
    event_id        VARCHAR(36)   NOT NULL,               -- the same for every delivery of the event
    sku             VARCHAR(255)  NOT NULL,               -- the key its order is kept by
    type            VARCHAR(64)   NOT NULL,
    payload         VARCHAR(8000) NOT NULL,
    state           CHAR(1)       NOT NULL,               -- P pending, S published (sent), D dead
    recorded_at     BIGINT        NOT NULL,
    attempts        INTEGER       NOT NULL,
    next_attempt_at BIGINT        NOT NULL,
    claimed_until   BIGINT,                               -- while a relay publishes it
    last_error      VARCHAR(1000),
    done_at         BIGINT,                               -- when published, or set aside as dead
    CONSTRAINT outbox_pk PRIMARY KEY (id),
    CONSTRAINT outbox_event_id_unique UNIQUE (event_id),
    CONSTRAINT outbox_state_known CHECK (state IN ('P', 'S', 'D')),
    CONSTRAINT outbox_attempts_not_negative CHECK (attempts >= 0)
);
-- Claims walk the pending events in the order recorded; the figures count them.
CREATE INDEX outbox_by_state ON outbox (state, id);

-- One row, locked by each claim so that relays claim one at a time and their claims never overlap.
CREATE TABLE outbox_claims (
    id INTEGER NOT NULL,
    CONSTRAINT outbox_claims_pk PRIMARY KEY (id)
);
INSERT INTO outbox_claims (id) VALUES (1);
