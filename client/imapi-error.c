/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The ImapiError domain: imapid's error table registered with GDBus, plus InvalidArgs and AccessDenied. */
#include "imapi.h"

/* Here IMAPI_ERROR is the X-macro that reads the table; the domain is spelled imapi_error_quark(). */
#undef IMAPI_ERROR

typedef struct ImapiErrorInfo {
        const char *dbus_name;
        const char *symbol;
        guint32 hresult;
        const char *message;
} ImapiErrorInfo;

/* Numbers the table on its own, so that a public enum edited by hand cannot drift from it. */
enum {
#define IMAPI_ERROR(id, dbus_name, symbol, hresult, message) ERROR_TABLE_INDEX_##id,
#include "imapi-errors.h"
#undef IMAPI_ERROR
        IMAPI_ERROR_TABLE_SIZE,
};

#define IMAPI_ERROR(id, dbus_name, symbol, hresult, message)                                                \
        G_STATIC_ASSERT((int) IMAPI_ERROR_##id == (int) ERROR_TABLE_INDEX_##id);
#include "imapi-errors.h"
#undef IMAPI_ERROR

static const GDBusErrorEntry dbus_error_entries[] = {
#define IMAPI_ERROR(id, dbus_name, symbol, hresult, message)                                                \
        {IMAPI_ERROR_##id, IMAPI_ERROR_DBUS_PREFIX dbus_name},
#include "imapi-errors.h"
#undef IMAPI_ERROR
};

static const ImapiErrorInfo error_infos[] = {
#define IMAPI_ERROR(id, dbus_name, symbol, hresult, message)                                                \
        [IMAPI_ERROR_##id] = {IMAPI_ERROR_DBUS_PREFIX dbus_name, symbol, hresult, message},
#include "imapi-errors.h"
#undef IMAPI_ERROR
};

G_STATIC_ASSERT(G_N_ELEMENTS(dbus_error_entries) == IMAPI_ERROR_TABLE_SIZE);
G_STATIC_ASSERT(G_N_ELEMENTS(error_infos) == IMAPI_ERROR_TABLE_SIZE);
G_STATIC_ASSERT((int) IMAPI_ERROR_TABLE_SIZE < (int) IMAPI_ERROR_INVALID_ARGS);

/**
 * imapi_error_quark:
 *
 * Returns: the #GQuark of the #ImapiError domain; its codes are registered with GDBus so that
 *   replies carrying org.freedesktop.IMAPI1.Error.* arrive in this domain.
 */
GQuark imapi_error_quark(void)
{
        static gsize quark = 0;

        /* GIO's own domain claims org.freedesktop.DBus.Error.*; register it first, whatever the order. */
        (void) g_dbus_error_quark();
        g_dbus_error_register_error_domain("imapi-error-quark", &quark, dbus_error_entries,
                                           G_N_ELEMENTS(dbus_error_entries));
        return (GQuark) quark;
}

static const ImapiErrorInfo *error_info(ImapiError code)
{
        static const ImapiErrorInfo invalid_args = {
                "org.freedesktop.DBus.Error.InvalidArgs",
                NULL,
                0x80070057U,
                "Invalid arguments",
        };
        static const ImapiErrorInfo access_denied = {
                "org.freedesktop.DBus.Error.AccessDenied",
                NULL,
                0x80070005U,
                "Access denied",
        };

        if (code == IMAPI_ERROR_INVALID_ARGS)
                return &invalid_args;
        if (code == IMAPI_ERROR_ACCESS_DENIED)
                return &access_denied;
        if ((int) code < 0 || (int) code >= IMAPI_ERROR_TABLE_SIZE)
                return NULL;
        return &error_infos[code];
}

/**
 * imapi_error_get_dbus_name:
 * @code: an #ImapiError
 *
 * Returns: (nullable): the full D-Bus error name of @code, e.g.
 *   "org.freedesktop.IMAPI1.Error.DiscFull"; %NULL for an unknown code.
 */
const char *imapi_error_get_dbus_name(ImapiError code)
{
        const ImapiErrorInfo *i = error_info(code);

        return i ? i->dbus_name : NULL;
}

/**
 * imapi_error_get_symbol:
 * @code: an #ImapiError
 *
 * Returns: (nullable): IMAPI's symbol for @code, e.g. "IMAPI_E_DISCFULL"; %NULL for imapid's own errors
 *   (NotAuthorized, LimitsExceeded, ...), the standard D-Bus errors and unknown codes.
 */
const char *imapi_error_get_symbol(ImapiError code)
{
        const ImapiErrorInfo *i = error_info(code);

        return i ? i->symbol : NULL;
}

/**
 * imapi_error_get_hresult:
 * @code: an #ImapiError
 *
 * Returns: IMAPI's HRESULT for @code, e.g. 0x8004021C; E_INVALIDARG and E_ACCESSDENIED for the standard
 *   D-Bus errors; 0 for imapid's own errors and unknown codes.
 */
guint32 imapi_error_get_hresult(ImapiError code)
{
        const ImapiErrorInfo *i = error_info(code);

        return i ? i->hresult : 0;
}

/**
 * imapi_error_get_default_message:
 * @code: an #ImapiError
 *
 * Returns: (nullable): a short English description of @code (the daemon's messages say more).
 */
const char *imapi_error_get_default_message(ImapiError code)
{
        const ImapiErrorInfo *i = error_info(code);

        return i ? i->message : NULL;
}

/**
 * imapi_error_dup_dbus_name:
 * @error: an error from a call to imapid, or from a libimapi function
 *
 * Returns: (transfer full) (nullable): the D-Bus error name @error carries, e.g.
 *   "org.freedesktop.IMAPI1.Error.DeviceStillInUse", also for names this library does not know yet;
 *   %NULL for local errors (a file that cannot be read, a cancelled operation).
 */
char *imapi_error_dup_dbus_name(const GError *error)
{
        g_return_val_if_fail(error != NULL, NULL);

        if (error->domain == imapi_error_quark())
                return g_strdup(imapi_error_get_dbus_name(error->code));
        return g_dbus_error_get_remote_error(error);
}

/* The code of a D-Bus error name of the table, or -1. */
static int code_from_dbus_name(const char *name)
{
        for (int i = 0; i < IMAPI_ERROR_TABLE_SIZE; i++)
                if (g_str_equal(error_infos[i].dbus_name, name))
                        return i;
        return -1;
}

/**
 * imapi_error_normalize:
 * @error: an error from a D-Bus call to imapid
 *
 * Moves org.freedesktop.DBus.Error.InvalidArgs and AccessDenied into the #ImapiError domain and strips
 * the "GDBus.Error:NAME: " prefix GDBus puts in front of the messages of known errors, so that
 * @error->message is the daemon's text. Every libimapi function does this to the errors it returns.
 *
 * Returns: whether @error is in the #ImapiError domain afterwards.
 */
gboolean imapi_error_normalize(GError *error)
{
        g_return_val_if_fail(error != NULL, FALSE);

        if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_DBUS_ERROR)) {
                /* Made before the domain was registered (imapi_error_quark() not called yet). */
                g_autofree char *name = g_dbus_error_get_remote_error(error);
                int code = name ? code_from_dbus_name(name) : -1;

                if (code >= 0) {
                        g_dbus_error_strip_remote_error(error);
                        error->domain = imapi_error_quark();
                        error->code = code;
                }
        } else if (error->domain == G_DBUS_ERROR &&
                   (error->code == G_DBUS_ERROR_INVALID_ARGS || error->code == G_DBUS_ERROR_ACCESS_DENIED)) {
                g_dbus_error_strip_remote_error(error);
                error->code = error->code == G_DBUS_ERROR_INVALID_ARGS ? IMAPI_ERROR_INVALID_ARGS
                                                                       : IMAPI_ERROR_ACCESS_DENIED;
                error->domain = imapi_error_quark();
        } else if (error->domain == imapi_error_quark())
                g_dbus_error_strip_remote_error(error);
        return error->domain == imapi_error_quark();
}
