/*
 * test_text.c — unit tests for util/text: NFC, UTF-8 validation, search
 * folding, Vietnamese name order (comparison and sort keys), number and
 * percentage formatting, display widths. Every expected value is written
 * out by hand.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "util/buf.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/sort.h"
#include "util/banned.h"

static const char *nfc(struct buf *b, const char *s)
{
	buf_reset(b);
	if (text_nfc(s, b) != 0)
		return "(refused)";
	return b->s;
}

static const char *fold(struct buf *b, const char *s)
{
	buf_reset(b);
	text_fold(s, b);
	return b->s;
}

static void test_nfc(void)
{
	struct buf b = BUF_INIT;

	/* "Nguyễn" with e + circumflex + tilde, decomposed. */
	CHECK_STR(nfc(&b, "Nguye\xcc\x82\xcc\x83n"), "Nguy\xe1\xbb\x85n");
	CHECK_STR(nfc(&b, "Nguyễn"), "Nguyễn");
	/* Dot below (class 220) typed after the circumflex (230) still
	 * composes: ậ. */
	CHECK_STR(nfc(&b, "Tra\xcc\x82\xcc\x80n Thi\xcc\xa3 Ha\xcc\x80 Ta\xcc\x82\xcc\xa3p"),
		  "Trần Thị Hà Tập");
	CHECK_STR(nfc(&b, "plain ascii"), "plain ascii");
	CHECK_STR(nfc(&b, ""), "");

	/* Appends, and leaves out untouched on refusal. */
	buf_reset(&b);
	buf_adds(&b, "x:");
	CHECK_EQ(text_nfc("A\xcc\x81", &b), 0);
	CHECK_STR(b.s, "x:Á");
	CHECK_EQ(text_nfc("bad \xff byte", &b), -1);
	CHECK_STR(b.s, "x:Á");

	CHECK_STR(nfc(&b, "\xc0\xaf"), "(refused)");		/* overlong '/' */
	CHECK_STR(nfc(&b, "\xed\xa0\x80"), "(refused)");	/* surrogate */
	CHECK_STR(nfc(&b, "\xf4\x90\x80\x80"), "(refused)");	/* > U+10FFFF */
	CHECK_STR(nfc(&b, "Nguy\xe1\xbb"), "(refused)");	/* truncated */
	CHECK_STR(nfc(&b, "\x80"), "(refused)");		/* lone continuation */
	buf_release(&b);
}

static void test_valid(void)
{
	CHECK(text_is_valid_utf8(""));
	CHECK(text_is_valid_utf8("Đặng Thị Ngọc Hân"));
	CHECK(text_is_valid_utf8("\xf0\x9f\x98\x80"));		/* U+1F600 */
	CHECK(text_is_valid_utf8("\xf4\x8f\xbf\xbf"));		/* U+10FFFF */
	CHECK(!text_is_valid_utf8("\xe0\x80\x80"));		/* overlong NUL */
	CHECK(!text_is_valid_utf8("\xc3"));
	CHECK(!text_is_valid_utf8("\xfe"));
	CHECK(!text_is_valid_utf8("Vi\xe1\xbb\x87t \xc3\x28"));
	CHECK(!text_is_valid_utf8(NULL));
}

static void test_fold(void)
{
	struct buf b = BUF_INIT;

	CHECK_STR(fold(&b, "Đặng"), "dang");
	CHECK_STR(fold(&b, "NGUYỄN Văn  Dũng"), "nguyen van dung");
	CHECK_STR(fold(&b, "Nguyễn Văn Đức"), "nguyen van duc");
	CHECK_STR(fold(&b, "  Trần\tThị\xc2\xa0Hoà \n"), "tran thi hoa");
	CHECK_STR(fold(&b, "Phượng Ơn Ưng"), "phuong on ung");
	CHECK_STR(fold(&b, "Nguye\xcc\x82\xcc\x83n"), "nguyen");	/* decomposed */
	CHECK_STR(fold(&b, "ĐOÀN"), "doan");
	CHECK_STR(fold(&b, "Lê\xe2\x80\x8bLợi"), "leloi");	/* zero-width space */
	CHECK_STR(fold(&b, "\xef\xbc\xa1\xef\xbc\xa2"), "ab");	/* full-width AB */
	CHECK_STR(fold(&b, "Khánh Hòa 2024"), "khanh hoa 2024");
	CHECK_STR(fold(&b, "   "), "");
	CHECK_STR(fold(&b, ""), "");
	/* Invalid bytes do not stop folding. */
	CHECK_STR(fold(&b, "B\xff" "c"), "b\xef\xbf\xbd" "c");

	/* Appends. */
	buf_reset(&b);
	buf_adds(&b, "q=");
	text_fold("Hà Nội", &b);
	CHECK_STR(b.s, "q=ha noi");
	buf_release(&b);
}

static int by_cmp(const void *a, const void *b)
{
	return text_name_cmp(*(const char *const *)a, *(const char *const *)b);
}

struct keyed {
	char *key;
	const char *name;
};

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct keyed *)a)->key, ((const struct keyed *)b)->key);
}

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void test_name_order(void)
{
	/* Hand-written expected order. */
	static const char *const want[] = {
		"An",			/* one word: given name only, no family */
		"Trần An",
		"Đỗ Bảo An",		/* same given and middle: by family, Đ < L */
		"Lê Bảo An",
		"Nguyễn Bảo An",
		"Lê Thị Ánh",
		"Trần Văn Bình",
		"Nguyễn Văn Dung",
		"Phạm Minh Đức",
		"Võ Thị Hà",
		"Lê Văn Hạ",		/* tones after the toneless: Hà < Hạ */
		"Lê Văn Hai",		/* ... and Hạ < Hai: letters first */
		"Nguyễn Thị Khai",	/* "Thị" < "Thị Minh" */
		"Nguyễn Thị Minh Khai",
		"Hồ Lam",		/* a < ă < â */
		"Hồ Lăng",
		"Hồ Lâm",
		"Hồ Văn Ôn",		/* ô < ơ */
		"Trương Văn Ơn",
		"Lý Thu",
		"Lý Thư",		/* u < ư */
	};
	enum { N = sizeof(want) / sizeof(want[0]) };
	/* The same names in a scrambled order. */
	static const char *const given[N] = {
		"Lý Thư", "Võ Thị Hà", "Hồ Lâm", "Nguyễn Thị Minh Khai",
		"Lê Văn Hai", "Phạm Minh Đức", "An", "Lê Bảo An", "Hồ Lăng",
		"Trần Văn Bình", "Nguyễn Bảo An", "Lê Văn Hạ", "Trương Văn Ơn",
		"Trần An", "Nguyễn Văn Dung", "Lý Thu", "Lê Thị Ánh",
		"Nguyễn Thị Khai", "Đỗ Bảo An", "Hồ Lam", "Hồ Văn Ôn",
	};
	const char *sorted[N];
	struct keyed keyed[N];
	struct buf kb = BUF_INIT;
	size_t i, j;

	memcpy(sorted, given, sizeof(sorted));
	xqsort(sorted, N, sizeof(sorted[0]), by_cmp);
	for (i = 0; i < N; i++)
		CHECK_STR(sorted[i], want[i]);

	for (i = 0; i < N; i++) {
		text_name_key(given[i], &kb);
		CHECK_EQ(strlen(kb.s), kb.len);	/* no embedded NUL */
		keyed[i].key = buf_detach(&kb);
		keyed[i].name = given[i];
	}
	xqsort(keyed, N, sizeof(keyed[0]), by_key);
	for (i = 0; i < N; i++)
		CHECK_STR(keyed[i].name, want[i]);

	/* Key order and comparison agree on every pair, strictly. */
	for (i = 0; i < N; i++)
		for (j = 0; j < N; j++) {
			int c = text_name_cmp(keyed[i].name, keyed[j].name);
			int k = strcmp(keyed[i].key, keyed[j].key);
			CHECK_EQ(sign(c), sign(k));
			CHECK_EQ(sign(c), i < j ? -1 : i > j ? 1 : 0);
		}
	for (i = 0; i < N; i++)
		free(keyed[i].key);

	/* Decomposed and composed spellings, and spacing, do not matter. */
	CHECK_EQ(text_name_cmp("Nguye\xcc\x82\xcc\x83n Va\xcc\x86n Du\xcc\x83ng",
			       "Nguyễn Văn Dũng"), 0);
	CHECK_EQ(text_name_cmp("  Nguyễn   Thị \t Minh  Khai ", "Nguyễn Thị Minh Khai"), 0);
	{
		struct buf a = BUF_INIT, b = BUF_INIT;

		text_name_key("Nguye\xcc\x82\xcc\x83n  Thị   Minh Khai", &a);
		text_name_key("Nguyễn Thị Minh Khai", &b);
		CHECK_STR(a.s, b.s);
		buf_release(&a);
		buf_release(&b);
	}
	/* Byte order would put Đ after H; the vi collator does not. */
	CHECK(text_name_cmp("Đức", "Hà") < 0);
	CHECK(text_name_cmp("Dung", "Đức") < 0);
	CHECK(text_name_cmp("Ánh", "Bình") < 0);
	CHECK(text_name_cmp("", "An") < 0);
	CHECK_EQ(text_name_cmp("", "   "), 0);
	CHECK_EQ(text_name_cmp(NULL, ""), 0);
}

/* text_sort_key: whole texts (unit names) in ICU's Vietnamese order, which
 * byte order and code order both get wrong. */
static void test_sort_key(void)
{
	static const char *const want[] = {
		"Chi bộ Ánh", "Chi bộ Bình", "Chi bộ Dung", "Chi bộ Đức", "Chi bộ Hà",
		"Đảng bộ phường Bình Thủy", "Đảng bộ phường Long Hòa", "Đảng bộ phường Trà An",
	};
	enum { N = sizeof(want) / sizeof(*want) };
	struct buf k[N];
	size_t i;

	for (i = 0; i < N; i++) {
		buf_init(&k[i]);
		text_sort_key(want[i], &k[i]);
		CHECK_EQ(strlen(k[i].s), k[i].len);	/* no embedded NUL */
	}
	for (i = 0; i + 1 < N; i++)
		CHECK(strcmp(k[i].s, k[i + 1].s) < 0);
	for (i = 0; i < N; i++)
		buf_release(&k[i]);
	/* Composed and decomposed spellings share a key. */
	{
		struct buf a = BUF_INIT, b = BUF_INIT;
		text_sort_key("Chi bộ \xc4\x90u\xcc\x9b\xcc\x81" "c", &a);
		text_sort_key("Chi bộ Đức", &b);
		CHECK_STR(a.s, b.s);
		buf_release(&a);
		buf_release(&b);
	}
}

static const char *num(struct buf *b, long long v, const char *lang)
{
	buf_reset(b);
	text_int_lang(b, v, lang);
	return b->s;
}

static const char *tenths(struct buf *b, long long v, const char *lang)
{
	buf_reset(b);
	text_tenths_lang(b, v, lang);
	return b->s;
}

static void test_numbers(void)
{
	struct buf b = BUF_INIT;

	CHECK_STR(num(&b, 0, "vi"), "0");
	CHECK_STR(num(&b, 999, "vi"), "999");
	CHECK_STR(num(&b, 1000, "vi"), "1.000");
	CHECK_STR(num(&b, 2669, "vi"), "2.669");
	CHECK_STR(num(&b, -5, "vi"), "-5");
	CHECK_STR(num(&b, -999, "vi"), "-999");
	CHECK_STR(num(&b, -1234567, "vi"), "-1.234.567");
	CHECK_STR(num(&b, 100000, "vi"), "100.000");
	CHECK_STR(num(&b, LLONG_MIN, "vi"), "-9.223.372.036.854.775.808");
	CHECK_STR(num(&b, 2669, "en"), "2,669");
	CHECK_STR(num(&b, -1234567, "en"), "-1,234,567");

	CHECK_STR(tenths(&b, 1271, "vi"), "127,1");
	CHECK_STR(tenths(&b, 1271, "en"), "127.1");
	CHECK_STR(tenths(&b, 0, "vi"), "0,0");
	CHECK_STR(tenths(&b, 5, "vi"), "0,5");
	CHECK_STR(tenths(&b, -5, "vi"), "-0,5");
	CHECK_STR(tenths(&b, 12345, "vi"), "1.234,5");
	CHECK_STR(tenths(&b, 12345, "en"), "1,234.5");

	/* The unsuffixed forms follow the language in force. */
	i18n_init("vi");
	buf_reset(&b);
	text_int(&b, 2669);
	buf_addc(&b, ' ');
	text_tenths(&b, 1668);
	CHECK_STR(b.s, "2.669 166,8");
	i18n_init("en");
	buf_reset(&b);
	text_int(&b, 2669);
	buf_addc(&b, ' ');
	text_tenths(&b, 1668);
	CHECK_STR(b.s, "2,669 166.8");
	i18n_init("vi");
	buf_release(&b);
}

static void test_percent(void)
{
	struct buf b = BUF_INIT;

	CHECK_EQ(text_percent_tenths(417, 250), 1668);
	CHECK_EQ(text_percent_tenths(348, 260), 1338);	/* 133.846 */
	CHECK_EQ(text_percent_tenths(2669, 2100), 1271);	/* 127.095 */
	CHECK_EQ(text_percent_tenths(1, 3), 333);
	CHECK_EQ(text_percent_tenths(2, 3), 667);
	CHECK_EQ(text_percent_tenths(1, 8), 125);	/* 12.5 exactly */
	CHECK_EQ(text_percent_tenths(1, 16), 63);	/* 6.25 -> 6.3 */
	CHECK_EQ(text_percent_tenths(-1, 16), -63);	/* away from zero */
	CHECK_EQ(text_percent_tenths(1, -16), -63);
	CHECK_EQ(text_percent_tenths(-1, -16), 63);
	CHECK_EQ(text_percent_tenths(1, 2001), 0);	/* 0.0499 */
	CHECK_EQ(text_percent_tenths(1, 2000), 1);	/* 0.05 */
	CHECK_EQ(text_percent_tenths(0, 7), 0);
	CHECK_EQ(text_percent_tenths(7, 7), 1000);
	CHECK_EQ(text_percent_tenths(5, 0), -1);
	CHECK_EQ(text_percent_tenths(0, 0), -1);
	/* No overflow in the intermediate product. */
	CHECK_EQ(text_percent_tenths(LLONG_MAX, LLONG_MAX), 1000);
	CHECK_EQ(text_percent_tenths(LLONG_MAX / 2, LLONG_MAX), 500);

	buf_reset(&b);
	text_tenths_lang(&b, text_percent_tenths(417, 250), "vi");
	CHECK_STR(b.s, "166,8");
	buf_reset(&b);
	text_tenths_lang(&b, text_percent_tenths(1, 8), "vi");
	CHECK_STR(b.s, "12,5");
	buf_reset(&b);
	text_tenths_lang(&b, text_percent_tenths(1, 16), "vi");
	CHECK_STR(b.s, "6,3");
	buf_release(&b);
}

static void test_width(void)
{
	CHECK_EQ(text_width(""), 0);
	CHECK_EQ(text_width(NULL), 0);
	CHECK_EQ(text_width("abc"), 3);
	CHECK_EQ(text_width("Nguyễn"), 6);
	CHECK_EQ(text_width("Nguye\xcc\x82\xcc\x83n"), 6);	/* marks are 0 */
	CHECK_EQ(text_width("Đặng Thị Ngọc Hân"), 17);
	CHECK_EQ(text_width("漢字"), 4);
	CHECK_EQ(text_width("\xef\xbc\xa1"), 2);		/* full-width A */
	CHECK_EQ(text_width("a\xe2\x80\x8b" "b"), 2);		/* zero-width space */
	CHECK_EQ(text_width("a\xff" "b"), 3);			/* invalid byte: 1 */
}

int main(void)
{
	i18n_init("vi");
	test_nfc();
	test_valid();
	test_fold();
	test_name_order();
	test_sort_key();
	test_numbers();
	test_percent();
	test_width();
	return T_DONE();
}
