/*
 * html.h — the HTML writer: escaping, and the printable report page.
 *
 * Untrusted text (unit names, person names, notes) reaches HTML only
 * through html_escape(), called by the writer at the moment the text is
 * put into the page, never by the caller (DESIGN.md, convention 7). The
 * web server uses the same function.
 *
 * Nothing here allocates anything the caller must free: output is appended
 * to a struct buf the caller owns. Nothing fails (buf growth aborts on out
 * of memory).
 */
#ifndef KN_HTML_H
#define KN_HTML_H

#include <stddef.h>

#include "util/buf.h"

struct report;

/* Append s to out with & < > " ' replaced by &amp; &lt; &gt; &quot; &#39;,
 * so the result is safe in element content and in quoted attribute values.
 * Every other byte is copied as is. NULL appends nothing. */
void html_escape(struct buf *out, const char *s);

/* printf for HTML whose %s arguments are always escaped: %s escapes (the
 * only way page code puts text into HTML), %S inserts trusted markup as is
 * (a literal, or markup built by html_printf), %d %ld %lld %zu %u are
 * numbers. */
void html_printf(struct buf *out, const char *fmt, ...);

/* Append one self-contained UTF-8 page (no external resources, no script)
 * for reports[0..n): a heading from the first report (title, unit, period),
 * the summary paragraphs, then each report's title, chart (achievement and
 * ranking: percent per unit against the 100% line; funnel: candidacies per
 * step) and table. Numbers, dates and words follow i18n_lang(); the page
 * prints on A4. */
void report_write_html(struct report *const *reports, size_t n, struct buf *out);

/* Issue 13: the page of one report written as its rows come
 * (core/report.h, struct report_rows; head without its rows) into k
 * (io/report_text.h), flushed at the end: 0, or -1 when a flush failed. */
struct report_rows;
struct report_sink;
int report_stream_html(struct report *head, const struct report_rows *rows,
		       struct report_sink *k);

#endif
