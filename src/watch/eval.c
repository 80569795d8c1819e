/* One evaluation: a source (an export or a config file) audited again;
 * what it opens gets a window and an alert per routed sink, what it no
 * longer shows closes its window and sends a resolve; all in one
 * transaction with the source's new digest, so a kill -9 at any point
 * leaves the state before or after, never a window without its alert. A
 * source that cannot be read or parsed changes nothing: its exposures stay
 * open (a half-written export must not close anything). */
#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <jansson.h>
#include "watch/watch.h"

enum { SOURCE_MAX = 256 << 20 };

static char *read_file(const char *path, size_t *len, int *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		*err = errno;
		return NULL;
	}
	struct stat st;
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) || st.st_size > SOURCE_MAX) {
		*err = S_ISREG(st.st_mode) ? EFBIG : EINVAL;
		fclose(f);
		return NULL;
	}
	char *buf = malloc((size_t)st.st_size + 1);
	size_t n = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
	int bad = !buf || ferror(f);
	fclose(f);
	if (bad) {
		*err = buf ? EIO : ENOMEM;
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

void source_error(cordon_watch *w, const char *path, const char *why)
{
	const char *p[] = { path, why };
	state_exec(&w->st,
		   "INSERT INTO sources (path, error, evaluated_at) VALUES (?1, ?2, strftime('%s','now')) "
		   "ON CONFLICT (path) DO UPDATE SET error = ?2, evaluated_at = strftime('%s','now')",
		   2, p);
	watch_log(w, CORDON_WATCH_WARN, "source_failed", "%s: %s; its exposures stay as they were", path, why);
}

/* Queues an alert for a sink: once per dedup key (INSERT OR IGNORE), with
 * the time it was queued in ms (for the time-to-alert histogram). */
static cordon_code outbox_put(cordon_watch *w, const char *sink, const char *dedup, const char *event, const char *body)
{
	const char *p[] = { sink, dedup, event, body };
	w->stats.alerts_queued++;
	return state_exec(&w->st,
			  "INSERT OR IGNORE INTO outbox (sink, dedup, event, body, created_at, created_ms) VALUES (?1, ?2, "
			  "?3, ?4, strftime('%s','now'), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))",
			  4, p);
}

/* The sinks an owner's alerts go to: its route, else default. */
static const struct cordon_watch_route *route_of(const cordon_watch *w, const char *owner)
{
	const struct cordon_watch_route *def = NULL;
	for (size_t i = 0; i < w->c.nroutes; i++) {
		if (owner && !strcmp(w->c.routes[i].owner, owner))
			return &w->c.routes[i];
		if (!strcmp(w->c.routes[i].owner, "default"))
			def = &w->c.routes[i];
	}
	return def;
}

static void iso(time_t t, char *out, size_t cap)
{
	struct tm tm;
	strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
}

/* What a live check found in its sample, for the window: entity counts,
 * how many stores and records it saw; never a value or a preview. NULL
 * for an audit's finding (no sample), or out of memory. */
static char *holds_json(const struct cordon_exposure *e, time_t now)
{
	if (!e->endpoint)
		return NULL;
	json_t *o = json_object(), *ent = json_object();
	int64_t records = 0;
	int known = 0;
	for (size_t i = 0; i < e->nstores; i++)
		if (e->stores[i].records >= 0) {
			records += e->stores[i].records;
			known = 1;
		}
	for (size_t i = 0; ent && i < e->nholds; i++)
		json_object_set_new(ent, e->holds[i].entity, json_integer((json_int_t)e->holds[i].count));
	char at[32];
	iso(now, at, sizeof(at));
	if (o && ent) {
		json_object_set_new(o, "entities", ent);
		ent = NULL;
		json_object_set_new(o, "stores", json_integer((json_int_t)e->nstores));
		if (known)
			json_object_set_new(o, "records", json_integer((json_int_t)records));
		json_object_set_new(o, "sampled_at", json_string(at));
	}
	json_decref(ent);
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	return s;
}

struct window_row {
	int64_t id;
	const char *fingerprint, *severity, *kind, *asset, *owner, *datastore, *protocol, *resource, *rule, *sources_text,
		*opened_by, *closed_by;
	const char *holds; /* JSON (holds_json), or NULL */
	unsigned port;
	time_t opened_at, closed_at;
};

/* The alert: what is exposed, to whom, since when, through what, what to
 * do. Findings of audit hold no personal data; nothing else goes in. */
static char *alert_body(const char *event, const char *dedup, const struct window_row *r)
{
	char opened[32], closed[32];
	iso(r->opened_at, opened, sizeof(opened));
	iso(r->closed_at, closed, sizeof(closed));
	char summary[700], todo[600];
	if (strcmp(event, "resolved"))
		snprintf(summary, sizeof(summary), "%s %u/%s of %s is reachable from %s, through %s%s", r->datastore, r->port,
			 r->protocol, r->resource, r->sources_text, r->rule,
			 strcmp(event, "reminder") ? "" : " (still open)");
	else
		snprintf(summary, sizeof(summary), "%s %u/%s of %s is no longer reachable as it was (%s)", r->datastore,
			 r->port, r->protocol, r->resource, r->closed_by ? r->closed_by : "closed");
	if (strcmp(event, "resolved"))
		snprintf(todo, sizeof(todo),
			 "Remove or narrow %s on %s. The window and its changes: cordon exposures%s%s. Who came in: cordon "
			 "access (flow and store logs for the window).",
			 r->rule, r->resource, r->asset ? " --asset " : "", r->asset ? r->asset : "");
	else
		snprintf(todo, sizeof(todo), "Check the store's logs for the window %s to %s (cordon access).", opened, closed);
	json_t *o = json_pack("{s:i, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
			      "schema_version", 1, "event", event, "dedup_key", dedup, "window_id", (json_int_t)r->id,
			      "fingerprint", r->fingerprint, "severity", r->severity, "kind", r->kind, "datastore",
			      r->datastore, "port", (json_int_t)r->port, "protocol", r->protocol, "resource", r->resource,
			      "rule", r->rule, "sources_text", r->sources_text, "opened_at", opened, "opened_by",
			      r->opened_by, "summary", summary, "what_to_do", todo);
	if (o && r->asset)
		json_object_set_new(o, "asset", json_string(r->asset));
	if (o && r->owner)
		json_object_set_new(o, "owner", json_string(r->owner));
	if (o && r->closed_at) {
		json_object_set_new(o, "closed_at", json_string(closed));
		json_object_set_new(o, "duration_s", json_integer((json_int_t)(r->closed_at - r->opened_at)));
	}
	if (o && r->closed_by)
		json_object_set_new(o, "closed_by", json_string(r->closed_by));
	json_t *holds = r->holds ? json_loads(r->holds, 0, NULL) : NULL;
	if (o && holds)
		json_object_set_new(o, "holds", holds);
	else
		json_decref(holds);
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	return s;
}

/* Queues an alert for each sink of the owner's route (once per sink: the
 * dedup key is unique with it). */
static cordon_code enqueue_as(cordon_watch *w, const char *event, const struct window_row *r, long long round);

static cordon_code enqueue(cordon_watch *w, const char *event, const struct window_row *r)
{
	return enqueue_as(w, event, r, 0);
}

/* round > 0: the round-th reminder of an open window (its own dedup key);
 * only: that sink alone (a refresh), else every sink of the route. */
static cordon_code enqueue_to(cordon_watch *w, const char *event, const struct window_row *r, long long round,
			      const char *only);

static cordon_code enqueue_as(cordon_watch *w, const char *event, const struct window_row *r, long long round)
{
	return enqueue_to(w, event, r, round, NULL);
}

static cordon_code enqueue_to(cordon_watch *w, const char *event, const struct window_row *r, long long round,
			      const char *only)
{
	const struct cordon_watch_route *route = route_of(w, r->owner);
	if (!route || !route->nsinks) {
		if (!w->unrouted++) /* said once: an inventory without owners would say it per finding */
			watch_log(w, CORDON_WATCH_WARN, "no_route",
				  "no route for owner '%s' and no default route: its alerts (and any other owner's without "
				  "a route) go nowhere; add routes: default: [SINK]",
				  r->owner ? r->owner : "(none)");
		return CORDON_OK;
	}
	/* the window's id, not its time: a store closed and opened again within
	 * a second is another window, and another alert */
	char dedup[180];
	if (round)
		snprintf(dedup, sizeof(dedup), "cordon:%s:%s:w%lld:%lld", event, r->fingerprint, (long long)r->id, round);
	else
		snprintf(dedup, sizeof(dedup), "cordon:%s:%s:w%lld", event, r->fingerprint, (long long)r->id);
	char *body = alert_body(event, dedup, r);
	if (!body)
		return CORDON_ERR_NOMEM;
	cordon_code rc = CORDON_OK;
	cordon_severity sev = CORDON_SEV_INFO;
	cordon_severity_from_name(r->severity, &sev);
	for (size_t i = 0; i < route->nsinks && rc == CORDON_OK; i++) {
		if (only && strcmp(only, route->sinks[i]))
			continue;
		int below = 0; /* the sink's min_severity */
		for (size_t k = 0; k < w->c.nsinks; k++)
			if (!strcmp(w->c.sinks[k].name, route->sinks[i]))
				below = (int)sev < w->c.sinks[k].min_severity;
		if (below)
			continue;
		rc = outbox_put(w, route->sinks[i], dedup, event, body);
	}
	free(body);
	return rc;
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* Closes the window of a finding the source no longer shows. */
static cordon_code close_one(cordon_watch *w, const char *fingerprint, const char *path, time_t now)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(w->st.db,
			       "SELECT w.id, w.fingerprint, f.severity, f.kind, w.asset, w.owner, w.datastore, f.protocol, "
			       "w.resource, f.rule, w.sources_text, w.opened_by, w.port, w.opened_at, w.holds "
			       "FROM findings f JOIN windows w ON w.id = f.window_id WHERE f.fingerprint = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return CORDON_ERR_IO;
	sqlite3_bind_text(st, 1, fingerprint, -1, SQLITE_STATIC);
	cordon_code rc = CORDON_OK;
	if (sqlite3_step(st) == SQLITE_ROW) {
		char closed_by[600];
		snprintf(closed_by, sizeof(closed_by), "%s changed: no rule lets it in any more", path);
		struct window_row r = { sqlite3_column_int64(st, 0), col(st, 1), col(st, 2), col(st, 3), col(st, 4),
					col(st, 5), col(st, 6), col(st, 7), col(st, 8), col(st, 9), col(st, 10),
					col(st, 11), closed_by, col(st, 14), (unsigned)sqlite3_column_int(st, 12),
					(time_t)sqlite3_column_int64(st, 13), now };
		char id[32], at[32];
		snprintf(id, sizeof(id), "%lld", (long long)r.id);
		snprintf(at, sizeof(at), "%lld", (long long)now);
		const char *p[] = { at, closed_by, id };
		rc = state_exec(&w->st, "UPDATE windows SET closed_at = ?1, closed_by = ?2 WHERE id = ?3", 3, p);
		if (rc == CORDON_OK)
			rc = enqueue(w, "resolved", &r);
		w->stats.closed++;
		watch_log(w, CORDON_WATCH_INFO, "closed", "%s %u of %s closed (%s)", r.datastore, r.port, r.resource, path);
	}
	sqlite3_finalize(st);
	if (rc == CORDON_OK) {
		const char *p[] = { fingerprint };
		rc = state_exec(&w->st, "DELETE FROM findings WHERE fingerprint = ?1", 1, p);
	}
	return rc;
}

static cordon_code open_one(cordon_watch *w, const struct cordon_exposure *e, const char *path, time_t now)
{
	char opened_by[700], port[16], at[32];
	if (e->endpoint) /* a live check: what answered is the evidence */
		snprintf(opened_by, sizeof(opened_by), "%s: %s", path, e->evidence);
	else if (e->line)
		snprintf(opened_by, sizeof(opened_by), "%s: %s (line %u)", path, e->rule, e->line);
	else
		snprintf(opened_by, sizeof(opened_by), "%s: %s", path, e->rule);
	snprintf(port, sizeof(port), "%u", e->port);
	snprintf(at, sizeof(at), "%lld", (long long)now);
	/* a live check has no rule and no address range: who reaches it gets in */
	const char *sources_text = e->endpoint ? "anyone who reaches it, without authentication" : e->sources_text;
	const char *rule = e->endpoint ? e->evidence : e->rule;
	const char *owner = e->owner ? e->owner : cordon_policy_asset_owner(w->policy, e->asset);
	const char *sev = cordon_severity_name(e->severity);
	const char *proto = e->protocol == CORDON_PROTO_UDP ? "udp" : "tcp";
	char *holds = holds_json(e, now);
	if (e->endpoint && !holds)
		return CORDON_ERR_NOMEM;
	const char *p[] = { e->fingerprint, e->asset, owner, e->datastore, port, e->resource, sev, sources_text, at,
			    opened_by, holds };
	cordon_code rc = state_exec(&w->st,
				    "INSERT INTO windows (fingerprint, asset, owner, datastore, port, resource, severity, "
				    "sources_text, opened_at, opened_by, holds) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
				    "?10, ?11)",
				    11, p);
	if (rc != CORDON_OK) {
		free(holds);
		return rc;
	}
	struct window_row r = { sqlite3_last_insert_rowid(w->st.db), e->fingerprint, sev, e->kind, e->asset, owner,
				e->datastore, proto, e->resource, rule, sources_text, opened_by, NULL, holds, e->port,
				now, 0 };
	char id[32];
	snprintf(id, sizeof(id), "%lld", (long long)r.id);
	const char *q[] = { e->fingerprint, path, id, sev, e->kind, e->asset, owner, e->datastore, port, proto,
			    e->resource, rule, sources_text, at };
	rc = state_exec(&w->st,
			"INSERT INTO findings (fingerprint, source, window_id, severity, kind, asset, owner, datastore, port, "
			"protocol, resource, rule, sources_text, seen_at) "
			"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
			14, q);
	if (rc == CORDON_OK)
		rc = enqueue(w, "opened", &r);
	free(holds);
	w->stats.opened++;
	watch_log(w, CORDON_WATCH_INFO, "opened", "%s %u of %s is reachable from %s (%s)", e->datastore, e->port,
		  e->resource, sources_text, sev);
	return rc;
}

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

cordon_code watch_evaluate(cordon_watch *w, const char *path, int force)
{
	size_t len = 0;
	int err = 0;
	char *data = read_file(path, &len, &err);
	if (!data) {
		source_error(w, path, err == ENOENT ? "gone" : strerror(err));
		return CORDON_OK;
	}
	return watch_evaluate_data(w, path, data, len, NULL, force);
}

cordon_code watch_evaluate_data(cordon_watch *w, const char *path, char *data, size_t len, const char *type, int force)
{
	double began = mono();
	unsigned char h[crypto_hash_sha256_BYTES];
	char digest[65], before[65];
	crypto_hash_sha256(h, (const unsigned char *)data, len);
	sodium_bin2hex(digest, sizeof(digest), h, sizeof(h));
	if (!force && state_source_digest(&w->st, path, before) == 0 && !strcmp(before, digest)) {
		free(data);
		return CORDON_OK; /* the same content: evaluated already (a restart) */
	}
	cordon_audit *a = NULL;
	const struct cordon_exposure *ev = NULL;
	size_t n = 0;
	cordon_code rc = cordon_audit_new(&a);
	if (rc == CORDON_OK)
		rc = cordon_policy_apply_audit(w->policy, a);
	if (rc == CORDON_OK && (rc = cordon_audit_load(a, path, data, len, type)) != CORDON_OK) {
		char why[400];
		snprintf(why, sizeof(why), "%s", rc == CORDON_ERR_PARSE ? cordon_audit_error(a) : cordon_strerror(rc));
		source_error(w, path, why);
		cordon_audit_free(a);
		free(data);
		return CORDON_OK;
	}
	free(data);
	if (rc == CORDON_OK)
		rc = cordon_audit_run(a, &ev, &n);
	if (rc == CORDON_OK)
		rc = watch_evaluate_findings(w, path, ev, n, digest);
	watch_metrics_observe(w, -1, mono() - began);
	cordon_audit_free(a);
	return rc;
}

cordon_code watch_evaluate_findings(cordon_watch *w, const char *path, const struct cordon_exposure *ev, size_t n,
				    const char *digest)
{
	struct cordon_report_item *items = NULL;
	size_t ni = 0;
	cordon_code rc = cordon_exposure_items(ev, n, &items, &ni);
	if (rc != CORDON_OK)
		return rc;
	cordon_policy_apply_ignores(w->policy, items, ni, time(NULL), NULL);
	time_t now = time(NULL);
	if ((rc = state_begin(&w->st)) != CORDON_OK) {
		free(items);
		return rc;
	}
	/* what the source showed before */
	sqlite3_stmt *st;
	char **was = NULL;
	size_t nwas = 0, capwas = 0;
	if (sqlite3_prepare_v2(w->st.db, "SELECT fingerprint FROM findings WHERE source = ?1", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
		while (rc == CORDON_OK && sqlite3_step(st) == SQLITE_ROW) {
			if (nwas == capwas) {
				capwas = capwas ? capwas * 2 : 16;
				char **g = realloc(was, capwas * sizeof(*was));
				if (!g) {
					rc = CORDON_ERR_NOMEM;
					break;
				}
				was = g;
			}
			if (!(was[nwas++] = strdup(col(st, 0))))
				rc = CORDON_ERR_NOMEM;
		}
		sqlite3_finalize(st);
	} else {
		rc = CORDON_ERR_IO;
	}
	for (size_t i = 0; rc == CORDON_OK && i < ni; i++) {
		const struct cordon_exposure *e = items[i].now;
		if (!e || items[i].ignored || e->severity == CORDON_SEV_INFO)
			continue;
		int known = 0;
		for (size_t k = 0; k < nwas && !known; k++)
			if (was[k] && !strcmp(was[k], e->fingerprint)) {
				known = 1;
				free(was[k]);
				was[k] = NULL; /* still open */
			}
		if (!known) { /* open elsewhere (another file names the same rule set)? then it is not new */
			sqlite3_stmt *q;
			if (sqlite3_prepare_v2(w->st.db, "SELECT 1 FROM findings WHERE fingerprint = ?1", -1, &q, NULL) ==
			    SQLITE_OK) {
				sqlite3_bind_text(q, 1, e->fingerprint, -1, SQLITE_STATIC);
				known = sqlite3_step(q) == SQLITE_ROW;
				sqlite3_finalize(q);
			}
		}
		if (known) {
			char at[32];
			snprintf(at, sizeof(at), "%lld", (long long)now);
			const char *p[] = { cordon_severity_name(e->severity),
					    e->endpoint ? "anyone who reaches it, without authentication" : e->sources_text,
					    e->endpoint ? e->evidence : e->rule, at, path, e->fingerprint };
			rc = state_exec(&w->st,
					"UPDATE findings SET severity = ?1, sources_text = ?2, rule = ?3, seen_at = ?4, "
					"source = ?5 WHERE fingerprint = ?6",
					6, p);
			char *holds = rc == CORDON_OK ? holds_json(e, now) : NULL;
			if (holds) { /* the latest sample of a live check stands for the window */
				const char *h[] = { holds, e->fingerprint };
				rc = state_exec(&w->st,
						"UPDATE windows SET holds = ?1 WHERE id = (SELECT window_id FROM findings "
						"WHERE fingerprint = ?2)",
						2, h);
				free(holds);
			} else if (rc == CORDON_OK && e->endpoint) {
				rc = CORDON_ERR_NOMEM;
			}
		} else {
			rc = open_one(w, e, path, now);
		}
	}
	for (size_t k = 0; rc == CORDON_OK && k < nwas; k++)
		if (was[k])
			rc = close_one(w, was[k], path, now);
	if (rc == CORDON_OK) {
		const char *p[] = { path, digest };
		rc = state_exec(&w->st,
				"INSERT INTO sources (path, digest, evaluated_at, error) VALUES (?1, ?2, strftime('%s','now'), "
				"NULL) ON CONFLICT (path) DO UPDATE SET digest = ?2, evaluated_at = strftime('%s','now'), "
				"error = NULL",
				2, p);
	}
	if (rc == CORDON_OK)
		rc = state_commit(&w->st);
	else
		state_rollback(&w->st);
	for (size_t k = 0; k < nwas; k++)
		free(was[k]);
	free(was);
	free(items);
	w->stats.evaluations++;
	if (rc != CORDON_OK)
		snprintf(w->err, sizeof(w->err), "%s", w->st.err[0] ? w->st.err : cordon_strerror(rc));
	return rc;
}

/* The sinks whose type forgets an alert not sent again (Alertmanager):
 * each open window routed to one is queued to it once per round. */
static cordon_code refresh(cordon_watch *w, const struct window_row *r, time_t now)
{
	const struct cordon_watch_route *route = route_of(w, r->owner);
	cordon_code rc = CORDON_OK;
	for (size_t i = 0; route && i < route->nsinks && rc == CORDON_OK; i++)
		for (size_t k = 0; k < w->nsinks; k++)
			if (!strcmp(w->sinks[k].sink->name, route->sinks[i]) && w->sinks[k].type->refresh_s)
				rc = enqueue_to(w, "refresh", r, (long long)(now / (time_t)w->sinks[k].type->refresh_s),
						route->sinks[i]);
	return rc;
}

cordon_code watch_remind(cordon_watch *w)
{
	int refreshing = 0;
	for (size_t k = 0; k < w->nsinks; k++)
		refreshing |= w->sinks[k].type->refresh_s != 0;
	if (!w->c.repeat_s && !refreshing)
		return CORDON_OK;
	time_t now = time(NULL);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(w->st.db,
			       "SELECT w.id, w.fingerprint, f.severity, f.kind, w.asset, w.owner, w.datastore, f.protocol, "
			       "w.resource, f.rule, w.sources_text, w.opened_by, w.port, w.opened_at, w.holds "
			       "FROM findings f JOIN windows w ON w.id = f.window_id WHERE w.closed_at IS NULL "
			       "AND w.opened_at <= ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return CORDON_ERR_IO;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	cordon_code rc = state_begin(&w->st);
	while (rc == CORDON_OK && sqlite3_step(st) == SQLITE_ROW) {
		struct window_row r = { sqlite3_column_int64(st, 0), col(st, 1), col(st, 2), col(st, 3), col(st, 4),
					col(st, 5), col(st, 6), col(st, 7), col(st, 8), col(st, 9), col(st, 10),
					col(st, 11), NULL, col(st, 14), (unsigned)sqlite3_column_int(st, 12),
					(time_t)sqlite3_column_int64(st, 13), 0 };
		long long round = w->c.repeat_s ? (long long)((now - r.opened_at) / (time_t)w->c.repeat_s) : 0;
		if (round > 0) /* INSERT OR IGNORE: each round once */
			rc = enqueue_as(w, "reminder", &r, round);
		if (rc == CORDON_OK && refreshing)
			rc = refresh(w, &r, now);
	}
	sqlite3_finalize(st);
	/* refreshes are kept an hour once delivered: the outbox does not grow */
	if (rc == CORDON_OK && refreshing)
		rc = state_exec(&w->st, "DELETE FROM outbox WHERE event = 'refresh' AND delivered_at < strftime('%s','now') - 3600",
				0, NULL);
	if (rc == CORDON_OK)
		rc = state_commit(&w->st);
	else
		state_rollback(&w->st);
	return rc;
}

cordon_code watch_source_alert(cordon_watch *w, const char *event, const char *source, const char *why, time_t since)
{
	const struct cordon_watch_route *route = route_of(w, NULL);
	if (!route || !route->nsinks)
		return CORDON_OK;
	char dedup[300], summary[700], when[32];
	iso(since, when, sizeof(when));
	snprintf(dedup, sizeof(dedup), "cordon:%s:%s:%lld", event, source, (long long)since);
	if (!strcmp(event, "source_failing"))
		snprintf(summary, sizeof(summary), "the source %s has failed since %s (%s): its exposures are not seen "
						   "while it fails", source, when, why ? why : "?");
	else
		snprintf(summary, sizeof(summary), "the source %s works again (it failed from %s)", source, when);
	json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "schema_version", 1, "event", event,
			      "dedup_key", dedup, "source", source, "since", when, "severity",
			      strcmp(event, "source_failing") ? "info" : "high", "summary", summary, "what_to_do",
			      strcmp(event, "source_failing") ? "Nothing: it is seen again."
							      : "Make the command work again (credentials, network, quota): "
								"until then new exposures go unseen.");
	if (o && why)
		json_object_set_new(o, "error", json_string(why));
	char *body = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	if (!body)
		return CORDON_ERR_NOMEM;
	cordon_code rc = CORDON_OK;
	for (size_t i = 0; i < route->nsinks && rc == CORDON_OK; i++)
		rc = outbox_put(w, route->sinks[i], dedup, event, body);
	free(body);
	watch_log(w, CORDON_WATCH_WARN, event, "%s", summary);
	return rc;
}
