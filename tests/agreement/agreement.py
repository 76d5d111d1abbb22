#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Agreement test: enroll-decode --json and tshark with the enroll plugin decode one
shared corpus, and every Minimum Enrollment Priority option field and every RFC 9032
Join-Info field must agree frame by frame (value and presence), and so must the verdict
on malformed input (the codec's error field and the plugin's expert item).  Then the
independent frames of dissector/tests/enrollpcap.py (built from the specs, not with the
enrollkit encoder) go to enroll-decode alone, and each value they state must appear.

Corpus:
  * every vectors/pcap/<id>.pcap with an <id>.expect (its profile, contexts);
  * the EB, DIO and cross-packet frames of enrollpcap.py;
  * generated length classes: a MEP option of Length 0..6 under each of the four
    profiles (draft-03 Length 1, -04 3, -09 4, -16 3 or 4; RFC 6550 §6.7.1 Length),
    Join-Info contents of 0..30 octets after the Sub-ID with P=0 and P=1 in both
    readings of RFC 9032 Figure 1 (valid iff 5 + 8*P + N with N <= 16, RFC 9032 §2),
    an option that overruns the DIO and an IE that overruns the frame, and records
    captured short (pcap caplen < len) inside the option and inside the IE.

Both decoders get the same settings: --ep-profile / --ie-profile / --ep-type and the
plugin preferences enroll.mep_profile / enroll.ji_profile / enroll.mep_option_type.
tshark runs as the dissector tests run it (dissector/tests/test_dissector.py Env: as root
through setpriv as nobody, WIRESHARK_PLUGIN_DIR holding only this plugin).

Environment: the dissector tests' (ENROLL_PLUGIN, ENROLL_WS_PATH_ID, ENROLL_VECTORS, ...)
plus ENROLL_DECODE (the enroll-decode binary).  Prints TAP; python3 stdlib only.
"""
import glob
import json
import os
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, 'dissector', 'tests'))
sys.path.insert(0, os.path.join(ROOT, 'tests'))
import enrollpcap as ep  # noqa: E402
import test_dissector as td  # noqa: E402  (Env: tshark with the plugin, unprivileged)

PROFILES = ['draft-03', 'draft-04', 'draft-09', 'draft-16']
MEP_LEN = {'draft-03': {1}, 'draft-04': {3}, 'draft-09': {4}, 'draft-16': {3, 4}}  # -16 §3.1 "Opt Length = 4"

# plugin field -> enroll-decode --json key (docs/enroll-decode.md, docs/wireshark.md)
JI_FIELDS = [
    ('enroll.ji.r', 'enroll.ji.r'), ('enroll.ji.p', 'enroll.ji.p'), ('enroll.ji.reserved', 'enroll.ji.reserved'),
    ('enroll.ji.octets', 'enroll.ji.octets'), ('enroll.ji.proxy_priority', 'enroll.ji.proxy_priority'),
    ('enroll.ji.rank_priority', 'enroll.ji.rank_priority'), ('enroll.ji.pan_priority', 'enroll.ji.pan_priority'),
    ('enroll.ji.join_proxy_iid', 'enroll.ji.join_proxy_iid'), ('enroll.ji.network_id', 'enroll.ji.network_id'),
    ('enroll.ji.network_id_len', 'enroll.ji.network_id_len'),
]
MEP_FIELDS = [
    ('enroll.mep.type', 'enroll.mep.type'), ('enroll.mep.length', 'enroll.mep.length'), ('enroll.mep.r', 'enroll.mep.r'),
    ('enroll.mep.min_priority', 'enroll.mep.min_priority'), ('enroll.mep.version', 'enroll.mep.version'),
    ('enroll.mep.t', 'enroll.mep.t'), ('enroll.mep.exp', 'enroll.mep.exp'),
    ('enroll.mep.dodag_size_code', 'enroll.mep.dodag_size_code'), ('enroll.mep.dodag_size', 'enroll.mep.dodag_size'),
    ('enroll.mep.trailing', 'enroll.mep.trailing'),
]
# The malformed verdict: codec error field (enroll-decode "errors") <-> plugin expert item.
VERDICTS = [
    ({'enroll.mep.length'}, 'enroll.mep.length_bad'),
    ({'enroll.ji.octets', 'enroll.ji.pan_priority'}, 'enroll.ji.length_bad'),
    ({'enroll.ji.join_proxy_iid'}, 'enroll.ji.iid_short'),
    ({'enroll.ji.network_id'}, 'enroll.ji.network_id_long'),
]
TSHARK_FIELDS = ['frame.number', 'wpan.security', 'wpan.key_number'] + [f for f, _ in JI_FIELDS + MEP_FIELDS] + \
    [e for _, e in VERDICTS]


def norm(v):
    """One text form for both decoders: integers decimal, booleans 1/0, bytes bare hex."""
    if isinstance(v, bool):
        return '1' if v else '0'
    if isinstance(v, int):
        return str(v)
    v = str(v).strip()
    if v in ('True', 'False'):
        return '1' if v == 'True' else '0'
    try:
        return str(int(v, 0))
    except ValueError:
        return v.replace(':', '').lower()


# ---- corpus ----------------------------------------------------------------------

class Case:
    def __init__(self, label, linktype, records, prefs, decode_opts, stated=None):
        self.label = label          # "vectors/<id>", "enrollpcap/dio/d16", "gen/mep-len5-draft-03", ...
        self.linktype = linktype
        self.records = records      # [(captured bytes, original length)]
        self.prefs = prefs          # tshark -o settings
        self.decode_opts = decode_opts
        self.stated = stated or []  # [{json key: expected text}] per record (enrollpcap frames)


def profile_opts(ep_profile='draft-16', ie_profile='rfc9032-literal', ep_type=ep.MEP_TYPE, contexts=()):
    prefs = ['-o', 'enroll.mep_profile:' + ep_profile, '-o', 'enroll.ji_profile:' + ie_profile,
             '-o', 'enroll.mep_option_type:0x%x' % ep_type]
    dec = ['--ep-profile', ep_profile, '--ie-profile', ie_profile, '--ep-type', str(ep_type)]
    for c in contexts:  # "N=PREFIX/LEN" (RFC 6282 §3.1.2 contexts)
        n, prefix = c.split('=', 1)
        prefs += ['-o', '6lowpan.context%s:%s' % (n, prefix)]
        dec += ['--context', c]
    return prefs, dec


def fcs(frame):
    return frame + struct.pack('<H', ep.crc16_kermit(frame))


def write_pcap(path, linktype, records):
    out = [struct.pack('<IHHiIII', 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype)]
    for i, (data, orig) in enumerate(records):
        out.append(struct.pack('<IIII', 1700000000, i, len(data), orig) + data)
    with open(path, 'wb') as f:
        f.write(b''.join(out))
    os.chmod(path, 0o644)


def vector_cases(vdir):
    cases = []
    for pcap in sorted(glob.glob(os.path.join(vdir, '*.pcap'))):
        expf = pcap[:-5] + '.expect'
        if not os.path.exists(expf):
            continue  # wellformed-<linktype>.pcap: the same frames again, merged
        exp, contexts = {}, []
        with open(expf, encoding='utf-8') as f:
            for line in f:
                k, _, v = line.rstrip('\n').partition('=')
                if k.startswith('context.'):
                    contexts.append('%d=%s' % (int(k[8:]), v))
                else:
                    exp[k] = v
        lt, recs = ep.pcap_records(pcap)
        prefs, dec = profile_opts(exp.get('profile_ep', 'draft-16'), exp.get('profile_ie', 'rfc9032-literal'),
                                  int(exp.get('ep_type', str(ep.MEP_TYPE)), 0), contexts)
        cases.append(Case('vectors/' + os.path.basename(pcap)[:-5], lt, recs, prefs, dec))
    return cases


# enrollpcap.py's stated -T fields values -> enroll-decode --json keys
# enrollpcap.py states values by the plugin field's last component: prefix it.
EB_KEYS = {k: 'enroll.ji.' + k for k in ('r', 'p', 'reserved', 'proxy_priority', 'rank_priority', 'pan_priority',
                                         'join_proxy_iid', 'network_id')}
DIO_KEYS = {k: 'enroll.mep.' + k for k in ('length', 'r', 'min_priority', 'version', 't', 'exp', 'dodag_size_code',
                                           'dodag_size')}


def enrollpcap_cases():
    cases = []
    for name, frame, stated in ep.eb_cases():
        prefs, dec = profile_opts()
        cases.append(Case('enrollpcap/eb/' + name, ep.LINKTYPE_FCS, [(fcs(frame), len(frame) + 2)], prefs, dec,
                          [{EB_KEYS[k]: v for k, v in stated.items()}]))
    # the byte-aligned frame again, under its own reading
    name, frame, _ = [c for c in ep.eb_cases() if c[0] == 'byte_aligned'][0]
    prefs, dec = profile_opts(ie_profile='byte-aligned')
    cases.append(Case('enrollpcap/eb/byte_aligned-as-byte-aligned', ep.LINKTYPE_FCS, [(fcs(frame), len(frame) + 2)],
                      prefs, dec, [{'enroll.ji.proxy_priority': '34', 'enroll.ji.rank_priority': '16', 'enroll.ji.pan_priority': '1',
                                    'enroll.ji.network_id': ep.NETID8.hex(), 'enroll.ji.r': '1', 'enroll.ji.p': '0'}]))
    for name, frame, prof, stated in ep.dio_cases():
        prefs, dec = profile_opts(prof)
        cases.append(Case('enrollpcap/dio/' + name, ep.LINKTYPE_FCS, [(fcs(frame), len(frame) + 2)], prefs, dec,
                          [{DIO_KEYS[k]: v for k, v in stated.items()}]))
    prefs, dec = profile_opts()
    cases.append(Case('enrollpcap/cross', ep.LINKTYPE_FCS, [(fcs(f), len(f) + 2) for f in ep.cross_frames()],
                      prefs, dec))
    return cases


def mep_body(n):
    """n option data octets: version 5, T=0 min 0x20, Exp 3 / size 0xA, then 0x11, 0x22, ..."""
    return bytes([0x05, 0x20, 0x3A, 0x11, 0x22, 0x33, 0x44][:n])


def generated_cases():
    cases = []
    dc = ep.dodag_conf()
    for prof in PROFILES:
        prefs, dec = profile_opts(prof)
        recs = []
        for n in range(7):
            f = fcs(ep.dio(ep.NODE_A, [ep.mep_option(mep_body(n)), dc]))
            recs.append((f, len(f)))
        cases.append(Case('gen/mep-length-0..6/' + prof, ep.LINKTYPE_FCS, recs, prefs, dec))
    for reading in ('rfc9032-literal', 'byte-aligned'):
        prefs, dec = profile_opts(ie_profile=reading)
        recs = []
        for p in (0, 1):
            for n in range(31):  # content octets after the Sub-ID
                first = (0x80 | (p << 6) | 0x02) if n else None
                content = bytes([2]) + (bytes([first]) + bytes(range(0x31, 0x31 + n - 1)) if n else b'')
                f = fcs(ep.eb(ep.NODE_A, [content]))
                recs.append((f, len(f)))
        cases.append(Case('gen/ji-content-0..30-p0-p1/' + reading, ep.LINKTYPE_FCS, recs, prefs, dec))
    prefs, dec = profile_opts()
    recs = []
    # an option whose Length runs past the DIO (RFC 6550 §6.7.1), the option last
    f = ep.dio(ep.NODE_A, [ep.mep_option(mep_body(3), length=9)])
    recs.append((fcs(f), len(f) + 2))
    # an IETF IE whose Length runs past the frame (IEEE 802.15.4-2015 §7.4.3)
    good = ep.eb(ep.NODE_A, [ep.join_info(netid=ep.NETID8)])
    f = good[:-15] + struct.pack('<H', 0x8000 | (0x5 << 11) | 40) + good[-13:]
    recs.append((fcs(f), len(f) + 2))
    # records captured short: inside the MEP option, inside the Join-Info IE
    d = fcs(ep.dio(ep.NODE_A, [ep.mep_option(mep_body(3)), dc]))
    mep_at = len(d) - 2 - len(dc) - 5
    for cut in (mep_at + 1, mep_at + 3, mep_at + 4, mep_at + 5, len(d) - 2):
        recs.append((d[:cut], len(d)))
    e = fcs(ep.eb(ep.NODE_A, [ep.join_info(p=1, iid=ep.IID, netid=ep.NETID8)]))
    ji_at = len(e) - 2 - 21
    for cut in (ji_at + 2, ji_at + 5, ji_at + 10, ji_at + 15, len(e) - 2):
        recs.append((e[:cut], len(e)))
    cases.append(Case('gen/overrun-and-captured-short', ep.LINKTYPE_FCS, recs, prefs, dec))
    return cases


# ---- decoding --------------------------------------------------------------------

def decode_ours(exe, pcap, opts):
    p = subprocess.run([exe, '--json'] + opts + [pcap], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    if p.returncode != 0:
        raise RuntimeError('enroll-decode exit %d: %s' % (p.returncode, p.stderr.decode()[-300:]))
    return [json.loads(line) for line in p.stdout.decode().splitlines() if line.strip()]


def decode_plugin(E, pcap, prefs):
    args = ['-r', pcap, '-o', 'wpan.802154_fcs_ok:FALSE'] + prefs + ['-T', 'json']
    for f in TSHARK_FIELDS:
        args += ['-e', f]
    rc, out, err = E.tshark_run(args)
    if rc != 0:
        raise RuntimeError('tshark exit %d: %s' % (rc, err.strip()[-300:]))
    return [p['_source']['layers'] for p in json.loads(out or '[]')]


def decode_plugin_batched(E, cases):
    """The plugin's layers per case, [layers] or an error text.  A tshark start costs far
    more than these few frames, so every case with the same preferences goes into one
    pcapng (one interface per link type) and one tshark run, split back by frame.number.
    The plugin's cross-packet notes (an EB against an earlier DIO, CoJP against an EB) are
    not among the compared fields and verdicts, so these read as a run per case shows them."""
    groups, theirs = {}, {}
    for k, c in enumerate(cases):
        groups.setdefault(tuple(c.prefs), []).append(k)
    for g, (prefs, ks) in enumerate(groups.items()):
        owner = [k for k in ks for _ in cases[k].records]
        path = E.path('agr-group-%d.pcapng' % g)
        ep.write_pcapng(path, [(cases[k].linktype, d, o) for k in ks for d, o in cases[k].records])
        os.chmod(path, 0o644)
        try:
            layers = decode_plugin(E, path, list(prefs))
            if len(layers) != len(owner):
                raise RuntimeError('tshark %d frames for %d records' % (len(layers), len(owner)))
        except (RuntimeError, ValueError) as e:
            theirs.update((k, str(e)) for k in ks)
            continue
        for k in ks:
            theirs[k] = []
        for lay in layers:
            theirs[owner[int(lay['frame.number'][0]) - 1]].append(lay)
    return theirs


def ours_values(obj, key):
    """enroll-decode's value(s) of key as a list of normalised texts ([] = absent)."""
    if key not in obj:
        return []
    v = obj[key]
    if key == 'enroll.ji.network_id' and v == '':
        return []  # N = 0: the plugin shows no network ID item
    return [norm(x) for x in v] if isinstance(v, list) else [norm(v)]


def plugin_blind(lay, cut, fields):
    """Where stock Wireshark never hands the element to the plugin, the plugin shows none of
    its fields, and enroll-decode alone decodes it; what the plugin does show must agree.
      * A secured frame without a verified key (no wpan.key_number): stock 4.0 parses
        neither the payload IEs nor the payload, even at MIC-only levels whose payload is in
        clear (docs/wireshark.md, Limitations); enroll-decode reads them.
      * A record captured short inside the ICMPv6 message: stock ICMPv6 runs, but not
        through the ip.proto table the plugin's DIO hook wraps (docs/wireshark.md)."""
    if any(tf in lay for tf, _ in fields):
        return False
    secured = lay.get('wpan.security', ['0'])[0] in ('1', 'True') and 'wpan.key_number' not in lay
    return secured or (cut and fields is MEP_FIELDS)


def compare_frame(lay, obj, cut=False):
    """Differences between the plugin's layers and enroll-decode's object for one frame,
    and the number of elements skipped because the plugin cannot see them."""
    diffs = []
    blind = {id(f): plugin_blind(lay, cut, f) for f in (JI_FIELDS, MEP_FIELDS)}
    for tf, key in JI_FIELDS + MEP_FIELDS:
        if blind[id(JI_FIELDS if tf.startswith('enroll.ji.') else MEP_FIELDS)]:
            continue
        tv = [norm(x) for x in lay.get(tf, []) if x != '']
        ov = ours_values(obj, key)
        if tf.startswith('enroll.ji.') and len(tv) > 1:
            tv = tv[:1]  # the codec's JSON carries the first Join-Info IE of a frame
        if tv != ov:
            diffs.append('%s %r vs %s %r' % (tf, tv, key, ov))
    err_fields = {e['field'] for e in obj.get('errors', [])}
    for fields, expert in VERDICTS:
        theirs = expert in lay
        mine = bool(err_fields & fields)
        if theirs != mine:
            diffs.append('verdict: plugin %s %s, enroll-decode error %s %s'
                         % (expert, 'shown' if theirs else 'absent', '/'.join(sorted(fields)),
                            'reported' if mine else 'absent'))
    hidden = sum(1 for f in (JI_FIELDS, MEP_FIELDS) if blind[id(f)] and any(ours_values(obj, k) for _, k in f))
    return diffs, hidden


def main():
    E = td.Env()
    exe = os.environ.get('ENROLL_DECODE', '')
    if not E.tshark or not E.plugin or not os.path.exists(E.plugin) or not os.access(exe, os.X_OK):
        print('1..0 # SKIP tshark, the plugin or enroll-decode missing')
        return 77
    cases = (vector_cases(E.vectors) if E.vectors and os.path.isdir(E.vectors) else []) \
        + enrollpcap_cases() + generated_cases()
    n_frames = sum(len(c.records) for c in cases)
    print('1..%d' % (len(cases) + 2))
    failed = n = 0
    stats = {'mep': 0, 'ji': 0, 'verdicts': 0, 'values': 0, 'stated': 0, 'blind': 0}
    plugin = decode_plugin_batched(E, cases)
    for k, c in enumerate(cases):
        n += 1
        path = E.path('agr-%d.pcap' % n)
        write_pcap(path, c.linktype, c.records)
        msgs = []
        try:
            ours = decode_ours(exe, path, c.decode_opts)
            theirs = plugin[k]
            if isinstance(theirs, str):
                raise RuntimeError(theirs)
        except (RuntimeError, ValueError) as e:
            ours, theirs, msgs = [], [], [str(e)]
        if not msgs and len(ours) != len(theirs):
            msgs.append('enroll-decode %d frames, tshark %d' % (len(ours), len(theirs)))
        for i, (lay, obj) in enumerate(zip(theirs, ours), 1):
            rec = c.records[i - 1]
            diffs, skipped = compare_frame(lay, obj, cut=len(rec[0]) < rec[1])
            stats['blind'] += skipped
            for d in diffs:
                msgs.append('frame %d: %s' % (i, d))
            stats['mep'] += 'enroll.mep.type' in lay
            stats['ji'] += any(k.startswith('enroll.ji.') for k in lay)
            stats['verdicts'] += any(e in lay for _, e in VERDICTS)
            stats['values'] += sum(len(lay.get(tf, [])) for tf, _ in JI_FIELDS + MEP_FIELDS)
        # values the independent frames state, read by enroll-decode alone
        for i, want in enumerate(c.stated):
            obj = ours[i] if i < len(ours) else {}
            for key, text in want.items():
                got = ours_values(obj, key)
                exp = [] if text == '' else [norm(text)]
                stats['stated'] += 1
                if got != exp:
                    msgs.append('frame %d: stated %s=%r, enroll-decode %r' % (i + 1, key, text, got))
        if msgs:
            failed += 1
            print('not ok %d - %s: %s' % (n, c.label, msgs[0]))
            for m in msgs[1:]:
                print('#   %s' % m)
        else:
            print('ok %d - %s (%d frame%s)' % (n, c.label, len(c.records), '' if len(c.records) == 1 else 's'))
    n += 1
    # the corpus really exercises what it claims to
    low = [k for k, floor in (('mep', 40), ('ji', 40), ('verdicts', 40), ('stated', 50)) if stats[k] < floor]
    if low:
        failed += 1
        print('not ok %d - corpus coverage too low: %r' % (n, stats))
    else:
        print('ok %d - corpus: %d cases, %d frames; %d with a MEP option, %d with Join-Info, %d malformed '
              'verdicts, %d plugin values compared, %d stated values checked; %d elements stock hides from the plugin'
              % (n, len(cases), n_frames, stats['mep'], stats['ji'], stats['verdicts'], stats['values'],
                 stats['stated'], stats['blind']))
    n += 1
    vec = [c for c in cases if c.label.startswith('vectors/')]
    if E.vectors and not vec:
        failed += 1
        print('not ok %d - no vectors found in %s' % (n, E.vectors))
    else:
        print('ok %d - %d vectors in the corpus' % (n, len(vec)))
    if failed:
        print('# %d of %d failed' % (failed, n))
    import shutil
    shutil.rmtree(E.work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
