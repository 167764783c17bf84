# Shared helpers for the end-to-end tests in Tests/e2e/. Source it; do not run it.
#
#   source "$(dirname "$0")/lib.sh"
#   e2e_init                      # temp dir, isolated HOME, cleanup trap
#   start_server "$E2E_TMP/data" "$(free_port)"
#   kc get ns                     # kubectl against that server
#   assert_contains "$OUT" "text" "what is being checked"
#   finish                        # prints "N passed, M failed", returns non-zero on failures
#
# Everything runs on loopback; every wait is bounded; whatever was started is stopped
# on exit, success or not.

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$E2E_DIR/../.." && pwd)"
PALISADE_BIN="${PALISADE_BIN:-$REPO_ROOT/.build/debug/palisade}"
# Seconds one kubectl or curl call may take before it is counted as hung.
E2E_CALL_TIMEOUT="${E2E_CALL_TIMEOUT:-60}"

E2E_PASSED=0
E2E_FAILED=0
E2E_FINISHED=0
E2E_TMP=""
E2E_BG_PIDS=()
SERVER_PID=""
SERVER_PORT=""
SERVER_DATA=""
SERVER_LOG=""

# ---------------------------------------------------------------- setup and teardown

# Creates the temp dir, gives kubectl a HOME of its own (it caches discovery there) and
# installs the cleanup trap.
e2e_init() {
    E2E_TMP="$(mktemp -d "${TMPDIR:-/tmp}/palisade-e2e.XXXXXX")"
    mkdir -p "$E2E_TMP/home"
    export HOME="$E2E_TMP/home"
    unset KUBECONFIG
    set -o errtrace # the ERR trap below also reports failures inside functions
    trap e2e_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'e2e_on_error $LINENO "$BASH_COMMAND"' ERR
}

e2e_on_error() {
    echo "error: command failed at ${BASH_SOURCE[1]##*/} line $1: $2" >&2
}

e2e_cleanup() {
    local rc=$?
    set +e
    trap - ERR
    if [[ $E2E_FINISHED -eq 0 ]]; then
        # The script stopped before its summary (a command failed under `set -e`).
        E2E_FAILED=$((E2E_FAILED + 1))
        echo "FAIL - script aborted (exit code $rc) before its last check" >&2
        e2e_teardown
        echo "$E2E_PASSED passed, $E2E_FAILED failed"
        [[ $rc -ne 0 ]] || rc=1
    fi
    e2e_teardown
    if [[ -n "$E2E_TMP" && -d "$E2E_TMP" ]]; then
        rm -rf "$E2E_TMP"
    fi
    exit "$rc"
}

# Stops tracked background processes and the server; on failures shows the server log
# first. Safe to call more than once.
e2e_teardown() {
    local pid
    for pid in "${E2E_BG_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${E2E_BG_PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    E2E_BG_PIDS=()
    if [[ $E2E_FAILED -gt 0 && -n "$SERVER_LOG" && -f "$SERVER_LOG" ]]; then
        echo "---- last lines of the server log ----" >&2
        tail -n 30 "$SERVER_LOG" >&2
        echo "----" >&2
        SERVER_LOG=""
    fi
    stop_server || true
}

# Remembers a background process so that cleanup stops it.
track_pid() {
    E2E_BG_PIDS+=("$1")
}

# A TCP port on 127.0.0.1 that was free a moment ago.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Waits (bounded) for the server binary, which may be in the middle of a rebuild.
wait_for_binary() {
    local i
    for ((i = 0; i < 120; i++)); do
        [[ -x "$PALISADE_BIN" ]] && return 0
        sleep 1
    done
    echo "FAIL: $PALISADE_BIN not found (build it with 'make build')" >&2
    return 1
}

# start_server DATA_DIR PORT [SERVER_FLAGS...] — starts palisade in the background and
# waits up to 30 s for its ready line. Sets SERVER_PID, SERVER_PORT, SERVER_DATA, SERVER_LOG and exports
# KUBECONFIG to the admin kubeconfig the server writes.
start_server() {
    local data="$1" port="$2" i
    shift 2
    wait_for_binary
    SERVER_DATA="$data"
    SERVER_PORT="$port"
    SERVER_LOG="$E2E_TMP/server-$port.log"
    : >>"$SERVER_LOG"
    local mark
    mark=$(wc -l <"$SERVER_LOG")
    "$PALISADE_BIN" server --data-dir "$data" --listen "127.0.0.1:$port" "$@" >>"$SERVER_LOG" 2>&1 &
    SERVER_PID=$!
    local ready="palisade: API server ready at https://127.0.0.1:$port; admin kubeconfig: $data/admin.kubeconfig"
    for ((i = 0; i < 300; i++)); do
        if tail -n +"$((mark + 1))" "$SERVER_LOG" | grep -F "$ready" >/dev/null; then
            export KUBECONFIG="$data/admin.kubeconfig"
            return 0
        fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "FAIL: server exited before it was ready; its log:" >&2
            cat "$SERVER_LOG" >&2
            SERVER_PID=""
            return 1
        fi
        sleep 0.1
    done
    echo "FAIL: server not ready within 30 s; its log:" >&2
    cat "$SERVER_LOG" >&2
    return 1
}

# Stops the server with SIGTERM (SIGKILL after 10 s). Returns the server's exit code.
stop_server() {
    [[ -n "$SERVER_PID" ]] || return 0
    local pid="$SERVER_PID" i rc=0
    SERVER_PID=""
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "server (pid $pid) ignored SIGTERM for 10 s; killing it" >&2
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || rc=$?
    return "$rc"
}

# assert_graceful_stop DESCRIPTION — SIGTERM must stop the server, with exit code 0,
# within 10 s (it is killed otherwise).
assert_graceful_stop() {
    local pid="$SERVER_PID" i rc=0
    SERVER_PID=""
    kill -TERM "$pid"
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        fail "$1: still running 10 s after SIGTERM"
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        return 0
    fi
    wait "$pid" 2>/dev/null || rc=$?
    assert_eq "$rc" "0" "$1"
}

# Kills the server with SIGKILL, as a crash would, and reaps it.
kill9_server() {
    [[ -n "$SERVER_PID" ]] || return 0
    local pid="$SERVER_PID"
    SERVER_PID=""
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# ---------------------------------------------------------------- clients

# kubectl with a hard time limit.
kc() {
    timeout "$E2E_CALL_TIMEOUT" kubectl "$@"
}

# curl as the administrator (client certificate from the server's PKI).
admin_curl() {
    curl --silent --show-error --max-time "$E2E_CALL_TIMEOUT" \
        --cacert "$SERVER_DATA/pki/ca.crt" \
        --cert "$SERVER_DATA/pki/admin.crt" --key "$SERVER_DATA/pki/admin.key" "$@"
}

api_url() {
    echo "https://127.0.0.1:$SERVER_PORT$1"
}

# run CMD ARGS... — runs a command without tripping `set -e`; its combined stdout and
# stderr land in OUT and its exit code in RC.
run() {
    OUT="$("$@" 2>&1)" && RC=0 || RC=$?
}

# ---------------------------------------------------------------- checks

pass() {
    E2E_PASSED=$((E2E_PASSED + 1))
    echo "ok   - $1"
}

fail() {
    E2E_FAILED=$((E2E_FAILED + 1))
    echo "FAIL - $1" >&2
}

# Shows (on stderr) what a failed check was looking at.
show() {
    printf '%s\n' "${1:0:2000}" | sed 's/^/       | /' >&2
}

# assert_contains TEXT NEEDLE DESCRIPTION
assert_contains() {
    if [[ "$1" == *"$2"* ]]; then
        pass "$3"
    else
        fail "$3: expected to find '$2' in:"
        show "$1"
    fi
}

# assert_not_contains TEXT NEEDLE DESCRIPTION
assert_not_contains() {
    if [[ "$1" != *"$2"* ]]; then
        pass "$3"
    else
        fail "$3: did not expect '$2' in:"
        show "$1"
    fi
}

# assert_matches TEXT EXTENDED_REGEX DESCRIPTION
assert_matches() {
    if grep -qE -- "$2" <<<"$1"; then
        pass "$3"
    else
        fail "$3: expected a line matching /$2/ in:"
        show "$1"
    fi
}

# assert_eq ACTUAL EXPECTED DESCRIPTION
assert_eq() {
    if [[ "$1" == "$2" ]]; then
        pass "$3"
    else
        fail "$3: expected '$2', got '$1'"
    fi
}

# assert_ok DESCRIPTION — the last `run` exited 0.
assert_ok() {
    if [[ $RC -eq 0 ]]; then
        pass "$1"
    else
        fail "$1: exit code $RC, output:"
        show "$OUT"
    fi
}

# assert_fails DESCRIPTION — the last `run` exited non-zero.
assert_fails() {
    if [[ $RC -ne 0 ]]; then
        pass "$1"
    else
        fail "$1: expected a failure, but it succeeded with:"
        show "$OUT"
    fi
}

# assert_rc_in "35 56" DESCRIPTION — the last `run` exited with one of the codes.
assert_rc_in() {
    if [[ " $1 " == *" $RC "* ]]; then
        pass "$2"
    else
        fail "$2: expected exit code in {$1}, got $RC, output:"
        show "$OUT"
    fi
}

# wait_until SECONDS COMMAND... — retries the command every 0.2 s until it succeeds.
wait_until() {
    local deadline=$((SECONDS + $1))
    shift
    while ((SECONDS < deadline)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    "$@" >/dev/null 2>&1
}

# Stops what the test started, prints the summary line and returns non-zero when a
# check failed.
finish() {
    e2e_teardown
    E2E_FINISHED=1
    trap - ERR
    echo "$E2E_PASSED passed, $E2E_FAILED failed"
    [[ $E2E_FAILED -eq 0 ]]
}

# ---------------------------------------------------------------- certificates

# new_ca DIR NAME — a self-signed P-256 CA at DIR/NAME.crt and DIR/NAME.key.
new_ca() {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
        -subj "/CN=$2" -keyout "$1/$2.key" -out "$1/$2.crt" 2>/dev/null
}

# issue_client_cert CA_CRT CA_KEY SUBJECT OUT_PREFIX — a client certificate
# (extendedKeyUsage clientAuth) for SUBJECT such as "/O=devs/CN=eve", signed by the CA,
# written to OUT_PREFIX.crt and OUT_PREFIX.key.
issue_client_cert() {
    local ca_crt="$1" ca_key="$2" subject="$3" out="$4"
    printf 'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' >"$out.ext"
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -subj "$subject" -keyout "$out.key" -out "$out.csr" 2>/dev/null
    openssl x509 -req -in "$out.csr" -CA "$ca_crt" -CAkey "$ca_key" \
        -CAserial "$out.srl" -CAcreateserial -days 1 -extfile "$out.ext" -out "$out.crt" 2>/dev/null
}

# write_kubeconfig FILE NAME CRT KEY — a kubeconfig for the running server with the client
# certificate and key embedded, its one context NAME selected.
write_kubeconfig() {
    local kcfg="$1" name="$2"
    kubectl config --kubeconfig "$kcfg" set-cluster palisade --server="https://127.0.0.1:$SERVER_PORT" \
        --certificate-authority="$SERVER_DATA/pki/ca.crt" --embed-certs >/dev/null
    kubectl config --kubeconfig "$kcfg" set-credentials "$name" --client-certificate="$3" --client-key="$4" --embed-certs >/dev/null
    kubectl config --kubeconfig "$kcfg" set-context "$name" --cluster=palisade --user="$name" >/dev/null
    kubectl config --kubeconfig "$kcfg" use-context "$name" >/dev/null
}

# user_kubeconfig NAME SUBJECT — mints a client certificate for SUBJECT from the running
# server's CA and writes a kubeconfig for it (certificates embedded) to $CERTS/NAME.kubeconfig
# (CERTS defaults to $E2E_TMP/certs).
user_kubeconfig() {
    CERTS="${CERTS:-$E2E_TMP/certs}"
    mkdir -p "$CERTS"
    local name="$1" subject="$2" kcfg="$CERTS/$1.kubeconfig"
    issue_client_cert "$SERVER_DATA/pki/ca.crt" "$SERVER_DATA/pki/ca.key" "$subject" "$CERTS/$name"
    write_kubeconfig "$kcfg" "$name" "$CERTS/$name.crt" "$CERTS/$name.key"
}
