/*
 * hello: the smallest guest.  Prints what start_info says, its command
 * line, its boot module's hash and hv's version, then shuts down:
 * poweroff, or with exit=N on its command line, crash after printing N
 * (N = 0 is poweroff).
 */

#include <stdint.h>

#include <klib/parse.h>
#include <klib/string.h>

#include <xm/version.h>
#include <xm/xen_core.h>

#include <guest/console.h>
#include <guest/guest.h>
#include <guest/hypercall.h>

static void
hello_start_info(void)
{
	const struct xm_start_info *si = guest_start_info;

	gprintf("hello from " XM_GUEST_OS "\n");
	gprintf("hello: magic \"%.*s\" nr_pages %lu flags %#x\n",
	    (int)kstrnlen(si->magic, sizeof(si->magic)), si->magic,
	    si->nr_pages, si->flags);
	gprintf("hello: shared_info %#lx pt_base %#lx nr_pt_frames %lu\n",
	    si->shared_info, si->pt_base, si->nr_pt_frames);
	gprintf("hello: cmdline \"%s\"\n", guest_cmdline());
}

/* The boot module (<initrd>), if mapped: its size and FNV-1a hash. */
static void
hello_module(void)
{
	const struct xm_start_info *si = guest_start_info;
	const uint8_t *p = (const uint8_t *)si->mod_start;
	uint64_t h = UINT64_C(0xcbf29ce484222325), i;

	if (si->mod_len == 0)
		return;
	if (si->flags & XM_SIF_MOD_START_PFN) {
		gprintf("hello: module at pfn %#lx, %lu bytes\n", si->mod_start,
		    si->mod_len);
		return;
	}
	for (i = 0; i < si->mod_len; i++)
		h = (h ^ p[i]) * UINT64_C(0x100000001b3);
	gprintf("hello: module %lu bytes, fnv1a %016lx\n", si->mod_len, h);
}

static void
hello_version(void)
{
	static char extra[XM_XENVER_EXTRAVERSION_LEN];
	static char caps[XM_XENVER_CAPABILITIES_LEN];
	int ver;

	ver = HYPERVISOR_xen_version(XM_XENVER_VERSION, NULL);
	if (HYPERVISOR_xen_version(XM_XENVER_EXTRAVERSION, extra) < 0)
		kstrlcpy(extra, "?", sizeof(extra));
	if (HYPERVISOR_xen_version(XM_XENVER_CAPABILITIES, caps) < 0)
		kstrlcpy(caps, "?", sizeof(caps));
	extra[sizeof(extra) - 1] = '\0';
	caps[sizeof(caps) - 1] = '\0';
	gprintf("hello: hypervisor %d.%d%s, capabilities \"%s\"\n",
	    ver >> 16, ver & 0xffff, extra, caps);
}

/* exit=N from the command line, 0 without one. */
static int
hello_exit_code(void)
{
	char val[32];
	uint64_t code;

	if (!kcmdline_get(guest_cmdline(), "exit", val, sizeof(val)))
		return 0;
	if (kstrtou64(val, NULL, 0, &code) < 0 || code > 255) {
		gprintf("hello: bad exit=\"%s\", crashing\n", val);
		return 255;
	}
	return (int)code;
}

int
guest_main(void)
{
	int code;

	hello_start_info();
	hello_module();
	hello_version();
	code = hello_exit_code();
	gprintf("hello: %s\n", code == 0 ? "powering off" : "crashing");
	return code;
}
