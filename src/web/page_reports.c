/*
 * page_reports.c — the reports of FORMATS.md on the web: GET /reports
 * shows one with pickers for the kind, the unit, the period and the
 * as-of date (the table, the summary paragraph, and for achievement,
 * ranking and funnel the chart); GET /reports/KIND.csv|.xlsx|.json|.html
 * with the same parameters sends it as a file.
 *
 * The parameters mean what the options of `ketnap report` mean, and the
 * report is built by report_build() and written by the same writers
 * (report_cell_human for every cell of the page, report_write_csv / json /
 * xlsx / html for the files), so the page, the files and the command give
 * the same figures in the same words; the CSV is byte for byte the
 * command's. A report is always of a unit inside the user's subtree (by
 * default the user's own unit); any other unit answers 404, as if it did
 * not exist.
 *
 * The printable page of io/html.c carries its stylesheet inline (it must
 * stand alone when saved or mailed), which the site's strict
 * Content-Security-Policy refuses; that one response gets its own policy
 * allowing exactly its style block and style attributes by their SHA-256
 * hashes, and nothing else (no script, no fetch, no form).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "core/report.h"
#include "core/unitree.h"
#include "io/html.h"
#include "io/report_text.h"
#include "io/xlsx.h"
#include "util/date.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "web/handlers.h"
#include "web/page.h"
#include "io/chart.h"
#include "util/banned.h"

/* Report kinds as people name them, in the order of the picker. */
static const char *const kind_labels[REPORT__COUNT] = {
	N_("Admissions against quota"),
	N_("Admissions by structure category"),
	N_("Steps recorded in the period"),
	N_("Nominating organisations"),
	N_("Open deadlines"),
	N_("Ranking of units"),
	N_("Summary of the year"),
};

/* File names: ketqua-ketnap-2025.xlsx … */
static const char *const kind_files[REPORT__COUNT] = {
	"ketqua-ketnap", "cocau-ketnap", "pheu-ketnap", "nguon-ketnap", "thoihan-ketnap",
	"xephang-ketnap",
	"tongket-ketnap",
};

/* What a request asks for, checked. */
struct params {
	int kind;
	struct unode *unit;
	int year;		/* 0 when the period is from..to */
	kn_date from, to;
	kn_date as_of;		/* KN_DATE_NONE: today */
	int as_of_given;
	int depth, level;
};

/* A query parameter, NULL when absent or empty (an unfilled form field). */
static const char *param(struct request *rq, const char *key)
{
	const char *v = kv_get(&rq->query, key);
	return v && *v ? v : NULL;
}

static int parse_int(const char *v, int min, int max, int *out)
{
	char *end;
	long n;
	errno = 0;
	n = strtol(v, &end, 10);
	if (end == v || *end || errno || n < min || n > max)
		return -1;
	*out = (int)n;
	return 0;
}

/* Read the parameters into p, as `ketnap report` reads its options.
 * Returns 0; or 400 with the reason in msg; or 404 for a unit that does
 * not exist or lies outside the user's subtree. */
static int read_params(struct request *rq, struct params *p, struct buf *msg)
{
	const char *v;
	kn_date today = date_today();

	memset(p, 0, sizeof(*p));
	p->kind = REPORT_ACHIEVEMENT;
	p->from = p->to = p->as_of = KN_DATE_NONE;
	p->depth = 1;
	p->level = 1;

	/* The unit first: outside the subtree nothing else is said. */
	v = param(rq, "unit");
	p->unit = v ? unitree_find(req_tree(rq), v) : req_scope(rq);
	if (!p->unit || !req_can_see(rq, p->unit->u.code))
		return 404;

	if ((v = param(rq, "kind")) && (p->kind = report_kind_parse(v)) < 0) {
		buf_addf(msg, _("There is no report '%s'."), v);
		p->kind = REPORT_ACHIEVEMENT;
		return 400;
	}
	if ((v = param(rq, "as_of"))) {
		if (date_parse(v, &p->as_of) != 0) {
			buf_addf(msg, _("'%s' is not a date; write DD/MM/YYYY or YYYY-MM-DD."), v);
			return 400;
		}
		p->as_of_given = 1;
	}
	if ((v = param(rq, "depth")) && parse_int(v, 0, 100, &p->depth) != 0) {
		buf_addf(msg, "%s", _("The depth must be a whole number from 0 to 100."));
		return 400;
	}
	if ((v = param(rq, "level")) && parse_int(v, 1, 100, &p->level) != 0) {
		buf_addf(msg, "%s", _("The level must be a whole number from 1 to 100."));
		return 400;
	}
	/* The period: from and to together, else a year. A form sends its
	 * year field too; a period typed in wins over it. */
	const char *from = param(rq, "from"), *to = param(rq, "to");
	if (from || to) {
		if (!from || !to) {
			buf_addf(msg, "%s", _("Give both ends of the period, or a year."));
			return 400;
		}
		if (date_parse(from, &p->from) != 0 || date_parse(to, &p->to) != 0) {
			buf_addf(msg, _("'%s' is not a date; write DD/MM/YYYY or YYYY-MM-DD."),
				 date_parse(from, &p->from) != 0 ? from : to);
			return 400;
		}
		if (p->to < p->from) {
			buf_addf(msg, "%s", _("The period ends before it begins."));
			return 400;
		}
	} else {
		if ((v = param(rq, "year")) && parse_int(v, 1900, 2100, &p->year) != 0) {
			buf_addf(msg, "%s", _("The year must be a number from 1900 to 2100."));
			return 400;
		}
		if (!p->year)
			p->year = date_year(p->as_of != KN_DATE_NONE ? p->as_of : today);
		p->from = date_from_ymd(p->year, 1, 1);
		p->to = date_from_ymd(p->year, 12, 31);
	}
	/* Deadlines of a past period: as they stood at its end. */
	if (p->as_of == KN_DATE_NONE && p->to < today)
		p->as_of = p->to;
	return 0;
}

/* The query string of p (the normalised parameters), for links. */
static void params_query(const struct params *p, struct buf *out)
{
	char d[11];
	buf_adds(out, "unit=");
	url_encode(out, p->unit->u.code);
	if (p->year) {
		buf_addf(out, "&year=%d", p->year);
	} else {
		date_format_iso(p->from, d);
		buf_addf(out, "&from=%s", d);
		date_format_iso(p->to, d);
		buf_addf(out, "&to=%s", d);
	}
	if (p->as_of_given) {
		date_format_iso(p->as_of, d);
		buf_addf(out, "&as_of=%s", d);
	}
	if (p->depth != 1)
		buf_addf(out, "&depth=%d", p->depth);
	if (p->level != 1)
		buf_addf(out, "&level=%d", p->level);
}

/* Build the report of p; for `whole`, the year-end review as the command
 * writes it to a page or a workbook: the summary, then every other
 * report. Returns the number built (0 on failure, err says why). */
static size_t build(struct request *rq, const struct params *p, int whole,
		    struct report *out[REPORT__COUNT], struct buf *err)
{
	struct report_opts o;
	size_t n = 0;

	memset(&o, 0, sizeof(o));
	o.unit = p->unit->u.code;
	o.tree = req_tree(rq);	/* the server's: no units read per report */
	o.from = p->from;
	o.to = p->to;
	o.as_of = p->as_of;
	o.depth = p->depth;
	o.level = p->level;
	o.lang = rq->lang;
	for (int k = whole ? 0 : p->kind; k <= (whole ? REPORT__COUNT - 1 : p->kind); k++) {
		int kk = whole ? (k == 0 ? REPORT_SUMMARY : k - 1) : k;
		if (report_build(rq->store, rq->cal, (enum report_kind)kk, &o, &out[n], err) != KN_OK) {
			for (size_t i = 0; i < n; i++)
				report_free(out[i]);
			return 0;
		}
		n++;
	}
	return n;
}

/* ---- the page ---- */

static void option(struct buf *b, const char *value, const char *label, int selected)
{
	html_printf(b, "<option value=\"%s\"%S>%s</option>", value,
		    selected ? " selected" : "", label);
}

/* The unit picker: the user's unit and the units below it, in tree
 * order, indented by level, down to `max` levels (page_units_depth():
 * at a nation's root a whole subtree was 325 k options, 65 MB of page
 * built at each request); *listed set when sel was among them. */
static void unit_options(struct buf *b, const struct unode *n, int depth, int max,
			 const struct unode *sel, int *listed)
{
	struct buf label = BUF_INIT;
	for (int i = 0; i < depth && i < 12; i++)
		buf_adds(&label, "\xc2\xa0\xc2\xa0");	/* two no-break spaces a level */
	buf_addf(&label, "%s (%s)", n->u.name, n->u.code);
	option(b, n->u.code, label.s, n == sel);
	buf_release(&label);
	*listed |= n == sel;
	for (size_t i = 0; depth < max && i < n->nchildren; i++)
		unit_options(b, n->children[i], depth + 1, max, sel, listed);
}

static void date_value(struct buf *b, const char *name, const char *label, kn_date d, int show)
{
	char iso[11] = "";
	if (show && d != KN_DATE_NONE)
		date_format_iso(d, iso);
	html_printf(b, "<label>%s ", label);
	page_date_input(b, name, iso, NULL);
	html_printf(b, "</label>\n");
}

static void form(struct request *rq, struct response *rs, const struct params *p)
{
	struct buf *b = &rs->body;
	char y[8];

	html_printf(b, "<form method=\"get\" action=\"/reports\" class=\"grid picker no-print\">\n"
		    "<label>%s <select name=\"kind\">", _("Report"));
	for (int k = 0; k < REPORT__COUNT; k++)
		option(b, report_kind_name((enum report_kind)k), _(kind_labels[k]), k == p->kind);
	html_printf(b, "</select></label>\n<label>%s <select name=\"unit\">", _("Unit"));
	int listed = 0;
	unit_options(b, req_scope(rq), 0, page_units_depth(req_scope(rq)), p->unit, &listed);
	if (!listed && p->unit) {	/* deeper than the list goes: the unit shown */
		struct buf label = BUF_INIT;
		buf_addf(&label, "%s (%s)", p->unit->u.name, p->unit->u.code);
		option(b, p->unit->u.code, label.s, 1);
		buf_release(&label);
	}
	snprintf(y, sizeof(y), "%d", p->year ? p->year : date_year(date_today()));
	html_printf(b, "</select></label>\n<label>%s <input type=\"number\" name=\"year\" min=\"1900\" "
		    "max=\"2100\" value=\"%s\"></label>\n", _("Year"), y);
	date_value(b, "from", _("or from"), p->from, !p->year);
	date_value(b, "to", _("to"), p->to, !p->year);
	date_value(b, "as_of", _("As of"), p->as_of, p->as_of_given);
	snprintf(y, sizeof(y), "%d", p->depth);
	html_printf(b, "<label>%s <input type=\"number\" name=\"depth\" min=\"0\" max=\"100\" "
		    "value=\"%s\"></label>\n", _("Levels shown (achievement)"), y);
	snprintf(y, sizeof(y), "%d", p->level);
	html_printf(b, "<label>%s <input type=\"number\" name=\"level\" min=\"1\" max=\"100\" "
		    "value=\"%s\"></label>\n", _("Level ranked (ranking)"), y);
	html_printf(b, "<button type=\"submit\">%s</button>\n</form>\n", _("Show"));
}

static int col_find(const struct report *r, const char *key)
{
	for (size_t c = 0; c < r->ncols; c++)
		if (strcmp(r->cols[c].key, key) == 0)
			return (int)c;
	return -1;
}

static int numeric(enum rcol_type t)
{
	return t == RC_INT || t == RC_PERCENT;
}

/* The report's table: every cell as report_cell_human writes it; the
 * tree depth as indentation; units link to their dashboard, people to
 * their page (both inside the subtree, as the whole report is). */
static void table(struct request *rq, struct response *rs, const struct report *r)
{
	struct buf *b = &rs->body;
	int cdepth = r->depth ? col_find(r, "depth") : -1;
	int cname = col_find(r, "name");
	int cunit = r->kind == REPORT_DEADLINES ? -1 : col_find(r, "unit");
	int cperson = r->kind == REPORT_DEADLINES ? col_find(r, "person") : -1;
	int cstatus = r->kind == REPORT_DEADLINES ? col_find(r, "status") : -1;
	struct buf cell = BUF_INIT, href = BUF_INIT;

	if (r->ncols == 0)
		return;
	if (r->nrows == 0) {
		html_printf(b, "<p class=\"muted\">%s</p>\n", _("No rows."));
		return;
	}
	html_printf(b, "<div class=\"scroll\"><table class=\"report\">\n<thead><tr>");
	for (size_t c = 0; c < r->ncols; c++) {
		if ((int)c == cdepth)
			continue;
		/* Labels are msgids; _("") would be the catalogue header. */
		html_printf(b, "<th%S>%s</th>", numeric(r->cols[c].type) ? " class=\"num\"" : "",
			    r->cols[c].label && *r->cols[c].label ? _(r->cols[c].label)
								 : r->cols[c].key);
	}
	html_printf(b, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r->nrows; i++) {
		int d = r->depth ? r->depth[i] : -1;
		int overdue = cstatus >= 0 && report_cell(r, i, (size_t)cstatus)->text &&
			      strcmp(report_cell(r, i, (size_t)cstatus)->text, "overdue") == 0;
		html_printf(b, "<tr%S>", overdue ? " class=\"overdue\"" : d == 0 ? " class=\"lead\"" : "");
		for (size_t c = 0; c < r->ncols; c++) {
			const struct rcell *x = report_cell(r, i, c);
			char cls[16] = "";
			if ((int)c == cdepth)
				continue;
			buf_reset(&cell);
			report_cell_human(r, i, c, &cell);
			if (numeric(r->cols[c].type))
				snprintf(cls, sizeof(cls), " class=\"num\"");
			else if ((int)c == cname && d > 0)
				snprintf(cls, sizeof(cls), " class=\"d%d\"", d < 9 ? d : 9);
			html_printf(b, "<td%S>", cls);
			if (((int)c == cunit || (int)c == cperson) && !x->null && x->text) {
				buf_reset(&href);
				buf_adds(&href, (int)c == cunit ? "/units/" : "/people/");
				url_encode(&href, x->text);
				html_printf(b, "<a href=\"%s\">%s</a>", href.s, cell.s);
			} else {
				html_printf(b, "%s", cell.s);
			}
			html_printf(b, "</td>");
		}
		html_printf(b, "</tr>\n");
	}
	html_printf(b, "</tbody></table></div>\n");
	buf_release(&cell);
	buf_release(&href);
}

/* A summary as paragraphs: a blank line separates two. */
static void summary(struct buf *b, const char *s)
{
	struct buf para = BUF_INIT;
	while (*s) {
		const char *end = strstr(s, "\n\n");
		size_t len = end ? (size_t)(end - s) : strlen(s);
		buf_reset(&para);
		buf_add(&para, s, len);
		if (para.len)
			html_printf(b, "<p class=\"summary\">%s</p>\n", para.s);
		s += len;
		while (*s == '\n')
			s++;
	}
	buf_release(&para);
}

static void meta(struct response *rs, const struct report *r)
{
	struct buf *b = &rs->body;
	html_printf(b, "<p class=\"muted\">%s: <strong>%s</strong> (%s)", _("Unit"), r->unit_name,
		    r->unit);
	/* The deadlines are of a day, not of a period. */
	if (r->kind != REPORT_DEADLINES) {
		html_printf(b, " · %s: ", _("Period"));
		page_date(rs, r->from);
		html_printf(b, "–");
		page_date(rs, r->to);
	}
	html_printf(b, " · %s ", _("figures as of"));
	page_date(rs, r->as_of);
	html_printf(b, "</p>\n");
}

static void downloads(struct response *rs, const struct params *p)
{
	static const struct {
		const char *ext, *label;
	} f[] = {
		{ "csv", N_("CSV") },
		{ "xlsx", N_("Excel workbook") },
		{ "json", N_("JSON") },
	};
	struct buf q = BUF_INIT;
	const char *kind = report_kind_name((enum report_kind)p->kind);

	params_query(p, &q);
	html_printf(&rs->body, "<p class=\"downloads no-print\">%s ", _("Download:"));
	for (size_t i = 0; i < sizeof(f) / sizeof(*f); i++)
		html_printf(&rs->body, "<a class=\"button secondary\" href=\"/reports/%s.%s?%s\" "
			    "download>%s</a> ", kind, f[i].ext, q.s, _(f[i].label));
	html_printf(&rs->body, "<a class=\"button secondary\" href=\"/reports/%s.html?%s\" "
		    "target=\"_blank\" rel=\"noopener\">%s</a></p>\n", kind, q.s,
		    p->kind == REPORT_SUMMARY ? _("Printable year-end review")
					      : _("Printable page"));
	buf_release(&q);
}

int h_reports(struct request *rq, struct response *rs)
{
	struct params p;
	struct buf msg = BUF_INIT, err = BUF_INIT;
	struct report *r[REPORT__COUNT] = { 0 };
	int status;

	if (!req_scope(rq))
		return resp_error(rq, rs, 404, _("No such page."));
	if ((status = read_params(rq, &p, &msg)) == 404) {
		buf_release(&msg);
		return resp_error(rq, rs, 404, _("No such page."));
	}
	if (status == 0 && !build(rq, &p, 0, r, &err))
		status = 500;

	page_begin(rq, rs, "reports", _("Reports"));
	form(rq, rs, &p);
	if (status == 400) {
		rs->status = 400;
		html_printf(&rs->body, "<p class=\"error\" role=\"alert\">%s</p>\n", msg.s);
	} else if (status == 500) {
		rs->status = 500;
		html_printf(&rs->body, "<p class=\"error\" role=\"alert\">%s</p>\n",
			    _("The report cannot be built from the database."));
	} else {
		html_printf(&rs->body, "<h2>%s</h2>\n", r[0]->title);
		meta(rs, r[0]);
		downloads(rs, &p);
		if (r[0]->summary)
			summary(&rs->body, r[0]->summary);
		if (r[0]->note)
			html_printf(&rs->body, "<p class=\"muted note\">%s</p>\n", r[0]->note);
		chart_report(&rs->body, r[0]);
		table(rq, rs, r[0]);
	}
	page_end(rq, rs);
	report_free(r[0]);
	buf_release(&msg);
	buf_release(&err);
	return 0;
}

/* ---- the files ---- */

/* The file name: ketqua-ketnap-2025.csv; another unit than the user's
 * adds its code, a period its dates, the deadlines their as-of date. */
static void file_name(struct request *rq, const struct params *p, const char *ext,
		      struct buf *out)
{
	char d[11];
	buf_adds(out, kind_files[p->kind]);
	if (strcmp(p->unit->u.code, rq->user.unit) != 0) {
		buf_addc(out, '-');
		for (const char *c = p->unit->u.code; *c; c++)
			buf_addc(out, (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
					      (*c >= '0' && *c <= '9') || *c == '.' || *c == '-'
					      ? *c : '_');
	}
	if (p->kind == REPORT_DEADLINES) {
		date_format_iso(p->as_of != KN_DATE_NONE ? p->as_of : date_today(), d);
		buf_addf(out, "-%s", d);
	} else if (p->year) {
		buf_addf(out, "-%d", p->year);
	} else {
		date_format_iso(p->from, d);
		buf_addf(out, "-%s", d);
		date_format_iso(p->to, d);
		buf_addf(out, "_%s", d);
	}
	buf_addf(out, ".%s", ext);
}

static void disposition(struct response *rs, const char *how, const char *name)
{
	struct buf h = BUF_INIT;
	buf_addf(&h, "%s; filename=\"%s\"", how, name);
	resp_header(rs, "Content-Disposition", h.s);
	buf_release(&h);
}

/* The workbook through a temporary file (libxlsxwriter writes files). */
static int xlsx_body(struct report *const *r, size_t n, struct buf *out, struct buf *err)
{
	const char *dir = getenv("TMPDIR");
	struct buf path = BUF_INIT;
	char chunk[65536];
	size_t got;
	FILE *f;
	int fd, ok = 0;

	buf_addf(&path, "%s/ketnap-report-XXXXXX", dir && *dir ? dir : "/tmp");
	if ((fd = mkstemp(path.s)) < 0) {
		buf_addf(err, "%s", strerror(errno));
		buf_release(&path);
		return -1;
	}
	close(fd);
	if (report_write_xlsx(r, n, path.s, err) == KN_OK && (f = fopen(path.s, "rb"))) {
		while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_add(out, chunk, got);
		ok = !ferror(f);
		fclose(f);
	}
	unlink(path.s);
	buf_release(&path);
	return ok ? 0 : -1;
}

static void add_hash(struct buf *csp, const char *data, size_t len)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
	crypto_hash_sha256(h, (const unsigned char *)data, len);
	sodium_bin2base64(b64, sizeof(b64), h, sizeof(h), sodium_base64_VARIANT_ORIGINAL);
	buf_addf(csp, " 'sha256-%s'", b64);
}

/* A policy for the printable page: its <style> block and each distinct
 * style attribute, by hash; nothing else may load or run. */
static void printable_csp(struct response *rs, const struct buf *page)
{
	struct buf csp = BUF_INIT;
	const char *s = strstr(page->s, "<style>"), *e;
	char **seen = NULL;
	size_t nseen = 0;

	buf_adds(&csp, "default-src 'none'; style-src");
	if (s && (e = strstr(s, "</style>"))) {
		s += strlen("<style>");
		add_hash(&csp, s, (size_t)(e - s));
	}
	/* Style attributes (the indented rows of a tree). Report text is
	 * escaped, so a quote inside one cannot start an attribute. */
	int attrs = 0;
	for (const char *p = page->s; (p = strstr(p, " style=\"")); ) {
		p += strlen(" style=\"");
		const char *q = strchr(p, '"');
		if (!q)
			break;
		size_t i;
		for (i = 0; i < nseen; i++)
			if (strlen(seen[i]) == (size_t)(q - p) && strncmp(seen[i], p, (size_t)(q - p)) == 0)
				break;
		if (i == nseen) {
			seen = xreallocarray(seen, nseen + 1, sizeof(*seen));
			seen[nseen++] = xstrndup(p, (size_t)(q - p));
			if (!attrs++)
				buf_adds(&csp, " 'unsafe-hashes'");
			add_hash(&csp, p, (size_t)(q - p));
		}
		p = q;
	}
	buf_adds(&csp, "; img-src data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'");
	resp_header(rs, "Content-Security-Policy", csp.s);
	for (size_t i = 0; i < nseen; i++)
		free(seen[i]);
	free(seen);
	buf_release(&csp);
}

int h_report_download(struct request *rq, struct response *rs)
{
	static const char *const exts[] = { "csv", "xlsx", "json", "html" };
	struct params p;
	struct buf msg = BUF_INIT, err = BUF_INIT, name = BUF_INIT, kind = BUF_INIT;
	struct report *r[REPORT__COUNT] = { 0 };
	const char *dot = strrchr(rq->arg, '.');
	size_t n = 0, fmt;
	int k, status;

	if (!dot)
		return resp_error(rq, rs, 404, _("No such page."));
	buf_add(&kind, rq->arg, (size_t)(dot - rq->arg));
	k = report_kind_parse(kind.s);
	buf_release(&kind);
	for (fmt = 0; fmt < sizeof(exts) / sizeof(*exts) && strcmp(dot + 1, exts[fmt]) != 0; fmt++)
		;
	if (k < 0 || fmt == sizeof(exts) / sizeof(*exts) || !req_scope(rq))
		return resp_error(rq, rs, 404, _("No such page."));
	if ((status = read_params(rq, &p, &msg)) != 0) {
		resp_error(rq, rs, status, status == 404 ? _("No such page.") : msg.s);
		buf_release(&msg);
		return 0;
	}
	p.kind = k;	/* the path names the report */
	/* For summary, a workbook and a page carry the whole review. */
	n = build(rq, &p, k == REPORT_SUMMARY && (fmt == 1 || fmt == 3), r, &err);
	if (!n) {
		resp_error(rq, rs, 500, _("The report cannot be built from the database."));
		goto out;
	}
	file_name(rq, &p, exts[fmt], &name);
	switch (fmt) {
	case 0:
		rs->ctype = "text/csv; charset=utf-8";
		report_write_csv(r[0], &rs->body);
		disposition(rs, "attachment", name.s);
		break;
	case 1:
		if (xlsx_body(r, n, &rs->body, &err) != 0) {
			resp_error(rq, rs, 500, _("The workbook cannot be written."));
			goto out;
		}
		rs->ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		disposition(rs, "attachment", name.s);
		break;
	case 2:
		rs->ctype = "application/json";
		report_write_json(r[0], &rs->body);
		disposition(rs, "attachment", name.s);
		break;
	case 3:
		rs->ctype = "text/html; charset=utf-8";
		report_write_html(r, n, &rs->body);
		printable_csp(rs, &rs->body);
		disposition(rs, "inline", name.s);
		break;
	}
out:
	for (size_t i = 0; i < n; i++)
		report_free(r[i]);
	buf_release(&msg);
	buf_release(&err);
	buf_release(&name);
	return 0;
}
