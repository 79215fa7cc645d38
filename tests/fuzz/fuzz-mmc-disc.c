/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target: the disc answers of MMC-6 — READ DISC INFORMATION, READ TRACK INFORMATION, READ TOC
 * formats 0, 1, 2, 4 and 5 (TOC, session, full TOC, ATIP, CD-TEXT), READ CAPACITY, READ FORMAT
 * CAPACITIES, READ DISC STRUCTURE (write protection) and GET EVENT STATUS NOTIFICATION. The first byte
 * picks the parser (tests/fuzz/make-corpus.c writes the seeds that way). */
#include <stdlib.h>

#include "audio-cdtext.h"
#include "fuzz.h"
#include "mmc-disc.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        return 0;
}

static void fuzz_cd_text(const uint8_t *data, size_t size)
{
        g_autoptr(CdText) text = NULL;
        MmcCdTextPacks packs;

        if (mmc_cd_text_parse(data, size, &packs) < 0)
                return;
        /* The packs point into the answer: all of them must lie inside it. */
        (void) fuzz_touch(packs.packs, packs.n * CDTEXT_PACK_SIZE);
        (void) cdtext_parse(packs.packs, packs.n * CDTEXT_PACK_SIZE, &text);
}

static void fuzz_tables(unsigned which, const uint8_t *data, size_t size)
{
        static MmcFullToc full; /* ~5 KiB */
        MmcFormatCapacities caps;
        MmcToc toc;

        switch (which) {
        case 2:
                if (mmc_toc_parse(data, size, &toc) >= 0 && toc.n > MMC_TOC_TRACKS_MAX)
                        abort();
                break;
        case 4:
                if (mmc_full_toc_parse(data, size, &full) >= 0 && full.n > MMC_FULL_TOC_MAX)
                        abort();
                break;
        default:
                if (mmc_format_capacities_parse(data, size, &caps) >= 0) {
                        if (caps.n > MMC_FORMAT_DESCRIPTORS_MAX)
                                abort();
                        (void) mmc_format_capacities_find(&caps, 0x00);
                        (void) mmc_format_capacities_find(&caps, 0x26);
                }
                break;
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        unsigned which = fuzz_select(&data, &size, 11);
        MmcWriteProtection wp;
        MmcSessionInfo session;
        MmcMediaEvent event;
        MmcTrackInfo track;
        MmcCapacity cap;
        MmcDiscInfo disc;
        MmcAtip atip;

        switch (which) {
        case 0:
                (void) mmc_disc_info_parse(data, size, &disc);
                break;
        case 1:
                (void) mmc_track_info_parse(data, size, &track);
                break;
        case 3:
                (void) mmc_session_info_parse(data, size, &session);
                break;
        case 5:
                (void) mmc_atip_parse(data, size, &atip);
                break;
        case 6:
                fuzz_cd_text(data, size);
                break;
        case 7:
                (void) mmc_capacity_parse(data, size, &cap);
                break;
        case 9:
                (void) mmc_write_protection_parse(data, size, &wp);
                break;
        case 10:
                (void) mmc_media_event_parse(data, size, &event);
                break;
        default: /* 2 TOC, 4 full TOC, 8 format capacities */
                fuzz_tables(which, data, size);
                break;
        }
        return 0;
}
