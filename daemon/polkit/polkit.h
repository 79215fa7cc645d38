/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Asynchronous polkit checks keyed on the caller's bus name (STYLE rule 3).
 *
 * A method handler calls polkit_check() before changing anything:
 *         r = polkit_check(m->polkit, msg, POLKIT_ACTION_RECORD_DISC, details, error);
 *         if (r < 0)
 *                 return r;     (error is set: NotAuthorized, NotAuthorizedCanObtain, ...)
 *         if (r == 0)
 *                 return 1;     (asked polkitd; the message is dispatched again when it answers)
 *         ... authorized: change state ...
 * The handler must therefore be idempotent up to that point: read, validate, then ask. */
#pragma once

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

typedef struct PolkitRegistry PolkitRegistry;

int polkit_registry_new(sd_bus *bus, unsigned timeout_sec, unsigned max_pending_per_client,
                        PolkitRegistry **ret);
PolkitRegistry *polkit_registry_free(PolkitRegistry *reg);

/* details: NULL or a NULL-terminated key, value, key, value... list passed to polkit for rules. */
int polkit_check(PolkitRegistry *reg, sd_bus_message *m, const char *action, const char *const *details,
                 sd_bus_error *error);

unsigned polkit_registry_pending(PolkitRegistry *reg);
