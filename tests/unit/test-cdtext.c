/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests for CD-TEXT: pack layout and CRC (against published packs and Python's binascii.crc_hqx), the
 * 96-byte lead-in blocks and their inverse, and the parser. */
#include <errno.h>
#include <string.h>

#include "audio-cdtext.h"
#include "imapi-error.h"

typedef uint8_t Pack[CDTEXT_PACK_SIZE];

static void pack_set_crc(uint8_t *p)
{
        uint16_t crc = cdtext_crc(p, 16);
        p[16] = crc >> 8;
        p[17] = crc & 0xff;
}

/* Published packs (libburn doc/cdtext.txt, from Sony's CD-TEXT examples) with their CRCs. */
static void test_crc_published(void)
{
        static const Pack published[] = {
                {0x8f, 0x00, 0x2a, 0x00, 0x01, 0x01, 0x03, 0x00, 0x06, 0x05, 0x04, 0x05, 0x07, 0x06, 0x01,
                 0x02, 0x48, 0x65},
                {0x8f, 0x01, 0x2b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x03, 0x2c, 0x00, 0x00,
                 0x00, 0xc0, 0x20},
                {0x8f, 0x02, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                 0x00, 0x11, 0x45},
                {0x88, 0x00, 0x23, 0x00, 0x01, 0x0e, 0x00, 0x3f, 0x02, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00,
                 0x00, 0x12, 0x00},
                {0x88, 0x0d, 0x27, 0x00, 0x35, 0x18, 0x19, 0x39, 0x03, 0x19, 0x00, 0x00, 0x00, 0x00, 0x00,
                 0x00, 0xea, 0xaf},
        };

        for (size_t i = 0; i < G_N_ELEMENTS(published); i++) {
                Pack p;

                g_assert_cmphex(cdtext_crc(published[i], 16), ==, published[i][16] << 8 | published[i][17]);
                g_assert_true(cdtext_pack_crc_ok(published[i]));
                memcpy(p, published[i], sizeof(p));
                p[7] ^= 0x10;
                g_assert_false(cdtext_pack_crc_ok(p));
        }
}

/* CRC-16/CCITT with initial 0, inverted: Python's binascii.crc_hqx(data, 0) ^ 0xffff. */
static char *python_crcs(const uint8_t *packs, size_t n_packs)
{
        static const char program[] = "import binascii, sys\n"
                                      "d = bytes.fromhex(sys.argv[1])\n"
                                      "print(' '.join('%04x' % (binascii.crc_hqx(d[i:i + 16], 0) ^ 0xffff)\n"
                                      "               for i in range(0, len(d), 16)))\n";
        g_autoptr(GString) hex = g_string_new(NULL);
        g_autoptr(GError) error = NULL;
        g_autofree char *out = NULL;
        int status = 0;

        for (size_t i = 0; i < n_packs; i++)
                for (size_t j = 0; j < 16; j++)
                        g_string_append_printf(hex, "%02x", packs[i * CDTEXT_PACK_SIZE + j]);
        {
                const char *argv[] = {"python3", "-c", program, hex->str, NULL};
                g_assert_true(g_spawn_sync(NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                                           NULL, &status, &error));
        }
        g_assert_no_error(error);
        g_assert_true(g_spawn_check_wait_status(status, NULL));
        return g_strchomp(g_steal_pointer(&out));
}

static AudioLayout *layout_new(unsigned n_tracks)
{
        AudioLayout *l = audio_layout_new();

        for (unsigned i = 0; i < n_tracks; i++)
                g_assert_cmpint(audio_layout_add_track(l, 300 + i, 150), ==, 0);
        return l;
}

static void test_build_layout(void)
{
        /* "Album\0One\0Two\0Three\0" is 20 bytes: the second pack starts inside "Two" (track 2, 3rd
         * character); the performers are "Band\0" and three empty texts. 8Fh: 2 + 1 + 3 packs. */
        static const Pack want[] = {
                {0x80, 0, 0, 0, 'A', 'l', 'b', 'u', 'm', 0, 'O', 'n', 'e', 0, 'T', 'w'},
                {0x80, 2, 1, 2, 'o', 0, 'T', 'h', 'r', 'e', 'e', 0, 0, 0, 0, 0},
                {0x81, 0, 2, 0, 'B', 'a', 'n', 'd', 0, 0, 0, 0, 0, 0, 0, 0},
                {0x8f, 0, 3, 0, 0x00, 1, 3, 0, 2, 1, 0, 0, 0, 0, 0, 0},
                {0x8f, 1, 4, 0, 0, 0, 0, 0, 0, 0, 0, 3, 5, 0, 0, 0},
                {0x8f, 2, 5, 0, 0, 0, 0, 0, 0x09, 0, 0, 0, 0, 0, 0, 0},
        };
        g_autoptr(AudioLayout) l = layout_new(3);
        g_autofree uint8_t *packs = NULL;
        g_autofree char *crcs = NULL;
        g_autoptr(GString) want_crcs = g_string_new(NULL);
        size_t n = 0, counted = 0;

        l->title = g_strdup("Album");
        l->tracks[0].title = g_strdup("One");
        l->tracks[1].title = g_strdup("Two");
        l->tracks[2].title = g_strdup("Three");
        l->performer = g_strdup("Band");

        g_assert_cmpint(cdtext_build(l, &packs, &n), ==, 0);
        g_assert_cmpint(cdtext_count_packs(l, &counted), ==, 0);
        g_assert_cmpuint(n, ==, G_N_ELEMENTS(want));
        g_assert_cmpuint(counted, ==, n);
        for (size_t i = 0; i < n; i++)
                g_assert_cmpmem(packs + i * CDTEXT_PACK_SIZE, 16, want[i], 16);

        crcs = python_crcs(packs, n);
        for (size_t i = 0; i < n; i++)
                g_string_append_printf(want_crcs, "%s%02x%02x", i ? " " : "", packs[i * 18 + 16],
                                       packs[i * 18 + 17]);
        g_assert_cmpstr(crcs, ==, want_crcs->str);
}

static void test_positions(void)
{
        g_autoptr(AudioLayout) l = layout_new(1), m = layout_new(1);
        g_autofree uint8_t *packs = NULL, *packs2 = NULL;
        size_t n = 0;

        /* A 30-character title: packs at character 0, 12 and 24 (stored as 15, "15 or more"). */
        l->title = g_strnfill(30, 'A');
        g_assert_cmpint(cdtext_build(l, &packs, &n), ==, 0);
        g_assert_cmpuint(n, ==, 3 + 3);
        g_assert_cmpuint(packs[0 * 18 + 3], ==, 0);
        g_assert_cmpuint(packs[1 * 18 + 3], ==, 12);
        g_assert_cmpuint(packs[2 * 18 + 3], ==, 15);
        g_assert_cmpuint(packs[2 * 18 + 1], ==, 0);
        g_assert_cmpmem(packs + 2 * 18 + 4, 12, "AAAAAA\0\0\0\0\0\0", 12);

        /* A 12-character title: the second pack starts with its NUL, still track 0 at position 12. */
        m->title = g_strdup("ABCDEFGHIJKL");
        m->tracks[0].title = g_strdup("X");
        g_assert_cmpint(cdtext_build(m, &packs2, &n), ==, 0);
        g_assert_cmpuint(packs2[18 + 1], ==, 0);
        g_assert_cmpuint(packs2[18 + 3], ==, 12);
        g_assert_cmpmem(packs2 + 18 + 4, 4, "\0X\0\0", 4);
}

static void test_build_codes_and_parse(void)
{
        g_autoptr(AudioLayout) l = layout_new(3), back = layout_new(3);
        g_autoptr(CdText) t = NULL;
        g_autofree uint8_t *packs = NULL;
        size_t n = 0;

        l->title = g_strdup("Café");
        l->tracks[1].title = g_strdup("Ünïcödé but Latin-1");
        l->tracks[2].performer = g_strdup("ÿ");
        strcpy(l->mcn, "4006381333931");
        strcpy(l->tracks[0].isrc, "USRC17607839");

        g_assert_cmpint(cdtext_build(l, &packs, &n), ==, 0);
        g_assert_cmpint(cdtext_parse(packs, n * CDTEXT_PACK_SIZE, &t), ==, 0);

        g_assert_true(t->has_size_info);
        g_assert_cmpuint(t->charset, ==, CDTEXT_CHARSET_ISO8859_1);
        g_assert_cmpuint(t->first_track, ==, 1);
        g_assert_cmpuint(t->last_track, ==, 3);
        g_assert_cmpuint(t->language, ==, CDTEXT_LANGUAGE_ENGLISH);
        g_assert_cmpuint(t->pack_counts[0x0f], ==, 3);
        g_assert_cmpuint(t->pack_counts[0x00] + t->pack_counts[0x01] + t->pack_counts[0x0e] + 3, ==, n);
        g_assert_cmpuint(t->pack_counts[0x0e], >, 0);

        g_assert_cmpstr(cdtext_get(t, CDTEXT_PACK_TITLE, 0), ==, "Café");
        g_assert_null(cdtext_get(t, CDTEXT_PACK_TITLE, 1));
        g_assert_cmpstr(cdtext_get(t, CDTEXT_PACK_TITLE, 2), ==, "Ünïcödé but Latin-1");
        g_assert_cmpstr(cdtext_get(t, CDTEXT_PACK_PERFORMER, 3), ==, "ÿ");
        g_assert_cmpstr(cdtext_get(t, CDTEXT_PACK_UPC_ISRC, 0), ==, "4006381333931");
        g_assert_cmpstr(cdtext_get(t, CDTEXT_PACK_UPC_ISRC, 1), ==, "USRC17607839");
        g_assert_null(cdtext_get(t, CDTEXT_PACK_COMPOSER, 1));

        cdtext_apply_to_layout(t, back);
        g_assert_cmpstr(back->title, ==, "Café");
        g_assert_cmpstr(back->tracks[1].title, ==, l->tracks[1].title);
        g_assert_cmpstr(back->tracks[2].performer, ==, "ÿ");
        g_assert_cmpstr(back->mcn, ==, l->mcn);
        g_assert_cmpstr(back->tracks[0].isrc, ==, l->tracks[0].isrc);
        g_assert_cmpstr(back->tracks[1].isrc, ==, "");
}

static void test_no_text_and_limits(void)
{
        g_autoptr(AudioLayout) l = layout_new(20);
        g_autofree uint8_t *packs = NULL;
        size_t n = 99;

        /* Codes alone go in the Q sub-channel, not in CD-TEXT. */
        strcpy(l->mcn, "4006381333931");
        g_assert_cmpint(cdtext_build(l, &packs, &n), ==, 0);
        g_assert_null(packs);
        g_assert_cmpuint(n, ==, 0);

        for (unsigned i = 0; i < 20; i++)
                l->tracks[i].title = g_strnfill(160, 'x');
        /* 1 + 20 * 161 title bytes → 269 packs, no performers, 8Eh 14 + 20 bytes → 3, plus 3 of 8Fh. */
        g_assert_cmpint(cdtext_count_packs(l, &n), ==, 0);
        g_assert_cmpuint(n, ==, 269 + 3 + 3);
        g_assert_cmpint(cdtext_build(l, &packs, &n), ==, -IMAPI_ERROR_LIMITS_EXCEEDED);

        l->tracks[0].performer = g_strdup("日本"); /* only reachable through a hand-made layout */
        g_assert_cmpint(cdtext_count_packs(l, &n), ==, -EINVAL);
}

static void test_spread(void)
{
        /* The example of libburn's doc/cookbook.txt. */
        static const Pack pack = {0x8f, 0x00, 0x2a, 0x00, 0x01, 0x01, 0x03, 0x00, 0x06,
                                  0x05, 0x04, 0x05, 0x07, 0x06, 0x01, 0x02, 0x48, 0x65};
        static const uint8_t symbols[CDTEXT_SYMBOLS_PER_PACK] = {
                0x23, 0x30, 0x00, 0x2a, 0x00, 0x00, 0x04, 0x01, 0x00, 0x30, 0x00, 0x06,
                0x01, 0x10, 0x10, 0x05, 0x01, 0x30, 0x18, 0x01, 0x00, 0x24, 0x21, 0x25};
        uint8_t s[CDTEXT_SYMBOLS_PER_PACK];
        Pack back;

        cdtext_spread_pack(pack, s);
        g_assert_cmpmem(s, sizeof(s), symbols, sizeof(symbols));
        for (size_t i = 0; i < sizeof(s); i++)
                s[i] |= 0xc0; /* P and Q bits are not part of the pack */
        cdtext_unspread_pack(s, back);
        g_assert_cmpmem(back, sizeof(back), pack, sizeof(pack));

        /* Every byte value survives, in every position. */
        for (unsigned v = 0; v < 256; v++) {
                Pack p;
                for (unsigned i = 0; i < CDTEXT_PACK_SIZE; i++)
                        p[i] = (uint8_t) (v + i * 37);
                cdtext_spread_pack(p, s);
                for (size_t i = 0; i < sizeof(s); i++)
                        g_assert_cmpuint(s[i], <, 64);
                cdtext_unspread_pack(s, back);
                g_assert_cmpmem(back, sizeof(back), p, sizeof(p));
        }
}

static void test_subcode_round_trip(void)
{
        const size_t lead_in = 11635 - 150; /* blocks from a typical ATIP lead-in start to LBA -150 */
        g_autoptr(AudioLayout) l = layout_new(7);
        g_autofree uint8_t *packs = NULL, *whole = NULL, *chunked = NULL, *back = NULL;
        size_t n = 0, n_back = 0;
        uint8_t one[CDTEXT_SUBCODE_BLOCK_SIZE];

        l->title = g_strdup("A disc with a long enough title to need several packs");
        for (unsigned i = 0; i < 7; i++)
                l->tracks[i].performer = g_strdup_printf("Performer number %u", i + 1);
        g_assert_cmpint(cdtext_build(l, &packs, &n), ==, 0);
        g_assert_cmpuint(n % CDTEXT_PACKS_PER_SUBCODE_BLOCK, !=, 0); /* the cycle drifts across blocks */

        whole = g_malloc(lead_in * CDTEXT_SUBCODE_BLOCK_SIZE);
        cdtext_fill_subcode(packs, n, 0, whole, lead_in);
        /* Block b holds packs 4b..4b+3 modulo n, whatever chunks the caller fills in. */
        chunked = g_malloc(lead_in * CDTEXT_SUBCODE_BLOCK_SIZE);
        for (size_t b = 0; b < lead_in; b += 27)
                cdtext_fill_subcode(packs, n, b, chunked + b * CDTEXT_SUBCODE_BLOCK_SIZE,
                                    MIN(27, lead_in - b));
        g_assert_cmpmem(chunked, lead_in * CDTEXT_SUBCODE_BLOCK_SIZE, whole,
                        lead_in * CDTEXT_SUBCODE_BLOCK_SIZE);
        cdtext_fill_subcode(packs, n, 5, one, 1);
        for (unsigned k = 0; k < 4; k++) {
                Pack p;
                cdtext_unspread_pack(one + k * 24, p);
                g_assert_cmpmem(p, sizeof(p), packs + ((5 * 4 + k) % n) * 18, 18);
        }

        g_assert_cmpint(
                cdtext_packs_from_subcode(whole, lead_in * CDTEXT_SUBCODE_BLOCK_SIZE, &back, &n_back), ==,
                0);
        g_assert_cmpmem(back, n_back * 18, packs, n * 18);
        g_clear_pointer(&back, g_free);

        /* From a later phase of the cycle, and with the first copy of pack 2 damaged. */
        whole[2 * 24 + 5] ^= 0x01;
        g_assert_cmpint(cdtext_packs_from_subcode(whole + 96 * 3, (lead_in - 3) * 96, &back, &n_back), ==,
                        0);
        g_assert_cmpmem(back, n_back * 18, packs, n * 18);
        g_clear_pointer(&back, g_free);

        /* Every copy of pack 1 damaged: the list is incomplete. */
        for (size_t i = 1; i < lead_in * 4; i += n)
                whole[i * 24] ^= 0x01;
        g_assert_cmpint(cdtext_packs_from_subcode(whole, lead_in * 96, &back, &n_back), ==, -EBADMSG);
        g_assert_cmpint(cdtext_packs_from_subcode(whole, 95, &back, &n_back), ==, -EBADMSG);
        g_assert_null(back);
}

static void test_parse_errors_and_tab(void)
{
        /* Hand-made: track 2's title is a TAB, "same as track 1". */
        Pack packs[2] = {
                {0x80, 0, 0, 0, 'D', 0, 'S', 'a', 'm', 'e', 0, '\t', 0, 0, 0, 0},
                {0x80, 0, 1, 0x80, 0}, /* a double-byte pack, for the second check */
        };
        g_autoptr(CdText) t = NULL;

        pack_set_crc(packs[0]);
        pack_set_crc(packs[1]);
        g_assert_cmpint(cdtext_parse(packs[0], sizeof(Pack), &t), ==, 0);
        g_assert_false(t->has_size_info);
        g_assert_cmpstr(cdtext_get(t, CDTEXT_PACK_TITLE, 0), ==, "D");
        g_assert_cmpstr(cdtext_get(t, CDTEXT_PACK_TITLE, 1), ==, "Same");
        g_assert_cmpstr(cdtext_get(t, CDTEXT_PACK_TITLE, 2), ==, "Same");
        g_assert_null(cdtext_get(t, CDTEXT_PACK_TITLE, 3));
        g_clear_pointer(&t, cdtext_free);

        g_assert_cmpint(cdtext_parse(packs[0], sizeof(packs), &t), ==, -EOPNOTSUPP);
        g_assert_cmpint(cdtext_parse(packs[0], sizeof(Pack) - 1, &t), ==, -EBADMSG);
        packs[0][9] ^= 0x20;
        g_assert_cmpint(cdtext_parse(packs[0], sizeof(Pack), &t), ==, -EBADMSG);
        g_assert_null(t);
        g_assert_cmpint(cdtext_parse(NULL, 0, &t), ==, 0); /* no packs, no text */
        g_assert_null(cdtext_get(t, CDTEXT_PACK_TITLE, 0));
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/cdtext/crc-published", test_crc_published);
        g_test_add_func("/cdtext/build-layout", test_build_layout);
        g_test_add_func("/cdtext/positions", test_positions);
        g_test_add_func("/cdtext/build-codes-and-parse", test_build_codes_and_parse);
        g_test_add_func("/cdtext/no-text-and-limits", test_no_text_and_limits);
        g_test_add_func("/cdtext/spread", test_spread);
        g_test_add_func("/cdtext/subcode-round-trip", test_subcode_round_trip);
        g_test_add_func("/cdtext/parse-errors-and-tab", test_parse_errors_and_tab);
        return g_test_run();
}
