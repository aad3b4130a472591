/*
 * fuzz_config.c - libFuzzer target for the config loader (SPEC 9).
 *
 * Feeds any bytes to config_load_text and checks the loader's contract: it
 * returns 0 with a config and no problems, or a status with problems and no
 * config.  Build with clang:
 *   ./configure CC=clang --enable-fuzzing CFLAGS='-g -fsanitize=fuzzer-no-link,address,undefined'
 *   make tests/fuzz/fuzz_config
 *   tests/fuzz/fuzz_config -dict=tests/fuzz/config.dict CORPUS_DIR
 * (a corpus can start from convtop.yaml and tests/data/config/).  Needs
 * TZDIR or /usr/share/zoneinfo for time zone names; reads no other file.
 */
#include "autoconf.h"

#include <stdint.h>
#include <stdlib.h>

#include "model/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ct_errlist errs = {0};
    struct config *cfg = NULL;
    int rc = config_load_text((const char *)data, size, "fuzz.yaml", &cfg, &errs);
    if ((rc == 0) != (cfg != NULL) || (rc == 0) != (errs.n == 0))
        abort();
    config_free(cfg);
    ct_errlist_free(&errs);
    return 0;
}
