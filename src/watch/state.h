/* The watch's state (state.c): one SQLite database, WAL, synchronous
 * FULL. Findings now, exposure windows (opened, closed, by what), the
 * alert outbox and each source's last evaluation. Every evaluation is one
 * transaction: a kill -9 leaves the state before it or after it. */
#ifndef CORDON_WATCH_STATE_H
#define CORDON_WATCH_STATE_H

#include <sqlite3.h>
#include <stdint.h>
#include <time.h>
#include "cordon/common.h"

struct state {
	sqlite3 *db;
	int version; /* the schema's: read-only readers of an older state ask less */
	int code;    /* the last write's SQLite error code; 0 once one succeeds */
	char err[512];
};

/* Opens (creating) the state; read_only for cordon exposures. A file
 * that is not a cordon state (or corrupt) is named and left as it is. */
/* The column of what a live check found in its sample, as SQL: "holds",
 * or "NULL" in a state older than it (read-only, not upgraded). */
const char *state_holds_col(const struct state *s);
cordon_code state_open(struct state *s, const char *path, int read_only);
void state_close(struct state *s);
cordon_code state_begin(struct state *s);
cordon_code state_commit(struct state *s);
void state_rollback(struct state *s);
/* Runs one statement with text parameters (NULL binds NULL), no rows. */
cordon_code state_exec(struct state *s, const char *sql, int n, const char *const *params);
/* Whether the last write failed for a reason that passes (a full disk,
 * an I/O error, a lock held too long): the watch retries, not exits. */
int state_write_failed(const struct state *s);
/* The digest a source was last evaluated at, into out (65 bytes); 0 when
 * found. */
int state_source_digest(struct state *s, const char *path, char *out);

#endif
