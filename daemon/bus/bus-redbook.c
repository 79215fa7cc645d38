/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* org.freedesktop.IMAPI1.RedbookDiscMaster: tracks of PCM into the stash (from a byte array, or from an fd
 * in a worker), the exact block counters, CD-TEXT/MCN/ISRC metadata. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "audio-track.h"
#include "bus-disc-master.h"
#include "bus-errors.h"
#include "bus-redbook.h"
#include "bus-util.h"
#include "imapi-error.h"
#include "log.h"
#include "recorder.h"
#include "stash.h"
#include "worker.h"

#define AUDIO_BLOCK_SIZE 2352u
#define PROGRESS_INTERVAL_USEC                                                                              \
        (110 * 1000) /* ≤ 10 progress signals a second (DESIGN.md §4), with room for jitter */
#define PROGRESS_ACCURACY_USEC (10 * 1000) /* sd-event would otherwise coalesce to 250 ms */

typedef struct AppendCall {
        DiscMaster *dm; /* NULL once the disc master is gone */
        sd_bus_message *message;
        AudioAppend *append;
        int fd;
        uint64_t reserved;
        gint done_blocks;
        gint total_blocks;
        Worker *worker;
        sd_event_source *timer;
} AppendCall;

static AudioDisc *audio_of(DiscMaster *dm)
{
        if (!dm->audio) {
                int k = audio_disc_new(stash_dir_fd(dm->stash), &dm->audio);
                if (k < 0)
                        return NULL;
                bus_redbook_sync(dm);
        }
        return dm->audio;
}

void bus_redbook_sync(DiscMaster *dm)
{
        Recorder *r = dm->recorder;

        if (!dm->audio)
                return;
        audio_disc_set_capacity(dm->audio, r && r->media.present ? r->media.total_blocks : 0);
        (void) audio_disc_set_gap(dm->audio, r ? (unsigned) r->settings.audio_gap_size : 150);
}

bool bus_redbook_has_content(DiscMaster *dm)
{
        return dm->audio && audio_disc_get_total_tracks(dm->audio) > 0;
}

static void append_call_free(AppendCall *c)
{
        sd_event_source_disable_unref(c->timer);
        audio_append_free(c->append);
        sd_bus_message_unref(c->message);
        safe_close(c->fd);
        g_free(c);
}

static AppendCall *running_append(DiscMaster *dm)
{
        return dm->audio_append;
}

void bus_redbook_cancel(DiscMaster *dm)
{
        AppendCall *c = running_append(dm);

        if (!c)
                return;
        worker_cancel(c->worker);
        c->dm = NULL;
        dm->audio_append = NULL;
}

void bus_redbook_clear(DiscMaster *dm)
{
        bus_redbook_cancel(dm);
        if (dm->audio) {
                stash_unreserve(dm->stash, audio_disc_get_stash_bytes(dm->audio));
                dm->audio = audio_disc_free(dm->audio);
        }
}

static void emit_counters(DiscMaster *dm)
{
        (void) sd_bus_emit_properties_changed(
                dm->manager->bus, dm->object_path, IMAPI_REDBOOK_DISC_MASTER_INTERFACE, "TotalAudioTracks",
                "UsedAudioBlocks", "AvailableAudioTrackBlocks", "TotalAudioBlocks", NULL);
}

static void emit_add_progress(DiscMaster *dm, uint64_t done, uint64_t total)
{
        (void) sd_bus_emit_signal(dm->manager->bus, dm->object_path, IMAPI_DISC_MASTER_INTERFACE,
                                  "AddProgress", "uu", (uint32_t) MIN(done, UINT32_MAX),
                                  (uint32_t) MIN(total, UINT32_MAX));
}

/* Properties. */

#define AUDIO_PROPERTY(name, getter)                                                                        \
        static int property_get_##name(sd_bus *bus, const char *path, const char *iface, const char *prop,  \
                                       sd_bus_message *reply, void *userdata, sd_bus_error *error)          \
        {                                                                                                   \
                DiscMaster *dm = userdata;                                                                  \
                AudioDisc *d = audio_of(dm);                                                                \
                uint32_t v;                                                                                 \
                if (!d)                                                                                     \
                        return -ENOMEM;                                                                     \
                bus_redbook_sync(dm);                                                                       \
                v = getter(d);                                                                              \
                return sd_bus_message_append_basic(reply, 'u', &v);                                         \
        }

AUDIO_PROPERTY(total_tracks, audio_disc_get_total_tracks)
AUDIO_PROPERTY(total_blocks, audio_disc_get_total_blocks)
AUDIO_PROPERTY(used_blocks, audio_disc_get_used_blocks)
AUDIO_PROPERTY(available_blocks, audio_disc_get_available_track_blocks)

static int property_get_block_size(sd_bus *bus, const char *path, const char *iface, const char *prop,
                                   sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        return sd_bus_message_append(reply, "u", AUDIO_BLOCK_SIZE);
}

/* Methods. */

static int check_can_stage(DiscMaster *dm, sd_bus_message *msg, sd_bus_error *error)
{
        int k;

        if ((k = bus_disc_master_check_owner(dm, msg, error)) < 0 ||
            (k = bus_disc_master_check_format(dm, DISC_FORMAT_REDBOOK, error)) < 0)
                return k;
        if (running_append(dm))
                return bus_error_setf(error, -IMAPI_ERROR_BUSY,
                                      "An AddAudioTrackBlocksFromFd call is still reading");
        if (!audio_of(dm))
                return -ENOMEM;
        bus_redbook_sync(dm);
        return 0;
}

static int method_create_audio_track(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        DiscMaster *dm = userdata;
        g_autofree char *message = NULL;
        uint32_t hint;
        int k;

        k = sd_bus_message_read(msg, "u", &hint);
        if (k < 0)
                return k;
        if ((k = check_can_stage(dm, msg, error)) < 0)
                return k;
        if (audio_disc_get_total_tracks(dm->audio) >= dm->manager->config.max_audio_tracks &&
            !audio_disc_has_open_track(dm->audio))
                return bus_error_setf(error, -IMAPI_ERROR_DF2_TAO_TRACK_LIMIT_REACHED,
                                      "A disc master holds at most %u tracks (AudioTracks)",
                                      dm->manager->config.max_audio_tracks);
        k = audio_disc_create_track(dm->audio, hint, &message);
        if (k < 0)
                return bus_error_set(error, k, message);
        log_debug("Disc master %u: audio track %u opened", dm->id, audio_disc_get_total_tracks(dm->audio));
        emit_counters(dm);
        return sd_bus_reply_method_return(msg, NULL);
}

static int method_close_audio_track(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        DiscMaster *dm = userdata;
        g_autofree char *message = NULL;
        int k;

        if ((k = check_can_stage(dm, msg, error)) < 0)
                return k;
        k = audio_disc_close_track(dm->audio, &message);
        if (k < 0)
                return bus_error_set(error, k, message);
        emit_counters(dm);
        return sd_bus_reply_method_return(msg, NULL);
}

/* Reserves what may be written in the stash, later trimmed to what was. */
static int reserve_for_append(DiscMaster *dm, uint64_t want, uint64_t *ret, sd_bus_error *error)
{
        uint64_t n = MIN(want, stash_available(dm->stash));
        int k;

        if (n == 0 && want > 0)
                return bus_error_setf(error, -IMAPI_ERROR_NOT_ENOUGH_DISK_FOR_STASH,
                                      "No room is left in the stash (quota StashMiBPerUser or free space)");
        k = stash_reserve(dm->stash, n);
        if (k < 0)
                return bus_error_setf(error, k, "Cannot reserve %" G_GUINT64_FORMAT " bytes of stash", n);
        *ret = n;
        return 0;
}

static int method_add_audio_track_blocks(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        DiscMaster *dm = userdata;
        const Config *cfg = &dm->manager->config;
        g_autofree char *message = NULL;
        const void *pcm;
        size_t size;
        uint64_t reserved = 0, before;
        uint32_t kept = 0;
        int k;

        k = sd_bus_message_read_array(msg, 'y', &pcm, &size);
        if (k < 0)
                return k;
        if (size > cfg->max_audio_bytes_per_call)
                return bus_error_setf(error, -IMAPI_ERROR_LIMITS_EXCEEDED,
                                      "AddAudioTrackBlocks takes at most %" G_GUINT64_FORMAT
                                      " bytes per call (AudioKiBPerCall); use AddAudioTrackBlocksFromFd",
                                      cfg->max_audio_bytes_per_call);
        if ((k = check_can_stage(dm, msg, error)) < 0)
                return k;
        if (size % AUDIO_BLOCK_SIZE != 0)
                return bus_error_setf(error, -IMAPI_ERROR_INVALID_PCM,
                                      "%zu bytes is not a whole number of 2352-byte blocks", size);
        if (!audio_disc_has_open_track(dm->audio))
                return bus_error_setf(error, -IMAPI_ERROR_TRACK_NOT_OPEN,
                                      "Open a track with CreateAudioTrack() first");
        /* The whole call must fit the stash (what does not fit the disc is DiscFull, keeping what fits). */
        k = stash_reserve(dm->stash, size);
        if (k < 0)
                return bus_error_setf(error, k, "The stash has no room for %zu more bytes%s", size,
                                      k == -IMAPI_ERROR_LIMITS_EXCEEDED ? " (StashMiBPerUser)" : "");
        reserved = size;
        before = audio_disc_get_stash_bytes(dm->audio);
        k = audio_disc_add_blocks(dm->audio, pcm, size, &kept, &message);
        stash_unreserve(dm->stash, reserved - (audio_disc_get_stash_bytes(dm->audio) - before));
        emit_add_progress(dm, kept, size / AUDIO_BLOCK_SIZE);
        emit_counters(dm);
        if (k < 0)
                return bus_error_set(error, k, message);
        return sd_bus_reply_method_return(msg, NULL);
}

static int append_progress(uint64_t done, uint64_t total, void *userdata)
{
        AppendCall *c = userdata;

        g_atomic_int_set(&c->done_blocks, (gint) MIN(done, G_MAXINT));
        g_atomic_int_set(&c->total_blocks, (gint) MIN(total, G_MAXINT));
        return worker_is_cancelled(c->worker) ? -IMAPI_ERROR_USER_ABORT : 0;
}

static int append_worker_run(Worker *w, void *userdata)
{
        AppendCall *c = userdata;
        return audio_append_run_fd(c->append, c->fd, append_progress, c);
}

static int on_append_progress(sd_event_source *s, uint64_t usec, void *userdata)
{
        AppendCall *c = userdata;

        if (c->dm)
                emit_add_progress(c->dm, (uint64_t) g_atomic_int_get(&c->done_blocks),
                                  (uint64_t) g_atomic_int_get(&c->total_blocks));
        (void) sd_event_source_set_time_relative(s, PROGRESS_INTERVAL_USEC);
        (void) sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
        return 0;
}

static void append_worker_done(int result, void *userdata)
{
        AppendCall *c = userdata;
        DiscMaster *dm = c->dm;
        g_autofree char *message = NULL;
        g_auto(sd_bus_error) error = SD_BUS_ERROR_NULL;
        uint64_t before;
        uint32_t kept = 0;
        int k;

        if (!dm) {
                append_call_free(c);
                return;
        }
        dm->audio_append = NULL;
        before = audio_disc_get_stash_bytes(dm->audio);
        k = audio_disc_append_finish(dm->audio, g_steal_pointer(&c->append), &kept, &message);
        stash_unreserve(dm->stash, c->reserved - (audio_disc_get_stash_bytes(dm->audio) - before));
        emit_add_progress(dm, kept, kept);
        emit_counters(dm);
        if (k < 0) {
                (void) bus_error_set(&error, k, message);
                (void) sd_bus_reply_method_error(c->message, &error);
        } else
                (void) sd_bus_reply_method_return(c->message, NULL);
        append_call_free(c);
}

static int check_pcm_fd(int fd, sd_bus_error *error)
{
        struct stat st;
        int flags = fcntl(fd, F_GETFL);

        if (fstat(fd, &st) < 0 || flags < 0)
                return -errno;
        if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode))
                return bus_error_setf(error, -EINVAL,
                                      "The PCM must come from a regular file, a pipe or a socket");
        if ((flags & O_PATH) || (flags & O_ACCMODE) == O_WRONLY)
                return bus_error_setf(error, -EINVAL, "The file descriptor is not open for reading");
        return 0;
}

static int method_add_audio_track_blocks_from_fd(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        DiscMaster *dm = userdata;
        g_autofree char *message = NULL;
        AppendCall *c;
        int fd, k;

        k = sd_bus_message_read(msg, "h", &fd);
        if (k < 0)
                return k;
        k = bus_read_options(msg, NULL, 0, false, NULL, error);
        if (k < 0)
                return k;
        if ((k = check_can_stage(dm, msg, error)) < 0 || (k = check_pcm_fd(fd, error)) < 0)
                return k;

        c = g_new0(AppendCall, 1);
        c->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        c->message = sd_bus_message_ref(msg);
        k = c->fd < 0 ? -errno : audio_disc_append_begin(dm->audio, &c->append, &message);
        if (k >= 0)
                k = reserve_for_append(dm, audio_append_get_max_bytes(c->append), &c->reserved, error);
        if (k >= 0) {
                audio_append_set_quota(c->append, c->reserved);
                k = sd_event_add_time_relative(dm->manager->event, &c->timer, CLOCK_MONOTONIC,
                                               PROGRESS_INTERVAL_USEC, PROGRESS_ACCURACY_USEC,
                                               on_append_progress, c);
        }
        if (k >= 0)
                k = worker_start(dm->manager->event, "add-audio", append_worker_run, append_worker_done, c,
                                 &c->worker);
        if (k < 0) {
                stash_unreserve(dm->stash, c->reserved);
                append_call_free(c);
                return sd_bus_error_is_set(error) ? k : bus_error_set(error, k, message);
        }
        c->dm = dm;
        dm->audio_append = c;
        return 1; /* answered when the worker ends */
}

static int method_set_disc_properties(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        DiscMaster *dm = userdata;
        g_autofree char *title = NULL, *performer = NULL, *mcn = NULL, *message = NULL;
        const BusOption options[] = {
                {"title", BUS_OPTION_STRING, &title},
                {"performer", BUS_OPTION_STRING, &performer},
                {"mcn", BUS_OPTION_STRING, &mcn},
        };
        int k;

        k = bus_read_options(msg, options, ELEMENTSOF(options), false, NULL, error);
        if (k < 0)
                return k;
        if ((k = check_can_stage(dm, msg, error)) < 0)
                return k;
        k = audio_disc_set_properties(dm->audio, &(AudioDiscProperties){title, performer, mcn}, &message);
        if (k < 0)
                return bus_error_set(error, k, message);
        return sd_bus_reply_method_return(msg, NULL);
}

static int method_set_track_properties(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        DiscMaster *dm = userdata;
        g_autofree char *title = NULL, *performer = NULL, *isrc = NULL, *message = NULL;
        const BusOption options[] = {
                {"title", BUS_OPTION_STRING, &title},
                {"performer", BUS_OPTION_STRING, &performer},
                {"isrc", BUS_OPTION_STRING, &isrc},
        };
        uint32_t track;
        int k;

        k = sd_bus_message_read(msg, "u", &track);
        if (k >= 0)
                k = bus_read_options(msg, options, ELEMENTSOF(options), false, NULL, error);
        if (k < 0)
                return k;
        if ((k = check_can_stage(dm, msg, error)) < 0)
                return k;
        if (track == 0 || track > audio_disc_get_total_tracks(dm->audio))
                return bus_error_setf(error, -EINVAL, "There is no track %u (tracks are 1..%u)", track,
                                      audio_disc_get_total_tracks(dm->audio));
        k = audio_disc_set_track_properties(dm->audio, track,
                                            &(AudioTrackProperties){title, performer, isrc}, &message);
        if (k < 0)
                return bus_error_set(error, k, message);
        return sd_bus_reply_method_return(msg, NULL);
}

static const sd_bus_vtable redbook_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("TotalAudioTracks", "u", property_get_total_tracks, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("TotalAudioBlocks", "u", property_get_total_blocks, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("UsedAudioBlocks", "u", property_get_used_blocks, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("AvailableAudioTrackBlocks", "u", property_get_available_blocks, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("AudioBlockSize", "u", property_get_block_size, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_METHOD_WITH_ARGS("CreateAudioTrack", SD_BUS_ARGS("u", blocks), SD_BUS_NO_RESULT,
                                method_create_audio_track, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddAudioTrackBlocks", SD_BUS_ARGS("ay", pcm), SD_BUS_NO_RESULT,
                                method_add_audio_track_blocks, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddAudioTrackBlocksFromFd", SD_BUS_ARGS("h", fd, "a{sv}", options),
                                SD_BUS_NO_RESULT, method_add_audio_track_blocks_from_fd,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD("CloseAudioTrack", "", "", method_close_audio_track, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("SetDiscProperties", SD_BUS_ARGS("a{sv}", properties), SD_BUS_NO_RESULT,
                                method_set_disc_properties, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("SetTrackProperties", SD_BUS_ARGS("u", track, "a{sv}", properties),
                                SD_BUS_NO_RESULT, method_set_track_properties, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};

int bus_redbook_register(Manager *m)
{
        return sd_bus_add_fallback_vtable(m->bus, NULL, IMAPI_DISC_MASTER_PATH_PREFIX,
                                          IMAPI_REDBOOK_DISC_MASTER_INTERFACE, redbook_vtable,
                                          bus_disc_master_find, m);
}
