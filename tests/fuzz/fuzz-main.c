/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Replays files (or every file of directories) through a fuzz target, for builds without libFuzzer: the
 * committed corpora run as regression tests in every build, under ASan/UBSan where the build has them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "fuzz.h"

static int run_file(const char *path)
{
        g_autoptr(GError) error = NULL;
        g_autofree char *data = NULL;
        gsize size = 0;

        if (!g_file_get_contents(path, &data, &size, &error)) {
                fprintf(stderr, "%s: %s\n", path, error->message);
                return -1;
        }
        /* A copy of exactly 'size' bytes: reading past the input must hit ASan's redzone. */
        g_autofree uint8_t *copy = g_memdup2(data, size);
        (void) LLVMFuzzerTestOneInput(copy, size);
        return 0;
}

static int compare_names(gconstpointer a, gconstpointer b)
{
        return strcmp(*(char *const *) a, *(char *const *) b);
}

static int run_path(const char *path, unsigned *n)
{
        g_autoptr(GDir) dir = NULL;
        g_autoptr(GPtrArray) names = NULL;
        const char *name;

        if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
                (*n)++;
                return run_file(path);
        }
        dir = g_dir_open(path, 0, NULL);
        if (!dir)
                return -1;
        names = g_ptr_array_new_with_free_func(g_free);
        while ((name = g_dir_read_name(dir)))
                g_ptr_array_add(names, g_build_filename(path, name, NULL));
        g_ptr_array_sort(names, compare_names);
        for (guint i = 0; i < names->len; i++) {
                if (run_file(names->pdata[i]) < 0)
                        return -1;
                (*n)++;
        }
        return 0;
}

int main(int argc, char **argv)
{
        unsigned n = 0;

        (void) LLVMFuzzerInitialize(&argc, &argv);
        for (int i = 1; i < argc; i++)
                if (run_path(argv[i], &n) < 0)
                        return EXIT_FAILURE;
        if (n == 0) {
                fprintf(stderr, "no input: the corpus is missing\n");
                return EXIT_FAILURE;
        }
        printf("%u inputs replayed\n", n);
        return EXIT_SUCCESS;
}
