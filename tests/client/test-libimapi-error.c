/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ImapiError: every entry of dbus/imapi-errors.h maps both ways between its D-Bus name and its code. */
#include <imapi.h>

typedef struct Entry {
        int code;
        const char *name;
        const char *symbol;
        guint32 hresult;
} Entry;

/* The table read independently of the library, by name: a reordered enum or a lost entry shows here. */
static const Entry table[] = {
#undef IMAPI_ERROR
#define IMAPI_ERROR(id, dbus_name, symbol, hresult, message) {IMAPI_ERROR_##id, dbus_name, symbol, hresult},
#include "imapi-errors.h"
#undef IMAPI_ERROR
};
#define IMAPI_ERROR (imapi_error_quark())

static void test_codes_in_table_order(void)
{
        g_assert_cmpuint(G_N_ELEMENTS(table), >, 150);
        for (guint i = 0; i < G_N_ELEMENTS(table); i++)
                g_assert_cmpint(table[i].code, ==, (int) i);
        g_assert_cmpint(IMAPI_ERROR_NOT_OPENED, ==, 0);
}

static void test_names_symbols_hresults(void)
{
        for (guint i = 0; i < G_N_ELEMENTS(table); i++) {
                g_autofree char *full = g_strconcat("org.freedesktop.IMAPI1.Error.", table[i].name, NULL);

                g_assert_cmpstr(imapi_error_get_dbus_name(table[i].code), ==, full);
                g_assert_cmpstr(imapi_error_get_symbol(table[i].code), ==, table[i].symbol);
                g_assert_cmpuint(imapi_error_get_hresult(table[i].code), ==, table[i].hresult);
                g_assert_nonnull(imapi_error_get_default_message(table[i].code));
        }
        g_assert_cmpstr(imapi_error_get_symbol(IMAPI_ERROR_DISC_FULL), ==, "IMAPI_E_DISCFULL");
        g_assert_cmphex(imapi_error_get_hresult(IMAPI_ERROR_DISC_FULL), ==, 0x8004021C);
        g_assert_null(imapi_error_get_dbus_name((ImapiError) G_N_ELEMENTS(table)));
        g_assert_null(imapi_error_get_dbus_name((ImapiError) -1));
}

/* imapi_error_normalize() brings an error into the domain even when it was made before registration. */
static void test_normalize_before_registration(void)
{
        g_autoptr(GError) e =
                g_dbus_error_new_for_dbus_error("org.freedesktop.IMAPI1.Error.DiscFull", "full");

        /* Nothing has called imapi_error_quark() yet in this process (this test runs first). */
        g_assert_error(e, G_IO_ERROR, G_IO_ERROR_DBUS_ERROR);
        g_assert_true(imapi_error_normalize(e));
        g_assert_true(e->domain == imapi_error_quark());
        g_assert_cmpint(e->code, ==, IMAPI_ERROR_DISC_FULL);
        g_assert_cmpstr(e->message, ==, "full");
}

/* Once registered, a reply carrying one of the names arrives in the ImapiError domain with the right code.
 */
static void test_remote_errors_map_to_codes(void)
{
        (void) imapi_error_quark();
        for (guint i = 0; i < G_N_ELEMENTS(table); i++) {
                g_autofree char *full = g_strconcat("org.freedesktop.IMAPI1.Error.", table[i].name, NULL);
                g_autoptr(GError) e = g_dbus_error_new_for_dbus_error(full, "what happened");
                g_autofree char *name = NULL;

                g_assert_error(e, IMAPI_ERROR, table[i].code);
                g_assert_true(imapi_error_normalize(e));
                g_assert_cmpstr(e->message, ==, "what happened");
                name = imapi_error_dup_dbus_name(e);
                g_assert_cmpstr(name, ==, full);
        }
}

static void test_standard_errors(void)
{
        static const struct {
                const char *name;
                int code;
        } cases[] = {
                {"org.freedesktop.DBus.Error.InvalidArgs", IMAPI_ERROR_INVALID_ARGS},
                {"org.freedesktop.DBus.Error.AccessDenied", IMAPI_ERROR_ACCESS_DENIED},
        };

        (void) imapi_error_quark();
        for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
                g_autoptr(GError) e = g_dbus_error_new_for_dbus_error(cases[i].name, "no");
                g_autofree char *name = NULL;

                g_assert_true(e->domain == G_DBUS_ERROR);
                g_assert_true(imapi_error_normalize(e));
                g_assert_error(e, IMAPI_ERROR, cases[i].code);
                g_assert_cmpstr(e->message, ==, "no");
                name = imapi_error_dup_dbus_name(e);
                g_assert_cmpstr(name, ==, cases[i].name);
                g_assert_cmpstr(imapi_error_get_dbus_name(cases[i].code), ==, cases[i].name);
        }
}

/* A name this library does not know (a newer daemon) keeps its name and stays out of the domain. */
static void test_unknown_name(void)
{
        g_autoptr(GError) e = NULL;
        g_autofree char *name = NULL;

        (void) imapi_error_quark();
        e = g_dbus_error_new_for_dbus_error("org.freedesktop.IMAPI1.Error.SomethingNew", "later");
        g_assert_error(e, G_IO_ERROR, G_IO_ERROR_DBUS_ERROR);
        g_assert_false(imapi_error_normalize(e));
        name = imapi_error_dup_dbus_name(e);
        g_assert_cmpstr(name, ==, "org.freedesktop.IMAPI1.Error.SomethingNew");
}

/* Local errors carry no D-Bus name. */
static void test_local_error(void)
{
        g_autoptr(GError) e = g_error_new_literal(G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "gone");

        g_assert_null(imapi_error_dup_dbus_name(e));
        g_assert_false(imapi_error_normalize(e));
        g_assert_cmpstr(e->message, ==, "gone");
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/imapi-error/normalize-before-registration", test_normalize_before_registration);
        g_test_add_func("/imapi-error/codes-in-table-order", test_codes_in_table_order);
        g_test_add_func("/imapi-error/names-symbols-hresults", test_names_symbols_hresults);
        g_test_add_func("/imapi-error/remote-errors-map-to-codes", test_remote_errors_map_to_codes);
        g_test_add_func("/imapi-error/standard-errors", test_standard_errors);
        g_test_add_func("/imapi-error/unknown-name", test_unknown_name);
        g_test_add_func("/imapi-error/local-error", test_local_error);
        return g_test_run();
}
