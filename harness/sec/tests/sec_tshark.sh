#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# tshark oracle for ek_sec_protect (suite 'sec'): secured DIOs and EBs on DLT 195 (ASN
# nonce with ASN 0, or frame counter nonce) and DLT 283 (TAP ASN TLV, non-zero ASN) must
# verify under stock tshark with the keys in the ieee802154_keys UAT (fields: key, key
# index, key hash "No hash"); every copy with one MIC bit flipped, or received one ASN
# later, must not.  tshark 4.0.17 marks a verified frame with wpan.key_number ("[Key
# Number: n]") and a failed MIC with the same expert item as a missing key ("No
# encryption key set - can't decrypt"); encrypted frames must also show their decrypted
# content.  Exit 77 (meson: skipped) when tshark is missing.  Usage: sec_tshark.sh GEN
set -u
gen=$1
command -v tshark >/dev/null 2>&1 || { echo "tshark not found: skipped"; exit 77; }
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
"$gen" "$dir/195.pcap" "$dir/283.pcap" > "$dir/expect" || { echo "generator failed"; exit 1; }
K1=365469534348206d696e696d616c3135   # "6TiSCH minimal15", key index 1
K2=deadbeeffacecafedeadbeeffacecafe   # Contiki-NG example K2, key index 2
for dlt in 195 283; do
    tshark -r "$dir/$dlt.pcap" -o "uat:ieee802154_keys:\"$K1\",\"1\",\"No hash\"" \
           -o "uat:ieee802154_keys:\"$K2\",\"2\",\"No hash\"" \
           -T fields -E separator='|' -e frame.number -e wpan.key_number -e frame.protocols \
           -e wpan.tsch.asn -e _ws.expert.message > "$dir/got$dlt" 2>"$dir/err" || { cat "$dir/err"; exit 1; }
done
fail=0
n=0
while read -r dlt num verdict what; do
    n=$((n + 1))
    bad=0
    line=$(grep "^$num|" "$dir/got$dlt")
    keyno=$(echo "$line" | cut -d'|' -f2)
    protos=$(echo "$line" | cut -d'|' -f3)
    asn=$(echo "$line" | cut -d'|' -f4)
    expert=$(echo "$line" | cut -d'|' -f5)
    case $verdict in
    ok)
        if [ -z "$keyno" ] || [ -n "$expert" ]; then
            echo "FAIL $dlt/$num ($what): tshark did not verify it: key_number='$keyno' expert='$expert'"; bad=1
        fi
        case $what in
        DIO*) case $protos in *icmpv6*) ;; *) echo "FAIL $dlt/$num ($what): no ICMPv6 after decryption ($protos)"; bad=1;; esac;;
        EB*) [ "$asn" = 43405557070 ] || { echo "FAIL $dlt/$num ($what): TSCH ASN '$asn' (want 0x0a1b2c3d4e)"; bad=1; };;
        esac;;
    bad)
        case $expert in
        *"can't decrypt"*) [ -z "$keyno" ] || { echo "FAIL $dlt/$num ($what): key number with a bad MIC"; bad=1; };;
        *) echo "FAIL $dlt/$num ($what): tshark accepted it: expert='$expert'"; bad=1;;
        esac;;
    esac
    [ $bad -eq 0 ] && echo "ok DLT $dlt frame $num: $verdict: $what"
    [ $bad -eq 0 ] || fail=1
done < "$dir/expect"
[ "$n" -gt 0 ] || { echo "no frames"; exit 1; }
exit $fail
