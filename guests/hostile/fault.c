/*
 * Surviving faults on purpose: the hostile guest's own trap table
 * (entries in trap.S), the record of the last fault, the recovery
 * point each guarded attack arms, and the TAP lines that judge an
 * attack by its fault or its error code.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <klib/format.h>

#include <xm/arch_x86_64.h>
#include <xm/callback.h>
#include <xm/sched.h>

#include <guest/console.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/test.h>

#include "hostile.h"

_Static_assert(offsetof(struct hx_jmp, rsp) == 48, "hx_jmp.rsp");
_Static_assert(offsetof(struct hx_jmp, rip) == 56, "hx_jmp.rip");

void	hx_trap_de(void);
void	hx_trap_db(void);
void	hx_trap_of(void);
void	hx_trap_br(void);
void	hx_trap_ud(void);
void	hx_trap_nm(void);
void	hx_trap_cso(void);
void	hx_trap_ts(void);
void	hx_trap_np(void);
void	hx_trap_ss(void);
void	hx_trap_gp(void);
void	hx_trap_pf(void);
void	hx_trap_spurious(void);
void	hx_trap_mf(void);
void	hx_trap_ac(void);
void	hx_trap_mc(void);
void	hx_trap_xm(void);
void	hx_failsafe(void);

struct hx_jmp	*hx_trap(uint64_t vector, uint64_t error, uint64_t rip,
		    uint64_t rsp);

/* Events stay masked in a handler; int3 may come from ring 3. */
#define HX_ENTRY(vec, fn, dpl) {					\
	.vector = (vec),						\
	.flags = (dpl) | XM_TI_MASK_EVENTS,				\
	.cs = XM_FLAT_KERNEL_CS,					\
	.address = (uint64_t)(fn),					\
}

static const struct xm_trap_info hx_trap_table[] = {
	HX_ENTRY(0, hx_trap_de, 0),
	HX_ENTRY(1, hx_trap_db, 0),
	HX_ENTRY(3, hx_trap_bp, 3),
	HX_ENTRY(4, hx_trap_of, 0),
	HX_ENTRY(5, hx_trap_br, 0),
	HX_ENTRY(6, hx_trap_ud, 0),
	HX_ENTRY(7, hx_trap_nm, 0),
	HX_ENTRY(9, hx_trap_cso, 0),
	HX_ENTRY(10, hx_trap_ts, 0),
	HX_ENTRY(11, hx_trap_np, 0),
	HX_ENTRY(12, hx_trap_ss, 0),
	HX_ENTRY(13, hx_trap_gp, 0),
	HX_ENTRY(14, hx_trap_pf, 0),
	HX_ENTRY(15, hx_trap_spurious, 0),
	HX_ENTRY(16, hx_trap_mf, 0),
	HX_ENTRY(17, hx_trap_ac, 0),
	HX_ENTRY(18, hx_trap_mc, 0),
	HX_ENTRY(19, hx_trap_xm, 0),
	{ .address = 0 },
};

static struct hx_jmp *volatile	hx_armed;
static volatile struct hx_fault	hx_last;

static const char *const vec_names[32] = {
	[0] = "#DE", [1] = "#DB", [3] = "#BP", [4] = "#OF", [5] = "#BR",
	[6] = "#UD", [7] = "#NM", [10] = "#TS", [11] = "#NP", [12] = "#SS",
	[13] = "#GP", [14] = "#PF", [16] = "#MF", [17] = "#AC", [18] = "#MC",
	[19] = "#XM",
};

static const char *
vec_name(uint64_t v)
{
	if (v == 257)
		return "failsafe callback";
	if (v < 32 && vec_names[v] != NULL)
		return vec_names[v];
	return "#??";
}

/*
 * The trap table, and the failsafe callback in place of the runtime's:
 * hv should never use it, but if it jumps there, recover too.
 */
void
hx_traps_init(void)
{
	struct xm_callback_register cb = {
		.type = XM_CALLBACKTYPE_FAILSAFE,
		.address = (uint64_t)hx_failsafe,
	};
	int rc;

	rc = HYPERVISOR_set_trap_table(hx_trap_table);
	if (rc == 0)
		rc = HYPERVISOR_callback_op(XM_CALLBACKOP_REGISTER, &cb);
	if (rc != 0) {
		gprintf("hostile: set_trap_table failed (%d)\n", rc);
		guest_shutdown(XM_SHUTDOWN_CRASH);
	}
}

int
hx_set_event_callback(uint64_t address)
{
	struct xm_callback_register cb = {
		.type = XM_CALLBACKTYPE_EVENT,
		.address = address,
	};

	return HYPERVISOR_callback_op(XM_CALLBACKOP_REGISTER, &cb);
}

/* From trap.S, events masked: record, and say where to resume. */
struct hx_jmp *
hx_trap(uint64_t vector, uint64_t error, uint64_t rip, uint64_t rsp)
{
	struct hx_jmp *j = hx_armed;

	hx_last.vector = vector;
	hx_last.error = error;
	hx_last.rip = rip;
	hx_last.rsp = rsp;
	hx_last.cr2 = vector == VEC_PF ? guest_vcpu_info()->arch.cr2 : 0;
	if (j == NULL) {
		console_flush();
		gprintf("not ok - unexpected %s (vector %lu) error %#lx at "
		    "rip %#lx rsp %#lx cr2 %#lx\n", vec_name(vector), vector,
		    error, rip, rsp, hx_last.cr2);
		guest_shutdown(XM_SHUTDOWN_CRASH);
	}
	hx_armed = NULL;
	return j;
}

int
hx_run(hx_fn_t *fn, uint64_t arg, struct hx_fault *f)
{
	struct hx_jmp j;

	if (hx_setjmp(&j) == 0) {
		hx_armed = &j;
		fn(arg);
		hx_armed = NULL;
		return 0;
	}
	f->vector = hx_last.vector;
	f->error = hx_last.error;
	f->rip = hx_last.rip;
	f->rsp = hx_last.rsp;
	f->cr2 = hx_last.cr2;
	return 1;
}

static int
fault_matches(const struct hx_fault *f, uint64_t vector, int64_t error,
    uint64_t cr2)
{
	if (f->vector != vector)
		return 0;
	if (error >= 0 && f->error != (uint64_t)error)
		return 0;
	return vector != VEC_PF || cr2 == 0 || f->cr2 == cr2;
}

int
hx_expect_fault(hx_fn_t *fn, uint64_t arg, uint64_t vector, int64_t error,
    uint64_t cr2, const char *fmt, ...)
{
	char what[160], how[96];
	struct hx_fault f;
	va_list ap;
	int ok;

	va_start(ap, fmt);
	kvsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (!hx_run(fn, arg, &f))
		return TEST_OK(0, "%s refused (no fault; want %s)", what,
		    vec_name(vector));
	ok = fault_matches(&f, vector, error, cr2);
	if (f.vector == VEC_PF)
		ksnprintf(how, sizeof(how), "%s, error %#lx, cr2 %#lx",
		    vec_name(f.vector), f.error, f.cr2);
	else
		ksnprintf(how, sizeof(how), "%s, error %#lx",
		    vec_name(f.vector), f.error);
	if (ok)
		return TEST_OK(1, "%s refused (%s)", what, how);
	return TEST_OK(0, "%s refused (%s; want %s error %ld cr2 %#lx)",
	    what, how, vec_name(vector), (long)error, cr2);
}

int
hx_expect_rc(long rc, long want, long want2, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (rc == want || (want2 != 0 && rc == want2))
		return TEST_OK(1, "%s refused (%ld)", what, rc);
	if (want2 != 0)
		return TEST_OK(0, "%s refused (%ld; want %ld or %ld)", what,
		    rc, want, want2);
	return TEST_OK(0, "%s refused (%ld; want %ld)", what, rc, want);
}

int
hx_refused(int ok, const char *how, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return TEST_OK(ok, "%s refused (%s)", what, how);
}
