/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests for the audio sector source: SAO and TAO order, gaps of silence, track numbers, seeking; and a
 * raw image + text cue sheet split by bchunk into WAVs equal to the input, with cuebreakpoints agreeing. */
#include <errno.h>
#include <string.h>

#include "audio-cuesheet.h"
#include "audio-source.h"
#include "audio-track.h"
#include "bytes.h"
#include "imapi-error.h"
#include "test-audio-util.h"

static const uint32_t track_blocks[] = {300, 451, 777, 1000};
#define N_TRACKS G_N_ELEMENTS(track_blocks)

typedef struct Fixture {
        TestStash stash;
        AudioDisc *disc;
} Fixture;

static void stage(Fixture *f, unsigned gap, bool metadata)
{
        g_assert_cmpint(audio_disc_set_gap(f->disc, gap), ==, 0);
        for (unsigned i = 0; i < N_TRACKS; i++) {
                g_autofree uint8_t *pcm = test_pcm_new(i + 1, 0, track_blocks[i]);
                uint32_t kept = 0;

                g_assert_cmpint(audio_disc_create_track(f->disc, track_blocks[i], NULL), ==, 0);
                g_assert_cmpint(audio_disc_add_blocks(f->disc, pcm,
                                                      (size_t) track_blocks[i] * AUDIO_BLOCK_SIZE, &kept,
                                                      NULL),
                                ==, 0);
                g_assert_cmpint(audio_disc_close_track(f->disc, NULL), ==, 0);
        }
        if (metadata) {
                g_assert_cmpint(audio_disc_set_properties(f->disc,
                                                          &(AudioDiscProperties){
                                                                  .title = "Test \"Album\"",
                                                                  .performer = "Tester",
                                                                  .mcn = "5901234123457",
                                                          },
                                                          NULL),
                                ==, 0);
                g_assert_cmpint(audio_disc_set_track_properties(f->disc, 2,
                                                                &(AudioTrackProperties){
                                                                        .title = "Two",
                                                                        .isrc = "GB-AAA-01-00002",
                                                                },
                                                                NULL),
                                ==, 0);
        }
}

static void fixture_setup(Fixture *f, gconstpointer data)
{
        test_stash_init(&f->stash);
        g_assert_cmpint(audio_disc_new(f->stash.fd, &f->disc), ==, 0);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
        f->disc = audio_disc_free(f->disc);
        test_stash_done(&f->stash);
}

/* Reads the whole source in 'chunk'-block reads; *ret_tracks gets each block's track number. */
static uint8_t *read_all(AudioSource *s, size_t chunk, unsigned **ret_tracks)
{
        uint64_t total = audio_source_get_total_blocks(s);
        g_autofree uint8_t *buf = g_malloc(total * AUDIO_BLOCK_SIZE);
        g_autofree unsigned *tracks = g_new0(unsigned, total);
        uint64_t pos = 0;
        int n;

        while ((n = audio_source_read(s, buf + pos * AUDIO_BLOCK_SIZE, MIN(chunk, total - pos + 1),
                                      &tracks[pos])) > 0) {
                for (int i = 1; i < n; i++)
                        tracks[pos + i] = tracks[pos];
                pos += (uint64_t) n;
                g_assert_cmpuint(audio_source_get_position(s), ==, pos);
        }
        g_assert_cmpint(n, ==, 0);
        g_assert_cmpuint(pos, ==, total);
        *ret_tracks = g_steal_pointer(&tracks);
        return g_steal_pointer(&buf);
}

static bool all_zero(const uint8_t *p, size_t size)
{
        for (size_t i = 0; i < size; i++)
                if (p[i])
                        return false;
        return true;
}

/* Checks 'blocks' of the output at *pos: silence or track t's PCM, all reported as track t. */
static void expect(const uint8_t *buf, const unsigned *tracks, uint64_t *pos, unsigned t, uint32_t blocks,
                   bool silence)
{
        for (uint32_t b = 0; b < blocks; b++)
                g_assert_cmpuint(tracks[*pos + b], ==, t);
        if (silence)
                g_assert_true(all_zero(buf + *pos * AUDIO_BLOCK_SIZE, (size_t) blocks * AUDIO_BLOCK_SIZE));
        else {
                g_autofree uint8_t *want = test_pcm_new(t, 0, blocks);
                g_assert_cmpmem(buf + *pos * AUDIO_BLOCK_SIZE, (size_t) blocks * AUDIO_BLOCK_SIZE, want,
                                (size_t) blocks * AUDIO_BLOCK_SIZE);
        }
        *pos += blocks;
}

static void test_sao(Fixture *f, gconstpointer data)
{
        static const unsigned gaps[] = {150, 0, 37};

        for (size_t g = 0; g < G_N_ELEMENTS(gaps); g++) {
                g_autoptr(AudioSource) s = NULL;
                g_autofree uint8_t *buf = NULL;
                g_autofree unsigned *tracks = NULL;
                uint64_t pos = 0, total = 150;

                g_assert_cmpint(audio_disc_clear(f->disc), ==, 0);
                stage(f, gaps[g], g == 0);
                for (unsigned i = 0; i < N_TRACKS; i++)
                        total += track_blocks[i] + (i > 0 ? gaps[g] : 0);

                g_assert_cmpint(audio_source_new(f->disc, AUDIO_SOURCE_SAO, &s), ==, 0);
                g_assert_cmpuint(audio_source_get_total_blocks(s), ==, total);
                g_assert_cmpint(audio_source_get_start_lba(s), ==, -150);
                g_assert_cmpuint(audio_source_get_layout(s)->n_tracks, ==, N_TRACKS);
                g_assert_cmpuint(audio_disc_get_used_blocks(f->disc), ==, total - 150);

                buf = read_all(s, 97, &tracks);
                expect(buf, tracks, &pos, 1, 150, true);
                for (unsigned i = 0; i < N_TRACKS; i++) {
                        if (i > 0)
                                expect(buf, tracks, &pos, i + 1, gaps[g], true);
                        expect(buf, tracks, &pos, i + 1, track_blocks[i], false);
                }
                g_assert_cmpuint(pos, ==, total);
        }
}

static void test_tao_and_seek(Fixture *f, gconstpointer data)
{
        g_autoptr(AudioSource) s = NULL, sao = NULL;
        g_autofree uint8_t *buf = NULL, *block = g_malloc(AUDIO_BLOCK_SIZE * 2);
        g_autofree unsigned *tracks = NULL;
        uint64_t pos = 0;
        unsigned track = 0;

        stage(f, 150, false);
        g_assert_cmpint(audio_source_new(f->disc, AUDIO_SOURCE_TAO, &s), ==, 0);
        g_assert_cmpuint(audio_source_get_total_blocks(s), ==, 300 + 451 + 777 + 1000);
        g_assert_cmpint(audio_source_get_start_lba(s), ==, 0);
        buf = read_all(s, 1000000, &tracks);
        for (unsigned i = 0; i < N_TRACKS; i++)
                expect(buf, tracks, &pos, i + 1, track_blocks[i], false);

        /* A read stops at each track's end, so the TAO writer sees where to close the track. */
        g_assert_cmpint(audio_source_seek(s, 0), ==, 0);
        g_assert_cmpint(audio_source_read(s, buf, 1000000, &track), ==, 300);
        g_assert_cmpuint(track, ==, 1);

        /* Seeking into the middle of track 3 (and past the end). */
        g_assert_cmpint(audio_source_seek(s, 300 + 451 + 5), ==, 0);
        g_assert_cmpint(audio_source_read(s, block, 2, &track), ==, 2);
        g_assert_cmpuint(track, ==, 3);
        {
                g_autofree uint8_t *want = test_pcm_new(3, 5, 2);
                g_assert_cmpmem(block, 2 * AUDIO_BLOCK_SIZE, want, 2 * AUDIO_BLOCK_SIZE);
        }
        g_assert_cmpint(audio_source_seek(s, 2528), ==, 0);
        g_assert_cmpint(audio_source_read(s, block, 1, &track), ==, 0);
        g_assert_cmpint(audio_source_seek(s, 2529), ==, -EINVAL);

        /* SAO: seeking into track 2's gap gives silence reported as track 2. */
        g_assert_cmpint(audio_source_new(f->disc, AUDIO_SOURCE_SAO, &sao), ==, 0);
        g_assert_cmpint(audio_source_seek(sao, 150 + 300 + 149), ==, 0);
        g_assert_cmpint(audio_source_read(sao, block, 2, &track), ==, 1);
        g_assert_cmpuint(track, ==, 2);
        g_assert_true(all_zero(block, AUDIO_BLOCK_SIZE));
        g_assert_cmpint(audio_source_read(sao, block, 1, &track), ==, 1);
        {
                g_autofree uint8_t *want = test_pcm_new(2, 0, 1);
                g_assert_cmpmem(block, AUDIO_BLOCK_SIZE, want, AUDIO_BLOCK_SIZE);
        }
}

static void test_refusals(Fixture *f, gconstpointer data)
{
        g_autoptr(AudioSource) s = NULL;
        g_autofree uint8_t *buf = g_malloc(400 * AUDIO_BLOCK_SIZE);
        g_autofd int fd = -1;

        g_assert_cmpint(audio_source_new(f->disc, AUDIO_SOURCE_SAO, &s), ==,
                        -IMAPI_ERROR_RAW_IMAGE_NO_TRACKS);
        g_assert_cmpint(audio_disc_create_track(f->disc, 0, NULL), ==, 0);
        g_assert_cmpint(audio_source_new(f->disc, AUDIO_SOURCE_SAO, &s), ==, -IMAPI_ERROR_TRACK_OPEN);
        g_assert_cmpint(audio_source_new(f->disc, _AUDIO_SOURCE_MODE_MAX, &s), ==, -EINVAL);
        g_assert_null(s);

        /* A stash file cut short under the source: -EIO, never silence in its place. */
        g_assert_cmpint(audio_disc_clear(f->disc), ==, 0);
        stage(f, 150, false);
        g_assert_cmpint(audio_source_new(f->disc, AUDIO_SOURCE_TAO, &s), ==, 0);
        g_assert_cmpint(audio_disc_open_track_data(f->disc, 1, &fd), ==, 0);
        g_assert_cmpint(ftruncate(fd, 100 * AUDIO_BLOCK_SIZE), ==, 0);
        g_assert_cmpint(audio_source_read(s, buf, 400, NULL), ==, -EIO);
}

/* ---- bchunk and cuebreakpoints ---- */

static char *run(const char *const *argv, const char *cwd)
{
        g_autoptr(GError) error = NULL;
        g_autofree char *out = NULL, *err = NULL;
        int status = 0;

        g_assert_true(g_spawn_sync(cwd, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                                   &status, &error));
        g_assert_no_error(error);
        if (!g_spawn_check_wait_status(status, NULL))
                g_error("%s failed: %s", argv[0], err);
        return g_steal_pointer(&out);
}

/* Writes the source's blocks from image_start_lba on into path. */
static void write_image(AudioSource *s, const char *path, int32_t image_start_lba)
{
        g_autofree uint8_t *buf = g_malloc(256 * AUDIO_BLOCK_SIZE);
        g_autoptr(GByteArray) image = g_byte_array_new();
        uint64_t skip = (uint64_t) (image_start_lba + 150);
        int n;

        while ((n = audio_source_read(s, buf, 256, NULL)) > 0)
                g_byte_array_append(image, buf, (guint) n * AUDIO_BLOCK_SIZE);
        g_assert_cmpint(n, ==, 0);
        g_assert_true(g_file_set_contents(path, (const char *) image->data + skip * AUDIO_BLOCK_SIZE,
                                          (gssize) (image->len - skip * AUDIO_BLOCK_SIZE), NULL));
}

/* A WAV of 16-bit stereo 44.1 kHz whose data is track t's PCM, exactly. */
static void assert_wav(const char *path, unsigned t)
{
        g_autofree char *data = NULL;
        g_autofree uint8_t *want = test_pcm_new(t, 0, track_blocks[t - 1]);
        size_t size = 0, want_size = (size_t) track_blocks[t - 1] * AUDIO_BLOCK_SIZE;
        uint16_t channels = 0, bits = 0;
        uint32_t rate = 0, data_size = 0;

        g_assert_true(g_file_get_contents(path, &data, &size, NULL));
        g_assert_cmpmem(data, 4, "RIFF", 4);
        g_assert_cmpmem(data + 8, 8, "WAVEfmt ", 8);
        g_assert_cmpint(le16_read(data, size, 22, &channels), ==, 0);
        g_assert_cmpint(le32_read(data, size, 24, &rate), ==, 0);
        g_assert_cmpint(le16_read(data, size, 34, &bits), ==, 0);
        g_assert_cmpmem(data + 36, 4, "data", 4);
        g_assert_cmpint(le32_read(data, size, 40, &data_size), ==, 0);
        g_assert_cmpuint(channels, ==, 2);
        g_assert_cmpuint(rate, ==, 44100);
        g_assert_cmpuint(bits, ==, 16);
        g_assert_cmpuint(data_size, ==, want_size);
        g_assert_cmpmem(data + 44, size - 44, want, want_size);
}

/* cuebreakpoints prints m:ss.ff, relative to the image's start. */
static void append_time(GString *s, int64_t frames)
{
        g_string_append_printf(s, "%d:%02d.%02d\n", (int) (frames / 4500), (int) (frames / 75 % 60),
                               (int) (frames % 75));
}

static void check_tools(Fixture *f, unsigned gap, int32_t image_start_lba, bool metadata)
{
        g_autoptr(AudioSource) s = NULL;
        g_autoptr(GError) error = NULL;
        g_autofree char *dir = g_dir_make_tmp("imapid-bchunk-XXXXXX", &error);
        g_autofree char *bin = g_build_filename(dir, "disc.bin", NULL),
                        *cue = g_build_filename(dir, "disc.cue", NULL);
        g_autofree char *text = NULL, *appended = NULL, *prepended = NULL, *listing = NULL;
        g_autoptr(GString) want_append = g_string_new(NULL), want_prepend = g_string_new(NULL);
        int64_t pos = -image_start_lba; /* frames from the image start to LBA 0 */

        g_assert_no_error(error);
        g_assert_cmpint(audio_disc_clear(f->disc), ==, 0);
        stage(f, gap, metadata);
        g_assert_cmpint(audio_source_new(f->disc, AUDIO_SOURCE_SAO, &s), ==, 0);
        write_image(s, bin, image_start_lba);
        g_assert_cmpint(
                audio_cuesheet_format_text(audio_source_get_layout(s), "disc.bin", image_start_lba, &text),
                ==, 0);
        g_assert_true(g_file_set_contents(cue, text, -1, NULL));

        /* The expected breakpoints, from the track sizes alone. */
        for (unsigned i = 0; i < N_TRACKS; i++) {
                if (i > 0) {
                        append_time(want_prepend, pos);
                        pos += gap;
                        append_time(want_append, pos);
                }
                pos += track_blocks[i];
        }

        {
                const char *argv[] = {"bchunk", "-w", "disc.bin", "disc.cue", "track", NULL};
                g_free(run(argv, dir));
        }
        for (unsigned t = 1; t <= N_TRACKS; t++) {
                g_autofree char *name = g_strdup_printf("track%02u.wav", t);
                g_autofree char *path = g_build_filename(dir, name, NULL);
                assert_wav(path, t);
                (void) g_unlink(path);
        }
        {
                const char *argv[] = {"cuebreakpoints", cue, NULL};
                appended = run(argv, NULL);
        }
        {
                const char *argv[] = {"cuebreakpoints", "--prepend-gaps", cue, NULL};
                prepended = run(argv, NULL);
        }
        g_assert_cmpstr(appended, ==, want_append->str);
        g_assert_cmpstr(prepended, ==, gap > 0 ? want_prepend->str : want_append->str);

        (void) g_unlink(bin);
        (void) g_unlink(cue);
        (void) g_rmdir(dir);
}

static void test_bchunk(Fixture *f, gconstpointer data)
{
        check_tools(f, 150, -150, true);
        check_tools(f, 150, 0, false);
        check_tools(f, 0, -150, false);
        check_tools(f, 37, 0, true);
        check_tools(f, 225, -150, false);
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add("/audio-source/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
        ADD("sao", test_sao);
        ADD("tao-and-seek", test_tao_and_seek);
        ADD("refusals", test_refusals);
        ADD("bchunk-cuebreakpoints", test_bchunk);
        return g_test_run();
}
