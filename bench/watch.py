#!/usr/bin/python3
"""make bench, cordon watch: time to alert, from the write of a changed
export to the receipt by a webhook, with 10,000 NSGs watched (100 exports
of 100 NSGs of 20 rules, made by cordon-gen), and the watch's memory and
CPU at rest. A small export (one NSG guarding an asset whose owner routes
to the webhook) is rewritten 40 times, opening and closing Elasticsearch
in turn; each write is timed to its alert's arrival.
Usage: watch.py BUILD_DIR"""
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

build = sys.argv[1]
cordon, gen = os.path.join(build, "cordon"), os.path.join(build, "cordon-gen")
work = tempfile.mkdtemp(prefix="cordon-bench-watch-")
got = []


class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        got.append((time.time(), body["event"]))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *a):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
threading.Thread(target=server.serve_forever, daemon=True).start()
os.makedirs(os.path.join(work, "exports"))
for i in range(100):
    with open(os.path.join(work, "exports", "sub%03d.json" % i), "w") as f:
        subprocess.run([gen, "--seed", str(1000 + i), "--format", "nsg", "--nsgs", "100", "--rules", "20"], stdout=f,
                       check=True)


def hot(open_):
    rules = [{"name": "AllowESFromInternet", "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
              "sourceAddressPrefix": "Internet", "sourcePortRange": "*", "destinationAddressPrefix": "*",
              "destinationPortRange": "9200"}] if open_ else []
    doc = [{"name": "nsg-hot", "securityRules": rules}]
    tmp = os.path.join(work, "exports", ".hot.tmp")
    with open(tmp, "w") as f:
        json.dump(doc, f)
    os.rename(tmp, os.path.join(work, "exports", "hot.json"))


hot(False)
with open(os.path.join(work, "cordon.yaml"), "w") as f:
    f.write("""assets:
  hot-es:
    guarded_by: [nsg-hot]
    port: 9200
    owner: bench
watch:
  state: watch.db
  files: [exports]
  debounce: 100ms
  sinks:
    hook: { type: webhook, url: "http://127.0.0.1:%d/" }
  routes:
    bench: [hook]
""" % server.server_address[1])
t0 = time.time()
p = subprocess.Popen([cordon, "watch", "--config", os.path.join(work, "cordon.yaml"), "--log-format", "json"],
                     stderr=subprocess.PIPE, text=True)
for line in p.stderr:
    if '"event":"watching"' in line:
        break
threading.Thread(target=lambda: [None for _ in p.stderr], daemon=True).start()
load = time.time() - t0
rows = subprocess.run(["sqlite3", os.path.join(work, "watch.db"), "SELECT count(*) FROM findings"], capture_output=True,
                      text=True).stdout.strip()
lat = []
for k in range(40):
    n = len(got)
    t = time.time()
    hot(k % 2 == 0)
    while len(got) == n and time.time() - t < 30:
        time.sleep(0.002)
    if len(got) > n:
        lat.append(got[n][0] - t)
    time.sleep(0.3)


def proc_stat(pid):
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12]), int(open("/proc/%d/statm" % pid).read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


c0, _ = proc_stat(p.pid)
time.sleep(10)
c1, rss = proc_stat(p.pid)
p.terminate()
p.wait()
lat.sort()
pct = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
hz = os.sysconf("SC_CLK_TCK")
print("cordon watch: 10,000 NSGs watched (100 exports x 100 NSGs x 20 rules; %s findings in the state)" % rows)
print("  first evaluation (start to watching): %.1f s" % load)
print("  time to alert over %d changes (write -> webhook): p50 %.3f s, p99 %.3f s, max %.3f s (debounce 100 ms)" %
      (len(lat), pct(0.5), pct(0.99), lat[-1]))
print("  at rest: %.0f MB resident, %.2f%% of a core over 10 s" % (rss / 1e6, 100.0 * (c1 - c0) / hz / 10))
shutil.rmtree(work, ignore_errors=True)
