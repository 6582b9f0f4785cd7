/* SPDX-License-Identifier: MIT */
#ifndef _TOOLS_LIBS_LIGHT_PRIVATE_H
#define _TOOLS_LIBS_LIGHT_PRIVATE_H

/* What the files of tools/libs/light share and nobody else sees. */
#include "tl.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#endif
