/* Subject list (see subjects.h): a hash table (FNV-1a, open addressing)
 * from "entity value" to its records, spilled past the budget as sorted
 * runs to unnamed temporary files and merged when printed. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "subjects.h"

struct subject {
	cordon_entity entity;
	char *value;
	size_t vlen;
	uint64_t records;      /* how many records hold it */
	uint64_t last_seq;     /* the last record (in reading order) that did */
	uint64_t kinds;        /* entities found in the records that hold it */
	char **refs;           /* the first SUBJECT_REFS_MAX: ids or numbers */
	uint32_t nrefs;
	size_t caprefs;
};

struct run {
	FILE *f;
	struct subject cur; /* the run's next subject, read ahead */
	int have;
};

struct subjects {
	struct subject *v;
	size_t n, cap;
	size_t *slots; /* index + 1 into v, 0: empty */
	size_t nslots;
	size_t bytes, budget;
	uint64_t record; /* of the last finding: spills wait for a new record */
	uint64_t seq;    /* records seen, in reading order, over every file */
	int new_file;    /* the next finding is another file's */
	const char *file; /* its name in refs ("file:record"), or NULL */
	uint64_t rec_kinds;   /* entities of the record being read */
	size_t *rec_subjects; /* its subjects (indexes into v) */
	size_t nrec_subjects, caprec_subjects;
	struct run *runs;
	size_t nruns, capruns;
	size_t printed;
	char err[160];
};

struct subjects *subjects_new(size_t budget)
{
	struct subjects *s = calloc(1, sizeof(*s));
	if (s)
		s->budget = budget ? budget : (size_t)64 << 20;
	return s;
}

static void subject_release(struct subject *x)
{
	if (x->value) {
		explicit_bzero(x->value, x->vlen);
		free(x->value);
	}
	for (uint32_t k = 0; k < x->nrefs; k++)
		free(x->refs[k]);
	free(x->refs);
	memset(x, 0, sizeof(*x));
}

static void clear_table(struct subjects *s)
{
	for (size_t i = 0; i < s->n; i++)
		subject_release(&s->v[i]);
	s->n = 0;
	s->bytes = 0;
	if (s->slots)
		memset(s->slots, 0, s->nslots * sizeof(*s->slots));
}

void subjects_free(struct subjects *s)
{
	if (!s)
		return;
	clear_table(s);
	free(s->v);
	free(s->slots);
	free(s->rec_subjects);
	for (size_t r = 0; r < s->nruns; r++) {
		subject_release(&s->runs[r].cur);
		if (s->runs[r].f)
			fclose(s->runs[r].f);
	}
	free(s->runs);
	free(s);
}

size_t subjects_count(const struct subjects *s)
{
	return s->printed;
}

const char *subjects_error(const struct subjects *s)
{
	return *s->err ? s->err : "out of memory";
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
	s->bytes += (n - s->nslots) * sizeof(*slots);
	free(s->slots);
	s->slots = slots;
	s->nslots = n;
	return 0;
}

static int by_subject(const void *pa, const void *pb)
{
	const struct subject *a = pa, *b = pb;
	if (a->entity != b->entity)
		return a->entity < b->entity ? -1 : 1;
	return strcmp(a->value, b->value);
}

/* --- runs: entity, value, records, last_record, refs ----------------------- */

static int put_u64(FILE *f, uint64_t v)
{
	return fwrite(&v, sizeof(v), 1, f) == 1 ? 0 : -1;
}

static int put_str(FILE *f, const char *p, size_t n)
{
	return put_u64(f, n) || (n && fwrite(p, 1, n, f) != n) ? -1 : 0;
}

static int write_subject(FILE *f, const struct subject *x)
{
	if (put_u64(f, (uint64_t)x->entity) || put_str(f, x->value, x->vlen) || put_u64(f, x->records) ||
	    put_u64(f, x->last_seq) || put_u64(f, x->kinds) || put_u64(f, x->nrefs))
		return -1;
	for (uint32_t k = 0; k < x->nrefs; k++)
		if (put_str(f, x->refs[k], strlen(x->refs[k])))
			return -1;
	return 0;
}

static int get_u64(FILE *f, uint64_t *v)
{
	return fread(v, sizeof(*v), 1, f) == 1 ? 0 : -1;
}

static char *get_str(FILE *f, size_t *len)
{
	uint64_t n;
	if (get_u64(f, &n) || n > ((uint64_t)1 << 32))
		return NULL;
	char *p = malloc((size_t)n + 1);
	if (!p || (n && fread(p, 1, (size_t)n, f) != n)) {
		free(p);
		return NULL;
	}
	p[n] = '\0';
	if (len)
		*len = (size_t)n;
	return p;
}

/* The next subject of a run: 1, 0 at its end, -1 on error. */
static int read_subject(FILE *f, struct subject *x)
{
	uint64_t entity, nrefs;
	memset(x, 0, sizeof(*x));
	if (get_u64(f, &entity))
		return feof(f) ? 0 : -1;
	x->entity = (cordon_entity)entity;
	if (!(x->value = get_str(f, &x->vlen)) || get_u64(f, &x->records) || get_u64(f, &x->last_seq) ||
	    get_u64(f, &x->kinds) || get_u64(f, &nrefs) || nrefs > SUBJECT_REFS_MAX)
		return -1;
	if (nrefs && !(x->refs = calloc((size_t)nrefs, sizeof(*x->refs))))
		return -1;
	x->caprefs = (size_t)nrefs;
	for (; x->nrefs < nrefs; x->nrefs++)
		if (!(x->refs[x->nrefs] = get_str(f, NULL)))
			return -1;
	return 1;
}

static FILE *temp_file(struct subjects *s)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) { /* no O_TMPFILE there: a named file, removed at once */
		char path[4096];
		snprintf(path, sizeof(path), "%s/cordon-subjects-XXXXXX", dir);
		if ((fd = mkostemp(path, O_CLOEXEC)) >= 0)
			unlink(path);
	}
	FILE *f = fd >= 0 ? fdopen(fd, "w+b") : NULL;
	if (!f) {
		snprintf(s->err, sizeof(s->err), "cannot make a temporary file in '%.100s': %s", dir, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return f;
}

/* Writes the table, sorted, as a run; the table is then empty. */
static int spill(struct subjects *s)
{
	if (CLI_GROW(s->runs, s->nruns + 1, s->capruns))
		return -1;
	struct run *r = &s->runs[s->nruns];
	memset(r, 0, sizeof(*r));
	if (!(r->f = temp_file(s)))
		return -1;
	s->nruns++;
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), by_subject);
	for (size_t i = 0; i < s->n; i++)
		if (write_subject(r->f, &s->v[i])) {
			snprintf(s->err, sizeof(s->err), "cannot write a temporary file: %s", strerror(errno));
			return -1;
		}
	if (fflush(r->f) != 0 || fseek(r->f, 0, SEEK_SET) != 0) {
		snprintf(s->err, sizeof(s->err), "cannot write a temporary file: %s", strerror(errno));
		return -1;
	}
	clear_table(s);
	return 0;
}

static int add_ref(struct subject *sub, const struct cordon_record_finding *f, const char *file, uint64_t seq,
		   size_t *bytes)
{
	sub->records++;
	sub->last_seq = seq;
	if (sub->nrefs == SUBJECT_REFS_MAX)
		return 0; /* the count stays whole; the list names the first ones */
	size_t before = sub->caprefs;
	if (CLI_GROW(sub->refs, (size_t)sub->nrefs + 1, sub->caprefs))
		return -1;
	*bytes += (sub->caprefs - before) * sizeof(*sub->refs);
	char num[4200];
	if (file)
		snprintf(num, sizeof(num), "%.4096s:%llu", file, (unsigned long long)f->record);
	else
		snprintf(num, sizeof(num), "%llu", (unsigned long long)f->record);
	const char *ref = f->record_id ? f->record_id : num;
	if (!(sub->refs[sub->nrefs] = strdup(ref)))
		return -1;
	*bytes += strlen(ref) + 1;
	sub->nrefs++;
	return 0;
}

/* The record just read is done: its subjects had all its kinds of data
 * exposed. */
static void end_record(struct subjects *s)
{
	for (size_t i = 0; i < s->nrec_subjects; i++)
		s->v[s->rec_subjects[i]].kinds |= s->rec_kinds;
	s->nrec_subjects = 0;
	s->rec_kinds = 0;
}

void subjects_new_file(struct subjects *s, const char *name)
{
	s->new_file = 1;
	s->file = name;
}

int subjects_add(struct subjects *s, const struct cordon_record_finding *f)
{
	/* findings come a record at a time, in order: a new record number,
	 * or the first of another file, starts the next one */
	if (f->record != s->record || s->new_file || !s->seq) {
		end_record(s);
		/* past the budget, spill between records, so one record is
		 * never counted twice for one subject */
		if (s->bytes > s->budget && s->n && spill(s))
			return -1;
		s->seq++;
		s->record = f->record;
		s->new_file = 0;
	}
	if ((unsigned)f->entity < CORDON_ENTITY_MAX)
		s->rec_kinds |= CORDON_ENTITY_BIT(f->entity);
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
		size_t before = s->cap;
		if (CLI_GROW(s->v, s->n + 1, s->cap))
			return -1;
		s->bytes += (s->cap - before) * sizeof(*s->v);
		sub = &s->v[s->n];
		memset(sub, 0, sizeof(*sub));
		sub->entity = f->entity;
		sub->vlen = strlen(f->canonical);
		if (!(sub->value = strdup(f->canonical)))
			return -1;
		s->bytes += sub->vlen + 1;
		s->slots[h] = ++s->n;
	} else if (sub->last_seq == s->seq) {
		return 0; /* one ref per record */
	}
	if (CLI_GROW(s->rec_subjects, s->nrec_subjects + 1, s->caprec_subjects))
		return -1;
	s->rec_subjects[s->nrec_subjects++] = (size_t)(sub - s->v);
	return add_ref(sub, f, s->file, s->seq, &s->bytes);
}

/* --- printing -------------------------------------------------------------- */

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

/* The kinds of data as names, ';'-joined (CSV) or a JSON array. */
static void put_kinds(FILE *out, uint64_t kinds, const cordon_engine *engine, int json)
{
	const char *sep = "";
	if (json)
		putc('[', out);
	for (unsigned e = 0; e < CORDON_ENTITY_MAX; e++) {
		if (!(kinds & CORDON_ENTITY_BIT(e)))
			continue;
		const char *name = engine ? cordon_engine_entity_name(engine, (cordon_entity)e)
					  : cordon_entity_name((cordon_entity)e);
		if (!name)
			continue;
		fprintf(out, json ? "%s\"%s\"" : "%s%s", sep, name); /* names: letters, digits, '_' */
		sep = json ? "," : ";";
	}
	if (json)
		putc(']', out);
}

static int print_one(struct subjects *s, const struct subject *sub, FILE *out, int json, cordon_redactor *keyed,
		     const cordon_engine *engine)
{
	const char *name = cordon_entity_name(sub->entity), *shown = sub->value;
	size_t len;
	if (keyed && cordon_redactor_replace_value(keyed, CORDON_OP_PSEUDONYM, sub->value, sub->vlen, name, &shown,
						   &len) != CORDON_OK) {
		snprintf(s->err, sizeof(s->err), "%s", cordon_redactor_error(keyed));
		return -1;
	}
	s->printed++;
	if (json) {
		fputs("{\"subject\":", out);
		cli_put_json(out, shown);
		fprintf(out, ",\"entity\":\"%s\",\"kinds\":", name);
		put_kinds(out, sub->kinds, engine, 1);
		fprintf(out, ",\"records\":%llu,\"record_refs\":[", (unsigned long long)sub->records);
		for (uint32_t k = 0; k < sub->nrefs; k++) {
			if (k)
				putc(',', out);
			cli_put_json(out, sub->refs[k]);
		}
		fputs("]}\n", out);
		return 0;
	}
	csv_field(out, shown);
	fprintf(out, ",%s,", name);
	put_kinds(out, sub->kinds, engine, 0);
	fprintf(out, ",%llu,", (unsigned long long)sub->records);
	/* refs joined by ';' inside one field */
	size_t total = 1;
	for (uint32_t k = 0; k < sub->nrefs; k++)
		total += strlen(sub->refs[k]) + 1;
	char *joined = malloc(total);
	if (!joined)
		return -1;
	size_t at = 0;
	for (uint32_t k = 0; k < sub->nrefs; k++) {
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
	return 0;
}

/* Folds b (a later run's) into a: counts add up, refs follow in order. */
static int merge_into(struct subject *a, struct subject *b)
{
	a->records += b->records;
	a->last_seq = b->last_seq;
	a->kinds |= b->kinds;
	for (uint32_t k = 0; k < b->nrefs && a->nrefs < SUBJECT_REFS_MAX; k++) {
		if (CLI_GROW(a->refs, (size_t)a->nrefs + 1, a->caprefs))
			return -1;
		a->refs[a->nrefs++] = b->refs[k];
		b->refs[k] = NULL;
	}
	return 0;
}

int subjects_print(struct subjects *s, FILE *out, int json, cordon_redactor *keyed, const cordon_engine *engine)
{
	end_record(s);
	if (!json)
		fputs("subject,entity,kinds,records,record_refs\n", out);
	if (!s->nruns) {
		if (s->n > 1)
			qsort(s->v, s->n, sizeof(*s->v), by_subject);
		for (size_t i = 0; i < s->n; i++)
			if (print_one(s, &s->v[i], out, json, keyed, engine))
				return -1;
		return ferror(out) ? -1 : 0;
	}
	if (s->n && spill(s))
		return -1;
	/* merge the runs: the smallest subject of all, folded across runs in
	 * their order (earlier records first) */
	for (size_t r = 0; r < s->nruns; r++)
		if ((s->runs[r].have = read_subject(s->runs[r].f, &s->runs[r].cur)) < 0)
			return snprintf(s->err, sizeof(s->err), "cannot read a temporary file back"), -1;
	for (;;) {
		struct subject *least = NULL;
		for (size_t r = 0; r < s->nruns; r++)
			if (s->runs[r].have && (!least || by_subject(&s->runs[r].cur, least) < 0))
				least = &s->runs[r].cur;
		if (!least)
			break;
		struct subject acc = { 0 };
		int first = 1, failed = 0;
		for (size_t r = 0; r < s->nruns; r++) {
			struct run *run = &s->runs[r];
			if (!run->have || (run->cur.value != least->value && by_subject(&run->cur, least)))
				continue;
			if (first) {
				acc = run->cur;
				memset(&run->cur, 0, sizeof(run->cur));
				first = 0;
				least = &acc;
			} else {
				failed |= merge_into(&acc, &run->cur);
				subject_release(&run->cur);
			}
			if ((run->have = read_subject(run->f, &run->cur)) < 0)
				failed = 1;
		}
		failed = failed || print_one(s, &acc, out, json, keyed, engine);
		subject_release(&acc);
		if (failed) {
			if (!*s->err)
				snprintf(s->err, sizeof(s->err), "cannot read a temporary file back");
			return -1;
		}
	}
	return ferror(out) ? -1 : 0;
}
