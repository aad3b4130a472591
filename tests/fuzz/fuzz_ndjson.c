/*
 * fuzz_ndjson.c - libFuzzer target of the NDJSON importer (SPEC 3.2, 9).
 *
 * Any bytes are an NDJSON file: import_ndjson splits them into lines, has
 * jansson parse each, and maps keys and nested properties into the checking
 * fake sink of fuzz_common.c.  Seeds: tests/fuzz/corpus/ndjson; dictionary:
 * ndjson.dict; `make fuzz` runs it.
 */
#include "autoconf.h"

#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_import(FORMAT_NDJSON, data, size, fuzz_utc(), NULL);
    return 0;
}
