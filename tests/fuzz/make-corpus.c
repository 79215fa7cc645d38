/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/) from real answers: the daemon's
 * own MMC code probes the emulated drive with every medium, blank and after a burn, through a Transport
 * that records each answer (and each sense) in the corpus of the target that parses it; CD-TEXT packs,
 * their lead-in sub-channel and cue sheets come from the audio engine's builders.
 *   make-corpus CORPUS_DIR        (tests/fuzz/make-corpus.sh adds the ISO 9660 and UDF seeds) */
#include <stdio.h>
#include <stdlib.h>

#include "audio-cdtext.h"
#include "audio-cuesheet.h"
#include "audio-layout.h"
#include "emu-drive.h"
#include "mmc-config.h"
#include "mmc-disc.h"
#include "mmc-media.h"
#include "mmc-speed.h"
#include "mmc-write.h"
#include "spc.h"

typedef struct Recorder {
        Transport transport;
        Transport *inner;
} Recorder;

static const char *corpus;

/* One file per distinct input, named by its checksum: running again gives the same files. */
static void seed(const char *target, int selector, int extra, const void *data, size_t size)
{
        g_autoptr(GByteArray) a = g_byte_array_new();
        g_autofree char *dir = g_build_filename(corpus, target, NULL), *sum = NULL, *path = NULL;
        uint8_t b;

        if (selector >= 0) {
                b = (uint8_t) selector;
                g_byte_array_append(a, &b, 1);
        }
        if (extra >= 0) {
                b = (uint8_t) extra;
                g_byte_array_append(a, &b, 1);
        }
        g_byte_array_append(a, data, (guint) size);
        sum = g_compute_checksum_for_data(G_CHECKSUM_SHA1, a->data, a->len);
        sum[16] = '\0';
        path = g_build_filename(dir, sum, NULL);
        if (g_mkdir_with_parents(dir, 0755) < 0 || !g_file_set_contents(path, (char *) a->data, a->len, NULL))
                abort();
}

static void record_answer(const ScsiCommand *c)
{
        const uint8_t *d = c->data;
        size_t n = c->transferred;
        static const int toc_selector[16] = { [0] = 2, [1] = 3, [2] = 4, [4] = 5, [5] = 6,
                                              [3] = -1, [6 ... 15] = -1 };

        switch (c->cdb[0]) {
        case 0x12: seed("fuzz-spc", 0, -1, d, n); break;
        case 0x5a:
                seed("fuzz-spc", 2, c->cdb[2] & 0x3f, d, n);
                if ((c->cdb[2] & 0x3f) == 0x2a)
                        seed("fuzz-mmc-speed", 0, -1, d, n);
                break;
        case 0x46: seed("fuzz-mmc-config", -1, -1, d, n); break;
        case 0x51: seed("fuzz-mmc-disc", 0, -1, d, n); break;
        case 0x52: seed("fuzz-mmc-disc", 1, -1, d, n); break;
        case 0x43:
                if (toc_selector[c->cdb[2] & 0x0f] >= 0)
                        seed("fuzz-mmc-disc", toc_selector[c->cdb[2] & 0x0f], -1, d, n);
                break;
        case 0x25: seed("fuzz-mmc-disc", 7, -1, d, n); break;
        case 0x23: seed("fuzz-mmc-disc", 8, -1, d, n); break;
        case 0xad: seed("fuzz-mmc-disc", 9, -1, d, n); break;
        case 0x4a: seed("fuzz-mmc-disc", 10, -1, d, n); break;
        case 0xac: seed("fuzz-mmc-speed", 1, -1, d, n); break;
        case 0x5c: seed("fuzz-mmc-speed", 2, -1, d, n); break;
        default: break;
        }
}

static int recorder_execute(Transport *t, ScsiCommand *c)
{
        Recorder *r = (Recorder *) t;
        int k = transport_execute(r->inner, c);

        if (k < 0)
                return k;
        if (c->status == SCSI_STATUS_CHECK_CONDITION && c->sense_len > 0)
                seed("fuzz-spc", 1, -1, c->sense, c->sense_len);
        else if (c->direction == TRANSPORT_DIRECTION_FROM_DEVICE && c->transferred > 0)
                record_answer(c);
        return k;
}

static void recorder_free(Transport *t)
{
        Recorder *r = (Recorder *) t;

        transport_free(r->inner);
        g_free(r);
}

static const TransportOps recorder_ops = { .name = "record", .execute = recorder_execute, .free = recorder_free };

static void probe(Transport *t)
{
        g_autofree MmcFullToc *full = g_new0(MmcFullToc, 1);
        g_autofree uint8_t *text = NULL;
        MmcFormatCapacities caps;
        MmcWriteProtection wp;
        MmcBufferCapacity buf;
        MmcSessionInfo session;
        MmcMediaEvent event;
        MmcTrackInfo track;
        MmcWriteSpeeds speeds;
        MmcCapacity cap;
        MmcDiscInfo disc;
        MediaInfo media;
        DriveInfo drive;
        MmcAtip atip;
        MmcToc toc;
        size_t len;

        (void) spc_test_unit_ready(t);
        (void) mmc_probe_drive(t, &drive);
        (void) mmc_probe_media(t, &drive, &media);
        (void) mmc_read_disc_information(t, &disc);
        (void) mmc_read_track_information(t, 1, 1, &track);
        (void) mmc_read_track_information(t, 1, 0xff, &track);
        (void) mmc_read_toc(t, &toc);
        (void) mmc_read_session_info(t, &session);
        (void) mmc_read_full_toc(t, full);
        (void) mmc_read_atip(t, &atip);
        (void) mmc_read_cd_text(t, &text, &len);
        (void) mmc_read_capacity(t, &cap);
        (void) mmc_read_format_capacities(t, &caps);
        (void) mmc_read_write_protection(t, 0, &wp);
        (void) mmc_get_media_event(t, &event);
        (void) mmc_get_write_speeds(t, &speeds);
        (void) mmc_read_buffer_capacity(t, &buf);
}

/* A data track written Track-at-Once and the session closed: a CD with a TOC. */
static void burn_cd_data(Transport *t)
{
        g_autofree uint8_t *blocks = g_malloc0(300 * 2048);
        MmcWriteParameters p;

        mmc_write_parameters_cd_data_tao(&p, false, false, true);
        if (mmc_set_write_parameters(t, &p) < 0 || mmc_write(t, 0, blocks, 300, 2048, false) < 0 ||
            mmc_synchronize_cache(t, 0) < 0 || mmc_close_track_session(t, MMC_CLOSE_SESSION, 0, 0) < 0)
                fprintf(stderr, "make-corpus: the CD-R burn failed, its seeds are missing\n");
}

static void drive_seeds(void)
{
        static const uint16_t profiles[] = { 0x09, 0x0a, 0x11, 0x12, 0x14, 0x15, 0x1a, 0x1b, 0x2b, 0x41, 0x43 };
        g_autoptr(EmuDrive) d = NULL;
        Recorder *r;

        if (emu_drive_new("corpus", NULL, NULL, &d, NULL) < 0)
                abort();
        r = g_new0(Recorder, 1);
        r->transport.ops = &recorder_ops;
        r->inner = emu_drive_new_transport(d);
        g_autoptr(Transport) t = &r->transport;

        probe(t); /* no disc */
        for (size_t i = 0; i < G_N_ELEMENTS(profiles); i++) {
                if (emu_drive_load_medium(d, profiles[i]) < 0)
                        abort();
                probe(t);
        }
        if (emu_drive_load_medium(d, 0x09) < 0)
                abort();
        (void) spc_test_unit_ready(t);
        burn_cd_data(t);
        probe(t);
}

static void audio_seeds(void)
{
        g_autoptr(AudioLayout) l = audio_layout_new();
        g_autofree uint8_t *packs = NULL, *sheet = NULL, *plain = NULL, *subcode = NULL;
        size_t n_packs, size, plain_size;
        g_autoptr(GByteArray) toc = g_byte_array_new();
        uint8_t header[4];

        for (unsigned i = 0; i < 3; i++)
                if (audio_layout_add_track(l, 300 + 75 * i, i == 2 ? 0 : 150) < 0)
                        abort();
        g_strlcpy(l->mcn, "1234567890128", sizeof(l->mcn));
        g_strlcpy(l->tracks[1].isrc, "USABC1234567", sizeof(l->tracks[1].isrc));
        l->title = g_strdup("Fuzz Album");
        l->performer = g_strdup("The Seeds");
        l->tracks[0].title = g_strdup("One");
        l->tracks[2].title = g_strdup("Trois \xc3\xa9t\xc3\xa9");
        l->tracks[2].performer = g_strdup("Someone Else");
        if (cdtext_build(l, &packs, &n_packs) < 0 || audio_cuesheet_build(l, true, &sheet, &size) < 0 ||
            audio_cuesheet_build(l, false, &plain, &plain_size) < 0)
                abort();
        seed("fuzz-cdtext", 0, -1, packs, n_packs * CDTEXT_PACK_SIZE);
        seed("fuzz-cdtext", 2, -1, packs, n_packs * CDTEXT_PACK_SIZE);
        seed("fuzz-cdtext", 3, -1, packs, n_packs * CDTEXT_PACK_SIZE);
        subcode = g_malloc(96 * 2 * ((n_packs + 3) / 4));
        cdtext_fill_subcode(packs, n_packs, 0, subcode, 2 * ((n_packs + 3) / 4));
        seed("fuzz-cdtext", 1, -1, subcode, 96 * 2 * ((n_packs + 3) / 4));
        seed("fuzz-cue-sheet", -1, -1, sheet, size);
        seed("fuzz-cue-sheet", -1, -1, plain, plain_size);
        /* READ TOC format 5: a 4-byte header (data length, two reserved bytes), then the packs. */
        header[0] = (uint8_t) ((n_packs * CDTEXT_PACK_SIZE + 2) >> 8);
        header[1] = (uint8_t) (n_packs * CDTEXT_PACK_SIZE + 2);
        header[2] = header[3] = 0;
        g_byte_array_append(toc, header, 4);
        g_byte_array_append(toc, packs, (guint) (n_packs * CDTEXT_PACK_SIZE));
        seed("fuzz-mmc-disc", 6, -1, toc->data, toc->len);
}

int main(int argc, char **argv)
{
        if (argc != 2) {
                fprintf(stderr, "usage: make-corpus CORPUS_DIR\n");
                return EXIT_FAILURE;
        }
        corpus = argv[1];
        drive_seeds();
        audio_seeds();
        return EXIT_SUCCESS;
}
