#!/usr/bin/env bash
# What bounds any front of the service on PostgreSQL: its own Allocate, statement for statement
# (service-allocate.sql), sent by pgbench, a client leaner than any JVM's, against the floor's tight
# allocate (floor-allocate.sql), in turns on one scratch database, at each client count.
# usage: benchmarks/pgbench/service-allocate.sh [seconds=5] [rounds=3] [clients...=8]
# prints, per client count, each transaction's rate round by round with the machine's processor time per
# transaction (all processes: pgbench's own is small), and service / floor of both over all rounds.
# Eight clients keep both cores busy, so the ratio compares the work each transaction costs. One client
# compares waits instead, and there pgbench's pipelines wait longer than the JVM's driver does for the
# same statements (the suite's raw twin): its ratio at one client bounds nothing.
# Needs pgbench and psql, a superuser `postgres` on 127.0.0.1:5432 (trust auth), Java 17, and the
# service's jar (`mvn -B install -DskipTests` builds service/target/allocation-service.jar), which it
# starts once against the database so that the service's own migrations make its tables.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/../../service/target/allocation-service.jar"
secs="${1:-5}"; rounds="${2:-3}"; shift 2 || shift $#; clients="${*:-8}"
db=limit_service_allocate
psql_() { psql -h 127.0.0.1 -U postgres -qAt "$@"; }
[ -f "$jar" ] || { echo "no $jar: build it with mvn -B install -DskipTests" >&2; exit 1; }
psql_ -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null && psql_ -c "CREATE DATABASE $db" >/dev/null
java -jar "$jar" --db-url "jdbc:postgresql://127.0.0.1:5432/$db" --db-user postgres --port 0 --admin-port 0 \
  --log-level WARN >/dev/null 2>&1 & service=$!
trap 'kill $service 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do   # the last migration's column: the schema is whole
  [ "$(psql_ -d $db -c "SELECT count(*) FROM information_schema.columns WHERE table_name = 'outbox' \
       AND column_name = 'sku_sequence'" 2>/dev/null)" = 1 ] && break
  sleep 0.5
done
kill $service; wait $service 2>/dev/null || true
psql_ -d $db >/dev/null <<'SQL'
-- 1,000 skus of one batch of a billion units each, as the suite's Seeder.skus makes them
INSERT INTO products (sku, version) SELECT 'h-' || n, 1 FROM generate_series(0, 999) n;
INSERT INTO batch_references (reference, sku) SELECT sku || '-b', sku FROM products;
INSERT INTO batches (reference, sku, purchased_quantity, allocated_quantity, eta)
  SELECT sku || '-b', sku, 1000000000, 0, NULL FROM products;
-- the floor's tables, as FloorSession makes them
CREATE SCHEMA floor;
CREATE TABLE floor.products (sku text PRIMARY KEY, version int NOT NULL);
CREATE TABLE floor.batches (id serial PRIMARY KEY, reference text UNIQUE, sku text, qty int,
  allocated int NOT NULL DEFAULT 0, eta date);
CREATE TABLE floor.allocations (id bigserial PRIMARY KEY, orderid text, sku text, qty int, batch_id int,
  UNIQUE (orderid, sku));
CREATE INDEX ON floor.batches (sku);
INSERT INTO floor.products SELECT 'SKU-' || g, 0 FROM generate_series(0, 999) g;
INSERT INTO floor.batches (reference, sku, qty) SELECT 'B-' || g, 'SKU-' || g, 1000000000 FROM generate_series(0, 999) g;
VACUUM ANALYZE;
SQL
# The machine's processor time so far, in ticks of /proc/stat (user, nice, system, irq, softirq): empty
# off Linux, and then only the rates are printed.
busy() { [ -r /proc/stat ] && awk '/^cpu /{print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
ticks=$(getconf CLK_TCK)
# One run of pgbench: "<transactions a second> <µs of the machine's processor time a transaction>".
run() {
  local before after rate
  before=$(busy)
  rate=$(pgbench -h 127.0.0.1 -U postgres -n -M prepared -c "$1" -j "$1" -T "$secs" -f "$here/$2" $db 2>&1 \
    | grep -oE '^tps = [0-9.]+' | grep -oE '[0-9.]+')
  after=$(busy)
  if [ -n "$rate" ] && [ -n "$before" ]; then
    echo "$rate $(echo "($after - $before) * 1000000 / $ticks / ($rate * $secs)" | bc -l)"
  else
    echo "${rate:-0} 0"
  fi
}
for c in $clients; do
  # a round of each first, not counted: the first seconds of the service's statements on a new database
  # have run up to twice as slow as the rounds after them
  run "$c" floor-allocate.sql >/dev/null; run "$c" service-allocate.sql >/dev/null
  f_all=0; s_all=0; f_cpu=0; s_cpu=0
  for r in $(seq 1 "$rounds"); do
    read -r f fc <<<"$(run "$c" floor-allocate.sql)"; read -r s sc <<<"$(run "$c" service-allocate.sql)"
    printf 'c=%s round %s: floor %.0f tps (%.0f µs of the machine each), service %.0f tps (%.0f µs)\n' \
      "$c" "$r" "$f" "$fc" "$s" "$sc"
    f_all=$(echo "$f_all + $f" | bc -l); s_all=$(echo "$s_all + $s" | bc -l)
    f_cpu=$(echo "$f_cpu + $fc" | bc -l); s_cpu=$(echo "$s_cpu + $sc" | bc -l)
  done
  printf 'c=%s: service / floor %.2f in transactions a second' "$c" "$(echo "$s_all / $f_all" | bc -l)"
  if [ "$(echo "$s_cpu > 0" | bc -l)" = 1 ]; then
    printf ', %.2f in processor time a transaction' "$(echo "$s_cpu / $f_cpu" | bc -l)"
  fi
  echo
done
psql_ -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
