/*
 * The Xen notes of a PV guest kernel image (klib/xen_elf.h), read as
 * Xen's libelf reads them (libelf-dominfo.c: elf_xen_parse_note,
 * elf_xen_parse_features, elf_xen_note_check; libelf-tools.c:
 * elf_note_numeric): from PT_NOTE segments, or SHT_NOTE sections when
 * no segment held a Xen note; each descriptor checked before use.
 */
#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>
#include <klib/xen_elf.h>
#include <xm/elfnote.h>
#include <xm/version.h>

#include "xen_elf_int.h"

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
const char *
xen_elf_read_notes(struct image *im, struct xen_elf_info *info)
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
const char *
xen_elf_check_notes(struct image *im, struct xen_elf_info *info)
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
