/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The write loop shared by the strategies: WRITE(10)/(12) of whole chunks from the FIFO at the next
 * address, padding to the medium's write unit, cancellation between WRITEs, a message naming the LBA
 * of a failure, and what is left to do after one (flush, close, end a Test Write, unlock). */
#include <string.h>

#include "burn-internal.h"
#include "imapi-error.h"
#include "log.h"
#include "mmc.h"

#define PAD_CHUNK_BLOCKS 32

/* The address a failed WRITE names: the sense's INFORMATION field when the drive set it. */
static int64_t failed_lba(int32_t lba)
{
        ScsiSense sense;
        uint8_t opcode;

        if (mmc_last_sense(&opcode, &sense) && sense.information_valid)
                return (int32_t) (uint32_t) sense.information;
        return lba;
}

static int write_failed(BurnJob *job, int r, int32_t lba, uint32_t blocks)
{
        const char *sense = mmc_last_sense_string();
        int64_t at = failed_lba(lba);

        switch (-r) {
        case IMAPI_ERROR_DEVICE_NOT_PRESENT:
                return burn_job_fail(job, r, "The recorder disappeared while writing at LBA %" PRIi64, at);
        case IMAPI_ERROR_MEDIUM_NOT_PRESENT:
                return burn_job_fail(job, r, "The medium was removed while writing at LBA %" PRIi64, at);
        case IMAPI_ERROR_LOSS_OF_STREAMING:
                return burn_job_fail(job, r,
                                     "Buffer underrun (loss of streaming) at LBA %" PRIi64 "%s%s: the data "
                                     "did not arrive fast enough; turn on buffer underrun protection or "
                                     "lower the write speed",
                                     at, sense ? ": " : "", sense ?: "");
        case IMAPI_ERROR_RECORDER_MEDIA_WRITE_PROTECTED:
                return burn_job_fail(job, r, "The medium is write-protected (WRITE at LBA %" PRIi32 "%s%s)",
                                     lba, sense ? ": " : "", sense ?: "");
        case IMAPI_ERROR_MEDIUM_ERROR:
                return burn_job_fail(job, r, "Write error at LBA %" PRIi64 ": %s", at,
                                     sense ?: "medium error");
        default:
                return burn_job_fail(job, r, "Cannot write %" PRIu32 " blocks at LBA %" PRIi32 ": %s", blocks,
                                     lba, sense ?: imapi_error_message(r) ?: error_to_string(r));
        }
}

int burn_write_blocks(BurnJob *job, BurnRun *run, const uint8_t *data, uint32_t blocks)
{
        int r;

        if (burn_job_is_cancelled(job))
                return -IMAPI_ERROR_USER_ABORT;
        if (job->req.write_hook) {
                job->req.write_hook(job, job->blocks_written, job->req.write_hook_userdata);
                if (burn_job_is_cancelled(job))
                        return -IMAPI_ERROR_USER_ABORT;
        }
        r = mmc_write(job->req.transport, (uint32_t) run->lba, data, blocks, run->block_size,
                      run->streaming);
        if (r < 0)
                return write_failed(job, r, run->lba, blocks);
        run->lba += (int32_t) blocks;
        run->written += blocks;
        return 0;
}

static uint32_t run_align(const BurnRun *run)
{
        return run->align > 1 ? run->align : 1;
}

/* A last chunk that ends inside a write unit goes out with the zeros that complete the unit. */
static int write_chunk(BurnJob *job, BurnRun *run, const BurnChunk *c)
{
        uint32_t align = run_align(run), padded = (uint32_t) ROUND_UP(c->blocks, align);
        g_autofree uint8_t *buf = NULL;

        if (padded == c->blocks)
                return burn_write_blocks(job, run, c->data, c->blocks);
        buf = g_malloc0((size_t) padded * run->block_size);
        memcpy(buf, c->data, (size_t) c->blocks * run->block_size);
        return burn_write_blocks(job, run, buf, padded);
}

int burn_write_track(BurnJob *job, BurnFifo *f, BurnRun *run, unsigned track)
{
        g_autofree char *message = NULL;
        BurnChunk c;
        int r;

        for (;;) {
                r = burn_fifo_peek(f, &c, &message);
                if (r < 0)
                        return burn_job_fail(job, r, "%s", message ?: "Cannot read the data to burn");
                if (r == 0 || (track > 0 && c.track != track))
                        break;
                burn_job_set_track(job, c.track);
                r = write_chunk(job, run, &c);
                if (r < 0)
                        return r;
                burn_fifo_next(f);
                job->blocks_written += c.blocks;
                burn_job_add_written(job, c.blocks);
        }
        return burn_write_padding(job, run);
}

int burn_write_padding(BurnJob *job, BurnRun *run)
{
        uint64_t need = MAX((uint64_t) ROUND_UP(run->written, (uint64_t) run_align(run)), run->min_blocks);
        g_autofree uint8_t *zeros = NULL;
        int r;

        if (run->written >= need)
                return 0;
        zeros = g_malloc0((size_t) PAD_CHUNK_BLOCKS * run->block_size);
        while (run->written < need) {
                uint32_t n = (uint32_t) MIN(need - run->written, (uint64_t) PAD_CHUNK_BLOCKS);

                r = burn_write_blocks(job, run, zeros, n);
                if (r < 0)
                        return r;
        }
        return 0;
}

int burn_read_nwa(BurnJob *job, uint16_t track, int32_t *ret_nwa)
{
        MmcTrackInfo ti;
        int r;

        r = mmc_read_track_information(job->req.transport, MMC_TRACK_ADDRESS_TRACK, track, &ti);
        if ((r < 0 || !ti.nwa_valid) && r != -IMAPI_ERROR_DEVICE_NOT_PRESENT &&
            job->media.medium_class == MEDIUM_CLASS_CD)
                r = mmc_read_track_information(job->req.transport, MMC_TRACK_ADDRESS_TRACK,
                                               MMC_TRACK_INVISIBLE, &ti);
        if (r < 0)
                return burn_job_fail_mmc(job, r, "Cannot read the next writable address");
        if (!ti.nwa_valid)
                return burn_job_fail(job, IMAPI_ERROR_MEDIUM_CLOSED,
                                     "The recorder reports no writable address on the medium");
        *ret_nwa = (int32_t) ti.nwa;
        return 0;
}

int burn_sync(BurnJob *job)
{
        int r;

        burn_job_set_action(job, BURN_ACTION_CLOSING);
        r = mmc_synchronize_cache(job->req.transport, 0);
        if (r < 0)
                return burn_job_fail_mmc(job, r, "Cannot write the recorder's buffer to the medium");
        return 0;
}

int burn_lock_tray(BurnJob *job)
{
        int r;

        r = spc_prevent_allow_medium_removal(job->req.transport, true);
        if (r == -IMAPI_ERROR_DEVICE_NOT_PRESENT)
                return burn_job_fail(job, r, "The recorder is no longer present");
        if (r < 0) {
                log_debug_errno(r, "burn: cannot lock the tray, ignoring: %m");
                return 0;
        }
        job->locked = true;
        return 0;
}

void burn_unlock_tray(BurnJob *job)
{
        int r;

        if (!job->locked)
                return;
        job->locked = false;
        r = spc_prevent_allow_medium_removal(job->req.transport, false);
        if (r < 0)
                log_debug_errno(r, "burn: cannot unlock the tray, ignoring: %m");
}

static void recover_close(BurnJob *job, const MmcWriteParameters *wp, uint16_t track)
{
        int r;

        if (wp) { /* keep the disc appendable whatever was asked: the session is cut short */
                MmcWriteParameters p = *wp;

                if (job->media.write_class == WRITE_CLASS_CD || p.write_type == MMC_WRITE_TYPE_INCREMENTAL)
                        p.multisession = MMC_MULTISESSION_OPEN;
                (void) mmc_set_write_parameters(job->req.transport, &p);
        }
        r = mmc_close_after_write(job->req.transport, &job->media, track, false, false);
        if (r < 0)
                log_debug_errno(r, "burn: closing after the cancellation failed, ignoring: %m");
}

void burn_recover(BurnJob *job, int error, const MmcWriteParameters *wp, uint16_t track, bool dao)
{
        int r;

        if (error == -IMAPI_ERROR_DEVICE_NOT_PRESENT || error == -IMAPI_ERROR_MEDIUM_NOT_PRESENT)
                return;
        r = mmc_synchronize_cache(job->req.transport, 0);
        if (r < 0)
                log_debug_errno(r, "burn: flushing after a failure failed, ignoring: %m");
        if (error == -IMAPI_ERROR_USER_ABORT && !dao && job->blocks_written > 0)
                recover_close(job, wp, track);
        if (job->req.simulate && wp) { /* leave Test Write: the drive forgets the simulated track */
                MmcWriteParameters p = *wp;

                p.test_write = false;
                (void) mmc_set_write_parameters(job->req.transport, &p);
        }
}
