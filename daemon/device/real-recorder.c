/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Real recorders: the hold of a /dev/srN drive (O_EXCL on the node and its siblings) and its release. */
#include <errno.h>

#include "imapi-error.h"
#include "log.h"
#include "real-recorder.h"
#include "spc.h"
#include "transport-cdio.h"

/* SetActiveRecorder: the drive is ours alone until release (DESIGN.md §5). */
static int real_recorder_acquire(Recorder *r)
{
        int k = transport_cdio_hold(r->transport);

        if (k == -ENODEV)
                return -IMAPI_ERROR_DEVICE_NOT_PRESENT;
        if (k < 0)
                return log_debug_errno(-IMAPI_ERROR_DEVICE_NOT_ACCESSIBLE, "Cannot open %s exclusively: %s",
                                       r->device, error_to_string(k));
        return 0;
}

/* Every way a hold ends comes here (Close, another recorder, the client's crash, shutdown): the tray
 * lock a burn may have left (PREVENT ALLOW MEDIUM REMOVAL) goes first, then the exclusive fds. */
static void real_recorder_release(Recorder *r)
{
        int k;

        if (!r->gone && transport_cdio_is_held(r->transport)) {
                k = spc_prevent_allow_medium_removal(r->transport, false);
                if (k < 0)
                        log_debug_errno(k, "Failed to allow medium removal on %s, ignoring: %m", r->device);
        }
        transport_cdio_release(r->transport);
}

static const RecorderOps real_recorder_ops = {
        .acquire = real_recorder_acquire,
        .release = real_recorder_release,
};

int real_recorder_new(const char *id, const char *object_path, const char *devnode, const char *syspath,
                      Recorder **ret)
{
        Transport *t;
        Recorder *r;
        int k;

        k = transport_cdio_new(devnode, syspath, &t);
        if (k < 0)
                return k;
        r = recorder_new(id, object_path, t);
        g_free(r->device);
        r->device = g_strdup(devnode);
        r->syspath = g_strdup(syspath);
        r->ops = &real_recorder_ops;
        *ret = r;
        return 0;
}

void real_recorder_set_gone(Recorder *r)
{
        r->gone = true;
        transport_cdio_set_gone(r->transport);
}
