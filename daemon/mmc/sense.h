/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Sense data: parsing (fixed and descriptor formats), the one table from key/ASC/ASCQ to imapid errors,
 * and the text of a sense for messages ("sense 3/0C/09 (write error - loss of streaming)"). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* SPC-3 §4.5.6, Table 27: sense keys. */
typedef enum SenseKey {
        SENSE_KEY_NO_SENSE = 0x0,
        SENSE_KEY_RECOVERED_ERROR = 0x1,
        SENSE_KEY_NOT_READY = 0x2,
        SENSE_KEY_MEDIUM_ERROR = 0x3,
        SENSE_KEY_HARDWARE_ERROR = 0x4,
        SENSE_KEY_ILLEGAL_REQUEST = 0x5,
        SENSE_KEY_UNIT_ATTENTION = 0x6,
        SENSE_KEY_DATA_PROTECT = 0x7,
        SENSE_KEY_BLANK_CHECK = 0x8,
        SENSE_KEY_ABORTED_COMMAND = 0xb,
        SENSE_KEY_MISCOMPARE = 0xe,
} SenseKey;

typedef struct ScsiSense {
        uint8_t response_code; /* byte 0: 70h/71h fixed (bit 7: VALID), 72h/73h descriptor */
        uint8_t key;
        uint8_t asc;
        uint8_t ascq;
        bool information_valid;
        uint64_t information;
        bool progress_valid; /* sense-key-specific progress indication (NOT READY / NO SENSE) */
        uint16_t progress;   /* fraction done, 0..65535 of 65536 */
} ScsiSense;

/* What the sender should do with a sense. */
typedef enum SenseAction {
        SENSE_ACTION_OK,            /* no error (NO SENSE without ASC, RECOVERED ERROR) */
        SENSE_ACTION_FAIL,          /* give up with the mapped error */
        SENSE_ACTION_RETRY_READY,   /* becoming ready / long operation: wait, retry with backoff */
        SENSE_ACTION_RETRY_AT_ONCE, /* unit attention, aborted command: retry a few times */
        _SENSE_ACTION_MAX,
        _SENSE_ACTION_INVALID = -22,
} SenseAction;

/* Fixed (SPC-3 §4.5.3) and descriptor (§4.5.2) formats. Short sense with at least the key is
 * accepted (drives lie); an empty or unknown-format buffer gives -EBADMSG. */
int sense_parse(const uint8_t *buf, size_t len, ScsiSense *ret);

/* The error for a sense, 0 for no error; opcode refines some rows (e.g. 5/21/00 on a WRITE is
 * DiscFull). The result is a negative -IMAPI_ERROR_* code or 0. */
int sense_to_error(const ScsiSense *sense, uint8_t opcode);
SenseAction sense_to_action(const ScsiSense *sense, uint8_t opcode);
/* True for senses that mean "we sent something the drive cannot take" (a bug in us, or a quirk). */
bool sense_is_our_fault(const ScsiSense *sense, uint8_t opcode);

/* SPC-3 Annex D text, lower case; a generic text for the key when the ASC/ASCQ is not in the table. */
const char *sense_describe(uint8_t key, uint8_t asc, uint8_t ascq);
const char *sense_key_to_string(uint8_t key);

/* "sense 3/0C/09 (write error - loss of streaming)" into buf; returns buf. */
#define SENSE_STRING_MAX 96
char *sense_to_string(const ScsiSense *sense, char *buf, size_t size);
