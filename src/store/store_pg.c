/*
 * store_pg.c — the PostgreSQL backend of store.h (not written yet: this
 * build refuses postgresql:// URLs with a clear message).
 */
#include "store/store_impl.h"
#include "util/banned.h"

enum kn_err pg_open(const char *url, int create, struct store **out, struct buf *err)
{
	(void)create;
	*out = NULL;
	buf_addf(err, "PostgreSQL is not supported by this build yet: %s", url);
	return KN_EIO;
}
