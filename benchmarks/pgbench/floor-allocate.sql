-- The floor: PostgreSQL's own tight allocate, the transaction of the project's pgbench floor
-- (pgbench-allocate.sql, which FloorSession runs in the suite), on the tables of schema floor, over
-- 1,000 skus. Run by ./service-allocate.sh beside the service's own; see its header.
\set s random(0, 999)
BEGIN;
SELECT version FROM floor.products WHERE sku = 'SKU-' || :s;
SELECT id, qty - allocated FROM floor.batches WHERE sku = 'SKU-' || :s ORDER BY eta NULLS FIRST LIMIT 5;
UPDATE floor.batches SET allocated = allocated + 1 WHERE reference = 'B-' || :s;
UPDATE floor.products SET version = version + 1 WHERE sku = 'SKU-' || :s;
INSERT INTO floor.allocations (orderid, sku, qty, batch_id) VALUES (md5(random()::text), 'SKU-' || :s, 1, 1);
COMMIT;
