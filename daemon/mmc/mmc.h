/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The MMC layer in one include: builders, sending, sense, parsers, probing, writing, blanking. */
#pragma once

#include "cdb.h"
#include "mmc-blank.h"
#include "mmc-command.h"
#include "mmc-config.h"
#include "mmc-disc.h"
#include "mmc-media.h"
#include "mmc-speed.h"
#include "mmc-write.h"
#include "profile.h"
#include "sense.h"
#include "spc.h"
#include "transport.h"
