/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Persistence of the emulated drive: a directory with state.ini (tray and medium model, GKeyFile) and two
 * sparse sector stores, user.img (2048-byte blocks) and audio.img (2352-byte CD-DA blocks), at lba × size.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "emu-internal.h"
#include "glib-compat.h"
#include "imapi-error.h"
#include "log.h"

#define STATE_FILE    "state.ini"
#define STATE_VERSION 1

struct EmuBacking {
        char *dir;
        bool temporary;
        int fd[2]; /* [0] user.img, [1] audio.img */
};

static const char *const store_names[2] = {"user.img", "audio.img"};

static size_t store_block(bool audio)
{
        return audio ? CD_RAW_SECTOR : DATA_SECTOR;
}

static int store_open(EmuBacking *b, unsigned i)
{
        g_autofree char *path = g_build_filename(b->dir, store_names[i], NULL);

        b->fd[i] = safe_close(b->fd[i]);
        b->fd[i] = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        return b->fd[i] < 0 ? -errno : 0;
}

int emu_backing_open(const char *dir, EmuBacking **ret, char **reterr_message)
{
        g_autofree EmuBacking *b = g_new0(EmuBacking, 1);
        int r;

        b->fd[0] = b->fd[1] = -1;
        if (dir) {
                if (g_mkdir_with_parents(dir, 0700) < 0)
                        return error_set_message(reterr_message, errno, "Cannot create %s: %m", dir);
                b->dir = g_strdup(dir);
        } else {
                g_autoptr(GError) error = NULL;

                b->dir = g_dir_make_tmp("imapid-emu-XXXXXX", &error);
                if (!b->dir)
                        return error_set_message(reterr_message, EIO,
                                                 "Cannot create a temporary directory: %s", error->message);
                b->temporary = true;
        }
        for (unsigned i = 0; i < 2; i++) {
                r = store_open(b, i);
                if (r < 0) {
                        (void) emu_backing_free(g_steal_pointer(&b));
                        return error_set_message(reterr_message, r, "Cannot open the sector store: %m");
                }
        }
        *ret = g_steal_pointer(&b);
        return 0;
}

EmuBacking *emu_backing_free(EmuBacking *b)
{
        if (!b)
                return NULL;
        for (unsigned i = 0; i < 2; i++)
                b->fd[i] = safe_close(b->fd[i]);
        if (b->temporary) {
                for (unsigned i = 0; i < 3; i++) {
                        g_autofree char *path =
                                g_build_filename(b->dir, i < 2 ? store_names[i] : STATE_FILE, NULL);
                        (void) g_unlink(path);
                }
                (void) g_rmdir(b->dir);
        }
        g_free(b->dir);
        g_free(b);
        return NULL;
}

int emu_backing_reset(EmuBacking *b)
{
        for (unsigned i = 0; i < 2; i++) {
                g_autofree char *path = g_build_filename(b->dir, store_names[i], NULL);
                int r;

                if (unlink(path) < 0 && errno != ENOENT)
                        return -errno;
                r = store_open(b, i);
                if (r < 0)
                        return r;
        }
        return 0;
}

int emu_backing_write(EmuBacking *b, bool audio, int32_t lba, const void *buf, uint32_t blocks)
{
        size_t bs = store_block(audio), left = (size_t) blocks * bs;
        off_t off = (off_t) lba * (off_t) bs;
        const uint8_t *p = buf;

        if (lba < 0)
                return -EINVAL;
        while (left > 0) {
                ssize_t n = pwrite(b->fd[audio], p, left, off);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return n < 0 ? -errno : -EIO;
                p += n;
                off += n;
                left -= (size_t) n;
        }
        return 0;
}

int emu_backing_read(EmuBacking *b, bool audio, int32_t lba, void *buf, uint32_t blocks)
{
        size_t bs = store_block(audio), left = (size_t) blocks * bs;
        off_t off = (off_t) lba * (off_t) bs;
        uint8_t *p = buf;

        if (lba < 0)
                return -EINVAL;
        while (left > 0) {
                ssize_t n = pread(b->fd[audio], p, left, off);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0) { /* past the end of the sparse store: never written */
                        memset(p, 0, left);
                        break;
                }
                p += n;
                off += n;
                left -= (size_t) n;
        }
        return 0;
}

int emu_backing_open_image(EmuBacking *b, bool audio, uint32_t blocks, int *ret_fd)
{
        g_autofree char *path = g_build_filename(b->dir, store_names[audio], NULL);
        int fd;

        if (ftruncate(b->fd[audio], (off_t) blocks * (off_t) store_block(audio)) < 0)
                return -errno;
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
        *ret_fd = fd;
        return 0;
}

/* ---- state.ini ---- */

static const char *const track_state_names[_EMU_TRACK_STATE_MAX] = {
        [EMU_TRACK_OPEN] = "open",
        [EMU_TRACK_RESERVED] = "reserved",
        [EMU_TRACK_COMPLETE] = "complete",
};

static void save_track(GKeyFile *k, const EmuTrack *t)
{
        g_autofree char *g = g_strdup_printf("track %u", t->number);
        gint index[EMU_MAX_INDEX];

        g_key_file_set_integer(k, g, "session", t->session);
        g_key_file_set_integer(k, g, "start", t->start);
        g_key_file_set_uint64(k, g, "pregap", t->pregap);
        g_key_file_set_uint64(k, g, "size", t->size);
        g_key_file_set_uint64(k, g, "written", t->written);
        g_key_file_set_integer(k, g, "ctl", t->ctl);
        g_key_file_set_integer(k, g, "data-mode", t->data_mode);
        g_key_file_set_string(k, g, "state", track_state_names[t->state]);
        g_key_file_set_boolean(k, g, "damaged", t->damaged);
        g_key_file_set_string(k, g, "isrc", t->isrc);
        for (unsigned i = 0; i < t->n_index; i++)
                index[i] = (gint) t->index[i];
        if (t->n_index > 0)
                g_key_file_set_integer_list(k, g, "index", index, t->n_index);
}

static void save_session(GKeyFile *k, unsigned number, const EmuSession *s)
{
        g_autofree char *g = g_strdup_printf("session %u", number);

        g_key_file_set_integer(k, g, "first-track", s->first_track);
        g_key_file_set_integer(k, g, "last-track", s->last_track);
        g_key_file_set_integer(k, g, "leadout", s->leadout);
        g_key_file_set_integer(k, g, "format", s->format);
        g_key_file_set_integer(k, g, "multisession", s->multisession);
}

static void save_medium(GKeyFile *k, const EmuMedium *m)
{
        g_key_file_set_string(k, "drive", "medium", m->info->name);
        g_key_file_set_integer(k, "medium", "profile", m->profile);
        g_key_file_set_uint64(k, "medium", "capacity", m->capacity);
        g_key_file_set_uint64(k, "medium", "formatted", m->formatted);
        g_key_file_set_integer(k, "medium", "bg-format", m->bg_format);
        g_key_file_set_boolean(k, "medium", "finalized", m->finalized);
        g_key_file_set_boolean(k, "medium", "dao-only", m->dao_only);
        g_key_file_set_uint64(k, "medium", "high-water", m->high_water);
        g_key_file_set_string(k, "medium", "mcn", m->mcn);
        g_key_file_set_integer(k, "medium", "sessions", (gint) m->sessions->len);
        g_key_file_set_integer(k, "medium", "tracks", (gint) m->tracks->len);
        if (m->cdtext) {
                gsize n;
                const guchar *p = g_bytes_get_data(m->cdtext, &n);
                g_autofree char *b64 = g_base64_encode(p, n);

                g_key_file_set_string(k, "medium", "cdtext", b64);
        }
        for (unsigned i = 0; i < m->sessions->len; i++)
                save_session(k, i + 1, &g_array_index(m->sessions, EmuSession, i));
        for (unsigned i = 0; i < m->tracks->len; i++)
                save_track(k, &g_array_index(m->tracks, EmuTrack, i));
}

int emu_backing_save(EmuBacking *b, bool tray_open, const EmuMedium *m)
{
        g_autoptr(GKeyFile) k = g_key_file_new();
        g_autoptr(GError) error = NULL;
        g_autofree char *path = g_build_filename(b->dir, STATE_FILE, NULL);

        g_key_file_set_integer(k, "drive", "version", STATE_VERSION);
        g_key_file_set_boolean(k, "drive", "tray-open", tray_open);
        if (m)
                save_medium(k, m);
        if (!g_key_file_save_to_file(k, path, &error)) {
                log_debug("emu: cannot save %s: %s", path, error->message);
                return -EIO;
        }
        return 0;
}

/* Reads an integer in [min, max]; -EBADMSG when missing or out of range. */
static int load_int(GKeyFile *k, const char *g, const char *key, int64_t min, int64_t max, int64_t *ret)
{
        g_autoptr(GError) error = NULL;
        gint64 v = g_key_file_get_int64(k, g, key, &error);

        if (error || v < min || v > max)
                return -EBADMSG;
        *ret = v;
        return 0;
}

#define LOAD(k, g, key, min, max, dst)                                                                      \
        ({                                                                                                  \
                int64_t _v;                                                                                 \
                int _r = load_int(k, g, key, min, max, &_v);                                                \
                if (_r >= 0)                                                                                \
                        (dst) = _v;                                                                         \
                _r;                                                                                         \
        })

static int load_track_state(GKeyFile *k, const char *g, EmuTrackState *ret)
{
        g_autofree char *s = g_key_file_get_string(k, g, "state", NULL);

        for (int i = 0; s && i < _EMU_TRACK_STATE_MAX; i++)
                if (strcmp(s, track_state_names[i]) == 0) {
                        *ret = i;
                        return 0;
                }
        return -EBADMSG;
}

static int load_track(GKeyFile *k, unsigned number, EmuTrack *t)
{
        g_autofree char *g = g_strdup_printf("track %u", number);
        g_autofree char *isrc = NULL;
        g_autofree gint *index = NULL;
        gsize n_index = 0;

        *t = (EmuTrack){.number = number};
        if (LOAD(k, g, "session", 1, UINT16_MAX, t->session) < 0 ||
            LOAD(k, g, "start", INT32_MIN, INT32_MAX, t->start) < 0 ||
            LOAD(k, g, "pregap", 0, UINT32_MAX, t->pregap) < 0 ||
            LOAD(k, g, "size", 0, UINT32_MAX, t->size) < 0 ||
            LOAD(k, g, "written", 0, UINT32_MAX, t->written) < 0 || LOAD(k, g, "ctl", 0, 15, t->ctl) < 0 ||
            LOAD(k, g, "data-mode", 0, 15, t->data_mode) < 0 || load_track_state(k, g, &t->state) < 0)
                return -EBADMSG;
        t->damaged = g_key_file_get_boolean(k, g, "damaged", NULL);
        isrc = g_key_file_get_string(k, g, "isrc", NULL);
        if (isrc && strlen(isrc) < sizeof(t->isrc))
                strcpy(t->isrc, isrc);
        index = g_key_file_get_integer_list(k, g, "index", &n_index, NULL);
        if (n_index > G_N_ELEMENTS(t->index))
                return -EBADMSG;
        for (gsize i = 0; i < n_index; i++) {
                if (index[i] < 0)
                        return -EBADMSG;
                t->index[i] = (uint32_t) index[i];
        }
        t->n_index = (uint8_t) n_index;
        return 0;
}

static int load_session(GKeyFile *k, unsigned number, EmuSession *s)
{
        g_autofree char *g = g_strdup_printf("session %u", number);

        *s = (EmuSession){};
        if (LOAD(k, g, "first-track", 1, UINT16_MAX, s->first_track) < 0 ||
            LOAD(k, g, "last-track", 1, UINT16_MAX, s->last_track) < 0 ||
            LOAD(k, g, "leadout", INT32_MIN, INT32_MAX, s->leadout) < 0 ||
            LOAD(k, g, "format", 0, 0xff, s->format) < 0 ||
            LOAD(k, g, "multisession", 0, 3, s->multisession) < 0)
                return -EBADMSG;
        return 0;
}

static int load_cdtext(GKeyFile *k, EmuMedium *m)
{
        g_autofree char *b64 = g_key_file_get_string(k, "medium", "cdtext", NULL);
        gsize n = 0;
        guchar *p;

        if (!b64)
                return 0;
        p = g_base64_decode(b64, &n);
        if (n == 0 || n % 18 != 0) {
                g_free(p);
                return -EBADMSG;
        }
        m->cdtext = g_bytes_new_take(p, n);
        return 0;
}

static int load_medium(GKeyFile *k, const EmuProfileInfo *info, EmuMedium **ret)
{
        g_autoptr(EmuMedium) m = emu_medium_new(info);
        g_autofree char *mcn = g_key_file_get_string(k, "medium", "mcn", NULL);
        unsigned n_sessions = 0, n_tracks = 0;

        if (LOAD(k, "medium", "profile", 1, 0xffff, m->profile) < 0 ||
            emu_profile_find(m->profile) != info ||
            LOAD(k, "medium", "capacity", 0, UINT32_MAX, m->capacity) < 0 ||
            LOAD(k, "medium", "formatted", 0, UINT32_MAX, m->formatted) < 0 ||
            LOAD(k, "medium", "bg-format", 0, 3, m->bg_format) < 0 ||
            LOAD(k, "medium", "high-water", 0, UINT32_MAX, m->high_water) < 0 ||
            LOAD(k, "medium", "sessions", 0, 65535, n_sessions) < 0 ||
            LOAD(k, "medium", "tracks", 0, 65535, n_tracks) < 0 || load_cdtext(k, m) < 0)
                return -EBADMSG;
        m->finalized = g_key_file_get_boolean(k, "medium", "finalized", NULL);
        m->dao_only = g_key_file_get_boolean(k, "medium", "dao-only", NULL);
        if (mcn && strlen(mcn) < sizeof(m->mcn))
                strcpy(m->mcn, mcn);
        for (unsigned i = 1; i <= n_sessions; i++) {
                EmuSession s;

                if (load_session(k, i, &s) < 0)
                        return -EBADMSG;
                g_array_append_val(m->sessions, s);
        }
        for (unsigned i = 1; i <= n_tracks; i++) {
                EmuTrack t;

                if (load_track(k, i, &t) < 0)
                        return -EBADMSG;
                g_array_append_val(m->tracks, t);
        }
        *ret = g_steal_pointer(&m);
        return 0;
}

int emu_backing_load(EmuBacking *b, bool *ret_tray_open, EmuMedium **ret_medium)
{
        g_autoptr(GKeyFile) k = g_key_file_new();
        g_autofree char *path = g_build_filename(b->dir, STATE_FILE, NULL);
        g_autofree char *name = NULL;
        EmuMedium *m = NULL;
        int64_t version;
        int r;

        if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
                *ret_tray_open = false;
                *ret_medium = NULL;
                return 0;
        }
        if (!g_key_file_load_from_file(k, path, G_KEY_FILE_NONE, NULL) ||
            load_int(k, "drive", "version", STATE_VERSION, STATE_VERSION, &version) < 0)
                return -EBADMSG;
        name = g_key_file_get_string(k, "drive", "medium", NULL);
        if (name) {
                int p = emu_profile_from_name(name);

                if (p < 0)
                        return -EBADMSG;
                r = load_medium(k, emu_profile_find(p), &m);
                if (r < 0)
                        return r;
        }
        *ret_tray_open = g_key_file_get_boolean(k, "drive", "tray-open", NULL);
        *ret_medium = m;
        return 0;
}
