#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""RedbookDiscMaster staging on the bus: tracks of PCM in the stash, exact counters, metadata, and a named
error for every kind of bad input with nothing staged before lost."""
import os
import signal
import time

from imapid_test import (IFACE, VIRTUAL0, GLib, ImapidTestCase, SignalRecorder, bytes_variant, main,
                         spawn_helper)

BLOCK = 2352
CD80 = 359849


class RedbookTest(ImapidTestCase):
    CONFIG = "[Limits]\nAudioTracks=3\nAudioKiBPerCall=2000\n"

    def setUp(self):
        super().setUp()
        self.dm = self.c.open("audio test")
        self.c.dm(self.dm, "SetActiveFormat", "s", ["redbook"])
        self.c.dm(self.dm, "SetActiveRecorder", "o", [VIRTUAL0])

    def rb(self, method, sig=None, args=None, **kw):
        return self.c.dm(self.dm, method, sig, args, iface="RedbookDiscMaster", **kw)

    def counters(self):
        p = self.c.get_all(self.dm, "RedbookDiscMaster")
        return p["TotalAudioTracks"], p["UsedAudioBlocks"], p["AvailableAudioTrackBlocks"], p["TotalAudioBlocks"]

    def pcm(self, blocks, seed=0):
        pattern = bytes((i * 7 + seed) & 0xFF for i in range(BLOCK))
        return pattern * blocks

    def add_pcm(self, data):
        return self.rb("AddAudioTrackBlocks", args=GLib.Variant.new_tuple(bytes_variant(data)))

    def test_counters_are_exact(self):
        self.assertEqual(self.c.get(self.dm, "RedbookDiscMaster", "AudioBlockSize"), 2352)
        self.assertEqual(self.counters(), (0, 0, CD80, CD80))
        self.rb("CreateAudioTrack", "u", [400])
        self.add_pcm(self.pcm(400))
        self.assertEqual(self.counters(), (1, 400, CD80 - 400, CD80))
        self.rb("CloseAudioTrack")
        self.rb("CreateAudioTrack", "u", [0])
        tracks, used, avail, total = self.counters()
        self.assertEqual((tracks, used), (2, 400 + 150))  # the gap before track 2 (AudioGapSize 150)
        self.assertEqual(avail, CD80 - 550)
        stash = os.path.join(self.bus.stash_dir, self.dm.rsplit("/", 1)[1])
        self.assertEqual(sum(os.path.getsize(os.path.join(stash, f)) for f in os.listdir(stash)), 400 * BLOCK)

    def test_gap_follows_the_recorder_property(self):
        self.c.recorder(VIRTUAL0, "SetRecorderProperties", "a{sv}", [{"AudioGapSize": GLib.Variant("i", 0)}], "as")
        for _ in range(2):
            self.rb("CreateAudioTrack", "u", [0])
            self.add_pcm(self.pcm(300))
            self.rb("CloseAudioTrack")
        self.assertEqual(self.counters()[1], 600)

    def test_bad_input(self):
        self.assertDBusError("TrackNotOpen", self.add_pcm, self.pcm(1))
        self.assertDBusError("TrackNotOpen", self.rb, "CloseAudioTrack")
        self.rb("CreateAudioTrack", "u", [0])
        self.assertDBusError("TrackOpen", self.rb, "CreateAudioTrack", "u", [0])
        self.add_pcm(self.pcm(75))
        self.assertDBusError("InvalidPcm", self.add_pcm, b"\0" * 2353)
        self.assertDBusError("LimitsExceeded", self.add_pcm, b"\0" * (2000 * 1024 + 2352))
        self.assertEqual(self.counters()[1], 75)  # nothing of the failed calls
        self.assertDBusError("TrackNotBigEnough", self.rb, "CloseAudioTrack")  # one second is too short
        self.add_pcm(self.pcm(225))
        self.rb("CloseAudioTrack")
        self.assertEqual(self.counters()[:2], (1, 300))

    def test_track_bound(self):
        for _ in range(3):
            self.rb("CreateAudioTrack", "u", [0])
            self.add_pcm(self.pcm(300))
            self.rb("CloseAudioTrack")
        self.assertDBusError("Df2TaoTrackLimitReached", self.rb, "CreateAudioTrack", "u", [0])

    def test_metadata_validation(self):
        self.rb("CreateAudioTrack", "u", [0])
        self.rb("SetDiscProperties", "a{sv}", [{"title": GLib.Variant("s", "Album"),
                                                "mcn": GLib.Variant("s", "4006381333931")}])
        self.assertDBusError("Df2TaoInvalidMcn", self.rb, "SetDiscProperties", "a{sv}",
                             [{"mcn": GLib.Variant("s", "4006381333932")}])
        self.rb("SetTrackProperties", "ua{sv}", [1, {"isrc": GLib.Variant("s", "US-K7Y-98-12345"),
                                                    "title": GLib.Variant("s", "One")}])
        self.assertDBusError("Df2TaoInvalidIsrc", self.rb, "SetTrackProperties", "ua{sv}",
                             [1, {"isrc": GLib.Variant("s", "USK7Y9812345"[:11])}])
        self.assertDBusError("org.freedesktop.DBus.Error.InvalidArgs", self.rb, "SetTrackProperties", "ua{sv}",
                             [2, {"title": GLib.Variant("s", "no such track")}])

    def test_pcm_from_a_pipe(self):
        self.rb("CreateAudioTrack", "u", [0])
        sig = SignalRecorder(self.c.conn, IFACE + "DiscMaster", "AddProgress", self.dm)
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            data = self.pcm(500, 3)
            while data:
                data = data[os.write(w, data):]
            os._exit(0)
        os.close(w)
        self.rb("AddAudioTrackBlocksFromFd", "ha{sv}", [0, {}], fds=[r])
        os.close(r)
        os.waitpid(pid, 0)
        self.assertEqual(self.counters()[1], 500)
        sig.wait_for("AddProgress", predicate=lambda s: s[4][0] == 500)
        # An odd total from an fd: nothing of that call is kept.
        odd = os.path.join(self.bus.dir, "odd.pcm")
        with open(odd, "wb") as f:
            f.write(b"\0" * (BLOCK * 10 + 5))
        fd = os.open(odd, os.O_RDONLY)
        self.assertDBusError("InvalidPcm", self.rb, "AddAudioTrackBlocksFromFd", "ha{sv}", [0, {}], fds=[fd])
        os.close(fd)
        self.assertEqual(self.counters()[1], 500)

    def test_client_killed_with_an_open_track(self):
        self.c.dm(self.dm, "Close")
        p, dm = spawn_helper(self.bus, "hold", VIRTUAL0, "audio client")
        stash = os.path.join(self.bus.stash_dir, dm.rsplit("/", 1)[1])
        self.assertTrue(os.path.isdir(stash))
        p.send_signal(signal.SIGKILL)
        p.wait()
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline and os.path.exists(stash):
            time.sleep(0.02)
        self.assertFalse(os.path.exists(stash))
        self.assertEqual(self.c.get(VIRTUAL0, "Recorder", "State"), "idle")


if __name__ == "__main__":
    main()
