/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Red Book burns on a blank CD-R/RW:
 *   SAO (the drive has CD Mastering with SAO): page 05h write type SAO with the MCN, SEND CUE SHEET,
 *       CD-TEXT packs in the lead-in from the ATIP lead-in start up to LBA -150, then every block from
 *       LBA -150 (track 1's pregap, tracks and gaps) to the lead-out, SYNCHRONIZE CACHE; the drive writes
 *       the lead-in TOC and the lead-out itself (MMC-6 §4.2.3.5, §6.33).
 *   TAO (fallback): per track page 05h with the pause before it and its ISRC, READ TRACK INFORMATION,
 *       WRITE, SYNCHRONIZE CACHE; CLOSE SESSION at the end. No CD-TEXT (the drive writes the lead-in).
 * Audio discs are always finalized: CD players read only a closed disc. */
#include "audio-cdtext.h"
#include "audio-cuesheet.h"
#include "burn-internal.h"
#include "imapi-error.h"
#include "log.h"
#include "mmc.h"

#define AUDIO_CHUNK_BLOCKS  27  /* 63,504 bytes per WRITE */
#define AUDIO_FIFO_CHUNKS   64  /* 4 MiB read ahead */
#define LEADIN_CHUNK_BLOCKS 256 /* 96-byte R-W blocks per WRITE */
#define SAO_START_LBA       (-150)

static int audio_set_write_parameters(BurnJob *job, const MmcWriteParameters *wp)
{
        int r;

        r = mmc_set_write_parameters(job->req.transport, wp);
        if (r < 0)
                return burn_job_fail_mmc(job, r,
                                         "The recorder refused the write parameters (mode page 05h)");
        return 0;
}

static int audio_fifo(BurnJob *job, AudioSource **source, BurnFifo **ret)
{
        int r;

        r = burn_fifo_new(burn_source_new_audio(g_steal_pointer(source)), AUDIO_CHUNK_BLOCKS,
                          AUDIO_FIFO_CHUNKS, ret);
        if (r < 0)
                return burn_job_fail(job, r, "Cannot start reading the audio");
        return 0;
}

/* CD-TEXT in the lead-in: the packs spread over the R-W sub-channel, repeated until LBA -150. */
static int audio_write_leadin(BurnJob *job, const uint8_t *packs, size_t n_packs, int32_t start)
{
        BurnRun run = {.lba = start, .block_size = CDTEXT_SUBCODE_BLOCK_SIZE};
        uint64_t n = (uint64_t) ((int64_t) SAO_START_LBA - start);
        g_autofree uint8_t *buf = g_malloc((size_t) LEADIN_CHUNK_BLOCKS * CDTEXT_SUBCODE_BLOCK_SIZE);
        int r;

        log_debug("burn: CD-TEXT lead-in, %zu packs, LBA %" PRIi32 "..%d", n_packs, start,
                  SAO_START_LBA - 1);
        for (uint64_t b = 0; b < n;) {
                uint32_t k = (uint32_t) MIN(n - b, (uint64_t) LEADIN_CHUNK_BLOCKS);

                cdtext_fill_subcode(packs, n_packs, b, buf, k);
                r = burn_write_blocks(job, &run, buf, k);
                if (r < 0)
                        return r;
                b += k;
        }
        return 0;
}

/* The CD-TEXT packs and where the lead-in starts (ATIP), when the layout has any text. */
static int audio_cdtext(BurnJob *job, uint8_t **ret_packs, size_t *ret_n_packs, int32_t *ret_leadin)
{
        MmcAtip atip;
        int r;

        r = cdtext_build(job->layout, ret_packs, ret_n_packs);
        if (r < 0)
                return burn_job_fail(job, r, "Cannot build the CD-TEXT");
        r = mmc_read_atip(job->req.transport, &atip);
        if (r < 0)
                return burn_job_fail_mmc(job, r, "Cannot read the ATIP for the CD-TEXT lead-in");
        if (atip.lead_in_start >= SAO_START_LBA)
                return burn_job_fail(job, IMAPI_ERROR_RECORDER_INVALID_RESPONSE_FROM_DEVICE,
                                     "The ATIP gives an impossible lead-in start (LBA %" PRIi32 ")",
                                     atip.lead_in_start);
        *ret_leadin = atip.lead_in_start;
        return 0;
}

static int audio_sao_write(BurnJob *job, bool text, const uint8_t *packs, size_t n_packs, int32_t leadin)
{
        g_autoptr(BurnFifo) fifo = NULL;
        BurnRun run = {.lba = SAO_START_LBA, .block_size = AUDIO_BLOCK_SIZE};
        int r;

        r = audio_fifo(job, &job->audio_sao, &fifo);
        if (r < 0)
                return r;
        burn_job_set_track(job, 1);
        burn_job_set_action(job, BURN_ACTION_WRITING);
        if (text) {
                r = audio_write_leadin(job, packs, n_packs, leadin);
                if (r < 0)
                        return r;
        }
        r = burn_write_track(job, fifo, &run, 0);
        if (r < 0)
                return r;
        return burn_sync(job);
}

static int audio_sao(BurnJob *job)
{
        const AudioLayout *l = job->layout;
        bool text = audio_layout_has_text(l);
        g_autofree uint8_t *packs = NULL, *cue = NULL;
        size_t n_packs = 0, cue_size = 0;
        MmcWriteParameters wp;
        int32_t leadin = 0;
        int r;

        if (text) {
                r = audio_cdtext(job, &packs, &n_packs, &leadin);
                if (r < 0)
                        return r;
        }
        r = audio_cuesheet_build(l, text, &cue, &cue_size);
        if (r < 0)
                return burn_job_fail(job, r, "Cannot build the cue sheet");
        mmc_write_parameters_cd_audio_sao(&wp, job->req.simulate, burn_bufe_wanted(&job->req, &job->media),
                                          l->mcn[0] ? l->mcn : NULL);
        r = audio_set_write_parameters(job, &wp);
        if (r < 0)
                return r;
        log_debug("burn: SAO, %u tracks, lead-out at LBA %" PRIi32 ", CD-TEXT %s", l->n_tracks,
                  l->leadout_lba, text ? "yes" : "no");
        r = mmc_send_cue_sheet(job->req.transport, cue, cue_size);
        if (r < 0)
                return burn_job_fail_mmc(job, r, "The recorder refused the cue sheet");
        r = audio_sao_write(job, text, packs, n_packs, leadin);
        if (r < 0)
                burn_recover(job, r, &wp, 1, true);
        return r;
}

/* Page 05h for one TAO track: the pause the drive writes before it, its ISRC, the disc's MCN. */
static void audio_tao_parameters(BurnJob *job, const AudioTaoTrack *t, MmcWriteParameters *ret)
{
        const AudioLayout *l = job->layout;

        mmc_write_parameters_cd_audio_tao(ret, job->req.simulate, burn_bufe_wanted(&job->req, &job->media),
                                          false);
        ret->audio_pause_length = (uint16_t) t->pause_blocks;
        g_strlcpy(ret->isrc, l->tracks[t->number - 1].isrc, sizeof(ret->isrc));
        g_strlcpy(ret->mcn, l->mcn, sizeof(ret->mcn));
}

static int audio_tao_track(BurnJob *job, BurnFifo *fifo, const AudioTaoTrack *t, uint16_t number,
                           MmcWriteParameters *wp)
{
        BurnRun run = {.block_size = AUDIO_BLOCK_SIZE, .min_blocks = AUDIO_TRACK_MIN_BLOCKS};
        int r;

        audio_tao_parameters(job, t, wp);
        r = audio_set_write_parameters(job, wp);
        if (r >= 0)
                r = burn_read_nwa(job, number, &run.lba);
        if (r < 0)
                return r;
        log_debug("burn: TAO track %u at LBA %" PRIi32 ", %" PRIu32 " blocks after a pause of %" PRIu32,
                  t->number, run.lba, t->blocks, t->pause_blocks);
        burn_job_set_track(job, t->number);
        burn_job_set_action(job, BURN_ACTION_WRITING);
        r = burn_write_track(job, fifo, &run, t->number);
        if (r < 0)
                return r;
        return burn_sync(job); /* ends the track on CD TAO */
}

static int audio_tao(BurnJob *job)
{
        g_autoptr(BurnFifo) fifo = NULL;
        MmcWriteParameters wp = {};
        AudioTaoPlan plan;
        uint16_t first = job->media.next_track > 0 ? job->media.next_track : 1, number = first;
        int r;

        audio_layout_plan_tao(job->layout, &plan);
        r = audio_fifo(job, &job->audio_tao, &fifo);
        for (unsigned i = 0; r >= 0 && i < plan.n_tracks; i++) {
                number = (uint16_t) (first + i);
                r = audio_tao_track(job, fifo, &plan.tracks[i], number, &wp);
        }
        if (r >= 0) {
                r = mmc_close_after_write(job->req.transport, &job->media, number, true, false);
                if (r < 0)
                        r = burn_job_fail_mmc(job, r, "Cannot finalize the disc");
        }
        if (r < 0)
                burn_recover(job, r, wp.write_type == MMC_WRITE_TYPE_TAO ? &wp : NULL, number, false);
        return r;
}

static int audio_check(BurnJob *job, uint64_t *ret_blocks)
{
        const MediaInfo *m = &job->media;
        bool sao = job->drive.features.cd_sao;
        AudioTaoPlan plan;
        int32_t leadout;
        int r;

        r = burn_check_medium(m, &job->error_message);
        if (r >= 0)
                r = burn_check_request(&job->req, m, &job->error_message);
        if (r < 0)
                return r;
        audio_layout_plan_tao(job->layout, &plan);
        leadout = sao ? job->layout->leadout_lba : plan.leadout_lba + AUDIO_TAO_RUN_OUT_BLOCKS;
        r = burn_check_fits(m, (uint64_t) MAX(leadout, 0), &job->error_message);
        if (r < 0)
                return r;
        *ret_blocks = audio_source_get_total_blocks(sao ? job->audio_sao : job->audio_tao);
        return 0;
}

int burn_audio_run(BurnJob *job)
{
        uint64_t blocks = 0;
        uint32_t x = 0;
        int r;

        r = burn_probe(job);
        if (r >= 0)
                r = audio_check(job, &blocks);
        if (r >= 0 && burn_job_is_cancelled(job))
                r = -IMAPI_ERROR_USER_ABORT;
        if (r >= 0)
                r = burn_lock_tray(job);
        if (r >= 0)
                r = burn_speed_apply(job, &job->media, &x);
        if (r < 0)
                return r;
        burn_job_set_totals(job, blocks, job->layout->n_tracks);
        burn_job_set_estimate(job, MEDIUM_CLASS_CD, x, blocks);
        r = job->drive.features.cd_sao ? audio_sao(job) : audio_tao(job);
        if (r < 0)
                return r;
        burn_eject_if_asked(job);
        return 0;
}
