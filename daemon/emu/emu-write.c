/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Writing to the emulated disc: WRITE(10)/(12) under the sequential-write rules of MMC-6 §4.2-§4.5 or
 * into the formatted area of overwrite media, the drive buffer throttle, SYNCHRONIZE CACHE, CLOSE
 * TRACK/SESSION, RESERVE TRACK, READ BUFFER CAPACITY and SEND OPC INFORMATION. */
#include <string.h>

#include "bytes.h"
#include "emu-internal.h"
#include "log.h"
#include "macros.h"

#define IO_STALL_US (5 * 1000)

/* A command whose sleep was cut short because the medium changed or the drive went away. */
int emu_interrupted(EmuDrive *d, ScsiCommand *c)
{
        if (d->disconnected)
                return -ENODEV;
        if (emu_check_ready(d, c))
                return 0;
        d->ua_pending = false;
        return emu_fail(c, SK_UNIT_ATTENTION, ASC_MEDIUM_CHANGED);
}

/* Common refusals of commands that record: 0 when writing may go on, else 1 with the sense in c. */
int emu_check_writable(EmuDrive *d, ScsiCommand *c)
{
        if (emu_check_ready(d, c))
                return 1;
        if (d->faults.write_protect) {
                (void) emu_fail(c, SK_DATA_PROTECT, ASC_WRITE_PROTECTED);
                return 1;
        }
        if (!emu_drive_can_write_profile(d, d->medium->profile)) {
                (void) emu_fail(c, SK_ILLEGAL_REQUEST, ASC_CANNOT_WRITE_INCOMPATIBLE);
                return 1;
        }
        return 0;
}

/* Faults tied to the blocks of a WRITE: 0 go on, 1 handled (sense in c), -ENODEV the drive is gone. */
static int write_faults(EmuDrive *d, ScsiCommand *c, int32_t lba, uint32_t n, EmuTrack *t)
{
        const EmuFaultSense *f;

        if (emu_faults_hits(d->faults.gone_lba, lba, n)) {
                d->faults.gone = true;
                log_debug("emu %s: fault: unplugged at LBA %" PRIi64, d->name, d->faults.gone_lba);
                return -ENODEV;
        }
        if (emu_faults_hits(d->faults.remove_lba, lba, n)) {
                d->faults.remove_lba = INT64_MIN;
                emu_drive_remove_medium_locked(d);
                (void) emu_fail(c, SK_NOT_READY, ASC_MEDIUM_NOT_PRESENT_TRAY_OPEN);
                return 1;
        }
        f = emu_faults_take_lba(&d->faults, false, lba, n);
        if (f) {
                if (t && f->key == SK_MEDIUM_ERROR)
                        t->damaged = true;
                (void) emu_fail_lba(c, f->key, (uint16_t) (f->asc << 8 | f->ascq), f->lba);
                return 1;
        }
        return 0;
}

/* Whether the drive may pause without harm when its buffer runs dry: BUFE on CD and DVD-R; lossless
 * linking and random access make it inherent on DVD+R, BD and overwrite media. */
static bool underrun_free(const EmuDrive *d)
{
        const EmuMedium *m = d->medium;

        if (emu_medium_is_cd(m) || m->profile == 0x0011 || m->profile == 0x0014 || m->profile == 0x0015)
                return d->wp.bufe;
        return true;
}

/* The throttle: waits while the buffer is full; 1 with LOSS OF STREAMING when it ran dry mid-track. */
static int write_stream(EmuDrive *d, ScsiCommand *c, int32_t lba, uint32_t n, EmuTrack *t)
{
        uint64_t bytes = (uint64_t) n * DATA_SECTOR;
        int64_t now = g_get_monotonic_time(), until;
        EmuThrottleVerdict v;

        if (d->throttle.rate == 0)
                return 0;
        v = emu_throttle_begin_write(&d->throttle, bytes, underrun_free(d), now, &until);
        if (v == EMU_THROTTLE_UNDERRUN) {
                d->stats.underruns++;
                if (t)
                        t->damaged = true;
                log_debug("emu %s: buffer underrun at LBA %" PRIi32, d->name, lba);
                (void) emu_fail_lba(c, SK_MEDIUM_ERROR, ASC_LOSS_OF_STREAMING, lba);
                return 1;
        }
        if (v == EMU_THROTTLE_PAUSED)
                d->stats.bufe_pauses++;
        if (until > now && !emu_drive_sleep_until(d, until))
                return emu_interrupted(d, c) < 0 ? -ENODEV : 1;
        emu_throttle_accept(&d->throttle, bytes, g_get_monotonic_time());
        return 0;
}

/* A slow drive: each WRITE takes longer, and the buffer does not drain meanwhile. */
int emu_write_slow(EmuDrive *d, ScsiCommand *c)
{
        int64_t us = (int64_t) d->faults.slow_ms * 1000;

        if (us == 0)
                return 0;
        if (!emu_drive_sleep_until(d, g_get_monotonic_time() + us))
                return emu_interrupted(d, c) < 0 ? -ENODEV : 1;
        emu_throttle_stall(&d->throttle, us);
        return 0;
}

int emu_write_admit(EmuDrive *d, ScsiCommand *c, int32_t lba, uint32_t n, EmuTrack *t)
{
        int r = write_faults(d, c, lba, n, t);

        return r != 0 ? r : write_stream(d, c, lba, n, t);
}

int emu_write_store(EmuDrive *d, ScsiCommand *c, bool audio, int32_t lba, const void *data, uint32_t n,
                    EmuTrack *t)
{
        int64_t t0 = g_get_monotonic_time(), io;

        if (d->sim)
                return 0;
        if (emu_backing_write(d->backing, audio, lba, data, n) < 0) {
                if (t)
                        t->damaged = true;
                (void) emu_fail_lba(c, SK_MEDIUM_ERROR, ASC_WRITE_ERROR, lba);
                return 1;
        }
        /* A stall of the machine's own storage is no fault of the host: the drive's clock waits. */
        io = g_get_monotonic_time() - t0;
        if (io > IO_STALL_US)
                emu_throttle_stall(&d->throttle, io - IO_STALL_US);
        return 0;
}

/* Faults, throttle and the data of a WRITE whose target is known; stores unless simulating. */
static int write_blocks(EmuDrive *d, ScsiCommand *c, int32_t lba, uint32_t n, bool audio, EmuTrack *t,
                        const uint8_t *data)
{
        int r;

        r = emu_write_admit(d, c, lba, n, t);
        if (r == 0)
                r = emu_write_store(d, c, audio, lba, data, n, t);
        if (r != 0)
                return r < 0 ? r : 0;
        d->stats.blocks_written += n;
        r = emu_write_slow(d, c);
        return r < 0 ? r : 0;
}

static int write_overwrite(EmuDrive *d, ScsiCommand *c, int32_t lba, uint32_t n)
{
        EmuMedium *m = d->medium;
        const uint8_t *data;
        int r;

        if (m->formatted == 0)
                return emu_fail(c, SK_ILLEGAL_REQUEST, ASC_CANNOT_WRITE_INCOMPATIBLE);
        if (lba < 0 || (int64_t) lba + n > m->formatted)
                return emu_fail_lba(c, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, lba);
        if (m->profile == 0x0013 && (lba % 16 != 0 || n % 16 != 0)) /* 32 KiB ECC blocks */
                return emu_fail_lba(c, SK_ILLEGAL_REQUEST, ASC_INVALID_ADDRESS_FOR_WRITE, lba);
        data = emu_data_out(c, (size_t) n * DATA_SECTOR);
        if (!data || c->data_len != (size_t) n * DATA_SECTOR)
                return -EINVAL;
        r = write_blocks(d, c, lba, n, false, NULL, data);
        if (r < 0 || c->status != SCSI_STATUS_GOOD)
                return r;
        m = d->medium;
        m->high_water = MAX(m->high_water, (uint32_t) lba + n);
        return 0;
}

static bool dvd_minus(const EmuMedium *m)
{
        return m->profile == 0x0011 || m->profile == 0x0014 || m->profile == 0x0015;
}

/* Where a sequential WRITE at lba goes: an open or reserved track (*ret_track), or a new track that the
 * write would open (*ret_track NULL, *ret_target describes it). false with the sense set when nowhere. */
static bool sequential_target(EmuDrive *d, ScsiCommand *c, EmuMedium *m, int32_t lba, EmuTrack *ret_target,
                              EmuTrack **ret_track)
{
        uint32_t pregap = (d->wp.track_mode & 0x4) ? CD_PREGAP : d->wp.audio_pause;
        EmuTrack *t;

        if (m->finalized) {
                (void) emu_fail_lba(c, SK_ILLEGAL_REQUEST, ASC_INVALID_ADDRESS_FOR_WRITE, lba);
                return false;
        }
        t = emu_medium_track_writable_at(m, lba);
        if (t) {
                *ret_target = *t;
                *ret_track = t;
                return true;
        }
        if (!emu_medium_invisible_track(m, pregap, ret_target) || ret_target->start != lba ||
            ret_target->written > 0) {
                (void) emu_fail_lba(c, SK_ILLEGAL_REQUEST,
                                    lba < 0 || lba >= emu_medium_limit(m) ? ASC_LBA_OUT_OF_RANGE
                                                                          : ASC_INVALID_ADDRESS_FOR_WRITE,
                                    lba);
                return false;
        }
        if (dvd_minus(m) && d->wp.write_type == EMU_WRITE_TYPE_SAO) { /* DAO needs RESERVE TRACK first */
                (void) emu_fail(c, SK_ILLEGAL_REQUEST, ASC_COMMAND_SEQUENCE_ERROR);
                return false;
        }
        ret_target->ctl = emu_medium_is_cd(m) || dvd_minus(m) ? d->wp.track_mode : 4;
        *ret_track = NULL;
        return true;
}

static int write_sequential(EmuDrive *d, ScsiCommand *c, int32_t lba, uint32_t n)
{
        EmuMedium *m = emu_drive_writable_medium(d);
        bool cd = emu_medium_is_cd(m), audio;
        EmuTrack target, *t;
        const uint8_t *data;
        int64_t limit;
        int r;

        if (cd && d->wp.write_type != EMU_WRITE_TYPE_TAO) /* SAO without a cue sheet */
                return emu_fail(c, SK_ILLEGAL_REQUEST, ASC_COMMAND_SEQUENCE_ERROR);
        if (!sequential_target(d, c, m, lba, &target, &t))
                return 0;
        audio = cd && !(target.ctl & 0x4);
        if (cd && (d->wp.data_block_type == 0) != audio)
                return emu_fail_lba(c, SK_ILLEGAL_REQUEST, ASC_ILLEGAL_MODE_FOR_TRACK, lba);
        limit = target.state == EMU_TRACK_RESERVED ? (int64_t) target.start + target.size
                                                   : emu_medium_limit(m);
        if ((int64_t) lba + n > limit)
                return emu_fail_lba(c, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, limit);
        data = emu_data_out(c, (size_t) n * (audio ? CD_RAW_SECTOR : DATA_SECTOR));
        if (!data ||
            c->data_len != (size_t) n * (audio ? CD_RAW_SECTOR : DATA_SECTOR)) /* wrong block size */
                return -EINVAL;
        r = write_blocks(d, c, lba, n, audio, t, data);
        if (r < 0 || c->status != SCSI_STATUS_GOOD)
                return r;
        if (!t) { /* the first write opens the track */
                t = emu_medium_add_track(m, target.start, target.pregap, target.ctl, EMU_TRACK_OPEN, 0);
                if (audio && d->wp.isrc[0])
                        memcpy(t->isrc, d->wp.isrc, sizeof(t->isrc));
                if (!d->sim)
                        emu_drive_mark_dirty(d);
        }
        t->written += n;
        if (cd && d->wp.mcn[0] && !m->mcn[0])
                memcpy(m->mcn, d->wp.mcn, sizeof(m->mcn));
        return 0;
}

/* MMC-6 §6.44 / §6.45 */
int emu_cmd_write(EmuDrive *d, ScsiCommand *c)
{
        int32_t lba = (int32_t) cdb_u32(c, 2);
        uint32_t n = c->cdb[0] == 0x2a ? cdb_u16(c, 7) : cdb_u32(c, 6);

        if (emu_check_writable(d, c) || n == 0)
                return 0;
        if (d->sao)
                return emu_sao_write(d, c, lba, n);
        if (emu_medium_overwrite(d->medium))
                return write_overwrite(d, c, lba, n);
        return write_sequential(d, c, lba, n);
}

/* Waits until the buffer is on the medium; 1 (sense set) or -ENODEV when interrupted. */
int emu_write_flush(EmuDrive *d, ScsiCommand *c)
{
        int64_t now = g_get_monotonic_time(), until;

        emu_throttle_flush(&d->throttle, now);
        until = emu_throttle_empty_at(&d->throttle, now);

        if (until > now && !emu_drive_sleep_until(d, until))
                return emu_interrupted(d, c) < 0 ? -ENODEV : 1;
        emu_throttle_stop(&d->throttle, g_get_monotonic_time());
        return 0;
}

/* The open track of a sequential medium that has data (the one SYNCHRONIZE CACHE ends on CD). */
static EmuTrack *open_track(const EmuMedium *m)
{
        EmuTrack *t = emu_medium_last_track(m);

        return t && t->state == EMU_TRACK_OPEN && t->written > 0 ? t : NULL;
}

/* MMC-6 §6.41: on CD TAO it also ends the track (libburn relies on it); DVD-R DAO closes the disc. */
int emu_cmd_synchronize_cache(EmuDrive *d, ScsiCommand *c)
{
        EmuMedium *m;
        EmuTrack *t;
        int r;

        if (emu_check_ready(d, c))
                return 0;
        if (d->sao)
                return emu_sao_finish(d, c);
        r = emu_write_flush(d, c);
        if (r != 0)
                return r < 0 ? r : 0;
        m = emu_drive_medium(d);
        if (emu_medium_sequential(m)) {
                t = open_track(m);
                if (t && emu_medium_is_cd(m) && !t->damaged)
                        emu_medium_close_track(m, t);
                t = emu_medium_last_track(m);
                if (t && dvd_minus(m) && d->wp.write_type == EMU_WRITE_TYPE_SAO &&
                    t->state == EMU_TRACK_RESERVED && t->written > 0) {
                        emu_medium_close_session(m, true, 0, 0);
                        emu_drive_end_simulation(d);
                }
        }
        if (!d->sim)
                emu_drive_mark_dirty(d);
        return 0;
}

static bool plus_or_bd_r(const EmuMedium *m)
{
        return m->profile == 0x001b || m->profile == 0x002b || m->profile == 0x0041;
}

static int close_track(ScsiCommand *c, EmuMedium *m, uint16_t number)
{
        EmuTrack *t = number == 0xff && emu_medium_is_cd(m) ? emu_medium_last_track(m)
                                                            : emu_medium_track(m, number);

        if (!t)
                return emu_fail_cdb(c, 4, -1);
        emu_medium_close_track(m, t);
        return 0;
}

static int close_session(EmuDrive *d, ScsiCommand *c, EmuMedium *m, uint8_t function)
{
        bool finalize;

        if (emu_medium_open_session_tracks(m) == 0)
                return emu_fail(c, SK_ILLEGAL_REQUEST, ASC_COMMAND_SEQUENCE_ERROR);
        if (plus_or_bd_r(m))
                finalize = function != 0x2; /* 101b / 110b finalize (MMC-6 §6.3.3.4, §6.3.3.5) */
        else if (function != 0x2)
                return emu_fail_cdb(c, 2, -1);
        else
                finalize = d->wp.multisession != 3; /* CD / DVD-R: the page 05h multi-session bits */
        emu_medium_close_session(m, finalize, d->wp.session_format, finalize ? d->wp.multisession : 3);
        if (emu_medium_is_cd(m) && d->wp.mcn[0] && !m->mcn[0])
                memcpy(m->mcn, d->wp.mcn, sizeof(m->mcn));
        if (d->sim)
                emu_drive_end_simulation(d); /* Test Write: the disc is as before */
        return 0;
}

/* MMC-6 §6.3 */
int emu_cmd_close_track_session(EmuDrive *d, ScsiCommand *c)
{
        uint8_t function = c->cdb[2] & 0x07;
        uint16_t number = cdb_u16(c, 4);
        EmuMedium *m;
        int r;

        if (emu_check_writable(d, c))
                return 0;
        if (d->sao)
                return emu_fail(c, SK_ILLEGAL_REQUEST, ASC_COMMAND_SEQUENCE_ERROR);
        r = emu_write_flush(d, c);
        if (r != 0)
                return r < 0 ? r : 0;
        m = emu_drive_writable_medium(d);
        emu_drive_mark_dirty(d);
        if (emu_medium_overwrite(m)) {
                if (function > 0x2) /* 000b-010b stop background formatting / close the session: done */
                        return emu_fail_cdb(c, 2, -1);
                if (m->formatted > 0)
                        m->bg_format = 3;
                return 0;
        }
        if (m->finalized)
                return emu_fail(c, SK_ILLEGAL_REQUEST, ASC_COMMAND_SEQUENCE_ERROR);
        switch (function) {
        case 0x1:
                return close_track(c, m, number);
        case 0x2:
        case 0x5:
        case 0x6:
                return close_session(d, c, m, function);
        default:
                return emu_fail_cdb(c, 2, -1);
        }
}

/* MMC-6 §6.31: reservation by size (ARSV = 0) of the next track. */
int emu_cmd_reserve_track(EmuDrive *d, ScsiCommand *c)
{
        uint32_t size = cdb_u32(c, 5), pregap = (d->wp.track_mode & 0x4) ? CD_PREGAP : d->wp.audio_pause;
        EmuMedium *m;
        EmuTrack inv, *last;
        bool cd;

        if (c->cdb[1] & 0x03)
                return emu_fail_cdb(c, 1, 0);
        if (emu_check_writable(d, c))
                return 0;
        m = emu_drive_writable_medium(d);
        cd = emu_medium_is_cd(m);
        last = emu_medium_last_track(m);
        if (emu_medium_overwrite(m) || m->finalized || d->sao || (last && last->state == EMU_TRACK_OPEN))
                return emu_fail(c, SK_ILLEGAL_REQUEST, ASC_COMMAND_SEQUENCE_ERROR);
        if (size == 0)
                return emu_fail_cdb(c, 5, -1);
        if (!cd)
                size = (uint32_t) ROUND_UP((uint64_t) size, m->info->align);
        if (!emu_medium_invisible_track(m, pregap, &inv) || (int64_t) inv.start + size > emu_medium_limit(m))
                return emu_fail(c, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE);
        (void) emu_medium_add_track(m, inv.start, inv.pregap, cd || dvd_minus(m) ? d->wp.track_mode : 4,
                                    EMU_TRACK_RESERVED, size);
        if (!d->sim)
                emu_drive_mark_dirty(d);
        return 0;
}

/* MMC-6 §6.20 */
int emu_cmd_read_buffer_capacity(EmuDrive *d, ScsiCommand *c)
{
        uint8_t p[12] = {};
        uint64_t size = d->throttle.size, fill = emu_throttle_fill(&d->throttle, g_get_monotonic_time());
        uint64_t free_bytes = size > fill ? size - fill : 0;

        be16_put(p, 10);
        if (c->cdb[1] & 0x01) { /* Block: available space in blocks */
                p[3] = 0x01;
                be32_put(p + 8, (uint32_t) (free_bytes / DATA_SECTOR));
        } else {
                be32_put(p + 4, (uint32_t) MIN(size, UINT32_MAX));
                be32_put(p + 8, (uint32_t) MIN(free_bytes, UINT32_MAX));
        }
        return emu_reply(c, p, sizeof(p), cdb_u16(c, 7));
}

/* MMC-6 §6.34: power calibration needs nothing here. */
int emu_cmd_send_opc(EmuDrive *d, ScsiCommand *c)
{
        size_t len = cdb_u16(c, 7);

        if (!emu_data_out(c, len))
                return -EINVAL;
        (void) emu_check_ready(d, c);
        return 0;
}
