/*
 * err.h — the one error type of ketnap.
 *
 * Every library function that can fail returns an enum kn_err (KN_OK == 0).
 * The library never exits; commands map errors to exit statuses:
 * KN_EINVAL/KN_ENOTFOUND/KN_ERULE/KN_EPERM/KN_ECONFLICT -> 1, KN_EIO -> 3.
 * Out of memory aborts (see xalloc.h), so KN_ENOMEM is only reported by
 * code that talks to a library which reports it itself.
 */
#ifndef KN_ERR_H
#define KN_ERR_H

enum kn_err {
	KN_OK = 0,
	KN_EINVAL,	/* bad input: a malformed value, a usage error */
	KN_ENOTFOUND,	/* a unit, person, step … that does not exist */
	KN_ERULE,	/* a rule of RULES.md refuses the step */
	KN_EPERM,	/* the acting user may not do this */
	KN_ECONFLICT,	/* a concurrent change or a duplicate key */
	KN_EIO,		/* storage or I/O failure */
	KN_ENOMEM,
};

/* A static, translated description of an error code. */
const char *kn_strerror(enum kn_err e);

/* The process exit status for an error: 0, 1 or 3 (CLI.md). */
int kn_exit_status(enum kn_err e);

#endif
