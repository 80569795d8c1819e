/* The audit object and what its stages share. The stages, one file each:
 * audit.c (the object, reading files: which reader takes which), jsonlist.c
 * (lists read one element at a time), ruleset.c (the model's builders),
 * inventory.c (data-store ports, assets, NICs, configuration facts),
 * locate.c (the line of each rule in its export) and run.c (the walk of
 * every rule set and port, layering, the findings). */
#ifndef CORDON_AUDIT_INTERNAL_H
#define CORDON_AUDIT_INTERNAL_H

#include "audit/conf.h"
#include "audit/model.h"
#include "audit/walk.h"

struct fact {
	struct conf_fact f; /* strings owned */
	char *file;
	char *real; /* realpath of file, or NULL */
};

struct asset {
	char *name, *config, *sensitivity;
	char **guarded_by;
	size_t nguarded;
	unsigned port;
	int no_auth;
};

struct nic {
	char *name, *nsg;
	char **subnets;
	size_t nsubnets;
};

struct listen_note {
	char *dir, *datastore, *listen;
	int exposed;
	unsigned port;
};

struct datastore {
	char *name;
	unsigned lo, hi;
	cordon_protocol proto;
};

/* A port the platform itself uses for management, reached from its own
 * service tags only (data/management.txt). */
struct management {
	char *platform, *what;
	unsigned *ports;
	size_t nports;
	char **tags;
	size_t ntags;
};

struct cordon_audit {
	struct ruleset *sets;
	size_t nsets, capsets;
	struct datastore *ds;
	size_t nds, capds;
	struct management *mgmt;
	size_t nmgmt, capmgmt;
	struct cordon_exposure *out;
	size_t nout, capout;
	struct walk_scratch walk; /* the walk's buffers, kept between walks */
	struct ipset_tags tags;
	struct fact *facts;
	size_t nfacts, capfacts;
	struct listen_note *notes;
	size_t nnotes, capnotes;
	struct asset *assets;
	size_t nassets, capassets;
	struct nic *nics;
	size_t nnics, capnics;
	int nics_resolved;
	void **kept; /* what the findings point to, freed with the next run */
	size_t nkept, capkept;
	char err[512];
};

/* inventory.c */
cordon_code audit_load_builtins(struct cordon_audit *a);
cordon_code audit_resolve_nics(struct cordon_audit *a);
/* Raises an Internet exposure to critical where the inventory says the
 * store behind it has no authentication, and names the asset. */
void audit_join_assets(struct cordon_audit *a);
/* The management port entry that a finding on platform/port from these
 * sources is, or NULL. */
const struct management *audit_management(const struct cordon_audit *a, const char *platform, unsigned port,
					  const char *const *sources, size_t nsources);
char *audit_dir_of(const char *file);
void audit_free_inventory(struct cordon_audit *a);

/* jsonlist.c: the next element [*b, *e) of the top-level JSON array in s.
 * 1 with one, 0 at the closing ']' (only blanks may follow), -1 when s is
 * not shaped so (the caller then parses it whole, for a proper error). */
int audit_next_element(const char *s, size_t len, size_t *pos, size_t *b, size_t *e);

/* ruleset.c: forgets the rule sets and NICs after the first nsets and
 * nnics (a failed list element; everything, when the audit is freed). */
void audit_roll_back(struct cordon_audit *a, size_t nsets, size_t nnics);

/* locate.c: the lines of the rules of the rule sets from first on, found
 * by their names in text[0, len) (the file, or one element of a list at
 * offset `at` in it). A cursor keeps the search linear: rules are looked
 * for in the order the export lists them; one not found keeps line 0. */
struct locator {
	const char *text;
	size_t len;
	size_t pos;      /* searched up to here */
	unsigned line;   /* the line at pos */
};
void audit_locate_rules(struct cordon_audit *a, size_t first, struct locator *at, size_t from, size_t to);

/* run.c: the findings' memory. */
void audit_free_results(struct cordon_audit *a);

#endif
