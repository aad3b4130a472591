/*
 * fuzz_orders.c - libFuzzer target of the order-export importers (SPEC 3.2,
 * 9): Shopify, UCI Online Retail and the config's orders mapping.
 *
 * The first byte picks the layout (its value modulo 4: Shopify, Online
 * Retail, the mapping of a fixed config, or detection from the header as
 * import_files does); the rest is the CSV file.  Lines go through the
 * grouping into orders and the refund rules to the checking fake sink of
 * fuzz_common.c.  Seeds: tests/fuzz/corpus/orders (each file starts with
 * its layout byte); dictionary: orders.dict; `make fuzz` runs it.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "model/config.h"
#include "tests/fuzz/fuzz.h"

/* A mapping that names every column, as a shop's own export would. */
static const char mapping[] = "events: { purchase: order_completed }\n"
                              "import:\n"
                              "  orders:\n"
                              "    order: Order\n"
                              "    customer: Client\n"
                              "    time: When\n"
                              "    quantity: Qty\n"
                              "    price: Each\n"
                              "    total: Sum\n"
                              "    email: Mail\n"
                              "    name: Who\n"
                              "    country: Land\n"
                              "    channel: Via\n"
                              "    cancel_prefix: X\n";

static const struct config *mapping_config(void)
{
    static struct config *cfg;
    if (!cfg) {
        struct ct_errlist errs = {0};
        if (config_load_text(mapping, strlen(mapping), "fuzz.yaml", &cfg, &errs) != 0)
            fuzz_fail("setup", "the orders mapping config does not load");
        ct_errlist_free(&errs);
    }
    return cfg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const enum import_format layouts[] = {FORMAT_SHOPIFY, FORMAT_ONLINE_RETAIL,
                                                 FORMAT_ORDERS, FORMAT_AUTO};
    if (size < 1)
        return 0;
    fuzz_import(layouts[data[0] % 4], data + 1, size - 1, fuzz_utc(), mapping_config());
    return 0;
}
