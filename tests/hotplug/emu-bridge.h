/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Emulated drives behind umockdev /dev/srN nodes: a testbed with udev records for each drive (the block
 * device, its SCSI device and an sg sibling) and an ioctl handler that hands SG_IO and CDROM_SEND_PACKET
 * to an EmuDrive, answering the classic CDROM/sg ioctls the way the kernel would. Hotplug is udev
 * "add"/"change"/"remove" through the testbed.
 *
 * The process owning the bridge must run under umockdev-wrapper (test-harness.md §3). Handlers run in
 * umockdev's worker thread and, for anything that reaches the drive, in one thread per drive, so the
 * owner may block (and may itself open the nodes). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "emu-drive.h"

typedef struct EmuBridge EmuBridge;
typedef struct EmuBridgeDrive EmuBridgeDrive;

typedef struct EmuBridgeDriveOptions {
        const char *profiles; /* comma-separated writable profiles ("cd-r,cd-rw"); NULL: all */
        const char *medium;   /* blank disc loaded at start; NULL: none */
        unsigned speed;       /* throttle x-factor; 0 unthrottled */
        const char *vendor, *product, *revision; /* INQUIRY; NULL: the emulator's defaults */
        const char *serial;                      /* udev ID_SERIAL; NULL: none */
        const char *id_path;                     /* udev ID_PATH; NULL: none */
        unsigned max_sectors_kb;                 /* sysfs queue/max_sectors_kb; 0: not published */
        bool sibling;                            /* publish an sg node of the same SCSI device */
} EmuBridgeDriveOptions;

EmuBridge *emu_bridge_new(GError **error);
void emu_bridge_free(EmuBridge *b);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EmuBridge, emu_bridge_free)
/* $UMOCKDEV_DIR of the testbed. */
const char *emu_bridge_get_root(EmuBridge *b);

/* Adds drive 'index' (/dev/sr<index>, and /dev/sg<k> with k counting up from 0 over all adds, as the kernel
 * hands out sg numbers); udev "add" events go out at once. */
EmuBridgeDrive *emu_bridge_add_drive(EmuBridge *b, unsigned index, const EmuBridgeDriveOptions *opts,
                                     GError **error);
/* The present drive 'index'; with removed_too, the last one that had it (its clients may still call). */
EmuBridgeDrive *emu_bridge_find_drive(EmuBridge *b, unsigned index, bool removed_too);
/* Unplugs: the drive fails every later command with ENODEV (as a vanished SCSI device does), then udev
 * "remove" goes out and the records disappear. */
void emu_bridge_remove_drive(EmuBridge *b, EmuBridgeDrive *d);
/* A udev "change" on the block device (a media event). */
void emu_bridge_change(EmuBridge *b, EmuBridgeDrive *d);

EmuDrive *emu_bridge_drive_get_emu(EmuBridgeDrive *d);
/* Open fds on the nodes right now (connected umockdev ioctl clients). */
unsigned emu_bridge_drive_opens(EmuBridgeDrive *d, bool sibling);
/* Last timeout a command with this opcode asked for, in ms (CDROM_SEND_PACKET's clock ticks converted);
 * 0 when none came. */
unsigned emu_bridge_drive_last_timeout_ms(EmuBridgeDrive *d, uint8_t opcode);
/* Largest data transfer of one command with this opcode, in bytes. */
unsigned emu_bridge_drive_max_transfer(EmuBridgeDrive *d, uint8_t opcode);
/* How many commands of this opcode arrived. */
unsigned emu_bridge_drive_count(EmuBridgeDrive *d, uint8_t opcode);
/* Writes what the disc holds to 'path' (and its cue sheet to 'cue_path' when not NULL). */
int emu_bridge_drive_save_image(EmuBridgeDrive *d, const char *path, const char *cue_path);
/* Prints every command to stderr. */
void emu_bridge_set_trace(EmuBridge *b, bool trace);
