/*
 * Unit tests for the Xen PV kernel image parser (klib/xen_elf.c).
 *
 * Each test builds an ELF64 image in memory, the way a linker lays out
 * a PV kernel: the ELF header, program headers, a PT_NOTE segment of
 * "Xen" notes and PT_LOAD segments, and checks what xen_elf_parse()
 * makes of it.  The two reference images mirror what real guests
 * declare: Linux (arch/x86/xen/xen-head.S: VIRT_BASE
 * __START_KERNEL_map, PADDR_OFFSET 0, segments at physical 16 MiB)
 * and Mini-OS (linked at 0 and declaring only GUEST_OS, LOADER,
 * HYPERCALL_PAGE and XEN_VERSION).
 *
 * Every rejection is checked by its exact message.  Truncated and
 * corrupted images are parsed from buffers of exactly their size, so
 * that valgrind sees any read past the end.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <klib/xen_elf.h>
#include <xm/elfnote.h>
#include <xm/version.h>

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#define IMAGE_MAX	0x10000
#define PHDR_OFF	64		/* program headers follow the header */
#define SHDR_OFF	0x900		/* section headers, when there are */
#define NOTES_OFF	0xa00		/* notes, up to DATA_OFF */
#define DATA_OFF	0x1000		/* segment contents from here */

#define LINUX_VIRT_BASE	UINT64_C(0xffffffff80000000)
#define LINUX_PADDR	UINT64_C(0x1000000)
#define LINUX_TEXT	(LINUX_VIRT_BASE + LINUX_PADDR)
#define LINUX_INIT_P2M	UINT64_C(0x8000000000)

#define PF_X		1
#define PF_W		2
#define PF_R		4
#define PT_LOAD		1
#define PT_NOTE		4
#define SHT_NOTE	7

#define FEAT(name)	(UINT32_C(1) << XM_XENFEAT_##name)
#define NOTE(name)	(UINT32_C(1) << XM_ELFNOTE_##name)

/* An image under construction. */
struct image {
	uint8_t		buf[IMAGE_MAX];
	size_t		size;		/* end of the last segment's bytes */
	size_t		notes_end;	/* where the next note goes */
};

static struct image	img;
static struct xen_elf_info info;
static const char	*why;

/*
 * Building images.
 */

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static void
put64(uint8_t *p, uint64_t v)
{
	put32(p, v);
	put32(p + 4, v >> 32);
}

static uint64_t
pad4(uint64_t n)
{
	return (n + 3) & ~(uint64_t)3;
}

/* An ELF header for an x86-64 executable entered at entry. */
static void
image_start(struct image *im, uint64_t entry)
{
	memset(im, 0, sizeof(*im));
	memcpy(im->buf, "\177ELF", 4);
	im->buf[4] = 2;				/* ELFCLASS64 */
	im->buf[5] = 1;				/* ELFDATA2LSB */
	im->buf[6] = 1;				/* EV_CURRENT */
	put16(im->buf + 16, 2);			/* ET_EXEC */
	put16(im->buf + 18, 62);		/* EM_X86_64 */
	put32(im->buf + 20, 1);
	put64(im->buf + 24, entry);
	put64(im->buf + 32, PHDR_OFF);
	put16(im->buf + 52, 64);		/* e_ehsize */
	put16(im->buf + 54, 56);		/* e_phentsize */
	put16(im->buf + 58, 64);		/* e_shentsize */
	im->size = DATA_OFF;
	im->notes_end = NOTES_OFF;
}

static unsigned int
phnum(const struct image *im)
{
	return im->buf[56] | im->buf[57] << 8;
}

static uint8_t *
phdr(struct image *im, unsigned int i)
{
	return im->buf + PHDR_OFF + i * 56;
}

static uint8_t *
add_phdr(struct image *im, uint32_t type, uint32_t flags, uint64_t offset,
    uint64_t paddr, uint64_t filesz, uint64_t memsz)
{
	uint8_t *ph = phdr(im, phnum(im));

	assert_true(ph + 56 <= im->buf + SHDR_OFF);
	put32(ph, type);
	put32(ph + 4, flags);
	put64(ph + 8, offset);
	put64(ph + 16, paddr | LINUX_VIRT_BASE);	/* ignored */
	put64(ph + 24, paddr);
	put64(ph + 32, filesz);
	put64(ph + 40, memsz);
	put64(ph + 48, 0x1000);
	put16(im->buf + 56, phnum(im) + 1);
	return ph;
}

/* A loadable segment whose bytes follow the image; returns its offset. */
static size_t
add_load(struct image *im, uint64_t paddr, uint64_t filesz, uint64_t memsz)
{
	size_t off = im->size, i;

	assert_true(off + filesz <= IMAGE_MAX);
	for (i = 0; i < filesz; i++)
		im->buf[off + i] = (uint8_t)(0x11 + 7 * i);
	add_phdr(im, PT_LOAD, PF_R | PF_X, off, paddr, filesz, memsz);
	im->size += filesz;
	return off;
}

static void
add_note(struct image *im, const char *name, uint32_t namesz, uint32_t type,
    const void *desc, uint32_t descsz)
{
	uint8_t *p = im->buf + im->notes_end;

	assert_true(im->notes_end + 12 + pad4(namesz) + pad4(descsz) <=
	    DATA_OFF);
	put32(p, namesz);
	put32(p + 4, descsz);
	put32(p + 8, type);
	memcpy(p + 12, name, namesz);
	memcpy(p + 12 + pad4(namesz), desc, descsz);
	im->notes_end += 12 + pad4(namesz) + pad4(descsz);
}

static void
xen_note(struct image *im, uint32_t type, const void *desc, uint32_t descsz)
{
	add_note(im, "Xen", 4, type, desc, descsz);
}

/* A string note as .asciz writes it. */
static void
note_str(struct image *im, uint32_t type, const char *s)
{
	xen_note(im, type, s, strlen(s) + 1);
}

/*
 * A string note as Linux's ELFNOTE(..., .ascii "...") writes it: the
 * descriptor size includes the padding, which is the only NUL.
 */
static void
note_ascii(struct image *im, uint32_t type, const char *s)
{
	char desc[256] = { 0 };

	memcpy(desc, s, strlen(s));
	xen_note(im, type, desc, pad4(strlen(s)));
}

static void
note_num(struct image *im, uint32_t type, uint64_t v, unsigned int size)
{
	uint8_t desc[8];

	put64(desc, v);
	xen_note(im, type, desc, size);
}

static void
note_u64(struct image *im, uint32_t type, uint64_t v)
{
	note_num(im, type, v, 8);
}

static void
note_u32(struct image *im, uint32_t type, uint32_t v)
{
	note_num(im, type, v, 4);
}

/* The PT_NOTE segment that holds the notes added so far. */
static void
add_note_segment(struct image *im)
{
	add_phdr(im, PT_NOTE, PF_R, NOTES_OFF, 0, im->notes_end - NOTES_OFF,
	    im->notes_end - NOTES_OFF);
}

/* A section header table: a null section and one SHT_NOTE section. */
static void
add_note_section(struct image *im, uint64_t off, uint64_t size)
{
	uint8_t *sh = im->buf + SHDR_OFF + 64;

	put64(im->buf + 40, SHDR_OFF);
	put16(im->buf + 60, 2);
	put32(sh + 4, SHT_NOTE);
	put64(sh + 24, off);
	put64(sh + 32, size);
	put64(sh + 48, 4);
}

/* The notes Linux declares for x86-64 PV (xen-head.S). */
static void
linux_notes(struct image *im)
{
	uint8_t build_id[20];
	uint64_t l1_mfn_valid[2] = { 1, 1 };

	memset(build_id, 0xb1, sizeof(build_id));
	add_note(im, "GNU", 4, 3, build_id, sizeof(build_id));
	note_str(im, XM_ELFNOTE_GUEST_OS, "linux");
	note_str(im, XM_ELFNOTE_GUEST_VERSION, "2.6");
	note_str(im, XM_ELFNOTE_XEN_VERSION, "xen-3.0");
	note_u64(im, XM_ELFNOTE_VIRT_BASE, LINUX_VIRT_BASE);
	note_u64(im, XM_ELFNOTE_INIT_P2M, LINUX_INIT_P2M);
	note_u64(im, XM_ELFNOTE_ENTRY, LINUX_TEXT + 0x40);
	note_ascii(im, XM_ELFNOTE_FEATURES, "!writable_page_tables");
	note_str(im, XM_ELFNOTE_PAE_MODE, "yes");
	xen_note(im, XM_ELFNOTE_L1_MFN_VALID, l1_mfn_valid,
	    sizeof(l1_mfn_valid));
	note_u32(im, XM_ELFNOTE_MOD_START_PFN, 1);
	note_u64(im, XM_ELFNOTE_PADDR_OFFSET, 0);
	note_u64(im, XM_ELFNOTE_HYPERCALL_PAGE, LINUX_TEXT + 0x1000);
	note_u32(im, XM_ELFNOTE_SUPPORTED_FEATURES,
	    FEAT(WRITABLE_PAGE_TABLES) | FEAT(DOM0) |
	    FEAT(LINUX_RSDP_UNRESTRICTED));
	note_str(im, XM_ELFNOTE_LOADER, "generic");
	note_u32(im, XM_ELFNOTE_SUSPEND_CANCEL, 1);
}

/*
 * A Linux-like image: vmlinux has e_entry at the physical 16 MiB and
 * one text segment there, followed here by bss.
 */
static void
linux_image(struct image *im)
{
	image_start(im, LINUX_PADDR);
	linux_notes(im);
	add_note_segment(im);
	add_load(im, LINUX_PADDR, 0x2000, 0x3000);
}

/* Mini-OS's notes; the caller may add more before finishing. */
static void
minios_begin(struct image *im)
{
	image_start(im, 0);
	note_str(im, XM_ELFNOTE_GUEST_OS, "Mini-OS");
	note_str(im, XM_ELFNOTE_LOADER, "generic");
	note_u64(im, XM_ELFNOTE_HYPERCALL_PAGE, 0x2000);
	note_str(im, XM_ELFNOTE_XEN_VERSION, "xen-3.0");
}

static void
minios_end(struct image *im)
{
	add_note_segment(im);
	add_load(im, 0, 0x3000, 0x5000);
}

static void
minios_image(struct image *im)
{
	minios_begin(im);
	minios_end(im);
}

static int
parse(struct image *im)
{
	return xen_elf_parse(im->buf, im->size, &info, &why);
}

static void
assert_parses(struct image *im)
{
	int rc = parse(im);

	if (rc != 0)
		fail_msg("rejected: %s", why);
	assert_null(why);
}

static void
assert_rejected(struct image *im, const char *expected)
{
	assert_int_equal(parse(im), -1);
	assert_non_null(why);
	assert_string_equal(why, expected);
}

/*
 * Reference images.
 */

static void
test_linux_image_is_placed_at_virt_base(void **state)
{
	(void)state;
	linux_image(&img);
	assert_parses(&img);

	assert_int_equal(info.xi_virt_base, LINUX_VIRT_BASE);
	assert_int_equal(info.xi_paddr_offset, 0);
	assert_int_equal(info.xi_virt_kstart, LINUX_TEXT);
	assert_int_equal(info.xi_virt_kend, LINUX_TEXT + 0x3000);
	assert_int_equal(info.xi_entry, LINUX_TEXT + 0x40);
	assert_int_equal(info.xi_hypercall_page, LINUX_TEXT + 0x1000);
	assert_int_equal(info.xi_init_p2m, LINUX_INIT_P2M);
	assert_int_equal(info.xi_hv_start_low, XEN_ELF_UNSET);
	assert_int_equal(info.xi_phys32_entry, XEN_ELF_UNSET32);
	assert_int_equal(info.xi_mod_start_pfn, 1);
	assert_int_equal(info.xi_suspend_cancel, 1);
	assert_int_equal(info.xi_l1_mfn_valid_mask, 1);
	assert_int_equal(info.xi_l1_mfn_valid_value, 1);
	assert_int_equal(info.xi_bsd_symtab, 0);
	assert_int_equal(info.xi_notes_in_sections, 0);
}

static void
test_linux_image_strings_and_features(void **state)
{
	(void)state;
	linux_image(&img);
	assert_parses(&img);

	assert_string_equal(info.xi_guest_os, "linux");
	assert_string_equal(info.xi_guest_version, "2.6");
	assert_string_equal(info.xi_xen_version, "xen-3.0");
	assert_string_equal(info.xi_loader, "generic");
	assert_string_equal(info.xi_pae_mode, "yes");
	assert_string_equal(info.xi_features, "!writable_page_tables");
	assert_int_equal(info.xi_features_required,
	    FEAT(WRITABLE_PAGE_TABLES));
	assert_int_equal(info.xi_features_supported,
	    FEAT(WRITABLE_PAGE_TABLES) | FEAT(DOM0) |
	    FEAT(LINUX_RSDP_UNRESTRICTED));
}

static void
test_linux_image_records_which_notes_it_has(void **state)
{
	(void)state;
	linux_image(&img);
	assert_parses(&img);

	assert_int_equal(info.xi_notes,
	    NOTE(ENTRY) | NOTE(HYPERCALL_PAGE) | NOTE(VIRT_BASE) |
	    NOTE(PADDR_OFFSET) | NOTE(XEN_VERSION) | NOTE(GUEST_OS) |
	    NOTE(GUEST_VERSION) | NOTE(LOADER) | NOTE(PAE_MODE) |
	    NOTE(FEATURES) | NOTE(L1_MFN_VALID) | NOTE(SUSPEND_CANCEL) |
	    NOTE(INIT_P2M) | NOTE(MOD_START_PFN) |
	    NOTE(SUPPORTED_FEATURES));
	assert_true(xen_elf_has(&info, XM_ELFNOTE_HYPERCALL_PAGE));
	assert_false(xen_elf_has(&info, XM_ELFNOTE_HV_START_LOW));
	assert_false(xen_elf_has(&info, 40));
}

static void
test_linux_segment_goes_to_its_vaddr(void **state)
{
	(void)state;
	linux_image(&img);
	assert_parses(&img);

	assert_int_equal(info.xi_nsegments, 1);
	assert_int_equal(info.xi_segments[0].xs_offset, DATA_OFF);
	assert_int_equal(info.xi_segments[0].xs_paddr, LINUX_PADDR);
	assert_int_equal(info.xi_segments[0].xs_vaddr, LINUX_TEXT);
	assert_int_equal(info.xi_segments[0].xs_filesz, 0x2000);
	assert_int_equal(info.xi_segments[0].xs_memsz, 0x3000);
	assert_int_equal(info.xi_segments[0].xs_flags,
	    XEN_ELF_PF_R | XEN_ELF_PF_X);
}

static void
test_minios_image_linked_at_zero(void **state)
{
	(void)state;
	minios_image(&img);
	assert_parses(&img);

	assert_int_equal(info.xi_virt_base, 0);
	assert_int_equal(info.xi_paddr_offset, 0);
	assert_int_equal(info.xi_virt_kstart, 0);
	assert_int_equal(info.xi_virt_kend, 0x5000);
	assert_int_equal(info.xi_entry, 0);
	assert_int_equal(info.xi_hypercall_page, 0x2000);
	assert_string_equal(info.xi_guest_os, "Mini-OS");
	assert_int_equal(info.xi_segments[0].xs_vaddr, 0);
}

/*
 * Defaults.
 */

static void
test_absent_notes_take_their_defaults(void **state)
{
	(void)state;
	image_start(&img, 0x400010);
	note_str(&img, XM_ELFNOTE_LOADER, "generic");
	note_str(&img, XM_ELFNOTE_XEN_VERSION, "xen-3.0");
	add_note_segment(&img);
	add_load(&img, 0x400000, 0x100, 0x100);
	assert_parses(&img);

	assert_int_equal(info.xi_notes, NOTE(LOADER) | NOTE(XEN_VERSION));
	assert_int_equal(info.xi_virt_base, 0);
	assert_int_equal(info.xi_paddr_offset, 0);
	assert_int_equal(info.xi_entry, 0x400010);
	assert_int_equal(info.xi_virt_kstart, 0x400000);
	assert_int_equal(info.xi_virt_kend, 0x400100);
	assert_int_equal(info.xi_hypercall_page, XEN_ELF_UNSET);
	assert_int_equal(info.xi_init_p2m, XEN_ELF_UNSET);
	assert_int_equal(info.xi_hv_start_low, XEN_ELF_UNSET);
	assert_int_equal(info.xi_phys32_entry, XEN_ELF_UNSET32);
	assert_int_equal(info.xi_features_required, 0);
	assert_int_equal(info.xi_features_supported, 0);
	assert_string_equal(info.xi_guest_os, "");
	assert_string_equal(info.xi_features, "");
}

static void
test_entry_note_overrides_e_entry(void **state)
{
	(void)state;
	minios_begin(&img);
	note_u64(&img, XM_ELFNOTE_ENTRY, 0x100);
	minios_end(&img);
	assert_parses(&img);
	assert_int_equal(info.xi_entry, 0x100);
}

/* virtual = paddr - PADDR_OFFSET + VIRT_BASE (elf_xen_addr_calc_check) */
static void
test_paddr_offset_moves_segments(void **state)
{
	(void)state;
	image_start(&img, LINUX_VIRT_BASE + 0x100000);
	note_str(&img, XM_ELFNOTE_LOADER, "generic");
	note_str(&img, XM_ELFNOTE_XEN_VERSION, "xen-3.0");
	note_u64(&img, XM_ELFNOTE_VIRT_BASE, LINUX_VIRT_BASE);
	note_u64(&img, XM_ELFNOTE_PADDR_OFFSET, 0x100000);
	add_note_segment(&img);
	add_load(&img, 0x200000, 0x1000, 0x1000);
	assert_parses(&img);

	assert_int_equal(info.xi_paddr_offset, 0x100000);
	assert_int_equal(info.xi_segments[0].xs_vaddr,
	    LINUX_VIRT_BASE + 0x100000);
	assert_int_equal(info.xi_virt_kstart, LINUX_VIRT_BASE + 0x100000);
	assert_int_equal(info.xi_virt_kend, LINUX_VIRT_BASE + 0x101000);
}

/* FreeBSD: p_paddr is the virtual address, PADDR_OFFSET == VIRT_BASE. */
static void
test_paddr_offset_equal_to_virt_base(void **state)
{
	(void)state;
	image_start(&img, LINUX_VIRT_BASE + 0x200000);
	note_str(&img, XM_ELFNOTE_GUEST_OS, "FreeBSD");
	note_str(&img, XM_ELFNOTE_LOADER, "generic");
	note_str(&img, XM_ELFNOTE_XEN_VERSION, "xen-3.0");
	note_u64(&img, XM_ELFNOTE_VIRT_BASE, LINUX_VIRT_BASE);
	note_u64(&img, XM_ELFNOTE_PADDR_OFFSET, LINUX_VIRT_BASE);
	add_note_segment(&img);
	add_load(&img, LINUX_VIRT_BASE + 0x200000, 0x1000, 0x1000);
	assert_parses(&img);
	assert_int_equal(info.xi_segments[0].xs_vaddr,
	    LINUX_VIRT_BASE + 0x200000);
}

static void
test_image_spans_all_loadable_segments(void **state)
{
	(void)state;
	minios_begin(&img);
	add_note_segment(&img);
	add_load(&img, 0x4000, 0x1000, 0x2000);
	add_load(&img, 0, 0x3000, 0x3000);
	add_phdr(&img, PT_LOAD, 0, 0, 0x100000, 0, 0x1000); /* no RWX */
	add_phdr(&img, 6, PF_R, 0, 0x200000, 0, 0x1000);	/* PT_PHDR */
	assert_parses(&img);

	assert_int_equal(info.xi_nsegments, 2);
	assert_int_equal(info.xi_virt_kstart, 0);
	assert_int_equal(info.xi_virt_kend, 0x6000);
}

/*
 * Notes.
 */

static void
test_numeric_notes_may_be_1_2_4_or_8_bytes(void **state)
{
	static const unsigned int sizes[] = { 1, 2, 4, 8 };
	size_t i;

	(void)state;
	for (i = 0; i < nitems(sizes); i++) {
		minios_begin(&img);
		note_num(&img, XM_ELFNOTE_ENTRY, 0x10, sizes[i]);
		minios_end(&img);
		assert_parses(&img);
		assert_int_equal(info.xi_entry, 0x10);
	}
}

static void
test_numeric_note_of_other_size_is_rejected(void **state)
{
	(void)state;
	minios_begin(&img);
	note_num(&img, XM_ELFNOTE_ENTRY, 0x10, 3);
	minios_end(&img);
	assert_rejected(&img, "Xen note ENTRY has a bad size");
}

static void
test_later_note_wins(void **state)
{
	(void)state;
	minios_begin(&img);
	note_u64(&img, XM_ELFNOTE_ENTRY, 0x10);
	note_u64(&img, XM_ELFNOTE_ENTRY, 0x20);
	note_str(&img, XM_ELFNOTE_GUEST_OS, "Mini-OS 2");
	minios_end(&img);
	assert_parses(&img);
	assert_int_equal(info.xi_entry, 0x20);
	assert_string_equal(info.xi_guest_os, "Mini-OS 2");
}

static void
test_string_may_lack_a_nul(void **state)
{
	(void)state;
	minios_begin(&img);
	xen_note(&img, XM_ELFNOTE_GUEST_VERSION, "4.19", 4);
	minios_end(&img);
	assert_parses(&img);
	assert_string_equal(info.xi_guest_version, "4.19");
}

static void
test_string_that_fits_exactly_is_kept(void **state)
{
	char s[XEN_ELF_GUEST_OS_LEN];

	(void)state;
	memset(s, 'a', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	minios_begin(&img);
	note_str(&img, XM_ELFNOTE_GUEST_VERSION, s);
	minios_end(&img);
	assert_parses(&img);
	assert_string_equal(info.xi_guest_version, s);
}

static void
test_string_too_long_is_rejected(void **state)
{
	char s[XEN_ELF_GUEST_OS_LEN + 1];

	(void)state;
	memset(s, 'a', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	minios_begin(&img);
	note_str(&img, XM_ELFNOTE_GUEST_VERSION, s);
	minios_end(&img);
	assert_rejected(&img, "Xen note GUEST_VERSION too long");
}

/* The note area may end right after the last descriptor, unpadded. */
static void
test_last_descriptor_may_lack_its_padding(void **state)
{
	(void)state;
	minios_begin(&img);
	note_str(&img, XM_ELFNOTE_GUEST_VERSION, "4.19");
	img.notes_end -= 3;
	minios_end(&img);
	assert_parses(&img);
	assert_string_equal(info.xi_guest_version, "4.19");
}

static void
test_unknown_notes_are_ignored(void **state)
{
	(void)state;
	minios_begin(&img);
	note_u32(&img, XM_ELFNOTE_INFO, 1);
	note_u32(&img, 99, 1);
	note_u32(&img, 0x1000001, 1);
	add_note(&img, "Xe", 3, XM_ELFNOTE_ENTRY, "\x10\0\0\0", 4);
	add_note(&img, "XenX", 5, XM_ELFNOTE_ENTRY, "\x10\0\0\0", 4);
	minios_end(&img);
	assert_parses(&img);
	assert_int_equal(info.xi_entry, 0);
	assert_false(xen_elf_has(&info, XM_ELFNOTE_ENTRY));
}

static void
test_other_notes_recorded(void **state)
{
	(void)state;
	minios_begin(&img);
	note_u64(&img, XM_ELFNOTE_HV_START_LOW, 0xffff800000000000);
	note_u32(&img, XM_ELFNOTE_PHYS32_ENTRY, 0x100000);
	note_str(&img, XM_ELFNOTE_BSD_SYMTAB, "yes");
	xen_note(&img, XM_ELFNOTE_L1_MFN_VALID, "\1\0\0\0\1\0\0\0", 8);
	minios_end(&img);
	assert_parses(&img);
	assert_int_equal(info.xi_hv_start_low, 0xffff800000000000);
	assert_int_equal(info.xi_phys32_entry, 0x100000);
	assert_int_equal(info.xi_bsd_symtab, 1);
	assert_int_equal(info.xi_l1_mfn_valid_mask, 1);
	assert_int_equal(info.xi_l1_mfn_valid_value, 1);
}

static void
test_bsd_symtab_other_than_yes_is_no(void **state)
{
	(void)state;
	minios_begin(&img);
	note_str(&img, XM_ELFNOTE_BSD_SYMTAB, "no");
	minios_end(&img);
	assert_parses(&img);
	assert_true(xen_elf_has(&info, XM_ELFNOTE_BSD_SYMTAB));
	assert_int_equal(info.xi_bsd_symtab, 0);
}

static void
test_phys32_entry_above_4g_is_rejected(void **state)
{
	(void)state;
	minios_begin(&img);
	note_u64(&img, XM_ELFNOTE_PHYS32_ENTRY, UINT64_C(0x100000000));
	minios_end(&img);
	assert_rejected(&img, "Xen note PHYS32_ENTRY above 4 GiB");
}

static void
test_l1_mfn_valid_of_odd_size_is_rejected(void **state)
{
	(void)state;
	minios_begin(&img);
	note_u32(&img, XM_ELFNOTE_L1_MFN_VALID, 1);
	minios_end(&img);
	assert_rejected(&img, "Xen note L1_MFN_VALID has a bad size");
}

static void
test_notes_from_sections_when_no_note_segment(void **state)
{
	(void)state;
	image_start(&img, 0);
	note_str(&img, XM_ELFNOTE_LOADER, "generic");
	note_str(&img, XM_ELFNOTE_XEN_VERSION, "xen-3.0");
	add_note_section(&img, NOTES_OFF, img.notes_end - NOTES_OFF);
	add_load(&img, 0, 0x1000, 0x1000);
	assert_parses(&img);
	assert_int_equal(info.xi_notes_in_sections, 1);
	assert_string_equal(info.xi_loader, "generic");
}

/* Xen skips PT_NOTE at offset 0: some binutils wrote that. */
static void
test_note_segment_at_offset_zero_is_skipped(void **state)
{
	(void)state;
	image_start(&img, 0);
	note_str(&img, XM_ELFNOTE_LOADER, "generic");
	note_str(&img, XM_ELFNOTE_XEN_VERSION, "xen-3.0");
	add_phdr(&img, PT_NOTE, PF_R, 0, 0, 64, 64);
	add_note_section(&img, NOTES_OFF, img.notes_end - NOTES_OFF);
	add_load(&img, 0, 0x1000, 0x1000);
	assert_parses(&img);
	assert_int_equal(info.xi_notes_in_sections, 1);
}

static void
test_note_segment_preferred_to_sections(void **state)
{
	(void)state;
	minios_begin(&img);
	add_note_section(&img, DATA_OFF, 0x3000);	/* not notes */
	minios_end(&img);
	assert_parses(&img);
	assert_int_equal(info.xi_notes_in_sections, 0);
}

/*
 * FEATURES and SUPPORTED_FEATURES.
 */

static uint32_t features_required, features_supported;

static int
parse_features(const char *features)
{
	minios_begin(&img);
	note_str(&img, XM_ELFNOTE_FEATURES, features);
	minios_end(&img);
	if (parse(&img) != 0)
		return -1;
	features_required = info.xi_features_required;
	features_supported = info.xi_features_supported;
	return 0;
}

static void
test_features_bang_means_required(void **state)
{
	(void)state;
	assert_int_equal(parse_features(
	    "!writable_page_tables|pae_pgdir_above_4gb"), 0);
	assert_int_equal(features_required, FEAT(WRITABLE_PAGE_TABLES));
	assert_int_equal(features_supported,
	    FEAT(WRITABLE_PAGE_TABLES) | FEAT(PAE_PGDIR_ABOVE_4GB));
}

/*
 * What Linux's FEATURES requires is buildable as a PV domain (Xen's
 * toolstack takes Debian's kernel so); what no PV domain can have is
 * named.
 */
static void
test_features_linux_requires_are_buildable(void **state)
{
	(void)state;
	assert_int_equal(parse_features(
	    "!writable_page_tables|pae_pgdir_above_4gb"), 0);
	assert_null(xen_elf_unbuildable(&info, XEN_ELF_PV_BUILDABLE));
	assert_int_equal(parse_features("!writable_page_tables|"
	    "!supervisor_mode_kernel"), 0);
	assert_string_equal(xen_elf_unbuildable(&info, XEN_ELF_PV_BUILDABLE),
	    "supervisor_mode_kernel");
	assert_int_equal(parse_features("!dom0"), 0);
	assert_string_equal(xen_elf_unbuildable(&info, XEN_ELF_PV_BUILDABLE),
	    "dom0");
	assert_null(xen_elf_unbuildable(&info, XEN_ELF_PV_BUILDABLE |
	    FEAT(DOM0)));
	assert_int_equal(parse_features("!auto_translated_physmap"), 0);
	assert_string_equal(xen_elf_unbuildable(&info, XEN_ELF_PV_BUILDABLE),
	    "auto_translated_physmap");
}

static void
test_features_all_supported(void **state)
{
	(void)state;
	assert_int_equal(parse_features("writable_descriptor_tables|"
	    "auto_translated_physmap|supervisor_mode_kernel|"
	    "hvm_callback_vector"), 0);
	assert_int_equal(features_required, 0);
	assert_int_equal(features_supported,
	    FEAT(WRITABLE_DESCRIPTOR_TABLES) | FEAT(AUTO_TRANSLATED_PHYSMAP) |
	    FEAT(SUPERVISOR_MODE_KERNEL) | FEAT(HVM_CALLBACK_VECTOR));
}

static void
test_features_unknown_name_is_ignored(void **state)
{
	(void)state;
	assert_int_equal(parse_features("frobnicate|dom0|writable"), 0);
	assert_int_equal(features_supported, FEAT(DOM0));
}

static void
test_features_empty_names_are_ignored(void **state)
{
	(void)state;
	assert_int_equal(parse_features("|!dom0||"), 0);
	assert_int_equal(features_required, FEAT(DOM0));
	assert_int_equal(parse_features(""), 0);
	assert_int_equal(features_supported, 0);
}

static void
test_features_unknown_required_is_rejected(void **state)
{
	(void)state;
	assert_int_equal(parse_features("dom0|!frobnicate"), -1);
	assert_string_equal(why,
	    "Xen note FEATURES requires an unknown feature");
	assert_int_equal(parse_features("!"), -1);
	assert_int_equal(parse_features("!dom0x"), -1);
	assert_int_equal(parse_features("!!dom0"), -1);
}

static void
test_features_names_are_case_sensitive(void **state)
{
	(void)state;
	assert_int_equal(parse_features("!ARM_SMCCC_supported"), 0);
	assert_int_equal(features_required, FEAT(ARM_SMCCC_SUPPORTED));
	assert_int_equal(parse_features("!Dom0"), -1);
}

static void
test_supported_features_adds_to_features(void **state)
{
	uint32_t words[2] = { FEAT(DOM0), 0xffffffff };

	(void)state;
	minios_begin(&img);
	note_str(&img, XM_ELFNOTE_FEATURES, "!writable_page_tables");
	xen_note(&img, XM_ELFNOTE_SUPPORTED_FEATURES, words, sizeof(words));
	minios_end(&img);
	assert_parses(&img);
	assert_int_equal(info.xi_features_supported,
	    FEAT(WRITABLE_PAGE_TABLES) | FEAT(DOM0));
	assert_int_equal(info.xi_features_required,
	    FEAT(WRITABLE_PAGE_TABLES));
}

static void
test_supported_features_bad_size(void **state)
{
	(void)state;
	minios_begin(&img);
	note_num(&img, XM_ELFNOTE_SUPPORTED_FEATURES, 1, 2);
	minios_end(&img);
	assert_rejected(&img, "Xen note SUPPORTED_FEATURES has a bad size");
}

/*
 * What a PV image must declare (elf_xen_note_check).
 */

static void
test_linux_guest_needs_no_loader(void **state)
{
	(void)state;
	image_start(&img, 0);
	note_str(&img, XM_ELFNOTE_GUEST_OS, "linux");
	note_str(&img, XM_ELFNOTE_XEN_VERSION, "xen-3.0");
	add_note_segment(&img);
	add_load(&img, 0, 0x1000, 0x1000);
	assert_parses(&img);
}

static void
test_loader_and_version_compare_by_prefix(void **state)
{
	(void)state;
	image_start(&img, 0);
	note_str(&img, XM_ELFNOTE_LOADER, "generic-ish");
	note_str(&img, XM_ELFNOTE_XEN_VERSION, "xen-3.0.4");
	add_note_segment(&img);
	add_load(&img, 0, 0x1000, 0x1000);
	assert_parses(&img);
}

/*
 * Rejections: each case builds one bad image.
 */

static void
bad_empty(struct image *im)
{
	image_start(im, 0);
	im->size = 0;
}

static void
bad_magic(struct image *im)
{
	minios_image(im);
	im->buf[0] = 0x7e;
}

static void
bad_short_header(struct image *im)
{
	minios_image(im);
	im->size = 63;
}

static void
bad_class(struct image *im)
{
	minios_image(im);
	im->buf[4] = 1;
}

static void
bad_endian(struct image *im)
{
	minios_image(im);
	im->buf[5] = 2;
}

static void
bad_version(struct image *im)
{
	minios_image(im);
	put32(im->buf + 20, 2);
}

static void
bad_machine(struct image *im)
{
	minios_image(im);
	put16(im->buf + 18, 3);		/* EM_386 */
}

static void
bad_type(struct image *im)
{
	minios_image(im);
	put16(im->buf + 16, 3);		/* ET_DYN */
}

static void
bad_phentsize(struct image *im)
{
	minios_image(im);
	put16(im->buf + 54, 32);
}

static void
bad_phoff(struct image *im)
{
	minios_image(im);
	put64(im->buf + 32, im->size - 56);
}

static void
bad_phoff_wraps(struct image *im)
{
	minios_image(im);
	put64(im->buf + 32, UINT64_MAX - 8);
}

static void
bad_shoff(struct image *im)
{
	minios_image(im);
	put64(im->buf + 40, UINT64_MAX - 63);
	put16(im->buf + 60, 1);
}

static void
bad_shentsize(struct image *im)
{
	minios_image(im);
	put16(im->buf + 60, 1);
	put16(im->buf + 58, 40);
}

static void
bad_no_load(struct image *im)
{
	minios_begin(im);
	add_note_segment(im);
}

static void
bad_too_many_loads(struct image *im)
{
	int i;

	minios_begin(im);
	add_note_segment(im);
	for (i = 0; i <= XEN_ELF_MAX_SEGMENTS; i++)
		add_load(im, i * 0x1000, 0x100, 0x1000);
}

static void
bad_load_past_end(struct image *im)
{
	minios_begin(im);
	add_note_segment(im);
	add_load(im, 0, 0x1000, 0x1000);
	add_load(im, 0x1000, 0x1000, 0x1000);
	add_load(im, 0x2000, 0x1000, 0x1000);
	im->size--;
}

static void
bad_load_offset_wraps(struct image *im)
{
	minios_image(im);
	put64(phdr(im, 1) + 8, UINT64_MAX - 0x10);
}

static void
bad_filesz(struct image *im)
{
	minios_begin(im);
	add_note_segment(im);
	add_load(im, 0, 0x1000, 0x1000);
	add_load(im, 0x1000, 0x1000, 0x800);
}

static void
bad_segment_wraps(struct image *im)
{
	minios_begin(im);
	add_note_segment(im);
	add_load(im, UINT64_MAX - 0xfff, 0x100, 0x1000);
}

static void
bad_overlap(struct image *im)
{
	minios_begin(im);
	add_note_segment(im);
	add_load(im, 0, 0x1000, 0x3000);
	add_load(im, 0x2fff, 0x1000, 0x1000);
}

static void
bad_note_segment(struct image *im)
{
	minios_image(im);
	put64(phdr(im, 0) + 32, im->size);
}

static void
bad_note_section(struct image *im)
{
	image_start(im, 0);
	add_note_section(im, NOTES_OFF, IMAGE_MAX);
	add_load(im, 0, 0x1000, 0x1000);
}

static void
bad_note_truncated(struct image *im)
{
	minios_image(im);
	put64(phdr(im, 0) + 32, 11);
}

static void
bad_note_namesz(struct image *im)
{
	minios_begin(im);
	add_note(im, "GNU", 4, 3, "", 0);
	put32(im->buf + im->notes_end - 16, UINT32_MAX);
	minios_end(im);
}

static void
bad_note_descsz(struct image *im)
{
	minios_begin(im);
	xen_note(im, XM_ELFNOTE_ENTRY, "", 0);
	put32(im->buf + im->notes_end - 16 + 4, 0x1000);
	minios_end(im);
}

/* Empty notes fill the note area; 37 PT_NOTE headers all point at it. */
static void
bad_too_many_notes(struct image *im)
{
	int i;

	minios_begin(im);
	while (im->notes_end + 12 <= DATA_OFF)
		add_note(im, "", 0, 0, "", 0);
	for (i = 0; i < 37; i++)
		add_note_segment(im);
	add_load(im, 0, 0x3000, 0x5000);
}

static void
bad_no_xen_notes(struct image *im)
{
	image_start(im, 0);
	add_note(im, "GNU", 4, 3, "abcd", 4);
	add_note_segment(im);
	add_load(im, 0, 0x1000, 0x1000);
}

static void
bad_no_notes_at_all(struct image *im)
{
	image_start(im, 0);
	add_load(im, 0, 0x1000, 0x1000);
}

static void
bad_loader(struct image *im)
{
	image_start(im, 0);
	note_str(im, XM_ELFNOTE_GUEST_OS, "Mini-OS");
	note_str(im, XM_ELFNOTE_LOADER, "special");
	note_str(im, XM_ELFNOTE_XEN_VERSION, "xen-3.0");
	add_note_segment(im);
	add_load(im, 0, 0x1000, 0x1000);
}

static void
bad_xen_version_missing(struct image *im)
{
	image_start(im, 0);
	note_str(im, XM_ELFNOTE_LOADER, "generic");
	add_note_segment(im);
	add_load(im, 0, 0x1000, 0x1000);
}

static void
bad_xen_version(struct image *im)
{
	image_start(im, 0);
	note_str(im, XM_ELFNOTE_LOADER, "generic");
	note_str(im, XM_ELFNOTE_XEN_VERSION, "xen-2.0");
	add_note_segment(im);
	add_load(im, 0, 0x1000, 0x1000);
}

static void
bad_paddr_offset_alone(struct image *im)
{
	minios_begin(im);
	note_u64(im, XM_ELFNOTE_PADDR_OFFSET, 0);
	minios_end(im);
}

static void
bad_image_wraps(struct image *im)
{
	minios_begin(im);
	note_u64(im, XM_ELFNOTE_VIRT_BASE, UINT64_MAX - 0xfff);
	minios_end(im);
}

static void
bad_non_canonical(struct image *im)
{
	minios_begin(im);
	note_u64(im, XM_ELFNOTE_VIRT_BASE, 0x00007ffffffff000);
	note_u64(im, XM_ELFNOTE_ENTRY, 0x00007ffffffff000);
	note_u64(im, XM_ELFNOTE_HYPERCALL_PAGE, 0x00007ffffffff000);
	minios_end(im);
}

static void
bad_hypervisor_range(struct image *im)
{
	minios_begin(im);
	note_u64(im, XM_ELFNOTE_VIRT_BASE, 0xffff870000000000);
	minios_end(im);
}

static void
bad_below_virt_base(struct image *im)
{
	image_start(im, LINUX_PADDR);
	linux_notes(im);
	note_u64(im, XM_ELFNOTE_PADDR_OFFSET, 0x2000000);
	add_note_segment(im);
	add_load(im, LINUX_PADDR, 0x2000, 0x3000);
}

static void
bad_entry(struct image *im)
{
	minios_begin(im);
	note_u64(im, XM_ELFNOTE_ENTRY, 0x5000);
	minios_end(im);
}

static void
bad_e_entry(struct image *im)
{
	linux_image(im);
	memset(im->buf + NOTES_OFF, 0, DATA_OFF - NOTES_OFF);
	im->notes_end = NOTES_OFF;
	note_str(im, XM_ELFNOTE_LOADER, "generic");
	note_str(im, XM_ELFNOTE_XEN_VERSION, "xen-3.0");
	note_u64(im, XM_ELFNOTE_VIRT_BASE, LINUX_VIRT_BASE);
	put64(phdr(im, 0) + 32, im->notes_end - NOTES_OFF);
}

static void
bad_hypercall_page_outside(struct image *im)
{
	minios_begin(im);
	note_u64(im, XM_ELFNOTE_HYPERCALL_PAGE, 0x5000);
	minios_end(im);
}

static void
bad_hypercall_page_straddles_end(struct image *im)
{
	minios_begin(im);
	note_u64(im, XM_ELFNOTE_HYPERCALL_PAGE, 0x4800);
	minios_end(im);
}

static void
bad_hypercall_page_unaligned(struct image *im)
{
	minios_begin(im);
	note_u64(im, XM_ELFNOTE_HYPERCALL_PAGE, 0x2010);
	minios_end(im);
}

static void
bad_init_p2m(struct image *im)
{
	minios_begin(im);
	note_u64(im, XM_ELFNOTE_INIT_P2M, 0x4000);
	minios_end(im);
}

static void
bad_string_size(struct image *im)
{
	char s[XEN_ELF_FEATURES_LEN + 8];

	memset(s, 'a', sizeof(s));
	minios_begin(im);
	xen_note(im, XM_ELFNOTE_FEATURES, s, sizeof(s));
	minios_end(im);
}

static const struct rejection {
	void		 (*build)(struct image *);
	const char	*why;
} rejections[] = {
	{ bad_empty, "not an ELF file" },
	{ bad_magic, "not an ELF file" },
	{ bad_short_header, "ELF header truncated" },
	{ bad_class, "not a 64-bit ELF" },
	{ bad_endian, "not a little-endian ELF" },
	{ bad_version, "unknown ELF version" },
	{ bad_machine, "not an x86-64 executable" },
	{ bad_type, "not an x86-64 executable" },
	{ bad_phentsize, "unexpected program header size" },
	{ bad_phoff, "program header table outside the image" },
	{ bad_phoff_wraps, "program header table outside the image" },
	{ bad_shoff, "section header table outside the image" },
	{ bad_shentsize, "unexpected section header size" },
	{ bad_no_load, "no loadable segment" },
	{ bad_too_many_loads, "too many loadable segments" },
	{ bad_load_past_end, "segment 2 runs past the end of the image" },
	{ bad_load_offset_wraps, "segment 0 runs past the end of the image" },
	{ bad_filesz, "segment 1 file size larger than its memory size" },
	{ bad_segment_wraps, "segment 0 wraps around the address space" },
	{ bad_overlap, "segments overlap" },
	{ bad_note_segment, "note segment runs past the end of the image" },
	{ bad_note_section, "note section runs past the end of the image" },
	{ bad_note_truncated, "malformed ELF note" },
	{ bad_note_namesz, "malformed ELF note" },
	{ bad_note_descsz, "malformed ELF note" },
	{ bad_too_many_notes, "too many ELF notes" },
	{ bad_no_xen_notes, "no Xen notes" },
	{ bad_no_notes_at_all, "no Xen notes" },
	{ bad_loader, "neither LOADER generic nor GUEST_OS linux" },
	{ bad_xen_version_missing, "Xen note XEN_VERSION missing" },
	{ bad_xen_version, "Xen note XEN_VERSION not xen-3.0" },
	{ bad_paddr_offset_alone, "PADDR_OFFSET without VIRT_BASE" },
	{ bad_image_wraps, "loaded image wraps around the address space" },
	{ bad_non_canonical, "loaded image outside canonical addresses" },
	{ bad_hypervisor_range,
	    "loaded image overlaps the hypervisor's reserved range" },
	{ bad_below_virt_base, "loaded image starts below VIRT_BASE" },
	{ bad_entry, "entry point outside the loaded image" },
	{ bad_e_entry, "entry point outside the loaded image" },
	{ bad_hypercall_page_outside,
	    "hypercall page outside the loaded image" },
	{ bad_hypercall_page_straddles_end,
	    "hypercall page outside the loaded image" },
	{ bad_hypercall_page_unaligned, "hypercall page not page-aligned" },
	{ bad_init_p2m, "INIT_P2M inside the loaded image" },
	{ bad_string_size, "Xen note FEATURES too long" },
};

static void
test_each_rejection_names_its_reason(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < nitems(rejections); i++) {
		rejections[i].build(&img);
		if (parse(&img) == 0)
			fail_msg("case %zu (%s) parsed", i, rejections[i].why);
		if (why == NULL || strcmp(why, rejections[i].why) != 0)
			fail_msg("case %zu: want \"%s\", got \"%s\"", i,
			    rejections[i].why, why ? why : "(null)");
	}
}

static void
test_null_why_is_allowed(void **state)
{
	(void)state;
	bad_magic(&img);
	assert_int_equal(xen_elf_parse(img.buf, img.size, &info, NULL), -1);
	minios_image(&img);
	assert_int_equal(xen_elf_parse(img.buf, img.size, &info, NULL), 0);
}

/*
 * Hostile images, parsed from buffers of exactly their size.
 */

static int
parse_exact(const uint8_t *bytes, size_t size)
{
	uint8_t *copy = malloc(size > 0 ? size : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, bytes, size);
	rc = xen_elf_parse(copy, size, &info, &why);
	free(copy);
	return rc;
}

static void
test_every_truncation_fails_cleanly(void **state)
{
	size_t len;

	(void)state;
	linux_image(&img);
	assert_parses(&img);
	for (len = 0; len < img.size; len++) {
		if (parse_exact(img.buf, len) != -1)
			fail_msg("prefix of %zu bytes parsed", len);
		assert_non_null(why);
	}
}

/* Guest memory for xen_elf_load, checking every access. */
struct guest {
	uint64_t	base;
	uint64_t	size;
	uint8_t		mem[0x8000];
	int		calls;
	int		fail_at;	/* return -7 on this call */
};

static uint8_t *
guest_at(struct guest *g, uint64_t vaddr, uint64_t len)
{
	assert_true(vaddr >= g->base);
	assert_true(len <= g->size);
	assert_true(vaddr - g->base <= g->size - len);
	return g->mem + (vaddr - g->base);
}

static int
guest_write(void *ctx, uint64_t vaddr, const void *src, uint64_t len)
{
	struct guest *g = ctx;

	if (++g->calls == g->fail_at)
		return -7;
	memcpy(guest_at(g, vaddr, len), src, len);
	return 0;
}

static int
guest_zero(void *ctx, uint64_t vaddr, uint64_t len)
{
	struct guest *g = ctx;

	if (++g->calls == g->fail_at)
		return -7;
	memset(guest_at(g, vaddr, len), 0, len);
	return 0;
}

/* The guest's memory is exactly the image's range. */
static void
guest_init(struct guest *g, const struct xen_elf_info *xi)
{
	memset(g, 0, sizeof(*g));
	g->base = xi->xi_virt_kstart;
	g->size = xi->xi_virt_kend - xi->xi_virt_kstart;
	memset(g->mem, 0xaa, sizeof(g->mem));
}

static uint64_t
next_random(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* One corrupted image: parsed, and if accepted, loaded in bounds. */
static void
try_corruption(const struct image *good, uint64_t *rnd)
{
	static struct guest g;
	uint8_t *bad;
	int n, rc;

	bad = malloc(good->size);
	assert_non_null(bad);
	memcpy(bad, good->buf, good->size);
	for (n = 1 + next_random(rnd) % 4; n > 0; n--)
		bad[next_random(rnd) % DATA_OFF] = next_random(rnd);
	rc = xen_elf_parse(bad, good->size, &info, &why);
	if (rc != 0)
		assert_non_null(why);
	else if (info.xi_virt_kend - info.xi_virt_kstart <= sizeof(g.mem)) {
		guest_init(&g, &info);
		rc = xen_elf_load(bad, good->size, &info, guest_write,
		    guest_zero, &g);
		assert_int_equal(rc, 0);
	}
	free(bad);
}

static void
test_corrupted_images_fail_cleanly_or_load_in_bounds(void **state)
{
	static struct image good;
	uint64_t rnd = 0x9e3779b97f4a7c15;
	int i;

	(void)state;
	linux_image(&good);
	for (i = 0; i < 10000; i++)
		try_corruption(&good, &rnd);
	minios_image(&good);
	for (i = 0; i < 10000; i++)
		try_corruption(&good, &rnd);
}

/*
 * Loading.
 */

static struct guest guest;

static void
test_load_copies_file_bytes_and_zeroes_bss(void **state)
{
	(void)state;
	linux_image(&img);
	assert_parses(&img);
	guest_init(&guest, &info);
	assert_int_equal(xen_elf_load(img.buf, img.size, &info, guest_write,
	    guest_zero, &guest), 0);

	assert_memory_equal(guest.mem, img.buf + DATA_OFF, 0x2000);
	assert_true(guest.mem[0x2000] == 0 && guest.mem[0x2fff] == 0);
	assert_int_equal(guest.mem[0x3000], 0xaa);
	assert_int_equal(guest.calls, 2);
}

static void
test_load_places_each_segment(void **state)
{
	size_t text, data;
	size_t i;

	(void)state;
	minios_begin(&img);
	add_note_segment(&img);
	text = add_load(&img, 0, 0x3000, 0x3000);
	data = add_load(&img, 0x4000, 0x800, 0x2000);
	assert_parses(&img);
	guest_init(&guest, &info);
	assert_int_equal(xen_elf_load(img.buf, img.size, &info, guest_write,
	    guest_zero, &guest), 0);

	assert_memory_equal(guest.mem, img.buf + text, 0x3000);
	for (i = 0x3000; i < 0x4000; i++)
		assert_int_equal(guest.mem[i], 0xaa);	/* the hole */
	assert_memory_equal(guest.mem + 0x4000, img.buf + data, 0x800);
	for (i = 0x4800; i < 0x6000; i++)
		assert_int_equal(guest.mem[i], 0);
	assert_int_equal(guest.calls, 3);		/* no zero of 0 */
}

static void
test_load_returns_the_callbacks_error(void **state)
{
	(void)state;
	linux_image(&img);
	assert_parses(&img);
	guest_init(&guest, &info);
	guest.fail_at = 1;
	assert_int_equal(xen_elf_load(img.buf, img.size, &info, guest_write,
	    guest_zero, &guest), -7);
	guest_init(&guest, &info);
	guest.fail_at = 2;
	assert_int_equal(xen_elf_load(img.buf, img.size, &info, guest_write,
	    guest_zero, &guest), -7);
}

static void
test_load_refuses_info_that_does_not_fit_the_image(void **state)
{
	struct xen_elf_info bad;

	(void)state;
	linux_image(&img);
	assert_parses(&img);
	guest_init(&guest, &info);
	assert_int_equal(xen_elf_load(img.buf, img.size - 1, &info,
	    guest_write, guest_zero, &guest), -1);
	bad = info;
	bad.xi_segments[0].xs_filesz = bad.xi_segments[0].xs_memsz + 1;
	assert_int_equal(xen_elf_load(img.buf, img.size, &bad, guest_write,
	    guest_zero, &guest), -1);
	bad = info;
	bad.xi_nsegments = XEN_ELF_MAX_SEGMENTS + 1;
	assert_int_equal(xen_elf_load(img.buf, img.size, &bad, guest_write,
	    guest_zero, &guest), -1);
	assert_int_equal(guest.calls, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linux_image_is_placed_at_virt_base),
		cmocka_unit_test(test_linux_image_strings_and_features),
		cmocka_unit_test(test_linux_image_records_which_notes_it_has),
		cmocka_unit_test(test_linux_segment_goes_to_its_vaddr),
		cmocka_unit_test(test_minios_image_linked_at_zero),
		cmocka_unit_test(test_absent_notes_take_their_defaults),
		cmocka_unit_test(test_entry_note_overrides_e_entry),
		cmocka_unit_test(test_paddr_offset_moves_segments),
		cmocka_unit_test(test_paddr_offset_equal_to_virt_base),
		cmocka_unit_test(test_image_spans_all_loadable_segments),
		cmocka_unit_test(test_numeric_notes_may_be_1_2_4_or_8_bytes),
		cmocka_unit_test(test_numeric_note_of_other_size_is_rejected),
		cmocka_unit_test(test_later_note_wins),
		cmocka_unit_test(test_string_may_lack_a_nul),
		cmocka_unit_test(test_string_that_fits_exactly_is_kept),
		cmocka_unit_test(test_string_too_long_is_rejected),
		cmocka_unit_test(test_last_descriptor_may_lack_its_padding),
		cmocka_unit_test(test_unknown_notes_are_ignored),
		cmocka_unit_test(test_other_notes_recorded),
		cmocka_unit_test(test_bsd_symtab_other_than_yes_is_no),
		cmocka_unit_test(test_phys32_entry_above_4g_is_rejected),
		cmocka_unit_test(test_l1_mfn_valid_of_odd_size_is_rejected),
		cmocka_unit_test(test_notes_from_sections_when_no_note_segment),
		cmocka_unit_test(test_note_segment_at_offset_zero_is_skipped),
		cmocka_unit_test(test_note_segment_preferred_to_sections),
		cmocka_unit_test(test_features_bang_means_required),
		cmocka_unit_test(test_features_linux_requires_are_buildable),
		cmocka_unit_test(test_features_all_supported),
		cmocka_unit_test(test_features_unknown_name_is_ignored),
		cmocka_unit_test(test_features_empty_names_are_ignored),
		cmocka_unit_test(test_features_unknown_required_is_rejected),
		cmocka_unit_test(test_features_names_are_case_sensitive),
		cmocka_unit_test(test_supported_features_adds_to_features),
		cmocka_unit_test(test_supported_features_bad_size),
		cmocka_unit_test(test_linux_guest_needs_no_loader),
		cmocka_unit_test(test_loader_and_version_compare_by_prefix),
		cmocka_unit_test(test_each_rejection_names_its_reason),
		cmocka_unit_test(test_null_why_is_allowed),
		cmocka_unit_test(test_every_truncation_fails_cleanly),
		cmocka_unit_test(
		    test_corrupted_images_fail_cleanly_or_load_in_bounds),
		cmocka_unit_test(test_load_copies_file_bytes_and_zeroes_bss),
		cmocka_unit_test(test_load_places_each_segment),
		cmocka_unit_test(test_load_returns_the_callbacks_error),
		cmocka_unit_test(
		    test_load_refuses_info_that_does_not_fit_the_image),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
