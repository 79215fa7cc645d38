/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* org.freedesktop.IMAPI1.ImageDiscMaster: burning a prepared image. */
#pragma once

#include "manager.h"

#define IMAPI_IMAGE_DISC_MASTER_INTERFACE "org.freedesktop.IMAPI1.ImageDiscMaster"

int bus_image_register(Manager *m);
