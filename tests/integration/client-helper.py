#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A separate client process for tests (often run as another user with setpriv).

  client-helper.py hold RECORDER_PATH NAME   opens a disc master called NAME, takes the recorder, prints
                                             the disc master's path, then sleeps until killed
  client-helper.py open NAME                 opens a disc master, prints its path, sleeps
  client-helper.py script JSON [--interactive]
        runs calls on one connection: JSON is a list of [path, interface, method, signature, args]; "$dm"
        in a path or argument stands for the disc master the last Open returned; a{sv} values are written
        [signature, value]; "$fd:PATH" opens PATH read-only (as this process's user) and passes the fd.
        Prints one line per call: "ok JSON-REPLY" or "ERROR-NAME MESSAGE". --interactive sets
        ALLOW_INTERACTIVE_AUTHORIZATION.
"""
import json
import os
import sys
import time

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

BUS = "org.freedesktop.IMAPI1"
ROOT = "/org/freedesktop/IMAPI1"


def to_variant_args(sig, args, dm, fdlist):
    """Turns JSON arguments into the values GLib.Variant takes for the tuple signature."""
    out = []
    types = GLib.VariantType.new("(%s)" % sig).first()
    for a in args:
        t = types.dup_string()
        out.append(convert(t, a, dm, fdlist))
        types = types.next()
    return tuple(out)


def convert(t, a, dm, fdlist):
    if isinstance(a, str) and a == "$dm":
        return dm
    if t == "h":
        if isinstance(a, str) and a.startswith("$fd:"):
            fd = os.open(a[4:], os.O_RDONLY)
            idx = fdlist.append(fd)
            os.close(fd)
            return idx
        return a
    if t == "a{sv}":
        return {k: GLib.Variant(v[0], convert(v[0], v[1], dm, fdlist)) for k, v in a.items()}
    if t.startswith("a("):
        inner = t[2:-1]
        return [tuple(convert(inner[i], x, dm, fdlist) for i, x in enumerate(e)) for e in a]
    return a


def script(calls, interactive):
    conn = Gio.bus_get_sync(Gio.BusType.SYSTEM, None)
    flags = Gio.DBusCallFlags.ALLOW_INTERACTIVE_AUTHORIZATION if interactive else Gio.DBusCallFlags.NONE
    dm = None
    for path, iface, method, sig, args in calls:
        path = dm if path == "$dm" else path
        fdlist = Gio.UnixFDList.new()
        try:
            params = GLib.Variant("(%s)" % sig, to_variant_args(sig, args, dm, fdlist)) if sig else None
            r, _ = conn.call_with_unix_fd_list_sync(BUS, path, iface, method, params, None, flags, 60000,
                                                    fdlist, None)
            value = r.unpack() if r is not None else ()
            if method == "Open":
                dm = value[0]
            print("ok " + json.dumps(value, default=str), flush=True)
        except GLib.Error as e:
            name = Gio.DBusError.get_remote_error(e) or "local"
            Gio.DBusError.strip_remote_error(e)
            print("%s %s" % (name, e.message), flush=True)


def burn(recorder, folder):
    """Opens a disc master, stages folder's files, starts a burn on recorder, prints the path, sleeps."""
    conn = Gio.bus_get_sync(Gio.BusType.SYSTEM, None)
    dm = conn.call_sync(BUS, ROOT, "org.freedesktop.IMAPI1.Manager", "Open", GLib.Variant("(a{sv})", ({},)),
                        GLib.VariantType.new("(o)"), 0, -1, None).unpack()[0]
    call = lambda iface, method, sig, args, fds=None: conn.call_with_unix_fd_list_sync(
        BUS, dm, "org.freedesktop.IMAPI1." + iface, method, GLib.Variant("(%s)" % sig, args) if sig else None,
        None, 0, -1, fds, None)
    call("DiscMaster", "SetActiveFormat", "s", ("joliet",))
    call("DiscMaster", "SetActiveRecorder", "o", (recorder,))
    fdlist, entries = Gio.UnixFDList.new(), []
    for name in sorted(os.listdir(folder)):
        fd = os.open(os.path.join(folder, name), os.O_RDONLY)
        entries.append((name, fdlist.append(fd)))
        os.close(fd)
    call("JolietDiscMaster", "AddData", "a(sh)a{sv}", (entries, {}), fdlist)
    call("DiscMaster", "RecordDisc", "bba{sv}", (False, False, {}))
    print(dm, flush=True)
    while True:
        time.sleep(3600)


def main():
    what = sys.argv[1]
    if what in ("hold", "open"):
        conn = Gio.bus_get_sync(Gio.BusType.SYSTEM, None)
        name = sys.argv[3] if what == "hold" else sys.argv[2]
        dm = conn.call_sync(BUS, ROOT, "org.freedesktop.IMAPI1.Manager", "Open",
                            GLib.Variant("(a{sv})", ({"client-name": GLib.Variant("s", name)},)),
                            GLib.VariantType.new("(o)"), 0, -1, None).unpack()[0]
        if what == "hold":
            conn.call_sync(BUS, dm, "org.freedesktop.IMAPI1.DiscMaster", "SetActiveRecorder",
                           GLib.Variant("(o)", (sys.argv[2],)), None, 0, -1, None)
        print(dm, flush=True)
        while True:
            time.sleep(3600)
    elif what == "burn":
        burn(sys.argv[2], sys.argv[3])
    elif what == "script":
        script(json.loads(sys.argv[2]), "--interactive" in sys.argv[3:])


if __name__ == "__main__":
    main()
