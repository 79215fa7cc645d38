#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Unmodified burning tools (cdrskin, xorriso, wodim) against the emulated drive behind a umockdev
# /dev/sr0 (emu-sg-bridge), judged by the tools themselves and by xorriso, bchunk and cmp.
#   test-emu-tools.sh UMOCKDEV-WRAPPER EMU-SG-BRIDGE
set -euo pipefail

WRAPPER=$(command -v "$1")
BRIDGE=$(realpath "$2")
PY=/usr/bin/python3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/test-emu-tools-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
n=0

bridge() { timeout 300 "$WRAPPER" "$BRIDGE" "$@"; }
ok() { n=$((n + 1)); echo "ok $n - $*"; }
fail() { echo "not ok - $*"; exit 1; }
expect() { # expect PATTERN FILE: the tool said it
        grep -qE -- "$1" "$2" || { cat "$2"; fail "expected '$1' in $2"; }
}

# Inputs: 1,200,000 bytes of data (586 sectors), a small tree, three WAV files, a CD-TEXT sheet.
head -c 1200000 /dev/urandom > data.bin
mkdir -p tree/sub
echo hello > tree/a.txt
head -c 300000 /dev/urandom > tree/sub/r.bin
$PY - <<'EOF'
import os, wave
for i, secs in enumerate([5, 7, 4.5], 1):
    w = wave.open(f"t{i}.wav", "wb")
    w.setnchannels(2); w.setsampwidth(2); w.setframerate(44100)
    w.writeframes(os.urandom(int(secs * 44100) // 588 * 588 * 4))
    w.close()
EOF
cat > sheet.v07t <<'EOF'
Input Sheet Version = 0.7T
Text Code = 8859
Language Code = English
Album Title = Test Album
Artist Name = Test Band
UPC / EAN = 1234567890128
Track 01 Title = First
Track 02 Title = Second
Track 03 Title = Third
Track 01 Artist = Test Band
Track 02 Artist = Guest
Track 03 Artist = Test Band
Input Sheet Version = 0.7T
EOF
pcm_equal() { # pcm_equal IMAGE WAV... : the image starts with the WAVs' PCM, one after the other
        $PY - "$@" <<'EOF'
import sys
img = open(sys.argv[1], "rb").read()
pcm = b"".join(open(f, "rb").read()[44:] for f in sys.argv[2:])
sys.exit(0 if img[:len(pcm)] == pcm else 1)
EOF
}

# 1. cdrskin reads the ATIP of a blank 80 min CD-R.
bridge --medium cd-r -- cdrskin dev=/dev/sr0 -atip > out 2>&1 || fail "cdrskin -atip"
expect "ATIP start of lead in:  -11635 \(97:26/65\)" out
expect "ATIP start of lead out: 359849 \(79:59/74\)" out
expect "Supported modes: TAO SAO" out
ok "cdrskin -atip"

# 2. cdrskin TAO, kept appendable: lead-out after 2 run-out blocks, next session at +11400.
bridge --medium cd-r --state-dir cd --image cd1.img -- cdrskin dev=/dev/sr0 -tao -multi -data data.bin \
        > out 2>&1 || { cat out; fail "cdrskin -tao -multi"; }
cmp -n 1200000 data.bin cd1.img || fail "TAO data differs"
bridge --state-dir cd -- cdrskin dev=/dev/sr0 -toc > out 2>&1 || fail "cdrskin -toc"
expect "track:   1 lba:         0 .* control: 4" out
expect "track:lout lba:       588" out
expect "appendable CD-R" out
bridge --state-dir cd -- cdrskin dev=/dev/sr0 -msinfo > out 2>&1 || fail "cdrskin -msinfo"
expect "^0,11988$" out
ok "cdrskin TAO multi-session, -toc, -msinfo"

# 3. xorriso appends a session and reads it back from the drive.
bridge --state-dir cd -- xorriso -dev /dev/sr0 -map tree /tree -commit > out 2>&1 || { cat out; fail "append"; }
bridge --state-dir cd -- xorriso -indev /dev/sr0 -toc -compare_r tree /tree > out 2>&1 || { cat out; fail "compare"; }
expect "ISO session  :   2 ,     11988 ," out
expect "match as far as expectable" out
ok "xorriso appends a CD session"

# 4. xorriso on every DVD/BD profile; the disc as OpenImage gives it holds the tree.
for m in dvd-r dvd-rw dvd+r dvd+r-dl dvd+rw dvd-ram bd-r bd-re; do
        rm -f o.img
        bridge --medium $m --image o.img -- xorriso -dev /dev/sr0 -map tree /tree -commit > out 2>&1 ||
                { cat out; fail "xorriso on $m"; }
        xorriso -indev o.img -compare_r tree /tree > out 2>&1 || { cat out; fail "image of $m"; }
        expect "match as far as expectable" out
        ok "xorriso burns $m"
done
bridge --medium dvd-r-dl --image o.img -- xorriso -dev /dev/sr0 -close on -map tree /tree -commit > out 2>&1 ||
        { cat out; fail "xorriso on dvd-r-dl"; }
xorriso -indev o.img -compare_r tree /tree > out 2>&1 || fail "image of dvd-r-dl"
ok "xorriso burns dvd-r-dl (closed)"

# 5. CD-RW: simulation leaves it blank; burn, then a fast blank empties it.
bridge --medium cd-rw --state-dir rw -- cdrskin dev=/dev/sr0 -dummy -tao -data data.bin > out 2>&1 ||
        fail "cdrskin -dummy"
bridge --state-dir rw -- cdrskin dev=/dev/sr0 -toc > out 2>&1 || true
expect "blank CD-RW" out
bridge --state-dir rw -- cdrskin dev=/dev/sr0 -tao -data data.bin > out 2>&1 || fail "burn CD-RW"
bridge --state-dir rw -- cdrskin dev=/dev/sr0 blank=fast > out 2>&1 || { cat out; fail "blank=fast"; }
bridge --state-dir rw -- cdrskin dev=/dev/sr0 -toc > out 2>&1 || true
expect "blank CD-RW" out
ok "cdrskin -dummy and blank=fast on CD-RW"

# 6. cdrskin SAO audio with CD-TEXT and a catalog number: the CUE sheet and the PCM come back.
bridge --medium cd-r --image a.bin --cue a.cue -- cdrskin dev=/dev/sr0 -sao input_sheet_v07t=sheet.v07t \
        -audio t1.wav t2.wav t3.wav > out 2>&1 || { cat out; fail "cdrskin -sao -audio"; }
expect '^CATALOG 1234567890128$' a.cue
expect '^TITLE "Test Album"$' a.cue
expect '^    TITLE "Second"$' a.cue
expect '^    PERFORMER "Guest"$' a.cue
pcm_equal a.bin t1.wav t2.wav t3.wav || fail "SAO PCM differs"
cp a.bin image.bin
bchunk -w image.bin a.cue split > /dev/null 2>&1 || fail "bchunk"
for i in 1 2 3; do
        cmp -n $(($(stat -c %s t$i.wav) - 44)) <(tail -c +45 t$i.wav) <(tail -c +45 split0$i.wav) ||
                fail "bchunk track $i"
done
ok "cdrskin SAO audio with CD-TEXT"

# 7. wodim: ATIP of a CD-RW, DAO audio, TAO data.
bridge --medium cd-rw -- wodim dev=/dev/sr0 -atip > out 2>&1 || fail "wodim -atip"
expect "Is erasable" out
bridge --medium cd-r --image w.bin -- wodim dev=/dev/sr0 -dao -audio t1.wav t2.wav t3.wav > out 2>&1 ||
        { cat out; fail "wodim -dao"; }
pcm_equal w.bin t1.wav t2.wav t3.wav || fail "wodim DAO PCM differs"
bridge --medium cd-r --image w.img -- wodim dev=/dev/sr0 -tao -data data.bin > out 2>&1 || fail "wodim -tao"
cmp -n 1200000 data.bin w.img || fail "wodim TAO data differs"
ok "wodim -atip, -dao audio, -tao data"

# 8. DVD-RW: format to restricted overwrite and back.
bridge --medium dvd-rw --state-dir drw -- cdrskin dev=/dev/sr0 blank=format_overwrite > out 2>&1 ||
        { cat out; fail "format_overwrite"; }
bridge --state-dir drw -- cdrskin dev=/dev/sr0 -minfo > out 2>&1 || true
expect "DVD-RW restricted overwrite" out
bridge --state-dir drw -- cdrskin dev=/dev/sr0 blank=deformat_sequential > out 2>&1 || fail "deformat"
bridge --state-dir drw -- cdrskin dev=/dev/sr0 -minfo > out 2>&1 || true
expect "DVD-RW sequential recording" out
ok "cdrskin formats a DVD-RW and deformats it"

# 9. A throttled 8x burn: libburn keeps the buffer fed, no underrun.
bridge --medium cd-r --speed 8 --stats -- cdrskin dev=/dev/sr0 -tao -data data.bin > out 2>&1 ||
        { cat out; fail "throttled burn"; }
expect "underruns 0 " out
ok "cdrskin at 8x, no underrun"

echo "1..$n"
