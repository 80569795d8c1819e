#!/usr/bin/python3
"""Evaluation corpus for cordon's detectors, measured the way a user would.

Usage: /usr/bin/python3 bench/eval.py CORDON [--seed N] [--records N] [--keep DIR]
       [--format text|jsonl] [--json]

With --format jsonl the same records are support cases as JSON lines: the
chat in a "text" field, and for most records with personal data the contact
in the field names of one of five real exports (Salesforce, ServiceNow,
Microsoft Graph, Stripe, Zendesk; see SCHEMAS), with a status and a product
(decoys). The kinds planted in fields are reported again as "in a named
field".

The records are support-chat lines made with a generator that is not
cordon's: Faker (Debian's python3-fake-factory), in 22 locales, writes the
names, addresses, cities, phone numbers, e-mail addresses, cards, IBANs, SSNs,
IP addresses and passwords, each in its country's own forms and scripts. The
sentences around them, the products and the decoys (builds, KB ids, HRESULTs,
prices, case and order numbers, versions, paths, dates) are written here, not
taken from the unit tests or from cordon-gen. Nothing in cordon was tuned to
this file's vocabulary: it measures, it does not teach. Do not add its words to
cordon's lists.

`cordon scan --json` reads the records; each finding is matched by byte range
with what was planted. Reported per planted kind:
  leak       the share of values with a letter or digit outside every finding
             (of any entity: what a reader of the redacted record would see)
  typed      the share fully covered by findings of the kind's own entity
  precision  of the findings of an entity, the share that lie on a planted
             value (the rest changed text that held no personal data)
and for the whole corpus: the share of records without personal data that
are left byte-identical (no finding), and the share of decoys kept whole.

Exit status: 0; 1 with --gate when a figure is worse than make test's floor
(GATE); 2 when cordon or Faker cannot be run.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

try:
    import faker
except ImportError:
    sys.exit("eval.py: needs Faker (Debian: apt-get install python3-fake-factory; "
             "run with /usr/bin/python3)")

LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "es_MX", "it_IT", "pt_BR",
           "nl_NL", "pl_PL", "sv_SE", "cs_CZ", "tr_TR", "id_ID", "hi_IN", "ru_RU",
           "el_GR", "ja_JP", "zh_CN", "ko_KR", "fa_IR", "uk_UA"]
LATIN = {"en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "es_MX", "it_IT", "pt_BR", "nl_NL",
         "pl_PL", "sv_SE", "cs_CZ", "tr_TR", "id_ID"}

# kind -> cordon's entity
ENTITY = {"name": "PERSON", "address": "LOCATION", "city": "LOCATION",
          "phone": "PHONE_NUMBER", "email": "EMAIL_ADDRESS", "card": "CREDIT_CARD",
          "iban": "IBAN_CODE", "ssn": "US_SSN", "ip": "IP_ADDRESS", "password": "SECRET"}

PRODUCTS = ["Windows Update", "Teams", "Outlook", "Azure DevOps", "OneDrive", "Excel",
            "SharePoint Online", "Visual Studio", "Edge", "Intune", "Defender", "Power BI",
            "Exchange Online", "the VPN client", "Office 365", "Zoom", "Slack", "Chrome",
            "the printer driver", "BitLocker", "Active Directory", "SQL Server", "Word",
            "Surface Pro", "Xbox app", "Dynamics 365", "Windows Hello", "Skype"]

TITLES = {}  # locale -> its titles and degrees, lowercase

# make test's floor (--gate): a little above what cordon does now, so a
# change that loses ground fails; the targets are lower still.
GATE = {"card": 0.01, "iban": 0.01, "ip": 0.01, "ssn": 0.01, "email": 0.01,
        "password": 0.01, "phone": 0.008, "name": 0.155, "address": 0.15, "city": 0.30}
# --format jsonl: the values in named fields (reported only there)
GATE.update({k + "/in a named field": 0.01 for k in ("name", "address", "city", "phone", "email")})
GATE_PRECISION = 0.99
GATE_CLEAN = 0.98
GATE_DECOYS = 0.995

GREETINGS = ["Hi", "Hello", "Good morning", "Hey", "Dear support", "Good afternoon", "Hi there"]


def decoy(r):
    """A value that looks like data and is not personal."""
    k = r.randrange(12)
    if k == 0:
        return "10.0.%d.%d" % (r.randrange(17000, 26000), r.randrange(1, 5000))
    if k == 1:
        return "KB%d" % r.randrange(4000000, 5099999)
    if k == 2:
        return "0x%08X" % r.choice([0x80070005, 0x800F081F, 0x80004005, 0x8024402C, 0xC1900101])
    if k == 3:
        return "$%d.%02d" % (r.randrange(1, 3000), r.randrange(100))
    if k == 4:
        return "%d" % r.randrange(100000000, 999999999)
    if k == 5:
        return "v%d.%d.%d" % (r.randrange(1, 20), r.randrange(30), r.randrange(200))
    if k == 6:
        return "C:\\ProgramData\\Logs\\setup%d.log" % r.randrange(100)
    if k == 7:
        return "%04d-%02d-%02d" % (r.randrange(2019, 2027), r.randrange(1, 13), r.randrange(1, 29))
    if k == 8:
        return "port %d" % r.choice([443, 8080, 3389, 5985, 1433])
    if k == 9:
        return "%d%%" % r.randrange(1, 100)
    if k == 10:
        return "error %d" % r.randrange(1000, 65535)
    return "build %d" % r.randrange(19000, 26200)


CLEAN = [
    "{g}, {p} keeps crashing after {d}",
    "{p} fails with {d} since this morning",
    "{g}, {p} pipeline is stuck at {d}",
    "Tried {p} again, still {d}, see the log",
    "{p} shows {d} when I open it",
    "After installing {d} the {p} icon is gone",
    "Can you escalate? {p} is down for the whole team, ticket {d}",
    "Thanks, {p} works now. Closing case {d}",
    "{g}, {p} update stuck at {d}",
    "The {p} sync says {d}, nothing else changed",
    "{g}! {p} will not start, {d}",
    "We rolled back to {d} and {p} is fine",
]

# {v}: the planted value; {d}: a decoy; {p}: a product
PLANT = {
    "name": ["my name is {v}", "{g}, this is {v} from accounting", "Name: {v}",
             "please call back {v} about {p}", "I spoke with {v} yesterday about {d}",
             "-- {v}", "Regards, {v}", "customer {v} reports {p} fails with {d}",
             "assigned to {v}", "{v} says {p} crashes", "Thanks {v}, {p} works now",
             "the account belongs to {v}",
             # no cue at all: only a name list or the shape can tell
             "{v} from the Lisbon office cannot log in", "forwarded to {v} for approval",
             "ticket for {v}: {p} fails with {d}", "laptop of {v} will not boot"],
    "address": ["ship it to {v}", "my address is {v}", "Address: {v}",
                "the office moved to {v}", "invoice address {v}, order {d}",
                "the parcel for {v} came back"],
    "city": ["I am in {v} this week", "our branch in {v} has {p} down", "City: {v}",
             "the user works from {v}", "outage reported from {v} since {d}"],
    "phone": ["call me on {v}", "my number is {v}", "Phone: {v}", "reach me at {v} after {d}",
              "mobile {v}", "you can text {v}", "tel. {v}", "{v} is my cell",
              "{g}, it is {v} again, {p} still fails", "either {v} or e-mail"],
    "email": ["send it to {v}", "my e-mail is {v}", "Email: {v}", "cc {v} on case {d}",
              "the login is {v}", "reply to {v} please"],
    "card": ["card number {v}", "charged to {v} twice", "my card is {v}, expiry 04/27",
             "Card: {v}", "paid with {v} for {p}"],
    "iban": ["IBAN {v}", "refund to {v}", "please wire it to {v}", "bank account: {v}"],
    "ssn": ["SSN {v}", "my social is {v}", "social security number: {v}",
            "for verification {v}"],
    "ip": ["my IP is {v}", "connecting from {v} fails with {d}", "the VM at {v} does not boot",
           "blocked source {v}"],
    "password": ["my password is {v}", "password: {v}", "temporary password {v} for {p}",
                 "I set the pwd to {v}", "the new passphrase is {v}"],
}


def affixes(f):
    """The locale's titles and degrees ("Dr.", "Herr", "MBA."): written beside
    a name, not part of it ("Dr. [PERSON]" hides the person)."""
    words = set()
    for pr in f.providers:
        if "person" in type(pr).__module__:
            for attr in ("prefixes", "prefixes_male", "prefixes_female", "suffixes",
                         "suffixes_male", "suffixes_female"):
                for w in getattr(pr, attr, ()) or ():
                    words.add(w.lower())
    return words


def name_core(n, titles):
    """The byte span of the name itself inside n, titles and degrees left out."""
    toks = n.split(" ")
    a, b = 0, len(toks)
    while a < b - 1 and toks[a].lower() in titles:
        a += 1
    while b > a + 1 and toks[b - 1].lower().strip(",") in titles:
        b -= 1
    core = " ".join(toks[a:b]).rstrip(",")
    start = len(" ".join(toks[:a]).encode()) + (1 if a else 0)
    return start, start + len(core.encode())


# kind -> how Faker writes one (f: the locale's Faker, r: the corpus's random)
MAKE = {
    "address": lambda f, r: ", ".join(f.address().split("\n")),
    "city": lambda f, r: f.city(),
    "phone": lambda f, r: f.phone_number(),
    "email": lambda f, r: f.email(),
    "card": lambda f, r: f.credit_card_number(),
    "iban": lambda f, r: f.iban(),
    "ssn": lambda f, r: f.ssn(),
    "ip": lambda f, r: f.ipv4_public(),
    "password": lambda f, r: f.password(length=r.randrange(8, 17)),
}


def value(f, kind, loc, r):
    if kind == "name":
        n = f.name()
        if r.random() < 0.1 and loc in LATIN:
            n = n.lower()
        return n
    return MAKE[kind](f, r)


def fill(template, r, plants, vals):
    """Fill the template; return the text and the byte spans of the values."""
    out, spans = b"", []
    i = 0
    vi = 0
    while i < len(template):
        if template[i] == "{":
            j = template.index("}", i)
            key = template[i + 1:j]
            if key == "v":
                s = vals[vi].encode()
                a, b = 0, len(s)
                if plants[vi][0] == "name":
                    a, b = name_core(vals[vi], TITLES.setdefault(plants[vi][1], set()))
                spans.append((len(out) + a, len(out) + b, plants[vi]))
                vi += 1
            elif key == "d":
                s = decoy(r).encode()
                spans.append((len(out), len(out) + len(s), ("decoy", None)))
            elif key == "p":
                s = r.choice(PRODUCTS).encode()
            elif key == "g":
                s = r.choice(GREETINGS).encode()
            out += s
            i = j + 1
        else:
            out += template[i].encode()
            i += 1
    return out, spans


def make_fakers(seed):
    """A Faker per locale, each seeded from seed."""
    fakers = {}
    for n, loc in enumerate(LOCALES):
        fakers[loc] = faker.Faker(loc)
        fakers[loc].seed_instance(seed * 100 + n)
    return fakers


def build(seed, count):
    r = random.Random(seed)
    fakers = make_fakers(seed)
    for loc in LOCALES:
        TITLES[loc] = affixes(fakers[loc])
    records = []
    kinds = list(PLANT)
    weights = [6, 3, 2, 3, 2, 1, 1, 1, 1, 1]
    for _ in range(count):
        if r.random() < 0.4:
            text, spans = fill(r.choice(CLEAN), r, [], [])
            records.append((text, spans))
            continue
        parts, spans = [], []
        for _k in range(r.choice([1, 1, 2, 3])):
            kind = r.choices(kinds, weights)[0]
            loc = "en_US" if kind == "ssn" else r.choice(LOCALES)
            v = value(fakers[loc], kind, loc, r)
            t, sp = fill(r.choice(PLANT[kind]), r, [(kind, loc)], [v])
            base = sum(len(p) for p in parts) + 2 * len(parts)
            parts.append(t)
            spans += [(a + base, b + base, w) for a, b, w in sp]
        records.append((b". ".join(parts), spans))
    return records


# Structured records (--format jsonl): a support case as the systems that
# export them write it, the contact in one of these real schemas (their own
# field names: Salesforce's Contact, ServiceNow's sys_user, Microsoft Graph's
# user, Stripe's billing_details, Zendesk's requester), the chat in "text".
# kind per field: what is planted there; None: no personal data (a decoy
# kept whole).
SCHEMAS = [
    ("Contact", [("FirstName", "first"), ("LastName", "last"), ("Email", "email"), ("Phone", "phone"),
                 ("MobilePhone", "phone"), ("MailingStreet", "street"), ("MailingCity", "city"),
                 ("MailingPostalCode", "postcode"), ("MailingCountry", None)]),
    ("caller_id", [("first_name", "first"), ("last_name", "last"), ("email", "email"), ("phone", "phone"),
                   ("mobile_phone", "phone"), ("street", "street"), ("city", "city"), ("zip", "postcode"),
                   ("country", None)]),
    ("user", [("givenName", "first"), ("surname", "last"), ("displayName", "full"), ("mail", "email"),
              ("mobilePhone", "phone"), ("streetAddress", "street"), ("city", "city"),
              ("postalCode", "postcode"), ("country", None)]),
    ("billing_details", [("name", "full"), ("email", "email"), ("phone", "phone"),
                         ("address", [("line1", "street"), ("city", "city"), ("postal_code", "postcode"),
                                      ("country", None)])]),
    ("requester", [("name", "full"), ("email", "email"), ("phone", "phone")]),
]
FIELD_KIND = {"first": "name", "last": "name", "full": "name", "email": "email", "phone": "phone",
              "street": "address", "postcode": "address", "city": "city"}
STATUSES = ["open", "pending", "solved", "closed", "on hold", "new"]


def esc(s):
    """s (str) as it is written inside a JSON string, as bytes."""
    return json.dumps(s, ensure_ascii=False)[1:-1].encode()


# what -> how Faker writes it (None, a decoy: the country's code)
FIELD_MAKE = {"first": lambda f: f.first_name(), "last": lambda f: f.last_name(),
              "full": lambda f: f.name(), "street": lambda f: f.street_address().replace("\n", ", "),
              "postcode": lambda f: f.postcode(), "city": lambda f: f.city(),
              "phone": lambda f: f.phone_number(), "email": lambda f: f.email(),
              None: lambda f: f.country_code()}


def to_json(rec_no, text, spans, r, fakers):
    """The record as one JSON line, and the spans of what was planted in it
    (the text's moved to where the text is written, escaped)."""
    out = b'{"id":"CS-%06d"' % rec_no
    new_spans = []
    if spans and any(w[0] != "decoy" for _, _, w in spans) and r.random() < 0.7:
        loc = r.choice(LOCALES)
        f = fakers[loc]
        obj, fields = r.choice(SCHEMAS)

        def put(fields):
            nonlocal out
            first = True
            for key, what in fields:
                if not (isinstance(what, list) or what is None or r.random() < 0.8):
                    continue
                out += (b"" if first else b",") + b'"' + key.encode() + b'":'
                first = False
                if isinstance(what, list):
                    out += b"{"
                    put(what)
                    out += b"}"
                    continue
                v = esc(FIELD_MAKE[what](f))
                out += b'"'
                kind = ("decoy", None) if what is None else (FIELD_KIND[what], loc, "field")
                new_spans.append((len(out), len(out) + len(v), kind))
                out += v + b'"'

        out += b',"' + obj.encode() + b'":{'
        put(fields)
        out += b"}"
    out += b',"status":"'
    st = r.choice(STATUSES).encode()
    new_spans.append((len(out), len(out) + len(st), ("decoy", None)))
    out += st + b'","priority":%d,"product":{"name":"' % r.randrange(1, 5)
    pr = esc(r.choice(PRODUCTS))
    new_spans.append((len(out), len(out) + len(pr), ("decoy", None)))
    out += pr + b'"},"text":"'
    # the text escaped piece by piece, so each span moves with its piece
    pos, cur = [], 0
    marks = sorted({0, len(text)} | {a for a, _, _ in spans} | {b for _, b, _ in spans})
    written = {}
    for m0, m1 in zip(marks, marks[1:]):
        written[m0] = len(out)
        out += esc(text[m0:m1].decode())
    written[len(text)] = len(out)
    for a0, b0, w in spans:
        new_spans.append((written[a0], written[b0], w))
    out += b'"}'
    return out, new_spans


def significant(text, a, b):
    """Byte positions of letters and digits (any script) in text[a:b]."""
    s = text[a:b].decode("utf-8", "replace")
    pos, off = [], a
    for ch in s:
        n = len(ch.encode())
        if ch.isalnum():
            pos.append((off, off + n))
        off += n
    return pos


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cordon")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--records", type=int, default=20000)
    ap.add_argument("--keep", help="write the corpus and findings here")
    ap.add_argument("--format", choices=["text", "jsonl"], default="text",
                    help="chat lines (text), or support cases as JSON lines: the contact in the "
                         "field names of five real exports, the chat in a field (jsonl)")
    ap.add_argument("--json", action="store_true", help="the figures as one JSON object")
    ap.add_argument("--gate", action="store_true",
                    help="exit 1 when a figure is worse than the floor make test holds "
                         "(GATE below): a regression, not the issue's targets")
    a = ap.parse_args()

    records = build(a.seed, a.records)
    if a.format == "jsonl":
        r = random.Random(a.seed + 1)
        fakers = make_fakers(a.seed)
        for n, loc in enumerate(LOCALES):  # the contacts' own seeds, apart from the text's
            fakers[loc].seed_instance(a.seed * 100 + 50 + n)
        records = [to_json(i, text, spans, r, fakers) for i, (text, spans) in enumerate(records, 1)]
    with tempfile.TemporaryDirectory() as tmp:
        d = a.keep or tmp
        os.makedirs(d, exist_ok=True)
        corpus = os.path.join(d, "eval.jsonl" if a.format == "jsonl" else "eval.txt")
        with open(corpus, "wb") as fh:
            for text, _ in records:
                fh.write(text + b"\n")
        try:
            p = subprocess.run([a.cordon, "scan", "-q", "--no-config", "--json", "-f", a.format,
                                "-j", "1", corpus], capture_output=True)
        except OSError as e:
            sys.exit("eval.py: cannot run %s: %s" % (a.cordon, e))
        if p.returncode not in (0, 1):
            sys.stderr.write(p.stderr.decode(errors="replace"))
            sys.exit(2)
        if a.keep:
            with open(os.path.join(d, "findings.jsonl"), "wb") as fh:
                fh.write(p.stdout)
    found = {}
    for line in p.stdout.splitlines():
        o = json.loads(line)
        found.setdefault(o["record"], []).append((o["start"], o["end"], o["entity"]))

    stat = {}  # key -> [n, leaked, typed]
    fp = {}    # entity -> [on value, elsewhere]
    clean_n = clean_kept = decoy_n = decoy_kept = 0
    for i, (text, spans) in enumerate(records, 1):
        fs = found.get(i, [])
        planted = [s for s in spans if s[2][0] != "decoy"]
        if not planted:
            clean_n += 1
            clean_kept += not fs
        for a0, b0, w in spans:
            kind, loc = w[0], w[1]
            if kind == "decoy":
                decoy_n += 1
                decoy_kept += not any(fa < b0 and fb > a0 for fa, fb, _ in fs)
                continue
            sig = significant(text, a0, b0)
            cov = all(any(fa <= x and y <= fb for fa, fb, _ in fs) for x, y in sig)
            typed = all(any(fa <= x and y <= fb and e == ENTITY[kind] for fa, fb, e in fs)
                        for x, y in sig)
            keys = [kind]
            if len(w) > 2:
                keys.append(kind + "/in a named field")
            elif kind in ("name", "address", "city", "phone"):
                keys.append(kind + ("/latin" if loc in LATIN else "/other scripts"))
            for key in keys:
                st = stat.setdefault(key, [0, 0, 0])
                st[0] += 1
                st[1] += not cov
                st[2] += typed
        for fa, fb, e in fs:
            on = any(fa < b0 and fb > a0 for a0, b0, w in planted)
            fp.setdefault(e, [0, 0])[0 if on else 1] += 1

    fig = {"seed": a.seed, "records": a.records, "format": a.format, "kinds": {}, "precision": {},
           "clean_records_unchanged": clean_kept / max(clean_n, 1),
           "clean_records": clean_n, "decoys_kept": decoy_kept / max(decoy_n, 1),
           "decoys": decoy_n}
    for key in sorted(stat):
        n, leak, typed = stat[key]
        fig["kinds"][key] = {"n": n, "leak": leak / n, "typed": typed / n}
    for e in sorted(fp):
        on, off = fp[e]
        fig["precision"][e] = {"findings": on + off, "precision": on / (on + off)}
    failed = []
    if a.gate:
        for key, most in GATE.items():
            v = fig["kinds"].get(key)
            if v and v["leak"] > most:
                failed.append("%s leaks %.1f%% (at most %.1f%%)" % (key, 100 * v["leak"], 100 * most))
        for e, v in fig["precision"].items():
            if v["precision"] < GATE_PRECISION:
                failed.append("%s precision %.1f%% (at least %.1f%%)"
                              % (e, 100 * v["precision"], 100 * GATE_PRECISION))
        if fig["clean_records_unchanged"] < GATE_CLEAN:
            failed.append("clean records unchanged %.1f%%" % (100 * fig["clean_records_unchanged"]))
        if fig["decoys_kept"] < GATE_DECOYS:
            failed.append("decoys kept %.2f%%" % (100 * fig["decoys_kept"]))
    if a.json:
        print(json.dumps(fig))
        sys.exit(1 if failed else 0)
    print("evaluation corpus: %d records (seed %d, %s), Faker %s, %d locales"
          % (a.records, a.seed, a.format, faker.VERSION, len(LOCALES)))
    print("%-22s %7s %8s %8s" % ("planted", "values", "leak", "typed"))
    for key, v in fig["kinds"].items():
        print("%-22s %7d %7.1f%% %7.1f%%" % (key, v["n"], 100 * v["leak"], 100 * v["typed"]))
    print("%-22s %8s %10s" % ("entity", "findings", "precision"))
    for e, v in fig["precision"].items():
        print("%-22s %8d %9.1f%%" % (e, v["findings"], 100 * v["precision"]))
    print("records without personal data left unchanged: %.1f%% of %d"
          % (100 * fig["clean_records_unchanged"], clean_n))
    print("decoys kept whole: %.2f%% of %d" % (100 * fig["decoys_kept"], decoy_n))
    for f in failed:
        print("FAIL: " + f)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
