/* Text for people: findings grouped by file and resource, worst first in
 * each; one line says what is reachable from where, the next through which
 * rules, with the fingerprint an ignore: entry names. A baseline run says
 * what changed and what it was. Control characters in names are escaped:
 * one finding stays on its lines whatever an export holds. */
#include <stdlib.h>
#include <string.h>
#include "findings/report.h"

static int by_resource(const void *pa, const void *pb)
{
	const struct cordon_report_item *ia = *(const struct cordon_report_item *const *)pa,
					*ib = *(const struct cordon_report_item *const *)pb;
	const struct cordon_exposure *a = item_exposure(ia), *b = item_exposure(ib);
	if (a->endpoint && b->endpoint && a->severity != b->severity) /* live checks: worst first */
		return a->severity > b->severity ? -1 : 1;
	int c = strcmp(a->file, b->file);
	if (!c)
		c = strcmp(a->resource, b->resource);
	if (!c && (ia->change == CORDON_CHANGE_CLOSED) != (ib->change == CORDON_CHANGE_CLOSED))
		c = ia->change == CORDON_CHANGE_CLOSED ? 1 : -1;
	if (!c && a->severity != b->severity)
		c = a->severity > b->severity ? -1 : 1;
	if (!c)
		c = a->port < b->port ? -1 : a->port > b->port;
	if (!c)
		c = (int)a->protocol - (int)b->protocol;
	if (!c)
		c = strcmp(a->kind, b->kind);
	return c;
}

static void severity(FILE *f, cordon_severity s)
{
	char up[16];
	size_t i = 0;
	for (const char *p = cordon_severity_name(s); *p && i + 1 < sizeof(up); p++)
		up[i++] = (char)(*p - 'a' + 'A');
	up[i] = '\0';
	fprintf(f, "%-8s", up);
}

/* "from X" (network) or "listens on X" (config), and the width when the
 * text is a list: "from 203.0.113.5/32, 203.0.113.9/32 (2 addresses)". */
static void reach(FILE *f, const struct cordon_exposure *e)
{
	int net = strcmp(e->kind, "unauthenticated_config") != 0;
	fputs(net ? "from " : "", f);
	report_put_safe(f, e->sources_text);
	if (strncmp(e->sources_text, "the ", 4) && strcmp(e->width, "")) {
		fputs(" (", f);
		report_put_safe(f, e->width);
		putc(')', f);
	}
}

static void rules(FILE *f, const struct cordon_exposure *e)
{
	int net = strcmp(e->kind, "unauthenticated_config") != 0;
	fputs(net ? "via " : "because ", f);
	for (size_t i = 0; i < e->nrules; i++) {
		if (i)
			fputs(", ", f);
		report_put_safe(f, e->rules[i]);
	}
	if (!e->nrules)
		report_put_safe(f, e->rule);
	if (e->line)
		fprintf(f, " (line %u)", e->line);
}

/* "asset NAME (owner TEAM): SENSITIVITY" and "note: ...", when there are. */
static void asset_and_note(FILE *out, const struct cordon_exposure *e, const char *indent)
{
	if (e->asset) {
		fprintf(out, "%sasset ", indent);
		report_put_safe(out, e->asset);
		if (e->owner) {
			fputs(" (owner ", out);
			report_put_safe(out, e->owner);
			putc(')', out);
		}
		if (e->sensitivity) {
			fputs(": ", out);
			report_put_safe(out, e->sensitivity);
		}
		putc('\n', out);
	}
	if (e->note) {
		fprintf(out, "%snote: ", indent);
		report_put_safe(out, e->note);
		putc('\n', out);
	}
}

static void with_commas(FILE *f, int64_t v)
{
	char d[32];
	int n = snprintf(d, sizeof(d), "%lld", (long long)v);
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0 && d[0] != '-')
			putc(',', f);
		putc(d[i], f);
	}
}

static const char *kind_text(const char *kind)
{
	return !strcmp(kind, "unauthenticated_access") ? "answers without authentication"
	       : !strcmp(kind, "authenticated")       ? "authentication is on"
	       : !strcmp(kind, "unreachable")         ? "did not answer"
	       : !strcmp(kind, "unverified")          ? "answers; authentication not checked"
						      : "not a data store cordon knows";
}

enum { STORES_SHOWN = 10 };

/* A live check: what answered, how, what it holds. */
static void probe_item(FILE *out, const struct cordon_report_item *it)
{
	const struct cordon_exposure *e = item_exposure(it);
	if (it->change != CORDON_CHANGE_NONE)
		fprintf(out, "%s ", cordon_change_name(it->change));
	severity(out, e->severity);
	putc(' ', out);
	report_put_safe(out, e->endpoint);
	fputs("  ", out);
	report_put_safe(out, e->service);
	if (e->version) {
		putc(' ', out);
		report_put_safe(out, e->version);
	}
	fprintf(out, ": %s\n          ", kind_text(e->kind));
	report_put_safe(out, e->evidence);
	putc('\n', out);
	if (e->nstores) {
		fputs("          stores: ", out);
		for (size_t i = 0; i < e->nstores && i < STORES_SHOWN; i++) {
			fputs(i ? ", " : "", out);
			report_put_safe(out, e->stores[i].name);
			if (e->stores[i].records >= 0) {
				fputs(" (", out);
				with_commas(out, e->stores[i].records);
				fputs(e->stores[i].records == 1 ? " record" : " records", out);
				fputs(e->stores[i].bytes >= 0 ? ", " : ")", out);
			}
			if (e->stores[i].bytes >= 0) {
				fputs(e->stores[i].records >= 0 ? "" : " (", out);
				with_commas(out, e->stores[i].bytes);
				fputs(" bytes)", out);
			}
		}
		if (e->nstores > STORES_SHOWN)
			fprintf(out, " and %zu more", e->nstores - STORES_SHOWN);
		putc('\n', out);
	}
	if (e->nholds) {
		fputs("          personal data in the sample: ", out);
		for (size_t i = 0; i < e->nholds; i++) {
			fputs(i ? ", " : "", out);
			report_put_safe(out, e->holds[i].entity);
			fprintf(out, " %llu (", (unsigned long long)e->holds[i].count);
			report_put_safe(out, e->holds[i].preview);
			putc(')', out);
		}
		putc('\n', out);
	}
	if (it->now && it->before) {
		fputs("          was ", out);
		severity(out, it->before->severity);
		fprintf(out, " %s\n", kind_text(it->before->kind));
	}
	asset_and_note(out, e, "          ");
	fprintf(out, "          [%s]\n", e->fingerprint);
}

static cordon_code write_text(FILE *out, const struct cordon_report_options *o, const struct cordon_report_item *items,
			      size_t n)
{
	const struct cordon_report_item **v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return CORDON_ERR_NOMEM;
	size_t shown = 0, ignored = 0;
	for (size_t k = 0; k < n; k++) {
		if (items[k].ignored)
			ignored++;
		else
			v[shown++] = &items[k];
	}
	if (shown > 1)
		qsort(v, shown, sizeof(*v), by_resource);
	if (!shown)
		fputs(o->baseline ? "No exposure opened, widened, narrowed or closed.\n"
		      : o->nothing ? o->nothing
				   : "No data-store port is reachable.\n",
		      out);
	const struct cordon_exposure *last = NULL;
	for (size_t k = 0; k < shown; k++) {
		const struct cordon_exposure *e = item_exposure(v[k]);
		if (e->endpoint) {
			probe_item(out, v[k]);
			continue;
		}
		if (!last || strcmp(last->resource, e->resource) || strcmp(last->file, e->file)) {
			fputs(k ? "\n" : "", out);
			report_put_safe(out, e->platform);
			putc(' ', out);
			report_put_safe(out, e->resource);
			fputs(" (", out);
			report_put_safe(out, e->file);
			fputs(")\n", out);
		}
		last = e;
		fputs("  ", out);
		if (v[k]->change != CORDON_CHANGE_NONE)
			fprintf(out, "%s ", cordon_change_name(v[k]->change));
		severity(out, e->severity);
		fprintf(out, " %5u/%s  %-26s ", e->port, protocol_name(e->protocol), e->datastore);
		reach(out, e);
		fputs("\n           ", out);
		rules(out, e);
		fprintf(out, "  [%s]\n", e->fingerprint);
		if (v[k]->now && v[k]->before && v[k]->change != CORDON_CHANGE_CHANGED) {
			fputs("           was ", out);
			if (v[k]->before->severity != e->severity) {
				severity(out, v[k]->before->severity);
				putc(' ', out);
			}
			reach(out, v[k]->before);
			putc('\n', out);
		} else if (v[k]->now && v[k]->before) {
			fputs("           was ", out);
			rules(out, v[k]->before);
			putc('\n', out);
		}
		asset_and_note(out, e, "           ");
	}
	if (ignored)
		fprintf(out, "\n%zu finding%s accepted by the config's ignore: list, not shown.\n", ignored,
			ignored == 1 ? "" : "s");
	free(v);
	return ferror(out) ? CORDON_ERR_IO : CORDON_OK;
}

const struct reporter report_text = { "text", CORDON_REPORT_TEXT, write_text };
