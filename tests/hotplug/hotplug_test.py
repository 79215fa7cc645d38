# SPDX-License-Identifier: LGPL-2.1-or-later
"""Emulated drives behind umockdev /dev/srN for tests: the imapid-emu-bridge process (tests/hotplug/
emu-bridge-main.c) and a test case that runs the real imapid with EnableUdev=true under the umockdev preload,
so the daemon finds, holds, burns on and loses those drives through mmc/transport-cdio.c."""
import errno
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("IMAPID_SOURCE_DIR") or os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(SRC, "tests", "integration"))

import imapid_test  # noqa: E402
from imapid_test import BUILD, ROOT, Client, ImapidTestCase  # noqa: E402

BRIDGE = os.path.join(BUILD, "tests", "hotplug", "imapid-emu-bridge")
IMAPID = os.path.join(BUILD, "daemon", "imapid")
PRELOAD = "libumockdev-preload.so.0"
SANITIZER_REPORT = re.compile(r"ERROR: (AddressSanitizer|LeakSanitizer)|runtime error: ")


def preload_for(binary):
    """LD_PRELOAD for one of our binaries: umockdev's library, after the ASan runtime when the binary was built
    with it (both insist on coming first; ASan must win). Tools we did not build get PRELOAD alone."""
    ldd = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    m = re.search(r"(\S*libasan\.so[.0-9]*) => (\S+)", ldd)
    return "%s:%s" % (m.group(2), PRELOAD) if m else PRELOAD
RECORDER_PREFIX = ROOT + "/Recorder/"
IS_ROOT = os.geteuid() == 0


def path_encode(s):
    """sd_bus_path_encode() of one label."""
    if not s:
        return "_"
    return "".join(c if c.isascii() and c.isalnum() else "_%02x" % ord(c) for c in s)


def recorder_path(recorder_id):
    return RECORDER_PREFIX + path_encode(recorder_id)


class BridgeError(Exception):
    pass


class Bridge:
    """imapid-emu-bridge under umockdev-wrapper: a testbed with emulated drives, driven line by line."""

    def __init__(self, trace=False):
        self.log = tempfile.TemporaryFile(mode="w+")
        env = dict(os.environ, LD_PRELOAD=preload_for(BRIDGE))
        self.p = subprocess.Popen([BRIDGE] + (["--trace"] if trace else []), env=env, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.p.stdout.readline().split()
        if len(line) != 2 or line[0] != "ready":
            raise BridgeError("bridge did not start: %s %s" % (line, self.stderr()))
        self.root = line[1]

    def stderr(self):
        self.log.seek(0)
        return self.log.read()[-8000:]

    def cmd(self, *words):
        self.p.stdin.write(" ".join(urllib.parse.quote(str(w), safe="/=,:") for w in words) + "\n")
        self.p.stdin.flush()
        reply = self.p.stdout.readline().strip()
        if not reply.startswith("ok"):
            raise BridgeError("%s: %s" % (" ".join(str(w) for w in words), reply or self.stderr()))
        return reply[3:]

    def add(self, index, **opts):
        self.cmd("add", index, *("%s=%s" % kv for kv in opts.items()))

    def opens(self, index):
        """(fds open on /dev/srN, fds open on /dev/sgN)."""
        return tuple(int(x) for x in self.cmd("opens", index).split())

    def wait_opens(self, index, want, timeout=10):
        """umockdev notices a close asynchronously: wait for the counts (bounded)."""
        deadline = time.monotonic() + timeout
        got = self.opens(index)
        while got != want and time.monotonic() < deadline:
            time.sleep(0.02)
            got = self.opens(index)
        return got

    def value(self, what, index, opcode):
        return int(self.cmd(what, index, "%02x" % opcode))

    def env(self, base=None):
        """The environment for a tool that should see the drives."""
        e = dict(base if base is not None else os.environ)
        e["UMOCKDEV_DIR"] = self.root
        e["LD_PRELOAD"] = PRELOAD + (":" + e["LD_PRELOAD"] if e.get("LD_PRELOAD") else "")
        return e

    def close(self):
        """Stops the bridge; raises BridgeError when it reported a sanitizer error."""
        if self.p.poll() is None:
            try:
                self.cmd("quit")
            except (BridgeError, BrokenPipeError, OSError):
                pass
            self.p.stdin.close()
            try:
                self.p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        self.p.stdout.close()
        report = self.stderr()
        self.log.close()
        if SANITIZER_REPORT.search(report):
            raise BridgeError("the bridge reported a sanitizer error:\n" + report)


class LoopNode:
    """Makes the emulated /dev/srN a real block device node (a loop device over a small file), so that O_EXCL
    has the kernel's meaning: umockdev's own nodes are regular files, where O_EXCL without O_CREAT does
    nothing. ioctls still go to the bridge (umockdev routes them by the path opened). Root only."""

    def __init__(self, bridge, index, tmpdir):
        self.backing = os.path.join(tmpdir, "loop-sr%d.img" % index)
        with open(self.backing, "wb") as f:
            f.truncate(1024 * 1024)
        self.loop = subprocess.run(["losetup", "--find", "--show", self.backing], check=True, capture_output=True,
                                   text=True).stdout.strip()
        self.node = os.path.join(bridge.root, "dev", "sr%d" % index)
        st = os.stat(self.loop)
        os.unlink(self.node)
        os.mknod(self.node, 0o1644 | 0o060000, st.st_rdev)  # the sticky bit: umockdev's mark of a block node

    def try_exclusive_open(self):
        """0 when an O_EXCL open of the node succeeds now, else the errno."""
        try:
            fd = os.open(self.node, os.O_RDWR | os.O_EXCL | os.O_NONBLOCK)
        except OSError as e:
            return e.errno
        os.close(fd)
        return 0

    def close(self):
        subprocess.run(["losetup", "-d", self.loop], check=False)
        os.unlink(self.backing)


def wait_until(predicate, timeout=10.0, interval=0.02):
    """Polls predicate() until it is true (bounded); returns its last value."""
    deadline = time.monotonic() + timeout
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = predicate()
    return value


class HotplugTestCase(ImapidTestCase):
    """imapid (EnableUdev=true, no polkitd: root is allowed) under the umockdev preload, with the drives of
    DRIVES in the testbed before it starts: {index: bridge add options}."""
    POLKIT = False
    CONFIG = "[Daemon]\nEnableUdev=true\n"
    DRIVES = {}
    LOOP_NODES = ()  # indexes whose node becomes a real block device (root only)

    def setUp(self):
        self.bridge = Bridge(trace=bool(os.environ.get("IMAPID_BRIDGE_TRACE")))
        self.loops = []
        try:
            for index, opts in self.DRIVES.items():
                self.bridge.add(index, **opts)
            self.tmp = tempfile.mkdtemp(prefix="imapid-hotplug.")
            for index in self.LOOP_NODES if IS_ROOT else ():
                self.loops.append(LoopNode(self.bridge, index, self.tmp))
            # Only imapid runs under the preload (sd-bus tools such as busctl cannot: umockdev hides /sys from
            # them): dev-bus starts "BUILD/daemon/imapid", here a script that execs the real one with it.
            self.wrapper = os.path.join(self.tmp, "build", "daemon", "imapid")
            os.makedirs(os.path.dirname(self.wrapper))
            with open(self.wrapper, "w") as f:
                f.write("#!/bin/sh\nexec env UMOCKDEV_DIR='%s' LD_PRELOAD='%s' '%s' \"$@\"\n"
                        % (self.bridge.root, preload_for(IMAPID), IMAPID))
            os.chmod(self.wrapper, 0o755)
            os.chmod(self.tmp, 0o755)
            imapid_test.BUILD = os.path.join(self.tmp, "build")
            try:
                super().setUp()
            finally:
                imapid_test.BUILD = BUILD
        except BaseException:
            self.cleanup_bridge()
            raise

    def restart_daemon(self):
        """SIGTERM, then the same daemon (under the preload) on the same bus and state."""
        pid = int(open(os.path.join(self.bus.dir, "imapid.pid")).read())
        os.kill(pid, 15)
        wait_until(lambda: not os.path.exists("/proc/%d" % pid) or
                   open("/proc/%d/stat" % pid).read().split(")")[-1].split()[0] == "Z", 10)
        log = open(os.path.join(self.bus.dir, "imapid.log"), "a")
        p = subprocess.Popen([self.wrapper, "--bus-address=" + self.bus.address,
                              "--config=" + os.path.join(self.bus.dir, "imapid.conf"), "--debug"],
                             stdout=log, stderr=log)
        open(os.path.join(self.bus.dir, "imapid.pid"), "w").write(str(p.pid))
        self.bus.wait_for_name()

    def cleanup_bridge(self):
        for loop in self.loops:
            loop.close()
        if os.environ.get("IMAPID_BRIDGE_TRACE"):
            sys.stderr.write("--- bridge ---\n" + self.bridge.stderr() + "\n")
        self.bridge.close()
        subprocess.run(["rm", "-rf", getattr(self, "tmp", "")], check=False)

    def tearDown(self):
        log = ""
        try:
            if hasattr(self, "bus"):
                self.bus.stop()  # imapid gets SIGTERM: a sanitizer build reports leaks now
                log = self.bus.daemon_log()
            super().tearDown()
        finally:
            self.cleanup_bridge()
        self.assertIsNone(SANITIZER_REPORT.search(log), "imapid reported a sanitizer error:\n" + log[-8000:])

    def recorders(self):
        return self.c.get(ROOT, "Manager", "Recorders")

    def wait_recorder(self, path, present=True, timeout=10.0):
        ok = wait_until(lambda: (path in self.recorders()) == present, timeout)
        self.assertTrue(ok, "%s did not %s (recorders: %s)\n%s" % (path, "appear" if present else "go",
                                                                 self.recorders(), self.bus.daemon_log()[-4000:]))


__all__ = ["Bridge", "BridgeError", "HotplugTestCase", "LoopNode", "Client", "IS_ROOT", "errno",
           "imapid_test", "recorder_path", "wait_until"]
