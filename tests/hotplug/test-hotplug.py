#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Real recorders (DESIGN.md §5, §8): the daemon finds the optical drives udev knows at start and those
plugged later, follows media changes and removal, holds a drive exclusively for its disc master, and burns
through mmc/transport-cdio.c (libcdio) onto the emulated drive, all behind umockdev /dev/srN nodes."""
import os
import signal
import subprocess
import tempfile
import time

from hotplug_test import IS_ROOT, BridgeError, HotplugTestCase, errno, recorder_path, wait_until
from imapid_test import (IFACE, ROOT, VIRTUAL0, Client, GLib, SignalRecorder, add_data, main, open_tree,
                         spawn_helper)

SERIAL0 = "ACME_Burner_9000_SN0001"
PATH1 = "pci-0000:00:1f.2-ata-2.0"
SR0 = recorder_path(SERIAL0)
SR1 = recorder_path(PATH1)
DRIVE0 = dict(serial=SERIAL0, vendor="ACME", product="Burner 9000", revision="1.23", medium="cd-r",
              profiles="cd-r,cd-rw,dvd-r,dvd+r,dvd+rw")
DRIVE1 = dict(path=PATH1, medium="dvd+r", max_kb=32)
MANAGER = IFACE + "Manager"
OM = "org.freedesktop.DBus.ObjectManager"


class EnumerationTest(HotplugTestCase):
    DRIVES = {0: DRIVE0, 1: DRIVE1}

    def test_drives_present_at_start_become_recorders(self):
        self.wait_recorder(SR0)
        self.wait_recorder(SR1)
        self.assertEqual(sorted(self.recorders()), sorted([VIRTUAL0, SR0, SR1]))
        p = self.c.get_all(SR0, "Recorder")
        self.assertEqual(p["Id"], SERIAL0)  # ID_SERIAL
        self.assertEqual(p["Device"], "/dev/sr0")
        self.assertFalse(p["Virtual"])
        self.assertEqual((p["Vendor"], p["Product"], p["Revision"]), ("ACME", "Burner 9000", "1.23"))
        self.assertEqual(p["Profiles"], ["cd-r", "cd-rw", "dvd-r", "dvd+r", "dvd+rw"])
        self.assertEqual(p["RecorderType"], 2)
        self.assertEqual(p["State"], "idle")
        self.assertTrue(p["MediaPresent"])
        self.assertEqual(p["MediaProfile"], "cd-r")
        self.assertEqual(p["FreeBlocks"], 359849)
        q = self.c.get_all(SR1, "Recorder")
        self.assertEqual(q["Id"], PATH1)  # no ID_SERIAL: ID_PATH
        self.assertEqual(q["Device"], "/dev/sr1")
        self.assertEqual(q["Vendor"], "IMAPID")  # the emulator's own INQUIRY strings
        self.assertEqual(q["Product"], "Virtual sr1")
        self.assertEqual(q["MediaProfile"], "dvd+r")
        self.assertEqual(q["FreeBlocks"], 2295104)
        # Idle drives are not kept open: each probe command opened and closed the node.
        self.assertEqual(self.bridge.wait_opens(0, (0, 0)), (0, 0))

    def test_ids_survive_a_restart(self):
        self.wait_recorder(SR0)
        self.restart_daemon()
        self.c = Client(self.bus.connect())
        self.wait_recorder(SR0)
        self.wait_recorder(SR1)
        self.assertEqual(self.c.get(SR0, "Recorder", "Id"), SERIAL0)

    def test_media_change_event_refreshes_properties(self):
        self.wait_recorder(SR0)
        sig = SignalRecorder(self.c.conn, "org.freedesktop.DBus.Properties", "PropertiesChanged", SR0)
        self.bridge.cmd("load", 0, "dvd+rw")
        self.bridge.cmd("change", 0)
        sig.wait_for("PropertiesChanged", predicate=lambda s: s[4][1].get("MediaProfile") == "dvd+rw")
        self.assertEqual(self.c.get(SR0, "Recorder", "MediaProfile"), "dvd+rw")
        self.bridge.cmd("eject", 0)
        self.bridge.cmd("change", 0)
        sig.wait_for("PropertiesChanged", predicate=lambda s: s[4][1].get("MediaPresent") is False)
        self.assertEqual(self.c.get(SR0, "Recorder", "FreeBlocks"), 0)


class HotplugTest(HotplugTestCase):
    DRIVES = {0: DRIVE0}

    def test_hot_add_and_remove(self):
        self.wait_recorder(SR0)
        pnp = SignalRecorder(self.c.conn, MANAGER, "PnPActivity", ROOT)
        om = SignalRecorder(self.c.conn, OM, None, ROOT)
        start = time.monotonic()
        self.bridge.add(1, **DRIVE1)
        added = om.wait_for("InterfacesAdded", timeout=10, predicate=lambda s: s[4][0] == SR1)
        self.assertLess(added[0] - start, 2.0, "InterfacesAdded came %.1f s after the drive" % (added[0] - start))
        self.assertIn(IFACE + "Recorder", added[4][1])
        self.assertEqual(added[4][1][IFACE + "Recorder"]["Device"], "/dev/sr1")
        pnp.wait_for("PnPActivity", timeout=10, predicate=lambda s: s[0] >= start)
        self.assertIn(SR1, self.recorders())

        pnp.signals.clear()
        start = time.monotonic()
        self.bridge.cmd("remove", 1)
        removed = om.wait_for("InterfacesRemoved", timeout=10, predicate=lambda s: s[4][0] == SR1)
        self.assertLess(removed[0] - start, 2.0)
        pnp.wait_for("PnPActivity", timeout=10)
        self.assertNotIn(SR1, self.recorders())
        self.assertIn(SR0, self.recorders())
        with self.assertRaises(GLib.Error):
            self.c.get(SR1, "Recorder", "Id")

    def test_replug_gives_the_same_object(self):
        self.wait_recorder(SR0)
        self.bridge.cmd("remove", 0)
        self.wait_recorder(SR0, present=False)
        self.bridge.add(0, **DRIVE0)
        self.wait_recorder(SR0)
        self.assertEqual(self.c.get(SR0, "Recorder", "Device"), "/dev/sr0")


class HoldTest(HotplugTestCase):
    DRIVES = {0: DRIVE0}
    LOOP_NODES = (0,)

    def setUp(self):
        if not IS_ROOT:
            self.skipTest("taking a recorder needs root here (no polkitd without root)")
        super().setUp()
        self.wait_recorder(SR0)

    def exclusive_open(self):
        """errno of an O_EXCL open of the node by someone else (0: it worked)."""
        self.assertTrue(self.loops, "the node is not a real block device")
        return self.loops[0].try_exclusive_open()

    def test_hold_opens_exclusively_and_close_releases(self):
        self.assertEqual(self.exclusive_open(), 0)  # nobody holds it
        dm = self.c.open("hold test")
        self.c.dm(dm, "SetActiveRecorder", "o", [SR0])
        self.assertEqual(self.c.get(SR0, "Recorder", "State"), "opened")
        self.assertEqual(self.c.get(SR0, "Recorder", "Owner"), "hold test")
        self.assertEqual(self.bridge.wait_opens(0, (1, 1)), (1, 1))  # the node and its sg sibling
        self.assertEqual(self.exclusive_open(), errno.EBUSY)
        # Commands of the holder still work (through the held fd).
        self.c.recorder(SR0, "Eject", "a{sv}", [{}])
        self.assertFalse(self.c.get(SR0, "Recorder", "MediaPresent"))
        self.c.recorder(SR0, "CloseTray", "a{sv}", [{}])
        self.assertTrue(self.c.get(SR0, "Recorder", "MediaPresent"))
        self.assertEqual(self.exclusive_open(), errno.EBUSY)

        self.c.dm(dm, "Close")
        self.assertEqual(self.bridge.wait_opens(0, (0, 0)), (0, 0))
        self.assertEqual(self.exclusive_open(), 0)
        self.assertEqual(self.c.get(SR0, "Recorder", "State"), "idle")

    def test_another_program_holding_the_drive_refuses_the_hold(self):
        fd = os.open(self.loops[0].node, os.O_RDWR | os.O_EXCL | os.O_NONBLOCK)
        try:
            dm = self.c.open()
            self.assertDBusError("DeviceNotAccessible", self.c.dm, dm, "SetActiveRecorder", "o", [SR0])
            self.assertEqual(self.c.get(SR0, "Recorder", "State"), "idle")
        finally:
            os.close(fd)
        self.c.dm(dm, "SetActiveRecorder", "o", [SR0])
        self.assertEqual(self.exclusive_open(), errno.EBUSY)

    def test_client_crash_releases(self):
        helper, line = spawn_helper(self.bus, "hold", SR0, "crasher")
        try:
            self.assertTrue(wait_until(lambda: self.exclusive_open() == errno.EBUSY))
            self.assertEqual(self.c.get(SR0, "Recorder", "Owner"), "crasher")
        finally:
            helper.send_signal(signal.SIGKILL)
            helper.wait()
        self.assertTrue(wait_until(lambda: self.exclusive_open() == 0), self.bus.daemon_log()[-3000:])
        self.assertEqual(self.bridge.wait_opens(0, (0, 0)), (0, 0))
        self.assertTrue(wait_until(lambda: self.c.get(SR0, "Recorder", "State") == "idle"))

    def test_removal_while_held(self):
        dm = self.c.open("held")
        self.c.dm(dm, "SetActiveRecorder", "o", [SR0])
        om = SignalRecorder(self.c.conn, OM, "InterfacesRemoved", ROOT)
        self.bridge.cmd("remove", 0)
        om.wait_for("InterfacesRemoved", predicate=lambda s: s[4][0] == SR0)
        self.assertNotIn(SR0, self.recorders())
        # The disc master lives on, holds nothing, and may take another recorder; the dead drive's fds are
        # closed.
        self.assertEqual(self.c.get(dm, "DiscMaster", "ActiveRecorder"), "/")
        self.c.dm(dm, "SetActiveRecorder", "o", [VIRTUAL0])
        self.assertEqual(self.c.get(dm, "DiscMaster", "ActiveRecorder"), VIRTUAL0)
        self.assertEqual(self.bridge.wait_opens(0, (0, 0)), (0, 0))


class BurnTest(HotplugTestCase):
    DRIVES = {0: DRIVE0, 1: DRIVE1}
    LOOP_NODES = (0,)

    def setUp(self):
        if not IS_ROOT:
            self.skipTest("burning needs root here (no polkitd without root)")
        super().setUp()
        self.wait_recorder(SR0)
        self.wait_recorder(SR1)
        self.src = tempfile.mkdtemp(dir=self.bus.dir)
        os.makedirs(os.path.join(self.src, "docs", "deep"))
        with open(os.path.join(self.src, "hello.txt"), "w") as f:
            f.write("hello from a real recorder\n")
        with open(os.path.join(self.src, "docs", "deep", "random.bin"), "wb") as f:
            f.write(os.urandom(3 * 1024 * 1024 + 123))
        with open(os.path.join(self.src, "docs", "A long name with spaces.txt"), "w") as f:
            f.write("x" * 5000)

    def stage(self, recorder, name="burn test"):
        dm = self.c.open(name)
        self.c.dm(dm, "SetActiveFormat", "s", ["joliet"])
        self.c.dm(dm, "SetActiveRecorder", "o", [recorder])
        add_data(self.c, dm, open_tree(self.src))
        return dm

    def burn(self, dm, timeout=120):
        sig = SignalRecorder(self.c.conn, IFACE + "DiscMaster", "BurnComplete", dm)
        self.c.dm(dm, "RecordDisc", "bba{sv}", [False, False, {}])
        return sig.wait_for("BurnComplete", timeout=timeout)[4]

    def verify(self, index):
        image = os.path.join(self.bus.dir, "sr%d.iso" % index)
        self.bridge.cmd("image", index, image)
        r = subprocess.run(["xorriso", "-abort_on", "FAILURE", "-indev", image, "-compare_r", self.src, "/"],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotIn("differ", r.stdout + r.stderr)

    def test_data_burn_through_cdio_verifies(self):
        for index, path in ((0, SR0), (1, SR1)):  # CD-R TAO; DVD+R with 64 KiB WRITEs split for a 32 KiB host
            with self.subTest(recorder=path):
                dm = self.stage(path)
                result = self.burn(dm)
                self.assertEqual(result, ("", ""), self.bus.daemon_log()[-4000:])
                self.verify(index)
                self.assertFalse(self.c.get(path, "Recorder", "MediaFlags") & 1)  # no longer blank
                self.c.dm(dm, "Close")
        self.assertLessEqual(self.bridge.value("maxxfer", 1, 0x2A), 32 * 1024)
        self.assertGreater(self.bridge.value("count", 1, 0x2A), 0)

    def test_removal_during_burn_ends_with_device_not_present(self):
        self.bridge.cmd("faults", 0, "slow=100")  # each WRITE takes 100 ms: the burn lasts ~5 s unless stopped
        dm = self.stage(SR0, "doomed")
        sig = SignalRecorder(self.c.conn, IFACE + "DiscMaster", None, dm)
        self.c.dm(dm, "RecordDisc", "bba{sv}", [False, False, {}])
        sig.wait_for("BlockProgress", timeout=30, predicate=lambda s: s[4][0] > 0)
        self.bridge.cmd("remove", 0)
        done = sig.wait_for("BurnComplete", timeout=60)[4]
        self.assertEqual(done[0], "org.freedesktop.IMAPI1.Error.DeviceNotPresent", done)
        self.wait_recorder(SR0, present=False)
        # The disc master survived, without the dead recorder: it takes another one and burns there.
        self.assertEqual(self.c.get(dm, "DiscMaster", "State"), "staging")
        self.assertEqual(self.c.get(dm, "DiscMaster", "ActiveRecorder"), "/")
        self.c.dm(dm, "SetActiveRecorder", "o", [SR1])
        self.assertEqual(self.burn(dm), ("", ""), self.bus.daemon_log()[-4000:])
        self.verify(1)

    def test_client_crash_during_burn_unlocks_and_releases(self):
        """The client is killed mid-burn: the job stops, the tray lock the burn took is undone and the drive
        is no longer held (DESIGN.md §5: clean-up never depends on the client)."""
        self.bridge.cmd("faults", 0, "slow=100")  # each WRITE takes 100 ms: the burn lasts ~5 s unless stopped
        big = os.path.join(self.src, "docs", "deep", "random.bin")
        helper = subprocess.Popen(["/usr/bin/python3", "-c", BURN_AND_WAIT, SR0, big], env=self.bus.env(),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            dm = helper.stdout.readline().strip()
            self.assertTrue(dm.startswith(ROOT + "/DiscMaster/"), helper.stderr.read() if not dm else dm)
            sig = SignalRecorder(self.c.conn, IFACE + "DiscMaster", "BlockProgress", dm)
            sig.wait_for("BlockProgress", timeout=30, predicate=lambda s: s[4][0] > 0)
            self.assertEqual(self.c.get(SR0, "Recorder", "State"), "burning")
            with self.assertRaises(BridgeError):  # the burn keeps the tray locked (PREVENT MEDIUM REMOVAL)
                self.bridge.cmd("eject", 0)
        finally:
            helper.kill()
            helper.wait()
            helper.stdout.close()
            helper.stderr.close()
        self.assertTrue(wait_until(lambda: self.c.get(SR0, "Recorder", "State") == "idle", 30),
                        self.bus.daemon_log()[-3000:])
        self.assertTrue(wait_until(lambda: self.loops[0].try_exclusive_open() == 0))
        self.assertEqual(self.bridge.wait_opens(0, (0, 0)), (0, 0))
        self.bridge.cmd("eject", 0)  # the tray is free again


# A client that starts a burn of one file on a recorder, prints its disc master and waits to be killed.
BURN_AND_WAIT = """
import os, sys, time
from gi.repository import Gio, GLib
c = Gio.bus_get_sync(Gio.BusType.SYSTEM, None)
def call(path, iface, method, sig, args, reply=None, fds=None):
    fl = Gio.UnixFDList.new()
    for fd in fds or []:
        fl.append(fd)
    r, _ = c.call_with_unix_fd_list_sync("org.freedesktop.IMAPI1", path, "org.freedesktop.IMAPI1." + iface,
                                         method, GLib.Variant(sig, args), None, 0, 60000, fl, None)
    return r.unpack() if r else None
dm = call("/org/freedesktop/IMAPI1", "Manager", "Open", "(a{sv})", ({},))[0]
call(dm, "DiscMaster", "SetActiveFormat", "(s)", ("joliet",))
call(dm, "DiscMaster", "SetActiveRecorder", "(o)", (sys.argv[1],))
call(dm, "JolietDiscMaster", "AddData", "(a(sh)a{sv})", ([("big.bin", 0)], {}),
     fds=[os.open(sys.argv[2], os.O_RDONLY)])
call(dm, "DiscMaster", "RecordDisc", "(bba{sv})", (False, False, {}))
print(dm, flush=True)
time.sleep(600)
"""


if __name__ == "__main__":
    main()
