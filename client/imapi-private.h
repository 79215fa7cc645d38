/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libimapi's internal helpers (not exported: the version script keeps only imapi_*). */
#pragma once

#include "imapi.h"

#define IFACE_DISC_MASTER "org.freedesktop.IMAPI1.DiscMaster"
#define IFACE_JOLIET      "org.freedesktop.IMAPI1.JolietDiscMaster"
#define IFACE_REDBOOK     "org.freedesktop.IMAPI1.RedbookDiscMaster"
#define IFACE_IMAGE       "org.freedesktop.IMAPI1.ImageDiscMaster"
#define IFACE_RECORDER    "org.freedesktop.IMAPI1.Recorder"

/* Normalizes *error (when set) and returns FALSE / NULL, for the last line of a failing function. */
static inline gboolean error_normalize_false(GError **error)
{
        if (error && *error)
                imapi_error_normalize(*error);
        return FALSE;
}

static inline gpointer error_normalize_null(GError **error)
{
        (void) error_normalize_false(error);
        return NULL;
}

/* Where a disc master lives: what a worker thread needs to call it without touching the proxy's state. */
typedef struct DiscMasterAddress {
        GDBusConnection *connection;
        char *name;
        char *path;
        GDBusCallFlags call_flags;
        guint batch_size;
} DiscMasterAddress;

DiscMasterAddress *disc_master_address_new(ImapiDiscMaster *disc_master);
void disc_master_address_free(DiscMasterAddress *a);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DiscMasterAddress, disc_master_address_free)

/* The timeout for a call: none when polkit may ask the user (that takes as long as it takes). */
int call_timeout(GDBusCallFlags flags);

/* A blocking call to the disc master object (any of its interfaces); NULL with *error set on failure. */
GVariant *disc_master_call_sync(const DiscMasterAddress *a, const char *iface, const char *method,
                                GVariant *parameters, const GVariantType *reply_type, GUnixFDList *fd_list,
                                int timeout_msec, GCancellable *cancellable, GError **error);

/* A property of the disc master object, read from the daemon (not from a proxy's cache). */
GVariant *disc_master_get_property_sync(const DiscMasterAddress *a, const char *iface, const char *name,
                                        GCancellable *cancellable, GError **error);

/* Delivers progress: directly when 'context' is NULL (sync twins, in the calling thread), else through an
 * idle in 'context' (async variants, from a worker). Owns the caller's data and frees it with the last
 * reference, after the last report is delivered. */
typedef struct ProgressSink ProgressSink;
ProgressSink *progress_sink_new(ImapiProgressFunc func, gpointer data, GDestroyNotify data_free,
                                GMainContext *context);
ProgressSink *progress_sink_ref(ProgressSink *s);
void progress_sink_unref(ProgressSink *s);
void progress_sink_report(ProgressSink *s, ImapiProgressKind kind, guint64 done, guint64 total);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProgressSink, progress_sink_unref)

/* Runs 'context' (already pushed as thread default) until *done is non-NULL. */
void sync_context_run(GMainContext *context, gpointer *done);
/* A GAsyncReadyCallback that stores a ref on the result in *(GAsyncResult **) user_data. */
void sync_result_store(GObject *source, GAsyncResult *result, gpointer user_data);

/* Workers (imapi-tree.c, imapi-audio.c). */
gboolean tree_add_sync(DiscMasterAddress *a, const char *local_path, const char *image_path,
                       ImapiAddFlags flags, ProgressSink *progress, GCancellable *cancellable,
                       GError **error);
gboolean audio_add_file_sync(DiscMasterAddress *a, const char *path, const char *title,
                             const char *performer, ImapiAudioFlags flags, ProgressSink *progress,
                             GCancellable *cancellable, GError **error);
