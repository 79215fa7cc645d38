/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target: SPC answers of a drive — standard INQUIRY data (inquiry_parse), sense data
 * (sense_parse and what the daemon makes of it) and MODE SENSE(10) pages (mode_page_locate). */
#include <string.h>

#include "fuzz.h"
#include "sense.h"
#include "spc.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        return 0;
}

static void fuzz_inquiry(const uint8_t *data, size_t size)
{
        InquiryData inq;

        if (inquiry_parse(data, size, &inq) >= 0)
                (void) (strlen(inq.vendor) + strlen(inq.product) + strlen(inq.revision));
}

static void fuzz_sense(const uint8_t *data, size_t size)
{
        char text[256];
        ScsiSense sense;

        if (sense_parse(data, size, &sense) < 0)
                return;
        for (unsigned opcode = 0; opcode < 0x100; opcode += 0x17) {
                (void) sense_to_error(&sense, (uint8_t) opcode);
                (void) sense_to_action(&sense, (uint8_t) opcode);
                (void) sense_is_our_fault(&sense, (uint8_t) opcode);
        }
        (void) strlen(sense_to_string(&sense, text, sizeof(text)));
}

static void fuzz_mode_page(const uint8_t *data, size_t size)
{
        size_t offset, len;
        uint8_t page;

        if (size < 1)
                return;
        page = data[0] & 0x3f;
        if (mode_page_locate(data + 1, size - 1, page, &offset, &len) >= 0)
                (void) fuzz_touch(data + 1 + offset, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        switch (fuzz_select(&data, &size, 3)) {
        case 0:
                fuzz_inquiry(data, size);
                break;
        case 1:
                fuzz_sense(data, size);
                break;
        default:
                fuzz_mode_page(data, size);
                break;
        }
        return 0;
}
