# SPDX-License-Identifier: BSD-3-Clause
"""What the tshark under test is, asked of tshark itself, for tests that must work on
every Wireshark release from 4.0 on.

Known differences between releases, and how the tests meet them:
  * `tshark -G protocols` has three columns in 4.0 and more later: only the third (the
    filter name) is read (protocol_filters).
  * `--disable-protocol NAME` for a protocol tshark does not know is ignored by 4.0 and
    fatal ("No such protocol") by 4.4: ask has_protocol() first.
  * `-T fields` prints string values as they are in 4.0 and escapes backslash, tab, CR
    and LF in 4.4 and 4.6: compare after unescape_fields().
  * the stock 6top dissector decodes only the pre-RFC IETF IE sub-ID 0xC9 in 4.0, and
    every IETF IE in 4.4 (packet-ieee802154.c dissect_ietf_ie): the plugin tests ask
    stock tshark itself (no plugin) what it decodes; the oracle, which sees stock
    expert items on Join-Info IEs, asks stock_6top_takes_every_ietf_ie().
  * `-T fields` prints a boolean as 1 / 0 in 4.0 and as True / False in 4.4 and 4.6:
    compare through field_bool().
  * stock fields appear in later releases (STOCK_FIELD_SINCE): the vocabulary test
    expects a stock name only where stock_field_expected() says so.
  * plugins load from <folder>/<major>.<minor>/epan (path_id).
Behaviour is probed rather than inferred from the version number wherever it can be, so
a release between or after these needs no table entry."""

import re
import subprocess


def _run(cmd, env=None):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=120, check=False)
    return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')


def parse_version(text):
    """(major, minor, micro) from the first line of `tshark --version`."""
    m = re.search(r'TShark \(Wireshark\) (\d+)\.(\d+)\.(\d+)', text)
    if not m:
        raise ValueError('cannot read the tshark version from %r' % text[:200])
    return tuple(int(x) for x in m.groups())


def protocol_filters(g_protocols_output):
    """Filter names of `tshark -G protocols` (third tab-separated column on every release)."""
    names = set()
    for line in g_protocols_output.splitlines():
        cols = line.split('\t')
        if len(cols) >= 3:
            names.add(cols[2])
    return names


class TShark:
    def __init__(self, exe, runner=None):
        """runner(args) -> (rc, stdout, stderr) runs tshark with the caller's environment
        (plugin folder, unprivileged user); by default tshark runs as is."""
        self.exe = exe
        self.runner = runner or (lambda args: _run([exe] + args))
        rc, out, err = self.runner(['--version'])
        if rc != 0:
            raise RuntimeError('%s --version failed: %s' % (exe, err.strip()[:300]))
        self.version = parse_version(out)
        self._protocols = None

    def at_least(self, major, minor):
        return self.version[:2] >= (major, minor)

    @property
    def path_id(self):
        """Plugin folder name: Wireshark loads plugins from <dir>/<major>.<minor>/epan."""
        return '%d.%d' % self.version[:2]

    def protocols(self):
        if self._protocols is None:
            rc, out, err = self.runner(['-G', 'protocols'])
            if rc != 0:
                raise RuntimeError('tshark -G protocols failed: %s' % err.strip()[:300])
            self._protocols = protocol_filters(out)
        return self._protocols

    def has_protocol(self, name):
        return name in self.protocols()


    def stock_6top_takes_every_ietf_ie(self):
        """4.4 and later decode any IETF IE as 6P, with no sub-ID check, so an RFC 9032
        Join-Info IE gets 6top expert items (read in the 4.4.18 source and seen on 4.4.19
        and 4.6); 4.0 decodes only sub-ID 0xC9.  4.2 is assumed to behave like 4.0: an
        oracle run on 4.2 fails loudly if it does not."""
        return self.at_least(4, 4)


# Stock fields the vocabulary names that older releases do not register yet, with the
# release that added them (seen with tshark -G fields on 4.0.17, 4.4.19 and 4.6.9).
STOCK_FIELD_SINCE = {'sll.reserved': (4, 6)}


def stock_field_expected(ts, name):
    """Whether this tshark should register the stock field `name`."""
    since = STOCK_FIELD_SINCE.get(name)
    return since is None or ts.at_least(*since)


def unescape_fields(text):
    """Undo the -T fields escapes of newer releases; a no-op on 4.0 output unless a value
    contains one of those two-character sequences itself."""
    return re.sub(r'\\([\\trn])', lambda m: {'\\': '\\', 't': '\t', 'r': '\r', 'n': '\n'}[m.group(1)], text)


def field_bool(text):
    """'1' / '0' for a boolean field as any release prints it (-T fields); other text as is."""
    return {'True': '1', 'False': '0'}.get(text, text)

