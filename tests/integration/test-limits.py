#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Every bound of imapid.conf's [Limits] crossed through the real daemon (DESIGN.md §5): each call over a
bound fails with LimitsExceeded (or the IMAPI error that fits: InvalidPath naming the limit for paths and
names) and nothing staged before is lost, checked on the burned disc or in the counters. (DiscMastersPerUser,
EntriesPerAddData, AudioTracks and AudioKiBPerCall are crossed in test-service.py, test-joliet.py and
test-redbook.py.)

Run as 'test-limits.py pending-client' it is the helper of PendingAuthorizationsTest: a client that parks
calls at polkit (run as another user)."""
import json
import os
import select
import subprocess
import sys
import time
import unittest

from imapid_test import (IFACE, IS_ROOT, ROOT, VIRTUAL0, Burn, Client, Gio, GLib, ImapidTestCase, add_data,
                         bytes_variant, ensure_user, main, make_tree, open_image, open_tree, run_script)

USER = "imapid-test"
OTHER = "imapid-other"
KIB = 1024
BLOCK = 2352
MGR, DM, JOLIET = IFACE + "Manager", IFACE + "DiscMaster", IFACE + "JolietDiscMaster"
ACQUIRE = "org.freedesktop.imapi1.acquire-recorder"


def disc_paths(image):
    """Every path on the burned image, from isoinfo's Rock Ridge listing (a tool we did not write)."""
    out = subprocess.run(["isoinfo", "-R", "-f", "-i", image], capture_output=True, text=True, check=True).stdout
    return sorted(p.lstrip("/") for p in out.split("\n") if p)


class LimitsTestCase(ImapidTestCase):
    def joliet(self, name="limits", stage_files=False, client=None, recorder=True):
        c = client or self.c
        dm = c.open(name)
        c.dm(dm, "SetActiveFormat", "s", ["joliet"])
        if recorder:
            c.dm(dm, "SetActiveRecorder", "o", [VIRTUAL0])
        props = {"StageFiles": GLib.Variant("b", stage_files)}
        if not recorder:
            props["FreeMediaBlocks"] = GLib.Variant("u", 100000)
        c.dm(dm, "SetJolietProperties", "a{sv}", [props], "as", iface="JolietDiscMaster")
        return dm

    def add(self, dm, names, client=None, options=None):
        """AddData of files named 'names' (content: the name) from a tree made for this call."""
        src = os.path.join(self.bus.dir, "src-%f" % time.monotonic())
        make_tree(src, files=[(n, n.encode()) for n in names])
        entries = [(n, os.open(os.path.join(src, n), os.O_RDONLY)) for n in names]
        add_data(client or self.c, dm, entries, options)

    def used(self, dm):
        return self.c.get(dm, "JolietDiscMaster", "UsedDataBlocks")

    def burned_paths(self, dm):
        b = Burn(self.c, dm).start()
        self.assertEqual(b.wait(), ("", ""))
        img = os.path.join(self.bus.dir, "disc.iso")
        open_image(self.c, VIRTUAL0, img)
        return disc_paths(img)


class EntriesPerImageTest(LimitsTestCase):
    CONFIG = "[Limits]\nEntriesPerImage=6\n"

    def test_entries_per_image(self):
        dm = self.joliet()
        self.add(dm, ["d/a", "d/b", "d/c", "d/d"])  # 5 entries: d and its 4 files
        used = self.used(dm)
        msg = self.assertDBusError("LimitsExceeded", self.add, dm, ["e", "f"])
        self.assertIn("entries already", msg)
        self.assertEqual(self.used(dm), used)
        # The failed call kept nothing: exactly one more entry fits, then the image is full.
        self.add(dm, ["e"])
        self.assertDBusError("LimitsExceeded", self.add, dm, ["f"])
        # Implicit parent directories count too.
        self.assertDBusError("LimitsExceeded", self.add, dm, ["newdir/x"])
        # Replacing an entry adds none: allowed at the bound.
        self.add(dm, ["d/a"], options={"overwrite": GLib.Variant("b", True)})
        self.assertEqual(self.burned_paths(dm), ["d", "d/a", "d/b", "d/c", "d/d", "e"])


class PathAndNameLengthTest(LimitsTestCase):
    CONFIG = "[Limits]\nPathLength=64\nNameLength=16\n"

    def test_name_length(self):
        dm = self.joliet()
        self.add(dm, ["n" * 16, "é" * 8])  # 16 bytes each: at the bound
        used = self.used(dm)
        msg = self.assertDBusError("InvalidPath", self.add, dm, ["ok1", "n" * 17])
        self.assertIn("longer than 16 bytes", msg)
        msg = self.assertDBusError("InvalidPath", self.add, dm, ["é" * 9])  # 9 characters, 18 bytes
        self.assertIn("longer than 16 bytes", msg)
        msg = self.assertDBusError("InvalidPath", self.add, dm, ["dir/" + "x" * 17 + "/f"])
        self.assertIn("longer than 16 bytes", msg)
        self.assertEqual(self.used(dm), used)
        self.assertEqual(self.burned_paths(dm), sorted(["n" * 16, "é" * 8]))

    def test_path_length(self):
        dm = self.joliet()
        at_bound = "/".join(["p" * 15] * 4)  # 4 * 15 + 3 = 63 bytes
        at_bound += "q"
        self.assertEqual(len(at_bound), 64)
        self.add(dm, [at_bound])
        used = self.used(dm)
        over = "/".join(["p" * 15] * 4) + "qr"
        msg = self.assertDBusError("InvalidPath", self.add, dm, ["fine", over])
        self.assertIn("longer than 64 bytes", msg)
        self.assertEqual(self.used(dm), used)
        # A symlink target is a path too: over PathLength is LimitsExceeded.
        src = os.path.join(self.bus.dir, "links")
        os.makedirs(src)
        os.symlink("t" * 65, os.path.join(src, "long"))
        os.symlink("t" * 64, os.path.join(src, "short"))
        fd = os.open(os.path.join(src, "long"), os.O_PATH | os.O_NOFOLLOW)
        msg = self.assertDBusError("LimitsExceeded", add_data, self.c, dm, [("long", fd)])
        self.assertIn("longer than 64 bytes", msg)
        add_data(self.c, dm, [("short", os.open(os.path.join(src, "short"), os.O_PATH | os.O_NOFOLLOW))])
        parts = at_bound.split("/")
        expected = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)] + ["short"]
        self.assertEqual(self.burned_paths(dm), sorted(expected))


class StashQuotaTest(LimitsTestCase):
    CONFIG = "[Limits]\nStashMiBPerUser=1\n"

    def file(self, name, size):
        path = os.path.join(self.bus.dir, name)
        with open(path, "wb") as f:
            f.write(os.urandom(size))
        os.chmod(path, 0o644)
        return path

    def stage_file(self, dm, path, client=None):
        add_data(client or self.c, dm, [(os.path.basename(path), os.open(path, os.O_RDONLY))])

    def audio(self):
        dm = self.c.open("audio")
        self.c.dm(dm, "SetActiveFormat", "s", ["redbook"])
        self.c.dm(dm, "SetActiveRecorder", "o", [VIRTUAL0])
        self.c.dm(dm, "CreateAudioTrack", "u", [0], iface="RedbookDiscMaster")
        return dm

    def add_pcm(self, dm, blocks):
        self.c.dm(dm, "AddAudioTrackBlocks", args=GLib.Variant.new_tuple(bytes_variant(b"\1\2" * (blocks * BLOCK // 2))),
                  iface="RedbookDiscMaster")

    def stash_bytes(self, dm):
        d = os.path.join(self.bus.stash_dir, dm.rsplit("/", 1)[1])
        return sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))

    def test_staged_copies_and_audio_share_the_quota(self):
        files = self.joliet("copies", stage_files=True, recorder=False)
        self.stage_file(files, self.file("a.bin", 700 * KIB))
        used = self.used(files)
        self.assertEqual(self.stash_bytes(files), 700 * KIB)

        # A second disc master of the same user: PCM in its stash counts against the same MiB.
        audio = self.audio()
        msg = self.assertDBusError("LimitsExceeded", self.add_pcm, audio, 175)  # 411,600 bytes: over
        self.assertIn("StashMiBPerUser", msg)
        self.add_pcm(audio, 100)  # 235,200 bytes: fits
        self.assertEqual(self.c.get(audio, "RedbookDiscMaster", "UsedAudioBlocks"), 100)

        # And the first one is now refused what it could have had alone.
        msg = self.assertDBusError("LimitsExceeded", self.stage_file, files, self.file("b.bin", 200 * KIB))
        self.assertIn("StashMiBPerUser", msg)
        self.assertEqual(self.used(files), used)
        self.assertEqual(self.stash_bytes(files), 700 * KIB)  # the failed copy left nothing behind
        self.assertEqual(self.stash_bytes(audio), 100 * BLOCK)

        # Closing the audio disc master gives its bytes back.
        self.c.dm(audio, "Close")
        self.stage_file(files, self.file("b.bin", 200 * KIB))
        self.assertEqual(self.stash_bytes(files), 900 * KIB)
        # Without StageFiles nothing is copied: no quota involved.
        plain = self.joliet("in place", stage_files=False, recorder=False)
        self.stage_file(plain, self.file("c.bin", 900 * KIB))

    @unittest.skipUnless(IS_ROOT, "needs root: a second real user")
    def test_quota_is_per_user(self):
        ensure_user(USER)
        files = self.joliet("root's", stage_files=True, recorder=False)
        self.stage_file(files, self.file("a.bin", 1000 * KIB))
        big = self.file("u.bin", 1000 * KIB)
        out = run_script(self.bus, [
            [ROOT, MGR, "Open", "a{sv}", [{}]],
            ["$dm", DM, "SetActiveFormat", "s", ["joliet"]],
            ["$dm", JOLIET, "SetJolietProperties", "a{sv}",
             [{"StageFiles": ["b", True], "FreeMediaBlocks": ["u", 100000]}]],
            ["$dm", JOLIET, "AddData", "a(sh)a{sv}", [[["u.bin", "$fd:" + big]], {}]],
            ["$dm", JOLIET, "AddData", "a(sh)a{sv}", [[["v.bin", "$fd:" + big]], {}]],
        ], user=USER)
        self.assertEqual([s for s, _ in out[:4]], ["ok"] * 4, out)
        self.assertEqual(out[4][0], "org.freedesktop.IMAPI1.Error.LimitsExceeded", out)


class VirtualRecordersTest(LimitsTestCase):
    CONFIG = "[Limits]\nVirtualRecorders=2\n"

    def test_virtual_recorders(self):
        extra = self.c.manager("CreateVirtualRecorder", "sa{sv}", ["extra", {}], "o")[0]
        msg = self.assertDBusError("LimitsExceeded", self.c.manager, "CreateVirtualRecorder", "sa{sv}",
                                   ["third", {}], "o")
        self.assertIn("VirtualRecorders", msg)
        self.assertEqual(self.c.get(ROOT, "Manager", "Recorders"), sorted([VIRTUAL0, extra]))
        self.assertFalse(os.path.exists(os.path.join(self.bus.state_dir, "virtual", "third")))
        # The existing recorders still work, and removing one makes room again.
        dm = self.joliet()
        self.add(dm, ["kept"])
        self.assertEqual(self.burned_paths(dm), ["kept"])
        self.c.manager("RemoveVirtualRecorder", "oa{sv}", [extra, {}])
        self.c.manager("CreateVirtualRecorder", "sa{sv}", ["third", {}], "o")


PENDING = 3


@unittest.skipUnless(IS_ROOT, "needs root: real users and the polkitd user")
class PendingAuthorizationsTest(LimitsTestCase):
    """polkitd hangs (python-dbusmock's polkitd template): one client parks PENDING calls, the next one of
    that client is refused at once; other clients are still parked or served."""
    POLKIT = False
    CONFIG = "[Daemon]\nPolkitTimeoutSec=120\n[Limits]\nPendingAuthorizationsPerClient=%d\n" % PENDING

    def setUp(self):
        ensure_user(USER)
        ensure_user(OTHER)
        super().setUp()
        self.mock = subprocess.Popen(["setpriv", "--reuid=polkitd", "--regid=polkitd", "--clear-groups", "--",
                                      "/usr/bin/python3", "-m", "dbusmock", "--system", "--template", "polkitd"],
                                     env=self.bus.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                self.mock_call("SimulateHang", "(b)", (True,))
                break
            except GLib.Error:
                if time.monotonic() > deadline:
                    self.fail("dbusmock polkitd did not start")
                time.sleep(0.1)
        self.helpers = []

    def tearDown(self):
        for p in self.helpers:
            p.kill()
            p.wait()
        self.mock.kill()
        self.mock.wait()
        super().tearDown()

    def mock_call(self, method, sig=None, args=None):
        r = self.c.conn.call_sync("org.freedesktop.PolicyKit1", "/org/freedesktop/PolicyKit1/Authority",
                                  "org.freedesktop.DBus.Mock", method, GLib.Variant(sig, args) if sig else None,
                                  None, 0, 5000, None)
        return r.unpack() if r is not None else None

    def wait_hanging(self):
        deadline = time.monotonic() + 20
        while not self.mock_call("HaveHangingCalls")[0]:
            self.assertLess(time.monotonic(), deadline, "polkit never got a call")
            time.sleep(0.05)

    def release_until_answered(self, expected):
        """Releases the calls polkit holds, again and again (a call may reach the mock after a release),
        until every helper printed its expected number of answers; returns them per helper."""
        answers = {p: [] for p in expected}
        deadline = time.monotonic() + 30
        while any(len(answers[p]) < n for p, n in expected.items()):
            self.assertLess(time.monotonic(), deadline, "parked calls were never answered: %s" % answers)
            self.mock_call("ReleaseHangingCalls")
            ready, _, _ = select.select([p.stdout for p in expected], [], [], 0.2)
            for p in expected:
                if p.stdout in ready:
                    answers[p] += self.read_available(p)
        return answers

    def helper(self, user, n):
        cmd = ["setpriv", "--reuid", user, "--regid", user, "--init-groups", "--", "/usr/bin/python3",
               os.path.abspath(__file__), "pending-client", str(n)]
        p = subprocess.Popen(cmd, env=self.bus.env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
        self.helpers.append(p)
        return p

    def read(self, p):
        """The helper's next line (unbuffered: select() must see what is not read yet)."""
        data = b""
        while not data.endswith(b"\n"):
            b = os.read(p.stdout.fileno(), 1)
            self.assertTrue(b, "helper died")
            data += b
        return json.loads(data)

    def read_available(self, p):
        data = os.read(p.stdout.fileno(), 65536)
        self.assertTrue(data, "helper died")
        while not data.endswith(b"\n"):
            data += os.read(p.stdout.fileno(), 65536)
        return [json.loads(line) for line in data.splitlines()]

    def test_pending_authorizations_per_client(self):
        first = self.helper(USER, PENDING + 1)
        # The first PENDING calls are parked at polkit; the one after them is refused at once.
        over = self.read(first)
        self.assertEqual(over["error"], "org.freedesktop.IMAPI1.Error.LimitsExceeded", over)
        self.assertLess(over["took"], 10)
        self.wait_hanging()

        # Another client (same user, other connection; and another user) is not counted with the first.
        second = self.helper(USER, 1)
        third = self.helper(OTHER, 1)
        # Root and plain calls are served meanwhile.
        other = Client(self.bus.connect())
        t = time.monotonic()
        dm = other.open("not blocked")
        other.dm(dm, "SetActiveRecorder", "o", [VIRTUAL0])
        other.dm(dm, "Close")
        self.assertLess(time.monotonic() - t, 5)

        # polkitd answers (not authorized): every parked call gets its named error, none is lost, and the
        # other clients' calls were parked, not refused.
        answers = self.release_until_answered({first: PENDING, second: 1, third: 1})
        for p in (first, second, third):
            for r in answers[p]:
                self.assertEqual(r["error"], "org.freedesktop.IMAPI1.Error.NotAuthorized", answers)

        # The parked calls no longer count: the first client may ask again, and now is allowed.
        self.mock_call("SimulateHang", "(b)", (False,))
        self.mock_call("SetAllowed", "(as)", ([ACQUIRE],))
        first.stdin.write(b"again\n")
        r = self.read(first)
        self.assertEqual(r["error"], "", r)


def pending_client(n):
    """Opens n disc masters, sends SetActiveRecorder on all of them without waiting: the last is expected
    to be refused at once (printed first), the others when polkit answers. Then on 'again' one more call."""
    conn = Gio.bus_get_sync(Gio.BusType.SYSTEM, None)
    ctx = GLib.MainContext.default()
    dms = []
    for i in range(n):
        r = conn.call_sync("org.freedesktop.IMAPI1", ROOT, MGR, "Open", GLib.Variant("(a{sv})", ({},)),
                           None, 0, 30000, None)
        dms.append(r.unpack()[0])
    results = []

    def done(c, res, data):
        i, started = data
        try:
            c.call_finish(res)
            err = ""
        except GLib.Error as e:
            err = Gio.DBusError.get_remote_error(e) or "local: " + e.message
        results.append({"call": i, "error": err, "took": time.monotonic() - started})
        print(json.dumps(results[-1]), flush=True)

    for i, dm in enumerate(dms):
        conn.call("org.freedesktop.IMAPI1", dm, DM, "SetActiveRecorder", GLib.Variant("(o)", (VIRTUAL0,)), None,
                  0, 300000, None, done, (i, time.monotonic()))
    while len(results) < n:
        ctx.iteration(True)
    if sys.stdin.readline().strip() == "again":
        try:
            conn.call_sync("org.freedesktop.IMAPI1", dms[0], DM, "SetActiveRecorder",
                           GLib.Variant("(o)", (VIRTUAL0,)), None, 0, 60000, None)
            print(json.dumps({"error": ""}), flush=True)
        except GLib.Error as e:
            print(json.dumps({"error": Gio.DBusError.get_remote_error(e) or e.message}), flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "pending-client":
        pending_client(int(sys.argv[2]))
    else:
        main()
