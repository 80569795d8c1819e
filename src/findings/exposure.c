/* The parts of an exposure made from its other members: check id,
 * fingerprint, and the texts people read (sources, width). Kept apart from
 * the finders so every one writes them alike. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "findings/exposure.h"
#include "util/strbuf.h"

const char *cordon_severity_name(cordon_severity s)
{
	static const char *const names[] = { "info", "medium", "high", "critical" };
	return (unsigned)s <= CORDON_SEV_CRITICAL ? names[s] : "?";
}

cordon_code cordon_severity_from_name(const char *name, cordon_severity *out)
{
	for (int s = CORDON_SEV_INFO; s <= CORDON_SEV_CRITICAL; s++)
		if (name && out && !strcasecmp(name, cordon_severity_name((cordon_severity)s))) {
			*out = (cordon_severity)s;
			return CORDON_OK;
		}
	return CORDON_ERR_ARG;
}

const char *cordon_change_name(cordon_change c)
{
	static const char *const names[] = { "", "opened", "widened", "narrowed", "changed", "closed" };
	return (unsigned)c <= CORDON_CHANGE_CLOSED ? names[c] : "?";
}

/* Lowercase letters and digits, runs of anything else as one '-'. */
static void slug(struct strbuf *b, const char *s)
{
	int dash = 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
			if (dash && b->len && b->buf[b->len - 1] != '/')
				sb_putc(b, '-');
			dash = 0;
			sb_putc(b, (char)(c | ((c >= 'A' && c <= 'Z') ? 0x20 : 0)));
		} else {
			dash = 1;
		}
	}
}

static char *take(struct strbuf *b)
{
	return sb_detach(b);
}

char *exposure_check(const char *kind, const char *datastore)
{
	struct strbuf b = STRBUF_INIT;
	slug(&b, kind);
	sb_putc(&b, '/');
	slug(&b, datastore ? datastore : "?");
	return take(&b);
}

char *exposure_fingerprint(const struct cordon_exposure *e)
{
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	char port[32];
	snprintf(port, sizeof(port), "%u/%s", e->port, e->protocol == CORDON_PROTO_UDP ? "udp" : "tcp");
	/* a live check keeps its fingerprint when its kind changes (open,
	 * then closed with a password): the diff then says "narrowed" */
	int live = e->platform && !strcmp(e->platform, "probe");
	const char *parts[] = { "cordon-exposure-v1", live ? "live" : e->kind, e->platform, e->resource, port };
	crypto_hash_sha256_init(&st);
	for (size_t i = 0; i < sizeof(parts) / sizeof(*parts); i++) /* each with its NUL: no two joins alike */
		crypto_hash_sha256_update(&st, (const unsigned char *)(parts[i] ? parts[i] : ""),
					  strlen(parts[i] ? parts[i] : "") + 1);
	crypto_hash_sha256_final(&st, h);
	char *out = malloc(CORDON_FINGERPRINT_LEN + 1);
	if (out)
		sodium_bin2hex(out, CORDON_FINGERPRINT_LEN + 1, h, CORDON_FINGERPRINT_LEN / 2);
	return out;
}

static int is_v4_all(const char *s) { return !strcmp(s, "0.0.0.0/0"); }
static int is_v6_all(const char *s) { return !strcmp(s, "::/0"); }

enum { SHOWN = 12 }; /* items a text names before saying how many more */

static void list(struct strbuf *b, const char *const *v, size_t n, int skip_all)
{
	size_t shown = 0, left = 0;
	for (size_t i = 0; i < n; i++) {
		if (skip_all && (is_v4_all(v[i]) || is_v6_all(v[i])))
			continue;
		if (shown == SHOWN) {
			left++;
			continue;
		}
		if (b->len)
			sb_puts(b, ", ");
		sb_puts(b, strcmp(v[i], "tag:*") ? v[i] : "every service tag");
		shown++;
	}
	if (left)
		sb_printf(b, " and %zu more", left);
}

char *exposure_sources_text(const struct cordon_exposure *e)
{
	struct strbuf b = STRBUF_INIT;
	if (!strcmp(e->kind, "unauthenticated_config")) {
		sb_puts(&b, "listens on ");
		size_t mark = b.len;
		struct strbuf items = STRBUF_INIT;
		list(&items, e->sources, e->nsources, 0);
		sb_add(&b, items.buf ? items.buf : "", items.len);
		sb_release(&items);
		if (b.len == mark)
			sb_puts(&b, "?");
		return take(&b);
	}
	int v4 = 0, v6 = 0;
	for (size_t i = 0; i < e->nsources; i++) {
		v4 |= is_v4_all(e->sources[i]);
		v6 |= is_v6_all(e->sources[i]);
	}
	struct strbuf items = STRBUF_INIT;
	list(&items, e->sources, e->nsources, 1);
	if (v4 || v6)
		sb_puts(&b, v4 && v6 ? "the Internet" : v4 ? "the IPv4 Internet" : "the IPv6 Internet");
	if (items.len) {
		if (b.len)
			sb_puts(&b, ", ");
		sb_add(&b, items.buf, items.len);
	}
	sb_release(&items);
	if (e->nexcept) {
		struct strbuf ex = STRBUF_INIT;
		list(&ex, e->except, e->nexcept, 0);
		sb_puts(&b, " except ");
		sb_add(&b, ex.buf ? ex.buf : "", ex.len);
		sb_release(&ex);
	}
	if (!b.len)
		sb_puts(&b, "nobody");
	return take(&b);
}

/* 65536 as "65,536". */
static void with_commas(struct strbuf *b, uint64_t n)
{
	char digits[32];
	int len = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)n);
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			sb_putc(b, ',');
		sb_putc(b, digits[i]);
	}
}

static void count(struct strbuf *b, size_t n, const char *one, const char *many)
{
	if (!n)
		return;
	if (b->len)
		sb_puts(b, " and ");
	with_commas(b, n);
	sb_printf(b, " %s", n == 1 ? one : many);
}


char *exposure_width(const struct cordon_exposure *e)
{
	struct strbuf b = STRBUF_INIT;
	int v4 = 0, v6 = 0, every_tag = 0;
	size_t v6_ranges = 0, tags = 0, named = 0;
	for (size_t i = 0; i < e->nsources; i++) {
		const char *s = e->sources[i];
		if (is_v4_all(s))
			v4 = 1;
		else if (is_v6_all(s))
			v6 = 1;
		else if (!strcmp(s, "tag:*"))
			every_tag = 1;
		else if (!strncmp(s, "tag:", 4))
			tags++;
		else if (strchr(s, ':'))
			v6_ranges++;
		else if (!strchr(s, '/'))
			named++;
	}
	if ((v4 || v6) && e->nexcept) {
		sb_puts(&b, v4 && v6 ? "the Internet" : v4 ? "the IPv4 Internet" : "the IPv6 Internet");
		sb_printf(&b, " but %zu range%s", e->nexcept, e->nexcept == 1 ? "" : "s");
		return take(&b);
	}
	if (v4 && v6)
		sb_puts(&b, "the whole Internet");
	else if (v4)
		sb_puts(&b, "the whole IPv4 Internet");
	else if (v6)
		sb_puts(&b, "the whole IPv6 Internet");
	else
		count(&b, e->addresses, "address", "addresses");
	if (!v6)
		count(&b, v6_ranges, "IPv6 range", "IPv6 ranges");
	count(&b, tags, "service tag", "service tags");
	if (every_tag)
		sb_printf(&b, "%severy service tag", b.len ? " and " : "");
	count(&b, named, "group", "groups");
	if (!b.len)
		sb_puts(&b, "nobody");
	return take(&b);
}
