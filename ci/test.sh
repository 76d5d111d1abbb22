#!/usr/bin/env bash
# The README's test command: install dependencies, build with -Werror, run every
# test (unit, vectors, tshark oracle, dissector), then the same suite under
# ASan/UBSan, then a short fuzz smoke run and, beside it, the plugin's tests on the
# Wireshark releases of Debian 13 and unstable (ci/matrix.sh; their root file systems
# are set up in the background from the start).  Exit status is non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/deps.sh

# each step says when it started (minutes:seconds since the start), so a slow CI run
# shows which step took the time
step() { printf '\n==== %s (at %d:%02d) ====\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)); }

# The plugin on newer Wireshark releases: clean Debian 13 and unstable root file systems
# (docs/wireshark.md "Versions built and tested").  EK_SKIP_MATRIX=1 skips it (offline
# work).  Their set-up (download and unpack, in memory: ci/matrix.sh) starts now, at the
# lowest CPU priority (a new session is a new scheduler autogroup where the kernel has
# them, and nice only ranks tasks inside one, so the group's nice value is set too).
# Their builds and tests wait for the gate, opened after the ASan tests: the ZEP suites
# and the DUTs under ASan have windows of a few hundred ms, and builds beside them made
# compliant runs miss those.
matrix_pid=""
rm -rf build-matrix
if [ "${EK_SKIP_MATRIX:-0}" != 1 ]; then
  step "Wireshark version matrix: set-up started (Debian 13, Debian unstable; output at the end)"
  mkdir -p build-matrix
  # its own process group (a background job of a script ignores SIGINT), stopped with
  # everything it started if this script ends early
  setsid bash -c 'echo 19 >/proc/self/autogroup 2>/dev/null
                  exec nice -n 19 ci/matrix.sh --out build-matrix --host-build build-ci --gate build-matrix/go trixie sid' \
    >build-matrix/run.log 2>&1 &
  matrix_pid=$!
  trap 'rc=$?; if [ -n "$matrix_pid" ]; then kill -TERM -- -"$matrix_pid" 2>/dev/null || kill -TERM "$matrix_pid" 2>/dev/null; wait "$matrix_pid" 2>/dev/null || true; fi; exit $rc' EXIT
  trap 'exit 130' INT TERM
fi

step "build (gcc, -Werror)"
rm -rf build-ci
meson setup build-ci -Dwerror=true -Dtests=enabled
meson compile -C build-ci
step "tests"
# Everything but the two ZEP suites, two at a time on two cores; then the two ZEP suites
# together (each runs EK_ZEP_JOBS DUTs at a time), with no other test beside them.  They
# judge real DUT processes by windows of tens of ms (a Trickle reset within 2 Imin of the
# refdut profiles' 16 ms Imin), so a tshark or a build beside them can stall a compliant
# DUT past its window: the false verdict the suites exist to count would then be the
# host's.  Each suite spends minutes waiting on its DUTs' timers at about 15 % of the
# CPU.  Both parts run whatever the first part's result, so a CI log shows both.
tests_rc=0
meson test -C build-ci --print-errorlogs --num-processes 2 --no-suite mutation || tests_rc=$?
step "tests: the ZEP mutation and compliant-variant suites"
meson test -C build-ci --print-errorlogs --num-processes 2 --suite mutation || tests_rc=$?
[ "$tests_rc" = 0 ] || { step "FAILED: tests (exit $tests_rc)"; exit "$tests_rc"; }

step "build + tests under ASan/UBSan"
rm -rf build-asan
meson setup build-asan -Dwerror=true -Dtests=enabled -Db_sanitize=address,undefined -Db_lundef=false \
  -Dwireshark_plugin=disabled
meson compile -C build-asan
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
meson test -C build-asan --print-errorlogs --num-processes 2 --no-suite dissector --no-suite oracle --no-suite mutation

# nothing timing-sensitive runs from here on: the matrix builds and tests beside the fuzz smoke run
if [ -n "$matrix_pid" ]; then
  step "Wireshark version matrix: builds and tests (beside the fuzz smoke run)"
  touch build-matrix/go
fi

# The fuzz smoke run lasts a fixed time whatever CPU it gets: it runs at the matrix's
# priority, sharing the CPU with it evenly.
fuzz_rc=0
if [ -x ci/fuzz-smoke.sh ]; then
  step "fuzz smoke (libFuzzer)"
  setsid -w bash -c 'echo 19 >/proc/self/autogroup 2>/dev/null; exec nice -n 19 ci/fuzz-smoke.sh' || fuzz_rc=$?
fi

matrix_rc=0
if [ -n "$matrix_pid" ]; then
  step "Wireshark version matrix (waiting for it)"
  wait "$matrix_pid" || matrix_rc=$?
  matrix_pid=""
  cat build-matrix/run.log
fi
if [ "$fuzz_rc" != 0 ] || [ "$matrix_rc" != 0 ]; then
  step "FAILED: fuzz smoke exit $fuzz_rc, Wireshark version matrix exit $matrix_rc"
  exit 1
fi
step "all green"
