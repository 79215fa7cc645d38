/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Session at once on CD: SEND CUE SHEET and the writes it announces (to come). */
#include "emu-internal.h"

int emu_cmd_send_cue_sheet(EmuDrive *d, ScsiCommand *c)
{
        return emu_fail(c, SK_ILLEGAL_REQUEST, ASC_INVALID_OPCODE);
}

EmuSaoPlan *emu_sao_plan_free(EmuSaoPlan *p)
{
        return NULL;
}

int emu_sao_write(EmuDrive *d, ScsiCommand *c, int32_t lba, uint32_t blocks)
{
        return emu_fail(c, SK_ILLEGAL_REQUEST, ASC_COMMAND_SEQUENCE_ERROR);
}

int emu_sao_finish(EmuDrive *d, ScsiCommand *c)
{
        return 0;
}
