#!/usr/bin/env bash
# The Word appendix as LibreOffice reads it: renders every example with
# `--format docx`, converts each to PDF with LibreOffice headless, and reads
# the PDF back with pdfinfo and pdftotext. Checks that each is A4 landscape,
# numbers its pages ("Page 1 of N"), starts with the title and period, lists
# every red measure under "Needs attention" before any group's table, and
# holds every measure of the report.
#
#   scripts/docx-test.sh
#
# Output (DOCX, PDF, text) goes to target/docx-test/, or to
# $DOCX_TEST_OUT. Installs Debian's libreoffice-writer-nogui and
# poppler-utils when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${DOCX_TEST_OUT:-target/docx-test}
mkdir -p "$out"
out=$(cd "$out" && pwd)

examples=(
  "havering:examples/havering-2017-q1.perf"
  "portsmouth:examples/portsmouth-2017-q1/portsmouth.perf"
  "tutorial:examples/tutorial/scorecard.perf"
)

missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "== installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
echo "== $(soffice --version 2>/dev/null | head -n 1)"

if [ ! -x target/release/perfcard ] || [ -z "${DOCX_TEST_NO_BUILD:-}" ]; then
  echo "== cargo build --release"
  cargo build --release --locked --quiet
fi
bin=target/release/perfcard

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

failures=0
checks=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

for entry in "${examples[@]}"; do
  name=${entry%%:*}
  file=${entry#*:}
  echo "== $name ($file)"
  "$bin" report "$file" --format docx --output "$out/$name.docx"
  "$bin" report "$file" --format json >"$out/$name.json"
  rm -f "$out/$name.pdf"
  timeout 300 soffice --headless --norestore "-env:UserInstallation=file://$profile" \
    --convert-to pdf --outdir "$out" "$out/$name.docx" >"$out/$name.soffice.log" 2>&1 || true
  checks=$((checks + 1))
  if [ ! -s "$out/$name.pdf" ]; then
    fail "$name: LibreOffice did not convert the document (see $out/$name.soffice.log)"
    continue
  fi
  pdfinfo "$out/$name.pdf" >"$out/$name.pdfinfo"
  pdftotext -layout "$out/$name.pdf" "$out/$name.txt"
  if problems=$(python3 - "$out/$name.json" "$out/$name.pdfinfo" "$out/$name.txt" <<'PY'
import json, re, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
info = open(sys.argv[2], encoding="utf-8").read()
text = open(sys.argv[3], encoding="utf-8").read()
problems = []
pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
w, h = map(float, re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M).groups())
if not (abs(w - 841.9) < 2 and abs(h - 595.3) < 2):
    problems.append(f"page size {w} x {h} pts is not A4 landscape")
if f"Page 1 of {pages}" not in text:
    problems.append(f"no 'Page 1 of {pages}' footer")
# Cells wrap ids and titles: compare without white space.
flat = re.sub(r"\s+", "", text)
for must in [report["title"], report["period"], "Needsattention"]:
    if must and re.sub(r"\s+", "", must) not in flat:
        problems.append(f"{must!r} is missing")
start = flat.find("Needsattention")
for m in report["measures"]:
    if m["id"] not in flat:
        problems.append(f"{m['id']} is not in the document")
# The exceptions section ends where the first group's table begins.
ends = [i for i in (flat.find("IDMeasureActualTarget", start), flat.find("IDKeyactionMilestones", start)) if i >= 0]
section = flat[start:min(ends)] if ends else flat[start:]
reds = [m["id"] for m in report["measures"] if m["rating"] == "red"]
for r in reds:
    if r not in section:
        problems.append(f"red {r} is not under Needs attention")
print("\n".join(problems))
print(f"ok: {pages} pages, A4 landscape, {len(reds)} red under Needs attention, {len(report['measures'])} measures", file=sys.stderr)
sys.exit(1 if problems else 0)
PY
  ); then
    :
  else
    fail "$name: $problems"
  fi
done

passed=$((checks - failures))
echo "docx-test: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
