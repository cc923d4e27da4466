#!/usr/bin/env python3
# tests/http/client.py: raw HTTP/1.1 clients for tests/http/website.t:
# pipelined requests, malformed requests (each must get its status and,
# where RFC 9112 says so, a closed connection), a client sending one byte
# a second, and recording requests as fuzz seeds. Prints one line per
# case: "ok NAME" or "bad NAME: why".
#
#   client.py pipeline HOST PORT INDEX_FILE
#   client.py bad HOST PORT
#   client.py slow HOST PORT SECONDS_EXPECTED
#   client.py record DIR      (writes the requests of "bad" and "pipeline" as files)
import socket
import sys
import time

HOST_HDR = b"Host: site\r\n"


def connect(host, port):
    s = socket.create_connection((host, port), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_response(f, head=False):
    """One response from a buffered reader: (status, headers, body); a
    response to HEAD has no body whatever its Content-Length."""
    line = f.readline()
    if not line:
        return None
    status = int(line.split()[1])
    headers = {}
    while True:
        h = f.readline()
        if h in (b"\r\n", b""):
            break
        k, v = h.decode().split(":", 1)
        headers[k.strip().lower()] = v.strip()
    n = int(headers.get("content-length", "0"))
    body = f.read(n) if n and not head else b""
    return status, headers, body


def pipeline(host, port, index_file):
    index = open(index_file, "rb").read()
    s = connect(host, port)
    reqs = (b"GET / HTTP/1.1\r\n" + HOST_HDR + b"\r\n"
            b"HEAD /index.html HTTP/1.1\r\n" + HOST_HDR + b"\r\n"
            b"GET /nope HTTP/1.1\r\n" + HOST_HDR + b"\r\n"
            b"GET /index.html HTTP/1.1\r\n" + HOST_HDR + b"Range: bytes=0-4\r\n\r\n"
            b"GET / HTTP/1.1\r\n" + HOST_HDR + b"Connection: close\r\n\r\n")
    s.sendall(reqs)  # all five in one segment
    f = s.makefile("rb")
    got = []
    for i in range(5):
        r = read_response(f, head=i == 1)
        if r is None:
            print("bad pipeline: connection closed after %d responses" % i)
            return
        # HEAD: the Content-Length is the GET's, but no body follows.
        if i == 1:
            got.append((r[0], r[1].get("content-length")))
            continue
        got.append((r[0], r[2]))
    closed = f.read(1) == b""
    want = [(200, index), (200, str(len(index))), (404, None), (206, index[:5]), (200, index)]
    ok = all(g[0] == w[0] and (w[1] is None or g[1] == w[1]) for g, w in zip(got, want))
    print(("ok" if ok else "bad") + " pipeline: five requests in one write answered in order"
          + ("" if ok else ": %r" % [(g[0], g[1][:20] if isinstance(g[1], bytes) else g[1]) for g in got]))
    print(("ok" if closed else "bad") + " pipeline: Connection: close ends the connection after the last")


def status_of(host, port, data, expect_close=True):
    """Send data, read one response; (status or None, closed after it)."""
    s = connect(host, port)
    try:
        s.sendall(data)
    except OSError:
        pass
    f = s.makefile("rb")
    try:
        r = read_response(f)
    except (OSError, ValueError, IndexError):
        return None, True
    if r is None:
        return None, True
    try:
        closed = f.read(1) == b"" if expect_close else None
    except OSError:
        closed = True
    s.close()
    return r[0], closed


def bad_cases():
    long_field = b"X-Long: " + b"a" * 5000 + b"\r\n"
    many = b"".join(b"X-F%d: v\r\n" % i for i in range(70))
    return [
        # name, request bytes, status, must close
        ("content-length-and-transfer-encoding",
         b"POST / HTTP/1.1\r\n" + HOST_HDR + b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, True),
        ("two-different-content-lengths",
         b"POST / HTTP/1.1\r\n" + HOST_HDR + b"Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400, True),
        ("content-length-not-a-number",
         b"POST / HTTP/1.1\r\n" + HOST_HDR + b"Content-Length: 5x\r\n\r\nhello", 400, True),
        ("invalid-chunk-size",
         b"POST / HTTP/1.1\r\n" + HOST_HDR + b"Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", 400, True),
        ("chunk-size-overflow",
         b"POST / HTTP/1.1\r\n" + HOST_HDR + b"Transfer-Encoding: chunked\r\n\r\n1ffffffffffffffff\r\nhello\r\n0\r\n\r\n", 400, True),
        ("chunked-body-too-large",
         b"POST / HTTP/1.1\r\n" + HOST_HDR + b"Transfer-Encoding: chunked\r\n\r\nfffffff\r\nhello\r\n", 413, True),
        ("content-length-too-large",
         b"POST / HTTP/1.1\r\n" + HOST_HDR + b"Content-Length: 99999999\r\n\r\nhello", 413, True),
        ("unknown-transfer-coding",
         b"POST / HTTP/1.1\r\n" + HOST_HDR + b"Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501, True),
        ("header-line-over-the-limit", b"GET / HTTP/1.1\r\n" + HOST_HDR + long_field + b"\r\n", 431, True),
        ("too-many-headers", b"GET / HTTP/1.1\r\n" + HOST_HDR + many + b"\r\n", 431, True),
        ("request-line-over-the-limit", b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\n" + HOST_HDR + b"\r\n", 414, True),
        ("bare-cr", b"GET / HTTP/1.1\r\n" + HOST_HDR + b"X-A: a\rb\r\n\r\n", 400, True),
        ("bare-lf", b"GET / HTTP/1.1\n" + HOST_HDR + b"\r\n", 400, True),
        ("nul-byte", b"GET / HTTP/1.1\r\n" + HOST_HDR + b"X-A: a\x00b\r\n\r\n", 400, True),
        ("nul-in-path", b"GET /index.html%00.png HTTP/1.1\r\n" + HOST_HDR + b"\r\n", 400, True),
        ("obs-fold", b"GET / HTTP/1.1\r\n" + HOST_HDR + b"X-A: a\r\n b\r\n\r\n", 400, True),
        ("space-before-colon", b"GET / HTTP/1.1\r\n" + HOST_HDR + b"X-A : a\r\n\r\n", 400, True),
        ("no-host", b"GET / HTTP/1.1\r\n\r\n", 400, True),
        ("two-hosts", b"GET / HTTP/1.1\r\n" + HOST_HDR + HOST_HDR + b"\r\n", 400, True),
        ("asterisk-form-with-get", b"GET * HTTP/1.1\r\n" + HOST_HDR + b"\r\n", 400, True),
        ("authority-form", b"GET site:80 HTTP/1.1\r\n" + HOST_HDR + b"\r\n", 400, True),
        ("dot-dot", b"GET /../../etc/passwd HTTP/1.1\r\n" + HOST_HDR + b"\r\n", 400, True),
        ("percent-encoded-dot-dot", b"GET /%2e%2e/%2E%2E/etc/passwd HTTP/1.1\r\n" + HOST_HDR + b"\r\n", 400, True),
        ("percent-encoded-dot-dot-slash", b"GET /dir/..%2f..%2fx HTTP/1.1\r\n" + HOST_HDR + b"\r\n", 400, True),
        ("bad-percent-escape", b"GET /%zz HTTP/1.1\r\n" + HOST_HDR + b"\r\n", 400, True),
        ("http-2.0", b"GET / HTTP/2.0\r\n" + HOST_HDR + b"\r\n", 505, True),
        ("http-1.2", b"GET / HTTP/1.2\r\n" + HOST_HDR + b"\r\n", 505, True),
        ("malformed-version", b"GET / HTTP/1.1x\r\n" + HOST_HDR + b"\r\n", 400, True),
        ("unknown-method", b"BREW / HTTP/1.1\r\n" + HOST_HDR + b"\r\n", 501, True),
        ("post-to-static-is-405", b"POST / HTTP/1.1\r\n" + HOST_HDR + b"Content-Length: 5\r\n\r\nhello", 405, False),
        ("absolute-form-is-taken", b"GET http://site/index.html HTTP/1.1\r\n" + HOST_HDR + b"\r\n", 200, False),
        ("options-asterisk", b"OPTIONS * HTTP/1.1\r\n" + HOST_HDR + b"\r\n", 200, False),
    ]


def bad(host, port):
    for name, data, status, close in bad_cases():
        st, closed = status_of(host, port, data, expect_close=close)
        if st != status:
            print("bad %s: status %s, want %d" % (name, st, status))
        elif close and not closed:
            print("bad %s: %d but the connection stayed open" % (name, st))
        else:
            print("ok %s: %d%s" % (name, st, ", closed" if close else ""))


def slow(host, port, limit):
    """One byte a second: the server must answer 408 and close before the
    head is done, within limit + 3 seconds."""
    req = b"GET / HTTP/1.1\r\n" + HOST_HDR + b"X-Slow: " + b"s" * 40 + b"\r\n\r\n"
    s = connect(host, port)
    s.settimeout(1)
    t0 = time.monotonic()
    data = b""
    for b in req:
        try:
            s.send(bytes([b]))
        except OSError:
            break
        try:
            chunk = s.recv(4096)
            data += chunk
            if not chunk:
                break
        except socket.timeout:
            pass
        except OSError:
            break
        if time.monotonic() - t0 > limit + 10:
            break
    dt = time.monotonic() - t0
    ok = data.startswith(b"HTTP/1.1 408") and dt < limit + 3
    print(("ok" if ok else "bad") + " slow-client: 408 and closed after %.1f s (deadline %g s): %r"
          % (dt, limit, data[:40]))


def record(d):
    import os
    os.makedirs(d, exist_ok=True)
    for name, data, _, _ in bad_cases():
        open(os.path.join(d, "python-" + name), "wb").write(data)
    open(os.path.join(d, "python-pipeline"), "wb").write(
        b"GET / HTTP/1.1\r\n" + HOST_HDR + b"\r\nHEAD /index.html HTTP/1.1\r\n" + HOST_HDR
        + b"\r\nGET /index.html HTTP/1.1\r\n" + HOST_HDR + b"Range: bytes=0-4\r\n\r\n")
    open(os.path.join(d, "python-chunked-ok"), "wb").write(
        b"POST /up HTTP/1.1\r\n" + HOST_HDR + b"Transfer-Encoding: chunked\r\n\r\n"
        b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "pipeline":
        pipeline(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif cmd == "bad":
        bad(sys.argv[2], int(sys.argv[3]))
    elif cmd == "slow":
        slow(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
    elif cmd == "record":
        record(sys.argv[2])
