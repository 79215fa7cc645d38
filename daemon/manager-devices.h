/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Real recorders on the bus: the device monitor's recorders exported and taken away through the manager. */
#pragma once

#include "manager.h"

/* With EnableUdev: enumerates the optical drives and follows hotplug (device/device-monitor.c). */
int manager_start_device_monitor(Manager *m);
void manager_stop_device_monitor(Manager *m);
