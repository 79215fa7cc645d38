/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The sector source of an audio burn: the 2352-byte blocks of pregaps and tracks, in disc order.
 *
 * An AudioSource is a snapshot of a staged disc (its layout and duplicated fds on the stash files), so the
 * burn worker thread may own it while the disc master stays with the event loop. In SAO mode it yields
 * LBA -150 up to the lead-out: track 1's 150-block pregap (silence), track 1, the gap before track 2
 * (silence), track 2, ...; in TAO mode only the tracks' PCM (the drive writes the pauses). A read never
 * crosses a gap/track boundary and reports the track the blocks belong to (a gap belongs to the track
 * after it), which is what TrackProgress shows. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "audio-layout.h"
#include "audio-track.h"

typedef enum AudioSourceMode {
        AUDIO_SOURCE_SAO,
        AUDIO_SOURCE_TAO,
        _AUDIO_SOURCE_MODE_MAX,
        _AUDIO_SOURCE_MODE_INVALID = -EINVAL,
} AudioSourceMode;

typedef struct AudioSource AudioSource;

/* -IMAPI_ERROR_RAW_IMAGE_NO_TRACKS without tracks, -IMAPI_ERROR_TRACK_OPEN with a track open. */
int audio_source_new(const AudioDisc *d, AudioSourceMode mode, AudioSource **ret);
AudioSource *audio_source_free(AudioSource *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AudioSource, audio_source_free)

const AudioLayout *audio_source_get_layout(const AudioSource *s);
uint64_t audio_source_get_total_blocks(const AudioSource *s);
int32_t audio_source_get_start_lba(const AudioSource *s); /* -150 (SAO) or 0 (TAO) */
uint64_t audio_source_get_position(const AudioSource *s); /* blocks produced so far */

/* Reads up to max_blocks blocks into buf (max_blocks * 2352 bytes). Returns the number of blocks (> 0),
 * 0 at the end, or -EIO when a stash file is shorter than staged. *ret_track (optional) is the 1-based
 * track the blocks belong to. */
int audio_source_read(AudioSource *s, void *buf, size_t max_blocks, unsigned *ret_track);

/* Moves to block 'position' (0 = the first block), e.g. to retry after a recoverable write error. */
int audio_source_seek(AudioSource *s, uint64_t position);
