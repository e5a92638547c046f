/*
 * test_people_names.c — store_people_names() (issue 13: the dashboard
 * reads the names of the people it lists after its walk, not with every
 * open candidacy), on either backend (pg/unit/… with $KN_TEST_DB_URL).
 *
 * 1,203 people, asked for in three batches of 500 (the store's batch) in
 * no order, with a repeated id and two ids that are no one: each person
 * comes once with the ref and name they were stored with, the unknown ids
 * not at all. And store_pipeline_dates_bare() gives the person's id and
 * no name where store_pipeline_dates() gives the ref and name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "t.h"
#include "util/banned.h"

#define NP 1203

struct seen {
	int count[NP + 1];	/* by person number */
	int64_t id_of[NP + 1];
	int wrong;
};

static int on_name(void *arg, int64_t id, const char *ref, const char *name)
{
	struct seen *s = arg;
	int k;
	char want[64];
	if (!ref || sscanf(ref, "NM-%d", &k) != 1 || k < 1 || k > NP || s->id_of[k] != id) {
		s->wrong++;
		return 0;
	}
	snprintf(want, sizeof(want), "Người Thứ %d", k);
	if (!name || strcmp(name, want) != 0)
		s->wrong++;
	s->count[k]++;
	return 0;
}

struct pipe_seen {
	int n;
	int64_t pid;
	int named;
};

static int on_pipe(void *arg, const struct pipeline *p)
{
	struct pipe_seen *x = arg;
	x->n++;
	x->pid = p->person_id;
	x->named = p->person_ref && p->full_name && strcmp(p->person_ref, "NM-7") == 0 &&
		   strcmp(p->full_name, "Người Thứ 7") == 0;
	return 0;
}

int main(void)
{
	struct fx fx;
	static struct seen seen;
	int64_t *ids = calloc(NP + 3, sizeof(*ids));
	size_t n = 0;

	if (fx_open(&fx, "names") != 0)
		return T_DONE();
	fx_units(fx.s, "P province > P-H upper may_admit > P-G grassroots > P-C cell");
	CHECK_EQ(store_begin(fx.s), KN_OK);
	for (int k = 1; k <= NP; k++) {
		char ref[32], name[64];
		snprintf(ref, sizeof(ref), "NM-%d", k);
		snprintf(name, sizeof(name), "Người Thứ %d", k);
		seen.id_of[k] = fx_person(fx.s, ref, name, "P-C", date_from_ymd(1995, 5, 5),
					  KN_DATE_NONE, KN_DATE_NONE);
	}
	CHECK_EQ(store_commit(fx.s), KN_OK);
	/* Every person, last first, person 5 twice, and two ids of no one. */
	for (int k = NP; k >= 1; k--)
		ids[n++] = seen.id_of[k];
	ids[n++] = seen.id_of[5];
	ids[n++] = seen.id_of[NP] + 1000;
	ids[n++] = -1;
	CHECK_EQ(store_people_names(fx.s, ids, n, on_name, &seen), KN_OK);
	CHECK_EQ(seen.wrong, 0);
	int once = 0, twice = 0;
	for (int k = 1; k <= NP; k++) {
		once += seen.count[k] == 1;
		twice += seen.count[k] == 2;
	}
	CHECK_EQ(once, NP - 1);
	CHECK_EQ(twice, 1);
	CHECK_EQ(seen.count[5], 2);
	/* Nobody asked for: nothing, no statement. */
	memset(&seen.count, 0, sizeof(seen.count));
	CHECK_EQ(store_people_names(fx.s, ids, 0, on_name, &seen), KN_OK);
	CHECK_EQ(seen.count[1], 0);

	/* The walk without names. */
	struct step st[1] = { fx_step_of(STEP_SOURCE, date_from_ymd(2025, 3, 1)) };
	CHECK(fx_candidacy(fx.s, seen.id_of[7], "P-C", st, 1) > 0);
	struct pipe_seen bare = { 0, 0, 0 }, full = { 0, 0, 0 };
	CHECK_EQ(store_pipeline_dates_bare(fx.s, "P", date_from_ymd(2025, 12, 20), on_pipe, &bare),
		 KN_OK);
	CHECK_EQ(store_pipeline_dates(fx.s, "P", date_from_ymd(2025, 12, 20), on_pipe, &full),
		 KN_OK);
	CHECK_EQ(bare.n, 1);
	CHECK_EQ(bare.pid, seen.id_of[7]);
	CHECK_EQ(bare.named, 0);
	CHECK_EQ(full.n, 1);
	CHECK_EQ(full.pid, 0);
	CHECK_EQ(full.named, 1);
	free(ids);
	fx_close(&fx);
	return T_DONE();
}
