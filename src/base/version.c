/* SPDX-License-Identifier: Apache-2.0 */
/* The library's version at run time. */
#include "gpusim/version.h"

const char *gs_version(void)
{
    return GS_VERSION_STRING;
}
