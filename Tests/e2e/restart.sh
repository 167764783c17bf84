#!/usr/bin/env bash
# End-to-end: crash safety of the store. Objects survive `kill -9` and a restart on the
# same data dir and port; a `kill -9` in the middle of a stream of writes leaves every
# stored object complete, and loses none whose create was acknowledged.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

e2e_init
DATA="$E2E_TMP/data"
PORT="$(free_port)"
start_server "$DATA" "$PORT"
echo "server on 127.0.0.1:$PORT, data in $DATA"

# snapshot NS — names, uids, resourceVersions and data of the namespace's configmaps and
# secrets, one canonical line each.
snapshot() {
    kc get cm,secret -n "$1" -o json | python3 -c '
import json, sys
for o in json.load(sys.stdin)["items"]:
    m = o["metadata"]
    print(o["kind"], m["name"], m["uid"], m["resourceVersion"], json.dumps(o.get("data"), sort_keys=True))
' | sort
}

restart_after_kill9() {
    kill9_server
    if start_server "$DATA" "$PORT"; then
        pass "$1"
    else
        fail "$1"
        return 1
    fi
}

test_restart_keeps_objects() {
    local before after ca_before max_rv rv
    kc create namespace keep >/dev/null
    printf 'line 1\nline 2 with ünïcödé ✓\n\ttabbed\n' >"$E2E_TMP/multi.txt"
    kc create configmap c1 -n keep --from-literal=a=1 --from-literal=b=two >/dev/null
    kc create configmap c2 -n keep --from-file=multi.txt="$E2E_TMP/multi.txt" >/dev/null
    kc create configmap c3 -n keep --from-literal=empty= --from-literal='json={"x":[1,2]}' >/dev/null
    kc label configmap c3 -n keep tier=gold >/dev/null
    kc create secret generic s1 -n keep --from-literal=password='p@ss w0rd' >/dev/null
    before="$(snapshot keep)"
    assert_eq "$(wc -l <<<"$before")" "4" "4 objects created before the crash"
    ca_before="$(sha256sum <"$DATA/pki/ca.crt")"

    restart_after_kill9 "server restarts on the same data dir and port after kill -9" || return 0

    after="$(snapshot keep)"
    assert_eq "$after" "$before" "configmaps and secret intact after kill -9 (uid, resourceVersion, data)"
    assert_eq "$(kc get cm c2 -n keep -o jsonpath='{.data.multi\.txt}')" "$(cat "$E2E_TMP/multi.txt")" \
        "multi-line unicode value intact"
    assert_eq "$(kc get secret s1 -n keep -o jsonpath='{.data.password}' | base64 -d)" 'p@ss w0rd' \
        "secret value intact"
    assert_eq "$(kc get cm -n keep -l tier=gold -o name)" "configmap/c3" "labels intact (selector finds c3)"
    assert_eq "$(sha256sum <"$DATA/pki/ca.crt")" "$ca_before" "the CA is reused, not regenerated"
    run kc get ns keep -o jsonpath='{.status.phase}'
    assert_eq "$OUT" "Active" "namespace intact and the old admin credentials still work"

    # The store takes writes again, and resource versions keep growing across the restart.
    max_rv="$(awk '{print $4}' <<<"$before" | sort -n | tail -n 1)"
    run kc create configmap c4 -n keep --from-literal=after=restart
    assert_contains "$OUT" "configmap/c4 created" "create after the restart"
    rv="$(kc get cm c4 -n keep -o jsonpath='{.metadata.resourceVersion}')"
    if [[ "$rv" =~ ^[0-9]+$ && "$rv" -gt "$max_rv" ]]; then
        pass "resourceVersion after the restart ($rv) is above every earlier one ($max_rv)"
    else
        fail "resourceVersion after the restart ($rv) is above every earlier one ($max_rv)"
    fi
    run kc patch cm c1 -n keep --type merge -p '{"data":{"a":"changed"}}'
    assert_ok "update of an old object after the restart"
    assert_eq "$(kc get cm c1 -n keep -o jsonpath='{.data.a},{.data.b}')" "changed,two" "update stored"
}

# The writer's bodies: configmap cm-N with data {i: N, payload: ..., sha: sha256(payload)};
# every tenth payload is 256 KiB so that a crash is likely to land in a large write.
make_bodies() {
    python3 - "$1" "$2" <<'PY'
import hashlib, json, os, sys
out, count = sys.argv[1], int(sys.argv[2])
for i in range(1, count + 1):
    unit = f"cm-{i:04d}|"
    payload = unit * ((256 * 1024 if i % 10 == 0 else 4096) // len(unit))
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"cm-{i}", "labels": {"crash": "test"}},
            "data": {"i": str(i), "payload": payload, "sha": hashlib.sha256(payload.encode()).hexdigest()}}
    with open(os.path.join(out, f"{i}.json"), "w") as f:
        json.dump(body, f)
PY
}

# writer DIR COUNT — POSTs the bodies one after another; appends N to DIR/acked after each
# 201 and stops at the first failure (the server is gone).
writer() {
    local dir="$1" count="$2" i code url
    url="$(api_url /api/v1/namespaces/crash/configmaps)"
    for ((i = 1; i <= count; i++)); do
        code="$(admin_curl -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
            --data-binary "@$dir/$i.json" "$url" 2>/dev/null)" || code="curl-failed"
        if [[ "$code" != "201" ]]; then
            echo "$i $code" >"$dir/stopped"
            return 0
        fi
        echo "$i" >>"$dir/acked"
    done
    echo "done" >"$dir/stopped"
}

acked_count() {
    [[ -f "$1/acked" ]] && wc -l <"$1/acked" || echo 0
}

test_kill_during_writes() {
    local dir="$E2E_TMP/bodies" total=200 pid i acked code
    mkdir -p "$dir"
    make_bodies "$dir" "$total"
    kc create namespace crash >/dev/null

    writer "$dir" "$total" &
    pid=$!
    track_pid "$pid"
    for ((i = 0; i < 600; i++)); do
        (($(acked_count "$dir") >= 60)) && break
        [[ -f "$dir/stopped" ]] && break
        sleep 0.1
    done
    kill9_server
    # The writer stops at its first failed request; it has at most 60 s in all to notice.
    for ((i = 0; i < 600; i++)); do
        [[ -f "$dir/stopped" ]] && break
        sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    acked="$(acked_count "$dir")"
    echo "writer: $acked creates acknowledged before kill -9; stopped at: $(cat "$dir/stopped" 2>/dev/null)"
    if ((acked >= 60 && acked < total)); then
        pass "kill -9 landed in the middle of the writes ($acked of $total acknowledged)"
    else
        fail "kill -9 landed in the middle of the writes ($acked of $total acknowledged)"
    fi

    restart_after_kill9 "server restarts after kill -9 during writes" || return 0

    run kc get cm -n crash -o json
    assert_ok "kubectl get cm -o json after the crash"
    printf '%s' "$OUT" >"$E2E_TMP/crash-list.json"
    # Each listed object is also read one by one.
    local names
    names="$(python3 -c 'import json,sys; print("\n".join(i["metadata"]["name"] for i in json.load(open(sys.argv[1]))["items"]))' \
        "$E2E_TMP/crash-list.json" 2>/dev/null || true)"
    mkdir -p "$E2E_TMP/single"
    local unreadable=0 name
    for name in $names; do
        code="$(admin_curl -o "$E2E_TMP/single/$name.json" -w '%{http_code}' \
            "$(api_url "/api/v1/namespaces/crash/configmaps/$name")")" || code="curl-failed"
        [[ "$code" == "200" ]] || { unreadable=$((unreadable + 1)); echo "GET $name: $code" >&2; }
    done
    assert_eq "$unreadable" "0" "every listed configmap reads back with GET"

    run python3 - "$E2E_TMP/crash-list.json" "$E2E_TMP/single" "$dir/acked" <<'PY'
import hashlib, json, os, sys
items = json.load(open(sys.argv[1]))["items"]
acked = {int(line) for line in open(sys.argv[3]) if line.strip()}
problems, found = [], set()
for item in items:
    name = item["metadata"]["name"]
    n = int(name.split("-")[1])
    found.add(n)
    unit = f"cm-{n:04d}|"
    payload = unit * ((256 * 1024 if n % 10 == 0 else 4096) // len(unit))
    expected = {"i": str(n), "payload": payload, "sha": hashlib.sha256(payload.encode()).hexdigest()}
    single = json.load(open(os.path.join(sys.argv[2], name + ".json")))
    for source, obj in (("list", item), ("get", single)):
        if obj.get("data") != expected:
            problems.append(f"{name} ({source}): data incomplete or wrong, keys {sorted((obj.get('data') or {}).keys())}")
        if obj.get("metadata", {}).get("labels") != {"crash": "test"}:
            problems.append(f"{name} ({source}): labels {obj.get('metadata', {}).get('labels')}")
lost = sorted(acked - found)
unexpected = sorted(n for n in found - acked if n != max(acked, default=0) + 1)
print(f"listed {len(items)}, acknowledged {len(acked)}, lost {lost}, unexpected {unexpected}")
for p in problems[:20]:
    print("problem:", p)
print("all complete" if not problems else "INCOMPLETE")
print("none lost" if not lost and not unexpected else "LOST")
PY
    echo "  $(head -n 1 <<<"$OUT")"
    assert_contains "$OUT" "all complete" "every stored configmap is complete (list and get: all keys, full payload, sha)"
    assert_not_contains "$OUT" "INCOMPLETE" "no half-written configmap"
    assert_contains "$OUT" "none lost" "every acknowledged create survived kill -9 (at most the in-flight one extra)"

    # Paging walks the same set.
    local listed paged
    listed="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$E2E_TMP/crash-list.json")"
    paged="$(kc get cm -n crash --chunk-size=7 -o name | wc -l)"
    assert_eq "$paged" "$listed" "paged list (chunk size 7) finds the same $listed configmaps"

    run kc create configmap after-crash -n crash --from-literal=ok=yes
    assert_contains "$OUT" "configmap/after-crash created" "store takes writes after the crash"
    run kc delete configmap cm-1 -n crash
    assert_contains "$OUT" 'configmap "cm-1" deleted' "store takes deletes after the crash"
}

test_clean_stop_and_integrity() {
    local count_before
    count_before="$(kc get cm -A -o name | wc -l)"
    assert_graceful_stop "server exits on SIGTERM"
    run python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' \
        "$DATA/store.db"
    assert_eq "$OUT" "ok" "SQLite integrity_check of store.db"
    if start_server "$DATA" "$PORT"; then
        pass "server starts again after a clean stop"
        assert_eq "$(kc get cm -A -o name | wc -l)" "$count_before" "same objects after the clean restart"
    else
        fail "server starts again after a clean stop"
    fi
}

test_restart_keeps_objects
test_kill_during_writes
test_clean_stop_and_integrity
finish
