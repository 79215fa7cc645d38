/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A small JSON writer for imapictl --json (RFC 8259 output, one document per line). */
#include <math.h>
#include <stdio.h>

#include "imapictl-json.h"

#define JSON_MAX_DEPTH 64

struct Json {
        GString *s;
        guint depth;
        gboolean first[JSON_MAX_DEPTH]; /* nothing written yet at this level */
        gboolean after_key;
};

Json *json_new(void)
{
        Json *j = g_new0(Json, 1);

        j->s = g_string_new(NULL);
        j->first[0] = TRUE;
        return j;
}

void json_free(Json *j)
{
        if (!j)
                return;
        g_string_free(j->s, TRUE);
        g_free(j);
}

/* The separator before a value (or a key) at the current level. */
static void json_separate(Json *j)
{
        if (j->after_key) {
                j->after_key = FALSE;
                return;
        }
        if (!j->first[j->depth])
                g_string_append_c(j->s, ',');
        j->first[j->depth] = FALSE;
}

static void json_open(Json *j, char c)
{
        json_separate(j);
        g_string_append_c(j->s, c);
        g_assert(j->depth + 1 < JSON_MAX_DEPTH);
        j->first[++j->depth] = TRUE;
}

static void json_close(Json *j, char c)
{
        g_assert(j->depth > 0);
        j->depth--;
        g_string_append_c(j->s, c);
}

void json_begin_object(Json *j)
{
        json_open(j, '{');
}

void json_end_object(Json *j)
{
        json_close(j, '}');
}

void json_begin_array(Json *j)
{
        json_open(j, '[');
}

void json_end_array(Json *j)
{
        json_close(j, ']');
}

static void json_quote(GString *s, const char *text)
{
        g_autofree char *valid = g_utf8_make_valid(text ? text : "", -1);

        g_string_append_c(s, '"');
        for (const unsigned char *p = (const unsigned char *) valid; *p; p++) {
                switch (*p) {
                case '"':
                        g_string_append(s, "\\\"");
                        break;
                case '\\':
                        g_string_append(s, "\\\\");
                        break;
                case '\n':
                        g_string_append(s, "\\n");
                        break;
                case '\t':
                        g_string_append(s, "\\t");
                        break;
                case '\r':
                        g_string_append(s, "\\r");
                        break;
                default:
                        if (*p < 0x20)
                                g_string_append_printf(s, "\\u%04x", *p);
                        else
                                g_string_append_c(s, (char) *p);
                }
        }
        g_string_append_c(s, '"');
}

void json_key(Json *j, const char *key)
{
        json_separate(j);
        json_quote(j->s, key);
        g_string_append_c(j->s, ':');
        j->after_key = TRUE;
}

void json_string(Json *j, const char *s)
{
        json_separate(j);
        json_quote(j->s, s);
}

void json_int(Json *j, gint64 v)
{
        json_separate(j);
        g_string_append_printf(j->s, "%" G_GINT64_FORMAT, v);
}

void json_uint(Json *j, guint64 v)
{
        json_separate(j);
        g_string_append_printf(j->s, "%" G_GUINT64_FORMAT, v);
}

void json_double(Json *j, double v)
{
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        if (!isfinite(v)) {
                json_null(j);
                return;
        }
        json_separate(j);
        g_string_append(j->s, g_ascii_dtostr(buf, sizeof(buf), v));
}

void json_bool(Json *j, gboolean v)
{
        json_separate(j);
        g_string_append(j->s, v ? "true" : "false");
}

void json_null(Json *j)
{
        json_separate(j);
        g_string_append(j->s, "null");
}

static void json_dict(Json *j, GVariant *v)
{
        GVariantIter iter;
        GVariant *entry;

        json_begin_object(j);
        g_variant_iter_init(&iter, v);
        while ((entry = g_variant_iter_next_value(&iter))) {
                g_autoptr(GVariant) key = g_variant_get_child_value(entry, 0);
                g_autoptr(GVariant) value = g_variant_get_child_value(entry, 1);
                g_autofree char *k = g_variant_is_of_type(key, G_VARIANT_TYPE_STRING)
                                             ? g_variant_dup_string(key, NULL)
                                             : g_variant_print(key, FALSE);

                json_key(j, k);
                json_variant(j, value);
                g_variant_unref(entry);
        }
        json_end_object(j);
}

static void json_container(Json *j, GVariant *v)
{
        GVariantIter iter;
        GVariant *child;

        json_begin_array(j);
        g_variant_iter_init(&iter, v);
        while ((child = g_variant_iter_next_value(&iter))) {
                json_variant(j, child);
                g_variant_unref(child);
        }
        json_end_array(j);
}

void json_variant(Json *j, GVariant *v)
{
        g_autoptr(GVariant) inner = NULL;

        if (!v) {
                json_null(j);
                return;
        }
        switch (g_variant_classify(v)) {
        case G_VARIANT_CLASS_BOOLEAN:
                json_bool(j, g_variant_get_boolean(v));
                break;
        case G_VARIANT_CLASS_BYTE:
                json_uint(j, g_variant_get_byte(v));
                break;
        case G_VARIANT_CLASS_INT16:
                json_int(j, g_variant_get_int16(v));
                break;
        case G_VARIANT_CLASS_UINT16:
                json_uint(j, g_variant_get_uint16(v));
                break;
        case G_VARIANT_CLASS_INT32:
                json_int(j, g_variant_get_int32(v));
                break;
        case G_VARIANT_CLASS_UINT32:
                json_uint(j, g_variant_get_uint32(v));
                break;
        case G_VARIANT_CLASS_INT64:
                json_int(j, g_variant_get_int64(v));
                break;
        case G_VARIANT_CLASS_UINT64:
                json_uint(j, g_variant_get_uint64(v));
                break;
        case G_VARIANT_CLASS_HANDLE:
                json_int(j, g_variant_get_handle(v));
                break;
        case G_VARIANT_CLASS_DOUBLE:
                json_double(j, g_variant_get_double(v));
                break;
        case G_VARIANT_CLASS_STRING:
        case G_VARIANT_CLASS_OBJECT_PATH:
        case G_VARIANT_CLASS_SIGNATURE:
                json_string(j, g_variant_get_string(v, NULL));
                break;
        case G_VARIANT_CLASS_VARIANT:
                inner = g_variant_get_variant(v);
                json_variant(j, inner);
                break;
        case G_VARIANT_CLASS_MAYBE:
                inner = g_variant_get_maybe(v);
                json_variant(j, inner);
                break;
        case G_VARIANT_CLASS_ARRAY:
                if (g_variant_type_is_dict_entry(g_variant_type_element(g_variant_get_type(v))))
                        json_dict(j, v);
                else
                        json_container(j, v);
                break;
        case G_VARIANT_CLASS_TUPLE:
        case G_VARIANT_CLASS_DICT_ENTRY:
                json_container(j, v);
                break;
        }
}

void json_kv_string(Json *j, const char *key, const char *s)
{
        json_key(j, key);
        if (s)
                json_string(j, s);
        else
                json_null(j);
}

void json_kv_uint(Json *j, const char *key, guint64 v)
{
        json_key(j, key);
        json_uint(j, v);
}

void json_kv_bool(Json *j, const char *key, gboolean v)
{
        json_key(j, key);
        json_bool(j, v);
}

const char *json_get(Json *j)
{
        return j->s->str;
}

void json_print(Json *j)
{
        g_assert(j->depth == 0);
        fputs(j->s->str, stdout);
        fputc('\n', stdout);
        fflush(stdout);
        g_string_truncate(j->s, 0);
        j->first[0] = TRUE;
        j->after_key = FALSE;
}
