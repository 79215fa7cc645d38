/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SPC commands an optical drive needs: INQUIRY, TEST UNIT READY, REQUEST SENSE, MODE SENSE/SELECT(10),
 * PREVENT ALLOW MEDIUM REMOVAL, START STOP UNIT; with their pure response parsers. */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sense.h"
#include "transport.h"

#define SCSI_DEVICE_TYPE_MMC 0x05

typedef struct InquiryData {
        uint8_t device_type; /* peripheral device type: 05h for MMC */
        bool removable;
        char vendor[9]; /* ASCII, trimmed */
        char product[17];
        char revision[5];
} InquiryData;

/* SPC-3 §6.4.2: standard INQUIRY data. At least 8 bytes; strings are cut where the data ends. */
int inquiry_parse(const uint8_t *buf, size_t len, InquiryData *ret);
int spc_inquiry(Transport *t, InquiryData *ret);

/* 0 when a medium is ready (after retrying "becoming ready"), else the mapped error, e.g.
 * -IMAPI_ERROR_MEDIUM_NOT_PRESENT. */
int spc_test_unit_ready(Transport *t);
/* One TEST UNIT READY, no retry; the sense (if any) is returned too. 0 ready, <0 mapped error. */
int spc_test_unit_ready_once(Transport *t, ScsiSense *ret_sense);
int spc_request_sense(Transport *t, ScsiSense *ret);

/* SPC-3 §7.4.3/§7.4.5: finds the page in a MODE SENSE(10) response: offset and length of the page
 * (page code byte included), cut to the data present. -EBADMSG if absent or malformed. */
int mode_page_locate(const uint8_t *buf, size_t len, uint8_t page_code, size_t *ret_offset, size_t *ret_len);

#define MODE_PAGE_MAX 255

/* Reads a mode page (page_control 0 current, 1 changeable, 2 default) into page[] (at least
 * MODE_PAGE_MAX bytes): returns the page length in bytes (≥ 2), or a negative code
 * (-IMAPI_ERROR_RECORDER_NO_SUCH_MODE_PAGE when the drive does not have it). */
int spc_mode_sense_page(Transport *t, uint8_t page_control, uint8_t page_code, uint8_t *page, size_t size);
/* Sends one page (its first byte the page code) with MODE SELECT(10), PF=1. */
int spc_mode_select_page(Transport *t, const uint8_t *page, size_t len);

int spc_prevent_allow_medium_removal(Transport *t, bool prevent);

typedef enum SpcStartStop {
        SPC_START_STOP_STOP,
        SPC_START_STOP_START,
        SPC_START_STOP_EJECT,
        SPC_START_STOP_LOAD,
        _SPC_START_STOP_MAX,
        _SPC_START_STOP_INVALID = -EINVAL,
} SpcStartStop;

int spc_start_stop_unit(Transport *t, SpcStartStop action, bool immed);
