/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the emulated drive says it can do: GET CONFIGURATION features (MMC-6 §5), the capabilities mode
 * page 2Ah, GET PERFORMANCE, and the speed commands SET CD SPEED and SET STREAMING. */
#include <string.h>

#include "bytes.h"
#include "emu-internal.h"
#include "macros.h"

/* ---- Which profiles the drive offers ---- */

static bool offers(const EmuDrive *d, uint16_t profile)
{
        for (const uint16_t *p = d->profiles; *p; p++)
                if (*p == profile)
                        return true;
        return false;
}

static bool offers_family(const EmuDrive *d, EmuFamily f)
{
        for (const uint16_t *p = d->profiles; *p; p++)
                if (emu_profile_find(*p)->family == f)
                        return true;
        return false;
}

static bool offers_flag(const EmuDrive *d, unsigned flag)
{
        for (const uint16_t *p = d->profiles; *p; p++)
                if (emu_profile_find(*p)->flags & flag)
                        return true;
        return false;
}

/* The medium the drive reports on (tray closed), or NULL. */
static const EmuMedium *current_medium(const EmuDrive *d)
{
        return emu_drive_has_medium(d) ? d->medium : NULL;
}

static uint16_t current_profile(const EmuDrive *d)
{
        const EmuMedium *m = current_medium(d);

        return m ? m->profile : 0;
}

static bool current_family(const EmuDrive *d, EmuFamily f)
{
        const EmuMedium *m = current_medium(d);

        return m && m->info->family == f;
}

static bool current_writable(const EmuDrive *d)
{
        const EmuMedium *m = current_medium(d);

        return m && emu_drive_can_write_profile(d, m->profile);
}

/* ---- Feature descriptors (MMC-6 §5.2.2) ---- */

/* Appends a descriptor with 'len' zeroed data bytes; returns the data (valid until the next append). */
static uint8_t *feature_add(GByteArray *a, uint16_t code, uint8_t version, bool persistent, bool current,
                            uint8_t len)
{
        uint8_t hdr[4] = {code >> 8, code & 0xff, (uint8_t) (version << 2 | persistent << 1 | current), len};
        guint at = a->len;

        g_byte_array_append(a, hdr, 4);
        g_byte_array_set_size(a, at + 4 + len);
        memset(a->data + at + 4, 0, len);
        return a->data + at + 4;
}

/* Profile numbers the drive lists in feature 0000h, highest first. */
static unsigned profile_list(const EmuDrive *d, uint16_t ret[24])
{
        unsigned n = 0;

        for (const uint16_t *p = d->profiles; *p; p++) {
                ret[n++] = *p;
                if (*p == 0x0014)
                        ret[n++] = 0x0013;
        }
        if (offers_family(d, EMU_FAMILY_CD))
                ret[n++] = 0x0008;
        if (offers_family(d, EMU_FAMILY_DVD))
                ret[n++] = 0x0010;
        if (offers_family(d, EMU_FAMILY_BD))
                ret[n++] = 0x0040;
        for (unsigned i = 1; i < n; i++) /* insertion sort, descending */
                for (unsigned j = i; j > 0 && ret[j] > ret[j - 1]; j--) {
                        uint16_t t = ret[j];

                        ret[j] = ret[j - 1];
                        ret[j - 1] = t;
                }
        return n;
}

static void features_core(EmuDrive *d, GByteArray *a)
{
        uint16_t list[24];
        unsigned n = profile_list(d, list);
        uint8_t *p = feature_add(a, 0x0000, 0, true, true, (uint8_t) (4 * n));

        for (unsigned i = 0; i < n; i++) {
                be16_put(p + 4 * i, list[i]);
                p[4 * i + 2] = list[i] == current_profile(d) ? 0x01 : 0; /* CurrentP */
        }
        p = feature_add(a, 0x0001, 2, true, true, 8);    /* Core */
        be32_put(p, 0x00000002);                         /* physical interface: ATAPI */
        (void) feature_add(a, 0x0002, 1, true, true, 4); /* Morphing */
        p = feature_add(a, 0x0003, 2, true, true, 4);    /* Removable Medium */
        p[0] = 0x20 | 0x10 | 0x08 | 0x01;                /* tray, Load, Eject, Lock */
}

static void features_read(EmuDrive *d, GByteArray *a)
{
        const EmuMedium *m = current_medium(d);
        bool readable =
                m && (emu_medium_recorded_end(m) > 0 || (emu_medium_overwrite(m) && m->formatted > 0));
        uint8_t *p;

        p = feature_add(a, 0x0010, 0, false, readable, 8); /* Random Readable */
        be32_put(p, DATA_SECTOR);
        be16_put(p + 4, m ? m->info->align : 1);
        p[6] = 0x01; /* PP: error recovery page present */
        if (offers_family(d, EMU_FAMILY_CD)) {
                (void) feature_add(a, 0x001d, 0, false, current_family(d, EMU_FAMILY_CD),
                                   0);                                                     /* Multi-Read */
                p = feature_add(a, 0x001e, 2, false, current_family(d, EMU_FAMILY_CD), 4); /* CD Read */
                p[0] = 0x01;                                                               /* CD-Text */
        }
        if (offers_family(d, EMU_FAMILY_DVD)) {
                p = feature_add(a, 0x001f, 1, false, current_family(d, EMU_FAMILY_DVD), 4); /* DVD Read */
                p[0] = 0x01;                                                                /* MULTI110 */
                p[2] = offers_flag(d, EMU_PROFILE_DUAL_LAYER) ? 0x01 : 0;                   /* DualR */
        }
}

static void features_random_write(EmuDrive *d, GByteArray *a)
{
        const EmuMedium *m = current_medium(d);
        bool cur;
        uint8_t *p;

        if (!offers(d, 0x0012) && !offers(d, 0x0043))
                return;
        cur = m && (m->profile == 0x0012 || m->profile == 0x0043) && m->formatted > 0 && current_writable(d);
        p = feature_add(a, 0x0020, 1, false, cur, 12); /* Random Writable */
        be32_put(p, cur ? m->formatted - 1 : 0);
        be32_put(p + 4, DATA_SECTOR);
        be16_put(p + 8, m ? m->info->align : 16);
        p[10] = 0x01;
}

static void features_incremental(EmuDrive *d, GByteArray *a)
{
        const EmuMedium *m = current_medium(d);
        bool cd = offers(d, 0x0009) || offers(d, 0x000a);
        bool dvd = offers(d, 0x0011) || offers(d, 0x0014) || offers(d, 0x0015);
        bool cur = false;
        uint8_t *p;

        if (!cd && !dvd)
                return;
        if (m && current_writable(d))
                cur = emu_medium_is_cd(m) ||
                      ((m->profile == 0x0011 || m->profile == 0x0014 || m->profile == 0x0015) &&
                       !m->dao_only);
        p = feature_add(a, 0x0021, 1, false, cur, 8); /* Incremental Streaming Writable */
        be16_put(p, 0x0101);                          /* data block types 0 and 8 */
        p[2] = d->bufe_capable ? 0x01 : 0;            /* BUF */
        p[3] = 1;                                     /* one link size */
        p[4] = (m && !emu_medium_is_cd(m)) || !cd ? 16 : 7;
}

static void features_format(EmuDrive *d, GByteArray *a)
{
        uint16_t cp = current_profile(d);
        uint8_t *p;

        if (offers_flag(d, EMU_PROFILE_FORMATTABLE)) {
                const EmuProfileInfo *info = cp ? emu_profile_find(cp) : NULL;

                p = feature_add(a, 0x0023, 1, false,
                                info && (info->flags & EMU_PROFILE_FORMATTABLE) && current_writable(d), 8);
                p[0] = offers_family(d, EMU_FAMILY_BD) ? 0x03 : 0; /* QCert, Cert */
        }
        if (offers(d, 0x0012) || offers(d, 0x0043)) {
                p = feature_add(a, 0x0024, 1, false, cp == 0x0012 || cp == 0x0043,
                                4); /* Defect Management */
                p[0] = 0x80;        /* SSA */
        }
        if (offers(d, 0x0014))
                (void) feature_add(a, 0x0026, 0, false, cp == 0x0013, 0); /* Restricted Overwrite */
        if (offers(d, 0x001a)) {
                p = feature_add(a, 0x002a, 1, false, cp == 0x001a, 4); /* DVD+RW */
                p[0] = 0x01;                                           /* Write */
        }
        if (offers(d, 0x001b)) {
                p = feature_add(a, 0x002b, 0, false, cp == 0x001b, 4); /* DVD+R */
                p[0] = 0x01;
        }
        if (offers(d, 0x0014)) {
                p = feature_add(a, 0x002c, 1, false, cp == 0x0013, 4); /* Rigid Restricted Overwrite */
                p[0] = 0x03;                                           /* Intermediate, Blank */
        }
}

static void features_cd_write(EmuDrive *d, GByteArray *a)
{
        bool cur = current_family(d, EMU_FAMILY_CD) && current_writable(d);
        uint8_t buf = d->bufe_capable ? 0x40 : 0, rw = offers(d, 0x000a) ? 0x02 : 0;
        uint8_t *p;

        if (!offers(d, 0x0009) && !offers(d, 0x000a))
                return;
        p = feature_add(a, 0x002d, 2, false, cur, 4); /* CD Track at Once */
        p[0] = buf | 0x04 | rw;                       /* BUF, Test Write, CD-RW */
        be16_put(p + 2, 0x0101);                      /* data types 0 and 8 */
        p = feature_add(a, 0x002e, 1, false, cur, 4); /* CD Mastering */
        p[0] = buf | 0x20 | 0x04 | rw | 0x01; /* BUF, SAO, Test Write, CD-RW, R-W (lead-in CD-TEXT) */
        be24_put(p + 1, 65536);               /* maximum cue sheet length */
}

static void features_dvd_write(EmuDrive *d, GByteArray *a)
{
        uint16_t cp = current_profile(d);
        uint8_t *p;

        if (offers(d, 0x0011) || offers(d, 0x0014) || offers(d, 0x0015)) {
                p = feature_add(a, 0x002f, 2, false,
                                (cp == 0x0011 || cp == 0x0014 || cp == 0x0015) && current_writable(d),
                                4); /* DVD-R/-RW Write */
                p[0] = (d->bufe_capable ? 0x40 : 0) | (offers(d, 0x0015) ? 0x08 : 0) | 0x04 |
                       (offers(d, 0x0014) ? 0x02 : 0); /* BUF, RDL, Test Write, DVD-RW SL */
        }
        if (offers(d, 0x002b)) {
                p = feature_add(a, 0x003b, 0, false, cp == 0x002b, 4); /* DVD+R Dual Layer */
                p[0] = 0x01;
        }
}

static void features_bd(EmuDrive *d, GByteArray *a)
{
        bool cur = current_family(d, EMU_FAMILY_BD);
        uint8_t *p;

        if (!offers_family(d, EMU_FAMILY_BD))
                return;
        p = feature_add(a, 0x0040, 1, false, cur, 28); /* BD Read: class 0 of BD-RE, BD-R, BD-ROM */
        be16_put(p + 4, 0x000e);
        be16_put(p + 12, 0x000e);
        be16_put(p + 20, 0x000e);
        p = feature_add(a, 0x0041, 1, false, cur && current_writable(d), 20); /* BD Write */
        if (offers(d, 0x0043))
                be16_put(p + 4, 0x000e);
        if (offers(d, 0x0041))
                be16_put(p + 12, 0x000e);
}

static void features_drive(EmuDrive *d, GByteArray *a)
{
        size_t n = strlen(d->serial), padded = ROUND_UP(n, 4);
        uint8_t *p;

        (void) feature_add(a, 0x0100, 0, true, true, 0);                    /* Power Management */
        p = feature_add(a, 0x0107, 3, false, current_medium(d) != NULL, 4); /* Real Time Streaming */
        p[0] = 0x1f; /* RBCB, SCS (SET CD SPEED), MP2A (page 2Ah speeds), WSPD (GET PERFORMANCE 03h), SW */
        p = feature_add(a, 0x0108, 0, true, true, (uint8_t) padded); /* Drive Serial Number */
        memset(p, ' ', padded);
        memcpy(p, d->serial, n);
}

/* MMC-6 §6.6 */
int emu_cmd_get_configuration(EmuDrive *d, ScsiCommand *c)
{
        g_autoptr(GByteArray) all = g_byte_array_new(), out = g_byte_array_new();
        uint8_t rt = c->cdb[1] & 0x03, hdr[8] = {};
        uint16_t start = cdb_u16(c, 2);

        if (rt == 3)
                return emu_fail_cdb(c, 1, 1);
        features_core(d, all);
        features_read(d, all);
        features_random_write(d, all);
        features_incremental(d, all);
        features_format(d, all);
        features_cd_write(d, all);
        features_dvd_write(d, all);
        features_bd(d, all);
        features_drive(d, all);

        be16_put(hdr + 6, current_profile(d));
        g_byte_array_append(out, hdr, sizeof(hdr));
        for (guint off = 0; off + 4 <= all->len; off += 4 + all->data[off + 3]) {
                const uint8_t *f = all->data + off;
                uint16_t code = (uint16_t) (f[0] << 8 | f[1]);

                if (code < start || (rt == 1 && !(f[2] & 0x01)) || (rt == 2 && code != start))
                        continue;
                g_byte_array_append(out, f, 4 + f[3]);
        }
        be32_put(out->data, out->len - 4);
        return emu_reply(c, out->data, out->len, cdb_u16(c, 7));
}

/* ---- Speeds ---- */

/* The fastest offered speed whose kB/s is at most 'kbps' (the slowest if none); 0 for "maximum". */
static unsigned speed_from_kbps(const EmuDrive *d, uint32_t kbps)
{
        uint8_t speeds[17];
        unsigned n = emu_drive_speeds(d, speeds), pick;
        EmuFamily f = emu_drive_family(d);

        if (n == 0 || kbps == 0xffff)
                return 0;
        pick = speeds[0];
        for (unsigned i = 0; i < n; i++)
                if (emu_family_kbps(f, speeds[i]) <= kbps)
                        pick = speeds[i];
        return pick == speeds[n - 1] ? 0 : pick;
}

static unsigned max_speed(const EmuDrive *d)
{
        uint8_t speeds[17];
        unsigned n = emu_drive_speeds(d, speeds);

        return n > 0 ? speeds[n - 1] : 1;
}

static unsigned current_speed(const EmuDrive *d)
{
        unsigned x = emu_drive_write_speed(d);

        if (d->speed == 0) /* unthrottled: report what the host chose, or the fastest */
                x = d->host_speed ? d->host_speed : max_speed(d);
        return x;
}

size_t emu_page_capabilities(EmuDrive *d, uint8_t *p)
{
        uint8_t speeds[17];
        unsigned n = emu_drive_speeds(d, speeds);
        EmuFamily f = emu_drive_family(d);
        uint32_t max = emu_family_kbps(f, max_speed(d)), cur = emu_family_kbps(f, current_speed(d));
        size_t len = 32 + 4 * n;

        memset(p, 0, len);
        p[0] = 0x2a;
        p[1] = (uint8_t) (len - 2);
        p[2] = (offers_family(d, EMU_FAMILY_CD) ? 0x07 : 0) | (offers_family(d, EMU_FAMILY_DVD) ? 0x08 : 0) |
               (offers(d, 0x0011) || offers(d, 0x0014) || offers(d, 0x0015) ? 0x10 : 0) |
               (offers(d, 0x0012) ? 0x20 : 0);
        p[3] = (offers(d, 0x0009) ? 0x01 : 0) | (offers(d, 0x000a) ? 0x02 : 0) |
               (offers_flag(d, EMU_PROFILE_TEST_WRITE) ? 0x04 : 0) |
               (offers(d, 0x0011) || offers(d, 0x0014) || offers(d, 0x0015) ? 0x10 : 0) |
               (offers(d, 0x0012) ? 0x20 : 0);
        p[4] = (d->bufe_capable ? 0x80 : 0) | 0x40 | 0x30 |
               0x01;                      /* BUF, multi-session, mode 2 forms, audio */
        p[5] = 0x40 | 0x20 | 0x02 | 0x01; /* UPC, ISRC, CD-DA stream accurate, CD-DA commands */
        p[6] = 0x20 | 0x08 | (d->prevent ? 0x02 : 0) | 0x01; /* tray, eject, lock state, lock */
        p[7] = 0x20;                                         /* R-W in lead-in (CD-TEXT) */
        be16_put(p + 8, (uint16_t) MIN(max, 0xffffu));
        be16_put(p + 10, 256);
        be16_put(p + 12, (uint16_t) MIN(d->throttle.size / 1024, 0xffffu));
        be16_put(p + 14, (uint16_t) MIN(max, 0xffffu));
        be16_put(p + 18, (uint16_t) MIN(max, 0xffffu));
        be16_put(p + 20, (uint16_t) MIN(cur, 0xffffu));
        be16_put(p + 22, 1); /* copy management revision */
        be16_put(p + 28, (uint16_t) MIN(cur, 0xffffu));
        be16_put(p + 30, (uint16_t) n);
        for (unsigned i = 0; i < n; i++) /* fastest first */
                be16_put(p + 32 + 4 * i + 2, (uint16_t) MIN(emu_family_kbps(f, speeds[n - 1 - i]), 0xffffu));
        return len;
}

/* MMC-6 §6.8: the data length tells how many descriptors there are, whatever the maximum asked
 * (libburn asks for 0 first to learn it). */
int emu_cmd_get_performance(EmuDrive *d, ScsiCommand *c)
{
        uint8_t data_type = c->cdb[1] & 0x1f, type = c->cdb[10], speeds[17], buf[8 + 16 * 16] = {};
        uint16_t max_desc = cdb_u16(c, 8);
        const EmuMedium *m;
        EmuFamily f;
        unsigned n, avail = 0;
        int32_t limit;
        uint32_t end;

        if (type != 0x00 && type != 0x03)
                return emu_fail_cdb(c, 10, -1);
        if (emu_check_ready(d, c))
                return 0;
        m = d->medium;
        f = m->info->family;
        limit = emu_medium_limit(m);
        end = (limit > 0 ? (uint32_t) limit : m->capacity) - 1;
        n = emu_drive_speeds(d, speeds);
        if (type == 0x00) {
                bool write = data_type & 0x04;
                uint32_t kbps = emu_family_kbps(f, write ? current_speed(d) : max_speed(d));

                buf[4] = write ? 0x02 : 0;
                if ((data_type & 0x03) == 0) { /* nominal performance; no exceptions to list */
                        be32_put(buf + 8 + 4, kbps);
                        be32_put(buf + 8 + 8, end);
                        be32_put(buf + 8 + 12, kbps);
                        avail = 1;
                }
        } else {
                for (unsigned i = 0; i < n; i++, avail++) {
                        uint8_t *p = buf + 8 + 16 * avail;

                        be32_put(p + 4, end);
                        be32_put(p + 8, emu_family_kbps(f, max_speed(d)));
                        be32_put(p + 12, emu_family_kbps(f, speeds[n - 1 - i]));
                }
        }
        be32_put(buf, 4 + 16 * avail);
        return emu_reply(c, buf, 8 + 16 * MIN(avail, (unsigned) max_desc), c->data_len);
}

/* MMC-6 §6.37 */
int emu_cmd_set_cd_speed(EmuDrive *d, ScsiCommand *c)
{
        d->host_speed = speed_from_kbps(d, cdb_u16(c, 4));
        emu_drive_update_rate(d);
        return 0;
}

/* MMC-6 §6.38: type 0, one performance descriptor */
int emu_cmd_set_streaming(EmuDrive *d, ScsiCommand *c)
{
        size_t len = cdb_u16(c, 9);
        const uint8_t *p;
        uint32_t size, time;

        if (c->cdb[8] != 0x00)
                return emu_fail_cdb(c, 8, -1);
        p = emu_data_out(c, len);
        if (!p)
                return -EINVAL;
        if (len < 28)
                return emu_fail(c, SK_ILLEGAL_REQUEST, ASC_PARAMETER_LIST_LENGTH_ERROR);
        if (p[0] & 0x04) { /* RDD: back to the defaults */
                d->host_speed = 0;
                emu_drive_update_rate(d);
                return 0;
        }
        size = (uint32_t) p[20] << 24 | (uint32_t) p[21] << 16 | (uint32_t) p[22] << 8 | p[23];
        time = (uint32_t) p[24] << 24 | (uint32_t) p[25] << 16 | (uint32_t) p[26] << 8 | p[27];
        if (time == 0)
                return emu_fail_param(c, 24);
        d->host_speed = speed_from_kbps(d, (uint32_t) MIN((uint64_t) size * 1000 / time, 0xfffeu));
        emu_drive_update_rate(d);
        return 0;
}
