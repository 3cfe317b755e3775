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

/* ELF64, from the System V gABI and the x86-64 psABI. */
#define EI_CLASS	4
#define EI_DATA		5
#define EI_VERSION	6
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define ET_EXEC		2
#define EM_X86_64	62
#define PT_LOAD		1
#define PT_NOTE		4
#define SHT_NOTE	7

/* Elf64_Ehdr: size and field offsets. */
#define EHDR_SIZE	64
#define E_TYPE		16
#define E_MACHINE	18
#define E_VERSION	20
#define E_ENTRY		24
#define E_PHOFF		32
#define E_SHOFF		40
#define E_PHENTSIZE	54
#define E_PHNUM		56
#define E_SHENTSIZE	58
#define E_SHNUM		60

/* Elf64_Phdr. */
#define PHDR_SIZE	56
#define P_TYPE		0
#define P_FLAGS		4
#define P_OFFSET	8
#define P_PADDR		24
#define P_FILESZ	32
#define P_MEMSZ		40

/* Elf64_Shdr. */
#define SHDR_SIZE	64
#define SH_TYPE		4
#define SH_OFFSET	24
#define SH_SIZE		32

/* A note: namesz, descsz, type; name and descriptor padded to 4. */
#define NOTE_HDR	12
#define NOTE_PAD(n)	(((uint64_t)(n) + 3) & ~(uint64_t)3)

/*
 * Notes read over all note areas.  Each note takes 12 bytes or more, so
 * the walk is bounded anyway; the limit stops an image whose note
 * headers all point at one large area from making it quadratic.
 */
#define MAX_NOTES	4096

/* Canonical x86-64 addresses: [0, LOW_END) and [HIGH_START, 2^64). */
#define LOW_END		UINT64_C(0x0000800000000000)
#define HIGH_START	UINT64_C(0xffff800000000000)

/* The image, as far as its headers have been checked. */
struct image {
	const uint8_t	*im_base;
	size_t		 im_size;
	uint64_t	 im_entry;	/* e_entry */
	uint64_t	 im_phoff;
	uint64_t	 im_shoff;
	unsigned int	 im_phnum;
	unsigned int	 im_shnum;
	unsigned int	 im_nnotes;	/* ELF notes read */
	unsigned int	 im_nxen;	/* of which named "Xen" */
};

struct note_rule;
typedef const char *note_fn(struct xen_elf_info *, const struct note_rule *,
    const uint8_t *, uint64_t);

/* How to read one Xen note type into struct xen_elf_info. */
struct note_rule {
	note_fn		*nr_parse;
	size_t		 nr_field;	/* offset of the destination */
	size_t		 nr_len;	/* its size */
	const char	*nr_bad;	/* why, if the descriptor is bad */
};

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

/* FEATURES names: XENFEAT_* without the prefix, indexed by bit. */
static const char *const feature_names[] = {
	[XM_XENFEAT_WRITABLE_PAGE_TABLES] = "writable_page_tables",
	[XM_XENFEAT_WRITABLE_DESCRIPTOR_TABLES] =
	    "writable_descriptor_tables",
	[XM_XENFEAT_AUTO_TRANSLATED_PHYSMAP] = "auto_translated_physmap",
	[XM_XENFEAT_SUPERVISOR_MODE_KERNEL] = "supervisor_mode_kernel",
	[XM_XENFEAT_PAE_PGDIR_ABOVE_4GB] = "pae_pgdir_above_4gb",
	[XM_XENFEAT_MMU_PT_UPDATE_PRESERVE_AD] = "mmu_pt_update_preserve_ad",
	[XM_XENFEAT_HIGHMEM_ASSIST] = "highmem_assist",
	[XM_XENFEAT_GNTTAB_MAP_AVAIL_BITS] = "gnttab_map_avail_bits",
	[XM_XENFEAT_HVM_CALLBACK_VECTOR] = "hvm_callback_vector",
	[XM_XENFEAT_HVM_SAFE_PVCLOCK] = "hvm_safe_pvclock",
	[XM_XENFEAT_HVM_PIRQS] = "hvm_pirqs",
	[XM_XENFEAT_DOM0] = "dom0",
	[XM_XENFEAT_MEMORY_OP_VNODE_SUPPORTED] = "memory_op_vnode_supported",
	[XM_XENFEAT_ARM_SMCCC_SUPPORTED] = "ARM_SMCCC_supported",
	[XM_XENFEAT_LINUX_RSDP_UNRESTRICTED] = "linux_rsdp_unrestricted",
	[XM_XENFEAT_NOT_DIRECT_MAPPED] = "not_direct_mapped",
	[XM_XENFEAT_DIRECT_MAPPED] = "direct_mapped",
};
_Static_assert(sizeof(feature_names) / sizeof(feature_names[0]) <= 32,
    "features fit one 32-bit word");

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

static uint64_t
get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* Whether [off, off + len) lies within an image of size bytes. */
static int
inside(size_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

/* Whether s starts with the non-empty prefix. */
static int
has_prefix(const char *s, const char *prefix)
{
	return kstrncmp(s, prefix, kstrlen(prefix)) == 0;
}

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

static const uint8_t *
phdr(const struct image *im, unsigned int i)
{
	return im->im_base + im->im_phoff + (uint64_t)i * PHDR_SIZE;
}

static const uint8_t *
shdr(const struct image *im, unsigned int i)
{
	return im->im_base + im->im_shoff + (uint64_t)i * SHDR_SIZE;
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
 * Xen notes, one handler per kind of descriptor.
 */

static void *
field(struct xen_elf_info *info, const struct note_rule *rule)
{
	return (char *)info + rule->nr_field;
}

/* Numbers are 1, 2, 4 or 8 bytes, little-endian (elf_note_numeric). */
static int
read_number(const uint8_t *desc, uint64_t descsz, uint64_t *v)
{
	switch (descsz) {
	case 1:
		*v = desc[0];
		return 0;
	case 2:
		*v = get16(desc);
		return 0;
	case 4:
		*v = get32(desc);
		return 0;
	case 8:
		*v = get64(desc);
		return 0;
	default:
		return -1;
	}
}

static const char *
note_number(struct xen_elf_info *info, const struct note_rule *rule,
    const uint8_t *desc, uint64_t descsz)
{
	uint64_t v;

	if (read_number(desc, descsz, &v) != 0)
		return rule->nr_bad;
	*(uint64_t *)field(info, rule) = v;
	return NULL;
}

static const char *
note_phys32(struct xen_elf_info *info, const struct note_rule *rule,
    const uint8_t *desc, uint64_t descsz)
{
	uint64_t v;

	if (read_number(desc, descsz, &v) != 0)
		return rule->nr_bad;
	if (v > UINT32_MAX)
		return "Xen note PHYS32_ENTRY above 4 GiB";
	*(uint32_t *)field(info, rule) = (uint32_t)v;
	return NULL;
}

/*
 * A string ends at its NUL or at the end of the descriptor: Linux
 * declares FEATURES with .ascii and relies on the padding for its NUL.
 */
static const char *
note_string(struct xen_elf_info *info, const struct note_rule *rule,
    const uint8_t *desc, uint64_t descsz)
{
	char *dst = field(info, rule);
	size_t n;

	n = kstrnlen((const char *)desc, descsz);
	if (n >= rule->nr_len)
		return rule->nr_bad;
	kmemcpy(dst, desc, n);
	dst[n] = '\0';
	return NULL;
}

static int
feature_bit(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(feature_names) / sizeof(feature_names[0]);
	    i++) {
		if (feature_names[i] != NULL &&
		    kstrncmp(feature_names[i], name, len) == 0 &&
		    feature_names[i][len] == '\0')
			return (int)i;
	}
	return -1;
}

/*
 * One name from FEATURES: "name" is supported, "!name" required (and so
 * supported too).  An unknown name is ignored unless it is required.
 */
static int
apply_feature(struct xen_elf_info *info, const char *s, size_t len)
{
	int required = s[0] == '!';
	int bit;

	if (required) {
		s++;
		len--;
	}
	bit = feature_bit(s, len);
	if (bit < 0)
		return required ? -1 : 0;
	info->xi_features_supported |= UINT32_C(1) << bit;
	if (required)
		info->xi_features_required |= UINT32_C(1) << bit;
	return 0;
}

const char *
xen_elf_unbuildable(const struct xen_elf_info *info, uint32_t buildable)
{
	uint32_t extra = info->xi_features_required & ~buildable;
	unsigned int bit;

	for (bit = 0; bit < 32; bit++)
		if (extra & (UINT32_C(1) << bit))
			return bit < sizeof(feature_names) /
			    sizeof(feature_names[0]) &&
			    feature_names[bit] != NULL ?
			    feature_names[bit] : "an unnamed feature";
	return NULL;
}

static const char *
note_features(struct xen_elf_info *info, const struct note_rule *rule,
    const uint8_t *desc, uint64_t descsz)
{
	const char *s, *why;
	size_t len;

	if ((why = note_string(info, rule, desc, descsz)) != NULL)
		return why;
	for (s = info->xi_features; *s != '\0'; s += len) {
		for (len = 0; s[len] != '\0' && s[len] != '|'; len++)
			;
		if (len > 0 && apply_feature(info, s, len) != 0)
			return "Xen note FEATURES requires an unknown feature";
		if (s[len] == '|')
			len++;
	}
	return NULL;
}

/* A bitmap of 32-bit words; word 0 is the only one defined. */
static const char *
note_feature_map(struct xen_elf_info *info, const struct note_rule *rule,
    const uint8_t *desc, uint64_t descsz)
{
	if (descsz == 0 || descsz % 4 != 0)
		return rule->nr_bad;
	*(uint32_t *)field(info, rule) |= get32(desc);
	return NULL;
}

/*
 * Mask/value pairs of maddr_t, 8 bytes each; one pair of 4-byte values
 * is accepted too (FreeBSD declares it with .long).  The first pair is
 * kept.
 */
static const char *
note_l1_mfn_valid(struct xen_elf_info *info, const struct note_rule *rule,
    const uint8_t *desc, uint64_t descsz)
{
	if (descsz == 8) {
		info->xi_l1_mfn_valid_mask = get32(desc);
		info->xi_l1_mfn_valid_value = get32(desc + 4);
	} else if (descsz > 0 && descsz % 16 == 0) {
		info->xi_l1_mfn_valid_mask = get64(desc);
		info->xi_l1_mfn_valid_value = get64(desc + 8);
	} else
		return rule->nr_bad;
	return NULL;
}

/* "yes" asks for the symbol table; anything else does not. */
static const char *
note_yes(struct xen_elf_info *info, const struct note_rule *rule,
    const uint8_t *desc, uint64_t descsz)
{
	size_t n;

	n = kstrnlen((const char *)desc, descsz);
	*(uint8_t *)field(info, rule) = n == 3 && kmemcmp(desc, "yes", 3) == 0;
	return NULL;
}

#define FIELD(f)	offsetof(struct xen_elf_info, f),		\
			sizeof(((struct xen_elf_info *)NULL)->f)

/* Note types this parser reads; other types are ignored, as Xen does. */
static const struct note_rule note_rules[] = {
	[XM_ELFNOTE_ENTRY] = { note_number, FIELD(xi_entry),
	    "Xen note ENTRY has a bad size" },
	[XM_ELFNOTE_HYPERCALL_PAGE] = { note_number, FIELD(xi_hypercall_page),
	    "Xen note HYPERCALL_PAGE has a bad size" },
	[XM_ELFNOTE_VIRT_BASE] = { note_number, FIELD(xi_virt_base),
	    "Xen note VIRT_BASE has a bad size" },
	[XM_ELFNOTE_PADDR_OFFSET] = { note_number, FIELD(xi_paddr_offset),
	    "Xen note PADDR_OFFSET has a bad size" },
	[XM_ELFNOTE_XEN_VERSION] = { note_string, FIELD(xi_xen_version),
	    "Xen note XEN_VERSION too long" },
	[XM_ELFNOTE_GUEST_OS] = { note_string, FIELD(xi_guest_os),
	    "Xen note GUEST_OS too long" },
	[XM_ELFNOTE_GUEST_VERSION] = { note_string, FIELD(xi_guest_version),
	    "Xen note GUEST_VERSION too long" },
	[XM_ELFNOTE_LOADER] = { note_string, FIELD(xi_loader),
	    "Xen note LOADER too long" },
	[XM_ELFNOTE_PAE_MODE] = { note_string, FIELD(xi_pae_mode),
	    "Xen note PAE_MODE too long" },
	[XM_ELFNOTE_FEATURES] = { note_features, FIELD(xi_features),
	    "Xen note FEATURES too long" },
	[XM_ELFNOTE_BSD_SYMTAB] = { note_yes, FIELD(xi_bsd_symtab), NULL },
	[XM_ELFNOTE_HV_START_LOW] = { note_number, FIELD(xi_hv_start_low),
	    "Xen note HV_START_LOW has a bad size" },
	[XM_ELFNOTE_L1_MFN_VALID] = { note_l1_mfn_valid,
	    FIELD(xi_l1_mfn_valid_mask),
	    "Xen note L1_MFN_VALID has a bad size" },
	[XM_ELFNOTE_SUSPEND_CANCEL] = { note_number, FIELD(xi_suspend_cancel),
	    "Xen note SUSPEND_CANCEL has a bad size" },
	[XM_ELFNOTE_INIT_P2M] = { note_number, FIELD(xi_init_p2m),
	    "Xen note INIT_P2M has a bad size" },
	[XM_ELFNOTE_MOD_START_PFN] = { note_number, FIELD(xi_mod_start_pfn),
	    "Xen note MOD_START_PFN has a bad size" },
	[XM_ELFNOTE_SUPPORTED_FEATURES] = { note_feature_map,
	    FIELD(xi_features_supported),
	    "Xen note SUPPORTED_FEATURES has a bad size" },
	[XM_ELFNOTE_PHYS32_ENTRY] = { note_phys32, FIELD(xi_phys32_entry),
	    "Xen note PHYS32_ENTRY has a bad size" },
};
_Static_assert(sizeof(note_rules) / sizeof(note_rules[0]) <= 32,
    "note types fit xi_notes");

static const char *
parse_xen_note(struct xen_elf_info *info, uint32_t type, const uint8_t *desc,
    uint64_t descsz)
{
	const struct note_rule *rule;

	if (type >= sizeof(note_rules) / sizeof(note_rules[0]))
		return NULL;
	rule = &note_rules[type];
	if (rule->nr_parse == NULL)
		return NULL;
	info->xi_notes |= UINT32_C(1) << type;
	return rule->nr_parse(info, rule, desc, descsz);
}

/*
 * Walk the notes in [off, off + len), already checked to be inside the
 * image.  A note's name and descriptor are padded to 4 bytes; the
 * padding after the area's last descriptor may be missing.
 */
static const char *
parse_notes(struct image *im, uint64_t off, uint64_t len,
    struct xen_elf_info *info)
{
	const uint8_t *p = im->im_base + off;
	uint64_t namesz, descsz, step;
	const char *why;

	while (len > 0) {
		if (++im->im_nnotes > MAX_NOTES)
			return "too many ELF notes";
		if (len < NOTE_HDR)
			return "malformed ELF note";
		namesz = NOTE_PAD(get32(p));
		descsz = get32(p + 4);
		if (namesz > len - NOTE_HDR ||
		    descsz > len - NOTE_HDR - namesz)
			return "malformed ELF note";
		if (get32(p) == XM_ELFNOTE_NAMESZ &&
		    kmemcmp(p + NOTE_HDR, XM_ELFNOTE_NAME, XM_ELFNOTE_NAMESZ)
		    == 0) {
			im->im_nxen++;
			why = parse_xen_note(info, get32(p + 8),
			    p + NOTE_HDR + namesz, descsz);
			if (why != NULL)
				return why;
		}
		step = NOTE_HDR + namesz + NOTE_PAD(descsz);
		step = step < len ? step : len;
		p += step;
		len -= step;
	}
	return NULL;
}

/*
 * PT_NOTE segments first; like Xen, skip those at offset 0, which some
 * binutils wrote for note segments.
 */
static const char *
notes_from_segments(struct image *im, struct xen_elf_info *info)
{
	const uint8_t *ph;
	uint64_t off, len;
	const char *why;
	unsigned int i;

	for (i = 0; i < im->im_phnum; i++) {
		ph = phdr(im, i);
		off = get64(ph + P_OFFSET);
		len = get64(ph + P_FILESZ);
		if (get32(ph + P_TYPE) != PT_NOTE || off == 0)
			continue;
		if (!inside(im->im_size, off, len))
			return "note segment runs past the end of the image";
		if ((why = parse_notes(im, off, len, info)) != NULL)
			return why;
	}
	return NULL;
}

static const char *
notes_from_sections(struct image *im, struct xen_elf_info *info)
{
	const uint8_t *sh;
	uint64_t off, len;
	const char *why;
	unsigned int i;

	for (i = 1; i < im->im_shnum; i++) {
		sh = shdr(im, i);
		off = get64(sh + SH_OFFSET);
		len = get64(sh + SH_SIZE);
		if (get32(sh + SH_TYPE) != SHT_NOTE)
			continue;
		if (!inside(im->im_size, off, len))
			return "note section runs past the end of the image";
		if ((why = parse_notes(im, off, len, info)) != NULL)
			return why;
	}
	return NULL;
}

/* SHT_NOTE sections are read only when no PT_NOTE held a Xen note. */
static const char *
read_notes(struct image *im, struct xen_elf_info *info)
{
	const char *why;

	why = notes_from_segments(im, info);
	if (why != NULL || im->im_nxen > 0)
		return why;
	info->xi_notes_in_sections = 1;
	return notes_from_sections(im, info);
}

/*
 * What a PV image must declare (elf_xen_note_check): Xen notes, the
 * generic loader or a Linux guest, and the Xen 3.0 interface.
 */
static const char *
check_notes(struct image *im, struct xen_elf_info *info)
{
	if (im->im_nxen == 0)
		return "no Xen notes";
	if (!has_prefix(info->xi_loader, "generic") &&
	    !has_prefix(info->xi_guest_os, "linux"))
		return "neither LOADER generic nor GUEST_OS linux";
	if (!xen_elf_has(info, XM_ELFNOTE_XEN_VERSION))
		return "Xen note XEN_VERSION missing";
	if (!has_prefix(info->xi_xen_version, "xen-3.0"))
		return "Xen note XEN_VERSION not xen-3.0";
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
	read_notes,
	check_notes,
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
