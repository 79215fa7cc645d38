/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* MasterTree: staging entries, implicit parents, overwrite, transactions with undo, options, exact size. */
#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>

#include "imapi-error.h"
#include "log.h"
#include "master-internal.h"

typedef enum UndoKind {
        UNDO_CREATE,  /* a node was created: remove it */
        UNDO_REPLACE, /* a node's payload was replaced: restore 'old' */
} UndoKind;

struct MasterUndo {
        UndoKind kind;
        MasterNode *node;
        MasterPayload old;
};

#define FILE_SIZE_MAX UINT64_C(0xFFFFFFFF)
/* Relocated directories land at ISO depth 3 (root, RR_MOVED, them): six levels later they move again. */
#define RELOCATION_PERIOD (ISO_MAX_DEPTH - 2)

time_t master_volume_time_default(void)
{
        const char *e = getenv("SOURCE_DATE_EPOCH");
        char *end;

        if (e && *e) {
                errno = 0;
                long long v = strtoll(e, &end, 10);
                if (errno == 0 && *end == '\0')
                        return (time_t) v;
        }
        return time(NULL);
}

static void payload_done(MasterPayload *p)
{
        content_done(&p->content);
        p->target = mfree(p->target);
        p->joliet_natural = mfree(p->joliet_natural);
}

static MasterDir *dir_new(void)
{
        MasterDir *d = g_new0(MasterDir, 1);
        d->children = g_hash_table_new(g_str_hash, g_str_equal);
        d->iso_order = g_ptr_array_new();
        d->joliet_order = g_ptr_array_new();
        d->added = g_ptr_array_new();
        return d;
}

static MasterNode *node_free(MasterNode *n)
{
        if (!n)
                return NULL;
        if (n->dir) {
                if (n->dir->children) {
                        GHashTableIter i;
                        gpointer v;
                        g_hash_table_iter_init(&i, n->dir->children);
                        while (g_hash_table_iter_next(&i, NULL, &v))
                                node_free(v);
                        g_hash_table_unref(n->dir->children);
                }
                g_ptr_array_unref(n->dir->iso_order);
                g_ptr_array_unref(n->dir->joliet_order);
                g_ptr_array_unref(n->dir->added);
                if (n->dir->iso_taken)
                        g_hash_table_unref(n->dir->iso_taken);
                if (n->dir->joliet_taken)
                        g_hash_table_unref(n->dir->joliet_taken);
                g_free(n->dir);
        }
        payload_done(&n->p);
        g_free(n->ce_areas);
        g_free(n->joliet_id);
        g_free(n->name);
        return mfree(n);
}

static bool depth_relocated(MasterTree *t, unsigned depth)
{
        return t->relocate && depth > ISO_MAX_DEPTH && (depth - ISO_MAX_DEPTH - 1) % RELOCATION_PERIOD == 0;
}

static MasterNode *node_new(MasterTree *t, MasterNode *parent, const char *name, MasterPayload *p)
{
        MasterNode *n = g_new0(MasterNode, 1);
        bool is_dir = p->type == MASTER_ENTRY_DIRECTORY;

        n->parent = parent;
        n->name = g_strdup(name);
        n->depth = parent ? parent->depth + 1 : 1;
        n->p = *p;
        *p = (MasterPayload) {};
        if (is_dir)
                n->dir = dir_new();
        n->relocated = is_dir && depth_relocated(t, n->depth);
        iso_name_natural(name, is_dir, n->iso_natural);
        return n;
}

static void default_attr_update(MasterTree *t)
{
        struct tm tm;

        t->default_attr = (MasterAttributes) {
                .mode = 0755,
                .atime = { .tv_sec = t->volume_time },
                .mtime = { .tv_sec = t->volume_time },
                .ctime = { .tv_sec = t->volume_time },
        };
        if (!gmtime_r(&t->volume_time, &tm))
                memset(&tm, 0, sizeof(tm));
        (void) strftime(t->volume_name_default, sizeof(t->volume_name_default), "%Y%m%d_%H%M", &tm);
}

MasterTree *master_tree_new(const MasterLimits *limits)
{
        MasterTree *t = g_new0(MasterTree, 1);
        MasterPayload root = { .type = MASTER_ENTRY_DIRECTORY };

        t->limits = limits ? *limits : MASTER_LIMITS_DEFAULT;
        t->fs = MASTER_FS_ALL;
        t->volume_time = master_volume_time_default();
        default_attr_update(t);
        t->relocate = true;
        t->root = node_new(t, NULL, "", &root);
        t->relocated = g_hash_table_new(NULL, NULL);
        t->dirty = g_hash_table_new(NULL, NULL);
        t->journal = g_array_new(false, false, sizeof(MasterUndo));
        t->n_dirs = 1;
        master_tree_mark_full(t, t->root);
        return t;
}

MasterTree *master_tree_free(MasterTree *t)
{
        if (!t)
                return NULL;
        assert(t->n_images == 0);
        if (t->in_transaction)
                master_tree_rollback(t);
        node_free(t->rr_moved);
        node_free(t->root);
        g_hash_table_unref(t->relocated);
        g_hash_table_unref(t->dirty);
        g_array_unref(t->journal);
        content_done(&t->boot_image);
        g_free(t->volume_name);
        return mfree(t);
}

const MasterAttributes *master_node_attr(MasterTree *t, const MasterNode *n)
{
        if (n->p.type != MASTER_ENTRY_DIRECTORY || n->p.explicit)
                return &n->p.attr;
        return &t->default_attr;
}

bool master_node_in_joliet(MasterTree *t, const MasterNode *n)
{
        return (t->fs & MASTER_FS_JOLIET) && !n->pseudo && n->p.type != MASTER_ENTRY_SYMLINK;
}

bool master_node_in_iso(MasterTree *t, const MasterNode *n)
{
        return n->p.type != MASTER_ENTRY_SYMLINK || (t->fs & MASTER_FS_ROCKRIDGE);
}

MasterNode *master_node_iso_parent(MasterTree *t, const MasterNode *n)
{
        if (n->relocated)
                return t->rr_moved;
        return n->parent ? n->parent : (MasterNode *) n;
}

char *master_node_path(const MasterNode *n)
{
        g_autoptr(GPtrArray) parts = g_ptr_array_new();
        GString *s = g_string_new(NULL);

        for (; n && n->parent; n = n->parent)
                g_ptr_array_add(parts, n->name);
        for (guint i = parts->len; i > 0; i--) {
                if (s->len > 0)
                        g_string_append_c(s, '/');
                g_string_append(s, parts->pdata[i - 1]);
        }
        return g_string_free(s, false);
}

void master_tree_mark_dirty(MasterTree *t, MasterNode *dir)
{
        if (!dir || !dir->dir || dir->dir->dirty)
                return;
        dir->dir->dirty = true;
        g_hash_table_add(t->dirty, dir);
}

void master_tree_mark_full(MasterTree *t, MasterNode *dir)
{
        if (!dir || !dir->dir)
                return;
        master_tree_mark_dirty(t, dir);
        dir->dir->full = true;
        g_ptr_array_set_size(dir->dir->added, 0);
}

static void records_invalidate(MasterNode *n)
{
        n->iso_rec_valid = false;
        n->joliet_rec_valid = false;
}

static void mark_subtree_full(MasterTree *t, MasterNode *n)
{
        GHashTableIter i;
        gpointer v;

        records_invalidate(n);
        master_tree_mark_full(t, n);
        g_hash_table_iter_init(&i, n->dir->children);
        while (g_hash_table_iter_next(&i, NULL, &v)) {
                records_invalidate(v);
                if (((MasterNode *) v)->dir)
                        mark_subtree_full(t, v);
        }
}

/* After option changes: every name, order and record size again. */
void master_tree_mark_all_dirty(MasterTree *t)
{
        mark_subtree_full(t, t->root);
        if (t->rr_moved) {
                records_invalidate(t->rr_moved);
                master_tree_mark_full(t, t->rr_moved);
        }
}

/* n's payload changed. Its record changes in its parent (and in RR_MOVED), a directory's attributes also in
 * its "." and in the ".." of its subdirectories; a new type or Joliet name changes names and order. */
static void payload_changed(MasterTree *t, MasterNode *n, const MasterPayload *old)
{
        GHashTableIter i;
        gpointer v;

        records_invalidate(n);
        if (old->type != n->p.type || g_strcmp0(old->joliet_natural, n->p.joliet_natural) != 0 ||
            old->joliet_bad != n->p.joliet_bad)
                master_tree_mark_full(t, n->parent);
        master_tree_mark_dirty(t, n->parent);
        master_tree_mark_dirty(t, master_node_iso_parent(t, n));
        if (!n->dir)
                return;
        master_tree_mark_dirty(t, n);
        g_hash_table_iter_init(&i, n->dir->children);
        while (g_hash_table_iter_next(&i, NULL, &v))
                master_tree_mark_dirty(t, v);
}

static void payload_account(MasterTree *t, const MasterPayload *p, int sign)
{
        if (p->type == MASTER_ENTRY_FILE) {
                t->file_blocks += (uint64_t) sign * DIV_ROUND_UP(p->content.size, MASTER_BLOCK_SIZE);
                t->file_bytes += (uint64_t) sign * p->content.size;
        }
        if (p->joliet_bad)
                t->n_joliet_bad += (size_t) sign;
}

static void rr_moved_update(MasterTree *t)
{
        size_t n = g_hash_table_size(t->relocated);

        if (n > 0 && !t->rr_moved) {
                MasterPayload p = { .type = MASTER_ENTRY_DIRECTORY };
                t->rr_moved = node_new(t, t->root, "rr_moved", &p);
                t->rr_moved->pseudo = true;
                g_hash_table_unref(t->rr_moved->dir->children);
                t->rr_moved->dir->children = NULL;
                strcpy(t->rr_moved->iso_natural, "RR_MOVED");
                t->n_dirs++;
                master_tree_mark_full(t, t->rr_moved);
                master_tree_mark_full(t, t->root);
        } else if (n == 0 && t->rr_moved) {
                master_dir_forget(t, t->rr_moved);
                t->rr_moved = node_free(t->rr_moved);
                t->n_dirs--;
                master_tree_mark_full(t, t->root);
        } else
                master_tree_mark_full(t, t->rr_moved);
}

static void node_attach(MasterTree *t, MasterNode *n)
{
        g_hash_table_insert(n->parent->dir->children, n->name, n);
        t->n_entries++;
        payload_account(t, &n->p, +1);
        master_tree_mark_dirty(t, n->parent);
        if (!n->parent->dir->full)
                g_ptr_array_add(n->parent->dir->added, n);
        if (!n->dir)
                return;
        n->parent->dir->n_subdirs++;
        t->n_dirs++;
        if (n->depth > ISO_MAX_DEPTH)
                t->n_deep_dirs++;
        master_tree_mark_full(t, n);
        if (n->relocated) {
                g_hash_table_add(t->relocated, n);
                rr_moved_update(t);
        }
}

static void node_detach(MasterTree *t, MasterNode *n)
{
        assert(!n->dir || g_hash_table_size(n->dir->children) == 0);
        g_hash_table_remove(n->parent->dir->children, n->name);
        t->n_entries--;
        payload_account(t, &n->p, -1);
        master_tree_mark_full(t, n->parent); /* a name freed may be the one another now gets */
        if (!n->dir)
                return;
        n->parent->dir->n_subdirs--;
        t->n_dirs--;
        if (n->depth > ISO_MAX_DEPTH)
                t->n_deep_dirs--;
        master_dir_forget(t, n);
        if (n->relocated) {
                g_hash_table_remove(t->relocated, n);
                rr_moved_update(t);
        }
}

static void journal_push(MasterTree *t, UndoKind kind, MasterNode *n, MasterPayload *old)
{
        MasterUndo u = { .kind = kind, .node = n };

        if (old) {
                u.old = *old;
                *old = (MasterPayload) {};
        }
        g_array_append_val(t->journal, u);
}

static void undo_one(MasterTree *t, MasterUndo *u)
{
        MasterNode *n = u->node;

        if (u->kind == UNDO_CREATE) {
                node_detach(t, n);
                node_free(n);
                return;
        }
        MasterPayload replaced = n->p;

        payload_account(t, &n->p, -1);
        n->p = u->old;
        payload_account(t, &n->p, +1);
        payload_changed(t, n, &replaced);
        payload_done(&replaced);
}

static void journal_rollback_to(MasterTree *t, guint mark)
{
        while (t->journal->len > mark) {
                MasterUndo *u = &g_array_index(t->journal, MasterUndo, t->journal->len - 1);
                undo_one(t, u);
                g_array_set_size(t->journal, t->journal->len - 1);
        }
}

static void journal_commit(MasterTree *t)
{
        for (guint i = 0; i < t->journal->len; i++)
                payload_done(&g_array_index(t->journal, MasterUndo, i).old);
        g_array_set_size(t->journal, 0);
}

int master_tree_begin(MasterTree *t)
{
        if (t->in_transaction || t->n_images > 0)
                return -EBUSY;
        t->in_transaction = true;
        return 0;
}

void master_tree_commit(MasterTree *t)
{
        journal_commit(t);
        t->in_transaction = false;
}

void master_tree_rollback(MasterTree *t)
{
        journal_rollback_to(t, 0);
        t->in_transaction = false;
}

bool master_tree_in_transaction(MasterTree *t)
{
        return t->in_transaction;
}

static int payload_make(MasterTree *t, const char *path, const char *name, const MasterEntry *e,
                        MasterAddFlags flags, bool explicit, MasterPayload *ret, char **reterr_message)
{
        MasterPayload p = {
                .type = e->type,
                .attr = e->attr,
                .explicit = explicit,
                .mangle = flags & MASTER_ADD_MANGLE_NAMES,
        };
        int r;

        if (e->type != MASTER_ENTRY_SYMLINK) {
                r = joliet_name_natural(name, p.mangle, &p.joliet_natural);
                if (r < 0 && (t->fs & MASTER_FS_JOLIET))
                        return error_set_message(reterr_message, r,
                                                 "Name '%s' of '%s' cannot be written to Joliet (over %d "
                                                 "characters, or one of * / : ; ? \\, a control character or "
                                                 "a character outside the BMP)",
                                                 name, path, JOLIET_NAME_MAX);
                p.joliet_bad = r < 0;
        }
        if (e->type == MASTER_ENTRY_FILE)
                content_copy(&p.content, e->content);
        else if (e->type == MASTER_ENTRY_SYMLINK)
                p.target = g_strdup(e->symlink_target);
        *ret = p;
        return 0;
}

static int child_create_check(MasterTree *t, const char *path, MasterNode *parent, bool is_dir,
                              char **reterr_message)
{
        unsigned depth = parent->depth + 1;

        if (t->limits.max_entries > 0 && t->n_entries >= t->limits.max_entries)
                return error_set_message(reterr_message, IMAPI_ERROR_LIMITS_EXCEEDED,
                                         "Cannot stage '%s': the disc master holds %zu entries already", path,
                                         t->n_entries);
        if (!is_dir)
                return 0;
        if (depth > ISO_MAX_DEPTH && !(t->fs & (MASTER_FS_JOLIET | MASTER_FS_ROCKRIDGE)))
                return error_set_message(reterr_message, IMAPI_ERROR_ISO9660_LEVELS,
                                         "Directory '%s' is %u levels deep; ISO 9660 alone allows %d", path,
                                         depth, ISO_MAX_DEPTH);
        if (t->n_dirs + 1 + (depth_relocated(t, depth) && !t->rr_moved) > MASTER_MAX_DIRS)
                return error_set_message(reterr_message, IMAPI_ERROR_TOO_MANY_DIRS,
                                         "Cannot stage directory '%s': more than %u directories", path,
                                         MASTER_MAX_DIRS);
        return 0;
}

static int child_create(MasterTree *t, const char *path, MasterNode *parent, const char *name,
                        const MasterEntry *e, MasterAddFlags flags, bool explicit, MasterNode **ret,
                        char **reterr_message)
{
        MasterPayload p;
        int r;

        r = child_create_check(t, path, parent, e->type == MASTER_ENTRY_DIRECTORY, reterr_message);
        if (r < 0)
                return r;
        r = payload_make(t, path, name, e, flags, explicit, &p, reterr_message);
        if (r < 0)
                return r;

        MasterNode *n = node_new(t, parent, name, &p);
        node_attach(t, n);
        journal_push(t, UNDO_CREATE, n, NULL);
        *ret = n;
        return 0;
}

static int node_replace(MasterTree *t, const char *path, MasterNode *n, const MasterEntry *e,
                        MasterAddFlags flags, char **reterr_message)
{
        MasterPayload p;
        int r;

        r = payload_make(t, path, n->name, e, flags, true, &p, reterr_message);
        if (r < 0)
                return r;
        payload_account(t, &n->p, -1);
        journal_push(t, UNDO_REPLACE, n, &n->p);
        n->p = p;
        payload_account(t, &n->p, +1);
        payload_changed(t, n, &g_array_index(t->journal, MasterUndo, t->journal->len - 1).old);
        return 0;
}

static int add_existing(MasterTree *t, const char *path, MasterNode *n, const MasterEntry *e,
                        MasterAddFlags flags, char **reterr_message)
{
        bool want_dir = e->type == MASTER_ENTRY_DIRECTORY;

        if (want_dir && !n->dir)
                return error_set_message(reterr_message, IMAPI_ERROR_NOT_DIR,
                                         "Cannot add directory '%s': a file or symlink is staged there", path);
        if (!want_dir && n->dir)
                return error_set_message(reterr_message, IMAPI_ERROR_NOT_FILE,
                                         "Cannot add '%s': a directory is staged there", path);
        if (!(flags & MASTER_ADD_OVERWRITE) && !(n->dir && !n->p.explicit))
                return error_set_message(reterr_message, IMAPI_ERROR_FILE_EXISTS,
                                         "'%s' is staged already", path);
        if (n->dir) {
                /* A directory keeps the mangling choice it was created with: its children's names are
                 * unaffected, and its own Joliet name stays. */
                flags = (flags & ~MASTER_ADD_MANGLE_NAMES) | (n->p.mangle ? MASTER_ADD_MANGLE_NAMES : 0);
        }
        return node_replace(t, path, n, e, flags, reterr_message);
}

static int entry_check(MasterTree *t, const char *path, const MasterEntry *e, char **reterr_message)
{
        if (!e || e->type < 0 || e->type >= _MASTER_ENTRY_TYPE_MAX ||
            (e->type == MASTER_ENTRY_FILE && !e->content))
                return error_set_message(reterr_message, IMAPI_ERROR_INVALID_PARAM,
                                         "Invalid entry for '%s'", path);
        if (e->type == MASTER_ENTRY_FILE) {
                if (e->content->size > FILE_SIZE_MAX)
                        return error_set_message(reterr_message, IMAPI_ERROR_DATA_TOO_BIG,
                                                 "File '%s' is %" PRIu64 " bytes; ISO 9660 holds files of "
                                                 "less than 4 GiB",
                                                 path, e->content->size);
        }
        if (e->type == MASTER_ENTRY_SYMLINK &&
            (!e->symlink_target || e->symlink_target[0] == '\0' ||
             strlen(e->symlink_target) > t->limits.max_symlink_bytes))
                return error_set_message(reterr_message, IMAPI_ERROR_INVALID_PARAM,
                                         "Symlink '%s' has an empty target or one longer than %zu bytes", path,
                                         t->limits.max_symlink_bytes);
        return 0;
}

static int add_walk(MasterTree *t, const char *path, char **parts, const MasterEntry *e, MasterAddFlags flags,
                    char **reterr_message)
{
        static const MasterEntry implicit_dir = { .type = MASTER_ENTRY_DIRECTORY };
        MasterNode *dir = t->root;
        int r;

        for (size_t i = 0; parts[i + 1]; i++) {
                MasterNode *n = g_hash_table_lookup(dir->dir->children, parts[i]);
                if (n && !n->dir) {
                        g_autofree char *p = master_node_path(n);
                        return error_set_message(reterr_message, IMAPI_ERROR_NOT_DIR,
                                                 "Cannot add '%s': '%s' is staged as a file or symlink", path, p);
                }
                if (!n) {
                        r = child_create(t, path, dir, parts[i], &implicit_dir, flags, false, &n,
                                         reterr_message);
                        if (r < 0)
                                return r;
                }
                dir = n;
        }

        const char *name = parts[g_strv_length(parts) - 1];
        MasterNode *n = g_hash_table_lookup(dir->dir->children, name);
        if (n)
                return add_existing(t, path, n, e, flags, reterr_message);
        return child_create(t, path, dir, name, e, flags, true, &n, reterr_message);
}

int master_tree_add(MasterTree *t, const char *path, const MasterEntry *e, MasterAddFlags flags,
                    char **reterr_message)
{
        g_auto(GStrv) parts = NULL;
        guint mark = t->journal->len;
        int r;

        if (t->n_images > 0)
                return error_set_message(reterr_message, IMAPI_ERROR_BUSY,
                                         "Cannot stage '%s' while the image is being written", path);
        r = master_path_split(path, &t->limits, &parts, reterr_message);
        if (r < 0)
                return r;
        r = entry_check(t, path, e, reterr_message);
        if (r < 0)
                return r;

        r = add_walk(t, path, parts, e, flags, reterr_message);
        if (r < 0)
                journal_rollback_to(t, mark);
        else if (!t->in_transaction)
                journal_commit(t);
        log_debug("Staged '%s': %s", path, r < 0 ? error_to_string(r) : "ok");
        return r;
}

uint64_t master_tree_used_blocks(MasterTree *t)
{
        if (t->n_images > 0)
                return t->frozen_blocks;
        master_layout_update(t);
        return master_layout_total(t);
}

size_t master_tree_n_entries(MasterTree *t)
{
        return t->n_entries;
}

uint64_t master_tree_n_file_bytes(MasterTree *t)
{
        return t->file_bytes;
}

static MasterNode *find_joliet_bad(MasterNode *n)
{
        GHashTableIter i;
        gpointer v;

        if (n->p.joliet_bad)
                return n;
        if (!n->dir || !n->dir->children)
                return NULL;
        g_hash_table_iter_init(&i, n->dir->children);
        while (g_hash_table_iter_next(&i, NULL, &v)) {
                MasterNode *bad = find_joliet_bad(v);
                if (bad)
                        return bad;
        }
        return NULL;
}

int master_tree_set_file_systems(MasterTree *t, unsigned mask, char **reterr_message)
{
        if (t->n_images > 0)
                return -IMAPI_ERROR_BUSY;
        if (!(mask & MASTER_FS_ISO9660) || (mask & ~(unsigned) MASTER_FS_ALL))
                return error_set_message(reterr_message, IMAPI_ERROR_INVALID_PARAM,
                                         "File systems must include iso9660 and be among iso9660, joliet, "
                                         "rockridge");
        if ((mask & MASTER_FS_JOLIET) && t->n_joliet_bad > 0) {
                g_autofree char *p = master_node_path(find_joliet_bad(t->root));
                return error_set_message(reterr_message, IMAPI_ERROR_BAD_JOLIET_NAME,
                                         "Cannot write Joliet: the staged name '%s' cannot be represented", p);
        }
        if (!(mask & (MASTER_FS_JOLIET | MASTER_FS_ROCKRIDGE)) && t->n_deep_dirs > 0)
                return error_set_message(reterr_message, IMAPI_ERROR_ISO9660_LEVELS,
                                         "Cannot write ISO 9660 alone: directories deeper than %d levels are "
                                         "staged",
                                         ISO_MAX_DEPTH);
        if (mask != t->fs) {
                t->fs = mask;
                master_tree_mark_all_dirty(t);
        }
        return 0;
}

unsigned master_tree_get_file_systems(MasterTree *t)
{
        return t->fs;
}

int master_tree_set_volume_name(MasterTree *t, const char *name, char **reterr_message)
{
        if (t->n_images > 0)
                return -IMAPI_ERROR_BUSY;
        if (name && *name) {
                bool ok = g_utf8_validate(name, -1, NULL) && g_utf8_strlen(name, -1) <= 32;
                for (const char *p = name; ok && *p; p = g_utf8_next_char(p)) {
                        gunichar c = g_utf8_get_char(p);
                        ok = c >= 0x20 && !(c >= 0x7f && c <= 0x9f);
                }
                if (!ok)
                        return error_set_message(reterr_message, IMAPI_ERROR_INVALID_VOLUME_NAME,
                                                 "Volume name must be UTF-8 of at most 32 characters without "
                                                 "control characters");
        }
        g_free(t->volume_name);
        t->volume_name = name && *name ? g_strdup(name) : NULL;
        return 0;
}

const char *master_tree_get_volume_name(MasterTree *t)
{
        return t->volume_name ?: t->volume_name_default;
}

int master_tree_set_volume_time(MasterTree *t, time_t when)
{
        if (t->n_images > 0)
                return -IMAPI_ERROR_BUSY;
        if (when == t->volume_time)
                return 0;
        t->volume_time = when;
        default_attr_update(t);
        master_tree_mark_all_dirty(t); /* implicit directories carry the volume time */
        return 0;
}

time_t master_tree_get_volume_time(MasterTree *t)
{
        return t->volume_time;
}

int master_tree_set_keep_owner(MasterTree *t, bool keep)
{
        if (t->n_images > 0)
                return -IMAPI_ERROR_BUSY;
        t->keep_owner = keep;
        return 0;
}

int master_tree_set_root_attributes(MasterTree *t, const MasterAttributes *attr)
{
        if (t->n_images > 0)
                return -IMAPI_ERROR_BUSY;
        MasterPayload old = t->root->p;

        t->root->p.explicit = attr;
        t->root->p.attr = attr ? *attr : (MasterAttributes) {};
        payload_changed(t, t->root, &old);
        return 0;
}

static void relocation_refresh(MasterTree *t, MasterNode *d)
{
        GHashTableIter i;
        gpointer v;

        if (d->parent) {
                d->relocated = depth_relocated(t, d->depth);
                if (d->relocated)
                        g_hash_table_add(t->relocated, d);
                else
                        g_hash_table_remove(t->relocated, d);
        }
        g_hash_table_iter_init(&i, d->dir->children);
        while (g_hash_table_iter_next(&i, NULL, &v))
                if (((MasterNode *) v)->dir)
                        relocation_refresh(t, v);
}

int master_tree_set_relocate_deep(MasterTree *t, bool relocate, char **reterr_message)
{
        if (t->n_images > 0)
                return -IMAPI_ERROR_BUSY;
        if (relocate == t->relocate)
                return 0;
        if (relocate && t->n_deep_dirs > 0 && t->n_dirs + 1 > MASTER_MAX_DIRS)
                return error_set_message(reterr_message, IMAPI_ERROR_TOO_MANY_DIRS,
                                         "Relocating deep directories needs one directory more than %u",
                                         MASTER_MAX_DIRS);
        t->relocate = relocate;
        relocation_refresh(t, t->root);
        rr_moved_update(t);
        master_tree_mark_all_dirty(t);
        return 0;
}
