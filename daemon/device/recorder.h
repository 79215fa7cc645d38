/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Recorder model: one drive (real or virtual), what MMC says about it and its disc, who holds it, and
 * the IMAPI v1 recorder properties. No D-Bus here; bus/bus-recorder.c exports it. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "mmc-media.h"
#include "transport.h"

typedef struct EmuDrive EmuDrive;
struct Manager;

typedef enum RecorderState {
        RECORDER_STATE_IDLE,
        RECORDER_STATE_OPENED,
        RECORDER_STATE_BURNING,
        RECORDER_STATE_ERASING,
        _RECORDER_STATE_MAX,
        _RECORDER_STATE_INVALID = -EINVAL,
} RecorderState;

const char *recorder_state_to_string(RecorderState s);

/* What the drive is, from INQUIRY, GET CONFIGURATION and mode page 2Ah. */
typedef struct RecorderIdentity {
        char *vendor;
        char *product;
        char *revision;
        uint32_t recorder_type;  /* IMAPI v1: 1 CD-R, 2 CD-RW */
        char **profiles;         /* writable profile names */
        uint32_t max_write_speed; /* x-factor for CD (the drive's best) */
        bool bufe_capable;
} RecorderIdentity;

/* What the loaded disc is, from the MMC probe (all the Media* properties of DESIGN.md §4). */
typedef struct RecorderMedia {
        bool present;
        char *profile;       /* "" without a disc */
        int32_t media_type;  /* IMAPI v1 MEDIA_TYPES */
        uint32_t media_flags;
        uint32_t media_state;
        uint32_t sessions;
        uint32_t last_track;
        uint32_t start_address;
        uint32_t next_writable;
        uint32_t free_blocks;
        uint32_t total_blocks;
        uint32_t *write_speeds;  /* x-factors, fastest first */
        size_t n_write_speeds;
        uint32_t max_write_speed;
} RecorderMedia;

void recorder_media_done(RecorderMedia *m);
bool recorder_media_equal(const RecorderMedia *a, const RecorderMedia *b);

/* IMAPI v1 recorder properties (IDiscRecorder::Get/SetRecorderProperties). */
#define RECORDER_AUDIO_GAP_DEFAULT 150
#define RECORDER_AUDIO_GAP_MAX 225

typedef struct RecorderSettings {
        uint32_t write_speed;   /* x-factor; 0 = fastest */
        int32_t audio_gap_size; /* 0..225 */
        int32_t enable_bufe;    /* -1 default (on when capable), 0 off, 1 on */
} RecorderSettings;

typedef struct Recorder Recorder;

/* What a real drive adds to the hold (device/real-recorder.c); NULL for virtual recorders. */
typedef struct RecorderOps {
        int (*acquire)(Recorder *r); /* the hold begins (the node opens O_EXCL); < 0 refuses it */
        void (*release)(Recorder *r); /* the hold ended (tray unlocked, node back to shared use) */
} RecorderOps;

struct Recorder {
        unsigned n_ref;
        struct Manager *manager; /* set when exported; the bus layer's back pointer */
        char *id;
        char *object_path;
        char *device;     /* "/dev/sr0"; "" for virtual recorders */
        char *syspath;    /* udev syspath; NULL for virtual recorders */
        bool is_virtual;
        char *virtual_name;
        EmuDrive *emu;    /* virtual recorders only */
        Transport *transport;
        GMutex io_lock;   /* one user of the transport at a time */

        RecorderIdentity identity;
        RecorderMedia media;
        DriveInfo drive_info;   /* the last mmc_probe_drive() */
        MediaInfo media_info;   /* the last mmc_probe_media(), for the burn engine */
        RecorderState state;
        void *holder;     /* the DiscMaster holding it */
        char *owner;      /* the holder's client name */
        RecorderSettings settings;
        bool gone;        /* removed from the system while held */
        const RecorderOps *ops;
};

/* Takes ownership of the transport (and of emu, for virtual recorders). */
Recorder *recorder_new(const char *id, const char *object_path, Transport *transport);
Recorder *recorder_ref(Recorder *r);
Recorder *recorder_unref(Recorder *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Recorder, recorder_unref)

/* Asks the drive who it is (INQUIRY, GET CONFIGURATION, page 2Ah). -ENODEV/-EOPNOTSUPP when it is not a
 * recorder that can write any profile. */
int recorder_probe(Recorder *r);
/* Re-reads the disc's state; returns 1 when anything bus-visible changed, 0 when not. */
int recorder_refresh_media(Recorder *r);
/* The same in two halves, for a worker thread that reads the drive (takes io_lock) and the event loop
 * that updates the model: apply takes ownership of *media and returns 1 when anything changed. */
int recorder_read_media(Recorder *r, RecorderMedia *ret_media, MediaInfo *ret_info);
int recorder_apply_media(Recorder *r, RecorderMedia *media, const MediaInfo *info);

/* Exclusive hold (DESIGN.md §4 SetActiveRecorder): -IMAPI_ERROR_DEVICE_STILL_IN_USE when another
 * holder has it. Release resets the settings to their defaults. */
int recorder_acquire(Recorder *r, void *holder, const char *owner);
void recorder_release(Recorder *r, void *holder);
void recorder_set_state(Recorder *r, RecorderState s);

/* IMAPI v1 MaxWriteSpeed: the fastest x-factor for the loaded disc, or the drive's best without one. */
uint32_t recorder_max_write_speed(const Recorder *r);

void recorder_settings_reset(Recorder *r);

/* Drops the emulated drive of a virtual recorder (recorder-mmc.c). */
void recorder_free_emu(Recorder *r);

/* START STOP UNIT: eject (with PREVENT ALLOW allow first) or load. */
int recorder_eject(Recorder *r);
int recorder_close_tray(Recorder *r);
