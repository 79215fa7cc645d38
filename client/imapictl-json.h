/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A small JSON writer for imapictl --json: objects, arrays, scalars and any GVariant. */
#pragma once

#include <glib.h>

typedef struct Json Json;

Json *json_new(void);
void json_free(Json *j);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Json, json_free)

void json_begin_object(Json *j);
void json_end_object(Json *j);
void json_begin_array(Json *j);
void json_end_array(Json *j);
void json_key(Json *j, const char *key);
void json_string(Json *j, const char *s);
void json_int(Json *j, gint64 v);
void json_uint(Json *j, guint64 v);
void json_double(Json *j, double v);
void json_bool(Json *j, gboolean v);
void json_null(Json *j);
void json_variant(Json *j, GVariant *v);

/* Shorthands for a key and its value. */
void json_kv_string(Json *j, const char *key, const char *s);
void json_kv_uint(Json *j, const char *key, guint64 v);
void json_kv_bool(Json *j, const char *key, gboolean v);

/* Prints what was written as one line on stdout and starts over. */
void json_print(Json *j);
const char *json_get(Json *j);
