/*
 * sort.h — qsort() that accepts an empty array.
 *
 * qsort(NULL, 0, …) is undefined behaviour (glibc declares the array
 * nonnull, and UBSan aborts on it), and an empty list is NULL here more
 * often than not. xqsort() is the one sort to call; banned.h makes a bare
 * qsort() a compile error.
 */
#ifndef KN_SORT_H
#define KN_SORT_H

#include <stdlib.h>

static inline void xqsort(void *base, size_t n, size_t size,
			  int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

static inline void xqsort_r(void *base, size_t n, size_t size,
			    int (*cmp)(const void *, const void *, void *), void *arg)
{
	if (n > 1)
		qsort_r(base, n, size, cmp, arg);
}

#endif
