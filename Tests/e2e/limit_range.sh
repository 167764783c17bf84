#!/usr/bin/env bash
# End-to-end LimitRanger with the real kubectl: a LimitRange's defaults land on new pods,
# a pod over its bounds is refused with Kubernetes' message, and a contradictory
# LimitRange is refused naming the field.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

e2e_init
cd "$REPO_ROOT"
start_server "$E2E_TMP/data" "$(free_port)"
echo "server on 127.0.0.1:$SERVER_PORT, data in $SERVER_DATA"

kc create namespace shop >/dev/null
cat >"$E2E_TMP/limits.yaml" <<'YAML'
apiVersion: v1
kind: LimitRange
metadata: {name: limits, namespace: shop}
spec:
  limits:
  - type: Container
    default: {cpu: 500m, memory: 256Mi}
    defaultRequest: {cpu: 100m, memory: 128Mi}
    max: {memory: 1Gi}
YAML
run kc apply -f "$E2E_TMP/limits.yaml"
assert_ok "a LimitRange is created"

run kc run -n shop web --image=nginx:1.27 --restart=Never
assert_ok "a pod without resources is admitted"
run kc get pod -n shop web -o 'jsonpath={.spec.containers[0].resources.requests.cpu}/{.spec.containers[0].resources.limits.memory}'
assert_eq "$OUT" "100m/256Mi" "the LimitRange's defaults were stored on the pod"

run kc run -n shop big --image=nginx:1.27 --restart=Never --overrides='{"spec":{"containers":[{"name":"big","image":"nginx:1.27","resources":{"limits":{"memory":"2Gi"}}}]}}'
assert_fails "a pod over the maximum is refused"
assert_contains "$OUT" 'pods "big" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi' "the refusal is in Kubernetes' words"

sed -i 's/max: {memory: 1Gi}/max: {memory: 1Gi}\n    min: {memory: 2Gi}/' "$E2E_TMP/limits.yaml"
run kc apply -f "$E2E_TMP/limits.yaml"
assert_fails "a LimitRange whose minimum exceeds its maximum is refused"
assert_contains "$OUT" 'spec.limits[0].min[memory]: Invalid value: "2Gi": min value 2Gi is greater than max value 1Gi' "the refusal names the field"

finish
