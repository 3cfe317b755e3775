/*
 * What the xenhdr guest takes from the guest runtime without seeing
 * its headers (which are built on include/xm, not on Xen's): where
 * start_info and shared_info are.  Plain pointers, no ABI types.
 */

#ifndef _XENHDR_GLUE_H_
#define _XENHDR_GLUE_H_

/* start_info as hv handed it over, never NULL. */
const void		*xenhdr_start_info(void);
/* The shared_info page as the runtime mapped it. */
volatile void		*xenhdr_shared_info(void);

#endif /* _XENHDR_GLUE_H_ */
