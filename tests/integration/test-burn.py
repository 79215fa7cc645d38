#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Burning on the bus: RecordDisc to every writable profile, verified with xorriso; simulate; close-disc;
image burns; the progress signals and properties; Cancel; every failure path with its named error and a
usable recorder afterwards; a client killed mid-burn; two recorders at once; Erase."""
import hashlib
import os
import signal
import subprocess
import time

from imapid_test import (IFACE, ROOT, VIRTUAL0, Burn, Client, GLib, ImapidTestCase, SignalRecorder, add_data,
                         make_tree, main, open_image, open_tree, spawn_helper, xorriso_compare)

APPENDABLE, FINALIZED, BLANK = 0x4, 0x4000, 0x2
PROFILES = ["cd-r", "cd-rw", "dvd-r", "dvd-rw", "dvd+r", "dvd+rw", "dvd+r-dl", "dvd-r-dl", "dvd-ram", "bd-r",
            "bd-re"]


class BurnTest(ImapidTestCase):
    def setUp(self):
        super().setUp()
        self.src = make_tree(os.path.join(self.bus.dir, "src"),
                             files=[("readme.txt", b"imapid\n"), ("dir/data.bin", os.urandom(300000)),
                                    ("dir/deeper/empty.txt", b"")], dirs=["empty dir"])
        os.symlink("../readme.txt", os.path.join(self.src, "dir", "link"))

    def stage(self, recorder=VIRTUAL0, client=None, src=None, name="burner", options=None):
        c = client or self.c
        dm = c.open(name)
        c.dm(dm, "SetActiveFormat", "s", ["joliet"])
        c.dm(dm, "SetActiveRecorder", "o", [recorder])
        if options:
            c.dm(dm, "SetJolietProperties", "a{sv}", [options], "as", iface="JolietDiscMaster")
        add_data(c, dm, open_tree(src or self.src))
        return dm

    def load(self, profile, recorder=VIRTUAL0):
        self.c.recorder(recorder, "LoadMedium", "sa{sv}", [profile, {}], iface="VirtualRecorder")

    def verify(self, recorder=VIRTUAL0, src=None, client=None):
        img = os.path.join(self.bus.dir, "disc.iso")
        open_image(client or self.c, recorder, img)
        ok, out = xorriso_compare(img, src or self.src)
        self.assertTrue(ok, out)
        return img

    def test_every_profile_burns_and_verifies(self):
        for profile in PROFILES:
            with self.subTest(profile=profile):
                self.load(profile)
                dm = self.stage()
                used = self.c.get(dm, "JolietDiscMaster", "UsedDataBlocks")
                b = Burn(self.c, dm).start(close_disc=(profile in ("cd-r", "dvd+r", "bd-r")))
                self.assertEqual(b.wait(), ("", ""))
                img = self.verify()
                self.assertGreaterEqual(os.path.getsize(img), used * 2048)
                state = self.c.get(VIRTUAL0, "Recorder", "MediaState")
                if profile in ("cd-r", "dvd+r", "bd-r"):
                    self.assertTrue(state & FINALIZED, hex(state))
                elif profile in ("cd-rw", "dvd-r", "dvd+r-dl", "dvd-r-dl"):
                    self.assertTrue(state & APPENDABLE, hex(state))
                self.assertFalse(state & BLANK)
                self.c.dm(dm, "Close")

    def test_used_blocks_is_the_image_size(self):
        # On overwritable media the disc holds exactly the image (CD TAO would pad a track to 300 blocks).
        self.load("bd-re")
        dm = self.stage()
        used = self.c.get(dm, "JolietDiscMaster", "UsedDataBlocks")
        Burn(self.c, dm).start().wait()
        img = os.path.join(self.bus.dir, "d.iso")
        open_image(self.c, VIRTUAL0, img)
        self.assertEqual(os.path.getsize(img), used * 2048)

    def test_progress_signals_and_properties(self):
        # 8x CD with a 4 MiB drive buffer: 6 MiB take a few seconds, the last 4 MiB drain while closing.
        slow = self.c.manager("CreateVirtualRecorder", "sa{sv}", ["slow", {"speed": GLib.Variant("u", 8)}], "o")[0]
        big = make_tree(os.path.join(self.bus.dir, "big"), files=[("big.bin", os.urandom(6 * 1024 * 1024))])
        dm = self.stage(slow, src=big)
        rec = SignalRecorder(self.c.conn, "org.freedesktop.DBus.Properties", "PropertiesChanged", slow)
        b = Burn(self.c, dm).start()
        rec.wait_for("PropertiesChanged", predicate=lambda s: s[4][1].get("State") == "burning")
        self.assertEqual(self.c.get(dm, "DiscMaster", "State"), "burning")
        b.sig.wait_for("BlockProgress")
        self.assertEqual(self.c.get(dm, "DiscMaster", "Action"), "writing")
        self.assertEqual(b.wait(), ("", ""))
        kinds = [s[3] for s in b.sig.signals]
        self.assertEqual(kinds[0], "PreparingBurn")
        self.assertLess(kinds.index("BlockProgress"), kinds.index("ClosingDisc"))
        self.assertEqual(kinds[-1], "BurnComplete")
        progress = b.signals("BlockProgress")
        done, total = progress[-1][4]
        self.assertEqual(done, total)  # the last value is always sent
        self.assertEqual(total, self.c.get(dm, "DiscMaster", "BlocksTotal"))
        # At most ten progress signals of any kind in any second (DESIGN.md §4).
        times = [s[0] for s in b.sig.signals if s[3] in ("PreparingBurn", "TrackProgress", "BlockProgress",
                                                         "ClosingDisc")]
        for i in range(len(times)):
            in_second = [t for t in times if times[i] <= t < times[i] + 1.0]
            self.assertLessEqual(len(in_second), 10)
        self.assertGreater(len(progress), 3)
        self.assertEqual(self.c.get(slow, "Recorder", "State"), "opened")
        self.assertEqual(self.c.get(dm, "DiscMaster", "State"), "staging")
        self.assertEqual(self.c.get(dm, "DiscMaster", "Action"), "")
        # Properties followed the burn (for clients that join late).
        changed = [s[4][1] for s in b.props.signals]
        self.assertTrue(any(c.get("RemainingSeconds", 0) > 0 for c in changed))
        self.assertTrue(any("ElapsedSeconds" in c for c in changed))

    def test_simulate_leaves_the_disc_blank(self):
        dm = self.stage()
        self.assertEqual(Burn(self.c, dm).start(simulate=True).wait(), ("", ""))
        self.assertTrue(self.c.get(VIRTUAL0, "Recorder", "MediaState") & BLANK)
        self.assertEqual(self.c.get(VIRTUAL0, "Recorder", "NextWritable"), 0)

    def test_simulate_refused_where_the_medium_has_no_test_write(self):
        self.load("dvd+r")
        dm = self.stage()
        err, msg = Burn(self.c, dm).start(simulate=True).wait()
        self.assertEqual(err, "org.freedesktop.IMAPI1.Error.NotSupported")
        self.assertIn("Test Write", msg)
        self.assertTrue(self.c.get(VIRTUAL0, "Recorder", "MediaState") & BLANK)

    def test_eject_after(self):
        dm = self.stage()
        self.assertEqual(Burn(self.c, dm).start(eject=True).wait(), ("", ""))
        self.assertFalse(self.c.get(VIRTUAL0, "Recorder", "MediaPresent"))

    def test_image_burns_byte_identically(self):
        iso = os.path.join(self.bus.dir, "made-by-xorriso.iso")
        subprocess.run(["xorriso", "-as", "mkisofs", "-J", "-R", "-quiet", "-o", iso, self.src], check=True)
        dm = self.c.open("image")
        self.c.dm(dm, "SetActiveFormat", "s", ["image"])
        self.c.dm(dm, "SetActiveRecorder", "o", [VIRTUAL0])
        fd = os.open(iso, os.O_RDONLY)
        self.c.dm(dm, "SetImage", "ha{sv}", [0, {}], iface="ImageDiscMaster", fds=[fd])
        os.close(fd)
        self.assertEqual(Burn(self.c, dm).start().wait(), ("", ""))
        out = os.path.join(self.bus.dir, "back.iso")
        open_image(self.c, VIRTUAL0, out)
        with open(iso, "rb") as a, open(out, "rb") as b:
            self.assertEqual(hashlib.sha256(a.read()).hexdigest(), hashlib.sha256(b.read()).hexdigest())

    def test_disc_full_before_any_write(self):
        sparse = os.path.join(self.bus.dir, "huge.bin")
        with open(sparse, "wb") as f:
            f.truncate(800 * 1024 * 1024)  # more than an 80-minute CD-R
        dm = self.stage(src=make_tree(os.path.join(self.bus.dir, "huge"), files=[("x", b"x")]),
                        options={"FreeMediaBlocks": GLib.Variant("u", 1000000)})
        fd = os.open(sparse, os.O_RDONLY)
        self.c.dm(dm, "AddData", "a(sh)a{sv}", [[("huge.bin", 0)], {}], iface="JolietDiscMaster", fds=[fd])
        os.close(fd)
        self.assertDBusError("DiscFull", self.c.dm, dm, "RecordDisc", "bba{sv}", [False, False, {}])
        self.assertTrue(self.c.get(VIRTUAL0, "Recorder", "MediaState") & BLANK)

    def test_closed_disc_is_refused_and_appendable_disc_takes_a_session(self):
        dm = self.stage()
        self.assertEqual(Burn(self.c, dm).start().wait(), ("", ""))  # appendable
        nwa = self.c.get(VIRTUAL0, "Recorder", "NextWritable")
        self.assertGreater(nwa, 0)
        self.assertEqual(Burn(self.c, dm).start(close_disc=True).wait(), ("", ""))  # a second session
        self.assertEqual(self.c.get(VIRTUAL0, "Recorder", "Sessions"), 2)
        msg = self.assertDBusError("MediumClosed", self.c.dm, dm, "RecordDisc", "bba{sv}", [False, False, {}])
        self.assertIn("closed", msg)

    def test_cancel_mid_burn(self):
        # 16x CD and a 4 MiB drive buffer: 10 MiB leave a few seconds of writing to cancel.
        slow = self.c.manager("CreateVirtualRecorder", "sa{sv}", ["slow", {"speed": GLib.Variant("u", 16)}], "o")[0]
        big = make_tree(os.path.join(self.bus.dir, "big"), files=[("big.bin", os.urandom(10 * 1024 * 1024))])
        dm = self.stage(slow, src=big)
        b = Burn(self.c, dm).start()
        b.sig.wait_for("BlockProgress")
        self.assertDBusError("org.freedesktop.DBus.Error.AccessDenied", Client(self.bus.connect()).dm, dm, "Cancel")
        self.c.dm(dm, "Cancel")
        err, msg = b.wait(30)
        self.assertEqual(err, "org.freedesktop.IMAPI1.Error.UserAbort")
        self.assertIn("(IMAPI_E_USERABORT, 0x8004020D)", msg)
        self.assertEqual(self.c.get(slow, "Recorder", "State"), "opened")
        self.assertDBusError("Df2DataWriteNotInProgress", self.c.dm, dm, "Cancel")
        # The recorder is usable: a new disc burns.
        self.c.dm(dm, "Close")
        self.c.recorder(slow, "LoadMedium", "sa{sv}", ["cd-r", {}], iface="VirtualRecorder")
        dm2 = self.stage(slow, name="again")
        self.assertEqual(Burn(self.c, dm2).start().wait(), ("", ""))
        self.verify(slow)

    def failing_recorder(self, name, faults, medium="cd-r"):
        return self.c.manager("CreateVirtualRecorder", "sa{sv}",
                              [name, {"faults": GLib.Variant("s", faults), "medium": GLib.Variant("s", medium)}],
                              "o")[0]

    def test_write_error_at_an_lba(self):
        r = self.failing_recorder("bad", "sense@lba=40:3/0C/00")
        dm = self.stage(r)
        err, msg = Burn(self.c, dm).start().wait()
        self.assertEqual(err, "org.freedesktop.IMAPI1.Error.MediumError", msg)
        self.assertIn("40", msg)
        self.assertEqual(self.c.get(r, "Recorder", "State"), "opened")
        self.c.recorder(r, "LoadMedium", "sa{sv}", ["cd-r", {}], iface="VirtualRecorder")
        self.assertEqual(Burn(self.c, dm).start().wait(), ("", ""))  # usable afterwards

    def test_medium_removed_mid_burn(self):
        r = self.failing_recorder("pulled", "remove@lba=60")
        dm = self.stage(r)
        err, msg = Burn(self.c, dm).start().wait()
        self.assertEqual(err, "org.freedesktop.IMAPI1.Error.MediumNotPresent", msg)
        self.assertFalse(self.c.get(r, "Recorder", "MediaPresent"))
        self.c.recorder(r, "LoadMedium", "sa{sv}", ["cd-r", {}], iface="VirtualRecorder")
        self.assertEqual(Burn(self.c, dm).start().wait(), ("", ""))

    def test_file_changed_after_staging(self):
        dm = self.stage()
        with open(os.path.join(self.src, "dir", "data.bin"), "r+b") as f:
            f.truncate(1000)  # shrinks between AddData and mastering
        err, msg = Burn(self.c, dm).start().wait()
        self.assertEqual(err, "org.freedesktop.IMAPI1.Error.DataStreamInconsistency", msg)
        self.assertIn("data.bin", msg)

    def test_client_killed_mid_burn(self):
        slow = self.c.manager("CreateVirtualRecorder", "sa{sv}", ["slow", {"speed": GLib.Variant("u", 16)}], "o")[0]
        big = make_tree(os.path.join(self.bus.dir, "big"), files=[("big.bin", os.urandom(12 * 1024 * 1024))])
        # The helper stages and burns in its own process, then is killed mid-burn.
        p, dm = spawn_helper(self.bus, "burn", slow, big)
        try:
            stash = os.path.join(self.bus.stash_dir, dm.rsplit("/", 1)[1])
            deadline = time.monotonic() + 20
            while self.c.get(slow, "Recorder", "State") != "burning" and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertEqual(self.c.get(slow, "Recorder", "State"), "burning")
            p.send_signal(signal.SIGKILL)
            p.wait()
            # Documented behaviour: the burn stops at a safe point, the track is closed, the recorder is freed.
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and (self.c.get(slow, "Recorder", "State") != "idle"
                                                   or os.path.exists(stash)):
                time.sleep(0.05)
            self.assertEqual(self.c.get(slow, "Recorder", "State"), "idle")
            self.assertEqual(self.c.get(slow, "Recorder", "Owner"), "")
            self.assertFalse(os.path.exists(stash))
            self.assertEqual(os.listdir(self.bus.stash_dir), [])
            dm2 = self.stage(slow, name="next")  # the recorder is usable
        finally:
            if p.poll() is None:
                p.kill()

    def test_two_recorders_at_once(self):
        r2 = self.c.manager("CreateVirtualRecorder", "sa{sv}", ["second", {"medium": GLib.Variant("s", "dvd+r")}],
                            "o")[0]
        other = Client(self.bus.connect())
        src2 = make_tree(os.path.join(self.bus.dir, "src2"), files=[("other.bin", os.urandom(2000000))])
        dm1 = self.stage(VIRTUAL0)
        dm2 = self.stage(r2, client=other, src=src2)
        b1, b2 = Burn(self.c, dm1).start(), Burn(other, dm2).start()
        self.assertEqual(b1.wait(), ("", ""))
        self.assertEqual(b2.wait(), ("", ""))
        self.verify(VIRTUAL0)
        self.verify(r2, src2, client=other)  # only its holder may read a held recorder's disc

    def test_erase(self):
        self.load("cd-rw")
        dm = self.stage()
        self.assertEqual(Burn(self.c, dm).start().wait(), ("", ""))
        self.assertFalse(self.c.get(VIRTUAL0, "Recorder", "MediaState") & BLANK)
        sig = SignalRecorder(self.c.conn, IFACE + "Recorder", None, VIRTUAL0)
        self.c.recorder(VIRTUAL0, "Erase", "ba{sv}", [False, {}])
        s = sig.wait_for("EraseComplete", 60)
        self.assertEqual(s[4], ("", ""))
        self.assertTrue(self.c.get(VIRTUAL0, "Recorder", "MediaState") & BLANK)
        self.assertEqual(self.c.get(dm, "DiscMaster", "State"), "staging")
        # A write-once disc cannot be erased; without holding the recorder nobody may erase.
        self.load("cd-r")
        self.assertDBusError("EraseMediaIsNotErasable", self.c.recorder, VIRTUAL0, "Erase", "ba{sv}", [False, {}])
        self.c.dm(dm, "SetActiveRecorder", "o", ["/"])
        self.assertDBusError("NoActiveRecorder", self.c.recorder, VIRTUAL0, "Erase", "ba{sv}", [True, {}])

    def test_record_disc_preconditions(self):
        dm = self.c.open("early")
        self.assertDBusError("NoActiveFormat", self.c.dm, dm, "RecordDisc", "bba{sv}", [False, False, {}])
        self.c.dm(dm, "SetActiveFormat", "s", ["joliet"])
        self.assertDBusError("NoActiveRecorder", self.c.dm, dm, "RecordDisc", "bba{sv}", [False, False, {}])
        self.c.dm(dm, "SetActiveRecorder", "o", [VIRTUAL0])
        self.assertDBusError("InvalidImage", self.c.dm, dm, "RecordDisc", "bba{sv}", [False, False, {}])
        add_data(self.c, dm, open_tree(self.src))
        self.c.recorder(VIRTUAL0, "Eject", "a{sv}", [{}])
        self.assertDBusError("MediumNotPresent", self.c.dm, dm, "RecordDisc", "bba{sv}", [False, False, {}])


if __name__ == "__main__":
    main()
