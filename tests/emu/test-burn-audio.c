/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Red Book burns through the burn engine: SAO with a cue sheet and CD-TEXT, TAO on a drive without SAO,
 * gaps of 150 and 0 blocks. Judged by tools we did not write — bchunk splits the disc's raw image and cue
 * sheet into WAV files whose PCM must equal the input, cuebreakpoints gives the track boundaries — and by
 * READ TOC and READ TOC format 5 (CD-TEXT) through the MMC layer. */
#include "audio-cdtext.h"
#include "audio-track.h"
#include "burn-test-util.h"

static const uint32_t track_blocks[] = {300, 451, 377, 612}; /* 4 s and more: Red Book's minimum */
#define N_TRACKS G_N_ELEMENTS(track_blocks)

static uint8_t *pcm_new(unsigned track, uint32_t blocks)
{
        uint8_t *p = g_malloc((size_t) blocks * AUDIO_BLOCK_SIZE);

        for (size_t i = 0; i < (size_t) blocks * AUDIO_BLOCK_SIZE; i++)
                p[i] = (uint8_t) (((uint32_t) i * 2654435761u ^ track * 0x9e3779b9u) >> 13 | 1);
        return p;
}

typedef struct AudioTest {
        BurnTest *bt;
        char *stash;
        int stash_fd;
        AudioDisc *disc;
} AudioTest;

static AudioTest *audio_test_new(unsigned gap, bool text)
{
        AudioTest *a = g_new0(AudioTest, 1);
        AudioDiscProperties dp = {
                .title = "Burnt Offerings", .performer = "The Emulators", .mcn = "4006381333931"};

        a->bt = burn_test_new();
        a->stash = burn_test_path(a->bt, "stash");
        g_assert_cmpint(g_mkdir(a->stash, 0700), ==, 0);
        a->stash_fd = open(a->stash, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        g_assert_cmpint(audio_disc_new(a->stash_fd, &a->disc), ==, 0);
        g_assert_cmpint(audio_disc_set_gap(a->disc, gap), ==, 0);
        for (unsigned t = 1; t <= N_TRACKS; t++) {
                g_autofree uint8_t *pcm = pcm_new(t, track_blocks[t - 1]);
                g_autofree char *title = g_strdup_printf("Track number %u", t);
                g_autofree char *isrc = g_strdup_printf("USRC1770%04u", t);
                AudioTrackProperties tp = {.title = title, .performer = "Someone", .isrc = isrc};
                uint32_t kept = 0;

                g_assert_cmpint(audio_disc_create_track(a->disc, 0, NULL), ==, 0);
                g_assert_cmpint(audio_disc_add_blocks(a->disc, pcm,
                                                      (size_t) track_blocks[t - 1] * AUDIO_BLOCK_SIZE, &kept,
                                                      NULL),
                                ==, 0);
                g_assert_cmpuint(kept, ==, track_blocks[t - 1]);
                g_assert_cmpint(audio_disc_close_track(a->disc, NULL), ==, 0);
                if (text)
                        g_assert_cmpint(audio_disc_set_track_properties(a->disc, t, &tp, NULL), ==, 0);
        }
        if (text)
                g_assert_cmpint(audio_disc_set_properties(a->disc, &dp, NULL), ==, 0);
        return a;
}

static void audio_test_free(AudioTest *a)
{
        audio_disc_free(a->disc);
        close(a->stash_fd);
        g_free(a->stash);
        burn_test_free(a->bt);
        g_free(a);
}

static BurnRequest audio_request(AudioTest *a, const DriveInfo *drive)
{
        BurnRequest req = burn_test_request(a->bt, BURN_KIND_AUDIO);

        req.audio = a->disc;
        req.audio_gap = audio_disc_get_gap(a->disc);
        if (drive)
                req.drive = drive;
        return req;
}

/* The start (INDEX 01) of each track and the lead-out, as the burn must have laid them out. */
typedef struct Expect {
        int32_t start[N_TRACKS];
        int32_t pregap[N_TRACKS]; /* INDEX 00 */
        int32_t leadout;
} Expect;

static void expect_sao(unsigned gap, Expect *ret)
{
        int32_t lba = 0;

        for (unsigned i = 0; i < N_TRACKS; i++) {
                if (i > 0)
                        lba += (int32_t) gap;
                ret->pregap[i] = i > 0 ? lba - (int32_t) gap : -150;
                ret->start[i] = lba;
                lba += (int32_t) track_blocks[i];
        }
        ret->leadout = lba;
}

/* TAO: the drive adds 2 run-out blocks after each track (the last one too), then the pause. */
static void expect_tao(unsigned gap, Expect *ret)
{
        int32_t lba = 0;

        for (unsigned i = 0; i < N_TRACKS; i++) {
                if (i > 0)
                        lba += 2 + (int32_t) gap;
                ret->pregap[i] = i > 0 ? lba - (int32_t) gap : -150;
                ret->start[i] = lba;
                lba += (int32_t) track_blocks[i];
        }
        ret->leadout = lba + 2;
}

static char *msf_string(int32_t lba)
{
        return g_strdup_printf("%d:%02d.%02d", lba / (60 * 75), lba / 75 % 60, lba % 75);
}

/* bchunk -w: one WAV per track whose PCM is the input (on TAO followed by the drive's 2 silent run-out
 * blocks, which belong to the track, but the last); cuebreakpoints: the INDEX 01 and INDEX 00 marks. */
static void check_image(AudioTest *a, const Expect *e, bool tao)
{
        g_autofree char *cue_text = NULL, *bin = NULL, *cue = NULL, *out = NULL, *prefix = NULL, *bp = NULL;
        g_autofree char *bp_gaps = NULL;
        GString *want = g_string_new(NULL), *want_gaps = g_string_new(NULL);

        bin = burn_test_fetch(a->bt, "image.bin", &cue_text);
        g_assert_nonnull(cue_text);
        {
                struct stat st;

                /* SAO: LBA 0 up to the lead-out. (TAO: the emulator leaves the last run-out out.) */
                g_assert_cmpint(stat(bin, &st), ==, 0);
                if (!tao)
                        g_assert_cmpint(st.st_size, ==, (off_t) e->leadout * AUDIO_BLOCK_SIZE);
        }
        cue = burn_test_path(a->bt, "image.cue");
        g_assert_true(g_file_set_contents(cue, cue_text, -1, NULL));
        prefix = burn_test_path(a->bt, "track");
        {
                char *argv[] = {"bchunk", "-w", bin, cue, prefix, NULL};
                g_assert_cmpint(burn_test_spawn(argv, &out), ==, 0);
        }
        for (unsigned t = 1; t <= N_TRACKS; t++) {
                g_autofree char *wav = g_strdup_printf("%s%02u.wav", prefix, t);
                g_autofree uint8_t *pcm = pcm_new(t, track_blocks[t - 1]);
                gsize size = (gsize) track_blocks[t - 1] * AUDIO_BLOCK_SIZE, len = 0;
                gsize run_out = tao && t < N_TRACKS ? 2 * AUDIO_BLOCK_SIZE : 0;
                g_autofree char *data = NULL;

                g_assert_true(g_file_get_contents(wav, &data, &len, NULL));
                g_assert_cmpuint(len, ==, 44 + size + run_out);
                g_assert_true(memcmp(data, "RIFF", 4) == 0);
                g_assert_true(memcmp(data + 44, pcm, size) == 0);
                for (gsize i = 44 + size; i < len; i++)
                        g_assert_cmpint(data[i], ==, 0);
        }
        for (unsigned i = 1; i < N_TRACKS; i++) {
                g_autofree char *s = msf_string(e->start[i]), *g = msf_string(e->pregap[i]);

                g_string_append_printf(want, "%s\n", s);
                g_string_append_printf(want_gaps, "%s\n", g);
        }
        {
                char *argv[] = {"cuebreakpoints", cue, NULL};
                char *argv_gaps[] = {"cuebreakpoints", "--prepend-gaps", cue, NULL};

                g_assert_cmpint(burn_test_spawn(argv, &bp), ==, 0);
                g_assert_cmpint(burn_test_spawn(argv_gaps, &bp_gaps), ==, 0);
        }
        g_assert_cmpstr(bp, ==, want->str);
        g_assert_cmpstr(bp_gaps, ==, want_gaps->str);
        g_string_free(want, true);
        g_string_free(want_gaps, true);
}

/* READ TOC through the MMC layer: audio tracks 1..N at the expected starts, the lead-out. */
static void check_toc(AudioTest *a, const Expect *e)
{
        g_autofree MmcToc *toc = g_new0(MmcToc, 1);
        MediaInfo m;

        g_assert_cmpint(mmc_read_toc(a->bt->t, toc), ==, 0);
        g_assert_cmpuint(toc->first_track, ==, 1);
        g_assert_cmpuint(toc->last_track, ==, N_TRACKS);
        g_assert_cmpuint(toc->n, ==, N_TRACKS + 1);
        for (unsigned i = 0; i < N_TRACKS; i++) {
                g_assert_cmpuint(toc->entries[i].track, ==, i + 1);
                g_assert_cmpuint(toc->entries[i].control & 0x4, ==, 0);
                g_assert_cmpuint(toc->entries[i].address, ==, (uint32_t) e->start[i]);
        }
        g_assert_cmpuint(toc->entries[N_TRACKS].track, ==, MMC_TOC_LEAD_OUT);
        g_assert_cmpuint(toc->entries[N_TRACKS].address, ==, (uint32_t) e->leadout);
        burn_test_probe(a->bt, &m);
        g_assert_true(m.closed);
        g_assert_true(m.has_audio);
        g_assert_false(m.has_data);
}

/* READ TOC format 5 through the MMC layer, parsed: the texts that were set. */
static void check_cdtext(AudioTest *a)
{
        g_autofree uint8_t *buf = NULL;
        g_autoptr(CdText) text = NULL;
        size_t len = 0;

        g_assert_cmpint(mmc_read_cd_text(a->bt->t, &buf, &len), ==, 0);
        g_assert_cmpuint(len, >, 4);
        g_assert_cmpint(cdtext_parse(buf + 4, len - 4, &text), ==, 0);
        g_assert_cmpstr(cdtext_get(text, CDTEXT_PACK_TITLE, 0), ==, "Burnt Offerings");
        g_assert_cmpstr(cdtext_get(text, CDTEXT_PACK_PERFORMER, 0), ==, "The Emulators");
        for (unsigned t = 1; t <= N_TRACKS; t++) {
                g_autofree char *title = g_strdup_printf("Track number %u", t);

                g_assert_cmpstr(cdtext_get(text, CDTEXT_PACK_TITLE, t), ==, title);
                g_assert_cmpstr(cdtext_get(text, CDTEXT_PACK_PERFORMER, t), ==, "Someone");
        }
}

/* The MCN and ISRCs the disc carries in its Q sub-channel, as the emulator's cue sheet reports them. */
static void check_codes(AudioTest *a)
{
        g_autofree char *cue = NULL;
        int fd = -1;

        g_assert_cmpint(emu_drive_open_image(a->bt->drive, &fd, &cue), ==, 0);
        close(fd);
        g_assert_nonnull(strstr(cue, "CATALOG 4006381333931"));
        for (unsigned t = 1; t <= N_TRACKS; t++) {
                g_autofree char *isrc = g_strdup_printf("ISRC USRC1770%04u", t);
                g_assert_nonnull(strstr(cue, isrc));
        }
}

typedef struct Case {
        bool sao;
        unsigned gap;
} Case;

static void test_burn(gconstpointer data)
{
        const Case *c = data;
        AudioTest *a = audio_test_new(c->gap, true);
        DriveInfo drive = a->bt->info;
        BurnRequest req;
        BurnTestResult res;
        Expect e;

        g_assert_true(drive.features.cd_sao);
        drive.features.cd_sao = c->sao; /* a drive without CD Mastering SAO gets TAO */
        req = audio_request(a, &drive);
        burn_test_load(a->bt, MMC_PROFILE_CD_R);
        res = burn_test_run(a->bt, &req);
        g_assert_cmpint(res.r, ==, 0);
        g_assert_cmpuint(res.progress.n_tracks, ==, N_TRACKS);
        g_assert_cmpuint(res.progress.track, ==, N_TRACKS);
        g_assert_cmpuint(res.progress.blocks_written, ==, res.progress.blocks_total);
        burn_test_result_done(&res);

        if (c->sao)
                expect_sao(c->gap, &e);
        else
                expect_tao(c->gap, &e);
        check_image(a, &e, !c->sao);
        check_toc(a, &e);
        check_codes(a);
        if (c->sao)
                check_cdtext(a);
        audio_test_free(a);
}

/* Test Write: the whole burn runs, the disc stays blank. */
static void test_simulate(gconstpointer data)
{
        const Case *c = data;
        AudioTest *a = audio_test_new(150, true);
        DriveInfo drive = a->bt->info;
        BurnRequest req;
        MediaInfo m;

        drive.features.cd_sao = c->sao;
        req = audio_request(a, &drive);
        req.simulate = true;
        burn_test_load(a->bt, MMC_PROFILE_CD_RW);
        burn_test_run_ok(a->bt, &req);
        burn_test_probe(a->bt, &m);
        g_assert_true(m.blank);
        req.simulate = false;
        burn_test_run_ok(a->bt, &req);
        burn_test_probe(a->bt, &m);
        g_assert_true(m.closed);
        audio_test_free(a);
}

static void test_refusals(void)
{
        AudioTest *a = audio_test_new(150, false);
        BurnRequest req = audio_request(a, NULL);
        g_autofree char *src = burn_test_make_tree(a->bt, "src", 1);
        g_autoptr(MasterTree) tree = burn_test_stage(src);
        BurnRequest data_req = burn_test_request(a->bt, BURN_KIND_DATA);
        char *msg;

        /* Not a CD. */
        burn_test_load(a->bt, MMC_PROFILE_DVD_R_SEQ);
        msg = burn_test_run_fail(a->bt, &req, IMAPI_ERROR_MEDIUM_INVALID_TYPE);
        g_assert_nonnull(strstr(msg, "CD"));
        g_free(msg);
        /* A CD with a data session. */
        burn_test_load(a->bt, MMC_PROFILE_CD_R);
        data_req.tree = tree;
        burn_test_run_ok(a->bt, &data_req);
        msg = burn_test_run_fail(a->bt, &req, IMAPI_ERROR_MEDIUM_NOT_BLANK);
        g_free(msg);
        /* A track still open: refused from the snapshot, before the drive is touched. */
        g_assert_cmpint(audio_disc_create_track(a->disc, 0, NULL), ==, 0);
        burn_test_load(a->bt, MMC_PROFILE_CD_R);
        msg = burn_test_run_fail(a->bt, &req, IMAPI_ERROR_TRACK_OPEN);
        g_free(msg);
        audio_test_free(a);
}

/* The snapshot: once the job exists, the disc master's tracks may change without touching the burn. The
 * request's gap (the recorder's AudioGapSize) is the one burned; the disc keeps its own. */
static void test_snapshot(void)
{
        AudioTest *a = audio_test_new(150, false);
        BurnRequest req = audio_request(a, NULL);
        g_autoptr(BurnJob) job = NULL;
        Expect e;

        burn_test_load(a->bt, MMC_PROFILE_CD_R);
        req.audio_gap = 0;
        g_assert_cmpint(burn_job_new(&req, &job), ==, 0);
        g_assert_cmpuint(audio_disc_get_gap(a->disc), ==, 150);
        g_assert_cmpint(audio_disc_clear(a->disc), ==, 0);
        g_assert_cmpint(burn_job_run(job, NULL), ==, 0);
        expect_sao(0, &e);
        check_image(a, &e, false);
        audio_test_free(a);
}

static void cancel_at(BurnJob *job, uint64_t written, void *userdata)
{
        if (written >= GPOINTER_TO_UINT(userdata))
                burn_job_cancel(job);
}

/* Cancel in the middle of the second track: UserAbort; the drive takes the next disc. */
static void test_cancel(gconstpointer data)
{
        const Case *c = data;
        AudioTest *a = audio_test_new(c->gap, true);
        DriveInfo drive = a->bt->info;
        BurnRequest req;
        BurnTestResult res;
        Expect e;

        drive.features.cd_sao = c->sao;
        req = audio_request(a, &drive);
        req.write_hook = cancel_at;
        req.write_hook_userdata = GUINT_TO_POINTER(500);
        burn_test_load(a->bt, MMC_PROFILE_CD_R);
        res = burn_test_run(a->bt, &req);
        g_assert_cmpint(res.r, ==, -IMAPI_ERROR_USER_ABORT);
        g_assert_cmpuint(res.progress.track, ==, 2);
        burn_test_result_done(&res);

        req.write_hook = NULL;
        burn_test_load(a->bt, MMC_PROFILE_CD_R);
        burn_test_run_ok(a->bt, &req);
        if (c->sao)
                expect_sao(c->gap, &e);
        else
                expect_tao(c->gap, &e);
        check_image(a, &e, !c->sao);
        audio_test_free(a);
}

int main(int argc, char *argv[])
{
        static const Case sao150 = {true, 150}, sao0 = {true, 0}, tao150 = {false, 150}, tao0 = {false, 0},
                          sao37 = {true, 37};

        g_test_init(&argc, &argv, NULL);
        g_test_add_data_func("/audio/sao/gap-150", &sao150, test_burn);
        g_test_add_data_func("/audio/sao/gap-0", &sao0, test_burn);
        g_test_add_data_func("/audio/sao/gap-37", &sao37, test_burn);
        g_test_add_data_func("/audio/tao/gap-150", &tao150, test_burn);
        g_test_add_data_func("/audio/tao/gap-0", &tao0, test_burn);
        g_test_add_data_func("/audio/simulate/sao", &sao150, test_simulate);
        g_test_add_data_func("/audio/simulate/tao", &tao150, test_simulate);
        g_test_add_data_func("/audio/cancel/sao", &sao150, test_cancel);
        g_test_add_data_func("/audio/cancel/tao", &tao150, test_cancel);
        g_test_add_func("/audio/refusals", test_refusals);
        g_test_add_func("/audio/snapshot", test_snapshot);
        return g_test_run();
}
