/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Validation of what clients may attach to an audio disc: MCN, ISRC and CD-TEXT strings.
 *
 * MCN: the disc's EAN-13/UPC catalogue number, 13 decimal digits whose last one is the EAN-13 check digit;
 * shorter input (a 12-digit UPC-A) is left-padded with zeros, as IMAPI allows; all zeros means "no MCN"
 * and is refused. → -IMAPI_ERROR_DF2_TAO_INVALID_MCN.
 * ISRC (ISO 3901): 2 letters (country), 3 letters or digits (registrant), 2 digits (year), 5 digits
 * (designation); either 12 characters or the display form CC-XXX-YY-NNNNN; lower case is upper-cased.
 * → -IMAPI_ERROR_DF2_TAO_INVALID_ISRC.
 * Text (titles, performers): UTF-8 that ISO 8859-1 can represent (CD-TEXT character code 00h), no control
 * characters (TAB means "same as the previous track" in CD-TEXT), at most AUDIO_TEXT_MAX characters:
 * -EINVAL (InvalidArgs) for characters, -IMAPI_ERROR_LIMITS_EXCEEDED for length. */
#pragma once

#include <stddef.h>

#include "audio-layout.h"

#define AUDIO_TEXT_MAX 160 /* characters of one title or performer */

/* Each writes the normalised form to ret (NUL-terminated) only on success. */
int audio_mcn_normalize(const char *s, char ret[static AUDIO_MCN_LENGTH + 1]);
int audio_isrc_normalize(const char *s, char ret[static AUDIO_ISRC_LENGTH + 1]);

/* 0 when valid; *ret_latin1 (optional) receives the ISO 8859-1 bytes, NUL-terminated. */
int audio_text_to_latin1(const char *utf8, char **ret_latin1);

/* ISO 8859-1 bytes → UTF-8 (every byte is a code point). */
char *audio_text_from_latin1(const char *latin1, size_t size);
