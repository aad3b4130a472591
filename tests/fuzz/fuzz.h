/*
 * fuzz.h - what the fuzz targets in tests/fuzz/ share (SPEC 9, STYLE 5).
 *
 * Each target defines LLVMFuzzerTestOneInput.  Built with --enable-fuzzing
 * it links libFuzzer; in every build it also links replay.c, whose main()
 * feeds it the seed corpus and the regression files, so `make check` runs
 * the same checks without libFuzzer.  A broken contract calls fuzz_fail,
 * which aborts: libFuzzer saves the input, replay reports the file.
 *
 * fuzz_import runs one importer over a memory buffer with a fake row sink
 * (no SQLite, as model/import_int.h allows) that checks what the parsers
 * promise: every row passes import_check_row and its properties are a JSON
 * object, every record is either a row or a bad record with a printable
 * reason and a line inside the input, and a failure says why.
 */
#ifndef CT_FUZZ_H
#define CT_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "model/import.h"

struct config;
struct tz;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Report a broken contract on stderr and abort. */
void fuzz_fail(const char *what, const char *detail) __attribute__((noreturn));

/* Abort unless msg is text that is safe on a terminal: valid UTF-8, no
 * control character (C0, DEL, C1), not empty. */
void fuzz_check_message(const char *what, const char *msg);

/* Run the parser of format f (FORMAT_AUTO: detected from the first bytes,
 * as import_files does for a file named fuzz.csv) over data, with zone tz
 * and config cfg (may be NULL), and check the results.  Whether a bad
 * record stops the parse (as without --skip-bad) and whether the sink
 * fails after some rows (as a full disk would) is derived from size, so
 * every input replays the same way. */
void fuzz_import(enum import_format f, const uint8_t *data, size_t size, const struct tz *tz,
                 const struct config *cfg);

/* The zones the targets use, loaded once (Helsinki from $TZDIR or
 * /usr/share/zoneinfo; it aborts when missing). */
const struct tz *fuzz_utc(void);
const struct tz *fuzz_helsinki(void);

#endif
