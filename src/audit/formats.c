/* The export formats cordon audit reads, tried in this order when the type
 * is not given. Adding one: its file in src/audit/, one line here. */
#include "audit/model.h"

extern const struct audit_format format_azure_nsg, format_aws_sg, format_aws_nacl, format_gcp_firewall;

const struct audit_format *const audit_formats[] = {
	&format_azure_nsg,
	&format_aws_sg,
	&format_aws_nacl,
	&format_gcp_firewall,
	NULL,
};
