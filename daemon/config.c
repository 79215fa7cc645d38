/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* imapid.conf parsing with GKeyFile; every setting has its default here. */
#include <errno.h>
#include <string.h>

#include "build-config.h"
#include "config.h"
#include "imapi-error.h"
#include "macros.h"

#ifndef IMAPID_STATE_DIR
#define IMAPID_STATE_DIR "/var/lib/imapid"
#endif

#define MIB (UINT64_C(1024) * 1024)

void config_init_defaults(Config *c)
{
        *c = (Config){
                .stash_directory = g_strdup(IMAPID_STATE_DIR "/stash"),
                .state_directory = g_strdup(IMAPID_STATE_DIR),
                .stash_reserve_bytes = 256 * MIB,
                .polkit_timeout_sec = 30,
                .enable_udev = true,
                .max_disc_masters_per_user = 16,
                .max_entries_per_call = 256,
                .max_entries_per_image = 1000000,
                .max_path_bytes = 1024,
                .max_name_bytes = 255,
                .max_stash_bytes_per_user = 64 * 1024 * MIB,
                .max_audio_tracks = 99,
                .max_audio_bytes_per_call = 16 * MIB,
                .max_pending_polkit_per_client = 16,
                .max_virtual_recorders = 32,
        };
}

static void virtual_recorder_config_done(VirtualRecorderConfig *v)
{
        g_free(v->name);
        g_strfreev(v->profiles);
        g_free(v->medium);
        g_free(v->faults);
}

void config_done(Config *c)
{
        g_free(c->stash_directory);
        g_free(c->state_directory);
        for (size_t i = 0; i < c->n_virtual_recorders; i++)
                virtual_recorder_config_done(&c->virtual_recorders[i]);
        g_free(c->virtual_recorders);
        *c = (Config){};
}

bool virtual_recorder_name_is_valid(const char *name)
{
        size_t n = strlen(name);

        if (n == 0 || n > 32)
                return false;
        for (size_t i = 0; i < n; i++)
                if (!g_ascii_isalnum(name[i]) && name[i] != '_' && name[i] != '-')
                        return false;
        return true;
}

/* Reads an unsigned integer key within [min, max] scaled by 'unit', if present. */
static int read_u64(GKeyFile *f, const char *group, const char *key, uint64_t min, uint64_t max,
                    uint64_t unit, uint64_t *ret, char **reterr_message)
{
        g_autoptr(GError) error = NULL;
        g_autofree char *s = g_key_file_get_string(f, group, key, &error);
        guint64 v;

        if (!s)
                return 0; /* absent: keep the default */
        if (!g_ascii_string_to_unsigned(g_strstrip(s), 10, min, max, &v, NULL))
                return error_set_message(reterr_message, EINVAL,
                                         "[%s] %s=%s: expected a number in %" G_GUINT64_FORMAT
                                         "..%" G_GUINT64_FORMAT,
                                         group, key, s, min, max);
        *ret = v * unit;
        return 0;
}

static int read_uint(GKeyFile *f, const char *group, const char *key, unsigned min, unsigned max,
                     unsigned *ret, char **reterr_message)
{
        uint64_t v = *ret;
        int r = read_u64(f, group, key, min, max, 1, &v, reterr_message);
        if (r < 0)
                return r;
        *ret = (unsigned) v;
        return 0;
}

static int read_bool(GKeyFile *f, const char *group, const char *key, bool *ret, char **reterr_message)
{
        g_autoptr(GError) error = NULL;
        gboolean v;

        if (!g_key_file_has_key(f, group, key, NULL))
                return 0;
        v = g_key_file_get_boolean(f, group, key, &error);
        if (error)
                return error_set_message(reterr_message, EINVAL, "[%s] %s: expected true or false", group,
                                         key);
        *ret = v;
        return 0;
}

static int read_path(GKeyFile *f, const char *group, const char *key, char **ret, char **reterr_message)
{
        g_autofree char *s = g_key_file_get_string(f, group, key, NULL);

        if (!s)
                return 0;
        g_strstrip(s);
        if (!g_path_is_absolute(s))
                return error_set_message(reterr_message, EINVAL, "[%s] %s=%s: expected an absolute path",
                                         group, key, s);
        g_free(*ret);
        *ret = g_steal_pointer(&s);
        return 0;
}

static int load_daemon_section(Config *c, GKeyFile *f, char **reterr_message)
{
        uint64_t reserve = c->stash_reserve_bytes / MIB;
        int r;

        if ((r = read_path(f, "Daemon", "StashDirectory", &c->stash_directory, reterr_message)) < 0 ||
            (r = read_path(f, "Daemon", "StateDirectory", &c->state_directory, reterr_message)) < 0 ||
            (r = read_u64(f, "Daemon", "StashReserveMiB", 0, 1024 * 1024, 1, &reserve, reterr_message)) <
                    0 ||
            (r = read_bool(f, "Daemon", "AllowRemovableStash", &c->allow_removable_stash, reterr_message)) <
                    0 ||
            (r = read_uint(f, "Daemon", "PolkitTimeoutSec", 1, 3600, &c->polkit_timeout_sec,
                           reterr_message)) < 0 ||
            (r = read_bool(f, "Daemon", "EnableUdev", &c->enable_udev, reterr_message)) < 0)
                return r;
        c->stash_reserve_bytes = reserve * MIB;
        return 0;
}

static int load_limits_section(Config *c, GKeyFile *f, char **reterr_message)
{
        uint64_t stash_mib = c->max_stash_bytes_per_user / MIB,
                 audio_kib = c->max_audio_bytes_per_call / 1024;
        int r;

        if ((r = read_uint(f, "Limits", "DiscMastersPerUser", 1, 10000, &c->max_disc_masters_per_user,
                           reterr_message)) < 0 ||
            (r = read_uint(f, "Limits", "EntriesPerAddData", 1, 65536, &c->max_entries_per_call,
                           reterr_message)) < 0 ||
            (r = read_uint(f, "Limits", "EntriesPerImage", 1, 100000000, &c->max_entries_per_image,
                           reterr_message)) < 0 ||
            (r = read_uint(f, "Limits", "PathLength", 1, 65536, &c->max_path_bytes, reterr_message)) < 0 ||
            (r = read_uint(f, "Limits", "NameLength", 1, 255, &c->max_name_bytes, reterr_message)) < 0 ||
            (r = read_u64(f, "Limits", "StashMiBPerUser", 1, UINT64_C(1) << 32, 1, &stash_mib,
                          reterr_message)) < 0 ||
            (r = read_uint(f, "Limits", "AudioTracks", 1, 99, &c->max_audio_tracks, reterr_message)) < 0 ||
            (r = read_u64(f, "Limits", "AudioKiBPerCall", 3, 1024 * 1024, 1, &audio_kib, reterr_message)) <
                    0 ||
            (r = read_uint(f, "Limits", "PendingAuthorizationsPerClient", 1, 1024,
                           &c->max_pending_polkit_per_client, reterr_message)) < 0 ||
            (r = read_uint(f, "Limits", "VirtualRecorders", 0, 1024, &c->max_virtual_recorders,
                           reterr_message)) < 0)
                return r;
        c->max_stash_bytes_per_user = stash_mib * MIB;
        c->max_audio_bytes_per_call = audio_kib * 1024;
        return 0;
}

static int load_virtual_recorder(Config *c, GKeyFile *f, const char *group, char **reterr_message)
{
        const char *name = group + strlen("VirtualRecorder ");
        VirtualRecorderConfig v = {};
        int r;

        if (!virtual_recorder_name_is_valid(name))
                return error_set_message(
                        reterr_message, EINVAL,
                        "[%s]: a virtual recorder's name is 1-32 characters of A-Z a-z 0-9 _ -", group);

        v.name = g_strdup(name);
        v.profiles = g_key_file_get_string_list(f, group, "Profiles", NULL, NULL);
        v.medium = g_key_file_get_string(f, group, "Medium", NULL);
        if (!v.medium)
                v.medium = g_strdup("cd-r");
        g_strstrip(v.medium);
        v.faults = g_key_file_get_string(f, group, "Faults", NULL);
        r = read_uint(f, group, "Speed", 0, 64, &v.speed, reterr_message);
        if (r < 0) {
                virtual_recorder_config_done(&v);
                return r;
        }
        c->virtual_recorders =
                g_renew(VirtualRecorderConfig, c->virtual_recorders, c->n_virtual_recorders + 1);
        c->virtual_recorders[c->n_virtual_recorders++] = v;
        return 0;
}

int config_load(Config *c, const char *path, bool must_exist, char **reterr_message)
{
        g_autoptr(GKeyFile) f = g_key_file_new();
        g_autoptr(GError) error = NULL;
        g_auto(GStrv) groups = NULL;
        int r;

        if (!g_key_file_load_from_file(f, path, G_KEY_FILE_NONE, &error)) {
                if (!must_exist && g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
                        return 0;
                return error_set_message(reterr_message, EINVAL, "%s: %s", path, error->message);
        }

        if ((r = load_daemon_section(c, f, reterr_message)) < 0 ||
            (r = load_limits_section(c, f, reterr_message)) < 0)
                return r;

        groups = g_key_file_get_groups(f, NULL);
        for (char **g = groups; *g; g++) {
                if (g_str_has_prefix(*g, "VirtualRecorder ")) {
                        if ((r = load_virtual_recorder(c, f, *g, reterr_message)) < 0)
                                return r;
                } else if (!g_str_equal(*g, "Daemon") && !g_str_equal(*g, "Limits"))
                        return error_set_message(reterr_message, EINVAL, "%s: unknown section [%s]", path,
                                                 *g);
        }
        return 0;
}
