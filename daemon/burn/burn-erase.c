/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Erasing: BLANK for CD-RW and DVD-RW (minimal or full, MMC-6 §6.2), FORMAT UNIT for the overwrite media
 * DVD+RW, DVD-RAM and BD-RE (MMC-6 §6.5), then the start of the disc is zeroed so no file system is left
 * for a reader to find there. Progress comes from the drive's sense-key-specific bytes. A drive cannot
 * stop an erase it has started, so cancelling does not interrupt one. */
#include "burn-internal.h"
#include "imapi-error.h"
#include "log.h"
#include "mmc.h"

/* Blocks zeroed at the start of overwrite media: the ISO 9660 volume descriptors (16..) and the UDF
 * anchor (256) of any image written at LBA 0. A multiple of 32 (BD cluster, DVD ECC block). */
#define ERASE_ZERO_BLOCKS 288

static int erase_progress(bool valid, uint32_t done, void *userdata)
{
        burn_job_set_erase_progress(userdata, valid, done);
        return 0;
}

static int erase_failed(BurnJob *job, int r, const char *what)
{
        if (r == -IMAPI_ERROR_RECORDER_COMMAND_TIMEOUT)
                return burn_job_fail(job, IMAPI_ERROR_ERASE_TOOK_LONGER_THAN_ONE_HOUR,
                                     "%s: the recorder did not finish within an hour", what);
        return burn_job_fail_mmc(job, r, what);
}

static int erase_blank(BurnJob *job)
{
        uint8_t type = job->req.erase_full ? MMC_BLANK_FULL : MMC_BLANK_MINIMAL;
        int r;

        log_debug("burn: %s blank of the %s", job->req.erase_full ? "full" : "minimal",
                  job->media.profile_name);
        r = mmc_blank(job->req.transport, type, 0, 0, erase_progress, job);
        if (r < 0)
                return erase_failed(job, r, "Cannot erase the disc");
        return 0;
}

/* The format of a full erase: BD-RE with full certification; the others as for a first format. */
static int erase_format_request(BurnJob *job, MmcFormatRequest *ret)
{
        int r;

        r = mmc_format_request_for_medium(&job->media, ret);
        if (r < 0)
                return burn_job_fail(job, IMAPI_ERROR_ERASE_MEDIA_IS_NOT_SUPPORTED,
                                     "The recorder offers no format imapid can use for this %s",
                                     job->media.profile_name);
        if (job->req.erase_full && job->media.profile == MMC_PROFILE_BD_RE)
                ret->subtype = 2; /* MMC-6 §6.5.4.2.14: full certification */
        return 0;
}

static int erase_zero_start(BurnJob *job)
{
        uint32_t blocks = MIN((uint32_t) ERASE_ZERO_BLOCKS, job->media.total_blocks);
        BurnRun run = {.block_size = MASTER_BLOCK_SIZE,
                       .streaming = job->media.profile == MMC_PROFILE_BD_RE,
                       .min_blocks = blocks};
        int r;

        if (blocks == 0)
                return 0;
        r = burn_write_padding(job, &run);
        if (r == -IMAPI_ERROR_USER_ABORT)
                return 0; /* the medium is formatted: stopping here leaves it usable */
        if (r < 0)
                return r;
        r = mmc_synchronize_cache(job->req.transport, 0);
        if (r < 0)
                return burn_job_fail_mmc(job, r, "Cannot write the recorder's buffer to the medium");
        return 0;
}

/* Overwrite media: format when unformatted or for a full erase, then zero the file system area. */
static int erase_format(BurnJob *job)
{
        MmcFormatRequest f;
        int r;

        if (job->media.needs_format || job->req.erase_full) {
                r = erase_format_request(job, &f);
                if (r < 0)
                        return r;
                log_debug("burn: formatting the %s (type %02Xh, subtype %u)", job->media.profile_name,
                          f.type, f.subtype);
                r = mmc_format_unit(job->req.transport, &f, 0, erase_progress, job);
                if (r < 0)
                        return erase_failed(job, r, "Cannot format the medium");
                r = mmc_probe_media(job->req.transport, &job->drive, &job->media);
                if (r < 0)
                        return burn_job_fail_mmc(job, r, "Cannot read the medium after formatting");
        }
        return erase_zero_start(job);
}

int burn_erase_run(BurnJob *job)
{
        const MediaInfo *m = &job->media;
        int r;

        r = burn_probe(job);
        if (r < 0)
                return r;
        if (m->write_protected)
                return burn_job_fail(job, IMAPI_ERROR_RECORDER_MEDIA_WRITE_PROTECTED,
                                     "The medium (%s) is write-protected", m->profile_name);
        if (!m->erasable && m->write_class != WRITE_CLASS_OVERWRITE)
                return burn_job_fail(job, IMAPI_ERROR_ERASE_MEDIA_IS_NOT_ERASABLE,
                                     "A %s cannot be erased (CD-RW, DVD-RW, DVD+RW, DVD-RAM and BD-RE can)",
                                     m->profile_name);
        if (m->unsupported)
                return burn_job_fail(job, IMAPI_ERROR_ERASE_MEDIA_IS_NOT_SUPPORTED,
                                     "The recorder cannot erase the %s in it", m->profile_name);
        r = burn_lock_tray(job);
        if (r < 0)
                return r;
        burn_job_set_action(job, BURN_ACTION_ERASING);
        burn_job_set_erase_progress(job, true, 0);
        /* A full erase goes over the whole disc at the write speed; a quick one a small part of it. */
        burn_job_set_estimate(job, m->medium_class, m->max_write_speed,
                              job->req.erase_full ? m->total_blocks : m->total_blocks / 20);
        r = m->erasable ? erase_blank(job) : erase_format(job);
        if (r < 0)
                return r;
        burn_job_set_erase_progress(job, true, 65536);
        burn_eject_if_asked(job);
        return 0;
}
