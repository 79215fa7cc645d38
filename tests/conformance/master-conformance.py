#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Masters a tree with tests/tools/master-image and lets tools we did not write judge the image.

usage: master-conformance.py --tool MASTER-IMAGE --tree small|deep|edge [--keep-deep] [--gen-tree GEN-TREE.PY]

Checks: the image is exactly UsedDataBlocks x 2048 bytes; `xorriso -compare_r` finds no difference;
`isoinfo -d` reports Joliet and Rock Ridge; `isoinfo -l -J` lists the Joliet names; `iso-read` (libcdio),
`7z x` and `bsdtar -x` extract byte-identical files (bsdtar also symlinks, modes and mtimes)."""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
JOLIET_BAD = set("*/:;?\\")
VOLUME_TIME = "1700000000"
YEAR_2156 = 5869584000  # 2156-01-01
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def make_tree(kind, dest, gen_tree):
    if kind == "edge":
        subprocess.run([sys.executable, os.path.join(HERE, "make-edge-tree.py"), dest], check=True)
    else:
        subprocess.run([sys.executable, gen_tree, kind, dest], check=True)


def walk(src):
    """(relative path, lstat) of everything below src."""
    out = []
    for root, dirs, files in os.walk(src):
        for n in dirs + files:
            p = os.path.join(root, n)
            out.append((os.path.relpath(p, src), os.lstat(p)))
    return out


def joliet_ok(name):
    return len(name) <= 64 and all(c not in JOLIET_BAD and 0x20 <= ord(c) <= 0xFFFF for c in name)


def same_bytes(a, b):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            x, y = fa.read(1 << 20), fb.read(1 << 20)
            if x != y:
                return False
            if not x:
                return True


def isoinfo_joliet_paths(iso):
    """Paths in `isoinfo -l -J` (isoinfo shows Joliet in Latin-1, '_' for other characters)."""
    out = run(["isoinfo", "-l", "-J", "-i", iso]).stdout.decode("latin-1")
    paths, cur = set(), None
    for line in out.splitlines():
        if line.startswith("Directory listing of "):
            cur = line[len("Directory listing of "):]
            continue
        if cur is None or len(line) < 60 or "]" not in line:
            continue
        name = line.split("]", 1)[1][2:]
        name = name[:-1] if name.endswith(" ") else name
        if name in (".", ".."):
            continue
        if name.endswith(";1"):
            name = name[:-2]
        paths.add((cur + name)[1:])
    return paths


def latin1_view(path):
    return "".join(c if ord(c) < 256 else "_" for c in path)


def check_joliet_listing(iso, entries):
    listed = isoinfo_joliet_paths(iso)
    expected = {latin1_view(p) for p, st in entries
                if not (st.st_mode & 0o170000 == 0o120000) and all(joliet_ok(c) for c in p.split("/"))}
    n_joliet = sum(1 for p, st in entries if st.st_mode & 0o170000 != 0o120000)
    missing = expected - listed
    check(not missing, f"isoinfo -l -J lists the Joliet names ({len(expected)} checked, missing "
          f"{sorted(missing)[:3]})")
    check(len(listed) == n_joliet, f"isoinfo -l -J lists {len(listed)} entries, {n_joliet} staged")


def check_iso_read(iso, src, entries, keep_deep):
    files = [p for p, st in entries if st.st_mode & 0o170000 == 0o100000
             and all(len(c.encode()) < 254 for c in p.split("/"))        # libcdio truncates longer RR names
             and (keep_deep or p.count("/") < 8)]                         # libcdio does not follow RRIP CL
    sample = random.Random(7).sample(files, min(len(files), 150))
    bad = []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        for p in sample:
            r = run(["iso-read", "-i", iso, "-e", "/" + p, "-o", out])
            if r.returncode != 0 or not same_bytes(out, os.path.join(src, p)):
                bad.append(p)
    check(not bad, f"iso-read extracts {len(sample)} sampled files byte-identical (bad: {bad[:3]})")


def check_7z(iso, src, entries, work):
    dest = os.path.join(work, "x7")
    r = run(["7z", "x", "-y", "-o" + dest, iso])
    check(r.returncode == 0, "7z x exits 0")
    files = [p for p, st in entries if st.st_mode & 0o170000 == 0o100000]
    # 7z renames names ending in '.' or ' ' the Windows way
    plain = [p for p in files if all(joliet_ok(c) and c[-1] not in ". " for c in p.split("/"))]
    bad = [p for p in plain if not os.path.isfile(os.path.join(dest, p))
           or not same_bytes(os.path.join(dest, p), os.path.join(src, p))]
    got = sum(len(f) for _, _, f in os.walk(dest))
    check(not bad, f"7z x extracts {len(plain)} files byte-identical (bad: {bad[:3]})")
    check(got == len(files), f"7z x extracts {got} files, {len(files)} staged")
    shutil.rmtree(dest)


def same_entry(a, b, st):
    sb = os.lstat(b)
    kind = st.st_mode & 0o170000
    if kind != sb.st_mode & 0o170000:
        return False
    if kind == 0o120000:
        return os.readlink(a) == os.readlink(b)
    if st.st_mode & 0o7777 != sb.st_mode & 0o7777:
        return False
    if kind == 0o100000:
        # libarchive 3.6 reads the month of RRIP long-form (17-byte) times one too high; only times after
        # 2155 need that form
        same_time = int(st.st_mtime) == int(sb.st_mtime) or st.st_mtime >= YEAR_2156
        return same_time and same_bytes(a, b)
    return True


def check_bsdtar(iso, src, entries, work):
    dest = os.path.join(work, "xb")
    os.makedirs(dest)
    r = run(["bsdtar", "-x", "-p", "-f", iso, "-C", dest])
    check(r.returncode == 0, f"bsdtar -x exits 0 ({r.stderr.decode(errors='replace').strip()[:200]})")
    got = {p for p, _ in walk(dest)}
    want = {p for p, _ in entries}
    check(got == want, f"bsdtar -x extracts the same {len(want)} paths (missing {sorted(want - got)[:3]}, "
          f"extra {sorted(got - want)[:3]})")
    bad = [p for p, st in entries if p in got and not same_entry(os.path.join(src, p), os.path.join(dest, p), st)]
    check(not bad, f"bsdtar -x: contents, symlinks, modes and mtimes match (bad: {bad[:3]})")
    shutil.rmtree(dest)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", required=True)
    ap.add_argument("--tree", required=True, choices=["small", "deep", "edge"])
    ap.add_argument("--gen-tree", default="/work/shared/bench/gen-tree.py")
    ap.add_argument("--keep-deep", action="store_true")
    args = ap.parse_args()

    base = os.environ.get("IMAPID_BUILD_DIR") or None
    work = tempfile.mkdtemp(prefix=f"master-{args.tree}-", dir=base)
    try:
        src, iso = os.path.join(work, "src"), os.path.join(work, "image.iso")
        make_tree(args.tree, src, args.gen_tree)
        entries = walk(src)
        cmd = [args.tool, "--print-blocks", "--time", VOLUME_TIME, "--volume", "Conformance " + args.tree]
        cmd += ["--mangle"] if args.tree == "edge" else []
        cmd += ["--keep-deep"] if args.keep_deep else []
        r = run(cmd + [src, iso])
        check(r.returncode == 0, f"master-image exits 0 ({r.stderr.decode(errors='replace').strip()[-300:]})")
        if r.returncode != 0:
            return 1
        blocks = int(r.stdout.split()[0])
        check(os.path.getsize(iso) == blocks * 2048,
              f"image is {os.path.getsize(iso)} bytes = UsedDataBlocks {blocks} x 2048")

        r = run(["xorriso", "-abort_on", "NEVER", "-indev", iso, "-compare_r", src, "/"])
        out = (r.stdout + r.stderr).decode(errors="replace")
        check(r.returncode == 0 and "Both file objects match as far as expectable" in out,
              "xorriso -compare_r reports no difference: "
              + " | ".join(l for l in out.splitlines() if "<>" in l or "only in" in l.lower())[:400])

        info = run(["isoinfo", "-d", "-i", iso]).stdout.decode(errors="replace")
        check("Joliet with UCS level 3 found" in info, "isoinfo -d reports Joliet")
        check("Rock Ridge signatures version 1 found" in info, "isoinfo -d reports Rock Ridge")
        check(f"Volume size is: {blocks}" in info, "isoinfo -d reports the volume size")

        check_joliet_listing(iso, entries)
        check_iso_read(iso, src, entries, args.keep_deep)
        check_7z(iso, src, entries, work)
        check_bsdtar(iso, src, entries, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
