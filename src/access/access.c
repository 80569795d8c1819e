/* cordon access: sums what flow logs say about the sources that reached a
 * data store during a window, tells the parts of the window no log covers,
 * and judges each source and the window (see include/cordon/access.h).
 *
 * Memory: one entry per distinct source address (a hash table), a bitmap
 * of the window's minutes for coverage, and the gaps logs declare. */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "access/access_internal.h"
#include "records/input.h"
#include "util/alloc.h"

enum { WINDOW_MAX_DAYS = 3660, DEST_MAX = 256, FORMATS_MAX = 8 };

struct dest {
	u128 lo, hi;
	unsigned port; /* 0: any */
};

struct source {
	u128 addr;
	time_t first, last;
	uint64_t flows, denied, to_store, from_store;
	uint64_t begins, ends;   /* NSG v2 / VNet: flows begun and ended in the logs */
	uint64_t actions[CORDON_ACCESS_ACTIONS];
	int unknown_bytes;       /* an allowed flow whose counts the log does not give */
	unsigned ports[8], nports; /* the eight lowest, sorted: the same whatever the logs' order */
	char *rule;              /* of the earliest allowed flow (ties: the least name) */
	time_t rule_at;
};

struct cordon_access {
	time_t from, to;
	struct dest *dests;
	size_t ndests;
	uint64_t read_bytes;
	unsigned skew_s, gap_s;
	int include_private;
	struct ipset internet;
	struct source *src;
	size_t nsrc, capsrc;
	uint32_t *slots;          /* index + 1 into src; 0: empty */
	size_t nslots;
	unsigned char *minutes;   /* a bit per minute of the window: some log record */
	size_t nminutes;
	struct cordon_access_gap *skips, *gaps;
	size_t nskips, capskips, ngaps, capgaps;
	uint64_t logs, records, in_window, malformed;
	unsigned formats;         /* a bit per access_formats[] entry read */
	const char *formats_seen[FORMATS_MAX + 1]; /* their names, in the table's order (for the result) */
	struct cordon_access_source *out;
	size_t capout;
	FILE *quarantine;
	int failed, nomem, sampled;
	int line_error;           /* the last failure was a line --quarantine would set aside */
	cordon_code fail_code;    /* and its code: PARSE, IO (reading, the quarantine), NOMEM */
	int local_set;
	long local_offset;
	char err[512];
};

const char *cordon_access_action_name(cordon_access_action a)
{
	static const char *const names[CORDON_ACCESS_ACTIONS] = { "connect", "login", "refused", "list",
								  "read", "write", "other" };
	return (unsigned)a < CORDON_ACCESS_ACTIONS ? names[a] : "other";
}

const char *cordon_access_verdict_name(cordon_access_verdict v)
{
	switch (v) {
	case CORDON_ACCESS_NO_ACCESS: return "no_access";
	case CORDON_ACCESS_PROBE_ONLY: return "probe_only";
	case CORDON_ACCESS_UNKNOWN: return "unknown";
	case CORDON_ACCESS_READ: return "read";
	}
	return "unknown";
}

cordon_code cordon_access_verdict_from_name(const char *name, cordon_access_verdict *out)
{
	for (int v = CORDON_ACCESS_NO_ACCESS; v <= CORDON_ACCESS_READ; v++)
		if (name && !strcmp(name, cordon_access_verdict_name((cordon_access_verdict)v))) {
			*out = (cordon_access_verdict)v;
			return CORDON_OK;
		}
	return CORDON_ERR_ARG;
}

static cordon_code refuse(const struct cordon_access_options *o, const char *why, const char *arg)
{
	if (o->error && o->error_len)
		snprintf(o->error, o->error_len, "%s%s%s%s", arg ? "'" : "", arg ? arg : "", arg ? "': " : "", why);
	return CORDON_ERR_ARG;
}

/* "10.0.0.4", "10.0.0.4:9200", "10.0.0.0/24:9200", "[2001:db8::7]:9200",
 * "2001:db8::/64". */
static int parse_dest(const char *text, struct dest *d)
{
	char buf[80];
	size_t n = strlen(text);
	if (!n || n >= sizeof(buf))
		return -1;
	memcpy(buf, text, n + 1);
	char *addr = buf, *port = NULL;
	if (buf[0] == '[') {
		char *close = strchr(buf, ']');
		if (!close || (close[1] && close[1] != ':'))
			return -1;
		*close = '\0';
		addr = buf + 1;
		port = close[1] ? close + 2 : NULL;
	} else {
		char *colon = strchr(buf, ':');
		if (colon && !strchr(colon + 1, ':')) { /* one colon: IPv4 with a port */
			*colon = '\0';
			port = colon + 1;
		}
	}
	d->port = 0;
	if (port) {
		char *end;
		errno = 0;
		long p = strtol(port, &end, 10);
		if (errno || end == port || *end || p < 1 || p > 65535)
			return -1;
		d->port = (unsigned)p;
	}
	return ipset_range(addr, &d->lo, &d->hi);
}

cordon_code cordon_access_new(cordon_access **out, const struct cordon_access_options *o)
{
	if (!out || !o)
		return CORDON_ERR_ARG;
	*out = NULL;
	if (o->from <= 0 || o->to <= o->from)
		return refuse(o, "the window must end after it starts", NULL);
	if ((o->to - o->from) / 86400 > WINDOW_MAX_DAYS)
		return refuse(o, "the window is longer than 3660 days", NULL);
	if (o->local_offset_set && (o->local_offset_s < -14 * 3600 || o->local_offset_s > 14 * 3600))
		return refuse(o, "a UTC offset is between -14:00 and +14:00", NULL);
	if (!o->ndests || !o->dests)
		return refuse(o, "no store address given (--dest)", NULL);
	if (o->ndests > DEST_MAX)
		return refuse(o, "more than 256 store addresses", NULL);
	cordon_access *a = calloc(1, sizeof(*a));
	if (!a)
		return CORDON_ERR_NOMEM;
	a->from = o->from;
	a->to = o->to;
	a->read_bytes = o->read_bytes ? o->read_bytes : 8192;
	a->skew_s = o->skew_s;
	a->gap_s = o->gap_s ? o->gap_s : 900;
	a->include_private = o->include_private;
	a->local_set = o->local_offset_set;
	a->local_offset = o->local_offset_s;
	a->dests = calloc(o->ndests, sizeof(*a->dests));
	a->nminutes = (size_t)((o->to - o->from + 59) / 60);
	a->minutes = calloc((a->nminutes + 7) / 8, 1);
	a->nslots = 1024;
	a->slots = calloc(a->nslots, sizeof(*a->slots));
	if (!a->dests || !a->minutes || !a->slots) {
		cordon_access_free(a);
		return CORDON_ERR_NOMEM;
	}
	for (size_t k = 0; k < o->ndests; k++) {
		if (!o->dests[k] || parse_dest(o->dests[k], &a->dests[k])) {
			cordon_code rc = refuse(o, "no address, range or address:port", o->dests[k] ? o->dests[k] : "");
			cordon_access_free(a);
			return rc;
		}
	}
	a->ndests = o->ndests;
	ipset_internet(&a->internet);
	if (a->internet.failed) {
		cordon_access_free(a);
		return CORDON_ERR_NOMEM;
	}
	*out = a;
	return CORDON_OK;
}

void cordon_access_free(cordon_access *a)
{
	if (!a)
		return;
	for (size_t k = 0; k < a->nsrc; k++)
		free(a->src[k].rule);
	free(a->src);
	free(a->slots);
	free(a->dests);
	free(a->minutes);
	free(a->skips);
	free(a->gaps);
	free(a->out);
	ipset_free(&a->internet);
	free(a);
}

const char *cordon_access_error(const cordon_access *a)
{
	return a ? a->err : "";
}

int cordon_access_error_is_line(const cordon_access *a)
{
	return a && a->line_error;
}

int access_fail(cordon_access *a, cordon_code code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->err, sizeof(a->err), fmt, ap);
	va_end(ap);
	a->failed = 1;
	a->fail_code = code;
	return -1;
}

int access_local_offset(const cordon_access *a, long *offset_s)
{
	*offset_s = a->local_offset;
	return a->local_set ? 0 : -1;
}

int access_failed(const cordon_access *a)
{
	return a->failed;
}

/* --- reading ----------------------------------------------------------------- */

static int stream_fill(cordon_access *a, struct access_stream *st)
{
	if (st->eof)
		return 0;
	if (st->pos > 0) {
		memmove(st->buf, st->buf + st->pos, st->len - st->pos);
		st->len -= st->pos;
		st->pos = 0;
	}
	if (st->len == st->cap) { /* stream_line stops a line before it holds twice the limit */
		size_t cap = st->cap ? st->cap * 2 : 65536;
		char *b = realloc(st->buf, cap);
		if (!b)
			return access_fail(a, CORDON_ERR_NOMEM, "out of memory");
		st->buf = b;
		st->cap = cap;
	}
	ssize_t r = input_read(st->in, st->buf + st->len, st->cap - st->len);
	if (r < 0)
		return access_fail(a, input_error_code(st->in), "%s: %s", st->name, input_error(st->in));
	if (r == 0)
		st->eof = 1;
	st->len += (size_t)r;
	return (int)(r > 0);
}

int stream_line(cordon_access *a, struct access_stream *st, const char **line, size_t *n)
{
	for (;;) {
		char *nl = st->pos < st->len ? memchr(st->buf + st->pos, '\n', st->len - st->pos) : NULL;
		if (nl || (st->eof && st->pos < st->len)) {
			size_t e = nl ? (size_t)(nl - st->buf) : st->len;
			if (e - st->pos > ACCESS_LINE_MAX) /* read whole in one go, still too long */
				return access_fail(a, CORDON_ERR_PARSE, "%s line %llu: longer than 1 MiB", st->name,
						   (unsigned long long)st->line + 1);
			*line = st->buf + st->pos;
			*n = e - st->pos;
			if (*n && (*line)[*n - 1] == '\r')
				(*n)--;
			st->pos = nl ? e + 1 : e;
			st->line++;
			return 1;
		}
		if (st->len - st->pos > ACCESS_LINE_MAX)
			return access_fail(a, CORDON_ERR_PARSE, "%s line %llu: longer than 1 MiB", st->name,
					   (unsigned long long)st->line + 1);
		if (st->eof)
			return 0;
		if (stream_fill(a, st) < 0)
			return -1;
	}
}

int stream_byte(cordon_access *a, struct access_stream *st)
{
	if (!st->bytewise) {
		st->bytewise = 1;
		st->line++;
	}
	if (st->pos == st->len) {
		if (st->cap < 65536 || st->pos) { /* keep the buffer small: bytes are not lines */
			st->len = st->pos = 0;
		}
		if (stream_fill(a, st) <= 0)
			return -1;
	}
	int c = (unsigned char)st->buf[st->pos++];
	if (c == '\n')
		st->line++;
	return c;
}

int access_u64(const char *s, size_t n, uint64_t *out)
{
	if (!n || n > 19)
		return -1;
	uint64_t v = 0;
	for (size_t k = 0; k < n; k++) {
		if (s[k] < '0' || s[k] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[k] - '0');
	}
	*out = v;
	return 0;
}

int access_addr(const char *s, size_t n, u128 *out)
{
	return ipset_addr(s, n, out);
}

int access_addr_port(const char *s, u128 *out)
{
	if (!s)
		return -1;
	size_t n = strlen(s);
	if (n && s[0] == '[') {
		const char *close = strchr(s, ']');
		return close ? access_addr(s + 1, (size_t)(close - s - 1), out) : -1;
	}
	const char *colon = strrchr(s, ':');
	if (colon && !memchr(s, ':', (size_t)(colon - s)))
		n = (size_t)(colon - s); /* one colon: IPv4 and a port */
	return access_addr(s, n, out);
}

const char *access_json_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

struct session *access_sessions_new(void)
{
	return calloc(SESSIONS, sizeof(struct session));
}

struct session *access_session(struct session *t, uint64_t id, int make)
{
	size_t h = (size_t)((id * 0x9E3779B97F4A7C15ull) >> 48) & (SESSIONS - 1);
	struct session *free_slot = NULL;
	for (size_t k = 0; k < SESSION_PROBE; k++) {
		struct session *s = &t[(h + k) & (SESSIONS - 1)];
		if (s->key == id + 1)
			return s;
		if (!s->key && !free_slot)
			free_slot = s;
	}
	if (!make)
		return NULL;
	struct session *s = free_slot ? free_slot : &t[h];
	memset(s, 0, sizeof(*s));
	s->key = id + 1;
	return s;
}

static int digits(const char *s, size_t n, size_t at, size_t k, int *out)
{
	int v = 0;
	if (at + k > n)
		return -1;
	for (size_t i = at; i < at + k; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int access_time_iso(const char *s, size_t n, time_t *out)
{
	int y, mo, d, h, mi, se;
	if (n < 19 || digits(s, n, 0, 4, &y) || s[4] != '-' || digits(s, n, 5, 2, &mo) || s[7] != '-' ||
	    digits(s, n, 8, 2, &d) || (s[10] != 'T' && s[10] != ' ') || digits(s, n, 11, 2, &h) || s[13] != ':' ||
	    digits(s, n, 14, 2, &mi) || s[16] != ':' || digits(s, n, 17, 2, &se))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
		return -1;
	size_t i = 19;
	if (i < n && (s[i] == '.' || s[i] == ',')) /* a fraction */
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
	long off = 0;
	if (i < n && s[i] == ' ')
		i++;
	if (i < n && s[i] == 'Z') {
		i++;
	} else if (i + 3 <= n && (!memcmp(s + i, "UTC", 3) || !memcmp(s + i, "GMT", 3))) {
		i += 3;
	} else if (i < n && (s[i] == '+' || s[i] == '-')) {
		int oh, om = 0;
		if (digits(s, n, i + 1, 2, &oh))
			return -1;
		size_t j = i + 3;
		if (j < n && s[j] == ':')
			j++;
		if (j < n && s[j] >= '0' && s[j] <= '9') {
			if (digits(s, n, j, 2, &om))
				return -1;
			j += 2;
		}
		off = (oh * 3600L + om * 60L) * (s[i] == '-' ? -1 : 1);
		i = j;
	} else {
		return -1; /* no zone said: a local time cordon cannot place */
	}
	if (i != n)
		return -1;
	/* days from the civil date (Howard Hinnant's algorithm), no time zone state */
	y -= mo <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400, doy = (153L * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	long days = era * 146097 + doe - 719468;
	*out = (time_t)(days * 86400 + h * 3600L + mi * 60L + se - off);
	return 0;
}

int access_malformed(cordon_access *a, struct access_stream *st, const char *text, size_t n, const char *fmt, ...)
{
	char why[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (!a->quarantine) {
		access_fail(a, CORDON_ERR_PARSE, "%s line %llu: %s", st->name, (unsigned long long)st->line, why);
		a->line_error = 1;
		return -1;
	}
	a->malformed++;
	flockfile(a->quarantine); /* one line whole, when threads share it */
	int bad = fwrite(text, 1, n, a->quarantine) != n || fputc('\n', a->quarantine) == EOF;
	funlockfile(a->quarantine);
	if (bad)
		return access_fail(a, CORDON_ERR_IO, "writing the quarantine: %s", strerror(errno));
	return 0;
}

static char format_text[FORMATS_MAX][200];
static const char *format_help[FORMATS_MAX + 1];
static pthread_once_t format_once = PTHREAD_ONCE_INIT;

static void format_help_init(void)
{
	for (size_t k = 0; access_formats[k] && k < FORMATS_MAX; k++) {
		snprintf(format_text[k], sizeof(format_text[k]), "%s: %s", access_formats[k]->name,
			 access_formats[k]->what);
		format_help[k] = format_text[k];
	}
}

const char *const *cordon_access_formats(void)
{
	pthread_once(&format_once, format_help_init);
	return format_help;
}

cordon_code cordon_access_read_fd(cordon_access *a, int fd, const char *name, FILE *quarantine)
{
	if (!a || fd < 0)
		return CORDON_ERR_ARG;
	a->err[0] = '\0';
	a->failed = 0;
	a->line_error = 0;
	a->quarantine = quarantine;
	struct access_stream st = { 0 };
	st.name = name ? name : "input";
	if (!(st.in = input_new(fd, NULL, NULL)))
		return CORDON_ERR_NOMEM;
	/* the head: enough bytes to tell the format (4 KiB, or the whole log) */
	while (!st.eof && st.len < 4096)
		if (stream_fill(a, &st) < 0)
			break;
	const struct access_format *f = NULL;
	if (!a->failed) {
		size_t skip = 0; /* a gzip'd or empty log: blanks before its first byte */
		while (skip < st.len && (st.buf[skip] == ' ' || st.buf[skip] == '\n' || st.buf[skip] == '\r' ||
					 st.buf[skip] == '\t'))
			skip++;
		if (skip == st.len && st.eof)
			access_fail(a, CORDON_ERR_PARSE, "%s: empty", st.name);
		for (const struct access_format *const *p = access_formats; *p && !f && !a->failed; p++)
			if ((*p)->sniff(st.buf + skip, st.len - skip))
				f = *p;
		if (!f && !a->failed)
			access_fail(a, CORDON_ERR_PARSE, "%s: not a flow log cordon reads (cordon access --help lists them)",
				    st.name);
	}
	if (f && !a->failed) {
		a->logs++;
		for (unsigned k = 0; access_formats[k]; k++)
			if (access_formats[k] == f)
				a->formats |= 1u << k;
		f->read(a, &st);
	}
	input_free(st.in);
	free(st.buf);
	a->quarantine = NULL;
	if (a->nomem)
		return CORDON_ERR_NOMEM;
	if (a->failed)
		return a->fail_code;
	return CORDON_OK;
}

/* --- summing ----------------------------------------------------------------- */

static void mark_minutes(cordon_access *a, time_t from, time_t to)
{
	if (to < a->from || from >= a->to)
		return;
	if (from < a->from)
		from = a->from;
	if (to >= a->to)
		to = a->to - 1;
	for (size_t m = (size_t)(from - a->from) / 60; m <= (size_t)(to - a->from) / 60 && m < a->nminutes; m++)
		a->minutes[m / 8] |= (unsigned char)(1u << (m % 8));
}

void access_covered(cordon_access *a, time_t from, time_t to)
{
	mark_minutes(a, from, to < from ? from : to);
}

void access_skipped(cordon_access *a, time_t from, time_t to, const char *why)
{
	if (to < a->from || from > a->to)
		return;
	if (ALLOC_GROW(a->skips, a->nskips + 1, a->capskips)) {
		a->nomem = 1;
		return;
	}
	a->skips[a->nskips++] = (struct cordon_access_gap){ from, to, why };
}

static int dest_of(const cordon_access *a, u128 addr, unsigned port)
{
	for (size_t k = 0; k < a->ndests; k++)
		if (addr >= a->dests[k].lo && addr <= a->dests[k].hi && (!a->dests[k].port || a->dests[k].port == port))
			return 1;
	return 0;
}

static size_t hash128(u128 x)
{
	uint64_t h = (uint64_t)x ^ (uint64_t)(x >> 64) * 0x9E3779B97F4A7C15ull;
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ull;
	return (size_t)(h ^ (h >> 32));
}

static struct source *source_get(cordon_access *a, u128 addr)
{
	size_t mask = a->nslots - 1;
	for (size_t i = hash128(addr) & mask;; i = (i + 1) & mask) {
		if (!a->slots[i])
			break;
		if (a->src[a->slots[i] - 1].addr == addr)
			return &a->src[a->slots[i] - 1];
	}
	if ((a->nsrc + 1) * 2 > a->nslots) { /* grow the table: at most half full */
		size_t n = a->nslots * 2;
		uint32_t *s = calloc(n, sizeof(*s));
		if (!s || a->nsrc >= UINT32_MAX - 1) {
			free(s);
			a->nomem = 1;
			return NULL;
		}
		for (size_t k = 0; k < a->nsrc; k++) {
			size_t i = hash128(a->src[k].addr) & (n - 1);
			while (s[i])
				i = (i + 1) & (n - 1);
			s[i] = (uint32_t)(k + 1);
		}
		free(a->slots);
		a->slots = s;
		a->nslots = n;
		mask = n - 1;
	}
	if (ALLOC_GROW(a->src, a->nsrc + 1, a->capsrc)) {
		a->nomem = 1;
		return NULL;
	}
	size_t i = hash128(addr) & mask;
	while (a->slots[i])
		i = (i + 1) & mask;
	a->slots[i] = (uint32_t)(a->nsrc + 1);
	struct source *s = &a->src[a->nsrc++];
	memset(s, 0, sizeof(*s));
	s->addr = addr;
	return s;
}

/* Keeps the eight lowest ports, sorted. */
static void add_port(struct source *s, unsigned port)
{
	if (!port)
		return;
	unsigned k = 0;
	while (k < s->nports && s->ports[k] < port)
		k++;
	if ((k < s->nports && s->ports[k] == port) || k == 8)
		return;
	if (s->nports < 8)
		s->nports++;
	memmove(s->ports + k + 1, s->ports + k, (s->nports - 1 - k) * sizeof(*s->ports));
	s->ports[k] = port;
}

static void take_rule(cordon_access *a, struct source *s, const char *rule, time_t at)
{
	if (s->rule && (at > s->rule_at || (at == s->rule_at && strcmp(rule, s->rule) >= 0)))
		return;
	char *r = strdup(rule);
	if (!r) {
		a->nomem = 1;
		return;
	}
	free(s->rule);
	s->rule = r;
	s->rule_at = at;
}

static void seen(struct source *s, time_t start, time_t end)
{
	if (!s->first || start < s->first)
		s->first = start;
	if (end > s->last)
		s->last = end;
}

void access_flow(cordon_access *a, const struct flow *f)
{
	a->records++;
	mark_minutes(a, f->start, f->end);
	if (f->end < a->from - (time_t)a->skew_s || f->start > a->to + (time_t)a->skew_s)
		return;
	a->in_window++;
	/* toward the store (src a client), or the store's answer (dst a client) */
	int toward = dest_of(a, f->dst, f->dport);
	if (!toward && !dest_of(a, f->src, f->sport))
		return;
	u128 client = toward ? f->src : f->dst;
	if (dest_of(a, client, toward ? f->sport : f->dport))
		return; /* the store talking to itself */
	struct source *s = source_get(a, client);
	if (!s)
		return;
	int64_t to_store = toward ? f->bytes_fwd : f->bytes_back, from_store = toward ? f->bytes_back : f->bytes_fwd;
	if (!f->allowed) {
		if (toward) {
			s->denied++;
			seen(s, f->start, f->end);
		}
		return;
	}
	if (toward && f->kind == FLOW_BEGIN)
		s->begins++;
	else if (toward && f->kind == FLOW_END)
		s->ends++;
	if (toward && (f->kind == FLOW_UPDATE || f->kind == FLOW_END))
		seen(s, f->start, f->end);
	if (toward && (f->kind == FLOW_RECORD || f->kind == FLOW_NOCOUNT || f->kind == FLOW_BEGIN)) {
		s->flows++;
		seen(s, f->start, f->end);
		add_port(s, f->dport);
		if (f->rule)
			take_rule(a, s, f->rule, f->start);
	}
	if (to_store > 0)
		s->to_store += (uint64_t)to_store;
	if (from_store > 0)
		s->from_store += (uint64_t)from_store;
	if (f->kind == FLOW_NOCOUNT)
		s->unknown_bytes = 1;
}

void access_action(cordon_access *a, time_t t, u128 client, cordon_access_action act, int64_t bytes_back)
{
	a->records++;
	mark_minutes(a, t, t);
	if (t < a->from - (time_t)a->skew_s || t > a->to + (time_t)a->skew_s)
		return;
	a->in_window++;
	struct source *s = source_get(a, client);
	if (!s)
		return;
	s->actions[act]++;
	seen(s, t, t);
	if (bytes_back > 0)
		s->from_store += (uint64_t)bytes_back;
}

void access_sampled(cordon_access *a)
{
	a->sampled = 1;
}

static int acted(const struct source *s)
{
	for (int k = 0; k < CORDON_ACCESS_ACTIONS; k++)
		if (s->actions[k])
			return 1;
	return 0;
}

static cordon_access_verdict judge(const cordon_access *a, const struct source *s)
{
	if (!s->flows && !s->from_store && !acted(s))
		return CORDON_ACCESS_NO_ACCESS;
	if (s->from_store > a->read_bytes || s->actions[CORDON_ACCESS_ACT_READ])
		return CORDON_ACCESS_READ;
	if (s->unknown_bytes || s->begins > s->ends || s->actions[CORDON_ACCESS_ACT_LOGIN] ||
	    s->actions[CORDON_ACCESS_ACT_WRITE] || s->actions[CORDON_ACCESS_ACT_OTHER])
		return CORDON_ACCESS_UNKNOWN;
	return CORDON_ACCESS_PROBE_ONLY;
}

cordon_code cordon_access_merge(cordon_access *into, cordon_access *from)
{
	if (!into || !from || into->from != from->from || into->to != from->to || into->nminutes != from->nminutes)
		return CORDON_ERR_ARG;
	for (size_t k = 0; k < from->nsrc && !into->nomem; k++) {
		struct source *f = &from->src[k], *s = source_get(into, f->addr);
		if (!s)
			break;
		if (f->first)
			seen(s, f->first, f->last);
		s->flows += f->flows;
		s->denied += f->denied;
		s->to_store += f->to_store;
		s->from_store += f->from_store;
		s->begins += f->begins;
		s->ends += f->ends;
		s->unknown_bytes |= f->unknown_bytes;
		for (int act = 0; act < CORDON_ACCESS_ACTIONS; act++)
			s->actions[act] += f->actions[act];
		for (unsigned p = 0; p < f->nports; p++)
			add_port(s, f->ports[p]);
		if (f->rule)
			take_rule(into, s, f->rule, f->rule_at);
	}
	for (size_t k = 0; k < (into->nminutes + 7) / 8; k++)
		into->minutes[k] |= from->minutes[k];
	for (size_t k = 0; k < from->nskips; k++)
		access_skipped(into, from->skips[k].from, from->skips[k].to, from->skips[k].why);
	into->logs += from->logs;
	into->records += from->records;
	into->in_window += from->in_window;
	into->malformed += from->malformed;
	into->sampled |= from->sampled;
	into->formats |= from->formats;
	return into->nomem ? CORDON_ERR_NOMEM : CORDON_OK;
}

/* --- the answer ---------------------------------------------------------------- */

static int by_verdict(const void *pa, const void *pb)
{
	const struct cordon_access_source *a = pa, *b = pb;
	if (a->verdict != b->verdict)
		return a->verdict > b->verdict ? -1 : 1;
	if (a->bytes_from_store != b->bytes_from_store)
		return a->bytes_from_store > b->bytes_from_store ? -1 : 1;
	if (a->first_seen != b->first_seen)
		return a->first_seen < b->first_seen ? -1 : 1;
	return strcmp(a->address, b->address);
}

static int by_start(const void *pa, const void *pb)
{
	const struct cordon_access_gap *a = pa, *b = pb;
	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	if (a->to != b->to)
		return a->to < b->to ? -1 : 1;
	return strcmp(a->why, b->why);
}

static int add_gap(cordon_access *a, time_t from, time_t to, const char *why)
{
	if (ALLOC_GROW(a->gaps, a->ngaps + 1, a->capgaps))
		return -1;
	a->gaps[a->ngaps++] = (struct cordon_access_gap){ from, to, why };
	return 0;
}

cordon_code cordon_access_result(cordon_access *a, struct cordon_access_result *r)
{
	if (!a || !r)
		return CORDON_ERR_ARG;
	if (a->nomem)
		return CORDON_ERR_NOMEM;
	memset(r, 0, sizeof(*r));
	/* gaps: runs of minutes without a record longer than gap_s, then what
	 * the logs said they skipped */
	a->ngaps = 0;
	int any = 0;
	for (size_t m = 0; m < a->nminutes && !any; m++)
		any = (a->minutes[m / 8] >> (m % 8)) & 1;
	if (!any && add_gap(a, a->from, a->to, a->records ? "no log record in the window" : "no log"))
		return CORDON_ERR_NOMEM; /* a window shorter than --gap too */
	for (size_t m = 0; m < a->nminutes && any;) {
		if (a->minutes[m / 8] & (1u << (m % 8))) {
			m++;
			continue;
		}
		size_t e = m;
		while (e < a->nminutes && !(a->minutes[e / 8] & (1u << (e % 8))))
			e++;
		if ((e - m) * 60 > a->gap_s) {
			time_t from = a->from + (time_t)m * 60, to = a->from + (time_t)e * 60;
			if (to > a->to)
				to = a->to;
			if (add_gap(a, from, to, "no log record"))
				return CORDON_ERR_NOMEM;
		}
		m = e;
	}
	for (size_t k = 0; k < a->nskips; k++)
		if (add_gap(a, a->skips[k].from, a->skips[k].to, a->skips[k].why))
			return CORDON_ERR_NOMEM;
	if (a->ngaps > 1)
		qsort(a->gaps, a->ngaps, sizeof(*a->gaps), by_start);

	if (ALLOC_GROW(a->out, a->nsrc + 1, a->capout))
		return CORDON_ERR_NOMEM;
	size_t n = 0;
	cordon_access_verdict worst = CORDON_ACCESS_NO_ACCESS;
	for (size_t k = 0; k < a->nsrc; k++) {
		const struct source *s = &a->src[k];
		if (!s->flows && !s->denied && !s->from_store && !acted(s))
			continue; /* only the store's own connections out */
		int internal = !ipset_contains(&a->internet, s->addr);
		if (internal)
			r->internal++;
		if (internal && !a->include_private)
			continue;
		struct cordon_access_source *o = &a->out[n++];
		memset(o, 0, sizeof(*o));
		ipset_addr_text(s->addr, o->address);
		o->verdict = judge(a, s);
		o->first_seen = s->first;
		o->last_seen = s->last;
		o->flows = s->flows;
		o->denied = s->denied;
		o->bytes_to_store = s->to_store;
		o->bytes_from_store = s->from_store;
		o->bytes_known = !s->unknown_bytes && s->begins <= s->ends;
		memcpy(o->ports, s->ports, sizeof(o->ports));
		o->nports = s->nports;
		o->rule = s->rule;
		o->internal = internal;
		memcpy(o->actions, s->actions, sizeof(o->actions));
		if (o->verdict > worst)
			worst = o->verdict;
	}
	if (n > 1)
		qsort(a->out, n, sizeof(*a->out), by_verdict);
	/* a part of the window no log covers (no record at all is a gap over
	 * all of it), a line not read or a sampled log can hide anything but
	 * a read already seen */
	if ((a->ngaps || a->malformed || a->sampled) && worst < CORDON_ACCESS_UNKNOWN)
		worst = CORDON_ACCESS_UNKNOWN;
	r->sampled = a->sampled;
	r->verdict = worst;
	r->from = a->from;
	r->to = a->to;
	r->sources = a->out;
	r->nsources = n;
	r->gaps = a->gaps;
	r->ngaps = a->ngaps;
	r->logs = a->logs;
	r->records = a->records;
	r->records_in_window = a->in_window;
	r->malformed = a->malformed;
	size_t nf = 0;
	for (unsigned k = 0; access_formats[k] && nf < FORMATS_MAX; k++)
		if (a->formats & (1u << k))
			a->formats_seen[nf++] = access_formats[k]->name;
	a->formats_seen[nf] = NULL;
	r->formats_seen = a->formats_seen;
	return CORDON_OK;
}

/* --- reports ------------------------------------------------------------------- */

static void iso(time_t t, char out[32])
{
	struct tm tm;
	if (!t || !gmtime_r(&t, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, 32, "-");
}

static void duration(time_t s, char out[32])
{
	if (s >= 86400)
		snprintf(out, 32, "%lldd %lldh", (long long)(s / 86400), (long long)(s % 86400 / 3600));
	else if (s >= 3600)
		snprintf(out, 32, "%lldh %lldm", (long long)(s / 3600), (long long)(s % 3600 / 60));
	else
		snprintf(out, 32, "%lldm", (long long)(s / 60));
}

static void bytes_text(uint64_t b, int known, char out[32])
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = (double)b;
	int u = 0;
	while (v >= 1024 && u < 5)
		v /= 1024, u++;
	if (u == 0)
		snprintf(out, 32, "%llu B%s", (unsigned long long)b, known ? "" : "+?");
	else
		snprintf(out, 32, "%.1f %s%s", v, units[u], known ? "" : "+?");
}

static void ports_text(const struct cordon_access_source *s, char *out, size_t cap)
{
	size_t n = 0;
	out[0] = '\0';
	for (unsigned k = 0; k < s->nports && n + 8 < cap; k++)
		n += (size_t)snprintf(out + n, cap - n, "%s%u", k ? " " : "", s->ports[k]);
	if (!s->nports)
		snprintf(out, cap, "-");
}

/* A JSON string: quotes, backslashes and control bytes escaped. */
static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* A CSV field: quoted when it holds a comma, a quote or a line break; a
 * leading = + - @ is prefixed with ' so a spreadsheet does not run it. */
static void csv_str(FILE *out, const char *s)
{
	if (!s)
		s = "";
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		fputc('"', out);
	if (strchr("=+-@", s[0]) && s[0])
		fputc('\'', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	if (quote)
		fputc('"', out);
}

/* "read 12, list 1, login 2", or "-". */
static void actions_text(const struct cordon_access_source *s, char *out, size_t cap, const char *sep, const char *eq)
{
	size_t n = 0;
	out[0] = '\0';
	for (int k = 0; k < CORDON_ACCESS_ACTIONS && n + 40 < cap; k++)
		if (s->actions[k])
			n += (size_t)snprintf(out + n, cap - n, "%s%s%s%llu", n ? sep : "",
					      cordon_access_action_name((cordon_access_action)k), eq,
					      (unsigned long long)s->actions[k]);
	if (!n)
		snprintf(out, cap, "-");
}

static void report_text(FILE *out, const struct cordon_access_result *r)
{
	char a[32], b[32], d[32];
	iso(r->from, a);
	iso(r->to, b);
	duration(r->to - r->from, d);
	size_t by[4] = { 0 };
	for (size_t k = 0; k < r->nsources; k++)
		by[r->sources[k].verdict]++;
	fprintf(out, "window %s .. %s (%s)\n", a, b, d);
	fprintf(out, "verdict: %s (%zu read, %zu unknown, %zu probe only, %zu denied only)\n",
		cordon_access_verdict_name(r->verdict), by[CORDON_ACCESS_READ], by[CORDON_ACCESS_UNKNOWN],
		by[CORDON_ACCESS_PROBE_ONLY], by[CORDON_ACCESS_NO_ACCESS]);
	fprintf(out, "logs: %llu (", (unsigned long long)r->logs);
	for (size_t k = 0; r->formats_seen && r->formats_seen[k]; k++)
		fprintf(out, "%s%s", k ? ", " : "", r->formats_seen[k]);
	fprintf(out, "), %llu records, %llu in the window", (unsigned long long)r->records,
		(unsigned long long)r->records_in_window);
	if (r->malformed)
		fprintf(out, ", %llu not read (quarantined)", (unsigned long long)r->malformed);
	fputc('\n', out);
	if (!r->ngaps)
		fprintf(out, "coverage: the whole window\n");
	for (size_t k = 0; k < r->ngaps; k++) {
		iso(r->gaps[k].from, a);
		iso(r->gaps[k].to, b);
		duration(r->gaps[k].to - r->gaps[k].from, d);
		fprintf(out, "gap: %s .. %s (%s, %s): what happened then is unknown\n", a, b, d, r->gaps[k].why);
	}
	if (r->sampled)
		fprintf(out, "sampled: a log samples flows (GCP): that no record shows a source is no proof it did not come\n");
	if (r->internal)
		fprintf(out, "internal sources: %zu (private, loopback, link-local)\n", r->internal);
	if (!r->nsources) {
		fprintf(out, "no source outside the private ranges reached the store in the logs\n");
		return;
	}
	int w = 13; /* the address column: as wide as the widest */
	for (size_t k = 0; k < r->nsources; k++)
		if ((int)strlen(r->sources[k].address) > w)
			w = (int)strlen(r->sources[k].address);
	fprintf(out, "\n%-*s %-10s %-20s %-20s %6s %6s %10s %10s  %-5s  %s\n", w, "SOURCE", "VERDICT", "FIRST SEEN",
		"LAST SEEN", "FLOWS", "DENIED", "TO STORE", "FROM STORE", "PORTS", "RULE / DONE (the store's logs)");
	for (size_t k = 0; k < r->nsources; k++) {
		const struct cordon_access_source *s = &r->sources[k];
		char to[32], from[32], ports[80], acts[200];
		iso(s->first_seen, a);
		iso(s->last_seen, b);
		bytes_text(s->bytes_to_store, s->bytes_known, to);
		bytes_text(s->bytes_from_store, s->bytes_known, from);
		ports_text(s, ports, sizeof(ports));
		actions_text(s, acts, sizeof(acts), ", ", " ");
		fprintf(out, "%-*s %-10s %-20s %-20s %6llu %6llu %10s %10s  %-5s  %s%s%s\n", w, s->address,
			cordon_access_verdict_name(s->verdict), a, b, (unsigned long long)s->flows,
			(unsigned long long)s->denied, to, from, ports, s->rule ? s->rule : "",
			s->rule && strcmp(acts, "-") ? " / " : "", strcmp(acts, "-") || !s->rule ? acts : "");
	}
}

static void report_json(FILE *out, const struct cordon_access_result *r)
{
	char a[32], b[32];
	iso(r->from, a);
	iso(r->to, b);
	fprintf(out, "{\"kind\":\"window\",\"from\":\"%s\",\"to\":\"%s\",\"verdict\":\"%s\",\"sources\":%zu,"
		     "\"internal_sources\":%zu,\"logs\":%llu,\"records\":%llu,\"records_in_window\":%llu,"
		     "\"malformed\":%llu,\"sampled\":%s,\"gaps\":[",
		a, b, cordon_access_verdict_name(r->verdict), r->nsources, r->internal, (unsigned long long)r->logs,
		(unsigned long long)r->records, (unsigned long long)r->records_in_window,
		(unsigned long long)r->malformed, r->sampled ? "true" : "false");
	for (size_t k = 0; k < r->ngaps; k++) {
		iso(r->gaps[k].from, a);
		iso(r->gaps[k].to, b);
		fprintf(out, "%s{\"from\":\"%s\",\"to\":\"%s\",\"why\":", k ? "," : "", a, b);
		json_str(out, r->gaps[k].why);
		fputc('}', out);
	}
	fputs("],\"formats\":[", out);
	for (size_t k = 0; r->formats_seen && r->formats_seen[k]; k++) {
		if (k)
			fputc(',', out);
		json_str(out, r->formats_seen[k]);
	}
	fputs("]}\n", out);
	for (size_t k = 0; k < r->nsources; k++) {
		const struct cordon_access_source *s = &r->sources[k];
		iso(s->first_seen, a);
		iso(s->last_seen, b);
		fprintf(out, "{\"kind\":\"source\",\"address\":\"%s\",\"verdict\":\"%s\",\"first_seen\":\"%s\","
			     "\"last_seen\":\"%s\",\"flows\":%llu,\"denied\":%llu,\"bytes_to_store\":%llu,"
			     "\"bytes_from_store\":%llu,\"bytes_known\":%s,\"internal\":%s,\"ports\":[",
			s->address, cordon_access_verdict_name(s->verdict), a, b, (unsigned long long)s->flows,
			(unsigned long long)s->denied, (unsigned long long)s->bytes_to_store,
			(unsigned long long)s->bytes_from_store, s->bytes_known ? "true" : "false",
			s->internal ? "true" : "false");
		for (unsigned p = 0; p < s->nports; p++)
			fprintf(out, "%s%u", p ? "," : "", s->ports[p]);
		fputs("],\"rule\":", out);
		if (s->rule)
			json_str(out, s->rule);
		else
			fputs("null", out);
		fputs(",\"actions\":{", out);
		for (int act = 0, n = 0; act < CORDON_ACCESS_ACTIONS; act++)
			if (s->actions[act])
				fprintf(out, "%s\"%s\":%llu", n++ ? "," : "",
					cordon_access_action_name((cordon_access_action)act), (unsigned long long)s->actions[act]);
		fputs("}}\n", out);
	}
}

static void report_csv(FILE *out, const struct cordon_access_result *r)
{
	char wf[32], wt[32];
	iso(r->from, wf);
	iso(r->to, wt);
	fputs("window_from,window_to,address,verdict,first_seen,last_seen,flows,denied,bytes_to_store,"
	      "bytes_from_store,bytes_known,internal,ports,rule,actions\n",
	      out);
	for (size_t k = 0; k < r->nsources; k++) {
		const struct cordon_access_source *s = &r->sources[k];
		char a[32], b[32], ports[80];
		iso(s->first_seen, a);
		iso(s->last_seen, b);
		ports_text(s, ports, sizeof(ports));
		fprintf(out, "%s,%s,%s,%s,%s,%s,%llu,%llu,%llu,%llu,%s,%s,%s,", wf, wt, s->address,
			cordon_access_verdict_name(s->verdict), a, b, (unsigned long long)s->flows,
			(unsigned long long)s->denied, (unsigned long long)s->bytes_to_store,
			(unsigned long long)s->bytes_from_store, s->bytes_known ? "true" : "false",
			s->internal ? "true" : "false", ports);
		csv_str(out, s->rule);
		char acts[200];
		actions_text(s, acts, sizeof(acts), ";", "=");
		fprintf(out, ",%s\n", strcmp(acts, "-") ? acts : "");
	}
}

cordon_code cordon_access_report(FILE *out, cordon_access_format format, const struct cordon_access_result *r)
{
	if (!out || !r)
		return CORDON_ERR_ARG;
	switch (format) {
	case CORDON_ACCESS_TEXT: report_text(out, r); break;
	case CORDON_ACCESS_JSON: report_json(out, r); break;
	case CORDON_ACCESS_CSV: report_csv(out, r); break;
	default: return CORDON_ERR_ARG;
	}
	return ferror(out) ? CORDON_ERR_IO : CORDON_OK;
}
