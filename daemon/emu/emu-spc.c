/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The SPC commands of the emulated drive and the MMC ones about the drive itself: TEST UNIT READY,
 * REQUEST SENSE, INQUIRY, MODE SENSE/SELECT (pages 01h, 05h, 2Ah), START STOP UNIT, PREVENT ALLOW MEDIUM
 * REMOVAL and GET EVENT STATUS NOTIFICATION. */
#include <string.h>

#include "bytes.h"
#include "emu-internal.h"
#include "macros.h"

/* SPC-4 §6.37 */
int emu_cmd_test_unit_ready(EmuDrive *d, ScsiCommand *c)
{
        if (emu_check_ready(d, c) && d->faults.becoming_ready > 0)
                d->faults.becoming_ready--;
        return 0;
}

/* SPC-4 §6.29: the pending unit attention, else the current NOT READY condition (with progress while
 * formatting or blanking), else NO SENSE. */
int emu_cmd_request_sense(EmuDrive *d, ScsiCommand *c)
{
        uint8_t sense[18], key;
        uint16_t asc, value;
        bool progress;

        if (c->cdb[1] & 0x01) /* DESC: descriptor format is not supported */
                return emu_fail_cdb(c, 1, 0);
        if (d->ua_pending) {
                d->ua_pending = false;
                emu_sense_build(sense, SK_UNIT_ATTENTION, ASC_MEDIUM_CHANGED, false, 0);
        } else if (emu_drive_not_ready(d, &key, &asc, &progress, &value))
                emu_sense_build(sense, key, asc, progress, value);
        else
                emu_sense_build(sense, SK_NO_SENSE, ASC_NONE, false, 0);
        return emu_reply(c, sense, sizeof(sense), c->cdb[4]);
}

/* SPC-4 §7.8.5 / §7.8.6: VPD pages 00h, 80h (unit serial number), 83h (device identification). */
static int inquiry_vpd(EmuDrive *d, ScsiCommand *c, uint8_t page, size_t alloc)
{
        uint8_t p[128] = {0x05, page};
        size_t n, len;

        switch (page) {
        case 0x00:
                p[3] = 3;
                p[4] = 0x00;
                p[5] = 0x80;
                p[6] = 0x83;
                n = 7;
                break;
        case 0x80:
                len = strlen(d->serial);
                p[3] = (uint8_t) len;
                memcpy(p + 4, d->serial, len);
                n = 4 + len;
                break;
        case 0x83:
                len = 8 + 16 + strlen(d->serial);
                p[4] = 0x02; /* code set ASCII */
                p[5] = 0x01; /* association: logical unit, type: T10 vendor ID */
                p[7] = (uint8_t) len;
                memcpy(p + 8, d->vendor, 8);
                memcpy(p + 16, d->product, 16);
                memcpy(p + 32, d->serial, strlen(d->serial));
                p[3] = (uint8_t) (4 + len);
                n = 8 + len;
                break;
        default:
                return emu_fail_cdb(c, 2, -1);
        }
        return emu_reply(c, p, n, alloc);
}

/* SPC-4 §6.4 */
int emu_cmd_inquiry(EmuDrive *d, ScsiCommand *c)
{
        uint8_t p[36] = {};
        size_t alloc = cdb_u16(c, 3);

        if (c->cdb[1] & 0x01)
                return inquiry_vpd(d, c, c->cdb[2], alloc);
        if (c->cdb[2] != 0)
                return emu_fail_cdb(c, 2, -1);
        p[0] = 0x05; /* peripheral device type: CD/DVD (MMC) */
        p[1] = 0x80; /* RMB: removable medium */
        p[2] = 0x05; /* SPC-3 */
        p[3] = 0x02; /* response data format 2 */
        p[4] = sizeof(p) - 5;
        memcpy(p + 8, d->vendor, 8);
        memcpy(p + 16, d->product, 16);
        memcpy(p + 32, d->revision, 4);
        return emu_reply(c, p, sizeof(p), alloc);
}

/* ---- Mode pages ---- */

#define PAGE05_LEN 52

typedef enum PageControl {
        PAGE_CURRENT = 0,
        PAGE_CHANGEABLE = 1,
        PAGE_DEFAULT = 2,
        PAGE_SAVED = 3,
} PageControl;

static void put_padded(uint8_t *p, const char *s, size_t width)
{
        size_t n = strlen(s);

        memcpy(p, s, MIN(n, width));
}

static void page05_build(const EmuWriteParams *wp, uint8_t p[PAGE05_LEN])
{
        memset(p, 0, PAGE05_LEN);
        p[0] = 0x05;
        p[1] = PAGE05_LEN - 2;
        p[2] = (wp->bufe ? 0x40 : 0) | (wp->ls_v ? 0x20 : 0) | (wp->test_write ? 0x10 : 0) | wp->write_type;
        p[3] = (uint8_t) (wp->multisession << 6) | (wp->fp ? 0x20 : 0) | (wp->copy ? 0x10 : 0) |
               wp->track_mode;
        p[4] = wp->data_block_type;
        p[5] = wp->link_size;
        p[7] = wp->app_code;
        p[8] = wp->session_format;
        be32_put(p + 10, wp->packet_size);
        be16_put(p + 14, wp->audio_pause);
        if (wp->mcn[0]) {
                p[16] = 0x80; /* MCVAL */
                put_padded(p + 17, wp->mcn, 13);
        }
        if (wp->isrc[0]) {
                p[32] = 0x80; /* TCVAL */
                put_padded(p + 33, wp->isrc, 12);
        }
        memcpy(p + 48, wp->subheader, 4);
}

static void page05_changeable(const EmuDrive *d, uint8_t p[PAGE05_LEN])
{
        memset(p, 0, PAGE05_LEN);
        p[0] = 0x05;
        p[1] = PAGE05_LEN - 2;
        p[2] = (d->bufe_capable ? 0x40 : 0) | 0x3f;
        p[3] = 0xff;
        p[4] = 0x0f;
        p[5] = 0xff;
        p[7] = 0x3f;
        p[8] = 0xff;
        memset(p + 10, 0xff, 6);
        memset(p + 16, 0xff, 36);
}

static size_t page_build(EmuDrive *d, uint8_t code, PageControl pc, uint8_t *p)
{
        switch (code) {
        case 0x01:
                memcpy(p, d->error_page, 12);
                if (pc == PAGE_CHANGEABLE) {
                        memset(p + 2, 0, 10);
                        p[2] = p[3] = p[8] = 0xff;
                        p[10] = p[11] = 0xff;
                }
                return 12;
        case 0x05:
                if (pc == PAGE_CHANGEABLE)
                        page05_changeable(d, p);
                else if (pc == PAGE_DEFAULT) {
                        EmuWriteParams saved = d->wp;

                        emu_drive_default_write_params(d);
                        page05_build(&d->wp, p);
                        d->wp = saved;
                } else
                        page05_build(&d->wp, p);
                return PAGE05_LEN;
        case 0x2a: {
                size_t n = emu_page_capabilities(d, p);

                if (pc == PAGE_CHANGEABLE)
                        memset(p + 2, 0, n - 2);
                return n;
        }
        default:
                return 0;
        }
}

/* SPC-4 §6.11 / §6.12; pages: MMC-6 §7 */
int emu_cmd_mode_sense(EmuDrive *d, ScsiCommand *c)
{
        static const uint8_t all[] = {0x01, 0x05, 0x2a};
        bool ten = c->cdb[0] == 0x5a;
        PageControl pc = c->cdb[2] >> 6;
        uint8_t code = c->cdb[2] & 0x3f, subpage = c->cdb[3], buf[512] = {};
        size_t hdr = ten ? 8 : 4, n = hdr, alloc = ten ? cdb_u16(c, 7) : c->cdb[4];

        if (pc == PAGE_SAVED)
                return emu_fail(c, SK_ILLEGAL_REQUEST, ASC_SAVING_NOT_SUPPORTED);
        if (subpage != 0x00 && !(subpage == 0xff && code == 0x3f))
                return emu_fail_cdb(c, 3, -1);
        if (code == 0x3f) {
                for (size_t i = 0; i < ELEMENTSOF(all); i++)
                        n += page_build(d, all[i], pc, buf + n);
        } else {
                size_t len = page_build(d, code, pc, buf + hdr);

                if (len == 0)
                        return emu_fail_cdb(c, 2, 5);
                n += len;
        }
        if (ten)
                be16_put(buf, (uint16_t) (n - 2));
        else
                buf[0] = (uint8_t) (n - 1);
        return emu_reply(c, buf, n, alloc);
}

static bool chars_valid(const uint8_t *p, size_t n, bool letters)
{
        for (size_t i = 0; i < n; i++)
                if (!g_ascii_isdigit(p[i]) && !(letters && g_ascii_isupper(p[i])))
                        return false;
        return true;
}

/* Which write types a medium takes (MMC-6 §7.5.4.4). */
static bool write_type_valid(const EmuMedium *m, uint8_t wt)
{
        if (!m)
                return wt <= EMU_WRITE_TYPE_SAO;
        if (emu_medium_is_cd(m))
                return wt == EMU_WRITE_TYPE_TAO || wt == EMU_WRITE_TYPE_SAO;
        switch (m->profile) {
        case 0x0011:
        case 0x0014:
        case 0x0015:
                return wt == EMU_WRITE_TYPE_SAO || (wt == EMU_WRITE_TYPE_PACKET && !m->dao_only);
        default:
                return true; /* DVD+R, BD-R and overwrite media ignore page 05h */
        }
}

/* MMC-6 §7.5: parses and checks page 05h at p (len bytes) that starts at byte 'off' of the parameter list.
 */
static int page05_parse(EmuDrive *d, ScsiCommand *c, const uint8_t *p, size_t len, unsigned off)
{
        const EmuMedium *m = d->medium;
        EmuWriteParams wp = {};

        if (len < PAGE05_LEN)
                return emu_fail_param(c, off + 1);
        wp.bufe = p[2] & 0x40;
        wp.ls_v = p[2] & 0x20;
        wp.test_write = p[2] & 0x10;
        wp.write_type = p[2] & 0x0f;
        wp.multisession = p[3] >> 6;
        wp.fp = p[3] & 0x20;
        wp.copy = p[3] & 0x10;
        wp.track_mode = p[3] & 0x0f;
        wp.data_block_type = p[4] & 0x0f;
        wp.link_size = p[5];
        wp.app_code = p[7] & 0x3f;
        wp.session_format = p[8];
        wp.packet_size = (uint32_t) p[10] << 24 | (uint32_t) p[11] << 16 | (uint32_t) p[12] << 8 | p[13];
        wp.audio_pause = (uint16_t) (p[14] << 8 | p[15]);
        memcpy(wp.subheader, p + 48, 4);

        if ((wp.bufe && !d->bufe_capable) || !write_type_valid(m, wp.write_type) ||
            (wp.test_write && m && !(m->info->flags & EMU_PROFILE_TEST_WRITE)))
                return emu_fail_param(c, off + 2);
        if (wp.multisession == 2)
                return emu_fail_param(c, off + 3);
        /* TAO on CD: audio (CONTROL bit 2 clear) takes raw 2352-byte blocks, data mode 1 2048-byte ones. */
        if ((!m || emu_medium_is_cd(m)) && wp.write_type == EMU_WRITE_TYPE_TAO &&
            !((wp.track_mode & 0x4) ? wp.data_block_type == 8 : wp.data_block_type == 0))
                return emu_fail_param(c, off + 4);
        /* SAO: no raw P-W sub-channel blocks (R96/R16); CD-TEXT goes through the lead-in instead */
        if ((!m || emu_medium_is_cd(m)) && wp.write_type == EMU_WRITE_TYPE_SAO && wp.data_block_type != 0 &&
            wp.data_block_type != 8)
                return emu_fail_param(c, off + 4);
        if (wp.session_format != 0x00 && wp.session_format != 0x10 && wp.session_format != 0x20)
                return emu_fail_param(c, off + 8);
        if (p[16] & 0x80) {
                if (!chars_valid(p + 17, 13, false))
                        return emu_fail_param(c, off + 17);
                memcpy(wp.mcn, p + 17, 13);
        }
        if (p[32] & 0x80) {
                if (!chars_valid(p + 33, 12, true))
                        return emu_fail_param(c, off + 33);
                memcpy(wp.isrc, p + 33, 12);
        }
        if (d->wp.test_write && !wp.test_write)
                emu_drive_end_simulation(d);
        if (wp.write_type != EMU_WRITE_TYPE_SAO)
                d->sao = emu_sao_plan_free(d->sao);
        d->wp = wp;
        return 0;
}

static int page01_parse(EmuDrive *d, ScsiCommand *c, const uint8_t *p, size_t len, unsigned off)
{
        if (len != 12)
                return emu_fail_param(c, off + 1);
        memcpy(d->error_page + 2, p + 2, 10);
        return 0;
}

/* SPC-4 §6.9 / §6.10 */
int emu_cmd_mode_select(EmuDrive *d, ScsiCommand *c)
{
        bool ten = c->cdb[0] == 0x55;
        size_t len = ten ? cdb_u16(c, 7) : c->cdb[4], hdr = ten ? 8 : 4, off, bdl;
        const uint8_t *data;

        if (c->cdb[1] & 0x01) /* SP: saving pages is not supported */
                return emu_fail_cdb(c, 1, 0);
        data = emu_data_out(c, len);
        if (!data)
                return -EINVAL;
        if (len == 0)
                return 0;
        if (len < hdr)
                return emu_fail(c, SK_ILLEGAL_REQUEST, ASC_PARAMETER_LIST_LENGTH_ERROR);
        /* one 8-byte block descriptor is taken and ignored: the block size follows the medium (wodim
         * sets 2048 after writing) */
        bdl = ten ? (size_t) (data[6] << 8 | data[7]) : data[3];
        if ((bdl != 0 && bdl != 8) || hdr + bdl > len)
                return emu_fail_param(c, ten ? 6 : 3);
        for (off = hdr + bdl; off < len;) {
                uint8_t code = data[off] & 0x3f;
                size_t plen;
                int r;

                if (off + 2 > len || off + 2 + data[off + 1] > len)
                        return emu_fail(c, SK_ILLEGAL_REQUEST, ASC_PARAMETER_LIST_LENGTH_ERROR);
                plen = 2 + data[off + 1];
                if (code == 0x05)
                        r = page05_parse(d, c, data + off, plen, off);
                else if (code == 0x01)
                        r = page01_parse(d, c, data + off, plen, off);
                else
                        r = emu_fail_param(c, off);
                if (r < 0 || c->status != SCSI_STATUS_GOOD)
                        return r;
                off += plen;
        }
        return 0;
}

/* ---- Tray ---- */

static void tray_eject(EmuDrive *d)
{
        if (d->tray_open)
                return;
        d->tray_open = true;
        if (d->medium)
                d->media_event = 3; /* MediaRemoval */
        emu_drive_end_simulation(d);
        d->sao = emu_sao_plan_free(d->sao);
        emu_throttle_stop(&d->throttle, g_get_monotonic_time());
        d->generation++;
        g_cond_broadcast(&d->cond);
        emu_drive_mark_dirty(d);
}

static void tray_load(EmuDrive *d)
{
        if (!d->tray_open)
                return;
        d->tray_open = false;
        if (d->medium) {
                d->ua_pending = true;
                d->media_event = 2; /* NewMedia */
        }
        d->generation++;
        emu_drive_mark_dirty(d);
}

/* MMC-6 §6.39 */
int emu_cmd_start_stop_unit(EmuDrive *d, ScsiCommand *c)
{
        bool loej = c->cdb[4] & 0x02, start = c->cdb[4] & 0x01;
        uint8_t key;
        uint16_t asc, value;
        bool progress;

        if (c->cdb[4] >> 4) /* a power condition: accepted, nothing to do */
                return 0;
        if (!loej) {
                if (start)
                        (void) emu_check_ready(d, c);
                return 0;
        }
        if (emu_drive_not_ready(d, &key, &asc, &progress, &value) && progress) {
                (void) emu_check_ready(d, c); /* no tray movement while blanking or formatting */
                return 0;
        }
        if (start) {
                tray_load(d);
                return 0;
        }
        if (d->prevent)
                return emu_fail(c, SK_ILLEGAL_REQUEST, ASC_REMOVAL_PREVENTED);
        tray_eject(d);
        return 0;
}

/* MMC-6 §6.14 (SPC-4 §6.13) */
int emu_cmd_prevent_allow(EmuDrive *d, ScsiCommand *c)
{
        d->prevent = c->cdb[4] & 0x01;
        return 0;
}

/* MMC-6 §6.7: polled only, Media class events. */
int emu_cmd_get_event_status(EmuDrive *d, ScsiCommand *c)
{
        uint8_t p[8] = {};
        size_t alloc = cdb_u16(c, 7);

        if (!(c->cdb[1] & 0x01)) /* asynchronous operation is not supported */
                return emu_fail_cdb(c, 1, 0);
        p[3] = 0x10; /* supported classes: media */
        if (!(c->cdb[4] & 0x10)) {
                be16_put(p, 2);
                p[2] = 0x80; /* NEA */
                return emu_reply(c, p, 4, alloc);
        }
        be16_put(p, 6);
        p[2] = 0x04; /* media class */
        p[4] = d->media_event;
        p[5] = (emu_drive_has_medium(d) ? 0x02 : 0) | (d->tray_open ? 0x01 : 0);
        if (alloc >= sizeof(p))
                d->media_event = 0;
        return emu_reply(c, p, sizeof(p), alloc);
}
