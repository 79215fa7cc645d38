/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the emulated drive reports about the disc: READ DISC INFORMATION, READ TRACK INFORMATION,
 * READ TOC/PMA/ATIP, READ CAPACITY, READ FORMAT CAPACITIES and READ DISC STRUCTURE. */
#include <string.h>

#include "bytes.h"
#include "emu-internal.h"
#include "macros.h"

/* The pregap a new CD track gets with the current write parameters: the audio pause length for audio,
 * 2 s for data (MMC-6 §7.5.4.14). */
static uint32_t cd_pregap(const EmuDrive *d)
{
        return (d->wp.track_mode & 0x4) ? CD_PREGAP : d->wp.audio_pause;
}

static uint8_t session_format(const EmuMedium *m)
{
        const EmuSession *s = emu_medium_session(m, 1);

        return s && emu_medium_is_cd(m) ? s->format : 0;
}

/* ---- READ DISC INFORMATION (MMC-6 §6.22) ---- */

static void disc_info_tracks(EmuDrive *d, const EmuMedium *m, unsigned *ret_sessions, unsigned *ret_first,
                             unsigned *ret_last)
{
        EmuTrack inv;
        const EmuTrack *last = emu_medium_last_track(m);

        if (emu_medium_overwrite(m)) {
                *ret_sessions = *ret_first = *ret_last = 1;
                return;
        }
        if (m->finalized) {
                const EmuSession *s = emu_medium_session(m, emu_medium_n_sessions(m));

                *ret_sessions = emu_medium_n_sessions(m);
                *ret_first = s ? s->first_track : 1;
                *ret_last = s ? s->last_track : 1;
                return;
        }
        *ret_sessions = emu_medium_n_sessions(m) + 1;
        *ret_last =
                emu_medium_invisible_track(m, cd_pregap(d), &inv) ? inv.number : (last ? last->number : 1);
        *ret_first = *ret_last;
        for (unsigned i = 0; i < emu_medium_n_tracks(m); i++) {
                const EmuTrack *t = &g_array_index(m->tracks, EmuTrack, i);

                if (t->session == emu_medium_open_session(m)) {
                        *ret_first = t->number;
                        break;
                }
        }
}

int emu_cmd_read_disc_information(EmuDrive *d, ScsiCommand *c)
{
        uint8_t p[34] = {};
        const EmuMedium *m;
        unsigned sessions, first, last;
        bool cd;

        if (c->cdb[1] & 0x07) /* only standard disc information */
                return emu_fail_cdb(c, 1, 2);
        if (emu_check_ready(d, c))
                return 0;
        m = emu_drive_medium(d);
        cd = emu_medium_is_cd(m);
        disc_info_tracks(d, m, &sessions, &first, &last);
        be16_put(p, sizeof(p) - 2);
        p[2] = ((m->info->flags & EMU_PROFILE_ERASABLE) ? 0x10 : 0) |
               (uint8_t) (emu_medium_last_session_state(m) << 2) | emu_medium_disc_status(m);
        p[3] = 1;
        p[4] = sessions & 0xff;
        p[5] = first & 0xff;
        p[6] = last & 0xff;
        p[7] = 0x20 | (emu_medium_overwrite(m) ? m->bg_format : 0); /* URU, BG format status */
        p[8] = session_format(m);
        p[9] = sessions >> 8;
        p[10] = first >> 8;
        p[11] = last >> 8;
        if (emu_medium_sequential(m) && m->finalized) {
                be32_put(p + 16, 0xffffffff);
                be32_put(p + 20, 0xffffffff);
        } else if (emu_medium_sequential(m)) {
                emu_put_address(p + 16, emu_medium_open_session_leadin(m), cd);
                emu_put_address(p + 20, (int32_t) m->capacity, cd);
        } else
                be32_put(p + 20, m->formatted ? m->formatted : m->capacity);
        return emu_reply(c, p, sizeof(p), cdb_u16(c, 7));
}

/* ---- READ TRACK INFORMATION (MMC-6 §6.27) ---- */

/* Overwrite media show one track over the formatted area. */
static EmuTrack overwrite_track(const EmuMedium *m)
{
        return (EmuTrack){
                .number = 1,
                .session = 1,
                .size = m->formatted ? m->formatted : m->capacity,
                .written = m->formatted ? m->formatted : 0,
                .ctl = 4,
                .data_mode = 1,
                .state = m->formatted ? EMU_TRACK_COMPLETE : EMU_TRACK_OPEN,
        };
}

static int find_track(EmuDrive *d, const EmuMedium *m, uint8_t type, uint32_t addr, EmuTrack *ret)
{
        EmuTrack inv;
        bool has_inv = emu_medium_invisible_track(m, cd_pregap(d), &inv);
        const EmuTrack *t = NULL;

        if (emu_medium_overwrite(m)) {
                *ret = overwrite_track(m);
                if ((type == 0 && addr < ret->size) || (type != 0 && (addr == 1 || addr == 0xff)))
                        return 0;
                return -ENOENT;
        }
        if (type == 0) {
                t = emu_medium_track_at(m, (int32_t) addr);
                if (!t && has_inv && (int32_t) addr >= inv.start && (int32_t) addr < emu_medium_limit(m))
                        t = &inv;
        } else if (type == 1) {
                if (addr == 0xff || (has_inv && addr == inv.number))
                        t = has_inv ? &inv : NULL;
                else
                        t = emu_medium_track(m, addr);
        } else {
                for (unsigned i = 0; !t && i < emu_medium_n_tracks(m); i++)
                        if (g_array_index(m->tracks, EmuTrack, i).session == addr)
                                t = &g_array_index(m->tracks, EmuTrack, i);
                if (!t && has_inv && inv.session == addr)
                        t = &inv;
        }
        if (!t)
                return -ENOENT;
        *ret = *t;
        return 0;
}

static bool track_writable(const EmuTrack *t)
{
        if (t->damaged || t->state == EMU_TRACK_COMPLETE)
                return false;
        return t->state != EMU_TRACK_RESERVED || t->written < t->size;
}

static void track_info_build(EmuDrive *d, const EmuMedium *m, const EmuTrack *t, uint8_t p[48])
{
        bool open = t->state != EMU_TRACK_COMPLETE, nwa_v = track_writable(t) && emu_medium_sequential(m);
        bool dvd_minus = m->profile == 0x0011 || m->profile == 0x0014 || m->profile == 0x0015;
        bool packet = open && dvd_minus && d->wp.write_type == EMU_WRITE_TYPE_PACKET && !m->dao_only;
        int32_t limit = emu_medium_limit(m);
        uint8_t mode = t->ctl;
        uint32_t size = t->size;

        if (t->state == EMU_TRACK_OPEN && emu_medium_sequential(m)) {
                size = (uint32_t) MAX(limit - t->start, 0);
                if (t->written == 0)
                        mode = emu_medium_is_cd(m) || dvd_minus ? d->wp.track_mode : 4;
        }
        memset(p, 0, 48);
        be16_put(p, 46);
        p[2] = t->number & 0xff;
        p[3] = t->session & 0xff;
        p[5] = (t->damaged ? 0x20 : 0) | (mode & 0x0f);
        p[6] = (t->state == EMU_TRACK_RESERVED ? 0x80 : 0) | (open && t->written == 0 ? 0x40 : 0) |
               (packet ? 0x30 : 0) | (t->data_mode & 0x0f);
        p[7] = (t->written > 0 ? 0x02 : 0) | (nwa_v ? 0x01 : 0);
        be32_put(p + 8, (uint32_t) t->start);
        if (nwa_v) {
                be32_put(p + 12, (uint32_t) emu_track_nwa(t));
                be32_put(p + 16, t->state == EMU_TRACK_RESERVED
                                         ? t->size - t->written
                                         : (uint32_t) MAX(limit - emu_track_nwa(t), 0));
        }
        be32_put(p + 20, packet ? 16 : (emu_medium_is_cd(m) ? 0 : m->info->align));
        be32_put(p + 24, size);
        if (t->written > 0)
                be32_put(p + 28, (uint32_t) (emu_track_nwa(t) - 1));
        p[32] = t->number >> 8;
        p[33] = t->session >> 8;
}

int emu_cmd_read_track_information(EmuDrive *d, ScsiCommand *c)
{
        uint8_t type = c->cdb[1] & 0x03, p[48];
        uint32_t addr = cdb_u32(c, 2);
        EmuTrack t;

        if (type == 3)
                return emu_fail_cdb(c, 1, 1);
        if (emu_check_ready(d, c))
                return 0;
        if (find_track(d, emu_drive_medium(d), type, addr, &t) < 0)
                return emu_fail_cdb(c, 2, -1);
        track_info_build(d, emu_drive_medium(d), &t, p);
        return emu_reply(c, p, sizeof(p), cdb_u16(c, 7));
}

/* ---- READ TOC/PMA/ATIP (MMC-6 §6.26) ---- */

/* Tracks of the closed sessions (what the TOC holds). */
static unsigned toc_last_track(const EmuMedium *m)
{
        const EmuSession *s = emu_medium_session(m, emu_medium_n_sessions(m));

        return s ? s->last_track : 0;
}

static void toc_descriptor(GByteArray *a, uint8_t ctl, uint8_t number, int32_t lba, bool msf)
{
        uint8_t e[8] = {0, (uint8_t) (0x10 | (ctl & 0x0f)), number};

        emu_put_address(e + 4, lba, msf);
        g_byte_array_append(a, e, sizeof(e));
}

static int toc_formatted(EmuDrive *d, ScsiCommand *c, const EmuMedium *m, GByteArray *a)
{
        bool msf = c->cdb[1] & 0x02;
        uint8_t start = c->cdb[6], last_ctl = 4;
        unsigned first = 1, last = toc_last_track(m);
        int32_t leadout = emu_medium_last_leadout(m);

        if (emu_medium_overwrite(m)) {
                if (m->formatted == 0)
                        return emu_fail_cdb(c, 2, -1);
                last = 1;
                leadout = (int32_t) m->formatted;
        } else if (last == 0)
                return emu_fail_cdb(c, 2, -1); /* no complete session */
        if (start > last && start != 0xaa)
                return emu_fail_cdb(c, 6, -1);
        a->data[2] = (uint8_t) first;
        a->data[3] = (uint8_t) last;
        for (unsigned n = MAX(start, 1u); n <= last && start != 0xaa; n++) {
                const EmuTrack *t = emu_medium_track(m, n);

                if (emu_medium_overwrite(m))
                        toc_descriptor(a, 4, 1, 0, msf);
                else if (t)
                        toc_descriptor(a, t->ctl, (uint8_t) n, t->start, msf);
        }
        if (!emu_medium_overwrite(m) && emu_medium_track(m, last))
                last_ctl = emu_medium_track(m, last)->ctl;
        toc_descriptor(a, last_ctl, 0xaa, leadout, msf);
        return 0;
}

static int toc_session_info(ScsiCommand *c, const EmuMedium *m, GByteArray *a)
{
        unsigned n = emu_medium_n_sessions(m);
        const EmuSession *s = emu_medium_session(m, n);
        const EmuTrack *t;

        if (emu_medium_overwrite(m)) {
                a->data[2] = a->data[3] = 1;
                toc_descriptor(a, 4, 1, 0, c->cdb[1] & 0x02);
                return 0;
        }
        if (!s)
                return emu_fail_cdb(c, 2, -1);
        t = emu_medium_track(m, s->first_track);
        a->data[2] = 1;
        a->data[3] = (uint8_t) n;
        toc_descriptor(a, t ? t->ctl : 4, (uint8_t) s->first_track, t ? t->start : 0, c->cdb[1] & 0x02);
        return 0;
}

/* One 11-byte descriptor of the full TOC (MMC-6 Table 489). */
static void full_toc_entry(GByteArray *a, uint8_t session, uint8_t adr_ctl, uint8_t point,
                           const uint8_t msf[3], uint8_t zero, const uint8_t pmsf[3])
{
        uint8_t e[11] = {session, adr_ctl, 0, point};

        if (msf)
                memcpy(e + 4, msf, 3);
        e[7] = zero;
        if (pmsf)
                memcpy(e + 8, pmsf, 3);
        g_byte_array_append(a, e, sizeof(e));
}

static void msf_of(int32_t lba, uint8_t ret[3])
{
        emu_lba_to_msf(lba, &ret[0], &ret[1], &ret[2]);
}

static void full_toc_session(const EmuMedium *m, unsigned number, GByteArray *a)
{
        const EmuSession *s = emu_medium_session(m, number);
        const EmuTrack *first = emu_medium_track(m, s->first_track),
                       *last = emu_medium_track(m, s->last_track);
        uint8_t p[3], q[3];

        p[0] = (uint8_t) s->first_track, p[1] = s->format, p[2] = 0;
        full_toc_entry(a, (uint8_t) number, (uint8_t) (0x10 | first->ctl), 0xa0, NULL, 0, p);
        p[0] = (uint8_t) s->last_track, p[1] = p[2] = 0;
        full_toc_entry(a, (uint8_t) number, (uint8_t) (0x10 | last->ctl), 0xa1, NULL, 0, p);
        msf_of(s->leadout, p);
        full_toc_entry(a, (uint8_t) number, (uint8_t) (0x10 | last->ctl), 0xa2, NULL, 0, p);
        for (unsigned n = s->first_track; n <= s->last_track; n++) {
                const EmuTrack *t = emu_medium_track(m, n);

                msf_of(t->start, p);
                full_toc_entry(a, (uint8_t) number, (uint8_t) (0x10 | t->ctl), (uint8_t) n, NULL, 0, p);
        }
        if (s->multisession != 0) { /* Mode-5 B0: where the next session may start */
                uint8_t next[3] = {0xff, 0xff, 0xff};

                if (s->multisession == 3)
                        msf_of(s->leadout + (int32_t) (number == 1 ? m->info->gap_first : m->info->gap_next),
                               next);
                msf_of((int32_t) m->capacity, q);
                full_toc_entry(a, (uint8_t) number, 0x50 | (last->ctl & 0x0f), 0xb0, next,
                               number == 1 ? 2 : 1, q);
        }
        if (number == 1) { /* Mode-5 C0: writing power and the first lead-in of a recordable disc */
                uint8_t power[3] = {0xd2, 0, 0};

                msf_of(m->profile == 0x000a ? CD_ATIP_LEADIN_START_RW : CD_ATIP_LEADIN_START, q);
                full_toc_entry(a, (uint8_t) number, 0x50 | (last->ctl & 0x0f), 0xc0, power, 0, q);
        }
}

static int toc_full(ScsiCommand *c, const EmuMedium *m, GByteArray *a)
{
        unsigned n = emu_medium_n_sessions(m), start = MAX(c->cdb[6], 1);

        if (!emu_medium_is_cd(m))
                return emu_fail_cdb(c, 2, -1);
        if (n == 0 || start > n)
                return emu_fail_cdb(c, n == 0 ? 2 : 6, -1);
        a->data[2] = (uint8_t) start;
        a->data[3] = (uint8_t) n;
        for (unsigned s = start; s <= n; s++)
                full_toc_session(m, s, a);
        return 0;
}

/* MMC-6 Table 493: ATIP of an 80 min disc. */
static int toc_atip(ScsiCommand *c, const EmuMedium *m, GByteArray *a)
{
        uint8_t p[24] = {};

        if (!emu_medium_is_cd(m))
                return emu_fail_cdb(c, 2, -1);
        p[0] = 0x80 | 0x50 | 0x02; /* indicative target writing power 5, reference speed 2 */
        p[1] = 0x40;               /* URU */
        p[2] = 0x80 | (m->profile == 0x000a ? 0x40 : 0); /* disc type: CD-RW */
        msf_of(m->profile == 0x000a ? CD_ATIP_LEADIN_START_RW : CD_ATIP_LEADIN_START, p + 4);
        msf_of(CD_LAST_LEADOUT, p + 8);
        g_byte_array_append(a, p, sizeof(p));
        return 0;
}

static int toc_cdtext(ScsiCommand *c, const EmuMedium *m, GByteArray *a)
{
        if (!emu_medium_is_cd(m))
                return emu_fail_cdb(c, 2, -1);
        if (m->cdtext) {
                gsize n;
                const guint8 *packs = g_bytes_get_data(m->cdtext, &n);

                g_byte_array_append(a, packs, (guint) n);
        }
        return 0;
}

int emu_cmd_read_toc(EmuDrive *d, ScsiCommand *c)
{
        g_autoptr(GByteArray) a = g_byte_array_new();
        uint8_t format = c->cdb[2] & 0x0f, hdr[4] = {};
        const EmuMedium *m;
        int r;

        if (format == 0 && (c->cdb[9] >> 6)) /* SFF-8020i: format in the control byte */
                format = c->cdb[9] >> 6;
        if (emu_check_ready(d, c))
                return 0;
        m = emu_drive_medium(d);
        g_byte_array_append(a, hdr, sizeof(hdr));
        switch (format) {
        case 0:
                r = toc_formatted(d, c, m, a);
                break;
        case 1:
                r = toc_session_info(c, m, a);
                break;
        case 2:
                r = toc_full(c, m, a);
                break;
        case 4:
                r = toc_atip(c, m, a);
                break;
        case 5:
                r = toc_cdtext(c, m, a);
                break;
        default:
                r = emu_fail_cdb(c, 2, -1);
        }
        if (r < 0 || c->status != SCSI_STATUS_GOOD)
                return r;
        be16_put(a->data, (uint16_t) (a->len - 2));
        return emu_reply(c, a->data, a->len, cdb_u16(c, 7));
}

/* ---- READ CAPACITY (MMC-6 §6.23) ---- */

int emu_cmd_read_capacity(EmuDrive *d, ScsiCommand *c)
{
        uint8_t p[8];
        const EmuMedium *m;
        uint32_t end;

        if (emu_check_ready(d, c))
                return 0;
        m = emu_drive_medium(d);
        if (emu_medium_overwrite(m))
                end = m->formatted;
        else
                end = MAX((uint32_t) MAX(emu_medium_last_leadout(m), 0), emu_medium_recorded_end(m));
        be32_put(p, end > 0 ? end - 1 : 0);
        be32_put(p + 4, DATA_SECTOR);
        return emu_reply(c, p, sizeof(p), sizeof(p));
}

/* ---- READ FORMAT CAPACITIES (MMC-6 §6.24) ---- */

static void format_descriptor(GByteArray *a, uint32_t blocks, uint8_t type, uint32_t param)
{
        uint8_t e[8];

        be32_put(e, blocks);
        e[4] = (uint8_t) (type << 2);
        be24_put(e + 5, param);
        g_byte_array_append(a, e, sizeof(e));
}

/* The formattable capacity descriptors of a medium (MMC-6 §6.24.3.3). */
static void format_descriptors(const EmuMedium *m, GByteArray *a)
{
        uint32_t cap = m->info->capacity;

        switch (m->profile) {
        case 0x0014:
                format_descriptor(a, cap, 0x00, DATA_SECTOR);
                format_descriptor(a, cap, 0x10, 16);
                format_descriptor(a, cap, 0x15, 16);
                break;
        case 0x0013:
                format_descriptor(a, cap, 0x00, DATA_SECTOR);
                if (m->formatted < cap)
                        format_descriptor(a, cap - m->formatted, 0x13, 16);
                format_descriptor(a, cap, 0x15, 16);
                break;
        case 0x0012:
                format_descriptor(a, cap, 0x00, DATA_SECTOR);
                format_descriptor(a, cap, 0x01, DATA_SECTOR);
                break;
        case 0x001a:
                format_descriptor(a, cap, 0x26, 0);
                break;
        case 0x0043:
                format_descriptor(a, m->info->format_default, 0x00, 0x3000);
                format_descriptor(a, m->info->format_default, 0x30, 0x3000);
                format_descriptor(a, 11564032, 0x30, 0x5000);
                format_descriptor(a, 12088320, 0x30, 0x1000);
                format_descriptor(a, cap, 0x31, 0x0800);
                break;
        case 0x0041:
                if (emu_medium_n_tracks(m) > 0)
                        break;
                format_descriptor(a, m->info->format_default, 0x00, 0x3000);
                format_descriptor(a, m->info->format_default, 0x32, 0x3000);
                format_descriptor(a, 11564032, 0x32, 0x5000);
                format_descriptor(a, 12088320, 0x32, 0x1000);
                break;
        default:
                break;
        }
}

int emu_cmd_read_format_capacities(EmuDrive *d, ScsiCommand *c)
{
        g_autoptr(GByteArray) a = g_byte_array_new();
        uint8_t hdr[4] = {}, cur[8] = {};
        const EmuMedium *m = emu_drive_has_medium(d) ? emu_drive_medium(d) : NULL;
        uint8_t key;
        uint16_t asc, value;
        bool progress;

        if (emu_drive_not_ready(d, &key, &asc, &progress, &value) && m) {
                (void) emu_check_ready(d, c); /* busy or becoming ready */
                return 0;
        }
        g_byte_array_append(a, hdr, sizeof(hdr));
        be24_put(cur + 5, DATA_SECTOR);
        if (!m)
                cur[4] = 0x03; /* no medium */
        else if (emu_medium_overwrite(m) && m->formatted > 0) {
                be32_put(cur, m->formatted);
                cur[4] = 0x02; /* formatted */
        } else {
                be32_put(cur, m->capacity);
                cur[4] = 0x01; /* unformatted or blank */
        }
        g_byte_array_append(a, cur, sizeof(cur));
        if (m)
                format_descriptors(m, a);
        a->data[3] = (uint8_t) (a->len - 4);
        return emu_reply(c, a->data, a->len, cdb_u16(c, 7));
}

/* ---- READ DISC STRUCTURE (MMC-6 §6.23) ---- */

/* Format 00h of DVD media: the physical format information (2048 bytes). */
static void structure_dvd_physical(const EmuMedium *m, GByteArray *a)
{
        uint8_t p[2048] = {};
        bool dl = m->info->flags & EMU_PROFILE_DUAL_LAYER;
        uint32_t end = 0x30000 + (dl ? m->capacity / 2 : m->capacity) - 1;

        p[0] = m->info->book;
        p[1] = 0x0f; /* 120 mm, maximum rate not specified */
        p[2] = (dl ? 0x20 : 0) | ((m->info->flags & EMU_PROFILE_ERASABLE) ? 0x04 : 0x02);
        be32_put(p + 4, 0x30000);                               /* starting PSN of the data area */
        be32_put(p + 8, dl ? 0xffffff - (end - 0x30000) : end); /* end PSN (opposite track path for DL) */
        be32_put(p + 12, dl ? end : 0);
        g_byte_array_append(a, p, sizeof(p));
}

/* Format 0Ah of BD media: spare area information. */
static void structure_bd_spare(const EmuMedium *m, GByteArray *a)
{
        uint8_t p[12] = {};
        uint32_t spare =
                m->formatted > 0 && m->formatted < m->info->capacity ? m->info->capacity - m->formatted : 0;

        be32_put(p + 4, spare);
        be32_put(p + 8, spare);
        g_byte_array_append(a, p, sizeof(p));
}

/* Media identification, as tools print it (xorriso -toc "Media product id"): the medium's maker is us. */
#define MEDIA_MAKER "IMAPID"
#define MEDIA_TYPE  "EMU"

/* DVD-R/-RW format 0Eh: pre-recorded information, five 8-byte fields; 3 and 4 carry the manufacturer. */
static void structure_dvd_minus_prerecorded(GByteArray *a)
{
        uint8_t p[40] = {};

        for (unsigned f = 0; f < 5; f++)
                p[8 * f] = (uint8_t) (f + 1);
        memcpy(p + 17, MEDIA_MAKER, 6);
        memcpy(p + 25, MEDIA_TYPE "001", 6);
        g_byte_array_append(a, p, sizeof(p));
}

/* DVD+R/+RW format 11h: ADIP information, manufacturer at 19, media type at 27, revision at 30. */
static void structure_dvd_plus_adip(const EmuMedium *m, GByteArray *a)
{
        uint8_t p[256] = {};

        p[0] = m->info->book;
        memcpy(p + 19, MEDIA_MAKER "EM", 8);
        memcpy(p + 27, MEDIA_TYPE, 3);
        p[30] = 1;
        g_byte_array_append(a, p, sizeof(p));
}

/* BD format 00h: disc information (DI) with the manufacturer at 100, media type at 106, revision at 111. */
static void structure_bd_disc_information(const EmuMedium *m, GByteArray *a)
{
        uint8_t p[112] = {'D', 'I', 0x01, 0x08};

        p[8] = 'B';
        p[9] = 'D';
        p[10] = m->profile == 0x0043 ? 'W' : 'R';
        memcpy(p + 100, MEDIA_MAKER, 6);
        memcpy(p + 106, MEDIA_TYPE, 3);
        p[111] = 1;
        g_byte_array_append(a, p, sizeof(p));
}

static bool dvd_plus(const EmuMedium *m)
{
        return m->profile == 0x001a || m->profile == 0x001b || m->profile == 0x002b;
}

static bool dvd_minus(const EmuMedium *m)
{
        return m->profile == 0x0011 || m->profile == 0x0013 || m->profile == 0x0014 || m->profile == 0x0015;
}

static void structure_list(const EmuMedium *m, GByteArray *a)
{
        uint8_t e[4] = {0, 0x40}; /* RDS: readable */

        if (m->info->family == EMU_FAMILY_DVD) {
                be16_put(e + 2, 2048 + 4);
                g_byte_array_append(a, e, sizeof(e));
                if (dvd_minus(m) || dvd_plus(m)) {
                        e[0] = dvd_plus(m) ? 0x11 : 0x0e;
                        be16_put(e + 2, dvd_plus(m) ? 256 + 4 : 40 + 4);
                        g_byte_array_append(a, e, sizeof(e));
                }
        } else {
                be16_put(e + 2, 112 + 4);
                g_byte_array_append(a, e, sizeof(e));
                e[0] = 0x0a;
                be16_put(e + 2, 12 + 4);
                g_byte_array_append(a, e, sizeof(e));
        }
        e[0] = 0xff;
        be16_put(e + 2, 0xffff);
        g_byte_array_append(a, e, sizeof(e));
}

int emu_cmd_read_disc_structure(EmuDrive *d, ScsiCommand *c)
{
        g_autoptr(GByteArray) a = g_byte_array_new();
        uint8_t media = c->cdb[1] & 0x0f, format = c->cdb[7], hdr[4] = {};
        const EmuMedium *m;

        if (emu_check_ready(d, c))
                return 0;
        m = emu_drive_medium(d);
        if (emu_medium_is_cd(m))
                return emu_fail(c, SK_ILLEGAL_REQUEST, ASC_CANNOT_READ_INCOMPATIBLE);
        if (media > 1 || (media == 1) != (m->info->family == EMU_FAMILY_BD))
                return emu_fail_cdb(c, 1, 3);
        g_byte_array_append(a, hdr, sizeof(hdr));
        if (format == 0xff)
                structure_list(m, a);
        else if (format == 0x00 && media == 0)
                structure_dvd_physical(m, a);
        else if (format == 0x0e && media == 0 && dvd_minus(m))
                structure_dvd_minus_prerecorded(a);
        else if (format == 0x11 && media == 0 && dvd_plus(m))
                structure_dvd_plus_adip(m, a);
        else if (format == 0x00 && media == 1)
                structure_bd_disc_information(m, a);
        else if (format == 0x0a && media == 1)
                structure_bd_spare(m, a);
        else
                return emu_fail_cdb(c, 7, -1);
        be16_put(a->data, (uint16_t) MIN(a->len - 2, 0xffffu));
        return emu_reply(c, a->data, a->len, cdb_u16(c, 8));
}
