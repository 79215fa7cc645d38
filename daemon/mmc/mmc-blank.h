/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Long operations: BLANK and FORMAT UNIT sent with Immed, and waiting for the drive with progress from
 * the sense-key-specific bytes of TEST UNIT READY / REQUEST SENSE. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmc-media.h"
#include "transport.h"

/* Progress: done out of 65536 (progress_valid false when the drive gave none). Return <0 to stop
 * waiting (the drive goes on; that value is returned). */
typedef int (*MmcProgressFunc)(bool progress_valid, uint32_t done, void *userdata);

/* Polls TEST UNIT READY (no retries) until the drive is ready, reporting progress; timeout_ms 0: one
 * hour. Poll interval: mmc_set_poll_interval_ms(). Errors other than "not ready, in progress/becoming
 * ready" end the wait with their code; the timeout with -IMAPI_ERROR_RECORDER_COMMAND_TIMEOUT. */
int mmc_wait_ready(Transport *t, unsigned timeout_ms, MmcProgressFunc progress, void *userdata);

/* Default 500 ms; tests shorten it. 0 restores the default. */
void mmc_set_poll_interval_ms(unsigned ms);

/* MMC-6 §6.1 blanking types. */
typedef enum MmcBlankType {
        MMC_BLANK_FULL = 0,
        MMC_BLANK_MINIMAL = 1,
        MMC_BLANK_TRACK = 2,
        MMC_BLANK_UNRESERVE_TRACK = 3,
        MMC_BLANK_TRACK_TAIL = 4,
        MMC_BLANK_UNCLOSE_SESSION = 5,
        MMC_BLANK_SESSION = 6,
} MmcBlankType;

/* BLANK with Immed, then mmc_wait_ready(). */
int mmc_blank(Transport *t, uint8_t type, uint32_t address, unsigned timeout_ms, MmcProgressFunc progress,
              void *userdata);

/* One format descriptor (MMC-6 §6.4). */
typedef struct MmcFormatRequest {
        uint8_t type;    /* 00h full, 26h DVD+RW, 30h/31h BD-RE with/without spares, 13h/15h DVD-RW ... */
        uint8_t subtype; /* BD: 0 quick, 2 full certification, 3 quick certification */
        uint32_t blocks;
        uint32_t parameter; /* type dependent */
} MmcFormatRequest;

/* The 12-byte parameter list: format list header (FOV, Immed) and the descriptor. Pure. */
void mmc_format_list_build(uint8_t list[12], const MmcFormatRequest *r, bool immed);
/* FORMAT UNIT with Immed, then mmc_wait_ready(). */
int mmc_format_unit(Transport *t, const MmcFormatRequest *r, unsigned timeout_ms, MmcProgressFunc progress,
                    void *userdata);
/* The format imapid uses for a medium that needs one (MediaInfo.needs_format), from its READ FORMAT
 * CAPACITIES: DVD+RW 26h, BD-RE 30h (default spares, no certification), DVD-RAM 00h, DVD-RW 13h/15h.
 * -IMAPI_ERROR_NOT_SUPPORTED for other media. Pure. */
int mmc_format_request_for_medium(const MediaInfo *m, MmcFormatRequest *ret);
