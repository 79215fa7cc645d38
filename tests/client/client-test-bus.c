/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The fixture of libimapi's tests on the real imapid (see client-test-bus.h). */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>

#include "client-test-bus.h"

const BusOptions default_bus = {"cd-r", 0, NULL};

/* The command that stops the running test's bus, for a test that dies on an assertion or a signal: then no
 * teardown runs, and the daemons must not outlive it. Set up before the bus starts. */
static char *stop_argv[5];

static void on_fatal_signal(int sig)
{
        pid_t pid;

        if (stop_argv[0]) {
                pid = fork();
                if (pid == 0) {
                        execv(stop_argv[0], stop_argv);
                        _exit(127);
                }
                if (pid > 0)
                        (void) waitpid(pid, NULL, 0);
        }
        signal(sig, SIG_DFL);
        raise(sig);
}

static void arm_stop(const char *dev_bus, const char *dir)
{
        static const int signals[] = {SIGABRT, SIGSEGV, SIGBUS, SIGTERM, SIGINT};

        for (guint i = 0; i < G_N_ELEMENTS(stop_argv); i++)
                g_clear_pointer(&stop_argv[i], g_free);
        if (dev_bus) {
                stop_argv[0] = g_strdup(dev_bus);
                stop_argv[1] = g_strdup("stop");
                stop_argv[2] = g_strdup("--dir");
                stop_argv[3] = g_strdup(dir);
        }
        for (guint i = 0; i < G_N_ELEMENTS(signals); i++)
                signal(signals[i], on_fatal_signal);
}

static const char *source_dir(void)
{
        return g_getenv("IMAPID_SOURCE_DIR") ?: IMAPID_SOURCE_DIR;
}

static const char *build_dir(void)
{
        return g_getenv("IMAPID_BUILD_DIR") ?: IMAPID_BUILD_DIR;
}

/* Runs a program of ours or a tool, in 'cwd' when given; fails the test unless it exits with 0. */
void run_checked(const char *const *argv, const char *cwd)
{
        g_autoptr(GError) error = NULL;
        g_autofree char *out = NULL, *err = NULL;
        int status;

        g_spawn_sync(cwd, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                     &error);
        g_assert_no_error(error);
        if (!g_spawn_check_wait_status(status, NULL))
                g_error("%s failed:\n%s%s", argv[0], out, err);
}

static void free_call(gpointer data)
{
        Call *c = data;

        g_free(c->member);
        g_clear_pointer(&c->body, g_variant_unref);
        g_free(c);
}

/* Records the method calls this connection sends to imapid's objects (proxies send them to its unique name);
 * lets every message through unchanged. */
static GDBusMessage *record_call(GDBusConnection *connection, GDBusMessage *message, gboolean incoming,
                                 gpointer user_data)
{
        Fixture *f = user_data;
        Call *c;

        if (incoming || g_dbus_message_get_message_type(message) != G_DBUS_MESSAGE_TYPE_METHOD_CALL ||
            !g_str_has_prefix(g_dbus_message_get_path(message), IMAPI_MANAGER_PATH))
                return message;
        c = g_new0(Call, 1);
        c->member = g_strdup(g_dbus_message_get_member(message));
        c->flags = g_dbus_message_get_flags(message);
        if (g_dbus_message_get_body(message))
                c->body = g_variant_ref(g_dbus_message_get_body(message));
        g_mutex_lock(&f->lock);
        g_ptr_array_add(f->calls, c);
        g_mutex_unlock(&f->lock);
        return message;
}

void fixture_setup(Fixture *f, gconstpointer data)
{
        const BusOptions *o = data ?: &default_bus;
        g_autoptr(GError) error = NULL;
        g_autofree char *dev_bus = g_build_filename(source_dir(), "tools", "dev-bus", NULL);
        g_autofree char *speed = g_strdup_printf("%u", o->speed);
        g_autofree char *config = NULL;
        g_autofree char *address = NULL;
        /* clang-format off */
        const char *argv[16] = {
                dev_bus, "start", "--dir", NULL, "--build", build_dir(), "--medium", o->medium, "--speed", speed,
        };
        /* clang-format on */

        f->dir = g_dir_make_tmp("imapi-client-XXXXXX", &error);
        g_assert_no_error(error);
        g_assert_cmpint(chmod(f->dir, 0755), ==, 0);
        f->tmp = g_build_filename(f->dir, "files", NULL);
        g_assert_cmpint(g_mkdir(f->tmp, 0755), ==, 0);
        argv[3] = f->dir;
        if (o->config) {
                config = g_build_filename(f->dir, "extra.conf", NULL);
                g_file_set_contents(config, o->config, -1, &error);
                g_assert_no_error(error);
                argv[10] = "--config";
                argv[11] = config;
        }
        arm_stop(dev_bus, f->dir);
        run_checked(argv, NULL);

        address = g_strdup_printf("unix:path=%s/system_bus_socket", f->dir);
        f->connection = g_dbus_connection_new_for_address_sync(
                address,
                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                        G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                NULL, NULL, &error);
        g_assert_no_error(error);
        g_mutex_init(&f->lock);
        f->calls = g_ptr_array_new_with_free_func(free_call);
        f->filter_id = g_dbus_connection_add_filter(f->connection, record_call, f, NULL);
        f->client = imapi_client_new_for_connection_sync(f->connection, NULL, &error);
        g_assert_no_error(error);
}

void fixture_teardown(Fixture *f, gconstpointer data)
{
        g_autofree char *dev_bus = g_build_filename(source_dir(), "tools", "dev-bus", NULL);
        const char *stop[] = {dev_bus, "stop", "--dir", f->dir, NULL};
        const char *rm[] = {"rm", "-rf", f->dir, NULL};

        g_clear_object(&f->client);
        g_dbus_connection_remove_filter(f->connection, f->filter_id);
        g_dbus_connection_close_sync(f->connection, NULL, NULL);
        g_clear_object(&f->connection);
        run_checked(stop, NULL);
        arm_stop(NULL, NULL);
        run_checked(rm, NULL);
        g_ptr_array_unref(f->calls);
        g_mutex_clear(&f->lock);
        g_free(f->tmp);
        g_free(f->dir);
}

/* ---- what the client sent ---- */

guint calls_count(Fixture *f, const char *member)
{
        guint n = 0;

        g_mutex_lock(&f->lock);
        for (guint i = 0; i < f->calls->len; i++)
                n += g_str_equal(((Call *) f->calls->pdata[i])->member, member);
        g_mutex_unlock(&f->lock);
        return n;
}

/* The nth (0-based; -1: the last) call of 'member'; its body and flags stay valid until teardown. */
const Call *calls_get(Fixture *f, const char *member, int nth)
{
        const Call *found = NULL;
        int seen = 0;

        g_mutex_lock(&f->lock);
        for (guint i = 0; i < f->calls->len; i++) {
                const Call *c = f->calls->pdata[i];

                if (g_str_equal(c->member, member) && (nth < 0 || seen++ == nth))
                        found = c;
        }
        g_mutex_unlock(&f->lock);
        g_assert_nonnull(found);
        return found;
}

/* Entries in the nth AddData call. */
gsize add_data_entries(Fixture *f, int nth)
{
        g_autoptr(GVariant) entries = g_variant_get_child_value(calls_get(f, "AddData", nth)->body, 0);

        return g_variant_n_children(entries);
}

/* ---- files ---- */

char *tmp_path(Fixture *f, const char *name)
{
        return g_build_filename(f->tmp, name, NULL);
}

void write_file(const char *path, gsize size)
{
        g_autofree char *data = g_malloc0(size + 1);
        g_autoptr(GError) error = NULL;

        memset(data, 'x', size);
        g_file_set_contents(path, data, (gssize) size, &error);
        g_assert_no_error(error);
}

static int compare_strings(gconstpointer a, gconstpointer b)
{
        return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* Appends "path type size" of everything below 'dir' (type d, f or l; size 0 but for files). */
void list_tree(const char *dir, const char *prefix, GPtrArray *lines)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(GDir) d = g_dir_open(dir, 0, &error);
        const char *name;

        g_assert_no_error(error);
        while ((name = g_dir_read_name(d))) {
                g_autofree char *full = g_build_filename(dir, name, NULL);
                g_autofree char *rel = prefix[0] ? g_strconcat(prefix, "/", name, NULL) : g_strdup(name);
                struct stat st;

                g_assert_cmpint(lstat(full, &st), ==, 0);
                g_ptr_array_add(lines, g_strdup_printf("%s %c %" G_GINT64_FORMAT, rel,
                                                       S_ISDIR(st.st_mode)   ? 'd'
                                                       : S_ISLNK(st.st_mode) ? 'l'
                                                                             : 'f',
                                                       S_ISREG(st.st_mode) ? (gint64) st.st_size : 0));
                if (S_ISDIR(st.st_mode))
                        list_tree(full, rel, lines);
        }
}

char *lines_join(GPtrArray *lines)
{
        GString *s = g_string_new(NULL);

        g_ptr_array_sort(lines, compare_strings);
        for (guint i = 0; i < lines->len; i++)
                g_string_append_printf(s, "%s\n", (const char *) lines->pdata[i]);
        return g_string_free(s, FALSE);
}

/* ---- the disc ---- */

ImapiObject *lookup(Fixture *f, const char *spec)
{
        return imapi_client_lookup_recorder(f->client, spec);
}

/* A property of an object as imapid has it now (not from a proxy's cache). */
GVariant *property_get(Fixture *f, const char *path, const char *iface, const char *property)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(GVariant) r = g_dbus_connection_call_sync(
                f->connection, IMAPI_BUS_NAME, path, "org.freedesktop.DBus.Properties", "Get",
                g_variant_new("(ss)", iface, property), G_VARIANT_TYPE("(v)"), G_DBUS_CALL_FLAGS_NONE, -1,
                NULL, &error);
        GVariant *v;

        g_assert_no_error(error);
        g_variant_get(r, "(v)", &v);
        return v;
}

GVariant *recorder_get(Fixture *f, const char *path, const char *property)
{
        return property_get(f, path, "org.freedesktop.IMAPI1.Recorder", property);
}

char *disc_master_get_string(Fixture *f, ImapiDiscMaster *dm, const char *iface, const char *property)
{
        g_autoptr(GVariant) v =
                property_get(f, g_dbus_proxy_get_object_path(G_DBUS_PROXY(dm)), iface, property);

        return g_variant_is_of_type(v, G_VARIANT_TYPE_UINT32)
                       ? g_strdup_printf("%u", g_variant_get_uint32(v))
                       : g_variant_dup_string(v, NULL);
}

guint media_flags(Fixture *f, const char *path)
{
        g_autoptr(GVariant) v = recorder_get(f, path, "MediaFlags");

        return g_variant_get_uint32(v);
}

/* Copies what the virtual recorder at 'path' holds to tmp/NAME; returns its path and the cue sheet. */
char *read_disc(Fixture *f, const char *path, const char *name, char **ret_cue)
{
        g_autoptr(ImapiObject) o = imapi_client_get_object(f->client, path);
        g_autoptr(GError) error = NULL;
        g_autoptr(GVariant) handle = NULL;
        g_autoptr(GUnixFDList) fds = NULL;
        g_autofree char *cue = NULL;
        g_autofree char *out = tmp_path(f, name);
        g_autoptr(GFile) dst = g_file_new_for_path(out);
        g_autoptr(GFileOutputStream) os = NULL;
        g_autoptr(GInputStream) is = NULL;

        g_assert_nonnull(o);
        g_assert_true(imapi_virtual_recorder_call_open_image_sync(
                imapi_object_peek_virtual_recorder(o), g_variant_new("a{sv}", NULL), G_DBUS_CALL_FLAGS_NONE,
                -1, NULL, &handle, &cue, &fds, NULL, &error));
        g_assert_no_error(error);
        is = g_unix_input_stream_new(g_unix_fd_list_get(fds, g_variant_get_handle(handle), &error), TRUE);
        g_assert_no_error(error);
        os = g_file_replace(dst, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
        g_assert_no_error(error);
        g_output_stream_splice(G_OUTPUT_STREAM(os), is,
                               G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                               NULL, &error);
        g_assert_no_error(error);
        if (ret_cue)
                *ret_cue = g_steal_pointer(&cue);
        return g_steal_pointer(&out);
}

void close_disc_master(ImapiDiscMaster *dm)
{
        g_autoptr(GError) error = NULL;

        g_assert_true(imapi_disc_master_call_close_sync(dm, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error));
        g_assert_no_error(error);
}

/* Burns what 'dm' staged to virtual0, closes it, and lists the disc as xorriso extracts it. */
char *burn_and_list(Fixture *f, ImapiDiscMaster *dm)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
        g_autofree char *image = NULL;
        g_autofree char *out = tmp_path(f, "extracted");

        g_assert_true(
                imapi_disc_master_record_sync(dm, IMAPI_RECORD_FLAGS_NONE, 0, NULL, NULL, NULL, &error));
        g_assert_no_error(error);
        close_disc_master(dm);
        image = read_disc(f, VIRTUAL0, "disc.iso", NULL);
        {
                const char *argv[] = {"xorriso",  "-osirrox", "on", "-indev", image,
                                      "-extract", "/",        out,  NULL};

                run_checked(argv, NULL);
        }
        list_tree(out, "", lines);
        return lines_join(lines);
}

ImapiDiscMaster *open_format(Fixture *f, const char *format, const char *recorder)
{
        g_autoptr(GError) error = NULL;
        ImapiDiscMaster *dm = imapi_client_open_disc_master_sync(f->client, "test", NULL, &error);

        g_assert_no_error(error);
        g_assert_true(imapi_disc_master_setup_sync(dm, format, recorder, NULL, &error));
        g_assert_no_error(error);
        return dm;
}

ImapiDiscMaster *open_joliet(Fixture *f)
{
        return open_format(f, "joliet", VIRTUAL0);
}
