/*
 * How xmd and xmctl exit, as the EXIT STATUS sections of xmd(8) and
 * xmctl(1) say.  A script can tell "the command was wrong" (fix the
 * script) from "the operation failed" (look at the message).
 */
#ifndef XM_COMMON_EXIT_STATUS_H
#define XM_COMMON_EXIT_STATUS_H

#define XM_EXIT_OK	0	/* done */
#define XM_EXIT_FAIL	1	/* failed; the message says why */
#define XM_EXIT_USAGE	2	/* a wrong option, verb, operand, number */

#endif
