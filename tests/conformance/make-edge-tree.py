#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Builds a tree of mastering edge cases in DEST (deterministic).

usage: make-edge-tree.py DEST

Empty files and directories, 10,000 files in one directory, names that collide after ISO 9660 mangling,
names that differ only in case, names of 64 and 65 characters and of 255 bytes, NFC and NFD spellings,
names Joliet cannot hold, symlinks (relative, absolute, dangling, long), modes 0700/0644/0600/0755,
mtimes before 1970 and after 2038, a 20-level chain (two ISO 9660 relocations), odd file sizes."""
import os
import random
import sys
import unicodedata

dest = sys.argv[1]
rnd = random.Random(4242)
os.makedirs(dest, exist_ok=True)


def put(rel, data=b"", mode=0o644, mtime=None):
    path = os.path.join(dest, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, mode)
    if mtime is not None:
        os.utime(path, (mtime, mtime))


def mkdir(rel, mode=0o755):
    path = os.path.join(dest, rel)
    os.makedirs(path, exist_ok=True)
    os.chmod(path, mode)


# empty things
put("empty-file")
mkdir("empty-dir")
mkdir("nested/empty/dirs/all/the/way")

# 10,000 files in one directory
for i in range(10000):
    put(f"many/f{i:05d}.txt", b"%d\n" % i)

# collisions after ISO 9660 mangling (level 2: 30 characters, d-characters only)
for n in ["a-b.txt", "a b.txt", "a_b.txt", "A_B.txt", "a+b.txt", "a.b.txt", "a;b.txt"]:
    put("collide/" + n, n.encode())
long_prefix = "this_is_a_rather_long_file_name_that_iso_truncates"
for i in range(12):
    put(f"collide/{long_prefix}_{i:02d}.data", bytes([i]) * (i + 1))
put("collide/noext", b"file")
mkdir("collide/NOEXT.d")
put("collide/.hidden", b"dot file")
put("collide/trailing.", b"trailing dot")
put("collide/multi.dots.in.name.tar.gz", b"tgz")
put("collide/ext.toolongextension", b"long ext")

# names that differ only in case
for n in ["readme", "README", "ReadMe", "readme.TXT", "README.txt"]:
    put("case/" + n, n.encode())
mkdir("case/Dir")
mkdir("case/dir")

# long names
put("long/" + "x" * 64, b"64")
put("long/" + "y" * 65, b"65")
put("long/" + "z" * 60 + ".text", b"65 with extension")
put("long/" + "é" * 127 + "a", b"255 bytes")        # 2*127 + 1 = 255 bytes
put("long/" + "w" * 255, b"255 ascii")
mkdir("long/" + "d" * 70)
put("long/" + "d" * 70 + "/inside", b"inside a long directory")

# NFC and NFD spellings are different names
nfc = unicodedata.normalize("NFC", "café")
nfd = unicodedata.normalize("NFD", "café")
put("unicode/" + nfc, b"nfc")
put("unicode/" + nfd, b"nfd")
put("unicode/日本語のファイル名.txt", b"cjk")
put("unicode/emoji-\U0001F600.txt", b"outside the BMP")
put("unicode/colon:star*question?.txt", b"joliet cannot hold these")
put("unicode/back\\slash", b"backslash")

# symlinks
os.makedirs(os.path.join(dest, "links"), exist_ok=True)
os.symlink("../empty-file", os.path.join(dest, "links/relative"))
os.symlink("/etc/hostname", os.path.join(dest, "links/absolute"))
os.symlink("does/not/exist", os.path.join(dest, "links/dangling"))
os.symlink("./a/../b/./c", os.path.join(dest, "links/dots"))
os.symlink("/".join(["component%03d" % i for i in range(40)]), os.path.join(dest, "links/long-target"))
os.symlink("q" * 250, os.path.join(dest, "links/long-component"))
os.symlink("../empty-dir", os.path.join(dest, "links/to-dir"))

# modes
put("modes/private", b"0600", 0o600)
put("modes/public", b"0644", 0o644)
put("modes/exec", b"#!/bin/sh\n", 0o755)
mkdir("modes/private-dir", 0o700)
put("modes/private-dir/file", b"inside 0700")

# times before 1970 and after 2038
put("times/1960", b"old", mtime=-315619200)        # 1960-01-01
put("times/1901", b"older", mtime=-2147483000)     # near the 32-bit limit
put("times/2050", b"new", mtime=2524608000)        # 2050-01-01
put("times/2100", b"newer", mtime=4102444800)      # 2100-01-01
put("times/2200", b"beyond 2155", mtime=7258118400)  # 2200-01-01: needs the long TF form

# odd sizes
for size in [1, 2047, 2048, 2049, 4096, 100000]:
    put(f"sizes/s{size}", rnd.randbytes(size))

# a 20-level chain: relocated at levels 9 and 15
p = "deep"
for lvl in range(20):
    p += f"/level{lvl:02d}"
    put(p + "/file.txt", f"level {lvl}".encode())

# a directory named like the relocation directory
put("rr_moved/not-the-real-one", b"user data")

# give directories deterministic times last (creating children changed them)
for root, dirs, files in os.walk(dest):
    os.utime(root, (1600000000, 1600000000))
