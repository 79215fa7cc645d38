/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests for imapid.conf parsing: defaults, every key, virtual recorders, errors naming the key; and that
 * the shipped data/imapid.conf parses to the defaults. */
#include "build-config.h"
#include "config.h"
#include <unistd.h>

#include "imapi-error.h"

static char *write_temp(const char *text)
{
        g_autoptr(GError) error = NULL;
        char *path = NULL;
        int fd = g_file_open_tmp("imapid-conf-XXXXXX", &path, &error);

        g_assert_cmpint(fd, >=, 0);
        close(fd);
        g_assert_true(g_file_set_contents(path, text, -1, NULL));
        return path;
}

static void test_defaults_and_missing_file(void)
{
        Config c;

        config_init_defaults(&c);
        g_assert_cmpint(config_load(&c, "/nonexistent/imapid.conf", false, NULL), ==, 0);
        g_assert_cmpstr(c.stash_directory, ==,
                        IMAPID_STATE_DIR "/stash"); /* /var/lib/imapid/stash with prefix /usr */
        g_assert_cmpuint(c.max_disc_masters_per_user, ==, 16);
        g_assert_cmpuint(c.max_entries_per_call, ==, 256);
        g_assert_cmpuint(c.max_audio_tracks, ==, 99);
        g_assert_cmpint(config_load(&c, "/nonexistent/imapid.conf", true, NULL), ==, -EINVAL);
        config_done(&c);
}

static void test_shipped_file_is_the_defaults(void)
{
        g_autofree char *path =
                g_build_filename(g_getenv("IMAPID_SOURCE_DIR") ?: SOURCE_DIR, "data", "imapid.conf", NULL);
        Config c, d;

        config_init_defaults(&c);
        config_init_defaults(&d);
        g_assert_cmpint(config_load(&c, path, true, NULL), ==, 0);
        g_assert_cmpuint(c.max_entries_per_image, ==, d.max_entries_per_image);
        g_assert_cmpuint(c.max_stash_bytes_per_user, ==, d.max_stash_bytes_per_user);
        g_assert_cmpuint(c.n_virtual_recorders, ==, 0);
        config_done(&c);
        config_done(&d);
}

static void test_every_key(void)
{
        g_autofree char *path =
                write_temp("[Daemon]\nStashDirectory=/s\nStateDirectory=/t\nStashReserveMiB=1\n"
                           "AllowRemovableStash=true\nPolkitTimeoutSec=5\nEnableUdev=false\n"
                           "[Limits]\nDiscMastersPerUser=2\nEntriesPerAddData=3\nEntriesPerImage=4\n"
                           "PathLength=5\nNameLength=6\nStashMiBPerUser=7\nAudioTracks=8\n"
                           "AudioKiBPerCall=9\nPendingAuthorizationsPerClient=10\nVirtualRecorders=11\n"
                           "[VirtualRecorder a-1]\nProfiles=cd-r;dvd+rw\nMedium=dvd+rw\nSpeed=4\n"
                           "[VirtualRecorder b]\n");
        Config c;

        config_init_defaults(&c);
        g_assert_cmpint(config_load(&c, path, true, NULL), ==, 0);
        g_assert_cmpstr(c.stash_directory, ==, "/s");
        g_assert_cmpstr(c.state_directory, ==, "/t");
        g_assert_cmpuint(c.stash_reserve_bytes, ==, 1024 * 1024);
        g_assert_true(c.allow_removable_stash);
        g_assert_cmpuint(c.polkit_timeout_sec, ==, 5);
        g_assert_false(c.enable_udev);
        g_assert_cmpuint(c.max_disc_masters_per_user, ==, 2);
        g_assert_cmpuint(c.max_entries_per_call, ==, 3);
        g_assert_cmpuint(c.max_entries_per_image, ==, 4);
        g_assert_cmpuint(c.max_path_bytes, ==, 5);
        g_assert_cmpuint(c.max_name_bytes, ==, 6);
        g_assert_cmpuint(c.max_stash_bytes_per_user, ==, 7 * 1024 * 1024);
        g_assert_cmpuint(c.max_audio_tracks, ==, 8);
        g_assert_cmpuint(c.max_audio_bytes_per_call, ==, 9 * 1024);
        g_assert_cmpuint(c.max_pending_polkit_per_client, ==, 10);
        g_assert_cmpuint(c.max_virtual_recorders, ==, 11);
        g_assert_cmpuint(c.n_virtual_recorders, ==, 2);
        g_assert_cmpstr(c.virtual_recorders[0].name, ==, "a-1");
        g_assert_cmpstr(c.virtual_recorders[0].medium, ==, "dvd+rw");
        g_assert_cmpuint(c.virtual_recorders[0].speed, ==, 4);
        g_assert_cmpstr(c.virtual_recorders[0].profiles[1], ==, "dvd+rw");
        g_assert_cmpstr(c.virtual_recorders[1].medium, ==, "cd-r");
        config_done(&c);
        unlink(path);
}

static void test_errors_name_the_key(void)
{
        static const struct {
                const char *text;
                const char *mentions;
        } cases[] = {
                {"[Limits]\nAudioTracks=100\n", "AudioTracks"},
                {"[Limits]\nDiscMastersPerUser=many\n", "DiscMastersPerUser"},
                {"[Daemon]\nStashDirectory=relative/path\n", "StashDirectory"},
                {"[Daemon]\nEnableUdev=maybe\n", "EnableUdev"},
                {"[VirtualRecorder bad name]\n", "bad name"},
                {"[Nonsense]\n", "Nonsense"},
                {"not a key file", ""},
        };

        for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
                g_autofree char *path = write_temp(cases[i].text), *message = NULL;
                Config c;

                config_init_defaults(&c);
                g_assert_cmpint(config_load(&c, path, true, &message), ==, -EINVAL);
                g_assert_nonnull(message);
                g_assert_nonnull(strstr(message, cases[i].mentions));
                config_done(&c);
                unlink(path);
        }
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/config/defaults", test_defaults_and_missing_file);
        g_test_add_func("/config/shipped-file", test_shipped_file_is_the_defaults);
        g_test_add_func("/config/every-key", test_every_key);
        g_test_add_func("/config/errors", test_errors_name_the_key);
        return g_test_run();
}
