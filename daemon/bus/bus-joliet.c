/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* org.freedesktop.IMAPI1.JolietDiscMaster: AddData (atomic, fds the client opened, StageFiles copies in a
 * worker), the exact block counts, and the IMAPI v1 Joliet properties plus ours. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bus-disc-master.h"
#include "bus-errors.h"
#include "bus-joliet.h"
#include "bus-util.h"
#include "imapi-error.h"
#include "log.h"
#include "master-tree.h"
#include "recorder.h"
#include "stash.h"
#include "worker.h"

#define PROGRESS_INTERVAL_USEC                                                                              \
        (110 * 1000) /* ≤ 10 progress signals a second (DESIGN.md §4), with room for jitter */
#define PROGRESS_ACCURACY_USEC (10 * 1000) /* sd-event would otherwise coalesce to 250 ms */

typedef struct StagedEntry {
        char *path;
        int fd;
        MasterEntryType type;
        struct stat st;
        char *symlink_target;
        Content content;
} StagedEntry;

struct AddDataCall {
        DiscMaster *dm; /* NULL once the disc master closed while the worker copied */
        Manager *manager;
        sd_bus_message *message;
        StagedEntry *entries;
        size_t n_entries;
        MasterAddFlags flags;
        uint64_t reserved;
        uint64_t blob_start;
        Stash *stash;
        Worker *worker;
        gint completed;
        unsigned last_progress;
        sd_event_source *progress_timer;
        char *error_message;
};

static void staged_entry_done(StagedEntry *e)
{
        g_free(e->path);
        safe_close(e->fd);
        g_free(e->symlink_target);
        content_done(&e->content);
}

static void add_data_call_free(AddDataCall *c)
{
        if (!c)
                return;
        for (size_t i = 0; i < c->n_entries; i++)
                staged_entry_done(&c->entries[i]);
        g_free(c->entries);
        sd_event_source_disable_unref(c->progress_timer);
        sd_bus_message_unref(c->message);
        g_free(c->error_message);
        g_free(c);
}

static MasterBoot boot_settings(DiscMaster *dm)
{
        return (MasterBoot){
                .platform = dm->boot_platform,
                .emulation = dm->boot_emulation,
                .manufacturer = dm->boot_manufacturer,
                .image = &dm->boot_image,
        };
}

/* A new tree gets the disc master's properties; they were validated when they were set. */
static void apply_settings(DiscMaster *dm, MasterTree *tree)
{
        MasterBoot boot = boot_settings(dm);

        if (dm->file_systems)
                (void) master_tree_set_file_systems(tree, dm->file_systems, NULL);
        if (dm->volume_name)
                (void) master_tree_set_volume_name(tree, dm->volume_name, NULL);
        if (dm->boot_place && dm->boot_image.fd)
                (void) master_tree_set_boot(tree, &boot, NULL);
}

MasterTree *bus_joliet_tree(DiscMaster *dm)
{
        const Config *cfg = &dm->manager->config;
        MasterLimits limits = MASTER_LIMITS_DEFAULT;

        if (!dm->tree) {
                limits.max_path_bytes = cfg->max_path_bytes;
                limits.max_name_bytes = cfg->max_name_bytes;
                limits.max_symlink_bytes = cfg->max_path_bytes;
                limits.max_entries = cfg->max_entries_per_image;
                dm->tree = master_tree_new(&limits);
                apply_settings(dm, dm->tree);
        }
        return dm->tree;
}

uint64_t bus_joliet_total_blocks(DiscMaster *dm)
{
        if (dm->free_media_blocks > 0)
                return dm->free_media_blocks;
        if (dm->recorder && dm->recorder->media.present)
                return dm->recorder->media.free_blocks;
        return 0;
}

void bus_joliet_emit_sizes(DiscMaster *dm)
{
        if (!dm->burn)
                dm->used_blocks = master_tree_used_blocks(bus_joliet_tree(dm));
        (void) sd_bus_emit_properties_changed(dm->manager->bus, dm->object_path,
                                              IMAPI_JOLIET_DISC_MASTER_INTERFACE, "UsedDataBlocks",
                                              "TotalDataBlocks", NULL);
}

bool bus_joliet_has_content(DiscMaster *dm)
{
        return dm->tree && master_tree_n_entries(dm->tree) > 0;
}

void bus_joliet_clear(DiscMaster *dm)
{
        bus_joliet_cancel(dm);
        dm->tree = master_tree_free(dm->tree);
        /* The properties (volume name, boot image, file systems...) are settings, not content: re-applied
         * to the next tree in bus_joliet_apply_settings(). */
}

void bus_joliet_cancel(DiscMaster *dm)
{
        AddDataCall *c = dm->add_data_call;

        dm->add_progress_timer = sd_event_source_disable_unref(dm->add_progress_timer);
        if (!c)
                return;
        worker_cancel(c->worker);
        c->dm = NULL; /* the worker's end finds the disc master gone and only cleans up */
        dm->add_data_call = NULL;
}

/* Properties. */

static int property_get_total_blocks(sd_bus *bus, const char *path, const char *iface, const char *prop,
                                     sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        uint32_t v = (uint32_t) MIN(bus_joliet_total_blocks(userdata), UINT32_MAX);
        return sd_bus_message_append_basic(reply, 'u', &v);
}

static int property_get_used_blocks(sd_bus *bus, const char *path, const char *iface, const char *prop,
                                    sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        DiscMaster *dm = userdata;
        uint32_t v;

        if (!dm->burn)
                dm->used_blocks = master_tree_used_blocks(bus_joliet_tree(dm));
        v = (uint32_t) MIN(dm->used_blocks, UINT32_MAX);
        return sd_bus_message_append_basic(reply, 'u', &v);
}

static int property_get_block_size(sd_bus *bus, const char *path, const char *iface, const char *prop,
                                   sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        return sd_bus_message_append(reply, "u", (uint32_t) MASTER_BLOCK_SIZE);
}

/* AddData: reading and classifying the entries. */

static int read_entries(sd_bus_message *msg, size_t max, StagedEntry **ret, size_t *ret_n,
                        sd_bus_error *error)
{
        g_autoptr(GArray) list = g_array_new(false, true, sizeof(StagedEntry));
        const char *path;
        int fd, k;

        g_array_set_clear_func(list, (GDestroyNotify) staged_entry_done);
        k = sd_bus_message_enter_container(msg, 'a', "(sh)");
        if (k < 0)
                return k;
        while ((k = sd_bus_message_read(msg, "(sh)", &path, &fd)) > 0) {
                StagedEntry e = {.fd = -1};

                if (list->len >= max)
                        return bus_error_setf(
                                error, -IMAPI_ERROR_LIMITS_EXCEEDED,
                                "AddData takes at most %zu entries per call (EntriesPerAddData)", max);
                e.path = g_strdup(path);
                e.fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
                g_array_append_val(list, e);
                if (e.fd < 0 && (errno == EMFILE || errno == ENFILE))
                        return bus_error_setf(error, -IMAPI_ERROR_LIMITS_EXCEEDED,
                                              "imapid holds as many staged files as the system allows open; "
                                              "set StageFiles to copy them into the stash instead");
                if (e.fd < 0)
                        return -errno;
        }
        if (k < 0)
                return k;
        k = sd_bus_message_exit_container(msg);
        if (k < 0)
                return k;
        *ret_n = list->len;
        g_array_set_clear_func(list, NULL);
        *ret = (StagedEntry *) g_array_free(g_steal_pointer(&list), false);
        return 0;
}

static int classify_entry(StagedEntry *e, size_t max_symlink, sd_bus_error *error)
{
        char target[PATH_MAX + 1];
        ssize_t n;
        int flags;

        if (fstat(e->fd, &e->st) < 0)
                return bus_error_setf(error, -EINVAL, "Cannot stat the file descriptor for '%s': %s",
                                      e->path, g_strerror(errno));
        if (S_ISDIR(e->st.st_mode)) {
                e->type = MASTER_ENTRY_DIRECTORY;
                return 0;
        }
        if (S_ISLNK(e->st.st_mode)) {
                /* An O_PATH|O_NOFOLLOW fd on the link itself: read its target, never follow it. */
                n = readlinkat(e->fd, "", target, MIN(sizeof(target) - 1, max_symlink + 1));
                if (n < 0)
                        return bus_error_setf(error, -EINVAL, "Cannot read the symlink '%s': %s", e->path,
                                              g_strerror(errno));
                if ((size_t) n > max_symlink)
                        return bus_error_setf(error, -IMAPI_ERROR_LIMITS_EXCEEDED,
                                              "The target of symlink '%s' is longer than %zu bytes", e->path,
                                              max_symlink);
                e->type = MASTER_ENTRY_SYMLINK;
                e->symlink_target = g_strndup(target, (size_t) n);
                return 0;
        }
        if (!S_ISREG(e->st.st_mode))
                return bus_error_setf(
                        error, -EINVAL,
                        "'%s' is not a regular file, directory or symlink (a pipe, socket or device "
                        "cannot be staged)",
                        e->path);
        flags = fcntl(e->fd, F_GETFL);
        if (flags < 0 || (flags & O_PATH) || (flags & O_ACCMODE) == O_WRONLY)
                return bus_error_setf(error, -EINVAL, "The file descriptor for '%s' is not open for reading",
                                      e->path);
        e->type = MASTER_ENTRY_FILE;
        e->content = (Content){
                .size = (uint64_t) e->st.st_size,
                .mtime = e->st.st_mtim,
                .verify = true,
        };
        if (e->content.size > 0) {
                e->content.fd = content_fd_new(e->fd);
                e->fd = -1; /* the Content holds it now */
        }
        return 0;
}

static MasterEntry staged_entry_to_master(const StagedEntry *e)
{
        return (MasterEntry){
                .type = e->type,
                .attr =
                        {
                                .mode = e->st.st_mode & 07777,
                                .uid = e->st.st_uid,
                                .gid = e->st.st_gid,
                                .atime = e->st.st_atim,
                                .mtime = e->st.st_mtim,
                                .ctime = e->st.st_ctim,
                        },
                .content = e->type == MASTER_ENTRY_FILE ? &e->content : NULL,
                .symlink_target = e->symlink_target,
        };
}

/* Adds every entry in one transaction and checks the result fits; commits or rolls back. */
static int stage_entries(DiscMaster *dm, StagedEntry *entries, size_t n, MasterAddFlags flags, bool commit,
                         char **reterr_message)
{
        MasterTree *tree = bus_joliet_tree(dm);
        uint64_t used, total = bus_joliet_total_blocks(dm);
        int k;

        k = master_tree_begin(tree);
        if (k < 0)
                return k;
        for (size_t i = 0; i < n; i++) {
                MasterEntry me = staged_entry_to_master(&entries[i]);
                k = master_tree_add(tree, entries[i].path, &me, flags, reterr_message);
                if (k < 0) {
                        master_tree_rollback(tree);
                        return k;
                }
        }
        used = master_tree_used_blocks(tree);
        if (used > total) {
                master_tree_rollback(tree);
                return error_set_message(reterr_message, IMAPI_ERROR_DISC_FULL,
                                         "The image would take %" G_GUINT64_FORMAT
                                         " blocks; %" G_GUINT64_FORMAT " are available",
                                         used, total);
        }
        if (commit)
                master_tree_commit(tree);
        else
                master_tree_rollback(tree);
        return 0;
}

/* AddProgress, at most one per PROGRESS_INTERVAL_USEC whatever the pace of the calls (DESIGN.md §4): one
 * that comes sooner is held back, replaced by any later one, and sent when the interval is over, so the last
 * value always goes out. An AddData of a few entries in place used to send one per call: 1,700 a second with
 * batches of 16 (bench/RESULTS.md). */
static void send_add_progress(DiscMaster *dm, uint64_t now)
{
        dm->add_progress_usec = now;
        (void) sd_bus_emit_signal(dm->manager->bus, dm->object_path, IMAPI_DISC_MASTER_INTERFACE,
                                  "AddProgress", "uu", dm->add_progress_done, dm->add_progress_total);
}

static int on_add_progress_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
        send_add_progress(userdata, usec);
        return 0;
}

static void emit_add_progress(DiscMaster *dm, unsigned completed, unsigned total)
{
        uint64_t now = 0;
        int k;

        dm->add_progress_done = completed;
        dm->add_progress_total = total;
        if (dm->add_progress_timer && sd_event_source_get_enabled(dm->add_progress_timer, NULL) > 0)
                return; /* already due: it sends these values */
        (void) sd_event_now(dm->manager->event, CLOCK_MONOTONIC, &now);
        if (dm->add_progress_usec == 0 || now >= dm->add_progress_usec + PROGRESS_INTERVAL_USEC) {
                send_add_progress(dm, now);
                return;
        }
        if (dm->add_progress_timer)
                k = sd_event_source_set_time(dm->add_progress_timer,
                                             dm->add_progress_usec + PROGRESS_INTERVAL_USEC);
        else
                k = sd_event_add_time(dm->manager->event, &dm->add_progress_timer, CLOCK_MONOTONIC,
                                      dm->add_progress_usec + PROGRESS_INTERVAL_USEC, PROGRESS_ACCURACY_USEC,
                                      on_add_progress_timer, dm);
        if (k >= 0)
                k = sd_event_source_set_enabled(dm->add_progress_timer, SD_EVENT_ONESHOT);
        if (k < 0)
                send_add_progress(dm, now); /* better early than never */
}

/* StageFiles: the worker copies each file's data into the stash blob. */

static int copy_worker_run(Worker *w, void *userdata)
{
        AddDataCall *c = userdata;

        for (size_t i = 0; i < c->n_entries; i++) {
                StagedEntry *e = &c->entries[i];
                Content copy = {};
                int k;

                if (worker_is_cancelled(w))
                        return -IMAPI_ERROR_USER_ABORT;
                if (e->type == MASTER_ENTRY_FILE && e->content.size > 0) {
                        k = content_check_unchanged(&e->content);
                        if (k >= 0)
                                k = stash_copy_in(c->stash, e->content.fd->fd, e->content.size, &copy);
                        if (k < 0) {
                                c->error_message = g_strdup_printf("Cannot copy '%s' into the stash: %s",
                                                                   e->path, error_to_string(k));
                                return k;
                        }
                        copy.mtime = e->content.mtime;
                        content_done(&e->content);
                        e->content = copy;
                }
                g_atomic_int_inc(&c->completed);
        }
        return 0;
}

static int on_copy_progress(sd_event_source *s, uint64_t usec, void *userdata)
{
        AddDataCall *c = userdata;
        unsigned completed = (unsigned) g_atomic_int_get(&c->completed);

        if (c->dm && completed != c->last_progress) {
                emit_add_progress(c->dm, completed, (unsigned) c->n_entries);
                c->last_progress = completed;
        }
        (void) sd_event_source_set_time_relative(s, PROGRESS_INTERVAL_USEC);
        (void) sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
        return 0;
}

static void undo_reservation(AddDataCall *c)
{
        (void) stash_blob_truncate(c->stash, c->blob_start);
        stash_unreserve(c->stash, c->reserved);
}

static void copy_worker_done(int result, void *userdata)
{
        AddDataCall *c = userdata;
        DiscMaster *dm = c->dm;
        g_autofree char *message = NULL;
        g_auto(sd_bus_error) error = SD_BUS_ERROR_NULL;
        int k = result;

        if (!dm) { /* closed meanwhile: the stash went with it */
                add_data_call_free(c);
                return;
        }
        dm->add_data_call = NULL;
        if (k >= 0)
                k = stage_entries(dm, c->entries, c->n_entries, c->flags, true, &message);
        if (k < 0) {
                undo_reservation(c);
                (void) bus_error_set(&error, k, message ?: c->error_message);
                (void) sd_bus_reply_method_error(c->message, &error);
        } else {
                emit_add_progress(dm, (unsigned) c->n_entries, (unsigned) c->n_entries);
                bus_joliet_emit_sizes(dm);
                log_debug("Disc master %u: staged and copied %zu entries", dm->id, c->n_entries);
                (void) sd_bus_reply_method_return(c->message, NULL);
        }
        add_data_call_free(c);
}

static uint64_t file_bytes(const StagedEntry *entries, size_t n)
{
        uint64_t sum = 0;

        for (size_t i = 0; i < n; i++)
                if (entries[i].type == MASTER_ENTRY_FILE)
                        sum += entries[i].content.size;
        return sum;
}

static int start_copy(DiscMaster *dm, AddDataCall *c, sd_bus_error *error)
{
        int k;

        c->blob_start = stash_blob_size(dm->stash);
        c->reserved = file_bytes(c->entries, c->n_entries);
        k = stash_reserve(dm->stash, c->reserved);
        if (k == -IMAPI_ERROR_LIMITS_EXCEEDED)
                return bus_error_setf(error, k,
                                      "Staging would exceed the user's stash quota (StashMiBPerUser)");
        if (k < 0)
                return bus_error_setf(error, k, "The stash has no room for %" G_GUINT64_FORMAT " more bytes",
                                      c->reserved);
        c->stash = dm->stash;
        k = sd_event_add_time_relative(dm->manager->event, &c->progress_timer, CLOCK_MONOTONIC,
                                       PROGRESS_INTERVAL_USEC, PROGRESS_ACCURACY_USEC, on_copy_progress, c);
        if (k >= 0)
                k = worker_start(dm->manager->event, "stage-files", copy_worker_run, copy_worker_done, c,
                                 &c->worker);
        if (k < 0) {
                stash_unreserve(dm->stash, c->reserved);
                return k;
        }
        dm->add_data_call = c;
        emit_add_progress(dm, 0, (unsigned) c->n_entries);
        return 1;
}

static int check_can_stage(DiscMaster *dm, sd_bus_message *msg, sd_bus_error *error)
{
        int k;

        if ((k = bus_disc_master_check_owner(dm, msg, error)) < 0 ||
            (k = bus_disc_master_check_format(dm, DISC_FORMAT_JOLIET, error)) < 0)
                return k;
        if (dm->add_data_call)
                return bus_error_setf(error, -IMAPI_ERROR_BUSY,
                                      "Another AddData call is still copying files");
        if (!dm->recorder && dm->free_media_blocks == 0)
                return bus_error_setf(
                        error, -IMAPI_ERROR_NO_ACTIVE_RECORDER,
                        "Choose a recorder with SetActiveRecorder(), or set FreeMediaBlocks, first");
        return 0;
}

static int method_add_data(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        DiscMaster *dm = userdata;
        const Config *cfg = &dm->manager->config;
        g_autofree char *message = NULL;
        bool overwrite = false, mangle = false;
        const BusOption options[] = {
                {"overwrite", BUS_OPTION_BOOLEAN, &overwrite},
                {"mangle-names", BUS_OPTION_BOOLEAN, &mangle},
        };
        AddDataCall *c = g_new0(AddDataCall, 1);
        int k;

        c->message = sd_bus_message_ref(msg);
        c->manager = dm->manager;
        k = read_entries(msg, cfg->max_entries_per_call, &c->entries, &c->n_entries, error);
        if (k >= 0)
                k = bus_read_options(msg, options, ELEMENTSOF(options), false, NULL, error);
        if (k >= 0)
                k = check_can_stage(dm, msg, error);
        for (size_t i = 0; k >= 0 && i < c->n_entries; i++)
                k = classify_entry(&c->entries[i], cfg->max_path_bytes, error);
        c->flags = (overwrite ? MASTER_ADD_OVERWRITE : 0) | (mangle ? MASTER_ADD_MANGLE_NAMES : 0);

        /* Staged in place (or tried, for StageFiles, so that bad names and DiscFull fail before copying). */
        if (k >= 0) {
                k = stage_entries(dm, c->entries, c->n_entries, c->flags, !dm->stage_files, &message);
                if (k < 0)
                        k = bus_error_set(error, k, message);
        }
        if (k >= 0 && dm->stage_files && file_bytes(c->entries, c->n_entries) > 0) {
                c->dm = dm;
                k = start_copy(dm, c, error);
                if (k > 0)
                        return 1; /* answered when the copy ends */
        } else if (k >= 0 && dm->stage_files)
                k = stage_entries(dm, c->entries, c->n_entries, c->flags, true, &message);
        if (k >= 0) {
                emit_add_progress(dm, (unsigned) c->n_entries, (unsigned) c->n_entries);
                bus_joliet_emit_sizes(dm);
                k = sd_bus_reply_method_return(msg, NULL);
        }
        add_data_call_free(c);
        return k;
}

/* Get/SetJolietProperties. */

static int append_file_systems(sd_bus_message *reply, unsigned mask)
{
        const char *names[4] = {"iso9660"};
        size_t n = 1;
        int k;

        if (mask & MASTER_FS_JOLIET)
                names[n++] = "joliet";
        if (mask & MASTER_FS_ROCKRIDGE)
                names[n++] = "rockridge";
        k = sd_bus_message_open_container(reply, 'e', "sv");
        if (k >= 0)
                k = sd_bus_message_append(reply, "s", "FileSystems");
        if (k >= 0)
                k = sd_bus_message_open_container(reply, 'v', "as");
        if (k >= 0)
                k = sd_bus_message_append_strv(reply, (char **) names);
        if (k >= 0)
                k = sd_bus_message_close_container(reply);
        if (k >= 0)
                k = sd_bus_message_close_container(reply);
        return k;
}

static int method_get_joliet_properties(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        DiscMaster *dm = userdata;
        MasterTree *tree = bus_joliet_tree(dm);
        g_autoptr(sd_bus_message) reply = NULL;
        unsigned mask = master_tree_get_file_systems(tree);
        int k;

        k = sd_bus_message_new_method_return(msg, &reply);
        if (k >= 0)
                k = sd_bus_message_open_container(reply, 'a', "{sv}");
        if (k >= 0)
                k = bus_append_dict_entry(reply, "VolumeName", "s", master_tree_get_volume_name(tree));
        if (k >= 0)
                k = bus_append_dict_entry(reply, "PlaceBootImageOnDisc", "b", dm->boot_place);
        if (k >= 0)
                k = bus_append_dict_entry(reply, "BootImageManufacturerIDString", "s",
                                          dm->boot_manufacturer ?: "");
        if (k >= 0)
                k = bus_append_dict_entry(reply, "BootImagePlatform", "y", dm->boot_platform);
        if (k >= 0)
                k = bus_append_dict_entry(reply, "BootImageEmulationType", "y", dm->boot_emulation);
        if (k >= 0)
                k = append_file_systems(reply, mask);
        if (k >= 0)
                k = bus_append_dict_entry(reply, "StageFiles", "b", dm->stage_files);
        if (k >= 0)
                k = bus_append_dict_entry(reply, "FreeMediaBlocks", "u", dm->free_media_blocks);
        if (k >= 0)
                k = sd_bus_message_close_container(reply);
        if (k < 0)
                return k;
        return sd_bus_send(NULL, reply, NULL);
}

static int parse_file_systems(char **names, unsigned *ret, sd_bus_error *error)
{
        unsigned mask = 0;

        for (char **n = names; n && *n; n++) {
                if (g_str_equal(*n, "iso9660"))
                        mask |= MASTER_FS_ISO9660;
                else if (g_str_equal(*n, "joliet"))
                        mask |= MASTER_FS_JOLIET;
                else if (g_str_equal(*n, "rockridge"))
                        mask |= MASTER_FS_ROCKRIDGE;
                else
                        return bus_error_setf(
                                error, -EINVAL,
                                "Unknown file system '%s'; FileSystems takes iso9660, joliet, rockridge",
                                *n);
        }
        if (!(mask & MASTER_FS_ISO9660))
                return bus_error_setf(error, -EINVAL, "FileSystems must include iso9660");
        *ret = mask;
        return 0;
}

typedef struct JolietSettings {
        char *volume_name;
        bool place;
        char *manufacturer;
        uint32_t platform;
        uint32_t emulation;
        int boot_fd;
        char **file_systems;
        bool stage_files;
        uint32_t free_media_blocks;
        bool has_volume_name, has_file_systems, has_boot_fd;
} JolietSettings;

static void joliet_settings_done(JolietSettings *s)
{
        g_free(s->volume_name);
        g_free(s->manufacturer);
        safe_close(s->boot_fd);
        g_strfreev(s->file_systems);
}

static int read_boot_image(int fd, Content *ret, sd_bus_error *error)
{
        struct stat st;
        int flags = fcntl(fd, F_GETFL);

        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || flags < 0 || (flags & O_PATH) ||
            (flags & O_ACCMODE) == O_WRONLY)
                return bus_error_setf(error, -EINVAL, "BootImage must be a regular file open for reading");
        *ret = (Content){.size = (uint64_t) st.st_size, .mtime = st.st_mtim, .verify = true};
        return 0;
}

/* Validates everything first, then changes the tree; a failure there restores what was. */
static int apply_joliet_settings(DiscMaster *dm, JolietSettings *s, sd_bus_error *error)
{
        MasterTree *tree = bus_joliet_tree(dm);
        unsigned old_mask = master_tree_get_file_systems(tree), mask = old_mask;
        g_autofree char *message = NULL, *old_name = g_strdup(master_tree_get_volume_name(tree));
        Content image = {};
        MasterBoot boot;
        int k;

        if (s->has_file_systems && (k = parse_file_systems(s->file_systems, &mask, error)) < 0)
                return k;
        if (s->platform > 0xFF || s->emulation > MASTER_BOOT_EMULATION_HARD_DISK)
                return bus_error_setf(error, -EINVAL,
                                      "BootImagePlatform/BootImageEmulationType out of range");
        if (s->manufacturer && strlen(s->manufacturer) > 24)
                return bus_error_setf(error, -EINVAL,
                                      "BootImageManufacturerIDString is longer than 24 bytes");
        if (s->has_boot_fd) {
                k = read_boot_image(s->boot_fd, &image, error);
                if (k < 0)
                        return k;
                image.fd = content_fd_new(s->boot_fd);
                s->boot_fd = -1;
        } else
                content_copy(&image, &dm->boot_image);
        if (s->place && !image.fd && image.size == 0) {
                content_done(&image);
                return bus_error_setf(error, -IMAPI_ERROR_BOOT_IMAGE_DATA,
                                      "PlaceBootImageOnDisc needs a BootImage");
        }

        k = master_tree_set_file_systems(tree, mask, &message);
        boot = (MasterBoot){.platform = (uint8_t) s->platform,
                            .emulation = (uint8_t) s->emulation,
                            .manufacturer = s->manufacturer,
                            .image = &image};
        if (k >= 0)
                k = master_tree_set_boot(tree, s->place ? &boot : NULL, &message);
        if (k >= 0 && s->has_volume_name)
                k = master_tree_set_volume_name(tree, s->volume_name, &message);
        if (k < 0) {
                MasterBoot old = boot_settings(dm);
                (void) master_tree_set_file_systems(tree, old_mask, NULL);
                (void) master_tree_set_boot(tree, dm->boot_place ? &old : NULL, NULL);
                (void) master_tree_set_volume_name(tree, old_name, NULL);
                content_done(&image);
                return bus_error_set(error, k, message);
        }

        dm->file_systems = mask;
        if (s->has_volume_name) {
                g_free(dm->volume_name);
                dm->volume_name = g_strdup(s->volume_name);
        }
        dm->boot_place = s->place;
        dm->boot_platform = (uint8_t) s->platform;
        dm->boot_emulation = (uint8_t) s->emulation;
        g_free(dm->boot_manufacturer);
        dm->boot_manufacturer = g_steal_pointer(&s->manufacturer);
        content_done(&dm->boot_image);
        dm->boot_image = image;
        dm->stage_files = s->stage_files;
        dm->free_media_blocks = s->free_media_blocks;
        return 0;
}

static int method_set_joliet_properties(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        DiscMaster *dm = userdata;
        g_auto(GStrv) ignored = NULL;
        JolietSettings s = {
                .place = dm->boot_place,
                .manufacturer = g_strdup(dm->boot_manufacturer),
                .platform = dm->boot_platform,
                .emulation = dm->boot_emulation,
                .boot_fd = -1,
                .stage_files = dm->stage_files,
                .free_media_blocks = dm->free_media_blocks,
        };
        const BusOption options[] = {
                {"VolumeName", BUS_OPTION_STRING, &s.volume_name, &s.has_volume_name},
                {"PlaceBootImageOnDisc", BUS_OPTION_BOOLEAN, &s.place},
                {"BootImageManufacturerIDString", BUS_OPTION_STRING, &s.manufacturer},
                {"BootImagePlatform", BUS_OPTION_UINT32, &s.platform},
                {"BootImageEmulationType", BUS_OPTION_UINT32, &s.emulation},
                {"BootImage", BUS_OPTION_FD, &s.boot_fd, &s.has_boot_fd},
                {"FileSystems", BUS_OPTION_STRV, &s.file_systems, &s.has_file_systems},
                {"StageFiles", BUS_OPTION_BOOLEAN, &s.stage_files},
                {"FreeMediaBlocks", BUS_OPTION_UINT32, &s.free_media_blocks},
        };
        int k;

        k = bus_read_options(msg, options, ELEMENTSOF(options), true, &ignored, error);
        if (k >= 0 && (k = bus_disc_master_check_owner(dm, msg, error)) >= 0 &&
            (k = bus_disc_master_check_format(dm, DISC_FORMAT_JOLIET, error)) >= 0 && dm->add_data_call)
                k = bus_error_setf(error, -IMAPI_ERROR_BUSY, "An AddData call is still copying files");
        if (k >= 0)
                k = apply_joliet_settings(dm, &s, error);
        joliet_settings_done(&s);
        if (k < 0)
                return k;
        log_debug("Disc master %u: Joliet properties set", dm->id);
        bus_joliet_emit_sizes(dm);
        return bus_reply_strv(msg, ignored);
}

static const sd_bus_vtable joliet_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("TotalDataBlocks", "u", property_get_total_blocks, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("UsedDataBlocks", "u", property_get_used_blocks, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("DataBlockSize", "u", property_get_block_size, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_METHOD_WITH_ARGS("AddData", SD_BUS_ARGS("a(sh)", entries, "a{sv}", options), SD_BUS_NO_RESULT,
                                method_add_data, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("GetJolietProperties", SD_BUS_NO_ARGS, SD_BUS_RESULT("a{sv}", properties),
                                method_get_joliet_properties, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("SetJolietProperties", SD_BUS_ARGS("a{sv}", properties),
                                SD_BUS_RESULT("as", ignored), method_set_joliet_properties,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};

int bus_joliet_register(Manager *m)
{
        return sd_bus_add_fallback_vtable(m->bus, NULL, IMAPI_DISC_MASTER_PATH_PREFIX,
                                          IMAPI_JOLIET_DISC_MASTER_INTERFACE, joliet_vtable,
                                          bus_disc_master_find, m);
}
