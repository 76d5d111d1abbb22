#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Wireshark plugin overhead benchmark (not a test; results go to docs/performance.md,
# section "Wireshark plugin overhead").  Generates a mixed capture (default 1,000,000
# frames: 40 % EBs with an RFC 9032 Join-Info IE, 20 % DIOs with the Minimum Enrollment
# Priority option, 40 % plain 6LoWPAN/UDP data), builds both DIO hook variants of the
# plugin (ICMPv6 ip.proto wrapper = default build, postdissector = -DENROLL_MEP_POSTDISSECTOR),
# and times tshark without/with the plugin, in summary mode and with a display filter.
#
#   bench/wireshark_overhead.sh [frames] [repetitions]      (defaults 1000000 3)
# Env: BENCH_DIR (work dir, default a mktemp dir), CC (default cc).
# As root, tshark runs through setpriv as nobody (Wireshark ignores WIRESHARK_PLUGIN_DIR
# for root).  Reported: CPU time (user+sys) of tshark, best of the interleaved repetitions.
set -euo pipefail

FRAMES=${1:-1000000}
REPS=${2:-3}
SRC=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-$(mktemp -d /tmp/enroll-bench.XXXXXX)}
CC=${CC:-cc}
mkdir -p "$WORK"
chmod 755 "$WORK"
PATHID=$(pkg-config --modversion wireshark | cut -d. -f1,2)

# --- plugin variants, built like the meson debugoptimized build (-O2 -g) ---
build() { # name extra-cflags...
    local d="$WORK/$1/$PATHID/epan"; shift
    mkdir -p "$d"
    $CC -shared -fPIC -O2 -g -fvisibility=hidden -DPLUGIN_VERSION='"bench"' "$@" \
        -I"$SRC/harness/codec/include" $(pkg-config --cflags wireshark) \
        "$SRC/dissector/packet-enroll.c" "$SRC/dissector/plugin.c" -o "$d/enroll.so"
}
build post -DENROLL_MEP_POSTDISSECTOR
build wrap
mkdir -p "$WORK/none/$PATHID/epan" "$WORK/home"
chmod -R a+rX "$WORK"; chmod 777 "$WORK/home"

# --- capture ---
CAP="$WORK/mixed-$FRAMES.pcap"
if [ ! -s "$CAP" ]; then
python3 - "$CAP" "$FRAMES" "$SRC/dissector/tests" <<'PY'
import sys, struct
sys.path.insert(0, sys.argv[3])
import enrollpcap as ep
path, n = sys.argv[1], int(sys.argv[2])
nodes = [bytes.fromhex('00127400000000%02x' % i) for i in range(1, 51)]
with open(path, 'wb') as fh:
    fh.write(struct.pack('<IHHiIII', 0xA1B2C3D4, 2, 4, 0, 0, 65535, ep.LINKTYPE_FCS))
    cache = {}
    for i in range(n):
        k = i % 10
        node = nodes[(i // 10) % len(nodes)]
        key = (k, node)
        f = cache.get(key)
        if f is None:
            if k < 4:    # EB + Join-Info (P=0/1, 8-octet network ID)
                f = ep.eb(node, [ep.join_info(p=k & 1, proxy=0x20 + k, rank=0x100, pan=1,
                                              iid=ep.IID if k & 1 else b'', netid=ep.NETID8)])
            elif k < 6:  # DIO + MEP (draft-16) + DODAG configuration
                f = ep.dio(node, [ep.mep_option(bytes([1, 0x30 + k, 0x3A])), ep.dodag_conf()])
            else:        # plain 6LoWPAN/UDP data
                f = ep.data_frame(node, i)
            f = f + struct.pack('<H', ep.crc16_kermit(f))
            cache[key] = f
        fh.write(struct.pack('<IIII', 1700000000 + i // 1000, (i % 1000) * 1000, len(f), len(f)))
        fh.write(f)
PY
chmod 644 "$CAP"
fi

DROP=()
[ "$(id -u)" = 0 ] && DROP=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
# One tshark run; prints its CPU time (user+sys, seconds).  CPU time rather than wall
# clock, because CI/dev boxes are shared: other jobs inflate wall time, not our CPU time.
once() { # variant args...
    local v=$1; shift
    local TIMEFORMAT='%U %S'
    if [ "$v" = none ]; then # the stock run gets no enroll.* preferences
        local a=() i=1
        while [ $i -le $# ]; do
            if [ "${!i}" = -o ] && [ $i -lt $# ]; then
                local j=$((i + 1))
                case ${!j} in enroll.*) i=$((i + 2)); continue ;; esac
            fi
            a+=("${!i}"); i=$((i + 1))
        done
        set -- "${a[@]}"
    fi
    { time "${DROP[@]}" env HOME="$WORK/home" WIRESHARK_PLUGIN_DIR="$WORK/$v" \
          tshark -n -r "$CAP" "$@" >/dev/null 2>/dev/null; } 2>&1 | awk '{printf "%.3f\n", $1 + $2}'
}
# Interleaved repetitions (none, post, wrap, none, post, wrap, ...); best (minimum) per variant.
measure() { # args... -> "none post wrap" best CPU seconds
    local bn= bp= bw= t
    for _ in $(seq "$REPS"); do
        t=$(once none "$@");  bn=$(python3 -c "print(min(x for x in [$t, ${bn:-1e9}]))")
        t=$(once post "$@");  bp=$(python3 -c "print(min(x for x in [$t, ${bp:-1e9}]))")
        t=$(once wrap "$@");  bw=$(python3 -c "print(min(x for x in [$t, ${bw:-1e9}]))")
    done
    echo "$bn $bp $bw"
}
ratio() { python3 -c "print('%+.1f %%' % (($1 / $2 - 1) * 100))"; }

echo "capture: $CAP ($FRAMES frames; 40 % EB+Join-Info, 20 % DIO+MEP, 40 % data)"
echo "tshark: $(tshark -v 2>/dev/null | head -1); CPUs: $(nproc); best of $REPS"
FILTER='icmpv6.type == 155'
printf '%-40s %9s %9s %9s\n' "mode (CPU s, best of $REPS)" no-plugin postdiss wrapper
report() { # label none post wrap
    printf '%-40s %9s %9s %9s   post %s, wrapper %s\n' "$1" "$2" "$3" "$4" "$(ratio "$3" "$2")" "$(ratio "$4" "$2")"
}
report "summary (tshark -n -r)" $(measure)
report "filter -Y '$FILTER'" $(measure -Y "$FILTER")
report "summary, -o enroll.mep_option_type:0" $(measure -o enroll.mep_option_type:0)
report "fields -T fields -e frame.number" $(measure -T fields -e frame.number)
# plugin-only filter (no baseline possible): both hooks, same CPU measure
for v in post wrap; do
    printf '%-40s %s: %ss\n' "-Y 'enroll.mep.min_priority >= 0x33'" "$v" "$(once "$v" -Y 'enroll.mep.min_priority >= 0x33')"
done
echo "work dir: $WORK"
