/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The drive buffer model behind the throttle (see emu-throttle.h). */
#include "emu-throttle.h"

/* ceil() without libm, for the non-negative values here. */
static int64_t ceil_us(double x)
{
        int64_t i = (int64_t) x;

        return (double) i < x ? i + 1 : i;
}

void emu_throttle_init(EmuThrottle *t, uint64_t size)
{
        *t = (EmuThrottle){
                .size = size,
                .min_fill = UINT64_MAX,
        };
}

void emu_throttle_set_rate(EmuThrottle *t, uint64_t rate, int64_t now)
{
        (void) emu_throttle_drain(t, now);
        t->rate = rate;
        if (rate == 0)
                t->fill = 0;
}

bool emu_throttle_drain(EmuThrottle *t, int64_t now)
{
        bool ran_empty = false;

        /* Only a buffer with data in it can run dry (recording may start on an empty buffer that the
         * accepted write is about to fill). */
        if (now > t->stamp && t->rate > 0 && t->recording && t->fill > 0) {
                double left = t->fill - (double) t->rate * (double) (now - t->stamp) / 1e6;

                if (left < 0) {
                        ran_empty = t->streaming;
                        left = 0;
                        t->recording = false; /* stopped (underrun) or paused (BUFE) until it fills again */
                }
                t->fill = left;
        }
        if (now > t->stamp)
                t->stamp = now;
        return ran_empty;
}

EmuThrottleVerdict emu_throttle_begin_write(EmuThrottle *t, uint64_t bytes, bool bufe, int64_t now,
                                            int64_t *ret_wait_until)
{
        EmuThrottleVerdict v = EMU_THROTTLE_OK;
        double excess;

        if (emu_throttle_drain(t, now)) {
                if (!bufe) {
                        t->streaming = false;
                        t->primed = false;
                        *ret_wait_until = now;
                        return EMU_THROTTLE_UNDERRUN;
                }
                v = EMU_THROTTLE_PAUSED;
        }
        if (v == EMU_THROTTLE_PAUSED)
                t->primed = false;
        if (t->streaming && t->primed && t->rate > 0 && (uint64_t) t->fill < t->min_fill)
                t->min_fill = (uint64_t) t->fill;

        excess = t->fill + (double) bytes - (double) t->size;
        if (t->rate > 0 && excess >= 0)
                t->recording = true; /* the buffer is full: the drive records (from now, if it waited for this) */
        if (t->rate == 0 || excess <= 0)
                *ret_wait_until = now;
        else {
                *ret_wait_until = now + ceil_us(excess * 1e6 / (double) t->rate);
                t->primed = true;
        }
        return v;
}

void emu_throttle_accept(EmuThrottle *t, uint64_t bytes, int64_t now)
{
        /* Draining while the host waited for room is not an underrun: the buffer was full. */
        (void) emu_throttle_drain(t, now);
        if (t->rate > 0)
                t->fill += (double) bytes;
        t->streaming = true;
}

void emu_throttle_flush(EmuThrottle *t, int64_t now)
{
        (void) emu_throttle_drain(t, now);
        if (t->fill > 0)
                t->recording = true;
}

int64_t emu_throttle_empty_at(const EmuThrottle *t, int64_t now)
{
        int64_t at;

        if (t->rate == 0 || t->fill <= 0)
                return now;
        at = t->stamp + ceil_us(t->fill * 1e6 / (double) t->rate);
        return at > now ? at : now;
}

void emu_throttle_stop(EmuThrottle *t, int64_t now)
{
        (void) emu_throttle_drain(t, now);
        t->fill = 0;
        t->streaming = false;
        t->primed = false;
        t->recording = false;
}

uint64_t emu_throttle_fill(EmuThrottle *t, int64_t now)
{
        (void) emu_throttle_drain(t, now);
        return (uint64_t) t->fill;
}

void emu_throttle_stall(EmuThrottle *t, int64_t us)
{
        if (us > 0)
                t->stamp += us;
}
