/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Virtual recorders: the software drive of emu/ behind the Transport interface, made into a Recorder. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "emu-drive.h"
#include "imapi-error.h"
#include "log.h"
#include "profile.h"
#include "stash.h"
#include "virtual-recorder.h"

#define RECORDER_FILE     "recorder.ini"
#define MAX_VIRTUAL_SPEED 64

int virtual_recorder_config_validate(const char *name, const VirtualRecorderConfig *vc,
                                     char **reterr_message)
{
        if (!virtual_recorder_name_is_valid(name))
                return error_set_message(
                        reterr_message, EINVAL,
                        "Virtual recorder name '%s' is not 1-32 characters of A-Z a-z 0-9 _ -", name);
        for (char **p = vc->profiles; p && *p; p++)
                if (profile_from_name(*p) < 0 || !profile_is_writable((uint16_t) profile_from_name(*p)))
                        return error_set_message(reterr_message, EINVAL, "Unknown writable profile '%s'",
                                                 *p);
        if (vc->profiles && !vc->profiles[0])
                return error_set_message(reterr_message, EINVAL,
                                         "A virtual recorder needs at least one profile");
        if (vc->medium && *vc->medium) {
                if (profile_from_name(vc->medium) < 0)
                        return error_set_message(reterr_message, EINVAL, "Unknown medium '%s'", vc->medium);
                if (vc->profiles && !g_strv_contains((const char *const *) vc->profiles, vc->medium))
                        return error_set_message(reterr_message, EINVAL,
                                                 "Medium '%s' is not one of the recorder's profiles",
                                                 vc->medium);
        }
        if (vc->speed > MAX_VIRTUAL_SPEED)
                return error_set_message(reterr_message, EINVAL, "Speed %u is above %u", vc->speed,
                                         MAX_VIRTUAL_SPEED);
        return 0;
}

static int save_recorder_file(const char *state_dir, const VirtualRecorderConfig *vc)
{
        g_autoptr(GKeyFile) f = g_key_file_new();
        g_autofree char *path = g_build_filename(state_dir, RECORDER_FILE, NULL);
        g_autoptr(GError) error = NULL;

        g_key_file_set_string(f, "VirtualRecorder", "Name", vc->name);
        if (vc->profiles)
                g_key_file_set_string_list(f, "VirtualRecorder", "Profiles",
                                           (const char *const *) vc->profiles, g_strv_length(vc->profiles));
        g_key_file_set_string(f, "VirtualRecorder", "Medium", vc->medium ?: "");
        g_key_file_set_integer(f, "VirtualRecorder", "Speed", (int) vc->speed);
        if (!g_key_file_save_to_file(f, path, &error))
                return -EIO;
        return 0;
}

/* The first time a state directory is used (no disc saved yet) the configured medium is loaded. */
static bool state_dir_is_new(const char *state_dir)
{
        g_autofree char *ini = g_build_filename(state_dir, RECORDER_FILE, NULL);
        return !g_file_test(ini, G_FILE_TEST_EXISTS);
}

int virtual_recorder_new(const VirtualRecorderConfig *vc, const char *state_dir, bool persistent,
                         const char *object_path, Recorder **ret, char **reterr_message)
{
        g_autofree uint16_t *profiles = NULL;
        g_autofree char *id = g_strdup_printf("virtual_%s", vc->name);
        g_autoptr(EmuDrive) drive = NULL;
        EmuDriveConfig cfg;
        bool fresh;
        Recorder *r;
        int k;

        k = virtual_recorder_config_validate(vc->name, vc, reterr_message);
        if (k < 0)
                return k;
        emu_drive_config_init(&cfg);
        if (vc->profiles) {
                size_t n = g_strv_length(vc->profiles);
                profiles = g_new(uint16_t, n);
                for (size_t i = 0; i < n; i++)
                        profiles[i] = (uint16_t) profile_from_name(vc->profiles[i]);
                cfg.profiles = profiles;
                cfg.n_profiles = n;
        }
        cfg.speed = vc->speed;

        if (g_mkdir_with_parents(state_dir, 0700) < 0)
                return error_set_message(reterr_message, -errno, "Cannot create %s: %s", state_dir,
                                         g_strerror(errno));
        fresh = state_dir_is_new(state_dir);
        k = emu_drive_new(vc->name, &cfg, state_dir, &drive, reterr_message);
        if (k < 0)
                return k;
        if (fresh && vc->medium && *vc->medium) {
                k = emu_drive_load_medium(drive, (uint16_t) profile_from_name(vc->medium));
                if (k < 0)
                        return error_set_message(reterr_message, k, "Cannot load a %s disc: %s", vc->medium,
                                                 g_strerror(-k));
        }
        if (vc->faults && *vc->faults) {
                k = emu_drive_set_faults(drive, vc->faults, reterr_message);
                if (k < 0)
                        return k;
        }
        if (persistent || fresh) {
                k = save_recorder_file(state_dir, vc);
                if (k < 0)
                        return error_set_message(reterr_message, k, "Cannot save %s", state_dir);
        }

        r = recorder_new(id, object_path, emu_drive_new_transport(drive));
        r->is_virtual = true;
        r->virtual_name = g_strdup(vc->name);
        r->syspath = g_strdup(state_dir); /* for virtual_recorder_forget() */
        r->emu = g_steal_pointer(&drive);
        k = recorder_probe(r);
        if (k < 0) {
                recorder_unref(r);
                return error_set_message(reterr_message, k, "The virtual drive does not answer: %s",
                                         error_to_string(k));
        }
        *ret = r;
        return 0;
}

uint32_t virtual_recorder_speed(Recorder *r)
{
        return r->emu ? emu_drive_get_speed(r->emu) : 0;
}

bool virtual_recorder_offers_profile(Recorder *r, const char *profile)
{
        return r->identity.profiles && g_strv_contains((const char *const *) r->identity.profiles, profile);
}

int virtual_recorder_load_medium(Recorder *r, const char *profile)
{
        int p = profile_from_name(profile);

        if (p < 0)
                return -IMAPI_ERROR_MEDIUM_INVALID_TYPE;
        switch (emu_drive_load_medium(r->emu, (uint16_t) p)) {
        case 0:
                return 0;
        case -EMEDIUMTYPE:
        case -EINVAL:
                return -IMAPI_ERROR_MEDIUM_INVALID_TYPE;
        case -EBUSY:
                return -IMAPI_ERROR_BUSY;
        default:
                return -IMAPI_ERROR_RECORDER_ERROR;
        }
}

int virtual_recorder_open_image(Recorder *r, int *ret_fd, char **ret_cue_sheet)
{
        int k = emu_drive_open_image(r->emu, ret_fd, ret_cue_sheet);

        if (k == -ENOMEDIUM)
                return -IMAPI_ERROR_MEDIUM_NOT_PRESENT;
        if (k == -EMEDIUMTYPE)
                return -IMAPI_ERROR_MEDIUM_INVALID_TYPE;
        return k;
}

void virtual_recorder_forget(Recorder *r)
{
        g_autofd int fd = -1;

        if (!r->syspath)
                return;
        fd = open(r->syspath, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0)
                (void) rm_rf_children(fd);
        (void) rmdir(r->syspath);
}

int virtual_recorder_list_persistent(const char *virtual_dir, VirtualRecorderConfig **ret, size_t *ret_n)
{
        g_autoptr(GDir) dir = g_dir_open(virtual_dir, 0, NULL);
        GArray *list = g_array_new(false, true, sizeof(VirtualRecorderConfig));
        const char *name;

        while (dir && (name = g_dir_read_name(dir))) {
                g_autofree char *path = g_build_filename(virtual_dir, name, RECORDER_FILE, NULL);
                g_autoptr(GKeyFile) f = g_key_file_new();
                VirtualRecorderConfig vc = {};

                if (!virtual_recorder_name_is_valid(name) || !g_key_file_load_from_file(f, path, 0, NULL))
                        continue;
                vc.name = g_strdup(name);
                vc.profiles = g_key_file_get_string_list(f, "VirtualRecorder", "Profiles", NULL, NULL);
                vc.medium = g_key_file_get_string(f, "VirtualRecorder", "Medium", NULL);
                vc.speed = (unsigned) MAX(0, g_key_file_get_integer(f, "VirtualRecorder", "Speed", NULL));
                g_array_append_val(list, vc);
        }
        *ret_n = list->len;
        *ret = (VirtualRecorderConfig *) g_array_free(list, false);
        return 0;
}
