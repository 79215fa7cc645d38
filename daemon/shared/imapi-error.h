/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The daemon's error codes: IMAPI's errors as numbers above errno's range, from dbus/imapi-errors.h.
 *
 * Engine functions return 0 or a negative code: -errno, or -IMAPI_ERROR_FOO. The bus layer turns a code
 * into a D-Bus error with bus_error_set() (bus/bus-errors.c). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

typedef enum ImapiErrorCode {
        _IMAPI_ERROR_BASE = 10000,
#define IMAPI_ERROR(id, name, symbol, hresult, message) IMAPI_ERROR_##id,
#include "imapi-errors.h"
#undef IMAPI_ERROR
        _IMAPI_ERROR_END,
} ImapiErrorCode;

#define IMAPI_ERROR_DBUS_PREFIX "org.freedesktop.IMAPI1.Error."

static inline bool imapi_error_is_valid(int code)
{
        return code > _IMAPI_ERROR_BASE && code < _IMAPI_ERROR_END;
}

/* Each takes a positive or negative code; NULL / 0 for codes that are not IMAPI errors. */
const char *imapi_error_name(int code);    /* "DiscFull" */
const char *imapi_error_symbol(int code);  /* "IMAPI_E_DISCFULL", NULL for imapid's own errors */
uint32_t imapi_error_hresult(int code);    /* 0x8004021C */
const char *imapi_error_message(int code); /* default human-readable text */

/* The code for a D-Bus error name (full or the part after the prefix); 0 if unknown. */
int imapi_error_from_name(const char *name);

/* Formats a message and stores it in *reterr_message (when that is non-NULL and still unset);
 * returns -|code|. For engine functions whose callers want to say what exactly went wrong. */
int error_set_message(char **reterr_message, int code, const char *format, ...)
        __attribute__((format(printf, 3, 4)));
