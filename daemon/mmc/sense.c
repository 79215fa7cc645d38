/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Sense data: parsing, the one table from sense key/ASC/ASCQ to imapid errors, and sense texts. */
#include <errno.h>
#include <stdio.h>

#include "bytes.h"
#include "cdb.h"
#include "imapi-error.h"
#include "macros.h"
#include "sense.h"

#define ANY 0xffff /* matches every ASC or ASCQ */

/* ---- Parsing ---------------------------------------------------------------------------------- */

/* SPC-3 §4.5.3, Table 26: fixed format. Bytes past what the drive sent read as absent. */
static int sense_parse_fixed(const uint8_t *buf, size_t len, ScsiSense *s)
{
        uint8_t b2 = 0, sks0 = 0;
        uint32_t info = 0;
        uint16_t sks = 0;

        if (u8_read(buf, len, 2, &b2) < 0)
                return -EBADMSG;
        s->key = b2 & 0x0f;
        (void) u8_read(buf, len, 12, &s->asc);
        (void) u8_read(buf, len, 13, &s->ascq);
        if ((s->response_code & 0x80) && be32_read(buf, len, 3, &info) >= 0) {
                s->information_valid = true;
                s->information = info;
        }
        /* §4.5.2.4.4 progress indication, for NOT READY and NO SENSE. */
        if (u8_read(buf, len, 15, &sks0) >= 0 && (sks0 & 0x80) && be16_read(buf, len, 16, &sks) >= 0 &&
            (s->key == SENSE_KEY_NOT_READY || s->key == SENSE_KEY_NO_SENSE)) {
                s->progress_valid = true;
                s->progress = sks;
        }
        return 0;
}

/* SPC-3 §4.5.2, Tables 12-13: descriptor format; sense-key specific descriptor type 02h. */
static int sense_parse_descriptor(const uint8_t *buf, size_t len, ScsiSense *s)
{
        uint8_t b1 = 0, add_len = 0;

        if (u8_read(buf, len, 1, &b1) < 0)
                return -EBADMSG;
        s->key = b1 & 0x0f;
        (void) u8_read(buf, len, 2, &s->asc);
        (void) u8_read(buf, len, 3, &s->ascq);
        (void) u8_read(buf, len, 7, &add_len);

        size_t end = MIN(len, (size_t) 8 + add_len);
        for (size_t off = 8; off + 2 <= end;) {
                uint8_t type = 0, dlen = 0, sks0;
                uint16_t sks;
                uint32_t hi, lo;

                (void) u8_read(buf, end, off, &type);
                (void) u8_read(buf, end, off + 1, &dlen);
                if (type == 0x00 && dlen >= 0x0a && be32_read(buf, end, off + 4, &hi) >= 0 &&
                    be32_read(buf, end, off + 8, &lo) >= 0) {
                        uint8_t valid = 0;
                        (void) u8_read(buf, end, off + 2, &valid);
                        s->information_valid = valid & 0x80;
                        s->information = (uint64_t) hi << 32 | lo;
                } else if (type == 0x02 && u8_read(buf, end, off + 4, &sks0) >= 0 && (sks0 & 0x80) &&
                           be16_read(buf, end, off + 5, &sks) >= 0 &&
                           (s->key == SENSE_KEY_NOT_READY || s->key == SENSE_KEY_NO_SENSE)) {
                        s->progress_valid = true;
                        s->progress = sks;
                }
                off += (size_t) 2 + dlen;
        }
        return 0;
}

int sense_parse(const uint8_t *buf, size_t len, ScsiSense *ret)
{
        ScsiSense s = {};
        int r;

        if (!buf || u8_read(buf, len, 0, &s.response_code) < 0)
                return -EBADMSG;
        switch (s.response_code & 0x7f) {
        case 0x70:
        case 0x71:
                r = sense_parse_fixed(buf, len, &s);
                break;
        case 0x72:
        case 0x73:
                r = sense_parse_descriptor(buf, len, &s);
                break;
        default:
                return -EBADMSG;
        }
        if (r < 0)
                return r;
        *ret = s;
        return 0;
}

/* ---- The mapping table ------------------------------------------------------------------------ */

typedef enum SenseOp {
        SENSE_OP_ANY,
        SENSE_OP_WRITE,       /* WRITE(10), WRITE(12) */
        SENSE_OP_MODE_SELECT, /* MODE SELECT(10) */
} SenseOp;

typedef struct SenseRule {
        uint8_t key;
        uint16_t asc, ascq; /* ANY matches all */
        SenseOp op;
        SenseAction action;
        int error; /* positive IMAPI_ERROR_*, 0 for none */
        bool our_fault;
} SenseRule;

/* First match wins: specific rows before the per-key catch-alls. Choices, documented:
 * - a medium error (3/xx) is MediumError, imapid's own name; IMAPI v2's UnexpectedResponseFromDevice
 *   says less.
 * - 5/21/02 "invalid address for write": we always write at the NWA the drive reported, so it arrives
 *   when an under-run moved the NWA (many drives without BUFE do this): LossOfStreaming. Flagged
 *   as our fault too, so the CDB is logged in case it was a bug of ours.
 * - 5/30/00..03 (the medium is the wrong kind) → MediumInvalidType, v1's name; 5/30/04..08 (the drive
 *   cannot write or format this medium) → RecorderMediaIncompatible, v2's. */
static const SenseRule sense_rules[] = {
        {SENSE_KEY_NO_SENSE, ANY, ANY, SENSE_OP_ANY, SENSE_ACTION_OK, 0, false},
        {SENSE_KEY_RECOVERED_ERROR, ANY, ANY, SENSE_OP_ANY, SENSE_ACTION_OK, 0, false},

        {SENSE_KEY_NOT_READY, 0x04, 0x02, SENSE_OP_ANY, SENSE_ACTION_FAIL, IMAPI_ERROR_NOT_INITIALIZED,
         false},
        {SENSE_KEY_NOT_READY, 0x04, 0x03, SENSE_OP_ANY, SENSE_ACTION_FAIL, IMAPI_ERROR_RECORDER_ERROR,
         false},
        {SENSE_KEY_NOT_READY, 0x04, 0x04, SENSE_OP_ANY, SENSE_ACTION_FAIL,
         IMAPI_ERROR_RECORDER_MEDIA_FORMAT_IN_PROGRESS, false},
        {SENSE_KEY_NOT_READY, 0x04, 0x07, SENSE_OP_ANY, SENSE_ACTION_RETRY_READY,
         IMAPI_ERROR_RECORDER_MEDIA_BUSY, false},
        {SENSE_KEY_NOT_READY, 0x04, 0x08, SENSE_OP_ANY, SENSE_ACTION_RETRY_READY,
         IMAPI_ERROR_RECORDER_MEDIA_BUSY, false},
        {SENSE_KEY_NOT_READY, 0x04, ANY, SENSE_OP_ANY, SENSE_ACTION_RETRY_READY,
         IMAPI_ERROR_RECORDER_MEDIA_BECOMING_READY, false},
        {SENSE_KEY_NOT_READY, 0x3e, ANY, SENSE_OP_ANY, SENSE_ACTION_RETRY_READY,
         IMAPI_ERROR_RECORDER_MEDIA_BECOMING_READY, false},
        {SENSE_KEY_NOT_READY, 0x3a, ANY, SENSE_OP_ANY, SENSE_ACTION_FAIL, IMAPI_ERROR_MEDIUM_NOT_PRESENT,
         false},
        {SENSE_KEY_NOT_READY, 0x30, 0x10, SENSE_OP_ANY, SENSE_ACTION_FAIL,
         IMAPI_ERROR_RECORDER_MEDIA_NOT_FORMATTED, false},
        {SENSE_KEY_NOT_READY, 0x30, ANY, SENSE_OP_ANY, SENSE_ACTION_FAIL, IMAPI_ERROR_MEDIUM_INVALID_TYPE,
         false},
        {SENSE_KEY_NOT_READY, 0x57, ANY, SENSE_OP_ANY, SENSE_ACTION_FAIL, IMAPI_ERROR_DISC_INFO, false},
        {SENSE_KEY_NOT_READY, ANY, ANY, SENSE_OP_ANY, SENSE_ACTION_FAIL,
         IMAPI_ERROR_RECORDER_MEDIA_BECOMING_READY, false},

        {SENSE_KEY_MEDIUM_ERROR, 0x0c, 0x09, SENSE_OP_ANY, SENSE_ACTION_FAIL, IMAPI_ERROR_LOSS_OF_STREAMING,
         false},
        {SENSE_KEY_MEDIUM_ERROR, ANY, ANY, SENSE_OP_ANY, SENSE_ACTION_FAIL, IMAPI_ERROR_MEDIUM_ERROR, false},

        {SENSE_KEY_HARDWARE_ERROR, ANY, ANY, SENSE_OP_ANY, SENSE_ACTION_FAIL, IMAPI_ERROR_RECORDER_ERROR,
         false},

        {SENSE_KEY_ILLEGAL_REQUEST, 0x20, ANY, SENSE_OP_ANY, SENSE_ACTION_FAIL, IMAPI_ERROR_RECORDER_ERROR,
         true},
        {SENSE_KEY_ILLEGAL_REQUEST, 0x24, ANY, SENSE_OP_ANY, SENSE_ACTION_FAIL, IMAPI_ERROR_RECORDER_ERROR,
         true},
        {SENSE_KEY_ILLEGAL_REQUEST, 0x26, ANY, SENSE_OP_MODE_SELECT, SENSE_ACTION_FAIL,
         IMAPI_ERROR_RECORDER_INVALID_MODE_PARAMETERS, true},
        {SENSE_KEY_ILLEGAL_REQUEST, 0x26, ANY, SENSE_OP_ANY, SENSE_ACTION_FAIL, IMAPI_ERROR_RECORDER_ERROR,
         true},
        {SENSE_KEY_ILLEGAL_REQUEST, 0x1a, ANY, SENSE_OP_ANY, SENSE_ACTION_FAIL, IMAPI_ERROR_RECORDER_ERROR,
         true},
        {SENSE_KEY_ILLEGAL_REQUEST, 0x2c, ANY, SENSE_OP_ANY, SENSE_ACTION_FAIL, IMAPI_ERROR_RECORDER_ERROR,
         true},
        {SENSE_KEY_ILLEGAL_REQUEST, 0x21, 0x00, SENSE_OP_WRITE, SENSE_ACTION_FAIL, IMAPI_ERROR_DISC_FULL,
         false},
        {SENSE_KEY_ILLEGAL_REQUEST, 0x21, 0x02, SENSE_OP_ANY, SENSE_ACTION_FAIL,
         IMAPI_ERROR_LOSS_OF_STREAMING, true},
        {SENSE_KEY_ILLEGAL_REQUEST, 0x21, ANY, SENSE_OP_ANY, SENSE_ACTION_FAIL, IMAPI_ERROR_RECORDER_ERROR,
         true},
        {SENSE_KEY_ILLEGAL_REQUEST, 0x63, ANY, SENSE_OP_ANY, SENSE_ACTION_FAIL, IMAPI_ERROR_DISC_FULL,
         false},
        {SENSE_KEY_ILLEGAL_REQUEST, 0x64, ANY, SENSE_OP_ANY, SENSE_ACTION_FAIL,
         IMAPI_ERROR_RECORDER_INVALID_MODE_PARAMETERS, false},
        {SENSE_KEY_ILLEGAL_REQUEST, 0x30, 0x10, SENSE_OP_ANY, SENSE_ACTION_FAIL,
         IMAPI_ERROR_RECORDER_MEDIA_NOT_FORMATTED, false},
        {SENSE_KEY_ILLEGAL_REQUEST, 0x30, 0x04, SENSE_OP_ANY, SENSE_ACTION_FAIL,
         IMAPI_ERROR_RECORDER_MEDIA_INCOMPATIBLE, false},
        {SENSE_KEY_ILLEGAL_REQUEST, 0x30, 0x05, SENSE_OP_ANY, SENSE_ACTION_FAIL,
         IMAPI_ERROR_RECORDER_MEDIA_INCOMPATIBLE, false},
        {SENSE_KEY_ILLEGAL_REQUEST, 0x30, 0x06, SENSE_OP_ANY, SENSE_ACTION_FAIL,
         IMAPI_ERROR_RECORDER_MEDIA_INCOMPATIBLE, false},
        {SENSE_KEY_ILLEGAL_REQUEST, 0x30, 0x08, SENSE_OP_ANY, SENSE_ACTION_FAIL,
         IMAPI_ERROR_RECORDER_MEDIA_INCOMPATIBLE, false},
        {SENSE_KEY_ILLEGAL_REQUEST, 0x30, ANY, SENSE_OP_ANY, SENSE_ACTION_FAIL,
         IMAPI_ERROR_MEDIUM_INVALID_TYPE, false},
        {SENSE_KEY_ILLEGAL_REQUEST, 0x3a, ANY, SENSE_OP_ANY, SENSE_ACTION_FAIL,
         IMAPI_ERROR_MEDIUM_NOT_PRESENT, false},
        {SENSE_KEY_ILLEGAL_REQUEST, 0x72, ANY, SENSE_OP_ANY, SENSE_ACTION_FAIL,
         IMAPI_ERROR_INITIALIZE_END_WRITE, false},
        {SENSE_KEY_ILLEGAL_REQUEST, 0x73, ANY, SENSE_OP_ANY, SENSE_ACTION_FAIL, IMAPI_ERROR_MEDIUM_ERROR,
         false},
        {SENSE_KEY_ILLEGAL_REQUEST, ANY, ANY, SENSE_OP_ANY, SENSE_ACTION_FAIL, IMAPI_ERROR_RECORDER_ERROR,
         false},

        {SENSE_KEY_UNIT_ATTENTION, 0x28, ANY, SENSE_OP_ANY, SENSE_ACTION_RETRY_AT_ONCE,
         IMAPI_ERROR_RECORDER_MEDIA_BECOMING_READY, false},
        {SENSE_KEY_UNIT_ATTENTION, 0x3a, ANY, SENSE_OP_ANY, SENSE_ACTION_FAIL,
         IMAPI_ERROR_MEDIUM_NOT_PRESENT, false},
        {SENSE_KEY_UNIT_ATTENTION, ANY, ANY, SENSE_OP_ANY, SENSE_ACTION_RETRY_AT_ONCE,
         IMAPI_ERROR_RECORDER_ERROR, false},

        {SENSE_KEY_DATA_PROTECT, ANY, ANY, SENSE_OP_ANY, SENSE_ACTION_FAIL,
         IMAPI_ERROR_RECORDER_MEDIA_WRITE_PROTECTED, false},
        {SENSE_KEY_BLANK_CHECK, ANY, ANY, SENSE_OP_ANY, SENSE_ACTION_FAIL, IMAPI_ERROR_MEDIUM_ERROR, false},
        {SENSE_KEY_ABORTED_COMMAND, ANY, ANY, SENSE_OP_ANY, SENSE_ACTION_RETRY_AT_ONCE,
         IMAPI_ERROR_RECORDER_ERROR, false},
        {SENSE_KEY_MISCOMPARE, ANY, ANY, SENSE_OP_ANY, SENSE_ACTION_FAIL,
         IMAPI_ERROR_BURN_VERIFICATION_FAILED, false},
};

static bool sense_op_matches(SenseOp op, uint8_t opcode)
{
        switch (op) {
        case SENSE_OP_WRITE:
                return opcode == SCSI_OP_WRITE_10 || opcode == SCSI_OP_WRITE_12;
        case SENSE_OP_MODE_SELECT:
                return opcode == SCSI_OP_MODE_SELECT_10;
        default:
                return true;
        }
}

static const SenseRule *sense_rule_find(const ScsiSense *s, uint8_t opcode)
{
        for (size_t i = 0; i < ELEMENTSOF(sense_rules); i++) {
                const SenseRule *r = &sense_rules[i];

                if (r->key == s->key && (r->asc == ANY || r->asc == s->asc) &&
                    (r->ascq == ANY || r->ascq == s->ascq) && sense_op_matches(r->op, opcode))
                        return r;
        }
        return NULL;
}

int sense_to_error(const ScsiSense *sense, uint8_t opcode)
{
        const SenseRule *r = sense_rule_find(sense, opcode);

        if (!r) /* reserved keys (9, A, C, D, F): the drive speaks nonsense */
                return -IMAPI_ERROR_RECORDER_INVALID_RESPONSE_FROM_DEVICE;
        return r->action == SENSE_ACTION_OK ? 0 : -r->error;
}

SenseAction sense_to_action(const ScsiSense *sense, uint8_t opcode)
{
        const SenseRule *r = sense_rule_find(sense, opcode);
        return r ? r->action : SENSE_ACTION_FAIL;
}

bool sense_is_our_fault(const ScsiSense *sense, uint8_t opcode)
{
        const SenseRule *r = sense_rule_find(sense, opcode);
        return r && r->our_fault;
}

/* ---- Texts ------------------------------------------------------------------------------------ */

typedef struct SenseText {
        uint8_t asc, ascq;
        const char *text;
} SenseText;

/* SPC-3 Annex D (Table D.1) and MMC-6 Annex F, the entries an optical drive sends. */
static const SenseText sense_texts[] = {
        {0x00, 0x00, "no additional sense information"},
        {0x00, 0x16, "operation in progress"},
        {0x04, 0x00, "logical unit not ready, cause not reportable"},
        {0x04, 0x01, "logical unit is in process of becoming ready"},
        {0x04, 0x02, "logical unit not ready, initializing command required"},
        {0x04, 0x03, "logical unit not ready, manual intervention required"},
        {0x04, 0x04, "logical unit not ready, format in progress"},
        {0x04, 0x07, "logical unit not ready, operation in progress"},
        {0x04, 0x08, "logical unit not ready, long write in progress"},
        {0x09, 0x00, "track following error"},
        {0x09, 0x01, "tracking servo failure"},
        {0x09, 0x02, "focus servo failure"},
        {0x0c, 0x00, "write error"},
        {0x0c, 0x07, "write error - recovery needed"},
        {0x0c, 0x09, "write error - loss of streaming"},
        {0x0c, 0x0a, "write error - padding blocks added"},
        {0x11, 0x00, "unrecovered read error"},
        {0x11, 0x05, "l-ec uncorrectable error"},
        {0x11, 0x06, "circ unrecovered error"},
        {0x15, 0x00, "random positioning error"},
        {0x1a, 0x00, "parameter list length error"},
        {0x1d, 0x00, "miscompare during verify operation"},
        {0x20, 0x00, "invalid command operation code"},
        {0x21, 0x00, "logical block address out of range"},
        {0x21, 0x02, "invalid address for write"},
        {0x24, 0x00, "invalid field in cdb"},
        {0x26, 0x00, "invalid field in parameter list"},
        {0x26, 0x01, "parameter not supported"},
        {0x26, 0x02, "parameter value invalid"},
        {0x27, 0x00, "write protected"},
        {0x27, 0x01, "hardware write protected"},
        {0x27, 0x02, "logical unit software write protected"},
        {0x27, 0x05, "permanent write protect"},
        {0x28, 0x00, "not ready to ready change, medium may have changed"},
        {0x29, 0x00, "power on, reset, or bus device reset occurred"},
        {0x29, 0x01, "power on occurred"},
        {0x29, 0x02, "scsi bus reset occurred"},
        {0x29, 0x03, "bus device reset function occurred"},
        {0x29, 0x04, "device internal reset"},
        {0x2a, 0x01, "mode parameters changed"},
        {0x2c, 0x00, "command sequence error"},
        {0x2e, 0x00, "insufficient time for operation"},
        {0x30, 0x00, "incompatible medium installed"},
        {0x30, 0x01, "cannot read medium - unknown format"},
        {0x30, 0x02, "cannot read medium - incompatible format"},
        {0x30, 0x03, "cleaning cartridge installed"},
        {0x30, 0x04, "cannot write medium - unknown format"},
        {0x30, 0x05, "cannot write medium - incompatible format"},
        {0x30, 0x06, "cannot format medium - incompatible medium"},
        {0x30, 0x07, "cleaning failure"},
        {0x30, 0x08, "cannot write - application code mismatch"},
        {0x30, 0x09, "current session not fixated for append"},
        {0x30, 0x10, "medium not formatted"},
        {0x31, 0x00, "medium format corrupted"},
        {0x31, 0x01, "format command failed"},
        {0x3a, 0x00, "medium not present"},
        {0x3a, 0x01, "medium not present - tray closed"},
        {0x3a, 0x02, "medium not present - tray open"},
        {0x3e, 0x00, "logical unit has not self-configured yet"},
        {0x44, 0x00, "internal target failure"},
        {0x53, 0x00, "media load or eject failed"},
        {0x53, 0x02, "medium removal prevented"},
        {0x57, 0x00, "unable to recover table-of-contents"},
        {0x5a, 0x01, "operator medium removal request"},
        {0x5d, 0x00, "failure prediction threshold exceeded"},
        {0x63, 0x00, "end of user area encountered on this track"},
        {0x63, 0x01, "packet does not fit in available space"},
        {0x64, 0x00, "illegal mode for this track"},
        {0x64, 0x01, "invalid packet size"},
        {0x6f, 0x00, "copy protection key exchange failure - authentication failure"},
        {0x72, 0x00, "session fixation error"},
        {0x72, 0x01, "session fixation error writing lead-in"},
        {0x72, 0x02, "session fixation error writing lead-out"},
        {0x72, 0x03, "session fixation error - incomplete track in session"},
        {0x72, 0x04, "empty or partially written reserved track"},
        {0x72, 0x05, "no more track reservations allowed"},
        {0x73, 0x00, "cd control error"},
        {0x73, 0x01, "power calibration area almost full"},
        {0x73, 0x02, "power calibration area is full"},
        {0x73, 0x03, "power calibration area error"},
        {0x73, 0x04, "program memory area update failure"},
        {0x73, 0x05, "program memory area is full"},
};

static const char *const sense_key_texts[16] = {
        [SENSE_KEY_NO_SENSE] = "no sense",
        [SENSE_KEY_RECOVERED_ERROR] = "recovered error",
        [SENSE_KEY_NOT_READY] = "not ready",
        [SENSE_KEY_MEDIUM_ERROR] = "medium error",
        [SENSE_KEY_HARDWARE_ERROR] = "hardware error",
        [SENSE_KEY_ILLEGAL_REQUEST] = "illegal request",
        [SENSE_KEY_UNIT_ATTENTION] = "unit attention",
        [SENSE_KEY_DATA_PROTECT] = "data protect",
        [SENSE_KEY_BLANK_CHECK] = "blank check",
        [0x9] = "vendor specific",
        [0xa] = "copy aborted",
        [SENSE_KEY_ABORTED_COMMAND] = "aborted command",
        [0xc] = "obsolete",
        [0xd] = "volume overflow",
        [SENSE_KEY_MISCOMPARE] = "miscompare",
        [0xf] = "reserved",
};

const char *sense_key_to_string(uint8_t key)
{
        return sense_key_texts[key & 0x0f];
}

const char *sense_describe(uint8_t key, uint8_t asc, uint8_t ascq)
{
        for (size_t i = 0; i < ELEMENTSOF(sense_texts); i++)
                if (sense_texts[i].asc == asc && sense_texts[i].ascq == ascq)
                        return sense_texts[i].text;
        return sense_key_to_string(key);
}

char *sense_to_string(const ScsiSense *sense, char *buf, size_t size)
{
        snprintf(buf, size, "sense %X/%02X/%02X (%s)", sense->key & 0x0f, sense->asc, sense->ascq,
                 sense_describe(sense->key, sense->asc, sense->ascq));
        return buf;
}
