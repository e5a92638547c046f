/*
 * buf.h — the one growable string (after git's strbuf).
 *
 * A struct buf is never NULL-terminated-less: b.s always points to a valid
 * NUL-terminated string (an empty static one after buf_init), so it can be
 * printed at any time. Growth aborts on out of memory (xalloc.h), so no
 * function here fails. buf_detach() hands the heap string to the caller, who
 * frees it with free(); buf_release() frees it and re-initialises the buf.
 */
#ifndef KN_BUF_H
#define KN_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *s;
	size_t len;
	size_t cap;
};

#define BUF_INIT { buf_empty, 0, 0 }
extern char buf_empty[];

void buf_init(struct buf *b);
void buf_release(struct buf *b);
/* Return the string (caller frees) and re-initialise b. Never NULL. */
char *buf_detach(struct buf *b);
void buf_reset(struct buf *b);
void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *data, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void buf_truncate(struct buf *b, size_t len);

#endif
