/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* PCM from a client fd into the stash: copy_file_range, splice, or read/pwrite, bounded by the disc's room.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audio-copy.h"
#include "imapi-error.h"
#include "log.h"

#define COPY_CHUNK     (8u << 20) /* bytes asked of one copy_file_range/splice call */
#define COPY_BUFFER    (1u << 20) /* the read/pwrite buffer */
#define COPY_PIPE_SIZE (1u << 20) /* pipe capacity asked for, so that one splice moves more */
#define COPY_WAIT_MS   1000       /* poll timeout between progress calls on a silent pipe */

typedef enum CopyMethod {
        COPY_RANGE,
        COPY_SPLICE,
        COPY_RECV,
        COPY_READ,
} CopyMethod;

typedef struct CopyJob {
        int in_fd;
        int out_fd;
        uint64_t offset; /* where the next byte goes in out_fd */
        uint64_t done;
        uint64_t limit;
        uint64_t total_blocks; /* 0: unknown */
        bool regular;
        CopyMethod method;
        uint8_t *buffer;
        AudioProgressFunc progress;
        void *userdata;
} CopyJob;

int audio_pwrite_all(int fd, const void *buf, size_t size, uint64_t offset)
{
        const uint8_t *p = buf;

        while (size > 0) {
                ssize_t n = pwrite(fd, p, size, (off_t) offset);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -IMAPI_ERROR_FILE_ACCESS;
                if (n == 0)
                        return -IMAPI_ERROR_FILE_ACCESS;
                p += n;
                size -= (size_t) n;
                offset += (uint64_t) n;
        }
        return 0;
}

static int copy_report(CopyJob *j)
{
        if (!j->progress)
                return 0;
        return j->progress(j->done / AUDIO_BLOCK_SIZE, j->total_blocks, j->userdata);
}

/* Waits until in_fd is readable (or at EOF), reporting progress each second so the caller can abort. */
static int copy_wait(CopyJob *j)
{
        for (;;) {
                struct pollfd p = {.fd = j->in_fd, .events = POLLIN};
                int r = poll(&p, 1, COPY_WAIT_MS);

                if (r < 0 && errno == EINTR)
                        continue;
                if (r < 0)
                        return -errno;
                if (r > 0)
                        return 0;
                r = copy_report(j);
                if (r < 0)
                        return r;
        }
}

/* copy_file_range/splice refuse some pairs of files (other file systems, special files, old kernels). */
static bool copy_method_unsupported(int e)
{
        return e == EXDEV || e == EINVAL || e == EOPNOTSUPP || e == ENOSYS || e == EBADF || e == EPERM;
}

/* Sockets are read without blocking (MSG_DONTWAIT), so a silent client cannot stall a cancel. */
static ssize_t copy_read_write(CopyJob *j, size_t want)
{
        size_t size = MIN(want, COPY_BUFFER);
        ssize_t n = j->method == COPY_RECV ? recv(j->in_fd, j->buffer, size, MSG_DONTWAIT)
                                           : read(j->in_fd, j->buffer, size);
        int r;

        if (n < 0)
                return -errno;
        r = audio_pwrite_all(j->out_fd, j->buffer, (size_t) n, j->offset);
        if (r < 0)
                return r;
        j->offset += (uint64_t) n;
        return n;
}

/* One transfer of at most 'want' bytes: > 0 bytes moved, 0 at EOF, -EAGAIN to wait, or an error. */
static ssize_t copy_once(CopyJob *j, size_t want)
{
        loff_t off = (loff_t) j->offset;
        ssize_t n;

        switch (j->method) {
        case COPY_RANGE:
                n = copy_file_range(j->in_fd, NULL, j->out_fd, &off, want, 0);
                break;
        case COPY_SPLICE:
                n = splice(j->in_fd, NULL, j->out_fd, &off, want, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
                break;
        default:
                return copy_read_write(j, want);
        }

        if (n < 0 && copy_method_unsupported(errno)) {
                log_debug("%s not usable here (%m), reading and writing instead",
                          j->method == COPY_RANGE ? "copy_file_range" : "splice");
                j->method = COPY_READ;
                return j->regular ? copy_read_write(j, want) : -EAGAIN; /* a pipe: poll, then read */
        }
        if (n < 0)
                return -errno;
        if (n == 0 && j->method == COPY_RANGE) {
                /* Some special files (procfs, sysfs) report 0 before their end; read() tells for sure. */
                j->method = COPY_READ;
                return copy_read_write(j, want);
        }
        j->offset = (uint64_t) off;
        return n;
}

/* At the limit: does in_fd hold more? A byte read from a pipe to find out is dropped (we stop anyway). */
static int copy_has_more(CopyJob *j)
{
        struct stat st;
        uint8_t byte;

        if (j->regular) {
                off_t pos = lseek(j->in_fd, 0, SEEK_CUR);

                if (pos < 0 || fstat(j->in_fd, &st) < 0)
                        return -errno;
                return st.st_size > pos;
        }
        for (;;) {
                ssize_t n;
                int r = copy_wait(j);

                if (r < 0)
                        return r;
                n = read(j->in_fd, &byte, 1);
                if (n < 0 && (errno == EAGAIN || errno == EINTR))
                        continue;
                if (n < 0)
                        return -errno;
                return n > 0;
        }
}

/* Classifies in_fd and, for regular files, checks the remaining size up front. */
static int copy_setup(CopyJob *j, char **reterr_message)
{
        struct stat st;
        off_t pos;

        if (fstat(j->in_fd, &st) < 0)
                return error_set_message(reterr_message, errno, "Cannot stat the audio fd: %m");

        if (S_ISFIFO(st.st_mode)) {
                j->method = COPY_SPLICE;
                (void) fcntl(j->in_fd, F_SETPIPE_SZ, COPY_PIPE_SIZE); /* a hint; the default works too */
        } else if (S_ISSOCK(st.st_mode))
                j->method = COPY_RECV;
        else if (!S_ISREG(st.st_mode))
                return error_set_message(reterr_message, EINVAL,
                                         "Audio data must come from a regular file, a pipe or a socket");
        else {
                j->regular = true;
                j->method = COPY_RANGE;
                pos = lseek(j->in_fd, 0, SEEK_CUR);
                if (pos < 0)
                        return error_set_message(reterr_message, errno, "Cannot seek the audio fd: %m");
                if (st.st_size > pos && (st.st_size - pos) % AUDIO_BLOCK_SIZE != 0)
                        return error_set_message(reterr_message, IMAPI_ERROR_INVALID_PCM,
                                                 "The file holds %jd bytes, not a multiple of %u",
                                                 (intmax_t) (st.st_size - pos), AUDIO_BLOCK_SIZE);
                j->total_blocks = st.st_size > pos ? (uint64_t) (st.st_size - pos) / AUDIO_BLOCK_SIZE : 0;
        }
        return 0;
}

static int copy_step(CopyJob *j)
{
        ssize_t n;
        int r;

        /* A plain read() of a pipe would block: wait until it cannot. splice() and recv() do not block. */
        if (!j->regular && j->method == COPY_READ) {
                r = copy_wait(j);
                if (r < 0)
                        return r;
        }
        n = copy_once(j, (size_t) MIN((uint64_t) COPY_CHUNK, j->limit - j->done));
        if (n == -EINTR)
                return 1;
        if (n == -EAGAIN) {
                r = copy_wait(j);
                return r < 0 ? r : 1;
        }
        if (n < 0)
                return (int) n;
        if (n == 0)
                return 0;
        j->done += (uint64_t) n;
        r = copy_report(j);
        return r < 0 ? r : 1;
}

int audio_copy_fd(int in_fd, int out_fd, uint64_t out_offset, uint64_t limit, AudioProgressFunc progress,
                  void *userdata, uint64_t *ret_copied, char **reterr_message)
{
        g_autofree uint8_t *buffer = g_malloc(COPY_BUFFER);
        CopyJob j = {
                .in_fd = in_fd,
                .out_fd = out_fd,
                .offset = out_offset,
                .limit = limit,
                .buffer = buffer,
                .progress = progress,
                .userdata = userdata,
        };
        int r;

        r = copy_setup(&j, reterr_message);
        if (r < 0)
                return r;

        for (;;) {
                if (j.done == j.limit) {
                        r = copy_has_more(&j);
                        if (r < 0)
                                return error_set_message(reterr_message, r, "Failed to read audio data: %s",
                                                         error_to_string(r));
                        if (r > 0) {
                                *ret_copied = j.done;
                                return -IMAPI_ERROR_DISC_FULL;
                        }
                        break;
                }
                r = copy_step(&j);
                if (r == -IMAPI_ERROR_FILE_ACCESS)
                        return error_set_message(reterr_message, r,
                                                 "Failed to write audio data to the stash: %m");
                if (r < 0)
                        return error_set_message(reterr_message, r, "Failed to read audio data: %s",
                                                 error_to_string(r));
                if (r == 0)
                        break;
        }

        *ret_copied = j.done;
        return 0;
}
