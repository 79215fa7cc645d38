#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""D-Bus fuzz test of the real daemon (tools/dev-bus, real polkitd when root): introspects every object kind
(the manager, a recorder, a disc master) and calls every method of every interface — and Properties
Get/Set/GetAll — with random and malformed arguments of the right and of wrong signatures, fds of every
type (pipes and their closed ends, sockets, directories, /dev/null, /dev/zero, O_PATH fds of files and
symlinks, a huge sparse file, write-only files, eventfds, memfds), wrong object paths and interfaces; as
root and, at the same time, as a second user (setpriv). Bounded by a seed, a call count and a time budget.

Passes when every call got an answer — a success or a named error (org.freedesktop.IMAPI1.Error.* or a
standard org.freedesktop.DBus.Error.*, never NoReply or a timeout) — the daemon still serves at the end (the
same process), and its open fds and RSS came back near where they started.

    dbus-fuzz.py [--seed N] [--calls N] [--seconds S]       (env IMAPID_DBUS_FUZZ_SEED/_SECONDS/_CALLS;
                                                             IMAPID_DBUS_FUZZ_TRACE=1 logs every call)
    dbus-fuzz.py --worker ADDRESS SEED CALLS SECONDS DIR    (internal: the second user's client)
"""
import argparse
import collections
import json
import os
import random
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from imapid_test import BUS_NAME, IS_ROOT, ROOT, VIRTUAL0, DevBus, Gio, GLib, ensure_user  # noqa: E402

USER = "imapid-fuzz"
IMAPI = "org.freedesktop.IMAPI1."
BAD_ERRORS = {"org.freedesktop.DBus.Error.NoReply", "org.freedesktop.DBus.Error.Timeout",
              "org.freedesktop.DBus.Error.TimedOut", "org.freedesktop.DBus.Error.Disconnected",
              "org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner"}
CALL_TIMEOUT_MS = 25000
MAX_FDS = int(os.environ.get("IMAPID_DBUS_FUZZ_MAX_FDS", "16"))  # the system bus's max_message_unix_fds
CONFIG = """[Daemon]
PolkitTimeoutSec=10
[Limits]
StashMiBPerUser=64
VirtualRecorders=3
DiscMastersPerUser=8
"""

STRINGS = ["", "joliet", "redbook", "image", "iso9660", "joliet", "rockridge", "cd-r", "cd-rw", "dvd+rw",
           "dvd-r", "bd-re", "floppy", "virtual0", "a", "a/b", "dir/file.txt", "../up", "./x", "a//b", "/abs",
           "/etc/shadow", "x" * 300, "é" * 200, "\x01ctl", "tab\there", "~1", "CON", "a" * 5000, "x\u202ey",
           "USABC1234567", "1234567890128", "US-ABC-12-34567", "Title", "\U0001F4BF", "VolumeName",
           "sense@lba=10:3/0C/00", "remove@lba=20", "slow=5", "sense@op=2a:2/3A/00", "garbage@", "=,=,="]
PATH_SUFFIXES = ["", "/DiscMaster/0", "/DiscMaster/99999", "/DiscMaster/x", "/Recorder/nope",
                 "/Recorder/virtual_5fnope", "/Recorder"]
OTHER_PATHS = ["/", "/org", "/org/freedesktop/DBus", "/org/freedesktop/IMAPI1x"]
OPTION_KEYS = ["overwrite", "mangle-names", "client-name", "medium", "profiles", "speed", "persistent", "faults",
               "raw", "close-disc", "verify", "write-speed", "VolumeName", "PlaceBootImageOnDisc", "BootImage",
               "BootImageManufacturerIDString", "BootImagePlatform", "BootImageEmulationType", "FileSystems",
               "StageFiles", "FreeMediaBlocks", "AudioGapSize", "title", "performer", "isrc", "mcn", "track",
               "WriteSpeed", "full", "eject", "", "x" * 100]
VARIANT_SIGS = ["b", "y", "u", "i", "t", "x", "d", "s", "o", "h", "as", "ay", "a{sv}", "(su)", "v"]
INTS = {"y": (0, 255), "n": (-32768, 32767), "q": (0, 65535), "i": (-2 ** 31, 2 ** 31 - 1), "u": (0, 2 ** 32 - 1),
        "x": (-2 ** 63, 2 ** 63 - 1), "t": (0, 2 ** 64 - 1)}


def split_signature(sig):
    """The complete types of a signature: "sa{sv}h" → ["s", "a{sv}", "h"]."""
    out, i = [], 0
    while i < len(sig):
        j = i
        while sig[j] == "a":
            j += 1
        if sig[j] in "({":
            depth, k = 0, j
            while True:
                depth += sig[k] in "({"
                depth -= sig[k] in ")}"
                k += 1
                if depth == 0:
                    break
            j = k
        else:
            j += 1
        out.append(sig[i:j])
        i = j
    return out


class FdPool:
    """Every kind of fd a client could pass, made once; each call's list dups from here."""

    def __init__(self, directory):
        self.fds = {}
        d = os.path.join(directory, "fds")
        os.makedirs(d, exist_ok=True)
        os.chmod(directory, 0o755)
        os.chmod(d, 0o755)
        small = os.path.join(d, "small.txt")
        with open(small, "wb") as f:
            f.write(b"imapid fuzz\n" * 100)
        iso = os.path.join(d, "tiny.iso")
        with open(iso, "wb") as f:
            f.write(b"\0" * 16 * 2048 + b"\x01CD001\x01" + b"\0" * 2041 + b"\xffCD001\x01" + b"\0" * 2041)
        pcm = os.path.join(d, "pcm.raw")
        with open(pcm, "wb") as f:
            f.write(bytes(range(256)) * (2352 * 4 // 256 + 1))
        sparse = os.path.join(d, "sparse.img")
        with open(sparse, "wb") as f:
            f.truncate(64 << 30)  # 64 GiB of holes
        open(os.path.join(d, "empty"), "wb").close()
        for name in os.listdir(d):
            os.chmod(os.path.join(d, name), 0o644)
        if not os.path.lexists(os.path.join(d, "link-shadow")):
            os.symlink("/etc/shadow", os.path.join(d, "link-shadow"))
            os.symlink("..", os.path.join(d, "link-dir"))
        r, w = os.pipe()
        self.fds["pipe-read"], self.fds["pipe-write"] = r, w
        r2, w2 = os.pipe()
        os.close(w2)
        self.fds["pipe-read-eof"] = r2
        r3, w3 = os.pipe()
        os.close(r3)
        self.fds["pipe-write-broken"] = w3
        a, b = socket.socketpair()
        self.fds["socket"] = a.detach()
        self.keep = b
        self.fds["directory"] = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
        self.fds["dev-null"] = os.open("/dev/null", os.O_RDWR)
        self.fds["dev-zero"] = os.open("/dev/zero", os.O_RDONLY)
        self.fds["file"] = os.open(small, os.O_RDONLY)
        self.fds["file-wronly"] = os.open(small, os.O_WRONLY)
        self.fds["file-opath"] = os.open(small, os.O_PATH)
        self.fds["empty"] = os.open(os.path.join(d, "empty"), os.O_RDONLY)
        self.fds["iso"] = os.open(iso, os.O_RDONLY)
        self.fds["pcm"] = os.open(pcm, os.O_RDONLY)
        self.fds["sparse-64g"] = os.open(sparse, os.O_RDONLY)
        self.fds["symlink-shadow"] = os.open(os.path.join(d, "link-shadow"), os.O_PATH | os.O_NOFOLLOW)
        self.fds["symlink-dir"] = os.open(os.path.join(d, "link-dir"), os.O_PATH | os.O_NOFOLLOW)
        self.fds["eventfd"] = os.eventfd(0)
        self.fds["memfd"] = os.memfd_create("fuzz")
        os.write(self.fds["memfd"], b"\0" * 4096)
        self.names = sorted(self.fds)


class Fuzzer:
    def __init__(self, conn, rng, pool, label):
        self.conn, self.rng, self.pool, self.label = conn, rng, pool, label
        self.disc_masters, self.recorders = [], [VIRTUAL0]
        self.calls, self.stats, self.bad, self.local = 0, collections.Counter(), [], collections.Counter()
        self.fdlist, self.method = None, None

    # -- values --------------------------------------------------------------------------------------------

    def path(self):
        r = self.rng.random()
        if r < 0.35 and self.disc_masters:
            return self.rng.choice(self.disc_masters)
        if r < 0.6:
            return self.rng.choice(self.recorders)
        if r < 0.8:
            return ROOT
        if r < 0.93:
            return ROOT + self.rng.choice(PATH_SUFFIXES)
        return self.rng.choice(OTHER_PATHS)

    def path_for(self, iface):
        """Mostly an object that has the interface, so that calls get past the object dispatch."""
        if iface == IMAPI + "Manager":
            return ROOT
        if iface in (IMAPI + "Recorder", IMAPI + "VirtualRecorder"):
            return self.rng.choice(self.recorders)
        if iface.startswith(IMAPI) and self.disc_masters:
            return self.rng.choice(self.disc_masters)
        return self.path()

    def fd_index(self):
        # (An index past the fd list is not tried, nor more than MAX_FDS fds in a message:
        # the client would be dropped before imapid sees the call.)
        n = self.fdlist.get_length()
        if n >= MAX_FDS:
            return self.rng.randrange(n)
        names = self.pool.names
        if self.method == "AddAudioTrackBlocksFromFd":
            # Read to EOF: a pipe, socket or eventfd this client keeps open and silent never ends, and the
            # call rightly waits for the client (imapid serves everyone else meanwhile).
            names = [n for n in names if n not in ("pipe-read", "socket", "eventfd")]
        fd = self.pool.fds[self.rng.choice(names)]
        return self.fdlist.append(fd)

    def string(self):
        r = self.rng.random()
        if r < 0.7:
            return self.rng.choice(STRINGS)
        n = self.rng.choice([1, 8, 64, 255, 256, 1025])
        return "".join(self.rng.choice("ab/._- é\u0101~") for _ in range(n))

    def value(self, t):
        c, rng = t[0], self.rng
        if c == "b":
            return rng.random() < 0.5
        if c in INTS:
            lo, hi = INTS[c]
            return rng.choice([0, 1, lo, hi, rng.randint(lo, hi), 2352, 150, 99, 100, 75])  \
                if lo <= 2352 <= hi else rng.choice([0, 1, lo, hi, rng.randint(lo, hi)])
        if c == "d":
            return rng.choice([0.0, -1.0, 1e308, float("nan"), float("inf")])
        if c == "s":
            return self.string()
        if c == "o":
            return self.path()
        if c == "g":
            return rng.choice(["", "s", "a{sv}", "(ii)"])
        if c == "h":
            return self.fd_index()
        if c == "v":
            sig = rng.choice(VARIANT_SIGS[:-1])
            return GLib.Variant(sig, self.value(sig))
        if t == "ay":
            n = rng.choice([0, 1, 2351, 2352, 2353, 2352 * 3, 2352 * 75, rng.randrange(10000)])
            return bytes(rng.getrandbits(8) for _ in range(min(n, 64))) * (n // 64) + b"\0" * (n % 64) \
                if n > 64 else bytes(rng.getrandbits(8) for _ in range(n))
        if t == "a{sv}":
            d = {}
            for _ in range(rng.choice([0, 0, 1, 2, 3, 6])):
                sig = rng.choice(VARIANT_SIGS[:-1])
                d[rng.choice(OPTION_KEYS)] = GLib.Variant(sig, self.value(sig))
            return d
        if c == "a" and t[1] == "{":
            k, v = split_signature(t[2:-1])
            return {self.value(k): self.value(v) for _ in range(rng.choice([0, 1, 3]))}
        if c == "a":
            return [self.value(t[1:]) for _ in range(rng.choice([0, 1, 2, 5, 300 if t[1:] == "(sh)" else 5]))]
        if c == "(":
            return tuple(self.value(x) for x in split_signature(t[1:-1]))
        raise ValueError(t)

    def params(self, sig):
        if sig == "" and self.rng.random() < 0.8:
            return None
        types = split_signature(sig)
        return GLib.Variant("(%s)" % sig, tuple(self.value(t) for t in types))

    def wrong_signature(self, sig):
        choices = ["", "s", "u", "b", "h", "a{sv}", "ss", "o", "(sh)", "a(sh)", "ay", "as", "sa{sv}", "v", "aay"]
        wrong = self.rng.choice(choices)
        if wrong == sig:
            wrong += "u"
        return wrong

    # -- calls ---------------------------------------------------------------------------------------------

    def call(self, path, iface, method, sig):
        self.fdlist = Gio.UnixFDList.new()
        self.method = method
        try:
            params = self.params(sig)
        except (TypeError, OverflowError, ValueError) as e:
            self.local["generator: %s" % e] += 1
            return None
        flags = Gio.DBusCallFlags.ALLOW_INTERACTIVE_AUTHORIZATION if self.rng.random() < 0.2 else 0
        self.calls += 1
        started = time.monotonic()
        if os.environ.get("IMAPID_DBUS_FUZZ_TRACE"):
            sys.stderr.write("%s %s %s.%s %s fds=%d\n" % (self.label, path, iface, method,
                                                        params.print_(True)[:300] if params else "()",
                                                        self.fdlist.get_length()))
        try:
            r, out = self.conn.call_with_unix_fd_list_sync(BUS_NAME, path, iface, method, params, None, flags,
                                                           CALL_TIMEOUT_MS, self.fdlist, None)
            if out:
                for fd in out.steal_fds():
                    os.close(fd)
            self.stats["ok"] += 1
            return r
        except GLib.Error as e:
            name = Gio.DBusError.get_remote_error(e)
            took = time.monotonic() - started
            if not name:
                if e.matches(Gio.io_error_quark(), Gio.IOErrorEnum.TIMED_OUT):
                    name = "timeout"
                else:
                    if os.environ.get("IMAPID_DBUS_FUZZ_TRACE"):
                        sys.stderr.write("  → local error: %s\n" % e.message)
                    self.local[e.message[:80]] += 1
                    self.calls -= 1  # GDBus refused to send it: not a call
                    return None
            self.stats[name] += 1
            if name == "org.freedesktop.DBus.Error.UnknownObject" and path in self.disc_masters:
                self.disc_masters.remove(path)  # closed by an earlier call
            if name in BAD_ERRORS or name == "timeout" or not (
                    name.startswith(IMAPI + "Error.") or name.startswith("org.freedesktop.DBus.Error.")):
                self.bad.append("%s %s.%s(%s) on %s → %s after %.1fs: %s" % (
                    self.label, iface, method, sig, path, name, took, e.message[:200]))
            return None

    def track(self, method, r):
        """Remembers the objects the calls made, so that later calls reach them."""
        if r is None:
            return
        if method == "Open":
            self.disc_masters.append(r.unpack()[0])
        elif method == "CreateVirtualRecorder":
            self.recorders.append(r.unpack()[0])

    def prepare(self):
        """Now and then a disc master in a useful state (a format, the recorder, some content), so that the
        random calls also reach staged content, burns and erases."""
        r = self.call(ROOT, IMAPI + "Manager", "Open", "a{sv}")
        if r is None:
            return
        dm = r.unpack()[0]
        self.disc_masters.append(dm)
        fmt = self.rng.choice(["joliet", "redbook", "image"])
        self.conn.call_sync(BUS_NAME, dm, IMAPI + "DiscMaster", "SetActiveFormat", GLib.Variant("(s)", (fmt,)),
                            None, 0, CALL_TIMEOUT_MS, None)
        self.call(dm, IMAPI + "DiscMaster", "SetActiveRecorder", "o")
        if fmt == "joliet":
            self.call(dm, IMAPI + "JolietDiscMaster", "AddData", "a(sh)a{sv}")
        elif fmt == "redbook":
            self.call(dm, IMAPI + "RedbookDiscMaster", "CreateAudioTrack", "u")
            self.call(dm, IMAPI + "RedbookDiscMaster", "AddAudioTrackBlocks", "ay")
        else:
            self.call(dm, IMAPI + "ImageDiscMaster", "SetImage", "ha{sv}")

    def one(self, interfaces):
        rng = self.rng
        if rng.random() < 0.03:
            self.prepare()
            return
        iface, members = rng.choice(interfaces)
        method, sig = rng.choice(members)
        r = rng.random()
        path = self.path_for(iface) if rng.random() < 0.75 else self.path()
        if r < 0.7:
            pass  # the right signature on some object
        elif r < 0.85:
            sig = self.wrong_signature(sig)
        elif r < 0.93:
            iface = rng.choice([iface + "x", IMAPI + "Nope", "org.freedesktop.DBus.Properties", iface])
        else:
            method = rng.choice([method + "x", "Close", "Open", "AddData", ""]) or "X"
        self.track(method, self.call(path, iface, method, sig))

    def run(self, interfaces, calls, seconds):
        deadline = time.monotonic() + seconds
        while self.calls < calls and time.monotonic() < deadline:
            self.one(interfaces)
            if len(self.disc_masters) > 12:
                self.disc_masters = self.disc_masters[-6:]


def introspect(conn, path):
    r = conn.call_sync(BUS_NAME, path, "org.freedesktop.DBus.Introspectable", "Introspect", None,
                       GLib.VariantType.new("(s)"), 0, 10000, None)
    return Gio.DBusNodeInfo.new_for_xml(r.unpack()[0])


def interfaces_of(conn, paths):
    """[(interface, [(method, in-signature)])] of every object kind, properties as Get/Set/GetAll calls."""
    found = {}
    for path in paths:
        for i in introspect(conn, path).interfaces:
            methods = [(m.name, "".join(a.signature for a in m.in_args)) for m in i.methods]
            found.setdefault(i.name, methods)
    props = found.get("org.freedesktop.DBus.Properties", [("Get", "ss"), ("Set", "ssv"), ("GetAll", "s")])
    found["org.freedesktop.DBus.Properties"] = props
    return sorted(found.items())


def worker(address, seed, calls, seconds, directory):
    conn = Gio.DBusConnection.new_for_address_sync(
        address, Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
        None, None)
    pool = FdPool(directory)
    f = Fuzzer(conn, random.Random(seed), pool, "uid %d" % os.getuid())
    dm = conn.call_sync(BUS_NAME, ROOT, IMAPI + "Manager", "Open", GLib.Variant("(a{sv})", ({},)), None, 0,
                        10000, None).unpack()[0]
    f.disc_masters.append(dm)
    with open(os.path.join(directory, "..", "interfaces.json")) as i:
        interfaces = [(name, [tuple(m) for m in members]) for name, members in json.load(i)]
    f.run(interfaces, calls, seconds)
    print(json.dumps({"calls": f.calls, "stats": f.stats, "bad": f.bad[:50], "local": f.local}), flush=True)


def daemon_usage(pid):
    fds = len(os.listdir("/proc/%d/fd" % pid))
    with open("/proc/%d/status" % pid) as s:
        rss = next(int(line.split()[1]) for line in s if line.startswith("VmRSS:"))
    return fds, rss


def daemon_alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def serves(conn):
    """The daemon answers and can still do its job: Ping, the manager's properties, a disc master."""
    conn.call_sync(BUS_NAME, ROOT, "org.freedesktop.DBus.Peer", "Ping", None, None, 0, 10000, None)
    conn.call_sync(BUS_NAME, ROOT, "org.freedesktop.DBus.Properties", "GetAll",
                   GLib.Variant("(s)", (IMAPI + "Manager",)), None, 0, 10000, None)
    dm = conn.call_sync(BUS_NAME, ROOT, IMAPI + "Manager", "Open", GLib.Variant("(a{sv})", ({},)), None, 0,
                        10000, None).unpack()[0]
    conn.call_sync(BUS_NAME, dm, IMAPI + "DiscMaster", "SetActiveFormat", GLib.Variant("(s)", ("joliet",)), None,
                   0, 10000, None)
    conn.call_sync(BUS_NAME, dm, IMAPI + "DiscMaster", "Close", None, None, 0, 10000, None)


def remove_extra_recorders(conn):
    recorders = conn.call_sync(BUS_NAME, ROOT, "org.freedesktop.DBus.Properties", "Get",
                               GLib.Variant("(ss)", (IMAPI + "Manager", "Recorders")), None, 0, 10000,
                               None).unpack()[0]
    for r in recorders:
        if r != VIRTUAL0 and "/virtual_" in r:
            try:
                conn.call_sync(BUS_NAME, ROOT, IMAPI + "Manager", "RemoveVirtualRecorder",
                               GLib.Variant("(oa{sv})", (r, {})), None, 0, 30000, None)
            except GLib.Error:
                pass  # held by a disc master that is closing: counted in the fd slack


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=int(os.environ.get("IMAPID_DBUS_FUZZ_SEED", "1")))
    ap.add_argument("--calls", type=int, default=int(os.environ.get("IMAPID_DBUS_FUZZ_CALLS", "30000")))
    ap.add_argument("--seconds", type=float, default=float(os.environ.get("IMAPID_DBUS_FUZZ_SECONDS", "50")))
    ap.add_argument("--worker", nargs=5)
    args = ap.parse_args()
    if args.worker:
        address, seed, calls, seconds, directory = args.worker
        worker(address, int(seed), int(calls), float(seconds), directory)
        return 0

    bus = DevBus(config=CONFIG)
    bus.start()
    try:
        return fuzz(bus, args)
    finally:
        bus.stop()
        log = bus.daemon_log()
        if "AddressSanitizer" in log or "runtime error" in log:
            print(log[-20000:])
        bus.cleanup()


def fuzz(bus, args):
    conn = bus.connect()
    pid = int(open(os.path.join(bus.dir, "imapid.pid")).read())
    print("dbus-fuzz: seed %d, at most %d calls in %.0f s, imapid pid %d" % (args.seed, args.calls, args.seconds,
                                                                           pid), flush=True)
    pool = FdPool(bus.dir)
    fz_conn = bus.connect()
    f = Fuzzer(fz_conn, random.Random(args.seed), pool, "root")
    dm = fz_conn.call_sync(BUS_NAME, ROOT, IMAPI + "Manager", "Open", GLib.Variant("(a{sv})", ({},)), None, 0,
                           10000, None).unpack()[0]
    f.disc_masters.append(dm)
    interfaces = interfaces_of(fz_conn, [ROOT, VIRTUAL0, dm])
    print("dbus-fuzz: %d interfaces, %d methods" % (len(interfaces), sum(len(m) for _, m in interfaces)))
    f.run(interfaces, 200, args.seconds)  # warm up: the first disc masters, caches, polkit
    fds_start, rss_start = daemon_usage(pid)

    helper = None
    if IS_ROOT:
        ensure_user(USER)
        wdir = os.path.join(bus.dir, "worker")
        os.makedirs(wdir)
        with open(os.path.join(bus.dir, "interfaces.json"), "w") as i:
            json.dump(interfaces, i)
        os.chmod(os.path.join(bus.dir, "interfaces.json"), 0o644)
        os.chown(wdir, *ensure_user(USER))
        helper = subprocess.Popen(["setpriv", "--reuid", USER, "--regid", USER, "--init-groups", "--",
                                   "/usr/bin/python3", os.path.abspath(__file__), "--worker", bus.address,
                                   str(args.seed + 1), str(args.calls // 3), str(args.seconds * 0.9), wdir],
                                  stdout=subprocess.PIPE, text=True)
    started = time.monotonic()
    f.run(interfaces, args.calls, args.seconds)
    other = {"calls": 0, "stats": {}, "bad": [], "local": {}}
    if helper:
        out, _ = helper.communicate(timeout=args.seconds + 120)
        if helper.returncode != 0 or not out:
            print("dbus-fuzz: the second user's client failed (rc %s)" % helper.returncode)
            return 1
        other = json.loads(out.splitlines()[-1])
    took = time.monotonic() - started

    stats = collections.Counter(f.stats) + collections.Counter(other["stats"])
    total = f.calls + other["calls"]
    print("dbus-fuzz: %d calls (%d as root, %d as uid of %s) in %.1f s" % (total, f.calls, other["calls"], USER,
                                                                           took))
    for name, n in stats.most_common():
        print("  %6d %s" % (n, name))
    for what, n in (collections.Counter(f.local) + collections.Counter(other["local"])).most_common(5):
        print("  (not sent: %d × %s)" % (n, what))
    failures = f.bad + other["bad"]
    for b in failures[:30]:
        print("BAD: " + b)

    # Still the same process, and serving.
    if not daemon_alive(pid):
        print("dbus-fuzz: imapid died\n" + bus.daemon_log()[-5000:])
        return 1
    fz_conn.close_sync(None)  # its disc masters close with it
    serves(conn)
    remove_extra_recorders(conn)
    deadline = time.monotonic() + 20
    while True:
        fds_end, rss_end = daemon_usage(pid)
        if fds_end <= fds_start + 8 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    print("dbus-fuzz: imapid fds %d → %d, RSS %d → %d KiB" % (fds_start, fds_end, rss_start, rss_end))
    ok = not failures and daemon_alive(pid) and fds_end <= fds_start + 8 and rss_end <= rss_start + 128 * 1024
    ok = ok and total >= min(args.calls, 1000)
    print("dbus-fuzz: %s" % ("ok" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
