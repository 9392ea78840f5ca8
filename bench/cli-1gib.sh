#!/usr/bin/env bash
# Sends a generated 1 GiB file with 'meshgate send' and downloads it with 'meshgate get', each in a JVM limited to
# 128 MiB of heap, through a local MESH sandbox over HTTPS with client certificates. Checks that the bytes come back
# identical (sha256) and prints the seconds and MiB/s of each transfer.
#
#   bench/cli-1gib.sh
#
# Environment: SIZE_MIB (default 1024), HEAP (default 128m), SEND_OPTS (extra 'meshgate send' options, e.g.
# --no-compress; by default files of 1 MiB or more are gzip-compressed for transport), TMPDIR (room for about three
# times SIZE_MIB).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mib="${SIZE_MIB:-1024}"
heap="${HEAP:-128m}"
work="$(mktemp -d "${TMPDIR:-/tmp}/meshgate-cli-bench.XXXXXX")"
sandbox_pid=""

cleanup() {
  if [ -n "$sandbox_pid" ]; then
    kill "$sandbox_pid" 2>/dev/null || true
    wait "$sandbox_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "building meshgate.jar..." >&2
(cd "$root" && { ./mvnw -q -B -ntp -o -DskipTests -pl meshgate-cli -am package 2>/dev/null \
  || ./mvnw -q -B -ntp -DskipTests -pl meshgate-cli -am package; }) >&2
export MESHGATE_JAR="$root/meshgate-cli/target/meshgate.jar"
meshgate="$root/meshgate"

"$meshgate" sandbox --port 0 --tls-dir "$work/tls" --store "$work/store" >"$work/sandbox.log" 2>&1 &
sandbox_pid=$!
for _ in $(seq 1 300); do
  grep -q "listening on" "$work/sandbox.log" 2>/dev/null && break
  kill -0 "$sandbox_pid" 2>/dev/null || { cat "$work/sandbox.log" >&2; exit 1; }
  sleep 0.1
done
url="$(grep -o 'https://[^ ]*' "$work/sandbox.log" | head -n 1)"
[ -n "$url" ] || { echo "sandbox did not start" >&2; cat "$work/sandbox.log" >&2; exit 1; }

cat >"$work/meshgate.yaml" <<YAML
base_url: $url
shared_key: TestKey
ca_bundle: tls/ca-bundle.pem
mailboxes:
  - mailbox_id: X26ABC1
    password: password
    certificate: tls/X26ABC1.pem
    private_key: tls/X26ABC1.key
    private_key_passphrase: sandbox
  - mailbox_id: X26ABC2
    password: password
    certificate: tls/X26ABC2.pem
    private_key: tls/X26ABC2.key
    private_key_passphrase: sandbox
YAML
export MESHGATE_CONFIG="$work/meshgate.yaml"

echo "generating $size_mib MiB of random bytes..." >&2
head -c "$((size_mib * 1024 * 1024))" /dev/urandom >"$work/sent.bin"
expected="$(sha256sum "$work/sent.bin" | cut -d' ' -f1)"

now() { date +%s%N; }
report() { # name, start ns, end ns
  awk -v name="$1" -v s="$2" -v e="$3" -v mib="$size_mib" \
    'BEGIN { t = (e - s) / 1e9; printf "%-5s %6d MiB in %7.2f s = %7.1f MiB/s\n", name, mib, t, mib / t }'
}

start="$(now)"
# shellcheck disable=SC2086
message_id="$(MESHGATE_JAVA_OPTS="-Xmx$heap" "$meshgate" send --to X26ABC2 --workflow TEST_WORKFLOW ${SEND_OPTS:-} \
  "$work/sent.bin")"
sent="$(now)"
MESHGATE_JAVA_OPTS="-Xmx$heap" "$meshgate" get "$message_id" --mailbox X26ABC2 -o "$work/received.bin"
received="$(now)"

actual="$(sha256sum "$work/received.bin" | cut -d' ' -f1)"
echo
echo "MESH message $message_id, JVM heap -Xmx$heap, sandbox $url"
report send "$start" "$sent"
report get "$sent" "$received"
if [ "$actual" = "$expected" ]; then
  echo "sha256 identical: $actual"
else
  echo "sha256 DIFFERS: sent $expected, received $actual" >&2
  exit 1
fi
