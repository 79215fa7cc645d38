/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* org.freedesktop.IMAPI1.Recorder and org.freedesktop.IMAPI1.VirtualRecorder. */
#pragma once

#include "manager.h"
#include "recorder.h"

#define IMAPI_RECORDER_INTERFACE         "org.freedesktop.IMAPI1.Recorder"
#define IMAPI_VIRTUAL_RECORDER_INTERFACE "org.freedesktop.IMAPI1.VirtualRecorder"

int bus_recorder_register(Manager *m);
int bus_virtual_recorder_register(Manager *m);

/* PropertiesChanged on the Recorder interface for the NULL-terminated names. */
void bus_recorder_emit_changed(Manager *m, Recorder *r, const char *first, ...) G_GNUC_NULL_TERMINATED;
/* Re-reads the medium of a virtual recorder and emits what changed (the emulator answers at once). */
void bus_recorder_refresh_media(Manager *m, Recorder *r);

/* For real drives, which may take seconds to answer: read the medium in a worker thread, then apply it
 * on the loop, which emits what changed. */
typedef struct BusRecorderMedia {
        int r;
        RecorderMedia media;
        MediaInfo info;
} BusRecorderMedia;
void bus_recorder_media_read(BusRecorderMedia *b, Recorder *r);  /* worker */
void bus_recorder_media_apply(BusRecorderMedia *b, Recorder *r); /* loop; consumes b->media */
