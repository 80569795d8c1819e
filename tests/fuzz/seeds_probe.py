#!/usr/bin/python3
"""Writes the seed corpus of fuzz_probe (tests/fuzz/corpus/probe/): for
each probe, the replies of a server that answers as the product documents,
in the harness's framing (a byte picking the probe, then replies as a
2-byte length and the bytes; HTTP replies as a status byte, headers,
"\\n\\n", the body). Run it again when a probe is added.
Usage: seeds_probe.py CORDON OUT_DIR"""
import json
import os
import struct
import subprocess
import sys

import bson  # python3-bson

cordon, out = sys.argv[1], sys.argv[2]
names = [l.split(" ", 1)[0] for l in subprocess.run([cordon, "help", "probes"], capture_output=True, text=True).stdout.splitlines()
         if l.endswith(" may send:")]
# the harness's order: probe_defs (all but "http", which is last), then http
order = [n for n in names if n != "http"] + ["http"]
STATUS = {200: 0, 401: 1, 404: 2, 500: 3, 302: 4, 403: 5}


def frame(*replies):
    return b"".join(struct.pack("<H", len(r)) + r for r in replies)


def http(status, body, headers=b""):
    if not isinstance(body, bytes):
        body = json.dumps(body).encode()
    return bytes([STATUS[status]]) + headers + b"\n\n" + body


def seed(name, *replies):
    with open(os.path.join(out, "%s-%d.bin" % (name, len(os.listdir(out)))), "wb") as f:
        f.write(bytes([order.index(name)]) + frame(*replies))


def bulk(s):
    return b"$%d\r\n%s\r\n" % (len(s), s)


seed("redis", b"+PONG\r\n", bulk(b"# Server\r\nredis_version:7.0.15\r\n"), bulk(b"# Keyspace\r\ndb0:keys=3,expires=0\r\n"),
     b"*2\r\n$1\r\n0\r\n*2\r\n$4\r\nk:a1\r\n$4\r\nk:b2\r\n", b"+string\r\n+hash\r\n",
     bulk(b"mail a@example.com"), b"*2\r\n$1\r\n0\r\n*2\r\n$4\r\nname\r\n$3\r\nBob\r\n")
seed("redis", b"-NOAUTH Authentication required.\r\n")
seed("redis", b"-DENIED Redis is running in protected mode\r\n")
seed("memcached", b"VERSION 1.6.18\r\n", b"STAT curr_items 2\r\nSTAT bytes 100\r\nEND\r\n",
     b"key=k1 exp=-1 la=1 cas=1 fetch=no cls=1 size=84\nkey=a%2Fb exp=-1\nEND\r\n",
     b"VALUE k1 0 13\r\na@example.com\r\nEND\r\n")
seed("memcached-udp", b"\x00\x01\x00\x00\x00\x01\x00\x00VERSION 1.6.18\r\n")


def pg(t, body):
    return t + struct.pack(">i", len(body) + 4) + body


seed("postgres", pg(b"R", struct.pack(">i", 0)) + pg(b"S", b"server_version\x0015.4\x00") + pg(b"Z", b"I"))
seed("postgres", pg(b"R", struct.pack(">i", 10) + b"SCRAM-SHA-256\x00\x00"))
seed("postgres", pg(b"E", b"SFATAL\x00C28000\x00Mno pg_hba.conf entry\x00\x00"))
greeting = b"\x0a5.5.5-10.11.6-MariaDB\x00" + b"\x01\x00\x00\x00" + b"abcdefgh\x00" + b"\xff\xf7\x08\x02\x00" + b"\x00" * 13
seed("mysql", struct.pack("<I", len(greeting))[:3] + b"\x00" + greeting)
err = b"\xff\x6a\x04Host is not allowed"
seed("mysql", struct.pack("<I", len(err))[:3] + b"\x00" + err)


def op_msg(doc):
    body = bson.encode(doc)
    return struct.pack("<iiii", 21 + len(body), 1, 1, 2013) + b"\x00\x00\x00\x00\x00" + body


seed("mongodb", op_msg({"isWritablePrimary": True, "ok": 1.0}), op_msg({"version": "7.0.4", "ok": 1.0}),
     op_msg({"databases": [{"name": "support", "sizeOnDisk": 8192}], "ok": 1.0}),
     op_msg({"cursor": {"id": 0, "firstBatch": [{"name": "tickets"}]}, "ok": 1.0}),
     op_msg({"cursor": {"id": 0, "firstBatch": [{"email": "a@example.com"}]}, "ok": 1.0}))
seed("mongodb", op_msg({"ok": 1.0}), op_msg({"version": "7.0.4", "ok": 1.0}), op_msg({"ok": 0.0, "code": 13}))


def cql(op, body):
    return struct.pack(">BBhBi", 0x84, 0, 1, op, len(body)) + body


def s(x):
    return struct.pack(">H", len(x)) + x


def rows(cols, data):
    b = struct.pack(">iii", 2, 1, len(cols)) + s(b"ks") + s(b"t")
    for c in cols:
        b += s(c) + struct.pack(">H", 0x0D)
    b += struct.pack(">i", len(data))
    for r in data:
        for v in r:
            b += struct.pack(">i", len(v)) + v
    return b


seed("cassandra", cql(0x06, struct.pack(">H", 1) + s(b"CQL_VERSION") + struct.pack(">H", 1) + s(b"3.4.6")), cql(0x02, b""),
     cql(0x08, rows([b"release_version"], [[b"4.1.3"]])), cql(0x08, rows([b"keyspace_name"], [[b"support"]])),
     cql(0x08, rows([b"keyspace_name", b"table_name"], [[b"support", b"cases"]])),
     cql(0x08, rows([b"email"], [[b"a@example.com"]])))
seed("cassandra", cql(0x06, b""), cql(0x03, s(b"org.apache.cassandra.auth.PasswordAuthenticator")))
seed("http", http(200, {"name": "n", "cluster_name": "c", "version": {"number": "7.17.15"}, "tagline": "You Know, for Search"}),
     http(200, [{"index": "cases", "docs.count": "3", "store.size": "100"}]),
     http(200, {"hits": {"hits": [{"_source": {"email": "a@example.com"}}]}}))
seed("http", http(401, {"error": "x"}, b'WWW-Authenticate: Basic realm="security"\n'))
seed("http", http(200, {"couchdb": "Welcome", "version": "2.3.1"}), http(200, ["_users", "customers"]),
     http(200, {"total_rows": 1, "rows": [{"doc": {"email": "a@example.com"}}]}))
seed("http", http(404, {"message": "page not found"}), http(200, {"ApiVersion": "1.43", "Version": "24.0.7"}),
     http(200, {"Containers": 1, "Images": 2}), http(200, [{"Names": ["/db"], "Labels": {"m": "a@example.com"}}]))
seed("http", http(404, b"404 page not found\n"), http(200, {"etcdserver": "3.4.23"}), http(200, {"count": "2"}),
     http(200, {"kvs": [{"key": "L2E=", "value": "YUBleGFtcGxlLmNvbQ=="}]}))
seed("http", http(200, b"Ok.\n"), http(200, {"data": [["18.16.1"]]}), http(500, b"Code: 47"),
     http(200, {"data": [["default", "people"]]}), http(200, {"data": [["a@example.com"]]}))
seed("http", http(302, b"", b"kbn-name: kibana\n"), http(200, {"version": {"number": "8.11.1"}}))
seed("http", http(200, b"<html>RabbitMQ Management</html>"), http(401, b""), http(200, {"rabbitmq_version": "3.10.8"}))
