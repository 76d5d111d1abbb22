#!/usr/bin/env bash
# enroll-check end to end (TAP): a generated network (tools/tests/netgen.c) with seeded
# faults in some 6LRs is judged; every fault is found in the node that has it and
# nowhere else, every report is written and well formed, two halves of the capture
# merged by time judge alike, a capture cut mid-record still reports what came before
# the cut, a run where nothing applies is not green, and a live radio's frames carry
# wall-clock times.
# usage: enroll_check_test.sh ENROLL_CHECK NETGEN VECTORS_PCAP_DIR [ENROLL_REFDUT]
set -uo pipefail
EC=$1 GEN=$2 VEC=$3 REFDUT=${4:-}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d" "command: $*"; fi; }
node() { printf '02:00:5e:ef:00:00:00:%02x' "$1"; }
# rules failed by a node, from findings.jsonl, sorted and comma separated
fails() { jq -r --arg n "$(node "$2")" 'select(.type=="finding" and .severity=="FAIL" and .node==$n) | .rule' "$1" | sort -u | paste -sd, -; }

echo "TAP version 13"

# usage and help
"$EC" --help | grep -q 'Usage: enroll-check' && ok "--help" || not_ok "--help"
"$EC" >/dev/null 2>&1; check "no input: exit 2" test $? = 2
"$EC" --node bad "$VEC/eb-ji-p0-n0.pcap" >/dev/null 2>"$W/err"; rc=$?
check "--node bad: exit 2 naming the option" bash -c "test $rc = 2 && grep -q -- '--node' '$W/err'"
"$EC" "$W/missing.pcap" >/dev/null 2>"$W/err"; rc=$?
check "missing file: exit 2 naming it" bash -c "test $rc = 2 && grep -q missing.pcap '$W/err'"

# a mixed network: 1 ok, 2 ignore, 3 ok, 4 proxy-low, 5 jp-on, 6 metric, 7 netid
"$GEN" "$W/net.pcap" "$W/a.pcap" "$W/b.pcap" ok ignore ok proxy-low jp-on metric netid || not_ok "netgen"
# --closed-world: the capture holds every node of this network (as a plugfest hub's does)
"$EC" --closed-world --eb-period-ms 100 --slack-ms 20 --adopt-ms 500 --node root=$(node 10),root --node lr1=$(node 1) \
  --out "$W/out" "$W/net.pcap" >"$W/stdout" 2>"$W/stderr"
rc=$?
check "a failing network exits 1" test "$rc" = 1
J="$W/out/findings.jsonl"
check "root: no FAIL" test -z "$(fails "$J" 10)"
check "compliant 6LR 1: no FAIL" test -z "$(fails "$J" 1)"
check "compliant 6LR 3: no FAIL" test -z "$(fails "$J" 3)"
check "ignore-option -> min-below-parent only" test "$(fails "$J" 2)" = "min-below-parent"
# (while the minimum is 0x7f its proxy 0x7a also breaks the enrollment-off rule)
check "proxy below minimum -> proxy-below-min and jp-off" test "$(fails "$J" 4)" = "jp-off,proxy-below-min"
check "0x7f still a JP -> jp-off and proxy-below-min" test "$(fails "$J" 5)" = "jp-off,proxy-below-min"
check "join metric = DAGRank -> join-metric only" test "$(fails "$J" 6)" = "join-metric"
check "odd network ID -> network-id only" test "$(fails "$J" 7)" = "network-id"
check "node lines: every node judged" test "$(jq -r 'select(.type=="node") | .outcome' "$J" | grep -c 'not judged')" = 0
check "declared names in reports" grep -q '"name":"lr1"' "$J"
check "run line says FAIL" test "$(jq -r 'select(.type=="run") | .verdict' "$J")" = FAIL
check "parent inferred for 6LR 1" test "$(jq -r --arg n "$(node 1)" 'select(.type=="node" and .node==$n) | .parent' "$J")" = "$(node 10)"
check "interop: 6LR 1 adopted the root's minimum" test "$(jq -r --arg a "$(node 1)" --arg b "$(node 10)" \
  'select(.type=="pair" and .a==$a and .b==$b) | .relations | join(",")' "$J")" = "parent,adopted-min"
check "findings name frames" test "$(jq -r 'select(.type=="finding") | .frame' "$J" | grep -vc '^[0-9][0-9]*$')" = 0
check "summary on stdout and in summary.txt" bash -c "grep -q '^FAIL: 8 nodes' '$W/stdout' && cmp -s '$W/stdout' '$W/out/summary.txt'"
check "JUnit well formed" xmllint --noout "$W/out/report.xml"
check "JUnit: a test case per node x rule" \
  test "$(xmllint --xpath 'count(//testcase)' "$W/out/report.xml")" = "$((8 * $(jq -r 'select(.type=="node") | .rules | length' "$J" | head -1)))"
check "JUnit: failures = failed node x rule pairs" \
  test "$(xmllint --xpath 'count(//testcase/failure)' "$W/out/report.xml")" = "$(jq -r 'select(.type=="node") | .rules[] | select(.failed > 0) | .failed' "$J" | wc -l)"
check "HTML written" test -s "$W/out/report.html"
# every timeline lane has points (the checker keeps them only when report.html is asked for)
lanes() { for s in rank min proxy version; do grep -q "data-series=\"$s\" data-points=\"[1-9]" "$1" || return 1; done; }
check "HTML (--out): every timeline lane drawn" lanes "$W/out/report.html"
"$EC" -q --eb-period-ms 100 --slack-ms 20 --adopt-ms 500 --html "$W/only.html" "$W/net.pcap" >/dev/null 2>&1
check "HTML (--html alone): every timeline lane drawn" lanes "$W/only.html"
if command -v tshark >/dev/null; then
  tshark -r "$W/out/annotated.pcapng" -Y 'frame.comment contains "min-below-parent"' -T fields -e frame.number \
    >"$W/commented" 2>/dev/null
  first=$(jq -r --arg n "$(node 2)" 'select(.type=="finding" and .node==$n and .rule=="min-below-parent") | .frame' "$J" | head -1)
  check "annotated pcapng: the deciding frame carries the finding" grep -qx "$first" "$W/commented"
  check "annotated pcapng: every frame" test "$(tshark -r "$W/out/annotated.pcapng" 2>/dev/null | wc -l)" = "$(tshark -r "$W/net.pcap" 2>/dev/null | wc -l)"
fi

# declarations: what a node is configured to advertise, and a stimulus node (never judged)
"$EC" -q --closed-world --eb-period-ms 100 --slack-ms 20 --adopt-ms 500 --node root=$(node 10),root \
  --node lr1=$(node 1),network-id=6e:65:74,pan-priority=1 --node lr3=$(node 3),network-id=6e6575 \
  --node stim7=$(node 7),stimulus --jsonl "$W/decl.jsonl" "$W/net.pcap"
check "declared Join-Info as sent: ji-declared passes" test "$(jq -r --arg n "$(node 1)" \
  'select(.type=="node" and .node==$n) | .rules["ji-declared"].outcome' "$W/decl.jsonl")" = pass
check "declared network ID differs: ji-declared fails that node only" test "$(fails "$W/decl.jsonl" 3)" = "ji-declared"
check "stimulus node: never judged" test -z "$(jq -r --arg n "$(node 7)" 'select(.type=="finding" and .node==$n)' \
  "$W/decl.jsonl")"
"$EC" -q --node x=$(node 1),jp-iid=0102 "$W/net.pcap" 2>"$W/err"
rc=$?
check "--node jp-iid of 2 octets: exit 2" bash -c "test $rc = 2 && grep -q -- '--node' '$W/err'"

# the same frames in two files, merged by time: the same verdicts
"$EC" -q --closed-world --eb-period-ms 100 --slack-ms 20 --adopt-ms 500 --node root=$(node 10),root --node lr1=$(node 1) \
  --jsonl "$W/merged.jsonl" "$W/b.pcap" "$W/a.pcap"
check "two halves merged by time: same findings" \
  cmp -s <(jq -c 'del(.t)' "$J") <(jq -c 'del(.t)' "$W/merged.jsonl")
# a capture cut mid-record: exit 2 naming it, the frames before the cut still judged and reported
head -c "$(( $(stat -c %s "$W/net.pcap") / 2 + 7 ))" "$W/net.pcap" >"$W/cut.pcap"
"$EC" -q --jsonl "$W/cut.jsonl" "$W/cut.pcap" 2>"$W/err"
rc=$?
check "capture cut mid-record: exit 2 naming the file" bash -c "test $rc = 2 && grep -q cut.pcap '$W/err'"
# cut at half its size: about half its frames, judged, and the nodes reported
full=$(jq -r 'select(.type=="run") | .frames' "$J")
cut=$(jq -r 'select(.type=="run") | .frames' "$W/cut.jsonl")
check "capture cut mid-record: the frames before the cut judged ($cut of $full)" \
  test "$cut" -ge $((full * 45 / 100)) -a "$cut" -lt "$full"
check "capture cut mid-record: its nodes reported" \
  test "$(jq -r 'select(.type=="node" and .outcome != "not judged") | .node' "$W/cut.jsonl" | wc -l)" -ge 8

# a sniffer's capture (open world): a parent guessed from rank may not be the real one
# (out of range), so the ignored minimum is INFO there, not FAIL
"$EC" -q --eb-period-ms 100 --slack-ms 20 --adopt-ms 500 --jsonl "$W/open.jsonl" "$W/net.pcap"
check "open world: min-below-parent is INFO" test "$(jq -r --arg n "$(node 2)" \
  'select(.type=="finding" and .node==$n and .rule=="min-below-parent") | .severity' "$W/open.jsonl" | sort -u)" = INFO

# a compliant network passes
"$GEN" "$W/good.pcap" "$W/g1.pcap" "$W/g2.pcap" ok ok ok || not_ok "netgen good"
"$EC" -q --closed-world --eb-period-ms 100 --slack-ms 20 --adopt-ms 500 --jsonl "$W/good.jsonl" "$W/good.pcap"
rc=$?
check "compliant network: exit 0" test "$rc" = 0
check "compliant network: no FAIL finding" test "$(jq -r 'select(.type=="finding" and .severity=="FAIL")' "$W/good.jsonl" | wc -c)" = 0

# nothing applies: a lone DIS is not green
"$EC" -q --jsonl "$W/dis.jsonl" "$VEC/rpl-dis.pcap" 2>/dev/null
rc=$?
check "nothing judged: exit 3" test "$rc" = 3
check "nothing judged: run says so" test "$(jq -r 'select(.type=="run") | .verdict' "$W/dis.jsonl")" = "NOTHING JUDGED"

# live: a DODAG root's DIOs over ZEP, stamped with the wall-clock time they arrived, as a
# capture file's records are (not the monotonic clock's time since boot)
if [ -n "$REFDUT" ]; then
  listening=""
  for try in 1 2 3; do   # a port of its own: another one when the one drawn is taken
    port=$((20000 + RANDOM % 20000))
    "$EC" --radio "zep-listen://127.0.0.1:$port" --duration 4 --out "$W/live" >"$W/live.out" 2>"$W/live.err" &
    ec=$!
    for _ in $(seq 100); do   # up to 10 s on a busy machine
      grep -q 'listening on' "$W/live.err" 2>/dev/null && { listening=1; break; }
      kill -0 "$ec" 2>/dev/null || break
      sleep 0.1
    done
    [ -n "$listening" ] && break
    wait "$ec"
  done
  if [ -z "$listening" ]; then
    not_ok "live: enroll-check listens on a ZEP port" "$(cat "$W/live.err")"
  else
    t0=$(date +%s)
    "$REFDUT" --role root --radio "zep://127.0.0.1:$port?local=127.0.0.1:0" --quiet >/dev/null 2>&1 &
    root=$!
    wait "$ec"   # --duration: it stops and writes its reports
    kill "$root" 2>/dev/null; wait "$root" 2>/dev/null
    check "live: the root was judged" grep -q '"type":"node"' "$W/live/findings.jsonl"
    if command -v tshark >/dev/null; then   # the first DIO's time in the annotated pcapng
      first=$(tshark -r "$W/live/annotated.pcapng" -T fields -e frame.time_epoch -c 1 2>/dev/null | cut -d. -f1)
      check "live: the root's DIOs were captured" test -n "$first"
      check "live: frames carry wall-clock times (first $first, root started at $t0)" \
        test "${first:-0}" -ge $((t0 - 5)) -a "${first:-0}" -le $((t0 + 10))
    fi
  fi
fi

echo "1..$n"
exit $failed
