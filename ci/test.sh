#!/usr/bin/env bash
# The README's test command: install dependencies, build with -Werror, run every
# test (unit, vectors, tshark oracle, dissector, the ZEP mutation and variant suites),
# then the same suite under ASan/UBSan, a short fuzz smoke run and the plugin's tests on
# the Wireshark releases of Debian 13 and unstable (ci/matrix.sh).  Exit status is
# non-zero on any failure.
#
# What overlaps what: the ZEP suites mostly wait on DUT timers (about a quarter of one
# CPU), the version matrix mostly downloads and unpacks packages, and the fuzz smoke run
# lasts a fixed time whatever CPU it gets.  So after the build, the ASan build, the
# matrix and the fuzz build start in the background at low CPU and I/O priority (a test
# that waits on a timer still gets the CPU the moment it wakes) and use what the tests
# leave, above all while the ZEP suites run, which go first.  Background output is kept
# in build-logs/ and printed when the step is waited for.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/deps.sh

# each step says when it started (minutes:seconds since the start), so a slow CI run
# shows which step took the time
step() { printf '\n==== %s (at %d:%02d) ====\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)); }

# ---- background jobs: name -> pid; each in its own process group, stopped with
# everything it started if this script ends early
LOGS=build-logs
rm -rf "$LOGS"
mkdir -p "$LOGS"
declare -A BG=()
# bg NAME [--nice N] CMD...: starts CMD in the background, its output in build-logs/NAME.log.
# --nice N: CPU priority N (10: below the tests; 19: the lowest) and the lowest I/O
# priority.  A new session is a new scheduler autogroup where the kernel has them
# (sched_autogroup_enabled), and nice only ranks tasks inside one autogroup: so the
# group's own nice value is set too, else the job would get as much CPU as all the tests
# together.
bg() {
  local name=$1 prio=()
  shift
  if [ "$1" = --nice ]; then
    prio=(bash -c 'echo "$0" >/proc/self/autogroup 2>/dev/null; exec "$@"' "$2" nice -n "$2")
    shift 2
    command -v ionice >/dev/null && prio+=(ionice -c 3)
  fi
  setsid "${prio[@]}" "$@" >"$LOGS/$name.log" 2>&1 &
  BG[$name]=$!
}
# wait_bg NAME: waits for it, prints its output; returns its exit status
wait_bg() {
  local rc=0
  wait "${BG[$1]}" || rc=$?
  unset "BG[$1]"
  cat "$LOGS/$1.log"
  return "$rc"
}
stop_bg() {
  local pid
  for pid in "${BG[@]}"; do kill -TERM -- -"$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${BG[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap 'rc=$?; stop_bg; exit $rc' EXIT
trap 'exit 130' INT TERM

step "build (gcc, -Werror)"
rm -rf build-ci build-asan
meson setup build-ci -Dwerror=true -Dtests=enabled
meson compile -C build-ci

# The plugin on newer Wireshark releases: clean Debian 13 and unstable root file systems
# (docs/wireshark.md "Versions built and tested").  EK_SKIP_MATRIX=1 skips it (offline work).
if [ "${EK_SKIP_MATRIX:-0}" != 1 ]; then
  step "Wireshark version matrix started in the background (Debian 13, Debian unstable; host: build-ci)"
  mkdir -p build-matrix
  bg matrix --nice 19 ci/matrix.sh --out build-matrix --host-build build-ci trixie sid
fi
step "ASan/UBSan build and fuzz build started in the background"
# the ASan build is needed first: it goes before the matrix and the fuzz build
bg asan-build --nice 10 bash -c 'meson setup build-asan -Dwerror=true -Dtests=enabled \
  -Db_sanitize=address,undefined -Db_lundef=false -Dwireshark_plugin=disabled && meson compile -C build-asan'
if [ -x ci/fuzz-smoke.sh ]; then
  bg fuzz-build --nice 19 env FUZZ_BUILD_ONLY=1 ci/fuzz-smoke.sh
fi

# First, while the background builds take most of the CPU they leave: nothing else at
# normal priority beside them, as some of their windows are a Trickle interval of the
# DUT (a few hundred ms).
step "ZEP mutation and variant suites"
meson test -C build-ci --no-rebuild --print-errorlogs --num-processes 2 --suite mutation --logbase testlog-zep
step "tests"
meson test -C build-ci --no-rebuild --print-errorlogs --num-processes 2 --no-suite mutation

step "tests under ASan/UBSan (waiting for their build)"
wait_bg asan-build
(
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  meson test -C build-asan --print-errorlogs --num-processes 2 --no-suite dissector --no-suite oracle --no-suite mutation
)

# after the ASan tests, not beside them: two fuzzers take both CPUs, and a DUT under ASan
# starting beside them may miss its first window
fuzz_rc=0
if [ -n "${BG[fuzz-build]:-}" ]; then
  step "fuzz smoke (libFuzzer)"
  wait_bg fuzz-build || fuzz_rc=$?
  [ "$fuzz_rc" = 0 ] && { ci/fuzz-smoke.sh || fuzz_rc=$?; }
fi
matrix_rc=0
if [ -n "${BG[matrix]:-}" ]; then
  step "Wireshark version matrix (waiting for it)"
  wait_bg matrix || matrix_rc=$?
fi
if [ "$fuzz_rc" != 0 ] || [ "$matrix_rc" != 0 ]; then
  step "FAILED: fuzz smoke exit $fuzz_rc, Wireshark version matrix exit $matrix_rc"
  exit 1
fi
step "all green"
