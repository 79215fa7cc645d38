#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""imapictl against the real imapid on a private bus (tools/dev-bus): every verb with --json parsed and checked,
the human output, exit codes and error hints. TAP output (the integration harness)."""
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))

from imapid_test import BUILD, IS_ROOT, ROOT, VIRTUAL0, ImapidTestCase, main, spawn_helper  # noqa: E402

IMAPICTL = os.path.join(BUILD, "client", "imapictl")
VERBS = ("recorders", "info", "burn", "image", "audio", "erase", "eject", "close-tray", "virtual", "monitor")


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


class Holder:
    """Another client holding virtual0 (a separate process) for the duration of a with block."""

    def __init__(self, bus, name="holder-app"):
        self.bus, self.name = bus, name

    def __enter__(self):
        self.p, _ = spawn_helper(self.bus, "hold", VIRTUAL0, self.name)
        return self

    def __exit__(self, *exc):
        self.p.kill()
        self.p.wait()


class Devices(CtlTestCase):
    def test_virtual_create_load_remove(self):
        doc = self.ctl_json("virtual", "create", "extra", "--profiles", "dvd+rw,bd-re", "--medium", "dvd+rw",
                            "--speed", "4")[0]
        self.assertEqual(doc, {"Id": "virtual_extra", "Path": ROOT + "/Recorder/virtual_5fextra"})
        ids = [r["Id"] for r in self.ctl_json("recorders")[0]]
        self.assertEqual(ids, ["virtual_extra", "virtual_virtual0"])
        info = self.ctl_json("info", "extra")[0]
        self.assertEqual(info["Profiles"], ["dvd+rw", "bd-re"])
        self.assertEqual(info["MediaProfile"], "dvd+rw")
        self.assertEqual(info["VirtualRecorder"], {"Speed": 4})
        self.assertEqual(self.ctl_json("virtual", "load", "extra", "bd-re")[0],
                         {"event": "loaded", "recorder": "virtual_extra"})
        info = self.ctl_json("info", "extra")[0]
        self.assertEqual((info["MediaProfile"], info["MediaFlags"] & 1), ("bd-re", 1))
        # A profile the drive does not offer: a named error, exit 2.
        err = self.ctl_json("virtual", "load", "extra", "cd-r", rc=2)[0]["error"]
        self.assertTrue(err["name"].startswith("org.freedesktop."), err)
        self.assertEqual(self.ctl_json("virtual", "remove", "virtual_extra")[0],
                         {"event": "removed", "recorder": "virtual_extra"})
        self.assertEqual([r["Id"] for r in self.ctl_json("recorders")[0]], ["virtual_virtual0"])

    def test_virtual_usage(self):
        for args in (["virtual"], ["virtual", "frob"], ["virtual", "create"], ["virtual", "load", "virtual0"],
                     ["virtual", "open-image", "virtual0"]):
            r = self.ctl(*args)
            self.assertEqual(r.returncode, 1, args)

    def test_eject_and_close_tray(self):
        self.assertEqual(self.ctl_json("eject", "virtual0")[0], {"event": "ejected", "recorder": "virtual_virtual0"})
        self.assertFalse(self.c.get(VIRTUAL0, "Recorder", "MediaPresent"))
        r = self.ctl("close-tray", "virtual0")
        self.assertEqual((r.returncode, r.stdout), (0, "Tray closed.\n"))
        self.assertTrue(self.c.get(VIRTUAL0, "Recorder", "MediaPresent"))

    def test_device_still_in_use_names_holder(self):
        src = os.path.join(self.bus.dir, "f.txt")
        with open(src, "w") as f:
            f.write("x")
        with Holder(self.bus):
            for args in (["eject", "virtual0"], ["burn", "--recorder", "virtual0", src], ["erase", "virtual0"]):
                r = self.ctl(*args)
                self.assertEqual(r.returncode, 2, args)
                self.assertIn("org.freedesktop.IMAPI1.Error.DeviceStillInUse", r.stderr)
                self.assertIn('Hint: The recorder is held by "holder-app"', r.stderr)
            err = self.ctl_json("eject", "virtual0", rc=2)[0]["error"]
            self.assertEqual(err["name"], "org.freedesktop.IMAPI1.Error.DeviceStillInUse")
            self.assertIn("holder-app", err["hint"])
        self.assertEqual(self.c.get(VIRTUAL0, "Recorder", "State"), "idle")

    def test_not_authorized(self):
        if not IS_ROOT:
            self.skipTest("needs root to run as another user under polkitd")
        env = self.bus.env()
        cmd = ["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", "--", IMAPICTL]
        r = subprocess.run(cmd + ["--no-ask-password", "eject", "virtual0"], env=env, capture_output=True, text=True)
        self.assertEqual(r.returncode, 6, r.stderr)
        self.assertIn("org.freedesktop.IMAPI1.Error.NotAuthorizedCanObtain", r.stderr)
        self.assertIn("without --no-ask-password", r.stderr)
        self.assertTrue(self.c.get(VIRTUAL0, "Recorder", "MediaPresent"))

    def test_files_are_opened_as_the_caller(self):
        if not IS_ROOT:
            self.skipTest("needs root to run as another user under polkitd")
        self.bus.add_polkit_rule("50-nobody.rules", 'polkit.addRule(function(action, subject) {\n'
                                 '  if (action.id.indexOf("org.freedesktop.imapi1.") == 0 && subject.user == "nobody")\n'
                                 '    return polkit.Result.YES;\n});\n')
        tree = os.path.join(self.bus.dir, "tree")
        os.makedirs(tree)
        secret = os.path.join(tree, "secret")
        with open(secret, "w") as f:
            f.write("root only")
        os.chmod(secret, 0o600)
        cmd = ["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", "--", IMAPICTL]
        r = subprocess.run(cmd + ["burn", tree], env=self.bus.env(), capture_output=True, text=True)
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertIn(secret, r.stderr)
        self.assertIn("Permission denied", r.stderr)
        self.assertEqual(self.c.get(VIRTUAL0, "Recorder", "State"), "idle")

    def test_open_image_of_blank_disc(self):
        out = os.path.join(self.bus.dir, "blank.img")
        doc = self.ctl_json("virtual", "open-image", "virtual0", "--output", out)[0]
        self.assertEqual(doc, {"output": out, "bytes": 0, "cue_sheet": None})
        self.assertEqual(os.path.getsize(out), 0)

    def test_inputs_checked_before_taking_the_recorder(self):
        wav48 = os.path.join(self.bus.dir, "rate48k.wav")
        subprocess.run(["sox", "-n", "-r", "48000", "-c", "2", "-b", "16", wav48, "trim", "0", "5"], check=True)
        missing = os.path.join(self.bus.dir, "missing")
        cases = [(["audio", wav48], ["rate48k.wav", "48000 Hz"]),
                 (["burn", missing], ["missing", "No such file"]),
                 (["image", missing], ["missing"]),
                 (["image", self.bus.dir], ["not a regular file"])]
        for args, needles in cases:
            r = self.ctl(*args)
            self.assertEqual(r.returncode, 4, (args, r.stderr))
            for n in needles:
                self.assertIn(n, r.stderr, args)
        self.assertEqual(self.c.get(VIRTUAL0, "Recorder", "State"), "idle")


class Monitor(CtlTestCase):
    def start_monitor(self, *args):
        p = subprocess.Popen([IMAPICTL] + list(args) + ["monitor"], env=self.bus.env(), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        first = p.stdout.readline()
        self.assertNotEqual(first, "", p.stderr.read() if p.poll() is not None else "")
        return p, first

    def stop_monitor(self, p):
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 0, err)
        return out

    def test_monitor_json(self):
        p, first = self.start_monitor("--json")
        self.assertEqual(json.loads(first)["event"], "monitoring")
        self.assertEqual(self.ctl("virtual", "create", "watched").returncode, 0)
        self.assertEqual(self.ctl("eject", "virtual0").returncode, 0)
        time.sleep(0.5)
        events = [json.loads(line) for line in self.stop_monitor(p).splitlines()]
        for e in events:
            self.assertEqual(set(e), {"time", "path", "interface", "signal", "args"})
        added = [e for e in events if e["signal"] == "InterfacesAdded"]
        self.assertIn(ROOT + "/Recorder/virtual_5fwatched", [e["args"][0] for e in added])
        self.assertIn("PnPActivity", [e["signal"] for e in events if e["path"] == ROOT])
        media = [e["args"][1] for e in events
                 if e["signal"] == "PropertiesChanged" and e["path"] == VIRTUAL0 and "MediaPresent" in e["args"][1]]
        self.assertIn(False, [m["MediaPresent"] for m in media])

    def test_monitor_human(self):
        p, first = self.start_monitor()
        self.assertTrue(first.startswith("Monitoring imapid (:"), first)
        self.assertEqual(self.ctl("eject", "virtual0").returncode, 0)
        time.sleep(0.5)
        out = self.stop_monitor(p)
        self.assertRegex(out, r"\d\d:\d\d:\d\d\.\d{3} Recorder/virtual_virtual0 Recorder:.* MediaPresent=false")


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
