/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Write parameters, writing, buffer capacity, cache flush, closing, cue sheets, reading back. */
#include <errno.h>

#include "bytes.h"
#include "cdb.h"
#include "imapi-error.h"
#include "log.h"
#include "macros.h"
#include "mmc-blank.h"
#include "mmc-command.h"
#include "mmc-write.h"
#include "spc.h"

#define CLOSE_TIMEOUT_DEFAULT_MS (15u * 60u * 1000u)

/* ---- Mode page 05h ---------------------------------------------------------------------------- */

void mmc_write_parameters_cd_data_tao(MmcWriteParameters *p, bool test_write, bool bufe, bool keep_open)
{
        *p = (MmcWriteParameters){
                .write_type = MMC_WRITE_TYPE_TAO,
                .test_write = test_write,
                .bufe = bufe,
                .multisession = keep_open ? MMC_MULTISESSION_OPEN : MMC_MULTISESSION_FINAL,
                .track_mode = MMC_TRACK_MODE_DATA,
                .data_block_type = MMC_BLOCK_TYPE_MODE1_2048,
                .session_format = 0x00,
        };
}

void mmc_write_parameters_cd_audio_tao(MmcWriteParameters *p, bool test_write, bool bufe, bool keep_open)
{
        *p = (MmcWriteParameters){
                .write_type = MMC_WRITE_TYPE_TAO,
                .test_write = test_write,
                .bufe = bufe,
                .multisession = keep_open ? MMC_MULTISESSION_OPEN : MMC_MULTISESSION_FINAL,
                .track_mode = MMC_TRACK_MODE_AUDIO,
                .data_block_type = MMC_BLOCK_TYPE_RAW_2352,
                .audio_pause_length = 150,
        };
}

void mmc_write_parameters_cd_audio_sao(MmcWriteParameters *p, bool test_write, bool bufe, const char *mcn)
{
        *p = (MmcWriteParameters){
                .write_type = MMC_WRITE_TYPE_SAO,
                .test_write = test_write,
                .bufe = bufe,
                .multisession = MMC_MULTISESSION_FINAL,
                .track_mode = MMC_TRACK_MODE_AUDIO,
                .data_block_type = MMC_BLOCK_TYPE_RAW_2352,
                .audio_pause_length = 150,
        };
        if (mcn)
                g_strlcpy(p->mcn, mcn, sizeof(p->mcn));
}

void mmc_write_parameters_dvd_minus(MmcWriteParameters *p, bool incremental, bool test_write, bool bufe,
                                    bool keep_open, uint8_t link_size)
{
        *p = (MmcWriteParameters){
                .write_type = incremental ? MMC_WRITE_TYPE_INCREMENTAL : MMC_WRITE_TYPE_SAO,
                .test_write = test_write,
                .bufe = bufe,
                .multisession = incremental && keep_open ? MMC_MULTISESSION_OPEN : MMC_MULTISESSION_FINAL,
                .track_mode = MMC_TRACK_MODE_DATA_INCREMENTAL,
                .data_block_type = MMC_BLOCK_TYPE_MODE1_2048,
        };
        if (incremental) {
                /* Fixed packets of one ECC block (16 sectors), the link size the drive reported. */
                p->link_size_valid = true;
                p->link_size = link_size > 0 ? link_size : 16;
                p->fixed_packet = true;
                p->packet_size = 16;
        }
}

static bool char_is_digit(char c)
{
        return c >= '0' && c <= '9';
}

static bool char_is_alnum(char c)
{
        return char_is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool string_is(const char *s, size_t n, bool (*pred)(char))
{
        if (strnlen(s, n + 1) != n)
                return false;
        for (size_t i = 0; i < n; i++)
                if (!pred(s[i]))
                        return false;
        return true;
}

int mmc_write_parameters_page_build(const MmcWriteParameters *p, uint8_t *page, size_t page_len)
{
        if (page_len < MMC_PAGE_WRITE_PARAMETERS_LEN + 2 || page_len > 0xff + 2)
                return -EINVAL;
        if (p->mcn[0] && !string_is(p->mcn, 13, char_is_digit))
                return -EINVAL;
        if (p->isrc[0] && !string_is(p->isrc, 12, char_is_alnum))
                return -EINVAL;

        memset(page, 0, page_len);
        page[0] = MMC_PAGE_WRITE_PARAMETERS;
        page[1] = (uint8_t) (page_len - 2);
        page[2] = (uint8_t) ((p->bufe ? 0x40 : 0) | (p->link_size_valid ? 0x20 : 0) |
                             (p->test_write ? 0x10 : 0) | (p->write_type & 0x0f));
        page[3] = (uint8_t) ((p->multisession & 0x3) << 6 | (p->fixed_packet ? 0x20 : 0) |
                             (p->copy ? 0x10 : 0) | (p->track_mode & 0x0f));
        page[4] = p->data_block_type & 0x0f;
        page[5] = p->link_size;
        page[8] = p->session_format;
        be32_put(page + 10, p->packet_size);
        be16_put(page + 14, p->audio_pause_length);
        if (p->mcn[0]) {
                page[16] = 0x80; /* MCVAL */
                memcpy(page + 17, p->mcn, 13);
        }
        if (p->isrc[0]) {
                page[32] = 0x80; /* TCVAL */
                memcpy(page + 33, p->isrc, 12);
        }
        return 0;
}

int mmc_set_write_parameters(Transport *t, const MmcWriteParameters *p)
{
        uint8_t page[MODE_PAGE_MAX + 2];
        size_t len = MMC_PAGE_WRITE_PARAMETERS_LEN + 2;
        int r;

        /* Use the drive's page length (0x32 or 0x36): some drives refuse a shorter page. */
        r = spc_mode_sense_page(t, 0, MMC_PAGE_WRITE_PARAMETERS, page, sizeof(page));
        if (r == -IMAPI_ERROR_DEVICE_NOT_PRESENT)
                return r;
        if (r >= 2 && page[1] + 2 >= MMC_PAGE_WRITE_PARAMETERS_LEN + 2)
                len = (size_t) page[1] + 2;
        r = mmc_write_parameters_page_build(p, page, len);
        if (r < 0)
                return r;
        return spc_mode_select_page(t, page, len);
}

/* ---- Tracks, writing, reading ----------------------------------------------------------------- */

int mmc_reserve_track(Transport *t, uint32_t blocks)
{
        ScsiCommand cmd;

        cdb_reserve_track(&cmd, blocks);
        return mmc_execute(t, &cmd);
}

int mmc_write(Transport *t, uint32_t lba, const void *buf, uint32_t blocks, size_t block_size,
              bool streaming)
{
        ScsiCommand cmd;

        if (blocks == 0 || block_size == 0 || (size_t) blocks > SIZE_MAX / block_size)
                return -EINVAL;
        if (blocks <= 0xffff && !streaming)
                cdb_write_10(&cmd, lba, (uint16_t) blocks, buf, (size_t) blocks * block_size);
        else
                cdb_write_12(&cmd, lba, blocks, streaming, buf, (size_t) blocks * block_size);
        return mmc_execute(t, &cmd);
}

int mmc_read(Transport *t, uint32_t lba, void *buf, uint32_t blocks, size_t block_size)
{
        ScsiCommand cmd;

        if (blocks == 0 || block_size == 0 || (size_t) blocks > SIZE_MAX / block_size)
                return -EINVAL;
        if (blocks <= 0xffff)
                cdb_read_10(&cmd, lba, (uint16_t) blocks, buf, (size_t) blocks * block_size);
        else
                cdb_read_12(&cmd, lba, blocks, buf, (size_t) blocks * block_size);
        return mmc_execute(t, &cmd);
}

int mmc_read_cd(Transport *t, uint32_t lba, void *buf, uint32_t blocks, size_t block_size)
{
        ScsiCommand cmd;

        if (blocks == 0 || blocks > 0xffffff || block_size == 0 || (size_t) blocks > SIZE_MAX / block_size)
                return -EINVAL;
        cdb_read_cd(&cmd, lba, blocks, buf, (size_t) blocks * block_size);
        return mmc_execute(t, &cmd);
}

int mmc_buffer_capacity_parse(const uint8_t *buf, size_t len, MmcBufferCapacity *ret)
{
        MmcBufferCapacity c;

        if (len < 12 || be32_read(buf, len, 4, &c.size) < 0 || be32_read(buf, len, 8, &c.blank) < 0)
                return -EBADMSG;
        if (c.blank > c.size) /* drives lie; a full-blank buffer is the most that can be true */
                c.blank = c.size;
        *ret = c;
        return 0;
}

int mmc_read_buffer_capacity(Transport *t, MmcBufferCapacity *ret)
{
        uint8_t buf[12] = {};
        ScsiCommand cmd;
        int r;

        cdb_read_buffer_capacity(&cmd, buf, sizeof(buf));
        r = mmc_execute(t, &cmd);
        if (r < 0)
                return r;
        r = mmc_buffer_capacity_parse(buf, mmc_data_len(&cmd), ret);
        return r < 0 ? -IMAPI_ERROR_RECORDER_INVALID_RESPONSE_FROM_DEVICE : 0;
}

int mmc_synchronize_cache(Transport *t, unsigned timeout_ms)
{
        ScsiCommand cmd;
        int r;

        cdb_synchronize_cache(&cmd, true);
        r = mmc_execute(t, &cmd);
        if (r < 0)
                return r;
        return mmc_wait_ready(t, timeout_ms ? timeout_ms : CLOSE_TIMEOUT_DEFAULT_MS, NULL, NULL);
}

int mmc_close_track_session(Transport *t, uint8_t close_function, uint16_t number, unsigned timeout_ms)
{
        ScsiCommand cmd;
        int r;

        cdb_close_track_session(&cmd, true, close_function, number);
        r = mmc_execute(t, &cmd);
        if (r < 0)
                return r;
        return mmc_wait_ready(t, timeout_ms ? timeout_ms : CLOSE_TIMEOUT_DEFAULT_MS, NULL, NULL);
}

static int close_track_then_session(Transport *t, uint16_t track, uint8_t session_function)
{
        int r;

        r = mmc_close_track_session(t, MMC_CLOSE_TRACK, track, 0);
        if (r < 0)
                return r;
        return mmc_close_track_session(t, session_function, 0, 0);
}

int mmc_close_after_write(Transport *t, const MediaInfo *m, uint16_t track, bool finalize, bool dao)
{
        switch (m->profile) {
        case MMC_PROFILE_CD_R:
        case MMC_PROFILE_CD_RW:
                /* No CLOSE TRACK on CD TAO (drives reject it); SAO: the drive wrote lead-in/out itself. */
                return dao ? 0 : mmc_close_track_session(t, MMC_CLOSE_SESSION, 0, 0);
        case MMC_PROFILE_DVD_R_SEQ:
        case MMC_PROFILE_DVD_RW_SEQ:
        case MMC_PROFILE_DVD_R_DL_SEQ:
                return dao ? 0 : close_track_then_session(t, track, MMC_CLOSE_SESSION);
        case MMC_PROFILE_DVD_PLUS_R:
        case MMC_PROFILE_DVD_PLUS_R_DL:
                return close_track_then_session(
                        t, track, finalize ? MMC_CLOSE_FINALIZE_MINIMAL_RADIUS : MMC_CLOSE_SESSION);
        case MMC_PROFILE_BD_R_SRM:
                return close_track_then_session(t, track, finalize ? MMC_CLOSE_FINALIZE : MMC_CLOSE_SESSION);
        case MMC_PROFILE_DVD_PLUS_RW:
        case MMC_PROFILE_DVD_RW_RO:
                return mmc_close_track_session(t, MMC_CLOSE_SESSION, 0, 0);
        case MMC_PROFILE_BD_RE:
        case MMC_PROFILE_DVD_RAM:
                return 0;
        default:
                return -IMAPI_ERROR_NOT_SUPPORTED;
        }
}

int mmc_send_cue_sheet(Transport *t, const void *cue_sheet, size_t len)
{
        ScsiCommand cmd;

        if (len == 0 || len % 8 != 0 || len > 0xffffff)
                return -EINVAL;
        cdb_send_cue_sheet(&cmd, cue_sheet, len);
        return mmc_execute(t, &cmd);
}
