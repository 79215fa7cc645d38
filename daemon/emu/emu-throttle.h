/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The drive buffer model: data enters with WRITE and leaves at the recording rate, so a full buffer makes
 * the host wait and an empty one mid-track is an underrun (or a BUFE pause). Time is passed in, in µs. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

typedef struct EmuThrottle {
        uint64_t rate;     /* bytes per second the medium takes; 0 = unthrottled */
        uint64_t size;     /* buffer size in bytes */
        double fill;       /* bytes in the buffer at 'stamp' */
        int64_t stamp;     /* µs, monotonic */
        bool streaming;    /* a track is being streamed: running empty now is an underrun */
        bool recording;    /* the laser runs and the buffer drains: from when it first filled up (or a flush),
                            * as real drives wait for a full buffer before they start recording */
        bool primed;       /* the buffer has filled up once in this stream (steady state) */
        uint64_t min_fill; /* lowest fill seen at a WRITE in steady state; UINT64_MAX: none yet */
} EmuThrottle;

typedef enum EmuThrottleVerdict {
        EMU_THROTTLE_OK,
        EMU_THROTTLE_PAUSED,   /* the buffer ran empty while streaming; BUFE let the drive pause */
        EMU_THROTTLE_UNDERRUN, /* the buffer ran empty while streaming, without BUFE */
} EmuThrottleVerdict;

void emu_throttle_init(EmuThrottle *t, uint64_t size);
void emu_throttle_set_rate(EmuThrottle *t, uint64_t rate, int64_t now);

/* Lets time pass: the buffer drains at the rate. Returns true if it ran empty while streaming. */
bool emu_throttle_drain(EmuThrottle *t, int64_t now);

/* A WRITE of 'bytes' arrives at 'now'. First call: returns the verdict about the time before it (after
 * an UNDERRUN the stream is stopped and nothing is accepted). Then, for OK/PAUSED, *ret_wait_until is the
 * time until which the host must wait before the data fits (≤ now: no wait); the caller sleeps and calls
 * emu_throttle_accept(). */
EmuThrottleVerdict emu_throttle_begin_write(EmuThrottle *t, uint64_t bytes, bool bufe, int64_t now,
                                            int64_t *ret_wait_until);
void emu_throttle_accept(EmuThrottle *t, uint64_t bytes, int64_t now);

/* SYNCHRONIZE CACHE / CLOSE: recording starts (if the buffer never filled up) and the time at which the
 * buffer is empty is what emu_throttle_empty_at() gives. emu_throttle_stop() ends the stream. */
void emu_throttle_flush(EmuThrottle *t, int64_t now);
int64_t emu_throttle_empty_at(const EmuThrottle *t, int64_t now);
void emu_throttle_stop(EmuThrottle *t, int64_t now);

/* Bytes in the buffer at 'now' (drains first). */
uint64_t emu_throttle_fill(EmuThrottle *t, int64_t now);

/* The drive stalled for 'us' µs (a slow drive): the buffer did not drain meanwhile. */
void emu_throttle_stall(EmuThrottle *t, int64_t us);
