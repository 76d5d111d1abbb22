#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The counts written in README.md and docs/vectors.md match what the tree holds (TAP):
# vectors (total, well-formed, malformed, with 6LoWPAN contexts, secured, bad-*) as
# `ek-vectors list` reads vectors/manifests, the TDs of `enroll-harness --list` and the
# compliant variants of `enroll-refdut --list-variants`; and the per-vector table of
# docs/vectors.md names exactly the manifests.  A number that is no longer found in its
# sentence fails too, so a reworded sentence cannot drop out of the check unnoticed.
# Usage: doc_counts_test.sh EK-VECTORS ENROLL-HARNESS ENROLL-REFDUT SOURCE-ROOT
set -u
vec=$1 harness=$2 refdut=$3 root=$4
readme=$root/README.md
vdoc=$root/docs/vectors.md
T=$(mktemp -d /tmp/ek-doc-counts.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; [ $# -gt 1 ] && echo "# $2"; }

# in_doc WHAT FILE ERE WANT: the first match of ERE in FILE (a sed -E pattern whose group 1
# is the number) equals WANT.
in_doc() {
    what=$1 file=$2 ere=$3 want=$4
    got=$(sed -nE "s/.*$ere.*/\\1/p" "$file" | head -n 1)
    if [ -z "$got" ]; then
        nok "$what" "no match for /$ere/ in $file"
    elif [ "$got" = "$want" ]; then
        ok "$what: $want"
    else
        nok "$what" "$file says $got, the tree has $want"
    fi
}

if ! "$vec" list "$root/vectors/manifests" >"$T/vectors" 2>"$T/err"; then
    echo "1..1"
    echo "not ok 1 - ek-vectors list"
    sed 's/^/# /' "$T/err"
    exit 1
fi
total=$(wc -l <"$T/vectors" | tr -d ' ')
wf=$(awk '$3 == "yes"' "$T/vectors" | wc -l | tr -d ' ')
mal=$(awk '$3 == "no"' "$T/vectors" | wc -l | tr -d ' ')
ctx=$(grep -c 'ctx\[' "$T/vectors")
sec=$(grep -c 'keys\[' "$T/vectors")
bad=$(grep -c '^bad-' "$T/vectors")
files=$(ls "$root/vectors/manifests"/*.cbor 2>/dev/null | wc -l | tr -d ' ')

if ! "$harness" --list >"$T/tds" 2>"$T/err"; then
    nok "enroll-harness --list" "$(head -n 3 "$T/err")"
fi
tds=$(grep -c '^TP-' "$T/tds")
if ! "$refdut" --list-variants >"$T/variants" 2>"$T/err"; then
    nok "enroll-refdut --list-variants" "$(head -n 3 "$T/err")"
fi
variants=$(($(wc -l <"$T/variants") - 1)) # minus the header line

if [ "$files" = "$total" ] && [ $((wf + mal)) = "$total" ]; then
    ok "ek-vectors list reads every manifest ($files)"
else
    nok "ek-vectors list reads every manifest" "$files files, $total listed, $wf + $mal"
fi

in_doc "README: CBOR manifests" "$readme" '\| ([0-9]+) CBOR manifests \(' "$total"
in_doc "README: well-formed vectors" "$readme" ' CBOR manifests \(([0-9]+) well-formed' "$wf"
in_doc "README: malformed vectors" "$readme" ' CBOR manifests \([0-9]+ well-formed, ([0-9]+) malformed' "$mal"
in_doc "README: TDs" "$readme" 'the TD registry \(([0-9]+) TDs' "$tds"
in_doc "README: compliant refdut variants" "$readme" '; ([0-9]+) compliant `--variant`s' "$variants"

in_doc "vectors.md: shared vectors" "$vdoc" 'the ([0-9]+) shared vectors \(' "$total"
in_doc "vectors.md: well-formed" "$vdoc" 'shared vectors \(([0-9]+) well-formed' "$wf"
in_doc "vectors.md: malformed" "$vdoc" 'shared vectors \([0-9]+ well-formed, ([0-9]+) malformed' "$mal"
in_doc "vectors.md: with 6LoWPAN contexts" "$vdoc" 'malformed\), ([0-9]+) of them with 6LoWPAN contexts' "$ctx"
in_doc "vectors.md: secured" "$vdoc" '6LoWPAN contexts, ([0-9]+) secured' "$sec"
in_doc "vectors.md: table heading total" "$vdoc" '^### vectors\/manifests \(([0-9]+):' "$total"
in_doc "vectors.md: table heading well-formed" "$vdoc" '^### vectors\/manifests \([0-9]+: ([0-9]+) well-formed' "$wf"
in_doc "vectors.md: table heading malformed" "$vdoc" '^### vectors\/manifests \([0-9]+: [0-9]+ well-formed, ([0-9]+) malformed' "$mal"
in_doc "vectors.md: bad-* vectors" "$vdoc" '\| ([0-9]+) `bad-\*` vectors' "$bad"
in_doc "vectors.md: tshark results" "$vdoc" 'all ([0-9]+) well-formed vectors' "$wf"

# The per-vector table under "### vectors/manifests" lists exactly the manifests.
awk '{ print $1 }' "$T/vectors" | sort >"$T/ids"
awk '/^### vectors\/manifests/ { on = 1; next } /^#/ { on = 0 } on' "$vdoc" |
    sed -nE 's/^\| `([A-Za-z0-9._-]+)` \|.*/\1/p' | sort >"$T/doc-ids"
if cmp -s "$T/ids" "$T/doc-ids"; then
    ok "vectors.md: the vector table names every manifest once ($total)"
else
    nok "vectors.md: the vector table names every manifest once" \
        "$(diff "$T/ids" "$T/doc-ids" | grep '^[<>]' | sed 's/^</missing:/; s/^>/extra:/' | tr '\n' ' ')"
fi

echo "1..$n"
[ "$fails" -eq 0 ]
