/*
 * fixture.h — the set-up the unit tests with a database share
 * (tests/unit/fixture.c), through store.h's public API only.
 *
 * A store:
 *   struct fx fx;
 *   fx_open(&fx, "ledger")  a scratch directory /tmp/kn-test-ledger-XXXXXX
 *                           and in fx.s a fresh store, migrated; 0, or -1
 *                           (said on stderr, nothing left behind) when
 *                           there is none. Where:
 *                           - $KN_TEST_DB_URL a postgresql URL (ctest's
 *                             pg/unit/…: tests/lib/with-db.sh): a new
 *                             database on that server, named after the one
 *                             of the URL with "_fxN" added (so with-db.sh's
 *                             clean-up drops it too should the test die),
 *                             dropped by fx_close;
 *                           - $KN_TEST_DB_URL any other text: the SQLite
 *                             file it names, used as it is and kept;
 *                           - else ketnap.db in the scratch directory.
 *                           fx.url names it for second connections; fx.pg
 *                           says PostgreSQL. CHECKs: the directory (and
 *                           on PostgreSQL the database) made, the store
 *                           opened, migrated.
 *   fx_init(&fx, "store")   the same, without opening anything (fx.s NULL):
 *                           for a test of opening and migrating itself.
 *   fx_close(&fx)           close fx.s (if open), drop the PostgreSQL
 *                           database, remove the scratch directory with
 *                           every file in it (backups, copies, -wal/-shm).
 *   fx_path(&fx, "b.db", out, n)   a file in the scratch directory.
 *   fx_url_with_db(url, "db", out, n)  a postgresql URL naming another
 *                           database of the same server.
 *
 * Units, from a spec: chains separated by ';', each "CODE KIND FLAGS… >
 * CODE KIND … > …", a unit's parent the one before it in its chain. KIND
 * is province, upper, grassroots or cell; FLAGS may_admit, special_area.
 * A CODE alone (no KIND) only names the parent of what follows:
 *   "P province > P-H upper may_admit > P-G1 grassroots; P-H > P-G2 grassroots"
 * Each unit's name is its code; everything else zero.
 *   fx_units(s, spec)       put them, in spec order, one CHECK each;
 *                           returns how many were put.
 *   fx_unit_array(spec, &n) the same units as a heap array the caller owns
 *                           (strings copied), in spec order: unitree_build().
 *   FX_TREE                 the tree of the ledger tests (below).
 *   fx_unit_of(code, parent, kind, may_admit)  one such unit, the strings
 *                           not copied (for a test's own store_unit_put).
 *
 * People:
 *   fx_person_of(ref, name, unit)  a person with sex F, born 1995-05-05,
 *                           education 12/12, no membership dates, the rest
 *                           zero; strings not copied.
 *   fx_person(s, ref, name, unit, birth, member, official)  put such a
 *                           person born on `birth` with those membership
 *                           dates (KN_DATE_NONE: none), its search name the
 *                           folded full name; one CHECK. Returns its id
 *                           (-1 when it was not stored).
 *   fx_person_id(s, ref)    the id of the person ref (-1: none).
 *
 * Candidacies and steps:
 *   fx_step_of(code, date)  step_init() with code, date and recorded_by
 *                           "tester".
 *   fx_candidacy(s, person_id, unit, steps, n)  a new open candidacy
 *                           considered by unit, with the n steps recorded
 *                           in order (stage: the last step's code, a
 *                           mentor step keeping the stage before it); one
 *                           CHECK for the candidacy and one a step. Returns
 *                           its id (-1 when it was not created).
 *   fx_step_count(s, person_id)  how many steps the person's candidacies
 *                           have in all (-1 when they cannot be read).
 *
 * Failures of these CHECKs are counted with the test's own (t.h, t.c) and
 * name fixture.c's line.
 */
#ifndef KN_FIXTURE_H
#define KN_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "core/model.h"
#include "store/store.h"

struct fx {
	struct store *s;	/* fx_open's store, or NULL */
	const char *url;	/* the database: a file path or a postgresql URL */
	int pg;			/* url is PostgreSQL */
	char dir[64];		/* the scratch directory */
	char file[512];		/* url when it is SQLite */
	char pgurl[512];	/* url when it is PostgreSQL */
	char pgbase[512];	/* $KN_TEST_DB_URL, where pgurl's database is made */
	char pgdb[96];		/* pgurl's database, dropped by fx_close */
};

/* The province P, the upper unit P-H that may admit, the đảng bộ cơ sở
 * P-G1 with its cell P-G1-C1, and the chi bộ cơ sở P-G2 under P-H. */
#define FX_TREE "P province > P-H upper may_admit > P-G1 grassroots > P-G1-C1 cell; " \
	"P-H > P-G2 grassroots"

int fx_init(struct fx *fx, const char *name);
int fx_open(struct fx *fx, const char *name);
void fx_close(struct fx *fx);
void fx_path(const struct fx *fx, const char *file, char *out, size_t n);
void fx_url_with_db(const char *url, const char *db, char *out, size_t n);

size_t fx_units(struct store *s, const char *spec);
struct unit *fx_unit_array(const char *spec, size_t *n);
struct unit fx_unit_of(const char *code, const char *parent, enum unit_kind kind,
		       int may_admit);

struct person fx_person_of(const char *ref, const char *name, const char *unit);
int64_t fx_person(struct store *s, const char *ref, const char *name, const char *unit,
		  kn_date birth, kn_date member, kn_date official);
int64_t fx_person_id(struct store *s, const char *ref);

struct step fx_step_of(enum step_code code, kn_date date);
int64_t fx_candidacy(struct store *s, int64_t person_id, const char *unit,
		     const struct step *steps, size_t n);
long long fx_step_count(struct store *s, int64_t person_id);

#endif
