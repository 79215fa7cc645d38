/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Puts the emulated drive behind a fake /dev/sr0 (umockdev) and runs an unmodified tool against it:
 * SG_IO and CDROM_SEND_PACKET become Transport commands, the few other ioctls of cdrskin, wodim, xorriso
 * and libcdio get plausible answers.
 *
 *   umockdev-wrapper emu-sg-bridge [--medium cd-r] [--speed X] [--state-dir DIR] [--faults SPEC]
 *                                  [--image FILE] [--cue FILE] [--trace] -- TOOL ARGS...
 *
 * Exits with the tool's exit status; --image/--cue save what the disc holds afterwards (OpenImage). */
#include <fcntl.h>
#include <inttypes.h>
#include <linux/cdrom.h>
#include <scsi/sg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <umockdev.h>

#include "bytes.h"
#include "emu-drive.h"
#include "emu-internal.h"

#define SR0_RECORD                                                                                          \
        "P: /devices/platform/emu/host0/target0:0:0/0:0:0:0/block/sr0\n"                                    \
        "N: sr0\n"                                                                                          \
        "E: DEVNAME=/dev/sr0\nE: DEVTYPE=disk\nE: MAJOR=11\nE: MINOR=0\nE: SUBSYSTEM=block\n"               \
        "E: ID_CDROM=1\nE: ID_CDROM_CD_R=1\nE: ID_CDROM_CD_RW=1\nE: ID_CDROM_DVD_PLUS_R=1\nE: ID_TYPE=cd\n" \
        "A: dev=11:0\nA: removable=1\nA: size=0\n\n"                                                        \
        "P: /devices/platform/emu/host0/target0:0:0/0:0:0:0\n"                                              \
        "E: SUBSYSTEM=scsi\nE: DEVTYPE=scsi_device\n"                                                       \
        "A: type=5\nA: vendor=IMAPID\nA: model=Virtual bridge\n"

typedef struct Bridge {
        EmuDrive *drive;
        Transport *t;
        GMainLoop *loop;
        int status;
        bool trace;
} Bridge;

static void trace_command(const Bridge *b, const ScsiCommand *c, int r)
{
        GString *s;

        if (!b->trace)
                return;
        s = g_string_new(NULL);
        g_string_printf(s, "emu-sg-bridge: %.3f", (double) g_get_monotonic_time() / 1e6);
        for (size_t i = 0; i < c->cdb_len; i++)
                g_string_append_printf(s, " %02X", c->cdb[i]);
        if (r < 0)
                g_string_append_printf(s, " -> %s", g_strerror(-r));
        else if (c->status != SCSI_STATUS_GOOD)
                g_string_append_printf(s, " -> sense %X/%02X/%02X", c->sense[2] & 0xf, c->sense[12],
                                       c->sense[13]);
        else
                g_string_append_printf(s, " -> GOOD %zu", c->transferred);
        if (c->direction == TRANSPORT_DIRECTION_TO_DEVICE && c->data_len <= 512) /* parameter lists */
                for (size_t i = 0; i < c->data_len; i++)
                        g_string_append_printf(s, "%s%02X", i % 8 == 0 ? "\n   " : " ",
                                               ((const uint8_t *) c->data)[i]);
        fprintf(stderr, "%s\n", s->str);
        g_string_free(s, true);
}

/* Runs one command with the caller's buffers resolved; 0 or -errno. */
static int run_command(Bridge *b, const uint8_t *cdb, size_t cdb_len, TransportDirection dir, uint8_t *data,
                       size_t len, ScsiCommand *ret)
{
        ScsiCommand c = {.cdb_len = MIN(cdb_len, sizeof(c.cdb)),
                         .direction = len ? dir : TRANSPORT_DIRECTION_NONE,
                         .data = data,
                         .data_len = len};
        int r;

        memcpy(c.cdb, cdb, c.cdb_len);
        r = transport_execute(b->t, &c);
        trace_command(b, &c, r);
        *ret = c;
        return r;
}

static gboolean handle_sg_io(Bridge *b, UMockdevIoctlClient *client)
{
        g_autoptr(GError) error = NULL;
        UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
        g_autoptr(UMockdevIoctlData) hd = umockdev_ioctl_data_resolve(arg, 0, sizeof(sg_io_hdr_t), &error);
        g_autoptr(UMockdevIoctlData) cdb = NULL, buf = NULL, sense = NULL;
        TransportDirection dir;
        sg_io_hdr_t *h;
        ScsiCommand c;
        int r;

        if (!hd) {
                umockdev_ioctl_client_complete(client, -1, EFAULT);
                return true;
        }
        h = (sg_io_hdr_t *) hd->data;
        cdb = umockdev_ioctl_data_resolve(hd, G_STRUCT_OFFSET(sg_io_hdr_t, cmdp), h->cmd_len, &error);
        if (h->dxfer_len > 0)
                buf = umockdev_ioctl_data_resolve(hd, G_STRUCT_OFFSET(sg_io_hdr_t, dxferp), h->dxfer_len,
                                                  &error);
        if (h->mx_sb_len > 0)
                sense = umockdev_ioctl_data_resolve(hd, G_STRUCT_OFFSET(sg_io_hdr_t, sbp), h->mx_sb_len,
                                                    &error);
        if (!cdb || (h->dxfer_len > 0 && !buf)) {
                umockdev_ioctl_client_complete(client, -1, EFAULT);
                return true;
        }
        dir = h->dxfer_direction == SG_DXFER_TO_DEV     ? TRANSPORT_DIRECTION_TO_DEVICE
              : h->dxfer_direction == SG_DXFER_FROM_DEV ? TRANSPORT_DIRECTION_FROM_DEVICE
                                                        : TRANSPORT_DIRECTION_NONE;
        r = run_command(b, cdb->data, h->cmd_len, dir, buf ? buf->data : NULL, h->dxfer_len, &c);
        if (r < 0) {
                umockdev_ioctl_client_complete(client, -1, -r);
                return true;
        }
        h->status = c.status;
        h->masked_status = c.status >> 1;
        h->host_status = h->driver_status = 0;
        h->resid = (int) (h->dxfer_len - c.transferred);
        h->sb_len_wr = 0;
        h->info = 0;
        h->duration = 1;
        if (c.status != SCSI_STATUS_GOOD) {
                h->info = SG_INFO_CHECK;
                h->driver_status = 0x08; /* DRIVER_SENSE */
                if (sense) {
                        h->sb_len_wr = (unsigned char) MIN((size_t) h->mx_sb_len, c.sense_len);
                        memcpy(sense->data, c.sense, h->sb_len_wr);
                }
        }
        umockdev_ioctl_client_complete(client, 0, 0);
        return true;
}

/* libcdio's way (linux/cdrom.h): CDROM_SEND_PACKET with a cdrom_generic_command. */
static gboolean handle_send_packet(Bridge *b, UMockdevIoctlClient *client)
{
        g_autoptr(GError) error = NULL;
        UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
        g_autoptr(UMockdevIoctlData) cg =
                umockdev_ioctl_data_resolve(arg, 0, sizeof(struct cdrom_generic_command), &error);
        g_autoptr(UMockdevIoctlData) buf = NULL, sense = NULL;
        struct cdrom_generic_command *g;
        TransportDirection dir;
        ScsiCommand c;
        int r;

        if (!cg) {
                umockdev_ioctl_client_complete(client, -1, EFAULT);
                return true;
        }
        g = (struct cdrom_generic_command *) cg->data;
        if (g->buflen > 0)
                buf = umockdev_ioctl_data_resolve(cg, G_STRUCT_OFFSET(struct cdrom_generic_command, buffer),
                                                  g->buflen, &error);
        if (g->sense)
                sense = umockdev_ioctl_data_resolve(cg, G_STRUCT_OFFSET(struct cdrom_generic_command, sense),
                                                    sizeof(struct request_sense), &error);
        dir = g->data_direction == CGC_DATA_WRITE  ? TRANSPORT_DIRECTION_TO_DEVICE
              : g->data_direction == CGC_DATA_READ ? TRANSPORT_DIRECTION_FROM_DEVICE
                                                   : TRANSPORT_DIRECTION_NONE;
        r = run_command(b, g->cmd, CDROM_PACKET_SIZE, dir, buf ? buf->data : NULL, buf ? g->buflen : 0, &c);
        if (r < 0) {
                umockdev_ioctl_client_complete(client, -1, -r);
                return true;
        }
        g->stat = c.status;
        if (c.status != SCSI_STATUS_GOOD) {
                if (sense)
                        memcpy(sense->data, c.sense, MIN(sizeof(struct request_sense), c.sense_len));
                umockdev_ioctl_client_complete(client, -1, EIO);
                return true;
        }
        umockdev_ioctl_client_complete(client, 0, 0);
        return true;
}

/* An int the caller passes by pointer. */
static void complete_int(UMockdevIoctlClient *client, int value)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(UMockdevIoctlData) d =
                umockdev_ioctl_data_resolve(umockdev_ioctl_client_get_arg(client), 0, sizeof(int), &error);

        if (d)
                memcpy(d->data, &value, sizeof(int));
        umockdev_ioctl_client_complete(client, d ? 0 : -1, d ? 0 : EFAULT);
}

static gboolean handle_ioctl(UMockdevIoctlBase *handler, UMockdevIoctlClient *client, gpointer userdata)
{
        Bridge *b = userdata;
        gulong request = umockdev_ioctl_client_get_request(client);

        switch (request) {
        case SG_IO:
                return handle_sg_io(b, client);
        case CDROM_SEND_PACKET:
                return handle_send_packet(b, client);
        case SG_GET_VERSION_NUM:
                complete_int(client, 30527);
                return true;
        case SG_GET_TIMEOUT:
                umockdev_ioctl_client_complete(client, 60 * 100, 0);
                return true;
        case SG_SET_TIMEOUT:
        case SG_SET_RESERVED_SIZE:
        case CDROM_LOCKDOOR:
        case CDROM_CLEAR_OPTIONS:
        case CDROM_SET_OPTIONS:
        case CDROM_SELECT_SPEED:
                umockdev_ioctl_client_complete(client, 0, 0);
                return true;
        case SG_GET_RESERVED_SIZE:
                complete_int(client, 256 * 1024);
                return true;
        case CDROM_DRIVE_STATUS:
                umockdev_ioctl_client_complete(client, CDS_DISC_OK, 0);
                return true;
        case CDROM_GET_CAPABILITY:
                umockdev_ioctl_client_complete(client,
                                               CDC_CD_R | CDC_CD_RW | CDC_DVD | CDC_DVD_R | CDC_DVD_RAM |
                                                       CDC_GENERIC_PACKET | CDC_LOCK | CDC_OPEN_TRAY |
                                                       CDC_CLOSE_TRAY | CDC_MEDIA_CHANGED,
                                               0);
                return true;
        case 0x5382: /* SCSI_IOCTL_GET_IDLUN */
        case 0x5386: /* SCSI_IOCTL_GET_BUS_NUMBER */
        case SG_GET_SCSI_ID: {
                g_autoptr(GError) error = NULL;
                g_autoptr(UMockdevIoctlData) d =
                        umockdev_ioctl_data_resolve(umockdev_ioctl_client_get_arg(client), 0,
                                                    request == SG_GET_SCSI_ID ? 32 : 8, &error);

                if (d) {
                        memset(d->data, 0, (size_t) d->data_len);
                        if (request == SG_GET_SCSI_ID)
                                d->data[16] = 5; /* scsi_type: MMC */
                }
                umockdev_ioctl_client_complete(client, d ? 0 : -1, d ? 0 : EFAULT);
                return true;
        }
        default:
                if (b->trace)
                        fprintf(stderr, "emu-sg-bridge: ioctl %lX: ENOTTY\n", request);
                umockdev_ioctl_client_complete(client, -1, ENOTTY);
                return true;
        }
}

static void child_exited(GPid pid, int wait_status, gpointer userdata)
{
        Bridge *b = userdata;

        b->status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
        g_spawn_close_pid(pid);
        g_main_loop_quit(b->loop);
}

static int save_image(EmuDrive *d, const char *image, const char *cue)
{
        g_autofree char *sheet = NULL, *data = NULL;
        g_autoptr(GError) error = NULL;
        gsize size = 0;
        int fd, r;

        r = emu_drive_open_image(d, &fd, &sheet);
        if (r < 0) {
                fprintf(stderr, "emu-sg-bridge: no image: %s\n", g_strerror(-r));
                return r;
        }
        {
                g_autoptr(GIOChannel) ch = g_io_channel_unix_new(fd);

                g_io_channel_set_close_on_unref(ch, true);
                (void) g_io_channel_set_encoding(ch, NULL, NULL);
                if (g_io_channel_read_to_end(ch, &data, &size, &error) != G_IO_STATUS_NORMAL)
                        return -EIO;
        }
        if (image && !g_file_set_contents(image, data, (gssize) size, &error))
                return -EIO;
        if (cue && !g_file_set_contents(cue, sheet ? sheet : "", -1, &error))
                return -EIO;
        return 0;
}

int main(int argc, char *argv[])
{
        g_autofree char *medium = NULL, *state_dir = NULL, *faults = NULL, *image = NULL, *cue = NULL;
        g_auto(GStrv) command = NULL;
        int speed = 0;
        gboolean trace = false, stats = false;
        GOptionEntry options[] = {
                {"medium", 0, 0, G_OPTION_ARG_STRING, &medium, "Load a blank disc (cd-r, dvd+rw, ...)",
                 "NAME"},
                {"speed", 0, 0, G_OPTION_ARG_INT, &speed, "x-speed of the throttle (0: none)", "X"},
                {"state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir, "Keep the disc in DIR", "DIR"},
                {"faults", 0, 0, G_OPTION_ARG_STRING, &faults, "Scripted faults", "SPEC"},
                {"image", 0, 0, G_OPTION_ARG_FILENAME, &image, "Save the disc's image afterwards", "FILE"},
                {"cue", 0, 0, G_OPTION_ARG_FILENAME, &cue, "Save its CUE sheet afterwards", "FILE"},
                {"trace", 0, 0, G_OPTION_ARG_NONE, &trace, "Print every command", NULL},
                {"stats", 0, 0, G_OPTION_ARG_NONE, &stats, "Print the drive's statistics at the end", NULL},
                {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &command, NULL, "TOOL ARGS..."},
                {},
        };
        g_autoptr(GOptionContext) ctx = g_option_context_new("-- TOOL ARGS...");
        g_autoptr(UMockdevTestbed) tb = NULL;
        g_autoptr(UMockdevIoctlBase) handler = NULL;
        g_autoptr(GError) error = NULL;
        g_autofree char *err = NULL;
        EmuDriveConfig cfg;
        Bridge b = {.status = 1};
        GPid pid;

        g_option_context_add_main_entries(ctx, options, NULL);
        if (!g_option_context_parse(ctx, &argc, &argv, &error) || !command || !command[0]) {
                fprintf(stderr, "emu-sg-bridge: %s\n", error ? error->message : "no command");
                return 2;
        }
        if (!g_strrstr(g_getenv("LD_PRELOAD") ?: "", "umockdev")) {
                fprintf(stderr, "emu-sg-bridge: run me under umockdev-wrapper\n");
                return 2;
        }
        emu_drive_config_init(&cfg);
        cfg.speed = (unsigned) MAX(speed, 0);
        if (emu_drive_new("bridge", &cfg, state_dir, &b.drive, &err) < 0) {
                fprintf(stderr, "emu-sg-bridge: %s\n", err);
                return 2;
        }
        if (medium && emu_drive_load_medium(b.drive, (uint16_t) emu_profile_from_name(medium)) < 0) {
                fprintf(stderr, "emu-sg-bridge: cannot load %s\n", medium);
                return 2;
        }
        if (faults && emu_drive_set_faults(b.drive, faults, &err) < 0) {
                fprintf(stderr, "emu-sg-bridge: %s\n", err);
                return 2;
        }
        b.t = emu_drive_new_transport(b.drive);
        b.trace = trace;
        tb = umockdev_testbed_new();
        handler = umockdev_ioctl_base_new();
        g_signal_connect(handler, "handle-ioctl", G_CALLBACK(handle_ioctl), &b);
        if (!umockdev_testbed_add_from_string(tb, SR0_RECORD, &error) ||
            !umockdev_testbed_attach_ioctl(tb, "/dev/sr0", handler, &error)) {
                fprintf(stderr, "emu-sg-bridge: %s\n", error->message);
                return 2;
        }
        if (!g_spawn_async(NULL, command, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                           &pid, &error)) {
                fprintf(stderr, "emu-sg-bridge: %s\n", error->message);
                return 2;
        }
        b.loop = g_main_loop_new(NULL, false);
        g_child_watch_add(pid, child_exited, &b);
        g_main_loop_run(b.loop);
        g_main_loop_unref(b.loop);
        if ((image || cue) && save_image(b.drive, image, cue) < 0 && b.status == 0)
                b.status = 3;
        if (stats) {
                EmuDriveStats st;

                emu_drive_get_stats(b.drive, &st);
                printf("emu-sg-bridge: commands %" PRIu64 " blocks %" PRIu64 " underruns %u bufe-pauses %u "
                       "min-fill %" PRIu64 "\n",
                       st.commands, st.blocks_written, st.underruns, st.bufe_pauses,
                       st.buffer_min_fill == UINT64_MAX ? 0 : st.buffer_min_fill);
        }
        transport_free(b.t);
        emu_drive_unref(b.drive);
        return b.status;
}
