#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""libimapi from Python through GObject introspection (Imapi-1.typelib), against the real imapid on a private
bus: the client, recorder lookups, disc masters, staging a tree (sync and async with a Python progress
callback), and errors arriving as Imapi.Error codes. TAP output (the integration harness)."""
import os
import subprocess
import sys

# With -Db_sanitize=address the library needs the ASan runtime loaded first: run again with it preloaded (and
# without leak checking: Python keeps much alive at exit), then keep both settings away from the children.
PRELOAD = os.environ.get("IMAPI_TEST_PRELOAD")
if PRELOAD and os.environ.get("LD_PRELOAD") != PRELOAD:
    env = dict(os.environ, LD_PRELOAD=PRELOAD, ASAN_OPTIONS="detect_leaks=0",
               IMAPI_TEST_ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", ""))
    os.execve(sys.executable, [sys.executable] + sys.argv, env)
if PRELOAD:
    os.environ.pop("LD_PRELOAD", None)
    os.environ["ASAN_OPTIONS"] = os.environ.pop("IMAPI_TEST_ASAN_OPTIONS", "")

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))

from imapid_test import VIRTUAL0, Gio, GLib, ImapidTestCase, main, spawn_helper  # noqa: E402

import gi  # noqa: E402

gi.require_version("Imapi", "1")
from gi.repository import Imapi  # noqa: E402


class GiTest(ImapidTestCase):
    def setUp(self):
        super().setUp()
        self.client = Imapi.Client.new_for_connection_sync(self.bus.connect(), None)

    def tree(self):
        top = os.path.join(self.bus.dir, "tree")
        os.makedirs(os.path.join(top, "sub", "empty"))
        for i in range(40):
            with open(os.path.join(top, "sub" if i % 2 else "", "f%02d.txt" % i), "w") as f:
                f.write("x" * (i * 1000))
        os.symlink("f00.txt", os.path.join(top, "link"))
        return top

    def joliet(self):
        dm = self.client.open_disc_master_sync("gi-test", None)
        self.assertTrue(dm.setup_sync("joliet", VIRTUAL0, None))
        return dm

    def used_blocks(self, dm):
        return self.c.get(dm.get_object_path(), "JolietDiscMaster", "UsedDataBlocks")

    def test_error_domain(self):
        self.assertEqual(Imapi.error_get_dbus_name(Imapi.Error.DISC_FULL), "org.freedesktop.IMAPI1.Error.DiscFull")
        self.assertEqual(Imapi.error_get_symbol(Imapi.Error.DEVICE_STILL_IN_USE), "IMAPI_E_DEVICE_STILL_IN_USE")
        self.assertEqual(Imapi.error_get_hresult(Imapi.Error.DISC_FULL), 0x8004021C)
        self.assertEqual(int(Imapi.Error.NOT_OPENED), 0)

    def test_recorders(self):
        recorders = self.client.get_recorders()
        self.assertEqual([o.get_recorder().props.id for o in recorders], ["virtual_virtual0"])
        for spec in ("virtual0", "virtual_virtual0", VIRTUAL0):
            self.assertEqual(self.client.lookup_recorder(spec).get_object_path(), VIRTUAL0)
        self.assertIsNone(self.client.lookup_recorder("nope"))
        r = self.client.lookup_recorder("virtual0").get_recorder()
        self.assertEqual(r.props.media_profile, "cd-r")
        self.assertEqual(r.props.free_blocks, r.props.total_blocks)

    def test_add_tree_sync_with_progress(self):
        dm = self.joliet()
        seen = []
        # PyGObject passes the progress data (None here) as the callback's last argument.
        self.assertTrue(dm.add_tree_sync(self.tree(), None, Imapi.AddFlags.NONE,
                                         lambda kind, done, total, data: seen.append((kind, done)), None, None))
        self.assertEqual({k for k, _ in seen}, {Imapi.ProgressKind.ADDING})
        # tree, tree/sub, tree/sub/empty, tree/link and 40 files
        self.assertEqual(seen[-1][1], 44)
        self.assertEqual([d for _, d in seen], sorted(d for _, d in seen))
        self.assertGreater(self.used_blocks(dm), 20)

    def test_add_tree_async(self):
        dm = self.joliet()
        loop = GLib.MainLoop()
        seen, results = [], []

        def done(source, result):
            results.append(source.add_tree_finish(result))
            loop.quit()

        dm.add_tree(self.tree(), "", Imapi.AddFlags.NONE, progress=lambda kind, d, t, *data: seen.append(d),
                    cancellable=None, callback=done)
        GLib.timeout_add_seconds(30, loop.quit)
        loop.run()
        self.assertEqual(results, [True])
        self.assertEqual(max(seen), 43)  # the contents at the root: no "tree" entry

    def test_errors_are_imapi_codes(self):
        dm = self.client.open_disc_master_sync("gi-test", None)
        with self.assertRaises(GLib.Error) as cm:
            dm.setup_sync("bogus", None, None)
        self.assertTrue(cm.exception.matches(Imapi.error_quark(), Imapi.Error.INVALID_ARGS), cm.exception)
        dm.setup_sync("joliet", VIRTUAL0, None)
        top = self.tree()
        dm.add_tree_sync(top, None, Imapi.AddFlags.NONE, None, None)
        with self.assertRaises(GLib.Error) as cm:
            dm.add_tree_sync(top, None, Imapi.AddFlags.NONE, None, None)
        self.assertTrue(cm.exception.matches(Imapi.error_quark(), Imapi.Error.FILE_EXISTS), cm.exception)
        self.assertFalse(cm.exception.message.startswith("GDBus.Error"))
        self.assertTrue(dm.add_tree_sync(top, None, Imapi.AddFlags.OVERWRITE, None, None))

    def test_device_still_in_use(self):
        p, _ = spawn_helper(self.bus, "hold", VIRTUAL0, "holder-app")
        try:
            dm = self.client.open_disc_master_sync("gi-test", None)
            with self.assertRaises(GLib.Error) as cm:
                dm.setup_sync("joliet", VIRTUAL0, None)
            self.assertTrue(cm.exception.matches(Imapi.error_quark(), Imapi.Error.DEVICE_STILL_IN_USE))
            self.assertIn("holder-app", cm.exception.message)
            self.assertEqual(Imapi.error_dup_dbus_name(cm.exception), "org.freedesktop.IMAPI1.Error.DeviceStillInUse")
        finally:
            p.kill()
            p.wait()

    def test_pnp_signals(self):
        added, pnp = [], []
        self.client.connect("recorder-added", lambda c, o: added.append(o.get_recorder().props.id))
        self.client.connect("pnp-activity", lambda c: pnp.append(1))
        self.c.manager("CreateVirtualRecorder", "sa{sv}", ["gi", {}], "o")
        ctx = GLib.MainContext.default()
        for _ in range(500):
            if added and pnp:
                break
            ctx.iteration(True) if ctx.pending() else GLib.usleep(10000)
        self.assertEqual(added, ["virtual_gi"])
        self.assertTrue(pnp)

    def run_async(self, start, finish):
        """Runs an async libimapi call in a main loop; returns finish(result) or raises its error."""
        loop, out = GLib.MainLoop(), []

        def done(source, result):
            try:
                out.append(finish(source, result))
            except GLib.Error as e:
                out.append(e)
            loop.quit()

        start(done)
        GLib.timeout_add_seconds(120, loop.quit)
        loop.run()
        self.assertTrue(out, "no result within 120 s")
        if isinstance(out[0], GLib.Error):
            raise out[0]
        return out[0]

    def disc_image(self, dm):
        """Closes the disc master (OpenImage wants the recorder free) and returns what the disc holds."""
        dm.call_close_sync(Gio.DBusCallFlags.NONE, -1, None)
        r = self.c.call_fds(VIRTUAL0, "org.freedesktop.IMAPI1.VirtualRecorder", "OpenImage", "a{sv}", [{}], "hs")
        (handle, cue), fds = r
        with os.fdopen(fds[handle], "rb") as f:
            return f.read(), cue

    def test_burn_tree_sync(self):
        dm = self.joliet()
        top = self.tree()
        dm.add_tree_sync(top, None, Imapi.AddFlags.NONE, None, None, None)
        kinds = []
        self.assertTrue(dm.record_sync(Imapi.RecordFlags.NONE, 0, lambda k, d, t, *x: kinds.append(k), None, None))
        self.assertEqual(kinds[0], Imapi.ProgressKind.PREPARING)
        self.assertIn(Imapi.ProgressKind.WRITING, kinds)
        self.assertIn(Imapi.ProgressKind.CLOSING, kinds)
        data, _ = self.disc_image(dm)
        img = os.path.join(self.bus.dir, "disc.iso")
        with open(img, "wb") as f:
            f.write(data)
        r = subprocess.run(["xorriso", "-indev", img, "-compare_r", top, "/tree"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_image_sync_and_record_async(self):
        iso = os.path.join(self.bus.dir, "made.iso")
        subprocess.run(["xorriso", "-as", "mkisofs", "-o", iso, self.tree()], check=True, capture_output=True)
        dm = self.client.open_disc_master_sync("gi-test", None)
        dm.setup_sync("image", VIRTUAL0, None)
        self.assertTrue(dm.set_image_file_sync(iso, False, None))
        self.assertTrue(self.run_async(
            lambda done: dm.record(Imapi.RecordFlags.CLOSE_DISC, 0, progress=None, cancellable=None, callback=done),
            lambda source, result: source.record_finish(result)))
        with open(iso, "rb") as f:
            want = f.read()
        self.assertEqual(self.disc_image(dm)[0][:len(want)], want)
        flags = self.c.get(VIRTUAL0, "Recorder", "MediaFlags")
        self.assertEqual(flags & (1 | 4), 0)  # closed: neither blank nor writable

    def test_audio_async(self):
        tracks = []
        for i, seconds in enumerate((4, 5)):
            path = os.path.join(self.bus.dir, "t%d.flac" % i)
            subprocess.run(["sox", "-n", "-r", "44100", "-c", "2", "-b", "16", path, "synth", str(seconds), "sine",
                            "440"], check=True)
            tracks.append(path)
        self.assertTrue(Imapi.check_audio_file(tracks[0]))
        dm = self.client.open_disc_master_sync("gi-test", None)
        dm.setup_sync("redbook", VIRTUAL0, None)
        for path in tracks:
            self.assertTrue(self.run_async(
                lambda done: dm.add_audio_file(path, None, None, Imapi.AudioFlags.NONE, progress=None,
                                               cancellable=None, callback=done),
                lambda source, result: source.add_audio_file_finish(result)))
        self.assertEqual(self.c.get(dm.get_object_path(), "RedbookDiscMaster", "TotalAudioTracks"), 2)
        self.assertTrue(dm.record_sync(Imapi.RecordFlags.NONE, 0, None, None, None))
        data, cue = self.disc_image(dm)
        self.assertIn("TRACK 02 AUDIO", cue)

    def test_cancel_async(self):
        name = "slow"
        path = self.c.manager("CreateVirtualRecorder", "sa{sv}", [name, {"speed": GLib.Variant("u", 16)}], "o")[0]
        top = os.path.join(self.bus.dir, "big")
        os.makedirs(top)
        with open(os.path.join(top, "data.bin"), "wb") as f:
            f.write(os.urandom(24 * 1024 * 1024))
        dm = self.client.open_disc_master_sync("gi-test", None)
        dm.setup_sync("joliet", path, None)
        dm.add_tree_sync(top, None, Imapi.AddFlags.NONE, None, None, None)
        cancellable = Gio.Cancellable()

        def progress(kind, done, total, *data):
            if kind == Imapi.ProgressKind.WRITING and done > 0:
                cancellable.cancel()

        with self.assertRaises(GLib.Error) as cm:
            self.run_async(lambda done: dm.record(Imapi.RecordFlags.NONE, 0, progress=progress,
                                                  cancellable=cancellable, callback=done),
                           lambda source, result: source.record_finish(result))
        self.assertTrue(cm.exception.matches(Imapi.error_quark(), Imapi.Error.USER_ABORT), cm.exception)
        self.assertEqual(self.c.get(path, "Recorder", "State"), "opened")  # still held, usable


if __name__ == "__main__":
    main()
