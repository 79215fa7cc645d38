/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target: CD-TEXT as a drive gives it back — cdtext_parse() on packs (READ TOC format 5 after its
 * header) and cdtext_packs_from_subcode() on lead-in R-W data (what the emulator receives), whose packs are
 * then parsed too. The first byte picks: 0 packs, 1 R-W data, 2 packs with every CRC repaired (so that the
 * fuzzer gets past the CRC check into the text decoding), 3 such packs spread over lead-in sub-channel
 * blocks by cdtext_fill_subcode() and found again. */
#include <string.h>

#include "audio-cdtext.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        return 0;
}

static void fix_crcs(uint8_t *packs, size_t size)
{
        for (size_t off = 0; off + CDTEXT_PACK_SIZE <= size; off += CDTEXT_PACK_SIZE) {
                uint16_t crc = cdtext_crc(packs + off, 16);
                packs[off + 16] = (uint8_t) (crc >> 8);
                packs[off + 17] = (uint8_t) crc;
        }
}

static void parse_packs(const uint8_t *packs, size_t size)
{
        g_autoptr(CdText) text = NULL;

        if (cdtext_parse(packs, size, &text) < 0)
                return;
        for (int track = 0; track <= AUDIO_TRACKS_MAX; track++)
                for (unsigned kind = 0; kind < CDTEXT_TEXT_KINDS; kind++)
                        if (text->text[kind][track])
                                (void) strlen(text->text[kind][track]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        g_autofree uint8_t *copy = NULL, *packs = NULL;
        unsigned mode = fuzz_select(&data, &size, 4);
        size_t n_packs = 0;

        copy = g_memdup2(data, size);
        if (mode & 2)
                fix_crcs(copy, size);
        if (!(mode & 1)) {
                parse_packs(copy, size);
                return 0;
        }
        if (mode == 3) {
                size_t n = size / CDTEXT_PACK_SIZE, n_blocks = (n + 3) / 4 * 2;
                g_autofree uint8_t *subcode = NULL;

                if (n == 0 || n > 1024)
                        return 0;
                subcode = g_malloc(n_blocks * 96);
                cdtext_fill_subcode(copy, n, size % 7, subcode, n_blocks);
                g_free(copy);
                copy = g_steal_pointer(&subcode);
                size = n_blocks * 96;
        }
        if (cdtext_packs_from_subcode(copy, size, &packs, &n_packs) < 0)
                return 0;
        (void) fuzz_touch(packs, n_packs * CDTEXT_PACK_SIZE);
        parse_packs(packs, n_packs * CDTEXT_PACK_SIZE);
        return 0;
}
