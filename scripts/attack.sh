#!/usr/bin/env bash
# The reproductions of issue 14 at the sizes the issue gave, too slow or too
# large for every `cargo test` (tests/reliability.rs tests the same
# properties smaller). Run from the repository, after `cargo build --release`:
#
#   scripts/attack.sh [chain|quadratic|race|memory|line|stdin|blob|all]
#
# Each part prints what it measured and exits non-zero if a promise of
# docs/guarantees.md is broken.
set -euo pipefail
bin=${PERFCARD:-$PWD/target/release/perfcard}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

header='report "R" {
  period 2018/19 Q2
}
measure LEAF "leaf" {
  unit percent
  polarity higher
  target 2018/19 50%
  actual 2018/19 Q2 60%
}'

chain() { # 1: composite chains, 8,000 and 130,000 links
  for n in 8000 130000; do
    { echo "$header"; for ((i = 0; i < n; i++)); do
        next=$([ $((i + 1)) -lt $n ] && echo "C$((i + 1))" || echo LEAF)
        printf 'measure C%d "c" {\n  composite worst of %s\n}\n' "$i" "$next"
      done; } > chain.perf
    for cmd in "check chain.perf" "report chain.perf" "explain chain.perf C0" "diff chain.perf chain.perf"; do
      "$bin" $cmd > /dev/null 2>&1 || { echo "chain $n: $cmd failed ($?)"; exit 1; }
    done
    echo "chain of $n composites: every command exits 0"
  done
}

quadratic() { # 9: 200,000 composites on one leaf
  { echo "$header"; for ((i = 0; i < 200000; i++)); do
      printf 'measure C%d "c" {\n  composite worst of LEAF\n}\n' "$i"
    done; } > star.perf
  start=$(date +%s.%N)
  "$bin" check star.perf 2> /dev/null
  echo "200,000 composites checked in $(echo "$(date +%s.%N) - $start" | bc) s (main: 33 s)"
}

race() { # 4: 3,000 runs against a folder swapped for a link
  mkdir -p root/d outside
  printf 'report "R" {\n  period 2018/19 Q2\n}\ninclude "d/inc.perf"\n' > root/card.perf
  echo "${header#*\}}" > root/d/inc.perf
  sed 's/leaf/SECRET/' root/d/inc.perf > outside/inc.perf
  ln -s "$PWD/outside" root/link
  ( while :; do mv root/d root/d.real; mv root/link root/d; mv root/d root/link; mv root/d.real root/d; done ) 2> /dev/null &
  swapper=$!
  leaked=0
  for ((i = 0; i < 3000; i++)); do
    if (cd root && "$bin" report card.perf --format csv 2> /dev/null) | grep -q SECRET; then
      leaked=$((leaked + 1))
    fi
  done
  kill "$swapper"
  echo "the outside file got into $leaked of 3000 reports"
  [ "$leaked" -eq 0 ]
}

memory() { # 18: 59 MB of measures inside a group
  { echo 'report "R" {
  period 2018/19 Q2
}
group "G" {'
    for ((i = 0; i < 500000; i++)); do
      printf 'measure M%d "Measure number %d" {\n  unit percent\n  polarity higher\n  target 2018/19 50%%\n  actual 2018/19 Q2 60%%\n}\n' "$i" "$i"
    done
    echo '}'; } > group.perf
  size=$(stat -c %s group.perf)
  peak=$( { /usr/bin/time -f %M "$bin" check group.perf > /dev/null 2> /dev/null; } 2>&1 | tail -1)
  echo "$size bytes in a group: peak $((peak / 1024)) MiB ($((peak * 1024 / size))x; the bound is 40x)"
  [ $((peak * 1024)) -lt $((size * 40)) ]
}

line() { # 18: a 256 MiB line of NULs
  head -c $((256 * 1024 * 1024)) /dev/zero > nul.perf
  bytes=$("$bin" check nul.perf 2>&1 > /dev/null | wc -c) || true
  echo "a 256 MiB line: $bytes bytes on stderr"
  [ "$bytes" -lt 10000 ]
}

stdin() { # 5: 300 MB through `fmt -`
  set +e
  head -c 300000000 /dev/zero | tr '\0' '\n' | "$bin" fmt - > /dev/null 2> err.txt
  code=$?
  set -e
  echo "300 MB on stdin: exit $code, $(cat err.txt)"
  [ "$code" -eq 2 ]
}

blob() { # 5: a 300 MB blob through `diff HEAD:big.perf`
  git init -q repo && cd repo
  head -c 300000000 /dev/zero | tr '\0' '\n' > big.perf
  git add big.perf && git -c user.email=a@b -c user.name=a commit -qm big
  set +e
  echo "$header" > small.perf
  "$bin" diff HEAD:big.perf small.perf > /dev/null 2> err.txt
  code=$?
  set -e
  echo "a 300 MB git blob: exit $code, $(head -c 300 err.txt)"
  cd .. && [ "$code" -eq 2 ]
}

case "${1:-all}" in
  all) chain; quadratic; race; memory; line; stdin; blob ;;
  *) "$1" ;;
esac
