# Shared by the bench scripts: starts a release-mode server on a scratch data directory
# and a free loopback port, sets $data, and stops and removes everything on exit.
bin=.build/release
data=$(mktemp -d /tmp/palisade-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin/palisade" server --data-dir "$data" --listen "127.0.0.1:$port" > "$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  grep -q "ready at" "$data/server.log" 2>/dev/null && break
  sleep 0.1
done
grep -q "ready at" "$data/server.log" || { cat "$data/server.log"; exit 1; }
