#!/usr/bin/env bash
# End-to-end encryption at rest: Secrets written with kubectl never reach the database file
# or its WAL in plaintext (nor base64), the stored envelope opens with PyNaCl (an independent
# implementation) and the key from the generated configuration, `palisade secrets rotate`
# under concurrent writes leaves every Secret readable and under the new key, a tampered
# value fails its read naming the object and key, and bad configurations are refused at start.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

e2e_init
cd "$REPO_ROOT"
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import nacl.secret' 2>/dev/null; then
    echo "installing PyNaCl with pip"
    "$PYTHON" -m pip install --quiet --disable-pip-version-check pynacl ||
        "$PYTHON" -m pip install --quiet --disable-pip-version-check --break-system-packages pynacl
fi

DATA="$E2E_TMP/data"
start_server "$DATA" "$(free_port)"
CONFIG="$DATA/pki/encryption-config.yaml"
DB="$DATA/store.db"
echo "server on 127.0.0.1:$SERVER_PORT, data in $DATA"

# ------------------------------------------------------------ generated configuration
assert_eq "$(stat -c %a "$CONFIG")" "600" "the generated encryption configuration is mode 0600"
run grep -c "secretbox:" "$CONFIG"
assert_eq "$OUT" "1" "the generated configuration encrypts with secretbox"

# ------------------------------------------------------------ no plaintext at rest
VALUE="palisade-e2e-$(date +%s%N)-$RANDOM"
VALUE_B64="$(printf %s "$VALUE" | base64 -w0)"
run kc create secret generic vault --from-literal=password="$VALUE"
assert_ok "kubectl create secret"
run kc get secret vault -o jsonpath='{.data.password}'
assert_eq "$OUT" "$VALUE_B64" "kubectl reads the Secret back decrypted"
CM_VALUE="configmap-e2e-$RANDOM$RANDOM"
run kc create configmap plain --from-literal=note="$CM_VALUE"
for file in "$DB" "$DB-wal"; do
    [[ -f "$file" ]] || continue
    assert_eq "$(grep -c -a -F "$VALUE" "$file" || true)" "0" "$(basename "$file") holds no plaintext Secret value"
    assert_eq "$(grep -c -a -F "$VALUE_B64" "$file" || true)" "0" "$(basename "$file") holds no base64 Secret value"
done
# The ConfigMap is not configured for encryption: finding it proves the scan sees stored data.
assert_matches "$(cat "$DB" "$DB-wal" 2>/dev/null | grep -a -c -F "$CM_VALUE" || true)" "^[1-9]" "an unencrypted ConfigMap value is visible to the same scan"

# ------------------------------------------------------------ the envelope, opened independently
run "$PYTHON" "$E2E_DIR/open_secretbox.py" "$DB" "$CONFIG" /registry/core/secrets/default/vault
assert_ok "PyNaCl opens the stored envelope with the key from the configuration"
assert_contains "$OUT" "\"password\":\"$VALUE_B64\"" "the value PyNaCl decrypted is the Secret"

# ------------------------------------------------------------ rotation under concurrent writes
for i in $(seq 1 20); do kc create secret generic before-$i --from-literal=v="b$i" >/dev/null; done
OLD_KEY="$(grep -m1 -oE 'key-[0-9TZ-]+' "$CONFIG")"
writer() {
    for i in $(seq 1 40); do kc create secret generic during-$i --from-literal=v="d$i" >/dev/null || echo "create during-$i failed"; done
}
writer >"$E2E_TMP/writer.out" 2>&1 &
WRITER=$!
track_pid "$WRITER"
sleep 1
run "$PALISADE_BIN" secrets rotate --data-dir "$DATA"
assert_ok "palisade secrets rotate against the running server"
assert_contains "$OUT" "retired keys: secretbox:$OLD_KEY" "the rotation retires the old key"
wait "$WRITER"
assert_eq "$(cat "$E2E_TMP/writer.out")" "" "every create made during the rotation succeeded"
NEW_KEY="$(grep -m1 -oE 'key-[0-9TZ-]+' "$CONFIG")"
assert_not_contains "$(cat "$CONFIG")" "$OLD_KEY" "the old key is gone from the configuration"
run "$PALISADE_BIN" secrets status --data-dir "$DATA" -o json
assert_ok "palisade secrets status"
assert_contains "$OUT" "{\"count\":61,\"key\":\"secretbox:$NEW_KEY\"}" "status: all 61 Secrets under the new key"
assert_not_contains "$OUT" "$OLD_KEY" "status: nothing left under the old key"
readable=0
for name in vault $(seq -f 'before-%g' 1 20) $(seq -f 'during-%g' 1 40); do
    kc get secret "$name" -o name >/dev/null 2>&1 && readable=$((readable + 1))
done
assert_eq "$readable" "61" "every Secret reads back after the rotation"
run "$PYTHON" "$E2E_DIR/open_secretbox.py" "$DB" "$CONFIG" /registry/core/secrets/default/during-40
assert_contains "$OUT" "\"v\":\"$(printf d40 | base64)\"" "a Secret written during the rotation opens with the new key"
assert_eq "$(cat "$DB" "$DB-wal" 2>/dev/null | grep -c -a -F "k8s:enc:secretbox:v1:$OLD_KEY:" || true)" "0" \
    "no value sealed with the old key is left in the database or its WAL"

# ------------------------------------------------------------ the server never logs values
assert_not_contains "$(cat "$SERVER_LOG")" "$VALUE" "the server log holds no Secret value"

# ------------------------------------------------------------ tampering is refused, by name
# flip_last_byte — flips one bit of the stored vault Secret (twice restores it).
flip_last_byte() {
    "$PYTHON" - "$DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
key = "/registry/core/secrets/default/vault"
revision, value = db.execute("SELECT revision, value FROM kv WHERE key = ? ORDER BY revision DESC LIMIT 1", (key,)).fetchone()
value = bytearray(value)
value[-1] ^= 0x01
db.execute("UPDATE kv SET value = ? WHERE revision = ?", (bytes(value), revision))
db.commit()
PY
}
stop_server
flip_last_byte
start_server "$DATA" "$(free_port)"
run kc get secret vault
assert_fails "a tampered Secret does not read"
assert_contains "$OUT" "/registry/core/secrets/default/vault" "the error names the object"
assert_contains "$OUT" "cannot decrypt with key \"$NEW_KEY\" of provider secretbox" "the error names the key"
assert_not_contains "$OUT" "$VALUE" "the error shows no plaintext"
run kc get secret before-1 -o name
assert_ok "the other Secrets still read"
stop_server

# ------------------------------------------------------------ refused configurations
chmod 644 "$CONFIG"
run "$PALISADE_BIN" server --data-dir "$DATA" --listen "127.0.0.1:$(free_port)"
assert_fails "a configuration readable by others stops the server"
assert_contains "$OUT" "$CONFIG: holds encryption keys but is accessible to group or others (mode 644)" "the refusal names the file"
chmod 600 "$CONFIG"

BAD="$E2E_TMP/bad-config.yaml"
printf 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - secretbox:\n      keys:\n      - name: short\n        secret: %s\n' \
    "$(head -c 16 /dev/urandom | base64 -w0)" >"$BAD"
chmod 600 "$BAD"
run "$PALISADE_BIN" server --data-dir "$DATA" --listen "127.0.0.1:$(free_port)" --encryption-config "$BAD"
assert_fails "a 16-byte secretbox key stops the server"
assert_contains "$OUT" "$BAD:9: resources[0].providers[0].secretbox.keys[0].secret: key is 16 bytes; this provider needs 32 bytes" \
    "the refusal names the file, line and field"
sed -i 's/secretbox:/vault:/' "$BAD"
run "$PALISADE_BIN" server --data-dir "$DATA" --listen "127.0.0.1:$(free_port)" --encryption-config "$BAD"
assert_contains "$OUT" "$BAD:6: resources[0].providers[0].vault: unknown provider \"vault\"" "an unknown provider is refused with its line"

# ------------------------------------------------------------ offline rotation, under the directory lock
run "$PALISADE_BIN" secrets rotate --data-dir "$DATA"
assert_fails "a rotation stops at a value that does not decrypt"
assert_contains "$OUT" "cannot read /registry/core/secrets/default/vault" "the rotation names the unreadable object"
assert_contains "$(cat "$CONFIG")" "$NEW_KEY" "the stopped rotation kept the key that value needs"
flip_last_byte
run "$PALISADE_BIN" secrets rotate --data-dir "$DATA"
assert_ok "palisade secrets rotate with the server stopped"
assert_not_contains "$(cat "$CONFIG")" "$NEW_KEY" "the offline rotation retired the previous key"
start_server "$DATA" "$(free_port)"
run "$PALISADE_BIN" server --data-dir "$DATA" --listen "127.0.0.1:$(free_port)"
assert_contains "$OUT" "another palisade process is using $DATA" "a second server on the same data directory is refused"
run kc get secret during-1 -o jsonpath='{.data.v}'
assert_eq "$OUT" "$(printf d1 | base64)" "Secrets read after an offline rotation"
run kc get secret vault -o jsonpath='{.data.password}'
assert_eq "$OUT" "$VALUE_B64" "the restored Secret reads again"
stop_server

finish
