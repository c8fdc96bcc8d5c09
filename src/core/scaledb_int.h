/* SPDX-License-Identifier: Apache-2.0 */
/* Private scaling-DB helpers shared by the loader, the generator and the importer. */
#ifndef GPUSIM_SCALEDB_INT_H
#define GPUSIM_SCALEDB_INT_H

#include <cJSON.h>

#include "gpusim/scaling_db.h"

/* Prints a scaling-DB JSON tree the way the committed DBs look: cJSON's layout (tabs), except
 * that each element of the top-level "entries" array takes one line. malloc'd text ending in a
 * newline; NULL on ENOMEM. */
char *gs__scaledb_print(const cJSON *root);

/* Loads and validates a DB from text; name stands for the file in messages. */
gs_scaledb *gs__scaledb_parse(const char *name, const char *text, gs_err *err);

#endif
