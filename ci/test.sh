#!/usr/bin/env bash
# The README's test command: install dependencies, build with -Werror, run every
# test (unit, vectors, tshark oracle, dissector) once, under ASan/UBSan unless it needs
# the Wireshark plugin or real-time ZEP, then a short fuzz smoke run.  Beside all of it, at the lowest CPU priority,
# the plugin's tests on the Wireshark releases of Debian 13 and unstable (ci/matrix.sh).
# Exit status is non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/deps.sh

# each step says when it started (minutes:seconds since the start), so a slow CI run
# shows which step took the time
step() { printf '\n==== %s (at %d:%02d) ====\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)); }

# The plugin on newer Wireshark releases: clean Debian 13 and unstable root file systems
# (docs/wireshark.md "Versions built and tested"); EK_SKIP_MATRIX=1 skips it (offline
# work).  It runs beside everything below, at the lowest CPU priority (a new session is a
# new scheduler autogroup where the kernel has them, and nice only ranks tasks inside
# one, so the group's nice value is set too): most of its time is
# downloading and unpacking packages, and its root file systems live in memory
# (ci/matrix.sh), so it neither takes the CPU from the tests nor stalls their writes.  The
# tests with timing windows (the ZEP suites, the DUTs under ASan) missed windows of a few
# hundred ms when it ran at normal priority with its root file systems on disk.
matrix_pid=""
if [ "${EK_SKIP_MATRIX:-0}" != 1 ]; then
  step "Wireshark version matrix started (Debian 13, Debian unstable; host: build-ci; output below when done)"
  mkdir -p build-matrix
  # its own process group (a background job of a script ignores SIGINT), stopped with
  # everything it started if this script ends early; it reads build-ci only at its end
  setsid bash -c 'echo 19 >/proc/self/autogroup 2>/dev/null; exec nice -n 19 ci/matrix.sh --out build-matrix --host-build build-ci trixie sid' \
    >build-matrix/run.log 2>&1 &
  matrix_pid=$!
  trap 'rc=$?; if [ -n "$matrix_pid" ]; then kill -TERM -- -"$matrix_pid" 2>/dev/null || kill -TERM "$matrix_pid" 2>/dev/null; wait "$matrix_pid" 2>/dev/null || true; fi; exit $rc' EXIT
  trap 'exit 130' INT TERM
fi

step "build (gcc, -Werror)"
rm -rf build-ci build-asan
meson setup build-ci -Dwerror=true -Dtests=enabled
meson compile -C build-ci
# configured now, compiled after the first tests: they run on build-ci only what this
# one cannot
meson setup build-asan -Dwerror=true -Dtests=enabled -Db_sanitize=address,undefined -Db_lundef=false \
  -Dwireshark_plugin=disabled >/dev/null
ASAN_SKIP=(--no-suite dissector --no-suite oracle --no-suite mutation)

# Every test runs once: under ASan/UBSan (the same -O0 code, and memory errors and
# undefined behaviour caught) unless it needs what that build has not.  The Wireshark plugin
# (dissector, oracle, agreement) is not built there, and the ZEP suites need the DUT's
# real-time margins, which the slower code under ASan does not keep: those run on build-ci.
list_tests() { meson test -C "$1" --list "${@:2}" 2>/dev/null | sed -n 's|^[^ ]* / ||p' | sort; }
mapfile -t host_only < <(comm -23 <(list_tests build-ci) <(list_tests build-asan "${ASAN_SKIP[@]}"))
step "tests that need the plugin or real time: ${host_only[*]}"
[ "${#host_only[@]}" -gt 0 ] || { echo "ci/test.sh: no test list from meson" >&2; exit 1; }
# the ZEP suites run 8 DUTs at a time: each mostly waits on its timers
EK_ZEP_JOBS=8 meson test -C build-ci --print-errorlogs --num-processes 2 "${host_only[@]}"

step "build + every other test under ASan/UBSan"
meson compile -C build-asan
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
meson test -C build-asan --print-errorlogs --num-processes 2 "${ASAN_SKIP[@]}"

fuzz_rc=0
if [ -x ci/fuzz-smoke.sh ]; then
  step "fuzz smoke (libFuzzer)"
  ci/fuzz-smoke.sh || fuzz_rc=$?
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
