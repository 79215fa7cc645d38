/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* BLANK, FORMAT UNIT, and waiting for long operations with progress. */
#include <errno.h>

#include "bytes.h"
#include "cdb.h"
#include "imapi-error.h"
#include "log.h"
#include "macros.h"
#include "mmc-blank.h"
#include "mmc-command.h"
#include "spc.h"

#define POLL_INTERVAL_DEFAULT_MS 500u
#define WAIT_TIMEOUT_DEFAULT_MS  (60u * 60u * 1000u)

static unsigned poll_interval_ms = POLL_INTERVAL_DEFAULT_MS;

void mmc_set_poll_interval_ms(unsigned ms)
{
        poll_interval_ms = ms > 0 ? ms : POLL_INTERVAL_DEFAULT_MS;
}

/* Senses that mean "still working on it": keep polling. */
static bool sense_is_in_progress(const ScsiSense *s)
{
        return s->key == SENSE_KEY_NOT_READY && s->asc == 0x04 &&
               (s->ascq == 0x01 || s->ascq == 0x04 || s->ascq == 0x07 || s->ascq == 0x08);
}

/* The progress of a running operation: from the TEST UNIT READY sense, else from REQUEST SENSE. */
static void progress_read(Transport *t, const ScsiSense *tur_sense, bool *ret_valid, uint32_t *ret_done)
{
        ScsiSense s;

        *ret_valid = false;
        if (tur_sense->progress_valid) {
                *ret_valid = true;
                *ret_done = tur_sense->progress;
        } else if (spc_request_sense(t, &s) >= 0 && s.progress_valid) {
                *ret_valid = true;
                *ret_done = s.progress;
        }
}

int mmc_wait_ready(Transport *t, unsigned timeout_ms, MmcProgressFunc progress, void *userdata)
{
        int64_t deadline = g_get_monotonic_time() +
                           (int64_t) (timeout_ms ? timeout_ms : WAIT_TIMEOUT_DEFAULT_MS) * 1000;

        for (;;) {
                ScsiSense sense;
                uint32_t done = 0;
                bool valid;
                int r;

                r = spc_test_unit_ready_once(t, &sense);
                if (r >= 0)
                        return 0;
                if (!sense_is_in_progress(&sense) && sense.key != SENSE_KEY_UNIT_ATTENTION)
                        return r;
                if (g_get_monotonic_time() >= deadline)
                        return -IMAPI_ERROR_RECORDER_COMMAND_TIMEOUT;
                if (progress) {
                        progress_read(t, &sense, &valid, &done);
                        r = progress(valid, done, userdata);
                        if (r < 0)
                                return r;
                }
                g_usleep((gulong) poll_interval_ms * 1000);
        }
}

int mmc_blank(Transport *t, uint8_t type, uint32_t address, unsigned timeout_ms, MmcProgressFunc progress,
              void *userdata)
{
        ScsiCommand cmd;
        int r;

        if (type > MMC_BLANK_SESSION)
                return -EINVAL;
        cdb_blank(&cmd, true, type, address);
        r = mmc_execute(t, &cmd);
        if (r < 0)
                return r;
        return mmc_wait_ready(t, timeout_ms, progress, userdata);
}

void mmc_format_list_build(uint8_t list[12], const MmcFormatRequest *r, bool immed)
{
        memset(list, 0, 12);
        list[1] = 0x80 | (immed ? 0x02 : 0x00); /* FOV: the option bits are valid */
        be16_put(list + 2, 8);
        be32_put(list + 4, r->blocks);
        list[8] = (uint8_t) (r->type << 2 | (r->subtype & 0x3));
        be24_put(list + 9, r->parameter);
}

int mmc_format_unit(Transport *t, const MmcFormatRequest *r, unsigned timeout_ms, MmcProgressFunc progress,
                    void *userdata)
{
        uint8_t list[12];
        ScsiCommand cmd;
        int k;

        mmc_format_list_build(list, r, true);
        cdb_format_unit(&cmd, true, list, sizeof(list));
        k = mmc_execute(t, &cmd);
        if (k < 0)
                return k;
        return mmc_wait_ready(t, timeout_ms, progress, userdata);
}

static int format_from_descriptor(const MediaInfo *m, uint8_t type, uint32_t parameter,
                                  MmcFormatRequest *ret)
{
        const MmcFormatDescriptor *d;

        if (!m->formats_valid || !(d = mmc_format_capacities_find(&m->formats, type)))
                return -IMAPI_ERROR_RECORDER_MEDIA_INCOMPATIBLE;
        *ret = (MmcFormatRequest){.type = type,
                                  .blocks = d->blocks,
                                  .parameter = parameter != UINT32_MAX ? parameter : d->parameter};
        return 0;
}

int mmc_format_request_for_medium(const MediaInfo *m, MmcFormatRequest *ret)
{
        switch (m->profile) {
        case MMC_PROFILE_DVD_PLUS_RW:
                /* DVD+RW: the number of blocks from the descriptor, parameter 0; the drive formats in the
                 * background and the disc is writable at once. */
                return format_from_descriptor(m, 0x26, 0, ret);
        case MMC_PROFILE_BD_RE:
                /* Default spare areas (the drive's first 30h descriptor), no certification. */
                return format_from_descriptor(m, 0x30, UINT32_MAX, ret);
        case MMC_PROFILE_DVD_RAM:
                return format_from_descriptor(m, 0x00, 2048, ret);
        case MMC_PROFILE_DVD_RW_RO:
        case MMC_PROFILE_DVD_RW_SEQ:
                /* Quick format to restricted overwrite (15h), or quick grow (13h); ECC blocks of 16. */
                if (format_from_descriptor(m, 0x15, 16, ret) >= 0)
                        return 0;
                return format_from_descriptor(m, 0x13, 16, ret);
        default:
                return -IMAPI_ERROR_NOT_SUPPORTED;
        }
}
