/* IP_ADDRESS: IPv4 (plain, defanged "10[.]0[.]0[.]1", spaced "10 . 0 . 0 . 1",
 * with a port or prefix length left outside the span) and IPv6 (full,
 * compressed, IPv4-mapped; confirmed with inet_pton). Version and build numbers
 * are refused by shape (an octet over 255, a fifth part) and by context. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "detect/detector.h"

static const char *const dot_forms[] = { "[.]", "(.)", "{.}", "[dot]", "(dot)", "{dot}", "." };

/* A dot between octets starting at i; returns its end, or i if none. */
static size_t octet_dot(const uchar *s, size_t len, size_t i, int *defanged)
{
	size_t j = i;
	if (j < len && s[j] == ' ')
		j++;
	for (size_t k = 0; k < sizeof(dot_forms) / sizeof(*dot_forms); k++) {
		if (!starts_with_ci(s, len, j, dot_forms[k]))
			continue;
		size_t e = j + strlen(dot_forms[k]);
		if (e < len && s[e] == ' ' && j > i)
			e++;
		else if (j > i && k == sizeof(dot_forms) / sizeof(*dot_forms) - 1)
			return i; /* "10 .0": a blank on one side only is prose */
		*defanged |= k + 1 < sizeof(dot_forms) / sizeof(*dot_forms) || j > i;
		return e;
	}
	if (word_at_ci(s, len, j, "dot") && j > i && j + 3 < len && s[j + 3] == ' ') {
		*defanged = 1;
		return j + 4;
	}
	return i;
}

static size_t octet(const uchar *s, size_t len, size_t i)
{
	size_t e = i;
	unsigned v = 0;
	while (e < len && is_digit(s[e]) && e - i < 4)
		v = v * 10 + (unsigned)(s[e++] - '0');
	if (e == i || e - i > 3 || v > 255)
		return i;
	return e;
}

static int scan_ipv4(const uchar *s, size_t len, size_t at, struct candidates *out, size_t *end)
{
	if (at > 0 && (is_word(s[at - 1]) || s[at - 1] == '_'))
		return 0;
	if (at > 1 && (s[at - 1] == '.' || s[at - 1] == '-') && is_digit(s[at - 2]))
		return 0;
	size_t i = at;
	int defanged = 0;
	for (int part = 0; part < 4; part++) {
		if (part) {
			size_t d = octet_dot(s, len, i, &defanged);
			if (d == i)
				return 0;
			i = d;
		}
		size_t e = octet(s, len, i);
		if (e == i)
			return 0;
		i = e;
	}
	if (i < len && (is_word(s[i]) || s[i] == '_'))
		return 0;
	if (i + 1 < len && (s[i] == '.' || s[i] == '-') && is_digit(s[i + 1]))
		return 0; /* a fifth part: a version number */
	candidates_push(out, CORDON_IP_ADDRESS, at, i, defanged ? 0.85 : 0.8,
			defanged ? "IPv4, defanged or spaced dots, octets <= 255" : "IPv4, four octets <= 255");
	*end = i;
	return 1;
}

static int ipv6_byte(uchar c)
{
	return is_hex(c) || c == ':' || c == '.';
}

static size_t scan_ipv6(const uchar *s, size_t len, size_t at, struct candidates *out)
{
	size_t b = at, e = at;
	while (b > 0 && (is_hex(s[b - 1]) || s[b - 1] == ':') && at - b < 45)
		b--;
	while (e < len && ipv6_byte(s[e]) && e - b < 45)
		e++;
	size_t stop = e;
	if (b > 0 && (is_word(s[b - 1]) || s[b - 1] == '.'))
		return stop;
	while (e > b && (s[e - 1] == '.' || (s[e - 1] == ':' && !(e - b >= 2 && s[e - 2] == ':'))))
		e--;
	if (e < len && (is_word(s[e]) || s[e] == '_'))
		return stop;
	char buf[64];
	unsigned char addr[16];
	for (int tries = 0; tries < 3 && e > b; tries++) {
		size_t n = e - b;
		if (n >= sizeof(buf))
			return stop;
		memcpy(buf, s + b, n);
		buf[n] = '\0';
		int colons = 0, hexes = 0, compressed = 0;
		for (size_t k = 0; k < n; k++)
			colons += buf[k] == ':', hexes += is_hex((uchar)buf[k]), compressed |= k && buf[k] == ':' && buf[k - 1] == ':';
		/* inet_pton takes eight groups (seven colons), six and an IPv4
		 * address, or fewer around "::": a time ("14:22:05") is none */
		if ((colons >= 6 || compressed) && colons >= 2 && hexes >= 2 && inet_pton(AF_INET6, buf, addr) == 1) {
			candidates_push(out, CORDON_IP_ADDRESS, b, e, colons >= 4 ? 0.85 : 0.6,
					"IPv6, accepted by inet_pton");
			return e;
		}
		/* "[fe80::1]:443" style port or trailing junk: drop the last group */
		char *last = memrchr(buf, ':', n);
		if (!last || last == buf)
			break;
		e = b + (size_t)(last - buf);
		if (e > b && s[e - 1] == ':')
			break;
	}
	return stop;
}

static size_t ip_scan(const uchar *s, size_t len, size_t at, struct candidates *out)
{
	if (s[at] == ':')
		return scan_ipv6(s, len, at, out);
	size_t end;
	if (scan_ipv4(s, len, at, out, &end))
		return end;
	return at + 1;
}

static size_t ip_canonical(const uchar *s, size_t len, char *out, size_t cap)
{
	char buf[64], text[INET6_ADDRSTRLEN];
	unsigned char addr[16];
	size_t n = 0;
	int v6 = memchr(s, ':', len) != NULL;
	for (size_t i = 0; i < len && n + 1 < sizeof(buf); i++)
		if (v6 ? ipv6_byte(s[i]) : is_digit(s[i]))
			buf[n++] = (char)s[i];
		else if (!v6 && n && buf[n - 1] != '.')
			buf[n++] = '.';
	buf[n] = '\0';
	if (n && buf[n - 1] == '.')
		buf[--n] = '\0';
	int af = v6 ? AF_INET6 : AF_INET;
	if (!v6) { /* leading zeros are not octal here: "010" is 10 */
		unsigned o[4];
		if (sscanf(buf, "%u.%u.%u.%u", &o[0], &o[1], &o[2], &o[3]) == 4)
			snprintf(buf, sizeof(buf), "%u.%u.%u.%u", o[0], o[1], o[2], o[3]);
	}
	if (inet_pton(af, buf, addr) == 1 && inet_ntop(af, addr, text, sizeof(text)))
		return canonical_generic((const uchar *)text, strlen(text), out, cap);
	return canonical_generic(s, len, out, cap);
}

/* In a number: four octets from the group on (three digits at most, joined by dots,
 * and no fifth part), or fewer where the number ends before a spaced or
 * defanged dot ("10 . 0", "10[.]0"). Not after a version's dot or dash. */
static unsigned ip_number(const struct number *t)
{
	unsigned may = 0;
	for (size_t g = 0; g < t->n; g++) {
		if (g ? t->sep[g - 1] == '.' || t->sep[g - 1] == '-' : t->before >= 0 && (is_word(t->before) || t->before == '_'))
			continue;
		size_t k = g;
		int ok = 1;
		for (; ok && k < t->n && k < g + 4; k++)
			ok = t->len[k] <= 3 && (k + 1 == t->n || k == g + 3 || t->sep[k] == '.');
		if (!ok)
			continue;
		if (k < g + 4) /* the number ends first: a dot another way */
			ok = t->after == ' ' || t->after == '[' || t->after == '(' || t->after == '{';
		else if (k < t->n)
			ok = t->sep[k - 1] != '.' && t->sep[k - 1] != '-';
		if (ok)
			may |= 1u << g;
	}
	return may;
}

static const char *const ip_context[] = { "ip", "address", "addr", "host", "from", "client", NULL };
static const char *const ip_decoys[] = {
	"version", "ver", "v", "build", "release", "firmware", "driver", "update", "patch", NULL
};

static struct wordset ip_context_words = WORDSET(ip_context);
static struct wordset ip_decoys_words = WORDSET(ip_decoys);

const struct detector detector_ip = {
	.entity = CORDON_IP_ADDRESS,
	.name = "IP_ADDRESS",
	.anchors = ":",
	.triggers = TRIGGER_DIGIT,
	.digits = DIGIT_OTHER, /* not a word's tail, nor a version's */
	.runs = { [RUNS_OTHER] = RUN_LENS(1, 3) }, /* an IPv4 address's first octet */
	.number = ip_number,
	.scan = ip_scan,
	.context = &ip_context_words,
	.decoys = &ip_decoys_words,
	.canonical = ip_canonical,
};
