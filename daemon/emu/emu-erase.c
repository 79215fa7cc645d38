/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Erasing and formatting the emulated disc: BLANK (MMC-6 §6.2) for CD-RW and DVD-RW, FORMAT UNIT
 * (MMC-6 §6.5) for DVD+RW, DVD-RW, DVD-RAM, BD-RE and BD-R, with the drive busy (NOT READY with a
 * progress indication) for as long as the operation takes. */
#include <string.h>

#include "bytes.h"
#include "emu-internal.h"
#include "log.h"
#include "macros.h"

/* How long the operation takes: the erase-time fault, else the whole disc at the write speed (full) or a
 * twentieth of it (quick); instant when unthrottled. */
static int64_t erase_duration_us(const EmuDrive *d, bool full)
{
        const EmuMedium *m = d->medium;
        unsigned x = emu_drive_write_speed(d);
        uint64_t rate, us;

        if (d->faults.erase_ms_set)
                return (int64_t) d->faults.erase_ms * 1000;
        if (x == 0)
                return 0;
        rate = x * emu_family_rate(m->info->family);
        us = (uint64_t) m->info->capacity * DATA_SECTOR / rate * 1000000;
        return (int64_t) (full ? us : us / 20);
}

/* Marks the drive busy; without Immed the command returns only when done. */
static int run_busy(EmuDrive *d, ScsiCommand *c, EmuBusyKind kind, int64_t us, bool immed)
{
        int64_t now = g_get_monotonic_time();

        emu_drive_save(d);
        if (us <= 0)
                return 0;
        d->busy = kind;
        d->busy_start = now;
        d->busy_end = now + us;
        if (immed)
                return 0;
        if (!emu_drive_sleep_until(d, d->busy_end))
                return d->disconnected ? -ENODEV : 0;
        d->busy = EMU_BUSY_NONE;
        return 0;
}

/* Common checks of BLANK and FORMAT UNIT; 1 with the sense set when refused. */
static int check_erasable(EmuDrive *d, ScsiCommand *c, unsigned flag, uint16_t refusal)
{
        if (emu_check_ready(d, c))
                return 1;
        if (d->faults.write_protect) {
                (void) emu_fail(c, SK_DATA_PROTECT, ASC_WRITE_PROTECTED);
                return 1;
        }
        if (!(d->medium->info->flags & flag) || !emu_drive_can_write_profile(d, d->medium->profile)) {
                (void) emu_fail(c, SK_ILLEGAL_REQUEST, refusal);
                return 1;
        }
        return 0;
}

static void erase_started(EmuDrive *d)
{
        emu_drive_end_simulation(d);
        d->sao = emu_sao_plan_free(d->sao);
        emu_throttle_stop(&d->throttle, g_get_monotonic_time());
        (void) emu_backing_reset(d->backing);
}

int emu_cmd_blank(EmuDrive *d, ScsiCommand *c)
{
        bool immed = c->cdb[1] & 0x10;
        uint8_t type = c->cdb[1] & 0x07;
        EmuMedium *m;

        if (check_erasable(d, c, EMU_PROFILE_BLANKABLE, ASC_CANNOT_WRITE_INCOMPATIBLE))
                return 0;
        if (type > 1) /* only "blank the disc" and "minimally blank the disc" */
                return emu_fail_cdb(c, 1, 2);
        m = d->medium;
        erase_started(d);
        emu_medium_blank(m, m->info->number);
        m->dao_only = m->info->number == 0x0014 && type == 1; /* DVD-RW: DAO only after a minimal blank */
        log_debug("emu %s: %s blank of the %s", d->name, type == 0 ? "full" : "minimal", m->info->name);
        return run_busy(d, c, EMU_BUSY_BLANK, erase_duration_us(d, type == 0), immed);
}

typedef struct FormatRequest {
        uint8_t type, subtype;
        uint32_t blocks;
        bool defaults; /* FmtData 0: the medium's default format */
} FormatRequest;

/* The blocks a format leaves usable, or 0 when the request does not fit the medium (MMC-6 §6.5.4). */
static uint32_t format_blocks(const EmuMedium *m, const FormatRequest *f, bool *ret_full, bool *ret_keep)
{
        uint32_t cap = m->info->capacity, def = m->info->format_default;

        *ret_full = false;
        *ret_keep = false;
        switch (m->info->number) {
        case 0x001a: /* DVD+RW: background format, 26h */
                *ret_keep = m->formatted > 0;
                return f->defaults || f->type == 0x26 ? cap : 0;
        case 0x0014: /* DVD-RW → restricted overwrite */
                if (f->defaults || f->type == 0x00 || f->type == 0x10) {
                        *ret_full = true;
                        return f->blocks > 0 && f->blocks <= cap && !f->defaults ? f->blocks : cap;
                }
                if (f->type == 0x15)
                        return f->blocks > 0 && f->blocks <= cap ? f->blocks : cap;
                if (f->type == 0x13 && m->profile == 0x0013) {
                        *ret_keep = true;
                        return cap;
                }
                return 0;
        case 0x0012:
                *ret_full = true;
                return f->defaults || f->type == 0x00 || f->type == 0x01 ? cap : 0;
        case 0x0043:
                *ret_full = f->type == 0x30 && f->subtype == 2; /* full certification */
                if (f->defaults || f->type == 0x00)
                        return def;
                if (f->type == 0x30 && f->blocks >= 11564032 && f->blocks <= 12088320)
                        return f->blocks;
                return f->type == 0x31 ? cap : 0;
        case 0x0041: /* BD-R: spare areas, sequential afterwards */
                if (emu_medium_n_tracks(m) > 0)
                        return 0;
                if (f->defaults || f->type == 0x00)
                        return def;
                return f->type == 0x32 && f->blocks >= 11564032 && f->blocks <= 12088320 ? f->blocks : 0;
        default:
                return 0;
        }
}

/* The format list header and one descriptor (MMC-6 §6.5.3). */
static int format_parse(ScsiCommand *c, FormatRequest *ret, bool *ret_immed)
{
        const uint8_t *p;

        *ret = (FormatRequest){.defaults = !(c->cdb[1] & 0x10)};
        *ret_immed = false;
        if (ret->defaults)
                return 0;
        if ((c->cdb[1] & 0x07) != 0x01) /* format code 001b */
                return emu_fail_cdb(c, 1, 2) + 1;
        p = emu_data_out(c, 12);
        if (!p)
                return -EINVAL;
        if ((p[2] << 8 | p[3]) != 8)
                return emu_fail_param(c, 2) + 1;
        *ret_immed = p[1] & 0x02;
        ret->blocks = (uint32_t) p[4] << 24 | (uint32_t) p[5] << 16 | (uint32_t) p[6] << 8 | p[7];
        ret->type = p[8] >> 2;
        ret->subtype = p[8] & 0x03;
        return 0;
}

int emu_cmd_format_unit(EmuDrive *d, ScsiCommand *c)
{
        FormatRequest f;
        EmuMedium *m;
        bool immed, full, keep, sequential;
        uint32_t blocks;
        uint16_t profile;
        int r;

        r = format_parse(c, &f, &immed);
        if (r != 0)
                return r < 0 ? r : 0;
        if (check_erasable(d, c, EMU_PROFILE_FORMATTABLE, ASC_CANNOT_FORMAT_INCOMPATIBLE))
                return 0;
        m = d->medium;
        blocks = format_blocks(m, &f, &full, &keep);
        if (blocks == 0)
                return f.defaults ? emu_fail_cdb(c, 1, 4) : emu_fail_param(c, 8);
        sequential = m->info->number == 0x0041;
        profile = m->info->number == 0x0014 ? 0x0013 : m->info->number;
        if (!keep)
                erase_started(d);
        if (sequential)
                m->capacity = blocks; /* BD-R: the spare areas come off the user area */
        else
                emu_medium_format(m, profile, blocks, keep);
        log_debug("emu %s: formatted the %s, type %02Xh, %" PRIu32 " blocks", d->name, m->info->name, f.type,
                  blocks);
        if (m->info->number == 0x001a || sequential)
                return run_busy(d, c, EMU_BUSY_FORMAT, 0, immed); /* background / nothing to certify */
        return run_busy(d, c, EMU_BUSY_FORMAT, erase_duration_us(d, full), immed);
}
