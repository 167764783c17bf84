"""Opens a Secret stored by Palisade with PyNaCl, an implementation independent of the
server's libsodium binding, to prove the stored bytes follow Kubernetes' envelope:
`k8s:enc:secretbox:v1:<key name>:` + 24-byte nonce + NaCl secretbox (tag, ciphertext).

Usage: open_secretbox.py DATABASE ENCRYPTION_CONFIG STORAGE_KEY
Prints the decrypted object (JSON) on stdout; exits non-zero with a reason otherwise.
"""
import base64
import re
import sqlite3
import sys

import nacl.secret


def keys_from_config(path):
    """name -> key bytes, read with a regex so the test needs no YAML library."""
    text = open(path).read()
    pairs = re.findall(r'name:\s*"?([^"\n]+)"?\s*\n\s*secret:\s*(\S+)', text)
    return {name: base64.b64decode(secret) for name, secret in pairs}


def newest_value(database, key):
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    row = connection.execute(
        "SELECT value FROM kv WHERE key = ? AND deleted = 0 ORDER BY revision DESC LIMIT 1", (key,)
    ).fetchone()
    if row is None:
        sys.exit(f"no stored value for {key}")
    return bytes(row[0])


def main():
    database, config, storage_key = sys.argv[1:4]
    stored = newest_value(database, storage_key)
    match = re.match(rb"k8s:enc:secretbox:v1:([^:]+):", stored)
    if not match:
        sys.exit("the stored value does not carry the k8s:enc:secretbox:v1: envelope")
    name = match.group(1).decode()
    keys = keys_from_config(config)
    if name not in keys:
        sys.exit(f"key {name} is not in {config}")
    payload = stored[match.end():]
    nonce, box = payload[:24], payload[24:]
    plaintext = nacl.secret.SecretBox(keys[name]).decrypt(box, nonce)
    sys.stdout.write(plaintext.decode())


if __name__ == "__main__":
    main()
