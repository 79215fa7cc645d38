/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Recorder model: reference counting, the exclusive hold, state, and the v1 recorder settings. */
#include <errno.h>
#include <string.h>

#include "imapi-error.h"
#include "log.h"
#include "macros.h"
#include "recorder.h"

static const char *const recorder_state_table[_RECORDER_STATE_MAX] = {
        [RECORDER_STATE_IDLE] = "idle",
        [RECORDER_STATE_OPENED] = "opened",
        [RECORDER_STATE_BURNING] = "burning",
        [RECORDER_STATE_ERASING] = "erasing",
};

const char *recorder_state_to_string(RecorderState s)
{
        if (s < 0 || s >= _RECORDER_STATE_MAX)
                return NULL;
        return recorder_state_table[s];
}

void recorder_media_done(RecorderMedia *m)
{
        g_free(m->profile);
        g_free(m->write_speeds);
        *m = (RecorderMedia){};
}

bool recorder_media_equal(const RecorderMedia *a, const RecorderMedia *b)
{
        return a->present == b->present && g_strcmp0(a->profile, b->profile) == 0 &&
               a->media_type == b->media_type && a->media_flags == b->media_flags &&
               a->media_state == b->media_state && a->sessions == b->sessions &&
               a->last_track == b->last_track && a->start_address == b->start_address &&
               a->next_writable == b->next_writable && a->free_blocks == b->free_blocks &&
               a->total_blocks == b->total_blocks && a->max_write_speed == b->max_write_speed &&
               a->n_write_speeds == b->n_write_speeds &&
               (a->n_write_speeds == 0 ||
                memcmp(a->write_speeds, b->write_speeds, a->n_write_speeds * sizeof(uint32_t)) == 0);
}

static void recorder_identity_done(RecorderIdentity *i)
{
        g_free(i->vendor);
        g_free(i->product);
        g_free(i->revision);
        g_strfreev(i->profiles);
        *i = (RecorderIdentity){};
}

void recorder_settings_reset(Recorder *r)
{
        r->settings = (RecorderSettings){
                .write_speed = 0,
                .audio_gap_size = RECORDER_AUDIO_GAP_DEFAULT,
                .enable_bufe = -1,
        };
}

Recorder *recorder_new(const char *id, const char *object_path, Transport *transport)
{
        Recorder *r = g_new0(Recorder, 1);

        r->n_ref = 1;
        r->id = g_strdup(id);
        r->object_path = g_strdup(object_path);
        r->device = g_strdup("");
        r->transport = transport;
        g_mutex_init(&r->io_lock);
        r->media.profile = g_strdup("");
        recorder_settings_reset(r);
        return r;
}

Recorder *recorder_ref(Recorder *r)
{
        if (r)
                r->n_ref++;
        return r;
}

Recorder *recorder_unref(Recorder *r)
{
        if (!r || --r->n_ref > 0)
                return NULL;
        g_assert(!r->holder);
        transport_free(r->transport);
        recorder_free_emu(r);
        g_mutex_clear(&r->io_lock);
        recorder_identity_done(&r->identity);
        recorder_media_done(&r->media);
        g_free(r->id);
        g_free(r->object_path);
        g_free(r->device);
        g_free(r->syspath);
        g_free(r->virtual_name);
        g_free(r->owner);
        g_free(r);
        return NULL;
}

int recorder_acquire(Recorder *r, void *holder, const char *owner)
{
        if (r->holder == holder)
                return 0;
        if (r->holder)
                return -IMAPI_ERROR_DEVICE_STILL_IN_USE;
        if (r->gone)
                return -IMAPI_ERROR_DEVICE_NOT_PRESENT;
        if (r->ops && r->ops->acquire) {
                int k = r->ops->acquire(r);
                if (k < 0)
                        return k;
        }
        r->holder = holder;
        g_free(r->owner);
        r->owner = g_strdup(owner);
        r->state = RECORDER_STATE_OPENED;
        recorder_settings_reset(r);
        return 0;
}

void recorder_release(Recorder *r, void *holder)
{
        if (!r || r->holder != holder)
                return;
        r->holder = NULL;
        g_clear_pointer(&r->owner, g_free);
        r->state = RECORDER_STATE_IDLE;
        recorder_settings_reset(r);
        if (r->ops && r->ops->release)
                r->ops->release(r);
}

void recorder_set_state(Recorder *r, RecorderState s)
{
        r->state = s;
}

uint32_t recorder_max_write_speed(const Recorder *r)
{
        if (r->media.present && r->media.max_write_speed > 0)
                return r->media.max_write_speed;
        return r->identity.max_write_speed;
}
