#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Stdlib-only builders for the dissector test captures.

IEEE 802.15.4-2015 Enhanced Beacons (§7.3.1, §7.4) carrying RFC 8137 IETF IEs with the
RFC 9032 §2 Join-Info subtype, and 6LoWPAN-IPHC (RFC 6282 §3) RPL DIOs (RFC 6550 §6.3.1)
carrying the Minimum Enrollment Priority option (draft-ietf-roll-enrollment-priority).
Link type 195 (FCS = CRC-16/KERMIT, little-endian) or 230 (no FCS).
"""
import struct

LINKTYPE_FCS = 195
LINKTYPE_NOFCS = 230
MEP_TYPE = 0x2A  # EK_MEP_TYPE_PROVISIONAL (provisional, not IANA-assigned)


def crc16_kermit(data):
    """IEEE 802.15.4-2015 §7.2.10 FCS: CRC-16/KERMIT (reflected 0x1021, init 0)."""
    crc = 0
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x8408 if crc & 1 else crc >> 1
    return crc


def pcap_bytes(frames, linktype=LINKTYPE_FCS):
    """Classic pcap (microsecond) file; frames are MAC frames without FCS.  A frame given as
    (frame, cut) is recorded with its last `cut` octets (FCS included) not captured."""
    out = [struct.pack('<IHHiIII', 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype)]
    for i, f in enumerate(frames):
        f, cut = f if isinstance(f, tuple) else (f, 0)
        if linktype == LINKTYPE_FCS:
            f = f + struct.pack('<H', crc16_kermit(f))
        cap = f[:len(f) - cut]
        out.append(struct.pack('<IIII', 1700000000 + i // 1000, (i % 1000) * 1000, len(cap), len(f)))
        out.append(cap)
    return b''.join(out)


def write_pcap(path, frames, linktype=LINKTYPE_FCS):
    with open(path, 'wb') as fh:
        fh.write(pcap_bytes(frames, linktype))


def pcap_records(path):
    """(link type, [(captured bytes, original length)]) of a classic pcap file."""
    with open(path, 'rb') as fh:
        data = fh.read()
    end = '<' if data[:4] in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
    lt = struct.unpack(end + 'I', data[20:24])[0]
    recs, off = [], 24
    while off + 16 <= len(data):
        incl, orig = struct.unpack(end + 'II', data[off + 8:off + 16])
        recs.append((data[off + 16:off + 16 + incl], orig))
        off += 16 + incl
    return lt, recs


def _block(kind, body):
    body += bytes(-len(body) % 4)
    return struct.pack('<II', kind, len(body) + 12) + body + struct.pack('<I', len(body) + 12)


def pcapng_bytes(records):
    """pcapng holding records (link type, captured bytes, original length) of any link
    types, one interface per link type: many captures' frames go to one tshark run (a
    tshark start costs far more than the frames), and frame.number i is records[i - 1]."""
    ifs, blocks = {}, []
    for lt, data, orig in records:
        if lt not in ifs:
            ifs[lt] = len(ifs)
            blocks.append(_block(1, struct.pack('<HHI', lt, 0, 0)))
    for i, (lt, data, orig) in enumerate(records):
        blocks.append(_block(6, struct.pack('<IIIII', ifs[lt], 0, i, len(data), orig) + data))
    shb = _block(0x0A0D0D0A, struct.pack('<IHHq', 0x1A2B3C4D, 1, 0, -1))
    return shb + b''.join(blocks)


def write_pcapng(path, records):
    with open(path, 'wb') as fh:
        fh.write(pcapng_bytes(records))


def ext_le(eui64):
    """EUI-64 (canonical, MSB first) -> on-air little-endian octets (802.15.4 §7.2.6)."""
    return bytes(reversed(eui64))


# ---- RFC 9032 §2 Join-Info content (subtype octet first) ----

def join_info(r=1, p=0, res=0, proxy=0x22, rank=0x010, pan=0x01, iid=b'', netid=b'',
              profile='rfc9032-literal', subtype=2):
    if profile == 'rfc9032-literal':
        # R(1) P(1) res(3) proxy(7) rank(12), MSB first (Figure 1 drawn row)
        w = (r << 23) | (p << 22) | ((res & 7) << 19) | ((proxy & 0x7F) << 12) | (rank & 0xFFF)
    else:
        # byte-aligned reading: R P res(6) | res(1) proxy(7) | rank(8)
        w = (r << 23) | (p << 22) | ((res & 0x7F) << 15) | ((proxy & 0x7F) << 8) | (rank & 0xFF)
    return bytes([subtype]) + w.to_bytes(3, 'big') + bytes([pan]) + iid + netid


def ietf_ie(content):
    """RFC 8137 §4: payload IE descriptor type=1, group 0x5, length = content length."""
    return struct.pack('<H', 0x8000 | (0x5 << 11) | len(content)) + content


def mlme_tsch_sync(asn=0x0000000100, join_metric=1):
    sub = struct.pack('<H', (0x1A << 8) | 6) + asn.to_bytes(5, 'little') + bytes([join_metric])
    return struct.pack('<H', 0x8000 | (0x1 << 11) | len(sub)) + sub


def eb(src_eui64, ietf_contents, pan=0xABCD, raw_ies=None):
    """Enhanced Beacon: FCF 0xEB40 (beacon, PAN ID compr., seq suppressed, IE present,
    dst short, 2015, src ext), dst PAN, dst 0xffff, src ext, HT1, MLME(TSCH sync), IETF IEs."""
    hdr = struct.pack('<HHH', 0xEB40, pan, 0xFFFF) + ext_le(src_eui64)
    hdr += struct.pack('<H', 0x7E << 7)  # HT1 header IE (§7.4.2.18)
    pl = mlme_tsch_sync()
    for c in ietf_contents:
        pl += ietf_ie(c)
    if raw_ies:
        pl += raw_ies
    return hdr + pl


# ---- RPL DIO over 6LoWPAN IPHC ----

def _csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def mep_option(body, length=None, opt_type=MEP_TYPE):
    return bytes([opt_type, len(body) if length is None else length]) + body


def dio(src_eui64, options, code=0x01, pan=0xABCD, seq=1):
    """802.15.4-2006 data frame (FCF 0xD841), IPHC TF=3 NH inline HLIM=255, SAM=3 (IID from
    MAC), M=1 DAM=3 (ff02::1a), ICMPv6 155/code DIO (RFC 6550 §6.3.1), options appended."""
    mac = struct.pack('<HBHH', 0xD841, seq & 0xFF, pan, 0xFFFF) + ext_le(src_eui64)
    iid = bytes([src_eui64[0] ^ 0x02]) + src_eui64[1:]
    src = bytes.fromhex('fe80000000000000') + iid
    dst = bytes.fromhex('ff02000000000000000000000000001a')
    dodagid = bytes.fromhex('fd000000000000000000000000000001')
    body = struct.pack('!BBHBBBB', 0x1E, 0xF0, 256, 0x10, 1, 0, 0) + dodagid + b''.join(options)
    if code & 0x80:
        # RFC 6550 §6.1 Security section: KIM=0 (group key, 1-octet Key Index), LVL=0
        # (MAC-32, not encrypted), counter 7, key index 1; a dummy 4-octet MAC trails the
        # message.  (KIM=0 because stock 4.0 reads KIM as `octet & 3`, an operator-precedence
        # slip in packet-icmpv6.c, and misaligns KIM 1/2.)
        body = bytes([0x00, 0x00, 0x00, 0x00]) + struct.pack('!I', 7) + b'\x01' + body + b'\xde\xad\xbe\xef'
    icmp = struct.pack('!BBH', 155, code, 0) + body
    pseudo = src + dst + struct.pack('!I3xB', len(icmp), 58)
    icmp = icmp[:2] + struct.pack('!H', _csum(pseudo + icmp)) + icmp[4:]
    iphc = bytes([0x7B, 0x3B, 58, 0x1A])
    return mac + iphc + icmp


def dodag_conf():
    """RFC 6550 §6.7.6 DODAG Configuration option (stock-decoded; proves later options parse)."""
    return bytes([0x04, 14, 0x00, 20, 3, 10, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0xFF, 0xFF, 0x00])


def sixp_ie(subtype):
    """RFC 8480 §3.2 6P ADD request: ver 0, type 0 (request), code 1 ADD, SFID, seqnum,
    metadata(2), cell options(1), numcells(1), one cell (4)."""
    return bytes([subtype, 0x00, 0x01, 0x00, 0x05]) + bytes([0x00, 0x00, 0x01, 0x01]) + \
        struct.pack('<HH', 5, 3)


NODE_A = bytes.fromhex('0012740000000001')
NODE_B = bytes.fromhex('0012740000000002')
NODE_C = bytes.fromhex('0012740000000003')
NETID8 = bytes.fromhex('a1b2c3d4e5f60718')
NETID16 = bytes.fromhex('00112233445566778899aabbccddeeff')
IID = bytes.fromhex('0200000000000001')


def eb_cases():
    """(name, frame, {field: expected -T fields value or None}) for the EB capture."""
    L = 'rfc9032-literal'
    return [
        ('p0_n0', eb(NODE_A, [join_info(proxy=0x22, rank=0x010, pan=0x01)]),
         dict(r='1', p='0', proxy_priority='34', rank_priority='16', pan_priority='1', join_proxy_iid='', network_id='')),
        ('p0_n8', eb(NODE_A, [join_info(proxy=0x25, rank=0x123, pan=0x11, netid=NETID8)]),
         dict(p='0', proxy_priority='37', rank_priority='291', pan_priority='17', network_id=NETID8.hex())),
        ('p1_n16', eb(NODE_A, [join_info(r=0, p=1, proxy=0x00, rank=0xFFF, pan=0xFF, iid=IID, netid=NETID16)]),
         dict(r='0', p='1', proxy_priority='0', rank_priority='4095', pan_priority='255',
              join_proxy_iid=IID.hex(), network_id=NETID16.hex())),
        ('multi', eb(NODE_B, [sixp_ie(1), join_info(proxy=0x30, pan=0x02, netid=NETID8), bytes([0x99, 1, 2, 3, 4, 5]),
                              sixp_ie(0xC9)]),
         dict(proxy_priority='48', pan_priority='2', network_id=NETID8.hex())),
        ('proxy7f', eb(NODE_A, [join_info(proxy=0x7F, netid=NETID8)]), dict(proxy_priority='127')),
        ('reserved', eb(NODE_A, [join_info(res=5, proxy=0x10)]), dict(reserved='5', proxy_priority='16')),
        # RFC 9032 §2 length 5 + 8*P + N with N <= 16 not met: the IE is ignored (no values)
        ('n17', eb(NODE_A, [join_info(netid=NETID16 + b'\x01')]), dict(proxy_priority='', network_id='')),
        ('p1_short', eb(NODE_A, [join_info(p=1, iid=IID[:5])]), dict(p='', proxy_priority='', join_proxy_iid='')),
        ('too_short', eb(NODE_A, [bytes([2, 0x82, 0x20])]), dict(proxy_priority='')),
        ('byte_aligned', eb(NODE_C, [join_info(proxy=0x22, rank=0x10, pan=1, netid=NETID8, profile='byte-aligned')]),
         dict()),  # decoded with -o enroll.ji_profile:byte-aligned in a separate check
    ]


def dio_cases():
    """(name, frame, mep_profile, expected) for the DIO capture (type 0x2A)."""
    dc = dodag_conf()
    return [
        ('d03', dio(NODE_A, [mep_option(bytes([0x40])), dc]), 'draft-03',
         dict(length='1', r='0', min_priority='64')),
        ('d04', dio(NODE_A, [mep_option(bytes([0x31, 0x23, 0x25])), dc]), 'draft-04',
         dict(length='3', exp='3', dodag_size_code='291', dodag_size=str(291 << 3), r='0', min_priority='37')),
        ('d09', dio(NODE_A, [mep_option(bytes([0xF0, 0x80 | 0x30, 0x21, 0x00])), dc]), 'draft-09',
         dict(length='4', version='240', t='1', min_priority='48', exp='2', dodag_size_code='256', dodag_size='1024')),
        ('d16', dio(NODE_A, [mep_option(bytes([0x05, 0x20, 0x3A])), dc]), 'draft-16',
         dict(length='3', version='5', t='0', min_priority='32', exp='3', dodag_size_code='10', dodag_size='80')),
        ('d16_erratum', dio(NODE_A, [mep_option(bytes([0x05, 0x20, 0x3A, 0x00])), dc]), 'draft-16',
         dict(length='4', version='5', min_priority='32', dodag_size='80')),
        ('min7f', dio(NODE_A, [mep_option(bytes([0x06, 0x7F, 0x00]))]), 'draft-16',
         dict(min_priority='127')),
        ('wrong_len', dio(NODE_A, [mep_option(bytes([0x06, 0x20])), dc]), 'draft-16',
         dict(length='2', min_priority='')),
        # longer than the layout (and not the -16 Length 4 form): ignored, not decoded
        ('long_len', dio(NODE_A, [mep_option(bytes([0x06, 0x20, 0x3A, 0x00, 0x00])), dc]), 'draft-16',
         dict(length='5', min_priority='', version='', dodag_size='')),
        ('d03_r', dio(NODE_A, [mep_option(bytes([0xC0]))]), 'draft-03',
         dict(r='1', min_priority='64')),
        ('secure_d16', dio(NODE_A, [mep_option(bytes([0x07, 0x21, 0x3A]))], code=0x81), 'draft-16',
         dict(length='3', version='7', min_priority='33')),
    ]


def cross_frames():
    """DIO from NODE_A (min 0x40), EB from NODE_A proxy 0x20 (below -> warning naming frame 1),
    EB from NODE_A proxy 0x50 (fine), EB from NODE_B proxy 0x10 (no DIO seen -> no warning)."""
    return [
        dio(NODE_A, [mep_option(bytes([0x01, 0x40, 0x11]))]),
        eb(NODE_A, [join_info(proxy=0x20, netid=NETID8)]),
        eb(NODE_A, [join_info(proxy=0x50, netid=NETID8)]),
        eb(NODE_B, [join_info(proxy=0x10, netid=NETID8)]),
        dio(NODE_A, [mep_option(bytes([0x02, 0x10, 0x11]))]),
        eb(NODE_A, [join_info(proxy=0x20, netid=NETID8)]),
    ]


def data_frame(src_eui64, seq):
    """Plain 6LoWPAN UDP datagram (RFC 6282 §3 IPHC TF=3 NH=1 HLIM=64, SAM=3 DAM=3 link-local,
    §4.3 UDP NHC with inline ports): the 'other traffic' of the benchmark mix."""
    mac = struct.pack('<HBHH', 0xD841, seq & 0xFF, 0xABCD, 0x0001) + ext_le(src_eui64)
    return mac + bytes([0x7E, 0x33, 0xF0, 0x40, 0x00, 0x40, 0x01, 0, 0]) + b'hello enrollkit'


if __name__ == '__main__':
    import sys
    d = sys.argv[1] if len(sys.argv) > 1 else '.'
    write_pcap(d + '/eb.pcap', [f for _, f, _ in eb_cases()])
    write_pcap(d + '/dio.pcap', [f for _, f, _, _ in dio_cases()])
    write_pcap(d + '/cross.pcap', cross_frames())
