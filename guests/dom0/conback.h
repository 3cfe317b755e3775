/*
 * The console backend: for each attached domain, its console ring
 * (struct xm_console_interface, a frame of the domain's) is read and
 * written through FOREIGN_COPY.  Output goes to xmd as CONSOLE_OUTPUT
 * events, CONSOLE_INPUT requests go into the ring.  The domain's
 * console port, bound interdomain, says when to look; a sweep every
 * CONBACK_SWEEP_NS catches what a lost event would hide.
 */

#ifndef _DOM0_CONBACK_H_
#define _DOM0_CONBACK_H_

#include <stdint.h>

#include <xm/hypercall.h>

/* Serve the consoles that signalled, or all when a sweep is due. */
void	conback_poll(uint64_t now);
/* When the next sweep is due, 0 when no console is attached. */
uint64_t conback_deadline(void);
/* The domain is gone (or going): close its console. */
void	conback_detach(xm_domid_t domid);
void	conback_flush(xm_domid_t domid);	/* drain its ring now */

#endif /* _DOM0_CONBACK_H_ */
