#!/usr/bin/python3
"""The read-only check of cordon probe, from the wire: decodes every byte a
probe sent (as servers.py recorded it, one file per connection) into
requests written as text, and fails on any request that is not on the
list of the probe that may speak that protocol, as `cordon help probes`
prints the lists. A decoder written apart from the library: it reads what
went over the wire, not what the library meant to send.

Usage: wire.py CORDON DIR NAME=PROBE[,PROBE...] ...
  every DIR/NAME.*.bin is checked against the lists of the PROBEs named
  (and of "http", which asks GET / on any port). Exit 1 on a violation.
"""
import re
import struct
import subprocess
import sys
import glob
import base64
import os

import bson  # python3-bson


def pattern(p):
    """An allow-list pattern as cordon reads it: * any text, # a number."""
    return re.compile("".join(".*" if ch == "*" else "[0-9]+" if ch == "#" else re.escape(ch) for ch in p) + r"\Z", re.S)


def allow_lists(cordon):
    out = subprocess.run([cordon, "help", "probes"], check=True, capture_output=True, text=True).stdout
    lists, cur = {}, None
    for line in out.splitlines():
        if line.endswith(" may send:"):
            cur = lists.setdefault(line.split(" ", 1)[0], [])
        elif line.startswith("  ") and cur is not None:
            cur.append(pattern(line[2:]))
    return lists


def http_requests(data):
    out = []
    while data:
        if b"\r\n\r\n" not in data:
            raise ValueError("an unfinished HTTP request")
        head, data = data.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        n = int(headers.get("content-length", "0"))
        body, data = data[:n].decode("latin-1"), data[n:]
        text = method + " " + path + (" " + body if method == "POST" else "")
        if "authorization" in headers:
            kind, _, cred = headers["authorization"].partition(" ")
            text += " as " + (base64.b64decode(cred).decode() if kind == "Basic" else "?")
        if method not in ("GET", "POST"):
            text = "!" + text  # never allowed
        out.append(text)
    return out


KEYED = {"TYPE", "GETRANGE", "LRANGE", "HSCAN", "SSCAN", "ZRANGE", "XRANGE"}


def redis_requests(data):
    out = []
    while data:
        if data[:1] != b"*":
            raise ValueError("not a RESP array")
        line, data = data.split(b"\r\n", 1)
        args = []
        for _ in range(int(line[1:])):
            l, data = data.split(b"\r\n", 1)
            n = int(l[1:])
            args.append(data[:n])
            data = data[n + 2:]
        words = [a.decode("latin-1") for a in args]
        if words[0].upper() in KEYED and len(words) > 1:
            words[1] = "KEY"
        out.append(" ".join(words))
    return out


def memcached_requests(data):
    out = []
    for line in data.split(b"\r\n"):
        if not line:
            continue
        words = line.decode("latin-1").split(" ")
        if words[0] == "get":
            words = ["get"] + ["KEY"] * (len(words) - 1)
        out.append(" ".join(words))
    return out


def pg_requests(data):
    out = []
    first = True
    while data:
        if first:
            n, proto = struct.unpack(">ii", data[:8])
            if proto != 196608:
                raise ValueError("not a startup message (%d)" % proto)
            params = data[8:n].split(b"\0")
            kv = dict(zip(params[0::2], params[1::2]))
            user, db = kv.get(b"user", b"").decode(), kv.get(b"database", b"").decode()
            # the raw probe's startup has no options; libpq's connection
            # sets default_transaction_read_only in them
            out.append(("connect" if b"options" in kv else "startup") + " user=%s database=%s" % (user, db))
            data, first = data[n:], False
            continue
        t, n = data[:1], struct.unpack(">i", data[1:5])[0]
        body, data = data[5: 1 + n], data[1 + n:]
        if t == b"p":  # a password or SASL message: the connection is the owner's credentials'
            if out and out[-1].startswith("connect ") and not out[-1].endswith(" with the given password"):
                out[-1] += " with the given password"
            elif not (out and out[-1].endswith(" with the given password")):
                out.append("!password without a connection")
        elif t == b"X":
            out.append("Terminate")
        elif t == b"Q":
            out.append(body.rstrip(b"\0").decode())
        elif t == b"P":  # Parse: name, query
            out.append(body.split(b"\0")[1].decode())
        elif t in (b"B", b"D", b"E", b"S", b"H", b"C"):
            pass  # Bind, Describe, Execute, Sync, Flush, Close: what runs a parsed query
        else:
            out.append("!message " + t.decode("latin-1"))
    return out


def mysql_requests(data):
    out = []
    seq_first = True
    while data:
        n = data[0] | data[1] << 8 | data[2] << 16
        seq, body, data = data[3], data[4: 4 + n], data[4 + n:]
        if seq_first:
            # the handshake response: capabilities(4) max(4) charset(1) filler(23) user NUL auth
            user = body[32:].split(b"\0", 1)[0].decode()
            rest = body[32 + len(user) + 1:]
            auth_len = rest[0] if rest else 0
            who = "root" if user == "root" else "anonymous" if user == "" else user
            out.append("login %s with an empty password" % who if auth_len == 0 else "login %s with the given password" % user)
            seq_first = False
        elif seq == 0 and body[:1] == b"\x03":
            out.append(body[1:].decode())
        elif seq == 0 and body[:1] == b"\x01":
            out.append("!quit")
        elif seq == 0:
            out.append("!command %d" % body[0])
    return out


def mongo_requests(data):
    out = []
    while data:
        n, _, _, op = struct.unpack("<iiii", data[:16])
        msg, data = data[:n], data[n:]
        if op != 2013:
            out.append("!opcode %d" % op)
            continue
        cmd = bson.decode(msg[21:])
        name = next(iter(cmd))
        if name == "listCollections":
            out.append("listCollections " + cmd["$db"])
        elif name == "find":
            out.append("find %s limit %d" % (cmd["find"], cmd.get("limit", -1)))
        else:
            out.append(name)
    return out


def cql_requests(data):
    out = []
    while data:
        _, _, _, op, n = struct.unpack(">BBhBi", data[:9])
        body, data = data[9: 9 + n], data[9 + n:]
        if op == 0x05:
            out.append("OPTIONS")
        elif op == 0x01:
            out.append("STARTUP CQL_VERSION=3.0.0" if b"CQL_VERSION" in body and b"3.0.0" in body else "!STARTUP")
        elif op == 0x07:
            out.append("QUERY " + body[4: 4 + struct.unpack(">i", body[:4])[0]].decode())
        else:
            out.append("!opcode %d" % op)
    return out


def decode(data):
    """(protocol, requests) of one connection, told by its first bytes."""
    if not data:
        return "none", []
    if data[:4] in (b"GET ", b"POST", b"PUT ", b"DELE", b"HEAD"):
        return "http", http_requests(data)
    if data[:1] == b"\x16" and data[1:2] == b"\x03":
        return "tls", []  # a ClientHello, after a plain request was refused: a handshake, no request
    if data[:1] == b"*":
        return "redis", redis_requests(data)
    if data[:8] == b"\x00\x01\x00\x00\x00\x01\x00\x00":
        return "memcached-udp", ["version"] if data[8:] == b"version\r\n" else ["!" + repr(data[8:40])]
    if data[:7] in (b"version", b"stats\r\n") or data[:4] == b"get ":
        return "memcached", memcached_requests(data)
    if len(data) >= 8 and struct.unpack(">i", data[4:8])[0] == 196608:
        return "postgres", pg_requests(data)
    if len(data) >= 16 and struct.unpack("<i", data[12:16])[0] in (2013, 2004):
        return "mongodb", mongo_requests(data)
    if data[:1] == b"\x04" and len(data) >= 9:
        return "cassandra", cql_requests(data)
    if len(data) >= 36 and data[3] == 1:
        return "mysql", mysql_requests(data)
    return "unknown", ["!bytes " + repr(data[:40])]


PROTOCOL_PROBES = {"redis": ["redis"], "memcached": ["memcached"], "memcached-udp": ["memcached-udp"],
                   "postgres": ["postgres"], "mysql": ["mysql"], "mongodb": ["mongodb"], "cassandra": ["cassandra"]}


def main():
    cordon, directory = sys.argv[1], sys.argv[2]
    lists = allow_lists(cordon)
    bad = checked = 0
    for spec in sys.argv[3:]:
        name, _, probes = spec.partition("=")
        files = sorted(glob.glob(os.path.join(directory, name + ".*.bin")))
        if not files:
            print("wire: no connection recorded for %s" % name)
            bad += 1
        for f in files:
            data = open(f, "rb").read()
            try:
                proto, reqs = decode(data)
            except (ValueError, IndexError, struct.error) as e:
                print("wire: %s: cannot decode (%s): %r" % (f, e, data[:60]))
                bad += 1
                continue
            names = ["http"] + probes.split(",") if proto == "http" else PROTOCOL_PROBES.get(proto, [])
            patterns = [p for n in names for p in lists.get(n, [])]
            for r in reqs:
                checked += 1
                if not any(p.match(r) for p in patterns):
                    print("wire: %s (%s): '%s' is on no list of %s" % (f, proto, r[:200], names))
                    bad += 1
    print("wire: %d requests checked, %d outside the lists" % (checked, bad))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
