/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The fixture of libimapi's tests on the real imapid: a dev bus per test (tools/dev-bus, stopped even when
 * the test dies), the method calls the client sent (a filter on its connection), and reading back what a
 * virtual recorder burned (OpenImage; data discs extracted by xorriso). */
#pragma once

#include <imapi.h>

#define RECORDER_PREFIX   "/org/freedesktop/IMAPI1/Recorder/"
#define VIRTUAL0          RECORDER_PREFIX "virtual_5fvirtual0"
#define IFACE_DISC_MASTER "org.freedesktop.IMAPI1.DiscMaster"

/* How a test's bus starts: virtual0's disc and speed, and extra imapid.conf lines. */
typedef struct BusOptions {
        const char *medium;
        guint speed;
        const char *config;
} BusOptions;

/* A method call the client sent to imapid. */
typedef struct Call {
        char *member;
        GDBusMessageFlags flags;
        GVariant *body;
} Call;

typedef struct Fixture {
        char *dir; /* the bus's directory; the test's own files are in tmp below it */
        char *tmp;
        GDBusConnection *connection;
        ImapiClient *client;
        GMutex lock; /* guards calls: the filter runs in GDBus's worker thread */
        GPtrArray *calls;
        guint filter_id;
} Fixture;

extern const BusOptions default_bus;

/* Runs a program of ours or a tool, in 'cwd' when given; fails the test unless it exits with 0. */
void run_checked(const char *const *argv, const char *cwd);
void fixture_setup(Fixture *f, gconstpointer data);
void fixture_teardown(Fixture *f, gconstpointer data);
guint calls_count(Fixture *f, const char *member);
/* The nth (0-based; -1: the last) call of 'member'; its body and flags stay valid until teardown. */
const Call *calls_get(Fixture *f, const char *member, int nth);
/* Entries in the nth AddData call. */
gsize add_data_entries(Fixture *f, int nth);
char *tmp_path(Fixture *f, const char *name);
void write_file(const char *path, gsize size);
char *lines_join(GPtrArray *lines);
/* Appends "path type size" of everything below 'dir' (type d, f or l; size 0 but for files). */
void list_tree(const char *dir, const char *prefix, GPtrArray *lines);
ImapiObject *lookup(Fixture *f, const char *spec);
/* A property of an object as imapid has it now (not from a proxy's cache). */
GVariant *property_get(Fixture *f, const char *path, const char *iface, const char *property);
GVariant *recorder_get(Fixture *f, const char *path, const char *property);
char *disc_master_get_string(Fixture *f, ImapiDiscMaster *dm, const char *iface, const char *property);
guint media_flags(Fixture *f, const char *path);
/* Copies what the virtual recorder at 'path' holds to tmp/NAME; returns its path and the cue sheet. */
char *read_disc(Fixture *f, const char *path, const char *name, char **ret_cue);
void close_disc_master(ImapiDiscMaster *dm);
/* Burns what 'dm' staged to virtual0, closes it, and lists the disc as xorriso extracts it. */
char *burn_and_list(Fixture *f, ImapiDiscMaster *dm);
ImapiDiscMaster *open_format(Fixture *f, const char *format, const char *recorder);
ImapiDiscMaster *open_joliet(Fixture *f);
