#!/usr/bin/env bash
# What hash partitioning by sku costs PostgreSQL itself, without this project: the tight, prepared
# allocate transaction of the project's pgbench floor (read the product and its batches, update a batch,
# bump the version, insert the line, commit), on its tables plain and then hash-partitioned by sku into
# 8 partitions, each statement carrying the sku. Prints "pgbench allocate <layout> c=N: T tps" lines.
# usage: allocate-partitioned.sh [seconds=10] [clients...=1 8]
# Needs pgbench (PostgreSQL's client package) and a superuser `postgres` reachable on 127.0.0.1:5432.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
secs="${1:-10}"; shift || true; clients="${*:-1 8}"
db=allocation_pgbench_partitioned
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"   # yours kept: plan_cache_mode, say
psql_() { psql -h 127.0.0.1 -U postgres -qAt "$@"; }

for layout in plain partitioned; do
  psql_ -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null && psql_ -c "CREATE DATABASE $db" >/dev/null || exit 1
  if [ "$layout" = plain ]; then by=""; keys="PRIMARY KEY (id)"; else by="PARTITION BY HASH (sku)"; keys="PRIMARY KEY (sku, id)"; fi
  psql_ -d $db >/dev/null <<SQL
CREATE TABLE products (sku text PRIMARY KEY, version int NOT NULL) $by;
CREATE TABLE batches (id serial, reference text, sku text, qty int, allocated int NOT NULL DEFAULT 0, eta date,
                      $keys, UNIQUE (reference, sku)) $by;
CREATE TABLE allocations (id bigserial, orderid text, sku text, qty int, batch_id int, $keys, UNIQUE (orderid, sku)) $by;
CREATE INDEX ON batches (sku);
SQL
  if [ "$layout" = partitioned ]; then
    for i in 0 1 2 3 4 5 6 7; do
      for table in products batches allocations; do
        psql_ -d $db -c "CREATE TABLE ${table}_p$i PARTITION OF $table FOR VALUES WITH (MODULUS 8, REMAINDER $i)" >/dev/null
      done
    done
  fi
  psql_ -d $db >/dev/null <<'SQL'
INSERT INTO products SELECT 'SKU-' || g, 0 FROM generate_series(0, 99) g;
INSERT INTO batches (reference, sku, qty) SELECT 'B-' || g, 'SKU-' || g, 100000000 FROM generate_series(0, 99) g;
ANALYZE;
SQL
  for c in $clients; do
    t=$(pgbench -h 127.0.0.1 -U postgres -n -M prepared -c "$c" -j "$c" -T "$secs" -f "$here/allocate-by-sku.sql" $db 2>&1 \
        | grep -oE '^tps = [0-9.]+' | grep -oE '[0-9.]+')
    echo "pgbench allocate $layout c=$c: ${t:-?} tps"
  done
done
psql_ -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
