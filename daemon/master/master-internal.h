/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The mastering engine's shared insides: tree nodes, per-directory caches and the helpers the files of
 * daemon/master/ call on each other. Not for use outside daemon/master/ and its unit tests. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "master-image.h"
#include "master-tree.h"

/* ECMA-119 level 2: file name + extension <= 30 characters, directory identifiers <= 31. */
#define ISO_ID_MAX 31
#define ISO_EXT_MAX 8
/* Joliet: 64 UCS-2 characters, without the ";1" version. */
#define JOLIET_NAME_MAX 64
/* ECMA-119 §6.8.2.1: at most eight levels of directories, the root being level 1. */
#define ISO_MAX_DEPTH 8
/* Directory records hold up to 255 bytes; we keep them even. */
#define ISO_RECORD_MAX 254
#define ISO_RECORD_BASE 33
#define MASTER_MAX_DIRS 65535U

static inline void *mfree(void *p)
{
        g_free(p);
        return NULL;
}

#ifndef streq
#define streq(a, b) (strcmp((a), (b)) == 0)
#endif

typedef struct MasterNode MasterNode;

typedef struct MasterDir {
        GHashTable *children;   /* name → MasterNode*, the real children (NULL for RR_MOVED) */
        GPtrArray *iso_order;   /* records of the ISO 9660 directory, in ECMA-119 §9.3 order */
        GPtrArray *joliet_order; /* records of the Joliet directory (no symlinks), sorted */
        unsigned n_subdirs;     /* real subdirectories */
        bool dirty;             /* in MasterTree.dirty: its "." and ".." and its size need an update */
        bool full;              /* and all names and the order too (after removals, option changes) */
        GPtrArray *added;       /* children added since the last update (when not full) */
        GHashTable *iso_taken;  /* large directories: natural names and ids in use → count */
        GHashTable *joliet_taken;
        /* cached sizes of this directory's extents, in blocks */
        uint32_t iso_blocks;
        uint32_t ce_blocks;     /* Rock Ridge continuation areas, right after the ISO extent */
        uint32_t joliet_blocks;
        /* layout of the current image (session-relative) */
        uint32_t iso_lba;
        uint32_t joliet_lba;
        uint16_t iso_number;    /* path table record number */
        uint16_t joliet_number;
} MasterDir;

/* What an entry carries besides its name and place: swapped as a whole on overwrite and rollback. */
typedef struct MasterPayload {
        MasterEntryType type;
        MasterAttributes attr;  /* directories: valid when explicit */
        Content content;        /* files */
        char *target;           /* symlinks */
        bool explicit;          /* directories: attributes came from an entry */
        bool mangle;            /* added with MASTER_ADD_MANGLE_NAMES */
        bool joliet_bad;        /* the name cannot be written to Joliet and may not be mangled */
        char *joliet_natural;   /* the mangled Joliet name; NULL when the name itself is valid */
} MasterPayload;

struct MasterNode {
        MasterNode *parent;     /* the real parent; NULL for the root */
        char *name;             /* the client's name (Rock Ridge NM); "" for the root */
        unsigned depth;         /* the root is 1 */
        bool relocated;         /* an ISO 9660 directory moved to RR_MOVED (depth 9, 15, 21, ...) */
        bool pseudo;            /* RR_MOVED itself */
        MasterPayload p;
        char iso_natural[ISO_ID_MAX + 1]; /* "BASE.EXT" or "BASE", without version */
        char iso_id[ISO_ID_MAX + 1];      /* unique in the parent; written with ".;1"/";1" for files */
        char reloc_id[ISO_ID_MAX + 1];    /* relocated directories: unique in RR_MOVED */
        char *joliet_id;        /* unique Joliet name when it differs from the natural one */
        uint16_t iso_pt_bytes;  /* directories: their path table record sizes */
        uint16_t joliet_pt_bytes;
        /* the size of this node's record in its parent's directories, cached until it changes */
        bool iso_rec_valid;
        bool joliet_rec_valid;
        uint8_t iso_rec_len;
        uint8_t joliet_rec_len;
        uint8_t n_ce_areas;     /* Rock Ridge continuation areas of the ISO record, their lengths */
        uint16_t *ce_areas;
        MasterDir *dir;
        /* layout of the current image */
        uint32_t lba;           /* files: data extent, session-relative */
        uint32_t ino;           /* Rock Ridge PX file serial number */
};

typedef struct MasterUndo MasterUndo;

struct MasterTree {
        MasterLimits limits;
        MasterNode *root;
        MasterNode *rr_moved;   /* the ISO 9660 relocation directory, when something is relocated */
        GHashTable *relocated;  /* set of relocated directory nodes */
        bool relocate;          /* relocate deep directories (else keep them in place) */
        GHashTable *dirty;      /* set of directory nodes whose caches are stale */

        unsigned fs;
        char *volume_name;      /* NULL = default */
        char volume_name_default[32];
        time_t volume_time;
        MasterAttributes default_attr; /* implicit directories, the root and RR_MOVED */
        bool keep_owner;

        bool has_boot;
        uint8_t boot_platform;
        uint8_t boot_emulation;
        uint8_t boot_system_type;
        char boot_manufacturer[25];
        Content boot_image;

        size_t n_entries;
        size_t n_dirs;          /* ISO 9660 directories, root and RR_MOVED included */
        size_t n_deep_dirs;     /* directories deeper than ISO_MAX_DEPTH */
        size_t n_joliet_bad;
        uint64_t file_blocks;
        uint64_t file_bytes;
        uint64_t iso_dir_blocks; /* directory extents and continuation areas */
        uint64_t joliet_dir_blocks;
        uint64_t iso_pt_bytes;
        uint64_t joliet_pt_bytes;

        GArray *journal;        /* MasterUndo, while a transaction is open */
        bool in_transaction;
        unsigned n_images;
        uint64_t frozen_blocks;
        uint64_t n_dir_updates; /* directories recomputed, for tests of the incremental cost */
};

/* master-tree.c */
const MasterAttributes *master_node_attr(MasterTree *t, const MasterNode *n);
bool master_node_in_joliet(MasterTree *t, const MasterNode *n);
bool master_node_in_iso(MasterTree *t, const MasterNode *n);
MasterNode *master_node_iso_parent(MasterTree *t, const MasterNode *n);
char *master_node_path(const MasterNode *n);
void master_tree_mark_dirty(MasterTree *t, MasterNode *dir);
void master_tree_mark_full(MasterTree *t, MasterNode *dir);
void master_tree_mark_all_dirty(MasterTree *t);

/* master-names.c */
int master_path_split(const char *path, const MasterLimits *limits, char ***ret, char **reterr_message);
void iso_name_natural(const char *name, bool directory, char ret[static ISO_ID_MAX + 1]);
/* 0 and *ret = NULL: the name is Joliet-valid; 1 and *ret: the mangled name; -BAD_JOLIET_NAME when invalid. */
int joliet_name_natural(const char *name, bool mangle, char **ret);
int iso_id_compare(const char *a, const char *b);
int joliet_id_compare(const char *a, bool a_file, const char *b, bool b_file);

typedef struct NameSlot {
        const char *natural;
        const char *tiebreak;   /* orders slots with the same natural name */
        bool fixed;             /* keeps its natural name: known unique */
        bool utf8;              /* lengths count code points (Joliet), else bytes (ISO) */
        unsigned max_units;
        char *result;           /* out: the unique name when it differs from natural (g_free) */
} NameSlot;
void names_make_unique(NameSlot *slots, size_t n);

/* The image's layout: where every area starts (session-relative blocks). */
typedef struct MasterLayout {
        uint32_t start;         /* the session's first block on the disc */
        uint32_t n_blocks;
        uint32_t boot_record_lba;
        uint32_t joliet_svd_lba;
        uint32_t terminator_lba;
        uint32_t catalog_lba;
        uint32_t iso_pt_lba[2];  /* L (little-endian) and M (big-endian) path tables */
        uint32_t joliet_pt_lba[2];
        uint32_t iso_pt_bytes;
        uint32_t joliet_pt_bytes;
        uint32_t boot_lba;
        GPtrArray *iso_dirs;    /* path table order */
        GPtrArray *iso_extents; /* the same directories in the order of their extents */
        GPtrArray *joliet_dirs;
        GPtrArray *files;       /* files with data, in block order */
} MasterLayout;

/* Where a directory's records go: measuring (out == NULL) and writing share the placement rules, so the
 * sizes cached while staging are the sizes written. */
typedef struct DirWriter {
        uint8_t *out;           /* the directory extent, or NULL */
        uint8_t *ce_out;        /* its continuation areas, or NULL */
        uint32_t size;          /* bytes of the extent used so far */
        uint32_t ce_size;       /* bytes of the continuation areas used so far */
        uint32_t ce_lba;        /* absolute block of the first continuation block */
        GArray *ce_log;         /* when set: the length (uint16_t) of each continuation area placed */
        GByteArray *susp;       /* scratch: the current record's System Use entries */
        GArray *susp_entries;   /* scratch: their offsets (uint32_t) */
        uint8_t record[256];
} DirWriter;

void dir_writer_init(DirWriter *w);
void dir_writer_done(DirWriter *w);
void dir_writer_reset(DirWriter *w, uint8_t *out, uint8_t *ce_out, uint32_t ce_lba);
/* Places a record of 'len' bytes; a record never crosses a block boundary (ECMA-119 §6.8.1.1). */
void dir_writer_put(DirWriter *w, const uint8_t *record, size_t len);
/* Places a continuation area of 'len' bytes; areas never cross a block (Linux isofs reads one block). */
uint32_t dir_writer_ce_place(DirWriter *w, size_t len);

/* master-iso9660.c: ECMA-119 structures */
#define ISO_FLAG_HIDDEN 0x01
#define ISO_FLAG_DIRECTORY 0x02

typedef struct IsoRecord {
        const uint8_t *id;
        size_t id_len;
        uint32_t lba;           /* absolute */
        uint32_t size;
        time_t mtime;
        uint8_t flags;
} IsoRecord;

bool iso_date7_fits(time_t t);
void iso_date7_put(uint8_t *p, time_t t);
void iso_date17_put(uint8_t *p, time_t t, long nsec);
void iso_strpad(uint8_t *p, size_t n, const char *s);
uint32_t dir_nlink(MasterTree *t, const MasterNode *d);
size_t iso_record_header(uint8_t *p, const IsoRecord *r);
void iso_record_finish(uint8_t *p, size_t len);
void iso_dir_emit(MasterTree *t, const MasterLayout *l, MasterNode *d, DirWriter *w);
void iso_dots_emit(MasterTree *t, const MasterLayout *l, MasterNode *d, DirWriter *w);
void iso_child_emit(MasterTree *t, const MasterLayout *l, MasterNode *d, MasterNode *c, DirWriter *w);
void iso_pvd_put(MasterTree *t, const MasterLayout *l, uint8_t *b);
void iso_terminator_put(uint8_t *b);
size_t master_pt_record_bytes(const MasterNode *d, bool joliet);
void path_table_put(MasterTree *t, const MasterLayout *l, bool joliet, bool msb, uint8_t *out);
uint32_t node_abs_lba(const MasterLayout *l, const MasterNode *n, bool joliet);
uint32_t node_data_size(const MasterNode *n, bool joliet);

/* master-rockridge.c: SUSP 1.12 / RRIP 1.12 entries */
typedef enum RrKind {
        RR_KIND_DOT,
        RR_KIND_DOTDOT,
        RR_KIND_ENTRY,
} RrKind;

typedef struct RrRecord {
        RrKind kind;
        const MasterNode *node; /* whose attributes and name */
        bool root_dot;          /* SP first, and the ER in a continuation area */
        bool pseudo;            /* RR_MOVED: default attributes */
        bool cl;                /* CL: a placeholder for the relocated directory at cl_lba */
        uint32_t cl_lba;
        bool pl;                /* PL: ".." of a relocated directory; the real parent is at pl_lba */
        uint32_t pl_lba;
        bool re;                /* RE: a relocated directory (or RR_MOVED) */
        uint32_t nlink;
        uint32_t ino;
} RrRecord;

void rr_entries_build(MasterTree *t, const RrRecord *r, DirWriter *w);
/* Writes the record (header in w->record, entries in w->susp) splitting entries into the record and
 * continuation areas; returns the record's length. */
size_t rr_record_finish(DirWriter *w, size_t header_len);

/* master-joliet.c */
size_t joliet_ucs2_put(uint8_t *p, size_t max_bytes, const char *utf8);
const char *master_joliet_name(const MasterNode *n);
void joliet_dir_emit(MasterTree *t, const MasterLayout *l, MasterNode *d, DirWriter *w);
void joliet_dots_emit(MasterTree *t, const MasterLayout *l, MasterNode *d, DirWriter *w);
void joliet_child_emit(MasterTree *t, const MasterLayout *l, MasterNode *c, DirWriter *w);
void joliet_svd_put(MasterTree *t, const MasterLayout *l, uint8_t *b);

/* master-eltorito.c */
void eltorito_boot_record_put(const MasterLayout *l, uint8_t *b);
int eltorito_catalog_put(MasterTree *t, const MasterLayout *l, uint8_t *b);
uint32_t eltorito_image_blocks(MasterTree *t);

/* master-update.c */
void master_layout_update(MasterTree *t);
void master_dir_forget(MasterTree *t, MasterNode *dir);

/* master-layout.c */
uint64_t master_layout_total(MasterTree *t);
int master_layout_assign(MasterTree *t, uint32_t start, MasterLayout *ret, char **reterr_message);
void master_layout_done(MasterLayout *l);

/* Fixed areas ahead of the path tables: system area and volume descriptors (+ the boot catalog). */
uint32_t master_layout_head_blocks(MasterTree *t);
