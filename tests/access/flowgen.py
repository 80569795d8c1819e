#!/usr/bin/env python3
"""Flow logs with known answers, for cordon access's tests and benchmark.

Writes one log in a format cordon access reads and, beside it, the answer
it must give (JSON), worked out from what was planted, not by cordon's code.

The scene: a day's window, 2026-11-01T00:00:00Z..2026-11-02T00:00:00Z; the
store at 10.0.0.4:9200 (its NIC's log also holds traffic to other ports and
to another VM, 10.0.0.9); an internal health check every minute (10.0.1.5),
which keeps the log covered; and planted sources:

  203.0.113.10   a large read (50 MiB back)
  203.0.113.11   just over the read threshold (9,000 bytes back)
  198.51.100.20  a probe: 600 bytes back
  198.51.100.21  a handshake only: 120 bytes back
  192.0.2.30     denied three times
  203.0.113.40   a probe 2 minutes before the window (inside the 5 m skew)
  203.0.113.41   a read 20 minutes before the window (outside it: not listed)
  203.0.113.42   a read 2 minutes after the window (inside the skew)
  198.51.100.50  only port 22 of the store (not the store's 9200: not listed)
  --scanners N   sources of 100.80.x.x..., each one flow, denied or a probe

Options: --gap (no record at all from 12:00 to 13:00: a gap), --no-reads
(the reading sources left out, so the gap decides the verdict),
--malformed K (K lines or tuples that are not records), --minutes M (the
background's length, for the benchmark: repeats the day's pattern).

The store's own logs (http: a proxy's combined log; es-audit: the
Elasticsearch audit log) hold what each source did instead of flows: a
source that reads searches, one that probes asks for "/" (the audit log: a
cluster:monitor/main listing), a denied one is refused (401,
authentication_failed): probe_only, since it reached the store. gcp: GCP
VPC flow logs, which sample: the window is never no_access from them.

  flowgen.py --format vpc|vpc-custom|nsg1|nsg2|vnet|gcp|http|es-audit --out LOG --expect JSON [options]
"""
import argparse
import json
import random
import time

FROM = 1793491200  # 2026-11-01T00:00:00Z
TO = FROM + 86400
STORE, OTHER_VM, PORT = "10.0.0.4", "10.0.0.9", 9200
SKEW, READ_BYTES = 300, 8192
STORE_LOGS = ("http", "es-audit", "mongodb", "mysql")


def planted(no_reads):
    # (address, start offset from FROM in s, [(bytes to store, bytes back)], allowed, port)
    p = [
        ("203.0.113.10", 3600, [(2000, 30 << 20), (1500, 20 << 20)], True, PORT),
        ("203.0.113.11", 7200, [(300, 9000)], True, PORT),
        ("198.51.100.20", 10800, [(180, 600)], True, PORT),
        ("198.51.100.21", 14400, [(60, 120)], True, PORT),
        ("192.0.2.30", 18000, [(60, 0), (60, 0), (60, 0)], False, PORT),
        ("203.0.113.40", -120, [(180, 700)], True, PORT),
        ("203.0.113.41", -1200, [(500, 1 << 20)], True, PORT),
        ("203.0.113.42", 86400 + 120, [(500, 1 << 20)], True, PORT),
        ("198.51.100.50", 21600, [(500, 1 << 20)], True, 22),
    ]
    if no_reads:
        p = [x for x in p if not any(b > READ_BYTES for _, b in x[2])]
    return p


def expected(fmt, plants, scanners, gap, malformed):
    srcs = {}
    worst = 0
    order = ["no_access", "probe_only", "unknown", "read"]
    for addr, off, flows, allowed, port in plants + scanners:
        t = FROM + off
        if port != PORT or t < FROM - SKEW or t > TO + SKEW:
            continue
        back = sum(b for _, b in flows)
        if fmt == "gcp" and not allowed:
            continue  # GCP logs no denied flow
        if fmt in STORE_LOGS:  # what was done: a read, a look, a refusal
            v = "read" if allowed and back > READ_BYTES else "probe_only"
            srcs[addr] = {"verdict": v, "flows": 0, "denied": 0, "bytes_to_store": 0,
                          "bytes_from_store": back if fmt == "http" and allowed else 0}
            worst = max(worst, order.index(v))
            continue
        if not allowed:
            v = "no_access"
        elif fmt == "nsg1":
            v = "unknown"
        else:
            v = "read" if back > READ_BYTES else "probe_only"
        srcs[addr] = {
            "verdict": v,
            "flows": len(flows) if allowed else 0,
            "denied": 0 if allowed else len(flows),
            "bytes_to_store": 0 if (not allowed or fmt == "nsg1") else sum(f for f, _ in flows),
            "bytes_from_store": 0 if (not allowed or fmt == "nsg1") else back,
        }
        worst = max(worst, order.index(v))
    gaps = [[FROM + 43200, FROM + 46800]] if gap else []
    if (gaps or malformed or fmt == "gcp") and worst < 2:
        worst = 2
    return {"verdict": order[worst], "sources": srcs, "internal": 1, "gaps": gaps, "malformed": malformed}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--format", required=True, choices=["vpc", "vpc-custom", "nsg1", "nsg2", "vnet", "gcp", "http",
                                                        "es-audit", "mongodb", "mysql"])
    ap.add_argument("--out", required=True)
    ap.add_argument("--expect")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scanners", type=int, default=40)
    ap.add_argument("--gap", action="store_true")
    ap.add_argument("--no-reads", action="store_true")
    ap.add_argument("--malformed", type=int, default=0)
    ap.add_argument("--minutes", type=int, default=1440)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    plants = planted(a.no_reads)
    scanners = []
    for k in range(a.scanners):
        addr = "203.0.%d.%d" % (114 + k // 250 % 100, k % 250 + 1) if k % 2 else "198.18.%d.%d" % (k // 250 % 256, k % 250 + 1)
        allowed = rnd.random() < 0.5
        at = rnd.randrange(0, 86400 - 3600 - 60)
        at += 3600 if at >= 43200 - 60 else 0  # never in the hour --gap empties
        scanners.append((addr, at, [(60, rnd.randrange(0, 2000) if allowed else 0)], allowed, PORT))

    # every flow as (time, src, dst, sport, dport, allowed, bytes fwd, bytes back)
    flows = []
    sport = 40000
    for m in range(a.minutes):  # background: a health check, and another VM's web traffic
        t = FROM + (m % 1440) * 60 + 5 + (m // 1440) * 0
        flows.append((t, "10.0.1.5", STORE, 50000 + m % 1000, PORT, True, 120, 400))
        flows.append((t + 20, "203.0.113.200", OTHER_VM, 51000 + m % 1000, 443, True, 900, 20000))
    for addr, off, fl, allowed, port in plants + scanners:
        for i, (fwd, back) in enumerate(fl):
            sport = 1024 + (sport + 1 - 1024) % 64000  # a port, however many flows
            flows.append((FROM + off + i * 30, addr, STORE, sport, port, allowed, fwd, back))
    if a.gap:
        flows = [f for f in flows if not (FROM + 43200 <= f[0] < FROM + 46800)]
    flows.sort()
    bad = ["this is not a flow record", "2 123 eni-1 999.1.2.3 10.0.0.4 1 9200 6 1 60 1793491200 1793491260 ACCEPT OK"]
    bad_tuples = ["1793491200,203.0.113.99,10.0.0.4,1,9200,X,I,A,B,,,,", "not,a,tuple"]

    def iso(t, frac=".000Z"):
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + frac

    with open(a.out, "w") as out:
        if a.format == "gcp":
            nbad = 0
            for i, (t, src, dst, sp, dp, ok, fwd, back) in enumerate(flows):
                if not ok:
                    continue  # GCP logs only what was let in
                for s, d, ps, pd, b in ((src, dst, sp, dp, fwd), (dst, src, dp, sp, back)):
                    if b:
                        out.write(json.dumps({"insertId": "i%d" % i, "jsonPayload": {
                            "connection": {"src_ip": s, "src_port": ps, "dest_ip": d, "dest_port": pd, "protocol": 6},
                            "bytes_sent": str(b), "packets_sent": str(max(1, b // 1000)), "reporter": "DEST",
                            "start_time": iso(t), "end_time": iso(t + 5)},
                            "logName": "projects/p/logs/compute.googleapis.com%2Fvpc_flows",
                            "timestamp": iso(t + 5)}, separators=(",", ":")) + "\n")
                if nbad < a.malformed and i % 97 == 50:
                    out.write('{"jsonPayload": {"connection": {}}}\n')
                    nbad += 1
            while nbad < a.malformed:
                out.write("not json\n")
                nbad += 1
        elif a.format in STORE_LOGS:
            nbad = 0
            if a.format == "mysql":
                out.write("/usr/sbin/mysqld, Version: 8.0.40 (MySQL Community Server - GPL). started with:\n"
                          "Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock\n"
                          "Time                 Id Command    Argument\n")
            for i, (t, src, dst, sp, dp, ok, fwd, back) in enumerate(flows):
                if dst != STORE or dp != PORT:
                    continue  # the store's log sees only its own requests
                health = src == "10.0.1.5"
                path = "/_cluster/health" if health else "/cases/_search" if back > READ_BYTES else "/"
                read = back > READ_BYTES and not health
                if a.format == "mongodb":
                    def m(tt, ctx, id_, msg, attr):
                        return json.dumps({"t": {"$date": iso(tt, ".000+00:00")}, "s": "I", "c": "NETWORK", "id": id_,
                                           "ctx": ctx, "msg": msg, "attr": attr}, separators=(",", ":")) + "\n"
                    cid = i + 1
                    out.write(m(t, "listener", 22943, "Connection accepted",
                                {"remote": "%s:%d" % (src, sp), "connectionId": cid, "connectionCount": 1}))
                    if not ok:
                        out.write(m(t, "conn%d" % cid, 20249, "Authentication failed", {"mechanism": "SCRAM-SHA-256"}))
                    elif read:
                        out.write(m(t, "conn%d" % cid, 20250, "Authentication succeeded", {"principalName": "app"}))
                        out.write(m(t + 1, "conn%d" % cid, 51803, "Slow query",
                                    {"type": "command", "ns": "support.cases", "command": {"find": "cases", "filter": {}}}))
                    out.write(m(t + 2, "conn%d" % cid, 22944, "Connection ended", {"remote": "%s:%d" % (src, sp)}))
                elif a.format == "mysql":
                    stamp = iso(t, ".000000Z")
                    tid = i + 10
                    if ok and (read or health):
                        out.write("%s\t%5d Connect\tapp@%s on support using TCP/IP\n" % (stamp, tid, src))
                        out.write("%s\t%5d Query\tSELECT * FROM cases\n" % (stamp, tid))
                    else:
                        out.write("%s\t%5d Connect\tAccess denied for user 'app'@'%s' (using password: YES)\n" % (stamp, tid, src))
                    out.write("%s\t%5d Quit\t\n" % (stamp, tid))
                elif a.format == "http":
                    ts = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(t))
                    out.write('%s - - [%s] "%s %s HTTP/1.1" %d %d "-" "agent"\n' % (
                        src, ts, "POST" if path.endswith("_search") else "GET", path, 200 if ok else 401,
                        back if ok else 0))
                else:
                    ev = {"type": "audit", "timestamp": iso(t, ",000+0000"), "node.id": "n1", "event.type": "transport",
                          "event.action": "access_granted" if ok else "authentication_failed",
                          "origin.type": "rest", "origin.address": "%s:%d" % (src, sp), "url.path": path}
                    if ok:
                        ev["action"] = ("indices:data/read/search" if path.endswith("_search") else
                                        "cluster:monitor/health" if health else "cluster:monitor/main")
                    out.write(json.dumps(ev) + "\n")
                bad_line = ("%s\tx Connect\tnot a thread\n" % iso(t, ".000000Z") if a.format == "mysql"
                            else "this is not a log line\n")
                if nbad < a.malformed and i % 97 == 50:
                    out.write(bad_line)
                    nbad += 1
            while nbad < a.malformed:
                out.write("%s\tx Connect\tnot a thread\n" % iso(FROM, ".000000Z") if a.format == "mysql"
                          else "this is not a log line\n")
                nbad += 1
        elif a.format in ("vpc", "vpc-custom"):
            if a.format == "vpc":
                out.write("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n")
            else:
                out.write("version vpc-id interface-id account-id type srcaddr dstaddr pkt-srcaddr pkt-dstaddr srcport dstport protocol packets bytes start end action tcp-flags log-status\n")

            def rec(src, dst, sp, dp, b, t, act):
                if a.format == "vpc":
                    return "2 123456789012 eni-0a1b %s %s %d %d 6 %d %d %d %d %s OK\n" % (
                        src, dst, sp, dp, max(1, b // 1000), b, t, t + 60, act)
                return "5 vpc-1 eni-0a1b 123456789012 IPv4 %s %s %s %s %d %d 6 %d %d %d %d %s 2 OK\n" % (
                    src, dst, src, dst, sp, dp, max(1, b // 1000), b, t, t + 60, act)
            nbad = 0
            for i, (t, src, dst, sp, dp, ok, fwd, back) in enumerate(flows):
                act = "ACCEPT" if ok else "REJECT"
                out.write(rec(src, dst, sp, dp, fwd, t, act))
                if ok and back:
                    out.write(rec(dst, src, dp, sp, back, t, act))
                if nbad < a.malformed and i % 97 == 50:
                    out.write(bad[nbad % len(bad)] + "\n")
                    nbad += 1
            while nbad < a.malformed:
                out.write(bad[nbad % len(bad)] + "\n")
                nbad += 1
        else:
            # one record per hour, tuples grouped by rule
            records = []
            by_hour = {}
            for f in flows:
                by_hour.setdefault((f[0] - FROM) // 3600, []).append(f)
            nbad = 0
            for hour in sorted(by_hour):
                allow, deny = [], []
                for (t, src, dst, sp, dp, ok, fwd, back) in by_hour[hour]:
                    dec = "A" if ok else "D"
                    if a.format == "nsg1":
                        tup = ["%d,%s,%s,%d,%d,T,I,%s" % (t, src, dst, sp, dp, dec)]
                    elif a.format == "nsg2":
                        if ok:
                            tup = ["%d,%s,%s,%d,%d,T,I,A,B,,,," % (t, src, dst, sp, dp),
                                   "%d,%s,%s,%d,%d,T,I,A,E,%d,%d,%d,%d" % (t + 10, src, dst, sp, dp, 3, fwd, 3, back)]
                        else:
                            tup = ["%d,%s,%s,%d,%d,T,I,D,B,,,," % (t, src, dst, sp, dp)]
                    else:
                        if ok:
                            tup = ["%d,%s,%s,%d,%d,6,I,B,NX,0,0,0,0" % (t * 1000, src, dst, sp, dp),
                                   "%d,%s,%s,%d,%d,6,I,E,NX,3,%d,3,%d" % (t * 1000 + 10000, src, dst, sp, dp, fwd, back)]
                        else:
                            tup = ["%d,%s,%s,%d,%d,6,I,D,NX,1,60,0,0" % (t * 1000, src, dst, sp, dp)]
                    (allow if ok else deny).extend(tup)
                    if nbad < a.malformed and len(allow) % 97 == 50:
                        allow.append(bad_tuples[nbad % 2])
                        nbad += 1
                if hour == max(by_hour):
                    while nbad < a.malformed:
                        allow.append(bad_tuples[nbad % 2])
                        nbad += 1
                groups = [("UserRule_AllowElasticsearch", allow), ("DefaultRule_DenyAllInBound", deny)]
                if a.format == "vnet":
                    records.append({"time": "x", "flowLogVersion": 4, "flowRecords": {"flows": [
                        {"aclID": "acl", "flowGroups": [{"rule": r, "flowTuples": ts} for r, ts in groups if ts]}]}})
                else:
                    records.append({"time": "x", "category": "NetworkSecurityGroupFlowEvent", "properties": {
                        "Version": 1 if a.format == "nsg1" else 2,
                        "flows": [{"rule": r, "flows": [{"mac": "000D3A", "flowTuples": ts}]} for r, ts in groups if ts]}})
            json.dump({"records": records}, out, separators=(",", ":"))
    if a.expect:
        with open(a.expect, "w") as f:
            json.dump(expected(a.format, plants, scanners, a.gap, a.malformed), f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
