/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests for the bounds-checked readers of shared/bytes.h. */
#include "bytes.h"
#include "macros.h"

static void test_readers_in_range(void)
{
        const uint8_t buf[] = {0x12, 0x34, 0x56, 0x78};
        uint16_t v16;
        uint32_t v32;

        g_assert_cmpint(be16_read(buf, sizeof(buf), 2, &v16), ==, 0);
        g_assert_cmphex(v16, ==, 0x5678);
        g_assert_cmpint(be32_read(buf, sizeof(buf), 0, &v32), ==, 0);
        g_assert_cmphex(v32, ==, 0x12345678);
        g_assert_cmpint(le32_read(buf, sizeof(buf), 0, &v32), ==, 0);
        g_assert_cmphex(v32, ==, 0x78563412);
        g_assert_cmpint(be24_read(buf, sizeof(buf), 1, &v32), ==, 0);
        g_assert_cmphex(v32, ==, 0x345678);
}

static void test_readers_out_of_range(void)
{
        const uint8_t buf[4] = {0};
        uint16_t v16 = 0xaaaa;
        uint32_t v32 = 0xaaaaaaaa;

        g_assert_cmpint(be16_read(buf, sizeof(buf), 3, &v16), ==, -EBADMSG);
        g_assert_cmphex(v16, ==, 0xaaaa); /* untouched on failure */
        g_assert_cmpint(be32_read(buf, sizeof(buf), 1, &v32), ==, -EBADMSG);
        g_assert_cmpint(be32_read(buf, sizeof(buf), SIZE_MAX - 1, &v32), ==, -EBADMSG);
        g_assert_cmphex(v32, ==, 0xaaaaaaaa);
}

static void test_writers(void)
{
        uint8_t p[8];

        both32_put(p, 0x01020304);
        g_assert_cmpmem(p, 8, ((uint8_t[]){4, 3, 2, 1, 1, 2, 3, 4}), 8);
        both16_put(p, 0x0102);
        g_assert_cmpmem(p, 4, ((uint8_t[]){2, 1, 1, 2}), 4);
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/bytes/readers-in-range", test_readers_in_range);
        g_test_add_func("/bytes/readers-out-of-range", test_readers_out_of_range);
        g_test_add_func("/bytes/writers", test_writers);
        return g_test_run();
}
