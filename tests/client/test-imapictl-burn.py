#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""imapictl burning on the real imapid (dev bus, virtual recorders), judged by tools we did not write: data discs
compared with xorriso, images byte for byte, audio split by bchunk and compared sample for sample; the progress
bar on a terminal; Ctrl-C; a disc that is too small. TAP output (the integration harness)."""
import json
import os
import shlex
import signal
import subprocess
import sys
import wave

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))

from imapid_test import BUILD, VIRTUAL0, ImapidTestCase, main  # noqa: E402

IMAPICTL = os.path.join(BUILD, "client", "imapictl")
MEDIA_BLANK, MEDIA_WRITABLE = 1, 4


class BurnTestCase(ImapidTestCase):
    def ctl(self, *args, timeout=300):
        return subprocess.run([IMAPICTL] + list(args), env=self.bus.env(), capture_output=True, text=True,
                              timeout=timeout)

    def ctl_json(self, *args, rc=0):
        r = self.ctl("--json", *args)
        self.assertEqual(r.returncode, rc, r.stdout + r.stderr + self.bus.daemon_log()[-3000:])
        return [json.loads(line) for line in r.stdout.splitlines()]

    def tree(self, name="tree", files=30):
        top = os.path.join(self.bus.dir, name)
        os.makedirs(os.path.join(top, "sub", "deeper"))
        os.makedirs(os.path.join(top, "empty"))
        for i in range(files):
            d = [top, os.path.join(top, "sub"), os.path.join(top, "sub", "deeper")][i % 3]
            with open(os.path.join(d, "file%02d.bin" % i), "wb") as f:
                f.write(os.urandom(i * 3001))
        os.symlink("sub/file01.bin", os.path.join(top, "link"))
        return top

    def disc_image(self, recorder="virtual0"):
        out = os.path.join(self.bus.dir, "disc.img")
        doc = self.ctl_json("virtual", "open-image", recorder, "--output", out)[0]
        self.assertEqual(doc["bytes"], os.path.getsize(out))
        return out, doc

    def recorder(self, spec="virtual0"):
        return self.ctl_json("info", spec)[0]


class Data(BurnTestCase):
    def test_burn_tree_compares_clean(self):
        top = self.tree()
        events = self.ctl_json("burn", "--recorder", "virtual0", "--volume", "IMAPI_TEST", top)
        self.assertEqual(events[-1]["event"], "complete")
        self.assertEqual(events[-1]["entries"], 35)  # tree, sub, deeper, empty, link and 30 files
        writing = [e for e in events if e.get("phase") == "writing"]
        self.assertTrue(writing and writing[-1]["done"] == writing[-1]["total"])
        img, _ = self.disc_image()
        r = subprocess.run(["xorriso", "-indev", img, "-compare_r", top, "/tree"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotIn("differ", r.stdout + r.stderr)
        r = subprocess.run(["isoinfo", "-d", "-i", img], capture_output=True, text=True)
        self.assertIn("Volume id: IMAPI_TEST", r.stdout)
        rec = self.recorder()
        self.assertEqual(rec["MediaFlags"] & (MEDIA_BLANK | MEDIA_WRITABLE), MEDIA_WRITABLE)  # appendable
        self.assertEqual(rec["State"], "idle")

    def test_stage_files_with_many_files(self):
        top = self.tree("many", files=200)
        events = self.ctl_json("burn", "-r", "virtual0", "--stage-files", top)
        self.assertEqual(events[-1]["entries"], 205)
        img, _ = self.disc_image()
        r = subprocess.run(["xorriso", "-indev", img, "-compare_r", top, "/many"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_close_finalises(self):
        self.ctl_json("burn", "-r", "virtual0", "--close", self.tree() + "/")
        self.assertEqual(self.recorder()["MediaFlags"] & (MEDIA_BLANK | MEDIA_WRITABLE), 0)

    def test_simulate_leaves_the_disc_blank(self):
        events = self.ctl_json("burn", "-r", "virtual0", "--simulate", self.tree())
        self.assertTrue(events[-1]["simulate"])
        rec = self.recorder()
        self.assertEqual((rec["MediaFlags"] & MEDIA_BLANK, rec["FreeBlocks"]), (MEDIA_BLANK, rec["TotalBlocks"]))

    def test_image_burns_byte_identically(self):
        top = self.tree()
        iso = os.path.join(self.bus.dir, "made.iso")
        subprocess.run(["xorriso", "-as", "mkisofs", "-J", "-R", "-o", iso, top], check=True, capture_output=True)
        self.ctl_json("image", "-r", "virtual0", iso)
        img, _ = self.disc_image()
        with open(iso, "rb") as a, open(img, "rb") as b:
            want = a.read()
            self.assertEqual(b.read(len(want)), want)

    def test_too_big_for_the_disc(self):
        top = os.path.join(self.bus.dir, "big")
        os.makedirs(top)
        with open(os.path.join(top, "sparse"), "wb") as f:
            f.truncate(900 * 1024 * 1024)  # more than a CD-R holds; sparse, so it costs nothing here
        r = self.ctl("burn", "-r", "virtual0", top)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("org.freedesktop.IMAPI1.Error.DiscFull", r.stderr)
        self.assertIn("Hint: The content does not fit", r.stderr)
        self.assertEqual(self.recorder()["MediaFlags"] & MEDIA_BLANK, MEDIA_BLANK)


    def test_erase_of_a_write_once_disc(self):
        r = self.ctl("erase", "virtual0")
        self.assertEqual(r.returncode, 2)
        self.assertIn("org.freedesktop.IMAPI1.Error.EraseMediaIsNotErasable", r.stderr)
        self.assertIn("Hint: Only rewritable discs", r.stderr)
        self.assertEqual(self.recorder()["State"], "idle")


class Audio(BurnTestCase):
    def make_track(self, name, seconds, rate=44100, bits=16):
        path = os.path.join(self.bus.dir, name)
        subprocess.run(["sox", "-n", "-r", str(rate), "-c", "2", "-b", str(bits), path, "synth", str(seconds),
                        "sine", "300-900"], check=True)
        return path

    def test_audio_rips_back_bit_exact(self):
        tracks = [self.make_track("one.wav", 5), self.make_track("two.flac", 4.5), self.make_track("three.wav", 6)]
        events = self.ctl_json("audio", "-r", "virtual0", "--gap", "0", "--title", "Album", *tracks)
        self.assertEqual(events[-1]["tracks"], 3)
        img, doc = self.disc_image()
        self.assertIsNotNone(doc["cue_sheet"])
        base = os.path.join(self.bus.dir, "rip")
        subprocess.run(["bchunk", "-w", img, doc["cue_sheet"], base], check=True, capture_output=True,
                       cwd=self.bus.dir)
        for i, path in enumerate(tracks, 1):
            want = subprocess.run(["sox", path, "-t", "raw", "-e", "signed", "-b", "16", "-L", "-"],
                                  capture_output=True, check=True).stdout
            with wave.open("%s%02d.wav" % (base, i)) as w:
                got = w.readframes(w.getnframes())
            self.assertEqual(got[:len(want)], want, "track %d" % i)
            self.assertEqual(got[len(want):], b"\0" * (len(got) - len(want)), "track %d is padded with silence" % i)

    def test_other_rates_are_refused_before_anything(self):
        bad = self.make_track("rate48k.wav", 5, rate=48000)
        r = self.ctl("audio", "-r", "virtual0", self.make_track("ok.wav", 5), bad)
        self.assertEqual(r.returncode, 4)
        self.assertIn("rate48k.wav: 48000 Hz", r.stderr)
        self.assertEqual(self.recorder()["State"], "idle")


class Rewritable(BurnTestCase):
    MEDIUM = "cd-rw"

    def test_erase_after_burn(self):
        self.ctl_json("burn", "-r", "virtual0", self.tree())
        self.assertEqual(self.recorder()["MediaFlags"] & MEDIA_BLANK, 0)
        events = self.ctl_json("erase", "virtual0")
        self.assertEqual(events[-1], {"event": "complete", "recorder": "virtual_virtual0", "full": False})
        self.assertEqual(self.recorder()["MediaFlags"] & MEDIA_BLANK, MEDIA_BLANK)


class Throttled(BurnTestCase):
    SPEED = 16  # 16x CD: 2.4 MB/s; past the drive's 4 MiB buffer, 16 MB take about 5 s

    def big_tree(self):
        top = os.path.join(self.bus.dir, "big")
        os.makedirs(top)
        with open(os.path.join(top, "data.bin"), "wb") as f:
            f.write(os.urandom(16 * 1024 * 1024))
        return top

    def test_progress_bar_on_a_terminal(self):
        cmd = " ".join(shlex.quote(x) for x in [IMAPICTL, "burn", "-r", "virtual0", self.big_tree()])
        r = subprocess.run(["script", "-qec", cmd, "/dev/null"], env=self.bus.env(), capture_output=True,
                           timeout=300)
        out = r.stdout.decode()
        self.assertEqual(r.returncode, 0, out + r.stderr.decode())
        self.assertRegex(out, r"\r\x1b\[KWriting \[#{24}\] 100%")
        self.assertRegex(out, r"\r\x1b\[KWriting \[[#.]{24}\] +\d+%  .+ of .+  [^ ]+/s  ETA \d+:\d\d")
        self.assertIn("Burned 2 entries to virtual_virtual0.", out)

    def test_ctrl_c_stops_the_burn(self):
        p = subprocess.Popen([IMAPICTL, "--json", "burn", "-r", "virtual0", self.big_tree()], env=self.bus.env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for line in p.stdout:
            e = json.loads(line)
            if e.get("phase") == "writing" and e["done"] > 0:
                break
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=120)
        self.assertEqual(p.returncode, 7, err)
        self.assertIn("org.freedesktop.IMAPI1.Error.UserAbort", err)
        self.assertEqual(self.recorder()["State"], "idle")


if __name__ == "__main__":
    main()
