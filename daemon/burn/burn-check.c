/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Pre-checks of a burn against the probed medium: each refusal is a named error with a message, decided
 * before anything is sent that could change the disc. Pure functions of the request and the MediaInfo. */
#include "burn-internal.h"
#include "imapi-error.h"
#include "macros.h"

#define CD_TAO_MIN_TRACK_BLOCKS 300 /* 4 s (MMC-6 §4.2.3.6) */
#define DVD_ECC_BLOCKS          16
#define BD_CLUSTER_BLOCKS       32

static const char *medium_name(const MediaInfo *m)
{
        return m->profile_name && *m->profile_name ? m->profile_name : "unknown";
}

int burn_check_medium(const MediaInfo *m, char **reterr_message)
{
        if (!m->present)
                return error_set_message(reterr_message, IMAPI_ERROR_MEDIUM_NOT_PRESENT,
                                         "There is no medium in the recorder");
        if (m->unsupported || m->write_class == WRITE_CLASS_NONE)
                return error_set_message(reterr_message, IMAPI_ERROR_MEDIUM_INVALID_TYPE,
                                         "The recorder cannot write the medium in it (%s)", medium_name(m));
        if (m->damaged)
                return error_set_message(reterr_message, IMAPI_ERROR_MEDIUM_INVALID_TYPE,
                                         "The medium (%s) is damaged and cannot be written", medium_name(m));
        if (m->write_protected)
                return error_set_message(reterr_message, IMAPI_ERROR_RECORDER_MEDIA_WRITE_PROTECTED,
                                         "The medium (%s) is write-protected", medium_name(m));
        return 0;
}

static int check_simulate(const BurnRequest *req, const MediaInfo *m, char **reterr_message)
{
        if (req->simulate && !m->test_write)
                return error_set_message(reterr_message, IMAPI_ERROR_NOT_SUPPORTED,
                                         "Test Write is not available for this medium (%s): the burn cannot "
                                         "be simulated",
                                         medium_name(m));
        return 0;
}

static int check_audio(const MediaInfo *m, char **reterr_message)
{
        if (!m->blank)
                return error_set_message(reterr_message, IMAPI_ERROR_MEDIUM_NOT_BLANK,
                                         "An audio disc needs a blank CD; the %s in the recorder holds data",
                                         medium_name(m));
        return 0;
}

/* An image was made for LBA 0: written at another address its file system would point elsewhere. */
static int check_image(const MediaInfo *m, char **reterr_message)
{
        if (!m->overwrite && !m->blank)
                return error_set_message(reterr_message, IMAPI_ERROR_MEDIUM_NOT_BLANK,
                                         "An image can only be burned to a blank %s (it is laid out for the "
                                         "start of the disc); erase the medium or insert a blank one",
                                         medium_name(m));
        return 0;
}

/* DVD-R/-RW that take one Disc-At-Once session only (a fast-blanked DVD-RW). */
static int check_dao_only(const MediaInfo *m, char **reterr_message)
{
        if (m->write_class == WRITE_CLASS_DVD_MINUS_SEQ && !m->incremental && !m->blank)
                return error_set_message(reterr_message, IMAPI_ERROR_MEDIUM_NOT_BLANK,
                                         "This %s takes a single Disc-At-Once session only; erase it fully "
                                         "to write it again",
                                         medium_name(m));
        return 0;
}

int burn_check_request(const BurnRequest *req, const MediaInfo *m, char **reterr_message)
{
        int r;

        if (req->kind == BURN_KIND_AUDIO && m->medium_class != MEDIUM_CLASS_CD)
                return error_set_message(reterr_message, IMAPI_ERROR_MEDIUM_INVALID_TYPE,
                                         "Audio discs can only be burned on CD-R or CD-RW, not on %s",
                                         medium_name(m));
        if (m->closed && !m->overwrite)
                return error_set_message(reterr_message, IMAPI_ERROR_MEDIUM_CLOSED,
                                         "The %s is closed (finalized): nothing more can be written to it",
                                         medium_name(m));
        if (req->kind == BURN_KIND_AUDIO)
                r = check_audio(m, reterr_message);
        else if (req->kind == BURN_KIND_IMAGE)
                r = check_image(m, reterr_message);
        else
                r = check_dao_only(m, reterr_message);
        if (r < 0)
                return r;
        return check_simulate(req, m, reterr_message);
}

uint64_t burn_medium_free_blocks(const MediaInfo *m)
{
        if (m->overwrite)
                return m->total_blocks;
        return m->free_blocks;
}

uint64_t burn_data_blocks_needed(const MediaInfo *m, uint64_t blocks)
{
        switch (m->write_class) {
        case WRITE_CLASS_CD:
                return MAX(blocks, (uint64_t) CD_TAO_MIN_TRACK_BLOCKS);
        case WRITE_CLASS_DVD_MINUS_SEQ:
        case WRITE_CLASS_DVD_PLUS_R:
                return ROUND_UP(blocks, (uint64_t) DVD_ECC_BLOCKS);
        case WRITE_CLASS_BD_R:
                return ROUND_UP(blocks, (uint64_t) BD_CLUSTER_BLOCKS);
        case WRITE_CLASS_OVERWRITE:
                return m->profile == MMC_PROFILE_DVD_RW_RO ? ROUND_UP(blocks, (uint64_t) DVD_ECC_BLOCKS)
                                                           : blocks;
        default:
                return blocks;
        }
}

int burn_check_fits(const MediaInfo *m, uint64_t blocks_needed, char **reterr_message)
{
        uint64_t free_blocks = burn_medium_free_blocks(m);

        if (blocks_needed > free_blocks)
                return error_set_message(reterr_message, IMAPI_ERROR_DISC_FULL,
                                         "The content needs %" PRIu64 " blocks but the %s has %" PRIu64
                                         " free",
                                         blocks_needed, medium_name(m), free_blocks);
        return 0;
}
