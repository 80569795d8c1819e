/* ADDRESS:PORT for the HTTP endpoints cordon serves (the watch's and the
 * worker's /metrics): IPv4, a port from 1 to 65535. */
#ifndef CORDON_UTIL_LISTEN_H
#define CORDON_UTIL_LISTEN_H

#include <netinet/in.h>
#include <microhttpd.h>

/* 0, or -1 when s is not ADDRESS:PORT. */
int listen_parse(const char *s, struct sockaddr_in *sa);

/* Queues body (copied) as the answer to a request for url, with status:
 * plain text, in Prometheus's text format for /metrics. */
enum MHD_Result listen_answer(struct MHD_Connection *conn, const char *url, unsigned status, const char *body);

#endif
