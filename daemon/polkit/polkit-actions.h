/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The polkit actions of imapid, declared once (DESIGN.md §4). tests/unit/test-polkit-actions.c checks them
 * against polkit/org.freedesktop.imapi1.policy. */
#pragma once

#define POLKIT_ACTION_ACQUIRE_RECORDER         "org.freedesktop.imapi1.acquire-recorder"
#define POLKIT_ACTION_RECORD_DISC              "org.freedesktop.imapi1.record-disc"
#define POLKIT_ACTION_ERASE_DISC               "org.freedesktop.imapi1.erase-disc"
#define POLKIT_ACTION_EJECT_MEDIA              "org.freedesktop.imapi1.eject-media"
#define POLKIT_ACTION_MANAGE_VIRTUAL_RECORDERS "org.freedesktop.imapi1.manage-virtual-recorders"

#define POLKIT_ACTIONS_ALL                                                                                  \
        POLKIT_ACTION_ACQUIRE_RECORDER, POLKIT_ACTION_RECORD_DISC, POLKIT_ACTION_ERASE_DISC,                \
                POLKIT_ACTION_EJECT_MEDIA, POLKIT_ACTION_MANAGE_VIRTUAL_RECORDERS
