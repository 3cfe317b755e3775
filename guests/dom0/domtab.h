/*
 * What domain 0 last saw of each domain, so that a VIRQ_DOM_EXC scan
 * (a walk over GETINFO_LIST) can tell xmd only about domains whose
 * state changed: shut down (with a reason), dying, or gone.
 *
 * A scan is domtab_begin, domtab_see for each domain listed, then
 * domtab_end.  Pure code, freestanding and host.
 */

#ifndef _DOM0_DOMTAB_H_
#define _DOM0_DOMTAB_H_

#include <stdint.h>

#include <xm/domctl.h>

#define DOMTAB_MAX	256

/* The flags whose change is news; others (running, blocked) are not. */
#define DOMTAB_STATE_FLAGS	(XM_DOMINF_SHUTDOWN | XM_DOMINF_DYING)

struct domtab_ent {
	xm_domid_t	de_id;
	uint8_t		de_used;
	uint8_t		de_seen;
	uint32_t	de_state;	/* flags & DOMTAB_STATE_FLAGS */
	uint32_t	de_reason;
};

struct domtab {
	struct domtab_ent	dt_ent[DOMTAB_MAX];
	uint64_t		dt_overflow;	/* domains not tracked */
};

typedef void	domtab_gone_t(void *arg, xm_domid_t id);

void	domtab_init(struct domtab *t);
void	domtab_begin(struct domtab *t);
/*
 * Record a listed domain; non-zero when it is news: its state changed,
 * or it is new and already shut down or dying.
 */
int	domtab_see(struct domtab *t, const struct xm_domctl_info *info);
/* Call gone(arg, id) for each domain not seen since begin; forget it. */
void	domtab_end(struct domtab *t, domtab_gone_t *gone, void *arg);

#endif /* _DOM0_DOMTAB_H_ */
