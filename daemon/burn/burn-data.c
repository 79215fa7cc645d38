/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Data and image burns, one strategy per write class (daemon/mmc/README.md "Write recipes"):
 *   CD-R/RW            TAO data track, page 05h multi-session 11b (appendable) or 00b (finalize)
 *   DVD-R/-RW seq.     incremental (page 05h write type 00h, fixed packets of 16), or Disc-At-Once with
 *                      RESERVE TRACK on media that take nothing else (a fast-blanked DVD-RW)
 *   DVD+R(/DL), BD-R   no page 05h: WRITE at the NWA, CLOSE TRACK, CLOSE SESSION or finalize
 *   overwrite media    FORMAT UNIT when unformatted, WRITE from LBA 0, close per medium
 * A data session is mastered at the next writable address; an image only goes to LBA 0. */
#include "burn-internal.h"
#include "imapi-error.h"
#include "log.h"
#include "master-tree.h"
#include "mmc.h"

#define DATA_CHUNK_BLOCKS 32 /* 64 KiB per WRITE: every drive takes it; a BD cluster, two DVD ECC blocks */
#define DATA_FIFO_CHUNKS  64 /* 4 MiB read ahead */
#define CD_MIN_TRACK      300
#define DVD_ECC_BLOCKS    16

typedef struct DataPlan {
        uint64_t blocks; /* the session's user blocks */
        MmcWriteParameters wp;
        bool has_wp;
        bool dao;       /* DVD-R Disc-At-Once: the reserved track closes itself */
        uint16_t track; /* the track being written */
        BurnRun run;
} DataPlan;

static int data_set_write_parameters(BurnJob *job, DataPlan *p)
{
        int r;

        p->has_wp = true;
        r = mmc_set_write_parameters(job->req.transport, &p->wp);
        if (r < 0)
                return burn_job_fail_mmc(job, r,
                                         "The recorder refused the write parameters (mode page 05h)");
        return 0;
}

static int data_prepare_cd(BurnJob *job, DataPlan *p)
{
        const MediaInfo *m = &job->media;
        int r;

        mmc_write_parameters_cd_data_tao(&p->wp, job->req.simulate, burn_bufe_wanted(&job->req, m),
                                         !job->req.close_disc);
        r = data_set_write_parameters(job, p);
        if (r < 0)
                return r;
        p->run = (BurnRun){.block_size = MASTER_BLOCK_SIZE, .min_blocks = CD_MIN_TRACK};
        return burn_read_nwa(job, p->track, &p->run.lba);
}

static int data_prepare_dvd_minus(BurnJob *job, DataPlan *p)
{
        const MediaInfo *m = &job->media;
        int r;

        p->dao = !m->incremental;
        mmc_write_parameters_dvd_minus(&p->wp, m->incremental, job->req.simulate,
                                       burn_bufe_wanted(&job->req, m), !job->req.close_disc, m->link_size);
        r = data_set_write_parameters(job, p);
        if (r < 0)
                return r;
        if (p->dao) {
                log_debug("burn: %s takes Disc-At-Once only: one session, closed", m->profile_name);
                r = mmc_reserve_track(job->req.transport, (uint32_t) ROUND_UP(p->blocks, DVD_ECC_BLOCKS));
                if (r < 0)
                        return burn_job_fail_mmc(job, r, "Cannot reserve the track");
        }
        p->run = (BurnRun){.block_size = MASTER_BLOCK_SIZE, .align = DVD_ECC_BLOCKS};
        return burn_read_nwa(job, p->track, &p->run.lba);
}

static int data_prepare_plus_r(BurnJob *job, DataPlan *p)
{
        p->run = (BurnRun){
                .block_size = MASTER_BLOCK_SIZE,
                .streaming = job->media.write_class == WRITE_CLASS_BD_R,
        };
        return burn_read_nwa(job, p->track, &p->run.lba);
}

static int format_progress(bool valid, uint32_t done, void *userdata)
{
        burn_job_set_erase_progress(userdata, valid, done);
        return 0;
}

/* FORMAT UNIT of an unformatted overwrite medium (DVD+RW 26h, BD-RE 30h, DVD-RAM 00h), then the
 * formatted capacity. */
static int data_format(BurnJob *job, const DataPlan *p)
{
        MmcFormatRequest f;
        int r;

        r = mmc_format_request_for_medium(&job->media, &f);
        if (r < 0)
                return burn_job_fail(job, r, "imapid cannot format this medium (%s)",
                                     job->media.profile_name);
        log_debug("burn: formatting the %s (type %02Xh)", job->media.profile_name, f.type);
        r = mmc_format_unit(job->req.transport, &f, 0, format_progress, job);
        if (r < 0)
                return burn_job_fail_mmc(job, r, "Cannot format the medium");
        r = mmc_probe_media(job->req.transport, &job->drive, &job->media);
        if (r < 0)
                return burn_job_fail_mmc(job, r, "Cannot read the medium after formatting");
        return burn_check_fits(&job->media, burn_data_blocks_needed(&job->media, p->blocks),
                               &job->error_message);
}

static int data_prepare_overwrite(BurnJob *job, DataPlan *p)
{
        int r;

        if (job->media.needs_format) {
                r = data_format(job, p);
                if (r < 0)
                        return r;
        }
        p->run = (BurnRun){
                .block_size = MASTER_BLOCK_SIZE,
                .streaming = job->media.profile == MMC_PROFILE_BD_RE,
                .align = job->media.profile == MMC_PROFILE_DVD_RW_RO ? DVD_ECC_BLOCKS : 1,
        };
        return 0;
}

static int data_prepare(BurnJob *job, DataPlan *p)
{
        switch (job->media.write_class) {
        case WRITE_CLASS_CD:
                return data_prepare_cd(job, p);
        case WRITE_CLASS_DVD_MINUS_SEQ:
                return data_prepare_dvd_minus(job, p);
        case WRITE_CLASS_DVD_PLUS_R:
        case WRITE_CLASS_BD_R:
                return data_prepare_plus_r(job, p);
        case WRITE_CLASS_OVERWRITE:
                return data_prepare_overwrite(job, p);
        default:
                return burn_job_fail(job, IMAPI_ERROR_MEDIUM_INVALID_TYPE,
                                     "imapid cannot write this medium");
        }
}

/* The sector source: the tree mastered at the address the session starts at, or the image file. */
static int data_source(BurnJob *job, const DataPlan *p, BurnSource **ret)
{
        int r;

        if (job->req.kind == BURN_KIND_IMAGE) {
                *ret = burn_source_new_content(job->req.image);
                return 0;
        }
        r = master_image_new(job->req.tree, (uint32_t) p->run.lba, &job->master, &job->error_message);
        if (r < 0)
                return burn_job_fail(job, r, "Cannot master the image");
        if (master_image_get_blocks(job->master) != p->blocks)
                return burn_job_fail(job, IMAPI_ERROR_FSI_INTERNAL_ERROR,
                                     "Internal error: the image has %" PRIu64 " blocks, %" PRIu64
                                     " expected",
                                     master_image_get_blocks(job->master), p->blocks);
        *ret = burn_source_new_master(job->master);
        return 0;
}

static int data_write(BurnJob *job, DataPlan *p)
{
        g_autoptr(BurnFifo) fifo = NULL;
        BurnSource *source = NULL;
        int r;

        r = data_source(job, p, &source);
        if (r < 0)
                return r;
        r = burn_fifo_new(source, DATA_CHUNK_BLOCKS, DATA_FIFO_CHUNKS, &fifo);
        if (r < 0)
                return burn_job_fail(job, r, "Cannot start reading the data");
        log_debug("burn: writing %" PRIu64 " blocks at LBA %" PRIi32 " (track %u)", p->blocks, p->run.lba,
                  p->track);
        burn_job_set_track(job, 1); /* before the action: an observer never sees "writing" track 0 */
        burn_job_set_action(job, BURN_ACTION_WRITING);
        return burn_write_track(job, fifo, &p->run, 0);
}

static int data_close(BurnJob *job, DataPlan *p)
{
        int r;

        r = burn_sync(job);
        if (r < 0 || p->dao)
                return r;
        r = mmc_close_after_write(job->req.transport, &job->media, p->track, job->req.close_disc, false);
        if (r < 0)
                return burn_job_fail_mmc(job, r,
                                         job->req.close_disc ? "Cannot finalize the disc"
                                                             : "Cannot close the session");
        return 0;
}

static uint64_t data_blocks(BurnJob *job)
{
        if (job->req.kind == BURN_KIND_IMAGE)
                return DIV_ROUND_UP(job->req.image->size, (uint64_t) MASTER_BLOCK_SIZE);
        return master_tree_used_blocks(job->req.tree);
}

/* Everything that can refuse the burn before the drive is asked to do anything. */
static int data_check(BurnJob *job, DataPlan *p)
{
        const MediaInfo *m = &job->media;
        int r;

        r = burn_check_medium(m, &job->error_message);
        if (r >= 0)
                r = burn_check_request(&job->req, m, &job->error_message);
        if (r < 0)
                return r;
        p->blocks = data_blocks(job);
        if (p->blocks == 0)
                return burn_job_fail(job, IMAPI_ERROR_EMPTY_DISC, "There is nothing to burn");
        r = burn_check_fits(m, burn_data_blocks_needed(m, p->blocks), &job->error_message);
        if (r < 0)
                return r;
        if (job->req.kind == BURN_KIND_DATA && master_tree_has_boot(job->req.tree) && !m->overwrite &&
            !m->blank)
                return burn_job_fail(job, IMAPI_ERROR_BOOT_IMAGE_AND_NONBLANK_DISC,
                                     "A boot image can only be written to a blank disc (the %s holds data)",
                                     m->profile_name);
        p->track = m->next_track > 0 ? m->next_track : 1;
        return 0;
}

int burn_data_run(BurnJob *job)
{
        DataPlan p = {};
        uint32_t x = 0;
        int r;

        r = burn_probe(job);
        if (r >= 0)
                r = data_check(job, &p);
        if (r >= 0 && burn_job_is_cancelled(job))
                r = -IMAPI_ERROR_USER_ABORT;
        if (r >= 0)
                r = burn_lock_tray(job);
        if (r >= 0)
                r = burn_speed_apply(job, &job->media, &x);
        if (r < 0)
                return r;
        burn_job_set_totals(job, p.blocks, 1);
        burn_job_set_estimate(job, job->media.medium_class, x, p.blocks);

        r = data_prepare(job, &p);
        if (r >= 0)
                r = data_write(job, &p);
        if (r >= 0)
                r = data_close(job, &p);
        if (r < 0) {
                burn_recover(job, r, p.has_wp ? &p.wp : NULL, p.track, p.dao);
                return r;
        }
        burn_eject_if_asked(job);
        return 0;
}
