/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* El Torito 1.0: one boot entry (validation entry, initial/default entry), the boot record descriptor at
 * block 17, and the checks IMAPI makes on the boot image. */
#include <inttypes.h>

#include "bytes.h"
#include "imapi-error.h"
#include "master-internal.h"

#define MANUFACTURER_MAX 24
#define SECTOR_512 512
#define LOAD_SECTORS_MAX 0xFFFF

static const uint64_t floppy_bytes[] = {
        [MASTER_BOOT_EMULATION_FLOPPY_1200K] = 1228800,
        [MASTER_BOOT_EMULATION_FLOPPY_1440K] = 1474560,
        [MASTER_BOOT_EMULATION_FLOPPY_2880K] = 2949120,
};

static bool platform_valid(uint8_t p)
{
        return p == MASTER_BOOT_PLATFORM_X86 || p == MASTER_BOOT_PLATFORM_POWERPC || p == MASTER_BOOT_PLATFORM_MAC ||
               p == MASTER_BOOT_PLATFORM_EFI;
}

/* Hard-disk emulation boots the image's MBR: it must carry the 0x55AA signature and exactly one partition,
 * whose type goes into the boot entry (El Torito §2.2 "System Type"). */
static int mbr_partition_type(const Content *image, uint8_t *ret, char **reterr_message)
{
        uint8_t mbr[SECTOR_512], type = 0;
        unsigned n = 0;
        int r;

        if (image->size < SECTOR_512 || !image->fd)
                return error_set_message(reterr_message, IMAPI_ERROR_BOOT_IMAGE_DATA,
                                         "A hard-disk emulation boot image must start with an MBR");
        r = content_read(image, 0, mbr, sizeof(mbr));
        if (r < 0)
                return error_set_message(reterr_message, r, "Cannot read the boot image");
        if (mbr[510] != 0x55 || mbr[511] != 0xAA)
                return error_set_message(reterr_message, IMAPI_ERROR_BOOT_IMAGE_DATA,
                                         "The boot image has no MBR signature");
        for (size_t i = 0; i < 4; i++) {
                uint8_t t;
                (void) u8_read(mbr, sizeof(mbr), 446 + 16 * i + 4, &t);
                if (t != 0) {
                        type = t;
                        n++;
                }
        }
        if (n != 1)
                return error_set_message(reterr_message, IMAPI_ERROR_BOOT_IMAGE_DATA,
                                         "A hard-disk emulation boot image needs exactly one partition, not %u", n);
        *ret = type;
        return 0;
}

static int boot_check(const MasterBoot *b, uint8_t *ret_system_type, char **reterr_message)
{
        if (!platform_valid(b->platform))
                return error_set_message(reterr_message, IMAPI_ERROR_INVALID_PARAM,
                                         "Boot platform 0x%02x is not one of 0 (x86), 1 (PowerPC), 2 (Mac), 0xEF "
                                         "(EFI)",
                                         b->platform);
        if (b->emulation >= _MASTER_BOOT_EMULATION_MAX)
                return error_set_message(reterr_message, IMAPI_ERROR_INVALID_PARAM,
                                         "Boot emulation type %u is not 0..4", b->emulation);
        if (b->manufacturer && strlen(b->manufacturer) > MANUFACTURER_MAX)
                return error_set_message(reterr_message, IMAPI_ERROR_INVALID_PARAM,
                                         "Boot manufacturer ID is longer than %d bytes", MANUFACTURER_MAX);
        if (!b->image || b->image->size == 0)
                return error_set_message(reterr_message, IMAPI_ERROR_INVALID_PARAM, "No boot image");
        if (b->image->size > UINT32_MAX)
                return error_set_message(reterr_message, IMAPI_ERROR_DATA_TOO_BIG,
                                         "The boot image is 4 GiB or more");
        if (b->emulation >= MASTER_BOOT_EMULATION_FLOPPY_1200K && b->emulation <= MASTER_BOOT_EMULATION_FLOPPY_2880K &&
            b->image->size != floppy_bytes[b->emulation])
                return error_set_message(reterr_message, IMAPI_ERROR_BOOT_EMULATION_IMAGE_SIZE_MISMATCH,
                                         "Floppy emulation type %u needs an image of exactly %" PRIu64
                                         " bytes, not %" PRIu64,
                                         b->emulation, floppy_bytes[b->emulation], b->image->size);
        *ret_system_type = 0;
        if (b->emulation == MASTER_BOOT_EMULATION_HARD_DISK)
                return mbr_partition_type(b->image, ret_system_type, reterr_message);
        return 0;
}

int master_tree_set_boot(MasterTree *t, const MasterBoot *b, char **reterr_message)
{
        uint8_t system_type;
        int r;

        if (t->n_images > 0)
                return -IMAPI_ERROR_BUSY;
        if (!b) {
                t->has_boot = false;
                content_done(&t->boot_image);
                return 0;
        }
        r = boot_check(b, &system_type, reterr_message);
        if (r < 0)
                return r;

        content_done(&t->boot_image);
        content_copy(&t->boot_image, b->image);
        t->has_boot = true;
        t->boot_platform = b->platform;
        t->boot_emulation = b->emulation;
        t->boot_system_type = system_type;
        g_strlcpy(t->boot_manufacturer, b->manufacturer ?: "", sizeof(t->boot_manufacturer));
        return 0;
}

bool master_tree_has_boot(MasterTree *t)
{
        return t->has_boot;
}

uint32_t eltorito_image_blocks(MasterTree *t)
{
        return t->has_boot ? (uint32_t) DIV_ROUND_UP(t->boot_image.size, MASTER_BLOCK_SIZE) : 0;
}

/* El Torito §2.0: the boot record volume descriptor, always at block 17. */
void eltorito_boot_record_put(const MasterLayout *l, uint8_t *b)
{
        memset(b, 0, MASTER_BLOCK_SIZE);
        b[0] = 0;
        memcpy(b + 1, "CD001", 5);
        b[6] = 1;
        memcpy(b + 7, "EL TORITO SPECIFICATION", 23);
        le32_put(b + 71, l->start + l->catalog_lba);
}

/* No emulation: the whole image, in 512-byte units rounded up to whole blocks (some BIOSes want a multiple
 * of 4), as mkisofs does by default. Emulated media are read by the BIOS itself: one sector. */
static uint16_t load_sectors(MasterTree *t)
{
        uint64_t n = ROUND_UP(DIV_ROUND_UP(t->boot_image.size, SECTOR_512), MASTER_BLOCK_SIZE / SECTOR_512);

        if (t->boot_emulation != MASTER_BOOT_EMULATION_NONE)
                return 1;
        return (uint16_t) MIN(n, (uint64_t) LOAD_SECTORS_MAX);
}

/* El Torito §2.1 validation entry and §2.2 initial/default entry. */
int eltorito_catalog_put(MasterTree *t, const MasterLayout *l, uint8_t *b)
{
        uint16_t sum = 0;

        memset(b, 0, MASTER_BLOCK_SIZE);
        b[0] = 1; /* header ID */
        b[1] = t->boot_platform;
        memcpy(b + 4, t->boot_manufacturer, strlen(t->boot_manufacturer));
        b[30] = 0x55;
        b[31] = 0xAA;
        for (size_t i = 0; i < 32; i += 2)
                sum = (uint16_t) (sum + (b[i] | b[i + 1] << 8));
        le16_put(b + 28, (uint16_t) -sum); /* all words of the entry sum to 0 */

        uint8_t *e = b + 32;
        e[0] = 0x88; /* bootable */
        e[1] = t->boot_emulation;
        le16_put(e + 2, 0); /* load segment: the default 0x7C0 */
        e[4] = t->boot_system_type;
        le16_put(e + 6, load_sectors(t));
        le32_put(e + 8, l->start + l->boot_lba);
        return 0;
}
