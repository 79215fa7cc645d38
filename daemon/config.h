/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* imapid.conf: where stashes live, every bound on what clients may ask for, and the virtual recorders
 * that exist from start-up. Defaults are here, in code; the file only overrides them. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

typedef struct VirtualRecorderConfig {
        char *name;      /* [A-Za-z0-9_-]{1,32} */
        char **profiles; /* writable profile names; NULL = every profile the emulator models */
        char *medium;    /* profile of the blank disc loaded at start; "" = none */
        unsigned speed;  /* x-factor, 0 = unthrottled */
        char *faults;    /* scripted faults of the emulated drive (daemon/emu/README.md); NULL = none */
} VirtualRecorderConfig;

typedef struct Config {
        char *stash_directory;        /* [Daemon] StashDirectory */
        char *state_directory;        /* [Daemon] StateDirectory: virtual recorders' discs */
        uint64_t stash_reserve_bytes; /* [Daemon] StashReserveMiB: free space the stash never uses */
        bool allow_removable_stash;   /* [Daemon] AllowRemovableStash (tests on loop devices) */
        unsigned polkit_timeout_sec;  /* [Daemon] PolkitTimeoutSec */
        bool enable_udev;             /* [Daemon] EnableUdev: discover real recorders */

        unsigned max_disc_masters_per_user;     /* [Limits] DiscMastersPerUser */
        unsigned max_entries_per_call;          /* [Limits] EntriesPerAddData */
        unsigned max_entries_per_image;         /* [Limits] EntriesPerImage */
        unsigned max_path_bytes;                /* [Limits] PathLength */
        unsigned max_name_bytes;                /* [Limits] NameLength */
        uint64_t max_stash_bytes_per_user;      /* [Limits] StashMiBPerUser */
        unsigned max_audio_tracks;              /* [Limits] AudioTracks (<= 99) */
        uint64_t max_audio_bytes_per_call;      /* [Limits] AudioKiBPerCall */
        unsigned max_pending_polkit_per_client; /* [Limits] PendingAuthorizationsPerClient */
        unsigned max_virtual_recorders;         /* [Limits] VirtualRecorders */

        VirtualRecorderConfig *virtual_recorders;
        size_t n_virtual_recorders;
} Config;

void config_init_defaults(Config *c);
void config_done(Config *c);

/* Loads 'path' over the defaults. A missing file is not an error when 'must_exist' is false.
 * Bad values are errors (-EINVAL) with a message naming the key. */
int config_load(Config *c, const char *path, bool must_exist, char **reterr_message);

bool virtual_recorder_name_is_valid(const char *name);
