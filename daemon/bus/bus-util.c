/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* a{sv} options with typed, checked values; PropertiesChanged helpers. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>

#include "bus-errors.h"
#include "bus-util.h"

void bus_emit_changed_va(sd_bus *bus, const char *path, const char *iface, const char *first, va_list ap)
{
        g_autoptr(GPtrArray) names = g_ptr_array_new();

        for (const char *n = first; n; n = va_arg(ap, const char *))
                g_ptr_array_add(names, (gpointer) n);
        g_ptr_array_add(names, NULL);
        (void) sd_bus_emit_properties_changed_strv(bus, path, iface, (char **) names->pdata);
}

static int read_integer(sd_bus_message *m, const char *contents, int64_t *ret)
{
        union {
                uint8_t y;
                int16_t n;
                uint16_t q;
                int32_t i;
                uint32_t u;
                int64_t x;
                uint64_t t;
        } v;
        int r;

        if (!contents[0] || contents[1])
                return -EINVAL;
        r = sd_bus_message_read_basic(m, contents[0], &v);
        if (r < 0)
                return r;
        switch (contents[0]) {
        case 'y':
                *ret = v.y;
                break;
        case 'n':
                *ret = v.n;
                break;
        case 'q':
                *ret = v.q;
                break;
        case 'i':
                *ret = v.i;
                break;
        case 'u':
                *ret = v.u;
                break;
        case 'x':
                *ret = v.x;
                break;
        case 't':
                if (v.t > INT64_MAX)
                        return -ERANGE;
                *ret = (int64_t) v.t;
                break;
        default:
                return -EINVAL;
        }
        return 0;
}

static int read_option_value(sd_bus_message *m, const BusOption *o, const char *contents)
{
        int64_t i;
        int r, b, fd;
        const char *s;
        char **strv = NULL;

        switch (o->type) {
        case BUS_OPTION_BOOLEAN:
                if (!g_str_equal(contents, "b"))
                        return -EINVAL;
                r = sd_bus_message_read_basic(m, 'b', &b);
                if (r >= 0)
                        *(bool *) o->ret = b;
                return r;
        case BUS_OPTION_UINT32:
                r = read_integer(m, contents, &i);
                if (r < 0 || i < 0 || i > UINT32_MAX)
                        return r < 0 ? r : -ERANGE;
                *(uint32_t *) o->ret = (uint32_t) i;
                return 0;
        case BUS_OPTION_INT32:
                r = read_integer(m, contents, &i);
                if (r < 0 || i < INT32_MIN || i > INT32_MAX)
                        return r < 0 ? r : -ERANGE;
                *(int32_t *) o->ret = (int32_t) i;
                return 0;
        case BUS_OPTION_STRING:
                if (!g_str_equal(contents, "s"))
                        return -EINVAL;
                r = sd_bus_message_read_basic(m, 's', &s);
                if (r >= 0) {
                        g_free(*(char **) o->ret);
                        *(char **) o->ret = g_strdup(s);
                }
                return r;
        case BUS_OPTION_STRV:
                if (!g_str_equal(contents, "as"))
                        return -EINVAL;
                r = sd_bus_message_read_strv(m, &strv);
                if (r >= 0) {
                        g_strfreev(*(char ***) o->ret);
                        *(char ***) o->ret = strv;
                }
                return r;
        case BUS_OPTION_FD:
                if (!g_str_equal(contents, "h"))
                        return -EINVAL;
                r = sd_bus_message_read_basic(m, 'h', &fd);
                if (r < 0)
                        return r;
                fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
                if (fd < 0)
                        return -errno;
                if (*(int *) o->ret >= 0)
                        safe_close(*(int *) o->ret);
                *(int *) o->ret = fd;
                return 0;
        }
        return -EINVAL;
}

static const BusOption *find_option(const BusOption *options, size_t n, const char *name)
{
        for (size_t i = 0; i < n; i++)
                if (g_str_equal(options[i].name, name))
                        return &options[i];
        return NULL;
}

int bus_read_options(sd_bus_message *m, const BusOption *options, size_t n_options, bool unknown_ok,
                     char ***ret_unknown, sd_bus_error *error)
{
        g_autoptr(GPtrArray) unknown = g_ptr_array_new_with_free_func(g_free);
        const char *key, *contents;
        int r;

        r = sd_bus_message_enter_container(m, 'a', "{sv}");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                const BusOption *o;

                r = sd_bus_message_read_basic(m, 's', &key);
                if (r < 0)
                        return r;
                r = sd_bus_message_peek_type(m, NULL, &contents);
                if (r < 0)
                        return r;
                o = find_option(options, n_options, key);
                if (!o) {
                        if (!unknown_ok)
                                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
                                                         "Unknown option '%s'", key);
                        g_ptr_array_add(unknown, g_strdup(key));
                        r = sd_bus_message_skip(m, "v");
                } else {
                        r = sd_bus_message_enter_container(m, 'v', contents);
                        if (r >= 0)
                                r = read_option_value(m, o, contents);
                        if (r == -EINVAL || r == -ERANGE || r == -ENXIO)
                                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
                                                         "Option '%s' has a wrong type or value (got '%s')",
                                                         key, contents);
                        if (r >= 0)
                                r = sd_bus_message_exit_container(m);
                        if (r >= 0 && o->ret_present)
                                *o->ret_present = true;
                }
                if (r < 0)
                        return r;
                r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        r = sd_bus_message_exit_container(m);
        if (r < 0)
                return r;
        if (ret_unknown) {
                g_ptr_array_add(unknown, NULL);
                *ret_unknown = (char **) g_ptr_array_free(g_steal_pointer(&unknown), false);
        }
        return 0;
}

int bus_append_dict_entry(sd_bus_message *m, const char *key, const char *signature, ...)
{
        va_list ap;
        int r;

        r = sd_bus_message_open_container(m, 'e', "sv");
        if (r >= 0)
                r = sd_bus_message_append_basic(m, 's', key);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'v', signature);
        if (r >= 0) {
                va_start(ap, signature);
                r = sd_bus_message_appendv(m, signature, ap);
                va_end(ap);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        return r;
}

int bus_message_sender_uid(sd_bus_message *m, uid_t *ret)
{
        g_autoptr(sd_bus_creds) creds = NULL;
        int r;

        r = sd_bus_query_sender_creds(m, SD_BUS_CREDS_EUID, &creds);
        if (r < 0)
                return r;
        return sd_bus_creds_get_euid(creds, ret);
}

int bus_reply_strv(sd_bus_message *m, char **strv)
{
        g_autoptr(sd_bus_message) reply = NULL;
        int r;

        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_append_strv(reply, strv ?: (char *[]){NULL});
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}
