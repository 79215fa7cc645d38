/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SPC commands for optical drives, and their parsers. */
#include <errno.h>
#include <string.h>

#include "bytes.h"
#include "cdb.h"
#include "imapi-error.h"
#include "macros.h"
#include "mmc-command.h"
#include "spc.h"

/* Copies an ASCII field, printable characters only, without the padding spaces around it. */
static void ascii_field_copy(const uint8_t *buf, size_t len, size_t off, size_t n, char *ret, size_t size)
{
        size_t start = 0, end, k = 0;
        uint8_t field[32] = {};

        n = MIN(n, sizeof(field));
        n = off < len ? MIN(n, len - off) : 0;
        if (n > 0)
                (void) bytes_read(buf, len, off, field, n);
        end = n;
        while (start < end && field[start] == ' ')
                start++;
        while (end > start && (field[end - 1] == ' ' || field[end - 1] == '\0'))
                end--;
        for (size_t i = start; i < end && k + 1 < size; i++)
                ret[k++] = field[i] >= 0x20 && field[i] < 0x7f ? (char) field[i] : '?';
        ret[k] = '\0';
}

int inquiry_parse(const uint8_t *buf, size_t len, InquiryData *ret)
{
        InquiryData d = {};
        uint8_t b0, b1;

        if (len < 8 || u8_read(buf, len, 0, &b0) < 0 || u8_read(buf, len, 1, &b1) < 0)
                return -EBADMSG;
        d.device_type = b0 & 0x1f;
        d.removable = b1 & 0x80;
        ascii_field_copy(buf, len, 8, 8, d.vendor, sizeof(d.vendor));
        ascii_field_copy(buf, len, 16, 16, d.product, sizeof(d.product));
        ascii_field_copy(buf, len, 32, 4, d.revision, sizeof(d.revision));
        *ret = d;
        return 0;
}

int spc_inquiry(Transport *t, InquiryData *ret)
{
        uint8_t buf[96] = {};
        ScsiCommand cmd;
        int r;

        cdb_inquiry(&cmd, buf, sizeof(buf));
        r = mmc_execute(t, &cmd);
        if (r < 0)
                return r;
        r = inquiry_parse(buf, mmc_data_len(&cmd), ret);
        return r < 0 ? -IMAPI_ERROR_RECORDER_INVALID_RESPONSE_FROM_DEVICE : 0;
}

int spc_test_unit_ready(Transport *t)
{
        ScsiCommand cmd;

        cdb_test_unit_ready(&cmd);
        return mmc_execute(t, &cmd);
}

int spc_test_unit_ready_once(Transport *t, ScsiSense *ret_sense)
{
        ScsiCommand cmd;
        int r;

        cdb_test_unit_ready(&cmd);
        r = mmc_execute_once(t, &cmd);
        if (ret_sense) {
                *ret_sense = (ScsiSense){};
                if (cmd.status == SCSI_STATUS_CHECK_CONDITION)
                        (void) sense_parse(cmd.sense, MIN(cmd.sense_len, sizeof(cmd.sense)), ret_sense);
        }
        return r;
}

int spc_request_sense(Transport *t, ScsiSense *ret)
{
        uint8_t buf[SCSI_SENSE_MAX] = {};
        ScsiCommand cmd;
        int r;

        cdb_request_sense(&cmd, buf, sizeof(buf));
        r = mmc_execute_once(t, &cmd);
        if (r < 0)
                return r;
        r = sense_parse(buf, mmc_data_len(&cmd), ret);
        return r < 0 ? -IMAPI_ERROR_RECORDER_INVALID_RESPONSE_FROM_DEVICE : 0;
}

int mode_page_locate(const uint8_t *buf, size_t len, uint8_t page_code, size_t *ret_offset, size_t *ret_len)
{
        uint16_t data_len, bd_len;
        uint8_t code, plen;
        size_t off, end;

        if (be16_read(buf, len, 0, &data_len) < 0 || be16_read(buf, len, 6, &bd_len) < 0)
                return -EBADMSG;
        end = MIN(len, (size_t) data_len + 2);
        off = (size_t) 8 + bd_len;
        if (u8_read(buf, end, off, &code) < 0 || u8_read(buf, end, off + 1, &plen) < 0)
                return -EBADMSG;
        if ((code & 0x3f) != page_code)
                return -EBADMSG;
        *ret_offset = off;
        *ret_len = MIN((size_t) plen + 2, end - off);
        return 0;
}

int spc_mode_sense_page(Transport *t, uint8_t page_control, uint8_t page_code, uint8_t *page, size_t size)
{
        uint8_t buf[8 + 8 + MODE_PAGE_MAX + 2] = {};
        size_t off, plen;
        ScsiCommand cmd;
        int r;

        cdb_mode_sense_10(&cmd, page_control, page_code, buf, sizeof(buf));
        r = mmc_execute(t, &cmd);
        if (r == -IMAPI_ERROR_RECORDER_ERROR)
                return -IMAPI_ERROR_RECORDER_NO_SUCH_MODE_PAGE; /* 5/24/00: no such page */
        if (r < 0)
                return r;
        if (mode_page_locate(buf, mmc_data_len(&cmd), page_code, &off, &plen) < 0)
                return -IMAPI_ERROR_RECORDER_NO_SUCH_MODE_PAGE;
        plen = MIN(plen, size);
        memcpy(page, buf + off, plen);
        return (int) plen;
}

int spc_mode_select_page(Transport *t, const uint8_t *page, size_t len)
{
        uint8_t buf[8 + MODE_PAGE_MAX + 2] = {};
        ScsiCommand cmd;

        if (len < 2 || len > MODE_PAGE_MAX + 2)
                return -EINVAL;
        memcpy(buf + 8, page, len);
        buf[8] &= 0x3f; /* PS is reserved in MODE SELECT */
        cdb_mode_select_10(&cmd, buf, 8 + len);
        return mmc_execute(t, &cmd);
}

int spc_prevent_allow_medium_removal(Transport *t, bool prevent)
{
        ScsiCommand cmd;

        cdb_prevent_allow_medium_removal(&cmd, prevent);
        return mmc_execute(t, &cmd);
}

int spc_start_stop_unit(Transport *t, SpcStartStop action, bool immed)
{
        ScsiCommand cmd;

        switch (action) {
        case SPC_START_STOP_STOP:
                cdb_start_stop_unit(&cmd, immed, false, false);
                break;
        case SPC_START_STOP_START:
                cdb_start_stop_unit(&cmd, immed, false, true);
                break;
        case SPC_START_STOP_EJECT:
                cdb_start_stop_unit(&cmd, immed, true, false);
                break;
        case SPC_START_STOP_LOAD:
                cdb_start_stop_unit(&cmd, immed, true, true);
                break;
        default:
                return -EINVAL;
        }
        return mmc_execute(t, &cmd);
}
