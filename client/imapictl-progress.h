/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* imapictl's progress output: a bar with rate and ETA on a terminal, plain lines when piped, JSON events. */
#pragma once

#include "imapictl.h"

typedef struct Progress Progress;

Progress *progress_new(Ctl *c, guint block_size);
void progress_free(Progress *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Progress, progress_free)

/* What is being done, for the staging phase ("Adding files", "Adding track 2/5: a.flac"). */
void progress_set_label(Progress *p, const char *label);
/* An ImapiProgressFunc; user_data is the Progress. */
void progress_report(ImapiProgressKind kind, guint64 done, guint64 total, gpointer user_data);
/* Ends the terminal line (before other output, and at the end). */
void progress_finish(Progress *p);
/* Seconds since the first WRITING report (0 if none). */
double progress_get_write_seconds(Progress *p);
