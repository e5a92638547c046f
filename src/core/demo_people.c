/*
 * demo_people.c — the demo city's people (see demo.h and demo.c): the
 * vocabulary of names (Kinh, Khmer and Hoa), occupations and movements;
 * the full members of every considering cell (demo_add_members()); and the
 * plan of every candidacy, its person and the dates and facts of its steps
 * drawn from the seeded generator (demo_plan_candidacy(),
 * demo_put_candidate()), within every bound of RULES.md as demo.c says.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/demo.h"
#include "core/ledger.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/sort.h"
#include "core/demo_impl.h"
#include "util/banned.h"


/* ---- vocabulary ---- */

static const char *const occ_name[] = { "worker", "farmer", "civil_servant", "public_employee",
	"enterprise_manager", "business_owner", "armed_forces", "student", "other" };

static const char *const qual_name[] = { "none", "vocational", "college", "university",
	"postgraduate" };

/* Kinh names: Nguyễn, Trần and Lê are listed more than once for their
 * share of the population. */
static const char *const kinh_family[] = { "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Trần",
	"Trần", "Lê", "Lê", "Phạm", "Huỳnh", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng",
	"Đỗ", "Ngô", "Hồ", "Dương", "Lý", "Đinh", "Lâm", "Mai", "Tô", "Cao", "Châu", "Lương",
	"Tạ", "Hà", "Đoàn", "Lưu", "Thái", "La", "Hoàng", "Văn", "Trịnh", "Kiều" };
static const char *const kinh_mid_m[] = { "Văn", "Văn", "Văn", "Minh", "Quốc", "Thanh",
	"Hoàng", "Gia", "Tấn", "Hữu", "Đức", "Công", "Trọng", "Phước", "Chí", "Nhật", "Thành",
	"Ngọc", "Duy", "Anh" };
static const char *const kinh_mid_f[] = { "Thị", "Thị", "Thị", "Ngọc", "Thu", "Kim", "Thanh",
	"Mỹ", "Bích", "Diễm", "Hồng", "Thùy", "Kiều", "Tuyết", "Phương", "Bảo", "Huỳnh", "Trúc" };
static const char *const kinh_mid2_f[] = { "Kim", "Thu", "Ngọc", "Hồng", "Mỹ", "Thanh", "Bích",
	"Diễm", "Tuyết", "Kiều" };
static const char *const kinh_given_m[] = { "Hùng", "Tuấn", "Dũng", "Phúc", "Khang", "Huy",
	"Lộc", "Quang", "Sơn", "Bảo", "Đức", "Vinh", "Nghĩa", "Hiếu", "Trung", "Tâm", "Thành",
	"Long", "Nam", "An", "Tài", "Trí", "Khoa", "Thịnh", "Nhân", "Toàn", "Kiệt", "Duy",
	"Hải", "Phong", "Mẫn", "Truyền", "Quảng", "Lợi", "Tín", "Định", "Hậu", "Việt" };
static const char *const kinh_given_f[] = { "Hà", "Lan", "Thảo", "Anh", "My", "Tiên", "Linh",
	"Trang", "Yến", "Ngọc", "Nhung", "Dung", "Thoa", "Tuyết", "Hằng", "Vy", "Ánh", "Bình",
	"Châu", "Mai", "Nhi", "Trâm", "Hương", "Loan", "Thủy", "Diễm", "Hiền", "Phượng", "Oanh",
	"Xuân", "Như", "Quyên", "Duyên", "Cúc", "Hạnh", "Giang" };

/* Khmer names of the Mekong delta: a Vietnamised family name (Thạch,
 * Danh, Sơn …) and a Khmer given name; women mostly carry "Thị". */
static const char *const khmer_family[] = { "Thạch", "Thạch", "Danh", "Danh", "Sơn", "Lâm",
	"Kim", "Châu", "Lý", "Huỳnh", "Trần", "Mai" };
static const char *const khmer_given_m[] = { "Sóc", "Sang", "Phol", "Mol", "Sà Rươn",
	"Chanh Đa", "Sô Khom", "Hênh", "Rươne", "Sa Rinh", "Thươl", "Sóc Kha", "Mây", "Sơ Ri",
	"Sà Phon", "Chanh Thu", "Vi Sal", "Ny" };
static const char *const khmer_given_f[] = { "Sô Phia", "Sa Rươl", "Sa Ly", "Chanh Thi",
	"Sa Vươn", "Sà Phal", "Kim Sa", "Mi Sa", "Sô Ma Ly", "Sa Rinh", "Chăn Thu", "Sà Rát",
	"Ni", "Phên" };
/* Hoa (ethnic Chinese) names. */
static const char *const hoa_family[] = { "Quách", "Lâm", "Trương", "Lý", "Diệp", "Mạc",
	"Thái", "La", "Hứa", "Tăng", "Lưu", "Ông", "Hồng", "Triệu" };
static const char *const hoa_mid_m[] = { "Gia", "Quốc", "Vĩnh", "Thuận", "Chấn", "Kiến",
	"Tuấn", "Hán" };
static const char *const hoa_mid_f[] = { "Tuệ", "Mỹ", "Bảo", "Ngọc", "Uyển", "Lệ", "Huệ",
	"Gia" };
static const char *const hoa_given_m[] = { "Cường", "Phát", "Huy", "Kiệt", "Tài", "Đạt",
	"Vinh", "Hào", "Khải", "Lợi", "Minh", "Thành" };
static const char *const hoa_given_f[] = { "Mẫn", "Linh", "Nghi", "Hân", "Quyên", "Phương",
	"Di", "Trân", "Doanh", "Nhi", "Mỹ", "Tâm" };

/* Where people were born: the CCCD's first three digits (092 Cần Thơ,
 * then the neighbouring provinces). */
static const int birth_province[] = { 92, 92, 92, 92, 92, 92, 92, 92, 93, 94, 89, 86, 91, 87 };

/* The movements that put people on the candidate list, by org. */
static const char *const mv_youth[] = {
	"Phong trào “Tuổi trẻ Cần Thơ chung tay xây dựng văn minh đô thị”",
	"Phong trào hiến máu tình nguyện", "Chiến dịch tình nguyện hè",
	"Phong trào sửa chữa đường giao thông, vệ sinh môi trường",
	"Phong trào “Sinh viên 5 tốt”" };
static const char *const mv_trade[] = { "Phong trào thi đua “Lao động giỏi”",
	"Phong trào thi đua “Lao động sáng tạo”",
	"Sáng kiến cải tiến hợp lý hóa sản xuất",
	"Thi đua nâng cao năng suất, chất lượng sản phẩm" };
static const char *const mv_farmers[] = { "Phong trào nông dân sản xuất, kinh doanh giỏi",
	"Phong trào chung sức xây dựng nông thôn mới" };
static const char *const mv_women[] = { "Phong trào phụ nữ giúp nhau phát triển kinh tế, giảm nghèo" };
static const char *const mv_veterans[] = { "Phong trào cựu chiến binh gương mẫu" };
static const char *const mv_cell[] = {
	"Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
	"Thực hiện tốt công tác cải cách hành chính",
	"Phong trào thi đua “Quyết thắng”", "Phong trào “Toàn dân bảo vệ an ninh Tổ quốc”" };

static const char *const why_withdrawn[] = { "Chuyển công tác ra ngoài thành phố",
	"Chuyển nơi cư trú", "Đi học tập trung dài hạn", "Gia đình chưa đồng thuận, xin rút",
	"Đi lao động ở nước ngoài" };
static const char *const why_struck[] = {
	"Vi phạm tư cách đảng viên dự bị, chi bộ đề nghị xóa tên",
	"Không sinh hoạt đảng ba tháng liền không có lý do chính đáng" };

/* ---- people ---- */

/* The birth province of a ref, drawn before the name: the name may
 * move the birth date (demo_unique_birth()), and the ref's year with it.
 * At national size the serial restarts in every province, whose code
 * makes the ref unique (six digits would not hold the nation). */
static int ref_province(struct gen *g)
{
	int prov = PICK(&g->r, birth_province);
	return g->ref_prov ? g->ref_prov : prov;
}

/* A CCCD-like 12-digit ref: birth province, sex and century, year of
 * birth, then a serial that makes it unique. */
static void make_ref(struct gen *g, int prov, char sex, kn_date birth, char out[16])
{
	int y = date_year(birth);
	int cs = (y >= 2000 ? 2 : 0) + (sex == 'F');
	struct buf b = BUF_INIT;

	buf_addf(&b, "%03d%d%02d%06u", prov, cs, y % 100, ++g->serial);
	memcpy(out, b.s, b.len < 15 ? b.len + 1 : 16);
	out[15] = 0;
	buf_release(&b);
}

enum ethnic { E_KINH, E_KHMER, E_HOA };

/* A full name into g->nb (NFC). */
static void make_name(struct gen *g, enum ethnic e, char sex)
{
	struct rng *r = &g->r;
	struct buf raw = BUF_INIT;

	if (e == E_KHMER) {
		if (sex == 'M')
			buf_addf(&raw, "%s %s", PICK(r, khmer_family), PICK(r, khmer_given_m));
		else
			buf_addf(&raw, "%s Thị %s", PICK(r, khmer_family), PICK(r, khmer_given_f));
	} else if (e == E_HOA) {
		if (sex == 'M')
			buf_addf(&raw, "%s %s %s", PICK(r, hoa_family), PICK(r, hoa_mid_m),
				 PICK(r, hoa_given_m));
		else
			buf_addf(&raw, "%s %s %s", PICK(r, hoa_family), PICK(r, hoa_mid_f),
				 PICK(r, hoa_given_f));
	} else if (sex == 'M') {
		buf_addf(&raw, "%s %s", PICK(r, kinh_family), PICK(r, kinh_mid_m));
		if (rng_chance(r, 120))
			buf_addf(&raw, " %s", PICK(r, kinh_mid_m));
		buf_addf(&raw, " %s", PICK(r, kinh_given_m));
	} else {
		const char *mid = PICK(r, kinh_mid_f);
		buf_addf(&raw, "%s %s", PICK(r, kinh_family), mid);
		if (strcmp(mid, "Thị") == 0 && rng_chance(r, 350))
			buf_addf(&raw, " %s", PICK(r, kinh_mid2_f));
		buf_addf(&raw, " %s", PICK(r, kinh_given_f));
	}
	buf_reset(&g->nb);
	if (text_nfc(raw.s, &g->nb) != 0)
		buf_adds(&g->nb, raw.s);
	buf_release(&raw);
}

static const char *religion_of(struct gen *g, enum ethnic e, int member)
{
	int x = rng_int(&g->r, 0, 999);
	if (e == E_KHMER)
		return x < (member ? 600 : 900) ? "Phật giáo Nam tông Khmer" : NULL;
	if (member)
		return x < 30 ? "Phật giáo" : NULL;
	if (e == E_HOA)
		return x < 400 ? "Phật giáo" : NULL;
	if (x < 40)
		return "Phật giáo";
	if (x < 55)
		return "Công giáo";
	if (x < 75)
		return "Hòa Hảo";
	if (x < 85)
		return "Cao Đài";
	return NULL;
}

static enum ethnic ethnic_of(struct gen *g, const struct dunit *d, int member)
{
	int x = rng_int(&g->r, 0, 999);
	int k = member ? d->khmer / 2 : d->khmer, h = member ? d->hoa / 2 : d->hoa;
	if (x < k)
		return E_KHMER;
	if (x < k + h)
		return E_HOA;
	return E_KINH;
}

static enum kn_err put_person(struct gen *g, struct person *p)
{
	int changed;
	enum kn_err e;

	buf_reset(&g->fb);
	text_fold(p->full_name, &g->fb);
	e = store_person_put(g->s, p, g->fb.s, &changed);
	person_release(p);
	if (e != KN_OK)
		return demo_store_failed(g, e);
	g->npeople++;
	return KN_OK;
}

/* The full members of every considering unit among g->u[from .. to-1]:
 * admitted 1980–2016, so that they are full members long before the
 * first introduction. A national cell is bigger than a city's: 5.6
 * million members in about 270,000 cells. */
enum kn_err demo_add_members(struct gen *g, size_t from, size_t to)
{
	size_t done = 0, total = 0;

	for (size_t i = from; i < to; i++)
		total += g->u[i].considering;
	for (size_t i = from; i < to; i++) {
		struct dunit *d = &g->u[i];
		const struct profile_info *pi = &demo_profiles[d->prof];
		if (!d->considering)
			continue;
		d->member0 = (int)g->nm;
		if (g->nation)
			d->nmembers = rng_int(&g->r, 14, 27);
		else
			d->nmembers = rng_int(&g->r, d->basic ? 5 : 4, d->basic ? 12 : 9);
		for (int k = 0; k < d->nmembers; k++) {
			struct person p;
			enum ethnic e = ethnic_of(g, d, 1);
			/* Retired members live on in the hamlet cells; those of
			 * agencies and enterprises are of working age. */
			int hamlet = d->prof == PR_WARD || d->prof == PR_COMMUNE;
			int by = rng_int(&g->r, hamlet ? 1952 : 1966, 1992);
			kn_date since;
			enum kn_err err;
			int prov;

			person_init(&p);
			p.sex = rng_chance(&g->r, d->prof == PR_ARMY ? 50 : 420) ? 'F' : 'M';
			p.birth_date = date_from_ymd(by, rng_int(&g->r, 1, 12), rng_int(&g->r, 1, 28));
			since = date_add_months(p.birth_date, rng_int(&g->r, 22 * 12, 35 * 12));
			if (since < date_from_ymd(1980, 1, 1))
				since = date_from_ymd(1980, 1, 1) + rng_int(&g->r, 0, 3000);
			if (since > date_from_ymd(2016, 6, 30))
				since = date_from_ymd(2016, 6, 30) - rng_int(&g->r, 0, 1500);
			p.member_since = since;
			p.official_since = date_add_months(since, 12) + rng_int(&g->r, 3, 40);
			if (g->nm == g->capm) {
				g->capm = g->capm ? g->capm * 2 : 1024;
				g->members = xreallocarray(g->members, g->capm, sizeof(*g->members));
			}
			prov = ref_province(g);
			make_name(g, e, p.sex);
			/* No chance namesake born the same day (issue 15). */
			p.birth_date = demo_unique_birth(g, p.birth_date);
			make_ref(g, prov, p.sex, p.birth_date, g->members[g->nm]);
			p.ref = xstrdup(g->members[g->nm]);
			g->nm++;
			p.full_name = xstrdup(g->nb.s);
			p.unit = xstrdup(d->u.code);
			p.ethnicity = e == E_KHMER ? xstrdup("Khmer") : e == E_HOA ? xstrdup("Hoa") : NULL;
			{
				const char *rel = religion_of(g, e, 1);
				p.religion = rel ? xstrdup(rel) : NULL;
			}
			p.education = xstrdup(d->prof == PR_COMMUNE && rng_chance(&g->r, 300) ? "9/12"
					      : "12/12");
			p.qualification = xstrdup(qual_name[pi->qual[rng_int(&g->r, 0, 9)]]);
			p.occupation = xstrdup(occ_name[pi->member_occ[rng_int(&g->r, 0, 9)]]);
			p.trade_union = d->prof != PR_COMMUNE && d->prof != PR_WARD &&
					d->prof != PR_ARMY && d->prof != PR_POLICE;
			if ((err = put_person(g, &p)) != KN_OK)
				return err;
		}
		if (g->progress)
			g->progress(_("members"), ++done, total);
	}
	return KN_OK;
}

/* ---- planning candidacies ---- */

static int workday(struct gen *g, kn_date d)
{
	if (g->l->cal)
		return calendar_is_workday(g->l->cal, d);
	return date_weekday(d) <= 5;
}

/* d, or the next working day after it. */
kn_date demo_next_workday(struct gen *g, kn_date d)
{
	while (!workday(g, d))
		d++;
	return d;
}

/* The awareness class of the upper unit's training centre: one a month,
 * on a day of its own; the first one at least `from`. */
static kn_date class_date(struct gen *g, int upper, kn_date from)
{
	int y, m, day, cday = 8 + (upper * 7) % 17;
	date_to_ymd(from, &y, &m, &day);
	for (;;) {
		kn_date c = demo_next_workday(g, date_from_ymd(y, m, cday));
		if (c >= from)
			return c;
		if (++m > 12) {
			m = 1;
			y++;
		}
	}
}

static struct pstep *plan_add(struct cand *c, enum step_code code, kn_date d)
{
	struct pstep *p = &c->st[c->n++];
	memset(p, 0, sizeof(*p));
	p->code = (unsigned char)code;
	p->date = d;
	p->m1 = p->m2 = -1;
	p->s1 = p->s2 = KN_DATE_NONE;
	return p;
}

/* Votes of a cell of `total` full members: all, or all but one or two
 * where 2/3 still holds. */
static void cell_votes(struct gen *g, struct pstep *p, int total)
{
	int vf = total;
	if (rng_chance(&g->r, 250) && (total - 1) * 3 >= total * 2)
		vf = total - 1;
	if (rng_chance(&g->r, 60) && (vf - 1) * 3 >= total * 2)
		vf--;
	p->vf = (unsigned char)vf;
	p->vt = (unsigned char)total;
}

/* An introducer has known the candidate since: 13 months to 5 years
 * before the introduction, and not before the candidate was 16. */
static kn_date known_since(struct gen *g, kn_date intro, kn_date birth)
{
	kn_date at16 = date_add_months(birth, 16 * 12);
	int most = date_months_between(at16, intro);
	if (most > 60)
		most = 60;
	if (most < 13)
		most = 13;
	return date_add_months(intro, -rng_int(&g->r, 13, most));
}

enum fate { F_NORMAL, F_WITHDRAWN, F_REJECT_CELL, F_REJECT_COMMITTEE, F_REJECT_DECISION,
	    F_STRUCK, F_STALLED };

void demo_plan_candidacy(struct gen *g, struct cand *c, int unit, kn_date source)
{
	struct rng *r = &g->r;
	struct dunit *d = &g->u[unit];
	const struct profile_info *pi = &demo_profiles[d->prof];
	kn_date t_train, t_apply, t_verify, t_intro, t_intro2 = KN_DATE_NONE, t_cell, t_comm,
		t_dec, t_cer, t_prob, t_off, t_end;
	enum fate fate = F_NORMAL;
	int stall = 0, age_months, x, student, m1, m2;
	enum occ occ;
	struct pstep *p;
	const char *org;

	memset(c, 0, sizeof(*c));
	c->unit = unit;
	c->decision = KN_DATE_NONE;
	c->dest = -1;
	c->t_out = c->t_in = c->left_on = c->member_since = KN_DATE_NONE;
	d->ncands++;

	/* The timeline, whole; cut at today below. */
	t_train = class_date(g, d->upper, source + rng_int(r, 20, 110));
	t_apply = t_train + rng_int(r, 7, 40);
	t_verify = demo_next_workday(g, t_apply + rng_int(r, 20, 60));
	t_intro = t_verify + rng_int(r, 5, 25);
	if (rng_chance(r, 15)) {
		/* The dossier waited more than a year: introduced again. */
		t_intro2 = t_intro + rng_int(r, 395, 450);
		t_cell = demo_next_workday(g, t_intro2 + rng_int(r, 5, 30));
	} else {
		t_cell = demo_next_workday(g, t_intro + rng_int(r, 5, 30));
	}
	t_comm = d->basic ? t_cell : demo_next_workday(g, t_cell + rng_int(r, 7, 21));
	t_dec = demo_next_workday(g, t_comm + rng_int(r, 10, 40));
	t_cer = t_dec + rng_int(r, 10, 20);
	t_prob = demo_next_workday(g, date_add_months(t_cer, 12) + rng_int(r, 3, 20));
	t_off = demo_next_workday(g, t_prob + rng_int(r, 7, 25));

	/* The person, fitted to the date of the cell meeting. */
	c->sex = rng_chance(r, pi->female) ? 'F' : 'M';
	occ = (enum occ)pi->occ[rng_int(r, 0, 9)];
	student = occ == O_STUDENT;
	if (g->readmit_next)
		age_months = rng_int(r, 33 * 12, 48 * 12);	/* a former member */
	else if (student && d->prof == PR_SCHOOL)
		age_months = 18 * 12 + rng_int(r, 2, 10);
	else if (student)
		age_months = rng_int(r, 19 * 12, 23 * 12 + 6);
	else
		age_months = rng_int(r, pi->age_lo * 12, pi->age_hi * 12);
	if (age_months < 18 * 12 + 2)
		age_months = 18 * 12 + 2;
	c->birth = date_add_months(t_cell, -age_months) - rng_int(r, 0, 27);
	c->occ = (unsigned char)occ;

	/* How it ends. */
	x = rng_int(r, 0, 999);
	if (x < 30)
		fate = F_WITHDRAWN;
	else if (x < 42)
		fate = F_REJECT_CELL;
	else if (x < 48)
		fate = d->basic ? F_REJECT_DECISION : F_REJECT_COMMITTEE;
	else if (x < 52)
		fate = F_REJECT_DECISION;
	else if (x < 58)
		fate = F_STRUCK;
	else if (x < (g->small ? 160 : 75) && source >= date_from_ymd(2024, 1, 1))
		fate = F_STALLED;	/* small: enough to show overdue deadlines */
	if (fate == F_STALLED) {
		static const unsigned char stages[] = { STEP_INTRODUCED, STEP_INTRODUCED,
			STEP_INTRODUCED, STEP_CELL_VOTE, STEP_CELL_VOTE, STEP_CELL_VOTE,
			STEP_COMMITTEE_VOTE, STEP_COMMITTEE_VOTE, STEP_DECISION, STEP_CEREMONY };
		stall = PICK(r, stages);
		if (stall == STEP_COMMITTEE_VOTE && d->basic)
			stall = STEP_CELL_VOTE;
	}
	if (g->readmit_next)
		fate = F_NORMAL;	/* the few re-admissions go through */

	/* source: who nominated them, for which movement. */
	c->youth_union = age_months <= 30 * 12 + 6 ? rng_chance(r, student ? 950 : 750) : 0;
	{
		int trade = occ == O_WORKER || occ == O_CIVIL || occ == O_PUBLIC ||
			    occ == O_MANAGER;
		trade = trade && rng_chance(r, 900);
		c->minority = 0;
		p = plan_add(c, STEP_SOURCE, source);
		x = rng_int(r, 0, 999);
		if (c->youth_union && x < 550) {
			org = "youth_union";
			p->note = PICK(r, mv_youth);
		} else if (trade && x < 850) {
			org = "trade_union";
			p->note = PICK(r, mv_trade);
		} else if (occ == O_FARMER && x < 700) {
			org = "farmers_union";
			p->note = PICK(r, mv_farmers);
		} else if (c->sex == 'F' && (d->prof == PR_WARD || d->prof == PR_COMMUNE) && x < 900) {
			org = "women_union";
			p->note = PICK(r, mv_women);
		} else if ((d->prof == PR_WARD || d->prof == PR_COMMUNE) && x < 930) {
			org = "veterans_union";
			p->note = PICK(r, mv_veterans);
		} else {
			org = "cell";
			p->note = d->prof == PR_ARMY ? mv_cell[2] : d->prof == PR_POLICE ? mv_cell[3]
				  : mv_cell[rng_int(r, 0, 1)];
		}
		p->org = org;
		c->trade_union = (unsigned char)trade;
	}
	m1 = d->member0 + rng_int(r, 0, d->nmembers - 1);
	m2 = d->member0 + (m1 - d->member0 + rng_int(r, 1, d->nmembers - 1)) % d->nmembers;
	p = plan_add(c, STEP_MENTOR, source + rng_int(r, 0, 7));
	p->m1 = m1;

	t_end = KN_DATE_NONE;
	if (fate == F_WITHDRAWN) {
		/* Leaves after source, trained, applied, verified or introduced. */
		kn_date at[] = { source + 15, t_train, t_apply, t_verify, t_intro };
		int k = rng_int(r, 0, 4);
		t_end = at[k] + rng_int(r, 10, 90);
		if (t_end >= t_cell)
			t_end = t_cell - 1;
	}
#define UPTO(t) (t_end == KN_DATE_NONE || (t) < t_end)
	if (UPTO(t_train)) {
		p = plan_add(c, STEP_TRAINED, t_train);
		if (rng_chance(r, 50) && t_apply - t_train > 3) {
			/* A second member takes over the mentoring. */
			p = plan_add(c, STEP_MENTOR, t_train + 1);
			p->m1 = m2;
		}
	}
	if (UPTO(t_apply))
		plan_add(c, STEP_APPLIED, t_apply);
	if (UPTO(t_verify))
		plan_add(c, STEP_VERIFIED, t_verify);
	for (int k = 0; k < 2; k++) {
		kn_date t = k ? t_intro2 : t_intro;
		if (t == KN_DATE_NONE || !UPTO(t))
			continue;
		p = plan_add(c, STEP_INTRODUCED, t);
		p->m1 = m1;
		p->s1 = known_since(g, t, c->birth);
		if (c->youth_union && rng_chance(r, 350)) {
			p->org = "youth_union";
		} else if (c->trade_union && rng_chance(r, 250)) {
			p->org = "trade_union";
		} else {
			p->m2 = m2;
			p->s2 = known_since(g, t, c->birth);
		}
	}
	if (fate == F_WITHDRAWN) {
		p = plan_add(c, STEP_WITHDRAWN, t_end);
		p->note = PICK(r, why_withdrawn);
		goto cut;
	}
	if (fate == F_STALLED && stall == STEP_INTRODUCED)
		goto cut;
	if (fate == F_REJECT_CELL) {
		p = plan_add(c, STEP_REJECTED, t_cell);
		p->note = "Chi bộ biểu quyết không đủ 2/3 số đảng viên chính thức tán thành";
		goto cut;
	}
	p = plan_add(c, STEP_CELL_VOTE, t_cell);
	cell_votes(g, p, d->nmembers);
	if (fate == F_STALLED && stall == STEP_CELL_VOTE)
		goto cut;
	if (!d->basic) {
		const struct dunit *gr = &g->u[d->parent];
		if (fate == F_REJECT_COMMITTEE) {
			p = plan_add(c, STEP_REJECTED, t_comm);
			p->note = "Đảng ủy cơ sở không đề nghị kết nạp: lý lịch cần thẩm tra bổ sung";
			goto cut;
		}
		p = plan_add(c, STEP_COMMITTEE_VOTE, t_comm);
		p->vt = (unsigned char)gr->committee;
		p->vf = (unsigned char)gr->committee;
		if (rng_chance(r, 300) && (gr->committee - 1) * 3 >= gr->committee * 2)
			p->vf--;
		if (fate == F_STALLED && stall == STEP_COMMITTEE_VOTE)
			goto cut;
	}
	if (fate == F_REJECT_DECISION) {
		p = plan_add(c, STEP_REJECTED, t_dec);
		p->note = "Cấp ủy có thẩm quyền không chuẩn y: chưa đủ tiêu chuẩn, điều kiện";
		goto cut;
	}
	plan_add(c, STEP_DECISION, t_dec);
	if (fate == F_STALLED && stall == STEP_DECISION)
		goto cut;
	plan_add(c, STEP_CEREMONY, t_cer);
	if (fate == F_STALLED && stall == STEP_CEREMONY)
		goto cut;
	if (fate == F_STRUCK) {
		p = plan_add(c, STEP_STRUCK_OFF, demo_next_workday(g, date_add_months(t_cer, rng_int(r, 4, 10))));
		p->note = PICK(r, why_struck);
		goto cut;
	}
	p = plan_add(c, STEP_PROBATION_VOTE, t_prob);
	cell_votes(g, p, d->nmembers);
	plan_add(c, STEP_OFFICIAL, t_off);
cut:
#undef UPTO
	/* Nothing after today. The pipeline's dates only grow, and every
	 * mentor is dated before the next ordered step, so this is a prefix. */
	{
		int n = 0;
		while (n < c->n && c->st[n].date <= g->today)
			n++;
		c->n = n;
	}
	for (int i = 0; i < c->n; i++)
		if (c->st[i].code == STEP_DECISION)
			c->decision = c->st[i].date;
}

/* Write the candidate as a person. */
enum kn_err demo_put_candidate(struct gen *g, struct cand *c)
{
	struct rng *r = &g->r;
	const struct dunit *d = &g->u[c->unit];
	const struct profile_info *pi = &demo_profiles[d->prof];
	enum ethnic e = ethnic_of(g, d, 0);
	struct person p;
	const char *edu = "12/12";
	const char *rel;
	int prov;

	person_init(&p);
	c->minority = e != E_KINH;
	prov = ref_province(g);
	make_name(g, e, c->sex);
	/* No chance namesake born the same day (issue 15): only the planted
	 * duplicates are possible duplicates. A day or two earlier keeps
	 * every age bound of the plan. */
	c->birth = demo_unique_birth(g, c->birth);
	make_ref(g, prov, c->sex, c->birth, c->ref);
	p.ref = xstrdup(c->ref);
	p.full_name = xstrdup(g->nb.s);
	p.sex = c->sex;
	p.birth_date = c->birth;
	p.unit = xstrdup(d->u.code);
	p.ethnicity = e == E_KHMER ? xstrdup("Khmer") : e == E_HOA ? xstrdup("Hoa") : NULL;
	rel = religion_of(g, e, 0);
	p.religion = rel ? xstrdup(rel) : NULL;
	if (c->occ != O_STUDENT && rng_chance(r, pi->edu9))
		edu = "9/12";
	if (edu[0] == '9' && d->u.special_area == 0 && g->u[d->parent].u.special_area &&
	    rng_chance(r, 250))
		edu = "5/12";	/* enough in a special area (KN-EDU) */
	p.education = xstrdup(edu);
	if (c->occ == O_STUDENT)
		p.qualification = xstrdup("none");
	else if (edu[0] != '1')
		p.qualification = xstrdup(rng_chance(r, 600) ? "none" : "vocational");
	else
		p.qualification = xstrdup(qual_name[pi->qual[rng_int(r, 0, 9)]]);
	p.occupation = xstrdup(occ_name[c->occ]);
	p.youth_union = c->youth_union;
	p.trade_union = c->trade_union;
	p.member_since = p.official_since = KN_DATE_NONE;
	if (c->readmit) {
		/* A former member: admitted years before, left for a reason
		 * that allows re-admission (RULES.md §9). */
		p.member_since = c->member_since;
		p.official_since = date_add_months(c->member_since, 12) + rng_int(r, 3, 30);
		p.left_on = c->left_on;
		p.left_reason = xstrdup(c->left_reason);
	}
	return put_person(g, &p);
}

int demo_event_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if (x->cand != y->cand)
		return x->cand < y->cand ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}
