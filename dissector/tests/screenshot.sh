#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Regenerates docs/img/wireshark-enroll.png: wireshark-qt under Xvfb with the built plugin,
# one EB (Join-Info, with the cross-packet warning) and one DIO (MEP option) expanded,
# side by side.  Needs xvfb, xdotool, imagemagick (import, convert).  Not a test.
#   dissector/tests/screenshot.sh build/dissector/enroll.so docs/img/wireshark-enroll.png
set -euo pipefail
PLUGIN=$(realpath "$1"); OUT=$(realpath -m "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d /tmp/enroll-shot.XXXXXX); chmod 755 "$W"
PATHID=$(pkg-config --modversion wireshark | cut -d. -f1,2)
mkdir -p "$W/plug/$PATHID/epan" "$W/home/.config/wireshark"
cp "$PLUGIN" "$W/plug/$PATHID/epan/enroll.so"
python3 - "$W/gui.pcap" "$HERE" <<'PY'
import sys; sys.path.insert(0, sys.argv[2]); import enrollpcap as e
e.write_pcap(sys.argv[1], [e.dio(e.NODE_A, [e.mep_option(bytes([0x01, 0x40, 0x3A])), e.dodag_conf()]),
                           e.eb(e.NODE_A, [e.join_info(p=1, proxy=0x20, rank=0x100, pan=0x11, iid=e.IID,
                                                       netid=e.NETID8)])])
PY
printf 'gui.layout_content_3: NONE\n' > "$W/home/.config/wireshark/preferences"
chmod -R a+rwX "$W"
DROP=(); [ "$(id -u)" = 0 ] && DROP=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
shot() { # frame downs out
    printf 'gui.geometry_main_upper_pane: 70\ngui.geometry_main_lower_pane: 0\n' > "$W/home/.config/wireshark/recent"
    chmod 666 "$W/home/.config/wireshark/recent"
    Xvfb :97 -screen 0 1300x1500x24 -nolisten tcp >/dev/null 2>&1 & local xp=$!
    sleep 2
    "${DROP[@]}" env HOME="$W/home" XDG_RUNTIME_DIR="$W/home" DISPLAY=:97 WIRESHARK_PLUGIN_DIR="$W/plug" \
        QT_QPA_PLATFORM=xcb wireshark -r "$W/gui.pcap" -g "$1" >/dev/null 2>&1 & local wp=$!
    sleep 12
    local win; win=$(DISPLAY=:97 xdotool search --name gui.pcap | head -1)
    DISPLAY=:97 xdotool windowmove "$win" 0 0 windowsize "$win" 1300 1500; sleep 2
    DISPLAY=:97 xdotool mousemove 300 $((106 + 17 * $1)) click 1; sleep 1   # packet row
    DISPLAY=:97 xdotool mousemove 300 326 click 1; sleep 1                 # "Frame" in details
    for _ in $(seq "$2"); do DISPLAY=:97 xdotool key Down; sleep 0.3; done
    DISPLAY=:97 xdotool key shift+Right; sleep 2                            # expand subtrees
    DISPLAY=:97 import -window root "$3"
    kill "$wp"; sleep 1; kill "$xp"
}
shot 2 1 "$W/eb.png"    # EB: Frame -> IEEE 802.15.4
shot 1 4 "$W/dio.png"   # DIO: Frame -> wpan -> 6LoWPAN -> IPv6 -> ICMPv6
convert \( "$W/eb.png" -crop 1300x1380+0+0 +repage \) \( "$W/dio.png" -crop 1300x1380+0+0 +repage \) \
    +append -resize 85% "$OUT"
rm -rf "$W"
echo "wrote $OUT"
