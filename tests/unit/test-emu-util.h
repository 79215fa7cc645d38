/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers of the emulated-drive tests: send raw CDBs through the Transport and check status and sense. */
#pragma once

#include <string.h>

#include <glib.h>

#include "bytes.h"
#include "emu-drive.h"
#include "transport.h"

#define CDB(...) ((const uint8_t[]) { __VA_ARGS__ }), sizeof((const uint8_t[]) { __VA_ARGS__ })

typedef struct EmuTest {
        EmuDrive *drive;
        Transport *t;
        char *dir;
} EmuTest;

/* A drive named "test" offering 'profiles' (0-terminated, NULL = all) at 'speed', in memory unless dir. */
static inline EmuTest *emu_test_new_full(const uint16_t *profiles, unsigned speed, size_t buffer, bool bufe,
                                         const char *dir)
{
        EmuTest *e = g_new0(EmuTest, 1);
        EmuDriveConfig cfg;
        g_autofree char *err = NULL;

        emu_drive_config_init(&cfg);
        cfg.profiles = profiles;
        for (cfg.n_profiles = 0; profiles && profiles[cfg.n_profiles]; cfg.n_profiles++)
                ;
        cfg.speed = speed;
        cfg.buffer_size = buffer;
        cfg.bufe_capable = bufe;
        g_assert_cmpint(emu_drive_new("test", &cfg, dir, &e->drive, &err), ==, 0);
        g_assert_null(err);
        e->t = emu_drive_new_transport(e->drive);
        e->dir = g_strdup(dir);
        return e;
}

static inline EmuTest *emu_test_new(void)
{
        return emu_test_new_full(NULL, 0, 0, true, NULL);
}

static inline void emu_test_free(EmuTest *e)
{
        transport_free(e->t);
        emu_drive_unref(e->drive);
        g_free(e->dir);
        g_free(e);
}

/* Runs a command; returns transport_execute()'s result. The command is left in *ret. */
static inline int emu_run(EmuTest *e, const uint8_t *cdb, size_t cdb_len, TransportDirection dir, void *data,
                          size_t len, ScsiCommand *ret)
{
        ScsiCommand c = { .cdb_len = cdb_len, .direction = len ? dir : TRANSPORT_DIRECTION_NONE,
                          .data = data, .data_len = len };
        int r;

        memcpy(c.cdb, cdb, cdb_len);
        r = transport_execute(e->t, &c);
        *ret = c;
        return r;
}

static inline ScsiCommand emu_in(EmuTest *e, const uint8_t *cdb, size_t cdb_len, void *data, size_t len)
{
        ScsiCommand c;

        g_assert_cmpint(emu_run(e, cdb, cdb_len, TRANSPORT_DIRECTION_FROM_DEVICE, data, len, &c), ==, 0);
        return c;
}

static inline ScsiCommand emu_out(EmuTest *e, const uint8_t *cdb, size_t cdb_len, const void *data, size_t len)
{
        ScsiCommand c;

        g_assert_cmpint(emu_run(e, cdb, cdb_len, TRANSPORT_DIRECTION_TO_DEVICE, (void *) data, len, &c), ==, 0);
        return c;
}

static inline ScsiCommand emu_none(EmuTest *e, const uint8_t *cdb, size_t cdb_len)
{
        return emu_out(e, cdb, cdb_len, NULL, 0);
}

#define assert_good(c)                                                                                  \
        do {                                                                                            \
                const ScsiCommand *_c = &(c);                                                           \
                if (_c->status != SCSI_STATUS_GOOD)                                                     \
                        g_error("%s:%d: opcode %02X: sense %X/%02X/%02X", __FILE__, __LINE__, _c->cdb[0], \
                                _c->sense[2] & 0xf, _c->sense[12], _c->sense[13]);                      \
        } while (0)

#define assert_sense(c, key, asc, ascq)                                                                 \
        do {                                                                                            \
                const ScsiCommand *_c = &(c);                                                           \
                g_assert_cmpint(_c->status, ==, SCSI_STATUS_CHECK_CONDITION);                           \
                g_assert_cmpint(_c->sense_len, >=, 14);                                                 \
                g_assert_cmphex(_c->sense[0] & 0x7f, ==, 0x70);                                         \
                g_assert_cmphex(_c->sense[2] & 0xf, ==, (key));                                         \
                g_assert_cmphex(_c->sense[12], ==, (asc));                                              \
                g_assert_cmphex(_c->sense[13], ==, (ascq));                                             \
        } while (0)

static inline uint32_t get_be32(const uint8_t *p)
{
        uint32_t v = 0;

        g_assert_cmpint(be32_read(p, 4, 0, &v), ==, 0);
        return v;
}

static inline uint16_t get_be16(const uint8_t *p)
{
        uint16_t v = 0;

        g_assert_cmpint(be16_read(p, 2, 0, &v), ==, 0);
        return v;
}

/* Loads a blank disc and swallows the unit attention. */
static inline void emu_test_load(EmuTest *e, uint16_t profile)
{
        ScsiCommand c;

        g_assert_cmpint(emu_drive_load_medium(e->drive, profile), ==, 0);
        c = emu_none(e, CDB(0x00, 0, 0, 0, 0, 0));
        assert_sense(c, 0x6, 0x28, 0x00);
        c = emu_none(e, CDB(0x00, 0, 0, 0, 0, 0));
        assert_good(c);
}

/* READ TRACK INFORMATION by track number into p[48]. */
static inline ScsiCommand emu_track_info(EmuTest *e, uint32_t track, uint8_t p[48])
{
        memset(p, 0, 48);
        return emu_in(e, CDB(0x52, 0x01, track >> 24, track >> 16, track >> 8, track, 0, 0, 48, 0), p, 48);
}

static inline ScsiCommand emu_disc_info(EmuTest *e, uint8_t p[34])
{
        memset(p, 0, 34);
        return emu_in(e, CDB(0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0), p, 34);
}
