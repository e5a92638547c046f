/*
 * form.c — the candidates' pages' forms: values as typed with their
 * errors, typed readers, controls, and the code tables (see form.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "web/form.h"
#include "web/page.h"
#include "util/banned.h"


/* ---- code tables: what people read instead of the codes ---- */

const struct code_label form_educations[] = {
	{ "5/12", "5/12" },
	{ "9/12", "9/12" },
	{ "12/12", "12/12" },
	{ NULL, NULL },
};

const struct code_label form_sexes[] = {
	{ "M", N_("Male") },
	{ "F", N_("Female") },
	{ NULL, NULL },
};

/* Introductions by an organisation (with one member). */
const struct code_label form_intro_orgs[] = {
	{ "youth_union", N_("Youth Union") },
	{ "trade_union", N_("Trade Union") },
	{ NULL, NULL },
};

/* Suggestions for free-text fields (the 54 ethnic groups; common form_religions). */
const char *const form_ethnicities[] = {
	"Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "Dao", "Gia Rai",
	"Ê Đê", "Ba Na", "Sán Chay", "Chăm", "Cơ Ho", "Xơ Đăng", "Sán Dìu", "Hrê", "Ra Glai",
	"Mnông", "Thổ", "Xtiêng", "Khơ Mú", "Bru - Vân Kiều", "Cơ Tu", "Giáy", "Tà Ôi", "Mạ",
	"Giẻ - Triêng", "Co", "Chơ Ro", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "Kháng", "La Chí",
	"Phù Lá", "La Hủ", "La Ha", "Pà Thẻn", "Chứt", "Lự", "Lô Lô", "Mảng", "Cờ Lao", "Bố Y",
	"Cống", "Ngái", "Si La", "Pu Péo", "Rơ Măm", "Brâu", "Ơ Đu", NULL,
};

const char *const form_religions[] = {
	"Phật giáo", "Công giáo", "Tin lành", "Cao Đài", "Hòa Hảo", "Khmer Theravada", "Hồi giáo",
	NULL,
};



/* ---- form values and their errors ---- */

void form_set(struct form *f, const char *key, const char *val)
{
	for (size_t i = 0; i < f->vals.n; i++)
		if (strcmp(f->vals.v[i].key, key) == 0) {
			free(f->vals.v[i].val);
			f->vals.v[i].val = xstrdup(nz(val));
			f->vals.v[i].len = strlen(f->vals.v[i].val);
			return;
		}
	f->vals.v = xreallocarray(f->vals.v, f->vals.n + 1, sizeof(*f->vals.v));
	struct kv *k = &f->vals.v[f->vals.n++];
	k->key = xstrdup(key);
	k->val = xstrdup(nz(val));
	k->len = strlen(k->val);
	k->filename = NULL;
}

void form_set_date(struct form *f, const char *key, kn_date d)
{
	char iso[11] = "";
	if (d != KN_DATE_NONE)
		date_format_iso(d, iso);
	form_set(f, key, iso);
}

void form_copy(struct form *f, const struct kvlist *in)
{
	for (size_t i = 0; i < in->n; i++)
		if (strcmp(in->v[i].key, "csrf") != 0 && !kv_get(&f->vals, in->v[i].key))
			form_set(f, in->v[i].key, in->v[i].val);
}

const char *form_get(const struct form *f, const char *key)
{
	return f ? kv_get(&f->vals, key) : NULL;
}

void form_err(struct form *f, const char *field, const char *fmt, ...)
{
	struct buf m = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&m, fmt, ap);
	va_end(ap);
	f->err = xreallocarray(f->err, f->nerr + 1, sizeof(*f->err));
	f->err[f->nerr].field = xstrdup(field);
	f->err[f->nerr].msg = buf_detach(&m);
	f->nerr++;
}

const char *form_errmsg(const struct form *f, const char *field)
{
	for (size_t i = 0; f && i < f->nerr; i++)
		if (strcmp(f->err[i].field, field) == 0)
			return f->err[i].msg;
	return NULL;
}

void form_release(struct form *f)
{
	for (size_t i = 0; i < f->vals.n; i++) {
		free(f->vals.v[i].key);
		free(f->vals.v[i].val);
	}
	free(f->vals.v);
	for (size_t i = 0; i < f->nerr; i++) {
		free(f->err[i].field);
		free(f->err[i].msg);
	}
	free(f->err);
	memset(f, 0, sizeof(*f));
}

/* ---- reading typed values ---- */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* The NFC text of a field, trimmed (and with `one_line`, every run of
 * white space made one space; else CR LF made LF) as a heap string; NULL
 * when empty. An invalid or overlong value is an error on the field. */
char *form_text(struct form *f, const char *field, int one_line, size_t max)
{
	const char *s = form_get(f, field);
	struct buf t = BUF_INIT, n = BUF_INIT;
	size_t len;

	if (!s)
		return NULL;
	while (is_space(*s))
		s++;
	len = strlen(s);
	while (len && is_space(s[len - 1]))
		len--;
	for (size_t i = 0; i < len; i++) {
		if (one_line && is_space(s[i])) {
			if (t.len && t.s[t.len - 1] != ' ')
				buf_addc(&t, ' ');
		} else if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') {
			continue;
		} else {
			buf_addc(&t, s[i]);
		}
	}
	if (!t.len) {
		buf_release(&t);
		return NULL;
	}
	if (text_nfc(t.s, &n) != 0) {
		form_err(f, field, "%s", _("this is not valid text"));
		buf_release(&t);
		return NULL;
	}
	buf_release(&t);
	if (n.len > max) {
		form_err(f, field, _("too long: at most %zu characters"), max);
		buf_release(&n);
		return NULL;
	}
	return buf_detach(&n);
}

char *form_text_required(struct form *f, const char *field, int one_line, size_t max)
{
	size_t before = f->nerr;
	char *v = form_text(f, field, one_line, max);
	if (!v && f->nerr == before)
		form_err(f, field, "%s", _("this is required"));
	return v;
}

kn_date form_date(struct form *f, const char *field, int required)
{
	const char *s = form_get(f, field);
	kn_date d;
	if (!s || !*s) {
		if (required)
			form_err(f, field, "%s", _("this is required"));
		return KN_DATE_NONE;
	}
	if (date_parse(s, &d) != 0) {
		form_err(f, field, "%s", _("not a date; write DD/MM/YYYY"));
		return KN_DATE_NONE;
	}
	return d;
}

int form_count(struct form *f, const char *field)
{
	const char *s = form_get(f, field);
	long n = 0;
	const char *p = s;
	if (!s || !*s)
		return -1;
	for (; *p >= '0' && *p <= '9' && n <= 100000; p++)
		n = n * 10 + (*p - '0');
	if (*p || n > 100000) {
		form_err(f, field, "%s", _("write a whole number"));
		return -1;
	}
	return (int)n;
}

int form_flag(const struct form *f, const char *field)
{
	const char *s = form_get(f, field);
	return s && (strcmp(s, "1") == 0 || strcmp(s, "on") == 0);
}

/* A code from table t (NULL when empty); anything else is an error. */
char *form_code(struct form *f, const char *field, const struct code_label *t)
{
	const char *s = form_get(f, field);
	if (!s || !*s)
		return NULL;
	for (; t->code; t++)
		if (strcmp(t->code, s) == 0)
			return xstrdup(s);
	form_err(f, field, "%s", _("choose one of the list"));
	return NULL;
}

/* ---- writing form controls ---- */

void form_field_error(struct buf *b, const struct form *f, const char *name)
{
	const char *m = form_errmsg(f, name);
	if (m)
		html_printf(b, "<span class=\"error\" id=\"err-%s\">%s</span>", name, m);
}

void form_field_attrs(struct buf *b, const struct form *f, const char *name)
{
	if (form_errmsg(f, name))
		html_printf(b, " aria-invalid=\"true\" aria-describedby=\"err-%s\"", name);
}

/* <label>Label <input …> error</label>; type is a literal ("text",
 * "date", "number", "tel"); extra is trusted markup (attributes). A "date"
 * is a text field typed and shown as dd/mm/yyyy (page_date_input), not the
 * browser's date control, which follows the browser's locale. */
void form_input(struct buf *b, const struct form *f, const char *name, const char *label,
		  const char *type, const char *extra)
{
	const char *v = form_get(f, name);
	struct buf attrs = BUF_INIT;
	if (strcmp(type, "date") == 0) {
		html_printf(b, "<label>%s ", label);
		buf_adds(&attrs, extra ? extra : "");
		if (form_errmsg(f, name)) {
			html_printf(&attrs, " aria-invalid=\"true\" aria-describedby=\"err-%s\"", name);
		}
		page_date_input(b, name, v, attrs.s);
		buf_release(&attrs);
	} else {
		html_printf(b, "<label>%s <input type=\"%S\" name=\"%s\" value=\"%s\"%S", label,
			    type, name, nz(v), extra ? extra : "");
		form_field_attrs(b, f, name);
		html_printf(b, ">");
	}
	form_field_error(b, f, name);
	html_printf(b, "</label>\n");
}

void form_textarea(struct buf *b, const struct form *f, const char *name, const char *label,
		     const char *extra)
{
	html_printf(b, "<label class=\"wide\">%s <textarea name=\"%s\" rows=\"2\"%S", label, name,
		    extra ? extra : "");
	form_field_attrs(b, f, name);
	html_printf(b, ">%s</textarea>", nz(form_get(f, name)));
	form_field_error(b, f, name);
	html_printf(b, "</label>\n");
}

/* A select of table t, with an empty first choice when `empty` is given;
 * a value that is not in the table (an imported one) is kept as a choice. */
void form_select(struct buf *b, const struct form *f, const char *name,
			 const char *label, const struct code_label *t, const char *empty,
			 const char *extra)
{
	const char *v = nz(form_get(f, name));
	int found = !*v;
	html_printf(b, "<label>%s <select name=\"%s\"%S", label, name, extra ? extra : "");
	form_field_attrs(b, f, name);
	html_printf(b, ">");
	if (empty)
		html_printf(b, "<option value=\"\">%s</option>", empty);
	for (; t->code; t++) {
		int sel = strcmp(v, t->code) == 0;
		found |= sel;
		html_printf(b, "<option value=\"%s\"%S>%s</option>", t->code,
			    sel ? " selected" : "", _(t->label));
	}
	if (!found)
		html_printf(b, "<option value=\"%s\" selected>%s</option>", v, v);
	html_printf(b, "</select>");
	form_field_error(b, f, name);
	html_printf(b, "</label>\n");
}

void form_checkbox(struct buf *b, const struct form *f, const char *name, const char *label)
{
	html_printf(b, "<label class=\"check\"><input type=\"checkbox\" name=\"%s\" value=\"1\"%S> %s"
		    "</label>\n", name, form_flag(f, name) ? " checked" : "", label);
}

void form_datalist(struct buf *b, const char *id, const char *const *v)
{
	html_printf(b, "<datalist id=\"%s\">", id);
	for (; *v; v++)
		html_printf(b, "<option value=\"%s\">", *v);
	html_printf(b, "</datalist>\n");
}

void form_errors_banner(struct buf *b, const struct form *f)
{
	if (f->nerr)
		html_printf(b, "<p class=\"error\" role=\"alert\">%s</p>\n",
			    _("Some fields need correcting; see the messages beside them."));
}

/* "column: message" lines of ledger_step onto the form's fields (map:
 * the column's name on this form), the rest into `other`. */
void form_lines(struct form *f, const char *lines, const char *const *map,
			  struct buf *other)
{
	while (lines && *lines) {
		const char *nl = strchr(lines, '\n');
		size_t len = nl ? (size_t)(nl - lines) : strlen(lines);
		char *line = xstrndup(lines, len);
		char *colon = strstr(line, ": ");
		int placed = 0;
		if (colon) {
			*colon = '\0';
			for (size_t i = 0; map[i]; i += 2)
				if (strcmp(map[i], line) == 0) {
					form_err(f, map[i + 1], "%s", colon + 2);
					placed = 1;
					break;
				}
			if (!placed)
				*colon = ':';
		}
		if (!placed && *line) {
			if (other->len)
				buf_addc(other, ' ');
			buf_adds(other, colon && !placed ? colon + 2 : line);
		}
		free(line);
		lines += len + (nl ? 1 : 0);
	}
}
