#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# enroll-harness end to end (TAP): usage errors exit 64, --list, a virtual-time run against
# the in-process reference node (loop:refnode) with every report checked (xmllint, tshark
# when installed), a seeded fault caught (exit 1), offline re-evaluation of the run's own
# capture giving the same verdicts, TAP on stdout, and over ZEP on loopback with the
# enroll-refdut process: a DUT crashing mid-run and SIGINT still leave complete reports.
# Usage: enroll_harness_test.sh ENROLL-HARNESS EXAMPLES-DIR
set -u
H=$1
EX=$2
T=$(mktemp -d /tmp/ek-harness-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; [ $# -gt 1 ] && echo "# $2"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else nok "$what"; fi; }
expect_rc() { # WANT DESC CMD...
    local want=$1 what=$2; shift 2
    "$@" >"$T/out" 2>"$T/err"
    local rc=$?
    if [ "$rc" -eq "$want" ]; then ok "$what (exit $rc)"; else nok "$what" "exit $rc, wanted $want: $(head -c 300 "$T/err")"; fi
}
have() { command -v "$1" >/dev/null 2>&1; }
verdicts() { awk 'NR>1 && $1 ~ /^TP-/ {print $1, $2}' "$1"; }
reports_complete() { # DIR NTDS
    local d=$1 want=$2
    for f in report.xml report.tap run.pcapng summary.txt dut.ini; do [ -s "$d/$f" ] || { echo "# missing $d/$f"; return 1; }; done
    [ "$(grep -c -E '^(ok|not ok) ' "$d/report.tap")" -eq "$want" ] || { echo "# TAP points != $want"; return 1; }
    [ "$(grep -c '<testcase ' "$d/report.xml")" -eq "$want" ] || { echo "# testcases != $want"; return 1; }
    if have xmllint; then xmllint --noout "$d/report.xml" || return 1; fi
    [ ! -e "$d/report.xml.tmp" ]
}

echo "TAP version 13"

# ---- usage ----
expect_rc 0 "--help" "$H" --help
check "--help documents the exit status" grep -q "^Exit status:" "$T/out"
expect_rc 64 "no arguments is a usage error" "$H"
check "usage error says what is missing" grep -q -- "--dut PROFILE.ini|URI is required" "$T/err"
expect_rc 64 "unknown option" "$H" --dut loop: --bogus
expect_rc 64 "unknown suite" "$H" --dut loop: --suite nosuch
check "unknown suite lists the known ones" grep -q "known: default" "$T/err"
expect_rc 64 "unknown TD" "$H" --dut loop: --td TP-XX-99
expect_rc 64 "--suite and --td together" "$H" --dut loop: --suite ep --td TP-EP-06
expect_rc 64 "bad --runs" "$H" --dut loop: --runs 0
expect_rc 64 "missing profile file" "$H" --dut "$T/nosuch.ini"
expect_rc 64 "bad --set" "$H" --dut loop: --set nosuch.key=1
expect_rc 64 "unknown loop fault" "$H" --dut 'loop:refnode?fault=nosuch'
expect_rc 0 "--list" "$H" --list
check "--list shows TP-EP-06" grep -q "^TP-EP-06 " "$T/out"
expect_rc 0 "--list --format markdown" "$H" --list --format markdown
check "markdown has headings" grep -q "^#" "$T/out"

# ---- virtual time against the in-process reference node ----
ntds=$("$H" --list | grep -c '^TP-')
expect_rc 0 "loop:refnode passes the default suite" "$H" --dut loop:refnode --out "$T/pass"
check "--out holds complete reports" reports_complete "$T/pass" "$ntds"
check "summary table on stdout" grep -Eq "^$ntds TDs: [0-9]+ pass, 0 fail, 0 inconclusive, 0 error" "$T/out"
if have tshark; then
    tshark -r "$T/pass/run.pcapng" -T fields -e frame.number -e frame.packet_flags_direction -e frame.comment \
        >"$T/fields" 2>/dev/null
    check "tshark shows the deciding-frame comments" grep -q -E $'^[0-9]+\t0x00000001\tTP-EP-06 step [0-9]+: .*-> PASS$' "$T/fields"
    check "tshark shows outbound frames" grep -q -P '^\d+\t0x00000002\t' "$T/fields"
else
    ok "# SKIP tshark not installed"
    ok "# SKIP tshark not installed"
fi

expect_rc 1 "a seeded fault is caught (exit 1)" "$H" --dut 'loop:refnode?fault=lower-priority' --td TP-EP-06 --out "$T/fault"
check "JUnit has the failure" grep -q '<failure message="TP-EP-06 step' "$T/fault/report.xml"
check "TAP has not ok" grep -q '^not ok 1 - TP-EP-06 ' "$T/fault/report.tap"

# Offline: the capture ends with the last recorded frame, so a window still open then is
# inconclusive ("the capture ended before the window did"); a second TD after TP-EP-06
# keeps TP-EP-06's windows inside the capture.
expect_rc 1 "fault run for offline re-evaluation" "$H" --dut 'loop:refnode?fault=lower-priority' --td TP-EP-06,TP-EP-04 --out "$T/fault2"
expect_rc 1 "offline re-evaluation of the fault capture" "$H" --dut "file:$T/fault2/run.pcapng" --td TP-EP-06,TP-EP-04 --out "$T/fault-off"
check "offline verdict of TP-EP-06 equals the live one" diff <(verdicts "$T/fault2/summary.txt" | head -1) <(verdicts "$T/fault-off/summary.txt" | head -1)
expect_rc 64 "refuses to overwrite the capture it evaluates" "$H" --dut "file:$T/fault/run.pcapng" --pcap "$T/fault/run.pcapng"

sec=(--set security.enabled=true --set security.k1=4b312d6e6f742d64656661756c742121)
expect_rc 0 "loop:refnode, security on (frame-counter nonce): every TD incl. TP-SEC passes" \
  "$H" --dut loop:refnode "${sec[@]}"
check "security on: no TD is n/a under draft-16" grep -q "0 not applicable" "$T/out"
expect_rc 0 "loop:refnode, security on with the ASN nonce (EBs): every TD passes" \
  "$H" --dut loop:refnode "${sec[@]}" --set security.asn_nonce=true
# Key Identifier Mode 3 (IEEE 802.15.4-2015 §9.4.1.2): 8-octet key source + index on every
# secured frame both ways; overrides in either order, checked once all are in.
expect_rc 0 "loop:refnode, security on with key id mode 3 and a key source: every TD passes" \
  "$H" --dut loop:refnode "${sec[@]}" --set security.key_id_mode=3 --set security.key_source=0011223344556677
check "key id mode 3: no TD is n/a under draft-16" grep -q "0 not applicable" "$T/out"
expect_rc 64 "key id mode 3 without a key source is a usage error" \
  "$H" --dut loop:refnode "${sec[@]}" --set security.key_id_mode=3
check "the error names the key" grep -q "security.key_id_mode: 3 needs key_source" "$T/err"
expect_rc 0 "--tap to stdout" "$H" --dut loop:refnode --suite eb --tap
check "stdout is pure TAP" bash -c "head -1 '$T/out' | grep -qx 'TAP version 13' && ! grep -q '^TD ' '$T/out'"
check "summary went to stderr" grep -q "^TD " "$T/err"

# ---- ZEP on loopback with the enroll-refdut process ----
p1=$((20000 + $$ % 20000))
p2=$((p1 + 1))
zep=(--set "radio.uri=zep://127.0.0.1:$p2?local=127.0.0.1:$p1")
crash=(--set 'dut.spawn=exec "${EK_BUILD_DIR:+$EK_BUILD_DIR/tools/refdut/}enroll-refdut" --from-env --quiet --fault crash-on-malformed-length')
expect_rc 1 "DUT crashing mid-run: fail, then error" "$H" --dut "$EX/dut/refdut-zep.ini" "${zep[@]}" "${crash[@]}" --out "$T/crash"
check "reports complete after the crash" reports_complete "$T/crash" "$ntds"
check "later TDs are error naming the death" grep -q "ERROR .*DUT died during" "$T/crash/summary.txt"

"$H" --dut "$EX/dut/refdut-zep.ini" "${zep[@]}" --out "$T/int" >"$T/out" 2>"$T/err" &
hp=$!
sleep 2.5
kill -INT "$hp"
wait "$hp"
rc=$?
if [ "$rc" -eq 2 ]; then ok "SIGINT: exit 2"; else nok "SIGINT: exit 2" "exit $rc: $(tail -c 300 "$T/err")"; fi
check "reports complete after SIGINT" reports_complete "$T/int" "$ntds"
check "remaining TDs say interrupted" grep -q "ERROR .*interrupted" "$T/int/summary.txt"

echo "1..$n"
[ "$fails" -eq 0 ]
