/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests for sense parsing, the sense → error table and sense texts (daemon/mmc/sense.c). */
#include "cdb.h"
#include "imapi-error.h"
#include "macros.h"
#include "sense.h"

static ScsiSense make(uint8_t key, uint8_t asc, uint8_t ascq)
{
        return (ScsiSense){.response_code = 0x70, .key = key, .asc = asc, .ascq = ascq};
}

static void test_parse_fixed(void)
{
        /* SPC-3 §4.5.3: VALID, key 3, information 0x00012345, ASC/ASCQ 0C/09. */
        const uint8_t b[18] = {0xf0, 0, 0x03, 0x00, 0x01, 0x23, 0x45, 10, 0,
                               0,    0, 0,    0x0c, 0x09, 0,    0,    0,  0};
        ScsiSense s;

        g_assert_cmpint(sense_parse(b, sizeof(b), &s), ==, 0);
        g_assert_cmpuint(s.key, ==, 3);
        g_assert_cmphex(s.asc, ==, 0x0c);
        g_assert_cmphex(s.ascq, ==, 0x09);
        g_assert_true(s.information_valid);
        g_assert_cmphex(s.information, ==, 0x12345);
        g_assert_false(s.progress_valid);
}

static void test_parse_fixed_progress(void)
{
        /* NOT READY 04/07 with SKSV and progress 0x8000 (one half). */
        const uint8_t b[18] = {0x70, 0, 0x02, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x04, 0x07, 0, 0x80, 0x80, 0x00};
        ScsiSense s;

        g_assert_cmpint(sense_parse(b, sizeof(b), &s), ==, 0);
        g_assert_true(s.progress_valid);
        g_assert_cmpuint(s.progress, ==, 0x8000);
        g_assert_false(s.information_valid);
}

static void test_parse_descriptor(void)
{
        /* SPC-3 §4.5.2: 72h, key 2, 04/07; information descriptor (00h) and sense-key specific (02h). */
        const uint8_t b[8 + 12 + 8] = {0x72, 0x02, 0x04, 0x07, 0,    0,    0,    20, 0x00, 0x0a,
                                       0x80, 0,    0,    0,    0,    0,    0,    0,  0x10, 0x20,
                                       0x02, 0x06, 0,    0,    0x80, 0x40, 0x00, 0};
        ScsiSense s;

        g_assert_cmpint(sense_parse(b, sizeof(b), &s), ==, 0);
        g_assert_cmpuint(s.key, ==, 2);
        g_assert_cmphex(s.asc, ==, 0x04);
        g_assert_cmphex(s.ascq, ==, 0x07);
        g_assert_true(s.information_valid);
        g_assert_cmphex(s.information, ==, 0x1020);
        g_assert_true(s.progress_valid);
        g_assert_cmpuint(s.progress, ==, 0x4000);
}

static void test_parse_short_and_garbage(void)
{
        const uint8_t only_key[3] = {0x70, 0, 0x06};
        const uint8_t bad_code[18] = {0x00, 0, 0x03};
        const uint8_t two[2] = {0x70, 0};
        /* A descriptor list whose length runs past the data: parsed as far as it goes. */
        const uint8_t desc_cut[10] = {0x72, 0x03, 0x0c, 0x00, 0, 0, 0, 40, 0x02, 0x06};
        ScsiSense s = make(9, 9, 9);

        g_assert_cmpint(sense_parse(NULL, 0, &s), ==, -EBADMSG);
        g_assert_cmpint(sense_parse(two, 0, &s), ==, -EBADMSG);
        g_assert_cmpint(sense_parse(two, sizeof(two), &s), ==, -EBADMSG);
        g_assert_cmpint(sense_parse(bad_code, sizeof(bad_code), &s), ==, -EBADMSG);
        g_assert_cmpuint(s.key, ==, 9); /* untouched */
        g_assert_cmpint(sense_parse(only_key, sizeof(only_key), &s), ==, 0);
        g_assert_cmpuint(s.key, ==, 6);
        g_assert_cmpuint(s.asc, ==, 0);
        g_assert_cmpint(sense_parse(desc_cut, sizeof(desc_cut), &s), ==, 0);
        g_assert_cmpuint(s.key, ==, 3);
        g_assert_false(s.progress_valid);
}

typedef struct Row {
        uint8_t key, asc, ascq, opcode;
        int error;
        SenseAction action;
} Row;

static void test_table(void)
{
        static const Row rows[] = {
                {0x2, 0x3a, 0x00, 0, -IMAPI_ERROR_MEDIUM_NOT_PRESENT, SENSE_ACTION_FAIL},
                {0x2, 0x3a, 0x01, 0, -IMAPI_ERROR_MEDIUM_NOT_PRESENT, SENSE_ACTION_FAIL},
                {0x2, 0x3a, 0x02, 0, -IMAPI_ERROR_MEDIUM_NOT_PRESENT, SENSE_ACTION_FAIL},
                {0x5, 0x30, 0x00, 0, -IMAPI_ERROR_MEDIUM_INVALID_TYPE, SENSE_ACTION_FAIL},
                {0x5, 0x30, 0x02, 0, -IMAPI_ERROR_MEDIUM_INVALID_TYPE, SENSE_ACTION_FAIL},
                {0x5, 0x30, 0x05, 0, -IMAPI_ERROR_RECORDER_MEDIA_INCOMPATIBLE, SENSE_ACTION_FAIL},
                {0x5, 0x30, 0x06, 0, -IMAPI_ERROR_RECORDER_MEDIA_INCOMPATIBLE, SENSE_ACTION_FAIL},
                {0x2, 0x30, 0x10, 0, -IMAPI_ERROR_RECORDER_MEDIA_NOT_FORMATTED, SENSE_ACTION_FAIL},
                {0x7, 0x27, 0x00, SCSI_OP_WRITE_10, -IMAPI_ERROR_RECORDER_MEDIA_WRITE_PROTECTED,
                 SENSE_ACTION_FAIL},
                {0x7, 0x27, 0x05, 0, -IMAPI_ERROR_RECORDER_MEDIA_WRITE_PROTECTED, SENSE_ACTION_FAIL},
                {0x3, 0x0c, 0x09, SCSI_OP_WRITE_10, -IMAPI_ERROR_LOSS_OF_STREAMING, SENSE_ACTION_FAIL},
                {0x5, 0x21, 0x02, SCSI_OP_WRITE_10, -IMAPI_ERROR_LOSS_OF_STREAMING, SENSE_ACTION_FAIL},
                {0x3, 0x0c, 0x00, SCSI_OP_WRITE_10, -IMAPI_ERROR_MEDIUM_ERROR, SENSE_ACTION_FAIL},
                {0x3, 0x11, 0x00, SCSI_OP_READ_10, -IMAPI_ERROR_MEDIUM_ERROR, SENSE_ACTION_FAIL},
                {0x2, 0x04, 0x01, 0, -IMAPI_ERROR_RECORDER_MEDIA_BECOMING_READY, SENSE_ACTION_RETRY_READY},
                {0x2, 0x04, 0x00, 0, -IMAPI_ERROR_RECORDER_MEDIA_BECOMING_READY, SENSE_ACTION_RETRY_READY},
                {0x2, 0x04, 0x07, 0, -IMAPI_ERROR_RECORDER_MEDIA_BUSY, SENSE_ACTION_RETRY_READY},
                {0x2, 0x04, 0x08, 0, -IMAPI_ERROR_RECORDER_MEDIA_BUSY, SENSE_ACTION_RETRY_READY},
                {0x2, 0x04, 0x04, 0, -IMAPI_ERROR_RECORDER_MEDIA_FORMAT_IN_PROGRESS, SENSE_ACTION_FAIL},
                {0x2, 0x04, 0x02, 0, -IMAPI_ERROR_NOT_INITIALIZED, SENSE_ACTION_FAIL},
                {0x5, 0x24, 0x00, 0, -IMAPI_ERROR_RECORDER_ERROR, SENSE_ACTION_FAIL},
                {0x5, 0x20, 0x00, 0, -IMAPI_ERROR_RECORDER_ERROR, SENSE_ACTION_FAIL},
                {0x5, 0x26, 0x00, SCSI_OP_MODE_SELECT_10, -IMAPI_ERROR_RECORDER_INVALID_MODE_PARAMETERS,
                 SENSE_ACTION_FAIL},
                {0x5, 0x26, 0x00, SCSI_OP_SEND_CUE_SHEET, -IMAPI_ERROR_RECORDER_ERROR, SENSE_ACTION_FAIL},
                {0x5, 0x21, 0x00, SCSI_OP_WRITE_10, -IMAPI_ERROR_DISC_FULL, SENSE_ACTION_FAIL},
                {0x5, 0x21, 0x00, SCSI_OP_WRITE_12, -IMAPI_ERROR_DISC_FULL, SENSE_ACTION_FAIL},
                {0x5, 0x21, 0x00, SCSI_OP_READ_10, -IMAPI_ERROR_RECORDER_ERROR, SENSE_ACTION_FAIL},
                {0x5, 0x63, 0x00, SCSI_OP_WRITE_10, -IMAPI_ERROR_DISC_FULL, SENSE_ACTION_FAIL},
                {0x5, 0x72, 0x03, SCSI_OP_CLOSE_TRACK_SESSION, -IMAPI_ERROR_INITIALIZE_END_WRITE,
                 SENSE_ACTION_FAIL},
                {0x6, 0x28, 0x00, 0, -IMAPI_ERROR_RECORDER_MEDIA_BECOMING_READY, SENSE_ACTION_RETRY_AT_ONCE},
                {0x6, 0x29, 0x00, 0, -IMAPI_ERROR_RECORDER_ERROR, SENSE_ACTION_RETRY_AT_ONCE},
                {0x6, 0x29, 0x04, 0, -IMAPI_ERROR_RECORDER_ERROR, SENSE_ACTION_RETRY_AT_ONCE},
                {0x4, 0x44, 0x00, 0, -IMAPI_ERROR_RECORDER_ERROR, SENSE_ACTION_FAIL},
                {0xb, 0x00, 0x00, 0, -IMAPI_ERROR_RECORDER_ERROR, SENSE_ACTION_RETRY_AT_ONCE},
                {0xe, 0x1d, 0x00, 0, -IMAPI_ERROR_BURN_VERIFICATION_FAILED, SENSE_ACTION_FAIL},
                {0x1, 0x17, 0x01, 0, 0, SENSE_ACTION_OK},
                {0x0, 0x00, 0x00, 0, 0, SENSE_ACTION_OK},
        };

        for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
                ScsiSense s = make(rows[i].key, rows[i].asc, rows[i].ascq);

                g_test_message("sense %X/%02X/%02X opcode %02X", rows[i].key, rows[i].asc, rows[i].ascq,
                               rows[i].opcode);
                g_assert_cmpint(sense_to_error(&s, rows[i].opcode), ==, rows[i].error);
                g_assert_cmpint(sense_to_action(&s, rows[i].opcode), ==, rows[i].action);
        }
}

static void test_our_fault(void)
{
        ScsiSense s;

        s = make(0x5, 0x24, 0x00);
        g_assert_true(sense_is_our_fault(&s, SCSI_OP_MODE_SELECT_10));
        s = make(0x5, 0x20, 0x00);
        g_assert_true(sense_is_our_fault(&s, 0xde));
        s = make(0x5, 0x21, 0x00);
        g_assert_false(sense_is_our_fault(&s, SCSI_OP_WRITE_10)); /* a full disc is not our bug */
        g_assert_true(sense_is_our_fault(&s, SCSI_OP_READ_10));
        s = make(0x3, 0x0c, 0x09);
        g_assert_false(sense_is_our_fault(&s, SCSI_OP_WRITE_10));
}

static void test_every_sense_maps_to_a_known_error(void)
{
        static const uint8_t ascs[] = {0x00, 0x04, 0x0c, 0x11, 0x20, 0x21, 0x24, 0x26, 0x27, 0x28,
                                       0x29, 0x30, 0x3a, 0x57, 0x63, 0x64, 0x72, 0x73, 0xff};

        for (unsigned key = 0; key < 16; key++)
                for (size_t i = 0; i < G_N_ELEMENTS(ascs); i++)
                        for (unsigned ascq = 0; ascq < 0x12; ascq++) {
                                ScsiSense s = make(key, ascs[i], ascq);
                                int e = sense_to_error(&s, SCSI_OP_WRITE_10);
                                SenseAction a = sense_to_action(&s, SCSI_OP_WRITE_10);

                                g_assert_true(e == 0 || imapi_error_is_valid(-e));
                                g_assert_true((e == 0) == (a == SENSE_ACTION_OK));
                                g_assert_nonnull(sense_describe(key, ascs[i], ascq));
                        }
        /* Reserved keys are garbage from the drive. */
        ScsiSense s = make(0x9, 0, 0);
        g_assert_cmpint(sense_to_error(&s, 0), ==, -IMAPI_ERROR_RECORDER_INVALID_RESPONSE_FROM_DEVICE);
}

static void test_strings(void)
{
        char buf[SENSE_STRING_MAX];
        ScsiSense s = make(0x3, 0x0c, 0x09);

        g_assert_cmpstr(sense_to_string(&s, buf, sizeof(buf)), ==,
                        "sense 3/0C/09 (write error - loss of streaming)");
        s = make(0x2, 0x3a, 0x01);
        g_assert_cmpstr(sense_to_string(&s, buf, sizeof(buf)), ==,
                        "sense 2/3A/01 (medium not present - tray closed)");
        s = make(0x5, 0xee, 0x42);
        g_assert_cmpstr(sense_to_string(&s, buf, sizeof(buf)), ==, "sense 5/EE/42 (illegal request)");
        g_assert_cmpstr(sense_key_to_string(0x6), ==, "unit attention");
        /* Truncation never overruns. */
        char small[12];
        s = make(0x3, 0x0c, 0x09);
        g_assert_cmpstr(sense_to_string(&s, small, sizeof(small)), ==, "sense 3/0C/");
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/sense/parse-fixed", test_parse_fixed);
        g_test_add_func("/sense/parse-fixed-progress", test_parse_fixed_progress);
        g_test_add_func("/sense/parse-descriptor", test_parse_descriptor);
        g_test_add_func("/sense/parse-short-and-garbage", test_parse_short_and_garbage);
        g_test_add_func("/sense/table", test_table);
        g_test_add_func("/sense/our-fault", test_our_fault);
        g_test_add_func("/sense/every-sense-maps", test_every_sense_maps_to_a_known_error);
        g_test_add_func("/sense/strings", test_strings);
        return g_test_run();
}
