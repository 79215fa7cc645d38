/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ECMA-119 (ISO 9660) structures: dates, directory records and extents, the primary volume descriptor, the
 * terminator and path tables, for both the ISO 9660 and the Joliet hierarchy. */
#include "bytes.h"
#include "master-internal.h"

#define YEAR_MIN_7 1900
#define YEAR_MAX_7 2155

void dir_writer_init(DirWriter *w)
{
        *w = (DirWriter) {
                .susp = g_byte_array_new(),
                .susp_entries = g_array_new(false, false, sizeof(uint32_t)),
        };
}

void dir_writer_done(DirWriter *w)
{
        g_byte_array_unref(w->susp);
        g_array_unref(w->susp_entries);
}

void dir_writer_reset(DirWriter *w, uint8_t *out, uint8_t *ce_out, uint32_t ce_lba)
{
        w->out = out;
        w->ce_out = ce_out;
        w->ce_lba = ce_lba;
        w->size = 0;
        w->ce_size = 0;
        w->ce_log = NULL;
}

void dir_writer_put(DirWriter *w, const uint8_t *record, size_t len)
{
        if (w->size % MASTER_BLOCK_SIZE + len > MASTER_BLOCK_SIZE)
                w->size = ROUND_UP(w->size, MASTER_BLOCK_SIZE);
        if (w->out)
                memcpy(w->out + w->size, record, len);
        w->size += (uint32_t) len;
}

static bool tm_from_time(time_t t, struct tm *ret)
{
        return gmtime_r(&t, ret) != NULL;
}

bool iso_date7_fits(time_t t)
{
        struct tm tm;
        return tm_from_time(t, &tm) && tm.tm_year >= YEAR_MIN_7 - 1900 && tm.tm_year <= YEAR_MAX_7 - 1900;
}

/* ECMA-119 §9.1.5: years since 1900 in one byte; UTC. Times outside 1900..2155 are clamped. */
void iso_date7_put(uint8_t *p, time_t t)
{
        struct tm tm;

        if (!tm_from_time(t, &tm) || tm.tm_year > YEAR_MAX_7 - 1900) {
                const uint8_t max[7] = { 255, 12, 31, 23, 59, 59, 0 };
                memcpy(p, max, 7);
                return;
        }
        if (tm.tm_year < 0) {
                const uint8_t min[7] = { 0, 1, 1, 0, 0, 0, 0 };
                memcpy(p, min, 7);
                return;
        }
        p[0] = (uint8_t) tm.tm_year;
        p[1] = (uint8_t) (tm.tm_mon + 1);
        p[2] = (uint8_t) tm.tm_mday;
        p[3] = (uint8_t) tm.tm_hour;
        p[4] = (uint8_t) tm.tm_min;
        p[5] = (uint8_t) tm.tm_sec;
        p[6] = 0; /* offset from GMT in 15 minute units */
}

/* ECMA-119 §8.4.26.1: "YYYYMMDDHHMMSScc" and the GMT offset; years clamped to 1..9999. */
void iso_date17_put(uint8_t *p, time_t t, long nsec)
{
        struct tm tm;
        char s[32];

        if (!tm_from_time(t, &tm) || tm.tm_year > 9999 - 1900)
                memcpy(s, "9999123123595999", 16);
        else if (tm.tm_year < 1 - 1900)
                memcpy(s, "0001010100000000", 16);
        else
                (void) snprintf(s, sizeof(s), "%04d%02d%02d%02d%02d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int) (nsec / 10000000));
        memcpy(p, s, 16);
        p[16] = 0;
}

static void date17_unset(uint8_t *p)
{
        memset(p, '0', 16);
        p[16] = 0;
}

void iso_strpad(uint8_t *p, size_t n, const char *s)
{
        size_t len = s ? MIN(strlen(s), n) : 0;

        if (len > 0)
                memcpy(p, s, len);
        memset(p + len, ' ', n - len);
}

/* ECMA-119 §9.1: the record up to and including the identifier's padding byte; returns its length. */
size_t iso_record_header(uint8_t *p, const IsoRecord *r)
{
        size_t n = ISO_RECORD_BASE + r->id_len;

        memset(p, 0, ISO_RECORD_BASE);
        both32_put(p + 2, r->lba);
        both32_put(p + 10, r->size);
        iso_date7_put(p + 18, r->mtime);
        p[25] = r->flags;
        both16_put(p + 28, 1); /* volume sequence number */
        p[32] = (uint8_t) r->id_len;
        memcpy(p + ISO_RECORD_BASE, r->id, r->id_len);
        if (r->id_len % 2 == 0)
                p[n++] = 0;
        return n;
}

void iso_record_finish(uint8_t *p, size_t len)
{
        p[0] = (uint8_t) len;
}

uint32_t node_abs_lba(const MasterLayout *l, const MasterNode *n, bool joliet)
{
        if (!l)
                return 0; /* measuring */
        if (n->dir)
                return l->start + (joliet ? n->dir->joliet_lba : n->dir->iso_lba);
        return l->start + n->lba;
}

uint32_t node_data_size(const MasterNode *n, bool joliet)
{
        if (n->dir)
                return (joliet ? n->dir->joliet_blocks : n->dir->iso_blocks) * MASTER_BLOCK_SIZE;
        if (n->p.type == MASTER_ENTRY_FILE)
                return (uint32_t) n->p.content.size;
        return 0;
}

uint32_t dir_nlink(MasterTree *t, const MasterNode *d)
{
        if (d->pseudo)
                return 2 + g_hash_table_size(t->relocated);
        return 2 + d->dir->n_subdirs;
}

static const MasterAttributes *record_attr(MasterTree *t, const MasterNode *n)
{
        return n->pseudo ? &t->default_attr : master_node_attr(t, n);
}

static void iso_record_emit(MasterTree *t, DirWriter *w, const IsoRecord *rec, const RrRecord *rr)
{
        size_t len = iso_record_header(w->record, rec);

        if (t->fs & MASTER_FS_ROCKRIDGE) {
                rr_entries_build(t, rr, w);
                len = rr_record_finish(w, len);
        } else
                iso_record_finish(w->record, len);
        dir_writer_put(w, w->record, len);
}

void iso_dots_emit(MasterTree *t, const MasterLayout *l, MasterNode *d, DirWriter *w)
{
        MasterNode *up = master_node_iso_parent(t, d);
        /* ".." of a relocated directory: the ISO parent is RR_MOVED, the POSIX one is named by PL */
        const MasterNode *attr_of = d->relocated ? d->parent : up;
        IsoRecord dot = {
                .id = (const uint8_t *) "\0", .id_len = 1,
                .lba = node_abs_lba(l, d, false), .size = node_data_size(d, false),
                .mtime = record_attr(t, d)->mtime.tv_sec, .flags = ISO_FLAG_DIRECTORY,
        };
        RrRecord rr = {
                .kind = RR_KIND_DOT, .node = d, .root_dot = d == t->root, .pseudo = d->pseudo,
                .nlink = dir_nlink(t, d), .ino = d->ino,
        };

        iso_record_emit(t, w, &dot, &rr);

        IsoRecord dotdot = {
                .id = (const uint8_t *) "\1", .id_len = 1,
                .lba = node_abs_lba(l, up, false), .size = node_data_size(up, false),
                .mtime = record_attr(t, attr_of)->mtime.tv_sec, .flags = ISO_FLAG_DIRECTORY,
        };
        rr = (RrRecord) {
                .kind = RR_KIND_DOTDOT, .node = attr_of, .pseudo = attr_of->pseudo,
                .pl = d->relocated, .pl_lba = d->relocated ? node_abs_lba(l, d->parent, false) : 0,
                .nlink = dir_nlink(t, attr_of), .ino = attr_of->ino,
        };
        iso_record_emit(t, w, &dotdot, &rr);
}

/* The identifier as written: files get ".;1" or ";1" (ECMA-119 §7.5), directories and placeholders none. */
static size_t iso_record_id(const MasterNode *c, bool in_rr_moved, char buf[static ISO_ID_MAX + 4])
{
        const char *id = in_rr_moved ? c->reloc_id : c->iso_id;
        size_t n = strlen(id);

        memcpy(buf, id, n);
        if (!c->dir) {
                if (!strchr(id, '.'))
                        buf[n++] = '.';
                buf[n++] = ';';
                buf[n++] = '1';
        }
        return n;
}

void iso_child_emit(MasterTree *t, const MasterLayout *l, MasterNode *d, MasterNode *c, DirWriter *w)
{
        char id[ISO_ID_MAX + 4];
        bool placeholder = c->relocated && !d->pseudo;
        IsoRecord rec = {
                .id = (const uint8_t *) id, .id_len = iso_record_id(c, d->pseudo, id),
                .mtime = record_attr(t, c)->mtime.tv_sec,
        };
        RrRecord rr = {
                .kind = RR_KIND_ENTRY, .node = c, .pseudo = c->pseudo, .re = c->pseudo || d->pseudo,
                .nlink = c->dir ? dir_nlink(t, c) : 1, .ino = c->ino,
        };

        if (placeholder) {
                /* RRIP §4.1.5.1: an empty file standing for the relocated directory */
                rec.lba = l ? l->start : 0;
                rr.cl = true;
                rr.cl_lba = node_abs_lba(l, c, false);
        } else {
                rec.lba = node_data_size(c, false) > 0 ? node_abs_lba(l, c, false) : (l ? l->start : 0);
                rec.size = node_data_size(c, false);
                rec.flags = c->dir ? ISO_FLAG_DIRECTORY : 0;
        }
        iso_record_emit(t, w, &rec, &rr);
}

void iso_dir_emit(MasterTree *t, const MasterLayout *l, MasterNode *d, DirWriter *w)
{
        iso_dots_emit(t, l, d, w);
        for (guint i = 0; i < d->dir->iso_order->len; i++)
                iso_child_emit(t, l, d, d->dir->iso_order->pdata[i], w);
}

static void root_record_put(MasterTree *t, uint8_t *p, const MasterLayout *l, const MasterNode *root,
                            bool joliet)
{
        IsoRecord r = {
                .id = (const uint8_t *) "\0", .id_len = 1,
                .lba = node_abs_lba(l, root, joliet), .size = node_data_size(root, joliet),
                .flags = ISO_FLAG_DIRECTORY,
        };
        r.mtime = master_node_attr(t, root)->mtime.tv_sec;
        iso_record_finish(p, iso_record_header(p, &r));
}

/* ECMA-119 §8.4 fields shared by the PVD and the Joliet SVD (§8.5). */
static void volume_descriptor_common(MasterTree *t, const MasterLayout *l, uint8_t *b, bool joliet)
{
        b[1] = 'C', b[2] = 'D', b[3] = '0', b[4] = '0', b[5] = '1';
        b[6] = 1;
        both32_put(b + 80, l->start + l->n_blocks); /* the volume: every session up to this one */
        both16_put(b + 120, 1);                     /* volume set size */
        both16_put(b + 124, 1);                     /* volume sequence number */
        both16_put(b + 128, MASTER_BLOCK_SIZE);
        both32_put(b + 132, joliet ? l->joliet_pt_bytes : l->iso_pt_bytes);
        const uint32_t *pt = joliet ? l->joliet_pt_lba : l->iso_pt_lba;
        le32_put(b + 140, l->start + pt[0]);
        be32_put(b + 148, l->start + pt[1]);
        root_record_put(t, b + 156, l, t->root, joliet);
        iso_date17_put(b + 813, t->volume_time, 0);
        iso_date17_put(b + 830, t->volume_time, 0);
        date17_unset(b + 847);
        date17_unset(b + 864);
        b[881] = 1; /* file structure version */
}

void iso_pvd_put(MasterTree *t, const MasterLayout *l, uint8_t *b)
{
        char volume[ISO_ID_MAX + 1];

        memset(b, 0, MASTER_BLOCK_SIZE);
        b[0] = 1;
        volume_descriptor_common(t, l, b, false);
        iso_name_natural(master_tree_get_volume_name(t), true, volume);
        iso_strpad(b + 8, 32, "LINUX");
        iso_strpad(b + 40, 32, volume);
        iso_strpad(b + 190, 128, NULL);
        iso_strpad(b + 318, 128, NULL);
        iso_strpad(b + 446, 128, NULL);
        iso_strpad(b + 574, 128, "IMAPID");
        iso_strpad(b + 702, 37, NULL);
        iso_strpad(b + 739, 37, NULL);
        iso_strpad(b + 776, 37, NULL);
}

void joliet_svd_put(MasterTree *t, const MasterLayout *l, uint8_t *b)
{
        memset(b, 0, MASTER_BLOCK_SIZE);
        b[0] = 2;
        volume_descriptor_common(t, l, b, true);
        memcpy(b + 88, "%/E", 3); /* UCS-2 level 3 */
        joliet_ucs2_put(b + 8, 32, "LINUX");
        joliet_ucs2_put(b + 40, 32, master_tree_get_volume_name(t));
        joliet_ucs2_put(b + 190, 128, "");
        joliet_ucs2_put(b + 318, 128, "");
        joliet_ucs2_put(b + 446, 128, "");
        joliet_ucs2_put(b + 574, 128, "IMAPID");
        joliet_ucs2_put(b + 702, 36, "");
        joliet_ucs2_put(b + 739, 36, "");
        joliet_ucs2_put(b + 776, 36, "");
}

void iso_terminator_put(uint8_t *b)
{
        memset(b, 0, MASTER_BLOCK_SIZE);
        b[0] = 255;
        memcpy(b + 1, "CD001", 5);
        b[6] = 1;
}

static size_t pt_id(const MasterNode *d, bool joliet, uint8_t buf[static 2 * JOLIET_NAME_MAX])
{
        if (!d->parent) {
                buf[0] = 0;
                return 1;
        }
        if (joliet)
                return joliet_ucs2_put(buf, 2 * JOLIET_NAME_MAX, master_joliet_name(d));
        const char *id = d->relocated ? d->reloc_id : d->iso_id;
        memcpy(buf, id, strlen(id));
        return strlen(id);
}

size_t master_pt_record_bytes(const MasterNode *d, bool joliet)
{
        uint8_t id[2 * JOLIET_NAME_MAX];
        size_t n = pt_id(d, joliet, id);
        return 8 + n + n % 2;
}

/* ECMA-119 §9.4: one record per directory, in path table order; numbers start at 1 for the root. */
void path_table_put(MasterTree *t, const MasterLayout *l, bool joliet, bool msb, uint8_t *out)
{
        const GPtrArray *dirs = joliet ? l->joliet_dirs : l->iso_dirs;
        size_t pos = 0;

        for (guint i = 0; i < dirs->len; i++) {
                const MasterNode *d = dirs->pdata[i];
                const MasterNode *up = joliet ? (d->parent ?: d) : master_node_iso_parent(t, d);
                uint16_t parent = joliet ? up->dir->joliet_number : up->dir->iso_number;
                uint8_t id[2 * JOLIET_NAME_MAX];
                size_t n = pt_id(d, joliet, id);

                out[pos] = (uint8_t) n;
                out[pos + 1] = 0;
                if (msb) {
                        be32_put(out + pos + 2, node_abs_lba(l, d, joliet));
                        be16_put(out + pos + 6, parent);
                } else {
                        le32_put(out + pos + 2, node_abs_lba(l, d, joliet));
                        le16_put(out + pos + 6, parent);
                }
                memcpy(out + pos + 8, id, n);
                pos += 8 + n;
                if (n % 2)
                        out[pos++] = 0;
        }
}
