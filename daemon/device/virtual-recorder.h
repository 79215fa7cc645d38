/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Virtual recorders: a Recorder whose Transport is the software drive of emu/, with its disc kept under
 * StateDirectory/virtual/NAME (persistent) or in a private temporary directory. */
#pragma once

#include <stdbool.h>

#include "config.h"
#include "recorder.h"

/* Checks a name and options from a client or the configuration; -EINVAL with a message naming the fault. */
int virtual_recorder_config_validate(const char *name, const VirtualRecorderConfig *vc,
                                     char **reterr_message);

/* 'state_dir' is where the disc lives; it is created when missing and resumed when present. */
int virtual_recorder_new(const VirtualRecorderConfig *vc, const char *state_dir, bool persistent,
                         const char *object_path, Recorder **ret, char **reterr_message);

uint32_t virtual_recorder_speed(Recorder *r);
bool virtual_recorder_offers_profile(Recorder *r, const char *profile);
int virtual_recorder_load_medium(Recorder *r, const char *profile);
int virtual_recorder_open_image(Recorder *r, int *ret_fd, char **ret_cue_sheet);
/* Deletes the recorder's state directory when it is removed for good. */
void virtual_recorder_forget(Recorder *r);

/* The persistent virtual recorders that CreateVirtualRecorder(persistent=true) made in an earlier run. */
int virtual_recorder_list_persistent(const char *virtual_dir, VirtualRecorderConfig **ret, size_t *ret_n);
