#!/usr/bin/env bash
# tshark oracle for the CoJP frame builders (suites 'build' and 'oracle'): every kind of
# message ek/join.h builds (Join Request, Join Response with a Configuration, an error
# response with an Unsupported_Configuration, Parameter Update and the node's empty 2.04)
# must decode in stock tshark, and tshark must decrypt each one from the OSCORE
# dissector's UAT alone (file oscore_contexts: Sender ID, Recipient ID, Master Secret,
# Master Salt, ID Context, Algorithm; the Sender ID is the requester's, so the pledge's
# requests and the JRC's Parameter Updates need one row each, RFC 9031 §7.3) to the
# inner code, Uri-Path and plaintext the builders protected.  Exception: the JRC's
# Parameter Update carries kid "JRC" but no kid context (RFC 9031 §8.2.1), and tshark
# matches a context row by kid and ID Context together, so it cannot decrypt that
# exchange; there the frames must still decode as OSCORE with the right outer code and
# Uri-Host, and tshark must say it has no context (the pledge's requests carry the kid
# context, so every join exchange decrypts).  tshark runs as nobody when
# started as root.  Exit 77 (meson: skipped) when tshark is missing.
# Usage: join_tshark.sh GEN
set -u
gen=$1
command -v tshark >/dev/null 2>&1 || { echo "tshark not found: skipped"; exit 77; }
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
PSK=000102030405060708090a0b0c0d0e0f   # the CoJP PSK = Master Secret
PID=00124b0014b5d901                   # pledge identifier = ID Context
"$gen" "$dir/cojp.pcap" "$PSK" "$PID" > "$dir/expect" || { echo "generator failed"; exit 1; }
mkdir -p "$dir/home/.config/wireshark"
{
  echo '# enrollkit join_tshark.sh'
  printf '"","4a5243","%s","","%s","AES-CCM-16-64-128 (CCM*)"\n' "$PSK" "$PID"
  printf '"4a5243","","%s","","%s","AES-CCM-16-64-128 (CCM*)"\n' "$PSK" "$PID"
} > "$dir/home/.config/wireshark/oscore_contexts"
chmod -R a+rX "$dir"
DROP=""
[ "$(id -u)" = 0 ] && DROP="setpriv --reuid=nobody --regid=nogroup --clear-groups"
# Wireshark 4.4 and later try an RF4CE heuristic on 802.15.4 data frames before 6LoWPAN,
# and it claims IPHC octet 0x7E (TF elided, UDP NHC, Hop Limit 64): not a frame problem.
NOHEUR=""
$DROP tshark -G protocols 2>/dev/null | cut -f3 | grep -qx rf4ce_nwk && NOHEUR="--disable-protocol rf4ce_nwk"
ts() { $DROP env HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/.config" tshark -n -r "$dir/cojp.pcap" \
           -o udp.check_checksum:TRUE $NOHEUR "$@"; }
ts -T fields -E separator='|' -e frame.number -e udp.checksum.status -e coap.code -e coap.opt.uri_host \
   -e oscore.tag -e oscore.code -e oscore.opt.uri_path -e _ws.expert.message -e _ws.malformed \
   > "$dir/fields" 2>"$dir/err" || { cat "$dir/err"; exit 1; }
ts -P -x 2>"$dir/err" | awk '
    /^ *[0-9]+ +[0-9]+\.[0-9]+ / { frame = $1; grab = 0; next }
    /^Decrypted OSCORE/ { grab = 1; hex[frame] = ""; next }
    grab && /^[0-9a-f][0-9a-f][0-9a-f][0-9a-f]  / { h = substr($0, 7, 48); gsub(/ /, "", h); hex[frame] = hex[frame] h; next }
    { grab = 0 }
    END { for (f in hex) print f, hex[f] }' > "$dir/plain" || { cat "$dir/err"; exit 1; }
fail=0 n=0
while read -r num findable outer host code path plain; do
    n=$((n + 1)) bad=0
    line=$(grep "^$num|" "$dir/fields")
    f() { echo "$line" | cut -d'|' -f"$1"; }
    got=$(grep "^$num " "$dir/plain" | cut -d' ' -f2)
    want_host=$host; [ "$host" = - ] && want_host=""
    want_path=$path; [ "$path" = - ] && want_path=""
    [ "$(f 2)" = 1 ] || { echo "FAIL frame $num: UDP checksum status '$(f 2)' (1 = good)"; bad=1; }
    [ "$(f 3)" = "$outer" ] || { echo "FAIL frame $num: outer code '$(f 3)', want $outer"; bad=1; }
    [ "$(f 4)" = "$want_host" ] || { echo "FAIL frame $num: Uri-Host '$(f 4)', want '$want_host'"; bad=1; }
    # (a release that does find the context must decrypt it right: the checks below)
    if [ "$findable" = no ] && [ -z "$(f 5)" ] && [[ "$(f 8)" == *"Security context not set"* ]]; then
        [ $bad -eq 0 ] && echo "ok frame $num: outer $outer Uri-Host '$want_host', no context (kid without kid context)"
        [ $bad -eq 0 ] || fail=1
        continue
    fi
    if [ -z "$(f 5)" ] || [ -n "$(f 8)" ] || [ -n "$(f 9)" ]; then
        echo "FAIL frame $num: tshark did not verify it: tag='$(f 5)' expert='$(f 8)' malformed='$(f 9)'"; bad=1
    fi
    [ "$(f 6)" = "$code" ] || { echo "FAIL frame $num: decrypted code '$(f 6)', want $code"; bad=1; }
    [ "$(f 7)" = "$want_path" ] || { echo "FAIL frame $num: decrypted Uri-Path '$(f 7)', want '$want_path'"; bad=1; }
    [ "$got" = "$plain" ] || { echo "FAIL frame $num: decrypted '$got', want '$plain'"; bad=1; }
    [ $bad -eq 0 ] && echo "ok frame $num: outer $outer, inner code $code Uri-Path $path plaintext $plain"
    [ $bad -eq 0 ] || fail=1
done < "$dir/expect"
[ "$n" -eq 6 ] || { echo "expected 6 frames, the generator gave $n"; exit 1; }
exit $fail
