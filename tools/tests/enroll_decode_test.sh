#!/usr/bin/env bash
# enroll-decode CLI behaviour: help, usage errors, unreadable files, JSON Lines that
# parse, malformed frames reported while decoding goes on, truncated files.
# Usage: enroll_decode_test.sh ENROLL_DECODE VECTORS_PCAP_DIR   (prints TAP)
set -u
dec=$1
pcaps=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

"$dec" --help >"$tmp/help" 2>&1; rc=$?
check "--help exits 0 and documents every option" \
  '[ $rc -eq 0 ] && grep -q -- "--ep-type" "$tmp/help" && grep -q -- "--ie-profile" "$tmp/help" && grep -q -- "--context" "$tmp/help"'

"$dec" --ep-profile draft-99 "$pcaps/wellformed-195.pcap" >/dev/null 2>"$tmp/err"; rc=$?
check "an unknown profile is a usage error naming the value" '[ $rc -eq 1 ] && grep -q "draft-99" "$tmp/err"'

"$dec" --ep-type 300 "$pcaps/wellformed-195.pcap" >/dev/null 2>"$tmp/err"; rc=$?
check "an out-of-range option type is a usage error" '[ $rc -eq 1 ] && grep -q "0..255" "$tmp/err"'

"$dec" "$tmp/does-not-exist.pcap" >/dev/null 2>"$tmp/err"; rc=$?
check "a missing file exits 2 with a message naming it" '[ $rc -eq 2 ] && grep -q "does-not-exist.pcap" "$tmp/err"'

echo "this is not a capture" >"$tmp/text.pcap"
"$dec" "$tmp/text.pcap" "$pcaps/wellformed-195.pcap" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "an unreadable file exits 2 but later files are still decoded" '[ $rc -eq 2 ] && grep -q "^Frame 1:" "$tmp/out"'

"$dec" --json "$pcaps/wellformed-195.pcap" >"$tmp/json"; rc=$?
records=$(grep -c . "$tmp/json")
check "--json prints one parseable object per record with the documented key names" \
  '[ $rc -eq 0 ] && [ "$records" -gt 10 ] && python3 - "$tmp/json" <<PY
import json, sys
keys = set()
for line in open(sys.argv[1]):
    o = json.loads(line)
    assert isinstance(o["errors"], list)
    keys |= set(o)
for k in ("wpan.fcs_ok", "wpan.src64", "icmpv6.rpl.dio.dagid", "icmpv6.rpl.dio.instance", "icmpv6.rpl.dio.version", "icmpv6.rpl.dio.rank", "icmpv6.rpl.dio.dtsn", "enroll.mep.min_priority",
          "enroll.ji.proxy_priority", "enroll.ji.rank_priority", "enroll.ji.pan_priority", "enroll.ji.join_proxy_iid", "enroll.ji.network_id", "wpan.tsch.asn"):
    assert k in keys, k
PY'

# A malformed frame between two good ones: reported, and the next frame still decodes.
if [ -f "$pcaps/bad-ie-overrun.pcap" ] && [ -f "$pcaps/dio-mep-draft16.pcap" ]; then
  "$dec" --json "$pcaps/dio-mep-draft16.pcap" "$pcaps/bad-ie-overrun.pcap" "$pcaps/dio-mep-draft16.pcap" >"$tmp/mix"; rc=$?
  check "a malformed frame is reported and decoding goes on" \
    '[ $rc -eq 0 ] && [ $(grep -c . "$tmp/mix") -eq 3 ] && sed -n 2p "$tmp/mix" | grep -q "\"code\":\"TRUNCATED\"" && sed -n 3p "$tmp/mix" | grep -q "\"enroll.mep.min_priority\""'
else
  ok "# SKIP vectors bad-ie-overrun / dio-mep-draft16 not present"
fi

# --stats: one summary line per file whose counts agree with the --json output.
"$dec" --stats "$pcaps/wellformed-195.pcap" >"$tmp/stats"; rc=$?
frames_json=$(grep -c . "$tmp/json")
errs_json=$(grep -c '"errors":\[{' "$tmp/json")
mep_json=$(grep '"icmpv6.rpl.dio.dagid"' "$tmp/json" | grep -c '"enroll.mep.min_priority"')
check "--stats prints one line per file whose counts match --json" \
  '[ $rc -eq 0 ] && [ $(grep -c . "$tmp/stats") -eq 1 ] &&
   grep -q "wellformed-195.pcap: $frames_json frames, $errs_json with errors, " "$tmp/stats" &&
   grep -q " $mep_json DIOs with the enrollment option, link type 195 (IEEE802_15_4_WITHFCS)" "$tmp/stats" &&
   grep -Eq ", [1-9][0-9]* Enhanced Beacons with Join-Info" "$tmp/stats"'

"$dec" --stats --json "$pcaps/wellformed-195.pcap" >/dev/null 2>"$tmp/err"; rc=$?
check "--stats with --json is a usage error" '[ $rc -eq 1 ] && grep -q -- "--stats" "$tmp/err"'

check "--help documents --stats" 'grep -q -- "--stats" "$tmp/help"'

# A capture cut in the middle of a record: the frames before it are printed, exit 2.
size=$(stat -c %s "$pcaps/wellformed-195.pcap")
head -c $((size - 5)) "$pcaps/wellformed-195.pcap" >"$tmp/cut.pcap"
"$dec" --json "$tmp/cut.pcap" >"$tmp/cut.out" 2>"$tmp/cut.err"; rc=$?
check "a truncated capture prints the complete records and exits 2" \
  '[ $rc -eq 2 ] && [ $(grep -c . "$tmp/cut.out") -eq $((records - 1)) ] && [ -s "$tmp/cut.err" ]'

# Records captured short (editcap -s: caplen < len): no FCS is taken from the captured
# octets, the frame says "truncated capture" once, and the cut is not an error.
if command -v editcap >/dev/null 2>&1; then
  editcap -s 30 "$pcaps/wellformed-195.pcap" "$tmp/snap30.pcap" >/dev/null 2>&1
  "$dec" --stats "$tmp/snap30.pcap" >"$tmp/snap.stats"; rc=$?
  check "--stats on a capture cut with editcap -s 30 reports 0 bad FCS" \
    '[ $rc -eq 0 ] && grep -q " $records frames, " "$tmp/snap.stats" && grep -q ", 0 bad FCS, " "$tmp/snap.stats"'
  "$dec" "$tmp/snap30.pcap" >"$tmp/snap.tree"
  short=$(grep -c "^Frame [0-9]*: \([0-9]\|[12][0-9]\) octets" "$tmp/snap.tree")
  check "the tree says truncated capture once per cut frame, shows no FCS on it and no TRUNCATED error" \
    '[ $(grep -c "^Frame .*truncated capture (30 of [0-9]* octets captured)" "$tmp/snap.tree") -eq $((records - short)) ] &&
     ! grep "truncated capture" "$tmp/snap.tree" | grep -q "FCS 0x" && ! grep -q "! TRUNCATED" "$tmp/snap.tree" &&
     [ $(grep -o "truncated capture" "$tmp/snap.tree" | wc -l) -eq $((records - short)) ]'
  "$dec" --json "$tmp/snap30.pcap" >"$tmp/snap.json"
  check "--json marks cut frames truncated with captured and original lengths, no fcs_ok, no TRUNCATED error" \
    'python3 - "$tmp/snap.json" "$tmp/json" <<PY
import json, sys
cut = [json.loads(l) for l in open(sys.argv[1])]
whole = [json.loads(l) for l in open(sys.argv[2])]
assert len(cut) == len(whole)
for c, w in zip(cut, whole):
    if "enroll.decode.truncated" not in c:  # a frame shorter than the snap length is whole
        assert c == w, (c, w)
        continue
    assert c["enroll.decode.truncated"] is True and c["frame.cap_len"] == 30 and c["frame.len"] > 30, c
    assert "wpan.fcs_ok" not in c, c
    assert all(e["code"] != "TRUNCATED" for e in c["errors"]), c
    # decoding went on: the MAC header fields are those of the whole frame
    for k in ("wpan.seq_no", "wpan.dst_pan", "wpan.src64"):
        assert c.get(k) == w.get(k), (k, c, w)
PY'
  for z in wellformed-0 wellformed-1 wellformed-101 wellformed-113 wellformed-230 wellformed-283; do
    [ -f "$pcaps/$z.pcap" ] || continue
    editcap -s 60 "$pcaps/$z.pcap" "$tmp/$z-60.pcap" >/dev/null 2>&1
    "$dec" --json "$tmp/$z-60.pcap" >"$tmp/$z-60.json"
  done
  check "ZEP, TAP and no-FCS captures cut at 60 octets: no FCS and no TRUNCATED error" \
    '! cat "$tmp"/wellformed-*-60.json | grep -q "\"wpan.fcs_ok\"" && ! cat "$tmp"/wellformed-*-60.json | grep -q "\"TRUNCATED\"" &&
     [ $(cat "$tmp"/wellformed-*-60.json | grep -c "\"enroll.decode.truncated\":true") -gt 0 ]'
else
  ok "# SKIP editcap not installed"
fi

# A frame with more IEs than one decode keeps (16 header, 16 payload): the rest are
# counted in the tree and in JSON. IEEE 802.15.4-2015 §7.4.2.1 / §7.4.3.1 descriptors:
# 20 empty header IEs id 0x2a, HT1, 18 empty payload IEs group 0x7, PT; link type 230.
python3 - "$tmp/many-ies.pcap" <<'PY'
import struct, sys
mpdu = bytes.fromhex("41aa01cdabffff0100") + bytes.fromhex("0015") * 20 + bytes.fromhex("003f") \
    + bytes.fromhex("00b8") * 18 + bytes.fromhex("00f8")
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 230))
    f.write(struct.pack("<IIII", 0, 0, len(mpdu), len(mpdu)) + mpdu)
PY
"$dec" "$tmp/many-ies.pcap" >"$tmp/many.tree"
"$dec" --json "$tmp/many-ies.pcap" >"$tmp/many.json"
check "IEs beyond 16 per frame are counted in the tree and in JSON" \
  'grep -q "Not shown: 4 more header IE(s), 2 more payload IE(s), 0 more MLME sub-IE(s)" "$tmp/many.tree" &&
   grep -q "\"enroll.decode.header_ies_not_shown\":4,\"enroll.decode.payload_ies_not_shown\":2,\"enroll.decode.sub_ies_not_shown\":0" "$tmp/many.json" &&
   grep -q "\"errors\":\[\]" "$tmp/many.json"'

# IEEE 802.15.4-2015 §11.3: a PSDU longer than aMaxPhyPacketSize (127) is a warning,
# the frame is still decoded. One header IE of 115 octets: MPDU 126 + FCS = 128 (lt 230).
python3 - "$tmp/long.pcap" <<'PY'
import struct, sys
mpdu = bytes.fromhex("41aa01cdabffff0100") + bytes([115, 0x15]) + b"\x5a" * 115
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 230))
    f.write(struct.pack("<IIII", 0, 0, len(mpdu), len(mpdu)) + mpdu)
PY
"$dec" "$tmp/long.pcap" >"$tmp/long.tree"
"$dec" --json "$tmp/long.pcap" >"$tmp/long.json"
"$dec" --stats "$tmp/long.pcap" >"$tmp/long.stats"
check "a PSDU over 127 octets is a warning in the tree and JSON, not an error" \
  'grep -q "warning: PSDU of 128 octets is longer than aMaxPhyPacketSize (127" "$tmp/long.tree" &&
   grep -q "Header IE 0x2a, 115 octets" "$tmp/long.tree" &&
   grep -q "\"enroll.decode.psdu_too_long\":true,\"enroll.decode.psdu_len\":128" "$tmp/long.json" && grep -q "\"errors\":\[\]" "$tmp/long.json" &&
   grep -q "1 frames, 0 with errors" "$tmp/long.stats"'

# ZEP v3 (Wireshark packet-zep.c: the v2 layout) Data and Ack, and the ZEP header
# fields of v1 / v2 / v3 as tshark shows zep.* (raw IPv4 records, link type 228).
python3 - "$tmp/zep3.pcap" <<'PY'
import struct, sys
def fcs(m):
    c = 0
    for x in m:
        c ^= x
        for _ in range(8):
            c = (c >> 1) ^ 0x8408 if c & 1 else c >> 1
    return m + struct.pack("<H", c)
def ip4udp(p):
    u = struct.pack(">HHHH", 17754, 17754, 8 + len(p), 0) + p
    return struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(u), 0, 0x4000, 64, 17, 0, bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1])) + u
psdu = fcs(bytes.fromhex("418801cdabffff0100"))
def v23(ver, mode, lqi, sec, frac):
    return b"EX" + bytes([ver, 1, 11]) + struct.pack(">HBBIII", 0x1234, mode, lqi, sec, frac, 7) + bytes(10) + bytes([len(psdu)]) + psdu
recs = [ip4udp(v23(3, 1, 200, 0xE8000000, 0x80000000)), ip4udp(b"EX\x03\x02" + struct.pack(">I", 99)),
        ip4udp(v23(2, 0, 77, 0x10000000, 0)),
        ip4udp(b"EX\x01\x0b" + struct.pack(">HBB", 0x1234, 1, 200) + bytes(7) + bytes([len(psdu)]) + psdu)]
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 228))
    for r in recs:
        f.write(struct.pack("<IIII", 0, 0, len(r), len(r)) + r)
PY
"$dec" "$tmp/zep3.pcap" >"$tmp/zep3.tree"
"$dec" --json "$tmp/zep3.pcap" >"$tmp/zep3.json"
"$dec" --stats "$tmp/zep3.pcap" >"$tmp/zep3.stats"
check "ZEP v3 Data and Ack decode with every ZEP header field, no error" \
  'grep -q "ZEP v3 Data: channel 11, device ID 4660, CRC mode, LQI 200, time 2023-05-05T22:21:52.500000000Z, seq 7, length 11" "$tmp/zep3.tree" &&
   grep -q "ZEP v3 Ack: seq 99" "$tmp/zep3.tree" && grep -q "ZEP v1: channel 11, device ID 4660, CRC mode, LQI 200, length 11" "$tmp/zep3.tree" &&
   sed -n 1p "$tmp/zep3.json" | grep -q "\"zep.version\":3,\"zep.type\":1,\"zep.channel_id\":11,\"zep.device_id\":4660,\"zep.lqi_mode\":true,\"zep.time\":\"2023-05-05T22:21:52.500000000Z\",\"zep.seqno\":7,\"zep.length\":11" &&
   sed -n 2p "$tmp/zep3.json" | grep -q "^{\"frame.number\":2,\"zep.version\":3,\"zep.type\":2,\"zep.seqno\":99,\"errors\":\[\]}" &&
   sed -n 3p "$tmp/zep3.json" | grep -q "\"zep.lqi_mode\":false,\"zep.lqi\":77,\"zep.time\":\"2044-08-10T03:52:32.000000000Z\"" &&
   ! grep -q "\"errors\":\[{" "$tmp/zep3.json" && grep -q "4 frames, 0 with errors, 0 bad FCS" "$tmp/zep3.stats"'

# MPX IE (payload IE group 0x3; IEEE 802.15.9 Transaction Control as Wireshark reads
# it): a non-last fragment 0 (total size, multiplex ID) and a short full frame.
python3 - "$tmp/mpx.pcap" <<'PY'
import struct, sys
def fcs(m):
    c = 0
    for x in m:
        c ^= x
        for _ in range(8):
            c = (c >> 1) ^ 0x8408 if c & 1 else c >> 1
    return m + struct.pack("<H", c)
hdr = bytes.fromhex("41aa01cdabffff0100003f")
recs = [fcs(hdr + bytes.fromhex("079812002c013412ee")),
        fcs(hdr + bytes.fromhex("02980834"))]
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 195))
    for r in recs:
        f.write(struct.pack("<IIII", 0, 0, len(r), len(r)) + r)
PY
"$dec" "$tmp/mpx.pcap" >"$tmp/mpx.tree"
"$dec" --json "$tmp/mpx.pcap" >"$tmp/mpx.json"
check "MPX IE: transfer type, transaction ID, fragment number, total size and multiplex ID" \
  'grep -q "MPX: transfer type 2 (non-last fragment), transaction ID 2, multiplex ID 0x1234, fragment 0, total frame size 300, 1 octets of data" "$tmp/mpx.tree" &&
   sed -n 1p "$tmp/mpx.json" | grep -q "\"wpan.mpx.transfer_type\":2,\"wpan.mpx.transaction_id\":2,\"wpan.mpx.multiplex_id\":4660,\"wpan.mpx.fragment_number\":0,\"wpan.mpx.total_frame_size\":300,\"errors\":\[\]" &&
   sed -n 2p "$tmp/mpx.json" | grep -q "\"errors\":\[{\"code\":\"TRUNCATED\",\"field\":\"wpan.mpx.multiplex_id\",\"offset\":14}\]"'

# RFC 4944 §10.1 HC1: an RPL DIO (source IID from the EUI-64, ff02::1a inline), HC_UDP
# with bit-aligned fields after the flow label, and FRAG1 carrying HC1.
python3 - "$tmp/hc1.pcap" <<'PY'
import struct, sys
def crc16(b):
    c = 0
    for x in b:
        c ^= x
        for _ in range(8):
            c = (c >> 1) ^ 0x8408 if c & 1 else c >> 1
    return c
def fcs(m): return m + struct.pack("<H", crc16(m))
def cks(src,dst,nh,data):
    ph=src+dst+struct.pack(">IxxxB",len(data),nh)+data
    if len(ph)%2: ph+=b"\0"
    s=sum(struct.unpack(">%dH"%(len(ph)//2),ph))
    while s>>16: s=(s&0xffff)+(s>>16)
    return (~s)&0xffff
def icmp(src,dst,t,c,body):
    m=bytes([t,c,0,0])+body
    k=cks(src,dst,58,m)
    return m[:2]+struct.pack(">H",k)+m[4:]
eui=bytes.fromhex("00124b0000000001")
ll_src=bytes.fromhex("fe80000000000000")+bytes([eui[0]^2])+eui[1:]
ffdst=bytes.fromhex("ff02000000000000000000000000001a")
mac_ext=bytes.fromhex("41c8")+b"\x05"+bytes.fromhex("cdab")+bytes.fromhex("ffff")+eui[::-1]
dodag=bytes.fromhex("fd000000000000000000000000000001")
dio=bytes([1,2])+struct.pack(">H",256)+bytes([0x08,3,0,0])+dodag
recs=[]
# 1: HC1 src compressed (PC,IC), dst inline, TF zero, NH ICMP: DIO
m=icmp(ll_src,ffdst,155,1,dio)
recs.append(fcs(mac_ext+bytes([0x42,0xCC,64])+ffdst+m))
# 2: HC1 + HC_UDP, all addresses compressed, TF inline (misaligned), 4-bit ports, length elided
mac_s=bytes.fromhex("4188")+b"\x06"+bytes.fromhex("cdab0200 0100".replace(" ",""))
sip=bytes.fromhex("fe80000000000000000000fffe000001"); dip=bytes.fromhex("fe80000000000000000000fffe000002")
payload=b"hello"
tc,fl,sp,dp=0xb8,0x12345,0xF0B1,0xF0B2
ulen=8+len(payload)
uk=cks(sip,dip,17,struct.pack(">HHHH",sp,dp,ulen,0)+payload)
bits=(tc<<20|fl)  # 28 bits
v=(bits<<24)|((sp&15)<<20)|((dp&15)<<16)|uk   # 28+8+16=52
b=(v<<4).to_bytes(7,"big")
recs.append(fcs(mac_s+bytes([0x42,0xF3,0xE0,0x40])+b+payload))
# 3: FRAG1 (size 120, tag 0x1234) + HC1 as in 1
recs.append(fcs(mac_ext+struct.pack(">HH",0xC000|120,0x1234)+bytes([0x42,0xCC,64])+ffdst+m[:20]))
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 195))
    for r in recs:
        f.write(struct.pack("<IIII", 0, 0, len(r), len(r)) + r)
PY
"$dec" "$tmp/hc1.pcap" >"$tmp/hc1.tree"
"$dec" --json "$tmp/hc1.pcap" >"$tmp/hc1.json"
check "HC1: IPv6 header, ICMPv6 / RPL DIO, HC_UDP ports and FRAG1 label decoded, no error" \
  'grep -q "6LoWPAN HC1: fe80::212:4b00:0:1 -> ff02::1a, next header 58, hop limit 64" "$tmp/hc1.tree" &&
   grep -q "RPL DIO: instance 1, version 2, rank 256" "$tmp/hc1.tree" && grep -q "checksum 0x12f0 (correct)" "$tmp/hc1.tree" &&
   grep -q "UDP: source port 61617, destination port 61618, length 13, checksum 0xdf98" "$tmp/hc1.tree" &&
   grep -q "6LoWPAN FRAG1 (datagram size 120, tag 0x1234) HC1:" "$tmp/hc1.tree" && ! grep -q "reserved" "$tmp/hc1.tree" &&
   sed -n 2p "$tmp/hc1.json" | grep -q "\"6lowpan.hc1.encoding\":243,\"6lowpan.hc2.udp.encoding\":224,\"udp.srcport\":61617,\"udp.dstport\":61618,\"udp.length\":13,\"udp.checksum\":57240,\"ipv6.tclass\":184,\"ipv6.flow\":74565" &&
   ! grep -q "\"errors\":\[{" "$tmp/hc1.json"'

echo "1..$n"
exit $fail
