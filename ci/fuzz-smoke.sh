#!/usr/bin/env bash
# Fuzz smoke run (docs/fuzzing.md): builds the libFuzzer targets with clang in a
# separate build dir, replays vectors/regress/<target>-*.bin, then fuzzes each target
# for FUZZ_SECONDS (default 10; the two frame-sequence targets twice that) from seeds
# built by ek-fuzz-seedgen (encoder frames + vectors/manifests; fuzz_refnode and
# fuzz_netcheck from refnode_seedgen; the CoAP/OSCORE targets from RFC 8613 Appendix C
# messages written below).  Two targets at a time; total
# well under 2 minutes.
# Exit status non-zero on any crash, sanitizer report or broken invariant.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${FUZZ_SECONDS:-10}
BUILD=${FUZZ_BUILD_DIR:-build-fuzz}
WORK=${FUZZ_WORK_DIR:-$BUILD/fuzz-smoke}
TARGETS="wpan ie enroll_ie lowpan rpl minprio frame decap cojp coap oscore_opt oscore refnode netcheck"

if [ ! -f "$BUILD/build.ninja" ]; then
  CC=clang meson setup "$BUILD" -Dfuzz=true -Dtests=disabled -Dwireshark_plugin=disabled -Db_lundef=false
fi
# Only what runs below: the fuzz targets and the two seed generators (not the tools and
# benchmarks, which would double the build).
meson compile -C "$BUILD" ek-fuzz-seedgen refnode_seedgen $(printf 'fuzz_%s ' $TARGETS)
FZ="$BUILD/harness/codec/fuzz"
RN="$BUILD/harness/refnode/fuzz"
NC="$BUILD/harness/check/fuzz"
OS="$BUILD/harness/sec/fuzz"
# Where fuzz_<target> lives, and its -max_len (fuzz_refnode and fuzz_netcheck inputs are
# frame sequences).
tdir() { case $1 in refnode) echo "$RN" ;; netcheck) echo "$NC" ;; oscore) echo "$OS" ;; *) echo "$FZ" ;; esac; }
tmax() { case $1 in refnode | netcheck) echo 1024 ;; *) echo 256 ;; esac; }
# and its seconds: the frame-sequence targets run ~100x fewer inputs per second
tsecs() { case $1 in refnode | netcheck) echo $((SECS * 2)) ;; *) echo "$SECS" ;; esac; }
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

rm -rf "$WORK"
mkdir -p "$WORK"
"$FZ/ek-fuzz-seedgen" "$WORK/seeds" vectors/manifests
"$RN/refnode_seedgen" "$WORK/seeds/refnode"
cp -r "$WORK/seeds/refnode" "$WORK/seeds/netcheck" # the same frame-sequence format
# CoAP / OSCORE seeds: the RFC 8613 Appendix C messages (C.4 plain and protected, C.6, C.7)
# and option values; fuzz_oscore inputs start with a selector octet (0-7).
mkdir -p "$WORK/seeds/coap" "$WORK/seeds/oscore_opt" "$WORK/seeds/oscore"
unhex() { printf "$(printf '%s' "$1" | sed 's/../\\x&/g')"; } # bash printf understands \xHH
i=0
for m in 44015d1f00003974396c6f63616c686f737483747631 \
         44025d1f00003974396c6f63616c686f7374620914ff612f1092f1776f1c1668b3825e \
         44022f8eef9bbf7a396c6f63616c686f73746b19140837cbf3210017a2d3ff72cd7273fd331ac45cffbe55c3 \
         64445d1f0000397490ffdbaad1e9a7e7b2a813d3c31524378303cdafae119106; do
  i=$((i + 1))
  unhex "$m" >"$WORK/seeds/coap/c$i"
  for sel in 00 01 02 03 07; do unhex "$sel$m" >"$WORK/seeds/oscore/c$i-$sel"; done
done
for v in 0914 091400 19140837cbf3210017a2d3 0100; do unhex "$v" >"$WORK/seeds/oscore_opt/$v"; done

fail=0
# 1. Regression inputs: vectors/regress/<target>-<what>.bin must not crash any more.
for f in vectors/regress/*.bin; do
  [ -e "$f" ] || continue
  t=$(basename "$f"); t=${t%%-*}
  if [ ! -x "$(tdir "$t")/fuzz_$t" ]; then echo "fuzz-smoke: $f: no target fuzz_$t" >&2; fail=1; continue; fi
  if ! "$(tdir "$t")/fuzz_$t" "$f" >"$WORK/regress-$(basename "$f").log" 2>&1; then
    echo "fuzz-smoke: REGRESSION $f (fuzz_$t):" >&2
    grep -E "invariant|ERROR|runtime error|SUMMARY" "$WORK/regress-$(basename "$f").log" >&2 || true
    fail=1
  fi
done

# 2. Short fuzzing, two targets at a time.
run() {
  local t=$1
  mkdir -p "$WORK/corpus-$t" "$WORK/artifacts-$t"
  "$(tdir "$t")/fuzz_$t" -max_len="$(tmax "$t")" -max_total_time="$(tsecs "$t")" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$WORK/artifacts-$t/" "$WORK/corpus-$t" "$WORK/seeds/$t" >"$WORK/$t.log" 2>&1
}
set -- $TARGETS
while [ $# -gt 0 ]; do
  pids=()
  for t in "$1" "${2:-}"; do
    [ -n "$t" ] || continue
    run "$t" & pids+=("$!:$t")
  done
  for p in "${pids[@]}"; do
    if ! wait "${p%%:*}"; then
      t=${p#*:}
      echo "fuzz-smoke: CRASH in fuzz_$t (artifact in $WORK/artifacts-$t/):" >&2
      grep -E "invariant|ERROR|runtime error|SUMMARY" "$WORK/$t.log" | head -5 >&2 || true
      fail=1
    fi
  done
  shift; [ $# -gt 0 ] && shift
done
for t in $TARGETS; do
  printf '%-10s %s\n' "$t" "$(grep -E '^#[0-9]+.*(DONE|cov:)' "$WORK/$t.log" | tail -1)"
done
[ "$fail" = 0 ] && echo "fuzz-smoke: OK" || echo "fuzz-smoke: FAILED" >&2
exit "$fail"
