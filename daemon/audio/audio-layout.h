/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Red Book layout of an audio disc: where each pregap, track and the lead-out start, and the TAO plan.
 *
 * Addresses are LBAs as MMC uses them: LBA 0 = MSF 00:02:00, the first track's 150-block pregap runs from
 * LBA -150 to -1 (IEC 60908; MMC-6 §4.2.3.5). An AudioLayout is plain data: the staging model produces one
 * (audio_disc_get_layout()), the emulator may build one by hand (audio_layout_add_track()), and the cue
 * sheet, CD-TEXT and text cue sheet writers all read it. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "macros.h"

#define AUDIO_BLOCK_SIZE          2352u /* 588 stereo frames of 16-bit 44.1 kHz PCM */
#define AUDIO_FRAMES_PER_SECOND   75
#define AUDIO_TRACKS_MAX          99
#define AUDIO_TRACK_MIN_BLOCKS    300 /* 4 seconds (MMC-6 §6.33.3.6) */
#define AUDIO_FIRST_PREGAP_BLOCKS 150 /* before track 1, always */
#define AUDIO_GAP_DEFAULT         150 /* IMAPI v1 AudioGapSize */
#define AUDIO_GAP_MAX             225
#define AUDIO_LEADOUT_MAX_LBA     404849 /* the lead-out starts at MSF 89:59:74 at the latest */
#define AUDIO_TAO_RUN_OUT_BLOCKS  2      /* written by the drive after each TAO track (IMAPI: "gap + 2") */
#define AUDIO_MCN_LENGTH          13
#define AUDIO_ISRC_LENGTH         12

typedef struct AudioMsf {
        uint8_t m, s, f;
} AudioMsf;

/* LBA -150..404849 ↔ MSF 00:00:00..89:59:74 (LBA = frames - 150); the lead-in, LBA -45150..-151, is
 * MSF 90:00:00..99:59:74 (LBA = frames - 450150). -ERANGE otherwise. */
int audio_lba_to_msf(int32_t lba, AudioMsf *ret);
int32_t audio_msf_to_lba(AudioMsf msf);

typedef struct AudioLayoutTrack {
        int32_t pregap_lba; /* INDEX 00: first block of the gap before the track (= start_lba: none) */
        int32_t start_lba;  /* INDEX 01 */
        uint32_t blocks;    /* PCM blocks of the track (up to the next pregap or the lead-out) */
        char isrc[AUDIO_ISRC_LENGTH + 1]; /* "" when unset; normalised (no dashes) */
        char *title;                      /* UTF-8, NULL when unset */
        char *performer;
} AudioLayoutTrack;

typedef struct AudioLayout {
        unsigned n_tracks; /* tracks are numbered 1..n_tracks */
        AudioLayoutTrack tracks[AUDIO_TRACKS_MAX];
        int32_t leadout_lba;            /* first block after the last track */
        char mcn[AUDIO_MCN_LENGTH + 1]; /* "" when unset */
        char *title;                    /* UTF-8, NULL when unset */
        char *performer;
} AudioLayout;

AudioLayout *audio_layout_new(void);
AudioLayout *audio_layout_free(AudioLayout *l);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AudioLayout, audio_layout_free)

/* Appends a track of 'blocks' blocks after a gap of 'gap' blocks (ignored for track 1, whose pregap is
 * always 150). -IMAPI_ERROR_DF2_TAO_TRACK_LIMIT_REACHED past 99 tracks, -EINVAL for a gap over 225. */
int audio_layout_add_track(AudioLayout *l, uint32_t blocks, unsigned gap);

/* Whether any CD-TEXT (a title or performer of the disc or a track) is set. */
bool audio_layout_has_text(const AudioLayout *l);

/* The blocks an SAO burn sends after the lead-in: from LBA -150 up to the lead-out. */
uint64_t audio_layout_get_sao_blocks(const AudioLayout *l);

/* Track-at-Once plan for drives without SAO. The drive writes each pause itself (MODE SELECT page 05h
 * Audio Pause Length, MMC-6 §7.5.4.x) and AUDIO_TAO_RUN_OUT_BLOCKS after each track, so the host sends
 * only the tracks' PCM (audio_source in AUDIO_SOURCE_TAO mode). start_lba is the nominal address under
 * that rule; the drive's Next Writable Address (READ TRACK INFORMATION) is authoritative. */
typedef struct AudioTaoTrack {
        unsigned number;
        uint32_t pause_blocks; /* Audio Pause Length to program before writing the track */
        int32_t start_lba;
        uint32_t blocks;
} AudioTaoTrack;

typedef struct AudioTaoPlan {
        unsigned n_tracks;
        AudioTaoTrack tracks[AUDIO_TRACKS_MAX];
        int32_t leadout_lba; /* nominal */
} AudioTaoPlan;

void audio_layout_plan_tao(const AudioLayout *l, AudioTaoPlan *ret);
