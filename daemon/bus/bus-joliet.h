/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* org.freedesktop.IMAPI1.JolietDiscMaster: staging a data disc. */
#pragma once

#include "disc-master.h"

#define IMAPI_JOLIET_DISC_MASTER_INTERFACE "org.freedesktop.IMAPI1.JolietDiscMaster"

int bus_joliet_register(Manager *m);

/* The tree of a disc master, created on first use with the configured limits. */
MasterTree *bus_joliet_tree(DiscMaster *dm);
/* Blocks available to the image: FreeMediaBlocks when set, else the active recorder's free blocks. */
uint64_t bus_joliet_total_blocks(DiscMaster *dm);
void bus_joliet_emit_sizes(DiscMaster *dm);

bool bus_joliet_has_content(DiscMaster *dm);
void bus_joliet_clear(DiscMaster *dm);
void bus_joliet_cancel(DiscMaster *dm);
