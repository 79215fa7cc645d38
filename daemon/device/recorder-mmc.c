/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a Recorder learns from its drive through the MMC layer: identity, the disc, tray movements. */
#include <errno.h>

#include "emu-drive.h"
#include "imapi-error.h"
#include "log.h"
#include "mmc-media.h"
#include "recorder.h"
#include "spc.h"

void recorder_free_emu(Recorder *r)
{
        r->emu = emu_drive_unref(r->emu);
}

static char *trimmed(const char *s)
{
        return g_strstrip(g_strdup(s));
}

int recorder_probe(Recorder *r)
{
        DriveInfo d;
        int k;

        g_mutex_lock(&r->io_lock);
        k = mmc_probe_drive(r->transport, &d);
        g_mutex_unlock(&r->io_lock);
        if (k < 0)
                return k;
        if (d.n_writable_profiles == 0)
                return -EOPNOTSUPP; /* a reader, not a recorder */

        g_free(r->identity.vendor);
        g_free(r->identity.product);
        g_free(r->identity.revision);
        g_strfreev(r->identity.profiles);
        r->identity = (RecorderIdentity){
                .vendor = trimmed(d.vendor),
                .product = trimmed(d.product),
                .revision = trimmed(d.revision),
                .recorder_type = d.recorder_type,
                .profiles = drive_info_profile_names(&d),
                .max_write_speed = d.max_write_speed,
                .bufe_capable = d.features.bufe,
        };
        r->drive_info = d;
        return 0;
}

static void recorder_media_from_info(RecorderMedia *m, const MediaInfo *mi)
{
        *m = (RecorderMedia){
                .present = mi->present,
                .profile = g_strdup(mi->present ? mi->profile_name : ""),
                .media_type = mi->media_type,
                .media_flags = mi->media_flags,
                .media_state = mi->media_state,
                .sessions = mi->sessions,
                .last_track = mi->last_track,
                .start_address = mi->start_address,
                .next_writable = mi->next_writable,
                .free_blocks = mi->free_blocks,
                .total_blocks = mi->total_blocks,
                .n_write_speeds = mi->n_write_speeds,
                .write_speeds = g_new0(uint32_t, MAX(mi->n_write_speeds, 1)),
                .max_write_speed = mi->max_write_speed,
        };
        for (size_t i = 0; i < mi->n_write_speeds; i++)
                m->write_speeds[i] = mi->write_speeds[i].x;
}

int recorder_read_media(Recorder *r, RecorderMedia *ret_media, MediaInfo *ret_info)
{
        MediaInfo mi;
        int k;

        g_mutex_lock(&r->io_lock);
        k = mmc_probe_media(r->transport, &r->drive_info, &mi);
        g_mutex_unlock(&r->io_lock);
        if (k < 0)
                return k;
        recorder_media_from_info(ret_media, &mi);
        *ret_info = mi;
        return 0;
}

int recorder_apply_media(Recorder *r, RecorderMedia *media, const MediaInfo *info)
{
        bool changed = !recorder_media_equal(media, &r->media);

        recorder_media_done(&r->media);
        r->media = *media;
        *media = (RecorderMedia){};
        r->media_info = *info;
        return changed;
}

int recorder_refresh_media(Recorder *r)
{
        RecorderMedia fresh;
        MediaInfo mi;
        int k;

        k = recorder_read_media(r, &fresh, &mi);
        if (k < 0)
                return k;
        return recorder_apply_media(r, &fresh, &mi);
}

/* Called with io_lock held (from a worker). */
int recorder_eject(Recorder *r)
{
        int k;

        k = spc_prevent_allow_medium_removal(r->transport, false);
        if (k < 0)
                log_debug_errno(k, "Failed to allow medium removal on %s, ignoring: %m", r->id);
        return spc_start_stop_unit(r->transport, SPC_START_STOP_EJECT, false);
}

int recorder_close_tray(Recorder *r)
{
        return spc_start_stop_unit(r->transport, SPC_START_STOP_LOAD, false);
}
