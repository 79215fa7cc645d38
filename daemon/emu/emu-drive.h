/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The software MMC drive behind virtual recorders and tests: a Transport that answers like a real drive.
 *
 * An EmuDrive holds a tray, at most one medium and a drive buffer. Clients talk to it only through the
 * Transport (SPC/MMC commands with sense data, MMC-6 / SPC-4 formats); the functions below are only for
 * what a human does with a drive (insert a disc, take it out) or for reading the burned result. With a
 * state directory the disc (state.ini plus sparse sector files) survives a restart: a drive created on
 * the same directory resumes the same disc. See daemon/emu/README.md for the model and the fault grammar.
 *
 * Thread safety: every function and the Transport's execute() take the drive's mutex. A throttled
 * WRITE or a non-immediate BLANK sleeps inside execute() with the mutex released, so the product API
 * stays responsive while a burn worker writes. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "transport.h"

typedef struct EmuDrive EmuDrive;

#define EMU_DRIVE_DEFAULT_BUFFER_SIZE (4u * 1024u * 1024u)

typedef struct EmuDriveConfig {
        /* MMC profile numbers the drive can write (0009h CD-R ... 0043h BD-RE). Media of these profiles
         * can be loaded; DVD-RW covers both 0013h and 0014h. NULL/0: every profile the emulator knows. */
        const uint16_t *profiles;
        size_t n_profiles;
        unsigned speed;     /* x-factor of the throttle (1x CD = 75 sectors/s); 0 = unthrottled */
        size_t buffer_size; /* drive buffer in bytes; 0 = EMU_DRIVE_DEFAULT_BUFFER_SIZE */
        bool bufe_capable;  /* buffer underrun protection ("BURN-Free") may be switched on */
        const char *vendor; /* INQUIRY strings; NULL: "IMAPID", "Virtual <name>", "1.00" */
        const char *product;
        const char *revision;
} EmuDriveConfig;

/* Fills *cfg with the defaults: all profiles, unthrottled, 4 MiB buffer, BUFE capable. */
void emu_drive_config_init(EmuDriveConfig *cfg);

/* Creates a drive. name: a short identifier ([A-Za-z0-9_-], at most 32 characters) used in the default
 * product string and the serial number. state_dir: the directory that keeps the disc across restarts
 * (created if missing; an existing one is resumed); NULL keeps everything in a private temporary
 * directory removed by the last unref. cfg NULL = defaults. */
int emu_drive_new(const char *name, const EmuDriveConfig *cfg, const char *state_dir, EmuDrive **ret,
                  char **reterr_message);
EmuDrive *emu_drive_ref(EmuDrive *d);
EmuDrive *emu_drive_unref(EmuDrive *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EmuDrive, emu_drive_unref)

/* A new Transport ("emu") whose execute() runs one command on the drive. It holds a reference on the
 * drive; transport_free() drops it. Several transports may exist; they share the drive. */
Transport *emu_drive_new_transport(EmuDrive *d);

/* The drive is unplugged: every later execute() returns -ENODEV. Product calls still work. */
void emu_drive_disconnect(EmuDrive *d);

/* Inserts a fresh blank disc of that profile (0009h CD-R, 000Ah CD-RW, 0011h DVD-R, 0012h DVD-RAM,
 * 0014h DVD-RW, 0015h DVD-R DL, 001Ah DVD+RW, 001Bh DVD+R, 002Bh DVD+R DL, 0041h BD-R, 0043h BD-RE) and
 * closes the tray; the next command sees UNIT ATTENTION 6/28/00. The previous disc is discarded.
 * -EINVAL unknown profile, -EMEDIUMTYPE a profile the drive was not configured to write, -EBUSY while
 * medium removal is prevented (PREVENT ALLOW MEDIUM REMOVAL) or an erase is running. */
int emu_drive_load_medium(EmuDrive *d, uint16_t profile);
/* Takes the disc out: the tray stays open and empty. -EBUSY as above; 0 also when there was none. */
int emu_drive_remove_medium(EmuDrive *d);

/* A read-only fd on what the disc holds. Data discs: the 2048-byte user data from LBA 0 to the end of
 * the last written track (gaps between tracks read as zeros), *ret_cue_sheet = NULL. Audio CDs: raw
 * 2352-byte sectors from LBA 0 to the lead-out, and a CUE sheet (FILE "image.bin" BINARY, TRACK nn
 * AUDIO, INDEX 00/01, ISRC, CATALOG, TITLE/PERFORMER from CD-TEXT). A blank disc gives an empty file.
 * -ENOMEDIUM no disc, -EMEDIUMTYPE a CD mixing audio and data tracks. ret_cue_sheet may be NULL. */
int emu_drive_open_image(EmuDrive *d, int *ret_fd, char **ret_cue_sheet);

/* Replaces the scripted faults (README.md has the grammar); "" or NULL clears them. -EINVAL with a
 * message on a syntax error (the previous faults stay). */
int emu_drive_set_faults(EmuDrive *d, const char *spec, char **reterr_message);

/* The throttle's x-factor (0 = unthrottled). It also bounds the speeds offered to the host. */
void emu_drive_set_speed(EmuDrive *d, unsigned speed);
unsigned emu_drive_get_speed(EmuDrive *d);

typedef struct EmuDriveStats {
        unsigned underruns;       /* LOSS OF STREAMING reported (BUFE off) */
        unsigned bufe_pauses;     /* buffer ran empty mid-track with BUFE on: the drive paused */
        uint64_t buffer_min_fill; /* lowest fill (bytes) at a WRITE once the buffer had filled; UINT64_MAX
                                     none */
        uint64_t blocks_written;  /* blocks accepted by WRITE since the drive was created */
        uint64_t commands;        /* commands executed */
} EmuDriveStats;

void emu_drive_get_stats(EmuDrive *d, EmuDriveStats *ret);
void emu_drive_reset_stats(EmuDrive *d);
