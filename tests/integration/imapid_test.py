# SPDX-License-Identifier: LGPL-2.1-or-later
"""Harness for tests that run the real imapid on a private bus (tools/dev-bus) and talk to it with Gio.

Each test case gets a fresh bus and daemon (setUp/tearDown), so cases are independent. Run a file with
/usr/bin/python3 FILE (TAP output) or with a case name to run just that case.
"""
import json
import os
import pwd
import grp
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

SRC = os.environ.get("IMAPID_SOURCE_DIR") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("IMAPID_BUILD_DIR") or os.path.join(SRC, "build")
DEV_BUS = os.path.join(SRC, "tools", "dev-bus")

BUS_NAME = "org.freedesktop.IMAPI1"
ROOT = "/org/freedesktop/IMAPI1"
IFACE = "org.freedesktop.IMAPI1."
ERROR = "org.freedesktop.IMAPI1.Error."
VIRTUAL0 = ROOT + "/Recorder/virtual_5fvirtual0"

IS_ROOT = os.geteuid() == 0


def error_name(e):
    """The D-Bus error name of a GLib.Error from a call."""
    return Gio.DBusError.get_remote_error(e) or ""


class DevBus:
    """A private system bus with imapid (and polkitd when root), in its own directory."""

    def __init__(self, medium="cd-r", speed=0, config="", polkit=True):
        self.dir = tempfile.mkdtemp(prefix="imapid-test.")
        os.chmod(self.dir, 0o755)
        self.medium, self.speed, self.config, self.polkit = medium, speed, config, polkit
        self.address = "unix:path=%s/system_bus_socket" % self.dir
        self.connections = []

    def start(self):
        cmd = [DEV_BUS, "start", "--dir", self.dir, "--build", BUILD, "--medium", self.medium,
               "--speed", str(self.speed)]
        if self.config:
            path = os.path.join(self.dir, "extra.conf")
            with open(path, "w") as f:
                f.write(self.config)
            cmd += ["--config", path]
        if not self.polkit:
            cmd.append("--no-polkit")
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

    def stop(self):
        for c in self.connections:
            try:
                c.close_sync(None)
            except GLib.Error:
                pass
        subprocess.run([DEV_BUS, "stop", "--dir", self.dir], check=False)

    def cleanup(self):
        subprocess.run(["rm", "-rf", self.dir], check=False)

    def restart_daemon(self):
        """Stops imapid (SIGTERM) and starts it again on the same bus and state."""
        pid = int(open(os.path.join(self.dir, "imapid.pid")).read())
        os.kill(pid, signal.SIGTERM)
        for _ in range(500):
            try:
                with open("/proc/%d/stat" % pid) as f:
                    if f.read().split(")")[-1].split()[0] == "Z":
                        break
            except OSError:
                break
            time.sleep(0.02)
        log = open(os.path.join(self.dir, "imapid.log"), "a")
        p = subprocess.Popen([os.path.join(BUILD, "daemon", "imapid"), "--bus-address=" + self.address,
                              "--config=" + os.path.join(self.dir, "imapid.conf"), "--debug"],
                             stdout=log, stderr=log)
        open(os.path.join(self.dir, "imapid.pid"), "w").write(str(p.pid))
        self.wait_for_name()

    def wait_for_name(self, timeout=15):
        c = self.connect()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            r = c.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                            "NameHasOwner", GLib.Variant("(s)", (BUS_NAME,)), None, 0, -1, None)
            if r.unpack()[0]:
                return
            time.sleep(0.05)
        raise TimeoutError("imapid did not come back")

    def connect(self):
        c = Gio.DBusConnection.new_for_address_sync(
            self.address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
            None, None)
        self.connections.append(c)
        return c

    def env(self):
        e = dict(os.environ)
        e["DBUS_SYSTEM_BUS_ADDRESS"] = self.address
        e["IMAPID_DEV_BUS_DIR"] = self.dir
        e["PATH"] = os.path.join(BUILD, "client") + ":" + e.get("PATH", "")
        return e

    def daemon_log(self):
        try:
            return open(os.path.join(self.dir, "imapid.log")).read()
        except OSError:
            return ""

    @property
    def stash_dir(self):
        return os.path.join(self.dir, "stash")

    @property
    def state_dir(self):
        return os.path.join(self.dir, "state")

    def add_polkit_rule(self, name, javascript):
        rules = os.path.join(self.dir, "polkit", "rules")
        path = os.path.join(rules, name)
        with open(path, "w") as f:
            f.write(javascript)
        os.chmod(path, 0o644)
        time.sleep(0.5)  # polkitd re-reads its rules on an inotify event


class Client:
    """One bus connection, with call helpers."""

    def __init__(self, conn):
        self.conn = conn

    def call(self, path, iface, method, signature=None, args=None, reply=None, fds=None, timeout=30000,
             flags=Gio.DBusCallFlags.NONE):
        if isinstance(args, GLib.Variant):
            params = args
        else:
            params = GLib.Variant("(%s)" % signature, tuple(args)) if signature else None
        if fds is not None:
            fdlist = Gio.UnixFDList.new()
            for fd in fds:
                fdlist.append(fd)
            r, out_fds = self.conn.call_with_unix_fd_list_sync(
                BUS_NAME, path, iface, method, params,
                GLib.VariantType.new("(%s)" % reply) if reply is not None else None,
                flags, timeout, fdlist, None)
            self.last_fds = out_fds
        else:
            r = self.conn.call_sync(BUS_NAME, path, iface, method, params,
                                    GLib.VariantType.new("(%s)" % reply) if reply is not None else None,
                                    flags, timeout, None)
        return r.unpack() if r is not None else None

    def call_fds(self, path, iface, method, signature, args, reply):
        """A call whose reply carries fds: returns (values, [fds])."""
        params = GLib.Variant("(%s)" % signature, tuple(args)) if signature else None
        r, fdlist = self.conn.call_with_unix_fd_list_sync(BUS_NAME, path, iface, method, params,
                                                          GLib.VariantType.new("(%s)" % reply),
                                                          Gio.DBusCallFlags.NONE, 30000, None, None)
        return r.unpack(), (fdlist.steal_fds() if fdlist else [])

    def get(self, path, iface, prop):
        r = self.conn.call_sync(BUS_NAME, path, "org.freedesktop.DBus.Properties", "Get",
                                GLib.Variant("(ss)", (IFACE + iface if not iface.startswith("org.") else iface, prop)),
                                GLib.VariantType.new("(v)"), Gio.DBusCallFlags.NONE, 30000, None)
        return r.unpack()[0]

    def get_all(self, path, iface):
        r = self.conn.call_sync(BUS_NAME, path, "org.freedesktop.DBus.Properties", "GetAll",
                                GLib.Variant("(s)", (IFACE + iface,)), GLib.VariantType.new("(a{sv})"),
                                Gio.DBusCallFlags.NONE, 30000, None)
        return r.unpack()[0]

    def manager(self, method, signature=None, args=None, reply=None):
        return self.call(ROOT, IFACE + "Manager", method, signature, args, reply)

    def open(self, client_name=None):
        opts = {"client-name": GLib.Variant("s", client_name)} if client_name else {}
        return self.manager("Open", "a{sv}", [opts], "o")[0]

    def dm(self, path, method, signature=None, args=None, reply=None, iface="DiscMaster", **kw):
        return self.call(path, IFACE + iface, method, signature, args, reply, **kw)

    def recorder(self, path, method, signature=None, args=None, reply=None, iface="Recorder"):
        return self.call(path, IFACE + iface, method, signature, args, reply)


class SignalRecorder:
    """Collects signals of one interface on a connection; wait_for() iterates the main context."""

    def __init__(self, conn, iface=None, member=None, path=None):
        self.conn, self.signals = conn, []
        self.id = conn.signal_subscribe(BUS_NAME, iface, member, path, None, Gio.DBusSignalFlags.NONE,
                                        self._on_signal)

    def _on_signal(self, conn, sender, path, iface, member, params):
        self.signals.append((time.monotonic(), path, iface, member, params.unpack()))

    def pump(self, seconds=0.0):
        ctx = GLib.MainContext.default()
        deadline = time.monotonic() + seconds
        while True:
            while ctx.iteration(False):
                pass
            if time.monotonic() >= deadline:
                return
            time.sleep(0.01)

    def wait_for(self, member, timeout=10.0, predicate=None):
        ctx = GLib.MainContext.default()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            while ctx.iteration(False):
                pass
            for s in self.signals:
                if s[3] == member and (predicate is None or predicate(s)):
                    return s
            time.sleep(0.01)
        raise TimeoutError("no %s signal within %ss (got %s)" % (member, timeout, [s[3] for s in self.signals]))

    def close(self):
        self.conn.signal_unsubscribe(self.id)


def ensure_user(name, groups=()):
    """A real user for unprivileged callers (root only). Returns (uid, gid)."""
    try:
        pw = pwd.getpwnam(name)
    except KeyError:
        cmd = ["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name]
        if groups:
            cmd += ["--groups", ",".join(groups)]
        subprocess.run(cmd, check=True)
        pw = pwd.getpwnam(name)
    for g in groups:
        members = grp.getgrnam(g).gr_mem
        if name not in members:
            subprocess.run(["usermod", "-a", "-G", g, name], check=True)
    return pw.pw_uid, pw.pw_gid


def run_as(user, args, env, **kw):
    """Runs args as 'user' (setpriv with the user's groups)."""
    pw = pwd.getpwnam(user)
    cmd = ["setpriv", "--reuid", str(pw.pw_uid), "--regid", str(pw.pw_gid), "--init-groups", "--"] + args
    return subprocess.run(cmd, env=env, **kw)


HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "client-helper.py")


def spawn_helper(bus, *args, user=None):
    """Starts tests/integration/client-helper.py (a separate client process); returns (Popen, first line)."""
    cmd = ["/usr/bin/python3", HELPER] + list(args)
    if user:
        pw = pwd.getpwnam(user)
        cmd = ["setpriv", "--reuid", str(pw.pw_uid), "--regid", str(pw.pw_gid), "--init-groups", "--"] + cmd
    p = subprocess.Popen(cmd, env=bus.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline().strip()
    if not line:
        err = p.stderr.read()
        p.wait()
        raise RuntimeError("helper failed: " + err)
    return p, line


class ImapidTestCase(unittest.TestCase):
    """A fresh dev bus per test. Subclasses may set MEDIUM, SPEED, CONFIG, POLKIT."""
    MEDIUM = "cd-r"
    SPEED = 0
    CONFIG = ""
    POLKIT = True

    def setUp(self):
        self.bus = DevBus(self.MEDIUM, self.SPEED, self.CONFIG, self.POLKIT)
        try:
            self.bus.start()
        except subprocess.CalledProcessError:
            self.bus.cleanup()
            raise
        self.c = Client(self.bus.connect())

    def tearDown(self):
        self.bus.stop()
        outcome = getattr(self, "_outcome", None)
        failed = outcome is not None and any(
            e for _, e in getattr(outcome, "errors", []) if e) if hasattr(outcome, "errors") else False
        if failed or os.environ.get("IMAPID_TEST_KEEP_LOG"):
            sys.stderr.write("--- imapid.log ---\n" + self.bus.daemon_log()[-20000:] + "\n")
        self.bus.cleanup()

    def assertDBusError(self, name, func, *args, **kw):
        """Asserts func raises the named D-Bus error; returns its message."""
        with self.assertRaises(GLib.Error) as cm:
            func(*args, **kw)
        got = error_name(cm.exception)
        full = name if "." in name else ERROR + name
        self.assertEqual(got, full, cm.exception.message)
        Gio.DBusError.strip_remote_error(cm.exception)
        return cm.exception.message


class TapResult(unittest.TextTestResult):
    pass


def main():
    """TAP output for meson: 'ok N - name' per case; a case name argument runs just that case."""
    module = sys.modules["__main__"]
    loader = unittest.TestLoader()
    if len(sys.argv) > 1:
        suite = unittest.TestSuite()
        for name in sys.argv[1:]:
            suite.addTests(loader.loadTestsFromName(name, module))
    else:
        suite = loader.loadTestsFromModule(module)
    tests = list(_flatten(suite))
    print("1..%d" % len(tests), flush=True)
    failed = 0
    for i, t in enumerate(tests, 1):
        result = unittest.TestResult()
        start = time.monotonic()
        t.run(result)
        took = time.monotonic() - start
        problems = result.errors + result.failures
        if result.skipped:
            print("ok %d - %s # SKIP %s" % (i, t.id(), result.skipped[0][1]), flush=True)
        elif problems:
            failed += 1
            print("not ok %d - %s" % (i, t.id()), flush=True)
            for _, tb in problems:
                for line in tb.splitlines():
                    print("# " + line)
        else:
            print("ok %d - %s # %.1fs" % (i, t.id(), took), flush=True)
    sys.exit(1 if failed else 0)


def _flatten(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from _flatten(t)
        else:
            yield t


def open_tree(root, prefix=""):
    """(relative path, fd) for every entry below root, opened as a client does: files O_RDONLY, directories
    O_DIRECTORY, symlinks O_PATH|O_NOFOLLOW. The caller closes the fds."""
    entries = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        rel_dir = os.path.relpath(dirpath, root)
        for name in sorted(dirnames) + sorted(filenames):
            full = os.path.join(dirpath, name)
            rel = os.path.normpath(os.path.join(prefix, rel_dir, name)) if rel_dir != "." else os.path.join(prefix, name) if prefix else name
            if os.path.islink(full):
                fd = os.open(full, os.O_PATH | os.O_NOFOLLOW)
            elif os.path.isdir(full):
                fd = os.open(full, os.O_RDONLY | os.O_DIRECTORY)
            else:
                fd = os.open(full, os.O_RDONLY)
            entries.append((rel, fd))
    return entries


def add_data(client, dm, entries, options=None, batch=16):
    """JolietDiscMaster.AddData in batches (a system bus carries at most 16 fds in one message: more and
    dbus-daemon drops the connection); fds are closed afterwards."""
    try:
        for i in range(0, len(entries), batch):
            chunk = entries[i:i + batch]
            client.dm(dm, "AddData", "a(sh)a{sv}", [[(p, j) for j, (p, _) in enumerate(chunk)], options or {}],
                      iface="JolietDiscMaster", fds=[fd for _, fd in chunk])
    finally:
        for _, fd in entries:
            os.close(fd)


def bytes_variant(data):
    """An 'ay' GLib.Variant built in one go (GLib.Variant("ay", ...) goes byte by byte)."""
    return GLib.Variant.new_from_bytes(GLib.VariantType.new("ay"), GLib.Bytes.new(data), True)


def run_script(bus, calls, user=None, interactive=False, timeout=60):
    """Runs client-helper.py script (as 'user' when given); returns one (status, text) per call, where status
    is "ok" or the D-Bus error name."""
    cmd = ["/usr/bin/python3", HELPER, "script", json.dumps(calls)] + (["--interactive"] if interactive else [])
    if user:
        pw = pwd.getpwnam(user)
        cmd = ["setpriv", "--reuid", str(pw.pw_uid), "--regid", str(pw.pw_gid), "--init-groups", "--"] + cmd
    p = subprocess.run(cmd, env=bus.env(), capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError("client-helper failed: " + p.stderr)
    return [tuple(line.split(" ", 1)) if " " in line else (line, "") for line in p.stdout.splitlines()]


def make_tree(root, files=((("a.txt"), b"hello\n"),), dirs=()):
    os.makedirs(root, exist_ok=True)
    for d in dirs:
        os.makedirs(os.path.join(root, d), exist_ok=True)
    for name, data in files:
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    return root


class Burn:
    """Runs RecordDisc on a disc master and collects its signals until BurnComplete."""

    def __init__(self, client, dm):
        self.client, self.dm = client, dm
        self.sig = SignalRecorder(client.conn, IFACE + "DiscMaster", None, dm)
        self.props = SignalRecorder(client.conn, "org.freedesktop.DBus.Properties", "PropertiesChanged", dm)

    def start(self, simulate=False, eject=False, **options):
        opts = {}
        for k, v in options.items():
            key = k.replace("_", "-")
            opts[key] = GLib.Variant("b", v) if isinstance(v, bool) else GLib.Variant("u", v)
        self.client.dm(self.dm, "RecordDisc", "bba{sv}", [simulate, eject, opts])
        return self

    def wait(self, timeout=120):
        s = self.sig.wait_for("BurnComplete", timeout)
        self.error, self.message = s[4]
        return self.error, self.message

    def signals(self, member):
        return [s for s in self.sig.signals if s[3] == member]


def open_image(client, recorder, path):
    """VirtualRecorder.OpenImage into a file; returns the cue sheet."""
    (_, cue), fds = client.call_fds(recorder, IFACE + "VirtualRecorder", "OpenImage", "a{sv}", [{}], "hs")
    with os.fdopen(fds[0], "rb") as src, open(path, "wb") as dst:
        while True:
            b = src.read(1 << 20)
            if not b:
                break
            dst.write(b)
    return cue


def xorriso_compare(image, src):
    """xorriso -compare_r of every top-level entry of src with the same path on the image: True when all
    match. (The disc's root directory is the daemon's, with the burn's time: not compared.)"""
    cmd = ["xorriso", "-indev", image]
    for name in sorted(os.listdir(src)):
        cmd += ["-compare_r", os.path.join(src, name), "/" + name]
    p = subprocess.run(cmd, capture_output=True, text=True)
    out = p.stdout + p.stderr
    return p.returncode == 0 and out.count("Both file objects match as far as expectable") == len(os.listdir(src)), \
        out
