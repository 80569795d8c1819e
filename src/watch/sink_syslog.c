/* syslog, RFC 5424: <PRI>1 TIMESTAMP HOST cordon PID EVENT [cordon@32473
 * dedup=... fingerprint=... severity=... asset=... owner=...] SUMMARY,
 * facility local0, the exposure's severity as the message's (critical
 * crit, high err, medium warning; a resolve notice). Over UDP (one
 * datagram), TCP (octet counting, RFC 6587) or a unix socket (/dev/log),
 * each bounded by the sink's timeout. */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include "watch/watch.h"

enum { FACILITY_LOCAL0 = 16 };

/* An SD-PARAM value: '"', '\\' and ']' escaped (RFC 5424 6.3.3). */
static void sd_value(char *out, size_t cap, const char *v)
{
	size_t o = 0;
	for (; v && *v && o + 3 < cap; v++) {
		if (*v == '"' || *v == '\\' || *v == ']')
			out[o++] = '\\';
		out[o++] = (unsigned char)*v < 0x20 ? '?' : *v;
	}
	out[o] = '\0';
}

static const char *field(json_t *a, const char *k)
{
	const char *v = json_string_value(json_object_get(a, k));
	return v ? v : "-";
}

static int send_all(int fd, const char *p, size_t n, unsigned timeout_ms)
{
	while (n) {
		struct pollfd pfd = { fd, POLLOUT, 0 };
		if (poll(&pfd, 1, (int)timeout_ms) <= 0)
			return -1;
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno != EINTR && errno != EAGAIN)
			return -1;
		if (w > 0) {
			p += w;
			n -= (size_t)w;
		}
	}
	return 0;
}

/* A connected socket to "udp:H:P", "tcp:H:P" or "unix:PATH"; -1 with why. */
static int open_address(const char *address, unsigned timeout_ms, int *stream, char *why, size_t cap)
{
	if (!strncmp(address, "unix:", 5)) {
		struct sockaddr_un un = { .sun_family = AF_UNIX };
		snprintf(un.sun_path, sizeof(un.sun_path), "%s", address + 5);
		for (int type = SOCK_DGRAM; ; type = SOCK_STREAM) {
			int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
			if (fd >= 0 && connect(fd, (struct sockaddr *)&un, sizeof(un)) == 0) {
				*stream = type == SOCK_STREAM;
				return fd;
			}
			if (fd >= 0)
				close(fd);
			if (type == SOCK_STREAM)
				break;
		}
		snprintf(why, cap, "%s: %s", address, strerror(errno));
		return -1;
	}
	*stream = !strncmp(address, "tcp:", 4);
	char host[256];
	const char *hp = address + 4, *colon = strrchr(hp, ':');
	if (!colon || colon == hp || (size_t)(colon - hp) >= sizeof(host)) {
		snprintf(why, cap, "%s: not HOST:PORT", address);
		return -1;
	}
	memcpy(host, hp, (size_t)(colon - hp));
	host[colon - hp] = '\0';
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	struct addrinfo hints = { 0 }, *res = NULL;
	hints.ai_socktype = *stream ? SOCK_STREAM : SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICSERV;
	int g = getaddrinfo(host, colon + 1, &hints, &res);
	if (g || !res) {
		snprintf(why, cap, "%s: %s", address, g ? gai_strerror(g) : "no address");
		return -1;
	}
	int fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int ok = fd >= 0 && (connect(fd, res->ai_addr, res->ai_addrlen) == 0 || errno == EINPROGRESS);
	if (ok && *stream) { /* the connect, bounded */
		struct pollfd pfd = { fd, POLLOUT, 0 };
		int err = 0;
		socklen_t el = sizeof(err);
		ok = poll(&pfd, 1, (int)timeout_ms) == 1 && !getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) && !err;
		if (!ok)
			errno = err ? err : ETIMEDOUT;
	}
	freeaddrinfo(res);
	if (!ok) {
		snprintf(why, cap, "%s: %s", address, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int deliver(struct sink_run *s, const char *dedup, const char *event, char *why, size_t cap)
{
	json_t *a = json_loads(s->body, 0, NULL);
	if (!a) {
		snprintf(why, cap, "the alert is not JSON");
		return -1;
	}
	const char *sev = field(a, "severity");
	int level = !strcmp(event, "resolved") ? 5 : !strcmp(sev, "critical") ? 2 : !strcmp(sev, "high") ? 3
		    : !strcmp(sev, "medium") ? 4 : 6;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	char when[40], host[256] = "-";
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", gmtime_r(&ts.tv_sec, &tm));
	gethostname(host, sizeof(host) - 1);
	char d[200], f[64], sv[32], as[200], ow[200];
	sd_value(d, sizeof(d), dedup);
	sd_value(f, sizeof(f), field(a, "fingerprint"));
	sd_value(sv, sizeof(sv), sev);
	sd_value(as, sizeof(as), field(a, "asset"));
	sd_value(ow, sizeof(ow), field(a, "owner"));
	char msg[2048];
	int n = snprintf(msg, sizeof(msg),
			 "<%d>1 %s.%03ldZ %s cordon %ld %s [cordon@32473 dedup=\"%s\" fingerprint=\"%s\" severity=\"%s\" "
			 "asset=\"%s\" owner=\"%s\"] %s",
			 FACILITY_LOCAL0 * 8 + level, when, ts.tv_nsec / 1000000, host, (long)getpid(), event, d, f, sv,
			 as, ow, field(a, "summary"));
	json_decref(a);
	if (n < 0)
		return -1;
	size_t len = (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1;
	int stream;
	int fd = open_address(s->sink->address, s->sink->timeout_ms, &stream, why, cap);
	if (fd < 0)
		return -1;
	int rc;
	if (stream) {
		char head[16];
		int hl = snprintf(head, sizeof(head), "%zu ", len);
		rc = send_all(fd, head, (size_t)hl, s->sink->timeout_ms) || send_all(fd, msg, len, s->sink->timeout_ms) ? -1 : 0;
	} else {
		rc = send(fd, msg, len, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
	}
	if (rc)
		snprintf(why, cap, "%s: %s", s->sink->address, strerror(errno));
	close(fd);
	return rc;
}

const struct sink_type sink_syslog = { "syslog", NULL, deliver, 0 };
