/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one road to a drive: a SCSI/MMC command goes in, status, sense and data come back.
 *
 * Two implementations: mmc/transport-cdio.c (a real /dev/srN through libcdio; the only file that opens
 * device nodes) and emu/emu-drive.c (the software drive behind virtual recorders and tests). Everything
 * above (mmc/, burn/, device/) speaks MMC through this interface and never knows which one it has.
 *
 * A Transport is used by one thread at a time: the recorder serialises its users. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

typedef enum TransportDirection {
        TRANSPORT_DIRECTION_NONE,
        TRANSPORT_DIRECTION_FROM_DEVICE, /* data in: the device fills data[] */
        TRANSPORT_DIRECTION_TO_DEVICE,   /* data out: data[] goes to the device */
} TransportDirection;

/* SCSI status bytes (SAM-5 §5.3). */
#define SCSI_STATUS_GOOD 0x00
#define SCSI_STATUS_CHECK_CONDITION 0x02
#define SCSI_STATUS_BUSY 0x08

#define SCSI_SENSE_MAX 32

typedef struct ScsiCommand {
        uint8_t cdb[16];
        size_t cdb_len;
        TransportDirection direction;
        void *data;
        size_t data_len;
        unsigned timeout_ms; /* 0: the transport's default for the command's class */

        /* Filled in by the transport. */
        uint8_t status;
        size_t transferred; /* bytes actually moved (data_len − residual) */
        uint8_t sense[SCSI_SENSE_MAX];
        size_t sense_len;
} ScsiCommand;

typedef struct Transport Transport;

typedef struct TransportOps {
        const char *name; /* "cdio", "emu" */
        /* Delivers the command. Returns 0 when the device answered (look at status and sense), or a
         * negative errno when it could not be delivered: -ENODEV device gone, -ETIMEDOUT, -EIO. */
        int (*execute)(Transport *t, ScsiCommand *cmd);
        void (*free)(Transport *t);
} TransportOps;

struct Transport {
        const TransportOps *ops;
};

int transport_execute(Transport *t, ScsiCommand *cmd);
Transport *transport_free(Transport *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Transport, transport_free)
