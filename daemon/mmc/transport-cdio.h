/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Transport of a real drive: /dev/srN through libcdio's MMC pass-through, with the exclusive hold.
 *
 * This is the only code of the daemon that opens device nodes (tools/check-source enforces it). Without a
 * hold the daemon keeps no fd on the drive: each command opens the node shared (libcdio "MMC_RDWR",
 * O_RDWR|O_NONBLOCK) and closes it again, so desktop tools, eject and udisks work as if imapid were not
 * there. While a disc master holds the recorder the node is open O_EXCL (libcdio "MMC_RDWR_EXCL"), and so
 * are its SCSI siblings (/dev/sg* of the same H:C:T:L, found in sysfs), as libburn's exclusive=2 does:
 * mounts, other burning programs and other O_EXCL openers are kept out (linux-anchors.md §2.6).
 *
 * Unlike the emulator's, this Transport may be used from several threads: each command, hold and release
 * takes an internal lock. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "transport.h"

/* The largest transfer of one command when sysfs does not say (queue/max_sectors_kb). */
#define TRANSPORT_CDIO_DEFAULT_MAX_TRANSFER (64u * 1024u)

/* Command classes and their timeouts (ScsiCommand.timeout_ms 0 picks one). */
#define TRANSPORT_CDIO_TIMEOUT_QUICK_MS  (10u * 1000u)       /* TEST UNIT READY, INQUIRY, sense, events */
#define TRANSPORT_CDIO_TIMEOUT_NORMAL_MS (60u * 1000u)       /* reads, writes, mode pages, disc structures */
#define TRANSPORT_CDIO_TIMEOUT_LONG_MS   (15u * 60u * 1000u) /* SYNCHRONIZE CACHE, CLOSE, START STOP, OPC */
#define TRANSPORT_CDIO_TIMEOUT_FORMAT_MS (2u * 3600u * 1000u) /* BLANK and FORMAT UNIT without Immed */

/* A transport for 'devnode' ("/dev/sr0"). 'syspath' (udev's, may be NULL) is where the SCSI siblings and
 * the host's transfer limit are looked up. Opens nothing yet; -ENODEV when the node does not exist. */
int transport_cdio_new(const char *devnode, const char *syspath, Transport **ret);
bool transport_is_cdio(Transport *t);

/* The hold: opens the node and its siblings O_EXCL and keeps them open until transport_cdio_release().
 * -EBUSY when another opener holds the drive exclusively (another burning program, a mount) or this
 * process holds it already through another transport; -ENODEV when the drive is gone. Idempotent. */
int transport_cdio_hold(Transport *t);
/* Closes the exclusive fds; the node is back to shared, per-command use. Accepts a transport not held. */
void transport_cdio_release(Transport *t);
bool transport_cdio_is_held(Transport *t);

/* The drive was unplugged: every later command fails with -ENODEV, and the fds are closed as soon as no
 * command is running (at once when none is). Never blocks. */
void transport_cdio_set_gone(Transport *t);

/* Whether some transport of this process holds 'devnode' (the bookkeeping behind -EBUSY above, which
 * also covers nodes where the kernel does not enforce O_EXCL). */
bool transport_cdio_node_is_held(const char *devnode);

/* The timeout a command gets when it does not set one: by opcode, the Immed bit of BLANK, FORMAT UNIT,
 * CLOSE TRACK/SESSION and SYNCHRONIZE CACHE taken into account. */
unsigned transport_cdio_default_timeout_ms(const ScsiCommand *cmd);

/* The most bytes one command moves (larger READ/WRITE(10/12) are split). */
size_t transport_cdio_get_max_transfer(Transport *t);
