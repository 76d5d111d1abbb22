#!/usr/bin/env bash
# Wireshark version matrix: build the plugin and run the dissector, oracle, agreement, vocabulary and report
# tests inside clean Debian root filesystems (mmdebstrap), as an unprivileged user, then
# check that the plugin decodes the same enroll.* values on every release.
#
#   ci/matrix.sh [--out DIR] [--keep] [--gate FILE] [RELEASE...]   (default: trixie sid)
#
# --gate FILE: set up each root file system and its packages, then wait until FILE
# (relative to the source tree) exists before building and testing; give up when the
# process that started this script is gone.  ci/test.sh sets them up beside its own
# tests, whose timing windows a build beside them could upset.
#
# RELEASE is a Debian suite name (trixie = Debian 13, Wireshark 4.4; sid = unstable,
# Wireshark 4.6 at the time of writing).  Each root file system starts from the bare
# "apt" variant: ci/deps.sh installs everything, exactly as on a fresh machine.  The
# host's own tshark (Debian 12: 4.0) is measured too when a build with the plugin is in
# build-ci/ or --host-build DIR.  Needs root (or sudo), mmdebstrap (installed when
# missing), network access to deb.debian.org.  Results: DIR/<release>.log,
# DIR/fields-<version>.txt, DIR/matrix.txt (default DIR: build-matrix/).
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD

OUT=build-matrix KEEP=0 HOST_BUILD=build-ci GATE="" RELEASES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --gate) GATE=$2; shift 2 ;;
    --host-build) HOST_BUILD=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "ci/matrix.sh: unknown option '$1' (try --help)" >&2; exit 1 ;;
    *) RELEASES+=("$1"); shift ;;
  esac
done
[ "${#RELEASES[@]}" -gt 0 ] || RELEASES=(trixie sid)
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
case "$HOST_BUILD" in /*) ;; *) HOST_BUILD=$SRC/$HOST_BUILD ;; esac
: > "$OUT/matrix.txt"

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
if ! command -v mmdebstrap >/dev/null; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends mmdebstrap
fi

# What runs inside each root file system: dependencies as root (SETUP), everything else
# as "ek" (BUILD_TEST).
SETUP='set -euo pipefail
cd /src
ci/deps.sh --no-clang
apt-get install -y -qq --no-install-recommends passwd >/dev/null
id ek >/dev/null 2>&1 || useradd -m ek
chown -R ek: /src'
BUILD_TEST='set -euo pipefail
cd /src
runuser -u ek -- bash -euo pipefail -c "
  tshark --version | head -n1
  meson setup /home/ek/build -Dwerror=true -Dtests=enabled >/dev/null
  # Only what these suites run: the plugin, the tools the oracles drive, the report tests.
  meson compile -C /home/ek/build enroll enroll-decode ek-vectors ek-bench-gen test_report_fields test_runreport \
    oscore_oracle_gen join_oracle_gen
  ENROLL_FUZZ_FRAMES=3000 meson test -C /home/ek/build --no-rebuild --print-errorlogs --num-processes 2 \
    --suite dissector --suite oracle --suite agreement --suite report --suite vocabulary
  ENROLL_PLUGIN=/home/ek/build/dissector/enroll.so ENROLL_SRCDIR=/src/dissector ENROLL_VECTORS=/src/vectors/pcap \
  ENROLL_INCDIR=/src/harness/codec/include \
  ENROLL_WS_PATH_ID=\$(pkg-config --modversion wireshark | cut -d. -f1,2) \
    python3 dissector/tests/test_dissector.py dump-fields /src/fields.txt >/dev/null
  cp /src/fields.txt /src/fields-\$(tshark --version | sed -n \"s/^TShark (Wireshark) \\([0-9.]*[0-9]\\).*/\\1/p\").txt
  ci/install-plugin.sh
  ci/install-plugin.sh --uninstall
"
ci/install-plugin.sh --system
tshark -G plugins 2>/dev/null | grep -F enroll.so
ci/install-plugin.sh --system --uninstall'

# Where the root file systems go: a memory file system when one with room is there
# (EK_MATRIX_DIR overrides).  On disk, their gigabytes of unpacking fill the page cache
# with dirty pages, and the kernel then throttles every process that writes, whatever its
# CPU priority: tests with timing windows beside this script stall for hundreds of ms.
matrix_dir() {
  if [ -n "${EK_MATRIX_DIR:-}" ]; then echo "$EK_MATRIX_DIR"; return; fi
  local avail
  avail=$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')
  if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] && [ "${avail:-0}" -gt $((2500000 * ${#RELEASES[@]})) ] &&
     ! findmnt -no OPTIONS /dev/shm 2>/dev/null | grep -qw noexec; then
    echo /dev/shm
  else
    echo "${TMPDIR:-/tmp}"
  fi
}
MATRIX_DIR=$(matrix_dir)

# Runs a script in root file system $1, in a private mount namespace: /proc, /dev, /sys
# and /tmp for the chroot vanish with it.
in_root() {
  $SUDO unshare -m --propagation private bash -c '
        r=$1; mount -t proc proc "$r/proc"; mount --rbind /dev "$r/dev"; mount --rbind /sys "$r/sys"
        mount -t tmpfs tmpfs "$r/tmp"
        exec chroot "$r" bash -c "$2"' _ "$1" "$2"
}

status=0
# One release: root file system, source, SETUP, (the gate,) then BUILD_TEST.
# Prints its one-line result; exit status 0 = pass.
run_release() {
  local rel=$1 root log start ver
  root=$(mktemp -d "$MATRIX_DIR/ek-matrix-$rel.XXXXXX")
  # stopped early (CI gave up, ^C): the root file system goes too, as it may hold memory
  [ "$KEEP" = 1 ] || trap '$SUDO rm -rf "$root"' EXIT
  trap 'exit 143' TERM INT
  log="$OUT/$rel.log"
  start=$SECONDS
  # Unstable's Release file may be past its Valid-Until date between pushes.  dpkg without
  # fsync (the root file system is thrown away): set-up is faster, and a storm of fsyncs
  # would stall every other writer on the disk.
  if ! $SUDO mmdebstrap --variant=apt --format=directory --skip=output/dev \
        --aptopt='Acquire::Check-Valid-Until "false"' --dpkgopt=force-unsafe-io \
        "$rel" "$root" http://deb.debian.org/debian >"$log" 2>&1; then
    echo "$rel: mmdebstrap failed (see $log)"
    $SUDO rm -rf "$root"
    return 1
  fi
  # The source: what git tracks (plus new files) in a checkout, else the tree without build folders.
  if command -v git >/dev/null && git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z -co --exclude-standard | tar --null -T - -cf -
  else
    tar --exclude='./build*' --exclude='./.git' --exclude='./results*' -cf - .
  fi | $SUDO tar -C "$root" --no-same-owner -xf - --transform='s|^\(\./\)\{0,1\}|src/|'
  $SUDO cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
  local rc=0
  in_root "$root" "$SETUP" >>"$log" 2>&1 || rc=$?
  local waited=0 w0
  if [ "$rc" = 0 ] && [ -n "$GATE" ]; then
    echo "==== set up in $((SECONDS - start)) s; waiting for $GATE ====" >>"$log"
    w0=$SECONDS
    while [ ! -e "$GATE" ]; do
      # a parent killed outright (a CI time-out) cannot open the gate: do not wait forever
      kill -0 "$PPID" 2>/dev/null || { echo "==== the process that started ci/matrix.sh is gone ====" >>"$log"; return 1; }
      sleep 1
    done
    waited=$((SECONDS - w0))
  fi
  [ "$rc" = 0 ] && { in_root "$root" "$BUILD_TEST" >>"$log" 2>&1 || rc=$?; }
  if [ "$rc" = 0 ]; then
    ver=$(sed -n 's/^TShark (Wireshark) \([0-9.]*[0-9]\).*/\1/p' "$log" | head -n1)
    cp "$root"/src/fields-*.txt "$OUT/"
    echo "$rel: Wireshark $ver: dissector, oracle, agreement, vocabulary and report tests pass ($((SECONDS - start - waited)) s${GATE:+, after $waited s waiting for $GATE})"
  else
    echo "$rel: FAILED after $((SECONDS - start)) s (see $log)"
  fi
  if [ "$KEEP" = 1 ]; then echo "kept $root" >&2; else $SUDO rm -rf "$root"; fi
  return "$rc"
}

# The releases run side by side: downloads and package set-up of one overlap the other's build.
printf '==== %s: root file system (in %s), deps, build, tests (logs in %s) ====\n' "${RELEASES[*]}" "$MATRIX_DIR" "$OUT"
pids=()
for rel in "${RELEASES[@]}"; do
  run_release "$rel" >"$OUT/$rel.result" &
  pids+=($!)
done
for k in "${!pids[@]}"; do
  rel=${RELEASES[$k]}
  if ! wait "${pids[$k]}"; then
    status=1
    cat "$OUT/$rel.result" | tee -a "$OUT/matrix.txt"
    tail -n 40 "$OUT/$rel.log"
  else
    cat "$OUT/$rel.result" | tee -a "$OUT/matrix.txt"
  fi
done

# The host's release, from a build that has the plugin.
if [ -e "$HOST_BUILD/dissector/enroll.so" ] && command -v tshark >/dev/null; then
  hv=$(tshark --version 2>/dev/null | sed -n 's/^TShark (Wireshark) \([0-9.]*[0-9]\).*/\1/p')
  ENROLL_PLUGIN=$HOST_BUILD/dissector/enroll.so ENROLL_SRCDIR=$SRC/dissector ENROLL_VECTORS=$SRC/vectors/pcap \
  ENROLL_INCDIR=$SRC/harness/codec/include ENROLL_WS_PATH_ID=${hv%.*} \
    python3 dissector/tests/test_dissector.py dump-fields "$OUT/fields-$hv.txt" >/dev/null
fi

printf '==== enroll.* values across releases ====\n'
mapfile -t dumps < <(ls "$OUT"/fields-*.txt 2>/dev/null | sort -V)
if [ "${#dumps[@]}" -lt 2 ]; then
  echo "fewer than two releases measured: nothing to compare" | tee -a "$OUT/matrix.txt"
  status=1
else
  for f in "${dumps[@]:1}"; do
    if diff -u "${dumps[0]}" "$f" >"$OUT/diff.txt"; then
      echo "$(basename "${dumps[0]}" .txt) = $(basename "$f" .txt): $(wc -l <"$f") identical values" | tee -a "$OUT/matrix.txt"
    else
      echo "$(basename "${dumps[0]}" .txt) != $(basename "$f" .txt):" | tee -a "$OUT/matrix.txt"
      head -n 40 "$OUT/diff.txt"
      status=1
    fi
  done
fi
exit $status
