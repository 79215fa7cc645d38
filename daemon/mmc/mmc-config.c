/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* GET CONFIGURATION (MMC-6 §6.5) and the feature descriptors of MMC-6 §5.3. */
#include <errno.h>
#include <stdlib.h>

#include "bytes.h"
#include "cdb.h"
#include "imapi-error.h"
#include "macros.h"
#include "mmc-command.h"
#include "mmc-config.h"

/* A feature descriptor's additional data: buf[0..len), cut to what the drive sent. */
typedef struct FeatureData {
        const uint8_t *buf;
        size_t len;
} FeatureData;

static bool bit(const FeatureData *d, size_t off, unsigned n)
{
        uint8_t v;
        return u8_read(d->buf, d->len, off, &v) >= 0 && (v >> n) & 1;
}

/* Feature 0000h: 4-byte profile descriptors. */
static void parse_profile_list(const FeatureData *d, MmcConfiguration *c)
{
        for (size_t off = 0; off + 4 <= d->len && c->n_profiles < MMC_PROFILES_MAX; off += 4) {
                uint16_t number;
                uint8_t flags;

                if (be16_read(d->buf, d->len, off, &number) < 0 ||
                    u8_read(d->buf, d->len, off + 2, &flags) < 0)
                        break;
                c->profiles[c->n_profiles++] = (MmcProfileEntry){number, flags & 0x01};
        }
}

static void parse_removable(const FeatureData *d, MmcConfiguration *c)
{
        uint8_t v;

        if (u8_read(d->buf, d->len, 0, &v) < 0)
                return;
        c->removable.loading_mechanism = v >> 5;
        c->removable.load = v & 0x10;
        c->removable.eject = v & 0x08;
        c->removable.lock = v & 0x01;
}

static void parse_incremental(const FeatureData *d, MmcConfiguration *c)
{
        uint8_t n = 0;

        (void) be16_read(d->buf, d->len, 0, &c->incremental.data_block_types);
        c->incremental.bufe = bit(d, 2, 0);
        c->incremental.arsv = bit(d, 2, 1);
        c->incremental.trio = bit(d, 2, 2);
        (void) u8_read(d->buf, d->len, 3, &n);
        c->incremental.n_link_sizes = 0;
        for (size_t i = 0; i < n && i < MMC_LINK_SIZES_MAX; i++) {
                if (u8_read(d->buf, d->len, 4 + i, &c->incremental.link_sizes[i]) < 0)
                        break;
                c->incremental.n_link_sizes++;
        }
}

static void parse_cd_tao(const FeatureData *d, MmcConfiguration *c)
{
        c->cd_tao.bufe = bit(d, 0, 6);
        c->cd_tao.rw_raw = bit(d, 0, 4);
        c->cd_tao.rw_pack = bit(d, 0, 3);
        c->cd_tao.test_write = bit(d, 0, 2);
        c->cd_tao.cd_rw = bit(d, 0, 1);
        c->cd_tao.rw_subcode = bit(d, 0, 0);
        (void) be16_read(d->buf, d->len, 2, &c->cd_tao.data_types);
}

static void parse_cd_mastering(const FeatureData *d, MmcConfiguration *c)
{
        c->cd_mastering.bufe = bit(d, 0, 6);
        c->cd_mastering.sao = bit(d, 0, 5);
        c->cd_mastering.raw_ms = bit(d, 0, 4);
        c->cd_mastering.raw = bit(d, 0, 3);
        c->cd_mastering.test_write = bit(d, 0, 2);
        c->cd_mastering.cd_rw = bit(d, 0, 1);
        c->cd_mastering.rw = bit(d, 0, 0);
        (void) be24_read(d->buf, d->len, 1, &c->cd_mastering.max_cue_sheet_length);
}

static void parse_feature_data(uint16_t code, const FeatureData *d, MmcConfiguration *c)
{
        switch (code) {
        case MMC_FEATURE_PROFILE_LIST:
                parse_profile_list(d, c);
                break;
        case MMC_FEATURE_REMOVABLE_MEDIUM:
                parse_removable(d, c);
                break;
        case MMC_FEATURE_INCREMENTAL_STREAMING_WRITABLE:
                parse_incremental(d, c);
                break;
        case MMC_FEATURE_RIGID_RESTRICTED_OVERWRITE:
                c->rigid_overwrite.blank = bit(d, 0, 0);
                c->rigid_overwrite.intermediate = bit(d, 0, 1);
                c->rigid_overwrite.dsdr = bit(d, 0, 2);
                c->rigid_overwrite.dsdg = bit(d, 0, 3);
                break;
        case MMC_FEATURE_CD_TRACK_AT_ONCE:
                parse_cd_tao(d, c);
                break;
        case MMC_FEATURE_CD_MASTERING:
                parse_cd_mastering(d, c);
                break;
        case MMC_FEATURE_DVD_MINUS_R_RW_WRITE:
                c->dvd_minus_write.bufe = bit(d, 0, 6);
                c->dvd_minus_write.rdl = bit(d, 0, 3);
                c->dvd_minus_write.test_write = bit(d, 0, 2);
                c->dvd_minus_write.dvd_rw = bit(d, 0, 1);
                break;
        case MMC_FEATURE_DVD_PLUS_RW:
                c->dvd_plus_rw.write = bit(d, 0, 0);
                c->dvd_plus_rw.close_only = bit(d, 1, 0);
                c->dvd_plus_rw.quick_start = bit(d, 1, 1);
                break;
        case MMC_FEATURE_DVD_PLUS_R:
                c->dvd_plus_r_write = bit(d, 0, 0);
                break;
        case MMC_FEATURE_DVD_PLUS_R_DL:
                c->dvd_plus_r_dl_write = bit(d, 0, 0);
                break;
        case MMC_FEATURE_REAL_TIME_STREAMING:
                c->real_time_streaming.sw = bit(d, 0, 0);
                c->real_time_streaming.wspd = bit(d, 0, 1);
                c->real_time_streaming.mp2a = bit(d, 0, 2);
                c->real_time_streaming.scs = bit(d, 0, 3);
                c->real_time_streaming.rbcb = bit(d, 0, 4);
                break;
        default:
                break;
        }
}

int mmc_configuration_parse(const uint8_t *buf, size_t len, MmcConfiguration *ret)
{
        g_autofree MmcConfiguration *c = g_new0(MmcConfiguration, 1);
        uint32_t data_len;
        size_t end, off;

        if (be32_read(buf, len, 0, &data_len) < 0 || be16_read(buf, len, 6, &c->current_profile) < 0)
                return -EBADMSG;
        /* The length counts the bytes after itself; believe it only as far as the data goes. */
        end = data_len >= 4 ? MIN(len, (size_t) data_len + 4) : MIN(len, (size_t) 8);

        for (off = 8; off + 4 <= end;) {
                uint16_t code;
                uint8_t flags, add_len;

                if (be16_read(buf, end, off, &code) < 0 || u8_read(buf, end, off + 2, &flags) < 0 ||
                    u8_read(buf, end, off + 3, &add_len) < 0)
                        break;
                FeatureData d = {buf + off + 4, MIN((size_t) add_len, end - off - 4)};
                if (c->n_features < MMC_FEATURES_MAX)
                        c->features[c->n_features++] = (MmcFeatureEntry){
                                .code = code,
                                .current = flags & 0x01,
                                .persistent = flags & 0x02,
                                .version = (flags >> 2) & 0x0f,
                        };
                parse_feature_data(code, &d, c);
                off += (size_t) 4 + add_len;
        }

        *ret = *c;
        return 0;
}

const MmcFeatureEntry *mmc_configuration_feature(const MmcConfiguration *c, uint16_t code)
{
        for (size_t i = 0; i < c->n_features; i++)
                if (c->features[i].code == code)
                        return &c->features[i];
        return NULL;
}

bool mmc_configuration_has(const MmcConfiguration *c, uint16_t code, bool current_only)
{
        const MmcFeatureEntry *f = mmc_configuration_feature(c, code);
        return f && (!current_only || f->current);
}

bool mmc_configuration_has_profile(const MmcConfiguration *c, uint16_t profile)
{
        for (size_t i = 0; i < c->n_profiles; i++)
                if (c->profiles[i].number == profile)
                        return true;
        return false;
}

#define GET_CONFIGURATION_FIRST 4096
#define GET_CONFIGURATION_MAX   65530 /* even, below the 16-bit allocation length limit */

static int get_configuration_raw(Transport *t, uint8_t rt, size_t size, uint8_t **ret_buf, size_t *ret_len)
{
        g_autofree uint8_t *buf = g_malloc0(size);
        ScsiCommand cmd;
        int r;

        cdb_get_configuration(&cmd, rt, 0, buf, size);
        r = mmc_execute(t, &cmd);
        if (r == -IMAPI_ERROR_RECORDER_ERROR) {
                ScsiSense s;
                uint8_t op;
                if (mmc_last_sense(&op, &s) && s.key == 0x5 && s.asc == 0x20)
                        return -IMAPI_ERROR_RECORDER_GET_CONFIGURATION_NOT_SUPPORTED;
        }
        if (r < 0)
                return r;
        *ret_len = mmc_data_len(&cmd);
        *ret_buf = g_steal_pointer(&buf);
        return 0;
}

int mmc_get_configuration(Transport *t, uint8_t rt, MmcConfiguration *ret)
{
        g_autofree uint8_t *buf = NULL;
        uint32_t data_len;
        size_t len;
        int r;

        r = get_configuration_raw(t, rt, GET_CONFIGURATION_FIRST, &buf, &len);
        if (r < 0)
                return r;
        if (be32_read(buf, len, 0, &data_len) >= 0 && (size_t) data_len + 4 > GET_CONFIGURATION_FIRST &&
            len >= GET_CONFIGURATION_FIRST) {
                g_clear_pointer(&buf, g_free);
                r = get_configuration_raw(t, rt, MIN((size_t) data_len + 4, (size_t) GET_CONFIGURATION_MAX),
                                          &buf, &len);
                if (r < 0)
                        return r;
        }
        r = mmc_configuration_parse(buf, len, ret);
        return r < 0 ? -IMAPI_ERROR_RECORDER_INVALID_RESPONSE_FROM_DEVICE : 0;
}
