#!/usr/bin/env bash
# Build the "enroll" Wireshark plugin for the Wireshark installed here and install it.
#
#   ci/install-plugin.sh            into your personal plugin folder,
#                                   ~/.local/lib/wireshark/plugins/<major.minor>/epan
#   sudo ci/install-plugin.sh       the same, for the user who ran sudo
#   ci/install-plugin.sh --system   into Wireshark's global plugin folder (needs root)
#   ci/install-plugin.sh --uninstall [--system]
#
# Needs a C compiler, pkg-config, tshark and Wireshark's development files (Debian /
# Ubuntu: build-essential pkg-config tshark libwireshark-dev); nothing else of enrollkit.
# The plugin is compiled against the installed headers, so it must be rebuilt when
# Wireshark's major.minor version changes.  Afterwards `tshark -G plugins` is run as the
# user the plugin is for, and the script fails unless enroll.so is listed.
# Wireshark ignores personal plugin folders when it runs as root: use --system for root.
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM=0 UNINSTALL=0
for a in "$@"; do
  case "$a" in
    --system) SYSTEM=1 ;;
    --uninstall) UNINSTALL=1 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-plugin: unknown option '$a' (try --help)" >&2; exit 1 ;;
  esac
done
die() { echo "install-plugin: $*" >&2; exit 1; }

command -v pkg-config >/dev/null && pkg-config --exists wireshark ||
  die "Wireshark's development files are missing (Debian / Ubuntu: apt-get install libwireshark-dev pkg-config)."
command -v tshark >/dev/null || die "tshark is missing (Debian / Ubuntu: apt-get install tshark)."
CC=${CC:-cc}
command -v "$CC" >/dev/null || die "no C compiler '$CC' (Debian / Ubuntu: apt-get install build-essential)."

dev_version=$(pkg-config --modversion wireshark)
run_version=$(tshark --version 2>/dev/null | sed -n 's/^TShark (Wireshark) \([0-9][0-9.]*[0-9]\).*/\1/p' | head -n1)
path_id=$(echo "$dev_version" | cut -d. -f1,2)
[ "$path_id" = "$(echo "$run_version" | cut -d. -f1,2)" ] ||
  die "libwireshark-dev is $dev_version but tshark is $run_version: a plugin loads only into the major.minor it was built for."
case "$path_id" in
  4.*) ;;
  *) die "Wireshark $dev_version: the plugin needs 4.0 or newer." ;;
esac

# Who the plugin is for, and where it goes.
user=$(id -un)
if [ "$SYSTEM" = 1 ]; then
  [ "$(id -u)" -eq 0 ] || die "--system writes into Wireshark's global folder: run it with sudo."
  dest=$(pkg-config --variable=plugindir wireshark)/epan
else
  if [ "$(id -u)" -eq 0 ]; then
    [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ] ||
      die "Wireshark ignores personal plugin folders when it runs as root: run this as the user who runs Wireshark, or use --system."
    user=$SUDO_USER
  fi
  home=$(getent passwd "$user" | cut -d: -f6)
  [ -n "$home" ] || die "cannot find the home folder of '$user'."
  dest=$home/.local/lib/wireshark/plugins/$path_id/epan
fi
as_user() { if [ "$(id -un)" = "$user" ]; then "$@"; else runuser -u "$user" -- "$@"; fi; }

if [ "$UNINSTALL" = 1 ]; then
  rm -f "$dest/enroll.so"
  echo "removed $dest/enroll.so"
  exit 0
fi

# The same compile flags as dissector/meson.build: the plugin needs only Wireshark's
# headers and enrollkit's wire constants (harness/codec/include/ek/consts.h).
version=$(sed -n "s/^ *version : '\([^']*\)'.*/\1/p" meson.build | head -n1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck disable=SC2046
"$CC" -std=gnu11 -O2 -g -fPIC -shared -fvisibility=hidden -Wall -Wextra \
  -DPLUGIN_VERSION="\"${version:-0.0.0}\"" -Iharness/codec/include \
  $(pkg-config --cflags wireshark) dissector/packet-enroll.c dissector/plugin.c \
  $(pkg-config --libs wireshark) -o "$work/enroll.so"

if [ "$SYSTEM" = 1 ]; then
  install -d "$dest"
  install -m 0644 "$work/enroll.so" "$dest/enroll.so"
else
  # As the user, so that folders created under ~ (also ~/.local) belong to them.
  chmod 0755 "$work" && chmod 0644 "$work/enroll.so"
  as_user install -d "$dest"
  as_user install -m 0644 "$work/enroll.so" "$dest/enroll.so"
fi
echo "installed $dest/enroll.so (Wireshark $dev_version, enrollkit ${version:-?})"

listed=$(as_user tshark -G plugins 2>/dev/null | grep -F "enroll.so" || true)
[ -n "$listed" ] || die "tshark -G plugins (as $user) does not list enroll.so: is another enroll.so shadowing it, or WIRESHARK_PLUGIN_DIR set?"
echo "tshark -G plugins (as $user): $listed"
