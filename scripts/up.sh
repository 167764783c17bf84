#!/usr/bin/env bash
# `make up`: a local cluster on this machine. The API server (embedded SQLite, PKI and
# admin kubeconfig under $DATA_DIR) and, as root, one node agent joined with a bootstrap
# token, with busybox imported into its image store. Ctrl-C stops both.
set -euo pipefail

DATA_DIR=${DATA_DIR:-var}
LISTEN=${LISTEN:-127.0.0.1:6443}
BOOTSTRAP_LISTEN=${BOOTSTRAP_LISTEN:-127.0.0.1:6444}
AGENT_PORT=${AGENT_PORT:-10250}
NODE_NAME=${NODE_NAME:-$(hostname | tr '[:upper:]' '[:lower:]')}
BIN=.build/debug

server_pid=""
agent_pid=""
stop() {
    # The agent first: it stops its pods while the server can still be told.
    [ -n "$agent_pid" ] && kill -TERM "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null || true
    [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
}
trap stop EXIT INT TERM

mkdir -p "$DATA_DIR"
# Each in a session of its own: Ctrl-C reaches this script only, which stops the agent
# (and its pods) before the server.
setsid "$BIN/palisade" server --data-dir "$DATA_DIR" --listen "$LISTEN" --bootstrap-listen "$BOOTSTRAP_LISTEN" &
server_pid=$!
for _ in $(seq 1 100); do
    [ -f "$DATA_DIR/admin.kubeconfig" ] && KUBECONFIG="$DATA_DIR/admin.kubeconfig" "$BIN/kauth" token list >/dev/null 2>&1 && break
    sleep 0.2
done

if [ "$(id -u)" != 0 ]; then
    echo "palisade: the node agent needs root (namespaces, mounts, cgroups); running the API server alone"
    wait "$server_pid"
    exit
fi

# busybox, built from Debian's busybox-static with umoci, for a first pod.
if ! "$BIN/palisade" image ls --store "$DATA_DIR/images" 2>/dev/null | grep -q busybox; then
    layout=$(mktemp -d)
    bash Tests/e2e/fixtures/busybox-image.sh "$layout/busybox" >/dev/null
    "$BIN/palisade" image import "$layout/busybox" --store "$DATA_DIR/images"
    rm -rf "$layout"
fi

# A bootstrap token only for the first join; afterwards the node has its certificate.
token=""
if [ ! -f "$DATA_DIR/agent/$NODE_NAME/credentials/node.kubeconfig" ]; then
    token=$(KUBECONFIG="$DATA_DIR/admin.kubeconfig" "$BIN/kauth" token create --ttl 1h --description "make up: $NODE_NAME" | tail -1)
fi
PALISADE_BOOTSTRAP_TOKEN=$token setsid "$BIN/palisade" agent --server "https://$LISTEN" --bootstrap-server "https://$BOOTSTRAP_LISTEN" \
    --certificate-authority "$DATA_DIR/pki/ca.crt" --name "$NODE_NAME" --data-dir "$DATA_DIR/agent/$NODE_NAME" \
    --images "$DATA_DIR/images" --port "$AGENT_PORT" &
agent_pid=$!
echo "palisade: node $NODE_NAME joining; try: KUBECONFIG=$DATA_DIR/admin.kubeconfig kubectl run hello --image=busybox --restart=Never -- echo hello"
wait "$server_pid"
