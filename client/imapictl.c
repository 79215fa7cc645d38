/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* imapictl: the command-line client of imapid — list recorders, burn data, images and audio, erase, follow.
 */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>

#include "build-config.h"
#include "imapictl.h"

typedef struct Verb {
        const char *name;
        CtlVerbFunc func;
        const char *arguments;
        const char *summary;
} Verb;

static const Verb verbs[] = {
        {"recorders", verb_recorders, "", "List the recorders and their discs"},
        {"info", verb_info, "RECORDER", "Show everything about a recorder and its disc"},
        {"burn", verb_burn, "[--recorder R] PATH...", "Burn files and folders to a data disc"},
        {"image", verb_image, "[--recorder R] FILE", "Burn a disc image (ISO 9660 or UDF)"},
        {"audio", verb_audio, "[--recorder R] FILE...", "Burn an audio CD from WAV, FLAC or AIFF files"},
        {"erase", verb_erase, "[--full] RECORDER", "Erase a rewritable disc"},
        {"eject", verb_eject, "RECORDER", "Open the tray"},
        {"close-tray", verb_close_tray, "RECORDER", "Close the tray"},
        {"virtual", verb_virtual, "create|remove|load|open-image ...", "Manage virtual recorders"},
        {"monitor", verb_monitor, "", "Follow recorders, disc masters and burns as they change"},
};

static void usage(FILE *f)
{
        fprintf(f, "Usage: imapictl [--json] [--quiet] [--no-ask-password] COMMAND [ARGUMENTS...]\n\n"
                   "Burn CDs, DVDs and Blu-ray discs through imapid.\n\nCommands:\n");
        for (size_t i = 0; i < G_N_ELEMENTS(verbs); i++) {
                g_autofree char *left = g_strdup_printf("%s %s", verbs[i].name, verbs[i].arguments);

                fprintf(f, "  %-44s %s\n", left, verbs[i].summary);
        }
        fprintf(f,
                "\nRECORDER is a recorder's id (virtual_virtual0), a virtual recorder's name (virtual0),\n"
                "its object path or its device node (/dev/sr0).\n\n"
                "Global options:\n"
                "  --json             Print JSON (one document, or one event per line)\n"
                "  -q, --quiet        Print nothing but errors\n"
                "  --no-ask-password  Do not let polkit ask for a password\n\n"
                "Use \"imapictl COMMAND --help\" to get help on each command.\n");
}

static gboolean on_interrupt(gpointer user_data)
{
        Ctl *c = user_data;

        if (++c->interrupts > 1) {
                fprintf(stderr, "\nimapictl: interrupted again; leaving now (imapid cleans up after us)\n");
                _exit(CTL_EXIT_CANCELLED);
        }
        g_cancellable_cancel(c->cancellable);
        return G_SOURCE_CONTINUE;
}

static const Verb *verb_find(const char *name)
{
        for (size_t i = 0; i < G_N_ELEMENTS(verbs); i++)
                if (g_str_equal(verbs[i].name, name))
                        return &verbs[i];
        return NULL;
}

/* The index of the command in argv: the first argument that is not an option; 0 if none. */
static int verb_index(int argc, char **argv)
{
        for (int i = 1; i < argc; i++) {
                if (g_str_equal(argv[i], "--"))
                        return i + 1 < argc ? i + 1 : 0;
                if (argv[i][0] != '-')
                        return i;
        }
        return 0;
}

static int run_verb(Ctl *c, const Verb *v, int argc, char **argv, int index)
{
        g_autofree char **args = g_new0(char *, argc + 1);
        int n = 0, r;

        /* argv without the global options' position mattering: the verb first, then everything else. */
        args[n++] = argv[index];
        for (int i = 1; i < argc; i++)
                if (i != index)
                        args[n++] = argv[i];
        c->verb = v->name;
        r = v->func(c, n, args);
        return r;
}

static int main_no_verb(int argc, char **argv)
{
        for (int i = 1; i < argc; i++) {
                if (g_str_equal(argv[i], "--help") || g_str_equal(argv[i], "-h")) {
                        usage(stdout);
                        return CTL_EXIT_OK;
                }
                if (g_str_equal(argv[i], "--version")) {
                        printf("imapictl %s\n", PACKAGE_VERSION);
                        return CTL_EXIT_OK;
                }
        }
        usage(stderr);
        return CTL_EXIT_USAGE;
}

int main(int argc, char *argv[])
{
        Ctl c = {};
        const Verb *v;
        int index, r;

        setlocale(LC_ALL, "");
        g_set_prgname("imapictl");
        index = verb_index(argc, argv);
        if (index == 0)
                return main_no_verb(argc, argv);
        if (g_str_equal(argv[index], "help")) {
                usage(stdout);
                return CTL_EXIT_OK;
        }
        v = verb_find(argv[index]);
        if (!v) {
                fprintf(stderr, "imapictl: unknown command '%s'\n\n", argv[index]);
                usage(stderr);
                return CTL_EXIT_USAGE;
        }
        c.stdout_tty = isatty(STDOUT_FILENO);
        c.cancellable = g_cancellable_new();
        c.out = json_new();
        signal(SIGPIPE, SIG_IGN);
        g_unix_signal_add(SIGINT, on_interrupt, &c);
        g_unix_signal_add(SIGTERM, on_interrupt, &c);
        r = run_verb(&c, v, argc, argv, index);
        ctl_polkit_agent_close(&c);
        g_clear_object(&c.client);
        g_clear_object(&c.cancellable);
        json_free(c.out);
        return r;
}
