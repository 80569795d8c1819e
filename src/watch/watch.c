/* cordon watch: the object and its loop. One thread: inotify (a burst of
 * writes to a file becomes one evaluation, debounce_ms after the last)
 * and the deliveries' sockets on one curl_multi_poll. Directories are
 * watched for their .json files and the configuration files audit knows
 * by name; a file named directly is watched through its directory, so an
 * editor's write-and-rename is seen. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>
#include "watch/watch.h"

void watch_log(cordon_watch *w, enum cordon_watch_log level, const char *event, const char *fmt, ...)
{
	if (!w->o.log)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	w->o.log(w->o.log_arg, level, event, msg);
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void init_curl(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

cordon_code cordon_watch_new(cordon_watch **out, const cordon_policy *policy, const struct cordon_watch_options *o)
{
	if (!out || !policy)
		return CORDON_ERR_ARG;
	*out = NULL;
	pthread_once(&curl_once, init_curl);
	cordon_watch *w = calloc(1, sizeof(*w));
	if (!w)
		return CORDON_ERR_NOMEM;
	*out = w;
	w->policy = policy;
	pthread_mutex_init(&w->events_lock, NULL);
	if (o)
		w->o = *o;
	if (cordon_policy_watch(policy, &w->c) != CORDON_OK) {
		snprintf(w->err, sizeof(w->err), "the config has no watch: section (state, files, sinks, routes)");
		return CORDON_ERR_ARG;
	}
	const char *path = w->o.state ? w->o.state : w->c.state;
	cordon_code rc = state_open(&w->st, path, 0);
	if (rc != CORDON_OK) {
		snprintf(w->err, sizeof(w->err), "%s", w->st.err);
		return rc;
	}
	w->multi = curl_multi_init();
	w->sinks = calloc(w->c.nsinks ? w->c.nsinks : 1, sizeof(*w->sinks));
	if (!w->multi || !w->sinks)
		return CORDON_ERR_NOMEM;
	w->nsinks = w->c.nsinks;
	for (size_t i = 0; i < w->nsinks; i++)
		pthread_mutex_init(&w->sinks[i].lock, NULL); /* all of them: cordon_watch_free destroys all */
	for (size_t i = 0; i < w->nsinks; i++) {
		w->sinks[i].sink = &w->c.sinks[i];
		w->sinks[i].type = sink_type_find(w->c.sinks[i].type);
		if (!w->sinks[i].type) { /* the policy checked it */
			snprintf(w->err, sizeof(w->err), "sink '%s': no type '%s'", w->c.sinks[i].name, w->c.sinks[i].type);
			return CORDON_ERR_ARG;
		}
	}
	return CORDON_OK;
}

void cordon_watch_free(cordon_watch *w)
{
	if (!w)
		return;
	watch_sinks_stop(w);
	for (size_t i = 0; i < w->nsinks; i++) {
		struct sink_run *s = &w->sinks[i];
		pthread_mutex_destroy(&s->lock);
		if (s->easy) { /* in flight: undelivered, sent again next time */
			curl_multi_remove_handle(w->multi, s->easy);
			curl_easy_cleanup(s->easy);
		}
		curl_slist_free_all(s->headers);
		free(s->body);
		free(s->payload);
	}
	free(w->sinks);
	if (w->multi)
		curl_multi_cleanup(w->multi);
	watch_commands_stop(w);
	watch_probes_stop(w);
	state_close(&w->st);
	pthread_mutex_destroy(&w->events_lock);
	free(w);
}

const char *cordon_watch_error(const cordon_watch *w) { return w ? w->err : ""; }

void cordon_watch_stats(const cordon_watch *w, struct cordon_watch_stats *out)
{
	if (out)
		*out = w ? w->stats : (struct cordon_watch_stats){ 0 };
}

/* Is a file in a watched directory one to audit? */
static int wanted(const char *name)
{
	size_t n = strlen(name);
	if (name[0] == '.')
		return 0; /* hidden: editors' swap files, .git */
	return (n > 5 && !strcmp(name + n - 5, ".json")) || cordon_audit_config_type(name) != NULL;
}

/* Calls fn for each source file the config names. */
static cordon_code each_source(cordon_watch *w, cordon_code (*fn)(cordon_watch *, const char *))
{
	for (size_t i = 0; i < w->c.nfiles; i++) {
		const char *f = w->c.files[i];
		struct stat st;
		if (stat(f, &st) == 0 && S_ISDIR(st.st_mode)) {
			struct dirent **names;
			int n = scandir(f, &names, NULL, alphasort);
			if (n < 0) {
				watch_log(w, CORDON_WATCH_WARN, "source_failed", "cannot read directory %s: %s", f, strerror(errno));
				continue;
			}
			cordon_code rc = CORDON_OK;
			for (int k = 0; k < n; k++) {
				char path[PATH_MAX];
				if (rc == CORDON_OK && wanted(names[k]->d_name) &&
				    snprintf(path, sizeof(path), "%s/%s", f, names[k]->d_name) < (int)sizeof(path) &&
				    stat(path, &st) == 0 && S_ISREG(st.st_mode))
					rc = fn(w, path);
				free(names[k]);
			}
			free(names);
			if (rc != CORDON_OK)
				return rc;
		} else {
			cordon_code rc = fn(w, f);
			if (rc != CORDON_OK)
				return rc;
		}
	}
	return CORDON_OK;
}

static cordon_code evaluate_changed(cordon_watch *w, const char *path) { return watch_evaluate(w, path, 0); }

cordon_code cordon_watch_once(cordon_watch *w)
{
	if (!w)
		return CORDON_ERR_ARG;
	cordon_code rc = each_source(w, evaluate_changed);
	/* the commands and probes, each run once to its end */
	if (rc == CORDON_OK && (w->c.ncommands || w->c.nprobes)) {
		rc = watch_commands(w, NULL); /* all are due: each starts */
		if (rc == CORDON_OK)
			rc = watch_probes(w, NULL);
		while (rc == CORDON_OK && (watch_commands_busy(w) || watch_probes_busy(w))) {
			struct timespec nap = { 0, 20 * 1000000 };
			nanosleep(&nap, NULL);
			rc = watch_commands(w, NULL);
			if (rc == CORDON_OK)
				rc = watch_probes(w, NULL);
		}
	}
	if (rc == CORDON_OK)
		rc = watch_remind(w);
	if (rc == CORDON_OK)
		rc = watch_deliver_all(w, 30000);
	return rc;
}

/* ---- the loop ------------------------------------------------------------ */

struct pending {
	char path[PATH_MAX];
	long long due; /* ms */
};

struct watched {
	int wd;
	char dir[PATH_MAX];
	char file[NAME_MAX + 1]; /* a file named directly; "" for a whole directory */
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A write to the state that failed for a reason that passes (a full disk)
 * does not stop a running watch: what was not written is rolled back and
 * done again (an evaluation re-run, a delivery recorded later), and the
 * watch says so, once, and when it can write again. Anything else stops
 * it. */
static cordon_code survive(cordon_watch *w, cordon_code rc)
{
	if (rc != CORDON_ERR_IO || !state_write_failed(&w->st))
		return rc;
	if (!w->state_failing) {
		w->state_failing = time(NULL);
		watch_log(w, CORDON_WATCH_ERROR, "state_failed",
			  "cannot write the state (%s): nothing is lost, what was not written is done again every %d s",
			  w->st.err, STATE_RETRY_S);
	}
	return CORDON_OK;
}

static void state_check(cordon_watch *w)
{
	if (!w->state_failing && w->st.code && state_write_failed(&w->st))
		survive(w, CORDON_ERR_IO);
	else if (w->state_failing && !w->st.code) {
		watch_log(w, CORDON_WATCH_INFO, "state_recovered", "the state takes writes again (after %lld s)",
			  (long long)(time(NULL) - w->state_failing));
		w->state_failing = 0;
	}
}

cordon_code cordon_watch_run(cordon_watch *w, volatile sig_atomic_t *stop)
{
	if (!w || !stop)
		return CORDON_ERR_ARG;
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0) {
		snprintf(w->err, sizeof(w->err), "inotify: %s", strerror(errno));
		return CORDON_ERR_IO;
	}
	struct watched *wv = calloc(w->c.nfiles ? w->c.nfiles : 1, sizeof(*wv));
	struct pending *pv = NULL;
	size_t npending = 0, cappending = 0;
	cordon_code rc = wv ? CORDON_OK : CORDON_ERR_NOMEM;
	for (size_t i = 0; rc == CORDON_OK && i < w->c.nfiles; i++) {
		const char *f = w->c.files[i];
		struct stat st;
		int dir = stat(f, &st) == 0 && S_ISDIR(st.st_mode);
		if (dir) {
			snprintf(wv[i].dir, sizeof(wv[i].dir), "%s", f);
		} else {
			const char *slash = strrchr(f, '/');
			snprintf(wv[i].dir, sizeof(wv[i].dir), "%.*s", slash ? (int)(slash - f) : 1, slash ? f : ".");
			snprintf(wv[i].file, sizeof(wv[i].file), "%s", slash ? slash + 1 : f);
		}
		wv[i].wd = inotify_add_watch(fd, wv[i].dir[0] ? wv[i].dir : "/",
					     IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM);
		if (wv[i].wd < 0) {
			snprintf(w->err, sizeof(w->err), "cannot watch '%.300s': %s", wv[i].dir, strerror(errno));
			rc = CORDON_ERR_IO;
		}
	}
	if (rc == CORDON_OK)
		rc = watch_metrics_start(w);
	/* what changed while the watch was not running */
	if (rc == CORDON_OK)
		rc = each_source(w, evaluate_changed);
	if (rc == CORDON_OK)
		watch_log(w, CORDON_WATCH_INFO, "watching", "%zu sources, %zu sinks", w->c.nfiles, w->nsinks);
	char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
	long long next_remind = 0;
	while (rc == CORDON_OK && !*stop) {
		long wait = 1000;
		if (now_ms() >= next_remind) {
			rc = survive(w, watch_remind(w));
			next_remind = now_ms() + (w->state_failing ? STATE_RETRY_S * 1000LL
					   : w->c.repeat_s && w->c.repeat_s < 60 ? w->c.repeat_s * 1000LL : 60000);
		}
		/* sources first: what one queues is delivered in the same turn */
		if (rc == CORDON_OK)
			rc = survive(w, watch_commands(w, &wait));
		if (rc == CORDON_OK)
			rc = survive(w, watch_probes(w, &wait));
		if (rc == CORDON_OK)
			rc = survive(w, watch_deliver(w, &wait));
		state_check(w);
		watch_metrics_update(w);
		long long now = now_ms();
		for (size_t i = 0; i < npending; i++) {
			long long left = pv[i].due - now;
			if (left < wait)
				wait = left < 0 ? 0 : (long)left;
		}
		struct curl_waitfd ifd = { fd, CURL_WAIT_POLLIN, 0 };
		int n = 0;
		if (curl_multi_poll(w->multi, &ifd, 1, (int)(wait > 1000 ? 1000 : wait), &n) != CURLM_OK) {
			rc = CORDON_ERR_IO;
			break;
		}
		ssize_t got;
		while ((got = read(fd, buf, sizeof(buf))) > 0) {
			for (char *p = buf; p < buf + got;) {
				struct inotify_event *ev = (struct inotify_event *)p;
				p += sizeof(*ev) + ev->len;
				if (!ev->len)
					continue;
				for (size_t i = 0; i < w->c.nfiles; i++) {
					if (wv[i].wd != ev->wd || (wv[i].file[0] ? strcmp(wv[i].file, ev->name) : !wanted(ev->name)))
						continue;
					char path[PATH_MAX];
					if (snprintf(path, sizeof(path), "%s/%s", wv[i].dir, ev->name) >= (int)sizeof(path))
						continue;
					if (wv[i].file[0])
						snprintf(path, sizeof(path), "%s", w->c.files[i]);
					size_t k = 0;
					while (k < npending && strcmp(pv[k].path, path))
						k++;
					if (k == npending) {
						if (npending == cappending) {
							size_t cap = cappending ? cappending * 2 : 16;
							struct pending *g = realloc(pv, cap * sizeof(*pv));
							if (!g) {
								rc = CORDON_ERR_NOMEM;
								break;
							}
							pv = g;
							cappending = cap;
						}
						snprintf(pv[npending++].path, sizeof(pv->path), "%s", path);
					}
					pv[k].due = now_ms() + w->c.debounce_ms; /* the last write counts */
				}
			}
		}
		now = now_ms();
		for (size_t i = 0; rc == CORDON_OK && i < npending;) {
			if (pv[i].due > now) {
				i++;
				continue;
			}
			rc = survive(w, watch_evaluate(w, pv[i].path, 0));
			if (rc == CORDON_OK && w->st.code) { /* not written: again later */
				pv[i].due = now + STATE_RETRY_S * 1000LL;
				i++;
				continue;
			}
			pv[i] = pv[--npending];
		}
		state_check(w);
	}
	watch_metrics_stop(w);
	watch_commands_stop(w);
	watch_probes_stop(w);
	free(pv);
	free(wv);
	close(fd);
	return rc;
}
