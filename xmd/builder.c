/*
 * The domain builder (see builder.h): a table of steps, each one request
 * on the control channel; the reply of one starts the next.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xm/ctl.h>
#include <xmctl.h>

#include "builder.h"
#include "ctl.h"
#include "domain_def.h"
#include "kernel_image.h"
#include "layout.h"
#include "log.h"
#include "registry.h"
#include "dom_make.h"
#include "steps.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#define PAGE_SIZE	LAYOUT_PAGE_SIZE
#define PAGE_SHIFT	LAYOUT_PAGE_SHIFT
#define WRITE_BATCH	DOM_MAKE_WRITE_BATCH

struct build {
	struct dom_make		 b_mk;		/* first: dom_make.h */
	struct build_req	 b_req;
	char			*b_cmdline;
	uint8_t			*b_kernel;
	size_t			 b_kernel_size;
	uint8_t			*b_initrd;	/* <initrd>, or NULL */
	size_t			 b_initrd_size;
	struct xen_elf_info	 b_elf;
	struct xen_layout	 b_layout;
	struct layout_image	 b_image;
	uint64_t		 b_free_pages;
	char			 b_what[XM_DEF_NAME_MAX + 16];
};

static void	build_end(void *);

char *
builder_kernel_path(const char *dir, const char *kernel)
{
	char *path;

	if (kernel[0] == '/')
		return strdup(kernel);
	if (asprintf(&path, "%s/%s", dir, kernel) < 0)
		return NULL;
	return path;
}

static int
read_file(const char *path, uint8_t **out, size_t *size)
{
	struct stat st;
	ssize_t n;
	size_t done = 0;
	int fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &st) != 0)
		goto out;
	if (!S_ISREG(st.st_mode) || st.st_size > BUILD_KERNEL_MAX) {
		errno = S_ISREG(st.st_mode) ? EFBIG : EINVAL;
		goto out;
	}
	if ((*out = malloc((size_t)st.st_size + 1)) == NULL)
		goto out;
	while (done < (size_t)st.st_size &&
	    (n = read(fd, *out + done, (size_t)st.st_size - done)) > 0)
		done += (size_t)n;
	*size = done;
	rc = 0;
out:
	close(fd);
	return rc;
}

static void
build_free(struct build *b)
{
	layout_image_free(&b->b_image);
	free(b->b_mk.m_p2m);
	free(b->b_kernel);
	free(b->b_initrd);
	free(b->b_cmdline);
	free(b);
}

/* A bzImage's vmlinux in place of the image, as Xen's toolstack does. */
static int
unpack_kernel(struct build *b, char *err, size_t errlen)
{
	enum kimg_format fmt;
	const char *why;
	uint8_t *elf;
	size_t len;

	if (kimg_unpack(b->b_kernel, b->b_kernel_size, KIMG_MAX_UNPACKED,
	    &elf, &len, &fmt, &why) != 0) {
		snprintf(err, errlen, "domain '%s': kernel '%s' is not a Xen PV "
		    "kernel: %s", b->b_mk.m_dom->d_name, b->b_mk.m_dom->d_kernel, why);
		return -1;
	}
	if (elf != NULL) {
		log_info("domain '%s': kernel '%s': a bzImage, %zu bytes of "
		    "%s unpacked to %zu", b->b_mk.m_dom->d_name, b->b_mk.m_dom->d_kernel,
		    b->b_kernel_size, kimg_format_name(fmt), len);
		free(b->b_kernel);
		b->b_kernel = elf;
		b->b_kernel_size = len;
	}
	return 0;
}

/*
 * The <initrd>, the first boot module: gunzipped if it is gzip, as Xen's
 * builder does with modules (Linux takes it either way).
 */
static int
read_initrd(struct build *b, struct xen_layout_in *in, char *err,
    size_t errlen)
{
	const char *rel = b->b_req.br_def->dd_initrd, *why;
	uint8_t *plain;
	size_t len;
	char *path;
	int rc = -1;

	if (rel == NULL || rel[0] == '\0')
		return 0;
	if ((path = builder_kernel_path(b->b_req.br_kernel_dir, rel)) == NULL) {
		snprintf(err, errlen, "domain '%s': out of memory",
		    b->b_mk.m_dom->d_name);
		return -1;
	}
	if (read_file(path, &b->b_initrd, &b->b_initrd_size) != 0)
		snprintf(err, errlen, "domain '%s': initrd '%s': %s",
		    b->b_mk.m_dom->d_name, path, strerror(errno));
	else if (kimg_detect(b->b_initrd, b->b_initrd_size) == KIMG_GZIP &&
	    kimg_decompress(KIMG_GZIP, b->b_initrd, b->b_initrd_size,
	    KIMG_MAX_UNPACKED, &plain, &len, &why) != 0)
		snprintf(err, errlen, "domain '%s': initrd '%s' is gzip, but "
		    "%s", b->b_mk.m_dom->d_name, path, why);
	else {
		if (kimg_detect(b->b_initrd, b->b_initrd_size) == KIMG_GZIP) {
			free(b->b_initrd);
			b->b_initrd = plain;
			b->b_initrd_size = len;
		}
		in->xli_mod_size[0] = b->b_initrd_size;
		in->xli_nr_modules = 1;
		rc = 0;
	}
	free(path);
	return rc;
}

/* The kernel and the layout: everything that needs no node. */
/* What the shared steps (dom_make.h) need, from the plan. */
static void
make_plan(struct build *b)
{
	const struct xm_domain_def *def = b->b_req.br_def;
	struct dom_make *m = &b->b_mk;

	m->m_def = def;
	m->m_vcpus = def->dd_vcpus;
	m->m_max_pages = def->dd_memory_kib / 4 + XM_DOMAIN_HV_PAGES;
	m->m_has_console = b->b_layout.xl_v_console != 0;
	if (m->m_has_console)
		m->m_console_pfn = xen_layout_va_to_pfn(&b->b_layout,
		    b->b_layout.xl_v_console);
	m->m_has_store = b->b_layout.xl_v_xenstore != 0;
	if (m->m_has_store)
		m->m_store_pfn = xen_layout_va_to_pfn(&b->b_layout,
		    b->b_layout.xl_v_xenstore);
	m->m_store_fn = b->b_req.br_store;
	m->m_store_arg = b->b_req.br_arg;
}

static int
build_prepare(struct build *b, int *code, char *err, size_t errlen)
{
	const char *name = b->b_mk.m_dom->d_name, *path = b->b_mk.m_dom->d_kernel, *why;
	uint64_t kib = dd_current_kib(b->b_req.br_def);
	struct xen_layout_in in;

	*code = XMCTL_E_BUILD;
	if (read_file(path, &b->b_kernel, &b->b_kernel_size) != 0) {
		snprintf(err, errlen, "domain '%s': kernel '%s': %s", name,
		    path, strerror(errno));
		return -1;
	}
	if (unpack_kernel(b, err, errlen) != 0)
		return -1;
	if (xen_elf_parse(b->b_kernel, b->b_kernel_size, &b->b_elf,
	    &why) != 0) {
		snprintf(err, errlen, "domain '%s': kernel '%s' is not a Xen PV kernel: %s",
		    name, path, why);
		return -1;
	}
	if ((why = xen_elf_unbuildable(&b->b_elf, XEN_ELF_PV_BUILDABLE)) !=
	    NULL) {
		snprintf(err, errlen, "domain '%s': kernel '%s' requires the "
		    "feature %s, which a PV domain on hv cannot have", name,
		    path, why);
		return -1;
	}
	/* Down to whole pages: it may use no more than its maximum. */
	xen_layout_in_init(&in, &b->b_elf, kib / 4,
	    b->b_req.br_store != NULL ? XEN_LAYOUT_XENSTORE : 0);
	if (read_initrd(b, &in, err, errlen) != 0)
		return -1;
	if (xen_layout_plan(&b->b_layout, &in, &why) != 0) {
		snprintf(err, errlen, "domain '%s': %s (%llu KiB)", name, why,
		    (unsigned long long)kib);
		return -1;
	}
	b->b_mk.m_p2m = calloc(b->b_layout.xl_nr_pages, sizeof(uint64_t));
	if (b->b_mk.m_p2m == NULL) {
		*code = XMCTL_E_SYSTEM;
		snprintf(err, errlen, "domain '%s': out of memory", name);
		return -1;
	}
	make_plan(b);
	return 0;
}

static uint16_t
domid(const struct build *b)
{
	return (uint16_t)b->b_mk.m_dom->d_id;
}

static int
physinfo_send(void *arg)
{
	struct build *b = arg;

	return steps_send(&b->b_mk.m_run, XM_CTL_OP_PHYSINFO, NULL, 0);
}

static int
physinfo_reply(void *arg, const uint8_t *data, size_t len)
{
	struct build *b = arg;

	struct xm_domctl_physinfo pi;
	uint64_t need = b->b_layout.xl_nr_pages + XM_DOMAIN_HV_PAGES;

	(void)len;
	memcpy(&pi, data, sizeof(pi));
	if (pi.free_pages < need)
		return steps_fail(&b->b_mk.m_run, XMCTL_E_NO_MEMORY,
		    "domain '%s': needs %llu KiB, the node has %llu KiB free",
		    b->b_mk.m_dom->d_name, (unsigned long long)need * 4,
		    (unsigned long long)pi.free_pages * 4);
	return 0;
}

static int
populate_send(void *arg)
{
	struct build *b = arg;
	uint64_t left = b->b_layout.xl_nr_pages - b->b_mk.m_run.s_cursor;
	struct xm_ctl_populate p;
	struct iovec iov = { &p, sizeof(p) };

	if (left == 0)
		return 1;
	memset(&p, 0, sizeof(p));
	p.domid = domid(b);
	p.nr = (uint32_t)(left < XM_CTL_POPULATE_MAX ? left :
	    XM_CTL_POPULATE_MAX);
	p.first_pfn = b->b_mk.m_run.s_cursor;
	b->b_mk.m_batch = p.nr;
	return steps_send(&b->b_mk.m_run, XM_CTL_OP_POPULATE, &iov, 1);
}

/* The whole initial region on the host, before it is written. */
static int
image_make(struct build *b)
{
	struct xen_layout_si si = { b->b_mk.m_shared_info_mfn, b->b_mk.m_console_port,
	    b->b_mk.m_store_port, b->b_cmdline };
	struct layout_image *img = &b->b_image;

	if (layout_image_init(img, &b->b_layout, b->b_mk.m_p2m) != 0)
		return steps_fail(&b->b_mk.m_run, XMCTL_E_SYSTEM, "domain '%s': out of memory",
		    b->b_mk.m_dom->d_name);
	if (layout_load_kernel(img, &b->b_elf, b->b_kernel,
	    b->b_kernel_size) != 0)
		return steps_fail(&b->b_mk.m_run, XMCTL_E_BUILD,
		    "domain '%s': cannot load the kernel image",
		    b->b_mk.m_dom->d_name);
	if (b->b_initrd != NULL && layout_load_module(img, 0, b->b_initrd,
	    b->b_initrd_size) != 0)
		return steps_fail(&b->b_mk.m_run, XMCTL_E_BUILD,
		    "domain '%s': cannot load the initrd", b->b_mk.m_dom->d_name);
	layout_write_p2m(img);
	if (layout_write_page_tables(img) != 0)
		return steps_fail(&b->b_mk.m_run, XMCTL_E_BUILD,
		    "domain '%s': the initial page tables do not fit",
		    b->b_mk.m_dom->d_name);
	layout_write_start_info(img, &si);
	b->b_mk.m_run.s_cursor = 0;
	return 0;
}

static int
write_send(void *arg)
{
	struct build *b = arg;
	uint64_t pfns[WRITE_BATCH], pages, pfn;
	uint8_t *data[WRITE_BATCH];
	unsigned int n = 0;

	if (b->b_mk.m_run.s_cursor == 0 && image_make(b) != 0)
		return -1;
	pages = b->b_image.li_size >> PAGE_SHIFT;
	for (pfn = b->b_mk.m_run.s_cursor; pfn < pages && n < WRITE_BATCH;
	    pfn++) {
		if (layout_page_is_zero(&b->b_image, pfn))
			continue;	/* frames come scrubbed */
		pfns[n] = pfn;
		data[n++] = b->b_image.li_mem + (pfn << PAGE_SHIFT);
	}
	b->b_mk.m_run.s_cursor = pfn;
	if (n == 0)
		return 1;
	return dom_make_write_pages(&b->b_mk, pfns, data, n);
}

static int
write_reply(void *arg, const uint8_t *data, size_t len)
{
	struct build *b = arg;

	(void)data, (void)len;
	return b->b_mk.m_run.s_cursor < (b->b_image.li_size >> PAGE_SHIFT);
}

static int
hypercall_send(void *arg)
{
	struct build *b = arg;

	struct xm_ctl_hypercall_init h;
	struct iovec iov = { &h, sizeof(h) };

	if (b->b_elf.xi_hypercall_page == XEN_ELF_UNSET)
		return 1;
	memset(&h, 0, sizeof(h));
	h.domid = domid(b);
	h.mfn = b->b_mk.m_p2m[xen_layout_va_to_pfn(&b->b_layout,
	    b->b_elf.xi_hypercall_page)];
	return steps_send(&b->b_mk.m_run, XM_CTL_OP_HYPERCALL_INIT, &iov, 1);
}

static int
vcpu_send(void *arg)
{
	struct build *b = arg;

	struct xm_vcpu_guest_context ctx;
	struct xm_ctl_vcpu v = { domid(b), 0, 0 };
	struct iovec iov[2] = { { &v, sizeof(v) }, { &ctx, sizeof(ctx) } };

	layout_vcpu_context(&b->b_layout, b->b_mk.m_p2m, &ctx);
	return steps_send(&b->b_mk.m_run, XM_CTL_OP_SET_VCPU, iov, 2);
}

static const struct step steps[] = {
	{ "PHYSINFO",		physinfo_send,	physinfo_reply },
	{ "CREATE",	dom_make_create_send,	dom_make_create_reply },
	{ "GETINFO",	dom_make_getinfo_send,	dom_make_getinfo_reply },
	{ "POPULATE",		populate_send,	dom_make_populate_reply },
	{ "CONSOLE_ATTACH", dom_make_console_send, dom_make_console_reply },
	{ "STORE_ATTACH", dom_make_store_send,	dom_make_store_reply },
	{ "WRITE_MEM",		write_send,	write_reply },
	{ "HYPERCALL_INIT",	hypercall_send,	dom_make_no_reply },
	{ "SET_VCPU",		vcpu_send,	dom_make_no_reply },
	{ "SCHED_SET",	dom_make_sched_send,	dom_make_no_reply },
	{ "VCPU_AFFINITY", dom_make_pin_send,	dom_make_pin_reply },
	{ "UNPAUSE",	dom_make_unpause_send,	dom_make_no_reply },
	{ "GETINFO",	dom_make_getinfo_send,	dom_make_getinfo_reply },
};

static void
build_finish(void *arg)
{
	struct build *b = arg;

	if (b->b_mk.m_run.s_code != 0)
		log_warnx("%s", b->b_mk.m_run.s_msg);
	else
		log_info("domain '%s': running as d%d", b->b_mk.m_dom->d_name,
		    b->b_mk.m_dom->d_id);
	b->b_req.br_done(b->b_req.br_arg, b->b_mk.m_dom, b->b_mk.m_run.s_code,
	    b->b_mk.m_run.s_msg);
	build_free(b);
}

static void
build_end(void *arg)
{
	struct build *b = arg;

	dom_make_end(&b->b_mk, build_finish);
}

int
builder_start(const struct build_req *req, int *code, char *err,
    size_t errlen)
{
	struct build *b = calloc(1, sizeof(*b));

	*code = XMCTL_E_SYSTEM;
	if (b == NULL || (b->b_cmdline = strdup(req->br_def->dd_cmdline)) ==
	    NULL) {
		snprintf(err, errlen, "domain '%s': out of memory",
		    req->br_dom->d_name);
		free(b);
		return -1;
	}
	b->b_req = *req;
	b->b_mk.m_dom = req->br_dom;
	if (build_prepare(b, code, err, errlen) != 0) {
		build_free(b);
		return -1;
	}
	log_info("domain '%s': building: kernel %s '%s', %llu pages, entry "
	    "%#llx, %llu page-table frames", b->b_mk.m_dom->d_name,
	    b->b_mk.m_dom->d_kernel, b->b_elf.xi_guest_os,
	    (unsigned long long)b->b_layout.xl_nr_pages,
	    (unsigned long long)b->b_elf.xi_entry,
	    (unsigned long long)b->b_layout.xl_nr_pt_frames);
	snprintf(b->b_what, sizeof(b->b_what), "domain '%s'",
	    b->b_mk.m_dom->d_name);
	steps_init(&b->b_mk.m_run, steps, nitems(steps), req->br_ctl, b,
	    b->b_what, build_end);
	if (steps_start(&b->b_mk.m_run, req->br_base) != 0) {
		*code = XMCTL_E_NODE;
		snprintf(err, errlen, "domain '%s': the node is not connected",
		    b->b_mk.m_dom->d_name);
		build_free(b);
		return -1;
	}
	return 0;
}
