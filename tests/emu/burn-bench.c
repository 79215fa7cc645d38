/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* burn-bench: stages a local directory, burns it through the burn engine to an unthrottled emulated
 * drive (whose disc lives in a sparse file under $TMPDIR) and prints the rate. A measuring tool, not a
 * test: compare its MB/s with `cp -r` or `tar -cf` of the same tree on the same file system.
 *
 *   burn-bench SRC [PROFILE [verify]]   (PROFILE: bd-re (default), dvd+r, cd-r ...; verify: xorriso
 *                                        -compare_r of the burned disc against SRC afterwards)
 */
#include <stdio.h>
#include <sys/resource.h>

#include "burn-test-util.h"

static double now_s(void)
{
        return (double) g_get_monotonic_time() / 1e6;
}

int main(int argc, char *argv[])
{
        const char *src = argc > 1 ? argv[1] : NULL, *profile_name = argc > 2 ? argv[2] : "bd-re";
        g_autoptr(MasterTree) tree = NULL;
        BurnTest *bt;
        BurnRequest req;
        struct rlimit rl;
        double t0, t1, t2;
        uint64_t blocks;
        int profile, r;
        g_autoptr(BurnJob) job = NULL;

        if (!src) {
                fprintf(stderr, "usage: burn-bench SRC [PROFILE]\n");
                return 2;
        }
        profile = profile_from_name(profile_name);
        if (profile < 0) {
                fprintf(stderr, "unknown profile %s\n", profile_name);
                return 2;
        }
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0) { /* one fd per staged file, as the daemon holds them */
                rl.rlim_cur = rl.rlim_max;
                (void) setrlimit(RLIMIT_NOFILE, &rl);
        }
        bt = burn_test_new();
        t0 = now_s();
        tree = burn_test_stage(src);
        blocks = master_tree_used_blocks(tree);
        t1 = now_s();
        burn_test_load(bt, (uint16_t) profile);
        req = burn_test_request(bt, BURN_KIND_DATA);
        req.tree = tree;
        g_assert_cmpint(burn_job_new(&req, &job), ==, 0);
        r = burn_job_run(job, NULL);
        t2 = now_s();
        if (r < 0) {
                fprintf(stderr, "burn failed: %s\n", burn_job_get_error_message(job));
                return 1;
        }
        printf("staged %zu entries in %.2f s; burned %" PRIu64
               " blocks (%.1f MB) to %s in %.2f s: %.0f blocks/s, "
               "%.1f MB/s\n",
               master_tree_n_entries(tree), t1 - t0, blocks, (double) blocks * 2048 / 1e6, profile_name,
               t2 - t1, (double) blocks / (t2 - t1), (double) blocks * 2048 / 1e6 / (t2 - t1));
        g_clear_pointer(&job, burn_job_free);
        if (argc > 3 && g_str_equal(argv[3], "verify")) {
                g_autofree char *img = burn_test_fetch(bt, "disc.iso", NULL);

                burn_test_xorriso_compare(img, 0, src);
                printf("verified with xorriso -compare_r\n");
        }
        burn_test_free(bt);
        return 0;
}
