/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests for the audio staging model: counters, the open-track rules, PCM appends (buffers, files, pipes,
 * sockets) with their errors, metadata and the stash files. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "audio-codes.h"
#include "audio-track.h"
#include "imapi-error.h"
#include "test-audio-util.h"

#define CAPACITY 359849 /* an 80-minute CD-R */

typedef struct Fixture {
        TestStash stash;
        AudioDisc *disc;
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
        test_stash_init(&f->stash);
        g_assert_cmpint(audio_disc_new(f->stash.fd, &f->disc), ==, 0);
        audio_disc_set_capacity(f->disc, CAPACITY);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
        f->disc = audio_disc_free(f->disc);
        g_assert_cmpuint(test_stash_count(&f->stash), ==, 0); /* freeing deletes the PCM */
        test_stash_done(&f->stash);
}

static void assert_counters(AudioDisc *d, uint32_t tracks, uint32_t used, uint32_t available)
{
        g_assert_cmpuint(audio_disc_get_total_tracks(d), ==, tracks);
        g_assert_cmpuint(audio_disc_get_total_blocks(d), ==, CAPACITY);
        g_assert_cmpuint(audio_disc_get_used_blocks(d), ==, used);
        g_assert_cmpuint(audio_disc_get_available_track_blocks(d), ==, available);
}

static int add_pattern(AudioDisc *d, unsigned track, uint64_t first_block, uint32_t blocks,
                       uint32_t *ret_kept)
{
        g_autofree uint8_t *pcm = test_pcm_new(track, first_block, blocks);
        return audio_disc_add_blocks(d, pcm, (size_t) blocks * AUDIO_BLOCK_SIZE, ret_kept, NULL);
}

static void add_ok(AudioDisc *d, unsigned track, uint64_t first_block, uint32_t blocks)
{
        uint32_t kept = 0;

        g_assert_cmpint(add_pattern(d, track, first_block, blocks, &kept), ==, 0);
        g_assert_cmpuint(kept, ==, blocks);
}

/* The track's stash file holds exactly its pattern. */
static void assert_track_data(AudioDisc *d, unsigned track, uint32_t blocks)
{
        g_autofree uint8_t *want = test_pcm_new(track, 0, blocks);
        g_autofree uint8_t *got = g_malloc((size_t) blocks * AUDIO_BLOCK_SIZE + 1);
        g_autofd int fd = -1;
        struct stat st;

        g_assert_cmpuint(audio_disc_get_track_blocks(d, track), ==, blocks);
        g_assert_cmpint(audio_disc_open_track_data(d, track, &fd), ==, 0);
        g_assert_cmpint(fstat(fd, &st), ==, 0);
        g_assert_cmpint(st.st_size, ==, (off_t) blocks * AUDIO_BLOCK_SIZE);
        g_assert_cmpint(pread(fd, got, (size_t) blocks * AUDIO_BLOCK_SIZE + 1, 0), ==,
                        (ssize_t) blocks * AUDIO_BLOCK_SIZE);
        g_assert_cmpmem(got, (size_t) blocks * AUDIO_BLOCK_SIZE, want, (size_t) blocks * AUDIO_BLOCK_SIZE);
}

static void test_counters(Fixture *f, gconstpointer data)
{
        AudioDisc *d = f->disc;

        assert_counters(d, 0, 0, CAPACITY);
        g_assert_cmpuint(audio_disc_get_gap(d), ==, 150);

        g_assert_cmpint(audio_disc_create_track(d, 400, NULL), ==, 0);
        assert_counters(d, 1, 0, CAPACITY); /* track 1's pregap is before LBA 0 */
        add_ok(d, 1, 0, 400);
        assert_counters(d, 1, 400, CAPACITY - 400);
        g_assert_cmpint(audio_disc_close_track(d, NULL), ==, 0);
        assert_counters(d, 1, 400, CAPACITY - 400 - 150); /* a new track would start after its gap */

        g_assert_cmpint(audio_disc_create_track(d, 0, NULL), ==, 0);
        assert_counters(d, 2, 550, CAPACITY - 550);
        add_ok(d, 2, 0, 100);
        add_ok(d, 2, 100, 250);
        assert_counters(d, 2, 900, CAPACITY - 900);
        g_assert_cmpint(audio_disc_close_track(d, NULL), ==, 0);
        assert_track_data(d, 1, 400);
        assert_track_data(d, 2, 350);
        g_assert_cmpuint(audio_disc_get_stash_bytes(d), ==, 750ull * AUDIO_BLOCK_SIZE);

        /* The gap is the recorder's AudioGapSize and counts for every track but the first. */
        g_assert_cmpint(audio_disc_set_gap(d, 0), ==, 0);
        assert_counters(d, 2, 750, CAPACITY - 750);
        g_assert_cmpint(audio_disc_set_gap(d, 225), ==, 0);
        assert_counters(d, 2, 975, CAPACITY - 975 - 225);
        g_assert_cmpint(audio_disc_set_gap(d, 226), ==, -EINVAL);
        g_assert_cmpuint(audio_disc_get_gap(d), ==, 225);

        g_assert_cmpint(audio_disc_clear(d), ==, 0);
        assert_counters(d, 0, 0, CAPACITY);
        g_assert_cmpuint(test_stash_count(&f->stash), ==, 0);
}

static void test_order_errors(Fixture *f, gconstpointer data)
{
        AudioDisc *d = f->disc;
        g_autofree char *message = NULL;
        uint32_t kept = 12345;

        /* Add and close with no track open. */
        g_assert_cmpint(add_pattern(d, 1, 0, 10, &kept), ==, -IMAPI_ERROR_TRACK_NOT_OPEN);
        g_assert_cmpuint(kept, ==, 12345);
        g_assert_cmpint(audio_disc_close_track(d, &message), ==, -IMAPI_ERROR_TRACK_NOT_OPEN);
        g_assert_nonnull(message);
        assert_counters(d, 0, 0, CAPACITY);

        /* Create with one open. */
        g_assert_cmpint(audio_disc_create_track(d, 0, NULL), ==, 0);
        add_ok(d, 1, 0, 75);
        g_assert_cmpint(audio_disc_create_track(d, 0, NULL), ==, -IMAPI_ERROR_TRACK_OPEN);
        assert_counters(d, 1, 75, CAPACITY - 75);

        /* A 1-second track cannot be closed; it stays open and can grow. */
        g_assert_cmpint(audio_disc_close_track(d, NULL), ==, -IMAPI_ERROR_TRACK_NOT_BIG_ENOUGH);
        g_assert_true(audio_disc_has_open_track(d));
        assert_counters(d, 1, 75, CAPACITY - 75);
        add_ok(d, 1, 75, 224);
        g_assert_cmpint(audio_disc_close_track(d, NULL), ==, -IMAPI_ERROR_TRACK_NOT_BIG_ENOUGH);
        add_ok(d, 1, 299, 1);
        g_assert_cmpint(audio_disc_close_track(d, NULL), ==, 0);
        assert_track_data(d, 1, 300);

        /* Nothing is burnable while a track is open. */
        g_assert_cmpint(audio_disc_check_burnable(d, NULL), ==, 0);
        g_assert_cmpint(audio_disc_create_track(d, 0, NULL), ==, 0);
        g_assert_cmpint(audio_disc_check_burnable(d, NULL), ==, -IMAPI_ERROR_TRACK_OPEN);
}

static void test_invalid_pcm(Fixture *f, gconstpointer data)
{
        static const size_t bad_sizes[] = {1, 2351, 2353, 4703, 2352 * 3 + 1};
        AudioDisc *d = f->disc;
        g_autofree uint8_t *pcm = test_pcm_new(1, 0, 4);

        g_assert_cmpint(audio_disc_create_track(d, 0, NULL), ==, 0);
        add_ok(d, 1, 0, 2);
        for (size_t i = 0; i < G_N_ELEMENTS(bad_sizes); i++) {
                g_autofree char *message = NULL;
                uint32_t kept = 777;

                g_assert_cmpint(audio_disc_add_blocks(d, pcm, bad_sizes[i], &kept, &message), ==,
                                -IMAPI_ERROR_INVALID_PCM);
                g_assert_cmpuint(kept, ==, 777);
                g_assert_nonnull(message);
                assert_track_data(d, 1, 2); /* nothing appended, the file unchanged */
                assert_counters(d, 1, 2, CAPACITY - 2);
        }
        /* An empty add is fine and adds nothing. */
        g_assert_cmpint(audio_disc_add_blocks(d, pcm, 0, &(uint32_t){0}, NULL), ==, 0);
        assert_counters(d, 1, 2, CAPACITY - 2);
}

static void test_track_limit(Fixture *f, gconstpointer data)
{
        g_autofree uint8_t *silence = g_malloc0(AUDIO_TRACK_MIN_BLOCKS * AUDIO_BLOCK_SIZE);
        AudioDisc *d = f->disc;
        g_autofree char *message = NULL;
        uint32_t used;

        for (unsigned i = 1; i <= AUDIO_TRACKS_MAX; i++) {
                uint32_t kept;

                g_assert_cmpint(audio_disc_create_track(d, AUDIO_TRACK_MIN_BLOCKS, NULL), ==, 0);
                g_assert_cmpint(audio_disc_add_blocks(d, silence, AUDIO_TRACK_MIN_BLOCKS * AUDIO_BLOCK_SIZE,
                                                      &kept, NULL),
                                ==, 0);
                g_assert_cmpint(audio_disc_close_track(d, NULL), ==, 0);
        }
        used = 99 * 300 + 98 * 150;
        assert_counters(d, 99, used, 0);
        g_assert_cmpint(audio_disc_create_track(d, 0, &message), ==,
                        -IMAPI_ERROR_DF2_TAO_TRACK_LIMIT_REACHED);
        g_assert_nonnull(message);
        assert_counters(d, 99, used, 0);
        g_assert_cmpuint(test_stash_count(&f->stash), ==, 99);
}

static void test_disc_full(Fixture *f, gconstpointer data)
{
        AudioDisc *d = f->disc;
        g_autofree char *message = NULL;
        uint32_t kept = 0;

        audio_disc_set_capacity(d, 1000);
        g_assert_cmpuint(audio_disc_get_total_blocks(d), ==, 1000);

        g_assert_cmpint(audio_disc_create_track(d, 1001, NULL), ==, -IMAPI_ERROR_DISC_FULL); /* the hint */
        g_assert_cmpuint(audio_disc_get_total_tracks(d), ==, 0);
        g_assert_cmpint(audio_disc_create_track(d, 1000, NULL), ==, 0);
        add_ok(d, 1, 0, 500);
        g_assert_cmpint(audio_disc_close_track(d, NULL), ==, 0);
        /* 1000 - 500 - 150 = 350 left for track 2. */
        g_assert_cmpuint(audio_disc_get_available_track_blocks(d), ==, 350);
        g_assert_cmpint(audio_disc_create_track(d, 0, NULL), ==, 0);
        g_assert_cmpuint(audio_disc_get_used_blocks(d), ==, 650);

        /* IMAPI's rule: what fits is kept, the call fails with DiscFull. */
        g_assert_cmpint(add_pattern(d, 2, 0, 400, &kept), ==, -IMAPI_ERROR_DISC_FULL);
        g_assert_cmpuint(kept, ==, 350);
        g_assert_cmpuint(audio_disc_get_used_blocks(d), ==, 1000);
        g_assert_cmpuint(audio_disc_get_available_track_blocks(d), ==, 0);
        assert_track_data(d, 2, 350);

        kept = 1;
        g_assert_cmpint(add_pattern(d, 2, 350, 1, &kept), ==, -IMAPI_ERROR_DISC_FULL);
        g_assert_cmpuint(kept, ==, 0);
        g_assert_cmpint(audio_disc_close_track(d, NULL), ==, 0);

        /* No room for another track of 300 blocks. */
        g_assert_cmpint(audio_disc_create_track(d, 0, &message), ==, -IMAPI_ERROR_DISC_FULL);
        g_assert_cmpuint(audio_disc_get_total_tracks(d), ==, 2);

        /* A smaller medium afterwards: Available is 0, the burn check says DiscFull. */
        audio_disc_set_capacity(d, 900);
        g_assert_cmpuint(audio_disc_get_available_track_blocks(d), ==, 0);
        g_assert_cmpint(audio_disc_check_burnable(d, NULL), ==, -IMAPI_ERROR_DISC_FULL);
        audio_disc_set_capacity(d, 0); /* unknown → the Red Book maximum */
        g_assert_cmpuint(audio_disc_get_total_blocks(d), ==, AUDIO_LEADOUT_MAX_LBA);
        g_assert_cmpint(audio_disc_check_burnable(d, NULL), ==, 0);
}

/* ---- appends from fds ---- */

static int write_file(const TestStash *s, const char *name, const void *data, size_t size)
{
        g_autofree char *path = g_build_filename(s->path, name, NULL);
        int fd;

        g_assert_true(g_file_set_contents(path, data, (gssize) size, NULL));
        fd = open(path, O_RDONLY | O_CLOEXEC);
        g_assert_cmpint(fd, >=, 0);
        g_assert_cmpint(unlink(path), ==, 0); /* keep the stash count honest */
        return fd;
}

static void test_fd_regular(Fixture *f, gconstpointer data)
{
        g_autofree uint8_t *pcm = test_pcm_new(1, 0, 600);
        AudioDisc *d = f->disc;
        uint32_t kept = 0;
        g_autofd int odd = -1, good = -1;

        g_assert_cmpint(audio_disc_create_track(d, 0, NULL), ==, 0);

        /* A size that is not whole blocks: refused before anything is read. */
        odd = write_file(&f->stash, "odd", pcm, 600 * AUDIO_BLOCK_SIZE - 1);
        g_assert_cmpint(audio_disc_add_fd(d, odd, NULL, NULL, &kept, NULL), ==, -IMAPI_ERROR_INVALID_PCM);
        assert_counters(d, 1, 0, CAPACITY);

        /* From the fd's current position to its end. */
        good = write_file(&f->stash, "good", pcm, 600 * AUDIO_BLOCK_SIZE);
        g_assert_cmpint(lseek(good, 100 * AUDIO_BLOCK_SIZE, SEEK_SET), ==, 100 * AUDIO_BLOCK_SIZE);
        g_assert_cmpint(audio_disc_add_fd(d, good, NULL, NULL, &kept, NULL), ==, 0);
        g_assert_cmpuint(kept, ==, 500);
        g_assert_cmpint(lseek(good, 0, SEEK_SET), ==, 0);
        kept = 0;
        g_assert_cmpint(audio_disc_add_fd(d, good, NULL, NULL, &kept, NULL), ==, 0);
        g_assert_cmpuint(kept, ==, 600);
        assert_counters(d, 1, 1100, CAPACITY - 1100);
        g_assert_cmpint(audio_disc_close_track(d, NULL), ==, 0);

        {
                g_autofree uint8_t *got = g_malloc(1100 * AUDIO_BLOCK_SIZE);
                g_autofd int fd = -1;

                g_assert_cmpint(audio_disc_open_track_data(d, 1, &fd), ==, 0);
                g_assert_cmpint(pread(fd, got, 1100 * AUDIO_BLOCK_SIZE, 0), ==, 1100 * AUDIO_BLOCK_SIZE);
                g_assert_cmpmem(got, 500 * AUDIO_BLOCK_SIZE, pcm + 100 * AUDIO_BLOCK_SIZE,
                                500 * AUDIO_BLOCK_SIZE);
                g_assert_cmpmem(got + 500 * AUDIO_BLOCK_SIZE, 600 * AUDIO_BLOCK_SIZE, pcm,
                                600 * AUDIO_BLOCK_SIZE);
        }
}

typedef struct Feeder {
        int fd;
        const uint8_t *data;
        size_t size;
        size_t chunk;
        size_t written;
} Feeder;

/* Writes data in odd-sized chunks, then closes its end (EOF for the reader). */
static void *feeder_run(void *userdata)
{
        Feeder *fe = userdata;

        while (fe->written < fe->size) {
                ssize_t n = write(fe->fd, fe->data + fe->written, MIN(fe->chunk, fe->size - fe->written));
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        break; /* the reader stopped (EPIPE) */
                fe->written += (size_t) n;
        }
        fe->fd = safe_close(fe->fd);
        return NULL;
}

typedef struct ProgressLog {
        uint64_t last_done;
        unsigned calls;
        int abort_after; /* 0: never */
} ProgressLog;

static int on_progress(uint64_t done, uint64_t total, void *userdata)
{
        ProgressLog *p = userdata;

        g_assert_cmpuint(done, >=, p->last_done);
        p->last_done = done;
        p->calls++;
        if (p->abort_after > 0 && p->calls >= (unsigned) p->abort_after)
                return -ECANCELED;
        return 0;
}

/* Feeds 'size' bytes through a pipe (or socket pair) into the open track. */
static int add_through(AudioDisc *d, bool socket, bool nonblock, const uint8_t *data, size_t size,
                       ProgressLog *progress, uint32_t *ret_kept)
{
        int fds[2];
        Feeder fe;
        pthread_t thread;
        int r;

        if (socket)
                g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
        else
                g_assert_cmpint(pipe2(fds, O_CLOEXEC), ==, 0);
        if (nonblock)
                g_assert_cmpint(fcntl(fds[0], F_SETFL, O_NONBLOCK), ==, 0);

        fe = (Feeder){.fd = fds[1], .data = data, .size = size, .chunk = 3 * AUDIO_BLOCK_SIZE + 17};
        g_assert_cmpint(pthread_create(&thread, NULL, feeder_run, &fe), ==, 0);
        r = audio_disc_add_fd(d, fds[0], progress ? on_progress : NULL, progress, ret_kept, NULL);
        safe_close(fds[0]); /* unblocks a feeder the reader left behind */
        g_assert_cmpint(pthread_join(thread, NULL), ==, 0);
        return r;
}

static void test_fd_stream(Fixture *f, gconstpointer data)
{
        g_autofree uint8_t *pcm = test_pcm_new(1, 0, 900);
        AudioDisc *d = f->disc;
        ProgressLog progress = {};
        uint32_t kept = 0;

        g_assert_cmpint(audio_disc_create_track(d, 0, NULL), ==, 0);

        g_assert_cmpint(add_through(d, false, false, pcm, 300 * AUDIO_BLOCK_SIZE, &progress, &kept), ==, 0);
        g_assert_cmpuint(kept, ==, 300);
        g_assert_cmpuint(progress.last_done, ==, 300);
        g_assert_cmpint(add_through(d, false, true, pcm + 300 * AUDIO_BLOCK_SIZE, 300 * AUDIO_BLOCK_SIZE,
                                    NULL, &kept),
                        ==, 0);
        g_assert_cmpint(add_through(d, true, false, pcm + 600 * AUDIO_BLOCK_SIZE, 300 * AUDIO_BLOCK_SIZE,
                                    NULL, &kept),
                        ==, 0);
        assert_counters(d, 1, 900, CAPACITY - 900);
        assert_track_data(d, 1, 900);

        /* A trailing partial block, found only at EOF: the whole call is undone. */
        kept = 42;
        g_assert_cmpint(add_through(d, false, false, pcm, 200 * AUDIO_BLOCK_SIZE + 5, NULL, &kept), ==,
                        -IMAPI_ERROR_INVALID_PCM);
        g_assert_cmpuint(kept, ==, 42);
        assert_track_data(d, 1, 900);

        /* Aborted by the progress callback (a client that went away): nothing kept. */
        progress = (ProgressLog){.abort_after = 2};
        g_assert_cmpint(add_through(d, false, false, pcm, 500 * AUDIO_BLOCK_SIZE, &progress, &kept), ==,
                        -ECANCELED);
        assert_track_data(d, 1, 900);
        assert_counters(d, 1, 900, CAPACITY - 900);
}

static void test_fd_disc_full(Fixture *f, gconstpointer data)
{
        g_autofree uint8_t *pcm = test_pcm_new(1, 0, 400);
        AudioDisc *d = f->disc;
        uint32_t kept = 0;
        g_autofd int file = -1;

        audio_disc_set_capacity(d, 350);
        g_assert_cmpint(audio_disc_create_track(d, 0, NULL), ==, 0);
        g_assert_cmpint(add_through(d, false, false, pcm, 400 * AUDIO_BLOCK_SIZE, NULL, &kept), ==,
                        -IMAPI_ERROR_DISC_FULL);
        g_assert_cmpuint(kept, ==, 350);
        assert_track_data(d, 1, 350);

        /* Exactly full: success, and the next add of anything is DiscFull with 0 kept. */
        g_assert_cmpint(audio_disc_clear(d), ==, 0);
        g_assert_cmpint(audio_disc_create_track(d, 0, NULL), ==, 0);
        file = write_file(&f->stash, "full", pcm, 350 * AUDIO_BLOCK_SIZE);
        g_assert_cmpint(audio_disc_add_fd(d, file, NULL, NULL, &kept, NULL), ==, 0);
        g_assert_cmpuint(kept, ==, 350);
        g_assert_cmpint(lseek(file, 349 * AUDIO_BLOCK_SIZE, SEEK_SET), >, 0);
        g_assert_cmpint(audio_disc_add_fd(d, file, NULL, NULL, &kept, NULL), ==, -IMAPI_ERROR_DISC_FULL);
        g_assert_cmpuint(kept, ==, 0);
        assert_track_data(d, 1, 350);
}

static void test_fd_quota(Fixture *f, gconstpointer data)
{
        g_autofree uint8_t *pcm = test_pcm_new(1, 0, 400);
        AudioDisc *d = f->disc;
        AudioAppend *a = NULL;
        pthread_t thread;
        uint32_t kept = 5;
        int fds[2];
        Feeder fe;

        g_assert_cmpint(audio_disc_create_track(d, 0, NULL), ==, 0);
        g_assert_cmpint(pipe2(fds, O_CLOEXEC), ==, 0);
        fe = (Feeder){.fd = fds[1], .data = pcm, .size = 400 * AUDIO_BLOCK_SIZE, .chunk = 65536};
        g_assert_cmpint(pthread_create(&thread, NULL, feeder_run, &fe), ==, 0);

        g_assert_cmpint(audio_disc_append_begin(d, &a, NULL), ==, 0);
        audio_append_set_quota(a, 300 * AUDIO_BLOCK_SIZE);
        g_assert_cmpint(audio_append_run_fd(a, fds[0], NULL, NULL), ==, -IMAPI_ERROR_LIMITS_EXCEEDED);
        safe_close(fds[0]);
        g_assert_cmpint(pthread_join(thread, NULL), ==, 0);
        g_assert_cmpint(audio_disc_append_finish(d, a, &kept, NULL), ==, -IMAPI_ERROR_LIMITS_EXCEEDED);
        g_assert_cmpuint(kept, ==, 5);
        assert_track_data(d, 1, 0);
}

static void test_fd_wrong_kind(Fixture *f, gconstpointer data)
{
        AudioDisc *d = f->disc;
        g_autofd int dev = open("/dev/null", O_RDONLY | O_CLOEXEC);
        g_autofd int dir = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        g_autofd int proc = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
        g_autofree char *message = NULL;
        uint32_t kept;

        g_assert_cmpint(audio_disc_add_fd(d, dev, NULL, NULL, &kept, NULL), ==, -IMAPI_ERROR_TRACK_NOT_OPEN);
        g_assert_cmpint(audio_disc_create_track(d, 0, NULL), ==, 0);
        g_assert_cmpint(audio_disc_add_fd(d, dev, NULL, NULL, &kept, &message), ==, -EINVAL);
        g_assert_nonnull(message);
        g_assert_cmpint(audio_disc_add_fd(d, dir, NULL, NULL, &kept, NULL), ==, -EINVAL);
        /* A procfs file claims size 0 and copy_file_range() gives nothing: its text is read, and refused. */
        g_assert_cmpint(audio_disc_add_fd(d, proc, NULL, NULL, &kept, NULL), ==, -IMAPI_ERROR_INVALID_PCM);
        assert_counters(d, 1, 0, CAPACITY);
}

static void test_append_steps(Fixture *f, gconstpointer data)
{
        g_autofree uint8_t *pcm = test_pcm_new(1, 0, 300);
        AudioDisc *d = f->disc;
        AudioAppend *a = NULL, *b = NULL;
        uint32_t kept = 0;

        g_assert_cmpint(audio_disc_create_track(d, 0, NULL), ==, 0);
        g_assert_cmpint(audio_disc_append_begin(d, &a, NULL), ==, 0);
        /* One append at a time; the counters move only at finish. */
        g_assert_cmpint(audio_disc_append_begin(d, &b, NULL), ==, -IMAPI_ERROR_BUSY);
        g_assert_cmpint(audio_disc_close_track(d, NULL), ==, -IMAPI_ERROR_BUSY);
        g_assert_cmpint(audio_disc_clear(d), ==, -IMAPI_ERROR_BUSY);
        g_assert_cmpint(audio_append_run_buffer(a, pcm, 300 * AUDIO_BLOCK_SIZE), ==, 0);
        g_assert_cmpuint(audio_disc_get_used_blocks(d), ==, 0);
        g_assert_cmpint(audio_disc_append_finish(d, a, &kept, NULL), ==, 0);
        g_assert_cmpuint(kept, ==, 300);
        assert_track_data(d, 1, 300);

        /* A stash quota below the data fails the whole append (unlike the disc's capacity). */
        g_assert_cmpint(audio_disc_append_begin(d, &a, NULL), ==, 0);
        g_assert_cmpuint(audio_append_get_max_bytes(a), ==, (uint64_t) (CAPACITY - 300) * AUDIO_BLOCK_SIZE);
        audio_append_set_quota(a, 100 * AUDIO_BLOCK_SIZE + 5);
        g_assert_cmpint(audio_append_run_buffer(a, pcm, 101 * AUDIO_BLOCK_SIZE), ==,
                        -IMAPI_ERROR_LIMITS_EXCEEDED);
        g_assert_cmpint(audio_disc_append_finish(d, a, &kept, NULL), ==, -IMAPI_ERROR_LIMITS_EXCEEDED);
        assert_track_data(d, 1, 300);
        g_assert_cmpint(audio_disc_append_begin(d, &a, NULL), ==, 0);
        audio_append_set_quota(a, 100 * AUDIO_BLOCK_SIZE);
        g_assert_cmpint(audio_append_run_buffer(a, pcm, 100 * AUDIO_BLOCK_SIZE), ==, 0);
        g_assert_cmpuint(audio_append_get_written_bytes(a), ==, 100 * AUDIO_BLOCK_SIZE);
        g_assert_cmpint(audio_disc_append_finish(d, a, &kept, NULL), ==, 0);
        g_assert_cmpuint(kept, ==, 100);
        g_assert_cmpuint(audio_disc_get_track_blocks(d, 1), ==, 400);

        /* An append dropped together with its disc (the client went away) leaves no file behind
         * (the teardown checks the stash is empty). */
        g_assert_cmpint(audio_disc_append_begin(d, &a, NULL), ==, 0);
        g_assert_cmpint(audio_append_run_buffer(a, pcm, 10 * AUDIO_BLOCK_SIZE), ==, 0);
        a = audio_append_free(a);
        audio_disc_free(g_steal_pointer(&f->disc));
        g_assert_cmpint(audio_disc_new(f->stash.fd, &f->disc), ==, 0);
}

/* ---- metadata ---- */

static void test_properties(Fixture *f, gconstpointer data)
{
        AudioDisc *d = f->disc;
        AudioDiscProperties dp;
        AudioTrackProperties tp;
        g_autofree char *message = NULL;

        g_assert_cmpint(audio_disc_create_track(d, 0, NULL), ==, 0);
        g_assert_cmpint(audio_disc_set_properties(d,
                                                  &(AudioDiscProperties){
                                                          .title = "Café Tunes",
                                                          .performer = "The Band",
                                                          .mcn = "4006381333931",
                                                  },
                                                  NULL),
                        ==, 0);
        audio_disc_get_properties(d, &dp);
        g_assert_cmpstr(dp.title, ==, "Café Tunes");
        g_assert_cmpstr(dp.performer, ==, "The Band");
        g_assert_cmpstr(dp.mcn, ==, "4006381333931");

        /* Atomic: a wrong check digit changes nothing, not even the valid title beside it. */
        g_assert_cmpint(audio_disc_set_properties(d,
                                                  &(AudioDiscProperties){
                                                          .title = "Other",
                                                          .mcn = "4006381333932",
                                                  },
                                                  &message),
                        ==, -IMAPI_ERROR_DF2_TAO_INVALID_MCN);
        g_assert_nonnull(message);
        audio_disc_get_properties(d, &dp);
        g_assert_cmpstr(dp.title, ==, "Café Tunes");
        g_assert_cmpstr(dp.mcn, ==, "4006381333931");

        g_assert_cmpint(audio_disc_set_properties(d, &(AudioDiscProperties){.title = "日本"}, NULL), ==,
                        -EINVAL);
        g_assert_cmpint(audio_disc_set_properties(d, &(AudioDiscProperties){.mcn = ""}, NULL), ==, 0);
        audio_disc_get_properties(d, &dp);
        g_assert_cmpstr(dp.mcn, ==, "");
        g_assert_cmpstr(dp.title, ==, "Café Tunes"); /* NULL = unchanged */

        /* Tracks: 1..TotalAudioTracks, the open one included. */
        g_assert_cmpint(audio_disc_set_track_properties(d, 1,
                                                        &(AudioTrackProperties){
                                                                .title = "Song",
                                                                .isrc = "us-k7y-98-12345",
                                                        },
                                                        NULL),
                        ==, 0);
        g_assert_cmpint(audio_disc_get_track_properties(d, 1, &tp), ==, 0);
        g_assert_cmpstr(tp.title, ==, "Song");
        g_assert_cmpstr(tp.performer, ==, "");
        g_assert_cmpstr(tp.isrc, ==, "USK7Y9812345");
        g_assert_cmpint(
                audio_disc_set_track_properties(d, 1, &(AudioTrackProperties){.isrc = "USK7Y981234"}, NULL),
                ==, -IMAPI_ERROR_DF2_TAO_INVALID_ISRC);
        g_assert_cmpint(audio_disc_get_track_properties(d, 1, &tp), ==, 0);
        g_assert_cmpstr(tp.isrc, ==, "USK7Y9812345");
        g_assert_cmpint(audio_disc_set_track_properties(d, 0, &(AudioTrackProperties){.title = "x"}, NULL),
                        ==, -EINVAL);
        g_assert_cmpint(audio_disc_set_track_properties(d, 2, &(AudioTrackProperties){.title = "x"}, NULL),
                        ==, -EINVAL);
        g_assert_cmpint(audio_disc_get_track_properties(d, 2, &tp), ==, -EINVAL);

        /* Clearing content drops the metadata too. */
        g_assert_cmpint(audio_disc_clear(d), ==, 0);
        audio_disc_get_properties(d, &dp);
        g_assert_cmpstr(dp.title, ==, "");
}

static void test_text_limits(Fixture *f, gconstpointer data)
{
        g_autofree char *long_text = g_strnfill(AUDIO_TEXT_MAX, 'x');
        g_autofree char *too_long = g_strnfill(AUDIO_TEXT_MAX + 1, 'x');
        g_autofree uint8_t *silence = g_malloc0(AUDIO_TRACK_MIN_BLOCKS * AUDIO_BLOCK_SIZE);
        AudioDisc *d = f->disc;
        unsigned accepted = 0;
        int r = 0;

        for (unsigned i = 0; i < 20; i++) {
                uint32_t kept;
                g_assert_cmpint(audio_disc_create_track(d, 0, NULL), ==, 0);
                g_assert_cmpint(audio_disc_add_blocks(d, silence, AUDIO_TRACK_MIN_BLOCKS * AUDIO_BLOCK_SIZE,
                                                      &kept, NULL),
                                ==, 0);
                g_assert_cmpint(audio_disc_close_track(d, NULL), ==, 0);
        }

        g_assert_cmpint(audio_disc_set_properties(d, &(AudioDiscProperties){.title = too_long}, NULL), ==,
                        -IMAPI_ERROR_LIMITS_EXCEEDED);
        g_assert_cmpint(audio_disc_set_properties(d, &(AudioDiscProperties){.title = long_text}, NULL), ==,
                        0);

        /* 21 texts of 161 bytes in two kinds need more than 256 packs: the one that overflows is refused. */
        for (unsigned t = 1; t <= 20 && r == 0; t++) {
                r = audio_disc_set_track_properties(d, t,
                                                    &(AudioTrackProperties){
                                                            .title = long_text,
                                                            .performer = long_text,
                                                    },
                                                    NULL);
                if (r == 0)
                        accepted++;
        }
        g_assert_cmpint(r, ==, -IMAPI_ERROR_LIMITS_EXCEEDED);
        /* With k tracks set: titles 161 + 160k + 20 bytes, performers 21 + 160k bytes, 12 to a pack, plus
         * 3 size packs: k = 8 needs 122 + 109 + 3 = 234 packs, k = 9 needs 136 + 122 + 3 = 261. */
        g_assert_cmpuint(accepted, ==, 8);
        g_assert_cmpint(audio_disc_check_burnable(d, NULL), ==, 0);
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        (void) signal(SIGPIPE, SIG_IGN); /* feeders write into pipes the reader left */
#define ADD(path, fn) g_test_add("/audio-track/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
        ADD("counters", test_counters);
        ADD("order-errors", test_order_errors);
        ADD("invalid-pcm", test_invalid_pcm);
        ADD("track-limit", test_track_limit);
        ADD("disc-full", test_disc_full);
        ADD("fd-regular", test_fd_regular);
        ADD("fd-stream", test_fd_stream);
        ADD("fd-disc-full", test_fd_disc_full);
        ADD("fd-quota", test_fd_quota);
        ADD("fd-wrong-kind", test_fd_wrong_kind);
        ADD("append-steps", test_append_steps);
        ADD("properties", test_properties);
        ADD("text-limits", test_text_limits);
        return g_test_run();
}
