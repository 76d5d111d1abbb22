#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# report.html in a real browser: html_page writes the report of a mixed network built from
# real frames and of a run with nothing to judge; headless Chromium renders each to a PNG
# and dumps its DOM; the checks read what the browser built (verdict, node sections,
# finding rows with their rules and frames, links, the interop table, escaping) and the
# screenshot (a PNG of the window size whose banner has the verdict's colour).  TAP.
#
#   html_render.sh HTML_PAGE OUTDIR
#
# The browser is chromium-headless-shell or chromium (ci/deps.sh installs it; EK_CHROMIUM
# names another).  Without one the test fails: a report nobody rendered is not tested.
set -uo pipefail

page_bin=${1:?usage: html_render.sh HTML_PAGE OUTDIR}
out=${2:?usage: html_render.sh HTML_PAGE OUTDIR}

browser=${EK_CHROMIUM:-}
if [ -z "$browser" ]; then
  for b in chromium-headless-shell chromium; do
    if command -v "$b" >/dev/null 2>&1; then browser=$(command -v "$b"); break; fi
  done
fi
if [ -z "$browser" ] || ! [ -x "$browser" ]; then
  echo "1..1"
  echo "not ok 1 - no headless browser: install chromium-headless-shell (Debian 12, 13, unstable) or chromium; ci/deps.sh does"
  exit 1
fi
command -v python3 >/dev/null 2>&1 || { echo "1..1"; echo "not ok 1 - python3 is needed to read the DOM"; exit 1; }

rm -rf "$out"
mkdir -p "$out/mixed" "$out/nothing"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

# --no-sandbox: root has no user namespace sandbox here; a fresh profile per run so no
# state (cache, first-run) leaks between runs.
chrome() {
  timeout 60 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --no-default-browser-check \
    --disable-extensions --hide-scrollbars --user-data-dir="$profile" "$@"
}

echo "TAP version 13"
echo "1..12"

for kind in mixed nothing; do
  dir="$out/$kind"
  if "$page_bin" "$kind" "$dir" >"$dir/expect.txt" 2>"$dir/page.err"; then
    ok "$kind: html_page wrote $(wc -c <"$dir/report.html") octets of report.html"
  else
    notok "$kind: html_page failed" "$(cat "$dir/page.err")"
    for what in "self-contained" "DOM" "screenshot"; do notok "$kind: $what not checked"; done
    continue
  fi
  # Self-contained: nothing the page loads or runs.
  if grep -nE 'https?://|<script|<link|<img|<iframe| src=|url\(|@import' "$dir/report.html" >"$dir/external.txt"; then
    notok "$kind: the page references something outside itself" "$(head -3 "$dir/external.txt")"
  else
    ok "$kind: no URL, script, stylesheet link, image or import in the page"
  fi
  url="file://$(cd "$dir" && pwd)/report.html"
  if chrome --dump-dom "$url" >"$dir/dom.html" 2>"$dir/chrome-dom.err" && [ -s "$dir/dom.html" ]; then
    ok "$kind: $(basename "$browser") dumped the DOM"
  else
    notok "$kind: --dump-dom failed" "$(tail -5 "$dir/chrome-dom.err")"
  fi
  rm -f "$dir/report.png"
  if chrome --screenshot="$dir/report.png" --window-size=1280,2000 "$url" >/dev/null 2>"$dir/chrome-png.err" \
     && [ -s "$dir/report.png" ]; then
    ok "$kind: screenshot written ($(wc -c <"$dir/report.png") octets)"
  else
    notok "$kind: --screenshot failed" "$(tail -5 "$dir/chrome-png.err")"
  fi
done

# Everything below reads the browser's output, never the file we wrote.
check_py=$(cat <<'EOF'
import sys, struct, zlib
from html.parser import HTMLParser

kind, dom_path, png_path, expect_path = sys.argv[1:5]
problems = []

expect = {"findings": []}
for line in open(expect_path, encoding="utf-8"):
    key, _, rest = line.rstrip("\n").partition(" ")
    if key == "finding":
        node, rule, frame = rest.split(" ")
        expect["findings"].append((node, rule, frame))
    else:
        expect[key] = rest

class Dom(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.body = None
        self.nodes = []
        self.findings = []
        self.ids = set()
        self.hrefs = []
        self.tables = {}
        self.circles = []
        self.scripts = 0
        self.h3_text = []
        self.in_h3 = 0
        self.elements_in_h3 = []
        self.banner = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "body":
            self.body = a
        if tag == "script":
            self.scripts += 1
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and (a.get("href") or "").startswith("#"):
            self.hrefs.append(a["href"][1:])
        if tag == "header" and a.get("id") == "banner":
            self.banner = a
        if tag == "section" and "node" in cls:
            self.nodes.append(a)
        if tag == "tr" and "finding" in cls:
            self.findings.append(a)
        if tag == "table" and "id" in a:
            self.tables[a["id"]] = a
        if tag == "circle" and "fail" in cls:
            self.circles.append(a)
        if self.in_h3 and tag not in ("span",):
            self.elements_in_h3.append(tag)
        if tag == "h3":
            self.in_h3 += 1
            self.h3_text.append("")
    def handle_endtag(self, tag):
        if tag == "h3" and self.in_h3:
            self.in_h3 -= 1
    def handle_data(self, data):
        if self.in_h3:
            self.h3_text[-1] += data

d = Dom()
d.feed(open(dom_path, encoding="utf-8").read())

def check(cond, msg):
    if not cond:
        problems.append(msg)

check(d.body is not None, "no <body>")
verdict = (d.body or {}).get("data-verdict")
check(verdict == expect.get("verdict"), f"body data-verdict {verdict!r}, html_page said {expect.get('verdict')!r}")
check(d.banner is not None and d.banner.get("data-verdict") == verdict, "banner data-verdict differs from body")
check(len(d.nodes) == int(expect.get("nodes", -1)), f"{len(d.nodes)} node sections, html_page said {expect.get('nodes')}")
check(d.scripts == 0, f"{d.scripts} script elements")
got = sorted((f.get("data-node"), f.get("data-rule"), f.get("data-frame")) for f in d.findings)
want = sorted(expect["findings"])
check(got == want, f"finding rows {got[:6]}... differ from html_page's {want[:6]}...")
fail_rows = [f for f in d.findings if f.get("data-severity") == "FAIL"]
check(len(d.circles) == len(fail_rows), f"{len(d.circles)} red points, {len(fail_rows)} FAIL rows")
missing = sorted(set(h for h in d.hrefs if h not in d.ids))
check(not missing, f"links to missing ids: {missing[:5]}")
for need in ("interop", "findings", "rules"):
    check(need in d.tables, f"no table#{need}")
pairs = int(expect.get("pairs", 0))
if "interop" in d.tables:
    check(int(d.tables["interop"].get("data-pairs", -1)) == pairs, "interop data-pairs differs")
if kind == "mixed":
    check(verdict == "FAIL", "the mixed network must fail")
    rules = {f.get("data-rule") for f in d.findings}
    for r in ("min-below-parent", "network-id", "malformed"):
        check(r in rules, f"no {r} finding row")
    check(pairs > 0, "no interop pair in the mixed network")
    outcomes = {n.get("data-outcome") for n in d.nodes}
    check({"fail", "pass", "not judged"} <= outcomes, f"node outcomes {outcomes}")
    name = expect.get("name", "")
    check(any(name in t for t in d.h3_text), f"declared name {name!r} not shown as text: {d.h3_text}")
    check(not [e for e in d.elements_in_h3 if e in ("b", "i", "script")], f"markup from a name: {d.elements_in_h3}")
else:
    check(verdict == "NOTHING JUDGED", "nothing to judge must say so")
    check("v-pass" not in (d.banner or {}).get("class", ""), "a nothing-judged banner is green")

# The screenshot: a PNG (RFC 2083 §3.1 signature, IHDR) of the window size, not a blank page,
# whose banner is red for FAIL and grey (never green) for nothing judged.
raw = open(png_path, "rb").read()
check(len(raw) > 10 * 1024, f"PNG only {len(raw)} octets")
check(raw[:8] == b"\x89PNG\r\n\x1a\n", "no PNG signature")
w, h, depth, ctype = struct.unpack(">IIBB", raw[16:26])
check((w, h) == (1280, 2000), f"PNG {w}x{h}")
check(depth == 8 and ctype in (2, 6), f"PNG depth {depth} colour type {ctype}")
if not problems:
    idat, pos = b"", 8
    while pos < len(raw):
        ln, typ = struct.unpack(">I4s", raw[pos:pos + 8])
        if typ == b"IDAT":
            idat += raw[pos + 8:pos + 8 + ln]
        pos += 12 + ln
    bpp = 4 if ctype == 6 else 3
    stride = w * bpp
    rows_needed = 40
    data = zlib.decompressobj().decompress(idat, (stride + 1) * rows_needed)
    prev = bytearray(stride)
    rows = []
    for r in range(rows_needed):
        f = data[r * (stride + 1)]
        line = bytearray(data[r * (stride + 1) + 1:(r + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    px = tuple(rows[30][1200 * bpp:1200 * bpp + 3])
    want_rgb = {"FAIL": (0xc6, 0x28, 0x28), "NOTHING JUDGED": (0x61, 0x61, 0x61)}.get(verdict)
    if want_rgb:
        check(all(abs(x - y) <= 12 for x, y in zip(px, want_rgb)), f"banner pixel {px}, want {want_rgb}")
    check(not (px[1] > px[0] + 40 and px[1] > px[2] + 40), f"banner is green: {px}")

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
EOF
)

for kind in mixed nothing; do
  dir="$out/$kind"
  if [ -s "$dir/dom.html" ] && [ -s "$dir/report.png" ] && \
     python3 -c "$check_py" "$kind" "$dir/dom.html" "$dir/report.png" "$dir/expect.txt" >"$dir/check.txt" 2>&1; then
    ok "$kind: rendered DOM: verdict $(sed -n 's/^verdict //p' "$dir/expect.txt"), $(sed -n 's/^nodes //p' "$dir/expect.txt") node sections, $(grep -c '^finding ' "$dir/expect.txt") finding rows, links resolve"
    ok "$kind: screenshot is a 1280x2000 PNG with the verdict's banner colour"
  else
    mapfile -t lines < <(cat "$dir/check.txt" 2>/dev/null)
    notok "$kind: rendered page differs from what the checker found" "${lines[@]}"
    notok "$kind: screenshot not checked"
  fi
done

exit $((fails > 0))
