/*
 * VIRQ_DOM_EXC: hv says some domain shut down, crashed or went away.
 * Domain 0 lists the domains and sends xmd a DOMAIN_EVENT for each
 * one whose state changed or that is gone.
 */

#ifndef _DOM0_DOMEXC_H_
#define _DOM0_DOMEXC_H_

/* Bind the VIRQ and take a first look.  0 or -XM_E*. */
int	domexc_init(void);
/* Scan if the VIRQ came since the last call. */
void	domexc_poll(void);

#endif /* _DOM0_DOMEXC_H_ */
