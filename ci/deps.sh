#!/usr/bin/env bash
# Install the Debian / Ubuntu packages enrollkit needs to build and test.  Tested on
# Debian 12 (bookworm), 13 (trixie) and unstable; written for Ubuntu 24.04 (untested) and
# Ubuntu 22.04 (with a warning: its meson and Wireshark are too old).  Uses sudo when not
# root.  Idempotent: nothing is downloaded when every package is already installed.
#
#   ci/deps.sh            everything (build, unit tests, Wireshark plugin, sanitizers, fuzzing,
#                         the headless browser that renders report.html in its test)
#   ci/deps.sh --no-clang without clang / LLVM and the browser (no libFuzzer smoke run, no
#                         html suite; used by ci/matrix.sh)
set -euo pipefail

WITH_CLANG=1
case "${1:-}" in
  --no-clang) WITH_CLANG=0 ;;
  -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "ci/deps.sh: unknown option '$1' (try --help)" >&2; exit 1 ;;
esac

# Same names on every supported release.  The clang runtime (sanitizers, libFuzzer) is
# the one package whose name changes: it is chosen below from the clang apt would install.
PKGS=(
  build-essential meson ninja-build pkg-config
  libcriterion-dev libcbor-dev libpcap-dev libinih-dev libxml2-dev libxml2-utils
  tshark libwireshark-dev libglib2.0-dev libgcrypt20-dev
  python3 util-linux
)
[ "$WITH_CLANG" = 1 ] && PKGS+=(clang llvm)
# The html suite renders report.html in headless Chromium.  Its package is chosen below
# (chromium-headless-shell where it exists: Debian 12, 13, unstable; it leaves out the
# desktop browser's GTK stack); the fonts give the screenshots text without Recommends.
[ "$WITH_CLANG" = 1 ] && PKGS+=(fonts-dejavu-core)

unsupported() {
  cat >&2 <<EOF
ci/deps.sh: $1
enrollkit needs: a C11 compiler, meson (>= 0.63), ninja, pkg-config, and the development
files of criterion, libcbor, libpcap, inih, libxml2 (+ xmllint), libgcrypt and, for the
Wireshark plugin, Wireshark >= 4.0 (libwireshark-dev, glib-2.0) with tshark; python3;
setpriv (util-linux); clang with its compiler-rt runtime for the sanitizer and fuzz runs;
headless Chromium (chromium-headless-shell or chromium) for the report.html test.
Install those with your package manager, then run the test command again.
EOF
  exit 1
}

if ! command -v apt-get >/dev/null || ! command -v dpkg-query >/dev/null; then
  unsupported "no apt-get / dpkg here: this script installs Debian or Ubuntu packages only."
fi
OS_ID=unknown OS_VERSION_ID="" OS_CODENAME=""
if [ -r /etc/os-release ]; then
  # shellcheck disable=SC1091
  . /etc/os-release
  OS_ID=${ID:-unknown} OS_VERSION_ID=${VERSION_ID:-} OS_CODENAME=${VERSION_CODENAME:-}
fi
case "$OS_ID:$OS_VERSION_ID" in
  debian:12|debian:13|debian:|ubuntu:24.04) ;;   # debian: = testing / unstable
  ubuntu:22.04)
    echo "ci/deps.sh: warning: Ubuntu 22.04 ships meson 0.61 and Wireshark 3.6; enrollkit needs" \
         "meson >= 0.63 (e.g. pip install --user 'meson>=0.63') and, for the plugin, Wireshark >= 4.0" \
         "(e.g. the Wireshark stable PPA). Installing the rest." >&2 ;;
  *) echo "ci/deps.sh: warning: $OS_ID $OS_VERSION_ID $OS_CODENAME is not a tested system;" \
          "trying the Debian package names" >&2 ;;
esac

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || unsupported "not root and no sudo: run this script as root."
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
available() { [ -n "$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p' | grep -v '(none)')" ]; }

missing=()
for p in "${PKGS[@]}"; do installed "$p" || missing+=("$p"); done
# The installed clang's runtime: present already unless clang was just installed.
clang_rt_ok() {
  [ "$WITH_CLANG" = 0 ] && return 0
  command -v clang >/dev/null || return 1
  local f
  f=$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null || true)
  [ -n "$f" ] && [ -e "$f" ]
}

browser_ok() {
  [ "$WITH_CLANG" = 0 ] && return 0
  [ -n "${EK_CHROMIUM:-}" ] && [ -x "$EK_CHROMIUM" ] && return 0
  installed chromium-headless-shell || installed chromium
}

if [ "${#missing[@]}" -eq 0 ] && clang_rt_ok && browser_ok; then
  exit 0
fi

# tshark asks whether non-root users may capture; answer once, non-interactively.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
$SUDO apt-get update -qq

if [ "$WITH_CLANG" = 1 ]; then
  # "clang" depends on clang-N; its sanitizer / libFuzzer runtime is libclang-rt-N-dev
  # (Debian 12+, Ubuntu 24.04) or part of libclang-common-N-dev (Ubuntu 22.04).
  clang_major=$(apt-cache depends clang 2>/dev/null | sed -n 's/.*Depends: clang-\([0-9][0-9]*\)$/\1/p' | head -n1)
  [ -n "$clang_major" ] || unsupported "cannot tell which clang version apt would install."
  if available "libclang-rt-$clang_major-dev"; then
    missing+=("libclang-rt-$clang_major-dev")
  else
    missing+=("libclang-common-$clang_major-dev")
  fi
fi

if ! browser_ok; then
  if available chromium-headless-shell; then
    missing+=(chromium-headless-shell)
  elif available chromium; then
    missing+=(chromium)
  else
    echo "ci/deps.sh: warning: no chromium package on $OS_ID $OS_VERSION_ID (Ubuntu ships it as a snap);" \
         "the report.html browser test (meson test --suite html) fails until EK_CHROMIUM names a" \
         "Chromium binary" >&2
  fi
fi

for p in "${missing[@]}"; do
  available "$p" || unsupported "package '$p' is not available on $OS_ID $OS_VERSION_ID (enable 'universe' on Ubuntu)."
done
echo "ci/deps.sh: installing ${missing[*]}"
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
