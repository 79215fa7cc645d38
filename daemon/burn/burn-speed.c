/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Write speed (SET CD SPEED / SET STREAMING through mmc_media_set_write_speed()), the choice of buffer
 * underrun protection, and the duration estimate. */
#include "burn-internal.h"
#include "imapi-error.h"
#include "log.h"
#include "mmc.h"

#define CD_SECTORS_PER_SECOND 75u

bool burn_bufe_wanted(const BurnRequest *req, const MediaInfo *m)
{
        /* -1: on whenever the drive can do it for this medium; 1 asks for it (only possible where it
         * can); 0 off. Page 05h carries it, so only CD and DVD-R/-RW use it. */
        if (req->enable_bufe == 0)
                return false;
        return m->bufe;
}

/* The x-factor to expect: the one asked for, bounded by the fastest the medium offers. */
static uint32_t speed_expected(const BurnRequest *req, const MediaInfo *m)
{
        uint32_t max = m->max_write_speed;

        if (req->write_speed == 0)
                return max;
        if (max == 0)
                return req->write_speed;
        for (size_t i = 0; i < m->n_write_speeds; i++) /* what mmc_media_set_write_speed() picks */
                if (m->write_speeds[i].x <= req->write_speed)
                        return m->write_speeds[i].x;
        return m->n_write_speeds > 0 ? m->write_speeds[m->n_write_speeds - 1].x : req->write_speed;
}

int burn_speed_apply(BurnJob *job, const MediaInfo *m, uint32_t *ret_x)
{
        int r;

        r = mmc_media_set_write_speed(job->req.transport, m, job->req.write_speed);
        if (r == -IMAPI_ERROR_DEVICE_NOT_PRESENT || r == -IMAPI_ERROR_MEDIUM_NOT_PRESENT)
                return burn_job_fail_mmc(job, r, "Cannot set the write speed");
        if (r < 0)
                log_debug_errno(r, "burn: setting the write speed to %ux failed, ignoring: %m",
                                job->req.write_speed);
        *ret_x = speed_expected(&job->req, m);
        return 0;
}

uint64_t burn_duration_usec(MediumClass c, uint32_t x, uint64_t blocks)
{
        uint64_t kbps;

        if (x == 0)
                return 0;
        if (c == MEDIUM_CLASS_CD)
                return blocks * G_USEC_PER_SEC / ((uint64_t) x * CD_SECTORS_PER_SECOND);
        kbps = speed_x_to_kbps(c, x);
        if (kbps == 0)
                return 0;
        /* blocks × 2048 bytes / (kbps × 1000 bytes/s), in µs */
        return blocks * 2048u * 1000u / kbps;
}
