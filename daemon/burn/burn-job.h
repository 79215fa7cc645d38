/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A burn or erase job: everything from "the user pressed Burn" to "the disc is closed", run in a worker
 * thread against a recorder's Transport. No D-Bus here: the bus layer starts the job in a Worker, polls
 * burn_job_get_progress() from the loop for signals and properties, and reports the result.
 *
 * Data:  pre-checks (medium writable? fits? Test Write possible?) -> format if needed -> write
 *        parameters / speed / reserve -> the master image (laid out at the next writable address) or the
 *        image file, in large WRITEs -> SYNCHRONIZE CACHE -> close track/session (finalize on request)
 *        -> eject if asked. Per-medium recipes: daemon/mmc/README.md.
 * Audio: SAO with SEND CUE SHEET and CD-TEXT in the lead-in when the drive offers it, TAO with gaps
 *        otherwise (daemon/audio/ gives the layout, cue sheet, CD-TEXT blocks and sectors).
 * Erase: BLANK (CD-RW, DVD-RW; quick or full) or FORMAT UNIT (DVD+RW, BD-RE, DVD-RAM), with progress.
 *
 * Every failure is a named code (-IMAPI_ERROR_*) with a message (burn_job_get_error_message()); nothing
 * is written when a pre-check fails. Cancellation (worker_cancel()) stops at a safe point: between WRITE
 * commands, then the track/session is closed if the medium needs it so the drive stays usable. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "content.h"
#include "mmc-media.h"
#include "transport.h"
#include "worker.h"

typedef struct MasterTree MasterTree;
typedef struct AudioDisc AudioDisc;
typedef struct BurnJob BurnJob;

/* For tests and benchmarks: called in the job's thread before each WRITE of user data with the blocks
 * written so far. It may sleep (a source that is late: the drive's buffer drains meanwhile) or cancel
 * the job (burn_job_cancel()). The daemon sets none. */
typedef void (*BurnWriteHook)(BurnJob *job, uint64_t blocks_written, void *userdata);

typedef enum BurnKind {
        BURN_KIND_DATA,  /* a staged MasterTree */
        BURN_KIND_IMAGE, /* a prepared image file (2048-byte sectors) */
        BURN_KIND_AUDIO, /* a staged AudioDisc */
        BURN_KIND_ERASE,
        _BURN_KIND_MAX,
        _BURN_KIND_INVALID = -EINVAL,
} BurnKind;

typedef struct BurnRequest {
        BurnKind kind;
        Transport *transport;    /* borrowed: the recorder holds its io_lock for the whole job */
        const DriveInfo *drive;  /* copied */
        MasterTree *tree;        /* DATA: borrowed, frozen by the job while it runs */
        const Content *image;    /* IMAGE: referenced */
        AudioDisc *audio;        /* AUDIO: borrowed; the job snapshots what it needs */
        uint32_t audio_gap;      /* AUDIO: blocks between tracks (AudioGapSize, 0..225): the burn's gap */
        bool simulate;           /* Test Write; refused (NotSupported) where the medium has none */
        bool close_disc;         /* finalize; else leave the disc appendable where the medium allows */
        bool eject_after;
        uint32_t write_speed;    /* x-factor; 0 = fastest */
        int enable_bufe;         /* -1 default (on when capable), 0 off, 1 on */
        bool erase_full;         /* ERASE */
        BurnWriteHook write_hook; /* tests only; NULL */
        void *write_hook_userdata;
} BurnRequest;

typedef enum BurnAction {
        BURN_ACTION_NONE,
        BURN_ACTION_PREPARING,  /* checks, formatting, write parameters, OPC */
        BURN_ACTION_WRITING,
        BURN_ACTION_CLOSING,    /* synchronize cache, close track/session/disc */
        BURN_ACTION_VERIFYING,
        BURN_ACTION_ERASING,
        _BURN_ACTION_MAX,
        _BURN_ACTION_INVALID = -EINVAL,
} BurnAction;

const char *burn_action_to_string(BurnAction a); /* "preparing", "writing", "closing", "verifying", "erasing", "" */

typedef struct BurnProgress {
        BurnAction action;
        uint64_t blocks_written; /* of the user data/audio sectors */
        uint64_t blocks_total;
        uint32_t track;          /* 1-based, 0 before writing */
        uint32_t n_tracks;
        uint32_t erase_done;     /* ERASE: 0..65536 when erase_progress_valid */
        bool erase_progress_valid;
        uint64_t estimated_usec; /* the job's own estimate of its total duration (speed × size), 0 unknown */
} BurnProgress;

/* Called from the loop: copies the request and snapshots an AUDIO disc (layout and stash fds), so the
 * AudioDisc may change or go once this returns; a disc that cannot be burned (no tracks, a track open,
 * too long) makes burn_job_run() fail with that error before touching the recorder. DATA: the job
 * masters the tree in its thread; from burn_job_run() until burn_job_free() the tree is frozen and must
 * not be used by another thread (no staging, no master_tree_used_blocks(): use BlocksTotal). */
int burn_job_new(const BurnRequest *req, BurnJob **ret);
BurnJob *burn_job_free(BurnJob *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(BurnJob, burn_job_free)

/* Runs the job; called from the Worker's thread (w: for worker_is_cancelled(); may be NULL, then only
 * burn_job_cancel() stops it). Runs once. Returns 0, or a negative
 * code with burn_job_get_error_message() saying what happened (-IMAPI_ERROR_USER_ABORT when cancelled). */
int burn_job_run(BurnJob *job, Worker *w);

/* Asks the job to stop at its next safe point, like worker_cancel() on its worker; thread-safe. */
void burn_job_cancel(BurnJob *job);

/* Thread-safe snapshot, for the loop while the job runs. */
void burn_job_get_progress(BurnJob *job, BurnProgress *ret);
/* After burn_job_run() returned an error: what happened, e.g. "Write error at LBA 1234: WRITE(10):
 * sense 3/0C/00 (write error)". NULL after success. */
const char *burn_job_get_error_message(BurnJob *job);
