/* The event loop: every endpoint in flight on one thread, raw sockets
 * (TCP, UDP) polled beside libcurl's multi interface (curl_multi_poll with
 * the raw sockets as extra descriptors). Nothing here blocks: connects are
 * non-blocking, every conversation has a connect timeout, a read timeout
 * (reset when bytes come) and a whole-conversation timeout, the run has a
 * deadline, and a reply is kept to reply_max bytes. A per-host rate limit
 * spaces new connections to one address. */
#include <curl/curl.h>
#include <sodium.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "probe/probe.h"
#include "util/alloc.h"

enum { HEAD_MAX = 16 * 1024, HOST_SLOTS = 4096, HOST_PROBES = 16, TICK_MS = 50 };

uint64_t probe_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;
static void init_curl(void) { curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT); }

cordon_code cordon_probe_new(cordon_probe **out, const struct cordon_probe_options *o)
{
	if (!out)
		return CORDON_ERR_ARG;
	*out = NULL;
	pthread_once(&curl_once, init_curl);
	if (curl_init_rc != CURLE_OK)
		return CORDON_ERR_IO;
	cordon_probe *p = calloc(1, sizeof(*p));
	if (!p)
		return CORDON_ERR_NOMEM;
	struct cordon_probe_options d = CORDON_PROBE_OPTIONS_INIT;
	p->o = o ? *o : d;
	if (!p->o.concurrency)
		p->o.concurrency = 256;
	if (!p->o.connect_timeout_ms)
		p->o.connect_timeout_ms = 3000;
	if (!p->o.read_timeout_ms)
		p->o.read_timeout_ms = 5000;
	if (!p->o.endpoint_timeout_ms)
		p->o.endpoint_timeout_ms = 20000;
	if (!p->o.reply_max)
		p->o.reply_max = 256 << 10;
	if (!p->o.sample)
		p->o.sample = 5;
	if (p->o.rate <= 0)
		p->o.rate = 100;
	*out = p;
	return CORDON_OK;
}

void cordon_probe_free(cordon_probe *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->ntargets; i++)
		free(p->targets[i].host);
	free(p->targets);
	free(p->ports);
	free(p->excl);
	for (size_t i = 0; i < p->nassets; i++) {
		free(p->assets[i].endpoint);
		free(p->assets[i].name);
		free(p->assets[i].owner);
		free(p->assets[i].sensitivity);
		free(p->assets[i].t.host);
	}
	free(p->assets);
	for (size_t i = 0; i < p->ncreds; i++) {
		free(p->creds[i].service);
		free(p->creds[i].user);
		sodium_memzero(p->creds[i].password, strlen(p->creds[i].password));
		free(p->creds[i].password);
		free(p->creds[i].t.host);
	}
	free(p->creds);
	free(p->hosts);
	exposures_free(p->found, p->nfound);
	free(p);
}

const char *cordon_probe_error(const cordon_probe *p) { return p ? p->err : ""; }

void cordon_probe_stats(const cordon_probe *p, struct cordon_probe_stats *out)
{
	if (out)
		*out = p ? p->stats : (struct cordon_probe_stats){ 0 };
}

/* ---- the allow list ----------------------------------------------------- */

/* An allow-list pattern: '*' any text (none too), '#' a number (one or
 * more digits), anything else itself. Simpler than a shell pattern, and
 * tighter: "LRANGE KEY 0 #" takes no more words. */
static int match(const char *pat, const char *s)
{
	for (; *pat; pat++, s++) {
		if (*pat == '*') {
			for (const char *t = s;; t++) {
				if (match(pat + 1, t))
					return 1;
				if (!*t)
					return 0;
			}
		}
		if (*pat == '#') {
			if (*s < '0' || *s > '9')
				return 0;
			while (s[1] >= '0' && s[1] <= '9')
				s++;
			continue;
		}
		if (*pat != *s)
			return 0;
	}
	return !*s;
}

int probe_allowed(const struct probe_def *def, const char *request)
{
	for (const char *const *a = def->allow; a && *a; a++)
		if (match(*a, request))
			return 1;
	return 0;
}

static int refuse(struct probe_ctx *c, const char *request)
{
	probe_note(c, "cordon refused to send '%.60s': not on the %s probe's list", request, c->def->name);
	c->done = 1;
	return -1;
}

int probe_send(struct probe_ctx *c, const char *request, const void *bytes, size_t len)
{
	if (c->def->transport == PROBE_HTTP || !probe_allowed(c->def, request))
		return refuse(c, request);
	if (cordon_buf_append(&c->out, bytes, len)) {
		c->done = 1;
		return -1;
	}
	c->read_by = probe_now_ms() + c->run->o.read_timeout_ms;
	return 0;
}

void probe_consume(struct probe_ctx *c, size_t n)
{
	if (n >= c->in.len) {
		c->in.len = 0;
		return;
	}
	memmove(c->in.data, c->in.data + n, c->in.len - n);
	c->in.len -= n;
}

/* ---- HTTP through libcurl ---------------------------------------------- */

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct probe_ctx *c = arg;
	size_t len = size * n, room = c->run->o.reply_max - c->in.len;
	c->bytes_in += len;
	c->read_by = probe_now_ms() + c->run->o.read_timeout_ms;
	if (len > room) {
		c->capped = 1;
		if (room && !cordon_buf_append(&c->in, data, room))
			return 0; /* kept what fits; the transfer stops here */
		return 0;
	}
	if (cordon_buf_append(&c->in, data, len))
		return 0;
	return len;
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	struct probe_ctx *c = arg;
	size_t len = size * n;
	c->bytes_in += len;
	if (len >= 5 && !memcmp(data, "HTTP/", 5))
		c->head.len = 0; /* a new reply (after 100 Continue) */
	if (c->head.len + len > HEAD_MAX)
		return len; /* past the cap: not kept */
	if (cordon_buf_append(&c->head, data, len))
		return 0;
	return len;
}

int probe_header(const struct probe_ctx *c, const char *name, char *out, size_t cap)
{
	size_t nl = strlen(name);
	const char *p = c->head.data, *end = p ? p + c->head.len : NULL;
	while (p && p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end;
		if ((size_t)(le - p) > nl && p[nl] == ':' && !strncasecmp(p, name, nl)) {
			const char *v = p + nl + 1;
			while (v < le && (*v == ' ' || *v == '\t'))
				v++;
			const char *ve = le;
			while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			if (cap) {
				size_t k = (size_t)(ve - v) < cap - 1 ? (size_t)(ve - v) : cap - 1;
				memcpy(out, v, k);
				out[k] = '\0';
			}
			return 1;
		}
		p = eol ? eol + 1 : end;
	}
	return 0;
}

json_t *probe_json(const struct probe_ctx *c)
{
	if (c->capped || !c->in.len)
		return NULL;
	return json_loadb(c->in.data, c->in.len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
}

static CURLM *multi_of(struct probe_ctx *c);

int probe_get(struct probe_ctx *c, const char *path) { return probe_http(c, path, NULL, NULL); }

int probe_http(struct probe_ctx *c, const char *path, const char *body, const char *user)
{
	char req[1200];
	snprintf(req, sizeof(req), "%s %s%s%s%s%s", body ? "POST" : "GET", path, body ? " " : "", body ? body : "",
		 user ? " as " : "", user ? user : "");
	if (c->def->transport != PROBE_HTTP || !probe_allowed(c->def, req) || strlen(path) > 500 || path[0] != '/' ||
	    (body && strlen(body) > 500))
		return refuse(c, req);
	if (!c->loop) {
		/* a conversation without a loop (the fuzz harness, which hands the
		 * replies in): the request is checked and recorded, not sent */
		free(c->url);
		c->url = strdup(path);
		c->in.len = c->head.len = 0;
		c->capped = 0;
		c->status = 0;
		return c->url ? 0 : -1;
	}
	const struct endpoint *ep = &c->ep;
	const char *h = ep->host ? ep->host : ep->addr;
	int v6 = !ep->host && strchr(ep->addr, ':');
	char url[900], resolve[400];
	snprintf(url, sizeof(url), "%s://%s%s%s:%u%s", c->tls ? "https" : "http", v6 ? "[" : "", h, v6 ? "]" : "",
		 ep->port, path);
	free(c->url);
	c->url = strdup(path);
	if (c->easy) {
		curl_multi_remove_handle(multi_of(c), c->easy);
		curl_easy_cleanup(c->easy);
	}
	CURL *e = c->easy = curl_easy_init();
	if (!e || !c->url) {
		c->done = 1;
		return -1;
	}
	c->in.len = 0;
	c->head.len = 0;
	c->capped = 0;
	c->status = 0;
	uint64_t now = probe_now_ms();
	long left = c->end_by > now ? (long)(c->end_by - now) : 1;
	long low_time = (long)(c->run->o.read_timeout_ms + 999) / 1000;
	struct curl_slist *res = NULL;
	if (ep->host) {
		snprintf(resolve, sizeof(resolve), "%s:%u:%s%s%s", ep->host, ep->port, strchr(ep->addr, ':') ? "[" : "",
			 ep->addr, strchr(ep->addr, ':') ? "]" : "");
		res = curl_slist_append(NULL, resolve);
	}
	/* the list must outlive the transfer: kept in the handle's private
	 * slot beside c, freed with it (see end_http) */
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, c);
	c->curl_err[0] = '\0';
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, c->curl_err);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, c);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)c->run->o.connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, left);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, low_time < 1 ? 1L : low_time);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_PROXY, ""); /* the endpoint itself, not through a proxy the environment names */
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "cordon-probe/" CORDON_VERSION_STRING " (read-only check)");
	/* a store's certificate is often self-signed: whether it is trusted
	 * is not the question asked here */
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(e, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
	if (res)
		curl_easy_setopt(e, CURLOPT_RESOLVE, res);
	if (body) {
		curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, body);
		struct curl_slist *hl = curl_slist_append(NULL, "Content-Type: application/json");
		curl_slist_free_all(c->headers);
		c->headers = hl;
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, hl);
	}
	if (user) {
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(e, CURLOPT_USERPWD, user);
	}
	curl_slist_free_all(c->resolve);
	c->resolve = res;
	if (curl_multi_add_handle(multi_of(c), e) != CURLM_OK) {
		c->done = 1;
		return -1;
	}
	c->read_by = now + c->run->o.connect_timeout_ms + c->run->o.read_timeout_ms;
	return 0;
}

/* ---- the run ------------------------------------------------------------ */

struct loop {
	struct cordon_probe *p;
	CURLM *multi;
	struct probe_ctx **act;
	size_t nact;
	struct curl_waitfd *wfd;
	struct probe_ctx **wctx;
	struct endpoint pending;
	int has_pending, more;
	uint64_t deadline;
	cordon_code rc;
};

static CURLM *multi_of(struct probe_ctx *c) { return c->loop->multi; }

static void close_raw(struct probe_ctx *c);

static void ctx_free(struct probe_ctx *c)
{
	if (!c)
		return;
	close_raw(c);
	if (c->easy) {
		curl_multi_remove_handle(c->loop->multi, c->easy);
		curl_easy_cleanup(c->easy);
	}
	curl_slist_free_all(c->resolve);
	curl_slist_free_all(c->headers);
	cordon_buf_release(&c->in);
	cordon_buf_release(&c->out);
	cordon_buf_release(&c->head);
	free(c->url);
	free(c->name);
	if (c->priv && c->def && c->def->release)
		c->def->release(c);
	free(c->priv);
	result_release(&c->res);
	free(c);
}

/* Rate limit: may a connection to addr start now? When not, *wait is how
 * long until it may. */
static int host_ready(struct cordon_probe *p, const char *addr, uint64_t now, uint64_t *wait)
{
	if (!p->hosts && !(p->hosts = calloc(HOST_SLOTS, sizeof(*p->hosts))))
		return 1; /* a courtesy, not a safety property: without memory, no spacing */
	uint64_t interval = (uint64_t)(1000.0 / p->o.rate);
	uint32_t h = 2166136261u;
	for (const char *s = addr; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	struct host_slot *free_slot = NULL;
	for (unsigned k = 0; k < HOST_PROBES; k++) {
		struct host_slot *s = &p->hosts[(h + k) & (HOST_SLOTS - 1)];
		if (!strcmp(s->addr, addr)) {
			if (s->next_at > now) {
				*wait = s->next_at - now;
				return 0;
			}
			s->next_at = now + interval;
			return 1;
		}
		if (!free_slot && (!s->addr[0] || s->next_at <= now))
			free_slot = s;
	}
	if (free_slot) {
		snprintf(free_slot->addr, sizeof(free_slot->addr), "%s", addr);
		free_slot->next_at = now + interval;
	}
	return 1;
}

static void start_raw(struct loop *l, struct probe_ctx *c);
static void step(struct loop *l, struct probe_ctx *c);

/* Starts the conversation over, on a new connection, with the chain's
 * next probe: what answered was not the service the last one speaks. 0,
 * or -1 when the chain is done. */
static int next_in_chain(struct loop *l, struct probe_ctx *c)
{
	if (c->chain_pos >= c->nchain)
		return -1;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	if (c->easy) {
		curl_multi_remove_handle(l->multi, c->easy);
		curl_easy_cleanup(c->easy);
		c->easy = NULL;
	}
	if (c->priv && c->def->release)
		c->def->release(c);
	free(c->priv);
	c->priv = NULL;
	result_release(&c->res);
	c->def = c->chain[c->chain_pos++];
	c->state = 0;
	c->replies = 0;
	c->connected = 0;
	c->eof = c->capped = c->mismatch = c->done = c->ext = 0;
	c->in.len = c->out.len = c->head.len = 0;
	c->out_off = 0;
	c->tls = c->ep.scheme == 2 || c->def == &probe_https_any;
	/* HTTPS is tried at once after a refused plain request on a port
	 * known as HTTP's; elsewhere it comes last, as its own probe */
	c->tried_tls = c->ep.scheme != 0 || c->tls || c->https_last;
	uint64_t now = probe_now_ms();
	c->start_at = now;
	c->read_by = now + l->p->o.connect_timeout_ms + l->p->o.read_timeout_ms;
	if (c->def->priv_size && !(c->priv = calloc(1, c->def->priv_size)))
		return -1;
	if (c->def->transport == PROBE_HTTP)
		step(l, c); /* GET / */
	else
		start_raw(l, c);
	return 0;
}

static void finish(struct loop *l, struct probe_ctx *c, const char *why)
{
	if (c->mismatch && next_in_chain(l, c) == 0)
		return;
	if (c->mismatch && !c->res.kind) {
		probe_set_service(c, "unknown service");
		probe_found(c, "other_service", "answers on %s, but as none of the services cordon knows",
			    c->ep.proto == CORDON_PROTO_UDP ? "UDP" : "TCP");
	}
	cordon_code rc = result_finish(l->p, c, why);
	if (rc != CORDON_OK && l->rc == CORDON_OK)
		l->rc = rc;
	for (size_t i = 0; i < l->nact; i++)
		if (l->act[i] == c) {
			l->act[i] = l->act[--l->nact];
			break;
		}
	ctx_free(c);
}

/* Closes the raw socket, sending what is queued first when it goes at
 * once (a goodbye: PostgreSQL's Terminate). */
static void close_raw(struct probe_ctx *c)
{
	if (c->fd < 0)
		return;
	if (c->connected && c->out_off < c->out.len) {
		ssize_t w = send(c->fd, c->out.data + c->out_off, c->out.len - c->out_off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w > 0)
			c->run->stats.bytes_sent += (uint64_t)w;
	}
	close(c->fd);
	c->fd = -1;
	c->out.len = c->out_off = 0;
}

void probe_external(struct probe_ctx *c, int fd, short events)
{
	close_raw(c);
	c->fd = -1;
	c->ext = 1;
	c->ext_fd = fd;
	c->ext_want = events;
	c->read_by = probe_now_ms() + c->run->o.read_timeout_ms;
	if (fd < 0)
		c->done = 1;
}

int probe_mismatch(struct probe_ctx *c)
{
	c->mismatch = 1;
	return PROBE_DONE;
}

/* Calls the probe's step, and ends the conversation when it is done. */
static void step(struct loop *l, struct probe_ctx *c)
{
	int r = c->done ? PROBE_DONE : c->def->step(c);
	if (c->def->transport != PROBE_HTTP)
		c->replies++;
	if (r == PROBE_DONE || c->done)
		finish(l, c, NULL);
}

static void start_raw(struct loop *l, struct probe_ctx *c)
{
	int udp = c->ep.proto == CORDON_PROTO_UDP;
	c->fd = socket(c->ep.sa.ss_family, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		finish(l, c, errno == EMFILE || errno == ENFILE ? "out of file descriptors" : strerror(errno));
		return;
	}
	if (connect(c->fd, (struct sockaddr *)&c->ep.sa, c->ep.salen) && errno != EINPROGRESS) {
		finish(l, c, errno == ECONNREFUSED ? "connection refused" : strerror(errno));
		return;
	}
}

/* The probes to try, in order: the port's own, then HTTP, then the other
 * raw ones of the protocol (a Redis on 8080 is still found). */
static void make_chain(struct probe_ctx *c)
{
	const struct endpoint *ep = &c->ep;
	const struct probe_def *own = ep->scheme ? NULL : probe_for_datastore(ep->datastore, ep->proto);
	if (own && own->transport == PROBE_HTTP)
		own = &probe_http_any;
	if (ep->scheme) {
		c->chain[c->nchain++] = &probe_http_any;
		return;
	}
	if (own)
		c->chain[c->nchain++] = own;
	if (ep->proto == CORDON_PROTO_TCP && own != &probe_http_any) {
		c->chain[c->nchain++] = &probe_http_any;
		c->https_last = 1;
	}
	for (size_t i = 0; probe_defs[i] && c->nchain < CHAIN_MAX - 1; i++) {
		const struct probe_def *d = probe_defs[i];
		if (d == own || d->transport == PROBE_HTTP || (d->transport == PROBE_UDP) != (ep->proto == CORDON_PROTO_UDP))
			continue;
		c->chain[c->nchain++] = d;
	}
	if (c->https_last)
		c->chain[c->nchain++] = &probe_https_any;
}

static void start(struct loop *l, const struct endpoint *ep, uint64_t now)
{
	struct cordon_probe *p = l->p;
	struct probe_ctx *c = calloc(1, sizeof(*c));
	if (!c) {
		l->rc = CORDON_ERR_NOMEM;
		return;
	}
	c->run = p;
	c->loop = l;
	c->fd = -1;
	c->ep = *ep;
	c->start_at = now;
	c->end_by = now + p->o.endpoint_timeout_ms;
	cordon_buf_init(&c->in, p->o.reply_max);
	cordon_buf_init(&c->out, 0);
	cordon_buf_init(&c->head, 0);
	l->act[l->nact++] = c;
	p->stats.probed++;
	if (!(c->name = endpoint_name(ep))) {
		l->rc = CORDON_ERR_NOMEM;
		finish(l, c, "out of memory");
		return;
	}
	make_chain(c);
	if (next_in_chain(l, c)) {
		if (!c->nchain)
			finish(l, c, "no probe speaks this UDP port");
		else {
			l->rc = CORDON_ERR_NOMEM;
			finish(l, c, "out of memory");
		}
	}
}

/* Hands the conversation to another probe (http.c, once it knows what
 * answered). */
int probe_hand_over(struct probe_ctx *c, const struct probe_def *def)
{
	if (c->priv && c->def->release)
		c->def->release(c);
	free(c->priv);
	c->priv = NULL;
	c->def = def;
	c->state = 0;
	if (def->priv_size && !(c->priv = calloc(1, def->priv_size))) {
		c->done = 1;
		return PROBE_DONE;
	}
	return def->step(c);
}

static void raw_event(struct loop *l, struct probe_ctx *c, short revents, uint64_t now)
{
	struct cordon_probe *p = l->p;
	if (!c->connected && (revents & (POLLOUT | POLLERR | POLLHUP))) {
		int err = 0;
		socklen_t el = sizeof(err);
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el) || err) {
			finish(l, c, err == ECONNREFUSED ? "connection refused" : strerror(err ? err : errno));
			return;
		}
		c->connected = 1;
		/* a server that speaks first does so at once: a short wait before
		 * the chain goes on (MySQL's greeting comes in milliseconds) */
		c->read_by = now + (c->def->server_first && p->o.read_timeout_ms > 2000 ? 2000 : p->o.read_timeout_ms);
		step(l, c); /* the first request, or (MySQL) wait for the greeting */
		return;
	}
	if ((revents & POLLOUT) && c->out_off < c->out.len) {
		ssize_t w = send(c->fd, c->out.data + c->out_off, c->out.len - c->out_off, MSG_NOSIGNAL);
		if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			finish(l, c, errno == ECONNRESET || errno == EPIPE ? "connection reset" : strerror(errno));
			return;
		}
		if (w > 0) {
			c->out_off += (size_t)w;
			p->stats.bytes_sent += (uint64_t)w;
			if (c->out_off == c->out.len)
				c->out_off = c->out.len = 0;
		}
	}
	if (revents & (POLLIN | POLLHUP | POLLERR)) {
		char buf[16384];
		size_t room = p->o.reply_max - c->in.len;
		ssize_t r = recv(c->fd, buf, room < sizeof(buf) ? room : sizeof(buf), 0);
		if (r < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				return;
			const char *why = errno == ECONNREFUSED ? "connection refused"
					  : errno == ECONNRESET ? "connection reset"
								  : strerror(errno);
			if (c->res.kind)
				probe_note(c, "%s", why);
			else if (c->connected && errno == ECONNRESET)
				c->mismatch = 1; /* reset on our request: another protocol */
			finish(l, c, why);
			return;
		}
		if (r == 0 && room == 0)
			c->capped = 1;
		else if (r == 0)
			c->eof = 1;
		c->bytes_in += (uint64_t)r;
		if (r > 0 && cordon_buf_append(&c->in, buf, (size_t)r)) {
			finish(l, c, "out of memory");
			return;
		}
		if (c->in.len == p->o.reply_max)
			c->capped = 1;
		c->read_by = now + p->o.read_timeout_ms;
		size_t before = c->in.len;
		step(l, c);
		/* still here, nothing more can come, nothing was taken: over */
		for (size_t i = 0; i < l->nact; i++)
			if (l->act[i] == c) {
				if (c->eof || (c->capped && c->in.len == before)) {
					if (!c->res.kind)
						c->mismatch = 1; /* closed or flooded before a word we know */
					if (c->res.kind)
						probe_note(c, "%s", c->eof ? "the server closed the connection"
									   : "a reply over the size cap");
					finish(l, c, c->eof ? "closed the connection without an answer"
							    : "a reply over the size cap");
				}
				break;
			}
	}
}

static const char *curl_why(CURLcode rc, long connected)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
		return "connection refused";
	case CURLE_OPERATION_TIMEDOUT:
		return connected ? "connected, no answer in time" : "connect timed out";
	case CURLE_GOT_NOTHING:
		return "closed the connection without an answer";
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		return "connection reset";
	case CURLE_SSL_CONNECT_ERROR:
		return "TLS handshake failed";
	default:
		return curl_easy_strerror(rc);
	}
}

static void http_done(struct loop *l, CURL *e, CURLcode rc)
{
	struct probe_ctx *c = NULL;
	curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&c);
	if (!c)
		return;
	long req = 0, connected = 0;
	curl_easy_getinfo(e, CURLINFO_REQUEST_SIZE, &req);
	l->p->stats.bytes_sent += (uint64_t)(req > 0 ? req : 0);
	curl_off_t ct = 0;
	curl_easy_getinfo(e, CURLINFO_CONNECT_TIME_T, &ct);
	/* curl leaves the connect time at 0 when TLS fails: the error says
	 * whether TCP got through */
	int tls_stall = rc == CURLE_OPERATION_TIMEDOUT && c->tls && strstr(c->curl_err, "SSL");
	connected = ct > 0 || tls_stall ||
		    (rc != CURLE_COULDNT_CONNECT && rc != CURLE_OPERATION_TIMEDOUT && rc != CURLE_COULDNT_RESOLVE_HOST);
	if (rc == CURLE_WRITE_ERROR && c->capped)
		rc = CURLE_OK; /* what fit is the reply; step sees c->capped */
	if (rc == CURLE_OK) {
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &c->status);
		c->replies++;
		step(l, c);
		return;
	}
	if (c->replies == 0 && connected && !c->tried_tls &&
	    (rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR)) {
		/* closed on a plain request: a TLS port (Elasticsearch 8 does
		 * this); the same GET / again over TLS */
		c->tried_tls = 1;
		c->tls = 1;
		if (probe_get(c, "/") == 0)
			return;
	}
	if (tls_stall && c->ep.scheme == 2 && !c->res.kind) {
		finish(l, c, "connected, but the TLS handshake did not finish");
		return;
	}
	if (c->replies == 0 && connected && (c->tls || rc != CURLE_OPERATION_TIMEDOUT)) {
		/* it answered, but not HTTP (or not TLS): another protocol */
		probe_mismatch(c);
		finish(l, c, NULL);
		return;
	}
	if (c->res.kind)
		probe_note(c, "GET %s: %s", c->url ? c->url : "?", curl_why(rc, connected));
	finish(l, c, curl_why(rc, connected));
}

static void check_timeouts(struct loop *l, uint64_t now)
{
	for (size_t i = 0; i < l->nact;) {
		struct probe_ctx *c = l->act[i];
		const char *why = NULL;
		if (now >= c->end_by)
			why = "the conversation took too long";
		else if (c->def->transport != PROBE_HTTP && !c->connected &&
			 now >= c->start_at + l->p->o.connect_timeout_ms)
			why = "connect timed out";
		else if (c->ext && now >= c->read_by)
			why = "the server stopped answering";
		else if (c->def->transport != PROBE_HTTP && c->connected && now >= c->read_by)
			why = c->bytes_in ? "the reply stalled" : "connected, no answer in time";
		if (why) {
			if (c->res.kind)
				probe_note(c, "%s", why);
			else if (c->def->transport != PROBE_HTTP && c->connected && c->bytes_in && now < c->end_by)
				c->mismatch = 1; /* it said something, then nothing we know */
			else if (c->def->server_first && c->connected && !c->bytes_in && c->chain_pos < c->nchain)
				c->mismatch = 1; /* no greeting: not this service */
			finish(l, c, why); /* l->act[i] is now another: look again */
			continue;
		}
		i++;
	}
}

static void cut_at_deadline(struct loop *l)
{
	while (l->nact) {
		struct probe_ctx *c = l->act[0];
		if (c->res.kind) { /* what it knew stands, said to be cut */
			probe_note(c, "%s", "cut at the run's deadline");
			c->mismatch = 0;
			finish(l, c, NULL);
		} else { /* nothing known yet: not probed, not "unreachable" */
			l->p->stats.not_probed++;
			l->p->stats.probed--;
			l->act[0] = l->act[--l->nact];
			ctx_free(c);
		}
	}
	struct endpoint ep;
	if (l->has_pending)
		l->p->stats.not_probed++;
	while (targets_next(l->p, &ep))
		l->p->stats.not_probed++;
	l->more = 0;
	l->has_pending = 0;
}

cordon_code cordon_probe_run(cordon_probe *p, const struct cordon_exposure **out, size_t *n)
{
	if (!p || !out || !n)
		return CORDON_ERR_ARG;
	uint64_t total;
	cordon_code rc = cordon_probe_count(p, 0, &total);
	if (rc != CORDON_OK)
		return rc;
	exposures_free(p->found, p->nfound);
	p->found = NULL;
	p->nfound = p->capfound = 0;
	memset(&p->stats, 0, sizeof(p->stats));
	targets_rewind(p);
	struct loop l = { 0 };
	l.p = p;
	l.more = 1;
	l.multi = curl_multi_init();
	l.act = calloc(p->o.concurrency, sizeof(*l.act));
	l.wfd = calloc(p->o.concurrency, sizeof(*l.wfd));
	l.wctx = calloc(p->o.concurrency, sizeof(*l.wctx));
	if (!l.multi || !l.act || !l.wfd || !l.wctx) {
		rc = CORDON_ERR_NOMEM;
		goto out;
	}
	uint64_t now = probe_now_ms();
	l.deadline = p->o.deadline_ms ? now + p->o.deadline_ms : 0;
	while (l.rc == CORDON_OK && (l.more || l.has_pending || l.nact)) {
		now = probe_now_ms();
		if (l.deadline && now >= l.deadline) {
			cut_at_deadline(&l);
			break;
		}
		long timeout = TICK_MS;
		/* start what may start */
		while (l.nact < p->o.concurrency && l.rc == CORDON_OK) {
			if (!l.has_pending) {
				if (!l.more || !targets_next(p, &l.pending)) {
					l.more = 0;
					break;
				}
				l.has_pending = 1;
			}
			uint64_t wait = 0;
			if (!host_ready(p, l.pending.addr, now, &wait)) {
				if ((long)wait < timeout)
					timeout = (long)wait;
				break;
			}
			l.has_pending = 0;
			start(&l, &l.pending, now);
		}
		/* the raw sockets as extra descriptors of curl's poll */
		unsigned nw = 0;
		for (size_t i = 0; i < l.nact; i++) {
			struct probe_ctx *c = l.act[i];
			if (c->ext) {
				l.wfd[nw].fd = c->ext_fd;
				l.wfd[nw].events = (short)(((c->ext_want & POLLIN) ? CURL_WAIT_POLLIN : 0) |
							   ((c->ext_want & POLLOUT) ? CURL_WAIT_POLLOUT : 0));
				l.wfd[nw].revents = 0;
				l.wctx[nw++] = c;
				continue;
			}
			if (c->fd < 0)
				continue;
			l.wfd[nw].fd = c->fd;
			l.wfd[nw].events = !c->connected || c->out_off < c->out.len ? CURL_WAIT_POLLOUT : CURL_WAIT_POLLIN;
			if (c->connected && c->out_off < c->out.len)
				l.wfd[nw].events |= CURL_WAIT_POLLIN;
			l.wfd[nw].revents = 0;
			l.wctx[nw++] = c;
		}
		int numfds = 0;
		if (curl_multi_poll(l.multi, l.wfd, nw, (int)(timeout < 0 ? 0 : timeout), &numfds) != CURLM_OK) {
			rc = CORDON_ERR_IO;
			goto out;
		}
		now = probe_now_ms();
		for (unsigned i = 0; i < nw; i++) {
			short ev = 0;
			if (l.wfd[i].revents & CURL_WAIT_POLLIN)
				ev |= POLLIN;
			if (l.wfd[i].revents & CURL_WAIT_POLLOUT)
				ev |= POLLOUT;
			if (l.wfd[i].revents & ~(CURL_WAIT_POLLIN | CURL_WAIT_POLLOUT | CURL_WAIT_POLLPRI))
				ev |= POLLERR;
			if (!ev)
				continue;
			/* a step may have ended this context: only if still active */
			for (size_t k = 0; k < l.nact; k++)
				if (l.act[k] == l.wctx[i]) {
					struct probe_ctx *c = l.wctx[i];
					if (c->ext) {
						c->ext_revents = ev;
						c->read_by = now + p->o.read_timeout_ms;
						step(&l, c);
					} else {
						raw_event(&l, c, ev, now);
					}
					break;
				}
		}
		int running = 0;
		curl_multi_perform(l.multi, &running);
		CURLMsg *m;
		int left;
		while ((m = curl_multi_info_read(l.multi, &left)))
			if (m->msg == CURLMSG_DONE)
				http_done(&l, m->easy_handle, m->data.result);
		check_timeouts(&l, probe_now_ms());
	}
	rc = l.rc;
	p->stats.endpoints = p->stats.probed + p->stats.not_probed;
out:
	while (l.nact)
		finish(&l, l.act[0], "stopped");
	free(l.act);
	free(l.wfd);
	free(l.wctx);
	if (l.multi)
		curl_multi_cleanup(l.multi);
	if (rc != CORDON_OK)
		return rc;
	result_sort(p);
	*out = p->found;
	*n = p->nfound;
	return CORDON_OK;
}

cordon_code cordon_probe_dry_run(cordon_probe *p, FILE *f)
{
	uint64_t total;
	cordon_code rc = cordon_probe_count(p, 0, &total);
	if (rc != CORDON_OK)
		return rc;
	targets_rewind(p);
	struct endpoint ep;
	const struct probe_def *used[CHAIN_MAX * 2];
	size_t nused = 0;
	struct probe_ctx *c = calloc(1, sizeof(*c));
	if (!c)
		return CORDON_ERR_NOMEM;
	while (targets_next(p, &ep)) {
		char *name = endpoint_name(&ep);
		if (!name) {
			free(c);
			return CORDON_ERR_NOMEM;
		}
		memset(c, 0, sizeof(*c));
		c->ep = ep;
		make_chain(c);
		fprintf(f, "%s\t", name);
		free(name);
		for (unsigned i = 0; i < c->nchain; i++) {
			fprintf(f, "%s%s", i ? ", " : "", c->chain[i]->name);
			size_t k = 0;
			while (k < nused && used[k] != c->chain[i])
				k++;
			if (k == nused && nused < sizeof(used) / sizeof(*used))
				used[nused++] = c->chain[i];
		}
		fputs(c->nchain > 1 ? " (in turn, until one knows what answers)\n"
			: c->nchain ? "\n" : "nothing: no probe speaks this UDP port\n", f);
	}
	free(c);
	if (nused)
		fputs("\nWhat each probe may send (and the http probe hands over to the probe of\n"
		      "what answers GET /: cordon help probes):\n",
		      f);
	for (size_t k = 0; k < nused; k++) {
		fprintf(f, "%s:", used[k]->name);
		for (const char *const *a = used[k]->allow; *a; a++)
			fprintf(f, "%s '%s'", a == used[k]->allow ? "" : ",", *a);
		fputc('\n', f);
	}
	targets_rewind(p);
	return ferror(f) ? CORDON_ERR_IO : CORDON_OK;
}
