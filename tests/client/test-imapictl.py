#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""imapictl against the real imapid on a private bus (tools/dev-bus): every verb with --json parsed and checked,
the human output, exit codes and error hints. TAP output (the integration harness)."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))

from imapid_test import BUILD, VIRTUAL0, ImapidTestCase, main, spawn_helper  # noqa: E402

IMAPICTL = os.path.join(BUILD, "client", "imapictl")
VERBS = ("recorders", "info")


class CtlTestCase(ImapidTestCase):
    def ctl(self, *args, env=None, timeout=120, input=None):
        """Runs imapictl; returns CompletedProcess (text)."""
        return subprocess.run([IMAPICTL] + list(args), env=env or self.bus.env(), capture_output=True, text=True,
                              timeout=timeout, input=input)

    def ctl_json(self, *args, rc=0):
        r = self.ctl("--json", *args)
        self.assertEqual(r.returncode, rc, "imapictl %s: %s%s" % (" ".join(args), r.stdout, r.stderr))
        lines = [line for line in r.stdout.splitlines() if line.strip()]
        return [json.loads(line) for line in lines]


class Recorders(CtlTestCase):
    def test_recorders_json(self):
        docs = self.ctl_json("recorders")
        self.assertEqual(len(docs), 1)
        recorders = docs[0]
        self.assertEqual(len(recorders), 1)
        r = recorders[0]
        self.assertEqual(r["Id"], "virtual_virtual0")
        self.assertEqual(r["Path"], VIRTUAL0)
        self.assertTrue(r["Virtual"])
        self.assertEqual(r["Device"], "")
        self.assertEqual(r["State"], "idle")
        self.assertEqual(r["Owner"], "")
        self.assertTrue(r["MediaPresent"])
        self.assertEqual(r["MediaProfile"], "cd-r")
        self.assertEqual(r["MediaFlags"], 1 | 4)
        self.assertEqual(r["Sessions"], 0)
        self.assertEqual(r["FreeBlocks"], r["TotalBlocks"])
        self.assertGreater(r["FreeBlocks"], 300000)
        self.assertEqual(r["VirtualRecorder"], {"Speed": 0})
        # Every property of the contract is there, under its D-Bus name.
        live = self.c.get_all(VIRTUAL0, "Recorder")
        self.assertEqual(set(live), set(r) - {"Path", "VirtualRecorder"})
        for k, v in live.items():
            self.assertEqual(r[k], v, k)

    def test_recorders_human(self):
        r = self.ctl("recorders")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["ID", "DEVICE", "STATE", "MEDIUM"])
        self.assertRegex(lines[1], r"^virtual_virtual0\s+virtual\s+idle\s+cd-r, blank, 702\.\d\sMiB free$")
        self.assertEqual(len(lines), 2)

    def test_quiet_prints_nothing(self):
        r = self.ctl("--quiet", "recorders")
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, "", ""))

    def test_info_every_spelling(self):
        ref = self.ctl_json("info", "virtual_virtual0")[0]
        self.assertEqual(ref["Id"], "virtual_virtual0")
        for spec in ("virtual0", VIRTUAL0):
            self.assertEqual(self.ctl_json("info", spec)[0], ref, spec)
        # The global option also works after the verb.
        r = self.ctl("info", "virtual0", "--json")
        self.assertEqual(json.loads(r.stdout), ref)

    def test_info_human(self):
        r = self.ctl("info", "virtual0")
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout
        self.assertTrue(out.startswith("virtual_virtual0\n"))
        self.assertRegex(out, r"Object path:\s+%s\n" % VIRTUAL0)
        self.assertRegex(out, r"Medium:\s+cd-r, blank, 702\.\d\sMiB free\n")
        self.assertRegex(out, r"Sessions:\s+0\n")
        self.assertRegex(out, r"Virtual speed:\s+unthrottled\n")

    def test_held_recorder_shows_owner(self):
        p, _ = spawn_helper(self.bus, "hold", VIRTUAL0, "holder-app")
        try:
            r = self.ctl_json("info", "virtual0")[0]
            self.assertEqual((r["State"], r["Owner"]), ("opened", "holder-app"))
            human = self.ctl("recorders").stdout
            self.assertIn("opened by holder-app", human)
        finally:
            p.kill()
            p.wait()

    def test_no_such_recorder(self):
        r = self.ctl("info", "nope")
        self.assertEqual(r.returncode, 5)
        self.assertIn("No recorder 'nope'", r.stderr)
        self.assertIn("virtual_virtual0", r.stderr)
        docs = self.ctl_json("info", "nope", rc=5)
        self.assertEqual(docs[0]["error"]["exit"], 5)

    def test_usage_errors(self):
        for args in ([], ["bogus"], ["info"], ["info", "a", "b"], ["recorders", "--frobnicate"]):
            r = self.ctl(*args)
            self.assertEqual(r.returncode, 1, args)
            self.assertNotEqual(r.stderr, "", args)
        r = self.ctl("--help")
        self.assertEqual(r.returncode, 0)
        for verb in VERBS:
            self.assertIn("\n  " + verb + " ", r.stdout)

    def test_unreachable_bus(self):
        env = self.bus.env()
        env["DBUS_SYSTEM_BUS_ADDRESS"] = "unix:path=%s/no-such-socket" % self.bus.dir
        r = self.ctl("recorders", env=env)
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn("Cannot connect", r.stderr)


class NoMedium(CtlTestCase):
    MEDIUM = "none"

    def test_no_disc(self):
        r = self.ctl_json("info", "virtual0")[0]
        self.assertFalse(r["MediaPresent"])
        self.assertEqual(r["MediaProfile"], "")
        human = self.ctl("recorders").stdout
        self.assertRegex(human, r"virtual_virtual0\s+virtual\s+idle\s+no disc")


if __name__ == "__main__":
    main()
