#!/usr/bin/env bash
# Start-up of the meshgate command, measured with hyperfine (Debian package 'hyperfine'): 'meshgate --version' and
# 'meshgate send' of a 2 KiB file to a local MESH sandbox over plain HTTP, one process each, through the launcher
# (class data sharing archive, serial collector) against the same jar run with plain 'java -jar' in the same run.
# Prints each median with its spread, the ratios, and whether the launcher meets the goals (--version 0.2 s, send
# 0.35 s).
#
#   bench/cli-startup.sh
#
# Environment: RUNS (default 15), WARMUP (default 3).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-15}"
warmup="${WARMUP:-3}"
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
work="$(mktemp -d "${TMPDIR:-/tmp}/meshgate-startup.XXXXXX")"
sandbox_pid=""
cleanup() {
  if [ -n "$sandbox_pid" ]; then
    kill "$sandbox_pid" 2>/dev/null || true
    wait "$sandbox_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

meshgate="$root/meshgate"
jar="$root/meshgate-cli/target/meshgate.jar"
# The first run builds the jar if needed and makes the class data sharing archive.
"$meshgate" --version >/dev/null

java -jar "$jar" sandbox --http --port 0 >"$work/sandbox.log" 2>&1 &
sandbox_pid=$!
for _ in $(seq 1 300); do
  grep -q "listening on" "$work/sandbox.log" 2>/dev/null && break
  kill -0 "$sandbox_pid" 2>/dev/null || { cat "$work/sandbox.log" >&2; exit 1; }
  sleep 0.1
done
url="$(grep -o 'http://[^ ]*' "$work/sandbox.log" | head -n 1)"
cat >"$work/meshgate.yaml" <<YAML
base_url: $url
shared_key: TestKey
mailbox: X26ABC1
password: password
YAML
head -c 2048 /dev/urandom >"$work/two-kib.dat"
send=(send --config "$work/meshgate.yaml" --quiet --to X26ABC2 --workflow TEST_WORKFLOW "$work/two-kib.dat")

hyperfine --style basic --warmup "$warmup" --runs "$runs" --export-json "$work/startup.json" \
  -n "version, java -jar" "java -jar $jar --version" \
  -n "version, meshgate" "$meshgate --version" \
  -n "send 2 KiB, java -jar" "java -jar $jar ${send[*]}" \
  -n "send 2 KiB, meshgate" "$meshgate ${send[*]}" >"$work/hyperfine.log" 2>&1 \
  || { cat "$work/hyperfine.log" >&2; exit 1; }

python3 - "$work/startup.json" <<'PY'
import json, statistics, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
def line(name):
    t = results[name]["times"]
    return statistics.median(t), min(t), max(t)
print("meshgate start-up (median, min-max over %d runs)" % len(results["version, meshgate"]["times"]))
for name in results:
    med, lo, hi = line(name)
    print("  %-24s %.3f s  (%.3f-%.3f)" % (name, med, lo, hi))
for what in ("version", "send 2 KiB"):
    base = line(what + ", java -jar")[0]
    ours = line(what + ", meshgate")[0]
    print("  ratio %-18s %.2f of plain java -jar" % (what, ours / base))
# The goals of the launcher's start (docs/performance.md).
for what, goal in (("version", 0.2), ("send 2 KiB", 0.35)):
    ours = line(what + ", meshgate")[0]
    print("  goal  %-18s median <= %.2f s: %s (%.3f s)" % (what, goal, "met" if ours <= goal else "NOT met", ours))
PY
