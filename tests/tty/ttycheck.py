"""ttycheck.py - read numbers off a captured convtop screen and compare them
with the JSON of `convtop report` (tests/tty/*.sh run it through lib.sh's py).

A check prints "ok   WHAT" or "FAIL WHAT: details"; done() exits 1 when one
failed.  Numbers on screen are rounded by ui/format.c, so comparisons allow
half a unit of the last digit shown, never more.
"""
import json
import re
import sys

_fails = 0


def check(cond, what, detail=""):
    global _fails
    if cond:
        print("ok   " + what)
    else:
        _fails += 1
        print("FAIL " + what + (": " + detail if detail else ""))
    return cond


def done():
    sys.exit(1 if _fails else 0)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def lines(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read().rstrip("\n").split("\n")


_NUM = re.compile(r"^(-?[0-9][0-9,]*(?:\.[0-9]+)?)([kM%smhd]?)$")


def parse(text):
    """'1,234' -> (1234.0, 0.5), '12.4%' -> (12.4, 0.05), '55.4k' -> (55400.0,
    50.0), '11h' -> (39600.0, 180.0), '-' -> None: the value and half a unit
    of the last digit shown."""
    t = text.strip()
    if t in ("-", ""):
        return None
    m = _NUM.match(t)
    if not m:
        raise ValueError("not a number on screen: %r" % text)
    digits, unit = m.group(1).replace(",", ""), m.group(2)
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    value, half = float(digits), 0.5 * 10 ** -decimals
    if unit in ("%", "h", "d"):
        half = 0.05  # fmt_pct and fmt_duration keep one decimal and drop ".0"
    scale = {"k": 1e3, "M": 1e6, "m": 60, "h": 3600, "d": 86400}.get(unit, 1)
    return value * scale, half * scale


def same(text, want, what):
    """The screen's text shows the JSON number want (None = null = '-')."""
    try:
        got = parse(text)
    except ValueError as e:
        return check(False, what, str(e))
    if want is None or got is None:
        return check(want is None and got is None, what, "screen %r, json %r" % (text, want))
    value, half = got
    return check(abs(value - want) <= half + 1e-6, what, "screen %r, json %r" % (text, want))


def find_line(screen, pattern, start=0):
    """Index of the first line at or after start matching the regex, or -1."""
    rx = re.compile(pattern)
    for i in range(start, len(screen)):
        if rx.search(screen[i]):
            return i
    return -1


def funnel_rows(screen, steps):
    """{step name: [customers, of first, of prev, median]} read off the
    funnel pane's step rows."""
    head = find_line(screen, r"customers +of first +of prev +median")
    rows = {}
    if head < 0:
        return rows
    for line in screen[head + 1: head + 1 + len(steps)]:
        body = line[2:]
        for s in steps:
            if body.startswith(s["name"] + " ") or body == s["name"]:
                rows[s["name"]] = line.split()[-4:]
    return rows


def customer_rows(screen):
    """[(key, name, e-mail, orders, net spend, tier)] of the customers list,
    cut at the header's column starts (text columns are left-aligned, numbers
    right-aligned under their heads)."""
    head = find_line(screen, r"^ key +name +e-mail +orders")
    if head < 0:
        return []
    h = screen[head]
    k, n, e, o, t = (h.index(x) for x in (" key", "name", "e-mail", "orders", "tier"))
    r = h.find("risk")
    out = []
    for line in screen[head + 1:-1]:  # the last line is the status bar
        if not line.strip():
            break
        out.append((line[k:n].strip(), line[n:e].strip(), line[e:o].strip(),
                    line[o:o + len("orders")].strip(), line[o + len("orders"):t].strip(),
                    line[t:r if r > 0 else None].strip()))
    return out
