#!/usr/bin/env bash
# Longer fuzz run (docs/fuzzing.md): every target for SECS seconds (default 300),
# JOBS targets at a time (default 2), corpora kept in WORK between runs.
# usage: harness/codec/fuzz/long-run.sh BUILD_DIR WORK_DIR [SECS] [JOBS]
# env TARGETS: subset of the targets (default: all eight)
set -uo pipefail
BUILD=${1:?build dir (CC=clang meson setup ... -Dfuzz=true)}
WORK=${2:?work dir}
SECS=${3:-300}
JOBS=${4:-2}
SRC=$(cd "$(dirname "$0")/../../.." && pwd)
FZ="$BUILD/harness/codec/fuzz"
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mkdir -p "$WORK"
[ -d "$WORK/seeds" ] || "$FZ/ek-fuzz-seedgen" "$WORK/seeds" "$SRC/vectors/manifests"
TARGETS=${TARGETS:-wpan ie enroll_ie lowpan rpl minprio frame decap}
printf '%s\n' $TARGETS |
  xargs -P "$JOBS" -I{} sh -c '
    t={}; mkdir -p "$0/corpus-$t" "$0/artifacts-$t"
    "$1/fuzz_$t" -max_len=256 -max_total_time="$2" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$0/artifacts-$t/" "$0/corpus-$t" "$0/seeds/$t" >"$0/$t.log" 2>&1
    echo "fuzz_$t exit $?"' "$WORK" "$FZ" "$SECS"
for t in $TARGETS; do
  printf '%-10s %s | crashes: %s\n' "$t" "$(grep -E '^#[0-9]+.*(DONE|cov:)' "$WORK/$t.log" | tail -1)" \
    "$(ls "$WORK/artifacts-$t" | wc -l)"
done
