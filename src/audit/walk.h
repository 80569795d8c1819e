/* The walk: what one rule set lets in on one port and protocol, as the
 * platform decides it. First-match platforms (Azure NSGs, AWS network ACLs,
 * GCP firewalls): each address belongs to the first rule in priority order
 * whose sources hold it, and gets in when that rule allows. AWS security
 * groups: every allow rule lets its sources in. A deny aimed at some
 * destinations only does not take anything (over-report rather than
 * under-report).
 *
 * Computed by one sweep over the sorted ends of every source interval with
 * a heap of the rules in force, so the cost is O(n log n) in the number of
 * intervals, whatever their overlap: 100,000 rules of distinct hosts take
 * well under a second a port. */
#ifndef CORDON_AUDIT_WALK_H
#define CORDON_AUDIT_WALK_H

#include "audit/model.h"

struct reach {
	struct ipset reached; /* everything let in */
	struct ipset wide;    /* a broad private range an explicit rule let in */
	const struct arule *best_rule; /* lets the most Internet addresses in */
	const struct arule **rules; /* the rules letting Internet addresses in, in walk order */
	size_t nrules, caprules;
	int failed;
};

/* Scratch the walk keeps between calls. */
struct walk_scratch {
	struct walk_event *ev;
	size_t nev, capev;
	uint32_t *heap;
	size_t nheap, capheap;
	struct walk_rule *rules;
	size_t nrules, caprules;
	struct walk_owned *owned;
	size_t nowned, capowned;
};

/* Fills out for rs on port/proto. internet: the Internet set; broad: the
 * broad private ranges (for medium findings). -1 when out of memory. */
int reach_of(struct walk_scratch *w, const struct ruleset *rs, unsigned port, cordon_protocol proto,
	     const struct ipset *internet, const struct ipset *broad, struct reach *out);
void reach_free(struct reach *r);
void walk_scratch_free(struct walk_scratch *w);

#endif
