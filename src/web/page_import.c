/*
 * page_import.c — loading a CSV file from the browser (GET/POST /import,
 * admins): the same importer as `ketnap import` (io/import.c), so the
 * same checks, the same all-or-nothing transaction and the same
 * FILE:LINE: column: message reports. A file is always checked first (a
 * dry run); only then does the page offer to import it for real, by
 * posting the same bytes back (base64 in the form, so they come back
 * byte for byte: nothing is kept on the server between the two requests,
 * and the commit validates everything again).
 *
 * An import is confined to the admin's subtree: before the importer runs,
 * the file goes through the subtree check of core/svc_import.h (the one
 * `ketnap import` runs); a row that would change something outside the
 * subtree (or move a unit out of it) refuses the whole file, named by its
 * line like the importer's own problems. The holiday calendar applies to
 * everyone, so only an admin of a root unit may import holidays.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/svc_import.h"
#include "io/export.h"
#include "io/import.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "web/api_common.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/server.h"
#include "util/banned.h"

static const char *const kind_labels[IO__COUNT] = {
	[IO_UNITS] = N_("Units (units.csv)"),
	[IO_PEOPLE] = N_("People (people.csv)"),
	[IO_QUOTAS] = N_("Quotas (quotas.csv)"),
	[IO_STEPS] = N_("Steps (steps.csv)"),
	[IO_HOLIDAYS] = N_("Holidays (holidays.csv)"),
	[IO_TRANSFERS] = N_("Transfers (transfers.csv)"),	/* issue 15 */
};

/* ---- problems, kept with their line so that the subtree check's and
 * the importer's read top to bottom together ---- */

struct plist {
	struct prob {
		size_t line;
		char *text;
	} *v;
	size_t n;
};

static void plist_add(struct plist *l, size_t line, char *text)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n].line = line;
	l->v[l->n].text = text;
	l->n++;
}

static void plist_free(struct plist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* The importer's report, one problem a line; the line number read back
 * from the "FILE:LINE:" prefix (0 for a message without one). */
static void plist_add_report(struct plist *l, const char *file, const char *report)
{
	size_t flen = strlen(file);
	while (*report) {
		const char *nl = strchr(report, '\n');
		size_t n = nl ? (size_t)(nl - report) : strlen(report);
		size_t line = 0;
		if (n > flen + 1 && strncmp(report, file, flen) == 0 && report[flen] == ':')
			for (const char *p = report + flen + 1; *p >= '0' && *p <= '9'; p++)
				line = line * 10 + (size_t)(*p - '0');
		if (n)
			plist_add(l, line, xstrndup(report, n));
		report += n + (nl != NULL);
	}
}

/* Sort by line, keeping the order of problems of one line. */
static void plist_sort(struct plist *l)
{
	/* Insertion sort: stable, and the lists are nearly sorted already
	 * (two sorted runs). */
	for (size_t i = 1; i < l->n; i++) {
		struct prob p = l->v[i];
		size_t j = i;
		while (j > 0 && l->v[j - 1].line > p.line) {
			l->v[j] = l->v[j - 1];
			j--;
		}
		l->v[j] = p;
	}
}

/* The subtree check (core/svc_import.h) of the file, as problems. */
static void check_scope(struct request *rq, enum io_kind k, const char *file, const char *data,
			size_t len, struct plist *out)
{
	struct actor a = { rq->user.name, rq->user.unit, rq->role };
	struct svc_import_scope sc = { rq->store, req_tree(rq), &a, 0 };
	struct svc_import_problems p = { 0 };

	svc_import_check(&sc, k, data, len, &p);
	for (size_t i = 0; i < p.n; i++) {
		struct buf b = BUF_INIT;
		buf_addf(&b, "%s:%zu: %s: ", file, p.v[i].line, p.v[i].column);
		svc_import_describe(&sc, &p.v[i], &b);
		plist_add(out, p.v[i].line, buf_detach(&b));
	}
	svc_import_problems_release(&p);
}

/* ---- the page ---- */

/* import_opts.may_override: may this user override the rules for a
 * person considered by unit_code? */
static int may_override(void *arg, const char *unit_code)
{
	return api_may_override(arg, unit_code);
}

/* The name the file is reported under: the upload's base name, without
 * any path a browser may send. */
static void file_label(const char *name, struct buf *out)
{
	const char *base = name ? name : "";
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	buf_reset(out);
	if (!*base || !text_is_valid_utf8(base) || strlen(base) > 200)
		base = "upload.csv";
	for (const char *p = base; *p; p++)
		buf_addc(out, (unsigned char)*p < 0x20 ? '_' : *p);
}

static void kind_select(struct response *rs, int selected)
{
	html_printf(&rs->body, "<label>%s <select name=\"kind\" required>", _("List"));
	for (int k = 0; k < IO__COUNT; k++)
		html_printf(&rs->body, "<option value=\"%s\"%S>%s</option>", io_kind_name(k),
			    k == selected ? " selected" : "", _(kind_labels[k]));
	html_printf(&rs->body, "</select></label>\n");
}

static void upload_form(struct request *rq, struct response *rs, int kind, const char *override)
{
	html_printf(&rs->body, "<form method=\"post\" action=\"/import\" enctype=\"multipart/form-data\" "
		    "class=\"grid admin\">\n");
	page_csrf(rq, rs);
	kind_select(rs, kind);
	html_printf(&rs->body,
		    "<label>%s <input type=\"file\" name=\"file\" accept=\".csv,text/csv\" required></label>\n"
		    "<label>%s <input name=\"override\" value=\"%s\" maxlength=\"500\"></label>\n"
		    "<div><button type=\"submit\">%s</button></div>\n</form>\n",
		    _("CSV file"), _("Override reason (steps only, optional)"),
		    override ? override : "", _("Check the file"));
}

static void form_intro(struct response *rs)
{
	html_printf(&rs->body,
		    "<p>%s</p>\n<p class=\"muted\">%s</p>\n",
		    _("Load a list kept in a spreadsheet: save it as CSV (UTF-8, ',' or ';' between "
		      "columns, the column names on the first line) and choose which list it is. The "
		      "file is checked first and nothing is written until you confirm."),
		    _("An import is all or nothing: one bad row and nothing is written; every bad row "
		      "is named by its line. Re-importing the same file changes nothing."));
}

int h_import_form(struct request *rq, struct response *rs)
{
	enum io_kind k = IO_PEOPLE;
	const char *want = kv_get(&rq->query, "kind");
	if (want)
		io_kind_parse(want, &k);
	page_begin(rq, rs, "import", _("Import a CSV file"));
	form_intro(rs);
	upload_form(rq, rs, (int)k, NULL);
	page_end(rq, rs);
	return 0;
}

static void summary_table(struct response *rs, const char *file, const struct import_stats *st)
{
	html_printf(&rs->body,
		    "<table class=\"admin summary\"><thead><tr><th>%s</th><th class=\"num\">%s</th>"
		    "<th class=\"num\">%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th>"
		    "</tr></thead>\n<tbody><tr><td class=\"code\">%s</td><td class=\"num\">",
		    _("File"), _("Rows"), _("Added"), _("Updated"), _("Unchanged"), file);
	page_int(rs, (long long)st->rows);
	html_printf(&rs->body, "</td><td class=\"num\">");
	page_int(rs, (long long)st->added);
	html_printf(&rs->body, "</td><td class=\"num\">");
	page_int(rs, (long long)st->updated);
	html_printf(&rs->body, "</td><td class=\"num\">");
	page_int(rs, (long long)st->unchanged);
	html_printf(&rs->body, "</td></tr></tbody></table>\n");
}

/* The form that posts the checked file back to import it for real. */
static void commit_form(struct request *rq, struct response *rs, enum io_kind k, const char *file,
			const char *data, size_t len, const char *override)
{
	size_t cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = xmalloc(cap);
	sodium_bin2base64(b64, cap, (const unsigned char *)data, len,
			  sodium_base64_VARIANT_ORIGINAL);
	html_printf(&rs->body,
		    "<form method=\"post\" action=\"/import\" enctype=\"multipart/form-data\">\n");
	page_csrf(rq, rs);
	html_printf(&rs->body,
		    "<input type=\"hidden\" name=\"kind\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"name\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"override\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"commit\" value=\"1\">"
		    "<input type=\"hidden\" name=\"data\" value=\"%s\">\n"
		    "<button type=\"submit\">%s</button> <a class=\"button secondary\" href=\"/import\">%s</a>\n"
		    "</form>\n",
		    io_kind_name(k), file, override ? override : "", b64, _("Import for real"),
		    _("Cancel"));
	free(b64);
}


/* issue 15: identity — the importer's warnings (possible duplicates,
 * RULES.md §10), which refuse nothing, one item a line. */
static void import_warnings(struct response *rs, const struct buf *warn)
{
	if (!warn->len)
		return;
	html_printf(&rs->body, "<h2>%s</h2>\n<ul class=\"warnings\">\n", _("Possible duplicates"));
	for (const char *l = warn->s; *l;) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);
		struct buf one = BUF_INIT;
		buf_add(&one, l, n);
		html_printf(&rs->body, "<li>%s</li>\n", one.s);
		buf_release(&one);
		l += n + (nl != NULL);
	}
	html_printf(&rs->body, "</ul>\n");
}

int h_import(struct request *rq, struct response *rs)
{
	const struct kv *upload = kv_find(&rq->form, "file");
	const char *kind = kv_get(&rq->form, "kind");
	const char *b64 = kv_get(&rq->form, "data");
	const char *ovr_in = kv_get(&rq->form, "override");
	int commit = kv_get(&rq->form, "commit") && strcmp(kv_get(&rq->form, "commit"), "1") == 0;
	struct unode *scope = req_scope(rq);
	struct buf file = BUF_INIT, err = BUF_INIT, ovr = BUF_INIT;
	struct buf warn = BUF_INIT;	/* issue 15: possible duplicates */
	struct import_opts io = { 0 };
	struct import_stats st;
	struct plist probs = { 0 };
	char *decoded = NULL;
	const char *data = NULL;
	size_t len = 0;
	enum io_kind k;
	enum kn_err e;

	if (!scope)
		return resp_error(rq, rs, 403, _("Your account's unit no longer exists."));
	if (!kind || io_kind_parse(kind, &k) != 0)
		return resp_error(rq, rs, 400, _("Choose which list the file holds."));
	if (ovr_in && *ovr_in) {
		if (text_nfc(ovr_in, &ovr) != 0)
			return resp_error(rq, rs, 400, _("The override reason is not valid UTF-8 text."));
	}

	if (upload && upload->len) {
		data = upload->val;
		len = upload->len;
		file_label(upload->filename, &file);
	} else if (b64 && *b64) {
		size_t blen = strlen(b64);
		decoded = xmalloc(blen / 4 * 3 + 4);
		if (sodium_base642bin((unsigned char *)decoded, blen / 4 * 3 + 3, b64, blen, "\r\n",
				      &len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
			free(decoded);
			return resp_error(rq, rs, 400, _("The form was damaged; upload the file again."));
		}
		decoded[len] = '\0';
		data = decoded;
		file_label(kv_get(&rq->form, "name"), &file);
	} else {
		rs->status = 400;
		page_begin(rq, rs, "import", _("Import a CSV file"));
		html_printf(&rs->body, "<p class=\"error\" role=\"alert\">%s</p>\n",
			    _("Choose a file to import."));
		upload_form(rq, rs, (int)k, ovr.s);
		page_end(rq, rs);
		buf_release(&ovr);
		return 0;
	}

	io.actor = rq->user.name;
	io.cal = rq->cal;
	io.override = ovr.len ? ovr.s : NULL;
	/* An override needs an approver or admin above the candidate's unit
	 * (RULES.md §3), as on the step form. */
	io.may_override = may_override;
	io.may_override_arg = rq;
	io.actor_unit = rq->user.unit;
	io.warnings = &warn;

	memset(&st, 0, sizeof(st));
	/* A file of another kind (or no CSV at all) is refused on its header
	 * alone, before its rows are looked at. */
	if ((e = import_check_header(k, file.s, data, len, &err)) != KN_OK) {
		for (size_t i = 0; i < err.len; i++)
			st.problems += err.s[i] == '\n';
	} else if ((e = store_begin(rq->store)) != KN_OK) {
		/* One transaction around the subtree check and the import, so
		 * that what was checked is what is written. */
		buf_addf(&err, "%s\n", store_errmsg(rq->store));
	} else {
		check_scope(rq, k, file.s, data, len, &probs);
		io.dry_run = !commit || probs.n;
		e = import_csv(rq->store, k, file.s, data, len, &io, &st, &err);
		if (e != KN_OK || io.dry_run || probs.n) {
			store_rollback(rq->store);
		} else if ((e = store_commit(rq->store)) != KN_OK) {
			buf_addf(&err, "%s\n", store_errmsg(rq->store));
		}
	}
	int io_fail = e == KN_EIO || e == KN_ENOMEM || e == KN_ECONFLICT;
	int refused = !io_fail && (e != KN_OK || probs.n);
	size_t nproblems = probs.n + st.problems;

	page_begin(rq, rs, "import", _("Import a CSV file"));
	if (io_fail) {
		rs->status = 500;
		html_printf(&rs->body, "<p class=\"error\" role=\"alert\">%s</p>\n<pre class=\"code\">%s</pre>\n",
			    _("The import failed; nothing was written."), err.s);
		upload_form(rq, rs, (int)k, ovr.s);
	} else if (refused) {
		rs->status = 422;
		plist_add_report(&probs, file.s, err.s);
		plist_sort(&probs);
		struct buf num = BUF_INIT;
		text_int(&num, (long long)nproblems);
		html_printf(&rs->body, "<p class=\"error\" role=\"alert\">");
		html_printf(&rs->body, ngettext("Import refused: %s problem; nothing was written.",
						"Import refused: %s problems; nothing was written.",
						nproblems), num.s);
		html_printf(&rs->body, "</p>\n");
		buf_release(&num);
		html_printf(&rs->body, "<ul class=\"violations problems\">\n");
		for (size_t i = 0; i < probs.n; i++)
			html_printf(&rs->body, "<li>%s</li>\n", probs.v[i].text);
		html_printf(&rs->body, "</ul>\n<h2>%s</h2>\n", _("Upload a corrected file"));
		upload_form(rq, rs, (int)k, ovr.s);
	} else if (!commit) {
		html_printf(&rs->body, "<p class=\"notice\">%s</p>\n",
			    _("Dry run: the file is valid; nothing was written yet."));
		summary_table(rs, file.s, &st);
		import_warnings(rs, &warn);
		if (st.added + st.updated == 0) {
			html_printf(&rs->body, "<p>%s</p>\n<p><a href=\"/import\">%s</a></p>\n",
				    _("The file changes nothing: every row is already in the database."),
				    _("Import another file"));
		} else {
			html_printf(&rs->body, "<p>%s</p>\n",
				    _("Import it for real? The file is checked again as it is written."));
			commit_form(rq, rs, k, file.s, data, len, ovr.s);
		}
	} else {
		if (k == IO_HOLIDAYS)
			server_reload_calendar(rq);
		html_printf(&rs->body, "<p class=\"notice\" role=\"status\">%s</p>\n",
			    _("Imported: the changes are written and in the audit log."));
		summary_table(rs, file.s, &st);
		import_warnings(rs, &warn);
		html_printf(&rs->body, "<p><a href=\"/import\">%s</a> · <a href=\"/admin/audit?actor=",
			    _("Import another file"));
		url_encode(&rs->body, rq->user.name);
		html_printf(&rs->body, "\">%s</a></p>\n", _("See the audit log"));
	}
	page_end(rq, rs);

	plist_free(&probs);
	free(decoded);
	buf_release(&warn);
	buf_release(&file);
	buf_release(&err);
	buf_release(&ovr);
	return 0;
}
