/* PostgreSQL. The startup message (protocol 3.0, user postgres, database
 * postgres) on a raw socket: AuthenticationOk is trust (no password asked);
 * a password, SCRAM, GSS or certificate request is authentication; an
 * error names why it refused (pg_hba.conf). With trust, a sample through
 * libpq's asynchronous API on the same event loop, in a READ ONLY
 * transaction with default_transaction_read_only and a statement_timeout:
 * the databases and their sizes, then in the largest one its largest
 * tables and a few rows of their text columns. */
#include <arpa/inet.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probe/probe.h"

enum { SAMPLED_TABLES = 3 };

#define Q_DBS                                                                                                   \
	"SELECT datname, pg_database_size(datname) FROM pg_database WHERE datallowconn AND NOT datistemplate " \
	"ORDER BY 2 DESC LIMIT 100"
#define Q_TABLES                                                                                              \
	"SELECT n.nspname, c.relname, c.reltuples::bigint, pg_total_relation_size(c.oid) FROM pg_class c "   \
	"JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN " \
	"('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY c.reltuples DESC " \
	"LIMIT 100"
/* The sample's query, made by the server: identifiers quoted by format's
 * %I, never by us; each value cut to 4 KiB by the server. */
#define Q_COLUMNS                                                                                              \
	"SELECT format('SELECT %s FROM %I.%I LIMIT %s', string_agg(format('left(%I::text, 4096)', column_name), ', ' "   \
	"ORDER BY ordinal_position), table_schema, table_name, $3::int) FROM information_schema.columns "    \
	"WHERE table_schema = $1 AND table_name = $2 AND data_type IN ('text', 'character varying', "         \
	"'character', 'json', 'jsonb') GROUP BY table_schema, table_name"

static const char *const allow[] = {
	"startup user=postgres database=postgres",
	"Terminate",
	"connect user=postgres database=*",
	"connect user=* database=* with the given password",
	"BEGIN READ ONLY",
	Q_DBS,
	Q_TABLES,
	Q_COLUMNS,
	"SELECT * FROM * LIMIT #",
	"ROLLBACK",
	NULL,
};

enum { START, AUTH, CONNECTING, BEGIN, DBS, TABLES, COLUMNS, SAMPLE, ROLLBACK };

struct pg {
	PGconn *conn;
	const struct probe_credential *cred; /* the owner's, once the server asked */
	int busy;           /* a query is out */
	int second;         /* connected to the database chosen */
	char db[128];
	char *schema[SAMPLED_TABLES], *table[SAMPLED_TABLES];
	size_t ntables, next;
	char *query;        /* the sample query the server made */
	char failed[6];     /* the SQLSTATE of the query out, when it failed */
	size_t bytes;       /* of its rows so far */
};

static void release(struct probe_ctx *c)
{
	struct pg *g = c->priv;
	if (g->conn)
		PQfinish(g->conn);
	g->conn = NULL;
	for (size_t i = 0; i < g->ntables; i++) {
		free(g->schema[i]);
		free(g->table[i]);
	}
	g->ntables = 0;
	free(g->query);
	g->query = NULL;
}

static void put32(unsigned char *p, uint32_t v)
{
	v = htonl(v);
	memcpy(p, &v, 4);
}

static uint32_t get32(const char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return ntohl(v);
}

static int send_startup(struct probe_ctx *c)
{
	static const char params[] = "user\0postgres\0database\0postgres\0application_name\0cordon-probe\0";
	unsigned char msg[8 + sizeof(params)];
	put32(msg, (uint32_t)sizeof(msg));
	put32(msg + 4, 196608); /* 3.0 */
	memcpy(msg + 8, params, sizeof(params)); /* its NUL ends the list */
	return probe_send(c, "startup user=postgres database=postgres", msg, sizeof(msg));
}

/* ---- libpq, asynchronous ------------------------------------------------ */

static int want(struct probe_ctx *c, PostgresPollingStatusType s)
{
	struct pg *g = c->priv;
	probe_external(c, PQsocket(g->conn), s == PGRES_POLLING_WRITING ? POLLOUT : POLLIN);
	return PROBE_WAIT;
}

static void ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static int connect_db(struct probe_ctx *c, const char *db)
{
	struct pg *g = c->priv;
	char req[400], port[8], timeout[16], options[96];
	if (g->cred)
		snprintf(req, sizeof(req), "connect user=%.120s database=%.120s with the given password", g->cred->user, db);
	else
		snprintf(req, sizeof(req), "connect user=postgres database=%.120s", db);
	if (!probe_allowed(c->def, req)) {
		probe_note(c, "refused to connect: not on the probe's list");
		return PROBE_DONE;
	}
	if (g->conn)
		PQfinish(g->conn);
	snprintf(port, sizeof(port), "%u", c->ep.port);
	snprintf(timeout, sizeof(timeout), "%u", (c->run->o.connect_timeout_ms + 999) / 1000);
	snprintf(options, sizeof(options), "-c default_transaction_read_only=on -c statement_timeout=%u",
		 c->run->o.read_timeout_ms);
	/* every parameter given: nothing from the environment or ~/.pgpass */
	const char *const keys[] = { "hostaddr", "port", "user", "dbname", "connect_timeout", "options",
				     "application_name", "sslmode", "passfile", "password", "gssencmode", NULL };
	/* a password file that is not there: libpq warns on stderr about
	 * /dev/null, and reads none from a path that does not exist */
	const char *const vals[] = { c->ep.addr, port, g->cred ? g->cred->user : "postgres", db, timeout, options,
				     "cordon-probe", "disable", "/nonexistent/cordon-probe-reads-no-passfile",
				     g->cred ? g->cred->password : "", "disable", NULL };
	g->conn = PQconnectStartParams(keys, vals, 0);
	if (!g->conn || PQstatus(g->conn) == CONNECTION_BAD) {
		probe_note(c, "libpq could not start a connection");
		return PROBE_DONE;
	}
	PQsetNoticeProcessor(g->conn, ignore_notice, NULL); /* a library never prints */
	c->state = CONNECTING;
	return want(c, PGRES_POLLING_WRITING);
}

static int query(struct probe_ctx *c, int state, const char *sql, int nparams, const char *const *params)
{
	struct pg *g = c->priv;
	if (!probe_allowed(c->def, sql)) {
		probe_note(c, "refused to send a query not on the probe's list");
		return PROBE_DONE;
	}
	if (!PQsendQueryParams(g->conn, sql, nparams, NULL, params, NULL, NULL, 0)) {
		probe_note(c, "a query could not be sent");
		return PROBE_DONE;
	}
	PQsetSingleRowMode(g->conn);
	g->failed[0] = '\0';
	g->bytes = 0;
	g->busy = 1;
	c->state = state;
	int f = PQflush(g->conn);
	probe_external(c, PQsocket(g->conn), (short)(f > 0 ? POLLOUT | POLLIN : POLLIN));
	return f < 0 ? PROBE_DONE : PROBE_WAIT;
}

static int64_t num(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? -1 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

static int next_table(struct probe_ctx *c)
{
	struct pg *g = c->priv;
	if (g->next >= g->ntables)
		return query(c, ROLLBACK, "ROLLBACK", 0, NULL);
	char n[16];
	snprintf(n, sizeof(n), "%u", probe_sample_size(c));
	const char *params[] = { g->schema[g->next], g->table[g->next], n };
	g->next++;
	return query(c, COLUMNS, Q_COLUMNS, 3, params);
}

/* One row of the query out (single-row mode: rows are taken as they
 * come, so a reply is never held whole). 0, or -1 past the byte budget. */
static int row(struct probe_ctx *c, const PGresult *r)
{
	struct pg *g = c->priv;
	for (int k = 0; k < PQnfields(r); k++)
		g->bytes += (size_t)PQgetlength(r, 0, k);
	if (g->bytes > c->run->o.reply_max) {
		probe_note(c, "a reply over the size cap: the sample stops there");
		return -1;
	}
	switch (c->state) {
	case DBS: {
		const char *name = PQgetvalue(r, 0, 0);
		probe_store(c, name, strlen(name), -1, num(r, 0, 1));
		if (!g->db[0] && strcmp(name, "postgres") && strlen(name) < sizeof(g->db))
			snprintf(g->db, sizeof(g->db), "%s", name); /* the largest but the default one */
		break;
	}
	case TABLES:
		if (g->ntables < SAMPLED_TABLES && num(r, 0, 2) != 0) {
			char *schema = strdup(PQgetvalue(r, 0, 0)), *table = strdup(PQgetvalue(r, 0, 1));
			if (schema && table) {
				g->schema[g->ntables] = schema;
				g->table[g->ntables++] = table;
			} else {
				free(schema);
				free(table);
			}
		}
		break;
	case COLUMNS:
		if (!PQgetisnull(r, 0, 0) && !g->query)
			g->query = strdup(PQgetvalue(r, 0, 0));
		break;
	case SAMPLE:
		for (int k = 0; k < PQnfields(r); k++)
			if (!PQgetisnull(r, 0, k))
				probe_sample(c, PQgetvalue(r, 0, k), (size_t)PQgetlength(r, 0, k));
		break;
	}
	return 0;
}

/* The query out is done (every result taken): the next, or the end. */
static int query_done(struct probe_ctx *c)
{
	struct pg *g = c->priv;
	if (g->failed[0] && c->state != ROLLBACK) {
		probe_note(c, "a sampling query failed (SQLSTATE %s)", g->failed);
		return c->state == BEGIN ? PROBE_DONE : query(c, ROLLBACK, "ROLLBACK", 0, NULL);
	}
	switch (c->state) {
	case BEGIN:
		return g->second ? query(c, TABLES, Q_TABLES, 0, NULL) : query(c, DBS, Q_DBS, 0, NULL);
	case DBS:
		g->second = 1;
		if (g->db[0])
			return connect_db(c, g->db);
		snprintf(g->db, sizeof(g->db), "postgres");
		return query(c, TABLES, Q_TABLES, 0, NULL);
	case TABLES:
		return next_table(c);
	case COLUMNS:
		if (g->query) {
			char *q = g->query;
			g->query = NULL;
			int r = query(c, SAMPLE, q, 0, NULL);
			free(q);
			return r;
		}
		return next_table(c);
	case SAMPLE:
		return next_table(c);
	default: /* ROLLBACK */
		return PROBE_DONE;
	}
}

static int library_step(struct probe_ctx *c)
{
	struct pg *g = c->priv;
	if (c->state == CONNECTING) {
		PostgresPollingStatusType s = PQconnectPoll(g->conn);
		if (s == PGRES_POLLING_FAILED) {
			/* the server's words are not repeated: only that it failed */
			probe_note(c, "the sampling connection to database '%.60s' failed", g->second ? g->db : "postgres");
			return PROBE_DONE;
		}
		if (s != PGRES_POLLING_OK)
			return want(c, s);
		PQsetnonblocking(g->conn, 1);
		return query(c, BEGIN, "BEGIN READ ONLY", 0, NULL);
	}
	int f = PQflush(g->conn);
	if (f < 0 || !PQconsumeInput(g->conn)) {
		probe_note(c, "the connection failed during sampling");
		return PROBE_DONE;
	}
	/* results as they come, never a PQgetResult that would wait */
	while (!PQisBusy(g->conn)) {
		PGresult *r = PQgetResult(g->conn);
		if (!r) {
			g->busy = 0;
			return query_done(c);
		}
		ExecStatusType st = PQresultStatus(r);
		int stop = 0;
		if (st == PGRES_SINGLE_TUPLE)
			stop = row(c, r);
		else if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
			snprintf(g->failed, sizeof(g->failed), "%.5s",
				 PQresultErrorField(r, PG_DIAG_SQLSTATE) ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : "?");
		PQclear(r);
		if (stop)
			return PROBE_DONE; /* the connection is closed, the rest unread */
	}
	probe_external(c, PQsocket(g->conn), (short)(f > 0 ? POLLIN | POLLOUT : POLLIN));
	return PROBE_WAIT;
}

/* ---- the startup, raw ---------------------------------------------------- */

static int startup_reply(struct probe_ctx *c)
{
	struct pg *g = c->priv;
	for (;;) {
		if (c->in.len < 5)
			return c->in.len && !strchr("REN", c->in.data[0]) ? probe_mismatch(c) : PROBE_WAIT;
		char type = c->in.data[0];
		uint32_t len = get32(c->in.data + 1);
		if (!strchr("RSKZEN", type) || len < 4 || len > 65536)
			return probe_mismatch(c);
		if (c->in.len < (size_t)len + 1)
			return c->capped ? probe_mismatch(c) : PROBE_WAIT;
		const char *body = c->in.data + 5;
		size_t blen = len - 4;
		if (type == 'R' && blen >= 4) {
			uint32_t code = get32(body);
			if (code != 0) {
				const char *how = code == 3 ? "a password" : code == 5 ? "an MD5 password"
						  : code == 10 ? "SASL (SCRAM-SHA-256)" : code == 7 ? "GSSAPI"
						  : code == 9 ? "SSPI" : "authentication";
				probe_found(c, "authenticated", "the startup message is answered with a request for %s", how);
				g->cred = probe_credential(c, "postgres");
				if (!g->cred || !probe_sample_size(c))
					return PROBE_DONE;
				/* the owner's credentials: a sample of what it holds */
				probe_note(c, "sampled as %.60s with the credentials given", g->cred->user);
				probe_consume(c, c->in.len);
				return connect_db(c, "postgres");
			}
			probe_found(c, "unauthenticated_access",
				    "the startup message as user postgres is answered AuthenticationOk: trust, no password");
		} else if (type == 'S') {
			const char *name = body, *nul = memchr(body, '\0', blen);
			if (nul && !strcmp(name, "server_version")) {
				const char *v = nul + 1, *vend = memchr(v, '\0', blen - (size_t)(v - body));
				if (vend)
					probe_set_version(c, v, (size_t)(vend - v));
			}
		} else if (type == 'E') {
			/* the SQLSTATE: 28000 (pg_hba.conf), 28P01, 3D000, 53300 */
			char code[6] = "?";
			for (const char *f = body; f < body + blen && *f;) {
				const char *end = memchr(f + 1, '\0', (size_t)(body + blen - f - 1));
				if (!end)
					break;
				if (*f == 'C')
					snprintf(code, sizeof(code), "%.5s", f + 1);
				f = end + 1;
			}
			if (c->res.kind) {
				probe_note(c, "then an error (SQLSTATE %s)", code);
			} else if (!strcmp(code, "28000")) {
				probe_found(c, "authenticated", "refused by pg_hba.conf (SQLSTATE 28000): no entry lets this "
								  "address in as postgres without TLS");
			} else {
				probe_found(c, "authenticated", "the startup message is refused (SQLSTATE %s)", code);
			}
			return PROBE_DONE;
		} else if (type == 'Z') {
			probe_consume(c, (size_t)len + 1);
			probe_send(c, "Terminate", "X\0\0\0\4", 5);
			if (!probe_sample_size(c) || !c->res.kind)
				return PROBE_DONE;
			return connect_db(c, "postgres");
		}
		probe_consume(c, (size_t)len + 1);
	}
}

static int step(struct probe_ctx *c)
{
	if (c->state == START) {
		c->state = AUTH;
		return send_startup(c) ? PROBE_DONE : PROBE_WAIT;
	}
	if (c->state == AUTH)
		return startup_reply(c);
	return library_step(c);
}

const struct probe_def probe_postgres = {
	.name = "postgres",
	.service = "PostgreSQL",
	.datastore = "PostgreSQL",
	.transport = PROBE_TCP,
	.allow = allow,
	.step = step,
	.priv_size = sizeof(struct pg),
	.release = release,
};
