/*
 * xen_version: which Xen hv answers as, what it offers (capabilities,
 * features, the hypervisor's virtual start), how it was built (the
 * compiler and date) and, for domain 0 only as in Xen's default policy,
 * hv's command line and build id (the linker's GNU build-id note).
 */
#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>
#include <xm/hypercall.h>
#include <xm/version.h>
#include <xm/xen_core.h>

#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/layout.h>
#include <hv/percpu.h>
#include <hv/version.h>

extern const char *hv_cmdline;
extern const uint8_t hv_build_id_note[], hv_build_id_note_end[];

#define NT_GNU_BUILD_ID	3

static long
version_copy(uint64_t arg, const void *src, size_t n)
{
	return copy_to_guest(arg, src, n) == 0 ? 0 : -XM_EFAULT;
}

static long
version_features(struct domain *d, uint64_t arg)
{
	struct xm_feature_info fi;

	if (copy_from_guest(&fi, arg, sizeof(fi)) != 0)
		return -XM_EFAULT;
	if (fi.submap_idx != 0)
		return -XM_EINVAL;
	/* What Xen reports to a PV domain, and hv does as Xen does. */
	fi.submap = (1U << XM_XENFEAT_MMU_PT_UPDATE_PRESERVE_AD) |
	    (1U << XM_XENFEAT_HIGHMEM_ASSIST) |
	    (1U << XM_XENFEAT_GNTTAB_MAP_AVAIL_BITS) |
	    (1U << XM_XENFEAT_DIRECT_MAPPED);
	if (d->vm_assist & (1ULL << XM_VMASST_TYPE_PAE_EXTENDED_CR3))
		fi.submap |= 1U << XM_XENFEAT_PAE_PGDIR_ABOVE_4GB;
	if (d->privileged)
		fi.submap |= 1U << XM_XENFEAT_DOM0;
	return version_copy(arg, &fi, sizeof(fi));
}

static long
version_compile_info(uint64_t arg)
{
	struct xm_compile_info ci;

	kmemset(&ci, 0, sizeof(ci));
	kstrlcpy(ci.compiler, __VERSION__, sizeof(ci.compiler));
	kstrlcpy(ci.compile_by, "xm", sizeof(ci.compile_by));
	kstrlcpy(ci.compile_date, __DATE__ " " __TIME__,
	    sizeof(ci.compile_date));
	return version_copy(arg, &ci, sizeof(ci));
}

/*
 * As Xen: a NULL buffer asks for the id's size; else len is the
 * buffer's (0 is -EINVAL, too small -ENOBUFS) and the id follows it.
 */
static long
version_build_id(uint64_t arg)
{
	const uint32_t *n = (const uint32_t *)hv_build_id_note;
	struct xm_build_id b = { 0 };
	uint32_t size;

	if (arg != 0 && copy_from_guest(&b, arg, sizeof(b)) != 0)
		return -XM_EFAULT;
	if (arg != 0 && b.len == 0)
		return -XM_EINVAL;
	if (hv_build_id_note_end - hv_build_id_note < 16 ||
	    n[2] != NT_GNU_BUILD_ID)
		return -XM_ENODATA;
	size = n[1];
	if (arg == 0)
		return size;
	if (size > b.len)
		return -XM_ENOBUFS;
	if (copy_to_guest(arg + sizeof(b), hv_build_id_note + 12 +
	    ((n[0] + 3) & ~3U), size) != 0)
		return -XM_EFAULT;
	return size;
}

long
do_xen_version(uint64_t cmd, uint64_t arg)
{
	struct domain *d = current_vcpu()->domain;
	char buf[XM_XENVER_CAPABILITIES_LEN];
	uint64_t virt_start = XM_HYPERVISOR_VIRT_START;

	kmemset(buf, 0, sizeof(buf));
	switch (cmd) {
	case XM_XENVER_VERSION:
		return HV_XEN_VERSION;
	case XM_XENVER_EXTRAVERSION:
		kstrlcpy(buf, HV_XEN_EXTRAVERSION, XM_XENVER_EXTRAVERSION_LEN);
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
		return version_features(d, arg);
	case XM_XENVER_PAGESIZE:
		return PAGE_SIZE;
	case XM_XENVER_GUEST_HANDLE:
		return version_copy(arg, buf, XM_XENVER_GUEST_HANDLE_LEN);
	case XM_XENVER_COMPILE_INFO:
		return version_compile_info(arg);
	case XM_XENVER_COMMANDLINE:
		if (!d->privileged)
			return -XM_EPERM;
		kstrlcpy(buf, hv_cmdline, XM_XENVER_COMMANDLINE_LEN);
		return version_copy(arg, buf, XM_XENVER_COMMANDLINE_LEN);
	case XM_XENVER_BUILD_ID:
		return d->privileged ? version_build_id(arg) : -XM_EPERM;
	}
	return -XM_ENOSYS;
}
