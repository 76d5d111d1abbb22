#!/usr/bin/env bash
# enroll-refdut over ZEP on loopback: --help and --list-faults, usage errors, DIOs and
# EBs that decode after a parent DIO (option adopted, proxy = min + local cost), SIGHUP
# forgetting the parent, a malformed option survived by the compliant build and fatal
# (SIGABRT) with --fault crash-on-malformed-length, SIGTERM = exit 0; and secured:
# a --secured refdut answers a K2-secured parent DIO with K2 DIOs and K1 EBs that verify,
# ignores unsecured DIOs, drops replayed frame counters, and takes EK_SECURITY_* with --from-env;
# variants (--variant, --list-variants, EK_REFDUT_VARIANT), legacy mode (--legacy,
# EK_DUT_CAPABILITIES without mep), the LEGACY-CAUGHT-BY column, crash-on-empty-option; the
# pledge (--role pledge): its variants, usage errors, its persistent record, SIGHUP = reboot.
# Usage: refdut_test.sh ENROLL_REFDUT REFDUT_PEER   (prints TAP; 127.0.0.1 only)
set -u
refdut=$1
peer=$2
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
ulimit -c 0 # the crash fault aborts on purpose: no core files
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
  n=$((n + 1)); fail=1; echo "not ok $n - $1"
  for f in "$tmp"/*.log "$tmp"/*.out; do [ -f "$f" ] && sed "s|^|# $(basename "$f"): |" "$f" | tail -n 15; done
}
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

# ---- options ----
"$refdut" --help >"$tmp/help" 2>&1; rc=$?
check "--help exits 0 and documents every option and the signals" \
  '[ $rc -eq 0 ] && for o in --radio --channel --pan --address --ep-profile --ep-type --ie-profile --local-cost \
     --dio-imin-ms --dio-doublings --dio-redundancy --eb-period-ms --seed --fault --list-faults --quiet --verbose \
     --from-env --secured --k1 --k2 --eb-level --dio-level --asn-nonce --key-id-mode --k1-index --k2-index \
     --key-source --legacy --variant --list-variants SIGHUP SIGTERM; do
     grep -q -- "$o" "$tmp/help" || exit 1; done'

"$refdut" --list-faults >"$tmp/faults" 2>&1; rc=$?
nf=$(grep -c '^[a-z]' "$tmp/faults")
check "--list-faults prints at least 12 faults with requirement and catching TD" \
  '[ $rc -eq 0 ] && [ "$nf" -ge 12 ] && grep -q "^crash-on-malformed-length .*TP-" "$tmp/faults" \
   && grep -q "^ignore-option .*EP-" "$tmp/faults" \
   && grep -q "^accepts-replayed-counter  *S1  *TP-SEC-01  *draft-09,draft-16+secured " "$tmp/faults" \
   && grep -q "^counter-before-mic  *S5  *TP-SEC-04  *draft-09,draft-16+secured " "$tmp/faults" \
   && grep -q "^accepts-unsecured-dio  *S5  *TP-SEC-02  *draft-03,draft-04,draft-09,draft-16+secured " "$tmp/faults"'

# columns 1-5 of --list-faults have no spaces: name breaks td profiles legacy-td summary...
check "--list-faults: LEGACY-CAUGHT-BY is column 5 (- when none), the new faults listed" \
  'head -n 1 "$tmp/faults" | awk "{ exit !(\$5 == \"LEGACY-CAUGHT-BY\") }" \
   && grep -q "^ignore-option  *EP-13  *TP-EP-06  *draft-03,draft-04,draft-09,draft-16  *-  *never" "$tmp/faults" \
   && grep -q "^copy-unknown-options  *EP-21  *TP-LEG-02  *draft-03,draft-04,draft-09,draft-16  *TP-LEG-02 " "$tmp/faults" \
   && grep -q "^rank-before-validate  *S17  *TP-LEG-04  *[^ ]*  *TP-LEG-04 " "$tmp/faults" \
   && grep -q "^crash-on-empty-option  *S17  *TP-EP-14  *[^ ]*  *TP-LEG-03 " "$tmp/faults" \
   && grep -q "^ji-p-without-iid  *EB-2,EB-4  *TP-EB-01  *[^ ]*  *- " "$tmp/faults" \
   && grep -q "^trickle-too-slow  *T-1  *TP-LEG-05  *[^ ]*  *TP-LEG-05 " "$tmp/faults" \
   && grep -q "^join-metric-no-minus-one  *EB-13  *TP-EB-09  *[^ ]*  *- " "$tmp/faults" \
   && grep -q "^rank-below-min-increase  *R-1  *TP-LEG-01  *[^ ]*  *TP-LEG-01 " "$tmp/faults" \
   && tail -n +2 "$tmp/faults" | awk "NF < 6 { exit 1 }"'

"$refdut" --list-variants >"$tmp/variants" 2>&1; rc=$?
nv=$(tail -n +2 "$tmp/variants" | grep -c '^[a-z]')
check "--list-variants prints at least 22 variants: NAME NEEDS-OCP LOCAL-COST SUMMARY" \
  '[ $rc -eq 0 ] && [ "$nv" -ge 22 ] && head -n 1 "$tmp/variants" | grep -q "^NAME  *NEEDS-OCP  *LOCAL-COST  *SUMMARY" \
   && grep -q "^local-cost-0x1f  *0  *0x1f " "$tmp/variants" \
   && grep -q "^default  *0 " "$tmp/variants" && grep -q "^rf-4-step-9-stretch-5  *0 " "$tmp/variants" \
   && grep -q "^mrhof-etx-4  *1 " "$tmp/variants" && grep -q "^len4  *0 " "$tmp/variants" \
   && tail -n +2 "$tmp/variants" | awk "\$2 != 0 && \$2 != 1 { exit 1 }"'
"$refdut" --variant no-such-variant >/dev/null 2>"$tmp/err"; rc=$?
check "an unknown --variant is a usage error naming it" '[ $rc -eq 1 ] && grep -q "no-such-variant" "$tmp/err"'
EK_REFDUT_VARIANT=bogus "$refdut" --from-env >/dev/null 2>"$tmp/err"; rc=$?
check "--from-env names a bad EK_REFDUT_VARIANT" '[ $rc -eq 1 ] && grep -q "EK_REFDUT_VARIANT" "$tmp/err"'

"$refdut" --ep-type 0x04 >/dev/null 2>"$tmp/err"; rc=$?
check "--ep-type 0x04 (DODAG Configuration) is a usage error" '[ $rc -eq 1 ] && grep -q "RFC 6550" "$tmp/err"'
"$refdut" --fault no-such-fault >/dev/null 2>"$tmp/err"; rc=$?
check "an unknown fault is a usage error naming it" '[ $rc -eq 1 ] && grep -q "no-such-fault" "$tmp/err"'
"$refdut" --secured --dio-level 4 >/dev/null 2>"$tmp/err"; rc=$?
check "--dio-level 4 (ENC without MIC) is a usage error" '[ $rc -eq 1 ] && grep -q "dio-level" "$tmp/err"'
"$refdut" --k2 not-a-key >/dev/null 2>"$tmp/err"; rc=$?
check "an unknown --k2 is a usage error listing the key names" \
  '[ $rc -eq 1 ] && grep -q "not-a-key" "$tmp/err" && grep -q "K1-minimal15" "$tmp/err"'
"$refdut" --secured --key-id-mode 0 >/dev/null 2>"$tmp/err"; rc=$?
check "--key-id-mode 0 (implicit) is a usage error saying why" '[ $rc -eq 1 ] && grep -q "cannot tell K1 from K2" "$tmp/err"'
"$refdut" --secured --key-id-mode 3 --key-source 00112233 >/dev/null 2>"$tmp/err"; rc=$?
check "--key-id-mode 3 with a 4-octet --key-source is a usage error" '[ $rc -eq 1 ] && grep -q "needs --key-source of 8 octets" "$tmp/err"'
"$refdut" --secured --key-source 0011223344556677 >/dev/null 2>"$tmp/err"; rc=$?
check "--key-source with key id mode 1 is a usage error" '[ $rc -eq 1 ] && grep -q "refused with key id mode 1" "$tmp/err"'
"$refdut" --secured --k1-index 2 >/dev/null 2>"$tmp/err"; rc=$?
check "equal --k1-index and --k2-index is a usage error" '[ $rc -eq 1 ] && grep -q "both 2" "$tmp/err"'
EK_SECURITY_KEY_ID_MODE=3 "$refdut" --from-env >/dev/null 2>"$tmp/err"; rc=$?
check "--from-env: EK_SECURITY_KEY_ID_MODE=3 without EK_SECURITY_KEY_SOURCE is a usage error" '[ $rc -eq 1 ] && grep -q "key id mode 3" "$tmp/err"'
EK_SECURITY_ENABLED=maybe "$refdut" --from-env >/dev/null 2>"$tmp/err"; rc=$?
check "--from-env names a bad EK_SECURITY_ENABLED" '[ $rc -eq 1 ] && grep -q "EK_SECURITY_ENABLED" "$tmp/err"'
EK_RADIO_URI=pcap:lo "$refdut" --from-env >/dev/null 2>"$tmp/err"; rc=$?
check "--from-env refuses an EK_RADIO_URI it cannot mirror" '[ $rc -eq 1 ] && grep -q "EK_RADIO_URI" "$tmp/err"'
# both roles mirror alike: a query beyond local= cannot be mirrored either
EK_RADIO_URI='zep://127.0.0.1:1?local=127.0.0.1:2&x=1' "$refdut" --role pledge --psk 00112233445566778899aabbccddeeff \
  --from-env >/dev/null 2>"$tmp/err"; rc=$?
check "--role pledge --from-env refuses the same URIs, saying what it needs" \
  '[ $rc -eq 1 ] && grep -q "cannot be mirrored (need zep://HOST:PORT?local=HOST:PORT)" "$tmp/err"'
# hex octets read alike by every role: one separator between octets, none at the end
"$refdut" --role jrc --jrc-pledge-id "aa::bb" >/dev/null 2>"$tmp/err"; rc=$?
check "--jrc-pledge-id with a doubled separator is refused" '[ $rc -eq 1 ] && grep -q "is not a pledge ID" "$tmp/err"'
"$refdut" --role jrc --cojp-psk "00112233445566778899aabbccddeeff:" >/dev/null 2>"$tmp/err"; rc=$?
check "--cojp-psk with a trailing separator is refused" '[ $rc -eq 1 ] && grep -q -- "--cojp-psk" "$tmp/err"'

# ---- live runs over loopback ZEP ----
# start_refdut NAME ARGS...: picks random high ports (retrying on a bind collision),
# sets $rpid, $peer_uri; the log goes to $tmp/NAME.log.
start_refdut() {
  local name=$1; shift
  local try
  for try in 1 2 3 4 5 6 7 8; do
    a=$((20000 + RANDOM % 40000)); b=$((20000 + RANDOM % 40000))
    [ "$a" -eq "$b" ] && continue
    "$refdut" --radio "zep://127.0.0.1:$b?local=127.0.0.1:$a" "$@" 2>"$tmp/$name.log" &
    rpid=$!
    sleep 0.2
    if kill -0 "$rpid" 2>/dev/null; then
      pids+=("$rpid")
      peer_uri="zep://127.0.0.1:$a?local=127.0.0.1:$b"
      return 0
    fi
    wait "$rpid" 2>/dev/null
  done
  return 1
}
# run_peer OUT MODE MS [MIN]: the peer can also collide on its port; retry a few times.
run_peer() {
  local out=$1; shift
  local try
  for try in 1 2 3; do
    "$peer" "$peer_uri" "$@" >"$tmp/$out.out" 2>"$tmp/$out.err" && return 0
  done
  return 1
}
# wait_exit PID SECONDS: waits for PID; $st = its exit status (or 255 on timeout).
wait_exit() {
  local i
  for i in $(seq 1 $(($2 * 10))); do
    if ! kill -0 "$1" 2>/dev/null; then wait "$1"; st=$?; return 0; fi
    sleep 0.1
  done
  st=255
  return 1
}

if ! start_refdut compliant --local-cost 5; then
  not_ok "enroll-refdut starts on loopback ZEP"
  echo "1..$n"
  exit 1
fi
ok "enroll-refdut starts on loopback ZEP"

run_peer parent parent 1500 0x30
dios=$(grep -c '^DIO rank=768 version=240 mep=yes min=0x30 errors=0 fcs_ok=1$' "$tmp/parent.out")
ebs=$(grep -c '^EB ji=yes proxy=0x35 join_metric=2 errors=0 fcs_ok=1$' "$tmp/parent.out")
bad=$(grep -vc -e '^DIO .*errors=0 fcs_ok=1$' -e '^EB .*errors=0 fcs_ok=1$' "$tmp/parent.out")
check "answers a parent DIO with DIOs propagating the option (rank 768, min 0x30) that decode cleanly" \
  '[ "$dios" -ge 2 ]'
check "sends Enhanced Beacons with Join-Info proxy priority 0x35 = 0x30 + local cost 5 (join metric 2)" \
  '[ "$ebs" -ge 5 ]'
check "every frame it sent decodes without error" '[ "$bad" -eq 0 ] && [ -s "$tmp/parent.out" ]'
check "status lines: joined the parent and adopted the option" \
  'grep -q "joined: preferred parent 02:00:5e:ef:00:00:00:0a" "$tmp/compliant.log" \
   && grep -q "option adopted from the parent: min priority 0x30" "$tmp/compliant.log"'

kill -HUP "$rpid"
sleep 0.2
run_peer afterhup listen 500
check "SIGHUP forgets the parent: logged, and no DIO or EB until a parent is heard again" \
  'grep -q "SIGHUP: state forgotten" "$tmp/compliant.log" && ! grep -q -e "^DIO" -e "^EB" "$tmp/afterhup.out" \
   && kill -0 "$rpid"'

run_peer malformed malformed 800
check "compliant build survives a malformed option Length and still uses the rest of the DIO" \
  'kill -0 "$rpid" && grep -q "^DIO rank=768 .*mep=no" "$tmp/malformed.out" \
   && grep -q "^EB ji=yes proxy=0x45 " "$tmp/malformed.out"'

kill -TERM "$rpid"
wait_exit "$rpid" 5
check "SIGTERM exits cleanly with status 0" '[ "$st" -eq 0 ]'

# ---- secured network (RFC 8180 §4.6; IEEE 802.15.4-2015 §9.2.5) ----
if start_refdut secured --secured --local-cost 5; then
  ok "--secured enroll-refdut starts"
  run_peer unsec parent 600 0x30
  check "a secured refdut ignores an unsecured parent DIO: it sends nothing" \
    '[ -f "$tmp/unsec.out" ] && ! grep -q -e "^DIO" -e "^EB" -e "^SDIO" -e "^SEB" "$tmp/unsec.out"'
  run_peer secp secparent 1500 0x30
  sdios=$(grep -c '^SDIO rank=768 version=240 mep=yes min=0x30 key=2 level=5 fc=[0-9]* mic=ok errors=0 fcs_ok=1$' "$tmp/secp.out")
  sebs=$(grep -c '^SEB ji=yes proxy=0x35 key=1 level=1 fc=[0-9]* mic=ok errors=0 fcs_ok=1$' "$tmp/secp.out")
  check "answers a K2-secured parent DIO with K2 (level 5) DIOs propagating the option that verify" \
    '[ "$sdios" -ge 2 ]'
  check "sends K1-authenticated (level 1) Enhanced Beacons with proxy priority 0x35 that verify" '[ "$sebs" -ge 5 ]'
  check "every frame it sends is secured and verifies, frame counters strictly increasing" \
    '! grep -q -e "^DIO" -e "^EB" -e "mic=bad" -e "^OTHER" "$tmp/secp.out" \
     && sed -n "s/.* fc=\([0-9]*\) .*/\1/p" "$tmp/secp.out" | awk "NR > 1 && \$1 <= p { exit 1 } { p = \$1 }"'
  run_peer replay secreplay 500 0x40
  kill -TERM "$rpid"
  wait_exit "$rpid" 5
  check "drops the unsecured DIOs and the DIOs replayed with an old frame counter (exit counters)" \
    '[ "$st" -eq 0 ] && grep -Eq "security drops: [1-9][0-9]* unsecured, 0 MIC/key, [3-9][0-9]* replay" "$tmp/secured.log" \
     && ! grep -q "min priority 0x40" "$tmp/secured.log"'
else
  not_ok "--secured enroll-refdut starts"
fi

export EK_SECURITY_ENABLED=true EK_SECURITY_K1=K1-minimal15 EK_SECURITY_K2=K2-contiki EK_SECURITY_EB_LEVEL=2 \
  EK_SECURITY_DIO_LEVEL=6 EK_SECURITY_ASN_NONCE=false
if start_refdut envsec --from-env; then
  run_peer envsecp secparent 800 0x30
  check "--from-env takes EK_SECURITY_* (enabled, keys, EB level 2, DIO level 6)" \
    'grep -q "^SDIO rank=768 .* key=2 level=6 .* mic=ok" "$tmp/envsecp.out" \
     && grep -q "^SEB ji=yes .* key=1 level=2 .* mic=ok" "$tmp/envsecp.out"'
  kill -TERM "$rpid"
else
  not_ok "enroll-refdut --from-env with EK_SECURITY_* starts"
fi
unset EK_SECURITY_ENABLED EK_SECURITY_K1 EK_SECURITY_K2 EK_SECURITY_EB_LEVEL EK_SECURITY_DIO_LEVEL EK_SECURITY_ASN_NONCE

if start_refdut crash --fault crash-on-malformed-length; then
  run_peer crashrun malformed 600
  wait_exit "$rpid" 3
  check "--fault crash-on-malformed-length aborts (SIGABRT) on a malformed option Length" \
    '[ "$st" -eq 134 ] && grep -q "fault crash-on-malformed-length fired" "$tmp/crash.log"'
else
  not_ok "enroll-refdut --fault crash-on-malformed-length starts"
fi

# ---- variants and legacy mode over ZEP ----
if start_refdut step9 --variant step-9; then
  run_peer step9p parent 800 0x30
  check "--variant step-9: rank 256 + 9 x 256 = 2560 in DIOs, join metric 9 in EBs" \
    'grep -q "^DIO rank=2560 version=240 mep=yes min=0x30 errors=0" "$tmp/step9p.out" \
     && grep -q "^EB ji=yes proxy=0x35 join_metric=9 errors=0" "$tmp/step9p.out" \
     && grep -q "variant step-9" "$tmp/step9.log"'
  kill -TERM "$rpid"
else
  not_ok "enroll-refdut --variant step-9 starts"
fi

export REFDUT_PEER_OCP=1 REFDUT_PEER_MHRI=128
if start_refdut mrhof --variant mrhof-etx-2.5; then
  run_peer mrhofp parent 800 0x30
  check "--variant mrhof-etx-2.5 under OCP 1, MinHopRankIncrease 128: rank 256 + 320 = 576" \
    'grep -q "^DIO rank=576 .*errors=0" "$tmp/mrhofp.out"'
  kill -TERM "$rpid"
else
  not_ok "enroll-refdut --variant mrhof-etx-2.5 starts"
fi
unset REFDUT_PEER_OCP REFDUT_PEER_MHRI

if start_refdut legacy --legacy; then
  run_peer legacyp parent 1000 0x30
  check "--legacy: joins (rank 768), never propagates the enrollment option, sends no EB" \
    'grep -q "^DIO rank=768 version=240 mep=no .*errors=0" "$tmp/legacyp.out" \
     && ! grep -q -e "^EB" -e "mep=yes" "$tmp/legacyp.out" && grep -q "legacy" "$tmp/legacy.log"'
  kill -TERM "$rpid"
else
  not_ok "enroll-refdut --legacy starts"
fi

export EK_DUT_CAPABILITIES=dio EK_REFDUT_VARIANT=local-cost-0
if start_refdut envlegacy --from-env; then
  run_peer envlegacyp parent 800 0x30
  check "--from-env: EK_DUT_CAPABILITIES=dio (no mep) is legacy mode; EK_REFDUT_VARIANT is taken" \
    'grep -q "^DIO rank=768 .*mep=no" "$tmp/envlegacyp.out" && ! grep -q "^EB" "$tmp/envlegacyp.out" \
     && grep -q "variant local-cost-0, legacy" "$tmp/envlegacy.log"'
  kill -TERM "$rpid"
else
  not_ok "enroll-refdut --from-env with EK_DUT_CAPABILITIES=dio starts"
fi
export EK_DUT_CAPABILITIES="dio, eb, mep"
if start_refdut envmep --from-env; then
  run_peer envmepp parent 800 0x30
  check "--from-env: EK_DUT_CAPABILITIES=\"dio, eb, mep\" is not legacy (local cost 0: EB proxy 0x30)" \
    'grep -q "^DIO rank=768 .*mep=yes min=0x30" "$tmp/envmepp.out" && grep -q "^EB ji=yes proxy=0x30 " "$tmp/envmepp.out"'
  kill -TERM "$rpid"
else
  not_ok "enroll-refdut --from-env with EK_DUT_CAPABILITIES=dio,eb,mep starts"
fi
unset EK_DUT_CAPABILITIES EK_REFDUT_VARIANT

if start_refdut emptyok; then
  run_peer emptyokp empty 600 0x30
  check "the compliant build skips an unknown option with Length 0" \
    'kill -0 "$rpid" && grep -q "^DIO rank=768 .*mep=yes min=0x30" "$tmp/emptyokp.out"'
  kill -TERM "$rpid"
else
  not_ok "enroll-refdut starts (empty option)"
fi
if start_refdut crashempty --legacy --fault crash-on-empty-option; then
  run_peer crashemptyp empty 600
  wait_exit "$rpid" 3
  check "--legacy --fault crash-on-empty-option aborts (SIGABRT) on an option with Length 0" \
    '[ "$st" -eq 134 ] && grep -q "fault crash-on-empty-option fired" "$tmp/crashempty.log"'
else
  not_ok "enroll-refdut --fault crash-on-empty-option starts"
fi

# ---- the pledge (--role pledge) ----
"$refdut" --role pledge --list-variants >"$tmp/pvariants" 2>&1; rc=$?
check "--role pledge --list-variants: 7 pledge variants, default first" \
  '[ $rc -eq 0 ] && [ "$(tail -n +2 "$tmp/pvariants" | wc -l)" -eq 7 ] && sed -n 2p "$tmp/pvariants" | grep -q "^default "'
"$refdut" --role pledge >"$tmp/pnopsk.out" 2>&1; rc=$?
check "--role pledge without --psk: usage error naming --psk" '[ $rc -eq 1 ] && grep -q -- "--psk" "$tmp/pnopsk.out"'
"$refdut" --role pledge --psk 00112233 >"$tmp/pshort.out" 2>&1; rc=$?
check "--role pledge --psk of 4 octets is refused (RFC 9031 §3: at least 128 bits)" '[ $rc -eq 1 ]'
"$refdut" --role pledge --psk 000102030405060708090a0b0c0d0e0f --fault ignore-option >"$tmp/pfault.out" 2>&1; rc=$?
check "--role pledge --fault of a 6LR is refused" '[ $rc -eq 1 ] && grep -q "no pledge fault" "$tmp/pfault.out"'
grep -c "+pledge" "$tmp/faults" >"$tmp/npf"
check "--list-faults lists the six pledge faults (+pledge)" '[ "$(cat "$tmp/npf")" -eq 6 ]'
if start_refdut pledge --role pledge --psk 000102030405060708090a0b0c0d0e0f --state-file "$tmp/pledge.nv"; then
  sleep 0.3
  check "the pledge writes its persistent record (20 octets) at start" '[ "$(wc -c <"$tmp/pledge.nv")" -eq 20 ]'
  cp "$tmp/pledge.nv" "$tmp/pledge.nv.0"
  kill -HUP "$rpid"
  sleep 0.3
  check "SIGHUP is a reboot that reads the record again (the stored sequence number moves ahead)" \
    'grep -q "SIGHUP: rebooted" "$tmp/pledge.log" && ! cmp -s "$tmp/pledge.nv" "$tmp/pledge.nv.0"'
  kill -TERM "$rpid"
  wait_exit "$rpid" 3
  check "the pledge exits 0 on SIGTERM" '[ "$st" -eq 0 ]'
else
  not_ok "enroll-refdut --role pledge starts"
fi
EK_DUT_ROLE=pledge EK_COJP_PSK=000102030405060708090a0b0c0d0e0f EK_RADIO_URI= "$refdut" --from-env --list-variants \
  >"$tmp/penv" 2>&1; rc=$?
check "--from-env with EK_DUT_ROLE=pledge is the pledge" '[ $rc -eq 0 ] && grep -q "^tie-latest " "$tmp/penv"'

echo "1..$n"
exit $fail
