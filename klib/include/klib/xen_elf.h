/*
 * Xen x86-64 PV guest kernel images: ELF64 executables that describe
 * themselves in "Xen" ELF notes (include/xm/elfnote.h).
 *
 * xen_elf_parse() checks an image the way Xen's libelf does for a PV
 * guest (xen/common/libelf/libelf-dominfo.c and libelf-loader.c) and
 * fills a struct xen_elf_info that holds no pointer into the image.
 * xen_elf_load() then copies the loadable segments into the guest
 * through two callbacks, so that the hypervisor (through its direct
 * map) and the toolstack (through foreign-memory frames) share it.
 *
 * Addresses:
 *  - VIRT_BASE defaults to 0; PADDR_OFFSET defaults to 0 (notes are
 *    the only source this parser reads; Xen's legacy __xen_guest
 *    section, whose default was VIRT_BASE, is not supported).
 *  - PADDR_OFFSET without VIRT_BASE is an error.
 *  - A loadable segment goes to p_paddr - paddr_offset + virt_base;
 *    p_vaddr is ignored, as in Xen.  [virt_kstart, virt_kend) is the
 *    union of the loadable segments moved that way.
 *  - The entry point is the ENTRY note, else e_entry.
 *
 * The parser is stricter than Xen where Xen would load nonsense: it
 * also rejects segments that lie outside the image, overlap, or have
 * p_filesz > p_memsz, an entry point or hypercall page outside the
 * image, a hypercall page that is not page-aligned, an image outside
 * canonical addresses or over the hypervisor's reserved range, and
 * numeric notes whose size is not 1, 2, 4 or 8 bytes.
 */

#ifndef KLIB_XEN_ELF_H
#define KLIB_XEN_ELF_H

#include <stddef.h>
#include <stdint.h>

#include <xm/version.h>

/* Loadable segments an image may have. */
#define XEN_ELF_MAX_SEGMENTS	16

/* String note buffers, NUL included.  A longer string is rejected. */
#define XEN_ELF_XEN_VERSION_LEN		32
#define XEN_ELF_GUEST_OS_LEN		64
#define XEN_ELF_GUEST_VERSION_LEN	64
#define XEN_ELF_LOADER_LEN		32
#define XEN_ELF_PAE_MODE_LEN		16
#define XEN_ELF_FEATURES_LEN		256

/* The value of an absent address note. */
#define XEN_ELF_UNSET		UINT64_MAX
#define XEN_ELF_UNSET32		UINT32_MAX

/* xs_flags, as ELF's p_flags. */
#define XEN_ELF_PF_X		0x1
#define XEN_ELF_PF_W		0x2
#define XEN_ELF_PF_R		0x4

/* One PT_LOAD segment, in the order of the program header table. */
struct xen_elf_segment {
	uint64_t	xs_offset;	/* file offset of its first byte */
	uint64_t	xs_vaddr;	/* guest virtual destination */
	uint64_t	xs_paddr;	/* p_paddr as the image has it */
	uint64_t	xs_filesz;	/* bytes copied from the image */
	uint64_t	xs_memsz;	/* in memory; the rest is zeroed */
	uint32_t	xs_flags;	/* XEN_ELF_PF_* */
	uint32_t	xs_pad;
};

struct xen_elf_info {
	/* Guest virtual addresses, after the defaults were applied. */
	uint64_t	xi_entry;		/* ENTRY, else e_entry */
	uint64_t	xi_virt_base;		/* VIRT_BASE, else 0 */
	uint64_t	xi_paddr_offset;	/* PADDR_OFFSET, else 0 */
	uint64_t	xi_virt_kstart;		/* first byte of the image */
	uint64_t	xi_virt_kend;		/* one past its last byte */

	/* Notes without a default: XEN_ELF_UNSET when absent. */
	uint64_t	xi_hypercall_page;	/* page-aligned, in the image */
	uint64_t	xi_hv_start_low;
	uint64_t	xi_init_p2m;		/* where to map the p2m list */

	/* Notes read as numbers: 0 when absent. */
	uint64_t	xi_suspend_cancel;
	uint64_t	xi_mod_start_pfn;	/* non-0: unmapped initrd ok */
	uint64_t	xi_l1_mfn_valid_mask;	/* first mask/value pair */
	uint64_t	xi_l1_mfn_valid_value;

	uint32_t	xi_phys32_entry;	/* XEN_ELF_UNSET32 if absent */
	uint32_t	xi_notes;		/* bit n: note type n seen */

	/* XENFEAT_* bit numbers (include/xm/version.h), word 0. */
	uint32_t	xi_features_required;	/* "!name" in FEATURES */
	uint32_t	xi_features_supported;	/* and SUPPORTED_FEATURES */

	uint8_t		xi_bsd_symtab;		/* BSD_SYMTAB is "yes" */
	uint8_t		xi_notes_in_sections;	/* from SHT_NOTE, not PT_NOTE */
	uint8_t		xi_pad[6];

	/* String notes up to their NUL; "" when absent. */
	char		xi_xen_version[XEN_ELF_XEN_VERSION_LEN];
	char		xi_guest_os[XEN_ELF_GUEST_OS_LEN];
	char		xi_guest_version[XEN_ELF_GUEST_VERSION_LEN];
	char		xi_loader[XEN_ELF_LOADER_LEN];
	char		xi_pae_mode[XEN_ELF_PAE_MODE_LEN];
	char		xi_features[XEN_ELF_FEATURES_LEN];

	uint32_t	xi_nsegments;
	uint32_t	xi_pad2;
	struct xen_elf_segment xi_segments[XEN_ELF_MAX_SEGMENTS];
};

/* Whether the image carried the note of type (XM_ELFNOTE_*). */
static inline int
xen_elf_has(const struct xen_elf_info *info, unsigned int type)
{
	return type < 32 && (info->xi_notes & (UINT32_C(1) << type)) != 0;
}

/*
 * Check the image of size bytes and describe it in *out.  Returns 0, or
 * -1 with *why set to a static string that names what is wrong ("segment
 * 2 runs past the end of the image"); segments are numbered from 0 in
 * the order of their PT_LOAD headers.  Reads nothing outside the image;
 * *out is undefined on failure.
 */
int	xen_elf_parse(const void *image, size_t size, struct xen_elf_info *out,
	    const char **why);

/*
 * The features a kernel may require ("!name" in FEATURES) of a PV
 * domain that hv and xm's builders build: Xen's PV domain builder checks
 * only that a kernel supports what it requires, and these change
 * nothing in the build (Linux requires writable_page_tables so).
 */
#define XEN_ELF_PV_BUILDABLE						\
	((UINT32_C(1) << XM_XENFEAT_WRITABLE_PAGE_TABLES) |		\
	 (UINT32_C(1) << XM_XENFEAT_WRITABLE_DESCRIPTOR_TABLES) |	\
	 (UINT32_C(1) << XM_XENFEAT_PAE_PGDIR_ABOVE_4GB) |		\
	 (UINT32_C(1) << XM_XENFEAT_MMU_PT_UPDATE_PRESERVE_AD) |		\
	 (UINT32_C(1) << XM_XENFEAT_GNTTAB_MAP_AVAIL_BITS))

/*
 * The name of the first feature the kernel requires that is not in
 * buildable (XEN_ELF_PV_BUILDABLE, and dom0 for domain 0), or NULL.
 */
const char	*xen_elf_unbuildable(const struct xen_elf_info *info,
		    uint32_t buildable);

/*
 * Copy each segment of a parsed image to its xs_vaddr with write() and
 * zero the rest of its memory size with zero(); calls with a length of
 * 0 are skipped.  Returns 0, the first non-zero value a callback
 * returned, or -1 if info does not fit the image.
 */
int	xen_elf_load(const void *image, size_t size,
	    const struct xen_elf_info *info,
	    int (*write)(void *ctx, uint64_t vaddr, const void *src,
		uint64_t len),
	    int (*zero)(void *ctx, uint64_t vaddr, uint64_t len), void *ctx);

#endif /* KLIB_XEN_ELF_H */
