#!/usr/bin/env python3
"""Decrypts an encrypted dataverse-backup snapshot without dataverse-backup.

The snapshot's files (schema/<table>.json.enc, data/<table>/part-NNNNN.ndjson.gz.enc,
files/<table>/<record id>/<column>.enc) are Tink's
streaming AEAD AES256_GCM_HKDF_1MB, as Google documents it
(https://developers.google.com/tink/streaming-aead/aes_gcm_hkdf_streaming):

  file    = header || segment_0 || ... || segment_n-1
  header  = 0x28 (its length, 40) || salt (32 bytes) || nonce prefix (7 bytes)
  key_i   = HKDF-SHA256(ikm = the 32-byte key, salt = salt, info = associated data), 32 bytes
  segment = AES-256-GCM(key, nonce = prefix || i as 4 bytes big-endian || 1 if last else 0), 16-byte tag;
            1 MB of ciphertext each (the first one 40 bytes shorter), the last one shorter
  associated data = "<snapshotId>/<path of the file in the snapshot>" (UTF-8), e.g.
            "20261205T120000Z-ab12-full/data/account/part-00001.ndjson.gz.enc"

Usage: python3 decrypt-snapshot.py KEY_FILE SNAPSHOT_FOLDER OUTPUT_FOLDER
KEY_FILE holds the 32 key bytes or their base64 (the file snapshot.encryption-key names).
Writes every file of the snapshot to OUTPUT_FOLDER without its .enc suffix: gzip NDJSON parts,
JSON schemas and the files of file and image columns, as an unencrypted snapshot holds them. Needs the 'cryptography' package
(pip install cryptography). Memory stays at one segment whatever the file size.
"""
import base64
import json
import os
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SEGMENT = 1 << 20  # ciphertext segment size of AES256_GCM_HKDF_1MB
TAG = 16
HEADER = 1 + 32 + 7


def read_key(path):
    content = open(path, "rb").read()
    if len(content) == 32:
        return content
    key = base64.b64decode(content.strip())
    if len(key) != 32:
        sys.exit(f"{path} is not a key: it must hold 32 bytes or their base64")
    return key


def decrypt(key, associated_data, source, target):
    header = source.read(HEADER)
    if len(header) != HEADER or header[0] != HEADER:
        raise ValueError("not an AES256_GCM_HKDF_1MB file (bad header)")
    salt, prefix = header[1:33], header[33:40]
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=associated_data).derive(key)
    aes = AESGCM(derived)
    index = 0
    segment = source.read(SEGMENT - HEADER)
    while True:
        following = source.read(SEGMENT)  # read ahead: the last segment has its own nonce
        last = len(following) == 0
        nonce = prefix + index.to_bytes(4, "big") + (b"\x01" if last else b"\x00")
        target.write(aes.decrypt(nonce, segment, None))  # raises InvalidTag when changed or truncated
        if last:
            return
        segment, index = following, index + 1


def main(key_file, snapshot, output):
    key = read_key(key_file)
    manifest = json.load(open(os.path.join(snapshot, "manifest.json"), encoding="utf-8"))
    if "encryption" not in manifest:
        sys.exit(f"{snapshot} is not encrypted: its files can be read as they are")
    paths = [t["schema"] for t in manifest["tables"] if t.get("schema")]
    paths += [p["path"] for t in manifest["tables"] for p in t.get("parts", [])]
    paths += [f["path"] for f in manifest.get("files", []) if f.get("path")]
    for path in paths:
        plain = os.path.join(output, path[: -len(".enc")] if path.endswith(".enc") else path)
        os.makedirs(os.path.dirname(plain), exist_ok=True)
        with open(os.path.join(snapshot, path), "rb") as source, open(plain, "wb") as target:
            decrypt(key, f"{manifest['snapshotId']}/{path}".encode("utf-8"), source, target)
        print(plain)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
