#!/usr/bin/env bash
# Audit log: the writer's events/s in-process, then ConfigMap creates against two release-mode
# servers started here, one on the default audit policy and one whose policy records nothing,
# measured alternately. Usage: bench/audit.sh [palisade-bench audit options]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
start_server "$root/audited"
printf '%s\n' 'apiVersion: audit.k8s.io/v1' 'kind: Policy' 'rules:' '- level: None' > "$root/none.yaml"
start_server "$root/unaudited" --audit-policy-file "$root/none.yaml"
"$bin/palisade-bench" audit --kubeconfig "$root/audited/admin.kubeconfig" --unaudited-kubeconfig "$root/unaudited/admin.kubeconfig" "$@"
