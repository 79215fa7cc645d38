#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# Burns the files of a folder with imapid, straight on D-Bus (org.freedesktop.IMAPI1(5)):
#     burn-folder.py FOLDER RECORDER-OBJECT-PATH
import os
import sys

from gi.repository import Gio, GLib

folder, recorder = sys.argv[1:3]
bus = Gio.bus_get_sync(Gio.BusType.SYSTEM)


def call(path, interface, method, signature=None, args=(), fds=()):
    fd_list = Gio.UnixFDList.new()
    for fd in fds:
        fd_list.append(fd)  # (a copy: the caller closes its own)
    reply, _ = bus.call_with_unix_fd_list_sync(
        "org.freedesktop.IMAPI1", path, "org.freedesktop.IMAPI1." + interface, method,
        GLib.Variant(signature, args) if signature else None, None,
        Gio.DBusCallFlags.ALLOW_INTERACTIVE_AUTHORIZATION, -1, fd_list)
    return reply.unpack()


# A disc master lives as long as this connection (or until Close()).
dm, = call("/org/freedesktop/IMAPI1", "Manager", "Open", "(a{sv})",
           ({"client-name": GLib.Variant("s", "burn-folder.py")},))
call(dm, "DiscMaster", "SetActiveFormat", "(s)", ("joliet",))
call(dm, "DiscMaster", "SetActiveRecorder", "(o)", (recorder,))

# Content goes as descriptors opened here, with this user's rights; a
# system bus message carries at most 16 of them.
names = sorted(n for n in os.listdir(folder) if os.path.isfile(os.path.join(folder, n)))
for i in range(0, len(names), 16):
    batch = names[i:i + 16]
    fds = [os.open(os.path.join(folder, name), os.O_RDONLY) for name in batch]
    call(dm, "JolietDiscMaster", "AddData", "(a(sh)a{sv})",
         ([(name, j) for j, name in enumerate(batch)], {}), fds)
    for fd in fds:
        os.close(fd)

loop, result = GLib.MainLoop(), []


def on_signal(connection, sender, path, interface, member, parameters):
    print(member, *parameters.unpack())
    if member == "BurnComplete":
        result.extend(parameters.unpack())
        loop.quit()


bus.signal_subscribe("org.freedesktop.IMAPI1", "org.freedesktop.IMAPI1.DiscMaster", None, dm, None,
                     Gio.DBusSignalFlags.NONE, on_signal)
call(dm, "DiscMaster", "RecordDisc", "(bba{sv})",
     (False, False, {"close-disc": GLib.Variant("b", True)}))
loop.run()
call(dm, "DiscMaster", "Close")
sys.exit("Burn failed: %s: %s" % tuple(result) if result[0] else 0)
