/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* MCN check digits, ISRC syntax and CD-TEXT string validation. */
#include <errno.h>
#include <string.h>

#include "audio-codes.h"
#include "imapi-error.h"

static bool ascii_digit(char c)
{
        return c >= '0' && c <= '9';
}

static bool ascii_upper(char c)
{
        return c >= 'A' && c <= 'Z';
}

/* EAN-13: digits 1, 3, ... 11 weigh 1, digits 2, 4, ... 12 weigh 3; the 13th makes the sum a multiple of 10.
 */
static bool ean13_check_digit_ok(const char digits[static AUDIO_MCN_LENGTH])
{
        unsigned sum = 0;

        for (unsigned i = 0; i < AUDIO_MCN_LENGTH - 1; i++)
                sum += (unsigned) (digits[i] - '0') * (i % 2 == 0 ? 1 : 3);
        return (10 - sum % 10) % 10 == (unsigned) (digits[AUDIO_MCN_LENGTH - 1] - '0');
}

int audio_mcn_normalize(const char *s, char ret[static AUDIO_MCN_LENGTH + 1])
{
        char buf[AUDIO_MCN_LENGTH + 1];
        size_t n = strlen(s);

        if (n == 0 || n > AUDIO_MCN_LENGTH)
                return -IMAPI_ERROR_DF2_TAO_INVALID_MCN;
        for (size_t i = 0; i < n; i++)
                if (!ascii_digit(s[i]))
                        return -IMAPI_ERROR_DF2_TAO_INVALID_MCN;

        memset(buf, '0', AUDIO_MCN_LENGTH - n);
        memcpy(buf + AUDIO_MCN_LENGTH - n, s, n + 1);
        if (strspn(buf, "0") == AUDIO_MCN_LENGTH || !ean13_check_digit_ok(buf))
                return -IMAPI_ERROR_DF2_TAO_INVALID_MCN;

        memcpy(ret, buf, sizeof(buf));
        return 0;
}

/* Position i (0..11) of the bare ISRC: 0-1 country letters, 2-4 registrant letters or digits, 5-11 digits.
 */
static bool isrc_char_ok(unsigned i, char c)
{
        if (i < 2)
                return ascii_upper(c);
        if (i < 5)
                return ascii_upper(c) || ascii_digit(c);
        return ascii_digit(c);
}

int audio_isrc_normalize(const char *s, char ret[static AUDIO_ISRC_LENGTH + 1])
{
        /* The display form has dashes after the country, registrant and year: CC-XXX-YY-NNNNN. */
        static const size_t dash_at[] = {2, 6, 9};
        char buf[AUDIO_ISRC_LENGTH + 1];
        size_t n = strlen(s), j = 0, d = 0;

        if (n != AUDIO_ISRC_LENGTH && n != AUDIO_ISRC_LENGTH + ELEMENTSOF(dash_at))
                return -IMAPI_ERROR_DF2_TAO_INVALID_ISRC;

        for (size_t i = 0; i < n; i++) {
                char c = g_ascii_toupper(s[i]);

                if (n > AUDIO_ISRC_LENGTH && d < ELEMENTSOF(dash_at) && i == dash_at[d]) {
                        if (c != '-')
                                return -IMAPI_ERROR_DF2_TAO_INVALID_ISRC;
                        d++;
                        continue;
                }
                if (!isrc_char_ok(j, c))
                        return -IMAPI_ERROR_DF2_TAO_INVALID_ISRC;
                buf[j++] = c;
        }
        buf[j] = '\0';

        memcpy(ret, buf, sizeof(buf));
        return 0;
}

int audio_text_to_latin1(const char *utf8, char **ret_latin1)
{
        g_autofree char *out = NULL;
        size_t n = 0;

        if (!g_utf8_validate(utf8, -1, NULL))
                return -EINVAL;
        if (g_utf8_strlen(utf8, -1) > AUDIO_TEXT_MAX)
                return -IMAPI_ERROR_LIMITS_EXCEEDED;

        out = g_malloc(strlen(utf8) + 1);
        for (const char *p = utf8; *p; p = g_utf8_next_char(p)) {
                gunichar c = g_utf8_get_char(p);

                if (c > 0xff || c < 0x20 || (c >= 0x7f && c < 0xa0))
                        return -EINVAL;
                out[n++] = (char) c;
        }
        out[n] = '\0';

        if (ret_latin1)
                *ret_latin1 = g_steal_pointer(&out);
        return 0;
}

char *audio_text_from_latin1(const char *latin1, size_t size)
{
        GString *s = g_string_sized_new(size);

        for (size_t i = 0; i < size; i++)
                g_string_append_unichar(s, (guchar) latin1[i]);
        return g_string_free(s, false);
}
