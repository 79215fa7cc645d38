/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The write side for the burn engine: write parameters (mode page 05h), RESERVE TRACK, WRITE(10)/(12),
 * READ BUFFER CAPACITY, SYNCHRONIZE CACHE, CLOSE TRACK/SESSION (the close recipe of each medium), SEND
 * CUE SHEET, and READ(10)/(12)/READ CD to read blocks back. README.md has the sequences. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmc-media.h"
#include "transport.h"

#define MMC_PAGE_WRITE_PARAMETERS     0x05
#define MMC_PAGE_WRITE_PARAMETERS_LEN 0x32 /* page length byte: a 52-byte page (MMC-5 §7.5) */

/* Page 05h Write Type. */
typedef enum MmcWriteType {
        MMC_WRITE_TYPE_INCREMENTAL = 0, /* packet/incremental (DVD-R incremental streaming) */
        MMC_WRITE_TYPE_TAO = 1,
        MMC_WRITE_TYPE_SAO = 2, /* session at once (CD) / disc at once (DVD-R) */
        MMC_WRITE_TYPE_RAW = 3,
        MMC_WRITE_TYPE_LAYER_JUMP = 4,
} MmcWriteType;

/* Page 05h Multi-session field. */
typedef enum MmcMultiSession {
        MMC_MULTISESSION_FINAL = 0, /* no next session: the disc is finalized at close */
        MMC_MULTISESSION_NO_B0 = 1, /* next session not allowed, B0 pointer FF:FF:FF */
        MMC_MULTISESSION_OPEN = 3,  /* next session allowed: the disc stays appendable */
} MmcMultiSession;

/* Page 05h Data Block Type (the ones imapid writes). */
#define MMC_BLOCK_TYPE_RAW_2352    0 /* CD-DA */
#define MMC_BLOCK_TYPE_MODE1_2048  8 /* CD mode 1, DVD, BD */
#define MMC_BLOCK_TYPE_MODE2_FORM1 10

/* Track mode (the CONTROL nibble of the Q sub-channel). */
#define MMC_TRACK_MODE_AUDIO            0x0 /* 2 channels, no pre-emphasis, copy prohibited */
#define MMC_TRACK_MODE_AUDIO_COPY       0x2 /* copy permitted */
#define MMC_TRACK_MODE_DATA             0x4 /* data, recorded uninterrupted */
#define MMC_TRACK_MODE_DATA_INCREMENTAL 0x5

typedef struct MmcWriteParameters {
        uint8_t write_type;   /* MmcWriteType */
        bool test_write;      /* simulate: the laser stays at read power */
        bool bufe;            /* buffer under-run free recording */
        uint8_t multisession; /* MmcMultiSession */
        bool fixed_packet;
        bool copy;
        uint8_t track_mode;
        uint8_t data_block_type;
        bool link_size_valid;
        uint8_t link_size;
        uint8_t session_format; /* 00h CD-DA/CD-ROM, 20h CD-ROM XA */
        uint32_t packet_size;
        uint16_t audio_pause_length;
        char mcn[14];  /* 13 digits, or "" for none */
        char isrc[13]; /* 12 characters (CCOOOYYSSSSS), or "" for none */
} MmcWriteParameters;

/* Presets for the recipes of README.md. */
void mmc_write_parameters_cd_data_tao(MmcWriteParameters *p, bool test_write, bool bufe, bool keep_open);
void mmc_write_parameters_cd_audio_tao(MmcWriteParameters *p, bool test_write, bool bufe, bool keep_open);
void mmc_write_parameters_cd_audio_sao(MmcWriteParameters *p, bool test_write, bool bufe, const char *mcn);
/* DVD-R/-RW sequential: incremental (link size from feature 0021h, 16 when 0) or DAO. */
void mmc_write_parameters_dvd_minus(MmcWriteParameters *p, bool incremental, bool test_write, bool bufe,
                                    bool keep_open, uint8_t link_size);

/* Fills page[0..page_len) (page_len ≥ 52: the drive's page length + 2). Pure. -EINVAL for an MCN or
 * ISRC of the wrong shape. */
int mmc_write_parameters_page_build(const MmcWriteParameters *p, uint8_t *page, size_t page_len);
/* MODE SENSE page 05h (for the drive's page length), then MODE SELECT with p. */
int mmc_set_write_parameters(Transport *t, const MmcWriteParameters *p);

/* MMC-6 §6.30: reserves blocks for the next track (DVD+R, DVD-R DAO, BD-R). */
int mmc_reserve_track(Transport *t, uint32_t blocks);

/* Writes blocks × block_size bytes at lba: WRITE(10), or WRITE(12) past 65535 blocks or with streaming
 * (BD/DVD: no verify-after-write). */
int mmc_write(Transport *t, uint32_t lba, const void *buf, uint32_t blocks, size_t block_size,
              bool streaming);

/* Reads back: READ(10)/(12) for 2048-byte blocks, READ CD for CD-DA (2352-byte user data). */
int mmc_read(Transport *t, uint32_t lba, void *buf, uint32_t blocks, size_t block_size);
int mmc_read_cd(Transport *t, uint32_t lba, void *buf, uint32_t blocks, size_t block_size);

/* MMC-6 §6.17, Block = 0. */
typedef struct MmcBufferCapacity {
        uint32_t size;  /* bytes */
        uint32_t blank; /* bytes free */
} MmcBufferCapacity;

int mmc_buffer_capacity_parse(const uint8_t *buf, size_t len, MmcBufferCapacity *ret);
int mmc_read_buffer_capacity(Transport *t, MmcBufferCapacity *ret);

/* SYNCHRONIZE CACHE with Immed, then TEST UNIT READY until the drive has written its buffer
 * (timeout_ms 0: 15 minutes). */
int mmc_synchronize_cache(Transport *t, unsigned timeout_ms);

/* Close functions (MMC-6 §6.2). */
#define MMC_CLOSE_TRACK                   0x1
#define MMC_CLOSE_SESSION                 0x2 /* CD: finalization per page 05h; DVD+R/BD-R: stay appendable */
#define MMC_CLOSE_FINALIZE_MINIMAL_RADIUS 0x5 /* DVD+R, DVD+R DL: finalize */
#define MMC_CLOSE_FINALIZE                0x6 /* BD-R: finalize */

/* CLOSE TRACK/SESSION with Immed, then TEST UNIT READY until done. */
int mmc_close_track_session(Transport *t, uint8_t close_function, uint16_t number, unsigned timeout_ms);

/* What has to be closed after the last WRITE of a write run, per medium (README.md):
 *   CD TAO: CLOSE SESSION (010b), finalization chosen by page 05h; CD SAO and DVD-R DAO: nothing.
 *   DVD-R/-RW incremental: CLOSE TRACK, then CLOSE SESSION.
 *   DVD+R, DVD+R DL, BD-R: CLOSE TRACK, then CLOSE SESSION, or finalize (101b DVD+R, 110b BD-R).
 *   DVD+RW, DVD-RW restricted overwrite: CLOSE SESSION (ends background formatting). BD-RE, DVD-RAM:
 *   nothing.
 * track: the number of the track just written; dao: the run was SAO/DAO. SYNCHRONIZE CACHE comes first,
 * from the caller. */
int mmc_close_after_write(Transport *t, const MediaInfo *m, uint16_t track, bool finalize, bool dao);

/* MMC-6 §6.35: len a multiple of 8. */
int mmc_send_cue_sheet(Transport *t, const void *cue_sheet, size_t len);
