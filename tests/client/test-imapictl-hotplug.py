#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""imapictl with a real recorder: an emulated drive behind a umockdev /dev/sr0 (tests/hotplug), found by the real
imapid through udev and driven through its libcdio transport. The recorder is named by its device node, also
through a symbolic link (as /dev/cdrom is), and burned on; the listing shows the node. TAP output."""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "hotplug"))

from hotplug_test import IS_ROOT, HotplugTestCase, preload_for, recorder_path  # noqa: E402
from imapid_test import BUILD, main  # noqa: E402

IMAPICTL = os.path.join(BUILD, "client", "imapictl")
SERIAL = "ACME_Burner_9000_SN0042"
DRIVE = dict(serial=SERIAL, vendor="ACME", product="Burner 9000", revision="1.23", medium="cd-r",
             profiles="cd-r,cd-rw,dvd+rw")


class DeviceNode(HotplugTestCase):
    DRIVES = {0: DRIVE}

    def ctl(self, *args):
        """imapictl under the umockdev preload (after the ASan runtime in sanitizer builds), so that /dev/sr0 is
        the emulated drive's node."""
        env = dict(self.bus.env(), UMOCKDEV_DIR=self.bridge.root, LD_PRELOAD=preload_for(IMAPICTL))
        return subprocess.run([IMAPICTL] + list(args), env=env, capture_output=True, text=True, timeout=120)

    def setUp(self):
        super().setUp()
        self.wait_recorder(recorder_path(SERIAL))
        # udev's link, in the testbed's /dev (umockdev resolves links there; glibc's realpath() would not follow
        # one outside /dev into the testbed).
        os.symlink("sr0", os.path.join(self.bridge.root, "dev", "cdrom"))
        self.link = "/dev/cdrom"

    def test_named_by_device_node(self):
        for spec in ("/dev/sr0", self.link, SERIAL, recorder_path(SERIAL)):
            r = self.ctl("--json", "info", spec)
            self.assertEqual(r.returncode, 0, (spec, r.stderr))
            info = json.loads(r.stdout)
            self.assertEqual((info["Id"], info["Device"], info["Virtual"]), (SERIAL, "/dev/sr0", False), spec)
        r = self.ctl("info", "/dev/sr1")
        self.assertEqual(r.returncode, 5, r.stderr)
        self.assertIn(SERIAL, r.stderr)  # the recorders there are
        listing = self.ctl("recorders").stdout
        self.assertRegex(listing, r"(?m)^%s\s+/dev/sr0\s+idle\s+cd-r, blank" % SERIAL)

    def test_burn_through_a_link(self):
        top = os.path.join(self.bus.dir, "tree")
        os.makedirs(os.path.join(top, "sub"))
        for i in range(3):
            with open(os.path.join(top, "sub" if i else "", "f%d" % i), "wb") as f:
                f.write(os.urandom(40000 * (i + 1)))
        if not IS_ROOT:
            self.skipTest("burning needs root here (no polkitd without root)")
        r = self.ctl("--json", "burn", "-r", self.link, top)
        self.assertEqual(r.returncode, 0, r.stderr + self.bus.daemon_log()[-3000:])
        self.assertEqual(json.loads(r.stdout.splitlines()[-1])["recorder"], SERIAL)
        img = os.path.join(self.bus.dir, "sr0.iso")
        self.bridge.cmd("image", 0, img)  # what the emulated drive's disc holds
        r = subprocess.run(["xorriso", "-indev", img, "-compare_r", top, "/tree"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("Both file objects match", r.stdout + r.stderr)


if __name__ == "__main__":
    main()
