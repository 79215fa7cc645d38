#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A separate client process for tests: does something on the bus, prints a line, then waits to be killed.

  client-helper.py hold RECORDER_PATH NAME   opens a disc master called NAME, takes the recorder, prints
                                             the disc master's path, sleeps
  client-helper.py open NAME                 opens a disc master, prints its path, sleeps
  client-helper.py call ...                  (see below) one call, prints "ok" or the error name
"""
import os
import sys
import time

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

BUS = "org.freedesktop.IMAPI1"
ROOT = "/org/freedesktop/IMAPI1"


def main():
    conn = Gio.bus_get_sync(Gio.BusType.SYSTEM, None)
    what = sys.argv[1]
    if what in ("hold", "open"):
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
    elif what == "call":
        # call PATH IFACE METHOD SIGNATURE JSON-ARGS
        import json
        path, iface, method, sig, args = sys.argv[2:7]
        try:
            params = GLib.Variant("(%s)" % sig, tuple(json.loads(args))) if sig else None
            conn.call_sync(BUS, path, iface, method, params, None, 0, -1, None)
            print("ok", flush=True)
        except GLib.Error as e:
            print(Gio.DBusError.get_remote_error(e) or e.message, flush=True)
            print(Gio.DBusError.strip_remote_error(e) or e.message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
