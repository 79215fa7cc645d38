/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The staged tree of a data disc: entries under client paths, one name per namespace, options, exact size.
 *
 * A MasterTree holds what AddData staged: files (a Content each), directories and symlinks with their POSIX
 * attributes. It keeps, per directory, the ISO 9660, Joliet and Rock Ridge names of the children and the
 * sizes of the directory's records, recomputing only directories that changed, so that
 * master_tree_used_blocks() is exact (every structure of the image included) and cheap after each call.
 *
 * Names. The Rock Ridge name is the client's name, byte for byte (no Unicode normalisation: NFC and NFD
 * spellings are different names, as on the client's file system). ISO 9660 names are level 2 (up to 30
 * d-characters plus extension, 31 for directories), derived deterministically from the set of names in the
 * directory and made unique with "~N" suffixes. Joliet names are the client's name in UCS-2 (up to 64
 * characters); a name Joliet cannot hold is refused with BadJolietName unless it was added with
 * MASTER_ADD_MANGLE_NAMES. Symlinks exist only where Rock Ridge is written.
 *
 * Depth. Directories deeper than 8 levels are refused (Iso9660Levels) when only ISO 9660 is written. With
 * Joliet or Rock Ridge the deep tree is kept: by default the ISO 9660 tree relocates directories that
 * would be deeper than 8 levels into RR_MOVED, as ECMA-119 §6.8.2.1 requires, and Rock Ridge links them
 * back (RRIP CL/PL/RE; RR_MOVED itself is marked RE so RRIP readers hide it), while Joliet keeps the real
 * hierarchy. Readers that do not follow CL (libcdio's iso-read, isoinfo -R) then see the deep part under
 * RR_MOVED; master_tree_set_relocate_deep(false) instead keeps deep directories in place in the ISO 9660
 * tree too (what xorriso does by default; not strictly ECMA-119, read fine by Linux, BSD, libisofs,
 * libarchive and libcdio).
 *
 * Not thread-safe: one thread stages. A tree is frozen (adds fail with Busy) while a MasterImage of it
 * exists; master_tree_used_blocks() of a frozen tree only reads a cached value. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "content.h"
#include "macros.h"

#define MASTER_BLOCK_SIZE 2048U

typedef struct MasterTree MasterTree;

typedef enum MasterFileSystem {
        MASTER_FS_ISO9660 = 1 << 0, /* required */
        MASTER_FS_JOLIET = 1 << 1,
        MASTER_FS_ROCKRIDGE = 1 << 2,
        MASTER_FS_ALL = MASTER_FS_ISO9660 | MASTER_FS_JOLIET | MASTER_FS_ROCKRIDGE,
} MasterFileSystem;

typedef enum MasterEntryType {
        MASTER_ENTRY_FILE,
        MASTER_ENTRY_DIRECTORY,
        MASTER_ENTRY_SYMLINK,
        _MASTER_ENTRY_TYPE_MAX,
        _MASTER_ENTRY_TYPE_INVALID = -EINVAL,
} MasterEntryType;

typedef enum MasterAddFlags {
        MASTER_ADD_OVERWRITE = 1 << 0,    /* replace an existing file/symlink, or a directory's attributes */
        MASTER_ADD_MANGLE_NAMES = 1 << 1, /* replace what Joliet cannot hold instead of BadJolietName */
} MasterAddFlags;

typedef struct MasterAttributes {
        mode_t mode; /* permission bits (07777) are used; the type comes from the entry */
        uid_t uid;
        gid_t gid;
        struct timespec atime;
        struct timespec mtime;
        struct timespec ctime;
} MasterAttributes;

typedef struct MasterEntry {
        MasterEntryType type;
        MasterAttributes attr;
        const Content *content;     /* MASTER_ENTRY_FILE: the tree takes its own reference */
        const char *symlink_target; /* MASTER_ENTRY_SYMLINK */
} MasterEntry;

typedef struct MasterLimits {
        size_t max_path_bytes;    /* a whole client path */
        size_t max_name_bytes;    /* one path component */
        size_t max_symlink_bytes; /* a symlink target */
        size_t max_entries;       /* entries in the tree, implicit directories included; 0 = no limit */
} MasterLimits;

#define MASTER_LIMITS_DEFAULT                                                                           \
        ((MasterLimits) {                                                                               \
                .max_path_bytes = 4095,                                                                 \
                .max_name_bytes = 255,                                                                  \
                .max_symlink_bytes = 4095,                                                              \
                .max_entries = 0,                                                                       \
        })

/* ECMA-119 level 2 / Joliet / El Torito boot entry, from IMAPI v1's Joliet properties. */
typedef enum MasterBootPlatform {
        MASTER_BOOT_PLATFORM_X86 = 0x00,
        MASTER_BOOT_PLATFORM_POWERPC = 0x01,
        MASTER_BOOT_PLATFORM_MAC = 0x02,
        MASTER_BOOT_PLATFORM_EFI = 0xEF,
} MasterBootPlatform;

typedef enum MasterBootEmulation {
        MASTER_BOOT_EMULATION_NONE = 0,
        MASTER_BOOT_EMULATION_FLOPPY_1200K = 1,
        MASTER_BOOT_EMULATION_FLOPPY_1440K = 2,
        MASTER_BOOT_EMULATION_FLOPPY_2880K = 3,
        MASTER_BOOT_EMULATION_HARD_DISK = 4,
        _MASTER_BOOT_EMULATION_MAX,
        _MASTER_BOOT_EMULATION_INVALID = -EINVAL,
} MasterBootEmulation;

typedef struct MasterBoot {
        uint8_t platform;          /* MasterBootPlatform */
        uint8_t emulation;         /* MasterBootEmulation */
        const char *manufacturer;  /* El Torito ID string, at most 24 bytes; NULL = empty */
        const Content *image;      /* the tree takes its own reference */
} MasterBoot;

MasterTree *master_tree_new(const MasterLimits *limits);
MasterTree *master_tree_free(MasterTree *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MasterTree, master_tree_free)

/* Stages one entry at 'path' (relative, '/'-separated UTF-8). Missing parent directories are created with
 * default attributes (0755, owner 0, the volume time); a later directory entry for them sets their
 * attributes. Errors (each with a message naming the path in *reterr_message):
 *   InvalidPath        empty/absolute path, empty component, "." or "..", control characters, bad UTF-8,
 *                      a path or name over the limits
 *   BadJolietName      Joliet is written and the name has characters it cannot hold or is over 64
 *                      characters, and MASTER_ADD_MANGLE_NAMES is not set
 *   FileExists         the path is staged already (a directory: explicitly) and no MASTER_ADD_OVERWRITE
 *   NotDir             a directory is added where a file or symlink is, or a path goes through a file
 *   NotFile            a file or symlink is added where a directory is
 *   DataTooBig         a file of 4 GiB or more (ISO 9660 levels 1-2 hold one extent of < 4 GiB)
 *   Iso9660Levels      a directory deeper than 8 levels while only ISO 9660 is written
 *   TooManyDirs        more than 65535 directories (path table numbering)
 *   LimitsExceeded     more than limits.max_entries
 *   InvalidParam       a symlink without a target or with a target over the limit
 *   Busy               the tree is frozen by an image
 * Nothing changes when an error is returned. */
int master_tree_add(MasterTree *t, const char *path, const MasterEntry *entry, MasterAddFlags flags,
                    char **reterr_message);

/* Transactions make one AddData call atomic: begin, add..., look at master_tree_used_blocks(), then
 * commit, or roll back to exactly the state at begin (overwritten entries restored). -EBUSY if a
 * transaction is open already or the tree is frozen. Adds outside a transaction are kept at once. */
int master_tree_begin(MasterTree *t);
void master_tree_commit(MasterTree *t);
void master_tree_rollback(MasterTree *t);
bool master_tree_in_transaction(MasterTree *t);

/* Exactly the number of 2048-byte blocks the image (session) would have now, all structures included. */
uint64_t master_tree_used_blocks(MasterTree *t);

/* Entries staged (files, directories and symlinks, implicit directories included; not the root). */
size_t master_tree_n_entries(MasterTree *t);
uint64_t master_tree_n_file_bytes(MasterTree *t);

/* Options. Each validates against what is staged and changes nothing on error; all fail with Busy while
 * the tree is frozen. */
/* 'mask' must include MASTER_FS_ISO9660 (else InvalidParam). Turning Joliet on fails with BadJolietName
 * when a staged name cannot be written and was not added with mangling; dropping both Joliet and Rock
 * Ridge fails with Iso9660Levels when directories deeper than 8 levels are staged. */
int master_tree_set_file_systems(MasterTree *t, unsigned mask, char **reterr_message);
unsigned master_tree_get_file_systems(MasterTree *t);

/* UTF-8, up to 32 characters, no control characters (else InvalidVolumeName). NULL or "" = a name made
 * from the volume time (YYYYMMDD_HHMM, as IMAPI v1 names a volume after the date). The ISO 9660 volume
 * identifier gets it in d-characters, Joliet's its first 16 characters. */
int master_tree_set_volume_name(MasterTree *t, const char *name, char **reterr_message);
/* The current name: what was set, or the default. Never NULL. */
const char *master_tree_get_volume_name(MasterTree *t);

/* The volume's creation/modification dates and the time of implicit directories. The default is
 * master_volume_time_default() at master_tree_new(). */
int master_tree_set_volume_time(MasterTree *t, time_t when);
time_t master_tree_get_volume_time(MasterTree *t);
/* SOURCE_DATE_EPOCH when set to a valid number, else now. */
time_t master_volume_time_default(void);

/* The root directory's attributes (NULL: the defaults of implicit directories). Clients stage entries
 * below the root only; a tool mastering a local directory gives it that directory's attributes. */
int master_tree_set_root_attributes(MasterTree *t, const MasterAttributes *attr);

/* Relocate directories deeper than 8 levels in the ISO 9660 tree (default true), or keep them in place.
 * TooManyDirs when RR_MOVED would be the 65536th directory. */
int master_tree_set_relocate_deep(MasterTree *t, bool relocate, char **reterr_message);

/* Rock Ridge owner: false (default) writes uid/gid 0, true the staged uid/gid. */
int master_tree_set_keep_owner(MasterTree *t, bool keep);

/* El Torito boot entry; NULL removes it. Errors: InvalidParam (platform, emulation, manufacturer over 24
 * bytes, no image), BootEmulationImageSizeMismatch (floppy images must be exactly 1,228,800 / 1,474,560 /
 * 2,949,120 bytes), BootImageData (hard-disk emulation needs an MBR with exactly one partition),
 * DataTooBig (4 GiB or more). */
int master_tree_set_boot(MasterTree *t, const MasterBoot *boot, char **reterr_message);
bool master_tree_has_boot(MasterTree *t);
