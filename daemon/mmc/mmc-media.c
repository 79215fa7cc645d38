/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Probing the drive and its disc, and computing IMAPI's view of them (DESIGN.md §4). */
#include <errno.h>
#include <string.h>

#include "imapi-error.h"
#include "log.h"
#include "macros.h"
#include "mmc-command.h"
#include "mmc-media.h"
#include "spc.h"

/* ---- Drive ------------------------------------------------------------------------------------ */

static void drive_features_from_configuration(const MmcConfiguration *c, DriveFeatures *f)
{
        f->cd_tao = mmc_configuration_has(c, MMC_FEATURE_CD_TRACK_AT_ONCE, false);
        f->cd_sao = mmc_configuration_has(c, MMC_FEATURE_CD_MASTERING, false) && c->cd_mastering.sao;
        f->cd_raw = mmc_configuration_has(c, MMC_FEATURE_CD_MASTERING, false) && c->cd_mastering.raw;
        f->cd_test_write = c->cd_tao.test_write || c->cd_mastering.test_write;
        f->cd_rw_write = c->cd_tao.cd_rw || c->cd_mastering.cd_rw ||
                         mmc_configuration_has(c, MMC_FEATURE_CD_RW_MEDIA_WRITE_SUPPORT, false);
        f->dvd_minus_write = mmc_configuration_has(c, MMC_FEATURE_DVD_MINUS_R_RW_WRITE, false);
        f->dvd_minus_test_write = f->dvd_minus_write && c->dvd_minus_write.test_write;
        f->dvd_rw_write = f->dvd_minus_write && c->dvd_minus_write.dvd_rw;
        f->incremental_streaming =
                mmc_configuration_has(c, MMC_FEATURE_INCREMENTAL_STREAMING_WRITABLE, false);
        f->dvd_plus_r = mmc_configuration_has(c, MMC_FEATURE_DVD_PLUS_R, false) && c->dvd_plus_r_write;
        f->dvd_plus_rw = mmc_configuration_has(c, MMC_FEATURE_DVD_PLUS_RW, false) && c->dvd_plus_rw.write;
        f->dvd_plus_r_dl =
                mmc_configuration_has(c, MMC_FEATURE_DVD_PLUS_R_DL, false) && c->dvd_plus_r_dl_write;
        f->bd_write = mmc_configuration_has(c, MMC_FEATURE_BD_WRITE, false);
        f->formattable = mmc_configuration_has(c, MMC_FEATURE_FORMATTABLE, false);
        f->restricted_overwrite = mmc_configuration_has(c, MMC_FEATURE_RESTRICTED_OVERWRITE, false);
        f->rigid_restricted_overwrite =
                mmc_configuration_has(c, MMC_FEATURE_RIGID_RESTRICTED_OVERWRITE, false);
        f->random_writable = mmc_configuration_has(c, MMC_FEATURE_RANDOM_WRITABLE, false);
        f->real_time_streaming = mmc_configuration_has(c, MMC_FEATURE_REAL_TIME_STREAMING, false);
        f->streaming_write_speed = f->real_time_streaming && c->real_time_streaming.wspd;
        f->write_protect = mmc_configuration_has(c, MMC_FEATURE_WRITE_PROTECT, false);
        f->bufe = c->cd_tao.bufe || c->cd_mastering.bufe || c->dvd_minus_write.bufe || c->incremental.bufe;
        f->link_size = c->incremental.n_link_sizes > 0 ? c->incremental.link_sizes[0] : 0;
        f->max_cue_sheet_length = c->cd_mastering.max_cue_sheet_length;
}

static void drive_add_profile(DriveInfo *d, uint16_t profile)
{
        for (size_t i = 0; i < d->n_profiles; i++)
                if (d->profiles[i] == profile)
                        return;
        if (d->n_profiles < MMC_PROFILES_MAX)
                d->profiles[d->n_profiles++] = profile;
}

/* Old drives without GET CONFIGURATION: page 2Ah says what they write. */
static void drive_from_capabilities_only(const MmcCapabilities *caps, DriveInfo *d)
{
        DriveFeatures *f = &d->features;

        if (caps->cd_r_read || caps->cd_r_write)
                drive_add_profile(d, MMC_PROFILE_CD_ROM);
        if (caps->cd_r_write)
                drive_add_profile(d, MMC_PROFILE_CD_R);
        if (caps->cd_rw_write)
                drive_add_profile(d, MMC_PROFILE_CD_RW);
        if (caps->dvd_r_write)
                drive_add_profile(d, MMC_PROFILE_DVD_R_SEQ);
        if (caps->dvd_ram_write)
                drive_add_profile(d, MMC_PROFILE_DVD_RAM);
        f->cd_tao = f->cd_sao = caps->cd_r_write || caps->cd_rw_write;
        f->cd_test_write = caps->test_write;
        f->cd_rw_write = caps->cd_rw_write;
        f->dvd_minus_write = caps->dvd_r_write;
        f->dvd_minus_test_write = caps->dvd_r_write && caps->test_write;
}

static void drive_apply_capabilities(const MmcCapabilities *caps, DriveInfo *d)
{
        uint32_t best = caps->max_write_kbps;

        for (size_t i = 0; i < caps->n_write_kbps; i++)
                best = MAX(best, (uint32_t) caps->write_kbps[i]);
        d->has_capabilities_page = true;
        d->max_write_kbps = best;
        d->buffer_size_kb = caps->buffer_size_kb;
        d->features.bufe = d->features.bufe || caps->bufe;
        d->can_eject = d->can_eject || caps->eject;
        d->can_lock = d->can_lock || caps->lock;
        d->can_load = d->can_load || caps->loading_mechanism == 1; /* a tray closes by itself */
}

static void drive_finish(DriveInfo *d)
{
        bool cd_r = false, cd_rw = false;

        d->n_writable_profiles = 0;
        for (size_t i = 0; i < d->n_profiles; i++) {
                if (!profile_is_writable(d->profiles[i]))
                        continue;
                d->writable_profiles[d->n_writable_profiles++] = d->profiles[i];
                cd_r = cd_r || d->profiles[i] == MMC_PROFILE_CD_R;
                cd_rw = cd_rw || d->profiles[i] == MMC_PROFILE_CD_RW;
        }
        d->recorder_type = cd_rw ? IMAPI_RECORDER_CDRW : cd_r ? IMAPI_RECORDER_CDR : 0;
        d->max_write_speed = speed_kbps_to_x(MEDIUM_CLASS_CD, d->max_write_kbps);
}

int mmc_probe_drive(Transport *t, DriveInfo *ret)
{
        g_autofree MmcConfiguration *cfg = g_new0(MmcConfiguration, 1);
        g_autofree DriveInfo *d = g_new0(DriveInfo, 1);
        MmcCapabilities caps;
        InquiryData inq;
        int r;

        r = spc_inquiry(t, &inq);
        if (r < 0)
                return r;
        memcpy(d->vendor, inq.vendor, sizeof(d->vendor));
        memcpy(d->product, inq.product, sizeof(d->product));
        memcpy(d->revision, inq.revision, sizeof(d->revision));
        d->device_type = inq.device_type;

        r = mmc_get_configuration(t, 0, cfg);
        if (r == -IMAPI_ERROR_DEVICE_NOT_PRESENT)
                return r;
        if (r >= 0) {
                d->has_get_configuration = true;
                d->current_profile = cfg->current_profile;
                for (size_t i = 0; i < cfg->n_profiles; i++)
                        drive_add_profile(d, cfg->profiles[i].number);
                drive_features_from_configuration(cfg, &d->features);
                d->can_eject = cfg->removable.eject;
                d->can_load = cfg->removable.load;
                d->can_lock = cfg->removable.lock;
        } else
                log_debug("GET CONFIGURATION failed (%s), using mode page 2Ah only", error_to_string(r));

        r = mmc_read_capabilities(t, &caps);
        if (r == -IMAPI_ERROR_DEVICE_NOT_PRESENT)
                return r;
        if (r >= 0) {
                if (!d->has_get_configuration)
                        drive_from_capabilities_only(&caps, d);
                drive_apply_capabilities(&caps, d);
        } else
                log_debug("Mode page 2Ah unavailable: %s", error_to_string(r));

        drive_finish(d);
        *ret = *d;
        return 0;
}

bool drive_info_can_write(const DriveInfo *d, uint16_t profile)
{
        for (size_t i = 0; i < d->n_writable_profiles; i++)
                if (d->writable_profiles[i] == profile)
                        return true;
        return false;
}

GStrv drive_info_profile_names(const DriveInfo *d)
{
        g_autoptr(GStrvBuilder) b = g_strv_builder_new();

        for (size_t k = 0; profile_writable_names[k]; k++)
                for (size_t i = 0; i < d->n_writable_profiles; i++) {
                        const char *name = profile_to_name(d->writable_profiles[i]);
                        if (name && strcmp(name, profile_writable_names[k]) == 0) {
                                g_strv_builder_add(b, name);
                                break;
                        }
                }
        return g_strv_builder_end(b);
}

/* ---- Medium: the IMAPI values ----------------------------------------------------------------- */

uint32_t media_info_compute_flags(const MediaInfo *m)
{
        uint32_t f = 0;

        if (!m->present)
                return 0;
        if (m->blank)
                f |= IMAPI_MEDIA_FLAG_BLANK;
        if (m->erasable || profile_is_rewritable(m->profile))
                f |= IMAPI_MEDIA_FLAG_RW;
        if ((m->blank || m->appendable || m->overwrite) && !m->write_protected && !m->unsupported &&
            !m->damaged)
                f |= IMAPI_MEDIA_FLAG_WRITABLE;
        if (m->unsupported || m->damaged)
                f |= IMAPI_MEDIA_FLAG_UNUSABLE;
        return f;
}

uint32_t media_info_compute_state(const MediaInfo *m)
{
        uint32_t s = 0;

        if (!m->present)
                return 0;
        if (m->overwrite) {
                s |= IMAPI_MEDIA_STATE_OVERWRITE_ONLY;
                if (m->blank)
                        s |= IMAPI_MEDIA_STATE_BLANK;
        } else if (m->blank)
                s |= IMAPI_MEDIA_STATE_BLANK;
        else if (m->appendable)
                s |= IMAPI_MEDIA_STATE_APPENDABLE;
        else if (m->closed)
                s |= IMAPI_MEDIA_STATE_FINALIZED | (m->erasable ? IMAPI_MEDIA_STATE_ERASE_REQUIRED : 0);

        /* DAO-only DVD-R/-RW (fast-blanked DVD-RW, drives without incremental) and DVD-R DL take one
         * session only. */
        if (!m->overwrite && (m->blank || m->appendable) &&
            ((m->write_class == WRITE_CLASS_DVD_MINUS_SEQ && !m->incremental) ||
             m->profile == MMC_PROFILE_DVD_R_DL_SEQ))
                s |= IMAPI_MEDIA_STATE_FINAL_SESSION;
        if (m->appendable && m->last_session_state == MMC_SESSION_STATE_INCOMPLETE)
                s |= IMAPI_MEDIA_STATE_NON_EMPTY_SESSION;
        if (m->damaged)
                s |= IMAPI_MEDIA_STATE_DAMAGED;
        if (m->write_protected)
                s |= IMAPI_MEDIA_STATE_WRITE_PROTECTED;
        if (m->unsupported)
                s |= IMAPI_MEDIA_STATE_UNSUPPORTED_MEDIA;
        return s;
}

/* IMAPI v1 MEDIA_TYPES. v1 knew CDs only: other media are MEDIA_SPECIAL. A blank CD is
 * MEDIA_CDDA_CDROM (what it will be once written with data or audio). */
static int32_t media_type_compute(const MediaInfo *m)
{
        if (!m->present)
                return IMAPI_MEDIA_TYPE_NONE;
        if (m->medium_class != MEDIUM_CLASS_CD)
                return IMAPI_MEDIA_TYPE_SPECIAL;
        if (m->blank)
                return IMAPI_MEDIA_TYPE_CDDA_CDROM;
        if (m->disc_type == 0x10)
                return IMAPI_MEDIA_TYPE_CD_I;
        if (m->sessions >= 2 && m->has_audio && m->has_data)
                return IMAPI_MEDIA_TYPE_CD_EXTRA;
        if (m->disc_type == 0x20)
                return IMAPI_MEDIA_TYPE_CD_ROM_XA;
        return IMAPI_MEDIA_TYPE_CDDA_CDROM;
}

/* ---- Medium: probing steps -------------------------------------------------------------------- */

/* TEST UNIT READY; a drive that wants an initializing command gets START UNIT. */
static int probe_ready(Transport *t)
{
        int r;

        r = spc_test_unit_ready(t);
        if (r == -IMAPI_ERROR_NOT_INITIALIZED) {
                r = spc_start_stop_unit(t, SPC_START_STOP_START, false);
                if (r < 0)
                        return r;
                r = spc_test_unit_ready(t);
        }
        return r;
}

/* The profile when GET CONFIGURATION is missing: only CD writers are that old. */
static uint16_t profile_guess_without_configuration(Transport *t, const MmcDiscInfo *di, bool have_di)
{
        MmcAtip atip;

        if (mmc_read_atip(t, &atip) >= 0)
                return atip.rewritable ? MMC_PROFILE_CD_RW : MMC_PROFILE_CD_R;
        if (have_di && di->disc_status != MMC_DISC_STATUS_COMPLETE)
                return di->erasable ? MMC_PROFILE_CD_RW : MMC_PROFILE_CD_R;
        return MMC_PROFILE_CD_ROM;
}

static void probe_current_features(const MmcConfiguration *c, MediaInfo *m)
{
        if (mmc_configuration_has(c, MMC_FEATURE_CD_TRACK_AT_ONCE, true))
                m->test_write = m->test_write || c->cd_tao.test_write;
        if (mmc_configuration_has(c, MMC_FEATURE_CD_MASTERING, true))
                m->test_write = m->test_write || c->cd_mastering.test_write;
        if (mmc_configuration_has(c, MMC_FEATURE_DVD_MINUS_R_RW_WRITE, true))
                m->test_write = m->test_write || c->dvd_minus_write.test_write;
        m->incremental = mmc_configuration_has(c, MMC_FEATURE_INCREMENTAL_STREAMING_WRITABLE, true);
        /* DVD-R incremental recording links by one ECC block (16 sectors) when the drive offers it. */
        m->link_size = c->incremental.n_link_sizes > 0 ? c->incremental.link_sizes[0] : 0;
        for (size_t i = 0; i < c->incremental.n_link_sizes; i++)
                if (c->incremental.link_sizes[i] == 16 &&
                    profile_medium_class(c->current_profile) == MEDIUM_CLASS_DVD)
                        m->link_size = 16;
        m->bufe = c->cd_tao.bufe || c->cd_mastering.bufe || c->dvd_minus_write.bufe || c->incremental.bufe;
}

static void probe_profile(Transport *t, const DriveInfo *drive, const MmcDiscInfo *di, bool have_di,
                          MediaInfo *m)
{
        g_autofree MmcConfiguration *cfg = g_new0(MmcConfiguration, 1);

        if (mmc_get_configuration(t, 1, cfg) >= 0 && cfg->current_profile != MMC_PROFILE_NONE) {
                m->profile = cfg->current_profile;
                probe_current_features(cfg, m);
        } else if (!drive || !drive->has_get_configuration) {
                m->profile = profile_guess_without_configuration(t, di, have_di);
                m->test_write = drive && drive->features.cd_test_write;
                m->bufe = drive && drive->features.bufe;
        }
        m->medium_class = profile_medium_class(m->profile);
        m->write_class = profile_write_class(m->profile);
        m->overwrite = m->write_class == WRITE_CLASS_OVERWRITE;
        m->unsupported =
                m->write_class == WRITE_CLASS_NONE || (drive && !drive_info_can_write(drive, m->profile));
}

static uint32_t saturating_add(uint32_t a, uint32_t b)
{
        return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

static void probe_capacity(Transport *t, MediaInfo *m)
{
        MmcCapacity cap;

        if (mmc_read_capacity(t, &cap) >= 0 && cap.last_lba != UINT32_MAX)
                m->capacity_blocks = cap.last_lba + 1;
}

/* The first track of the last complete session: its number's session via READ TRACK INFORMATION,
 * or READ TOC format 1 on drives that refuse session addressing. */
static void probe_last_session_start(Transport *t, const MmcDiscInfo *di, MediaInfo *m)
{
        MmcTrackInfo ti;
        MmcSessionInfo si;

        if (m->sessions == 0)
                return;
        if (di->last_session_state == MMC_SESSION_STATE_COMPLETE)
                m->last_track = di->last_track_last_session;
        else if (di->first_track_last_session > 0)
                m->last_track = di->first_track_last_session - 1u;
        if (mmc_read_track_information(t, MMC_TRACK_ADDRESS_SESSION, m->sessions, &ti) >= 0)
                m->start_address = ti.start;
        else if (mmc_read_session_info(t, &si) >= 0)
                m->start_address = si.start;
}

static void probe_next_writable(Transport *t, const MmcDiscInfo *di, MediaInfo *m)
{
        MmcTrackInfo ti;
        int r;

        r = mmc_read_track_information(t, MMC_TRACK_ADDRESS_TRACK, di->last_track_last_session, &ti);
        if (r < 0 && m->medium_class == MEDIUM_CLASS_CD)
                r = mmc_read_track_information(t, MMC_TRACK_ADDRESS_TRACK, MMC_TRACK_INVISIBLE, &ti);
        if (r < 0) {
                log_debug("READ TRACK INFORMATION of the next track failed: %s", error_to_string(r));
                return;
        }
        m->next_track = ti.track;
        m->nwa_valid = ti.nwa_valid;
        m->next_writable = ti.nwa_valid ? ti.nwa : 0;
        m->free_blocks = ti.free_blocks;
        m->total_blocks = saturating_add(m->next_writable, m->free_blocks);
}

static void probe_sequential(Transport *t, const MmcDiscInfo *di, MediaInfo *m)
{
        m->blank = di->disc_status == MMC_DISC_STATUS_EMPTY;
        m->appendable = di->disc_status == MMC_DISC_STATUS_INCOMPLETE;
        m->closed = di->disc_status == MMC_DISC_STATUS_COMPLETE;
        m->damaged = di->last_session_state == MMC_SESSION_STATE_DAMAGED ||
                     (di->disc_status == MMC_DISC_STATUS_OTHER && m->write_class != WRITE_CLASS_NONE);
        m->sessions = di->sessions;
        if (di->last_session_state != MMC_SESSION_STATE_COMPLETE && m->sessions > 0)
                m->sessions--;
        probe_last_session_start(t, di, m);

        if (m->blank || m->appendable)
                probe_next_writable(t, di, m);
        else {
                probe_capacity(t, m);
                m->total_blocks = m->capacity_blocks;
        }
}

/* The capacity a formatted medium would have: the current descriptor of an unformatted one is its
 * maximum formattable capacity. */
static void probe_overwrite(Transport *t, const MmcDiscInfo *di, bool have_di, MediaInfo *m)
{
        if (mmc_read_format_capacities(t, &m->formats) >= 0) {
                m->formats_valid = true;
                m->needs_format = m->formats.current_type == MMC_CAPACITY_UNFORMATTED;
                m->capacity_blocks = m->formats.current_blocks;
        }
        if (!m->needs_format)
                probe_capacity(t, m);
        m->erasable = m->profile == MMC_PROFILE_DVD_RW_RO;
        m->blank = m->needs_format || (have_di && di->disc_status == MMC_DISC_STATUS_EMPTY);
        /* One logical session on overwrite media: emulated multisession grows it in place. */
        m->sessions = m->blank ? 0 : 1;
        m->last_track = m->blank ? 0 : 1;
        m->start_address = 0;
        m->next_writable = 0;
        m->nwa_valid = true;
        m->next_track = 1;
        m->free_blocks = m->capacity_blocks;
        m->total_blocks = m->capacity_blocks;
}

static void probe_read_only(Transport *t, const MmcDiscInfo *di, bool have_di, MediaInfo *m)
{
        if (have_di) {
                m->sessions = di->sessions;
                m->last_track = di->last_track_last_session;
        }
        m->closed = true;
        probe_capacity(t, m);
        m->total_blocks = m->capacity_blocks;
}

/* CD: audio and data tracks, from the TOC (control bit 2 = data). */
static void probe_cd_toc(Transport *t, MediaInfo *m)
{
        g_autofree MmcToc *toc = g_new0(MmcToc, 1);

        if (m->medium_class != MEDIUM_CLASS_CD || m->blank || mmc_read_toc(t, toc) < 0)
                return;
        for (size_t i = 0; i < toc->n; i++) {
                if (toc->entries[i].track == MMC_TOC_LEAD_OUT)
                        continue;
                if (toc->entries[i].control & 0x04)
                        m->has_data = true;
                else
                        m->has_audio = true;
        }
}

static void probe_write_protection(Transport *t, const DriveInfo *drive, MediaInfo *m)
{
        MmcWriteProtection wp;
        uint8_t media_type;

        if (m->medium_class != MEDIUM_CLASS_DVD && m->medium_class != MEDIUM_CLASS_BD)
                return;
        if (drive && !drive->features.write_protect)
                return;
        media_type = m->medium_class == MEDIUM_CLASS_BD ? 1 : 0;
        if (mmc_read_write_protection(t, media_type, &wp) >= 0)
                m->write_protected = wp.mswi || wp.cwp || wp.pwp || wp.swpp;
}

static void speeds_add(MediaInfo *m, uint32_t kbps, uint32_t end_lba)
{
        uint32_t x = speed_kbps_to_x(m->medium_class, kbps);
        size_t i;

        if (x == 0)
                return;
        for (i = 0; i < m->n_write_speeds; i++)
                if (m->write_speeds[i].x == x)
                        return;
        if (m->n_write_speeds >= MMC_SPEEDS_MAX)
                return;
        /* Insertion sort, fastest first. */
        for (i = m->n_write_speeds; i > 0 && m->write_speeds[i - 1].x < x; i--)
                m->write_speeds[i] = m->write_speeds[i - 1];
        m->write_speeds[i] = (MmcSpeed){.x = x, .kbps = kbps, .end_lba = end_lba};
        m->n_write_speeds++;
}

static void probe_speeds(Transport *t, const DriveInfo *drive, MediaInfo *m)
{
        MmcWriteSpeeds ws;
        MmcCapabilities caps;

        if (m->unsupported)
                return;
        if (mmc_get_write_speeds(t, &ws) >= 0)
                for (size_t i = 0; i < ws.n; i++)
                        speeds_add(m, ws.d[i].write_kbps, ws.d[i].end_lba);
        if (m->n_write_speeds == 0 && mmc_read_capabilities(t, &caps) >= 0) {
                for (size_t i = 0; i < caps.n_write_kbps; i++)
                        speeds_add(m, caps.write_kbps[i], 0);
                if (m->n_write_speeds == 0)
                        speeds_add(m, caps.max_write_kbps, 0);
        }
        if (m->n_write_speeds == 0 && drive && drive->max_write_kbps > 0 &&
            m->medium_class == MEDIUM_CLASS_CD)
                speeds_add(m, drive->max_write_kbps, 0);
        m->max_write_speed = m->n_write_speeds > 0 ? m->write_speeds[0].x : 0;
}

static void media_info_finish(MediaInfo *m)
{
        const char *name = profile_to_name(m->profile);

        m->profile_name = !m->present ? "" : name ? name : "unknown";
        m->media_type = media_type_compute(m);
        m->media_flags = media_info_compute_flags(m);
        m->media_state = media_info_compute_state(m);
}

static bool error_is_wrong_medium(int r)
{
        return r == -IMAPI_ERROR_MEDIUM_INVALID_TYPE || r == -IMAPI_ERROR_RECORDER_MEDIA_INCOMPATIBLE ||
               r == -IMAPI_ERROR_RECORDER_MEDIA_UPSIDE_DOWN;
}

int mmc_probe_media(Transport *t, const DriveInfo *drive, MediaInfo *ret)
{
        g_autofree MediaInfo *m = g_new0(MediaInfo, 1);
        MmcDiscInfo di = {};
        bool have_di;
        int r;

        r = probe_ready(t);
        if (r == -IMAPI_ERROR_MEDIUM_NOT_PRESENT) {
                media_info_finish(m);
                *ret = *m;
                return 0;
        }
        m->present = true;
        if (error_is_wrong_medium(r)) {
                m->unsupported = true;
                media_info_finish(m);
                *ret = *m;
                return 0;
        }
        if (r < 0)
                return r;

        r = mmc_read_disc_information(t, &di);
        if (r == -IMAPI_ERROR_DEVICE_NOT_PRESENT || r == -IMAPI_ERROR_MEDIUM_NOT_PRESENT)
                return r;
        have_di = r >= 0;
        probe_profile(t, drive, &di, have_di, m);
        m->disc_status = di.disc_status;
        m->last_session_state = di.last_session_state;
        m->disc_type = have_di ? di.disc_type : 0xff;
        m->erasable = di.erasable;

        if (m->write_class == WRITE_CLASS_NONE)
                probe_read_only(t, &di, have_di, m);
        else if (m->overwrite)
                probe_overwrite(t, &di, have_di, m);
        else if (have_di)
                probe_sequential(t, &di, m);
        else
                m->damaged = true; /* a recordable disc that will not say what is on it */

        probe_cd_toc(t, m);
        probe_write_protection(t, drive, m);
        probe_speeds(t, drive, m);
        media_info_finish(m);
        *ret = *m;
        return 0;
}

int mmc_media_set_write_speed(Transport *t, const MediaInfo *m, uint32_t x)
{
        const MmcSpeed *pick = NULL;
        uint32_t kbps, end_lba;

        for (size_t i = 0; i < m->n_write_speeds && !pick; i++)
                if (x == 0 || m->write_speeds[i].x <= x)
                        pick = &m->write_speeds[i];
        if (!pick && m->n_write_speeds > 0)
                pick = &m->write_speeds[m->n_write_speeds - 1]; /* slower than anything: the slowest */

        kbps = pick ? pick->kbps : x > 0 ? speed_x_to_kbps(m->medium_class, x) : 0;
        end_lba = pick && pick->end_lba > 0 ? pick->end_lba : m->total_blocks > 0 ? m->total_blocks - 1 : 0;
        return mmc_set_write_speed_kbps(t, m->medium_class, end_lba, kbps);
}
