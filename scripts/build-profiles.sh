#!/usr/bin/env bash
# Measures what each release build profile costs to build and how fast the
# result runs (docs/performance.md, "Build profiles").
#
#   bash scripts/build-profiles.sh [MEASURES]
#
# Each profile is built from scratch (dependencies included) in its own
# target directory under $WORK (default: a new temporary directory), one
# after another, so that a first `cargo build` on a fresh clone is what is
# timed. Wall-clock time depends on what else the machine is doing; the CPU
# time (user + system) is printed beside it and is steadier. Then the
# binaries run the same commands on the same generated scorecard in turn,
# three rounds, best of each.
set -euo pipefail
cd "$(dirname "$0")/.."
measures=${1:-60000}
work=${WORK:-$(mktemp -d -t perfcard-profiles-XXXXXX)}
echo "working in $work"

# name | cargo arguments
profiles=(
  "release-fat|--release --config profile.release.lto=\"fat\" --config profile.release.codegen-units=1"
  "release-thin|--release --config profile.release.lto=\"thin\" --config profile.release.codegen-units=16"
  "release-nolto|--release --config profile.release.lto=false --config profile.release.codegen-units=16"
)
[ -n "${PROFILES:-}" ] && IFS=';' read -r -a profiles <<<"$PROFILES"

# REBUILD=1: the dependencies are already built in $WORK; time only the
# rebuild of perfcard itself (its library, the binary and the link-time
# optimisation), the part whose cost depends most on the profile and which
# runs last, on one core when there is one codegen unit. Profiles are
# interleaved (ROUNDS times, default 2), so that each sees the same conditions.
if [ -n "${REBUILD:-}" ]; then
  for round in $(seq "${ROUNDS:-2}"); do
    for entry in "${profiles[@]}"; do
      name=${entry%%|*}
      args=${entry#*|}
      touch src/lib.rs
      load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
      # shellcheck disable=SC2086
      /usr/bin/time -f "%e %U %S" -o "$work/$name.rebuild" \
        env CARGO_TARGET_DIR="$work/$name" cargo build --locked --quiet --bin perfcard $args
      read -r wall user sys <"$work/$name.rebuild"
      printf '%-14s perfcard only: %5.0f s wall, %5.0f s CPU (load before: %s)\n' \
        "$name" "$wall" "$(echo "$user + $sys" | bc)" "$load"
    done
  done
  exit 0
fi

for entry in "${profiles[@]}"; do
  name=${entry%%|*}
  args=${entry#*|}
  dir="$work/$name"
  rm -rf "$dir"
  load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
  # shellcheck disable=SC2086
  /usr/bin/time -f "%e %U %S" -o "$work/$name.time" \
    env CARGO_TARGET_DIR="$dir" cargo build --locked --quiet --bin perfcard $args
  read -r wall user sys <"$work/$name.time"
  bin=$(find "$dir" -maxdepth 2 -type f -name perfcard | head -1)
  cp "$bin" "$work/perfcard-$name"
  size=$(stat -c %s "$bin")
  printf '%-14s build %7.0f s wall, %7.0f s CPU (load before: %s), binary %.1f MB\n' \
    "$name" "$wall" "$(echo "$user + $sys" | bc)" "$load" "$(echo "$size / 1000000" | bc -l)"
done

gen="$work/card"
if [ ! -f "$gen/card.perf" ]; then
  cargo run --quiet --example generate -- "$measures" "$gen"
fi
echo "scorecard: $measures measures, $(stat -c %s "$gen/card.perf") bytes"

best() { # best wall time of 1 run, in seconds
  /usr/bin/time -f "%e" -o "$work/t" "$@" >/dev/null 2>&1 || true
  cat "$work/t"
}
declare -A results
for round in 1 2 3; do
  for entry in "${profiles[@]}"; do
    name=${entry%%|*}
    b="$work/perfcard-$name"
    for cmd in check json diff; do
      case $cmd in
        check) t=$(best "$b" check "$gen/card.perf") ;;
        json) t=$(best "$b" report "$gen/card.perf" --format json) ;;
        diff) t=$(best "$b" diff "$gen/card.perf" "$gen/card-next.perf") ;;
      esac
      key="$name/$cmd"
      prev=${results[$key]:-999}
      results[$key]=$(echo "if ($t < $prev) $t else $prev" | bc)
    done
  done
done
for entry in "${profiles[@]}"; do
  name=${entry%%|*}
  printf '%-14s check %5.2f s   report --format json %5.2f s   diff %5.2f s\n' \
    "$name" "${results[$name/check]}" "${results[$name/json]}" "${results[$name/diff]}"
done
