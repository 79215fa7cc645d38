/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The fault spec parser of the emulated drive (grammar: daemon/emu/README.md). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "emu-faults.h"
#include "imapi-error.h"

void emu_faults_init(EmuFaults *f)
{
        *f = (EmuFaults){
                .remove_lba = INT64_MIN,
                .gone_lba = INT64_MIN,
        };
}

static int parse_int64(const char *s, int base, int64_t min, int64_t max, int64_t *ret)
{
        char *end;
        long long v;

        if (!s || !*s || strchr(s, ' '))
                return -EINVAL;
        errno = 0;
        v = strtoll(s, &end, base);
        if (errno != 0 || *end != '\0' || v < min || v > max)
                return -EINVAL;
        *ret = v;
        return 0;
}

static int parse_uint(const char *s, unsigned max, unsigned *ret)
{
        int64_t v;

        if (!s || s[0] == '-' || parse_int64(s, 10, 0, max, &v) < 0)
                return -EINVAL;
        *ret = (unsigned) v;
        return 0;
}

/* "K/ASC/ASCQ", hexadecimal. */
static int parse_sense(const char *s, EmuFaultSense *f)
{
        g_auto(GStrv) parts = g_strsplit(s, "/", -1);
        int64_t k, asc, ascq;

        if (g_strv_length(parts) != 3 || parse_int64(parts[0], 16, 0, 0xf, &k) < 0 ||
            parse_int64(parts[1], 16, 0, 0xff, &asc) < 0 || parse_int64(parts[2], 16, 0, 0xff, &ascq) < 0)
                return -EINVAL;
        f->key = k;
        f->asc = asc;
        f->ascq = ascq;
        return 0;
}

/* "sense@lba=N:K/A/Q", "read-sense@lba=N:K/A/Q", "sense@op=HH:K/A/Q". */
static int parse_sense_item(const char *item, bool read, EmuFaults *f)
{
        const char *at = strchr(item, '@'), *colon = strchr(item, ':');
        g_autofree char *where = NULL;
        EmuFaultSense s = {.armed = true, .read = read};
        int64_t v;

        if (!at || !colon || colon < at || f->n_sense >= EMU_FAULTS_MAX_SENSE)
                return -EINVAL;
        where = g_strndup(at + 1, colon - at - 1);
        if (g_str_has_prefix(where, "lba=")) {
                if (parse_int64(where + 4, 10, INT32_MIN, UINT32_MAX, &v) < 0)
                        return -EINVAL;
                s.lba = v;
        } else if (!read && g_str_has_prefix(where, "op=")) {
                if (parse_int64(where + 3, 16, 0, 0xff, &v) < 0)
                        return -EINVAL;
                s.by_opcode = true;
                s.opcode = v;
        } else
                return -EINVAL;
        if (parse_sense(colon + 1, &s) < 0)
                return -EINVAL;
        f->sense[f->n_sense++] = s;
        return 0;
}

static int parse_lba_item(const char *value, int64_t *ret)
{
        return parse_int64(value, 10, INT32_MIN, UINT32_MAX, ret);
}

static int parse_item(const char *item, EmuFaults *f)
{
        if (g_str_has_prefix(item, "sense@"))
                return parse_sense_item(item, false, f);
        if (g_str_has_prefix(item, "read-sense@"))
                return parse_sense_item(item, true, f);
        if (g_str_has_prefix(item, "remove@lba="))
                return parse_lba_item(item + strlen("remove@lba="), &f->remove_lba);
        if (g_str_has_prefix(item, "gone@lba="))
                return parse_lba_item(item + strlen("gone@lba="), &f->gone_lba);
        if (g_str_equal(item, "gone")) {
                f->gone = true;
                return 0;
        }
        if (g_str_has_prefix(item, "slow="))
                return parse_uint(item + strlen("slow="), 600000, &f->slow_ms);
        if (g_str_has_prefix(item, "becoming-ready="))
                return parse_uint(item + strlen("becoming-ready="), 1000000, &f->becoming_ready);
        if (g_str_has_prefix(item, "erase-time=")) {
                f->erase_ms_set = true;
                return parse_uint(item + strlen("erase-time="), 86400000, &f->erase_ms);
        }
        if (g_str_equal(item, "write-protect")) {
                f->write_protect = true;
                return 0;
        }
        return -EINVAL;
}

int emu_faults_parse(const char *spec, EmuFaults *ret, char **reterr_message)
{
        g_auto(GStrv) items = NULL;
        EmuFaults f;

        emu_faults_init(&f);
        if (!spec) {
                *ret = f;
                return 0;
        }
        items = g_strsplit_set(spec, ",; \t\n", -1);
        for (char **i = items; *i; i++) {
                if (**i == '\0')
                        continue;
                if (parse_item(*i, &f) < 0)
                        return error_set_message(reterr_message, EINVAL, "Invalid fault \"%s\"", *i);
        }
        *ret = f;
        return 0;
}

bool emu_faults_hits(int64_t at, int64_t lba, uint32_t n)
{
        return at != INT64_MIN && at >= lba && at < lba + (int64_t) n;
}

const EmuFaultSense *emu_faults_take_lba(EmuFaults *f, bool read, int64_t lba, uint32_t n)
{
        for (unsigned i = 0; i < f->n_sense; i++) {
                EmuFaultSense *s = &f->sense[i];

                if (s->armed && !s->by_opcode && s->read == read && emu_faults_hits(s->lba, lba, n)) {
                        s->armed = false;
                        return s;
                }
        }
        return NULL;
}

const EmuFaultSense *emu_faults_take_opcode(EmuFaults *f, uint8_t opcode)
{
        for (unsigned i = 0; i < f->n_sense; i++) {
                EmuFaultSense *s = &f->sense[i];

                if (s->armed && s->by_opcode && s->opcode == opcode) {
                        s->armed = false;
                        return s;
                }
        }
        return NULL;
}
