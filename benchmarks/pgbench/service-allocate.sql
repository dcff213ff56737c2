-- The service's own Allocate on PostgreSQL, statement for statement as adapters-jdbc sends it, in its
-- two round trips: the read (with the BEGIN the driver puts before it), then the writes with the COMMIT
-- (a pipeline each). Run by ./service-allocate.sh beside the floor's transaction; see its header.
\set s random(0, 999)
\set o random(1, 9000000000000000000)
\startpipeline
BEGIN;
SELECT p.sku, p.version, b.reference, b.purchased_quantity, b.allocated_quantity, b.eta, held.batchref, held.qty FROM products p LEFT JOIN batches b ON b.sku = p.sku LEFT JOIN allocations held ON held.sku = p.sku AND held.orderid = 'o' || :o WHERE p.sku = 'h-' || :s ORDER BY b.id;
\endpipeline
\startpipeline
WITH checked AS (UPDATE products SET version = version + 1 WHERE sku = 'h-' || :s AND version >= 0 RETURNING sku) SELECT 1 / COUNT(*) FROM checked;
INSERT INTO allocations (orderid, sku, qty, batchref) VALUES ('o' || :o, 'h-' || :s, 1, 'h-' || :s || '-b');
UPDATE batches SET purchased_quantity = 1000000000, allocated_quantity = allocated_quantity + 1 WHERE sku = 'h-' || :s AND reference = 'h-' || :s || '-b';
INSERT INTO allocations_view (orderid, sku, batchref, version) SELECT CAST('o' || :o AS VARCHAR(255)), CAST('h-' || :s AS VARCHAR(255)), CAST('h-' || :s || '-b' AS VARCHAR(255)), CAST(2 AS BIGINT) ON CONFLICT (orderid, sku) DO UPDATE SET batchref = excluded.batchref, version = excluded.version WHERE allocations_view.version < excluded.version;
INSERT INTO outbox (event_id, sku, sku_sequence, type, payload, state, recorded_at, attempts, next_attempt_at) VALUES (gen_random_uuid()::text, 'h-' || :s, 2, 'Allocated', '{"version":1,"type":"Allocated","data":{"orderid":"o' || :o || '","sku":"h-' || :s || '","qty":1,"batchref":"h-' || :s || '-b"}}', 'P', 1796643542059, 0, 1796643542059);
COMMIT;
\endpipeline
