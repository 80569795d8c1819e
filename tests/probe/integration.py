#!/usr/bin/python3
"""cordon probe against real servers from Debian 12, started here on
127.0.0.1 free ports and stopped at the end: redis-server (open, with a
password, and in protected mode seen from a network namespace),
memcached (TCP and UDP), PostgreSQL (trust and SCRAM, initdb as an
unprivileged user), MariaDB (skip-grant-tables, and a root password), etcd
(open, then with authentication on), ClickHouse, RabbitMQ (guest:guest
from loopback and from another address); and against the replay servers
of servers.py for the products Debian does not package (Elasticsearch,
OpenSearch, Kibana, CouchDB, Docker, MongoDB, Cassandra).

Checks: each endpoint's finding (kind, service, severity, stores, the
entities of the sample); no sampled value in any output; every byte the
probes sent is on their lists (wire.py, through recording proxies); and
each real server's data is the same after the probes as before.

Usage: integration.py CORDON
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from testlib import ROOT, as_user, check, failures, free_port, run, wait_port

CORDON = os.path.abspath(sys.argv[1])
HERE = os.path.dirname(os.path.abspath(__file__))
WORK = tempfile.mkdtemp(prefix="cordon-probe-")
os.chmod(WORK, 0o755)  # the servers run as nobody
REC = os.path.join(WORK, "wire")
os.makedirs(REC)
PGBIN = "/usr/lib/postgresql/15/bin"
procs, cleanups = [], []
VALUES = ["pg-secret", "my-secret", "alice.smith@example.com", "bob@contoso.com", "dana.lee@example.org", "frank.miller@example.net",
          "carol.white@example.com", "erin@example.com", "lara.croft@example.org", "hanna.schmidt@example.de",
          "ivan.petrov@example.com", "4111 1111 1111 1111", "kim.lee@example.com", "7946 0958", "Hanna Schmidt"]


def start(cmd, **kw):
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    procs.append(p)
    return p


def probe(targets, *extra, netns=None):
    cmd = [CORDON, "probe", "--no-config", "-v", "--report-format", "json", "--connect-timeout", "2s",
           "--timeout", "2s", "--endpoint-timeout", "15s"] + list(extra) + targets
    if netns:
        cmd = ["ip", "netns", "exec", netns] + cmd
    r = subprocess.run(cmd, text=True, capture_output=True)
    if r.returncode not in (0, 1):
        print(r.stderr)
    shown = [v[:4] + "..." for v in VALUES if v in r.stdout or v in r.stderr]
    check(not shown, "no sampled value in the output (%s)" % (", ".join(shown) or "none of %d" % len(VALUES)))
    found = {}
    for line in r.stdout.splitlines():
        f = json.loads(line)
        found[f["endpoint"]] = f
    return found, r


def expect(found, endpoint, what, kind, service=None, severity=None, holds=(), stores=(), evidence=None):
    f = found.get(endpoint)
    if not f:
        check(False, "%s: a finding for %s" % (what, endpoint))
        return
    check(f["kind"] == kind, "%s: kind %s (got %s: %s)" % (what, kind, f["kind"], f.get("evidence")))
    if service:
        check(f["service"] == service, "%s: service %s (got %s)" % (what, service, f["service"]))
    if severity:
        check(f["severity"] == severity, "%s: severity %s (got %s)" % (what, severity, f["severity"]))
    got = {h["entity"] for h in f["holds"]}
    for e in holds:
        check(e in got, "%s: the sample holds %s (got %s)" % (what, e, sorted(got)))
    names = {s["name"] for s in f["stores"]}
    for s in stores:
        check(s in names, "%s: store %s listed (got %s)" % (what, s, sorted(names)[:8]))
    if evidence:
        check(evidence in f["evidence"], "%s: evidence says '%s' (got %s)" % (what, evidence, f["evidence"]))


def proxy_ports(specs):
    """Starts servers.py with specs; returns {name: port}."""
    p = subprocess.Popen([sys.executable, os.path.join(HERE, "servers.py"), REC] + specs, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    procs.append(p)
    return json.loads(p.stdout.readline())


# ---- the servers -------------------------------------------------------------

def start_redis(*args):
    port = free_port()
    start(["redis-server", "--port", str(port), "--save", "", "--appendonly", "no", "--enable-debug-command", "yes"]
          + list(args))
    wait_port(port)
    return port


def redis_cli(port, *args, password=None):
    cmd = ["redis-cli", "-p", str(port)] + (["-a", password, "--no-auth-warning"] if password else []) + list(args)
    return run(cmd).stdout.strip()


def start_memcached():
    port, udp = free_port(), free_port()
    start(["memcached", "-l", "127.0.0.1", "-p", str(port), "-U", str(udp)] + (["-u", "nobody"] if ROOT else []))
    wait_port(port)
    return port, udp


def memcached_cmd(port, text):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(text.encode())
    s.settimeout(2)
    out = b""
    while not out.endswith(b"END\r\n") and not out.endswith(b"STORED\r\n"):
        data = s.recv(65536)
        if not data:
            break
        out += data
    s.close()
    return out.decode()


def start_postgres(name, host_auth):
    """A cluster whose TCP clients authenticate with host_auth (trust,
    scram-sha-256); local socket clients are trusted (the test's own
    setup). One initdb, copied."""
    base = os.path.join(WORK, "pg-base")
    if not os.path.exists(base):
        os.makedirs(base)
        if ROOT:
            shutil.chown(base, "nobody", "nogroup")
        run(as_user([PGBIN + "/initdb", "-D", base + "/data", "-U", "postgres", "--auth=trust", "-E", "UTF8"]))
    d = os.path.join(WORK, name)
    os.makedirs(d)
    if ROOT:
        shutil.chown(d, "nobody", "nogroup")
    run(as_user(["cp", "-a", base + "/data", d + "/data"]))
    with open(d + "/data/pg_hba.conf", "w") as f:
        f.write("local all all trust\nhost all all 127.0.0.1/32 %s\n" % host_auth)
    port = free_port()
    run(as_user([PGBIN + "/pg_ctl", "-D", d + "/data", "-w", "-l", d + "/log", "-o",
                 "-p %d -k %s -c listen_addresses=127.0.0.1" % (port, d), "start"]))
    cleanups.append(lambda: run(as_user([PGBIN + "/pg_ctl", "-D", d + "/data", "-m", "immediate", "stop"]), check=False))
    return port, d


def psql(port, db, sql, host="127.0.0.1"):
    return run(["psql", "-X", "-q", "-h", host, "-p", str(port), "-U", "postgres", "-d", db, "-c", sql]).stdout


def start_mariadb(name, *args):
    d = os.path.join(WORK, name)
    os.makedirs(d)
    if ROOT:
        shutil.chown(d, "nobody", "nogroup")
    base = os.path.join(WORK, "mariadb-base")
    if not os.path.exists(base):
        os.makedirs(base)
        if ROOT:
            shutil.chown(base, "nobody", "nogroup")
        run(as_user(["mariadb-install-db", "--no-defaults", "--datadir=" + base + "/data", "--auth-root-authentication-method=normal",
                     "--skip-test-db"]))
    run(["cp", "-a", base + "/data", d + "/data"])
    port = free_port()
    start(as_user(["mariadbd", "--no-defaults", "--datadir=" + d + "/data", "--port=%d" % port, "--bind-address=127.0.0.1",
                   "--socket=" + d + "/sock", "--pid-file=" + d + "/pid", "--log-error=" + d + "/err", "--skip-log-bin"]
                  + list(args)))
    wait_port(port)
    return port, d


def mariadb(port, sql, password=None, socket_path=None):
    cmd = ["mariadb", "--no-defaults", "-u", "root", "-N", "-B", "-e", sql]
    cmd += ["--socket=" + socket_path] if socket_path else ["-h", "127.0.0.1", "-P", str(port)]
    if password:
        cmd.insert(4, "-p" + password)
    return run(cmd).stdout


def start_etcd():
    port, peer = free_port(), free_port()
    d = os.path.join(WORK, "etcd")
    start(["etcd", "--data-dir", d, "--listen-client-urls", "http://127.0.0.1:%d" % port, "--advertise-client-urls",
           "http://127.0.0.1:%d" % port, "--listen-peer-urls", "http://127.0.0.1:%d" % peer, "--initial-advertise-peer-urls",
           "http://127.0.0.1:%d" % peer, "--initial-cluster", "default=http://127.0.0.1:%d" % peer])
    wait_port(port)
    return port


def etcdctl(port, *args):
    env = dict(os.environ, ETCDCTL_API="3")
    return run(["etcdctl", "--endpoints", "http://127.0.0.1:%d" % port] + list(args), env=env).stdout


def start_clickhouse():
    d = os.path.join(WORK, "clickhouse")
    os.makedirs(d)
    port, tcp = free_port(), free_port()
    with open(d + "/config.xml", "w") as f:
        f.write("""<yandex><logger><level>warning</level><log>%(d)s/log</log><errorlog>%(d)s/err</errorlog></logger>
<http_port>%(port)d</http_port><tcp_port>%(tcp)d</tcp_port><listen_host>127.0.0.1</listen_host>
<path>%(d)s/data/</path><tmp_path>%(d)s/tmp/</tmp_path><users_config>users.xml</users_config>
<default_profile>default</default_profile><default_database>default</default_database>
<mark_cache_size>5368709</mark_cache_size></yandex>""" % {"d": d, "port": port, "tcp": tcp})
    with open(d + "/users.xml", "w") as f:
        f.write("""<yandex><profiles><default></default></profiles><users><default><password></password>
<networks><ip>::/0</ip></networks><profile>default</profile><quota>default</quota></default></users>
<quotas><default></default></quotas></yandex>""")
    start(["clickhouse-server", "--config-file=" + d + "/config.xml"], cwd=d)
    wait_port(port)
    return port


def clickhouse(port, sql):
    return run(["curl", "-sS", "--fail", "--data-binary", sql, "http://127.0.0.1:%d/" % port]).stdout


def start_rabbitmq():
    d = os.path.join(WORK, "rabbitmq")
    os.makedirs(d)
    mgmt, amqp, dist, epmd = free_port(), free_port(), free_port(), free_port()
    with open(d + "/plugins", "w") as f:
        f.write("[rabbitmq_management].\n")
    with open(d + "/rabbitmq.conf", "w") as f:
        # guest:guest from anywhere: the misconfiguration the probe reports
        f.write("listeners.tcp.default = 127.0.0.1:%d\nmanagement.tcp.port = %d\nmanagement.tcp.ip = 0.0.0.0\n"
                "loopback_users = none\n" % (amqp, mgmt))
    if ROOT:
        run(["chown", "-R", "rabbitmq", d])
    env = dict(os.environ, RABBITMQ_NODENAME="cordon%d@localhost" % mgmt, RABBITMQ_MNESIA_BASE=d + "/mnesia",
               RABBITMQ_LOG_BASE=d + "/log", RABBITMQ_ENABLED_PLUGINS_FILE=d + "/plugins",
               RABBITMQ_CONFIG_FILE=d + "/rabbitmq", RABBITMQ_DIST_PORT=str(dist), HOME=d, ERL_EPMD_PORT=str(epmd))
    start(["rabbitmq-server"], env=env)
    cleanups.append(lambda: subprocess.run(["rabbitmqctl", "stop"], env=env, capture_output=True))
    cleanups.append(lambda: subprocess.run(["epmd", "-port", str(epmd), "-kill"], capture_output=True))
    return mgmt if wait_port(mgmt, seconds=90) else None


# ---- a network namespace: a client that is not on loopback --------------------

NETNS = "cordon%d" % os.getpid()
HOST_ADDR, NS_ADDR = "10.213.%d.1" % (os.getpid() % 250), "10.213.%d.2" % (os.getpid() % 250)


def make_netns():
    if not ROOT:
        return False
    veth = "vc%d" % (os.getpid() % 100000)
    try:
        run(["ip", "netns", "add", NETNS])
        cleanups.append(lambda: subprocess.run(["ip", "netns", "del", NETNS], capture_output=True))
        run(["ip", "link", "add", veth, "type", "veth", "peer", "name", veth + "p"])
        cleanups.append(lambda: subprocess.run(["ip", "link", "del", veth], capture_output=True))
        run(["ip", "link", "set", veth + "p", "netns", NETNS])
        run(["ip", "addr", "add", HOST_ADDR + "/30", "dev", veth])
        run(["ip", "link", "set", veth, "up"])
        run(["ip", "netns", "exec", NETNS, "ip", "addr", "add", NS_ADDR + "/30", "dev", veth + "p"])
        run(["ip", "netns", "exec", NETNS, "ip", "link", "set", veth + "p", "up"])
        run(["ip", "netns", "exec", NETNS, "ip", "link", "set", "lo", "up"])
        return True
    except subprocess.CalledProcessError as e:
        print("cannot make a network namespace: %s" % e.stderr)
        return False


def main():
    t0 = time.time()
    # real servers, with data holding personal data
    r_open = start_redis("--bind", "127.0.0.1", "--protected-mode", "no")
    redis_cli(r_open, "set", "user:1", "mail alice.smith@example.com phone +1 415 555 0134")
    redis_cli(r_open, "hset", "cust:9", "name", "Bob Jones", "email", "bob@contoso.com")
    redis_cli(r_open, "rpush", "tickets", "call me at 212-555-0199", "ok")
    r_auth = start_redis("--bind", "127.0.0.1", "--requirepass", "s3cret-pass")
    netns = make_netns()
    r_prot = start_redis("--bind", "0.0.0.0", "--protected-mode", "yes") if netns else None
    mc, mc_udp = start_memcached()
    memcached_cmd(mc, "set k1 0 0 23\r\ncarol.white@example.com\r\n")
    memcached_cmd(mc, "set k2 0 0 16\r\nerin@example.com\r\n")
    pg, pgdir = start_postgres("pg-trust", "trust")
    psql(pg, "postgres", "CREATE DATABASE support")
    psql(pg, "support", "CREATE TABLE tickets (id int, email text, body text); INSERT INTO tickets VALUES "
                        "(1, 'dana.lee@example.org', 'call +44 20 7946 0958'), (2, 'erin@example.com', 'hi'), "
                        "(3, 'x', repeat('long text ', 300)); ANALYZE tickets;")
    pg_scram, pg_scram_dir = start_postgres("pg-scram", "scram-sha-256")
    psql(pg_scram, "postgres", "SET password_encryption = 'scram-sha-256'; ALTER USER postgres PASSWORD 'pg-secret'",
         host=pg_scram_dir)
    psql(pg_scram, "postgres", "CREATE DATABASE crm", host=pg_scram_dir)
    psql(pg_scram, "crm", "CREATE TABLE people (email text); INSERT INTO people VALUES ('frank.miller@example.net'); ANALYZE people",
         host=pg_scram_dir)
    my_open, my_open_dir = start_mariadb("mariadb-open", "--skip-grant-tables")
    mariadb(my_open, "CREATE DATABASE crm; CREATE TABLE crm.contacts (id int, name varchar(4000), email varchar(120)); "
                     "INSERT INTO crm.contacts VALUES (1, 'Frank Miller', 'frank.miller@example.net'), (2, 'Gina', 'erin@example.com'), "
                     "(3, REPEAT('long text ', 300), 'x'); "
                     "ANALYZE TABLE crm.contacts;")
    my_auth, my_auth_dir = start_mariadb("mariadb-auth")
    mariadb(my_auth, "ALTER USER root@localhost IDENTIFIED BY 'my-secret'; ALTER USER IF EXISTS root@'127.0.0.1' IDENTIFIED BY "
            "'my-secret'; ALTER USER IF EXISTS root@'::1' IDENTIFIED BY 'my-secret'; DROP USER IF EXISTS ''@localhost;",
            socket_path=my_auth_dir + "/sock")
    mariadb(my_auth, "CREATE DATABASE hr; CREATE TABLE hr.staff (email varchar(80)); INSERT INTO hr.staff VALUES "
                     "('lara.croft@example.org'); ANALYZE TABLE hr.staff;", password="my-secret", socket_path=my_auth_dir + "/sock")
    et = start_etcd()
    etcdctl(et, "put", "/users/1", "lara.croft@example.org")
    etcdctl(et, "put", "/config/x", "1")
    ch = start_clickhouse()
    clickhouse(ch, "CREATE TABLE default.people (name String, email String) ENGINE = TinyLog")
    clickhouse(ch, "INSERT INTO default.people VALUES ('Lara Croft', 'lara.croft@example.org'), ('Max', 'erin@example.com')")
    rmq = start_rabbitmq()
    print("servers up in %.1f s" % (time.time() - t0), flush=True)

    # a certificate for the HTTPS replay (Elasticsearch 8 serves HTTPS only)
    run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
         "-keyout", WORK + "/tls.key", "-out", WORK + "/tls.crt"])
    os.environ["CORDON_TEST_TLS_CERT"], os.environ["CORDON_TEST_TLS_KEY"] = WORK + "/tls.crt", WORK + "/tls.key"
    before = state(r_open, mc, pg, my_open, et, ch)
    # every byte the probes send to the real servers goes through a recorder
    ports = proxy_ports(["redis=proxy:%d" % r_open, "memcached=proxy:%d" % mc, "postgres=proxy:%d" % pg,
                         "mariadb=proxy:%d" % my_open, "etcd=proxy:%d" % et, "clickhouse=proxy:%d" % ch]
                        + (["rabbitmq=proxy:%d" % rmq] if rmq else [])
                        + ["es=es-open", "es8=es-secured", "opensearch=opensearch-open", "kibana=kibana-open",
                           "kibana8=kibana-secured", "couch2=couchdb-open", "couch3=couchdb-secured", "docker=docker-open",
                           "mongo=mongo-open", "mongo-auth=mongo-secured", "cassandra=cassandra-open",
                           "cassandra-auth=cassandra-secured", "nginx=nginx", "es-tls=es-open+tls"])
    ep = {k: "127.0.0.1:%d" % v for k, v in ports.items()}
    targets = list(ep.values()) + ["127.0.0.1:%d" % r_auth, "127.0.0.1:%d" % pg_scram, "127.0.0.1:%d" % my_auth]
    # a target without a port gets --ports: here memcached's UDP one
    found, r = probe(targets + ["127.0.0.1"], "-p", "U:%d" % mc_udp)
    check(r.returncode == 0, "probe exits 0 (%d): %s" % (r.returncode, r.stderr.strip()[-300:]))

    expect(found, ep["redis"], "redis open", "unauthenticated_access", "Redis", "critical", ["EMAIL_ADDRESS"], ["db0"], "+PONG")
    expect(found, "127.0.0.1:%d" % r_auth, "redis requirepass", "authenticated", "Redis", "info", evidence="-NOAUTH")
    expect(found, ep["memcached"], "memcached", "unauthenticated_access", "memcached", "critical", ["EMAIL_ADDRESS"], ["items"])
    expect(found, "127.0.0.1:%d/udp" % mc_udp, "memcached udp", "unauthenticated_access", "memcached", "high", evidence="UDP")
    expect(found, ep["postgres"], "postgres trust", "unauthenticated_access", "PostgreSQL", "critical", ["EMAIL_ADDRESS"], ["support"],
           "AuthenticationOk")
    expect(found, "127.0.0.1:%d" % pg_scram, "postgres scram", "authenticated", "PostgreSQL", "info", evidence="SCRAM")
    expect(found, ep["mariadb"], "mariadb skip-grant-tables", "unauthenticated_access", "MariaDB", "critical", ["EMAIL_ADDRESS"],
           ["crm.contacts"], "root")
    expect(found, "127.0.0.1:%d" % my_auth, "mariadb root password", "authenticated", "MariaDB", "info", evidence="refused")
    expect(found, ep["etcd"], "etcd open", "unauthenticated_access", "etcd", "critical", ["EMAIL_ADDRESS"], ["keys"])
    expect(found, ep["clickhouse"], "clickhouse default user", "unauthenticated_access", "ClickHouse", "critical", ["EMAIL_ADDRESS"],
           ["default.people"])
    if rmq:
        expect(found, ep["rabbitmq"], "rabbitmq from loopback", "authenticated", "RabbitMQ management", "info", evidence="loopback")
    else:
        check(False, "rabbitmq-server started")
    expect(found, ep["es"], "elasticsearch 7 open", "unauthenticated_access", "Elasticsearch", "critical",
           ["EMAIL_ADDRESS", "CREDIT_CARD"], ["support-cases", ".kibana_1"], "support-analytics")
    check(found.get(ep["es"], {}).get("version") == "7.17.15", "elasticsearch: version 7.17.15")
    es_store = [s for s in found.get(ep["es"], {}).get("stores", []) if s["name"] == "support-cases"]
    check(bool(es_store) and es_store[0].get("records") == 250000000 and es_store[0].get("bytes") == 81604378624,
          "elasticsearch: the index's documents and bytes")
    expect(found, ep["es8"], "elasticsearch 8 secured", "authenticated", "Elasticsearch", "info", evidence="WWW-Authenticate")
    expect(found, ep["opensearch"], "opensearch", "unauthenticated_access", "OpenSearch", "critical", ["EMAIL_ADDRESS"])
    expect(found, ep["kibana"], "kibana open", "unauthenticated_access", "Kibana", "high")
    expect(found, ep["kibana8"], "kibana secured", "authenticated", "Kibana", "info")
    expect(found, ep["couch2"], "couchdb admin party", "unauthenticated_access", "CouchDB", "critical", ["EMAIL_ADDRESS"], ["customers"])
    expect(found, ep["couch3"], "couchdb 3", "authenticated", "CouchDB", "info")
    expect(found, ep["docker"], "docker api", "unauthenticated_access", "Docker API", "critical", ["EMAIL_ADDRESS"], ["containers"])
    expect(found, ep["mongo"], "mongodb open", "unauthenticated_access", "MongoDB", "critical", ["EMAIL_ADDRESS"], ["support"])
    expect(found, ep["mongo-auth"], "mongodb authorization", "authenticated", "MongoDB", "info", evidence="Unauthorized")
    expect(found, ep["cassandra"], "cassandra open", "unauthenticated_access", "Cassandra", "critical", ["EMAIL_ADDRESS"], ["support"])
    expect(found, ep["cassandra-auth"], "cassandra authenticator", "authenticated", "Cassandra", "info", evidence="PasswordAuthenticator")
    expect(found, ep["nginx"], "nginx is what it is", "other_service", "HTTP server", "info", evidence="nginx")
    expect(found, ep["es-tls"], "elasticsearch over HTTPS only", "unauthenticated_access", "Elasticsearch", "critical",
           ["EMAIL_ADDRESS"], ["support-cases"])
    found, r = probe(["https://127.0.0.1:%d" % ports["es-tls"]])
    expect(found, "https://127.0.0.1:%d" % ports["es-tls"], "an https:// target", "unauthenticated_access", "Elasticsearch",
           "critical", ["EMAIL_ADDRESS"])

    # --fail-on: 1 for an open store with personal data; 0 when only
    # authenticated ones are at hand
    r = subprocess.run([CORDON, "probe", "--no-config", "--fail-on", "critical", ep["redis"]], capture_output=True)
    check(r.returncode == 1, "--fail-on critical: exit 1 on an open redis holding personal data (%d)" % r.returncode)
    r = subprocess.run([CORDON, "probe", "--no-config", "--fail-on", "high", "127.0.0.1:%d" % r_auth], capture_output=True)
    check(r.returncode == 0, "--fail-on high: exit 0 on a redis with a password (%d)" % r.returncode)

    # the owner's credentials: a store that asks for them is sampled with
    # them, and stays "authenticated"; the file must be the owner's alone
    creds = os.path.join(WORK, "credentials")
    with open(creds, "w") as f:
        f.write("# service endpoint user password\npostgres 127.0.0.1:%d postgres pg-secret\n"
                "mysql * root my-secret\n" % pg_scram)
    os.chmod(creds, 0o644)
    r = subprocess.run([CORDON, "probe", "--no-config", "--credentials", creds, "127.0.0.1:1"], text=True, capture_output=True)
    check(r.returncode == 2 and "chmod 600" in r.stderr, "credentials others can read are refused")
    os.chmod(creds, 0o600)
    found, r = probe(["127.0.0.1:%d" % pg_scram, "127.0.0.1:%d" % my_auth], "--credentials", creds)
    expect(found, "127.0.0.1:%d" % pg_scram, "postgres with the owner's credentials", "authenticated", "PostgreSQL", "info",
           ["EMAIL_ADDRESS"], ["crm"])
    check("sampled as postgres" in found.get("127.0.0.1:%d" % pg_scram, {}).get("note", ""), "postgres: the note says who sampled")
    expect(found, "127.0.0.1:%d" % my_auth, "mariadb with the owner's credentials", "authenticated", "MariaDB", "info",
           ["EMAIL_ADDRESS"], ["hr.staff"])
    # through the recorder: the wire check sees the password messages
    ports.update(proxy_ports(["pg-cred=proxy:%d" % pg_scram, "my-cred=proxy:%d" % my_auth]))
    with open(creds, "w") as f:
        f.write("postgres * postgres pg-secret\nmysql * root my-secret\n")
    found, r = probe(["127.0.0.1:%d" % ports["pg-cred"], "127.0.0.1:%d" % ports["my-cred"]], "--credentials", creds)
    expect(found, "127.0.0.1:%d" % ports["pg-cred"], "postgres with credentials, recorded", "authenticated", holds=["EMAIL_ADDRESS"])
    expect(found, "127.0.0.1:%d" % ports["my-cred"], "mariadb with credentials, recorded", "authenticated", holds=["EMAIL_ADDRESS"])

    # rows are taken as they come, within --reply-max: past it the sample
    # stops, said in the note, and the finding stands
    found, r = probe([ep["postgres"], ep["mariadb"]], "--reply-max", "1k")
    for k in ("postgres", "mariadb"):
        f = found.get(ep[k], {})
        check(f.get("kind") == "unauthenticated_access" and "over the size cap" in f.get("note", ""),
              "%s: a sample past --reply-max stops, noted (%s)" % (k, f.get("note")))

    # --no-login: MariaDB's handshake only
    found, r = probe([ep["mariadb"]], "--no-login")
    expect(found, ep["mariadb"], "mariadb --no-login", "unverified", "MariaDB", "info")
    # --no-sample: authentication only, no data read
    found, r = probe([ep["redis"], ep["es"]], "--no-sample")
    expect(found, ep["redis"], "redis --no-sample", "unauthenticated_access", "Redis", "high")
    check(not found.get(ep["redis"], {}).get("holds"), "redis --no-sample: nothing sampled")

    # from another address (a network namespace)
    if netns:
        found, r = probe(["%s:%d" % (HOST_ADDR, r_prot)] + (["%s:%d" % (HOST_ADDR, rmq)] if rmq else []), netns=NETNS)
        expect(found, "%s:%d" % (HOST_ADDR, r_prot), "redis protected mode", "authenticated", "Redis", "info", evidence="-DENIED")
        if rmq:
            expect(found, "%s:%d" % (HOST_ADDR, rmq), "rabbitmq guest from elsewhere", "unauthenticated_access",
                   "RabbitMQ management", "high", evidence="guest:guest")
    else:
        print("skipped: protected mode and guest:guest from another address (a network namespace needs root)")

    # etcd with authentication on
    etcdctl(et, "user", "add", "root:root-secret")
    etcdctl(et, "auth", "enable")
    found, r = probe(["127.0.0.1:%d" % et])
    expect(found, "127.0.0.1:%d" % et, "etcd with auth", "authenticated", "etcd", "info")
    etcdctl(et, "--user", "root:root-secret", "auth", "disable")

    after = state(r_open, mc, pg, my_open, et, ch)
    for k in before:
        check(before[k] == after[k], "%s: the data is the same after the probes" % k)
        if before[k] != after[k]:
            import difflib
            print("\n".join(list(difflib.unified_diff(str(before[k]).splitlines(), str(after[k]).splitlines(), lineterm=""))[:20]))

    # the read-only contract, from the wire
    names = {"redis": "redis", "memcached": "memcached", "postgres": "postgres", "mariadb": "mysql", "etcd": "etcd",
             "clickhouse": "clickhouse", "rabbitmq": "rabbitmq", "es": "elasticsearch", "es8": "elasticsearch",
             "opensearch": "elasticsearch", "kibana": "kibana", "kibana8": "kibana", "couch2": "couchdb", "couch3": "couchdb",
             "docker": "docker", "mongo": "mongodb", "mongo-auth": "mongodb", "cassandra": "cassandra",
             "cassandra-auth": "cassandra", "nginx": "http", "es-tls": "elasticsearch", "pg-cred": "postgres",
             "my-cred": "mysql"}
    w = subprocess.run([sys.executable, os.path.join(HERE, "wire.py"), CORDON, REC] +
                       ["%s=%s" % (k, v) for k, v in names.items() if k in ports], text=True, capture_output=True)
    print(w.stdout.strip())
    check(w.returncode == 0, "every request sent is on its probe's list")
    # and the check itself fails on a write: a FLUSHALL, an HTTP DELETE
    with open(os.path.join(REC, "evil.1.bin"), "wb") as f:
        f.write(b"*1\r\n$8\r\nFLUSHALL\r\n")
    with open(os.path.join(REC, "evil.2.bin"), "wb") as f:
        f.write(b"DELETE /support-cases HTTP/1.1\r\nHost: x\r\n\r\n")
    w = subprocess.run([sys.executable, os.path.join(HERE, "wire.py"), CORDON, REC, "evil=elasticsearch"], text=True,
                       capture_output=True)
    check(w.returncode == 1 and w.stdout.count("is on no list") == 2, "the wire check fails on FLUSHALL and DELETE")


def state(r_open, mc, pg, my_open, et, ch):
    """What each real server holds, to compare before and after."""
    status = json.loads(etcdctl(et, "endpoint", "status", "-w", "json"))
    return {
        "redis": redis_cli(r_open, "DEBUG", "DIGEST"),
        "memcached": memcached_cmd(mc, "get k1 k2\r\n"),
        # (pg_dump's \restrict line carries a random key each run)
        "postgres": "\n".join(l for l in run(["pg_dump", "-h", "127.0.0.1", "-p", str(pg), "-U", "postgres", "support"]).stdout.splitlines()
                              if not l.startswith(("\\restrict", "\\unrestrict"))),
        "mariadb": mariadb(my_open, "CHECKSUM TABLE crm.contacts EXTENDED; SELECT COUNT(*) FROM information_schema.tables"),
        "etcd": status[0]["Status"]["header"]["revision"],
        "clickhouse": clickhouse(ch, "SELECT * FROM default.people FORMAT TSV"),
    }


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # a server that did not start is a failure, named
        import traceback
        traceback.print_exc()
        failures.append("setup: %s" % e)
    finally:
        for c in reversed(cleanups):
            try:
                c()
            except Exception:
                pass
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(WORK, ignore_errors=True)
    print("%d failures" % len(failures))
    sys.exit(1 if failures else 0)
