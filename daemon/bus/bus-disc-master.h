/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* org.freedesktop.IMAPI1.DiscMaster, and the hooks the format interfaces plug into. */
#pragma once

#include <stdbool.h>

#include "disc-master.h"

#define IMAPI_DISC_MASTER_INTERFACE "org.freedesktop.IMAPI1.DiscMaster"

int bus_disc_master_register(Manager *m);

void bus_disc_master_emit_changed(DiscMaster *dm, const char *first, ...) G_GNUC_NULL_TERMINATED;

/* Finds the disc master at a path for a method call and checks the caller owns it. */
int bus_disc_master_find(sd_bus *bus, const char *path, const char *iface, void *userdata, void **found,
                         sd_bus_error *error);
int bus_disc_master_check_owner(DiscMaster *dm, sd_bus_message *msg, sd_bus_error *error);
/* WrongFormat unless 'format' is the active one; Busy while a burn runs. */
int bus_disc_master_check_format(DiscMaster *dm, DiscFormat format, sd_bus_error *error);

/* Hooks for disc-master.c: format content, and stopping a running burn or copy. */
bool bus_disc_master_has_format_content(DiscMaster *dm);
void bus_disc_master_clear_format_content(DiscMaster *dm);
void bus_disc_master_cancel_work(DiscMaster *dm);
