/* cordon audit semantics, one table per platform: each case is an export and
 * the findings expected on the ports 9200/tcp, 6379/tcp and 11211/tcp+udp,
 * written "PORT/PROTO SEVERITY SOURCES via RULES", joined by "; ". */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "cordon/cordon.h"

struct audit_case {
	const char *name;
	const char *type; /* NULL: detected */
	const char *json;
	const char *want;
};

#define AZ(rules) "{\"name\":\"nsg1\",\"securityRules\":[" rules "]}"
#define R(name, prio, dir, access, proto, src, ports) \
	"{\"name\":\"" name "\",\"priority\":" #prio ",\"direction\":\"" dir "\",\"access\":\"" access \
	"\",\"protocol\":\"" proto "\",\"sourceAddressPrefix\":\"" src "\",\"destinationAddressPrefix\":\"*\"," \
	"\"destinationPortRange\":\"" ports "\"}"

static const struct audit_case azure[] = {
	{ "a deny above an allow hides it", NULL,
	  AZ(R("deny-es", 100, "Inbound", "Deny", "Tcp", "Internet", "9200") ","
	     R("allow-es", 200, "Inbound", "Allow", "Tcp", "*", "9200")),
	  "9200/tcp medium 10.0.0.0/8, 100.64.0.0/10, 172.16.0.0/12, 192.168.0.0/16, fc00::/7 via allow-es" },
	{ "an allow above a deny is not hidden", NULL,
	  AZ(R("allow-es", 100, "Inbound", "Allow", "Tcp", "*", "9200") ","
	     R("deny-all", 200, "Inbound", "Deny", "*", "*", "*")),
	  "9200/tcp high the Internet via allow-es" },
	{ "priority, not file order, decides", NULL,
	  AZ(R("allow-es", 300, "Inbound", "Allow", "Tcp", "0.0.0.0/0", "9200") ","
	     R("deny-es", 100, "Inbound", "Deny", "Tcp", "0.0.0.0/0", "9200")),
	  "" },
	{ "plural fields, 0.0.0.0/0 is the Internet", NULL,
	  "{\"name\":\"nsg1\",\"securityRules\":[{\"name\":\"multi\",\"properties\":{\"priority\":100,"
	  "\"direction\":\"Inbound\",\"access\":\"Allow\",\"protocol\":\"tcp\",\"sourceAddressPrefixes\":"
	  "[\"0.0.0.0/0\",\"::/0\"],\"destinationAddressPrefixes\":[\"10.0.0.4\",\"10.0.0.5\"],"
	  "\"destinationPortRanges\":[\"9200\",\"6379\"]}}]}",
	  "6379/tcp high the Internet via multi; 9200/tcp high the Internet via multi" },
	{ "port * and ranges", NULL,
	  AZ(R("range", 100, "Inbound", "Allow", "Tcp", "Internet", "9000-9300") ","
	     R("star", 110, "Inbound", "Allow", "Udp", "Internet", "*")),
	  "11211/udp high the Internet via star; 9200/tcp high the Internet via range" },
	{ "service tags", NULL,
	  AZ(R("cloud", 100, "Inbound", "Allow", "Tcp", "AzureCloud", "6379") ","
	     R("vnet", 110, "Inbound", "Allow", "Tcp", "VirtualNetwork", "9200") ","
	     R("lb", 120, "Inbound", "Allow", "Tcp", "AzureLoadBalancer", "11211")),
	  "6379/tcp high tag:AzureCloud via cloud; "
	  "9200/tcp medium 10.0.0.0/8, 100.64.0.0/10, 172.16.0.0/12, 192.168.0.0/16, fc00::/7 via vnet" },
	{ "private-only and narrow sources", NULL,
	  AZ(R("office", 100, "Inbound", "Allow", "Tcp", "10.20.0.0/24", "9200") ","
	     R("one-host", 110, "Inbound", "Allow", "Tcp", "203.0.113.7", "6379")),
	  "6379/tcp high 203.0.113.7/32 via one-host" },
	{ "a partial deny leaves the rest of the Internet in", NULL,
	  AZ(R("deny-partner", 100, "Inbound", "Deny", "*", "198.51.100.0/24", "*") ","
	     R("allow-es", 200, "Inbound", "Allow", "Tcp", "Internet", "9200")),
	  "9200/tcp high the Internet except 198.51.100.0/24 via allow-es" },
	{ "UDP only", NULL, AZ(R("mc", 100, "Inbound", "Allow", "UDP", "*", "11211")),
	  "11211/udp high the Internet via mc" },
	{ "outbound rules are ignored", NULL, AZ(R("out", 100, "Outbound", "Allow", "*", "*", "*")), "" },
	{ "default rules only", NULL, "{\"name\":\"nsg1\",\"securityRules\":[]}", "" },
	{ "az nsg list form, a list of NSGs", NULL,
	  "[" AZ(R("a", 100, "Inbound", "Allow", "Tcp", "Internet", "6379")) "]",
	  "6379/tcp high the Internet via a" },
	{ "a list read element by element: brackets and quotes inside strings", NULL,
	  " [ {\"name\":\"n]1\\\"x\",\"securityRules\":[]} ,\n"
	  "{\"name\":\"nsg2\",\"tags\":{\"a\":\"[{,\"},\"securityRules\":["
	  R("b", 100, "Inbound", "Allow", "Tcp", "Internet", "9200") "]} ]\n",
	  "9200/tcp high the Internet via b" },
};

static const struct audit_case aws[] = {
	{ "security group, -1 is every protocol and port", NULL,
	  "{\"SecurityGroups\":[{\"GroupId\":\"sg-1\",\"GroupName\":\"db\",\"IpPermissions\":[{\"IpProtocol\":\"-1\","
	  "\"IpRanges\":[{\"CidrIp\":\"0.0.0.0/0\"}],\"Ipv6Ranges\":[],\"UserIdGroupPairs\":[]}]}]}",
	  "11211/tcp high the IPv4 Internet via IpPermissions[0]; "
	  "11211/udp high the IPv4 Internet via IpPermissions[0]; "
	  "6379/tcp high the IPv4 Internet via IpPermissions[0]; "
	  "9200/tcp high the IPv4 Internet via IpPermissions[0]" },
	{ "security group, ports, IPv6, other groups are not the Internet", NULL,
	  "{\"SecurityGroups\":[{\"GroupId\":\"sg-2\",\"IpPermissions\":["
	  "{\"IpProtocol\":\"tcp\",\"FromPort\":9200,\"ToPort\":9200,\"Ipv6Ranges\":[{\"CidrIpv6\":\"::/0\"}]},"
	  "{\"IpProtocol\":\"tcp\",\"FromPort\":6379,\"ToPort\":6379,\"UserIdGroupPairs\":[{\"GroupId\":\"sg-app\"}],"
	  "\"PrefixListIds\":[{\"PrefixListId\":\"pl-1\"}]}]}]}",
	  "9200/tcp high the IPv6 Internet via IpPermissions[0]" },
	{ "network ACL, rule numbers in order", NULL,
	  "{\"NetworkAcls\":[{\"NetworkAclId\":\"acl-1\",\"Entries\":["
	  "{\"RuleNumber\":200,\"Protocol\":\"6\",\"RuleAction\":\"allow\",\"Egress\":false,\"CidrBlock\":\"0.0.0.0/0\","
	  "\"PortRange\":{\"From\":0,\"To\":65535}},"
	  "{\"RuleNumber\":100,\"Protocol\":\"6\",\"RuleAction\":\"deny\",\"Egress\":false,\"CidrBlock\":\"0.0.0.0/0\","
	  "\"PortRange\":{\"From\":9200,\"To\":9200}},"
	  "{\"RuleNumber\":32767,\"Protocol\":\"-1\",\"RuleAction\":\"deny\",\"Egress\":false,\"CidrBlock\":\"0.0.0.0/0\"}]}]}",
	  "11211/tcp high the IPv4 Internet via 200; 6379/tcp high the IPv4 Internet via 200" },
};

#define FW(fields) "{\"network\":\"https://www.googleapis.com/compute/v1/projects/p/global/networks/default\"," fields "}"

static const struct audit_case gcp[] = {
	{ "no source ranges means 0.0.0.0/0; disabled rules skipped", NULL,
	  "[" FW("\"name\":\"open-es\",\"priority\":1000,\"direction\":\"INGRESS\",\"allowed\":[{\"IPProtocol\":\"tcp\","
		 "\"ports\":[\"9200\"]}]") ","
	  FW("\"name\":\"off\",\"disabled\":true,\"sourceRanges\":[\"0.0.0.0/0\"],\"allowed\":[{\"IPProtocol\":\"all\"}]") "]",
	  "9200/tcp high the IPv4 Internet via open-es" },
	{ "a deny wins a tie; no ports means every port", NULL,
	  "[" FW("\"name\":\"allow-redis\",\"priority\":500,\"sourceRanges\":[\"0.0.0.0/0\"],\"allowed\":[{\"IPProtocol\":\"tcp\"}]") ","
	  FW("\"name\":\"deny-redis\",\"priority\":500,\"sourceRanges\":[\"0.0.0.0/0\"],\"denied\":[{\"IPProtocol\":\"tcp\","
	     "\"ports\":[\"6379\"]}]") "]",
	  "11211/tcp high the IPv4 Internet via allow-redis; 9200/tcp high the IPv4 Internet via allow-redis" },
	{ "target tags: only the tagged instances", NULL,
	  "[" FW("\"name\":\"es-public\",\"sourceRanges\":[\"0.0.0.0/0\"],\"targetTags\":[\"search\"],"
		 "\"allowed\":[{\"IPProtocol\":\"tcp\",\"ports\":[\"9200-9300\"]}]") ","
	  FW("\"name\":\"from-web\",\"sourceTags\":[\"web\"],\"allowed\":[{\"IPProtocol\":\"tcp\",\"ports\":[\"6379\"]}]") "]",
	  "9200/tcp high the IPv4 Internet via es-public @default (instances with search)" },
};

static const unsigned ports[] = { 9200, 6379, 11211 };

/* A finding's rules, ", "-joined. */
static const char *rules_of(const struct cordon_exposure *e)
{
	static char out[1024];
	size_t at = 0;
	out[0] = '\0';
	for (size_t i = 0; i < e->nrules && at < sizeof(out); i++)
		at += (size_t)snprintf(out + at, sizeof(out) - at, "%s%s", i ? ", " : "", e->rules[i]);
	return out;
}

static void run(const struct audit_case *cases, size_t n)
{
	int failures = 0;
	for (size_t i = 0; i < n; i++) {
		cordon_audit *a;
		assert_int_equal(cordon_audit_new(&a), CORDON_OK);
		cordon_code rc = cordon_audit_load(a, "case.json", cases[i].json, strlen(cases[i].json), cases[i].type);
		if (rc != CORDON_OK)
			fail_msg("%s: load: %s", cases[i].name, cordon_audit_error(a));
		const struct cordon_exposure *e;
		size_t ne;
		assert_int_equal(cordon_audit_run(a, &e, &ne), CORDON_OK);
		/* render in a fixed order: port text, then protocol */
		char got[8192] = "", lines[32][256];
		size_t nl = 0;
		for (size_t k = 0; k < ne && nl < 32; k++) {
			int wanted = 0;
			for (size_t p = 0; p < sizeof(ports) / sizeof(*ports); p++)
				wanted |= e[k].port == ports[p];
			if (!wanted)
				continue;
			int gcp_target = strchr(e[k].resource, '(') && strstr(e[k].resource, "with");
			snprintf(lines[nl++], sizeof(lines[0]), "%u/%s %s %s via %s%s%s", e[k].port,
				 e[k].protocol == CORDON_PROTO_UDP ? "udp" : "tcp", cordon_severity_name(e[k].severity),
				 e[k].sources_text, rules_of(&e[k]), gcp_target ? " @" : "", gcp_target ? e[k].resource : "");
		}
		qsort(lines, nl, sizeof(lines[0]), (int (*)(const void *, const void *))strcmp);
		for (size_t k = 0; k < nl; k++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", k ? "; " : "", lines[k]);
		if (strcmp(got, cases[i].want)) {
			fprintf(stderr, "%s:\n  got:  %s\n  want: %s\n", cases[i].name, got, cases[i].want);
			failures++;
		}
		cordon_audit_free(a);
	}
	assert_int_equal(failures, 0);
}

static void test_azure(void **state)
{
	(void)state;
	run(azure, sizeof(azure) / sizeof(*azure));
}

static void test_aws(void **state)
{
	(void)state;
	run(aws, sizeof(aws) / sizeof(*aws));
}

static void test_gcp(void **state)
{
	(void)state;
	run(gcp, sizeof(gcp) / sizeof(*gcp));
}

/* Configurations: files (name, content; a second one optional) and the
 * findings, "PORT/PROTO SEVERITY", joined by "; ". */
static const struct conf_case {
	const char *name, *file, *data, *file2, *data2, *want;
} confs[] = {
	{ "es: security off, all interfaces", "c/elasticsearch.yml",
	  "network.host: 0.0.0.0\nxpack.security.enabled: false\n", NULL, NULL, "9200/tcp high" },
	{ "es: nested keys, loopback", "c/elasticsearch.yml",
	  "network:\n  host: _local_\nxpack:\n  security:\n    enabled: false\n", NULL, NULL, "9200/tcp medium" },
	{ "es: security on", "c/elasticsearch.yml", "network.host: 0.0.0.0\nxpack.security.enabled: true\n", NULL,
	  NULL, "" },
	{ "es: not set (before 8.0: off), http.port", "c/elasticsearch.yml", "http.host: 10.0.0.5\nhttp.port: 9201\n",
	  NULL, NULL, "9201/tcp high" },
	{ "es: anonymous roles", "c/elasticsearch.yml",
	  "network.host: 0.0.0.0\nxpack.security.enabled: true\nxpack.security.authc.anonymous.roles: superuser\n",
	  NULL, NULL, "9200/tcp high" },
	{ "opensearch: plugin disabled", "c/opensearch.yml", "network.host: 0.0.0.0\nplugins.security.disabled: true\n",
	  NULL, NULL, "9200/tcp high" },
	{ "redis: bind everywhere, protected mode off", "c/redis.conf", "bind 0.0.0.0\nprotected-mode no\n", NULL,
	  NULL, "6379/tcp high" },
	{ "redis: requirepass", "c/redis.conf", "bind 0.0.0.0\nrequirepass s3cret\n", NULL, NULL, "" },
	{ "redis: ACL nopass on default beats requirepass", "c/redis.conf",
	  "bind 0.0.0.0\nrequirepass s3cret\nuser default on nopass ~* +@all\n", NULL, NULL, "6379/tcp high" },
	{ "redis: another user without password", "c/redis.conf",
	  "bind 10.0.0.4\nrequirepass s3cret\nuser app on nopass ~cache:* +get\n", NULL, NULL, "6379/tcp high" },
	{ "redis: no bind, protected mode on by default", "c/redis.conf", "port 6380\n", NULL, NULL,
	  "6380/tcp medium" },
	{ "redis: no bind, protected mode off", "c/redis.conf", "protected-mode no\n", NULL, NULL, "6379/tcp high" },
	{ "pg_hba: trust from everywhere", "c/pg_hba.conf",
	  "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all 0.0.0.0/0 trust\n", NULL, NULL,
	  "5432/tcp high" },
	{ "pg_hba: trust with address and mask columns", "c/pg_hba.conf",
	  "host all all 10.0.0.0 255.0.0.0 trust\n", NULL, NULL, "5432/tcp high" },
	{ "pg_hba: passwords", "c/pg_hba.conf", "host all all 0.0.0.0/0 scram-sha-256\n", NULL, NULL, "" },
	{ "pg_hba with postgresql.conf listening on localhost", "c/pg_hba.conf", "host all all 0.0.0.0/0 trust\n",
	  "c/postgresql.conf", "listen_addresses = 'localhost'\nport = 5433\n", "5433/tcp medium" },
	{ "mongod: authorization off, bindIpAll", "c/mongod.conf",
	  "net:\n  bindIpAll: true\nsecurity:\n  authorization: disabled\n", NULL, NULL, "27017/tcp high" },
	{ "mongod: authorization not set, bindIp list", "c/mongod.conf", "net:\n  bindIp: 127.0.0.1,10.1.2.3\n", NULL,
	  NULL, "27017/tcp high" },
	{ "mongod: authorization on", "c/mongod.conf", "net:\n  bindIpAll: true\nsecurity:\n  authorization: enabled\n",
	  NULL, NULL, "" },
	{ "my.cnf: skip-grant-tables", "c/my.cnf", "[mysqld]\nbind-address = 0.0.0.0\nskip-grant-tables\n", NULL, NULL,
	  "3306/tcp high" },
	{ "my.cnf: skip_grant_tables, skip-networking", "c/my.cnf", "[mariadb]\nskip_grant_tables\nskip-networking\n",
	  NULL, NULL, "3306/tcp medium" },
	{ "my.cnf: grants on", "c/my.cnf", "[mysqld]\nbind-address = 0.0.0.0\n", NULL, NULL, "" },
	{ "memcached: loopback, no UDP", "c/memcached.conf", "-m 64\n-p 11211\n-l 127.0.0.1\n", NULL, NULL,
	  "11211/tcp medium" },
	{ "memcached: OPTIONS line, UDP on", "c/memcached", "OPTIONS=\"-l 0.0.0.0 -U 11211\"\n", NULL, NULL,
	  "11211/tcp high; 11211/udp high" },
	{ "memcached: SASL", "c/memcached.conf", "-S\n-l 0.0.0.0\n", NULL, NULL, "" },
};

static void test_configs(void **state)
{
	(void)state;
	int failures = 0;
	for (size_t i = 0; i < sizeof(confs) / sizeof(*confs); i++) {
		cordon_audit *a;
		assert_int_equal(cordon_audit_new(&a), CORDON_OK);
		const struct conf_case *c = &confs[i];
		if (c->file2)
			assert_int_equal(cordon_audit_load(a, c->file2, c->data2, strlen(c->data2), NULL), CORDON_OK);
		if (cordon_audit_load(a, c->file, c->data, strlen(c->data), NULL) != CORDON_OK)
			fail_msg("%s: %s", c->name, cordon_audit_error(a));
		const struct cordon_exposure *e;
		size_t ne;
		assert_int_equal(cordon_audit_run(a, &e, &ne), CORDON_OK);
		char got[512] = "";
		for (size_t k = 0; k < ne; k++) {
			assert_string_equal(e[k].kind, "unauthenticated_config");
			assert_true(*e[k].rule);
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%u/%s %s", k ? "; " : "", e[k].port,
				 e[k].protocol == CORDON_PROTO_UDP ? "udp" : "tcp", cordon_severity_name(e[k].severity));
		}
		if (strcmp(got, c->want)) {
			fprintf(stderr, "%s:\n  got:  %s\n  want: %s\n", c->name, got, c->want);
			failures++;
		}
		cordon_audit_free(a);
	}
	assert_int_equal(failures, 0);
}

/* The inventory: an Internet exposure becomes critical when the asset says,
 * or its config says, there is no authentication. */
static void test_inventory(void **state)
{
	(void)state;
	cordon_audit *a;
	assert_int_equal(cordon_audit_new(&a), CORDON_OK);
	const char *nsg = AZ(R("open", 100, "Inbound", "Allow", "Tcp", "Internet", "*"));
	const char *es = "network.host: 0.0.0.0\nxpack.security.enabled: false\n";
	assert_int_equal(cordon_audit_load(a, "nsg.json", nsg, strlen(nsg), NULL), CORDON_OK);
	assert_int_equal(cordon_audit_load(a, "es/elasticsearch.yml", es, strlen(es), NULL), CORDON_OK);
	const char *guard[] = { "nsg1" };
	struct cordon_asset search = { .name = "search", .guarded_by = guard, .nguarded = 1, .port = 9200,
				       .config = "es/elasticsearch.yml", .sensitivity = "PII" };
	struct cordon_asset cache = { .name = "cache", .guarded_by = guard, .nguarded = 1, .port = 6379, .no_auth = 1 };
	struct cordon_asset pg = { .name = "pg", .guarded_by = guard, .nguarded = 1, .port = 5432 };
	assert_int_equal(cordon_audit_add_asset(a, &search), CORDON_OK);
	assert_int_equal(cordon_audit_add_asset(a, &cache), CORDON_OK);
	assert_int_equal(cordon_audit_add_asset(a, &pg), CORDON_OK);
	const struct cordon_exposure *e;
	size_t ne;
	assert_int_equal(cordon_audit_run(a, &e, &ne), CORDON_OK);
	int seen = 0;
	for (size_t k = 0; k < ne; k++) {
		if (strcmp(e[k].kind, "network_exposure"))
			continue;
		if (e[k].port == 9200 || e[k].port == 6379) {
			assert_int_equal(e[k].severity, CORDON_SEV_CRITICAL);
			assert_string_equal(e[k].asset, e[k].port == 9200 ? "search" : "cache");
			seen++;
		} else if (e[k].port == 5432) {
			assert_int_equal(e[k].severity, CORDON_SEV_HIGH); /* auth unknown */
			assert_string_equal(e[k].asset, "pg");
		} else {
			assert_int_equal(e[k].severity, CORDON_SEV_HIGH);
			assert_null(e[k].asset);
		}
	}
	assert_int_equal(seen, 2);
	assert_int_equal(e[0].severity, CORDON_SEV_CRITICAL); /* worst first */
	cordon_audit_free(a);
}

/* Layers: behind a subnet NSG and a NIC NSG, only what passes both gets in;
 * a network ACL and a security group likewise. */
static void test_layers(void **state)
{
	(void)state;
	cordon_audit *a;
	assert_int_equal(cordon_audit_new(&a), CORDON_OK);
	const char *subnet = "{\"name\":\"nsg-subnet\",\"securityRules\":["
		R("web-and-db", 100, "Inbound", "Allow", "Tcp", "Internet", "*") "]}";
	const char *nic = "{\"name\":\"nsg-nic\",\"securityRules\":["
		R("no-es", 100, "Inbound", "Deny", "Tcp", "Internet", "9200") ","
		R("redis-partner", 200, "Inbound", "Allow", "Tcp", "203.0.113.0/24", "6379") "]}";
	const char *acl = "{\"NetworkAcls\":[{\"NetworkAclId\":\"acl-1\",\"Entries\":["
			  "{\"RuleNumber\":100,\"Protocol\":\"-1\",\"RuleAction\":\"allow\",\"Egress\":false,"
			  "\"CidrBlock\":\"198.51.100.0/24\"}]}]}";
	const char *sg = "{\"SecurityGroups\":[{\"GroupId\":\"sg-1\",\"GroupName\":\"db\",\"IpPermissions\":["
			 "{\"IpProtocol\":\"tcp\",\"FromPort\":5432,\"ToPort\":5432,\"IpRanges\":[{\"CidrIp\":\"0.0.0.0/0\"}]}]}]}";
	assert_int_equal(cordon_audit_load(a, "subnet.json", subnet, strlen(subnet), NULL), CORDON_OK);
	assert_int_equal(cordon_audit_load(a, "nic.json", nic, strlen(nic), NULL), CORDON_OK);
	assert_int_equal(cordon_audit_load(a, "acl.json", acl, strlen(acl), NULL), CORDON_OK);
	assert_int_equal(cordon_audit_load(a, "sg.json", sg, strlen(sg), NULL), CORDON_OK);
	const char *az_layers[] = { "nsg-subnet", "nsg-nic" }, *aws_layers[] = { "acl-1", "sg-1" };
	struct cordon_asset vm = { .name = "db-vm", .guarded_by = az_layers, .nguarded = 2 };
	struct cordon_asset rds = { .name = "pg", .guarded_by = aws_layers, .nguarded = 2, .port = 5432, .no_auth = 1 };
	assert_int_equal(cordon_audit_add_asset(a, &vm), CORDON_OK);
	assert_int_equal(cordon_audit_add_asset(a, &rds), CORDON_OK);
	const struct cordon_exposure *e;
	size_t ne;
	assert_int_equal(cordon_audit_run(a, &e, &ne), CORDON_OK);
	int redis = 0, pg = 0;
	for (size_t k = 0; k < ne; k++) {
		if (!strcmp(e[k].resource, "nsg-subnet") || !strcmp(e[k].resource, "nsg-nic"))
			fail_msg("port %u judged through one layer of db-vm", e[k].port);
		if (e[k].port == 9200 && strstr(e[k].resource, "nsg"))
			fail_msg("9200 is denied on the NIC: found via %s", rules_of(&e[k]));
		if (e[k].port == 6379 && e[k].asset && !strcmp(e[k].asset, "db-vm")) {
			assert_string_equal(e[k].resource, "nsg-subnet > nsg-nic");
			assert_string_equal(e[k].sources_text, "203.0.113.0/24");
			assert_string_equal(e[k].asset, "db-vm");
			redis++;
		}
		if (e[k].port == 5432 && e[k].asset && !strcmp(e[k].asset, "pg")) {
			assert_string_equal(e[k].resource, "acl-1 > sg-1 (db)");
			assert_string_equal(e[k].sources_text, "198.51.100.0/24");
			assert_int_equal(e[k].severity, CORDON_SEV_CRITICAL);
			pg++;
		}
	}
	assert_int_equal(redis, 1);
	assert_int_equal(pg, 1);
	cordon_audit_free(a);
}

/* NIC exports pair a NIC's NSG with its subnet's: Azure checks both. */
static void test_nic_association(void **state)
{
	(void)state;
	cordon_audit *a;
	assert_int_equal(cordon_audit_new(&a), CORDON_OK);
	const char *subnet = "{\"name\":\"nsg-subnet\",\"properties\":{\"subnets\":[{\"id\":"
			     "\"/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/snet-db\"}],"
			     "\"securityRules\":[" R("open", 100, "Inbound", "Allow", "Tcp", "Internet", "*") "]}}";
	const char *nicnsg = "{\"name\":\"nsg-nic\",\"securityRules\":["
			     R("no-es", 100, "Inbound", "Deny", "Tcp", "*", "9200") ","
			     R("redis", 110, "Inbound", "Allow", "Tcp", "Internet", "6379") "]}";
	const char *nics = "[{\"name\":\"nic-es\",\"networkSecurityGroup\":{\"id\":\"/x/networkSecurityGroups/nsg-nic\"},"
			   "\"ipConfigurations\":[{\"name\":\"ipconfig1\",\"subnet\":{\"id\":"
			   "\"/SUBSCRIPTIONS/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/SNET-DB\"}}]},"
			   "{\"name\":\"nic-bare\",\"ipConfigurations\":[]}]";
	assert_int_equal(cordon_audit_load(a, "nics.json", nics, strlen(nics), NULL), CORDON_OK);
	assert_int_equal(cordon_audit_load(a, "subnet.json", subnet, strlen(subnet), NULL), CORDON_OK);
	assert_int_equal(cordon_audit_load(a, "nic.json", nicnsg, strlen(nicnsg), NULL), CORDON_OK);
	const struct cordon_exposure *e;
	size_t ne;
	assert_int_equal(cordon_audit_run(a, &e, &ne), CORDON_OK);
	int redis = 0;
	for (size_t k = 0; k < ne; k++) {
		if (!strcmp(e[k].resource, "nsg-subnet") || !strcmp(e[k].resource, "nsg-nic"))
			fail_msg("port %u judged through one NSG of nic-es", e[k].port);
		if (e[k].port == 9200)
			fail_msg("9200 is denied on the NIC");
		if (e[k].port == 6379) {
			assert_string_equal(e[k].resource, "nsg-subnet > nsg-nic");
			assert_string_equal(e[k].asset, "nic-es");
			assert_string_equal(e[k].sources_text, "the Internet");
			redis++;
		}
	}
	assert_int_equal(redis, 1);
	assert_int_equal(ne, 1); /* everything else the subnet lets in, the NIC does not */
	cordon_audit_free(a);

	/* a second NIC on the subnet without an NSG: the subnet's NSG alone
	 * guards it, so the subnet is judged by itself too */
	assert_int_equal(cordon_audit_new(&a), CORDON_OK);
	const char *bare = "{\"name\":\"nic-web\",\"ipConfigurations\":[{\"subnet\":{\"id\":"
			   "\"/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/snet-db\"}}]}";
	assert_int_equal(cordon_audit_load(a, "nics.json", nics, strlen(nics), NULL), CORDON_OK);
	assert_int_equal(cordon_audit_load(a, "bare.json", bare, strlen(bare), NULL), CORDON_OK);
	assert_int_equal(cordon_audit_load(a, "subnet.json", subnet, strlen(subnet), NULL), CORDON_OK);
	assert_int_equal(cordon_audit_load(a, "nic.json", nicnsg, strlen(nicnsg), NULL), CORDON_OK);
	assert_int_equal(cordon_audit_run(a, &e, &ne), CORDON_OK);
	int subnet_es = 0;
	for (size_t k = 0; k < ne; k++)
		subnet_es += !strcmp(e[k].resource, "nsg-subnet") && e[k].port == 9200;
	assert_int_equal(subnet_es, 1);
	cordon_audit_free(a);
}

static void test_errors(void **state)
{
	(void)state;
	static const struct {
		const char *json, *type, *message;
	} bad[] = {
		{ "{", NULL, "not JSON" },
		{ "{\"hello\":1}", NULL, "not an export cordon audit knows" },
		{ AZ(R("x", 100, "Inbound", "Allow", "Tcp", "*", "92OO")), NULL, "rule x: destinationPortRange is '92OO'" },
		/* every field the walk depends on is checked: a guess could hide an exposure */
		{ AZ("{\"name\":\"d\",\"priority\":\"[variables('p')]\",\"direction\":\"Inbound\",\"access\":\"Deny\","
		     "\"protocol\":\"*\",\"sourceAddressPrefix\":\"*\",\"destinationPortRange\":\"*\"}"),
		  NULL, "rule d: priority is '[variables('p')]': give a number from 100 to 4096" },
		{ AZ(R("x", 0, "Inbound", "Deny", "*", "*", "*")), NULL, "rule x: priority is 0" },
		{ AZ(R("x", 4097, "Inbound", "Deny", "*", "*", "*")), NULL, "rule x: priority is 4097" },
		{ AZ(R("x", 100, "Inbound", "Allow", "Tcp", "300.1.1.1", "9200")), NULL,
		  "rule x: sourceAddressPrefix is '300.1.1.1'" },
		{ AZ(R("x", 100, "Inbound", "Deny", "Tcp", "10.0.0.0/33", "9200")), NULL,
		  "rule x: sourceAddressPrefix is '10.0.0.0/33'" },
		{ AZ(R("x", 100, "Inbound", "Deny", "Tcp", "fe80::1%eth0", "9200")), NULL,
		  "rule x: sourceAddressPrefix is 'fe80::1%eth0'" },
		{ AZ(R("x", 100, "Inbound", "Allow", "Tcp", "*", "9200-70000")), NULL, "destinationPortRange is '9200-70000'" },
		{ AZ(R("x", 100, "Inbound", "Allow", "Tcp", "*", "9300-9200")), NULL, "destinationPortRange is '9300-9200'" },
		{ "{\"name\":\"n\",\"securityRules\":{\"a\":1}}", NULL, "securityRules is not a list" },
		{ AZ("42"), NULL, "security rule 1 is not an object" },
		{ AZ(R("a", 100, "Inbound", "Deny", "*", "*", "*") "," R("b", 100, "Inbound", "Allow", "*", "*", "*")), NULL,
		  "rules a and b have the same priority 100" },
		{ AZ(R("x", 100, "Sideways", "Allow", "*", "*", "*")), NULL, "direction is 'Sideways'" },
		{ "[{\"name\":\"fw\",\"network\":\"n\",\"priority\":\"high\",\"allowed\":[{\"IPProtocol\":\"tcp\"}]}]",
		  NULL, "firewall rule fw (entry 0): priority is 'high'" },
		{ "[{\"name\":\"fw\",\"network\":\"n\",\"priority\":-1,\"allowed\":[{\"IPProtocol\":\"tcp\"}]}]",
		  NULL, "priority is -1" },
		{ "[{\"name\":\"fw\",\"network\":\"n\",\"allowed\":{\"IPProtocol\":\"tcp\"}}]", NULL,
		  "allowed is an object" },
		{ "[{\"name\":\"fw\",\"network\":\"n\",\"allowed\":[{\"IPProtocol\":\"tcp\"}],\"targetTags\":[7]}]",
		  NULL, "targetTags is 7" },
		{ "[{\"name\":\"fw\",\"network\":\"n\",\"allowed\":[{\"IPProtocol\":\"tcp\"}],\"sourceRanges\":\"0.0.0.0/0\"}]",
		  NULL, "sourceRanges is '0.0.0.0/0'" },
		{ "{\"SecurityGroups\":[{\"GroupId\":\"sg-1\",\"IpPermissions\":[{\"IpProtocol\":\"tcp\",\"FromPort\":\"x\","
		  "\"ToPort\":9200,\"IpRanges\":[{\"CidrIp\":\"0.0.0.0/0\"}]}]}]}", NULL, "FromPort is 'x'" },
		{ "{\"SecurityGroups\":[{\"GroupId\":\"sg-1\",\"IpPermissions\":{}}]}", NULL, "IpPermissions is not a list" },
		{ "{\"SecurityGroups\":[{\"GroupId\":\"sg-1\",\"IpPermissions\":[{\"IpProtocol\":\"-1\",\"IpRanges\":"
		  "[{\"CidrIp\":\"1.2.3.4/40\"}]}]}]}", NULL, "IpRanges.CidrIp is '1.2.3.4/40'" },
		{ "{\"NetworkAcls\":[{\"NetworkAclId\":\"acl-1\",\"Entries\":[{\"RuleNumber\":\"10\",\"RuleAction\":\"allow\","
		  "\"Protocol\":\"-1\",\"Egress\":false,\"CidrBlock\":\"0.0.0.0/0\"},{\"RuleNumber\":10,\"RuleAction\":\"deny\","
		  "\"Protocol\":\"-1\",\"Egress\":false,\"CidrBlock\":\"0.0.0.0/0\"}]}]}", NULL, "two inbound entries have RuleNumber 10" },
		{ AZ(R("x", 100, "Inbound", "Maybe", "Tcp", "*", "9200")), NULL, "access is 'Maybe': give Allow or Deny" },
		{ AZ(R("x", 100, "Inbound", "Allow", "Carrier-Pigeon", "*", "9200")), NULL, "unknown protocol" },
		{ "{\"SecurityGroups\":[]}", "azure-nsg", "not an NSG" },
		{ "[]", "gopher", "unknown type 'gopher'" },
		{ "[" AZ("") ",\n{\"name\":\"b\",]", NULL, "not JSON (string or '}' expected near ']' at line 2), and its name is not that of a data-store configuration; name its type (azure-nsg, azure-nic" },
		{ "net: [", "mongod", "not YAML" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		cordon_audit *a;
		assert_int_equal(cordon_audit_new(&a), CORDON_OK);
		cordon_code rc = cordon_audit_load(a, "bad.json", bad[i].json, strlen(bad[i].json), bad[i].type);
		if (rc != CORDON_ERR_PARSE)
			fail_msg("case %zu: loaded with code %d, not refused", i, (int)rc);
		if (!strstr(cordon_audit_error(a), bad[i].message))
			fail_msg("case %zu: '%s' does not say '%s'", i, cordon_audit_error(a), bad[i].message);
		cordon_audit_free(a);
	}
	/* a binary file is no config, whatever --type says */
	static const char binary[] = "requirepass x\n\0\x01\x02";
	cordon_audit *a;
	assert_int_equal(cordon_audit_new(&a), CORDON_OK);
	assert_int_equal(cordon_audit_load(a, "bin", binary, sizeof(binary) - 1, "redis"), CORDON_ERR_PARSE);
	assert_non_null(strstr(cordon_audit_error(a), "binary data (a NUL byte at byte 14), not a redis configuration"));
	cordon_audit_free(a);
}

/* 300 source groups in one security group (a table of 256 stopped this
 * with "out of memory"), and 70,000 distinct names over many groups. */
static void test_many_names(void **state)
{
	(void)state;
	for (int round = 0; round < 2; round++) {
		size_t groups = round ? 700 : 1, pairs = round ? 100 : 300;
		size_t cap = 64 + groups * (160 + pairs * 40);
		char *json = malloc(cap), *o = json;
		assert_non_null(json);
		o += snprintf(o, cap, "{\"SecurityGroups\":[");
		for (size_t g = 0; g < groups; g++) {
			o += snprintf(o, cap - (size_t)(o - json), "%s{\"GroupId\":\"sg-%zu\",\"IpPermissions\":[{\"IpProtocol\":"
				      "\"tcp\",\"FromPort\":9200,\"ToPort\":9200,\"IpRanges\":[{\"CidrIp\":\"203.0.113.%zu/32\"}],"
				      "\"UserIdGroupPairs\":[", g ? "," : "", g, g % 250 + 1);
			for (size_t p = 0; p < pairs; p++)
				o += snprintf(o, cap - (size_t)(o - json), "%s{\"GroupId\":\"sg-src-%zu-%zu\"}", p ? "," : "", g, p);
			o += snprintf(o, cap - (size_t)(o - json), "]}]}");
		}
		o += snprintf(o, cap - (size_t)(o - json), "]}");
		cordon_audit *a;
		const struct cordon_exposure *e;
		size_t ne;
		assert_int_equal(cordon_audit_new(&a), CORDON_OK);
		if (cordon_audit_load(a, "sg.json", json, (size_t)(o - json), NULL) != CORDON_OK)
			fail_msg("round %d: %s", round, cordon_audit_error(a));
		assert_int_equal(cordon_audit_run(a, &e, &ne), CORDON_OK);
		assert_int_equal(ne, groups);
		assert_string_equal(e[0].severity == CORDON_SEV_HIGH ? "high" : "?", "high");
		cordon_audit_free(a);
		free(json);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_azure),
		cmocka_unit_test(test_aws),
		cmocka_unit_test(test_gcp),
		cmocka_unit_test(test_configs),
		cmocka_unit_test(test_inventory),
		cmocka_unit_test(test_layers),
		cmocka_unit_test(test_nic_association),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_many_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
