/*
 * Lifecycle actions: what xmd does when a domain shuts down
 * (on_poweroff, on_reboot, on_crash as libvirt names them: destroy,
 * restart or preserve; libvirt's defaults destroy, restart, destroy).
 *
 * The definition (common/domain_def.h) carries them as text; xmd turns
 * them into actions here.
 */
#ifndef XMD_LIFECYCLE_H
#define XMD_LIFECYCLE_H

#include <stddef.h>
#include <stdint.h>

enum life_action {
	LIFE_DESTROY,
	LIFE_RESTART,
	LIFE_PRESERVE,
};

enum life_event {
	LIFE_ON_POWEROFF,
	LIFE_ON_REBOOT,
	LIFE_ON_CRASH,
	LIFE_NEVENTS,
};

struct lifecycle {
	enum life_action	 l_on[LIFE_NEVENTS];
};

struct xm_domain_def;

void		 lifecycle_defaults(struct lifecycle *);
/* The actions def names (the defaults where it names none): 0, or -1
 * with the reason in err. */
int		 lifecycle_from_def(const struct xm_domain_def *,
		    struct lifecycle *, char *err, size_t errlen);
const char	*lifecycle_action_name(enum life_action);
/* The event a shutdown reason (XM_SHUTDOWN_*) calls for. */
enum life_event	 lifecycle_event_of(uint32_t reason);

#endif
