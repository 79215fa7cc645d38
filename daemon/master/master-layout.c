/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Layout: per-directory names and sizes, recomputed for changed directories only; the exact total; and the
 * block address of every area when an image is made. */
#include <assert.h>

#include "imapi-error.h"
#include "log.h"
#include "master-internal.h"

#define SYSTEM_AREA_BLOCKS 16
#define ROOT_PT_RECORD 10

static void pt_bytes_set(MasterTree *t, MasterNode *d, size_t iso, size_t joliet)
{
        t->iso_pt_bytes += iso - d->iso_pt_bytes;
        t->joliet_pt_bytes += joliet - d->joliet_pt_bytes;
        d->iso_pt_bytes = (uint16_t) iso;
        d->joliet_pt_bytes = (uint16_t) joliet;
}

static bool in_joliet(MasterTree *t)
{
        return t->fs & MASTER_FS_JOLIET;
}

/* The records of d's ISO 9660 directory, unsorted. */
static void iso_children_collect(MasterTree *t, MasterNode *d, GPtrArray *out)
{
        GHashTableIter i;
        gpointer v;

        g_ptr_array_set_size(out, 0);
        if (d->pseudo) {
                g_hash_table_iter_init(&i, t->relocated);
                while (g_hash_table_iter_next(&i, &v, NULL))
                        g_ptr_array_add(out, v);
                return;
        }
        g_hash_table_iter_init(&i, d->dir->children);
        while (g_hash_table_iter_next(&i, NULL, &v))
                if (master_node_in_iso(t, v))
                        g_ptr_array_add(out, v);
        if (d == t->root && t->rr_moved)
                g_ptr_array_add(out, t->rr_moved);
}

static int iso_order_compare(const void *x, const void *y, void *userdata)
{
        const MasterNode *a = *(MasterNode *const *) x, *b = *(MasterNode *const *) y;
        bool reloc = GPOINTER_TO_INT(userdata);

        return iso_id_compare(reloc ? a->reloc_id : a->iso_id, reloc ? b->reloc_id : b->iso_id);
}

static void iso_names_assign(MasterTree *t, MasterNode *d)
{
        GPtrArray *c = d->dir->iso_order;
        g_autofree NameSlot *slots = NULL;
        g_autofree char **paths = NULL;

        iso_children_collect(t, d, c);
        slots = g_new0(NameSlot, c->len);
        if (d->pseudo)
                paths = g_new0(char *, c->len);
        for (guint i = 0; i < c->len; i++) {
                MasterNode *n = c->pdata[i];
                if (d->pseudo)
                        paths[i] = master_node_path(n);
                slots[i] = (NameSlot) {
                        .natural = n->iso_natural,
                        .tiebreak = d->pseudo ? paths[i] : n->name,
                        .fixed = n->pseudo,
                        .max_units = n->dir || strchr(n->iso_natural, '.') ? ISO_ID_MAX : ISO_ID_MAX - 1,
                };
        }
        names_make_unique(slots, c->len);
        for (guint i = 0; i < c->len; i++) {
                MasterNode *n = c->pdata[i];
                char *id = d->pseudo ? n->reloc_id : n->iso_id;
                g_strlcpy(id, slots[i].result ?: slots[i].natural, ISO_ID_MAX + 1);
                g_free(slots[i].result);
                if (d->pseudo)
                        g_free(paths[i]);
        }
        for (guint i = 0; i < c->len; i++) {
                MasterNode *n = c->pdata[i];
                if (n->dir && (d->pseudo || !n->relocated))
                        pt_bytes_set(t, n, master_pt_record_bytes(n, false), n->joliet_pt_bytes);
        }
        g_ptr_array_sort_with_data(c, iso_order_compare, GINT_TO_POINTER(d->pseudo));
}

static int joliet_order_compare(const void *x, const void *y)
{
        const MasterNode *a = *(MasterNode *const *) x, *b = *(MasterNode *const *) y;
        return joliet_id_compare(master_joliet_name(a), !a->dir, master_joliet_name(b), !b->dir);
}

static void joliet_names_assign(MasterTree *t, MasterNode *d)
{
        GPtrArray *c = d->dir->joliet_order;
        g_autofree NameSlot *slots = NULL;
        GHashTableIter i;
        gpointer v;

        g_ptr_array_set_size(c, 0);
        if (!in_joliet(t) || d->pseudo)
                return;
        g_hash_table_iter_init(&i, d->dir->children);
        while (g_hash_table_iter_next(&i, NULL, &v))
                if (master_node_in_joliet(t, v))
                        g_ptr_array_add(c, v);

        slots = g_new0(NameSlot, c->len);
        for (guint k = 0; k < c->len; k++) {
                MasterNode *n = c->pdata[k];
                slots[k] = (NameSlot) {
                        .natural = n->p.joliet_natural ?: n->name,
                        .tiebreak = n->name,
                        .fixed = !n->p.joliet_natural,
                        .utf8 = true,
                        .max_units = JOLIET_NAME_MAX,
                };
        }
        names_make_unique(slots, c->len);
        for (guint k = 0; k < c->len; k++) {
                MasterNode *n = c->pdata[k];
                g_free(n->joliet_id);
                n->joliet_id = slots[k].result;
                if (n->dir)
                        pt_bytes_set(t, n, n->iso_pt_bytes, master_pt_record_bytes(n, true));
        }
        g_ptr_array_sort(c, joliet_order_compare);
}

static void dir_sizes_set(MasterTree *t, MasterNode *d, uint32_t iso, uint32_t ce, uint32_t joliet)
{
        t->iso_dir_blocks += (uint64_t) iso + ce - d->dir->iso_blocks - d->dir->ce_blocks;
        t->joliet_dir_blocks += (uint64_t) joliet - d->dir->joliet_blocks;
        d->dir->iso_blocks = iso;
        d->dir->ce_blocks = ce;
        d->dir->joliet_blocks = joliet;
}

static void dir_measure(MasterTree *t, MasterNode *d, DirWriter *w)
{
        uint32_t iso, ce, joliet = 0;

        dir_writer_reset(w, NULL, NULL, 0);
        iso_dir_emit(t, NULL, d, w);
        iso = DIV_ROUND_UP(w->size, MASTER_BLOCK_SIZE);
        ce = DIV_ROUND_UP(w->ce_size, MASTER_BLOCK_SIZE);
        if (in_joliet(t) && !d->pseudo) {
                dir_writer_reset(w, NULL, NULL, 0);
                joliet_dir_emit(t, NULL, d, w);
                joliet = DIV_ROUND_UP(w->size, MASTER_BLOCK_SIZE);
        }
        dir_sizes_set(t, d, iso, ce, joliet);
}

/* Names first, for every dirty directory: a directory's path table record is named by its parent. */
void master_layout_update(MasterTree *t)
{
        g_autoptr(GPtrArray) dirs = g_ptr_array_new();
        GHashTableIter i;
        gpointer v;
        DirWriter w;

        if (g_hash_table_size(t->dirty) == 0)
                return;
        g_hash_table_iter_init(&i, t->dirty);
        while (g_hash_table_iter_next(&i, &v, NULL))
                g_ptr_array_add(dirs, v);
        g_hash_table_remove_all(t->dirty);

        t->n_dir_updates += dirs->len;
        for (guint k = 0; k < dirs->len; k++) {
                MasterNode *d = dirs->pdata[k];
                d->dir->dirty = false;
                iso_names_assign(t, d);
                joliet_names_assign(t, d);
                if (!in_joliet(t))
                        pt_bytes_set(t, d, d->iso_pt_bytes, 0);
        }
        dir_writer_init(&w);
        for (guint k = 0; k < dirs->len; k++)
                dir_measure(t, dirs->pdata[k], &w);
        dir_writer_done(&w);
}

void master_dir_forget(MasterTree *t, MasterNode *d)
{
        g_hash_table_remove(t->dirty, d);
        d->dir->dirty = false;
        dir_sizes_set(t, d, 0, 0, 0);
        pt_bytes_set(t, d, 0, 0);
}

uint32_t master_layout_head_blocks(MasterTree *t)
{
        /* system area, PVD, boot record, Joliet SVD, terminator, boot catalog */
        return SYSTEM_AREA_BLOCKS + 1 + t->has_boot + in_joliet(t) + 1 + t->has_boot;
}

static uint64_t pt_blocks(uint64_t bytes)
{
        return DIV_ROUND_UP(bytes, MASTER_BLOCK_SIZE);
}

uint64_t master_layout_total(MasterTree *t)
{
        uint64_t n = master_layout_head_blocks(t);

        n += 2 * pt_blocks(ROOT_PT_RECORD + t->iso_pt_bytes);
        if (in_joliet(t))
                n += 2 * pt_blocks(ROOT_PT_RECORD + t->joliet_pt_bytes);
        n += t->iso_dir_blocks + t->joliet_dir_blocks;
        n += eltorito_image_blocks(t);
        return n + t->file_blocks;
}

/* Breadth first, children in record order: the path table order of ECMA-119 §9.4. */
static void dirs_in_pt_order(MasterTree *t, bool joliet, GPtrArray *out)
{
        g_ptr_array_add(out, t->root);
        for (guint k = 0; k < out->len; k++) {
                MasterNode *d = out->pdata[k];
                GPtrArray *c = joliet ? d->dir->joliet_order : d->dir->iso_order;
                if (joliet)
                        d->dir->joliet_number = (uint16_t) (k + 1);
                else
                        d->dir->iso_number = (uint16_t) (k + 1);
                for (guint i = 0; i < c->len; i++) {
                        MasterNode *n = c->pdata[i];
                        if (n->dir && (joliet || d->pseudo || !n->relocated))
                                g_ptr_array_add(out, n);
                }
        }
}

/* The ISO 9660 subtree below 'top' (top included or not), breadth first, not entering relocated ones. */
static void iso_subtree_append(MasterNode *top, bool include_top, GPtrArray *out)
{
        guint first = out->len;

        g_ptr_array_add(out, top);
        for (guint k = first; k < out->len; k++) {
                MasterNode *d = out->pdata[k];
                for (guint i = 0; i < d->dir->iso_order->len; i++) {
                        MasterNode *n = d->dir->iso_order->pdata[i];
                        if (n->dir && !n->relocated && !n->pseudo)
                                g_ptr_array_add(out, n);
                }
        }
        if (!include_top)
                g_ptr_array_remove_index(out, first);
}

static int relocated_compare(const void *x, const void *y)
{
        const MasterNode *a = *(MasterNode *const *) x, *b = *(MasterNode *const *) y;

        if (a->depth != b->depth)
                return a->depth > b->depth ? -1 : 1;
        return a->dir->iso_number < b->dir->iso_number ? -1 : a->dir->iso_number > b->dir->iso_number;
}

/* Extents of relocated subtrees come first, the deepest relocations first: readers that resolve CL while
 * reading directories in disc order (libarchive) then meet every nested placeholder before the one
 * of its relocated ancestor. Without relocation this is the path table order. */
static void iso_dirs_in_extent_order(MasterTree *t, const GPtrArray *pt_order, GPtrArray *out)
{
        g_autoptr(GPtrArray) reloc = g_ptr_array_new();
        GHashTableIter i;
        gpointer v;

        if (!t->rr_moved) {
                for (guint k = 0; k < pt_order->len; k++)
                        g_ptr_array_add(out, pt_order->pdata[k]);
                return;
        }
        g_hash_table_iter_init(&i, t->relocated);
        while (g_hash_table_iter_next(&i, &v, NULL))
                g_ptr_array_add(reloc, v);
        g_ptr_array_sort(reloc, relocated_compare);

        g_ptr_array_add(out, t->root);
        g_ptr_array_add(out, t->rr_moved);
        for (guint k = 0; k < reloc->len; k++)
                iso_subtree_append(reloc->pdata[k], true, out);
        iso_subtree_append(t->root, false, out);
        assert(out->len == pt_order->len);
}

static uint32_t dirs_place(GPtrArray *dirs, bool joliet, uint32_t lba)
{
        for (guint k = 0; k < dirs->len; k++) {
                MasterDir *d = ((MasterNode *) dirs->pdata[k])->dir;
                if (joliet) {
                        d->joliet_lba = lba;
                        lba += d->joliet_blocks;
                } else {
                        d->iso_lba = lba;
                        lba += d->iso_blocks + d->ce_blocks;
                }
        }
        return lba;
}

/* File data in directory order; serial numbers for Rock Ridge on the way. */
static uint64_t files_place(MasterTree *t, MasterLayout *l, uint64_t lba)
{
        uint32_t ino = 1;

        t->root->ino = ino++;
        for (guint k = 0; k < l->iso_dirs->len; k++) {
                MasterNode *d = l->iso_dirs->pdata[k];
                for (guint i = 0; i < d->dir->iso_order->len; i++) {
                        MasterNode *n = d->dir->iso_order->pdata[i];
                        if (d->pseudo)
                                continue; /* reached from their real parents */
                        n->ino = ino++;
                        n->lba = 0;
                        if (n->p.type != MASTER_ENTRY_FILE || n->p.content.size == 0)
                                continue;
                        n->lba = (uint32_t) MIN(lba, (uint64_t) UINT32_MAX);
                        lba += DIV_ROUND_UP(n->p.content.size, MASTER_BLOCK_SIZE);
                        g_ptr_array_add(l->files, n);
                }
        }
        return lba;
}

void master_layout_done(MasterLayout *l)
{
        g_clear_pointer(&l->iso_dirs, g_ptr_array_unref);
        g_clear_pointer(&l->iso_extents, g_ptr_array_unref);
        g_clear_pointer(&l->joliet_dirs, g_ptr_array_unref);
        g_clear_pointer(&l->files, g_ptr_array_unref);
}

static uint32_t path_tables_place(MasterLayout *l, bool joliet, uint32_t lba, uint32_t bytes)
{
        uint32_t *at = joliet ? l->joliet_pt_lba : l->iso_pt_lba;

        at[0] = lba;
        at[1] = lba + (uint32_t) pt_blocks(bytes);
        return at[1] + (uint32_t) pt_blocks(bytes);
}

int master_layout_assign(MasterTree *t, uint32_t start, MasterLayout *ret, char **reterr_message)
{
        MasterLayout l = {
                .start = start,
                .iso_dirs = g_ptr_array_new(),
                .iso_extents = g_ptr_array_new(),
                .joliet_dirs = g_ptr_array_new(),
                .files = g_ptr_array_new(),
        };
        uint64_t total = master_tree_used_blocks(t), lba = SYSTEM_AREA_BLOCKS + 1;

        if (total > UINT32_MAX - (uint64_t) start) {
                master_layout_done(&l);
                return error_set_message(reterr_message, IMAPI_ERROR_IMAGE_TOO_BIG,
                                         "The image would be %" G_GUINT64_FORMAT " blocks, too many for ISO 9660",
                                         total);
        }
        l.boot_record_lba = t->has_boot ? (uint32_t) lba++ : 0;
        l.joliet_svd_lba = in_joliet(t) ? (uint32_t) lba++ : 0;
        l.terminator_lba = (uint32_t) lba++;
        l.catalog_lba = t->has_boot ? (uint32_t) lba++ : 0;
        l.iso_pt_bytes = (uint32_t) (ROOT_PT_RECORD + t->iso_pt_bytes);
        lba = path_tables_place(&l, false, (uint32_t) lba, l.iso_pt_bytes);
        if (in_joliet(t)) {
                l.joliet_pt_bytes = (uint32_t) (ROOT_PT_RECORD + t->joliet_pt_bytes);
                lba = path_tables_place(&l, true, (uint32_t) lba, l.joliet_pt_bytes);
        }
        dirs_in_pt_order(t, false, l.iso_dirs);
        iso_dirs_in_extent_order(t, l.iso_dirs, l.iso_extents);
        lba = dirs_place(l.iso_extents, false, (uint32_t) lba);
        if (in_joliet(t)) {
                dirs_in_pt_order(t, true, l.joliet_dirs);
                lba = dirs_place(l.joliet_dirs, true, (uint32_t) lba);
        }
        l.boot_lba = (uint32_t) lba;
        lba += eltorito_image_blocks(t);
        lba = files_place(t, &l, lba);

        assert(lba == total); /* the cached sizes are the layout */
        l.n_blocks = (uint32_t) total;
        *ret = l;
        return 0;
}
