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

#pragma GCC poison sprintf vsprintf strcpy strcat strtok strtok_r atoi atol atoll
#endif
