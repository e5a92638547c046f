/*
 * demo.c — see demo.h. The city is built in four passes: units from the
 * tables below (real district, ward and commune names of Cần Thơ, the
 * city's blocs and some of their agencies and enterprises); full members
 * for every considering cell; a plan of every candidacy (its unit, its
 * person, the dates of its steps and how it ends) drawn from one seeded
 * generator; then the planned steps of all candidacies are recorded in
 * date order through ledger_step(), as a city's registers would have been
 * kept, so decision and certificate numbers grow with the dates. Quotas
 * are set last, from the admissions the plan produced, so that most units
 * meet them and a chosen few do not.
 *
 * Dates keep well inside every bound of RULES.md: ages 18 years 2 months
 * to 55 at the cell meeting, certificates and introductions months old,
 * introducers full members for years who have known the candidate for
 * more than a year, cells of four or more voting at least 2/3, committees
 * at least 2/3, ceremonies 10–20 days after the decision, probation votes
 * a few days after the year is up. Introducers and mentors are always the
 * seeded members (never people the demo itself admits), so a steps file
 * re-imports in any order of people.
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
#include "util/banned.h"

#define Y_FIRST 2022		/* quota years */
#define Y_LAST 2025
#define NYEARS (Y_LAST - Y_FIRST + 1)
#define YEAR_BASE 2019		/* counters of documents per year */
#define NCOUNT 9		/* 2019 … 2027 */

kn_date demo_today(void)
{
	return date_from_ymd(2025, 12, 20);
}

/* ---- a small deterministic generator (splitmix64) ---- */

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A whole number from lo to hi inclusive. */
static int rng_int(struct rng *r, int lo, int hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

/* 1 with probability permille/1000. */
static int rng_chance(struct rng *r, int permille)
{
	return (int)(rng_next(r) % 1000) < permille;
}

#define NELEM(a) (sizeof(a) / sizeof(*(a)))
#define PICK(r, a) ((a)[rng_int((r), 0, (int)NELEM(a) - 1)])

/* ---- vocabulary ---- */

enum occ { O_WORKER, O_FARMER, O_CIVIL, O_PUBLIC, O_MANAGER, O_BUSINESS, O_ARMED, O_STUDENT,
	   O_OTHER };
static const char *const occ_name[] = { "worker", "farmer", "civil_servant", "public_employee",
	"enterprise_manager", "business_owner", "armed_forces", "student", "other" };

enum qual { Q_NONE, Q_VOC, Q_COLLEGE, Q_UNIV, Q_POST };
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

/* ---- the unit tables ---- */

enum profile { PR_WARD, PR_COMMUNE, PR_AGENCY, PR_HEALTH, PR_SCHOOL, PR_UNIVERSITY, PR_STATE,
	       PR_NONSTATE, PR_ARMY, PR_POLICE, PR__COUNT };

/* The people of a kind of cell: who is considered there, and who are its
 * members. Occupations and qualifications are drawn from ten slots each. */
struct profile_info {
	int female;			/* permille of candidates */
	int age_lo, age_hi;		/* at the cell meeting */
	unsigned char occ[10];		/* candidates */
	unsigned char member_occ[10];
	unsigned char qual[10];
	int edu9;			/* permille with 9/12 rather than 12/12 */
	int weight;			/* share of candidacies per considering unit */
};

static const struct profile_info profiles[PR__COUNT] = {
	[PR_WARD] = { 550, 20, 45,
		{ O_OTHER, O_OTHER, O_BUSINESS, O_BUSINESS, O_WORKER, O_WORKER, O_WORKER, O_PUBLIC,
		  O_PUBLIC, O_STUDENT },
		{ O_OTHER, O_OTHER, O_OTHER, O_OTHER, O_OTHER, O_BUSINESS, O_PUBLIC, O_PUBLIC,
		  O_CIVIL, O_WORKER },
		{ Q_NONE, Q_NONE, Q_VOC, Q_VOC, Q_COLLEGE, Q_COLLEGE, Q_UNIV, Q_UNIV, Q_UNIV, Q_NONE },
		150, 10 },
	[PR_COMMUNE] = { 450, 20, 50,
		{ O_FARMER, O_FARMER, O_FARMER, O_FARMER, O_FARMER, O_FARMER, O_WORKER, O_WORKER,
		  O_OTHER, O_BUSINESS },
		{ O_FARMER, O_FARMER, O_FARMER, O_FARMER, O_FARMER, O_OTHER, O_OTHER, O_OTHER,
		  O_CIVIL, O_BUSINESS },
		{ Q_NONE, Q_NONE, Q_NONE, Q_NONE, Q_NONE, Q_VOC, Q_VOC, Q_VOC, Q_COLLEGE, Q_UNIV },
		450, 10 },
	[PR_AGENCY] = { 550, 24, 42,
		{ O_CIVIL, O_CIVIL, O_CIVIL, O_CIVIL, O_CIVIL, O_CIVIL, O_CIVIL, O_CIVIL, O_PUBLIC,
		  O_PUBLIC },
		{ O_CIVIL, O_CIVIL, O_CIVIL, O_CIVIL, O_CIVIL, O_CIVIL, O_CIVIL, O_CIVIL, O_CIVIL,
		  O_PUBLIC },
		{ Q_UNIV, Q_UNIV, Q_UNIV, Q_UNIV, Q_UNIV, Q_UNIV, Q_UNIV, Q_POST, Q_POST, Q_COLLEGE },
		0, 16 },
	[PR_HEALTH] = { 650, 23, 40,
		{ O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC,
		  O_PUBLIC, O_CIVIL },
		{ O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC,
		  O_PUBLIC, O_CIVIL },
		{ Q_UNIV, Q_UNIV, Q_UNIV, Q_UNIV, Q_UNIV, Q_UNIV, Q_COLLEGE, Q_COLLEGE, Q_COLLEGE,
		  Q_POST },
		0, 14 },
	[PR_SCHOOL] = { 700, 23, 40,
		{ O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC,
		  O_STUDENT, O_STUDENT },
		{ O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC,
		  O_PUBLIC, O_PUBLIC },
		{ Q_UNIV, Q_UNIV, Q_UNIV, Q_UNIV, Q_UNIV, Q_UNIV, Q_UNIV, Q_UNIV, Q_POST, Q_COLLEGE },
		0, 8 },
	[PR_UNIVERSITY] = { 550, 25, 40,
		{ O_STUDENT, O_STUDENT, O_STUDENT, O_STUDENT, O_STUDENT, O_STUDENT, O_PUBLIC,
		  O_PUBLIC, O_PUBLIC, O_PUBLIC },
		{ O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC, O_PUBLIC,
		  O_PUBLIC, O_PUBLIC },
		{ Q_POST, Q_POST, Q_POST, Q_POST, Q_POST, Q_UNIV, Q_UNIV, Q_UNIV, Q_UNIV, Q_UNIV },
		0, 22 },
	[PR_STATE] = { 400, 21, 45,
		{ O_WORKER, O_WORKER, O_WORKER, O_WORKER, O_WORKER, O_WORKER, O_OTHER, O_OTHER,
		  O_MANAGER, O_PUBLIC },
		{ O_WORKER, O_WORKER, O_WORKER, O_MANAGER, O_MANAGER, O_MANAGER, O_OTHER, O_OTHER,
		  O_OTHER, O_OTHER },
		{ Q_VOC, Q_VOC, Q_VOC, Q_VOC, Q_COLLEGE, Q_COLLEGE, Q_UNIV, Q_UNIV, Q_UNIV, Q_NONE },
		100, 22 },
	[PR_NONSTATE] = { 550, 20, 42,
		{ O_WORKER, O_WORKER, O_WORKER, O_WORKER, O_WORKER, O_WORKER, O_WORKER, O_WORKER,
		  O_OTHER, O_MANAGER },
		{ O_WORKER, O_WORKER, O_WORKER, O_WORKER, O_MANAGER, O_MANAGER, O_MANAGER, O_OTHER,
		  O_OTHER, O_OTHER },
		{ Q_NONE, Q_NONE, Q_NONE, Q_NONE, Q_VOC, Q_VOC, Q_VOC, Q_VOC, Q_COLLEGE, Q_UNIV },
		300, 22 },
	[PR_ARMY] = { 80, 19, 32,
		{ O_ARMED, O_ARMED, O_ARMED, O_ARMED, O_ARMED, O_ARMED, O_ARMED, O_ARMED, O_ARMED,
		  O_ARMED },
		{ O_ARMED, O_ARMED, O_ARMED, O_ARMED, O_ARMED, O_ARMED, O_ARMED, O_ARMED, O_ARMED,
		  O_ARMED },
		{ Q_VOC, Q_VOC, Q_VOC, Q_COLLEGE, Q_COLLEGE, Q_COLLEGE, Q_UNIV, Q_UNIV, Q_UNIV, Q_UNIV },
		0, 8 },
	[PR_POLICE] = { 200, 21, 35,
		{ O_ARMED, O_ARMED, O_ARMED, O_ARMED, O_ARMED, O_ARMED, O_ARMED, O_ARMED, O_ARMED,
		  O_ARMED },
		{ O_ARMED, O_ARMED, O_ARMED, O_ARMED, O_ARMED, O_ARMED, O_ARMED, O_ARMED, O_ARMED,
		  O_ARMED },
		{ Q_UNIV, Q_UNIV, Q_UNIV, Q_UNIV, Q_UNIV, Q_UNIV, Q_COLLEGE, Q_COLLEGE, Q_COLLEGE,
		  Q_COLLEGE },
		0, 8 },
};

/* A district: its wards (P), communes (X), towns (T) and special-area
 * communes (S), '|'-separated; the small demo keeps the first three. */
struct district {
	const char *code, *name, *where, *suffix;
	const char *places;
	const char *school;		/* its upper secondary school */
	int khmer, hoa;			/* permille of candidates */
	int small;
};

static const struct district districts[] = {
	{ "NK", "Đảng bộ quận Ninh Kiều", "quận Ninh Kiều", "QU",
	  "P:Cái Khế|P:An Hòa|P:Thới Bình|P:An Nghiệp|P:An Cư|P:Tân An|P:An Phú|P:Xuân Khánh|"
	  "P:Hưng Lợi|P:An Khánh|P:An Bình", "Châu Văn Liêm", 10, 40, 0 },
	{ "BT", "Đảng bộ quận Bình Thủy", "quận Bình Thủy", "QU",
	  "P:Bình Thủy|P:Trà An|P:Long Hòa|P:Trà Nóc|P:Thới An Đông|P:An Thới|P:Bùi Hữu Nghĩa|"
	  "P:Long Tuyền", "Bùi Hữu Nghĩa", 15, 25, 1 },
	{ "CR", "Đảng bộ quận Cái Răng", "quận Cái Răng", "QU",
	  "P:Lê Bình|P:Hưng Phú|P:Hưng Thạnh|P:Ba Láng|P:Thường Thạnh|P:Phú Thứ|P:Tân Phú",
	  "Nguyễn Việt Dũng", 20, 20, 0 },
	{ "OM", "Đảng bộ quận Ô Môn", "quận Ô Môn", "QU",
	  "P:Châu Văn Liêm|P:Thới Hòa|P:Thới Long|P:Long Hưng|P:Thới An|P:Phước Thới|P:Trường Lạc",
	  "Lưu Hữu Phước", 40, 20, 0 },
	{ "TN", "Đảng bộ quận Thốt Nốt", "quận Thốt Nốt", "QU",
	  "P:Thốt Nốt|P:Thới Thuận|P:Thuận An|P:Tân Lộc|P:Trung Nhứt|P:Thạnh Hòa|P:Trung Kiên|"
	  "P:Tân Hưng|P:Thuận Hưng", "Thốt Nốt", 20, 30, 0 },
	{ "PD", "Đảng bộ huyện Phong Điền", "huyện Phong Điền", "HU",
	  "T:Phong Điền|X:Nhơn Ái|X:Giai Xuân|X:Tân Thới|X:Trường Long|X:Mỹ Khánh|X:Nhơn Nghĩa",
	  "Phan Văn Trị", 15, 10, 0 },
	{ "CD", "Đảng bộ huyện Cờ Đỏ", "huyện Cờ Đỏ", "HU",
	  "T:Cờ Đỏ|X:Thới Hưng|X:Thới Đông|S:Thới Xuân|X:Đông Hiệp|S:Đông Thắng|X:Trung An|"
	  "X:Trung Hưng|X:Trung Thạnh|X:Thạnh Phú", "Hà Huy Giáp", 60, 15, 0 },
	{ "TL", "Đảng bộ huyện Thới Lai", "huyện Thới Lai", "HU",
	  "T:Thới Lai|X:Thới Thạnh|X:Tân Thạnh|S:Xuân Thắng|X:Đông Bình|X:Đông Thuận|X:Thới Tân|"
	  "X:Trường Thắng|S:Định Môn|S:Trường Thành|X:Trường Xuân|X:Trường Xuân A|X:Trường Xuân B",
	  "Thới Lai", 50, 10, 0 },
	{ "VT", "Đảng bộ huyện Vĩnh Thạnh", "huyện Vĩnh Thạnh", "HU",
	  "T:Vĩnh Thạnh|T:Thạnh An|X:Thạnh Thắng|S:Thạnh Lợi|X:Thạnh Quới|X:Thạnh Mỹ|X:Thạnh Lộc|"
	  "X:Thạnh An|X:Thạnh Tiến|X:Vĩnh Trinh|X:Vĩnh Bình", "Vĩnh Thạnh", 30, 10, 0 },
};

/* Hamlets (ấp) of the communes: each commune takes a run of them. */
static const char *const hamlets[] = { "Thới Hòa", "Nhơn Lộc", "Tân Long", "Mỹ Ái", "Trường Thọ",
	"Thạnh Hưng", "Đông Lợi", "Thới Phong", "Định Khánh", "Trường Hòa", "Tân Phước", "Mỹ Hòa",
	"Thới Trung", "Phước Lợi", "Long Thạnh", "Tân Bình" };

/* Non-state companies in the districts, taken in turn. */
static const char *const companies[] = { "Công ty TNHH Thực phẩm Mê Kông", "Công ty TNHH Bao bì Trà Nóc",
	"Công ty Cổ phần Thủy sản Bình An", "Công ty TNHH Giày da Tây Nam",
	"Công ty Cổ phần Xây dựng Phú Cường", "Công ty TNHH Chế biến Gạo Sông Hậu",
	"Công ty TNHH Cơ khí Cái Răng", "Công ty Cổ phần Vận tải Thủy Hậu Giang",
	"Công ty TNHH Nông sản Phong Điền", "Công ty TNHH Thức ăn Chăn nuôi Ô Môn",
	"Công ty TNHH Gạch Ngói Thốt Nốt", "Công ty Cổ phần Dịch vụ Du lịch Ninh Kiều",
	"Công ty TNHH May mặc Cờ Đỏ", "Công ty TNHH Nước đá Thới Lai",
	"Công ty TNHH Phân bón Vĩnh Thạnh", "Công ty Cổ phần Chế biến Trái cây Miền Tây" };

/* A grassroots unit of a bloc: cells '|'-separated, none for a chi bộ
 * cơ sở. */
struct gtpl {
	const char *code, *name, *sector;
	enum profile prof;
	int may_admit;
	const char *cells;
	int small;
};

static const struct gtpl bloc_dcd[] = {
	{ "SCT", "Đảng bộ Sở Công Thương", "agency", PR_AGENCY, 0,
	  "Văn phòng Sở|Phòng Quản lý Thương mại|Chi cục Quản lý thị trường", 0 },
	{ "STC", "Đảng bộ Sở Tài chính", "agency", PR_AGENCY, 0, "Văn phòng Sở|Phòng Quản lý Ngân sách", 0 },
	{ "SGD", "Đảng bộ Sở Giáo dục và Đào tạo", "agency", PR_AGENCY, 0,
	  "Văn phòng Sở|Phòng Giáo dục Trung học|Phòng Khảo thí", 0 },
	{ "SYT", "Đảng bộ Sở Y tế", "agency", PR_HEALTH, 0,
	  "Văn phòng Sở|Chi cục An toàn vệ sinh thực phẩm|Trung tâm Kiểm soát bệnh tật", 0 },
	{ "SNN", "Đảng bộ Sở Nông nghiệp và Phát triển nông thôn", "agency", PR_AGENCY, 0,
	  "Văn phòng Sở|Chi cục Thủy lợi|Chi cục Trồng trọt và Bảo vệ thực vật|Trung tâm Khuyến nông", 0 },
	{ "STN", "Đảng bộ Sở Tài nguyên và Môi trường", "agency", PR_AGENCY, 0,
	  "Văn phòng Sở|Văn phòng Đăng ký đất đai", 0 },
	{ "SGT", "Đảng bộ Sở Giao thông vận tải", "agency", PR_AGENCY, 0, "Văn phòng Sở|Thanh tra Sở", 0 },
	{ "SXD", "Đảng bộ Sở Xây dựng", "agency", PR_AGENCY, 0, "Văn phòng Sở|Phòng Quản lý nhà", 0 },
	{ "SLD", "Đảng bộ Sở Lao động - Thương binh và Xã hội", "agency", PR_AGENCY, 0,
	  "Văn phòng Sở|Trung tâm Dịch vụ việc làm", 0 },
	{ "SVH", "Đảng bộ Sở Văn hóa, Thể thao và Du lịch", "agency", PR_AGENCY, 0,
	  "Văn phòng Sở|Trung tâm Văn hóa thành phố|Thư viện thành phố", 0 },
	{ "STP", "Chi bộ Sở Tư pháp", "agency", PR_AGENCY, 0, "", 0 },
	{ "SKH", "Chi bộ Sở Khoa học và Công nghệ", "agency", PR_AGENCY, 0, "", 0 },
	{ "SNV", "Chi bộ Sở Nội vụ", "agency", PR_AGENCY, 0, "", 0 },
	{ "BVDK", "Đảng bộ Bệnh viện Đa khoa thành phố Cần Thơ", "other", PR_HEALTH, 0,
	  "Khối Nội|Khối Ngoại|Khối Cận lâm sàng|Phòng chức năng", 0 },
	{ "DHCT", "Đảng bộ Trường Đại học Cần Thơ", "school", PR_UNIVERSITY, 1,
	  "Khoa Công nghệ|Khoa Nông nghiệp|Khoa Kinh tế|Khoa Sư phạm|Sinh viên|Khối phòng ban", 0 },
	{ "DHYD", "Đảng bộ Trường Đại học Y Dược Cần Thơ", "school", PR_UNIVERSITY, 0,
	  "Khoa Y|Khoa Dược|Bệnh viện Trường", 0 },
	{ "CDKT", "Đảng bộ Trường Cao đẳng Kinh tế - Kỹ thuật Cần Thơ", "school", PR_SCHOOL, 0,
	  "Khoa Kinh tế|Khoa Kỹ thuật", 0 },
	{ "LTT", "Chi bộ Trường THPT chuyên Lý Tự Trọng", "school", PR_SCHOOL, 0, "", 0 },
};

static const struct gtpl bloc_dn[] = {
	{ "VT", "Đảng bộ Viễn thông Cần Thơ", "state_enterprise", PR_STATE, 0,
	  "Trung tâm Điều hành thông tin|Trung tâm Kinh doanh|Khối văn phòng", 1 },
	{ "BD", "Đảng bộ Bưu điện thành phố Cần Thơ", "state_enterprise", PR_STATE, 0,
	  "Bưu điện trung tâm|Khối văn phòng", 0 },
	{ "DHG", "Đảng bộ Công ty Cổ phần Dược Hậu Giang", "state_enterprise", PR_STATE, 0,
	  "Phân xưởng sản xuất|Kho vận|Kinh doanh|Khối văn phòng", 1 },
	{ "CTDT", "Đảng bộ Công ty TNHH Một thành viên Công trình Đô thị", "state_enterprise",
	  PR_STATE, 0, "Đội Vệ sinh môi trường|Đội Công viên cây xanh", 0 },
	{ "NDCT", "Đảng bộ Công ty Nhiệt điện Cần Thơ", "state_enterprise", PR_STATE, 0,
	  "Phân xưởng Vận hành|Phân xưởng Sửa chữa", 0 },
	{ "DL", "Đảng bộ Công ty Điện lực thành phố Cần Thơ", "state_enterprise", PR_STATE, 0,
	  "Điện lực Ninh Kiều|Điện lực Bình Thủy|Khối văn phòng", 0 },
	{ "CTN", "Đảng bộ Công ty Cổ phần Cấp thoát nước Cần Thơ", "state_enterprise", PR_STATE, 0,
	  "Nhà máy nước Hưng Phú|Khối văn phòng", 0 },
	{ "LTSH", "Đảng bộ Công ty Lương thực Sông Hậu", "state_enterprise", PR_STATE, 0,
	  "Xí nghiệp Chế biến|Khối văn phòng", 0 },
	{ "LH", "Chi bộ Công ty TNHH Bảo vệ Lâm Hoàng", "nonstate_enterprise", PR_NONSTATE, 0, "", 1 },
	{ "MTD", "Đảng bộ Công ty Cổ phần May Tây Đô", "nonstate_enterprise", PR_NONSTATE, 0,
	  "Xưởng may 1|Xưởng may 2", 1 },
	{ "HP", "Chi bộ Công ty TNHH Thủy sản Hiệp Phát", "nonstate_enterprise", PR_NONSTATE, 0, "", 0 },
	{ "TTN", "Chi bộ Công ty Cổ phần Thép Tây Nam", "nonstate_enterprise", PR_NONSTATE, 0, "", 0 },
	{ "GMK", "Đảng bộ Công ty Cổ phần Gạo Mê Kông", "nonstate_enterprise", PR_NONSTATE, 0,
	  "Nhà máy Thốt Nốt|Khối văn phòng", 0 },
};

static const struct gtpl bloc_qs[] = {
	{ "BCH", "Đảng bộ Cơ quan Bộ Chỉ huy Quân sự thành phố", "armed_forces", PR_ARMY, 0,
	  "Phòng Tham mưu|Phòng Chính trị|Phòng Hậu cần - Kỹ thuật", 0 },
	{ "TD", "Đảng bộ Trung đoàn bộ binh 932", "armed_forces", PR_ARMY, 0,
	  "Tiểu đoàn 1|Tiểu đoàn 2|Cơ quan Trung đoàn", 0 },
	{ "TQS", "Chi bộ Trường Quân sự thành phố", "armed_forces", PR_ARMY, 0, "", 0 },
	{ "TS", "Chi bộ Đại đội Trinh sát", "armed_forces", PR_ARMY, 0, "", 0 },
};

static const struct gtpl bloc_ca[] = {
	{ "HS", "Đảng bộ Phòng Cảnh sát hình sự", "armed_forces", PR_POLICE, 0,
	  "Đội 1|Đội 2", 0 },
	{ "GT", "Đảng bộ Phòng Cảnh sát giao thông", "armed_forces", PR_POLICE, 0,
	  "Đội tuần tra 1|Đội tuần tra 2|Đội đường thủy", 0 },
	{ "TM", "Đảng bộ Phòng Tham mưu", "armed_forces", PR_POLICE, 0, "Đội Tổng hợp|Đội Thông tin", 0 },
	{ "CANK", "Đảng bộ Công an quận Ninh Kiều", "armed_forces", PR_POLICE, 0,
	  "Đội An ninh|Đội Cảnh sát điều tra|Đội Cảnh sát trật tự", 0 },
	{ "CABT", "Đảng bộ Công an quận Bình Thủy", "armed_forces", PR_POLICE, 0,
	  "Đội An ninh|Đội Cảnh sát trật tự", 0 },
	{ "HSO", "Chi bộ Phòng Hồ sơ", "armed_forces", PR_POLICE, 0, "", 0 },
};

struct bloc {
	const char *code, *name, *suffix;
	const struct gtpl *g;
	size_t n;
	int khmer, hoa;
	int small;
};

static const struct bloc blocs[] = {
	{ "DCD", "Đảng bộ Khối Cơ quan Dân Chính Đảng", "ĐUK", bloc_dcd, NELEM(bloc_dcd), 15, 20, 0 },
	{ "DN", "Đảng bộ Khối Doanh nghiệp", "ĐUK", bloc_dn, NELEM(bloc_dn), 15, 25, 1 },
	{ "QS", "Đảng bộ Quân sự thành phố", "ĐU", bloc_qs, NELEM(bloc_qs), 15, 10, 0 },
	{ "CA", "Đảng bộ Công an thành phố", "ĐU", bloc_ca, NELEM(bloc_ca), 15, 10, 0 },
};

/* ---- the generator's state ---- */

struct dunit {
	struct unit u;		/* owned strings */
	int parent;		/* index; -1 for the root */
	int considering;	/* a cell, or a grassroots unit without cells */
	int basic;		/* chi bộ cơ sở */
	enum profile prof;
	int khmer, hoa;		/* permille */
	int member0, nmembers;	/* its full members in g->members */
	int committee;		/* committee size (grassroots) */
	int upper;		/* the upper unit above: its training centre */
	int competent;		/* index of the competent committee */
	const char *suffix;	/* decision numbers "N-QĐ/SUFFIX", may_admit units */
	int ncands;
};

/* A planned step. Member indexes are into g->members; -1 for none. */
struct pstep {
	kn_date date;
	unsigned char code;
	unsigned char vf, vt;	/* votes */
	const char *org;
	const char *note;
	int m1, m2;
	kn_date s1, s2;
};

#define MAXSTEPS 16

struct cand {
	int unit;
	char ref[16];
	char sex;
	kn_date birth;
	unsigned char occ, minority, youth_union, trade_union;
	kn_date decision;	/* KN_DATE_NONE: not admitted */
	struct pstep st[MAXSTEPS];
	int n;
};

struct event {
	kn_date date;
	int cand, idx;
};

struct gen {
	struct rng r;
	struct store *s;
	struct ledger *l;
	struct buf *err;
	void (*progress)(const char *, size_t, size_t);
	kn_date today;
	int small;
	struct dunit *u;
	size_t nu, capu;
	char (*members)[16];
	size_t nm, capm;
	struct cand *c;
	size_t nc;
	unsigned serial;	/* people's ref serial */
	size_t npeople, nsteps;
	struct buf nb, fb;	/* scratch: names, folding */
};

static enum kn_err store_failed(struct gen *g, enum kn_err e)
{
	buf_addf(g->err, "%s", store_errmsg(g->s));
	return e;
}

/* ---- units ---- */

static int add_unit(struct gen *g, int parent, const char *code, const char *name,
		    enum unit_kind kind, int may_admit, const char *sector, int special,
		    enum profile prof)
{
	struct dunit *d;
	struct buf b = BUF_INIT;

	if (g->nu == g->capu) {
		g->capu = g->capu ? g->capu * 2 : 256;
		g->u = xreallocarray(g->u, g->capu, sizeof(*g->u));
	}
	d = &g->u[g->nu];
	memset(d, 0, sizeof(*d));
	if (parent >= 0)
		buf_addf(&b, "%s.%s", g->u[parent].u.code, code);
	else
		buf_adds(&b, code);
	d->u.code = buf_detach(&b);
	d->u.parent = parent >= 0 ? xstrdup(g->u[parent].u.code) : NULL;
	text_nfc(name, &b);
	d->u.name = buf_detach(&b);
	d->u.kind = kind;
	d->u.may_admit = may_admit;
	d->u.sector = sector ? xstrdup(sector) : NULL;
	d->u.special_area = special;
	d->parent = parent;
	d->prof = prof;
	d->upper = parent >= 0 ? g->u[parent].upper : -1;
	if (kind == UNIT_UPPER)
		d->upper = (int)g->nu;
	if (parent >= 0) {
		d->khmer = g->u[parent].khmer;
		d->hoa = g->u[parent].hoa;
	}
	if (kind == UNIT_CELL) {
		d->considering = 1;
		g->u[parent].considering = 0;
		g->u[parent].basic = 0;
	} else if (kind == UNIT_GRASSROOTS) {
		/* A chi bộ cơ sở until a cell is added under it. */
		d->considering = 1;
		d->basic = 1;
		d->committee = rng_int(&g->r, 2, 7) * 2 + 1;	/* 5 … 15 */
	}
	return (int)g->nu++;
}

/* The next '|'-separated item of *p into out; 0 at the end. */
static int next_item(const char **p, struct buf *out)
{
	const char *s = *p, *e;
	if (!s || !*s)
		return 0;
	e = strchr(s, '|');
	buf_reset(out);
	buf_add(out, s, e ? (size_t)(e - s) : strlen(s));
	*p = e ? e + 1 : s + strlen(s);
	return 1;
}

static void add_cells(struct gen *g, int parent, const char *cells, const char *sector,
		      enum profile prof)
{
	struct buf item = BUF_INIT, name = BUF_INIT, code = BUF_INIT;
	const char *p = cells;
	int i = 0;

	while (next_item(&p, &item)) {
		buf_reset(&name);
		buf_reset(&code);
		buf_addf(&name, "Chi bộ %s", item.s);
		buf_addf(&code, "C%02d", ++i);
		add_unit(g, parent, code.s, name.s, UNIT_CELL, 0, sector, 0, prof);
	}
	buf_release(&item);
	buf_release(&name);
	buf_release(&code);
}

/* A ward, commune or town with its hamlet cells and a few others. */
static void add_place(struct gen *g, int district, const char *place, int serial_p,
		      int serial_x)
{
	struct buf name = BUF_INIT, code = BUF_INIT, cell = BUF_INIT;
	char type = place[0];
	const char *pname = place + 2;
	int ward = type == 'P' || type == 'T';
	int special = type == 'S';
	const char *word = type == 'P' ? "phường" : type == 'T' ? "thị trấn" : "xã";
	int gr, nh, off;

	buf_addf(&name, "Đảng bộ %s %s", word, pname);
	if (ward)
		buf_addf(&code, "P%02d", serial_p);
	else
		buf_addf(&code, "X%02d", serial_x);
	gr = add_unit(g, district, code.s, name.s, UNIT_GRASSROOTS, 0, ward ? "ward" : "commune",
		      special, ward ? PR_WARD : PR_COMMUNE);
	if (special)
		g->u[gr].khmer = 250;
	nh = g->small ? 2 : rng_int(&g->r, 2, 4);
	off = rng_int(&g->r, 0, (int)NELEM(hamlets) - 1);
	for (int h = 0; h < nh; h++) {
		buf_reset(&cell);
		buf_reset(&code);
		buf_addf(&code, "C%02d", h + 1);
		if (ward)
			buf_addf(&cell, "Chi bộ khu vực %d", h + 1);
		else
			buf_addf(&cell, "Chi bộ ấp %s", hamlets[(off + h) % (int)NELEM(hamlets)]);
		add_unit(g, gr, code.s, cell.s, UNIT_CELL, 0, "hamlet", 0,
			 ward ? PR_WARD : PR_COMMUNE);
	}
	buf_reset(&cell);
	buf_addf(&cell, "Chi bộ Cơ quan %s %s", word, pname);
	add_unit(g, gr, "CQ", cell.s, UNIT_CELL, 0, "agency", 0, PR_AGENCY);
	if (!g->small && rng_chance(&g->r, 250)) {
		buf_reset(&cell);
		buf_addf(&cell, "Chi bộ Quân sự %s %s", word, pname);
		add_unit(g, gr, "QS", cell.s, UNIT_CELL, 0, "armed_forces", 0, PR_ARMY);
	}
	if (!g->small && rng_chance(&g->r, 200)) {
		buf_reset(&cell);
		buf_addf(&cell, "Chi bộ Trường Tiểu học %s", pname);
		add_unit(g, gr, "TH", cell.s, UNIT_CELL, 0, "school", 0, PR_SCHOOL);
	}
	buf_release(&name);
	buf_release(&code);
	buf_release(&cell);
}

static void add_district(struct gen *g, int root, const struct district *dt, int *company)
{
	struct buf name = BUF_INIT, item = BUF_INIT;
	const char *p = dt->places;
	int d, np = 0, nx = 0, n = 0, gr;

	d = add_unit(g, root, dt->code, dt->name, UNIT_UPPER, 1, NULL, 0, PR_WARD);
	g->u[d].suffix = dt->suffix;
	g->u[d].khmer = dt->khmer;
	g->u[d].hoa = dt->hoa;
	while (next_item(&p, &item)) {
		if (g->small && n >= 3)
			break;
		n++;
		if (item.s[0] == 'P' || item.s[0] == 'T')
			np++;
		else
			nx++;
		add_place(g, d, item.s, np, nx);
	}
	/* The district's own grassroots units. */
	buf_reset(&name);
	buf_addf(&name, "Chi bộ Trường THPT %s", dt->school);
	add_unit(g, d, "THPT", name.s, UNIT_GRASSROOTS, 0, "school", 0, PR_SCHOOL);
	if (!g->small) {
		buf_reset(&name);
		buf_addf(&name, "Đảng bộ Cơ quan Chính quyền %s", dt->where);
		gr = add_unit(g, d, "CQ", name.s, UNIT_GRASSROOTS, 0, "agency", 0, PR_AGENCY);
		add_cells(g, gr, "Văn phòng HĐND và UBND|Phòng Tài chính - Kế hoạch|"
			  "Phòng Giáo dục và Đào tạo|Phòng Nội vụ", "agency", PR_AGENCY);
		buf_reset(&name);
		buf_addf(&name, "Chi bộ Ban Chỉ huy Quân sự %s", dt->where);
		add_unit(g, d, "QS", name.s, UNIT_GRASSROOTS, 0, "armed_forces", 0, PR_ARMY);
		buf_reset(&name);
		buf_addf(&name, "Chi bộ Trung tâm Y tế %s", dt->where);
		add_unit(g, d, "TTYT", name.s, UNIT_GRASSROOTS, 0, "other", 0, PR_HEALTH);
		for (int i = 0, k = rng_int(&g->r, 1, 2); i < k; i++) {
			buf_reset(&name);
			buf_addf(&name, "Chi bộ %s", companies[*company % (int)NELEM(companies)]);
			(*company)++;
			add_unit(g, d, i ? "DN2" : "DN1", name.s, UNIT_GRASSROOTS, 0,
				 "nonstate_enterprise", 0, PR_NONSTATE);
		}
	}
	buf_release(&name);
	buf_release(&item);
}

static void add_bloc(struct gen *g, int root, const struct bloc *b)
{
	int d = add_unit(g, root, b->code, b->name, UNIT_UPPER, 1, NULL, 0, PR_AGENCY);

	g->u[d].suffix = b->suffix;
	g->u[d].khmer = b->khmer;
	g->u[d].hoa = b->hoa;
	for (size_t i = 0; i < b->n; i++) {
		const struct gtpl *t = &b->g[i];
		int gr;
		if (g->small && !t->small)
			continue;
		gr = add_unit(g, d, t->code, t->name, UNIT_GRASSROOTS, t->may_admit, t->sector, 0,
			      t->prof);
		if (t->may_admit)
			g->u[gr].suffix = "ĐU";
		if (t->prof == PR_UNIVERSITY)
			g->u[gr].khmer = 20;
		add_cells(g, gr, t->cells, t->sector, t->prof);
	}
}

static void build_units(struct gen *g)
{
	int root, company = 0;

	root = add_unit(g, -1, "CT", "Đảng bộ thành phố Cần Thơ", UNIT_PROVINCE, 1, NULL, 0,
			PR_AGENCY);
	g->u[root].suffix = "TU";
	for (size_t i = 0; i < NELEM(districts); i++)
		if (!g->small || districts[i].small)
			add_district(g, root, &districts[i], &company);
	for (size_t i = 0; i < NELEM(blocs); i++)
		if (!g->small || blocs[i].small)
			add_bloc(g, root, &blocs[i]);
	/* The competent committee of each considering unit: the nearest
	 * may_admit unit at or above its grassroots unit (RULES.md §1). */
	for (size_t i = 0; i < g->nu; i++) {
		int k = (int)i;
		g->u[i].competent = -1;
		if (!g->u[i].considering)
			continue;
		if (g->u[k].u.kind == UNIT_CELL)
			k = g->u[k].parent;
		while (k >= 0 && !g->u[k].u.may_admit)
			k = g->u[k].parent;
		g->u[i].competent = k;
	}
}

/* ---- people ---- */

/* A CCCD-like 12-digit ref: birth province, sex and century, year of
 * birth, then a serial that makes it unique. */
static void make_ref(struct gen *g, char sex, kn_date birth, char out[16])
{
	int y = date_year(birth);
	int cs = (y >= 2000 ? 2 : 0) + (sex == 'F');
	struct buf b = BUF_INIT;

	buf_addf(&b, "%03d%d%02d%06u", PICK(&g->r, birth_province), cs, y % 100, ++g->serial);
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
		return store_failed(g, e);
	g->npeople++;
	return KN_OK;
}

/* The full members of every considering unit: admitted 1980–2016, so
 * that they are full members long before the first introduction. */
static enum kn_err add_members(struct gen *g)
{
	size_t done = 0, total = 0;

	for (size_t i = 0; i < g->nu; i++)
		total += g->u[i].considering;
	for (size_t i = 0; i < g->nu; i++) {
		struct dunit *d = &g->u[i];
		const struct profile_info *pi = &profiles[d->prof];
		if (!d->considering)
			continue;
		d->member0 = (int)g->nm;
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

			memset(&p, 0, sizeof(p));
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
			make_ref(g, p.sex, p.birth_date, g->members[g->nm]);
			p.ref = xstrdup(g->members[g->nm]);
			g->nm++;
			make_name(g, e, p.sex);
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
static kn_date next_workday(struct gen *g, kn_date d)
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
		kn_date c = next_workday(g, date_from_ymd(y, m, cday));
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

static void plan_candidacy(struct gen *g, struct cand *c, int unit, kn_date source)
{
	struct rng *r = &g->r;
	struct dunit *d = &g->u[unit];
	const struct profile_info *pi = &profiles[d->prof];
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
	d->ncands++;

	/* The timeline, whole; cut at today below. */
	t_train = class_date(g, d->upper, source + rng_int(r, 20, 110));
	t_apply = t_train + rng_int(r, 7, 40);
	t_verify = next_workday(g, t_apply + rng_int(r, 20, 60));
	t_intro = t_verify + rng_int(r, 5, 25);
	if (rng_chance(r, 15)) {
		/* The dossier waited more than a year: introduced again. */
		t_intro2 = t_intro + rng_int(r, 395, 450);
		t_cell = next_workday(g, t_intro2 + rng_int(r, 5, 30));
	} else {
		t_cell = next_workday(g, t_intro + rng_int(r, 5, 30));
	}
	t_comm = d->basic ? t_cell : next_workday(g, t_cell + rng_int(r, 7, 21));
	t_dec = next_workday(g, t_comm + rng_int(r, 10, 40));
	t_cer = t_dec + rng_int(r, 10, 20);
	t_prob = next_workday(g, date_add_months(t_cer, 12) + rng_int(r, 3, 20));
	t_off = next_workday(g, t_prob + rng_int(r, 7, 25));

	/* The person, fitted to the date of the cell meeting. */
	c->sex = rng_chance(r, pi->female) ? 'F' : 'M';
	occ = (enum occ)pi->occ[rng_int(r, 0, 9)];
	student = occ == O_STUDENT;
	if (student && d->prof == PR_SCHOOL)
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
		p = plan_add(c, STEP_STRUCK_OFF, next_workday(g, date_add_months(t_cer, rng_int(r, 4, 10))));
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
static enum kn_err put_candidate(struct gen *g, struct cand *c)
{
	struct rng *r = &g->r;
	const struct dunit *d = &g->u[c->unit];
	const struct profile_info *pi = &profiles[d->prof];
	enum ethnic e = ethnic_of(g, d, 0);
	struct person p;
	const char *edu = "12/12";
	const char *rel;

	memset(&p, 0, sizeof(p));
	c->minority = e != E_KINH;
	make_ref(g, c->sex, c->birth, c->ref);
	make_name(g, e, c->sex);
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
	return put_person(g, &p);
}

static int event_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if (x->cand != y->cand)
		return x->cand < y->cand ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* ---- recording ---- */

struct counters {
	int (*cert)[NCOUNT];	/* per unit (upper), per year */
	int (*dec)[NCOUNT];	/* per unit (competent), per year */
};

static int year_slot(kn_date d)
{
	int y = date_year(d) - YEAR_BASE;
	return y < 0 ? 0 : y >= NCOUNT ? NCOUNT - 1 : y;
}

static enum kn_err record(struct gen *g, const struct cand *c, const struct pstep *p,
			  struct counters *k)
{
	const struct dunit *d = &g->u[c->unit];
	struct step st;
	struct violations v = { 0 };
	struct buf b = BUF_INIT, lerr = BUF_INIT;
	enum ledger_outcome out;
	enum kn_err e;

	step_init(&st);
	st.code = (enum step_code)p->code;
	st.date = p->date;
	if (p->org)
		st.org = xstrdup(p->org);
	if (p->note)
		st.note = xstrdup(p->note);
	switch (st.code) {
	case STEP_MENTOR:
		st.member = xstrdup(g->members[p->m1]);
		break;
	case STEP_TRAINED:
		buf_addf(&b, "%d-GCN/TTCT", ++k->cert[d->upper][year_slot(p->date)]);
		st.doc_no = buf_detach(&b);
		break;
	case STEP_INTRODUCED:
		st.intro1 = xstrdup(g->members[p->m1]);
		st.intro1_since = p->s1;
		if (p->m2 >= 0) {
			st.intro2 = xstrdup(g->members[p->m2]);
			st.intro2_since = p->s2;
		}
		break;
	case STEP_CELL_VOTE:
	case STEP_COMMITTEE_VOTE:
	case STEP_PROBATION_VOTE:
		st.votes_for = p->vf;
		st.votes_total = p->vt;
		break;
	case STEP_DECISION:
	case STEP_OFFICIAL:
		buf_addf(&b, "%d-QĐ/%s", ++k->dec[d->competent][year_slot(p->date)],
			 g->u[d->competent].suffix ? g->u[d->competent].suffix : "ĐU");
		st.doc_no = buf_detach(&b);
		st.org = xstrdup(g->u[d->competent].u.code);
		break;
	default:
		break;
	}
	e = ledger_step(g->l, c->ref, &st, LEDGER_WRITE, 0, &v, &lerr, &out);
	if (e != KN_OK) {
		char iso[11];
		date_format_iso(p->date, iso);
		buf_addf(g->err, _("demo: the %s step of %s on %s was refused (a bug in the generator):"),
			 step_name(st.code), c->ref, iso);
		for (size_t i = 0; i < v.n; i++)
			buf_addf(g->err, "\n  %s: %s", v.v[i].code, v.v[i].message);
		if (lerr.len)
			buf_addf(g->err, "\n  %s", lerr.s);
	} else {
		g->nsteps++;
	}
	violations_release(&v);
	buf_release(&lerr);
	step_release(&st);
	return e;
}

static enum kn_err record_all(struct gen *g)
{
	struct event *ev;
	size_t n = 0, k = 0;
	struct counters cnt;
	enum kn_err e = KN_OK;

	for (size_t i = 0; i < g->nc; i++)
		n += (size_t)g->c[i].n;
	ev = xreallocarray(NULL, n + 1, sizeof(*ev));
	for (size_t i = 0; i < g->nc; i++)
		for (int j = 0; j < g->c[i].n; j++) {
			ev[k].date = g->c[i].st[j].date;
			ev[k].cand = (int)i;
			ev[k].idx = j;
			k++;
		}
	xqsort(ev, n, sizeof(*ev), event_cmp);
	cnt.cert = xcalloc(g->nu, sizeof(*cnt.cert));
	cnt.dec = xcalloc(g->nu, sizeof(*cnt.dec));
	for (size_t i = 0; i < n && e == KN_OK; i++) {
		const struct cand *c = &g->c[ev[i].cand];
		e = record(g, c, &c->st[ev[i].idx], &cnt);
		if (g->progress)
			g->progress(_("steps"), i + 1, n);
	}
	free(cnt.cert);
	free(cnt.dec);
	free(ev);
	return e;
}

/* ---- quotas ---- */

enum { C_TOTAL, C_FEMALE, C_MINORITY, C_YOUTH, C_WORKER, C_NONSTATE, C_HAMLET, C__COUNT };
static const char *const cat_name[C__COUNT] = { "total", "female", "ethnic_minority", "youth",
	"worker", "nonstate_enterprise", "hamlet" };

static enum kn_err put_quota(struct gen *g, const char *unit, int year, const char *cat,
			     long long target)
{
	struct quota q;
	int changed;
	enum kn_err e;

	q.unit = (char *)unit;
	q.year = year;
	q.category = (char *)cat;
	q.target = target;
	if ((e = store_quota_put(g->s, &q, &changed)) != KN_OK)
		return store_failed(g, e);
	return KN_OK;
}

/* A target the unit met: 70–100 % of what it admitted (at least 1). */
static long long met_target(struct gen *g, int admitted, int lo_pct)
{
	long long t = (long long)admitted * rng_int(&g->r, lo_pct, 100) / 100;
	return t < 1 ? 1 : t;
}

/* A target the unit missed: 10–30 % more than it admitted (at least 1). */
static long long short_target(struct gen *g, int admitted)
{
	long long t = (long long)admitted + (long long)admitted * rng_int(&g->r, 10, 30) / 100;
	return t <= admitted ? admitted + 1 : t;
}

static enum kn_err add_quotas(struct gen *g)
{
	int (*cnt)[NYEARS][C__COUNT] = xcalloc(g->nu, sizeof(*cnt));
	int *has = xcalloc(g->nu, sizeof(*has));
	enum kn_err e = KN_OK;

	/* Admissions by unit (each ancestor too), year and category. */
	for (size_t i = 0; i < g->nc; i++) {
		const struct cand *c = &g->c[i];
		const struct dunit *d = &g->u[c->unit];
		int y, cats[C__COUNT] = { 0 };
		for (int k = c->unit; k >= 0; k = g->u[k].parent)
			has[k] = 1;
		if (c->decision == KN_DATE_NONE)
			continue;
		y = date_year(c->decision);
		if (y < Y_FIRST || y > Y_LAST)
			continue;
		cats[C_TOTAL] = 1;
		cats[C_FEMALE] = c->sex == 'F';
		cats[C_MINORITY] = c->minority;
		cats[C_YOUTH] = date_months_between(c->birth, c->decision) < 31 * 12;
		cats[C_WORKER] = c->occ == O_WORKER;
		cats[C_NONSTATE] = d->u.sector && strcmp(d->u.sector, "nonstate_enterprise") == 0;
		cats[C_HAMLET] = d->u.sector && strcmp(d->u.sector, "hamlet") == 0;
		for (int k = c->unit; k >= 0; k = g->u[k].parent)
			for (int j = 0; j < C__COUNT; j++)
				cnt[k][y - Y_FIRST][j] += cats[j];
	}
	for (size_t i = 0; i < g->nu && e == KN_OK; i++) {
		const struct dunit *d = &g->u[i];
		int upper = d->u.kind == UNIT_UPPER, root = d->u.kind == UNIT_PROVINCE;
		int district = upper && d->suffix && (strcmp(d->suffix, "QU") == 0 ||
						      strcmp(d->suffix, "HU") == 0);
		int enterprises = upper && strcmp(d->u.code, "CT.DN") == 0;
		if (!has[i] && !upper && !root)
			continue;
		for (int y = 0; y < NYEARS && e == KN_OK; y++) {
			int *a = cnt[i][y];
			long long t;
			/* total: the city well over its plan (the seed report's
			 * 127,1 %), most units met, some not. */
			if (root)
				t = (long long)a[C_TOTAL] * 1000 / rng_int(&g->r, 1080, 1300);
			else if (rng_chance(&g->r, upper ? 150 : 220))
				t = short_target(g, a[C_TOTAL]);
			else
				t = met_target(g, a[C_TOTAL], upper ? 72 : 65);
			if (t < 1)
				t = 1;
			e = put_quota(g, d->u.code, Y_FIRST + y, "total", t);
			if (!root && !upper)
				continue;
			for (int j = C_FEMALE; j < C__COUNT && e == KN_OK; j++) {
				int shortfall;
				if (j == C_HAMLET && !root && !district)
					continue;
				if (j == C_MINORITY && !root && !(district && d->khmer >= 30))
					continue;
				if ((j == C_WORKER || j == C_NONSTATE) && !root && !enterprises &&
				    !district)
					continue;
				/* The groups the report says fell short. */
				if (root)
					shortfall = j == C_WORKER || j == C_NONSTATE ||
						    j == C_MINORITY ||
						    (j == C_HAMLET && Y_FIRST + y < Y_LAST);
				else if (j == C_FEMALE || j == C_YOUTH)
					shortfall = rng_chance(&g->r, 150);
				else
					shortfall = rng_chance(&g->r, 500);
				if (!shortfall && a[j] == 0)
					continue;
				t = shortfall ? short_target(g, a[j]) : met_target(g, a[j], 75);
				e = put_quota(g, d->u.code, Y_FIRST + y, cat_name[j], t);
			}
		}
		if (g->progress)
			g->progress(_("quotas"), i + 1, g->nu);
	}
	free(cnt);
	free(has);
	return e;
}

/* ---- entry ---- */

static void gen_release(struct gen *g)
{
	for (size_t i = 0; i < g->nu; i++)
		unit_release(&g->u[i].u);
	free(g->u);
	free(g->members);
	free(g->c);
	buf_release(&g->nb);
	buf_release(&g->fb);
}

static enum kn_err generate(struct gen *g, size_t ncand, kn_date first, kn_date last)
{
	enum kn_err e;
	int *pick;
	size_t npick = 0, cap = 0;

	build_units(g);
	for (size_t i = 0; i < g->nu; i++) {
		int changed;
		if ((e = store_unit_put(g->s, &g->u[i].u, &changed)) != KN_OK)
			return store_failed(g, e);
		if (g->progress)
			g->progress(_("units"), i + 1, g->nu);
	}
	if ((e = ledger_reload_units(g->l)) != KN_OK)
		return store_failed(g, e);
	/* The ledger must see the same competent committees as the plan. */
	for (size_t i = 0; i < g->nu; i++) {
		struct unode *n, *comp;
		if (!g->u[i].considering)
			continue;
		n = unitree_find(&g->l->tree, g->u[i].u.code);
		comp = n ? unitree_competent(n) : NULL;
		if (!comp || g->u[i].competent < 0 ||
		    strcmp(comp->u.code, g->u[g->u[i].competent].u.code) != 0 ||
		    unitree_is_basic_cell(n) != g->u[i].basic) {
			buf_addf(g->err, "demo: unit %s: the plan and the unit tree disagree",
				 g->u[i].u.code);
			return KN_EINVAL;
		}
	}
	if ((e = add_members(g)) != KN_OK)
		return e;

	/* Candidacies: units drawn by weight, sources spread evenly. */
	pick = NULL;
	for (size_t i = 0; i < g->nu; i++) {
		/* The small demo spreads its few candidacies evenly. */
		int w = !g->u[i].considering ? 0 : g->small ? 1 : profiles[g->u[i].prof].weight;
		for (int k = 0; k < w; k++) {
			if (npick == cap) {
				cap = cap ? cap * 2 : 4096;
				pick = xreallocarray(pick, cap, sizeof(*pick));
			}
			pick[npick++] = (int)i;
		}
	}
	g->c = xcalloc(ncand ? ncand : 1, sizeof(*g->c));
	for (size_t i = 0; i < ncand; i++) {
		int unit = pick[rng_int(&g->r, 0, (int)npick - 1)];
		kn_date source = next_workday(g, first + rng_int(&g->r, 0, (int)(last - first)));
		plan_candidacy(g, &g->c[i], unit, source);
		g->nc++;
		if ((e = put_candidate(g, &g->c[i])) != KN_OK) {
			free(pick);
			return e;
		}
		if (g->progress)
			g->progress(_("candidates"), i + 1, ncand);
	}
	free(pick);
	if ((e = record_all(g)) != KN_OK)
		return e;
	return add_quotas(g);
}

enum kn_err demo_generate(struct store *s, struct ledger *l, const char *size,
			  unsigned long seed, void (*progress)(const char *, size_t, size_t),
			  struct buf *err)
{
	struct gen g;
	struct unit *have;
	size_t nhave, ncand;
	kn_date saved_today = l->today;
	enum kn_err e;
	struct buf what = BUF_INIT;

	if (!size || (strcmp(size, "small") != 0 && strcmp(size, "city") != 0)) {
		buf_addf(err, _("unknown demo size '%s'; use small or city"), size ? size : "");
		return KN_EINVAL;
	}
	if ((e = store_unit_all(s, &have, &nhave)) != KN_OK) {
		buf_addf(err, "%s", store_errmsg(s));
		return e;
	}
	store_units_free(have, nhave);
	if (nhave > 0) {
		buf_addf(err, _("the database already has %zu units; the demo needs an empty database "
				"(name a new file with --db)"), nhave);
		return KN_EINVAL;
	}

	memset(&g, 0, sizeof(g));
	g.r.s = (uint64_t)seed * 0x2545f4914f6cdd1dULL + 0x6b43a9b5u;
	g.s = s;
	g.l = l;
	g.err = err;
	g.progress = progress;
	g.today = demo_today();
	g.small = strcmp(size, "small") == 0;
	buf_init(&g.nb);
	buf_init(&g.fb);
	/* About 2,500 candidacies a year in the city from late 2020 (those
	 * still in probation in 2022) to a month before the demo's today. */
	ncand = g.small ? 60 : 12800;
	l->today = g.today;

	if ((e = store_begin(s)) != KN_OK) {
		buf_addf(err, "%s", store_errmsg(s));
		goto out;
	}
	e = generate(&g, ncand, date_from_ymd(2020, 10, 1), date_from_ymd(2025, 11, 20));
	if (e == KN_OK) {
		buf_addf(&what, "size=%s seed=%lu units=%zu people=%zu candidacies=%zu steps=%zu",
			 size, seed, g.nu, g.npeople, g.nc, g.nsteps);
		if ((e = store_audit(s, l->actor, "demo", "database", size, NULL, what.s)) != KN_OK)
			buf_addf(err, "%s", store_errmsg(s));
	}
	if (e == KN_OK) {
		if ((e = store_commit(s)) != KN_OK)
			buf_addf(err, "%s", store_errmsg(s));
	} else {
		store_rollback(s);
	}
out:
	l->today = saved_today;
	if (e != KN_OK)
		ledger_reload_units(l);
	buf_release(&what);
	gen_release(&g);
	return e;
}
