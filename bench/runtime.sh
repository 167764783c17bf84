#!/usr/bin/env bash
# Container runtime: create + start + exit of /bin/true in a busybox image built here with
# umoci (Tests/e2e/fixtures/busybox-image.sh), Palisade's runtime beside `runc run` of the
# same root filesystem, alternately in the same run. Then pods through the API: a server and
# one node agent started here, busybox pods timed from create to Running.
# Needs root, busybox-static, umoci, runc.
# Usage: bench/runtime.sh [palisade-bench runtime options, e.g. --runs 200]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
[ "$(id -u)" = 0 ] || { echo "bench/runtime.sh runs containers: run it as root" >&2; exit 1; }
Tests/e2e/fixtures/busybox-image.sh "$root/busybox" > /dev/null
"$bin/palisade-bench" runtime --image "$root/busybox" "$@"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
bootstrap=$(free_port)
start_server "$root/cluster" --bootstrap-listen "127.0.0.1:$bootstrap"
server=$(sed -n 's/.*API server ready at \(https:[^;]*\);.*/\1/p' "$root/cluster.log")
"$bin/palisade" image import "$root/busybox" --store "$root/images" > /dev/null
token=$(KUBECONFIG="$root/cluster/admin.kubeconfig" "$bin/kauth" token create | tail -1)
PALISADE_BOOTSTRAP_TOKEN=$token "$bin/palisade" agent --server "$server" --bootstrap-server "https://127.0.0.1:$bootstrap" \
  --certificate-authority "$root/cluster/pki/ca.crt" --name bench-node --data-dir "$root/agent" --images "$root/images" \
  --port "$(free_port)" > "$root/agent.log" 2>&1 &
servers=("$!" "${servers[@]}")
for _ in $(seq 1 100); do
  KUBECONFIG="$root/cluster/admin.kubeconfig" kubectl get node bench-node 2>/dev/null | grep -q ' Ready' && break
  sleep 0.2
done
"$bin/palisade-bench" pod-startup --kubeconfig "$root/cluster/admin.kubeconfig"
