#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""imapictl's burning verbs (burn, image, audio, erase) against the stand-in service (mock-imapid) on a private
bus: what reaches the service, --json events, plain progress lines, the progress bar on a terminal (under
script(1)), failures, Ctrl-C. Runs without the burn engine; test-imapictl.py covers the real daemon."""
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest

SRC = os.environ.get("IMAPID_SOURCE_DIR") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("IMAPID_BUILD_DIR") or os.path.join(SRC, "build")
IMAPICTL = os.path.join(BUILD, "client", "imapictl")
MOCK = os.path.join(BUILD, "tests", "client", "mock-imapid")

sys.path.insert(0, os.path.join(SRC, "tests", "integration"))
from imapid_test import main  # noqa: E402


class MockBus:
    """A private dbus-daemon with mock-imapid on it."""

    def __init__(self, burn="ok", step_ms=10, steps=3):
        self.dbus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                                     stdout=subprocess.PIPE, text=True)
        self.address = self.dbus.stdout.readline().strip()
        self.mock = subprocess.Popen([MOCK, self.address, burn, str(step_ms), str(steps)], stdout=subprocess.PIPE,
                                     text=True)
        assert self.mock.stdout.readline().strip() == "ready"
        self.summary = None

    def env(self):
        return dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=self.address, LC_ALL="C.UTF-8")

    def stop(self):
        """Stops the service; returns what it recorded: {key: value} and "entry" as a sorted list."""
        if self.summary is None:
            self.mock.send_signal(signal.SIGTERM)
            out, _ = self.mock.communicate(timeout=30)
            self.summary = {"entry": []}
            for line in out.splitlines():
                key, _, value = line.partition("=")
                if key == "entry":
                    self.summary["entry"].append(value)
                else:
                    self.summary[key] = value
            self.summary["entry"].sort()
            self.dbus.terminate()
            self.dbus.wait()
        return self.summary


class MockTestCase(unittest.TestCase):
    BURN, STEP_MS, STEPS = "ok", 10, 3

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="imapictl-mock.")
        self.bus = MockBus(self.BURN, self.STEP_MS, self.STEPS)

    def tearDown(self):
        self.bus.stop()
        shutil.rmtree(self.dir)

    def ctl(self, *args, timeout=60):
        return subprocess.run([IMAPICTL] + list(args), env=self.bus.env(), capture_output=True, text=True,
                              timeout=timeout)

    def ctl_json(self, *args, rc=0):
        r = self.ctl("--json", *args)
        self.assertEqual(r.returncode, rc, r.stderr)
        return [json.loads(line) for line in r.stdout.splitlines()]

    def tree(self, name="tree"):
        top = os.path.join(self.dir, name)
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


class Burn(MockTestCase):
    def test_burn_json_events_and_what_is_staged(self):
        events = self.ctl_json("burn", "-r", "a", "--simulate", "--close", "--volume", "TEST", self.tree() + "/")
        self.assertEqual(self.phases(events), ["adding", "preparing", "writing", "closing"])
        writing = [e for e in events if e.get("phase") == "writing"]
        self.assertEqual((writing[-1]["done"], writing[-1]["total"]), (300, 300))
        self.assertTrue(all(e["done"] <= e["total"] for e in writing))
        self.assertEqual(events[-1]["event"], "complete")
        self.assertEqual((events[-1]["recorder"], events[-1]["entries"], events[-1]["simulate"]),
                         ("virtual_a", 7, True))
        s = self.bus.stop()
        self.assertEqual(s["entry"], ["empty d 0", "f0 f 0", "f1 f 100", "f2 f 200", "f3 f 300", "f4 f 400",
                                      "link l 0"])
        self.assertEqual((s["format"], s["recorder"]), ("joliet", "/org/freedesktop/IMAPI1/Recorder/virtual_5fa"))
        self.assertEqual((s["simulate"], s["close"], s["eject"], s["volume"]), ("1", "1", "0", "TEST"))
        self.assertEqual(s["stage_files"], "0")
        self.assertEqual(s["interactive"], "1")

    def test_several_paths_and_no_ask_password(self):
        top = self.tree()
        events = self.ctl_json("--no-ask-password", "burn", "--recorder", "a", "--eject", "--stage-files", top,
                               os.path.join(top, "f3"))
        self.assertEqual(events[-1]["entries"], 9)
        s = self.bus.stop()
        self.assertIn("tree/empty d 0", s["entry"])
        self.assertIn("f3 f 300", s["entry"])
        self.assertEqual((s["eject"], s["interactive"], s["stage_files"]), ("1", "0", "1"))

    def test_plain_progress_when_piped(self):
        r = self.ctl("burn", "-r", "a", self.tree())
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "adding 8")
        self.assertEqual(lines[1], "preparing")
        self.assertRegex(lines[2], r"^writing 0% 0/300 blocks")
        self.assertRegex(lines[-3], r"^writing 100% 300/300 blocks( \d+ B/s)?( eta \d+s)? track 1/1$")
        self.assertEqual(lines[-2:], ["closing", "Burned 8 entries to virtual_a."])
        self.assertNotIn("\r", r.stdout)

    def test_needs_a_recorder_when_there_are_several(self):
        r = self.ctl("burn", self.tree())
        self.assertEqual(r.returncode, 1)
        self.assertIn("several recorders", r.stderr)
        self.assertIn("usb-drive, virtual_a, virtual_b", r.stderr)

    def test_image(self):
        iso = os.path.join(self.dir, "x.iso")
        with open(iso, "wb") as f:
            f.write(b"\0" * 2048 * 33)
        events = self.ctl_json("image", "-r", "virtual_a", "--eject", iso)
        self.assertEqual(events[-1], {"event": "complete", "recorder": "virtual_a", "images": 1,
                                      "simulate": False, "seconds": events[-1]["seconds"]})
        s = self.bus.stop()
        self.assertEqual((s["format"], s["image_size"], s["eject"]), ("image", str(2048 * 33), "1"))

    def test_audio(self):
        a, b = os.path.join(self.dir, "a.wav"), os.path.join(self.dir, "b.flac")
        subprocess.run(["sox", "-n", "-r", "44100", "-c", "2", "-b", "16", a, "synth", "5", "sine", "440"], check=True)
        subprocess.run(["sox", "-n", "-r", "44100", "-c", "2", "-b", "24", "--comment", "TITLE=Song Two", b,
                        "synth", "3", "sine", "330"], check=True)
        events = self.ctl_json("audio", "-r", "a", "--gap", "0", "--title", "Album", "--performer", "Band", a, b)
        self.assertEqual(events[-1]["tracks"], 2)
        adding = [e for e in events if e.get("phase") == "adding"]
        self.assertEqual(adding[-1]["done"], adding[-1]["total"])
        s = self.bus.stop()
        self.assertEqual((s["format"], s["tracks"], s["track_blocks"], s["gap"]), ("redbook", "2", "600", "0"))
        self.assertEqual((s["disc_title"], s["disc_performer"], s["track_title"]), ("Album", "Band", "Song Two"))

    def test_audio_bad_gap(self):
        r = self.ctl("audio", "-r", "a", "--gap", "300", "x.wav")
        self.assertEqual(r.returncode, 1)
        self.assertIn("--gap", r.stderr)

    def test_erase(self):
        events = self.ctl_json("erase", "--full", "a")
        self.assertEqual(self.phases(events), ["erasing"])
        self.assertEqual(events[-1], {"event": "complete", "recorder": "virtual_a", "full": True})
        self.assertEqual(self.bus.stop()["erase_full"], "1")


class Terminal(MockTestCase):
    STEP_MS, STEPS = 250, 6

    def test_progress_bar_on_a_terminal(self):
        cmd = " ".join(shlex.quote(x) for x in [IMAPICTL, "burn", "-r", "a", self.tree()])
        r = subprocess.run(["script", "-qec", cmd, "/dev/null"], env=self.bus.env(), capture_output=True,
                           timeout=60)
        out = r.stdout.decode()  # bytes: text mode would turn the carriage returns into newlines
        self.assertEqual(r.returncode, 0, out + r.stderr.decode())
        self.assertIn("\r\x1b[KAdding files: 8 entries", out)
        self.assertIn("\r\x1b[KPreparing the burn (about 3 s)", out)
        bars = re.findall(r"\r\x1b\[KWriting \[([#.]{24})\] +(\d+)%  (.+?) of (.+?)  (-|[^ ]+?/s)  ETA ([-:\d]+)  track 1/1",
                          out)
        self.assertGreaterEqual(len(bars), 2, repr(out))  # the first and the last are always drawn
        self.assertEqual(bars[-1][0], "#" * 24)
        self.assertEqual(bars[-1][1], "100")
        self.assertEqual(bars[0][1], "0")
        # Once two samples exist there is a rate and an estimate.
        self.assertTrue(any(b[4].endswith("/s") and re.match(r"\d+:\d\d$", b[5]) for b in bars), bars)
        self.assertIn("Closing the disc (about 2 s)", out)
        self.assertTrue(out.rstrip().endswith("Burned 8 entries to virtual_a."), repr(out[-200:]))
        # The bar is redrawn in place: no newline between two bars.
        self.assertNotRegex(out, r"Writing \[[^\r]*\n[^\r]*Writing \[")


class Failures(MockTestCase):
    BURN = "fail"

    def test_failed_burn_names_the_error(self):
        r = self.ctl("burn", "-r", "a", self.tree())
        self.assertEqual(r.returncode, 2)
        self.assertIn("The burn on virtual_a failed: org.freedesktop.IMAPI1.Error.LossOfStreaming: Buffer under-run",
                      r.stderr)
        self.assertIn("Hint: The recorder ran out of data", r.stderr)
        err = self.ctl_json("burn", "-r", "a", self.tree("other") + "/", rc=2)[-1]["error"]
        self.assertEqual((err["name"], err["exit"]), ("org.freedesktop.IMAPI1.Error.LossOfStreaming", 2))


class Refused(MockTestCase):
    BURN = "refuse"

    def test_refused_burn(self):
        r = self.ctl("image", "-r", "a", __file__, timeout=60)
        self.assertEqual(r.returncode, 2)
        self.assertIn("org.freedesktop.IMAPI1.Error.NoActiveRecorder", r.stderr)


class Cancel(MockTestCase):
    BURN, STEP_MS = "slow", 20

    def test_ctrl_c_cancels_at_a_safe_point(self):
        p = subprocess.Popen([IMAPICTL, "--json", "burn", "-r", "a", self.tree()], env=self.bus.env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for line in p.stdout:
            if json.loads(line).get("phase") == "writing":
                break
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 7, err)
        self.assertIn("org.freedesktop.IMAPI1.Error.UserAbort", err)
        self.assertEqual(json.loads(out.splitlines()[-1])["error"]["exit"], 7)
        self.assertEqual(self.bus.stop()["cancel"], "1")


if __name__ == "__main__":
    main()
