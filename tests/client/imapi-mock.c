/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A stand-in imapid for libimapi's tests (see imapi-mock.h). It checks nothing itself; tests read what it
 * recorded. */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "imapi-mock.h"

typedef struct Invocation {
        Mock *mock;
        void (*func)(Mock *m, gpointer data);
        gpointer data;
        gboolean done;
        GMutex lock;
        GCond cond;
} Invocation;

static gboolean invocation_run(gpointer user_data)
{
        Invocation *i = user_data;

        i->func(i->mock, i->data);
        g_mutex_lock(&i->lock);
        i->done = TRUE;
        g_cond_signal(&i->cond);
        g_mutex_unlock(&i->lock);
        return G_SOURCE_REMOVE;
}

/* Runs func in the service thread and waits for it. */
static void mock_invoke_sync(Mock *m, void (*func)(Mock *m, gpointer data), gpointer data)
{
        Invocation i = {.mock = m, .func = func, .data = data};

        g_mutex_init(&i.lock);
        g_cond_init(&i.cond);
        g_main_context_invoke(m->context, invocation_run, &i);
        g_mutex_lock(&i.lock);
        while (!i.done)
                g_cond_wait(&i.cond, &i.lock);
        g_mutex_unlock(&i.lock);
        g_mutex_clear(&i.lock);
        g_cond_clear(&i.cond);
}

static char *recorder_path(const char *id)
{
        g_autofree char *escaped = g_dbus_escape_object_path(id);

        return g_strconcat("/org/freedesktop/IMAPI1/Recorder/", escaped, NULL);
}

/* ---- disc master methods ---- */

static gboolean on_open(ImapiManager *object, GDBusMethodInvocation *invocation, GVariant *options,
                        gpointer user_data)
{
        imapi_manager_complete_open(object, invocation, MOCK_DISC_MASTER_PATH);
        return TRUE;
}

static gboolean on_set_active_format(ImapiDiscMaster *object, GDBusMethodInvocation *invocation,
                                     const char *format, gpointer user_data)
{
        Mock *m = user_data;

        g_mutex_lock(&m->lock);
        g_free(m->format);
        m->format = g_strdup(format);
        g_mutex_unlock(&m->lock);
        imapi_disc_master_set_active_format(object, format);
        imapi_disc_master_complete_set_active_format(object, invocation);
        return TRUE;
}

static gboolean on_set_active_recorder(ImapiDiscMaster *object, GDBusMethodInvocation *invocation,
                                       const char *recorder, gpointer user_data)
{
        Mock *m = user_data;

        g_mutex_lock(&m->lock);
        g_free(m->active_recorder);
        m->active_recorder = g_strdup(recorder);
        m->set_recorder_flags = g_dbus_message_get_flags(g_dbus_method_invocation_get_message(invocation));
        g_mutex_unlock(&m->lock);
        imapi_disc_master_set_active_recorder(object, recorder);
        imapi_disc_master_complete_set_active_recorder(object, invocation);
        return TRUE;
}

static gboolean on_cancel(ImapiDiscMaster *object, GDBusMethodInvocation *invocation, gpointer user_data)
{
        Mock *m = user_data;

        g_mutex_lock(&m->lock);
        m->cancel_called = TRUE;
        g_mutex_unlock(&m->lock);
        imapi_disc_master_complete_cancel(object, invocation);
        return TRUE;
}

static char entry_type(mode_t mode)
{
        return S_ISDIR(mode) ? 'd' : S_ISREG(mode) ? 'f' : S_ISLNK(mode) ? 'l' : '?';
}

static gboolean on_add_data(ImapiJolietDiscMaster *object, GDBusMethodInvocation *invocation,
                            GUnixFDList *fds, GVariant *entries, GVariant *options, gpointer user_data)
{
        Mock *m = user_data;
        GVariantIter iter;
        const char *path;
        gint32 handle;
        guint n = (guint) g_variant_n_children(entries);

        g_mutex_lock(&m->lock);
        m->add_calls++;
        m->max_entries_per_call = MAX(m->max_entries_per_call, n);
        if (m->fail_call == m->add_calls) {
                g_mutex_unlock(&m->lock);
                g_dbus_method_invocation_return_dbus_error(
                        invocation, "org.freedesktop.IMAPI1.Error.FileExists", "Already there");
                return TRUE;
        }
        if (m->entry_limit > 0 && n > m->entry_limit) {
                g_mutex_unlock(&m->lock);
                g_dbus_method_invocation_return_dbus_error(invocation,
                                                           "org.freedesktop.IMAPI1.Error.LimitsExceeded",
                                                           "Too many entries in one call");
                return TRUE;
        }
        g_variant_iter_init(&iter, entries);
        while (g_variant_iter_next(&iter, "(&sh)", &path, &handle)) {
                int fd = fds ? g_unix_fd_list_get(fds, handle, NULL) : -1;
                struct stat st = {};

                if (fd < 0 || fstat(fd, &st) < 0 || path[0] == '\0' || path[0] == '/')
                        g_ptr_array_add(m->staged, g_strdup_printf("%s ? 0", path));
                else
                        g_ptr_array_add(m->staged,
                                        g_strdup_printf("%s %c %" G_GINT64_FORMAT, path,
                                                        entry_type(st.st_mode),
                                                        S_ISREG(st.st_mode) ? (gint64) st.st_size : 0));
                if (fd >= 0)
                        close(fd);
        }
        g_mutex_unlock(&m->lock);
        imapi_joliet_disc_master_complete_add_data(object, invocation, NULL);
        return TRUE;
}

static gboolean on_create_audio_track(ImapiRedbookDiscMaster *object, GDBusMethodInvocation *invocation,
                                      guint blocks, gpointer user_data)
{
        Mock *m = user_data;

        g_mutex_lock(&m->lock);
        m->track_hint = blocks;
        g_byte_array_set_size(m->pcm, 0);
        g_mutex_unlock(&m->lock);
        imapi_redbook_disc_master_complete_create_audio_track(object, invocation);
        return TRUE;
}

static gboolean on_add_audio_fd(ImapiRedbookDiscMaster *object, GDBusMethodInvocation *invocation,
                                GUnixFDList *fds, GVariant *handle, GVariant *options, gpointer user_data)
{
        Mock *m = user_data;
        int fd = g_unix_fd_list_get(fds, g_variant_get_handle(handle), NULL);
        guint8 buf[65536];
        ssize_t n;

        /* Read to the end, like imapid; the client's writer thread fills the pipe meanwhile. */
        while ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR)) {
                g_mutex_lock(&m->lock);
                if (n > 0)
                        g_byte_array_append(m->pcm, buf, (guint) n);
                g_mutex_unlock(&m->lock);
        }
        close(fd);
        if (m->pcm->len % 2352 != 0) {
                g_dbus_method_invocation_return_dbus_error(
                        invocation, "org.freedesktop.IMAPI1.Error.InvalidPcm", "Not whole blocks");
                return TRUE;
        }
        imapi_redbook_disc_master_complete_add_audio_track_blocks_from_fd(object, invocation, NULL);
        return TRUE;
}

static gboolean on_close_audio_track(ImapiRedbookDiscMaster *object, GDBusMethodInvocation *invocation,
                                     gpointer user_data)
{
        Mock *m = user_data;

        g_mutex_lock(&m->lock);
        m->tracks++;
        m->tracks_closed_blocks += m->pcm->len / 2352;
        imapi_redbook_disc_master_set_total_audio_tracks(object, m->tracks);
        g_mutex_unlock(&m->lock);
        imapi_redbook_disc_master_complete_close_audio_track(object, invocation);
        return TRUE;
}

static gboolean on_set_track_properties(ImapiRedbookDiscMaster *object, GDBusMethodInvocation *invocation,
                                        guint track, GVariant *properties, gpointer user_data)
{
        Mock *m = user_data;

        g_mutex_lock(&m->lock);
        if (track != m->tracks) {
                g_mutex_unlock(&m->lock);
                g_dbus_method_invocation_return_dbus_error(
                        invocation, "org.freedesktop.DBus.Error.InvalidArgs", "No such track");
                return TRUE;
        }
        g_clear_pointer(&m->track_title, g_free);
        g_clear_pointer(&m->track_performer, g_free);
        g_variant_lookup(properties, "title", "s", &m->track_title);
        g_variant_lookup(properties, "performer", "s", &m->track_performer);
        g_mutex_unlock(&m->lock);
        imapi_redbook_disc_master_complete_set_track_properties(object, invocation);
        return TRUE;
}

static gboolean on_set_image(ImapiImageDiscMaster *object, GDBusMethodInvocation *invocation,
                             GUnixFDList *fds, GVariant *handle, GVariant *options, gpointer user_data)
{
        Mock *m = user_data;
        int fd = g_unix_fd_list_get(fds, g_variant_get_handle(handle), NULL);
        struct stat st = {};

        if (fd >= 0)
                (void) fstat(fd, &st);
        if (fd >= 0)
                close(fd);
        g_mutex_lock(&m->lock);
        m->image_size = (guint64) st.st_size;
        g_mutex_unlock(&m->lock);
        imapi_image_disc_master_complete_set_image(object, invocation, NULL);
        return TRUE;
}

static gboolean on_set_joliet_properties(ImapiJolietDiscMaster *object, GDBusMethodInvocation *invocation,
                                         GVariant *properties, gpointer user_data)
{
        Mock *m = user_data;
        const char *ignored[] = {NULL};

        g_mutex_lock(&m->lock);
        g_clear_pointer(&m->volume, g_free);
        g_variant_lookup(properties, "VolumeName", "s", &m->volume);
        g_variant_lookup(properties, "StageFiles", "b", &m->stage_files);
        g_mutex_unlock(&m->lock);
        imapi_joliet_disc_master_complete_set_joliet_properties(object, invocation, ignored);
        return TRUE;
}

static gboolean on_get_joliet_properties(ImapiJolietDiscMaster *object, GDBusMethodInvocation *invocation,
                                         gpointer user_data)
{
        Mock *m = user_data;
        GVariantBuilder b;

        g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
        g_mutex_lock(&m->lock);
        g_variant_builder_add(&b, "{sv}", "StageFiles", g_variant_new_boolean(m->stage_files));
        g_variant_builder_add(&b, "{sv}", "VolumeName", g_variant_new_string(m->volume ? m->volume : ""));
        g_mutex_unlock(&m->lock);
        imapi_joliet_disc_master_complete_get_joliet_properties(object, invocation,
                                                                g_variant_builder_end(&b));
        return TRUE;
}

static gboolean on_set_disc_properties(ImapiRedbookDiscMaster *object, GDBusMethodInvocation *invocation,
                                       GVariant *properties, gpointer user_data)
{
        Mock *m = user_data;

        g_mutex_lock(&m->lock);
        g_variant_lookup(properties, "title", "s", &m->disc_title);
        g_variant_lookup(properties, "performer", "s", &m->disc_performer);
        g_mutex_unlock(&m->lock);
        imapi_redbook_disc_master_complete_set_disc_properties(object, invocation);
        return TRUE;
}

static gboolean on_set_recorder_properties(ImapiRecorder *object, GDBusMethodInvocation *invocation,
                                           GVariant *properties, gpointer user_data)
{
        Mock *m = user_data;
        const char *ignored[] = {NULL};
        gint32 gap;

        if (g_variant_lookup(properties, "AudioGapSize", "i", &gap)) {
                g_mutex_lock(&m->lock);
                m->gap = gap;
                g_mutex_unlock(&m->lock);
        }
        imapi_recorder_complete_set_recorder_properties(object, invocation, ignored);
        return TRUE;
}

/* ---- scripted burns ---- */

static gboolean burn_step(gpointer user_data)
{
        Mock *m = user_data;
        ImapiDiscMaster *dm = m->disc_master;
        guint step = m->burn_step++;
        gboolean cancelled;

        g_mutex_lock(&m->lock);
        cancelled = m->cancel_called;
        g_mutex_unlock(&m->lock);
        if (step == 0) {
                imapi_disc_master_emit_preparing_burn(dm, 3);
                return G_SOURCE_CONTINUE;
        }
        switch (m->burn) {
        case MOCK_BURN_OK:
                if (step <= m->steps + 1) {
                        imapi_disc_master_emit_track_progress(dm, 1, 1);
                        imapi_disc_master_emit_block_progress(dm, (step - 1) * 100, m->steps * 100);
                        return G_SOURCE_CONTINUE;
                }
                imapi_disc_master_emit_closing_disc(dm, 2);
                imapi_disc_master_emit_burn_complete(dm, "", "");
                return G_SOURCE_REMOVE;
        case MOCK_BURN_FAIL:
                if (step == 1) {
                        imapi_disc_master_emit_block_progress(dm, 10, 300);
                        return G_SOURCE_CONTINUE;
                }
                imapi_disc_master_emit_burn_complete(
                        dm, "org.freedesktop.IMAPI1.Error.LossOfStreaming",
                        "Buffer under-run at block 10 (IMAPI_E_LOSS_OF_STREAMING, 0x80040227)");
                return G_SOURCE_REMOVE;
        case MOCK_BURN_SLOW:
                if (!cancelled) {
                        imapi_disc_master_emit_block_progress(dm, step, 1000000);
                        return G_SOURCE_CONTINUE;
                }
                imapi_disc_master_emit_burn_complete(dm, "org.freedesktop.IMAPI1.Error.UserAbort",
                                                     "The burn was cancelled");
                return G_SOURCE_REMOVE;
        case MOCK_BURN_VANISH:
                imapi_disc_master_emit_block_progress(dm, 1, 300);
                g_dbus_connection_call_sync(m->connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                            "org.freedesktop.DBus", "ReleaseName",
                                            g_variant_new("(s)", IMAPI_BUS_NAME), NULL,
                                            G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
                return G_SOURCE_REMOVE;
        case MOCK_BURN_REFUSE:
                break;
        }
        return G_SOURCE_REMOVE;
}

static gboolean on_record_disc(ImapiDiscMaster *object, GDBusMethodInvocation *invocation, gboolean simulate,
                               gboolean eject_after, GVariant *options, gpointer user_data)
{
        Mock *m = user_data;
        GSource *s;

        g_mutex_lock(&m->lock);
        m->record_flags = g_dbus_message_get_flags(g_dbus_method_invocation_get_message(invocation));
        m->record_simulate = simulate;
        m->record_eject = eject_after;
        m->record_close = FALSE;
        g_variant_lookup(options, "close-disc", "b", &m->record_close);
        g_mutex_unlock(&m->lock);
        if (m->burn == MOCK_BURN_REFUSE) {
                g_dbus_method_invocation_return_dbus_error(invocation,
                                                           "org.freedesktop.IMAPI1.Error.NoActiveRecorder",
                                                           "Take a recorder first");
                return TRUE;
        }
        imapi_disc_master_complete_record_disc(object, invocation);
        m->burn_step = 0;
        s = g_timeout_source_new(m->step_ms);
        g_source_set_callback(s, burn_step, m, NULL);
        g_source_attach(s, m->context);
        g_source_unref(s);
        return TRUE;
}

static gboolean erase_finish(gpointer user_data)
{
        Mock *m = user_data;

        imapi_recorder_emit_erase_progress(m->recorder, 1, 2);
        imapi_recorder_emit_erase_progress(m->recorder, 2, 2);
        imapi_recorder_emit_erase_complete(m->recorder, "", "");
        return G_SOURCE_REMOVE;
}

static gboolean on_erase(ImapiRecorder *object, GDBusMethodInvocation *invocation, gboolean full,
                         GVariant *options, gpointer user_data)
{
        Mock *m = user_data;
        GSource *s;

        g_mutex_lock(&m->lock);
        m->erase_full = full;
        g_mutex_unlock(&m->lock);
        imapi_recorder_complete_erase(object, invocation);
        s = g_timeout_source_new(10);
        g_source_set_callback(s, erase_finish, m, NULL);
        g_source_attach(s, m->context);
        g_source_unref(s);
        return TRUE;
}

/* ---- objects ---- */

static void export_recorder(Mock *m, const char *id)
{
        g_autofree char *path = recorder_path(id);
        g_autoptr(ImapiObjectSkeleton) object = imapi_object_skeleton_new(path);
        g_autoptr(ImapiRecorder) r = imapi_recorder_skeleton_new();
        gboolean is_virtual = g_str_has_prefix(id, "virtual_");

        imapi_recorder_set_id(r, id);
        imapi_recorder_set_vendor(r, is_virtual ? "imapid" : "ACME");
        imapi_recorder_set_product(r, is_virtual ? "Virtual recorder" : "Burner 9000");
        imapi_recorder_set_device(r, is_virtual ? "" : m->device_node);
        imapi_recorder_set_virtual(r, is_virtual);
        imapi_recorder_set_state(r, "idle");
        if (g_str_equal(id, "virtual_a")) {
                m->recorder = g_object_ref(r);
                g_signal_connect(r, "handle-erase", G_CALLBACK(on_erase), m);
                g_signal_connect(r, "handle-set-recorder-properties", G_CALLBACK(on_set_recorder_properties),
                                 m);
        }
        imapi_object_skeleton_set_recorder(object, r);
        g_dbus_object_manager_server_export(m->object_manager, G_DBUS_OBJECT_SKELETON(object));
}

static void export_disc_master(Mock *m)
{
        g_autoptr(ImapiObjectSkeleton) object = imapi_object_skeleton_new(MOCK_DISC_MASTER_PATH);

        m->disc_master = imapi_disc_master_skeleton_new();
        m->joliet = imapi_joliet_disc_master_skeleton_new();
        m->redbook = imapi_redbook_disc_master_skeleton_new();
        m->image = imapi_image_disc_master_skeleton_new();
        imapi_disc_master_set_active_recorder(m->disc_master, "/");
        g_signal_connect(m->disc_master, "handle-set-active-format", G_CALLBACK(on_set_active_format), m);
        g_signal_connect(m->disc_master, "handle-set-active-recorder", G_CALLBACK(on_set_active_recorder),
                         m);
        g_signal_connect(m->disc_master, "handle-record-disc", G_CALLBACK(on_record_disc), m);
        g_signal_connect(m->disc_master, "handle-cancel", G_CALLBACK(on_cancel), m);
        g_signal_connect(m->joliet, "handle-add-data", G_CALLBACK(on_add_data), m);
        g_signal_connect(m->joliet, "handle-set-joliet-properties", G_CALLBACK(on_set_joliet_properties), m);
        g_signal_connect(m->joliet, "handle-get-joliet-properties", G_CALLBACK(on_get_joliet_properties), m);
        g_signal_connect(m->redbook, "handle-set-disc-properties", G_CALLBACK(on_set_disc_properties), m);
        g_signal_connect(m->redbook, "handle-create-audio-track", G_CALLBACK(on_create_audio_track), m);
        g_signal_connect(m->redbook, "handle-add-audio-track-blocks-from-fd", G_CALLBACK(on_add_audio_fd),
                         m);
        g_signal_connect(m->redbook, "handle-close-audio-track", G_CALLBACK(on_close_audio_track), m);
        g_signal_connect(m->redbook, "handle-set-track-properties", G_CALLBACK(on_set_track_properties), m);
        g_signal_connect(m->image, "handle-set-image", G_CALLBACK(on_set_image), m);
        imapi_object_skeleton_set_disc_master(object, m->disc_master);
        imapi_object_skeleton_set_joliet_disc_master(object, m->joliet);
        imapi_object_skeleton_set_redbook_disc_master(object, m->redbook);
        imapi_object_skeleton_set_image_disc_master(object, m->image);
        g_dbus_object_manager_server_export(m->object_manager, G_DBUS_OBJECT_SKELETON(object));
}

static void mock_setup(Mock *m, const char *address)
{
        g_autoptr(GVariant) r = NULL;

        m->connection = g_dbus_connection_new_for_address_sync(
                address,
                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                        G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                NULL, NULL, NULL);
        g_assert_nonnull(m->connection);
        m->object_manager = g_dbus_object_manager_server_new(IMAPI_MANAGER_PATH);
        export_recorder(m, "virtual_b");
        export_recorder(m, "virtual_a");
        export_recorder(m, "usb-drive");
        export_disc_master(m);
        g_dbus_object_manager_server_set_connection(m->object_manager, m->connection);
        m->manager = imapi_manager_skeleton_new();
        imapi_manager_set_version(m->manager, "0.0-mock");
        g_signal_connect(m->manager, "handle-open", G_CALLBACK(on_open), m);
        g_assert_true(g_dbus_interface_skeleton_export(G_DBUS_INTERFACE_SKELETON(m->manager), m->connection,
                                                       IMAPI_MANAGER_PATH, NULL));
        r = g_dbus_connection_call_sync(m->connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                        "org.freedesktop.DBus", "RequestName",
                                        g_variant_new("(su)", IMAPI_BUS_NAME, 0), G_VARIANT_TYPE("(u)"),
                                        G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
        g_assert_nonnull(r);
}

typedef struct StartData {
        Mock *mock;
        const char *address;
        gboolean ready;
        GMutex lock;
        GCond cond;
} StartData;

static gpointer mock_thread(gpointer user_data)
{
        StartData *d = user_data;
        Mock *m = d->mock;

        g_main_context_push_thread_default(m->context);
        mock_setup(m, d->address);
        g_mutex_lock(&d->lock);
        d->ready = TRUE;
        g_cond_signal(&d->cond);
        g_mutex_unlock(&d->lock);
        g_main_loop_run(m->loop);
        g_main_context_pop_thread_default(m->context);
        return NULL;
}

Mock *mock_start(const char *bus_address)
{
        Mock *m = g_new0(Mock, 1);
        StartData d = {.mock = m, .address = bus_address};

        g_mutex_init(&m->lock);
        m->staged = g_ptr_array_new_with_free_func(g_free);
        m->pcm = g_byte_array_new();
        m->device_node = g_strdup("/dev/null");
        m->step_ms = 10;
        m->steps = 3;
        m->gap = -1;
        m->context = g_main_context_new();
        m->loop = g_main_loop_new(m->context, FALSE);
        g_mutex_init(&d.lock);
        g_cond_init(&d.cond);
        m->thread = g_thread_new("mock-imapid", mock_thread, &d);
        g_mutex_lock(&d.lock);
        while (!d.ready)
                g_cond_wait(&d.cond, &d.lock);
        g_mutex_unlock(&d.lock);
        g_mutex_clear(&d.lock);
        g_cond_clear(&d.cond);
        return m;
}

static void mock_shutdown(Mock *m, gpointer data)
{
        g_dbus_interface_skeleton_unexport(G_DBUS_INTERFACE_SKELETON(m->manager));
        g_clear_object(&m->object_manager);
        g_clear_object(&m->manager);
        g_clear_object(&m->disc_master);
        g_clear_object(&m->joliet);
        g_clear_object(&m->redbook);
        g_clear_object(&m->image);
        g_clear_object(&m->recorder);
        g_dbus_connection_close_sync(m->connection, NULL, NULL);
        g_clear_object(&m->connection);
        g_main_loop_quit(m->loop);
}

void mock_stop(Mock *m)
{
        mock_invoke_sync(m, mock_shutdown, NULL);
        g_thread_join(m->thread);
        g_main_loop_unref(m->loop);
        g_main_context_unref(m->context);
        g_ptr_array_unref(m->staged);
        g_byte_array_unref(m->pcm);
        g_free(m->device_node);
        g_free(m->track_title);
        g_free(m->track_performer);
        g_free(m->format);
        g_free(m->active_recorder);
        g_free(m->volume);
        g_free(m->disc_title);
        g_free(m->disc_performer);
        g_mutex_clear(&m->lock);
        g_free(m);
}

static void do_add_recorder(Mock *m, gpointer id)
{
        export_recorder(m, id);
}

void mock_add_recorder(Mock *m, const char *id)
{
        mock_invoke_sync(m, do_add_recorder, (gpointer) id);
}

static void do_remove_recorder(Mock *m, gpointer id)
{
        g_autofree char *path = recorder_path(id);

        g_dbus_object_manager_server_unexport(m->object_manager, path);
        imapi_manager_emit_pnp_activity(m->manager);
}

void mock_remove_recorder(Mock *m, const char *id)
{
        mock_invoke_sync(m, do_remove_recorder, (gpointer) id);
}
