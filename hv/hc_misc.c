/*
 * Hypercalls about the domain as a whole: version queries, the console,
 * scheduling (yield, block, shutdown, poll), the timer and VM assists.
 * vcpu_op is hv/vcpu_op.c.
 */
#include <stdbool.h>
#include <stdint.h>

#include <klib/string.h>
#include <xm/hypercall.h>
#include <xm/sched.h>
#include <xm/version.h>
#include <xm/xen_core.h>

#include <hv/console.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/layout.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/time.h>
#include <hv/uart.h>

#define UNUSED3(a, b, c)	((void)(a), (void)(b), (void)(c))
#define CONSOLE_MAX_WRITE	(64 * 1024)

extern const char *hv_cmdline;

/* --- xen_version ------------------------------------------------------ */

static long
version_copy(uint64_t arg, const void *src, size_t n)
{
	return copy_to_guest(arg, src, n) == 0 ? 0 : -XM_EFAULT;
}

long
do_xen_version(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4,
    uint64_t a5)
{
	struct domain *d = current_vcpu()->domain;
	char buf[XM_XENVER_CAPABILITIES_LEN];
	uint64_t virt_start = XM_HYPERVISOR_VIRT_START;
	struct xm_feature_info fi;

	UNUSED3(a3, a4, a5);
	kmemset(buf, 0, sizeof(buf));
	switch (cmd) {
	case XM_XENVER_VERSION:
		return XM_XENVER_MAKE(4, 14);
	case XM_XENVER_EXTRAVERSION:
		kstrlcpy(buf, ".0-xm", XM_XENVER_EXTRAVERSION_LEN);
		return version_copy(arg, buf, XM_XENVER_EXTRAVERSION_LEN);
	case XM_XENVER_CAPABILITIES:
		kstrlcpy(buf, "xen-3.0-x86_64", sizeof(buf));
		return version_copy(arg, buf, XM_XENVER_CAPABILITIES_LEN);
	case XM_XENVER_CHANGESET:
		kstrlcpy(buf, "xm " XM_VERSION, XM_XENVER_CHANGESET_LEN);
		return version_copy(arg, buf, XM_XENVER_CHANGESET_LEN);
	case XM_XENVER_PLATFORM_PARAMETERS:
		return version_copy(arg, &virt_start, sizeof(virt_start));
	case XM_XENVER_GET_FEATURES:
		if (copy_from_guest(&fi, arg, sizeof(fi)) != 0)
			return -XM_EFAULT;
		fi.submap = 0;
		if (fi.submap_idx == 0 && d->privileged)
			fi.submap |= 1U << XM_XENFEAT_DOM0;
		return version_copy(arg, &fi, sizeof(fi));
	case XM_XENVER_PAGESIZE:
		return PAGE_SIZE;
	case XM_XENVER_GUEST_HANDLE:
		return version_copy(arg, buf, XM_XENVER_GUEST_HANDLE_LEN);
	case XM_XENVER_COMMANDLINE:
		if (!d->privileged)
			return -XM_EPERM;
		kstrlcpy(buf, hv_cmdline, XM_XENVER_COMMANDLINE_LEN);
		return version_copy(arg, buf, XM_XENVER_COMMANDLINE_LEN);
	}
	return -XM_ENOSYS;
}

/* --- console_io ------------------------------------------------------- */

/* Domain output goes out a line at a time, prefixed with its id. */
static void
console_put(struct domain *d, char c)
{
	if (c == '\r')
		return;
	if (c != '\n' && d->con_len < sizeof(d->con_line) - 1) {
		d->con_line[d->con_len++] = c;
		return;
	}
	d->con_line[d->con_len] = '\0';
	console_lock_line();
	hv_printf("(d%u) %s\n", d->id, d->con_line);
	console_unlock_line();
	d->con_len = 0;
	if (c != '\n')
		d->con_line[d->con_len++] = c;
}

long
do_console_io(uint64_t cmd, uint64_t count, uint64_t buf, uint64_t a4,
    uint64_t a5)
{
	struct domain *d = current_vcpu()->domain;
	char chunk[128];
	uint64_t done = 0, n, i;

	(void)a4, (void)a5;
	switch (cmd) {
	case XM_CONSOLEIO_WRITE:
		if (count > CONSOLE_MAX_WRITE)
			return -XM_EINVAL;
		while (done < count) {
			n = count - done < sizeof(chunk) ? count - done :
			    sizeof(chunk);
			if (copy_from_guest(chunk, buf + done, n) != 0)
				return -XM_EFAULT;
			for (i = 0; i < n; i++)
				console_put(d, chunk[i]);
			done += n;
		}
		return 0;
	case XM_CONSOLEIO_READ:
		if (!d->privileged)
			return -XM_EPERM;
		for (n = 0; n < count && n < sizeof(chunk); n++) {
			int c = uart_getc();

			if (c < 0)
				break;
			chunk[n] = (char)c;
		}
		if (n > 0 && copy_to_guest(buf, chunk, n) != 0)
			return -XM_EFAULT;
		return (long)n;
	}
	return -XM_ENOSYS;
}

/* --- sched_op --------------------------------------------------------- */

static bool
no_upcall_pending(struct vcpu *v)
{
	return !__atomic_load_n(&v->vcpu_info->evtchn_upcall_pending,
	    __ATOMIC_SEQ_CST);
}

static long
sched_block(struct vcpu *v)
{
	/* Blocking enables events; one already pending ends it at once. */
	v->vcpu_info->evtchn_upcall_mask = 0;
	vcpu_block(v, no_upcall_pending);
	return 0;
}

static bool
any_port_pending(struct domain *d, const uint32_t *ports, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ports[i] < EVTCHN_MAX_PORTS &&
		    (d->shared_info->evtchn_pending[ports[i] / 64] &
		    (1ULL << (ports[i] % 64))))
			return true;
	return false;
}

/* Still nothing for a poller: its port unsignalled, no upcall. */
static bool
poll_still_idle(struct vcpu *v)
{
	return __atomic_load_n(&v->poll_mask_port, __ATOMIC_SEQ_CST) != 0 &&
	    no_upcall_pending(v);
}

static long
sched_poll(struct vcpu *v, uint64_t arg)
{
	struct xm_sched_poll p;
	uint32_t ports[128];		/* Xen's limit */

	if (copy_from_guest(&p, arg, sizeof(p)) != 0)
		return -XM_EFAULT;
	if (p.nr_ports == 0 || p.nr_ports > 128)
		return -XM_EINVAL;
	if (copy_from_guest(ports, p.ports, p.nr_ports * sizeof(ports[0])))
		return -XM_EFAULT;
	if (p.timeout != 0 && p.timeout <= time_now())
		return 0;
	/*
	 * Woken by an event on the first port, any upcall, or the timeout;
	 * armed before the ports are checked, so that no event is missed.
	 */
	v->poll_mask_port = ports[0] + 1;
	v->poll_deadline = p.timeout;
	if (any_port_pending(v->domain, ports, p.nr_ports)) {
		v->poll_mask_port = 0;
		v->poll_deadline = 0;
		return 0;
	}
	vcpu_block(v, poll_still_idle);
	return 0;
}

static long
sched_remote_shutdown(struct domain *self, uint64_t arg)
{
	struct xm_sched_remote_shutdown rs;
	struct domain *d;

	if (!self->privileged)
		return -XM_EPERM;
	if (copy_from_guest(&rs, arg, sizeof(rs)) != 0)
		return -XM_EFAULT;
	if (rs.reason > XM_SHUTDOWN_MAX)
		return -XM_EINVAL;
	d = domain_get(rs.domain_id);
	if (d == NULL)
		return -XM_ESRCH;
	domain_shutdown(d, rs.reason);
	return 0;
}

long
do_sched_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4,
    uint64_t a5)
{
	struct vcpu *v = current_vcpu();
	struct xm_sched_shutdown sd;

	UNUSED3(a3, a4, a5);
	switch (cmd) {
	case XM_SCHEDOP_YIELD:
		vcpu_yield(v);
		return 0;
	case XM_SCHEDOP_BLOCK:
		return sched_block(v);
	case XM_SCHEDOP_SHUTDOWN:
		if (copy_from_guest(&sd, arg, sizeof(sd)) != 0)
			return -XM_EFAULT;
		if (sd.reason > XM_SHUTDOWN_MAX)
			return -XM_EINVAL;
		domain_shutdown(v->domain, sd.reason);
		return 0;
	case XM_SCHEDOP_POLL:
		return sched_poll(v, arg);
	case XM_SCHEDOP_REMOTE_SHUTDOWN:
		return sched_remote_shutdown(v->domain, arg);
	case XM_SCHEDOP_SHUTDOWN_CODE:
		if (copy_from_guest(&sd, arg, sizeof(sd)) != 0)
			return -XM_EFAULT;
		if (sd.reason > XM_SHUTDOWN_MAX)
			return -XM_EINVAL;
		v->domain->shutdown_code_next = sd.reason;
		return 0;
	}
	return -XM_ENOSYS;
}

/* --- timers ----------------------------------------------------------- */

long
do_set_timer_op(uint64_t deadline, uint64_t a2, uint64_t a3, uint64_t a4,
    uint64_t a5)
{
	struct vcpu *v = current_vcpu();

	UNUSED3(a2, a3, a4);
	(void)a5;
	v->timer_deadline = deadline;
	vcpu_timer_changed(v, time_now());
	return 0;
}

long
do_vm_assist(uint64_t cmd, uint64_t type, uint64_t a3, uint64_t a4,
    uint64_t a5)
{
	struct domain *d = current_vcpu()->domain;

	UNUSED3(a3, a4, a5);
	if (type >= 64)
		return -XM_EINVAL;
	if (cmd == 0)
		d->vm_assist |= 1ULL << type;
	else if (cmd == 1)
		d->vm_assist &= ~(1ULL << type);
	else
		return -XM_ENOSYS;
	return 0;
}
