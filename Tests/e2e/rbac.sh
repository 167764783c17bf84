#!/usr/bin/env bash
# End-to-end RBAC: the real kubectl against a fresh Palisade server, as the administrator
# and as two users whose client certificates are minted from the cluster CA — alice
# (groups devs) and bob (no groups). Covers the default roles (edit, view, admin,
# system:basic-user, public info), RoleBindings taking effect and being revoked at once,
# `auth can-i` / `can-i --list` / `whoami`, impersonation, and escalation prevention.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

e2e_init
cd "$REPO_ROOT" # the server's default --policies is relative: policies/rbac is loaded from here
start_server "$E2E_TMP/data" "$(free_port)"
echo "server on 127.0.0.1:$SERVER_PORT, data in $SERVER_DATA"
NS=team-a
CERTS="$E2E_TMP/certs"
mkdir -p "$CERTS"

# kubectl as one of the minted users (the administrator is plain `kc`, via KUBECONFIG).
as_alice() { kc --kubeconfig "$CERTS/alice.kubeconfig" "$@"; }
as_bob() { kc --kubeconfig "$CERTS/bob.kubeconfig" "$@"; }

# forbidden_msg VERB RESOURCE GROUP SCOPE USER — the Kubernetes RBAC denial text; SCOPE is a
# namespace or empty for the cluster scope.
forbidden_msg() {
    local where="at the cluster scope"
    [[ -z "$4" ]] || where="in the namespace \"$4\""
    echo "User \"$5\" cannot $1 resource \"$2\" in API group \"$3\" $where"
}

test_users_before_binding() {
    user_kubeconfig alice "/O=devs/CN=alice"
    user_kubeconfig bob "/CN=bob"

    run as_alice get pods -n "$NS"
    assert_fails "alice: get pods in $NS refused before any binding"
    assert_contains "$OUT" "Forbidden" "alice: unbound get pods is Forbidden"
    assert_contains "$OUT" "$(forbidden_msg list pods "" "$NS" alice)" \
        "alice: Forbidden message in the Kubernetes form"

    run as_alice version
    assert_ok "alice: kubectl version works (system:public-info-viewer)"
    assert_matches "$OUT" "^Server Version: v1\." "alice: version shows the server version"

    run as_alice auth whoami
    assert_ok "alice: auth whoami works (system:basic-user)"
    assert_matches "$OUT" "Username +alice$" "alice: whoami user alice"
    assert_matches "$OUT" "Groups +\[.*devs.*\]" "alice: whoami group devs"
    assert_matches "$OUT" "Groups +\[.*system:authenticated.*\]" "alice: whoami group system:authenticated"

    run as_bob auth whoami -o jsonpath='{.status.userInfo.username} {.status.userInfo.groups}'
    assert_eq "$OUT" 'bob ["system:authenticated"]' "bob: whoami user bob, only system:authenticated"
}

test_edit_binding() {
    run kc create ns "$NS"
    assert_ok "admin: create namespace $NS"
    run kc create rolebinding devs-edit --clusterrole=edit --group=devs -n "$NS"
    assert_contains "$OUT" "rolebinding.rbac.authorization.k8s.io/devs-edit created" \
        "admin: rolebinding devs-edit (edit to group devs)"

    # No sleep: the binding must take effect at once.
    run as_alice create deployment web --image=nginx -n "$NS"
    assert_ok "alice: create deployment in $NS (edit via group devs)"
    assert_contains "$OUT" "deployment.apps/web created" "alice: deployment web created"
    run as_alice get pods -n "$NS"
    assert_ok "alice: get pods in $NS"
    run as_alice create secret generic s --from-literal=a=b -n "$NS"
    assert_contains "$OUT" "secret/s created" "alice: create secret in $NS"

    run as_alice get pods -n default
    assert_fails "alice: get pods in default refused"
    assert_contains "$OUT" "$(forbidden_msg list pods "" default alice)" \
        "alice: the binding in $NS grants nothing in default"
    run as_alice create rolebinding self-view --clusterrole=view --user=alice -n "$NS"
    assert_fails "alice: create rolebinding refused (edit has no RBAC)"
    assert_contains "$OUT" "$(forbidden_msg create rolebindings rbac.authorization.k8s.io "$NS" alice)" \
        "alice: rolebinding denial names the resource and group"
    run as_alice get nodes
    assert_fails "alice: get nodes refused"
    assert_contains "$OUT" "$(forbidden_msg list nodes "" "" alice)" \
        "alice: nodes denial is at the cluster scope"

    run as_alice auth can-i create deployments -n "$NS"
    assert_eq "$OUT" "yes" "alice: can-i create deployments -n $NS is yes"
    run as_alice auth can-i delete namespaces
    # kubectl itself first warns (stderr) that namespaces are not namespace scoped.
    assert_eq "${OUT##*$'\n'}" "no" "alice: can-i delete namespaces is no"
    assert_eq "$RC" "1" "alice: can-i no exits 1"
    run as_alice auth can-i --list -n "$NS"
    assert_ok "alice: can-i --list -n $NS"
    assert_matches "$OUT" "^deployments\.apps +" "alice: can-i --list shows deployments.apps"
    assert_matches "$OUT" "^selfsubjectaccessreviews\.authorization\.k8s\.io +" \
        "alice: can-i --list shows the system:basic-user rules"
}

test_view_binding() {
    run kc create rolebinding bob-view --clusterrole=view --user=bob -n "$NS"
    assert_contains "$OUT" "rolebinding.rbac.authorization.k8s.io/bob-view created" \
        "admin: rolebinding bob-view (view to user bob)"

    run as_bob get deployments -n "$NS"
    assert_ok "bob: get deployments in $NS (view)"
    assert_matches "$OUT" "^web +" "bob: sees deployment web"
    run as_bob get secrets -n "$NS"
    assert_fails "bob: get secrets refused"
    assert_contains "$OUT" "$(forbidden_msg list secrets "" "$NS" bob)" "bob: view excludes secrets"
    run as_bob delete deployment web -n "$NS"
    assert_fails "bob: delete deployment refused"
    assert_contains "$OUT" "$(forbidden_msg delete deployments apps "$NS" bob)" "bob: view is read-only"
    run kc get deployment web -n "$NS" -o name
    assert_eq "$OUT" "deployment.apps/web" "admin: deployment web still there after bob's refused delete"
}

test_admin_can_i_as() {
    run kc auth can-i get secrets -n "$NS" --as bob
    assert_eq "$OUT" "no" "admin: can-i get secrets --as bob is no"
    run kc auth can-i get secrets -n "$NS" --as alice
    # As in Kubernetes, --as without --as-group impersonates alice with no groups but
    # system:authenticated (her certificate's O=devs is not looked up), and devs-edit binds
    # the group devs, not the user: no. test_escalation checks --as alice once a binding
    # names the user.
    assert_eq "$OUT" "no" "admin: can-i get secrets --as alice (no groups) is no"
    run kc auth can-i get secrets -n "$NS" --as alice --as-group devs
    assert_eq "$OUT" "yes" "admin: can-i get secrets --as alice --as-group devs is yes"
    run kc auth can-i get secrets -n "$NS" --as bob --as-group devs
    assert_eq "$OUT" "yes" "admin: can-i get secrets --as bob --as-group devs is yes"
}

test_impersonation_denied() {
    run as_bob get pods -n "$NS" --as alice
    assert_fails "bob: --as alice refused"
    assert_contains "$OUT" "Forbidden" "bob: impersonation is Forbidden"
    assert_contains "$OUT" "$(forbidden_msg impersonate users "" "" bob)" \
        "bob: cannot impersonate resource \"users\""
    run as_bob auth whoami --as alice
    assert_fails "bob: whoami --as alice refused too"
}

test_escalation() {
    run kc create rolebinding alice-admin --clusterrole=admin --user=alice -n "$NS"
    assert_contains "$OUT" "rolebinding.rbac.authorization.k8s.io/alice-admin created" \
        "admin: rolebinding alice-admin (admin to user alice)"
    run kc auth can-i get secrets -n "$NS" --as alice
    assert_eq "$OUT" "yes" "admin: can-i get secrets --as alice is yes once alice-admin names the user"

    run as_alice create role secret-reader --verb=get --resource=secrets -n "$NS"
    assert_ok "alice: create Role with secrets get (admin holds it)"
    assert_contains "$OUT" "role.rbac.authorization.k8s.io/secret-reader created" "alice: Role secret-reader created"
    run as_alice create role node-reader --verb=list --resource=nodes -n "$NS"
    assert_fails "alice: create Role with nodes list refused (admin does not hold it)"
    assert_contains "$OUT" "attempting to grant RBAC permissions not currently held" \
        "alice: Role escalation message"

    run as_alice create clusterrolebinding alice-root --clusterrole=cluster-admin --user=alice
    assert_fails "alice: create ClusterRoleBinding to cluster-admin refused"
    # kubectl wraps this one ("error: failed to create clusterrolebinding: ... is forbidden").
    assert_contains "$OUT" "is forbidden: $(forbidden_msg create clusterrolebindings rbac.authorization.k8s.io "" alice)" \
        "alice: ClusterRoleBinding refusal is forbidden"
    run kc get clusterrolebinding alice-root
    assert_contains "$OUT" "NotFound" "admin: ClusterRoleBinding alice-root was not stored"

    run as_alice create rolebinding alice-root --clusterrole=cluster-admin --user=alice -n "$NS"
    assert_fails "alice: create RoleBinding to cluster-admin in $NS refused"
    assert_contains "$OUT" "attempting to grant RBAC permissions not currently held" \
        "alice: RoleBinding escalation message"
    run kc get rolebinding alice-root -n "$NS"
    assert_contains "$OUT" "NotFound" "admin: RoleBinding alice-root was not stored"
}

test_revocation() {
    run kc delete rolebinding devs-edit alice-admin -n "$NS"
    assert_ok "admin: delete rolebindings devs-edit and alice-admin"
    # No sleep: revocation must take effect at once.
    run as_alice get pods -n "$NS"
    assert_fails "alice: get pods in $NS refused after revocation"
    assert_contains "$OUT" "$(forbidden_msg list pods "" "$NS" alice)" "alice: Forbidden again after revocation"
    run as_alice auth can-i create deployments -n "$NS"
    assert_eq "$OUT" "no" "alice: can-i create deployments -n $NS is no after revocation"
    run as_bob get deployments -n "$NS"
    assert_ok "bob: view in $NS untouched by the revocation"
}

test_users_before_binding
test_edit_binding
test_view_binding
test_admin_can_i_as
test_impersonation_denied
test_escalation
test_revocation
finish
