#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Burns with imapid under valgrind memcheck (tools/dev-bus --valgrind): stage a tree, burn, verify the disc
with xorriso, close; an audio CD likewise; a client killed with a disc master open; stop the daemon with SIGTERM, and require a log with no errors
and no definite or indirect leaks. Suppressions, if ever needed, go to tests/integration/valgrind.supp with
the library noise each one hides."""
import os
import re
import signal
import subprocess
import time

from imapid_test import (BUILD, DEV_BUS, VIRTUAL0, Burn, Client, DevBus, GLib, ImapidTestCase, add_data,
                         bytes_variant, main, make_tree, open_image, open_tree, xorriso_compare)


class ValgrindBus(DevBus):
    def start(self):
        subprocess.run([DEV_BUS, "start", "--dir", self.dir, "--build", BUILD, "--medium", self.medium,
                        "--valgrind"], check=True, stdout=subprocess.DEVNULL)

    def stop_daemon(self, timeout=300):
        """SIGTERM, then wait as long as valgrind needs for its leak check (dev-bus stop would SIGKILL)."""
        pid = int(open(os.path.join(self.dir, "imapid.pid")).read())
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with open("/proc/%d/stat" % pid) as f:
                    if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                        break
            except OSError:
                break
            time.sleep(0.1)
        else:
            raise TimeoutError("imapid under valgrind did not stop")

    @property
    def valgrind_log(self):
        with open(os.path.join(self.dir, "valgrind.log")) as f:
            return f.read()


class ValgrindTest(ImapidTestCase):
    def setUp(self):
        self.bus = ValgrindBus(self.MEDIUM)
        try:
            self.bus.start()
        except subprocess.CalledProcessError:
            self.bus.cleanup()
            raise
        self.c = Client(self.bus.connect())

    def test_burn_under_memcheck(self):
        src = make_tree(os.path.join(self.bus.dir, "src"),
                        files=[("readme.txt", b"imapid under valgrind\n"), ("dir/data.bin", os.urandom(200000)),
                               ("dir/deeper/empty.txt", b"")], dirs=["empty dir"])
        os.symlink("../readme.txt", os.path.join(src, "dir", "link"))
        dm = self.c.open("valgrind")
        self.c.dm(dm, "SetActiveFormat", "s", ["joliet"])
        self.c.dm(dm, "SetActiveRecorder", "o", [VIRTUAL0])
        add_data(self.c, dm, open_tree(src))
        self.assertEqual(Burn(self.c, dm).start().wait(timeout=600), ("", ""))
        img = os.path.join(self.bus.dir, "disc.iso")
        open_image(self.c, VIRTUAL0, img)
        ok, out = xorriso_compare(img, src)
        self.assertTrue(ok, out)
        self.c.dm(dm, "Close")
        # An audio CD (SAO, two tracks) on a fresh blank disc.
        self.c.recorder(VIRTUAL0, "LoadMedium", "sa{sv}", ["cd-r", {}], iface="VirtualRecorder")
        dm = self.c.open("valgrind audio")
        self.c.dm(dm, "SetActiveFormat", "s", ["redbook"])
        self.c.dm(dm, "SetActiveRecorder", "o", [VIRTUAL0])
        pcm = bytes((i * 7) & 0xFF for i in range(2352)) * 300
        for _ in range(2):
            self.c.dm(dm, "CreateAudioTrack", "u", [0], iface="RedbookDiscMaster")
            self.c.dm(dm, "AddAudioTrackBlocks", args=GLib.Variant.new_tuple(bytes_variant(pcm)),
                      iface="RedbookDiscMaster")
            self.c.dm(dm, "CloseAudioTrack", iface="RedbookDiscMaster")
        self.assertEqual(Burn(self.c, dm).start().wait(timeout=600), ("", ""))
        cue = open_image(self.c, VIRTUAL0, os.path.join(self.bus.dir, "audio.bin"))
        self.assertEqual(cue.count("TRACK "), 2, cue)
        self.c.dm(dm, "Close")
        # A second client killed with a disc master and staged content: its clean-up path runs too.
        p = subprocess.Popen(["/usr/bin/python3", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                                "client-helper.py"), "open", "doomed"],
                             env=self.bus.env(), stdout=subprocess.PIPE, text=True)
        self.assertTrue(p.stdout.readline().startswith("/org/freedesktop/IMAPI1/DiscMaster/"))
        p.kill()
        p.wait()
        time.sleep(1)

        self.bus.stop_daemon()
        log = self.bus.valgrind_log
        for line in log.splitlines():
            if re.search(r"ERROR SUMMARY|definitely lost|indirectly lost|in use at exit|total heap usage|"
                         r"All heap blocks", line):
                print("# " + line.split("== ", 1)[-1].strip())
        summary = re.search(r"ERROR SUMMARY: (\d+) errors", log)
        self.assertIsNotNone(summary, log[-5000:])
        self.assertEqual(summary.group(1), "0", log[-20000:])
        for kind in ("definitely lost", "indirectly lost"):
            m = re.search(kind + r": ([\d,]+) bytes", log)
            self.assertTrue(m is None or m.group(1) == "0", log[-20000:])
        self.assertTrue("All heap blocks were freed" in log or "definitely lost: 0 bytes" in log, log[-5000:])


if __name__ == "__main__":
    main()
