/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Sending one command: transport_execute(), retries of "becoming ready" and unit attention with a
 * bounded backoff, and the mapping of a failure to a negative imapid error code. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sense.h"
#include "transport.h"

typedef struct MmcRetryPolicy {
        unsigned ready_budget_ms;   /* total time spent waiting for a drive that is becoming ready */
        unsigned initial_delay_ms;  /* first wait, doubled each time ... */
        unsigned max_delay_ms;      /* ... up to this */
        unsigned attention_retries; /* unit attentions / aborted commands retried at once */
} MmcRetryPolicy;

/* Defaults: 20 s budget, 50 ms doubling to 1 s, 4 immediate retries. NULL restores them. Process-wide;
 * tests shorten the waits. */
void mmc_set_retry_policy(const MmcRetryPolicy *policy);
void mmc_get_retry_policy(MmcRetryPolicy *ret);

/* Runs cmd (built with a cdb_*() builder). Returns 0 when the drive completed it (GOOD, or a sense that
 * means no error), else a negative code: -IMAPI_ERROR_* from the sense table, DeviceNotPresent for a
 * device that went away, RecorderCommandTimeout, RecorderInvalidResponseFromDevice for garbage. */
int mmc_execute(Transport *t, ScsiCommand *cmd);
/* The same without any retry: for polling loops that wait themselves (TEST UNIT READY while blanking). */
int mmc_execute_once(Transport *t, ScsiCommand *cmd);

/* How many bytes of a data-in command are usable: what the transport moved (never more than asked). */
size_t mmc_data_len(const ScsiCommand *cmd);

/* The last CHECK CONDITION this thread saw in mmc_execute*(), for messages. Cleared at each call. */
bool mmc_last_sense(uint8_t *ret_opcode, ScsiSense *ret_sense);
/* "WRITE(10): sense 3/0C/09 (write error - loss of streaming)", or NULL when there is none. The string
 * lives in thread-local storage until the next mmc_execute*() of this thread. */
const char *mmc_last_sense_string(void);

const char *scsi_opcode_to_string(uint8_t opcode);
/* Formats the CDB as hex ("2A 00 00 00 12 34 00 00 10 00") into buf. */
char *scsi_cdb_to_hex(const ScsiCommand *cmd, char *buf, size_t size);
