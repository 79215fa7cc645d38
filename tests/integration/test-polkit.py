#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Authorization with the real polkitd (as root, via tools/dev-bus): real users run with setpriv are refused
every change they are not allowed, may read and open; the cdrom example rules; other users' disc masters;
polkitd absent; polkitd hung (python-dbusmock's polkitd template as the fault injector)."""
import os
import shutil
import subprocess
import time
import unittest

from imapid_test import (IFACE, IS_ROOT, ROOT, SRC, VIRTUAL0, Client, GLib, ImapidTestCase, ensure_user, main,
                         run_script)

USER = "imapid-test"
CD_USER = "imapid-cd"
OTHER = "imapid-other"
PROPS = "org.freedesktop.DBus.Properties"
MGR, DM, REC, VREC = IFACE + "Manager", IFACE + "DiscMaster", IFACE + "Recorder", IFACE + "VirtualRecorder"


def tiny_iso(path):
    with open(path, "wb") as f:
        f.write(b"\0" * 16 * 2048 + b"\x01CD001\x01" + b"\0" * 2041 + b"\xffCD001\x01" + b"\0" * 2041)
    os.chmod(path, 0o644)


@unittest.skipUnless(IS_ROOT, "needs root: real users and polkitd")
class PolkitTest(ImapidTestCase):
    def setUp(self):
        ensure_user(USER)
        ensure_user(OTHER)
        ensure_user(CD_USER, groups=("cdrom",))
        super().setUp()

    def test_unprivileged_user_reads_and_opens_but_changes_nothing(self):
        out = run_script(self.bus, [
            [ROOT, PROPS, "Get", "ss", [MGR, "Recorders"]],
            [VIRTUAL0, PROPS, "GetAll", "s", [REC]],
            [ROOT, MGR, "Open", "a{sv}", [{"client-name": ["s", "user"]}]],
            ["$dm", DM, "SetActiveFormat", "s", ["joliet"]],
            ["$dm", DM, "SetActiveRecorder", "o", [VIRTUAL0]],
            [VIRTUAL0, REC, "Eject", "a{sv}", [{}]],
            [VIRTUAL0, REC, "CloseTray", "a{sv}", [{}]],
            [VIRTUAL0, VREC, "LoadMedium", "sa{sv}", ["dvd+r", {}]],
            [ROOT, MGR, "CreateVirtualRecorder", "sa{sv}", ["mine", {}]],
        ], user=USER)
        self.assertEqual([s for s, _ in out[:4]], ["ok"] * 4, out)
        for status, text in out[4:]:
            self.assertEqual(status, "org.freedesktop.IMAPI1.Error.NotAuthorizedCanObtain", text)
            self.assertIn("org.freedesktop.imapi1.", text)
        # Nothing changed.
        self.assertEqual(self.c.get(VIRTUAL0, "Recorder", "Owner"), "")
        self.assertTrue(self.c.get(VIRTUAL0, "Recorder", "MediaPresent"))
        self.assertEqual(self.c.get(VIRTUAL0, "Recorder", "MediaProfile"), "cd-r")
        self.assertEqual(self.c.get(ROOT, "Manager", "Recorders"), [VIRTUAL0])

    def test_record_and_erase_are_authorized_on_their_own(self):
        self.bus.add_polkit_rule("10-test.rules", """
polkit.addRule(function(action, subject) {
    if (action.id == "org.freedesktop.imapi1.acquire-recorder" && subject.user == "%s")
        return polkit.Result.YES;
});""" % USER)
        self.c.recorder(VIRTUAL0, "LoadMedium", "sa{sv}", ["cd-rw", {}], iface="VirtualRecorder")
        iso = os.path.join(self.bus.dir, "tiny.iso")
        tiny_iso(iso)
        out = run_script(self.bus, [
            [ROOT, MGR, "Open", "a{sv}", [{}]],
            ["$dm", DM, "SetActiveFormat", "s", ["image"]],
            ["$dm", DM, "SetActiveRecorder", "o", [VIRTUAL0]],
            ["$dm", IFACE + "ImageDiscMaster", "SetImage", "ha{sv}", ["$fd:" + iso, {}]],
            ["$dm", DM, "RecordDisc", "bba{sv}", [False, False, {}]],
            [VIRTUAL0, REC, "Erase", "ba{sv}", [False, {}]],
        ], user=USER)
        self.assertEqual([s for s, _ in out[:4]], ["ok"] * 4, out)
        self.assertEqual(out[4][0], "org.freedesktop.IMAPI1.Error.NotAuthorizedCanObtain", out[4])
        self.assertIn("record-disc", out[4][1])
        self.assertEqual(out[5][0], "org.freedesktop.IMAPI1.Error.NotAuthorizedCanObtain", out[5])
        self.assertIn("erase-disc", out[5][1])

    def test_cdrom_group_with_the_example_rules(self):
        shutil.copy(os.path.join(SRC, "polkit", "50-imapid-cdrom.rules.example"),
                    os.path.join(self.bus.dir, "polkit", "rules", "50-imapid-cdrom.rules"))
        os.chmod(os.path.join(self.bus.dir, "polkit", "rules", "50-imapid-cdrom.rules"), 0o644)
        time.sleep(0.5)
        iso = os.path.join(self.bus.dir, "tiny.iso")
        tiny_iso(iso)
        calls = [
            [ROOT, MGR, "Open", "a{sv}", [{"client-name": ["s", "cdrom user"]}]],
            ["$dm", DM, "SetActiveRecorder", "o", [VIRTUAL0]],
            [VIRTUAL0, REC, "Eject", "a{sv}", [{}]],
            [VIRTUAL0, REC, "CloseTray", "a{sv}", [{}]],
            [ROOT, MGR, "CreateVirtualRecorder", "sa{sv}", ["nope", {}]],
        ]
        out = run_script(self.bus, calls, user=CD_USER)
        self.assertEqual([s for s, _ in out[:4]], ["ok"] * 4, out)
        self.assertEqual(out[4][0], "org.freedesktop.IMAPI1.Error.NotAuthorizedCanObtain")
        # Not in the group: still refused.
        out = run_script(self.bus, calls[:2], user=USER)
        self.assertEqual(out[1][0], "org.freedesktop.IMAPI1.Error.NotAuthorizedCanObtain")

    def test_other_users_disc_master_is_off_limits(self):
        dm = self.c.open("root's")
        out = run_script(self.bus, [
            [dm, DM, "SetActiveFormat", "s", ["joliet"]],
            [dm, DM, "SetActiveRecorder", "o", [VIRTUAL0]],
            [dm, DM, "ClearFormatContent", "", []],
            [dm, IFACE + "JolietDiscMaster", "AddData", "a(sh)a{sv}", [[], {}]],
            [dm, DM, "RecordDisc", "bba{sv}", [False, False, {}]],
            [dm, DM, "Close", "", []],
            [dm, PROPS, "Get", "ss", [DM, "ClientName"]],
        ], user=OTHER)
        for status, text in out[:6]:
            self.assertEqual(status, "org.freedesktop.DBus.Error.AccessDenied", text)
        self.assertEqual(out[6][0], "ok")
        self.assertEqual(self.c.get(dm, "DiscMaster", "ActiveFormat"), "")

    def test_interactive_flag_is_passed_on(self):
        # With no authentication agent, an interactive request cannot be completed either: refused, and
        # the daemon's log shows the flag reached polkit.
        out = run_script(self.bus, [
            [ROOT, MGR, "Open", "a{sv}", [{}]],
            ["$dm", DM, "SetActiveRecorder", "o", [VIRTUAL0]],
        ], user=USER, interactive=True)
        self.assertTrue(out[1][0].startswith("org.freedesktop.IMAPI1.Error.NotAuthorized"), out)


@unittest.skipUnless(IS_ROOT, "needs root: real users")
class NoPolkitTest(ImapidTestCase):
    POLKIT = False

    def setUp(self):
        ensure_user(USER)
        super().setUp()

    def test_only_root_without_polkitd(self):
        out = run_script(self.bus, [
            [ROOT, MGR, "Open", "a{sv}", [{}]],
            ["$dm", DM, "SetActiveRecorder", "o", [VIRTUAL0]],
        ], user=USER)
        self.assertEqual(out[0][0], "ok")
        self.assertEqual(out[1][0], "org.freedesktop.IMAPI1.Error.NotAuthorized")
        self.assertIn("polkit is not available", out[1][1])
        dm = self.c.open("root")
        self.c.dm(dm, "SetActiveRecorder", "o", [VIRTUAL0])  # root needs no polkitd


@unittest.skipUnless(IS_ROOT, "needs root: real users and the polkitd user")
class HungPolkitTest(ImapidTestCase):
    POLKIT = False
    CONFIG = "[Daemon]\nPolkitTimeoutSec=2\n"

    def setUp(self):
        ensure_user(USER)
        super().setUp()
        env = self.bus.env()
        self.mock = subprocess.Popen(["setpriv", "--reuid=polkitd", "--regid=polkitd", "--clear-groups", "--",
                                      "/usr/bin/python3", "-m", "dbusmock", "--system", "--template", "polkitd"],
                                     env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                self.c.conn.call_sync("org.freedesktop.PolicyKit1", "/org/freedesktop/PolicyKit1/Authority",
                                      "org.freedesktop.DBus.Mock", "SimulateHang", GLib.Variant("(b)", (True,)),
                                      None, 0, 2000, None)
                break
            except GLib.Error:
                time.sleep(0.1)
        else:
            self.fail("dbusmock polkitd did not start")

    def tearDown(self):
        self.mock.kill()
        self.mock.wait()
        super().tearDown()

    def test_hung_polkitd_times_out_and_blocks_nobody(self):
        p = subprocess.Popen(["setpriv", "--reuid", USER, "--regid", USER, "--init-groups", "--", "/usr/bin/python3",
                              os.path.join(os.path.dirname(os.path.abspath(__file__)), "client-helper.py"), "script",
                              '[["%s", "%s", "Open", "a{sv}", [{}]], ["$dm", "%s", "SetActiveRecorder", "o", ["%s"]]]'
                              % (ROOT, MGR, DM, VIRTUAL0)], env=self.bus.env(), stdout=subprocess.PIPE, text=True)
        started = time.monotonic()
        time.sleep(0.3)
        # Meanwhile others are served at once.
        other = Client(self.bus.connect())
        for _ in range(5):
            t = time.monotonic()
            dm = other.open("not blocked")
            other.dm(dm, "Close")
            self.assertLess(time.monotonic() - t, 1.0)
        out = p.communicate(timeout=30)[0].splitlines()
        took = time.monotonic() - started
        self.assertTrue(out[0].startswith("ok"), out)
        self.assertTrue(out[1].startswith("org.freedesktop.IMAPI1.Error.PolkitTimeout"), out)
        self.assertLess(took, 10)


if __name__ == "__main__":
    main()
