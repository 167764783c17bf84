#!/usr/bin/env bash
# Container runtime: create + start + exit of /bin/true in a busybox image built here with
# umoci (Tests/e2e/fixtures/busybox-image.sh), Palisade's runtime beside `runc run` of the
# same root filesystem, alternately in the same run. Needs root, busybox-static, umoci, runc.
# Usage: bench/runtime.sh [palisade-bench runtime options, e.g. --runs 200]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
[ "$(id -u)" = 0 ] || { echo "bench/runtime.sh runs containers: run it as root" >&2; exit 1; }
Tests/e2e/fixtures/busybox-image.sh "$root/busybox" > /dev/null
"$bin/palisade-bench" runtime --image "$root/busybox" "$@"
