#!/usr/bin/python3
"""cordon worker throughput through a nats-server from Debian (JetStream,
file storage, one server on 127.0.0.1), against `cordon redact -j 1` on the
same records in a file, measured in the same run.

Generated support cases (cordon-gen, JSON lines, WORKER_BYTES, default 50
MB) are published in batches of 100 records a message; one worker, then two
(another group, another output stream each time, so nothing is taken for a
duplicate), redact the stream; the time is from the workers' start to the
last record acknowledged (their /metrics, read every 0.1 s). Then 1 record a
message (the first 100,000 records), for the cost of a round trip per
message. Prints records/s, MB/s and the ratio to `cordon redact`.

Usage: worker.py BUILD
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "probe"))
from testlib import free_port, wait_port  # noqa: E402

BUILD = sys.argv[1] if len(sys.argv) > 1 else "build"
CORDON = os.path.abspath(os.path.join(BUILD, "cordon"))
GEN = os.path.abspath(os.path.join(BUILD, "cordon-gen"))
SIZE = int(os.environ.get("WORKER_BYTES", "50000000"))
OUT = os.path.join(HERE, "out")
WORK = tempfile.mkdtemp(prefix="cordon-bench-worker-")
CPU = {}  # tag: (CPU seconds of the workers, of nats-server) during the run


def metrics(port):
    try:
        text = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=2).read().decode()
    except OSError:
        return {}
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^(cordon_worker_\w+)\{[^}]*\} (-?\d+)$", text, re.M)}


def cpu_seconds(pid):
    """user + system CPU time of a running process, from /proc."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_workers(url, stream, n, records, tag, server_pid):
    ports, procs = [], []
    server_cpu = cpu_seconds(server_pid)
    t0 = time.time()
    for _ in range(n):
        port = free_port()
        ports.append(port)
        procs.append(subprocess.Popen(
            [CORDON, "worker", "--nats", url, "--in", stream, "--out", "o%s.records" % tag, "--create-streams",
             "--group", "g" + tag, "-f", "jsonl", "--no-config", "-q",
             "--listen", "127.0.0.1:%d" % port]))
    done = 0
    while time.time() - t0 < 3600:
        done = sum(metrics(p).get("cordon_worker_records_in_total", 0) for p in ports)
        if done >= records:
            break
        time.sleep(0.1)
    seconds = time.time() - t0
    server_cpu = cpu_seconds(server_pid) - server_cpu
    for p in procs:
        p.send_signal(signal.SIGTERM)
    worker_cpu = 0.0
    for p in procs:
        _, _, ru = os.wait4(p.pid, 0)
        p.returncode = 0
        worker_cpu += ru.ru_utime + ru.ru_stime
    CPU[tag] = (worker_cpu, server_cpu)
    return seconds, done


def main():
    os.makedirs(OUT, exist_ok=True)
    corpus = os.path.join(OUT, "worker-cases.jsonl")
    if not os.path.exists(corpus) or os.path.getsize(corpus) < SIZE * 9 // 10:
        with open(corpus, "w") as f:
            subprocess.run([GEN, "--seed", "2026", "--size", str(SIZE), "--format", "jsonl"], stdout=f, check=True)
    size = os.path.getsize(corpus)
    with open(corpus, "rb") as f:
        records = sum(1 for _ in f)
    small = os.path.join(WORK, "small.jsonl")
    with open(corpus, "rb") as f, open(small, "wb") as g:
        for i, line in enumerate(f):
            if i >= 100000:
                break
            g.write(line)
    small_records = min(records, 100000)
    small_size = os.path.getsize(small)

    port = free_port()
    server = subprocess.Popen(["nats-server", "-js", "-sd", os.path.join(WORK, "js"), "-a", "127.0.0.1", "-p",
                               str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not wait_port(port, seconds=20):
            raise SystemExit("nats-server did not start")
        url = "nats://127.0.0.1:%d" % port
        rows = []
        # the baseline: the same records from a file, one thread
        t0 = time.time()
        subprocess.run([CORDON, "redact", "-j", "1", "-q", "--no-config", "-f", "jsonl", corpus],
                       stdout=subprocess.DEVNULL, check=True)
        base = time.time() - t0
        rows.append(("cordon redact -j 1, file", records, size, base))
        t0 = time.time()
        subprocess.run([CORDON, "publish", "--nats", url, "--subject", "in.records", "--create-streams", "--batch",
                        "100", "-q", corpus], check=True)
        rows.append(("publish, 100 records a message", records, size, time.time() - t0))
        for n in (1, 2):
            s, done = run_workers(url, "in", n, records, "b%d" % n, server.pid)
            rows.append(("%d worker%s, 100 records a message" % (n, "s" if n > 1 else ""), done, size, s))
        t0 = time.time()
        subprocess.run([CORDON, "publish", "--nats", url, "--subject", "one.records", "--create-streams", "-q",
                        small], check=True)
        rows.append(("publish, 1 record a message", small_records, small_size, time.time() - t0))
        t0 = time.time()
        subprocess.run([CORDON, "redact", "-j", "1", "-q", "--no-config", "-f", "jsonl", small],
                       stdout=subprocess.DEVNULL, check=True)
        small_base = time.time() - t0
        s, done = run_workers(url, "one", 1, small_records, "s1", server.pid)
        rows.append(("1 worker, 1 record a message", done, small_size, s))
        print("%d records, %.1f MB of JSON lines (cordon-gen); nats-server %s, one server, file storage"
              % (records, size / 1e6, subprocess.run(["nats-server", "--version"], capture_output=True,
                                                        text=True).stdout.strip()))
        print("%-36s %12s %8s %8s %10s" % ("job", "records/s", "MB/s", "seconds", "vs redact"))
        for name, n, b, s in rows:
            ref = small_base / small_records if "1 record a" in name else base / records
            print("%-36s %12.0f %8.1f %8.2f %10.2f" % (name, n / s, b / 1e6 / s, s, (ref * n) / s))
        print("CPU seconds during the worker runs (workers / nats-server):")
        for tag, (wc, sc) in CPU.items():
            print("  %-6s %6.2f / %6.2f" % (tag, wc, sc))
    finally:
        server.kill()
        server.wait()
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
