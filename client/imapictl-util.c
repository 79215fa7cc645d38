/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* imapictl's shared helpers: options, connecting, finding recorders, errors with hints, waiting. */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "imapictl.h"

GOptionEntry *ctl_global_options(Ctl *c)
{
        GOptionEntry entries[] = {
                {"json", 0, 0, G_OPTION_ARG_NONE, &c->json, "Print JSON", NULL},
                {"quiet", 'q', 0, G_OPTION_ARG_NONE, &c->quiet, "Print nothing but errors", NULL},
                {"no-ask-password", 0, 0, G_OPTION_ARG_NONE, &c->no_ask_password,
                 "Do not let polkit ask for a password", NULL},
                {},
        };

        return g_memdup2(entries, sizeof(entries));
}

int ctl_parse_options(Ctl *c, int *argc, char ***argv, const char *parameters, const char *summary,
                      const GOptionEntry *entries, guint min_args, guint max_args)
{
        g_autofree char *params =
                g_strdup_printf("%s%s%s", (*argv)[0], parameters[0] ? " " : "", parameters);
        g_autoptr(GOptionContext) context = g_option_context_new(params);
        g_autofree GOptionEntry *global = ctl_global_options(c);
        g_autoptr(GError) error = NULL;
        guint n;

        g_option_context_set_summary(context, summary);
        if (entries)
                g_option_context_add_main_entries(context, entries, NULL);
        g_option_context_add_main_entries(context, global, NULL);
        if (!g_option_context_parse(context, argc, argv, &error))
                return ctl_usage_error(c, "%s", error->message);
        n = (guint) *argc - 1;
        if (n > 0 && g_str_equal((*argv)[1], "--")) {
                memmove(&(*argv)[1], &(*argv)[2], sizeof(char *) * n);
                (*argc)--;
                n--;
        }
        if (n < min_args || n > max_args) {
                g_autofree char *help = g_option_context_get_help(context, TRUE, NULL);

                fprintf(stderr, "%s", help);
                return CTL_EXIT_USAGE;
        }
        return -1;
}

int ctl_usage_error(Ctl *c, const char *format, ...)
{
        g_autofree char *message = NULL;
        va_list ap;

        va_start(ap, format);
        message = g_strdup_vprintf(format, ap);
        va_end(ap);
        fprintf(stderr, "imapictl %s: %s\n", c->verb ? c->verb : "", message);
        return CTL_EXIT_USAGE;
}

void ctl_say(Ctl *c, const char *format, ...)
{
        va_list ap;

        if (c->quiet || c->json)
                return;
        va_start(ap, format);
        vprintf(format, ap);
        va_end(ap);
        fflush(stdout);
}

char *ctl_format_size(guint64 bytes)
{
        return g_format_size_full(bytes, G_FORMAT_SIZE_IEC_UNITS);
}

void ctl_store_result(GObject *source, GAsyncResult *result, gpointer user_data)
{
        *(GAsyncResult **) user_data = g_object_ref(result);
}

void ctl_wait(Ctl *c, GAsyncResult **result)
{
        while (!*result)
                g_main_context_iteration(NULL, TRUE);
}

/* ---- errors ---- */

static gboolean name_is(const char *name, const char *suffix)
{
        return name && g_str_has_suffix(name, suffix) && strlen(name) > strlen(suffix) &&
               name[strlen(name) - strlen(suffix) - 1] == '.';
}

int ctl_exit_for_error(const GError *error)
{
        g_autofree char *name = imapi_error_dup_dbus_name(error);

        if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || name_is(name, "UserAbort") ||
            name_is(name, "RequestCancelled"))
                return CTL_EXIT_CANCELLED;
        if (name_is(name, "NotAuthorized") || name_is(name, "NotAuthorizedCanObtain") ||
            name_is(name, "NotAuthorizedDismissed") || name_is(name, "AccessDenied") ||
            name_is(name, "InteractiveAuthorizationRequired"))
                return CTL_EXIT_NOT_AUTHORIZED;
        if (name_is(name, "ServiceUnknown") || name_is(name, "NameHasNoOwner") || name_is(name, "NoReply") ||
            name_is(name, "Disconnected") || g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CLOSED) ||
            g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER))
                return CTL_EXIT_UNREACHABLE;
        if (name)
                return CTL_EXIT_DAEMON;
        return CTL_EXIT_INPUT;
}

static char *recorder_owner(Ctl *c, const char *recorder_path)
{
        g_autoptr(ImapiObject) o = NULL;
        ImapiRecorder *r;

        if (!c->client || !recorder_path)
                return NULL;
        o = imapi_client_get_object(c->client, recorder_path);
        r = o ? imapi_object_peek_recorder(o) : NULL;
        return r ? imapi_recorder_dup_owner(r) : NULL;
}

static char *hint_for(Ctl *c, const char *name, const char *message, const char *recorder_path)
{
        if (name_is(name, "DeviceStillInUse")) {
                g_autofree char *owner = recorder_owner(c, recorder_path);

                if (owner && owner[0])
                        return g_strdup_printf(
                                "The recorder is held by \"%s\". Wait until it is done or close it; "
                                "'imapictl monitor' shows when the recorder is free.",
                                owner);
                return g_strdup("Another program holds the recorder. Wait until it is done or close it.");
        }
        if (name_is(name, "NotAuthorizedCanObtain") || name_is(name, "InteractiveAuthorizationRequired"))
                return g_strdup(
                        c->no_ask_password
                                ? "Authentication is required: run again without --no-ask-password."
                                : "Authentication is required but no polkit agent answered: run this in a "
                                  "desktop session, or ask an administrator for a polkit rule.");
        if (name_is(name, "NotAuthorized") || name_is(name, "AccessDenied"))
                return g_strdup(
                        "You are not allowed to do this. An administrator can allow it with a polkit rule "
                        "(e.g. for the cdrom group).");
        if (name_is(name, "NotAuthorizedDismissed"))
                return g_strdup("The authentication dialog was dismissed.");
        if (name_is(name, "MediumNotPresent") || name_is(name, "RecorderMediaNoMedia"))
                return g_strdup("Insert a disc ('imapictl close-tray RECORDER' closes the tray).");
        if (name_is(name, "DiscFull"))
                return g_strdup("The content does not fit: 'imapictl info RECORDER' shows the free space.");
        if (name_is(name, "MediumClosed") || name_is(name, "MediumNotBlank") ||
            name_is(name, "CannotWriteToMedia"))
                return g_strdup(
                        "Use a blank disc, or erase a rewritable one with 'imapictl erase RECORDER'.");
        if (name_is(name, "MediumInvalidType") || name_is(name, "RecorderMediaIncompatible"))
                return g_strdup(
                        "This kind of disc cannot be used for that: 'imapictl info RECORDER' shows it.");
        if (name_is(name, "LimitsExceeded") && message && strstr(message, "StageFiles"))
                return g_strdup(
                        "Burn again with --stage-files: imapid then copies the files into its stash as "
                        "they come instead of keeping them open.");
        if (name_is(name, "LimitsExceeded"))
                return g_strdup("A limit of imapid was reached (see [Limits] in imapid.conf).");
        if (name_is(name, "ServiceUnknown") || name_is(name, "NameHasNoOwner"))
                return g_strdup(
                        "imapid is not running: 'systemctl start imapid'; 'journalctl -u imapid' says why.");
        if (name_is(name, "NoActiveRecorder") || name_is(name, "RecorderRequired"))
                return g_strdup("Choose a recorder with --recorder ('imapictl recorders' lists them).");
        if (name_is(name, "BadJolietName"))
                return g_strdup(
                        "Rename the file, or pass --mangle-names to let imapid replace the characters.");
        if (name_is(name, "FileExists"))
                return g_strdup("Two paths end up at the same place on the disc; rename one (PATH/ with a "
                                "trailing slash puts a folder's contents at the root).");
        if (name_is(name, "LossOfStreaming"))
                return g_strdup(
                        "The recorder ran out of data. Burn at a lower --speed, or enable buffer-underrun "
                        "protection.");
        if (name_is(name, "UserAbort"))
                return g_strdup("Cancelled. A write-once disc may be unusable if writing had started.");
        if (name_is(name, "EraseMediaIsNotErasable") || name_is(name, "EraseMediaIsNotSupported"))
                return g_strdup("Only rewritable discs (CD-RW, DVD-RW, DVD+RW, BD-RE) can be erased.");
        if (name_is(name, "RecorderMediaWriteProtected"))
                return g_strdup("The disc is write-protected.");
        if (name_is(name, "Busy"))
                return g_strdup(
                        "The recorder or disc master is busy with another operation; try again when it "
                        "is done.");
        if (name_is(name, "InvalidImage") || name_is(name, "ImageManagerNoValidVdFound"))
                return g_strdup("The file is not an ISO 9660 or UDF image; --raw burns it anyway.");
        if (name_is(name, "ImageManagerImageNotAligned"))
                return g_strdup("An image must be whole 2048-byte sectors.");
        if (name_is(name, "DataStreamInconsistency") || name_is(name, "DataStreamReadFailure"))
                return g_strdup(
                        "A file changed or could not be read while it was being burned; leave the files "
                        "alone until the burn is done.");
        if (name_is(name, "NotEnoughDiskForStash"))
                return g_strdup("imapid's stash has no room left (see StashDirectory in imapid.conf).");
        if (name_is(name, "TrackNotBigEnough"))
                return g_strdup("Audio tracks must be at least 4 seconds long.");
        if (name_is(name, "DeviceNotPresent"))
                return g_strdup("The recorder is gone (unplugged or removed).");
        return NULL;
}

/* The message without GDBus's "GDBus.Error:NAME: " prefix. */
static char *error_text(const GError *error)
{
        g_autoptr(GError) copy = g_error_copy(error);

        if (g_error_matches(copy, G_IO_ERROR, G_IO_ERROR_DBUS_ERROR) || copy->domain == G_DBUS_ERROR)
                g_dbus_error_strip_remote_error(copy);
        return g_strdup(copy->message);
}

static void error_json(Ctl *c, const char *name, const char *message, const char *hint, int code)
{
        Json *j = c->out;

        json_begin_object(j);
        json_key(j, "error");
        json_begin_object(j);
        json_kv_string(j, "name", name);
        json_kv_string(j, "message", message);
        json_kv_string(j, "hint", hint);
        json_kv_uint(j, "exit", (guint64) code);
        json_end_object(j);
        json_end_object(j);
        json_print(j);
}

int ctl_error(Ctl *c, const GError *error, const char *recorder_path, const char *format, ...)
{
        g_autofree char *what = NULL, *name = imapi_error_dup_dbus_name(error), *text = error_text(error);
        g_autofree char *hint = hint_for(c, name, text, recorder_path);
        int code = ctl_exit_for_error(error);
        va_list ap;

        if (format) {
                va_start(ap, format);
                what = g_strdup_vprintf(format, ap);
                va_end(ap);
        }
        fprintf(stderr, "imapictl: %s%s%s%s%s\n", what ? what : "", what ? ": " : "", name ? name : "",
                name ? ": " : "", text);
        if (hint)
                fprintf(stderr, "Hint: %s\n", hint);
        if (c->json)
                error_json(c, name, text, hint, code);
        return code;
}

/* ---- connecting ---- */

static gboolean start_service(Ctl *c, GError **error)
{
        g_autoptr(GVariant) r = NULL;

        r = g_dbus_connection_call_sync(
                imapi_client_get_connection(c->client), "org.freedesktop.DBus", "/org/freedesktop/DBus",
                "org.freedesktop.DBus", "StartServiceByName", g_variant_new("(su)", IMAPI_BUS_NAME, 0),
                G_VARIANT_TYPE("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, c->cancellable, error);
        return r != NULL;
}

static int ctl_connect_once(Ctl *c, GError **error)
{
        g_autoptr(GAsyncResult) result = NULL;

        g_clear_object(&c->client);
        imapi_client_new(c->cancellable, ctl_store_result, &result);
        ctl_wait(c, &result);
        c->client = imapi_client_new_finish(result, error);
        return c->client != NULL;
}

int ctl_connect(Ctl *c)
{
        g_autoptr(GError) error = NULL;
        g_autofree char *owner = NULL;

        if (!ctl_connect_once(c, &error)) {
                ctl_error(c, error, NULL, "Cannot connect to imapid on the system bus");
                return CTL_EXIT_UNREACHABLE;
        }
        owner = imapi_client_dup_name_owner(c->client);
        if (!owner) {
                /* Not running: let D-Bus activation start it, then look again. */
                if (!start_service(c, &error) || !ctl_connect_once(c, &error)) {
                        ctl_error(c, error, NULL, "imapid is not running and could not be started");
                        return CTL_EXIT_UNREACHABLE;
                }
        }
        imapi_client_set_interactive_authorization(c->client, !c->no_ask_password);
        return -1;
}

void ctl_polkit_agent_open(Ctl *c)
{
        g_autoptr(GSubprocessLauncher) launcher = NULL;
        struct pollfd p = {.events = POLLIN};
        int fds[2];

        if (c->no_ask_password || c->agent || !isatty(STDIN_FILENO) || pipe2(fds, O_CLOEXEC) < 0)
                return;
        launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_NONE);
        g_subprocess_launcher_take_fd(launcher, fds[1], 3);
        /* The agent registers for our login session (unless one is there already), which is where polkit
         * looks for the agent of imapid's subject, our bus name. Without a logind session it just exits. */
        c->agent = g_subprocess_launcher_spawn(launcher, NULL, "pkttyagent", "--notify-fd", "3",
                                               "--fallback", NULL);
        g_clear_object(&launcher); /* our copy of the write end goes: EOF once the agent closes its copy */
        if (c->agent) {
                /* It closes the descriptor once registered (or dies); do not wait forever either way. */
                p.fd = fds[0];
                (void) poll(&p, 1, 10000);
        }
        close(fds[0]);
}

void ctl_polkit_agent_close(Ctl *c)
{
        if (!c->agent)
                return;
        g_subprocess_send_signal(c->agent, SIGTERM);
        (void) g_subprocess_wait(c->agent, NULL, NULL);
        g_clear_object(&c->agent);
}

static void list_recorder_ids(GList *recorders, GString *s)
{
        for (GList *l = recorders; l; l = l->next)
                g_string_append_printf(s, "%s%s", l == recorders ? "" : ", ",
                                       imapi_recorder_get_id(imapi_object_peek_recorder(l->data)));
}

static void no_recorder_json(Ctl *c, const char *message, int code)
{
        if (c->json)
                error_json(c, NULL, message, NULL, code);
}

ImapiObject *ctl_find_recorder(Ctl *c, const char *spec, int *ret_exit)
{
        GList *recorders = imapi_client_get_recorders(c->client);
        g_autoptr(GString) ids = g_string_new(NULL);
        g_autofree char *message = NULL;
        ImapiObject *found = NULL;

        list_recorder_ids(recorders, ids);
        if (spec)
                found = imapi_client_lookup_recorder(c->client, spec);
        else if (recorders && !recorders->next)
                found = g_object_ref(recorders->data);
        if (found) {
                g_list_free_full(recorders, g_object_unref);
                return found;
        }
        if (spec) {
                message = g_strdup_printf("No recorder '%s' (recorders: %s)", spec,
                                          ids->len ? ids->str : "none");
                *ret_exit = CTL_EXIT_NO_RECORDER;
        } else if (!recorders) {
                message = g_strdup("There is no recorder");
                *ret_exit = CTL_EXIT_NO_RECORDER;
        } else {
                message = g_strdup_printf("There are several recorders; choose one with --recorder: %s",
                                          ids->str);
                *ret_exit = CTL_EXIT_USAGE;
        }
        fprintf(stderr, "imapictl: %s\n", message);
        no_recorder_json(c, message, *ret_exit);
        g_list_free_full(recorders, g_object_unref);
        return NULL;
}
