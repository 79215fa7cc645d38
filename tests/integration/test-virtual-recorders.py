#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Virtual recorders through the MMC layer: every medium reports what a real drive would; LoadMedium, Eject,
CloseTray; creating and removing virtual recorders; the v1 recorder properties; persistence."""
import os

from imapid_test import (IFACE, ROOT, VIRTUAL0, Client, GLib, ImapidTestCase, SignalRecorder, main)

BLANK, RW, WRITABLE = 1, 2, 4
STATE_OVERWRITE_ONLY, STATE_BLANK = 0x1, 0x2

# Blank discs as real drives report them: capacity in 2048-byte blocks (READ TRACK INFORMATION free blocks of
# the invisible track, or READ CAPACITY/READ FORMAT CAPACITIES for overwritable media).
MEDIA = {
    "cd-r": dict(flags=BLANK | WRITABLE, blocks=359849),
    "cd-rw": dict(flags=BLANK | RW | WRITABLE, blocks=359849),
    "dvd-r": dict(flags=BLANK | WRITABLE, blocks=2298496),
    "dvd-rw": dict(flags=BLANK | RW | WRITABLE, blocks=2298496),
    "dvd+r": dict(flags=BLANK | WRITABLE, blocks=2295104),
    "dvd+rw": dict(flags=BLANK | RW | WRITABLE, blocks=2295104),
    "bd-r": dict(flags=BLANK | WRITABLE, blocks=12219392),
    "bd-re": dict(flags=BLANK | RW | WRITABLE, blocks=12219392),
}


class VirtualRecorderTest(ImapidTestCase):
    def test_virtual0_identity(self):
        props = self.c.get_all(VIRTUAL0, "Recorder")
        self.assertEqual(props["Id"], "virtual_virtual0")
        self.assertTrue(props["Virtual"])
        self.assertEqual(props["Device"], "")
        self.assertTrue(props["Vendor"])
        self.assertTrue(props["Product"])
        self.assertEqual(props["RecorderType"], 2)  # it writes CD-RW
        for p in MEDIA:
            self.assertIn(p, props["Profiles"])
        self.assertEqual(props["State"], "idle")
        self.assertEqual(props["Owner"], "")
        self.assertGreater(props["MaxWriteSpeed"], 0)
        self.assertEqual(self.c.get(ROOT, "Manager", "Recorders"), [VIRTUAL0])

    def test_every_blank_medium_reports_like_a_drive(self):
        for profile, want in MEDIA.items():
            with self.subTest(profile=profile):
                self.c.recorder(VIRTUAL0, "LoadMedium", "sa{sv}", [profile, {}], iface="VirtualRecorder")
                p = self.c.get_all(VIRTUAL0, "Recorder")
                self.assertTrue(p["MediaPresent"])
                self.assertEqual(p["MediaProfile"], profile)
                self.assertEqual(p["MediaFlags"], want["flags"])
                self.assertTrue(p["MediaState"] & STATE_BLANK)
                self.assertEqual(p["Sessions"], 0)
                self.assertEqual(p["LastTrack"], 0)
                self.assertEqual(p["StartAddress"], 0)
                self.assertEqual(p["NextWritable"], 0)
                self.assertEqual(p["FreeBlocks"], want["blocks"])
                self.assertEqual(p["TotalBlocks"], want["blocks"])
                # IMAPI v1 MEDIA_TYPES know CDs only: a blank CD is CD-DA/CD-ROM (1), others special (6).
                self.assertEqual(p["MediaType"], 1 if profile.startswith("cd") else 6)
                self.assertTrue(p["WriteSpeeds"])
                self.assertEqual(p["WriteSpeeds"], sorted(p["WriteSpeeds"], reverse=True))
                self.assertEqual(p["MaxWriteSpeed"], p["WriteSpeeds"][0])

    def test_load_medium_rejects_unknown_profiles(self):
        self.assertDBusError("MediumInvalidType", self.c.recorder, VIRTUAL0, "LoadMedium", "sa{sv}",
                             ["hd-dvd", {}], iface="VirtualRecorder")
        self.assertEqual(self.c.get(VIRTUAL0, "Recorder", "MediaProfile"), "cd-r")

    def test_eject_and_close_tray(self):
        sig = SignalRecorder(self.c.conn, "org.freedesktop.DBus.Properties", "PropertiesChanged", VIRTUAL0)
        self.c.recorder(VIRTUAL0, "Eject", "a{sv}", [{}])
        self.assertFalse(self.c.get(VIRTUAL0, "Recorder", "MediaPresent"))
        self.assertEqual(self.c.get(VIRTUAL0, "Recorder", "MediaProfile"), "")
        self.assertEqual(self.c.get(VIRTUAL0, "Recorder", "FreeBlocks"), 0)
        sig.wait_for("PropertiesChanged", predicate=lambda s: s[4][1].get("MediaPresent") is False)
        self.c.recorder(VIRTUAL0, "CloseTray", "a{sv}", [{}])
        self.assertTrue(self.c.get(VIRTUAL0, "Recorder", "MediaPresent"))
        self.assertEqual(self.c.get(VIRTUAL0, "Recorder", "MediaProfile"), "cd-r")

    def test_eject_refused_while_another_client_holds(self):
        other = Client(self.bus.connect())
        dm = other.open("holder")
        other.dm(dm, "SetActiveRecorder", "o", [VIRTUAL0])
        msg = self.assertDBusError("DeviceStillInUse", self.c.recorder, VIRTUAL0, "Eject", "a{sv}", [{}])
        self.assertIn("holder", msg)
        self.assertDBusError("DeviceStillInUse", self.c.recorder, VIRTUAL0, "LoadMedium", "sa{sv}",
                             ["dvd+r", {}], iface="VirtualRecorder")
        other.recorder(VIRTUAL0, "Eject", "a{sv}", [{}])  # the holder may
        self.assertFalse(self.c.get(VIRTUAL0, "Recorder", "MediaPresent"))

    def test_create_and_remove_virtual_recorder(self):
        sig = SignalRecorder(self.c.conn, None, None, None)
        path = self.c.manager("CreateVirtualRecorder", "sa{sv}",
                              ["extra-1", {"medium": GLib.Variant("s", "dvd+r"),
                                           "profiles": GLib.Variant("as", ["cd-r", "dvd+r", "dvd+rw"]),
                                           "speed": GLib.Variant("u", 8)}], "o")[0]
        self.assertEqual(path, ROOT + "/Recorder/virtual_5fextra_2d1")
        sig.wait_for("PnPActivity")
        sig.wait_for("InterfacesAdded", predicate=lambda s: s[4][0] == path)
        self.assertEqual(self.c.get(ROOT, "Manager", "Recorders"), sorted([VIRTUAL0, path]))
        self.assertEqual(self.c.get(path, "Recorder", "Profiles"), ["cd-r", "dvd+r", "dvd+rw"])
        self.assertEqual(self.c.get(path, "Recorder", "MediaProfile"), "dvd+r")
        self.assertEqual(self.c.get(path, "VirtualRecorder", "Speed"), 8)
        self.assertEqual(self.c.get(path, "Recorder", "RecorderType"), 1)  # CD-R only
        self.assertDBusError("MediumInvalidType", self.c.recorder, path, "LoadMedium", "sa{sv}", ["bd-r", {}],
                             iface="VirtualRecorder")
        self.c.manager("RemoveVirtualRecorder", "oa{sv}", [path, {}])
        sig.wait_for("InterfacesRemoved", predicate=lambda s: s[4][0] == path)
        self.assertEqual(self.c.get(ROOT, "Manager", "Recorders"), [VIRTUAL0])
        self.assertDBusError("org.freedesktop.DBus.Error.UnknownObject", self.c.get, path, "Recorder", "Id")

    def test_create_virtual_recorder_errors(self):
        for name in ("", "has space", "x" * 33, "a/b"):
            self.assertDBusError("org.freedesktop.DBus.Error.InvalidArgs", self.c.manager, "CreateVirtualRecorder",
                                 "sa{sv}", [name, {}], "o")
        self.assertDBusError("org.freedesktop.DBus.Error.InvalidArgs", self.c.manager, "CreateVirtualRecorder",
                             "sa{sv}", ["ok", {"profiles": GLib.Variant("as", ["floppy"])}], "o")
        self.assertDBusError("org.freedesktop.DBus.Error.InvalidArgs", self.c.manager, "CreateVirtualRecorder",
                             "sa{sv}", ["ok", {"profiles": GLib.Variant("as", ["cd-r"]),
                                               "medium": GLib.Variant("s", "dvd+r")}], "o")
        self.assertDBusError("org.freedesktop.DBus.Error.InvalidArgs", self.c.manager, "CreateVirtualRecorder",
                             "sa{sv}", ["virtual0", {}], "o")  # exists
        dm = self.c.open("holder")
        self.c.dm(dm, "SetActiveRecorder", "o", [VIRTUAL0])
        self.assertDBusError("DeviceStillInUse", self.c.manager, "RemoveVirtualRecorder", "oa{sv}", [VIRTUAL0, {}])
        self.assertDBusError("DeviceNotPresent", self.c.manager, "RemoveVirtualRecorder", "oa{sv}",
                             [ROOT + "/Recorder/none", {}])

    def test_recorder_properties(self):
        props = self.c.recorder(VIRTUAL0, "GetRecorderProperties", reply="a{sv}")[0]
        self.assertEqual(props["AudioGapSize"], 150)
        self.assertEqual(props["EnableBufferUnderrunFree"], -1)
        self.assertEqual(props["BufferUnderrunFreeCapable"], -1)
        self.assertEqual(props["WriteSpeed"], props["MaxWriteSpeed"])
        # Only the holder may set them.
        self.assertDBusError("NoActiveRecorder", self.c.recorder, VIRTUAL0, "SetRecorderProperties", "a{sv}",
                             [{"AudioGapSize": GLib.Variant("i", 0)}], "as")
        dm = self.c.open("setter")
        self.c.dm(dm, "SetActiveRecorder", "o", [VIRTUAL0])
        ignored = self.c.recorder(VIRTUAL0, "SetRecorderProperties", "a{sv}",
                                  [{"AudioGapSize": GLib.Variant("i", 0), "WriteSpeed": GLib.Variant("i", 4),
                                    "MaxWriteSpeed": GLib.Variant("i", 99), "Bogus": GLib.Variant("s", "x")}],
                                  "as")[0]
        self.assertEqual(sorted(ignored), ["Bogus", "MaxWriteSpeed"])
        props = self.c.recorder(VIRTUAL0, "GetRecorderProperties", reply="a{sv}")[0]
        self.assertEqual(props["AudioGapSize"], 0)
        self.assertEqual(props["WriteSpeed"], 4)
        for bad in ({"AudioGapSize": GLib.Variant("i", 226)}, {"AudioGapSize": GLib.Variant("i", -1)},
                    {"EnableBufferUnderrunFree": GLib.Variant("i", 2)},
                    {"WriteSpeed": GLib.Variant("i", 10000)}, {"AudioGapSize": GLib.Variant("s", "1")}):
            self.assertDBusError("org.freedesktop.DBus.Error.InvalidArgs", self.c.recorder, VIRTUAL0,
                                 "SetRecorderProperties", "a{sv}", [bad], "as")
        other = Client(self.bus.connect())
        self.assertDBusError("DeviceStillInUse", other.recorder, VIRTUAL0, "SetRecorderProperties", "a{sv}",
                             [{"AudioGapSize": GLib.Variant("i", 1)}], "as")
        # Released: back to defaults.
        self.c.dm(dm, "SetActiveRecorder", "o", ["/"])
        props = self.c.recorder(VIRTUAL0, "GetRecorderProperties", reply="a{sv}")[0]
        self.assertEqual(props["AudioGapSize"], 150)

    def test_medium_persists_across_restart(self):
        self.c.recorder(VIRTUAL0, "LoadMedium", "sa{sv}", ["dvd+rw", {}], iface="VirtualRecorder")
        path = self.c.manager("CreateVirtualRecorder", "sa{sv}",
                              ["kept", {"medium": GLib.Variant("s", "bd-r"),
                                        "persistent": GLib.Variant("b", True)}], "o")[0]
        temp = self.c.manager("CreateVirtualRecorder", "sa{sv}", ["temporary", {}], "o")[0]
        self.bus.restart_daemon()
        c = Client(self.bus.connect())
        self.assertEqual(c.get(VIRTUAL0, "Recorder", "MediaProfile"), "dvd+rw")
        self.assertEqual(c.get(path, "Recorder", "MediaProfile"), "bd-r")
        self.assertNotIn(temp, c.get(ROOT, "Manager", "Recorders"))


class NoMediumTest(ImapidTestCase):
    MEDIUM = "none"

    def test_empty_drive(self):
        p = self.c.get_all(VIRTUAL0, "Recorder")
        self.assertFalse(p["MediaPresent"])
        self.assertEqual(p["MediaProfile"], "")
        self.assertEqual(p["MediaFlags"], 0)
        self.assertEqual(p["TotalBlocks"], 0)
        self.assertEqual(p["MediaType"], 0)


if __name__ == "__main__":
    main()
