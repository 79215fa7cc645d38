/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench-client: the benchmark's lean client of imapid on the system bus (DBUS_SYSTEM_BUS_ADDRESS), so that
 * the figures measure the daemon and the bus rather than a client; one JSON line per run on stdout.
 *
 *   bench-client stage-burn [OPTIONS] SRC   stage SRC's contents with pipelined AddData batches, then
 *                                           RecordDisc; time from the first AddData to BurnComplete
 *   bench-client latency [OPTIONS]          N processes loop Open / SetActiveFormat / Get / Close
 *
 * Run with --help after a command for its options. Not a test and not an example of how to write a client
 * (libimapi's imapi_disc_master_add_tree() is): it trades checks for a small, predictable cost per call. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gio/gio.h>
#include <gio/gunixfdlist.h>

#define BUS_NAME        "org.freedesktop.IMAPI1"
#define ROOT_PATH       "/org/freedesktop/IMAPI1"
#define IFACE           "org.freedesktop.IMAPI1."
#define CALL_TIMEOUT_MS (10 * 60 * 1000)

static double now_s(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static G_GNUC_NORETURN void die(const char *what, GError *error)
{
        fprintf(stderr, "bench-client: %s: %s\n", what, error ? error->message : g_strerror(errno));
        exit(1);
}

static GDBusConnection *bus_connect(void)
{
        const char *address = g_getenv("DBUS_SYSTEM_BUS_ADDRESS");
        g_autoptr(GError) error = NULL;
        GDBusConnection *c;

        if (!address)
                address = "unix:path=/run/dbus/system_bus_socket";
        c = g_dbus_connection_new_for_address_sync(address,
                                                   G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                           G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                   NULL, NULL, &error);
        if (!c)
                die("cannot connect to the system bus", error);
        return c;
}

/* A synchronous call; dies on error. Returns the reply (or NULL when reply_type is NULL). */
static GVariant *call(GDBusConnection *c, const char *path, const char *iface, const char *method,
                      GVariant *params, const char *reply_type)
{
        g_autoptr(GError) error = NULL;
        GVariant *r = g_dbus_connection_call_sync(c, BUS_NAME, path, iface, method, params,
                                                  reply_type ? G_VARIANT_TYPE(reply_type) : NULL,
                                                  G_DBUS_CALL_FLAGS_NONE, CALL_TIMEOUT_MS, NULL, &error);
        if (!r) {
                g_autofree char *what = g_strdup_printf("%s.%s", iface, method);
                die(what, error);
        }
        if (!reply_type) {
                g_variant_unref(r);
                return NULL;
        }
        return r;
}

/* ---- the source tree ---- */

typedef enum EntryKind {
        ENTRY_DIRECTORY,
        ENTRY_FILE,
        ENTRY_SYMLINK,
} EntryKind;

typedef struct Entry {
        char *path; /* relative to the source root: the image path */
        EntryKind kind;
} Entry;

static int compare_names(const void *a, const void *b)
{
        return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Appends the entries below 'rel' (a directory under root_fd, "" for the root) in pre-order, sorted. */
static void walk(int root_fd, const char *rel, GArray *entries)
{
        g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
        int fd = openat(root_fd, *rel ? rel : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        struct dirent *de;

        if (!d)
                die(rel, NULL);
        while ((de = readdir(d)))
                if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
                        g_ptr_array_add(names, g_strdup(de->d_name));
        g_ptr_array_sort(names, compare_names);
        for (guint i = 0; i < names->len; i++) {
                Entry e = {.path = *rel ? g_strconcat(rel, "/", names->pdata[i], NULL)
                                        : g_strdup(names->pdata[i])};
                struct stat st;

                if (fstatat(dirfd(d), names->pdata[i], &st, AT_SYMLINK_NOFOLLOW) < 0)
                        die(e.path, NULL);
                e.kind = S_ISDIR(st.st_mode)   ? ENTRY_DIRECTORY
                         : S_ISLNK(st.st_mode) ? ENTRY_SYMLINK
                                               : ENTRY_FILE;
                g_array_append_val(entries, e);
                if (e.kind == ENTRY_DIRECTORY)
                        walk(root_fd, e.path, entries);
        }
        closedir(d);
}

static void entry_clear(Entry *e)
{
        g_free(e->path);
}

static int entry_open(int root_fd, const Entry *e)
{
        static const int flags[] = {
                [ENTRY_DIRECTORY] = O_RDONLY | O_DIRECTORY,
                [ENTRY_FILE] = O_RDONLY,
                [ENTRY_SYMLINK] = O_PATH | O_NOFOLLOW,
        };
        int fd = openat(root_fd, e->path, flags[e->kind] | O_CLOEXEC);

        if (fd < 0)
                die(e->path, NULL);
        return fd;
}

/* ---- signals of the disc master ---- */

typedef struct Signal {
        double t;
        const char *member; /* interned */
        guint32 a, b;
} Signal;

typedef struct Run {
        GDBusConnection *bus;
        char *dm;
        int root_fd;
        GArray *entries;
        guint next; /* the next entry to send */
        guint in_flight;
        guint max_in_flight;
        guint batch;
        guint files_sent;
        guint stage_files_after; /* G_MAXUINT: never switch */
        gboolean stage_files_on;
        GError *error;
        GArray *signals; /* Signal */
        gboolean complete;
        char *burn_error;
} Run;

static void on_signal(GDBusConnection *c, const char *sender, const char *path, const char *iface,
                      const char *member, GVariant *params, gpointer userdata)
{
        Run *run = userdata;
        Signal s = {.t = now_s(), .member = g_intern_string(member)};

        if (g_str_equal(member, "BurnComplete")) {
                const char *name, *message;

                g_variant_get(params, "(&s&s)", &name, &message);
                if (*name)
                        run->burn_error = g_strdup_printf("%s: %s", name, message);
                run->complete = TRUE;
        } else if (g_variant_is_of_type(params, G_VARIANT_TYPE("(uu)")))
                g_variant_get(params, "(uu)", &s.a, &s.b);
        else if (g_variant_is_of_type(params, G_VARIANT_TYPE("(u)")))
                g_variant_get(params, "(u)", &s.a);
        g_array_append_val(run->signals, s);
        if (g_getenv("BENCH_CLIENT_TRACE"))
                fprintf(stderr, "%.6f %s %u %u\n", s.t, member, s.a, s.b);
}

/* ---- staging ---- */

static void set_stage_files(Run *run, gboolean on)
{
        GVariantBuilder b;

        g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
        g_variant_builder_add(&b, "{sv}", "StageFiles", g_variant_new_boolean(on));
        g_variant_unref(call(run->bus, run->dm, IFACE "JolietDiscMaster", "SetJolietProperties",
                             g_variant_new("(a{sv})", &b), "(as)"));
        run->stage_files_on = on;
}

static void on_add_data_done(GObject *source, GAsyncResult *result, gpointer userdata)
{
        Run *run = userdata;
        g_autoptr(GError) error = NULL;
        GVariant *r = g_dbus_connection_call_with_unix_fd_list_finish(G_DBUS_CONNECTION(source), NULL,
                                                                      result, &error);

        run->in_flight--;
        if (r)
                g_variant_unref(r);
        else if (!run->error)
                run->error = g_steal_pointer(&error);
}

/* How many of the next entries form one batch: at most 'batch', and ending at the file after which
 * StageFiles is switched on. */
static guint batch_length(Run *run)
{
        guint n = 0, files = run->files_sent;

        while (n < run->batch && run->next + n < run->entries->len) {
                const Entry *e = &g_array_index(run->entries, Entry, run->next + n);

                if (e->kind == ENTRY_FILE && !run->stage_files_on && files == run->stage_files_after)
                        break;
                files += e->kind == ENTRY_FILE;
                n++;
        }
        return n;
}

static void send_batch(Run *run)
{
        guint n = batch_length(run);
        g_autofree int *fds = g_new(int, n);
        GVariantBuilder b;
        g_autoptr(GUnixFDList) list = NULL;

        g_variant_builder_init(&b, G_VARIANT_TYPE("a(sh)"));
        for (guint i = 0; i < n; i++) {
                const Entry *e = &g_array_index(run->entries, Entry, run->next + i);

                fds[i] = entry_open(run->root_fd, e);
                g_variant_builder_add(&b, "(sh)", e->path, (gint32) i);
                run->files_sent += e->kind == ENTRY_FILE;
        }
        list = g_unix_fd_list_new_from_array(fds, (gint) n); /* takes the fds */
        run->next += n;
        run->in_flight++;
        g_dbus_connection_call_with_unix_fd_list(run->bus, BUS_NAME, run->dm, IFACE "JolietDiscMaster",
                                                 "AddData", g_variant_new("(a(sh)a{sv})", &b, NULL), NULL,
                                                 G_DBUS_CALL_FLAGS_NONE, CALL_TIMEOUT_MS, list, NULL,
                                                 on_add_data_done, run);
}

/* AddData for every entry: up to max_in_flight calls pipelined (StageFiles copies answer only when done and
 * refuse a second call meanwhile, so one at a time then). */
static void stage(Run *run)
{
        GMainContext *ctx = g_main_context_default();

        while (!run->error && (run->next < run->entries->len || run->in_flight > 0)) {
                guint limit = run->stage_files_on ? 1 : run->max_in_flight;

                if (run->next < run->entries->len && run->in_flight < limit && batch_length(run) > 0) {
                        send_batch(run);
                        continue;
                }
                if (run->in_flight == 0 && !run->stage_files_on) { /* the switch point: all answered */
                        set_stage_files(run, TRUE);
                        continue;
                }
                g_main_context_iteration(ctx, TRUE);
        }
        if (run->error)
                die("AddData", run->error);
}

/* ---- what the signals say ---- */

static gboolean is_progress(const char *member)
{
        return g_str_equal(member, "AddProgress") || g_str_equal(member, "BlockProgress") ||
               g_str_equal(member, "TrackProgress") || g_str_equal(member, "PreparingBurn") ||
               g_str_equal(member, "ClosingDisc");
}

/* The most signals within any one second from 'from' on, and how many there were in all: every progress
 * signal when 'member' is NULL, else only that one. */
static void signal_rate(GArray *signals, double from, const char *member, guint *ret_max, guint *ret_n)
{
        g_autoptr(GArray) t = g_array_new(FALSE, FALSE, sizeof(double));
        guint max = 0, lo = 0;

        for (guint i = 0; i < signals->len; i++) {
                const Signal *s = &g_array_index(signals, Signal, i);

                if (s->t >= from && (member ? g_str_equal(s->member, member) : is_progress(s->member)))
                        g_array_append_val(t, s->t);
        }
        for (guint i = 0; i < t->len; i++) {
                while (g_array_index(t, double, lo) <= g_array_index(t, double, i) - 1.0)
                        lo++;
                max = MAX(max, i - lo + 1);
        }
        *ret_max = max;
        *ret_n = t->len;
}

/* The writing phase seen from BlockProgress: the least-squares slope of blocks over time for the samples
 * past 'skip_blocks' (the drive's buffer fills at host speed first), and the span of all of them. */
static void write_rate(GArray *signals, guint64 skip_blocks, double *ret_slope, double *ret_span,
                       guint *ret_samples)
{
        double sx = 0, sy = 0, sxx = 0, sxy = 0, t0 = -1, first = -1, last = -1;
        guint n = 0;

        for (guint i = 0; i < signals->len; i++) {
                const Signal *s = &g_array_index(signals, Signal, i);

                if (s->member != g_intern_static_string("BlockProgress"))
                        continue;
                if (first < 0)
                        first = s->t;
                last = s->t;
                if (s->a < skip_blocks)
                        continue;
                if (t0 < 0)
                        t0 = s->t;
                sx += s->t - t0;
                sy += s->a;
                sxx += (s->t - t0) * (s->t - t0);
                sxy += (s->t - t0) * s->a;
                n++;
        }
        *ret_slope = n > 2 && n * sxx - sx * sx > 0 ? (n * sxy - sx * sy) / (n * sxx - sx * sx) : 0;
        *ret_span = first >= 0 ? last - first : 0;
        *ret_samples = n;
}

static guint count_signals(GArray *signals, const char *member)
{
        guint n = 0;

        for (guint i = 0; i < signals->len; i++)
                n += g_str_equal(g_array_index(signals, Signal, i).member, member);
        return n;
}

/* ---- stage-burn ---- */

typedef struct StageOptions {
        char *recorder;
        char *profile;
        gint batch;
        gint in_flight;
        gint max_files;
        gint stage_files_after;
        gboolean stage_files;
        gboolean no_burn;
        gint write_speed;
        gint skip_mib;
} StageOptions;

static void open_disc_master(Run *run, const StageOptions *o)
{
        GVariantBuilder b;
        g_autoptr(GVariant) r = NULL;

        if (o->profile)
                call(run->bus, o->recorder, IFACE "VirtualRecorder", "LoadMedium",
                     g_variant_new_parsed("(%s, @a{sv} {})", o->profile), NULL);
        g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
        g_variant_builder_add(&b, "{sv}", "client-name", g_variant_new_string("bench"));
        r = call(run->bus, ROOT_PATH, IFACE "Manager", "Open", g_variant_new("(a{sv})", &b), "(o)");
        g_variant_get(r, "(o)", &run->dm);
        call(run->bus, run->dm, IFACE "DiscMaster", "SetActiveFormat", g_variant_new("(s)", "joliet"), NULL);
        call(run->bus, run->dm, IFACE "DiscMaster", "SetActiveRecorder", g_variant_new("(o)", o->recorder),
             NULL);
        set_stage_files(run, o->stage_files || o->stage_files_after == 0);
}

static void record(Run *run, const StageOptions *o)
{
        GMainContext *ctx = g_main_context_default();
        GVariantBuilder b;

        g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
        if (o->write_speed > 0)
                g_variant_builder_add(&b, "{sv}", "write-speed",
                                      g_variant_new_uint32((guint32) o->write_speed));
        call(run->bus, run->dm, IFACE "DiscMaster", "RecordDisc",
             g_variant_new("(bba{sv})", FALSE, FALSE, &b), NULL);
        while (!run->complete)
                g_main_context_iteration(ctx, TRUE);
}

static void print_stage_result(Run *run, const StageOptions *o, double t0, double t_added, double t_end)
{
        g_autofree char *escaped = run->burn_error ? g_strescape(run->burn_error, NULL) : NULL;
        guint files = 0, max_per_s, n_progress, block_max_per_s, n_block, samples;
        double slope, span;

        for (guint i = 0; i < run->entries->len; i++)
                files += g_array_index(run->entries, Entry, i).kind == ENTRY_FILE;
        signal_rate(run->signals, t_added, NULL, &max_per_s, &n_progress);
        signal_rate(run->signals, t_added, "BlockProgress", &block_max_per_s, &n_block);
        write_rate(run->signals, (guint64) o->skip_mib * 512, &slope, &span, &samples);
        printf("{\"entries\": %u, \"files\": %u, \"add_s\": %.6f, \"burn_s\": %.6f, \"total_s\": %.6f, "
               "\"entries_per_s\": %.1f, \"write_span_s\": %.6f, \"write_blocks_per_s\": %.1f, "
               "\"write_samples\": %u, \"progress_signals\": %u, \"progress_max_per_s\": %u, "
               "\"progress_per_s\": %.2f, \"block_progress\": %u, \"block_progress_max_per_s\": %u, "
               "\"add_progress\": %u, "
               "\"properties_changed\": %u, \"error\": %s%s%s}\n",
               run->entries->len, files, t_added - t0, t_end - t_added, t_end - t0,
               run->entries->len / MAX(t_added - t0, 1e-9), span, slope, samples, n_progress, max_per_s,
               t_end > t_added ? n_progress / (t_end - t_added) : 0.0, n_block, block_max_per_s,
               count_signals(run->signals, "AddProgress"), count_signals(run->signals, "PropertiesChanged"),
               run->burn_error ? "\"" : "", escaped ?: "null", run->burn_error ? "\"" : "");
}

static int cmd_stage_burn(int argc, char *argv[])
{
        StageOptions o = {
                .batch = 253, .in_flight = 3, .max_files = -1, .stage_files_after = -1, .skip_mib = 0};
        GOptionEntry options[] = {
                {"recorder", 0, 0, G_OPTION_ARG_STRING, &o.recorder, "Recorder object path", "PATH"},
                {"profile", 0, 0, G_OPTION_ARG_STRING, &o.profile, "Load a blank disc of PROFILE first",
                 "P"},
                {"batch", 0, 0, G_OPTION_ARG_INT, &o.batch, "Entries (fds) per AddData call (253)", "N"},
                {"in-flight", 0, 0, G_OPTION_ARG_INT, &o.in_flight, "AddData calls pipelined (3)", "N"},
                {"max-files", 0, 0, G_OPTION_ARG_INT, &o.max_files, "Stop after N files", "N"},
                {"stage-files", 0, 0, G_OPTION_ARG_NONE, &o.stage_files, "StageFiles: copy into the stash",
                 NULL},
                {"stage-files-after", 0, 0, G_OPTION_ARG_INT, &o.stage_files_after,
                 "Hand over fds for N files, then switch StageFiles on", "N"},
                {"no-burn", 0, 0, G_OPTION_ARG_NONE, &o.no_burn, "Stage only", NULL},
                {"write-speed", 0, 0, G_OPTION_ARG_INT, &o.write_speed, "RecordDisc write-speed", "X"},
                {"skip-mib", 0, 0, G_OPTION_ARG_INT, &o.skip_mib,
                 "Leave the first MiB out of the write rate (the drive buffer filling)", "N"},
                {},
        };
        g_autoptr(GOptionContext) ctx = g_option_context_new("SRC");
        g_autoptr(GError) error = NULL;
        Run run = {.max_in_flight = 3};
        double t0, t_added, t_end;
        int r;

        g_option_context_add_main_entries(ctx, options, NULL);
        if (!g_option_context_parse(ctx, &argc, &argv, &error) || argc != 2 || o.batch < 1 ||
            o.in_flight < 1) {
                fprintf(stderr, "usage: bench-client stage-burn [OPTIONS] SRC (--help)\n");
                return 2;
        }
        if (!o.recorder)
                o.recorder = g_strdup(ROOT_PATH "/Recorder/virtual_5fvirtual0");
        run.bus = bus_connect();
        run.root_fd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (run.root_fd < 0)
                die(argv[1], NULL);
        run.batch = (guint) o.batch;
        run.max_in_flight = (guint) o.in_flight;
        run.stage_files_after = o.stage_files_after < 0 ? G_MAXUINT : (guint) o.stage_files_after;
        run.entries = g_array_new(FALSE, FALSE, sizeof(Entry));
        g_array_set_clear_func(run.entries, (GDestroyNotify) entry_clear);
        run.signals = g_array_new(FALSE, FALSE, sizeof(Signal));
        open_disc_master(&run, &o);
        g_dbus_connection_signal_subscribe(run.bus, BUS_NAME, IFACE "DiscMaster", NULL, run.dm, NULL,
                                           G_DBUS_SIGNAL_FLAGS_NONE, on_signal, &run, NULL);
        g_dbus_connection_signal_subscribe(run.bus, BUS_NAME, "org.freedesktop.DBus.Properties",
                                           "PropertiesChanged", run.dm, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                           on_signal, &run, NULL);

        t0 = now_s();
        walk(run.root_fd, "", run.entries);
        if (o.max_files >= 0) {
                guint files = 0, n = 0;
                for (; n < run.entries->len && files < (guint) o.max_files; n++)
                        files += g_array_index(run.entries, Entry, n).kind == ENTRY_FILE;
                g_array_set_size(run.entries, n);
        }
        stage(&run);
        t_added = now_s();
        if (!o.no_burn)
                record(&run, &o);
        t_end = now_s();
        print_stage_result(&run, &o, t0, t_added, t_end);
        call(run.bus, run.dm, IFACE "DiscMaster", "Close", NULL, NULL);

        r = run.burn_error ? 1 : 0;
        g_array_unref(run.entries);
        g_array_unref(run.signals);
        g_free(run.burn_error);
        g_free(run.dm);
        g_free(o.recorder);
        g_free(o.profile);
        close(run.root_fd);
        g_object_unref(run.bus);
        return r;
}

/* ---- latency ---- */

typedef enum Method {
        METHOD_OPEN,
        METHOD_SET_ACTIVE_FORMAT,
        METHOD_GET,
        METHOD_CLOSE,
        METHOD_PING, /* org.freedesktop.DBus.Peer.Ping of imapid: sd-bus answers it, no handler of ours */
        METHOD_BUS_PING, /* the same to dbus-daemon: the bus and the scheduler, without imapid */
        _METHOD_MAX,
} Method;

static const char *const method_names[_METHOD_MAX] = {"Open", "SetActiveFormat", "Get", "Close",
                                                      "Ping", "BusPing"};
#define N_LOOP_CALLS 4 /* the calls of the loop; the pings are baselines, not counted in "all" */

typedef struct Sample {
        guint8 method;
        float usec;
} Sample;

static double timed(GDBusConnection *c, const char *path, const char *iface, const char *method,
                    GVariant *params, const char *reply_type, GVariant **ret)
{
        double t0 = now_s();
        GVariant *r = call(c, path, iface, method, params, reply_type);
        double t1 = now_s();

        if (ret)
                *ret = r;
        else if (r)
                g_variant_unref(r);
        return (t1 - t0) * 1e6;
}

static double bus_ping(GDBusConnection *c)
{
        g_autoptr(GError) error = NULL;
        double t0 = now_s();
        g_autoptr(GVariant) r = g_dbus_connection_call_sync(
                c, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.Peer", "Ping",
                NULL, NULL, G_DBUS_CALL_FLAGS_NONE, CALL_TIMEOUT_MS, NULL, &error);
        if (!r)
                die("org.freedesktop.DBus.Peer.Ping", error);
        return (now_s() - t0) * 1e6;
}

/* One client: loops until 'until', pacing each loop to start 'period' after the previous one (0: closed
 * loop); writes its samples to fd. */
static void latency_client(int fd, double until, double period, unsigned seed)
{
        g_autoptr(GDBusConnection) c = bus_connect();
        g_autoptr(GArray) samples = g_array_new(FALSE, FALSE, sizeof(Sample));
        double next = now_s() + period * (double) (seed % 1000) / 1000.0; /* spread the clients' phases */

        while (now_s() < until) {
                g_autofree char *dm = NULL;
                GVariant *r = NULL;
                Sample s[_METHOD_MAX];

                if (period > 0) {
                        double wait = next - now_s();
                        if (wait > 0)
                                g_usleep((gulong) (wait * 1e6));
                        next += period;
                }
                s[0] = (Sample){METHOD_OPEN, (float) timed(c, ROOT_PATH, IFACE "Manager", "Open",
                                                           g_variant_new_parsed("(@a{sv} {},)"), "(o)", &r)};
                g_variant_get(r, "(o)", &dm);
                g_variant_unref(r);
                s[1] = (Sample){METHOD_SET_ACTIVE_FORMAT,
                                (float) timed(c, dm, IFACE "DiscMaster", "SetActiveFormat",
                                              g_variant_new("(s)", "joliet"), NULL, NULL)};
                s[2] = (Sample){METHOD_GET,
                                (float) timed(c, dm, "org.freedesktop.DBus.Properties", "Get",
                                              g_variant_new("(ss)", IFACE "DiscMaster", "ActiveFormat"),
                                              "(v)", NULL)};
                s[3] = (Sample){METHOD_CLOSE,
                                (float) timed(c, dm, IFACE "DiscMaster", "Close", NULL, NULL, NULL)};
                s[4] = (Sample){METHOD_PING, (float) timed(c, ROOT_PATH, "org.freedesktop.DBus.Peer", "Ping",
                                                           NULL, NULL, NULL)};
                s[5] = (Sample){METHOD_BUS_PING, (float) bus_ping(c)};
                g_array_append_vals(samples, s, _METHOD_MAX);
        }
        if (write(fd, samples->data, samples->len * sizeof(Sample)) !=
            (ssize_t) (samples->len * sizeof(Sample)))
                die("write", NULL);
}

static int compare_floats(const void *a, const void *b)
{
        float x = *(const float *) a, y = *(const float *) b;
        return (x > y) - (x < y);
}

static double percentile(const float *sorted, size_t n, double p)
{
        return n ? sorted[MIN((size_t) (p * (double) n), n - 1)] : 0;
}

static void print_latency(GArray *samples, double seconds, int clients, double rate)
{
        g_autofree float *all = g_new(float, samples->len + 1);
        struct rusage ru;
        size_t n_all = 0;

        guint calls = samples->len / _METHOD_MAX * N_LOOP_CALLS;

        printf("{\"clients\": %d, \"seconds\": %.3f, \"loop_rate_per_client\": %.1f, \"calls\": %u, "
               "\"calls_per_s\": %.1f, \"all_calls_per_s\": %.1f",
               clients, seconds, rate, calls, calls / seconds, samples->len / seconds);
        for (int m = 0; m <= _METHOD_MAX; m++) {
                size_t n = 0;
                float *v = m == _METHOD_MAX ? all : g_new(float, samples->len + 1);

                if (m == _METHOD_MAX)
                        n = n_all;
                else
                        for (guint i = 0; i < samples->len; i++)
                                if (g_array_index(samples, Sample, i).method == m) {
                                        v[n++] = g_array_index(samples, Sample, i).usec;
                                        if (m < N_LOOP_CALLS)
                                                all[n_all++] = v[n - 1];
                                }
                qsort(v, n, sizeof(float), compare_floats);
                printf(", \"%s\": {\"n\": %zu, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f}",
                       m == _METHOD_MAX ? "all" : method_names[m], n, percentile(v, n, 0.50) / 1e3,
                       percentile(v, n, 0.99) / 1e3, n ? v[n - 1] / 1e3 : 0.0);
                if (m != _METHOD_MAX)
                        g_free(v);
        }
        if (getrusage(RUSAGE_CHILDREN, &ru) == 0)
                printf(", \"clients_cpu_s\": %.3f", (double) ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
                                                            (double) ru.ru_stime.tv_sec +
                                                            ru.ru_stime.tv_usec / 1e6);
        printf("}\n");
}

static int cmd_latency(int argc, char *argv[])
{
        gint clients = 50;
        gdouble seconds = 5, rate = 0;
        GOptionEntry options[] = {
                {"clients", 0, 0, G_OPTION_ARG_INT, &clients, "Client processes (50)", "N"},
                {"seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "Duration (5)", "S"},
                {"rate", 0, 0, G_OPTION_ARG_DOUBLE, &rate,
                 "Loops per second per client (0: as fast as answers come)", "R"},
                {},
        };
        g_autoptr(GOptionContext) ctx = g_option_context_new("");
        g_autoptr(GError) error = NULL;
        g_autoptr(GArray) samples = g_array_new(FALSE, FALSE, sizeof(Sample));
        g_autofree pid_t *pids = NULL;
        g_autofree int *pipes = NULL;
        double start, until;
        int failed = 0;

        g_option_context_add_main_entries(ctx, options, NULL);
        if (!g_option_context_parse(ctx, &argc, &argv, &error) || argc != 1 || clients < 1 || seconds <= 0) {
                fprintf(stderr, "usage: bench-client latency [--clients N] [--seconds S] [--rate R]\n");
                return 2;
        }
        pids = g_new(pid_t, clients);
        pipes = g_new(int, clients);
        start = now_s() + 0.5; /* every client connected before the clock starts */
        until = start + seconds;
        for (int i = 0; i < clients; i++) {
                int p[2];

                if (pipe2(p, O_CLOEXEC) < 0)
                        die("pipe", NULL);
                pids[i] = fork();
                if (pids[i] < 0)
                        die("fork", NULL);
                if (pids[i] == 0) {
                        close(p[0]);
                        latency_client(p[1], until, rate > 0 ? 1.0 / rate : 0, (unsigned) i * 997u);
                        _exit(0);
                }
                close(p[1]);
                pipes[i] = p[0];
        }
        for (int i = 0; i < clients; i++) {
                Sample buf[512];
                ssize_t n;
                int status;

                while ((n = read(pipes[i], buf, sizeof(buf))) > 0)
                        g_array_append_vals(samples, buf, (guint) ((size_t) n / sizeof(Sample)));
                close(pipes[i]);
                if (waitpid(pids[i], &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
                        failed++;
        }
        if (failed) {
                fprintf(stderr, "bench-client: %d latency clients failed\n", failed);
                return 1;
        }
        print_latency(samples, now_s() - start > seconds ? seconds : now_s() - start, clients, rate);
        return 0;
}

int main(int argc, char *argv[])
{
        signal(SIGPIPE, SIG_IGN);
        if (argc >= 2 && g_str_equal(argv[1], "stage-burn"))
                return cmd_stage_burn(argc - 1, argv + 1);
        if (argc >= 2 && g_str_equal(argv[1], "latency"))
                return cmd_latency(argc - 1, argv + 1);
        fprintf(stderr,
                "usage: bench-client stage-burn|latency [OPTIONS] (see the top of bench/bench-client.c)\n");
        return 2;
}
