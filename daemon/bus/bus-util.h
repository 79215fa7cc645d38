/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Small helpers shared by the bus objects: a{sv} option parsing and PropertiesChanged from a va_list. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <systemd/sd-bus.h>

#include "macros.h"

/* Emits PropertiesChanged for the NULL-terminated property names that follow 'iface'. */
void bus_emit_changed_va(sd_bus *bus, const char *path, const char *iface, const char *first, va_list ap);

typedef enum BusOptionType {
        BUS_OPTION_BOOLEAN, /* bool */
        BUS_OPTION_UINT32,  /* uint32_t, accepts any unsigned/signed integer type that fits */
        BUS_OPTION_INT32,   /* int32_t, likewise */
        BUS_OPTION_STRING,  /* char*, newly allocated */
        BUS_OPTION_STRV,    /* char**, newly allocated */
        BUS_OPTION_FD,      /* int, dup'ed with O_CLOEXEC */
} BusOptionType;

typedef struct BusOption {
        const char *name;
        BusOptionType type;
        void *ret;
        bool *ret_present; /* optional */
} BusOption;

/* Reads an a{sv}. Unknown keys are InvalidArgs when 'unknown_ok' is false, else collected in
 * *ret_unknown (a strv; may be NULL). Wrong types are InvalidArgs naming the key. */
int bus_read_options(sd_bus_message *m, const BusOption *options, size_t n_options, bool unknown_ok,
                     char ***ret_unknown, sd_bus_error *error);

/* Appends one a{sv} entry. */
int bus_append_dict_entry(sd_bus_message *m, const char *key, const char *signature, ...);

/* Replies with one string array. */
int bus_reply_strv(sd_bus_message *m, char **strv);

/* The uid of the sender of m. */
int bus_message_sender_uid(sd_bus_message *m, uid_t *ret);
