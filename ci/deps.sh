#!/usr/bin/env bash
# Install the Debian 12 packages enrollkit needs to build and test.
# Uses sudo when not root.  Idempotent: apt-get skips what is already installed.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
PKGS=(
  build-essential meson ninja-build pkg-config clang llvm libclang-rt-14-dev
  libcriterion-dev libcbor-dev libpcap-dev libinih-dev libxml2-dev libxml2-utils
  tshark libwireshark-dev libglib2.0-dev libgcrypt20-dev
  python3 util-linux
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "ci/deps.sh: installing ${missing[*]}"
  # tshark asks whether non-root users may capture; answer once, non-interactively.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
