#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Masters bootable images with tests/tools/master-image and boots them in QEMU (TCG, SeaBIOS).

usage: master-eltorito-boot.py --tool MASTER-IMAGE

The boot code is a few bytes of 16-bit x86 assembled here by hand: it writes a marker to QEMU's debug
console (I/O port 0xE9) and halts. Booted as El Torito no-emulation, 1.44 MB floppy emulation and hard-disk
emulation images; xorriso and isoinfo must also see the boot catalog as we wrote it."""
import argparse
import os
import subprocess
import sys
import tempfile
import time

TIMEOUT_S = 60
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def boot_code(marker):
    code = b""
    for ch in marker.encode():
        code += bytes([0xB0, ch, 0xE6, 0xE9])  # mov al, ch ; out 0xE9, al
    return code + bytes([0xFA, 0xF4, 0xEB, 0xFD])  # cli ; hlt ; jmp back to hlt


def boot_sector(marker, partition=False):
    s = bytearray(512)
    code = boot_code(marker)
    s[:len(code)] = code
    if partition:  # one partition entry: active, type 0x83, from LBA 1, 2047 sectors
        e = bytearray(16)
        e[0] = 0x80
        e[4] = 0x83
        e[8:12] = (1).to_bytes(4, "little")
        e[12:16] = (2047).to_bytes(4, "little")
        s[446:462] = e
    s[510], s[511] = 0x55, 0xAA
    return bytes(s)


def qemu_boot(iso, log):
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-m", "64", "-nographic", "-no-reboot", "-net", "none",
           "-monitor", "none", "-serial", "none", "-cdrom", iso, "-boot", "d", "-debugcon", "file:" + log]
    q = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen = b""
    deadline = time.monotonic() + TIMEOUT_S
    try:
        while time.monotonic() < deadline and q.poll() is None:
            time.sleep(0.2)
            if os.path.exists(log):
                with open(log, "rb") as f:
                    seen = f.read()
                if b"\n" in seen:
                    break
    finally:
        q.kill()
        q.wait()
    return seen


def case(tool, work, name, image_bytes, platform, emulation, boot_id):
    src = os.path.join(work, name + "-src")
    os.makedirs(src)
    with open(os.path.join(src, "readme.txt"), "w") as f:
        f.write("bootable " + name + "\n")
    boot = os.path.join(work, name + ".img")
    with open(boot, "wb") as f:
        f.write(image_bytes)
    iso = os.path.join(work, name + ".iso")
    r = subprocess.run([tool, "--boot", boot, "--boot-platform", str(platform), "--boot-emulation",
                        str(emulation), "--boot-id", boot_id, src, iso], stderr=subprocess.PIPE)
    check(r.returncode == 0, f"{name}: master-image exits 0 {r.stderr.decode(errors='replace')[-200:].strip()}")
    if r.returncode != 0:
        return

    info = subprocess.run(["isoinfo", "-d", "-i", iso], stdout=subprocess.PIPE).stdout.decode(errors="replace")
    check("El Torito VD version 1 found" in info, f"{name}: isoinfo -d finds the El Torito boot record")
    check(f"ID '{boot_id}'" in info, f"{name}: isoinfo -d shows the manufacturer ID")
    check(f"Boot media {emulation} " in info, f"{name}: isoinfo -d shows boot media type {emulation}")

    rep = subprocess.run(["xorriso", "-indev", iso, "-report_el_torito", "plain"], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT).stdout.decode(errors="replace")
    emul = {0: "none", 2: "fd1.4", 4: "hd"}[emulation]
    check(any(l.split()[5:9] == ["1", "BIOS", "y", emul] for l in rep.splitlines()
              if l.startswith("El Torito boot img :")),
          f"{name}: xorriso -report_el_torito shows one bootable BIOS image, emulation {emul}")

    marker = f"IMAPID-{name.upper()}-OK"
    seen = qemu_boot(iso, os.path.join(work, name + ".log"))
    check(marker.encode() in seen, f"{name}: QEMU boots the image and the boot code prints {marker!r} "
          f"(got {seen[:60]!r})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", required=True)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="master-boot-", dir=os.environ.get("IMAPID_BUILD_DIR")) as work:
        noemu = boot_code("IMAPID-NOEMU-OK\n")
        case(args.tool, work, "noemu", noemu, 0, 0, "imapid test")
        floppy = boot_sector("IMAPID-FLOPPY-OK\n") + bytes(1474560 - 512)
        case(args.tool, work, "floppy", floppy, 0, 2, "imapid floppy")
        disk = boot_sector("IMAPID-HARDDISK-OK\n", partition=True) + bytes(2048 * 512 - 512)
        case(args.tool, work, "harddisk", disk, 0, 4, "imapid disk")
    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
