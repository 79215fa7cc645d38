/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Stashes: one private directory per disc master under StashDirectory, with per-user quotas and a free-space
 * check. Staged file data (StageFiles) is appended to one blob per stash; audio PCM lives in files there. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "content.h"
#include "macros.h"

typedef struct StashRoot StashRoot;
typedef struct Stash Stash;

/* Creates 'path' (mode 0700) if needed, refuses removable media (-IMAPI_ERROR_REMOVABLE_STASH unless
 * allow_removable) and deletes stale stashes left by an earlier run. */
int stash_root_open(const char *path, uint64_t reserve_bytes, uint64_t max_bytes_per_user,
                    bool allow_removable, StashRoot **ret, char **reterr_message);
StashRoot *stash_root_free(StashRoot *root);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StashRoot, stash_root_free)

/* Bytes the user's stashes hold or have reserved. */
uint64_t stash_root_user_bytes(StashRoot *root, uid_t uid);

/* A new, empty stash directory 'name' for a disc master of 'uid'. -IMAPI_ERROR_NOT_ENOUGH_DISK_FOR_STASH
 * when the file system is already below the reserve. */
int stash_new(StashRoot *root, const char *name, uid_t uid, Stash **ret);
/* Deletes the directory and everything in it, and returns its bytes to the user's quota. */
Stash *stash_free(Stash *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Stash, stash_free)

int stash_dir_fd(Stash *s);
const char *stash_name(Stash *s);
uint64_t stash_bytes(Stash *s);

/* Accounts for 'bytes' more: -IMAPI_ERROR_LIMITS_EXCEEDED over the user's quota,
 * -IMAPI_ERROR_NOT_ENOUGH_DISK_FOR_STASH when the file system would drop below the reserve. */
int stash_reserve(Stash *s, uint64_t bytes);
void stash_unreserve(Stash *s, uint64_t bytes);
/* What stash_reserve() would grant now: the smaller of the user's quota left and the free space. */
uint64_t stash_available(Stash *s);

/* Appends 'size' bytes read from 'fd' (from its offset 0) to the stash blob with copy_file_range(), and
 * describes them in *ret. The caller reserved the bytes. -IMAPI_ERROR_DATA_STREAM_INCONSISTENCY if fd
 * holds fewer bytes than 'size'. */
int stash_copy_in(Stash *s, int fd, uint64_t size, Content *ret);

/* The blob's size, and a way back to it (undoing copies of a failed call). */
uint64_t stash_blob_size(Stash *s);
int stash_blob_truncate(Stash *s, uint64_t size);

/* Deletes every entry of the directory 'dir_fd' recursively (not the directory itself). */
int rm_rf_children(int dir_fd);
