/* SPDX-License-Identifier: Apache-2.0 */
/* Forced into the allocation-failure test build (-include): the prototype of gpusim's main, which
 * that build renames to gs__cli_main (-Dmain=gs__cli_main) for its driver to call. */
#ifndef GPUSIM_FAILALLOC_CLI_MAIN_H
#define GPUSIM_FAILALLOC_CLI_MAIN_H

int main(int argc, char **argv);

#endif
