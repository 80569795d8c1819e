/* Targets as nmap and nuclei users write them: host, host:port,
 * [v6addr]:port, CIDR blocks, a range of the last octet (10.0.0.5-20),
 * URLs; ports as a list ("9200,6379,8000-8010", "U:11211"); exclusions.
 * They make endpoints lazily, port-major (every address on one port, then
 * the next port), so a big block is never held in memory and a host's
 * ports are spread over the run rather than hit together. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "probe/probe.h"
#include "util/alloc.h"
#include "util/datastores.h"

/* A block bigger than this is refused: scanning a /8 is not what this
 * tool is for, and a typo should not start one. */
enum { MAX_BLOCK_BITS = 20 };

cordon_code probe_fail_run(struct cordon_probe *p, cordon_code rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
	return rc;
}

static int parse_port(const char *s, size_t n, unsigned *out)
{
	unsigned v = 0;
	if (n == 0 || n > 5)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v == 0 || v > 65535)
		return -1;
	*out = v;
	return 0;
}

static cordon_code add_port(struct cordon_probe *p, unsigned port, cordon_protocol proto)
{
	for (size_t i = 0; i < p->nports; i++)
		if (p->ports[i].port == port && p->ports[i].proto == proto)
			return CORDON_OK;
	if (ALLOC_GROW(p->ports, p->nports + 1, p->capports))
		return CORDON_ERR_NOMEM;
	p->ports[p->nports++] = (struct port_item){ port, proto };
	return CORDON_OK;
}

static cordon_code add_table_port(void *arg, const char *name, unsigned lo, unsigned hi, cordon_protocol proto)
{
	struct cordon_probe *p = arg;
	(void)name;
	for (unsigned port = lo; port <= hi; port++) {
		cordon_code rc = add_port(p, port, proto);
		if (rc != CORDON_OK)
			return rc;
	}
	return CORDON_OK;
}

cordon_code cordon_probe_set_ports(cordon_probe *p, const char *list)
{
	if (!p || !list)
		return CORDON_ERR_ARG;
	p->nports = 0;
	p->ports_set = 1;
	if (!strcmp(list, "-"))
		return datastores_each(add_table_port, p);
	cordon_protocol proto = CORDON_PROTO_TCP;
	const char *s = list;
	while (*s) {
		size_t n = strcspn(s, ",");
		const char *item = s;
		if (n >= 2 && (item[0] == 'U' || item[0] == 'T' || item[0] == 'u' || item[0] == 't') && item[1] == ':') {
			proto = (item[0] == 'U' || item[0] == 'u') ? CORDON_PROTO_UDP : CORDON_PROTO_TCP;
			item += 2;
			n -= 2;
		}
		const char *dash = memchr(item, '-', n);
		unsigned lo, hi;
		if (dash ? parse_port(item, (size_t)(dash - item), &lo) || parse_port(dash + 1, n - (size_t)(dash - item) - 1, &hi) || lo > hi
			 : parse_port(item, n, &lo))
			return probe_fail_run(p, CORDON_ERR_ARG, "--ports: '%.*s' is not a port or range (1-65535)", (int)n,
					      item);
		if (!dash)
			hi = lo;
		for (unsigned port = lo; port <= hi; port++) {
			cordon_code rc = add_port(p, port, proto);
			if (rc != CORDON_OK)
				return rc;
		}
		s = item + n;
		if (*s == ',')
			s++;
	}
	if (!p->nports)
		return probe_fail_run(p, CORDON_ERR_ARG, "%s", "--ports: give at least one port");
	return CORDON_OK;
}

static void set_v4(struct sockaddr_storage *ss, uint32_t host_order)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	memset(ss, 0, sizeof(*ss));
	in->sin_family = AF_INET;
	in->sin_addr.s_addr = htonl(host_order);
}

static cordon_code add(struct cordon_probe *p, const struct target *t)
{
	if (ALLOC_GROW(p->targets, p->ntargets + 1, p->captargets))
		return CORDON_ERR_NOMEM;
	p->targets[p->ntargets++] = *t;
	return CORDON_OK;
}

/* A name: resolved now, its first address (as nmap does). */
static cordon_code resolve(struct cordon_probe *p, struct target *t, const char *name)
{
	struct addrinfo hints = { 0 }, *res = NULL;
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	int rc = getaddrinfo(name, NULL, &hints, &res);
	if (rc || !res)
		return probe_fail_run(p, CORDON_ERR_ARG, "'%s': cannot resolve: %s", name, rc ? gai_strerror(rc) : "no address");
	if (res->ai_family == AF_INET) {
		uint32_t a = ntohl(((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr);
		t->family = AF_INET;
		t->lo = t->hi = a;
	} else {
		t->family = AF_INET6;
		memcpy(&t->sa, res->ai_addr, res->ai_addrlen);
	}
	freeaddrinfo(res);
	if (!(t->host = strdup(name)))
		return CORDON_ERR_NOMEM;
	return CORDON_OK;
}

/* host part (no port): v4 address, v4 CIDR, v4 last-octet range, v6
 * address or CIDR (small), or a name. */
static cordon_code parse_host(struct cordon_probe *p, struct target *t, const char *h)
{
	char buf[256];
	if (!*h || strlen(h) >= sizeof(buf))
		return probe_fail_run(p, CORDON_ERR_ARG, "'%s': not a host", h);
	memcpy(buf, h, strlen(h) + 1);
	char *slash = strchr(buf, '/');
	unsigned prefix = 0;
	if (slash) {
		*slash = '\0';
		char *end;
		errno = 0;
		unsigned long v = strtoul(slash + 1, &end, 10);
		if (errno || end == slash + 1 || *end || v > 128)
			return probe_fail_run(p, CORDON_ERR_ARG, "'%s': not a CIDR block", h);
		prefix = (unsigned)v;
	}
	struct in_addr a4;
	struct in6_addr a6;
	if (inet_pton(AF_INET, buf, &a4) == 1) {
		uint32_t a = ntohl(a4.s_addr);
		t->family = AF_INET;
		if (slash) {
			if (prefix > 32)
				return probe_fail_run(p, CORDON_ERR_ARG, "'%s': not a CIDR block", h);
			if (32 - prefix > MAX_BLOCK_BITS)
				return probe_fail_run(p, CORDON_ERR_TOO_LARGE,
						      "'%s': a block of more than 2^%d addresses; split it", h,
						      MAX_BLOCK_BITS);
			uint32_t mask = prefix ? ~(uint32_t)0 << (32 - prefix) : 0;
			t->lo = a & mask;
			t->hi = t->lo | ~mask;
		} else {
			t->lo = t->hi = a;
		}
		return CORDON_OK;
	}
	char *dash = strrchr(buf, '-');
	if (!slash && dash) { /* 10.0.0.5-20 */
		*dash = '\0';
		char *end;
		errno = 0;
		unsigned long last = strtoul(dash + 1, &end, 10);
		if (inet_pton(AF_INET, buf, &a4) == 1) {
			uint32_t a = ntohl(a4.s_addr);
			if (errno || end == dash + 1 || *end || last > 255 || last < (a & 0xff))
				return probe_fail_run(p, CORDON_ERR_ARG, "'%s': not a range (10.0.0.5-20)", h);
			t->family = AF_INET;
			t->lo = a;
			t->hi = (a & ~(uint32_t)0xff) | (uint32_t)last;
			return CORDON_OK;
		}
		*dash = '-';
	}
	if (inet_pton(AF_INET6, buf, &a6) == 1) {
		if (slash && prefix != 128)
			return probe_fail_run(p, CORDON_ERR_ARG, "'%s': IPv6 blocks are not scanned; give addresses", h);
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&t->sa;
		memset(&t->sa, 0, sizeof(t->sa));
		in6->sin6_family = AF_INET6;
		in6->sin6_addr = a6;
		t->family = AF_INET6;
		return CORDON_OK;
	}
	if (slash)
		return probe_fail_run(p, CORDON_ERR_ARG, "'%s': not a CIDR block", h);
	for (const char *c = buf; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-' ||
		      *c == '.' || *c == '_'))
			return probe_fail_run(p, CORDON_ERR_ARG, "'%s': not a host, address, block or URL", h);
	return resolve(p, t, buf);
}

cordon_code target_parse(struct cordon_probe *p, const char *target)
{
	if (!p || !target)
		return CORDON_ERR_ARG;
	struct target t = { 0 };
	t.proto = CORDON_PROTO_TCP;
	char host[300];
	const char *s = target;
	const char *sep = strstr(s, "://");
	if (sep) {
		size_t sl = (size_t)(sep - s);
		if (sl == 4 && !strncasecmp(s, "http", 4))
			t.scheme = 1;
		else if (sl == 5 && !strncasecmp(s, "https", 5))
			t.scheme = 2;
		else
			return probe_fail_run(p, CORDON_ERR_ARG, "'%s': URLs are http:// or https://", target);
		s = sep + 3;
		const char *at = strpbrk(s, "@/?#");
		if (at && *at == '@')
			return probe_fail_run(p, CORDON_ERR_ARG,
					      "'%s': credentials in a target URL are not used (cordon probes as a stranger)",
					      target);
		t.port = t.scheme == 2 ? 443 : 80;
	}
	size_t hl = strcspn(s, "/?#");
	if (!sep && s[hl])
		hl = strlen(s); /* a CIDR block's slash */
	const char *portp = NULL;
	size_t portl = 0;
	if (*s == '[') {
		const char *close = memchr(s, ']', hl);
		if (!close || close - s - 1 >= (long)sizeof(host))
			return probe_fail_run(p, CORDON_ERR_ARG, "'%s': '[' without ']'", target);
		memcpy(host, s + 1, (size_t)(close - s - 1));
		host[close - s - 1] = '\0';
		if (close + 1 < s + hl) {
			if (close[1] != ':')
				return probe_fail_run(p, CORDON_ERR_ARG, "'%s': ']' then not ':PORT'", target);
			portp = close + 2;
			portl = (size_t)(s + hl - portp);
		}
		struct in6_addr a6;
		if (inet_pton(AF_INET6, host, &a6) != 1)
			return probe_fail_run(p, CORDON_ERR_ARG, "'%s': not an IPv6 address in brackets", target);
	} else {
		const char *colon = memchr(s, ':', hl);
		const char *second = colon ? memchr(colon + 1, ':', (size_t)(s + hl - colon - 1)) : NULL;
		if (colon && !second) {
			portp = colon + 1;
			portl = (size_t)(s + hl - portp);
			hl = (size_t)(colon - s);
		}
		if (hl >= sizeof(host))
			return probe_fail_run(p, CORDON_ERR_ARG, "'%.40s...': too long for a host", target);
		memcpy(host, s, hl);
		host[hl] = '\0';
	}
	if (portp && parse_port(portp, portl, &t.port))
		return probe_fail_run(p, CORDON_ERR_ARG, "'%s': '%.*s' is not a port (1-65535)", target, (int)portl, portp);
	cordon_code rc = parse_host(p, &t, host);
	if (rc != CORDON_OK) {
		free(t.host);
		return rc;
	}
	if ((rc = add(p, &t)) != CORDON_OK)
		free(t.host);
	return rc;
}

static void prefix_error(struct cordon_probe *p, const char *source)
{
	char why[sizeof(p->err)];
	memcpy(why, p->err, sizeof(why));
	snprintf(p->err, sizeof(p->err), "%.200s: %.300s", source, why);
}

cordon_code cordon_probe_add_target(cordon_probe *p, const char *target, const char *source)
{
	cordon_code rc = target_parse(p, target);
	if (rc != CORDON_OK && source && p) /* "t.txt line 2: 'x': not a host" */
		prefix_error(p, source);
	return rc;
}

cordon_code cordon_probe_add_asset(cordon_probe *p, const char *endpoint, const char *asset, const char *owner,
				   const char *sensitivity)
{
	if (!p || !endpoint || !asset)
		return CORDON_ERR_ARG;
	if (ALLOC_GROW(p->assets, p->nassets + 1, p->capassets))
		return CORDON_ERR_NOMEM;
	/* parsed as a target, kept apart: findings of any target join it */
	char source[320];
	snprintf(source, sizeof(source), "asset '%s'", asset);
	size_t before = p->ntargets;
	cordon_code rc = target_parse(p, endpoint);
	if (rc != CORDON_OK)
		prefix_error(p, source);
	if (rc != CORDON_OK)
		return rc;
	struct probe_asset *a = &p->assets[p->nassets];
	*a = (struct probe_asset){ strdup(endpoint), strdup(asset), owner ? strdup(owner) : NULL,
				   sensitivity ? strdup(sensitivity) : NULL, p->targets[before] };
	p->ntargets = before;
	if (!a->endpoint || !a->name || (owner && !a->owner) || (sensitivity && !a->sensitivity)) {
		free(a->endpoint);
		free(a->name);
		free(a->owner);
		free(a->sensitivity);
		free(a->t.host);
		return CORDON_ERR_NOMEM;
	}
	p->nassets++;
	return CORDON_OK;
}

cordon_code cordon_probe_exclude(cordon_probe *p, const char *spec)
{
	if (!p || !spec)
		return CORDON_ERR_ARG;
	const char *s = spec;
	while (*s) {
		size_t n = strcspn(s, ",");
		char buf[64];
		if (n == 0 || n >= sizeof(buf))
			return probe_fail_run(p, CORDON_ERR_ARG, "--exclude: '%.*s' is not an address or block", (int)n, s);
		memcpy(buf, s, n);
		buf[n] = '\0';
		struct exclusion e = { 0 };
		char *slash = strchr(buf, '/');
		long prefix = -1;
		if (slash) {
			char *end;
			*slash = '\0';
			prefix = strtol(slash + 1, &end, 10);
			if (end == slash + 1 || *end || prefix < 0)
				prefix = 999;
		}
		if (inet_pton(AF_INET, buf, e.addr) == 1) {
			e.family = AF_INET;
			e.prefix = prefix < 0 ? 32 : (unsigned)prefix;
			if (e.prefix > 32)
				return probe_fail_run(p, CORDON_ERR_ARG, "--exclude: '%.*s' is not a block", (int)n, s);
		} else if (inet_pton(AF_INET6, buf, e.addr) == 1) {
			e.family = AF_INET6;
			e.prefix = prefix < 0 ? 128 : (unsigned)prefix;
			if (e.prefix > 128)
				return probe_fail_run(p, CORDON_ERR_ARG, "--exclude: '%.*s' is not a block", (int)n, s);
		} else {
			return probe_fail_run(p, CORDON_ERR_ARG, "--exclude: '%.*s' is not an address or block", (int)n, s);
		}
		if (ALLOC_GROW(p->excl, p->nexcl + 1, p->capexcl))
			return CORDON_ERR_NOMEM;
		p->excl[p->nexcl++] = e;
		s += n;
		if (*s == ',')
			s++;
	}
	return CORDON_OK;
}

static int prefix_match(const unsigned char *a, const unsigned char *b, unsigned bits)
{
	unsigned bytes = bits / 8, rest = bits % 8;
	if (memcmp(a, b, bytes))
		return 0;
	if (!rest)
		return 1;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (a[bytes] & mask) == (b[bytes] & mask);
}

static int excluded(const struct cordon_probe *p, const struct sockaddr_storage *sa)
{
	for (size_t i = 0; i < p->nexcl; i++) {
		const struct exclusion *e = &p->excl[i];
		if (e->family != sa->ss_family)
			continue;
		const unsigned char *a = sa->ss_family == AF_INET
						 ? (const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr
						 : (const unsigned char *)&((const struct sockaddr_in6 *)sa)->sin6_addr;
		if (prefix_match(a, e->addr, e->prefix))
			return 1;
	}
	return 0;
}

static uint64_t target_size(const struct cordon_probe *p, const struct target *t, uint64_t *naddr)
{
	*naddr = t->family == AF_INET ? (uint64_t)t->hi - t->lo + 1 : 1;
	return *naddr * (t->port ? 1 : p->nports);
}

void targets_rewind(struct cordon_probe *p)
{
	p->it_target = 0;
	p->it_index = 0;
}

static const char *table_name_for(unsigned port, cordon_protocol proto);

int targets_next(struct cordon_probe *p, struct endpoint *ep)
{
	while (p->it_target < p->ntargets) {
		const struct target *t = &p->targets[p->it_target];
		uint64_t naddr, size = target_size(p, t, &naddr);
		if (p->it_index >= size) {
			p->it_target++;
			p->it_index = 0;
			continue;
		}
		uint64_t i = p->it_index++;
		memset(ep, 0, sizeof(*ep));
		if (t->family == AF_INET) {
			set_v4(&ep->sa, t->lo + (uint32_t)(i % naddr));
			ep->salen = sizeof(struct sockaddr_in);
		} else {
			ep->sa = t->sa;
			ep->salen = sizeof(struct sockaddr_in6);
		}
		if (excluded(p, &ep->sa))
			continue;
		if (t->port) {
			ep->port = t->port;
			ep->proto = t->proto;
		} else {
			ep->port = p->ports[i / naddr].port;
			ep->proto = p->ports[i / naddr].proto;
		}
		if (ep->sa.ss_family == AF_INET) {
			((struct sockaddr_in *)&ep->sa)->sin_port = htons((uint16_t)ep->port);
			inet_ntop(AF_INET, &((struct sockaddr_in *)&ep->sa)->sin_addr, ep->addr, sizeof(ep->addr));
		} else {
			((struct sockaddr_in6 *)&ep->sa)->sin6_port = htons((uint16_t)ep->port);
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ep->sa)->sin6_addr, ep->addr, sizeof(ep->addr));
		}
		ep->host = t->host;
		ep->scheme = t->scheme;
		ep->datastore = table_name_for(ep->port, ep->proto);
		return 1;
	}
	return 0;
}

cordon_code cordon_probe_count(cordon_probe *p, uint64_t max, uint64_t *out)
{
	if (!p || !out)
		return CORDON_ERR_ARG;
	if (!p->ports_set) {
		cordon_code rc = cordon_probe_set_ports(p, "-");
		if (rc != CORDON_OK)
			return rc;
	}
	uint64_t total = 0;
	for (size_t i = 0; i < p->ntargets; i++) {
		uint64_t naddr;
		total += target_size(p, &p->targets[i], &naddr);
		if (max && total > max)
			return probe_fail_run(p, CORDON_ERR_TOO_LARGE,
					      "the targets make more than %llu endpoints; narrow them or raise the limit",
					      (unsigned long long)max);
	}
	*out = total;
	return CORDON_OK;
}

/* The data-store table, read once: which name each port has. */
struct table_entry {
	char name[64];
	unsigned lo, hi;
	cordon_protocol proto;
};
static struct table_entry table[64];
static size_t ntable;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static cordon_code note_entry(void *arg, const char *name, unsigned lo, unsigned hi, cordon_protocol proto)
{
	(void)arg;
	if (ntable == sizeof(table) / sizeof(*table))
		return CORDON_ERR_TOO_LARGE; /* the shipped table is checked by the tests */
	struct table_entry *e = &table[ntable++];
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->lo = lo;
	e->hi = hi;
	e->proto = proto;
	return CORDON_OK;
}

static void load_table(void)
{
	if (datastores_each(note_entry, NULL) != CORDON_OK)
		ntable = 0;
}

static const char *table_name_for(unsigned port, cordon_protocol proto)
{
	pthread_once(&table_once, load_table);
	for (size_t i = 0; i < ntable; i++)
		if (port >= table[i].lo && port <= table[i].hi && proto == table[i].proto)
			return table[i].name;
	return NULL;
}

char *endpoint_name(const struct endpoint *ep)
{
	char buf[400];
	const char *h = ep->host ? ep->host : ep->addr;
	int v6 = !ep->host && strchr(ep->addr, ':');
	if (ep->scheme)
		snprintf(buf, sizeof(buf), "%s://%s%s%s:%u", ep->scheme == 2 ? "https" : "http", v6 ? "[" : "", h,
			 v6 ? "]" : "", ep->port);
	else
		snprintf(buf, sizeof(buf), "%s%s%s:%u%s", v6 ? "[" : "", h, v6 ? "]" : "", ep->port,
			 ep->proto == CORDON_PROTO_UDP ? "/udp" : "");
	return strdup(buf);
}

int target_holds(const struct target *t, const struct endpoint *ep)
{
	if (t->port && t->port != ep->port)
		return 0;
	if (t->family == AF_INET && ep->sa.ss_family == AF_INET) {
		uint32_t a = ntohl(((const struct sockaddr_in *)&ep->sa)->sin_addr.s_addr);
		return a >= t->lo && a <= t->hi;
	}
	return t->family == AF_INET6 && ep->sa.ss_family == AF_INET6 &&
	       !memcmp(&((const struct sockaddr_in6 *)&t->sa)->sin6_addr,
		       &((const struct sockaddr_in6 *)&ep->sa)->sin6_addr, 16);
}

const struct probe_asset *endpoint_asset(const struct cordon_probe *p, const struct endpoint *ep)
{
	for (size_t i = 0; i < p->nassets; i++)
		if (target_holds(&p->assets[i].t, ep))
			return &p->assets[i];
	return NULL;
}

