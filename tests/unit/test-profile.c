/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests for profile names, classes and x-factor speeds (daemon/mmc/profile.c). */
#include <glib.h>

#include "profile.h"

static void test_names(void)
{
        static const struct {
                uint16_t profile;
                const char *name;
        } map[] = {
                {0x08, "cd-rom"},   {0x09, "cd-r"},     {0x0a, "cd-rw"},  {0x10, "dvd-rom"},
                {0x11, "dvd-r"},    {0x12, "dvd-ram"},  {0x13, "dvd-rw"}, {0x14, "dvd-rw"},
                {0x15, "dvd-r-dl"}, {0x16, "dvd-r-dl"}, {0x1a, "dvd+rw"}, {0x1b, "dvd+r"},
                {0x2b, "dvd+r-dl"}, {0x40, "bd-rom"},   {0x41, "bd-r"},   {0x42, "bd-r"},
                {0x43, "bd-re"},
        };

        for (size_t i = 0; i < G_N_ELEMENTS(map); i++)
                g_assert_cmpstr(profile_to_name(map[i].profile), ==, map[i].name);
        g_assert_null(profile_to_name(0x0000));
        g_assert_null(profile_to_name(0x0050));
        g_assert_null(profile_to_name(0xffff));

        /* A name gives the profile a fresh disc of that kind has. */
        g_assert_cmphex(profile_from_name("dvd-rw"), ==, 0x14);
        g_assert_cmphex(profile_from_name("bd-r"), ==, 0x41);
        g_assert_cmphex(profile_from_name("dvd-r-dl"), ==, 0x15);
        g_assert_cmphex(profile_from_name("cd-r"), ==, 0x09);
        g_assert_cmpint(profile_from_name("floppy"), ==, -EINVAL);
        g_assert_cmpint(profile_from_name(NULL), ==, -EINVAL);
}

static void test_writable_names_round_trip(void)
{
        size_t n = 0;

        for (size_t i = 0; profile_writable_names[i]; i++, n++) {
                int p = profile_from_name(profile_writable_names[i]);
                g_assert_cmpint(p, >, 0);
                g_assert_true(profile_is_writable(p));
                g_assert_cmpstr(profile_to_name(p), ==, profile_writable_names[i]);
        }
        g_assert_cmpuint(n, ==, 11);
        g_assert_false(profile_is_writable(0x08));
        g_assert_false(profile_is_writable(0x10));
        g_assert_false(profile_is_writable(0x40));
        g_assert_false(profile_is_writable(0x42)); /* BD-R random recording: not written by imapid */
        g_assert_false(profile_is_writable(0x0000));
}

static void test_classes(void)
{
        g_assert_cmpint(profile_write_class(0x09), ==, WRITE_CLASS_CD);
        g_assert_cmpint(profile_write_class(0x0a), ==, WRITE_CLASS_CD);
        g_assert_cmpint(profile_write_class(0x11), ==, WRITE_CLASS_DVD_MINUS_SEQ);
        g_assert_cmpint(profile_write_class(0x14), ==, WRITE_CLASS_DVD_MINUS_SEQ);
        g_assert_cmpint(profile_write_class(0x15), ==, WRITE_CLASS_DVD_MINUS_SEQ);
        g_assert_cmpint(profile_write_class(0x13), ==, WRITE_CLASS_OVERWRITE);
        g_assert_cmpint(profile_write_class(0x12), ==, WRITE_CLASS_OVERWRITE);
        g_assert_cmpint(profile_write_class(0x1a), ==, WRITE_CLASS_OVERWRITE);
        g_assert_cmpint(profile_write_class(0x43), ==, WRITE_CLASS_OVERWRITE);
        g_assert_cmpint(profile_write_class(0x1b), ==, WRITE_CLASS_DVD_PLUS_R);
        g_assert_cmpint(profile_write_class(0x2b), ==, WRITE_CLASS_DVD_PLUS_R);
        g_assert_cmpint(profile_write_class(0x41), ==, WRITE_CLASS_BD_R);
        g_assert_cmpint(profile_write_class(0x08), ==, WRITE_CLASS_NONE);
        g_assert_cmpint(profile_write_class(0x1234), ==, WRITE_CLASS_NONE);
        g_assert_cmpstr(write_class_to_string(WRITE_CLASS_OVERWRITE), ==, "overwrite");
        g_assert_null(write_class_to_string(_WRITE_CLASS_MAX));

        g_assert_cmpint(profile_medium_class(0x0a), ==, MEDIUM_CLASS_CD);
        g_assert_cmpint(profile_medium_class(0x2b), ==, MEDIUM_CLASS_DVD);
        g_assert_cmpint(profile_medium_class(0x43), ==, MEDIUM_CLASS_BD);
        g_assert_cmpint(profile_medium_class(0), ==, MEDIUM_CLASS_NONE);
        g_assert_true(profile_is_cd(0x09));
        g_assert_false(profile_is_cd(0x11));

        g_assert_true(profile_is_rewritable(0x0a));
        g_assert_true(profile_is_rewritable(0x13));
        g_assert_true(profile_is_rewritable(0x14));
        g_assert_true(profile_is_rewritable(0x1a));
        g_assert_true(profile_is_rewritable(0x12));
        g_assert_true(profile_is_rewritable(0x43));
        g_assert_false(profile_is_rewritable(0x09));
        g_assert_false(profile_is_rewritable(0x1b));
        g_assert_false(profile_is_rewritable(0x41));

        /* IMAPI v2 IMAPI_MEDIA_PHYSICAL_TYPE. */
        g_assert_cmpint(profile_to_imapi2_media_type(0x09), ==, 2);
        g_assert_cmpint(profile_to_imapi2_media_type(0x1b), ==, 6);
        g_assert_cmpint(profile_to_imapi2_media_type(0x2b), ==, 8);
        g_assert_cmpint(profile_to_imapi2_media_type(0x14), ==, 10);
        g_assert_cmpint(profile_to_imapi2_media_type(0x43), ==, 19);
        g_assert_cmpint(profile_to_imapi2_media_type(0x7777), ==, 0);
}

static void test_speeds(void)
{
        /* CD: 1x = 176.4 kB/s (k = 1000); drives say 7056 for 40x, 8467 for 48x, 4234 for 24x. */
        g_assert_cmpuint(speed_kbps_to_x(MEDIUM_CLASS_CD, 176), ==, 1);
        g_assert_cmpuint(speed_kbps_to_x(MEDIUM_CLASS_CD, 706), ==, 4);
        g_assert_cmpuint(speed_kbps_to_x(MEDIUM_CLASS_CD, 4234), ==, 24);
        g_assert_cmpuint(speed_kbps_to_x(MEDIUM_CLASS_CD, 7056), ==, 40);
        g_assert_cmpuint(speed_kbps_to_x(MEDIUM_CLASS_CD, 8467), ==, 48);
        g_assert_cmpuint(speed_kbps_to_x(MEDIUM_CLASS_CD, 10), ==, 1); /* never 0 for a real speed */
        g_assert_cmpuint(speed_kbps_to_x(MEDIUM_CLASS_CD, 0), ==, 0);
        /* DVD: 1385 kB/s; BD: 4496 kB/s. */
        g_assert_cmpuint(speed_kbps_to_x(MEDIUM_CLASS_DVD, 1385), ==, 1);
        g_assert_cmpuint(speed_kbps_to_x(MEDIUM_CLASS_DVD, 5540), ==, 4);
        g_assert_cmpuint(speed_kbps_to_x(MEDIUM_CLASS_DVD, 11080), ==, 8);
        g_assert_cmpuint(speed_kbps_to_x(MEDIUM_CLASS_DVD, 22160), ==, 16);
        g_assert_cmpuint(speed_kbps_to_x(MEDIUM_CLASS_BD, 4496), ==, 1);
        g_assert_cmpuint(speed_kbps_to_x(MEDIUM_CLASS_BD, 8992), ==, 2);
        g_assert_cmpuint(speed_kbps_to_x(MEDIUM_CLASS_BD, 53952), ==, 12);
        g_assert_cmpuint(speed_kbps_to_x(MEDIUM_CLASS_NONE, 53952), ==, 0);
        g_assert_cmpuint(speed_kbps_to_x(MEDIUM_CLASS_CD, UINT32_MAX), ==, 24347887u);

        /* Back: rounded up, because drives round a requested speed down. */
        g_assert_cmpuint(speed_x_to_kbps(MEDIUM_CLASS_CD, 1), ==, 177);
        g_assert_cmpuint(speed_x_to_kbps(MEDIUM_CLASS_CD, 48), ==, 8468);
        g_assert_cmpuint(speed_x_to_kbps(MEDIUM_CLASS_DVD, 16), ==, 22160);
        g_assert_cmpuint(speed_x_to_kbps(MEDIUM_CLASS_BD, 6), ==, 26976);
        for (uint32_t x = 1; x <= 52; x++)
                g_assert_cmpuint(speed_kbps_to_x(MEDIUM_CLASS_CD, speed_x_to_kbps(MEDIUM_CLASS_CD, x)), ==,
                                 x);
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/profile/names", test_names);
        g_test_add_func("/profile/writable-names", test_writable_names_round_trip);
        g_test_add_func("/profile/classes", test_classes);
        g_test_add_func("/profile/speeds", test_speeds);
        return g_test_run();
}
