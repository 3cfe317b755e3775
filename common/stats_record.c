/*
 * The field tables of domain.stats and node.stats (dom_record.h). Keys
 * are libvirt's domstats names where libvirt has one, xm.* for the
 * rest; the vCPU and CPU tables are written once per vCPU (CPU) after
 * "vcpu.N." ("cpu.N.").
 */
#include <stdint.h>
#include <stdio.h>

#include "dom_record.h"
#include "dr_fields.h"

#define DS	struct xmctl_domain_stats
static const struct dr_field domain_stats_fields[] = {
	F_UINT("state.state", DS, state, NULL, DS_PLAIN),
	F_U64("cpu.time", DS, cpu_time_ns, NULL, DS_PLAIN),
	F_UINT("vcpu.current", DS, vcpu_current, NULL, DS_PLAIN),
	F_UINT("vcpu.maximum", DS, vcpu_maximum, NULL, DS_PLAIN),
	F_U64("balloon.current", DS, balloon_current, NULL, DS_PLAIN),
	F_U64("balloon.maximum", DS, balloon_maximum, NULL, DS_PLAIN),
	F_DOUBLE("xm.cpu.percent", DS, cpu_percent, NULL),
	F_U64("xm.hypercalls.total", DS, hypercalls, NULL, DS_PLAIN),
	F_DOUBLE("xm.hypercalls.rate", DS, hypercall_rate, NULL),
	F_U64("xm.events.sent", DS, events_sent, NULL, DS_PLAIN),
	F_U64("xm.events.received", DS, events_received, NULL, DS_PLAIN),
	F_DOUBLE("xm.events.rate", DS, event_rate, NULL),
	F_U64("xm.mmu.updates", DS, mmu_updates, NULL, DS_PLAIN),
	F_U64("xm.mmu.va_updates", DS, va_updates, NULL, DS_PLAIN),
	F_U64("xm.mmu.ext_ops", DS, mmuext_ops, NULL, DS_PLAIN),
	F_U64("xm.traps.bounced", DS, traps_bounced, NULL, DS_PLAIN),
	F_U64("xm.sample.time", DS, sample_ns, NULL, DS_PLAIN),
};
#undef DS

#define VS	struct xmctl_vcpu_stats
static const struct dr_field vcpu_stats_fields[] = {
	F_UINT("state", VS, state, NULL, DS_PLAIN),
	F_U64("time", VS, time_ns, NULL, DS_PLAIN),
	F_U64("wait", VS, wait_ns, NULL, DS_PLAIN),
	F_U64("xm.blocked", VS, blocked_ns, NULL, DS_PLAIN),
	F_U64("xm.offline", VS, offline_ns, NULL, DS_PLAIN),
	F_DOUBLE("xm.cpu.percent", VS, cpu_percent, NULL),
};
#undef VS

#define NS	struct xmctl_node_stats
static const struct dr_field node_stats_fields[] = {
	F_UINT("xm.cpus", NS, nr_cpus, NULL, DS_PLAIN),
	F_UINT("xm.domains", NS, nr_domains, NULL, DS_PLAIN),
	F_U64("xm.uptime", NS, uptime_ns, NULL, DS_PLAIN),
	F_UINT("xm.sample.interval_ms", NS, interval_ms, NULL, DS_PLAIN),
	F_UINT("xm.sample.kept", NS, samples, NULL, DS_PLAIN),
	F_DOUBLE("xm.busy.percent", NS, busy_percent, NULL),
};
#undef NS

#define CS	struct xmctl_cpu_stats
static const struct dr_field cpu_stats_fields[] = {
	F_U64("xm.busy", CS, busy_ns, NULL, DS_PLAIN),
	F_U64("xm.idle", CS, idle_ns, NULL, DS_PLAIN),
	F_DOUBLE("xm.busy.percent", CS, busy_percent, NULL),
};
#undef CS

const struct dr_record dr_domain_stats = {
	"domain.stats reply", domain_stats_fields,
	nitems(domain_stats_fields)
};
const struct dr_record dr_vcpu_stats = {
	"domain.stats reply", vcpu_stats_fields, nitems(vcpu_stats_fields)
};
const struct dr_record dr_node_stats = {
	"node.stats reply", node_stats_fields, nitems(node_stats_fields)
};
const struct dr_record dr_cpu_stats = {
	"node.stats reply", cpu_stats_fields, nitems(cpu_stats_fields)
};

/* The hypercalls' names by number (Xen's public ABI), NULL: none. */
static const char *const hypercall_names[XMCTL_STATS_HYPERCALLS] = {
	"set_trap_table", "mmu_update", "set_gdt", "stack_switch",
	"set_callbacks", "fpu_taskswitch", "sched_op_compat", "platform_op",
	"set_debugreg", "get_debugreg", "update_descriptor", NULL,
	"memory_op", "multicall", "update_va_mapping", "set_timer_op",
	"event_channel_op_compat", "xen_version", "console_io",
	"physdev_op_compat", "grant_table_op", "vm_assist",
	"update_va_mapping_otherdomain", "iret", "vcpu_op",
	"set_segment_base", "mmuext_op", "xsm_op", "nmi_op", "sched_op",
	"callback_op", "xenoprof_op", "event_channel_op", "physdev_op",
	"hvm_op", "sysctl", "domctl", "kexec_op", "tmem_op", "argo_op",
	"xenpmu_op", "dm_op", "hypfs_op", NULL, NULL, NULL, NULL, NULL,
	"arch_0", "arch_1", "arch_2", "arch_3", "arch_4", "arch_5",
	"arch_6", "arch_7",
};

static void
hypercall_key(char *key, size_t len, unsigned int nr)
{
	if (hypercall_names[nr] != NULL)
		snprintf(key, len, "xm.hypercalls.%s", hypercall_names[nr]);
	else
		snprintf(key, len, "xm.hypercalls.%u", nr);
}

void
dr_write_hypercalls(const uint64_t *ops, struct json_object *o)
{
	char key[64];
	unsigned int i;

	for (i = 0; i < XMCTL_STATS_HYPERCALLS; i++) {
		if (ops[i] == 0)
			continue;
		hypercall_key(key, sizeof(key), i);
		json_object_object_add(o, key, json_object_new_uint64(ops[i]));
	}
}

/* Absent keys are 0, as xmd leaves them out. */
void
dr_read_hypercalls(struct json_object *o, uint64_t *ops)
{
	struct json_object *v;
	char key[64];
	unsigned int i;

	for (i = 0; i < XMCTL_STATS_HYPERCALLS; i++) {
		hypercall_key(key, sizeof(key), i);
		ops[i] = json_object_object_get_ex(o, key, &v) &&
		    json_object_is_type(v, json_type_int) ?
		    json_object_get_uint64(v) : 0;
	}
}
