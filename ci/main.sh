#!/usr/bin/env bash
# The README's main-job command: install dependencies, build, regenerate the bundled
# vector captures from their CBOR manifests, verify them, and decode each one with
# enroll-decode under the wire profile its manifest names.
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
  echo "=== $id  (ep-type $ep_type, $ep_profile, $ie_profile)"
  build/tools/enroll-decode --ep-type "$ep_type" --ep-profile "$ep_profile" --ie-profile "$ie_profile" \
    "$out/$id.pcap"
done
echo
build/tools/ek-vectors verify --out "$out" vectors/manifests | tail -n 3
