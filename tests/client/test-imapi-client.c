/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libimapi against a stand-in daemon (imapi-mock.c) on a private bus: lookups, hot-plug signals, staging
 * trees and audio as the caller, images, and burns/erases that follow the progress signals. */
#include <fcntl.h>
#include <sndfile.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "imapi-mock.h"

static GTestDBus *test_bus;

typedef struct Fixture {
        Mock *mock;
        GDBusConnection *connection;
        ImapiClient *client;
        char *tmp;
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
        g_autoptr(GError) error = NULL;
        const char *address = g_test_dbus_get_bus_address(test_bus);

        f->mock = mock_start(address);
        f->connection = g_dbus_connection_new_for_address_sync(
                address,
                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                        G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                NULL, NULL, &error);
        g_assert_no_error(error);
        f->client = imapi_client_new_for_connection_sync(f->connection, NULL, &error);
        g_assert_no_error(error);
        f->tmp = g_dir_make_tmp("imapi-test-XXXXXX", &error);
        g_assert_no_error(error);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", f->tmp);

        g_clear_object(&f->client);
        g_dbus_connection_close_sync(f->connection, NULL, NULL);
        g_clear_object(&f->connection);
        mock_stop(f->mock);
        g_assert_cmpint(system(cmd), ==, 0);
        g_free(f->tmp);
}

static char *tmp_path(Fixture *f, const char *name)
{
        return g_build_filename(f->tmp, name, NULL);
}

static void write_file(const char *path, gsize size)
{
        g_autofree char *data = g_malloc0(size + 1);
        g_autoptr(GError) error = NULL;

        memset(data, 'x', size);
        g_file_set_contents(path, data, (gssize) size, &error);
        g_assert_no_error(error);
}

static ImapiDiscMaster *open_joliet(Fixture *f)
{
        g_autoptr(GError) error = NULL;
        ImapiDiscMaster *dm = imapi_client_open_disc_master_sync(f->client, "test", NULL, &error);

        g_assert_no_error(error);
        imapi_disc_master_setup_sync(dm, "joliet", NULL, NULL, &error);
        g_assert_no_error(error);
        return dm;
}

static int compare_strings(gconstpointer a, gconstpointer b)
{
        return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* The staged entries, sorted, as one string "path type size\n...". */
static char *staged_string(Mock *m)
{
        g_autoptr(GPtrArray) copy = g_ptr_array_new();
        GString *s = g_string_new(NULL);

        g_mutex_lock(&m->lock);
        for (guint i = 0; i < m->staged->len; i++)
                g_ptr_array_add(copy, m->staged->pdata[i]);
        g_ptr_array_sort(copy, compare_strings);
        for (guint i = 0; i < copy->len; i++)
                g_string_append_printf(s, "%s\n", (const char *) copy->pdata[i]);
        g_mutex_unlock(&m->lock);
        return g_string_free(s, FALSE);
}

typedef struct AsyncState {
        GAsyncResult *result;
        GThread *thread;
        guint reports;
        guint64 last;
        ImapiProgressKind kinds[16];
        guint n_kinds;
        GCancellable *cancel_on_progress;
} AsyncState;

static void store_result(GObject *source, GAsyncResult *result, gpointer user_data)
{
        ((AsyncState *) user_data)->result = g_object_ref(result);
}

static gboolean has_result(gpointer data)
{
        return ((AsyncState *) data)->result != NULL;
}

/* ---- client ---- */

static void test_recorders_sorted(Fixture *f, gconstpointer data)
{
        GList *recorders = imapi_client_get_recorders(f->client);
        const char *expected[] = {"usb-drive", "virtual_a", "virtual_b"};
        guint i = 0;

        g_assert_cmpuint(g_list_length(recorders), ==, 3);
        for (GList *l = recorders; l; l = l->next, i++)
                g_assert_cmpstr(imapi_recorder_get_id(imapi_object_peek_recorder(l->data)), ==, expected[i]);
        g_list_free_full(recorders, g_object_unref);
}

static const char *lookup_id(Fixture *f, const char *spec)
{
        g_autoptr(ImapiObject) o = imapi_client_lookup_recorder(f->client, spec);
        static char id[64];

        if (!o)
                return NULL;
        g_strlcpy(id, imapi_recorder_get_id(imapi_object_peek_recorder(o)), sizeof(id));
        return id;
}

static void test_lookup(Fixture *f, gconstpointer data)
{
        g_autofree char *link = tmp_path(f, "cdrom");

        g_assert_cmpint(symlink("/dev/null", link), ==, 0);
        g_assert_cmpstr(lookup_id(f, "virtual_a"), ==, "virtual_a");
        g_assert_cmpstr(lookup_id(f, "a"), ==, "virtual_a");
        g_assert_cmpstr(lookup_id(f, "/org/freedesktop/IMAPI1/Recorder/virtual_5fb"), ==, "virtual_b");
        g_assert_cmpstr(lookup_id(f, "/dev/null"), ==, "usb-drive");
        g_assert_cmpstr(lookup_id(f, link), ==, "usb-drive");
        g_assert_null(lookup_id(f, "drive"));
        g_assert_null(lookup_id(f, "/dev/zero"));
        g_assert_null(lookup_id(f, "/org/freedesktop/IMAPI1/Recorder/nope"));
}

static void on_recorder_event(ImapiClient *client, ImapiObject *object, gpointer user_data)
{
        GPtrArray *events = user_data;

        g_ptr_array_add(events, g_strdup(imapi_recorder_get_id(imapi_object_peek_recorder(object))));
}

static void on_pnp(ImapiClient *client, gpointer user_data)
{
        g_ptr_array_add(user_data, g_strdup("pnp"));
}

static void wait_for(gboolean (*done)(gpointer), gpointer data)
{
        gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

        while (!done(data)) {
                g_assert_cmpint(g_get_monotonic_time(), <, deadline);
                g_main_context_iteration(NULL, TRUE);
        }
}

static gboolean has_three(gpointer data)
{
        return ((GPtrArray *) data)->len >= 3;
}

static void test_hotplug_signals(Fixture *f, gconstpointer data)
{
        g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func(g_free);

        g_signal_connect(f->client, "recorder-added", G_CALLBACK(on_recorder_event), events);
        g_signal_connect(f->client, "recorder-removed", G_CALLBACK(on_recorder_event), events);
        g_signal_connect(f->client, "pnp-activity", G_CALLBACK(on_pnp), events);
        mock_add_recorder(f->mock, "virtual_new");
        mock_remove_recorder(f->mock, "virtual_b");
        wait_for(has_three, events);
        g_assert_cmpstr(events->pdata[0], ==, "virtual_new");
        g_assert_true(g_str_equal(events->pdata[1], "virtual_b") ||
                      g_str_equal(events->pdata[2], "virtual_b"));
        g_assert_true(g_str_equal(events->pdata[1], "pnp") || g_str_equal(events->pdata[2], "pnp"));
        g_assert_cmpstr(lookup_id(f, "new"), ==, "virtual_new");
        g_assert_null(lookup_id(f, "virtual_b"));
}

/* Calls that may need polkit carry ALLOW_INTERACTIVE_AUTHORIZATION exactly when the client says so. */
static void test_interactive_authorization_flag(Fixture *f, gconstpointer data)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(ImapiDiscMaster) dm = NULL;
        g_autoptr(ImapiDiscMaster) dm2 = NULL;
        const char *path = "/org/freedesktop/IMAPI1/Recorder/virtual_5fa";

        dm = imapi_client_open_disc_master_sync(f->client, "test", NULL, &error);
        g_assert_no_error(error);
        g_assert_true(imapi_disc_master_setup_sync(dm, "joliet", path, NULL, &error));
        g_assert_no_error(error);
        g_assert_cmpstr(f->mock->format, ==, "joliet");
        g_assert_cmpstr(f->mock->active_recorder, ==, path);
        g_assert_false(f->mock->set_recorder_flags & G_DBUS_MESSAGE_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION);

        imapi_client_set_interactive_authorization(f->client, TRUE);
        dm2 = imapi_client_open_disc_master_sync(f->client, "test", NULL, &error);
        g_assert_no_error(error);
        g_assert_cmpint(imapi_disc_master_get_call_flags(dm2), ==,
                        G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION);
        g_assert_true(imapi_disc_master_setup_sync(dm2, NULL, path, NULL, &error));
        g_assert_true(f->mock->set_recorder_flags & G_DBUS_MESSAGE_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION);
        g_assert_true(
                imapi_disc_master_record_sync(dm2, IMAPI_RECORD_FLAGS_NONE, 0, NULL, NULL, NULL, &error));
        g_assert_no_error(error);
        g_assert_true(f->mock->record_flags & G_DBUS_MESSAGE_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION);
}

static void test_async_init_open_setup(Fixture *f, gconstpointer data)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(GObject) object = NULL;
        g_autoptr(ImapiDiscMaster) dm = NULL;
        g_autoptr(GCancellable) cancellable = g_cancellable_new();
        AsyncState s = {};
        GList *recorders;

        g_async_initable_new_async(IMAPI_TYPE_CLIENT, G_PRIORITY_DEFAULT, cancellable, store_result, &s,
                                   "connection", f->connection, NULL);
        wait_for(has_result, &s);
        object = g_async_initable_new_finish(G_ASYNC_INITABLE(g_async_result_get_source_object(s.result)),
                                             s.result, &error);
        g_object_unref(g_async_result_get_source_object(s.result)); /* the ref the getter returned */
        g_clear_object(&s.result);
        g_assert_no_error(error);
        recorders = imapi_client_get_recorders(IMAPI_CLIENT(object));
        g_assert_cmpuint(g_list_length(recorders), ==, 3);
        g_list_free_full(recorders, g_object_unref);

        imapi_client_open_disc_master(IMAPI_CLIENT(object), "async", cancellable, store_result, &s);
        wait_for(has_result, &s);
        dm = imapi_client_open_disc_master_finish(IMAPI_CLIENT(object), s.result, &error);
        g_clear_object(&s.result);
        g_assert_no_error(error);
        g_assert_cmpstr(g_dbus_proxy_get_object_path(G_DBUS_PROXY(dm)), ==, MOCK_DISC_MASTER_PATH);

        imapi_disc_master_setup(dm, "redbook", "/org/freedesktop/IMAPI1/Recorder/virtual_5fb", cancellable,
                                store_result, &s);
        wait_for(has_result, &s);
        g_assert_true(imapi_disc_master_setup_finish(dm, s.result, &error));
        g_clear_object(&s.result);
        g_assert_no_error(error);
        g_assert_cmpstr(f->mock->format, ==, "redbook");
        g_assert_cmpstr(f->mock->active_recorder, ==, "/org/freedesktop/IMAPI1/Recorder/virtual_5fb");
}

/* ---- trees ---- */

static void make_tree(Fixture *f)
{
        g_autofree char *top = tmp_path(f, "top");
        g_autofree char *sub = tmp_path(f, "top/sub");
        g_autofree char *deep = tmp_path(f, "top/sub/deep");
        g_autofree char *empty = tmp_path(f, "top/empty");
        g_autofree char *link = tmp_path(f, "top/sub/link");

        g_assert_cmpint(g_mkdir_with_parents(deep, 0755), ==, 0);
        g_assert_cmpint(g_mkdir_with_parents(empty, 0755), ==, 0);
        g_assert_cmpint(symlink("../nowhere", link), ==, 0);
        for (int i = 0; i < 40; i++) {
                g_autofree char *name = g_strdup_printf("%s/f%02d", i < 20 ? top : deep, i);

                write_file(name, (gsize) i * 100);
        }
}

static const char *expected_tree(void)
{
        static char *expected;
        GString *s;

        if (expected)
                return expected;
        s = g_string_new(NULL);
        g_string_append(s, "top d 0\ntop/empty d 0\n");
        for (int i = 0; i < 20; i++)
                g_string_append_printf(s, "top/f%02d f %d\n", i, i * 100);
        g_string_append(s, "top/sub d 0\ntop/sub/deep d 0\n");
        for (int i = 20; i < 40; i++)
                g_string_append_printf(s, "top/sub/deep/f%02d f %d\n", i, i * 100);
        g_string_append(s, "top/sub/link l 0\n");
        expected = g_string_free(s, FALSE);
        return expected;
}

static void on_progress_count(ImapiProgressKind kind, guint64 done, guint64 total, gpointer user_data)
{
        guint64 *last = user_data;

        g_assert_cmpint(kind, ==, IMAPI_PROGRESS_ADDING);
        g_assert_cmpuint(done, >, *last);
        *last = done;
}

static void test_add_tree_sync(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_joliet(f);
        g_autoptr(GError) error = NULL;
        g_autofree char *top = tmp_path(f, "top");
        g_autofree char *staged = NULL;
        guint64 last = 0;

        make_tree(f);
        g_assert_true(imapi_disc_master_add_tree_sync(dm, top, NULL, IMAPI_ADD_FLAGS_NONE, on_progress_count,
                                                      &last, NULL, &error));
        g_assert_no_error(error);
        staged = staged_string(f->mock);
        g_assert_cmpstr(staged, ==, expected_tree());
        g_assert_cmpuint(last, ==, 45);
        /* The system bus allows 16 descriptors per message by default. */
        g_assert_cmpuint(f->mock->max_entries_per_call, ==, 16);
        g_assert_cmpuint(f->mock->add_calls, ==, 3);
}

static void on_progress_thread(ImapiProgressKind kind, guint64 done, guint64 total, gpointer user_data)
{
        AsyncState *s = user_data;

        g_assert_true(g_thread_self() == s->thread);
        s->reports++;
        s->last = done;
        if (s->n_kinds == 0 || s->kinds[s->n_kinds - 1] != kind) {
                g_assert_cmpuint(s->n_kinds, <, G_N_ELEMENTS(s->kinds));
                s->kinds[s->n_kinds++] = kind;
        }
        if (s->cancel_on_progress && kind == IMAPI_PROGRESS_WRITING)
                g_cancellable_cancel(s->cancel_on_progress);
}

static void test_add_tree_async(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_joliet(f);
        g_autoptr(GError) error = NULL;
        g_autofree char *top = tmp_path(f, "top");
        g_autofree char *staged = NULL;
        AsyncState s = {.thread = g_thread_self()};

        make_tree(f);
        imapi_disc_master_add_tree(dm, top, NULL, IMAPI_ADD_FLAGS_NONE, on_progress_thread, &s, NULL, NULL,
                                   store_result, &s);
        wait_for(has_result, &s);
        g_assert_true(imapi_disc_master_add_tree_finish(dm, s.result, &error));
        g_assert_no_error(error);
        g_object_unref(s.result);
        /* Progress reports queued before the result are delivered in this thread. */
        while (g_main_context_iteration(NULL, FALSE))
                ;
        g_assert_cmpuint(s.reports, ==, 3);
        g_assert_cmpuint(s.last, ==, 45);
        staged = staged_string(f->mock);
        g_assert_cmpstr(staged, ==, expected_tree());
}

/* LimitsExceeded on a batch: it is sent again in halves, and later batches stay small. */
static void test_add_tree_shrinks_batches(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_joliet(f);
        g_autoptr(GError) error = NULL;
        g_autofree char *top = tmp_path(f, "top");
        g_autofree char *staged = NULL;

        make_tree(f);
        f->mock->entry_limit = 5;
        g_assert_true(imapi_disc_master_add_tree_sync(dm, top, NULL, IMAPI_ADD_FLAGS_NONE, NULL, NULL, NULL,
                                                      &error));
        g_assert_no_error(error);
        staged = staged_string(f->mock);
        g_assert_cmpstr(staged, ==, expected_tree());
        g_assert_cmpuint(imapi_disc_master_get_batch_size(dm), ==,
                         16); /* the proxy's setting is unchanged */
}

/* A failure of a call sent while others are in flight ends the walk with that error, after all answered. */
static void test_add_tree_pipelined_failure(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_joliet(f);
        g_autoptr(GError) error = NULL;
        g_autofree char *top = tmp_path(f, "top");

        make_tree(f);
        f->mock->fail_call = 2;
        g_assert_false(imapi_disc_master_add_tree_sync(dm, top, NULL, IMAPI_ADD_FLAGS_NONE, NULL, NULL, NULL,
                                                       &error));
        g_assert_error(error, IMAPI_ERROR, IMAPI_ERROR_FILE_EXISTS);
        g_assert_cmpstr(error->message, ==, "Already there");
        g_assert_cmpuint(f->mock->staged->len, <, 45);
}

static void test_add_tree_contents_at_root(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_joliet(f);
        g_autoptr(GError) error = NULL;
        g_autofree char *top = tmp_path(f, "top");
        g_autofree char *file = tmp_path(f, "top/f01");
        g_autofree char *staged = NULL;

        make_tree(f);
        g_assert_true(imapi_disc_master_add_tree_sync(dm, top, "", IMAPI_ADD_FLAGS_NONE, NULL, NULL, NULL,
                                                      &error));
        g_assert_no_error(error);
        staged = staged_string(f->mock);
        g_assert_true(g_str_has_prefix(staged, "empty d 0\nf00 f 0\n"));
        g_assert_null(strstr(staged, "top"));
        g_assert_nonnull(strstr(staged, "sub/deep/f39 f 3900\n"));

        g_assert_false(imapi_disc_master_add_tree_sync(dm, file, "", IMAPI_ADD_FLAGS_NONE, NULL, NULL, NULL,
                                                       &error));
        g_assert_error(error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
        g_clear_error(&error);
        g_assert_true(imapi_disc_master_add_tree_sync(dm, file, "docs/renamed", IMAPI_ADD_FLAGS_NONE, NULL,
                                                      NULL, NULL, &error));
        g_free(staged);
        staged = staged_string(f->mock);
        g_assert_nonnull(strstr(staged, "docs/renamed f 100\n"));
}

static void test_add_tree_special_files(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_joliet(f);
        g_autoptr(GError) error = NULL;
        g_autofree char *dir = tmp_path(f, "d");
        g_autofree char *fifo = tmp_path(f, "d/pipe");
        g_autofree char *file = tmp_path(f, "d/file");
        g_autofree char *staged = NULL;

        g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
        g_assert_cmpint(mkfifo(fifo, 0644), ==, 0);
        write_file(file, 5);
        g_assert_false(imapi_disc_master_add_tree_sync(dm, dir, NULL, IMAPI_ADD_FLAGS_NONE, NULL, NULL, NULL,
                                                       &error));
        g_assert_error(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
        g_assert_nonnull(strstr(error->message, "pipe"));
        g_assert_nonnull(strstr(error->message, "FIFO"));
        g_clear_error(&error);
        g_assert_true(imapi_disc_master_add_tree_sync(dm, dir, "x", IMAPI_ADD_FLAGS_SKIP_SPECIAL, NULL, NULL,
                                                      NULL, &error));
        g_assert_no_error(error);
        staged = staged_string(f->mock);
        g_assert_nonnull(strstr(staged, "x d 0\nx/file f 5\n"));
        g_assert_null(strstr(staged, "x/pipe"));
}

static void test_add_tree_bad_utf8(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_joliet(f);
        g_autoptr(GError) error = NULL;
        g_autofree char *dir = tmp_path(f, "u");
        g_autofree char *bad = tmp_path(f, "u/bad\xff.txt");
        g_autofree char *staged = NULL;

        g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
        write_file(bad, 3);
        g_assert_false(imapi_disc_master_add_tree_sync(dm, dir, NULL, IMAPI_ADD_FLAGS_NONE, NULL, NULL, NULL,
                                                       &error));
        g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME);
        g_clear_error(&error);
        g_assert_true(imapi_disc_master_add_tree_sync(dm, dir, NULL, IMAPI_ADD_FLAGS_MANGLE_NAMES, NULL,
                                                      NULL, NULL, &error));
        g_assert_no_error(error);
        staged = staged_string(f->mock);
        g_assert_nonnull(strstr(staged, "u/bad\xef\xbf\xbd.txt f 3\n"));
}

static void test_add_tree_unreadable(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_joliet(f);
        g_autoptr(GError) error = NULL;
        g_autofree char *missing = tmp_path(f, "missing");

        g_assert_false(imapi_disc_master_add_tree_sync(dm, missing, NULL, IMAPI_ADD_FLAGS_NONE, NULL, NULL,
                                                       NULL, &error));
        g_assert_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
        g_assert_nonnull(strstr(error->message, "missing"));
}

/* ---- audio ---- */

static void write_wav(const char *path, int rate, int channels, int format, sf_count_t frames,
                      const char *title)
{
        SF_INFO info = {.samplerate = rate, .channels = channels, .format = format};
        SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
        g_autofree float *buf = g_new(float, (gsize) frames *(gsize) channels);

        g_assert_nonnull(sf);
        for (sf_count_t i = 0; i < frames * channels; i++)
                buf[i] = (float) ((i * 7919) % 20001 - 10000) / 10001.0f;
        if (title)
                sf_set_string(sf, SF_STR_TITLE, title);
        g_assert_cmpint(sf_writef_float(sf, buf, frames), ==, frames);
        sf_close(sf);
}

/* What the disc should get: the file read back as 16-bit, little-endian, padded to whole blocks. */
static GByteArray *expected_pcm(const char *path)
{
        SF_INFO info = {};
        SNDFILE *sf = sf_open(path, SFM_READ, &info);
        gsize samples = (gsize) info.frames * 2;
        gsize padded = (samples * 2 + 2351) / 2352 * 2352;
        GByteArray *a = g_byte_array_sized_new((guint) padded);
        g_autofree gint16 *buf = g_new0(gint16, padded / 2);

        g_assert_cmpint(sf_readf_short(sf, buf, info.frames), ==, info.frames);
        sf_close(sf);
        for (gsize i = 0; i < samples; i++)
                buf[i] = (gint16) GINT16_TO_LE(buf[i]);
        g_byte_array_append(a, (const guint8 *) buf, (guint) padded);
        return a;
}

static ImapiDiscMaster *open_redbook(Fixture *f)
{
        g_autoptr(GError) error = NULL;
        ImapiDiscMaster *dm = imapi_client_open_disc_master_sync(f->client, "test", NULL, &error);

        g_assert_no_error(error);
        g_assert_true(imapi_disc_master_setup_sync(dm, "redbook", NULL, NULL, &error));
        return dm;
}

static void check_pcm(Fixture *f, const char *path, guint32 blocks)
{
        g_autoptr(GByteArray) expected = expected_pcm(path);

        g_assert_cmpuint(f->mock->track_hint, ==, blocks);
        g_assert_cmpuint(f->mock->pcm->len, ==, blocks * 2352);
        g_assert_cmpmem(f->mock->pcm->data, f->mock->pcm->len, expected->data, expected->len);
}

static void test_audio_float_wav_sync(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_redbook(f);
        g_autoptr(GError) error = NULL;
        g_autofree char *wav = tmp_path(f, "a.wav");
        guint64 last = 0;

        /* 1000 blocks and a half: the last block is padded with silence. */
        write_wav(wav, 44100, 2, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 588 * 1000 + 294, "Tag Title");
        g_assert_true(imapi_disc_master_add_audio_file_sync(dm, wav, NULL, "Someone",
                                                            IMAPI_AUDIO_FLAGS_USE_TAGS, on_progress_count,
                                                            &last, NULL, &error));
        g_assert_no_error(error);
        check_pcm(f, wav, 1001);
        g_assert_cmpuint(last, ==, 1001);
        g_assert_cmpuint(f->mock->tracks, ==, 1);
        g_assert_cmpstr(f->mock->track_title, ==, "Tag Title");
        g_assert_cmpstr(f->mock->track_performer, ==, "Someone");
}

static void test_audio_flac_async(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_redbook(f);
        g_autoptr(GError) error = NULL;
        g_autofree char *flac = tmp_path(f, "b.flac");
        AsyncState s = {.thread = g_thread_self()};

        write_wav(flac, 44100, 2, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 588 * 2000, NULL);
        imapi_disc_master_add_audio_file(dm, flac, NULL, NULL, IMAPI_AUDIO_FLAGS_NONE, on_progress_thread,
                                         &s, NULL, NULL, store_result, &s);
        wait_for(has_result, &s);
        g_assert_true(imapi_disc_master_add_audio_file_finish(dm, s.result, &error));
        g_assert_no_error(error);
        g_object_unref(s.result);
        while (g_main_context_iteration(NULL, FALSE))
                ;
        check_pcm(f, flac, 2000);
        g_assert_cmpuint(s.last, ==, 2000);
        g_assert_null(f->mock->track_title);
}

static void test_audio_refuses_other_rates(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_redbook(f);
        g_autoptr(GError) error = NULL;
        g_autofree char *wav48 = tmp_path(f, "rate48k.wav");
        g_autofree char *mono = tmp_path(f, "mono.aiff");
        g_autofree char *text = tmp_path(f, "text.wav");

        write_wav(wav48, 48000, 2, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 48000, NULL);
        write_wav(mono, 44100, 1, SF_FORMAT_AIFF | SF_FORMAT_PCM_16, 44100, NULL);
        write_file(text, 1000);
        g_assert_false(
                imapi_disc_master_add_audio_file_sync(dm, wav48, NULL, NULL, 0, NULL, NULL, NULL, &error));
        g_assert_error(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
        g_assert_nonnull(strstr(error->message, "rate48k.wav"));
        g_assert_nonnull(strstr(error->message, "48000 Hz"));
        g_clear_error(&error);
        g_assert_false(
                imapi_disc_master_add_audio_file_sync(dm, mono, NULL, NULL, 0, NULL, NULL, NULL, &error));
        g_assert_error(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
        g_assert_nonnull(strstr(error->message, "mono.aiff"));
        g_clear_error(&error);
        g_assert_false(
                imapi_disc_master_add_audio_file_sync(dm, text, NULL, NULL, 0, NULL, NULL, NULL, &error));
        g_assert_error(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
        g_assert_nonnull(strstr(error->message, "text.wav"));
        /* Nothing reached the daemon. */
        g_assert_cmpuint(f->mock->tracks, ==, 0);
        g_assert_cmpuint(f->mock->track_hint, ==, 0);
}

/* ---- image ---- */

static void test_image(Fixture *f, gconstpointer data)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(ImapiDiscMaster) dm = imapi_client_open_disc_master_sync(f->client, "test", NULL, &error);
        g_autofree char *iso = tmp_path(f, "x.iso");
        AsyncState s = {};

        write_file(iso, 2048 * 20);
        g_assert_true(imapi_disc_master_set_image_file_sync(dm, iso, FALSE, NULL, &error));
        g_assert_no_error(error);
        g_assert_cmpuint(f->mock->image_size, ==, 2048 * 20);
        g_assert_false(imapi_disc_master_set_image_file_sync(dm, f->tmp, FALSE, NULL, &error));
        g_assert_error(error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
        g_clear_error(&error);

        write_file(iso, 2048 * 7);
        imapi_disc_master_set_image_file(dm, iso, TRUE, NULL, store_result, &s);
        wait_for(has_result, &s);
        g_assert_true(imapi_disc_master_set_image_file_finish(dm, s.result, &error));
        g_object_unref(s.result);
        g_assert_cmpuint(f->mock->image_size, ==, 2048 * 7);
}

/* ---- burns ---- */

static void test_record_sync_ok(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_joliet(f);
        g_autoptr(GError) error = NULL;
        AsyncState s = {.thread = g_thread_self()};

        g_assert_true(imapi_disc_master_record_sync(
                dm, IMAPI_RECORD_FLAGS_SIMULATE | IMAPI_RECORD_FLAGS_CLOSE_DISC, 0, on_progress_thread, &s,
                NULL, &error));
        g_assert_no_error(error);
        g_assert_true(f->mock->record_simulate);
        g_assert_false(f->mock->record_eject);
        g_assert_true(f->mock->record_close);
        g_assert_cmpuint(s.n_kinds, >=, 4);
        g_assert_cmpint(s.kinds[0], ==, IMAPI_PROGRESS_PREPARING);
        g_assert_cmpint(s.kinds[s.n_kinds - 1], ==, IMAPI_PROGRESS_CLOSING);
        for (guint i = 1; i + 1 < s.n_kinds; i++)
                g_assert_true(s.kinds[i] == IMAPI_PROGRESS_WRITING || s.kinds[i] == IMAPI_PROGRESS_TRACK);
}

static void test_record_async_failure(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_joliet(f);
        g_autoptr(GError) error = NULL;
        AsyncState s = {.thread = g_thread_self()};
        g_autofree char *name = NULL;

        f->mock->burn = MOCK_BURN_FAIL;
        imapi_disc_master_record(dm, IMAPI_RECORD_FLAGS_EJECT, 0, on_progress_thread, &s, NULL, NULL,
                                 store_result, &s);
        wait_for(has_result, &s);
        g_assert_false(imapi_disc_master_record_finish(dm, s.result, &error));
        g_object_unref(s.result);
        g_assert_error(error, IMAPI_ERROR, IMAPI_ERROR_LOSS_OF_STREAMING);
        g_assert_true(g_str_has_prefix(error->message, "Buffer under-run at block 10"));
        name = imapi_error_dup_dbus_name(error);
        g_assert_cmpstr(name, ==, "org.freedesktop.IMAPI1.Error.LossOfStreaming");
        g_assert_true(f->mock->record_eject);
        g_assert_cmpuint(s.last, ==, 10);
}

static void test_record_refused(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_joliet(f);
        g_autoptr(GError) error = NULL;

        f->mock->burn = MOCK_BURN_REFUSE;
        g_assert_false(imapi_disc_master_record_sync(dm, 0, 0, NULL, NULL, NULL, &error));
        g_assert_error(error, IMAPI_ERROR, IMAPI_ERROR_NO_ACTIVE_RECORDER);
        g_assert_cmpstr(error->message, ==, "Take a recorder first");
}

static void test_record_cancel(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_joliet(f);
        g_autoptr(GError) error = NULL;
        g_autoptr(GCancellable) cancellable = g_cancellable_new();
        AsyncState s = {.thread = g_thread_self(), .cancel_on_progress = cancellable};

        f->mock->burn = MOCK_BURN_SLOW;
        g_assert_false(imapi_disc_master_record_sync(dm, 0, 0, on_progress_thread, &s, cancellable, &error));
        g_assert_error(error, IMAPI_ERROR, IMAPI_ERROR_USER_ABORT);
        g_assert_true(f->mock->cancel_called);
}

static void test_record_daemon_vanishes(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_joliet(f);
        g_autoptr(GError) error = NULL;

        f->mock->burn = MOCK_BURN_VANISH;
        g_assert_false(imapi_disc_master_record_sync(dm, 0, 0, NULL, NULL, NULL, &error));
        g_assert_error(error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER);
}

static void test_erase(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_joliet(f);
        g_autoptr(GError) error = NULL;
        AsyncState s = {.thread = g_thread_self()};

        g_assert_false(imapi_disc_master_erase_sync(dm, TRUE, NULL, NULL, NULL, &error));
        g_assert_error(error, IMAPI_ERROR, IMAPI_ERROR_NO_ACTIVE_RECORDER);
        g_clear_error(&error);
        g_assert_true(imapi_disc_master_setup_sync(dm, NULL, "/org/freedesktop/IMAPI1/Recorder/virtual_5fa",
                                                   NULL, &error));
        g_assert_true(imapi_disc_master_erase_sync(dm, TRUE, on_progress_thread, &s, NULL, &error));
        g_assert_no_error(error);
        g_assert_true(f->mock->erase_full);
        g_assert_cmpuint(s.n_kinds, ==, 1);
        g_assert_cmpint(s.kinds[0], ==, IMAPI_PROGRESS_ERASING);
        g_assert_cmpuint(s.last, ==, 2);
}

int main(int argc, char *argv[])
{
        int r;

        g_test_init(&argc, &argv, NULL);
        test_bus = g_test_dbus_new(G_TEST_DBUS_NONE);
        g_test_dbus_up(test_bus);
#define ADD(name, func)                                                                                     \
        g_test_add("/imapi-client/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
        ADD("recorders-sorted", test_recorders_sorted);
        ADD("lookup", test_lookup);
        ADD("hotplug-signals", test_hotplug_signals);
        ADD("interactive-authorization-flag", test_interactive_authorization_flag);
        ADD("async-init-open-setup", test_async_init_open_setup);
        ADD("add-tree-sync", test_add_tree_sync);
        ADD("add-tree-async", test_add_tree_async);
        ADD("add-tree-shrinks-batches", test_add_tree_shrinks_batches);
        ADD("add-tree-pipelined-failure", test_add_tree_pipelined_failure);
        ADD("add-tree-contents-at-root", test_add_tree_contents_at_root);
        ADD("add-tree-special-files", test_add_tree_special_files);
        ADD("add-tree-bad-utf8", test_add_tree_bad_utf8);
        ADD("add-tree-unreadable", test_add_tree_unreadable);
        ADD("audio-float-wav-sync", test_audio_float_wav_sync);
        ADD("audio-flac-async", test_audio_flac_async);
        ADD("audio-refuses-other-rates", test_audio_refuses_other_rates);
        ADD("image", test_image);
        ADD("record-sync-ok", test_record_sync_ok);
        ADD("record-async-failure", test_record_async_failure);
        ADD("record-refused", test_record_refused);
        ADD("record-cancel", test_record_cancel);
        ADD("record-daemon-vanishes", test_record_daemon_vanishes);
        ADD("erase", test_erase);
#undef ADD
        r = g_test_run();
        g_test_dbus_down(test_bus);
        g_object_unref(test_bus);
        return r;
}
