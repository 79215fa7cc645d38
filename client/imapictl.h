/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* imapictl's shared state, exit codes and helpers (connecting, errors with hints, waiting, options). */
#pragma once

#include <imapi.h>

#include "imapictl-json.h"

/* Exit codes, documented in imapictl(1). */
typedef enum CtlExit {
        CTL_EXIT_OK = 0,
        CTL_EXIT_USAGE = 1,          /* bad options or arguments */
        CTL_EXIT_DAEMON = 2,         /* imapid answered with an error (the burn failed, ...) */
        CTL_EXIT_UNREACHABLE = 3,    /* no system bus, or imapid is not running and cannot be started */
        CTL_EXIT_INPUT = 4,          /* a local file cannot be read or used */
        CTL_EXIT_NO_RECORDER = 5,    /* no recorder matches */
        CTL_EXIT_NOT_AUTHORIZED = 6, /* polkit or the bus policy refused */
        CTL_EXIT_CANCELLED = 7,      /* interrupted (Ctrl-C) or cancelled */
} CtlExit;

typedef struct Ctl {
        gboolean json;
        gboolean quiet;
        gboolean no_ask_password;
        gboolean stdout_tty;
        ImapiClient *client;
        GCancellable *cancellable; /* cancelled by the first SIGINT/SIGTERM */
        guint interrupts;
        Json *out;
        const char *verb;
        GSubprocess *agent; /* pkttyagent, while one runs for us */
} Ctl;

typedef int (*CtlVerbFunc)(Ctl *c, int argc, char **argv);

/* Parses argv (argv[0] is the verb) with the verb's options and the global ones; on success leaves the
 * positional arguments in argv[1..]. Returns -1 to go on, or an exit code (--help: 0). */
int ctl_parse_options(Ctl *c, int *argc, char ***argv, const char *parameters, const char *summary,
                      const GOptionEntry *entries, guint min_args, guint max_args);
GOptionEntry *ctl_global_options(Ctl *c);

/* Connects to imapid; prints why not and returns an exit code on failure, else -1. */
int ctl_connect(Ctl *c);

/* Before calls that polkit may check: when polkit may ask and stdin is a terminal, starts pkttyagent for
 * this connection (as systemctl does), so the password can be typed here. Stopped by ..._close(). */
void ctl_polkit_agent_open(Ctl *c);
void ctl_polkit_agent_close(Ctl *c);

/* Finds a recorder (id, virtual name, object path or device node); NULL means "the only one". Prints the
 * problem and sets *ret_exit when there is none (or more than one without a spec). */
ImapiObject *ctl_find_recorder(Ctl *c, const char *spec, int *ret_exit);

/* Prints an error with its D-Bus name and a hint, in JSON too when asked; returns the exit code. */
int ctl_error(Ctl *c, const GError *error, const char *recorder_path, const char *format, ...)
        G_GNUC_PRINTF(4, 5);
int ctl_usage_error(Ctl *c, const char *format, ...) G_GNUC_PRINTF(2, 3);
int ctl_exit_for_error(const GError *error);

/* Iterates the default main context until *result is set (imapictl runs async calls this way, so that
 * Ctrl-C can cancel them). */
void ctl_wait(Ctl *c, GAsyncResult **result);
void ctl_store_result(GObject *source, GAsyncResult *result, gpointer user_data);

/* Human output unless --quiet or --json. */
void ctl_say(Ctl *c, const char *format, ...) G_GNUC_PRINTF(2, 3);

/* "1.4 GiB" style sizes. */
char *ctl_format_size(guint64 bytes);

/* Verbs. */
int verb_recorders(Ctl *c, int argc, char **argv);
int verb_info(Ctl *c, int argc, char **argv);
int verb_burn(Ctl *c, int argc, char **argv);
int verb_image(Ctl *c, int argc, char **argv);
int verb_audio(Ctl *c, int argc, char **argv);
int verb_erase(Ctl *c, int argc, char **argv);
int verb_eject(Ctl *c, int argc, char **argv);
int verb_close_tray(Ctl *c, int argc, char **argv);
int verb_virtual(Ctl *c, int argc, char **argv);
int verb_monitor(Ctl *c, int argc, char **argv);
