/* Field names that say what their value is: the keys and column names of
 * CRM, ticketing, directory and payment exports (Salesforce, ServiceNow,
 * Zendesk, Azure AD, Stripe), in English and a few other languages. */
#include <stdint.h>
#include <string.h>
#include "detect/wordset.h"
#include "records/field_names.h"

/* Keys squashed: ASCII letters lowercased, only letters and digits kept. */
static const char *const person_keys[] = {
	"firstname", "lastname", "givenname", "familyname", "surname", "fullname", "middlename", "forename",
	"customername", "contactname", "clientname", "callername", "requestername", "requestorname",
	"reportername", "submittername", "cardholdername", "cardholder", "accountholder", "accountholdername",
	"holdername", "nameoncard", "employeename", "personname", "patientname", "authorname", "sendername",
	"recipientname", "ownername", "assigneename", "agentname", "applicantname", "tenantname",
	"beneficiaryname", "payeename", "billingname", "shippingname", "vorname", "nachname", "familienname",
	"prenom", "apellido", "apellidos", "cognome", "sobrenome",
	/* who did something to the case, as a ticket names them (not
	 * "customer", "owner" or "user": an organisation or an account id
	 * as often as a person) */
	"agent", "assignee", "assignedto", "requester", "requestor", "reporter", "caller", "author", "sender",
	"recipient", "createdby", "modifiedby", "updatedby", "requestedby", "openedby", "resolvedby", "closedby",
	"approver", "contactperson", "employee", "patient", "applicant", "tenant", "payee", "beneficiary", NULL
};
/* The objects whose "name" (or "displayName") is a person's. */
static const char *const person_parents[] = {
	"customer", "contact", "client", "caller", "requester", "requestor", "reporter", "submitter",
	"cardholder", "holder", "accountholder", "employee", "person", "patient", "user", "author", "sender",
	"recipient", "owner", "assignee", "agent", "member", "applicant", "tenant", "beneficiary", "payee",
	"from", "to", "cc", "bcc", "replyto", "billing", "shipping", "emergencycontact", "spouse", "manager",
	"approver", "creator", "createdby", "modifiedby", "updatedby", "requestedby", "assignedto", "openedby",
	"resolvedby", "closedby", "billingdetails", "shippingdetails", "customerdetails", "contactdetails", NULL
};
static const char *const person_name_keys[] = { "name", "displayname", NULL };
static const char *const location_keys[] = {
	"city", "town", "village", "locality", "municipality", "street", "streetaddress", "streetname",
	"address", "address1", "address2", "address3", "addressline", "addressline1", "addressline2",
	"addressline3", "addr", "addr1", "addr2", "homeaddress", "billingaddress", "shippingaddress",
	"mailingaddress", "postaladdress", "residentialaddress", "deliveryaddress", "postalcode", "postcode",
	"zip", "zipcode", "plz", "ort", "stadt", "strasse", "ville", "ciudad", "cidade", NULL
};
/* The objects that are an address, and their parts (not the country: an
 * analytics dimension, no one's place). */
static const char *const address_parents[] = {
	"address", "addresses", "billingaddress", "shippingaddress", "homeaddress", "mailingaddress",
	"postaladdress", "residentialaddress", "deliveryaddress", "residence", NULL
};
static const char *const address_parts[] = {
	"state", "province", "region", "county", "district", "line1", "line2", "line3", "line", "street",
	"streetnumber", "housenumber", "houseno", "building", "unit", "apartment", "apt", "suite", "floor", NULL
};
static const char *const phone_keys[] = {
	"phone", "phonenumber", "phoneno", "telephone", "telephonenumber", "tel", "mobile", "mobilephone",
	"mobilenumber", "cell", "cellphone", "fax", "faxnumber", "homephone", "workphone", "businessphone",
	"contactnumber", "contactphone", "msisdn", "telefon", "telefono", "telefone", "handy", NULL
};
/* Values that stand for none. */
static const char *const placeholders[] = {
	"null", "none", "n/a", "na", "unknown", "tbd", "-", "--", "redacted", "anonymous", "undefined", NULL
};

enum { KEY_MAX = 40 };

static size_t squash(const char *s, size_t n, char out[KEY_MAX])
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c | 0x20);
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			continue;
		if (k == KEY_MAX)
			return 0;
		out[k++] = (char)c;
	}
	return k;
}

/* Asked for every value of every record: hashed, not walked. */
static struct wordset person_key_set = WORDSET(person_keys), person_parent_set = WORDSET(person_parents),
		      person_name_set = WORDSET(person_name_keys), location_key_set = WORDSET(location_keys),
		      address_parent_set = WORDSET(address_parents), address_part_set = WORDSET(address_parts),
		      phone_key_set = WORDSET(phone_keys),
		      placeholder_set = WORDSET(placeholders);

static int listed(struct wordset *set, const char *w, size_t n)
{
	return wordset_has(set, (const uchar *)w, n);
}

/* Words exports write before a field's own name: whose it is or what kind
 * ("MailingCity", "billing_postal_code", "HomePhone", "customer_first_name",
 * "OtherStreet"). The first six say an address: the parts of an address
 * ("state", "region") count after them too. */
static const char *const qualifiers[] = {
	"mailing", "billing", "shipping", "postal", "delivery", "residential", "home", "work", "business",
	"office", "other", "primary", "secondary", "alternate", "alt", "current", "permanent", "personal",
	"contact", "customer", "client", "caller", "requester", "owner", "employee", "emergency", NULL
};
enum { ADDRESS_QUALIFIERS = 6 };

static cordon_entity squashed_entity(const char *k, size_t kn, const char *p, size_t pn);

/* The entity of the key k (squashed) after a qualifier, or none. */
static cordon_entity qualified_entity(const char *k, size_t kn)
{
	for (size_t q = 0; qualifiers[q]; q++) {
		size_t n = strlen(qualifiers[q]);
		if (kn <= n + 2 || memcmp(k, qualifiers[q], n))
			continue;
		cordon_entity e = squashed_entity(k + n, kn - n, NULL, 0);
		if (e == CORDON_ENTITY_COUNT && q < ADDRESS_QUALIFIERS && listed(&address_part_set, k + n, kn - n))
			e = CORDON_LOCATION;
		return e;
	}
	return CORDON_ENTITY_COUNT;
}

static cordon_entity name_entity(const char *key, size_t len, const char *parent, size_t parent_len)
{
	char k[KEY_MAX], p[KEY_MAX];
	size_t kn = key ? squash(key, len, k) : 0, pn = parent ? squash(parent, parent_len, p) : 0;
	if (!kn)
		return CORDON_ENTITY_COUNT;
	cordon_entity e = squashed_entity(k, kn, p, pn);
	return e == CORDON_ENTITY_COUNT ? qualified_entity(k, kn) : e;
}

static cordon_entity squashed_entity(const char *k, size_t kn, const char *p, size_t pn)
{
	if (listed(&person_key_set, k, kn) ||
	    (pn && listed(&person_name_set, k, kn) && listed(&person_parent_set, p, pn)))
		return CORDON_PERSON;
	if (listed(&location_key_set, k, kn) ||
	    (pn && listed(&address_part_set, k, kn) && listed(&address_parent_set, p, pn)))
		return CORDON_LOCATION;
	if (listed(&phone_key_set, k, kn))
		return CORDON_PHONE_NUMBER;
	return CORDON_ENTITY_COUNT;
}

/* The answers for the names asked last, by their bytes as written: every
 * record of an export has the same few keys, and a hit costs a hash and a
 * compare, not the squashing and three or four lookups. Each thread has
 * its own. */
enum { MEMO_SLOTS = 128, MEMO_BYTES = 62 };
struct name_memo {
	uint64_t kh, ph;                /* their first eight bytes (pack_head8) */
	unsigned char klen, plen, have; /* have: 1 + the answer's index (0: empty) */
	char bytes[MEMO_BYTES];         /* key, then parent */
};
static _Thread_local struct name_memo memo[MEMO_SLOTS];

cordon_entity field_name_entity(const char *key, size_t len, const char *parent, size_t parent_len)
{
	if (!parent)
		parent_len = 0;
	if (!key || len + parent_len > MEMO_BYTES)
		return name_entity(key, len, parent, parent_len);
	/* hashed by their first eight bytes and lengths; compared whole */
	uint64_t kh = pack_head8((const uchar *)key, len, 1), ph = pack_head8((const uchar *)parent, parent_len, 1);
	uint64_t h = (kh * 0x9E3779B97F4A7C15ull) ^ (ph * 0xC2B2AE3D27D4EB4Full) ^ (len << 8 | parent_len);
	struct name_memo *m = &memo[(h * 0x165667B19E3779F9ull) >> 57];
	if (m->have && m->kh == kh && m->ph == ph && m->klen == len && m->plen == parent_len &&
	    (len <= 8 || !memcmp(m->bytes + 8, key + 8, len - 8)) &&
	    (parent_len <= 8 || !memcmp(m->bytes + len + 8, parent + 8, parent_len - 8)))
		return (cordon_entity)(m->have - 1);
	cordon_entity e = name_entity(key, len, parent, parent_len);
	m->kh = kh;
	m->ph = ph;
	memcpy(m->bytes, key, len);
	if (parent_len)
		memcpy(m->bytes + len, parent, parent_len);
	m->klen = (unsigned char)len;
	m->plen = (unsigned char)parent_len;
	m->have = (unsigned char)(e + 1);
	return e;
}

int field_value_fits(cordon_entity entity, const char *text, size_t start, size_t end)
{
	const unsigned char *s = (const unsigned char *)text;
	if (end <= start || end - start > (entity == CORDON_PERSON ? 100u : 200u))
		return 0;
	size_t n = end - start;
	if (wordset_has(&placeholder_set, s + start, n))
		return 0;
	if (s[start] == '[' || s[start] == '<' || s[start] == '{')
		return 0; /* a token or markup, not a value */
	int letters = 0, digits = 0, words = 1;
	for (size_t i = start; i < end; i++) {
		unsigned char c = s[i];
		if (c == '@' || c < 0x20)
			return 0;
		letters |= ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c >= 0x80;
		digits |= c >= '0' && c <= '9';
		words += c == ' ' && i > start && s[i - 1] != ' ';
	}
	if (entity == CORDON_PERSON)
		return letters && !digits && words <= 8;
	if (entity == CORDON_PHONE_NUMBER) {
		/* digits as a phone's are written: 5-15 of them, blanks, + ( ) - .
		 * / between, an extension after ("x204", "ext. 204") */
		size_t nd = 0, i = start;
		for (; i < end; i++) {
			unsigned char c = s[i];
			if (c >= '0' && c <= '9')
				nd++;
			else if (!(c == ' ' || c == '+' || c == '(' || c == ')' || c == '-' || c == '.' || c == '/'))
				break;
		}
		if (i < end) { /* the rest: an extension */
			size_t r = i;
			while (r < end && ((s[r] | 0x20) == 'e' || (s[r] | 0x20) == 'x' || (s[r] | 0x20) == 't' || s[r] == '.' ||
					   s[r] == ' '))
				r++;
			if (r == i || r == end)
				return 0;
			while (r < end && s[r] >= '0' && s[r] <= '9')
				r++;
			if (r != end)
				return 0;
		}
		return nd >= 5 && nd <= 15;
	}
	return (letters || digits) && !memmem(text + start, n, "://", 3);
}
