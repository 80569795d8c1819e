/* The flow log formats cordon access reads, tried in this order on a log's
 * first bytes. A new format: its file, its line here. */
#include "access/access_internal.h"

const struct access_format *const access_formats[] = {
	&access_format_vpc,
	&access_format_nsg,
	&access_format_gcp,
	&access_format_es_audit,
	&access_format_http,
	&access_format_postgres,
	&access_format_mongodb,
	&access_format_mysql,
	NULL,
};
