/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* imapictl recorders and info: what recorders there are, and everything about one and its disc. */
#include <stdio.h>
#include <string.h>

#include "imapictl.h"

#define MEDIA_FLAG_BLANK      1u
#define MEDIA_FLAG_REWRITABLE 2u
#define MEDIA_FLAG_WRITABLE   4u
#define MEDIA_FLAG_UNUSABLE   8u

static int compare_strings(gconstpointer a, gconstpointer b)
{
        return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* Every cached property of a proxy, sorted by name, as JSON members. */
static void json_proxy_properties(Json *j, GDBusProxy *proxy)
{
        g_auto(GStrv) names = g_dbus_proxy_get_cached_property_names(proxy);

        if (!names)
                return;
        qsort(names, g_strv_length(names), sizeof(char *), compare_strings);
        for (char **n = names; *n; n++) {
                g_autoptr(GVariant) v = g_dbus_proxy_get_cached_property(proxy, *n);

                json_key(j, *n);
                json_variant(j, v);
        }
}

/* A recorder as JSON: "Path", its Recorder properties, and "VirtualRecorder" for virtual ones. */
static void json_recorder(Json *j, ImapiObject *o)
{
        g_autoptr(ImapiVirtualRecorder) v = imapi_object_get_virtual_recorder(o);

        json_begin_object(j);
        json_kv_string(j, "Path", g_dbus_object_get_object_path(G_DBUS_OBJECT(o)));
        json_proxy_properties(j, G_DBUS_PROXY(imapi_object_peek_recorder(o)));
        if (v) {
                json_key(j, "VirtualRecorder");
                json_begin_object(j);
                json_proxy_properties(j, G_DBUS_PROXY(v));
                json_end_object(j);
        }
        json_end_object(j);
}

static const char *medium_state(guint flags)
{
        if (flags & MEDIA_FLAG_UNUSABLE)
                return "unusable";
        if (flags & MEDIA_FLAG_BLANK)
                return "blank";
        if (flags & MEDIA_FLAG_WRITABLE)
                return "appendable";
        return "closed";
}

static char *medium_summary(ImapiRecorder *r)
{
        g_autofree char *free_size = NULL;
        guint flags = imapi_recorder_get_media_flags(r);

        if (!imapi_recorder_get_media_present(r))
                return g_strdup("no disc");
        free_size = ctl_format_size((guint64) imapi_recorder_get_free_blocks(r) * 2048);
        if (!(flags & MEDIA_FLAG_WRITABLE))
                return g_strdup_printf("%s, %s", imapi_recorder_get_media_profile(r), medium_state(flags));
        return g_strdup_printf("%s, %s, %s free", imapi_recorder_get_media_profile(r), medium_state(flags),
                               free_size);
}

static char *state_summary(ImapiRecorder *r)
{
        const char *owner = imapi_recorder_get_owner(r);

        if (owner && owner[0])
                return g_strdup_printf("%s by %s", imapi_recorder_get_state(r), owner);
        return g_strdup(imapi_recorder_get_state(r));
}

static const char *device_summary(ImapiRecorder *r)
{
        const char *d = imapi_recorder_get_device(r);

        return d && d[0] ? d : imapi_recorder_get_virtual(r) ? "virtual" : "-";
}

int verb_recorders(Ctl *c, int argc, char **argv)
{
        GList *recorders;
        int r;

        if ((r = ctl_parse_options(c, &argc, &argv, "",
                                   "List the recorders, real and virtual, and their discs.", NULL, 0, 0)) >=
            0)
                return r;
        if ((r = ctl_connect(c)) >= 0)
                return r;
        recorders = imapi_client_get_recorders(c->client);
        if (c->json) {
                json_begin_array(c->out);
                for (GList *l = recorders; l; l = l->next)
                        json_recorder(c->out, l->data);
                json_end_array(c->out);
                json_print(c->out);
        } else if (!c->quiet) {
                printf("%-24s %-12s %-20s %s\n", "ID", "DEVICE", "STATE", "MEDIUM");
                for (GList *l = recorders; l; l = l->next) {
                        ImapiRecorder *rec = imapi_object_peek_recorder(l->data);
                        g_autofree char *state = state_summary(rec), *medium = medium_summary(rec);

                        printf("%-24s %-12s %-20s %s\n", imapi_recorder_get_id(rec), device_summary(rec),
                               state, medium);
                }
        }
        g_list_free_full(recorders, g_object_unref);
        return CTL_EXIT_OK;
}

static void print_field(const char *label, const char *value)
{
        printf("  %-22s %s\n", label, value && value[0] ? value : "-");
}

static void print_field_uint(const char *label, guint64 value)
{
        g_autofree char *s = g_strdup_printf("%" G_GUINT64_FORMAT, value);

        print_field(label, s);
}

static char *speeds_summary(ImapiRecorder *r)
{
        GVariant *speeds = imapi_recorder_get_write_speeds(r);
        GString *s = g_string_new(NULL);
        GVariantIter iter;
        guint32 x;

        if (speeds) {
                g_variant_iter_init(&iter, speeds);
                while (g_variant_iter_next(&iter, "u", &x))
                        g_string_append_printf(s, "%s%ux", s->len ? " " : "", x);
        }
        if (imapi_recorder_get_max_write_speed(r) > 0)
                g_string_append_printf(s, "%s(max %ux)", s->len ? " " : "",
                                       imapi_recorder_get_max_write_speed(r));
        return g_string_free(s, FALSE);
}

static char *blocks_summary(guint blocks)
{
        g_autofree char *size = ctl_format_size((guint64) blocks * 2048);

        return g_strdup_printf("%u blocks (%s)", blocks, size);
}

static void print_medium(ImapiRecorder *r)
{
        g_autofree char *medium = medium_summary(r),
                        *free_blocks = blocks_summary(imapi_recorder_get_free_blocks(r));
        g_autofree char *total = blocks_summary(imapi_recorder_get_total_blocks(r));
        g_autofree char *media_state = g_strdup_printf("0x%x", imapi_recorder_get_media_state(r));

        print_field("Medium:", medium);
        if (!imapi_recorder_get_media_present(r))
                return;
        print_field("Medium flags:",
                    imapi_recorder_get_media_flags(r) & MEDIA_FLAG_REWRITABLE ? "rewritable" : "write-once");
        print_field("Media state:", media_state);
        print_field_uint("Sessions:", imapi_recorder_get_sessions(r));
        print_field_uint("Last track:", imapi_recorder_get_last_track(r));
        print_field_uint("Start address:", imapi_recorder_get_start_address(r));
        print_field_uint("Next writable:", imapi_recorder_get_next_writable(r));
        print_field("Free:", free_blocks);
        print_field("Capacity:", total);
}

static void print_recorder(ImapiObject *o)
{
        ImapiRecorder *r = imapi_object_peek_recorder(o);
        g_autoptr(ImapiVirtualRecorder) v = imapi_object_get_virtual_recorder(o);
        g_autofree char *profiles = NULL, *state = state_summary(r), *speeds = speeds_summary(r);
        const char *const *p = imapi_recorder_get_profiles(r);

        profiles = p ? g_strjoinv(" ", (char **) p) : NULL;
        printf("%s\n", imapi_recorder_get_id(r));
        print_field("Object path:", g_dbus_object_get_object_path(G_DBUS_OBJECT(o)));
        print_field("Vendor:", imapi_recorder_get_vendor(r));
        print_field("Product:", imapi_recorder_get_product(r));
        print_field("Revision:", imapi_recorder_get_revision(r));
        print_field("Device:", device_summary(r));
        print_field("Writes:", profiles);
        print_field("State:", state);
        print_field("Write speeds:", speeds);
        print_field("Underrun protection:",
                    imapi_recorder_get_buffer_underrun_free_capable(r) ? "yes" : "no");
        if (v) {
                g_autofree char *speed =
                        imapi_virtual_recorder_get_speed(v)
                                ? g_strdup_printf("%ux", imapi_virtual_recorder_get_speed(v))
                                : g_strdup("unthrottled");

                print_field("Virtual speed:", speed);
        }
        print_medium(r);
}

int verb_info(Ctl *c, int argc, char **argv)
{
        g_autoptr(ImapiObject) o = NULL;
        int r, code = CTL_EXIT_OK;

        if ((r = ctl_parse_options(c, &argc, &argv, "RECORDER",
                                   "Show a recorder's identity, state, speeds and its disc.", NULL, 1, 1)) >=
            0)
                return r;
        if ((r = ctl_connect(c)) >= 0)
                return r;
        o = ctl_find_recorder(c, argv[1], &code);
        if (!o)
                return code;
        if (c->json) {
                json_recorder(c->out, o);
                json_print(c->out);
        } else if (!c->quiet)
                print_recorder(o);
        return CTL_EXIT_OK;
}
