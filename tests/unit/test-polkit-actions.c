/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The polkit action ids declared in daemon/polkit/polkit-actions.h are exactly those of
 * polkit/org.freedesktop.imapi1.policy, with the defaults DESIGN.md §4 gives. */
#include <glib.h>
#include <string.h>

#include "polkit-actions.h"

typedef struct Action {
        char *id;
        char *defaults[3]; /* allow_any, allow_inactive, allow_active */
} Action;

typedef struct Parser {
        GPtrArray *actions;
        Action *current;
        int field;
} Parser;

static void on_start(GMarkupParseContext *ctx, const char *name, const char **attr_names,
                     const char **attr_values, gpointer userdata, GError **error)
{
        Parser *p = userdata;

        p->field = -1;
        if (g_str_equal(name, "action")) {
                p->current = g_new0(Action, 1);
                for (size_t i = 0; attr_names[i]; i++)
                        if (g_str_equal(attr_names[i], "id"))
                                p->current->id = g_strdup(attr_values[i]);
                g_ptr_array_add(p->actions, p->current);
        } else if (p->current && g_str_equal(name, "allow_any"))
                p->field = 0;
        else if (p->current && g_str_equal(name, "allow_inactive"))
                p->field = 1;
        else if (p->current && g_str_equal(name, "allow_active"))
                p->field = 2;
}

static void on_text(GMarkupParseContext *ctx, const char *text, gsize len, gpointer userdata, GError **error)
{
        Parser *p = userdata;

        if (p->current && p->field >= 0)
                p->current->defaults[p->field] = g_strstrip(g_strndup(text, len));
}

static void on_end(GMarkupParseContext *ctx, const char *name, gpointer userdata, GError **error)
{
        Parser *p = userdata;
        p->field = -1;
}

static const Action *find(GPtrArray *actions, const char *id)
{
        for (size_t i = 0; i < actions->len; i++)
                if (g_str_equal(((Action *) actions->pdata[i])->id, id))
                        return actions->pdata[i];
        return NULL;
}

static void test_actions_match_policy(void)
{
        static const char *const declared[] = {POLKIT_ACTIONS_ALL};
        g_autofree char *path = g_build_filename(g_getenv("IMAPID_SOURCE_DIR") ?: SOURCE_DIR, "polkit",
                                                 "org.freedesktop.imapi1.policy", NULL);
        g_autofree char *xml = NULL;
        GMarkupParser parser = {on_start, on_end, on_text, NULL, NULL};
        Parser p = {g_ptr_array_new()};
        g_autoptr(GMarkupParseContext) ctx = g_markup_parse_context_new(&parser, 0, &p, NULL);

        g_assert_true(g_file_get_contents(path, &xml, NULL, NULL));
        g_assert_true(g_markup_parse_context_parse(ctx, xml, -1, NULL));
        g_assert_cmpuint(p.actions->len, ==, G_N_ELEMENTS(declared));
        for (size_t i = 0; i < G_N_ELEMENTS(declared); i++) {
                const Action *a = find(p.actions, declared[i]);
                g_assert_nonnull(a);
                /* DESIGN.md §4: inactive and remote auth_admin_keep; active yes, except virtual recorders.
                 */
                g_assert_cmpstr(a->defaults[0], ==, "auth_admin_keep");
                g_assert_cmpstr(a->defaults[1], ==, "auth_admin_keep");
                g_assert_cmpstr(a->defaults[2], ==,
                                g_str_equal(a->id, POLKIT_ACTION_MANAGE_VIRTUAL_RECORDERS)
                                        ? "auth_admin_keep"
                                        : "yes");
        }
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/polkit/actions-match-policy", test_actions_match_policy);
        return g_test_run();
}
