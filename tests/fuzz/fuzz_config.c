/*
 * fuzz_config.c - libFuzzer target for the config loader (SPEC 4, 9).
 *
 * Feeds any bytes to config_load_text and checks the loader's contract: it
 * returns 0 with a config and no problems, or a status with problems and no
 * config; every problem names the file and is safe to print.  A config
 * that loads is also walked by matcher_needed_props and the lookups the
 * engines use.  Seeds: tests/fuzz/corpus/config (convtop.yaml and
 * tests/data/config/ are good starts); dictionary: config.dict; `make fuzz`
 * runs it.  Needs TZDIR or /usr/share/zoneinfo for time zone names; reads no
 * other file.
 */
#include "autoconf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/config.h"
#include "model/matcher.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ct_errlist errs = {0};
    struct config *cfg = NULL;
    int rc = config_load_text((const char *)data, size, "fuzz.yaml", &cfg, &errs);
    if ((rc == 0) != (cfg != NULL) || (rc == 0) != (errs.n == 0))
        fuzz_fail("config_load_text", "status, config and problem list disagree");
    for (size_t i = 0; i < errs.n; i++) {
        if (strcmp(errs.items[i].file, "fuzz.yaml") != 0)
            fuzz_fail("config problem does not name the file", errs.items[i].file);
        if (errs.items[i].line < 0 || errs.items[i].col < 0)
            fuzz_fail("config problem", "negative line or column");
        fuzz_check_message("config problem", errs.items[i].msg);
    }
    if (cfg) {
        const char **keys;
        size_t n;
        matcher_needed_props(cfg, &keys, &n);
        free(keys);
        if (!config_funnel(cfg, "stages"))
            fuzz_fail("config_funnel", "no stages funnel");
        for (size_t i = 0; i < cfg->n_funnels; i++)
            if (config_funnel(cfg, cfg->funnels[i].name) != &cfg->funnels[i])
                fuzz_fail("config_funnel", "a funnel is not found by its name");
        (void)config_tier(cfg, 0);
    }
    config_free(cfg);
    ct_errlist_free(&errs);
    return 0;
}
