/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Emulated drives behind umockdev nodes: udev records, hotplug, and the ioctls of libcdio, libburn, wodim.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/cdrom.h>
#include <linux/fs.h>
#include <scsi/sg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <umockdev.h>

#include "bytes.h"
#include "emu-bridge.h"
#include "macros.h"
#include "profile.h"

#define SCSI_IOCTL_GET_IDLUN      0x5382
#define SCSI_IOCTL_GET_BUS_NUMBER 0x5386
#define SG_SCSI_ID_SIZE           32
#define SR_MAJOR                  11
#define SG_MAJOR                  21

typedef struct NodeHandler {
        EmuBridgeDrive *drive;
        bool sibling;
        UMockdevIoctlBase *base;
        GMutex lock;
        GPtrArray *clients; /* connected or not yet noticed as closed */
} NodeHandler;

struct EmuBridgeDrive {
        EmuBridge *bridge;
        unsigned index;
        unsigned sg_index;
        EmuDrive *emu;
        Transport *transport; /* used by the pool's one thread only */
        GThreadPool *pool;
        NodeHandler node, sg;
        bool has_sibling;
        char *block_syspath, *scsi_syspath, *sg_syspath;
        bool removed;
        gint last_timeout_ms[256];
        gint max_transfer[256];
        gint count[256];
};

struct EmuBridge {
        UMockdevTestbed *testbed;
        char *root;
        unsigned next_sg;  /* sg numbers are not reused, as the kernel's (and umockdev 0.17 keeps a pty per
                              node) */
        GPtrArray *drives; /* present and removed ones: clients of a removed drive may still call */
        gint trace;
};

/* Commands. */

static size_t cdb_length_for(uint8_t opcode)
{
        switch (opcode >> 5) {
        case 0:
                return 6;
        case 1:
        case 2:
                return 10;
        case 4:
                return 16;
        default:
                return 12;
        }
}

static void trace(EmuBridgeDrive *d, const ScsiCommand *c, int r)
{
        g_autoptr(GString) s = NULL;

        if (!g_atomic_int_get(&d->bridge->trace))
                return;
        s = g_string_new(NULL);
        g_string_append_printf(
                s, "emu-bridge %.3f sr%u:", (double) (g_get_monotonic_time() % 100000000) / 1e6, d->index);
        for (size_t i = 0; i < c->cdb_len; i++)
                g_string_append_printf(s, " %02X", c->cdb[i]);
        if (r < 0)
                g_string_append_printf(s, " -> %s", g_strerror(-r));
        else if (c->status != SCSI_STATUS_GOOD)
                g_string_append_printf(s, " -> sense %X/%02X/%02X", c->sense[2] & 0xf, c->sense[12],
                                       c->sense[13]);
        else
                g_string_append_printf(s, " -> GOOD %zu/%zu", c->transferred, c->data_len);
        if (c->direction == TRANSPORT_DIRECTION_TO_DEVICE && c->data_len <= 96) {
                g_string_append(s, " data");
                for (size_t i = 0; i < c->data_len; i++)
                        g_string_append_printf(s, " %02X", ((const uint8_t *) c->data)[i]);
        }
        fprintf(stderr, "%s\n", s->str);
}

static void gauge_max(gint *slot, unsigned value)
{
        gint old;

        do
                old = g_atomic_int_get(slot);
        while ((unsigned) old < value && !g_atomic_int_compare_and_exchange(slot, old, (gint) value));
}

/* One command on the emulated drive (from the pool thread). */
static int drive_run(EmuBridgeDrive *d, const uint8_t *cdb, size_t cdb_len, TransportDirection dir,
                     void *data, size_t len, unsigned timeout_ms, ScsiCommand *ret)
{
        ScsiCommand c = {
                .cdb_len = MIN(cdb_len, sizeof(c.cdb)),
                .direction = len ? dir : TRANSPORT_DIRECTION_NONE,
                .data = len ? data : NULL,
                .data_len = len,
        };
        int r;

        memcpy(c.cdb, cdb, c.cdb_len);
        if (c.direction == TRANSPORT_DIRECTION_NONE)
                c.data_len = 0;
        g_atomic_int_set(&d->last_timeout_ms[cdb[0]], (gint) timeout_ms);
        g_atomic_int_inc(&d->count[cdb[0]]);
        gauge_max(&d->max_transfer[cdb[0]], (unsigned) len);
        r = transport_execute(d->transport, &c);
        trace(d, &c, r);
        *ret = c;
        return r;
}

static UMockdevIoctlData *resolve(UMockdevIoctlData *parent, size_t offset, size_t len)
{
        g_autoptr(GError) error = NULL;

        if (len == 0)
                return NULL;
        return umockdev_ioctl_data_resolve(parent, offset, len, &error);
}

static void handle_sg_io(EmuBridgeDrive *d, UMockdevIoctlClient *client)
{
        g_autoptr(UMockdevIoctlData) hd =
                resolve(umockdev_ioctl_client_get_arg(client), 0, sizeof(sg_io_hdr_t));
        g_autoptr(UMockdevIoctlData) cdb = NULL, buf = NULL, sense = NULL;
        TransportDirection dir;
        sg_io_hdr_t *h;
        ScsiCommand c;
        int r;

        if (!hd) {
                umockdev_ioctl_client_complete(client, -1, EFAULT);
                return;
        }
        h = (sg_io_hdr_t *) hd->data;
        if (h->interface_id != 'S' || h->iovec_count != 0 || h->cmd_len == 0) {
                umockdev_ioctl_client_complete(client, -1, EINVAL);
                return;
        }
        cdb = resolve(hd, G_STRUCT_OFFSET(sg_io_hdr_t, cmdp), h->cmd_len);
        buf = resolve(hd, G_STRUCT_OFFSET(sg_io_hdr_t, dxferp), h->dxfer_len); /* NULL for none (TUR) */
        sense = resolve(hd, G_STRUCT_OFFSET(sg_io_hdr_t, sbp), h->mx_sb_len);  /* libburn sends 0 */
        if (!cdb || (h->dxfer_len > 0 && !buf)) {
                umockdev_ioctl_client_complete(client, -1, EFAULT);
                return;
        }
        dir = h->dxfer_direction == SG_DXFER_TO_DEV ? TRANSPORT_DIRECTION_TO_DEVICE
              : h->dxfer_direction == SG_DXFER_FROM_DEV || h->dxfer_direction == SG_DXFER_TO_FROM_DEV
                      ? TRANSPORT_DIRECTION_FROM_DEVICE
                      : TRANSPORT_DIRECTION_NONE;
        r = drive_run(d, cdb->data, h->cmd_len, dir, buf ? buf->data : NULL, buf ? h->dxfer_len : 0,
                      h->timeout, &c);
        if (r < 0) {
                umockdev_ioctl_client_complete(client, -1, -r);
                return;
        }
        h->status = c.status;
        h->masked_status = c.status >> 1;
        h->msg_status = 0;
        h->host_status = 0;
        h->driver_status = 0;
        h->resid = (int) (h->dxfer_len - MIN(c.transferred, h->dxfer_len));
        h->sb_len_wr = 0;
        h->duration = 1;
        h->info = SG_INFO_OK;
        if (c.status != SCSI_STATUS_GOOD) {
                h->info = SG_INFO_CHECK;
                h->driver_status = 0x08; /* DRIVER_SENSE */
                if (sense) {
                        h->sb_len_wr = (unsigned char) MIN((size_t) h->mx_sb_len, c.sense_len);
                        memcpy(sense->data, c.sense, h->sb_len_wr);
                }
        }
        umockdev_ioctl_client_complete(client, 0, 0);
}

/* libcdio's way (linux/cdrom.h). The kernel sends 12 CDB bytes, reads the timeout in clock ticks (1/100 s)
 * and fails a CHECK CONDITION with EIO after copying the sense. */
static void handle_send_packet(EmuBridgeDrive *d, UMockdevIoctlClient *client)
{
        g_autoptr(UMockdevIoctlData) cg =
                resolve(umockdev_ioctl_client_get_arg(client), 0, sizeof(struct cdrom_generic_command));
        g_autoptr(UMockdevIoctlData) buf = NULL, sense = NULL;
        struct cdrom_generic_command *g;
        TransportDirection dir;
        ScsiCommand c;
        int r;

        if (!cg) {
                umockdev_ioctl_client_complete(client, -1, EFAULT);
                return;
        }
        g = (struct cdrom_generic_command *) cg->data;
        buf = resolve(cg, G_STRUCT_OFFSET(struct cdrom_generic_command, buffer), g->buflen);
        if (g->sense)
                sense = resolve(cg, G_STRUCT_OFFSET(struct cdrom_generic_command, sense),
                                sizeof(struct request_sense));
        if (g->buflen > 0 && !buf) {
                umockdev_ioctl_client_complete(client, -1, EFAULT);
                return;
        }
        dir = g->data_direction == CGC_DATA_WRITE  ? TRANSPORT_DIRECTION_TO_DEVICE
              : g->data_direction == CGC_DATA_READ ? TRANSPORT_DIRECTION_FROM_DEVICE
                                                   : TRANSPORT_DIRECTION_NONE;
        r = drive_run(d, g->cmd, cdb_length_for(g->cmd[0]), dir, buf ? buf->data : NULL, buf ? g->buflen : 0,
                      (unsigned) MAX(g->timeout, 0) * 10, &c);
        if (r < 0) {
                umockdev_ioctl_client_complete(client, -1, -r);
                return;
        }
        g->stat = c.status;
        if (c.status != SCSI_STATUS_GOOD) {
                if (sense)
                        memcpy(sense->data, c.sense, MIN(sizeof(struct request_sense), sizeof(c.sense)));
                umockdev_ioctl_client_complete(client, -1, EIO);
                return;
        }
        umockdev_ioctl_client_complete(client, 0, 0);
}

/* A 6-byte command without data, for the classic ioctls the kernel turns into MMC. */
static int drive_simple(EmuBridgeDrive *d, uint8_t opcode, uint8_t b1, uint8_t b4, ScsiCommand *ret)
{
        const uint8_t cdb[6] = {opcode, b1, 0, 0, b4, 0};

        return drive_run(d, cdb, sizeof(cdb), TRANSPORT_DIRECTION_NONE, NULL, 0, 10000, ret);
}

/* CDROM_DRIVE_STATUS: the kernel's TEST UNIT READY (sr_drive_status()). */
static int drive_status(EmuBridgeDrive *d)
{
        ScsiCommand c;

        for (unsigned attempt = 0; attempt < 3; attempt++) {
                if (drive_simple(d, 0x00, 0, 0, &c) < 0)
                        return -ENODEV;
                if (c.status == SCSI_STATUS_GOOD)
                        return CDS_DISC_OK;
                if ((c.sense[2] & 0xf) == 0x6) /* unit attention: ask again */
                        continue;
                if ((c.sense[2] & 0xf) == 0x2 && c.sense[12] == 0x3a)
                        return c.sense[13] == 0x02 ? CDS_TRAY_OPEN : CDS_NO_DISC;
                return CDS_DRIVE_NOT_READY;
        }
        return CDS_DRIVE_NOT_READY;
}

/* READ TOC format 0 (MMC-6 §6.26.2.3): first and last track, for CDROMREADTOCHDR. */
static int drive_toc_header(EmuBridgeDrive *d, uint8_t *ret_first, uint8_t *ret_last)
{
        const uint8_t cdb[10] = {0x43, 0, 0, 0, 0, 0, 1, 0, 12, 0};
        uint8_t toc[12] = {};
        ScsiCommand c;
        int r;

        r = drive_run(d, cdb, sizeof(cdb), TRANSPORT_DIRECTION_FROM_DEVICE, toc, sizeof(toc), 10000, &c);
        if (r < 0)
                return r;
        if (c.status != SCSI_STATUS_GOOD)
                return -EIO;
        *ret_first = toc[2];
        *ret_last = toc[3];
        return 0;
}

static void complete_with(UMockdevIoctlClient *client, size_t size, const void *value)
{
        g_autoptr(UMockdevIoctlData) arg = resolve(umockdev_ioctl_client_get_arg(client), 0, size);

        if (!arg) {
                umockdev_ioctl_client_complete(client, -1, EFAULT);
                return;
        }
        memcpy(arg->data, value, size);
        umockdev_ioctl_client_complete(client, 0, 0);
}

static void complete_int(UMockdevIoctlClient *client, int value)
{
        complete_with(client, sizeof(value), &value);
}

/* The drive's SCSI address is host <index>, channel 0, target 0, lun 0. */
static void handle_address(EmuBridgeDrive *d, UMockdevIoctlClient *client, gulong request)
{
        uint8_t id[SG_SCSI_ID_SIZE] = {};
        int32_t v;

        switch (request) {
        case SCSI_IOCTL_GET_BUS_NUMBER:
                complete_int(client, (int) d->index);
                return;
        case SCSI_IOCTL_GET_IDLUN: {
                int32_t idlun[2] = {(int32_t) ((d->index & 0xff) << 24), (int32_t) d->index};
                complete_with(client, sizeof(idlun), idlun);
                return;
        }
        default: /* SG_GET_SCSI_ID: host_no, channel, scsi_id, lun, scsi_type, ... */
                v = (int32_t) d->index;
                memcpy(id, &v, sizeof(v));
                v = 5; /* MMC device */
                memcpy(id + 16, &v, sizeof(v));
                complete_with(client, sizeof(id), id);
                return;
        }
}

static bool handle_cdrom(EmuBridgeDrive *d, UMockdevIoctlClient *client, gulong request)
{
        ScsiCommand c;
        int r;

        switch (request) {
        case CDROM_DRIVE_STATUS:
                r = drive_status(d);
                umockdev_ioctl_client_complete(client, r < 0 ? -1 : r, r < 0 ? -r : 0);
                return true;
        case CDROM_DISC_STATUS: {
                uint8_t first, last;
                r = drive_status(d);
                if (r == CDS_DISC_OK)
                        r = drive_toc_header(d, &first, &last) == 0 ? CDS_DATA_1 : CDS_NO_INFO;
                umockdev_ioctl_client_complete(client, r < 0 ? -1 : r, r < 0 ? -r : 0);
                return true;
        }
        case CDROMREADTOCHDR: {
                struct cdrom_tochdr h = {};
                r = drive_toc_header(d, &h.cdth_trk0, &h.cdth_trk1);
                if (r < 0)
                        umockdev_ioctl_client_complete(client, -1, r == -ENODEV ? ENODEV : EIO);
                else
                        complete_with(client, sizeof(h), &h);
                return true;
        }
        case CDROMMULTISESSION: {
                struct cdrom_multisession ms = {.addr_format = CDROM_LBA};
                complete_with(client, sizeof(ms), &ms);
                return true;
        }
        case CDROM_GET_CAPABILITY:
                umockdev_ioctl_client_complete(
                        client,
                        CDC_CLOSE_TRAY | CDC_OPEN_TRAY | CDC_LOCK | CDC_SELECT_SPEED | CDC_MULTI_SESSION |
                                CDC_MEDIA_CHANGED | CDC_DRIVE_STATUS | CDC_GENERIC_PACKET | CDC_CD_R |
                                CDC_CD_RW | CDC_DVD | CDC_DVD_R | CDC_DVD_RAM | CDC_RAM,
                        0);
                return true;
        case CDROMEJECT:
        case CDROMCLOSETRAY:
        case CDROM_LOCKDOOR:
                if (request == CDROM_LOCKDOOR) /* the argument is the value */
                        r = drive_simple(d, 0x1e, 0,
                                         *(gulong *) umockdev_ioctl_client_get_arg(client)->data ? 1 : 0,
                                         &c);
                else
                        r = drive_simple(d, 0x1b, 0, request == CDROMEJECT ? 0x02 : 0x03, &c);
                if (r < 0 || c.status != SCSI_STATUS_GOOD)
                        umockdev_ioctl_client_complete(client, -1, r < 0 ? -r : EIO);
                else
                        umockdev_ioctl_client_complete(client, 0, 0);
                return true;
        case CDROM_MEDIA_CHANGED:
        case CDROM_SET_OPTIONS:
        case CDROM_CLEAR_OPTIONS:
        case CDROM_SELECT_SPEED:
        case BLKRRPART:
                umockdev_ioctl_client_complete(client, 0, 0);
                return true;
        case BLKSSZGET:
                complete_int(client, 2048);
                return true;
        case BLKGETSIZE64: {
                uint64_t size = 0;
                complete_with(client, sizeof(size), &size);
                return true;
        }
        default:
                return false;
        }
}

static bool handle_sg(EmuBridgeDrive *d, UMockdevIoctlClient *client, gulong request)
{
        switch (request) {
        case SG_GET_VERSION_NUM:
                complete_int(client, 30527);
                return true;
        case SG_GET_TIMEOUT:
                umockdev_ioctl_client_complete(client, 60 * 100, 0);
                return true;
        case SG_SET_TIMEOUT:
        case SG_SET_RESERVED_SIZE:
        case SG_SET_COMMAND_Q:
        case SG_SET_FORCE_PACK_ID:
        case SG_SET_KEEP_ORPHAN:
                umockdev_ioctl_client_complete(client, 0, 0);
                return true;
        case SG_GET_RESERVED_SIZE:
                complete_int(client, 256 * 1024);
                return true;
        case SG_EMULATED_HOST:
        case SG_GET_COMMAND_Q:
                complete_int(client, 0);
                return true;
        case SG_GET_SG_TABLESIZE:
                complete_int(client, 128);
                return true;
        case SG_GET_SCSI_ID:
        case SCSI_IOCTL_GET_IDLUN:
        case SCSI_IOCTL_GET_BUS_NUMBER:
                handle_address(d, client, request);
                return true;
        default:
                return false;
        }
}

/* The pool thread: one command at a time per drive, as a drive takes them. */
static void process_ioctl(gpointer data, gpointer userdata)
{
        UMockdevIoctlClient *client = data;
        EmuBridgeDrive *d = userdata;
        gulong request = umockdev_ioctl_client_get_request(client);

        if (request == SG_IO)
                handle_sg_io(d, client);
        else if (request == CDROM_SEND_PACKET)
                handle_send_packet(d, client);
        else if (!handle_sg(d, client, request) && !handle_cdrom(d, client, request)) {
                if (g_atomic_int_get(&d->bridge->trace))
                        fprintf(stderr, "emu-bridge sr%u: ioctl %lX: ENOTTY\n", d->index, request);
                umockdev_ioctl_client_complete(client, -1, ENOTTY);
        }
        g_object_unref(client);
}

static gboolean on_handle_ioctl(UMockdevIoctlBase *base, UMockdevIoctlClient *client, gpointer userdata)
{
        NodeHandler *h = userdata;

        g_thread_pool_push(h->drive->pool, g_object_ref(client), NULL);
        return true;
}

/* umockdev 0.17 emits no client-vanished: a client counts until its stream is seen closed. */
static void on_client_connected(UMockdevIoctlBase *base, UMockdevIoctlClient *client, gpointer userdata)
{
        NodeHandler *h = userdata;

        g_mutex_lock(&h->lock);
        g_ptr_array_add(h->clients, g_object_ref(client));
        g_mutex_unlock(&h->lock);
}

static unsigned node_opens(NodeHandler *h)
{
        unsigned n;

        if (!h->clients)
                return 0;
        g_mutex_lock(&h->lock);
        for (guint i = h->clients->len; i > 0; i--)
                if (!umockdev_ioctl_client_get_connected(h->clients->pdata[i - 1]))
                        g_ptr_array_remove_index(h->clients, i - 1);
        n = h->clients->len;
        g_mutex_unlock(&h->lock);
        return n;
}

/* Drives. */

static char *drive_record(unsigned index, unsigned sg, const EmuBridgeDriveOptions *o, char **ret_block,
                          char **ret_scsi, char **ret_sg)
{
        g_autofree char *scsi = g_strdup_printf("/devices/platform/imapid-emu/host%u/target%u:0:0/%u:0:0:0",
                                                index, index, index);
        GString *s = g_string_new(NULL);

        g_string_append_printf(s,
                               "P: %s\nE: SUBSYSTEM=scsi\nE: DEVTYPE=scsi_device\nA: type=5\n"
                               "A: vendor=%s\nA: model=%s\n\n",
                               scsi, o->vendor ?: "IMAPID", o->product ?: "Emulated drive");
        if (o->sibling)
                g_string_append_printf(
                        s,
                        "P: %s/scsi_generic/sg%u\nN: sg%u\nE: DEVNAME=/dev/sg%u\nE: MAJOR=%u\n"
                        "E: MINOR=%u\nE: SUBSYSTEM=scsi_generic\nA: dev=%u:%u\n\n",
                        scsi, sg, sg, sg, SG_MAJOR, sg, SG_MAJOR, sg);
        g_string_append_printf(
                s,
                "P: %s/block/sr%u\nN: sr%u\nE: DEVNAME=/dev/sr%u\nE: DEVTYPE=disk\nE: MAJOR=%u\n"
                "E: MINOR=%u\nE: SUBSYSTEM=block\nE: ID_CDROM=1\nE: ID_CDROM_CD=1\n"
                "E: ID_CDROM_CD_R=1\nE: ID_CDROM_CD_RW=1\nE: ID_CDROM_DVD=1\nE: ID_TYPE=cd\n",
                scsi, index, index, index, SR_MAJOR, index);
        if (o->serial)
                g_string_append_printf(s, "E: ID_SERIAL=%s\n", o->serial);
        if (o->id_path)
                g_string_append_printf(s, "E: ID_PATH=%s\n", o->id_path);
        g_string_append_printf(s, "A: dev=%u:%u\nA: removable=1\nA: size=0\n", SR_MAJOR, index);
        if (o->max_sectors_kb)
                g_string_append_printf(s, "A: queue/max_sectors_kb=%u\n", o->max_sectors_kb);
        g_string_append(s, "\n");

        *ret_scsi = g_strconcat("/sys", scsi, NULL);
        *ret_sg = o->sibling ? g_strdup_printf("/sys%s/scsi_generic/sg%u", scsi, sg) : NULL;
        *ret_block = g_strdup_printf("/sys%s/block/sr%u", scsi, index);
        return g_string_free(s, false);
}

static int parse_profiles(const char *list, GArray *ret)
{
        g_auto(GStrv) names = g_strsplit(list, ",", 0);

        for (char **n = names; *n; n++) {
                int p = profile_from_name(g_strstrip(*n));
                uint16_t v;

                if (p < 0)
                        return -EINVAL;
                v = (uint16_t) p;
                g_array_append_val(ret, v);
        }
        return 0;
}

static EmuDrive *make_emu(unsigned index, const EmuBridgeDriveOptions *o, GError **error)
{
        g_autoptr(GArray) profiles = g_array_new(false, false, sizeof(uint16_t));
        g_autofree char *name = g_strdup_printf("sr%u", index), *message = NULL;
        g_autoptr(EmuDrive) emu = NULL;
        EmuDriveConfig cfg;
        int p;

        emu_drive_config_init(&cfg);
        if (o->profiles && parse_profiles(o->profiles, profiles) < 0) {
                g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "bad profiles '%s'",
                            o->profiles);
                return NULL;
        }
        if (o->profiles) {
                cfg.profiles = (const uint16_t *) profiles->data;
                cfg.n_profiles = profiles->len;
        }
        cfg.speed = o->speed;
        cfg.vendor = o->vendor;
        cfg.product = o->product;
        cfg.revision = o->revision;
        if (emu_drive_new(name, &cfg, NULL, &emu, &message) < 0) {
                g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "emu_drive_new: %s", message);
                return NULL;
        }
        p = o->medium ? profile_from_name(o->medium) : -1;
        if (o->medium && (p < 0 || emu_drive_load_medium(emu, (uint16_t) p) < 0)) {
                g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "cannot load '%s'", o->medium);
                return NULL;
        }
        return g_steal_pointer(&emu);
}

static bool attach_node(EmuBridge *b, EmuBridgeDrive *d, NodeHandler *h, bool sibling, GError **error)
{
        g_autofree char *node =
                g_strdup_printf("/dev/%s%u", sibling ? "sg" : "sr", sibling ? d->sg_index : d->index);

        h->drive = d;
        h->sibling = sibling;
        h->base = umockdev_ioctl_base_new();
        h->clients = g_ptr_array_new_with_free_func(g_object_unref);
        g_mutex_init(&h->lock);
        g_signal_connect(h->base, "handle-ioctl", G_CALLBACK(on_handle_ioctl), h);
        g_signal_connect(h->base, "client-connected", G_CALLBACK(on_client_connected), h);
        return umockdev_testbed_attach_ioctl(b->testbed, node, h->base, error);
}

EmuBridgeDrive *emu_bridge_add_drive(EmuBridge *b, unsigned index, const EmuBridgeDriveOptions *opts,
                                     GError **error)
{
        g_autofree char *record = NULL;
        EmuBridgeDrive *d;

        if (emu_bridge_find_drive(b, index, false)) {
                g_set_error(error, G_IO_ERROR, G_IO_ERROR_EXISTS, "sr%u exists", index);
                return NULL;
        }
        d = g_new0(EmuBridgeDrive, 1);
        d->bridge = b;
        d->index = index;
        d->has_sibling = opts->sibling;
        d->sg_index = opts->sibling ? b->next_sg++ : 0;
        g_ptr_array_add(b->drives, d);
        d->emu = make_emu(index, opts, error);
        if (!d->emu) {
                d->removed = true;
                return NULL;
        }
        d->transport = emu_drive_new_transport(d->emu);
        d->pool = g_thread_pool_new(process_ioctl, d, 1, false, NULL);
        record = drive_record(index, d->sg_index, opts, &d->block_syspath, &d->scsi_syspath, &d->sg_syspath);
        /* Handlers first: the "add" events go out with the records and a daemon may open at once. */
        if (!attach_node(b, d, &d->node, false, error) ||
            (opts->sibling && !attach_node(b, d, &d->sg, true, error)) ||
            !umockdev_testbed_add_from_string(b->testbed, record, error)) {
                d->removed = true;
                return NULL;
        }
        return d;
}

EmuBridgeDrive *emu_bridge_find_drive(EmuBridge *b, unsigned index, bool removed_too)
{
        for (guint i = b->drives->len; i > 0; i--) { /* the latest first */
                EmuBridgeDrive *d = b->drives->pdata[i - 1];
                if (d->index == index && (!d->removed || (removed_too && d->emu)))
                        return d;
        }
        return NULL;
}

void emu_bridge_remove_drive(EmuBridge *b, EmuBridgeDrive *d)
{
        g_autofree char *node = g_strdup_printf("/dev/sr%u", d->index),
                        *sg = g_strdup_printf("/dev/sg%u", d->sg_index);
        g_autofree char *block_link = g_strdup_printf("%s/sys/block/sr%u", b->root, d->index);

        if (d->removed)
                return;
        d->removed = true;
        emu_drive_disconnect(d->emu);
        /* uevent() reads the device's sysfs: before the records go (test-harness.md §3). */
        umockdev_testbed_uevent(b->testbed, d->block_syspath, "remove");
        umockdev_testbed_remove_device(b->testbed, d->block_syspath);
        /* umockdev 0.17.16 leaves the /sys/block link behind, which makes adding the drive again fail. */
        (void) unlink(block_link);
        if (d->sg_syspath) {
                umockdev_testbed_uevent(b->testbed, d->sg_syspath, "remove");
                umockdev_testbed_remove_device(b->testbed, d->sg_syspath);
        }
        umockdev_testbed_uevent(b->testbed, d->scsi_syspath, "remove");
        umockdev_testbed_remove_device(b->testbed, d->scsi_syspath);
        /* Open fds keep their connection and get ENODEV; new opens of a re-plugged drive get new handlers.
         */
        (void) umockdev_testbed_detach_ioctl(b->testbed, node, NULL);
        if (d->has_sibling)
                (void) umockdev_testbed_detach_ioctl(b->testbed, sg, NULL);
}

void emu_bridge_change(EmuBridge *b, EmuBridgeDrive *d)
{
        umockdev_testbed_uevent(b->testbed, d->block_syspath, "change");
}

EmuDrive *emu_bridge_drive_get_emu(EmuBridgeDrive *d)
{
        return d->emu;
}

unsigned emu_bridge_drive_opens(EmuBridgeDrive *d, bool sibling)
{
        return node_opens(sibling ? &d->sg : &d->node);
}

unsigned emu_bridge_drive_last_timeout_ms(EmuBridgeDrive *d, uint8_t opcode)
{
        return (unsigned) g_atomic_int_get(&d->last_timeout_ms[opcode]);
}

unsigned emu_bridge_drive_max_transfer(EmuBridgeDrive *d, uint8_t opcode)
{
        return (unsigned) g_atomic_int_get(&d->max_transfer[opcode]);
}

unsigned emu_bridge_drive_count(EmuBridgeDrive *d, uint8_t opcode)
{
        return (unsigned) g_atomic_int_get(&d->count[opcode]);
}

int emu_bridge_drive_save_image(EmuBridgeDrive *d, const char *path, const char *cue_path)
{
        g_autofree char *cue = NULL;
        g_autofd int in = -1, out = -1;
        char buf[64 * 1024];
        ssize_t n;
        int r;

        r = emu_drive_open_image(d->emu, &in, &cue);
        if (r < 0)
                return r;
        out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (out < 0)
                return -errno;
        while ((n = read(in, buf, sizeof(buf))) > 0)
                if (write(out, buf, (size_t) n) != n)
                        return -EIO;
        if (n < 0)
                return -errno;
        if (cue_path && !g_file_set_contents(cue_path, cue ?: "", -1, NULL))
                return -EIO;
        return 0;
}

static void drive_free(EmuBridgeDrive *d)
{
        if (d->pool)
                g_thread_pool_free(d->pool, false, true);
        g_clear_object(&d->node.base);
        g_clear_object(&d->sg.base);
        g_clear_pointer(&d->node.clients, g_ptr_array_unref);
        g_clear_pointer(&d->sg.clients, g_ptr_array_unref);
        transport_free(d->transport);
        emu_drive_unref(d->emu);
        g_free(d->block_syspath);
        g_free(d->scsi_syspath);
        g_free(d->sg_syspath);
        g_free(d);
}

EmuBridge *emu_bridge_new(GError **error)
{
        EmuBridge *b;

        if (!g_strrstr(g_getenv("LD_PRELOAD") ?: "", "umockdev")) {
                g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "run under umockdev-wrapper");
                return NULL;
        }
        b = g_new0(EmuBridge, 1);
        b->testbed = umockdev_testbed_new();
        b->root = umockdev_testbed_get_root_dir(b->testbed);
        b->drives = g_ptr_array_new_with_free_func((GDestroyNotify) drive_free);
        return b;
}

void emu_bridge_free(EmuBridge *b)
{
        if (!b)
                return;
        for (guint i = 0; i < b->drives->len; i++) {
                EmuBridgeDrive *d = b->drives->pdata[i];
                if (d->emu)
                        emu_drive_disconnect(d->emu);
        }
        g_clear_object(&b->testbed);
        g_ptr_array_unref(b->drives);
        g_free(b->root);
        g_free(b);
}

const char *emu_bridge_get_root(EmuBridge *b)
{
        return b->root;
}

void emu_bridge_set_trace(EmuBridge *b, bool trace)
{
        g_atomic_int_set(&b->trace, trace);
}
