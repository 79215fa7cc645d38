/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Probing: what the drive is (DriveInfo) and what disc it holds (MediaInfo), with the Recorder
 * properties of DESIGN.md §4 computed from MMC answers. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "mmc-config.h"
#include "mmc-disc.h"
#include "mmc-speed.h"
#include "profile.h"
#include "transport.h"

/* What the drive can do, from GET CONFIGURATION (or mode page 2Ah on drives without it). */
typedef struct DriveFeatures {
        bool cd_tao;         /* 002Dh */
        bool cd_sao, cd_raw; /* 002Eh */
        bool cd_test_write;  /* test write on CD (TAO or SAO) */
        bool cd_rw_write;
        bool dvd_minus_write; /* 002Fh: DVD-R/-RW DAO (and the base for incremental) */
        bool dvd_minus_test_write;
        bool dvd_rw_write;
        bool incremental_streaming;                                             /* 0021h */
        bool dvd_plus_r, dvd_plus_rw, dvd_plus_r_dl;                            /* 002Bh, 002Ah, 003Bh */
        bool bd_write;                                                          /* 0041h */
        bool formattable;                                                       /* 0023h */
        bool restricted_overwrite, rigid_restricted_overwrite, random_writable; /* 0026h, 002Ch, 0020h */
        bool real_time_streaming;                                               /* 0107h */
        bool streaming_write_speed; /* 0107h WSPD: GET PERFORMANCE type 03h and SET STREAMING work */
        bool write_protect;         /* 0004h */
        bool bufe;                  /* buffer under-run free recording, from any feature or page 2Ah */
        uint8_t link_size;          /* 0021h: first link size at probe time (the medium's: MediaInfo) */
        uint32_t max_cue_sheet_length;
} DriveFeatures;

typedef struct DriveInfo {
        char vendor[9];
        char product[17];
        char revision[5];
        uint8_t device_type; /* 05h for MMC */
        bool has_get_configuration;
        uint16_t current_profile; /* at probe time; MediaInfo has the live one */
        size_t n_profiles;
        uint16_t profiles[MMC_PROFILES_MAX]; /* every profile the drive reported, its order */
        size_t n_writable_profiles;
        uint16_t writable_profiles[MMC_PROFILES_MAX]; /* those imapid can write (profile_is_writable) */
        DriveFeatures features;
        bool has_capabilities_page;
        bool can_eject, can_load, can_lock;
        uint32_t max_write_kbps;  /* page 2Ah; 0 unknown */
        uint32_t max_write_speed; /* the same as a CD x-factor: IMAPI v1 MaxWriteSpeed without a disc */
        uint32_t buffer_size_kb;
        uint32_t recorder_type; /* IMAPI v1 RECORDER_TYPES: 1 CD-R, 2 CD-RW, 0 neither */
} DriveInfo;

/* INQUIRY, GET CONFIGURATION (all profiles and features), MODE SENSE page 2Ah. Works without a disc.
 * Fails only when INQUIRY fails (the device is gone or not a drive). */
int mmc_probe_drive(Transport *t, DriveInfo *ret);

bool drive_info_can_write(const DriveInfo *d, uint16_t profile);
/* The writable profile names for the Recorder's Profiles property, deduplicated, in the order of
 * profile_writable_names[]. */
GStrv drive_info_profile_names(const DriveInfo *d);

typedef struct MmcSpeed {
        uint32_t x;       /* x-factor for this medium's class */
        uint32_t kbps;    /* what the drive said, k = 1000 */
        uint32_t end_lba; /* for SET STREAMING; 0 when unknown */
} MmcSpeed;

typedef struct MediaInfo {
        /* The Recorder properties (DESIGN.md §4). */
        bool present;
        uint16_t profile;         /* current profile; 0 without a disc */
        const char *profile_name; /* static: "" without a disc, "unknown" for profiles without a name */
        int32_t media_type;       /* IMAPI v1 MEDIA_TYPES */
        uint32_t media_flags;     /* IMAPI v1 MEDIA_FLAGS */
        uint32_t media_state;     /* IMAPI v2 IMAPI_FORMAT2_DATA_MEDIA_STATE */
        uint32_t sessions;        /* complete sessions */
        uint32_t last_track;      /* last track of the last complete session */
        uint32_t start_address;   /* start of the first track of the last complete session */
        uint32_t next_writable;
        uint32_t free_blocks;
        uint32_t total_blocks;
        size_t n_write_speeds;
        MmcSpeed write_speeds[MMC_SPEEDS_MAX]; /* fastest first, distinct x */
        uint32_t max_write_speed;              /* x; 0 unknown */

        /* What the burn engine needs besides. */
        MediumClass medium_class;
        WriteClass write_class;
        bool blank;        /* nothing written (sequential) / never formatted or written (overwrite) */
        bool appendable;   /* sequential medium that takes another session */
        bool closed;       /* finalized */
        bool erasable;     /* BLANK works (CD-RW, DVD-RW) */
        bool overwrite;    /* random-access writes (WRITE_CLASS_OVERWRITE) */
        bool needs_format; /* unformatted DVD+RW / BD-RE / DVD-RAM: FORMAT UNIT before writing */
        bool write_protected;
        bool damaged;
        bool unsupported;  /* not writable by this drive or by imapid */
        bool test_write;   /* the drive can simulate on this medium */
        bool incremental;  /* DVD-R/-RW: incremental recording possible (else DAO only) */
        bool bufe;         /* BUFE can be used on this medium */
        uint8_t link_size; /* incremental recording link size on this medium (16 on DVD-R); 0 unknown */
        bool nwa_valid;
        uint16_t next_track; /* number of the track the next write goes to; 0 none */
        uint8_t disc_status; /* MmcDiscStatus */
        uint8_t last_session_state;
        uint8_t disc_type;        /* READ DISC INFORMATION byte 8 */
        bool has_audio, has_data; /* CD: what the TOC holds */
        uint32_t capacity_blocks; /* READ CAPACITY (last LBA + 1) or the formatted capacity; 0 unknown */
        bool formats_valid;
        MmcFormatCapacities formats; /* READ FORMAT CAPACITIES (overwrite media) */
} MediaInfo;

/* TEST UNIT READY (no medium: present = false, returns 0), GET CONFIGURATION (current profile and
 * features), READ DISC INFORMATION, READ TRACK INFORMATION (next writable track; first track of the
 * last complete session), READ CAPACITY / READ FORMAT CAPACITIES (overwrite media), READ TOC (CD media
 * type), READ DISC STRUCTURE C0h (write protection), GET PERFORMANCE type 03h (speeds). drive may be
 * NULL (then the drive's abilities are not checked). */
int mmc_probe_media(Transport *t, const DriveInfo *drive, MediaInfo *ret);

/* The IMAPI values from the facts above; pure, used by mmc_probe_media() and by tests. */
uint32_t media_info_compute_flags(const MediaInfo *m);
uint32_t media_info_compute_state(const MediaInfo *m);

/* Sets the write speed for this medium: x = 0 is the fastest. Picks the nearest speed the drive
 * offers at or below x (SET STREAMING end LBA from GET PERFORMANCE). */
int mmc_media_set_write_speed(Transport *t, const MediaInfo *m, uint32_t x);
