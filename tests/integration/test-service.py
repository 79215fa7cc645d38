#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The service foundation on a private bus: name, introspection against dbus/*.xml, disc master lifecycle,
recorder arbitration, clean-up when a client dies, the per-user bound, named errors for bad calls."""
import os
import signal
import time
import xml.etree.ElementTree as ET

from imapid_test import (ERROR, IFACE, IS_ROOT, ROOT, SRC, VIRTUAL0, Client, GLib, Gio, ImapidTestCase,
                         SignalRecorder, main, spawn_helper)


def interface_shape(node_info, name):
    """Methods, properties and signals of one interface from a Gio.DBusNodeInfo, comparable."""
    iface = node_info.lookup_interface(name)
    if iface is None:
        return None
    methods = {m.name: ([(a.name, a.signature) for a in m.in_args], [(a.name, a.signature) for a in m.out_args])
               for m in iface.methods}
    props = {p.name: (p.signature, int(p.flags)) for p in iface.properties}
    signals = {s.name: [(a.name, a.signature) for a in s.args] for s in iface.signals}
    return methods, props, signals


def contract(name):
    with open(os.path.join(SRC, "dbus", name + ".xml")) as f:
        return Gio.DBusNodeInfo.new_for_xml(f.read())


class ServiceTest(ImapidTestCase):
    def introspect(self, path):
        xml = self.c.call(path, "org.freedesktop.DBus.Introspectable", "Introspect", reply="s")[0]
        return Gio.DBusNodeInfo.new_for_xml(xml)

    def test_name_is_claimed(self):
        owner = self.c.conn.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                      "GetNameOwner", GLib.Variant("(s)", ("org.freedesktop.IMAPI1",)),
                                      None, 0, -1, None).unpack()[0]
        self.assertTrue(owner.startswith(":"))
        self.assertEqual(self.c.get(ROOT, "Manager", "Version"), open(os.path.join(SRC, "meson.build")).read()
                         .split("version: '")[1].split("'")[0])
        self.assertEqual(self.c.get(ROOT, "Manager", "Formats"), ["joliet", "redbook", "image"])

    def test_introspection_equals_contract(self):
        dm = self.c.open("introspect")
        objects = {ROOT: ["Manager"], VIRTUAL0: ["Recorder", "VirtualRecorder"],
                   dm: ["DiscMaster", "JolietDiscMaster", "RedbookDiscMaster", "ImageDiscMaster"]}
        seen = set()
        for path, names in objects.items():
            live = self.introspect(path)
            for n in names:
                full = IFACE + n
                seen.add(n)
                self.assertEqual(interface_shape(live, full), interface_shape(contract(full), full),
                                 "%s on %s differs from dbus/%s.xml" % (full, path, full))
        self.assertIsNotNone(self.introspect(ROOT).lookup_interface("org.freedesktop.DBus.ObjectManager"))
        xml_files = {f[len("org.freedesktop.IMAPI1."):-4] for f in os.listdir(os.path.join(SRC, "dbus"))
                     if f.endswith(".xml")}
        self.assertEqual(xml_files, seen, "every interface in dbus/ is exported and checked")

    def test_open_and_close(self):
        dm = self.c.open("my burner")
        self.assertTrue(dm.startswith(ROOT + "/DiscMaster/"))
        props = self.c.get_all(dm, "DiscMaster")
        self.assertEqual(props["ClientName"], "my burner")
        self.assertEqual(props["ActiveFormat"], "")
        self.assertEqual(props["ActiveRecorder"], "/")
        self.assertEqual(props["State"], "staging")
        stash = os.path.join(self.bus.stash_dir, dm.rsplit("/", 1)[1])
        self.assertTrue(os.path.isdir(stash))
        self.assertEqual(os.stat(self.bus.stash_dir).st_mode & 0o777, 0o700)
        managed = self.c.call(ROOT, "org.freedesktop.DBus.ObjectManager", "GetManagedObjects",
                              reply="a{oa{sa{sv}}}")[0]
        self.assertIn(dm, managed)
        self.c.dm(dm, "Close")
        self.assertDBusError("org.freedesktop.DBus.Error.UnknownObject", self.c.get, dm, "DiscMaster", "State")
        self.assertFalse(os.path.exists(stash))
        # The client name defaults to the caller's bus name.
        dm2 = self.c.open()
        self.assertEqual(self.c.get(dm2, "DiscMaster", "ClientName"), self.c.conn.get_unique_name())

    def test_arbitration_between_two_clients(self):
        a, b = self.c, Client(self.bus.connect())
        dm_a, dm_b = a.open("Alice's burner"), b.open("Bob's burner")
        a.dm(dm_a, "SetActiveRecorder", "o", [VIRTUAL0])
        self.assertEqual(a.get(VIRTUAL0, "Recorder", "State"), "opened")
        self.assertEqual(a.get(VIRTUAL0, "Recorder", "Owner"), "Alice's burner")
        self.assertEqual(a.get(dm_a, "DiscMaster", "ActiveRecorder"), VIRTUAL0)
        msg = self.assertDBusError("DeviceStillInUse", b.dm, dm_b, "SetActiveRecorder", "o", [VIRTUAL0])
        self.assertIn("Alice's burner", msg)
        self.assertIn("(IMAPI_E_DEVICE_STILL_IN_USE, 0x80040226)", msg)
        self.assertEqual(b.get(dm_b, "DiscMaster", "ActiveRecorder"), "/")
        # Taking it again is a no-op; releasing frees it for Bob.
        a.dm(dm_a, "SetActiveRecorder", "o", [VIRTUAL0])
        a.dm(dm_a, "SetActiveRecorder", "o", ["/"])
        self.assertEqual(a.get(VIRTUAL0, "Recorder", "State"), "idle")
        self.assertEqual(a.get(VIRTUAL0, "Recorder", "Owner"), "")
        b.dm(dm_b, "SetActiveRecorder", "o", [VIRTUAL0])
        self.assertEqual(a.get(VIRTUAL0, "Recorder", "Owner"), "Bob's burner")
        # Closing the holder frees the recorder.
        b.dm(dm_b, "Close")
        self.assertEqual(a.get(VIRTUAL0, "Recorder", "State"), "idle")

    def test_recorder_state_signals(self):
        sig = SignalRecorder(self.c.conn, "org.freedesktop.DBus.Properties", "PropertiesChanged", VIRTUAL0)
        dm = self.c.open("watcher")
        self.c.dm(dm, "SetActiveRecorder", "o", [VIRTUAL0])
        s = sig.wait_for("PropertiesChanged", predicate=lambda s: "Owner" in s[4][1])
        self.assertEqual(s[4][1]["Owner"], "watcher")
        self.assertEqual(s[4][1]["State"], "opened")

    def test_killed_holder_frees_recorder_and_stash(self):
        p, dm = spawn_helper(self.bus, "hold", VIRTUAL0, "doomed client")
        try:
            self.assertEqual(self.c.get(VIRTUAL0, "Recorder", "Owner"), "doomed client")
            stash = os.path.join(self.bus.stash_dir, dm.rsplit("/", 1)[1])
            self.assertTrue(os.path.isdir(stash))
            p.send_signal(signal.SIGKILL)
            killed = time.monotonic()
            p.wait()
            while time.monotonic() - killed < 1.0:
                if self.c.get(VIRTUAL0, "Recorder", "State") == "idle" and not os.path.exists(stash):
                    break
                time.sleep(0.02)
            self.assertLess(time.monotonic() - killed, 1.0, "freed within a second")
            self.assertEqual(self.c.get(VIRTUAL0, "Recorder", "Owner"), "")
            self.assertFalse(os.path.exists(stash))
            self.assertDBusError("org.freedesktop.DBus.Error.UnknownObject", self.c.get, dm, "DiscMaster", "State")
            # And someone else can take it at once.
            mine = self.c.open("next")
            self.c.dm(mine, "SetActiveRecorder", "o", [VIRTUAL0])
        finally:
            if p.poll() is None:
                p.kill()

    def test_named_errors_for_bad_calls(self):
        dm = self.c.open("errors")
        self.assertDBusError("org.freedesktop.DBus.Error.InvalidArgs", self.c.dm, dm, "SetActiveFormat", "s",
                             ["udf-only"])
        self.assertDBusError("DeviceNotPresent", self.c.dm, dm, "SetActiveRecorder", "o",
                             [ROOT + "/Recorder/nope"])
        self.assertDBusError("DeviceNotPresent", self.c.dm, dm, "SetActiveRecorder", "o", [ROOT])
        self.assertDBusError("org.freedesktop.DBus.Error.InvalidArgs", self.c.call, dm, IFACE + "DiscMaster",
                             "SetActiveFormat", "u", [3])
        self.assertDBusError("org.freedesktop.DBus.Error.InvalidArgs", self.c.manager, "Open", "a{sv}",
                             [{"no-such-option": GLib.Variant("b", True)}], "o")
        self.assertDBusError("org.freedesktop.DBus.Error.InvalidArgs", self.c.manager, "Open", "a{sv}",
                             [{"client-name": GLib.Variant("u", 1)}], "o")
        self.assertDBusError("org.freedesktop.DBus.Error.InvalidArgs", self.c.manager, "Open", "a{sv}",
                             [{"client-name": GLib.Variant("s", "bad\x07name")}], "o")
        # Format calls on a disc master whose format is another one.
        self.assertDBusError("WrongFormat", self.c.dm, dm, "SetImage", "ha{sv}", [0, {}], iface="ImageDiscMaster",
                             fds=[os.open("/dev/null", os.O_RDONLY)])
        # Another client's disc master: every method is refused, properties are readable.
        other = Client(self.bus.connect())
        self.assertEqual(other.get(dm, "DiscMaster", "ClientName"), "errors")
        for method, sig, args in (("SetActiveFormat", "s", ["image"]), ("SetActiveRecorder", "o", [VIRTUAL0]),
                                  ("ClearFormatContent", None, None), ("Close", None, None)):
            self.assertDBusError("org.freedesktop.DBus.Error.AccessDenied", other.dm, dm, method, sig, args)
        # A closed disc master is gone.
        self.c.dm(dm, "Close")
        self.assertDBusError("org.freedesktop.DBus.Error.UnknownObject", self.c.dm, dm, "Close")

    def test_wrong_format_while_content_is_staged(self):
        dm = self.c.open("formats")
        self.c.dm(dm, "SetActiveFormat", "s", ["image"])
        self.assertEqual(self.c.get(dm, "DiscMaster", "ActiveFormat"), "image")
        iso = os.path.join(self.bus.dir, "tiny.iso")
        with open(iso, "wb") as f:  # a minimal ISO 9660 volume descriptor set
            f.write(b"\0" * 16 * 2048 + b"\x01CD001\x01" + b"\0" * 2041 + b"\xffCD001\x01" + b"\0" * 2041)
        fd = os.open(iso, os.O_RDONLY)
        self.c.dm(dm, "SetImage", "ha{sv}", [0, {}], iface="ImageDiscMaster", fds=[fd])
        os.close(fd)
        self.assertEqual(self.c.get(dm, "ImageDiscMaster", "ImageBlocks"), 18)
        self.assertDBusError("WrongFormat", self.c.dm, dm, "SetActiveFormat", "s", ["joliet"])
        self.c.dm(dm, "ClearFormatContent")
        self.assertEqual(self.c.get(dm, "ImageDiscMaster", "ImageBlocks"), 0)
        self.c.dm(dm, "SetActiveFormat", "s", ["joliet"])
        self.assertEqual(self.c.get(dm, "DiscMaster", "ActiveFormat"), "joliet")


class BoundTest(ImapidTestCase):
    CONFIG = "[Limits]\nDiscMastersPerUser=3\n"

    def test_disc_masters_per_user(self):
        paths = [self.c.open("dm%d" % i) for i in range(3)]
        msg = self.assertDBusError("LimitsExceeded", self.c.open, "one too many")
        self.assertIn("DiscMastersPerUser", msg)
        # Another connection of the same user counts too.
        self.assertDBusError("LimitsExceeded", Client(self.bus.connect()).open, "other connection")
        self.c.dm(paths[0], "Close")
        self.c.open("fits again")


if __name__ == "__main__":
    main()
