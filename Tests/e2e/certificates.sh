#!/usr/bin/env bash
# End-to-end client-certificate signing with the real kubectl: a key and request made with
# openssl, a CertificateSigningRequest for kubernetes.io/kube-apiserver-client, `kubectl
# certificate approve`, the certificate the server signs, that certificate in use, and its
# revocation (refused at the handshake, also after a restart).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

e2e_init
cd "$REPO_ROOT"
start_server "$E2E_TMP/data" "$(free_port)"
WORK="$E2E_TMP/csr"
mkdir -p "$WORK"

# csr_manifest NAME SUBJECT [EXPIRATION_SECONDS] — a key in $WORK/NAME.key and the CSR object.
csr_manifest() {
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "$2" \
        -keyout "$WORK/$1.key" -out "$WORK/$1.csr" 2>/dev/null
    cat <<YAML
apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata:
  name: $1
spec:
  request: $(base64 -w0 <"$WORK/$1.csr")
  signerName: kubernetes.io/kube-apiserver-client
  usages: [client auth]
${3:+  expirationSeconds: $3}
YAML
}

test_sign_and_use() {
    csr_manifest alice "/O=dev/CN=alice" 3600 >"$WORK/alice.yaml"
    kc apply -f "$WORK/alice.yaml" >/dev/null
    run kc get csr alice
    assert_contains "$OUT" "Pending" "a new request is Pending"
    run kc certificate approve alice
    assert_contains "$OUT" "approved" "kubectl certificate approve works"
    signed() { [[ -n "$(kc get csr alice -o jsonpath='{.status.certificate}')" ]]; }
    wait_until 10 signed || true
    kc get csr alice -o jsonpath='{.status.certificate}' | base64 -d >"$WORK/alice.crt"
    run openssl x509 -in "$WORK/alice.crt" -noout -subject -nameopt compat -ext extendedKeyUsage
    assert_contains "$OUT" "CN=alice" "the certificate names the user"
    assert_contains "$OUT" "O=dev" "and the group"
    assert_contains "$OUT" "TLS Web Client Authentication" "for client authentication only"
    local left
    left=$(( $(date -d "$(openssl x509 -in "$WORK/alice.crt" -noout -enddate | cut -d= -f2)" +%s) - $(date +%s) ))
    # (certificate times have whole seconds; allow for rounding)
    assert_eq "$(( left <= 3601 && left > 3000 ))" "1" "valid for the requested hour"
    local kcfg="$WORK/alice.kubeconfig"
    write_kubeconfig "$kcfg" alice "$WORK/alice.crt" "$WORK/alice.key"
    run kc --kubeconfig "$kcfg" auth whoami
    assert_contains "$OUT" "alice" "the signed certificate authenticates as alice"
}

test_deny_and_bad_requests() {
    csr_manifest eve "/CN=eve" >"$WORK/eve.yaml"
    kc apply -f "$WORK/eve.yaml" >/dev/null
    run kc certificate deny eve
    assert_contains "$OUT" "denied" "kubectl certificate deny works"
    sleep 1
    assert_eq "$(kc get csr eve -o jsonpath='{.status.certificate}')" "" "a denied request gets no certificate"
    # kubectl will not try; the API must refuse too.
    kc get csr eve -o json | python3 -c 'import json,sys; c=json.load(sys.stdin); c["status"]["conditions"].append({"type":"Approved","status":"True"}); print(json.dumps(c))' >"$WORK/eve-approved.json"
    run kc replace --raw /apis/certificates.k8s.io/v1/certificatesigningrequests/eve/approval -f "$WORK/eve-approved.json"
    assert_contains "$OUT" "mutually exclusive" "the server refuses to approve a denied request"
    csr_manifest short "/CN=short" 60 >"$WORK/short.yaml"
    run kc apply -f "$WORK/short.yaml"
    assert_contains "$OUT" "spec.expirationSeconds" "less than ten minutes is refused with the field"
}

test_revocation_survives_a_restart() {
    local kcfg="$WORK/alice.kubeconfig"
    run admin_curl -X POST -H 'Content-Type: application/json' -d '{"user":"alice"}' "$(api_url /palisade/v1/certificates/revoke)"
    assert_contains "$OUT" '"revoked":["' "the revoke endpoint revokes alice's certificate"
    run kc --kubeconfig "$kcfg" auth whoami
    assert_eq "$RC" "1" "alice's next call fails"
    assert_not_contains "$OUT" "Forbidden" "at the handshake, not at authorization"
    run kc get --raw /palisade/v1/certificates
    assert_contains "$OUT" '"revoked":true' "the certificate is listed as revoked"
    stop_server
    start_server "$SERVER_DATA" "$SERVER_PORT"
    run kc --kubeconfig "$kcfg" auth whoami
    assert_eq "$RC" "1" "and still after a restart"
}

test_sign_and_use
test_deny_and_bad_requests
test_revocation_survives_a_restart
finish
