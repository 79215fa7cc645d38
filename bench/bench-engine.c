/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench-engine: the burn engine alone (BurnJob -> mmc -> emulated drive, no bus), to read what only the
 * drive knows: the recording rate per WRITE, the lowest buffer fill and the underruns. One JSON line.
 *
 *   bench-engine [--speed X] [--buffer-mib N] [--skip-mib N] PROFILE SRC
 *
 * SRC is a directory, staged as AddData would (one fd per file, so keep it small in files); PROFILE a
 * medium (cd-r, dvd-r, bd-r ...); --speed 0 burns unthrottled. It takes over tests/emu/burn-bench.c's
 * job for the benchmark suite and adds the drive statistics (emu_drive_get_stats()). */
#include <getopt.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

#include "burn-test-util.h"
#include "profile.h"

typedef struct WriteSample {
        double t;
        uint64_t blocks;
} WriteSample;

static double now_s(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void on_write(BurnJob *job, uint64_t blocks_written, void *userdata)
{
        WriteSample s = {.t = now_s(), .blocks = blocks_written};

        g_array_append_val((GArray *) userdata, s);
}

/* Blocks per second at 1x: CD 75 sectors/s; DVD 1,385,000 B/s and BD 4,496,000 B/s in 2048-byte blocks
 * (daemon/emu/README.md, Throttle). */
static double one_x_blocks_per_s(uint16_t profile)
{
        switch (profile_medium_class(profile)) {
        case MEDIUM_CLASS_CD:
                return 75.0;
        case MEDIUM_CLASS_DVD:
                return 1385000.0 / 2048.0;
        default:
                return 4496000.0 / 2048.0;
        }
}

/* Least-squares slope of blocks over time for the samples from 'skip' blocks on. */
static double steady_rate(GArray *samples, uint64_t skip, unsigned *ret_n)
{
        double sx = 0, sy = 0, sxx = 0, sxy = 0, t0 = -1;
        unsigned n = 0;

        for (guint i = 0; i < samples->len; i++) {
                const WriteSample *s = &g_array_index(samples, WriteSample, i);
                double x;

                if (s->blocks < skip)
                        continue;
                if (t0 < 0)
                        t0 = s->t;
                x = s->t - t0;
                sx += x;
                sy += (double) s->blocks;
                sxx += x * x;
                sxy += x * (double) s->blocks;
                n++;
        }
        *ret_n = n;
        return n > 2 && n * sxx - sx * sx > 0 ? (n * sxy - sx * sy) / (n * sxx - sx * sx) : 0;
}

static void raise_fd_limit(void)
{
        struct rlimit rl;

        if (getrlimit(RLIMIT_NOFILE, &rl) == 0) { /* one fd per staged file, as the daemon holds them */
                rl.rlim_cur = rl.rlim_max;
                (void) setrlimit(RLIMIT_NOFILE, &rl);
        }
}

int main(int argc, char *argv[])
{
        static const struct option options[] = {
                {"speed", required_argument, NULL, 's'},
                {"buffer-mib", required_argument, NULL, 'b'},
                {"skip-mib", required_argument, NULL, 'k'},
                {},
        };
        unsigned speed = 0, buffer_mib = 4, skip_mib = 8, n_steady;
        g_autoptr(GArray) samples = g_array_new(FALSE, FALSE, sizeof(WriteSample));
        g_autoptr(MasterTree) tree = NULL;
        BurnTestDrive drive = {};
        BurnTestResult res;
        EmuDriveStats stats;
        BurnRequest req;
        BurnTest *bt;
        double t0, t1, t2, rate, nominal;
        int profile, c;

        while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0) {
                if (c == 's')
                        speed = (unsigned) atoi(optarg);
                else if (c == 'b')
                        buffer_mib = (unsigned) atoi(optarg);
                else if (c == 'k')
                        skip_mib = (unsigned) atoi(optarg);
                else
                        return 2;
        }
        if (argc - optind != 2 || (profile = profile_from_name(argv[optind])) < 0) {
                fprintf(stderr,
                        "usage: bench-engine [--speed X] [--buffer-mib N] [--skip-mib N] PROFILE SRC\n");
                return 2;
        }
        raise_fd_limit();
        drive = (BurnTestDrive){.speed = speed, .buffer_size = (size_t) buffer_mib << 20};
        bt = burn_test_new_full(&drive);
        t0 = now_s();
        tree = burn_test_stage(argv[optind + 1]);
        t1 = now_s();
        burn_test_load(bt, (uint16_t) profile);
        req = burn_test_request(bt, BURN_KIND_DATA);
        req.tree = tree;
        req.write_hook = on_write;
        req.write_hook_userdata = samples;
        emu_drive_reset_stats(bt->drive);
        res = burn_test_run(bt, &req);
        t2 = now_s();
        emu_drive_get_stats(bt->drive, &stats);
        if (res.r < 0) {
                fprintf(stderr, "bench-engine: burn failed: %s\n", res.message);
                return 1;
        }
        rate = steady_rate(samples, (uint64_t) skip_mib * 512, &n_steady);
        nominal = speed ? one_x_blocks_per_s((uint16_t) profile) * speed : 0;
        printf("{\"profile\": \"%s\", \"speed\": %u, \"entries\": %zu, \"blocks\": %" PRIu64
               ", \"stage_s\": %.6f, "
               "\"burn_s\": %.6f, \"burn_mb_per_s\": %.2f, \"writes\": %u, \"write_span_s\": %.6f, "
               "\"steady_blocks_per_s\": %.1f, \"steady_samples\": %u, \"nominal_blocks_per_s\": %.1f, "
               "\"fraction_of_nominal\": %.5f, \"underruns\": %u, \"bufe_pauses\": %u, \"buffer_bytes\": "
               "%u, "
               "\"buffer_min_fill\": %" PRId64 "}\n",
               argv[optind], speed, master_tree_n_entries(tree), res.progress.blocks_total, t1 - t0, t2 - t1,
               (double) res.progress.blocks_total * 2048 / 1e6 / (t2 - t1), samples->len,
               samples->len ? g_array_index(samples, WriteSample, samples->len - 1).t -
                                      g_array_index(samples, WriteSample, 0).t
                            : 0.0,
               rate, n_steady, nominal, nominal > 0 ? rate / nominal : 0.0, stats.underruns,
               stats.bufe_pauses, buffer_mib << 20,
               stats.buffer_min_fill == UINT64_MAX ? (int64_t) -1 : (int64_t) stats.buffer_min_fill);
        burn_test_result_done(&res);
        g_clear_pointer(&tree, master_tree_free);
        burn_test_free(bt);
        return 0;
}
