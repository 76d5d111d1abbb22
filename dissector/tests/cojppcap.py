#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Builders for the CoJP (RFC 9031) dissector test captures.

IEEE 802.15.4 frames (link type 195) carrying 6LoWPAN IPHC (RFC 6282 §3.1) with the UDP
next-header compression (RFC 6282 §4.3) and CoAP (RFC 7252 §3) messages of the CoJP join
exchange (RFC 9031 §8.1): a pledge's Join Request to its Join Proxy (Uri-Host
"6tisch.arpa", Proxy-Scheme "coap", an OSCORE option whose kid context is the pledge
identifier, RFC 9031 §7.3 / §8.1.1), the Join Proxy's stateless forward to the JRC
(RFC 9031 §7.1: NON, the state in the token), the JRC's Join Response (RFC 9031 §8.1.2)
and its relay back to the pledge, plus Enhanced Beacons with Join-Info (RFC 9032 §2).

The OSCORE protection (RFC 8613 §5: HKDF-SHA256 context §3.2, AES-CCM-16-64-128, nonce
§5.2, AAD §5.4, plaintext §5.3) is computed with the `cryptography` module when it is
installed; the ciphertexts are also kept below as constants, so the captures can be built
without it (`python3 cojppcap.py --check` recomputes and compares them).  Wireshark's
own OSCORE dissector is the oracle: a wrong constant would not decrypt.
"""
import struct
import sys

import enrollpcap as ep

# ---- identities (RFC 9031 §3: PSK, pledge identifier = EUI-64) ----
PLEDGE_P = bytes.fromhex('00124b0000000a01')   # pledge whose context the UAT holds
PLEDGE_Q = bytes.fromhex('00124b0000000a02')   # pledge without a configured context
PLEDGE_R = bytes.fromhex('00124b0000000a03')   # pledge sending a malformed Join_Request
NODE_J = bytes.fromhex('0012740000000011')     # Join Proxy, proxy priority 0x22
NODE_X = bytes.fromhex('0012740000000012')     # node whose EB says proxy priority 0x7f
NODE_ROOT = bytes.fromhex('0012740000000001')  # next hop towards the JRC (6LBR)
PSK = bytes.fromhex('000102030405060708090a0b0c0d0e0f')
JRC_ID = b'JRC'                                 # RFC 9031 §7.3: 0x4a5243
NETID = bytes.fromhex('a1b2c3d4e5f60718')
PREFIX = bytes.fromhex('fd00000000000000')
JRC_ADDR = PREFIX + bytes.fromhex('0000000000000001')
KEY1 = bytes.fromhex('11111111111111111111111111111111')
KEY2 = bytes.fromhex('22222222222222222222222222222222')
BANNED = bytes.fromhex('00124b00000000ff')
COAP_PORT = 5683

# ---- minimal CBOR encoder (RFC 8949 §3: definite lengths only) ----


def _head(major, n):
    if n < 24:
        return bytes([(major << 5) | n])
    if n < 0x100:
        return bytes([(major << 5) | 24, n])
    if n < 0x10000:
        return bytes([(major << 5) | 25]) + struct.pack('!H', n)
    return bytes([(major << 5) | 26]) + struct.pack('!I', n)


def cbor(v):
    if v is None:
        return b'\xf6'
    if isinstance(v, int):
        return _head(0, v) if v >= 0 else _head(1, -1 - v)
    if isinstance(v, bytes):
        return _head(2, len(v)) + v
    if isinstance(v, str):
        return _head(3, len(v.encode())) + v.encode()
    if isinstance(v, list):
        return _head(4, len(v)) + b''.join(cbor(x) for x in v)
    if isinstance(v, dict):
        return _head(5, len(v)) + b''.join(cbor(k) + cbor(x) for k, x in v.items())
    raise TypeError(v)


def cbor_seq(*items):
    """RFC 8742 sequence: used inside arrays for Link_Layer_Key (RFC 9031 §8.4.3)."""
    return b''.join(cbor(x) for x in items)


# RFC 9031 §8.4.1 Join_Request {1: role, 5: network identifier}
JOIN_REQUEST = cbor({1: 0, 5: NETID})
# RFC 9031 §8.4.2 Configuration: 2 link-layer key set = [key_id, key_usage, key_value,
# key_id, key_value] (two Link_Layer_Key sequences, the second without key_usage),
# 3 short identifier [identifier, lease_time], 4 JRC address, 6 blacklist, 7 join rate.
CONFIGURATION = _head(5, 5) + \
    cbor(2) + _head(4, 5) + cbor_seq(1, 1, KEY1, 2, KEY2) + \
    cbor(3) + cbor([bytes.fromhex('0001'), 12]) + \
    cbor(4) + cbor(JRC_ADDR) + \
    cbor(6) + cbor([BANNED]) + \
    cbor(7) + cbor(5)
# hostile: a map whose network identifier claims 2^32-1 octets (RFC 8949 §3.1 head, 4-octet length)
BAD_JOIN_REQUEST = bytes.fromhex('a2010105') + b'\x5a\xff\xff\xff\xff' + b'\x00\x01'

# ---- OSCORE (RFC 8613), computed when `cryptography` is there ----


def oscore_keys(pledge_id):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    def derive(ident, typ, length):
        info = cbor([ident, pledge_id, 10, typ, length])  # RFC 8613 §3.2.1
        return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(PSK)
    return derive(b'', 'Key', 16), derive(JRC_ID, 'Key', 16), derive(b'', 'IV', 13)


def oscore_nonce(common_iv, id_piv, piv):
    """RFC 8613 §5.2: S | ID_PIV left-padded to 7 | PIV left-padded to 5, XOR Common IV."""
    block = bytes([len(id_piv)]) + id_piv.rjust(7, b'\0') + piv.rjust(5, b'\0')
    return bytes(a ^ b for a, b in zip(block, common_iv))


def oscore_protect(pledge_id, piv, plaintext, response):
    from cryptography.hazmat.primitives.ciphers.aead import AESCCM
    sender_key, recipient_key, common_iv = oscore_keys(pledge_id)
    # RFC 8613 §5.4: external_aad = [1, [alg], request_kid, request_piv, options]
    ext = cbor([1, [10], b'', piv, b''])
    aad = cbor(['Encrypt0', b'', ext])
    nonce = oscore_nonce(common_iv, b'', piv)  # response without PIV: the request nonce (§8.3)
    key = recipient_key if response else sender_key
    return AESCCM(key, tag_length=8).encrypt(nonce, plaintext, aad)


def plaintexts():
    """RFC 8613 §5.3 plaintext: inner Code, Class E options, 0xFF, payload."""
    req = bytes([0x02, 0xB1]) + b'j' + b'\xff'   # POST, Uri-Path (11) "j" (RFC 9031 §8.1.1)
    rsp = bytes([0x44, 0xFF])                     # 2.04 Changed (RFC 9031 §8.1.2)
    return {
        'req_p': (PLEDGE_P, b'\x01', req + JOIN_REQUEST, False),
        'rsp_p': (PLEDGE_P, b'\x01', rsp + CONFIGURATION, True),
        'req_q': (PLEDGE_Q, b'\x05', req + cbor({1: 1, 5: NETID}), False),
        'req_r': (PLEDGE_R, b'\x02', req + BAD_JOIN_REQUEST, False),
    }


# Kept so the captures build without `cryptography`; --check recomputes them.
CIPHERTEXTS = {
    'req_p': '0e24216cc5968fc8d274a8dbc345dd92eca4200bcc92443ac2',
    'rsp_p': ('706be81bd7fc07cb3dfc52fe02041a1607f23785f27b91bf686d7eeaee40c2803046034e9cb67acb'
             '4c260ee2bd6596ce55361846974cb3f970467d3b02dd61c24b5c41ffc855bbedb39a0b95cd5ddd0b'
             'c249b9c3b84b5e'),
    'req_q': '1097d497a0f6bfbe96fe6018b3f395a6ccfd1a3ec30d07efc2',
    'req_r': '253b0b261d58797d14cca058e9df3114f7fcf43084b14a',
}


def ciphertext(name):
    if CIPHERTEXTS.get(name):
        return bytes.fromhex(CIPHERTEXTS[name])
    pid, piv, pt, rsp = plaintexts()[name]
    return oscore_protect(pid, piv, pt, rsp)


# ---- CoAP (RFC 7252 §3) ----


def coap_options(opts):
    """opts: [(number, value)], sorted here; RFC 7252 §3.1 delta/length nibbles and extensions."""
    out, last = b'', 0
    for num, val in sorted(opts, key=lambda o: o[0]):
        d, n = num - last, len(val)
        last = num

        def nib(x):
            return (x, b'') if x < 13 else ((13, bytes([x - 13])) if x < 269 else (14, struct.pack('!H', x - 269)))
        dn, de = nib(d)
        ln, le = nib(n)
        out += bytes([(dn << 4) | ln]) + de + le + val
    return out


def oscore_option(piv=b'', kid_context=None, kid=None):
    """RFC 8613 §6.1: flags 0|0|0|h|k|n(3), Partial IV, s + kid context, kid; empty when all absent."""
    if not piv and kid_context is None and kid is None:
        return b''
    flags = len(piv) | (0x08 if kid is not None else 0) | (0x10 if kid_context is not None else 0)
    v = bytes([flags]) + piv
    if kid_context is not None:
        v += bytes([len(kid_context)]) + kid_context
    return v + (kid or b'')


def coap(mtype, code, mid, token, opts, payload=b''):
    """RFC 7252 §3: Ver 1 | T | TKL, Code, Message ID, Token, options, 0xFF, payload."""
    return bytes([0x40 | (mtype << 4) | len(token), code]) + struct.pack('!H', mid) + token + \
        coap_options(opts) + ((b'\xff' + payload) if payload else b'')


CON, NON, ACK = 0, 1, 2
OPT_URI_HOST, OPT_OSCORE, OPT_PROXY_SCHEME = 3, 9, 39


def join_request_outer(name, pledge_id, piv, mtype, mid, token, proxy_scheme=True, host=b'6tisch.arpa'):
    """Unprotected outer message of a protected request (RFC 8613 §4.2: outer Code POST)."""
    opts = [(OPT_URI_HOST, host), (OPT_OSCORE, oscore_option(piv, pledge_id, b''))]
    if proxy_scheme:
        opts.append((OPT_PROXY_SCHEME, b'coap'))
    return coap(mtype, 0x02, mid, token, opts, ciphertext(name))


def join_response_outer(name, mtype, mid, token):
    """RFC 8613 §4.2: outer Code 2.04 Changed; the OSCORE option is empty (no PIV, §6.1)."""
    return coap(mtype, 0x44, mid, token, [(OPT_OSCORE, b'')], ciphertext(name))


# ---- 6LoWPAN (RFC 6282) + IEEE 802.15.4 data frames ----


def _ll(eui64):
    return bytes.fromhex('fe80000000000000') + bytes([eui64[0] ^ 0x02]) + eui64[1:]


def glob(eui64):
    return PREFIX + bytes([eui64[0] ^ 0x02]) + eui64[1:]


def udp_frame(src_mac, dst_mac, src_ip, dst_ip, sport, dport, payload, seq=1, pan=0xABCD):
    """802.15.4-2006 data frame, PAN ID compression, extended dst and src (FCF 0xDC61,
    IEEE 802.15.4-2015 §7.2.1), IPHC (RFC 6282 §3.1.1: TF=3, NH=1, HLIM=0: 64 inline); a
    link-local address derived from the MAC is elided (SAM/DAM=3), any other is inline
    (SAM/DAM=0); UDP NHC 11110000 (§4.3.3: ports and checksum inline).  The Hop Limit is
    inline (HLIM=00): with IPHC octet 0x7E, Wireshark 4.4's RF4CE heuristic claims the frame
    (its frame-type bits read 2, "command"); 0x7C reads as a reserved type and is left alone."""
    mac = struct.pack('<HBH', 0xDC61, seq & 0xFF, pan) + ep.ext_le(dst_mac) + ep.ext_le(src_mac)
    sam = 3 if src_ip == _ll(src_mac) else 0
    dam = 3 if dst_ip == _ll(dst_mac) else 0
    iphc = bytes([0x7C, (sam << 4) | dam])  # 011 TF=11 NH=1 HLIM=00 | CID=0 SAC=0 SAM M=0 DAC=0 DAM
    inline = b'\x40' + (b'' if sam == 3 else src_ip) + (b'' if dam == 3 else dst_ip)  # §3.2.1 order
    ulen = 8 + len(payload)
    pseudo = src_ip + dst_ip + struct.pack('!I3xB', ulen, 17)
    csum = ep._csum(pseudo + struct.pack('!HHHH', sport, dport, ulen, 0) + payload) or 0xFFFF
    return mac + iphc + inline + bytes([0xF0]) + struct.pack('!HHH', sport, dport, csum) + payload


def frames():
    """(frames, expectations) of the CoJP capture.  Expectations per frame number:
    enroll.cojp.* value strings as tshark -T fields prints them (with the UAT)."""
    tok_p, tok_j = bytes.fromhex('a1b2'), bytes.fromhex('5701000102030405')  # the JP's state object
    f = []
    f.append(ep.eb(NODE_J, [ep.join_info(proxy=0x22, netid=NETID)]))                        # 1
    f.append(udp_frame(PLEDGE_P, NODE_J, _ll(PLEDGE_P), _ll(NODE_J), 40001, COAP_PORT,
                       join_request_outer('req_p', PLEDGE_P, b'\x01', CON, 0x1001, tok_p)))  # 2
    f.append(udp_frame(NODE_J, NODE_ROOT, glob(NODE_J), JRC_ADDR, COAP_PORT, COAP_PORT,
                       join_request_outer('req_p', PLEDGE_P, b'\x01', NON, 0x2001, tok_j, proxy_scheme=False),
                       seq=2))                                                                # 3 (JP -> JRC)
    f.append(udp_frame(NODE_ROOT, NODE_J, JRC_ADDR, glob(NODE_J), COAP_PORT, COAP_PORT,
                       join_response_outer('rsp_p', NON, 0x3001, tok_j), seq=3))              # 4 (JRC -> JP)
    f.append(udp_frame(NODE_J, PLEDGE_P, _ll(NODE_J), _ll(PLEDGE_P), COAP_PORT, 40001,
                       join_response_outer('rsp_p', ACK, 0x1001, tok_p), seq=4))              # 5 (JP -> pledge)
    f.append(ep.eb(NODE_X, [ep.join_info(proxy=0x7F, netid=NETID)]))                        # 6
    f.append(udp_frame(NODE_X, NODE_ROOT, glob(NODE_X), JRC_ADDR, COAP_PORT, COAP_PORT,
                       join_request_outer('req_q', PLEDGE_Q, b'\x05', NON, 0x2002, bytes.fromhex('5702')),
                       seq=5))                                                                # 7 (X forwards: warn)
    f.append(ep.eb(NODE_X, [ep.join_info(proxy=0x30, netid=NETID)]))                        # 8
    f.append(udp_frame(NODE_X, NODE_ROOT, glob(NODE_X), JRC_ADDR, COAP_PORT, COAP_PORT,
                       join_request_outer('req_q', PLEDGE_Q, b'\x05', NON, 0x2003, bytes.fromhex('5703')),
                       seq=6))                                                                # 9: no warning
    f.append(udp_frame(PLEDGE_P, NODE_J, _ll(PLEDGE_P), _ll(NODE_J), 40002, COAP_PORT,
                       coap(CON, 0x02, 0x1002, b'\x01', [(OPT_URI_HOST, b'example.com')], b'\x01\x02\x03'),
                       seq=7))                                                                # 10: not CoJP
    f.append(udp_frame(PLEDGE_R, NODE_J, _ll(PLEDGE_R), _ll(NODE_J), 40003, COAP_PORT,
                       join_request_outer('req_r', PLEDGE_R, b'\x02', CON, 0x1003, b'\x03'),
                       seq=8))                                                                # 11: hostile CBOR
    return f


def hostile_frames(n, seed=1):
    """n Join Requests of pledge P, each properly protected (so Wireshark decrypts them and
    the tag verifies) around a hostile CBOR payload: the CoJP objects with random octets
    flipped, cut or repeated, deep nesting, huge lengths, indefinite lengths, reserved
    values, random octets.  Needs `cryptography`."""
    import random
    rnd = random.Random(seed)
    base = [JOIN_REQUEST, CONFIGURATION, BAD_JOIN_REQUEST,
            bytes.fromhex('a108') + cbor([0, 2, None, 1, 7, [1, 2]]),           # unsupported configuration
            b'\xa1\x02' + b'\x81' * 40 + b'\x00',                              # nesting deeper than followed
            bytes.fromhex('a1029b7fffffffffffffff00'),                         # key set of 2^63-1 elements
            bytes.fromhex('bf0102ff'), bytes.fromhex('a1059f40ff'),               # indefinite lengths
            bytes.fromhex('a1011c'), bytes.fromhex('a1c1c1c10100'), bytes.fromhex('a0')]
    req = bytes([0x02, 0xB1]) + b'j' + b'\xff'
    out = []
    for i in range(n):
        b = bytearray(rnd.choice(base))
        op = rnd.randrange(4)
        if op == 0 and b:
            for _ in range(rnd.randrange(1, 4)):
                b[rnd.randrange(len(b))] = rnd.randrange(256)
        elif op == 1 and len(b) > 1:
            b = b[:rnd.randrange(1, len(b))]  # not empty: an empty payload never reaches the walker
        elif op == 2:
            b = bytearray(rnd.randrange(256) for _ in range(rnd.randrange(1, 60)))
        piv = struct.pack('!H', i + 1).lstrip(b'\0')
        ct = oscore_protect(PLEDGE_P, piv, req + bytes(b), False)
        msg = coap(CON, 0x02, i & 0xFFFF, struct.pack('!H', i), [(OPT_URI_HOST, b'6tisch.arpa'),
                   (OPT_OSCORE, oscore_option(piv, PLEDGE_P, b'')), (OPT_PROXY_SCHEME, b'coap')], ct)
        out.append(udp_frame(PLEDGE_P, NODE_J, _ll(PLEDGE_P), _ll(NODE_J), 40001, COAP_PORT, msg, seq=i))
    return out


def uat_lines():
    """Wireshark's oscore_contexts UAT (packet-oscore.c 4.0: Sender ID, Recipient ID,
    Master Secret, Master Salt, ID Context, Algorithm), one row per pledge, as the pledge's
    context (RFC 9031 §7.3: Sender ID "" (pledge), Recipient ID "JRC", ID Context = pledge ID)."""
    return ''.join('"","%s","%s","","%s","AES-CCM-16-64-128 (CCM*)"\n' % (JRC_ID.hex(), PSK.hex(), p.hex())
                   for p in (PLEDGE_P, PLEDGE_R))


def check():
    """Recompute every ciphertext with `cryptography` and compare with the constants."""
    bad = 0
    for name in plaintexts():
        pid, piv, pt, rsp = plaintexts()[name]
        got = oscore_protect(pid, piv, pt, rsp).hex()
        if CIPHERTEXTS.get(name) != got:
            print("    '%s': '%s'," % (name, got))
            bad += 1
    return bad


if __name__ == '__main__':
    if sys.argv[1:2] == ['--check']:
        sys.exit(1 if check() else 0)
    d = sys.argv[1] if len(sys.argv) > 1 else '.'
    ep.write_pcap(d + '/cojp.pcap', frames())
    with open(d + '/oscore_contexts', 'w') as fh:
        fh.write(uat_lines())
