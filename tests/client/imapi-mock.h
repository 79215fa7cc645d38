/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A stand-in imapid for libimapi's tests: the generated skeletons on a private bus, in their own thread,
 * recording what the client sent and playing scripted burns. */
#pragma once

#include <imapi.h>

#define MOCK_DISC_MASTER_PATH "/org/freedesktop/IMAPI1/DiscMaster/1"

typedef enum MockBurn {
        MOCK_BURN_OK,     /* Preparing, progress to the end, Closing, success */
        MOCK_BURN_FAIL,   /* some progress, then BurnComplete with LossOfStreaming */
        MOCK_BURN_SLOW,   /* progress until Cancel(), then UserAbort */
        MOCK_BURN_VANISH, /* some progress, then the service leaves the bus */
        MOCK_BURN_REFUSE, /* RecordDisc fails with NoActiveRecorder */
} MockBurn;

typedef struct Mock {
        GThread *thread;
        GMainContext *context;
        GMainLoop *loop;
        GDBusConnection *connection;
        GDBusObjectManagerServer *object_manager;
        ImapiManager *manager;
        ImapiDiscMaster *disc_master;
        ImapiJolietDiscMaster *joliet;
        ImapiRedbookDiscMaster *redbook;
        ImapiImageDiscMaster *image;
        ImapiRecorder *recorder; /* virtual_a, the one disc masters take */
        char *device_node;       /* Device of usb-drive */

        GMutex lock;       /* guards what follows */
        GPtrArray *staged; /* "path type size", type d/f/l */
        guint add_calls;
        guint max_entries_per_call;
        guint entry_limit; /* > 0: AddData with more entries fails with LimitsExceeded */
        guint fail_call;   /* > 0: that AddData call (1-based) fails with FileExists */
        GByteArray *pcm;
        guint32 track_hint;
        guint tracks;
        char *track_title;
        char *track_performer;
        guint64 image_size;
        char *format;
        char *active_recorder;
        GDBusMessageFlags set_recorder_flags;
        GDBusMessageFlags record_flags;
        gboolean record_simulate, record_eject, record_close;
        MockBurn burn;
        gboolean cancel_called;
        guint burn_step;
        gboolean erase_full;
        guint step_ms;        /* between scripted burn events (default 10) */
        guint steps;          /* BlockProgress events of MOCK_BURN_OK (default 3) */
        char *volume;         /* SetJolietProperties VolumeName */
        gboolean stage_files; /* SetJolietProperties StageFiles */
        int gap;              /* SetRecorderProperties AudioGapSize, -1 if not set */
        char *disc_title;
        char *disc_performer;
        guint tracks_closed_blocks; /* blocks of all closed tracks */
} Mock;

Mock *mock_start(const char *bus_address);
void mock_stop(Mock *m);
void mock_add_recorder(Mock *m, const char *id);
void mock_remove_recorder(Mock *m, const char *id);
