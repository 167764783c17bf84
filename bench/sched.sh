#!/usr/bin/env bash
# Scheduler: a release-mode server (its scheduler and controllers inside), hollow nodes
# registered by palisade-bench, pods created and timed until bound, the baseline (the same
# pods with no scheduler) measured in the same run, then a Deployment brought to Running.
# Usage: bench/sched.sh [palisade-bench sched options, e.g. --nodes 5000 --pods 10000]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
start_server "$root/sched"
"$bin/palisade-bench" sched --kubeconfig "$root/sched/admin.kubeconfig" "$@"
