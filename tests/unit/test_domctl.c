/*
 * domctl's dispatcher (hv/domctl.c) as host code: the handlers are
 * fakes that record their call, "guest memory" is a window of host
 * memory outside which every copy faults. The promises under test:
 * the checks before any handler runs and the errors they give (-EPERM,
 * -EFAULT, -EACCES, -ENOSYS, -ESRCH, and the target rules of destroy,
 * pause, unpause and foreign_copy), every command reaching its own
 * handler with the target its row asks for, and the copies in and out
 * being exactly the header and the command's argument.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include <xm/domctl.h>
#include <xm/hypercall.h>

#include <hv/domain.h>
#include <hv/domctl.h>
#include <hv/guest_access.h>

#define HDR		offsetof(struct xm_domctl, u)
#define NR_DOMS		4
#define ABSENT		9		/* a domain id nobody has */
#define CANARY		0x5a

/* dom0 calls; dom1 is a domU; dom2 is dying; dom3 privileged too. */
static struct domain	doms[NR_DOMS];
/* "Guest memory": copies outside [win, win + win_len) fault. */
static uint8_t		mem[2 * sizeof(struct xm_domctl)];
static uint8_t		*win;
static size_t		win_len;
/* What the fake handlers saw. */
static uint32_t		ran_cmd;
static const char	*ran_fn;
static struct domain	*ran_target, *ran_caller;
static long		handler_rc;

/* --- what hv/domctl.c needs ------------------------------------------ */

struct domain *
domain_get(uint16_t id)
{
	return id < NR_DOMS ? &doms[id] : NULL;
}

void
domain_log_refusal(struct domain *d, const char *fmt, ...)
{
	(void)d, (void)fmt;
}

static bool
in_window(uint64_t gva, size_t n)
{
	uintptr_t a = (uintptr_t)gva, w = (uintptr_t)win;

	return a >= w && a + n >= a && a + n <= w + win_len;
}

int
copy_from_guest(void *dst, uint64_t gva, size_t n)
{
	if (!in_window(gva, n))
		return -XM_EFAULT;
	memcpy(dst, (const void *)(uintptr_t)gva, n);
	return 0;
}

int
copy_to_guest(uint64_t gva, const void *src, size_t n)
{
	if (!in_window(gva, n))
		return -XM_EFAULT;
	memcpy((void *)(uintptr_t)gva, src, n);
	return 0;
}

static long
record(struct domctl_call *c, const char *fn)
{
	ran_cmd = c->op->cmd;
	ran_fn = fn;
	ran_target = c->target;
	ran_caller = c->caller;
	if (handler_rc == 0)
		c->op->domain = 0x77;	/* a result, to see the copy out */
	return handler_rc;
}

#define FAKE(fn)	\
	long fn(struct domctl_call *c) { return record(c, #fn); }
FAKE(domctl_create)
FAKE(domctl_destroy)
FAKE(domctl_pause)
FAKE(domctl_unpause)
FAKE(domctl_getinfo)
FAKE(domctl_getinfo_list)
FAKE(domctl_physinfo)
FAKE(domctl_shutdown)
FAKE(domctl_max_mem)
FAKE(domctl_set_vcpu_context)
FAKE(domctl_get_vcpu_context)
FAKE(domctl_populate)
FAKE(domctl_get_page_list)
FAKE(domctl_foreign_copy)
FAKE(domctl_hypercall_init)
FAKE(domctl_console_ring)
FAKE(domctl_sched_get)
FAKE(domctl_sched_set)
FAKE(domctl_vcpu_affinity)
FAKE(domctl_vcpu_list)
FAKE(domctl_stats)
FAKE(domctl_resume)
FAKE(domctl_page_info)
FAKE(domctl_pin_tables)
FAKE(domctl_log_dirty)

/* --- the expectations, written out apart from hv's table ------------- */

enum target_rule { NONE, ANY, OTHER, UNPRIV };

static const struct expect {
	uint32_t	cmd;
	const char	*fn;
	size_t		arg_size;
	enum target_rule rule;
} expect[] = {
	{ XM_DOMCTL_CREATE, "domctl_create",
	    sizeof(struct xm_domctl_create), NONE },
	{ XM_DOMCTL_DESTROY, "domctl_destroy", 0, UNPRIV },
	{ XM_DOMCTL_PAUSE, "domctl_pause", 0, OTHER },
	{ XM_DOMCTL_UNPAUSE, "domctl_unpause", 0, OTHER },
	{ XM_DOMCTL_GETINFO, "domctl_getinfo",
	    sizeof(struct xm_domctl_info), ANY },
	{ XM_DOMCTL_GETINFO_LIST, "domctl_getinfo_list",
	    sizeof(struct xm_domctl_info_list), NONE },
	{ XM_DOMCTL_MAX_MEM, "domctl_max_mem",
	    sizeof(struct xm_domctl_max_mem), ANY },
	{ XM_DOMCTL_POPULATE, "domctl_populate",
	    sizeof(struct xm_domctl_populate), ANY },
	{ XM_DOMCTL_SET_VCPU_CONTEXT, "domctl_set_vcpu_context",
	    sizeof(struct xm_domctl_vcpu_context), ANY },
	{ XM_DOMCTL_GET_VCPU_CONTEXT, "domctl_get_vcpu_context",
	    sizeof(struct xm_domctl_vcpu_context), ANY },
	{ XM_DOMCTL_GET_PAGE_LIST, "domctl_get_page_list",
	    sizeof(struct xm_domctl_page_list), ANY },
	{ XM_DOMCTL_FOREIGN_COPY, "domctl_foreign_copy",
	    sizeof(struct xm_domctl_copy), OTHER },
	{ XM_DOMCTL_HYPERCALL_INIT, "domctl_hypercall_init",
	    sizeof(struct xm_domctl_hypercall_init), ANY },
	{ XM_DOMCTL_PHYSINFO, "domctl_physinfo",
	    sizeof(struct xm_domctl_physinfo), NONE },
	{ XM_DOMCTL_SHUTDOWN, "domctl_shutdown",
	    sizeof(struct xm_domctl_shutdown), ANY },
	{ XM_DOMCTL_CONSOLE_RING, "domctl_console_ring",
	    sizeof(struct xm_domctl_console), ANY },
	{ XM_DOMCTL_SCHED_GET, "domctl_sched_get",
	    sizeof(struct xm_domctl_sched), ANY },
	{ XM_DOMCTL_SCHED_SET, "domctl_sched_set",
	    sizeof(struct xm_domctl_sched), ANY },
	{ XM_DOMCTL_VCPU_AFFINITY, "domctl_vcpu_affinity",
	    sizeof(struct xm_domctl_vcpu_affinity), ANY },
	{ XM_DOMCTL_VCPU_LIST, "domctl_vcpu_list",
	    sizeof(struct xm_domctl_vcpu_list), ANY },
	{ XM_DOMCTL_STATS, "domctl_stats",
	    sizeof(struct xm_domctl_stats), NONE },
	{ XM_DOMCTL_RESUME, "domctl_resume", 0, OTHER },
	{ XM_DOMCTL_PAGE_INFO, "domctl_page_info",
	    sizeof(struct xm_domctl_page_info), ANY },
	{ XM_DOMCTL_PIN_TABLES, "domctl_pin_tables",
	    sizeof(struct xm_domctl_pin_tables), OTHER },
	{ XM_DOMCTL_LOG_DIRTY, "domctl_log_dirty",
	    sizeof(struct xm_domctl_log_dirty), UNPRIV },
};
#define NR_EXPECT	(sizeof(expect) / sizeof(expect[0]))

/* --- helpers ---------------------------------------------------------- */

static int
setup(void **state)
{
	unsigned int i;

	(void)state;
	memset(doms, 0, sizeof(doms));
	for (i = 0; i < NR_DOMS; i++) {
		doms[i].id = (uint16_t)i;
		doms[i].state = DOMAIN_RUNNING;
	}
	doms[0].privileged = true;
	doms[2].state = DOMAIN_DYING;
	doms[3].privileged = true;
	ran_cmd = 0;
	ran_fn = NULL;
	ran_target = ran_caller = NULL;
	handler_rc = 0;
	return 0;
}

/*
 * Put a domctl for cmd on domain dom in guest memory, readable for its
 * first len bytes only: its header, then the canary (the union too, so
 * that a copy out of more than the argument shows).
 */
static uint64_t
place(uint32_t cmd, uint16_t dom, size_t len)
{
	struct xm_domctl op;

	memset(mem, CANARY, sizeof(mem));
	memset(&op, 0, sizeof(op));
	op.cmd = cmd;
	op.interface_version = XM_DOMCTL_INTERFACE_VERSION;
	op.domain = dom;
	memcpy(mem, &op, HDR);
	win = mem;
	win_len = len;
	return (uint64_t)(uintptr_t)mem;
}

static long
run(uint32_t cmd, uint16_t dom)
{
	return domctl_run(&doms[0], place(cmd, dom, sizeof(mem)));
}

/* --- the tests -------------------------------------------------------- */

static void
unprivileged_caller_refused(void **state)
{
	uint64_t arg = place(XM_DOMCTL_GETINFO, 1, sizeof(mem));

	(void)state;
	assert_int_equal(domctl_run(&doms[1], arg), -XM_EPERM);
	assert_null(ran_fn);
}

static void
header_checks_come_first(void **state)
{
	struct xm_domctl *op = (struct xm_domctl *)mem;
	uint64_t arg;

	(void)state;
	arg = place(XM_DOMCTL_GETINFO, 1, HDR - 1);
	assert_int_equal(domctl_run(&doms[0], arg), -XM_EFAULT);
	arg = place(9999, 1, sizeof(mem));
	op->interface_version = XM_DOMCTL_INTERFACE_VERSION + 1;
	assert_int_equal(domctl_run(&doms[0], arg), -XM_EACCES);
	assert_null(ran_fn);
}

static void
unknown_commands_enosys(void **state)
{
	static const uint32_t unknown[] = { 0, XM_DOMCTL_LOG_DIRTY + 1,
	    64, 0x10000, UINT32_MAX };
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		assert_int_equal(run(unknown[i], 1), -XM_ENOSYS);
		/* Whatever the domain: the command is looked at first. */
		assert_int_equal(run(unknown[i], ABSENT), -XM_ENOSYS);
	}
	assert_null(ran_fn);
}

static void
each_command_reaches_its_handler(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < NR_EXPECT; i++) {
		ran_fn = NULL;
		assert_int_equal(run(expect[i].cmd, 1), 0);
		assert_non_null(ran_fn);
		assert_string_equal(ran_fn, expect[i].fn);
		assert_int_equal(ran_cmd, expect[i].cmd);
		assert_ptr_equal(ran_caller, &doms[0]);
		if (expect[i].rule == NONE)
			assert_null(ran_target);
		else
			assert_ptr_equal(ran_target, &doms[1]);
	}
}

static void
missing_or_dying_target_esrch(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < NR_EXPECT; i++) {
		ran_fn = NULL;
		if (expect[i].rule == NONE) {
			assert_int_equal(run(expect[i].cmd, ABSENT), 0);
			continue;
		}
		assert_int_equal(run(expect[i].cmd, ABSENT), -XM_ESRCH);
		assert_int_equal(run(expect[i].cmd, 2), -XM_ESRCH);
		assert_null(ran_fn);
	}
}

/* Destroy: never a privileged domain (so never the caller's own). */
static void
target_rules(void **state)
{
	unsigned int i;
	long self_rc = 0, priv_rc = 0;

	(void)state;
	for (i = 0; i < NR_EXPECT; i++) {
		switch (expect[i].rule) {
		case NONE:
			continue;
		case ANY:
			self_rc = priv_rc = 0;
			break;
		case OTHER:
			self_rc = -XM_EINVAL;
			priv_rc = 0;
			break;
		case UNPRIV:
			self_rc = priv_rc = -XM_EPERM;
			break;
		}
		ran_fn = NULL;
		assert_int_equal(run(expect[i].cmd, 0), self_rc);
		assert_true((ran_fn != NULL) == (self_rc == 0));
		ran_fn = NULL;
		assert_int_equal(run(expect[i].cmd, 3), priv_rc);
		assert_true((ran_fn != NULL) == (priv_rc == 0));
	}
}

/* In: the header and the argument; out: the same, on success only. */
static void
copies_are_header_and_argument(void **state)
{
	size_t len;
	unsigned int i;
	uint64_t arg;

	(void)state;
	for (i = 0; i < NR_EXPECT; i++) {
		len = HDR + expect[i].arg_size;
		if (expect[i].arg_size != 0) {
			arg = place(expect[i].cmd, 1, len - 1);
			assert_int_equal(domctl_run(&doms[0], arg),
			    -XM_EFAULT);
		}
		arg = place(expect[i].cmd, 1, len);
		assert_int_equal(domctl_run(&doms[0], arg), 0);
		assert_int_equal(((struct xm_domctl *)mem)->domain, 0x77);
		if (len < sizeof(mem))
			assert_int_equal(mem[len], CANARY);
	}
}

static void
failure_copies_nothing_back(void **state)
{
	(void)state;
	handler_rc = -XM_EINVAL;
	assert_int_equal(run(XM_DOMCTL_GETINFO, 1), -XM_EINVAL);
	assert_int_equal(((struct xm_domctl *)mem)->domain, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(unprivileged_caller_refused, setup),
		cmocka_unit_test_setup(header_checks_come_first, setup),
		cmocka_unit_test_setup(unknown_commands_enosys, setup),
		cmocka_unit_test_setup(each_command_reaches_its_handler,
		    setup),
		cmocka_unit_test_setup(missing_or_dying_target_esrch, setup),
		cmocka_unit_test_setup(target_rules, setup),
		cmocka_unit_test_setup(copies_are_header_and_argument, setup),
		cmocka_unit_test_setup(failure_copies_nothing_back, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
