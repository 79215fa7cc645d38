/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Transport of a real drive through libcdio; the one file that opens device nodes (STYLE rule 7). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cdio/cdio.h>
#include <cdio/logging.h>
#include <cdio/mmc.h>

#include "bytes.h"
#include "cdb.h"
#include "log.h"
#include "macros.h"
#include "transport-cdio.h"

/* libcdio's mmc_cdb_t: CDROM_SEND_PACKET carries 12 CDB bytes (linux/cdrom.h CDROM_PACKET_SIZE). */
#define CDIO_CDB_MAX            12
#define MAX_SIBLINGS            8
#define OP_SEND_OPC_INFORMATION 0x54

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CdIo_t, cdio_destroy)

typedef struct TransportCdio {
        Transport transport;
        GMutex lock; /* one command, hold or release at a time */
        char *devnode;
        char *syspath;
        size_t max_transfer;
        CdIo_t *held; /* the O_EXCL handle while held, else NULL */
        int sibling_fds[MAX_SIBLINGS];
        size_t n_sibling_fds;
        gint gone; /* atomic: set by transport_cdio_set_gone() */
} TransportCdio;

static const TransportOps transport_cdio_ops;

/* Nodes held by some transport of this process. O_EXCL on a block device keeps other processes out;
 * this keeps a second transport of our own out too, whatever the kernel enforces for the node. */
static GMutex registry_lock;
static GHashTable *registry;

static bool registry_add(const char *devnode)
{
        bool added = false;

        g_mutex_lock(&registry_lock);
        if (!registry)
                registry = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        if (!g_hash_table_contains(registry, devnode)) {
                g_hash_table_add(registry, g_strdup(devnode));
                added = true;
        }
        g_mutex_unlock(&registry_lock);
        return added;
}

static void registry_remove(const char *devnode)
{
        g_mutex_lock(&registry_lock);
        if (registry)
                g_hash_table_remove(registry, devnode);
        g_mutex_unlock(&registry_lock);
}

bool transport_cdio_node_is_held(const char *devnode)
{
        bool held;

        g_mutex_lock(&registry_lock);
        held = registry && g_hash_table_contains(registry, devnode);
        g_mutex_unlock(&registry_lock);
        return held;
}

/* libcdio reports through a global handler; ours goes to debug and keeps errno, which is how we learn
 * why an open or a command failed (libcdio logs right after the failing call and returns). */
static void cdio_log_to_debug(cdio_log_level_t level, const char *message)
{
        int saved = errno;

        log_debug("libcdio: %s", message);
        errno = saved;
}

static void cdio_setup_once(void)
{
        static gsize done = 0;

        if (g_once_init_enter(&done)) {
                (void) cdio_log_set_handler(cdio_log_to_debug);
                g_once_init_leave(&done, 1);
        }
}

static TransportCdio *transport_cdio(Transport *t)
{
        return (TransportCdio *) t;
}

bool transport_is_cdio(Transport *t)
{
        return t && t->ops == &transport_cdio_ops;
}

static int errno_to_transport_error(int e)
{
        switch (e) {
        case ENOENT:
        case ENODEV:
        case ENXIO:
                return -ENODEV;
        case EBUSY:
        case ETIMEDOUT:
        case EACCES:
        case EPERM:
        case ENOMEM:
        case EINVAL:
                return -e;
        default:
                return -EIO;
        }
}

/* Opens the node in a libcdio access mode ("MMC_RDWR" or "MMC_RDWR_EXCL"). */
static int cdio_open_node(TransportCdio *c, const char *mode, CdIo_t **ret)
{
        struct stat st;
        CdIo_t *cdio;

        /* stat(), not fstat(): the node's type is what we ask about, and umockdev fakes only stat(). */
        if (stat(c->devnode, &st) < 0)
                return errno_to_transport_error(errno);
        if (!S_ISBLK(st.st_mode) && !S_ISCHR(st.st_mode))
                return -ENOTBLK;
        errno = 0;
        cdio = cdio_open_am(c->devnode, DRIVER_LINUX, mode);
        if (!cdio)
                return errno_to_transport_error(errno ?: EIO);
        *ret = cdio;
        return 0;
}

/* The SCSI device of a block device is two levels up from it in sysfs (…/0:0:0:0/block/sr0); its other
 * upper-level drivers' nodes are listed below it, sg under scsi_generic/. */
static size_t find_siblings(const char *syspath, char **ret, size_t max)
{
        g_autofree char *scsi_device = NULL, *parent = NULL, *dir_path = NULL;
        g_autoptr(GDir) dir = NULL;
        const char *name;
        size_t n = 0;

        if (!syspath)
                return 0;
        parent = g_path_get_dirname(syspath);
        scsi_device = g_path_get_dirname(parent);
        dir_path = g_build_filename(scsi_device, "scsi_generic", NULL);
        dir = g_dir_open(dir_path, 0, NULL);
        while (dir && n < max && (name = g_dir_read_name(dir)))
                if (g_str_has_prefix(name, "sg"))
                        ret[n++] = g_strconcat("/dev/", name, NULL);
        return n;
}

/* sysfs queue/max_sectors_kb: what the host adapter moves in one command (and CDROM_SEND_PACKET with it). */
static size_t read_max_transfer(const char *syspath)
{
        g_autofree char *path = NULL, *text = NULL;
        guint64 kib;

        if (!syspath)
                return TRANSPORT_CDIO_DEFAULT_MAX_TRANSFER;
        path = g_build_filename(syspath, "queue", "max_sectors_kb", NULL);
        if (!g_file_get_contents(path, &text, NULL, NULL) ||
            !g_ascii_string_to_unsigned(g_strstrip(text), 10, 2, 64 * 1024, &kib, NULL))
                return TRANSPORT_CDIO_DEFAULT_MAX_TRANSFER;
        return (size_t) kib * 1024;
}

int transport_cdio_new(const char *devnode, const char *syspath, Transport **ret)
{
        TransportCdio *c;
        struct stat st;

        if (!devnode || !g_str_has_prefix(devnode, "/dev/"))
                return -EINVAL;
        if (stat(devnode, &st) < 0)
                return errno_to_transport_error(errno);
        cdio_setup_once();

        c = g_new0(TransportCdio, 1);
        c->transport.ops = &transport_cdio_ops;
        g_mutex_init(&c->lock);
        c->devnode = g_strdup(devnode);
        c->syspath = g_strdup(syspath);
        c->max_transfer = read_max_transfer(syspath);
        *ret = &c->transport;
        return 0;
}

size_t transport_cdio_get_max_transfer(Transport *t)
{
        return transport_cdio(t)->max_transfer;
}

/* Timeouts. */

static bool cdb_bit(const ScsiCommand *cmd, size_t byte, unsigned bit)
{
        return cmd->cdb_len > byte && (cmd->cdb[byte] >> bit) & 1;
}

/* FORMAT UNIT's Immed is in the parameter list header (MMC-6 §6.5.3.2: byte 1 bit 1). */
static bool format_is_immed(const ScsiCommand *cmd)
{
        uint8_t flags = 0;

        return cmd->direction == TRANSPORT_DIRECTION_TO_DEVICE &&
               u8_read(cmd->data, cmd->data_len, 1, &flags) == 0 && (flags & 0x02);
}

unsigned transport_cdio_default_timeout_ms(const ScsiCommand *cmd)
{
        switch (cmd->cdb[0]) {
        case SCSI_OP_TEST_UNIT_READY:
        case SCSI_OP_REQUEST_SENSE:
        case SCSI_OP_INQUIRY:
        case SCSI_OP_PREVENT_ALLOW_MEDIUM_REMOVAL:
        case SCSI_OP_GET_EVENT_STATUS_NOTIFICATION:
        case SCSI_OP_READ_BUFFER_CAPACITY:
                return TRANSPORT_CDIO_TIMEOUT_QUICK_MS;
        case SCSI_OP_BLANK: /* MMC-6 §6.2: Immed is byte 1 bit 4 */
                return cdb_bit(cmd, 1, 4) ? TRANSPORT_CDIO_TIMEOUT_NORMAL_MS
                                          : TRANSPORT_CDIO_TIMEOUT_FORMAT_MS;
        case SCSI_OP_FORMAT_UNIT:
                return format_is_immed(cmd) ? TRANSPORT_CDIO_TIMEOUT_NORMAL_MS
                                            : TRANSPORT_CDIO_TIMEOUT_FORMAT_MS;
        case SCSI_OP_CLOSE_TRACK_SESSION: /* MMC-6 §6.3: Immed byte 1 bit 0 */
        case SCSI_OP_START_STOP_UNIT:     /* SBC/MMC-6 §6.38: Immed byte 1 bit 0 */
                return cdb_bit(cmd, 1, 0) ? TRANSPORT_CDIO_TIMEOUT_NORMAL_MS
                                          : TRANSPORT_CDIO_TIMEOUT_LONG_MS;
        case SCSI_OP_SYNCHRONIZE_CACHE: /* MMC-6 §6.41: Immed byte 1 bit 1 */
                return cdb_bit(cmd, 1, 1) ? TRANSPORT_CDIO_TIMEOUT_NORMAL_MS
                                          : TRANSPORT_CDIO_TIMEOUT_LONG_MS;
        case OP_SEND_OPC_INFORMATION:
        case SCSI_OP_RESERVE_TRACK:
        case SCSI_OP_SEND_CUE_SHEET:
                return TRANSPORT_CDIO_TIMEOUT_LONG_MS;
        default:
                return TRANSPORT_CDIO_TIMEOUT_NORMAL_MS;
        }
}

/* Commands. */

static cdio_mmc_direction_t to_cdio_direction(TransportDirection d)
{
        switch (d) {
        case TRANSPORT_DIRECTION_FROM_DEVICE:
                return SCSI_MMC_DATA_READ;
        case TRANSPORT_DIRECTION_TO_DEVICE:
                return SCSI_MMC_DATA_WRITE;
        default:
                return SCSI_MMC_DATA_NONE;
        }
}

/* One CDROM_SEND_PACKET. The kernel reads cgc.timeout in clock ticks (USER_HZ, 1/100 s:
 * clock_t_to_jiffies() in drivers/scsi/scsi_ioctl.c) and libcdio passes its "milliseconds" through, so
 * we give it centiseconds. Only a libcdio built with HAVE_LINUX_CDROM_TIMEOUT sets that field; Debian 12's
 * 2.1.0 is not, and the kernel then applies its default (60 s) to every command, which is why the MMC
 * layer sends anything longer with Immed and polls. CHECK CONDITION comes back as EIO with the sense libcdio
 * keeps for mmc_last_cmd_sense(); host errors (a timeout, a bus reset) are not reported by this ioctl, and
 * neither is the residual (cmd->transferred stays 0, see mmc_data_len()). */
static int run_packet(TransportCdio *c, CdIo_t *cdio, ScsiCommand *cmd, void *data, size_t len)
{
        cdio_mmc_request_sense_t *sense = NULL;
        unsigned timeout_ms = cmd->timeout_ms ?: transport_cdio_default_timeout_ms(cmd);
        mmc_cdb_t cdb = {};
        driver_return_code_t rc;
        int e, n;

        memcpy(cdb.field, cmd->cdb, cmd->cdb_len);
        if (cmd->direction == TRANSPORT_DIRECTION_FROM_DEVICE)
                memset(data, 0, len);
        errno = 0;
        rc = mmc_run_cmd_len(cdio, DIV_ROUND_UP(timeout_ms, 10), &cdb, (unsigned) cmd->cdb_len,
                             to_cdio_direction(cmd->direction), (unsigned) len, data);
        e = errno;
        n = mmc_last_cmd_sense(cdio, &sense);
        if (rc != DRIVER_OP_SUCCESS && n > 0) {
                cmd->status = SCSI_STATUS_CHECK_CONDITION;
                cmd->sense_len = MIN((size_t) n, sizeof(cmd->sense));
                memcpy(cmd->sense, sense, cmd->sense_len);
        }
        cdio_free(sense);
        if (rc == DRIVER_OP_SUCCESS || n > 0)
                return 0;
        if (g_atomic_int_get(&c->gone) || access(c->devnode, F_OK) < 0)
                return -ENODEV;
        return errno_to_transport_error(e ?: EIO);
}

/* READ/WRITE(10/12) longer than the host takes go in pieces (MMC-6 §6.17, §6.46: LBA bytes 2-5,
 * transfer length bytes 7-8 or 6-9). Returns the number of blocks of the command, 0 when it is not one
 * that can be split. */
static uint32_t split_blocks(const ScsiCommand *cmd)
{
        uint16_t n16;
        uint32_t n32;

        switch (cmd->cdb[0]) {
        case SCSI_OP_READ_10:
        case SCSI_OP_WRITE_10:
                return be16_read(cmd->cdb, cmd->cdb_len, 7, &n16) == 0 ? n16 : 0;
        case SCSI_OP_READ_12:
        case SCSI_OP_WRITE_12:
                return be32_read(cmd->cdb, cmd->cdb_len, 6, &n32) == 0 ? n32 : 0;
        default:
                return 0;
        }
}

static void cdb_set_range(ScsiCommand *cmd, uint32_t lba, uint32_t blocks)
{
        cmd->cdb[2] = (uint8_t) (lba >> 24);
        cmd->cdb[3] = (uint8_t) (lba >> 16);
        cmd->cdb[4] = (uint8_t) (lba >> 8);
        cmd->cdb[5] = (uint8_t) lba;
        if (cmd->cdb[0] == SCSI_OP_READ_10 || cmd->cdb[0] == SCSI_OP_WRITE_10) {
                cmd->cdb[7] = (uint8_t) (blocks >> 8);
                cmd->cdb[8] = (uint8_t) blocks;
        } else {
                cmd->cdb[6] = (uint8_t) (blocks >> 24);
                cmd->cdb[7] = (uint8_t) (blocks >> 16);
                cmd->cdb[8] = (uint8_t) (blocks >> 8);
                cmd->cdb[9] = (uint8_t) blocks;
        }
}

static int run_split(TransportCdio *c, CdIo_t *cdio, ScsiCommand *cmd, uint32_t blocks)
{
        size_t block_size = cmd->data_len / blocks;
        uint32_t per = (uint32_t) MAX(c->max_transfer / block_size, 1), lba = 0, done = 0;
        ScsiCommand piece = *cmd;
        int r;

        (void) be32_read(cmd->cdb, cmd->cdb_len, 2, &lba);
        while (done < blocks) {
                uint32_t n = MIN(per, blocks - done);

                cdb_set_range(&piece, lba + done, n);
                r = run_packet(c, cdio, &piece, (uint8_t *) cmd->data + (size_t) done * block_size,
                               (size_t) n * block_size);
                if (r < 0)
                        return r;
                if (piece.status != SCSI_STATUS_GOOD) {
                        cmd->status = piece.status;
                        cmd->sense_len = piece.sense_len;
                        memcpy(cmd->sense, piece.sense, sizeof(cmd->sense));
                        cmd->transferred = (size_t) done * block_size;
                        return 0;
                }
                done += n;
        }
        cmd->transferred = cmd->data_len;
        return 0;
}

static int run_command(TransportCdio *c, CdIo_t *cdio, ScsiCommand *cmd)
{
        uint32_t blocks = cmd->data_len > c->max_transfer ? split_blocks(cmd) : 0;
        int r;

        if (blocks > 1 && cmd->data_len % blocks == 0)
                return run_split(c, cdio, cmd, blocks);
        r = run_packet(c, cdio, cmd, cmd->data, cmd->data_len);
        if (r == 0 && cmd->status == SCSI_STATUS_GOOD && cmd->direction == TRANSPORT_DIRECTION_TO_DEVICE)
                cmd->transferred = cmd->data_len;
        return r;
}

static void close_held(TransportCdio *c)
{
        if (!c->held && c->n_sibling_fds == 0)
                return;
        g_clear_pointer(&c->held, cdio_destroy);
        for (size_t i = 0; i < c->n_sibling_fds; i++)
                (void) safe_close(c->sibling_fds[i]);
        c->n_sibling_fds = 0;
        registry_remove(c->devnode);
        log_debug("%s: exclusive hold released", c->devnode);
}

static int transport_cdio_execute(Transport *t, ScsiCommand *cmd)
{
        TransportCdio *c = transport_cdio(t);
        g_autoptr(CdIo_t) shared = NULL;
        CdIo_t *cdio;
        int r;

        if (cmd->cdb_len > CDIO_CDB_MAX)
                return -EINVAL;
        if (g_atomic_int_get(&c->gone))
                return -ENODEV;

        g_mutex_lock(&c->lock);
        cdio = c->held;
        r = cdio ? 0 : cdio_open_node(c, "MMC_RDWR", &shared);
        if (r == 0)
                r = run_command(c, cdio ?: shared, cmd);
        if (g_atomic_int_get(&c->gone)) {
                close_held(c);
                r = r < 0 ? -ENODEV : r;
        }
        g_mutex_unlock(&c->lock);
        return r;
}

/* The hold. */

/* sg refuses O_EXCL with O_RDONLY; O_NONBLOCK makes a busy node fail with EBUSY instead of waiting. */
static int open_siblings(TransportCdio *c)
{
        char *siblings[MAX_SIBLINGS] = {};
        size_t n = find_siblings(c->syspath, siblings, MAX_SIBLINGS);
        int r = 0;

        for (size_t i = 0; i < n; i++) {
                int fd = r < 0 ? -1 : open(siblings[i], O_RDWR | O_EXCL | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

                if (fd >= 0)
                        c->sibling_fds[c->n_sibling_fds++] = fd;
                else if (r == 0 && errno == EBUSY)
                        r = log_debug_errno(-EBUSY, "%s: sibling %s is in use: %m", c->devnode, siblings[i]);
                else if (r == 0)
                        log_debug_errno(errno, "%s: cannot open sibling %s, ignoring: %m", c->devnode,
                                        siblings[i]);
                g_free(siblings[i]);
        }
        return r;
}

int transport_cdio_hold(Transport *t)
{
        TransportCdio *c = transport_cdio(t);
        int r;

        if (!transport_is_cdio(t))
                return -EINVAL;
        g_mutex_lock(&c->lock);
        if (c->held)
                r = 0;
        else if (g_atomic_int_get(&c->gone))
                r = -ENODEV;
        else if (!registry_add(c->devnode))
                r = -EBUSY;
        else {
                r = cdio_open_node(c, "MMC_RDWR_EXCL", &c->held);
                if (r == 0)
                        r = open_siblings(c);
                if (r < 0) {
                        close_held(c);
                        registry_remove(c->devnode);
                } else
                        log_debug("%s: held exclusively (%zu sibling(s))", c->devnode, c->n_sibling_fds);
        }
        g_mutex_unlock(&c->lock);
        return r;
}

void transport_cdio_release(Transport *t)
{
        TransportCdio *c = transport_cdio(t);

        if (!transport_is_cdio(t))
                return;
        g_mutex_lock(&c->lock);
        close_held(c);
        g_mutex_unlock(&c->lock);
}

bool transport_cdio_is_held(Transport *t)
{
        TransportCdio *c = transport_cdio(t);
        bool held;

        if (!transport_is_cdio(t))
                return false;
        g_mutex_lock(&c->lock);
        held = c->held != NULL;
        g_mutex_unlock(&c->lock);
        return held;
}

void transport_cdio_set_gone(Transport *t)
{
        TransportCdio *c = transport_cdio(t);

        if (!transport_is_cdio(t))
                return;
        g_atomic_int_set(&c->gone, 1);
        /* A command in flight closes them when it returns (transport_cdio_execute()). */
        if (g_mutex_trylock(&c->lock)) {
                close_held(c);
                g_mutex_unlock(&c->lock);
        }
}

static void transport_cdio_free(Transport *t)
{
        TransportCdio *c = transport_cdio(t);

        g_mutex_lock(&c->lock);
        close_held(c);
        g_mutex_unlock(&c->lock);
        g_mutex_clear(&c->lock);
        g_free(c->devnode);
        g_free(c->syspath);
        g_free(c);
}

static const TransportOps transport_cdio_ops = {
        .name = "cdio",
        .execute = transport_cdio_execute,
        .free = transport_cdio_free,
};
