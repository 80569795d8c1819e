/* ADDRESS:PORT (listen.h). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/listen.h"

int listen_parse(const char *s, struct sockaddr_in *sa)
{
	const char *colon = s ? strrchr(s, ':') : NULL;
	if (!colon || colon == s || (size_t)(colon - s) >= 64 || !colon[1])
		return -1;
	char host[64], *end;
	unsigned long port = strtoul(colon + 1, &end, 10);
	if (*end || colon[1] == '-' || colon[1] == '+' || !port || port > 65535)
		return -1;
	snprintf(host, sizeof(host), "%.*s", (int)(colon - s), s);
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return -1;
	sa->sin_port = htons((uint16_t)port);
	return 0;
}

enum MHD_Result listen_answer(struct MHD_Connection *conn, const char *url, unsigned status, const char *body)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", !strcmp(url, "/metrics") ? "text/plain; version=0.0.4" : "text/plain");
	enum MHD_Result ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}
