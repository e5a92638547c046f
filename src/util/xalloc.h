/*
 * xalloc.h — allocation that never returns NULL.
 *
 * Like tmux's xmalloc: running out of memory is not an error a caller can
 * handle usefully, so these print a message and abort.
 */
#ifndef KN_XALLOC_H
#define KN_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow an array of nmemb elements of size to hold at least need. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
