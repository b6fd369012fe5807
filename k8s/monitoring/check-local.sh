#!/usr/bin/env bash
# End-to-end check of the monitoring with a real Prometheus server, on one machine, no cluster:
# starts the local stack (../../falab up, on its own ports and state folder unless told otherwise),
# starts /usr/bin/prometheus scraping the three services' /q/metrics every 2 s with the alert rules
# of falab-rules.yaml, submits a short FA run on Fashion-MNIST, waits until it ends, and asks Prometheus
# (PromQL over HTTP) for the run's loss, steps and effective ranks. Prints the scraped falab_*/kafka lag
# metric names; METRICS_OUT=FILE writes them to FILE (k8s/monitoring/metrics.txt = that list, a header and a
# "# declared" section of the cluster exporters' names: kube-state-metrics, dcgm-exporter, Kafka Exporter).
# Stops Prometheus and the stack it started (KEEP_UP=1 keeps the stack).
#
#   k8s/monitoring/check-local.sh            # needs: java, mvn, curl, python3, prometheus (Debian package)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="${FALAB_ROOT:-$(cd "$HERE/../.." && pwd)}"   # FALAB_ROOT: another checkout whose ./falab to use
export FALAB_HOME="${FALAB_HOME:-/tmp/falab-monitoring-check}"
export FALAB_GATEWAY_PORT="${FALAB_GATEWAY_PORT:-18080}" FALAB_TRAINER_PORT="${FALAB_TRAINER_PORT:-18081}"
export FALAB_ANALYSIS_PORT="${FALAB_ANALYSIS_PORT:-18082}" FALAB_KAFKA_PORT="${FALAB_KAFKA_PORT:-19192}"
export FALAB_KAFKA_CONTROLLER_PORT="${FALAB_KAFKA_CONTROLLER_PORT:-19193}" FALAB_S3_PORT="${FALAB_S3_PORT:-19000}"
PROM_PORT="${PROM_PORT:-19090}"
PROMETHEUS="${PROMETHEUS:-$(command -v prometheus || echo /usr/bin/prometheus)}"
DEFAULT_SPEC='{"dataset":"fashion-mnist","method":"fa","hidden":[128,128],"epochs":1,"trainSubset":12800,"testSubset":2000,"probeEvery":20,"probeSize":128}'
SPEC="${SPEC:-$DEFAULT_SPEC}"
say() { printf 'check-local: %s\n' "$*"; }
[[ -x "$PROMETHEUS" ]] || { echo "prometheus not found: apt-get install prometheus" >&2; exit 1; }

"$ROOT/falab" up
PROM_DIR="$FALAB_HOME/prometheus"; rm -rf "$PROM_DIR"; mkdir -p "$PROM_DIR/data"
cp "$HERE/falab-rules.yaml" "$PROM_DIR/falab-rules.yaml"
cat >"$PROM_DIR/prometheus.yml" <<CFG
global: {scrape_interval: 2s, evaluation_interval: 2s}
rule_files: [falab-rules.yaml]
scrape_configs:
  - job_name: falab
    metrics_path: /q/metrics
    static_configs:
      - targets: ['127.0.0.1:$FALAB_GATEWAY_PORT']
        labels: {service: gateway}
      - targets: ['127.0.0.1:$FALAB_TRAINER_PORT']
        labels: {service: trainer-service}
      - targets: ['127.0.0.1:$FALAB_ANALYSIS_PORT']
        labels: {service: analysis-service}
CFG
"$PROMETHEUS" --config.file="$PROM_DIR/prometheus.yml" --storage.tsdb.path="$PROM_DIR/data" \
  --web.listen-address="127.0.0.1:$PROM_PORT" >"$PROM_DIR/prometheus.log" 2>&1 &
PROM_PID=$!
cleanup() {
  kill "$PROM_PID" 2>/dev/null || true; wait "$PROM_PID" 2>/dev/null || true
  [[ "${KEEP_UP:-0}" == 1 ]] || "$ROOT/falab" down
}
trap cleanup EXIT
until curl -fsS "http://127.0.0.1:$PROM_PORT/-/ready" >/dev/null 2>&1; do sleep 0.5; done
say "prometheus $("$PROMETHEUS" --version 2>&1 | head -1 | awk '{print $3}') on http://127.0.0.1:$PROM_PORT (pid $PROM_PID)"

# the gateway wants the stack's bearer token (docs/auth.md; ./falab up wrote it)
AUTH_HEADER="Authorization: Bearer $(cat "$FALAB_HOME/auth/token")"
RUN_ID="$(curl -fsS "http://127.0.0.1:$FALAB_GATEWAY_PORT/api/v1/runs" -H "$AUTH_HEADER" -H 'content-type: application/json' -d "$SPEC" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
say "submitted $RUN_ID: $SPEC"
state=""
for _ in $(seq 1 600); do
  state="$(curl -fsS -H "$AUTH_HEADER" "http://127.0.0.1:$FALAB_GATEWAY_PORT/api/v1/runs/$RUN_ID" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')"
  [[ "$state" == SUCCEEDED || "$state" == FAILED ]] && break
  sleep 1
done
say "run $RUN_ID: $state"
sleep 6   # a few more scrapes and a rule evaluation

query() {  # query PROMQL: prints every series with its latest value, or fails when there is none
  curl -fsS -G "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1" | python3 -c '
import json, sys
r = json.load(sys.stdin)["data"]["result"]
q = sys.argv[1]
print("PromQL>", q, "->", len(r), "series")
for s in r:
    m = s["metric"]
    labels = ",".join(k + "=\"" + v + "\"" for k, v in sorted(m.items()) if k not in ("instance", "job"))
    val = s["values"][-1][1] if "values" in s else s["value"][1]
    n = len(s["values"]) if "values" in s else 1
    print("  {" + labels + "}", "samples=%d" % n, "last=" + val)
sys.exit(0 if r else 1)' "$1"
}
query "falab_training_loss{run_id=\"$RUN_ID\"}[10m]"
query "falab_training_steps_total{run_id=\"$RUN_ID\"}"
query "falab_training_test_accuracy{run_id=\"$RUN_ID\"}"
query "falab_trainer_engine_info"
query "falab_runs_finished_total"
query "sum by (service) (rate(falab_analysis_latency_seconds_count[1m]))" || true
query "falab_training_step{run_id=\"$RUN_ID\"}[10m]"   # the x axis of the per-step dashboard curves
query "falab_training_active{run_id=\"$RUN_ID\"}"      # 0: the run ended on this trainer
query "falab_effective_rank{run_id=\"$RUN_ID\"}" || say "no effective-rank gauge (no snapshot analysed)"
query "falab_effective_rank_step{run_id=\"$RUN_ID\"}" || true
query "falab_oldest_queued_run_age_seconds"
query "max by (service, client_id, topic) (kafka_consumer_fetch_manager_records_lag_max)" || true
query 'ALERTS' || say "no alerts firing"

names="$(curl -fsS -G "http://127.0.0.1:$PROM_PORT/api/v1/label/__name__/values" | python3 -c '
import json, sys
for n in json.load(sys.stdin)["data"]:
    if n.startswith("falab_") or n == "kafka_consumer_fetch_manager_records_lag_max" or n.startswith("kafka_consumer_coordinator") or n.startswith("http_server_requests") or n.startswith("jvm_"):
        print(n)')"
say "scraped metric names (falab_*, Kafka consumer lag and coordinator, HTTP server, JVM):"
echo "$names"
if [[ -n "${METRICS_OUT:-}" ]]; then echo "$names" >"$METRICS_OUT"; say "wrote $METRICS_OUT"; fi
