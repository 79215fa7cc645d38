/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libimapi: the client library of imapid, the disc-burning service on the system bus. Include only this. */
#pragma once

#define IMAPI_INSIDE

#include <gio/gio.h>
#include <gio/gunixfdlist.h>

#include "imapi-generated.h"
#include "imapi-error.h"
#include "imapi-client.h"
#include "imapi-disc-master.h"

#undef IMAPI_INSIDE
