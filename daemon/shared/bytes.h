/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Bounds-checked big/little-endian readers for bytes from devices, discs and clients (STYLE rule 9),
 * and writers for buffers we own. Readers return 0 or -EBADMSG and write *ret only on success. */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline bool bytes_in_range(size_t size, size_t off, size_t n)
{
        return off <= size && n <= size - off;
}

static inline int u8_read(const void *buf, size_t size, size_t off, uint8_t *ret)
{
        if (!bytes_in_range(size, off, 1))
                return -EBADMSG;
        *ret = ((const uint8_t *) buf)[off];
        return 0;
}

static inline int be16_read(const void *buf, size_t size, size_t off, uint16_t *ret)
{
        const uint8_t *p = buf;
        if (!bytes_in_range(size, off, 2))
                return -EBADMSG;
        *ret = (uint16_t) (p[off] << 8 | p[off + 1]);
        return 0;
}

static inline int be24_read(const void *buf, size_t size, size_t off, uint32_t *ret)
{
        const uint8_t *p = buf;
        if (!bytes_in_range(size, off, 3))
                return -EBADMSG;
        *ret = (uint32_t) p[off] << 16 | (uint32_t) p[off + 1] << 8 | p[off + 2];
        return 0;
}

static inline int be32_read(const void *buf, size_t size, size_t off, uint32_t *ret)
{
        const uint8_t *p = buf;
        if (!bytes_in_range(size, off, 4))
                return -EBADMSG;
        *ret = (uint32_t) p[off] << 24 | (uint32_t) p[off + 1] << 16 | (uint32_t) p[off + 2] << 8 |
               p[off + 3];
        return 0;
}

static inline int le16_read(const void *buf, size_t size, size_t off, uint16_t *ret)
{
        const uint8_t *p = buf;
        if (!bytes_in_range(size, off, 2))
                return -EBADMSG;
        *ret = (uint16_t) (p[off] | p[off + 1] << 8);
        return 0;
}

static inline int le32_read(const void *buf, size_t size, size_t off, uint32_t *ret)
{
        const uint8_t *p = buf;
        if (!bytes_in_range(size, off, 4))
                return -EBADMSG;
        *ret = (uint32_t) p[off] | (uint32_t) p[off + 1] << 8 | (uint32_t) p[off + 2] << 16 |
               (uint32_t) p[off + 3] << 24;
        return 0;
}

static inline int bytes_read(const void *buf, size_t size, size_t off, void *dst, size_t n)
{
        if (!bytes_in_range(size, off, n))
                return -EBADMSG;
        memcpy(dst, (const uint8_t *) buf + off, n);
        return 0;
}

/* Writers: for buffers whose size the caller controls. */
static inline void be16_put(uint8_t *p, uint16_t v)
{
        p[0] = v >> 8;
        p[1] = v;
}

static inline void be24_put(uint8_t *p, uint32_t v)
{
        p[0] = v >> 16;
        p[1] = v >> 8;
        p[2] = v;
}

static inline void be32_put(uint8_t *p, uint32_t v)
{
        p[0] = v >> 24;
        p[1] = v >> 16;
        p[2] = v >> 8;
        p[3] = v;
}

static inline void le16_put(uint8_t *p, uint16_t v)
{
        p[0] = v;
        p[1] = v >> 8;
}

static inline void le32_put(uint8_t *p, uint32_t v)
{
        p[0] = v;
        p[1] = v >> 8;
        p[2] = v >> 16;
        p[3] = v >> 24;
}

/* ECMA-119 §7.2.3 / §7.3.3: both-byte-order fields. */
static inline void both16_put(uint8_t *p, uint16_t v)
{
        le16_put(p, v);
        be16_put(p + 2, v);
}

static inline void both32_put(uint8_t *p, uint32_t v)
{
        le32_put(p, v);
        be32_put(p + 4, v);
}
