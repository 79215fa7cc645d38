/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* org.freedesktop.IMAPI1.DiscMaster: format and recorder choice, clearing, closing, burn progress. */
#include <errno.h>

#include "bus-burn.h"
#include "bus-disc-master.h"
#include "bus-errors.h"
#include "bus-joliet.h"
#include "bus-redbook.h"
#include "bus-recorder.h"
#include "bus-util.h"
#include "imapi-error.h"
#include "log.h"
#include "polkit-actions.h"
#include "polkit.h"
#include "master-tree.h"
#include "recorder.h"

void bus_disc_master_emit_changed(DiscMaster *dm, const char *first, ...)
{
        va_list ap;

        va_start(ap, first);
        bus_emit_changed_va(dm->manager->bus, dm->object_path, IMAPI_DISC_MASTER_INTERFACE, first, ap);
        va_end(ap);
}

int bus_disc_master_find(sd_bus *bus, const char *path, const char *iface, void *userdata, void **found,
                         sd_bus_error *error)
{
        DiscMaster *dm = manager_find_disc_master_by_path(userdata, path);

        if (!dm)
                return 0;
        *found = dm;
        return 1;
}

static int enumerate_disc_masters(sd_bus *bus, const char *path, void *userdata, char ***ret_nodes,
                                  sd_bus_error *error)
{
        Manager *m = userdata;
        g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
        GHashTableIter it;
        DiscMaster *dm;

        g_hash_table_iter_init(&it, m->disc_masters);
        while (g_hash_table_iter_next(&it, NULL, (gpointer *) &dm))
                g_ptr_array_add(paths, g_strdup(dm->object_path));
        g_ptr_array_add(paths, NULL);
        *ret_nodes = (char **) g_ptr_array_free(g_steal_pointer(&paths), false);
        return 0;
}

int bus_disc_master_check_owner(DiscMaster *dm, sd_bus_message *msg, sd_bus_error *error)
{
        if (!disc_master_is_owner(dm, msg))
                return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED,
                                         "Disc master %u belongs to another client", dm->id);
        return 0;
}

static int check_staging(DiscMaster *dm, sd_bus_error *error)
{
        if (dm->state != DISC_MASTER_STATE_STAGING)
                return bus_error_setf(error, -IMAPI_ERROR_BUSY, "Disc master %u is %s", dm->id,
                                      disc_master_state_to_string(dm->state));
        return 0;
}

int bus_disc_master_check_format(DiscMaster *dm, DiscFormat format, sd_bus_error *error)
{
        if (dm->format != format)
                return bus_error_setf(
                        error, -IMAPI_ERROR_WRONG_FORMAT,
                        "The active format is '%s', not '%s'; call SetActiveFormat('%s') first",
                        disc_format_to_string(dm->format), disc_format_to_string(format),
                        disc_format_to_string(format));
        return check_staging(dm, error);
}

/* Properties. */

#define DM_STRING_PROPERTY(name, expr)                                                                      \
        static int property_get_##name(sd_bus *bus, const char *path, const char *iface, const char *prop,  \
                                       sd_bus_message *reply, void *userdata, sd_bus_error *error)          \
        {                                                                                                   \
                DiscMaster *dm = userdata;                                                                  \
                return sd_bus_message_append_basic(reply, 's', (expr) ?: "");                               \
        }

#define DM_U32_PROPERTY(name, field)                                                                        \
        static int property_get_##name(sd_bus *bus, const char *path, const char *iface, const char *prop,  \
                                       sd_bus_message *reply, void *userdata, sd_bus_error *error)          \
        {                                                                                                   \
                DiscMaster *dm = userdata;                                                                  \
                return sd_bus_message_append_basic(reply, 'u', &dm->field);                                 \
        }

DM_STRING_PROPERTY(client_name, dm->client_name)
DM_STRING_PROPERTY(active_format, disc_format_to_string(dm->format))
DM_STRING_PROPERTY(state, disc_master_state_to_string(dm->state))
DM_STRING_PROPERTY(action, dm->action)
DM_U32_PROPERTY(blocks_written, blocks_written)
DM_U32_PROPERTY(blocks_total, blocks_total)
DM_U32_PROPERTY(current_track, current_track)
DM_U32_PROPERTY(total_tracks, total_tracks)
DM_U32_PROPERTY(elapsed_seconds, elapsed_seconds)
DM_U32_PROPERTY(remaining_seconds, remaining_seconds)

static int property_get_formats(sd_bus *bus, const char *path, const char *iface, const char *prop,
                                sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        return sd_bus_message_append(reply, "as", 3, "joliet", "redbook", "image");
}

static int property_get_active_recorder(sd_bus *bus, const char *path, const char *iface, const char *prop,
                                        sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        DiscMaster *dm = userdata;
        return sd_bus_message_append(reply, "o", dm->recorder ? dm->recorder->object_path : "/");
}

/* Methods. */

static int method_set_active_format(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        DiscMaster *dm = userdata;
        const char *name;
        DiscFormat format;
        int k;

        k = sd_bus_message_read(msg, "s", &name);
        if (k < 0)
                return k;
        format = disc_format_from_string(name);
        if (format < 0)
                return bus_error_setf(error, -EINVAL,
                                      "Unknown format '%s'; expected joliet, redbook or image", name);
        if ((k = bus_disc_master_check_owner(dm, msg, error)) < 0 || (k = check_staging(dm, error)) < 0)
                return k;
        if (format == dm->format)
                return sd_bus_reply_method_return(msg, NULL);
        if (disc_master_has_content(dm))
                return bus_error_setf(error, -IMAPI_ERROR_WRONG_FORMAT,
                                      "Content of format '%s' is staged; call ClearFormatContent() first",
                                      disc_format_to_string(dm->format));

        dm->format = format;
        log_debug("Disc master %u: format %s", dm->id, name);
        bus_disc_master_emit_changed(dm, "ActiveFormat", NULL);
        return sd_bus_reply_method_return(msg, NULL);
}

static int method_set_active_recorder(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        DiscMaster *dm = userdata;
        g_autofree char *message = NULL;
        const char *path;
        Recorder *r = NULL;
        int k;

        k = sd_bus_message_read(msg, "o", &path);
        if (k < 0)
                return k;
        if (!g_str_equal(path, "/")) {
                r = manager_find_recorder_by_path(dm->manager, path);
                if (!r)
                        return bus_error_setf(error, -IMAPI_ERROR_DEVICE_NOT_PRESENT,
                                              "There is no recorder at %s", path);
        }
        if ((k = bus_disc_master_check_owner(dm, msg, error)) < 0 || (k = check_staging(dm, error)) < 0)
                return k;
        if (r == dm->recorder)
                return sd_bus_reply_method_return(msg, NULL);
        if (r && r->holder)
                return bus_error_setf(error, -IMAPI_ERROR_DEVICE_STILL_IN_USE,
                                      "Recorder %s is in use by '%s'", r->id, r->owner);
        if (r) {
                k = polkit_check(dm->manager->polkit, msg, POLKIT_ACTION_ACQUIRE_RECORDER,
                                 (const char *const[]){"recorder", r->id, NULL}, error);
                if (k <= 0)
                        return k < 0 ? k : 1;
        }

        k = disc_master_set_recorder(dm, r, &message);
        if (k < 0)
                return bus_error_set(error, k, message);
        log_info("Disc master %u ('%s'): recorder %s", dm->id, dm->client_name, r ? r->id : "released");
        bus_disc_master_emit_changed(dm, "ActiveRecorder", NULL);
        bus_joliet_emit_sizes(dm);
        bus_redbook_sync(dm);
        return sd_bus_reply_method_return(msg, NULL);
}

static int method_clear_format_content(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        DiscMaster *dm = userdata;
        int k;

        if ((k = bus_disc_master_check_owner(dm, msg, error)) < 0 || (k = check_staging(dm, error)) < 0)
                return k;
        disc_master_clear_content(dm);
        bus_joliet_emit_sizes(dm);
        log_debug("Disc master %u: content cleared", dm->id);
        return sd_bus_reply_method_return(msg, NULL);
}

static int method_close(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        DiscMaster *dm = userdata;
        int k;

        k = bus_disc_master_check_owner(dm, msg, error);
        if (k < 0)
                return k;
        log_info("Closing disc master %u ('%s')", dm->id, dm->client_name);
        k = sd_bus_reply_method_return(msg, NULL);
        disc_master_close(dm);
        return k;
}

/* RecordDisc: the checks a client can act on come back as the call's error; the rest as BurnComplete. */
static int check_burnable(DiscMaster *dm, sd_bus_error *error)
{
        Recorder *r = dm->recorder;

        if (dm->format == DISC_FORMAT_NONE)
                return bus_error_setf(error, -IMAPI_ERROR_NO_ACTIVE_FORMAT,
                                      "Choose a format with SetActiveFormat() first");
        if (!r)
                return bus_error_setf(error, -IMAPI_ERROR_NO_ACTIVE_RECORDER,
                                      "Choose a recorder with SetActiveRecorder() first");
        if (!disc_master_has_content(dm))
                return bus_error_setf(error, -IMAPI_ERROR_INVALID_IMAGE, "Nothing is staged to burn");
        if (!r->media.present)
                return bus_error_setf(error, -IMAPI_ERROR_MEDIUM_NOT_PRESENT, "There is no disc in %s",
                                      r->id);
        if (r->media_info.closed)
                return bus_error_setf(error, -IMAPI_ERROR_MEDIUM_CLOSED,
                                      "The %s disc in %s is closed (finalised); load another disc%s",
                                      r->media.profile, r->id, r->media_info.erasable ? " or erase it" : "");
        if (dm->format == DISC_FORMAT_JOLIET && master_tree_used_blocks(dm->tree) > r->media.free_blocks &&
            !r->media_info.overwrite /* overwritable media are checked by the job, which may format them */)
                return bus_error_setf(error, -IMAPI_ERROR_DISC_FULL,
                                      "The image takes %" G_GUINT64_FORMAT
                                      " blocks; the disc in %s has %u free",
                                      master_tree_used_blocks(dm->tree), r->id, r->media.free_blocks);
        return 0;
}

/* What a burn of this disc master's staged content on its recorder asks for. */
static void burn_request_for(DiscMaster *dm, bool simulate, bool eject_after, bool close_disc,
                             uint32_t write_speed, BurnRequest *ret)
{
        Recorder *r = dm->recorder;

        *ret = (BurnRequest){
                .transport = r->transport,
                .drive = &r->drive_info,
                .simulate = simulate,
                .close_disc = close_disc,
                .eject_after = eject_after,
                .write_speed = write_speed,
                .enable_bufe = r->settings.enable_bufe,
                .audio_gap = (uint32_t) r->settings.audio_gap_size,
        };
        switch (dm->format) {
        case DISC_FORMAT_JOLIET:
                ret->kind = BURN_KIND_DATA;
                ret->tree = dm->tree;
                break;
        case DISC_FORMAT_IMAGE:
                ret->kind = BURN_KIND_IMAGE;
                ret->image = &dm->image;
                break;
        case DISC_FORMAT_REDBOOK:
                ret->kind = BURN_KIND_AUDIO;
                ret->audio = dm->audio;
                break;
        default:
                g_assert_not_reached();
        }
}

static int method_record_disc(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        DiscMaster *dm = userdata;
        int simulate, eject_after, k;
        bool close_disc = false;
        uint32_t write_speed = 0;
        bool has_speed = false;
        const BusOption options[] = {
                {"close-disc", BUS_OPTION_BOOLEAN, &close_disc},
                {"write-speed", BUS_OPTION_UINT32, &write_speed, &has_speed},
        };
        BurnRequest req;

        k = sd_bus_message_read(msg, "bb", &simulate, &eject_after);
        if (k < 0)
                return k;
        k = bus_read_options(msg, options, ELEMENTSOF(options), false, NULL, error);
        if (k < 0)
                return k;
        if ((k = bus_disc_master_check_owner(dm, msg, error)) < 0 || (k = check_staging(dm, error)) < 0)
                return k;
        if (dm->add_data_call)
                return bus_error_setf(error, -IMAPI_ERROR_BUSY, "An AddData call is still copying files");
        if ((k = check_burnable(dm, error)) < 0)
                return k;
        k = polkit_check(dm->manager->polkit, msg, POLKIT_ACTION_RECORD_DISC,
                         (const char *const[]){"recorder", dm->recorder->id, NULL}, error);
        if (k <= 0)
                return k < 0 ? k : 1;

        burn_request_for(dm, simulate, eject_after, close_disc,
                         has_speed ? write_speed : dm->recorder->settings.write_speed, &req);
        k = bus_burn_start(dm, &req, error);
        if (k < 0)
                return k;
        log_info("Disc master %u ('%s'): %s on %s%s%s", dm->id, dm->client_name,
                 simulate ? "simulated burn" : "burn", dm->recorder->id,
                 close_disc ? ", closing the disc" : "", eject_after ? ", ejecting after" : "");
        return sd_bus_reply_method_return(msg, NULL);
}

static int method_cancel(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        DiscMaster *dm = userdata;
        int k;

        k = bus_disc_master_check_owner(dm, msg, error);
        if (k < 0)
                return k;
        if (dm->state != DISC_MASTER_STATE_BURNING)
                return bus_error_setf(error, -IMAPI_ERROR_DF2_DATA_WRITE_NOT_IN_PROGRESS,
                                      "Disc master %u is not burning", dm->id);
        bus_burn_cancel(dm);
        log_info("Disc master %u: burn cancelled by the client", dm->id);
        return sd_bus_reply_method_return(msg, NULL);
}

static const sd_bus_vtable disc_master_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("ClientName", "s", property_get_client_name, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Formats", "as", property_get_formats, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("ActiveFormat", "s", property_get_active_format, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("ActiveRecorder", "o", property_get_active_recorder, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("State", "s", property_get_state, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Action", "s", property_get_action, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("BlocksWritten", "u", property_get_blocks_written, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("BlocksTotal", "u", property_get_blocks_total, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("CurrentTrack", "u", property_get_current_track, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("TotalTracks", "u", property_get_total_tracks, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("ElapsedSeconds", "u", property_get_elapsed_seconds, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("RemainingSeconds", "u", property_get_remaining_seconds, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_METHOD_WITH_ARGS("SetActiveFormat", SD_BUS_ARGS("s", format), SD_BUS_NO_RESULT,
                                method_set_active_format, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("SetActiveRecorder", SD_BUS_ARGS("o", recorder), SD_BUS_NO_RESULT,
                                method_set_active_recorder, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD("ClearFormatContent", "", "", method_clear_format_content, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("RecordDisc", SD_BUS_ARGS("b", simulate, "b", eject_after, "a{sv}", options),
                                SD_BUS_NO_RESULT, method_record_disc, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD("Cancel", "", "", method_cancel, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD("Close", "", "", method_close, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_SIGNAL_WITH_ARGS("AddProgress", SD_BUS_ARGS("u", completed, "u", total), 0),
        SD_BUS_SIGNAL_WITH_ARGS("BlockProgress", SD_BUS_ARGS("u", completed, "u", total), 0),
        SD_BUS_SIGNAL_WITH_ARGS("TrackProgress", SD_BUS_ARGS("u", current, "u", total), 0),
        SD_BUS_SIGNAL_WITH_ARGS("PreparingBurn", SD_BUS_ARGS("u", estimated_seconds), 0),
        SD_BUS_SIGNAL_WITH_ARGS("ClosingDisc", SD_BUS_ARGS("u", estimated_seconds), 0),
        SD_BUS_SIGNAL_WITH_ARGS("BurnComplete", SD_BUS_ARGS("s", error_name, "s", message), 0),
        SD_BUS_VTABLE_END,
};

int bus_disc_master_register(Manager *m)
{
        int k;

        k = sd_bus_add_fallback_vtable(m->bus, NULL, IMAPI_DISC_MASTER_PATH_PREFIX,
                                       IMAPI_DISC_MASTER_INTERFACE, disc_master_vtable, bus_disc_master_find,
                                       m);
        if (k < 0)
                return k;
        return sd_bus_add_node_enumerator(m->bus, NULL, IMAPI_DISC_MASTER_PATH_PREFIX,
                                          enumerate_disc_masters, m);
}

/* Hooks; the format interfaces add theirs here as they arrive. */

bool bus_disc_master_has_format_content(DiscMaster *dm)
{
        return bus_joliet_has_content(dm) || bus_redbook_has_content(dm);
}

void bus_disc_master_clear_format_content(DiscMaster *dm)
{
        bus_joliet_clear(dm);
        bus_redbook_clear(dm);
}

void bus_disc_master_cancel_work(DiscMaster *dm)
{
        bus_joliet_cancel(dm);
        bus_redbook_cancel(dm);
}
