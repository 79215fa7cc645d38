/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests for the typed CDB builders of daemon/mmc/cdb.h: the byte layout of each command per MMC-6/SPC-3. */
#include "cdb.h"

#define assert_cdb(cmd, ...)                                                                                \
        do {                                                                                                \
                const uint8_t _want[] = {__VA_ARGS__};                                                      \
                g_assert_cmpuint((cmd)->cdb_len, ==, sizeof(_want));                                        \
                g_assert_cmpmem((cmd)->cdb, (cmd)->cdb_len, _want, sizeof(_want));                          \
                for (size_t _i = sizeof(_want); _i < sizeof((cmd)->cdb); _i++)                              \
                        g_assert_cmpuint((cmd)->cdb[_i], ==, 0);                                            \
        } while (0)

static uint8_t buf[70000];

static void test_spc(void)
{
        ScsiCommand c;

        cdb_test_unit_ready(&c);
        assert_cdb(&c, 0x00, 0, 0, 0, 0, 0);
        g_assert_cmpint(c.direction, ==, TRANSPORT_DIRECTION_NONE);
        g_assert_null(c.data);

        cdb_request_sense(&c, buf, 32);
        assert_cdb(&c, 0x03, 0, 0, 0, 32, 0);
        g_assert_cmpint(c.direction, ==, TRANSPORT_DIRECTION_FROM_DEVICE);
        cdb_request_sense(&c, buf, 1000); /* one-byte allocation length: at most 252 */
        assert_cdb(&c, 0x03, 0, 0, 0, 252, 0);
        g_assert_cmpuint(c.data_len, ==, 252);

        cdb_inquiry(&c, buf, 96);
        assert_cdb(&c, 0x12, 0, 0, 0x00, 0x60, 0);
        g_assert_cmpuint(c.data_len, ==, 96);
        cdb_inquiry(&c, buf, sizeof(buf)); /* clamped to the 16-bit field, and so is the transfer */
        assert_cdb(&c, 0x12, 0, 0, 0xff, 0xff, 0);
        g_assert_cmpuint(c.data_len, ==, 0xffff);

        cdb_mode_sense_10(&c, 0, 0x2a, buf, 0x100);
        assert_cdb(&c, 0x5a, 0x08, 0x2a, 0, 0, 0, 0, 0x01, 0x00, 0);
        cdb_mode_sense_10(&c, 1, 0x05, buf, 60);
        assert_cdb(&c, 0x5a, 0x08, 0x45, 0, 0, 0, 0, 0x00, 60, 0);

        cdb_mode_select_10(&c, buf, 60);
        assert_cdb(&c, 0x55, 0x10, 0, 0, 0, 0, 0, 0x00, 60, 0);
        g_assert_cmpint(c.direction, ==, TRANSPORT_DIRECTION_TO_DEVICE);

        cdb_prevent_allow_medium_removal(&c, true);
        assert_cdb(&c, 0x1e, 0, 0, 0, 0x01, 0);
        cdb_prevent_allow_medium_removal(&c, false);
        assert_cdb(&c, 0x1e, 0, 0, 0, 0x00, 0);

        cdb_start_stop_unit(&c, false, true, false); /* eject */
        assert_cdb(&c, 0x1b, 0, 0, 0, 0x02, 0);
        cdb_start_stop_unit(&c, true, true, true); /* load, immediate */
        assert_cdb(&c, 0x1b, 0x01, 0, 0, 0x03, 0);
}

static void test_queries(void)
{
        ScsiCommand c;

        cdb_get_configuration(&c, 1, 0x0021, buf, 4096);
        assert_cdb(&c, 0x46, 0x01, 0x00, 0x21, 0, 0, 0, 0x10, 0x00, 0);
        cdb_get_event_status_notification(&c, 0x10, buf, 8);
        assert_cdb(&c, 0x4a, 0x01, 0, 0, 0x10, 0, 0, 0, 8, 0);
        cdb_read_disc_information(&c, buf, 34);
        assert_cdb(&c, 0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0);
        cdb_read_track_information(&c, 1, 0xff, buf, 48);
        assert_cdb(&c, 0x52, 0x01, 0, 0, 0, 0xff, 0, 0, 48, 0);
        cdb_read_track_information(&c, 0, 0x12345678, buf, 48);
        assert_cdb(&c, 0x52, 0x00, 0x12, 0x34, 0x56, 0x78, 0, 0, 48, 0);
        cdb_read_toc_pma_atip(&c, 2, false, 1, buf, 0x1000);
        assert_cdb(&c, 0x43, 0x00, 0x02, 0, 0, 0, 0x01, 0x10, 0x00, 0);
        cdb_read_toc_pma_atip(&c, 0, true, 0, buf, 12);
        assert_cdb(&c, 0x43, 0x02, 0x00, 0, 0, 0, 0, 0, 12, 0);
        cdb_read_capacity(&c, buf, 8);
        assert_cdb(&c, 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        g_assert_cmpuint(c.data_len, ==, 8);
        cdb_read_format_capacities(&c, buf, 0xfc);
        assert_cdb(&c, 0x23, 0, 0, 0, 0, 0, 0, 0, 0xfc, 0);
        cdb_read_disc_structure(&c, 1, 0, 0, 0xc0, buf, 8);
        assert_cdb(&c, 0xad, 0x01, 0, 0, 0, 0, 0, 0xc0, 0, 8, 0, 0);
        cdb_get_performance(&c, 0, 0, 32, 0x03, buf, 520);
        assert_cdb(&c, 0xac, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0x03, 0);
        cdb_read_buffer_capacity(&c, buf, 12);
        assert_cdb(&c, 0x5c, 0, 0, 0, 0, 0, 0, 0, 12, 0);
}

static void test_speed(void)
{
        ScsiCommand c;

        cdb_set_cd_speed(&c, 0, 0xffff, 8467);
        assert_cdb(&c, 0xbb, 0, 0xff, 0xff, 0x21, 0x13, 0, 0, 0, 0, 0, 0);
        g_assert_cmpint(c.direction, ==, TRANSPORT_DIRECTION_NONE);
        cdb_set_streaming(&c, buf, 28);
        assert_cdb(&c, 0xb6, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 28, 0);
        g_assert_cmpint(c.direction, ==, TRANSPORT_DIRECTION_TO_DEVICE);
}

static void test_write(void)
{
        ScsiCommand c;

        cdb_reserve_track(&c, 1000);
        assert_cdb(&c, 0x53, 0, 0, 0, 0, 0x00, 0x00, 0x03, 0xe8, 0);
        cdb_write_10(&c, 0x12345678, 16, buf, 16 * 2048);
        assert_cdb(&c, 0x2a, 0, 0x12, 0x34, 0x56, 0x78, 0, 0x00, 0x10, 0);
        g_assert_cmpuint(c.data_len, ==, 32768);
        g_assert_cmpint(c.direction, ==, TRANSPORT_DIRECTION_TO_DEVICE);
        g_assert_cmpuint(c.timeout_ms, >, 0);
        cdb_write_12(&c, 0x100, 0x10000, true, buf, 1);
        assert_cdb(&c, 0xaa, 0, 0, 0, 0x01, 0x00, 0, 0x01, 0x00, 0x00, 0x80, 0);
        cdb_read_10(&c, 16, 2, buf, 4096);
        assert_cdb(&c, 0x28, 0, 0, 0, 0, 16, 0, 0, 2, 0);
        cdb_read_12(&c, 16, 2, buf, 4096);
        assert_cdb(&c, 0xa8, 0, 0, 0, 0, 16, 0, 0, 0, 2, 0, 0);
        cdb_read_cd(&c, 150, 3, buf, 3 * 2352);
        assert_cdb(&c, 0xbe, 0, 0, 0, 0, 150, 0, 0, 3, 0x10, 0, 0);
        cdb_synchronize_cache(&c, true);
        assert_cdb(&c, 0x35, 0x02, 0, 0, 0, 0, 0, 0, 0, 0);
        g_assert_cmpuint(c.timeout_ms, ==, 0);
        cdb_synchronize_cache(&c, false);
        g_assert_cmpuint(c.timeout_ms, ==, CDB_TIMEOUT_CLOSE_MS);
        cdb_close_track_session(&c, true, 1, 3);
        assert_cdb(&c, 0x5b, 0x01, 0x01, 0, 0x00, 0x03, 0, 0, 0, 0);
        cdb_close_track_session(&c, false, 6, 0);
        assert_cdb(&c, 0x5b, 0x00, 0x06, 0, 0, 0, 0, 0, 0, 0);
        cdb_send_cue_sheet(&c, buf, 24);
        assert_cdb(&c, 0x5d, 0, 0, 0, 0, 0, 0x00, 0x00, 24, 0);
        g_assert_cmpint(c.direction, ==, TRANSPORT_DIRECTION_TO_DEVICE);
}

static void test_blank_format(void)
{
        ScsiCommand c;

        cdb_blank(&c, true, 1, 0);
        assert_cdb(&c, 0xa1, 0x11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        g_assert_cmpuint(c.timeout_ms, ==, 0);
        cdb_blank(&c, false, 0, 0);
        assert_cdb(&c, 0xa1, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        g_assert_cmpuint(c.timeout_ms, ==, CDB_TIMEOUT_LONG_MS);
        cdb_blank(&c, true, 2, 0x00010203);
        assert_cdb(&c, 0xa1, 0x12, 0x00, 0x01, 0x02, 0x03, 0, 0, 0, 0, 0, 0);
        cdb_format_unit(&c, true, buf, 12);
        assert_cdb(&c, 0x04, 0x11, 0, 0, 0, 0);
        g_assert_cmpuint(c.data_len, ==, 12);
        g_assert_cmpint(c.direction, ==, TRANSPORT_DIRECTION_TO_DEVICE);
}

static void test_fresh_command(void)
{
        ScsiCommand c;

        /* A builder leaves nothing of a previous use: status, sense, lengths, timeout. */
        cdb_write_12(&c, 0xffffffff, 0xffffffff, true, buf, 100);
        c.status = 2;
        c.sense_len = 18;
        c.transferred = 100;
        cdb_test_unit_ready(&c);
        assert_cdb(&c, 0, 0, 0, 0, 0, 0);
        g_assert_cmpuint(c.status, ==, 0);
        g_assert_cmpuint(c.sense_len, ==, 0);
        g_assert_cmpuint(c.transferred, ==, 0);
        g_assert_cmpuint(c.timeout_ms, ==, 0);
        g_assert_cmpuint(c.data_len, ==, 0);
        /* A zero-length data-in command has no direction. */
        cdb_read_disc_information(&c, buf, 0);
        g_assert_cmpint(c.direction, ==, TRANSPORT_DIRECTION_NONE);
        g_assert_null(c.data);
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/mmc-cdb/spc", test_spc);
        g_test_add_func("/mmc-cdb/queries", test_queries);
        g_test_add_func("/mmc-cdb/speed", test_speed);
        g_test_add_func("/mmc-cdb/write", test_write);
        g_test_add_func("/mmc-cdb/blank-format", test_blank_format);
        g_test_add_func("/mmc-cdb/fresh-command", test_fresh_command);
        return g_test_run();
}
