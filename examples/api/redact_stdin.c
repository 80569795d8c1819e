/* redact_stdin: the smallest program on libcordon. Reads text records (one
 * per line) on stdin and writes them to stdout with their personal data
 * replaced, using cordon.yaml's settings when a file is named; the counts
 * go to stderr. Build it with pkg-config:
 *
 *   cc redact_stdin.c $(pkg-config --cflags --libs cordon) -o redact_stdin
 *   cc redact_stdin.c $(pkg-config --static --cflags --libs cordon) ...  (libcordon.a)
 *
 *   echo 'mail XYZ @ contoso com' | ./redact_stdin [cordon.yaml]
 *   mail [EMAIL_ADDRESS]
 */
#include <stdio.h>
#include <cordon/cordon.h>

static int fail(const char *what, const char *why)
{
	fprintf(stderr, "redact_stdin: %s: %s\n", what, why);
	return 2;
}

int main(int argc, char **argv)
{
	cordon_policy *policy = NULL;
	if (cordon_policy_new(&policy) != CORDON_OK)
		return fail("policy", "out of memory");
	if (argc > 1 && cordon_policy_load_file(policy, argv[1]) != CORDON_OK)
		return fail("config", cordon_policy_error(policy));

	/* detection: the defaults, then what the policy sets */
	struct cordon_engine_options eo = CORDON_ENGINE_OPTIONS_INIT;
	cordon_policy_engine_options(policy, &eo);
	cordon_engine *engine;
	cordon_code rc = cordon_engine_new(&engine, &eo);
	if (rc != CORDON_OK)
		return fail("engine", cordon_strerror(rc));

	/* redaction: tag unless the policy says otherwise */
	cordon_operator op = CORDON_OP_TAG;
	cordon_policy_operator(policy, &op);
	cordon_redactor *redactor;
	if (cordon_redactor_new(&redactor, op) != CORDON_OK ||
	    cordon_policy_apply_redactor(policy, redactor) != CORDON_OK)
		return fail("redactor", "out of memory");
	if (cordon_redactor_needs_key(redactor))
		return fail("redactor", "this example keeps to operators without a key (tag, mask)");

	/* the record stream: whole records in, whole records out, fail closed */
	struct cordon_stream_options so = { .format = CORDON_FORMAT_TEXT, .redactor = redactor };
	cordon_stream *stream;
	if ((rc = cordon_stream_new(&stream, engine, &so)) != CORDON_OK)
		return fail("stream", cordon_strerror(rc));
	struct cordon_stream_stats stats = { 0 };
	rc = cordon_stream_run(stream, stdin, stdout, &stats);
	if (rc != CORDON_OK)
		return fail("stdin", cordon_stream_error(stream));
	if (fflush(stdout) != 0)
		return fail("stdout", "write failed");

	unsigned long long found = 0;
	for (unsigned e = 0; e < cordon_engine_entity_count(engine); e++)
		found += stats.findings[e];
	fprintf(stderr, "%llu records, %llu values replaced\n", (unsigned long long)stats.records_in, found);
	cordon_stream_free(stream);
	cordon_redactor_free(redactor);
	cordon_engine_free(engine);
	cordon_policy_free(policy);
	return 0;
}
