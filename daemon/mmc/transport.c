/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Dispatch to a Transport implementation. */
#include <errno.h>
#include <string.h>

#include "transport.h"

int transport_execute(Transport *t, ScsiCommand *cmd)
{
        if (!t || !cmd || cmd->cdb_len == 0 || cmd->cdb_len > sizeof(cmd->cdb))
                return -EINVAL;
        if ((cmd->direction == TRANSPORT_DIRECTION_NONE) != (cmd->data_len == 0) ||
            (cmd->data_len > 0 && !cmd->data))
                return -EINVAL;

        cmd->status = SCSI_STATUS_GOOD;
        cmd->transferred = 0;
        cmd->sense_len = 0;
        memset(cmd->sense, 0, sizeof(cmd->sense));
        return t->ops->execute(t, cmd);
}

Transport *transport_free(Transport *t)
{
        if (t)
                t->ops->free(t);
        return NULL;
}
