/*
 * The domain builder, as Xen's lives in its toolstack: it reads the
 * kernel ELF and its Xen notes on the host, has hv create the domain and
 * populate its memory, writes the kernel, p2m, start_info, console page
 * and initial page tables (klib/xen_layout.h, as hv lays out the
 * domains it builds at boot; layout.h is the host image) through WRITE_MEM,
 * has hv fill the hypercall page, sets vCPU 0's context (hv validates
 * and pins the L4 that ctrlreg[3] names), attaches domain 0's console
 * backend, sets the scheduler's weight and cap and the vCPUs' pinning
 * that the definition's cputune gives (only those it gives),
 * unpauses the domain and reads its figures once more (GETINFO), so
 * that domain.info, served from the registry, starts current.  Every
 * step is one request on the
 * control channel; after CREATE, any failure destroys the domain.
 *
 * The console page's event channel in start_info is port 1: the port hv
 * hands out first in a fresh domain, as hv's own builder gets it.
 */
#ifndef XMD_BUILDER_H
#define XMD_BUILDER_H

#include <stddef.h>
#include <stdint.h>

struct ctl;
struct dom;
struct event_base;
struct xm_domain_def;

#define BUILD_KERNEL_MAX	(256u << 20)	/* bytes of kernel image */

/* code: 0 or an XMCTL_E_* code, with msg naming the domain. */
typedef void	build_done_fn(void *arg, struct dom *, int code,
		    const char *msg);

struct build_req {
	struct event_base		*br_base;
	struct ctl			*br_ctl;
	const char			*br_kernel_dir;
	const struct xm_domain_def	*br_def;
	struct dom			*br_dom;	/* state BUILDING */
	build_done_fn			*br_done;
	void				*br_arg;
	/*
	 * The domain's xenstore page and port, before it first runs
	 * (NULL: the domain gets no xenstore).  0, or -1 with err.
	 */
	int				(*br_store)(void *arg, struct dom *,
					    uint32_t port, uint64_t mfn,
					    char *err, size_t errlen);
};

/*
 * Start building.  0: done() will be called once, later.  -1: the
 * kernel or memory is unusable; *code and err say why, done() is not
 * called and nothing was sent to the node.
 */
int	builder_start(const struct build_req *, int *code, char *err,
	    size_t errlen);

/* The kernel path a definition names, made absolute against dir. */
char	*builder_kernel_path(const char *dir, const char *kernel);

#endif
