/* xmctl's output: tables and key-value lists for people, JSON for scripts. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "dom_record.h"
#include "xmctl.h"

static void
print_json(struct json_object *o)
{
	printf("%s\n", json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
	    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

/*
 * --json: the last (successful) call's result as xmd sent it, every key
 * passed on, indented for people.
 */
void
print_result_json(const struct xmctl *x)
{
	const char *text = xmctl_result_json(x);
	struct json_object *o;

	if (text == NULL)
		return;
	if ((o = json_tokener_parse(text)) == NULL)
		printf("%s\n", text);	/* null, or not json-c's to indent */
	else
		print_json(o);
}

static void
print_id(int id, int width)
{
	if (id >= 0)
		printf("%*d", width, id);
	else
		printf("%*s", width, "-");
}

void
print_domains_table(const struct xmctl_domain *d, size_t n)
{
	size_t i;

	printf("%-20s %5s %9s %5s %-9s %9s\n", "Name", "ID", "Mem(MiB)",
	    "VCPUs", "State", "Time(s)");
	for (i = 0; i < n; i++) {
		printf("%-20s ", d[i].name);
		print_id(d[i].id, 5);
		printf(" %9" PRIu64 " %5u %-9s %9.1f\n",
		    d[i].memory_kib / 1024, d[i].vcpus, d[i].state,
		    (double)d[i].cpu_time_ns / 1e9);
	}
}

/* The field's value for people, as its row in the record says. */
static void
print_value(const struct dr_field *f, const void *rec)
{
	const void *p = DR_AT(rec, f);
	uint64_t n;

	switch (f->f_type) {
	case DR_STR:
		printf("%s", (const char *)p);
		break;
	case DR_ID:
		print_id(*(const int *)p, 0);
		break;
	case DR_UINT:
		printf(f->f_show == DS_ONLINE ? " (%u online)" : "%u",
		    *(const unsigned int *)p);
		break;
	case DR_U64:
		n = *(const uint64_t *)p;
		if (f->f_show == DS_SECONDS)
			printf("%.1fs", (double)n / 1e9);
		else
			printf("%" PRIu64 "%s", n, f->f_show == DS_KIB ?
			    " KiB" : "");
		break;
	case DR_BOOL:
		if (f->f_show == DS_ENABLE)
			printf("%s", *(const int *)p ? "enable" : "disable");
		else
			printf("%s", *(const int *)p ? "yes" : "no");
		break;
	case DR_DOUBLE:
		printf("%.2f", *(const double *)p);
		break;
	}
}

/* "Label:   value" per field with a label; "" strings left out. */
static void
print_record(const struct dr_record *r, const void *rec)
{
	const struct dr_field *f;
	size_t i;
	int lines = 0;

	for (i = 0; i < r->r_nfields; i++) {
		f = &r->r_fields[i];
		if (f->f_show == DS_ONLINE && lines > 0) {
			print_value(f, rec);
			continue;
		}
		if (f->f_label == NULL || (f->f_type == DR_STR &&
		    *(const char *)DR_AT(rec, f) == '\0'))
			continue;
		printf("%s%s:%*s ", lines++ > 0 ? "\n" : "", f->f_label,
		    15 - (int)strlen(f->f_label) - 1, "");
		print_value(f, rec);
	}
	if (lines > 0)
		printf("\n");
}

void
print_domain_info(const struct xmctl_domain *d)
{
	print_record(&dr_domain, d);
}

/* schedinfo: as virsh's, "Scheduler:      credit" and the values. */
void
print_sched(const struct xmctl_sched *s)
{
	print_record(&dr_sched, s);
}

/* vcpuinfo: a record per vCPU, a blank line between them. */
void
print_vcpus(const struct xmctl_vcpu *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			printf("\n");
		print_record(&dr_vcpu, &v[i]);
	}
}

void
print_vcpu_pins(const struct xmctl_vcpu_pin *p, size_t n)
{
	size_t i;

	printf(" %-6s %s\n", "VCPU", "CPU Affinity");
	printf("----------------------\n");
	for (i = 0; i < n; i++)
		printf(" %-6u %s\n", p[i].vcpu, p[i].affinity);
}

/*
 * One line per event: for people "TIME domain 'NAME' (id N): EVENT
 * (REASON)"; for scripts (--json) the event's parameters as xmd sent
 * them, on one line (cmd_event.c).
 */
void
print_event(const struct xmctl_event *ev)
{
	printf("%s domain '%s'", ev->timestamp, ev->domain);
	if (ev->id >= 0)
		printf(" (id %d)", ev->id);
	printf(": %s", ev->event);
	if (ev->reason[0] != '\0')
		printf(" (%s)", ev->reason);
	printf("\n");
}

void
print_node_info(const struct xmctl_node_info *n)
{
	printf("%-16s %s\n", "Node:", n->node);
	printf("%-16s %s\n", "Hypervisor:", n->hv_version);
	printf("%-16s %s (protocol %u)\n", "Domain 0:", n->dom0_version,
	    n->protocol);
	printf("%-16s %u\n", "CPU(s):", n->nr_cpus);
	printf("%-16s %" PRIu64 " KiB\n", "Memory size:", n->total_kib);
	printf("%-16s %" PRIu64 " KiB\n", "Free memory:", n->free_kib);
	printf("%-16s %u\n", "Domains:", n->nr_domains);
}

void
print_ping(const struct xmctl_ping *p, int json)
{
	struct json_object *o;

	if (!json) {
		printf("%u echoes of %u bytes: round trip min/avg/max = "
		    "%.3f/%.3f/%.3f ms\n", p->count, p->size, p->min_ns / 1e6,
		    p->avg_ns / 1e6, p->max_ns / 1e6);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "count", json_object_new_int((int)p->count));
	json_object_object_add(o, "size", json_object_new_int((int)p->size));
	json_object_object_add(o, "min_ns",
	    json_object_new_int64((int64_t)p->min_ns));
	json_object_object_add(o, "avg_ns",
	    json_object_new_int64((int64_t)p->avg_ns));
	json_object_object_add(o, "max_ns",
	    json_object_new_int64((int64_t)p->max_ns));
	print_json(o);
}
