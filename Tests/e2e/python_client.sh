#!/usr/bin/env bash
# End-to-end: the official Kubernetes Python client (python_client.py) against a fresh
# Palisade server. Installs the `kubernetes` package with pip when it is missing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

e2e_init
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import kubernetes' 2>/dev/null; then
    echo "installing the kubernetes Python client with pip"
    # Debian's own python3 refuses plain pip installs (PEP 668); allow it there.
    "$PYTHON" -m pip install --quiet --disable-pip-version-check kubernetes ||
        "$PYTHON" -m pip install --quiet --disable-pip-version-check --break-system-packages kubernetes
fi

start_server "$E2E_TMP/data" "$(free_port)"
echo "server on 127.0.0.1:$SERVER_PORT, data in $SERVER_DATA"

# The Python script counts its own checks and prints "N passed, M failed" last; those
# counts become this script's, plus the shutdown check below.
py_out="$E2E_TMP/python.out"
rc=0
timeout 300 "$PYTHON" -u "$E2E_DIR/python_client.py" 2>&1 | tee "$py_out" | sed '$!b;/^[0-9]* passed, [0-9]* failed$/d' || rc=$?
summary="$(tail -n 1 "$py_out")"
if [[ "$summary" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    E2E_PASSED=$((E2E_PASSED + BASH_REMATCH[1]))
    E2E_FAILED=$((E2E_FAILED + BASH_REMATCH[2]))
    [[ $rc -eq 0 || ${BASH_REMATCH[2]} -gt 0 ]] || fail "python_client.py exited with $rc"
else
    fail "python_client.py ended without a summary (exit code $rc)"
fi

assert_graceful_stop "server exits on SIGTERM after the client's watches"
finish
