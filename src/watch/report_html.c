/* cordon report: one self-contained HTML page from a watch's state (read
 * only): the exposures open now by severity and owner, what live checks
 * found in their samples (entity counts), the timeline of
 * windows drawn as an SVG chart, the recent changes, and how each sink's
 * deliveries stand, and each source. No script, no external resource:
 * the page is viewed offline, and every text from the state is escaped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "watch/watch.h"

static void esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
				fputc('?', f);
			else
				fputc(*s, f);
		}
	}
}

static const char *col(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	return v ? v : "";
}

static void when(FILE *f, time_t t)
{
	char b[32];
	struct tm tm;
	strftime(b, sizeof(b), "%Y-%m-%d %H:%M:%S UTC", gmtime_r(&t, &tm));
	fputs(b, f);
}

static const char *color(const char *sev)
{
	return !strcmp(sev, "critical") ? "#8b0000" : !strcmp(sev, "high") ? "#d9480f" : !strcmp(sev, "medium") ? "#e6a700"
											      : "#6c757d";
}

cordon_code cordon_watch_report_html(FILE *f, const char *state, time_t now, char *err, size_t errlen)
{
	struct state s;
	cordon_code rc = state_open(&s, state, 1);
	if (rc != CORDON_OK) {
		if (err)
			snprintf(err, errlen, "%s", s.err);
		return rc;
	}
	sqlite3_stmt *st;
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>cordon: exposures</title>\n"
	      "<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}h1{font-size:1.4em}"
	      "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.3em .6em;"
	      "text-align:left;vertical-align:top}th{background:#f3f3f3}.sev{color:#fff;padding:0 .4em;border-radius:3px}"
	      ".muted{color:#666}</style></head><body>\n",
	      f);
	fputs("<h1>cordon: data-store exposures</h1>\n<p class=\"muted\">From ", f);
	esc(f, state);
	fputs(", written ", f);
	when(f, now);
	fputs(".</p>\n", f);

	/* open now, by severity and owner */
	fputs("<h2 id=\"open\">Open now</h2>\n", f);
	int n = 0;
	if (sqlite3_prepare_v2(s.db,
			       "SELECT f.severity, COALESCE(f.owner, '(no owner)'), f.datastore, f.port, f.resource, "
			       "COALESCE(f.asset, ''), f.sources_text, f.rule, w.opened_at FROM findings f JOIN windows w ON "
			       "w.id = f.window_id ORDER BY CASE f.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN "
			       "'medium' THEN 2 ELSE 3 END, 2, w.opened_at",
			       -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			if (!n++)
				fputs("<table><tr><th>severity</th><th>owner</th><th>what</th><th>asset</th><th>from</th>"
				      "<th>through</th><th>open since</th></tr>\n",
				      f);
			fprintf(f, "<tr><td><span class=\"sev\" style=\"background:%s\">", color(col(st, 0)));
			esc(f, col(st, 0));
			fputs("</span></td><td>", f);
			esc(f, col(st, 1));
			fputs("</td><td>", f);
			esc(f, col(st, 2));
			fprintf(f, " %d of ", sqlite3_column_int(st, 3));
			esc(f, col(st, 4));
			fputs("</td><td>", f);
			esc(f, col(st, 5));
			fputs("</td><td>", f);
			esc(f, col(st, 6));
			fputs("</td><td>", f);
			esc(f, col(st, 7));
			fputs("</td><td>", f);
			when(f, (time_t)sqlite3_column_int64(st, 8));
			fputs("</td></tr>\n", f);
		}
		sqlite3_finalize(st);
	}
	fputs(n ? "</table>\n" : "<p>No exposure is open.</p>\n", f);

	/* what live checks found in their samples: counts of entities, never a value */
	fputs("<h2 id=\"samples\">What live checks found</h2>\n", f);
	n = 0;
	char sql[400];
	snprintf(sql, sizeof(sql),
		 "SELECT datastore, port, resource, COALESCE(asset, ''), COALESCE(owner, '(no owner)'), closed_at IS NULL, "
		 "%s FROM windows WHERE %s IS NOT NULL ORDER BY closed_at IS NULL DESC, opened_at DESC LIMIT 50",
		 state_holds_col(&s), state_holds_col(&s));
	if (sqlite3_prepare_v2(s.db, sql, -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			json_t *h = json_loads(col(st, 6), 0, NULL);
			if (!h)
				continue;
			if (!n++)
				fputs("<table><tr><th>what</th><th>asset</th><th>owner</th><th>window</th><th>sampled</th>"
				      "<th>personal data in the sample</th><th>stores</th><th>records</th></tr>\n",
				      f);
			fputs("<tr><td>", f);
			esc(f, col(st, 0));
			fprintf(f, " %d of ", sqlite3_column_int(st, 1));
			esc(f, col(st, 2));
			fputs("</td><td>", f);
			esc(f, col(st, 3));
			fputs("</td><td>", f);
			esc(f, col(st, 4));
			fputs(sqlite3_column_int(st, 5) ? "</td><td>open</td><td>" : "</td><td>closed</td><td>", f);
			esc(f, json_string_value(json_object_get(h, "sampled_at")));
			fputs("</td><td>", f);
			const char *key;
			json_t *v;
			int first = 1;
			json_object_foreach(json_object_get(h, "entities"), key, v) {
				fputs(first ? "" : ", ", f);
				esc(f, key);
				fprintf(f, " %lld", (long long)json_integer_value(v));
				first = 0;
			}
			if (first)
				fputs("none found", f);
			fprintf(f, "</td><td>%lld</td><td>", (long long)json_integer_value(json_object_get(h, "stores")));
			if (json_object_get(h, "records"))
				fprintf(f, "%lld", (long long)json_integer_value(json_object_get(h, "records")));
			else
				fputs("?", f);
			fputs("</td></tr>\n", f);
			json_decref(h);
		}
		sqlite3_finalize(st);
	}
	fputs(n ? "</table>\n" : "<p>No live check has found a store open.</p>\n", f);

	/* the timeline: a bar per window over the span of all of them */
	fputs("<h2 id=\"timeline\">Timeline</h2>\n", f);
	long long first = 0, count = 0;
	if (sqlite3_prepare_v2(s.db, "SELECT min(opened_at), min(count(*), 200) FROM windows", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW) {
			first = sqlite3_column_int64(st, 0);
			count = sqlite3_column_int64(st, 1);
		}
		sqlite3_finalize(st);
	}
	int rows = 0;
	if (first && sqlite3_prepare_v2(s.db,
					"SELECT opened_at, COALESCE(closed_at, 0), severity, datastore, port, resource, "
					"COALESCE(asset, '') FROM windows ORDER BY opened_at, id LIMIT 200",
					-1, &st, NULL) == SQLITE_OK) {
		double span = (double)(now - first) > 1 ? (double)(now - first) : 1, width = 640;
		fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1000\" height=\"%lld\" role=\"img\" "
			"aria-label=\"exposure windows over time\" style=\"border:1px solid #ddd\">\n",
			34 + count * 18);
		while (sqlite3_step(st) == SQLITE_ROW) {
			long long o = sqlite3_column_int64(st, 0), c = sqlite3_column_int64(st, 1);
			double x = 340 + width * (double)(o - first) / span;
			double wdt = width * (double)((c ? c : now) - o) / span;
			if (wdt < 2)
				wdt = 2;
			int y = 10 + rows * 18;
			fprintf(f, "<text x=\"5\" y=\"%d\" font-size=\"11\">", y + 11);
			esc(f, col(st, 3));
			fprintf(f, " %d ", sqlite3_column_int(st, 4));
			esc(f, *col(st, 6) ? col(st, 6) : col(st, 5));
			fprintf(f, "</text><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"12\" fill=\"%s\"%s><title>", x, y,
				wdt, color(col(st, 2)), c ? "" : " stroke=\"#000\"");
			when(f, (time_t)o);
			fputs(" to ", f);
			if (c)
				when(f, (time_t)c);
			else
				fputs("now (open)", f);
			fputs("</title></rect>\n", f);
			rows++;
		}
		sqlite3_finalize(st);
		fprintf(f, "<text x=\"340\" y=\"%d\" font-size=\"11\" class=\"muted\">", 24 + rows * 18);
		when(f, (time_t)first);
		fprintf(f, "</text><text x=\"980\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">now</text>\n</svg>\n",
			24 + rows * 18);
	}
	if (!rows)
		fputs("<p>No exposure window yet.</p>\n", f);

	/* recent changes */
	fputs("<h2 id=\"changes\">Recent changes</h2>\n<table><tr><th>when</th><th>change</th><th>by</th></tr>\n", f);
	if (sqlite3_prepare_v2(s.db,
			       "SELECT t, what, by FROM (SELECT opened_at AS t, 'opened: ' || datastore || ' ' || port || ' of ' "
			       "|| resource AS what, opened_by AS by FROM windows UNION ALL SELECT closed_at, 'closed: ' || "
			       "datastore || ' ' || port || ' of ' || resource, closed_by FROM windows WHERE closed_at IS NOT "
			       "NULL) ORDER BY t DESC LIMIT 20",
			       -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			fputs("<tr><td>", f);
			when(f, (time_t)sqlite3_column_int64(st, 0));
			fputs("</td><td>", f);
			esc(f, col(st, 1));
			fputs("</td><td>", f);
			esc(f, col(st, 2));
			fputs("</td></tr>\n", f);
		}
		sqlite3_finalize(st);
	}
	fputs("</table>\n", f);

	/* deliveries and sources */
	fputs("<h2 id=\"delivery\">Alert delivery</h2>\n<table><tr><th>sink</th><th>delivered</th><th>waiting</th>"
	      "<th>last error</th></tr>\n",
	      f);
	if (sqlite3_prepare_v2(s.db,
			       "SELECT sink, sum(delivered_at IS NOT NULL), sum(delivered_at IS NULL), (SELECT last_error FROM "
			       "outbox o2 WHERE o2.sink = o.sink AND o2.last_error IS NOT NULL ORDER BY id DESC LIMIT 1) "
			       "FROM outbox o GROUP BY sink ORDER BY sink",
			       -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			fputs("<tr><td>", f);
			esc(f, col(st, 0));
			fprintf(f, "</td><td>%lld</td><td>%lld</td><td>", (long long)sqlite3_column_int64(st, 1),
				(long long)sqlite3_column_int64(st, 2));
			esc(f, col(st, 3));
			fputs("</td></tr>\n", f);
		}
		sqlite3_finalize(st);
	}
	fputs("</table>\n<h2 id=\"sources\">Sources</h2>\n<table><tr><th>source</th><th>last evaluated</th>"
	      "<th>state</th></tr>\n",
	      f);
	if (sqlite3_prepare_v2(s.db, "SELECT path, evaluated_at, COALESCE(error, 'ok') FROM sources ORDER BY path", -1, &st,
			       NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			fputs("<tr><td>", f);
			esc(f, col(st, 0));
			fputs("</td><td>", f);
			when(f, (time_t)sqlite3_column_int64(st, 1));
			fputs("</td><td>", f);
			esc(f, col(st, 2));
			fputs("</td></tr>\n", f);
		}
		sqlite3_finalize(st);
	}
	fputs("</table>\n</body></html>\n", f);
	state_close(&s);
	return ferror(f) ? CORDON_ERR_IO : CORDON_OK;
}
