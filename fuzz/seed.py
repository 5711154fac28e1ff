#!/usr/bin/env python3
"""Seeds fuzz/corpus/<target>/ from every .perf file of examples/ and
tests/fixtures/ (see docs/fuzzing.md). Run from anywhere; adds files, never
removes any. The corpora are not committed (.gitignore)."""

import hashlib
import pathlib
import re

FUZZ = pathlib.Path(__file__).resolve().parent
ROOT = FUZZ.parent
TARGETS = ["parse_check", "parse_parallel", "report", "fmt_roundtrip", "diff", "escape",
           "import_csv", "import_xlsx"]


def add(target, data):
    folder = FUZZ / "corpus" / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def pad(a, b):
    n = max(len(a), len(b))
    return a + b" " * (n - len(a)), b + b" " * (n - len(b))


files = sorted(
    p for d in ("examples", "tests/fixtures") for p in (ROOT / d).rglob("*.perf")
)
for path in files:
    data = path.read_bytes()
    for target in ("parse_check", "report", "fmt_roundtrip", "escape"):
        add(target, data)
    # parse_parallel: two bytes choose where in the file the cut falls.
    if len(data) < 60000:
        for share in (0.25, 0.5, 0.75):
            k = int(len(data) * share) & 0xFFFF
            add("parse_parallel", k.to_bytes(2, "little") + data)
    # diff: the two halves are the old and new files, so pad them to one
    # length; the new one with a target, a band or a polarity changed.
    if "/errors/" in path.as_posix():
        continue
    variants = [
        data,
        re.sub(rb"(target \d+/\d+ (Q\d )?)(\d+)",
               lambda m: m.group(1) + str(int(m.group(3)) + 1).encode(), data, count=1),
        re.sub(rb"(tolerance )(\d+)",
               lambda m: m.group(1) + str(int(m.group(2)) + 2).encode(), data, count=1),
        re.sub(rb"(polarity )higher", rb"\1lower", data, count=1),
    ]
    for new in variants:
        old, new = pad(data, new)
        add("diff", old + new)

# A small clean scorecard of plain numbers (no percent range to keep), for
# the dictionary's long numbers to land in: targets, actuals, bands,
# fractions, every polarity.
EDGE = b"""report "Edge" { period 2017/18 Q2 }
measure H "higher" { unit number polarity higher tolerance 1 amber 2
  target 2017/18 1 actual { 2017/18 Q1 1 2017/18 Q2 2 } }
measure L "lower" { unit number polarity lower tolerance 10% amber 1
  target 2017/18 Q2 3 actual 2017/18 Q2 7/3 }
measure T "target" { unit money "m" polarity target tolerance 0.5 amber 1
  target 2017/18 -2 baseline 2016/17 1 actual 2017/18 Q2 -1.5 provisional }
measure N "none" { unit days polarity none actual 2017/18 Q2 4 }
"""
for target in ("parse_check", "report", "fmt_roundtrip", "escape"):
    add(target, EDGE)
add("diff", EDGE + EDGE.replace(b"target 2017/18 1 ", b"target 2017/18 2 "))

# escape: text that markup would take for markup.
for text in [
    "<script>alert(1)</script>", "a | b", "a\\|b", "line\nbreak", "cr\r\nlf",
    "&lt;&amp;&#60;", "\"quoted\" 'single'", "`code` *bold* _it_ [link](x) ![img](y)",
    "# heading", "~~strike~~ <b>", "</title><svg onload=x>", "\u2028\u2029 \ufeff",
    "\\", "a\\nb", "&#x3c;", "<!-- -->", "|||", "\x00\x01",
]:
    add("escape", text.encode())

# import_csv, import_xlsx: the sheets of tests/fixtures/sheets/, and CSV
# files in the encodings and shapes the import reads.
for path in sorted((ROOT / "tests/fixtures/sheets").iterdir()):
    if path.suffix == ".csv":
        add("import_csv", path.read_bytes())
    elif path.suffix in (".xls", ".ods", ".xlsx"):
        add("import_xlsx", path.read_bytes())
for text in [
    b"\xef\xbb\xbfid,period,actual,provisional,note\nP1,Q1 2018/19,83.4%,yes,\"Up, a little\"\nM1,2018/19 Q1,n/a,,late\n",
    b"Ref;Measure;Apr-Jun 2018;Q2 2018/19\nN1;Library \xa3;1,200;\nP1;Repairs;91.5%;92%\n",
    b"sep=;\nid;value\nN1;5\n",
    "id,period,value\r\nC1,2018/19 Q1,0.3\r\n".encode("utf-16"),
]:
    add("import_csv", text)

for target in TARGETS:
    count = len(list((FUZZ / "corpus" / target).iterdir()))
    print(f"{target}: {count} inputs")
