/* cordon findings: exposures (a data store that someone it should not can
 * reach or read), one type for every part that finds them (audit and
 * probe; watch next), with one set of reporters (text, JSON lines,
 * SARIF 2.1.0), a stable fingerprint, and the diff of two runs
 * (--baseline): what a change opens, widens, narrows and closes. */
#ifndef CORDON_FINDINGS_H
#define CORDON_FINDINGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include "cordon/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum cordon_protocol {
	CORDON_PROTO_TCP = 1,
	CORDON_PROTO_UDP = 2
} cordon_protocol;

typedef enum cordon_severity {
	CORDON_SEV_INFO = 0, /* worth knowing; nothing to fix (platform management) */
	CORDON_SEV_MEDIUM,   /* reachable from a broad non-Internet range */
	CORDON_SEV_HIGH,     /* reachable from the Internet */
	CORDON_SEV_CRITICAL  /* and the data store has no authentication */
} cordon_severity;

/* "info", "medium", "high", "critical". */
CORDON_API const char *cordon_severity_name(cordon_severity s);
CORDON_API cordon_code cordon_severity_from_name(const char *name, cordon_severity *out);

/* Fingerprints are this many hex digits. */
#define CORDON_FINGERPRINT_LEN 16

/* What a live data store holds, as it says: an index, database, keyspace. */
struct cordon_store {
	const char *name;
	int64_t records; /* documents, keys, rows; -1: not known */
	int64_t bytes;   /* -1: not known */
};

/* Personal data of one entity found in a probe's sample: how many values,
 * and the first one masked (j***@c******.com); the values themselves are
 * dropped once counted. */
struct cordon_held {
	const char *entity;
	uint64_t count;
	const char *preview;
};

struct cordon_exposure {
	/* "network_exposure", "unauthenticated_config", "platform_management";
	 * probes: "unauthenticated_access", "authenticated", "unverified" (it
	 * answers; no login was tried), "other_service" (not a data store
	 * cordon knows), "unreachable" */
	const char *kind;
	/* The check's stable id, one per kind of finding and data store:
	 * "network-exposure/elasticsearch-opensearch" (SARIF's ruleId). */
	const char *check;
	/* 16 hex digits over kind, platform, resource, port and protocol: the
	 * same finding has the same fingerprint in every run, whatever file it
	 * was read from (the key of cordon.yaml's ignore: list). */
	const char *fingerprint;
	cordon_severity severity;
	const char *platform;   /* "azure-nsg", "aws-sg", "aws-nacl", "gcp-firewall", "config", "probe" */
	const char *resource;   /* the NSG, security group, ACL, network/target or config file */
	const char *file;       /* the file it was read from */
	unsigned line;          /* the line of `rule` in file; 0 when not known */
	unsigned port;
	cordon_protocol protocol;
	const char *datastore;  /* "Elasticsearch/OpenSearch" */
	/* Who gets in: CIDRs ("203.0.113.0/24"), service tags ("tag:AzureCloud"),
	 * security groups or source tags by name; "0.0.0.0/0" and "::/0" stand
	 * for the whole public IPv4 and IPv6 Internet. For configs: the
	 * addresses it listens on. */
	const char *const *sources;
	size_t nsources;
	const char *const *except; /* ... less these */
	size_t nexcept;
	const char *sources_text;  /* "the IPv4 Internet except 198.51.100.0/24" */
	const char *width;         /* "the whole Internet", "2 addresses", ... */
	uint64_t addresses;        /* IPv4 addresses among sources (IPv6 and tags not counted) */
	const char *rule;          /* the rule letting the most in (a config: why) */
	const char *const *rules;  /* every rule letting some in */
	size_t nrules;
	const char *asset;         /* the inventory's asset behind it, or NULL */
	const char *sensitivity;   /* the asset's, or NULL */
	const char *note;          /* what else a reader must know, or NULL */

	/* ---- live checks (cordon probe): NULL / 0 for the others ---- */
	const char *endpoint;      /* "127.0.0.1:6379", "https://es.internal:9200" */
	const char *service;       /* what answered: "Redis", "Elasticsearch", "HTTP server" */
	const char *version;       /* as the service says, or NULL */
	const char *evidence;      /* the reply that proves it, never a data value */
	const struct cordon_store *stores; /* indices, databases, keyspaces */
	size_t nstores;
	const struct cordon_held *holds;   /* personal data found in the sample */
	size_t nholds;
	const char *owner;         /* the asset's owning team, or NULL */
};

/* What a change did to a finding (cordon_exposure_diff). */
typedef enum cordon_change {
	CORDON_CHANGE_NONE = 0, /* no baseline, or the same finding */
	CORDON_CHANGE_OPENED,   /* new */
	CORDON_CHANGE_WIDENED,  /* someone new gets in, or the severity rose */
	CORDON_CHANGE_NARROWED, /* nobody new gets in, some no longer do, or the severity fell */
	CORDON_CHANGE_CHANGED,  /* the same addresses, other rules or details */
	CORDON_CHANGE_CLOSED    /* gone */
} cordon_change;

/* "opened", "widened", ...; "" for CORDON_CHANGE_NONE. */
CORDON_API const char *cordon_change_name(cordon_change c);

/* A finding as reported: the finding now, the one before (baseline runs),
 * and whether cordon.yaml's ignore: list accepts it. */
struct cordon_report_item {
	const struct cordon_exposure *now;    /* NULL when closed */
	const struct cordon_exposure *before; /* NULL when opened or no baseline */
	cordon_change change;
	const char *ignored;                  /* the reason when ignored, else NULL */
};

/* The items of a run without a baseline: one per finding, in order.
 * *out is freed with free(). */
CORDON_API cordon_code cordon_exposure_items(const struct cordon_exposure *now, size_t n,
					     struct cordon_report_item **out, size_t *nout);
/* The change from before to now: findings are matched by fingerprint;
 * unchanged ones are left out unless keep_same. Sorted as now is, closed
 * ones after. *out is freed with free(). */
CORDON_API cordon_code cordon_exposure_diff(const struct cordon_exposure *before, size_t nbefore,
					    const struct cordon_exposure *now, size_t nnow, int keep_same,
					    struct cordon_report_item **out, size_t *nout);
/* Does an item fail a gate at level? An open finding at or above it does;
 * with a baseline, only an opened or widened one; never a closed,
 * narrowed or ignored one. */
CORDON_API int cordon_report_item_fails(const struct cordon_report_item *item, cordon_severity level,
					int baseline);

typedef enum cordon_report_format {
	CORDON_REPORT_TEXT = 0, /* for people: grouped by file and resource */
	CORDON_REPORT_JSON,     /* one JSON object per finding and line */
	CORDON_REPORT_SARIF     /* SARIF 2.1.0, for code-scanning dashboards */
} cordon_report_format;

/* "text", "json", "sarif". */
CORDON_API cordon_code cordon_report_format_from_name(const char *name, cordon_report_format *out);

struct cordon_report_options {
	cordon_report_format format;
	int baseline;           /* the items are a diff */
	/* SARIF: file names are written relative to this directory (with
	 * uriBaseId SRCROOT) when under it; NULL: as they are. */
	const char *uri_base;
	const char *tool_name;  /* NULL: "cordon" */
	/* Text: what to say when nothing is shown; NULL: the audit's "No
	 * data-store port is reachable." */
	const char *nothing;
};

/* Writes the items to out. Ignored items are left out of text and JSON
 * (text ends with how many) and are in SARIF with a suppression. Fails
 * with CORDON_ERR_IO when out cannot be written. */
CORDON_API cordon_code cordon_report_exposures(FILE *out, const struct cordon_report_options *options,
					       const struct cordon_report_item *items, size_t n);

/* ---- findings of personal data in records (cordon scan) ---------------- */

struct cordon_record_finding;
struct cordon_engine;

struct cordon_scan_report_options {
	cordon_report_format format;
	const struct cordon_engine *engine; /* names the entities (SARIF: a rule each) */
	int explain;          /* with each finding, the rule and context word that decided it */
	const char *uri_base; /* SARIF: file names relative to this directory (SRCROOT); copied */
};

/* A report of scan findings written as they come: text and JSON lines at
 * once, SARIF as one document whose results stream between its head and
 * its tail. Values are never written: text and JSON carry the masked
 * preview, SARIF not even that. */
typedef struct cordon_scan_report cordon_scan_report;

CORDON_API cordon_code cordon_scan_report_new(cordon_scan_report **out, FILE *f,
					      const struct cordon_scan_report_options *options);
/* One finding of file ("-": stdin). CORDON_ERR_IO when f cannot be written. */
CORDON_API cordon_code cordon_scan_report_add(cordon_scan_report *r, const char *file,
					      const struct cordon_record_finding *finding);
/* Ends the document (SARIF); CORDON_ERR_IO when f could not be written. */
CORDON_API cordon_code cordon_scan_report_finish(cordon_scan_report *r);
CORDON_API void cordon_scan_report_free(cordon_scan_report *r);
/* How many findings were added. */
CORDON_API uint64_t cordon_scan_report_count(const cordon_scan_report *r);

#ifdef __cplusplus
}
#endif
#endif
