/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Worker threads that hand their result back to the event loop through an eventfd. */
#include <errno.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "log.h"
#include "worker.h"

struct Worker {
        char *name;
        GThread *thread;
        int efd;
        sd_event_source *source;
        WorkerRunFunc run;
        WorkerDoneFunc done;
        void *userdata;
        int result;
        gint cancelled;
};

static gint n_running = 0;

static Worker *worker_free(Worker *w)
{
        if (!w)
                return NULL;
        sd_event_source_disable_unref(w->source);
        safe_close(w->efd);
        g_free(w->name);
        g_free(w);
        return NULL;
}

static gpointer worker_thread(gpointer data)
{
        Worker *w = data;
        uint64_t one = 1;

        w->result = w->run(w, w->userdata);
        /* The eventfd write is the last touch of w by this thread. */
        while (write(w->efd, &one, sizeof(one)) < 0 && errno == EINTR)
                ;
        return NULL;
}

static int worker_on_finished(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
        Worker *w = userdata;
        WorkerDoneFunc done = w->done;
        void *done_data = w->userdata;
        int result;

        g_thread_join(w->thread);
        result = w->result;
        log_debug("Worker '%s' finished: %d", w->name, result);
        worker_free(w);
        g_atomic_int_dec_and_test(&n_running);
        if (done)
                done(result, done_data);
        return 0;
}

int worker_start(sd_event *event, const char *name, WorkerRunFunc run, WorkerDoneFunc done, void *userdata,
                 Worker **ret)
{
        g_autoptr(GError) error = NULL;
        Worker *w;
        int r;

        w = g_new0(Worker, 1);
        w->name = g_strdup(name);
        w->run = run;
        w->done = done;
        w->userdata = userdata;
        w->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (w->efd < 0) {
                r = -errno;
                worker_free(w);
                return r;
        }
        r = sd_event_add_io(event, &w->source, w->efd, EPOLLIN, worker_on_finished, w);
        if (r < 0) {
                worker_free(w);
                return r;
        }
        (void) sd_event_source_set_description(w->source, name);

        w->thread = g_thread_try_new(name, worker_thread, w, &error);
        if (!w->thread) {
                worker_free(w);
                return -EAGAIN;
        }
        g_atomic_int_inc(&n_running);
        if (ret)
                *ret = w;
        return 0;
}

void worker_cancel(Worker *w)
{
        if (w)
                g_atomic_int_set(&w->cancelled, 1);
}

bool worker_is_cancelled(Worker *w)
{
        return w && g_atomic_int_get(&w->cancelled);
}

unsigned worker_count_running(void)
{
        return (unsigned) g_atomic_int_get(&n_running);
}

void worker_drain_all(sd_event *event)
{
        while (worker_count_running() > 0)
                if (sd_event_run(event, UINT64_MAX) < 0)
                        break;
}
