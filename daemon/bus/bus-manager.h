/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* org.freedesktop.IMAPI1.Manager at the root, and the ObjectManager there. */
#pragma once

#include "manager.h"

#define IMAPI_MANAGER_INTERFACE "org.freedesktop.IMAPI1.Manager"

int bus_manager_register(Manager *m);
