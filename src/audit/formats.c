/* The export formats cordon audit reads, tried in this order when the type
 * is not given. Adding one: its file in src/audit/, one line here. */
#include "audit/conf.h"
#include "audit/model.h"

extern const struct audit_format format_azure_nsg, format_azure_nic, format_aws_sg, format_aws_nacl,
	format_gcp_firewall;

extern const struct conf_format conf_elasticsearch, conf_redis, conf_pg_hba, conf_postgresql, conf_mongod,
	conf_mysql, conf_memcached;

/* Data-store configuration files, told apart by file name (or --type). */
const struct conf_format *const conf_formats[] = {
	&conf_elasticsearch,
	&conf_redis,
	&conf_pg_hba,
	&conf_postgresql,
	&conf_mongod,
	&conf_mysql,
	&conf_memcached,
	NULL,
};

const struct audit_format *const audit_formats[] = {
	&format_azure_nsg,
	&format_azure_nic,
	&format_aws_sg,
	&format_aws_nacl,
	&format_gcp_firewall,
	NULL,
};
