/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ImapiError: the GError domain of imapid's D-Bus errors, one code per entry of imapi-errors.h. */
#pragma once

#if !defined(IMAPI_INSIDE) && !defined(IMAPI_COMPILATION)
#error "Only <imapi.h> can be included directly."
#endif

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * ImapiError:
 * @IMAPI_ERROR_INVALID_ARGS: org.freedesktop.DBus.Error.InvalidArgs: a malformed or out-of-range argument.
 * @IMAPI_ERROR_ACCESS_DENIED: org.freedesktop.DBus.Error.AccessDenied: the bus policy refused the call
 *   (e.g. a method of another client's disc master).
 *
 * Errors of imapid. The codes from 0 up are org.freedesktop.IMAPI1.Error.* in the order of the
 * daemon's one error table (imapi-errors.h; IMAPI_ERROR_DISC_FULL is org.freedesktop.IMAPI1.Error.DiscFull
 * and IMAPI_E_DISCFULL in IMAPI). That order is the ABI: the table is append-only.
 * imapi_error_get_dbus_name() and imapi_error_get_symbol() give the names of a code.
 */
typedef enum {
#define IMAPI_ERROR(id, dbus_name, symbol, hresult, message) IMAPI_ERROR_##id,
#include "imapi-errors.h"
#undef IMAPI_ERROR
        IMAPI_ERROR_INVALID_ARGS = 1000,
        IMAPI_ERROR_ACCESS_DENIED = 1001,
} ImapiError;

/**
 * IMAPI_ERROR:
 *
 * The #GQuark of the #ImapiError domain.
 */
#define IMAPI_ERROR (imapi_error_quark())

/**
 * IMAPI_ERROR_DBUS_PREFIX:
 *
 * The common prefix of imapid's D-Bus error names.
 */
#define IMAPI_ERROR_DBUS_PREFIX "org.freedesktop.IMAPI1.Error."

GQuark imapi_error_quark(void);

const char *imapi_error_get_dbus_name(ImapiError code);
const char *imapi_error_get_symbol(ImapiError code);
guint32 imapi_error_get_hresult(ImapiError code);
const char *imapi_error_get_default_message(ImapiError code);
char *imapi_error_dup_dbus_name(const GError *error);
gboolean imapi_error_normalize(GError *error);

G_END_DECLS
