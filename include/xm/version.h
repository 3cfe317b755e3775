/*
 * Xen x86-64 PV guest ABI: xen_version(cmd, arg).  What the hypervisor
 * is and which optional ABI features it offers.  Commands without a
 * struct take a buffer of the size given here.
 */

#ifndef _XM_VERSION_H_
#define _XM_VERSION_H_

#include <stdint.h>

/* Returns major << 16 | minor; takes no argument. */
#define XM_XENVER_VERSION		0
#define XM_XENVER_EXTRAVERSION		1
#define XM_XENVER_COMPILE_INFO		2
#define XM_XENVER_CAPABILITIES		3
#define XM_XENVER_CHANGESET		4
#define XM_XENVER_PLATFORM_PARAMETERS	5
#define XM_XENVER_GET_FEATURES		6
#define XM_XENVER_PAGESIZE		7	/* returns it; no argument */
#define XM_XENVER_GUEST_HANDLE		8	/* the domain's UUID */
#define XM_XENVER_COMMANDLINE		9
#define XM_XENVER_BUILD_ID		10

#define XM_XENVER_MAKE(major, minor)	(((major) << 16) | (minor))

/* Buffer sizes: text, NUL-terminated within the buffer. */
#define XM_XENVER_EXTRAVERSION_LEN	16	/* e.g. ".0" */
#define XM_XENVER_CAPABILITIES_LEN	1024	/* e.g. "xen-3.0-x86_64" */
#define XM_XENVER_CHANGESET_LEN		64
#define XM_XENVER_COMMANDLINE_LEN	1024
#define XM_XENVER_GUEST_HANDLE_LEN	16	/* raw bytes */

struct xm_compile_info {
	char		compiler[64];
	char		compile_by[16];
	char		compile_domain[32];
	char		compile_date[32];
};
_Static_assert(sizeof(struct xm_compile_info) == 144, "xm_compile_info");

/* The lowest address hv reserves; guests may map up to it. */
struct xm_platform_parameters {
	uint64_t	virt_start;
};
_Static_assert(sizeof(struct xm_platform_parameters) == 8,
    "xm_platform_parameters");

/*
 * The guest names a 32-bit word of the feature bitmap in submap_idx,
 * hv fills in submap; bit n of word i is feature i * 32 + n.
 */
struct xm_feature_info {
	uint32_t	submap_idx;
	uint32_t	submap;		/* out */
};
_Static_assert(sizeof(struct xm_feature_info) == 8, "xm_feature_info");

/* Feature numbers, bits of the get_features bitmap. */
#define XM_XENFEAT_WRITABLE_PAGE_TABLES		0
#define XM_XENFEAT_WRITABLE_DESCRIPTOR_TABLES	1
#define XM_XENFEAT_AUTO_TRANSLATED_PHYSMAP	2
#define XM_XENFEAT_SUPERVISOR_MODE_KERNEL	3
#define XM_XENFEAT_PAE_PGDIR_ABOVE_4GB		4
#define XM_XENFEAT_MMU_PT_UPDATE_PRESERVE_AD	5
#define XM_XENFEAT_HIGHMEM_ASSIST		6
#define XM_XENFEAT_GNTTAB_MAP_AVAIL_BITS	7
#define XM_XENFEAT_HVM_CALLBACK_VECTOR		8
#define XM_XENFEAT_HVM_SAFE_PVCLOCK		9
#define XM_XENFEAT_HVM_PIRQS			10
#define XM_XENFEAT_DOM0				11
/* 12 is retired. */
#define XM_XENFEAT_MEMORY_OP_VNODE_SUPPORTED	13
#define XM_XENFEAT_ARM_SMCCC_SUPPORTED		14
#define XM_XENFEAT_LINUX_RSDP_UNRESTRICTED	15
#define XM_XENFEAT_NOT_DIRECT_MAPPED		16
#define XM_XENFEAT_DIRECT_MAPPED		17
/* Words of 32 features that exist. */
#define XM_XENFEAT_NR_SUBMAPS			1

/* build_id: len is the buffer's size in, the id's length out. */
struct xm_build_id {
	uint32_t	len;
	uint8_t		buf[];
};
_Static_assert(sizeof(struct xm_build_id) == 4, "xm_build_id");

#endif /* _XM_VERSION_H_ */
