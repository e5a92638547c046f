/*
 * demo_nation.c — the units of the national and province demo sizes (see
 * demo.h and demo.c): the 63 provinces and cities of 2024 under one root,
 * or one big province alone, each with its districts (wards and communes
 * with their hamlet and agency cells, the district's own agencies, school,
 * armed forces, health centre and companies) and its four blocs (party,
 * state and mass agencies; enterprises; the military; the police). The
 * city's tables name real places one by one; a nation cannot be listed, so
 * the districts take common district names and the communes names made of
 * two common syllables, drawn from the seeded generator. The sizes are
 * those of PRODUCT.md: about 700 upper units, 52,000 grassroots units and
 * 270,000 cells for the nation. Each province's units are one contiguous
 * run of g->u, so that demo.c can generate and record them one province
 * at a time.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/demo.h"
#include "util/buf.h"
#include "core/demo_impl.h"
#include "util/banned.h"

/* The provinces and cities (2024), with the permille of Khmer and Hoa
 * among their candidates. */
struct province {
	const char *name;
	int khmer, hoa;
};

static const struct province provinces[] = {
	{ "thành phố Hà Nội", 0, 2 }, { "tỉnh Hà Giang", 0, 0 }, { "tỉnh Cao Bằng", 0, 0 },
	{ "tỉnh Bắc Kạn", 0, 0 }, { "tỉnh Tuyên Quang", 0, 0 }, { "tỉnh Lào Cai", 0, 0 },
	{ "tỉnh Điện Biên", 0, 0 }, { "tỉnh Lai Châu", 0, 0 }, { "tỉnh Sơn La", 0, 0 },
	{ "tỉnh Yên Bái", 0, 0 }, { "tỉnh Hòa Bình", 0, 0 }, { "tỉnh Thái Nguyên", 0, 2 },
	{ "tỉnh Lạng Sơn", 0, 3 }, { "tỉnh Quảng Ninh", 0, 5 }, { "tỉnh Bắc Giang", 0, 2 },
	{ "tỉnh Phú Thọ", 0, 0 }, { "tỉnh Vĩnh Phúc", 0, 0 }, { "tỉnh Bắc Ninh", 0, 0 },
	{ "tỉnh Hải Dương", 0, 0 }, { "thành phố Hải Phòng", 0, 3 }, { "tỉnh Hưng Yên", 0, 0 },
	{ "tỉnh Thái Bình", 0, 0 }, { "tỉnh Hà Nam", 0, 0 }, { "tỉnh Nam Định", 0, 0 },
	{ "tỉnh Ninh Bình", 0, 0 }, { "tỉnh Thanh Hóa", 0, 0 }, { "tỉnh Nghệ An", 0, 0 },
	{ "tỉnh Hà Tĩnh", 0, 0 }, { "tỉnh Quảng Bình", 0, 0 }, { "tỉnh Quảng Trị", 0, 0 },
	{ "tỉnh Thừa Thiên Huế", 0, 2 }, { "thành phố Đà Nẵng", 0, 5 }, { "tỉnh Quảng Nam", 0, 3 },
	{ "tỉnh Quảng Ngãi", 0, 0 }, { "tỉnh Bình Định", 0, 2 }, { "tỉnh Phú Yên", 0, 0 },
	{ "tỉnh Khánh Hòa", 0, 3 }, { "tỉnh Ninh Thuận", 0, 2 }, { "tỉnh Bình Thuận", 0, 10 },
	{ "tỉnh Kon Tum", 0, 0 }, { "tỉnh Gia Lai", 0, 2 }, { "tỉnh Đắk Lắk", 0, 3 },
	{ "tỉnh Đắk Nông", 0, 2 }, { "tỉnh Lâm Đồng", 0, 5 }, { "tỉnh Bình Phước", 5, 10 },
	{ "tỉnh Tây Ninh", 10, 10 }, { "tỉnh Bình Dương", 0, 15 }, { "tỉnh Đồng Nai", 0, 30 },
	{ "tỉnh Bà Rịa - Vũng Tàu", 0, 10 }, { "Thành phố Hồ Chí Minh", 5, 50 },
	{ "tỉnh Long An", 0, 5 }, { "tỉnh Tiền Giang", 0, 5 }, { "tỉnh Bến Tre", 0, 3 },
	{ "tỉnh Trà Vinh", 300, 10 }, { "tỉnh Vĩnh Long", 20, 10 }, { "tỉnh Đồng Tháp", 0, 5 },
	{ "tỉnh An Giang", 80, 15 }, { "tỉnh Kiên Giang", 120, 20 }, { "thành phố Cần Thơ", 20, 25 },
	{ "tỉnh Hậu Giang", 25, 10 }, { "tỉnh Sóc Trăng", 300, 50 }, { "tỉnh Bạc Liêu", 80, 30 },
	{ "tỉnh Cà Mau", 30, 10 },
};

/* District names found in many provinces. */
static const char *const district_names[] = { "Châu Thành", "Phú Tân", "Tân Phú", "Long Hồ",
	"Mỹ Xuyên", "Đông Hải", "Tam Nông", "Thanh Sơn", "Yên Lạc", "Hòa Bình", "Bình Sơn",
	"Kỳ Anh", "Phù Cát", "Thạch Thành", "Cẩm Xuyên", "Quỳnh Lưu", "Hải Hậu", "Vũ Thư",
	"Gia Lộc", "Đông Anh", "Sóc Sơn", "Ba Vì", "Lục Ngạn", "Yên Thế", "Krông Pắc", "Cư M'gar",
	"Di Linh", "Đức Trọng", "Tuy Phong", "Hàm Thuận Nam", "Vĩnh Cửu", "Thống Nhất",
	"Cần Giuộc", "Cai Lậy", "Mỏ Cày Nam", "Cầu Kè", "Trà Ôn", "Lai Vung", "Thoại Sơn",
	"Giồng Riềng", "Phong Điền", "Long Phú", "Giá Rai", "Trần Văn Thời", "Đầm Dơi" };

/* Communes and wards: two common syllables. */
static const char *const place_a[] = { "An", "Bình", "Tân", "Phú", "Long", "Mỹ", "Hòa", "Thạnh",
	"Vĩnh", "Phước", "Thới", "Đông", "Tây", "Nam", "Bắc", "Hưng", "Quang", "Xuân", "Thanh",
	"Đại", "Hữu", "Cẩm", "Quỳnh", "Yên", "Trung", "Định", "Nghĩa", "Minh", "Hải", "Kim" };
static const char *const place_b[] = { "Lợi", "Hòa", "Thành", "Phong", "Hưng", "Thuận", "Lộc",
	"Khánh", "Thạnh", "Phú", "Bình", "An", "Tiến", "Thịnh", "Long", "Hải", "Sơn", "Lâm",
	"Trung", "Đông", "Tây", "Mỹ", "Xuân", "Hiệp", "Lạc", "Điền", "Nghĩa", "Quới", "Định",
	"Thắng" };

/* The grassroots units of a bloc: their name pattern, sector and kind of
 * cell. */
struct bloc_kind {
	const char *name, *sector;
	enum profile prof;
};

static const struct bloc_kind dcd_kinds[] = {
	{ "Đảng bộ Sở số %d", "agency", PR_AGENCY },
	{ "Đảng bộ Ban, ngành số %d", "agency", PR_AGENCY },
	{ "Đảng bộ Bệnh viện số %d", "other", PR_HEALTH },
	{ "Chi bộ Trường THPT số %d", "school", PR_SCHOOL },
	{ "Đảng bộ Trường Cao đẳng số %d", "school", PR_UNIVERSITY },
};
static const struct bloc_kind dn_kinds[] = {
	{ "Đảng bộ Công ty Nhà nước số %d", "state_enterprise", PR_STATE },
	{ "Đảng bộ Tổng công ty số %d", "state_enterprise", PR_STATE },
	{ "Chi bộ Công ty TNHH số %d", "nonstate_enterprise", PR_NONSTATE },
	{ "Đảng bộ Công ty Cổ phần số %d", "nonstate_enterprise", PR_NONSTATE },
};
static const struct bloc_kind qs_kinds[] = {
	{ "Đảng bộ Trung đoàn số %d", "armed_forces", PR_ARMY },
	{ "Chi bộ Đại đội số %d", "armed_forces", PR_ARMY },
};
static const struct bloc_kind ca_kinds[] = {
	{ "Đảng bộ Phòng Cảnh sát số %d", "armed_forces", PR_POLICE },
	{ "Đảng bộ Công an huyện số %d", "armed_forces", PR_POLICE },
};

struct nbloc {
	const char *code, *name, *suffix;
	const struct bloc_kind *k;
	size_t nk;
	int lo, hi;	/* grassroots units */
};

static const struct nbloc nblocs[] = {
	{ "DCD", "Đảng bộ Khối Cơ quan - Doanh nghiệp %s", "ĐUK", dcd_kinds, NELEM(dcd_kinds), 40, 70 },
	{ "DN", "Đảng bộ Khối Doanh nghiệp %s", "ĐUK", dn_kinds, NELEM(dn_kinds), 30, 60 },
	{ "QS", "Đảng bộ Quân sự %s", "ĐU", qs_kinds, NELEM(qs_kinds), 10, 20 },
	{ "CA", "Đảng bộ Công an %s", "ĐU", ca_kinds, NELEM(ca_kinds), 15, 30 },
};

/* A cell under gr, named "Chi bộ <what>". */
static void add_cell(struct gen *g, int gr, const char *code, const char *what,
		     const char *sector, enum profile prof)
{
	struct buf name = BUF_INIT;

	buf_addf(&name, "Chi bộ %s", what);
	demo_add_unit(g, gr, code, name.s, UNIT_CELL, 0, sector, 0, prof);
	buf_release(&name);
}

/* A ward or commune: its hamlet (or residential area) cells and the
 * cell of its own agency. */
static void add_place(struct gen *g, int district, int serial, int ward)
{
	struct buf name = BUF_INIT, code = BUF_INIT, what = BUF_INIT;
	const char *word = ward ? "phường" : "xã";
	const char *pa = PICK(&g->r, place_a), *pb = PICK(&g->r, place_b);
	int special = !ward && rng_chance(&g->r, 60);
	int gr, nh;

	buf_addf(&name, "Đảng bộ %s %s %s", word, pa, pb);
	buf_addf(&code, "%c%03d", ward ? 'P' : 'X', serial);
	gr = demo_add_unit(g, district, code.s, name.s, UNIT_GRASSROOTS, 0,
			   ward ? "ward" : "commune", special, ward ? PR_WARD : PR_COMMUNE);
	nh = rng_int(&g->r, 3, 8);
	for (int h = 0; h < nh; h++) {
		buf_reset(&code);
		buf_reset(&what);
		buf_addf(&code, "C%02d", h + 1);
		if (ward)
			buf_addf(&what, "khu phố %d", h + 1);
		else
			buf_addf(&what, "ấp %s %s", PICK(&g->r, place_a), PICK(&g->r, place_b));
		add_cell(g, gr, code.s, what.s, "hamlet", ward ? PR_WARD : PR_COMMUNE);
	}
	buf_reset(&what);
	buf_addf(&what, "Cơ quan %s %s %s", word, pa, pb);
	add_cell(g, gr, "CQ", what.s, "agency", PR_AGENCY);
	if (rng_chance(&g->r, 200)) {
		buf_reset(&what);
		buf_addf(&what, "Quân sự %s %s %s", word, pa, pb);
		add_cell(g, gr, "QS", what.s, "armed_forces", PR_ARMY);
	}
	buf_release(&name);
	buf_release(&code);
	buf_release(&what);
}

static void add_district(struct gen *g, int prov, int serial, int nplaces)
{
	struct buf name = BUF_INIT, code = BUF_INIT;
	const char *dn = district_names[(serial * 7 + prov) % (int)NELEM(district_names)];
	int urban = rng_chance(&g->r, 250), d, gr;

	buf_addf(&name, "Đảng bộ %s %s", urban ? "quận" : "huyện", dn);
	buf_addf(&code, "H%02d", serial);
	d = demo_add_unit(g, prov, code.s, name.s, UNIT_UPPER, 1, NULL, 0, PR_WARD);
	g->u[d].suffix = urban ? "QU" : "HU";
	for (int i = 0; i < nplaces; i++)
		add_place(g, d, i + 1, urban || rng_chance(&g->r, 120));
	/* The district's own grassroots units. */
	buf_reset(&name);
	buf_addf(&name, "Đảng bộ Cơ quan Chính quyền %s %s", urban ? "quận" : "huyện", dn);
	gr = demo_add_unit(g, d, "CQ", name.s, UNIT_GRASSROOTS, 0, "agency", 0, PR_AGENCY);
	add_cell(g, gr, "C01", "Văn phòng HĐND và UBND", "agency", PR_AGENCY);
	add_cell(g, gr, "C02", "Phòng Tài chính - Kế hoạch", "agency", PR_AGENCY);
	add_cell(g, gr, "C03", "Phòng Giáo dục và Đào tạo", "agency", PR_AGENCY);
	buf_reset(&name);
	buf_addf(&name, "Chi bộ Trường THPT %s", dn);
	demo_add_unit(g, d, "THPT", name.s, UNIT_GRASSROOTS, 0, "school", 0, PR_SCHOOL);
	buf_reset(&name);
	buf_addf(&name, "Chi bộ Ban Chỉ huy Quân sự %s", dn);
	demo_add_unit(g, d, "QS", name.s, UNIT_GRASSROOTS, 0, "armed_forces", 0, PR_ARMY);
	buf_reset(&name);
	buf_addf(&name, "Chi bộ Trung tâm Y tế %s", dn);
	demo_add_unit(g, d, "TTYT", name.s, UNIT_GRASSROOTS, 0, "other", 0, PR_HEALTH);
	for (int i = 0, k = rng_int(&g->r, 1, 3); i < k; i++) {
		buf_reset(&name);
		buf_reset(&code);
		buf_addf(&name, "Chi bộ Công ty TNHH %s %s", PICK(&g->r, place_a),
			 PICK(&g->r, place_b));
		buf_addf(&code, "DN%d", i + 1);
		demo_add_unit(g, d, code.s, name.s, UNIT_GRASSROOTS, 0, "nonstate_enterprise", 0,
			      PR_NONSTATE);
	}
	buf_release(&name);
	buf_release(&code);
}

static void add_bloc(struct gen *g, int prov, const struct nbloc *b, const char *where)
{
	struct buf name = BUF_INIT, code = BUF_INIT;
	int d, n = rng_int(&g->r, b->lo, b->hi);

	buf_addf(&name, b->name, where);
	d = demo_add_unit(g, prov, b->code, name.s, UNIT_UPPER, 1, NULL, 0, PR_AGENCY);
	g->u[d].suffix = b->suffix;
	for (int i = 0; i < n; i++) {
		const struct bloc_kind *k = &b->k[rng_int(&g->r, 0, (int)b->nk - 1)];
		int gr, ncells = rng_chance(&g->r, 300) ? 0 : rng_int(&g->r, 2, 6);
		buf_reset(&name);
		buf_reset(&code);
		buf_addf(&name, k->name, i + 1);
		buf_addf(&code, "G%03d", i + 1);
		gr = demo_add_unit(g, d, code.s, name.s, UNIT_GRASSROOTS, 0, k->sector, 0, k->prof);
		for (int c = 0; c < ncells; c++) {
			buf_reset(&code);
			buf_reset(&name);
			buf_addf(&code, "C%02d", c + 1);
			buf_addf(&name, "số %d", c + 1);
			add_cell(g, gr, code.s, name.s, k->sector, k->prof);
		}
	}
	buf_release(&name);
	buf_release(&code);
}

/* A province (parent: the national root, or -1 for the province size)
 * with ndistricts districts of nplaces wards and communes each, about. */
static void add_province(struct gen *g, int parent, int k, const char *code, int ndistricts)
{
	const struct province *pv = &provinces[k];
	struct buf name = BUF_INIT;
	int p;

	buf_addf(&name, "Đảng bộ %s", pv->name);
	p = demo_add_unit(g, parent, code, name.s, UNIT_PROVINCE, 1, NULL, 0, PR_AGENCY);
	g->u[p].suffix = "TU";
	g->u[p].khmer = pv->khmer;
	g->u[p].hoa = pv->hoa;
	for (int i = 0; i < ndistricts; i++)
		add_district(g, p, i + 1, rng_int(&g->r, 60, 96));
	for (size_t i = 0; i < NELEM(nblocs); i++)
		add_bloc(g, p, &nblocs[i], pv->name);
	buf_release(&name);
}

void demo_build_nation(struct gen *g, int nprov, int *prov, int *n)
{
	struct buf code = BUF_INIT;

	*n = 0;
	if (nprov <= 0) {
		/* One big province: Hồ Chí Minh City's 22 districts and more. */
		prov[0] = 0;
		add_province(g, -1, 49, "HCM", 25);
		prov[1] = (int)g->nu;
		*n = 1;
	} else {
		int root = demo_add_unit(g, -1, "VN", "Đảng Cộng sản Việt Nam", UNIT_PROVINCE, 1,
					 NULL, 0, PR_AGENCY);
		g->u[root].suffix = "TW";
		if (nprov > (int)NELEM(provinces))
			nprov = (int)NELEM(provinces);
		for (int k = 0; k < nprov; k++) {
			buf_reset(&code);
			buf_addf(&code, "T%02d", k + 1);
			prov[k] = (int)g->nu;
			add_province(g, root, k, code.s, rng_int(&g->r, 6, 9));
		}
		prov[nprov] = (int)g->nu;
		*n = nprov;
	}
	buf_release(&code);
	demo_set_competent(g);
}
