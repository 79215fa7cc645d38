/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Writing to the emulated disc (write side still to come: these answer INVALID COMMAND OPERATION CODE). */
#include "emu-internal.h"

#define NOT_YET(fn)                                                                                     \
        int fn(EmuDrive *d, ScsiCommand *c)                                                             \
        {                                                                                               \
                return emu_fail(c, SK_ILLEGAL_REQUEST, ASC_INVALID_OPCODE);                             \
        }

NOT_YET(emu_cmd_write)
NOT_YET(emu_cmd_synchronize_cache)
NOT_YET(emu_cmd_close_track_session)
NOT_YET(emu_cmd_reserve_track)
NOT_YET(emu_cmd_read_buffer_capacity)
NOT_YET(emu_cmd_send_opc)
NOT_YET(emu_cmd_blank)
NOT_YET(emu_cmd_format_unit)
NOT_YET(emu_cmd_send_cue_sheet)

EmuSaoPlan *emu_sao_plan_free(EmuSaoPlan *p)
{
        return NULL;
}

int emu_drive_open_image(EmuDrive *d, int *ret_fd, char **ret_cue_sheet)
{
        return -EOPNOTSUPP;
}
