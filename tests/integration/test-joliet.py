#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""JolietDiscMaster staging on the bus: fds the client opened, atomic calls, exact sizes, properties, and a
named error for every kind of bad input with nothing staged before lost."""
import os
import socket
import tempfile

from imapid_test import (IFACE, VIRTUAL0, Client, GLib, ImapidTestCase, SignalRecorder, add_data, main,
                         open_tree)


class JolietTest(ImapidTestCase):
    CONFIG = "[Limits]\nEntriesPerAddData=8\n"

    def setUp(self):
        super().setUp()
        self.src = tempfile.mkdtemp(dir=self.bus.dir)
        self.dm = self.c.open("joliet test")
        self.c.dm(self.dm, "SetActiveFormat", "s", ["joliet"])
        self.c.dm(self.dm, "SetActiveRecorder", "o", [VIRTUAL0])

    def file(self, name, data=b"x"):
        path = os.path.join(self.src, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def add(self, pairs, options=None):
        """pairs: (image path, local path); opened like a client does."""
        entries = []
        for image_path, local in pairs:
            if os.path.islink(local):
                fd = os.open(local, os.O_PATH | os.O_NOFOLLOW)
            elif os.path.isdir(local):
                fd = os.open(local, os.O_RDONLY | os.O_DIRECTORY)
            else:
                fd = os.open(local, os.O_RDONLY)
            entries.append((image_path, fd))
        add_data(self.c, self.dm, entries, options)

    def used(self):
        return self.c.get(self.dm, "JolietDiscMaster", "UsedDataBlocks")

    def props(self):
        return self.c.dm(self.dm, "GetJolietProperties", reply="a{sv}", iface="JolietDiscMaster")[0]

    def test_sizes_follow_every_call(self):
        self.assertEqual(self.c.get(self.dm, "JolietDiscMaster", "DataBlockSize"), 2048)
        self.assertEqual(self.c.get(self.dm, "JolietDiscMaster", "TotalDataBlocks"), 359849)
        empty = self.used()
        self.assertGreater(empty, 16)  # system area, descriptors, path tables, root directories
        sig = SignalRecorder(self.c.conn, IFACE + "DiscMaster", "AddProgress", self.dm)
        self.add([("a.bin", self.file("a.bin", b"a" * 5000))])
        self.assertEqual(self.used(), empty + 3)  # 5000 bytes = 3 blocks; the root still fits its sector
        sig.wait_for("AddProgress", predicate=lambda s: s[4] == (1, 1))
        self.add([("dir", self.src)])  # a directory: its metadata only
        self.assertGreater(self.used(), empty + 3)

    def test_entries_are_opened_by_the_client(self):
        # The daemon never opens a path: a name that exists only in the client's mount namespace works.
        path = self.file("secret.txt", b"only the client can see this path")
        self.add([("visible/secret.txt", path)])
        os.unlink(path)  # the daemon holds the fd, not the path
        self.assertGreater(self.used(), 0)

    def test_bad_paths_are_refused_and_nothing_is_lost(self):
        self.add([("keep.txt", self.file("keep.txt"))])
        before = self.used()
        good = self.file("good")
        for bad in ("", "/abs", "a//b", "a/./b", "a/../b", "..", ".", "bad\x01name", "trailing/", "x" * 256,
                    "/".join(["d"] * 600)):
            with self.subTest(path=bad):
                self.assertDBusError("InvalidPath", self.add,
                                     [("fine.txt", good), (bad, good)])
                self.assertEqual(self.used(), before)
        # A call is atomic: the good entry before the bad one is not kept either.
        self.assertDBusError("FileExists", self.add, [("new.txt", good), ("keep.txt", good)])
        self.assertEqual(self.used(), before)

    def test_duplicates_overwrite_and_type_clashes(self):
        self.add([("d/f.txt", self.file("f1", b"1" * 3000))])
        before = self.used()
        self.assertDBusError("FileExists", self.add, [("d/f.txt", self.file("f2"))])
        self.add([("d/f.txt", self.file("f3", b"3"))], {"overwrite": GLib.Variant("b", True)})
        self.assertEqual(self.used(), before - 1)  # 3000 bytes (2 blocks) became 1 byte (1 block)
        msg = self.assertDBusError("NotFile", self.add, [("d", self.file("f4"))],
                                   {"overwrite": GLib.Variant("b", True)})
        self.assertIn("'d'", msg)
        self.assertDBusError("NotDir", self.add, [("d/f.txt/sub", self.file("f5"))])

    def test_wrong_fd_types(self):
        r, w = os.pipe()
        s1, s2 = socket.socketpair()
        devnull = os.open("/dev/null", os.O_RDONLY)
        wronly = os.open(self.file("wo"), os.O_WRONLY)
        opath = os.open(self.file("op"), os.O_PATH)
        try:
            for name, fd in (("pipe", r), ("socket", s1.fileno()), ("device", devnull), ("write-only", wronly),
                             ("o-path file", opath)):
                with self.subTest(fd=name):
                    self.assertDBusError("org.freedesktop.DBus.Error.InvalidArgs", self.c.dm, self.dm, "AddData",
                                         "a(sh)a{sv}", [[("x", 0)], {}], iface="JolietDiscMaster", fds=[fd])
        finally:
            for fd in (r, w, devnull, wronly, opath):
                os.close(fd)
            s1.close()
            s2.close()
        self.assertEqual(self.c.get(self.dm, "JolietDiscMaster", "UsedDataBlocks"), self.used())

    def test_entry_bound_per_call(self):
        f = self.file("f")
        msg = self.assertDBusError("LimitsExceeded", self.add, [("f%d" % i, f) for i in range(9)], None)
        self.assertIn("EntriesPerAddData", msg)
        self.add([("f%d" % i, f) for i in range(8)])

    def test_disc_full_keeps_previous_state(self):
        self.c.dm(self.dm, "SetJolietProperties", "a{sv}", [{"FreeMediaBlocks": GLib.Variant("u", 100)}], "as",
                  iface="JolietDiscMaster")
        self.assertEqual(self.c.get(self.dm, "JolietDiscMaster", "TotalDataBlocks"), 100)
        self.add([("small", self.file("small", b"s" * 10000))])
        before = self.used()
        msg = self.assertDBusError("DiscFull", self.add,
                                   [("more", self.file("more")), ("big", self.file("big", b"b" * 300000))])
        self.assertIn("(IMAPI_E_DISCFULL, 0x8004021C)", msg)
        self.assertEqual(self.used(), before)

    def test_deep_tree_with_only_iso9660(self):
        ignored = self.c.dm(self.dm, "SetJolietProperties", "a{sv}",
                            [{"FileSystems": GLib.Variant("as", ["iso9660"]), "Whatever": GLib.Variant("b", True)}],
                            "as", iface="JolietDiscMaster")[0]
        self.assertEqual(ignored, ["Whatever"])
        self.assertEqual(self.props()["FileSystems"], ["iso9660"])
        # The root is level 1: directory "7" is at level 8, the deepest ISO 9660 allows.
        self.assertDBusError("Iso9660Levels", self.add, [("1/2/3/4/5/6/7/8/f", self.file("deep"))])
        self.add([("1/2/3/4/5/6/7/f", self.file("eight"))])

    def test_joliet_names(self):
        f = self.file("n")
        self.assertDBusError("BadJolietName", self.add, [("what?.txt", f)])
        self.assertDBusError("BadJolietName", self.add, [("a" * 65, f)])
        self.add([("a" * 64, f)])
        self.add([("what?.txt", f)], {"mangle-names": GLib.Variant("b", True)})

    def test_properties(self):
        p = self.props()
        self.assertEqual(p["FileSystems"], ["iso9660", "joliet", "rockridge"])
        self.assertFalse(p["StageFiles"])
        self.assertFalse(p["PlaceBootImageOnDisc"])
        self.c.dm(self.dm, "SetJolietProperties", "a{sv}", [{"VolumeName": GLib.Variant("s", "MY_DISC")}], "as",
                  iface="JolietDiscMaster")
        self.assertEqual(self.props()["VolumeName"], "MY_DISC")
        self.assertDBusError("org.freedesktop.DBus.Error.InvalidArgs", self.c.dm, self.dm, "SetJolietProperties",
                             "a{sv}", [{"FileSystems": GLib.Variant("as", ["joliet"])}], "as",
                             iface="JolietDiscMaster")
        self.assertDBusError("org.freedesktop.DBus.Error.InvalidArgs", self.c.dm, self.dm, "SetJolietProperties",
                             "a{sv}", [{"BootImageManufacturerIDString": GLib.Variant("s", "x" * 25)}], "as",
                             iface="JolietDiscMaster")
        # A floppy emulation needs an image of exactly that size.
        img = os.open(self.file("boot.img", b"\0" * 4096), os.O_RDONLY)
        self.assertDBusError("BootEmulationImageSizeMismatch", self.c.call, self.dm, IFACE + "JolietDiscMaster",
                             "SetJolietProperties", "a{sv}",
                             [{"PlaceBootImageOnDisc": GLib.Variant("b", True), "BootImage": GLib.Variant("h", 0),
                               "BootImageEmulationType": GLib.Variant("y", 2)}], "as", fds=[img])
        self.assertFalse(self.props()["PlaceBootImageOnDisc"])  # nothing of the failed call stuck
        before = self.used()
        self.c.call(self.dm, IFACE + "JolietDiscMaster", "SetJolietProperties", "a{sv}",
                    [{"PlaceBootImageOnDisc": GLib.Variant("b", True), "BootImage": GLib.Variant("h", 0),
                      "BootImageEmulationType": GLib.Variant("y", 0)}], "as", fds=[img])
        os.close(img)
        self.assertTrue(self.props()["PlaceBootImageOnDisc"])
        self.assertGreater(self.used(), before)  # boot catalog and image

    def test_stage_files_copies_into_the_stash(self):
        self.c.dm(self.dm, "SetJolietProperties", "a{sv}", [{"StageFiles": GLib.Variant("b", True)}], "as",
                  iface="JolietDiscMaster")
        path = self.file("copied", b"c" * 100000)
        self.add([("copied", path)])
        stash = os.path.join(self.bus.stash_dir, self.dm.rsplit("/", 1)[1])
        self.assertEqual(sum(os.path.getsize(os.path.join(stash, f)) for f in os.listdir(stash)), 100000)
        self.c.dm(self.dm, "ClearFormatContent")
        self.assertEqual(self.c.get(self.dm, "JolietDiscMaster", "UsedDataBlocks"), self.used())

    def test_needs_a_recorder_or_a_cap(self):
        dm = self.c.open("no recorder")
        self.c.dm(dm, "SetActiveFormat", "s", ["joliet"])
        fd = os.open(self.file("f"), os.O_RDONLY)
        self.assertDBusError("NoActiveRecorder", self.c.dm, dm, "AddData", "a(sh)a{sv}", [[("f", 0)], {}],
                             iface="JolietDiscMaster", fds=[fd])
        os.close(fd)

    def test_symlinks_and_empty_directories(self):
        os.makedirs(os.path.join(self.src, "tree", "empty"))
        self.file("tree/target.txt", b"t")
        os.symlink("target.txt", os.path.join(self.src, "tree", "link"))
        before = self.used()
        add_data(self.c, self.dm, open_tree(os.path.join(self.src, "tree"), "tree"))
        self.assertGreater(self.used(), before)


if __name__ == "__main__":
    main()
