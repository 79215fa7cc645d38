/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers on a disc master: stage a local tree, an audio file or an image as the caller, then burn or erase
 * with progress; each asynchronous (GTask) with a blocking twin. */
#pragma once

#if !defined(IMAPI_INSIDE) && !defined(IMAPI_COMPILATION)
#error "Only <imapi.h> can be included directly."
#endif

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * ImapiAddFlags:
 * @IMAPI_ADD_FLAGS_NONE: no flags
 * @IMAPI_ADD_FLAGS_OVERWRITE: replace entries that are already staged (AddData's "overwrite"); without
 *   it such an entry fails with %IMAPI_ERROR_FILE_EXISTS
 * @IMAPI_ADD_FLAGS_MANGLE_NAMES: let imapid replace characters Joliet cannot hold ("mangle-names"), and
 *   turn names that are not UTF-8 into valid UTF-8 instead of failing
 * @IMAPI_ADD_FLAGS_SKIP_SPECIAL: skip FIFOs, sockets and device nodes instead of failing
 *
 * How imapi_disc_master_add_tree() stages files.
 */
typedef enum {
        IMAPI_ADD_FLAGS_NONE = 0,
        IMAPI_ADD_FLAGS_OVERWRITE = 1 << 0,
        IMAPI_ADD_FLAGS_MANGLE_NAMES = 1 << 1,
        IMAPI_ADD_FLAGS_SKIP_SPECIAL = 1 << 2,
} ImapiAddFlags;

/**
 * ImapiAudioFlags:
 * @IMAPI_AUDIO_FLAGS_NONE: no flags
 * @IMAPI_AUDIO_FLAGS_USE_TAGS: when no title or performer is given, take them from the file's title and
 *   artist tags (where ISO 8859-1, the character set of CD-TEXT, can hold them)
 *
 * How imapi_disc_master_add_audio_file() stages a track.
 */
typedef enum {
        IMAPI_AUDIO_FLAGS_NONE = 0,
        IMAPI_AUDIO_FLAGS_USE_TAGS = 1 << 0,
} ImapiAudioFlags;

/**
 * ImapiRecordFlags:
 * @IMAPI_RECORD_FLAGS_NONE: no flags
 * @IMAPI_RECORD_FLAGS_SIMULATE: Test Write: the laser stays off, the disc is unchanged
 * @IMAPI_RECORD_FLAGS_EJECT: eject the disc after a successful burn
 * @IMAPI_RECORD_FLAGS_CLOSE_DISC: finalise the disc (no further sessions)
 *
 * How imapi_disc_master_record() burns.
 */
typedef enum {
        IMAPI_RECORD_FLAGS_NONE = 0,
        IMAPI_RECORD_FLAGS_SIMULATE = 1 << 0,
        IMAPI_RECORD_FLAGS_EJECT = 1 << 1,
        IMAPI_RECORD_FLAGS_CLOSE_DISC = 1 << 2,
} ImapiRecordFlags;

/**
 * ImapiProgressKind:
 * @IMAPI_PROGRESS_ADDING: staging: done entries or audio blocks of total (total 0 while unknown)
 * @IMAPI_PROGRESS_PREPARING: the burn is being set up; total is the estimated seconds
 * @IMAPI_PROGRESS_WRITING: done blocks of total written
 * @IMAPI_PROGRESS_TRACK: done is the track being written, total the number of tracks
 * @IMAPI_PROGRESS_CLOSING: the track, session or disc is being closed; total is the estimated seconds
 * @IMAPI_PROGRESS_ERASING: done seconds of total expected seconds of an erase
 *
 * What an #ImapiProgressFunc reports.
 */
typedef enum {
        IMAPI_PROGRESS_ADDING,
        IMAPI_PROGRESS_PREPARING,
        IMAPI_PROGRESS_WRITING,
        IMAPI_PROGRESS_TRACK,
        IMAPI_PROGRESS_CLOSING,
        IMAPI_PROGRESS_ERASING,
} ImapiProgressKind;

/**
 * ImapiProgressFunc:
 * @kind: what is reported
 * @done: the amount done (see #ImapiProgressKind)
 * @total: the whole amount, or 0 when unknown
 * @user_data: the data given with the callback
 *
 * Progress of a libimapi operation. Asynchronous operations call it in the thread-default main context
 * of the caller; synchronous ones in the calling thread.
 */
typedef void (*ImapiProgressFunc)(ImapiProgressKind kind, guint64 done, guint64 total, gpointer user_data);

void imapi_disc_master_set_call_flags(ImapiDiscMaster *disc_master, GDBusCallFlags flags);
GDBusCallFlags imapi_disc_master_get_call_flags(ImapiDiscMaster *disc_master);
void imapi_disc_master_set_batch_size(ImapiDiscMaster *disc_master, guint entries);
guint imapi_disc_master_get_batch_size(ImapiDiscMaster *disc_master);

void imapi_disc_master_setup(ImapiDiscMaster *disc_master, const char *format, const char *recorder_path,
                             GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
gboolean imapi_disc_master_setup_finish(ImapiDiscMaster *disc_master, GAsyncResult *result, GError **error);
gboolean imapi_disc_master_setup_sync(ImapiDiscMaster *disc_master, const char *format,
                                      const char *recorder_path, GCancellable *cancellable, GError **error);

void imapi_disc_master_add_tree(ImapiDiscMaster *disc_master, const char *local_path, const char *image_path,
                                ImapiAddFlags flags, ImapiProgressFunc progress, gpointer progress_data,
                                GDestroyNotify progress_data_free, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
gboolean imapi_disc_master_add_tree_finish(ImapiDiscMaster *disc_master, GAsyncResult *result,
                                           GError **error);
gboolean imapi_disc_master_add_tree_sync(ImapiDiscMaster *disc_master, const char *local_path,
                                         const char *image_path, ImapiAddFlags flags,
                                         ImapiProgressFunc progress, gpointer progress_data,
                                         GCancellable *cancellable, GError **error);

void imapi_disc_master_add_audio_file(ImapiDiscMaster *disc_master, const char *path, const char *title,
                                      const char *performer, ImapiAudioFlags flags,
                                      ImapiProgressFunc progress, gpointer progress_data,
                                      GDestroyNotify progress_data_free, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
gboolean imapi_disc_master_add_audio_file_finish(ImapiDiscMaster *disc_master, GAsyncResult *result,
                                                 GError **error);
gboolean imapi_disc_master_add_audio_file_sync(ImapiDiscMaster *disc_master, const char *path,
                                               const char *title, const char *performer,
                                               ImapiAudioFlags flags, ImapiProgressFunc progress,
                                               gpointer progress_data, GCancellable *cancellable,
                                               GError **error);

gboolean imapi_check_audio_file(const char *path, guint32 *out_blocks, GError **error);

void imapi_disc_master_set_image_file(ImapiDiscMaster *disc_master, const char *path, gboolean raw,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data);
gboolean imapi_disc_master_set_image_file_finish(ImapiDiscMaster *disc_master, GAsyncResult *result,
                                                 GError **error);
gboolean imapi_disc_master_set_image_file_sync(ImapiDiscMaster *disc_master, const char *path, gboolean raw,
                                               GCancellable *cancellable, GError **error);

void imapi_disc_master_record(ImapiDiscMaster *disc_master, ImapiRecordFlags flags, guint write_speed,
                              ImapiProgressFunc progress, gpointer progress_data,
                              GDestroyNotify progress_data_free, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data);
gboolean imapi_disc_master_record_finish(ImapiDiscMaster *disc_master, GAsyncResult *result, GError **error);
gboolean imapi_disc_master_record_sync(ImapiDiscMaster *disc_master, ImapiRecordFlags flags,
                                       guint write_speed, ImapiProgressFunc progress, gpointer progress_data,
                                       GCancellable *cancellable, GError **error);

void imapi_disc_master_erase(ImapiDiscMaster *disc_master, gboolean full, ImapiProgressFunc progress,
                             gpointer progress_data, GDestroyNotify progress_data_free,
                             GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
gboolean imapi_disc_master_erase_finish(ImapiDiscMaster *disc_master, GAsyncResult *result, GError **error);
gboolean imapi_disc_master_erase_sync(ImapiDiscMaster *disc_master, gboolean full,
                                      ImapiProgressFunc progress, gpointer progress_data,
                                      GCancellable *cancellable, GError **error);

void imapi_disc_master_cancel(ImapiDiscMaster *disc_master, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data);
gboolean imapi_disc_master_cancel_finish(ImapiDiscMaster *disc_master, GAsyncResult *result, GError **error);
gboolean imapi_disc_master_cancel_sync(ImapiDiscMaster *disc_master, GCancellable *cancellable,
                                       GError **error);

G_END_DECLS
