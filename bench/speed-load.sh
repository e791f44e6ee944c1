#!/usr/bin/env bash
# Issue 9, "Performance": the speed layer's throughput, freshness and memory under a replayed synthetic
# fraud stream, beside its floor (speed-job floor: consume the same records, upsert the same Cassandra
# rows per event, nothing else), in one run on one local stack. Prints one table.
#
#   bench/speed-load.sh                          # 300k events, 5,000/s goal rate (~8 min on 2 cores)
#   EVENTS=200000 RATE=5000 STATE=0 bench/speed-load.sh
#   CHECKPOINT_SECONDS=30 bench/speed-load.sh     # the speed layer's checkpoint interval (default 5)
#   BUCKET_EPOCHS=60 bench/speed-load.sh          # epochs per bucket of realtime rows (default 12 here: the second
#                                                 # publication, minutes into the generation, then has a cut past its start)
#   SPEED_JVM_OPTIONS="-XX:+UseParallelGC -Xmn1g" bench/speed-load.sh   # its JVM's options (speed-layer.jvm.options)
#
# Per system, the stream in thirds: (a) replayed as fast as Kafka takes it, from a cold start, then (b) the
# same once warm: throughput = events / (first record produced -> a sentinel per partition, sent after the
# last record, readable in Cassandra), with the CPU time the Flink JVM and Cassandra used per 1,000 of its
# events; (c) replayed at RATE/s while SpeedProbe sends 10 marked events a
# second (a probe card, event time moving with the stream) and polls Cassandra for their scores:
# send -> readable p50/p99/max, the JVM's and Cassandra's CPU per 1,000 events at that rate (the same for
# both systems, so Cassandra's share compares fairly); the Flink JVM's peak RSS (VmHWM) after it. STATE=1 (default): checkpoint
# state per key before and after a second retrain publishes a view covering the stream.
# Needs the build: mvn -B -q install -DskipTests
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
home="${BENCH_HOME:-/tmp/speedload-home}"
events="${EVENTS:-300000}"
rate="${RATE:-5000}"
cards="${CARDS:-20000}"
days="${DAYS:-7}"
state="${STATE:-1}"
# a fresh home every run: the lake keeps each run's stream, and the next run's batch view would then hold
# the events it replays, so the speed layer would quarantine every one as late (and look fast)
if [ -d "$home" ]; then
  "$root/platform" --home "$home" stack down > /dev/null 2>&1 || true
  rm -rf "$home"
fi
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
serving.port=38090
speed.rest.port=38081
speed.checkpoint.seconds=${CHECKPOINT_SECONDS:-5}
speed.bucket.epochs=${BUCKET_EPOCHS:-12}
PROPS
# the speed layer's JVM options instead of the default (its collector and generation sizes)
[ -z "${SPEED_JVM_OPTIONS:-}" ] || echo "speed-layer.jvm.options=$SPEED_JVM_OPTIONS" >> "$home/platform.properties"
prop() { sed -n "s/^$1=//p" "$home/platform.properties"; }
kafka="127.0.0.1:$(prop kafka.port)"
cassandra="127.0.0.1:$(prop cassandra.port)"
speed_rest="$(prop speed.rest.port)"
floor_rest=$((speed_rest + 1))
platform() { "$root/platform" --home "$home" "$@"; }
# a run that fails half-way must not leave its stack and Flink JVMs on the machine (and on the ports of the next run)
trap 'status=$?; if [ "$status" -ne 0 ]; then echo "speed-load failed (exit $status): stopping its stack" >&2; platform stack down > /dev/null 2>&1 || true; fi' EXIT
# the probe shares the cores with what it measures: C1 alone, as `platform replay` (docs/stack.md, "The command line's JVM")
probe() { java -XX:TieredStopAtLevel=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$root/bench/target/benchmarks.jar" io.tessera.bench.SpeedProbe "$@"; }
t_start=$(date +%s)
step() { echo "== [$(( $(date +%s) - t_start )) s] $*"; }
out="$home/bench"

step "stack (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
platform stack up kafka cassandra iceberg-catalog
# Cassandra's CPU per event too: it shares the two cores with the system it serves
cassandra_pid=$(pgrep -f "cassandra.config=file://$home/" | head -1)

spec="$out/card_fraud.yaml"
floor_spec="$out/card_fraud_floor.yaml"
cp "$root/examples/card_fraud/pipeline.yaml" "$spec"
sed -e "s/^  topic: transactions/  topic: floor_transactions/" "$spec" > "$floor_spec"

# a champion for the speed layer: as the demo, the sample and two weeks of generated transactions, one
# retrain (the sample alone is too small for a model to pass the gate: no champion, nothing scored)
step "ingest the sample + 2 weeks generated, retrain as of 2013-07-07 (a champion)"
training="$out/training.csv"
platform generate --events "${TRAINING_EVENTS:-50000}" --cards 2000 --days 14 --start 2013-06-23T00:00:00Z --seed 42 --out "$training"
platform ingest --spec "$spec" --file "$root/examples/card_fraud/transactions.csv"
platform ingest --spec "$spec" --file "$training"
platform retrain --spec "$spec" --cutoff 2013-07-07T00:00:00Z | tail -4

step "generate $events events"
stream_start=2013-07-07T00:00:00Z
data="$out/stream-$events.csv"
platform generate --events "$events" --cards "$cards" --days "$days" --start "$stream_start" --seed 9 --out "$data"
# in thirds: (a) drained from a cold start, (b) drained once warm: the sustained throughput, (c) at the goal rate
# with the freshness probe
third=$((events / 3))
head -n $((third + 1)) "$data" > "$out/stream-a.csv"
{ head -n 1 "$data"; sed -n "$((third + 2)),$((2 * third + 1))p" "$data"; } > "$out/stream-b.csv"
{ head -n 1 "$data"; tail -n +$((2 * third + 2)) "$data"; } > "$out/stream-c.csv"
keys=$(python3 -c "import csv,sys; r=csv.reader(open('$data')); h=next(r); i=h.index('cc_num'); print(len({row[i] for row in r}))")
# the event time (ms) each third starts at
first_ms() { python3 -c "import csv; r=csv.reader(open('$1')); h=next(r); print(int(next(r)[h.index('unix_time')]) * 1000)"; }
b_ms=$(first_ms "$out/stream-b.csv")
c_ms=$(first_ms "$out/stream-c.csv")
end_ms=$(( $(date -d "$stream_start" +%s) * 1000 + days * 86400000 ))
# stream ms per wall ms at the goal rate: the probe's event time keeps pace with the replayed stream
speed=$(awk -v d="$days" -v n="$events" -v r="$rate" 'BEGIN { printf "%.3f", d * 86400 / n * r }')
seconds_c=$(((events - 2 * third) / rate))

vmhwm() { awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }
vmrss() { awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }
# CPU time (user + system, ms) a process has used: per event, less sensitive than events/s to what else runs
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; }
# CPU ms per 1,000 events of a third that process PID used since it had used BEFORE
cpu_per_1000() { echo $(( ($(cpu_ms "$1") - $2) * 1000 / third )); }
job_id() { curl -sf "http://127.0.0.1:$1/jobs" | jq -r '.jobs[] | select(.status == "RUNNING") | .id' | head -1; }
state_size() { curl -sf "http://127.0.0.1:$1/jobs/$(job_id "$1")/checkpoints" | jq -r '.latest.completed | "\(.id) \(.state_size)"'; }

# drain SYSTEM TOPIC TABLE REPLAY_SPEC FILE EVENTS SENTINEL_MS NAME: FILE replayed as fast as Kafka takes it;
# prints the probe's report to $out/SYSTEM-NAME.txt (sentinel times must grow from one drain to the next: the
# sentinel cards are the same, and an older sentinel would be late)
drain() {
  local system=$1 topic=$2 table=$3 replay_spec=$4 file=$5 count=$6 sentinel_ms=$7 name=$8
  probe drain "$kafka" "$topic" "$cassandra" "$table" "$data" "$count" "$sentinel_ms" > "$out/$system-$name.txt" &
  local probe_pid=$!
  sleep 2
  platform replay --spec "$replay_spec" --file "$file" --no-progress | tail -1
  wait $probe_pid
  cat "$out/$system-$name.txt"
}
tput_of() { grep -o 'throughput [0-9]*' "$1" | grep -o '[0-9]*' || echo -; }

# measure SYSTEM TOPIC TABLE REPLAY_SPEC: thirds a and b drained (throughput from a cold start: JIT, every key's
# first batch lookup; then sustained, once warm), third c at the goal rate with the probe (freshness)
measure() {
  local system=$1 topic=$2 table=$3 replay_spec=$4
  step "$system: first third as fast as possible (from a cold start)"
  drain "$system" "$topic" "$table" "$replay_spec" "$out/stream-a.csv" "$third" $((b_ms + 3600000)) cold
  printf -v "${system}_cold" '%s' "$(tput_of "$out/$system-cold.txt")"
  step "$system: second third as fast as possible (warm)"
  local cpu_before cassandra_before
  cpu_before=$(cpu_ms "$pid")
  cassandra_before=$(cpu_ms "$cassandra_pid")
  drain "$system" "$topic" "$table" "$replay_spec" "$out/stream-b.csv" "$third" $((c_ms + 3600000)) drain
  printf -v "${system}_cpu" '%s' "$(cpu_per_1000 "$pid" "$cpu_before")"
  printf -v "${system}_cassandra_cpu" '%s' "$(cpu_per_1000 "$cassandra_pid" "$cassandra_before")"
  printf -v "${system}_tput" '%s' "$(tput_of "$out/$system-drain.txt")"
  printf -v "${system}_dead" '%s' "$(cat "$out/$system-cold.txt" "$out/$system-drain.txt" | grep -o '[0-9]* of them quarantined' \
    | awk '{ n += $1 } END { print n + 0 }')"
  step "$system: last third at $rate/s with the freshness probe ($seconds_c s)"
  probe fresh "$kafka" "$topic" "$cassandra" "$table" "$data" "$seconds_c" $(( seconds_c < 20 ? seconds_c / 4 : 5 )) 10 "$c_ms" "$speed" \
    > "$out/$system-probe.txt" &
  local probe_pid=$!
  cpu_before=$(cpu_ms "$pid")
  cassandra_before=$(cpu_ms "$cassandra_pid")
  platform replay --spec "$replay_spec" --file "$out/stream-c.csv" --rate "$rate" --no-progress | tail -1
  wait $probe_pid
  # at the same rate for both systems: Cassandra's cost per event no longer depends on how fast each drains
  printf -v "${system}_rate_cpu" '%s' "$(cpu_per_1000 "$pid" "$cpu_before")"
  printf -v "${system}_rate_cassandra_cpu" '%s' "$(cpu_per_1000 "$cassandra_pid" "$cassandra_before")"
  cat "$out/$system-probe.txt"
  printf -v "${system}_fresh" '%s' "$(grep freshness_ms "$out/$system-probe.txt")"
  printf -v "${system}_hwm" '%s' "$(vmhwm "$pid")"
  printf -v "${system}_rss" '%s' "$(vmrss "$pid")"
}

speed_cold=- floor_cold=- speed_cpu=- floor_cpu=- speed_cassandra_cpu=- floor_cassandra_cpu=- speed_rate_cpu=- floor_rate_cpu=- speed_rate_cassandra_cpu=- floor_rate_cassandra_cpu=- speed_tput=- speed_dead=- speed_fresh= speed_hwm=- speed_rss=- floor_tput=- floor_dead=- floor_fresh= floor_hwm=- floor_rss=-
state_before="- -" state_after="- -" speed_rows="realtime rows per key: -"
if [[ " ${SYSTEMS:-speed floor} " == *" speed "* ]]; then
step "speed layer: start (fresh)"
platform speed stop --spec "$spec" 2>&1 | tail -1 || true
platform speed start --spec "$spec" --fresh
pid=$(awk '{ print $1 }' "$home/run/speed-card_fraud.pid")
measure speed transactions card_fraud.realtime_view "$spec"
# a key's rows per its last events (the scoring tasks' histogram): merged per bucket of epochs once a bucket is over
speed_rows=$(platform speed status --spec "$spec" | grep -o 'realtime rows per key p99 [^,]*, max [^,;]*' || echo "realtime rows per key: -")

sleep 12
state_before=$(state_size "$speed_rest")
if [ "$state" = 1 ]; then
  step "state: checkpoint $state_before (id, bytes) for $keys keys; second retrain covering the stream"
  platform retrain --spec "$spec" --cutoff "$(date -u -d "@$(( end_ms / 1000 + 86400 ))" +%Y-%m-%dT%H:%M:%SZ)" | tail -3
  sleep 15
  state_after=$(state_size "$speed_rest")
  step "state: checkpoint $state_after after the publication"
fi
platform speed stop --spec "$spec"
fi

if [[ " ${SYSTEMS:-speed floor} " == *" floor "* ]]; then
step "floor: start"
floor_log="$out/floor.log"
rm -rf "$out/floor-state"
platform speed-job -- floor --spec "$floor_spec" --kafka "$kafka" --cassandra "$cassandra" --state-dir "$out/floor-state" \
  --rest-port "$floor_rest" --checkpoint-interval "PT$(prop speed.checkpoint.seconds)S" > "$floor_log" 2>&1 &
floor_launcher=$!
for _ in $(seq 120); do
  id=$(job_id "$floor_rest" 2>/dev/null || true)
  if [ -n "$id" ] && [ "$(curl -sf "http://127.0.0.1:$floor_rest/jobs/$id" | jq '[.vertices[] | select(.status != "RUNNING")] | length')" = 0 ]; then
    break
  fi
  sleep 1
done
pid=$(grep -o 'pid [0-9]*' "$floor_log" | head -1 | grep -o '[0-9]*')
measure floor floor_transactions card_fraud.floor_view "$floor_spec"
curl -sf -X PATCH "http://127.0.0.1:$floor_rest/jobs/$(job_id "$floor_rest")?mode=cancel" >/dev/null || true
wait $floor_launcher || true
fi

per_key() { awk -v s="${1#* }" -v k="$keys" 'BEGIN { if (s + 0 > 0) printf "%.0f", s / k; else print "-" }'; }
field() { echo "$1" | awk -v f="$2" '{ for (i = 1; i < NF; i++) if ($i == f) print $(i + 1) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0 && a ~ /^[0-9.]+$/) printf "%.2f", a / b; else print "-" }'; }
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "speed-load: $events events ($keys cards, $days days of event time), goal rate $rate/s, $(nproc) cores, run $(( $(date +%s) - t_start )) s"
printf "%-28s %14s %14s %10s\n" "" "speed layer" "floor" "ratio"
printf "%-28s %14s %14s %10s\n" "throughput events/s, cold" "$speed_cold" "$floor_cold" "$(ratio "$speed_cold" "$floor_cold")"
printf "%-28s %14s %14s %10s\n" "throughput events/s, warm" "$speed_tput" "$floor_tput" "$(ratio "$speed_tput" "$floor_tput")"
printf "%-28s %14s %14s %10s\n" "JVM CPU ms per 1000, warm" "$speed_cpu" "$floor_cpu" "$(ratio "$speed_cpu" "$floor_cpu")"
printf "%-28s %14s %14s %10s\n" "Cassandra CPU ms per 1000" "$speed_cassandra_cpu" "$floor_cassandra_cpu" "$(ratio "$speed_cassandra_cpu" "$floor_cassandra_cpu")"
printf "%-28s %14s %14s %10s\n" "JVM CPU ms/1000 at $rate/s" "$speed_rate_cpu" "$floor_rate_cpu" "$(ratio "$speed_rate_cpu" "$floor_rate_cpu")"
printf "%-28s %14s %14s %10s\n" "Cassandra ms/1000 at $rate/s" "$speed_rate_cassandra_cpu" "$floor_rate_cassandra_cpu" "$(ratio "$speed_rate_cassandra_cpu" "$floor_rate_cassandra_cpu")"
printf "%-28s %14s %14s %10s\n" "of them quarantined" "$speed_dead" "$floor_dead" ""
for p in p50 p99 max; do
  s=$(field "$speed_fresh" "$p") f=$(field "$floor_fresh" "$p")
  printf "%-28s %14s %14s %10s\n" "freshness $p ms at $rate/s" "$s" "$f" "$(ratio "$s" "$f")"
done
printf "%-28s %14s %14s %10s\n" "peak RSS MB, whole run" "$speed_hwm" "$floor_hwm" "$(ratio "$speed_hwm" "$floor_hwm")"
printf "%-28s %14s %14s %10s\n" "RSS MB at the end" "$speed_rss" "$floor_rss" ""
if true; then
  echo "state per key: $(per_key "$state_before") B before the second publication, $(per_key "$state_after") B after (checkpoint state_size / $keys keys)"
  echo "speed layer, $(prop speed.bucket.epochs) epochs per bucket: $speed_rows (over each task's last events, after the goal-rate third)"
fi
