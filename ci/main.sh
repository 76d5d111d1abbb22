#!/usr/bin/env bash
# The README's main-job command: install dependencies, build, regenerate the
# bundled vector captures and decode them with enroll-decode.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/deps.sh
[ -d build ] || meson setup build
meson compile -C build
build/tools/ek-vectors pcap --out vectors/pcap vectors/manifests
for f in vectors/pcap/wellformed-*.pcap; do
  echo "== $f"
  build/tools/enroll-decode "$f"
done
