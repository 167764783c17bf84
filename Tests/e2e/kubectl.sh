#!/usr/bin/env bash
# End-to-end: the real kubectl against a fresh Palisade server — the user flow of the
# README, generators (protobuf bodies), watch, errors, and the refusals of the mTLS
# gateway (no certificate, foreign CA, non-admin user, oversized body).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

e2e_init
cd "$REPO_ROOT"
start_server "$E2E_TMP/data" "$(free_port)"
echo "server on 127.0.0.1:$SERVER_PORT, data in $SERVER_DATA"
NS=demo

# jp RESOURCE... JSONPATH — one value out of `kubectl get -o jsonpath` (empty on error).
jp() {
    local path="${*: -1}"
    kc get "${@:1:$#-1}" -o "jsonpath=$path" 2>/dev/null || true
}

test_namespace_and_apply() {
    run kc create namespace "$NS"
    assert_ok "create namespace"
    assert_contains "$OUT" "namespace/$NS created" "create namespace prints created"

    run kc apply -f examples/web-deployment.yaml -n "$NS"
    assert_ok "first apply"
    assert_contains "$OUT" "deployment.apps/web created" "first apply creates"
    run kc apply -f examples/web-deployment.yaml -n "$NS"
    assert_ok "second apply"
    assert_contains "$OUT" "deployment.apps/web unchanged" "second apply is unchanged"

    run kc get deploy,pods,cm -n "$NS" -o wide
    assert_ok "get deploy,pods,cm -o wide"
    assert_matches "$OUT" "deployment.apps/web +0/2 .*busybox:1.36 +app=web" "wide table row of the deployment"

    run kc get ns "$NS" -o yaml
    assert_contains "$OUT" "phase: Active" "namespace is Active"
}

test_label_annotate() {
    run kc label ns "$NS" team=a
    assert_contains "$OUT" "namespace/$NS labeled" "label namespace"
    run kc annotate ns "$NS" note=x
    assert_contains "$OUT" "namespace/$NS annotated" "annotate namespace"
    assert_eq "$(jp ns "$NS" '{.metadata.labels.team}')" "a" "label team=a stored"
    assert_eq "$(jp ns "$NS" '{.metadata.annotations.note}')" "x" "annotation note=x stored"
}

test_patches() {
    local gen0 gen
    gen0="$(jp deploy web -n "$NS" '{.metadata.generation}')"

    run kc patch deploy web -n "$NS" --type merge -p '{"spec":{"replicas":3}}'
    assert_ok "merge patch"
    assert_eq "$(jp deploy web -n "$NS" '{.spec.replicas}')" "3" "merge patch sets replicas 3"

    run kc patch deploy web -n "$NS" --type json -p '[{"op":"replace","path":"/spec/replicas","value":2}]'
    assert_ok "json patch"
    assert_eq "$(jp deploy web -n "$NS" '{.spec.replicas}')" "2" "json patch sets replicas 2"

    run kc patch deploy web -n "$NS" -p '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"busybox:1.37"}]}}}}'
    assert_ok "strategic merge patch"
    assert_eq "$(jp deploy web -n "$NS" '{.spec.template.spec.containers[0].image}')" "busybox:1.37" \
        "strategic patch sets the image"
    assert_eq "$(jp deploy web -n "$NS" '{.spec.template.spec.containers[*].name}')" "web" \
        "strategic patch merges the container by name (still one container)"
    assert_eq "$(jp deploy web -n "$NS" '{.spec.template.spec.containers[0].ports[0].containerPort}')" "8080" \
        "strategic patch keeps the container port"
    assert_eq "$(jp deploy web -n "$NS" '{.spec.template.spec.containers[0].command}')" '["httpd","-f","-p","8080"]' \
        "strategic patch keeps the command"
    assert_eq "$(jp deploy web -n "$NS" '{.spec.replicas}')" "2" "replicas still 2 after all patches"
    gen="$(jp deploy web -n "$NS" '{.metadata.generation}')"
    assert_eq "$gen" "$((gen0 + 3))" "generation went up once per spec patch (from $gen0)"
}

test_watch() {
    local watch_out="$E2E_TMP/watch.out" pid
    timeout 30 kubectl get pods -n "$NS" -w --output-watch-events >"$watch_out" 2>&1 &
    pid=$!
    track_pid "$pid"
    sleep 1

    run kc run p1 --image=busybox -n "$NS"
    assert_contains "$OUT" "pod/p1 created" "kubectl run p1"
    if wait_until 15 grep -qE '^ADDED +p1 ' "$watch_out"; then
        pass "watch shows p1 ADDED"
    else
        fail "watch shows p1 ADDED"; show "$(cat "$watch_out")"
    fi

    run kc delete pod p1 -n "$NS"
    assert_contains "$OUT" 'pod "p1" deleted' "delete pod p1"
    if wait_until 15 grep -qE '^DELETED +p1 ' "$watch_out"; then
        pass "watch shows p1 DELETED"
    else
        fail "watch shows p1 DELETED"; show "$(cat "$watch_out")"
    fi
    if kill -0 "$pid" 2>/dev/null; then
        pass "watch stays open"
    else
        fail "watch stays open: kubectl get -w exited early"; show "$(cat "$watch_out")"
    fi
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true

    run kc get pod p1 -n "$NS"
    assert_contains "$OUT" "NotFound" "p1 is gone after delete"
}

test_generators() {
    run kc create secret generic db -n "$NS" --from-literal=user=admin --from-literal='pass=s3cr=t!'
    assert_contains "$OUT" "secret/db created" "create secret generic"
    # -v=8 shows the request headers: the generators send protobuf.
    run kc create configmap cfg -n "$NS" --from-literal=a=1 --from-literal=b=two -v=8
    assert_contains "$OUT" "configmap/cfg created" "create configmap"
    assert_matches "$OUT" "Content-Type: application/vnd.kubernetes.protobuf" "generator request body is protobuf"
    run kc create role pod-reader -n "$NS" --verb=get,list --resource=pods
    assert_contains "$OUT" "role.rbac.authorization.k8s.io/pod-reader created" "create role"
    run kc create rolebinding read-pods -n "$NS" --role=pod-reader --user=eve
    assert_contains "$OUT" "rolebinding.rbac.authorization.k8s.io/read-pods created" "create rolebinding"
    run kc create clusterrole node-reader --verb=get,list --resource=nodes
    assert_contains "$OUT" "clusterrole.rbac.authorization.k8s.io/node-reader created" "create clusterrole"
    run kc create clusterrolebinding read-nodes --clusterrole=node-reader --group=devs
    assert_contains "$OUT" "clusterrolebinding.rbac.authorization.k8s.io/read-nodes created" "create clusterrolebinding"
    run kc create serviceaccount robot -n "$NS"
    assert_contains "$OUT" "serviceaccount/robot created" "create serviceaccount"
    run kc create deployment web2 --image=nginx --replicas=2 -n "$NS"
    assert_contains "$OUT" "deployment.apps/web2 created" "create deployment web2"

    # Each one exists and holds what the generator sent.
    assert_eq "$(jp secret db -n "$NS" '{.data.pass}' | base64 -d)" 's3cr=t!' "secret data round-trips (pass)"
    assert_eq "$(jp secret db -n "$NS" '{.data.user}' | base64 -d)" 'admin' "secret data round-trips (user)"
    assert_eq "$(jp secret db -n "$NS" '{.type}')" "Opaque" "secret type Opaque"
    assert_eq "$(jp cm cfg -n "$NS" '{.data.a},{.data.b}')" "1,two" "configmap data"
    assert_eq "$(jp role pod-reader -n "$NS" '{.rules[0].verbs}')" '["get","list"]' "role rules"
    assert_eq "$(jp rolebinding read-pods -n "$NS" '{.roleRef.kind}/{.roleRef.name} {.subjects[0].kind}/{.subjects[0].name}')" \
        "Role/pod-reader User/eve" "rolebinding roleRef and subject"
    assert_eq "$(jp clusterrole node-reader '{.rules[0].resources}')" '["nodes"]' "clusterrole rules"
    assert_eq "$(jp clusterrolebinding read-nodes '{.roleRef.name} {.subjects[0].kind}/{.subjects[0].name}')" \
        "node-reader Group/devs" "clusterrolebinding roleRef and subject"
    assert_eq "$(jp sa robot -n "$NS" '{.metadata.name}')" "robot" "serviceaccount exists"
    assert_eq "$(jp deploy web2 -n "$NS" '{.spec.replicas} {.spec.template.spec.containers[0].image}')" \
        "2 nginx" "deployment web2 replicas and image"
    run kc get secret,cm,role,rolebinding,sa,deploy -n "$NS"
    assert_matches "$OUT" "configmap/cfg +2 " "tables list the generated objects"
}

test_auth() {
    run kc auth whoami
    assert_ok "auth whoami"
    assert_matches "$OUT" "Username +palisade-admin" "whoami user palisade-admin"
    assert_contains "$OUT" "system:masters" "whoami group system:masters"
    run kc auth can-i get pods
    assert_eq "$OUT" "yes" "auth can-i get pods"
}

test_errors() {
    run kc get pod nope -n "$NS"
    assert_fails "get missing pod fails"
    assert_contains "$OUT" "(NotFound)" "missing pod is NotFound"

    run kc create configmap dup -n "$NS" --from-literal=k=v
    assert_ok "create configmap dup"
    run kc create configmap dup -n "$NS" --from-literal=k=v
    assert_fails "creating configmap dup again fails"
    assert_contains "$OUT" 'configmaps "dup" already exists' "generator reports already exists"
    kc get cm dup -n "$NS" -o yaml >"$E2E_TMP/dup.yaml"
    run kc create -f "$E2E_TMP/dup.yaml"
    assert_fails "create -f of an existing configmap fails"
    assert_contains "$OUT" "(AlreadyExists)" "existing configmap is AlreadyExists"

    cat >"$E2E_TMP/bad-pod.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: bad
spec:
  containers: []
YAML
    run kc create -f "$E2E_TMP/bad-pod.yaml" -n "$NS"
    assert_fails "pod without containers is refused"
    assert_contains "$OUT" 'The Pod "bad" is invalid' "invalid pod: 'is invalid'"
    assert_contains "$OUT" "spec.containers" "invalid pod names spec.containers"
    # kubectl prints "<field>: <cause message>"; as in Kubernetes the cause message must not
    # repeat the field, or kubectl shows it twice.
    assert_not_contains "$OUT" "spec.containers: spec.containers" "invalid pod names the field once"

    cat >"$E2E_TMP/unknown-field.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: strict
data:
  a: "1"
bogusField: 1
YAML
    run kc create -f "$E2E_TMP/unknown-field.yaml" -n "$NS"
    assert_fails "unknown field refused under strict validation"
    assert_contains "$OUT" 'unknown field "bogusField"' "strict validation names the unknown field"
    run kc get cm strict -n "$NS"
    assert_contains "$OUT" "NotFound" "refused object was not stored"

    run kc scale deploy web --replicas=5 -n "$NS"
    assert_contains "$OUT" "deployment.apps/web scaled" "kubectl scale"
    assert_eq "$(jp deploy web -n "$NS" '{.spec.replicas}')" "5" "scale sets replicas 5"
}

ns_gone() {
    [[ "$(kc get ns "$NS" 2>&1)" == *NotFound* ]]
}

test_delete_namespace() {
    run kc delete ns "$NS"
    assert_ok "delete namespace"
    assert_contains "$OUT" "namespace \"$NS\" deleted" "delete namespace prints deleted"
    wait_until 30 ns_gone || true
    run kc get ns "$NS"
    assert_contains "$OUT" "NotFound" "namespace is NotFound after delete"
    run kc get deploy,cm,secret,sa,role,rolebinding,pods -n "$NS"
    assert_contains "$OUT" "No resources found" "nothing left in the deleted namespace"
    assert_not_contains "$OUT" "web" "deployments went with the namespace"
    run kc get clusterrole node-reader
    assert_ok "cluster-scoped objects survive the namespace delete"
}

test_tls_refusals() {
    local url ca="$SERVER_DATA/pki/ca.crt" certs="$E2E_TMP/certs"
    url="$(api_url /version)"
    mkdir -p "$certs"

    # Control: the administrator's certificate works, so the refusals below are real.
    run admin_curl "$url"
    assert_contains "$OUT" '"minor":"32"' "admin certificate is accepted (control)"

    run curl -sS --max-time 10 --cacert "$ca" "$url"
    assert_rc_in "35 56" "no client certificate: refused in the TLS handshake"

    new_ca "$certs" other-ca
    issue_client_cert "$certs/other-ca.crt" "$certs/other-ca.key" "/O=system:masters/CN=palisade-admin" "$certs/mallory"
    run curl -sS --max-time 10 --cacert "$ca" --cert "$certs/mallory.crt" --key "$certs/mallory.key" "$url"
    assert_rc_in "35 56" "certificate from a foreign CA: refused in the TLS handshake"

    issue_client_cert "$ca" "$SERVER_DATA/pki/ca.key" "/CN=eve" "$certs/eve"
    run curl -sS --max-time 10 --cacert "$ca" --cert "$certs/eve.crt" --key "$certs/eve.key" \
        -w '\nHTTP %{http_code}' "$(api_url /api/v1/namespaces/default/pods)"
    assert_ok "eve (right CA, not system:masters) completes the handshake"
    assert_contains "$OUT" "HTTP 403" "eve gets 403"
    assert_contains "$OUT" '"kind":"Status"' "403 body is a Status"
    assert_contains "$OUT" '"reason":"Forbidden"' "403 Status reason Forbidden"
    assert_contains "$OUT" 'User \"eve\"' "403 message names the user"

    # The same through kubectl, with a kubeconfig for eve.
    local kcfg="$certs/eve.kubeconfig"
    kubectl config --kubeconfig "$kcfg" set-cluster palisade --server="https://127.0.0.1:$SERVER_PORT" \
        --certificate-authority="$ca" --embed-certs >/dev/null
    kubectl config --kubeconfig "$kcfg" set-credentials eve --client-certificate="$certs/eve.crt" \
        --client-key="$certs/eve.key" --embed-certs >/dev/null
    kubectl config --kubeconfig "$kcfg" set-context eve --cluster=palisade --user=eve >/dev/null
    kubectl config --kubeconfig "$kcfg" use-context eve >/dev/null
    run kc --kubeconfig "$kcfg" get pods -n default
    assert_fails "kubectl as eve is refused"
    assert_contains "$OUT" "Forbidden" "kubectl as eve sees Forbidden"
}

test_body_limit() {
    local big="$E2E_TMP/big.json" small="$E2E_TMP/small.json"
    python3 - "$big" "$small" <<'PY'
import json, sys
def cm(name, size):
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"x": "a" * size}}
json.dump(cm("big", 3 * 1024 * 1024 + 1024), open(sys.argv[1], "w"))
json.dump(cm("small", 1024), open(sys.argv[2], "w"))
PY
    local url
    url="$(api_url /api/v1/namespaces/default/configmaps)"
    run admin_curl -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary "@$small" "$url"
    assert_eq "$OUT" "201" "small body is accepted (control)"
    run admin_curl -w '\nHTTP %{http_code}' -H 'Content-Type: application/json' --data-binary "@$big" "$url"
    assert_contains "$OUT" "HTTP 413" "body over 3 MiB gets 413"
    assert_contains "$OUT" '"reason":"RequestEntityTooLarge"' "413 body is a Status"
    run admin_curl -w '\nHTTP %{http_code}' -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' \
        --data-binary "@$big" "$url"
    assert_contains "$OUT" "HTTP 413" "chunked body over 3 MiB gets 413"
    run kc get cm big -n default
    assert_contains "$OUT" "NotFound" "oversized configmap was not stored"
}

test_namespace_and_apply
test_label_annotate
test_patches
test_watch
test_generators
test_auth
test_errors
test_delete_namespace
test_tls_refusals
test_body_limit
# Last: Ctrl-C / SIGTERM must stop the server even after watches (test_watch) were open.
assert_graceful_stop "server exits on SIGTERM after a watch"
finish
