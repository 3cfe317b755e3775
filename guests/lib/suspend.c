/*
 * Suspend and resume of the runtime (guest/suspend.h).  Between the
 * unmap of shared_info and its map after the call, vcpu_info is the
 * runtime's masked stand-in: nothing here may enable events or read
 * the time.
 */

#include <stdint.h>

#include <xm/xen_core.h>

#include <guest/console.h>
#include <guest/events.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/suspend.h>
#include <guest/time.h>
#include <guest/xs.h>

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

static void	timer_hook(void);
static void	xs_hook(void);

/*
 * What the runtime binds, bound again in a restored domain; the
 * console first, so that what the others say goes to its new port.
 */
static void (*const resume_hooks[])(void) = {
	console_resume,
	events_resume,
	timer_hook,
	xs_hook,
};

/* A hook that fails leaves its part without events; the guest goes on. */
static void
timer_hook(void)
{
	int rc;

	if ((rc = timer_resume()) < 0)
		gprintf("guest: cannot bind VIRQ_TIMER after a restore "
		    "(%d)\n", rc);
}

static void
xs_hook(void)
{
	if (xs_resume() != 0)
		gprintf("guest: no xenstore after a restore: %s\n",
		    xs_error());
}

static int
has_console_ring(const struct xm_start_info *si)
{
	return !(si->flags & XM_SIF_INITDOMAIN) && si->console.domU.mfn != 0;
}

/* start_info's frames as pfns, which a restore turns into its new mfns. */
static void
start_info_to_pfns(struct xm_start_info *si)
{
	if (si->store_mfn != 0)
		si->store_mfn = mfn_to_pfn(si->store_mfn);
	if (has_console_ring(si))
		si->console.domU.mfn = mfn_to_pfn(si->console.domU.mfn);
}

static void
start_info_to_mfns(struct xm_start_info *si)
{
	if (si->store_mfn != 0)
		si->store_mfn = pfn_to_mfn(si->store_mfn);
	if (has_console_ring(si))
		si->console.domU.mfn = pfn_to_mfn(si->console.domU.mfn);
}

/* No shared_info: no events, no time, no way on. */
static void
must_map_shared_info(void)
{
	int rc;

	if ((rc = shared_info_map()) < 0) {
		gprintf("guest: cannot map shared_info at %016lx after a "
		    "suspend (%d)\n", guest_start_info->shared_info, rc);
		guest_shutdown(XM_SHUTDOWN_CRASH);
	}
	local_irq_disable();
}

/* The same domain goes on: only what the suspend changed is undone. */
static void
post_cancel(void)
{
	start_info_to_mfns(guest_start_info);
	must_map_shared_info();
}

/* A new domain: start_info is the toolstack's already. */
static void
post_restore(void)
{
	unsigned int i;

	must_map_shared_info();
	p2m_publish();
	for (i = 0; i < nitems(resume_hooks); i++)
		resume_hooks[i]();
}

int
guest_suspend(void)
{
	struct xm_start_info *si = guest_start_info;
	uint64_t si_mfn = virt_to_mfn(si);
	unsigned int flags;
	int rc;

	console_flush();
	flags = local_irq_save();
	start_info_to_pfns(si);
	if ((rc = shared_info_unmap()) == 0)
		rc = HYPERVISOR_suspend(si_mfn);
	if (rc == 0)
		post_restore();
	else
		post_cancel();
	local_irq_restore(flags);
	return rc;
}
