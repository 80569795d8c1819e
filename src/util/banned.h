/* Functions banned from cordon's code (git's banned.h): each has a bounded or
 * checked replacement. The build includes this file ahead of every source
 * (-include), after the headers that declare them, so a use is a compile
 * error: sprintf/strcpy/strcat (snprintf, memcpy with a known length, a
 * cordon_buf), strtok/strtok_r (explicit scanning), atoi (strtol with checks). */
#ifndef CORDON_UTIL_BANNED_H
#define CORDON_UTIL_BANNED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* MariaDB Connector/C's header defines macros that call strcpy: the one
 * source that needs it (src/probe/mysql.c, compiled with
 * CORDON_INCLUDE_MYSQL_FIRST) gets it before the poison, its own code
 * after it like every other file's. */
#ifdef CORDON_INCLUDE_MYSQL_FIRST
#include <mysql.h>
#endif

#pragma GCC poison sprintf vsprintf strcpy strcat strtok strtok_r atoi atol atoll
#endif
