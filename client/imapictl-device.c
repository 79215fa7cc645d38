/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* imapictl eject, close-tray and virtual create|remove|load|open-image: calls on one recorder or the
 * Manager. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "imapictl.h"

static GVariant *no_options(void)
{
        return g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0);
}

static int call_timeout(Ctl *c)
{
        /* Polkit may ask for a password: that takes as long as it takes. */
        return c->no_ask_password ? -1 : G_MAXINT;
}

static void print_done(Ctl *c, const char *event, const char *recorder_id, const char *human)
{
        if (c->json) {
                json_begin_object(c->out);
                json_kv_string(c->out, "event", event);
                json_kv_string(c->out, "recorder", recorder_id);
                json_end_object(c->out);
                json_print(c->out);
        } else
                ctl_say(c, "%s\n", human);
}

/* Connects and finds argv[1]; returns an exit code, or -1 with *ret set. */
static int recorder_verb_start(Ctl *c, int *argc, char ***argv, const char *summary, ImapiObject **ret)
{
        int r, code = CTL_EXIT_OK;

        if ((r = ctl_parse_options(c, argc, argv, "RECORDER", summary, NULL, 1, 1)) >= 0)
                return r;
        if ((r = ctl_connect(c)) >= 0)
                return r;
        *ret = ctl_find_recorder(c, (*argv)[1], &code);
        return *ret ? -1 : code;
}

static int tray_verb(Ctl *c, int argc, char **argv, gboolean eject)
{
        g_autoptr(ImapiObject) o = NULL;
        g_autoptr(GError) error = NULL;
        g_autoptr(GAsyncResult) result = NULL;
        ImapiRecorder *rec;
        GDBusCallFlags flags;
        gboolean ok;
        int r;

        r = recorder_verb_start(c, &argc, &argv, eject ? "Unlock and open the tray." : "Close the tray.",
                                &o);
        if (r >= 0)
                return r;
        rec = imapi_object_peek_recorder(o);
        flags = imapi_client_get_call_flags(c->client);
        ctl_polkit_agent_open(c);
        if (eject)
                imapi_recorder_call_eject(rec, no_options(), flags, call_timeout(c), c->cancellable,
                                          ctl_store_result, &result);
        else
                imapi_recorder_call_close_tray(rec, no_options(), flags, call_timeout(c), c->cancellable,
                                               ctl_store_result, &result);
        ctl_wait(c, &result);
        ok = eject ? imapi_recorder_call_eject_finish(rec, result, &error)
                   : imapi_recorder_call_close_tray_finish(rec, result, &error);
        if (!ok) {
                imapi_error_normalize(error);
                return ctl_error(c, error, g_dbus_object_get_object_path(G_DBUS_OBJECT(o)), "Cannot %s %s",
                                 eject ? "eject" : "close the tray of", imapi_recorder_get_id(rec));
        }
        print_done(c, eject ? "ejected" : "closed", imapi_recorder_get_id(rec),
                   eject ? "Ejected." : "Tray closed.");
        return CTL_EXIT_OK;
}

int verb_eject(Ctl *c, int argc, char **argv)
{
        return tray_verb(c, argc, argv, TRUE);
}

int verb_close_tray(Ctl *c, int argc, char **argv)
{
        return tray_verb(c, argc, argv, FALSE);
}

/* ---- virtual ---- */

static GVariant *create_options(char **profiles, const char *medium, int speed, gboolean persistent)
{
        GVariantBuilder b;

        g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
        if (profiles) {
                g_autoptr(GPtrArray) all = g_ptr_array_new();

                /* --profiles may be given several times and hold lists. */
                for (char **p = profiles; *p; p++) {
                        g_auto(GStrv) parts = g_strsplit_set(*p, ", ", -1);

                        for (char **q = parts; *q; q++)
                                if (**q)
                                        g_ptr_array_add(all, g_strdup(*q));
                }
                g_ptr_array_add(all, NULL);
                g_variant_builder_add(&b, "{sv}", "profiles",
                                      g_variant_new_strv((const char *const *) all->pdata, -1));
                for (guint i = 0; all->pdata[i]; i++)
                        g_free(all->pdata[i]);
        }
        if (medium)
                g_variant_builder_add(&b, "{sv}", "medium",
                                      g_variant_new_string(g_str_equal(medium, "none") ? "" : medium));
        if (speed >= 0)
                g_variant_builder_add(&b, "{sv}", "speed", g_variant_new_uint32((guint32) speed));
        if (persistent)
                g_variant_builder_add(&b, "{sv}", "persistent", g_variant_new_boolean(TRUE));
        return g_variant_builder_end(&b);
}

static int virtual_create(Ctl *c, int argc, char **argv)
{
        g_auto(GStrv) profiles = NULL;
        g_autofree char *medium = NULL, *path = NULL, *id = NULL;
        int speed = -1, r;
        gboolean persistent = FALSE;
        GOptionEntry entries[] = {
                {"profiles", 0, 0, G_OPTION_ARG_STRING_ARRAY, &profiles, "Writable profiles (default: all)",
                 "P,P..."},
                {"medium", 0, 0, G_OPTION_ARG_STRING, &medium, "The blank disc loaded at start, or none",
                 "P"},
                {"speed", 0, 0, G_OPTION_ARG_INT, &speed, "x-factor to throttle to (0: unthrottled)", "X"},
                {"persistent", 0, 0, G_OPTION_ARG_NONE, &persistent, "Keep it across restarts of imapid",
                 NULL},
                {},
        };
        g_autoptr(GAsyncResult) result = NULL;
        g_autoptr(GError) error = NULL;
        ImapiManager *m;

        if ((r = ctl_parse_options(c, &argc, &argv, "NAME", "Create a virtual recorder virtual_NAME.",
                                   entries, 1, 1)) >= 0)
                return r;
        if ((r = ctl_connect(c)) >= 0)
                return r;
        m = imapi_client_get_manager(c->client);
        ctl_polkit_agent_open(c);
        imapi_manager_call_create_virtual_recorder(m, argv[1],
                                                   create_options(profiles, medium, speed, persistent),
                                                   imapi_client_get_call_flags(c->client), call_timeout(c),
                                                   c->cancellable, ctl_store_result, &result);
        ctl_wait(c, &result);
        if (!imapi_manager_call_create_virtual_recorder_finish(m, &path, result, &error)) {
                imapi_error_normalize(error);
                return ctl_error(c, error, NULL, "Cannot create the virtual recorder %s", argv[1]);
        }
        id = g_strconcat("virtual_", argv[1], NULL);
        if (c->json) {
                json_begin_object(c->out);
                json_kv_string(c->out, "Id", id);
                json_kv_string(c->out, "Path", path);
                json_end_object(c->out);
                json_print(c->out);
        } else
                ctl_say(c, "Created %s (%s).\n", id, path);
        return CTL_EXIT_OK;
}

static int virtual_remove(Ctl *c, int argc, char **argv)
{
        g_autoptr(ImapiObject) o = NULL;
        g_autoptr(GAsyncResult) result = NULL;
        g_autoptr(GError) error = NULL;
        g_autofree char *id = NULL;
        const char *path;
        ImapiManager *m;
        int r;

        if ((r = recorder_verb_start(c, &argc, &argv, "Remove a virtual recorder.", &o)) >= 0)
                return r;
        path = g_dbus_object_get_object_path(G_DBUS_OBJECT(o));
        id = imapi_recorder_dup_id(imapi_object_peek_recorder(o));
        m = imapi_client_get_manager(c->client);
        ctl_polkit_agent_open(c);
        imapi_manager_call_remove_virtual_recorder(m, path, no_options(),
                                                   imapi_client_get_call_flags(c->client), call_timeout(c),
                                                   c->cancellable, ctl_store_result, &result);
        ctl_wait(c, &result);
        if (!imapi_manager_call_remove_virtual_recorder_finish(m, result, &error)) {
                imapi_error_normalize(error);
                return ctl_error(c, error, path, "Cannot remove %s", id);
        }
        print_done(c, "removed", id, "Removed.");
        return CTL_EXIT_OK;
}

static ImapiVirtualRecorder *virtual_of(Ctl *c, ImapiObject *o, int *ret_exit)
{
        ImapiVirtualRecorder *v = imapi_object_get_virtual_recorder(o);

        if (!v) {
                fprintf(stderr, "imapictl: %s is not a virtual recorder\n",
                        imapi_recorder_get_id(imapi_object_peek_recorder(o)));
                *ret_exit = CTL_EXIT_USAGE;
        }
        return v;
}

static int virtual_load(Ctl *c, int argc, char **argv)
{
        g_autoptr(ImapiObject) o = NULL;
        g_autoptr(ImapiVirtualRecorder) v = NULL;
        g_autoptr(GAsyncResult) result = NULL;
        g_autoptr(GError) error = NULL;
        int r, code = CTL_EXIT_OK;

        if ((r = ctl_parse_options(
                     c, &argc, &argv, "RECORDER PROFILE",
                     "Load a fresh blank disc of PROFILE (cd-r, dvd+rw, bd-re, ...) into a virtual "
                     "recorder.",
                     NULL, 2, 2)) >= 0)
                return r;
        if ((r = ctl_connect(c)) >= 0)
                return r;
        o = ctl_find_recorder(c, argv[1], &code);
        if (!o)
                return code;
        v = virtual_of(c, o, &code);
        if (!v)
                return code;
        ctl_polkit_agent_open(c);
        imapi_virtual_recorder_call_load_medium(v, argv[2], no_options(),
                                                imapi_client_get_call_flags(c->client), call_timeout(c),
                                                c->cancellable, ctl_store_result, &result);
        ctl_wait(c, &result);
        if (!imapi_virtual_recorder_call_load_medium_finish(v, result, &error)) {
                imapi_error_normalize(error);
                return ctl_error(c, error, g_dbus_object_get_object_path(G_DBUS_OBJECT(o)),
                                 "Cannot load a %s disc", argv[2]);
        }
        print_done(c, "loaded", imapi_recorder_get_id(imapi_object_peek_recorder(o)),
                   "Loaded a blank disc.");
        return CTL_EXIT_OK;
}

/* Copies fd to the end into 'output'; returns the bytes or -errno. */
static gint64 copy_to_file(int fd, const char *output)
{
        g_autofree char *buf = g_malloc(1 << 20);
        gint64 total = 0;
        int out = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0644);
        ssize_t n;

        if (out < 0)
                return -errno;
        while ((n = read(fd, buf, 1 << 20)) != 0) {
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0 || write(out, buf, (size_t) n) != n) {
                        int e = n < 0 ? errno : EIO;

                        close(out);
                        return -e;
                }
                total += n;
        }
        if (close(out) < 0)
                return -errno;
        return total;
}

/* The cue sheet next to the image, its FILE line naming the image we wrote. */
static int write_cue_sheet(const char *output, const char *cue, char **ret_path, GError **error)
{
        g_autofree char *path = g_strconcat(output, ".cue", NULL);
        g_autofree char *base = g_path_get_basename(output);
        g_autofree char *file_line = g_strdup_printf("FILE \"%s\" BINARY", base);
        g_autoptr(GRegex) re = g_regex_new("^FILE \".*\" BINARY", G_REGEX_MULTILINE, 0, NULL);
        g_autofree char *text = g_regex_replace_literal(re, cue, -1, 0, file_line, 0, NULL);

        if (!g_file_set_contents(path, text ? text : cue, -1, error))
                return -1;
        *ret_path = g_steal_pointer(&path);
        return 0;
}

static int virtual_open_image(Ctl *c, int argc, char **argv)
{
        g_autofree char *output = NULL, *cue = NULL, *cue_path = NULL;
        GOptionEntry entries[] = {
                {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Where to write the image (required)",
                 "FILE"},
                {},
        };
        g_autoptr(ImapiObject) o = NULL;
        g_autoptr(ImapiVirtualRecorder) v = NULL;
        g_autoptr(GAsyncResult) result = NULL;
        g_autoptr(GUnixFDList) fds = NULL;
        g_autoptr(GVariant) handle = NULL;
        g_autoptr(GError) error = NULL;
        int r, code = CTL_EXIT_OK, fd;
        gint64 bytes;

        if ((r = ctl_parse_options(
                     c, &argc, &argv, "RECORDER --output FILE",
                     "Write what the disc in a virtual recorder holds to FILE: 2048-byte sectors for "
                     "a data disc; raw 2352-byte sectors and FILE.cue for an audio CD.",
                     entries, 1, 1)) >= 0)
                return r;
        if (!output)
                return ctl_usage_error(c, "--output FILE is required");
        if ((r = ctl_connect(c)) >= 0)
                return r;
        o = ctl_find_recorder(c, argv[1], &code);
        if (!o)
                return code;
        v = virtual_of(c, o, &code);
        if (!v)
                return code;
        imapi_virtual_recorder_call_open_image(v, no_options(), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                               c->cancellable, ctl_store_result, &result);
        ctl_wait(c, &result);
        if (!imapi_virtual_recorder_call_open_image_finish(v, &handle, &cue, &fds, result, &error)) {
                imapi_error_normalize(error);
                return ctl_error(c, error, g_dbus_object_get_object_path(G_DBUS_OBJECT(o)),
                                 "Cannot open the image");
        }
        fd = fds ? g_unix_fd_list_get(fds, g_variant_get_handle(handle), &error) : -1;
        if (fd < 0) {
                fprintf(stderr, "imapictl: imapid sent no image descriptor\n");
                return CTL_EXIT_DAEMON;
        }
        bytes = copy_to_file(fd, output);
        close(fd);
        if (bytes < 0) {
                fprintf(stderr, "imapictl: cannot write %s: %s\n", output, g_strerror((int) -bytes));
                return CTL_EXIT_INPUT;
        }
        if (cue && cue[0] && write_cue_sheet(output, cue, &cue_path, &error) < 0)
                return ctl_error(c, error, NULL, "Cannot write the cue sheet");
        if (c->json) {
                json_begin_object(c->out);
                json_kv_string(c->out, "output", output);
                json_kv_uint(c->out, "bytes", (guint64) bytes);
                json_kv_string(c->out, "cue_sheet", cue_path);
                json_end_object(c->out);
                json_print(c->out);
        } else
                ctl_say(c, "Wrote %" G_GINT64_FORMAT " bytes to %s%s%s.\n", bytes, output,
                        cue_path ? " and " : "", cue_path ? cue_path : "");
        return CTL_EXIT_OK;
}

int verb_virtual(Ctl *c, int argc, char **argv)
{
        static const struct {
                const char *name;
                CtlVerbFunc func;
        } subs[] = {
                {"create", virtual_create},
                {"remove", virtual_remove},
                {"load", virtual_load},
                {"open-image", virtual_open_image},
        };
        int sub = 1;

        /* The sub-command is the first argument that is not an option. */
        while (sub < argc && argv[sub][0] == '-')
                sub++;
        for (size_t i = 0; sub < argc && i < G_N_ELEMENTS(subs); i++)
                if (g_str_equal(argv[sub], subs[i].name)) {
                        g_autofree char *verb = g_strconcat("virtual ", subs[i].name, NULL);

                        memmove(&argv[sub], &argv[sub + 1], sizeof(char *) * (size_t) (argc - sub));
                        argv[0] = verb;
                        c->verb = verb;
                        return subs[i].func(c, argc - 1, argv);
                }
        fprintf(stderr, "Usage: imapictl virtual create NAME [--profiles P,...] [--medium P] [--speed X] "
                        "[--persistent]\n"
                        "       imapictl virtual remove RECORDER\n"
                        "       imapictl virtual load RECORDER PROFILE\n"
                        "       imapictl virtual open-image RECORDER --output FILE\n");
        return CTL_EXIT_USAGE;
}
