#!/usr/bin/env bash
# enroll-harness --plugfest end to end (TAP): every network of examples/plugfest/*.ini
# runs twice with different seeds (the nodes are enroll-refdut processes on the
# harness's in-process ZEP hub).  For each run: (a) every seeded fault (the node's
# "expect = fail:RULE[,RULE]") is found by the live network checker in that node,
# (b) no compliant or legacy node (no expect) has any FAIL finding, (c) enroll-check
# judging DIR/capture.pcapng offline gives every declared node the same outcome,
# (d) report.xml and report.html are well formed.  Also: set-up file errors name the
# file, line and key; --help; a node that dies is reported; SIGINT stops the run with
# complete reports and no node left running.
# usage: plugfest_test.sh ENROLL_HARNESS ENROLL_CHECK EXAMPLES_PLUGFEST_DIR
# EK_PLUGFEST_JOBS (default 4) runs that many networks at once; EK_PLUGFEST_SCALE
# (default 0.6) is the --duration-scale of each run.
set -uo pipefail
H=$1 EC=$2 EX=$3
JOBS=${EK_PLUGFEST_JOBS:-4}
SCALE=${EK_PLUGFEST_SCALE:-0.6}
SEEDS="1 2"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d" "command: $*"; fi; }

# "NAME RULES" per node with an expect line, "NAME -" for the others (from the .ini).
expectations() {
  awk '
    /^[ \t]*\[node[ \t]/ { if (name != "") print name, (ex == "" ? "-" : ex);
                           name = $0; sub(/^[ \t]*\[node[ \t]+/, "", name); sub(/[ \t]*\].*$/, "", name); ex = ""; next }
    /^[ \t]*\[/          { if (name != "") print name, (ex == "" ? "-" : ex); name = ""; next }
    name != "" && /^[ \t]*expect[ \t]*=/ { v = $0; sub(/^[^=]*=[ \t]*/, "", v); sub(/[ \t;].*$/, "", v); ex = v }
    END { if (name != "") print name, (ex == "" ? "-" : ex) }' "$1"
}
# rules a node failed (live or offline findings), sorted, comma separated
fails() { jq -r --arg n "$2" 'select(.type=="finding" and .severity=="FAIL" and .name==$n) | .rule' "$1" | sort -u | paste -sd, -; }
outcomes() { jq -r 'select(.type=="node" and .name!="root" and .name!="rogue") | "\(.name)=\(.outcome)"' "$1" | sort; }
# the first finding of a node and rule, for diagnostics
first() { jq -r --arg n "$2" --arg r "$3" 'select(.type=="finding" and .name==$n and .rule==$r) | "frame \(.frame) (other \(.other_frame)), t \(.t): \(.msg)"' "$1" | head -n "${4:-1}"; }
SAN='ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:'
# HTML: libxml2's HTML parser knows HTML 4 only; every error but an unknown HTML5 / SVG
# tag name (header, main, section, svg, path, ...) is a real one
html_ok() { xmllint --html --noout "$1" 2>&1 | grep 'parser error' | grep -v 'Tag [a-zA-Z]* invalid' | head -n 3 >"$W/html.err"; test ! -s "$W/html.err"; }

echo "TAP version 13"
t_start=$(date +%s.%N)

# ---- usage and set-up file errors -----------------------------------------------------------
"$H" --plugfest --help | grep -q 'Usage: enroll-harness --plugfest SETUP.ini' && ok "--plugfest --help" || not_ok "--plugfest --help"
"$H" --help | grep -q -- '--plugfest SETUP.ini' && ok "--help mentions --plugfest" || not_ok "--help mentions --plugfest"
bad() { # NAME EXPECTED-MESSAGE-REGEX, the set-up file on stdin (not from a pipe: ok/not_ok count in this shell)
  local f="$W/$1.ini"; cat >"$f"
  "$H" --plugfest "$f" --out "$W/bad-out" >/dev/null 2>"$W/bad.err"; local rc=$?
  if [ "$rc" = 64 ] && grep -Eq "$2" "$W/bad.err"; then ok "bad set-up $1: exit 64, $(head -c 150 "$W/bad.err")"
  else not_ok "bad set-up $1: exit 64 and /$2/" "rc $rc: $(cat "$W/bad.err")"; fi
}
bad unknown-key "unknown-key.ini:5: \[node a\] adress: unknown key" < <(printf '[network]\nep_profile = draft-16\n[node a]\naddress = 02:00:5e:ef:00:00:09:01\nadress = x\n')
bad no-address "no-address.ini:2: \[node a\]: address = EUI-64 is required" < <(printf '[network]\n[node a]\nrefdut = --variant step-9\n')
bad bad-profile "bad-profile.ini:2: network.ep_profile: 'draft-17'" < <(printf '[network]\nep_profile = draft-17\n')
bad bad-link "bad-link.ini:5: links.a: 'b' is no \[node NAME\]" < <(printf '[node a]\naddress = 02:00:5e:ef:00:00:09:01\nrefdut =\n[links]\na = b\n')
bad bad-min "bad-min.ini:5: scenario.0: min=0x80: expected 0..0x7f" < <(printf '[node a]\naddress = 02:00:5e:ef:00:00:09:01\nrefdut =\n[scenario]\n0 = root min=0x80\n')
bad after-end "after-end.ini:6: scenario.2: a step after 'end' \\(line 5\\)" < <(printf '[node a]\naddress = 02:00:5e:ef:00:00:09:01\nrefdut =\n[scenario]\n1 = end\n2 = root min=1\n')
bad same-address "same-address.ini:5: \[node b\]: address already used by \[node a\]" < <(printf '[node a]\naddress = 02:00:5e:ef:00:00:09:01\nrefdut =\n[node b]\naddress = 02:00:5e:ef:00:00:09:01\nrefdut =\n')
bad long-line "long-line.ini:3: line: longer than" < <({ printf '[node a]\naddress = 02:00:5e:ef:00:00:09:01\nrefdut = '; printf 'x%.0s' $(seq 1 220); printf '\n'; })
bad bad-section "bad-section.ini:1: section: \[nodes a\]: unknown section" < <(printf '[nodes a]\n')
bad long-section "long-section.ini:1: section: a section name of more than 79 characters" < <({ printf '[node '; printf 'y%.0s' $(seq 1 100); printf ']\naddress = 02:00:5e:ef:00:00:09:01\n'; })
bad bad-root "bad-root.ini:2: network.root: 'b' is no \[node NAME\]" < <(printf '[network]\nroot = b\n[node a]\naddress = 02:00:5e:ef:00:00:09:01\nrefdut =\n')
"$H" --plugfest "$W/missing.ini" >/dev/null 2>"$W/err"; rc=$?
check "missing set-up file: exit 64 naming it" bash -c "test $rc = 64 && grep -q 'missing.ini' '$W/err'"
"$H" --plugfest "$EX/net1.ini" --suite ep >/dev/null 2>"$W/err"; rc=$?
check "a TD option with --plugfest: exit 64" bash -c "test $rc = 64 && grep -q -- '--suite' '$W/err'"

# ---- a node that dies, SIGINT --------------------------------------------------------------
cat >"$W/dies.ini" <<EOF
[node ok]
address = 02:00:5e:ef:00:00:09:01
refdut =
[node crasher]
address = 02:00:5e:ef:00:00:09:02
command = echo crasher booting; sleep 0.3; kill -ABRT \$\$
[scenario]
0 = root min=0x20
1.5 = end
EOF
"$H" --plugfest "$W/dies.ini" --out "$W/dies" --quiet >"$W/dies.out" 2>"$W/dies.err"; rc=$?
check "a node that dies: exit 1" test "$rc" = 1
check "a node that dies: summary says how" grep -q 'crasher .*DIED at .*SIGABRT' "$W/dies/summary.txt"
check "a node that dies: its output kept in crasher.log" grep -q 'crasher booting' "$W/dies/crasher.log"

"$H" --plugfest "$EX/net1.ini" --out "$W/int" --duration-scale 1 >"$W/int.out" 2>"$W/int.err" &
hp=$!
sleep 2.5
kill -INT "$hp"
wait "$hp"; rc=$?
port=$(sed -n 's/^hub zep-dispatch:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$W/int/summary.txt" 2>/dev/null)
check "SIGINT: exit 1 or 2" bash -c "test $rc = 1 -o $rc = 2"
check "SIGINT: summary says INTERRUPTED" grep -q INTERRUPTED "$W/int/summary.txt"
check "SIGINT: findings.jsonl complete (run line)" bash -c "jq -e 'select(.type==\"run\")' '$W/int/findings.jsonl' >/dev/null"
check "SIGINT: report.xml well formed" xmllint --noout "$W/int/report.xml"
# (the bracket keeps pgrep from matching the shell that runs it)
check "SIGINT: no node left running" bash -c "test -n '$port' && ! pgrep -f 'zep-dispatc[h]://127.0.0.1:$port' >/dev/null"

# ---- the networks, each twice ------------------------------------------------------------
runs=()
for ini in "$EX"/*.ini; do
  for s in $SEEDS; do runs+=("$(basename "$ini" .ini):$s"); done
done
t_nets=$(date +%s.%N)
active=0
for r in "${runs[@]}"; do
  net=${r%%:*} seed=${r##*:}
  (
    d="$W/$net-s$seed"
    "$H" --plugfest "$EX/$net.ini" --out "$d" --duration-scale "$SCALE" --seed "$seed" --quiet \
      >"$d.stdout" 2>"$d.stderr"
    echo $? >"$d.rc"
  ) &
  active=$((active + 1))
  if [ "$active" -ge "$JOBS" ]; then wait -n; active=$((active - 1)); fi
done
wait
t_nets_end=$(date +%s.%N)

found=0 expected=0 false_fails=0 compliant=0
for r in "${runs[@]}"; do
  net=${r%%:*} seed=${r##*:}
  d="$W/$net-s$seed" J="$W/$net-s$seed/findings.jsonl" tag="$net seed $seed"
  rc=$(cat "$d.rc" 2>/dev/null || echo none)
  # exit 1 exactly when a FAIL was found, 0 when none (3 = nothing judged, 2 = broken)
  nfail=$(jq -r 'select(.type=="finding" and .severity=="FAIL") | .rule' "$J" 2>/dev/null | wc -l)
  want_rc=$([ "$nfail" -gt 0 ] && echo 1 || echo 0)
  if [ "$rc" = "$want_rc" ] && [ -s "$J" ] && [ -s "$d/capture.pcapng" ] && [ -s "$d/summary.txt" ] &&
     [ -s "$d/setup.ini" ] && [ -s "$d/enroll-check.args" ]; then
    ok "$tag: run finished (exit $rc, $nfail FAIL findings), reports written"
  else
    not_ok "$tag: run finished (exit 0 or 1 as the findings say), reports written" "exit $rc, $nfail FAIL findings" \
      "$(tail -n 5 "$d.stderr" 2>/dev/null)"
  fi
  # under ASan/UBSan: nothing from the sanitizers in the harness or in any node
  if grep -l -E "$SAN" "$d.stderr" "$d"/*.log >"$W/san" 2>/dev/null; then
    not_ok "$tag: no sanitizer report" "$(cat "$W/san")" "$(grep -h -m 3 -E "$SAN" $(cat "$W/san"))"
  else
    ok "$tag: no sanitizer report (harness, nodes)"
  fi
  while read -r node exp; do
    got=$(fails "$J" "$node")
    if [ "$exp" = "-" ]; then
      compliant=$((compliant + 1))
      if [ -z "$got" ]; then ok "$tag: $node (compliant): no FAIL"
      else
        false_fails=$((false_fails + 1))
        diag=()
        for rule in ${got//,/ }; do diag+=("$rule: $(first "$J" "$node" "$rule")"); done
        not_ok "$tag: $node (compliant): no FAIL" "FAIL $got" "${diag[@]}"
      fi
    else
      want=${exp#fail:}
      for rule in ${want//,/ }; do
        expected=$((expected + 1))
        if [[ ",$got," == *",$rule,"* ]]; then
          found=$((found + 1))
          ok "$tag: $node: seeded fault found by $rule ($(first "$J" "$node" "$rule" | cut -c1-90))"
        else
          not_ok "$tag: $node: seeded fault found by $rule" "rules failed: ${got:-none}" \
            "$(jq -r --arg n "$node" 'select(.type=="node" and .name==$n) | "outcome \(.outcome); rules judged: \([.rules | to_entries[] | select(.value.judged > 0) | .key] | join(" "))"' "$J")"
        fi
      done
    fi
  done < <(expectations "$EX/$net.ini")
  # (c) offline: the same judgement of the same frames
  mapfile -t args <"$d/enroll-check.args"
  "$EC" -q "${args[@]}" --jsonl "$d/offline.jsonl" "$d/capture.pcapng" >/dev/null 2>"$d/offline.err"
  if [ -n "$(outcomes "$J")" ] && cmp -s <(outcomes "$J") <(outcomes "$d/offline.jsonl" 2>/dev/null) &&
     ! grep -q -E "$SAN" "$d/offline.err"; then
    ok "$tag: enroll-check offline: same outcome for every node ($(outcomes "$J" | paste -sd' '))"
  else
    not_ok "$tag: enroll-check offline: same outcome for every node" \
      "live:    $(outcomes "$J" | paste -sd' ')" "offline: $(outcomes "$d/offline.jsonl" 2>/dev/null | paste -sd' ')" \
      "$(head -n 3 "$d/offline.err")"
  fi
  # (d)
  if xmllint --noout "$d/report.xml" 2>"$W/xml.err" && html_ok "$d/report.html"; then
    ok "$tag: report.xml and report.html well formed"
  else
    not_ok "$tag: report.xml and report.html well formed" "$(head -n 3 "$W/xml.err")" "$(cat "$W/html.err")"
  fi
done

t_end=$(date +%s.%N)
echo "# seeded faults found: $found of $expected; compliant or legacy node runs with a FAIL: $false_fails of $compliant"
echo "# networks: ${#runs[@]} runs, $(awk "BEGIN { printf \"%.1f\", $t_nets_end - $t_nets }") s with $JOBS at once; whole test $(awk "BEGIN { printf \"%.1f\", $t_end - $t_start }") s"
echo "1..$n"
