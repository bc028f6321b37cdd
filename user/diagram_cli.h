/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_DIAGRAM_CLI_H
#define SOCKSCOPE_DIAGRAM_CLI_H

/* "sockscope diagram [options] FILE.jsonl": exit status 0, 1 (the file
 * cannot be drawn) or 2 (usage). */
int diagram_main(int argc, char **argv);

#endif
