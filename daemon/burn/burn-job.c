/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The burn job: the request's snapshot, dispatch to the strategy, thread-safe progress with an estimate,
 * cancellation and the failure message. */
#include <stdarg.h>

#include "audio-track.h"
#include "burn-internal.h"
#include "imapi-error.h"
#include "log.h"
#include "mmc.h"

static const char *const action_names[_BURN_ACTION_MAX] = {
        [BURN_ACTION_NONE] = "",
        [BURN_ACTION_PREPARING] = "preparing",
        [BURN_ACTION_WRITING] = "writing",
        [BURN_ACTION_CLOSING] = "closing",
        [BURN_ACTION_VERIFYING] = "verifying",
        [BURN_ACTION_ERASING] = "erasing",
};

static int job_snapshot_audio_now(BurnJob *job, const AudioDisc *disc)
{
        int r;

        r = audio_disc_check_burnable(disc, &job->audio_error_message);
        if (r >= 0)
                r = audio_disc_get_layout(disc, &job->layout);
        if (r >= 0)
                r = audio_source_new(disc, AUDIO_SOURCE_SAO, &job->audio_sao);
        if (r >= 0)
                r = audio_source_new(disc, AUDIO_SOURCE_TAO, &job->audio_tao);
        return r;
}

const char *burn_action_to_string(BurnAction a)
{
        if (a < 0 || a >= _BURN_ACTION_MAX)
                return "";
        return action_names[a];
}

/* The audio snapshot: the layout and both sector sources with the request's gap, taken while the disc
 * belongs to the caller (whose own gap is put back). */
static void job_snapshot_audio(BurnJob *job, AudioDisc *disc, unsigned gap)
{
        unsigned saved = audio_disc_get_gap(disc);
        int r;

        r = audio_disc_set_gap(disc, gap);
        if (r >= 0)
                r = job_snapshot_audio_now(job, disc);
        (void) audio_disc_set_gap(disc, saved);
        if (r < 0)
                job->audio_error = r;
}

int burn_job_new(const BurnRequest *req, BurnJob **ret)
{
        BurnJob *job;

        if (!req || !ret || !req->transport || !req->drive || req->kind < 0 || req->kind >= _BURN_KIND_MAX)
                return -EINVAL;
        if ((req->kind == BURN_KIND_DATA && !req->tree) || (req->kind == BURN_KIND_IMAGE && !req->image) ||
            (req->kind == BURN_KIND_AUDIO && (!req->audio || req->audio_gap > AUDIO_GAP_MAX)))
                return -EINVAL;

        job = g_new0(BurnJob, 1);
        g_mutex_init(&job->lock);
        job->req = *req;
        job->drive = *req->drive;
        job->req.drive = &job->drive;
        if (req->kind == BURN_KIND_IMAGE) {
                content_copy(&job->image, req->image);
                job->req.image = &job->image;
        }
        if (req->kind == BURN_KIND_AUDIO) {
                job_snapshot_audio(job, req->audio, req->audio_gap);
                job->req.audio = NULL; /* the snapshot is all the job uses */
        }
        *ret = job;
        return 0;
}

BurnJob *burn_job_free(BurnJob *job)
{
        if (!job)
                return NULL;
        job->master = master_image_free(job->master);
        content_done(&job->image);
        audio_layout_free(job->layout);
        audio_source_free(job->audio_sao);
        audio_source_free(job->audio_tao);
        g_free(job->audio_error_message);
        g_free(job->error_message);
        g_mutex_clear(&job->lock);
        g_free(job);
        return NULL;
}

void burn_job_cancel(BurnJob *job)
{
        if (job)
                g_atomic_int_set(&job->cancelled, 1);
}

bool burn_job_is_cancelled(BurnJob *job)
{
        return g_atomic_int_get(&job->cancelled) || worker_is_cancelled(job->worker);
}

const char *burn_job_get_error_message(BurnJob *job)
{
        return job->error_message;
}

/* ---- Progress ---- */

void burn_job_get_progress(BurnJob *job, BurnProgress *ret)
{
        g_mutex_lock(&job->lock);
        *ret = job->progress;
        g_mutex_unlock(&job->lock);
}

void burn_job_set_action(BurnJob *job, BurnAction action)
{
        g_mutex_lock(&job->lock);
        job->progress.action = action;
        g_mutex_unlock(&job->lock);
}

void burn_job_set_totals(BurnJob *job, uint64_t blocks_total, uint32_t n_tracks)
{
        g_mutex_lock(&job->lock);
        job->progress.blocks_total = blocks_total;
        job->progress.n_tracks = n_tracks;
        g_mutex_unlock(&job->lock);
}

void burn_job_set_track(BurnJob *job, uint32_t track)
{
        g_mutex_lock(&job->lock);
        job->progress.track = track;
        g_mutex_unlock(&job->lock);
}

void burn_job_set_erase_progress(BurnJob *job, bool valid, uint32_t done)
{
        g_mutex_lock(&job->lock);
        job->progress.erase_progress_valid = valid;
        job->progress.erase_done = MIN(done, 65536u);
        g_mutex_unlock(&job->lock);
}

void burn_job_set_estimate(BurnJob *job, MediumClass c, uint32_t x, uint64_t blocks)
{
        g_mutex_lock(&job->lock);
        job->estimate_class = c;
        job->estimate_x = x;
        job->estimate_blocks = blocks;
        job->progress.estimated_usec = burn_duration_usec(c, x, blocks);
        g_mutex_unlock(&job->lock);
}

/* Once a second of writing has passed: elapsed + what remains at the rate measured so far. */
static void estimate_refine_locked(BurnJob *job, int64_t now)
{
        const BurnProgress *p = &job->progress;
        int64_t elapsed = now - job->write_start_usec;
        double rate;

        if (job->write_start_usec == 0 || elapsed < G_USEC_PER_SEC || p->blocks_written == 0 ||
            p->blocks_total <= p->blocks_written)
                return;
        rate = (double) p->blocks_written / (double) elapsed;
        job->progress.estimated_usec =
                (uint64_t) elapsed + (uint64_t) ((double) (p->blocks_total - p->blocks_written) / rate);
}

void burn_job_add_written(BurnJob *job, uint64_t blocks)
{
        int64_t now = g_get_monotonic_time();

        g_mutex_lock(&job->lock);
        if (job->write_start_usec == 0)
                job->write_start_usec = now;
        job->progress.blocks_written =
                MIN(job->progress.blocks_written + blocks, job->progress.blocks_total);
        estimate_refine_locked(job, now);
        g_mutex_unlock(&job->lock);
}

/* ---- Failures ---- */

int burn_job_fail(BurnJob *job, int code, const char *format, ...)
{
        if (!job->error_message) {
                va_list ap;

                va_start(ap, format);
                job->error_message = g_strdup_vprintf(format, ap);
                va_end(ap);
        }
        return -errno_of(code);
}

int burn_job_fail_mmc(BurnJob *job, int code, const char *what)
{
        const char *sense = mmc_last_sense_string();

        if (sense)
                return burn_job_fail(job, code, "%s: %s", what, sense);
        return burn_job_fail(job, code, "%s: %s", what, imapi_error_message(code) ?: error_to_string(code));
}

/* ---- Common steps ---- */

int burn_probe(BurnJob *job)
{
        int r;

        r = mmc_probe_media(job->req.transport, &job->drive, &job->media);
        if (r == -IMAPI_ERROR_DEVICE_NOT_PRESENT)
                return burn_job_fail(job, r, "The recorder is no longer present");
        if (r < 0)
                return burn_job_fail_mmc(job, r, "Cannot read the medium");
        if (!job->media.present)
                return burn_job_fail(job, IMAPI_ERROR_MEDIUM_NOT_PRESENT,
                                     "There is no medium in the recorder");
        log_debug("burn: medium %s, %s, free %" PRIu32 " of %" PRIu32 " blocks from %" PRIu32,
                  job->media.profile_name, write_class_to_string(job->media.write_class),
                  job->media.free_blocks, job->media.total_blocks, job->media.next_writable);
        return 0;
}

void burn_eject_if_asked(BurnJob *job)
{
        int r;

        if (!job->req.eject_after)
                return;
        burn_unlock_tray(job);
        r = spc_start_stop_unit(job->req.transport, SPC_START_STOP_EJECT, false);
        if (r < 0)
                log_debug_errno(r, "burn: eject failed, ignoring: %m");
}

static int job_dispatch(BurnJob *job)
{
        switch (job->req.kind) {
        case BURN_KIND_DATA:
        case BURN_KIND_IMAGE:
                return burn_data_run(job);
        case BURN_KIND_AUDIO:
                if (job->audio_error < 0)
                        return burn_job_fail(job, job->audio_error, "%s",
                                             job->audio_error_message ?: imapi_error_message(job->audio_error)
                                                                                 ?: "The audio disc cannot be burned");
                return burn_audio_run(job);
        case BURN_KIND_ERASE:
                return burn_erase_run(job);
        default:
                return -EINVAL;
        }
}

int burn_job_run(BurnJob *job, Worker *w)
{
        int r;

        if (job->ran)
                return -EALREADY;
        job->ran = true;
        job->worker = w;
        burn_job_set_action(job, BURN_ACTION_PREPARING);

        r = job_dispatch(job);
        if (r < 0 && burn_job_is_cancelled(job) && r != -IMAPI_ERROR_DEVICE_NOT_PRESENT &&
            r != -IMAPI_ERROR_MEDIUM_NOT_PRESENT)
                r = -IMAPI_ERROR_USER_ABORT;
        if (r == -IMAPI_ERROR_USER_ABORT) {
                g_clear_pointer(&job->error_message, g_free);
                (void) burn_job_fail(job, r, "The burn was cancelled after %" PRIu64 " blocks",
                                     job->blocks_written);
        }
        if (r < 0 && !job->error_message)
                (void) burn_job_fail(job, r, "%s", imapi_error_message(r) ?: error_to_string(r));
        burn_unlock_tray(job);
        burn_job_set_action(job, BURN_ACTION_NONE);
        job->worker = NULL;
        if (r < 0)
                log_debug("burn: failed: %s", job->error_message);
        return r < 0 ? r : 0;
}
