/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Daemon error codes to D-Bus errors, from the one table in dbus/imapi-errors.h. */
#include <errno.h>
#include <stdarg.h>

#include "bus-errors.h"
#include "imapi-error.h"

static const char *const dbus_names[_IMAPI_ERROR_END - _IMAPI_ERROR_BASE - 1] = {
#define IMAPI_ERROR(id, name, symbol, hresult, message) IMAPI_ERROR_DBUS_PREFIX name,
#include "imapi-errors.h"
#undef IMAPI_ERROR
};

const char *bus_error_name(int code)
{
        code = errno_of(code);
        if (code == 0)
                return "";
        if (imapi_error_is_valid(code))
                return dbus_names[code - _IMAPI_ERROR_BASE - 1];
        switch (code) {
        case EINVAL:
                return SD_BUS_ERROR_INVALID_ARGS;
        case ENOMEM:
                return SD_BUS_ERROR_NO_MEMORY;
        case EACCES:
        case EPERM:
                return SD_BUS_ERROR_ACCESS_DENIED;
        default:
                return SD_BUS_ERROR_FAILED;
        }
}

char *bus_error_message(int code, const char *message)
{
        const char *symbol;

        code = errno_of(code);
        if (!imapi_error_is_valid(code))
                return g_strdup(message ?: g_strerror(code));
        if (!message)
                message = imapi_error_message(code);
        symbol = imapi_error_symbol(code);
        if (!symbol)
                return g_strdup(message);
        return g_strdup_printf("%s (%s, 0x%08X)", message, symbol, imapi_error_hresult(code));
}

int bus_error_set(sd_bus_error *error, int code, const char *message)
{
        g_autofree char *text = NULL;

        code = errno_of(code);
        if (code == 0)
                code = EIO;
        if (!imapi_error_is_valid(code) && !message)
                return sd_bus_error_set_errno(error, code);
        text = bus_error_message(code, message);
        (void) sd_bus_error_set(error, bus_error_name(code), text);
        return imapi_error_is_valid(code) ? -EIO : -code;
}

int bus_error_setf(sd_bus_error *error, int code, const char *format, ...)
{
        g_autofree char *message = NULL;
        va_list ap;

        va_start(ap, format);
        message = g_strdup_vprintf(format, ap);
        va_end(ap);
        return bus_error_set(error, code, message);
}
