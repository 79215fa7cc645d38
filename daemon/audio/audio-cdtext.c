/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* CD-TEXT packs: building them from a layout, CRC, spreading into lead-in sub-channel blocks, parsing. */
#include <errno.h>
#include <string.h>

#include "audio-cdtext.h"
#include "audio-codes.h"
#include "bytes.h"
#include "imapi-error.h"

#define SIZE_INFO_RECORD        36   /* the payload of the three 8Fh packs */
#define SIZE_INFO_LAST_SEQUENCE 20   /* record offset: last sequence number of block 0 */
#define SIZE_INFO_LANGUAGE      28   /* record offset: language of block 0 */
#define PACK_DBCC               0x80 /* byte 3: double-byte characters */
#define PACK_POSITION_MAX       15

uint16_t cdtext_crc(const uint8_t *data, size_t size)
{
        uint16_t crc = 0;

        for (size_t i = 0; i < size; i++) {
                crc ^= (uint16_t) (data[i] << 8);
                for (unsigned bit = 0; bit < 8; bit++)
                        crc = (uint16_t) (crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1);
        }
        return (uint16_t) ~crc;
}

bool cdtext_pack_crc_ok(const uint8_t pack[static CDTEXT_PACK_SIZE])
{
        uint16_t stored = (uint16_t) (pack[16] << 8 | pack[17]);

        return cdtext_crc(pack, 16) == stored;
}

/* ---- building ---- */

typedef struct PackWriter {
        uint8_t *packs; /* NULL: only count */
        size_t n;
        unsigned counts[16]; /* per type 80h..8Fh */
} PackWriter;

static void writer_add(PackWriter *w, uint8_t type, uint8_t track, size_t position,
                       const uint8_t payload[static CDTEXT_PACK_PAYLOAD])
{
        if (w->packs && w->n < CDTEXT_PACKS_MAX) {
                uint8_t *p = w->packs + w->n * CDTEXT_PACK_SIZE;

                p[0] = type;
                p[1] = track;
                p[2] = (uint8_t) w->n;
                p[3] = (uint8_t) MIN(position, (size_t) PACK_POSITION_MAX); /* block 0, single-byte */
                memcpy(p + 4, payload, CDTEXT_PACK_PAYLOAD);
                be16_put(p + 16, cdtext_crc(p, 16));
        }
        w->counts[type & 0x0f]++;
        w->n++;
}

/* texts[0] is the disc's, texts[i] track i's; each is written with its NUL, packs filled end to end. */
static void writer_add_texts(PackWriter *w, uint8_t type, char *const *texts, unsigned n_texts)
{
        uint8_t payload[CDTEXT_PACK_PAYLOAD];
        size_t used = 0, position = 0;
        uint8_t track = 0;

        for (unsigned t = 0; t < n_texts; t++) {
                size_t len = strlen(texts[t]) + 1;

                for (size_t i = 0; i < len; i++) {
                        if (used == 0) {
                                track = (uint8_t) t;
                                position = i;
                        }
                        payload[used++] = (uint8_t) texts[t][i];
                        if (used == CDTEXT_PACK_PAYLOAD) {
                                writer_add(w, type, track, position, payload);
                                used = 0;
                        }
                }
        }
        if (used > 0) {
                memset(payload + used, 0, CDTEXT_PACK_PAYLOAD - used);
                writer_add(w, type, track, position, payload);
        }
}

static void writer_add_size_info(PackWriter *w, unsigned n_tracks)
{
        uint8_t record[SIZE_INFO_RECORD] = {
                [0] = CDTEXT_CHARSET_ISO8859_1,
                [1] = 1,
                [2] = (uint8_t) n_tracks,
                [3] = 0, /* no copy protection of the text */
                [SIZE_INFO_LAST_SEQUENCE] = (uint8_t) MIN(w->n + 2, (size_t) CDTEXT_PACKS_MAX - 1),
                [SIZE_INFO_LANGUAGE] = CDTEXT_LANGUAGE_ENGLISH,
        };

        for (unsigned i = 0; i < 16; i++)
                record[4 + i] = (uint8_t) MIN(w->counts[i] + (i == 0x0f ? 3 : 0), 255u);
        for (unsigned k = 0; k < 3; k++)
                writer_add(w, CDTEXT_PACK_SIZE_INFO, (uint8_t) k, 0, record + k * CDTEXT_PACK_PAYLOAD);
}

static bool has(const char *s)
{
        return s && s[0];
}

/* The disc's and each track's text of one kind in ISO 8859-1 ("" when unset); NULL if none is set. */
static int layout_texts(const AudioLayout *l, CdTextPackType type, bool always, char ***ret)
{
        g_auto(GStrv) texts = g_new0(char *, l->n_tracks + 2);
        bool any = false;

        for (unsigned t = 0; t <= l->n_tracks; t++) {
                const AudioLayoutTrack *track = t > 0 ? &l->tracks[t - 1] : NULL;
                const char *s;
                int r;

                if (type == CDTEXT_PACK_TITLE)
                        s = track ? track->title : l->title;
                else if (type == CDTEXT_PACK_PERFORMER)
                        s = track ? track->performer : l->performer;
                else
                        s = track ? track->isrc : l->mcn;

                any = any || has(s);
                r = audio_text_to_latin1(has(s) ? s : "", &texts[t]);
                if (r < 0)
                        return r;
        }
        *ret = any || always ? g_steal_pointer(&texts) : NULL;
        return 0;
}

static int cdtext_write(const AudioLayout *l, PackWriter *w)
{
        static const CdTextPackType kinds[] = {CDTEXT_PACK_TITLE, CDTEXT_PACK_PERFORMER,
                                               CDTEXT_PACK_UPC_ISRC};

        if (!audio_layout_has_text(l))
                return 0;

        for (size_t k = 0; k < ELEMENTSOF(kinds); k++) {
                g_auto(GStrv) texts = NULL;
                int r;

                /* A title list is always there: players look for it first. */
                r = layout_texts(l, kinds[k], kinds[k] == CDTEXT_PACK_TITLE, &texts);
                if (r < 0)
                        return r;
                if (texts)
                        writer_add_texts(w, kinds[k], texts, l->n_tracks + 1);
        }
        writer_add_size_info(w, l->n_tracks);
        return 0;
}

int cdtext_count_packs(const AudioLayout *l, size_t *ret_n_packs)
{
        PackWriter w = {};
        int r;

        r = cdtext_write(l, &w);
        if (r < 0)
                return r;
        *ret_n_packs = w.n;
        return 0;
}

int cdtext_build(const AudioLayout *l, uint8_t **ret_packs, size_t *ret_n_packs)
{
        g_autofree uint8_t *packs = g_malloc0(CDTEXT_PACKS_MAX * CDTEXT_PACK_SIZE);
        PackWriter w = {.packs = packs};
        int r;

        r = cdtext_write(l, &w);
        if (r < 0)
                return r;
        if (w.n > CDTEXT_PACKS_MAX)
                return -IMAPI_ERROR_LIMITS_EXCEEDED;

        *ret_packs = w.n > 0 ? g_realloc(g_steal_pointer(&packs), w.n * CDTEXT_PACK_SIZE) : NULL;
        *ret_n_packs = w.n;
        return 0;
}

/* ---- lead-in sub-channel ---- */

void cdtext_spread_pack(const uint8_t pack[static CDTEXT_PACK_SIZE],
                        uint8_t ret[static CDTEXT_SYMBOLS_PER_PACK])
{
        for (unsigned k = 0; k < CDTEXT_PACK_SIZE / 3; k++) {
                const uint8_t *in = pack + 3 * k;
                uint8_t *out = ret + 4 * k;

                out[0] = in[0] >> 2;
                out[1] = (uint8_t) ((in[0] & 0x03) << 4 | in[1] >> 4);
                out[2] = (uint8_t) ((in[1] & 0x0f) << 2 | in[2] >> 6);
                out[3] = in[2] & 0x3f;
        }
}

void cdtext_unspread_pack(const uint8_t symbols[static CDTEXT_SYMBOLS_PER_PACK],
                          uint8_t ret[static CDTEXT_PACK_SIZE])
{
        for (unsigned k = 0; k < CDTEXT_PACK_SIZE / 3; k++) {
                const uint8_t *in = symbols + 4 * k;
                uint8_t a = in[0] & 0x3f, b = in[1] & 0x3f, c = in[2] & 0x3f, d = in[3] & 0x3f;
                uint8_t *out = ret + 3 * k;

                out[0] = (uint8_t) (a << 2 | b >> 4);
                out[1] = (uint8_t) ((b & 0x0f) << 4 | c >> 2);
                out[2] = (uint8_t) ((c & 0x03) << 6 | d);
        }
}

void cdtext_fill_subcode(const uint8_t *packs, size_t n_packs, uint64_t first_block, uint8_t *buf,
                         size_t n_blocks)
{
        if (n_packs == 0) {
                memset(buf, 0, n_blocks * CDTEXT_SUBCODE_BLOCK_SIZE);
                return;
        }
        for (size_t b = 0; b < n_blocks; b++)
                for (unsigned k = 0; k < CDTEXT_PACKS_PER_SUBCODE_BLOCK; k++) {
                        uint64_t index = ((first_block + b) * CDTEXT_PACKS_PER_SUBCODE_BLOCK + k) % n_packs;

                        cdtext_spread_pack(packs + index * CDTEXT_PACK_SIZE,
                                           buf + b * CDTEXT_SUBCODE_BLOCK_SIZE +
                                                   k * CDTEXT_SYMBOLS_PER_PACK);
                }
}

static unsigned pack_block(const uint8_t *p)
{
        return (p[3] >> 4) & 0x07;
}

int cdtext_packs_from_subcode(const uint8_t *buf, size_t size, uint8_t **ret_packs, size_t *ret_n_packs)
{
        g_autofree uint8_t *found = g_malloc0(CDTEXT_PACKS_MAX * CDTEXT_PACK_SIZE);
        bool have[CDTEXT_PACKS_MAX] = {};
        int last = -1;

        if (size % CDTEXT_SUBCODE_BLOCK_SIZE != 0)
                return -EBADMSG;

        for (size_t off = 0; off < size; off += CDTEXT_SYMBOLS_PER_PACK) {
                uint8_t p[CDTEXT_PACK_SIZE];

                cdtext_unspread_pack(buf + off, p);
                if (!cdtext_pack_crc_ok(p) || pack_block(p) != 0)
                        continue;
                if (!have[p[2]]) {
                        memcpy(found + p[2] * CDTEXT_PACK_SIZE, p, CDTEXT_PACK_SIZE);
                        have[p[2]] = true;
                }
                if (p[0] == CDTEXT_PACK_SIZE_INFO && p[1] == 1)
                        last = p[4 + SIZE_INFO_LAST_SEQUENCE - CDTEXT_PACK_PAYLOAD];
        }

        if (last < 0)
                return -EBADMSG;
        for (int i = 0; i <= last; i++)
                if (!have[i])
                        return -EBADMSG;

        *ret_n_packs = (size_t) last + 1;
        *ret_packs = g_realloc(g_steal_pointer(&found), *ret_n_packs * CDTEXT_PACK_SIZE);
        return 0;
}

/* ---- parsing ---- */

static int text_kind(uint8_t type)
{
        if (type >= CDTEXT_PACK_TITLE && type <= CDTEXT_PACK_MESSAGE)
                return type - CDTEXT_PACK_TITLE;
        if (type == CDTEXT_PACK_UPC_ISRC)
                return CDTEXT_TEXT_KINDS - 1;
        return -1;
}

CdText *cdtext_free(CdText *t)
{
        if (!t)
                return NULL;
        for (unsigned k = 0; k < CDTEXT_TEXT_KINDS; k++)
                for (unsigned i = 0; i <= AUDIO_TRACKS_MAX; i++)
                        g_free(t->text[k][i]);
        g_free(t);
        return NULL;
}

/* Splits a kind's concatenated payload into NUL-terminated texts for tracks first, first + 1, ... */
static void parse_texts(CdText *t, unsigned kind, const GByteArray *bytes, unsigned first)
{
        unsigned track = first;
        size_t start = 0;

        for (size_t i = 0; i < bytes->len && track <= AUDIO_TRACKS_MAX; i++) {
                const char *s = (const char *) bytes->data + start;
                size_t len = i - start;

                if (bytes->data[i] != '\0')
                        continue;
                if (len == 1 && s[0] == '\t' && track > 0)
                        t->text[kind][track] = g_strdup(t->text[kind][track - 1]);
                else if (len > 0)
                        t->text[kind][track] = audio_text_from_latin1(s, len);
                track++;
                start = i + 1;
        }
}

static void parse_size_info(CdText *t, const uint8_t record[static SIZE_INFO_RECORD])
{
        t->charset = record[0];
        t->first_track = record[1];
        t->last_track = record[2];
        t->copyright = record[3];
        memcpy(t->pack_counts, record + 4, sizeof(t->pack_counts));
        t->language = record[SIZE_INFO_LANGUAGE];
        t->has_size_info = true;
}

/* One pass over the packs: block 0's text payloads by kind, and the size information record. */
typedef struct PackReader {
        GByteArray *bytes[CDTEXT_TEXT_KINDS]; /* NULL until the kind's first pack */
        uint8_t first[CDTEXT_TEXT_KINDS];     /* track number of the kind's first pack */
        uint8_t record[SIZE_INFO_RECORD];
        unsigned size_parts; /* bit k: 8Fh pack k seen */
} PackReader;

static void pack_reader_done(PackReader *r)
{
        for (unsigned k = 0; k < CDTEXT_TEXT_KINDS; k++)
                if (r->bytes[k])
                        g_byte_array_unref(r->bytes[k]);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(PackReader, pack_reader_done)

static int pack_reader_add(PackReader *r, const uint8_t p[static CDTEXT_PACK_SIZE])
{
        int kind;

        if (!cdtext_pack_crc_ok(p))
                return -EBADMSG;
        if (pack_block(p) != 0)
                return 0;
        if (p[3] & PACK_DBCC)
                return -EOPNOTSUPP;

        kind = text_kind(p[0]);
        if (kind >= 0) {
                if (!r->bytes[kind]) {
                        r->bytes[kind] = g_byte_array_new();
                        r->first[kind] = p[1] & 0x7f;
                }
                g_byte_array_append(r->bytes[kind], p + 4, CDTEXT_PACK_PAYLOAD);
        } else if (p[0] == CDTEXT_PACK_SIZE_INFO && p[1] < 3) {
                memcpy(r->record + p[1] * CDTEXT_PACK_PAYLOAD, p + 4, CDTEXT_PACK_PAYLOAD);
                r->size_parts |= 1u << p[1];
        }
        return 0;
}

int cdtext_parse(const uint8_t *packs, size_t size, CdText **ret)
{
        g_autoptr(CdText) t = g_new0(CdText, 1);
        g_auto(PackReader) reader = {};

        if (size % CDTEXT_PACK_SIZE != 0)
                return -EBADMSG;

        for (size_t off = 0; off < size; off += CDTEXT_PACK_SIZE) {
                uint8_t p[CDTEXT_PACK_SIZE];
                int r;

                r = bytes_read(packs, size, off, p, sizeof(p));
                if (r < 0)
                        return r;
                r = pack_reader_add(&reader, p);
                if (r < 0)
                        return r;
        }

        if (reader.size_parts == 0x7)
                parse_size_info(t, reader.record);
        if (t->charset == CDTEXT_CHARSET_MS_JIS)
                return -EOPNOTSUPP;
        for (unsigned k = 0; k < CDTEXT_TEXT_KINDS; k++)
                if (reader.bytes[k])
                        parse_texts(t, k, reader.bytes[k], reader.first[k]);

        *ret = g_steal_pointer(&t);
        return 0;
}

const char *cdtext_get(const CdText *t, CdTextPackType type, unsigned track)
{
        int kind = text_kind((uint8_t) type);

        if (kind < 0 || track > AUDIO_TRACKS_MAX)
                return NULL;
        return t->text[kind][track];
}

static void copy_text(char **dst, const char *src)
{
        g_free(*dst);
        *dst = g_strdup(src);
}

void cdtext_apply_to_layout(const CdText *t, AudioLayout *l)
{
        const char *code;

        copy_text(&l->title, cdtext_get(t, CDTEXT_PACK_TITLE, 0));
        copy_text(&l->performer, cdtext_get(t, CDTEXT_PACK_PERFORMER, 0));
        code = cdtext_get(t, CDTEXT_PACK_UPC_ISRC, 0);
        g_strlcpy(l->mcn, code && strlen(code) == AUDIO_MCN_LENGTH ? code : "", sizeof(l->mcn));

        for (unsigned i = 0; i < l->n_tracks; i++) {
                AudioLayoutTrack *track = &l->tracks[i];

                copy_text(&track->title, cdtext_get(t, CDTEXT_PACK_TITLE, i + 1));
                copy_text(&track->performer, cdtext_get(t, CDTEXT_PACK_PERFORMER, i + 1));
                code = cdtext_get(t, CDTEXT_PACK_UPC_ISRC, i + 1);
                g_strlcpy(track->isrc, code && strlen(code) == AUDIO_ISRC_LENGTH ? code : "",
                          sizeof(track->isrc));
        }
}
