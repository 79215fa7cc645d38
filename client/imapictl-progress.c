/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* imapictl's progress output: a bar with rate and ETA on a terminal (redrawn at most 10 times a second),
 * plain lines when piped (at most one a second, plus every change of phase and the end), JSON events. */
#include <stdio.h>

#include "imapictl-progress.h"

#define BAR_WIDTH        24
#define SAMPLES          32
#define RATE_WINDOW_US   (10 * G_USEC_PER_SEC)
#define TTY_INTERVAL_US  (G_USEC_PER_SEC / 10)
#define LINE_INTERVAL_US G_USEC_PER_SEC

typedef struct Sample {
        gint64 time;
        guint64 done;
} Sample;

struct Progress {
        Ctl *ctl;
        gboolean tty;
        guint block_size;
        char *label;
        ImapiProgressKind kind;
        gboolean have_kind;
        guint64 done, total;
        guint track, tracks;
        gint64 last_output;
        gboolean line_open;
        gint64 write_start;
        Sample samples[SAMPLES];
        guint n_samples, next_sample;
};

Progress *progress_new(Ctl *c, guint block_size)
{
        Progress *p = g_new0(Progress, 1);

        p->ctl = c;
        p->tty = c->stdout_tty && !c->json;
        p->block_size = block_size;
        return p;
}

void progress_free(Progress *p)
{
        if (!p)
                return;
        progress_finish(p);
        g_free(p->label);
        g_free(p);
}

void progress_set_label(Progress *p, const char *label)
{
        g_free(p->label);
        p->label = g_strdup(label);
        p->last_output = 0;
}

double progress_get_write_seconds(Progress *p)
{
        return p->write_start ? (double) (g_get_monotonic_time() - p->write_start) / G_USEC_PER_SEC : 0.0;
}

static void sample_add(Progress *p, gint64 now, guint64 done)
{
        p->samples[p->next_sample] = (Sample){now, done};
        p->next_sample = (p->next_sample + 1) % SAMPLES;
        p->n_samples = MIN(p->n_samples + 1, SAMPLES);
}

/* Bytes per second over the last samples (up to RATE_WINDOW_US); 0 while unknown. */
static double progress_rate(Progress *p)
{
        const Sample *last, *first = NULL;

        if (p->n_samples < 2)
                return 0;
        last = &p->samples[(p->next_sample + SAMPLES - 1) % SAMPLES];
        for (guint i = p->n_samples; i >= 2; i--) {
                const Sample *s = &p->samples[(p->next_sample + SAMPLES - i) % SAMPLES];

                if (last->time - s->time <= RATE_WINDOW_US) {
                        first = s;
                        break;
                }
        }
        if (!first || last->time <= first->time || last->done < first->done)
                return 0;
        return (double) (last->done - first->done) * p->block_size * G_USEC_PER_SEC /
               (double) (last->time - first->time);
}

static gint64 progress_eta(Progress *p, double rate)
{
        if (p->kind == IMAPI_PROGRESS_ERASING)
                return p->total > p->done ? (gint64) (p->total - p->done) : 0;
        if (rate <= 0 || p->total < p->done)
                return -1;
        return (gint64) ((double) (p->total - p->done) * p->block_size / rate + 0.5);
}

static const char *kind_name(ImapiProgressKind kind)
{
        switch (kind) {
        case IMAPI_PROGRESS_ADDING:
                return "adding";
        case IMAPI_PROGRESS_PREPARING:
                return "preparing";
        case IMAPI_PROGRESS_WRITING:
        case IMAPI_PROGRESS_TRACK:
                return "writing";
        case IMAPI_PROGRESS_CLOSING:
                return "closing";
        case IMAPI_PROGRESS_ERASING:
                return "erasing";
        }
        return "working";
}

static char *format_duration(gint64 seconds)
{
        if (seconds < 0)
                return g_strdup("--:--");
        if (seconds >= 3600)
                return g_strdup_printf("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                                       (int) (seconds / 60 % 60), (int) (seconds % 60));
        return g_strdup_printf("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

static double percent(Progress *p)
{
        return p->total ? 100.0 * (double) MIN(p->done, p->total) / (double) p->total : 0.0;
}

static void json_event(Progress *p, double rate, gint64 eta)
{
        Json *j = p->ctl->out;

        json_begin_object(j);
        json_kv_string(j, "event", "progress");
        json_kv_string(j, "phase", kind_name(p->kind));
        json_kv_uint(j, "done", p->done);
        json_kv_uint(j, "total", p->total);
        if (p->tracks) {
                json_kv_uint(j, "track", p->track);
                json_kv_uint(j, "tracks", p->tracks);
        }
        if (p->kind == IMAPI_PROGRESS_WRITING && rate > 0) {
                json_key(j, "bytes_per_second");
                json_uint(j, (guint64) rate);
        }
        if (eta >= 0 && (p->kind == IMAPI_PROGRESS_WRITING || p->kind == IMAPI_PROGRESS_ERASING)) {
                json_key(j, "eta_seconds");
                json_int(j, eta);
        }
        json_end_object(j);
        json_print(j);
}

/* The text of the current state, without line control. */
static char *progress_text(Progress *p, double rate, gint64 eta)
{
        g_autofree char *done = NULL, *total = NULL, *speed = NULL, *left = NULL, *track = NULL,
                        *rate_size = NULL, *about = NULL;
        char bar[BAR_WIDTH + 1];
        guint filled = (guint) (percent(p) / 100.0 * BAR_WIDTH);

        switch (p->kind) {
        case IMAPI_PROGRESS_ADDING:
                if (p->total)
                        return g_strdup_printf("%s  %3.0f%%", p->label ? p->label : "Adding", percent(p));
                return g_strdup_printf("%s: %" G_GUINT64_FORMAT " entries",
                                       p->label ? p->label : "Adding files", p->done);
        case IMAPI_PROGRESS_PREPARING:
        case IMAPI_PROGRESS_CLOSING:
                /* The estimate, when imapid has one. */
                about = p->total ? g_strdup_printf(" (about %" G_GUINT64_FORMAT " s)", p->total)
                                 : g_strdup("");
                return g_strdup_printf("%s%s",
                                       p->kind == IMAPI_PROGRESS_PREPARING ? "Preparing the burn"
                                                                           : "Closing the disc",
                                       about);
        default:
                break;
        }
        for (guint i = 0; i < BAR_WIDTH; i++)
                bar[i] = i < filled ? '#' : '.';
        bar[BAR_WIDTH] = '\0';
        left = format_duration(eta);
        if (p->kind == IMAPI_PROGRESS_ERASING)
                return g_strdup_printf("Erasing [%s] %3.0f%%  ETA %s", bar, percent(p), left);
        done = ctl_format_size(p->done * p->block_size);
        total = ctl_format_size(p->total * p->block_size);
        rate_size = rate > 0 ? ctl_format_size((guint64) rate) : NULL;
        speed = rate_size ? g_strdup_printf("%s/s", rate_size) : g_strdup("-");
        track = p->tracks ? g_strdup_printf("  track %u/%u", p->track, p->tracks) : g_strdup("");
        return g_strdup_printf("Writing [%s] %3.0f%%  %s of %s  %s  ETA %s%s", bar, percent(p), done, total,
                               speed, left, track);
}

static void plain_line(Progress *p, double rate, gint64 eta)
{
        g_autofree char *rate_text = NULL;

        switch (p->kind) {
        case IMAPI_PROGRESS_ADDING:
                if (p->total)
                        printf("adding %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT "\n", p->done, p->total);
                else
                        printf("adding %" G_GUINT64_FORMAT "\n", p->done);
                break;
        case IMAPI_PROGRESS_PREPARING:
        case IMAPI_PROGRESS_CLOSING:
                printf("%s\n", kind_name(p->kind));
                break;
        case IMAPI_PROGRESS_ERASING:
                printf("erasing %.0f%% %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " s\n", percent(p), p->done,
                       p->total);
                break;
        default:
                rate_text = rate > 0 ? g_strdup_printf(" %" G_GUINT64_FORMAT " B/s", (guint64) rate)
                                     : g_strdup("");
                printf("writing %.0f%% %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " blocks%s", percent(p),
                       p->done, p->total, rate_text);
                if (eta >= 0)
                        printf(" eta %" G_GINT64_FORMAT "s", eta);
                if (p->tracks)
                        printf(" track %u/%u", p->track, p->tracks);
                printf("\n");
        }
        fflush(stdout);
}

static void progress_output(Progress *p, gboolean changed)
{
        gint64 now = g_get_monotonic_time();
        gint64 interval = p->tty ? TTY_INTERVAL_US : LINE_INTERVAL_US;
        gboolean at_end = p->total > 0 && p->done >= p->total;
        double rate;
        gint64 eta;

        if (p->ctl->quiet || (!changed && !at_end && now - p->last_output < interval))
                return;
        p->last_output = now;
        rate = progress_rate(p);
        eta = progress_eta(p, rate);
        if (p->ctl->json)
                json_event(p, rate, eta);
        else if (p->tty) {
                g_autofree char *text = progress_text(p, rate, eta);

                printf("\r\033[K%s", text);
                fflush(stdout);
                p->line_open = TRUE;
        } else
                plain_line(p, rate, eta);
}

void progress_report(ImapiProgressKind kind, guint64 done, guint64 total, gpointer user_data)
{
        Progress *p = user_data;
        gboolean changed;

        if (kind == IMAPI_PROGRESS_TRACK) {
                changed = p->track != done;
                p->track = (guint) done;
                p->tracks = (guint) total;
                if (changed && p->kind == IMAPI_PROGRESS_WRITING)
                        progress_output(p, TRUE);
                return;
        }
        /* imapid may send the last BlockProgress after ClosingDisc: people see it as part of closing. */
        if (kind == IMAPI_PROGRESS_WRITING && p->have_kind && p->kind == IMAPI_PROGRESS_CLOSING &&
            !p->ctl->json) {
                p->done = done;
                p->total = total;
                return;
        }
        /* Closing means everything is written: show the bar full before the next line. */
        if (kind == IMAPI_PROGRESS_CLOSING && p->have_kind && p->kind == IMAPI_PROGRESS_WRITING &&
            !p->ctl->json && p->done < p->total) {
                p->done = p->total;
                progress_output(p, TRUE);
        }
        changed = !p->have_kind || p->kind != kind;
        if (changed && p->tty && p->line_open && kind != IMAPI_PROGRESS_WRITING) {
                printf("\n");
                p->line_open = FALSE;
        }
        p->have_kind = TRUE;
        p->kind = kind;
        p->done = done;
        p->total = total;
        if (kind == IMAPI_PROGRESS_WRITING) {
                gint64 now = g_get_monotonic_time();

                if (!p->write_start)
                        p->write_start = now;
                sample_add(p, now, done);
        }
        progress_output(p, changed);
}

void progress_finish(Progress *p)
{
        if (p->line_open) {
                printf("\n");
                fflush(stdout);
                p->line_open = FALSE;
        }
}
