#!/usr/bin/env bash
# Starts a release-mode server on a scratch data directory and runs `palisade-bench api`
# against it. Usage: bench/api.sh [palisade-bench api options]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/release
data=$(mktemp -d /tmp/palisade-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin/palisade" server --data-dir "$data" --listen "127.0.0.1:$port" > "$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  grep -q "ready at" "$data/server.log" 2>/dev/null && break
  sleep 0.1
done
grep -q "ready at" "$data/server.log" || { cat "$data/server.log"; exit 1; }
"$bin/palisade-bench" api --kubeconfig "$data/admin.kubeconfig" "$@"
