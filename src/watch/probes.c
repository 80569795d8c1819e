/* Probe sources (watch: probes:): cordon probe's live checks at an
 * interval, each run on a thread of its own (a run waits out tarpits and
 * timeouts; the loop must not), its findings handed to the loop and
 * evaluated there as the source "probe:NAME": an endpoint that starts to
 * answer without authentication opens a window, one that asks again (or
 * stops answering) closes it. A run is bounded by a deadline of its
 * interval (at most two minutes). */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "watch/watch.h"

struct probe_job {
	pthread_t thread;
	int running;         /* a thread exists (joined when done) */
	volatile int done;   /* set by the thread, under lock */
	cordon_probe *probe;
	cordon_engine *engine;
	const struct cordon_exposure *ev;
	size_t n;
	cordon_code rc;
	long long due_ms;
	pthread_mutex_t lock;
	cordon_watch *w;
};

static long long ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *run(void *arg)
{
	struct probe_job *j = arg;
	cordon_code rc = cordon_probe_run(j->probe, &j->ev, &j->n);
	pthread_mutex_lock(&j->lock);
	j->rc = rc;
	j->done = 1;
	pthread_mutex_unlock(&j->lock);
	curl_multi_wakeup(j->w->multi); /* the loop takes it now */
	return NULL;
}

static void job_clear(struct probe_job *j)
{
	cordon_probe_free(j->probe);
	cordon_engine_free(j->engine);
	j->probe = NULL;
	j->engine = NULL;
	j->ev = NULL;
	j->n = 0;
}

static cordon_code launch(cordon_watch *w, size_t i)
{
	const struct cordon_watch_probe *cfg = &w->c.probes[i];
	struct probe_job *j = &w->probes[i];
	char name[300];
	snprintf(name, sizeof(name), "probe:%s", cfg->name);
	j->due_ms = ms_now() + (long long)cfg->every_s * 1000;
	struct cordon_probe_options o = CORDON_PROBE_OPTIONS_INIT;
	unsigned deadline = cfg->every_s < 120 ? cfg->every_s : 120;
	o.deadline_ms = deadline * 1000;
	o.sample = cfg->sample;
	o.no_sample = cfg->sample == 0;
	if (!o.no_sample) {
		struct cordon_engine_options eo = CORDON_ENGINE_OPTIONS_INIT;
		cordon_policy_engine_options(w->policy, &eo);
		if (cordon_engine_new(&j->engine, &eo) != CORDON_OK)
			return CORDON_ERR_NOMEM;
		o.engine = j->engine;
	}
	if (cordon_probe_new(&j->probe, &o) != CORDON_OK) {
		job_clear(j);
		return CORDON_ERR_NOMEM;
	}
	const char *failed = NULL;
	cordon_code rc = CORDON_OK;
	for (size_t k = 0; k < cfg->ntargets && rc == CORDON_OK; k++)
		rc = cordon_probe_add_target(j->probe, cfg->targets[k], name);
	if (rc == CORDON_OK)
		rc = cordon_policy_apply_probe(w->policy, j->probe, cfg->inventory, NULL, 0, &failed);
	uint64_t count;
	if (rc == CORDON_OK)
		rc = cordon_probe_count(j->probe, 65536, &count);
	if (rc != CORDON_OK) { /* a target that does not resolve, a block too big: the source fails */
		source_error(w, name, cordon_probe_error(j->probe));
		job_clear(j);
		return CORDON_OK;
	}
	j->done = 0;
	j->w = w;
	if (pthread_create(&j->thread, NULL, run, j)) {
		job_clear(j);
		return CORDON_ERR_NOMEM;
	}
	j->running = 1;
	return CORDON_OK;
}

/* The findings of a finished run, into the state. */
static cordon_code take(cordon_watch *w, size_t i)
{
	struct probe_job *j = &w->probes[i];
	pthread_join(j->thread, NULL);
	j->running = 0;
	char name[300];
	snprintf(name, sizeof(name), "probe:%s", w->c.probes[i].name);
	cordon_code rc = CORDON_OK;
	struct cordon_probe_stats st;
	cordon_probe_stats(j->probe, &st);
	if (j->rc != CORDON_OK) {
		source_error(w, name, cordon_probe_error(j->probe)[0] ? cordon_probe_error(j->probe) : cordon_strerror(j->rc));
	} else if (st.not_probed) {
		/* cut by its deadline: what was not checked is unknown, so nothing closes */
		char why[200];
		snprintf(why, sizeof(why), "%llu endpoints not probed by the deadline", (unsigned long long)st.not_probed);
		source_error(w, name, why);
	} else {
		/* the digest: what was found, so a restart announces nothing again */
		crypto_hash_sha256_state h;
		crypto_hash_sha256_init(&h);
		for (size_t k = 0; k < j->n; k++) {
			const struct cordon_exposure *e = &j->ev[k];
			crypto_hash_sha256_update(&h, (const unsigned char *)e->fingerprint, strlen(e->fingerprint) + 1);
			crypto_hash_sha256_update(&h, (const unsigned char *)e->kind, strlen(e->kind) + 1);
		}
		unsigned char d[crypto_hash_sha256_BYTES];
		char digest[65];
		crypto_hash_sha256_final(&h, d);
		sodium_bin2hex(digest, sizeof(digest), d, sizeof(d));
		rc = watch_evaluate_findings(w, name, j->ev, j->n, digest);
	}
	job_clear(j);
	return rc;
}

cordon_code watch_probes(cordon_watch *w, long *wait_ms)
{
	if (!w->c.nprobes)
		return CORDON_OK;
	if (!w->probes) {
		w->probes = calloc(w->c.nprobes, sizeof(*w->probes));
		if (!w->probes)
			return CORDON_ERR_NOMEM;
		for (size_t i = 0; i < w->c.nprobes; i++)
			pthread_mutex_init(&w->probes[i].lock, NULL);
	}
	long long now = ms_now();
	cordon_code rc = CORDON_OK;
	for (size_t i = 0; i < w->c.nprobes && rc == CORDON_OK; i++) {
		struct probe_job *j = &w->probes[i];
		if (j->running) {
			pthread_mutex_lock(&j->lock);
			int done = j->done;
			pthread_mutex_unlock(&j->lock);
			if (done)
				rc = take(w, i);
		} else if (now >= j->due_ms) {
			rc = launch(w, i);
		} else if (wait_ms && j->due_ms - now < *wait_ms) {
			*wait_ms = (long)(j->due_ms - now);
		}
	}
	return rc;
}

int watch_probes_busy(const cordon_watch *w)
{
	for (size_t i = 0; w->probes && i < w->c.nprobes; i++)
		if (w->probes[i].running)
			return 1;
	return 0;
}

void watch_probes_stop(cordon_watch *w)
{
	for (size_t i = 0; w->probes && i < w->c.nprobes; i++) {
		struct probe_job *j = &w->probes[i];
		if (j->running) /* bounded by the run's deadline */
			pthread_join(j->thread, NULL);
		job_clear(j);
		pthread_mutex_destroy(&j->lock);
	}
	free(w->probes);
	w->probes = NULL;
}
