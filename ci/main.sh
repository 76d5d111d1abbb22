#!/usr/bin/env bash
# The README's main-job command: install dependencies, build, then run the default
# conformance suite against the reference DUT (enroll-refdut, spawned by the harness)
# over ZEP on UDP loopback.  Everything the run produces lands in one folder:
#   results/report.xml   JUnit XML        results/report.tap   TAP 13
#   results/run.pcapng   every injected and observed frame, deciding frames commented
#   results/summary.txt  the verdict table     results/dut.ini  the effective DUT profile
# Usage: ci/main.sh [OUTDIR] [extra enroll-harness options, e.g. --set wire.ep_profile=draft-09]
# Exit status: enroll-harness's (0 all pass, 1 a fail, 2 error/inconclusive).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-results}
shift || true
ci/deps.sh
[ -d build ] || meson setup build
meson compile -C build
rm -rf "$out"
status=0
build/tools/enroll-harness/enroll-harness --dut examples/dut/refdut-zep.ini --out "$out" "$@" || status=$?
echo
echo "reports in $out/: $(cd "$out" && ls | tr '\n' ' ')"
echo "deciding-frame comments: tshark -r $out/run.pcapng -Y frame.comment -T fields -e frame.number -e frame.comment"
exit "$status"
