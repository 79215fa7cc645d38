#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""imapictl burning on the real imapid (dev bus, virtual recorders), judged by tools we did not write: data discs
compared with xorriso, images byte for byte, audio split by bchunk and compared sample for sample, and what
imapictl asked of imapid seen on the bus by busctl monitor (flags and arguments); the progress bar on a terminal
and plain lines through a pipe; Ctrl-C and imapid killed in the middle of a burn (a throttled recorder); burn
failures from a virtual recorder's scripted faults; a disc that is too small. TAP output (the integration
harness)."""
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import wave

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))

from imapid_test import BUILD, ROOT, VIRTUAL0, ImapidTestCase, main, xorriso_compare  # noqa: E402

IMAPICTL = os.path.join(BUILD, "client", "imapictl")
MEDIA_BLANK, MEDIA_WRITABLE = 1, 4
ALLOW_INTERACTIVE_AUTHORIZATION = 0x4  # D-Bus message header flag


class BusMonitor:
    """busctl monitor on the test bus: the method calls clients send to imapid, with their flags and arguments
    as busctl decodes them (a tool we did not write, watching the real traffic)."""

    def __init__(self, bus):
        self.address = "--address=" + bus.address
        self.p = subprocess.Popen(["busctl", self.address, "monitor", "--json=short"], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        line = self.p.stderr.readline()
        assert line.startswith("Monitoring"), line

    def calls(self):
        """Stops monitoring; returns {member: [message, ...]} of the method calls to imapid's objects. A last call
        to the bus driver marks the end, so that nothing sent before is missed."""
        subprocess.run(["busctl", self.address, "call", "org.freedesktop.DBus", "/org/freedesktop/DBus",
                        "org.freedesktop.DBus", "GetId"], check=True, stdout=subprocess.DEVNULL)
        calls = {}
        for line in self.p.stdout:
            m = json.loads(line)
            if m["type"] != "method_call":
                continue
            if m.get("member") == "GetId":
                break
            if m.get("path", "").startswith(ROOT):
                calls.setdefault(m["member"], []).append(m)
        self.p.terminate()
        self.p.wait()
        return calls


def interactive(message):
    return bool(message["flags"] & ALLOW_INTERACTIVE_AUTHORIZATION)


def vardict(value):
    """An a{sv} from busctl's JSON ({"key": {"type": ..., "data": ...}}) as {key: data}."""
    return {k: v["data"] for k, v in value.items()}


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

    def small_tree(self, name="small"):
        """8 entries: the folder, an empty folder, five files and a symbolic link."""
        top = os.path.join(self.bus.dir, name)
        os.makedirs(os.path.join(top, "empty"))
        for i in range(5):
            with open(os.path.join(top, "f%d" % i), "w") as f:
                f.write("x" * (100 * i))
        os.symlink("f1", os.path.join(top, "link"))
        return top

    def phases(self, events):
        seen = []
        for e in events:
            if e.get("event") == "progress" and (not seen or seen[-1] != e["phase"]):
                seen.append(e["phase"])
        return seen


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

    def test_json_events_and_what_reaches_imapid(self):
        top = self.small_tree()
        monitor = BusMonitor(self.bus)
        events = self.ctl_json("burn", "-r", "virtual0", "--close", "--volume", "TEST", top + "/")
        calls = monitor.calls()
        self.assertEqual(self.phases(events), ["adding", "preparing", "writing", "closing"])
        writing = [e for e in events if e.get("phase") == "writing"]
        self.assertEqual(writing[-1]["done"], writing[-1]["total"])
        self.assertTrue(all(e["done"] <= e["total"] for e in writing))
        self.assertEqual(events[-1]["event"], "complete")
        self.assertEqual((events[-1]["recorder"], events[-1]["entries"], events[-1]["simulate"]),
                         ("virtual_virtual0", 7, False))
        # What imapid was asked: a recorder and a burn that polkit may ask a password for, finalising.
        self.assertEqual(calls["SetActiveFormat"][0]["payload"]["data"], ["joliet"])
        self.assertEqual(calls["SetActiveRecorder"][0]["payload"]["data"], [VIRTUAL0])
        self.assertTrue(interactive(calls["SetActiveRecorder"][0]))
        record = calls["RecordDisc"][0]
        self.assertTrue(interactive(record))
        simulate, eject, options = record["payload"]["data"]
        self.assertEqual((simulate, eject, vardict(options).get("close-disc")), (False, False, True))
        joliet = vardict(calls["SetJolietProperties"][0]["payload"]["data"][0])
        self.assertEqual(joliet["VolumeName"], "TEST")
        self.assertFalse(joliet.get("StageFiles", False))
        # What the disc holds: the folder's contents at the root, under that volume name, finalised.
        self.assertEqual(self.recorder()["MediaFlags"] & (MEDIA_BLANK | MEDIA_WRITABLE), 0)
        img, _ = self.disc_image()
        same, out = xorriso_compare(img, top)
        self.assertTrue(same, out)
        self.assertIn("Volume id: TEST", subprocess.run(["isoinfo", "-d", "-i", img], capture_output=True,
                                                        text=True).stdout)

    def test_several_paths_eject_stage_files_no_ask_password(self):
        top = self.small_tree()
        monitor = BusMonitor(self.bus)
        events = self.ctl_json("--no-ask-password", "burn", "--recorder", "virtual0", "--eject", "--stage-files",
                               top, os.path.join(top, "f3"))
        calls = monitor.calls()
        self.assertEqual(events[-1]["entries"], 9)
        self.assertFalse(interactive(calls["SetActiveRecorder"][0]))
        self.assertFalse(interactive(calls["RecordDisc"][0]))
        self.assertTrue(calls["RecordDisc"][0]["payload"]["data"][1])  # eject_after
        self.assertTrue(vardict(calls["SetJolietProperties"][0]["payload"]["data"][0])["StageFiles"])
        self.assertFalse(self.recorder()["MediaPresent"])  # ejected
        self.assertEqual(self.ctl("close-tray", "virtual0").returncode, 0)
        img, _ = self.disc_image()
        r = subprocess.run(["xorriso", "-indev", img, "-compare_r", top, "/small", "-compare", top + "/f3", "/f3"],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(r.stdout.count("Both file objects match"), 2, r.stdout)

    def test_plain_progress_when_piped(self):
        r = self.ctl("burn", "-r", "virtual0", self.small_tree())
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[:2], ["adding 8", "preparing"])
        writing = [line for line in lines if line.startswith("writing ")]
        self.assertEqual(lines[2:2 + len(writing)], writing)
        for line in writing:
            self.assertRegex(line, r"^writing \d+% \d+/\d+ blocks( \d+ B/s)?( eta \d+s)?( track 1/1)?$")
        self.assertRegex(writing[-1], r"^writing 100% (\d+)/\1 blocks")
        self.assertEqual(lines[2 + len(writing):], ["closing", "Burned 8 entries to virtual_virtual0."])
        self.assertNotIn("\r", r.stdout)

    def test_image_and_eject(self):
        iso = os.path.join(self.bus.dir, "made.iso")
        subprocess.run(["xorriso", "-as", "mkisofs", "-o", iso, self.small_tree()], check=True, capture_output=True)
        events = self.ctl_json("image", "-r", "virtual_virtual0", "--eject", iso)
        self.assertEqual(events[-1], {"event": "complete", "recorder": "virtual_virtual0", "images": 1,
                                      "simulate": False, "seconds": events[-1]["seconds"]})
        self.assertFalse(self.recorder()["MediaPresent"])

    def test_audio_bad_gap(self):
        r = self.ctl("audio", "-r", "virtual0", "--gap", "300", "x.wav")
        self.assertEqual(r.returncode, 1)
        self.assertIn("--gap", r.stderr)

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

    def test_cd_text_from_options_and_tags(self):
        a = self.make_track("a.wav", 5)
        b = os.path.join(self.bus.dir, "b.flac")
        subprocess.run(["sox", "-n", "-r", "44100", "-c", "2", "-b", "24", "--comment", "TITLE=Song Two", b,
                        "synth", "4.5", "sine", "330"], check=True)
        monitor = BusMonitor(self.bus)
        events = self.ctl_json("audio", "-r", "virtual0", "--gap", "0", "--title", "Album", "--performer", "Band",
                               a, b)
        calls = monitor.calls()
        self.assertEqual(events[-1]["tracks"], 2)
        adding = [e for e in events if e.get("phase") == "adding"]
        self.assertEqual(adding[-1]["done"], adding[-1]["total"])
        self.assertEqual(vardict(calls["SetRecorderProperties"][0]["payload"]["data"][0])["AudioGapSize"], 0)
        _, doc = self.disc_image()
        with open(doc["cue_sheet"]) as f:
            cue = f.read()
        disc, track1, track2 = re.split(r"\n\s*TRACK ", cue)
        self.assertIn('TITLE "Album"', disc)
        self.assertIn('PERFORMER "Band"', disc)
        self.assertNotIn("TITLE", track1)  # a.wav has no tags
        self.assertIn('TITLE "Song Two"', track2)
        # 5 s = 375 blocks; no gap: track 2 starts right after track 1.
        self.assertNotIn("INDEX 00", track2)
        self.assertIn("INDEX 01 00:05:00", track2)

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


class SlowErase(BurnTestCase):
    """virtual_slow erases its CD-RW in 1.5 s, so that progress is reported on the way."""
    CONFIG = "[VirtualRecorder slow]\nMedium=cd-rw\nFaults=erase-time=1500\n"

    def test_full_erase_with_progress(self):
        self.ctl_json("burn", "-r", "slow", self.small_tree())
        self.assertEqual(self.recorder("slow")["MediaFlags"] & MEDIA_BLANK, 0)
        monitor = BusMonitor(self.bus)
        events = self.ctl_json("erase", "--full", "slow")
        calls = monitor.calls()
        self.assertEqual(self.phases(events), ["erasing"])
        self.assertEqual(events[-1], {"event": "complete", "recorder": "virtual_slow", "full": True})
        self.assertTrue(calls["Erase"][0]["payload"]["data"][0])
        self.assertEqual(self.recorder("slow")["MediaFlags"] & MEDIA_BLANK, MEDIA_BLANK)


class Faults(BurnTestCase):
    """Two recorders whose first burn fails with LOSS OF STREAMING at block 200, one and one more recorder."""
    CONFIG = ("[VirtualRecorder faulty]\nFaults=sense@lba=200:3/0C/09\n"
              "[VirtualRecorder faulty2]\nFaults=sense@lba=200:3/0C/09\n")

    def big_file_tree(self, name):
        top = os.path.join(self.bus.dir, name)
        os.makedirs(top)
        with open(os.path.join(top, "data.bin"), "wb") as f:
            f.write(os.urandom(2 * 1024 * 1024))
        return top

    def test_failed_burn_names_the_error(self):
        r = self.ctl("burn", "-r", "faulty", self.big_file_tree("one"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("The burn on virtual_faulty failed: org.freedesktop.IMAPI1.Error.LossOfStreaming: ", r.stderr)
        self.assertIn("Hint: The recorder ran out of data", r.stderr)
        err = self.ctl_json("burn", "-r", "faulty2", self.big_file_tree("two"), rc=2)[-1]["error"]
        self.assertEqual((err["name"], err["exit"]), ("org.freedesktop.IMAPI1.Error.LossOfStreaming", 2))
        self.assertEqual(self.recorder("faulty")["State"], "idle")

    def test_needs_a_recorder_when_there_are_several(self):
        r = self.ctl("burn", self.small_tree())
        self.assertEqual(r.returncode, 1)
        self.assertIn("several recorders", r.stderr)
        self.assertIn("virtual_faulty, virtual_faulty2, virtual_virtual0", r.stderr)


class NoDisc(BurnTestCase):
    MEDIUM = "none"

    def test_burn_refused_without_a_disc(self):
        iso = os.path.join(self.bus.dir, "made.iso")
        subprocess.run(["xorriso", "-as", "mkisofs", "-o", iso, self.small_tree()], check=True, capture_output=True)
        r = self.ctl("image", "-r", "virtual0", iso)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("org.freedesktop.IMAPI1.Error.MediumNotPresent", r.stderr)
        self.assertEqual(self.recorder()["State"], "idle")


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
        out = r.stdout.decode()  # bytes: text mode would turn the carriage returns into newlines
        self.assertEqual(r.returncode, 0, out + r.stderr.decode())
        self.assertIn("\r\x1b[KAdding files: 2 entries", out)
        self.assertIn("\r\x1b[KPreparing the burn", out)
        bars = re.findall(r"\r\x1b\[KWriting \[([#.]{24})\] +(\d+)%  (.+?) of (.+?)  (-|[^ ]+?/s)  ETA ([-:\d]+)  track 1/1",
                          out)
        self.assertGreaterEqual(len(bars), 2, repr(out))
        self.assertEqual(bars[-1][:2], ("#" * 24, "100"))
        self.assertEqual([int(b[1]) for b in bars], sorted(int(b[1]) for b in bars))
        # Once two samples exist there is a rate and an estimate.
        self.assertTrue(any(b[4].endswith("/s") and re.match(r"\d+:\d\d$", b[5]) for b in bars), bars)
        self.assertIn("Closing the disc", out)
        self.assertTrue(out.rstrip().endswith("Burned 2 entries to virtual_virtual0."), repr(out[-200:]))
        # The bar is redrawn in place: no newline between two bars.
        self.assertNotRegex(out, r"Writing \[[^\r]*\n[^\r]*Writing \[")

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
        self.assertEqual(json.loads(out.splitlines()[-1])["error"]["exit"], 7)
        self.assertEqual(self.recorder()["State"], "idle")

    def test_imapid_killed_mid_burn(self):
        p = subprocess.Popen([IMAPICTL, "--json", "burn", "-r", "virtual0", self.big_tree()], env=self.bus.env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for line in p.stdout:
            e = json.loads(line)
            if e.get("phase") == "writing" and e["done"] > 0:
                break
        with open(os.path.join(self.bus.dir, "imapid.pid")) as f:
            os.kill(int(f.read()), signal.SIGKILL)
        out, err = p.communicate(timeout=120)
        self.assertEqual(p.returncode, 3, err)
        self.assertIn("imapid left the bus", err)
        self.assertEqual(json.loads(out.splitlines()[-1])["error"]["exit"], 3)


if __name__ == "__main__":
    main()
