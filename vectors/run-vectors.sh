#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Regenerates one pcap per manifest and verifies pcap == manifest and decode ==
# expectation.  Usage: run-vectors.sh EK_VECTORS MANIFEST_DIR OUT_DIR
# Exit 77 (meson: skipped) when MANIFEST_DIR holds no *.cbor.
set -u
tool=$1 dir=$2 out=$3
set -- "$dir"/*.cbor
if [ ! -e "$1" ]; then
    echo "1..0 # SKIP no manifests in $dir"
    exit 77
fi
mkdir -p "$out" || exit 1
"$tool" pcap --out "$out" "$dir" || exit 1
exec "$tool" verify --out "$out" "$dir"
