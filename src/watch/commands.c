/* The commands of watch: commands: (az network nsg list -o json, ...):
 * each run when due, asynchronously (posix_spawn, its stdout to an
 * unnamed temporary file, its stderr kept for the message), killed past its
 * timeout; a run that exits 0 has its output audited as the source
 * "command:NAME". One that fails changes nothing (its exposures stay open)
 * and, failing fail_after times in a row, is an alert of its own: stale
 * data means blindness. Its recovery is one too. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "watch/watch.h"

extern char **environ;

enum { OUTPUT_MAX = 256 << 20 };

struct command_run {
	pid_t pid;          /* running, or 0 */
	int out, err;       /* its stdout and stderr files */
	long long due_ms, deadline_ms;
	time_t failing_since; /* of the streak (kept in the state's sources) */
};

static long long ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int tmpfile_fd(void)
{
	const char *dir = getenv("TMPDIR");
	int fd = open(dir && *dir ? dir : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	return fd;
}

static cordon_code streak(cordon_watch *w, size_t i, int ok, const char *why);

static void launch(cordon_watch *w, size_t i)
{
	const struct cordon_watch_command *cmd = &w->c.commands[i];
	struct command_run *r = &w->commands[i];
	r->out = tmpfile_fd();
	r->err = tmpfile_fd();
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (r->out >= 0)
		posix_spawn_file_actions_adddup2(&fa, r->out, 1);
	if (r->err >= 0)
		posix_spawn_file_actions_adddup2(&fa, r->err, 2);
	int rc = r->out < 0 || r->err < 0 ? errno
		 : posix_spawnp(&r->pid, cmd->argv[0], &fa, NULL, (char *const *)cmd->argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	r->due_ms = ms_now() + (long long)cmd->every_s * 1000;
	if (rc) {
		r->pid = 0;
		char why[300];
		snprintf(why, sizeof(why), "cannot run '%s': %s", cmd->argv[0], strerror(rc));
		char name[300];
		snprintf(name, sizeof(name), "command:%s", cmd->name);
		source_error(w, name, why);
		streak(w, i, 0, why);
		if (r->out >= 0)
			close(r->out);
		if (r->err >= 0)
			close(r->err);
		r->out = r->err = -1;
		return;
	}
	r->deadline_ms = ms_now() + cmd->timeout_ms;
}

static char *slurp(int fd, size_t *len)
{
	struct stat st;
	if (fstat(fd, &st) || st.st_size > OUTPUT_MAX)
		return NULL;
	char *buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		return NULL;
	ssize_t n = pread(fd, buf, (size_t)st.st_size, 0);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* A run's outcome on the source's failure streak, kept in the state (it
 * holds across runs: cron and --once too): fail_after failures in a row
 * are an alert, once; the first success after it, a recovery. */
static cordon_code streak(cordon_watch *w, size_t i, int ok, const char *why)
{
	const struct cordon_watch_command *cmd = &w->c.commands[i];
	struct command_run *r = &w->commands[i];
	char name[300];
	snprintf(name, sizeof(name), "command:%s", cmd->name);
	cordon_code rc;
	/* the streak, in the state: it holds across runs (cron and --once too) */
	sqlite3_stmt *st;
	long long failures = 0, since = 0, alerted = 0;
	if ((rc = state_begin(&w->st)) != CORDON_OK)
		return rc;
	const char *p[] = { name };
	if (ok && sqlite3_prepare_v2(w->st.db, "SELECT failing_since FROM sources WHERE path = ?1", -1, &st, NULL) ==
			  SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			r->failing_since = (time_t)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	if (ok)
		rc = state_exec(&w->st, "UPDATE sources SET failures = 0, failing_since = NULL WHERE path = ?1", 1, p);
	else
		rc = state_exec(&w->st,
				"UPDATE sources SET failures = failures + 1, failing_since = COALESCE(failing_since, "
				"strftime('%s','now')) WHERE path = ?1",
				1, p);
	if (rc == CORDON_OK &&
	    sqlite3_prepare_v2(w->st.db, "SELECT failures, failing_since, alerted FROM sources WHERE path = ?1", -1, &st,
			       NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			failures = sqlite3_column_int64(st, 0);
			since = sqlite3_column_int64(st, 1);
			alerted = sqlite3_column_int64(st, 2);
		}
		sqlite3_finalize(st);
	}
	if (rc == CORDON_OK && ok && alerted) {
		rc = watch_source_alert(w, "source_recovered", name, NULL, (time_t)r->failing_since);
		if (rc == CORDON_OK)
			rc = state_exec(&w->st, "UPDATE sources SET alerted = 0 WHERE path = ?1", 1, p);
	} else if (rc == CORDON_OK && !ok && failures >= w->c.fail_after && !alerted) {
		r->failing_since = (time_t)since;
		rc = watch_source_alert(w, "source_failing", name, why, (time_t)since);
		if (rc == CORDON_OK)
			rc = state_exec(&w->st, "UPDATE sources SET alerted = 1 WHERE path = ?1", 1, p);
	}
	if (rc == CORDON_OK && !ok)
		r->failing_since = (time_t)since;
	return rc == CORDON_OK ? state_commit(&w->st) : (state_rollback(&w->st), rc);
}

/* A run that ended (status from waitpid, or killed past its timeout). */
static cordon_code ended(cordon_watch *w, size_t i, int status, int timed_out)
{
	const struct cordon_watch_command *cmd = &w->c.commands[i];
	struct command_run *r = &w->commands[i];
	char name[300], why[600] = "";
	snprintf(name, sizeof(name), "command:%s", cmd->name);
	cordon_code rc = CORDON_OK;
	int ok = !timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	if (ok) {
		size_t len = 0;
		char *data = slurp(r->out, &len);
		if (data) {
			rc = watch_evaluate_data(w, name, data, len, cmd->type, 0);
			/* evaluated: did it parse? (a parse failure is a failure of the source) */
			char digest[65];
			ok = state_source_digest(&w->st, name, digest) == 0;
			if (!ok)
				snprintf(why, sizeof(why), "its output is not an export audit reads");
		} else {
			ok = 0;
			snprintf(why, sizeof(why), "its output could not be read (or is over 256 MiB)");
			source_error(w, name, why);
		}
	} else {
		size_t len = 0;
		char *err = slurp(r->err, &len);
		/* its last line of stderr, printable: what az or aws said */
		const char *last = "";
		if (err) {
			while (len && (err[len - 1] == '\n' || err[len - 1] == '\r'))
				err[--len] = '\0';
			last = strrchr(err, '\n') ? strrchr(err, '\n') + 1 : err;
		}
		if (timed_out)
			snprintf(why, sizeof(why), "did not finish within %u ms: killed", cmd->timeout_ms);
		else if (WIFEXITED(status))
			snprintf(why, sizeof(why), "exited %d%s%.200s", WEXITSTATUS(status), *last ? ": " : "", last);
		else
			snprintf(why, sizeof(why), "killed by signal %d", WTERMSIG(status));
		for (char *p = why; *p; p++)
			if ((unsigned char)*p < 0x20)
				*p = ' ';
		source_error(w, name, why);
		free(err);
	}
	close(r->out);
	close(r->err);
	r->out = r->err = -1;
	r->pid = 0;
	if (rc != CORDON_OK)
		return rc;
	return streak(w, i, ok, why);
}

cordon_code watch_commands(cordon_watch *w, long *wait_ms)
{
	if (!w->c.ncommands)
		return CORDON_OK;
	if (!w->commands) {
		w->commands = calloc(w->c.ncommands, sizeof(*w->commands));
		if (!w->commands)
			return CORDON_ERR_NOMEM;
		for (size_t i = 0; i < w->c.ncommands; i++)
			w->commands[i].out = w->commands[i].err = -1;
	}
	long long now = ms_now();
	cordon_code rc = CORDON_OK;
	/* the clouds whose change events came: their commands are due now */
	pthread_mutex_lock(&w->events_lock);
	unsigned events = w->events;
	w->events = 0;
	pthread_mutex_unlock(&w->events_lock);
	for (size_t i = 0; events && i < w->c.ncommands; i++)
		if (w->c.commands[i].on & events) {
			w->commands[i].due_ms = now;
			watch_log(w, CORDON_WATCH_INFO, "event", "a change event: command %s runs now", w->c.commands[i].name);
		}
	for (size_t i = 0; i < w->c.ncommands && rc == CORDON_OK; i++) {
		struct command_run *r = &w->commands[i];
		if (r->pid) {
			int status = 0;
			pid_t done = waitpid(r->pid, &status, WNOHANG);
			if (done == r->pid)
				rc = ended(w, i, status, 0);
			else if (now >= r->deadline_ms) {
				kill(r->pid, SIGKILL);
				waitpid(r->pid, &status, 0);
				rc = ended(w, i, status, 1);
			} else if (wait_ms && *wait_ms > 50) {
				*wait_ms = 50; /* a child is polled for */
			}
		} else if (now >= r->due_ms) {
			launch(w, i);
			if (wait_ms && *wait_ms > 50)
				*wait_ms = 50;
		} else if (wait_ms && r->due_ms - now < *wait_ms) {
			*wait_ms = (long)(r->due_ms - now);
		}
	}
	return rc;
}

void watch_commands_stop(cordon_watch *w)
{
	for (size_t i = 0; w->commands && i < w->c.ncommands; i++) {
		struct command_run *r = &w->commands[i];
		if (r->pid) {
			kill(r->pid, SIGKILL);
			waitpid(r->pid, NULL, 0);
		}
		if (r->out >= 0)
			close(r->out);
		if (r->err >= 0)
			close(r->err);
	}
	free(w->commands);
	w->commands = NULL;
}

int watch_commands_busy(const cordon_watch *w)
{
	for (size_t i = 0; w->commands && i < w->c.ncommands; i++)
		if (w->commands[i].pid)
			return 1;
	return 0;
}
