/* ADDRESS:PORT for the HTTP endpoints cordon serves (the watch's and the
 * worker's /metrics): IPv4, a port from 1 to 65535. */
#ifndef CORDON_UTIL_LISTEN_H
#define CORDON_UTIL_LISTEN_H

#include <netinet/in.h>

/* 0, or -1 when s is not ADDRESS:PORT. */
int listen_parse(const char *s, struct sockaddr_in *sa);

#endif
