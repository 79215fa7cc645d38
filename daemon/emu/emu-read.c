/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading the emulated disc back: READ(10)/(12) of 2048-byte blocks, READ CD (user data of audio and
 * mode 1 sectors) and READ SUB-CHANNEL (MCN and ISRC). */
#include <string.h>

#include "bytes.h"
#include "emu-internal.h"
#include "macros.h"

/* Whether [lba, lba + n) is readable and of one kind; *ret_audio tells which. */
static int range_readable(const EmuMedium *m, int32_t lba, uint32_t n, bool *ret_audio, int32_t *ret_bad)
{
        int64_t pos = lba, end = (int64_t) lba + n, stop;
        bool audio, kind = false;

        while (pos < end) {
                if (pos > INT32_MAX || emu_medium_readable(m, (int32_t) pos, &audio, &stop) < 0) {
                        *ret_bad = (int32_t) MIN(pos, (int64_t) INT32_MAX);
                        return -ERANGE;
                }
                if (pos == lba)
                        kind = audio;
                else if (audio != kind) {
                        *ret_bad = (int32_t) pos;
                        return -EMEDIUMTYPE;
                }
                pos = stop;
        }
        *ret_audio = kind;
        return 0;
}

static int read_blocks(EmuDrive *d, ScsiCommand *c, int32_t lba, uint32_t n, bool audio)
{
        size_t need = (size_t) n * (audio ? CD_RAW_SECTOR : DATA_SECTOR);
        const EmuFaultSense *f;
        int r;

        if (c->direction != TRANSPORT_DIRECTION_FROM_DEVICE || c->data_len < need)
                return -EINVAL;
        f = emu_faults_take_lba(&d->faults, true, lba, n);
        if (f)
                return emu_fail_lba(c, f->key, (uint16_t) (f->asc << 8 | f->ascq), f->lba);
        r = emu_backing_read(d->backing, audio, lba, c->data, n);
        if (r < 0)
                return emu_fail_lba(c, SK_MEDIUM_ERROR, ASC_UNRECOVERED_READ_ERROR, lba);
        c->transferred = need;
        return 0;
}

/* MMC-6 §6.16 / §6.17 */
int emu_cmd_read(EmuDrive *d, ScsiCommand *c)
{
        int32_t lba = (int32_t) cdb_u32(c, 2), bad = lba;
        uint32_t n = c->cdb[0] == 0x28 ? cdb_u16(c, 7) : cdb_u32(c, 6);
        bool audio = false;
        int r;

        if (emu_check_ready(d, c))
                return 0;
        if (n == 0)
                return 0;
        r = range_readable(d->medium, lba, n, &audio, &bad);
        if (r < 0)
                return emu_fail_lba(c, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, bad);
        if (audio) /* CD-DA sectors are read with READ CD */
                return emu_fail_lba(c, SK_ILLEGAL_REQUEST, ASC_ILLEGAL_MODE_FOR_TRACK, lba);
        return read_blocks(d, c, lba, n, false);
}

/* MMC-6 §6.19: user data only (CD-DA 2352 bytes, mode 1 2048 bytes), no C2 errors or sub-channels. */
int emu_cmd_read_cd(EmuDrive *d, ScsiCommand *c)
{
        uint8_t type = (c->cdb[1] >> 2) & 0x07, fields = c->cdb[9];
        int32_t lba = (int32_t) cdb_u32(c, 2), bad = lba;
        uint32_t n = cdb_u24(c, 6);
        bool audio = false;
        int r;

        if (c->cdb[10] & 0x07)
                return emu_fail_cdb(c, 10, 2);
        if (fields & 0x06)
                return emu_fail_cdb(c, 9, 2);
        if (emu_check_ready(d, c))
                return 0;
        if (!emu_medium_is_cd(d->medium))
                return emu_fail(c, SK_ILLEGAL_REQUEST, ASC_ILLEGAL_MODE_FOR_TRACK);
        if (n == 0 || fields == 0)
                return 0;
        r = range_readable(d->medium, lba, n, &audio, &bad);
        if (r < 0)
                return emu_fail_lba(c, SK_ILLEGAL_REQUEST,
                                    r == -ERANGE ? ASC_LBA_OUT_OF_RANGE : ASC_ILLEGAL_MODE_FOR_TRACK, bad);
        if (audio ? (type != 0 && type != 1) : (type != 0 && type != 2))
                return emu_fail_lba(c, SK_ILLEGAL_REQUEST, ASC_ILLEGAL_MODE_FOR_TRACK, lba);
        if (!(fields & 0x10) || (!audio && fields != 0x10))
                return emu_fail_cdb(c, 9, -1); /* only the user data field of data sectors */
        return read_blocks(d, c, lba, n, audio);
}

/* MMC-6 §6.25: formats 02h (media catalog number) and 03h (ISRC). */
int emu_cmd_read_sub_channel(EmuDrive *d, ScsiCommand *c)
{
        uint8_t p[24] = {}, format = c->cdb[3];
        const EmuMedium *m;
        const EmuTrack *t;

        if (emu_check_ready(d, c))
                return 0;
        m = d->medium;
        p[1] = 0x15;             /* audio status: none */
        if (!(c->cdb[2] & 0x40)) /* SubQ = 0: header only */
                return emu_reply(c, p, 4, cdb_u16(c, 7));
        if (!emu_medium_is_cd(m))
                return emu_fail(c, SK_ILLEGAL_REQUEST, ASC_CANNOT_READ_INCOMPATIBLE);
        be16_put(p + 2, 20);
        p[4] = format;
        if (format == 0x02) {
                if (m->mcn[0]) {
                        p[8] = 0x80;
                        memcpy(p + 9, m->mcn, 13);
                }
        } else if (format == 0x03) {
                t = emu_medium_track(m, c->cdb[6]);
                if (!t)
                        return emu_fail_cdb(c, 6, -1);
                p[5] = (uint8_t) (0x10 | t->ctl);
                p[6] = (uint8_t) t->number;
                if (t->isrc[0]) {
                        p[8] = 0x80;
                        memcpy(p + 9, t->isrc, 12);
                }
        } else
                return emu_fail_cdb(c, 3, -1);
        return emu_reply(c, p, sizeof(p), cdb_u16(c, 7));
}
