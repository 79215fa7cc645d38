/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests for master/master-names.c: path validation, ISO 9660 and Joliet names, ordering, "~N" uniqueness. */
#include "test-master-util.h"

static void assert_path_invalid(const char *path, const char *in_message)
{
        MasterLimits l = MASTER_LIMITS_DEFAULT;
        g_autofree char *err = NULL;
        char **parts = NULL;

        l.max_path_bytes = 64;
        l.max_name_bytes = 16;
        g_assert_cmpint(master_path_split(path, &l, &parts, &err), ==, -IMAPI_ERROR_INVALID_PATH);
        g_assert_null(parts);
        g_assert_nonnull(err);
        if (in_message)
                g_assert_nonnull(strstr(err, in_message));
}

static void test_path_split(void)
{
        MasterLimits l = MASTER_LIMITS_DEFAULT;
        g_auto(GStrv) parts = NULL;

        g_assert_cmpint(master_path_split("a/b c/ünïcode.txt", &l, &parts, NULL), ==, 0);
        g_assert_cmpuint(g_strv_length(parts), ==, 3);
        g_assert_cmpstr(parts[2], ==, "ünïcode.txt");

        assert_path_invalid("", NULL);
        assert_path_invalid(NULL, NULL);
        assert_path_invalid("/abs/path", "/abs/path");
        assert_path_invalid("a//b", "a//b");
        assert_path_invalid("a/", "a/");
        assert_path_invalid("./a", "./a");
        assert_path_invalid("a/../b", "a/../b");
        assert_path_invalid("a/.", NULL);
        assert_path_invalid("tab\there", "control");
        assert_path_invalid("del\x7f", "control");
        assert_path_invalid("c1\xc2\x85", "control"); /* U+0085 */
        assert_path_invalid("bad\xff\xfe", "UTF-8");
        assert_path_invalid("overlong\xc0\xaf", "UTF-8");
        assert_path_invalid("0123456789abcdefg", "longer than 16 bytes");
        assert_path_invalid("a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z/0/1/2/3/4/5/6", "longer than 64");
}

static void assert_iso(const char *name, bool dir, const char *expected)
{
        char id[ISO_ID_MAX + 1];
        iso_name_natural(name, dir, id);
        g_assert_cmpstr(id, ==, expected);
}

static void test_iso_natural(void)
{
        assert_iso("hello.txt", false, "HELLO.TXT");
        assert_iso("Ébène niveau", true, "EBENE_NIVEAU");
        assert_iso("a.b.c", false, "A_B.C");
        assert_iso("dir.with.dots", true, "DIR_WITH_DOTS");
        assert_iso(".profile", false, "_PROFILE");
        assert_iso("noext", false, "NOEXT");
        assert_iso("trailing.", false, "TRAILING_");
        assert_iso("x.toolongextension", false, "X.TOOLONGE");
        assert_iso("日本", false, "__");
        /* level 2: name + extension <= 30 for files, 31 for directories */
        assert_iso("abcdefghijklmnopqrstuvwxyz0123456789.txt", false, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0.TXT");
        assert_iso("abcdefghijklmnopqrstuvwxyz0123456789", false, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123");
        assert_iso("abcdefghijklmnopqrstuvwxyz0123456789", true, "ABCDEFGHIJKLMNOPQRSTUVWXYZ01234");
}

static void assert_joliet(const char *name, bool mangle, int ret, const char *expected)
{
        g_autofree char *out = NULL;

        g_assert_cmpint(joliet_name_natural(name, mangle, &out), ==, ret);
        g_assert_cmpstr(out, ==, expected);
}

static void test_joliet_natural(void)
{
        g_autofree char *n64 = g_strnfill(64, 'x');
        g_autofree char *n65 = g_strnfill(65, 'y');
        g_autofree char *n64u = g_strnfill(64, 'y');
        g_autofree char *base = g_strnfill(70, 'z');
        g_autofree char *with_ext = g_strconcat(base, ".text", NULL);
        g_autofree char *z59 = g_strnfill(59, 'z');
        g_autofree char *truncated = g_strconcat(z59, ".text", NULL);
        g_autoptr(GString) e64 = g_string_new(NULL);

        for (int i = 0; i < 64; i++)
                g_string_append(e64, "é");
        assert_joliet(n64, false, 0, NULL);
        assert_joliet(e64->str, false, 0, NULL); /* 64 characters, 128 bytes of UTF-8 */
        assert_joliet(n65, false, -IMAPI_ERROR_BAD_JOLIET_NAME, NULL);
        assert_joliet(n65, true, 1, n64u);
        assert_joliet(with_ext, true, 1, truncated);
        for (const char *c = "*/:;?\\"; *c; c++) {
                char name[] = { 'a', *c, 'b', 0 };
                assert_joliet(name, false, -IMAPI_ERROR_BAD_JOLIET_NAME, NULL);
                assert_joliet(name, true, 1, "a_b");
        }
        assert_joliet("smile\xf0\x9f\x98\x80", false, -IMAPI_ERROR_BAD_JOLIET_NAME, NULL); /* outside the BMP */
        assert_joliet("smile\xf0\x9f\x98\x80", true, 1, "smile_");
        assert_joliet("café", false, 0, NULL);
        assert_joliet("cafe\xcc\x81", false, 0, NULL); /* NFD is kept as is, not normalised */
}

static void test_compare(void)
{
        /* ECMA-119 §9.3: name then extension, each padded with spaces */
        g_assert_cmpint(iso_id_compare("A", "A_B"), <, 0);
        g_assert_cmpint(iso_id_compare("A.TXT", "A_B.TXT"), <, 0);
        g_assert_cmpint(iso_id_compare("AB.Z", "AB_.A"), <, 0);
        g_assert_cmpint(iso_id_compare("A.B", "A.BC"), <, 0);
        g_assert_cmpint(iso_id_compare("B", "A.Z"), >, 0);
        g_assert_cmpint(iso_id_compare("SAME", "SAME"), ==, 0);
        g_assert_cmpint(joliet_id_compare("a b", true, "a", true), >, 0);
        g_assert_cmpint(joliet_id_compare("a.txt", true, "a b.txt", true), <, 0);
        g_assert_cmpint(joliet_id_compare("é", true, "z", true), >, 0); /* code point order */
}

static char **unique_names(const char *const *naturals, size_t n, unsigned max, guint32 shuffle_seed)
{
        g_autofree NameSlot *slots = g_new0(NameSlot, n);
        g_autofree size_t *perm = g_new(size_t, n);
        g_autoptr(GRand) rand = g_rand_new_with_seed(shuffle_seed);
        char **out = g_new0(char *, n + 1);

        for (size_t i = 0; i < n; i++)
                perm[i] = i;
        for (size_t i = n; i > 1; i--) {
                size_t k = (size_t) g_rand_int_range(rand, 0, (gint32) i), tmp = perm[i - 1];
                perm[i - 1] = perm[k];
                perm[k] = tmp;
        }
        for (size_t i = 0; i < n; i++)
                slots[i] = (NameSlot) { .natural = naturals[perm[i]], .tiebreak = g_strdup_printf("%03zu", perm[i]),
                                        .max_units = max };
        names_make_unique(slots, n);
        for (size_t i = 0; i < n; i++) {
                out[perm[i]] = slots[i].result ?: g_strdup(slots[i].natural);
                if (slots[i].result)
                        g_assert_cmpstr(slots[i].result, !=, slots[i].natural);
                g_free((char *) slots[i].tiebreak);
        }
        return out;
}

static void test_unique(void)
{
        const char *naturals[] = { "A_B.TXT", "A_B.TXT", "A_B.TXT", "A_B~1.TXT", "LONGNAMELONGNAMELONGNAME12.TXT",
                                   "LONGNAMELONGNAMELONGNAME12.TXT", "DIR", "DIR" };
        g_auto(GStrv) first = unique_names(naturals, G_N_ELEMENTS(naturals), ISO_ID_MAX, 1);
        g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

        for (guint32 seed = 2; seed < 20; seed++) {
                g_auto(GStrv) again = unique_names(naturals, G_N_ELEMENTS(naturals), ISO_ID_MAX, seed);
                for (size_t i = 0; i < G_N_ELEMENTS(naturals); i++)
                        g_assert_cmpstr(again[i], ==, first[i]); /* the set decides, not the order */
        }
        for (size_t i = 0; first[i]; i++) {
                g_assert_false(g_hash_table_contains(seen, first[i]));
                g_hash_table_add(seen, first[i]);
                g_assert_cmpuint(strlen(first[i]), <=, ISO_ID_MAX);
        }
        /* the first by tiebreak keeps its name; a natural "A_B~1.TXT" is never taken by a suffix */
        g_assert_cmpstr(first[0], ==, "A_B.TXT");
        g_assert_cmpstr(first[1], ==, "A_B~2.TXT");
        g_assert_cmpstr(first[2], ==, "A_B~3.TXT");
        g_assert_cmpstr(first[3], ==, "A_B~1.TXT");
        g_assert_cmpstr(first[5], ==, "LONGNAMELONGNAMELONGNAME1~1.TXT");
        g_assert_cmpstr(first[7], ==, "DIR~1");
}

static void test_unique_fixed_and_utf8(void)
{
        g_autofree char *long_name = g_strnfill(64, 'x');
        NameSlot slots[] = {
                { .natural = "a_b", .tiebreak = "a:b", .utf8 = true, .max_units = JOLIET_NAME_MAX },
                { .natural = "a_b", .tiebreak = "a_b", .fixed = true, .utf8 = true, .max_units = JOLIET_NAME_MAX },
                { .natural = long_name, .tiebreak = "1", .utf8 = true, .max_units = JOLIET_NAME_MAX },
                { .natural = long_name, .tiebreak = "2", .utf8 = true, .max_units = JOLIET_NAME_MAX },
        };

        names_make_unique(slots, G_N_ELEMENTS(slots));
        g_assert_null(slots[1].result); /* a valid Joliet name always keeps itself */
        g_assert_cmpstr(slots[0].result, ==, "a_b~1");
        g_assert_null(slots[2].result);
        g_assert_cmpuint(g_utf8_strlen(slots[3].result, -1), ==, JOLIET_NAME_MAX);
        g_assert_true(g_str_has_suffix(slots[3].result, "~1"));
        for (size_t i = 0; i < G_N_ELEMENTS(slots); i++)
                g_free(slots[i].result);
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/master-names/path-split", test_path_split);
        g_test_add_func("/master-names/iso-natural", test_iso_natural);
        g_test_add_func("/master-names/joliet-natural", test_joliet_natural);
        g_test_add_func("/master-names/compare", test_compare);
        g_test_add_func("/master-names/unique", test_unique);
        g_test_add_func("/master-names/unique-fixed-utf8", test_unique_fixed_and_utf8);
        return g_test_run();
}
