/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The media the emulated drive knows: MMC profiles with real capacities, speeds and geometry, and the
 * CD address arithmetic. */
#include <string.h>

#include "bytes.h"
#include "emu-internal.h"
#include "macros.h"

static const uint8_t speeds_cd_r[] = {4, 8, 16, 24, 32, 40, 48, 0};
static const uint8_t speeds_cd_rw[] = {4, 10, 16, 24, 0};
static const uint8_t speeds_dvd_r[] = {2, 4, 8, 16, 0};
static const uint8_t speeds_dvd_rw[] = {2, 4, 6, 0};
static const uint8_t speeds_dvd_dl[] = {2, 4, 8, 0};
static const uint8_t speeds_dvd_ram[] = {2, 3, 5, 0};
static const uint8_t speeds_dvd_plus_rw[] = {4, 8, 0};
static const uint8_t speeds_bd_r[] = {2, 4, 6, 8, 12, 0};
static const uint8_t speeds_bd_re[] = {2, 0};

/* Capacities: CD 80 min (ATIP lead-out 79:59:74); DVD±R(W) 4.7 GB and 8.5 GB as drives report them
 * (READ TRACK INFORMATION free blocks of a blank disc); DVD-RAM 4.7 GB with the default spare area;
 * BD 25 GB: 12,219,392 blocks without spare area, 11,826,176 with the default one (format type 00h).
 * Session gaps: CD lead-out 6750 (then 2250) + lead-in 4500 + pregap 150 (the cookbook's 11400/6900);
 * DVD-R border-out/border-in and DVD+R closure are approximations. */
#define CD_GAP_FIRST (CD_LEADOUT_FIRST + CD_LEADIN_LEN + CD_PREGAP)
#define CD_GAP_NEXT  (CD_LEADOUT_NEXT + CD_LEADIN_LEN + CD_PREGAP)

static const EmuProfileInfo profiles[] = {
        {
                .number = 0x0009,
                .name = "cd-r",
                .family = EMU_FAMILY_CD,
                .flags = EMU_PROFILE_SEQUENTIAL | EMU_PROFILE_TEST_WRITE,
                .capacity = CD_LAST_LEADOUT,
                .format_default = 0,
                .align = 1,
                .gap_first = CD_GAP_FIRST,
                .gap_next = CD_GAP_NEXT,
                .book = 0,
                .speeds = speeds_cd_r,
        },
        {
                .number = 0x000a,
                .name = "cd-rw",
                .family = EMU_FAMILY_CD,
                .flags = EMU_PROFILE_SEQUENTIAL | EMU_PROFILE_TEST_WRITE | EMU_PROFILE_BLANKABLE |
                         EMU_PROFILE_ERASABLE,
                .capacity = CD_LAST_LEADOUT,
                .format_default = 0,
                .align = 1,
                .gap_first = CD_GAP_FIRST,
                .gap_next = CD_GAP_NEXT,
                .book = 0,
                .speeds = speeds_cd_rw,
        },
        {
                .number = 0x0011,
                .name = "dvd-r",
                .family = EMU_FAMILY_DVD,
                .flags = EMU_PROFILE_SEQUENTIAL | EMU_PROFILE_TEST_WRITE,
                .capacity = 2298496,
                .format_default = 0,
                .align = 16,
                .gap_first = 16384,
                .gap_next = 6144,
                .book = 0x25,
                .speeds = speeds_dvd_r,
        },
        {
                .number = 0x0012,
                .name = "dvd-ram",
                .family = EMU_FAMILY_DVD,
                .flags = EMU_PROFILE_OVERWRITE | EMU_PROFILE_ERASABLE | EMU_PROFILE_FORMATTABLE,
                .capacity = 2236704,
                .format_default = 2236704,
                .align = 16,
                .gap_first = 0,
                .gap_next = 0,
                .book = 0x16,
                .speeds = speeds_dvd_ram,
        },
        {
                .number = 0x0014,
                .name = "dvd-rw",
                .family = EMU_FAMILY_DVD,
                .flags = EMU_PROFILE_SEQUENTIAL | EMU_PROFILE_TEST_WRITE | EMU_PROFILE_BLANKABLE |
                         EMU_PROFILE_ERASABLE | EMU_PROFILE_FORMATTABLE,
                .capacity = 2298496,
                .format_default = 2298496,
                .align = 16,
                .gap_first = 16384,
                .gap_next = 6144,
                .book = 0x32,
                .speeds = speeds_dvd_rw,
        },
        {
                .number = 0x0015,
                .name = "dvd-r-dl",
                .family = EMU_FAMILY_DVD,
                .flags = EMU_PROFILE_SEQUENTIAL | EMU_PROFILE_TEST_WRITE | EMU_PROFILE_DUAL_LAYER,
                .capacity = 4171712,
                .format_default = 0,
                .align = 16,
                .gap_first = 16384,
                .gap_next = 6144,
                .book = 0x26,
                .speeds = speeds_dvd_dl,
        },
        {
                .number = 0x001a,
                .name = "dvd+rw",
                .family = EMU_FAMILY_DVD,
                .flags = EMU_PROFILE_OVERWRITE | EMU_PROFILE_ERASABLE | EMU_PROFILE_FORMATTABLE,
                .capacity = 2295104,
                .format_default = 2295104,
                .align = 16,
                .gap_first = 0,
                .gap_next = 0,
                .book = 0x92,
                .speeds = speeds_dvd_plus_rw,
        },
        {
                .number = 0x001b,
                .name = "dvd+r",
                .family = EMU_FAMILY_DVD,
                .flags = EMU_PROFILE_SEQUENTIAL,
                .capacity = 2295104,
                .format_default = 0,
                .align = 16,
                .gap_first = 2048,
                .gap_next = 2048,
                .book = 0xa1,
                .speeds = speeds_dvd_r,
        },
        {
                .number = 0x002b,
                .name = "dvd+r-dl",
                .family = EMU_FAMILY_DVD,
                .flags = EMU_PROFILE_SEQUENTIAL | EMU_PROFILE_DUAL_LAYER,
                .capacity = 4173824,
                .format_default = 0,
                .align = 16,
                .gap_first = 2048,
                .gap_next = 2048,
                .book = 0xe1,
                .speeds = speeds_dvd_dl,
        },
        {
                .number = 0x0041,
                .name = "bd-r",
                .family = EMU_FAMILY_BD,
                .flags = EMU_PROFILE_SEQUENTIAL | EMU_PROFILE_FORMATTABLE,
                .capacity = 12219392,
                .format_default = 11826176,
                .align = 32,
                .gap_first = 0,
                .gap_next = 0,
                .book = 0,
                .speeds = speeds_bd_r,
        },
        {
                .number = 0x0043,
                .name = "bd-re",
                .family = EMU_FAMILY_BD,
                .flags = EMU_PROFILE_OVERWRITE | EMU_PROFILE_ERASABLE | EMU_PROFILE_FORMATTABLE,
                .capacity = 12219392,
                .format_default = 11826176,
                .align = 32,
                .gap_first = 0,
                .gap_next = 0,
                .book = 0,
                .speeds = speeds_bd_re,
        },
};

const uint16_t emu_profiles_all[] = {
        0x0009, 0x000a, 0x0011, 0x0012, 0x0014, 0x0015, 0x001a, 0x001b, 0x002b, 0x0041, 0x0043, 0,
};

const EmuProfileInfo *emu_profile_find(uint16_t number)
{
        if (number == 0x0013) /* restricted overwrite is a state of a DVD-RW */
                number = 0x0014;
        for (size_t i = 0; i < ELEMENTSOF(profiles); i++)
                if (profiles[i].number == number)
                        return &profiles[i];
        return NULL;
}

int emu_profile_from_name(const char *name)
{
        if (!name)
                return -EINVAL;
        for (size_t i = 0; i < ELEMENTSOF(profiles); i++)
                if (strcmp(profiles[i].name, name) == 0)
                        return profiles[i].number;
        return -EINVAL;
}

const char *emu_profile_name(uint16_t number)
{
        const EmuProfileInfo *p = emu_profile_find(number);

        return p ? p->name : NULL;
}

uint64_t emu_family_rate(EmuFamily f)
{
        switch (f) {
        case EMU_FAMILY_CD:
                return CD_FRAMES_PER_SECOND * DATA_SECTOR;
        case EMU_FAMILY_DVD:
                return 1385000;
        case EMU_FAMILY_BD:
                return 4496000;
        default:
                return 0;
        }
}

uint32_t emu_family_kbps(EmuFamily f, unsigned x)
{
        switch (f) {
        case EMU_FAMILY_CD:
                return (x * 1764 + 5) / 10; /* 176.4 kB/s: 75 × 2352 bytes */
        case EMU_FAMILY_DVD:
                return x * 1385;
        case EMU_FAMILY_BD:
                return x * 4496;
        default:
                return 0;
        }
}

void emu_lba_to_msf(int32_t lba, uint8_t *ret_m, uint8_t *ret_s, uint8_t *ret_f)
{
        int64_t frames = lba >= -150 ? (int64_t) lba + 150 : (int64_t) lba + 450150;

        if (frames < 0)
                frames = 0;
        *ret_m = (uint8_t) (frames / (60 * CD_FRAMES_PER_SECOND));
        *ret_s = (uint8_t) (frames / CD_FRAMES_PER_SECOND % 60);
        *ret_f = (uint8_t) (frames % CD_FRAMES_PER_SECOND);
}

int32_t emu_msf_to_lba(uint8_t m, uint8_t s, uint8_t f)
{
        int32_t frames = ((int32_t) m * 60 + s) * CD_FRAMES_PER_SECOND + f;

        return m >= 90 ? frames - 450150 : frames - 150;
}

void emu_put_address(uint8_t *p, int32_t lba, bool msf)
{
        if (!msf) {
                be32_put(p, (uint32_t) lba);
                return;
        }
        p[0] = 0;
        emu_lba_to_msf(lba, &p[1], &p[2], &p[3]);
}
