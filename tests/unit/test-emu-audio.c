/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests of audio on the emulated drive: SAO with a cue sheet, lead-in CD-TEXT, MCN and ISRC, TAO audio
 * with gaps, what READ TOC / READ CD / OpenImage give back, and the refusals of bad cue sheets. */
#include <unistd.h>

#include "test-emu-util.h"

/* ---- CD-TEXT as a host prepares it (MMC-6 Annex J) ---- */

static uint16_t crc16_ccitt(const uint8_t *p, size_t n)
{
        uint16_t crc = 0;

        for (size_t i = 0; i < n; i++)
                for (int b = 7; b >= 0; b--) {
                        bool top = (crc >> 15) ^ ((p[i] >> b) & 1);

                        crc = (uint16_t) (crc << 1);
                        if (top)
                                crc ^= 0x1021;
                }
        return (uint16_t) ~crc;
}

typedef struct Packs {
        uint8_t p[64][18];
        unsigned n;
} Packs;

/* Packs of one type for strings[0] (disc) .. strings[n-1], with sequence numbers continuing. */
static void packs_add(Packs *packs, uint8_t type, const char *const *strings, unsigned n)
{
        GString *text = g_string_new(NULL);
        unsigned track = 0, chars = 0;
        size_t s_start = 0;

        for (unsigned i = 0; i < n; i++)
                g_string_append_len(text, strings[i], (gssize) strlen(strings[i]) + 1);
        for (size_t off = 0; off < text->len; off += 12) {
                uint8_t *pk = packs->p[packs->n];

                memset(pk, 0, 18);
                /* which string this pack starts in, and how far into it */
                while (s_start + strlen(strings[track]) + 1 <= off) {
                        s_start += strlen(strings[track]) + 1;
                        track++;
                }
                chars = (unsigned) MIN(off - s_start, 15u);
                pk[0] = type;
                pk[1] = (uint8_t) track;
                pk[2] = (uint8_t) packs->n;
                pk[3] = (uint8_t) chars;
                memcpy(pk + 4, text->str + off, MIN(12u, text->len - off));
                be16_put(pk + 16, crc16_ccitt(pk, 16));
                packs->n++;
        }
        g_string_free(text, true);
}

/* 18 bytes → 24 symbols of 6 bits. */
static void pack_spread(const uint8_t pk[18], uint8_t out[24])
{
        for (int i = 0; i < 6; i++) {
                const uint8_t *b = pk + 3 * i;

                out[4 * i] = b[0] >> 2;
                out[4 * i + 1] = (uint8_t) ((b[0] & 0x03) << 4 | b[1] >> 4);
                out[4 * i + 2] = (uint8_t) ((b[1] & 0x0f) << 2 | b[2] >> 6);
                out[4 * i + 3] = b[2] & 0x3f;
        }
}

static void make_packs(Packs *packs)
{
        static const char *const titles[] = {"Album", "One", "Two", "Three"};
        static const char *const performers[] = {"Band", "Band", "Singer", "Band"};

        packs->n = 0;
        packs_add(packs, 0x80, titles, 4);
        packs_add(packs, 0x81, performers, 4);
}

/* The lead-in from its start to -150, cycling through the packs, 4 per 96-byte block. */
static void write_leadin(EmuTest *e, int32_t start, const Packs *packs)
{
        uint8_t buf[32 * 96];
        unsigned k = 0;

        for (int32_t lba = start; lba < -150;) {
                uint32_t n = (uint32_t) MIN(32, -150 - lba);
                ScsiCommand c;

                for (uint32_t b = 0; b < n; b++)
                        for (int i = 0; i < 4; i++, k++)
                                pack_spread(packs->p[k % packs->n], buf + 96 * b + 24 * i);
                c = emu_write(e, lba, n, buf, 96);
                assert_good(c);
                lba += (int32_t) n;
        }
}

/* ---- Cue sheets ---- */

static void cue_entry(GByteArray *a, uint8_t ctl_adr, uint8_t tno, uint8_t index, uint8_t form, int32_t lba)
{
        uint8_t e[8] = {ctl_adr, tno, index, form, 0};
        int32_t f = lba + 150;

        e[5] = (uint8_t) (f / 4500);
        e[6] = (uint8_t) (f / 75 % 60);
        e[7] = (uint8_t) (f % 75);
        g_byte_array_append(a, e, 8);
}

static void cue_chars(GByteArray *a, uint8_t ctl_adr, uint8_t tno, const char *s, size_t n, size_t at)
{
        uint8_t e[8] = {ctl_adr, tno};

        memcpy(e + at, s, n);
        g_byte_array_append(a, e, 8);
}

/* The test disc: track 1 0..399 (pregap 150), track 2 pregap 400, 550..899, track 3 900..1199 (no
 * pregap, INDEX 02 at 1000), lead-out 1200. */
static GByteArray *audio_cue(bool cdtext, bool mcn)
{
        GByteArray *a = g_byte_array_new();

        if (mcn) {
                cue_chars(a, 0x02, '1', "234567", 6, 2);
                cue_chars(a, 0x02, '8', "90128", 5, 2);
        }
        cue_entry(a, 0x01, 0, 0, cdtext ? 0x41 : 0x01, -150);
        cue_chars(a, 0x03, 1, "USABC1", 6, 2);
        cue_chars(a, 0x03, 1, "234567", 6, 2);
        cue_entry(a, 0x01, 1, 0, 0x00, -150);
        cue_entry(a, 0x01, 1, 1, 0x00, 0);
        cue_entry(a, 0x01, 2, 0, 0x00, 400);
        cue_entry(a, 0x01, 2, 1, 0x00, 550);
        cue_entry(a, 0x01, 3, 1, 0x00, 900);
        cue_entry(a, 0x01, 3, 2, 0x00, 1000);
        cue_entry(a, 0x01, 0xaa, 1, 0x01, 1200);
        return a;
}

static ScsiCommand send_cue(EmuTest *e, const GByteArray *cue)
{
        uint32_t n = cue->len;

        return emu_out(e, CDB(0x5d, 0, 0, 0, 0, 0, n >> 16, n >> 8, n, 0), cue->data, cue->len);
}

static void page_sao(EmuTest *e, uint8_t multisession, bool test_write)
{
        EmuTestPage05 w = {.write_type = 2, .multisession = multisession, .test_write = test_write};
        ScsiCommand c = emu_page05(e, &w);

        assert_good(c);
}

static void write_audio(EmuTest *e, int32_t lba, uint32_t n, uint32_t salt)
{
        emu_write_pattern(e, lba, n, 2352, salt);
}

/* Runs a tool we did not write; returns its stdout. */
static char *run_tool(const char *dir, const char *const *argv)
{
        g_autoptr(GError) error = NULL;
        char *out = NULL;
        int status = -1;

        g_assert_true(g_spawn_sync(dir, (char **) argv, NULL,
                                   G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                                   &status, &error));
        g_assert_no_error(error);
        g_assert_cmpint(status, ==, 0);
        return out;
}

/* Checks the image and CUE sheet of test_sao_cdtext with cuebreakpoints, cueprint and bchunk. */
static void check_with_oracles(int fd, const char *sheet)
{
        g_autoptr(GError) error = NULL;
        g_autofree char *dir = g_dir_make_tmp("test-emu-audio-XXXXXX", &error);
        g_autofree char *cue = g_build_filename(dir, "image.cue", NULL),
                        *bin = g_build_filename(dir, "image.bin", NULL);
        g_autofree char *breaks = NULL, *info = NULL, *wav_data = NULL;
        g_autofree char *wav = g_build_filename(dir, "t01.wav", NULL);
        g_autofree uint8_t *image = g_malloc((size_t) 1200 * 2352), *want = g_malloc(400 * 2352);
        gsize wav_len = 0;

        g_assert_no_error(error);
        g_assert_cmpint(pread(fd, image, (size_t) 1200 * 2352, 0), ==, (ssize_t) 1200 * 2352);
        g_assert_true(g_file_set_contents(cue, sheet, -1, NULL));
        g_assert_true(g_file_set_contents(bin, (const char *) image, (gssize) 1200 * 2352, NULL));
        breaks = run_tool(dir, (const char *const[]){"cuebreakpoints", "image.cue", NULL});
        g_assert_cmpstr(breaks, ==, "0:07.25\n0:12.00\n");
        info = run_tool(dir, (const char *const[]){"cueprint", "-t", "%n %t %p %i\n", "image.cue", NULL});
        g_assert_nonnull(strstr(info, "1 One Band USABC1234567\n"));
        g_assert_nonnull(strstr(info, "2 Two Singer \n"));
        g_free(run_tool(dir, (const char *const[]){"bchunk", "-w", "image.bin", "image.cue", "t", NULL}));
        /* bchunk ends a track where the next one's INDEX 00 begins (and takes the last INDEX of a track as
         * its start, so INDEX 02 of track 3 confuses it): track 1 is exactly blocks 0..399 */
        g_assert_true(g_file_get_contents(wav, &wav_data, &wav_len, NULL));
        g_assert_cmpuint(wav_len, ==, 44 + 400 * 2352);
        emu_fill(want, 0, 400, 2352, 1);
        g_assert_cmpmem(wav_data + 44, 400 * 2352, want, 400 * 2352);
        for (int i = 1; i <= 3; i++) {
                g_autofree char *w = g_strdup_printf("%s/t%02d.wav", dir, i);
                (void) unlink(w);
        }
        (void) unlink(cue);
        (void) unlink(bin);
        g_assert_cmpint(rmdir(dir), ==, 0);
}

static void test_sao_cdtext(void)
{
        g_autoptr(GByteArray) cue = NULL;
        EmuTest *e = emu_test_new();
        g_autofree uint8_t *raw = g_malloc(32 * 2352), *want = g_malloc(32 * 2352);
        g_autofree char *sheet = NULL;
        uint8_t p[1024], atip[28];
        Packs packs;
        ScsiCommand c;
        int32_t leadin;
        int fd;

        emu_test_load(e, 0x0009);
        page_sao(e, 0, false);
        c = emu_in(e, CDB(0x43, 0x02, 0x04, 0, 0, 0, 0, 0, 28, 0), atip, sizeof(atip));
        assert_good(c);
        leadin = (atip[8] * 60 + atip[9]) * 75 + atip[10] - 450150;
        g_assert_cmpint(leadin, ==, -11635);
        cue = audio_cue(true, true);
        c = send_cue(e, cue);
        assert_good(c);
        make_packs(&packs);
        write_leadin(e, leadin, &packs);
        emu_write_pattern(e, -150, 150, 2352, 0); /* the first pregap */
        write_audio(e, 0, 400, 1);
        write_audio(e, 400, 500, 2);
        write_audio(e, 900, 300, 3);
        c = emu_write(e, 1200, 1, raw, 2352);
        assert_sense(c, 0x5, 0x21, 0x00); /* the lead-out is the drive's */
        assert_good(emu_sync(e));

        /* TOC: three audio tracks */
        c = emu_in(e, CDB(0x43, 0, 0, 0, 0, 0, 0, 0, 100, 0), p, 100);
        assert_good(c);
        g_assert_cmpuint(get_be16(p), ==, 2 + 4 * 8);
        g_assert_cmphex(p[5], ==, 0x10);
        g_assert_cmpuint(get_be32(p + 8), ==, 0);
        g_assert_cmpuint(get_be32(p + 16), ==, 550);
        g_assert_cmpuint(get_be32(p + 24), ==, 900);
        g_assert_cmpuint(p[30], ==, 0xaa);
        g_assert_cmpuint(get_be32(p + 32), ==, 1200);
        c = emu_disc_info(e, p);
        assert_good(c);
        g_assert_cmphex(p[2], ==, 0x0e); /* finalized */
        c = emu_track_info(e, 2, p);
        assert_good(c);
        g_assert_cmpuint(get_be32(p + 8), ==, 550);
        g_assert_cmpuint(get_be32(p + 24), ==, 350);
        g_assert_cmphex(p[5] & 0x0f, ==, 0);

        /* CD-TEXT comes back as sent */
        c = emu_in(e, CDB(0x43, 0, 0x05, 0, 0, 0, 0, 0x04, 0, 0), p, sizeof(p));
        assert_good(c);
        g_assert_cmpuint(get_be16(p), ==, 2 + 18 * packs.n);
        g_assert_cmpmem(p + 4, 18 * packs.n, packs.p, 18 * packs.n);

        /* MCN and ISRC in the Q sub-channel */
        c = emu_in(e, CDB(0x42, 0, 0x40, 0x02, 0, 0, 0, 0, 24, 0), p, 24);
        assert_good(c);
        g_assert_cmphex(p[8], ==, 0x80);
        g_assert_cmpmem(p + 9, 13, "1234567890128", 13);
        c = emu_in(e, CDB(0x42, 0, 0x40, 0x03, 0, 0, 1, 0, 24, 0), p, 24);
        assert_good(c);
        g_assert_cmpmem(p + 9, 12, "USABC1234567", 12);

        /* READ CD returns the raw audio; READ(10) refuses it */
        c = emu_in(e, CDB(0xbe, 0x04, 0, 0, 0x02, 0x26, 0, 0, 32, 0xf8, 0, 0), raw, 32 * 2352);
        assert_good(c);
        emu_fill(want, 550, 32, 2352, 2);
        g_assert_cmpmem(raw, 32 * 2352, want, 32 * 2352);
        c = emu_in(e, CDB(0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0), raw, 2048);
        assert_sense(c, 0x5, 0x64, 0x00);

        /* OpenImage: raw sectors from LBA 0 and a CUE sheet */
        g_assert_cmpint(emu_drive_open_image(e->drive, &fd, &sheet), ==, 0);
        g_assert_cmpint(lseek(fd, 0, SEEK_END), ==, (off_t) 1200 * 2352);
        g_assert_cmpint(pread(fd, raw, 32 * 2352, (off_t) 400 * 2352), ==, 32 * 2352);
        emu_fill(want, 400, 32, 2352, 2);
        g_assert_cmpmem(raw, 32 * 2352, want, 32 * 2352);
        check_with_oracles(fd, sheet);
        close(fd);
        g_assert_cmpstr(sheet, ==,
                        "CATALOG 1234567890128\n"
                        "PERFORMER \"Band\"\n"
                        "TITLE \"Album\"\n"
                        "FILE \"image.bin\" BINARY\n"
                        "  TRACK 01 AUDIO\n"
                        "    TITLE \"One\"\n"
                        "    PERFORMER \"Band\"\n"
                        "    ISRC USABC1234567\n"
                        "    INDEX 01 00:00:00\n"
                        "  TRACK 02 AUDIO\n"
                        "    TITLE \"Two\"\n"
                        "    PERFORMER \"Singer\"\n"
                        "    INDEX 00 00:05:25\n"
                        "    INDEX 01 00:07:25\n"
                        "  TRACK 03 AUDIO\n"
                        "    TITLE \"Three\"\n"
                        "    PERFORMER \"Band\"\n"
                        "    INDEX 01 00:12:00\n"
                        "    INDEX 02 00:13:25\n");
        emu_test_free(e);
}

static void test_sao_refusals(void)
{
        g_autoptr(GByteArray) cue = audio_cue(false, false);
        EmuTest *e = emu_test_new();
        g_autofree uint8_t *buf = g_malloc0(32 * 2352);
        uint8_t p[48];
        ScsiCommand c;

        emu_test_load(e, 0x0009);
        emu_page05_tao_data(e, 0, false);
        c = send_cue(e, cue);
        assert_sense(c, 0x5, 0x2c, 0x00); /* not in SAO mode */
        page_sao(e, 0, false);
        /* a cue sheet is 8-byte entries */
        c = emu_out(e, CDB(0x5d, 0, 0, 0, 0, 0, 0, 0, 12, 0), cue->data, 12);
        assert_sense(c, 0x5, 0x24, 0x00);
        {
                g_autoptr(GByteArray) bad = audio_cue(false, false);

                bad->data[8 * 3 + 7] = 1; /* track 1 INDEX 01 at 00:02:01, not the NWA */
                c = send_cue(e, bad);
                assert_sense(c, 0x5, 0x26, 0x00);
                g_assert_cmpuint(get_be16(c.sense + 16), ==, 5);
        }
        {
                g_autoptr(GByteArray) bad = audio_cue(false, false);

                bad->data[8 * 5 + 6] = 3; /* track 2 at 00:03:00 / 00:05:00: track 1 under 4 s */
                bad->data[8 * 5 + 7] = 0;
                bad->data[8 * 6 + 6] = 5;
                bad->data[8 * 6 + 7] = 0;
                c = send_cue(e, bad);
                assert_sense(c, 0x5, 0x26, 0x00);
        }
        {
                g_autoptr(GByteArray) bad = audio_cue(false, false);

                bad->data[8 * 6 + 1] = 5; /* track numbers must follow */
                c = send_cue(e, bad);
                assert_sense(c, 0x5, 0x26, 0x00);
                g_byte_array_unref(bad);
                bad = audio_cue(false, false);
                bad->data[8 * 4 + 3] = 0x10; /* data form of an audio track */
                c = send_cue(e, bad);
                assert_sense(c, 0x5, 0x26, 0x00);
                g_byte_array_unref(bad);
                bad = audio_cue(false, false);
                bad->data[bad->len - 3] = 80; /* lead-out at 80:xx: beyond the disc */
                c = send_cue(e, bad);
                assert_sense(c, 0x5, 0x21, 0x00);
        }
        c = send_cue(e, cue);
        assert_good(c);
        c = emu_write(e, 0, 1, buf, 2352);
        assert_sense(c, 0x5, 0x21, 0x02); /* the pregap comes first */
        /* audio blocks are 2352 bytes, as the cue sheet says */
        g_assert_cmpint(emu_run(e, CDB(0x2a, 0, 0xff, 0xff, 0xff, 0x6a, 0, 0, 1, 0),
                                TRANSPORT_DIRECTION_TO_DEVICE, buf, 2048, &c),
                        ==, -EINVAL);
        c = emu_write(e, -150, 1, buf, 2352);
        assert_good(c);
        c = emu_track_info(e, 0xff, p);
        assert_good(c); /* the disc is still blank until the session is done */
        g_assert_cmpuint(get_be32(p + 12), ==, 0);
        emu_test_free(e);
}

static void test_sao_partial_and_cdtext_crc(void)
{
        g_autoptr(GByteArray) cue = audio_cue(true, false);
        EmuTest *e = emu_test_new();
        uint8_t p[48], block[96];
        Packs packs;
        ScsiCommand c;

        emu_test_load(e, 0x0009);
        page_sao(e, 0, false);
        c = send_cue(e, cue);
        assert_good(c);
        make_packs(&packs);
        packs.p[1][5] ^= 0x01; /* a damaged pack */
        for (int i = 0; i < 4; i++)
                pack_spread(packs.p[i], block + 24 * i);
        c = emu_write(e, -11635, 1, block, 96);
        assert_sense(c, 0x5, 0x26, 0x00);
        make_packs(&packs);
        write_leadin(e, -11635, &packs);
        emu_write_pattern(e, -150, 150, 2352, 0);
        write_audio(e, 0, 400, 1);
        /* SYNCHRONIZE CACHE before the end: nothing is closed yet */
        assert_good(emu_sync(e));
        c = emu_disc_info(e, p);
        assert_good(c);
        g_assert_cmphex(p[2], ==, 0x00);
        write_audio(e, 400, 800, 2);
        assert_good(emu_sync(e));
        c = emu_disc_info(e, p);
        assert_good(c);
        g_assert_cmphex(p[2], ==, 0x0e);
        emu_test_free(e);
}

static void test_sao_test_write(void)
{
        g_autoptr(GByteArray) cue = audio_cue(false, true);
        EmuTest *e = emu_test_new();
        uint8_t p[48];
        ScsiCommand c;

        emu_test_load(e, 0x000a);
        page_sao(e, 0, true);
        c = send_cue(e, cue);
        assert_good(c);
        emu_write_pattern(e, -150, 150, 2352, 0);
        write_audio(e, 0, 1200, 1);
        assert_good(emu_sync(e));
        c = emu_disc_info(e, p);
        assert_good(c);
        g_assert_cmphex(p[2], ==, 0x10); /* CD-RW still blank */
        emu_test_free(e);
}

static void test_tao_audio(void)
{
        EmuTest *e = emu_test_new();
        g_autofree char *sheet = NULL;
        uint8_t p[100];
        ScsiCommand c;
        int fd;
        EmuTestPage05 w = {.write_type = 1,
                           .track_mode = 0,
                           .data_block_type = 0,
                           .audio_pause = 150,
                           .isrc = "GBXYZ9900001"};

        emu_test_load(e, 0x0009);
        c = emu_page05(e, &w);
        assert_good(c);
        write_audio(e, 0, 400, 1);
        assert_good(emu_sync(e));
        w.isrc = NULL;
        c = emu_page05(e, &w);
        assert_good(c);
        g_assert_cmpuint(emu_nwa(e, 0xff), ==, 402 + 150); /* run-out, then the audio pause */
        write_audio(e, 552, 300, 2);
        assert_good(emu_sync(e));
        w.audio_pause = 0;
        c = emu_page05(e, &w);
        assert_good(c);
        g_assert_cmpuint(emu_nwa(e, 0xff), ==, 552 + 302); /* no pause */
        write_audio(e, 854, 300, 3);
        assert_good(emu_sync(e));
        assert_good(emu_close(e, 0x2, 0));

        c = emu_in(e, CDB(0x43, 0, 0, 0, 0, 0, 0, 0, 100, 0), p, 100);
        assert_good(c);
        g_assert_cmpuint(get_be16(p), ==, 2 + 4 * 8);
        g_assert_cmphex(p[5] & 0x0f, ==, 0);
        g_assert_cmpuint(get_be32(p + 16), ==, 552);
        g_assert_cmpuint(get_be32(p + 24), ==, 854);
        g_assert_cmpuint(get_be32(p + 32), ==, 1156);
        g_assert_cmpint(emu_drive_open_image(e->drive, &fd, &sheet), ==, 0);
        g_assert_cmpint(lseek(fd, 0, SEEK_END), ==, (off_t) (854 + 300) * 2352);
        close(fd);
        g_assert_nonnull(strstr(sheet, "  TRACK 01 AUDIO\n    ISRC GBXYZ9900001\n    INDEX 01 00:00:00\n"));
        g_assert_nonnull(strstr(sheet, "  TRACK 02 AUDIO\n    INDEX 00 00:05:27\n    INDEX 01 00:07:27\n"));
        g_assert_nonnull(strstr(sheet, "  TRACK 03 AUDIO\n    INDEX 01 00:11:29\n"));
        emu_test_free(e);
}

static void test_sao_data_and_mixed(void)
{
        g_autoptr(GByteArray) cue = g_byte_array_new();
        EmuTest *e = emu_test_new();
        g_autofree char *sheet = NULL;
        uint8_t p[48];
        ScsiCommand c;
        int fd;

        emu_test_load(e, 0x0009);
        page_sao(e, 3, false);
        cue_entry(cue, 0x41, 0, 0, 0x14, -150);
        cue_entry(cue, 0x41, 1, 0, 0x10, -150);
        cue_entry(cue, 0x41, 1, 1, 0x10, 0);
        cue_entry(cue, 0x41, 0xaa, 1, 0x14, 500);
        c = send_cue(e, cue);
        assert_good(c);
        emu_write_pattern(e, -150, 150, 2048, 0);
        emu_write_pattern(e, 0, 500, 2048, 4);
        assert_good(emu_sync(e));
        c = emu_disc_info(e, p);
        assert_good(c);
        g_assert_cmphex(p[2], ==, 0x01); /* appendable: multi-session 11b */
        emu_check_pattern(e, 0, 500, 4);
        g_assert_cmpint(emu_drive_open_image(e->drive, &fd, &sheet), ==, 0);
        g_assert_null(sheet);
        g_assert_cmpint(lseek(fd, 0, SEEK_END), ==, (off_t) 500 * 2048);
        close(fd);
        /* an audio track in the next session makes a mixed disc */
        {
                EmuTestPage05 w = {.write_type = 1, .track_mode = 0, .data_block_type = 0};

                c = emu_page05(e, &w);
                assert_good(c);
                write_audio(e, 500 + 11400, 300, 5);
                assert_good(emu_sync(e));
        }
        g_assert_cmpint(emu_drive_open_image(e->drive, &fd, &sheet), ==, -EMEDIUMTYPE);
        emu_test_free(e);
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/emu/audio/sao-cdtext", test_sao_cdtext);
        g_test_add_func("/emu/audio/sao-refusals", test_sao_refusals);
        g_test_add_func("/emu/audio/sao-partial-and-cdtext-crc", test_sao_partial_and_cdtext_crc);
        g_test_add_func("/emu/audio/sao-test-write", test_sao_test_write);
        g_test_add_func("/emu/audio/tao-audio", test_tao_audio);
        g_test_add_func("/emu/audio/sao-data-and-mixed", test_sao_data_and_mixed);
        return g_test_run();
}
