/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Real recorders: a Recorder on a /dev/srN drive through mmc/transport-cdio, whose hold opens the drive
 * exclusively and whose release unlocks the tray and gives the drive back to shared use. */
#pragma once

#include "recorder.h"

/* A Recorder for 'devnode' (its Device property) with udev's 'syspath' (for the SCSI siblings); not
 * probed yet (recorder_probe() does that, in a worker: a real drive may take seconds to answer). */
int real_recorder_new(const char *id, const char *object_path, const char *devnode, const char *syspath,
                      Recorder **ret);

/* The drive was unplugged: every later command fails with DeviceNotPresent and its fds are closed. The
 * Recorder stays valid for whoever still has a reference (a disc master holding it). */
void real_recorder_set_gone(Recorder *r);
