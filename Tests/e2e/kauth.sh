#!/usr/bin/env bash
# End-to-end kauth against the real server and kubectl: users with certificates and
# kubeconfigs, roles and bindings, the questions (can-i, who-can, access, risky),
# revocation at the handshake (also after a restart), an expired certificate, tenants and
# their guard rails, the filtered namespace list, bootstrap tokens (a node joining through
# the bootstrap listener with curl and openssl), and bad input answered in one line.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

e2e_init
cd "$REPO_ROOT"
KAUTH="${KAUTH_BIN:-$REPO_ROOT/.build/debug/kauth}"
BOOTSTRAP_PORT="$(free_port)"
start_server "$E2E_TMP/data" "$(free_port)" --bootstrap-listen "127.0.0.1:$BOOTSTRAP_PORT"
W="$E2E_TMP/kauth"
mkdir -p "$W"

ka() { timeout "$E2E_CALL_TIMEOUT" "$KAUTH" "$@"; }
as() { local user="$1"; shift; kc --kubeconfig "$W/$user.kubeconfig" "$@"; }

test_users() {
    kc create namespace team-a >/dev/null
    kc create namespace team-b >/dev/null
    run ka user add alice --group dev --out "$W/alice.kubeconfig"
    assert_ok "kauth user add alice"
    assert_eq "$(stat -c %a "$W/alice.kubeconfig")" "600" "her kubeconfig is written with mode 0600"
    run as alice auth whoami
    assert_contains "$OUT" "dev" "the kubeconfig authenticates alice in group dev"
    run ka user list
    assert_matches "$OUT" "^alice +dev +[0-9a-f]+ .* valid" "user list shows alice, her group, serial and validity"
    run ka user add alice --out "$W/alice2.kubeconfig"
    assert_contains "$OUT" 'user "alice" exists' "adding her twice is refused"
}

# curl to the bootstrap listener: server certificate checked, no client certificate, a bearer token.
bootstrap_curl() {
    local token="$1"
    shift
    curl --silent --show-error --max-time "$E2E_CALL_TIMEOUT" --cacert "$SERVER_DATA/pki/ca.crt" \
        -H "Authorization: Bearer $token" "$@"
}

test_tokens() {
    run ka token create --ttl 1h --description "rack 1"
    assert_matches "$OUT" '^[a-z0-9]{6}\.[a-z0-9]{16}$' "kauth token create prints <id>.<secret> alone"
    local token="$OUT" id="${OUT%%.*}" secret="${OUT#*.}"
    run ka token list
    assert_matches "$OUT" "^$id +[0-9T:-]+Z +rack 1" "token list shows its id, expiry and description"
    assert_not_contains "$OUT" "$secret" "but not its secret"
    run ka token list -o json
    assert_contains "$OUT" "\"id\":\"$id\"" "token list -o json names the id"
    assert_not_contains "$OUT" "$secret" "and leaves the secret out too"
    run kc get secret "bootstrap-token-$id" -n kube-system -o jsonpath='{.type}'
    assert_eq "$OUT" "bootstrap.kubernetes.io/token" "the token is a Kubernetes bootstrap token Secret"

    # A node joins: its CSR, sent with the token, is approved and signed by the server.
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$W/node.key" \
        -subj "/O=system:nodes/CN=system:node:e2e-node" -out "$W/node.csr" 2>/dev/null
    printf '{"apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest","metadata":{"name":"node-csr-e2e"},"spec":{"request":"%s","signerName":"kubernetes.io/kube-apiserver-client-kubelet","usages":["digital signature","key encipherment","client auth"]}}' \
        "$(base64 -w0 "$W/node.csr")" >"$W/csr.json"
    local bootstrap="https://127.0.0.1:$BOOTSTRAP_PORT"
    run bootstrap_curl "$token" -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
        --data @"$W/csr.json" "$bootstrap/apis/certificates.k8s.io/v1/certificatesigningrequests"
    assert_eq "$OUT" "201" "the token creates a CertificateSigningRequest on the bootstrap listener"
    issued() { [[ -n "$(kc get csr node-csr-e2e -o jsonpath='{.status.certificate}' 2>/dev/null)" ]]; }
    wait_until 15 issued && pass "the node's request is signed" || fail "no certificate for node-csr-e2e"
    run kc get csr node-csr-e2e -o jsonpath='{.status.conditions[0].reason}'
    assert_eq "$OUT" "AutoApproved" "after automatic approval"
    kc get csr node-csr-e2e -o jsonpath='{.status.certificate}' | base64 -d >"$W/node.crt"
    node_curl() { curl --silent --show-error --max-time "$E2E_CALL_TIMEOUT" --cacert "$SERVER_DATA/pki/ca.crt" --cert "$W/node.crt" --key "$W/node.key" "$@"; }
    run node_curl -o /dev/null -w '%{http_code}' "$(api_url /api/v1/nodes)"
    assert_eq "$OUT" "200" "the certificate authenticates a node on the API server (nodes may read Nodes)"
    run node_curl "$(api_url /api/v1/namespaces/default/secrets)"
    assert_contains "$OUT" 'User \"system:node:e2e-node\"' "as system:node:e2e-node, limited by the Node authorizer"
    run bootstrap_curl "$token" -o /dev/null -w '%{http_code}' "$bootstrap/api/v1/namespaces/kube-system/secrets"
    assert_eq "$OUT" "404" "the token reads nothing but certificate requests"
    run bootstrap_curl "$id.0123456789abcdef" -o /dev/null -w '%{http_code}' "$bootstrap/apis/certificates.k8s.io/v1/certificatesigningrequests"
    assert_eq "$OUT" "401" "a wrong secret is refused"
    if grep -qF "$secret" "$SERVER_DATA/audit/audit.log" "$SERVER_LOG"; then
        fail "the token's secret was written to the audit log or the server log"
    else
        pass "the secret is in neither the audit log nor the server log"
    fi

    run ka token delete "$id"
    assert_contains "$OUT" "bootstrap token \"$id\" deleted" "kauth token delete"
    run bootstrap_curl "$token" -o /dev/null -w '%{http_code}' "$bootstrap/apis/certificates.k8s.io/v1/certificatesigningrequests"
    assert_eq "$OUT" "401" "a deleted token is refused at once"
    run ka token delete "$id"
    assert_contains "$OUT" "bootstrap token \"$id\" not found" "deleting it again names it"
    assert_eq "$RC" "1" "with exit code 1"
    run ka token create --group admins
    assert_contains "$OUT" "system:bootstrappers:<name>" "an extra group outside system:bootstrappers: is refused"
    run ka token delete NOT-AN-ID
    assert_contains "$OUT" 'invalid token id "NOT-AN-ID"' "a malformed id is refused"
    run ka token create --ttl forever
    assert_contains "$OUT" 'invalid --ttl "forever"' "a malformed ttl is named"
}

test_roles_and_questions() {
    run ka bind edit --user alice -n team-a
    assert_ok "kauth bind edit --user alice -n team-a"
    run as alice create configmap app -n team-a
    assert_ok "alice creates a ConfigMap in team-a"
    run as alice create configmap app -n team-b
    assert_contains "$OUT" 'User "alice" cannot create resource "configmaps"' "and is refused in team-b"
    run as alice get nodes
    assert_contains "$OUT" "Forbidden" "and on nodes"
    run ka who-can create configmaps -n team-a
    assert_matches "$OUT" "User/alice +team-a +RoleBinding/team-a/kauth:edit:user:alice → ClusterRole/edit" "who-can lists alice with the path"
    run ka can-i create configmaps -n team-a --as alice --as-group dev
    assert_contains "$OUT" "yes" "can-i says yes in team-a"
    run ka can-i create configmaps -n team-b --as alice
    assert_eq "$RC" "1" "and no (exit 1) in team-b"
    run ka access alice
    assert_matches "$OUT" "team-a +.*create.*configmaps" "access shows what alice may do in team-a"
    run ka user show alice
    assert_contains "$OUT" "kauth:edit:user:alice" "user show lists her binding"

    ka user add bob --out "$W/bob.kubeconfig" >/dev/null
    run ka role create role-admin --verb escalate,bind --resource roles,clusterroles --cluster
    assert_ok "kauth role create with --cluster"
    run ka bind role-admin --user bob --cluster
    assert_ok "bound to bob cluster-wide"
    run ka risky
    assert_matches "$OUT" "escalate roles +User/bob +\* +ClusterRoleBinding/kauth:role-admin:user:bob → ClusterRole/role-admin" "risky lists the binding that grants escalate"
    assert_matches "$OUT" "exec/attach in pods +User/alice +team-a" "and alice's exec through edit"
    run ka role show role-admin --cluster
    assert_contains "$OUT" "User/bob" "role show lists who holds it"
    run ka unbind role-admin --user bob --cluster
    assert_ok "kauth unbind"
    run ka risky
    assert_not_contains "$OUT" "User/bob" "risky no longer lists bob"
    run ka role delete role-admin --cluster
    assert_ok "kauth role delete"
    run ka role create cm-reader --verb get,list --resource configmaps -n team-b
    run ka role list -n team-b
    assert_matches "$OUT" "Role +team-b +cm-reader +1" "role list shows the new Role"
    run ka role list -n team-b -o yaml
    assert_contains "$OUT" "name: cm-reader" "and as YAML"
}

test_revocation() {
    run ka user revoke alice
    assert_contains "$OUT" "revoked 1 certificate" "kauth user revoke alice"
    run as alice get configmaps -n team-a
    assert_eq "$RC" "1" "her next kubectl call fails"
    assert_not_contains "$OUT" "Forbidden" "at the TLS handshake, not at authorization"
    stop_server
    start_server "$SERVER_DATA" "$SERVER_PORT"
    run as alice get configmaps -n team-a
    assert_eq "$RC" "1" "and still after a server restart"
    run ka user list -o json
    assert_contains "$OUT" '"revoked":true' "the list shows the certificate revoked"

    cp "$W/bob.kubeconfig" "$W/bob-old.kubeconfig"
    run ka user rotate bob --out "$W/bob.kubeconfig"
    assert_contains "$OUT" "rotated" "kauth user rotate bob"
    run as bob auth whoami
    assert_contains "$OUT" "bob" "the new certificate works"
    run kc --kubeconfig "$W/bob-old.kubeconfig" auth whoami
    assert_eq "$RC" "1" "the old one is revoked"
}

# An expired certificate from the cluster's own CA: refused like a revoked one.
test_expired_certificate() {
    local dir="$W/expired"
    mkdir -p "$dir"
    : >"$dir/index.txt"
    printf '1000\n' >"$dir/serial"
    cat >"$dir/ca.cnf" <<CNF
[ca]
default_ca = local
[local]
database = $dir/index.txt
new_certs_dir = $dir
serial = $dir/serial
default_md = sha256
policy = anything
[anything]
commonName = supplied
organizationName = optional
[client]
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
CNF
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/O=system:masters/CN=old-admin" \
        -keyout "$dir/old.key" -out "$dir/old.csr" 2>/dev/null
    openssl ca -batch -config "$dir/ca.cnf" -extensions client -cert "$SERVER_DATA/pki/ca.crt" -keyfile "$SERVER_DATA/pki/ca.key" \
        -startdate 20240101000000Z -enddate 20240102000000Z -notext -in "$dir/old.csr" -out "$dir/old.crt" 2>/dev/null
    write_kubeconfig "$dir/old.kubeconfig" old "$dir/old.crt" "$dir/old.key"
    run kc --kubeconfig "$dir/old.kubeconfig" get ns
    assert_eq "$RC" "1" "an expired certificate of the cluster CA (even for system:masters) is refused"
    assert_not_contains "$OUT" "kube-system" "and reads nothing"
}

test_tenants() {
    ka user add owner1 --out "$W/owner1.kubeconfig" >/dev/null
    ka user add owner2 --out "$W/owner2.kubeconfig" >/dev/null
    run ka tenant create tenant-a --owner owner1 --quota cpu=2,pods=10
    assert_ok "kauth tenant create tenant-a"
    run ka tenant create tenant-b --owner owner2
    assert_ok "kauth tenant create tenant-b"
    run kc get ns tenant-a --show-labels
    assert_contains "$OUT" "pod-security.kubernetes.io/enforce=restricted" "the tenant namespace enforces restricted"
    run ka tenant show tenant-a
    assert_matches "$OUT" "tenant-quota +pods +0 +10" "tenant show reports the quota with the override"
    assert_contains "$OUT" "deny-from-other-namespaces" "and the network policy"
    run ka tenant list
    assert_matches "$OUT" "tenant-a +owner1 +restricted" "tenant list shows owner and level"

    run as owner2 create secret generic token -n tenant-b --from-literal=k=v
    assert_ok "owner2 creates a Secret in their tenant"
    run as owner1 create configmap app -n tenant-a
    assert_ok "owner1 works inside tenant-a"
    run as owner1 get secret token -n tenant-b
    assert_contains "$OUT" "Forbidden" "owner1 cannot read the other tenant's Secret"
    run as owner1 label ns tenant-a pod-security.kubernetes.io/enforce=privileged --overwrite
    assert_contains "$OUT" "Forbidden" "nor relabel their namespace privileged"
    run as owner1 delete networkpolicy deny-from-other-namespaces -n tenant-a
    assert_contains "$OUT" "may be changed only by cluster administrators" "nor delete the tenant's network policy"
    run as owner1 get clusterroles
    assert_contains "$OUT" "Forbidden" "nor read cluster roles"
    run as owner1 get ns -o name
    assert_eq "$OUT" "namespace/tenant-a" "kubectl get ns as the owner lists only the tenant"

    # A template whose LimitRange the server refuses: nothing of the tenant remains.
    sed 's/cpu: "2"$/cpu: 10m/' policies/tenant.yaml >"$W/broken-tenant.yaml"
    run ka tenant create tenant-c --owner owner1 --template "$W/broken-tenant.yaml"
    assert_contains "$OUT" "rolled back" "a refused object fails the tenant creation"
    gone() { ! kc get ns tenant-c >/dev/null 2>&1; }
    wait_until 15 gone && pass "and its namespace is removed again" || fail "tenant-c still exists after the rollback"

    run ka tenant delete tenant-b
    assert_ok "kauth tenant delete"
}

test_bad_input() {
    run ka user add Bad_Name
    assert_eq "$RC" "1" "an invalid user name exits 1"
    assert_contains "$OUT" 'invalid user name "Bad_Name"' "naming it"
    assert_eq "$(printf '%s\n' "$OUT" | wc -l)" "1" "in one line"
    [[ ! -e Bad_Name.kubeconfig ]] && pass "and nothing is written" || fail "a kubeconfig was left behind"
    run ka bind edit --user nobody -n team-a
    assert_contains "$OUT" 'user "nobody" not found' "an unknown user is named"
    run ka bind no-such-role --user bob -n team-a
    assert_contains "$OUT" 'role "no-such-role" not found' "an unknown role is named"
    run ka role create r --verb get --resource pods -n no-such-ns
    assert_contains "$OUT" 'namespace "no-such-ns" not found' "an unknown namespace is named"
    assert_eq "$RC" "1" "with exit code 1"
    run ka tenant create Tenant --owner owner1
    assert_contains "$OUT" 'invalid tenant name "Tenant"' "an invalid tenant name is refused"
    run ka user add carol --out /proc/carol.kubeconfig
    assert_eq "$RC" "1" "a kubeconfig that cannot be written fails user add"
    run ka user list
    assert_matches "$OUT" "^carol .* revoked" "and the certificate issued for it is revoked at once"
}

test_users
test_tokens
test_roles_and_questions
test_revocation
test_expired_certificate
test_tenants
test_bad_input
finish
