#!/usr/bin/env bash
# Pod Security evaluations per second on one core, and the admission chain's cost on a Pod
# create (in-process registry over SQLite, with and without the chain, alternately).
# Usage: bench/admission.sh [palisade-bench admission options]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
"$bin/palisade-bench" admission "$@"
