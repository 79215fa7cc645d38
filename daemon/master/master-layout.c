/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Layout: the exact total from the cached sizes, and the block address of every area when an image is
 * made. */
#include <assert.h>

#include "imapi-error.h"
#include "log.h"
#include "master-internal.h"

#define SYSTEM_AREA_BLOCKS 16
#define ROOT_PT_RECORD 10

static bool in_joliet(MasterTree *t)
{
        return t->fs & MASTER_FS_JOLIET;
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
