#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The emulated drive judged by burning programs we did not write (DESIGN.md §9.3): unmodified cdrskin, wodim
and xorriso drive it through SG_IO behind a umockdev /dev/sr0 (tests/hotplug/emu-bridge.c). Their view of the
drive and the disc must match what the emulator models, their burns must succeed, and what they wrote must
read back byte for byte (audio: PCM split by bchunk). libburn sleeps 0.5 s after each START STOP UNIT and
immediate command, so checks share tool runs where a tool takes several commands at once. Avoids
--devices/-scanbus (umockdev 0.17's 50-entry fd map)."""
import os
import re
import subprocess
import sys
import tempfile
import unittest
import wave

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
CD_BLOCKS_PER_S = 75  # at 1x
AUDIO_BLOCK = 2352
TOOL_TIMEOUT = 120


class ToolTestCase(unittest.TestCase):
    def setUp(self):
        self.bridge = Bridge(trace=bool(os.environ.get("IMAPID_BRIDGE_TRACE")))
        # wodim (libusal) warns that sysfs is not mounted and sleeps 5 s when /sys/kernel is missing, as it is in
        # the testbed's /sys; on a real system it is there.
        os.makedirs(os.path.join(self.bridge.root, "sys", "kernel"), exist_ok=True)
        self.tmp = tempfile.mkdtemp(prefix="imapid-tools.")
        self.src = os.path.join(self.tmp, "src")
        os.makedirs(os.path.join(self.src, "sub"))
        with open(os.path.join(self.src, "hello.txt"), "w") as f:
            f.write("hello from the emulated drive\n")
        self.random_file(os.path.join(self.src, "sub", "random.bin"), 700 * 1024 + 17)
        self.iso = os.path.join(self.tmp, "src.iso")
        subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-J", "-R", "-V", "EMUTOOLS", "-o", self.iso,
                        self.src], check=True, capture_output=True)
        self.iso_blocks = os.path.getsize(self.iso) // 2048

    def tearDown(self):
        if os.environ.get("IMAPID_BRIDGE_TRACE"):
            sys.stderr.write(self.bridge.stderr())
        self.bridge.close()
        subprocess.run(["rm", "-rf", self.tmp], check=False)

    @staticmethod
    def random_file(path, size):
        data = os.urandom(size)
        with open(path, "wb") as f:
            f.write(data)
        return data

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

    def stats(self):
        """The emulator's counters: underruns, blocks (written), commands."""
        return {k: int(v) for k, v in (w.split("=") for w in self.bridge.cmd("stats", 0).split())}

    def image(self, cue=None):
        """What the emulated disc holds (2048-byte user data, or 2352-byte audio sectors and their cue sheet)."""
        path = os.path.join(self.tmp, "image.bin")
        self.bridge.cmd("image", 0, path, *([cue] if cue else []))
        with open(path, "rb") as f:
            return f.read()

    def assertImageHoldsIso(self):
        data = self.image()
        with open(self.iso, "rb") as f:
            iso = f.read()
        self.assertGreaterEqual(len(data), len(iso))
        self.assertEqual(data[:len(iso)], iso)  # then padding
        path = os.path.join(self.tmp, "image.bin")
        r = subprocess.run(["xorriso", "-abort_on", "FAILURE", "-indev", path, "-compare_r", self.src, "/"],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)


def toc_reports(out):
    """The -toc reports in xorriso's stdout, in order (each starts with 'Drive current:')."""
    return ["Drive current:" + part for part in re.split(r"^Drive current:", out, flags=re.M)[1:]]


def readable_end(toc):
    return int(re.search(r"Media blocks : (\d+) readable", toc).group(1))


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

    def check_atip(self, medium, erasable, lead_in):
        self.drive(medium)
        lead_out = CAPACITY[medium]
        for tool in ("cdrskin", "wodim"):
            with self.subTest(tool=tool):
                out = self.tool(tool, "dev=/dev/sr0", "-atip")
                self.assertIn("ATIP info from disk", out)
                self.assertIn("Is erasable" if erasable else "Is not erasable", out)
                self.assertIn("ATIP start of lead in:  %d %s" % (lead_in, msf(lead_in)), out)
                self.assertIn("ATIP start of lead out: %d %s" % (lead_out, msf(lead_out)), out)
                self.assertIn("Supported modes: TAO SAO", out)

    def test_cd_r(self):
        self.check_atip("cd-r", False, -11635)

    def test_cd_rw(self):
        self.check_atip("cd-rw", True, -11850)


def msf(lba):
    """'(MM:SS/FF)' as the cdrecord-style tools print an LBA (lead-in LBAs count down from 100:00:00)."""
    frames = lba + 150 if lba >= 0 else lba + 450150
    return "(%02d:%02d/%02d)" % (frames // 4500, frames // 75 % 60, frames % 75)


class CdDataTest(ToolTestCase):
    def test_cdrskin_tao_cd_r_at_8x(self):
        """A throttled burn larger than the 4 MiB drive buffer, with buffer underrun protection off: libburn must
        keep the drive fed while it records at 8x (a starved buffer fails the burn), and it cannot be faster."""
        self.drive("cd-r", speed=8)
        path = os.path.join(self.tmp, "data.bin")
        data = self.random_file(path, 5 * 1024 * 1024 + 1000)
        out = self.tool("cdrskin", "-v", "dev=/dev/sr0", "-tao", "driveropts=noburnfree", "padsize=300k",
                        "-data", path)
        self.assertIn("real TAO", out)
        blocks = int(re.search(r"Total size: .* = (\d+) sectors", out).group(1))
        self.assertEqual(blocks, -(-len(data) // 2048) + 150)
        seconds = float(re.search(r"Writing\s+time:\s+([\d.]+)s", out).group(1))
        self.assertGreaterEqual(seconds, blocks / (8 * CD_BLOCKS_PER_S))
        stats = self.stats()
        self.assertEqual(stats["underruns"], 0)
        self.assertEqual(stats["blocks"], blocks)
        out = self.tool("cdrskin", "dev=/dev/sr0", "-toc")
        self.assertIn("burn_drive_get_write_speed = 1411  (8.0x)", out)
        self.assertRegex(out, r"track:   1 lba:\s+0 .* control: 4 mode: 1")
        # A TAO track ends with two run-out blocks (MMC-6 §4.2.3.5): the lead-out starts after them.
        self.assertRegex(out, r"track:lout lba:\s+%d " % (blocks + 2))
        self.assertIn("Media summary: 1 sessions, 1 tracks, closed CD-R", out)
        image = self.image()
        self.assertEqual(image[:len(data)], data)
        self.assertEqual(image[len(data):blocks * 2048], bytes(blocks * 2048 - len(data)))

    def test_cdrskin_multi_then_xorriso_appends(self):
        """cdrskin leaves a TAO session open, wodim and cdrskin read the TOC and the next session's address,
        xorriso appends a session and reads both back."""
        self.drive("cd-r")
        self.assertIn("real TAO", self.tool("cdrskin", "-v", "dev=/dev/sr0", "-tao", "-multi", self.iso))
        end1 = max(self.iso_blocks, 300) + 2  # a TAO track has ≥ 300 blocks, then 2 run-out blocks
        out = self.tool("wodim", "dev=/dev/sr0", "-toc")
        self.assertIn("first: 1 last 1", out)
        self.assertRegex(out, r"track:   1 lba:\s+0 .* control: 4 ")
        self.assertRegex(out, r"track:lout lba:\s+%d " % end1)
        # Orange Book session layout: after the first session's last track come the lead-out (6750), the next
        # lead-in (4500) and pregap (150); after later sessions 2250 + 4500 + 150.
        start = end1 + 11400
        self.assertEqual(self.tool("wodim", "dev=/dev/sr0", "-msinfo", stdout_only=True), "0,%d\n" % start)
        more = os.path.join(self.tmp, "more")
        os.makedirs(more)
        self.random_file(os.path.join(more, "second.bin"), 100000)
        out = self.tool("xorriso", "-abort_on", "FAILURE", "-dev", "/dev/sr0", "-map", more, "/more", "-commit",
                        "-compare_r", self.src + "/sub", "/sub", "-compare", self.src + "/hello.txt",
                        "/hello.txt", "-compare_r", more, "/more", "-toc", stdout_only=True)
        self.assertEqual(out.count("Both file objects match"), 3, out)
        toc = toc_reports(out)[-1]
        self.assertIn("Media summary: 2 sessions", toc)
        self.assertRegex(toc, r"ISO session  :   2 ,\s+%d ," % start)
        end2 = readable_end(toc)
        out = self.tool("cdrskin", "dev=/dev/sr0", "-toc", "-msinfo")
        self.assertRegex(out, r"track:   2 lba:\s+%d .* control: 4 " % start)
        self.assertRegex(out, r"track:lout lba:\s+%d " % end2)
        self.assertIn("Media summary: 2 sessions, 2 tracks, appendable CD-R", out)
        self.assertRegex(out, r"(?m)^%d,%d$" % (start, end2 + 6900))

    def test_cdrskin_dummy_and_blank_fast_cd_rw(self):
        """A simulated burn goes through the drive and leaves the disc blank; a real one writes; a fast blank
        empties the disc, which then takes a burn again."""
        self.drive("cd-rw")
        self.assertIn("dummy TAO", self.tool("cdrskin", "-v", "dev=/dev/sr0", "-dummy", "-tao", self.iso))
        self.assertGreaterEqual(self.stats()["blocks"], self.iso_blocks)  # Test Write: checked and timed
        blank, written = toc_reports(self.tool("xorriso", "-abort_on", "FAILURE", "-outdev", "/dev/sr0", "-toc",
                                               "-map", self.src, "/", "-commit", "-toc", stdout_only=True))
        self.assertIn("Media status : is blank", blank)
        self.assertIn("Media status : is written", written)
        self.assertIn("blanking done", self.tool("cdrskin", "-v", "dev=/dev/sr0", "blank=fast"))
        out = self.tool("xorriso", "-abort_on", "FAILURE", "-outdev", "/dev/sr0", "-toc", "-map", self.src, "/",
                        "-commit", "-compare_r", self.src, "/", stdout_only=True)
        blank = toc_reports(out)[0]
        self.assertIn("Media status : is blank", blank)
        self.assertIn("Media blocks : 0 readable , %d writable" % CAPACITY["cd-rw"], blank)
        self.assertIn("Both file objects match", out)

    def test_wodim_tao_cd_r(self):
        self.drive("cd-r")
        self.assertIn("real TAO", self.tool("wodim", "-v", "dev=/dev/sr0", "gracetime=0", "-tao", self.iso))
        self.assertImageHoldsIso()


class AudioTest(ToolTestCase):
    """Red Book burns of three WAV files (5, 7 and 4.5 s of noise): the PCM comes back from the disc image
    bchunk splits along the cue sheet the emulator exports, and the tools read the TOC (and CD-TEXT)."""
    SECONDS = (5, 7, 4.5)

    def setUp(self):
        super().setUp()
        self.wavs, self.pcm = [], []
        for i, seconds in enumerate(self.SECONDS, 1):
            path = os.path.join(self.tmp, "t%d.wav" % i)
            frames = int(seconds * 44100) // 588 * 588  # whole sectors
            pcm = os.urandom(frames * 4)
            with wave.open(path, "wb") as w:
                w.setnchannels(2)
                w.setsampwidth(2)
                w.setframerate(44100)
                w.writeframes(pcm)
            self.wavs.append(path)
            self.pcm.append(pcm)
        self.starts = [sum(len(p) for p in self.pcm[:i]) // AUDIO_BLOCK for i in range(len(self.pcm) + 1)]

    def burned(self):
        """(image, cue sheet text, tracks as bchunk splits them)."""
        cue = os.path.join(self.tmp, "image.cue")
        image = self.image(cue)
        self.assertEqual(image[:self.starts[-1] * AUDIO_BLOCK], b"".join(self.pcm))
        subprocess.run(["bchunk", "-w", os.path.join(self.tmp, "image.bin"), cue, os.path.join(self.tmp, "split")],
                       check=True, capture_output=True)
        tracks = []
        for i in range(1, len(self.pcm) + 1):
            with wave.open(os.path.join(self.tmp, "split%02d.wav" % i), "rb") as w:
                tracks.append(w.readframes(w.getnframes()))
        with open(cue) as f:
            return image, f.read(), tracks

    def assertToc(self, out):
        for i, start in enumerate(self.starts[:-1], 1):
            self.assertRegex(out, r"track:\s+%d lba:\s+%d .* control: 0 " % (i, start))
        self.assertRegex(out, r"track:lout lba:\s+%d " % self.starts[-1])

    def test_cdrskin_sao_cd_text(self):
        sheet = os.path.join(self.tmp, "sheet.v07t")
        with open(sheet, "w") as f:
            f.write("Input Sheet Version = 0.7T\nText Code = 8859\nLanguage Code = English\n"
                    "Album Title = Test Album\nArtist Name = Test Band\nUPC / EAN = 1234567890128\n"
                    "Track 01 Title = First\nTrack 02 Title = Second\nTrack 03 Title = Third\n"
                    "Track 01 Artist = Test Band\nTrack 02 Artist = Guest\nTrack 03 Artist = Test Band\n")
        self.drive("cd-r")
        out = self.tool("cdrskin", "-v", "dev=/dev/sr0", "-sao", "input_sheet_v07t=" + sheet, "-audio", *self.wavs)
        self.assertIn("real SAO", out)
        _, cue, tracks = self.burned()
        self.assertEqual(tracks, self.pcm)
        for line in ("CATALOG 1234567890128", 'TITLE "Test Album"', 'PERFORMER "Test Band"',
                     '    TITLE "Second"', '    PERFORMER "Guest"'):
            self.assertIn("\n" + line + "\n", "\n" + cue)
        self.assertToc(self.tool("wodim", "dev=/dev/sr0", "-toc"))
        # CD-TEXT as the drive reports it (READ TOC format 5), decoded by libburn.
        back = os.path.join(self.tmp, "back.v07t")
        out = self.tool("cdrskin", "dev=/dev/sr0", "-toc", "cdtext_to_v07t=" + back)
        self.assertIn("Media summary: 1 sessions, 3 tracks, closed CD-R", out)
        self.assertTrue(os.path.exists(back), "cdrskin read no CD-TEXT:\n" + out)
        with open(back) as f:
            text = re.sub(r" +=", " =", f.read())
        for line in ("Album Title = Test Album", "Artist Name = Test Band", "UPC / EAN = 1234567890128",
                     "Track 01 Title = First", "Track 02 Title = Second", "Track 03 Title = Third",
                     "Track 02 Artist = Guest", "Last Track Number = 3"):
            self.assertIn(line + "\n", text)

    def test_wodim_dao(self):
        self.drive("cd-r")
        out = self.tool("wodim", "-v", "dev=/dev/sr0", "gracetime=0", "-dao", "-audio", *self.wavs)
        self.assertIn("real SAO", out)
        _, cue, tracks = self.burned()
        # wodim gives tracks 2 and 3 a 2 s pregap (INDEX 00) out of the previous track's audio; bchunk ends
        # a track where the next one's pregap starts.
        for i, start in enumerate(self.starts[:-1], 1):
            pregap = "INDEX 00 %s\n    " % cue_msf(start - 150) if i > 1 else ""
            self.assertRegex(cue, r"TRACK %02d AUDIO\n    %sINDEX 01 %s\n" % (i, pregap, cue_msf(start)))
        cut = 150 * AUDIO_BLOCK
        self.assertEqual(tracks, [self.pcm[0][:-cut], self.pcm[1][:-cut], self.pcm[2]])
        self.assertToc(self.tool("wodim", "dev=/dev/sr0", "-toc"))


def cue_msf(lba):
    return "%02d:%02d:%02d" % (lba // 4500, lba // 75 % 60, lba % 75)


class DvdTest(ToolTestCase):
    def test_cdrskin_tao_dvd_plus_r(self):
        self.drive("dvd+r")
        self.tool("cdrskin", "-v", "dev=/dev/sr0", "-tao", self.iso)
        self.assertImageHoldsIso()
        self.assertIn("Media summary: 1 sessions, 1 tracks, closed DVD+R", self.tool("cdrskin", "dev=/dev/sr0",
                                                                                    "-toc"))

    def test_xorriso_formats_and_deformats_dvd_rw(self):
        """FORMAT UNIT makes a sequential DVD-RW restricted overwrite (MMC-6 §6.11), which takes an image and
        reads it back; BLANK makes it sequential and blank again."""
        self.drive("dvd-rw")
        out = self.tool("xorriso", "-abort_on", "FAILURE", "-outdev", "/dev/sr0", "-format", "full", "-map",
                        self.src, "/", "-commit", "-compare_r", self.src, "/", "-toc", "-blank", "deformat", "-toc",
                        stdout_only=True)
        written, deformatted = toc_reports(out)
        self.assertIn("Media current: DVD-RW restricted overwrite\n", written)
        self.assertIn("Media status : is written", written)
        self.assertIn("Both file objects match", out)
        self.assertIn("Media current: DVD-RW sequential recording\n", deformatted)
        self.assertIn("Media status : is blank", deformatted)
        self.assertIn("Media blocks : 0 readable , %d writable" % CAPACITY["dvd-rw"], deformatted)
        self.assertEqual(self.bridge.value("count", 0, 0x04), 1)  # FORMAT UNIT
        self.assertEqual(self.bridge.value("count", 0, 0xa1), 1)  # BLANK


class MediaTest(ToolTestCase):
    """Each blank medium as libburn sees it (profile, capacity, media id), then xorriso masters and writes through
    libburn and, once the commit has loaded the disc anew, reads it back through READ(10). In two halves that may
    run side by side."""

    def test_cd_and_dvd_minus(self):
        self.each_medium(["cd-r", "cd-rw", "dvd-r", "dvd-rw", "dvd-r-dl", "dvd-ram"], self.xorriso_round_trip)

    def test_dvd_plus_and_bd(self):
        self.each_medium(["dvd+r", "dvd+rw", "dvd+r-dl", "bd-r", "bd-re"], self.xorriso_round_trip)

    def xorriso_round_trip(self, medium):
        blocks = CAPACITY[medium]
        # libburn writes DVD-R DL only in one go (its own rule, not the drive's).
        close = ["-close", "on"] if medium == "dvd-r-dl" else []
        out = self.tool("xorriso", "-abort_on", "FAILURE", "-outdev", "/dev/sr0", "-toc", *close, "-map", self.src,
                        "/", "-commit", "-compare_r", self.src, "/", "-toc", stdout_only=True)
        blank, written = toc_reports(out)
        self.assertIn("Media current: %s\n" % LIBBURN_NAMES[medium], blank)
        self.assertIn("Media status : is blank", blank)
        self.assertIn("Media blocks : 0 readable , %d writable , %d overall" % (blocks, blocks), blank)
        # The media id libburn reads: ATIP lead-in/lead-out of a CD, READ DISC STRUCTURE 0Eh (DVD-R), 11h ADIP
        # (DVD+R) or the BD disc information (MMC-6 §6.22.3) with the emulator's manufacturer.
        if medium.startswith("cd"):
            self.assertRegex(blank, r"Media product: 97m\d\ds\d\df/79m59s74f ,")
        elif medium != "dvd-ram":
            self.assertRegex(blank, r"Media product: IMAPID\w*")
        self.assertIn("Both file objects match", out)
        self.assertIn("Media current: %s\n" % LIBBURN_NAMES[medium], written)
        self.assertIn("Media status : is written", written)


if __name__ == "__main__":
    main()
