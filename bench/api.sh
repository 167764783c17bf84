#!/usr/bin/env bash
# GET, LIST and create through the gateway beside the raw store, against a release-mode
# server started here. Usage: bench/api.sh [palisade-bench api options]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
data="$root/data"
start_server "$data"
"$bin/palisade-bench" api --kubeconfig "$data/admin.kubeconfig" "$@"
