/* The values every reader checks the same way: ports, priorities and
 * source prefixes. A value that does not parse is an error naming it, never
 * a guess: strtol reading "[variables('p')]" as priority 0 let a deny rank
 * first and hide an allow; "300.1.1.1" or "10.0.0.0/33" taken for a service
 * tag made a wrong finding. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "audit/model.h"

static int digits(const char *s, size_t n)
{
	if (!n || n > 9)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int audit_port_range(const char *text, unsigned *lo, unsigned *hi)
{
	if (!text)
		return -1;
	if (!strcmp(text, "*") || !strcasecmp(text, "any")) {
		*lo = 0;
		*hi = 65535;
		return 0;
	}
	const char *dash = strchr(text, '-');
	size_t n = dash ? (size_t)(dash - text) : strlen(text);
	if (!digits(text, n) || (dash && !digits(dash + 1, strlen(dash + 1))))
		return -1;
	unsigned long a = strtoul(text, NULL, 10), b = dash ? strtoul(dash + 1, NULL, 10) : a;
	if (a > 65535 || b > 65535 || a > b)
		return -1;
	*lo = (unsigned)a;
	*hi = (unsigned)b;
	return 0;
}

int audit_json_port(const json_t *v, unsigned *lo, unsigned *hi)
{
	if (json_is_integer(v)) {
		json_int_t p = json_integer_value(v);
		if (p < 0 || p > 65535)
			return -1;
		*lo = *hi = (unsigned)p;
		return 0;
	}
	return json_is_string(v) ? audit_port_range(json_string_value(v), lo, hi) : -1;
}

int audit_json_long(const json_t *v, long lo, long hi, long *out)
{
	long n;
	if (json_is_integer(v)) {
		json_int_t x = json_integer_value(v);
		if (x < lo || x > hi)
			return -1;
		n = (long)x;
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if (!digits(s, strlen(s)))
			return -1;
		n = strtol(s, NULL, 10);
		if (n < lo || n > hi)
			return -1;
	} else {
		return -1;
	}
	*out = n;
	return 0;
}

int audit_tag_name(const char *s)
{
	/* AzureCloud, Storage.WestEurope, AppService.EastUS2, Sql-West_1 */
	if (!s || !((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' ||
		      *s == '-' || *s == '_'))
			return 0;
	return 1;
}

const char *audit_describe(const json_t *v, char *buf, size_t cap)
{
	if (json_is_string(v))
		snprintf(buf, cap, "'%.60s'", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
	else
		snprintf(buf, cap, "%s", !v ? "missing" : json_is_object(v) ? "an object" : json_is_array(v) ? "a list"
					 : json_is_real(v) ? "a fraction" : json_is_boolean(v) ? "a boolean" : "null");
	return buf;
}
