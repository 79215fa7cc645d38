/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* CD-TEXT as the emulated drive sees it (MMC-6 Annex J): 18-byte packs with a CRC, received in the lead-in
 * as R-W sub-channel data (four packs spread over 6-bit symbols per 96-byte block), and read back as
 * strings for the CUE sheet of OpenImage. */
#include <string.h>

#include "emu-internal.h"

/* CRC-16 CCITT (x^16 + x^12 + x^5 + 1), initial value 0, sent inverted. */
uint16_t emu_cdtext_crc(const uint8_t pack[16])
{
        uint16_t crc = 0;

        for (size_t i = 0; i < 16; i++) {
                crc ^= (uint16_t) (pack[i] << 8);
                for (int b = 0; b < 8; b++)
                        crc = (crc & 0x8000) ? (uint16_t) (crc << 1) ^ 0x1021 : (uint16_t) (crc << 1);
        }
        return (uint16_t) ~crc;
}

void emu_cdtext_unpack_block(const uint8_t block[96], uint8_t ret_packs[4][18])
{
        for (size_t g = 0; g < 4; g++) {
                const uint8_t *sym = block + 24 * g;

                /* every 4 symbols of 6 bits make 3 bytes */
                for (size_t i = 0; i < 6; i++) {
                        uint8_t a = sym[4 * i] & 0x3f, b = sym[4 * i + 1] & 0x3f;
                        uint8_t c = sym[4 * i + 2] & 0x3f, d = sym[4 * i + 3] & 0x3f;

                        ret_packs[g][3 * i] = (uint8_t) (a << 2 | b >> 4);
                        ret_packs[g][3 * i + 1] = (uint8_t) ((b & 0x0f) << 4 | c >> 2);
                        ret_packs[g][3 * i + 2] = (uint8_t) ((c & 0x03) << 6 | d);
                }
        }
}

static char *latin1_to_utf8(const char *s, size_t n)
{
        char *r = g_convert(s, (gssize) n, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);

        return r ? r : g_strndup(s, n);
}

void emu_cdtext_strings(GBytes *packs, uint8_t type, char *ret[100])
{
        g_autoptr(GByteArray) text = g_byte_array_new();
        gsize size = 0;
        const uint8_t *p = packs ? g_bytes_get_data(packs, &size) : NULL;
        unsigned track = 0, n = 0;
        bool first = true;

        memset(ret, 0, 100 * sizeof(char *));
        for (gsize off = 0; off + 18 <= size; off += 18) {
                const uint8_t *pack = p + off;

                if (pack[0] != type || (pack[3] & 0x70) != 0 || (pack[3] & 0x80)) /* block 0, single byte */
                        continue;
                if (first) {
                        track = pack[1] & 0x7f;
                        first = false;
                }
                g_byte_array_append(text, pack + 4, 12);
        }
        for (guint start = 0, i = 0; i < text->len && track + n < 100; i++) {
                if (text->data[i] != '\0')
                        continue;
                if (i - start == 1 && text->data[start] == '\t' && track + n > 0 && ret[track + n - 1])
                        ret[track + n] = g_strdup(ret[track + n - 1]); /* TAB: same as the previous one */
                else
                        ret[track + n] = latin1_to_utf8((const char *) text->data + start, i - start);
                n++;
                start = i + 1;
        }
}
