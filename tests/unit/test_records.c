/* Record streams: JSON lines keep every byte outside redacted strings, keys
 * are never changed, escapes are decoded before detection, bad records are
 * quarantined or stop the run, and the parser agrees with jansson; CSV and
 * Elasticsearch bulk files keep their structure and quarantine whole records. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include "cordon/cordon.h"
#include "records/field_names.h"
#include "records/stream_internal.h"

struct run {
	cordon_code rc;
	char *out;
	char *quarantined;
	struct cordon_stream_stats stats;
	char err[512];
};

static const struct cordon_field_policy *policies;
static size_t npolicies;

static struct run stream(cordon_format format, const char *input, const char *const *fields,
			 size_t nfields, int with_quarantine, size_t max_record)
{
	struct run r = { 0 };
	cordon_engine *e;
	cordon_redactor *red;
	assert_int_equal(cordon_engine_new(&e, NULL), CORDON_OK);
	assert_int_equal(cordon_redactor_new(&red, CORDON_OP_TAG), CORDON_OK);
	assert_int_equal(cordon_redactor_set_key(red, "test key, 16+ bytes", 19), CORDON_OK);
	FILE *in = fmemopen((void *)input, strlen(input), "r");
	size_t olen, qlen;
	FILE *out = open_memstream(&r.out, &olen);
	FILE *q = with_quarantine ? open_memstream(&r.quarantined, &qlen) : NULL;
	struct cordon_stream_options o = { .format = format, .fields = fields, .nfields = nfields,
					   .redactor = red, .quarantine = q,
					   .max_record = max_record, .policies = policies,
					   .npolicies = npolicies };
	cordon_stream *st;
	assert_int_equal(cordon_stream_new(&st, e, &o), CORDON_OK);
	r.rc = cordon_stream_run(st, in, out, &r.stats);
	snprintf(r.err, sizeof(r.err), "%s", cordon_stream_error(st));
	cordon_stream_free(st);
	fclose(in);
	fclose(out);
	if (q)
		fclose(q);
	cordon_redactor_free(red);
	cordon_engine_free(e);
	return r;
}

static void done(struct run *r)
{
	free(r->out);
	free(r->quarantined);
}

static void test_byte_preserving(void **state)
{
	(void)state;
	static const struct { const char *in, *want; } cases[] = {
		{ "{\"a\" : \"mail bob@contoso.com\" ,\"n\":1.50E+3, \"k\":\"x\"}\n",
		  "{\"a\" : \"mail [EMAIL_ADDRESS]\" ,\"n\":1.50E+3, \"k\":\"x\"}\n" },
		{ "{\"bob@contoso.com\":\"bob@contoso.com\"}\n",
		  "{\"[EMAIL_ADDRESS]\":\"[EMAIL_ADDRESS]\"}\n" },
		{ "{\"t\":\"bob\\u0040contoso.com \\u00e9\"}\n", "{\"t\":\"[EMAIL_ADDRESS] \\u00e9\"}\n" },
		{ "{\"t\":\"line1\\nbob@contoso.com\\t\"}\r\n", "{\"t\":\"line1\\n[EMAIL_ADDRESS]\\t\"}\r\n" },
		{ "[\"call 555-123-4567\", 1, true, null, {\"x\":[]}]",
		  "[\"call [PHONE_NUMBER]\", 1, true, null, {\"x\":[]}]" },
		{ "\"ip 10.1.2.3\"\n\n{}\n", "\"ip [IP_ADDRESS]\"\n\n{}\n" },
		{ "{\"t\":\"caf\xC3\xA9 bob@contoso.com \\ud83d\\ude00\"}\n",
		  "{\"t\":\"caf\xC3\xA9 [EMAIL_ADDRESS] \\ud83d\\ude00\"}\n" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct run r = stream(CORDON_FORMAT_JSONL, cases[i].in, NULL, 0, 0, 0);
		assert_int_equal(r.rc, CORDON_OK);
		assert_string_equal(r.out, cases[i].want);
		done(&r);
	}
}

static void test_fields(void **state)
{
	(void)state;
	const char *const fields[] = { "customer.email", "msgs.text" };
	struct run r = stream(CORDON_FORMAT_JSONL,
			      "{\"customer\":{\"email\":\"a@contoso.com\",\"note\":\"b@contoso.com\"},"
			      "\"msgs\":[{\"text\":\"c@contoso.com\"},{\"text\":\"d@contoso.com\"}],"
			      "\"msgs2\":\"e@contoso.com\"}\n",
			      fields, 2, 0, 0);
	assert_int_equal(r.rc, CORDON_OK);
	assert_string_equal(r.out, "{\"customer\":{\"email\":\"[EMAIL_ADDRESS]\",\"note\":\"b@contoso.com\"},"
				   "\"msgs\":[{\"text\":\"[EMAIL_ADDRESS]\"},{\"text\":\"[EMAIL_ADDRESS]\"}],"
				   "\"msgs2\":\"e@contoso.com\"}\n");
	done(&r);
}

/* A field's name says what its value is: the whole value is that entity,
 * in JSON (the key, and the object it is in) and CSV (the column), with
 * the names people write ("First Name", "firstName", "FIRST_NAME"); not a
 * value that cannot be one (digits in a name, a placeholder, an address in
 * a city), nor a key that says nothing ("state" of a ticket, "name" of a
 * product, "country"). */
static void test_field_names(void **state)
{
	(void)state;
	static const struct {
		const char *key, *parent;
		cordon_entity want;
	} keys[] = {
		{ "first_name", NULL, CORDON_PERSON }, { "First Name", NULL, CORDON_PERSON },
		{ "firstName", NULL, CORDON_PERSON }, { "LAST-NAME", NULL, CORDON_PERSON },
		{ "surname", NULL, CORDON_PERSON }, { "assigned_to", NULL, CORDON_PERSON },
		{ "name", "customer", CORDON_PERSON }, { "displayName", "user", CORDON_PERSON },
		{ "name", "product", CORDON_ENTITY_COUNT }, { "name", NULL, CORDON_ENTITY_COUNT },
		{ "customer", NULL, CORDON_ENTITY_COUNT }, { "city", NULL, CORDON_LOCATION },
		{ "Postal Code", NULL, CORDON_LOCATION }, { "address_line_1", NULL, CORDON_LOCATION },
		{ "state", NULL, CORDON_ENTITY_COUNT }, { "state", "shipping_address", CORDON_LOCATION },
		{ "country", "address", CORDON_ENTITY_COUNT }, { "location", NULL, CORDON_ENTITY_COUNT },
		{ "", NULL, CORDON_ENTITY_COUNT }, { "_", "customer", CORDON_ENTITY_COUNT },
		{ "firstnamefirstnamefirstnamefirstnamefirstname", NULL, CORDON_ENTITY_COUNT },
		/* the first eight bytes alike, the rest not: the memo compares all */
		{ "address_line_1", NULL, CORDON_LOCATION }, { "address_lines_count", NULL, CORDON_ENTITY_COUNT },
		{ "name", "customerdetails", CORDON_PERSON }, { "name", "customerdetailz", CORDON_ENTITY_COUNT },
		{ "mobilePhone", NULL, CORDON_PHONE_NUMBER }, { "Fax", "contact", CORDON_PHONE_NUMBER },
		{ "phone_verified", NULL, CORDON_ENTITY_COUNT },
		/* a qualifier before the field's own name */
		{ "MailingCity", NULL, CORDON_LOCATION }, { "billing_state", NULL, CORDON_LOCATION },
		{ "HomePhone", NULL, CORDON_PHONE_NUMBER }, { "customer_first_name", NULL, CORDON_PERSON },
		{ "OtherStreet", NULL, CORDON_LOCATION }, { "other_state", NULL, CORDON_ENTITY_COUNT },
		{ "username", NULL, CORDON_ENTITY_COUNT }, { "business_name", NULL, CORDON_ENTITY_COUNT },
		{ "homepage", NULL, CORDON_ENTITY_COUNT },
	};
	for (int round = 0; round < 2; round++) { /* the second from the memo */
		for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
			cordon_entity got = field_name_entity(keys[k].key, strlen(keys[k].key), keys[k].parent,
							      keys[k].parent ? strlen(keys[k].parent) : 0);
			if (got != keys[k].want)
				fprintf(stderr, "key \"%s\" under \"%s\": %d\n", keys[k].key,
					keys[k].parent ? keys[k].parent : "", (int)got);
			assert_int_equal(got, keys[k].want);
		}
	}
	static const struct {
		cordon_entity entity;
		const char *value;
		int fits;
	} values[] = {
		{ CORDON_PERSON, "Rebecca", 1 }, { CORDON_PERSON, "Kim Soo-jin", 1 }, { CORDON_PERSON, "O'Neill", 1 },
		{ CORDON_PERSON, "\u5c71\u7530 \u5e79", 1 }, { CORDON_PERSON, "R2D2", 0 }, { CORDON_PERSON, "N/A", 0 },
		{ CORDON_PERSON, "null", 0 }, { CORDON_PERSON, "[PERSON]", 0 }, { CORDON_PERSON, "a@contoso.com", 0 },
		{ CORDON_PERSON, "", 0 }, { CORDON_PERSON, "one two three four five six seven eight nine", 0 },
		{ CORDON_LOCATION, "12 Elm St", 1 }, { CORDON_LOCATION, "62704", 1 }, { CORDON_LOCATION, "-", 0 },
		{ CORDON_LOCATION, "https://maps.example/x", 0 }, { CORDON_LOCATION, "Unknown", 0 },
		{ CORDON_LOCATION, "line\x01break", 0 },
		{ CORDON_PHONE_NUMBER, "555 0199", 1 }, { CORDON_PHONE_NUMBER, "+1 (425) 555-0100 ext. 204", 1 },
		{ CORDON_PHONE_NUMBER, "555-0199 x12", 1 }, { CORDON_PHONE_NUMBER, "1234", 0 },
		{ CORDON_PHONE_NUMBER, "1234567890123456", 0 }, { CORDON_PHONE_NUMBER, "call me", 0 },
		{ CORDON_PHONE_NUMBER, "555 0199 please", 0 }, { CORDON_PHONE_NUMBER, "555-0199 ext", 0 },
	};
	for (size_t k = 0; k < sizeof(values) / sizeof(*values); k++) {
		int got = field_value_fits(values[k].entity, values[k].value, 0, strlen(values[k].value));
		if (got != values[k].fits)
			fprintf(stderr, "value \"%s\": %d\n", values[k].value, got);
		assert_int_equal(got, values[k].fits);
	}
	char longname[120];
	memset(longname, 'a', sizeof(longname));
	assert_false(field_value_fits(CORDON_PERSON, longname, 0, sizeof(longname)));

	/* in a stream: the whole value, JSON and CSV; another entity found
	 * inside leaves the detectors' findings as they are */
	struct run r = stream(CORDON_FORMAT_JSONL,
			      "{\"customer\":{\"first_name\":\" Rebecca \",\"last_name\":\"Lindqvist\"},"
			      "\"product\":{\"name\":\"Outlook\"},\"city\":\"x@contoso.com\",\"state\":\"open\"}\n",
			      NULL, 0, 0, 0);
	assert_int_equal(r.rc, CORDON_OK);
	assert_string_equal(r.out, "{\"customer\":{\"first_name\":\" [PERSON] \",\"last_name\":\"[PERSON]\"},"
				   "\"product\":{\"name\":\"Outlook\"},\"city\":\"[EMAIL_ADDRESS]\",\"state\":\"open\"}\n");
	assert_int_equal(r.stats.findings[CORDON_PERSON], 2);
	done(&r);
	/* a name found in a city's field is the city's */
	r = stream(CORDON_FORMAT_JSONL, "{\"MailingCity\":\"North Jessica\",\"city\":\"Port Rebecca\"}\n", NULL, 0, 0, 0);
	assert_int_equal(r.rc, CORDON_OK);
	assert_string_equal(r.out, "{\"MailingCity\":\"[LOCATION]\",\"city\":\"[LOCATION]\"}\n");
	done(&r);
	r = stream(CORDON_FORMAT_CSV, "id,Last Name,Town\n7,Lindqvist,Springfield\n", NULL, 0, 0, 0);
	assert_int_equal(r.rc, CORDON_OK);
	assert_string_equal(r.out, "id,Last Name,Town\n7,[PERSON],[LOCATION]\n");
	done(&r);
}

static void test_fail_closed(void **state)
{
	(void)state;
	const char *in = "{\"a\":\"x@contoso.com\"}\n{\"a\":\"y@contoso.com\",}\n{\"a\":1}\n";
	struct run r = stream(CORDON_FORMAT_JSONL, in, NULL, 0, 1, 0);
	assert_int_equal(r.rc, CORDON_OK);
	assert_string_equal(r.out, "{\"a\":\"[EMAIL_ADDRESS]\"}\n{\"a\":1}\n");
	assert_string_equal(r.quarantined, "{\"a\":\"y@contoso.com\",}\n");
	assert_int_equal(r.stats.findings[CORDON_EMAIL_ADDRESS], 1); /* not the quarantined one */
	assert_int_equal(r.stats.records_in, 3);
	assert_int_equal(r.stats.records_out, 2);
	assert_int_equal(r.stats.quarantined, 1);
	done(&r);

	r = stream(CORDON_FORMAT_JSONL, in, NULL, 0, 0, 0);
	assert_int_equal(r.rc, CORDON_ERR_PARSE);
	assert_non_null(strstr(r.err, "record 2"));
	assert_null(strstr(r.out, "y@contoso.com"));
	done(&r);

	/* over-long records, text and JSON */
	r = stream(CORDON_FORMAT_TEXT, "short\nthis line is too long\nok\n", NULL, 0, 1, 10);
	assert_int_equal(r.rc, CORDON_OK);
	assert_string_equal(r.out, "short\nok\n");
	assert_string_equal(r.quarantined, "this line is too long\n");
	done(&r);
	r = stream(CORDON_FORMAT_TEXT, "short\nthis line is too long", NULL, 0, 0, 10);
	assert_int_equal(r.rc, CORDON_ERR_TOO_LARGE);
	done(&r);
}

static void test_text_lines(void **state)
{
	(void)state;
	struct run r = stream(CORDON_FORMAT_TEXT, "a bob@contoso.com\r\n\nlast 10.1.2.3", NULL, 0, 0, 0);
	assert_int_equal(r.rc, CORDON_OK);
	assert_string_equal(r.out, "a [EMAIL_ADDRESS]\r\n\nlast [IP_ADDRESS]");
	assert_int_equal(r.stats.records_in, 3);
	done(&r);
}

/* Validity agrees with jansson on mutated records, and every record we accept
 * comes out as valid JSON. */
static void test_agrees_with_jansson(void **state)
{
	(void)state;
	static const char *const seeds[] = {
		"{\"a\":\"mail bob@contoso.com\",\"b\":[1,2.5,-3e2,true,false,null],\"c\":{\"d\":\"\\u00e9\\n\"}}",
		"[\"call 555-123-4567\",{\"k\":\"\\ud83d\\ude00 x@y.com\"}]",
		"\"plain \\\"quoted\\\" 10.1.2.3\"",
	};
	static const char noise[] = "{}[]\",:\\u0aZ9 .eE+-\x01\xC3\xA9\xED\xA0\x80tfn";
	srand(11);
	int agreed = 0;
	for (int round = 0; round < 3000; round++) {
		char line[512];
		const char *seed = seeds[round % 3];
		size_t n = strlen(seed);
		memcpy(line, seed, n);
		int edits = 1 + rand() % 3;
		for (int k = 0; k < edits; k++) {
			size_t pos = (size_t)rand() % n;
			int op = rand() % 3;
			char c = noise[rand() % (sizeof(noise) - 1)];
			if (op == 0) {
				line[pos] = c;
			} else if (op == 1 && n + 1 < sizeof(line)) {
				memmove(line + pos + 1, line + pos, n - pos);
				line[pos] = c;
				n++;
			} else if (n > 1) {
				memmove(line + pos, line + pos + 1, n - pos - 1);
				n--;
			}
		}
		line[n] = '\0';
		if (memchr(line, '\n', n) || memchr(line, '\r', n) || !n || strspn(line, " \t") == n)
			continue;
		json_error_t jerr;
		json_t *j = json_loadb(line, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
		if (!j && (strstr(jerr.text, "too big") || strstr(jerr.text, "overflow")))
			continue;
		struct run r = stream(CORDON_FORMAT_JSONL, line, NULL, 0, 0, 0);
		if ((r.rc == CORDON_OK) != (j != NULL))
			fprintf(stderr, "disagree on: %s (jansson: %s, cordon: %s)\n", line,
				j ? "valid" : jerr.text, r.rc == CORDON_OK ? "valid" : r.err);
		assert_int_equal(r.rc == CORDON_OK, j != NULL);
		if (j) {
			json_t *o = json_loadb(r.out, strlen(r.out), JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
			assert_non_null(o);
			json_decref(o);
			json_decref(j);
		}
		agreed++;
		done(&r);
	}
	assert_true(agreed > 1000);
}

static void test_csv(void **state)
{
	(void)state;
	const char *in = "id,name,note,email\r\n"
			 "1,\"Doe, Jane\",\"call \"\"555-123-4567\"\"\nor jane@contoso.com\",jane@contoso.com\r\n"
			 "2,Bob,no pii,bob@contoso.com\r\n"
			 "3,too,few\r\n"
			 "4,a,\"b\"c,d\r\n"
			 ",,,\r\n";
	struct run r = stream(CORDON_FORMAT_CSV, in, NULL, 0, 1, 0);
	assert_int_equal(r.rc, CORDON_OK);
	assert_string_equal(r.out, "id,name,note,email\r\n"
				   "1,\"Doe, [PERSON]\",\"call \"\"[PHONE_NUMBER]\"\"\nor [EMAIL_ADDRESS]\",[EMAIL_ADDRESS]\r\n"
				   "2,Bob,no pii,[EMAIL_ADDRESS]\r\n"
				   ",,,\r\n");
	assert_string_equal(r.quarantined, "3,too,few\r\n4,a,\"b\"c,d\r\n");
	/* the header is written, and is not a record */
	assert_int_equal(r.stats.records_in, 5);
	assert_int_equal(r.stats.records_out, 3);
	assert_int_equal(r.stats.quarantined, 2);
	done(&r);

	const char *const fields[] = { "email" };
	r = stream(CORDON_FORMAT_CSV, "note,email\nx@contoso.com,y@contoso.com\n", fields, 1, 0, 0);
	assert_string_equal(r.out, "note,email\nx@contoso.com,[EMAIL_ADDRESS]\n");
	done(&r);

	r = stream(CORDON_FORMAT_CSV, "a,b\n1,\"unterminated\n", NULL, 0, 0, 0);
	assert_int_equal(r.rc, CORDON_ERR_PARSE);
	assert_non_null(strstr(r.err, "record 1: unterminated"));
	done(&r);
}

static void test_es_bulk(void **state)
{
	(void)state;
	const char *in = "{\"index\":{\"_index\":\"cases\",\"_id\":\"1\"}}\n"
			 "{\"text\":\"mail bob@contoso.com\"}\n"
			 "{\"delete\":{\"_id\":\"2\"}}\n"
			 "{\"update\":{\"_id\":\"3\"}}\n"
			 "{\"doc\":{\"email\":\"x@contoso.com\"},\"upsert\":{\"email\":\"y@contoso.com\",\"n\":\"z@contoso.com\"}}\n"
			 "{\"create\":{\"_id\":\"4\"}}\n"
			 "{\"bad\n"
			 "{\"frobnicate\":{}}\n"
			 "{\"index\":{}}\n"
			 "{\"ip\":\"10.1.2.3\"}\n";
	const char *const fields[] = { "email", "text", "ip" };
	struct run r = stream(CORDON_FORMAT_ES_BULK, in, fields, 3, 1, 0);
	assert_int_equal(r.rc, CORDON_OK);
	assert_string_equal(r.out, "{\"index\":{\"_index\":\"cases\",\"_id\":\"1\"}}\n"
				   "{\"text\":\"mail [EMAIL_ADDRESS]\"}\n"
				   "{\"delete\":{\"_id\":\"2\"}}\n"
				   "{\"update\":{\"_id\":\"3\"}}\n"
				   "{\"doc\":{\"email\":\"[EMAIL_ADDRESS]\"},\"upsert\":{\"email\":\"[EMAIL_ADDRESS]\",\"n\":\"z@contoso.com\"}}\n"
				   "{\"index\":{}}\n"
				   "{\"ip\":\"[IP_ADDRESS]\"}\n");
	assert_string_equal(r.quarantined, "{\"create\":{\"_id\":\"4\"}}\n{\"bad\n{\"frobnicate\":{}}\n");
	assert_int_equal(r.stats.records_in, 6);
	assert_int_equal(r.stats.records_out, 4);
	assert_int_equal(r.stats.quarantined, 2);
	done(&r);
}

static void test_policies_json(void **state)
{
	(void)state;
	static const struct cordon_field_policy p[] = {
		{ "id", CORDON_FIELD_PSEUDONYM }, { "email", CORDON_FIELD_PSEUDONYM },
		{ "notes", CORDON_FIELD_DROP }, { "keep", CORDON_FIELD_KEEP },
		{ "nested.drop", CORDON_FIELD_DROP }, { "last", CORDON_FIELD_TAG },
		{ "d", CORDON_FIELD_DROP }, { "d2", CORDON_FIELD_DROP },
	};
	policies = p;
	npolicies = sizeof(p) / sizeof(*p);
	struct run r = stream(CORDON_FORMAT_JSONL,
			      "{\"a\":\"x@contoso.com\",\"id\":12345,\"email\":\"Bob@Contoso.com\","
			      "\"notes\":\"call 555-123-4567\",\"keep\":\"y@contoso.com\","
			      "\"nested\":{\"drop\":[1,{\"x\":\"z@contoso.com\"}],\"k\":\"v\"},\"last\":\"z\"}\n"
			      "{\"email\":\" bob@contoso.com \",\"id\":\"12345\"}\n",
			      NULL, 0, 0, 0);
	assert_int_equal(r.rc, CORDON_OK);
	json_error_t err;
	char *second = strchr(r.out, '\n') + 1;
	json_t *one = json_loadb(r.out, (size_t)(second - r.out), 0, &err);
	json_t *two = json_loads(second, 0, &err);
	assert_non_null(one);
	assert_non_null(two);
	assert_string_equal(json_string_value(json_object_get(one, "a")), "[EMAIL_ADDRESS]");
	assert_null(json_object_get(one, "notes"));
	assert_string_equal(json_string_value(json_object_get(one, "keep")), "y@contoso.com");
	assert_null(json_object_get(json_object_get(one, "nested"), "drop"));
	assert_string_equal(json_string_value(json_object_get(json_object_get(one, "nested"), "k")), "v");
	assert_string_equal(json_string_value(json_object_get(one, "last")), "[LAST]");
	/* whole-value pseudonyms: case and blanks do not matter, numbers become
	 * tokens; a value that is one finding whole gets its entity's token
	 * (the one the pseudonym operator gives it in free text), others the
	 * field's name */
	const char *e1 = json_string_value(json_object_get(one, "email"));
	assert_int_equal(strncmp(e1, "[EMAIL_ADDRESS:", 15), 0);
	assert_int_equal(strncmp(json_string_value(json_object_get(one, "id")), "[ID:", 4), 0);
	assert_string_equal(e1, json_string_value(json_object_get(two, "email")));
	assert_string_equal(json_string_value(json_object_get(one, "id")),
			    json_string_value(json_object_get(two, "id")));
	json_decref(one);
	json_decref(two);
	done(&r);

	/* drop keeps objects valid whichever members go */
	static const struct { const char *in, *want; } drops[] = {
		{ "{\"d\":1}", "{}" },
		{ "{\"d\":1,\"k\":2}", "{\"k\":2}" },
		{ "{\"k\":2,\"d\":1}", "{\"k\":2}" },
		{ "{\"d\":1,\"d2\":2,\"k\":3}", "{\"k\":3}" },
		{ "{\"k\":1,\"d\":2,\"d2\":3}", "{\"k\":1}" },
		{ "{\"d\":1,\"k\":2,\"d2\":3}", "{\"k\":2}" },
		{ "{ \"d\" : 1 , \"k\" : 2 }", "{ \"k\" : 2 }" },
		{ "[{\"d\":\"x@contoso.com\"},{\"k\":\"x@contoso.com\",\"d\":{\"d\":1}}]",
		  "[{},{\"k\":\"[EMAIL_ADDRESS]\"}]" },
	};
	for (size_t i = 0; i < sizeof(drops) / sizeof(*drops); i++) {
		r = stream(CORDON_FORMAT_JSONL, drops[i].in, NULL, 0, 0, 0);
		assert_int_equal(r.rc, CORDON_OK);
		assert_string_equal(r.out, drops[i].want);
		done(&r);
	}
	policies = NULL;
	npolicies = 0;
}

static void test_policies_csv(void **state)
{
	(void)state;
	static const struct cordon_field_policy p[] = {
		{ "id", CORDON_FIELD_KEEP }, { "email", CORDON_FIELD_TAG }, { "notes", CORDON_FIELD_DROP },
	};
	policies = p;
	npolicies = sizeof(p) / sizeof(*p);
	struct run r = stream(CORDON_FORMAT_CSV,
			      "id,email,notes,text\n555-123-4567,a@b.com,\"secret, \"\"x\"\"\",mail x@contoso.com\n",
			      NULL, 0, 0, 0);
	assert_int_equal(r.rc, CORDON_OK);
	/* a dropped column goes, header and all, as a dropped JSON member does */
	assert_string_equal(r.out, "id,email,text\n555-123-4567,[EMAIL],mail [EMAIL_ADDRESS]\n");
	done(&r);
	static const struct cordon_field_policy d[] = { { "a", CORDON_FIELD_DROP }, { "c", CORDON_FIELD_DROP } };
	policies = d;
	npolicies = 2;
	static const struct { const char *in, *want; } drops[] = {
		{ "a,b,c\n1,2,3\n", "b\n2\n" },
		{ "b,a\n1,\"x,y\"\n", "b\n1\n" },
		{ "a,c\n1,2\n", "\n\n" },
		{ "a,b\r\n\"q\"\"\",2\r\n", "b\r\n2\r\n" },
		{ "x,a,y,c,z\n1,2,3,4,5\n", "x,y,z\n1,3,5\n" },
	};
	for (size_t i = 0; i < sizeof(drops) / sizeof(*drops); i++) {
		r = stream(CORDON_FORMAT_CSV, drops[i].in, NULL, 0, 0, 0);
		assert_int_equal(r.rc, CORDON_OK);
		if (strcmp(r.out, drops[i].want))
			fail_msg("csv drop of '%s': '%s', not '%s'", drops[i].in, r.out, drops[i].want);
		done(&r);
	}
	policies = NULL;
	npolicies = 0;
}

/* A findings callback that fails stops the run: nothing of that record is
 * written, and counts still reconcile. */
static int stop_at_second(void *ctx, const struct cordon_record_finding *f)
{
	(void)ctx;
	return f->record == 2;
}

static void test_callback_stops(void **state)
{
	(void)state;
	const char *input = "{\"a\":\"x@contoso.com\"}\n{\"a\":\"y@contoso.com\"}\n{\"a\":\"z@contoso.com\"}\n";
	for (unsigned jobs = 1; jobs <= 2; jobs++) {
		cordon_engine *e;
		cordon_redactor *red;
		assert_int_equal(cordon_engine_new(&e, NULL), CORDON_OK);
		assert_int_equal(cordon_redactor_new(&red, CORDON_OP_TAG), CORDON_OK);
		FILE *in = fmemopen((void *)input, strlen(input), "r");
		char *out = NULL;
		size_t olen = 0;
		FILE *o = open_memstream(&out, &olen);
		struct cordon_stream_options opt = { .format = CORDON_FORMAT_JSONL, .redactor = red,
						     .on_finding = stop_at_second };
		cordon_stream *st;
		struct cordon_stream_stats stats = { 0 };
		assert_int_equal(cordon_stream_new(&st, e, &opt), CORDON_OK);
		assert_int_equal(cordon_stream_run_jobs(st, in, o, &stats, jobs), CORDON_ERR_CALLBACK);
		fclose(o);
		assert_null(strstr(out, "y@contoso.com"));
		assert_null(strstr(out, "z@contoso.com"));
		assert_int_equal(stats.records_in, stats.records_out + stats.quarantined);
		assert_non_null(strstr(cordon_stream_error(st), "record 2"));
		cordon_stream_free(st);
		fclose(in);
		free(out);
		cordon_redactor_free(red);
		cordon_engine_free(e);
	}
}

/* --jobs with chunks of a few bytes, so that their boundaries fall
 * everywhere: output, quarantine, counts and the error are one thread's. */
struct jobs_run {
	cordon_code rc;
	char *out, *q, err[512];
	size_t olen, qlen;
	struct cordon_stream_stats stats;
};

static struct jobs_run run_jobs(cordon_format format, const char *input, size_t max_record, int quarantine,
				unsigned jobs)
{
	struct jobs_run r = { 0 };
	cordon_engine *e;
	cordon_redactor *red;
	assert_int_equal(cordon_engine_new(&e, NULL), CORDON_OK);
	assert_int_equal(cordon_redactor_new(&red, CORDON_OP_TAG), CORDON_OK);
	FILE *in = fmemopen((void *)input, strlen(input), "r");
	FILE *o = open_memstream(&r.out, &r.olen);
	FILE *q = quarantine ? open_memstream(&r.q, &r.qlen) : NULL;
	struct cordon_stream_options opt = { .format = format, .redactor = red, .quarantine = q,
					     .max_record = max_record };
	cordon_stream *st;
	assert_int_equal(cordon_stream_new(&st, e, &opt), CORDON_OK);
	r.rc = cordon_stream_run_jobs(st, in, o, &r.stats, jobs);
	snprintf(r.err, sizeof(r.err), "%s", cordon_stream_error(st));
	cordon_stream_free(st);
	fclose(in);
	fclose(o);
	if (q)
		fclose(q);
	cordon_redactor_free(red);
	cordon_engine_free(e);
	return r;
}

static void test_jobs_agree_at_every_boundary(void **state)
{
	(void)state;
	static const struct {
		cordon_format format;
		const char *input;
		size_t max_record;
	} cases[] = {
		{ CORDON_FORMAT_TEXT, "a x@contoso.com\nbb\n\ncc 555-123-4567\r\n" "a very long line indeed, past the limit\nend", 24 },
		{ CORDON_FORMAT_JSONL, "{\"a\":\"x@contoso.com\"}\n{\"a\":\n{\"b\":[1,2,\"10.1.2.3\"]}\n\n\"y@contoso.com\"", 0 },
		{ CORDON_FORMAT_CSV, "id,t\n1,\"a\nb x@contoso.com\"\n2,\"\"\"q\"\"\"\n3,\"long long long long long long\nlong\"\n4,ok\n", 20 },
		{ CORDON_FORMAT_CSV, "id,t\n1,\"unterminated\n2,x@contoso.com\n", 0 },
		{ CORDON_FORMAT_ES_BULK, "{\"index\":{}}\n{\"a\":\"x@contoso.com\"}\n{\"delete\":{\"_id\":\"1\"}}\n"
					 "{\"create\":\"x\",\"e\":\"y@contoso.com\"}\n{\"update\":{}}\n{\"doc\":{\"e\":\"z@contoso.com\"}}\n", 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		for (int quarantine = 0; quarantine < 2; quarantine++) {
			stream_set_chunk_size(0);
			struct jobs_run one = run_jobs(cases[i].format, cases[i].input, cases[i].max_record, quarantine, 1);
			for (size_t chunk = 1; chunk <= 64; chunk++) {
				stream_set_chunk_size(chunk);
				struct jobs_run two = run_jobs(cases[i].format, cases[i].input, cases[i].max_record, quarantine, 2);
				if (two.rc != one.rc || two.olen != one.olen || (two.olen && memcmp(two.out, one.out, one.olen)) ||
				    two.qlen != one.qlen || (two.qlen && memcmp(two.q, one.q, one.qlen)) ||
				    two.stats.records_in != one.stats.records_in || two.stats.quarantined != one.stats.quarantined ||
				    strcmp(two.err, one.err))
					fail_msg("case %zu, quarantine %d, chunks of %zu: -j2 differs from -j1 (%s / %s)", i,
						 quarantine, chunk, two.err, one.err);
				assert_int_equal(two.stats.records_in, two.stats.records_out + two.stats.quarantined);
				free(two.out);
				free(two.q);
			}
			free(one.out);
			free(one.q);
		}
	stream_set_chunk_size(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_jobs_agree_at_every_boundary),
		cmocka_unit_test(test_byte_preserving),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_field_names),
		cmocka_unit_test(test_fail_closed),
		cmocka_unit_test(test_text_lines),
		cmocka_unit_test(test_agrees_with_jansson),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_es_bulk),
		cmocka_unit_test(test_policies_json),
		cmocka_unit_test(test_policies_csv),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
