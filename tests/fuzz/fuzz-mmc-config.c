/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target: GET CONFIGURATION answers (MMC-6 §6.6): the feature header, profile list and every
 * feature descriptor mmc_configuration_parse() reads, then the look-ups the daemon does on the result. */
#include <stdlib.h>

#include "fuzz.h"
#include "mmc-config.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static MmcConfiguration c; /* large: not on the stack */
        static const uint16_t codes[] = { 0x0000, 0x0003, 0x001e, 0x0021, 0x0024, 0x002c, 0x002d, 0x002e,
                                          0x002f, 0x0107, 0xffff };

        if (mmc_configuration_parse(data, size, &c) < 0)
                return 0;
        /* The counts index fixed arrays: past them is a bug even if nothing reads there yet. */
        if (c.n_profiles > MMC_PROFILES_MAX || c.n_features > MMC_FEATURES_MAX ||
            c.incremental.n_link_sizes > MMC_LINK_SIZES_MAX)
                abort();
        for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
                (void) mmc_configuration_feature(&c, codes[i]);
                (void) mmc_configuration_has(&c, codes[i], true);
        }
        for (size_t i = 0; i < c.n_profiles; i++)
                (void) mmc_configuration_has_profile(&c, c.profiles[i].number);
        return 0;
}
