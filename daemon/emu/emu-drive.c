/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The emulated MMC drive: its lifecycle, the Transport that delivers commands to it, the command table
 * with the unit attention and readiness rules of SPC-4 §5 / MMC-6 §4.1, and the product API. */
#include <string.h>

#include "emu-internal.h"
#include "imapi-error.h"
#include "log.h"
#include "macros.h"

#define CMD_DATA_IN           (1u << 0)
#define CMD_DATA_OUT          (1u << 1)
#define CMD_NO_UNIT_ATTENTION (1u << 2) /* MMC-6 §4.1.6.2: never reports a pending unit attention */

typedef struct EmuCommand {
        uint8_t opcode;
        const char *name;
        EmuHandler handler;
        unsigned flags;
} EmuCommand;

static const EmuCommand commands[] = {
        {0x00, "TEST UNIT READY", emu_cmd_test_unit_ready, 0},
        {0x03, "REQUEST SENSE", emu_cmd_request_sense, CMD_DATA_IN | CMD_NO_UNIT_ATTENTION},
        {0x04, "FORMAT UNIT", emu_cmd_format_unit, CMD_DATA_OUT},
        {0x12, "INQUIRY", emu_cmd_inquiry, CMD_DATA_IN | CMD_NO_UNIT_ATTENTION},
        {0x15, "MODE SELECT(6)", emu_cmd_mode_select, CMD_DATA_OUT},
        {0x1a, "MODE SENSE(6)", emu_cmd_mode_sense, CMD_DATA_IN},
        {0x1b, "START STOP UNIT", emu_cmd_start_stop_unit, 0},
        {0x1e, "PREVENT ALLOW MEDIUM REMOVAL", emu_cmd_prevent_allow, 0},
        {0x23, "READ FORMAT CAPACITIES", emu_cmd_read_format_capacities, CMD_DATA_IN},
        {0x25, "READ CAPACITY", emu_cmd_read_capacity, CMD_DATA_IN},
        {0x28, "READ(10)", emu_cmd_read, CMD_DATA_IN},
        {0x2a, "WRITE(10)", emu_cmd_write, CMD_DATA_OUT},
        {0x35, "SYNCHRONIZE CACHE", emu_cmd_synchronize_cache, 0},
        {0x42, "READ SUB-CHANNEL", emu_cmd_read_sub_channel, CMD_DATA_IN},
        {0x43, "READ TOC/PMA/ATIP", emu_cmd_read_toc, CMD_DATA_IN},
        {0x46, "GET CONFIGURATION", emu_cmd_get_configuration, CMD_DATA_IN | CMD_NO_UNIT_ATTENTION},
        {0x4a, "GET EVENT STATUS NOTIFICATION", emu_cmd_get_event_status,
         CMD_DATA_IN | CMD_NO_UNIT_ATTENTION},
        {0x51, "READ DISC INFORMATION", emu_cmd_read_disc_information, CMD_DATA_IN},
        {0x52, "READ TRACK INFORMATION", emu_cmd_read_track_information, CMD_DATA_IN},
        {0x53, "RESERVE TRACK", emu_cmd_reserve_track, 0},
        {0x54, "SEND OPC INFORMATION", emu_cmd_send_opc, CMD_DATA_OUT},
        {0x55, "MODE SELECT(10)", emu_cmd_mode_select, CMD_DATA_OUT},
        {0x5a, "MODE SENSE(10)", emu_cmd_mode_sense, CMD_DATA_IN},
        {0x5b, "CLOSE TRACK/SESSION", emu_cmd_close_track_session, 0},
        {0x5c, "READ BUFFER CAPACITY", emu_cmd_read_buffer_capacity, CMD_DATA_IN},
        {0x5d, "SEND CUE SHEET", emu_cmd_send_cue_sheet, CMD_DATA_OUT},
        {0xa1, "BLANK", emu_cmd_blank, 0},
        {0xa8, "READ(12)", emu_cmd_read, CMD_DATA_IN},
        {0xaa, "WRITE(12)", emu_cmd_write, CMD_DATA_OUT},
        {0xac, "GET PERFORMANCE", emu_cmd_get_performance, CMD_DATA_IN},
        {0xad, "READ DISC STRUCTURE", emu_cmd_read_disc_structure, CMD_DATA_IN},
        {0xb6, "SET STREAMING", emu_cmd_set_streaming, CMD_DATA_OUT},
        {0xbb, "SET CD SPEED", emu_cmd_set_cd_speed, 0},
        {0xbe, "READ CD", emu_cmd_read_cd, CMD_DATA_IN},
};

static const EmuCommand *command_find(uint8_t opcode)
{
        for (size_t i = 0; i < ELEMENTSOF(commands); i++)
                if (commands[i].opcode == opcode)
                        return &commands[i];
        return NULL;
}

/* SPC-4 §4.2.5.1: the CDB length of an operation code group. */
static size_t cdb_length(uint8_t opcode)
{
        switch (opcode >> 5) {
        case 0:
                return 6;
        case 1:
        case 2:
                return 10;
        case 4:
                return 16;
        case 5:
                return 12;
        default:
                return 0;
        }
}

/* ---- Sense and replies ---- */

void emu_sense_build(uint8_t sense[18], uint8_t key, uint16_t asc_ascq, bool progress_valid,
                     uint16_t progress)
{
        memset(sense, 0, 18);
        sense[0] = 0x70; /* current error, fixed format (SPC-4 §4.5.3) */
        sense[2] = key & 0xf;
        sense[7] = 10;
        sense[12] = asc_ascq >> 8;
        sense[13] = asc_ascq & 0xff;
        if (progress_valid) {
                sense[15] = 0x80; /* SKSV; progress indication (SPC-4 §4.5.2.4.4) */
                sense[16] = progress >> 8;
                sense[17] = progress & 0xff;
        }
}

int emu_fail(ScsiCommand *c, uint8_t key, uint16_t asc_ascq)
{
        emu_sense_build(c->sense, key, asc_ascq, false, 0);
        c->sense_len = 18;
        c->status = SCSI_STATUS_CHECK_CONDITION;
        c->transferred = 0;
        return 0;
}

/* SPC-4 §4.5.2.4.2: field pointer, C/D = 1 for the CDB. */
static int fail_field(ScsiCommand *c, uint16_t asc_ascq, bool in_cdb, unsigned byte, int bit)
{
        (void) emu_fail(c, SK_ILLEGAL_REQUEST, asc_ascq);
        c->sense[15] = 0x80 | (in_cdb ? 0x40 : 0) | (bit >= 0 ? 0x08 | (bit & 7) : 0);
        c->sense[16] = byte >> 8;
        c->sense[17] = byte & 0xff;
        return 0;
}

int emu_fail_cdb(ScsiCommand *c, unsigned byte, int bit)
{
        return fail_field(c, ASC_INVALID_FIELD_IN_CDB, true, byte, bit);
}

int emu_fail_param(ScsiCommand *c, unsigned byte)
{
        return fail_field(c, ASC_INVALID_FIELD_IN_PARAMETER_LIST, false, byte, -1);
}

int emu_fail_lba(ScsiCommand *c, uint8_t key, uint16_t asc_ascq, int64_t lba)
{
        (void) emu_fail(c, key, asc_ascq);
        c->sense[0] |= 0x80; /* VALID: the INFORMATION field holds the address */
        c->sense[3] = (uint8_t) ((uint64_t) lba >> 24);
        c->sense[4] = (uint8_t) ((uint64_t) lba >> 16);
        c->sense[5] = (uint8_t) ((uint64_t) lba >> 8);
        c->sense[6] = (uint8_t) lba;
        return 0;
}

int emu_reply(ScsiCommand *c, const void *buf, size_t len, size_t alloc)
{
        size_t n = MIN(len, alloc);

        if (c->direction != TRANSPORT_DIRECTION_FROM_DEVICE)
                n = 0;
        n = MIN(n, c->data_len);
        if (n > 0)
                memcpy(c->data, buf, n);
        c->transferred = n;
        return 0;
}

const uint8_t *emu_data_out(ScsiCommand *c, size_t need)
{
        static const uint8_t empty[1];

        if (need == 0)
                return empty;
        if (c->direction != TRANSPORT_DIRECTION_TO_DEVICE || c->data_len < need)
                return NULL;
        c->transferred = need;
        return c->data;
}

/* ---- Readiness ---- */

bool emu_drive_not_ready(EmuDrive *d, uint8_t *ret_key, uint16_t *ret_asc, bool *ret_progress,
                         uint16_t *ret_value)
{
        int64_t now = g_get_monotonic_time();

        *ret_progress = false;
        *ret_value = 0;
        if (d->faults.becoming_ready > 0) {
                *ret_key = SK_NOT_READY;
                *ret_asc = ASC_BECOMING_READY;
                return true;
        }
        if (d->busy != EMU_BUSY_NONE && now >= d->busy_end)
                d->busy = EMU_BUSY_NONE;
        if (d->busy != EMU_BUSY_NONE) {
                int64_t span = MAX(d->busy_end - d->busy_start, 1);

                *ret_key = SK_NOT_READY;
                *ret_asc = d->busy == EMU_BUSY_FORMAT ? ASC_FORMAT_IN_PROGRESS : ASC_OPERATION_IN_PROGRESS;
                *ret_progress = true;
                *ret_value = (uint16_t) MIN((now - d->busy_start) * 65536 / span, 65535);
                return true;
        }
        if (!emu_drive_has_medium(d)) {
                *ret_key = SK_NOT_READY;
                *ret_asc =
                        d->tray_open ? ASC_MEDIUM_NOT_PRESENT_TRAY_OPEN : ASC_MEDIUM_NOT_PRESENT_TRAY_CLOSED;
                return true;
        }
        return false;
}

int emu_check_ready(EmuDrive *d, ScsiCommand *c)
{
        uint8_t key;
        uint16_t asc, value;
        bool progress;

        if (!emu_drive_not_ready(d, &key, &asc, &progress, &value))
                return 0;
        emu_sense_build(c->sense, key, asc, progress, value);
        c->sense_len = 18;
        c->status = SCSI_STATUS_CHECK_CONDITION;
        return 1;
}

/* ---- Speeds ---- */

EmuFamily emu_drive_family(const EmuDrive *d)
{
        if (d->medium)
                return d->medium->info->family;
        return emu_profile_find(d->profiles[0])->family;
}

static const EmuProfileInfo *speed_profile(const EmuDrive *d)
{
        if (d->medium)
                return d->medium->info;
        return emu_profile_find(d->profiles[0]);
}

unsigned emu_drive_speeds(const EmuDrive *d, uint8_t ret[static 17])
{
        const uint8_t *table = speed_profile(d)->speeds;
        unsigned n = 0;

        for (; *table && n < 15; table++)
                if (d->speed == 0 || *table < d->speed)
                        ret[n++] = *table;
        if (d->speed > 0)
                ret[n++] = (uint8_t) MIN(d->speed, 255u);
        ret[n] = 0;
        return n;
}

unsigned emu_drive_write_speed(const EmuDrive *d)
{
        if (d->speed == 0)
                return 0;
        if (d->host_speed == 0 || d->host_speed > d->speed)
                return d->speed;
        return d->host_speed;
}

void emu_drive_update_rate(EmuDrive *d)
{
        unsigned x = emu_drive_write_speed(d);

        emu_throttle_set_rate(&d->throttle, x * emu_family_rate(emu_drive_family(d)),
                              g_get_monotonic_time());
}

bool emu_drive_can_write_profile(const EmuDrive *d, uint16_t profile)
{
        const EmuProfileInfo *info = emu_profile_find(profile);

        for (const uint16_t *p = d->profiles; *p; p++)
                if (emu_profile_find(*p) == info)
                        return true;
        return false;
}

/* ---- State helpers used by the handlers ---- */

bool emu_drive_sleep_until(EmuDrive *d, int64_t until)
{
        uint64_t generation = d->generation;

        while (g_get_monotonic_time() < until && generation == d->generation && !d->disconnected)
                (void) g_cond_wait_until(&d->cond, &d->lock, until);
        return generation == d->generation && !d->disconnected;
}

void emu_drive_end_simulation(EmuDrive *d)
{
        d->sim = emu_medium_free(d->sim);
}

EmuMedium *emu_drive_writable_medium(EmuDrive *d)
{
        if (!d->wp.test_write || !(d->medium->info->flags & EMU_PROFILE_TEST_WRITE))
                return emu_drive_medium(d);
        if (!d->sim)
                d->sim = emu_medium_dup(d->medium);
        return d->sim;
}

void emu_drive_mark_dirty(EmuDrive *d)
{
        d->dirty = true;
}

void emu_drive_save(EmuDrive *d)
{
        (void) emu_backing_save(d->backing, d->tray_open, d->medium);
        d->dirty = false;
}

static void medium_changed(EmuDrive *d)
{
        emu_drive_end_simulation(d);
        d->sao = emu_sao_plan_free(d->sao);
        emu_throttle_stop(&d->throttle, g_get_monotonic_time());
        d->generation++;
        g_cond_broadcast(&d->cond);
}

void emu_drive_remove_medium_locked(EmuDrive *d)
{
        d->medium = emu_medium_free(d->medium);
        (void) emu_backing_reset(d->backing);
        d->tray_open = true;
        d->media_event = 3; /* MMC-6 Table 152: MediaRemoval */
        d->busy = EMU_BUSY_NONE;
        medium_changed(d);
        emu_drive_update_rate(d);
        emu_drive_save(d);
}

void emu_drive_default_write_params(EmuDrive *d)
{
        EmuFamily f = emu_drive_family(d);

        /* MMC-6 §7.5.4 defaults: CD TAO mode 1, DVD-R incremental with 32 KiB fixed packets. */
        d->wp = (EmuWriteParams){
                .write_type = f == EMU_FAMILY_CD ? EMU_WRITE_TYPE_TAO : EMU_WRITE_TYPE_PACKET,
                .track_mode = f == EMU_FAMILY_CD ? 4 : 5,
                .data_block_type = 8,
                .audio_pause = CD_PREGAP,
                .ls_v = f == EMU_FAMILY_DVD,
                .link_size = f == EMU_FAMILY_DVD ? 16 : 0,
                .fp = f == EMU_FAMILY_DVD,
                .packet_size = f == EMU_FAMILY_DVD ? 16 : 0,
        };
}

/* ---- Execution ---- */

static int gate(EmuDrive *d, ScsiCommand *c, const EmuCommand *cmd)
{
        const EmuFaultSense *f;

        if ((cmd->flags & CMD_DATA_IN) && c->direction == TRANSPORT_DIRECTION_TO_DEVICE)
                return -EINVAL;
        if ((cmd->flags & CMD_DATA_OUT) && c->direction == TRANSPORT_DIRECTION_FROM_DEVICE)
                return -EINVAL;
        if (!(cmd->flags & (CMD_DATA_IN | CMD_DATA_OUT)) && c->direction != TRANSPORT_DIRECTION_NONE)
                return -EINVAL;
        if (c->cdb_len < cdb_length(cmd->opcode))
                return -EINVAL;
        f = emu_faults_take_opcode(&d->faults, cmd->opcode);
        if (f)
                return emu_fail(c, f->key, (uint16_t) (f->asc << 8 | f->ascq)) + 1;
        if (d->ua_pending && !(cmd->flags & CMD_NO_UNIT_ATTENTION)) {
                d->ua_pending = false;
                return emu_fail(c, SK_UNIT_ATTENTION, ASC_MEDIUM_CHANGED) + 1;
        }
        return 0;
}

static int execute_locked(EmuDrive *d, ScsiCommand *c)
{
        const EmuCommand *cmd;
        int r;

        if (d->disconnected || d->faults.gone)
                return -ENODEV;
        d->stats.commands++;
        cmd = command_find(c->cdb[0]);
        if (!cmd) {
                log_debug("emu %s: opcode %02Xh: invalid", d->name, c->cdb[0]);
                return emu_fail(c, SK_ILLEGAL_REQUEST, ASC_INVALID_OPCODE);
        }
        r = gate(d, c, cmd);
        if (r == 0)
                r = cmd->handler(d, c);
        else if (r > 0)
                r = 0;
        if (d->dirty && !d->disconnected)
                emu_drive_save(d);
        if (r < 0)
                log_debug("emu %s: %s: %s", d->name, cmd->name, strerror(-r));
        else if (c->status != SCSI_STATUS_GOOD)
                log_debug("emu %s: %s: sense %X/%02X/%02X", d->name, cmd->name, c->sense[2] & 0xf,
                          c->sense[12], c->sense[13]);
        return r;
}

typedef struct EmuTransport {
        Transport transport;
        EmuDrive *drive;
} EmuTransport;

static int transport_emu_execute(Transport *t, ScsiCommand *c)
{
        EmuDrive *d = ((EmuTransport *) t)->drive;
        int r;

        /* One command at a time, as on a real drive: a command that sleeps (throttle, BLANK without
         * Immed) releases the lock, so others queue here while product calls go ahead. */
        g_mutex_lock(&d->lock);
        while (d->executing && !d->disconnected)
                g_cond_wait(&d->cond, &d->lock);
        if (d->disconnected) {
                g_mutex_unlock(&d->lock);
                return -ENODEV;
        }
        d->executing = true;
        r = execute_locked(d, c);
        d->executing = false;
        g_cond_broadcast(&d->cond);
        g_mutex_unlock(&d->lock);
        return r;
}

static void transport_emu_free(Transport *t)
{
        EmuTransport *et = (EmuTransport *) t;

        (void) emu_drive_unref(et->drive);
        g_free(et);
}

static const TransportOps transport_emu_ops = {
        .name = "emu",
        .execute = transport_emu_execute,
        .free = transport_emu_free,
};

Transport *emu_drive_new_transport(EmuDrive *d)
{
        EmuTransport *et = g_new0(EmuTransport, 1);

        et->transport.ops = &transport_emu_ops;
        et->drive = emu_drive_ref(d);
        return &et->transport;
}

/* ---- Lifecycle ---- */

void emu_drive_config_init(EmuDriveConfig *cfg)
{
        *cfg = (EmuDriveConfig){
                .buffer_size = EMU_DRIVE_DEFAULT_BUFFER_SIZE,
                .bufe_capable = true,
        };
}

static bool name_is_valid(const char *name)
{
        size_t n = name ? strlen(name) : 0;

        if (n == 0 || n > 32)
                return false;
        for (const char *p = name; *p; p++)
                if (!g_ascii_isalnum(*p) && !strchr("_-.", *p))
                        return false;
        return true;
}

/* INQUIRY strings are ASCII, left-aligned and padded with spaces (SPC-4 §6.4.2). */
static void set_ascii(char *dst, size_t width, const char *src)
{
        size_t i = 0;

        for (; src && src[i] && i < width; i++)
                dst[i] = g_ascii_isprint(src[i]) ? src[i] : '_';
        for (; i < width; i++)
                dst[i] = ' ';
        dst[width] = '\0';
}

static int set_profiles(EmuDrive *d, const EmuDriveConfig *cfg, char **reterr_message)
{
        size_t n = cfg->n_profiles;
        const uint16_t *src = cfg->profiles;

        if (!src || n == 0) {
                src = emu_profiles_all;
                for (n = 0; src[n]; n++)
                        ;
        }
        d->profiles = g_new0(uint16_t, n + 1);
        for (size_t i = 0; i < n; i++) {
                if (!emu_profile_find(src[i]))
                        return error_set_message(reterr_message, EINVAL, "Unknown profile %04Xh", src[i]);
                d->profiles[i] = src[i] == 0x0013 ? 0x0014 : src[i];
        }
        return 0;
}

static void set_identity(EmuDrive *d, const EmuDriveConfig *cfg)
{
        g_autofree char *product = g_strdup_printf("Virtual %s", d->name);
        g_autofree char *serial = g_strdup_printf("EMU-%s", d->name);

        set_ascii(d->vendor, 8, cfg->vendor ? cfg->vendor : "IMAPID");
        set_ascii(d->product, 16, cfg->product ? cfg->product : product);
        set_ascii(d->revision, 4, cfg->revision ? cfg->revision : "1.00");
        set_ascii(d->serial, 32, serial);
        g_strchomp(d->serial);
}

static void error_page_init(uint8_t p[12])
{
        /* MMC-6 §7.3: Read/Write Error Recovery mode page 01h. */
        memset(p, 0, 12);
        p[0] = 0x01;
        p[1] = 0x0a;
        p[3] = 0x10; /* read retry count */
        p[8] = 0x10; /* write retry count */
}

int emu_drive_new(const char *name, const EmuDriveConfig *cfg, const char *state_dir, EmuDrive **ret,
                  char **reterr_message)
{
        g_autoptr(EmuDrive) d = NULL;
        EmuDriveConfig defaults;
        int r;

        if (!name_is_valid(name))
                return error_set_message(reterr_message, EINVAL, "Invalid virtual drive name \"%s\"",
                                         name ? name : "");
        if (!cfg) {
                emu_drive_config_init(&defaults);
                cfg = &defaults;
        }
        d = g_new0(EmuDrive, 1);
        d->n_ref = 1;
        g_mutex_init(&d->lock);
        g_cond_init(&d->cond);
        d->name = g_strdup(name);
        d->speed = cfg->speed;
        d->bufe_capable = cfg->bufe_capable;
        emu_faults_init(&d->faults);
        emu_throttle_init(&d->throttle,
                          cfg->buffer_size > 0 ? cfg->buffer_size : EMU_DRIVE_DEFAULT_BUFFER_SIZE);
        error_page_init(d->error_page);
        d->stats.buffer_min_fill = UINT64_MAX;
        set_identity(d, cfg);
        r = set_profiles(d, cfg, reterr_message);
        if (r < 0)
                return r;
        r = emu_backing_open(state_dir, &d->backing, reterr_message);
        if (r < 0)
                return r;
        r = emu_backing_load(d->backing, &d->tray_open, &d->medium);
        if (r < 0)
                return error_set_message(reterr_message, r, "Cannot resume the virtual disc in %s: %m",
                                         state_dir ? state_dir : "(temporary)");
        emu_drive_default_write_params(d);
        emu_drive_update_rate(d);
        *ret = g_steal_pointer(&d);
        return 0;
}

EmuDrive *emu_drive_ref(EmuDrive *d)
{
        if (d)
                g_atomic_int_inc(&d->n_ref);
        return d;
}

EmuDrive *emu_drive_unref(EmuDrive *d)
{
        if (!d || !g_atomic_int_dec_and_test(&d->n_ref))
                return NULL;
        if (d->backing && !d->disconnected)
                emu_drive_save(d);
        emu_drive_end_simulation(d);
        d->sao = emu_sao_plan_free(d->sao);
        d->medium = emu_medium_free(d->medium);
        d->backing = emu_backing_free(d->backing);
        g_free(d->profiles);
        g_free(d->name);
        g_mutex_clear(&d->lock);
        g_cond_clear(&d->cond);
        g_free(d);
        return NULL;
}

/* ---- Product API ---- */

void emu_drive_disconnect(EmuDrive *d)
{
        g_mutex_lock(&d->lock);
        emu_drive_save(d);
        d->disconnected = true;
        g_cond_broadcast(&d->cond);
        g_mutex_unlock(&d->lock);
}

static int check_removable(EmuDrive *d)
{
        uint8_t key;
        uint16_t asc, value;
        bool progress;

        if (d->prevent)
                return -EBUSY;
        if (emu_drive_not_ready(d, &key, &asc, &progress, &value) && progress)
                return -EBUSY;
        return 0;
}

int emu_drive_load_medium(EmuDrive *d, uint16_t profile)
{
        const EmuProfileInfo *info = emu_profile_find(profile);
        int r;

        if (!info || profile == 0x0013)
                return -EINVAL;
        g_mutex_lock(&d->lock);
        r = check_removable(d);
        if (r >= 0 && !emu_drive_can_write_profile(d, profile))
                r = -EMEDIUMTYPE;
        if (r >= 0) {
                (void) emu_medium_free(d->medium);
                d->medium = emu_medium_new(info);
                (void) emu_backing_reset(d->backing);
                d->tray_open = false;
                d->ua_pending = true;
                d->media_event = 2; /* MMC-6 Table 152: NewMedia */
                medium_changed(d);
                emu_drive_default_write_params(d);
                emu_drive_update_rate(d);
                emu_drive_save(d);
                log_debug("emu %s: loaded a blank %s", d->name, info->name);
        }
        g_mutex_unlock(&d->lock);
        return r;
}

int emu_drive_remove_medium(EmuDrive *d)
{
        int r;

        g_mutex_lock(&d->lock);
        r = check_removable(d);
        if (r >= 0)
                emu_drive_remove_medium_locked(d);
        g_mutex_unlock(&d->lock);
        return r;
}

int emu_drive_set_faults(EmuDrive *d, const char *spec, char **reterr_message)
{
        EmuFaults f;
        int r;

        r = emu_faults_parse(spec, &f, reterr_message);
        if (r < 0)
                return r;
        g_mutex_lock(&d->lock);
        d->faults = f;
        g_cond_broadcast(&d->cond);
        g_mutex_unlock(&d->lock);
        return 0;
}

void emu_drive_set_speed(EmuDrive *d, unsigned speed)
{
        g_mutex_lock(&d->lock);
        d->speed = speed;
        emu_drive_update_rate(d);
        g_mutex_unlock(&d->lock);
}

unsigned emu_drive_get_speed(EmuDrive *d)
{
        unsigned s;

        g_mutex_lock(&d->lock);
        s = d->speed;
        g_mutex_unlock(&d->lock);
        return s;
}

void emu_drive_get_stats(EmuDrive *d, EmuDriveStats *ret)
{
        g_mutex_lock(&d->lock);
        *ret = d->stats;
        ret->buffer_min_fill = d->throttle.min_fill;
        g_mutex_unlock(&d->lock);
}

void emu_drive_reset_stats(EmuDrive *d)
{
        g_mutex_lock(&d->lock);
        d->stats = (EmuDriveStats){.buffer_min_fill = UINT64_MAX};
        d->throttle.min_fill = UINT64_MAX;
        g_mutex_unlock(&d->lock);
}
