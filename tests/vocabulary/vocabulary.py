#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The field vocabulary (harness/report/vocabulary.tsv) against everything that names a field.

  vocabulary.py check --enroll-decode EXE --vectors DIR [--tshark EXE] [--plugin SO --ws-path-id X.Y]
      TAP: the table is well formed; every JSON key and error field of enroll-decode (read from the
      sources and seen on every vector), every TD condition key and every name the codec can report
      is in it; every "stock" name is a field of this tshark; every "plugin" name is registered by
      the plugin with a matching type, and the plugin registers nothing else.
  vocabulary.py doc OUT         writes docs/fields.md from the table
  vocabulary.py doc --check OUT fails when OUT is not what the table gives
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
import tshark_info  # noqa: E402

TABLE = os.path.join(ROOT, 'harness', 'report', 'vocabulary.tsv')
TYPES = {'bool', 'uint', 'framenum', 'list', 'eui64', 'ipv6', 'hex', 'text', 'none'}
WHERE = {'stock', 'plugin', 'codec'}
FT_OF = {'bool': {'FT_BOOLEAN'}, 'uint': {'FT_UINT8', 'FT_UINT16', 'FT_UINT24', 'FT_UINT32', 'FT_UINT40', 'FT_UINT64'},
         'framenum': {'FT_FRAMENUM'},
         'hex': {'FT_BYTES'}, 'text': {'FT_STRING', 'FT_ABSOLUTE_TIME'}, 'none': {'FT_NONE', 'FT_PROTOCOL'},
         'ipv6': {'FT_IPv6'}, 'eui64': {'FT_EUI64'}}


def load():
    rows = []
    with open(TABLE, encoding='utf-8') as fh:
        for line in fh:
            if line.startswith('#') or line.startswith('name\t') or not line.strip():
                continue
            rows.append(line.rstrip('\n').split('\t'))
    return rows


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, what, detail=''):
        self.n += 1
        print('%s %d - %s' % ('ok' if cond else 'not ok', self.n, what))
        if not cond:
            self.failed += 1
            for line in str(detail).splitlines()[:40]:
                print('#   ' + line)


def source_names():
    """Field names written in the sources: JSON keys, TD condition keys, error fields."""
    def grab(pattern, files):
        out = set()
        for f in files:
            with open(f, encoding='utf-8') as fh:
                out |= set(re.findall(pattern, fh.read()))
        return out
    c = lambda *globs: [f for g in globs for f in glob.glob(os.path.join(ROOT, g), recursive=True) if '/tests/' not in f]
    json_keys = grab(r'F\("([a-z0-9_.]+)"', c('harness/report/fields.c'))
    json_keys |= grab(r'(?:j_[a-z0-9]+|J_ARR|JK|j_key)\(j, "([a-z0-9_.]+)"', c('tools/enroll-decode/*.c'))
    json_keys |= grab(r'"([a-z0-9_]+\.[a-z0-9_.]+)"', c('harness/engine/match.c'))
    td_keys = grab(r'\{ "([a-z0-9_.]+)", EK_OP', c('harness/suites/*.c'))
    errors = grab(r'"([a-z0-9_]+(?:\.[a-z0-9_]+)+)"', c('harness/codec/*.c', 'harness/capture/*.c', 'harness/sec/*.c'))
    return json_keys, td_keys, errors


def vector_options(expect_path):
    """enroll-decode options for a vector's profile (its .expect file, written by ek-vectors)."""
    opts = []
    if not os.path.exists(expect_path):
        return opts
    with open(expect_path, encoding='utf-8') as fh:
        for line in fh:
            k, _, v = line.rstrip('\n').partition('=')
            if k == 'profile_ep':
                opts += ['--ep-profile', v]
            elif k == 'profile_ie':
                opts += ['--ie-profile', v]
            elif k == 'ep_type':
                opts += ['--ep-type', v]
            elif k.startswith('context.'):
                opts += ['--context', '%s=%s' % (k[len('context.'):], v)]
    return opts


def json_type_ok(typ, v):
    return {'bool': lambda: isinstance(v, bool), 'uint': lambda: isinstance(v, int) and not isinstance(v, bool),
            'eui64': lambda: isinstance(v, str) and re.fullmatch(r'[0-9a-f]{2}(:[0-9a-f]{2}){7}', v) is not None,
            'hex': lambda: isinstance(v, str) and re.fullmatch(r'(?:[0-9a-f]{2})*', v) is not None,
            'ipv6': lambda: isinstance(v, str) and ':' in v,
            'list': lambda: isinstance(v, list)}.get(typ, lambda: isinstance(v, str))()


def check(a):
    t = Tap()
    rows = load()
    names = [r[0] for r in rows]
    by = {r[0]: r for r in rows}
    bad = [r for r in rows if len(r) != 5 or r[1] not in TYPES or r[2] not in WHERE or not r[3] or not r[4]]
    t.ok(not bad, 'every row has name, type, where, spec section and meaning', bad)
    t.ok(len(set(names)) == len(names), 'every name once', sorted({n for n in names if names.count(n) > 1}))
    t.ok(all(re.fullmatch(r'[a-z0-9_]+(\.[a-z0-9_]+)+', n) for n in names), 'every name is a dotted filter name')

    json_keys, td_keys, errors = source_names()
    t.ok(json_keys <= set(names), 'every JSON key in the sources is in the vocabulary', sorted(json_keys - set(names)))
    t.ok(td_keys <= set(names), 'every TD condition key is in the vocabulary', sorted(td_keys - set(names)))
    t.ok(errors <= set(names), 'every field name the codec can report is in the vocabulary', sorted(errors - set(names)))

    # enroll-decode on every vector: keys, value types and error fields
    seen, wrong, unknown, dup, failed_runs = set(), [], set(), set(), []
    for pcap in sorted(glob.glob(os.path.join(a.vectors, '*.pcap'))):
        p = subprocess.run([a.enroll_decode, '--json'] + vector_options(pcap[:-5] + '.expect') + [pcap],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
        if p.returncode != 0 or not p.stdout.strip():
            failed_runs.append('%s: exit %d, %s' % (os.path.basename(pcap), p.returncode,
                                                    p.stderr.decode(errors='replace').strip()[:200]))
        for line in p.stdout.decode().splitlines():
            def no_twice(kv):
                keys = [k for k, _ in kv]
                dup.update(k for k in keys if keys.count(k) > 1)
                return dict(kv)
            obj = json.loads(line, object_pairs_hook=no_twice)
            for k, v in obj.items():
                if k == 'errors':
                    unknown |= {e['field'] for e in v if e['field'] not in by}
                    continue
                seen.add(k)
                if k not in by:
                    unknown.add(k)
                elif not json_type_ok(by[k][1], v):
                    wrong.append('%s: %r is not %s' % (k, v, by[k][1]))
    t.ok(not failed_runs, 'enroll-decode --json decodes every vector file', failed_runs)
    t.ok(not unknown, 'enroll-decode --json on the vectors shows only vocabulary names', sorted(unknown))
    t.ok(not dup, 'no JSON object names a field twice', sorted(dup))
    t.ok(not wrong, 'enroll-decode --json values have the vocabulary type', wrong[:20])
    t.ok(len(seen) >= 100, 'the vectors exercise at least 100 JSON keys (%d)' % len(seen))

    if a.tshark:
        ts = tshark_info.TShark(a.tshark)
        rc, out, err = ts.runner(['-G', 'fields'])
        stock = {c[2]: c[3] for c in (l.split('\t') for l in out.splitlines()) if len(c) > 3 and c[0] == 'F'}
        missing = [n for n, r in by.items() if r[2] == 'stock' and n not in stock and
                   tshark_info.stock_field_expected(ts, n)]
        t.ok(not missing, '"stock" names are fields of tshark %s' % ts.path_id, missing)
        clash = [n for n, r in by.items() if r[2] == 'codec' and n in stock]
        t.ok(not clash, '"codec" names are not stock fields (else they would be "stock")', clash)
        mism = [n for n, r in by.items() if r[2] == 'stock' and n in stock and r[1] not in ('list', 'none')
                and stock[n] not in FT_OF[r[1]]]
        t.ok(not mism, 'stock types agree with tshark', ['%s: %s vs %s' % (n, by[n][1], stock[n]) for n in mism])
    if a.plugin and a.tshark:
        work = tempfile.mkdtemp(prefix='ek-vocab-')
        try:
            d = os.path.join(work, 'plugins', a.ws_path_id, 'epan')
            os.makedirs(d)
            os.makedirs(os.path.join(work, 'home'))
            shutil.copy(a.plugin, os.path.join(d, 'enroll.so'))
            os.chmod(work, 0o755)
            for root, dirs, files in os.walk(work):
                for x in dirs + files:
                    os.chmod(os.path.join(root, x), 0o777 if x == 'home' else 0o755)
            drop = []
            if os.geteuid() == 0:
                drop = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups']
            env = ['env', 'HOME=' + os.path.join(work, 'home'), 'WIRESHARK_PLUGIN_DIR=' + os.path.join(work, 'plugins'),
                   'PATH=' + os.environ.get('PATH', '/usr/bin')]
            p = subprocess.run(drop + env + [a.tshark, '-G', 'fields'], stdout=subprocess.PIPE, check=False)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        reg = {c[2]: c[3] for c in (l.split('\t') for l in p.stdout.decode().splitlines())
               if len(c) > 3 and c[0] == 'F' and c[2].startswith('enroll.')}
        t.ok(reg, 'the plugin loaded (%d enroll.* fields)' % len(reg))
        want = {n for n, r in by.items() if r[2] == 'plugin'}
        t.ok(set(reg) == want, 'the plugin registers exactly the vocabulary\'s "plugin" names',
             'not registered: %s\nnot in the vocabulary: %s' % (sorted(want - set(reg)), sorted(set(reg) - want)))
        mism = [n for n in set(reg) & want if by[n][1] != 'list' and reg[n] not in FT_OF[by[n][1]]]
        t.ok(not mism, 'plugin field types agree with the vocabulary', ['%s: %s vs %s' % (n, by[n][1], reg[n]) for n in mism])
    print('1..%d' % t.n)
    return 1 if t.failed else 0


def doc_text():
    rows = load()
    out = ['# Field vocabulary', '',
           '<!-- generated from harness/report/vocabulary.tsv by tests/vocabulary/vocabulary.py doc; do not edit -->', '',
           'Every field enrollkit decodes has one name. It is the Wireshark display filter (stock fields keep',
           'Wireshark\'s own names; the `enroll.*` fields are the plugin\'s), the `enroll-decode --json` key, the',
           'expectation key of a vector manifest, the key of a TD condition and the field an error names.',
           '`where` says who knows the name: **stock** Wireshark, the enroll **plugin**, or only the enrollkit',
           '**codec** (`enroll-decode` and the harness; no display filter exists). JSON types: `bool` true/false,',
           '`uint` a number, `framenum` a frame number, `list` an array of numbers in wire order, `eui64` / `ipv6` / `hex` / `text` strings;',
           '`none` marks a name that carries no value of its own: a protocol or subtree (`enroll.ji`), an expert',
           'item (`enroll.mep.length_bad`) or an element only named in errors. With `jq`, quote dotted keys:',
           '`jq \'.["enroll.mep.min_priority"]\'`.', '',
           'The table is checked by the `vocabulary` test: every JSON key, TD condition and error field in the',
           'sources is here, every stock name is a field of the tshark the tests run, and the plugin registers',
           'exactly the plugin names with matching types.', '',
           '| name | type | where | spec | meaning |', '|---|---|---|---|---|']
    for name, typ, where, sec, meaning in rows:
        out.append('| `%s` | %s | %s | %s | %s |' % (name, typ, where, sec, meaning.replace('|', '\\|')))
    return '\n'.join(out) + '\n'


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest='cmd', required=True)
    c = sub.add_parser('check')
    c.add_argument('--enroll-decode', required=True, dest='enroll_decode')
    c.add_argument('--vectors', required=True)
    c.add_argument('--tshark')
    c.add_argument('--plugin')
    c.add_argument('--ws-path-id', dest='ws_path_id')
    d = sub.add_parser('doc')
    d.add_argument('--check', action='store_true')
    d.add_argument('out')
    a = ap.parse_args()
    if a.cmd == 'doc':
        text = doc_text()
        if a.check:
            with open(a.out, encoding='utf-8') as fh:
                same = fh.read() == text
            print('1..1\n%s 1 - %s is generated from the vocabulary%s' % (
                'ok' if same else 'not ok', os.path.basename(a.out),
                '' if same else ' (run: tests/vocabulary/vocabulary.py doc %s)' % a.out))
            return 0 if same else 1
        with open(a.out, 'w', encoding='utf-8') as fh:
            fh.write(text)
        return 0
    return check(a)


if __name__ == '__main__':
    sys.exit(main())
