#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The emulated drive judged by burning programs we did not write (DESIGN.md §9.3): unmodified cdrskin, wodim
and xorriso drive it through SG_IO behind a umockdev /dev/sr0 (tests/hotplug/emu-bridge.c). Their view of the
drive and the disc must match what the emulator models, their burns must succeed, and what they wrote must
read back byte for byte. Avoids --devices/-scanbus (umockdev 0.17's 50-entry fd map)."""
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("IMAPID_SOURCE_DIR") or os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(SRC, "tests", "hotplug"))

from hotplug_test import Bridge  # noqa: E402
from imapid_test import main  # noqa: E402

# Blank media as the emulator models them (and real 80 min / 4.7 GB / 25 GB discs report them).
CAPACITY = {"cd-r": 359849, "cd-rw": 359849, "dvd-r": 2298496, "dvd-rw": 2298496, "dvd+r": 2295104,
            "dvd+rw": 2295104, "dvd+r-dl": 4173824, "dvd-r-dl": 4171712, "dvd-ram": 2236704, "bd-r": 12219392,
            "bd-re": 12219392}
LIBBURN_NAMES = {"cd-r": "CD-R", "cd-rw": "CD-RW", "dvd-r": "DVD-R sequential recording",
                 "dvd-rw": "DVD-RW sequential recording", "dvd+r": "DVD+R", "dvd+rw": "DVD+RW",
                 "dvd+r-dl": "DVD+R/DL", "dvd-r-dl": "DVD-R/DL sequential recording", "dvd-ram": "DVD-RAM",
                 "bd-r": "BD-R sequential recording", "bd-re": "BD-RE"}
TOOL_TIMEOUT = 120


class ToolTestCase(unittest.TestCase):
    def setUp(self):
        self.bridge = Bridge(trace=bool(os.environ.get("IMAPID_BRIDGE_TRACE")))
        self.tmp = tempfile.mkdtemp(prefix="imapid-tools.")
        self.src = os.path.join(self.tmp, "src")
        os.makedirs(os.path.join(self.src, "sub"))
        with open(os.path.join(self.src, "hello.txt"), "w") as f:
            f.write("hello from the emulated drive\n")
        with open(os.path.join(self.src, "sub", "random.bin"), "wb") as f:
            f.write(os.urandom(700 * 1024 + 17))
        self.iso = os.path.join(self.tmp, "src.iso")
        subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-J", "-R", "-V", "EMUTOOLS", "-o", self.iso,
                        self.src], check=True, capture_output=True)

    def tearDown(self):
        if os.environ.get("IMAPID_BRIDGE_TRACE"):
            sys.stderr.write(self.bridge.stderr())
        self.bridge.close()
        subprocess.run(["rm", "-rf", self.tmp], check=False)

    def drive(self, medium=None, **opts):
        if medium:
            opts["medium"] = medium
        self.bridge.add(0, **opts)

    def tool(self, *args, stdout_only=False):
        """Runs a tool against the testbed; returns its output (stdout and stderr, or stdout only)."""
        r = subprocess.run(["umockdev-wrapper"] + list(args), env=self.bridge.env(), capture_output=True,
                           text=True, timeout=TOOL_TIMEOUT, stdin=subprocess.DEVNULL)
        out = r.stdout + r.stderr
        self.assertEqual(r.returncode, 0, "%s failed:\n%s\n--- bridge ---\n%s" % (args, out[-6000:],
                                                                                 self.bridge.stderr()[-3000:]))
        return r.stdout if stdout_only else out

    def each_medium(self, media, check):
        """check(medium) on a fresh drive holding a blank disc of each medium, as a subtest."""
        for medium in media:
            with self.subTest(medium=medium):
                self.drive(medium)
                try:
                    check(medium)
                finally:
                    self.bridge.cmd("remove", 0)

    def toc(self):
        return self.tool("xorriso", "-outdev", "/dev/sr0", "-toc")

    def image(self):
        """What the emulated disc holds (2048-byte user data)."""
        path = os.path.join(self.tmp, "disc.img")
        self.bridge.cmd("image", 0, path)
        with open(path, "rb") as f:
            return f.read()

    def assertImageHoldsIso(self):
        data = self.image()
        with open(self.iso, "rb") as f:
            iso = f.read()
        self.assertGreaterEqual(len(data), len(iso))
        self.assertEqual(data[:len(iso)], iso)  # then padding
        path = os.path.join(self.tmp, "disc.img")
        r = subprocess.run(["xorriso", "-abort_on", "FAILURE", "-indev", path, "-compare_r", self.src, "/"],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)


class InquiryTest(ToolTestCase):
    def test_cdrskin_and_wodim_inquiry(self):
        self.drive("cd-r", vendor="ACME", product="Burner 9000", revision="4.56")
        out = self.tool("cdrskin", "dev=/dev/sr0", "-inq")
        self.assertIn("Vendor_info    : 'ACME'", out)
        self.assertIn("Identifikation : 'Burner 9000'", out)
        self.assertIn("Revision       : '4.56'", out)
        out = self.tool("wodim", "dev=/dev/sr0", "-inq")
        self.assertRegex(out, r"Vendor_info\s*: 'ACME\s*'")
        self.assertRegex(out, r"Identification : 'Burner 9000\s*'")
        self.assertIn("Removable CD-ROM", out)

    def test_xorriso_drive_type(self):
        self.drive("dvd+rw", vendor="ACME", product="Burner 9000", revision="4.56")
        out = self.toc()
        self.assertIn("Drive type   : vendor 'ACME' product 'Burner 9000' revision '4.56'", out)


class AtipTest(ToolTestCase):
    """ATIP (MMC-6 §6.26.2.6): what both cdrecord-style tools read matches the emulated CD-R/RW."""

    def check_atip(self, medium, erasable):
        self.drive(medium)
        lead_out = CAPACITY[medium]
        msf = "(%02d:%02d/%02d)" % ((lead_out + 150) // 4500, (lead_out + 150) // 75 % 60, (lead_out + 150) % 75)
        for tool in ("cdrskin", "wodim"):
            with self.subTest(tool=tool):
                out = self.tool(tool, "dev=/dev/sr0", "-atip")
                self.assertIn("ATIP info from disk", out)
                self.assertIn("Is erasable" if erasable else "Is not erasable", out)
                self.assertRegex(out, r"ATIP start of lead out: %d %s" % (lead_out, re.escape(msf)))
                self.assertIn("Supported modes: TAO SAO", out)

    def test_cd_r(self):
        self.check_atip("cd-r", False)

    def test_cd_rw(self):
        self.check_atip("cd-rw", True)


class TocTest(ToolTestCase):
    def test_cdrskin_toc_after_burn(self):
        self.drive("cd-r")
        self.tool("cdrskin", "dev=/dev/sr0", "-tao", self.iso)
        sectors = os.path.getsize(self.iso) // 2048
        out = self.tool("cdrskin", "dev=/dev/sr0", "-toc")
        self.assertIn("first: 1 last 1", out)
        # A TAO track ends with two run-out blocks (MMC-6 §4.2.3.5): the lead-out starts after them.
        self.assertRegex(out, r"track:lout lba:\s+%d " % (max(sectors, 300) + 2))
        out = self.tool("wodim", "dev=/dev/sr0", "-toc")
        self.assertRegex(out, r"track:lout lba:\s+%d " % (max(sectors, 300) + 2))


class BurnTest(ToolTestCase):
    def test_cdrskin_tao_cd_r(self):
        self.drive("cd-r")
        out = self.tool("cdrskin", "-v", "dev=/dev/sr0", "-tao", "padsize=300k", self.iso)
        self.assertIn("real TAO", out)
        self.assertImageHoldsIso()
        self.assertIn("is written , is closed", self.toc())

    def test_cdrskin_tao_dvd_plus_r(self):
        self.drive("dvd+r")
        self.tool("cdrskin", "-v", "dev=/dev/sr0", "-tao", self.iso)
        self.assertImageHoldsIso()
        self.assertIn("is written , is closed", self.toc())

    def test_wodim_tao_cd_r(self):
        self.drive("cd-r")
        self.tool("wodim", "-v", "dev=/dev/sr0", "-tao", self.iso)
        self.assertImageHoldsIso()

    def test_cdrskin_blank_fast_cd_rw(self):
        self.drive("cd-rw")
        self.tool("cdrskin", "dev=/dev/sr0", "-tao", self.iso)
        self.assertIn("is written", self.toc())
        out = self.tool("cdrskin", "-v", "dev=/dev/sr0", "blank=fast")
        self.assertIn("blanking done", out)
        toc = self.toc()
        self.assertIn("Media status : is blank", toc)
        self.assertIn("Media blocks : 0 readable , %d writable" % CAPACITY["cd-rw"], toc)
        self.tool("cdrskin", "dev=/dev/sr0", "-tao", self.iso)  # and it takes a burn again
        self.assertImageHoldsIso()

    def test_xorriso_multisession_cd_r(self):
        self.drive("cd-r")
        more = os.path.join(self.tmp, "more")
        os.makedirs(more)
        with open(os.path.join(more, "second.bin"), "wb") as f:
            f.write(os.urandom(100000))
        self.tool("xorriso", "-outdev", "/dev/sr0", "-map", self.src, "/", "-commit")
        end1 = self.readable_end(self.toc())
        self.tool("xorriso", "-dev", "/dev/sr0", "-map", more, "/more", "-commit")
        out = self.tool("xorriso", "-abort_on", "FAILURE", "-indev", "/dev/sr0",
                        "-compare_r", self.src + "/sub", "/sub", "-compare_r", more, "/more", "-toc")
        self.assertIn("2 sessions", out)
        end2 = self.readable_end(out)
        msinfo = self.tool("cdrskin", "dev=/dev/sr0", "-msinfo", stdout_only=True)
        start, nwa = (int(x) for x in re.search(r"^(\d+),(\d+)$", msinfo, re.M).groups())
        # Orange Book session layout (the cookbook's figures): after the first session's last track come the
        # lead-out (6750), the next lead-in (4500) and pregap (150); after later sessions 2250 + 4500 + 150.
        self.assertEqual(start, end1 + 11400)
        self.assertRegex(out, r"ISO session  :   2 ,\s+%d ," % start)
        self.assertEqual(nwa, end2 + 6900)

    @staticmethod
    def readable_end(toc):
        return int(re.search(r"Media blocks : (\d+) readable", toc).group(1))


class MediaTest(ToolTestCase):
    """Each blank medium as libburn sees it (profile, capacity), then xorriso masters and writes through libburn
    and a fresh xorriso reads the disc back through READ(10). In two halves that may run side by side."""

    def test_cd_and_dvd_minus(self):
        self.each_medium(["cd-r", "cd-rw", "dvd-r", "dvd-rw", "dvd-r-dl", "dvd-ram"], self.xorriso_round_trip)

    def test_dvd_plus_and_bd(self):
        self.each_medium(["dvd+r", "dvd+rw", "dvd+r-dl", "bd-r", "bd-re"], self.xorriso_round_trip)

    def xorriso_round_trip(self, medium):
        blocks = CAPACITY[medium]
        # libburn writes DVD-R DL only in one go (its own rule, not the drive's).
        close = ["-close", "on"] if medium == "dvd-r-dl" else []
        out = self.tool("xorriso", "-outdev", "/dev/sr0", "-toc", *close, "-map", self.src, "/", "-commit")
        self.assertIn("Media current: %s\n" % LIBBURN_NAMES[medium], out)
        self.assertIn("Media status : is blank", out)
        self.assertIn("Media blocks : 0 readable , %d writable , %d overall" % (blocks, blocks), out)
        # The media id libburn reads: ATIP lead-in/lead-out of a CD, READ DISC STRUCTURE 0Eh (DVD-R), 11h ADIP
        # (DVD+R) or the BD disc information (MMC-6 §6.22.3) with the emulator's manufacturer.
        if medium.startswith("cd"):
            self.assertRegex(out, r"Media product: 97m\d\ds\d\df/79m59s74f ,")
        elif medium != "dvd-ram":
            self.assertRegex(out, r"Media product: IMAPID\w*")
        out = self.tool("xorriso", "-abort_on", "FAILURE", "-indev", "/dev/sr0", "-compare_r", self.src, "/",
                        "-toc")
        self.assertIn("Both file objects match", out)
        self.assertIn("Media status : is written", out)


if __name__ == "__main__":
    main()
