/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Lookups in the one error table (dbus/imapi-errors.h). */
#include <stdarg.h>
#include <string.h>

#include "imapi-error.h"
#include "macros.h"

typedef struct ErrorEntry {
        const char *name;
        const char *symbol;
        uint32_t hresult;
        const char *message;
} ErrorEntry;

static const ErrorEntry error_table[] = {
#define IMAPI_ERROR(id, name, symbol, hresult, message) {name, symbol, hresult, message},
#include "imapi-errors.h"
#undef IMAPI_ERROR
};

G_STATIC_ASSERT(G_N_ELEMENTS(error_table) == _IMAPI_ERROR_END - _IMAPI_ERROR_BASE - 1);

static const ErrorEntry *error_entry(int code)
{
        code = errno_of(code);
        if (!imapi_error_is_valid(code))
                return NULL;
        return &error_table[code - _IMAPI_ERROR_BASE - 1];
}

const char *imapi_error_name(int code)
{
        const ErrorEntry *e = error_entry(code);
        return e ? e->name : NULL;
}

const char *imapi_error_symbol(int code)
{
        const ErrorEntry *e = error_entry(code);
        return e ? e->symbol : NULL;
}

uint32_t imapi_error_hresult(int code)
{
        const ErrorEntry *e = error_entry(code);
        return e ? e->hresult : 0;
}

const char *imapi_error_message(int code)
{
        const ErrorEntry *e = error_entry(code);
        return e ? e->message : NULL;
}

int imapi_error_from_name(const char *name)
{
        if (g_str_has_prefix(name, IMAPI_ERROR_DBUS_PREFIX))
                name += strlen(IMAPI_ERROR_DBUS_PREFIX);
        for (size_t i = 0; i < G_N_ELEMENTS(error_table); i++)
                if (strcmp(error_table[i].name, name) == 0)
                        return _IMAPI_ERROR_BASE + 1 + (int) i;
        return 0;
}

int error_set_message(char **reterr_message, int code, const char *format, ...)
{
        if (reterr_message && !*reterr_message) {
                va_list ap;
                va_start(ap, format);
                *reterr_message = g_strdup_vprintf(format, ap);
                va_end(ap);
        }
        return -errno_of(code);
}
