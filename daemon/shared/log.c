/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Logging to stderr with syslog priorities; "<N>" prefixes when stderr is the journal. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imapi-error.h"
#include "log.h"

static int max_level = LOG_INFO;
static const char *log_prefix = "imapid";

void log_set_max_level(int level)
{
        max_level = level;
}

int log_get_max_level(void)
{
        return max_level;
}

void log_set_prefix(const char *prefix)
{
        log_prefix = prefix;
}

const char *error_to_string(int error)
{
        int e = errno_of(error);

        if (imapi_error_is_valid(e))
                return imapi_error_message(e);
        return g_strerror(e);
}

static bool stderr_is_journal(void)
{
        static int cached = -1;

        if (cached < 0)
                cached = getenv("JOURNAL_STREAM") != NULL;
        return cached;
}

/* Expand %m to the text of 'error' (which may be an IMAPI code, unlike glibc's %m). */
static char *expand_percent_m(const char *format, int error)
{
        GString *s = g_string_sized_new(strlen(format) + 32);

        for (const char *p = format; *p; p++) {
                if (p[0] == '%' && p[1] == '%') {
                        g_string_append(s, "%%");
                        p++;
                } else if (p[0] == '%' && p[1] == 'm') {
                        for (const char *t = error_to_string(error); *t; t++) {
                                if (*t == '%')
                                        g_string_append_c(s, '%');
                                g_string_append_c(s, *t);
                        }
                        p++;
                } else
                        g_string_append_c(s, *p);
        }
        return g_string_free(s, false);
}

int log_internal(int level, int error, const char *func, const char *format, ...)
{
        int saved_errno = errno;
        g_autofree char *fmt = expand_percent_m(format, error);
        g_autofree char *msg = NULL;
        va_list ap;

        va_start(ap, format);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        msg = g_strdup_vprintf(fmt, ap);
#pragma GCC diagnostic pop
        va_end(ap);

        if (stderr_is_journal())
                fprintf(stderr, "<%d>%s\n", level, msg);
        else if (max_level >= LOG_DEBUG)
                fprintf(stderr, "%s[%s]: %s\n", log_prefix, func, msg);
        else
                fprintf(stderr, "%s: %s\n", log_prefix, msg);

        errno = saved_errno;
        return -errno_of(error);
}
