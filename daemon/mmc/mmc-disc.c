/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Disc, track, TOC and capacity queries and their parsers. */
#include <errno.h>

#include "bytes.h"
#include "cdb.h"
#include "imapi-error.h"
#include "macros.h"
#include "mmc-command.h"
#include "mmc-disc.h"

int32_t mmc_msf_to_lba(uint8_t m, uint8_t s, uint8_t f)
{
        int32_t frames = ((int32_t) m * 60 + s) * 75 + f;
        return m >= 90 ? frames - 450150 : frames - 150;
}

/* The end of a response whose first two bytes count the bytes after them. */
static int response_end16(const uint8_t *buf, size_t len, size_t *ret_end)
{
        uint16_t dlen;

        if (be16_read(buf, len, 0, &dlen) < 0)
                return -EBADMSG;
        *ret_end = MIN(len, (size_t) dlen + 2);
        return 0;
}

/* Runs a data-in command into a zeroed buffer and parses the answer with parse(). */
typedef int (*ParseFunc)(const uint8_t *buf, size_t len, void *ret);

static int query(Transport *t, ScsiCommand *cmd, ParseFunc parse, void *ret)
{
        int r;

        memset(cmd->data, 0, cmd->data_len);
        r = mmc_execute(t, cmd);
        if (r < 0)
                return r;
        r = parse(cmd->data, mmc_data_len(cmd), ret);
        return r < 0 ? -IMAPI_ERROR_RECORDER_INVALID_RESPONSE_FROM_DEVICE : 0;
}

/* ---- READ DISC INFORMATION (MMC-6 §6.21) ------------------------------------------------------ */

int mmc_disc_info_parse(const uint8_t *buf, size_t len, MmcDiscInfo *ret)
{
        MmcDiscInfo d = {};
        uint8_t b[12] = {};
        size_t end;

        if (response_end16(buf, len, &end) < 0 || end < 7)
                return -EBADMSG;
        (void) bytes_read(buf, end, 0, b, MIN(end, sizeof(b)));

        d.erasable = b[2] & 0x10;
        d.last_session_state = (b[2] >> 2) & 0x3;
        d.disc_status = b[2] & 0x3;
        d.first_track = b[3];
        d.sessions = (uint16_t) (b[9] << 8 | b[4]);
        d.first_track_last_session = (uint16_t) (b[10] << 8 | b[5]);
        d.last_track_last_session = (uint16_t) (b[11] << 8 | b[6]);
        d.did_valid = b[7] & 0x80;
        d.dbc_valid = b[7] & 0x40;
        d.uru = b[7] & 0x20;
        d.dac_valid = b[7] & 0x10;
        d.dbit = b[7] & 0x04;
        d.bg_format_status = b[7] & 0x3;
        d.disc_type = end > 8 ? b[8] : 0xff;
        (void) be32_read(buf, end, 12, &d.disc_id);
        (void) be32_read(buf, end, 16, &d.last_session_lead_in);
        (void) be32_read(buf, end, 20, &d.last_possible_lead_out);
        (void) u8_read(buf, end, 32, &d.disc_application_code);
        *ret = d;
        return 0;
}

static int disc_info_parse_void(const uint8_t *buf, size_t len, void *ret)
{
        return mmc_disc_info_parse(buf, len, ret);
}

int mmc_read_disc_information(Transport *t, MmcDiscInfo *ret)
{
        uint8_t buf[34];
        ScsiCommand cmd;

        cdb_read_disc_information(&cmd, buf, sizeof(buf));
        return query(t, &cmd, disc_info_parse_void, ret);
}

/* ---- READ TRACK INFORMATION (MMC-6 §6.26) ----------------------------------------------------- */

int mmc_track_info_parse(const uint8_t *buf, size_t len, MmcTrackInfo *ret)
{
        MmcTrackInfo ti = {};
        uint8_t b[8] = {}, msb = 0;
        size_t end;

        if (response_end16(buf, len, &end) < 0 || end < 28)
                return -EBADMSG;
        (void) bytes_read(buf, end, 0, b, sizeof(b));
        ti.track = b[2];
        ti.session = b[3];
        ti.damage = b[5] & 0x20;
        ti.copy = b[5] & 0x10;
        ti.track_mode = b[5] & 0x0f;
        ti.rt = b[6] & 0x80;
        ti.blank = b[6] & 0x40;
        ti.packet = b[6] & 0x20;
        ti.fp = b[6] & 0x10;
        ti.data_mode = b[6] & 0x0f;
        ti.lra_valid = b[7] & 0x02;
        ti.nwa_valid = b[7] & 0x01;
        (void) be32_read(buf, end, 8, &ti.start);
        (void) be32_read(buf, end, 12, &ti.nwa);
        (void) be32_read(buf, end, 16, &ti.free_blocks);
        (void) be32_read(buf, end, 20, &ti.fixed_packet_size);
        (void) be32_read(buf, end, 24, &ti.size);
        (void) be32_read(buf, end, 28, &ti.last_recorded);
        if (u8_read(buf, end, 32, &msb) >= 0)
                ti.track |= (uint16_t) (msb << 8);
        if (u8_read(buf, end, 33, &msb) >= 0)
                ti.session |= (uint16_t) (msb << 8);
        (void) be32_read(buf, end, 36, &ti.read_compat_lba);
        *ret = ti;
        return 0;
}

static int track_info_parse_void(const uint8_t *buf, size_t len, void *ret)
{
        return mmc_track_info_parse(buf, len, ret);
}

int mmc_read_track_information(Transport *t, uint8_t address_type, uint32_t address, MmcTrackInfo *ret)
{
        uint8_t buf[48];
        ScsiCommand cmd;

        cdb_read_track_information(&cmd, address_type, address, buf, sizeof(buf));
        return query(t, &cmd, track_info_parse_void, ret);
}

/* ---- READ TOC/PMA/ATIP (MMC-6 §6.25) ---------------------------------------------------------- */

int mmc_toc_parse(const uint8_t *buf, size_t len, MmcToc *ret)
{
        g_autofree MmcToc *toc = g_new0(MmcToc, 1);
        size_t end;

        if (response_end16(buf, len, &end) < 0 || u8_read(buf, end, 2, &toc->first_track) < 0 ||
            u8_read(buf, end, 3, &toc->last_track) < 0)
                return -EBADMSG;
        for (size_t off = 4; off + 8 <= end && toc->n < MMC_TOC_TRACKS_MAX; off += 8) {
                MmcTocEntry *e = &toc->entries[toc->n++];
                uint8_t p[8] = {};

                (void) bytes_read(buf, end, off, p, sizeof(p));
                e->adr = p[1] >> 4;
                e->control = p[1] & 0x0f;
                e->track = p[2];
                (void) be32_read(p, sizeof(p), 4, &e->address);
        }
        *ret = *toc;
        return 0;
}

static int toc_parse_void(const uint8_t *buf, size_t len, void *ret)
{
        return mmc_toc_parse(buf, len, ret);
}

int mmc_read_toc(Transport *t, MmcToc *ret)
{
        uint8_t buf[4 + 8 * MMC_TOC_TRACKS_MAX];
        ScsiCommand cmd;

        cdb_read_toc_pma_atip(&cmd, 0, false, 1, buf, sizeof(buf));
        return query(t, &cmd, toc_parse_void, ret);
}

int mmc_session_info_parse(const uint8_t *buf, size_t len, MmcSessionInfo *ret)
{
        MmcSessionInfo s = {};
        uint8_t p[12];
        size_t end;

        if (response_end16(buf, len, &end) < 0 || bytes_read(buf, end, 0, p, sizeof(p)) < 0)
                return -EBADMSG;
        s.first_session = p[2];
        s.last_session = p[3];
        s.adr = p[5] >> 4;
        s.control = p[5] & 0x0f;
        s.first_track_last_session = p[6];
        (void) be32_read(p, sizeof(p), 8, &s.start);
        *ret = s;
        return 0;
}

static int session_info_parse_void(const uint8_t *buf, size_t len, void *ret)
{
        return mmc_session_info_parse(buf, len, ret);
}

int mmc_read_session_info(Transport *t, MmcSessionInfo *ret)
{
        uint8_t buf[12];
        ScsiCommand cmd;

        cdb_read_toc_pma_atip(&cmd, 1, false, 0, buf, sizeof(buf));
        return query(t, &cmd, session_info_parse_void, ret);
}

int mmc_full_toc_parse(const uint8_t *buf, size_t len, MmcFullToc *ret)
{
        g_autofree MmcFullToc *toc = g_new0(MmcFullToc, 1);
        size_t end;

        if (response_end16(buf, len, &end) < 0 || u8_read(buf, end, 2, &toc->first_session) < 0 ||
            u8_read(buf, end, 3, &toc->last_session) < 0)
                return -EBADMSG;
        for (size_t off = 4; off + 11 <= end && toc->n < MMC_FULL_TOC_MAX; off += 11) {
                uint8_t p[11] = {};

                (void) bytes_read(buf, end, off, p, sizeof(p));

                toc->entries[toc->n++] = (MmcFullTocEntry){
                        .session = p[0],
                        .adr = p[1] >> 4,
                        .control = p[1] & 0x0f,
                        .tno = p[2],
                        .point = p[3],
                        .min = p[4],
                        .sec = p[5],
                        .frame = p[6],
                        .zero = p[7],
                        .pmin = p[8],
                        .psec = p[9],
                        .pframe = p[10],
                };
        }
        *ret = *toc;
        return 0;
}

/* For variable-length formats: ask for the header, then for exactly what the drive has. */
static int read_toc_format_raw(Transport *t, uint8_t format, uint8_t **ret_buf, size_t *ret_len)
{
        uint8_t head[4] = {};
        g_autofree uint8_t *buf = NULL;
        ScsiCommand cmd;
        uint16_t dlen;
        int r;

        cdb_read_toc_pma_atip(&cmd, format, false, 0, head, sizeof(head));
        r = mmc_execute(t, &cmd);
        if (r < 0)
                return r;
        if (be16_read(head, mmc_data_len(&cmd), 0, &dlen) < 0 || dlen < 2)
                return -IMAPI_ERROR_RECORDER_INVALID_RESPONSE_FROM_DEVICE;

        buf = g_malloc0((size_t) dlen + 2);
        cdb_read_toc_pma_atip(&cmd, format, false, 0, buf, (size_t) dlen + 2);
        r = mmc_execute(t, &cmd);
        if (r < 0)
                return r;
        *ret_len = mmc_data_len(&cmd);
        *ret_buf = g_steal_pointer(&buf);
        return 0;
}

int mmc_read_full_toc(Transport *t, MmcFullToc *ret)
{
        g_autofree uint8_t *buf = NULL;
        size_t len;
        int r;

        r = read_toc_format_raw(t, 2, &buf, &len);
        if (r < 0)
                return r;
        r = mmc_full_toc_parse(buf, len, ret);
        return r < 0 ? -IMAPI_ERROR_RECORDER_INVALID_RESPONSE_FROM_DEVICE : 0;
}

int mmc_atip_parse(const uint8_t *buf, size_t len, MmcAtip *ret)
{
        MmcAtip a = {};
        uint8_t p[15];
        size_t end;

        if (response_end16(buf, len, &end) < 0 || bytes_read(buf, end, 0, p, sizeof(p)) < 0)
                return -EBADMSG;
        a.writing_power = (p[4] >> 4) & 0x7;
        a.ddcd = p[4] & 0x08;
        a.reference_speed = p[4] & 0x7;
        a.uru = p[5] & 0x40;
        a.rewritable = p[6] & 0x40;
        a.disc_sub_type = (p[6] >> 3) & 0x7;
        a.a1_valid = p[6] & 0x04;
        a.a2_valid = p[6] & 0x02;
        a.a3_valid = p[6] & 0x01;
        a.lead_in_start = mmc_msf_to_lba(p[8], p[9], p[10]);
        a.last_lead_out = mmc_msf_to_lba(p[12], p[13], p[14]);
        *ret = a;
        return 0;
}

static int atip_parse_void(const uint8_t *buf, size_t len, void *ret)
{
        return mmc_atip_parse(buf, len, ret);
}

int mmc_read_atip(Transport *t, MmcAtip *ret)
{
        uint8_t buf[32];
        ScsiCommand cmd;

        cdb_read_toc_pma_atip(&cmd, 4, false, 0, buf, sizeof(buf));
        return query(t, &cmd, atip_parse_void, ret);
}

int mmc_cd_text_parse(const uint8_t *buf, size_t len, MmcCdTextPacks *ret)
{
        size_t end;

        if (response_end16(buf, len, &end) < 0 || end < 4)
                return -EBADMSG;
        *ret = (MmcCdTextPacks){.n = (end - 4) / 18, .packs = buf + 4};
        return 0;
}

int mmc_read_cd_text(Transport *t, uint8_t **ret_buf, size_t *ret_len)
{
        return read_toc_format_raw(t, 5, ret_buf, ret_len);
}

/* ---- READ CAPACITY (MMC-6 §6.18), READ FORMAT CAPACITIES (MMC-6 §6.23) ------------------------- */

int mmc_capacity_parse(const uint8_t *buf, size_t len, MmcCapacity *ret)
{
        MmcCapacity c;

        if (be32_read(buf, len, 0, &c.last_lba) < 0 || be32_read(buf, len, 4, &c.block_length) < 0)
                return -EBADMSG;
        *ret = c;
        return 0;
}

static int capacity_parse_void(const uint8_t *buf, size_t len, void *ret)
{
        return mmc_capacity_parse(buf, len, ret);
}

int mmc_read_capacity(Transport *t, MmcCapacity *ret)
{
        uint8_t buf[8];
        ScsiCommand cmd;

        cdb_read_capacity(&cmd, buf, sizeof(buf));
        return query(t, &cmd, capacity_parse_void, ret);
}

int mmc_format_capacities_parse(const uint8_t *buf, size_t len, MmcFormatCapacities *ret)
{
        MmcFormatCapacities f = {};
        uint8_t list_len, b8;
        size_t end;

        if (u8_read(buf, len, 3, &list_len) < 0)
                return -EBADMSG;
        end = MIN(len, (size_t) 4 + list_len);
        if (be32_read(buf, end, 4, &f.current_blocks) < 0 || u8_read(buf, end, 8, &b8) < 0 ||
            be24_read(buf, end, 9, &f.current_block_length) < 0)
                return -EBADMSG;
        f.current_type = b8 & 0x3;
        for (size_t off = 12; off + 8 <= end && f.n < MMC_FORMAT_DESCRIPTORS_MAX; off += 8) {
                MmcFormatDescriptor *d = &f.formats[f.n++];
                uint8_t type = 0;

                (void) be32_read(buf, end, off, &d->blocks);
                (void) u8_read(buf, end, off + 4, &type);
                d->type = type >> 2;
                (void) be24_read(buf, end, off + 5, &d->parameter);
        }
        *ret = f;
        return 0;
}

static int format_capacities_parse_void(const uint8_t *buf, size_t len, void *ret)
{
        return mmc_format_capacities_parse(buf, len, ret);
}

int mmc_read_format_capacities(Transport *t, MmcFormatCapacities *ret)
{
        uint8_t buf[12 + 8 * MMC_FORMAT_DESCRIPTORS_MAX];
        ScsiCommand cmd;

        cdb_read_format_capacities(&cmd, buf, sizeof(buf));
        return query(t, &cmd, format_capacities_parse_void, ret);
}

const MmcFormatDescriptor *mmc_format_capacities_find(const MmcFormatCapacities *f, uint8_t type)
{
        for (size_t i = 0; i < f->n; i++)
                if (f->formats[i].type == type)
                        return &f->formats[i];
        return NULL;
}

/* ---- READ DISC STRUCTURE C0h (MMC-6 §6.22) ---------------------------------------------------- */

int mmc_write_protection_parse(const uint8_t *buf, size_t len, MmcWriteProtection *ret)
{
        size_t end;
        uint8_t b;

        if (response_end16(buf, len, &end) < 0 || u8_read(buf, end, 4, &b) < 0)
                return -EBADMSG;
        *ret = (MmcWriteProtection){
                .mswi = b & 0x08,
                .cwp = b & 0x04,
                .pwp = b & 0x02,
                .swpp = b & 0x01,
        };
        return 0;
}

static int write_protection_parse_void(const uint8_t *buf, size_t len, void *ret)
{
        return mmc_write_protection_parse(buf, len, ret);
}

int mmc_read_write_protection(Transport *t, uint8_t media_type, MmcWriteProtection *ret)
{
        uint8_t buf[8];
        ScsiCommand cmd;

        cdb_read_disc_structure(&cmd, media_type, 0, 0, 0xc0, buf, sizeof(buf));
        return query(t, &cmd, write_protection_parse_void, ret);
}

/* ---- GET EVENT STATUS NOTIFICATION (MMC-6 §6.6) ----------------------------------------------- */

#define EVENT_CLASS_MEDIA 4

int mmc_media_event_parse(const uint8_t *buf, size_t len, MmcMediaEvent *ret)
{
        MmcMediaEvent e = {};
        uint8_t b2, b4, b5;
        size_t end;

        if (response_end16(buf, len, &end) < 0 || u8_read(buf, end, 2, &b2) < 0 ||
            u8_read(buf, end, 3, &e.supported_classes) < 0)
                return -EBADMSG;
        e.nea = b2 & 0x80;
        e.notification_class = b2 & 0x7;
        if (!e.nea && e.notification_class == EVENT_CLASS_MEDIA) {
                if (u8_read(buf, end, 4, &b4) < 0 || u8_read(buf, end, 5, &b5) < 0)
                        return -EBADMSG;
                e.event_code = b4 & 0x0f;
                e.media_present = b5 & 0x02;
                e.tray_open = b5 & 0x01;
        }
        *ret = e;
        return 0;
}

static int media_event_parse_void(const uint8_t *buf, size_t len, void *ret)
{
        return mmc_media_event_parse(buf, len, ret);
}

int mmc_get_media_event(Transport *t, MmcMediaEvent *ret)
{
        uint8_t buf[8];
        ScsiCommand cmd;

        cdb_get_event_status_notification(&cmd, 1u << EVENT_CLASS_MEDIA, buf, sizeof(buf));
        return query(t, &cmd, media_event_parse_void, ret);
}
