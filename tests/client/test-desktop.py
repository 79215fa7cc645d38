#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Desktop integration (data/desktop): the .desktop files pass desktop-file-validate, the Nemo action and the
Thunar snippet parse and say what they should, every action runs the installed imapid-burn; and imapid-burn
itself, in a terminal (script(1)) against the real imapid on the dev bus, burns files and an image, asks which
recorder when there are several, and opens a terminal when started without one. Also runs the D-Bus example of
org.freedesktop.IMAPI1(5) (data/examples/burn-folder.py). TAP output (the integration harness)."""
import functools
import json
import os
import shlex
import subprocess
import sys
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))

from imapid_test import BUILD, SRC, VIRTUAL0, GLib, ImapidTestCase, main  # noqa: E402

DESKTOP = os.path.join(BUILD, "data", "desktop")
WRAPPER = os.path.join(SRC, "data", "desktop", "imapid-burn")
IMAPICTL = os.path.join(BUILD, "client", "imapictl")
# The complaints of desktop-file-validate about KDE's own "Type=Service", which Dolphin's service menus need;
# anything else it says is a failure.
KDE_SERVICE_MENU_ONLY = [
    'error: key "MimeType" is present in group "Desktop Entry", but the type is "Service" while this key is only '
    'valid for type "Application"',
    'error: key "Actions" is present in group "Desktop Entry", but the type is "Service" while this key is only '
    'valid for type "Application"',
]


@functools.lru_cache(maxsize=None)
def installed():
    """{source or built file: where meson installs it}."""
    r = subprocess.run(["meson", "introspect", BUILD, "--installed"], capture_output=True, text=True, check=True)
    return json.loads(r.stdout)


def keyfile(path):
    k = GLib.KeyFile()
    k.load_from_file(path, GLib.KeyFileFlags.NONE)
    return k


def validate(path):
    r = subprocess.run(["desktop-file-validate", path], capture_output=True, text=True)
    return r.returncode, [line.split(": ", 1)[1] for line in r.stdout.splitlines() if line.strip()]


class Files(unittest.TestCase):
    def setUp(self):
        self.wrapper = installed()[WRAPPER]
        self.assertTrue(self.wrapper.endswith("/libexec/imapid-burn"), self.wrapper)

    def test_image_entry_validates(self):
        path = os.path.join(DESKTOP, "imapid-burn-image.desktop")
        self.assertEqual(validate(path), (0, []))
        k = keyfile(path)
        g = "Desktop Entry"
        self.assertEqual(k.get_string(g, "Type"), "Application")
        self.assertEqual(k.get_string(g, "Name"), "Burn Disc Image")
        self.assertEqual(set(k.get_string_list(g, "MimeType")), {"application/x-cd-image",
                                                                 "application/x-iso9660-image"})
        self.assertEqual(k.get_string(g, "Exec"), self.wrapper + " image %f")
        self.assertTrue(k.get_boolean(g, "Terminal"))
        self.assertTrue(installed()[path].endswith("/share/applications/imapid-burn-image.desktop"))

    def test_dolphin_service_menu_validates(self):
        path = os.path.join(DESKTOP, "imapid-burn-servicemenu.desktop")
        rc, messages = validate(path)
        self.assertEqual(messages, KDE_SERVICE_MENU_ONLY)
        k = keyfile(path)
        self.assertEqual(k.get_string("Desktop Entry", "Type"), "Service")
        self.assertEqual(k.get_string_list("Desktop Entry", "Actions"), ["burnToDisc"])
        self.assertEqual(set(k.get_string_list("Desktop Entry", "MimeType")),
                         {"application/octet-stream", "inode/directory"})
        self.assertEqual(k.get_string("Desktop Action burnToDisc", "Name"), "Burn to Disc")
        self.assertEqual(k.get_string("Desktop Action burnToDisc", "Exec"), self.wrapper + " burn %F")
        self.assertTrue(installed()[path].endswith("/share/kio/servicemenus/imapid-burn-servicemenu.desktop"))

    def test_nemo_action(self):
        path = os.path.join(DESKTOP, "imapid-burn.nemo_action")
        k = keyfile(path)
        g = "Nemo Action"
        self.assertEqual(k.get_groups()[0], [g])
        self.assertEqual(k.get_string(g, "Name"), "Burn to Disc")
        self.assertEqual(k.get_string(g, "Exec"), self.wrapper + " burn %F")
        self.assertEqual(k.get_string(g, "Selection"), "notnone")
        self.assertEqual(k.get_string_list(g, "Extensions"), ["any"])
        self.assertEqual(k.get_string_list(g, "Dependencies"), ["imapictl"])
        self.assertTrue(installed()[path].endswith("/share/nemo/actions/imapid-burn.nemo_action"))

    def test_thunar_snippet(self):
        path = os.path.join(DESKTOP, "thunar-uca.xml")
        root = ET.parse(path).getroot()
        self.assertEqual(root.tag, "actions")
        (action,) = root.findall("action")
        self.assertEqual(action.findtext("name"), "Burn to Disc")
        self.assertEqual(action.findtext("command"), self.wrapper + " burn %F")
        self.assertEqual(action.findtext("patterns"), "*")
        self.assertEqual(action.findtext("unique-id"), "imapid-burn-to-disc")
        for kind in ("directories", "other-files", "text-files", "image-files", "audio-files", "video-files"):
            self.assertIsNotNone(action.find(kind), kind)
        self.assertIn("/share/doc/imapid/thunar/", installed()[path])

    def test_nautilus_script(self):
        path = os.path.join(DESKTOP, "Burn to Disc")
        with open(path) as f:
            text = f.read()
        self.assertIn('exec "%s" burn "$@"' % self.wrapper, text)
        self.assertEqual(subprocess.run(["sh", "-n", path]).returncode, 0)
        self.assertIn("/share/doc/imapid/nautilus/Burn to Disc", installed()[path])


class WrapperTestCase(ImapidTestCase):
    def tree(self):
        top = os.path.join(self.bus.dir, "photos")
        os.makedirs(os.path.join(top, "2024"))
        for i in range(4):
            with open(os.path.join(top, "2024" if i % 2 else "", "p%d.jpg" % i), "wb") as f:
                f.write(os.urandom(20000 * (i + 1)))
        with open(os.path.join(self.bus.dir, "notes.txt"), "w") as f:
            f.write("notes\n")
        return top

    def in_terminal(self, *args, typed="\n", env=None):
        """imapid-burn ARGS in a pseudo-terminal (script), with 'typed' as the user's keys; (rc, output)."""
        cmd = " ".join(shlex.quote(a) for a in [WRAPPER] + list(args))
        r = subprocess.run(["script", "-qec", cmd, "/dev/null"], input=typed.encode(), capture_output=True,
                           env=env or self.bus.env(), cwd=self.bus.dir, timeout=120)
        return r.returncode, r.stdout.decode(errors="replace").replace("\r", "")

    def disc(self):
        img = os.path.join(self.bus.dir, "disc.iso")
        r = subprocess.run([IMAPICTL, "virtual", "open-image", "virtual0", "-o", img], env=self.bus.env(),
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        return img


class Wrapper(WrapperTestCase):
    def test_burn_with_the_only_recorder(self):
        top = self.tree()
        rc, out = self.in_terminal("burn", "photos", "notes.txt")  # relative, as Nautilus passes them
        self.assertEqual(rc, 0, out)
        self.assertIn("Burned 7 entries to virtual_virtual0.", out)
        self.assertIn("Done: the disc is ready.", out)
        self.assertIn("Press Enter to close this window.", out)
        self.assertNotIn("Which recorder", out)
        r = subprocess.run(["xorriso", "-indev", self.disc(), "-compare_r", top, "/photos",
                            "-compare", os.path.join(self.bus.dir, "notes.txt"), "/notes.txt"],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_image(self):
        iso = os.path.join(self.bus.dir, "made.iso")
        subprocess.run(["xorriso", "-as", "mkisofs", "-o", iso, self.tree()], check=True, capture_output=True)
        rc, out = self.in_terminal("image", iso)
        self.assertEqual(rc, 0, out)
        with open(iso, "rb") as a, open(self.disc(), "rb") as b:
            want = a.read()
            self.assertEqual(b.read(len(want)), want)

    def test_failure_is_shown_and_kept_on_screen(self):
        rc, out = self.in_terminal("burn", os.path.join(self.bus.dir, "missing"))
        self.assertEqual(rc, 4, out)
        self.assertIn("missing", out)
        self.assertIn("The burn did not complete (imapictl exit status 4", out)
        self.assertIn("Press Enter to close this window.", out)

    def test_opens_a_terminal_when_started_without(self):
        """Started by a file manager (no terminal): it runs itself again in one, with absolute paths."""
        record = os.path.join(self.bus.dir, "terminal-args")
        bin_dir = os.path.join(self.bus.dir, "bin")
        os.makedirs(bin_dir)
        fake = os.path.join(bin_dir, "x-terminal-emulator")  # a stand-in for the user's terminal emulator
        with open(fake, "w") as f:
            f.write("#!/bin/sh\nprintf '%%s\\n' \"$@\" > %s\n" % shlex.quote(record))
        os.chmod(fake, 0o755)
        env = self.bus.env()
        env["PATH"] = bin_dir + ":" + env["PATH"]
        r = subprocess.run([WRAPPER, "burn", "photos", "/abs/file"], env=env, cwd=self.bus.dir,
                           stdin=subprocess.DEVNULL, capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(record) as f:
            args = f.read().splitlines()
        self.assertEqual(args, ["-e", WRAPPER, "burn", os.path.join(self.bus.dir, "photos"), "/abs/file"])
        # IMAPID_BURN_TERMINAL chooses another one.
        env["IMAPID_BURN_TERMINAL"] = fake + " --title Burn -x"
        subprocess.run([WRAPPER, "image", "x.iso"], env=env, cwd=self.bus.dir, stdin=subprocess.DEVNULL,
                       check=True)
        with open(record) as f:
            self.assertEqual(f.read().splitlines(), ["--title", "Burn", "-x", WRAPPER, "image",
                                                     os.path.join(self.bus.dir, "x.iso")])

    def test_documented_example_burns(self):
        top = self.tree()
        r = subprocess.run(["/usr/bin/python3", os.path.join(SRC, "data", "examples", "burn-folder.py"), top,
                            VIRTUAL0], env=self.bus.env(), capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0].split()[0], "PreparingBurn")
        self.assertEqual(lines[-1].strip(), "BurnComplete")
        r = subprocess.run(["xorriso", "-indev", self.disc(), "-compare", os.path.join(top, "p0.jpg"), "/p0.jpg",
                            "-compare", os.path.join(top, "p2.jpg"), "/p2.jpg"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(r.stdout.count("Both file objects match"), 2, r.stdout)


class SeveralRecorders(WrapperTestCase):
    CONFIG = "[VirtualRecorder spare]\n"

    def test_asks_which_recorder(self):
        top = self.tree()
        rc, out = self.in_terminal("burn", top, typed="nope\nvirtual_virtual0\n\n")
        self.assertEqual(rc, 0, out)
        self.assertIn("virtual_spare", out)  # the listing it asks from
        self.assertIn("There is no recorder 'nope'.", out)
        self.assertIn("Burned 6 entries to virtual_virtual0.", out)
        r = subprocess.run(["xorriso", "-indev", self.disc(), "-compare_r", top, "/photos"], capture_output=True,
                           text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_enter_alone_cancels(self):
        rc, out = self.in_terminal("burn", self.tree(), typed="\n\n")
        self.assertEqual(rc, 7, out)
        self.assertIn("Cancelled.", out)
        self.assertNotIn("Burned", out)


if __name__ == "__main__":
    main()
