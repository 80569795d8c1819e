/* The watch's SQLite state. The schema is versioned (user_version); a
 * database of another application, or a corrupt one, is refused by name
 * and never rewritten. */
#include <stdio.h>
#include <string.h>
#include "watch/state.h"

enum { SCHEMA_VERSION = 2 };

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	/* what is exposed now: one row per finding of a source */
	"CREATE TABLE IF NOT EXISTS findings ("
	" fingerprint TEXT PRIMARY KEY, source TEXT NOT NULL, window_id INTEGER NOT NULL,"
	" severity TEXT NOT NULL, kind TEXT NOT NULL, asset TEXT, owner TEXT, datastore TEXT NOT NULL,"
	" port INTEGER NOT NULL, protocol TEXT NOT NULL, resource TEXT NOT NULL, rule TEXT NOT NULL,"
	" sources_text TEXT NOT NULL, seen_at INTEGER NOT NULL);"
	"CREATE INDEX IF NOT EXISTS findings_source ON findings (source);"
	/* the timeline: a window per time a finding was open */
	"CREATE TABLE IF NOT EXISTS windows ("
	" id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL, asset TEXT, owner TEXT, datastore TEXT NOT NULL,"
	" port INTEGER NOT NULL, resource TEXT NOT NULL, severity TEXT NOT NULL, sources_text TEXT NOT NULL,"
	" opened_at INTEGER NOT NULL, closed_at INTEGER, opened_by TEXT NOT NULL, closed_by TEXT, holds TEXT);"
	"CREATE INDEX IF NOT EXISTS windows_opened ON windows (opened_at);"
	/* the outbox: at least once, each alert once per sink (its dedup key) */
	"CREATE TABLE IF NOT EXISTS outbox ("
	" id INTEGER PRIMARY KEY, sink TEXT NOT NULL, dedup TEXT NOT NULL, event TEXT NOT NULL, body TEXT NOT NULL,"
	" created_at INTEGER NOT NULL, created_ms INTEGER, attempts INTEGER NOT NULL DEFAULT 0,"
	" next_at INTEGER NOT NULL DEFAULT 0,"
	" delivered_at INTEGER, last_error TEXT, UNIQUE (sink, dedup));"
	"CREATE INDEX IF NOT EXISTS outbox_due ON outbox (sink, delivered_at, id);"
	"CREATE TABLE IF NOT EXISTS sources ("
	" path TEXT PRIMARY KEY, digest TEXT, evaluated_at INTEGER, error TEXT,"
	" failures INTEGER NOT NULL DEFAULT 0, failing_since INTEGER, alerted INTEGER NOT NULL DEFAULT 0);";

static cordon_code fail(struct state *s, const char *what)
{
	s->code = s->db ? sqlite3_errcode(s->db) : SQLITE_NOMEM;
	snprintf(s->err, sizeof(s->err), "%s: %s", what, s->db ? sqlite3_errmsg(s->db) : "out of memory");
	return CORDON_ERR_IO;
}

cordon_code state_open(struct state *s, const char *path, int read_only)
{
	memset(s, 0, sizeof(*s));
	int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
		snprintf(s->err, sizeof(s->err), "cannot open state '%.300s': %s", path,
			 s->db ? sqlite3_errmsg(s->db) : "out of memory");
		state_close(s);
		return CORDON_ERR_IO;
	}
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_stmt *st = NULL;
	int version = -1;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version < 0) {
		snprintf(s->err, sizeof(s->err), "state '%.300s' is not a SQLite database cordon can read (%s): left as it is",
			 path, sqlite3_errmsg(s->db));
		state_close(s);
		return CORDON_ERR_PARSE;
	}
	/* an empty file is new; a database of something else is not ours */
	int tables = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_master WHERE name NOT IN "
				      "('meta','findings','windows','outbox','sources') AND type = 'table'",
			       -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		tables = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (tables || version > SCHEMA_VERSION) {
		snprintf(s->err, sizeof(s->err), "state '%.300s' is not a cordon watch state (version %d): left as it is", path,
			 version);
		state_close(s);
		return CORDON_ERR_PARSE;
	}
	s->version = version;
	if (read_only)
		return CORDON_OK;
	char *msg = NULL;
	if (sqlite3_exec(s->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;", NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(s->db, schema, NULL, NULL, &msg) != SQLITE_OK ||
	    /* version 1 had no holds: what a live check found in its sample */
	    (version == 1 && sqlite3_exec(s->db, "ALTER TABLE windows ADD COLUMN holds TEXT", NULL, NULL, &msg) != SQLITE_OK) ||
	    sqlite3_exec(s->db, "PRAGMA user_version = 2", NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(s->err, sizeof(s->err), "cannot use state '%.300s': %s", path, msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		state_close(s);
		return CORDON_ERR_IO;
	}
	s->version = SCHEMA_VERSION;
	return CORDON_OK;
}

const char *state_holds_col(const struct state *s)
{
	return s->version >= 2 || s->version == 0 ? "holds" : "NULL";
}

void state_close(struct state *s)
{
	if (s->db)
		sqlite3_close_v2(s->db);
	s->db = NULL;
}

cordon_code state_begin(struct state *s)
{
	return sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK ? CORDON_OK : fail(s, "begin");
}

cordon_code state_commit(struct state *s)
{
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK) {
		s->code = 0;
		return CORDON_OK;
	}
	cordon_code rc = fail(s, "commit");
	state_rollback(s);
	return rc;
}

void state_rollback(struct state *s)
{
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

cordon_code state_exec(struct state *s, const char *sql, int n, const char *const *params)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail(s, "prepare");
	for (int i = 0; i < n; i++)
		sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return fail(s, "write");
	if (sqlite3_get_autocommit(s->db)) /* outside a transaction: written */
		s->code = 0;
	return CORDON_OK;
}

int state_write_failed(const struct state *s)
{
	switch (s->code & 0xff) {
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return 1;
	default:
		return 0;
	}
}

int state_source_digest(struct state *s, const char *path, char *out)
{
	sqlite3_stmt *st;
	int found = -1;
	if (sqlite3_prepare_v2(s->db, "SELECT digest FROM sources WHERE path = ?1 AND error IS NULL", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
		snprintf(out, 65, "%s", (const char *)sqlite3_column_text(st, 0));
		found = 0;
	}
	sqlite3_finalize(st);
	return found;
}
