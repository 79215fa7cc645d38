/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Long work in a thread, its end reported to the sd-event loop.
 *
 * The thread runs 'run' and never touches sd-bus or daemon objects other than what 'userdata' gives it;
 * progress travels through atomics the loop reads. When 'run' returns, 'done' is called from the loop
 * with its result, and the Worker is freed. (DESIGN.md §2 "One event loop".) */
#pragma once

#include <stdbool.h>

#include <systemd/sd-event.h>

typedef struct Worker Worker;

typedef int (*WorkerRunFunc)(Worker *w, void *userdata);
typedef void (*WorkerDoneFunc)(int result, void *userdata);

int worker_start(sd_event *event, const char *name, WorkerRunFunc run, WorkerDoneFunc done, void *userdata,
                 Worker **ret);

/* Asks the thread to stop at its next safe point; 'run' polls worker_is_cancelled(). */
void worker_cancel(Worker *w);
bool worker_is_cancelled(Worker *w);

/* Blocks until every started worker has finished and its 'done' ran (used at shutdown). */
void worker_drain_all(sd_event *event);
unsigned worker_count_running(void);
