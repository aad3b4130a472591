/*
 * fuzz_csv.c - libFuzzer target of the event CSV importer (SPEC 3.2, 9).
 *
 * Any bytes are an event CSV file; import_csv_events reads them from memory
 * into the checking fake sink of fuzz_common.c, once in UTC and once in the
 * shop zone Europe/Helsinki (local times take another path there).  Seeds:
 * tests/fuzz/corpus/csv; dictionary: csv.dict; `make fuzz` runs it.
 */
#include "autoconf.h"

#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_import(FORMAT_CSV, data, size, fuzz_utc(), NULL);
    fuzz_import(FORMAT_CSV, data, size, fuzz_helsinki(), NULL);
    return 0;
}
