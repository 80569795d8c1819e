/* cordon completion bash|zsh|fish: a completion script made from the
 * commands' own --help texts (every option line: "-x, --long ARG  what"),
 * so it completes exactly what the commands take. Option values come from
 * the library where it has them (formats, operators, audit types). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char usage[] =
	"usage: cordon completion bash|zsh|fish\n"
	"\n"
	"Writes a shell completion script for cordon's commands, options and their\n"
	"values. To use it:\n"
	"  bash: source <(cordon completion bash)      (or save it in\n"
	"        /etc/bash_completion.d/cordon)\n"
	"  zsh:  cordon completion zsh > \"${fpath[1]}/_cordon\"\n"
	"  fish: cordon completion fish > ~/.config/fish/completions/cordon.fish\n"
	"make install puts the three where each shell looks.\n"
	"\n"
	"  -h, --help            this help\n";

void help_completion(FILE *f)
{
	fputs(usage, f);
}

struct opt {
	char shrt;      /* 'f', or 0 */
	char lng[32];   /* "format", or "" */
	char arg[40];   /* "FMT", or "" */
	char what[96];  /* the first line of its description */
};

/* The options of a help text. */
static size_t parse_options(const char *text, struct opt *v, size_t cap)
{
	size_t n = 0;
	for (const char *line = text; *line && n < cap;) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);
		const char *p = line, *end = line + len;
		while (p < end && *p == ' ')
			p++;
		struct opt o = { 0 };
		int any = 0;
		while (p < end && *p == '-') {
			const char *t = p;
			while (p < end && *p != ' ' && *p != ',' && *p != '=' && *p != '[')
				p++;
			size_t tl = (size_t)(p - t);
			if (p < end && *p == '[') { /* "--progress[=SECONDS]": an optional value, completed as a flag */
				while (p < end && *p != ']')
					p++;
				if (p < end)
					p++;
			}
			if (tl == 2 && t[1] != '-')
				o.shrt = t[1], any = 1;
			else if (tl > 2 && t[1] == '-' && tl - 2 < sizeof(o.lng))
				memcpy(o.lng, t + 2, tl - 2), any = 1;
			if (p < end && *p == ',')
				p++;
			while (p < end && *p == ' ' && p + 1 < end && p[1] != ' ')
				p++; /* one blank: the argument or the next name follows */
		}
		/* an argument: uppercase letters, then two blanks or the end */
		const char *a = p;
		while (p < end && ((*p >= 'A' && *p <= 'Z') || *p == '_' || *p == ':' || *p == '[' || *p == ']' ||
				   *p == '/' || *p == '-' || *p == '.'))
			p++;
		if (p > a && (size_t)(p - a) < sizeof(o.arg) && a[0] >= 'A' && a[0] <= 'Z')
			memcpy(o.arg, a, (size_t)(p - a));
		while (p < end && *p == ' ')
			p++;
		size_t wl = (size_t)(end - p);
		if (wl >= sizeof(o.what))
			wl = sizeof(o.what) - 1;
		for (size_t i = 0; i < wl; i++) /* for the shells' quoting: no quotes, brackets, colons */
			o.what[i] = strchr("'\"[]:`$\\", p[i]) ? ' ' : p[i];
		/* an option line starts with "-" after 2 to 6 blanks */
		size_t indent = (size_t)(line[0] == ' ' ? strspn(line, " ") : 0);
		if (any && indent >= 2 && indent <= 6)
			v[n++] = o;
		line += len + (eol ? 1 : 0);
	}
	return n;
}

static char *help_text(const struct cli_command *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	c->help(f);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The values an option's argument takes, space-separated; "" when any;
 * NULL when it names files. */
static const char *values(const char *cmd, const struct opt *o, char *buf, size_t cap)
{
	const char *l = o->lng;
	if (!strcmp(l, "report-format") || (!strcmp(l, "format") && !strcmp(cmd, "audit")))
		return "text json sarif";
	if (!strcmp(l, "format"))
		return "text jsonl csv es-bulk";
	if (!strcmp(l, "operator"))
		return "tag mask pseudonym encrypt";
	if (!strcmp(l, "fail-on"))
		return "medium high critical";
	if (!strcmp(l, "type")) {
		size_t at = 0;
		buf[0] = '\0';
		for (size_t i = 0; cordon_audit_type(i, NULL) && at < cap; i++)
			at += (size_t)snprintf(buf + at, cap - at, "%s%s", i ? " " : "", cordon_audit_type(i, NULL));
		return buf;
	}
	if (!strcmp(l, "entities")) {
		size_t at = 0;
		buf[0] = '\0';
		for (unsigned e = 0; e < CORDON_ENTITY_COUNT && at < cap; e++)
			at += (size_t)snprintf(buf + at, cap - at, "%s%s", e ? " " : "",
					       cordon_entity_name((cordon_entity)e));
		return buf;
	}
	if (strstr(o->arg, "FILE") || strstr(o->arg, "DIR"))
		return NULL;
	return "";
}

static void bash(FILE *f)
{
	fputs("# bash completion for cordon (made by: cordon completion bash)\n"
	      "_cordon() {\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	      "\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"",
	      f);
	for (const struct cli_command *c = cli_commands; c->name; c++)
		fprintf(f, "%s%s", c == cli_commands ? "" : " ", c->name);
	fputs(" -V --version -h --help\" -- \"$cur\"))\n\t\treturn\n\tfi\n\tcase ${COMP_WORDS[1]} in\n", f);
	for (const struct cli_command *c = cli_commands; c->name; c++) {
		char *text = help_text(c), buf[1024];
		struct opt o[64];
		size_t n = text ? parse_options(text, o, 64) : 0;
		free(text);
		fprintf(f, "\t%s)\n\t\tcase $prev in\n", c->name);
		for (size_t i = 0; i < n; i++) {
			if (!*o[i].arg)
				continue;
			const char *vals = values(c->name, &o[i], buf, sizeof(buf));
			fputs("\t\t", f);
			if (o[i].shrt)
				fprintf(f, "-%c%s", o[i].shrt, *o[i].lng ? "|" : "");
			if (*o[i].lng)
				fprintf(f, "--%s", o[i].lng);
			if (!vals)
				fputs(") COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n", f);
			else
				fprintf(f, ") COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")); return ;;\n", vals);
		}
		fputs("\t\tesac\n\t\tcase $cur in\n\t\t-*) COMPREPLY=($(compgen -W \"", f);
		for (size_t i = 0; i < n; i++) {
			if (o[i].shrt)
				fprintf(f, "-%c ", o[i].shrt);
			if (*o[i].lng)
				fprintf(f, "--%s ", o[i].lng);
		}
		fputs("\" -- \"$cur\")) ;;\n", f);
		if (!strcmp(c->name, "help")) {
			fputs("\t\t*) COMPREPLY=($(compgen -W \"config entities formats", f);
			for (const struct cli_command *d = cli_commands; d->name; d++)
				fprintf(f, " %s", d->name);
			fputs("\" -- \"$cur\")) ;;\n", f);
		} else if (!strcmp(c->name, "completion")) {
			fputs("\t\t*) COMPREPLY=($(compgen -W \"bash zsh fish\" -- \"$cur\")) ;;\n", f);
		} else if (!strcmp(c->name, "version")) {
			fputs("\t\t*) COMPREPLY=() ;;\n", f);
		} else {
			fputs("\t\t*) COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n", f);
		}
		fputs("\t\tesac ;;\n", f);
	}
	fputs("\tesac\n}\ncomplete -o filenames -F _cordon cordon\n", f);
}

static void zsh(FILE *f)
{
	fputs("#compdef cordon\n# zsh completion for cordon (made by: cordon completion zsh)\n"
	      "_cordon() {\n\tlocal -a commands\n\tcommands=(\n",
	      f);
	for (const struct cli_command *c = cli_commands; c->name; c++) {
		fprintf(f, "\t\t'%s:", c->name);
		for (const char *p = c->summary; *p; p++)
			if (!strchr("'\"[]:`$\\", *p))
				putc(*p, f);
		fputs("'\n", f);
	}
	fputs("\t)\n\tif (( CURRENT == 2 )); then\n\t\t_describe 'command' commands\n\t\treturn\n\tfi\n"
	      "\tlocal cmd=${words[2]}\n\tshift words\n\t(( CURRENT-- ))\n\tcase $cmd in\n",
	      f);
	for (const struct cli_command *c = cli_commands; c->name; c++) {
		char *text = help_text(c), buf[1024];
		struct opt o[64];
		size_t n = text ? parse_options(text, o, 64) : 0;
		free(text);
		fprintf(f, "\t%s)\n\t\t_arguments -s \\\n", c->name);
		for (size_t i = 0; i < n; i++) {
			const char *vals = *o[i].arg ? values(c->name, &o[i], buf, sizeof(buf)) : "";
			char action[1100];
			if (!*o[i].arg)
				action[0] = '\0';
			else if (!vals)
				snprintf(action, sizeof(action), ":%s:_files", o[i].arg);
			else if (*vals)
				snprintf(action, sizeof(action), ":%s:(%s)", o[i].arg, vals);
			else
				snprintf(action, sizeof(action), ":%s: ", o[i].arg);
			const char *eq = *o[i].arg ? "=" : "";
			if (o[i].shrt && *o[i].lng)
				fprintf(f, "\t\t\t'(-%c --%s)'{-%c,--%s%s}'[%s]%s' \\\n", o[i].shrt, o[i].lng, o[i].shrt,
					o[i].lng, eq, o[i].what, action);
			else if (*o[i].lng)
				fprintf(f, "\t\t\t'--%s%s[%s]%s' \\\n", o[i].lng, eq, o[i].what, action);
			else
				fprintf(f, "\t\t\t'-%c[%s]%s' \\\n", o[i].shrt, o[i].what, action);
		}
		if (!strcmp(c->name, "help"))
			fputs("\t\t\t'1:topic:(config entities formats redact scan restore keygen audit help version completion)' ;;\n", f);
		else if (!strcmp(c->name, "completion"))
			fputs("\t\t\t'1:shell:(bash zsh fish)' ;;\n", f);
		else if (!strcmp(c->name, "version"))
			fputs("\t\t\t;;\n", f);
		else
			fputs("\t\t\t'*:file:_files' ;;\n", f);
	}
	fputs("\tesac\n}\n_cordon \"$@\"\n", f);
}

static void fish(FILE *f)
{
	fputs("# fish completion for cordon (made by: cordon completion fish)\n"
	      "complete -c cordon -f\n",
	      f);
	for (const struct cli_command *c = cli_commands; c->name; c++) {
		fprintf(f, "complete -c cordon -n __fish_use_subcommand -a %s -d '", c->name);
		for (const char *p = c->summary; *p; p++)
			if (*p != '\'' && *p != '\\')
				putc(*p, f);
		fputs("'\n", f);
	}
	for (const struct cli_command *c = cli_commands; c->name; c++) {
		char *text = help_text(c), buf[1024];
		struct opt o[64];
		size_t n = text ? parse_options(text, o, 64) : 0;
		free(text);
		for (size_t i = 0; i < n; i++) {
			fprintf(f, "complete -c cordon -n '__fish_seen_subcommand_from %s'", c->name);
			if (o[i].shrt)
				fprintf(f, " -s %c", o[i].shrt);
			if (*o[i].lng)
				fprintf(f, " -l %s", o[i].lng);
			if (*o[i].arg) {
				const char *vals = values(c->name, &o[i], buf, sizeof(buf));
				if (!vals)
					fputs(" -r -F", f);
				else if (*vals)
					fprintf(f, " -x -a '%s'", vals);
				else
					fputs(" -x", f);
			}
			fprintf(f, " -d '%s'\n", o[i].what);
		}
		if (!strcmp(c->name, "help")) {
			fputs("complete -c cordon -n '__fish_seen_subcommand_from help' -a 'config entities formats", f);
			for (const struct cli_command *d = cli_commands; d->name; d++)
				fprintf(f, " %s", d->name);
			fputs("'\n", f);
		} else if (!strcmp(c->name, "completion")) {
			fputs("complete -c cordon -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'\n", f);
		} else if (strcmp(c->name, "version")) {
			fprintf(f, "complete -c cordon -n '__fish_seen_subcommand_from %s' -F\n", c->name);
		}
	}
}

int cmd_completion(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		help_completion(stdout);
		return cli_close_stdout();
	}
	if (argc != 2 || (strcmp(argv[1], "bash") && strcmp(argv[1], "zsh") && strcmp(argv[1], "fish"))) {
		cli_error("give the shell: cordon completion bash|zsh|fish");
		return EXIT_ERROR;
	}
	if (!strcmp(argv[1], "bash"))
		bash(stdout);
	else if (!strcmp(argv[1], "zsh"))
		zsh(stdout);
	else
		fish(stdout);
	return cli_close_stdout();
}
