/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A mastered data disc session as a stream of 2048-byte sectors, produced in order from a frozen tree.
 *
 * master_image_new() computes the whole layout (every extent's block address) up front; then
 * master_image_read() yields the sectors one after the other: system area, volume descriptors (PVD,
 * El Torito boot record, Joliet SVD, terminator), boot catalog, path tables, directories with their Rock
 * Ridge continuation areas, the boot image and the file data, read from each file's Content as it comes.
 * No temporary image is written and memory stays flat (directory metadata only).
 *
 * The image may be read from a worker thread. While it exists its tree is frozen; the tree must outlive
 * it. Only one image of a tree may exist at a time. */
#pragma once

#include <stdint.h>

#include "master-tree.h"

typedef struct MasterImage MasterImage;

/* For files staged with deferred content (Content.fd == NULL and size > 0): gives the Content to read,
 * opened now, for the file staged at 'path'. Test tools use this to master trees with more files than
 * they may hold open; the daemon never stages deferred content. */
typedef int (*MasterContentOpenFunc)(const char *path, Content *ret, void *userdata);

/* Freezes 'tree' and lays out a session starting at 'start_lba' (0 for the first session; the
 * next writable address for an appended session: every address in the image is offset by it). Fails with
 * BootImageAndNonblankDisc for a boot entry with start_lba > 0, ImageTooBig past 2^32 blocks, Busy when
 * another image of the tree exists. */
int master_image_new(MasterTree *tree, uint32_t start_lba, MasterImage **ret, char **reterr_message);
MasterImage *master_image_free(MasterImage *image);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MasterImage, master_image_free)

void master_image_set_content_opener(MasterImage *image, MasterContentOpenFunc open, void *userdata);

/* The session's size in blocks (equals master_tree_used_blocks() of the tree), and how many were read. */
uint64_t master_image_get_blocks(MasterImage *image);
uint64_t master_image_get_position(MasterImage *image);

/* Writes the next up to 'n_blocks' sectors into buf (n_blocks * 2048 bytes). Returns the number of
 * blocks written, 0 at the end, or a negative error: DataStreamInconsistency when a file changed (size or
 * mtime) since it was staged or is shorter than staged, DataStreamReadFailure on a read error. Errors are
 * sticky. Reads of many blocks go straight from the files into buf. */
int64_t master_image_read(MasterImage *image, uint8_t *buf, size_t n_blocks, char **reterr_message);
