#!/usr/bin/env bash
# Encryption at rest: cipher rates in-process, then Secret creates against two release-mode
# servers started here, one encrypting (the default secretbox configuration) and one with
# identity, measured alternately. Usage: bench/secrets.sh [palisade-bench secrets options]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
start_server "$root/encrypted"
printf '%s\n' 'apiVersion: apiserver.config.k8s.io/v1' 'kind: EncryptionConfiguration' 'resources:' \
  '- resources: [secrets]' '  providers: [{identity: {}}]' > "$root/identity.yaml"
chmod 600 "$root/identity.yaml"
start_server "$root/identity" --encryption-config "$root/identity.yaml"
"$bin/palisade-bench" secrets --kubeconfig "$root/encrypted/admin.kubeconfig" --identity-kubeconfig "$root/identity/admin.kubeconfig" "$@"
