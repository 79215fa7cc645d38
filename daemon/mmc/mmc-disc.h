/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What is on the disc: READ DISC INFORMATION, READ TRACK INFORMATION, READ TOC/PMA/ATIP, READ CAPACITY,
 * READ FORMAT CAPACITIES, READ DISC STRUCTURE (write protection), GET EVENT STATUS NOTIFICATION.
 *
 * Each response has a pure parser, foo_parse(buf, len, ret): bounds-checked, tolerant of short answers
 * where the missing part is optional, -EBADMSG where it is not; ret is written only on success. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "transport.h"

/* MMC-6 §6.21 (disc information): Disc Status and State of Last Session. */
typedef enum MmcDiscStatus {
        MMC_DISC_STATUS_EMPTY = 0,
        MMC_DISC_STATUS_INCOMPLETE = 1, /* appendable */
        MMC_DISC_STATUS_COMPLETE = 2,   /* finalized */
        MMC_DISC_STATUS_OTHER = 3,      /* e.g. random-access media */
} MmcDiscStatus;

typedef enum MmcSessionState {
        MMC_SESSION_STATE_EMPTY = 0,
        MMC_SESSION_STATE_INCOMPLETE = 1,
        MMC_SESSION_STATE_DAMAGED = 2,
        MMC_SESSION_STATE_COMPLETE = 3,
} MmcSessionState;

typedef struct MmcDiscInfo {
        uint8_t disc_status;        /* MmcDiscStatus */
        uint8_t last_session_state; /* MmcSessionState */
        bool erasable;
        uint16_t first_track;
        uint16_t sessions; /* includes an empty or incomplete last session */
        uint16_t first_track_last_session;
        uint16_t last_track_last_session;
        bool did_valid, dbc_valid, uru, dac_valid, dbit;
        uint8_t bg_format_status; /* 0 none, 1 started/stopped, 2 in progress, 3 completed */
        uint8_t disc_type;        /* 00h CD-DA/CD-ROM, 10h CD-I, 20h CD-ROM XA, FFh undefined */
        uint32_t disc_id;
        uint32_t last_session_lead_in; /* as sent: MSF (0 M S F) on CD, LBA otherwise */
        uint32_t last_possible_lead_out;
        uint8_t disc_application_code;
} MmcDiscInfo;

int mmc_disc_info_parse(const uint8_t *buf, size_t len, MmcDiscInfo *ret);
int mmc_read_disc_information(Transport *t, MmcDiscInfo *ret);

/* READ TRACK INFORMATION address types. */
#define MMC_TRACK_ADDRESS_LBA     0
#define MMC_TRACK_ADDRESS_TRACK   1
#define MMC_TRACK_ADDRESS_SESSION 2
#define MMC_TRACK_INVISIBLE       0xff /* CD: the incomplete or invisible track */

typedef struct MmcTrackInfo {
        uint16_t track;
        uint16_t session;
        bool damage, copy;
        uint8_t track_mode; /* control nibble: bit 2 data */
        bool rt, blank, packet, fp;
        uint8_t data_mode; /* 1 mode 1, 2 mode 2, 0Fh unknown */
        bool lra_valid, nwa_valid;
        uint32_t start;
        uint32_t nwa;
        uint32_t free_blocks;
        uint32_t fixed_packet_size;
        uint32_t size;
        uint32_t last_recorded;
        uint32_t read_compat_lba;
} MmcTrackInfo;

/* MMC-6 §6.26 (track information): at least 28 bytes (through Track Size). */
int mmc_track_info_parse(const uint8_t *buf, size_t len, MmcTrackInfo *ret);
int mmc_read_track_information(Transport *t, uint8_t address_type, uint32_t address, MmcTrackInfo *ret);

/* MMC-6 §6.25 format 0: the TOC; the lead-out is the entry with track AAh. */
#define MMC_TOC_TRACKS_MAX 101
#define MMC_TOC_LEAD_OUT   0xaa

typedef struct MmcTocEntry {
        uint8_t adr, control; /* control bit 2: data track */
        uint8_t track;
        uint32_t address; /* LBA (the reader asks with MSF=0) */
} MmcTocEntry;

typedef struct MmcToc {
        uint8_t first_track, last_track;
        size_t n;
        MmcTocEntry entries[MMC_TOC_TRACKS_MAX];
} MmcToc;

int mmc_toc_parse(const uint8_t *buf, size_t len, MmcToc *ret);
int mmc_read_toc(Transport *t, MmcToc *ret);

/* MMC-6 §6.25 format 1: session information. */
typedef struct MmcSessionInfo {
        uint8_t first_session, last_session; /* complete sessions */
        uint8_t adr, control;
        uint8_t first_track_last_session;
        uint32_t start; /* LBA of that track */
} MmcSessionInfo;

int mmc_session_info_parse(const uint8_t *buf, size_t len, MmcSessionInfo *ret);
int mmc_read_session_info(Transport *t, MmcSessionInfo *ret);

/* MMC-6 §6.25 format 2: the raw TOC (Q sub-channel of the lead-ins). */
#define MMC_FULL_TOC_MAX 400

typedef struct MmcFullTocEntry {
        uint8_t session, adr, control, tno, point;
        uint8_t min, sec, frame, zero, pmin, psec, pframe;
} MmcFullTocEntry;

typedef struct MmcFullToc {
        uint8_t first_session, last_session;
        size_t n;
        MmcFullTocEntry entries[MMC_FULL_TOC_MAX];
} MmcFullToc;

int mmc_full_toc_parse(const uint8_t *buf, size_t len, MmcFullToc *ret);
int mmc_read_full_toc(Transport *t, MmcFullToc *ret); /* ret: ~5 KiB, allocate it */

/* MMC-6 §6.25 format 4: ATIP of a CD-R/RW. */
typedef struct MmcAtip {
        uint8_t writing_power, reference_speed;
        bool ddcd, uru;
        bool rewritable; /* disc type bit: CD-RW */
        uint8_t disc_sub_type;
        bool a1_valid, a2_valid, a3_valid;
        int32_t lead_in_start; /* LBA, negative (MSF ≥ 90:00:00) */
        int32_t last_lead_out; /* LBA of the last possible lead-out start */
} MmcAtip;

int mmc_atip_parse(const uint8_t *buf, size_t len, MmcAtip *ret);
int mmc_read_atip(Transport *t, MmcAtip *ret);

/* MMC-6 §6.25 format 5: CD-TEXT packs (18 bytes each), pointing into buf. */
typedef struct MmcCdTextPacks {
        size_t n;
        const uint8_t *packs;
} MmcCdTextPacks;

int mmc_cd_text_parse(const uint8_t *buf, size_t len, MmcCdTextPacks *ret);
/* Returns the raw answer (header included) in *ret_buf, its length in *ret_len. */
int mmc_read_cd_text(Transport *t, uint8_t **ret_buf, size_t *ret_len);

/* MMC-6 §6.18: READ CAPACITY. */
typedef struct MmcCapacity {
        uint32_t last_lba;
        uint32_t block_length;
} MmcCapacity;

int mmc_capacity_parse(const uint8_t *buf, size_t len, MmcCapacity *ret);
int mmc_read_capacity(Transport *t, MmcCapacity *ret);

/* MMC-6 §6.23: READ FORMAT CAPACITIES. */
#define MMC_FORMAT_DESCRIPTORS_MAX 32
#define MMC_CAPACITY_UNFORMATTED   1
#define MMC_CAPACITY_FORMATTED     2
#define MMC_CAPACITY_NO_MEDIUM     3

typedef struct MmcFormatDescriptor {
        uint32_t blocks;
        uint8_t type; /* format type, MMC-6 §6.4 FORMAT UNIT */
        uint32_t parameter;
} MmcFormatDescriptor;

typedef struct MmcFormatCapacities {
        uint32_t current_blocks;
        uint8_t current_type; /* MMC_CAPACITY_* */
        uint32_t current_block_length;
        size_t n;
        MmcFormatDescriptor formats[MMC_FORMAT_DESCRIPTORS_MAX];
} MmcFormatCapacities;

int mmc_format_capacities_parse(const uint8_t *buf, size_t len, MmcFormatCapacities *ret);
int mmc_read_format_capacities(Transport *t, MmcFormatCapacities *ret);
const MmcFormatDescriptor *mmc_format_capacities_find(const MmcFormatCapacities *f, uint8_t type);

/* MMC-6 §6.22 READ DISC STRUCTURE, format C0h (DVD and BD): write protection status. */
typedef struct MmcWriteProtection {
        bool mswi, cwp, pwp, swpp;
} MmcWriteProtection;

int mmc_write_protection_parse(const uint8_t *buf, size_t len, MmcWriteProtection *ret);
int mmc_read_write_protection(Transport *t, uint8_t media_type, MmcWriteProtection *ret);

/* MMC-6 §6.6: the media event class of GET EVENT STATUS NOTIFICATION. */
typedef struct MmcMediaEvent {
        bool nea; /* no event available: the drive has no such class */
        uint8_t notification_class;
        uint8_t supported_classes;
        uint8_t event_code; /* 0 none, 1 eject request, 2 new media, 3 removal, 4 changed */
        bool media_present;
        bool tray_open;
} MmcMediaEvent;

int mmc_media_event_parse(const uint8_t *buf, size_t len, MmcMediaEvent *ret);
int mmc_get_media_event(Transport *t, MmcMediaEvent *ret);

/* MSF (M < 90: program area and lead-out; M ≥ 90: lead-in) to LBA, as in MMC-6 Table 1. */
int32_t mmc_msf_to_lba(uint8_t m, uint8_t s, uint8_t f);
