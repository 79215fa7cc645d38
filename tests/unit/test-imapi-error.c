/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests for the error table: names, symbols, HRESULTs and the reverse lookup. */
#include "imapi-error.h"
#include "log.h"

static void test_v1_codes(void)
{
        g_assert_cmpstr(imapi_error_name(-IMAPI_ERROR_DISC_FULL), ==, "DiscFull");
        g_assert_cmpstr(imapi_error_symbol(IMAPI_ERROR_DISC_FULL), ==, "IMAPI_E_DISCFULL");
        g_assert_cmphex(imapi_error_hresult(IMAPI_ERROR_DISC_FULL), ==, 0x8004021C);
        g_assert_cmpstr(imapi_error_name(IMAPI_ERROR_DEVICE_STILL_IN_USE), ==, "DeviceStillInUse");
        g_assert_cmphex(imapi_error_hresult(IMAPI_ERROR_BAD_JOLIET_NAME), ==, 0x8004021D);
        g_assert_cmpstr(imapi_error_name(IMAPI_ERROR_LOSS_OF_STREAMING), ==, "LossOfStreaming");
}

static void test_every_v1_error_is_present(void)
{
        /* imapierror.h: 0x8004020B..0x8004022E are the v1 errors, all of them. */
        for (uint32_t h = 0x8004020B; h <= 0x8004022E; h++) {
                bool found = false;
                for (int c = _IMAPI_ERROR_BASE + 1; c < _IMAPI_ERROR_END; c++)
                        if (imapi_error_hresult(c) == h)
                                found = true;
                g_assert_true(found);
        }
}

static void test_no_success_codes_and_unique_names(void)
{
        g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);

        for (int c = _IMAPI_ERROR_BASE + 1; c < _IMAPI_ERROR_END; c++) {
                uint32_t h = imapi_error_hresult(c);
                /* Success HRESULTs have the severity bit clear; only our own codes have none. */
                g_assert_true(h == 0 || (h & 0x80000000u));
                g_assert_null(g_hash_table_lookup(names, imapi_error_name(c)));
                g_hash_table_insert(names, (gpointer) imapi_error_name(c), GINT_TO_POINTER(1));
                g_assert_cmpint(imapi_error_from_name(imapi_error_name(c)), ==, c);
        }
        g_assert_cmpint(imapi_error_from_name("org.freedesktop.IMAPI1.Error.NotAuthorized"), ==,
                        IMAPI_ERROR_NOT_AUTHORIZED);
        g_assert_cmpint(imapi_error_from_name("NoSuchThing"), ==, 0);
        g_assert_false(imapi_error_is_valid(EINVAL));
}

static void test_error_to_string(void)
{
        g_assert_cmpstr(error_to_string(-IMAPI_ERROR_DISC_FULL), ==,
                        imapi_error_message(IMAPI_ERROR_DISC_FULL));
        g_assert_cmpstr(error_to_string(-ENOENT), ==, g_strerror(ENOENT));
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/imapi-error/v1-codes", test_v1_codes);
        g_test_add_func("/imapi-error/every-v1-error", test_every_v1_error_is_present);
        g_test_add_func("/imapi-error/no-success-codes", test_no_success_codes_and_unique_names);
        g_test_add_func("/imapi-error/to-string", test_error_to_string);
        return g_test_run();
}
