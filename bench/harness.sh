#!/usr/bin/env bash
# Harness benchmarks (not tests; docs/performance.md "Conformance harness"):
#  1. wall time of the full default suite against enroll-refdut over ZEP on loopback,
#     fast timing (examples/dut/refdut-zep.ini), once per wire profile;
#  2. the same suite in-process (loop:refnode, virtual time): the engine's own cost;
#  3. ZEP injection rate vs the 802.15.4 air-time limit, and the pacing error
#     (bench/radio_rate.c).
# Usage: bench/harness.sh [BUILD_DIR]   (default build; needs a built tree)
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-build}
H=$B/tools/enroll-harness/enroll-harness
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
for p in draft-03 draft-04 draft-09 draft-16; do
  t0=$(now)
  rc=0
  "$H" --dut examples/dut/refdut-zep.ini --set "wire.ep_profile=$p" --out "$tmp/$p" --quiet >"$tmp/$p.log" 2>&1 || rc=$?
  t1=$(now)
  printf 'harness_suite radio=zep profile=%s wall_s=%.2f exit=%d %s\n' "$p" "$(echo "$t1 - $t0" | bc)" "$rc" \
    "$(tail -n 1 "$tmp/$p.log" | sed 's/.*: //')"
done
for p in draft-03 draft-16; do
  t0=$(now)
  "$H" --dut loop:refnode --set "wire.ep_profile=$p" --quiet >"$tmp/loop.log" 2>&1 || true
  t1=$(now)
  printf 'harness_suite radio=loop profile=%s wall_s=%.3f %s\n' "$p" "$(echo "$t1 - $t0" | bc)" "$(tail -n 1 "$tmp/loop.log")"
done
"$B/bench/ek-bench-radio-rate"
