#!/usr/bin/env python3
"""E-mail disguises: how many addresses leak (issue 13, item 1).

A generator composes disguised addresses at random from the parts of an
address, the grammar cordon's detector follows: a local part, an "at", domain
labels joined by "dots", a real suffix. "At" and "dot" are each a symbol, a
look-alike or a word (in several languages), wrapped in decoration (brackets of
any kind, repeated or mixed, symmetric punctuation, quotes, blanks, a line
break) or, for the dots, replaced by punctuation. Each address sits in a
sentence; decoy sentences hold "at" and "dot" in prose, versions, hosts and
file names, which must be left alone.

Reported: the leak (addresses not wholly inside an EMAIL_ADDRESS finding) on
the generated set and on the held-out family (bench/disguises/heldout.txt,
written before the grammar and never tuned to), and the decoys taken.

  python3 bench/disguises.py CORDON [--seed N] [--count N] [--max-leak PCT]
      [--max-decoys PCT] [--show N]

With --max-leak / --max-decoys it exits 1 past them (the test uses it on the
generated set; the held-out family is reported, never a gate).
"""
import argparse
import json
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

GIVEN = ["maria", "john", "li", "ahmed", "olga", "sven", "yuki", "pedro", "anna", "raj", "chloe", "tomasz",
         "fatima", "kenji", "ines", "mohammed", "eva", "lars", "priya", "jean", "zoe", "ivan", "nora", "omar"]
FAMILY = ["lopez", "smith", "wang", "haddad", "petrova", "nilsson", "sato", "silva", "kowalski", "sharma",
          "dubois", "nowak", "rahman", "tanaka", "costa", "berg", "patel", "martin", "ivanov", "hansen"]
DOMAINS = ["contoso", "fabrikam", "northwind", "adatum", "tailspintoys", "litware", "woodgrovebank",
           "example", "proseware", "wingtiptoys", "fourthcoffee", "alpineskihouse", "gmail", "outlook", "yahoo",
           "web", "mail", "posteo", "gmx", "orange", "libero", "seznam", "wp", "yandex", "naver", "qq"]
SUFFIXES = ["com", "net", "org", "de", "fr", "es", "it", "nl", "pl", "cz", "se", "jp", "in", "io", "ru", "kr",
            "co.uk", "com.br", "com.au", "co.jp", "com.mx", "ch", "at", "be", "dk", "fi", "pt", "ie", "ca"]

AT_SYMBOLS = ["@", "\uff20", "\ufe6b", "&#64;", "&#x40;", "&commat;", "%40"]
AT_WORDS = ["at", "AT", "At", "arroba", "arobase", "chiocciola", "apenstaartje", "klammeraffe",
            "\u00e4t", "ma\u0142pa", "zavin\u00e1\u010d", "kukac", "\u0441\u043e\u0431\u0430\u043a\u0430"]
DOT_SYMBOLS = [".", "\uff0e", "\u3002", "\uff61", "&#46;", "&period;", "%2e"]
DOT_WORDS = ["dot", "DOT", "Dot", "punkt", "point", "punto", "ponto", "punt", "kropka", "te\u010dka",
             "\u0442\u043e\u0447\u043a\u0430", "period"]
PAIRS = [("(", ")"), ("[", "]"), ("{", "}"), ("<", ">")]
WRAPS = ["-", "_", "~", "*", "#", "|", "/", "=", "+", ":", '"', "'"]

FRAMES = ["please write to {} for the refund", "my mail is {} thanks", "contact {} about the ticket",
          "{} is the owner of the subscription", "send the logs to {}", "Customer: {}", "reach me at {} any time",
          "you can mail {} tomorrow", "the sender was {}", "cc {} please", "(alt: {})", "email {}, phone later",
          "Hi team, forward to {}.", "\"{}\" reported it", "escribe a {} por favor", "bitte an {} schreiben"]

DECOYS = ["meet me at 5 pm at the office", "the issue is at portal dot level, not at the api",
          "look at the dot matrix printer at building 4", "version 10.0.19041.1 at build time",
          "see learn.microsoft.com at any time", "file trace_at_dot_log.txt at C:\\temp",
          "we are at (the) point where dot net fails", "at least 3 users at contoso said it",
          "download it at [docs] dot section", "available at 10.0.0.1 and at 192.168.1.1",
          "the cost is $5 at checkout dot", "it works at home, not at work", "point at the red dot",
          "arrive at 9, leave at 5", "KB5034441 at 0x80070005", "set the flag at config.json",
          "at/dot notation in the docs", "look at it [at] once", "stored at /var/lib/app.db",
          "logged at 14:22 UTC at the gateway"]


def local_part(r):
    g, f = r.choice(GIVEN), r.choice(FAMILY)
    shape = r.randrange(7)
    if shape == 0:
        return g + "." + f
    if shape == 1:
        return g + "_" + f
    if shape == 2:
        return g[0] + f
    if shape == 3:
        return g + str(r.randrange(1, 2000))
    if shape == 4:
        return g + "+" + r.choice(["support", "news", "test"])
    if shape == 5:
        return g[0] + "." + f
    return f + "." + g + str(r.randrange(10, 99))


def decorate(r, core, word):
    """Wraps a core spelling in decoration; a word always gets some."""
    style = r.randrange(8 if word else 9)
    sp = " " * r.randrange(0, 3)
    if style == 0:
        return " " + sp + core + " " + sp
    if style in (1, 2):  # brackets, maybe doubled, maybe with blanks inside
        o, c = r.choice(PAIRS)
        n = 1 + (r.random() < 0.3)
        inner = " " if r.random() < 0.3 else ""
        return sp + o * n + inner + core + inner + c * n + sp
    if style == 3:  # mixed brackets
        (o1, c1), (o2, c2) = r.sample(PAIRS, 2)
        return sp + o1 + o2 + core + c2 + c1 + sp
    if style == 4:  # symmetric punctuation
        w = r.choice(WRAPS) * (1 + (r.random() < 0.3))
        return sp + w + core + w + sp
    if style == 5:  # a line break after it
        return " " + core + "\n"
    if style == 6:  # blanks of another kind
        return "\t" + core + " "
    if style == 7:  # brackets around blanks
        o, c = r.choice(PAIRS)
        return " " + o + " " + core + " " + c + " "
    return core  # a symbol, bare


def disguise(r):
    local = local_part(r)
    labels = [r.choice(DOMAINS)]
    if r.random() < 0.2:
        labels.insert(0, r.choice(["mail", "eu", "corp", "support"]))
    labels += r.choice(SUFFIXES).split(".")
    word_at = r.random() < 0.5
    at_core = r.choice(AT_WORDS if word_at else AT_SYMBOLS)
    at = decorate(r, at_core, word_at)
    disguise.kind = ("symbol" if not word_at else "word 'at'" if at_core.lower() == "at"
                     else "other-language word, bracketed" if any(o in at for o in "([{<~*#|")
                     else "other-language word, not bracketed")
    word_dot = r.random() < 0.5
    dot_core = r.choice(DOT_WORDS if word_dot else DOT_SYMBOLS)
    style = r.random()
    dots = []
    for _ in labels[1:]:
        if style < 0.1:
            dots.append(",")  # a comma for a dot
        else:
            dots.append(decorate(r, dot_core, word_dot) if (word_dot or r.random() < 0.6) else dot_core)
    if r.random() < 0.1:  # the last dot written as a blank
        dots[-1] = " "
    domain = labels[0] + "".join(d + l for d, l in zip(dots, labels[1:]))
    if r.random() < 0.1:
        local, domain = local.upper(), domain.upper()
    return local + at + domain


def run(cordon, items):
    """items: (pre, address, post); returns those whose address is not wholly
    inside an EMAIL_ADDRESS finding. Each is a JSON lines record {"t": text},
    so a line break inside an address stays inside its record; a finding's
    bytes are the record line's, where the text is JSON-escaped."""
    lines, where = [], []
    for pre, addr, post in items:
        esc = lambda t: json.dumps(t, ensure_ascii=False)[1:-1]
        head = '{"t":"' + esc(pre)
        b = len(head.encode())
        lines.append(head + esc(addr) + esc(post) + '"}')
        where.append((b, b + len(esc(addr).encode())))
    p = subprocess.run([cordon, "scan", "--no-config", "-q", "-f", "jsonl", "--json", "-e", "EMAIL_ADDRESS", "-"],
                       input=("\n".join(lines) + "\n").encode(), capture_output=True)
    if p.returncode not in (0, 1):
        sys.exit("cordon scan failed: %s" % p.stderr.decode()[-300:])
    spans = {}
    for row in p.stdout.decode().splitlines():
        f = json.loads(row)
        spans.setdefault(f["record"], []).append((f["start"], f["end"]))
    return [it for k, it in enumerate(items)
            if not any(s <= where[k][0] and where[k][1] <= e for s, e in spans.get(k + 1, []))]


def item(frame, address):
    pre, post = frame.split("{}")
    return (pre, address, post)


def heldout():
    """The held-out family: "pre |address| post", the address maybe over lines."""
    import re
    with open(os.path.join(HERE, "disguises", "heldout.txt"), encoding="utf-8") as f:
        body = "\n".join(l for l in f.read().split("\n") if not l.startswith("#"))
    return [(m.group(1), m.group(2), m.group(3)) for m in re.finditer(r"([^\n|]*)\|([^|]*)\|([^\n|]*)", body)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cordon")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--count", type=int, default=3000)
    ap.add_argument("--max-leak", type=float)
    ap.add_argument("--max-decoys", type=float)
    ap.add_argument("--show", type=int, default=0)
    a = ap.parse_args()
    r = random.Random(a.seed)
    gen, kinds = [], []
    for _ in range(a.count):
        gen.append(item(r.choice(FRAMES), disguise(r)))
        kinds.append(disguise.kind)
    leaked = run(a.cordon, gen)
    by_kind = {}
    for k in kinds:
        by_kind.setdefault(k, [0, 0])[0] += 1
    leaked_ids = {id(it) for it in leaked}
    for it, k in zip(gen, kinds):
        if id(it) in leaked_ids:
            by_kind[k][1] += 1
    held = heldout()
    held_leaked = run(a.cordon, held)
    # decoys: anything found is taken
    data = "".join(d + "\n" for d in DECOYS).encode()
    p = subprocess.run([a.cordon, "scan", "--no-config", "-q", "-f", "text", "--json", "-e", "EMAIL_ADDRESS", "-"],
                       input=data, capture_output=True)
    taken = sorted({json.loads(l)["record"] for l in p.stdout.decode().splitlines()})
    gl = 100.0 * len(leaked) / len(gen)
    hl = 100.0 * len(held_leaked) / len(held)
    dl = 100.0 * len(taken) / len(DECOYS)
    print("generated (seed %d): %d addresses, %d leak: %.2f%%" % (a.seed, len(gen), len(leaked), gl))
    for k in sorted(by_kind):
        n, l = by_kind[k]
        print("  at-sign as %s: %d, %d leak: %.1f%%" % (k, n, l, 100.0 * l / n))
    print("held-out family: %d addresses, %d leak: %.1f%%" % (len(held), len(held_leaked), hl))
    print("decoys: %d sentences, %d taken: %.1f%%" % (len(DECOYS), len(taken), dl))
    for it in leaked[:a.show]:
        print("  leaked: %r" % it[1])
    for it in held_leaked[:a.show]:
        print("  held-out leaked: %r" % it[1])
    for k in taken[:a.show]:
        print("  decoy taken: %r" % DECOYS[k - 1])
    bad = (a.max_leak is not None and gl > a.max_leak) or (a.max_decoys is not None and dl > a.max_decoys)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
