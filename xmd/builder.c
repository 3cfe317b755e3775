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
#include "cpulist.h"
#include "ctl.h"
#include "domain_def.h"
#include "kernel_image.h"
#include "layout.h"
#include "log.h"
#include "registry.h"
#include "steps.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#define PAGE_SIZE	LAYOUT_PAGE_SIZE
#define PAGE_SHIFT	LAYOUT_PAGE_SHIFT
/* Whole pages per WRITE_MEM: the header, a segment and 4 KiB each. */
#define WRITE_BATCH	((XM_CTL_MAX_PAYLOAD - sizeof(struct xm_ctl_mem)) / \
			    (sizeof(struct xm_ctl_mem_seg) + PAGE_SIZE))

struct build {
	struct build_req	 b_req;
	struct dom		*b_dom;
	char			*b_cmdline;
	uint8_t			*b_kernel;
	size_t			 b_kernel_size;
	uint8_t			*b_initrd;	/* <initrd>, or NULL */
	size_t			 b_initrd_size;
	struct xen_elf_info	 b_elf;
	struct xen_layout	 b_layout;
	uint64_t		*b_p2m;
	struct layout_image	 b_image;
	uint32_t		 b_console_port;	/* the domain's end */
	uint32_t		 b_store_port;		/* the domain's end */
	uint64_t		 b_batch;	/* pfns in the request sent */
	uint64_t		 b_free_pages;
	uint64_t		 b_shared_info_mfn;
	struct steps		 b_run;		/* its cursor: pfn or page */
	char			 b_what[XM_DEF_NAME_MAX + 16];
	int			 b_created;
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
	free(b->b_p2m);
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
		    "kernel: %s", b->b_dom->d_name, b->b_dom->d_kernel, why);
		return -1;
	}
	if (elf != NULL) {
		log_info("domain '%s': kernel '%s': a bzImage, %zu bytes of "
		    "%s unpacked to %zu", b->b_dom->d_name, b->b_dom->d_kernel,
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
		    b->b_dom->d_name);
		return -1;
	}
	if (read_file(path, &b->b_initrd, &b->b_initrd_size) != 0)
		snprintf(err, errlen, "domain '%s': initrd '%s': %s",
		    b->b_dom->d_name, path, strerror(errno));
	else if (kimg_detect(b->b_initrd, b->b_initrd_size) == KIMG_GZIP &&
	    kimg_decompress(KIMG_GZIP, b->b_initrd, b->b_initrd_size,
	    KIMG_MAX_UNPACKED, &plain, &len, &why) != 0)
		snprintf(err, errlen, "domain '%s': initrd '%s' is gzip, but "
		    "%s", b->b_dom->d_name, path, why);
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
static int
build_prepare(struct build *b, int *code, char *err, size_t errlen)
{
	const char *name = b->b_dom->d_name, *path = b->b_dom->d_kernel, *why;
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
	b->b_p2m = calloc(b->b_layout.xl_nr_pages, sizeof(uint64_t));
	if (b->b_p2m == NULL) {
		*code = XMCTL_E_SYSTEM;
		snprintf(err, errlen, "domain '%s': out of memory", name);
		return -1;
	}
	return 0;
}

static uint16_t
domid(const struct build *b)
{
	return (uint16_t)b->b_dom->d_id;
}

static int
physinfo_send(void *arg)
{
	struct build *b = arg;

	return steps_send(&b->b_run, XM_CTL_OP_PHYSINFO, NULL, 0);
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
		return steps_fail(&b->b_run, XMCTL_E_NO_MEMORY,
		    "domain '%s': needs %llu KiB, the node has %llu KiB free",
		    b->b_dom->d_name, (unsigned long long)need * 4,
		    (unsigned long long)pi.free_pages * 4);
	return 0;
}

static int
create_send(void *arg)
{
	struct build *b = arg;

	struct xm_ctl_create c = { b->b_req.br_def->dd_vcpus, 0,
	    b->b_req.br_def->dd_memory_kib / 4 + XM_DOMAIN_HV_PAGES };
	struct iovec iov = { &c, sizeof(c) };

	return steps_send(&b->b_run, XM_CTL_OP_CREATE, &iov, 1);
}

static int
create_reply(void *arg, const uint8_t *data, size_t len)
{
	struct build *b = arg;

	struct xm_ctl_domid d;

	(void)len;
	memcpy(&d, data, sizeof(d));
	b->b_dom->d_id = d.domid;
	b->b_created = 1;
	log_info("domain '%s': created as d%u", b->b_dom->d_name, d.domid);
	return 0;
}

static int
getinfo_send(void *arg)
{
	struct build *b = arg;

	struct xm_ctl_domid d = { domid(b), { 0, 0, 0 } };
	struct iovec iov = { &d, sizeof(d) };

	return steps_send(&b->b_run, XM_CTL_OP_GETINFO, &iov, 1);
}

static int
getinfo_reply(void *arg, const uint8_t *data, size_t len)
{
	struct build *b = arg;

	(void)len;
	memcpy(&b->b_dom->d_info, data, sizeof(b->b_dom->d_info));
	b->b_shared_info_mfn = b->b_dom->d_info.shared_info_mfn;
	return 0;
}

static int
populate_send(void *arg)
{
	struct build *b = arg;

	uint64_t left = b->b_layout.xl_nr_pages - b->b_run.s_cursor;
	struct xm_ctl_populate p;
	struct iovec iov = { &p, sizeof(p) };

	memset(&p, 0, sizeof(p));
	p.domid = domid(b);
	p.nr = (uint32_t)(left < XM_CTL_POPULATE_MAX ? left :
	    XM_CTL_POPULATE_MAX);
	p.first_pfn = b->b_run.s_cursor;
	b->b_batch = p.nr;
	return steps_send(&b->b_run, XM_CTL_OP_POPULATE, &iov, 1);
}

static int
populate_reply(void *arg, const uint8_t *data, size_t len)
{
	struct build *b = arg;

	if (len / sizeof(uint64_t) != b->b_batch)
		return steps_fail(&b->b_run, XMCTL_E_NODE,
		    "domain '%s': POPULATE gave %zu frames of %llu",
		    b->b_dom->d_name, len / sizeof(uint64_t),
		    (unsigned long long)b->b_batch);
	memcpy(b->b_p2m + b->b_run.s_cursor, data, len);
	b->b_run.s_cursor += b->b_batch;
	return b->b_run.s_cursor < b->b_layout.xl_nr_pages;
}

/* The whole initial region on the host, before it is written. */
static int
image_make(struct build *b)
{
	struct xen_layout_si si = { b->b_shared_info_mfn, b->b_console_port,
	    b->b_store_port, b->b_cmdline };
	struct layout_image *img = &b->b_image;

	if (layout_image_init(img, &b->b_layout, b->b_p2m) != 0)
		return steps_fail(&b->b_run, XMCTL_E_SYSTEM, "domain '%s': out of memory",
		    b->b_dom->d_name);
	if (layout_load_kernel(img, &b->b_elf, b->b_kernel,
	    b->b_kernel_size) != 0)
		return steps_fail(&b->b_run, XMCTL_E_BUILD,
		    "domain '%s': cannot load the kernel image",
		    b->b_dom->d_name);
	if (b->b_initrd != NULL && layout_load_module(img, 0, b->b_initrd,
	    b->b_initrd_size) != 0)
		return steps_fail(&b->b_run, XMCTL_E_BUILD,
		    "domain '%s': cannot load the initrd", b->b_dom->d_name);
	layout_write_p2m(img);
	if (layout_write_page_tables(img) != 0)
		return steps_fail(&b->b_run, XMCTL_E_BUILD,
		    "domain '%s': the initial page tables do not fit",
		    b->b_dom->d_name);
	layout_write_start_info(img, &si);
	b->b_run.s_cursor = 0;
	return 0;
}

static int
write_send(void *arg)
{
	struct build *b = arg;

	struct xm_ctl_mem_seg segs[WRITE_BATCH];
	struct iovec iov[2 + WRITE_BATCH];
	struct xm_ctl_mem mem;
	uint64_t pages, pfn;
	unsigned int n = 0;

	if (b->b_run.s_cursor == 0 && image_make(b) != 0)
		return -1;
	pages = b->b_image.li_size >> PAGE_SHIFT;
	memset(segs, 0, sizeof(segs));
	for (pfn = b->b_run.s_cursor; pfn < pages && n < WRITE_BATCH; pfn++) {
		if (layout_page_is_zero(&b->b_image, pfn))
			continue;	/* frames come scrubbed */
		segs[n].mfn = b->b_p2m[pfn];
		segs[n].len = PAGE_SIZE;
		iov[2 + n].iov_base = b->b_image.li_mem + (pfn << PAGE_SHIFT);
		iov[2 + n].iov_len = PAGE_SIZE;
		n++;
	}
	b->b_run.s_cursor = pfn;
	if (n == 0)
		return 1;
	mem = (struct xm_ctl_mem){ domid(b), 0, n };
	iov[0] = (struct iovec){ &mem, sizeof(mem) };
	iov[1] = (struct iovec){ segs, n * sizeof(segs[0]) };
	return steps_send(&b->b_run, XM_CTL_OP_WRITE_MEM, iov, 2 + (int)n);
}

static int
write_reply(void *arg, const uint8_t *data, size_t len)
{
	struct build *b = arg;

	(void)data, (void)len;
	return b->b_run.s_cursor < (b->b_image.li_size >> PAGE_SHIFT);
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
	h.mfn = b->b_p2m[xen_layout_va_to_pfn(&b->b_layout,
	    b->b_elf.xi_hypercall_page)];
	return steps_send(&b->b_run, XM_CTL_OP_HYPERCALL_INIT, &iov, 1);
}

static int
vcpu_send(void *arg)
{
	struct build *b = arg;

	struct xm_vcpu_guest_context ctx;
	struct xm_ctl_vcpu v = { domid(b), 0, 0 };
	struct iovec iov[2] = { { &v, sizeof(v) }, { &ctx, sizeof(ctx) } };

	layout_vcpu_context(&b->b_layout, b->b_p2m, &ctx);
	return steps_send(&b->b_run, XM_CTL_OP_SET_VCPU, iov, 2);
}

static int
domid_send(struct build *b, uint16_t op)
{
	struct xm_ctl_domid d = { domid(b), { 0, 0, 0 } };
	struct iovec iov = { &d, sizeof(d) };

	return steps_send(&b->b_run, op, &iov, 1);
}

/* Before start_info is written: the reply names the console's port. */
static int
console_send(void *arg)
{
	struct build *b = arg;

	struct xm_ctl_console_attach a;
	struct iovec iov = { &a, sizeof(a) };

	if (b->b_layout.xl_v_console == 0)
		return 1;		/* domain 0 has none */
	memset(&a, 0, sizeof(a));
	a.domid = domid(b);
	a.mfn = b->b_p2m[xen_layout_va_to_pfn(&b->b_layout,
	    b->b_layout.xl_v_console)];
	return steps_send(&b->b_run, XM_CTL_OP_CONSOLE_ATTACH, &iov, 1);
}

static int
console_reply(void *arg, const uint8_t *data, size_t len)
{
	struct build *b = arg;

	struct xm_ctl_console_port p;

	(void)len;
	memcpy(&p, data, sizeof(p));
	b->b_console_port = p.port;
	return 0;
}

static uint64_t
store_mfn(const struct build *b)
{
	return b->b_p2m[xen_layout_va_to_pfn(&b->b_layout,
	    b->b_layout.xl_v_xenstore)];
}

/* Before start_info is written: the reply names the store's port. */
static int
store_send(void *arg)
{
	struct build *b = arg;

	struct xm_ctl_console_attach a;
	struct iovec iov = { &a, sizeof(a) };

	if (b->b_layout.xl_v_xenstore == 0 || b->b_req.br_store == NULL)
		return 1;
	memset(&a, 0, sizeof(a));
	a.domid = domid(b);
	a.mfn = store_mfn(b);
	return steps_send(&b->b_run, XM_CTL_OP_STORE_ATTACH, &iov, 1);
}

/* The domain's xenstore paths are written before it first runs. */
static int
store_reply(void *arg, const uint8_t *data, size_t len)
{
	struct build *b = arg;

	struct xm_ctl_console_port p;
	char err[256];

	(void)len;
	memcpy(&p, data, sizeof(p));
	b->b_store_port = p.port;
	if (b->b_req.br_store(b->b_req.br_arg, b->b_dom, p.port, store_mfn(b),
	    err, sizeof(err)) != 0)
		return steps_fail(&b->b_run, XMCTL_E_BUILD, "%s", err);
	return 0;
}

static int
unpause_send(void *arg)
{
	struct build *b = arg;

	return domid_send(b, XM_CTL_OP_UNPAUSE);
}

/* The running domain's figures, so that the registry starts current. */
static int
running_reply(void *arg, const uint8_t *data, size_t len)
{
	struct build *b = arg;

	(void)len;
	memcpy(&b->b_dom->d_info, data, sizeof(b->b_dom->d_info));
	return 0;
}

static int
no_reply(void *arg, const uint8_t *data, size_t len)
{
	struct build *b = arg;

	(void)b, (void)data, (void)len;
	return 0;
}

/* The definition's cputune weight and cap; hv's defaults when it has none. */
static int
sched_send(void *arg)
{
	struct build *b = arg;

	const struct xm_domain_def *def = b->b_req.br_def;
	struct xm_ctl_sched s;
	struct iovec iov = { &s, sizeof(s) };

	if (!dd_sched_given(def))
		return 1;
	memset(&s, 0, sizeof(s));
	s.domid = domid(b);
	s.sched.weight = dd_sched_weight(def);
	s.sched.cap = dd_sched_cap(def);
	return steps_send(&b->b_run, XM_CTL_OP_SCHED_SET, &iov, 1);
}

/* Each vCPU's pinning (vcpupin, or vcpu's cpuset), one request each. */
static int
pin_send(void *arg)
{
	struct build *b = arg;

	const struct xm_domain_def *def = b->b_req.br_def;
	struct xm_ctl_vcpu_affinity a;
	struct iovec iov = { &a, sizeof(a) };
	const char *set, *why;
	uint64_t map;

	while (b->b_run.s_cursor < def->dd_vcpus &&
	    dd_vcpu_pin(def, (unsigned int)b->b_run.s_cursor) == NULL)
		b->b_run.s_cursor++;
	if (b->b_run.s_cursor >= def->dd_vcpus)
		return 1;
	set = dd_vcpu_pin(def, (unsigned int)b->b_run.s_cursor);
	if (xm_cpulist_parse(set, &map, &why) != 0)
		return steps_fail(&b->b_run, XMCTL_E_DEFINITION, "domain '%s': vCPU %u's cpuset '%s' %s",
		    b->b_dom->d_name, (unsigned int)b->b_run.s_cursor, set, why);
	memset(&a, 0, sizeof(a));
	a.domid = domid(b);
	a.affinity.vcpu = (uint32_t)b->b_run.s_cursor;
	a.affinity.cpumap = map;
	return steps_send(&b->b_run, XM_CTL_OP_VCPU_AFFINITY, &iov, 1);
}

static int
pin_reply(void *arg, const uint8_t *data, size_t len)
{
	struct build *b = arg;

	(void)data, (void)len;
	b->b_run.s_cursor++;
	return b->b_run.s_cursor < b->b_req.br_def->dd_vcpus;
}

static const struct step steps[] = {
	{ "PHYSINFO",		physinfo_send,	physinfo_reply },
	{ "CREATE",		create_send,	create_reply },
	{ "GETINFO",		getinfo_send,	getinfo_reply },
	{ "POPULATE",		populate_send,	populate_reply },
	{ "CONSOLE_ATTACH",	console_send,	console_reply },
	{ "STORE_ATTACH",	store_send,	store_reply },
	{ "WRITE_MEM",		write_send,	write_reply },
	{ "HYPERCALL_INIT",	hypercall_send,	no_reply },
	{ "SET_VCPU",		vcpu_send,	no_reply },
	{ "SCHED_SET",		sched_send,	no_reply },
	{ "VCPU_AFFINITY",	pin_send,	pin_reply },
	{ "UNPAUSE",		unpause_send,	no_reply },
	{ "GETINFO",		getinfo_send,	running_reply },
};

static void
build_finish(struct build *b)
{
	if (b->b_run.s_code != 0)
		log_warnx("%s", b->b_run.s_msg);
	else
		log_info("domain '%s': running as d%d", b->b_dom->d_name,
		    b->b_dom->d_id);
	b->b_req.br_done(b->b_req.br_arg, b->b_dom, b->b_run.s_code, b->b_run.s_msg);
	build_free(b);
}

static void
abort_destroyed(void *arg, int status, const uint8_t *data, size_t len)
{
	struct build *b = arg;

	(void)data, (void)len;
	if (status != 0)
		log_warnx("domain '%s': cannot destroy d%d after the failed build: %s",
		    b->b_dom->d_name, b->b_dom->d_id, ctl_strerror(status));
	build_finish(b);
}

static void
build_abort(struct build *b)
{
	struct xm_ctl_domid d = { domid(b), { 0, 0, 0 } };
	struct iovec iov = { &d, sizeof(d) };

	if (!b->b_created || ctl_request(b->b_req.br_ctl, XM_CTL_OP_DESTROY,
	    &iov, 1, 0, abort_destroyed, b) != 0)
		build_finish(b);
}

static void
build_end(void *arg)
{
	struct build *b = arg;

	if (b->b_run.s_code != 0)
		build_abort(b);
	else
		build_finish(b);
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
	b->b_dom = req->br_dom;
	if (build_prepare(b, code, err, errlen) != 0) {
		build_free(b);
		return -1;
	}
	log_info("domain '%s': building: kernel %s '%s', %llu pages, entry "
	    "%#llx, %llu page-table frames", b->b_dom->d_name,
	    b->b_dom->d_kernel, b->b_elf.xi_guest_os,
	    (unsigned long long)b->b_layout.xl_nr_pages,
	    (unsigned long long)b->b_elf.xi_entry,
	    (unsigned long long)b->b_layout.xl_nr_pt_frames);
	snprintf(b->b_what, sizeof(b->b_what), "domain '%s'",
	    b->b_dom->d_name);
	steps_init(&b->b_run, steps, nitems(steps), req->br_ctl, b,
	    b->b_what, build_end);
	if (steps_start(&b->b_run, req->br_base) != 0) {
		*code = XMCTL_E_NODE;
		snprintf(err, errlen, "domain '%s': the node is not connected",
		    b->b_dom->d_name);
		build_free(b);
		return -1;
	}
	return 0;
}
