/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target: the speed and buffer answers — the MM capabilities page 2Ah as found in a MODE SENSE(10)
 * answer (mode_page_locate + mmc_capabilities_parse, as the probe reads it), GET PERFORMANCE write speed
 * descriptors (MMC-6 §6.8, type 03h) and READ BUFFER CAPACITY. The first byte picks the parser. */
#include <stdlib.h>

#include "fuzz.h"
#include "mmc-speed.h"
#include "mmc-write.h"
#include "spc.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        return 0;
}

static void fuzz_capabilities(const uint8_t *data, size_t size)
{
        MmcCapabilities caps;
        size_t offset, len;

        if (mode_page_locate(data, size, 0x2a, &offset, &len) < 0)
                return;
        (void) mmc_capabilities_parse(data + offset, len, &caps);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        MmcBufferCapacity buffer;
        MmcWriteSpeeds speeds;

        switch (fuzz_select(&data, &size, 3)) {
        case 0:
                fuzz_capabilities(data, size);
                break;
        case 1:
                if (mmc_write_speeds_parse(data, size, &speeds) >= 0 && speeds.n > MMC_SPEEDS_MAX)
                        abort();
                break;
        default:
                (void) mmc_buffer_capacity_parse(data, size, &buffer);
                break;
        }
        return 0;
}
