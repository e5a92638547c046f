/*
 * label.c — the code tables of label.h: each code with the English words
 * (the gettext message id, translated when shown). The message ids are the
 * web pages' own where the web shows the same thing, so that both say it in
 * the same words; the tables of a person's and a unit's codes are
 * core/label.c's, shared with the web pages.
 */
#include <string.h>

#include "cmd/label.h"
#include "core/deadline.h"
#include "util/date.h"
#include "util/i18n.h"
#include "util/banned.h"

/* The fact names of the ledger's messages and the options that give them. */
static const struct code_label fact_options[] = {
	{ "doc_no", "--doc" },
	{ "org", "--org" },
	{ "member", "--member" },
	{ "introducer1", "--introducer" },
	{ "introducer1_since", "--introducer" },
	{ "introducer2", "--introducer" },
	{ "introducer2_since", "--introducer" },
	{ "votes_for", "--for" },
	{ "votes_total", "--of" },
	{ "consent", "--consent" },
	{ "override", "--override" },
	{ "note", "--note" },
	{ "date", "--date" },
	{ NULL, NULL },
};

const char *label_step(enum step_code c)
{
	const struct step_info *si = step_info(c);
	if (!si)
		return step_name(c);
	return i18n_is_vi() ? si->label_vi : si->name;
}

const char *label_stage(const char *code)
{
	enum step_code c;
	if (!i18n_is_vi() || !code || !*code)
		return code ? code : "";
	if (strcmp(code, "member") == 0)
		return _("probationary member");
	if (strcmp(code, "official") == 0)
		return _("full member");
	c = step_from_name(code);
	return c == STEP_NONE ? code : label_step(c);
}

static void fact(struct buf *out, const char *label, const char *value)
{
	if (!value || !*value)
		return;
	if (out->len)
		buf_adds(out, "; ");
	buf_addf(out, "%s: %s", label, value);
}

void label_step_facts(const struct step *st, struct buf *out)
{
	char d[11];
	struct buf intro = BUF_INIT, votes = BUF_INIT;

	fact(out, _("document"), st->doc_no);
	fact(out, _("organisation"), label_org(st->org));
	fact(out, _("mentor"), st->member);
	if (st->intro1) {
		buf_adds(&intro, st->intro1);
		if (st->intro1_since != KN_DATE_NONE) {
			date_format_user(st->intro1_since, d);
			buf_addf(&intro, " (%s %s)", _("official since"), d);
		}
	}
	if (st->intro2) {
		buf_addf(&intro, ", %s", st->intro2);
		if (st->intro2_since != KN_DATE_NONE) {
			date_format_user(st->intro2_since, d);
			buf_addf(&intro, " (%s %s)", _("official since"), d);
		}
	}
	fact(out, _("introducers"), intro.s);
	if (st->votes_for >= 0 || st->votes_total >= 0) {
		if (st->votes_for >= 0)
			buf_addf(&votes, "%d", st->votes_for);
		if (st->votes_total >= 0)
			buf_addf(&votes, "/%d", st->votes_total);
		fact(out, _("votes for"), votes.s);
	}
	fact(out, _("consent"), st->consent);
	fact(out, _("override"), st->override);
	fact(out, _("note"), st->note);
	buf_release(&intro);
	buf_release(&votes);
}

void label_deadline(const char *code, struct buf *out)
{
	deadline_label(code, out);
}

const char *label_fact_option(const char *fact)
{
	for (const struct code_label *t = fact_options; t->code; t++)
		if (strcmp(t->code, fact) == 0)
			return t->label;
	return NULL;
}

void label_need_lines(const char *need, struct buf *out)
{
	while (need && *need) {
		const char *nl = strchr(need, '\n');
		size_t len = nl ? (size_t)(nl - need) : strlen(need);
		const char *colon = memchr(need, ':', len);
		const char *opt = NULL;
		if (colon) {
			char name[32];
			size_t n = (size_t)(colon - need);
			if (n < sizeof(name)) {
				memcpy(name, need, n);
				name[n] = '\0';
				opt = label_fact_option(name);
			}
		}
		if (opt) {
			buf_adds(out, opt);
			buf_add(out, colon, len - (size_t)(colon - need));
		} else {
			buf_add(out, need, len);
		}
		buf_addc(out, '\n');
		need = nl ? nl + 1 : need + len;
	}
}
