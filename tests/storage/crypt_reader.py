#!/usr/bin/env python3
# tests/storage/crypt_reader.py: an independent reader of riad's encryption overlay, written from docs/storage-crypt.md alone (python3-cryptography).
#
# usage: crypt_reader.py KEYFILE IMAGE OUT
# Writes the plaintext of IMAGE to OUT. Exit 0 done; 1 wrong key, damaged
# header or a sector failing authentication (one line on stderr); 2 usage.
import hashlib
import hmac
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def fail(msg):
    print("crypt_reader: " + msg, file=sys.stderr)
    sys.exit(1)


def be(b):
    return int.from_bytes(b, "big")


def gcm_decrypt(k_data, d, c, tag, ct):
    """Plaintext of data sector d at counter c, or None if it fails."""
    nonce = d.to_bytes(6, "big") + c.to_bytes(6, "big")
    dec = Cipher(algorithms.AES(k_data), modes.GCM(nonce, tag, min_tag_length=12)).decryptor()
    dec.authenticate_additional_data(d.to_bytes(8, "big"))
    try:
        return dec.update(ct) + dec.finalize()
    except Exception:
        return None


def main():
    if len(sys.argv) != 4:
        print("usage: crypt_reader.py KEYFILE IMAGE OUT", file=sys.stderr)
        sys.exit(2)
    key = bytes.fromhex(open(sys.argv[1]).read().strip())
    img = open(sys.argv[2], "rb").read()

    h = img[:128]
    if h[0:8] != b"RIADCRYP" or hashlib.sha256(h[:96]).digest() != h[96:128] or be(h[8:12]) != 2:
        fail("not an overlay, or a damaged header")
    S, D, E = be(h[12:16]), be(h[16:24]), be(h[24:28])
    if E != (S - 16) // 34 or any(img[128:S]):
        fail("damaged header")
    salt = h[32:64]
    okm = HKDF(algorithm=hashes.SHA256(), length=128, salt=salt, info=b"riad-crypt v2").derive(key)
    k_data, k_mhash, k_check, k_mtag = okm[0:32], okm[32:64], okm[64:96], okm[96:128]
    if not hmac.compare_digest(hmac.new(k_check, h[:64], hashlib.sha256).digest(), h[64:96]):
        fail("wrong key")

    def sector(n):
        return img[n * S:(n + 1) * S]

    out = bytearray()
    for d in range(D):
        g, i = d // E, d % E
        m = sector(1 + g * (E + 1))
        if any(m):
            t = AESGCM(k_mhash).encrypt(bytes(12), b"", g.to_bytes(8, "big") + m[:S - 16])
            mac = Cipher(algorithms.AES(k_mtag), modes.ECB()).encryptor().update(t)
            if not hmac.compare_digest(mac, m[S - 16:]):
                fail("metadata sector of group %d fails authentication" % g)
        e = m[34 * i:34 * i + 34]
        c, delta = be(e[0:6]), be(e[6:8])
        T, P = e[10:22], e[22:34]
        if c == 0:
            out += bytes(S)
            continue
        ct = sector(1 + g * (E + 1) + 1 + i)
        p = gcm_decrypt(k_data, d, c, T, ct)
        if p is None:
            if delta == 0 and not any(ct):
                p = bytes(S)
            elif 0 < delta < c:
                p = gcm_decrypt(k_data, d, c - delta, P, ct)
        if p is None:
            fail("sector %d fails authentication" % d)
        out += p
    open(sys.argv[3], "wb").write(out)


main()
