/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Joliet: names as UCS-2 big-endian and the Joliet directory hierarchy (its records and extents). */
#include "bytes.h"
#include "master-internal.h"

/* Writes utf8 as UCS-2 BE, padded with spaces to max_bytes when the string is shorter; characters outside
 * the BMP become '_'. Returns the bytes of the string itself. */
size_t joliet_ucs2_put(uint8_t *p, size_t max_bytes, const char *utf8)
{
        size_t n = 0;

        for (const char *s = utf8; *s && n + 2 <= max_bytes; s = g_utf8_next_char(s)) {
                gunichar c = g_utf8_get_char(s);
                be16_put(p + n, c > 0xFFFF ? '_' : (uint16_t) c);
                n += 2;
        }
        for (size_t i = n; i + 2 <= max_bytes; i += 2)
                be16_put(p + i, ' ');
        return n;
}

const char *master_joliet_name(const MasterNode *n)
{
        return n->joliet_id ?: n->p.joliet_natural ?: n->name;
}

static void joliet_record_emit(DirWriter *w, const IsoRecord *rec)
{
        size_t len = iso_record_header(w->record, rec);

        iso_record_finish(w->record, len);
        dir_writer_put(w, w->record, len);
}

void joliet_dots_emit(MasterTree *t, const MasterLayout *l, MasterNode *d, DirWriter *w)
{
        MasterNode *up = d->parent ?: d;
        IsoRecord r = {
                .id = (const uint8_t *) "\0", .id_len = 1,
                .lba = node_abs_lba(l, d, true), .size = node_data_size(d, true),
                .mtime = master_node_attr(t, d)->mtime.tv_sec, .flags = ISO_FLAG_DIRECTORY,
        };

        joliet_record_emit(w, &r);
        r = (IsoRecord) {
                .id = (const uint8_t *) "\1", .id_len = 1,
                .lba = node_abs_lba(l, up, true), .size = node_data_size(up, true),
                .mtime = master_node_attr(t, up)->mtime.tv_sec, .flags = ISO_FLAG_DIRECTORY,
        };
        joliet_record_emit(w, &r);
}

void joliet_child_emit(MasterTree *t, const MasterLayout *l, MasterNode *c, DirWriter *w)
{
        uint8_t id[2 * JOLIET_NAME_MAX + 4];
        size_t n = joliet_ucs2_put(id, 2 * JOLIET_NAME_MAX, master_joliet_name(c));
        uint32_t size = node_data_size(c, true);

        if (!c->dir) {
                be16_put(id + n, ';');
                be16_put(id + n + 2, '1');
                n += 4;
        }
        IsoRecord r = {
                .id = id, .id_len = n,
                .lba = size > 0 ? node_abs_lba(l, c, true) : (l ? l->start : 0), .size = size,
                .mtime = master_node_attr(t, c)->mtime.tv_sec,
                .flags = c->dir ? ISO_FLAG_DIRECTORY : 0,
        };
        joliet_record_emit(w, &r);
}

void joliet_dir_emit(MasterTree *t, const MasterLayout *l, MasterNode *d, DirWriter *w)
{
        joliet_dots_emit(t, l, d, w);
        for (guint i = 0; i < d->dir->joliet_order->len; i++)
                joliet_child_emit(t, l, d->dir->joliet_order->pdata[i], w);
}
