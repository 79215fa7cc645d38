#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Regenerates tests/fuzz/corpus/: the answers and builders of make-corpus (built in BUILD_DIR), and for
# fuzz-image-check the volume descriptor areas (sectors 16-31) of images made by genisoimage (ISO 9660 with
# Joliet and Rock Ridge, ISO 9660 with UDF) — tools we did not write.
#   tests/fuzz/make-corpus.sh BUILD_DIR
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${1:?usage: make-corpus.sh BUILD_DIR}
CORPUS=$HERE/corpus
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

"$BUILD/tests/fuzz/make-corpus" "$CORPUS"

mkdir -p "$TMP/src/dir" "$CORPUS/fuzz-image-check"
echo hello > "$TMP/src/a.txt"
echo deeper > "$TMP/src/dir/b.txt"
export SOURCE_DATE_EPOCH=1700000000
genisoimage -quiet -J -R -V FUZZ -o "$TMP/jr.iso" "$TMP/src"
genisoimage -quiet -udf -V FUZZUDF -o "$TMP/udf.iso" "$TMP/src"
genisoimage -quiet -V PLAIN -o "$TMP/plain.iso" "$TMP/src"
for iso in jr udf plain; do
        dd if="$TMP/$iso.iso" of="$CORPUS/fuzz-image-check/vds-$iso" bs=2048 skip=16 count=16 status=none
done
# Just the primary volume descriptor, and a set terminator before it (no volume).
dd if="$TMP/plain.iso" of="$CORPUS/fuzz-image-check/pvd-only" bs=2048 skip=16 count=1 status=none
{ printf '\377CD001\001'; head -c 2041 /dev/zero; cat "$CORPUS/fuzz-image-check/pvd-only"; } \
        > "$CORPUS/fuzz-image-check/terminator-first"
for d in "$CORPUS"/*/; do echo "$(basename "$d"): $(ls "$d" | wc -l) seeds"; done
