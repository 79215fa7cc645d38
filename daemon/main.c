/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* imapid: the disc-burning service on the D-Bus system bus. Command line, logging, then the Manager. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>

#include "build-config.h"
#include "log.h"
#include "manager.h"

static char *arg_bus_address = NULL;
static char *arg_config = NULL;
static bool arg_debug = false;

static void help(void)
{
        printf("%s [OPTIONS...]\n\n"
               "The disc-burning service: owns the CD/DVD/BD recorders and burns for clients on the bus.\n\n"
               "  -h --help                Show this help\n"
               "     --version             Show the version\n"
               "     --bus-address=ADDRESS Serve on this bus instead of the system bus\n"
               "     --config=PATH         Read this configuration file (default: %s)\n"
               "     --debug               Log debug messages (also: SIGUSR1 toggles at run time)\n",
               program_invocation_short_name, IMAPID_CONF_FILE);
}

static int parse_argv(int argc, char *argv[])
{
        enum { ARG_VERSION = 0x100, ARG_BUS_ADDRESS, ARG_CONFIG, ARG_DEBUG };
        static const struct option options[] = {{"help", no_argument, NULL, 'h'},
                                                {"version", no_argument, NULL, ARG_VERSION},
                                                {"bus-address", required_argument, NULL, ARG_BUS_ADDRESS},
                                                {"config", required_argument, NULL, ARG_CONFIG},
                                                {"debug", no_argument, NULL, ARG_DEBUG},
                                                {}};
        int c;

        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        help();
                        return 0;
                case ARG_VERSION:
                        printf("imapid %s\n", PACKAGE_VERSION);
                        return 0;
                case ARG_BUS_ADDRESS:
                        arg_bus_address = optarg;
                        break;
                case ARG_CONFIG:
                        arg_config = optarg;
                        break;
                case ARG_DEBUG:
                        arg_debug = true;
                        break;
                default:
                        return -EINVAL;
                }
        if (optind < argc) {
                fprintf(stderr, "%s takes no arguments.\n", program_invocation_short_name);
                return -EINVAL;
        }
        return 1;
}

static int on_sigusr1(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
        log_set_max_level(log_get_max_level() >= LOG_DEBUG ? LOG_INFO : LOG_DEBUG);
        log_info("Debug logging %s", log_get_max_level() >= LOG_DEBUG ? "on" : "off");
        return 0;
}

/* Staged files are held as the fds clients sent: allow as many as the system lets us. */
static void raise_fd_limit(void)
{
        struct rlimit rl;

        if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= rl.rlim_max)
                return;
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
                log_debug("Failed to raise the open file limit, ignoring: %s", g_strerror(errno));
}

int main(int argc, char *argv[])
{
        g_autoptr(Manager) m = NULL;
        sigset_t mask;
        int r;

        r = parse_argv(argc, argv);
        if (r <= 0)
                return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
        if (arg_debug || g_strcmp0(getenv("IMAPID_DEBUG"), "1") == 0)
                log_set_max_level(LOG_DEBUG);
        umask(0022);
        raise_fd_limit();

        r = manager_new(&m);
        if (r < 0)
                return log_error_errno(r, "Failed to set up: %m"), EXIT_FAILURE;
        m->bus_address = g_strdup(arg_bus_address);

        sigemptyset(&mask);
        sigaddset(&mask, SIGUSR1);
        (void) sigprocmask(SIG_BLOCK, &mask, NULL);
        (void) sd_event_add_signal(m->event, NULL, SIGUSR1, on_sigusr1, NULL);

        r = manager_startup(m, arg_config ?: IMAPID_CONF_FILE, arg_config != NULL);
        if (r < 0)
                return EXIT_FAILURE;
        r = manager_run(m);
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
