/*
 * demo_impl.h — what the demo generator's files share (private to demo.c,
 * demo_units.c and demo_people.c): the years and counters, the seeded
 * generator (splitmix64), the occupations, qualifications and kinds of
 * cell, and the generator's state (struct gen) with the passes each file
 * runs for demo.c's demo_generate(); demo_nation.c builds the provinces
 * of the national and province sizes; demo_life.c adds issue 15's
 * transfers, re-admissions and planted duplicates.
 */
#ifndef KN_DEMO_IMPL_H
#define KN_DEMO_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "core/model.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/err.h"

struct store;
struct ledger;

#define Y_FIRST 2022		/* quota years */
#define Y_LAST 2025
#define NYEARS (Y_LAST - Y_FIRST + 1)
#define YEAR_BASE 2019		/* counters of documents per year */
#define NCOUNT 9		/* 2019 … 2027 */

/* ---- a small deterministic generator (splitmix64) ---- */

struct rng {
	uint64_t s;
};

static inline uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A whole number from lo to hi inclusive. */
static inline int rng_int(struct rng *r, int lo, int hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

/* 1 with probability permille/1000. */
static inline int rng_chance(struct rng *r, int permille)
{
	return (int)(rng_next(r) % 1000) < permille;
}

#define NELEM(a) (sizeof(a) / sizeof(*(a)))
#define PICK(r, a) ((a)[rng_int((r), 0, (int)NELEM(a) - 1)])

/* ---- the vocabulary the unit tables and the people share ---- */

enum occ { O_WORKER, O_FARMER, O_CIVIL, O_PUBLIC, O_MANAGER, O_BUSINESS, O_ARMED, O_STUDENT,
	   O_OTHER };
enum qual { Q_NONE, Q_VOC, Q_COLLEGE, Q_UNIV, Q_POST };

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

/* The kinds of cell (demo_units.c). */
extern const struct profile_info demo_profiles[PR__COUNT];

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
	/* issue 15 (demo_life.c): a transfer to the cell `dest` (-1: none),
	 * the letter on t_out and the arrival on t_in (KN_DATE_NONE: still
	 * in transit at today); the steps dated on or after t_in are the
	 * destination's. A re-admission (readmit) of a former member who
	 * left on left_on for left_reason. */
	int dest;
	kn_date t_out, t_in;
	unsigned char readmit;
	kn_date left_on, member_since;
	const char *left_reason;
};

/* A seeded member's transfer (demo_life.c). */
struct mxfer {
	int member;		/* index into g->members */
	int from, to;		/* units */
	kn_date t_out, t_in;	/* t_in KN_DATE_NONE: in transit */
};

/* One thing to record in date order: step idx of candidacy cand, or
 * (idx EV_OUT / EV_IN) the letter or the arrival of the candidacy's
 * transfer; cand < 0 is the member transfer g->mx[-cand - 1]. */
#define EV_OUT (-2)
#define EV_IN (-1)
struct event {
	kn_date date;
	int cand, idx;
};

struct gen {
	struct rng r;
	/* issue 15's draws (demo_life.c), apart from r so that the plan of
	 * the candidacies stays what it was for a seed. */
	struct rng r2;
	struct store *s;
	struct ledger *l;
	struct buf *err;
	void (*progress)(const char *, size_t, size_t);
	kn_date today;
	int small;
	/* The national and province sizes: a tree of provinces generated
	 * and recorded one province at a time (demo_nation.c). ref_prov,
	 * when not 0, is the first three digits of every ref made (the
	 * province being generated), in place of a drawn birth province. */
	int nation;
	/* KETNAP_DEMO_DATE_ORDER set: the province and national sizes write
	 * their steps in date order, as before record_grouped(), without the
	 * ledger's deferred writes: the baseline of bench/demo.sh, which
	 * checks that both give the same database. */
	int date_order;
	int ref_prov;
	struct dunit *u;
	size_t nu, capu;
	char (*members)[16];
	size_t nm, capm;
	struct cand *c;
	size_t nc;
	unsigned serial;	/* people's ref serial */
	struct mxfer *mx;	/* issue 15: the members' transfers */
	size_t nmx;
	uint64_t *seen;		/* issue 15: hashes of (folded name, birth) */
	size_t nseen, capseen;
	size_t ntransfers, nreadmit, ndup;
	int readmit_next;	/* the candidacy being planned is a re-admission */
	size_t npeople, nsteps;
	struct buf nb, fb;	/* scratch: names, folding */
};


/* The store's message into g->err; returns e. */
enum kn_err demo_store_failed(struct gen *g, enum kn_err e);

/* The unit tables (demo_units.c): the city's units into g->u. */
void demo_build_units(struct gen *g);
/* One unit into g->u (code: its last part, after the parent's code and a
 * dot); its index. */
int demo_add_unit(struct gen *g, int parent, const char *code, const char *name,
		  enum unit_kind kind, int may_admit, const char *sector, int special,
		  enum profile prof);
/* Set g->u[i].competent of every considering unit. */
void demo_set_competent(struct gen *g);

/* The people (demo_people.c): the full members of every considering
 * unit; the plan of one candidacy; the candidate written as a person. */
enum kn_err demo_add_members(struct gen *g, size_t from, size_t to);
/* d, or the next working day after it. */
kn_date demo_next_workday(struct gen *g, kn_date d);
void demo_plan_candidacy(struct gen *g, struct cand *c, int unit, kn_date source);
enum kn_err demo_put_candidate(struct gen *g, struct cand *c);
/* qsort order of struct event: by date, then candidacy and step. */
int demo_event_cmp(const void *a, const void *b);

/* The life of records (demo_life.c, issue 15). */
/* A birth date no earlier person of the same folded name (g->nb) has:
 * birth, or a few days before it; remembered. */
kn_date demo_unique_birth(struct gen *g, kn_date birth);
/* Plan the transfers of the candidacies g->c and of the seeded members. */
void demo_plan_transfers(struct gen *g);
/* Record the letter or the arrival of an event through svc_transfer(). */
enum kn_err demo_record_transfer(struct gen *g, const struct event *ev, int (*gt)[NCOUNT]);
/* The unit of candidacy c on date d (its cell, or the destination). */
int demo_unit_on(const struct gen *g, const struct cand *c, kn_date d);
/* Turn a few of the planned candidacies into re-admissions (before they
 * are written as people). */
void demo_plan_readmission(struct gen *g, struct cand *c, kn_date source);
/* Plant a second record of a few candidates under another ref. */
enum kn_err demo_plant_duplicates(struct gen *g);
/* The n-th planted duplicate's second record has the serial (a ref's
 * digits 7–12) DEMO_DUP_SERIAL + n; no other serial of the demo reaches
 * it (the city has some 16,500 people), so a test knows them by it. */
#define DEMO_DUP_SERIAL 900000u
/* The city's re-admissions (the small demo has 2). */
#define DEMO_READMIT_MAX 8

/* The national tree (demo_nation.c): nprov provinces (or, with nprov 0,
 * one big province as the root) into g->u, each province's units a
 * contiguous run; prov[] gets the index of each province's unit and
 * prov[*n] one past the last unit, so that province k is the units
 * prov[k] .. prov[k + 1] - 1. prov has room for 64 + 1 entries. */
#define DEMO_MAXPROV 64
void demo_build_nation(struct gen *g, int nprov, int *prov, int *n);

#endif
