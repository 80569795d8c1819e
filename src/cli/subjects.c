/* Subject list for breach notification: a hash table (FNV-1a, open
 * addressing) from "entity value" to the records holding it, kept in order
 * of first appearance. Memory grows with distinct subjects, not records. */
#include <stdlib.h>
#include <string.h>
#include "cli/subjects.h"

struct subject {
	cordon_entity entity;
	char *value;
	char **refs; /* record ids, or record numbers written as text */
	size_t nrefs, caprefs;
	unsigned long long last_record;
};

struct subjects {
	struct subject *v;
	size_t n, cap;
	size_t *slots; /* index + 1 into v, 0: empty */
	size_t nslots;
};

struct subjects *subjects_new(void)
{
	return calloc(1, sizeof(struct subjects));
}

void subjects_free(struct subjects *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		explicit_bzero(s->v[i].value, strlen(s->v[i].value));
		free(s->v[i].value);
		for (size_t k = 0; k < s->v[i].nrefs; k++)
			free(s->v[i].refs[k]);
		free(s->v[i].refs);
	}
	free(s->v);
	free(s->slots);
	free(s);
}

size_t subjects_count(const struct subjects *s)
{
	return s->n;
}

static size_t hash(cordon_entity e, const char *value)
{
	size_t h = 1469598103934665603ULL ^ (size_t)e;
	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h;
}

static int grow_slots(struct subjects *s)
{
	size_t n = s->nslots ? s->nslots * 2 : 1024;
	size_t *slots = calloc(n, sizeof(*slots));
	if (!slots)
		return -1;
	for (size_t i = 0; i < s->n; i++) {
		size_t h = hash(s->v[i].entity, s->v[i].value) & (n - 1);
		while (slots[h])
			h = (h + 1) & (n - 1);
		slots[h] = i + 1;
	}
	free(s->slots);
	s->slots = slots;
	s->nslots = n;
	return 0;
}

int subjects_add(struct subjects *s, const struct cordon_record_finding *f)
{
	if ((f->entity != CORDON_EMAIL_ADDRESS && f->entity != CORDON_PHONE_NUMBER) || !f->canonical)
		return 0;
	if ((s->n + 1) * 2 > s->nslots && grow_slots(s))
		return -1;
	size_t h = hash(f->entity, f->canonical) & (s->nslots - 1);
	struct subject *sub = NULL;
	for (; s->slots[h]; h = (h + 1) & (s->nslots - 1)) {
		struct subject *c = &s->v[s->slots[h] - 1];
		if (c->entity == f->entity && !strcmp(c->value, f->canonical)) {
			sub = c;
			break;
		}
	}
	if (!sub) {
		if (s->n == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 256;
			struct subject *v = realloc(s->v, cap * sizeof(*v));
			if (!v)
				return -1;
			s->v = v;
			s->cap = cap;
		}
		sub = &s->v[s->n];
		memset(sub, 0, sizeof(*sub));
		sub->entity = f->entity;
		if (!(sub->value = strdup(f->canonical)))
			return -1;
		s->slots[h] = ++s->n;
	}
	if (sub->nrefs && sub->last_record == f->record)
		return 0; /* findings come in record order: one ref per record */
	if (sub->nrefs == sub->caprefs) {
		size_t cap = sub->caprefs ? sub->caprefs * 2 : 4;
		char **r = realloc(sub->refs, cap * sizeof(*r));
		if (!r)
			return -1;
		sub->refs = r;
		sub->caprefs = cap;
	}
	char num[24];
	snprintf(num, sizeof(num), "%llu", (unsigned long long)f->record);
	if (!(sub->refs[sub->nrefs] = strdup(f->record_id ? f->record_id : num)))
		return -1;
	sub->nrefs++;
	sub->last_record = f->record;
	return 0;
}

static void csv_field(FILE *out, const char *v)
{
	if (!strpbrk(v, ",\"\r\n")) {
		fputs(v, out);
		return;
	}
	putc('"', out);
	for (; *v; v++) {
		if (*v == '"')
			putc('"', out);
		putc(*v, out);
	}
	putc('"', out);
}

static void json_string(FILE *out, const char *v)
{
	putc('"', out);
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(out, "\\u%04x", *p);
		else
			putc(*p, out);
	}
	putc('"', out);
}

int subjects_print(const struct subjects *s, FILE *out, int json, cordon_redactor *keyed)
{
	if (!json)
		fputs("subject,entity,records,record_refs\n", out);
	for (size_t i = 0; i < s->n; i++) {
		const struct subject *sub = &s->v[i];
		const char *name = cordon_entity_name(sub->entity), *shown = sub->value;
		size_t len;
		if (keyed && cordon_redactor_replace_value(keyed, CORDON_OP_PSEUDONYM, sub->value,
							   strlen(sub->value), name, &shown, &len) != CORDON_OK)
			return -1;
		if (json) {
			fputs("{\"subject\":", out);
			json_string(out, shown);
			fprintf(out, ",\"entity\":\"%s\",\"records\":%zu,\"record_refs\":[", name, sub->nrefs);
			for (size_t k = 0; k < sub->nrefs; k++) {
				if (k)
					putc(',', out);
				json_string(out, sub->refs[k]);
			}
			fputs("]}\n", out);
		} else {
			csv_field(out, shown);
			fprintf(out, ",%s,%zu,", name, sub->nrefs);
			/* refs joined by ';' inside one field */
			size_t total = 1;
			for (size_t k = 0; k < sub->nrefs; k++)
				total += strlen(sub->refs[k]) + 1;
			char *joined = malloc(total);
			if (!joined)
				return -1;
			size_t at = 0;
			for (size_t k = 0; k < sub->nrefs; k++) {
				size_t n = strlen(sub->refs[k]);
				if (k)
					joined[at++] = ';';
				memcpy(joined + at, sub->refs[k], n);
				at += n;
			}
			joined[at] = '\0';
			csv_field(out, joined);
			free(joined);
			putc('\n', out);
		}
	}
	return ferror(out) ? -1 : 0;
}
