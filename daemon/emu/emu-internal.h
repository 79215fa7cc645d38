/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the files of the emulated drive share: profiles, the medium model, the drive object, sense codes
 * and the helpers command handlers use. Not for use outside daemon/emu/. */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "emu-drive.h"
#include "emu-faults.h"
#include "emu-throttle.h"
#include "transport.h"

/* ---- Sense (SPC-4 §4.5, Annex D; MMC-6 Annex F) ---- */

#define SK_NO_SENSE        0x0
#define SK_NOT_READY       0x2
#define SK_MEDIUM_ERROR    0x3
#define SK_HARDWARE_ERROR  0x4
#define SK_ILLEGAL_REQUEST 0x5
#define SK_UNIT_ATTENTION  0x6
#define SK_DATA_PROTECT    0x7

/* ASC << 8 | ASCQ */
#define ASC_NONE                            0x0000
#define ASC_BECOMING_READY                  0x0401
#define ASC_FORMAT_IN_PROGRESS              0x0404
#define ASC_OPERATION_IN_PROGRESS           0x0407
#define ASC_WRITE_ERROR                     0x0c00
#define ASC_LOSS_OF_STREAMING               0x0c09
#define ASC_UNRECOVERED_READ_ERROR          0x1100
#define ASC_PARAMETER_LIST_LENGTH_ERROR     0x1a00
#define ASC_INVALID_OPCODE                  0x2000
#define ASC_LBA_OUT_OF_RANGE                0x2100
#define ASC_INVALID_ADDRESS_FOR_WRITE       0x2102
#define ASC_INVALID_FIELD_IN_CDB            0x2400
#define ASC_INVALID_FIELD_IN_PARAMETER_LIST 0x2600
#define ASC_WRITE_PROTECTED                 0x2700
#define ASC_MEDIUM_CHANGED                  0x2800
#define ASC_COMMAND_SEQUENCE_ERROR          0x2c00
#define ASC_INCOMPATIBLE_MEDIUM             0x3000
#define ASC_CANNOT_READ_INCOMPATIBLE        0x3002
#define ASC_CANNOT_WRITE_INCOMPATIBLE       0x3005
#define ASC_CANNOT_FORMAT_INCOMPATIBLE      0x3006
#define ASC_SAVING_NOT_SUPPORTED            0x3900
#define ASC_MEDIUM_NOT_PRESENT              0x3a00
#define ASC_MEDIUM_NOT_PRESENT_TRAY_CLOSED  0x3a01
#define ASC_MEDIUM_NOT_PRESENT_TRAY_OPEN    0x3a02
#define ASC_REMOVAL_PREVENTED               0x5302
#define ASC_ILLEGAL_MODE_FOR_TRACK          0x6400
#define ASC_EMPTY_OR_PARTIAL_RESERVED_TRACK 0x7204
#define ASC_NO_MORE_RESERVATIONS            0x7205

/* ---- CD geometry (ECMA-130, MMC-6 §4.2) ---- */

#define CD_FRAMES_PER_SECOND    75
#define CD_PREGAP               150      /* 2 s before track 1 and TAO data tracks */
#define CD_MIN_TRACK            300      /* 4 s */
#define CD_RUN_OUT              2        /* run-out blocks after a TAO track */
#define CD_LEADIN_LEN           4500     /* 1 min */
#define CD_LEADOUT_FIRST        6750     /* 1:30 after the first session */
#define CD_LEADOUT_NEXT         2250     /* 0:30 after later sessions */
#define CD_ATIP_LEADIN_START    (-11635) /* 97:26:65 */
#define CD_ATIP_LEADIN_START_RW (-11850) /* 97:24:00 */
#define CD_LAST_LEADOUT         359849   /* 79:59:74, an 80 min disc */
#define CD_RAW_SECTOR           2352
#define CD_SUBCODE_BLOCK        96
#define DATA_SECTOR             2048

/* LBA ↔ MSF as in MMC-6 Table 17 / the cookbook (M ≥ 90 are negative LBAs of the lead-in). */
void emu_lba_to_msf(int32_t lba, uint8_t *ret_m, uint8_t *ret_s, uint8_t *ret_f);
int32_t emu_msf_to_lba(uint8_t m, uint8_t s, uint8_t f);
/* Writes 00 M S F (with MSF) or the LBA, big-endian. */
void emu_put_address(uint8_t *p, int32_t lba, bool msf);

/* ---- Profiles ---- */

typedef enum EmuFamily {
        EMU_FAMILY_CD,
        EMU_FAMILY_DVD,
        EMU_FAMILY_BD,
        _EMU_FAMILY_MAX,
        _EMU_FAMILY_INVALID = -EINVAL,
} EmuFamily;

enum {
        EMU_PROFILE_SEQUENTIAL = 1 << 0, /* tracks and sessions, written at the NWA */
        EMU_PROFILE_OVERWRITE = 1 << 1,  /* random writes in the formatted area */
        EMU_PROFILE_BLANKABLE = 1 << 2,  /* BLANK (CD-RW, DVD-RW) */
        EMU_PROFILE_ERASABLE = 1 << 3,   /* Erasable bit of READ DISC INFORMATION */
        EMU_PROFILE_TEST_WRITE = 1 << 4, /* Test Write in mode page 05h */
        EMU_PROFILE_FORMATTABLE = 1 << 5,
        EMU_PROFILE_DUAL_LAYER = 1 << 6,
};

typedef struct EmuProfileInfo {
        uint16_t number;
        const char *name;
        EmuFamily family;
        unsigned flags;
        uint32_t capacity;       /* user blocks of a blank disc (CD: last possible lead-out start) */
        uint32_t format_default; /* blocks after the default format; 0: not formattable */
        unsigned align;          /* track / packet alignment in blocks */
        uint32_t gap_first;      /* from a session's lead-out to the next NWA, after the first session */
        uint32_t gap_next;       /* ... after later sessions */
        uint8_t book;            /* DVD book type and part version (READ DISC STRUCTURE 00h byte 0) */
        const uint8_t *speeds;   /* write x-factors, ascending, 0-terminated */
} EmuProfileInfo;

const EmuProfileInfo *emu_profile_find(uint16_t number);
/* "cd-r" ... "bd-re" → profile number, or -EINVAL. */
int emu_profile_from_name(const char *name);
const char *emu_profile_name(uint16_t number);
/* Every medium profile the emulator can load, 0-terminated. */
extern const uint16_t emu_profiles_all[];
/* The 1x rate of a family in bytes/s of 2048-byte user data (CD: 75 blocks/s). */
uint64_t emu_family_rate(EmuFamily f);
/* kB/s (k = 1000) of x-factor x, as in mode page 2Ah and GET PERFORMANCE. */
uint32_t emu_family_kbps(EmuFamily f, unsigned x);

/* ---- The medium model ---- */

typedef enum EmuTrackState {
        EMU_TRACK_OPEN,     /* incomplete: being written at start + written (the "invisible" track) */
        EMU_TRACK_RESERVED, /* fixed size (RESERVE TRACK / SAO), being written */
        EMU_TRACK_COMPLETE, /* closed */
        _EMU_TRACK_STATE_MAX,
        _EMU_TRACK_STATE_INVALID = -EINVAL,
} EmuTrackState;

#define EMU_MAX_INDEX 99

typedef struct EmuTrack {
        uint16_t number;
        uint16_t session;
        int32_t start;     /* first block (CD: INDEX 01) */
        uint32_t pregap;   /* CD: INDEX 00 blocks before start */
        uint32_t size;     /* blocks to the next track's pregap or the lead-out (reserved: reserved size) */
        uint32_t written;  /* blocks recorded from start (padding included) */
        uint8_t ctl;       /* CONTROL nibble: 0 audio, 4 data uninterrupted, 5 data incremental (+2 copy) */
        uint8_t data_mode; /* 1 mode 1, 2 mode 2, 0xf unknown */
        EmuTrackState state;
        bool damaged;
        char isrc[13];
        uint8_t n_index;                   /* INDEX 02.. marks */
        uint32_t index[EMU_MAX_INDEX - 1]; /* offsets from start of INDEX 02, 03, ... */
} EmuTrack;

typedef struct EmuSession {
        uint16_t first_track;
        uint16_t last_track;
        int32_t leadout;      /* lead-out start */
        uint8_t format;       /* CD: 00h CD-DA/CD-ROM, 10h CD-I, 20h CD-ROM XA */
        uint8_t multisession; /* page 05h bits at closing: 0, 1 or 3 */
} EmuSession;

typedef struct EmuMedium {
        const EmuProfileInfo *info; /* what the disc is */
        uint16_t profile;           /* current profile (DVD-RW: 0013h or 0014h) */
        uint32_t capacity;          /* usable blocks (sequential), see EmuProfileInfo */
        uint32_t formatted;         /* overwrite media: formatted blocks; 0 = unformatted */
        uint8_t bg_format;          /* READ DISC INFORMATION BG format status */
        bool finalized;             /* no more sessions */
        bool dao_only;              /* DVD-RW after a minimal blank */
        GArray *sessions;           /* EmuSession: the closed sessions */
        GArray *tracks;             /* EmuTrack, by number (tracks[i].number == first + i) */
        uint32_t high_water;        /* overwrite media: highest written block + 1 */
        char mcn[14];               /* media catalog number, "" if none */
        GBytes *cdtext;             /* lead-in CD-TEXT packs (18 bytes each, CRC included) */
} EmuMedium;

EmuMedium *emu_medium_new(const EmuProfileInfo *info);
EmuMedium *emu_medium_free(EmuMedium *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EmuMedium, emu_medium_free)
EmuMedium *emu_medium_dup(const EmuMedium *m);

static inline bool emu_medium_is_cd(const EmuMedium *m)
{
        return m->info->family == EMU_FAMILY_CD;
}
static inline bool emu_medium_sequential(const EmuMedium *m)
{
        return !!(m->info->flags & EMU_PROFILE_SEQUENTIAL) && m->profile != 0x13;
}
static inline bool emu_medium_overwrite(const EmuMedium *m)
{
        return !emu_medium_sequential(m);
}
static inline unsigned emu_medium_n_tracks(const EmuMedium *m)
{
        return m->tracks->len;
}
static inline unsigned emu_medium_n_sessions(const EmuMedium *m)
{
        return m->sessions->len;
}
EmuTrack *emu_medium_track(const EmuMedium *m, unsigned number);
EmuTrack *emu_medium_last_track(const EmuMedium *m);
const EmuSession *emu_medium_session(const EmuMedium *m, unsigned number);
/* The number of the session new tracks go to (closed sessions + 1); 0 when finalized. */
unsigned emu_medium_open_session(const EmuMedium *m);
/* Tracks already in the open session (written or reserved). */
unsigned emu_medium_open_session_tracks(const EmuMedium *m);

typedef enum EmuDiscStatus {
        EMU_DISC_BLANK = 0,
        EMU_DISC_APPENDABLE = 1,
        EMU_DISC_COMPLETE = 2,
        EMU_DISC_OTHERS = 3,
} EmuDiscStatus;

EmuDiscStatus emu_medium_disc_status(const EmuMedium *m);
/* READ DISC INFORMATION "state of last session": 0 empty, 1 incomplete, 3 complete. */
unsigned emu_medium_last_session_state(const EmuMedium *m);

/* Where a new track would start (its first block) given the pregap of a new CD track. */
int32_t emu_medium_next_start(const EmuMedium *m, uint32_t cd_pregap);
/* Start of the lead-in of the open session (CD) / of the open session's area (others). */
int32_t emu_medium_open_session_leadin(const EmuMedium *m);
/* The last block + 1 a track may use. */
int32_t emu_medium_limit(const EmuMedium *m);

/* The incomplete track the host may write next: the open track if there is one, else the one a write
 * at the next start would create (filled in as a virtual track, number = last + 1). false when the
 * medium cannot take another track (finalized, full, overwrite media). */
bool emu_medium_invisible_track(const EmuMedium *m, uint32_t cd_pregap, EmuTrack *ret);
/* The open or reserved track whose next writable address is lba, or NULL. */
EmuTrack *emu_medium_track_writable_at(const EmuMedium *m, int32_t lba);
static inline int32_t emu_track_nwa(const EmuTrack *t)
{
        return t->start + (int32_t) t->written;
}
/* The track whose blocks [start - pregap, start + size) contain lba, or NULL. */
EmuTrack *emu_medium_track_at(const EmuMedium *m, int32_t lba);

EmuTrack *emu_medium_add_track(EmuMedium *m, int32_t start, uint32_t pregap, uint8_t ctl,
                               EmuTrackState state, uint32_t size);
/* Closes an open or reserved track: CD pads to 4 s and adds the run-out, others pad to the alignment. */
void emu_medium_close_track(EmuMedium *m, EmuTrack *t);
/* Closes every open track and the open session. finalize: no further session. */
void emu_medium_close_session(EmuMedium *m, bool finalize, uint8_t format, uint8_t multisession);
/* Lead-out start of the last closed session, or 0. */
int32_t emu_medium_last_leadout(const EmuMedium *m);
/* The last readable block + 1 (READ CAPACITY, image size); 0 when nothing is recorded. */
uint32_t emu_medium_recorded_end(const EmuMedium *m);
/* Erases everything: back to a blank disc of 'profile' (DVD-RW: 0014h). */
void emu_medium_blank(EmuMedium *m, uint16_t profile);
/* Formats overwrite media with 'blocks' usable blocks (profile: the profile afterwards). */
void emu_medium_format(EmuMedium *m, uint16_t profile, uint32_t blocks, bool keep_data);
/* Whether block lba can be read and, if so, whether it is audio and where that readable area ends.
 * -ERANGE when not readable. ret_end may be NULL. */
int emu_medium_readable(const EmuMedium *m, int32_t lba, bool *ret_audio, int64_t *ret_end);
/* A CD with both audio and data tracks. */
bool emu_medium_mixed(const EmuMedium *m);
bool emu_medium_has_audio(const EmuMedium *m);

/* ---- Persistence (emu-backing.c) ---- */

typedef struct EmuBacking EmuBacking;

/* Opens (creating) the state directory; dir NULL = a private temporary one, removed by _free(). */
int emu_backing_open(const char *dir, EmuBacking **ret, char **reterr_message);
EmuBacking *emu_backing_free(EmuBacking *b);
/* Loads the saved tray/medium state; *ret_medium NULL when the drive had none. */
int emu_backing_load(EmuBacking *b, bool *ret_tray_open, EmuMedium **ret_medium);
int emu_backing_save(EmuBacking *b, bool tray_open, const EmuMedium *m);
/* Drops all sector data (new disc, blank, format). Open image fds keep the old data. */
int emu_backing_reset(EmuBacking *b);
/* Sector data: 'audio' selects the 2352-byte store, else the 2048-byte one. lba ≥ 0. */
int emu_backing_write(EmuBacking *b, bool audio, int32_t lba, const void *buf, uint32_t blocks);
int emu_backing_read(EmuBacking *b, bool audio, int32_t lba, void *buf, uint32_t blocks);
/* Sets the size of a store to 'blocks' and returns a new read-only fd on it. */
int emu_backing_open_image(EmuBacking *b, bool audio, uint32_t blocks, int *ret_fd);

/* ---- The drive ---- */

/* Mode page 05h (MMC-6 §7.5.4), parsed. */
typedef struct EmuWriteParams {
        bool bufe;
        bool ls_v;
        bool test_write;
        uint8_t write_type;   /* 0 packet/incremental, 1 TAO, 2 SAO/DAO, 3 raw */
        uint8_t multisession; /* 0 finalize, 1 finalize with B0 = FF:FF:FF, 3 next session allowed */
        bool fp;
        bool copy;
        uint8_t track_mode;      /* CONTROL nibble of the next track */
        uint8_t data_block_type; /* 0 raw 2352 (audio), 8 mode 1 2048 */
        uint8_t link_size;
        uint8_t app_code;
        uint8_t session_format;
        uint32_t packet_size;
        uint16_t audio_pause;
        char mcn[14];  /* "" when MCVAL is 0 */
        char isrc[13]; /* "" when TCVAL is 0 */
        uint8_t subheader[4];
} EmuWriteParams;

#define EMU_WRITE_TYPE_PACKET 0
#define EMU_WRITE_TYPE_TAO    1
#define EMU_WRITE_TYPE_SAO    2
#define EMU_WRITE_TYPE_RAW    3

typedef enum EmuBusyKind {
        EMU_BUSY_NONE,
        EMU_BUSY_BLANK,
        EMU_BUSY_FORMAT,
} EmuBusyKind;

typedef struct EmuSaoPlan EmuSaoPlan; /* emu-cue.c */

struct EmuDrive {
        unsigned n_ref;
        GMutex lock;
        GCond cond;

        char *name;
        char vendor[9], product[17], revision[5], serial[33];
        uint16_t *profiles;  /* writable, 0-terminated */
        unsigned speed;      /* configured x-factor, 0 = unthrottled */
        unsigned host_speed; /* x-factor chosen by SET CD SPEED / SET STREAMING; 0 = highest */
        bool bufe_capable;

        EmuBacking *backing;
        bool tray_open;
        EmuMedium *medium;   /* the disc (in the drive or on the open tray) */
        EmuMedium *sim;      /* Test Write: the simulated state; medium stays untouched */
        uint64_t generation; /* bumped when the medium changes, so sleepers notice */
        bool dirty;          /* medium changed since the last save */

        bool executing; /* a command runs (it may sleep with the lock released) */
        bool prevent;
        bool ua_pending;
        uint8_t media_event; /* GET EVENT STATUS NOTIFICATION media event code pending */
        bool disconnected;

        EmuBusyKind busy;
        int64_t busy_start, busy_end; /* µs, monotonic */

        EmuWriteParams wp;
        uint8_t error_page[12]; /* mode page 01h */
        EmuSaoPlan *sao;
        EmuThrottle throttle;
        EmuFaults faults;
        EmuDriveStats stats;
};

/* The medium commands act on: the simulation while Test Write runs, else the real one. */
static inline EmuMedium *emu_drive_medium(EmuDrive *d)
{
        return d->sim ? d->sim : d->medium;
}
static inline bool emu_drive_has_medium(const EmuDrive *d)
{
        return d->medium && !d->tray_open;
}
bool emu_drive_can_write_profile(const EmuDrive *d, uint16_t profile);
/* The x-factors offered for the current medium (ascending, 0-terminated, at most 16). */
unsigned emu_drive_speeds(const EmuDrive *d, uint8_t ret[static 17]);
/* The x-factor writes run at now (0 = unthrottled) and the family it applies to. */
unsigned emu_drive_write_speed(const EmuDrive *d);
EmuFamily emu_drive_family(const EmuDrive *d);
void emu_drive_update_rate(EmuDrive *d);
/* Sleeps until 'until' (µs) with the lock released. false if the medium changed meanwhile. */
bool emu_drive_sleep_until(EmuDrive *d, int64_t until);
/* Ends Test Write: the simulated state is dropped. */
void emu_drive_end_simulation(EmuDrive *d);
/* The simulated medium, created on first use while Test Write is on. */
EmuMedium *emu_drive_writable_medium(EmuDrive *d);
void emu_drive_mark_dirty(EmuDrive *d);
void emu_drive_save(EmuDrive *d);
void emu_drive_remove_medium_locked(EmuDrive *d);
void emu_drive_default_write_params(EmuDrive *d);

/* ---- Command handling ---- */

/* Every handler returns 0 when the drive answered (status and sense in c) or a negative errno when it
 * could not (-ENODEV). These set CHECK CONDITION with fixed-format sense data and return 0. */
int emu_fail(ScsiCommand *c, uint8_t key, uint16_t asc_ascq);
/* ILLEGAL REQUEST, INVALID FIELD IN CDB with the sense-key specific field pointer (SPC-4 §4.5.2.4.2). */
int emu_fail_cdb(ScsiCommand *c, unsigned byte, int bit);
/* ... IN PARAMETER LIST, pointing at a byte of the data-out buffer. */
int emu_fail_param(ScsiCommand *c, unsigned byte);
/* With the INFORMATION field set to lba (VALID bit). */
int emu_fail_lba(ScsiCommand *c, uint8_t key, uint16_t asc_ascq, int64_t lba);
/* Sense data with a progress indication (NOT READY while formatting or blanking). */
void emu_sense_build(uint8_t sense[18], uint8_t key, uint16_t asc_ascq, bool progress_valid,
                     uint16_t progress);
/* Copies min(len, alloc, data_len) bytes of a response to the host. */
int emu_reply(ScsiCommand *c, const void *buf, size_t len, size_t alloc);
/* The data-out buffer when it holds at least 'need' bytes, else NULL (the command is then refused). */
const uint8_t *emu_data_out(ScsiCommand *c, size_t need);

static inline uint16_t cdb_u16(const ScsiCommand *c, unsigned off)
{
        return (uint16_t) (c->cdb[off] << 8 | c->cdb[off + 1]);
}
static inline uint32_t cdb_u24(const ScsiCommand *c, unsigned off)
{
        return (uint32_t) c->cdb[off] << 16 | (uint32_t) c->cdb[off + 1] << 8 | c->cdb[off + 2];
}
static inline uint32_t cdb_u32(const ScsiCommand *c, unsigned off)
{
        return (uint32_t) c->cdb[off] << 24 | (uint32_t) c->cdb[off + 1] << 16 |
               (uint32_t) c->cdb[off + 2] << 8 | c->cdb[off + 3];
}

/* The "ready" gate of medium commands: no medium, becoming ready, erase running. 0 and nothing set when
 * ready, else 1 with the sense in c. */
int emu_check_ready(EmuDrive *d, ScsiCommand *c);
/* The current NOT READY condition (key, asc/ascq, progress), false when ready. */
bool emu_drive_not_ready(EmuDrive *d, uint8_t *ret_key, uint16_t *ret_asc, bool *ret_progress,
                         uint16_t *ret_value);

typedef int (*EmuHandler)(EmuDrive *d, ScsiCommand *c);

/* emu-spc.c */
int emu_cmd_test_unit_ready(EmuDrive *d, ScsiCommand *c);
int emu_cmd_request_sense(EmuDrive *d, ScsiCommand *c);
int emu_cmd_inquiry(EmuDrive *d, ScsiCommand *c);
int emu_cmd_mode_sense(EmuDrive *d, ScsiCommand *c);
int emu_cmd_mode_select(EmuDrive *d, ScsiCommand *c);
int emu_cmd_start_stop_unit(EmuDrive *d, ScsiCommand *c);
int emu_cmd_prevent_allow(EmuDrive *d, ScsiCommand *c);
int emu_cmd_get_event_status(EmuDrive *d, ScsiCommand *c);
/* emu-features.c */
int emu_cmd_get_configuration(EmuDrive *d, ScsiCommand *c);
int emu_cmd_get_performance(EmuDrive *d, ScsiCommand *c);
int emu_cmd_set_cd_speed(EmuDrive *d, ScsiCommand *c);
int emu_cmd_set_streaming(EmuDrive *d, ScsiCommand *c);
/* Builds mode page 2Ah into p (at least 64 bytes); returns its length. */
size_t emu_page_capabilities(EmuDrive *d, uint8_t *p);
/* emu-disc.c */
int emu_cmd_read_disc_information(EmuDrive *d, ScsiCommand *c);
int emu_cmd_read_track_information(EmuDrive *d, ScsiCommand *c);
int emu_cmd_read_toc(EmuDrive *d, ScsiCommand *c);
int emu_cmd_read_capacity(EmuDrive *d, ScsiCommand *c);
int emu_cmd_read_format_capacities(EmuDrive *d, ScsiCommand *c);
int emu_cmd_read_disc_structure(EmuDrive *d, ScsiCommand *c);
/* emu-read.c */
int emu_cmd_read(EmuDrive *d, ScsiCommand *c);
int emu_cmd_read_cd(EmuDrive *d, ScsiCommand *c);
int emu_cmd_read_sub_channel(EmuDrive *d, ScsiCommand *c);
/* emu-write.c */
int emu_cmd_write(EmuDrive *d, ScsiCommand *c);
int emu_cmd_synchronize_cache(EmuDrive *d, ScsiCommand *c);
int emu_cmd_close_track_session(EmuDrive *d, ScsiCommand *c);
int emu_cmd_reserve_track(EmuDrive *d, ScsiCommand *c);
int emu_cmd_read_buffer_capacity(EmuDrive *d, ScsiCommand *c);
int emu_cmd_send_opc(EmuDrive *d, ScsiCommand *c);
/* emu-write.c, shared with the SAO writer. Each returns 0 to go on, 1 when it answered (sense in c), or
 * -ENODEV: the command's sleep was cut short by a medium change / drive gone (emu_interrupted() answers
 * that), the refusals common to recording commands, the faults and throttle of a WRITE of n blocks at
 * lba, storing its data (unless simulating), the slow-drive delay, and waiting for an empty buffer. */
int emu_interrupted(EmuDrive *d, ScsiCommand *c);
int emu_check_writable(EmuDrive *d, ScsiCommand *c);
int emu_write_admit(EmuDrive *d, ScsiCommand *c, int32_t lba, uint32_t n, EmuTrack *t);
int emu_write_store(EmuDrive *d, ScsiCommand *c, bool audio, int32_t lba, const void *data, uint32_t n,
                    EmuTrack *t);
int emu_write_slow(EmuDrive *d, ScsiCommand *c);
int emu_write_flush(EmuDrive *d, ScsiCommand *c);
/* emu-erase.c */
int emu_cmd_blank(EmuDrive *d, ScsiCommand *c);
int emu_cmd_format_unit(EmuDrive *d, ScsiCommand *c);
/* emu-cue.c */
int emu_cmd_send_cue_sheet(EmuDrive *d, ScsiCommand *c);
EmuSaoPlan *emu_sao_plan_free(EmuSaoPlan *p);
/* A WRITE while a cue sheet is active: handles it completely. */
int emu_sao_write(EmuDrive *d, ScsiCommand *c, int32_t lba, uint32_t blocks);
/* SYNCHRONIZE CACHE while a cue sheet is active: closes the session when everything was written. */
int emu_sao_finish(EmuDrive *d, ScsiCommand *c);

/* emu-cdtext.c: CD-TEXT packs (MMC-6 Annex J / Red Book). */
uint16_t emu_cdtext_crc(const uint8_t pack[16]);
/* 96 bytes of lead-in R-W subcode (4 packs spread over 6-bit symbols) → 4 packs of 18 bytes. */
void emu_cdtext_unpack_block(const uint8_t block[96], uint8_t ret_packs[4][18]);
/* The strings of one pack type (0x80 title, 0x81 performer ...) of block 0: ret[0] disc, ret[n] track
 * n (up to 99). NULL entries for missing ones. Texts are converted from ISO 8859-1 to UTF-8. */
void emu_cdtext_strings(GBytes *packs, uint8_t type, char *ret[100]);
