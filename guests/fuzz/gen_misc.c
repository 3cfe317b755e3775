/*
 * The remaining generators (fully random calls, multicalls, console,
 * domain 0's hypercalls, xen_version) and the table that picks one for
 * each call, by weight.
 */

#include <stdint.h>

#include <klib/format.h>
#include <klib/string.h>

#include <xm/domctl.h>
#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include "fuzz.h"

/*
 * Any number, any arguments: mostly the numbers hv knows, with every
 * argument drawn from every class.  safe.c still applies by number.
 */
void
gen_random_call(struct fz_call *c)
{
	unsigned int i;

	c->gen = "random";
	c->nr = rng_one_in(16) ? gen_boundary() : rng_below(64);
	for (i = 0; i < FZ_MAX_ARGS; i++)
		c->a[i] = gen_value();
}

static unsigned int	multicall_depth;

void
gen_multicall(struct fz_call *c)
{
	uint64_t n = 1 + rng_below(rng_one_in(4) ? 32 : 6), i, j;
	struct xm_multicall_entry *e = arena_alloc(n * sizeof(*e));
	struct fz_call t;

	c->gen = "multicall";
	c->nr = XM_HYPERCALL_MULTICALL;
	multicall_depth++;
	for (i = 0; e != NULL && i < n; i++) {
		t = (struct fz_call){ .kind = FZ_K_HYPERCALL };
		if (rng_one_in(32)) {
			t.nr = XM_HYPERCALL_IRET;
			t.a[0] = gen_value();
		} else if (rng_one_in(16) && multicall_depth < 3)
			gen_multicall(&t);
		else
			gen_batchable(&t);
		e[i].op = t.nr;
		e[i].result = rng_next();
		for (j = 0; j < FZ_MAX_ARGS; j++)
			e[i].args[j] = t.a[j];
	}
	multicall_depth--;
	c->a[0] = arena_or_bad(e);
	c->a[1] = rng_one_in(8) ? gen_count(n) : n;
	c->a[2] = rng_one_in(8) ? gen_value() : 0;
}

/*
 * Rarely, a line of junk it vouches for: printable, one line, starting
 * with "# " so that it reads as a TAP comment.
 */
static void
console_junk_line(struct fz_call *c)
{
	char *s = arena_alloc(64);
	unsigned int i, n = 8 + (unsigned int)rng_below(40);

	if (s == NULL)
		return;
	kstrlcpy(s, "# fuzz: junk ", 64);
	for (i = 13; i < n; i++)
		s[i] = (char)(' ' + rng_below(95));
	s[n] = '\n';
	c->flags |= FZ_CONSOLE_OK;
	c->a[1] = n + 1;
	c->a[2] = (uint64_t)s;
}

void
gen_console_io(struct fz_call *c)
{
	c->gen = "console_io";
	c->nr = XM_HYPERCALL_CONSOLE_IO;
	c->a[0] = rng_one_in(8) ? gen_value() : rng_below(2);
	c->a[1] = rng_one_in(2) ? gen_count(256) : gen_boundary();
	c->a[2] = gen_ptr();
	if (c->a[0] == XM_CONSOLEIO_WRITE && rng_one_in(1024))
		console_junk_line(c);
}

void
gen_physdev_op(struct fz_call *c)
{
	uint8_t *p = arena_alloc(64);

	c->gen = "physdev_op";
	c->nr = rng_one_in(8) ? XM_HYPERCALL_PHYSDEV_OP_COMPAT :
	    XM_HYPERCALL_PHYSDEV_OP;
	if (p != NULL)
		rng_fill(p, 64);
	if (c->nr == XM_HYPERCALL_PHYSDEV_OP_COMPAT) {
		c->a[0] = arena_or_bad(p);
		return;
	}
	c->a[0] = rng_one_in(8) ? gen_value() : rng_below(32);
	c->a[1] = arena_or_bad(p);
}

/* Domain 0's: every one must be refused with -EPERM. */
void
gen_domctl(struct fz_call *c)
{
	struct xm_domctl *d = arena_alloc(sizeof(*d));

	c->gen = "domctl";
	c->nr = XM_HYPERCALL_DOMCTL;
	if (d != NULL) {
		rng_fill(d, sizeof(*d));
		d->cmd = (uint32_t)(rng_one_in(8) ? rng_next() :
		    rng_below(40));
		if (!rng_one_in(4))
			d->interface_version = XM_DOMCTL_INTERFACE_VERSION;
		d->domain = (xm_domid_t)gen_domid();
	}
	c->a[0] = arena_or_bad(d);
}

void
gen_xen_version(struct fz_call *c)
{
	c->gen = "xen_version";
	c->nr = XM_HYPERCALL_XEN_VERSION;
	c->a[0] = rng_one_in(8) ? gen_value() : rng_below(13);
	c->a[1] = rng_one_in(2) ? gen_ptr() : arena_or_bad(arena_alloc(1024));
}

static const struct gen_row {
	const char	*name;
	fz_gen_t	*fn;
	unsigned int	weight;
	int		batchable;
} gens[] = {
	{ "random", gen_random_call, 10, 1 },
	{ "mmu_update", gen_mmu_update, 10, 1 },
	{ "mmuext_op", gen_mmuext_op, 8, 1 },
	{ "update_va_mapping", gen_update_va_mapping, 8, 1 },
	{ "memory_op", gen_memory_op, 6, 1 },
	{ "multicall", gen_multicall, 6, 0 },
	{ "grant_table_op", gen_grant_table_op, 8, 1 },
	{ "event_channel_op", gen_event_channel_op, 6, 1 },
	{ "vcpu_op", gen_vcpu_op, 4, 1 },
	{ "sched_op", gen_sched_op, 3, 0 },
	{ "set_trap_table", gen_trap_table, 2, 1 },
	{ "callbacks", gen_callbacks, 2, 1 },
	{ "stack_switch", gen_stack_switch, 1, 1 },
	{ "console_io", gen_console_io, 2, 1 },
	{ "physdev_op", gen_physdev_op, 2, 1 },
	{ "domctl", gen_domctl, 2, 1 },
	{ "xen_version", gen_xen_version, 2, 1 },
	{ "set_timer_op", gen_timer, 1, 1 },
	{ "cpu_state", gen_cpu_state, 3, 1 },
	{ "iret", gen_iret, 1, 0 },
};

#define NGENS	(sizeof(gens) / sizeof(gens[0]))

/* Generators left out by gen_only(); none by default. */
static uint32_t	gens_off;

static int
gen_on(unsigned int i, int batchable)
{
	return !(gens_off & (1u << i)) && (!batchable || gens[i].batchable);
}

static fz_gen_t *
gen_pick(int batchable)
{
	unsigned int total = 0, i;
	uint64_t r;

	for (i = 0; i < NGENS; i++)
		if (gen_on(i, batchable))
			total += gens[i].weight;
	r = rng_below(total);
	for (i = 0; i < NGENS; i++) {
		if (!gen_on(i, batchable))
			continue;
		if (r < gens[i].weight)
			return gens[i].fn;
		r -= gens[i].weight;
	}
	return gen_random_call;
}

void
gen_batchable(struct fz_call *c)
{
	gen_pick(1)(c);
}

void
gen_any(struct fz_call *c)
{
	gen_pick(0)(c);
}

/*
 * Only the generators named in list ("mmu_update+mmuext_op"), to narrow
 * down a failure; 0, or -1 when a name is unknown.  A multicall's
 * entries come from the others allowed (random calls when there are
 * none).
 */
int
gen_only(const char *list)
{
	const char *p = list;
	unsigned int i;
	size_t n;

	gens_off = ~UINT32_C(0);
	while (*p != '\0') {
		for (n = 0; p[n] != '\0' && p[n] != '+'; n++)
			;
		for (i = 0; i < NGENS; i++)
			if (kstrlen(gens[i].name) == n &&
			    kstrncmp(gens[i].name, p, n) == 0)
				break;
		if (i == NGENS)
			return -1;
		gens_off &= ~(1u << i);
		p += n + (p[n] == '+');
	}
	return 0;
}
