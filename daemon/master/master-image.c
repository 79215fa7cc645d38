/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* MasterImage: the session as a sequence of regions (metadata rendered on entry, file data read straight
 * into the caller's buffer), yielded block by block in order. */
#include <assert.h>

#include "imapi-error.h"
#include "log.h"
#include "master-internal.h"

#define SYSTEM_AREA_BLOCKS 16

typedef enum RegionKind {
        REGION_ZERO,
        REGION_PVD,
        REGION_BOOT_RECORD,
        REGION_JOLIET_SVD,
        REGION_TERMINATOR,
        REGION_CATALOG,
        REGION_PATH_TABLE,
        REGION_ISO_DIR,
        REGION_JOLIET_DIR,
        REGION_BOOT_IMAGE,
        REGION_FILE,
} RegionKind;

typedef struct Region {
        RegionKind kind;
        uint32_t lba;           /* session-relative */
        uint32_t blocks;
        MasterNode *node;       /* directories and files */
        bool joliet;            /* path tables */
        bool msb;
} Region;

struct MasterImage {
        MasterTree *tree;
        MasterLayout layout;
        GArray *regions;
        guint region;           /* the current region */
        uint32_t offset;        /* blocks of it already read */
        uint64_t position;
        uint8_t *meta;          /* the current metadata region, rendered */
        Content opened;         /* deferred content opened for the current file */
        MasterContentOpenFunc open;
        void *open_userdata;
        DirWriter w;
        int error;
        char *error_message;
};

static void region_add(MasterImage *im, RegionKind kind, uint32_t lba, uint32_t blocks, MasterNode *node)
{
        Region r = { .kind = kind, .lba = lba, .blocks = blocks, .node = node };
        g_array_append_val(im->regions, r);
}

static void path_tables_add(MasterImage *im, bool joliet)
{
        const uint32_t *at = joliet ? im->layout.joliet_pt_lba : im->layout.iso_pt_lba;
        uint32_t blocks = at[1] - at[0];

        for (int msb = 0; msb < 2; msb++) {
                Region r = { .kind = REGION_PATH_TABLE, .lba = at[msb], .blocks = blocks, .joliet = joliet,
                             .msb = msb };
                g_array_append_val(im->regions, r);
        }
}

static void regions_build(MasterImage *im)
{
        MasterTree *t = im->tree;
        MasterLayout *l = &im->layout;

        region_add(im, REGION_ZERO, 0, SYSTEM_AREA_BLOCKS, NULL);
        region_add(im, REGION_PVD, SYSTEM_AREA_BLOCKS, 1, NULL);
        if (t->has_boot)
                region_add(im, REGION_BOOT_RECORD, l->boot_record_lba, 1, NULL);
        if (t->fs & MASTER_FS_JOLIET)
                region_add(im, REGION_JOLIET_SVD, l->joliet_svd_lba, 1, NULL);
        region_add(im, REGION_TERMINATOR, l->terminator_lba, 1, NULL);
        if (t->has_boot)
                region_add(im, REGION_CATALOG, l->catalog_lba, 1, NULL);
        path_tables_add(im, false);
        if (t->fs & MASTER_FS_JOLIET)
                path_tables_add(im, true);
        for (guint i = 0; i < l->iso_extents->len; i++) {
                MasterNode *d = l->iso_extents->pdata[i];
                region_add(im, REGION_ISO_DIR, d->dir->iso_lba, d->dir->iso_blocks + d->dir->ce_blocks, d);
        }
        for (guint i = 0; i < l->joliet_dirs->len; i++) {
                MasterNode *d = l->joliet_dirs->pdata[i];
                region_add(im, REGION_JOLIET_DIR, d->dir->joliet_lba, d->dir->joliet_blocks, d);
        }
        if (t->has_boot)
                region_add(im, REGION_BOOT_IMAGE, l->boot_lba, eltorito_image_blocks(t), NULL);
        for (guint i = 0; i < l->files->len; i++) {
                MasterNode *f = l->files->pdata[i];
                region_add(im, REGION_FILE, f->lba,
                           (uint32_t) DIV_ROUND_UP(f->p.content.size, MASTER_BLOCK_SIZE), f);
        }
}

static bool regions_contiguous(MasterImage *im)
{
        uint32_t lba = 0;

        for (guint i = 0; i < im->regions->len; i++) {
                const Region *r = &g_array_index(im->regions, Region, i);
                if (r->lba != lba)
                        return false;
                lba += r->blocks;
        }
        return lba == im->layout.n_blocks;
}

int master_image_new(MasterTree *t, uint32_t start_lba, MasterImage **ret, char **reterr_message)
{
        g_autoptr(MasterImage) im = NULL;
        int r;

        if (t->n_images > 0 || t->in_transaction)
                return error_set_message(reterr_message, IMAPI_ERROR_BUSY,
                                         "The staged tree is being mastered or changed already");
        if (t->has_boot && start_lba > 0)
                return error_set_message(reterr_message, IMAPI_ERROR_BOOT_IMAGE_AND_NONBLANK_DISC,
                                         "A boot image can only be written in the first session");

        im = g_new0(MasterImage, 1);
        im->regions = g_array_new(false, false, sizeof(Region));
        dir_writer_init(&im->w);
        r = master_layout_assign(t, start_lba, &im->layout, reterr_message);
        if (r < 0)
                return r;
        im->tree = t;
        t->frozen_blocks = im->layout.n_blocks;
        t->n_images++;
        regions_build(im);
        if (!regions_contiguous(im))
                return error_set_message(reterr_message, IMAPI_ERROR_FSI_INTERNAL_ERROR,
                                         "Internal error: the image layout has gaps");
        log_debug("Image laid out: %u blocks from block %u, %u files", im->layout.n_blocks, start_lba,
                  im->layout.files->len);
        *ret = g_steal_pointer(&im);
        return 0;
}

MasterImage *master_image_free(MasterImage *im)
{
        if (!im)
                return NULL;
        if (im->tree)
                im->tree->n_images--;
        master_layout_done(&im->layout);
        if (im->regions)
                g_array_unref(im->regions);
        dir_writer_done(&im->w);
        content_done(&im->opened);
        g_free(im->meta);
        g_free(im->error_message);
        return mfree(im);
}

void master_image_set_content_opener(MasterImage *im, MasterContentOpenFunc open, void *userdata)
{
        im->open = open;
        im->open_userdata = userdata;
}

uint64_t master_image_get_blocks(MasterImage *im)
{
        return im->layout.n_blocks;
}

uint64_t master_image_get_position(MasterImage *im)
{
        return im->position;
}

static int dir_render(MasterImage *im, const Region *r, uint8_t *out)
{
        MasterNode *d = r->node;
        MasterTree *t = im->tree;
        bool joliet = r->kind == REGION_JOLIET_DIR;
        uint32_t blocks = joliet ? d->dir->joliet_blocks : d->dir->iso_blocks;

        dir_writer_reset(&im->w, out, out + (size_t) blocks * MASTER_BLOCK_SIZE,
                         im->layout.start + r->lba + blocks);
        if (joliet)
                joliet_dir_emit(t, &im->layout, d, &im->w);
        else
                iso_dir_emit(t, &im->layout, d, &im->w);
        if (DIV_ROUND_UP(im->w.size, MASTER_BLOCK_SIZE) != blocks ||
            DIV_ROUND_UP(im->w.ce_size, MASTER_BLOCK_SIZE) != (joliet ? 0 : d->dir->ce_blocks))
                return -IMAPI_ERROR_FSI_INTERNAL_ERROR;
        return 0;
}

static int meta_render(MasterImage *im, const Region *r, uint8_t *out)
{
        MasterTree *t = im->tree;

        switch (r->kind) {
        case REGION_PVD:
                iso_pvd_put(t, &im->layout, out);
                return 0;
        case REGION_BOOT_RECORD:
                eltorito_boot_record_put(&im->layout, out);
                return 0;
        case REGION_JOLIET_SVD:
                joliet_svd_put(t, &im->layout, out);
                return 0;
        case REGION_TERMINATOR:
                iso_terminator_put(out);
                return 0;
        case REGION_CATALOG:
                return eltorito_catalog_put(t, &im->layout, out);
        case REGION_PATH_TABLE:
                path_table_put(t, &im->layout, r->joliet, r->msb, out);
                return 0;
        case REGION_ISO_DIR:
        case REGION_JOLIET_DIR:
                return dir_render(im, r, out);
        default:
                assert(false);
                return -EINVAL;
        }
}

static int content_for(MasterImage *im, const MasterNode *f, const Content **ret)
{
        const Content *c = &f->p.content;

        if (c->fd || c->size == 0) {
                *ret = c;
                return 0;
        }
        if (!im->opened.fd) {
                g_autofree char *path = master_node_path(f);
                Content o = {};
                int r;

                if (!im->open)
                        return -IMAPI_ERROR_DATA_STREAM_READ_FAILURE;
                r = im->open(path, &o, im->open_userdata);
                if (r < 0)
                        return r;
                /* read the new fd, but check it against what was staged */
                im->opened = *c;
                im->opened.fd = o.fd;
                im->opened.offset = o.offset;
        }
        *ret = &im->opened;
        return 0;
}

static int file_read(MasterImage *im, const Region *r, uint8_t *buf, uint32_t n)
{
        const Content *c;
        uint64_t pos = (uint64_t) im->offset * MASTER_BLOCK_SIZE, want = (uint64_t) n * MASTER_BLOCK_SIZE;
        uint64_t have;
        int k;

        k = content_for(im, r->node, &c);
        if (k < 0)
                return k;
        if (im->offset == 0) {
                k = content_check_unchanged(c);
                if (k < 0)
                        return k;
        }
        have = MIN(want, c->size - pos);
        k = content_read(c, pos, buf, (size_t) have);
        if (k < 0)
                return k;
        memset(buf + have, 0, (size_t) (want - have));
        if (im->offset + n == r->blocks)
                return content_check_unchanged(c); /* changed while we read it */
        return 0;
}

static int region_read(MasterImage *im, const Region *r, uint8_t *buf, uint32_t n)
{
        size_t bytes = (size_t) n * MASTER_BLOCK_SIZE;
        int k;

        switch (r->kind) {
        case REGION_ZERO:
                memset(buf, 0, bytes);
                return 0;
        case REGION_FILE:
                return file_read(im, r, buf, n);
        case REGION_BOOT_IMAGE: {
                uint64_t pos = (uint64_t) im->offset * MASTER_BLOCK_SIZE;
                uint64_t have = MIN((uint64_t) bytes, im->tree->boot_image.size - pos);
                if (im->offset == 0 && (k = content_check_unchanged(&im->tree->boot_image)) < 0)
                        return k;
                k = content_read(&im->tree->boot_image, pos, buf, (size_t) have);
                memset(buf + have, 0, bytes - have);
                return k;
        }
        default:
                if (!im->meta) {
                        im->meta = g_malloc0((size_t) r->blocks * MASTER_BLOCK_SIZE);
                        k = meta_render(im, r, im->meta);
                        if (k < 0)
                                return k;
                }
                memcpy(buf, im->meta + (size_t) im->offset * MASTER_BLOCK_SIZE, bytes);
                return 0;
        }
}

static void region_leave(MasterImage *im)
{
        im->meta = mfree(im->meta);
        content_done(&im->opened);
        im->region++;
        im->offset = 0;
}

static int read_fail(MasterImage *im, const Region *r, int error, char **reterr_message)
{
        g_autofree char *path = r->node ? master_node_path(r->node) : g_strdup("the boot image");

        im->error = error;
        if (error == -IMAPI_ERROR_DATA_STREAM_INCONSISTENCY)
                im->error_message = g_strdup_printf("'%s' changed or shrank since it was staged", path);
        else if (r->kind == REGION_FILE || r->kind == REGION_BOOT_IMAGE)
                im->error_message = g_strdup_printf("Cannot read '%s': %s", path, error_to_string(error));
        else
                im->error_message = g_strdup_printf("Cannot produce image block %u: %s",
                                                    r->lba + im->offset, error_to_string(error));
        return error_set_message(reterr_message, error, "%s", im->error_message);
}

int64_t master_image_read(MasterImage *im, uint8_t *buf, size_t n_blocks, char **reterr_message)
{
        size_t done = 0;

        if (im->error < 0)
                return error_set_message(reterr_message, im->error, "%s", im->error_message);
        while (done < n_blocks && im->region < im->regions->len) {
                const Region *r = &g_array_index(im->regions, Region, im->region);
                uint32_t n = (uint32_t) MIN((uint64_t) n_blocks - done, (uint64_t) r->blocks - im->offset);
                int k;

                if (n > 0) {
                        k = region_read(im, r, buf + done * MASTER_BLOCK_SIZE, n);
                        if (k < 0)
                                return read_fail(im, r, k, reterr_message);
                }
                im->offset += n;
                im->position += n;
                done += n;
                if (im->offset == r->blocks)
                        region_leave(im);
        }
        return (int64_t) done;
}
