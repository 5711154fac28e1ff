#!/bin/bash
# Runs fuzz targets one after another, each for SECONDS, carrying on after a
# crash (each crash is saved in fuzz/artifacts/<target>/). See docs/fuzzing.md.
#
#   fuzz/run.sh SECONDS TARGET...        e.g. fuzz/run.sh 600 parse_check report
#
# SANITIZER=address for AddressSanitizer (slower; the code is safe Rust, so
# the default is none). Logs go to fuzz/logs/<target>.<time>.log.
set -eu
cd "$(dirname "$0")"
secs=$1
shift
mkdir -p logs
for target in "$@"; do
    mkdir -p "corpus/$target"
    log="logs/$target.$(date +%Y%m%d-%H%M%S).log"
    RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer "${SANITIZER:-none}" "$target" -- \
        -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -max_total_time="$secs" -rss_limit_mb=4096 -timeout=10 -dict=perf.dict \
        > "$log" 2>&1 || true
    echo "$target: $(grep -E '^#[0-9]+:' "$log" | tail -n 1)"
done
