#!/usr/bin/env bash
# Decode the bundled vectors: install dependencies, build, regenerate the bundled
# vector captures from their CBOR manifests, verify them, and decode each one with
# enroll-decode under the wire profile (and 6LoWPAN contexts) its manifest names.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/deps.sh
[ -d build ] || meson setup build
meson compile -C build
out=build/vectors-pcap
build/tools/ek-vectors pcap --out "$out" vectors/manifests
for expect in "$out"/*.expect; do
  id=$(basename "$expect" .expect)
  ep_type=$(sed -n 's/^ep_type=//p' "$expect")
  ep_profile=$(sed -n 's/^profile_ep=//p' "$expect")
  ie_profile=$(sed -n 's/^profile_ie=//p' "$expect")
  # 6LoWPAN contexts (RFC 6282 §3.1.2): context.N=PREFIX/LEN -> --context N=PREFIX/LEN
  ctx=()
  while IFS= read -r c; do ctx+=(--context "$c"); done < <(sed -n 's/^context\.\([0-9]*\)=/\1=/p' "$expect")
  echo "=== $id  (ep-type $ep_type, $ep_profile, $ie_profile${ctx[*]:+, ${ctx[*]}})"
  build/tools/enroll-decode --ep-type "$ep_type" --ep-profile "$ep_profile" --ie-profile "$ie_profile" \
    ${ctx[@]+"${ctx[@]}"} "$out/$id.pcap"
done
echo
build/tools/ek-vectors verify --out "$out" vectors/manifests | tail -n 3
