/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ImapiDiscMaster helpers: setup, staging in worker threads, and burning/erasing that follows the signals.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "imapi.h"
#include "imapi-private.h"

#define DEFAULT_BATCH_SIZE 16u /* dbus-daemon's default max_message_unix_fds on the system bus */

static GQuark call_flags_quark(void)
{
        return g_quark_from_static_string("imapi-disc-master-call-flags");
}

static GQuark batch_size_quark(void)
{
        return g_quark_from_static_string("imapi-disc-master-batch-size");
}

/**
 * imapi_disc_master_set_call_flags:
 * @disc_master: a disc master proxy
 * @flags: flags for calls that may need polkit authorization
 *
 * Sets the flags the helpers use for SetActiveRecorder, RecordDisc and Erase, typically
 * %G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION or %G_DBUS_CALL_FLAGS_NONE.
 * imapi_client_open_disc_master() sets them from the client.
 */
void imapi_disc_master_set_call_flags(ImapiDiscMaster *disc_master, GDBusCallFlags flags)
{
        g_return_if_fail(IMAPI_IS_DISC_MASTER(disc_master));
        g_object_set_qdata(G_OBJECT(disc_master), call_flags_quark(), GUINT_TO_POINTER(flags | 0x80000000u));
}

/**
 * imapi_disc_master_get_call_flags:
 * @disc_master: a disc master proxy
 *
 * Returns: the flags set with imapi_disc_master_set_call_flags(); %G_DBUS_CALL_FLAGS_NONE by default.
 */
GDBusCallFlags imapi_disc_master_get_call_flags(ImapiDiscMaster *disc_master)
{
        g_return_val_if_fail(IMAPI_IS_DISC_MASTER(disc_master), G_DBUS_CALL_FLAGS_NONE);
        return GPOINTER_TO_UINT(g_object_get_qdata(G_OBJECT(disc_master), call_flags_quark())) &
               ~0x80000000u;
}

/**
 * imapi_disc_master_set_batch_size:
 * @disc_master: a disc master proxy
 * @entries: entries (and so file descriptors) per AddData call, at least 1
 *
 * The system bus refuses messages with more than 16 file descriptors unless configured otherwise (and
 * closes the connection), so that is the default. imapi_disc_master_add_tree() halves the size when imapid
 * answers LimitsExceeded.
 */
void imapi_disc_master_set_batch_size(ImapiDiscMaster *disc_master, guint entries)
{
        g_return_if_fail(IMAPI_IS_DISC_MASTER(disc_master));
        g_return_if_fail(entries >= 1);
        g_object_set_qdata(G_OBJECT(disc_master), batch_size_quark(), GUINT_TO_POINTER(entries));
}

/**
 * imapi_disc_master_get_batch_size:
 * @disc_master: a disc master proxy
 *
 * Returns: the entries per AddData call (see imapi_disc_master_set_batch_size()).
 */
guint imapi_disc_master_get_batch_size(ImapiDiscMaster *disc_master)
{
        guint n;

        g_return_val_if_fail(IMAPI_IS_DISC_MASTER(disc_master), DEFAULT_BATCH_SIZE);
        n = GPOINTER_TO_UINT(g_object_get_qdata(G_OBJECT(disc_master), batch_size_quark()));
        return n ? n : DEFAULT_BATCH_SIZE;
}

/* ---- setup: SetActiveFormat, then SetActiveRecorder ---- */

typedef struct SetupData {
        char *format;
        char *recorder_path;
} SetupData;

static void setup_data_free(gpointer p)
{
        SetupData *d = p;

        g_free(d->format);
        g_free(d->recorder_path);
        g_free(d);
}

static void setup_recorder_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
        g_autoptr(GTask) task = user_data;
        g_autoptr(GVariant) r = NULL;
        GError *error = NULL;

        r = g_dbus_proxy_call_finish(G_DBUS_PROXY(source), result, &error);
        if (!r) {
                imapi_error_normalize(error);
                g_task_return_error(task, error);
                return;
        }
        g_task_return_boolean(task, TRUE);
}

static void setup_format_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
        g_autoptr(GTask) task = user_data;
        ImapiDiscMaster *dm = g_task_get_source_object(task);
        SetupData *d = g_task_get_task_data(task);
        g_autoptr(GVariant) r = NULL;
        GDBusCallFlags flags = imapi_disc_master_get_call_flags(dm);
        GCancellable *cancellable;
        GError *error = NULL;

        if (result) {
                r = g_dbus_proxy_call_finish(G_DBUS_PROXY(source), result, &error);
                if (!r) {
                        imapi_error_normalize(error);
                        g_task_return_error(task, error);
                        return;
                }
        }
        if (!d->recorder_path) {
                g_task_return_boolean(task, TRUE);
                return;
        }
        cancellable = g_task_get_cancellable(task);
        g_dbus_proxy_call(G_DBUS_PROXY(dm), "SetActiveRecorder", g_variant_new("(o)", d->recorder_path),
                          flags, call_timeout(flags), cancellable, setup_recorder_done,
                          g_steal_pointer(&task));
}

/**
 * imapi_disc_master_setup:
 * @disc_master: a disc master proxy
 * @format: (nullable): "joliet", "redbook" or "image"; %NULL to keep the active format
 * @recorder_path: (nullable): the object path of the recorder to take; %NULL to keep the active one
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * SetActiveFormat() and SetActiveRecorder() in one step. Taking a recorder needs polkit's
 * acquire-recorder and fails with %IMAPI_ERROR_DEVICE_STILL_IN_USE (naming the holder) while another
 * disc master holds it.
 */
void imapi_disc_master_setup(ImapiDiscMaster *disc_master, const char *format, const char *recorder_path,
                             GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
        GTask *task;
        SetupData *d;

        g_return_if_fail(IMAPI_IS_DISC_MASTER(disc_master));
        g_return_if_fail(recorder_path == NULL || g_variant_is_object_path(recorder_path));

        task = g_task_new(disc_master, cancellable, callback, user_data);
        g_task_set_source_tag(task, imapi_disc_master_setup);
        d = g_new0(SetupData, 1);
        d->format = g_strdup(format);
        d->recorder_path = g_strdup(recorder_path);
        g_task_set_task_data(task, d, setup_data_free);
        if (!format) {
                setup_format_done(NULL, NULL, task);
                return;
        }
        g_dbus_proxy_call(G_DBUS_PROXY(disc_master), "SetActiveFormat", g_variant_new("(s)", format),
                          G_DBUS_CALL_FLAGS_NONE, -1, cancellable, setup_format_done, task);
}

/**
 * imapi_disc_master_setup_finish:
 * @disc_master: a disc master proxy
 * @result: the #GAsyncResult given to the callback
 * @error: return location for an error
 *
 * Returns: %TRUE on success.
 */
gboolean imapi_disc_master_setup_finish(ImapiDiscMaster *disc_master, GAsyncResult *result, GError **error)
{
        g_return_val_if_fail(g_task_is_valid(result, disc_master), FALSE);
        return g_task_propagate_boolean(G_TASK(result), error);
}

/**
 * imapi_disc_master_setup_sync:
 * @disc_master: a disc master proxy
 * @format: (nullable): "joliet", "redbook" or "image"; %NULL to keep the active format
 * @recorder_path: (nullable): the object path of the recorder to take; %NULL to keep the active one
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * The blocking twin of imapi_disc_master_setup().
 *
 * Returns: %TRUE on success.
 */
gboolean imapi_disc_master_setup_sync(ImapiDiscMaster *disc_master, const char *format,
                                      const char *recorder_path, GCancellable *cancellable, GError **error)
{
        GDBusCallFlags flags;
        g_autoptr(GVariant) r = NULL, r2 = NULL;

        g_return_val_if_fail(IMAPI_IS_DISC_MASTER(disc_master), FALSE);
        g_return_val_if_fail(recorder_path == NULL || g_variant_is_object_path(recorder_path), FALSE);

        flags = imapi_disc_master_get_call_flags(disc_master);
        if (format) {
                r = g_dbus_proxy_call_sync(G_DBUS_PROXY(disc_master), "SetActiveFormat",
                                           g_variant_new("(s)", format), G_DBUS_CALL_FLAGS_NONE, -1,
                                           cancellable, error);
                if (!r)
                        return error_normalize_false(error);
        }
        if (recorder_path) {
                r2 = g_dbus_proxy_call_sync(G_DBUS_PROXY(disc_master), "SetActiveRecorder",
                                            g_variant_new("(o)", recorder_path), flags, call_timeout(flags),
                                            cancellable, error);
                if (!r2)
                        return error_normalize_false(error);
        }
        return TRUE;
}

/* ---- staging in a worker thread ---- */

typedef struct StageData {
        DiscMasterAddress *address;
        char *path;
        char *image_path;
        char *title;
        char *performer;
        guint flags;
        ProgressSink *progress;
} StageData;

static void stage_data_free(gpointer p)
{
        StageData *d = p;

        disc_master_address_free(d->address);
        g_free(d->path);
        g_free(d->image_path);
        g_free(d->title);
        g_free(d->performer);
        progress_sink_unref(d->progress);
        g_free(d);
}

static GTask *stage_task_new(ImapiDiscMaster *dm, gpointer source_tag, const char *path, guint flags,
                             ImapiProgressFunc progress, gpointer progress_data,
                             GDestroyNotify progress_data_free, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
        GTask *task = g_task_new(dm, cancellable, callback, user_data);
        StageData *d = g_new0(StageData, 1);

        g_task_set_source_tag(task, source_tag);
        d->address = disc_master_address_new(dm);
        d->path = g_strdup(path);
        d->flags = flags;
        d->progress =
                progress_sink_new(progress, progress_data, progress_data_free, g_task_get_context(task));
        g_task_set_task_data(task, d, stage_data_free);
        return task;
}

static void tree_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
        StageData *d = task_data;
        GError *error = NULL;

        if (!tree_add_sync(d->address, d->path, d->image_path, d->flags, d->progress, cancellable, &error))
                g_task_return_error(task, error);
        else
                g_task_return_boolean(task, TRUE);
}

/**
 * imapi_disc_master_add_tree:
 * @disc_master: a disc master whose active format is "joliet"
 * @local_path: a file, directory or symbolic link (a symbolic link given here is followed)
 * @image_path: (nullable): where it goes on the disc, relative and '/'-separated; %NULL for the base name
 *   of @local_path at the root; "" to put the contents of the directory @local_path at the root
 * @flags: #ImapiAddFlags
 * @progress: (nullable) (scope notified) (closure progress_data): called with %IMAPI_PROGRESS_ADDING and
 *   the number of entries staged so far
 * @progress_data: data for @progress
 * @progress_data_free: (nullable) (destroy progress_data): frees @progress_data
 * @cancellable: (nullable): a #GCancellable; staging stops between batches
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Stages a local tree as the caller: a worker thread opens every file (O_RDONLY|O_NOCTTY, directories
 * O_DIRECTORY, symbolic links O_PATH|O_NOFOLLOW, never following links inside the tree) with the caller's
 * rights and sends (path, fd) batches to JolietDiscMaster.AddData. Empty directories and symbolic links
 * are kept. Each batch is atomic; what earlier batches staged stays staged when a later one fails.
 */
void imapi_disc_master_add_tree(ImapiDiscMaster *disc_master, const char *local_path, const char *image_path,
                                ImapiAddFlags flags, ImapiProgressFunc progress, gpointer progress_data,
                                GDestroyNotify progress_data_free, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
        g_autoptr(GTask) task = NULL;

        g_return_if_fail(IMAPI_IS_DISC_MASTER(disc_master));
        g_return_if_fail(local_path != NULL);

        task = stage_task_new(disc_master, imapi_disc_master_add_tree, local_path, flags, progress,
                              progress_data, progress_data_free, cancellable, callback, user_data);
        ((StageData *) g_task_get_task_data(task))->image_path = g_strdup(image_path);
        g_task_run_in_thread(task, tree_thread);
}

/**
 * imapi_disc_master_add_tree_finish:
 * @disc_master: a disc master proxy
 * @result: the #GAsyncResult given to the callback
 * @error: return location for an error
 *
 * Returns: %TRUE when everything was staged.
 */
gboolean imapi_disc_master_add_tree_finish(ImapiDiscMaster *disc_master, GAsyncResult *result,
                                           GError **error)
{
        g_return_val_if_fail(g_task_is_valid(result, disc_master), FALSE);
        return g_task_propagate_boolean(G_TASK(result), error);
}

/**
 * imapi_disc_master_add_tree_sync:
 * @disc_master: a disc master whose active format is "joliet"
 * @local_path: a file, directory or symbolic link
 * @image_path: (nullable): where it goes on the disc (see imapi_disc_master_add_tree())
 * @flags: #ImapiAddFlags
 * @progress: (nullable) (scope call) (closure progress_data): called in this thread
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * The blocking twin of imapi_disc_master_add_tree().
 *
 * Returns: %TRUE when everything was staged.
 */
gboolean imapi_disc_master_add_tree_sync(ImapiDiscMaster *disc_master, const char *local_path,
                                         const char *image_path, ImapiAddFlags flags,
                                         ImapiProgressFunc progress, gpointer progress_data,
                                         GCancellable *cancellable, GError **error)
{
        g_autoptr(DiscMasterAddress) a = NULL;
        g_autoptr(ProgressSink) sink = NULL;

        g_return_val_if_fail(IMAPI_IS_DISC_MASTER(disc_master), FALSE);
        g_return_val_if_fail(local_path != NULL, FALSE);

        a = disc_master_address_new(disc_master);
        sink = progress_sink_new(progress, progress_data, NULL, NULL);
        return tree_add_sync(a, local_path, image_path, flags, sink, cancellable, error);
}

static void audio_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
        StageData *d = task_data;
        GError *error = NULL;

        if (!audio_add_file_sync(d->address, d->path, d->title, d->performer, d->flags, d->progress,
                                 cancellable, &error))
                g_task_return_error(task, error);
        else
                g_task_return_boolean(task, TRUE);
}

/**
 * imapi_disc_master_add_audio_file:
 * @disc_master: a disc master whose active format is "redbook"
 * @path: a WAV, FLAC or AIFF file (anything libsndfile reads) of 44.1 kHz stereo
 * @title: (nullable): the track's CD-TEXT title
 * @performer: (nullable): the track's CD-TEXT performer
 * @flags: #ImapiAudioFlags
 * @progress: (nullable) (scope notified) (closure progress_data): called with %IMAPI_PROGRESS_ADDING and
 *   the blocks sent of the track's blocks
 * @progress_data: data for @progress
 * @progress_data_free: (nullable) (destroy progress_data): frees @progress_data
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Adds one track: opens and decodes @path as the caller, converts any sample format to 16-bit
 * little-endian PCM, pads the last block with silence, and streams it through a pipe to
 * RedbookDiscMaster.AddAudioTrackBlocksFromFd between CreateAudioTrack and CloseAudioTrack. Sample rates
 * other than 44100 Hz and channel counts other than 2 are refused with %G_IO_ERROR_NOT_SUPPORTED naming
 * the file: nothing is resampled behind the caller's back.
 */
void imapi_disc_master_add_audio_file(ImapiDiscMaster *disc_master, const char *path, const char *title,
                                      const char *performer, ImapiAudioFlags flags,
                                      ImapiProgressFunc progress, gpointer progress_data,
                                      GDestroyNotify progress_data_free, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
        g_autoptr(GTask) task = NULL;
        StageData *d;

        g_return_if_fail(IMAPI_IS_DISC_MASTER(disc_master));
        g_return_if_fail(path != NULL);

        task = stage_task_new(disc_master, imapi_disc_master_add_audio_file, path, flags, progress,
                              progress_data, progress_data_free, cancellable, callback, user_data);
        d = g_task_get_task_data(task);
        d->title = g_strdup(title);
        d->performer = g_strdup(performer);
        g_task_run_in_thread(task, audio_thread);
}

/**
 * imapi_disc_master_add_audio_file_finish:
 * @disc_master: a disc master proxy
 * @result: the #GAsyncResult given to the callback
 * @error: return location for an error
 *
 * Returns: %TRUE when the track was staged and closed.
 */
gboolean imapi_disc_master_add_audio_file_finish(ImapiDiscMaster *disc_master, GAsyncResult *result,
                                                 GError **error)
{
        g_return_val_if_fail(g_task_is_valid(result, disc_master), FALSE);
        return g_task_propagate_boolean(G_TASK(result), error);
}

/**
 * imapi_disc_master_add_audio_file_sync:
 * @disc_master: a disc master whose active format is "redbook"
 * @path: an audio file of 44.1 kHz stereo
 * @title: (nullable): the track's CD-TEXT title
 * @performer: (nullable): the track's CD-TEXT performer
 * @flags: #ImapiAudioFlags
 * @progress: (nullable) (scope call) (closure progress_data): called in this thread
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * The blocking twin of imapi_disc_master_add_audio_file().
 *
 * Returns: %TRUE when the track was staged and closed.
 */
gboolean imapi_disc_master_add_audio_file_sync(ImapiDiscMaster *disc_master, const char *path,
                                               const char *title, const char *performer,
                                               ImapiAudioFlags flags, ImapiProgressFunc progress,
                                               gpointer progress_data, GCancellable *cancellable,
                                               GError **error)
{
        g_autoptr(DiscMasterAddress) a = NULL;
        g_autoptr(ProgressSink) sink = NULL;

        g_return_val_if_fail(IMAPI_IS_DISC_MASTER(disc_master), FALSE);
        g_return_val_if_fail(path != NULL, FALSE);

        a = disc_master_address_new(disc_master);
        sink = progress_sink_new(progress, progress_data, NULL, NULL);
        return audio_add_file_sync(a, path, title, performer, flags, sink, cancellable, error);
}

/* ---- image ---- */

static GUnixFDList *image_open(const char *path, GError **error)
{
        struct stat st;
        int fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);

        if (fd < 0) {
                int e = errno;

                g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "Cannot open %s: %s", path,
                            g_strerror(e));
                return NULL;
        }
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                close(fd);
                g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE, "%s is not a regular file",
                            path);
                return NULL;
        }
        return g_unix_fd_list_new_from_array(&fd, 1);
}

static GVariant *image_parameters(gboolean raw)
{
        GVariantBuilder b;

        g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
        if (raw)
                g_variant_builder_add(&b, "{sv}", "raw", g_variant_new_boolean(TRUE));
        return g_variant_new("(h@a{sv})", 0, g_variant_builder_end(&b));
}

static void image_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
        g_autoptr(GTask) task = user_data;
        g_autoptr(GVariant) r = NULL;
        GError *error = NULL;

        r = g_dbus_connection_call_with_unix_fd_list_finish(G_DBUS_CONNECTION(source), NULL, result, &error);
        if (!r) {
                imapi_error_normalize(error);
                g_task_return_error(task, error);
        } else
                g_task_return_boolean(task, TRUE);
}

/**
 * imapi_disc_master_set_image_file:
 * @disc_master: a disc master whose active format is "image"
 * @path: an image file of 2048-byte sectors, opened here with the caller's rights
 * @raw: accept an image without an ISO 9660 or UDF volume
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * ImageDiscMaster.SetImage() with a descriptor of @path.
 */
void imapi_disc_master_set_image_file(ImapiDiscMaster *disc_master, const char *path, gboolean raw,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data)
{
        g_autoptr(GTask) task = NULL;
        g_autoptr(GUnixFDList) fds = NULL;
        GDBusProxy *proxy = G_DBUS_PROXY(disc_master);
        GError *error = NULL;

        g_return_if_fail(IMAPI_IS_DISC_MASTER(disc_master));
        g_return_if_fail(path != NULL);

        task = g_task_new(disc_master, cancellable, callback, user_data);
        g_task_set_source_tag(task, imapi_disc_master_set_image_file);
        fds = image_open(path, &error);
        if (!fds) {
                g_task_return_error(task, error);
                return;
        }
        g_dbus_connection_call_with_unix_fd_list(
                g_dbus_proxy_get_connection(proxy), g_dbus_proxy_get_name(proxy),
                g_dbus_proxy_get_object_path(proxy), IFACE_IMAGE, "SetImage", image_parameters(raw), NULL,
                G_DBUS_CALL_FLAGS_NONE, G_MAXINT, fds, cancellable, image_done, g_steal_pointer(&task));
}

/**
 * imapi_disc_master_set_image_file_finish:
 * @disc_master: a disc master proxy
 * @result: the #GAsyncResult given to the callback
 * @error: return location for an error
 *
 * Returns: %TRUE when the image was accepted.
 */
gboolean imapi_disc_master_set_image_file_finish(ImapiDiscMaster *disc_master, GAsyncResult *result,
                                                 GError **error)
{
        g_return_val_if_fail(g_task_is_valid(result, disc_master), FALSE);
        return g_task_propagate_boolean(G_TASK(result), error);
}

/**
 * imapi_disc_master_set_image_file_sync:
 * @disc_master: a disc master whose active format is "image"
 * @path: an image file of 2048-byte sectors
 * @raw: accept an image without an ISO 9660 or UDF volume
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * The blocking twin of imapi_disc_master_set_image_file().
 *
 * Returns: %TRUE when the image was accepted.
 */
gboolean imapi_disc_master_set_image_file_sync(ImapiDiscMaster *disc_master, const char *path, gboolean raw,
                                               GCancellable *cancellable, GError **error)
{
        g_autoptr(DiscMasterAddress) a = NULL;
        g_autoptr(GUnixFDList) fds = NULL;
        g_autoptr(GVariant) r = NULL;

        g_return_val_if_fail(IMAPI_IS_DISC_MASTER(disc_master), FALSE);
        g_return_val_if_fail(path != NULL, FALSE);

        fds = image_open(path, error);
        if (!fds)
                return FALSE;
        a = disc_master_address_new(disc_master);
        a->call_flags = G_DBUS_CALL_FLAGS_NONE;
        r = disc_master_call_sync(a, IFACE_IMAGE, "SetImage", image_parameters(raw), NULL, fds, G_MAXINT,
                                  cancellable, error);
        return r != NULL;
}

/* ---- cancel ---- */

static void cancel_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
        g_autoptr(GTask) task = user_data;
        g_autoptr(GVariant) r = NULL;
        GError *error = NULL;

        r = g_dbus_proxy_call_finish(G_DBUS_PROXY(source), result, &error);
        if (!r) {
                imapi_error_normalize(error);
                g_task_return_error(task, error);
        } else
                g_task_return_boolean(task, TRUE);
}

/**
 * imapi_disc_master_cancel:
 * @disc_master: a disc master proxy
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when imapid accepted the request
 * @user_data: data for @callback
 *
 * DiscMaster.Cancel(): the running burn stops at a safe point and ends with %IMAPI_ERROR_USER_ABORT.
 * Cancelling the #GCancellable given to imapi_disc_master_record() does the same.
 */
void imapi_disc_master_cancel(ImapiDiscMaster *disc_master, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
        GTask *task;

        g_return_if_fail(IMAPI_IS_DISC_MASTER(disc_master));

        task = g_task_new(disc_master, cancellable, callback, user_data);
        g_task_set_source_tag(task, imapi_disc_master_cancel);
        g_dbus_proxy_call(G_DBUS_PROXY(disc_master), "Cancel", NULL, G_DBUS_CALL_FLAGS_NONE, -1, cancellable,
                          cancel_done, task);
}

/**
 * imapi_disc_master_cancel_finish:
 * @disc_master: a disc master proxy
 * @result: the #GAsyncResult given to the callback
 * @error: return location for an error
 *
 * Returns: %TRUE when imapid accepted the request.
 */
gboolean imapi_disc_master_cancel_finish(ImapiDiscMaster *disc_master, GAsyncResult *result, GError **error)
{
        g_return_val_if_fail(g_task_is_valid(result, disc_master), FALSE);
        return g_task_propagate_boolean(G_TASK(result), error);
}

/**
 * imapi_disc_master_cancel_sync:
 * @disc_master: a disc master proxy
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * The blocking twin of imapi_disc_master_cancel().
 *
 * Returns: %TRUE when imapid accepted the request.
 */
gboolean imapi_disc_master_cancel_sync(ImapiDiscMaster *disc_master, GCancellable *cancellable,
                                       GError **error)
{
        g_autoptr(GVariant) r = NULL;

        g_return_val_if_fail(IMAPI_IS_DISC_MASTER(disc_master), FALSE);

        r = g_dbus_proxy_call_sync(G_DBUS_PROXY(disc_master), "Cancel", NULL, G_DBUS_CALL_FLAGS_NONE, -1,
                                   cancellable, error);
        return r ? TRUE : error_normalize_false(error);
}
