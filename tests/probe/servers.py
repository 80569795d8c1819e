#!/usr/bin/python3
"""Test servers for cordon probe, on 127.0.0.1 free ports.

REPLAY SERVERS. Elasticsearch, OpenSearch, Kibana, MongoDB, CouchDB, the
Docker Engine API and Cassandra are not packaged in Debian 12, so they are
not started for real: each kind below is a small server that replays the
exchanges the product documents, no more:
  - Elasticsearch REST API (GET /, /_cat/indices?format=json, /INDEX/_search;
    with security on: 401 and WWW-Authenticate: Basic realm="security"; and
    over HTTPS only, as Elasticsearch 8 serves it: KIND+tls),
    OpenSearch (the same, version.distribution "opensearch"),
  - Kibana GET /api/status (kbn-name header; 401 with security on),
  - CouchDB (GET / welcome, /_all_dbs, /DB/_all_docs; 3.x: 401 for
    /_all_dbs without an admin),
  - Docker Engine API (GET /version, /info, /containers/json),
  - MongoDB wire protocol OP_MSG (hello, buildInfo, listDatabases,
    listCollections, find; with authorization on: code 13 Unauthorized),
    BSON by python3-bson,
  - Cassandra native protocol v4 (OPTIONS/SUPPORTED, STARTUP/READY or
    AUTHENTICATE, QUERY/RESULT Rows).
ADVERSARIES: tarpit (accepts, never answers), reset (accepts, then RST),
garbage (random bytes), endless (an HTTP reply that never ends), drip (one
byte a second), tls-stall (reads the ClientHello, answers half a
ServerHello, then nothing).
PROXY: forwards to a real server, recording what the client sends.

Every server records each connection's client bytes in DIR/NAME.N.bin, for
the read-only check (wire.py). Usage:
  servers.py DIR NAME=KIND[:UPSTREAM_PORT] ...
prints one JSON object {NAME: PORT, ...} once all listen, then serves until
killed.
"""
import json
import os
import random
import socket
import struct
import sys
import threading
import time

import bson  # python3-bson

PII_DOCS = [
    {"ticket": 1, "customer": "Hanna Schmidt", "email": "hanna.schmidt@example.de", "text": "call me on +49 30 1234567"},
    {"ticket": 2, "customer": "Ivan Petrov", "email": "ivan.petrov@example.com", "text": "card 4111 1111 1111 1111"},
    {"ticket": 3, "customer": "Jo", "email": "jo@contoso.com", "text": "thanks"},
]


class Recorder:
    def __init__(self, directory, name):
        self.directory, self.name, self.n, self.lock = directory, name, 0, threading.Lock()

    def open(self):
        with self.lock:
            self.n += 1
            return open(os.path.join(self.directory, "%s.%d.bin" % (self.name, self.n)), "wb", buffering=0)


def recv_some(conn, rec, size=65536):
    data = conn.recv(size)
    if data:
        rec.write(data)
    return data


# ---- HTTP replays ----------------------------------------------------------

def read_http(conn, rec, buf):
    """One request: (method, path, headers, body, rest) or None at EOF."""
    while b"\r\n\r\n" not in buf:
        data = recv_some(conn, rec)
        if not data:
            return None
        buf += data
    head, rest = buf.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    n = int(headers.get("content-length", "0"))
    while len(rest) < n:
        data = recv_some(conn, rec)
        if not data:
            return None
        rest += data
    return method, path, headers, rest[:n], rest[n:]


def respond(conn, status, body, headers=()):
    if not isinstance(body, bytes):
        body = json.dumps(body).encode()
    reason = {200: "OK", 302: "Found", 401: "Unauthorized", 404: "Not Found"}.get(status, "X")
    head = "HTTP/1.1 %d %s\r\nContent-Length: %d\r\n" % (status, reason, len(body))
    for k, v in headers:
        head += "%s: %s\r\n" % (k, v)
    conn.sendall(head.encode() + b"\r\n" + body)


ES_ROOT = {"name": "node-1", "cluster_name": "support-analytics", "cluster_uuid": "x1",
           "version": {"number": "7.17.15", "build_flavor": "default", "lucene_version": "8.11.1"},
           "tagline": "You Know, for Search"}
OS_ROOT = {"name": "os-1", "cluster_name": "opensearch-cluster",
           "version": {"distribution": "opensearch", "number": "2.11.0"}, "tagline": "The OpenSearch Project: https://opensearch.org/"}
ES_401 = {"error": {"root_cause": [{"type": "security_exception", "reason": "missing authentication credentials for REST request [/]"}],
                    "type": "security_exception"}, "status": 401}


def es(method, path, headers, body, secured=False, root=ES_ROOT):
    elastic = [("X-elastic-product", "Elasticsearch"), ("Content-Type", "application/json")] if root is ES_ROOT else [("Content-Type", "application/json")]
    if secured:
        return 401, ES_401, [("WWW-Authenticate", 'Basic realm="security" charset="UTF-8"'), ("WWW-Authenticate", "ApiKey")]
    if path == "/":
        return 200, root, elastic
    if path.startswith("/_cat/indices"):
        return 200, [{"health": "green", "index": "support-cases", "docs.count": "250000000", "store.size": "81604378624"},
                     {"health": "green", "index": "chats-2019.12", "docs.count": "1200", "store.size": "1048576"},
                     {"health": "green", "index": ".kibana_1", "docs.count": "12", "store.size": "4096"}], elastic
    if "/_search" in path:
        return 200, {"took": 1, "hits": {"total": {"value": 3}, "hits": [{"_index": "x", "_id": str(i), "_source": d} for i, d in enumerate(PII_DOCS)]}}, elastic
    return 404, {"error": "no handler"}, elastic


def kibana(method, path, headers, body, secured=False):
    kbn = [("kbn-name", "kibana"), ("kbn-license-sig", "0a1b"), ("Content-Type", "application/json")]
    if path == "/":
        return 302, b"", kbn + [("Location", "/spaces/enter")]
    if path == "/api/status":
        if secured:
            return 401, {"statusCode": 401, "error": "Unauthorized", "message": "Unauthorized"}, kbn + [("WWW-Authenticate", 'Basic realm="kibana"')]
        return 200, {"name": "kibana", "version": {"number": "8.11.1", "build_snapshot": False}, "status": {"overall": {"level": "available"}}}, kbn
    return 404, {"statusCode": 404}, kbn


def couchdb(method, path, headers, body, secured=False):
    h = [("Server", "CouchDB/3.3.2 (Erlang OTP/24)"), ("Content-Type", "application/json")]
    if path == "/":
        return 200, {"couchdb": "Welcome", "version": "3.3.2" if secured else "2.3.1", "vendor": {"name": "The Apache Software Foundation"}}, h
    if secured:
        return 401, {"error": "unauthorized", "reason": "You are not a server admin."}, h
    if path == "/_all_dbs":
        return 200, ["_replicator", "_users", "customers"], h
    if path.startswith("/customers/_all_docs"):
        return 200, {"total_rows": 3, "offset": 0, "rows": [{"id": str(i), "key": str(i), "value": {"rev": "1-a"}, "doc": d} for i, d in enumerate(PII_DOCS)]}, h
    return 404, {"error": "not_found"}, h


def docker(method, path, headers, body, secured=False):
    h = [("Api-Version", "1.43"), ("Server", "Docker/24.0.7 (linux)"), ("Content-Type", "application/json")]
    if path == "/version":
        return 200, {"Version": "24.0.7", "ApiVersion": "1.43", "MinAPIVersion": "1.12", "Os": "linux", "Arch": "amd64"}, h
    if path == "/info":
        return 200, {"Containers": 4, "ContainersRunning": 3, "Images": 12, "ServerVersion": "24.0.7"}, h
    if path.startswith("/containers/json"):
        return 200, [{"Id": "abc", "Names": ["/support-db"], "Image": "postgres:15", "Command": "docker-entrypoint.sh postgres",
                      "Labels": {"maintainer": "kim.lee@example.com"}}], h
    return 404, {"message": "page not found"}, h


def nginx(method, path, headers, body, secured=False):
    return 200, b"<html><body>Welcome to nginx!</body></html>", [("Server", "nginx/1.22.1"), ("Content-Type", "text/html")]


HTTP_KINDS = {
    "es-open": lambda *a: es(*a), "es-secured": lambda *a: es(*a, secured=True),
    "opensearch-open": lambda *a: es(*a, root=OS_ROOT),
    "kibana-open": lambda *a: kibana(*a), "kibana-secured": lambda *a: kibana(*a, secured=True),
    "couchdb-open": lambda *a: couchdb(*a), "couchdb-secured": lambda *a: couchdb(*a, secured=True),
    "docker-open": lambda *a: docker(*a), "nginx": lambda *a: nginx(*a),
}


def serve_http(conn, rec, kind):
    buf = b""
    while True:
        req = read_http(conn, rec, buf)
        if not req:
            return
        method, path, headers, body, buf = req
        status, out, hdrs = HTTP_KINDS[kind](method, path, headers, body)
        respond(conn, status, out, hdrs)


# ---- MongoDB OP_MSG ------------------------------------------------------------

def serve_mongo(conn, rec, secured):
    buf = b""
    while True:
        while len(buf) < 4 or 16 <= struct.unpack("<i", buf[:4])[0] <= 48000000 and len(buf) < struct.unpack("<i", buf[:4])[0]:
            data = recv_some(conn, rec)
            if not data:
                return
            buf += data
        n = struct.unpack("<i", buf[:4])[0]
        if n < 16 or n > 48000000:
            return  # as mongod: an invalid message length closes the connection
        msg, buf = buf[:n], buf[n:]
        request_id, _, opcode = struct.unpack("<iii", msg[4:16])
        if opcode != 2013:  # OP_QUERY and the rest: refused since MongoDB 5.1
            return
        cmd = bson.decode(msg[21:])
        name = next(iter(cmd))
        if name == "hello":
            out = {"isWritablePrimary": True, "maxWireVersion": 21, "minWireVersion": 0, "ok": 1.0}
        elif name == "buildInfo":
            out = {"version": "7.0.4", "gitVersion": "38f3e37", "ok": 1.0}
        elif secured:
            out = {"ok": 0.0, "errmsg": "command %s requires authentication" % name, "code": 13, "codeName": "Unauthorized"}
        elif name == "listDatabases":
            out = {"databases": [{"name": "admin", "sizeOnDisk": 40960, "empty": False},
                                 {"name": "support", "sizeOnDisk": 73728, "empty": False}], "totalSize": 114688, "ok": 1.0}
        elif name == "listCollections":
            out = {"cursor": {"id": 0, "ns": cmd["$db"] + ".$cmd.listCollections", "firstBatch": [{"name": "tickets", "type": "collection"}]}, "ok": 1.0}
        elif name == "find":
            out = {"cursor": {"id": 0, "ns": cmd["$db"] + "." + cmd["find"], "firstBatch": PII_DOCS[: cmd.get("limit", 3)]}, "ok": 1.0}
        else:
            out = {"ok": 0.0, "errmsg": "no such command", "code": 59}
        body = bson.encode(out)
        reply = struct.pack("<iiii", 16 + 5 + len(body), 1, request_id, 2013) + struct.pack("<IB", 0, 0) + body
        conn.sendall(reply)


# ---- Cassandra native protocol v4 -------------------------------------------------

def cql_string(s):
    b = s.encode()
    return struct.pack(">H", len(b)) + b


def cql_rows(columns, rows):
    """A Rows result: global table spec, varchar columns."""
    body = struct.pack(">iii", 2, 0x0001, len(columns)) + cql_string("ks") + cql_string("t")
    for c in columns:
        body += cql_string(c) + struct.pack(">H", 0x000D)  # varchar
    body += struct.pack(">i", len(rows))
    for r in rows:
        for v in r:
            b = v.encode()
            body += struct.pack(">i", len(b)) + b
    return body


def serve_cassandra(conn, rec, secured):
    buf = b""
    while True:
        while len(buf) < 9 or len(buf) < 9 + struct.unpack(">i", buf[5:9])[0]:
            if buf and buf[0] not in (3, 4, 5):
                # as Cassandra: an unknown protocol version is answered with a
                # protocol error, and the connection closed
                conn.sendall(struct.pack(">BBhBi", 0x84, 0, 0, 0, 6) + struct.pack(">i", 0x000A) + b"\0\0")
                return
            data = recv_some(conn, rec)
            if not data:
                return
            buf += data
        version, flags, stream, opcode, n = struct.unpack(">BBhBi", buf[:9])
        body, buf = buf[9: 9 + n], buf[9 + n:]
        if opcode == 0x05:
            op, out = 0x06, struct.pack(">H", 3) + cql_string("CQL_VERSION") + struct.pack(">H", 1) + cql_string("3.4.6") + \
                cql_string("COMPRESSION") + struct.pack(">H", 0) + cql_string("PROTOCOL_VERSIONS") + struct.pack(">H", 1) + cql_string("4/v4")
        elif opcode == 0x01:
            op, out = (0x03, cql_string("org.apache.cassandra.auth.PasswordAuthenticator")) if secured else (0x02, b"")
        elif opcode == 0x07:
            q = body[4: 4 + struct.unpack(">i", body[:4])[0]].decode()
            if "system.local" in q:
                op, out = 0x08, cql_rows(["release_version"], [["4.1.3"]])
            elif "system_schema.keyspaces" in q:
                op, out = 0x08, cql_rows(["keyspace_name"], [["system"], ["support"]])
            elif "system_schema.tables" in q:
                op, out = 0x08, cql_rows(["keyspace_name", "table_name"], [["system", "local"], ["support", "cases"]])
            else:
                op, out = 0x08, cql_rows(["customer", "email"], [[d["customer"], d["email"]] for d in PII_DOCS])
        else:
            op, out = 0x00, struct.pack(">i", 0x000A) + cql_string("unsupported")
        conn.sendall(struct.pack(">BBhBi", 0x84, 0, stream, op, len(out)) + out)


# ---- adversaries ------------------------------------------------------------------

def serve_adversary(conn, rec, kind):
    if kind == "tarpit":
        time.sleep(3600)
    elif kind == "reset":
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    elif kind == "garbage":
        rnd = random.Random(7)
        for _ in range(64):
            conn.sendall(bytes(rnd.getrandbits(8) for _ in range(4096)))
        time.sleep(3600)
    elif kind == "endless":
        recv_some(conn, rec)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n[")
        chunk = b'{"a":"' + b"x" * 65536 + b'"},'
        while True:
            conn.sendall(chunk)
    elif kind == "drip":
        recv_some(conn, rec)
        for ch in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n" + b"x" * 3600:
            conn.sendall(bytes([ch]))
            time.sleep(1)
    elif kind == "tls-stall":
        recv_some(conn, rec)  # the ClientHello
        conn.sendall(b"\x16\x03\x03\x00\x40\x02\x00\x00")  # the start of a ServerHello record, never finished
        time.sleep(3600)


def serve_proxy(conn, rec, upstream_port):
    up = socket.socket()
    up.connect(("127.0.0.1", upstream_port))

    def back():
        try:
            while True:
                data = up.recv(65536)
                if not data:
                    break
                conn.sendall(data)
        except OSError:
            pass
        try:
            conn.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    threading.Thread(target=back, daemon=True).start()
    try:
        while True:
            data = recv_some(conn, rec)
            if not data:
                break
            up.sendall(data)
    except OSError:
        pass
    try:
        up.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def tls(conn):
    """The server side of TLS, with the certificate the test made
    (CORDON_TEST_TLS_CERT, _KEY): Elasticsearch 8 serves HTTPS only."""
    import ssl
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.environ["CORDON_TEST_TLS_CERT"], os.environ["CORDON_TEST_TLS_KEY"])
    return ctx.wrap_socket(conn, server_side=True)


def handler(kind, arg):
    if kind.endswith("+tls") and kind[:-4] in HTTP_KINDS:
        return lambda conn, rec: serve_http(tls(conn), rec, kind[:-4])
    if kind in HTTP_KINDS:
        return lambda conn, rec: serve_http(conn, rec, kind)
    if kind in ("mongo-open", "mongo-secured"):
        return lambda conn, rec: serve_mongo(conn, rec, kind.endswith("secured"))
    if kind in ("cassandra-open", "cassandra-secured"):
        return lambda conn, rec: serve_cassandra(conn, rec, kind.endswith("secured"))
    if kind in ("tarpit", "reset", "garbage", "endless", "drip", "tls-stall"):
        return lambda conn, rec: serve_adversary(conn, rec, kind)
    if kind == "proxy":
        return lambda conn, rec: serve_proxy(conn, rec, int(arg))
    raise SystemExit("unknown kind " + kind)


def listen(directory, name, kind, arg):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((os.environ.get("CORDON_TEST_BIND", "127.0.0.1"), 0))  # the benchmark listens on every 127.x
    s.listen(1024)
    rec = Recorder(directory, name)
    serve = handler(kind, arg)

    def one(conn):
        f = rec.open()
        try:
            serve(conn, f)
        except (OSError, ValueError, struct.error, bson.errors.BSONError if hasattr(bson, "errors") else OSError):
            # (a plain request to a TLS server ends here: ssl.SSLError is an OSError)
            pass
        finally:
            f.close()
            try:
                conn.close()
            except OSError:
                pass

    def loop():
        while True:
            conn, _ = s.accept()
            threading.Thread(target=one, args=(conn,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    return s.getsockname()[1]


def main():
    directory = sys.argv[1]
    ports = {}
    for spec in sys.argv[2:]:
        name, _, kind = spec.partition("=")
        kind, _, arg = kind.partition(":")
        ports[name] = listen(directory, name, kind, arg)
    print(json.dumps(ports), flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
