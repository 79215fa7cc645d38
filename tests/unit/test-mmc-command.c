/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests for mmc_execute(): retries with bounded backoff, error mapping, the last-sense message. */
#include "cdb.h"
#include "imapi-error.h"
#include "mmc-command.h"
#include "mmc-fake-transport.h"
#include "spc.h"

static void fast_retries(unsigned budget_ms)
{
        MmcRetryPolicy p = {.ready_budget_ms = budget_ms,
                            .initial_delay_ms = 1,
                            .max_delay_ms = 4,
                            .attention_retries = 3};
        mmc_set_retry_policy(&p);
}

static void test_unit_attention_retried(void)
{
        FakeTransport *f = fake_new();
        g_autoptr(Transport) t = &f->base;

        fast_retries(50);
        fake_good(f, SCSI_OP_TEST_UNIT_READY);
        fake_sense(f, SCSI_OP_TEST_UNIT_READY, 0x6, 0x29, 0x00, 1);
        fake_sense(f, SCSI_OP_TEST_UNIT_READY, 0x6, 0x28, 0x00, 1);
        g_assert_cmpint(spc_test_unit_ready(t), ==, 0);
        g_assert_cmpuint(fake_count(f, SCSI_OP_TEST_UNIT_READY), ==, 3);
        g_assert_false(mmc_last_sense(NULL, NULL)); /* success clears it */
        mmc_set_retry_policy(NULL);
}

static void test_unit_attention_bounded(void)
{
        FakeTransport *f = fake_new();
        g_autoptr(Transport) t = &f->base;

        fast_retries(50);
        fake_sense(f, SCSI_OP_TEST_UNIT_READY, 0x6, 0x29, 0x00, 0);
        g_assert_cmpint(spc_test_unit_ready(t), ==, -IMAPI_ERROR_RECORDER_ERROR);
        g_assert_cmpuint(fake_count(f, SCSI_OP_TEST_UNIT_READY), ==, 4); /* 1 + 3 retries */
        mmc_set_retry_policy(NULL);
}

static void test_becoming_ready_bounded(void)
{
        FakeTransport *f = fake_new();
        g_autoptr(Transport) t = &f->base;
        unsigned n;

        /* Delays 1, 2, 4, 4, 4 ... within a 30 ms budget: a handful of attempts, then the error. */
        fast_retries(30);
        fake_sense(f, SCSI_OP_TEST_UNIT_READY, 0x2, 0x04, 0x01, 0);
        g_assert_cmpint(spc_test_unit_ready(t), ==, -IMAPI_ERROR_RECORDER_MEDIA_BECOMING_READY);
        n = fake_count(f, SCSI_OP_TEST_UNIT_READY);
        g_assert_cmpuint(n, >=, 3);
        g_assert_cmpuint(n, <=, 12);
        mmc_set_retry_policy(NULL);
}

static void test_no_retry_for_failures(void)
{
        FakeTransport *f = fake_new();
        g_autoptr(Transport) t = &f->base;

        fast_retries(1000);
        fake_sense(f, SCSI_OP_TEST_UNIT_READY, 0x2, 0x3a, 0x00, 0);
        g_assert_cmpint(spc_test_unit_ready(t), ==, -IMAPI_ERROR_MEDIUM_NOT_PRESENT);
        g_assert_cmpuint(fake_count(f, SCSI_OP_TEST_UNIT_READY), ==, 1);
        mmc_set_retry_policy(NULL);
}

static void test_execute_once_does_not_retry(void)
{
        FakeTransport *f = fake_new();
        g_autoptr(Transport) t = &f->base;
        ScsiSense s;

        fake_sense(f, SCSI_OP_TEST_UNIT_READY, 0x2, 0x04, 0x07, 0);
        g_assert_cmpint(spc_test_unit_ready_once(t, &s), ==, -IMAPI_ERROR_RECORDER_MEDIA_BUSY);
        g_assert_cmpuint(s.key, ==, 2);
        g_assert_cmpuint(s.ascq, ==, 7);
        g_assert_cmpuint(fake_count(f, SCSI_OP_TEST_UNIT_READY), ==, 1);
}

static void test_aborted_write_not_retried(void)
{
        FakeTransport *f = fake_new();
        g_autoptr(Transport) t = &f->base;
        uint8_t block[2048] = {};
        ScsiCommand cmd;

        fast_retries(50);
        fake_sense(f, SCSI_OP_WRITE_10, 0xb, 0x00, 0x00, 0);
        cdb_write_10(&cmd, 0, 1, block, sizeof(block));
        g_assert_cmpint(mmc_execute(t, &cmd), ==, -IMAPI_ERROR_RECORDER_ERROR);
        g_assert_cmpuint(fake_count(f, SCSI_OP_WRITE_10), ==, 1);
        /* A data-in command is retried. */
        fake_sense(f, SCSI_OP_READ_CAPACITY, 0xb, 0x00, 0x00, 0);
        cdb_read_capacity(&cmd, block, 8);
        g_assert_cmpint(mmc_execute(t, &cmd), ==, -IMAPI_ERROR_RECORDER_ERROR);
        g_assert_cmpuint(fake_count(f, SCSI_OP_READ_CAPACITY), ==, 4);
        mmc_set_retry_policy(NULL);
}

static void test_transport_errors(void)
{
        FakeTransport *f = fake_new();
        g_autoptr(Transport) t = &f->base;

        fake_transport_error(f, SCSI_OP_TEST_UNIT_READY, -ENODEV, 1);
        fake_transport_error(f, SCSI_OP_TEST_UNIT_READY, -ETIMEDOUT, 1);
        fake_transport_error(f, SCSI_OP_TEST_UNIT_READY, -EIO, 1);
        /* Prepended: the last added answers first. */
        g_assert_cmpint(spc_test_unit_ready(t), ==, -IMAPI_ERROR_RECORDER_ERROR);
        g_assert_cmpint(spc_test_unit_ready(t), ==, -IMAPI_ERROR_RECORDER_COMMAND_TIMEOUT);
        g_assert_cmpint(spc_test_unit_ready(t), ==, -IMAPI_ERROR_DEVICE_NOT_PRESENT);
}

/* A transport that answers with raw status and sense bytes. */
typedef struct RawTransport {
        Transport base;
        uint8_t status;
        uint8_t sense[SCSI_SENSE_MAX];
        size_t sense_len;
        unsigned calls;
} RawTransport;

static int raw_execute(Transport *t, ScsiCommand *cmd)
{
        RawTransport *r = (RawTransport *) t;

        r->calls++;
        cmd->status = r->status;
        memcpy(cmd->sense, r->sense, sizeof(cmd->sense));
        cmd->sense_len = r->sense_len;
        return 0;
}

static void raw_free(Transport *t)
{
        g_free(t);
}

static const TransportOps raw_ops = {.name = "raw", .execute = raw_execute, .free = raw_free};

static void test_garbage_sense_and_status(void)
{
        RawTransport *r = g_new0(RawTransport, 1);
        g_autoptr(Transport) t = &r->base;

        r->base.ops = &raw_ops;
        fast_retries(10);
        r->status = SCSI_STATUS_CHECK_CONDITION;
        r->sense_len = 0;
        g_assert_cmpint(spc_test_unit_ready(t), ==, -IMAPI_ERROR_RECORDER_INVALID_RESPONSE_FROM_DEVICE);
        r->sense[0] = 0x12; /* not a sense response code */
        r->sense_len = 18;
        g_assert_cmpint(spc_test_unit_ready(t), ==, -IMAPI_ERROR_RECORDER_INVALID_RESPONSE_FROM_DEVICE);
        r->sense_len = 200; /* longer than the buffer: clamped, no overread */
        g_assert_cmpint(spc_test_unit_ready(t), ==, -IMAPI_ERROR_RECORDER_INVALID_RESPONSE_FROM_DEVICE);
        r->status = 0x40; /* TASK ABORTED: not a status MMC code expects */
        g_assert_cmpint(spc_test_unit_ready(t), ==, -IMAPI_ERROR_RECORDER_INVALID_RESPONSE_FROM_DEVICE);
        r->status = 0x18;
        g_assert_cmpint(spc_test_unit_ready(t), ==, -IMAPI_ERROR_RECORDER_LOCKED);
        r->calls = 0;
        r->status = SCSI_STATUS_BUSY; /* retried like becoming ready, then busy */
        g_assert_cmpint(spc_test_unit_ready(t), ==, -IMAPI_ERROR_RECORDER_MEDIA_BUSY);
        g_assert_cmpuint(r->calls, >, 1);
        mmc_set_retry_policy(NULL);
}

static void test_last_sense_message(void)
{
        FakeTransport *f = fake_new();
        g_autoptr(Transport) t = &f->base;
        uint8_t block[2048] = {};
        ScsiCommand cmd;
        ScsiSense s;
        uint8_t op;

        fake_sense(f, SCSI_OP_WRITE_10, 0x3, 0x0c, 0x09, 0);
        cdb_write_10(&cmd, 100, 1, block, sizeof(block));
        g_assert_cmpint(mmc_execute(t, &cmd), ==, -IMAPI_ERROR_LOSS_OF_STREAMING);
        g_assert_true(mmc_last_sense(&op, &s));
        g_assert_cmphex(op, ==, SCSI_OP_WRITE_10);
        g_assert_cmphex(s.ascq, ==, 0x09);
        g_assert_cmpstr(mmc_last_sense_string(), ==,
                        "WRITE(10): sense 3/0C/09 (write error - loss of streaming)");
}

static void test_cdb_hex(void)
{
        ScsiCommand cmd;
        char hex[64];

        cdb_read_track_information(&cmd, 1, 0xff, NULL, 0);
        g_assert_cmpstr(scsi_cdb_to_hex(&cmd, hex, sizeof(hex)), ==, "52 01 00 00 00 FF 00 00 00 00");
        g_assert_cmpstr(scsi_cdb_to_hex(&cmd, hex, 8), ==, "52 01"); /* whole bytes only */
        g_assert_cmpstr(scsi_opcode_to_string(SCSI_OP_SEND_CUE_SHEET), ==, "SEND CUE SHEET");
        g_assert_cmpstr(scsi_opcode_to_string(0xee), ==, "command");
}

static void test_data_len(void)
{
        uint8_t buf[64];
        ScsiCommand cmd;

        cdb_read_disc_information(&cmd, buf, sizeof(buf));
        cmd.transferred = 34;
        g_assert_cmpuint(mmc_data_len(&cmd), ==, 34);
        cmd.transferred = 0; /* a transport that does not report the residual */
        g_assert_cmpuint(mmc_data_len(&cmd), ==, 64);
        cmd.transferred = 1000; /* nonsense: never more than the buffer */
        g_assert_cmpuint(mmc_data_len(&cmd), ==, 64);
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/mmc-command/unit-attention-retried", test_unit_attention_retried);
        g_test_add_func("/mmc-command/unit-attention-bounded", test_unit_attention_bounded);
        g_test_add_func("/mmc-command/becoming-ready-bounded", test_becoming_ready_bounded);
        g_test_add_func("/mmc-command/no-retry-for-failures", test_no_retry_for_failures);
        g_test_add_func("/mmc-command/execute-once", test_execute_once_does_not_retry);
        g_test_add_func("/mmc-command/aborted-write-not-retried", test_aborted_write_not_retried);
        g_test_add_func("/mmc-command/transport-errors", test_transport_errors);
        g_test_add_func("/mmc-command/garbage", test_garbage_sense_and_status);
        g_test_add_func("/mmc-command/last-sense-message", test_last_sense_message);
        g_test_add_func("/mmc-command/cdb-hex", test_cdb_hex);
        g_test_add_func("/mmc-command/data-len", test_data_len);
        return g_test_run();
}
