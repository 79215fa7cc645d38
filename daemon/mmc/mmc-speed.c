/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Mode page 2Ah, GET PERFORMANCE, SET CD SPEED, SET STREAMING. */
#include <errno.h>

#include "bytes.h"
#include "cdb.h"
#include "imapi-error.h"
#include "log.h"
#include "macros.h"
#include "mmc-command.h"
#include "mmc-speed.h"
#include "spc.h"

int mmc_capabilities_parse(const uint8_t *page, size_t len, MmcCapabilities *ret)
{
        MmcCapabilities c = {};
        uint8_t b[8] = {};
        uint16_t n = 0;

        if (bytes_read(page, len, 0, b, sizeof(b)) < 0 || (b[0] & 0x3f) != MMC_PAGE_CAPABILITIES)
                return -EBADMSG;
        len = MIN(len, (size_t) b[1] + 2);
        c.cd_r_read = b[2] & 0x01;
        c.cd_rw_read = b[2] & 0x02;
        c.dvd_rom_read = b[2] & 0x08;
        c.dvd_r_read = b[2] & 0x10;
        c.dvd_ram_read = b[2] & 0x20;
        c.cd_r_write = b[3] & 0x01;
        c.cd_rw_write = b[3] & 0x02;
        c.test_write = b[3] & 0x04;
        c.dvd_r_write = b[3] & 0x10;
        c.dvd_ram_write = b[3] & 0x20;
        c.multisession = b[4] & 0x40;
        c.bufe = b[4] & 0x80;
        c.lock = b[6] & 0x01;
        c.lock_state = b[6] & 0x02;
        c.prevent_jumper = b[6] & 0x04;
        c.eject = b[6] & 0x08;
        c.loading_mechanism = b[6] >> 5;
        (void) be16_read(page, len, 12, &c.buffer_size_kb);
        (void) be16_read(page, len, 18, &c.max_write_kbps);
        if (be16_read(page, len, 28, &c.current_write_kbps) < 0 || c.current_write_kbps == 0)
                (void) be16_read(page, len, 20, &c.current_write_kbps);
        (void) be16_read(page, len, 30, &n);
        for (size_t i = 0; i < n && c.n_write_kbps < MMC_SPEEDS_MAX; i++) {
                uint16_t kbps;

                if (be16_read(page, len, 32 + 4 * i + 2, &kbps) < 0)
                        break;
                if (kbps > 0)
                        c.write_kbps[c.n_write_kbps++] = kbps;
        }
        *ret = c;
        return 0;
}

int mmc_read_capabilities(Transport *t, MmcCapabilities *ret)
{
        uint8_t page[MODE_PAGE_MAX + 2];
        int r;

        r = spc_mode_sense_page(t, 0, MMC_PAGE_CAPABILITIES, page, sizeof(page));
        if (r < 0)
                return r;
        r = mmc_capabilities_parse(page, (size_t) r, ret);
        return r < 0 ? -IMAPI_ERROR_RECORDER_INVALID_RESPONSE_FROM_DEVICE : 0;
}

int mmc_write_speeds_parse(const uint8_t *buf, size_t len, MmcWriteSpeeds *ret)
{
        MmcWriteSpeeds s = {};
        uint32_t dlen;
        size_t end;

        if (be32_read(buf, len, 0, &dlen) < 0 || len < 8)
                return -EBADMSG;
        end = MIN(len, (size_t) dlen + 4);
        for (size_t off = 8; off + 16 <= end && s.n < MMC_SPEEDS_MAX; off += 16) {
                MmcWriteSpeedDescriptor *d = &s.d[s.n];
                uint8_t b0 = 0;

                (void) u8_read(buf, end, off, &b0);
                d->wrc = (b0 >> 3) & 0x3;
                d->rdd = b0 & 0x04;
                d->exact = b0 & 0x02;
                d->mrw = b0 & 0x01;
                (void) be32_read(buf, end, off + 4, &d->end_lba);
                (void) be32_read(buf, end, off + 8, &d->read_kbps);
                (void) be32_read(buf, end, off + 12, &d->write_kbps);
                if (d->write_kbps > 0)
                        s.n++;
        }
        *ret = s;
        return 0;
}

int mmc_get_write_speeds(Transport *t, MmcWriteSpeeds *ret)
{
        uint8_t buf[8 + 16 * MMC_SPEEDS_MAX] = {};
        ScsiCommand cmd;
        int r;

        cdb_get_performance(&cmd, 0, 0, MMC_SPEEDS_MAX, 0x03, buf, sizeof(buf));
        r = mmc_execute(t, &cmd);
        if (r < 0)
                return r;
        r = mmc_write_speeds_parse(buf, mmc_data_len(&cmd), ret);
        return r < 0 ? -IMAPI_ERROR_RECORDER_INVALID_RESPONSE_FROM_DEVICE : 0;
}

int mmc_set_cd_speed(Transport *t, uint16_t read_kbps, uint16_t write_kbps)
{
        ScsiCommand cmd;

        cdb_set_cd_speed(&cmd, 0, read_kbps, write_kbps);
        return mmc_execute(t, &cmd);
}

void mmc_streaming_descriptor_build(uint8_t d[28], uint32_t end_lba, uint32_t read_kbps, uint32_t write_kbps)
{
        memset(d, 0, 28);
        be32_put(d + 4, 0); /* start LBA */
        be32_put(d + 8, end_lba);
        be32_put(d + 12, read_kbps); /* read size (kB) ... */
        be32_put(d + 16, 1000);      /* ... per read time (ms) */
        be32_put(d + 20, write_kbps);
        be32_put(d + 24, 1000);
}

int mmc_set_streaming(Transport *t, uint32_t end_lba, uint32_t read_kbps, uint32_t write_kbps)
{
        uint8_t d[28];
        ScsiCommand cmd;

        mmc_streaming_descriptor_build(d, end_lba, read_kbps, write_kbps);
        cdb_set_streaming(&cmd, d, sizeof(d));
        return mmc_execute(t, &cmd);
}

int mmc_set_write_speed_kbps(Transport *t, MediumClass medium, uint32_t end_lba, uint32_t kbps)
{
        int r;

        if (medium == MEDIUM_CLASS_DVD || medium == MEDIUM_CLASS_BD) {
                /* "Fastest" on DVD/BD needs a number: the caller passes the best it knows; without one,
                 * a very large value lets the drive pick its maximum. */
                uint32_t w = kbps > 0 ? kbps : UINT32_MAX / 2;
                r = mmc_set_streaming(t, end_lba, w, w);
                if (r >= 0)
                        return 0;
                log_debug("SET STREAMING failed (%s), trying SET CD SPEED", error_to_string(r));
        }
        return mmc_set_cd_speed(t, MMC_SPEED_MAX,
                                kbps > 0 && kbps < MMC_SPEED_MAX ? (uint16_t) kbps : MMC_SPEED_MAX);
}
