#!/usr/bin/env python3
"""Compares cordon access --report-format json with flowgen.py's answer.

  check.py GOT.jsonl EXPECT.json [--include-private]
Exits 1 naming each difference."""
import json
import sys

got = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
want = json.load(open(sys.argv[2]))
bad = []
win = got[0]
if win.get("kind") != "window":
    sys.exit("the first line is not the window")
if win["verdict"] != want["verdict"]:
    bad.append("window verdict %s, want %s" % (win["verdict"], want["verdict"]))
if win["internal_sources"] != want["internal"]:
    bad.append("internal sources %d, want %d" % (win["internal_sources"], want["internal"]))
if win["malformed"] != want["malformed"]:
    bad.append("malformed %d, want %d" % (win["malformed"], want["malformed"]))
# each planted gap reported, give or take the minutes records span
import calendar, time
def ts(s):
    return calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))
gaps = [(ts(g["from"]), ts(g["to"])) for g in win["gaps"]]
for a, b in want["gaps"]:
    if not any(abs(a - c) <= 120 and abs(b - d) <= 120 for c, d in gaps):
        bad.append("gap %d..%d not reported (got %s)" % (a, b, gaps))
if len(gaps) != len(want["gaps"]):
    bad.append("%d gaps, want %d: %s" % (len(gaps), len(want["gaps"]), win["gaps"]))
srcs = {s["address"]: s for s in got[1:] if not s["internal"]}
for addr, w in want["sources"].items():
    s = srcs.get(addr)
    if not s:
        bad.append("%s not listed" % addr)
        continue
    for k, v in w.items():
        if s[k] != v:
            bad.append("%s: %s %s, want %s" % (addr, k, s[k], v))
for addr in srcs:
    if addr not in want["sources"]:
        bad.append("%s listed, planted nowhere in the window" % addr)
if "--include-private" in sys.argv and not any(s["internal"] for s in got[1:]):
    bad.append("no internal source listed with --include-private")
for b in bad[:20]:
    print("  " + b)
sys.exit(1 if bad else 0)
