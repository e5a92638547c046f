/*
 * page.h — writing HTML pages: the layout (head, navigation, footer) and a
 * printf whose %s arguments are always escaped.
 *
 * html_printf() is the only way page code should put text into HTML:
 * %s escapes its argument (& < > " '), %S inserts trusted markup as is
 * (only ever a literal or markup built by html_printf), and %d %ld %lld
 * %zu %u are numbers. So user text is escaped at the last moment, by the
 * writer, and never by the caller.
 */
#ifndef KN_PAGE_H
#define KN_PAGE_H

#include "io/html.h"	/* html_printf */
#include "util/buf.h"
#include "web/http.h"

struct unode;


/* The page head and navigation, with `title` (escaped) as the heading;
 * `nav` names the active menu item ("dashboard", "candidates",
 * "decisions", "reports", "import", "admin"). */
void page_begin(struct request *rq, struct response *rs, const char *nav, const char *title);
void page_end(struct request *rq, struct response *rs);

/* A hidden CSRF field for a form of the signed-in session. */
void page_csrf(struct request *rq, struct response *rs);

/* The "‹ Previous · page P of N · Next ›" links of a paged list at path
 * (trusted, a literal), whose other parameters are the query string qs
 * ("" or "?a=b&c=d", escaped here). */
void page_pager(struct response *rs, const char *path, const struct buf *qs, long page,
		size_t pages);

/* A number / percent / date formatted for the user's language. */
void page_int(struct response *rs, long long v);
void page_percent(struct response *rs, long long tenths);
void page_date(struct response *rs, long long kn_date_value);

/* A date field typed and shown as dd/mm/yyyy whatever the browser's
 * locale (an <input type=date> follows the browser's own spelling): a text
 * input with inputmode numeric, a placeholder and a pattern that also lets
 * scripts' yyyy-mm-dd through; the server reads both (date_parse). `value`
 * is what was typed or stored: a date it parses is shown back as
 * dd/mm/yyyy, anything else as typed. `extra` is trusted markup (" required"). */
void page_date_input(struct buf *b, const char *name, const char *value, const char *extra);

/* The most units a page lists for picking one (the candidates' unit
 * picker, the decisions queue's unit filter, the reports' unit picker):
 * beyond it a list stops at the deepest level that fits (issue 13: a
 * nation's 325 k units were 20 MB of options). 2,000, or KETNAP_DATALIST_MAX from the server's
 * environment (the tests use a small tree). */
#define PAGE_UNITS_MAX 2000
size_t page_units_max(void);
/* How many levels under scope such a list shows: INT_MAX when the subtree
 * has at most page_units_max() units, else the most that stay within it. */
int page_units_depth(const struct unode *scope);

/* A URL-encoded copy of s appended to out (query parameters). */
void url_encode(struct buf *out, const char *s);

#endif
