/*
 * assets.h — the static files of web/ (style sheet, script, icons),
 * compiled into the binary by cmake/embed_assets.cmake so that the server
 * needs no files beside it.
 */
#ifndef KN_ASSETS_H
#define KN_ASSETS_H

#include <stddef.h>

struct asset {
	const char *name;	/* "app.css" */
	const char *ctype;
	const unsigned char *data;
	size_t len;
	const char *etag;	/* quoted content hash */
};

extern const struct asset kn_assets[];

/* NULL when there is no such asset. */
const struct asset *asset_find(const char *name);

#endif
