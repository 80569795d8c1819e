/* exec: a program run with the alert's JSON on stdin (no shell), with
 * CORDON_EVENT and CORDON_DEDUP_KEY in its environment; exit 0 is
 * delivered. Bounded by the sink's timeout: a program that hangs is
 * killed, and the alert is tried again later. Its output goes nowhere. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "watch/watch.h"

extern char **environ;

static long long ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int deliver(struct sink_run *s, const char *dedup, const char *event, char *why, size_t cap)
{
	int in[2];
	if (pipe2(in, O_CLOEXEC)) {
		snprintf(why, cap, "pipe: %s", strerror(errno));
		return -1;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	/* the environment, with the alert's event and dedup key */
	size_t ne = 0;
	while (environ[ne])
		ne++;
	char **env = calloc(ne + 3, sizeof(*env));
	char ev[64], dk[256];
	snprintf(ev, sizeof(ev), "CORDON_EVENT=%s", event);
	snprintf(dk, sizeof(dk), "CORDON_DEDUP_KEY=%s", dedup);
	size_t k = 0;
	for (size_t i = 0; env && i < ne; i++)
		if (strncmp(environ[i], "CORDON_EVENT=", 13) && strncmp(environ[i], "CORDON_DEDUP_KEY=", 17))
			env[k++] = environ[i];
	if (env) {
		env[k++] = ev;
		env[k++] = dk;
	}
	pid_t pid;
	int rc = env ? posix_spawnp(&pid, s->sink->command[0], &fa, NULL, (char *const *)s->sink->command, env) : ENOMEM;
	posix_spawn_file_actions_destroy(&fa);
	free(env);
	close(in[0]);
	if (rc) {
		close(in[1]);
		snprintf(why, cap, "cannot run '%s': %s", s->sink->command[0], strerror(rc));
		return -1;
	}
	long long deadline = ms_now() + s->sink->timeout_ms;
	/* the alert on its stdin, bounded (a program that does not read) */
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	const char *p = s->body;
	size_t left = strlen(s->body);
	while (left && ms_now() < deadline) {
		ssize_t w = write(in[1], p, left);
		if (w > 0) {
			p += w;
			left -= (size_t)w;
		} else if (w < 0 && errno != EAGAIN && errno != EINTR) {
			break; /* it closed its stdin: its exit says the rest */
		} else {
			struct pollfd pfd = { in[1], POLLOUT, 0 };
			poll(&pfd, 1, 50);
		}
	}
	close(in[1]);
	int status = 0;
	pid_t done = 0;
	while ((done = waitpid(pid, &status, WNOHANG)) == 0 && ms_now() < deadline) {
		struct timespec nap = { 0, 10 * 1000000 };
		nanosleep(&nap, NULL);
	}
	if (done == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		snprintf(why, cap, "'%s' did not finish within %u ms: killed", s->sink->command[0], s->sink->timeout_ms);
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(why, cap, "'%s' %s %d", s->sink->command[0], WIFEXITED(status) ? "exited" : "was killed by signal",
			 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		return -1;
	}
	return 0;
}

const struct sink_type sink_exec = { "exec", NULL, deliver, 0 };
