/*
 * hv's hypercall table (hv/hypercall.c) as host code, with fake
 * handlers that record their call. The promises under test: each
 * number reaches its own handler with the first arguments its row says
 * (Xen's counts), every other number answers -ENOSYS and counts no
 * arguments, and the hypercall page has a stub per number that enters
 * hv with that number.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include <xm/hypercall.h>

#include <hv/bounce.h>
#include <hv/domain.h>
#include <hv/hypercall.h>

#define NO_ARG		UINT64_C(0xdeadbeef)

/* What the last fake handler saw. */
static const char	*ran_fn;
static unsigned int	 ran_nargs;
static uint64_t		 ran_args[HYPERCALL_MAX_ARGS];

/* --- what hv/hypercall.c needs besides the handlers ------------------- */

int
bounce_to_guest(struct vcpu *v, struct xm_cpu_user_regs *r, uint64_t to,
    unsigned int flags, uint32_t error_code)
{
	(void)v, (void)r, (void)to, (void)flags, (void)error_code;
	return -1;
}

void
domain_log_refusal(struct domain *d, const char *fmt, ...)
{
	(void)d, (void)fmt;
}

void
domain_crash(struct domain *d, const char *why)
{
	(void)d, (void)why;
}

static long
record(const char *fn, unsigned int n, uint64_t a1, uint64_t a2,
    uint64_t a3, uint64_t a4)
{
	ran_fn = fn;
	ran_nargs = n;
	ran_args[0] = a1;
	ran_args[1] = a2;
	ran_args[2] = a3;
	ran_args[3] = a4;
	return 1000 + n;
}

#define FAKE0(fn)	long fn(void) \
	{ return record(#fn, 0, NO_ARG, NO_ARG, NO_ARG, NO_ARG); }
#define FAKE1(fn)	long fn(uint64_t a) \
	{ return record(#fn, 1, a, NO_ARG, NO_ARG, NO_ARG); }
#define FAKE2(fn)	long fn(uint64_t a, uint64_t b) \
	{ return record(#fn, 2, a, b, NO_ARG, NO_ARG); }
#define FAKE3(fn)	long fn(uint64_t a, uint64_t b, uint64_t c) \
	{ return record(#fn, 3, a, b, c, NO_ARG); }
#define FAKE4(fn)	long fn(uint64_t a, uint64_t b, uint64_t c, \
	uint64_t d) { return record(#fn, 4, a, b, c, d); }

FAKE1(do_set_trap_table)
FAKE4(do_mmu_update)
FAKE2(do_set_gdt)
FAKE2(do_stack_switch)
FAKE2(do_update_descriptor)
FAKE3(do_set_callbacks)
FAKE1(do_fpu_taskswitch)
FAKE2(do_set_debugreg)
FAKE1(do_get_debugreg)
FAKE2(do_memory_op)
FAKE2(do_multicall)
FAKE3(do_update_va_mapping)
FAKE1(do_set_timer_op)
FAKE2(do_xen_version)
FAKE3(do_console_io)
FAKE3(do_grant_table_op)
FAKE2(do_vm_assist)
FAKE0(do_iret)
FAKE3(do_vcpu_op)
FAKE2(do_set_segment_base)
FAKE4(do_mmuext_op)
FAKE2(do_sched_op)
FAKE2(do_callback_op)
FAKE2(do_event_channel_op)
FAKE1(do_domctl)
FAKE2(do_physdev_op)
FAKE1(do_platform_op)

/* --- Xen's numbers and argument counts, written out apart from hv ---- */

static const struct expect {
	unsigned long	nr;
	const char	*fn;
	unsigned int	nargs;
} expect[] = {
	{ XM_HYPERCALL_SET_TRAP_TABLE, "do_set_trap_table", 1 },
	{ XM_HYPERCALL_MMU_UPDATE, "do_mmu_update", 4 },
	{ XM_HYPERCALL_SET_GDT, "do_set_gdt", 2 },
	{ XM_HYPERCALL_STACK_SWITCH, "do_stack_switch", 2 },
	{ XM_HYPERCALL_UPDATE_DESCRIPTOR, "do_update_descriptor", 2 },
	{ XM_HYPERCALL_SET_CALLBACKS, "do_set_callbacks", 3 },
	{ XM_HYPERCALL_FPU_TASKSWITCH, "do_fpu_taskswitch", 1 },
	{ XM_HYPERCALL_SET_DEBUGREG, "do_set_debugreg", 2 },
	{ XM_HYPERCALL_GET_DEBUGREG, "do_get_debugreg", 1 },
	{ XM_HYPERCALL_MEMORY_OP, "do_memory_op", 2 },
	{ XM_HYPERCALL_MULTICALL, "do_multicall", 2 },
	{ XM_HYPERCALL_UPDATE_VA_MAPPING, "do_update_va_mapping", 3 },
	{ XM_HYPERCALL_SET_TIMER_OP, "do_set_timer_op", 1 },
	{ XM_HYPERCALL_XEN_VERSION, "do_xen_version", 2 },
	{ XM_HYPERCALL_CONSOLE_IO, "do_console_io", 3 },
	{ XM_HYPERCALL_GRANT_TABLE_OP, "do_grant_table_op", 3 },
	{ XM_HYPERCALL_VM_ASSIST, "do_vm_assist", 2 },
	{ XM_HYPERCALL_IRET, "do_iret", 0 },
	{ XM_HYPERCALL_VCPU_OP, "do_vcpu_op", 3 },
	{ XM_HYPERCALL_SET_SEGMENT_BASE, "do_set_segment_base", 2 },
	{ XM_HYPERCALL_MMUEXT_OP, "do_mmuext_op", 4 },
	{ XM_HYPERCALL_SCHED_OP, "do_sched_op", 2 },
	{ XM_HYPERCALL_CALLBACK_OP, "do_callback_op", 2 },
	{ XM_HYPERCALL_EVENT_CHANNEL_OP, "do_event_channel_op", 2 },
	{ XM_HYPERCALL_DOMCTL, "do_domctl", 1 },
	{ XM_HYPERCALL_PHYSDEV_OP, "do_physdev_op", 2 },
	{ XM_HYPERCALL_PLATFORM_OP, "do_platform_op", 1 },
};
#define NR_EXPECT	(sizeof(expect) / sizeof(expect[0]))

static const struct expect *
expected(unsigned long nr)
{
	unsigned int i;

	for (i = 0; i < NR_EXPECT; i++)
		if (expect[i].nr == nr)
			return &expect[i];
	return NULL;
}

/* --- the tests -------------------------------------------------------- */

static void
each_number_reaches_its_handler(void **state)
{
	static const uint64_t args[HYPERCALL_MAX_ARGS] = { 11, 22, 33, 44,
	    55 };
	const struct expect *e;
	unsigned int i;

	(void)state;
	for (i = 0; i < NR_EXPECT; i++) {
		e = &expect[i];
		ran_fn = NULL;
		assert_int_equal(hypercall_call(e->nr, args), 1000 + e->nargs);
		assert_non_null(ran_fn);
		assert_string_equal(ran_fn, e->fn);
		assert_int_equal(ran_nargs, e->nargs);
		assert_memory_equal(ran_args, args, e->nargs *
		    sizeof(args[0]));
		assert_int_equal(hypercall_nargs(e->nr), e->nargs);
	}
}

static void
other_numbers_enosys(void **state)
{
	static const uint64_t args[HYPERCALL_MAX_ARGS];
	unsigned long nr;

	(void)state;
	for (nr = 0; nr < XM_HYPERCALL_COUNT + 8; nr++) {
		if (expected(nr) != NULL)
			continue;
		ran_fn = NULL;
		assert_int_equal(hypercall_call(nr, args), -XM_ENOSYS);
		assert_null(ran_fn);
		assert_int_equal(hypercall_nargs(nr), 0);
	}
	assert_int_equal(hypercall_call(~0UL, args), -XM_ENOSYS);
	assert_int_equal(hypercall_nargs(~0UL), 0);
}

/* mov $nr, %eax; syscall in every stub, iret's after a push %rax. */
static void
page_has_a_stub_per_number(void **state)
{
	static uint8_t page[XM_HYPERCALL_PAGE_SIZE];
	const uint8_t *s;
	unsigned int nr, at;

	(void)state;
	hypercall_page_fill(page);
	for (nr = 0; nr < XM_HYPERCALL_STUB_COUNT; nr++) {
		s = page + XM_HYPERCALL_STUB_OFFSET(nr);
		at = nr == XM_HYPERCALL_IRET ? 4 : 3;
		assert_int_equal(s[at], 0xb8);
		assert_int_equal(s[at + 1], nr);
		assert_int_equal(s[at + 5], 0x0f);
		assert_int_equal(s[at + 6], 0x05);
		assert_int_equal(s[XM_HYPERCALL_STUB_SIZE - 1], 0xcc);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_number_reaches_its_handler),
		cmocka_unit_test(other_numbers_enosys),
		cmocka_unit_test(page_has_a_stub_per_number),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
