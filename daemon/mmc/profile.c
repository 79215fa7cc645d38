/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* MMC profiles: names, classes, IMAPI media types, x-factor speeds. */
#include <string.h>

#include "macros.h"
#include "profile.h"

typedef struct ProfileInfo {
        uint16_t profile;
        const char *name;
        MediumClass medium;
        WriteClass write;
        bool rewritable;
        int imapi2_type; /* IMAPI_MEDIA_PHYSICAL_TYPE */
} ProfileInfo;

/* The first entry of a name is the profile a fresh medium of that name has. */
static const ProfileInfo profiles[] = {
        {MMC_PROFILE_CD_ROM, "cd-rom", MEDIUM_CLASS_CD, WRITE_CLASS_NONE, false, 1},
        {MMC_PROFILE_CD_R, "cd-r", MEDIUM_CLASS_CD, WRITE_CLASS_CD, false, 2},
        {MMC_PROFILE_CD_RW, "cd-rw", MEDIUM_CLASS_CD, WRITE_CLASS_CD, true, 3},
        {MMC_PROFILE_DVD_ROM, "dvd-rom", MEDIUM_CLASS_DVD, WRITE_CLASS_NONE, false, 4},
        {MMC_PROFILE_DVD_R_SEQ, "dvd-r", MEDIUM_CLASS_DVD, WRITE_CLASS_DVD_MINUS_SEQ, false, 9},
        {MMC_PROFILE_DVD_RAM, "dvd-ram", MEDIUM_CLASS_DVD, WRITE_CLASS_OVERWRITE, true, 5},
        {MMC_PROFILE_DVD_RW_SEQ, "dvd-rw", MEDIUM_CLASS_DVD, WRITE_CLASS_DVD_MINUS_SEQ, true, 10},
        {MMC_PROFILE_DVD_RW_RO, "dvd-rw", MEDIUM_CLASS_DVD, WRITE_CLASS_OVERWRITE, true, 10},
        {MMC_PROFILE_DVD_R_DL_SEQ, "dvd-r-dl", MEDIUM_CLASS_DVD, WRITE_CLASS_DVD_MINUS_SEQ, false, 11},
        {MMC_PROFILE_DVD_R_DL_JUMP, "dvd-r-dl", MEDIUM_CLASS_DVD, WRITE_CLASS_NONE, false, 11},
        {MMC_PROFILE_DVD_PLUS_RW, "dvd+rw", MEDIUM_CLASS_DVD, WRITE_CLASS_OVERWRITE, true, 7},
        {MMC_PROFILE_DVD_PLUS_R, "dvd+r", MEDIUM_CLASS_DVD, WRITE_CLASS_DVD_PLUS_R, false, 6},
        {MMC_PROFILE_DVD_PLUS_RW_DL, "dvd+rw-dl", MEDIUM_CLASS_DVD, WRITE_CLASS_NONE, true, 13},
        {MMC_PROFILE_DVD_PLUS_R_DL, "dvd+r-dl", MEDIUM_CLASS_DVD, WRITE_CLASS_DVD_PLUS_R, false, 8},
        {MMC_PROFILE_BD_ROM, "bd-rom", MEDIUM_CLASS_BD, WRITE_CLASS_NONE, false, 17},
        {MMC_PROFILE_BD_R_SRM, "bd-r", MEDIUM_CLASS_BD, WRITE_CLASS_BD_R, false, 18},
        {MMC_PROFILE_BD_R_RRM, "bd-r", MEDIUM_CLASS_BD, WRITE_CLASS_NONE, false, 18},
        {MMC_PROFILE_BD_RE, "bd-re", MEDIUM_CLASS_BD, WRITE_CLASS_OVERWRITE, true, 19},
};

const char *const profile_writable_names[] = {
        "cd-r",     "cd-rw",    "dvd-r",   "dvd-rw", "dvd+r", "dvd+rw",
        "dvd+r-dl", "dvd-r-dl", "dvd-ram", "bd-r",   "bd-re", NULL,
};

static const ProfileInfo *profile_info(uint16_t profile)
{
        for (size_t i = 0; i < ELEMENTSOF(profiles); i++)
                if (profiles[i].profile == profile)
                        return &profiles[i];
        return NULL;
}

const char *profile_to_name(uint16_t profile)
{
        const ProfileInfo *p = profile_info(profile);
        return p ? p->name : NULL;
}

int profile_from_name(const char *name)
{
        if (!name)
                return -EINVAL;
        for (size_t i = 0; i < ELEMENTSOF(profiles); i++)
                if (strcmp(profiles[i].name, name) == 0)
                        return profiles[i].profile;
        return -EINVAL;
}

bool profile_is_writable(uint16_t profile)
{
        const ProfileInfo *p = profile_info(profile);
        return p && p->write != WRITE_CLASS_NONE;
}

bool profile_is_rewritable(uint16_t profile)
{
        const ProfileInfo *p = profile_info(profile);
        return p && p->rewritable;
}

bool profile_is_cd(uint16_t profile)
{
        return profile_medium_class(profile) == MEDIUM_CLASS_CD;
}

MediumClass profile_medium_class(uint16_t profile)
{
        const ProfileInfo *p = profile_info(profile);
        return p ? p->medium : MEDIUM_CLASS_NONE;
}

WriteClass profile_write_class(uint16_t profile)
{
        const ProfileInfo *p = profile_info(profile);
        return p ? p->write : WRITE_CLASS_NONE;
}

static const char *const write_class_names[_WRITE_CLASS_MAX] = {
        [WRITE_CLASS_NONE] = "none",
        [WRITE_CLASS_CD] = "cd",
        [WRITE_CLASS_DVD_MINUS_SEQ] = "dvd-minus-sequential",
        [WRITE_CLASS_DVD_PLUS_R] = "dvd-plus-r",
        [WRITE_CLASS_BD_R] = "bd-r",
        [WRITE_CLASS_OVERWRITE] = "overwrite",
};

const char *write_class_to_string(WriteClass c)
{
        if (c < 0 || c >= _WRITE_CLASS_MAX)
                return NULL;
        return write_class_names[c];
}

int profile_to_imapi2_media_type(uint16_t profile)
{
        const ProfileInfo *p = profile_info(profile);
        return p ? p->imapi2_type : 0;
}

/* Tenths of kB/s per 1x. */
static uint32_t speed_unit(MediumClass c)
{
        switch (c) {
        case MEDIUM_CLASS_CD:
                return 1764;
        case MEDIUM_CLASS_DVD:
                return 13850;
        case MEDIUM_CLASS_BD:
                return 44960;
        default:
                return 0;
        }
}

uint32_t speed_kbps_to_x(MediumClass c, uint32_t kbps)
{
        uint64_t unit = speed_unit(c), x;

        if (unit == 0 || kbps == 0)
                return 0;
        x = ((uint64_t) kbps * 10 + unit / 2) / unit;
        return x == 0 ? 1 : (uint32_t) x;
}

uint32_t speed_x_to_kbps(MediumClass c, uint32_t x)
{
        uint64_t kbps = ((uint64_t) x * speed_unit(c) + 9) / 10; /* round up: drives round down */
        return kbps > UINT32_MAX ? UINT32_MAX : (uint32_t) kbps;
}
