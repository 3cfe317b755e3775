/*
 * What the calls reached: the distinct (hypercall, sub-operation,
 * result) triples seen, a cheap stand-in for the error paths of hv
 * that were taken.  Sub-operations past 63 count as one ("out of
 * range"), as do all positive results, so that random numbers do not
 * inflate the count.  Faults count as results of their own.
 */

#include <stddef.h>
#include <stdint.h>

#include <klib/format.h>
#include <klib/string.h>

#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <guest/console.h>

#include "fuzz.h"

#define SEEN_SLOTS	8192		/* a power of two */
#define CMD_OTHER	0xffff
#define RC_FAULT	0x4000
#define RC_ERRNO	0x8000
#define RC_ODD		0x7fff

static uint64_t		seen[SEEN_SLOTS];	/* key + 1; 0 is free */
static unsigned int	distinct;
static uint64_t		faults;

static const char *const names[XM_HYPERCALL_COUNT] = {
	"set_trap_table", "mmu_update", "set_gdt", "stack_switch",
	"set_callbacks", "fpu_taskswitch", "sched_op_compat", "platform_op",
	"set_debugreg", "get_debugreg", "update_descriptor", "11",
	"memory_op", "multicall", "update_va_mapping", "set_timer_op",
	"event_channel_op_compat", "xen_version", "console_io",
	"physdev_op_compat", "grant_table_op", "vm_assist",
	"update_va_mapping_otherdomain", "iret", "vcpu_op",
	"set_segment_base", "mmuext_op", "xsm_op", "nmi_op", "sched_op",
	"callback_op", "xenoprof_op", "event_channel_op", "physdev_op",
	"hvm_op", "sysctl", "domctl", "kexec_op", "tmem_op", "argo_op",
	"xenpmu_op", "dm_op", "hypfs_op", "43", "44", "45", "46", "47",
	"arch_0", "arch_1", "arch_2", "arch_3", "arch_4", "arch_5",
	"arch_6", "arch_7",
};

const char *
hc_name(uint64_t nr)
{
	return nr < XM_HYPERCALL_COUNT ? names[nr] : "unknown";
}

/* The first word of a struct hv read from its own memory, if any. */
static uint64_t
first_word(uint64_t p, uint64_t mask)
{
	enum fz_region r = region_of(p);

	if ((r != FZ_R_ARENA && r != FZ_R_JUNK && r != FZ_R_SINK) ||
	    region_of(p + 7) != r)
		return CMD_OTHER;
	return *(const uint64_t *)p & mask;
}

uint64_t
stats_cmd(uint64_t nr, const uint64_t *a)
{
	uint64_t cmd;

	switch (nr) {
	case XM_HYPERCALL_MMU_UPDATE:
		cmd = first_word(a[0], XM_MMU_UPDATE_CMD_MASK);
		break;
	case XM_HYPERCALL_MMUEXT_OP:
	case XM_HYPERCALL_DOMCTL:
	case XM_HYPERCALL_EVENT_CHANNEL_OP_COMPAT:
	case XM_HYPERCALL_PHYSDEV_OP_COMPAT:
		cmd = first_word(a[0], 0xffffffff);
		break;
	case XM_HYPERCALL_SCHED_OP_COMPAT:
	case XM_HYPERCALL_MEMORY_OP:
	case XM_HYPERCALL_XEN_VERSION:
	case XM_HYPERCALL_CONSOLE_IO:
	case XM_HYPERCALL_GRANT_TABLE_OP:
	case XM_HYPERCALL_VM_ASSIST:
	case XM_HYPERCALL_VCPU_OP:
	case XM_HYPERCALL_SET_SEGMENT_BASE:
	case XM_HYPERCALL_NMI_OP:
	case XM_HYPERCALL_SCHED_OP:
	case XM_HYPERCALL_CALLBACK_OP:
	case XM_HYPERCALL_EVENT_CHANNEL_OP:
	case XM_HYPERCALL_PHYSDEV_OP:
		cmd = a[0];
		break;
	default:
		cmd = 0;
	}
	return cmd < 64 ? cmd : CMD_OTHER;
}

static uint64_t
rc_class(long rc)
{
	if (rc > 0)
		return 1;
	if (rc == 0)
		return 0;
	if (rc < -4095)
		return RC_ODD;
	return RC_ERRNO | (uint64_t)-rc;
}

static void
seen_add(uint64_t key)
{
	uint64_t h = (key * UINT64_C(0x9e3779b97f4a7c15)) >> 51;
	unsigned int i;

	for (i = 0; i < SEEN_SLOTS; i++, h++) {
		uint64_t *s = &seen[h & (SEEN_SLOTS - 1)];

		if (*s == key + 1)
			return;
		if (*s == 0) {
			*s = key + 1;
			distinct++;
			return;
		}
	}
}

void
stats_record(uint64_t nr, uint64_t cmd, long rc)
{
	nr = nr < 0xff ? nr : 0xff;
	seen_add(nr << 32 | cmd << 16 | rc_class(rc));
}

void
stats_call(const struct fz_call *c)
{
	uint64_t nr = c->nr, cmd;

	switch (c->kind) {
	case FZ_K_IRET:
		nr = XM_HYPERCALL_IRET;
		cmd = 0;
		break;
	case FZ_K_BLOCK:
		nr = XM_HYPERCALL_SCHED_OP;
		cmd = 1;
		break;
	default:
		cmd = stats_cmd(nr, c->a);
	}
	if (c->fault != 0) {
		faults++;
		nr = nr < 0xff ? nr : 0xff;
		seen_add(nr << 32 | cmd << 16 | RC_FAULT | (c->fault - 1));
		return;
	}
	stats_record(nr, cmd, c->rc);
}

/* Every triple seen, one line each: what a run reached. */
void
stats_dump(void)
{
	uint64_t k, rc;
	unsigned int i;

	for (i = 0; i < SEEN_SLOTS; i++) {
		if (seen[i] == 0)
			continue;
		k = seen[i] - 1;
		rc = k & 0xffff;
		gprintf("# path: %s cmd %lu: %s%lu\n", hc_name(k >> 32),
		    (k >> 16) & 0xffff, rc & RC_FAULT ? "fault " :
		    rc & RC_ERRNO ? "-" : rc == 1 ? ">0 " : "", rc & 0xfff);
	}
}

unsigned int
stats_distinct(void)
{
	return distinct;
}

uint64_t
stats_faults(void)
{
	return faults;
}

void
call_describe(const struct fz_call *c, int done, char *buf, size_t n)
{
	size_t len;

	switch (c->kind) {
	case FZ_K_IRET:
		ksnprintf(buf, n, "%s: iret(cs %#lx, rflags %#lx, ss %#lx)",
		    c->gen, c->a[0], c->a[1], c->a[2]);
		break;
	case FZ_K_BLOCK:
		ksnprintf(buf, n, "%s: block until %lu", c->gen, c->a[0]);
		break;
	default:
		ksnprintf(buf, n, "%s: %lu %s(%#lx, %#lx, %#lx, %#lx, %#lx)",
		    c->gen, c->nr, hc_name(c->nr), c->a[0], c->a[1], c->a[2],
		    c->a[3], c->a[4]);
	}
	if (!done)
		return;
	len = kstrlen(buf);
	if (c->fault != 0)
		ksnprintf(buf + len, n - len, " faulted (vector %lu)",
		    c->fault - 1);
	else
		ksnprintf(buf + len, n - len, " = %ld", c->rc);
}
