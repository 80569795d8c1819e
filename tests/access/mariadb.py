#!/usr/bin/python3
"""cordon access on a real MariaDB general query log: mariadbd from Debian
12 started on 127.0.0.1 (a free port) with the general log on and the
server's time zone UTC (TZ=UTC: MariaDB writes local times with no zone);
a session that logs in, writes and reads; a login with a wrong password;
then the log read back with --local-offset +00:00, and refused without it.

Usage: mariadb.py CORDON
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "probe"))
from testlib import ROOT, as_user, check, failures, free_port, run, wait_port  # noqa: E402

CORDON = os.path.abspath(sys.argv[1])
WORK = tempfile.mkdtemp(prefix="cordon-access-maria-")
os.chmod(WORK, 0o755)


def main():
    d = os.path.join(WORK, "m")
    os.makedirs(d)
    if ROOT:
        shutil.chown(d, "nobody", "nogroup")
    env = dict(os.environ, TZ="UTC")
    run(as_user(["mariadb-install-db", "--no-defaults", "--datadir=" + d + "/data", "--auth-root-authentication-method=normal",
                 "--skip-test-db"]), env=env)
    port = free_port()
    log = d + "/general.log"
    t0 = int(time.time())
    p = subprocess.Popen(as_user(["mariadbd", "--no-defaults", "--datadir=" + d + "/data", "--port=%d" % port,
                                  "--bind-address=127.0.0.1", "--socket=" + d + "/sock", "--pid-file=" + d + "/pid",
                                  "--log-error=" + d + "/err", "--skip-log-bin", "--general-log=1",
                                  "--general-log-file=" + log, "--skip-name-resolve"]),
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        check(wait_port(port), "mariadbd listens")
        sock = ["mariadb", "--no-defaults", "-u", "root", "--socket=" + d + "/sock", "-e"]
        run(sock + ["CREATE USER 'app'@'127.0.0.1' IDENTIFIED BY 'app-secret'; CREATE DATABASE support; "
                    "GRANT ALL ON support.* TO 'app'@'127.0.0.1';"])
        tcp = ["mariadb", "--no-defaults", "-h", "127.0.0.1", "-P", str(port), "-u", "app"]
        run(tcp + ["-papp-secret", "support", "-e",
                   "CREATE TABLE cases (id int, mail text); INSERT INTO cases VALUES (1, 'x'); SELECT * FROM cases;"])
        r = run(tcp + ["-pwrong", "support", "-e", "SELECT 1"], check=False)
        check(r.returncode != 0, "a wrong password is refused")
    finally:
        p.terminate()
        p.wait(30)
    t1 = int(time.time()) + 1
    window = "%s..%s" % (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t0 - 60)),
                         time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t1 + 60)))
    base = [CORDON, "access", "--window", window, "--dest", "127.0.0.1:%d" % port, "--include-private"]
    r = run(base + [log], check=False)
    check(r.returncode == 2 and "--local-offset" in r.stderr, "without --local-offset: refused, naming it (%s)" %
          r.stderr.strip())
    r = run(base + ["--local-offset", "+00:00", "--report-format", "json", log], check=False)
    check(r.returncode == 0, "with --local-offset +00:00: read (exit %d: %s)" % (r.returncode, r.stderr.strip()))
    rows = [json.loads(l) for l in r.stdout.splitlines()] if r.returncode == 0 else [{}]
    check(rows[0].get("formats") == ["mysql"], "the log is told as a general query log (%s)" % rows[0].get("formats"))
    one = {x["address"]: x for x in rows[1:]}.get("127.0.0.1", {})
    acts = one.get("actions", {})
    check(one.get("verdict") == "read", "127.0.0.1 logged in and read: read (got %s)" % one.get("verdict"))
    check(acts.get("login") == 1 and acts.get("refused") == 1 and acts.get("read", 0) >= 1 and acts.get("write", 0) >= 2,
          "127.0.0.1: a login, a refusal, a read, the writes (%s)" % acts)
    # an hour's offset the wrong way moves every event out of the window: unknown, nothing listed
    r = run(base + ["--local-offset", "+05:00", "--report-format", "json", log], check=False)
    rows = [json.loads(l) for l in r.stdout.splitlines()] if r.returncode == 0 else [{}]
    check(rows[0].get("verdict") == "unknown" and len(rows) == 1,
          "an offset that puts the log outside the window: unknown, no source (%s)" % rows[0].get("verdict"))
    if failures:
        print(open(log).read()[-2000:])
        print("%d failed" % len(failures))
        shutil.rmtree(WORK, ignore_errors=True)
        sys.exit(1)
    shutil.rmtree(WORK, ignore_errors=True)
    print("all passed")


main()
