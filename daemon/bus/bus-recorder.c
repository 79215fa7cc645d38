/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* org.freedesktop.IMAPI1.Recorder: identity, state and media properties, the v1 recorder properties,
 * Eject and CloseTray (Erase lives in bus-erase.c). */
#include <errno.h>

#include "bus-burn.h"
#include "bus-disc-master.h"
#include "bus-errors.h"
#include "bus-recorder.h"
#include "bus-util.h"
#include "disc-master.h"
#include "imapi-error.h"
#include "log.h"
#include "polkit-actions.h"
#include "polkit.h"
#include "virtual-recorder.h"
#include "worker.h"

void bus_recorder_emit_changed(Manager *m, Recorder *r, const char *first, ...)
{
        va_list ap;

        va_start(ap, first);
        bus_emit_changed_va(m->bus, r->object_path, IMAPI_RECORDER_INTERFACE, first, ap);
        va_end(ap);
}

static void emit_media_changed(Manager *m, Recorder *r)
{
        bus_recorder_emit_changed(m, r, "MediaPresent", "MediaProfile", "MediaType", "MediaFlags",
                                  "MediaState", "Sessions", "LastTrack", "StartAddress", "NextWritable",
                                  "FreeBlocks", "TotalBlocks", "WriteSpeeds", "MaxWriteSpeed", NULL);
}

void bus_recorder_refresh_media(Manager *m, Recorder *r)
{
        int k;

        g_assert(r->is_virtual); /* a real drive may take seconds to answer: read it in a worker */
        k = recorder_refresh_media(r);
        if (k < 0)
                log_debug_errno(k, "Failed to read the medium of %s, ignoring: %m", r->id);
        if (k > 0)
                emit_media_changed(m, r);
}

void bus_recorder_media_read(BusRecorderMedia *b, Recorder *r)
{
        b->r = recorder_read_media(r, &b->media, &b->info);
}

void bus_recorder_media_apply(BusRecorderMedia *b, Recorder *r)
{
        int k = b->r;

        if (k >= 0 && !r->gone && r->manager)
                k = recorder_apply_media(r, &b->media, &b->info);
        else if (k >= 0)
                recorder_media_done(&b->media);
        if (k < 0)
                log_debug_errno(k, "Failed to read the medium of %s, ignoring: %m", r->id);
        if (k > 0)
                emit_media_changed(r->manager, r);
}

static int find_recorder(sd_bus *bus, const char *path, const char *iface, void *userdata, void **found,
                         sd_bus_error *error)
{
        Recorder *r = manager_find_recorder_by_path(userdata, path);

        if (!r)
                return 0;
        *found = r;
        return 1;
}

static int find_virtual_recorder(sd_bus *bus, const char *path, const char *iface, void *userdata,
                                 void **found, sd_bus_error *error)
{
        Recorder *r = manager_find_recorder_by_path(userdata, path);

        if (!r || !r->is_virtual)
                return 0;
        *found = r;
        return 1;
}

static int enumerate_recorders(sd_bus *bus, const char *path, void *userdata, char ***ret_nodes,
                               sd_bus_error *error)
{
        *ret_nodes = manager_recorder_paths(userdata);
        return 0;
}

/* Properties. */

#define RECORDER_STRING_PROPERTY(name, expr)                                                                \
        static int property_get_##name(sd_bus *bus, const char *path, const char *iface, const char *prop,  \
                                       sd_bus_message *reply, void *userdata, sd_bus_error *error)          \
        {                                                                                                   \
                Recorder *r = userdata;                                                                     \
                return sd_bus_message_append_basic(reply, 's', (expr) ?: "");                               \
        }

#define RECORDER_U32_PROPERTY(name, expr)                                                                   \
        static int property_get_##name(sd_bus *bus, const char *path, const char *iface, const char *prop,  \
                                       sd_bus_message *reply, void *userdata, sd_bus_error *error)          \
        {                                                                                                   \
                Recorder *r = userdata;                                                                     \
                uint32_t v = (expr);                                                                        \
                return sd_bus_message_append_basic(reply, 'u', &v);                                         \
        }

#define RECORDER_BOOL_PROPERTY(name, expr)                                                                  \
        static int property_get_##name(sd_bus *bus, const char *path, const char *iface, const char *prop,  \
                                       sd_bus_message *reply, void *userdata, sd_bus_error *error)          \
        {                                                                                                   \
                Recorder *r = userdata;                                                                     \
                return sd_bus_message_append(reply, "b", (int) (expr));                                     \
        }

RECORDER_STRING_PROPERTY(id, r->id)
RECORDER_STRING_PROPERTY(vendor, r->identity.vendor)
RECORDER_STRING_PROPERTY(product, r->identity.product)
RECORDER_STRING_PROPERTY(revision, r->identity.revision)
RECORDER_STRING_PROPERTY(device, r->device)
RECORDER_STRING_PROPERTY(state, recorder_state_to_string(r->state))
RECORDER_STRING_PROPERTY(owner, r->owner)
RECORDER_STRING_PROPERTY(media_profile, r->media.profile)
RECORDER_BOOL_PROPERTY(virtual, r->is_virtual)
RECORDER_BOOL_PROPERTY(media_present, r->media.present)
RECORDER_BOOL_PROPERTY(bufe_capable, r->identity.bufe_capable)
RECORDER_U32_PROPERTY(recorder_type, r->identity.recorder_type)
RECORDER_U32_PROPERTY(media_flags, r->media.media_flags)
RECORDER_U32_PROPERTY(media_state, r->media.media_state)
RECORDER_U32_PROPERTY(sessions, r->media.sessions)
RECORDER_U32_PROPERTY(last_track, r->media.last_track)
RECORDER_U32_PROPERTY(start_address, r->media.start_address)
RECORDER_U32_PROPERTY(next_writable, r->media.next_writable)
RECORDER_U32_PROPERTY(free_blocks, r->media.free_blocks)
RECORDER_U32_PROPERTY(total_blocks, r->media.total_blocks)
RECORDER_U32_PROPERTY(max_write_speed, recorder_max_write_speed(r))

static int property_get_media_type(sd_bus *bus, const char *path, const char *iface, const char *prop,
                                   sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        Recorder *r = userdata;
        return sd_bus_message_append(reply, "i", r->media.media_type);
}

static int property_get_profiles(sd_bus *bus, const char *path, const char *iface, const char *prop,
                                 sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        Recorder *r = userdata;
        return sd_bus_message_append_strv(reply, r->identity.profiles ?: (char *[]){NULL});
}

static int property_get_write_speeds(sd_bus *bus, const char *path, const char *iface, const char *prop,
                                     sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        Recorder *r = userdata;
        return sd_bus_message_append_array(reply, 'u', r->media.write_speeds,
                                           r->media.n_write_speeds * sizeof(uint32_t));
}

/* Methods. */

static int method_get_recorder_properties(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        g_autoptr(sd_bus_message) reply = NULL;
        Recorder *r = userdata;
        int32_t max_speed = (int32_t) recorder_max_write_speed(r);
        int32_t speed = r->settings.write_speed ? (int32_t) r->settings.write_speed : max_speed;
        int k;

        k = sd_bus_message_new_method_return(msg, &reply);
        if (k >= 0)
                k = sd_bus_message_open_container(reply, 'a', "{sv}");
        if (k >= 0)
                k = bus_append_dict_entry(reply, "WriteSpeed", "i", speed);
        if (k >= 0)
                k = bus_append_dict_entry(reply, "MaxWriteSpeed", "i", max_speed);
        if (k >= 0)
                k = bus_append_dict_entry(reply, "AudioGapSize", "i", r->settings.audio_gap_size);
        if (k >= 0)
                k = bus_append_dict_entry(reply, "BufferUnderrunFreeCapable", "i",
                                          r->identity.bufe_capable ? -1 : 0);
        if (k >= 0)
                k = bus_append_dict_entry(reply, "EnableBufferUnderrunFree", "i", r->settings.enable_bufe);
        if (k >= 0)
                k = sd_bus_message_close_container(reply);
        if (k < 0)
                return k;
        return sd_bus_send(NULL, reply, NULL);
}

/* The disc master of the caller that holds 'r', or an error. */
static int require_holder(Recorder *r, sd_bus_message *msg, sd_bus_error *error)
{
        DiscMaster *dm = r->holder;

        if (!dm)
                return bus_error_setf(
                        error, -IMAPI_ERROR_NO_ACTIVE_RECORDER,
                        "Recorder %s is not held; take it with DiscMaster.SetActiveRecorder() first", r->id);
        if (!disc_master_is_owner(dm, msg))
                return bus_error_setf(error, -IMAPI_ERROR_DEVICE_STILL_IN_USE,
                                      "Recorder %s is in use by '%s'", r->id, r->owner);
        return 0;
}

static int method_set_recorder_properties(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        Recorder *r = userdata;
        uint32_t speed = r->settings.write_speed;
        int32_t gap = r->settings.audio_gap_size, bufe = r->settings.enable_bufe;
        uint32_t max_speed = recorder_max_write_speed(r);
        g_auto(GStrv) ignored = NULL;
        const BusOption options[] = {
                {"WriteSpeed", BUS_OPTION_UINT32, &speed},
                {"AudioGapSize", BUS_OPTION_INT32, &gap},
                {"EnableBufferUnderrunFree", BUS_OPTION_INT32, &bufe},
        };
        int k;

        /* Read-only names (MaxWriteSpeed, BufferUnderrunFreeCapable) and unknown ones come back ignored. */
        k = bus_read_options(msg, options, ELEMENTSOF(options), true, &ignored, error);
        if (k < 0)
                return k;
        if (max_speed > 0 && speed > max_speed)
                return bus_error_setf(error, -EINVAL, "WriteSpeed %u is above MaxWriteSpeed %u", speed,
                                      max_speed);
        if (gap < 0 || gap > RECORDER_AUDIO_GAP_MAX)
                return bus_error_setf(error, -EINVAL, "AudioGapSize %d is not in 0..%d", gap,
                                      RECORDER_AUDIO_GAP_MAX);
        if (bufe < -1 || bufe > 1)
                return bus_error_setf(error, -EINVAL, "EnableBufferUnderrunFree %d is not -1, 0 or 1", bufe);

        k = require_holder(r, msg, error);
        if (k < 0)
                return k;
        k = polkit_check(r->manager->polkit, msg, POLKIT_ACTION_ACQUIRE_RECORDER, NULL, error);
        if (k <= 0)
                return k < 0 ? k : 1;

        r->settings.write_speed = speed;
        r->settings.audio_gap_size = gap;
        r->settings.enable_bufe = bufe;
        log_info("Recorder %s: WriteSpeed=%u AudioGapSize=%d EnableBufferUnderrunFree=%d", r->id, speed, gap,
                 bufe);
        return bus_reply_strv(msg, ignored);
}

/* Drive operations run in a worker thread; the call is answered from the loop when it ends. */
typedef int (*RecorderOperation)(Recorder *r);

typedef struct RecorderCall {
        Recorder *recorder;
        sd_bus_message *message;
        RecorderOperation operation;
        const char *what;
        BusRecorderMedia media; /* what the disc is afterwards, read in the worker too */
} RecorderCall;

static int recorder_call_run(Worker *w, void *userdata)
{
        RecorderCall *c = userdata;
        int k;

        g_mutex_lock(&c->recorder->io_lock);
        k = c->operation(c->recorder);
        g_mutex_unlock(&c->recorder->io_lock);
        bus_recorder_media_read(&c->media, c->recorder);
        return k;
}

static void recorder_call_done(int result, void *userdata)
{
        RecorderCall *c = userdata;
        Recorder *r = c->recorder;

        bus_recorder_media_apply(&c->media, r);
        if (result < 0) {
                g_auto(sd_bus_error) error = SD_BUS_ERROR_NULL;
                log_warning_errno(result, "Failed to %s %s: %m", c->what, r->id);
                (void) bus_error_setf(&error, result, "Cannot %s %s: %s", c->what, r->id,
                                      error_to_string(result));
                (void) sd_bus_reply_method_error(c->message, &error);
        } else {
                log_info("Recorder %s: %s", r->id, c->what);
                (void) sd_bus_reply_method_return(c->message, NULL);
        }
        sd_bus_message_unref(c->message);
        recorder_unref(c->recorder);
        g_free(c);
}

static int recorder_run_operation(Recorder *r, sd_bus_message *msg, RecorderOperation op, const char *what)
{
        RecorderCall *c = g_new0(RecorderCall, 1);
        int k;

        c->recorder = recorder_ref(r);
        c->message = sd_bus_message_ref(msg);
        c->operation = op;
        c->what = what;
        k = worker_start(r->manager->event, what, recorder_call_run, recorder_call_done, c, NULL);
        if (k < 0) {
                sd_bus_message_unref(c->message);
                recorder_unref(c->recorder);
                g_free(c);
                return k;
        }
        return 1;
}

/* Eject, CloseTray and LoadMedium: refused while another client holds the recorder or it is busy. */
static int check_tray_access(Recorder *r, sd_bus_message *msg, sd_bus_error *error)
{
        DiscMaster *dm = r->holder;

        if (dm && !disc_master_is_owner(dm, msg))
                return bus_error_setf(error, -IMAPI_ERROR_DEVICE_STILL_IN_USE,
                                      "Recorder %s is in use by '%s'", r->id, r->owner);
        if (r->state == RECORDER_STATE_BURNING || r->state == RECORDER_STATE_ERASING)
                return bus_error_setf(error, -IMAPI_ERROR_BUSY, "Recorder %s is %s", r->id,
                                      recorder_state_to_string(r->state));
        return 0;
}

static int tray_method(sd_bus_message *msg, Recorder *r, RecorderOperation op, const char *what,
                       sd_bus_error *error)
{
        int k;

        k = bus_read_options(msg, NULL, 0, false, NULL, error);
        if (k < 0)
                return k;
        k = check_tray_access(r, msg, error);
        if (k < 0)
                return k;
        k = polkit_check(r->manager->polkit, msg, POLKIT_ACTION_EJECT_MEDIA, NULL, error);
        if (k <= 0)
                return k < 0 ? k : 1;
        return recorder_run_operation(r, msg, op, what);
}

static int method_eject(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        return tray_method(msg, userdata, recorder_eject, "eject", error);
}

static int method_close_tray(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        return tray_method(msg, userdata, recorder_close_tray, "close the tray of", error);
}

/* Erase: the caller holds the recorder through a disc master; the job runs on that disc master. */
static int method_erase(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        Recorder *r = userdata;
        DiscMaster *dm = r->holder;
        BurnRequest req;
        int full, k;

        k = sd_bus_message_read(msg, "b", &full);
        if (k < 0)
                return k;
        k = bus_read_options(msg, NULL, 0, false, NULL, error);
        if (k < 0)
                return k;
        k = require_holder(r, msg, error);
        if (k < 0)
                return k;
        if (dm->state != DISC_MASTER_STATE_STAGING || dm->add_data_call)
                return bus_error_setf(error, -IMAPI_ERROR_BUSY, "Recorder %s is %s", r->id,
                                      recorder_state_to_string(r->state));
        if (!r->media.present)
                return bus_error_setf(error, -IMAPI_ERROR_MEDIUM_NOT_PRESENT, "There is no disc in %s",
                                      r->id);
        if (!r->media_info.erasable && !r->media_info.overwrite)
                return bus_error_setf(error, -IMAPI_ERROR_ERASE_MEDIA_IS_NOT_ERASABLE,
                                      "A %s disc cannot be erased", r->media.profile);
        k = polkit_check(r->manager->polkit, msg, POLKIT_ACTION_ERASE_DISC,
                         (const char *const[]){"recorder", r->id, NULL}, error);
        if (k <= 0)
                return k < 0 ? k : 1;

        req = (BurnRequest){
                .kind = BURN_KIND_ERASE,
                .transport = r->transport,
                .drive = &r->drive_info,
                .erase_full = full,
        };
        k = bus_burn_start(dm, &req, error);
        if (k < 0)
                return k;
        log_info("Recorder %s: %s erase of a %s disc for '%s'", r->id, full ? "full" : "quick",
                 r->media.profile, r->owner);
        return sd_bus_reply_method_return(msg, NULL);
}

static const sd_bus_vtable recorder_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("Id", "s", property_get_id, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Vendor", "s", property_get_vendor, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Product", "s", property_get_product, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Revision", "s", property_get_revision, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Device", "s", property_get_device, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Virtual", "b", property_get_virtual, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("RecorderType", "u", property_get_recorder_type, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Profiles", "as", property_get_profiles, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("State", "s", property_get_state, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Owner", "s", property_get_owner, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("MediaPresent", "b", property_get_media_present, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("MediaProfile", "s", property_get_media_profile, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("MediaType", "i", property_get_media_type, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("MediaFlags", "u", property_get_media_flags, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("MediaState", "u", property_get_media_state, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Sessions", "u", property_get_sessions, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("LastTrack", "u", property_get_last_track, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("StartAddress", "u", property_get_start_address, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("NextWritable", "u", property_get_next_writable, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("FreeBlocks", "u", property_get_free_blocks, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("TotalBlocks", "u", property_get_total_blocks, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("WriteSpeeds", "au", property_get_write_speeds, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("MaxWriteSpeed", "u", property_get_max_write_speed, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("BufferUnderrunFreeCapable", "b", property_get_bufe_capable, 0,
                        SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_METHOD_WITH_ARGS("GetRecorderProperties", SD_BUS_NO_ARGS, SD_BUS_RESULT("a{sv}", properties),
                                method_get_recorder_properties, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("SetRecorderProperties", SD_BUS_ARGS("a{sv}", properties),
                                SD_BUS_RESULT("as", ignored), method_set_recorder_properties,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Eject", SD_BUS_ARGS("a{sv}", options), SD_BUS_NO_RESULT, method_eject,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("CloseTray", SD_BUS_ARGS("a{sv}", options), SD_BUS_NO_RESULT,
                                method_close_tray, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Erase", SD_BUS_ARGS("b", full, "a{sv}", options), SD_BUS_NO_RESULT,
                                method_erase, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_SIGNAL_WITH_ARGS("EraseProgress", SD_BUS_ARGS("u", elapsed_seconds, "u", expected_seconds),
                                0),
        SD_BUS_SIGNAL_WITH_ARGS("EraseComplete", SD_BUS_ARGS("s", error_name, "s", message), 0),
        SD_BUS_VTABLE_END,
};

int bus_recorder_register(Manager *m)
{
        int k;

        k = sd_bus_add_fallback_vtable(m->bus, NULL, IMAPI_RECORDER_PATH_PREFIX, IMAPI_RECORDER_INTERFACE,
                                       recorder_vtable, find_recorder, m);
        if (k < 0)
                return k;
        return sd_bus_add_node_enumerator(m->bus, NULL, IMAPI_RECORDER_PATH_PREFIX, enumerate_recorders, m);
}

/* org.freedesktop.IMAPI1.VirtualRecorder */

static int property_get_speed(sd_bus *bus, const char *path, const char *iface, const char *prop,
                              sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        Recorder *r = userdata;
        uint32_t speed = virtual_recorder_speed(r);
        return sd_bus_message_append_basic(reply, 'u', &speed);
}

typedef struct LoadMediumCall {
        Recorder *recorder;
        char *profile;
} LoadMediumCall;

static int method_load_medium(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        Recorder *r = userdata;
        const char *profile;
        int k;

        k = sd_bus_message_read(msg, "s", &profile);
        if (k < 0)
                return k;
        k = bus_read_options(msg, NULL, 0, false, NULL, error);
        if (k < 0)
                return k;
        if (!virtual_recorder_offers_profile(r, profile))
                return bus_error_setf(error, -IMAPI_ERROR_MEDIUM_INVALID_TYPE,
                                      "Recorder %s cannot take a '%s' disc (see its Profiles)", r->id,
                                      profile);
        k = check_tray_access(r, msg, error);
        if (k < 0)
                return k;
        k = polkit_check(r->manager->polkit, msg, POLKIT_ACTION_EJECT_MEDIA, NULL, error);
        if (k <= 0)
                return k < 0 ? k : 1;

        k = virtual_recorder_load_medium(r, profile);
        if (k < 0)
                return bus_error_setf(error, k, "Cannot load a %s disc into %s: %s", profile, r->id,
                                      error_to_string(k));
        log_info("Recorder %s: loaded a blank %s disc", r->id, profile);
        bus_recorder_refresh_media(r->manager, r);
        return sd_bus_reply_method_return(msg, NULL);
}

static int method_open_image(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        Recorder *r = userdata;
        g_autofree char *cue = NULL;
        g_autofd int fd = -1;
        int k;

        k = bus_read_options(msg, NULL, 0, false, NULL, error);
        if (k < 0)
                return k;
        if (r->holder && !disc_master_is_owner(r->holder, msg))
                return bus_error_setf(error, -IMAPI_ERROR_DEVICE_STILL_IN_USE,
                                      "Recorder %s is in use by '%s'", r->id, r->owner);
        if (r->state == RECORDER_STATE_BURNING || r->state == RECORDER_STATE_ERASING)
                return bus_error_setf(error, -IMAPI_ERROR_BUSY, "Recorder %s is %s", r->id,
                                      recorder_state_to_string(r->state));
        k = virtual_recorder_open_image(r, &fd, &cue);
        if (k < 0)
                return bus_error_setf(error, k, "Cannot open the disc of %s: %s", r->id, error_to_string(k));
        return sd_bus_reply_method_return(msg, "hs", fd, cue ?: "");
}

static const sd_bus_vtable virtual_recorder_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("Speed", "u", property_get_speed, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_METHOD_WITH_ARGS("LoadMedium", SD_BUS_ARGS("s", profile, "a{sv}", options), SD_BUS_NO_RESULT,
                                method_load_medium, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("OpenImage", SD_BUS_ARGS("a{sv}", options),
                                SD_BUS_RESULT("h", image, "s", cue_sheet), method_open_image,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};

int bus_virtual_recorder_register(Manager *m)
{
        return sd_bus_add_fallback_vtable(m->bus, NULL, IMAPI_RECORDER_PATH_PREFIX,
                                          IMAPI_VIRTUAL_RECORDER_INTERFACE, virtual_recorder_vtable,
                                          find_virtual_recorder, m);
}
