#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Oracle test: every well-formed vector pcap decoded by stock tshark 4.0 and by
enroll-decode --json (docs/vectors.md).  (a) tshark shows no Malformed/Error/Warning/Note
expert info beyond the explicitly allowed "undecoded" messages; (b) the fields below
agree between the two decoders; (c) enroll-decode --json shows every expectation of the
manifest (the .expect file written by `ek-vectors pcap`).  A vector's 6LoWPAN contexts
(.expect lines context.N=PREFIX/LEN, from the manifest's profile.contexts) go to both
decoders: tshark -o 6lowpan.contextN:PREFIX/LEN, enroll-decode --context N=PREFIX/LEN.
Secured vectors (.expect lines key.N=HEX,INDEX and mic=verified|rejected, from the
manifest's profile.keys) run under tshark with those keys in the ieee802154_keys UAT:
mic=verified must show wpan.key_number (tshark verified the MIC) and tshark's decrypted
fields must equal the manifest's plaintext expectations; mic=rejected (the malformed
MIC-flipped twins) must not show wpan.key_number and must show tshark's "can't decrypt".
Prints TAP; exit 1 on any mismatch.  python3 stdlib only.

usage: oracle.py --tshark T --enroll-decode E --ek-vectors V --manifests DIR --out DIR
                 [--sidecar FILE] [--jobs N]
"""
import argparse
import concurrent.futures as cf
import fnmatch
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import tshark_info  # noqa: E402  (tests/tshark_info.py)

# tshark field -> (enroll-decode --json key, converter of the tshark text to the JSON value)
def _int(s):
    return int(s, 0)

def _bool01(s):
    return s in ("1", "True", "true")

def _hex(s):
    return s.replace(":", "").lower()

# Every field stock tshark decodes at a layer enroll-decode decodes too.  Each entry:
# (tshark field name, or a tuple of the names it has had across releases, the first one
# this tshark registers is used; json key; tshark text -> JSON value; layer).  A JSON list
# is compared with all of tshark's occurrences in order; otherwise tshark must show one.
# Renderings that differ by release are normalised here: booleans are "1"/"0" in 4.0 and
# "True"/"False" on 4.4 and 4.6 (_bool01); integers may be decimal or 0x-hex (_int); bytes
# may carry ':' separators (_hex).
FIELDS = [
    # ZEP v1 / v2 header (Wireshark packet-zep.c)
    ("zep.version", "zep.version", _int, "zep"),
    ("zep.type", "zep.type", _int, "zep"),
    ("zep.channel_id", "zep.channel_id", _int, "zep"),
    ("zep.device_id", "zep.device_id", _int, "zep"),
    ("zep.lqi_mode", "zep.lqi_mode", _bool01, "zep"),
    ("zep.lqi", "zep.lqi", _int, "zep"),
    ("zep.seqno", "zep.seqno", _int, "zep"),
    ("zep.length", "zep.length", _int, "zep"),
    # IEEE 802.15.4-2015 §7.2.1 Frame Control, §7.2.2 Sequence Number, §7.2.4-7.2.5 addressing
    ("wpan.fcs_ok", "wpan.fcs_ok", _bool01, "mac"),
    ("wpan.frame_type", "wpan.frame_type", _int, "mac"),
    ("wpan.version", "wpan.version", _int, "mac"),
    ("wpan.security", "wpan.security", _bool01, "mac"),
    ("wpan.pending", "wpan.pending", _bool01, "mac"),
    ("wpan.ack_request", "wpan.ack_request", _bool01, "mac"),
    ("wpan.pan_id_compression", "wpan.pan_id_compression", _bool01, "mac"),
    ("wpan.seqno_suppression", "wpan.seqno_suppression", _bool01, "mac"),
    ("wpan.ie_present", "wpan.ie_present", _bool01, "mac"),
    ("wpan.dst_addr_mode", "wpan.dst_addr_mode", _int, "mac"),
    ("wpan.src_addr_mode", "wpan.src_addr_mode", _int, "mac"),
    ("wpan.seq_no", "wpan.seq_no", _int, "mac"),
    ("wpan.dst_pan", "wpan.dst_pan", _int, "mac"),
    ("wpan.dst16", "wpan.dst16", _int, "mac"),
    ("wpan.dst64", "wpan.dst64", str.lower, "mac"),
    ("wpan.src_pan", "wpan.src_pan", _int, "mac"),
    ("wpan.src16", "wpan.src16", _int, "mac"),
    ("wpan.src64", "wpan.src64", str.lower, "mac"),
    # §9.4 Auxiliary Security Header
    ("wpan.aux_sec.sec_level", "wpan.aux_sec.sec_level", _int, "mac"),
    ("wpan.aux_sec.key_id_mode", "wpan.aux_sec.key_id_mode", _int, "mac"),
    ("wpan.aux_sec.frame_counter_suppression", "wpan.aux_sec.frame_counter_suppression", _bool01, "mac"),
    ("wpan.aux_sec.asn_in_nonce", "wpan.aux_sec.asn_in_nonce", _bool01, "mac"),
    ("wpan.aux_sec.frame_counter", "wpan.aux_sec.frame_counter", _int, "mac"),
    ("wpan.aux_sec.key_index", "wpan.aux_sec.key_index", _int, "mac"),
    # §7.4 IEs: ids and lengths in wire order (terminators included); §7.4.4 TSCH
    # sub-IEs.  (Stock 4.0 shows no wpan.ietf_ie.sub_id for the RFC 8137 Sub-IDs it does
    # not decode, 4.4 shows every one: ietf_sub_ids is not compared.)
    ("wpan.header_ie.id", "wpan.header_ie.id", _int, "ie"),
    ("wpan.header_ie.length", "wpan.header_ie.length", _int, "ie"),
    ("wpan.payload_ie.id", "wpan.payload_ie.id", _int, "ie"),
    ("wpan.payload_ie.length", "wpan.payload_ie.length", _int, "ie"),
    ("wpan.tsch.asn", "wpan.tsch.asn", _int, "ie"),
    ("wpan.tsch.join_metric", "wpan.tsch.join_metric", _int, "ie"),
    ("wpan.tsch.timeslot.id", "wpan.tsch.timeslot.id", _int, "ie"),
    ("wpan.tsch.hopping_sequence_id", "wpan.tsch.hopping_sequence_id", _int, "ie"),
    ("wpan.tsch.slotframe_num", "wpan.tsch.slotframe_num", _int, "ie"),
    ("wpan.tsch.slotframe_handle", "wpan.tsch.slotframe_handle", _int, "ie"),
    ("wpan.tsch.slotframe_size", "wpan.tsch.slotframe_size", _int, "ie"),
    ("wpan.tsch.nb_links", "wpan.tsch.nb_links", _int, "ie"),
    ("wpan.tsch.link_timeslot", "wpan.tsch.link_timeslot", _int, "ie"),
    ("wpan.tsch.channel_offset", "wpan.tsch.channel_offset", _int, "ie"),
    ("wpan.tsch.link_options", "wpan.tsch.link_options", _int, "ie"),
    # RFC 6282 §3.1.1 IPHC encoding
    ("6lowpan.iphc.tf", "6lowpan.iphc.tf", _int, "net"),
    ("6lowpan.iphc.nh", "6lowpan.iphc.nh", _bool01, "net"),
    ("6lowpan.iphc.hlim", "6lowpan.iphc.hlim", _int, "net"),
    ("6lowpan.iphc.cid", "6lowpan.iphc.cid", _bool01, "net"),
    ("6lowpan.iphc.sac", "6lowpan.iphc.sac", _bool01, "net"),
    ("6lowpan.iphc.sam", "6lowpan.iphc.sam", _int, "net"),
    ("6lowpan.iphc.m", "6lowpan.iphc.m", _bool01, "net"),
    ("6lowpan.iphc.dac", "6lowpan.iphc.dac", _bool01, "net"),
    ("6lowpan.iphc.dam", "6lowpan.iphc.dam", _int, "net"),
    # RFC 8200 §3, the innermost IPv6 header (ZEP over IPv6 shows the carrier's first)
    ("ipv6.src", "ipv6.src", str.lower, "net-last"),
    ("ipv6.dst", "ipv6.dst", str.lower, "net-last"),
    ("ipv6.tclass", "ipv6.tclass", _int, "net-last"),
    ("ipv6.flow", "ipv6.flow", _int, "net-last"),
    ("ipv6.nxt", "ipv6.nxt", _int, "net-last"),
    ("ipv6.hlim", "ipv6.hlim", _int, "net-last"),
    # RFC 768 UDP (inline or RFC 6282 §4.3 compressed)
    ("udp.srcport", "udp.srcport", _int, "udp-last"),
    ("udp.dstport", "udp.dstport", _int, "udp-last"),
    ("udp.length", "udp.length", _int, "udp-last"),
    ("udp.checksum", "udp.checksum", _int, "udp-last"),
    # RFC 4443 §2.1; the status values are epan/proto.h's (0 wrong, 1 correct, 2 not checked)
    ("icmpv6.type", "icmpv6.type", _int, "net"),
    ("icmpv6.code", "icmpv6.code", _int, "net"),
    ("icmpv6.checksum", "icmpv6.checksum", _int, "net"),
    ("icmpv6.checksum.status", "icmpv6.checksum.status", _int, "net"),
    # RFC 6550 §6.3.1 DIO, §6.4.1 DAO
    ("icmpv6.rpl.dio.instance", "icmpv6.rpl.dio.instance", _int, "net"),
    ("icmpv6.rpl.dio.version", "icmpv6.rpl.dio.version", _int, "net"),
    ("icmpv6.rpl.dio.rank", "icmpv6.rpl.dio.rank", _int, "net"),
    ("icmpv6.rpl.dio.flag.g", "icmpv6.rpl.dio.flag.g", _bool01, "net"),
    ("icmpv6.rpl.dio.flag.mop", "icmpv6.rpl.dio.flag.mop", _int, "net"),
    ("icmpv6.rpl.dio.flag.preference", "icmpv6.rpl.dio.flag.preference", _int, "net"),
    ("icmpv6.rpl.dio.dtsn", "icmpv6.rpl.dio.dtsn", _int, "net"),
    ("icmpv6.rpl.dio.dagid", "icmpv6.rpl.dio.dagid", str.lower, "net"),
    ("icmpv6.rpl.dao.instance", "icmpv6.rpl.dao.instance", _int, "net"),
    ("icmpv6.rpl.dao.flag.k", "icmpv6.rpl.dao.flag.k", _bool01, "net"),
    ("icmpv6.rpl.dao.flag.d", "icmpv6.rpl.dao.flag.d", _bool01, "net"),
    ("icmpv6.rpl.dao.sequence", "icmpv6.rpl.dao.sequence", _int, "net"),
    ("icmpv6.rpl.dao.dodagid", "icmpv6.rpl.dao.dodagid", str.lower, "net"),
    # §6.7.1 every option's Type and Length (Pad1, §6.7.2, has no Length)
    ("icmpv6.rpl.opt.type", "icmpv6.rpl.opt.type", _int, "net"),
    ("icmpv6.rpl.opt.length", "icmpv6.rpl.opt.length", _int, "net"),
    # §6.7.6 DODAG Configuration
    ("icmpv6.rpl.opt.config.auth", "icmpv6.rpl.opt.config.auth", _bool01, "net"),
    ("icmpv6.rpl.opt.config.pcs", "icmpv6.rpl.opt.config.pcs", _int, "net"),
    ("icmpv6.rpl.opt.config.interval_double", "icmpv6.rpl.opt.config.interval_double", _int, "net"),
    ("icmpv6.rpl.opt.config.interval_min", "icmpv6.rpl.opt.config.interval_min", _int, "net"),
    ("icmpv6.rpl.opt.config.redundancy", "icmpv6.rpl.opt.config.redundancy", _int, "net"),
    ("icmpv6.rpl.opt.config.max_rank_inc", "icmpv6.rpl.opt.config.max_rank_inc", _int, "net"),
    ("icmpv6.rpl.opt.config.min_hop_rank_inc", "icmpv6.rpl.opt.config.min_hop_rank_inc", _int, "net"),
    ("icmpv6.rpl.opt.config.ocp", "icmpv6.rpl.opt.config.ocp", _int, "net"),
    ("icmpv6.rpl.opt.config.def_lifetime", "icmpv6.rpl.opt.config.def_lifetime", _int, "net"),
    ("icmpv6.rpl.opt.config.lifetime_unit", "icmpv6.rpl.opt.config.lifetime_unit", _int, "net"),
    # §6.7.10 Prefix Information (Wireshark 4.0 to 4.6 register its A and R flags under .config.flag)
    ("icmpv6.rpl.opt.prefix.length", "icmpv6.rpl.opt.prefix.length", _int, "net"),
    ("icmpv6.rpl.opt.prefix.flag.l", "icmpv6.rpl.opt.prefix.flag.l", _bool01, "net"),
    ("icmpv6.rpl.opt.config.flag.a", "icmpv6.rpl.opt.config.flag.a", _bool01, "net"),
    ("icmpv6.rpl.opt.config.flag.r", "icmpv6.rpl.opt.config.flag.r", _bool01, "net"),
    ("icmpv6.rpl.opt.prefix.valid_lifetime", "icmpv6.rpl.opt.prefix.valid_lifetime", _int, "net"),
    ("icmpv6.rpl.opt.prefix.preferred_lifetime", "icmpv6.rpl.opt.prefix.preferred_lifetime", _int, "net"),
    ("icmpv6.rpl.opt.prefix", "icmpv6.rpl.opt.prefix", str.lower, "net"),
    # §6.7.5 Route Information
    ("icmpv6.rpl.opt.route.prefix_length", "icmpv6.rpl.opt.route.prefix_length", _int, "net"),
    ("icmpv6.rpl.opt.route.pref", "icmpv6.rpl.opt.route.pref", _int, "net"),
    ("icmpv6.rpl.opt.route.lifetime", "icmpv6.rpl.opt.route.lifetime", _int, "net"),
    ("icmpv6.rpl.opt.route.prefix", "icmpv6.rpl.opt.route.prefix", str.lower, "net"),
    # §6.7.7 RPL Target, §6.7.8 Transit Information (no vector has the non-storing
    # Parent Address, so transit_parent is not in the table)
    ("icmpv6.rpl.opt.target.prefix_length", "icmpv6.rpl.opt.target.prefix_length", _int, "net"),
    ("icmpv6.rpl.opt.target.prefix", "icmpv6.rpl.opt.target.prefix", str.lower, "net"),
    ("icmpv6.rpl.opt.transit.flag.e", "icmpv6.rpl.opt.transit.flag.e", _bool01, "net"),
    ("icmpv6.rpl.opt.transit.pathctl", "icmpv6.rpl.opt.transit.pathctl", _int, "net"),
    ("icmpv6.rpl.opt.transit.pathseq", "icmpv6.rpl.opt.transit.pathseq", _int, "net"),
    ("icmpv6.rpl.opt.transit.pathlifetime", "icmpv6.rpl.opt.transit.pathlifetime", _int, "net"),
]
MIN_FIELDS = 40  # distinct tshark fields the oracle must have compared
META_KEYS = {"id", "linktype", "wellformed", "profile_ep", "profile_ie", "ep_type", "mic"}
# Expectations enroll-decode (which has no keys) can show for a secured frame: the MAC header.
MAC_KEYS = {"wpan.fcs_ok", "wpan.frame_type", "wpan.seq_no", "wpan.dst_pan", "wpan.dst16", "wpan.dst64", "wpan.src_pan", "wpan.src16", "wpan.src64"}
NO_KEY_MSG = "No encryption key set - can't decrypt"

# Expert infos stock tshark 4.0.17 may show on a well-formed vector, with the reason.
# Severity/group values are epan/proto.h PI_* constants.
PI_NOTE, PI_WARN = 0x00400000, 0x00600000
PI_UNDECODED = 0x05000000
ALLOWED = [
    # The Minimum Enrollment Priority option (type 0x2A = 42, provisional) and the unknown
    # option of dio-opt-unknown have no dissector in 4.0: the option is skipped by length
    # (docs/wireshark.md).
    (PI_NOTE, PI_UNDECODED,
     re.compile(r"Dissector for ICMPv6 RPL Option \(\d+\) code not implemented, "
                r"Contact Wireshark developers if you want this supported$")),
    # MAC-secured frames: no key is configured (crypto is out of scope for the vectors).
    (PI_WARN, PI_UNDECODED, re.compile(r"No encryption key set - can't decrypt$")),
]
# RFC 9032 Join-Info / 6P / unknown IETF IE subtype content: 4.0.17 swallows it silently
# (no expert item), so no entry is needed for it.

BASE_TSHARK_OPTS = [
    "-o", "wpan.802154_fcs_ok:FALSE",   # dissect the payload even if the FCS is bad
]


PI_PROTOCOL = 0x09000000
# Stock 4.4 and later hand every IETF IE to the 6top dissector, whatever its sub-ID
# (packet-ieee802154.c dissect_ietf_ie; tests/tshark_info.py): a Join-Info or unknown
# sub-ID IE is read as a 6P message.  Allowed only on such releases.
STOCK_6TOP_MISREAD = [
    (PI_WARN, PI_PROTOCOL, re.compile(r"Unsupported 6top command$")),
    (PI_WARN, PI_PROTOCOL, re.compile(r"Unexpected extra content for IE payload$")),
]


def stock_only_opts(tshark, env):
    """Options that keep our own plugin out of the oracle.  The configuration is private
    and empty, but a system-wide install of the plugin would still load; tshark 4.0
    ignores --disable-protocol for an unknown protocol, 4.4 refuses to start
    (tests/tshark_info.py), so the option is given only when this tshark knows "enroll"."""
    ts = tshark_info.TShark(tshark, lambda args: run([tshark] + args, env))
    if ts.stock_6top_takes_every_ietf_ie():
        ALLOWED.extend(STOCK_6TOP_MISREAD)
    return ["--disable-protocol", "enroll"] if ts.has_protocol("enroll") else []


def read_expect(path):
    """key -> text of an .expect file; errors in d["errors"], contexts (RFC 6282 §3.1.2)
    as ["N=PREFIX/LEN", ...] in d["contexts"], link-layer keys as [(HEX, INDEX), ...] in
    d["keys"] (IEEE 802.15.4 key id mode 1), the MIC verdict in d["mic"]."""
    d = {"errors": [], "contexts": [], "keys": []}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if "=" not in line:
                continue
            k, v = line.split("=", 1)
            if k.startswith("error."):
                d["errors"].append(v)
            elif k.startswith("context."):
                n = k[len("context."):]
                if not n.isdigit() or int(n) > 15 or "/" not in v:
                    raise ValueError("%s: bad context line %r" % (path, line))
                d["contexts"].append("%d=%s" % (int(n), v))
            elif k.startswith("key."):
                hx, _, idx = v.partition(",")
                if not re.fullmatch(r"[0-9a-f]{32}", hx) or not idx.isdigit() or not 1 <= int(idx) <= 255:
                    raise ValueError("%s: bad key line %r" % (path, line))
                d["keys"].append((hx, idx))
            else:
                d[k] = v
    return d


def read_sidecar(path):
    side = {}
    if not path or not os.path.exists(path):
        return side
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            s = side.setdefault(parts[0], {"tshark_opt": [], "decode_opt": []})
            for p in parts[1:]:
                k, v = p.split("=", 1)
                if k in ("tshark_opt", "decode_opt"):
                    s[k].append(v)
                else:
                    s[k] = v
    return side


def side_for(side, vid):
    """The sidecar entry for vid: exact id first, else the first matching glob pattern."""
    if vid in side:
        return side[vid]
    for pat, s in side.items():
        if fnmatch.fnmatchcase(vid, pat):
            return s
    return {"tshark_opt": [], "decode_opt": []}


def run(cmd, env):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                       timeout=60, check=False)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


# Link types whose records carry no FCS: tshark still shows a generated wpan.fcs_ok there,
# so fcs_ok is compared only where an FCS exists (195, TAP with the FCS TLV, ZEP CRC mode).
NO_FCS_LINKTYPES = {"230"}

BASE_FIELDS = ["_ws.expert.severity", "_ws.expert.group", "_ws.expert.message",
               "_ws.malformed", "ip.src", "udp.port", "wpan.key_number"]
TSHARK_FIELDS = []  # BASE_FIELDS + the FIELDS names this tshark registers (resolve_fields)


def resolve_fields(tshark, env):
    """Picks, for each FIELDS entry, the first of its names that this tshark registers
    (`tshark -G fields`), so one table serves every release.  Returns the entries no name
    of which is registered (left out, and reported)."""
    rc, out, err = run([tshark, "-G", "fields"], env)
    known = {c[2] for c in (l.split("\t") for l in out.splitlines()) if len(c) > 2 and c[0] == "F"}
    kept, missing = [], []
    for names, key, conv, layer in FIELDS:
        names = (names,) if isinstance(names, str) else names
        hit = next((n for n in names if n in known), None)
        if hit:
            kept.append((hit, key, conv, layer))
        else:
            missing.append("/".join(names))
    FIELDS[:] = kept
    TSHARK_FIELDS[:] = BASE_FIELDS + [f[0] for f in FIELDS]
    return missing


def pcap_records(path):
    """(linktype, header bytes, [record bytes incl. 16-octet record header]) of a classic pcap."""
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        raise ValueError("%s: not a classic pcap" % path)
    lt = struct.unpack(end + "I", data[20:24])[0]
    recs, off = [], 24
    while off + 16 <= len(data):
        incl = struct.unpack(end + "I", data[off + 8:off + 12])[0]
        recs.append(data[off:off + 16 + incl])
        off += 16 + incl
    return lt, data[:24], recs


def tshark_group(paths, topts, merged, a, env):
    """Runs tshark once over the records of `paths` (same link type), in order.
    Returns (list of layer dicts or None, error text)."""
    hdr, body = None, []
    for p in paths:
        _, h, recs = pcap_records(p)
        if len(recs) != 1:
            return None, "%s holds %d records" % (p, len(recs))
        hdr = hdr or h
        body += recs
    with open(merged, "wb") as f:
        f.write(hdr + b"".join(body))
    cmd = [a.tshark, "-n", "-r", merged] + topts + ["-T", "json"]
    for fld in TSHARK_FIELDS:
        cmd += ["-e", fld]
    rc, out, err = run(cmd, env)
    if rc != 0:
        return None, "tshark exit %d: %s" % (rc, err.strip()[-300:])
    try:
        pkts = json.loads(out)
    except ValueError as e:
        return None, "tshark -T json unreadable: %s" % e
    if len(pkts) != len(paths):
        return None, "tshark saw %d packets for %d vectors" % (len(pkts), len(paths))
    return [p["_source"]["layers"] for p in pkts], ""


def check_vector(vid, exp, pcap, lay, side, a, env):
    """Checks one vector against its tshark packet `lay`.
    Returns (ok, [diagnostic lines], set of compared json keys)."""
    msgs, compared = [], set()
    s = side_for(side, vid)
    if exp["keys"]:
        return check_secured(vid, exp, pcap, lay, a, env)

    # (a) expert info
    sev = lay.get("_ws.expert.severity", [])
    grp = lay.get("_ws.expert.group", [])
    msg = lay.get("_ws.expert.message", [])
    got = list(zip(sev, grp, msg))
    if "expert" in s:
        # A documented tshark deviation: exactly these messages, nothing else.
        want = sorted(m.replace("_", " ") for m in s["expert"].split("|"))
        if sorted(m for _, _, m in got) != want:
            msgs.append("(a) expected exactly the known tshark deviations %r, got %r"
                        % (want, [m for _, _, m in got]))
    else:
        if "_ws.malformed" in lay:
            msgs.append("(a) tshark: Malformed Packet")
        for sv, gp, m in got:
            if not any(int(sv) == asv and int(gp) == agp and ar.match(m) for asv, agp, ar in ALLOWED):
                msgs.append("(a) expert info not allowed: severity 0x%x group 0x%x %r"
                            % (int(sv), int(gp), m))

    # (b) field agreement
    which = s.get("fields", "all")
    if which != "none":
        dcmd = [a.enroll_decode, "--json"]
        if exp.get("profile_ep"):
            dcmd += ["--ep-profile", exp["profile_ep"]]
        if exp.get("profile_ie"):
            dcmd += ["--ie-profile", exp["profile_ie"]]
        if exp.get("ep_type"):
            dcmd += ["--ep-type", exp["ep_type"]]
        for c in exp["contexts"]:
            dcmd += ["--context", c]
        dcmd += s["decode_opt"] + [pcap]
        rc, out, err = run(dcmd, env)
        lines = [l for l in out.splitlines() if l.strip()]
        if rc != 0 or len(lines) != 1:
            return False, msgs + ["enroll-decode exit %d, %d lines: %s"
                                  % (rc, len(lines), err.strip()[-300:])], compared
        ours = json.loads(lines[0])
        # (c) the manifest's expectations, through the enroll-decode front end
        for k, v in exp.items():
            if k in META_KEYS or k in ("errors", "contexts", "keys"):
                continue
            ov = ours.get(k)
            if isinstance(ov, bool):
                ov = "1" if ov else "0"
            elif ov is not None:
                ov = str(ov)
            if ov != v:
                msgs.append("(c) expect %s: manifest %r vs enroll-decode %r" % (k, v, ov))
        skip = set(s.get("skip", "").split(","))
        compare_fields(lay, ours, which, skip, exp.get("linktype"), msgs, compared)
    return not msgs, msgs, compared


def compare_fields(lay, ours, which, skip, linktype, msgs, compared):
    """(b): every FIELDS entry of one frame, tshark's layers against enroll-decode's JSON
    object; differences go to msgs, the keys found equal to compared."""
    for tf, key, conv, layer in FIELDS:
        if (which == "mac" and layer != "mac") or key in skip:
            continue
        if key == "wpan.fcs_ok" and linktype in NO_FCS_LINKTYPES:
            if "wpan.fcs_ok" in ours:
                msgs.append("(b) fcs_ok reported for a link type without FCS")
            continue
        tv = lay.get(tf)
        ov = ours.get(key)
        if layer == "net-last" and tv is not None:
            # ZEP over IPv6: the first IPv6 header is the carrier (::1), not the frame's
            # (UDP alone says nothing: a 6LoWPAN frame may carry UDP itself)
            if "zep.version" in lay and "ip.src" not in lay:
                tv = tv[1:] or None
        if layer == "udp-last" and tv is not None and "zep.version" in lay:
            tv = tv[1:] or None  # ZEP's own UDP header comes first
        if tv is None and ov is None:
            continue
        if tv is None or ov is None:
            msgs.append("(b) %s/%s: tshark %r vs enroll-decode %r" % (tf, key, tv, ov))
            continue
        if not isinstance(ov, list) and len(tv) != 1:
            msgs.append("(b) %s: tshark shows %d values %r" % (tf, len(tv), tv))
            continue
        try:
            tval = [conv(x) for x in tv] if isinstance(ov, list) else conv(tv[0])
        except ValueError:
            msgs.append("(b) %s: cannot read tshark value %r" % (tf, tv))
            continue
        if tval != ov:
            msgs.append("(b) %s/%s: tshark %r vs enroll-decode %r" % (tf, key, tv if isinstance(ov, list) else tv[0], ov))
        else:
            compared.add(key)


def check_capture(path, topts, a, env):
    """A whole capture (not a vector): every frame, every FIELDS entry, tshark against
    enroll-decode --json, matched by frame number.  Returns (ok, messages, compared keys,
    frames, values compared)."""
    cmd = [a.tshark, "-n", "-r", path] + topts + ["-T", "json", "-e", "frame.number"]
    for fld in TSHARK_FIELDS:
        cmd += ["-e", fld]
    rc, out, err = run(cmd, env)
    if rc != 0:
        return False, ["tshark exit %d: %s" % (rc, err.strip()[-300:])], set(), 0, 0
    lays = {int(p["_source"]["layers"]["frame.number"][0]): p["_source"]["layers"] for p in json.loads(out)}
    rc, out, err = run([a.enroll_decode, "--json", path], env)
    if rc != 0:
        return False, ["enroll-decode exit %d: %s" % (rc, err.strip()[-300:])], set(), 0, 0
    ours = {o["frame.number"]: o for o in (json.loads(l) for l in out.splitlines() if l.strip())}
    msgs, compared, values = [], set(), 0
    if sorted(lays) != sorted(ours):
        msgs.append("frames: tshark %d, enroll-decode %d" % (len(lays), len(ours)))
    for no in sorted(set(lays) & set(ours)):
        if ours[no]["errors"]:
            continue  # a frame the generator made malformed on purpose: (b) is for well-formed ones
        fm, fc = [], set()
        compare_fields(lays[no], ours[no], "all", set(), None, fm, fc)
        msgs += ["frame %d: %s" % (no, m) for m in fm]
        compared |= fc
        values += len(fc)
    return not msgs, msgs, compared, len(ours), values


def check_secured(vid, exp, pcap, lay, a, env):
    """A secured vector, run by tshark with its keys.  mic=verified: wpan.key_number shown,
    no expert info at all, and every compared field tshark shows after decryption equals
    the manifest's plaintext expectation (and must be shown when expected); MAC fields also
    equal enroll-decode's.  mic=rejected: no wpan.key_number, tshark's "can't decrypt"
    shown (its verdict for a failed MIC), no Malformed.  Verified frames may show only the
    allowed "undecoded" expert items (e.g. the MEP option), never "can't decrypt".  enroll-decode has no key option,
    so (c) covers the MAC header only (ek-vectors verify checks the plaintext)."""
    msgs, compared = [], set()
    keyno = lay.get("wpan.key_number")
    got = [m for m in lay.get("_ws.expert.message", [])]
    # What may remain on a verified frame: the allowed "undecoded" items, never the
    # missing-key / failed-MIC warning.
    ok_on_verified = [(sv, gp, rx) for sv, gp, rx in ALLOWED if not rx.match(NO_KEY_MSG)]
    experts = list(zip(lay.get("_ws.expert.severity", []), lay.get("_ws.expert.group", []), got))
    if "_ws.malformed" in lay:
        msgs.append("(a) tshark: Malformed Packet")
    if exp.get("mic") == "verified":
        if not keyno:
            msgs.append("(mic) tshark did not verify the MIC (no wpan.key_number; expert %r)" % got)
        for sv, gp, m in experts:
            if not any(int(sv) == asv and int(gp) == agp and ar.match(m) for asv, agp, ar in ok_on_verified):
                msgs.append("(a) expert info not allowed on a verified secured frame: %r" % m)
    elif exp.get("mic") == "rejected":
        if keyno:
            msgs.append("(mic) tshark verified a frame whose MIC bit was flipped (key number %r)" % keyno)
        if NO_KEY_MSG not in got:
            msgs.append("(mic) tshark did not report %r (expert %r)" % (NO_KEY_MSG, got))
        for m in got:
            if m != NO_KEY_MSG:
                msgs.append("(a) expert info not allowed: %r" % m)
    else:
        msgs.append("(mic) secured vector without a mic=verified|rejected line")
    dcmd = [a.enroll_decode, "--json"]
    for opt, key in (("--ep-profile", "profile_ep"), ("--ie-profile", "profile_ie"), ("--ep-type", "ep_type")):
        if exp.get(key):
            dcmd += [opt, exp[key]]
    rc, out, err = run(dcmd + [pcap], env)
    lines = [l for l in out.splitlines() if l.strip()]
    if rc != 0 or len(lines) != 1:
        return False, msgs + ["enroll-decode exit %d, %d lines: %s" % (rc, len(lines), err.strip()[-300:])], compared
    ours = json.loads(lines[0])
    for k in MAC_KEYS & set(exp):
        ov = ours.get(k)
        ov = ("1" if ov else "0") if isinstance(ov, bool) else (None if ov is None else str(ov))
        if ov != exp[k]:
            msgs.append("(c) expect %s: manifest %r vs enroll-decode %r" % (k, exp[k], ov))
    for tf, key, conv, layer in FIELDS:
        if key == "wpan.fcs_ok" and exp.get("linktype") in NO_FCS_LINKTYPES:
            continue
        if layer != "mac" and key not in exp:
            continue
        tv = lay.get(tf)
        if tv is not None and len(tv) != 1:
            msgs.append("(b) %s: tshark shows %d values %r" % (tf, len(tv), tv))
            continue
        try:
            tval = None if tv is None else conv(tv[0])
        except ValueError:
            msgs.append("(b) %s: cannot read tshark value %r" % (tf, tv[0]))
            continue
        if layer == "mac" and ours.get(key) is not None:
            if tval != ours[key]:
                msgs.append("(b) %s/%s: tshark %r vs enroll-decode %r" % (tf, key, tv, ours[key]))
            else:
                compared.add(key)
        if key in exp:
            want = exp[key]
            want = (want == "1") if isinstance(tval, bool) else want
            if isinstance(tval, int) and not isinstance(tval, bool):
                want = int(want)
            if tval is None:
                msgs.append("(b) %s: tshark shows nothing, manifest (plaintext) %r" % (tf, exp[key]))
            elif tval != want:
                msgs.append("(b) %s/%s: tshark %r vs manifest (plaintext) %r" % (tf, key, tv[0], exp[key]))
            else:
                compared.add(key)
    return not msgs, msgs, compared


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tshark", required=True)
    ap.add_argument("--enroll-decode", required=True, dest="enroll_decode")
    ap.add_argument("--ek-vectors", required=True, dest="ek_vectors")
    ap.add_argument("--manifests", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--sidecar", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                       "vectors.oracle"))
    ap.add_argument("--coverage", default=",".join(f[1] for f in FIELDS),
                    help="json keys that must have been compared on at least one vector")
    ap.add_argument("--capture", action="append", default=[],
                    help="also compare every frame of this capture (repeatable); made with "
                         "ek-bench-gen when given as GEN:N:PATH")
    ap.add_argument("--jobs", type=int, default=max(2, os.cpu_count() or 2))
    a = ap.parse_args()

    for exe in (a.tshark, a.enroll_decode, a.ek_vectors):
        if not (os.path.isfile(exe) and os.access(exe, os.X_OK)):
            print("1..0 # SKIP %s not found" % exe)
            return 77
    os.makedirs(a.out, exist_ok=True)
    rc, out, err = run([a.ek_vectors, "pcap", "--out", a.out, a.manifests], os.environ.copy())
    if rc != 0:
        print("1..1\nnot ok 1 - ek-vectors pcap failed: %s" % err.strip()[-500:])
        return 1
    # A private, empty configuration: no personal preferences or plugins leak in.
    cfg = tempfile.mkdtemp(prefix="ek-oracle-")
    env = os.environ.copy()
    env.update({"HOME": cfg, "WIRESHARK_CONFIG_DIR": cfg, "LC_ALL": "C"})

    base_opts = BASE_TSHARK_OPTS + stock_only_opts(a.tshark, env)
    unknown_fields = resolve_fields(a.tshark, env)
    side = read_sidecar(a.sidecar)
    ids = sorted(f[:-7] for f in os.listdir(a.out) if f.endswith(".expect"))
    work = []
    for vid in ids:
        exp = read_expect(os.path.join(a.out, vid + ".expect"))
        # Malformed vectors are not run through tshark, except the secured ones whose MIC
        # must be rejected (their tshark verdict is the point).
        if exp.get("wellformed") != "1" and not (exp["keys"] and exp.get("mic") == "rejected"):
            continue
        work.append((vid, exp))
    unknown = sorted(p for p in side if not any(fnmatch.fnmatchcase(v, p) for v, _ in work))

    # One tshark run per (link type, tshark options) group keeps the suite fast: tshark's
    # start-up dominates (about 1 s), the frames themselves take microseconds.
    groups = {}
    for vid, exp in work:
        s = side_for(side, vid)
        topts = list(base_opts)
        for c in exp["contexts"]:  # "N=PREFIX/LEN" -> 6lowpan.contextN:PREFIX/LEN
            n, prefix = c.split("=", 1)
            topts += ["-o", "6lowpan.context%s:%s" % (n, prefix)]
        for hx, idx in exp["keys"]:  # ieee802154_keys UAT: key, key index, key hash
            topts += ["-o", 'uat:ieee802154_keys:"%s","%s","No hash"' % (hx, idx)]
        for o in s["tshark_opt"]:
            topts += ["-o", o]
        groups.setdefault((exp.get("linktype", "?"), tuple(topts)), []).append(vid)
    layers, gerr = {}, {}
    with cf.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        futs = {}
        for k, (key, vids) in enumerate(sorted(groups.items())):
            merged = os.path.join(a.out, "oracle-group-%d.pcap" % k)
            futs[ex.submit(tshark_group, [os.path.join(a.out, v + ".pcap") for v in vids],
                           list(key[1]), merged, a, env)] = vids
        for fu, vids in futs.items():
            lays, e = fu.result()
            for i, v in enumerate(vids):
                if lays is None:
                    gerr[v] = e
                else:
                    layers[v] = lays[i]

    captures = []
    for c in a.capture:
        if c.startswith("GEN:"):  # GEN:EXE:N:PATH
            _, gen, count, path = c.split(":", 3)
            rc, _, err = run([gen, path, count], env)
            if rc != 0:
                print("1..1\nnot ok 1 - %s failed: %s" % (gen, err.strip()[-300:]))
                return 1
            c = path
        captures.append(c)
    print("1..%d" % (len(work) + 2 + len(captures)))
    failed = 0
    covered = set()
    with cf.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        futs = [ex.submit(check_vector, vid, exp, os.path.join(a.out, vid + ".pcap"), layers[vid],
                          side, a, env) if vid in layers else None for vid, exp in work]
        for n, ((vid, exp), fu) in enumerate(zip(work, futs), 1):
            if fu is None:
                ok, msgs, comp = False, [gerr[vid]], set()
            else:
                ok, msgs, comp = fu.result()
            covered |= comp
            s = side_for(side, vid)
            note = ""
            if s.get("fields") in ("mac", "none"):
                note = " # (b) %s only: %s" % (s["fields"], s.get("reason", "").replace("_", " "))
            elif exp["keys"]:
                note = " # secured: MIC %s by tshark" % exp.get("mic")
            if ok:
                print("ok %d - %s%s" % (n, vid, note))
            else:
                failed += 1
                print("not ok %d - %s: %s" % (n, vid, msgs[0]))
                for m in msgs[1:]:
                    print("#   %s" % m)
    n = len(work)
    for c in captures:
        ok, msgs, comp, frames, values = check_capture(c, base_opts, a, env)
        covered |= comp
        n += 1
        if ok:
            print("ok %d - capture %s: %d frames, %d field values equal, %d distinct fields"
                  % (n, os.path.basename(c), frames, values, len(comp)))
        else:
            failed += 1
            print("not ok %d - capture %s: %s" % (n, os.path.basename(c), msgs[0]))
            for m in msgs[1:20]:
                print("#   %s" % m)
    # Every compared field must have been compared (equal, both present) on some vector.
    need = [k for k in a.coverage.split(",") if k and any(f[1] == k for f in FIELDS)]
    missing = [key for key in need if key not in covered]
    n += 1
    if missing or len(need) < MIN_FIELDS:
        failed += 1
        print("not ok %d - field coverage: %d distinct fields (at least %d wanted); never compared: %s"
              % (n, len(need), MIN_FIELDS, ", ".join(missing)))
    else:
        print("ok %d - field coverage: %d distinct tshark fields compared: %s"
              % (n, len(need), ", ".join(need)))
    if unknown_fields:
        print("# not registered by this tshark, not compared: %s" % ", ".join(unknown_fields))
    n += 1
    if unknown:
        failed += 1
        print("not ok %d - sidecar names unknown or malformed vectors: %s" % (n, ", ".join(unknown)))
    else:
        print("ok %d - sidecar entries all name well-formed vectors" % n)
    if failed:
        print("# %d of %d failed" % (failed, n))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
