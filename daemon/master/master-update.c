/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Per-directory caches brought up to date for dirty directories only: the children's names in each namespace,
 * the record order, each child's record size and the directory's size. Children added under names that
 * cannot collide take a fast path (cost: the added children plus a scan of cached sizes); everything else
 * (removals, collisions, option changes) recomputes the directory's names from its set of children. */
#include "master-internal.h"

/* Below this, a full recomputation is as cheap as the bookkeeping of the fast path. */
#define INCREMENTAL_MIN_CHILDREN 8

static bool in_joliet(MasterTree *t)
{
        return t->fs & MASTER_FS_JOLIET;
}

static void pt_bytes_set(MasterTree *t, MasterNode *d, size_t iso, size_t joliet)
{
        t->iso_pt_bytes += iso - d->iso_pt_bytes;
        t->joliet_pt_bytes += joliet - d->joliet_pt_bytes;
        d->iso_pt_bytes = (uint16_t) iso;
        d->joliet_pt_bytes = (uint16_t) joliet;
}

static void taken_drop(MasterDir *dir)
{
        g_clear_pointer(&dir->iso_taken, g_hash_table_unref);
        g_clear_pointer(&dir->joliet_taken, g_hash_table_unref);
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

static int joliet_order_compare(const void *x, const void *y, void *userdata)
{
        const MasterNode *a = *(MasterNode *const *) x, *b = *(MasterNode *const *) y;
        return joliet_id_compare(master_joliet_name(a), !a->dir, master_joliet_name(b), !b->dir);
}

static unsigned iso_max_units(const MasterNode *n)
{
        return n->dir || strchr(n->iso_natural, '.') ? ISO_ID_MAX : ISO_ID_MAX - 1;
}

static void iso_id_set(MasterNode *n, bool in_rr_moved, const char *id)
{
        char *dst = in_rr_moved ? n->reloc_id : n->iso_id;

        if (!in_rr_moved && !streq(dst, id))
                n->iso_rec_valid = false;
        g_strlcpy(dst, id, ISO_ID_MAX + 1);
}

static void iso_names_full(MasterTree *t, MasterNode *d)
{
        GPtrArray *c = d->dir->iso_order;
        g_autofree NameSlot *slots = NULL;
        g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);

        iso_children_collect(t, d, c);
        slots = g_new0(NameSlot, c->len);
        for (guint i = 0; i < c->len; i++) {
                MasterNode *n = c->pdata[i];
                if (d->pseudo)
                        g_ptr_array_add(paths, master_node_path(n));
                slots[i] = (NameSlot) {
                        .natural = n->iso_natural,
                        .tiebreak = d->pseudo ? paths->pdata[i] : n->name,
                        .fixed = n->pseudo,
                        .max_units = iso_max_units(n),
                };
        }
        names_make_unique(slots, c->len);
        for (guint i = 0; i < c->len; i++) {
                MasterNode *n = c->pdata[i];
                iso_id_set(n, d->pseudo, slots[i].result ?: slots[i].natural);
                g_free(slots[i].result);
                if (n->dir && (d->pseudo || !n->relocated))
                        pt_bytes_set(t, n, master_pt_record_bytes(n, false), n->joliet_pt_bytes);
        }
        g_ptr_array_sort_with_data(c, iso_order_compare, GINT_TO_POINTER(d->pseudo));
}

static void joliet_id_set(MasterTree *t, MasterNode *n, char *id)
{
        if (!streq(master_joliet_name(n), id ?: n->p.joliet_natural ?: n->name))
                n->joliet_rec_valid = false;
        g_free(n->joliet_id);
        n->joliet_id = id;
        if (n->dir)
                pt_bytes_set(t, n, n->iso_pt_bytes, master_pt_record_bytes(n, true));
}

static void joliet_names_full(MasterTree *t, MasterNode *d)
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
        for (guint k = 0; k < c->len; k++)
                joliet_id_set(t, c->pdata[k], slots[k].result);
        g_ptr_array_sort_with_data(c, joliet_order_compare, NULL);
}

static void taken_add(GHashTable *h, const char *s)
{
        gpointer n = g_hash_table_lookup(h, s);
        g_hash_table_insert(h, (char *) s, GUINT_TO_POINTER(GPOINTER_TO_UINT(n) + 1));
}

/* Natural names and ids in use: a new child whose natural name is not among them keeps it, and no
 * other name changes (ECMA-119 names are chosen from the set: a fresh name takes nothing from anyone). */
static GHashTable *taken_build(GPtrArray *order, bool joliet)
{
        GHashTable *h = g_hash_table_new(g_str_hash, g_str_equal);

        for (guint i = 0; i < order->len; i++) {
                MasterNode *n = order->pdata[i];
                taken_add(h, joliet ? (n->p.joliet_natural ?: n->name) : n->iso_natural);
                taken_add(h, joliet ? master_joliet_name(n) : n->iso_id);
        }
        return h;
}

/* Inserts the sorted 'add' into the sorted 'order', from the end, in place. */
static void order_merge(GPtrArray *order, GPtrArray *add, GCompareDataFunc cmp, gpointer data)
{
        guint n = order->len, k = add->len, out = n + k;

        g_ptr_array_sort_with_data(add, cmp, data);
        g_ptr_array_set_size(order, n + k);
        while (k > 0) {
                if (n > 0 && cmp(&order->pdata[n - 1], &add->pdata[k - 1], data) > 0)
                        order->pdata[--out] = order->pdata[--n];
                else
                        order->pdata[--out] = add->pdata[--k];
        }
}

static bool iso_names_incremental(MasterTree *t, MasterNode *d, GPtrArray *added)
{
        MasterDir *dir = d->dir;
        g_autoptr(GPtrArray) add = g_ptr_array_new();

        if (!dir->iso_taken)
                dir->iso_taken = taken_build(dir->iso_order, false);
        for (guint i = 0; i < added->len; i++) {
                MasterNode *n = added->pdata[i];
                if (!master_node_in_iso(t, n))
                        continue;
                if (g_hash_table_contains(dir->iso_taken, n->iso_natural))
                        return false;
                taken_add(dir->iso_taken, n->iso_natural);
                g_ptr_array_add(add, n);
        }
        for (guint i = 0; i < add->len; i++) {
                MasterNode *n = add->pdata[i];
                iso_id_set(n, false, n->iso_natural);
                if (n->dir && !n->relocated)
                        pt_bytes_set(t, n, master_pt_record_bytes(n, false), n->joliet_pt_bytes);
        }
        order_merge(dir->iso_order, add, iso_order_compare, GINT_TO_POINTER(false));
        return true;
}

static bool joliet_names_incremental(MasterTree *t, MasterNode *d, GPtrArray *added)
{
        MasterDir *dir = d->dir;
        g_autoptr(GPtrArray) add = g_ptr_array_new();

        if (!in_joliet(t))
                return true;
        if (!dir->joliet_taken)
                dir->joliet_taken = taken_build(dir->joliet_order, true);
        for (guint i = 0; i < added->len; i++) {
                MasterNode *n = added->pdata[i];
                const char *natural = n->p.joliet_natural ?: n->name;
                if (!master_node_in_joliet(t, n))
                        continue;
                if (g_hash_table_contains(dir->joliet_taken, natural))
                        return false;
                taken_add(dir->joliet_taken, natural);
                g_ptr_array_add(add, n);
        }
        for (guint i = 0; i < add->len; i++)
                joliet_id_set(t, add->pdata[i], NULL);
        order_merge(dir->joliet_order, add, joliet_order_compare, NULL);
        return true;
}

static void names_update(MasterTree *t, MasterNode *d)
{
        MasterDir *dir = d->dir;
        bool incremental = !dir->full && !d->pseudo && dir->iso_order->len >= INCREMENTAL_MIN_CHILDREN;

        if (dir->added->len == 0 && !dir->full && !d->pseudo)
                return; /* only "." or ".." or a child's record changed */
        if (!incremental || !iso_names_incremental(t, d, dir->added) ||
            !joliet_names_incremental(t, d, dir->added)) {
                taken_drop(dir);
                iso_names_full(t, d);
                joliet_names_full(t, d);
        }
        g_ptr_array_set_size(dir->added, 0);
        dir->full = false;
        if (!in_joliet(t))
                pt_bytes_set(t, d, d->iso_pt_bytes, 0);
}

static void iso_record_measure(MasterTree *t, MasterNode *d, MasterNode *c, DirWriter *m)
{
        g_autoptr(GArray) log = g_array_new(false, false, sizeof(uint16_t));

        dir_writer_reset(m, NULL, NULL, 0);
        m->ce_log = log;
        iso_child_emit(t, NULL, d, c, m);
        c->iso_rec_len = (uint8_t) m->size;
        c->n_ce_areas = (uint8_t) log->len;
        g_free(c->ce_areas);
        c->ce_areas = log->len > 0 ? g_memdup2(log->data, log->len * sizeof(uint16_t)) : NULL;
        c->iso_rec_valid = true;
}

/* The ISO 9660 extent and its continuation areas, from cached record sizes; records of RR_MOVED (which
 * differ from the placeholders cached in the real parents) are measured afresh. */
static void iso_dir_scan(MasterTree *t, MasterNode *d, DirWriter *w, DirWriter *m, uint32_t *ret_blocks,
                         uint32_t *ret_ce_blocks)
{
        dir_writer_reset(w, NULL, NULL, 0);
        iso_dots_emit(t, NULL, d, w);
        for (guint i = 0; i < d->dir->iso_order->len; i++) {
                MasterNode *c = d->dir->iso_order->pdata[i];
                if (d->pseudo) {
                        iso_child_emit(t, NULL, d, c, w);
                        continue;
                }
                if (!c->iso_rec_valid)
                        iso_record_measure(t, d, c, m);
                dir_writer_put(w, NULL, c->iso_rec_len);
                for (uint8_t k = 0; k < c->n_ce_areas; k++)
                        (void) dir_writer_ce_place(w, c->ce_areas[k]);
        }
        *ret_blocks = DIV_ROUND_UP(w->size, MASTER_BLOCK_SIZE);
        *ret_ce_blocks = DIV_ROUND_UP(w->ce_size, MASTER_BLOCK_SIZE);
}

static uint32_t joliet_dir_scan(MasterTree *t, MasterNode *d, DirWriter *w, DirWriter *m)
{
        if (!in_joliet(t) || d->pseudo)
                return 0;
        dir_writer_reset(w, NULL, NULL, 0);
        joliet_dots_emit(t, NULL, d, w);
        for (guint i = 0; i < d->dir->joliet_order->len; i++) {
                MasterNode *c = d->dir->joliet_order->pdata[i];
                if (!c->joliet_rec_valid) {
                        dir_writer_reset(m, NULL, NULL, 0);
                        joliet_child_emit(t, NULL, c, m);
                        c->joliet_rec_len = (uint8_t) m->size;
                        c->joliet_rec_valid = true;
                }
                dir_writer_put(w, NULL, c->joliet_rec_len);
        }
        return DIV_ROUND_UP(w->size, MASTER_BLOCK_SIZE);
}

static void dir_sizes_set(MasterTree *t, MasterNode *d, uint32_t iso, uint32_t ce, uint32_t joliet)
{
        t->iso_dir_blocks += (uint64_t) iso + ce - d->dir->iso_blocks - d->dir->ce_blocks;
        t->joliet_dir_blocks += (uint64_t) joliet - d->dir->joliet_blocks;
        d->dir->iso_blocks = iso;
        d->dir->ce_blocks = ce;
        d->dir->joliet_blocks = joliet;
}

void master_layout_update(MasterTree *t)
{
        g_autoptr(GPtrArray) dirs = g_ptr_array_new();
        GHashTableIter i;
        gpointer v;
        DirWriter w, m;

        if (g_hash_table_size(t->dirty) == 0)
                return;
        g_hash_table_iter_init(&i, t->dirty);
        while (g_hash_table_iter_next(&i, &v, NULL))
                g_ptr_array_add(dirs, v);
        g_hash_table_remove_all(t->dirty);
        t->n_dir_updates += dirs->len;

        dir_writer_init(&w);
        dir_writer_init(&m);
        for (guint k = 0; k < dirs->len; k++) {
                MasterNode *d = dirs->pdata[k];
                uint32_t iso, ce, joliet;

                d->dir->dirty = false;
                names_update(t, d);
                iso_dir_scan(t, d, &w, &m, &iso, &ce);
                joliet = joliet_dir_scan(t, d, &w, &m);
                dir_sizes_set(t, d, iso, ce, joliet);
        }
        dir_writer_done(&w);
        dir_writer_done(&m);
}

void master_dir_forget(MasterTree *t, MasterNode *d)
{
        g_hash_table_remove(t->dirty, d);
        d->dir->dirty = false;
        dir_sizes_set(t, d, 0, 0, 0);
        pt_bytes_set(t, d, 0, 0);
}
