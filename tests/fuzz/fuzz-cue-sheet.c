/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target: the emulated drive's cue sheet parser (daemon/emu/emu-cue.c, MMC-6 §6.35), reached as
 * the daemon reaches it: SEND CUE SHEET through the emulator's Transport to a blank CD-R in SAO mode. The
 * cue sheet is the only structured data a host sends a drive; a virtual recorder must survive any. */
#include <stdlib.h>

#include "emu-drive.h"
#include "fuzz.h"
#include "mmc-write.h"
#include "spc.h"

#define CUE_MAX (64 * 1024)

static EmuDrive *drive;
static Transport *transport;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        MmcWriteParameters p;

        if (emu_drive_new("fuzz", NULL, NULL, &drive, NULL) < 0 || emu_drive_load_medium(drive, 0x0009) < 0)
                abort();
        transport = emu_drive_new_transport(drive);
        (void) spc_test_unit_ready(transport); /* takes the unit attention of the new disc */
        mmc_write_parameters_cd_audio_sao(&p, false, false, "");
        if (mmc_set_write_parameters(transport, &p) < 0)
                abort();
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        /* SEND CUE SHEET carries whole 8-byte entries; other lengths are refused before the parser. */
        size -= size % 8;
        if (size == 0 || size > CUE_MAX)
                return 0;
        (void) mmc_send_cue_sheet(transport, data, size);
        /* The drive still answers, and a new disc can follow. */
        if (spc_test_unit_ready(transport) < 0)
                abort();
        return 0;
}
