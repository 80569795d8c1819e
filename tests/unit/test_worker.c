/* The worker's parts that need no server: nkey armour (against a seed and
 * public key made by Python's cryptography package from the bytes 0..31),
 * the Nats-Msg-Ids, ADDRESS:PORT, key files' modes, and a message run
 * through a stream as the worker runs it (each record the quarantine takes,
 * with its number and reason; a CSV header again in each message). The
 * worker against real servers: tests/worker/integration.py. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "cordon/cordon.h"
#include "records/stream_internal.h"
#include "util/listen.h"
#include "util/private_file.h"
#include "worker/worker_internal.h"

static const char SEED[] = "SUAAAAICAMCAKBQHBAEQUCYMBUHA6EARCIJRIFIWC4MBSGQ3DQOR4H776Y";
static const char PUB[] = "UAB2CB576PHBBPQ5ODORRZ2LYCMWPZGWGCN2KDK7DXOIMZASKUY3RLKK";

static void test_crc16(void **state)
{
	(void)state;
	assert_int_equal(nkey_crc16((const unsigned char *)"123456789", 9), 0x31c3); /* CRC-16/XMODEM's check */
}

static void test_base32_round_trip(void **state)
{
	(void)state;
	unsigned char in[37], back[40];
	char text[80];
	for (size_t n = 0; n <= sizeof(in); n++) {
		for (size_t i = 0; i < n; i++)
			in[i] = (unsigned char)(i * 37 + n);
		size_t len = nkey_base32_encode(in, n, text, sizeof(text));
		assert_true(len == (n * 8 + 4) / 5);
		assert_int_equal(nkey_base32_decode(text, len, back, sizeof(back)), (long)n);
		assert_memory_equal(in, back, n);
	}
	assert_int_equal(nkey_base32_decode("AB1", 3, back, sizeof(back)), -1); /* '1' is not base32 */
	assert_int_equal(nkey_base32_encode(in, 10, text, 8), 0);                 /* no room: nothing */
}

static char *write_file(const char *text, mode_t mode)
{
	char *path = strdup("/tmp/cordon-test-worker-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	chmod(path, mode);
	return path;
}

static void test_nkey_public(void **state)
{
	(void)state;
	char pub[96], err[256];
	char text[128];
	snprintf(text, sizeof(text), "# a seed\n%s\n", SEED);
	char *path = write_file(text, 0600);
	assert_int_equal(nkey_public_of_seed_file(path, pub, sizeof(pub), err, sizeof(err)), 0);
	assert_string_equal(pub, PUB);
	/* readable by others: refused, before anything is read */
	chmod(path, 0640);
	assert_int_equal(nkey_public_of_seed_file(path, pub, sizeof(pub), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "group or others can access it"));
	unlink(path);
	free(path);
	/* one character changed: the check value says so */
	snprintf(text, sizeof(text), "%s\n", SEED);
	text[20] = text[20] == 'A' ? 'B' : 'A';
	path = write_file(text, 0600);
	assert_int_equal(nkey_public_of_seed_file(path, pub, sizeof(pub), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "check value"));
	unlink(path);
	free(path);
	/* an account seed (SA...) or a public key: not a user seed */
	path = write_file(PUB, 0600);
	assert_int_equal(nkey_public_of_seed_file(path, pub, sizeof(pub), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no user seed"));
	unlink(path);
	free(path);
}

static void test_private_file(void **state)
{
	(void)state;
	char err[256];
	char *path = write_file("pw\n", 0600);
	size_t len = 0;
	char *text = private_file_read(path, "password file", 16, &len, err, sizeof(err));
	assert_non_null(text);
	assert_int_equal(len, 3);
	free(text);
	assert_null(private_file_read(path, "password file", 2, &len, err, sizeof(err)));
	assert_non_null(strstr(err, "longer than 2 bytes"));
	chmod(path, 0604);
	assert_int_equal(private_file_check(path, "credentials file", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "mode 604"));
	unlink(path);
	free(path);
	assert_int_equal(private_file_check("/dev/null", "credentials file", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a regular file"));
}

static void test_msg_id(void **state)
{
	(void)state;
	char id[64];
	assert_int_equal(cordon_worker_msg_id(id, sizeof(id), "in", 42, 0), 0);
	assert_string_equal(id, "in:42");
	assert_int_equal(cordon_worker_msg_id(id, sizeof(id), "in", 42, 3), 0);
	assert_string_equal(id, "in:42:q3");
	assert_int_equal(cordon_worker_msg_id(id, 6, "in", 1234567, 0), -1); /* no room: refused, not cut */
}

static void test_subject_matches(void **state)
{
	(void)state;
	assert_true(nats_subject_matches("in.>", "in.records"));
	assert_true(nats_subject_matches("in.>", "in.a.b"));
	assert_false(nats_subject_matches("in.>", "in"));
	assert_false(nats_subject_matches("in.>", "out.records"));
	assert_true(nats_subject_matches("in", "in"));
	assert_false(nats_subject_matches("in", "in.records"));
	assert_true(nats_subject_matches("a.*.c", "a.b.c"));
	assert_false(nats_subject_matches("a.*.c", "a.b.d"));
	assert_false(nats_subject_matches("a.*", "a.b.c"));
	assert_true(nats_subject_matches(">", "anything.at.all"));
	assert_false(nats_subject_matches("in.records", "in.recordsx"));
}

static void test_listen(void **state)
{
	(void)state;
	struct sockaddr_in sa;
	assert_int_equal(listen_parse("127.0.0.1:9466", &sa), 0);
	assert_int_equal(ntohs(sa.sin_port), 9466);
	const char *bad[] = { "9466", ":9466", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:-1",
			      "localhost:9466", "127.0.0.1:94x", NULL };
	for (int i = 0; bad[i]; i++)
		assert_int_equal(listen_parse(bad[i], &sa), -1);
}

struct quarantined {
	uint64_t record[8];
	char reason[8][200];
	int n;
};

static void heard(void *ctx, uint64_t record, const char *reason)
{
	struct quarantined *q = ctx;
	assert_true(q->n < 8);
	q->record[q->n] = record;
	snprintf(q->reason[q->n++], sizeof(q->reason[0]), "%s", reason);
}

static cordon_stream *stream(cordon_engine **e, cordon_redactor **r, cordon_format f, FILE *quarantine)
{
	struct cordon_engine_options eo = CORDON_ENGINE_OPTIONS_INIT;
	assert_int_equal(cordon_engine_new(e, &eo), CORDON_OK);
	assert_int_equal(cordon_redactor_new(r, CORDON_OP_TAG), CORDON_OK);
	struct cordon_stream_options so = { .format = f, .redactor = *r, .quarantine = quarantine, .max_record = 64 };
	cordon_stream *st = NULL;
	assert_int_equal(cordon_stream_new(&st, *e, &so), CORDON_OK);
	return st;
}

static void test_message_quarantine(void **state)
{
	(void)state;
	char *qbuf = NULL, *obuf = NULL;
	size_t qlen = 0, olen = 0;
	FILE *q = open_memstream(&qbuf, &qlen), *out = open_memstream(&obuf, &olen);
	cordon_engine *e;
	cordon_redactor *r;
	cordon_stream *st = stream(&e, &r, CORDON_FORMAT_JSONL, q);
	const char msg[] = "{\"t\":\"mail a.b@example.org\"}\n{\"t\":\"cut\n"
			   "{\"t\":\"a record longer than sixty-four bytes, so the limit takes it: x\"}\n{\"t\":\"ok\"}\n";
	struct cordon_stream_stats s;
	memset(&s, 0, sizeof(s));
	struct quarantined heard_of = { 0 };
	assert_int_equal(stream_run_message(st, msg, strlen(msg), out, &s, heard, &heard_of), CORDON_OK);
	fflush(q);
	fflush(out);
	assert_int_equal(s.records_in, 4);
	assert_int_equal(s.records_out, 2);
	assert_int_equal(s.quarantined, 2);
	assert_int_equal(heard_of.n, 2);
	assert_int_equal(heard_of.record[0], 2);
	assert_non_null(strstr(heard_of.reason[0], "invalid JSON"));
	assert_int_equal(heard_of.record[1], 3);
	assert_non_null(strstr(heard_of.reason[1], "record limit of 64 bytes"));
	assert_null(strstr(obuf, "a.b@example.org"));
	assert_non_null(strstr(qbuf, "{\"t\":\"cut\n"));
	/* the next message numbers its records from 1 again */
	memset(&s, 0, sizeof(s));
	heard_of.n = 0;
	assert_int_equal(stream_run_message(st, "nope\n", 5, out, &s, heard, &heard_of), CORDON_OK);
	assert_int_equal(heard_of.n, 1);
	assert_int_equal(heard_of.record[0], 1);
	cordon_stream_free(st);
	cordon_redactor_free(r);
	cordon_engine_free(e);
	fclose(q);
	fclose(out);
	free(qbuf);
	free(obuf);
}

static void test_message_csv_header(void **state)
{
	(void)state;
	char *obuf = NULL;
	size_t olen = 0;
	FILE *out = open_memstream(&obuf, &olen);
	cordon_engine *e;
	cordon_redactor *r;
	cordon_stream *st = stream(&e, &r, CORDON_FORMAT_CSV, NULL);
	const char msg[] = "id,note\n1,mail a.b@example.org\n";
	for (int i = 0; i < 2; i++) { /* each message has its header row */
		struct cordon_stream_stats s;
		memset(&s, 0, sizeof(s));
		assert_int_equal(stream_run_message(st, msg, strlen(msg), out, &s, NULL, NULL), CORDON_OK);
		assert_int_equal(s.records_in, 1);
		assert_int_equal(s.records_out, 1);
	}
	fflush(out);
	assert_string_equal(obuf, "id,note\n1,mail [EMAIL_ADDRESS]\nid,note\n1,mail [EMAIL_ADDRESS]\n");
	/* without a quarantine, a bad record fails the message (the worker naks it) */
	struct cordon_stream_stats s;
	memset(&s, 0, sizeof(s));
	assert_int_equal(stream_run_message(st, "id,note\n1,\"cut\n", 15, out, &s, NULL, NULL), CORDON_ERR_PARSE);
	cordon_stream_free(st);
	cordon_redactor_free(r);
	cordon_engine_free(e);
	fclose(out);
	free(obuf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc16),
		cmocka_unit_test(test_base32_round_trip),
		cmocka_unit_test(test_nkey_public),
		cmocka_unit_test(test_private_file),
		cmocka_unit_test(test_msg_id),
		cmocka_unit_test(test_subject_matches),
		cmocka_unit_test(test_listen),
		cmocka_unit_test(test_message_quarantine),
		cmocka_unit_test(test_message_csv_header),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
