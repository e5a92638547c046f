/*
 * replay.c — runs a fuzz target without libFuzzer: LLVMFuzzerTestOneInput()
 * on every regular file of the directories (or the files) named on the
 * command line, in name order, so that the seed corpora and every crash
 * ever found are replayed by the ordinary test suite (gcc, and under
 * ASan/UBSan in `make asan-test`). A crash or an abort() in the target
 * fails the test; so does an empty corpus, which would test nothing.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "util/sort.h"
#include "util/xalloc.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_file(const char *path)
{
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	/* A copy of exactly the file's size, so that ASan sees a read past
	 * its end, as under libFuzzer. */
	uint8_t *data = xmalloc(b.len ? b.len : 1);
	if (b.len)
		memcpy(data, b.s, b.len);
	LLVMFuzzerTestOneInput(data, b.len);
	free(data);
	buf_release(&b);
	return 0;
}

int main(int argc, char **argv)
{
	size_t runs = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			perror(argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (run_file(argv[i]) != 0)
				return 1;
			runs++;
			continue;
		}
		DIR *d = opendir(argv[i]);
		struct dirent *e;
		char **names = NULL;
		size_t nn = 0;
		if (!d) {
			perror(argv[i]);
			return 1;
		}
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			names = xreallocarray(names, nn + 1, sizeof(*names));
			names[nn++] = xstrdup(e->d_name);
		}
		closedir(d);
		xqsort(names, nn, sizeof(*names), name_cmp);
		for (size_t j = 0; j < nn; j++) {
			struct buf path = BUF_INIT;
			buf_addf(&path, "%s/%s", argv[i], names[j]);
			if (stat(path.s, &st) == 0 && S_ISREG(st.st_mode)) {
				if (run_file(path.s) != 0)
					return 1;
				runs++;
			}
			buf_release(&path);
			free(names[j]);
		}
		free(names);
	}
	printf("replayed %zu inputs\n", runs);
	return runs ? 0 : 1;
}
