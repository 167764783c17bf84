#!/usr/bin/env bash
# RBAC decisions per second in-process, then GET as an RBAC user beside GET as
# system:masters against a release-mode server started here. Usage: bench/rbac.sh [options]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
data="$root/data"
start_server "$data"
"$bin/palisade-bench" rbac --data-dir "$data" "$@"
