/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* GET CONFIGURATION: the drive's profiles and features, parsed into a plain struct. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "transport.h"

/* MMC-6 §5.3: feature codes this code reads. */
typedef enum MmcFeatureCode {
        MMC_FEATURE_PROFILE_LIST = 0x0000,
        MMC_FEATURE_CORE = 0x0001,
        MMC_FEATURE_MORPHING = 0x0002,
        MMC_FEATURE_REMOVABLE_MEDIUM = 0x0003,
        MMC_FEATURE_WRITE_PROTECT = 0x0004,
        MMC_FEATURE_RANDOM_READABLE = 0x0010,
        MMC_FEATURE_CD_READ = 0x001e,
        MMC_FEATURE_DVD_READ = 0x001f,
        MMC_FEATURE_RANDOM_WRITABLE = 0x0020,
        MMC_FEATURE_INCREMENTAL_STREAMING_WRITABLE = 0x0021,
        MMC_FEATURE_FORMATTABLE = 0x0023,
        MMC_FEATURE_HARDWARE_DEFECT_MANAGEMENT = 0x0024,
        MMC_FEATURE_WRITE_ONCE = 0x0025,
        MMC_FEATURE_RESTRICTED_OVERWRITE = 0x0026,
        MMC_FEATURE_DVD_PLUS_RW = 0x002a,
        MMC_FEATURE_DVD_PLUS_R = 0x002b,
        MMC_FEATURE_RIGID_RESTRICTED_OVERWRITE = 0x002c,
        MMC_FEATURE_CD_TRACK_AT_ONCE = 0x002d,
        MMC_FEATURE_CD_MASTERING = 0x002e,
        MMC_FEATURE_DVD_MINUS_R_RW_WRITE = 0x002f,
        MMC_FEATURE_LAYER_JUMP_RECORDING = 0x0033,
        MMC_FEATURE_CD_RW_MEDIA_WRITE_SUPPORT = 0x0037,
        MMC_FEATURE_BD_R_POW = 0x0038,
        MMC_FEATURE_DVD_PLUS_RW_DL = 0x003a,
        MMC_FEATURE_DVD_PLUS_R_DL = 0x003b,
        MMC_FEATURE_BD_READ = 0x0040,
        MMC_FEATURE_BD_WRITE = 0x0041,
        MMC_FEATURE_POWER_MANAGEMENT = 0x0100,
        MMC_FEATURE_REAL_TIME_STREAMING = 0x0107,
} MmcFeatureCode;

#define MMC_PROFILES_MAX   64
#define MMC_FEATURES_MAX   128
#define MMC_LINK_SIZES_MAX 8

typedef struct MmcProfileEntry {
        uint16_t number;
        bool current;
} MmcProfileEntry;

typedef struct MmcFeatureEntry {
        uint16_t code;
        bool current;
        bool persistent;
        uint8_t version;
} MmcFeatureEntry;

typedef struct MmcConfiguration {
        uint16_t current_profile;
        size_t n_profiles;
        MmcProfileEntry profiles[MMC_PROFILES_MAX];
        size_t n_features;
        MmcFeatureEntry features[MMC_FEATURES_MAX];

        /* 0003h Removable Medium */
        struct {
                uint8_t loading_mechanism; /* 0 caddy/slot, 1 tray, 2 pop-up, 4/5 changer */
                bool load, eject, lock;
        } removable;
        /* 0021h Incremental Streaming Writable */
        struct {
                uint16_t data_block_types; /* bit n: data block type n */
                bool bufe, arsv, trio;
                size_t n_link_sizes;
                uint8_t link_sizes[MMC_LINK_SIZES_MAX];
        } incremental;
        /* 002Ch Rigid Restricted Overwrite */
        struct {
                bool blank, intermediate, dsdr, dsdg;
        } rigid_overwrite;
        /* 002Dh CD Track at Once */
        struct {
                bool bufe, test_write, cd_rw, rw_raw, rw_pack, rw_subcode;
                uint16_t data_types;
        } cd_tao;
        /* 002Eh CD Mastering (SAO and raw) */
        struct {
                bool bufe, sao, raw_ms, raw, test_write, cd_rw, rw;
                uint32_t max_cue_sheet_length;
        } cd_mastering;
        /* 002Fh DVD-R/-RW Write */
        struct {
                bool bufe, rdl, test_write, dvd_rw;
        } dvd_minus_write;
        /* 002Ah DVD+RW, 002Bh DVD+R, 003Bh DVD+R DL */
        struct {
                bool write, quick_start, close_only;
        } dvd_plus_rw;
        bool dvd_plus_r_write;
        bool dvd_plus_r_dl_write;
        /* 0107h Real Time Streaming */
        struct {
                bool sw, wspd, mp2a, scs, rbcb;
        } real_time_streaming;
} MmcConfiguration;

/* MMC-6 §6.5: the feature header and the descriptors that follow. The data length field may claim
 * more than len (a truncated answer): what is there is parsed. -EBADMSG under the 8-byte header. */
int mmc_configuration_parse(const uint8_t *buf, size_t len, MmcConfiguration *ret);

/* The feature, if the drive reported it; with current_only, only when current. */
const MmcFeatureEntry *mmc_configuration_feature(const MmcConfiguration *c, uint16_t code);
bool mmc_configuration_has(const MmcConfiguration *c, uint16_t code, bool current_only);
bool mmc_configuration_has_profile(const MmcConfiguration *c, uint16_t profile);

/* rt 0: all features; 1: current only. -IMAPI_ERROR_RECORDER_GET_CONFIGURATION_NOT_SUPPORTED for an
 * (old) drive that does not know the command. */
int mmc_get_configuration(Transport *t, uint8_t rt, MmcConfiguration *ret);
