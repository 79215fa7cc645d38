/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* CD-TEXT: text packs for the lead-in, their CRC, the 96-byte R-W sub-channel blocks, and the parser.
 *
 * A pack (MMC-3 Annex J; MMC-6 §6.26.3.7.1, READ TOC format 0101b) is 18 bytes:
 *   0 pack type (80h title, 81h performer, ... 8Eh UPC/EAN and ISRC, 8Fh size information)
 *   1 track number of the text the pack's first byte belongs to (0 = the disc); bit 7 = extension
 *   2 sequence number within the block (0..255)
 *   3 bit 7 double-byte characters, bits 6-4 block (language) number, bits 3-0 the position of the pack's
 *     first byte within its text (15 = 15 or more)
 *   4..15 twelve bytes of NUL-terminated texts (disc first, then track 1, 2, ...)
 *   16..17 CRC-16 (polynomial x^16 + x^12 + x^5 + 1, initial 0) of bytes 0..15, inverted, big-endian.
 * The three 8Fh packs carry a 36-byte record: character code, first and last track, copyright, pack
 * counts of types 80h..8Fh, the last sequence number of each block, and each block's language.
 *
 * In the lead-in (SEND CUE SHEET lead-in DATA FORM 41h, WRITE from the ATIP lead-in start up to LBA -150)
 * each pack is spread into 24 six-bit symbols (bits 5-0 of each byte), four packs to a 96-byte block, the
 * pack list repeated in order until the lead-in is full.
 *
 * We build one block (block 0, English, ISO 8859-1) with 80h and 81h for every track when any title or
 * performer is set, and 8Eh (MCN for the disc, ISRC for the tracks) when the disc has text and an MCN or
 * ISRC; 8Fh always ends it. The parser is pure and reads only through bytes.h, for tests, the emulator and
 * verification. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "audio-layout.h"

#define CDTEXT_PACK_SIZE               18
#define CDTEXT_PACK_PAYLOAD            12
#define CDTEXT_PACKS_MAX               256 /* per block: 8-bit sequence numbers */
#define CDTEXT_SYMBOLS_PER_PACK        24
#define CDTEXT_SUBCODE_BLOCK_SIZE      96 /* one lead-in sector of R-W sub-channel */
#define CDTEXT_PACKS_PER_SUBCODE_BLOCK 4

typedef enum CdTextPackType {
        CDTEXT_PACK_TITLE = 0x80,
        CDTEXT_PACK_PERFORMER = 0x81,
        CDTEXT_PACK_SONGWRITER = 0x82,
        CDTEXT_PACK_COMPOSER = 0x83,
        CDTEXT_PACK_ARRANGER = 0x84,
        CDTEXT_PACK_MESSAGE = 0x85,
        CDTEXT_PACK_DISC_ID = 0x86,
        CDTEXT_PACK_GENRE = 0x87,
        CDTEXT_PACK_TOC = 0x88,
        CDTEXT_PACK_TOC2 = 0x89,
        CDTEXT_PACK_CLOSED = 0x8d,
        CDTEXT_PACK_UPC_ISRC = 0x8e,
        CDTEXT_PACK_SIZE_INFO = 0x8f,
} CdTextPackType;

#define CDTEXT_CHARSET_ISO8859_1 0x00
#define CDTEXT_CHARSET_ASCII     0x01
#define CDTEXT_CHARSET_MS_JIS    0x80
#define CDTEXT_LANGUAGE_ENGLISH  0x09

/* The CRC-16 as CD-TEXT stores it (already inverted). */
uint16_t cdtext_crc(const uint8_t *data, size_t size);
bool cdtext_pack_crc_ok(const uint8_t pack[static CDTEXT_PACK_SIZE]);

/* The packs for the layout's text: n_packs * 18 bytes (NULL and 0 when the layout has no text).
 * -IMAPI_ERROR_LIMITS_EXCEEDED beyond 256 packs, -EINVAL for text that is not ISO 8859-1. */
int cdtext_build(const AudioLayout *l, uint8_t **ret_packs, size_t *ret_n_packs);
/* How many packs cdtext_build() would make (without the 256 limit). */
int cdtext_count_packs(const AudioLayout *l, size_t *ret_n_packs);

/* 18 bytes ↔ 24 six-bit symbols. Unspreading ignores bits 7-6 (the P and Q channels). */
void cdtext_spread_pack(const uint8_t pack[static CDTEXT_PACK_SIZE],
                        uint8_t ret[static CDTEXT_SYMBOLS_PER_PACK]);
void cdtext_unspread_pack(const uint8_t symbols[static CDTEXT_SYMBOLS_PER_PACK],
                          uint8_t ret[static CDTEXT_PACK_SIZE]);

/* Fills n_blocks 96-byte lead-in blocks, the first being block number 'first_block' of the lead-in:
 * block b holds packs 4b .. 4b+3 (modulo n_packs). So a caller may fill the lead-in in any chunks. */
void cdtext_fill_subcode(const uint8_t *packs, size_t n_packs, uint64_t first_block, uint8_t *buf,
                         size_t n_blocks);

/* The inverse, for a drive (emulator) that received the lead-in: finds block 0's packs 0..N-1 (N from
 * the 8Fh record) among the CRC-valid packs in 'size' bytes of R-W data, whatever the cycle's phase.
 * -EBADMSG when size is not a multiple of 96, or a pack is missing. */
int cdtext_packs_from_subcode(const uint8_t *buf, size_t size, uint8_t **ret_packs, size_t *ret_n_packs);

#define CDTEXT_TEXT_KINDS 7 /* 80h..85h and 8Eh */

typedef struct CdText {
        uint8_t charset;
        uint8_t first_track;
        uint8_t last_track;
        uint8_t copyright;
        uint8_t language;        /* of block 0 */
        uint8_t pack_counts[16]; /* of types 80h..8Fh, from the 8Fh record */
        bool has_size_info;
        char *text[CDTEXT_TEXT_KINDS][AUDIO_TRACKS_MAX + 1]; /* UTF-8 by kind and track (0 = disc) */
} CdText;

CdText *cdtext_free(CdText *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CdText, cdtext_free)

/* Parses 'size' bytes of packs (as READ TOC format 0101b returns after its 4-byte header). Every pack's
 * CRC is checked (-EBADMSG); only block 0 is read; TAB texts repeat the previous track's; double-byte
 * (MS-JIS) text → -EOPNOTSUPP. */
int cdtext_parse(const uint8_t *packs, size_t size, CdText **ret);

/* The text of one kind (80h..85h, 8Eh) for a track (0 = the disc); NULL when absent or empty. */
const char *cdtext_get(const CdText *t, CdTextPackType type, unsigned track);

/* Copies titles, performers, MCN and ISRCs into a layout's tracks 1..n_tracks (for a text cue sheet). */
void cdtext_apply_to_layout(const CdText *t, AudioLayout *l);
