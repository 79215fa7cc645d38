/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Names: client path validation, ISO 9660 level 2 and Joliet names, their orderings, and "~N" uniqueness. */
#include <string.h>

#include "imapi-error.h"
#include "master-internal.h"

/* C0, DEL and C1 controls: never in a name. */
static bool unichar_is_control(gunichar c)
{
        return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

static int component_check(const char *path, const char *c, const MasterLimits *limits, char **reterr_message)
{
        if (c[0] == '\0')
                return error_set_message(reterr_message, IMAPI_ERROR_INVALID_PATH,
                                         "Path '%s' has an empty component", path);
        if (streq(c, ".") || streq(c, ".."))
                return error_set_message(reterr_message, IMAPI_ERROR_INVALID_PATH,
                                         "Path '%s' has a '%s' component", path, c);
        if (strlen(c) > limits->max_name_bytes)
                return error_set_message(reterr_message, IMAPI_ERROR_INVALID_PATH,
                                         "Name '%s' in path '%s' is longer than %zu bytes", c, path,
                                         limits->max_name_bytes);
        for (const char *p = c; *p; p = g_utf8_next_char(p))
                if (unichar_is_control(g_utf8_get_char(p)))
                        return error_set_message(reterr_message, IMAPI_ERROR_INVALID_PATH,
                                                 "Path '%s' contains a control character", path);
        return 0;
}

int master_path_split(const char *path, const MasterLimits *limits, char ***ret, char **reterr_message)
{
        if (!path || path[0] == '\0')
                return error_set_message(reterr_message, IMAPI_ERROR_INVALID_PATH, "Empty path");
        if (!g_utf8_validate(path, -1, NULL)) {
                g_autofree char *shown = g_utf8_make_valid(path, -1);
                return error_set_message(reterr_message, IMAPI_ERROR_INVALID_PATH,
                                         "Path '%s' is not valid UTF-8", shown);
        }
        if (path[0] == '/')
                return error_set_message(reterr_message, IMAPI_ERROR_INVALID_PATH,
                                         "Path '%s' is absolute; image paths are relative", path);
        if (strlen(path) > limits->max_path_bytes)
                return error_set_message(reterr_message, IMAPI_ERROR_INVALID_PATH,
                                         "Path '%s' is longer than %zu bytes", path, limits->max_path_bytes);

        g_auto(GStrv) parts = g_strsplit(path, "/", -1);
        for (size_t i = 0; parts[i]; i++) {
                int r = component_check(path, parts[i], limits, reterr_message);
                if (r < 0)
                        return r;
        }
        *ret = g_steal_pointer(&parts);
        return 0;
}

static char iso_dchar(char c)
{
        if (c >= 'a' && c <= 'z')
                return (char) (c - 'a' + 'A');
        if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
                return c;
        return '_';
}

/* Transliterates to ASCII (É → E, deterministic: GLib's tables, no locale) and maps to d-characters. */
static size_t iso_dchars(const char *s, size_t len, char *out, size_t max)
{
        g_autofree char *part = g_strndup(s, len);
        g_autofree char *ascii = g_str_to_ascii(part, "C");
        size_t n = 0;

        for (const char *p = ascii; *p && n < max; p++)
                out[n++] = iso_dchar(*p);
        return n;
}

void iso_name_natural(const char *name, bool directory, char ret[static ISO_ID_MAX + 1])
{
        const char *dot = directory ? NULL : strrchr(name, '.');
        char ext[ISO_EXT_MAX + 1];
        size_t n_ext = 0, n;

        if (dot == name)
                dot = NULL; /* ".profile": a name, not an extension */
        if (dot)
                n_ext = iso_dchars(dot + 1, strlen(dot + 1), ext, ISO_EXT_MAX);
        if (n_ext == 0)
                dot = NULL;

        n = iso_dchars(name, dot ? (size_t) (dot - name) : strlen(name), ret,
                       directory ? ISO_ID_MAX : ISO_ID_MAX - 1 - n_ext);
        if (n == 0)
                ret[n++] = '_';
        if (dot) {
                ret[n++] = '.';
                memcpy(ret + n, ext, n_ext);
                n += n_ext;
        }
        ret[n] = '\0';
}

/* Joliet cannot hold * / : ; ? \, control characters or characters outside the BMP (UCS-2). */
static bool joliet_char_ok(gunichar c)
{
        return !unichar_is_control(c) && c <= 0xFFFF && !strchr("*/:;?\\", (int) c);
}

static char *joliet_truncate(const char *name, size_t max)
{
        const char *dot = strrchr(name, '.');
        glong n_ext = dot && dot != name ? g_utf8_strlen(dot, -1) : 0;
        glong keep;

        if (n_ext == 0 || (size_t) n_ext > max / 4)
                n_ext = 0, dot = NULL; /* no extension worth keeping */
        keep = (glong) max - n_ext;
        g_autofree char *base = g_utf8_substring(name, 0, keep);
        return g_strconcat(base, dot ? dot : "", NULL);
}

int joliet_name_natural(const char *name, bool mangle, char **ret)
{
        g_autoptr(GString) s = g_string_new(NULL);
        bool bad = false;

        for (const char *p = name; *p; p = g_utf8_next_char(p)) {
                gunichar c = g_utf8_get_char(p);
                if (joliet_char_ok(c))
                        g_string_append_unichar(s, c);
                else {
                        g_string_append_c(s, '_');
                        bad = true;
                }
        }
        if (g_utf8_strlen(s->str, -1) > JOLIET_NAME_MAX) {
                char *t = joliet_truncate(s->str, JOLIET_NAME_MAX);
                g_string_assign(s, t);
                g_free(t);
                bad = true;
        }
        if (!bad) {
                *ret = NULL;
                return 0;
        }
        if (!mangle)
                return -IMAPI_ERROR_BAD_JOLIET_NAME;
        *ret = g_string_free(g_steal_pointer(&s), false);
        return 1;
}

/* a and b padded with spaces to the same length (ECMA-119 §9.3 a/b). UTF-8 byte order is code point order. */
static int compare_padded(const char *a, size_t na, const char *b, size_t nb)
{
        size_t n = MIN(na, nb);
        int r = memcmp(a, b, n);

        if (r != 0)
                return r;
        for (size_t i = n; i < MAX(na, nb); i++) {
                unsigned char c = (unsigned char) (i < na ? a[i] : b[i]);
                if (c != ' ')
                        return (c < ' ') == (i < na) ? -1 : 1;
        }
        return 0;
}

static int compare_name_ext(const char *a, const char *adot, const char *b, const char *bdot)
{
        size_t na = adot ? (size_t) (adot - a) : strlen(a), nb = bdot ? (size_t) (bdot - b) : strlen(b);
        int r = compare_padded(a, na, b, nb);

        if (r != 0)
                return r;
        r = compare_padded(adot ? adot + 1 : "", adot ? strlen(adot + 1) : 0, bdot ? bdot + 1 : "",
                           bdot ? strlen(bdot + 1) : 0);
        return r != 0 ? r : strcmp(a, b);
}

int iso_id_compare(const char *a, const char *b)
{
        return compare_name_ext(a, strchr(a, '.'), b, strchr(b, '.'));
}

int joliet_id_compare(const char *a, bool a_file, const char *b, bool b_file)
{
        return compare_name_ext(a, a_file ? strrchr(a, '.') : NULL, b, b_file ? strrchr(b, '.') : NULL);
}

/* natural with "~n" before its extension, shortened to fit max_units. */
static char *name_with_suffix(const NameSlot *s, unsigned n)
{
        char suffix[16];
        const char *dot = strrchr(s->natural, '.');
        size_t units_suffix = (size_t) snprintf(suffix, sizeof(suffix), "~%u", n);
        size_t units_ext = dot && dot != s->natural ? (s->utf8 ? (size_t) g_utf8_strlen(dot, -1) : strlen(dot))
                                                    : 0;
        size_t units_base, keep;

        if (units_ext + units_suffix >= s->max_units)
                units_ext = 0, dot = NULL;
        units_base = dot ? (size_t) (s->utf8 ? g_utf8_pointer_to_offset(s->natural, dot) : dot - s->natural)
                         : (s->utf8 ? (size_t) g_utf8_strlen(s->natural, -1) : strlen(s->natural));
        keep = MIN(units_base, s->max_units - units_ext - units_suffix);
        if (s->utf8) {
                g_autofree char *base = g_utf8_substring(s->natural, 0, (glong) keep);
                return g_strconcat(base, suffix, dot ? dot : "", NULL);
        }
        return g_strdup_printf("%.*s%s%s", (int) keep, s->natural, suffix, dot ? dot : "");
}

static int slot_compare(const void *x, const void *y)
{
        const NameSlot *a = *(NameSlot *const *) x, *b = *(NameSlot *const *) y;
        int r = strcmp(a->natural, b->natural);

        if (r != 0)
                return r;
        if (a->fixed != b->fixed)
                return a->fixed ? -1 : 1;
        return strcmp(a->tiebreak, b->tiebreak);
}

/* Gives every slot a unique name. Natural names are reserved first; in a group of equal natural names the
 * first (fixed ones, then by tiebreak) keeps it and the others get the lowest free "~N": the result
 * depends on the set of slots only, never on the order in which they were staged. */
void names_make_unique(NameSlot *slots, size_t n)
{
        g_autoptr(GHashTable) taken = g_hash_table_new(g_str_hash, g_str_equal);
        g_autoptr(GHashTable) made = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        g_autofree NameSlot **order = NULL;

        if (n == 0)
                return;
        order = g_new(NameSlot *, n);
        for (size_t i = 0; i < n; i++) {
                order[i] = &slots[i];
                slots[i].result = NULL;
                g_hash_table_add(taken, (char *) slots[i].natural);
        }
        qsort(order, n, sizeof(NameSlot *), slot_compare);

        for (size_t i = 1; i < n; i++) {
                NameSlot *s = order[i];
                if (!streq(s->natural, order[i - 1]->natural))
                        continue;
                for (unsigned k = 1;; k++) {
                        g_autofree char *c = name_with_suffix(s, k);
                        if (g_hash_table_contains(taken, c) || g_hash_table_contains(made, c))
                                continue;
                        s->result = g_strdup(c);
                        g_hash_table_add(made, g_steal_pointer(&c));
                        break;
                }
        }
}
