#!/usr/bin/env bash
# Mutation score over real ZEP: the compliant enroll-refdut must pass the
# default suite in every wire profile, and for every seeded --fault the TD named in the
# fault catalogue (enroll-refdut --list-faults, column CAUGHT BY) must FAIL, under the
# first profile the catalogue lists for it; a catalogue entry ending in "+secured" runs
# with the secured DUT profile (link-layer security on), and so does one more
# compliant baseline.  A fault with a LEGACY-CAUGHT-BY TD also runs against the legacy
# DUT profile (capabilities dio: enroll-refdut --from-env turns itself into a 6LR without
# the option), after a compliant legacy baseline.  A catalogue entry ending in "+root" is a
# fault of the DODAG root: it runs the root suite against refdut-zep-root.ini (next to
# PROFILE.ini), after compliant root baselines.  One ending in "+jp" is a Join Proxy fault:
# the cojp suite against refdut-zep-jp.ini; one ending in "+jrc" a JRC fault: the jrc suite
# against refdut-zep-jrc.ini (its state file per run); each after its compliant baseline.  Each run is a separate enroll-refdut
# process on 127.0.0.1 spawned by enroll-harness.  EK_ZEP_JOBS runs at a time (default 4:
# a run mostly waits on the DUT's timers, not the CPU).  Prints TAP and the score.
# Usage: mutation_zep.sh ENROLL_HARNESS ENROLL_REFDUT PROFILE.ini SECURED_PROFILE.ini OUTDIR [LEGACY_PROFILE.ini]
set -u
harness=$1
refdut=$2
ini=$3
sini=$4
out=$5
lini=${6:-}
rini=$(dirname "$ini")/refdut-zep-root.ini
jini=$(dirname "$ini")/refdut-zep-jp.ini
cini=$(dirname "$ini")/refdut-zep-jrc.ini
# "+pledge": a fault of the reference pledge, the pledge suite against refdut-zep-pledge.ini
# (its state file per run); "+pledge+provisioned" with the harness network's ID provisioned
pini=$(dirname "$ini")/refdut-zep-pledge.ini
PLEDGE_NET_ID=fd00656b000000000000000000000001
rm -rf "$out"
mkdir -p "$out"
ulimit -c 0 # the crash fault aborts on purpose: no core files
export EK_BUILD_DIR=${EK_BUILD_DIR:-$(cd "$(dirname "$refdut")/../.." && pwd)}

# Distinct port pair per job: base from the PID so parallel CI jobs rarely meet.
base=$((21000 + ($$ % 400) * 50))
job=0
slots=${EK_ZEP_JOBS:-4}
# a free slot: each run is a background job; start the next when one ends
slot() { while [ "$(jobs -rp | wc -l)" -ge "$slots" ]; do wait -n; done; }
run() { # run NAME PROFILE[+secured|+legacy|+root|+jp|+jrc] [FAULT]
  local name=$1 prof=${2%+secured} fault=${3:-} p1 p2 spawn dut=$ini suite=default
  [ "$prof" != "$2" ] && dut=$sini
  case $2 in *+legacy) prof=${2%+legacy}; dut=$lini ;; esac
  case $2 in *+root) prof=${2%+root}; dut=$rini; suite=root ;; esac
  case $2 in *+jp) prof=${2%+jp}; dut=$jini; suite=cojp ;; esac
  case $2 in *+jrc) prof=${2%+jrc}; dut=$cini; suite=jrc ;; esac
  local netid=""
  case $2 in *+pledge+provisioned) prof=${2%+pledge+provisioned}; dut=$pini; suite=pledge; netid=$PLEDGE_NET_ID ;;
             *+pledge) prof=${2%+pledge}; dut=$pini; suite=pledge ;; esac
  p1=$((base + 2 * job)); p2=$((p1 + 1)); job=$((job + 1))
  spawn='exec "$EK_BUILD_DIR/tools/refdut/enroll-refdut" --from-env --quiet'
  [ "$suite" = jrc ] && spawn="$spawn --jrc-state \"$out/$name.jrc-state\""
  [ "$suite" = pledge ] && spawn="$spawn --state-file \"$out/$name.nv\""
  [ -n "$fault" ] && spawn="$spawn --fault $fault"
  ( attempt() { "$harness" --dut "$dut" --set "radio.uri=zep://127.0.0.1:$2?local=127.0.0.1:$1" \
      --set "wire.ep_profile=$prof" --set "dut.spawn=$spawn" --set "cojp.network_id=$netid" --suite "$suite" --out "$out/$name" --quiet \
      >"$out/$name.log" 2>&1; }
    attempt "$p1" "$p2"; rc=$?
    # exit 2 = the test bed broke (e.g. a port another job holds): once more, other ports
    if [ "$rc" = 2 ]; then mv "$out/$name.log" "$out/$name.first.log"; attempt $((p1 + 10000)) $((p2 + 10000)); rc=$?; fi
    echo "$rc" >"$out/$name.rc" ) &
}

# Compliant baseline, every profile.
BASELINES="draft-03 draft-04 draft-09 draft-16"
[ -f "$sini" ] && BASELINES="$BASELINES draft-16+secured"
[ -n "$lini" ] && [ -f "$lini" ] && BASELINES="$BASELINES draft-16+legacy"
[ -f "$rini" ] && BASELINES="$BASELINES draft-03+root draft-16+root"
[ -f "$jini" ] && BASELINES="$BASELINES draft-09+jp"
[ -f "$cini" ] && BASELINES="$BASELINES draft-16+jrc"
[ -f "$pini" ] && BASELINES="$BASELINES draft-16+pledge draft-16+pledge+provisioned"
for p in $BASELINES; do slot; run "compliant-$p" "$p"; done
# The catalogue: NAME BREAKS CAUGHT-BY PROFILES LEGACY-CAUGHT-BY SUMMARY...
"$refdut" --list-faults | tail -n +2 >"$out/faults.txt"
while read -r name breaks td profiles ltd _; do
  first=${profiles%%,*}
  case $profiles in *+secured) first=${first%+secured}+secured ;; esac
  case $profiles in *+root) first=${first%+root}+root ;; esac
  case $profiles in *+jp) first=${first%+jp}+jp ;; esac
  case $profiles in *+jrc) first=${first%+jrc}+jrc ;; esac
  case $profiles in *+pledge*) first=draft-16${profiles#*draft-16} ;; esac
  slot; run "fault-$name" "$first" "$name"
  if [ -n "$lini" ] && [ "$ltd" != "-" ]; then
    slot; run "legacy-fault-$name" "${first%+secured}+legacy" "$name"
  fi
done <"$out/faults.txt"
wait

n=0 bad=0 caught=0 total=0 checker_seen=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
# the reasons of the TDs that did not pass (report.tap: "not ok" blocks only)
failing_reasons() { awk '/^not ok/ { bad = 1; print; next } /^ok/ { bad = 0 } bad && /^  reason: /' "$1" 2>/dev/null | head -n 20; }
# a failure's evidence on stdout (TAP comments) and on stderr, which CI logs show
not_ok() {
  n=$((n + 1)); bad=1; echo "not ok $n - $1"; sed 's/^/# /' "$2" 2>/dev/null | tail -n 25
  { echo "not ok $n - $1"; failing_reasons "$(dirname "$2")/report.tap"; } >&2
}
verdict_of() { awk -v td="$2" '$1 == td { print $2 }' "$out/$1/summary.txt" 2>/dev/null; }
echo "TAP version 13"
for p in $BASELINES; do
  rc=$(cat "$out/compliant-$p.rc")
  if [ "$rc" = 0 ]; then ok "compliant enroll-refdut, $p: every TD passes"
  else not_ok "compliant enroll-refdut, $p: exit $rc" "$out/compliant-$p/summary.txt"; fi
done
while read -r name breaks td profiles ltd _; do
  total=$((total + 1))
  prof=${profiles%%,*}
  case $profiles in *+secured) prof=${prof%+secured}+secured ;; esac
  case $profiles in *+root) prof=${prof%+root}+root ;; esac
  case $profiles in *+jp) prof=${prof%+jp}+jp ;; esac
  case $profiles in *+jrc) prof=${prof%+jrc}+jrc ;; esac
  case $profiles in *+pledge*) prof=draft-16${profiles#*draft-16} ;; esac
  v=$(verdict_of "fault-$name" "$td")
  failing=$(awk 'NR > 1 && $2 == "FAIL" { printf "%s ", $1 }' "$out/fault-$name/summary.txt" 2>/dev/null)
  # the network checker's view of the same run (report.html): which passive rules the
  # DUT broke; informative (some faults need a stimulus no passive rule can see)
  rules=$(grep -o '<tr class="finding[^>]*data-rule="[^"]*"' "$out/fault-$name/report.html" 2>/dev/null |
    sed 's/.*data-rule="//; s/"$//' | sort -u | tr '\n' ' ')
  [ -n "$rules" ] && checker_seen=$((checker_seen + 1))
  if [ "$v" = FAIL ]; then
    caught=$((caught + 1))
    ok "--fault $name ($breaks, $prof): $td fails [failing: ${failing% }] [checker: ${rules% }]"
  else
    not_ok "--fault $name ($breaks, $prof): $td is '${v:-missing}', expected FAIL [failing: ${failing% }]" \
      "$out/fault-$name/summary.txt"
  fi
  if [ -n "$lini" ] && [ "$ltd" != "-" ]; then
    total=$((total + 1))
    v=$(verdict_of "legacy-fault-$name" "$ltd")
    failing=$(awk 'NR > 1 && $2 == "FAIL" { printf "%s ", $1 }' "$out/legacy-fault-$name/summary.txt" 2>/dev/null)
    if [ "$v" = FAIL ]; then
      caught=$((caught + 1))
      ok "--fault $name in legacy mode ($breaks): $ltd fails [failing: ${failing% }]"
    else
      not_ok "--fault $name in legacy mode ($breaks): $ltd is '${v:-missing}', expected FAIL [failing: ${failing% }]" \
        "$out/legacy-fault-$name/summary.txt"
    fi
  fi
done <"$out/faults.txt"
echo "1..$n"
echo "# mutation score over ZEP: $caught/$total fault runs caught by their TD"
echo "# network checker (report.html): findings on the DUT in $checker_seen of $(wc -l <"$out/faults.txt") fault runs"
exit $bad
