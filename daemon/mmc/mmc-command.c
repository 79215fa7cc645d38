/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Sending one command through the Transport with bounded retries, and mapping failures to errors. */
#include <errno.h>
#include <stdio.h>

#include "cdb.h"
#include "imapi-error.h"
#include "log.h"
#include "macros.h"
#include "mmc-command.h"

/* A macro, not a copy of the const: C (and clang) want a constant expression in a static initializer. */
#define RETRY_POLICY_DEFAULT                                                                                   \
        {                                                                                                      \
                .ready_budget_ms = 20000, .initial_delay_ms = 50, .max_delay_ms = 1000, .attention_retries = 4, \
        }

static const MmcRetryPolicy retry_policy_default = RETRY_POLICY_DEFAULT;

static MmcRetryPolicy retry_policy = RETRY_POLICY_DEFAULT;

void mmc_set_retry_policy(const MmcRetryPolicy *policy)
{
        retry_policy = policy ? *policy : retry_policy_default;
}

void mmc_get_retry_policy(MmcRetryPolicy *ret)
{
        *ret = retry_policy;
}

typedef struct LastSense {
        bool valid;
        uint8_t opcode;
        ScsiSense sense;
        char text[SENSE_STRING_MAX + 40];
} LastSense;

static __thread LastSense last_sense;

bool mmc_last_sense(uint8_t *ret_opcode, ScsiSense *ret_sense)
{
        if (!last_sense.valid)
                return false;
        if (ret_opcode)
                *ret_opcode = last_sense.opcode;
        if (ret_sense)
                *ret_sense = last_sense.sense;
        return true;
}

const char *mmc_last_sense_string(void)
{
        char s[SENSE_STRING_MAX];

        if (!last_sense.valid)
                return NULL;
        snprintf(last_sense.text, sizeof(last_sense.text), "%s: %s",
                 scsi_opcode_to_string(last_sense.opcode), sense_to_string(&last_sense.sense, s, sizeof(s)));
        return last_sense.text;
}

static const struct {
        uint8_t opcode;
        const char *name;
} opcode_names[] = {
        {SCSI_OP_TEST_UNIT_READY, "TEST UNIT READY"},
        {SCSI_OP_REQUEST_SENSE, "REQUEST SENSE"},
        {SCSI_OP_FORMAT_UNIT, "FORMAT UNIT"},
        {SCSI_OP_INQUIRY, "INQUIRY"},
        {SCSI_OP_START_STOP_UNIT, "START STOP UNIT"},
        {SCSI_OP_PREVENT_ALLOW_MEDIUM_REMOVAL, "PREVENT ALLOW MEDIUM REMOVAL"},
        {SCSI_OP_READ_FORMAT_CAPACITIES, "READ FORMAT CAPACITIES"},
        {SCSI_OP_READ_CAPACITY, "READ CAPACITY"},
        {SCSI_OP_READ_10, "READ(10)"},
        {SCSI_OP_WRITE_10, "WRITE(10)"},
        {SCSI_OP_SYNCHRONIZE_CACHE, "SYNCHRONIZE CACHE"},
        {SCSI_OP_READ_TOC_PMA_ATIP, "READ TOC/PMA/ATIP"},
        {SCSI_OP_GET_CONFIGURATION, "GET CONFIGURATION"},
        {SCSI_OP_GET_EVENT_STATUS_NOTIFICATION, "GET EVENT STATUS NOTIFICATION"},
        {SCSI_OP_READ_DISC_INFORMATION, "READ DISC INFORMATION"},
        {SCSI_OP_READ_TRACK_INFORMATION, "READ TRACK INFORMATION"},
        {SCSI_OP_RESERVE_TRACK, "RESERVE TRACK"},
        {SCSI_OP_MODE_SELECT_10, "MODE SELECT(10)"},
        {SCSI_OP_MODE_SENSE_10, "MODE SENSE(10)"},
        {SCSI_OP_CLOSE_TRACK_SESSION, "CLOSE TRACK/SESSION"},
        {SCSI_OP_READ_BUFFER_CAPACITY, "READ BUFFER CAPACITY"},
        {SCSI_OP_SEND_CUE_SHEET, "SEND CUE SHEET"},
        {SCSI_OP_BLANK, "BLANK"},
        {SCSI_OP_READ_12, "READ(12)"},
        {SCSI_OP_WRITE_12, "WRITE(12)"},
        {SCSI_OP_GET_PERFORMANCE, "GET PERFORMANCE"},
        {SCSI_OP_READ_DISC_STRUCTURE, "READ DISC STRUCTURE"},
        {SCSI_OP_SET_STREAMING, "SET STREAMING"},
        {SCSI_OP_SET_CD_SPEED, "SET CD SPEED"},
        {SCSI_OP_READ_CD, "READ CD"},
};

const char *scsi_opcode_to_string(uint8_t opcode)
{
        for (size_t i = 0; i < ELEMENTSOF(opcode_names); i++)
                if (opcode_names[i].opcode == opcode)
                        return opcode_names[i].name;
        return "command";
}

char *scsi_cdb_to_hex(const ScsiCommand *cmd, char *buf, size_t size)
{
        size_t n = MIN(cmd->cdb_len, sizeof(cmd->cdb)), off = 0;

        if (size == 0)
                return buf;
        buf[0] = '\0';
        for (size_t i = 0; i < n && off + 4 <= size; i++)
                off += (size_t) snprintf(buf + off, size - off, i ? " %02X" : "%02X", cmd->cdb[i]);
        return buf;
}

size_t mmc_data_len(const ScsiCommand *cmd)
{
        /* A transport that does not report the residual leaves 0: the buffer was zeroed by the caller,
         * so reading it whole is safe and parsers see the drive's own length fields. */
        if (cmd->transferred == 0 || cmd->transferred > cmd->data_len)
                return cmd->data_len;
        return cmd->transferred;
}

static int transport_error_to_error(int r)
{
        switch (r) {
        case -ENODEV:
        case -ENXIO:
                return -IMAPI_ERROR_DEVICE_NOT_PRESENT;
        case -ETIMEDOUT:
                return -IMAPI_ERROR_RECORDER_COMMAND_TIMEOUT;
        case -ENOMEDIUM:
                return -IMAPI_ERROR_MEDIUM_NOT_PRESENT;
        case -EBUSY:
                return -IMAPI_ERROR_DEVICE_NOT_ACCESSIBLE;
        case -EIO:
                return -IMAPI_ERROR_RECORDER_ERROR;
        default:
                return r;
        }
}

typedef struct Attempt {
        SenseAction action;
        int error;
} Attempt;

/* One delivery: what happened and what to do about it. Returns <0 only for transport failures. */
static int attempt_once(Transport *t, ScsiCommand *cmd, Attempt *ret)
{
        ScsiSense sense;
        int r;

        r = transport_execute(t, cmd);
        if (r < 0)
                return transport_error_to_error(r);

        switch (cmd->status) {
        case SCSI_STATUS_GOOD:
                *ret = (Attempt){SENSE_ACTION_OK, 0};
                return 0;
        case SCSI_STATUS_BUSY:
                *ret = (Attempt){SENSE_ACTION_RETRY_READY, -IMAPI_ERROR_RECORDER_MEDIA_BUSY};
                return 0;
        case 0x18: /* RESERVATION CONFLICT: someone else holds the unit */
                *ret = (Attempt){SENSE_ACTION_FAIL, -IMAPI_ERROR_RECORDER_LOCKED};
                return 0;
        case SCSI_STATUS_CHECK_CONDITION:
                break;
        default:
                *ret = (Attempt){SENSE_ACTION_FAIL, -IMAPI_ERROR_RECORDER_INVALID_RESPONSE_FROM_DEVICE};
                return 0;
        }

        if (sense_parse(cmd->sense, MIN(cmd->sense_len, sizeof(cmd->sense)), &sense) < 0) {
                *ret = (Attempt){SENSE_ACTION_FAIL, -IMAPI_ERROR_RECORDER_INVALID_RESPONSE_FROM_DEVICE};
                return 0;
        }
        last_sense = (LastSense){.valid = true, .opcode = cmd->cdb[0], .sense = sense};
        *ret = (Attempt){sense_to_action(&sense, cmd->cdb[0]), sense_to_error(&sense, cmd->cdb[0])};
        /* Unit attention and aborted command are retried at once, except an aborted data-out command:
         * part of it may have reached a sequential medium, whose NWA has then moved. */
        if (ret->action == SENSE_ACTION_RETRY_AT_ONCE && sense.key == SENSE_KEY_ABORTED_COMMAND &&
            cmd->direction == TRANSPORT_DIRECTION_TO_DEVICE)
                ret->action = SENSE_ACTION_FAIL;
        if (ret->action == SENSE_ACTION_FAIL && sense_is_our_fault(&sense, cmd->cdb[0])) {
                char hex[64], s[SENSE_STRING_MAX];
                log_debug("%s rejected (%s), CDB %s", scsi_opcode_to_string(cmd->cdb[0]),
                          sense_to_string(&sense, s, sizeof(s)), scsi_cdb_to_hex(cmd, hex, sizeof(hex)));
        }
        return 0;
}

static int execute(Transport *t, ScsiCommand *cmd, bool retry)
{
        const MmcRetryPolicy p = retry_policy;
        unsigned delay_ms = MAX(p.initial_delay_ms, 1u), attention = 0;
        int64_t waited_ms = 0;

        last_sense.valid = false;
        for (;;) {
                Attempt a;
                int r;

                r = attempt_once(t, cmd, &a);
                if (r < 0)
                        return r;
                if (a.action == SENSE_ACTION_OK) {
                        last_sense.valid = false;
                        return 0;
                }
                if (!retry || a.action == SENSE_ACTION_FAIL)
                        return a.error;
                if (a.action == SENSE_ACTION_RETRY_AT_ONCE) {
                        if (attention++ >= p.attention_retries)
                                return a.error;
                        continue;
                }
                /* SENSE_ACTION_RETRY_READY: bounded exponential backoff. */
                if (waited_ms + delay_ms > p.ready_budget_ms)
                        return a.error;
                g_usleep((gulong) delay_ms * 1000);
                waited_ms += delay_ms;
                delay_ms = MIN(delay_ms * 2, MAX(p.max_delay_ms, 1u));
        }
}

int mmc_execute(Transport *t, ScsiCommand *cmd)
{
        return execute(t, cmd, true);
}

int mmc_execute_once(Transport *t, ScsiCommand *cmd)
{
        return execute(t, cmd, false);
}
