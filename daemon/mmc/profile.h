/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* MMC profiles (what kind of medium, what kind of drive): bus names, medium classes, write strategy
 * classes, IMAPI's media types and flags, and x-factor speeds. */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

/* MMC-6 §5.3.1 (Profile List feature): profile numbers. */
typedef enum MmcProfile {
        MMC_PROFILE_NONE = 0x0000,
        MMC_PROFILE_CD_ROM = 0x0008,
        MMC_PROFILE_CD_R = 0x0009,
        MMC_PROFILE_CD_RW = 0x000a,
        MMC_PROFILE_DVD_ROM = 0x0010,
        MMC_PROFILE_DVD_R_SEQ = 0x0011,
        MMC_PROFILE_DVD_RAM = 0x0012,
        MMC_PROFILE_DVD_RW_RO = 0x0013,  /* restricted overwrite */
        MMC_PROFILE_DVD_RW_SEQ = 0x0014, /* sequential recording */
        MMC_PROFILE_DVD_R_DL_SEQ = 0x0015,
        MMC_PROFILE_DVD_R_DL_JUMP = 0x0016,
        MMC_PROFILE_DVD_PLUS_RW = 0x001a,
        MMC_PROFILE_DVD_PLUS_R = 0x001b,
        MMC_PROFILE_DVD_PLUS_RW_DL = 0x002a,
        MMC_PROFILE_DVD_PLUS_R_DL = 0x002b,
        MMC_PROFILE_BD_ROM = 0x0040,
        MMC_PROFILE_BD_R_SRM = 0x0041,
        MMC_PROFILE_BD_R_RRM = 0x0042,
        MMC_PROFILE_BD_RE = 0x0043,
        MMC_PROFILE_NON_STANDARD = 0xffff,
} MmcProfile;

typedef enum MediumClass {
        MEDIUM_CLASS_NONE,
        MEDIUM_CLASS_CD,
        MEDIUM_CLASS_DVD,
        MEDIUM_CLASS_BD,
        _MEDIUM_CLASS_MAX,
        _MEDIUM_CLASS_INVALID = -EINVAL,
} MediumClass;

/* How a medium is written (daemon/mmc/README.md has the recipe of each). */
typedef enum WriteClass {
        WRITE_CLASS_NONE,          /* read-only or unknown: cannot be written */
        WRITE_CLASS_CD,            /* CD-R/RW: TAO data, SAO audio with a cue sheet; page 05h */
        WRITE_CLASS_DVD_MINUS_SEQ, /* DVD-R, DVD-RW sequential, DVD-R DL: incremental or DAO; page 05h */
        WRITE_CLASS_DVD_PLUS_R,    /* DVD+R, DVD+R DL: reserve track, close track/session */
        WRITE_CLASS_BD_R,          /* BD-R SRM: like DVD+R */
        WRITE_CLASS_OVERWRITE,     /* DVD+RW, DVD-RW RO, DVD-RAM, BD-RE: random access, format if needed */
        _WRITE_CLASS_MAX,
        _WRITE_CLASS_INVALID = -EINVAL,
} WriteClass;

/* IMAPI v1 MEDIA_TYPES (imapi.h). */
typedef enum ImapiMediaType {
        IMAPI_MEDIA_TYPE_NONE = 0,
        IMAPI_MEDIA_TYPE_CDDA_CDROM = 1,
        IMAPI_MEDIA_TYPE_CD_ROM_XA = 2,
        IMAPI_MEDIA_TYPE_CD_I = 3,
        IMAPI_MEDIA_TYPE_CD_EXTRA = 4,
        IMAPI_MEDIA_TYPE_CD_OTHER = 5,
        IMAPI_MEDIA_TYPE_SPECIAL = 6,
} ImapiMediaType;

/* IMAPI v1 MEDIA_FLAGS. */
#define IMAPI_MEDIA_FLAG_BLANK    0x1u
#define IMAPI_MEDIA_FLAG_RW       0x2u
#define IMAPI_MEDIA_FLAG_WRITABLE 0x4u
#define IMAPI_MEDIA_FLAG_UNUSABLE 0x8u

/* IMAPI v1 RECORDER_TYPES. */
#define IMAPI_RECORDER_CDR  0x1u
#define IMAPI_RECORDER_CDRW 0x2u

/* IMAPI v2 IMAPI_FORMAT2_DATA_MEDIA_STATE. */
#define IMAPI_MEDIA_STATE_OVERWRITE_ONLY     0x0001u
#define IMAPI_MEDIA_STATE_BLANK              0x0002u
#define IMAPI_MEDIA_STATE_APPENDABLE         0x0004u
#define IMAPI_MEDIA_STATE_FINAL_SESSION      0x0008u
#define IMAPI_MEDIA_STATE_INFORMATIONAL_MASK 0x000fu
#define IMAPI_MEDIA_STATE_DAMAGED            0x0400u
#define IMAPI_MEDIA_STATE_ERASE_REQUIRED     0x0800u
#define IMAPI_MEDIA_STATE_NON_EMPTY_SESSION  0x1000u
#define IMAPI_MEDIA_STATE_WRITE_PROTECTED    0x2000u
#define IMAPI_MEDIA_STATE_FINALIZED          0x4000u
#define IMAPI_MEDIA_STATE_UNSUPPORTED_MEDIA  0x8000u
#define IMAPI_MEDIA_STATE_UNSUPPORTED_MASK   0xfc00u

/* "cd-r", "dvd+r-dl", ...; NULL for 0 and profiles without a name. Both DVD-RW profiles are "dvd-rw",
 * both BD-R profiles "bd-r", both DVD-R DL profiles "dvd-r-dl". */
const char *profile_to_name(uint16_t profile);
/* The profile a fresh medium of that name has (dvd-rw → sequential 0014h); -EINVAL if unknown. */
int profile_from_name(const char *name);

/* The names a recorder may write, in the order of the D-Bus Profiles property. NULL-terminated. */
extern const char *const profile_writable_names[];

bool profile_is_writable(uint16_t profile); /* one of profile_writable_names[] */
bool profile_is_rewritable(uint16_t profile);
bool profile_is_cd(uint16_t profile);
MediumClass profile_medium_class(uint16_t profile);
WriteClass profile_write_class(uint16_t profile);
const char *write_class_to_string(WriteClass c);
/* IMAPI v2 IMAPI_MEDIA_PHYSICAL_TYPE. */
int profile_to_imapi2_media_type(uint16_t profile);

/* Speeds in kB/s (k = 1000) ↔ x-factors: 1x CD = 176.4 kB/s (75 sectors of 2352 bytes), 1x DVD =
 * 1385 kB/s, 1x BD = 4496 kB/s. Rounded to the nearest x, at least 1 for a non-zero speed. */
uint32_t speed_kbps_to_x(MediumClass c, uint32_t kbps);
uint32_t speed_x_to_kbps(MediumClass c, uint32_t x);
