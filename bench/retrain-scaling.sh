#!/usr/bin/env bash
# Retrain cost as the data grows, against the floor. For each size: seeded synthetic card transactions
# (platform generate), one ingest, one retrain (printed step times and the driver's peak memory), then
# the floor: a Spark job that only reads the same events and groups them by key. Prints one table.
#
#   bench/retrain-scaling.sh                  # 250k, 500k and 1M events (~20 min on 2 cores)
#   SIZES="50000 100000" bench/retrain-scaling.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
home="${BENCH_HOME:-$root/target/bench-home}"
sizes="${SIZES:-250000 500000 1000000}"
mkdir -p "$home/bench"
# its own ports (defaults + 30000), so it never meets a demo or test stack
[ -f "$home/platform.properties" ] || cat > "$home/platform.properties" <<PROPS
kafka.port=39092
kafka.controller.port=39093
cassandra.port=39042
cassandra.storage.port=37000
cassandra.jmx.port=37199
iceberg.port=38181
trino.port=38080
PROPS
platform() { "$root/platform" --home "$home" "$@"; }

platform stack up kafka cassandra iceberg-catalog
results="$home/bench/results.txt"
: > "$results"
for n in $sizes; do
  pipeline="bench_${n}"
  spec="$home/bench/$pipeline.yaml"
  sed -e "s/^pipeline: card_fraud/pipeline: $pipeline/" -e "s/view: card_fraud/view: $pipeline/" \
    "$root/examples/card_fraud/pipeline.yaml" > "$spec"
  data="$home/bench/transactions-$n.csv"
  [ -f "$data" ] || platform generate --events "$n" --cards $((n / 50)) --days 30 --start 2020-06-01T00:00:00Z --seed 7 --out "$data"
  platform ingest --spec "$spec" --file "$data"

  log="$home/bench/retrain-$n.log"
  start=$(date +%s%N)
  platform retrain --spec "$spec" --cutoff 2020-07-01T00:00:00Z | tee "$log"
  total=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')

  floor_log="$home/bench/floor-$n.log"
  platform batch-job -- floor-scan --spec "$spec" --catalog-uri "http://127.0.0.1:38181" | tee "$floor_log"

  view=$(grep -o 'batch view [0-9.]* s' "$log" | grep -o '[0-9.]*' || echo "?")
  training=$(grep -o 'training set [0-9.]* s' "$log" | grep -o '[0-9.]*' || echo "?")
  fit=$(grep -o 'fit + evaluate [0-9.]* s' "$log" | grep -o '[0-9.]*' || echo "?")
  floor=$(grep -o 'grouped in [0-9.]* s' "$floor_log" | grep -o '[0-9.]*' || echo "?")
  peak=$(grep -o 'peak resident memory [0-9-]* MB' "$log" | grep -o '[0-9-]*' || echo "?")
  ratio=$(awk -v v="$view" -v f="$floor" 'BEGIN { if (f > 0) printf "%.2f", v / f; else print "?" }')
  printf "%9s %10s %12s %10s %10s %10s %10s %10s\n" "$n" "$total" "$training" "$fit" "$view" "$floor" "$ratio" "$peak" >> "$results"
done

echo
printf "%9s %10s %12s %10s %10s %10s %10s %10s\n" events "retrain s" "training s" "fit s" "view s" "floor s" "view/floor" "peak MB"
cat "$results"
echo "(retrain s includes the launcher and Spark start; view s is the batch view computation, floor s the read-and-group-by-key job)"
