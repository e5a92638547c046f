/*
 * demo_units.c — the demo city's units (see demo.h and demo.c): the tables
 * of its districts with their real ward and commune names, their hamlets
 * and companies, the city's blocs with their agencies and enterprises, and
 * the kinds of cell (who is considered there and who its members are);
 * demo_build_units() turns them into the unit tree, with the cells of each
 * place, in g->u.
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


/* ---- the unit tables ---- */

const struct profile_info demo_profiles[PR__COUNT] = {
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

/* ---- units ---- */

int demo_add_unit(struct gen *g, int parent, const char *code, const char *name,
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
		demo_add_unit(g, parent, code.s, name.s, UNIT_CELL, 0, sector, 0, prof);
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
	gr = demo_add_unit(g, district, code.s, name.s, UNIT_GRASSROOTS, 0, ward ? "ward" : "commune",
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
		demo_add_unit(g, gr, code.s, cell.s, UNIT_CELL, 0, "hamlet", 0,
			 ward ? PR_WARD : PR_COMMUNE);
	}
	buf_reset(&cell);
	buf_addf(&cell, "Chi bộ Cơ quan %s %s", word, pname);
	demo_add_unit(g, gr, "CQ", cell.s, UNIT_CELL, 0, "agency", 0, PR_AGENCY);
	if (!g->small && rng_chance(&g->r, 250)) {
		buf_reset(&cell);
		buf_addf(&cell, "Chi bộ Quân sự %s %s", word, pname);
		demo_add_unit(g, gr, "QS", cell.s, UNIT_CELL, 0, "armed_forces", 0, PR_ARMY);
	}
	if (!g->small && rng_chance(&g->r, 200)) {
		buf_reset(&cell);
		buf_addf(&cell, "Chi bộ Trường Tiểu học %s", pname);
		demo_add_unit(g, gr, "TH", cell.s, UNIT_CELL, 0, "school", 0, PR_SCHOOL);
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

	d = demo_add_unit(g, root, dt->code, dt->name, UNIT_UPPER, 1, NULL, 0, PR_WARD);
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
	demo_add_unit(g, d, "THPT", name.s, UNIT_GRASSROOTS, 0, "school", 0, PR_SCHOOL);
	if (!g->small) {
		buf_reset(&name);
		buf_addf(&name, "Đảng bộ Cơ quan Chính quyền %s", dt->where);
		gr = demo_add_unit(g, d, "CQ", name.s, UNIT_GRASSROOTS, 0, "agency", 0, PR_AGENCY);
		add_cells(g, gr, "Văn phòng HĐND và UBND|Phòng Tài chính - Kế hoạch|"
			  "Phòng Giáo dục và Đào tạo|Phòng Nội vụ", "agency", PR_AGENCY);
		buf_reset(&name);
		buf_addf(&name, "Chi bộ Ban Chỉ huy Quân sự %s", dt->where);
		demo_add_unit(g, d, "QS", name.s, UNIT_GRASSROOTS, 0, "armed_forces", 0, PR_ARMY);
		buf_reset(&name);
		buf_addf(&name, "Chi bộ Trung tâm Y tế %s", dt->where);
		demo_add_unit(g, d, "TTYT", name.s, UNIT_GRASSROOTS, 0, "other", 0, PR_HEALTH);
		for (int i = 0, k = rng_int(&g->r, 1, 2); i < k; i++) {
			buf_reset(&name);
			buf_addf(&name, "Chi bộ %s", companies[*company % (int)NELEM(companies)]);
			(*company)++;
			demo_add_unit(g, d, i ? "DN2" : "DN1", name.s, UNIT_GRASSROOTS, 0,
				 "nonstate_enterprise", 0, PR_NONSTATE);
		}
	}
	buf_release(&name);
	buf_release(&item);
}

static void add_bloc(struct gen *g, int root, const struct bloc *b)
{
	int d = demo_add_unit(g, root, b->code, b->name, UNIT_UPPER, 1, NULL, 0, PR_AGENCY);

	g->u[d].suffix = b->suffix;
	g->u[d].khmer = b->khmer;
	g->u[d].hoa = b->hoa;
	for (size_t i = 0; i < b->n; i++) {
		const struct gtpl *t = &b->g[i];
		int gr;
		if (g->small && !t->small)
			continue;
		gr = demo_add_unit(g, d, t->code, t->name, UNIT_GRASSROOTS, t->may_admit, t->sector, 0,
			      t->prof);
		if (t->may_admit)
			g->u[gr].suffix = "ĐU";
		if (t->prof == PR_UNIVERSITY)
			g->u[gr].khmer = 20;
		add_cells(g, gr, t->cells, t->sector, t->prof);
	}
}

void demo_build_units(struct gen *g)
{
	int root, company = 0;

	root = demo_add_unit(g, -1, "CT", "Đảng bộ thành phố Cần Thơ", UNIT_PROVINCE, 1, NULL, 0,
			PR_AGENCY);
	g->u[root].suffix = "TU";
	for (size_t i = 0; i < NELEM(districts); i++)
		if (!g->small || districts[i].small)
			add_district(g, root, &districts[i], &company);
	for (size_t i = 0; i < NELEM(blocs); i++)
		if (!g->small || blocs[i].small)
			add_bloc(g, root, &blocs[i]);
	demo_set_competent(g);
}

/* The competent committee of each considering unit: the nearest
 * may_admit unit at or above its grassroots unit (RULES.md §1). */
void demo_set_competent(struct gen *g)
{
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
