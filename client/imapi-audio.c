/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Staging an audio file: decode with libsndfile as the caller, stream 16-bit LE PCM through a pipe. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <sndfile.h>

#include "imapi.h"
#include "imapi-private.h"

#define FRAMES_PER_BLOCK 588u /* 2352 bytes of 16-bit stereo */
#define BLOCK_SIZE       2352u
#define CHUNK_BLOCKS     64u

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SNDFILE, sf_close)

typedef struct AudioFile {
        char *path;
        int fd;
        SNDFILE *sf;
        SF_INFO info;
} AudioFile;

static void audio_file_free(AudioFile *f)
{
        if (!f)
                return;
        if (f->sf)
                sf_close(f->sf);
        if (f->fd >= 0)
                close(f->fd);
        g_free(f->path);
        g_free(f);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AudioFile, audio_file_free)

/* Opens and checks 'path': 44.1 kHz, two channels, anything libsndfile decodes. */
static AudioFile *audio_file_open(const char *path, GError **error)
{
        g_autoptr(AudioFile) f = g_new0(AudioFile, 1);
        g_autofree char *display = g_filename_display_name(path);

        f->path = g_strdup(path);
        f->fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
        if (f->fd < 0) {
                int e = errno;

                g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "Cannot open %s: %s", display,
                            g_strerror(e));
                return NULL;
        }
        f->sf = sf_open_fd(f->fd, SFM_READ, &f->info, FALSE);
        if (!f->sf) {
                g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                            "%s: not an audio file libsndfile reads (%s)", display, sf_strerror(NULL));
                return NULL;
        }
        if (f->info.samplerate != 44100) {
                g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                            "%s: %d Hz; an audio CD needs 44100 Hz (resample it first, e.g. with sox FILE "
                            "-r 44100 OUT.wav)",
                            display, f->info.samplerate);
                return NULL;
        }
        if (f->info.channels != 2) {
                g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                            "%s: %d channel(s); an audio CD needs stereo (convert it first, e.g. with sox "
                            "FILE -c 2 OUT.wav)",
                            display, f->info.channels);
                return NULL;
        }
        return g_steal_pointer(&f);
}

static guint32 audio_file_blocks(const AudioFile *f)
{
        guint64 frames = f->info.frames > 0 ? (guint64) f->info.frames : 0;

        return (guint32) MIN((frames + FRAMES_PER_BLOCK - 1) / FRAMES_PER_BLOCK, G_MAXUINT32);
}

/* A tag, if CD-TEXT (ISO 8859-1) can hold it. */
static char *audio_file_tag(const AudioFile *f, int which)
{
        const char *s = sf_get_string(f->sf, which);
        g_autofree char *latin1 = NULL;

        if (!s || !s[0] || !g_utf8_validate(s, -1, NULL))
                return NULL;
        latin1 = g_convert(s, -1, "ISO-8859-1", "UTF-8", NULL, NULL, NULL);
        return latin1 ? g_strdup(s) : NULL;
}

/* ---- the writer: decodes into the pipe in its own thread, so that SIGPIPE can be kept away ---- */

typedef struct AudioWriter {
        AudioFile *file;
        int pipe_fd; /* write end, owned */
        guint32 blocks;
        GMainContext *context; /* where progress is posted */
        ProgressSink *progress;
        GCancellable *cancellable;
        gint pending_report; /* atomic: an idle is queued */
        gint blocks_written; /* atomic */
        GError *error;
        gint done; /* atomic */
} AudioWriter;

static gboolean writer_report(gpointer user_data)
{
        AudioWriter *w = user_data;

        g_atomic_int_set(&w->pending_report, 0);
        progress_sink_report(w->progress, IMAPI_PROGRESS_ADDING,
                             (guint) g_atomic_int_get(&w->blocks_written), w->blocks);
        return G_SOURCE_REMOVE;
}

static gboolean write_all(int fd, const guint8 *p, size_t n, int *ret_errno)
{
        while (n > 0) {
                ssize_t k = write(fd, p, n);

                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0) {
                        *ret_errno = errno;
                        return FALSE;
                }
                p += k;
                n -= (size_t) k;
        }
        return TRUE;
}

/* Converts 'frames' decoded frames to little-endian in place and pads to whole blocks with silence. */
static size_t chunk_finish(gint16 *samples, sf_count_t frames)
{
        size_t n = (size_t) frames * 2;
        size_t padded = ((size_t) frames + FRAMES_PER_BLOCK - 1) / FRAMES_PER_BLOCK * FRAMES_PER_BLOCK * 2;

        for (size_t i = 0; i < n; i++)
                samples[i] = (gint16) GINT16_TO_LE(samples[i]);
        memset(samples + n, 0, (padded - n) * sizeof(gint16));
        return padded * sizeof(gint16);
}

static gboolean writer_run(AudioWriter *w)
{
        g_autofree gint16 *buf = g_new(gint16, CHUNK_BLOCKS * FRAMES_PER_BLOCK * 2);
        sf_count_t frames;
        int e = 0;

        while ((frames = sf_readf_short(w->file->sf, buf, CHUNK_BLOCKS * FRAMES_PER_BLOCK)) > 0) {
                size_t size = chunk_finish(buf, frames);

                if (g_cancellable_set_error_if_cancelled(w->cancellable, &w->error))
                        return FALSE;
                if (!write_all(w->pipe_fd, (const guint8 *) buf, size, &e)) {
                        /* EPIPE: imapid stopped reading; its reply says why. */
                        if (e != EPIPE)
                                g_set_error(&w->error, G_IO_ERROR, g_io_error_from_errno(e),
                                            "Cannot send the audio data: %s", g_strerror(e));
                        return FALSE;
                }
                g_atomic_int_add(&w->blocks_written, (gint) (size / BLOCK_SIZE));
                if (g_atomic_int_compare_and_exchange(&w->pending_report, 0, 1)) {
                        GSource *idle = g_idle_source_new();

                        g_source_set_callback(idle, writer_report, w, NULL);
                        g_source_attach(idle, w->context);
                        g_source_unref(idle);
                }
        }
        if (sf_error(w->file->sf) != SF_ERR_NO_ERROR) {
                g_autofree char *display = g_filename_display_name(w->file->path);

                g_set_error(&w->error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot decode %s: %s", display,
                            sf_strerror(w->file->sf));
                return FALSE;
        }
        return TRUE;
}

static gpointer writer_thread(gpointer user_data)
{
        AudioWriter *w = user_data;
        sigset_t pipe_set;
        struct timespec zero = {0, 0};

        sigemptyset(&pipe_set);
        sigaddset(&pipe_set, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_set, NULL);
        writer_run(w);
        close(w->pipe_fd);
        w->pipe_fd = -1;
        /* A write to a closed pipe left SIGPIPE pending on this thread: consume it before the thread ends.
         */
        while (sigtimedwait(&pipe_set, NULL, &zero) > 0)
                ;
        g_atomic_int_set(&w->done, 1);
        g_main_context_wakeup(w->context);
        return NULL;
}

/* ---- the calls ---- */

static gboolean redbook_call(DiscMasterAddress *a, const char *method, GVariant *parameters,
                             GCancellable *cancellable, GError **error)
{
        g_autoptr(GVariant) r = disc_master_call_sync(a, IFACE_REDBOOK, method, parameters, NULL, NULL, -1,
                                                      cancellable, error);

        return r != NULL;
}

/* AddAudioTrackBlocksFromFd with the writer feeding the pipe; progress arrives in this thread. */
static gboolean audio_stream(DiscMasterAddress *a, AudioFile *f, ProgressSink *progress,
                             GCancellable *cancellable, GError **error)
{
        g_autoptr(GMainContext) context = g_main_context_new();
        AudioWriter w = {.file = f,
                         .blocks = audio_file_blocks(f),
                         .context = context,
                         .progress = progress,
                         .cancellable = cancellable};
        GAsyncResult *result = NULL;
        g_autoptr(GVariant) r = NULL;
        GUnixFDList *fd_list;
        GThread *thread;
        int fds[2];

        if (pipe2(fds, O_CLOEXEC) < 0) {
                int e = errno;

                g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "Cannot create a pipe: %s",
                            g_strerror(e));
                return FALSE;
        }
        w.pipe_fd = fds[1];
        /* The list owns the read end; once the message is gone, imapid holds the only one, so the writer
         * sees EPIPE as soon as imapid stops reading. */
        fd_list = g_unix_fd_list_new_from_array(&fds[0], 1);
        g_main_context_push_thread_default(context);
        g_dbus_connection_call_with_unix_fd_list(
                a->connection, a->name, a->path, IFACE_REDBOOK, "AddAudioTrackBlocksFromFd",
                g_variant_new("(h@a{sv})", 0, g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0)), NULL,
                G_DBUS_CALL_FLAGS_NONE, G_MAXINT, fd_list, NULL, sync_result_store, &result);
        g_object_unref(fd_list);
        thread = g_thread_new("imapi-audio", writer_thread, &w);
        while (!result || !g_atomic_int_get(&w.done))
                g_main_context_iteration(context, TRUE);
        g_thread_join(thread);
        while (g_main_context_iteration(context, FALSE))
                ;
        g_main_context_pop_thread_default(context);
        r = g_dbus_connection_call_with_unix_fd_list_finish(a->connection, NULL, result, error);
        g_object_unref(result);
        if (!r) {
                g_clear_error(&w.error);
                return error_normalize_false(error);
        }
        if (w.error) {
                g_propagate_error(error, w.error);
                return FALSE;
        }
        return TRUE;
}

static GVariant *text_properties(const char *title, const char *performer)
{
        GVariantBuilder b;

        g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
        if (title && title[0])
                g_variant_builder_add(&b, "{sv}", "title", g_variant_new_string(title));
        if (performer && performer[0])
                g_variant_builder_add(&b, "{sv}", "performer", g_variant_new_string(performer));
        return g_variant_builder_end(&b);
}

/* SetTrackProperties on the track just closed (the last one). */
static gboolean audio_set_track_text(DiscMasterAddress *a, const char *title, const char *performer,
                                     GCancellable *cancellable, GError **error)
{
        g_autoptr(GVariant) tracks = NULL;

        if (!(title && title[0]) && !(performer && performer[0]))
                return TRUE;
        tracks = disc_master_get_property_sync(a, IFACE_REDBOOK, "TotalAudioTracks", cancellable, error);
        if (!tracks)
                return FALSE;
        if (!g_variant_is_of_type(tracks, G_VARIANT_TYPE_UINT32) || g_variant_get_uint32(tracks) == 0) {
                g_set_error_literal(error, IMAPI_ERROR, IMAPI_ERROR_TRACK_NOT_OPEN,
                                    "imapid reports no audio track after closing one");
                return FALSE;
        }
        return redbook_call(
                a, "SetTrackProperties",
                g_variant_new("(u@a{sv})", g_variant_get_uint32(tracks), text_properties(title, performer)),
                cancellable, error);
}

gboolean audio_add_file_sync(DiscMasterAddress *a, const char *path, const char *title,
                             const char *performer, ImapiAudioFlags flags, ProgressSink *progress,
                             GCancellable *cancellable, GError **error)
{
        g_autoptr(AudioFile) f = audio_file_open(path, error);
        g_autofree char *tag_title = NULL, *tag_performer = NULL;
        GError *e = NULL;

        if (!f)
                return FALSE;
        if (flags & IMAPI_AUDIO_FLAGS_USE_TAGS) {
                tag_title = title ? NULL : audio_file_tag(f, SF_STR_TITLE);
                tag_performer = performer ? NULL : audio_file_tag(f, SF_STR_ARTIST);
        }
        if (!redbook_call(a, "CreateAudioTrack", g_variant_new("(u)", audio_file_blocks(f)), cancellable,
                          error))
                return FALSE;
        if (!audio_stream(a, f, progress, cancellable, &e)) {
                /* IMAPI keeps what fits on DiscFull: commit that part, then report. */
                if (g_error_matches(e, IMAPI_ERROR, IMAPI_ERROR_DISC_FULL))
                        (void) redbook_call(a, "CloseAudioTrack", NULL, NULL, NULL);
                g_propagate_error(error, e);
                return FALSE;
        }
        if (!redbook_call(a, "CloseAudioTrack", NULL, cancellable, error))
                return FALSE;
        return audio_set_track_text(a, title ? title : tag_title, performer ? performer : tag_performer,
                                    cancellable, error);
}

/**
 * imapi_check_audio_file:
 * @path: an audio file
 * @out_blocks: (out) (optional): the track's length in 2352-byte blocks, the last one padded
 * @error: return location for an error
 *
 * Checks, without staging anything, that imapi_disc_master_add_audio_file() can use @path: libsndfile
 * reads it, and it has 44100 Hz and two channels. Lets a program refuse a bad file before it takes a
 * recorder.
 *
 * Returns: %TRUE when the file can be used; otherwise @error (%G_IO_ERROR_NOT_SUPPORTED, or the open
 *   error) names the file and says why.
 */
gboolean imapi_check_audio_file(const char *path, guint32 *out_blocks, GError **error)
{
        g_autoptr(AudioFile) f = NULL;

        g_return_val_if_fail(path != NULL, FALSE);

        f = audio_file_open(path, error);
        if (!f)
                return FALSE;
        if (out_blocks)
                *out_blocks = audio_file_blocks(f);
        return TRUE;
}
