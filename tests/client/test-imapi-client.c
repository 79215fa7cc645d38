/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libimapi against the real imapid on a private bus (tools/dev-bus, a fresh one per test): lookups, hot-plug
 * signals, staging trees and audio as the caller, images, burns and erases followed through their progress
 * signals, failures from a virtual recorder's scripted faults, the daemon killed mid-burn. What reached the
 * disc is read back from the virtual recorder and judged by xorriso and libsndfile; what the library sent is
 * seen by a filter on its own connection. */
#include <signal.h>
#include <sndfile.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "client-test-bus.h"

/* ---- asynchronous results and progress ---- */

typedef struct AsyncState {
        GAsyncResult *result;
        GThread *thread;
        guint reports;
        guint64 last;
        ImapiProgressKind kinds[16];
        guint n_kinds;
        GCancellable *cancel_on_progress; /* cancelled at the first block written */
        pid_t kill_on_progress;           /* SIGKILLed at the first block written */
} AsyncState;

static void store_result(GObject *source, GAsyncResult *result, gpointer user_data)
{
        ((AsyncState *) user_data)->result = g_object_ref(result);
}

static gboolean has_result(gpointer data)
{
        return ((AsyncState *) data)->result != NULL;
}

static void wait_for(gboolean (*done)(gpointer), gpointer data)
{
        gint64 deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;

        while (!done(data)) {
                g_assert_cmpint(g_get_monotonic_time(), <, deadline);
                g_main_context_iteration(NULL, TRUE);
        }
}

static void on_progress_count(ImapiProgressKind kind, guint64 done, guint64 total, gpointer user_data)
{
        guint64 *last = user_data;

        g_assert_cmpint(kind, ==, IMAPI_PROGRESS_ADDING);
        g_assert_cmpuint(done, >, *last);
        *last = done;
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
        if (kind != IMAPI_PROGRESS_WRITING || done == 0)
                return;
        if (s->cancel_on_progress)
                g_cancellable_cancel(s->cancel_on_progress);
        if (s->kill_on_progress > 0) {
                g_assert_cmpint(kill(s->kill_on_progress, SIGKILL), ==, 0);
                s->kill_on_progress = 0;
        }
}

/* ---- client ---- */

static const BusOptions two_more = {"cd-r", 0, "[VirtualRecorder b]\n[VirtualRecorder a]\n"};

static void test_recorders_sorted(Fixture *f, gconstpointer data)
{
        GList *recorders = imapi_client_get_recorders(f->client);
        const char *expected[] = {"virtual_a", "virtual_b", "virtual_virtual0"};
        guint i = 0;

        g_assert_cmpuint(g_list_length(recorders), ==, 3);
        for (GList *l = recorders; l; l = l->next, i++)
                g_assert_cmpstr(imapi_recorder_get_id(imapi_object_peek_recorder(l->data)), ==, expected[i]);
        g_list_free_full(recorders, g_object_unref);
}

static const char *lookup_id(Fixture *f, const char *spec)
{
        g_autoptr(ImapiObject) o = lookup(f, spec);
        static char id[64];

        if (!o)
                return NULL;
        g_strlcpy(id, imapi_recorder_get_id(imapi_object_peek_recorder(o)), sizeof(id));
        return id;
}

/* (Device nodes are matched in test-imapictl-hotplug.py, where umockdev provides a drive.) */
static void test_lookup(Fixture *f, gconstpointer data)
{
        g_autofree char *link = tmp_path(f, "cdrom");

        g_assert_cmpint(symlink("/dev/null", link), ==, 0);
        g_assert_cmpstr(lookup_id(f, "virtual_a"), ==, "virtual_a");
        g_assert_cmpstr(lookup_id(f, "a"), ==, "virtual_a");
        g_assert_cmpstr(lookup_id(f, RECORDER_PREFIX "virtual_5fb"), ==, "virtual_b");
        g_assert_cmpstr(lookup_id(f, "virtual0"), ==, "virtual_virtual0");
        g_assert_null(lookup_id(f, "virtual"));
        g_assert_null(lookup_id(f, "/dev/null")); /* no recorder has a device node here */
        g_assert_null(lookup_id(f, link));
        g_assert_null(lookup_id(f, RECORDER_PREFIX "nope"));
}

static void on_recorder_event(ImapiClient *client, ImapiObject *object, gpointer user_data)
{
        g_ptr_array_add(user_data, g_strdup(imapi_recorder_get_id(imapi_object_peek_recorder(object))));
}

static void on_pnp(ImapiClient *client, gpointer user_data)
{
        g_ptr_array_add(user_data, g_strdup("pnp"));
}

static gboolean has_four(gpointer data)
{
        return ((GPtrArray *) data)->len >= 4;
}

static gboolean ptr_array_has(GPtrArray *a, const char *s)
{
        return g_ptr_array_find_with_equal_func(a, s, g_str_equal, NULL);
}

/* CreateVirtualRecorder and RemoveVirtualRecorder are the hot-plug events a test can cause. */
static void test_hotplug_signals(Fixture *f, gconstpointer data)
{
        g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func(g_free);
        g_autoptr(GPtrArray) removed = g_ptr_array_new_with_free_func(g_free);
        g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func(g_free);
        g_autoptr(GError) error = NULL;
        g_autofree char *path = NULL;
        ImapiManager *manager = imapi_client_get_manager(f->client);

        g_signal_connect(f->client, "recorder-added", G_CALLBACK(on_recorder_event), added);
        g_signal_connect(f->client, "recorder-removed", G_CALLBACK(on_recorder_event), removed);
        g_signal_connect(f->client, "recorder-added", G_CALLBACK(on_recorder_event), events);
        g_signal_connect(f->client, "recorder-removed", G_CALLBACK(on_recorder_event), events);
        g_signal_connect(f->client, "pnp-activity", G_CALLBACK(on_pnp), events);
        g_assert_true(imapi_manager_call_create_virtual_recorder_sync(
                manager, "new", g_variant_new("a{sv}", NULL), G_DBUS_CALL_FLAGS_NONE, -1, &path, NULL,
                &error));
        g_assert_no_error(error);
        g_assert_cmpstr(path, ==, RECORDER_PREFIX "virtual_5fnew");
        g_assert_true(imapi_manager_call_remove_virtual_recorder_sync(
                manager, RECORDER_PREFIX "virtual_5fb", g_variant_new("a{sv}", NULL), G_DBUS_CALL_FLAGS_NONE,
                -1, NULL, &error));
        g_assert_no_error(error);
        wait_for(has_four, events);
        g_assert_cmpuint(added->len, ==, 1);
        g_assert_cmpstr(added->pdata[0], ==, "virtual_new");
        g_assert_cmpuint(removed->len, ==, 1);
        g_assert_cmpstr(removed->pdata[0], ==, "virtual_b");
        g_assert_true(ptr_array_has(events, "pnp"));
        g_assert_cmpstr(lookup_id(f, "new"), ==, "virtual_new");
        g_assert_null(lookup_id(f, "virtual_b"));
}

static gboolean allows_interaction(const Call *c)
{
        return (c->flags & G_DBUS_MESSAGE_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION) != 0;
}

/* Calls that may need polkit carry ALLOW_INTERACTIVE_AUTHORIZATION exactly when the client says so. */
static void test_interactive_authorization_flag(Fixture *f, gconstpointer data)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(ImapiDiscMaster) dm = NULL;
        g_autoptr(ImapiDiscMaster) dm2 = NULL;
        g_autofree char *file = tmp_path(f, "file");

        dm = open_joliet(f);
        g_assert_false(allows_interaction(calls_get(f, "SetActiveRecorder", -1)));
        close_disc_master(dm);

        imapi_client_set_interactive_authorization(f->client, TRUE);
        dm2 = imapi_client_open_disc_master_sync(f->client, "test", NULL, &error);
        g_assert_no_error(error);
        g_assert_cmpint(imapi_disc_master_get_call_flags(dm2), ==,
                        G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION);
        g_assert_true(imapi_disc_master_setup_sync(dm2, "joliet", VIRTUAL0, NULL, &error));
        g_assert_no_error(error);
        g_assert_true(allows_interaction(calls_get(f, "SetActiveRecorder", -1)));
        write_file(file, 5000);
        g_assert_true(imapi_disc_master_add_tree_sync(dm2, file, NULL, 0, NULL, NULL, NULL, &error));
        g_assert_true(
                imapi_disc_master_record_sync(dm2, IMAPI_RECORD_FLAGS_NONE, 0, NULL, NULL, NULL, &error));
        g_assert_no_error(error);
        g_assert_true(allows_interaction(calls_get(f, "RecordDisc", -1)));
        /* Open() needs no authorization and does not ask for it. */
        g_assert_false(allows_interaction(calls_get(f, "Open", -1)));
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
        g_assert_cmpuint(g_list_length(recorders), ==, 1);
        g_list_free_full(recorders, g_object_unref);

        imapi_client_open_disc_master(IMAPI_CLIENT(object), "async", cancellable, store_result, &s);
        wait_for(has_result, &s);
        dm = imapi_client_open_disc_master_finish(IMAPI_CLIENT(object), s.result, &error);
        g_clear_object(&s.result);
        g_assert_no_error(error);
        g_assert_true(g_str_has_prefix(g_dbus_proxy_get_object_path(G_DBUS_PROXY(dm)),
                                       "/org/freedesktop/IMAPI1/DiscMaster/"));
        g_assert_cmpstr(imapi_disc_master_get_client_name(dm), ==, "async");

        imapi_disc_master_setup(dm, "redbook", VIRTUAL0, cancellable, store_result, &s);
        wait_for(has_result, &s);
        g_assert_true(imapi_disc_master_setup_finish(dm, s.result, &error));
        g_clear_object(&s.result);
        g_assert_no_error(error);
        {
                g_autofree char *format = disc_master_get_string(f, dm, IFACE_DISC_MASTER, "ActiveFormat");
                g_autofree char *recorder =
                        disc_master_get_string(f, dm, IFACE_DISC_MASTER, "ActiveRecorder");

                g_assert_cmpstr(format, ==, "redbook");
                g_assert_cmpstr(recorder, ==, VIRTUAL0);
        }
        /* The recorder is held, and shows by whom. */
        {
                g_autoptr(GVariant) state = recorder_get(f, VIRTUAL0, "State");
                g_autoptr(GVariant) owner = recorder_get(f, VIRTUAL0, "Owner");

                g_assert_cmpstr(g_variant_get_string(state, NULL), ==, "opened");
                g_assert_cmpstr(g_variant_get_string(owner, NULL), ==, "async");
        }
}

/* ---- trees ---- */

static void make_tree(Fixture *f)
{
        g_autofree char *top = tmp_path(f, "top");
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

/* The tree of make_tree() as listed from the disc, under 'top' ("" for its contents at the root). */
static char *expected_tree(const char *top)
{
        g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
        const char *p = top[0] ? "/" : "";

        if (top[0])
                g_ptr_array_add(lines, g_strdup_printf("%s d 0", top));
        g_ptr_array_add(lines, g_strdup_printf("%s%sempty d 0", top, p));
        g_ptr_array_add(lines, g_strdup_printf("%s%ssub d 0", top, p));
        g_ptr_array_add(lines, g_strdup_printf("%s%ssub/deep d 0", top, p));
        g_ptr_array_add(lines, g_strdup_printf("%s%ssub/link l 0", top, p));
        for (int i = 0; i < 40; i++)
                g_ptr_array_add(lines, g_strdup_printf("%s%s%sf%02d f %d", top, p, i < 20 ? "" : "sub/deep/",
                                                       i, i * 100));
        return lines_join(lines);
}

static void test_add_tree_sync(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_joliet(f);
        g_autoptr(GError) error = NULL;
        g_autofree char *top = tmp_path(f, "top");
        g_autofree char *disc = NULL, *expected = expected_tree("top");
        guint64 last = 0;

        make_tree(f);
        g_assert_true(imapi_disc_master_add_tree_sync(dm, top, NULL, IMAPI_ADD_FLAGS_NONE, on_progress_count,
                                                      &last, NULL, &error));
        g_assert_no_error(error);
        g_assert_cmpuint(last, ==, 45);
        /* The system bus allows 16 descriptors per message by default: 16 + 16 + 13. */
        g_assert_cmpuint(calls_count(f, "AddData"), ==, 3);
        g_assert_cmpuint(add_data_entries(f, 0), ==, 16);
        g_assert_cmpuint(add_data_entries(f, 1), ==, 16);
        g_assert_cmpuint(add_data_entries(f, 2), ==, 13);
        disc = burn_and_list(f, dm);
        g_assert_cmpstr(disc, ==, expected);
}

static void test_add_tree_async(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_joliet(f);
        g_autoptr(GError) error = NULL;
        g_autofree char *top = tmp_path(f, "top");
        g_autofree char *disc = NULL, *expected = expected_tree("top");
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
        disc = burn_and_list(f, dm);
        g_assert_cmpstr(disc, ==, expected);
}

static const BusOptions five_per_call = {"cd-r", 0, "[Limits]\nEntriesPerAddData=5\n"};

/* imapid answers LimitsExceeded to a batch above its EntriesPerAddData: the batch is sent again in halves,
 * and later batches stay small; nothing is lost or staged twice. */
static void test_add_tree_shrinks_batches(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_joliet(f);
        g_autoptr(GError) error = NULL;
        g_autofree char *top = tmp_path(f, "top");
        g_autofree char *disc = NULL, *expected = expected_tree("top");

        make_tree(f);
        g_assert_true(imapi_disc_master_add_tree_sync(dm, top, NULL, IMAPI_ADD_FLAGS_NONE, NULL, NULL, NULL,
                                                      &error));
        g_assert_no_error(error);
        g_assert_cmpuint(add_data_entries(f, 0), ==, 16);
        g_assert_cmpuint(add_data_entries(f, -1), <=, 5);
        g_assert_cmpuint(calls_count(f, "AddData"), >=, 45 / 5);
        g_assert_cmpuint(imapi_disc_master_get_batch_size(dm), ==,
                         16); /* the proxy's setting is unchanged */
        disc = burn_and_list(f, dm);
        g_assert_cmpstr(disc, ==, expected);
}

/* A failure of a call sent while others are in flight ends the walk with that error, after all answered.
 * The walk is sorted: the second batch holds top/f14..f19, top/sub, top/sub/deep, f20..f27. */
static void test_add_tree_pipelined_failure(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_joliet(f);
        g_autoptr(GError) error = NULL;
        g_autofree char *top = tmp_path(f, "top");
        g_autofree char *f15 = tmp_path(f, "top/f15");

        make_tree(f);
        g_assert_true(imapi_disc_master_add_tree_sync(dm, f15, "top/f15", IMAPI_ADD_FLAGS_NONE, NULL, NULL,
                                                      NULL, &error));
        g_assert_no_error(error);
        g_assert_false(imapi_disc_master_add_tree_sync(dm, top, NULL, IMAPI_ADD_FLAGS_NONE, NULL, NULL, NULL,
                                                       &error));
        g_assert_error(error, IMAPI_ERROR, IMAPI_ERROR_FILE_EXISTS);
        g_assert_nonnull(strstr(error->message, "top/f15"));
        g_assert_cmpuint(calls_count(f, "AddData"), ==, 1 + 3);
        g_assert_cmpuint(add_data_entries(f, 2), ==, 16);
        g_clear_error(&error);
        /* With overwrite the same tree goes in whole. */
        g_assert_true(imapi_disc_master_add_tree_sync(dm, top, NULL, IMAPI_ADD_FLAGS_OVERWRITE, NULL, NULL,
                                                      NULL, &error));
        g_assert_no_error(error);
}

static void test_add_tree_contents_at_root(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_joliet(f);
        g_autoptr(GError) error = NULL;
        g_autofree char *top = tmp_path(f, "top");
        g_autofree char *file = tmp_path(f, "top/f01");
        g_autofree char *disc = NULL, *tree = expected_tree("");
        g_autofree char *expected = NULL;

        make_tree(f);
        g_assert_true(imapi_disc_master_add_tree_sync(dm, top, "", IMAPI_ADD_FLAGS_NONE, NULL, NULL, NULL,
                                                      &error));
        g_assert_no_error(error);
        g_assert_false(imapi_disc_master_add_tree_sync(dm, file, "", IMAPI_ADD_FLAGS_NONE, NULL, NULL, NULL,
                                                       &error));
        g_assert_error(error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
        g_clear_error(&error);
        g_assert_true(imapi_disc_master_add_tree_sync(dm, file, "docs/renamed", IMAPI_ADD_FLAGS_NONE, NULL,
                                                      NULL, NULL, &error));
        g_assert_no_error(error);
        disc = burn_and_list(f, dm);
        expected = g_strconcat("docs d 0\ndocs/renamed f 100\n", tree, NULL);
        g_assert_cmpstr(disc, ==, expected);
}

static void test_add_tree_special_files(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_joliet(f);
        g_autoptr(GError) error = NULL;
        g_autofree char *dir = tmp_path(f, "d");
        g_autofree char *fifo = tmp_path(f, "d/pipe");
        g_autofree char *file = tmp_path(f, "d/file");
        g_autofree char *disc = NULL;

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
        disc = burn_and_list(f, dm);
        g_assert_cmpstr(disc, ==, "x d 0\nx/file f 5\n");
}

static void test_add_tree_bad_utf8(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_joliet(f);
        g_autoptr(GError) error = NULL;
        g_autofree char *dir = tmp_path(f, "u");
        g_autofree char *bad = tmp_path(f, "u/bad\xff.txt");
        g_autofree char *disc = NULL;

        g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
        write_file(bad, 3);
        g_assert_false(imapi_disc_master_add_tree_sync(dm, dir, NULL, IMAPI_ADD_FLAGS_NONE, NULL, NULL, NULL,
                                                       &error));
        g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME);
        g_clear_error(&error);
        g_assert_true(imapi_disc_master_add_tree_sync(dm, dir, NULL, IMAPI_ADD_FLAGS_MANGLE_NAMES, NULL,
                                                      NULL, NULL, &error));
        g_assert_no_error(error);
        disc = burn_and_list(f, dm);
        g_assert_cmpstr(disc, ==, "u d 0\nu/bad\xef\xbf\xbd.txt f 3\n");
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
        g_assert_cmpuint(calls_count(f, "AddData"), ==, 0);
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

/* Burns the one staged track, reads the audio CD back and compares its first track with 'path'. Returns
 * the disc's cue sheet. */
static char *burn_and_check_pcm(Fixture *f, ImapiDiscMaster *dm, const char *path, guint32 blocks)
{
        g_autoptr(GByteArray) expected = expected_pcm(path);
        g_autoptr(GError) error = NULL;
        g_autofree char *image = NULL, *cue = NULL, *pcm = NULL;
        gsize size;

        g_assert_cmpuint(expected->len, ==, blocks * 2352);
        g_assert_true(
                imapi_disc_master_record_sync(dm, IMAPI_RECORD_FLAGS_NONE, 0, NULL, NULL, NULL, &error));
        g_assert_no_error(error);
        close_disc_master(dm);
        image = read_disc(f, VIRTUAL0, "audio.bin", &cue);
        g_file_get_contents(image, &pcm, &size, &error);
        g_assert_no_error(error);
        /* The image starts at the first track's INDEX 01, LBA 0 (its pregap is at negative addresses). */
        g_assert_nonnull(strstr(cue, "INDEX 01 00:00:00"));
        g_assert_cmpuint(size, >=, expected->len);
        g_assert_cmpmem(pcm, expected->len, expected->data, expected->len);
        return g_steal_pointer(&cue);
}

static guint32 created_track_blocks(Fixture *f)
{
        guint32 blocks;

        g_variant_get(calls_get(f, "CreateAudioTrack", -1)->body, "(u)", &blocks);
        return blocks;
}

static void test_audio_float_wav_sync(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_format(f, "redbook", VIRTUAL0);
        g_autoptr(GError) error = NULL;
        g_autofree char *wav = tmp_path(f, "a.wav");
        g_autofree char *cue = NULL;
        guint64 last = 0;

        /* 1000 blocks and a half: the last block is padded with silence. */
        write_wav(wav, 44100, 2, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 588 * 1000 + 294, "Tag Title");
        g_assert_true(imapi_disc_master_add_audio_file_sync(dm, wav, NULL, "Someone",
                                                            IMAPI_AUDIO_FLAGS_USE_TAGS, on_progress_count,
                                                            &last, NULL, &error));
        g_assert_no_error(error);
        g_assert_cmpuint(last, ==, 1001);
        g_assert_cmpuint(created_track_blocks(f), ==, 1001);
        {
                g_autofree char *tracks = disc_master_get_string(
                        f, dm, "org.freedesktop.IMAPI1.RedbookDiscMaster", "TotalAudioTracks");

                g_assert_cmpstr(tracks, ==, "1");
        }
        cue = burn_and_check_pcm(f, dm, wav, 1001);
        g_assert_nonnull(strstr(cue, "TITLE \"Tag Title\""));
        g_assert_nonnull(strstr(cue, "PERFORMER \"Someone\""));
}

static void test_audio_flac_async(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_format(f, "redbook", VIRTUAL0);
        g_autoptr(GError) error = NULL;
        g_autofree char *flac = tmp_path(f, "b.flac");
        g_autofree char *cue = NULL;
        AsyncState s = {.thread = g_thread_self()};

        write_wav(flac, 44100, 2, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 588 * 2000, "Unused");
        imapi_disc_master_add_audio_file(dm, flac, NULL, NULL, IMAPI_AUDIO_FLAGS_NONE, on_progress_thread,
                                         &s, NULL, NULL, store_result, &s);
        wait_for(has_result, &s);
        g_assert_true(imapi_disc_master_add_audio_file_finish(dm, s.result, &error));
        g_assert_no_error(error);
        g_object_unref(s.result);
        while (g_main_context_iteration(NULL, FALSE))
                ;
        g_assert_cmpuint(s.last, ==, 2000);
        g_assert_cmpuint(created_track_blocks(f), ==, 2000);
        cue = burn_and_check_pcm(f, dm, flac, 2000);
        /* Without USE_TAGS the file's title stays off the disc. */
        g_assert_null(strstr(cue, "Unused"));
}

static void test_audio_refuses_other_rates(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_format(f, "redbook", VIRTUAL0);
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
        g_assert_cmpuint(calls_count(f, "CreateAudioTrack"), ==, 0);
        g_assert_cmpuint(calls_count(f, "AddAudioTrackBlocksFromFd"), ==, 0);
}

/* ---- image ---- */

static guint image_blocks(Fixture *f, ImapiDiscMaster *dm)
{
        g_autofree char *v =
                disc_master_get_string(f, dm, "org.freedesktop.IMAPI1.ImageDiscMaster", "ImageBlocks");

        return (guint) atoi(v);
}

static void test_image(Fixture *f, gconstpointer data)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(ImapiDiscMaster) dm = open_format(f, "image", VIRTUAL0);
        g_autofree char *src = tmp_path(f, "src");
        g_autofree char *src_file = tmp_path(f, "src/hello.txt");
        g_autofree char *iso = tmp_path(f, "made.iso");
        g_autofree char *zeros = tmp_path(f, "zeros.img");
        g_autofree char *disc = NULL, *want = NULL, *got = NULL;
        gsize want_size, got_size;
        AsyncState s = {};

        g_assert_cmpint(g_mkdir(src, 0755), ==, 0);
        write_file(src_file, 3000);
        {
                const char *argv[] = {"xorriso", "-as", "mkisofs", "-quiet", "-J",
                                      "-R",      "-o",  iso,       src,      NULL};

                run_checked(argv, NULL);
        }
        g_assert_true(imapi_disc_master_set_image_file_sync(dm, iso, FALSE, NULL, &error));
        g_assert_no_error(error);
        g_file_get_contents(iso, &want, &want_size, &error);
        g_assert_cmpuint(image_blocks(f, dm), ==, want_size / 2048);
        g_assert_false(imapi_disc_master_set_image_file_sync(dm, f->tmp, FALSE, NULL, &error));
        g_assert_error(error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
        g_clear_error(&error);

        /* No volume on it: refused unless raw. */
        write_file(zeros, 2048 * 7);
        g_assert_false(imapi_disc_master_set_image_file_sync(dm, zeros, FALSE, NULL, &error));
        g_assert_error(error, IMAPI_ERROR, IMAPI_ERROR_IMAGE_MANAGER_NO_VALID_VD_FOUND);
        g_clear_error(&error);
        imapi_disc_master_set_image_file(dm, zeros, TRUE, NULL, store_result, &s);
        wait_for(has_result, &s);
        g_assert_true(imapi_disc_master_set_image_file_finish(dm, s.result, &error));
        g_assert_no_error(error);
        g_clear_object(&s.result);
        g_assert_cmpuint(image_blocks(f, dm), ==, 7);

        /* The last image set is the one burned. */
        g_assert_true(imapi_disc_master_set_image_file_sync(dm, iso, FALSE, NULL, &error));
        g_assert_true(
                imapi_disc_master_record_sync(dm, IMAPI_RECORD_FLAGS_NONE, 0, NULL, NULL, NULL, &error));
        g_assert_no_error(error);
        close_disc_master(dm);
        disc = read_disc(f, VIRTUAL0, "disc.iso", NULL);
        g_file_get_contents(disc, &got, &got_size, &error);
        g_assert_no_error(error);
        g_assert_cmpuint(got_size, >=, want_size);
        g_assert_cmpmem(got, want_size, want, want_size);
}

/* ---- burns ---- */

static gboolean record_option(const Call *c, const char *key)
{
        g_autoptr(GVariant) options = g_variant_get_child_value(c->body, 2);
        gboolean v = FALSE;

        g_variant_lookup(options, key, "b", &v);
        return v;
}

static void test_record_sync_ok(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_joliet(f);
        g_autoptr(GError) error = NULL;
        g_autofree char *file = tmp_path(f, "file");
        AsyncState s = {.thread = g_thread_self()};
        gboolean simulate, eject;
        const Call *c;

        write_file(file, 1000 * 1000);
        g_assert_true(imapi_disc_master_add_tree_sync(dm, file, NULL, 0, NULL, NULL, NULL, &error));
        g_assert_true(imapi_disc_master_record_sync(
                dm, IMAPI_RECORD_FLAGS_SIMULATE | IMAPI_RECORD_FLAGS_CLOSE_DISC, 0, on_progress_thread, &s,
                NULL, &error));
        g_assert_no_error(error);
        c = calls_get(f, "RecordDisc", -1);
        g_variant_get(c->body, "(bb@a{sv})", &simulate, &eject, NULL);
        g_assert_true(simulate);
        g_assert_false(eject);
        g_assert_true(record_option(c, "close-disc"));
        g_assert_cmpuint(s.n_kinds, >=, 3);
        g_assert_cmpint(s.kinds[0], ==, IMAPI_PROGRESS_PREPARING);
        g_assert_cmpint(s.kinds[s.n_kinds - 1], ==, IMAPI_PROGRESS_CLOSING);
        for (guint i = 1; i + 1 < s.n_kinds; i++)
                g_assert_true(s.kinds[i] == IMAPI_PROGRESS_WRITING || s.kinds[i] == IMAPI_PROGRESS_TRACK);
        /* A test write: the disc is still blank and the recorder still ours. */
        g_assert_cmpuint(media_flags(f, VIRTUAL0) & 1, ==, 1);
        {
                g_autoptr(GVariant) state = recorder_get(f, VIRTUAL0, "State");

                g_assert_cmpstr(g_variant_get_string(state, NULL), ==, "opened");
        }
}

/* virtual_faulty reports LOSS OF STREAMING at block 200 of its first burn. */
static const BusOptions faulty = {"cd-r", 0, "[VirtualRecorder faulty]\nFaults=sense@lba=200:3/0C/09\n"};
#define FAULTY RECORDER_PREFIX "virtual_5ffaulty"

static void test_record_async_failure(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_format(f, "joliet", FAULTY);
        g_autoptr(GError) error = NULL;
        g_autofree char *file = tmp_path(f, "file");
        g_autofree char *name = NULL;
        AsyncState s = {.thread = g_thread_self()};
        gboolean eject;

        write_file(file, 2 * 1000 * 1000);
        g_assert_true(imapi_disc_master_add_tree_sync(dm, file, NULL, 0, NULL, NULL, NULL, &error));
        imapi_disc_master_record(dm, IMAPI_RECORD_FLAGS_EJECT, 0, on_progress_thread, &s, NULL, NULL,
                                 store_result, &s);
        wait_for(has_result, &s);
        g_assert_false(imapi_disc_master_record_finish(dm, s.result, &error));
        g_object_unref(s.result);
        g_assert_error(error, IMAPI_ERROR, IMAPI_ERROR_LOSS_OF_STREAMING);
        g_assert_nonnull(strstr(error->message, "(IMAPI_E_LOSS_OF_STREAMING, 0x80040227)"));
        name = imapi_error_dup_dbus_name(error);
        g_assert_cmpstr(name, ==, "org.freedesktop.IMAPI1.Error.LossOfStreaming");
        g_assert_cmpint(s.kinds[0], ==, IMAPI_PROGRESS_PREPARING);
        g_variant_get(calls_get(f, "RecordDisc", -1)->body, "(bb@a{sv})", NULL, &eject, NULL);
        g_assert_true(eject);
        /* The disc is ejected only after a burn that succeeded. */
        {
                g_autoptr(GVariant) present = recorder_get(f, FAULTY, "MediaPresent");

                g_assert_true(g_variant_get_boolean(present));
        }
}

static void test_record_refused(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_format(f, "joliet", NULL);
        g_autoptr(GError) error = NULL;

        g_assert_false(imapi_disc_master_record_sync(dm, 0, 0, NULL, NULL, NULL, &error));
        g_assert_error(error, IMAPI_ERROR, IMAPI_ERROR_NO_ACTIVE_RECORDER);
        g_assert_nonnull(strstr(error->message, "IMAPI_E_"));
}

/* virtual0 at 8x: 1.2 MB/s, so that a burn of 8 MB lasts seconds after its first progress (the drive's 4 MiB
 * buffer fills at once) and a cancelled one stops when the buffer has drained. */
static const BusOptions throttled = {"cd-r", 8, NULL};

static void stage_big_file(Fixture *f, ImapiDiscMaster *dm)
{
        g_autoptr(GError) error = NULL;
        g_autofree char *file = tmp_path(f, "big");

        write_file(file, 8 * 1000 * 1000);
        g_assert_true(imapi_disc_master_add_tree_sync(dm, file, NULL, 0, NULL, NULL, NULL, &error));
        g_assert_no_error(error);
}

static void test_record_cancel(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_joliet(f);
        g_autoptr(GError) error = NULL;
        g_autoptr(GCancellable) cancellable = g_cancellable_new();
        AsyncState s = {.thread = g_thread_self(), .cancel_on_progress = cancellable};

        stage_big_file(f, dm);
        g_assert_false(imapi_disc_master_record_sync(dm, 0, 0, on_progress_thread, &s, cancellable, &error));
        g_assert_error(error, IMAPI_ERROR, IMAPI_ERROR_USER_ABORT);
        g_assert_cmpuint(calls_count(f, "Cancel"), ==, 1);
        /* The burn stopped short; the disc master is back to staging. */
        g_assert_cmpuint(s.last, <, 8 * 1000 * 1000 / 2048);
        {
                g_autofree char *state = disc_master_get_string(f, dm, IFACE_DISC_MASTER, "State");

                g_assert_cmpstr(state, ==, "staging");
        }
}

static pid_t daemon_pid(Fixture *f)
{
        g_autofree char *pidfile = g_build_filename(f->dir, "imapid.pid", NULL);
        g_autofree char *text = NULL;
        g_autoptr(GError) error = NULL;

        g_file_get_contents(pidfile, &text, NULL, &error);
        g_assert_no_error(error);
        return (pid_t) atoi(text);
}

/* imapid killed in the middle of a burn: the client learns it from the bus and does not wait forever. */
static void test_record_daemon_vanishes(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_joliet(f);
        g_autoptr(GError) error = NULL;
        AsyncState s = {.thread = g_thread_self(), .kill_on_progress = daemon_pid(f)};

        stage_big_file(f, dm);
        g_assert_false(imapi_disc_master_record_sync(dm, 0, 0, on_progress_thread, &s, NULL, &error));
        g_assert_error(error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER);
        g_assert_cmpint(s.kill_on_progress, ==, 0); /* it was killed while writing */
}

/* virtual_slow erases a CD-RW in 1.5 s, so that progress is reported on the way. */
static const BusOptions slow_erase = {"cd-r", 0,
                                      "[VirtualRecorder slow]\nMedium=cd-rw\nFaults=erase-time=1500\n"};
#define SLOW RECORDER_PREFIX "virtual_5fslow"

static void test_erase(Fixture *f, gconstpointer data)
{
        g_autoptr(ImapiDiscMaster) dm = open_format(f, "joliet", NULL);
        g_autoptr(GError) error = NULL;
        g_autofree char *file = tmp_path(f, "file");
        AsyncState s = {.thread = g_thread_self()};
        gboolean full;

        g_assert_false(imapi_disc_master_erase_sync(dm, TRUE, NULL, NULL, NULL, &error));
        g_assert_error(error, IMAPI_ERROR, IMAPI_ERROR_NO_ACTIVE_RECORDER);
        g_clear_error(&error);
        /* Something to erase. */
        write_file(file, 100 * 1000);
        g_assert_true(imapi_disc_master_setup_sync(dm, NULL, SLOW, NULL, &error));
        g_assert_true(imapi_disc_master_add_tree_sync(dm, file, NULL, 0, NULL, NULL, NULL, &error));
        g_assert_true(imapi_disc_master_record_sync(dm, 0, 0, NULL, NULL, NULL, &error));
        g_assert_no_error(error);
        g_assert_cmpuint(media_flags(f, SLOW) & 1, ==, 0);

        g_assert_true(imapi_disc_master_erase_sync(dm, TRUE, on_progress_thread, &s, NULL, &error));
        g_assert_no_error(error);
        g_variant_get(calls_get(f, "Erase", -1)->body, "(b@a{sv})", &full, NULL);
        g_assert_true(full);
        g_assert_cmpuint(s.n_kinds, ==, 1);
        g_assert_cmpint(s.kinds[0], ==, IMAPI_PROGRESS_ERASING);
        g_assert_cmpuint(s.reports, >=, 1);
        g_assert_cmpuint(media_flags(f, SLOW) & 1, ==, 1);
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
#define ADD(name, func, options)                                                                            \
        g_test_add("/imapi-client/" name, Fixture, options, fixture_setup, func, fixture_teardown)
        ADD("recorders-sorted", test_recorders_sorted, &two_more);
        ADD("lookup", test_lookup, &two_more);
        ADD("hotplug-signals", test_hotplug_signals, &two_more);
        ADD("interactive-authorization-flag", test_interactive_authorization_flag, NULL);
        ADD("async-init-open-setup", test_async_init_open_setup, NULL);
        ADD("add-tree-sync", test_add_tree_sync, NULL);
        ADD("add-tree-async", test_add_tree_async, NULL);
        ADD("add-tree-shrinks-batches", test_add_tree_shrinks_batches, &five_per_call);
        ADD("add-tree-pipelined-failure", test_add_tree_pipelined_failure, NULL);
        ADD("add-tree-contents-at-root", test_add_tree_contents_at_root, NULL);
        ADD("add-tree-special-files", test_add_tree_special_files, NULL);
        ADD("add-tree-bad-utf8", test_add_tree_bad_utf8, NULL);
        ADD("add-tree-unreadable", test_add_tree_unreadable, NULL);
        ADD("audio-float-wav-sync", test_audio_float_wav_sync, NULL);
        ADD("audio-flac-async", test_audio_flac_async, NULL);
        ADD("audio-refuses-other-rates", test_audio_refuses_other_rates, NULL);
        ADD("image", test_image, NULL);
        ADD("record-sync-ok", test_record_sync_ok, NULL);
        ADD("record-async-failure", test_record_async_failure, &faulty);
        ADD("record-refused", test_record_refused, NULL);
        ADD("record-cancel", test_record_cancel, &throttled);
        ADD("record-daemon-vanishes", test_record_daemon_vanishes, &throttled);
        ADD("erase", test_erase, &slow_erase);
#undef ADD
        return g_test_run();
}
