/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Small macros every daemon file may use: array sizes, rounding, and autoptr cleanups for libsystemd. */
#pragma once

#include <errno.h>
#include <glib.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "glib-compat.h"

#define ELEMENTSOF(x)      (sizeof(x) / sizeof((x)[0]))
#define DIV_ROUND_UP(x, y) (((x) + (y) -1) / (y))
#define ROUND_UP(x, y)     (DIV_ROUND_UP(x, y) * (y))
#define _unused_           __attribute__((unused))
#define _printf_(a, b)     __attribute__((format(printf, a, b)))
#define _pure_             __attribute__((pure))
#define _noreturn_         __attribute__((noreturn))

/* Mark a deliberately ignored result, as in systemd: (void) foo(). */

G_DEFINE_AUTOPTR_CLEANUP_FUNC(sd_bus, sd_bus_flush_close_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sd_bus_message, sd_bus_message_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sd_bus_slot, sd_bus_slot_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sd_bus_track, sd_bus_track_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sd_bus_creds, sd_bus_creds_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sd_event, sd_event_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sd_event_source, sd_event_source_unref)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(sd_bus_error, sd_bus_error_free)

/* The errno to report for a negative return value r. */
static inline int errno_of(int r)
{
        return r < 0 ? -r : r;
}
