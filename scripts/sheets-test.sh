#!/usr/bin/env bash
# The spreadsheets as LibreOffice opens them: writes every example's report
# with `--format xlsx`, has headless LibreOffice convert each workbook to CSV
# (every sheet) and to PDF, and checks that the measures and key actions
# sheets hold one row per measure and action of the report with the same
# ratings as `report --format csv`, and that the PDF was printed. Then a
# template saved again by LibreOffice must import cleanly (nothing to do).
#
#   scripts/sheets-test.sh
#
# Output goes to target/sheets-test/, or to $SHEETS_TEST_OUT. Installs
# Debian's libreoffice-calc-nogui (and python3) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${SHEETS_TEST_OUT:-target/sheets-test}
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)

examples=(
  "havering:examples/havering-2017-q1.perf"
  "portsmouth:examples/portsmouth-2017-q1/portsmouth.perf"
  "tutorial:examples/tutorial/scorecard.perf"
)

missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi

echo "== cargo build --release"
cargo build --release --locked --quiet
bin=target/release/perfcard

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
office() {
  timeout 300 soffice --headless --norestore "-env:UserInstallation=file://$profile" "$@" \
    >"$out/soffice.log" 2>&1 || { cat "$out/soffice.log"; return 1; }
}

workbooks=()
for entry in "${examples[@]}"; do
  name=${entry%%:*}
  file=${entry#*:}
  "$bin" report "$file" --format xlsx -o "$out/$name.xlsx"
  "$bin" report "$file" --format csv -o "$out/$name.expected.csv"
  workbooks+=("$out/$name.xlsx")
done

echo "== LibreOffice: every sheet to CSV, and to PDF"
# Token 12 = -1: every sheet, each to <file>-<sheet>.csv.
office --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
  --outdir "$out" "${workbooks[@]}"
office --convert-to pdf --outdir "$out" "${workbooks[@]}"

python3 - "$out" "${examples[@]}" <<'PY'
import csv, sys, os
out = sys.argv[1]
words = {"green": "GREEN", "amber": "AMBER", "red": "RED", "none": "NOT RATED"}
failed = False
for entry in sys.argv[2:]:
    name = entry.split(":")[0]
    def rows(path):
        with open(path, encoding="utf-8-sig", newline="") as f:
            return list(csv.reader(f))
    expected = rows(os.path.join(out, f"{name}.expected.csv"))
    head = expected[0]
    want = {"measure": [], "action": []}
    for r in expected[1:]:
        want[r[head.index("type")]].append((r[head.index("id")], words[r[head.index("rating")]]))
    for kind, sheet in (("measure", "Measures"), ("action", "Actions")):
        got_rows = rows(os.path.join(out, f"{name}-{sheet}.csv"))
        h = got_rows[0]
        got = [(r[h.index("ID")], r[h.index("Rating")]) for r in got_rows[1:] if any(r)]
        if got != want[kind]:
            print(f"{name}: the {sheet} sheet as LibreOffice reads it differs from the report:\n  want {want[kind]}\n  got  {got}")
            failed = True
    summary = open(os.path.join(out, f"{name}-Summary.csv"), encoding="utf-8-sig").read()
    if "Total" not in summary or "GREEN" not in summary:
        print(f"{name}: the Summary sheet has no totals:\n{summary}")
        failed = True
    with open(os.path.join(out, f"{name}.pdf"), "rb") as f:
        pdf = f.read()
    if not pdf.startswith(b"%PDF") or len(pdf) < 2000:
        print(f"{name}: LibreOffice printed no PDF")
        failed = True
    if not failed:
        print(f"ok: {name}: {len(want['measure'])} measures, {len(want['action'])} actions")
sys.exit(1 if failed else 0)
PY

echo "== a template saved by LibreOffice imports cleanly"
"$bin" template examples/tutorial/scorecard.perf --period "2018/19 Q2" -o "$out/template.xlsx"
mkdir -p "$out/resaved"
office --convert-to xlsx --outdir "$out/resaved" "$out/template.xlsx"
"$bin" import examples/tutorial/scorecard.perf "$out/resaved/template.xlsx" --dry-run 2>"$out/import.log"
grep -q "nothing to import" "$out/import.log" || { cat "$out/import.log"; exit 1; }
echo "sheets test passed"
