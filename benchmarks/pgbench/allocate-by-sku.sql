-- The project's pgbench floor (an allocate transaction), each statement carrying the sku, as the
-- service's do since migration 7. Run by ./allocate-partitioned.sh.
\set s random(0, 99)
BEGIN;
SELECT version FROM products WHERE sku = 'SKU-' || :s;
SELECT id, qty - allocated FROM batches WHERE sku = 'SKU-' || :s ORDER BY eta NULLS FIRST LIMIT 5;
UPDATE batches SET allocated = allocated + 1 WHERE sku = 'SKU-' || :s AND reference = 'B-' || :s;
UPDATE products SET version = version + 1 WHERE sku = 'SKU-' || :s;
INSERT INTO allocations (orderid, sku, qty, batch_id) VALUES (md5(random()::text), 'SKU-' || :s, 1, 1);
COMMIT;
