/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Typed CDB builders: one function per SCSI/MMC command, each filling a fresh ScsiCommand.
 *
 * Every builder starts from a zeroed command, so nothing leaks from a previous use and there are no
 * mutable templates. Allocation/transfer lengths that do not fit the CDB field are clamped, and the
 * data length follows the clamp, so a builder never asks for more than the buffer holds.
 *
 * Section numbers are those of the MMC-6 working draft (T10/1836-D revision 2g) and SPC-3 (T10/1416-D
 * revision 23); the command name follows each number so that a reader holding another revision can
 * find it. Opcodes: MMC-6 Table 5 / SPC-3 Annex D. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "bytes.h"
#include "transport.h"

typedef enum ScsiOpcode {
        SCSI_OP_TEST_UNIT_READY = 0x00,
        SCSI_OP_REQUEST_SENSE = 0x03,
        SCSI_OP_FORMAT_UNIT = 0x04,
        SCSI_OP_INQUIRY = 0x12,
        SCSI_OP_START_STOP_UNIT = 0x1b,
        SCSI_OP_PREVENT_ALLOW_MEDIUM_REMOVAL = 0x1e,
        SCSI_OP_READ_FORMAT_CAPACITIES = 0x23,
        SCSI_OP_READ_CAPACITY = 0x25,
        SCSI_OP_READ_10 = 0x28,
        SCSI_OP_WRITE_10 = 0x2a,
        SCSI_OP_SYNCHRONIZE_CACHE = 0x35,
        SCSI_OP_READ_TOC_PMA_ATIP = 0x43,
        SCSI_OP_GET_CONFIGURATION = 0x46,
        SCSI_OP_GET_EVENT_STATUS_NOTIFICATION = 0x4a,
        SCSI_OP_READ_DISC_INFORMATION = 0x51,
        SCSI_OP_READ_TRACK_INFORMATION = 0x52,
        SCSI_OP_RESERVE_TRACK = 0x53,
        SCSI_OP_MODE_SELECT_10 = 0x55,
        SCSI_OP_MODE_SENSE_10 = 0x5a,
        SCSI_OP_CLOSE_TRACK_SESSION = 0x5b,
        SCSI_OP_READ_BUFFER_CAPACITY = 0x5c,
        SCSI_OP_SEND_CUE_SHEET = 0x5d,
        SCSI_OP_BLANK = 0xa1,
        SCSI_OP_READ_12 = 0xa8,
        SCSI_OP_WRITE_12 = 0xaa,
        SCSI_OP_GET_PERFORMANCE = 0xac,
        SCSI_OP_READ_DISC_STRUCTURE = 0xad,
        SCSI_OP_SET_STREAMING = 0xb6,
        SCSI_OP_SET_CD_SPEED = 0xbb,
        SCSI_OP_READ_CD = 0xbe,
} ScsiOpcode;

/* Timeouts for commands that may run long when not sent with Immed. 0 = the transport's default. */
#define CDB_TIMEOUT_LONG_MS  (60u * 60u * 1000u) /* BLANK, FORMAT UNIT: up to an hour (and more) */
#define CDB_TIMEOUT_CLOSE_MS (15u * 60u * 1000u) /* CLOSE TRACK/SESSION, SYNCHRONIZE CACHE */
#define CDB_TIMEOUT_WRITE_MS (2u * 60u * 1000u)  /* WRITE: a drive may wait for OPC or spin-up */

#define CDB_ALLOC16_MAX 0xffffu

static inline void cdb_init(ScsiCommand *cmd, uint8_t opcode, size_t cdb_len, TransportDirection dir,
                            void *data, size_t data_len)
{
        *cmd = (ScsiCommand){
                .cdb_len = cdb_len,
                .direction = data_len > 0 ? dir : TRANSPORT_DIRECTION_NONE,
                .data = data_len > 0 ? data : NULL,
                .data_len = data_len,
        };
        cmd->cdb[0] = opcode;
}

static inline size_t cdb_clamp16(size_t len)
{
        return len > CDB_ALLOC16_MAX ? CDB_ALLOC16_MAX : len;
}

/* SPC-3 §6.33 TEST UNIT READY */
static inline void cdb_test_unit_ready(ScsiCommand *cmd)
{
        cdb_init(cmd, SCSI_OP_TEST_UNIT_READY, 6, TRANSPORT_DIRECTION_NONE, NULL, 0);
}

/* SPC-3 §6.27 REQUEST SENSE: fixed format (DESC=0); len ≤ 252. */
static inline void cdb_request_sense(ScsiCommand *cmd, void *buf, size_t len)
{
        len = len > 252 ? 252 : len;
        cdb_init(cmd, SCSI_OP_REQUEST_SENSE, 6, TRANSPORT_DIRECTION_FROM_DEVICE, buf, len);
        cmd->cdb[4] = len;
}

/* SPC-3 §6.4 INQUIRY: standard data (EVPD=0). */
static inline void cdb_inquiry(ScsiCommand *cmd, void *buf, size_t len)
{
        len = cdb_clamp16(len);
        cdb_init(cmd, SCSI_OP_INQUIRY, 6, TRANSPORT_DIRECTION_FROM_DEVICE, buf, len);
        be16_put(cmd->cdb + 3, len);
}

/* SPC-3 §6.10 MODE SENSE(10): page control 0 current, 1 changeable, 2 default, 3 saved; DBD set. */
static inline void cdb_mode_sense_10(ScsiCommand *cmd, uint8_t page_control, uint8_t page_code, void *buf,
                                     size_t len)
{
        len = cdb_clamp16(len);
        cdb_init(cmd, SCSI_OP_MODE_SENSE_10, 10, TRANSPORT_DIRECTION_FROM_DEVICE, buf, len);
        cmd->cdb[1] = 0x08; /* DBD: no block descriptors */
        cmd->cdb[2] = (uint8_t) ((page_control & 0x3) << 6 | (page_code & 0x3f));
        be16_put(cmd->cdb + 7, len);
}

/* SPC-3 §6.8 MODE SELECT(10): PF=1, SP=0; buf holds the 8-byte header and the page. */
static inline void cdb_mode_select_10(ScsiCommand *cmd, void *buf, size_t len)
{
        len = cdb_clamp16(len);
        cdb_init(cmd, SCSI_OP_MODE_SELECT_10, 10, TRANSPORT_DIRECTION_TO_DEVICE, buf, len);
        cmd->cdb[1] = 0x10; /* PF */
        be16_put(cmd->cdb + 7, len);
}

/* MMC-6 §6.13 PREVENT ALLOW MEDIUM REMOVAL (persistent prevent not used). */
static inline void cdb_prevent_allow_medium_removal(ScsiCommand *cmd, bool prevent)
{
        cdb_init(cmd, SCSI_OP_PREVENT_ALLOW_MEDIUM_REMOVAL, 6, TRANSPORT_DIRECTION_NONE, NULL, 0);
        cmd->cdb[4] = prevent ? 0x01 : 0x00;
}

/* MMC-6 §6.42 START STOP UNIT: load_eject with start → load (close tray), without → eject. */
static inline void cdb_start_stop_unit(ScsiCommand *cmd, bool immed, bool load_eject, bool start)
{
        cdb_init(cmd, SCSI_OP_START_STOP_UNIT, 6, TRANSPORT_DIRECTION_NONE, NULL, 0);
        cmd->cdb[1] = immed ? 0x01 : 0x00;
        cmd->cdb[4] = (uint8_t) ((load_eject ? 0x02 : 0) | (start ? 0x01 : 0));
}

/* MMC-6 §6.5 GET CONFIGURATION: rt 0 all features, 1 current ones, 2 the one at start_feature. */
static inline void cdb_get_configuration(ScsiCommand *cmd, uint8_t rt, uint16_t start_feature, void *buf,
                                         size_t len)
{
        len = cdb_clamp16(len);
        cdb_init(cmd, SCSI_OP_GET_CONFIGURATION, 10, TRANSPORT_DIRECTION_FROM_DEVICE, buf, len);
        cmd->cdb[1] = rt & 0x3;
        be16_put(cmd->cdb + 2, start_feature);
        be16_put(cmd->cdb + 7, len);
}

/* MMC-6 §6.6 GET EVENT STATUS NOTIFICATION, polled; class_request is a bit mask (0x10 = media). */
static inline void cdb_get_event_status_notification(ScsiCommand *cmd, uint8_t class_request, void *buf,
                                                     size_t len)
{
        len = cdb_clamp16(len);
        cdb_init(cmd, SCSI_OP_GET_EVENT_STATUS_NOTIFICATION, 10, TRANSPORT_DIRECTION_FROM_DEVICE, buf, len);
        cmd->cdb[1] = 0x01; /* Polled */
        cmd->cdb[4] = class_request;
        be16_put(cmd->cdb + 7, len);
}

/* MMC-6 §6.21 READ DISC INFORMATION: data type 000b, standard disc information. */
static inline void cdb_read_disc_information(ScsiCommand *cmd, void *buf, size_t len)
{
        len = cdb_clamp16(len);
        cdb_init(cmd, SCSI_OP_READ_DISC_INFORMATION, 10, TRANSPORT_DIRECTION_FROM_DEVICE, buf, len);
        be16_put(cmd->cdb + 7, len);
}

/* MMC-6 §6.26 READ TRACK INFORMATION: address_type 0 LBA, 1 track number (FFh: the invisible track on
 * CD), 2 session number. */
static inline void cdb_read_track_information(ScsiCommand *cmd, uint8_t address_type, uint32_t address,
                                              void *buf, size_t len)
{
        len = cdb_clamp16(len);
        cdb_init(cmd, SCSI_OP_READ_TRACK_INFORMATION, 10, TRANSPORT_DIRECTION_FROM_DEVICE, buf, len);
        cmd->cdb[1] = address_type & 0x3;
        be32_put(cmd->cdb + 2, address);
        be16_put(cmd->cdb + 7, len);
}

/* MMC-6 §6.25 READ TOC/PMA/ATIP: format 0 TOC, 1 session info, 2 full TOC, 3 PMA, 4 ATIP, 5 CD-TEXT. */
static inline void cdb_read_toc_pma_atip(ScsiCommand *cmd, uint8_t format, bool msf, uint8_t track_session,
                                         void *buf, size_t len)
{
        len = cdb_clamp16(len);
        cdb_init(cmd, SCSI_OP_READ_TOC_PMA_ATIP, 10, TRANSPORT_DIRECTION_FROM_DEVICE, buf, len);
        cmd->cdb[1] = msf ? 0x02 : 0x00;
        cmd->cdb[2] = format & 0x0f;
        cmd->cdb[6] = track_session;
        be16_put(cmd->cdb + 7, len);
}

/* MMC-6 §6.18 READ CAPACITY: 8 bytes, last LBA and block length. */
static inline void cdb_read_capacity(ScsiCommand *cmd, void *buf, size_t len)
{
        cdb_init(cmd, SCSI_OP_READ_CAPACITY, 10, TRANSPORT_DIRECTION_FROM_DEVICE, buf, len > 8 ? 8 : len);
}

/* MMC-6 §6.23 READ FORMAT CAPACITIES */
static inline void cdb_read_format_capacities(ScsiCommand *cmd, void *buf, size_t len)
{
        len = cdb_clamp16(len);
        cdb_init(cmd, SCSI_OP_READ_FORMAT_CAPACITIES, 10, TRANSPORT_DIRECTION_FROM_DEVICE, buf, len);
        be16_put(cmd->cdb + 7, len);
}

/* MMC-6 §6.22 READ DISC STRUCTURE: media_type 0 DVD/HD DVD, 1 BD; format e.g. C0h write protection. */
static inline void cdb_read_disc_structure(ScsiCommand *cmd, uint8_t media_type, uint32_t address,
                                           uint8_t layer, uint8_t format, void *buf, size_t len)
{
        len = cdb_clamp16(len);
        cdb_init(cmd, SCSI_OP_READ_DISC_STRUCTURE, 12, TRANSPORT_DIRECTION_FROM_DEVICE, buf, len);
        cmd->cdb[1] = media_type & 0x0f;
        be32_put(cmd->cdb + 2, address);
        cmd->cdb[6] = layer;
        cmd->cdb[7] = format;
        be16_put(cmd->cdb + 8, len);
}

/* MMC-6 §6.7 GET PERFORMANCE: type 03h write speed descriptors (16 bytes each after an 8-byte header),
 * or type 00h performance (data_type selects read/write, nominal/exceptions). */
static inline void cdb_get_performance(ScsiCommand *cmd, uint8_t data_type, uint32_t start_lba,
                                       uint16_t max_descriptors, uint8_t type, void *buf, size_t len)
{
        len = cdb_clamp16(len);
        cdb_init(cmd, SCSI_OP_GET_PERFORMANCE, 12, TRANSPORT_DIRECTION_FROM_DEVICE, buf, len);
        cmd->cdb[1] = data_type & 0x1f;
        be32_put(cmd->cdb + 2, start_lba);
        be16_put(cmd->cdb + 8, max_descriptors);
        cmd->cdb[10] = type;
}

/* MMC-6 §6.39 SET CD SPEED: kB/s (k = 1000); 0xFFFF = as fast as possible. rotation 0 CLV, 1 CAV. */
static inline void cdb_set_cd_speed(ScsiCommand *cmd, uint8_t rotation, uint16_t read_kbps,
                                    uint16_t write_kbps)
{
        cdb_init(cmd, SCSI_OP_SET_CD_SPEED, 12, TRANSPORT_DIRECTION_NONE, NULL, 0);
        cmd->cdb[1] = rotation & 0x3;
        be16_put(cmd->cdb + 2, read_kbps);
        be16_put(cmd->cdb + 4, write_kbps);
}

/* MMC-6 §6.41 SET STREAMING: type 00h, buf holds one 28-byte performance descriptor. */
static inline void cdb_set_streaming(ScsiCommand *cmd, void *buf, size_t len)
{
        len = cdb_clamp16(len);
        cdb_init(cmd, SCSI_OP_SET_STREAMING, 12, TRANSPORT_DIRECTION_TO_DEVICE, buf, len);
        cmd->cdb[8] = 0x00;
        be16_put(cmd->cdb + 9, len);
}

/* MMC-6 §6.30 RESERVE TRACK: reservation size in blocks (ARSV=0). */
static inline void cdb_reserve_track(ScsiCommand *cmd, uint32_t blocks)
{
        cdb_init(cmd, SCSI_OP_RESERVE_TRACK, 10, TRANSPORT_DIRECTION_NONE, NULL, 0);
        be32_put(cmd->cdb + 5, blocks);
}

/* MMC-6 §6.46 WRITE(10): buf holds blocks × block size bytes. */
static inline void cdb_write_10(ScsiCommand *cmd, uint32_t lba, uint16_t blocks, const void *buf, size_t len)
{
        cdb_init(cmd, SCSI_OP_WRITE_10, 10, TRANSPORT_DIRECTION_TO_DEVICE, (void *) buf, len);
        be32_put(cmd->cdb + 2, lba);
        be16_put(cmd->cdb + 7, blocks);
        cmd->timeout_ms = CDB_TIMEOUT_WRITE_MS;
}

/* MMC-6 §6.47 WRITE(12): streaming asks the drive to favour throughput over defect management. */
static inline void cdb_write_12(ScsiCommand *cmd, uint32_t lba, uint32_t blocks, bool streaming,
                                const void *buf, size_t len)
{
        cdb_init(cmd, SCSI_OP_WRITE_12, 12, TRANSPORT_DIRECTION_TO_DEVICE, (void *) buf, len);
        be32_put(cmd->cdb + 2, lba);
        be32_put(cmd->cdb + 6, blocks);
        cmd->cdb[10] = streaming ? 0x80 : 0x00;
        cmd->timeout_ms = CDB_TIMEOUT_WRITE_MS;
}

/* MMC-6 §6.14 READ(10) */
static inline void cdb_read_10(ScsiCommand *cmd, uint32_t lba, uint16_t blocks, void *buf, size_t len)
{
        cdb_init(cmd, SCSI_OP_READ_10, 10, TRANSPORT_DIRECTION_FROM_DEVICE, buf, len);
        be32_put(cmd->cdb + 2, lba);
        be16_put(cmd->cdb + 7, blocks);
}

/* MMC-6 §6.15 READ(12) */
static inline void cdb_read_12(ScsiCommand *cmd, uint32_t lba, uint32_t blocks, void *buf, size_t len)
{
        cdb_init(cmd, SCSI_OP_READ_12, 12, TRANSPORT_DIRECTION_FROM_DEVICE, buf, len);
        be32_put(cmd->cdb + 2, lba);
        be32_put(cmd->cdb + 6, blocks);
}

/* MMC-6 §6.19 READ CD: any sector type, user data only (2352 bytes for CD-DA, 2048 for mode 1). */
static inline void cdb_read_cd(ScsiCommand *cmd, uint32_t lba, uint32_t blocks, void *buf, size_t len)
{
        cdb_init(cmd, SCSI_OP_READ_CD, 12, TRANSPORT_DIRECTION_FROM_DEVICE, buf, len);
        be32_put(cmd->cdb + 2, lba);
        be24_put(cmd->cdb + 6, blocks);
        cmd->cdb[9] = 0x10; /* User Data */
}

/* MMC-6 §6.17 READ BUFFER CAPACITY: Block=0, lengths in bytes. */
static inline void cdb_read_buffer_capacity(ScsiCommand *cmd, void *buf, size_t len)
{
        len = cdb_clamp16(len);
        cdb_init(cmd, SCSI_OP_READ_BUFFER_CAPACITY, 10, TRANSPORT_DIRECTION_FROM_DEVICE, buf, len);
        be16_put(cmd->cdb + 7, len);
}

/* MMC-6 §6.43 SYNCHRONIZE CACHE */
static inline void cdb_synchronize_cache(ScsiCommand *cmd, bool immed)
{
        cdb_init(cmd, SCSI_OP_SYNCHRONIZE_CACHE, 10, TRANSPORT_DIRECTION_NONE, NULL, 0);
        cmd->cdb[1] = immed ? 0x02 : 0x00;
        cmd->timeout_ms = immed ? 0 : CDB_TIMEOUT_CLOSE_MS;
}

/* MMC-6 §6.2 CLOSE TRACK SESSION: close_function 001b track, 010b session, 101b/110b finalize. */
static inline void cdb_close_track_session(ScsiCommand *cmd, bool immed, uint8_t close_function,
                                           uint16_t number)
{
        cdb_init(cmd, SCSI_OP_CLOSE_TRACK_SESSION, 10, TRANSPORT_DIRECTION_NONE, NULL, 0);
        cmd->cdb[1] = immed ? 0x01 : 0x00;
        cmd->cdb[2] = close_function & 0x7;
        be16_put(cmd->cdb + 4, number);
        cmd->timeout_ms = immed ? 0 : CDB_TIMEOUT_CLOSE_MS;
}

/* MMC-6 §6.35 SEND CUE SHEET: len is a multiple of 8 (one entry each). */
static inline void cdb_send_cue_sheet(ScsiCommand *cmd, const void *buf, size_t len)
{
        len = len > 0xffffffu ? 0xffffffu : len;
        cdb_init(cmd, SCSI_OP_SEND_CUE_SHEET, 10, TRANSPORT_DIRECTION_TO_DEVICE, (void *) buf, len);
        be24_put(cmd->cdb + 6, len);
}

/* MMC-6 §6.1 BLANK: type 000b full, 001b minimal, 010b track, 011b unreserve track, 100b track tail,
 * 101b unclose last session, 110b erase session. */
static inline void cdb_blank(ScsiCommand *cmd, bool immed, uint8_t type, uint32_t address)
{
        cdb_init(cmd, SCSI_OP_BLANK, 12, TRANSPORT_DIRECTION_NONE, NULL, 0);
        cmd->cdb[1] = (uint8_t) ((immed ? 0x10 : 0x00) | (type & 0x7));
        be32_put(cmd->cdb + 2, address);
        cmd->timeout_ms = immed ? 0 : CDB_TIMEOUT_LONG_MS;
}

/* MMC-6 §6.4 FORMAT UNIT: FmtData=1, format code 001b; buf holds the 4-byte format list header and one
 * 8-byte format descriptor. The Immed bit lives in the header (byte 1 bit 1), set by the caller. */
static inline void cdb_format_unit(ScsiCommand *cmd, bool immed, const void *buf, size_t len)
{
        cdb_init(cmd, SCSI_OP_FORMAT_UNIT, 6, TRANSPORT_DIRECTION_TO_DEVICE, (void *) buf, len);
        cmd->cdb[1] = 0x11; /* FmtData, Format Code 001b */
        cmd->timeout_ms = immed ? 0 : CDB_TIMEOUT_LONG_MS;
}
