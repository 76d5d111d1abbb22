#!/usr/bin/env bash
# Benchmark (not a test; docs/performance.md "## enroll-decode throughput").
# Builds a release tree (-O2) in its own build dir, generates a capture of N mixed
# frames (default 1,000,000; link type 195) and times, in one run on the same file with
# the page cache warm, best of 3 each:
#   bare libpcap read loop | ek-bench-decode (decode, no output; --fcs-once: FCS verdict
#   from ek_cap_decap as enroll-decode does) | enroll-decode --stats FILE (decode only) |
#   enroll-decode FILE | enroll-decode --json FILE | tshark -r (first TSHARK_N frames, scaled) |
#   enroll-check FILE (every node judged; target within 1.5x of enroll-decode --stats), with
#   its peak memory (GNU time's maximum resident set size)
# usage: bench/run.sh [N]    env: BENCH_BUILD (build-bench), BENCH_MESON_ARGS (extra options
#                            when BENCH_BUILD is set up, e.g. -Db_lto=true), BENCH_FILE (/tmp/ek-bench.pcap),
#                            INSTR_FRAMES (0 = off, the default: N = also count the instructions
#                            of both on an N-frame mixed file with callgrind),
#                            TSHARK_N (0 = whole file, the default;
#                            N = time the first N frames and scale: includes N/TSHARK_N tshark start-ups), RUNS (3)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
B=${BENCH_BUILD:-build-bench}
FILE=${BENCH_FILE:-/tmp/ek-bench.pcap}
TSHARK_N=${TSHARK_N:-0}
RUNS=${RUNS:-3}

if [ ! -f "$B/build.ninja" ]; then
  # shellcheck disable=SC2086 # BENCH_MESON_ARGS: words on purpose
  meson setup "$B" --buildtype=release -Doptimization=2 -Dtests=disabled -Dwireshark_plugin=disabled \
    ${BENCH_MESON_ARGS:-} >/dev/null
fi
meson compile -C "$B" >/dev/null
"$B/bench/ek-bench-gen" "$FILE" "$N"
cat "$FILE" >/dev/null # warm the page cache

# best_of CMD...: prints the best wall time in seconds over $RUNS runs (stdout discarded)
best_of() {
  local best="" t0 t1 t
  for _ in $(seq "$RUNS"); do
    t0=$(date +%s.%N)
    "$@" >/dev/null
    t1=$(date +%s.%N)
    t=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
  done
  printf '%.4f' "$best"
}

ED="$B/tools/enroll-decode"
t_read=$(best_of "$B/bench/ek-bench-readloop" "$FILE")
t_readb=$(best_of "$B/bench/ek-bench-readloop" --bytes "$FILE")
t_dec=$(best_of "$B/bench/ek-bench-decode" "$FILE")
t_dec1=$(best_of "$B/bench/ek-bench-decode" --fcs-once "$FILE")
t_stats=$(best_of "$ED" --stats "$FILE")
t_tree=$(best_of "$ED" "$FILE")
t_json=$(best_of "$ED" --json "$FILE")
EC="$B/tools/enroll-check/enroll-check"
t_check=$(best_of "$EC" -q "$FILE")

check_rss_kb=$(/usr/bin/time -f %M "$EC" -q "$FILE" 2>&1 >/dev/null | tail -1 || true) # exit 1: findings
check_nodes=$("$EC" --jsonl - "$FILE" | grep -c '"type":"node"' || true)
# The mixed file gives every DIO a random rank, so every node's view of its neighbours
# changes with every DIO.  A steady network is the other end: a root and 14 6LRs with
# EBs, about as many frames (tools/tests/netgen.c).
NET=${BENCH_NET_FILE:-/tmp/ek-bench-net.pcap}
"$B/tools/netgen" -p $(( N / 30 + 4 )) "$NET" "$NET.a" "$NET.b" ok ok ok ok ok ok ok ok ok ok ok ok ok ok
rm -f "$NET.a" "$NET.b"
net_frames=$("$ED" --stats "$NET" | sed 's/^[^:]*: \([0-9]*\) frames.*/\1/')
t_net_stats=$(best_of "$ED" --stats "$NET")
t_net_check=$(best_of "$EC" -q "$NET")
net_rss_kb=$(/usr/bin/time -f %M "$EC" -q "$NET" 2>&1 >/dev/null | tail -1 || true)
if [ "$TSHARK_N" = 0 ] || [ "$TSHARK_N" -ge "$N" ]; then
  tn=$N; t_tsh=$(best_of tshark -n -r "$FILE")
else
  tn=$TSHARK_N; t_tsh=$(best_of tshark -n -r "$FILE" -c "$TSHARK_N")
fi
t_tsh_scaled=$(echo "$t_tsh * $N / $tn" | bc -l)

fps() { printf '%.0f' "$(echo "$1 / $2" | bc -l)"; }
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }
echo
echo "machine: $(nproc) CPU(s), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(uname -sr)"
echo "file: $FILE, $N frames, $(stat -c %s "$FILE") octets; best of $RUNS, page cache warm"
echo
echo "| run | seconds | frames/s | time / read loop |"
echo "|---|---:|---:|---:|"
row() { echo "| $1 | $2 | $(fps "${4:-$N}" "$3") | $(ratio "$2" "$t_read") |"; }
row "bare libpcap read loop (pcap_next_ex, sum caplen)" "$t_read" "$t_read"
row "read loop touching every octet" "$t_readb" "$t_readb"
row "ek-bench-decode (decap + ek_frame_decode, no output)" "$t_dec" "$t_dec"
row "ek-bench-decode --fcs-once (FCS computed once, ek_frame_decode_mpdu)" "$t_dec1" "$t_dec1"
row "enroll-decode --stats FILE (decode only, one summary line)" "$t_stats" "$t_stats"
row "enroll-decode FILE >/dev/null (tree)" "$t_tree" "$t_tree"
row "enroll-decode --json FILE >/dev/null" "$t_json" "$t_json"
row "enroll-check -q FILE (every node judged, $check_nodes nodes)" "$t_check" "$t_check"
if [ "$tn" = "$N" ]; then tl="tshark -n -r FILE >/dev/null (whole file)"; else tl="tshark -n -r -c $tn: $t_tsh s, scaled x$N/$tn"; fi
echo "| $tl | $(printf '%.2f' "$t_tsh_scaled") | $(fps "$tn" "$t_tsh") | $(ratio "$t_tsh_scaled" "$t_read") |"
echo
echo "enroll-decode --stats / read loop: $(ratio "$t_stats" "$t_read")x   (target <= 2: decoding)"
echo "enroll-decode (tree) / read loop:  $(ratio "$t_tree" "$t_read")x   (target <= 2)"
echo "enroll-decode --json / read loop:  $(ratio "$t_json" "$t_read")x   (target <= 2)"
echo "decode only / read loop:           $(ratio "$t_dec" "$t_read")x"
echo "enroll-check / enroll-decode --stats: $(ratio "$t_check" "$t_stats")x   (target <= 1.5; mixed file, $check_nodes nodes)"
echo "enroll-check peak memory:          $((check_rss_kb / 1024)) MiB for $check_nodes nodes, $N frames"
echo "steady network ($net_frames frames, 15 nodes): enroll-decode --stats $(printf '%.3f' "$t_net_stats") s, enroll-check $(printf '%.3f' "$t_net_check") s: $(ratio "$t_net_check" "$t_net_stats")x, peak memory $((net_rss_kb / 1024)) MiB"
# Instructions, which a shared machine does not blur (wall-time ratios there move by about
# 0.1 between series): callgrind over a generated capture of INSTR_FRAMES mixed frames,
# when asked and valgrind is there.
if [ "${INSTR_FRAMES:-0}" -gt 0 ] && command -v valgrind >/dev/null; then
  IF=$(mktemp /tmp/ek-bench-instr.XXXXXX.pcap)
  "$B/bench/ek-bench-gen" "$IF" "$INSTR_FRAMES" >/dev/null 2>&1
  instr() { # instr CMD...: instructions executed (callgrind's total)
    local out
    out=$(mktemp /tmp/ek-bench-cg.XXXXXX)
    valgrind --tool=callgrind --callgrind-out-file="$out" "$@" >/dev/null 2>&1 || true
    sed -n 's/^\(summary\|totals\): *\([0-9]*\).*/\2/p' "$out" | head -n1
    rm -f "$out"
  }
  i_stats=$(instr "$ED" --stats "$IF")
  i_check=$(instr "$EC" -q "$IF")
  rm -f "$IF"
  if [ -n "$i_stats" ] && [ -n "$i_check" ]; then
    echo "instructions, $INSTR_FRAMES mixed frames (callgrind): enroll-decode --stats $i_stats, enroll-check $i_check: $(ratio "$i_check" "$i_stats")x"
  else
    echo "instructions: callgrind gave no count (valgrind failed)"
  fi
fi
echo "tshark / enroll-decode --stats:    $(ratio "$t_tsh_scaled" "$t_stats")x  (target >= 20)"
echo "tshark / enroll-decode (tree):     $(ratio "$t_tsh_scaled" "$t_tree")x  (target >= 20)"
echo "tshark / enroll-decode --json:     $(ratio "$t_tsh_scaled" "$t_json")x  (target >= 20)"

# Radio: ZEP injection rate over loopback vs 802.15.4 air time, and pacing error
# (bench/radio_rate.c, one parseable line per result).  RADIO=0 skips it.
if [ "${RADIO:-1}" = 1 ]; then
  echo
  "$B/bench/ek-bench-radio-rate"
fi
