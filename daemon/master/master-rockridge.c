/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Rock Ridge: SUSP 1.12 entries (SP, CE, ER) and RRIP 1.12 entries (RR, PX, TF, NM, SL, CL, PL, RE) for one
 * directory record, split between the record and continuation areas. */
#include <assert.h>
#include <sys/stat.h>

#include "bytes.h"
#include "master-internal.h"

#define SUSP_HEADER 4
#define SUSP_ENTRY_MAX 255
#define CE_LEN 28
#define NM_CHUNK (SUSP_ENTRY_MAX - 5)
#define CE_AREAS_MAX 32

/* RRIP 1.12 §4.1.7 RR flags (kept for RRIP 1.09 readers) */
enum {
        RR_PX = 1 << 0,
        RR_SL = 1 << 2,
        RR_NM = 1 << 3,
        RR_CL = 1 << 4,
        RR_PL = 1 << 5,
        RR_RE = 1 << 6,
        RR_TF = 1 << 7,
};

/* RRIP §4.1.5.1 SL component flags */
enum {
        SL_CONTINUE = 1 << 0,
        SL_CURRENT = 1 << 1,
        SL_PARENT = 1 << 2,
        SL_ROOT = 1 << 3,
};

/* RRIP §4.1.6 TF flags: modify, access, attributes; long form */
#define TF_TIMES 0x0E
#define TF_LONG_FORM 0x80

/* SUSP §5.5 ER for RRIP 1.12 after its adoption as IEEE 1282 (RRIP §4.3). */
static const char er_id[] = "IEEE_1282";
static const char er_descriptor[] = "THE IEEE 1282 PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICS.";
static const char er_source[] = "PLEASE CONTACT THE IEEE STANDARDS DEPARTMENT, PISCATAWAY, NJ, USA FOR THE "
                                "1282 SPECIFICATION.";

static uint8_t *entry_add(DirWriter *w, const char *sig, size_t len)
{
        uint32_t off = w->susp->len;
        uint8_t *p;

        assert(len <= SUSP_ENTRY_MAX);
        g_byte_array_set_size(w->susp, off + (guint) len);
        g_array_append_val(w->susp_entries, off);
        p = w->susp->data + off;
        p[0] = (uint8_t) sig[0];
        p[1] = (uint8_t) sig[1];
        p[2] = (uint8_t) len;
        p[3] = 1;
        return p;
}

static void sp_add(DirWriter *w)
{
        uint8_t *p = entry_add(w, "SP", 7);
        p[4] = 0xBE;
        p[5] = 0xEF;
        p[6] = 0; /* LEN_SKP */
}

static void er_add(DirWriter *w)
{
        size_t n_id = strlen(er_id), n_des = strlen(er_descriptor), n_src = strlen(er_source);
        uint8_t *p = entry_add(w, "ER", 8 + n_id + n_des + n_src);

        p[4] = (uint8_t) n_id;
        p[5] = (uint8_t) n_des;
        p[6] = (uint8_t) n_src;
        p[7] = 1; /* extension version */
        memcpy(p + 8, er_id, n_id);
        memcpy(p + 8 + n_id, er_descriptor, n_des);
        memcpy(p + 8 + n_id + n_des, er_source, n_src);
}

static mode_t entry_mode(const MasterNode *n, const MasterAttributes *a)
{
        switch (n->p.type) {
        case MASTER_ENTRY_DIRECTORY:
                return S_IFDIR | (a->mode & 07777);
        case MASTER_ENTRY_SYMLINK:
                return S_IFLNK | (a->mode & 07777);
        default:
                return S_IFREG | (a->mode & 07777);
        }
}

static void px_add(MasterTree *t, DirWriter *w, const RrRecord *r, const MasterAttributes *a)
{
        uint8_t *p = entry_add(w, "PX", 44);

        both32_put(p + 4, (uint32_t) entry_mode(r->node, a));
        both32_put(p + 12, r->nlink);
        both32_put(p + 20, t->keep_owner ? (uint32_t) a->uid : 0);
        both32_put(p + 28, t->keep_owner ? (uint32_t) a->gid : 0);
        both32_put(p + 36, r->ino);
}

static bool tf_short_fits(const MasterAttributes *a)
{
        return iso_date7_fits(a->mtime.tv_sec) && iso_date7_fits(a->atime.tv_sec) &&
               iso_date7_fits(a->ctime.tv_sec);
}

static void tf_add(DirWriter *w, const MasterAttributes *a)
{
        const struct timespec *times[] = { &a->mtime, &a->atime, &a->ctime };
        bool is_short = tf_short_fits(a);
        size_t each = is_short ? 7 : 17;
        uint8_t *p = entry_add(w, "TF", 5 + 3 * each);

        p[4] = TF_TIMES | (is_short ? 0 : TF_LONG_FORM);
        for (size_t i = 0; i < ELEMENTSOF(times); i++) {
                if (is_short)
                        iso_date7_put(p + 5 + i * each, times[i]->tv_sec);
                else
                        iso_date17_put(p + 5 + i * each, times[i]->tv_sec, times[i]->tv_nsec);
        }
}

static void nm_add(DirWriter *w, const char *name)
{
        size_t n = strlen(name);

        do {
                size_t chunk = MIN(n, (size_t) NM_CHUNK);
                uint8_t *p = entry_add(w, "NM", 5 + chunk);
                p[4] = chunk < n ? 1 : 0; /* CONTINUE */
                memcpy(p + 5, name, chunk);
                name += chunk;
                n -= chunk;
        } while (n > 0);
}

/* RRIP §4.1.3: a symlink target as component records in SL entries. When the target needs several SL
 * entries, readers disagree about a component that ends exactly where an entry ends (Linux inserts a '/',
 * libarchive does not), so entries end inside a component, flagged CONTINUE, wherever possible; "." and
 * ".." are then written as text, which every reader copies as is. */
#define SL_BODY_MAX (SUSP_ENTRY_MAX - 5)

typedef struct SlWriter {
        DirWriter *w;
        uint8_t body[SL_BODY_MAX];
        size_t len;
} SlWriter;

static void sl_flush(SlWriter *sl, bool more)
{
        uint8_t *p = entry_add(sl->w, "SL", 5 + sl->len);
        p[4] = more ? SL_CONTINUE : 0;
        memcpy(p + 5, sl->body, sl->len);
        sl->len = 0;
}

static void sl_record(SlWriter *sl, uint8_t flags, const char *text, size_t n)
{
        sl->body[sl->len] = flags;
        sl->body[sl->len + 1] = (uint8_t) n;
        if (n > 0)
                memcpy(sl->body + sl->len + 2, text, n);
        sl->len += 2 + n;
}

static void sl_component(SlWriter *sl, const char *text, size_t n, bool last)
{
        for (;;) {
                size_t space = SL_BODY_MAX - sl->len;
                if (2 + n <= space && (last || space - 2 - n >= 3)) {
                        sl_record(sl, 0, text, n);
                        return;
                }
                if (n >= 2 && space >= 3) {
                        size_t k = MIN(n - 1, space - 2);
                        sl_record(sl, SL_CONTINUE, text, k);
                        text += k;
                        n -= k;
                } else if (2 + n <= space) {
                        sl_record(sl, 0, text, n); /* a one-byte component: no better split exists */
                        return;
                }
                sl_flush(sl, true);
        }
}

static size_t sl_single_len(char **parts, bool root)
{
        size_t n = root ? 2 : 0;
        for (size_t i = 0; parts[i]; i++)
                if (parts[i][0])
                        n += 2 + (streq(parts[i], ".") || streq(parts[i], "..") ? 0 : strlen(parts[i]));
        return n;
}

static void sl_add(DirWriter *w, const char *target)
{
        g_auto(GStrv) parts = g_strsplit(target, "/", -1);
        SlWriter sl = { .w = w };
        bool root = target[0] == '/';
        bool single = sl_single_len(parts, root) <= SL_BODY_MAX;
        size_t last = 0;

        for (size_t i = 0; parts[i]; i++)
                if (parts[i][0])
                        last = i;
        if (root)
                sl_record(&sl, SL_ROOT, NULL, 0);
        for (size_t i = 0; parts[i]; i++) {
                const char *c = parts[i];
                if (c[0] == '\0')
                        continue; /* "a//b", a trailing '/' */
                if (single && (streq(c, ".") || streq(c, "..")))
                        sl_record(&sl, streq(c, ".") ? SL_CURRENT : SL_PARENT, NULL, 0);
                else
                        sl_component(&sl, c, strlen(c), i == last);
        }
        sl_flush(&sl, false);
}

static void location_add(DirWriter *w, const char *sig, uint32_t lba)
{
        uint8_t *p = entry_add(w, sig, 12);
        both32_put(p + 4, lba);
}

void rr_entries_build(MasterTree *t, const RrRecord *r, DirWriter *w)
{
        const MasterAttributes *a = r->pseudo ? &t->default_attr : master_node_attr(t, r->node);
        bool entry = r->kind == RR_KIND_ENTRY;
        bool symlink = entry && r->node->p.type == MASTER_ENTRY_SYMLINK;
        uint8_t flags = RR_PX | RR_TF | (entry ? RR_NM : 0) | (symlink ? RR_SL : 0) | (r->cl ? RR_CL : 0) |
                        (r->pl ? RR_PL : 0) | (r->re ? RR_RE : 0);

        g_byte_array_set_size(w->susp, 0);
        g_array_set_size(w->susp_entries, 0);
        if (r->root_dot)
                sp_add(w);
        entry_add(w, "RR", 5)[4] = flags;
        px_add(t, w, r, a);
        tf_add(w, a);
        if (entry)
                nm_add(w, r->node->name);
        if (symlink)
                sl_add(w, r->node->p.target);
        if (r->cl)
                location_add(w, "CL", r->cl_lba);
        if (r->pl)
                location_add(w, "PL", r->pl_lba);
        if (r->re)
                entry_add(w, "RE", 4);
        if (r->root_dot)
                er_add(w);
}

static size_t entry_len(DirWriter *w, guint i)
{
        return w->susp->data[g_array_index(w->susp_entries, uint32_t, i) + 2];
}

static void ce_put(uint8_t *p, uint32_t lba, uint32_t offset, uint32_t len)
{
        p[0] = 'C';
        p[1] = 'E';
        p[2] = CE_LEN;
        p[3] = 1;
        both32_put(p + 4, lba);
        both32_put(p + 12, offset);
        both32_put(p + 20, len);
}

/* Continuation areas never cross a block (Linux isofs reads one block per area). */
uint32_t dir_writer_ce_place(DirWriter *w, size_t len)
{
        uint32_t pos = w->ce_size;

        if (pos % MASTER_BLOCK_SIZE + len > MASTER_BLOCK_SIZE)
                pos = ROUND_UP(pos, MASTER_BLOCK_SIZE);
        w->ce_size = pos + (uint32_t) len;
        if (w->ce_log) {
                uint16_t n = (uint16_t) len;
                g_array_append_val(w->ce_log, n);
        }
        return pos;
}

typedef struct CeArea {
        guint first, end;       /* entries [first, end) */
        size_t len;             /* bytes, with the CE to the next area */
        uint32_t pos;
} CeArea;

static size_t entries_bytes(DirWriter *w, guint first, guint end)
{
        size_t n = 0;
        for (guint i = first; i < end; i++)
                n += entry_len(w, i);
        return n;
}

/* Entries from 'first' that fit in 'cap' bytes, keeping room for a CE when not all of them fit. */
static guint entries_fit(DirWriter *w, guint first, size_t cap, size_t *ret_bytes)
{
        guint n = w->susp_entries->len, i = first;
        size_t used = 0;

        if (entries_bytes(w, first, n) <= cap) {
                *ret_bytes = entries_bytes(w, first, n);
                return n;
        }
        while (i < n && used + entry_len(w, i) + CE_LEN <= cap)
                used += entry_len(w, i++);
        *ret_bytes = used;
        return i;
}

static void ce_area_write(DirWriter *w, const CeArea *a, const CeArea *next)
{
        uint8_t *p;

        if (!w->ce_out)
                return;
        p = w->ce_out + a->pos;
        for (guint i = a->first; i < a->end; i++) {
                size_t n = entry_len(w, i);
                memcpy(p, w->susp->data + g_array_index(w->susp_entries, uint32_t, i), n);
                p += n;
        }
        if (next)
                ce_put(p, w->ce_lba + next->pos / MASTER_BLOCK_SIZE, next->pos % MASTER_BLOCK_SIZE,
                       (uint32_t) next->len);
}

size_t rr_record_finish(DirWriter *w, size_t header_len)
{
        CeArea areas[CE_AREAS_MAX];
        size_t in_record, n_areas = 0;
        guint k = entries_fit(w, 0, ISO_RECORD_MAX - header_len, &in_record);
        size_t len = header_len + in_record;

        memcpy(w->record + header_len, w->susp->data, in_record);
        while (k < w->susp_entries->len) {
                CeArea *a = &areas[n_areas++];
                assert(n_areas <= CE_AREAS_MAX);
                a->first = k;
                k = entries_fit(w, k, MASTER_BLOCK_SIZE, &a->len);
                a->end = k;
                if (k < w->susp_entries->len)
                        a->len += CE_LEN;
                a->pos = dir_writer_ce_place(w, a->len);
        }
        if (n_areas > 0) {
                ce_put(w->record + len, w->ce_lba + areas[0].pos / MASTER_BLOCK_SIZE,
                       areas[0].pos % MASTER_BLOCK_SIZE, (uint32_t) areas[0].len);
                len += CE_LEN;
        }
        for (size_t i = 0; i < n_areas; i++)
                ce_area_write(w, &areas[i], i + 1 < n_areas ? &areas[i + 1] : NULL);
        if (len % 2)
                w->record[len++] = 0;
        iso_record_finish(w->record, len);
        return len;
}
