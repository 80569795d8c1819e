/* Messages of the CLI: one format, "cordon: <what failed> '<subject>': <reason>". */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

/* fmt is cli_error's or cli_note's, checked at their callers */
__attribute__((format(printf, 1, 0))) static void vsay(const char *fmt, va_list ap)
{
	fputs("cordon: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

void cli_note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

int cli_close_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("cannot write 'stdout': %s", strerror(errno ? errno : EIO));
		return EXIT_ERROR;
	}
	return EXIT_CLEAN;
}

int cli_option_error(const char *command, int c, char **argv)
{
	if (c == ':')
		cli_error("option '%s' needs a value", argv[optind - 1]);
	else if (optopt && optopt != '?')
		cli_error("unknown option '-%c' (see 'cordon %s --help')", optopt, command);
	else
		cli_error("unknown option '%s' (see 'cordon %s --help')", argv[optind - 1], command);
	return EXIT_ERROR;
}
