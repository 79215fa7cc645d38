/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the libFuzzer targets share: libFuzzer's entry points (declared for -Wmissing-prototypes) and a
 * helper that reads every byte of a parser's output, so ASan sees a view that points outside the input. */
#pragma once

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static inline unsigned fuzz_touch(const void *p, size_t n)
{
        const volatile uint8_t *b = p;
        unsigned sum = 0;

        for (size_t i = 0; i < n; i++)
                sum += b[i];
        return sum;
}

/* The first input byte picks one of n parsers; the rest is the device's answer. */
static inline unsigned fuzz_select(const uint8_t **data, size_t *size, unsigned n)
{
        unsigned which;

        if (*size == 0)
                return 0;
        which = (*data)[0] % n;
        (*data)++;
        (*size)--;
        return which;
}
