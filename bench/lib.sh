# Shared by the bench scripts: `start_server DIR [SERVER_FLAGS...]` starts a release-mode
# server with its data in DIR on a free loopback port and waits until it is ready; everything
# started is stopped, and the scratch root removed, on exit.
bin=.build/release
root=$(mktemp -d /tmp/palisade-bench.XXXXXX)
servers=()
trap 'for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done; rm -rf "$root"' EXIT

start_server() {
  local dir="$1" port
  shift
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$bin/palisade" server --data-dir "$dir" --listen "127.0.0.1:$port" "$@" > "$dir.log" 2>&1 &
  servers+=($!)
  for _ in $(seq 1 100); do
    grep -q "ready at" "$dir.log" 2>/dev/null && return 0
    sleep 0.1
  done
  cat "$dir.log"
  exit 1
}
