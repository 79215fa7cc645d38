/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Running burn and erase jobs for a disc master: the worker, IMAPI's progress signals (rate-limited),
 * the live progress properties with an ETA from averaged samples, and the completion signal. */
#pragma once

#include <stdbool.h>

#include <systemd/sd-bus.h>

#include "burn-job.h"
#include "disc-master.h"

/* Starts the job on the disc master's recorder; the disc master and the recorder turn "burning" (or
 * "erasing"). The result arrives as BurnComplete (EraseComplete on the recorder for erases). */
int bus_burn_start(DiscMaster *dm, const BurnRequest *req, sd_bus_error *error);

/* Asks the running job to stop at a safe point. Returns false when nothing runs. */
bool bus_burn_cancel(DiscMaster *dm);

/* The disc master is going away during a job: it is cancelled, and the disc master is freed (its
 * recorder released, its stash deleted) when the job has stopped. Returns true when the caller must leave
 * that to the job's end, false when nothing runs any more. */
bool bus_burn_detach(DiscMaster *dm);
