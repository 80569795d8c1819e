#!/usr/bin/python3
"""cordon worker, publish and consume against nats-server from Debian 12,
with JetStream, on 127.0.0.1 free ports.

  single:  one server. A generated corpus (JSON lines, every record with an
           e-mail address and a card number of its own, one in 397 records
           malformed) is published; three workers redact it while workers
           are killed with SIGKILL at random moments and started again.
           Then: records out + quarantined = records in, each record once
           (the server's duplicate window drops what a killed worker had
           published and not acknowledged), no planted value in any
           published record, the quarantine holds exactly the malformed
           records with their reasons. Also: a message held in the stream
           when there is no quarantine subject and redacted once there is,
           a message whose redacted records outgrow the server's
           max_payload, SIGTERM, the metrics, and refused options.
  cluster: three servers in a cluster, streams with three replicas; the
           same corpus and checks while workers are killed and one server
           is killed with SIGKILL (and started again).
  auth:    user and password (a password file of mode 0600; 0644 refused),
           an nkey seed, TLS with a CA made here, and a credentials file
           (JWTs signed here) against a server in operator mode.

Usage: integration.py CORDON single|cluster|auth
"""
import base64
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "probe"))
from testlib import check, failures, free_port, run, wait_port  # noqa: E402

CORDON = os.path.abspath(sys.argv[1])
MODE = sys.argv[2] if len(sys.argv) > 2 else "single"
WORK = tempfile.mkdtemp(prefix="cordon-worker-")
SANITIZED = bool(os.environ.get("CORDON_SANITIZED"))
RECORDS = int(os.environ.get("CORDON_WORKER_RECORDS", "20000" if SANITIZED else "200000"))
BAD_EVERY = 397
rng = random.Random(int(os.environ.get("CORDON_TEST_SEED", "2026")))
procs = []


# ---- servers ----
class Server:
    def __init__(self, name, cluster=None, extra=""):
        self.name = name
        self.port = free_port()
        self.cport = free_port() if cluster is not None else None
        self.mport = free_port()
        self.store = os.path.join(WORK, name + "-js")
        self.conf = os.path.join(WORK, name + ".conf")
        self.log = os.path.join(WORK, name + ".log")
        self.extra = extra
        self.p = None

    def write(self, peers=()):
        conf = ("listen: 127.0.0.1:%d\nserver_name: %s\nhttp: 127.0.0.1:%d\n"
                "jetstream { store_dir: %s, max_memory_store: 64MB, max_file_store: 4GB }\n%s\n"
                % (self.port, self.name, self.mport, json.dumps(self.store), self.extra))
        if self.cport:
            routes = ", ".join("nats-route://127.0.0.1:%d" % p.cport for p in peers if p is not self)
            conf += "cluster { name: cordon, listen: 127.0.0.1:%d, routes: [%s] }\n" % (self.cport, routes)
        with open(self.conf, "w") as f:
            f.write(conf)

    def start(self):
        self.p = subprocess.Popen(["nats-server", "-c", self.conf], stdout=open(self.log, "a"),
                                  stderr=subprocess.STDOUT)
        procs.append(self.p)
        if not wait_port(self.port, seconds=20):
            raise RuntimeError("nats-server %s did not listen: %s" % (self.name, open(self.log).read()[-800:]))

    def kill(self):
        self.p.kill()
        self.p.wait()

    @property
    def url(self):
        return "nats://127.0.0.1:%d" % self.port


def urls(servers):
    return ",".join(s.url for s in servers)


# ---- the corpus ----
def luhn_card(i):
    digits = [4] + [int(c) for c in "%014d" % (i * 7919 + 1000003)]
    total = 0
    for k, d in enumerate(reversed(digits)):
        if k % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


def corpus(path, n):
    """JSON lines; returns the planted values by id and the malformed ids."""
    planted, bad = {}, set()
    with open(path, "w") as f:
        for i in range(1, n + 1):
            email = "cust%d.%s@example%d.com" % (i, "".join(rng.choice("abcdefghijk") for _ in range(5)), i % 89)
            card = luhn_card(i)
            planted[i] = (email, card)
            text = ("Hi, order %d failed. Reach me at %s, card %s, thanks" % (i, email, card))
            if i % BAD_EVERY == 0:
                bad.add(i)
                f.write('{"id": %d, "text": "%s\n' % (i, text))  # unterminated: malformed
            else:
                f.write(json.dumps({"id": i, "text": text}) + "\n")
    return planted, bad


# ---- cordon ----
def tail(err, passed):
    """What a check shows of cordon's stderr: its end when the check passed;
    all of it (4 KB at most) when not, so that a sanitizer's report, its
    stack included, reaches the log."""
    err = err.strip()
    return err[-160:] if passed else err[-4000:]


def cordon(*args, **kw):
    kw.setdefault("timeout", 180)  # a hang fails the test, not the whole run
    return run([CORDON] + list(args), check=kw.pop("check", False), **kw)


def start_worker(url, group="redact", quarantine=True, replicas=1, extra=()):
    port = free_port()
    cmd = [CORDON, "worker", "--nats", url, "--in", "in", "--out", "out.records", "--create-streams",
           "--group", group, "--ack-wait", "2", "--nak-delay", "0.5", "--batch", "8", "-f", "jsonl",
           "--no-config", "--listen", "127.0.0.1:%d" % port] + list(extra)
    if quarantine:
        cmd += ["--quarantine", "out.quarantine"]
    if replicas > 1:
        cmd += ["--replicas", str(replicas)]
    log = open(os.path.join(WORK, "worker-%d.log" % port), "w")
    p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    p.metrics_port = port
    p.log_path = log.name
    procs.append(p)
    return p


def worker_for_a_while(args, seconds=2.5):
    """cordon worker ARGS for a while, then SIGTERM: (exit code, stderr)."""
    w = subprocess.Popen([CORDON, "worker"] + list(args), stderr=subprocess.PIPE, text=True)
    time.sleep(seconds)
    w.send_signal(signal.SIGTERM)
    try:
        err = w.communicate(timeout=20)[1]
    except subprocess.TimeoutExpired:
        # a worker that does not stop is a failure to report, not a run
        # that waits for ever (it held ctest's pipe, orphaned)
        w.kill()
        err = w.communicate()[1] + "\n(the worker did not stop within 20 s of SIGTERM)"
        check(False, "the worker stops on SIGTERM: " + tail(err, False))
        return None, err
    return w.returncode, err


def metrics(p):
    try:
        text = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % p.metrics_port, timeout=2).read().decode()
    except OSError:
        return {}
    out = {}
    for line in text.splitlines():
        m = re.match(r"^(cordon_worker_\w+)\{[^}]*\} (-?\d+)$", line)
        if m:
            out[m.group(1)] = int(m.group(2))
    return out


def wait_drained(p, seconds=180):
    """Until the group has nothing undelivered and nothing in flight, twice."""
    end, calm = time.time() + seconds, 0
    while time.time() < end:
        m = metrics(p)
        if m.get("cordon_worker_lag_messages") == 0 and m.get("cordon_worker_in_flight_messages") == 0:
            calm += 1
            if calm >= 2:
                return True
        else:
            calm = 0
        time.sleep(1.2)
    return False


def consume(url, subject, path):
    r = cordon("consume", "--nats", url, "--stream", "out", "--subject", subject, "--idle", "2", "--json",
               "-o", path)
    check(r.returncode == 0, "consume %s: %s" % (subject, r.stderr.strip()[-300:]))
    with open(path) as f:
        return [json.loads(line) for line in f]


def verify(label, url, planted, bad, total_messages):
    out = consume(url, "out.records", os.path.join(WORK, label + "-out.json"))
    quar = consume(url, "out.quarantine", os.path.join(WORK, label + "-quarantine.json"))
    ids = [m["headers"]["Nats-Msg-Id"][0] for m in out + quar]
    check(len(ids) == len(set(ids)), "%s: no message stored twice (%d messages, %d ids)"
          % (label, len(ids), len(set(ids))))
    seen, leaked, unparsed = {}, 0, 0
    for m in out:
        for line in m["data"].splitlines():
            try:
                rec = json.loads(line)
            except ValueError:
                unparsed += 1
                continue
            i = rec.get("id")
            seen[i] = seen.get(i, 0) + 1
            email, card = planted.get(i, ("", ""))
            if email in rec.get("text", "") or card in rec.get("text", ""):
                leaked += 1
    # anything shaped like an address or a card, anywhere in the output
    blob = "".join(m["data"] for m in out)
    check(unparsed == 0, "%s: every published record is JSON (%d not)" % (label, unparsed))
    check(leaked == 0 and not re.search(r"[\w.]+@example\d+\.com", blob) and not re.search(r"\b4\d{15}\b", blob),
          "%s: no planted value in the published records (%d records leak)" % (label, leaked))
    qids = {}
    reasons = set()
    for m in quar:
        mm = re.match(r'\{"id": (\d+),', m["data"])
        if mm:
            qids[int(mm.group(1))] = qids.get(int(mm.group(1)), 0) + 1
        reasons.add(m["headers"].get("Cordon-Reason", [""])[0].split(" at byte")[0])
    good = set(planted) - bad
    check(set(seen) == good and all(v == 1 for v in seen.values()),
          "%s: every good record published once (%d of %d; %d twice; %d unknown)"
          % (label, len(set(seen) & good), len(good), sum(1 for v in seen.values() if v > 1), len(set(seen) - good)))
    check(set(qids) == bad and all(v == 1 for v in qids.values()) and len(quar) == len(bad),
          "%s: the quarantine holds exactly the %d malformed records (%d)" % (label, len(bad), len(quar)))
    check(reasons == {"invalid JSON"}, "%s: each quarantined record says why: %s" % (label, sorted(reasons)))
    check(len(seen) + len(qids) == len(planted), "%s: out %d + quarantined %d = in %d"
          % (label, len(seen), len(qids), len(planted)))
    check(len(out) <= total_messages, "%s: %d output messages for %d input messages" % (label, len(out), total_messages))


def publish(url, path, replicas=1):
    args = ["publish", "--nats", url, "--subject", "in.records", "--create-streams", "--batch", "100", path]
    if replicas > 1:
        args += ["--replicas", str(replicas)]
    r = cordon(*args)
    m = re.search(r"published (\d+) records in (\d+) messages", r.stderr)
    return r, (int(m.group(1)), int(m.group(2))) if m else (0, 0)


def busiest(servers):
    """The server with the most clients (the workers' connections)."""
    def clients(s):
        try:
            return json.loads(urllib.request.urlopen("http://127.0.0.1:%d/connz" % s.mport,
                                                     timeout=3).read())["num_connections"]
        except (OSError, ValueError, KeyError):
            return -1
    return max(servers, key=clients)


def chaos(url, workers, seconds, kills, replicas=1, servers=None):
    """SIGKILL a random worker (and once the server most workers use) at
    random moments, each started again at once."""
    end = time.time() + seconds
    killed = 0
    server_done = servers is None
    server = None
    while time.time() < end and killed < kills:
        time.sleep(rng.uniform(0.2, 0.7))
        k = rng.randrange(len(workers))
        workers[k].kill()
        workers[k].wait()
        workers[k] = start_worker(url, replicas=replicas)
        killed += 1
        if not server_done and killed >= 1:
            server = busiest(servers)
            server.kill()
            server_done = True
            time.sleep(1.5)
            server.start()  # it catches up with the others
    return killed, server


def worker_logs_say():
    """What the workers' logs tell of the faults (printed, for the record)."""
    said = {"lost the NATS server": 0, "reconnected": 0, "not stored": 0, "backing off": 0}
    for name in os.listdir(WORK):
        if name.startswith("worker-"):
            text = open(os.path.join(WORK, name), errors="replace").read()
            for k in said:
                said[k] += text.count(k)
    print("     the workers' logs: %s" % json.dumps(said))
    return said


def stop_all(workers):
    codes = []
    for w in workers:
        w.send_signal(signal.SIGTERM)
    for w in workers:
        try:
            codes.append(w.wait(timeout=20))
        except subprocess.TimeoutExpired:
            w.kill()
            codes.append(-9)
    return codes


# ---- the scenarios ----
def scenario_single():
    srv = Server("single", extra="max_payload: 262144")
    srv.write()
    srv.start()
    path = os.path.join(WORK, "corpus.jsonl")
    planted, bad = corpus(path, RECORDS)
    r, (nrec, nmsg) = publish(srv.url, path)
    check(r.returncode == 0 and nrec == RECORDS, "publish: %d records in %d messages: %s"
          % (nrec, nmsg, r.stderr.strip()[-300:]))
    workers = [start_worker(srv.url) for _ in range(3)]
    kills, _ = chaos(srv.url, workers, 6, 5)
    check(kills >= 3, "%d workers killed with SIGKILL while redacting" % kills)
    check(wait_drained(workers[0]), "the workers drained the stream")
    total = {}
    for w in workers:
        for k, v in metrics(w).items():
            total[k] = total.get(k, 0) + v
    print("     metrics of the live workers: %s" % json.dumps(total, sort_keys=True))
    check(total.get("cordon_worker_records_in_total", -1) ==
          total.get("cordon_worker_records_out_total", 0) + total.get("cordon_worker_records_quarantined_total", 0),
          "the metrics reconcile: in = out + quarantined")
    codes = stop_all(workers)
    check(codes == [0, 0, 0], "SIGTERM: the workers finish their batch and exit 0 (%s)" % codes)
    verify("single", srv.url, planted, bad, nmsg)
    edge_cases(srv)


def edge_cases(srv):
    # a malformed record with no quarantine subject: its message stays in the
    # stream (held), the others go; with a quarantine subject it is redacted
    lines = [json.dumps({"id": 1, "text": "mail held.one@example.org"}), '{"id": 2, "text": "cut',
             json.dumps({"id": 3, "text": "mail held.three@example.org"})]
    p = os.path.join(WORK, "held.jsonl")
    with open(p, "w") as f:
        f.write("\n".join(lines) + "\n")
    r = cordon("publish", "--nats", srv.url, "--subject", "hin.records", "--create-streams", "--batch", "3", p)
    check(r.returncode == 0, "publish a message with a malformed record")
    base = ["worker", "--nats", srv.url, "--in", "hin", "--out", "hout.records", "--create-streams", "--group",
            "h", "--nak-delay", "0.3", "-f", "jsonl", "--no-config"]
    port = free_port()
    w = subprocess.Popen([CORDON] + base + ["--listen", "127.0.0.1:%d" % port], stderr=subprocess.PIPE, text=True)
    w.metrics_port = port
    time.sleep(3)
    m = metrics(w)
    w.send_signal(signal.SIGTERM)
    err = w.communicate(timeout=20)[1]
    check(m.get("cordon_worker_held_total", 0) >= 2 and m.get("cordon_worker_messages_total") == 0,
          "no quarantine subject: the message is held, delivered again, never acknowledged (%s)" % m)
    check("left in the stream" in err and "held.one" not in err, "the log says why, and no value")
    r = cordon("consume", "--nats", srv.url, "--stream", "hout", "--idle", "1")
    check(r.returncode == 0 and r.stdout == "", "nothing of the held message was published (%s)"
          % (r.stdout[:100] + r.stderr[-200:]))
    code, err = worker_for_a_while(base[1:] + ["--quarantine", "hout.quarantine"])
    check(code == 0 and "3 records: 2 out, 1 quarantined" in err, "with a quarantine subject it goes: %s"
          % err.strip().splitlines()[-1:])
    r = cordon("consume", "--nats", srv.url, "--stream", "hout", "--subject", "hout.records", "--idle", "1")
    check("held.one" not in r.stdout and r.stdout.count("[EMAIL_ADDRESS]") == 2, "its good records, redacted")

    # redacted records longer than the server takes (max_payload 256 KiB):
    # the message goes to the quarantine whole, never cut, never in clear
    p = os.path.join(WORK, "grow.txt")
    with open(p, "w") as f:
        for i in range(4000):
            f.write("a@b.io " * 12 + "\n")
    r = cordon("publish", "--nats", srv.url, "--subject", "gin.records", "--create-streams", "--batch", "4000", p)
    check(r.returncode == 0 and "4000 records in 2 messages" in r.stderr,
          "publish: lines are split at max_payload (%s)" % r.stderr.strip())
    _, err = worker_for_a_while(["--nats", srv.url, "--in", "gin", "--out", "gout.records",
                                 "--quarantine", "gout.quarantine", "--create-streams", "--no-config",
                                 "-e", "EMAIL_ADDRESS"])
    m = re.search(r"(\d+) records: (\d+) out, (\d+) quarantined", err)
    counts = tuple(map(int, m.groups())) if m else (0, 0, 0)
    check(counts[0] == 4000 and counts[1] + counts[2] == 4000 and counts[2] >= 3000,
          "a message whose redacted records outgrow max_payload is quarantined whole: %s" % (counts,))
    r = cordon("consume", "--nats", srv.url, "--stream", "gout", "--subject", "gout.quarantine", "--idle", "1",
               "--json")
    msgs = [json.loads(x) for x in r.stdout.splitlines()]
    check(msgs and sum(m["data"].count("\n") for m in msgs) == counts[2] and
          all("more than the server takes" in m["headers"]["Cordon-Reason"][0] for m in msgs),
          "each with its reason, every record of it")
    r = cordon("consume", "--nats", srv.url, "--stream", "gout", "--subject", "gout.records", "--idle", "1")
    check(r.stdout.count("\n") == counts[1] and "a@b.io" not in r.stdout, "the other message published, redacted")

    # a message as long as the server takes, whose redacted form is longer:
    # with its headers it would not fit in the quarantine either, so it goes
    # there in parts, cut after a line, never refused for ever
    p = os.path.join(WORK, "full.txt")
    with open(p, "w") as f:
        for i in range(3083):  # 262,055 bytes: with the worker's headers, more than 262,144
            f.write("a@b.io " * 12 + "\n")
    r = cordon("publish", "--nats", srv.url, "--subject", "pin.records", "--create-streams", "--batch", "100000",
               "--max-bytes", "262060", p)
    check(r.returncode == 0 and "3083 records in 1 messages" in r.stderr, "publish one message of 262 KB (%s)"
          % r.stderr.strip()[-120:])
    _, err = worker_for_a_while(["--nats", srv.url, "--in", "pin", "--out", "pout.records",
                                 "--quarantine", "pout.quarantine", "--create-streams", "--no-config",
                                 "-e", "EMAIL_ADDRESS"])
    r = cordon("consume", "--nats", srv.url, "--stream", "pout", "--idle", "1", "--json")
    msgs = [json.loads(x) for x in r.stdout.splitlines()]
    parts = [m["headers"].get("Cordon-Part", [""])[0] for m in msgs]
    check("3083 records: 0 out, 3083 quarantined" in err and parts == ["1", "2"] and
          all(m["subject"] == "pout.quarantine" for m in msgs) and
          "".join(m["data"] for m in msgs) == open(p).read(),
          "a message too long for the quarantine with its headers goes in 2 parts, whole: %s, %s"
          % (err.strip().splitlines()[-1:], parts))

    # a message that cannot be read at all (a CSV header over --max-record):
    # quarantined whole, counted one record
    p = os.path.join(WORK, "wide.csv")
    with open(p, "w") as f:
        f.write("id,a_header_longer_than_the_limit\n1,mail wide@example.org\n")
    r = cordon("publish", "--nats", srv.url, "--subject", "cin.records", "--create-streams", "--batch", "2", p)
    _, err = worker_for_a_while(["--nats", srv.url, "--in", "cin", "--out", "cout.records",
                                 "--quarantine", "cout.quarantine", "--create-streams", "--no-config",
                                 "-f", "csv", "--max-record", "16"])
    r = cordon("consume", "--nats", srv.url, "--stream", "cout", "--idle", "1", "--json")
    msgs = [json.loads(x) for x in r.stdout.splitlines()]
    check("1 records: 0 out, 1 quarantined" in err and len(msgs) == 1 and msgs[0]["subject"] == "cout.quarantine"
          and "header row" in msgs[0]["headers"]["Cordon-Reason"][0],
          "a message whose CSV header is over the limit goes to the quarantine whole: %s" % err.strip()[-200:])

    # a line longer than a message may be: an error, not cut
    p = os.path.join(WORK, "long.txt")
    with open(p, "w") as f:
        f.write("short\n" + "x" * 300000 + "\n")
    r = cordon("publish", "--nats", srv.url, "--subject", "lin.records", "--create-streams", p)
    check(r.returncode == 2 and "line 2" in r.stderr and "published 1 records" in r.stderr,
          "publish: an over-long line is refused by its number: %s" % r.stderr.strip()[-200:])

    # refusals
    for args, want in [
        (["worker", "--nats", srv.url, "--out", "x.y"], "--in STREAM"),
        (["worker", "--nats", srv.url, "--in", "nosuch", "--out", "x.y", "--no-config"], "no such stream"),
        (["worker", "--nats", srv.url, "--in", "in", "--out", "x.y", "--batch", "0"], "--batch"),
        (["worker", "--nats", srv.url, "--in", "in", "--out", "in.redacted", "--no-config"], "its own output"),
        (["worker", "--nats", srv.url, "--in", "in", "--out", "x.y", "--quarantine", "in.bad", "--no-config"],
         "its own quarantine"),
        (["worker", "--nats", srv.url, "--in", "in", "--out", "x.y", "--group", "a.b", "--no-config"], "consumer"),
        (["worker", "--in", "in", "--out", "x.y", "--no-config"], "--nats URL"),
        (["worker", "--nats", srv.url, "--in", "in", "--out", "x.y", "--no-config", "--listen", "nowhere"],
         "ADDRESS:PORT"),
        (["worker", "--nats", srv.url, "--in", "in", "--out", "x.y", "-o", "f"], "not one of worker's"),
        (["publish", "--nats", srv.url, "--subject", "zz.records", "/dev/null", "--replicas", "3"], "--create-streams"),
        (["publish", "--nats", srv.url, "--subject", "nostream.records", os.path.join(WORK, "held.jsonl")],
         "no stream takes"),
        (["consume", "--nats", srv.url], "--stream"),
        (["consume", "--nats", srv.url, "--stream", "in", "--create-streams"], "creates none"),
        (["publish", "--nats", "nats://127.0.0.1:1", "--subject", "a.b", "/dev/null"], "cannot connect"),
    ]:
        r = cordon(*args, timeout=60)
        check(r.returncode == 2 and want in r.stderr, "refused: %s (%s)" % (" ".join(args[3:])[:70],
                                                                          r.stderr.strip()[-160:]))


def scenario_cluster():
    servers = [Server("n%d" % i, cluster=True) for i in range(3)]
    for s in servers:
        s.write(servers)
    for s in servers:
        s.start()
    url = urls(servers)
    path = os.path.join(WORK, "corpus.jsonl")
    planted, bad = corpus(path, RECORDS // 2)
    end = time.time() + 60
    while True:  # the cluster elects its JetStream leader first
        r, (nrec, nmsg) = publish(url, path, replicas=3)
        if r.returncode == 0 or time.time() > end or "published 0 records" not in r.stderr:
            break
        time.sleep(1)
    check(r.returncode == 0 and nrec == len(planted), "publish to a 3-server cluster, 3 replicas: %d records in %d "
          "messages: %s" % (nrec, nmsg, r.stderr.strip()[-300:]))
    workers = [start_worker(url, replicas=3) for _ in range(3)]
    kills, victim = chaos(url, workers, 8, 5, replicas=3, servers=servers)
    check(kills >= 3, "%d workers and server %s killed with SIGKILL while redacting" % (kills, victim.name))
    drained = wait_drained(workers[0])
    check(drained, "the workers drained the stream")
    if not drained or os.environ.get("CORDON_TEST_VERBOSE"):
        for s in servers:
            try:
                print(urllib.request.urlopen("http://127.0.0.1:%d/jsz?streams=1&consumers=1" % s.mport,
                                             timeout=3).read().decode()[:3000])
            except OSError as e:
                print(s.name, e)
    said = worker_logs_say()
    check(said["lost the NATS server"] > 0, "workers lost their server and went on")
    codes = stop_all(workers)
    check(codes == [0, 0, 0], "SIGTERM: the workers exit 0 (%s)" % codes)
    verify("cluster", url, planted, bad, nmsg)


def crc16(data):
    crc = 0
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def armour(raw):
    c = crc16(raw)
    return base64.b32encode(raw + bytes([c & 0xFF, c >> 8])).decode().rstrip("=")


class NKey:
    """An nkey pair made with Python's cryptography package: prefix 'U' user,
    'A' account, 'O' operator."""
    PREFIX = {"U": 20 << 3, "A": 0, "O": 14 << 3}

    def __init__(self, kind):
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives import serialization
        prefix = self.PREFIX[kind]
        seed = os.urandom(32)
        self.sk = Ed25519PrivateKey.from_private_bytes(seed)
        pk = self.sk.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.pub = armour(bytes([prefix]) + pk)
        self.seed = armour(bytes([(18 << 3) | (prefix >> 5), (prefix & 31) << 3]) + seed)


def b64url(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def jwt(issuer, subject, name, nats):
    """A NATS JWT (v2 claims) signed by issuer."""
    claims = {"jti": "", "iat": int(time.time()), "iss": issuer.pub, "name": name, "sub": subject, "nats": nats}
    claims["jti"] = base64.b32encode(hashlib.sha256(json.dumps(claims).encode()).digest()).decode().rstrip("=")
    signed = b64url(json.dumps({"typ": "JWT", "alg": "ed25519-nkey"}).encode()) + "." + b64url(
        json.dumps(claims).encode())
    return signed + "." + b64url(issuer.sk.sign(signed.encode()))


def operator_mode(creds_path):
    """A server config of operator mode (JWTs, a memory resolver) and a
    .creds file of a user of its account, with JetStream allowed."""
    op, acct, sys_acct, user = NKey("O"), NKey("A"), NKey("A"), NKey("U")
    unlimited = {"subs": -1, "data": -1, "payload": -1, "imports": -1, "exports": -1, "wildcards": True, "conn": -1,
                 "leaf": -1}
    js = dict(unlimited, mem_storage=-1, disk_storage=-1, streams=-1, consumer=-1)
    op_jwt = jwt(op, op.pub, "cordon-test", {"type": "operator", "version": 2})
    acct_jwt = jwt(op, acct.pub, "app", {"limits": js, "type": "account", "version": 2})
    sys_jwt = jwt(op, sys_acct.pub, "SYS", {"limits": unlimited, "type": "account", "version": 2})
    user_jwt = jwt(acct, user.pub, "worker", {"pub": {}, "sub": {}, "subs": -1, "data": -1, "payload": -1,
                                               "type": "user", "version": 2})
    with open(creds_path, "w") as f:
        f.write("-----BEGIN NATS USER JWT-----\n%s\n------END NATS USER JWT------\n\n"
                "-----BEGIN USER NKEY SEED-----\n%s\n------END USER NKEY SEED------\n" % (user_jwt, user.seed))
    return ('operator: "%s"\nsystem_account: %s\nresolver: MEMORY\nresolver_preload: { %s: "%s", %s: "%s" }\n'
            % (op_jwt, sys_acct.pub, acct.pub, acct_jwt, sys_acct.pub, sys_jwt))


def scenario_auth():
    key = NKey("U")
    seed, pub = key.seed, key.pub
    # a CA and a server certificate for 127.0.0.1
    tls = os.path.join(WORK, "tls")
    os.makedirs(tls)
    run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=cordon test CA",
         "-keyout", tls + "/ca.key", "-out", tls + "/ca.pem"])
    run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout",
         tls + "/server.key", "-out", tls + "/server.csr"])
    with open(tls + "/ext", "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\n")
    run(["openssl", "x509", "-req", "-in", tls + "/server.csr", "-CA", tls + "/ca.pem", "-CAkey", tls + "/ca.key",
         "-CAcreateserial", "-days", "2", "-extfile", tls + "/ext", "-out", tls + "/server.pem"])
    extra = ('authorization { users = [ { user: app, password: "s3cret-pw" }, { nkey: %s } ] }\n'
             'tls { cert_file: %s, key_file: %s }\n' % (pub, json.dumps(tls + "/server.pem"),
                                                       json.dumps(tls + "/server.key")))
    srv = Server("auth", extra=extra)
    srv.write()
    srv.start()
    data = os.path.join(WORK, "a.txt")
    with open(data, "w") as f:
        f.write("mail a.person@example.org\n")
    pw = os.path.join(WORK, "pw")
    with open(pw, "w") as f:
        f.write("s3cret-pw\n")
    sd = os.path.join(WORK, "seed.nk")
    with open(sd, "w") as f:
        f.write(seed + "\n")
    base = ["publish", "--nats", srv.url, "--tls-ca", tls + "/ca.pem", "--subject", "ain.records",
            "--create-streams", data]
    for mode in (0o644, 0o600):
        os.chmod(pw, mode)
        os.chmod(sd, mode)
        r = cordon(*(base + ["--user", "app", "--password-file", pw]))
        want = (0, "1 records") if mode == 0o600 else (2, "group or others can access it")
        check(r.returncode == want[0] and want[1] in r.stderr, "user and --password-file of mode %o: %s"
              % (mode, tail(r.stderr, r.returncode == want[0] and want[1] in r.stderr)))
        r = cordon(*(base + ["--nkey", sd]))
        check(r.returncode == want[0] and want[1] in r.stderr, "--nkey seed of mode %o: %s"
              % (mode, tail(r.stderr, r.returncode == want[0] and want[1] in r.stderr)))
    r = cordon(*base)
    check(r.returncode == 2, "no credentials: refused by the server (%s)" % r.stderr.strip()[-120:])
    r = cordon(*(base[:3] + base[5:] + ["--user", "app", "--password-file", pw]))
    check(r.returncode == 2, "no --tls-ca: the server's certificate is not trusted (%s)" % r.stderr.strip()[-120:])
    env = dict(os.environ, NATS_PASSWORD="wrong")
    r = cordon(*(base + ["--user", "app"]), env=env)
    check(r.returncode == 2, "a wrong $NATS_PASSWORD is refused by the server")
    env["NATS_PASSWORD"] = "s3cret-pw"
    r = run([CORDON, "consume", "--nats", srv.url, "--tls-ca", tls + "/ca.pem", "--user", "app", "--stream", "ain",
             "--idle", "1"], env=env, check=False)
    check(r.returncode == 0 and r.stdout.count("a.person@example.org") == 2,
          "consume over TLS with $NATS_PASSWORD: the records as published (%s)" % r.stderr.strip()[-160:])

    # a credentials file (user JWT and seed) against a server in operator mode
    creds = os.path.join(WORK, "user.creds")
    op = Server("operator", extra=operator_mode(creds))
    op.write()
    op.start()
    for mode in (0o644, 0o600):
        os.chmod(creds, mode)
        r = cordon("publish", "--nats", op.url, "--creds", creds, "--subject", "cin.records", "--create-streams", data)
        want = (0, "1 records") if mode == 0o600 else (2, "group or others can access it")
        check(r.returncode == want[0] and want[1] in r.stderr, "--creds of mode %o: %s"
              % (mode, tail(r.stderr, r.returncode == want[0] and want[1] in r.stderr)))
    r = cordon("consume", "--nats", op.url, "--creds", creds, "--stream", "cin", "--idle", "1")
    check(r.returncode == 0 and r.stdout == "mail a.person@example.org\n", "consume with --creds")
    r = cordon("consume", "--nats", op.url, "--stream", "cin", "--idle", "1")
    check(r.returncode == 2 and "Authorization Violation" in r.stderr, "no --creds: refused by the server")


def main():
    try:
        {"single": scenario_single, "cluster": scenario_cluster, "auth": scenario_auth}[MODE]()
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        if failures:
            for name in os.listdir(WORK):
                if name.endswith(".log"):
                    text = open(os.path.join(WORK, name), errors="replace").read()
                    print("---- %s (last lines)\n%s" % (name, "\n".join(text.splitlines()[-15:])))
        shutil.rmtree(WORK, ignore_errors=True)
    print("%s: %d failed" % (MODE, len(failures)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
