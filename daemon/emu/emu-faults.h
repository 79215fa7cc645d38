/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Scripted faults of the emulated drive: the parsed form of a spec such as
 * "sense@lba=1000:3/0C/00, remove@lba=5000, slow=20". The grammar is in daemon/emu/README.md. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define EMU_FAULTS_MAX_SENSE 16

typedef struct EmuFaultSense {
        bool by_opcode; /* false: the WRITE (or READ, if 'read') covering lba; true: the next 'opcode' */
        bool read;
        bool armed; /* one-shot: cleared when it fires */
        int64_t lba;
        uint8_t opcode;
        uint8_t key, asc, ascq;
} EmuFaultSense;

typedef struct EmuFaults {
        EmuFaultSense sense[EMU_FAULTS_MAX_SENSE];
        unsigned n_sense;
        int64_t remove_lba;      /* a WRITE reaching it removes the medium; INT64_MIN: none */
        int64_t gone_lba;        /* a WRITE reaching it unplugs the drive; INT64_MIN: none */
        bool gone;               /* unplugged now */
        unsigned slow_ms;        /* extra time of every WRITE */
        unsigned becoming_ready; /* TEST UNIT READYs still to answer 2/04/01 */
        bool erase_ms_set;
        unsigned erase_ms;  /* BLANK / FORMAT UNIT duration */
        bool write_protect; /* writes fail with 7/27/00 */
} EmuFaults;

void emu_faults_init(EmuFaults *f);
/* Parses spec (NULL or "" = no faults) into *ret. -EINVAL with a message naming the bad item. */
int emu_faults_parse(const char *spec, EmuFaults *ret, char **reterr_message);

/* The armed sense fault for a transfer [lba, lba + n) (read or write), or NULL. Disarms it. */
const EmuFaultSense *emu_faults_take_lba(EmuFaults *f, bool read, int64_t lba, uint32_t n);
/* The armed sense fault for a command with that opcode, or NULL. Disarms it. */
const EmuFaultSense *emu_faults_take_opcode(EmuFaults *f, uint8_t opcode);
/* Whether [lba, lba + n) reaches 'at' (INT64_MIN never matches). */
bool emu_faults_hits(int64_t at, int64_t lba, uint32_t n);
