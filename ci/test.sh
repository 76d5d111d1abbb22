#!/usr/bin/env bash
# The README's test command: install dependencies, build with -Werror, run every
# test (unit, vectors, tshark oracle, dissector), then the same suite under
# ASan/UBSan, then a short fuzz smoke run, then the plugin's tests on the Wireshark
# releases of Debian 13 and unstable (ci/matrix.sh).  Exit status is non-zero on any failure.
#
# Work that only needs the CPU (the ASan and fuzz builds, the version matrix) runs beside
# the tests at SCHED_IDLE priority: the ZEP tests mostly wait on the DUT's timers, and an
# idle-class process never delays a normal one's wake-up, so the timing the TDs judge is
# what it is when they run alone.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/deps.sh

step() { printf '\n==== %s ====\n' "$*"; }
bg_pids=()
# A background job in its own process group, at idle priority, output to LOG.
background() { # background LOG CMD...
  local log=$1; shift
  setsid chrt --idle 0 "$@" >"$log" 2>&1 &
  bg_pids+=($!)
}
# An early exit (a failing phase) ends the background jobs too.
trap 'for p in "${bg_pids[@]}"; do kill -- "-$p" 2>/dev/null || true; done' EXIT
# join PID LOG WHAT: wait for a background job; its log on failure.
join() {
  if ! wait "$1"; then
    tail -n 60 "$2"
    echo "ci/test.sh: $3 failed (log: $2)" >&2
    exit 1
  fi
}

step "build (gcc, -Werror)"
rm -rf build-ci build-asan
mkdir -p build-logs
meson setup build-ci -Dwerror=true -Dtests=enabled
meson compile -C build-ci

background build-logs/asan-fuzz-build.log bash -c '
  meson setup build-asan -Dwerror=true -Dtests=enabled -Db_sanitize=address,undefined -Db_lundef=false \
    -Dwireshark_plugin=disabled && meson compile -C build-asan &&
  if [ -x ci/fuzz-smoke.sh ]; then ci/fuzz-smoke.sh --build-only; fi'
asan_build=$!
# The plugin on newer Wireshark releases: clean Debian 13 and unstable root file systems
# (docs/wireshark.md "Versions built and tested").  EK_SKIP_MATRIX=1 skips it (offline work).
matrix=""
if [ "${EK_SKIP_MATRIX:-0}" != 1 ]; then
  rm -rf build-matrix
  background build-logs/matrix.log ci/matrix.sh --out build-matrix --host-build build-ci trixie sid
  matrix=$!
fi

step "tests"
meson test -C build-ci --print-errorlogs --num-processes 2

step "build + tests under ASan/UBSan"
join "$asan_build" build-logs/asan-fuzz-build.log "ASan / fuzz build"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
meson test -C build-asan --print-errorlogs --num-processes 2 --no-suite dissector --no-suite oracle --no-suite mutation

if [ -x ci/fuzz-smoke.sh ]; then
  step "fuzz smoke (libFuzzer)"
  ci/fuzz-smoke.sh
fi

if [ -n "$matrix" ]; then
  step "Wireshark version matrix (Debian 13, Debian unstable; host: build-ci)"
  join "$matrix" build-logs/matrix.log "the Wireshark version matrix"
  cat build-logs/matrix.log
fi
step "all green"
