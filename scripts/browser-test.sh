#!/usr/bin/env bash
# The HTML report as a person sees it: renders every example to HTML, opens
# each in headless Chromium, takes a PNG screenshot and prints a PDF, and
# checks that the page loads with no console error (the report's Content
# Security Policy turns any fetch or script into one) and shows one table
# row per measure and per key action of the report.
#
#   scripts/browser-test.sh                  # check every example
#   UPDATE_DOCS=1 scripts/browser-test.sh    # also refresh docs/images/havering-report.png
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

  browser --screenshot="$out/$name.png" --window-size=1400,2000 "file://$html" \
    >"$out/$name.screenshot.log" 2>&1 || fail "$name: chromium failed to take a screenshot"
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
done

if [ "${UPDATE_DOCS:-}" = 1 ]; then
  cp "$out/havering.png" docs/images/havering-report.png
  echo "== updated docs/images/havering-report.png"
fi

passed=$(( ${#examples[@]} * 4 + 1 - failures ))
echo "browser-test: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
