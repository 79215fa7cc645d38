/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* org.freedesktop.IMAPI1.RedbookDiscMaster: staging an audio CD. */
#pragma once

#include "disc-master.h"

#define IMAPI_REDBOOK_DISC_MASTER_INTERFACE "org.freedesktop.IMAPI1.RedbookDiscMaster"

int bus_redbook_register(Manager *m);

bool bus_redbook_has_content(DiscMaster *dm);
void bus_redbook_clear(DiscMaster *dm);
void bus_redbook_cancel(DiscMaster *dm);
/* Brings the disc's capacity and gap in line with the active recorder, its disc and its AudioGapSize. */
void bus_redbook_sync(DiscMaster *dm);
