"""What the tests of real servers share (probe's, access's): checks that
count, free ports, waiting for a server to listen, running a command (as
nobody when root: initdb and mariadbd refuse root)."""
import os
import random
import socket
import subprocess
import time

ROOT = os.geteuid() == 0

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


_ports = random.Random(os.urandom(8))


def free_port():
    """A port of 127.0.0.1 nothing is bound to, taken below the kernel's
    ephemeral range: a port of that range may be taken by any client's
    outgoing connection between this call and the server's bind (a
    nats-server of the worker's cluster test once failed so: "address
    already in use"). Random, so that tests run in parallel rarely meet."""
    lo = 32768
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            lo = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        pass
    for _ in range(200 if lo > 12000 else 0):
        port = _ports.randrange(10000, lo)
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            s.close()
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
