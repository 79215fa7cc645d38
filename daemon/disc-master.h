/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A disc master: one client's burn session (IMAPI's IDiscMaster after Open): its format, the recorder it
 * holds, its stash and staged content, and its running burn. Owned by the client's bus connection. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include <systemd/sd-bus.h>

#include "content.h"
#include "manager.h"

typedef struct Stash Stash;
typedef struct MasterTree MasterTree;
typedef struct AudioDisc AudioDisc;
typedef struct AddDataCall AddDataCall;
typedef struct BurnCall BurnCall;
typedef struct AppendCall AppendCall;

typedef enum DiscFormat {
        DISC_FORMAT_NONE,
        DISC_FORMAT_JOLIET,
        DISC_FORMAT_REDBOOK,
        DISC_FORMAT_IMAGE,
        _DISC_FORMAT_MAX,
        _DISC_FORMAT_INVALID = -EINVAL,
} DiscFormat;

const char *disc_format_to_string(DiscFormat f); /* "" for NONE */
DiscFormat disc_format_from_string(const char *s);

typedef enum DiscMasterState {
        DISC_MASTER_STATE_STAGING,
        DISC_MASTER_STATE_BURNING,
        DISC_MASTER_STATE_ERASING,
        _DISC_MASTER_STATE_MAX,
        _DISC_MASTER_STATE_INVALID = -EINVAL,
} DiscMasterState;

const char *disc_master_state_to_string(DiscMasterState s);

struct DiscMaster {
        Manager *manager;
        unsigned id;
        char *object_path;
        char *owner; /* the client's unique bus name */
        uid_t uid;
        char *client_name;

        DiscFormat format;
        Recorder *recorder; /* held; a reference */
        Stash *stash;
        DiscMasterState state;

        /* Staged content of the joliet format, and its properties (JolietDiscMaster). */
        MasterTree *tree;
        uint64_t used_blocks;  /* the tree's size, cached: the tree is the burn's while it runs */
        char *volume_name;     /* NULL: the default (the date) */
        unsigned file_systems; /* MasterFileSystem mask */
        bool stage_files;
        uint32_t free_media_blocks; /* 0: the recorder's free blocks */
        bool boot_place;
        Content boot_image;
        uint8_t boot_platform;
        uint8_t boot_emulation;
        char *boot_manufacturer;
        AddDataCall *add_data_call; /* a StageFiles copy in a worker */
        /* AddProgress at most every 100 ms (bus-joliet.c): when the last went out, and the latest values
         * while the timer holds them back. */
        uint64_t add_progress_usec;
        uint32_t add_progress_done, add_progress_total;
        sd_event_source *add_progress_timer;

        /* Staged content of the redbook format. */
        AudioDisc *audio;
        AppendCall *audio_append; /* an AddAudioTrackBlocksFromFd in a worker */

        /* Staged content of the image format. */
        Content image;
        uint64_t image_blocks;

        BurnCall *burn; /* the running burn or erase */

        /* Live progress of the running (or last) burn, for clients that join late. */
        const char *action; /* "preparing", "writing", "closing", "verifying" or "" */
        uint32_t blocks_written;
        uint32_t blocks_total;
        uint32_t current_track;
        uint32_t total_tracks;
        uint32_t elapsed_seconds;
        uint32_t remaining_seconds;
};

/* Creates, exports and tracks a disc master for the sender of 'message'. */
int disc_master_new(Manager *m, sd_bus_message *message, const char *client_name, DiscMaster **ret,
                    char **reterr_message);
/* Unexports it, releases its recorder, deletes its stash and frees it. */
void disc_master_close(DiscMaster *dm);

bool disc_master_has_content(DiscMaster *dm);
void disc_master_clear_content(DiscMaster *dm);

/* Holds 'r' exclusively (NULL releases); the previous recorder is released. */
int disc_master_set_recorder(DiscMaster *dm, Recorder *r, char **reterr_message);

/* Lets go of a recorder that left the system; ActiveRecorder becomes "/". */
void disc_master_release_gone_recorder(DiscMaster *dm);

/* Whether the sender of 'message' owns this disc master. */
bool disc_master_is_owner(DiscMaster *dm, sd_bus_message *message);
