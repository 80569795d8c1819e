"""What the tests of real servers share (probe's, access's): checks that
count, free ports, waiting for a server to listen, running a command (as
nobody when root: initdb and mariadbd refuse root)."""
import os
import socket
import subprocess
import time

ROOT = os.geteuid() == 0

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port, host="127.0.0.1", seconds=60):
    end = time.time() + seconds
    while time.time() < end:
        try:
            socket.create_connection((host, port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


def run(cmd, **kw):
    must = kw.pop("check", True)
    kw.setdefault("capture_output", True)
    r = subprocess.run(cmd, text=True, **kw)
    if must and r.returncode:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd)[:200], r.returncode, (r.stderr or "").strip()[-400:]))
    return r


def as_user(cmd):
    """cmd as nobody when root."""
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"] + cmd if ROOT else cmd
