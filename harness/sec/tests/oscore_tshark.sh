#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# tshark oracle for ek_oscore (suites 'sec' and 'oracle'): CoJP join exchanges (RFC 9031
# §8.1) protected by ek_oscore_protect_request/_response under the CoJP context (§7.3),
# link-local over 802.15.4 + 6LoWPAN IPHC + UDP NHC (DLT 195), must be decrypted by stock
# tshark given only the pre-shared parameters, in the OSCORE dissector's UAT file
# "oscore_contexts" (epan/dissectors/packet-oscore.c, Wireshark 4.0: columns Sender ID,
# Recipient ID, Master Secret, Master Salt, ID Context, Algorithm; Sender ID is the
# requester's: tshark derives the request key from it and the response key from the
# Recipient ID, and finds the context by the request's kid and kid context).  Checked
# per frame: UDP checksum good; outer code POST / 2.04 and Uri-Host "6tisch.arpa",
# Proxy-Scheme "coap" on requests; the tag verified (oscore.tag present, no expert
# item); the decrypted inner code, the inner Uri-Path "j" on requests, and the whole
# "Decrypted OSCORE" plaintext byte for byte (code | Class E options | 0xFF payload).
# Both response forms decrypt in tshark 4.0.17: reusing the request nonce (empty OSCORE
# option, RFC 8613 §8.3) and with the JRC's own Partial IV.  A request with a flipped tag
# bit must show "Authentication tag check failed" and no plaintext.  tshark runs as
# nobody when started as root.  Exit 77 (meson: skipped) when tshark is missing.
# Usage: oscore_tshark.sh GEN
set -u
gen=$1
command -v tshark >/dev/null 2>&1 || { echo "tshark not found: skipped"; exit 77; }
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
PSK=deadbeefcafedeadbeefcafedeadbeef   # the CoJP PSK = Master Secret
PID=00124b0014b5d901                   # pledge identifier = ID Context (its EUI-64)
"$gen" "$dir/cojp.pcap" "$PSK" "$PID" > "$dir/expect" || { echo "generator failed"; exit 1; }
mkdir -p "$dir/home/.config/wireshark"
# Pledge (requester) Sender ID "" , JRC Recipient ID "JRC" = 4a5243, no Master Salt.
printf '# enrollkit oscore_tshark.sh\n"","4a5243","%s","","%s","AES-CCM-16-64-128 (CCM*)"\n' "$PSK" "$PID" \
    > "$dir/home/.config/wireshark/oscore_contexts"
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
   -e coap.opt.proxy_scheme -e oscore.tag -e oscore.code -e oscore.opt.uri_path -e _ws.expert.message \
   > "$dir/fields" 2>"$dir/err" || { cat "$dir/err"; exit 1; }
# "Decrypted OSCORE (N bytes):" hex dumps, one "<frame> <hex>" line per frame that has one
ts -P -x 2>"$dir/err" | awk '
    /^ *[0-9]+ +[0-9]+\.[0-9]+ / { frame = $1; grab = 0; next }
    /^Decrypted OSCORE/ { grab = 1; hex[frame] = ""; next }
    grab && /^[0-9a-f][0-9a-f][0-9a-f][0-9a-f]  / { h = substr($0, 7, 48); gsub(/ /, "", h); hex[frame] = hex[frame] h; next }
    { grab = 0 }
    END { for (f in hex) print f, hex[f] }' > "$dir/plain" || { cat "$dir/err"; exit 1; }
fail=0
n=0
while read -r num verdict path code plain; do
    n=$((n + 1))
    bad=0
    line=$(grep "^$num|" "$dir/fields")
    f() { echo "$line" | cut -d'|' -f"$1"; }
    got=$(grep "^$num " "$dir/plain" | cut -d' ' -f2)
    [ "$(f 2)" = 1 ] || { echo "FAIL frame $num: UDP checksum status '$(f 2)' (1 = good)"; bad=1; }
    case $code in
    2) [ "$(f 3)" = 2 ] && [ "$(f 4)" = 6tisch.arpa ] && [ "$(f 5)" = coap ] ||
           { echo "FAIL frame $num: outer request '$(f 3)' '$(f 4)' '$(f 5)'"; bad=1; } ;;
    *) [ "$(f 3)" = 68 ] || { echo "FAIL frame $num: outer code '$(f 3)' (want 68 = 2.04)"; bad=1; } ;;
    esac
    case $verdict in
    ok)
        if [ -z "$(f 6)" ] || [ -n "$(f 9)" ]; then
            echo "FAIL frame $num: tshark did not verify it: tag='$(f 6)' expert='$(f 9)'"; bad=1
        fi
        [ "$(f 7)" = "$code" ] || { echo "FAIL frame $num: decrypted code '$(f 7)', want $code"; bad=1; }
        want_path=$path; [ "$path" = - ] && want_path=""
        [ "$(f 8)" = "$want_path" ] || { echo "FAIL frame $num: decrypted Uri-Path '$(f 8)', want '$want_path'"; bad=1; }
        [ "$got" = "$plain" ] || { echo "FAIL frame $num: decrypted '$got', want '$plain'"; bad=1; } ;;
    bad)
        case $(f 9) in
        *"tag check failed"*) [ -z "$(f 6)" ] || { echo "FAIL frame $num: tag shown for a damaged tag"; bad=1; } ;;
        *) echo "FAIL frame $num: tshark accepted a damaged tag: expert='$(f 9)'"; bad=1 ;;
        esac ;;
    esac
    [ $bad -eq 0 ] && echo "ok frame $num: $verdict: code $code Uri-Path $path plaintext $plain"
    [ $bad -eq 0 ] || fail=1
done < "$dir/expect"
[ "$n" -eq 5 ] || { echo "expected 5 frames, generator gave $n"; exit 1; }
exit $fail
