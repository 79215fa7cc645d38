/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Logging to stderr (the journal under systemd), with priorities and a run-time debug switch.
 *
 * Engine code logs at debug only; the bus layer logs once, with the error:
 *         return log_error_errno(r, "Failed to write track %u: %m", n);
 * %m expands to the message of the errno or IMAPI error code r. */
#pragma once

#include <stdbool.h>
#include <syslog.h>

#include "macros.h"

void log_set_max_level(int level);
int log_get_max_level(void);
void log_set_prefix(const char *prefix);

/* Returns -|error| (or 0 when error is 0), so it can be returned directly. */
int log_internal(int level, int error, const char *func, const char *format, ...) _printf_(4, 5);

#define log_full_errno(level, error, ...)                                                                   \
        ({                                                                                                  \
                int _level = (level), _e = (error);                                                         \
                (log_get_max_level() >= _level) ? log_internal(_level, _e, __func__, __VA_ARGS__)           \
                                                : -errno_of(_e);                                            \
        })

#define log_full(level, ...) (void) log_full_errno(level, 0, __VA_ARGS__)

#define log_debug(...)   log_full(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)    log_full(LOG_INFO, __VA_ARGS__)
#define log_notice(...)  log_full(LOG_NOTICE, __VA_ARGS__)
#define log_warning(...) log_full(LOG_WARNING, __VA_ARGS__)
#define log_error(...)   log_full(LOG_ERR, __VA_ARGS__)

#define log_debug_errno(e, ...)   log_full_errno(LOG_DEBUG, e, __VA_ARGS__)
#define log_info_errno(e, ...)    log_full_errno(LOG_INFO, e, __VA_ARGS__)
#define log_warning_errno(e, ...) log_full_errno(LOG_WARNING, e, __VA_ARGS__)
#define log_error_errno(e, ...)   log_full_errno(LOG_ERR, e, __VA_ARGS__)

/* The text of an errno or IMAPI error code (negative or positive). */
const char *error_to_string(int error);
