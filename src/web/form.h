/*
 * form.h — the HTML forms of the candidates' pages (page_cand_list.c,
 * page_cand.c, page_step.c, page_person.c): a form's values as typed and
 * its per-field errors, reading typed values out of it, writing its
 * controls, and the code tables people read instead of codes.
 *
 * A struct form owns its values and messages (form_release). Values are
 * read into heap strings the caller frees; a bad value leaves an error
 * on its field and reads as NULL / KN_DATE_NONE / -1. Controls write
 * through html_printf, so every value is escaped at the last moment.
 */
#ifndef KN_FORM_H
#define KN_FORM_H

#include <stddef.h>

#include "core/label.h"
#include "util/buf.h"
#include "util/date.h"
#include "web/http.h"

/* The forms' own code tables (struct code_label, core/label.h; the
 * occupations, qualifications and organisations are core/label.c's,
 * shared with the command line; label_lookup() reads any of them). */
extern const struct code_label form_educations[];
extern const struct code_label form_sexes[];
extern const struct code_label form_intro_orgs[];	/* introducing organisations */
extern const char *const form_ethnicities[];		/* suggestions, NULL-terminated */
extern const char *const form_religions[];

static inline const char *nz(const char *s)
{
	return s ? s : "";
}

struct ferr {
	char *field;
	char *msg;
};

/* A form as shown: every value as typed (or the defaults), and an error
 * message per field that was refused. { 0 } is an empty form. */
struct form {
	struct kvlist vals;
	struct ferr *err;
	size_t nerr;
};

void form_set(struct form *f, const char *key, const char *val);
void form_set_date(struct form *f, const char *key, kn_date d);
/* Every posted field but the CSRF token, unless already set. */
void form_copy(struct form *f, const struct kvlist *in);
const char *form_get(const struct form *f, const char *key);
void form_err(struct form *f, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *form_errmsg(const struct form *f, const char *field);
void form_release(struct form *f);

/* The NFC text of a field, trimmed (and with `one_line`, every run of
 * white space made one space; else CR LF made LF) as a heap string; NULL
 * when empty. An invalid or overlong value is an error on the field. */
char *form_text(struct form *f, const char *field, int one_line, size_t max);
char *form_text_required(struct form *f, const char *field, int one_line, size_t max);
kn_date form_date(struct form *f, const char *field, int required);
/* A whole number >= 0; -1 when empty or wrong. */
int form_count(struct form *f, const char *field);
int form_flag(const struct form *f, const char *field);
/* A code from table t (NULL when empty); anything else is an error. */
char *form_code(struct form *f, const char *field, const struct code_label *t);

/* The field's error message, and its aria attributes. */
void form_field_error(struct buf *b, const struct form *f, const char *name);
void form_field_attrs(struct buf *b, const struct form *f, const char *name);
/* <label>Label <input …> error</label>; type is a literal ("text",
 * "date", "number", "tel"); extra is trusted markup (attributes). A "date"
 * is a text field typed and shown as dd/mm/yyyy (page_date_input). */
void form_input(struct buf *b, const struct form *f, const char *name, const char *label,
		const char *type, const char *extra);
void form_textarea(struct buf *b, const struct form *f, const char *name, const char *label,
		   const char *extra);
/* A select of table t, with an empty first choice when `empty` is given;
 * a value that is not in the table (an imported one) is kept as a choice. */
void form_select(struct buf *b, const struct form *f, const char *name, const char *label,
		 const struct code_label *t, const char *empty, const char *extra);
void form_checkbox(struct buf *b, const struct form *f, const char *name, const char *label);
void form_datalist(struct buf *b, const char *id, const char *const *v);
/* "Some fields need correcting" when the form has errors. */
void form_errors_banner(struct buf *b, const struct form *f);

/* "column: message" lines of ledger_step onto the form's fields (map:
 * pairs of the column and its field's name on this form, NULL-ended),
 * the rest into `other`. */
void form_lines(struct form *f, const char *lines, const char *const *map, struct buf *other);

#endif
