/* The exposure timeline (cordon exposures): the windows of a watch's
 * state, read-only (the watch may be running), as a table with durations
 * or as JSON lines. */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "watch/watch.h"

static char *dup_col(sqlite3_stmt *st, int i, int *bad)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	if (!t)
		return NULL;
	char *s = strdup((const char *)t);
	*bad |= !s;
	return s;
}

void cordon_windows_free(struct cordon_window *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free((char *)v[i].fingerprint);
		free((char *)v[i].asset);
		free((char *)v[i].owner);
		free((char *)v[i].datastore);
		free((char *)v[i].resource);
		free((char *)v[i].severity);
		free((char *)v[i].opened_by);
		free((char *)v[i].closed_by);
		free((char *)v[i].sources_text);
		free((char *)v[i].holds);
	}
	free(v);
}

cordon_code cordon_exposures_read(const char *path, time_t since, const char *asset, struct cordon_window **out,
				  size_t *n, char *err, size_t errlen)
{
	if (!path || !out || !n)
		return CORDON_ERR_ARG;
	*out = NULL;
	*n = 0;
	struct state s;
	cordon_code rc = state_open(&s, path, 1);
	if (rc != CORDON_OK) {
		if (err)
			snprintf(err, errlen, "%s", s.err);
		return rc;
	}
	sqlite3_stmt *st;
	char sql[400];
	snprintf(sql, sizeof(sql),
		 "SELECT id, fingerprint, asset, owner, datastore, port, resource, severity, opened_at, closed_at, "
		 "opened_by, closed_by, sources_text, %s FROM windows WHERE opened_at >= ?1 AND (?2 IS NULL OR asset = ?2) "
		 "ORDER BY opened_at, id",
		 state_holds_col(&s));
	if (sqlite3_prepare_v2(s.db, sql, -1, &st, NULL) != SQLITE_OK) {
		if (err)
			snprintf(err, errlen, "state '%s': %s", path, sqlite3_errmsg(s.db));
		state_close(&s);
		return CORDON_ERR_PARSE;
	}
	sqlite3_bind_int64(st, 1, (sqlite3_int64)since);
	if (asset)
		sqlite3_bind_text(st, 2, asset, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	size_t cap = 0;
	int bad = 0, step;
	while (!bad && (step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			struct cordon_window *g = realloc(*out, cap * sizeof(**out));
			if (!g) {
				bad = 1;
				break;
			}
			*out = g;
		}
		struct cordon_window *wv = &(*out)[(*n)++];
		memset(wv, 0, sizeof(*wv));
		wv->id = sqlite3_column_int64(st, 0);
		wv->fingerprint = dup_col(st, 1, &bad);
		wv->asset = dup_col(st, 2, &bad);
		wv->owner = dup_col(st, 3, &bad);
		wv->datastore = dup_col(st, 4, &bad);
		wv->port = (unsigned)sqlite3_column_int(st, 5);
		wv->resource = dup_col(st, 6, &bad);
		wv->severity = dup_col(st, 7, &bad);
		wv->opened_at = (time_t)sqlite3_column_int64(st, 8);
		wv->closed_at = (time_t)sqlite3_column_int64(st, 9);
		wv->opened_by = dup_col(st, 10, &bad);
		wv->closed_by = dup_col(st, 11, &bad);
		wv->sources_text = dup_col(st, 12, &bad);
		wv->holds = dup_col(st, 13, &bad);
	}
	sqlite3_finalize(st);
	state_close(&s);
	if (bad) {
		cordon_windows_free(*out, *n);
		*out = NULL;
		*n = 0;
		return CORDON_ERR_NOMEM;
	}
	return CORDON_OK;
}

static void iso(time_t t, char *out, size_t cap)
{
	struct tm tm;
	strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
}

/* "24d 3h", "5m 12s", "40s". */
static void duration(time_t s, char *out, size_t cap)
{
	if (s >= 86400)
		snprintf(out, cap, "%lldd %lldh", (long long)(s / 86400), (long long)(s % 86400 / 3600));
	else if (s >= 3600)
		snprintf(out, cap, "%lldh %lldm", (long long)(s / 3600), (long long)(s % 3600 / 60));
	else if (s >= 60)
		snprintf(out, cap, "%lldm %llds", (long long)(s / 60), (long long)(s % 60));
	else
		snprintf(out, cap, "%llds", (long long)s);
}

/* "holds (sample of 2026-...): EMAIL_ADDRESS 12, PHONE_NUMBER 3; 3 stores,
 * 1200 records" from a window's holds; nothing when there are none. */
static void holds_line(FILE *out, const char *holds)
{
	json_t *h = holds ? json_loads(holds, 0, NULL) : NULL;
	if (!h)
		return;
	json_t *ent = json_object_get(h, "entities");
	const char *key;
	json_t *v;
	fprintf(out, "        sample of %s: ", json_string_value(json_object_get(h, "sampled_at")) ?: "?");
	int first = 1;
	json_object_foreach(ent, key, v) {
		fprintf(out, "%s%s %lld", first ? "" : ", ", key, (long long)json_integer_value(v));
		first = 0;
	}
	if (first)
		fputs("no personal data found", out);
	fprintf(out, " (%lld stores", (long long)json_integer_value(json_object_get(h, "stores")));
	if (json_object_get(h, "records"))
		fprintf(out, ", %lld records", (long long)json_integer_value(json_object_get(h, "records")));
	fputs(")\n", out);
	json_decref(h);
}

cordon_code cordon_windows_report(FILE *out, cordon_report_format format, const struct cordon_window *v, size_t n,
				  time_t now)
{
	if (format == CORDON_REPORT_SARIF)
		return CORDON_ERR_ARG;
	if (format == CORDON_REPORT_TEXT && !n)
		fputs("No exposure window.\n", out);
	for (size_t i = 0; i < n; i++) {
		const struct cordon_window *w = &v[i];
		char opened[32], closed[32], dur[32];
		iso(w->opened_at, opened, sizeof(opened));
		if (w->closed_at)
			iso(w->closed_at, closed, sizeof(closed));
		duration((w->closed_at ? w->closed_at : now) - w->opened_at, dur, sizeof(dur));
		if (format == CORDON_REPORT_JSON) {
			json_t *o = json_pack("{s:i, s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:I, s:s}", "schema_version", 1,
					      "window", (json_int_t)w->id, "fingerprint", w->fingerprint, "datastore",
					      w->datastore, "port", (json_int_t)w->port, "resource", w->resource, "severity",
					      w->severity, "sources_text", w->sources_text ? w->sources_text : "", "opened_at",
					      opened, "duration_s",
					      (json_int_t)((w->closed_at ? w->closed_at : now) - w->opened_at), "opened_by",
					      w->opened_by);
			if (!o)
				return CORDON_ERR_NOMEM;
			if (w->closed_at)
				json_object_set_new(o, "closed_at", json_string(closed));
			json_object_set_new(o, "open", json_boolean(!w->closed_at));
			if (w->closed_by)
				json_object_set_new(o, "closed_by", json_string(w->closed_by));
			if (w->asset)
				json_object_set_new(o, "asset", json_string(w->asset));
			if (w->owner)
				json_object_set_new(o, "owner", json_string(w->owner));
			json_t *holds = w->holds ? json_loads(w->holds, 0, NULL) : NULL;
			if (holds)
				json_object_set_new(o, "holds", holds);
			int bad = json_dumpf(o, out, JSON_COMPACT) || fputc('\n', out) == EOF;
			json_decref(o);
			if (bad)
				return CORDON_ERR_IO;
			continue;
		}
		fprintf(out, "%s  %-8s %s %u of %s%s%s%s%s%s\n", w->closed_at ? "closed" : "OPEN  ", w->severity,
			w->datastore, w->port, w->resource, w->asset ? " (asset " : "", w->asset ? w->asset : "",
			w->asset && w->owner ? ", owner " : "", w->asset && w->owner ? w->owner : "", w->asset ? ")" : "");
		fprintf(out, "        %s to %s: %s%s\n", opened, w->closed_at ? closed : "now", dur, w->closed_at ? "" : " so far");
		fprintf(out, "        opened by %s\n", w->opened_by);
		if (w->closed_by)
			fprintf(out, "        closed by %s\n", w->closed_by);
		fprintf(out, "        from %s  [%s]\n", w->sources_text ? w->sources_text : "?", w->fingerprint);
		holds_line(out, w->holds);
	}
	return ferror(out) ? CORDON_ERR_IO : CORDON_OK;
}
