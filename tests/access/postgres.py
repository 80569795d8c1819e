#!/usr/bin/python3
"""cordon access on a real PostgreSQL log: a server from Debian 12 started
on 127.0.0.1 (a free port) with log_connections and log_statement on,
Debian's log_line_prefix and UTC; a session that logs in, writes and
reads, one whose password is wrong; then the log read back. The answer:
127.0.0.1 read, with two connections, a login, a refusal, a read and two
writes; a log with only the refused session: probe_only.

Usage: postgres.py CORDON
"""
import json
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "probe"))
from testlib import ROOT, as_user, check, failures, free_port, run  # noqa: E402

CORDON = os.path.abspath(sys.argv[1])
PGBIN = "/usr/lib/postgresql/15/bin"
WORK = tempfile.mkdtemp(prefix="cordon-access-pg-")
os.chmod(WORK, 0o755)


def main():
    d = os.path.join(WORK, "pg")
    os.makedirs(d)
    if ROOT:
        shutil.chown(d, "nobody", "nogroup")
    with open(os.path.join(WORK, "pw"), "w") as f:
        f.write("app-secret\n")
    os.chmod(os.path.join(WORK, "pw"), 0o644)
    run(as_user([PGBIN + "/initdb", "-D", d + "/data", "-U", "postgres", "--auth-local=trust",
                 "--auth-host=scram-sha-256", "--pwfile=" + os.path.join(WORK, "pw"), "-E", "UTF8"]))
    port = free_port()
    log = d + "/log"
    opts = ("-p %d -k %s -c listen_addresses=127.0.0.1 -c log_connections=on -c log_disconnections=on "
            "-c log_statement=all -c log_timezone=UTC -c \"log_line_prefix=%%m [%%p] \"" % (port, d))
    t0 = int(time.time())
    run(as_user([PGBIN + "/pg_ctl", "-D", d + "/data", "-w", "-l", log, "-o", opts, "start"]))
    try:
        env = dict(os.environ, PGPASSWORD="app-secret", PGCONNECT_TIMEOUT="5")
        run(["psql", "-X", "-q", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", "postgres", "-c",
             "CREATE TABLE cases (id int, mail text); INSERT INTO cases VALUES (1, 'x'); SELECT * FROM cases;"], env=env)
        env["PGPASSWORD"] = "wrong"
        r = run(["psql", "-X", "-q", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", "postgres", "-c",
                 "SELECT 1"], env=env, check=False)
        check(r.returncode != 0, "a wrong password is refused")
    finally:
        run(as_user([PGBIN + "/pg_ctl", "-D", d + "/data", "-m", "fast", "-w", "stop"]), check=False)
    t1 = int(time.time()) + 1
    window = "%s..%s" % (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t0 - 60)),
                         time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t1 + 60)))
    r = run([CORDON, "access", "--window", window, "--dest", "127.0.0.1:%d" % port, "--include-private",
             "--report-format", "json", log], check=False)
    check(r.returncode == 0, "cordon access reads the log (exit %d: %s)" % (r.returncode, r.stderr.strip()))
    rows = [json.loads(l) for l in r.stdout.splitlines()] if r.returncode == 0 else [{}]
    check(rows[0].get("formats") == ["postgres"], "the log is told as PostgreSQL's (%s)" % rows[0].get("formats"))
    by = {x["address"]: x for x in rows[1:]}
    one = by.get("127.0.0.1", {})
    acts = one.get("actions", {})
    check(one.get("verdict") == "read", "127.0.0.1 logged in and read: read (got %s)" % one.get("verdict"))
    check(acts == {"connect": 2, "login": 1, "refused": 1, "read": 1, "write": 2},
          "127.0.0.1: two connections, a login, a refusal, a read, two writes (%s)" % acts)
    check(rows[0].get("verdict") == "read", "the window's verdict is read (got %s)" % rows[0].get("verdict"))
    check(one.get("internal") is True, "127.0.0.1 is internal, listed with --include-private")
    # the refused session alone: the log cut before the first session's lines
    lines = open(log).read().splitlines(True)
    first = [i for i, l in enumerate(lines) if "connection received" in l]
    cut = os.path.join(WORK, "refused.log")
    with open(cut, "w") as f:
        f.writelines(lines[:first[0]] + lines[first[1]:] if len(first) > 1 else lines)
    r = run([CORDON, "access", "--window", window, "--dest", "127.0.0.1:%d" % port, "--include-private",
             "--report-format", "json", cut], check=False)
    rows = [json.loads(l) for l in r.stdout.splitlines()] if r.returncode == 0 else [{}, {}]
    only = rows[1] if len(rows) > 1 else {}
    check(only.get("verdict") == "probe_only" and only.get("actions") == {"connect": 1, "refused": 1},
          "a refused login alone: probe_only, connect and refused (%s %s)" % (only.get("verdict"), only.get("actions")))
    if failures:
        print(open(log).read()[-3000:])
        print("%d failed" % len(failures))
        shutil.rmtree(WORK, ignore_errors=True)
        sys.exit(1)
    shutil.rmtree(WORK, ignore_errors=True)
    print("all passed")


main()
