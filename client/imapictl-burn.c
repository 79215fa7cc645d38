/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* imapictl burn, image, audio and erase: open a disc master, take the recorder, stage, burn with progress.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "imapictl.h"
#include "imapictl-progress.h"

/* A disc master holding a recorder, for one verb. */
typedef struct Session {
        Ctl *ctl;
        ImapiObject *recorder;
        char *recorder_path;
        char *recorder_id;
        ImapiDiscMaster *dm;
} Session;

static void session_close(Session *s)
{
        g_autoptr(GVariant) r = NULL;

        /* Closing releases the recorder and deletes the stash now; on failure imapid does it when we leave.
         */
        if (s->dm)
                r = g_dbus_proxy_call_sync(G_DBUS_PROXY(s->dm), "Close", NULL, G_DBUS_CALL_FLAGS_NONE, -1,
                                           NULL, NULL);
        g_clear_object(&s->dm);
        g_clear_object(&s->recorder);
        g_clear_pointer(&s->recorder_path, g_free);
        g_clear_pointer(&s->recorder_id, g_free);
}

static char *client_name(void)
{
        return g_strdup_printf("imapictl (%s)", g_get_user_name());
}

/* Connects, finds the recorder, opens a disc master, sets the format (NULL: none) and takes the recorder. */
static int session_open(Ctl *c, Session *s, const char *recorder, const char *format)
{
        g_autoptr(GAsyncResult) opened = NULL, set_up = NULL;
        g_autoptr(GError) error = NULL;
        g_autofree char *name = client_name();
        int r, code = CTL_EXIT_OK;

        s->ctl = c;
        if ((r = ctl_connect(c)) >= 0)
                return r;
        s->recorder = ctl_find_recorder(c, recorder, &code);
        if (!s->recorder)
                return code;
        ctl_polkit_agent_open(c);
        s->recorder_path = g_strdup(g_dbus_object_get_object_path(G_DBUS_OBJECT(s->recorder)));
        s->recorder_id = imapi_recorder_dup_id(imapi_object_peek_recorder(s->recorder));
        imapi_client_open_disc_master(c->client, name, c->cancellable, ctl_store_result, &opened);
        ctl_wait(c, &opened);
        s->dm = imapi_client_open_disc_master_finish(c->client, opened, &error);
        if (!s->dm)
                return ctl_error(c, error, NULL, "Cannot open a disc master");
        imapi_disc_master_setup(s->dm, format, s->recorder_path, c->cancellable, ctl_store_result, &set_up);
        ctl_wait(c, &set_up);
        if (!imapi_disc_master_setup_finish(s->dm, set_up, &error))
                return ctl_error(c, error, s->recorder_path, "Cannot take %s", s->recorder_id);
        return -1;
}

static void say_cancelling(Ctl *c)
{
        if (g_cancellable_is_cancelled(c->cancellable) && !c->quiet && !c->json)
                fprintf(stderr, "Cancelling at the next safe point (Ctrl-C again to leave at once)...\n");
}

static void on_cancel_requested(GCancellable *cancellable, gpointer user_data)
{
        say_cancelling(user_data);
}

/* Burns what is staged, with progress; prints the error and returns an exit code, or -1. */
static int session_record(Session *s, ImapiRecordFlags flags, guint speed, guint block_size,
                          Progress **ret_progress)
{
        Ctl *c = s->ctl;
        g_autoptr(GAsyncResult) result = NULL;
        g_autoptr(GError) error = NULL;
        Progress *p = progress_new(c, block_size);
        gulong id = g_cancellable_connect(c->cancellable, G_CALLBACK(on_cancel_requested), c, NULL);
        gboolean ok;

        imapi_disc_master_record(s->dm, flags, speed, progress_report, p, NULL, c->cancellable,
                                 ctl_store_result, &result);
        ctl_wait(c, &result);
        g_cancellable_disconnect(c->cancellable, id);
        ok = imapi_disc_master_record_finish(s->dm, result, &error);
        progress_finish(p);
        *ret_progress = p;
        if (!ok)
                return ctl_error(c, error, s->recorder_path, "The burn on %s failed", s->recorder_id);
        return -1;
}

static void print_complete(Session *s, Progress *p, const char *what, guint64 count, gboolean simulate)
{
        Ctl *c = s->ctl;

        if (c->json) {
                json_begin_object(c->out);
                json_kv_string(c->out, "event", "complete");
                json_kv_string(c->out, "recorder", s->recorder_id);
                json_kv_uint(c->out, what, count);
                json_kv_bool(c->out, "simulate", simulate);
                json_key(c->out, "seconds");
                json_double(c->out, progress_get_write_seconds(p));
                json_end_object(c->out);
                json_print(c->out);
        } else
                ctl_say(c, "%s %" G_GUINT64_FORMAT " %s to %s.\n", simulate ? "Simulated burning" : "Burned",
                        count, what, s->recorder_id);
}

/* ---- burn ---- */

typedef struct BurnOptions {
        char *recorder;
        gboolean simulate, eject, close, mangle, skip_special, stage_files;
        char *volume;
        int speed;
} BurnOptions;

static void burn_options_clear(BurnOptions *o)
{
        g_free(o->recorder);
        g_free(o->volume);
}

static ImapiRecordFlags record_flags(const BurnOptions *o)
{
        return (o->simulate ? IMAPI_RECORD_FLAGS_SIMULATE : 0) | (o->eject ? IMAPI_RECORD_FLAGS_EJECT : 0) |
               (o->close ? IMAPI_RECORD_FLAGS_CLOSE_DISC : 0);
}

/* clang-format off */
#define BURN_COMMON_OPTIONS(o)                                                                                    \
        { "recorder", 'r', 0, G_OPTION_ARG_STRING, &(o)->recorder, "The recorder (default: the only one)", "R" }, \
        { "simulate", 0, 0, G_OPTION_ARG_NONE, &(o)->simulate, "Test write: the disc stays unchanged", NULL },    \
        { "eject", 0, 0, G_OPTION_ARG_NONE, &(o)->eject, "Eject the disc when done", NULL },                      \
        { "speed", 0, 0, G_OPTION_ARG_INT, &(o)->speed, "Write speed as an x-factor (default: the recorder's)",   \
          "X" }
/* clang-format on */

static int check_speed(Ctl *c, int speed)
{
        if (speed < 0)
                return ctl_usage_error(c, "--speed must be 0 or more");
        return -1;
}

/* Every input must exist before a recorder is taken (and polkit perhaps asks for a password). */
static int check_inputs(Ctl *c, int argc, char **argv)
{
        for (int i = 1; i < argc; i++) {
                struct stat st;

                if (stat(argv[i], &st) < 0) {
                        int e = errno;

                        fprintf(stderr, "imapictl: %s: %s\n", argv[i], g_strerror(e));
                        return CTL_EXIT_INPUT;
                }
        }
        return -1;
}

/* The Joliet properties asked for: VolumeName, StageFiles. */
static int burn_set_properties(Session *s, const char *volume, gboolean stage_files)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(GVariant) r = NULL;
        g_autofree const char **ignored = NULL;
        GVariantBuilder b;

        if (!volume && !stage_files)
                return -1;
        g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
        if (volume)
                g_variant_builder_add(&b, "{sv}", "VolumeName", g_variant_new_string(volume));
        if (stage_files)
                g_variant_builder_add(&b, "{sv}", "StageFiles", g_variant_new_boolean(TRUE));
        r = g_dbus_connection_call_sync(g_dbus_proxy_get_connection(G_DBUS_PROXY(s->dm)), IMAPI_BUS_NAME,
                                        g_dbus_proxy_get_object_path(G_DBUS_PROXY(s->dm)),
                                        "org.freedesktop.IMAPI1.JolietDiscMaster", "SetJolietProperties",
                                        g_variant_new("(a{sv})", &b), G_VARIANT_TYPE("(as)"),
                                        G_DBUS_CALL_FLAGS_NONE, -1, s->ctl->cancellable, &error);
        if (!r) {
                imapi_error_normalize(error);
                return ctl_error(s->ctl, error, NULL, "Cannot set the disc's properties");
        }
        g_variant_get(r, "(^a&s)", &ignored);
        for (const char **i = ignored; i && *i; i++)
                fprintf(stderr, "imapictl: warning: imapid ignored %s\n", *i);
        return -1;
}

/* "dir/" puts the folder's contents at the root; anything else goes under its base name. */
static const char *image_path_for(const char *path)
{
        size_t n = strlen(path);

        return n > 1 && path[n - 1] == '/' ? "" : NULL;
}

/* Counts entries over all paths: the library counts from 0 for each. */
typedef struct StageCount {
        Progress *progress;
        guint64 before; /* entries of the paths already staged */
        guint64 current;
} StageCount;

static void on_stage_progress(ImapiProgressKind kind, guint64 done, guint64 total, gpointer user_data)
{
        StageCount *sc = user_data;

        sc->current = done;
        progress_report(kind, sc->before + done, 0, sc->progress);
}

static int burn_stage(Session *s, const BurnOptions *o, int argc, char **argv, guint64 *ret_entries)
{
        Ctl *c = s->ctl;
        g_autoptr(Progress) p = progress_new(c, 2048);
        StageCount sc = {.progress = p};
        ImapiAddFlags flags = (o->mangle ? IMAPI_ADD_FLAGS_MANGLE_NAMES : 0) |
                              (o->skip_special ? IMAPI_ADD_FLAGS_SKIP_SPECIAL : 0);

        progress_set_label(p, "Adding files");
        for (int i = 1; i < argc; i++) {
                g_autoptr(GAsyncResult) result = NULL;
                g_autoptr(GError) error = NULL;

                sc.current = 0;
                imapi_disc_master_add_tree(s->dm, argv[i], image_path_for(argv[i]), flags, on_stage_progress,
                                           &sc, NULL, c->cancellable, ctl_store_result, &result);
                ctl_wait(c, &result);
                /* Reports queued before the result still belong to this path. */
                while (g_main_context_iteration(NULL, FALSE))
                        ;
                if (!imapi_disc_master_add_tree_finish(s->dm, result, &error)) {
                        progress_finish(p);
                        return ctl_error(c, error, s->recorder_path, "Cannot add %s", argv[i]);
                }
                sc.before += sc.current;
        }
        progress_finish(p);
        *ret_entries = sc.before;
        return -1;
}

int verb_burn(Ctl *c, int argc, char **argv)
{
        BurnOptions o = {};
        GOptionEntry entries[] = {
                BURN_COMMON_OPTIONS(&o),
                {"close", 0, 0, G_OPTION_ARG_NONE, &o.close, "Finalise the disc (no more sessions)", NULL},
                {"volume", 0, 0, G_OPTION_ARG_STRING, &o.volume, "The volume name", "NAME"},
                {"stage-files", 0, 0, G_OPTION_ARG_NONE, &o.stage_files,
                 "Copy the files into imapid's stash now instead of reading them while burning", NULL},
                {"mangle-names", 0, 0, G_OPTION_ARG_NONE, &o.mangle, "Replace characters Joliet cannot hold",
                 NULL},
                {"skip-special", 0, 0, G_OPTION_ARG_NONE, &o.skip_special, "Skip FIFOs, sockets and devices",
                 NULL},
                {},
        };
        Session s = {};
        g_autoptr(Progress) p = NULL;
        guint64 staged = 0;
        int r;

        r = ctl_parse_options(
                c, &argc, &argv, "PATH...",
                "Burn files and folders to a data disc (ISO 9660 + Joliet + Rock Ridge). Each PATH goes "
                "to the root under its name; PATH/ with a trailing slash puts a folder's contents at the "
                "root. Files are opened by imapictl with your rights.",
                entries, 1, G_MAXUINT);
        if (r < 0)
                r = check_speed(c, o.speed);
        if (r < 0)
                r = check_inputs(c, argc, argv);
        if (r < 0)
                r = session_open(c, &s, o.recorder, "joliet");
        if (r < 0)
                r = burn_set_properties(&s, o.volume, o.stage_files);
        if (r < 0)
                r = burn_stage(&s, &o, argc, argv, &staged);
        if (r < 0)
                r = session_record(&s, record_flags(&o), (guint) o.speed, 2048, &p);
        if (r < 0) {
                print_complete(&s, p, "entries", staged, o.simulate);
                r = CTL_EXIT_OK;
        }
        session_close(&s);
        burn_options_clear(&o);
        return r;
}

/* ---- image ---- */

int verb_image(Ctl *c, int argc, char **argv)
{
        BurnOptions o = {};
        gboolean raw = FALSE;
        GOptionEntry entries[] = {
                BURN_COMMON_OPTIONS(&o),
                {"close", 0, 0, G_OPTION_ARG_NONE, &o.close, "Finalise the disc (no more sessions)", NULL},
                {"raw", 0, 0, G_OPTION_ARG_NONE, &raw, "Accept an image without an ISO 9660 or UDF volume",
                 NULL},
                {},
        };
        g_autoptr(GAsyncResult) result = NULL;
        g_autoptr(GError) error = NULL;
        g_autoptr(Progress) p = NULL;
        Session s = {};
        int r;

        r = ctl_parse_options(
                c, &argc, &argv, "FILE",
                "Burn a disc image of 2048-byte sectors (an .iso made by xorriso, genisoimage, ...).",
                entries, 1, 1);
        if (r < 0)
                r = check_speed(c, o.speed);
        if (r < 0)
                r = check_inputs(c, argc, argv);
        if (r < 0)
                r = session_open(c, &s, o.recorder, "image");
        if (r < 0) {
                imapi_disc_master_set_image_file(s.dm, argv[1], raw, c->cancellable, ctl_store_result,
                                                 &result);
                ctl_wait(c, &result);
                if (!imapi_disc_master_set_image_file_finish(s.dm, result, &error))
                        r = ctl_error(c, error, s.recorder_path, "Cannot use %s", argv[1]);
        }
        if (r < 0)
                r = session_record(&s, record_flags(&o), (guint) o.speed, 2048, &p);
        if (r < 0) {
                print_complete(&s, p, "images", 1, o.simulate);
                r = CTL_EXIT_OK;
        }
        session_close(&s);
        burn_options_clear(&o);
        return r;
}

/* ---- audio ---- */

typedef struct AudioOptions {
        BurnOptions burn;
        int gap;
        char *title;
        char *performer;
        gboolean no_tags;
} AudioOptions;

static int audio_check_files(Ctl *c, int argc, char **argv)
{
        for (int i = 1; i < argc; i++) {
                g_autoptr(GError) error = NULL;

                if (!imapi_check_audio_file(argv[i], NULL, &error))
                        return ctl_error(c, error, NULL, NULL);
        }
        return -1;
}

static int audio_set_gap(Session *s, int gap)
{
        g_autoptr(GError) error = NULL;
        g_auto(GStrv) ignored = NULL;
        ImapiRecorder *r = imapi_object_peek_recorder(s->recorder);
        GVariantBuilder b;

        g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
        g_variant_builder_add(&b, "{sv}", "AudioGapSize", g_variant_new_int32(gap));
        if (!imapi_recorder_call_set_recorder_properties_sync(r, g_variant_builder_end(&b),
                                                              G_DBUS_CALL_FLAGS_NONE, -1, &ignored,
                                                              s->ctl->cancellable, &error)) {
                imapi_error_normalize(error);
                return ctl_error(s->ctl, error, s->recorder_path, "Cannot set the gap between tracks");
        }
        if (ignored && g_strv_contains((const char *const *) ignored, "AudioGapSize"))
                fprintf(stderr, "imapictl: warning: the recorder ignored the gap size\n");
        return -1;
}

static int audio_set_disc_text(Session *s, const AudioOptions *o)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(GVariant) r = NULL;
        GVariantBuilder b;

        if (!o->title && !o->performer)
                return -1;
        g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
        if (o->title)
                g_variant_builder_add(&b, "{sv}", "title", g_variant_new_string(o->title));
        if (o->performer)
                g_variant_builder_add(&b, "{sv}", "performer", g_variant_new_string(o->performer));
        r = g_dbus_connection_call_sync(g_dbus_proxy_get_connection(G_DBUS_PROXY(s->dm)), IMAPI_BUS_NAME,
                                        g_dbus_proxy_get_object_path(G_DBUS_PROXY(s->dm)),
                                        "org.freedesktop.IMAPI1.RedbookDiscMaster", "SetDiscProperties",
                                        g_variant_new("(a{sv})", &b), NULL, G_DBUS_CALL_FLAGS_NONE, -1,
                                        s->ctl->cancellable, &error);
        if (!r) {
                imapi_error_normalize(error);
                return ctl_error(s->ctl, error, NULL, "Cannot set the disc's title and performer");
        }
        return -1;
}

static int audio_stage(Session *s, const AudioOptions *o, int argc, char **argv)
{
        Ctl *c = s->ctl;
        g_autoptr(Progress) p = progress_new(c, 2352);

        for (int i = 1; i < argc; i++) {
                g_autoptr(GAsyncResult) result = NULL;
                g_autoptr(GError) error = NULL;
                g_autofree char *base = g_path_get_basename(argv[i]);
                g_autofree char *label = g_strdup_printf("Adding track %d/%d: %s", i, argc - 1, base);

                progress_set_label(p, label);
                imapi_disc_master_add_audio_file(
                        s->dm, argv[i], NULL, NULL,
                        o->no_tags ? IMAPI_AUDIO_FLAGS_NONE : IMAPI_AUDIO_FLAGS_USE_TAGS, progress_report, p,
                        NULL, c->cancellable, ctl_store_result, &result);
                ctl_wait(c, &result);
                if (!imapi_disc_master_add_audio_file_finish(s->dm, result, &error)) {
                        progress_finish(p);
                        return ctl_error(c, error, s->recorder_path, "Cannot add %s", argv[i]);
                }
                progress_finish(p);
        }
        return -1;
}

int verb_audio(Ctl *c, int argc, char **argv)
{
        AudioOptions o = {.gap = -1};
        GOptionEntry entries[] = {
                BURN_COMMON_OPTIONS(&o.burn),
                {"gap", 0, 0, G_OPTION_ARG_INT, &o.gap,
                 "Blocks of silence between tracks, 0-225 (default 150)", "BLOCKS"},
                {"title", 0, 0, G_OPTION_ARG_STRING, &o.title, "The album title (CD-TEXT)", "T"},
                {"performer", 0, 0, G_OPTION_ARG_STRING, &o.performer, "The album performer (CD-TEXT)", "P"},
                {"no-tags", 0, 0, G_OPTION_ARG_NONE, &o.no_tags,
                 "Do not use the files' tags as track CD-TEXT", NULL},
                {},
        };
        g_autoptr(Progress) p = NULL;
        Session s = {};
        int r;

        r = ctl_parse_options(
                c, &argc, &argv, "FILE...",
                "Burn an audio CD, one track per FILE (WAV, FLAC, AIFF, ... at 44.1 kHz stereo; any "
                "sample format is converted to 16 bits; other rates are refused).",
                entries, 1, G_MAXUINT);
        if (r < 0 && (o.gap < -1 || o.gap > 225))
                r = ctl_usage_error(c, "--gap must be between 0 and 225 blocks");
        if (r < 0)
                r = check_speed(c, o.burn.speed);
        if (r < 0)
                r = audio_check_files(c, argc, argv);
        if (r < 0)
                r = session_open(c, &s, o.burn.recorder, "redbook");
        if (r < 0 && o.gap >= 0)
                r = audio_set_gap(&s, o.gap);
        if (r < 0)
                r = audio_set_disc_text(&s, &o);
        if (r < 0)
                r = audio_stage(&s, &o, argc, argv);
        if (r < 0)
                r = session_record(&s, record_flags(&o.burn), (guint) o.burn.speed, 2352, &p);
        if (r < 0) {
                print_complete(&s, p, "tracks", (guint64) argc - 1, o.burn.simulate);
                r = CTL_EXIT_OK;
        }
        session_close(&s);
        burn_options_clear(&o.burn);
        g_free(o.title);
        g_free(o.performer);
        return r;
}

/* ---- erase ---- */

int verb_erase(Ctl *c, int argc, char **argv)
{
        gboolean full = FALSE;
        GOptionEntry entries[] = {
                {"full", 0, 0, G_OPTION_ARG_NONE, &full, "A full blank or format instead of a quick one",
                 NULL},
                {},
        };
        g_autoptr(GAsyncResult) result = NULL;
        g_autoptr(GError) error = NULL;
        g_autoptr(Progress) p = NULL;
        Session s = {};
        int r;

        r = ctl_parse_options(
                c, &argc, &argv, "RECORDER",
                "Erase the rewritable disc in RECORDER (CD-RW, DVD-RW: blank; DVD+RW, BD-RE: format).",
                entries, 1, 1);
        if (r < 0)
                r = session_open(c, &s, argv[1], NULL);
        if (r < 0) {
                p = progress_new(c, 1);
                imapi_disc_master_erase(s.dm, full, progress_report, p, NULL, c->cancellable,
                                        ctl_store_result, &result);
                ctl_wait(c, &result);
                progress_finish(p);
                if (!imapi_disc_master_erase_finish(s.dm, result, &error))
                        r = ctl_error(c, error, s.recorder_path, "Cannot erase the disc in %s",
                                      s.recorder_id);
        }
        if (r < 0) {
                if (c->json) {
                        json_begin_object(c->out);
                        json_kv_string(c->out, "event", "complete");
                        json_kv_string(c->out, "recorder", s.recorder_id);
                        json_kv_bool(c->out, "full", full);
                        json_end_object(c->out);
                        json_print(c->out);
                } else
                        ctl_say(c, "Erased the disc in %s.\n", s.recorder_id);
                r = CTL_EXIT_OK;
        }
        session_close(&s);
        return r;
}
