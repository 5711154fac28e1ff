#!/usr/bin/env bash
# The HTML report as a person sees it: renders every example to HTML, opens
# each in headless Chromium and checks that
#   - the page loads with no console error (the report's Content Security
#     Policy turns any fetch or script into one) and shows one table row per
#     measure and per key action of the report;
#   - every red measure and key action is in the "Needs attention" section;
#   - on a phone (390 px, laid out in an iframe: headless Chromium will not
#     lay a window out narrower than 500 px) nothing is wider than the
#     screen, so nothing scrolls sideways;
#   - in print (the page's print styles, on the width of A4 landscape
#     between its margins) nothing is wider than the page;
# and takes screenshots at 1280 and 390 px and prints a PDF (A4).
#
#   scripts/browser-test.sh                  # check every example
#   UPDATE_DOCS=1 scripts/browser-test.sh    # also refresh the screenshots in docs/images/
#
# Output (HTML, PNG, PDF, DOM, logs) goes to target/browser-test/, or to
# $BROWSER_TEST_OUT. Installs Debian's chromium when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${BROWSER_TEST_OUT:-target/browser-test}
mkdir -p "$out"
out=$(cd "$out" && pwd)

examples=(
  "havering:examples/havering-2017-q1.perf"
  "portsmouth:examples/portsmouth-2017-q1/portsmouth.perf"
  "tutorial:examples/tutorial/scorecard.perf"
  "adult-social-care:examples/adult-social-care-2017-18.perf"
  "county:examples/county-2024-25.perf"
)

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing chromium"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y chromium
fi
if ! command -v pdftotext >/dev/null 2>&1; then
  echo "== installing poppler-utils"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends poppler-utils
fi
echo "== $(chromium --version 2>/dev/null | head -n 1)"

echo "== cargo build --release"
cargo build --release --locked --quiet
bin=target/release/perfcard

profiles=()
cleanup() {
  for p in "${profiles[@]}"; do rm -rf "$p"; done
}
trap cleanup EXIT

# Headless Chromium with a fresh profile that talks to no server.
browser() {
  local profile
  profile=$(mktemp -d)
  profiles+=("$profile")
  timeout 180 chromium --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --disable-dev-shm-usage --hide-scrollbars \
    --user-data-dir="$profile" "$@"
}

# Console messages and uncaught errors in a log written with
# --enable-logging=stderr; prints them and succeeds when there are any.
console_errors() {
  grep -E 'CONSOLE|Uncaught|Refused to|Content Security Policy' "$1"
}

failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# The console check must be able to fail: a page with a broken script and
# a fetch from elsewhere has to be caught.
echo "== self-check: a broken page is caught"
cat >"$out/broken.html" <<'HTML'
<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>broken</title></head><body><script>undefinedFunction()</script>
<img src="https://example.invalid/x.png" alt=""></body></html>
HTML
browser --enable-logging=stderr --v=0 --dump-dom "file://$out/broken.html" \
  >"$out/broken.dom.html" 2>"$out/broken.console.log" || true
if console_errors "$out/broken.console.log" >/dev/null; then
  echo "ok: console errors are detected"
else
  fail "the console check did not catch a broken page (see $out/broken.console.log)"
fi

# A page that lays a report out in an iframe WIDTH pixels wide, with the
# report's print styles applied when PRINT=1, and writes into its own DOM
# how wide the report's page is and which elements stick out past WIDTH.
cat >"$out/frame.html" <<'HTML'
<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>frame</title>
<style>body { margin: 0; background: #d0d0d0; } iframe { border: 0; background: #fff; display: block; }</style>
</head><body><iframe id="f"></iframe>
<script>
const args = new URLSearchParams(location.search);
const width = Number(args.get("width"));
const frame = document.getElementById("f");
frame.style.width = width + "px";
frame.style.height = (args.get("height") || 4000) + "px";
frame.addEventListener("load", () => {
  const d = frame.contentDocument;
  if (args.get("print") === "1") {
    // The rules of @media print, applied to the screen layout.
    let css = "";
    for (const sheet of d.styleSheets) {
      for (const rule of sheet.cssRules) {
        if (rule.media && rule.media.mediaText.includes("print")) {
          for (const inner of rule.cssRules) css += inner.cssText + "\n";
        }
      }
    }
    const style = d.createElement("style");
    style.textContent = css;
    d.head.appendChild(style);
  }
  const wide = [];
  for (const e of d.querySelectorAll("body *")) {
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 0.5) {
      wide.push(e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ")[0] : "") + (e.id ? "#" + e.id : "") + " ends at " + Math.round(r.right));
    }
  }
  document.body.dataset.scrollWidth = d.documentElement.scrollWidth;
  document.body.dataset.wide = wide.slice(0, 10).join(" | ");
  document.body.dataset.done = "1";
});
frame.src = args.get("src");
</script></body></html>
HTML

# Lays a report out in the frame: prints "scroll-width wide-elements".
frame_check() {
  local html=$1 width=$2 print=$3 log=$4
  browser --allow-file-access-from-files --virtual-time-budget=10000 --dump-dom \
    "file://$out/frame.html?src=$(basename "$html")&width=$width&print=$print" 2>"$log" |
    python3 -c '
import re, sys, html
dom = sys.stdin.read()
done = re.search(r"data-done=\"1\"", dom)
scroll = re.search(r"data-scroll-width=\"(\d+)\"", dom)
wide = re.search(r"data-wide=\"([^\"]*)\"", dom)
if not done or not scroll:
    print("-1 the frame did not load")
else:
    print(scroll.group(1), html.unescape(wide.group(1)) if wide else "")
'
}

# A4 landscape between the page's margins (297 mm less 2 x 10 mm) at 96 px
# to the inch.
print_width=1046

# The width checks must be able to fail: a table wider than a phone, and a
# print style that makes something wider than the page, have to be caught.
echo "== self-check: a page wider than the phone or the paper is caught"
cat >"$out/wide.html" <<'HTML'
<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>wide</title>
<style>@media print { .p { width: 1200px; } }</style></head>
<body><table><tr><td style="white-space: nowrap">a cell far wider than any phone is, which has to scroll sideways</td></tr></table><div class="p">x</div></body></html>
HTML
read -r width wide < <(frame_check "$out/wide.html" 390 0 "$out/wide.phone.log")
if [ "$width" != 390 ] && [ -n "$wide" ]; then
  echo "ok: a page wider than the phone is detected ($wide)"
else
  fail "the phone check did not catch a wide page"
fi
read -r width wide < <(frame_check "$out/wide.html" "$print_width" 1 "$out/wide.print.log")
if [ -n "$wide" ]; then
  echo "ok: a print style wider than the page is detected ($wide)"
else
  fail "the print check did not catch a wide print style"
fi

for entry in "${examples[@]}"; do
  name=${entry%%:*}
  file=${entry#*:}
  html="$out/$name.html"
  echo "== $name ($file)"

  "$bin" report "$file" --format html --output "$html"
  read -r measures actions < <("$bin" report "$file" --format json | python3 -c '
import json, sys
report = json.load(sys.stdin)
print(len(report["measures"]), len(report["actions"]))
')

  browser --screenshot="$out/$name.png" --window-size=1280,2400 "file://$html" \
    >"$out/$name.screenshot.log" 2>&1 || fail "$name: chromium failed to take a screenshot"
  browser --allow-file-access-from-files --screenshot="$out/$name-390.png" --window-size=500,2400 \
    "file://$out/frame.html?src=$name.html&width=390&print=0&height=2400" \
    >"$out/$name.phone.log" 2>&1 || fail "$name: chromium failed to take the phone screenshot"
  browser --print-to-pdf="$out/$name.pdf" --no-pdf-header-footer --print-to-pdf-no-header \
    "file://$html" >"$out/$name.pdf.log" 2>&1 || fail "$name: chromium failed to print a PDF"
  browser --enable-logging=stderr --v=0 --dump-dom "file://$html" \
    >"$out/$name.dom.html" 2>"$out/$name.console.log" || fail "$name: chromium failed to load the page"

  if [ "$(head -c 8 "$out/$name.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]; then
    echo "ok: screenshot $out/$name.png"
  else
    fail "$name: no PNG screenshot"
  fi
  if [ "$(head -c 5 "$out/$name.pdf" 2>/dev/null)" = "%PDF-" ]; then
    echo "ok: PDF $out/$name.pdf"
  else
    fail "$name: no PDF"
  fi
  # No page printed blank (a table pushed to the next page leaves one).
  pages=$(pdfinfo "$out/$name.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
  blank=""
  for ((page = 1; page <= ${pages:-0}; page++)); do
    words=$(pdftotext -f "$page" -l "$page" "$out/$name.pdf" - 2>/dev/null | grep -v '^Page [0-9]* of [0-9]*$' | wc -w)
    if [ "$words" -lt 5 ]; then blank="$blank $page"; fi
  done
  if [ -n "${pages:-}" ] && [ -z "$blank" ]; then
    echo "ok: $pages printed pages, none blank"
  else
    fail "$name: printed pages with nothing on them:${blank:- (no pages)}"
  fi
  if errors=$(console_errors "$out/$name.console.log"); then
    fail "$name: console errors:"$'\n'"$errors"
  else
    echo "ok: no console errors"
  fi
  read -r shown_measures shown_actions has_end < <(python3 - "$out/$name.dom.html" <<'PY'
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
rows = lambda kind: len(re.findall(r'<tr\b[^>]*\bclass="%s"' % kind, dom))
print(rows("measure"), rows("action"), int("</html>" in dom))
PY
  )
  if [ "$has_end" != 1 ]; then
    fail "$name: the DOM was not dumped whole"
  fi
  if [ "$shown_measures" = "$measures" ] && [ "$shown_actions" = "$actions" ]; then
    echo "ok: $shown_measures measure rows and $shown_actions key action rows, as in the report"
  else
    fail "$name: the page shows $shown_measures measure rows and $shown_actions key action rows; the report has $measures and $actions"
  fi

  # Every red entry under "Needs attention", read from the rendered DOM.
  if missing=$("$bin" report "$file" --format json | python3 -c '
import json, re, sys
report = json.load(sys.stdin)
dom = open(sys.argv[1], encoding="utf-8").read()
found = re.search(r"<section[^>]*\bid=\"exceptions\"", dom)
start = found.start() if found else -1
section = dom[start:dom.find("</section>", start)] if found else ""
rows = re.findall(r"<tr class=\"exception red\">.*?>([^<]+)</a>", section)
reds = [e["id"] for e in report["measures"] + report["actions"] if e["rating"] == "red"]
missing = [r for r in reds if r not in rows]
print(" ".join(missing) if missing or start < 0 else "")
sys.exit(1 if missing or start < 0 or len(rows) != len(reds) else 0)
' "$out/$name.dom.html"); then
    echo "ok: every red measure and key action is under Needs attention"
  else
    fail "$name: red entries missing from Needs attention: ${missing:-(no section)}"
  fi

  read -r width wide < <(frame_check "$html" 390 0 "$out/$name.phone-check.log")
  if [ "$width" = 390 ] && [ -z "$wide" ]; then
    echo "ok: nothing wider than a 390 px phone"
  else
    fail "$name: at 390 px the page is $width px wide: $wide"
  fi

  read -r width wide < <(frame_check "$html" "$print_width" 1 "$out/$name.print-check.log")
  if [ "$width" = "$print_width" ] && [ -z "$wide" ]; then
    echo "ok: nothing wider than an A4 page in print"
  else
    fail "$name: in print the page is $width px wide (the page holds $print_width): $wide"
  fi
done

if [ "${UPDATE_DOCS:-}" = 1 ]; then
  cp "$out/havering.png" docs/images/havering-report.png
  "$bin" report examples/havering-2017-q1.perf --exceptions --format html --output "$out/havering-exceptions.html"
  browser --screenshot=docs/images/havering-exceptions.png --window-size=1280,1300 \
    "file://$out/havering-exceptions.html" >"$out/havering-exceptions.log" 2>&1
  cp "$out/havering-390.png" docs/images/havering-phone.png
  echo "== updated the screenshots in docs/images/"
fi

passed=$(( ${#examples[@]} * 8 + 3 - failures ))
echo "browser-test: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
