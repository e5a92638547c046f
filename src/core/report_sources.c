/*
 * report_sources.c — the `sources` report of FORMATS.md (issue 15): per
 * nominating organisation of the source step (RULES.md §2), how many
 * candidacies of the subtree were put on the list in the period
 * (`sourced`) and how many of the period's admissions it had nominated
 * (`admitted`), then the total. The two columns count different people:
 * a candidate sourced last year and admitted this year is in last year's
 * `sourced` and this year's `admitted`. The figures come from one grouped
 * read of the period's steps in the subtree (store_source_counts).
 *
 * report_source_counts() is also what the summary's sentence on the mass
 * organisations reads (report_summary.c).
 */
#include <string.h>

#include "core/label.h"
#include "util/xalloc.h"
#include "store/store.h"
#include "util/i18n.h"
#include "core/report_impl.h"
#include "util/banned.h"

static const struct rcol sources_cols[] = {
	{ "org", N_("nominated by"), RC_CODE, 0 },
	{ "sourced", N_("sourced"), RC_INT, 0 },
	{ "admitted", N_("admitted"), RC_INT, 0 },
};

enum kn_err report_source_counts(const struct ctx *c, long long sourced[STORE_NORGS],
				 long long admitted[STORE_NORGS], struct buf *err)
{
	enum kn_err e = store_source_counts(c->s, c->scope, c->o->from, c->to, sourced,
					    admitted);
	if (e != KN_OK)
		buf_addf(err, "%s", store_errmsg(c->s));
	return e;
}

enum kn_err report_build_sources(const struct ctx *c, struct report **out, struct buf *err)
{
	long long sourced[STORE_NORGS], admitted[STORE_NORGS], ts = 0, ta = 0;
	enum kn_err e = report_source_counts(c, sourced, admitted, err);
	size_t row;

	if (e != KN_OK)
		return e;
	struct report *r = report_new(REPORT_SOURCES, sources_cols, 3, c);
	report_set_title(r, _("Nominating organisations"), c);
	r->note = xstrdup(_("Sourced: the candidacies whose source step is dated in the period. "
			    "Admitted: the admissions of the period, by the organisation that "
			    "nominated them, whenever that was."));
	for (size_t i = 0; i < STORE_NORGS && label_orgs[i].code; i++) {
		row = report_add_row(r);
		report_set_text(r, row, 0, label_orgs[i].code);
		report_set_label(r, row, 0, _(label_orgs[i].label));
		report_set_num(r, row, 1, sourced[i], 0);
		report_set_num(r, row, 2, admitted[i], 0);
		ts += sourced[i];
		ta += admitted[i];
	}
	row = report_add_row(r);
	report_set_text(r, row, 0, "total");
	report_set_label(r, row, 0, _("Total"));
	report_set_num(r, row, 1, ts, 0);
	report_set_num(r, row, 2, ta, 0);
	*out = r;
	return KN_OK;
}
