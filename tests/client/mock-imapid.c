/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The stand-in imapid (imapi-mock.c) as a program, for testing imapictl's burning verbs without the burn
 * engine: serves on the bus at ADDRESS until SIGTERM, then prints what it recorded as key=value lines.
 *
 *   mock-imapid ADDRESS [ok|fail|slow|refuse] [STEP_MS] [STEPS] */
#include <glib-unix.h>
#include <stdio.h>
#include <stdlib.h>

#include "imapi-mock.h"

static gboolean on_term(gpointer user_data)
{
        g_main_loop_quit(user_data);
        return G_SOURCE_REMOVE;
}

static MockBurn parse_burn(const char *s)
{
        return g_str_equal(s, "fail")     ? MOCK_BURN_FAIL
               : g_str_equal(s, "slow")   ? MOCK_BURN_SLOW
               : g_str_equal(s, "refuse") ? MOCK_BURN_REFUSE
                                          : MOCK_BURN_OK;
}

static void print_summary(Mock *m)
{
        g_mutex_lock(&m->lock);
        printf("staged=%u\n", m->staged->len);
        for (guint i = 0; i < m->staged->len; i++)
                printf("entry=%s\n", (const char *) m->staged->pdata[i]);
        printf("format=%s\n", m->format ? m->format : "");
        printf("recorder=%s\n", m->active_recorder ? m->active_recorder : "");
        printf("simulate=%d\neject=%d\nclose=%d\n", m->record_simulate, m->record_eject, m->record_close);
        printf("cancel=%d\n", m->cancel_called);
        printf("volume=%s\n", m->volume ? m->volume : "");
        printf("stage_files=%d\n", m->stage_files);
        printf("gap=%d\n", m->gap);
        printf("disc_title=%s\ndisc_performer=%s\n", m->disc_title ? m->disc_title : "",
               m->disc_performer ? m->disc_performer : "");
        printf("tracks=%u\ntrack_blocks=%u\n", m->tracks, m->tracks_closed_blocks);
        printf("track_title=%s\n", m->track_title ? m->track_title : "");
        printf("image_size=%" G_GUINT64_FORMAT "\n", m->image_size);
        printf("erase_full=%d\n", m->erase_full);
        printf("interactive=%d\n",
               !!(m->set_recorder_flags & G_DBUS_MESSAGE_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION));
        g_mutex_unlock(&m->lock);
        fflush(stdout);
}

int main(int argc, char *argv[])
{
        g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
        Mock *m;

        if (argc < 2) {
                fprintf(stderr, "usage: mock-imapid ADDRESS [ok|fail|slow|refuse] [STEP_MS] [STEPS]\n");
                return 2;
        }
        m = mock_start(argv[1]);
        m->burn = argc > 2 ? parse_burn(argv[2]) : MOCK_BURN_OK;
        if (argc > 3)
                m->step_ms = (guint) atoi(argv[3]);
        if (argc > 4)
                m->steps = (guint) atoi(argv[4]);
        printf("ready\n");
        fflush(stdout);
        g_unix_signal_add(SIGTERM, on_term, loop);
        g_main_loop_run(loop);
        print_summary(m);
        mock_stop(m);
        return 0;
}
