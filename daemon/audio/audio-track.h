/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The staging model of a Red Book disc master (IMAPI's IRedbookDiscMaster): tracks of PCM in the stash.
 *
 * One track may be open at a time; closed tracks are final (IMAPI v1 §1.7). Each track's PCM is one file
 * in the disc master's stash directory (openat() on the directory fd the caller gives; the daemon never
 * opens client paths), unlinked by audio_disc_clear() and audio_disc_free().
 *
 * Counters, in 2352-byte audio blocks (exact after every call):
 *   TotalAudioTracks          tracks created, the open one included
 *   TotalAudioBlocks          the medium's capacity from LBA 0 (audio_disc_set_capacity(); until then the
 *                             Red Book maximum): track 1's 150-block pregap lies before LBA 0 and is free
 *   UsedAudioBlocks           staged PCM + the gap before every track but the first (= the lead-out LBA)
 *   AvailableAudioTrackBlocks what the open track may still grow by (Total - Used); with no track open,
 *                             what a new track could hold after its gap
 * The gap is the recorder's AudioGapSize (0..225, default 150, audio_disc_set_gap()).
 *
 * Errors (nothing staged is lost by any of them):
 *   create with a track open        -IMAPI_ERROR_TRACK_OPEN
 *   a 100th track                   -IMAPI_ERROR_DF2_TAO_TRACK_LIMIT_REACHED
 *   create when fewer than 300 blocks (or fewer than the size hint) remain   -IMAPI_ERROR_DISC_FULL
 *   add / close with no open track  -IMAPI_ERROR_TRACK_NOT_OPEN
 *   add of a size that is not a multiple of 2352 bytes   -IMAPI_ERROR_INVALID_PCM, nothing appended
 *   add beyond the capacity         -IMAPI_ERROR_DISC_FULL, the blocks that fit are kept (IMAPI's rule)
 *   close below 300 blocks          -IMAPI_ERROR_TRACK_NOT_BIG_ENOUGH; the track stays open, so the client
 *                                   can add more and close again
 *   an add while another runs       -IMAPI_ERROR_BUSY
 *
 * Threading: an AudioDisc belongs to one thread (the event loop). Long appends run in three steps:
 * audio_disc_append_begin() (loop) → audio_append_run_fd()/audio_append_run_buffer() (any one thread, it
 * touches only the AudioAppend and the track's file) → audio_disc_append_finish() (loop: commits the
 * counters, or truncates the file back on failure). audio_disc_add_blocks()/audio_disc_add_fd() do the
 * three steps in the calling thread. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "audio-layout.h"

typedef struct AudioDisc AudioDisc;
typedef struct AudioAppend AudioAppend;

/* dir_fd is the disc master's stash directory; it is duplicated. */
int audio_disc_new(int dir_fd, AudioDisc **ret);
AudioDisc *audio_disc_free(AudioDisc *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AudioDisc, audio_disc_free)

/* ClearFormatContent: drops every track (files unlinked) and all metadata; keeps capacity and gap. */
int audio_disc_clear(AudioDisc *d);

/* The medium's capacity in blocks from LBA 0 (READ CAPACITY / ATIP lead-out start); clamped to the Red
 * Book maximum, 0 = unknown (the maximum). Used may exceed it after a change: Available is then 0. */
void audio_disc_set_capacity(AudioDisc *d, uint32_t medium_blocks);
/* AudioGapSize: -EINVAL above AUDIO_GAP_MAX. */
int audio_disc_set_gap(AudioDisc *d, unsigned gap);
unsigned audio_disc_get_gap(const AudioDisc *d);

int audio_disc_create_track(AudioDisc *d, uint32_t hint_blocks, char **reterr_message);
int audio_disc_close_track(AudioDisc *d, char **reterr_message);

/* Appends whole blocks of PCM to the open track. *ret_kept (blocks appended) is written on success and on
 * -IMAPI_ERROR_DISC_FULL, the one partial success. */
int audio_disc_add_blocks(AudioDisc *d, const void *pcm, size_t size, uint32_t *ret_kept,
                          char **reterr_message);

/* Called during an fd append with the blocks appended so far and the blocks expected (0 when the fd is
 * a pipe or socket). A negative return aborts the append with that code (nothing is kept). */
typedef int (*AudioProgressFunc)(uint64_t done_blocks, uint64_t total_blocks, void *userdata);

/* Reads PCM from fd's current position to end of file: a regular file (copy_file_range), a pipe (splice)
 * or a socket; anything else → -EINVAL. The whole call is atomic: a total that is not a multiple of 2352
 * bytes (found up front for files, at EOF for pipes) or a read error appends nothing. On DiscFull the
 * blocks that fit are kept and the rest of the fd is not read. Non-blocking fds are waited on with poll. */
int audio_disc_add_fd(AudioDisc *d, int fd, AudioProgressFunc progress, void *userdata, uint32_t *ret_kept,
                      char **reterr_message);

/* The three steps of an append, for running the I/O in a worker thread (see the threading note). */
int audio_disc_append_begin(AudioDisc *d, AudioAppend **ret, char **reterr_message);
int audio_append_run_buffer(AudioAppend *a, const void *pcm, size_t size);
int audio_append_run_fd(AudioAppend *a, int fd, AudioProgressFunc progress, void *userdata);
/* Caps the append at 'bytes' (what the user's stash quota allows; unlimited by default). Unlike the disc's
 * capacity, which keeps what fits (DiscFull), PCM beyond the quota fails the whole append with
 * -IMAPI_ERROR_LIMITS_EXCEEDED. */
void audio_append_set_quota(AudioAppend *a, uint64_t bytes);
uint64_t audio_append_get_max_bytes(const AudioAppend *a);     /* what still fits on the disc */
uint64_t audio_append_get_written_bytes(const AudioAppend *a); /* so far (for the stash accounting) */
/* Consumes a. Returns what the run returned (0, -IMAPI_ERROR_DISC_FULL with *ret_kept, or an error). */
int audio_disc_append_finish(AudioDisc *d, AudioAppend *a, uint32_t *ret_kept, char **reterr_message);
/* Drops an append that will not be finished (its disc is being freed). */
AudioAppend *audio_append_free(AudioAppend *a);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AudioAppend, audio_append_free)

uint32_t audio_disc_get_total_tracks(const AudioDisc *d);
uint32_t audio_disc_get_total_blocks(const AudioDisc *d);
uint32_t audio_disc_get_used_blocks(const AudioDisc *d);
uint32_t audio_disc_get_available_track_blocks(const AudioDisc *d);
bool audio_disc_has_open_track(const AudioDisc *d);
uint32_t audio_disc_get_track_blocks(const AudioDisc *d, unsigned track); /* 1-based; 0 if none */
uint64_t audio_disc_get_stash_bytes(const AudioDisc *d);

/* Metadata (beyond IMAPI v1). NULL leaves a field unchanged, "" clears it. Atomic: every field is
 * validated (audio-codes.h) and the CD-TEXT that would result must fit its 256 packs
 * (-IMAPI_ERROR_LIMITS_EXCEEDED) before anything changes. A track is 1..TotalAudioTracks, else -EINVAL. */
typedef struct AudioDiscProperties {
        const char *title;
        const char *performer;
        const char *mcn;
} AudioDiscProperties;

typedef struct AudioTrackProperties {
        const char *title;
        const char *performer;
        const char *isrc;
} AudioTrackProperties;

int audio_disc_set_properties(AudioDisc *d, const AudioDiscProperties *p, char **reterr_message);
int audio_disc_set_track_properties(AudioDisc *d, unsigned track, const AudioTrackProperties *p,
                                    char **reterr_message);
/* Fills *ret with the current values ("" when unset), valid until the next change. */
void audio_disc_get_properties(const AudioDisc *d, AudioDiscProperties *ret);
int audio_disc_get_track_properties(const AudioDisc *d, unsigned track, AudioTrackProperties *ret);

/* Before a burn: at least one track (-IMAPI_ERROR_RAW_IMAGE_NO_TRACKS), none open
 * (-IMAPI_ERROR_TRACK_OPEN), Used within the capacity (-IMAPI_ERROR_DISC_FULL), CD-TEXT that fits
 * (-IMAPI_ERROR_LIMITS_EXCEEDED). */
int audio_disc_check_burnable(const AudioDisc *d, char **reterr_message);

/* The layout with the current gap, tracks (the open one included) and metadata. */
int audio_disc_get_layout(const AudioDisc *d, AudioLayout **ret);

/* A duplicate (CLOEXEC) of the track's stash fd, for pread() by the sector source. */
int audio_disc_open_track_data(const AudioDisc *d, unsigned track, int *ret_fd);
