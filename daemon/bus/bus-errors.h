/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Turning a daemon error code into a D-Bus error (DESIGN.md §4 "Errors").
 *
 * IMAPI codes become org.freedesktop.IMAPI1.Error.<Name> with a message that ends with the IMAPI symbol
 * and HRESULT, e.g. "... (IMAPI_E_DISCFULL, 0x8004021C)". -EINVAL becomes InvalidArgs; other errnos the
 * standard sd-bus mapping. All return a negative errno, for handlers to return. */
#pragma once

#include <systemd/sd-bus.h>

#include "macros.h"

int bus_error_set(sd_bus_error *error, int code, const char *message);
int bus_error_setf(sd_bus_error *error, int code, const char *format, ...) _printf_(3, 4);

/* The full D-Bus error name for a code ("" for success), for signals like BurnComplete. */
const char *bus_error_name(int code);
/* The message bus_error_set() would use, newly allocated. */
char *bus_error_message(int code, const char *message);
