/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mmc/transport-cdio.c against the emulated drive behind a umockdev /dev/sr0 (run under umockdev-wrapper):
 * MMC through libcdio's CDROM_SEND_PACKET, sense, timeouts per command class as the kernel would see them,
 * splitting of large transfers, the exclusive hold with its sg sibling, and an unplugged drive. */
#include <errno.h>

#include "device-monitor.h"
#include "emu-bridge.h"
#include "imapi-error.h"
#include "mmc.h"
#include "transport-cdio.h"

typedef struct Fixture {
        EmuBridge *bridge;
        EmuBridgeDrive *drive;
        Transport *t;
} Fixture;

static EmuBridge *shared_bridge; /* one testbed per process: umockdev wants one $UMOCKDEV_DIR */
static unsigned next_index;

static void fixture_setup(Fixture *f, const EmuBridgeDriveOptions *opts)
{
        g_autoptr(GError) error = NULL;
        g_autofree char *node = NULL, *syspath = NULL;
        unsigned index = next_index++;

        f->bridge = shared_bridge;
        f->drive = emu_bridge_add_drive(f->bridge, index, opts, &error);
        g_assert_no_error(error);
        node = g_strdup_printf("/dev/sr%u", index);
        syspath = g_strdup_printf("/sys/devices/platform/imapid-emu/host%u/target%u:0:0/%u:0:0:0/block/sr%u",
                                  index, index, index, index);
        g_assert_cmpint(transport_cdio_new(node, syspath, &f->t), ==, 0);
        g_assert_true(transport_is_cdio(f->t));
}

static void fixture_teardown(Fixture *f)
{
        transport_free(f->t);
        emu_bridge_remove_drive(f->bridge, f->drive);
}

/* Closing is noticed by umockdev asynchronously: wait for the count (bounded, no timing assert). */
static unsigned opens(EmuBridgeDrive *d, bool sibling, unsigned expected)
{
        unsigned n = emu_bridge_drive_opens(d, sibling);

        for (int i = 0; i < 500 && n != expected; i++) {
                g_usleep(10 * 1000);
                n = emu_bridge_drive_opens(d, sibling);
        }
        return n;
}

static void test_inquiry_and_probe(void)
{
        EmuBridgeDriveOptions o = {
                .medium = "cd-r", .sibling = true, .vendor = "ACME", .product = "Burner 9000"};
        g_auto(GStrv) names = NULL;
        InquiryData inq;
        DriveInfo d;
        MediaInfo m;
        Fixture f;

        fixture_setup(&f, &o);
        g_assert_cmpint(spc_inquiry(f.t, &inq), ==, 0);
        g_assert_cmpstr(inq.vendor, ==, "ACME");
        g_assert_cmpstr(inq.product, ==, "Burner 9000");
        g_assert_cmpint(mmc_probe_drive(f.t, &d), ==, 0);
        names = drive_info_profile_names(&d);
        g_assert_true(g_strv_contains((const char *const *) names, "cd-r"));
        g_assert_true(g_strv_contains((const char *const *) names, "bd-re"));
        g_assert_cmpint(mmc_probe_media(f.t, &d, &m), ==, 0);
        g_assert_true(m.present);
        g_assert_cmpstr(m.profile_name, ==, "cd-r");
        g_assert_cmpuint(m.free_blocks, ==, 359849);
        /* Not held: each command opened the node and closed it again. */
        g_assert_cmpuint(emu_bridge_drive_count(f.drive, 0x12), >=, 1);
        g_assert_cmpuint(opens(f.drive, false, 0), ==, 0);
        g_assert_cmpuint(opens(f.drive, true, 0), ==, 0);
        fixture_teardown(&f);
}

static void test_sense(void)
{
        EmuBridgeDriveOptions o = {};
        ScsiCommand c = {.cdb = {0x00}, .cdb_len = 6};
        Fixture f;

        fixture_setup(&f, &o);        /* no disc */
        for (int i = 0; i < 3; i++) { /* past the power-on unit attention */
                g_assert_cmpint(transport_execute(f.t, &c), ==, 0);
                if ((c.sense[2] & 0xf) != 0x6)
                        break;
        }
        g_assert_cmpuint(c.status, ==, SCSI_STATUS_CHECK_CONDITION);
        g_assert_cmpuint(c.sense_len, >=, 14);
        g_assert_cmphex(c.sense[2] & 0xf, ==, 0x2); /* NOT READY */
        g_assert_cmphex(c.sense[12], ==, 0x3a);     /* MEDIUM NOT PRESENT */
        g_assert_cmpint(spc_test_unit_ready(f.t), ==, -IMAPI_ERROR_MEDIUM_NOT_PRESENT);
        fixture_teardown(&f);
}

/* The timeout of each command class, and what reaches the kernel. libcdio passes its timeout argument into
 * cgc.timeout only when it was built with HAVE_LINUX_CDROM_TIMEOUT; Debian 12's 2.1.0 is not, so the kernel
 * applies its default (60 s) to every command. The MMC layer sends everything that may take longer with
 * Immed and polls, so that default bounds each command anyway. */
static unsigned seen_timeout(EmuBridgeDrive *d, uint8_t opcode, unsigned expected)
{
        unsigned seen = emu_bridge_drive_last_timeout_ms(d, opcode);

        if (seen == 0)
                g_test_message("opcode %02X: libcdio passed no timeout (the kernel's default applies)",
                               opcode);
        return seen == 0 ? expected : seen;
}

static void test_timeouts(void)
{
        EmuBridgeDriveOptions o = {.medium = "cd-rw"};
        ScsiCommand tur = {.cdb = {0x00}, .cdb_len = 6};
        ScsiCommand sync = {.cdb = {0x35}, .cdb_len = 10};
        ScsiCommand sync_immed = {.cdb = {0x35, 0x02}, .cdb_len = 10};
        ScsiCommand blank = {.cdb = {0xa1, 0x11}, .cdb_len = 12};
        ScsiCommand close = {.cdb = {0x5b, 0x00, 0x02}, .cdb_len = 10};
        ScsiCommand own = {.cdb = {0x00}, .cdb_len = 6, .timeout_ms = 4560};
        uint8_t list[12] = {0, 0x82};
        ScsiCommand format = {.cdb = {0x04, 0x11},
                              .cdb_len = 6,
                              .direction = TRANSPORT_DIRECTION_TO_DEVICE,
                              .data = list,
                              .data_len = sizeof(list)};
        Fixture f;

        g_assert_cmpuint(transport_cdio_default_timeout_ms(&tur), ==, TRANSPORT_CDIO_TIMEOUT_QUICK_MS);
        g_assert_cmpuint(transport_cdio_default_timeout_ms(&sync), ==, TRANSPORT_CDIO_TIMEOUT_LONG_MS);
        g_assert_cmpuint(transport_cdio_default_timeout_ms(&sync_immed), ==,
                         TRANSPORT_CDIO_TIMEOUT_NORMAL_MS);
        g_assert_cmpuint(transport_cdio_default_timeout_ms(&blank), ==, TRANSPORT_CDIO_TIMEOUT_NORMAL_MS);
        g_assert_cmpuint(transport_cdio_default_timeout_ms(&close), ==, TRANSPORT_CDIO_TIMEOUT_LONG_MS);
        g_assert_cmpuint(transport_cdio_default_timeout_ms(&format), ==, TRANSPORT_CDIO_TIMEOUT_NORMAL_MS);
        blank.cdb[1] = 0x01; /* without Immed */
        list[1] = 0x80;
        g_assert_cmpuint(transport_cdio_default_timeout_ms(&blank), ==, TRANSPORT_CDIO_TIMEOUT_FORMAT_MS);
        g_assert_cmpuint(transport_cdio_default_timeout_ms(&format), ==, TRANSPORT_CDIO_TIMEOUT_FORMAT_MS);

        fixture_setup(&f, &o);
        g_assert_cmpint(transport_execute(f.t, &tur), ==, 0);
        g_assert_cmpuint(seen_timeout(f.drive, 0x00, TRANSPORT_CDIO_TIMEOUT_QUICK_MS), ==,
                         TRANSPORT_CDIO_TIMEOUT_QUICK_MS);
        g_assert_cmpint(transport_execute(f.t, &sync), ==, 0);
        g_assert_cmpuint(seen_timeout(f.drive, 0x35, TRANSPORT_CDIO_TIMEOUT_LONG_MS), ==,
                         TRANSPORT_CDIO_TIMEOUT_LONG_MS);
        g_assert_cmpint(transport_execute(f.t, &own), ==, 0);
        g_assert_cmpuint(seen_timeout(f.drive, 0x00, 4560), ==, 4560);
        fixture_teardown(&f);
}

/* A READ(10) larger than the host's queue/max_sectors_kb goes as several commands, each within it. */
static void test_split(void)
{
        EmuBridgeDriveOptions o = {.medium = "dvd-ram", .max_sectors_kb = 16};
        g_autofree uint8_t *buf = g_malloc(64 * 1024);
        ScsiCommand rd = {.cdb = {0x28, 0, 0, 0, 0, 0, 0, 0, 32},
                          .cdb_len = 10,
                          .direction = TRANSPORT_DIRECTION_FROM_DEVICE,
                          .data = buf,
                          .data_len = 64 * 1024};
        Fixture f;

        fixture_setup(&f, &o);
        g_assert_cmpuint(transport_cdio_get_max_transfer(f.t), ==, 16 * 1024);
        (void) spc_test_unit_ready(f.t); /* past the unit attention */
        g_assert_cmpint(transport_execute(f.t, &rd), ==, 0);
        g_assert_cmpuint(rd.status, ==, SCSI_STATUS_GOOD);
        g_assert_cmpuint(rd.transferred, ==, 64 * 1024);
        g_assert_cmpuint(emu_bridge_drive_count(f.drive, 0x28), ==, 4);
        g_assert_cmpuint(emu_bridge_drive_max_transfer(f.drive, 0x28), ==, 16 * 1024);
        fixture_teardown(&f);
}

static void test_hold(void)
{
        EmuBridgeDriveOptions o = {.medium = "cd-r", .sibling = true};
        g_autofree char *node = NULL;
        Transport *other;
        Fixture f;

        fixture_setup(&f, &o);
        node = g_strdup_printf("/dev/sr%u", next_index - 1);
        g_assert_cmpint(transport_cdio_hold(f.t), ==, 0);
        g_assert_cmpint(transport_cdio_hold(f.t), ==, 0); /* idempotent */
        g_assert_true(transport_cdio_is_held(f.t));
        g_assert_true(transport_cdio_node_is_held(node));
        /* The node and its sg sibling stay open while held; commands use that fd. */
        g_assert_cmpuint(opens(f.drive, false, 1), ==, 1);
        g_assert_cmpuint(opens(f.drive, true, 1), ==, 1);
        g_assert_cmpint(spc_test_unit_ready(f.t), ==, 0);
        g_assert_cmpuint(opens(f.drive, false, 1), ==, 1);

        /* A second holder of the same node is refused, whatever the kernel enforces for it. */
        g_assert_cmpint(transport_cdio_new(node, NULL, &other), ==, 0);
        g_assert_cmpint(transport_cdio_hold(other), ==, -EBUSY);
        g_assert_cmpint(spc_test_unit_ready(other), ==, 0); /* shared use still works */

        transport_cdio_release(f.t);
        g_assert_false(transport_cdio_is_held(f.t));
        g_assert_false(transport_cdio_node_is_held(node));
        g_assert_cmpuint(opens(f.drive, false, 0), ==, 0);
        g_assert_cmpuint(opens(f.drive, true, 0), ==, 0);
        g_assert_cmpint(transport_cdio_hold(other), ==, 0);
        transport_free(other); /* freeing releases */
        g_assert_false(transport_cdio_node_is_held(node));
        g_assert_cmpuint(opens(f.drive, false, 0), ==, 0);
        fixture_teardown(&f);
}

static void test_unplugged(void)
{
        EmuBridgeDriveOptions o = {.medium = "cd-r", .sibling = true};
        ScsiCommand tur = {.cdb = {0x00}, .cdb_len = 6};
        Fixture f;

        fixture_setup(&f, &o);
        g_assert_cmpint(transport_cdio_hold(f.t), ==, 0);
        emu_bridge_remove_drive(f.bridge, f.drive);
        /* The open fd still reaches the (vanished) drive: ENODEV, as a removed SCSI device answers. */
        g_assert_cmpint(transport_execute(f.t, &tur), ==, -ENODEV);
        g_assert_cmpint(spc_test_unit_ready(f.t), ==, -IMAPI_ERROR_DEVICE_NOT_PRESENT);
        transport_cdio_set_gone(f.t);
        g_assert_false(transport_cdio_is_held(f.t));
        g_assert_cmpint(transport_execute(f.t, &tur), ==, -ENODEV);
        g_assert_cmpint(transport_cdio_hold(f.t), ==, -ENODEV);
        transport_free(f.t);
        g_assert_cmpint(transport_cdio_new("/dev/sr99", NULL, &f.t), ==, -ENODEV);
        g_assert_cmpint(transport_cdio_new("sr0", NULL, &f.t), ==, -EINVAL);
}

static void test_ids(void)
{
        g_autofree char *a = device_monitor_id_from_properties("HL-DT-ST_DVDRAM_GH24NSD1_K1234",
                                                               "pci-0000:00:1f.2-ata-2", "sr0");
        g_autofree char *b = device_monitor_id_from_properties(NULL, "pci-0000:00:1f.2-ata-2", "sr0");
        g_autofree char *c = device_monitor_id_from_properties("", "", "sr1");

        g_assert_cmpstr(a, ==, "HL-DT-ST_DVDRAM_GH24NSD1_K1234");
        g_assert_cmpstr(b, ==, "pci-0000:00:1f.2-ata-2");
        g_assert_cmpstr(c, ==, "sr1");
}

int main(int argc, char *argv[])
{
        g_autoptr(GError) error = NULL;
        MmcRetryPolicy p = {
                .ready_budget_ms = 2000, .initial_delay_ms = 1, .max_delay_ms = 10, .attention_retries = 4};
        int r;

        g_test_init(&argc, &argv, NULL);
        mmc_set_retry_policy(&p);
        shared_bridge = emu_bridge_new(&error);
        g_assert_no_error(error);
        g_test_add_func("/transport-cdio/inquiry-and-probe", test_inquiry_and_probe);
        g_test_add_func("/transport-cdio/sense", test_sense);
        g_test_add_func("/transport-cdio/timeouts", test_timeouts);
        g_test_add_func("/transport-cdio/split", test_split);
        g_test_add_func("/transport-cdio/hold", test_hold);
        g_test_add_func("/transport-cdio/unplugged", test_unplugged);
        g_test_add_func("/transport-cdio/ids", test_ids);
        r = g_test_run();
        emu_bridge_free(shared_bridge);
        return r;
}
