/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* imapid-emu-bridge: emulated drives behind umockdev /dev/srN, driven by a test over stdin/stdout.
 *
 *   umockdev-wrapper imapid-emu-bridge [--trace]
 *
 * Prints "ready $UMOCKDEV_DIR", then answers one line per command with "ok [VALUES]" or "error TEXT"; words
 * are separated by spaces and %-escaped:
 *   add N [profiles=cd-r,dvd+r] [medium=cd-r] [speed=X] [vendor=V] [product=P] [revision=R] [serial=S]
 *         [path=ID_PATH] [max_kb=K] [sg=0|1]      a drive /dev/srN (and /dev/sgN), udev "add"
 *   remove N | change N                            udev "remove" (the drive answers ENODEV) / "change"
 *   load N PROFILE | eject N | speed N X | faults N SPEC
 *   image N PATH [CUE]                             what the disc holds
 *   opens N                                        -> "ok FDS_ON_SRN FDS_ON_SGN"
 *   timeout N OPCODE | maxxfer N OPCODE | count N OPCODE   (OPCODE in hex) -> "ok VALUE"
 *   stats N                                        -> "ok underruns=U blocks=B commands=C"
 *   trace on|off | quit
 * Tools and the daemon started with this $UMOCKDEV_DIR under umockdev-wrapper see the drives. The bridge
 * exits at end of input. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "emu-bridge.h"
#include "macros.h"
#include "profile.h"

typedef struct Main {
        EmuBridge *bridge;
        GMainLoop *loop;
} Main;

static void reply(const char *format, ...) G_GNUC_PRINTF(1, 2);
static void reply(const char *format, ...)
{
        va_list ap;

        va_start(ap, format);
        vprintf(format, ap);
        va_end(ap);
        putchar('\n');
        fflush(stdout);
}

static const char *option(char **args, const char *key)
{
        size_t n = strlen(key);

        for (char **a = args; *a; a++)
                if (strncmp(*a, key, n) == 0 && (*a)[n] == '=')
                        return *a + n + 1;
        return NULL;
}

static unsigned option_uint(char **args, const char *key, unsigned fallback)
{
        const char *v = option(args, key);

        return v ? (unsigned) g_ascii_strtoull(v, NULL, 10) : fallback;
}

static void cmd_add(Main *m, unsigned index, char **args)
{
        g_autoptr(GError) error = NULL;
        EmuBridgeDriveOptions o = {
                .profiles = option(args, "profiles"),
                .medium = option(args, "medium"),
                .speed = option_uint(args, "speed", 0),
                .vendor = option(args, "vendor"),
                .product = option(args, "product"),
                .revision = option(args, "revision"),
                .serial = option(args, "serial"),
                .id_path = option(args, "path"),
                .max_sectors_kb = option_uint(args, "max_kb", 0),
                .sibling = option_uint(args, "sg", 1) != 0,
        };

        if (!emu_bridge_add_drive(m->bridge, index, &o, &error))
                reply("error %s", error->message);
        else
                reply("ok");
}

static void cmd_drive(Main *m, EmuBridgeDrive *d, const char *verb, char **args, const char *rest)
{
        EmuDrive *emu = emu_bridge_drive_get_emu(d);
        g_autofree char *message = NULL;
        unsigned op = args[0] ? (unsigned) g_ascii_strtoull(args[0], NULL, 16) & 0xff : 0;
        int r;

        if (g_str_equal(verb, "remove")) {
                emu_bridge_remove_drive(m->bridge, d);
                reply("ok");
        } else if (g_str_equal(verb, "change")) {
                emu_bridge_change(m->bridge, d);
                reply("ok");
        } else if (g_str_equal(verb, "load") && args[0]) {
                r = profile_from_name(args[0]);
                r = r < 0 ? r : emu_drive_load_medium(emu, (uint16_t) r);
                r < 0 ? reply("error load: %s", g_strerror(-r)) : reply("ok");
        } else if (g_str_equal(verb, "eject")) {
                r = emu_drive_remove_medium(emu);
                r < 0 ? reply("error eject: %s", g_strerror(-r)) : reply("ok");
        } else if (g_str_equal(verb, "speed") && args[0]) {
                emu_drive_set_speed(emu, (unsigned) g_ascii_strtoull(args[0], NULL, 10));
                reply("ok");
        } else if (g_str_equal(verb, "faults")) {
                r = emu_drive_set_faults(emu, rest, &message);
                r < 0 ? reply("error %s", message) : reply("ok");
        } else if (g_str_equal(verb, "image") && args[0]) {
                r = emu_bridge_drive_save_image(d, args[0], args[1]);
                r < 0 ? reply("error image: %s", g_strerror(-r)) : reply("ok");
        } else if (g_str_equal(verb, "opens"))
                reply("ok %u %u", emu_bridge_drive_opens(d, false), emu_bridge_drive_opens(d, true));
        else if (g_str_equal(verb, "timeout"))
                reply("ok %u", emu_bridge_drive_last_timeout_ms(d, (uint8_t) op));
        else if (g_str_equal(verb, "maxxfer"))
                reply("ok %u", emu_bridge_drive_max_transfer(d, (uint8_t) op));
        else if (g_str_equal(verb, "count"))
                reply("ok %u", emu_bridge_drive_count(d, (uint8_t) op));
        else if (g_str_equal(verb, "stats")) {
                EmuDriveStats s;
                emu_drive_get_stats(emu, &s);
                reply("ok underruns=%u blocks=%" G_GUINT64_FORMAT " commands=%" G_GUINT64_FORMAT,
                      s.underruns, s.blocks_written, s.commands);
        } else
                reply("error unknown command '%s'", verb);
}

static void command(Main *m, char *line)
{
        g_auto(GStrv) words = g_strsplit(g_strstrip(line), " ", 0);
        const char *verb = words[0];
        g_autofree char *rest = NULL;
        EmuBridgeDrive *d;
        unsigned index;

        if (!verb || !*verb)
                return;
        for (char **w = words + 1; *w; w++) { /* values are %-escaped ("Burner%209000") */
                char *plain = g_uri_unescape_string(*w, NULL);
                if (plain) {
                        g_free(*w);
                        *w = plain;
                }
        }
        if (g_str_equal(verb, "quit")) {
                reply("ok");
                g_main_loop_quit(m->loop);
                return;
        }
        if (g_str_equal(verb, "trace")) {
                emu_bridge_set_trace(m->bridge, words[1] && g_str_equal(words[1], "on"));
                reply("ok");
                return;
        }
        if (!words[1]) {
                reply("error '%s' needs a drive number", verb);
                return;
        }
        index = (unsigned) g_ascii_strtoull(words[1], NULL, 10);
        if (g_str_equal(verb, "add")) {
                cmd_add(m, index, words + 2);
                return;
        }
        d = emu_bridge_find_drive(
                m->bridge, index,
                !g_strv_contains((const char *const[]){"remove", "change", "load", "eject", NULL}, verb));
        if (!d) {
                reply("error no drive sr%u", index);
                return;
        }
        rest = g_strjoinv(" ", words + 2);
        cmd_drive(m, d, verb, words + 2, rest);
}

static gboolean on_input(GIOChannel *ch, GIOCondition cond, gpointer userdata)
{
        Main *m = userdata;
        g_autofree char *line = NULL;
        GIOStatus s;

        s = g_io_channel_read_line(ch, &line, NULL, NULL, NULL);
        if (s == G_IO_STATUS_NORMAL && line) {
                command(m, line);
                return G_SOURCE_CONTINUE;
        }
        if (s == G_IO_STATUS_AGAIN)
                return G_SOURCE_CONTINUE;
        g_main_loop_quit(m->loop); /* end of input: the test is gone */
        return G_SOURCE_REMOVE;
}

int main(int argc, char *argv[])
{
        g_autoptr(GError) error = NULL;
        g_autoptr(GIOChannel) in = NULL;
        Main m = {};

        m.bridge = emu_bridge_new(&error);
        if (!m.bridge) {
                fprintf(stderr, "imapid-emu-bridge: %s\n", error->message);
                return 2;
        }
        emu_bridge_set_trace(m.bridge, argc > 1 && g_str_equal(argv[1], "--trace"));
        m.loop = g_main_loop_new(NULL, false);
        in = g_io_channel_unix_new(0);
        (void) g_io_add_watch(in, G_IO_IN | G_IO_HUP | G_IO_ERR, on_input, &m);
        reply("ready %s", emu_bridge_get_root(m.bridge));
        g_main_loop_run(m.loop);
        g_main_loop_unref(m.loop);
        emu_bridge_free(m.bridge);
        return 0;
}
