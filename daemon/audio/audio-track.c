/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Staged audio tracks: PCM files in the stash, the open-track rules, the counters and the metadata. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audio-cdtext.h"
#include "audio-codes.h"
#include "audio-copy.h"
#include "audio-track.h"
#include "imapi-error.h"
#include "log.h"

typedef struct AudioTrack {
        int fd; /* the stash file, read-write */
        char file_name[32];
        uint32_t blocks; /* committed blocks */
        char *title;     /* UTF-8, NULL when unset */
        char *performer;
        char isrc[AUDIO_ISRC_LENGTH + 1];
} AudioTrack;

struct AudioDisc {
        int dir_fd;
        AudioTrack *tracks[AUDIO_TRACKS_MAX];
        unsigned n_tracks;
        bool track_open;     /* the last track is open */
        bool appending;      /* an AudioAppend is out */
        uint64_t generation; /* bumped by clear, to refuse stale appends */
        uint32_t capacity;
        unsigned gap;
        char *title;
        char *performer;
        char mcn[AUDIO_MCN_LENGTH + 1];
};

static AudioTrack *audio_track_free(AudioTrack *t, int dir_fd)
{
        if (!t)
                return NULL;
        safe_close(t->fd);
        if (unlinkat(dir_fd, t->file_name, 0) < 0 && errno != ENOENT)
                log_debug("Failed to unlink %s from the stash: %m, ignoring", t->file_name);
        g_free(t->title);
        g_free(t->performer);
        g_free(t);
        return NULL;
}

int audio_disc_new(int dir_fd, AudioDisc **ret)
{
        g_autofd int fd = fcntl(dir_fd, F_DUPFD_CLOEXEC, 3);
        AudioDisc *d;

        if (fd < 0)
                return -errno;

        d = g_new0(AudioDisc, 1);
        d->dir_fd = g_steal_fd(&fd);
        d->capacity = AUDIO_LEADOUT_MAX_LBA;
        d->gap = AUDIO_GAP_DEFAULT;
        *ret = d;
        return 0;
}

static void audio_disc_drop_content(AudioDisc *d)
{
        for (unsigned i = 0; i < d->n_tracks; i++)
                d->tracks[i] = audio_track_free(d->tracks[i], d->dir_fd);
        d->n_tracks = 0;
        d->track_open = false;
        g_clear_pointer(&d->title, g_free);
        g_clear_pointer(&d->performer, g_free);
        d->mcn[0] = '\0';
        d->generation++;
}

AudioDisc *audio_disc_free(AudioDisc *d)
{
        if (!d)
                return NULL;
        audio_disc_drop_content(d);
        safe_close(d->dir_fd);
        g_free(d);
        return NULL;
}

int audio_disc_clear(AudioDisc *d)
{
        if (d->appending)
                return -IMAPI_ERROR_BUSY;
        audio_disc_drop_content(d);
        return 0;
}

void audio_disc_set_capacity(AudioDisc *d, uint32_t medium_blocks)
{
        if (medium_blocks == 0 || medium_blocks > AUDIO_LEADOUT_MAX_LBA)
                medium_blocks = AUDIO_LEADOUT_MAX_LBA;
        d->capacity = medium_blocks;
}

int audio_disc_set_gap(AudioDisc *d, unsigned gap)
{
        if (gap > AUDIO_GAP_MAX)
                return -EINVAL;
        d->gap = gap;
        return 0;
}

unsigned audio_disc_get_gap(const AudioDisc *d)
{
        return d->gap;
}

/* ---- counters ---- */

static unsigned gap_before(const AudioDisc *d, unsigned index)
{
        return index == 0 ? 0 : d->gap; /* track 1's pregap lies before LBA 0 */
}

uint32_t audio_disc_get_total_tracks(const AudioDisc *d)
{
        return d->n_tracks;
}

uint32_t audio_disc_get_total_blocks(const AudioDisc *d)
{
        return d->capacity;
}

uint32_t audio_disc_get_used_blocks(const AudioDisc *d)
{
        uint64_t used = 0;

        for (unsigned i = 0; i < d->n_tracks; i++)
                used += gap_before(d, i) + d->tracks[i]->blocks;
        return (uint32_t) MIN(used, UINT32_MAX);
}

static uint32_t free_blocks(const AudioDisc *d)
{
        uint32_t used = audio_disc_get_used_blocks(d);

        return used >= d->capacity ? 0 : d->capacity - used;
}

uint32_t audio_disc_get_available_track_blocks(const AudioDisc *d)
{
        uint32_t free = free_blocks(d);
        unsigned gap = gap_before(d, d->n_tracks);

        if (d->track_open)
                return free;
        if (d->n_tracks >= AUDIO_TRACKS_MAX || free <= gap)
                return 0;
        return free - gap;
}

bool audio_disc_has_open_track(const AudioDisc *d)
{
        return d->track_open;
}

uint32_t audio_disc_get_track_blocks(const AudioDisc *d, unsigned track)
{
        if (track < 1 || track > d->n_tracks)
                return 0;
        return d->tracks[track - 1]->blocks;
}

uint64_t audio_disc_get_stash_bytes(const AudioDisc *d)
{
        uint64_t bytes = 0;

        for (unsigned i = 0; i < d->n_tracks; i++)
                bytes += (uint64_t) d->tracks[i]->blocks * AUDIO_BLOCK_SIZE;
        return bytes;
}

/* ---- tracks ---- */

int audio_disc_create_track(AudioDisc *d, uint32_t hint_blocks, char **reterr_message)
{
        g_autofree AudioTrack *t = NULL;
        uint32_t available;

        if (d->track_open)
                return error_set_message(reterr_message, IMAPI_ERROR_TRACK_OPEN,
                                         "Track %u is still open; close it first", d->n_tracks);
        if (d->n_tracks >= AUDIO_TRACKS_MAX)
                return error_set_message(reterr_message, IMAPI_ERROR_DF2_TAO_TRACK_LIMIT_REACHED,
                                         "An audio CD holds at most %u tracks", AUDIO_TRACKS_MAX);
        available = audio_disc_get_available_track_blocks(d);
        if (available < AUDIO_TRACK_MIN_BLOCKS || hint_blocks > available)
                return error_set_message(reterr_message, IMAPI_ERROR_DISC_FULL,
                                         "Only %" PRIu32 " audio blocks are left for a new track",
                                         available);

        t = g_new0(AudioTrack, 1);
        g_snprintf(t->file_name, sizeof(t->file_name), "audio-track-%02u.pcm", d->n_tracks + 1);
        t->fd = openat(d->dir_fd, t->file_name, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (t->fd < 0)
                return error_set_message(reterr_message, IMAPI_ERROR_FILE_ACCESS,
                                         "Failed to create %s in the stash: %m", t->file_name);

        d->tracks[d->n_tracks++] = g_steal_pointer(&t);
        d->track_open = true;
        log_debug("Audio track %u created (hint %" PRIu32 " blocks)", d->n_tracks, hint_blocks);
        return 0;
}

int audio_disc_close_track(AudioDisc *d, char **reterr_message)
{
        AudioTrack *t;

        if (!d->track_open)
                return error_set_message(reterr_message, IMAPI_ERROR_TRACK_NOT_OPEN,
                                         "No audio track is open");
        if (d->appending)
                return error_set_message(reterr_message, IMAPI_ERROR_BUSY,
                                         "Audio data is still being added");

        t = d->tracks[d->n_tracks - 1];
        if (t->blocks < AUDIO_TRACK_MIN_BLOCKS)
                return error_set_message(reterr_message, IMAPI_ERROR_TRACK_NOT_BIG_ENOUGH,
                                         "Track %u has %" PRIu32 " blocks; a track needs at least %u (4 s)",
                                         d->n_tracks, t->blocks, AUDIO_TRACK_MIN_BLOCKS);
        d->track_open = false;
        log_debug("Audio track %u closed with %" PRIu32 " blocks", d->n_tracks, t->blocks);
        return 0;
}

int audio_disc_open_track_data(const AudioDisc *d, unsigned track, int *ret_fd)
{
        int fd;

        if (track < 1 || track > d->n_tracks)
                return -EINVAL;
        fd = fcntl(d->tracks[track - 1]->fd, F_DUPFD_CLOEXEC, 3);
        if (fd < 0)
                return -errno;
        *ret_fd = fd;
        return 0;
}

/* ---- metadata ---- */

static int text_check(const char *utf8, const char *what, char **reterr_message)
{
        int r;

        if (!utf8 || !utf8[0])
                return 0;
        r = audio_text_to_latin1(utf8, NULL);
        if (r == -IMAPI_ERROR_LIMITS_EXCEEDED)
                return error_set_message(reterr_message, r, "The %s is longer than %u characters", what,
                                         AUDIO_TEXT_MAX);
        if (r < 0)
                return error_set_message(reterr_message, r,
                                         "The %s has characters CD-TEXT cannot hold (ISO 8859-1 only, "
                                         "no control characters)",
                                         what);
        return 0;
}

static void text_replace(char **field, const char *value)
{
        if (!value)
                return;
        g_free(*field);
        *field = value[0] ? g_strdup(value) : NULL;
}

static int layout_check_cdtext(const AudioLayout *l, char **reterr_message)
{
        size_t n;
        int r;

        r = cdtext_count_packs(l, &n);
        if (r < 0)
                return error_set_message(reterr_message, r, "The CD-TEXT would not fit in the lead-in");
        if (n > CDTEXT_PACKS_MAX)
                return error_set_message(reterr_message, IMAPI_ERROR_LIMITS_EXCEEDED,
                                         "The CD-TEXT would need %zu packs; at most %u fit", n,
                                         CDTEXT_PACKS_MAX);
        return 0;
}

int audio_disc_set_properties(AudioDisc *d, const AudioDiscProperties *p, char **reterr_message)
{
        g_autoptr(AudioLayout) l = NULL;
        char mcn[AUDIO_MCN_LENGTH + 1] = "";
        int r;

        if (p->mcn && p->mcn[0] && audio_mcn_normalize(p->mcn, mcn) < 0)
                return error_set_message(reterr_message, IMAPI_ERROR_DF2_TAO_INVALID_MCN,
                                         "'%s' is not a 13-digit EAN/UPC with a valid check digit", p->mcn);
        r = text_check(p->title, "album title", reterr_message);
        if (r < 0)
                return r;
        r = text_check(p->performer, "album performer", reterr_message);
        if (r < 0)
                return r;

        r = audio_disc_get_layout(d, &l);
        if (r < 0)
                return r;
        text_replace(&l->title, p->title);
        text_replace(&l->performer, p->performer);
        r = layout_check_cdtext(l, reterr_message);
        if (r < 0)
                return r;

        text_replace(&d->title, p->title);
        text_replace(&d->performer, p->performer);
        if (p->mcn)
                memcpy(d->mcn, mcn, sizeof(mcn));
        return 0;
}

int audio_disc_set_track_properties(AudioDisc *d, unsigned track, const AudioTrackProperties *p,
                                    char **reterr_message)
{
        g_autoptr(AudioLayout) l = NULL;
        char isrc[AUDIO_ISRC_LENGTH + 1] = "";
        AudioTrack *t;
        int r;

        if (track < 1 || track > d->n_tracks)
                return error_set_message(reterr_message, EINVAL, "There is no track %u (%u staged)", track,
                                         d->n_tracks);
        if (p->isrc && p->isrc[0] && audio_isrc_normalize(p->isrc, isrc) < 0)
                return error_set_message(reterr_message, IMAPI_ERROR_DF2_TAO_INVALID_ISRC,
                                         "'%s' is not an ISRC (CC-XXX-YY-NNNNN, 12 characters)", p->isrc);
        r = text_check(p->title, "track title", reterr_message);
        if (r < 0)
                return r;
        r = text_check(p->performer, "track performer", reterr_message);
        if (r < 0)
                return r;

        r = audio_disc_get_layout(d, &l);
        if (r < 0)
                return r;
        text_replace(&l->tracks[track - 1].title, p->title);
        text_replace(&l->tracks[track - 1].performer, p->performer);
        r = layout_check_cdtext(l, reterr_message);
        if (r < 0)
                return r;

        t = d->tracks[track - 1];
        text_replace(&t->title, p->title);
        text_replace(&t->performer, p->performer);
        if (p->isrc)
                memcpy(t->isrc, isrc, sizeof(isrc));
        return 0;
}

void audio_disc_get_properties(const AudioDisc *d, AudioDiscProperties *ret)
{
        *ret = (AudioDiscProperties){
                .title = d->title ?: "",
                .performer = d->performer ?: "",
                .mcn = d->mcn,
        };
}

int audio_disc_get_track_properties(const AudioDisc *d, unsigned track, AudioTrackProperties *ret)
{
        const AudioTrack *t;

        if (track < 1 || track > d->n_tracks)
                return -EINVAL;
        t = d->tracks[track - 1];
        *ret = (AudioTrackProperties){
                .title = t->title ?: "",
                .performer = t->performer ?: "",
                .isrc = t->isrc,
        };
        return 0;
}

/* ---- burn ---- */

int audio_disc_get_layout(const AudioDisc *d, AudioLayout **ret)
{
        g_autoptr(AudioLayout) l = audio_layout_new();
        int r;

        for (unsigned i = 0; i < d->n_tracks; i++) {
                const AudioTrack *t = d->tracks[i];

                r = audio_layout_add_track(l, t->blocks, d->gap);
                if (r < 0)
                        return r;
                l->tracks[i].title = g_strdup(t->title);
                l->tracks[i].performer = g_strdup(t->performer);
                memcpy(l->tracks[i].isrc, t->isrc, sizeof(t->isrc));
        }
        l->title = g_strdup(d->title);
        l->performer = g_strdup(d->performer);
        memcpy(l->mcn, d->mcn, sizeof(d->mcn));

        *ret = g_steal_pointer(&l);
        return 0;
}

int audio_disc_check_burnable(const AudioDisc *d, char **reterr_message)
{
        g_autoptr(AudioLayout) l = NULL;
        uint32_t used = audio_disc_get_used_blocks(d);
        int r;

        if (d->n_tracks == 0)
                return error_set_message(reterr_message, IMAPI_ERROR_RAW_IMAGE_NO_TRACKS,
                                         "No audio track is staged");
        if (d->track_open)
                return error_set_message(reterr_message, IMAPI_ERROR_TRACK_OPEN,
                                         "Track %u is still open; close it before burning", d->n_tracks);
        if (d->appending)
                return error_set_message(reterr_message, IMAPI_ERROR_BUSY,
                                         "Audio data is still being added");
        if (used > d->capacity)
                return error_set_message(reterr_message, IMAPI_ERROR_DISC_FULL,
                                         "The tracks need %" PRIu32 " blocks, the medium holds %" PRIu32,
                                         used, d->capacity);

        r = audio_disc_get_layout(d, &l);
        if (r < 0)
                return r;
        return layout_check_cdtext(l, reterr_message);
}

/* ---- appending ---- */

struct AudioAppend {
        int fd;         /* a duplicate of the open track's stash file */
        uint64_t start; /* bytes committed before this append */
        uint64_t limit; /* bytes that still fit on the disc */
        uint64_t quota; /* bytes the caller allows (the user's stash quota) */
        uint64_t written;
        uint64_t generation;
        unsigned track;
        int result;
        char *message;
};

AudioAppend *audio_append_free(AudioAppend *a)
{
        if (!a)
                return NULL;
        safe_close(a->fd);
        g_free(a->message);
        g_free(a);
        return NULL;
}

int audio_disc_append_begin(AudioDisc *d, AudioAppend **ret, char **reterr_message)
{
        g_autoptr(AudioAppend) a = NULL;
        AudioTrack *t;

        if (!d->track_open)
                return error_set_message(reterr_message, IMAPI_ERROR_TRACK_NOT_OPEN,
                                         "No audio track is open; call CreateAudioTrack first");
        if (d->appending)
                return error_set_message(reterr_message, IMAPI_ERROR_BUSY,
                                         "Audio data is still being added");

        t = d->tracks[d->n_tracks - 1];
        a = g_new0(AudioAppend, 1);
        a->fd = fcntl(t->fd, F_DUPFD_CLOEXEC, 3);
        if (a->fd < 0)
                return error_set_message(reterr_message, errno, "Failed to duplicate the track's fd: %m");
        a->start = (uint64_t) t->blocks * AUDIO_BLOCK_SIZE;
        a->limit = (uint64_t) audio_disc_get_available_track_blocks(d) * AUDIO_BLOCK_SIZE;
        a->quota = UINT64_MAX;
        a->generation = d->generation;
        a->track = d->n_tracks;

        /* Whatever an abandoned append left past the committed blocks goes now. */
        if (ftruncate(a->fd, (off_t) a->start) < 0)
                return error_set_message(reterr_message, IMAPI_ERROR_FILE_ACCESS,
                                         "Failed to truncate the stash file: %m");

        d->appending = true;
        *ret = g_steal_pointer(&a);
        return 0;
}

static int append_fail(AudioAppend *a, int r, const char *message)
{
        a->result = -errno_of(r);
        if (message && !a->message)
                a->message = g_strdup(message);
        return a->result;
}

void audio_append_set_quota(AudioAppend *a, uint64_t bytes)
{
        a->quota = bytes;
}

uint64_t audio_append_get_max_bytes(const AudioAppend *a)
{
        return a->limit;
}

uint64_t audio_append_get_written_bytes(const AudioAppend *a)
{
        return a->written;
}

/* Room left: the disc's, and the quota's when that is smaller (whole blocks, so a cut stays aligned). */
static uint64_t append_room(const AudioAppend *a, bool *ret_quota_bound)
{
        uint64_t disc = a->limit - a->written;
        uint64_t quota =
                a->quota > a->written ? (a->quota - a->written) / AUDIO_BLOCK_SIZE * AUDIO_BLOCK_SIZE : 0;

        *ret_quota_bound = quota < disc;
        return MIN(disc, quota);
}

static int append_quota_exceeded(AudioAppend *a)
{
        g_autofree char *m =
                g_strdup_printf("The audio data exceeds the stash quota (%" PRIu64 " bytes)", a->quota);
        return append_fail(a, IMAPI_ERROR_LIMITS_EXCEEDED, m);
}

int audio_append_run_buffer(AudioAppend *a, const void *pcm, size_t size)
{
        bool quota_bound;
        uint64_t room = append_room(a, &quota_bound);
        uint64_t n = MIN((uint64_t) size, room);
        int r;

        if (size % AUDIO_BLOCK_SIZE != 0) {
                g_autofree char *m =
                        g_strdup_printf("%zu bytes is not a multiple of %u", size, AUDIO_BLOCK_SIZE);
                return append_fail(a, IMAPI_ERROR_INVALID_PCM, m);
        }
        if (n < size && quota_bound)
                return append_quota_exceeded(a);

        r = audio_pwrite_all(a->fd, pcm, (size_t) n, a->start + a->written);
        if (r < 0) {
                g_autofree char *m =
                        g_strdup_printf("Failed to write audio data to the stash: %s", g_strerror(errno));
                return append_fail(a, r, m);
        }
        a->written += n;
        a->result = n < size ? -IMAPI_ERROR_DISC_FULL : 0;
        return a->result;
}

int audio_append_run_fd(AudioAppend *a, int fd, AudioProgressFunc progress, void *userdata)
{
        g_autofree char *message = NULL;
        bool quota_bound;
        uint64_t copied = 0, room = append_room(a, &quota_bound);
        int r;

        r = audio_copy_fd(fd, a->fd, a->start + a->written, room, progress, userdata, &copied, &message);
        if (r < 0 && r != -IMAPI_ERROR_DISC_FULL)
                return append_fail(a, r, message);
        if (r == -IMAPI_ERROR_DISC_FULL && quota_bound)
                return append_quota_exceeded(a);

        a->written += copied;
        if (a->written % AUDIO_BLOCK_SIZE != 0) {
                g_autofree char *m = g_strdup_printf("The fd gave %" PRIu64 " bytes, not a multiple of %u",
                                                     copied, AUDIO_BLOCK_SIZE);
                return append_fail(a, IMAPI_ERROR_INVALID_PCM, m);
        }
        a->result = r;
        return r;
}

int audio_disc_append_finish(AudioDisc *d, AudioAppend *a_in, uint32_t *ret_kept, char **reterr_message)
{
        g_autoptr(AudioAppend) a = a_in;
        uint32_t blocks;

        d->appending = false;
        if (a->generation != d->generation || !d->track_open || a->track != d->n_tracks)
                return error_set_message(reterr_message, ESTALE,
                                         "The track was cleared while data was added");

        if (a->result < 0 && a->result != -IMAPI_ERROR_DISC_FULL) {
                if (ftruncate(a->fd, (off_t) a->start) < 0)
                        log_debug("Failed to truncate the stash file back: %m, ignoring");
                return error_set_message(reterr_message, a->result, "%s",
                                         a->message ?: error_to_string(a->result));
        }

        blocks = (uint32_t) (a->written / AUDIO_BLOCK_SIZE);
        d->tracks[d->n_tracks - 1]->blocks += blocks;
        *ret_kept = blocks;
        if (a->result == -IMAPI_ERROR_DISC_FULL)
                return error_set_message(reterr_message, a->result,
                                         "The disc is full: %" PRIu32 " blocks were added to track %u, "
                                         "the rest was dropped",
                                         blocks, d->n_tracks);
        return 0;
}

int audio_disc_add_blocks(AudioDisc *d, const void *pcm, size_t size, uint32_t *ret_kept,
                          char **reterr_message)
{
        AudioAppend *a = NULL;
        int r;

        r = audio_disc_append_begin(d, &a, reterr_message);
        if (r < 0)
                return r;
        (void) audio_append_run_buffer(a, pcm, size);
        return audio_disc_append_finish(d, a, ret_kept, reterr_message);
}

int audio_disc_add_fd(AudioDisc *d, int fd, AudioProgressFunc progress, void *userdata, uint32_t *ret_kept,
                      char **reterr_message)
{
        AudioAppend *a = NULL;
        int r;

        r = audio_disc_append_begin(d, &a, reterr_message);
        if (r < 0)
                return r;
        (void) audio_append_run_fd(a, fd, progress, userdata);
        return audio_disc_append_finish(d, a, ret_kept, reterr_message);
}
