/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Burn and erase jobs on the bus: progress at most ten times a second with the last value always sent,
 * the live properties, ETA from a sliding window of samples, completion and clean-up. */
#include <errno.h>
#include <time.h>

#include "bus-burn.h"
#include "bus-disc-master.h"
#include "bus-errors.h"
#include "bus-joliet.h"
#include "bus-recorder.h"
#include "imapi-error.h"
#include "log.h"
#include "recorder.h"
#include "worker.h"

#define PROGRESS_INTERVAL_USEC                                                                              \
        (110 * 1000) /* ≤ 10 progress signals a second (DESIGN.md §4), with room for jitter */
#define PROGRESS_ACCURACY_USEC (10 * 1000)       /* sd-event would otherwise coalesce to 250 ms */
#define ETA_WINDOW_USEC        (5 * 1000 * 1000) /* rate averaged over the last five seconds */
#define N_SAMPLES              64
#define MAX_SIGNALS_PER_SECOND 10 /* progress signals of one disc master (DESIGN.md §4) */

typedef struct Sample {
        uint64_t usec;
        uint64_t blocks;
} Sample;

struct BurnCall {
        DiscMaster *dm;
        Recorder *recorder;
        BurnJob *job;
        Worker *worker;
        bool erase;
        bool detached; /* the disc master was closed: free it when the job ends */
        sd_event_source *timer;
        uint64_t start_usec;
        Sample samples[N_SAMPLES];
        unsigned n_samples, next_sample;
        BurnProgress last;                 /* the previous sample */
        BusRecorderMedia media;            /* the disc after the job, read in the worker */
        uint64_t sent_written, sent_total; /* the last BlockProgress */
        bool preparing_sent, closing_sent, succeeded;
        uint32_t sent_track; /* the last TrackProgress */
        uint64_t
                sent_usec[MAX_SIGNALS_PER_SECOND]; /* when the last ten progress signals went out (a ring) */
        unsigned next_sent;
        int result;                    /* the job's, once its worker ended */
        sd_event_source *finish_timer; /* the end, waiting for room in the window for its last signals */
};

static uint64_t now_usec(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000 + (uint64_t) ts.tv_nsec / 1000;
}

static void add_sample(BurnCall *c, uint64_t usec, uint64_t blocks)
{
        c->samples[c->next_sample] = (Sample){usec, blocks};
        c->next_sample = (c->next_sample + 1) % N_SAMPLES;
        if (c->n_samples < N_SAMPLES)
                c->n_samples++;
}

/* Seconds left from the rate over the window (udisks' way), or the job's own estimate early on. */
static uint32_t estimate_remaining(BurnCall *c, const BurnProgress *p, uint64_t now)
{
        const Sample *newest = &c->samples[(c->next_sample + N_SAMPLES - 1) % N_SAMPLES], *oldest = NULL;
        uint64_t elapsed = now - c->start_usec;

        for (unsigned i = 0; i < c->n_samples; i++) {
                const Sample *s = &c->samples[(c->next_sample + N_SAMPLES - c->n_samples + i) % N_SAMPLES];
                if (now - s->usec <= ETA_WINDOW_USEC) {
                        oldest = s;
                        break;
                }
        }
        if (p->blocks_total > 0 && oldest && newest->usec > oldest->usec &&
            newest->blocks > oldest->blocks) {
                double rate =
                        (double) (newest->blocks - oldest->blocks) / (double) (newest->usec - oldest->usec);
                return (uint32_t) ((double) (p->blocks_total - p->blocks_written) / rate / 1e6 + 0.5);
        }
        if (p->estimated_usec > elapsed)
                return (uint32_t) ((p->estimated_usec - elapsed) / 1000000);
        return 0;
}

static void emit_recorder_state(BurnCall *c)
{
        if (!c->recorder->gone)
                bus_recorder_emit_changed(c->recorder->manager, c->recorder, "State", NULL);
}

/* When a progress signal may go out: at most ten in any second (DESIGN.md §4), whatever the ticks and
 * the end of the burn add up to. 0: now. */
static uint64_t signal_room_at(BurnCall *c)
{
        uint64_t oldest = c->sent_usec[c->next_sent]; /* the tenth signal back, 0 if fewer went out */

        return oldest ? oldest + 1000000 + 1000 : 0;
}

static void emit_signal(BurnCall *c, const char *member, const char *signature, ...)
{
        va_list ap;

        c->sent_usec[c->next_sent] = now_usec();
        c->next_sent = (c->next_sent + 1) % MAX_SIGNALS_PER_SECOND;
        va_start(ap, signature);
        (void) sd_bus_emit_signalv(c->dm->manager->bus, c->dm->object_path, IMAPI_DISC_MASTER_INTERFACE,
                                   member, signature, ap);
        va_end(ap);
}

/* IMAPI's progress signals in their order (PreparingBurn, TrackProgress and BlockProgress, ClosingDisc):
 * one per tick, and only while the last second holds fewer than ten; what is due waits. At the end
 * ('flush') everything still due goes out as the window allows: returns false when some had to wait. */
static bool emit_signals(BurnCall *c, const BurnProgress *p, bool flush)
{
        DiscMaster *dm = c->dm;
        bool blocks_due = p->blocks_total > 0 &&
                          (p->blocks_written != c->sent_written || p->blocks_total != c->sent_total);

        for (unsigned sent = 0; flush || sent < 1; sent++) {
                bool due =
                        !c->preparing_sent || c->sent_track < p->track || blocks_due ||
                        (!c->closing_sent && (p->action == BURN_ACTION_CLOSING || (flush && c->succeeded)));

                if (!due)
                        return true;
                if (signal_room_at(c) > now_usec())
                        return false;
                if (!c->preparing_sent) {
                        emit_signal(c, "PreparingBurn", "u", (uint32_t) (p->estimated_usec / 1000000));
                        c->preparing_sent = true;
                } else if (c->sent_track < p->track) { /* every track, also those a fast burn skipped */
                        c->sent_track++;
                        emit_signal(c, "TrackProgress", "uu", c->sent_track, p->n_tracks);
                } else if (blocks_due) {
                        emit_signal(c, "BlockProgress", "uu", dm->blocks_written, dm->blocks_total);
                        c->sent_written = p->blocks_written;
                        c->sent_total = p->blocks_total;
                        blocks_due = false;
                } else {
                        emit_signal(c, "ClosingDisc", "u", dm->remaining_seconds);
                        c->closing_sent = true;
                }
        }
        return true;
}

static void emit_progress(BurnCall *c, const BurnProgress *p)
{
        DiscMaster *dm = c->dm;
        sd_bus *bus = dm->manager->bus;
        uint64_t now = now_usec();

        if (c->erase) {
                uint32_t elapsed = (uint32_t) ((now - c->start_usec) / 1000000), expected = 0;
                /* The drive's own progress once it says enough (early values make a jumpy estimate). */
                if (p->erase_progress_valid && p->erase_done >= 65536 / 20)
                        expected =
                                (uint32_t) ((double) (now - c->start_usec) * 65536.0 / p->erase_done / 1e6);
                else if (p->estimated_usec)
                        expected = (uint32_t) (p->estimated_usec / 1000000);
                if (!c->recorder->gone)
                        (void) sd_bus_emit_signal(bus, c->recorder->object_path, IMAPI_RECORDER_INTERFACE,
                                                  "EraseProgress", "uu", elapsed, expected);
                c->last = *p;
                return;
        }

        add_sample(c, now, p->blocks_written);
        dm->action = burn_action_to_string(p->action);
        dm->blocks_written = (uint32_t) MIN(p->blocks_written, UINT32_MAX);
        dm->blocks_total = (uint32_t) MIN(p->blocks_total, UINT32_MAX);
        dm->current_track = p->track;
        dm->total_tracks = p->n_tracks;
        dm->elapsed_seconds = (uint32_t) ((now - c->start_usec) / 1000000);
        dm->remaining_seconds = estimate_remaining(c, p, now);

        (void) emit_signals(c, p, false);
        bus_disc_master_emit_changed(dm, "Action", "BlocksWritten", "BlocksTotal", "CurrentTrack",
                                     "TotalTracks", "ElapsedSeconds", "RemainingSeconds", NULL);
        c->last = *p;
}

static int on_progress_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
        BurnCall *c = userdata;
        BurnProgress p;

        burn_job_get_progress(c->job, &p);
        if (!c->detached)
                emit_progress(c, &p);
        (void) sd_event_source_set_time_relative(s, PROGRESS_INTERVAL_USEC);
        (void) sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
        return 0;
}

static int burn_worker_run(Worker *w, void *userdata)
{
        BurnCall *c = userdata;
        int k;

        g_mutex_lock(&c->recorder->io_lock);
        k = burn_job_run(c->job, w);
        g_mutex_unlock(&c->recorder->io_lock);
        bus_recorder_media_read(&c->media, c->recorder);
        return k;
}

static void burn_call_free(BurnCall *c)
{
        sd_event_source_disable_unref(c->timer);
        sd_event_source_disable_unref(c->finish_timer);
        burn_job_free(c->job);
        recorder_unref(c->recorder);
        g_free(c);
}

static void report_erase(BurnCall *c, int result)
{
        g_autofree char *message = NULL;
        const char *name = result < 0 ? bus_error_name(result) : "";

        if (result < 0)
                message = bus_error_message(result, burn_job_get_error_message(c->job));
        log_full(result < 0 ? LOG_WARNING : LOG_INFO, "Erase on %s %s%s", c->recorder->id,
                 result < 0 ? "failed: " : "succeeded", result < 0 ? message : "");
        if (!c->recorder->gone)
                (void) sd_bus_emit_signal(c->dm->manager->bus, c->recorder->object_path,
                                          IMAPI_RECORDER_INTERFACE, "EraseComplete", "ss", name,
                                          message ?: "");
}

static void report_burn(BurnCall *c, int result)
{
        DiscMaster *dm = c->dm;
        g_autofree char *message = NULL;
        const char *name = result < 0 ? bus_error_name(result) : "";

        if (result < 0) {
                message = bus_error_message(result, burn_job_get_error_message(c->job));
                log_warning("Burn of disc master %u on %s failed: %s", dm->id, c->recorder->id, message);
        } else
                log_info("Burn of disc master %u on %s succeeded: %u blocks", dm->id, c->recorder->id,
                         dm->blocks_written);
        dm->action = "";
        dm->remaining_seconds = 0;
        bus_disc_master_emit_changed(dm, "Action", "RemainingSeconds", NULL);
        (void) sd_bus_emit_signal(dm->manager->bus, dm->object_path, IMAPI_DISC_MASTER_INTERFACE,
                                  "BurnComplete", "ss", name, message ?: "");
}

/* The end: the completion signal, the disc master back to staging, and the call freed. */
static void burn_call_finish(BurnCall *c)
{
        DiscMaster *dm = c->dm;
        Recorder *r = c->recorder;

        dm->burn = NULL;
        if (r->holder == dm)
                recorder_set_state(r, RECORDER_STATE_OPENED);
        if (!r->gone)
                emit_recorder_state(c);
        if (c->erase)
                report_erase(c, c->result);
        else
                report_burn(c, c->result);
        dm->state = DISC_MASTER_STATE_STAGING;
        bus_disc_master_emit_changed(dm, "State", NULL);
        disc_master_release_gone_recorder(dm); /* unplugged during the job */
        bus_joliet_emit_sizes(dm);             /* the medium's free blocks changed */
        burn_call_free(c);
}

static int on_finish_timer(sd_event_source *s, uint64_t usec, void *userdata);

/* Sends what is still due (the last values are always sent) as the ten-a-second window allows, then
 * finishes; a burn shorter than a second may wait for the window a little. */
static void burn_call_try_finish(BurnCall *c)
{
        BurnProgress p;

        if (!c->erase) {
                burn_job_get_progress(c->job, &p);
                emit_progress(c, &p);
                if (!emit_signals(c, &p, true)) {
                        if (!c->finish_timer &&
                            sd_event_add_time(c->dm->manager->event, &c->finish_timer, CLOCK_MONOTONIC,
                                              signal_room_at(c), PROGRESS_ACCURACY_USEC, on_finish_timer,
                                              c) >= 0)
                                return;
                        if (c->finish_timer) {
                                (void) sd_event_source_set_time(c->finish_timer, signal_room_at(c));
                                (void) sd_event_source_set_enabled(c->finish_timer, SD_EVENT_ONESHOT);
                                return;
                        }
                        (void) emit_signals(c, &p,
                                            false); /* no timer: give up on the window, not the values */
                }
        }
        burn_call_finish(c);
}

static int on_finish_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
        burn_call_try_finish(userdata);
        return 0;
}

static void burn_worker_done(int result, void *userdata)
{
        BurnCall *c = userdata;
        DiscMaster *dm = c->dm;

        c->worker = NULL;
        c->result = result;
        c->succeeded = result >= 0;
        (void) sd_event_source_set_enabled(c->timer, SD_EVENT_OFF);
        bus_recorder_media_apply(&c->media, c->recorder);
        if (c->detached) {
                log_info("Job of closed disc master %u stopped (%s)", dm->id,
                         result < 0 ? error_to_string(result) : "done");
                dm->burn = NULL;
                if (c->recorder->holder == dm)
                        recorder_set_state(c->recorder, RECORDER_STATE_OPENED);
                burn_call_free(c);
                disc_master_close(dm); /* now really */
                return;
        }
        burn_call_try_finish(c);
}

int bus_burn_start(DiscMaster *dm, const BurnRequest *req, sd_bus_error *error)
{
        BurnCall *c;
        int k;

        c = g_new0(BurnCall, 1);
        c->dm = dm;
        c->recorder = recorder_ref(dm->recorder);
        c->erase = req->kind == BURN_KIND_ERASE;
        k = burn_job_new(req, &c->job);
        if (k < 0) {
                burn_call_free(c);
                return bus_error_set(error, k, NULL);
        }
        c->start_usec = now_usec();
        k = sd_event_add_time_relative(dm->manager->event, &c->timer, CLOCK_MONOTONIC,
                                       PROGRESS_INTERVAL_USEC, PROGRESS_ACCURACY_USEC, on_progress_timer, c);
        if (k >= 0)
                k = worker_start(dm->manager->event, c->erase ? "erase" : "burn", burn_worker_run,
                                 burn_worker_done, c, &c->worker);
        if (k < 0) {
                burn_call_free(c);
                return k;
        }
        dm->burn = c;
        dm->state = c->erase ? DISC_MASTER_STATE_ERASING : DISC_MASTER_STATE_BURNING;
        recorder_set_state(dm->recorder, c->erase ? RECORDER_STATE_ERASING : RECORDER_STATE_BURNING);
        dm->action = c->erase ? "" : "preparing";
        dm->blocks_written = dm->blocks_total = dm->current_track = dm->total_tracks = 0;
        dm->elapsed_seconds = dm->remaining_seconds = 0;
        bus_disc_master_emit_changed(dm, "State", "Action", "BlocksWritten", "BlocksTotal", "CurrentTrack",
                                     "TotalTracks", "ElapsedSeconds", "RemainingSeconds", NULL);
        emit_recorder_state(c);
        return 0; /* PreparingBurn goes out with the first tick */
}

bool bus_burn_cancel(DiscMaster *dm)
{
        if (!dm->burn || !dm->burn->worker)
                return false; /* nothing runs, or only the last signals wait to go out */
        worker_cancel(dm->burn->worker);
        return true;
}

bool bus_burn_detach(DiscMaster *dm)
{
        BurnCall *c = dm->burn;

        if (!c)
                return false;
        if (!c->worker) { /* the job ended; only its last signals waited: nobody is left to get them */
                dm->burn = NULL;
                if (c->recorder->holder == dm)
                        recorder_set_state(c->recorder, RECORDER_STATE_OPENED);
                burn_call_free(c);
                return false;
        }
        c->detached = true;
        worker_cancel(c->worker);
        return true;
}
