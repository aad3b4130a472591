/*
 * format.h - numbers, money, percentages, durations and PII masks as text.
 *
 * No curses: app/report.c links this too, so the TUI and the text reports
 * print the same figures the same way.  Renderers format; they never divide
 * or round for meaning (the model did that).
 */
#ifndef CT_FORMAT_H
#define CT_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* 1234567 -> "1,234,567" */
void fmt_count(int64_t v, char *buf, size_t size);

/* 1234.5 -> "1,234.50"; large values shorten: "12.3k", "4.56M" when compact */
void fmt_money(double v, int compact, char *buf, size_t size);

/* 62.5 -> "62.5%", 100 -> "100%", 33.333 -> "33.3%"; "-" when is_null */
void fmt_pct(double v, int is_null, char *buf, size_t size);

/* seconds -> "45s", "12m", "3.5h", "2.1d"; "-" when is_null */
void fmt_duration(double seconds, int is_null, char *buf, size_t size);

/* "jane.doe@example.com" -> "j***@e***.com" (SPEC 6) */
void fmt_mask_email(const char *email, char *buf, size_t size);

/* "Jane Doe" -> "J. D." (SPEC 6) */
void fmt_mask_name(const char *name, char *buf, size_t size);

/* A customer key as --mask-pii shows it: masked like an e-mail when it is
 * one (a Shopify export without customer ids keys customers by e-mail),
 * else as it is. */
void fmt_mask_key(const char *key, char *buf, size_t size);

/* One CSV field (RFC 4180), quoted when it holds a comma or a quote.  Control
 * characters (newlines too) and invalid UTF-8 become '?' (text_sanitize). */
void fmt_csv_field(FILE *f, const char *s);

#endif
