#!/usr/bin/python3
"""cordon probe against servers that do not play along (servers.py):
a tarpit that accepts and never answers, a reset, garbage, a reply that
never ends, one byte a second, a TLS handshake that never finishes; with a
real redis-server among them. None of them may hold up the others, grow
memory past the reply cap, or be reported as an open store; the deadline
and the concurrency do what they say.

Usage: adversarial.py CORDON
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from testlib import check, failures, free_port, wait_port

CORDON = os.path.abspath(sys.argv[1])
HERE = os.path.dirname(os.path.abspath(__file__))
WORK = tempfile.mkdtemp(prefix="cordon-adversary-")
SANITIZED = os.environ.get("CORDON_SANITIZED") == "1"
procs = []








def probe(targets, *extra):
    """Runs a probe under /usr/bin/time: (findings by endpoint, exit, stderr, max RSS in KiB)."""
    cmd = ["/usr/bin/time", "-f", "maxrss=%M", CORDON, "probe", "--no-config", "-v", "--report-format", "json",
           "--connect-timeout", "1s", "--timeout", "1s", "--endpoint-timeout", "5s", "--reply-max", "64k"] + list(extra) + targets
    r = subprocess.run(cmd, text=True, capture_output=True, timeout=120)  # a hang guard, not a measure
    found = {}
    for line in r.stdout.splitlines():
        f = json.loads(line)
        found[f["endpoint"]] = f
    rss = 0
    for line in r.stderr.splitlines():
        if line.startswith("maxrss="):
            rss = int(line[7:])
    return found, r.returncode, r.stderr, rss


def main():
    redis = free_port()
    procs.append(subprocess.Popen(["redis-server", "--port", str(redis), "--bind", "127.0.0.1", "--save", ""],
                                  stdout=subprocess.DEVNULL))
    wait_port(redis)
    kinds = ["tarpit", "reset", "garbage", "endless", "drip", "tls-stall"]
    p = subprocess.Popen([sys.executable, os.path.join(HERE, "servers.py"), WORK] + ["%s=%s" % (k, k) for k in kinds],
                         stdout=subprocess.PIPE, text=True)
    procs.append(p)
    ports = json.loads(p.stdout.readline())
    ep = {k: "127.0.0.1:%d" % v for k, v in ports.items()}
    control = "127.0.0.1:%d" % redis

    targets = list(ep.values()) + ["https://127.0.0.1:%d" % ports["tls-stall"], control]
    found, rc, err, rss = probe(targets)
    check(rc == 0, "the run ends, exit 0 (%d): %s" % (rc, err.strip()[-200:]))
    check(found.get(control, {}).get("kind") == "unauthenticated_access", "the real redis among them is found open")
    for k, e in ep.items():
        f = found.get(e)
        check(f is not None, "%s: reported (-v)" % k)
        if f:
            check(f["kind"] in ("unreachable", "other_service"), "%s: %s, not an open store (%s)" % (k, f["kind"], f["evidence"]))
    f = found.get("https://127.0.0.1:%d" % ports["tls-stall"], {})
    check(f.get("kind") == "unreachable" and "TLS" in f.get("evidence", ""), "an unfinished TLS handshake is named (%s)" % f.get("evidence"))
    # an endless reply is cut at --reply-max: memory stays near the program's own
    limit = 400000 if SANITIZED else 120000
    check(0 < rss < limit, "memory stays bounded with an endless reply (max RSS %d KiB)" % rss)

    # 40 tarpits and the control, 64 at once: the tarpits wait together
    many = [ep["tarpit"]] * 40 + [control]
    found, rc, err, rss = probe(many, "--deadline", "30s")
    check(rc == 0 and found.get(control, {}).get("kind") == "unauthenticated_access",
          "40 tarpits in flight together do not keep the control from its answer (exit %d)" % rc)

    # one at a time, they would: the deadline stops the run and says so
    found, rc, err, rss = probe(many, "--concurrency", "1", "--deadline", "3s")
    check(rc == 3, "the deadline cuts the run: exit 3 (%d)" % rc)
    check("not probed" in err, "the deadline names the endpoints not probed")
    check(control not in found, "the endpoint left at the deadline is not reported as probed")

    # the per-host rate limit spaces connections: 5 to one host at 2 a second
    t = time.time()
    found, rc, err, rss = probe([control] * 5, "--rate", "2")
    check(rc == 0 and time.time() - t >= 1.5, "--rate 2 spaces 5 connections to one host over 2 s")


if __name__ == "__main__":
    try:
        main()
    except Exception as e:
        import traceback
        traceback.print_exc()
        failures.append("setup: %s" % e)
    finally:
        for p in procs:
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(WORK, ignore_errors=True)
    print("%d failures" % len(failures))
    sys.exit(1 if failures else 0)
