/* MySQL and MariaDB. The server speaks first: its handshake names the
 * version (or an error packet says this host is refused). Then, unless
 * --no-login, what an attacker tries first: one login as root with an
 * empty password, and one as the anonymous user, through MariaDB
 * Connector/C's non-blocking API on the same event loop. Once in, a sample
 * in a READ ONLY transaction: the largest tables and a few rows of their
 * text columns; the sample queries are written by the server
 * (identifiers quoted there), then checked against the list here. */
#include <arpa/inet.h>
#include <mysql.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "probe/probe.h"

enum { SAMPLED_TABLES = 3 };

#define SYSTEM_SCHEMAS "('mysql', 'information_schema', 'performance_schema', 'sys')"
#define Q_TABLES                                                                                             \
	"SELECT table_schema, table_name, table_rows, data_length FROM information_schema.tables WHERE "   \
	"table_type = 'BASE TABLE' AND table_schema NOT IN " SYSTEM_SCHEMAS " ORDER BY table_rows DESC LIMIT 100"
#define TEXT_TYPES "('char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'json')"
#define Q_SAMPLES_HEAD                                                                                        \
	"SELECT CONCAT('SELECT ', GROUP_CONCAT(CONCAT('LEFT(`', REPLACE(c.column_name, '`', '``'), '`, 4096)') ORDER BY " \
	"c.ordinal_position), ' FROM `', REPLACE(c.table_schema, '`', '``'), '`.`', REPLACE(c.table_name, "  \
	"'`', '``'), '` LIMIT "
#define Q_SAMPLES_TAIL                                                                                        \
	"') FROM information_schema.columns c JOIN (SELECT table_schema AS s, table_name AS t FROM "         \
	"information_schema.tables WHERE table_type = 'BASE TABLE' AND table_rows > 0 AND table_schema NOT " \
	"IN " SYSTEM_SCHEMAS " ORDER BY table_rows DESC LIMIT 3) top ON c.table_schema = top.s AND "         \
	"c.table_name = top.t WHERE c.data_type IN " TEXT_TYPES " GROUP BY c.table_schema, c.table_name"

static const char *const allow[] = {
	"login root with an empty password",
	"login anonymous with an empty password",
	"login * with the given password",
	"START TRANSACTION READ ONLY",
	Q_TABLES,
	Q_SAMPLES_HEAD "#" Q_SAMPLES_TAIL,
	"SELECT LEFT(`*`, 4096) FROM `*`.`*` LIMIT #",
	"ROLLBACK",
	NULL,
};

enum { GREETING, LOGIN, BEGIN, TABLES, SAMPLES, SAMPLE, ROLLBACK };
enum { NOW = -2 }; /* an operation finished without waiting */

struct my {
	MYSQL *m;
	int user;       /* 0 root, 1 anonymous, 2 the owner's credentials */
	int op;         /* 0 connect, 1 query, 3 rows */
	char *queries[SAMPLED_TABLES];
	size_t nqueries, next;
	MYSQL_RES *res;
	MYSQL *ret;     /* the connect's result */
	int err;        /* the query's */
	size_t bytes;   /* of its rows so far */
};

static void release(struct probe_ctx *c)
{
	struct my *y = c->priv;
	/* a close that cannot block: the socket goes first (an unfinished
	 * result would otherwise be read to its end) */
	if (y->m) {
		int fd = mysql_get_socket(y->m);
		if (fd >= 0)
			shutdown(fd, SHUT_RDWR);
	}
	if (y->res)
		mysql_free_result(y->res);
	y->res = NULL;
	if (y->m)
		mysql_close(y->m);
	y->m = NULL;
	for (size_t i = 0; i < y->nqueries; i++)
		free(y->queries[i]);
	y->nqueries = 0;
}

static int wait_for(struct probe_ctx *c, int status)
{
	struct my *y = c->priv;
	probe_external(c, mysql_get_socket(y->m),
		       (short)(((status & MYSQL_WAIT_READ) ? POLLIN : 0) | ((status & MYSQL_WAIT_WRITE) ? POLLOUT : 0) |
			       ((status & MYSQL_WAIT_EXCEPT) ? POLLPRI : 0)));
	return PROBE_WAIT;
}

static int revents_status(const struct probe_ctx *c)
{
	int s = 0;
	if (c->ext_revents & POLLIN)
		s |= MYSQL_WAIT_READ;
	if (c->ext_revents & POLLOUT)
		s |= MYSQL_WAIT_WRITE;
	if (c->ext_revents & (POLLERR | POLLPRI))
		s |= MYSQL_WAIT_EXCEPT;
	return s ? s : MYSQL_WAIT_READ;
}

static int login(struct probe_ctx *c)
{
	struct my *y = c->priv;
	const struct probe_credential *cred = y->user == 2 ? probe_credential(c, "mysql") : NULL;
	char given[200];
	if (cred)
		snprintf(given, sizeof(given), "login %.120s with the given password", cred->user);
	const char *text = cred ? given : y->user ? "login anonymous with an empty password" : "login root with an empty password";
	if (!probe_allowed(c->def, text)) {
		probe_note(c, "refused to log in: not on the probe's list");
		return PROBE_DONE;
	}
	release(c);
	if (!(y->m = mysql_init(NULL)))
		return PROBE_DONE;
	unsigned secs = (c->run->o.connect_timeout_ms + 999) / 1000;
	my_bool no = 0;
	mysql_options(y->m, MYSQL_OPT_NONBLOCK, 0);
	mysql_options(y->m, MYSQL_OPT_CONNECT_TIMEOUT, &secs);
	mysql_options(y->m, MYSQL_OPT_SSL_ENFORCE, &no);
	mysql_options(y->m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &no);
	mysql_options(y->m, MYSQL_OPT_LOCAL_INFILE, &no);
	unsigned long packet = c->run->o.reply_max; /* a bigger row is refused, not read */
	mysql_options(y->m, MYSQL_OPT_MAX_ALLOWED_PACKET, &packet);
	y->ret = NULL;
	y->op = 0;
	c->state = LOGIN;
	int st = mysql_real_connect_start(&y->ret, y->m, c->ep.addr, cred ? cred->user : y->user ? "" : "root",
					  cred ? cred->password : "", NULL, c->ep.port, NULL, 0);
	return st ? wait_for(c, st) : NOW;
}

/* One row, as it comes (mysql_use_result: rows are taken one at a time,
 * never a reply held whole). 0, or -1 past the byte budget. */
static int take_row(struct probe_ctx *c, MYSQL_ROW row)
{
	struct my *y = c->priv;
	unsigned nf = mysql_num_fields(y->res);
	unsigned long *len = mysql_fetch_lengths(y->res);
	for (unsigned k = 0; k < nf && len; k++)
		y->bytes += len[k];
	if (y->bytes > c->run->o.reply_max) {
		probe_note(c, "a reply over the size cap: the sample stops there");
		return -1;
	}
	switch (c->state) {
	case TABLES:
		if (nf >= 4 && row[0] && row[1]) {
			char name[200];
			int n = snprintf(name, sizeof(name), "%s.%s", row[0], row[1]);
			probe_store(c, name, n < 0 ? 0 : (size_t)n < sizeof(name) ? (size_t)n : sizeof(name) - 1,
				    row[2] ? strtoll(row[2], NULL, 10) : -1, row[3] ? strtoll(row[3], NULL, 10) : -1);
		}
		break;
	case SAMPLES:
		if (nf >= 1 && row[0] && y->nqueries < SAMPLED_TABLES && (y->queries[y->nqueries] = strdup(row[0])))
			y->nqueries++;
		break;
	case SAMPLE:
		for (unsigned k = 0; k < nf && len; k++)
			if (row[k])
				probe_sample(c, row[k], len[k]);
		break;
	}
	return 0;
}

/* Takes rows until one must be waited for: NOW at the end of them, -1
 * (PROBE_DONE's caller ends it) past the budget. */
static int rows(struct probe_ctx *c, int st, MYSQL_ROW row)
{
	struct my *y = c->priv;
	for (;;) {
		if (st)
			return wait_for(c, st);
		if (!row)
			return NOW; /* the last row, or an error (mysql_errno) */
		if (take_row(c, row))
			return PROBE_DONE;
		st = mysql_fetch_row_start(&row, y->res);
	}
}

static int after_query(struct probe_ctx *c)
{
	struct my *y = c->priv;
	if (y->err)
		return NOW;
	y->res = mysql_use_result(y->m); /* no I/O: rows come with fetch */
	if (!y->res)
		return NOW; /* a statement without rows (BEGIN, ROLLBACK), or an error */
	y->op = 3;
	y->bytes = 0;
	MYSQL_ROW row = NULL;
	int st = mysql_fetch_row_start(&row, y->res);
	return rows(c, st, row);
}

static int query(struct probe_ctx *c, int state, const char *sql)
{
	struct my *y = c->priv;
	if (!probe_allowed(c->def, sql)) {
		probe_note(c, "refused to send a query not on the probe's list");
		return PROBE_DONE;
	}
	if (y->res) {
		mysql_free_result(y->res);
		y->res = NULL;
	}
	y->err = 0;
	y->op = 1;
	c->state = state;
	int st = mysql_real_query_start(&y->err, y->m, sql, strlen(sql));
	return st ? wait_for(c, st) : after_query(c);
}

/* Takes the operation on when its socket is ready: NOW when it finished
 * (the rows taken, or the error in mysql_errno). */
static int advance(struct probe_ctx *c)
{
	struct my *y = c->priv;
	if (y->op == 1) {
		int st = mysql_real_query_cont(&y->err, y->m, revents_status(c));
		return st ? wait_for(c, st) : after_query(c);
	}
	MYSQL_ROW row = NULL;
	int st = mysql_fetch_row_cont(&row, y->res, revents_status(c));
	return rows(c, st, row);
}

static int next_sample(struct probe_ctx *c)
{
	struct my *y = c->priv;
	if (y->next < y->nqueries)
		return query(c, SAMPLE, y->queries[y->next++]);
	return query(c, ROLLBACK, "ROLLBACK");
}

/* The query out is done: the next, or the end. */
static int finished(struct probe_ctx *c)
{
	struct my *y = c->priv;
	if (y->res) {
		mysql_free_result(y->res); /* every row was taken: no I/O */
		y->res = NULL;
	}
	if (mysql_errno(y->m) && c->state != ROLLBACK) {
		unsigned e = mysql_errno(y->m);
		/* 2020: a packet past max_allowed_packet (--reply-max); 2013: the
		 * server's side of the same, or a lost connection */
		if (e == 2020 || e == 2013)
			probe_note(c, "a row over the size cap, or the connection lost (error %u): the sample stops there", e);
		else
			probe_note(c, "a sampling query failed (error %u)", e);
		return c->state == BEGIN ? PROBE_DONE : query(c, ROLLBACK, "ROLLBACK");
	}
	switch (c->state) {
	case BEGIN:
		return query(c, TABLES, Q_TABLES);
	case TABLES:
		if (probe_sample_size(c)) {
			char q[sizeof(Q_SAMPLES_HEAD) + sizeof(Q_SAMPLES_TAIL) + 16];
			snprintf(q, sizeof(q), "%s%u%s", Q_SAMPLES_HEAD, probe_sample_size(c), Q_SAMPLES_TAIL);
			return query(c, SAMPLES, q);
		}
		return query(c, ROLLBACK, "ROLLBACK");
	case SAMPLES:
	case SAMPLE:
		return next_sample(c);
	default:
		return PROBE_DONE;
	}
}

/* Drives operations that finish without waiting. */
static int drive(struct probe_ctx *c, int r)
{
	while (r == NOW)
		r = finished(c);
	return r;
}

static int logged_in(struct probe_ctx *c)
{
	struct my *y = c->priv;
	const char *v = mysql_get_server_info(y->m);
	if (v && !c->res.version)
		probe_set_version(c, v, strlen(v));
	if (y->user == 2)
		probe_note(c, "sampled as %.60s with the credentials given", probe_credential(c, "mysql")->user);
	else
		probe_found(c, "unauthenticated_access", "a login as %s with an empty password is accepted",
			    y->user ? "the anonymous user" : "root");
	if (!probe_sample_size(c))
		return PROBE_DONE;
	return drive(c, query(c, BEGIN, "START TRANSACTION READ ONLY"));
}

static int login_done(struct probe_ctx *c);

static int login_step(struct probe_ctx *c)
{
	struct my *y = c->priv;
	int st = mysql_real_connect_cont(&y->ret, y->m, revents_status(c));
	return st ? wait_for(c, st) : login_done(c);
}

static int login_done(struct probe_ctx *c)
{
	struct my *y = c->priv;
	if (y->ret)
		return logged_in(c);
	unsigned err = mysql_errno(y->m);
	if (err == 1045 && y->user == 0) { /* access denied: the anonymous user next */
		y->user = 1;
		int r = login(c);
		return r == NOW ? login_done(c) : r;
	}
	if (y->user == 2) {
		probe_note(c, "the credentials given are refused (error %u)", err);
		return PROBE_DONE;
	}
	if (err == 1045 || err == 1044 || err == 1698)
		probe_found(c, "authenticated", "logins as root and as the anonymous user with an empty password are "
						"refused (error %u)", err);
	else
		probe_note(c, "the login attempt failed (error %u)", err);
	if (c->res.kind && probe_credential(c, "mysql") && probe_sample_size(c)) {
		y->user = 2; /* the owner's credentials: a sample of what it holds */
		int r = login(c);
		return r == NOW ? login_done(c) : r;
	}
	return PROBE_DONE;
}

/* The handshake, raw: length (3), sequence (1), then protocol 10 and the
 * version; or an error packet (0xff, code, message). */
static int greeting(struct probe_ctx *c)
{
	const unsigned char *p = (const unsigned char *)c->in.data;
	if (c->in.len < 5)
		return c->eof ? probe_mismatch(c) : PROBE_WAIT;
	size_t len = (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16;
	if (len < 2 || len > 16384 || (p[4] != 10 && p[4] != 0xff))
		return probe_mismatch(c);
	if (c->in.len < len + 4)
		return c->capped ? probe_mismatch(c) : PROBE_WAIT;
	if (p[4] == 0xff) {
		unsigned code = len >= 3 ? (unsigned)p[5] | (unsigned)p[6] << 8 : 0;
		probe_found(c, "authenticated", "the server refuses this address before any login (error %u)", code);
		return PROBE_DONE;
	}
	const char *v = (const char *)p + 5, *nul = memchr(v, '\0', len - 1);
	if (!nul)
		return probe_mismatch(c);
	/* MariaDB 10 says "5.5.5-10.11.6-MariaDB" to old clients */
	if (nul - v > 6 && !memcmp(v, "5.5.5-", 6))
		v += 6;
	probe_set_version(c, v, (size_t)(nul - v));
	if (strstr(c->res.version ? c->res.version : "", "MariaDB"))
		probe_set_service(c, "MariaDB");
	if (!probe_may_login(c)) {
		probe_found(c, "unverified", "the handshake answers; no login tried (--no-login)");
		return PROBE_DONE;
	}
	probe_consume(c, c->in.len);
	int r = login(c);
	return r == NOW ? login_done(c) : r;
}

static int step(struct probe_ctx *c)
{
	struct my *y = c->priv;
	if (c->replies == 0)
		return PROBE_WAIT; /* the server speaks first */
	switch (c->state) {
	case GREETING:
		return greeting(c);
	case LOGIN:
		return login_step(c);
	default:
		return y->m ? drive(c, advance(c)) : PROBE_DONE;
	}
}

const struct probe_def probe_mysql = {
	.name = "mysql",
	.service = "MySQL",
	.datastore = "MySQL/MariaDB",
	.transport = PROBE_TCP,
	.allow = allow,
	.step = step,
	.server_first = 1,
	.priv_size = sizeof(struct my),
	.release = release,
};
