/*
 * Xen x86-64 PV guest kernel images: parse and load.  See klib/xen_elf.h.
 *
 * The rules are Xen's, from xen/common/libelf: which notes a PV image
 * must carry and how the addresses default (libelf-dominfo.c:
 * elf_xen_parse, elf_xen_note_check, elf_xen_addr_calc_check), how
 * notes and features are read (elf_xen_parse_note,
 * elf_xen_parse_features; libelf-tools.c: elf_note_numeric) and which
 * segments are loaded where (libelf-loader.c: elf_parse_binary,
 * elf_load_binary).
 *
 * The image is untrusted.  Every field is read byte by byte through
 * get16/get32/get64 from an offset that inside() has checked against
 * the image size first, with arithmetic that cannot overflow.
 */

#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>
#include <klib/xen_elf.h>
#include <xm/arch_x86_64.h>
#include <xm/elfnote.h>
#include <xm/hypercall.h>
#include <xm/version.h>

#include "xen_elf_int.h"

/* Messages about loadable segment n, static for every n. */
struct segment_why {
	const char	*sw_past_end;
	const char	*sw_filesz;
	const char	*sw_wraps;
};

#define SEGMENT_WHY(n) {						\
	"segment " #n " runs past the end of the image",		\
	"segment " #n " file size larger than its memory size",	\
	"segment " #n " wraps around the address space" }

static const struct segment_why segment_why[] = {
	SEGMENT_WHY(0), SEGMENT_WHY(1), SEGMENT_WHY(2), SEGMENT_WHY(3),
	SEGMENT_WHY(4), SEGMENT_WHY(5), SEGMENT_WHY(6), SEGMENT_WHY(7),
	SEGMENT_WHY(8), SEGMENT_WHY(9), SEGMENT_WHY(10), SEGMENT_WHY(11),
	SEGMENT_WHY(12), SEGMENT_WHY(13), SEGMENT_WHY(14), SEGMENT_WHY(15),
};
_Static_assert(sizeof(segment_why) / sizeof(segment_why[0]) ==
    XEN_ELF_MAX_SEGMENTS, "a message set for every segment");

/*
 * Headers and tables.
 */

static const char *
read_ident(const uint8_t *p, size_t size)
{
	if (size < 4 || kmemcmp(p, "\177ELF", 4) != 0)
		return "not an ELF file";
	if (size < EHDR_SIZE)
		return "ELF header truncated";
	if (p[EI_CLASS] != ELFCLASS64)
		return "not a 64-bit ELF";
	if (p[EI_DATA] != ELFDATA2LSB)
		return "not a little-endian ELF";
	if (p[EI_VERSION] != EV_CURRENT || get32(p + E_VERSION) != EV_CURRENT)
		return "unknown ELF version";
	if (get16(p + E_TYPE) != ET_EXEC || get16(p + E_MACHINE) != EM_X86_64)
		return "not an x86-64 executable";
	return NULL;
}

static const char *
read_tables(struct image *im)
{
	const uint8_t *p = im->im_base;

	im->im_entry = get64(p + E_ENTRY);
	im->im_phoff = get64(p + E_PHOFF);
	im->im_phnum = get16(p + E_PHNUM);
	im->im_shoff = get64(p + E_SHOFF);
	im->im_shnum = get16(p + E_SHNUM);
	if (im->im_phnum > 0 && get16(p + E_PHENTSIZE) != PHDR_SIZE)
		return "unexpected program header size";
	if (!inside(im->im_size, im->im_phoff,
	    (uint64_t)im->im_phnum * PHDR_SIZE))
		return "program header table outside the image";
	if (im->im_shnum > 0 && get16(p + E_SHENTSIZE) != SHDR_SIZE)
		return "unexpected section header size";
	if (!inside(im->im_size, im->im_shoff,
	    (uint64_t)im->im_shnum * SHDR_SIZE))
		return "section header table outside the image";
	return NULL;
}

static const char *
read_header(struct image *im, struct xen_elf_info *info)
{
	const char *why;

	(void)info;
	if ((why = read_ident(im->im_base, im->im_size)) != NULL)
		return why;
	return read_tables(im);
}

/*
 * Segments.
 */

/* Xen loads PT_LOAD segments that are readable, writable or executable. */
static int
is_loadable(const uint8_t *ph)
{
	uint32_t rwx = XEN_ELF_PF_R | XEN_ELF_PF_W | XEN_ELF_PF_X;

	return get32(ph + P_TYPE) == PT_LOAD && (get32(ph + P_FLAGS) & rwx);
}

static const char *
read_segment(const uint8_t *ph, size_t size, struct xen_elf_segment *s,
    const struct segment_why *why)
{
	kmemset(s, 0, sizeof(*s));
	s->xs_offset = get64(ph + P_OFFSET);
	s->xs_paddr = get64(ph + P_PADDR);
	s->xs_filesz = get64(ph + P_FILESZ);
	s->xs_memsz = get64(ph + P_MEMSZ);
	s->xs_flags = get32(ph + P_FLAGS);
	if (!inside(size, s->xs_offset, s->xs_filesz))
		return why->sw_past_end;
	if (s->xs_filesz > s->xs_memsz)
		return why->sw_filesz;
	if (s->xs_memsz > UINT64_MAX - s->xs_paddr)
		return why->sw_wraps;
	return NULL;
}

static const char *
read_segments(struct image *im, struct xen_elf_info *info)
{
	struct xen_elf_segment *s;
	const char *why;
	unsigned int i;

	for (i = 0; i < im->im_phnum; i++) {
		if (!is_loadable(phdr(im, i)))
			continue;
		if (info->xi_nsegments == XEN_ELF_MAX_SEGMENTS)
			return "too many loadable segments";
		s = &info->xi_segments[info->xi_nsegments];
		why = read_segment(phdr(im, i), im->im_size, s,
		    &segment_why[info->xi_nsegments]);
		if (why != NULL)
			return why;
		info->xi_nsegments++;
	}
	if (info->xi_nsegments == 0)
		return "no loadable segment";
	return NULL;
}

static int
segments_overlap(const struct xen_elf_segment *a,
    const struct xen_elf_segment *b)
{
	return a->xs_paddr < b->xs_paddr + b->xs_memsz &&
	    b->xs_paddr < a->xs_paddr + a->xs_memsz;
}

static const char *
check_overlap(struct image *im, struct xen_elf_info *info)
{
	uint32_t i, j;

	(void)im;
	for (i = 0; i < info->xi_nsegments; i++) {
		for (j = i + 1; j < info->xi_nsegments; j++) {
			if (segments_overlap(&info->xi_segments[i],
			    &info->xi_segments[j]))
				return "segments overlap";
		}
	}
	return NULL;
}

/*
 * Addresses.
 */

/*
 * Move the image to virtual addresses (elf_xen_addr_calc_check): each
 * p_paddr shifts by VIRT_BASE - PADDR_OFFSET, modulo 2^64.
 */
static const char *
place_image(struct image *im, struct xen_elf_info *info)
{
	uint64_t shift, pstart = UINT64_MAX, pend = 0;
	struct xen_elf_segment *s;
	uint32_t i;

	if (xen_elf_has(info, XM_ELFNOTE_PADDR_OFFSET) &&
	    !xen_elf_has(info, XM_ELFNOTE_VIRT_BASE))
		return "PADDR_OFFSET without VIRT_BASE";
	if (!xen_elf_has(info, XM_ELFNOTE_ENTRY))
		info->xi_entry = im->im_entry;
	shift = info->xi_virt_base - info->xi_paddr_offset;
	for (i = 0; i < info->xi_nsegments; i++) {
		s = &info->xi_segments[i];
		s->xs_vaddr = s->xs_paddr + shift;
		if (s->xs_paddr < pstart)
			pstart = s->xs_paddr;
		if (s->xs_paddr + s->xs_memsz > pend)
			pend = s->xs_paddr + s->xs_memsz;
	}
	info->xi_virt_kstart = pstart + shift;
	info->xi_virt_kend = pend + shift;
	if (info->xi_virt_kend < info->xi_virt_kstart)
		return "loaded image wraps around the address space";
	return NULL;
}

static int
in_image(const struct xen_elf_info *info, uint64_t va)
{
	return va >= info->xi_virt_kstart && va < info->xi_virt_kend;
}

static const char *
check_range(struct image *im, struct xen_elf_info *info)
{
	uint64_t start = info->xi_virt_kstart, end = info->xi_virt_kend;

	(void)im;
	if (end > LOW_END && start < HIGH_START)
		return "loaded image outside canonical addresses";
	if (start < XM_HYPERVISOR_VIRT_END && end > XM_HYPERVISOR_VIRT_START)
		return "loaded image overlaps the hypervisor's reserved range";
	if (info->xi_virt_base > start)
		return "loaded image starts below VIRT_BASE";
	return NULL;
}

static const char *
check_addresses(struct image *im, struct xen_elf_info *info)
{
	uint64_t hp = info->xi_hypercall_page;

	(void)im;
	if (!in_image(info, info->xi_entry))
		return "entry point outside the loaded image";
	if (xen_elf_has(info, XM_ELFNOTE_HYPERCALL_PAGE)) {
		if (!in_image(info, hp) ||
		    info->xi_virt_kend - hp < XM_HYPERCALL_PAGE_SIZE)
			return "hypercall page outside the loaded image";
		if (hp % XM_HYPERCALL_PAGE_SIZE != 0)
			return "hypercall page not page-aligned";
	}
	if (xen_elf_has(info, XM_ELFNOTE_INIT_P2M) &&
	    in_image(info, info->xi_init_p2m))
		return "INIT_P2M inside the loaded image";
	return NULL;
}

/*
 * Parse.
 */

static void
info_init(struct xen_elf_info *info)
{
	kmemset(info, 0, sizeof(*info));
	info->xi_hypercall_page = XEN_ELF_UNSET;
	info->xi_hv_start_low = XEN_ELF_UNSET;
	info->xi_init_p2m = XEN_ELF_UNSET;
	info->xi_phys32_entry = XEN_ELF_UNSET32;
}

typedef const char *parse_step(struct image *, struct xen_elf_info *);

/* The checks, in order; each may rely on those before it. */
static parse_step *const parse_steps[] = {
	read_header,
	read_segments,
	check_overlap,
	xen_elf_read_notes,
	xen_elf_check_notes,
	place_image,
	check_range,
	check_addresses,
};

int
xen_elf_parse(const void *image, size_t size, struct xen_elf_info *out,
    const char **why)
{
	struct image im;
	const char *err = NULL;
	size_t i;

	kmemset(&im, 0, sizeof(im));
	im.im_base = image;
	im.im_size = size;
	info_init(out);
	for (i = 0; err == NULL &&
	    i < sizeof(parse_steps) / sizeof(parse_steps[0]); i++)
		err = parse_steps[i](&im, out);
	if (why != NULL)
		*why = err;
	return err == NULL ? 0 : -1;
}

/*
 * Load.
 */

static int
segment_fits(const struct xen_elf_segment *s, size_t size)
{
	return inside(size, s->xs_offset, s->xs_filesz) &&
	    s->xs_filesz <= s->xs_memsz &&
	    s->xs_memsz <= UINT64_MAX - s->xs_vaddr;
}

int
xen_elf_load(const void *image, size_t size, const struct xen_elf_info *info,
    int (*write)(void *ctx, uint64_t vaddr, const void *src, uint64_t len),
    int (*zero)(void *ctx, uint64_t vaddr, uint64_t len), void *ctx)
{
	const struct xen_elf_segment *s;
	uint32_t i;
	int rc;

	if (info->xi_nsegments > XEN_ELF_MAX_SEGMENTS)
		return -1;
	for (i = 0; i < info->xi_nsegments; i++) {
		s = &info->xi_segments[i];
		if (!segment_fits(s, size))
			return -1;
		if (s->xs_filesz > 0 && (rc = write(ctx, s->xs_vaddr,
		    (const uint8_t *)image + s->xs_offset, s->xs_filesz)) != 0)
			return rc;
		if (s->xs_memsz > s->xs_filesz && (rc = zero(ctx,
		    s->xs_vaddr + s->xs_filesz,
		    s->xs_memsz - s->xs_filesz)) != 0)
			return rc;
	}
	return 0;
}
