/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copying PCM from a client's fd into a stash file in large chunks: copy_file_range() for regular files,
 * splice() for pipes, read()+pwrite() otherwise and as the fallback. */
#pragma once

#include <stdint.h>

#include "audio-track.h"

/* Copies from in_fd's current position to EOF into out_fd at out_offset, at most 'limit' bytes.
 * Returns 0 at EOF, -IMAPI_ERROR_DISC_FULL when 'limit' bytes were copied and in_fd has more; in both cases
 * *ret_copied says how much was written. Before copying anything: -EINVAL when in_fd is not a regular file,
 * pipe or socket, -IMAPI_ERROR_INVALID_PCM when a regular file's remaining size is not a multiple of 2352.
 * Otherwise -errno (reading in_fd, or aborted by 'progress') or -IMAPI_ERROR_FILE_ACCESS (writing the
 * stash); the caller truncates out_fd back. Waits on pipes with poll(), calling 'progress' every second
 * so that the caller can abort a stalled client. */
int audio_copy_fd(int in_fd, int out_fd, uint64_t out_offset, uint64_t limit, AudioProgressFunc progress,
                  void *userdata, uint64_t *ret_copied, char **reterr_message);

/* Writes all of buf at offset (retrying short writes and EINTR); -IMAPI_ERROR_FILE_ACCESS on failure. */
int audio_pwrite_all(int fd, const void *buf, size_t size, uint64_t offset);
