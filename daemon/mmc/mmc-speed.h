/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Speeds: mode page 2Ah (capabilities and mechanical status), GET PERFORMANCE write speed descriptors,
 * SET CD SPEED and SET STREAMING. Speeds here are kB/s with k = 1000 (profile.h converts to x). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"
#include "transport.h"

#define MMC_PAGE_CAPABILITIES 0x2a
#define MMC_SPEEDS_MAX        32

/* Mode page 2Ah, MM Capabilities and Mechanical Status: defined by MMC-3 and kept as a legacy page by
 * later revisions (IMAPI v2 calls it LEGACY_CAPABILITIES); every drive still has it. */
typedef struct MmcCapabilities {
        bool cd_r_read, cd_rw_read, dvd_rom_read, dvd_r_read, dvd_ram_read;
        bool cd_r_write, cd_rw_write, test_write, dvd_r_write, dvd_ram_write;
        bool bufe; /* BUF: buffer under-run free recording */
        bool multisession;
        bool lock, lock_state, prevent_jumper, eject;
        uint8_t loading_mechanism; /* 0 caddy/slot, 1 tray, 2 pop-up, 4/5 changer */
        uint16_t buffer_size_kb;
        uint16_t max_write_kbps;     /* bytes 18-19 (obsolete, still filled by most drives) */
        uint16_t current_write_kbps; /* bytes 28-29, or 20-21 on older drives */
        size_t n_write_kbps;
        uint16_t write_kbps[MMC_SPEEDS_MAX]; /* write speed performance descriptors, as listed */
} MmcCapabilities;

/* page: the mode page from its page code byte on. At least 8 bytes; later fields are optional. */
int mmc_capabilities_parse(const uint8_t *page, size_t len, MmcCapabilities *ret);
int mmc_read_capabilities(Transport *t, MmcCapabilities *ret);

/* MMC-6 §6.7 GET PERFORMANCE, type 03h: a write speed descriptor. */
typedef struct MmcWriteSpeedDescriptor {
        uint8_t wrc; /* rotation control: 0 default (CLV), 1 CAV */
        bool rdd, exact, mrw;
        uint32_t end_lba;
        uint32_t read_kbps;
        uint32_t write_kbps;
} MmcWriteSpeedDescriptor;

typedef struct MmcWriteSpeeds {
        size_t n;
        MmcWriteSpeedDescriptor d[MMC_SPEEDS_MAX];
} MmcWriteSpeeds;

int mmc_write_speeds_parse(const uint8_t *buf, size_t len, MmcWriteSpeeds *ret);
/* GET PERFORMANCE type 03h for the loaded medium. */
int mmc_get_write_speeds(Transport *t, MmcWriteSpeeds *ret);

#define MMC_SPEED_MAX 0xffffu /* SET CD SPEED: as fast as possible */

/* MMC-6 §6.39. kB/s; MMC_SPEED_MAX for "fastest". */
int mmc_set_cd_speed(Transport *t, uint16_t read_kbps, uint16_t write_kbps);
/* MMC-6 §6.41: one performance descriptor from LBA 0 to end_lba: read_kbps/write_kbps per second. */
int mmc_set_streaming(Transport *t, uint32_t end_lba, uint32_t read_kbps, uint32_t write_kbps);
/* Fills the 28-byte SET STREAMING performance descriptor (pure; for tests and the emulator's peers). */
void mmc_streaming_descriptor_build(uint8_t d[28], uint32_t end_lba, uint32_t read_kbps,
                                    uint32_t write_kbps);

/* Sets the write speed the way drives expect it: SET STREAMING on DVD/BD (falling back to SET CD
 * SPEED), SET CD SPEED on CD. kbps 0 = fastest. end_lba: the end of the medium (from GET PERFORMANCE). */
int mmc_set_write_speed_kbps(Transport *t, MediumClass medium, uint32_t end_lba, uint32_t kbps);
