/*
 * The Xen ELF notes that tell hv's domain builder how to load and
 * enter this kernel: a 64-bit PV kernel linked at GUEST_VIRT_BASE,
 * with its ELF physical addresses equal to its virtual ones (so
 * PADDR_OFFSET = VIRT_BASE and pseudo-physical 0 is the image's first
 * byte), entered at guest_entry, with a hypercall page to fill.
 *
 * Each guest's build defines XM_GUEST_OS ("xm-<name>") and XM_VERSION.
 * The linker script puts .note.Xen in a PT_NOTE segment.
 */

#include <stdint.h>

#include <xm/elfnote.h>

#include <guest/asm.h>

#ifndef XM_GUEST_OS
#error "XM_GUEST_OS must name the guest, e.g. -DXM_GUEST_OS='\"xm-hello\"'"
#endif

void	guest_entry(void);
extern char hypercall_page[];

#define NOTE_ATTR							\
	__attribute__((__used__, __section__(".note.Xen"), __aligned__(4)))

/* A string note: the descriptor is padded to 4 bytes, NUL included. */
#define XEN_NOTE_STR(var, type, str)					\
	static const struct {						\
		struct xm_elfnote_header hdr;				\
		char	name[XM_ELFNOTE_NAMESZ];			\
		char	desc[(sizeof(str) + 3) & ~3];			\
	} var NOTE_ATTR = {						\
		{ XM_ELFNOTE_NAMESZ, sizeof(str), (type) },		\
		XM_ELFNOTE_NAME, str					\
	}

/* A numeric note: 8 bytes, native order. */
#define XEN_NOTE_U64(var, type, val)					\
	static const struct {						\
		struct xm_elfnote_header hdr;				\
		char	name[XM_ELFNOTE_NAMESZ];			\
		uint64_t desc;						\
	} __attribute__((__packed__)) var NOTE_ATTR = {			\
		{ XM_ELFNOTE_NAMESZ, sizeof(uint64_t), (type) },	\
		XM_ELFNOTE_NAME, (uint64_t)(val)			\
	}

XEN_NOTE_STR(note_guest_os, XM_ELFNOTE_GUEST_OS, XM_GUEST_OS);
XEN_NOTE_STR(note_guest_version, XM_ELFNOTE_GUEST_VERSION, XM_VERSION);
XEN_NOTE_STR(note_xen_version, XM_ELFNOTE_XEN_VERSION, "xen-3.0");
XEN_NOTE_STR(note_loader, XM_ELFNOTE_LOADER, "generic");
XEN_NOTE_U64(note_entry, XM_ELFNOTE_ENTRY, guest_entry);
XEN_NOTE_U64(note_hypercall_page, XM_ELFNOTE_HYPERCALL_PAGE,
    hypercall_page);
XEN_NOTE_U64(note_virt_base, XM_ELFNOTE_VIRT_BASE, GUEST_VIRT_BASE);
XEN_NOTE_U64(note_paddr_offset, XM_ELFNOTE_PADDR_OFFSET, GUEST_VIRT_BASE);
/*
 * Nothing is required: every page-table change goes through
 * mmu_update, so no writable_page_tables.
 */
XEN_NOTE_STR(note_features, XM_ELFNOTE_FEATURES, "pae_pgdir_above_4gb");
