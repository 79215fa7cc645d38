/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Cue sheets: the binary one SEND CUE SHEET takes for a Session-at-Once burn, and a text (CDRWIN) one
 * that describes a raw image of the disc.
 *
 * SEND CUE SHEET (MMC-6 §6.33; MMC-3 §5.1.5): 8-byte entries
 *   CTL|ADR, TNO, INDEX, DATA FORM, SCMS, MIN, SEC, FRAME
 * with TNO, INDEX and MSF in binary (TNO 1..99 = 01h..63h, lead-out AAh) and MSF absolute (00:02:00 =
 * LBA 0). In order:
 *   MCN (when set): two ADR 2 entries carrying the 13 ASCII digits (7 in the first, 6 + 00h in the second)
 *   lead-in: 01h, TNO 0, INDEX 0, DATA FORM 01h (41h when CD-TEXT is written in the lead-in), 00:00:00
 *   each track: ISRC (when set) as two ADR 3 entries carrying 6 + 6 ASCII characters; INDEX 0 at the
 *     pregap start (track 1: 00:00:00; omitted for a 0-block gap); INDEX 1 at the track start (track 1:
 *     00:02:00); DATA FORM 00h (2352 bytes of PCM from the host, gaps included)
 *   lead-out: 01h, TNO AAh, INDEX 1, DATA FORM 01h, its start.
 * CTL is 0 (two-channel audio, no pre-emphasis, digital copy not permitted) and SCMS 0. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audio-layout.h"

#define AUDIO_CUE_ENTRY_SIZE           8
#define AUDIO_CUE_ADR_POSITION         0x01
#define AUDIO_CUE_ADR_MCN              0x02
#define AUDIO_CUE_ADR_ISRC             0x03
#define AUDIO_CUE_FORM_AUDIO           0x00 /* CD-DA, 2352 bytes per block from the host */
#define AUDIO_CUE_FORM_AUDIO_GENERATED 0x01 /* CD-DA the drive generates (lead-in, lead-out) */
#define AUDIO_CUE_FORM_CDTEXT          0x40 /* lead-in: R-W sub-channel (CD-TEXT) from the host */
#define AUDIO_CUE_TNO_LEADOUT          0xaa

/* -EINVAL without tracks, -IMAPI_ERROR_RAW_IMAGE_INSUFFICIENT_SPACE when the lead-out would start past
 * 89:59:74. */
int audio_cuesheet_build(const AudioLayout *l, bool cdtext, uint8_t **ret_sheet, size_t *ret_size);

/* A CDRWIN cue sheet for a raw image 'file_name' (BINARY: 2352-byte sectors, PCM little-endian) whose
 * first sector is LBA image_start_lba: -150 when the image holds track 1's pregap, 0 when it starts with
 * track 1. CATALOG, TITLE, PERFORMER, ISRC and INDEX 00/01 lines as the layout has them; a '"' in a text
 * becomes '\'' and control characters become spaces (the format has no escapes). */
int audio_cuesheet_format_text(const AudioLayout *l, const char *file_name, int32_t image_start_lba,
                               char **ret_text);
