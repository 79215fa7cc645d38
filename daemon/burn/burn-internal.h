/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the files of the burn engine share: the job object, progress updates, failure messages, the
 * sector sources with their read-ahead FIFO, and the write loop. Not for use outside daemon/burn/. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "audio-layout.h"
#include "audio-source.h"
#include "burn-job.h"
#include "master-image.h"
#include "mmc-media.h"
#include "mmc-write.h"

/* ---- The job ---- */

struct BurnJob {
        BurnRequest req; /* req.drive points at 'drive', req.image at 'image' */
        DriveInfo drive;
        Content image;       /* IMAGE: our reference */
        MasterImage *master; /* DATA: kept until burn_job_free(), so the tree stays frozen till then */

        /* AUDIO: the snapshot taken by burn_job_new(). */
        int audio_error; /* the disc cannot be burned: returned by run */
        char *audio_error_message;
        AudioLayout *layout;
        AudioSource *audio_sao, *audio_tao;

        GMutex lock; /* guards progress */
        BurnProgress progress;
        int64_t write_start_usec; /* when the first WRITE was sent; 0 before */
        uint64_t estimate_blocks; /* what the estimate is based on */
        uint32_t estimate_x;
        MediumClass estimate_class;

        gint cancelled;
        Worker *worker;
        bool ran;

        char *error_message; /* the first message set wins */
        MediaInfo media;     /* as probed at the start */
        bool locked;         /* PREVENT MEDIUM REMOVAL sent */
        uint64_t blocks_written;
};

bool burn_job_is_cancelled(BurnJob *job);

/* Progress (thread-safe). */
void burn_job_set_action(BurnJob *job, BurnAction action);
void burn_job_set_totals(BurnJob *job, uint64_t blocks_total, uint32_t n_tracks);
void burn_job_set_track(BurnJob *job, uint32_t track);
void burn_job_add_written(BurnJob *job, uint64_t blocks);
void burn_job_set_erase_progress(BurnJob *job, bool valid, uint32_t done);
/* The estimate of the whole job from the nominal speed; refined from the measured rate while writing. */
void burn_job_set_estimate(BurnJob *job, MediumClass c, uint32_t x, uint64_t blocks);

/* Sets the job's message (unless one is set) and returns -|code|. */
int burn_job_fail(BurnJob *job, int code, const char *format, ...) _printf_(3, 4);
/* For an MMC failure: "<what>: <the drive's sense>" (or the error's text when there was no sense). */
int burn_job_fail_mmc(BurnJob *job, int code, const char *what);

/* ---- Pre-checks (burn-check.c), pure: a named error and message, nothing sent to the drive ---- */

/* Present, writable by this drive and by imapid, not write-protected. */
int burn_check_medium(const MediaInfo *m, char **reterr_message);
/* Not finalized, Test Write available when simulating, and the kind of content the medium takes (audio
 * on blank CDs, images at LBA 0). */
int burn_check_request(const BurnRequest *req, const MediaInfo *m, char **reterr_message);
/* The blocks a data or image session of 'blocks' blocks takes on the medium (minimum track length,
 * padding to the write unit), and whether they fit. */
uint64_t burn_data_blocks_needed(const MediaInfo *m, uint64_t blocks);
int burn_check_fits(const MediaInfo *m, uint64_t blocks_needed, char **reterr_message);
/* The capacity a session may use: free blocks of sequential media, the (formattable) capacity of
 * overwrite media. */
uint64_t burn_medium_free_blocks(const MediaInfo *m);

/* ---- Speed and buffer-underrun protection (burn-speed.c) ---- */

bool burn_bufe_wanted(const BurnRequest *req, const MediaInfo *m);
/* Sets the write speed (failures other than a lost device or medium are ignored, as drives differ);
 * *ret_x: the x-factor the estimate uses. */
int burn_speed_apply(BurnJob *job, const MediaInfo *m, uint32_t *ret_x);
/* µs to write 'blocks' sectors at x (1x: 75 sectors/s on CD, 1385 kB/s DVD, 4496 kB/s BD); 0 when x is 0. */
uint64_t burn_duration_usec(MediumClass c, uint32_t x, uint64_t blocks);

/* ---- Sector sources and the read-ahead FIFO (burn-source.c) ---- */

typedef struct BurnSource BurnSource;

/* The master image is borrowed (the job keeps it); the audio source is taken over. */
BurnSource *burn_source_new_master(MasterImage *image);
BurnSource *burn_source_new_content(const Content *c);
BurnSource *burn_source_new_audio(AudioSource *audio);
BurnSource *burn_source_free(BurnSource *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(BurnSource, burn_source_free)
uint64_t burn_source_get_blocks(const BurnSource *s);
size_t burn_source_get_block_size(const BurnSource *s);

/* A reader thread fills a ring of chunks of chunk_blocks blocks from the source ahead of the writer; a
 * chunk never spans two tracks. Memory: n_chunks × chunk_blocks × block size. */
typedef struct BurnFifo BurnFifo;

typedef struct BurnChunk {
        const uint8_t *data;
        uint32_t blocks;
        unsigned track; /* 1-based; 1 for data */
} BurnChunk;

/* Takes ownership of the source (also on failure). */
int burn_fifo_new(BurnSource *source, uint32_t chunk_blocks, unsigned n_chunks, BurnFifo **ret);
/* Stops the reader and frees the FIFO and its source. */
BurnFifo *burn_fifo_free(BurnFifo *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(BurnFifo, burn_fifo_free)
/* The next chunk without consuming it: 1 with *ret filled, 0 at the end, or the source's error (its
 * message in *reterr_message). */
int burn_fifo_peek(BurnFifo *f, BurnChunk *ret, char **reterr_message);
/* Consumes the chunk peek returned. */
void burn_fifo_next(BurnFifo *f);

/* ---- The write loop (burn-write.c) ---- */

typedef struct BurnRun {
        int32_t lba;         /* the next address */
        size_t block_size;   /* 2048, 2352 */
        bool streaming;      /* WRITE(12) with Streaming: no verify-after-write (BD) */
        uint32_t align;      /* pad the track with zeros to a multiple of this (ECC blocks); 0/1 none */
        uint32_t min_blocks; /* pad to at least this (CD TAO: 300) */
        uint64_t written;    /* blocks of this track so far, padding included */
} BurnRun;

/* Writes the FIFO's chunks at run->lba while they belong to 'track' (0: every chunk), then the padding.
 * Checks for cancellation before each WRITE. Failures get a message naming the LBA. */
int burn_write_track(BurnJob *job, BurnFifo *f, BurnRun *run, unsigned track);
/* One WRITE of 'blocks' blocks at the run's address (after the cancellation check and the test hook). */
int burn_write_blocks(BurnJob *job, BurnRun *run, const uint8_t *data, uint32_t blocks);
/* Writes zeros up to the run's alignment and minimum. */
int burn_write_padding(BurnJob *job, BurnRun *run);
/* NWA of the track to write next (READ TRACK INFORMATION; on CD the invisible track FFh as a fallback). */
int burn_read_nwa(BurnJob *job, uint16_t track, int32_t *ret_nwa);
/* SYNCHRONIZE CACHE with the action set to closing. */
int burn_sync(BurnJob *job);
/* PREVENT/ALLOW MEDIUM REMOVAL around the recording. */
int burn_lock_tray(BurnJob *job);
void burn_unlock_tray(BurnJob *job);
/* After a failure mid-recording: flush what the drive holds and, when the job was cancelled, close the
 * track/session (appendable where the medium allows) so the disc and the drive stay usable; ends a Test
 * Write. wp: the page 05h in use (NULL on media without one); track: the track being written; dao:
 * nothing can be closed (a reserved DAO track, SAO). Errors are logged and ignored. */
void burn_recover(BurnJob *job, int error, const MmcWriteParameters *wp, uint16_t track, bool dao);

/* ---- The strategies ---- */

int burn_data_run(BurnJob *job);  /* burn-data.c: DATA and IMAGE */
int burn_audio_run(BurnJob *job); /* burn-audio.c */
int burn_erase_run(BurnJob *job); /* burn-erase.c */
/* Probes the medium into job->media: present (MediumNotPresent), and the device there. */
int burn_probe(BurnJob *job);
/* Ejects after success when asked (failures ignored: the burn succeeded). */
void burn_eject_if_asked(BurnJob *job);
