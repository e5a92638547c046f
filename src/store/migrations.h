/* migrations.h — the numbered schema migrations compiled into the binary. */
#ifndef KN_MIGRATIONS_H
#define KN_MIGRATIONS_H

struct migration {
	int version;		/* NNN of sql/NNN-name.sql; 0 ends the array */
	const char *name;
	const char *sql;
};

/* sql/NNN-name.sql (SQLite) and sql/pg/NNN-name.sql (PostgreSQL): the
 * same versions, one flavour per backend. */
extern const struct migration kn_migrations[];
extern const struct migration kn_pg_migrations[];

#endif
