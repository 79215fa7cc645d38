/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Checks an image file a client hands in for burning: a readable regular file of whole 2048-byte sectors
 * that holds an ISO 9660 or UDF volume (unless raw). */
#pragma once

#include <stdbool.h>

#include "content.h"

/* On success fills *ret with size and mtime (ret->fd is left NULL for the caller to set). */
int image_check_fd(int fd, bool raw, Content *ret, char **reterr_message);

/* Whether the 2048-byte sectors 16.. hold an ISO 9660 primary descriptor or a UDF recognition sequence. */
bool image_has_volume(const uint8_t *sectors, size_t size);
