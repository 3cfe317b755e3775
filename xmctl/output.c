/* xmctl's output: tables and key-value lists for people, JSON for scripts. */
#include <inttypes.h>
#include <stdio.h>

#include <json-c/json.h>

#include "xmctl.h"

static struct json_object *
domain_json(const struct xmctl_domain *d)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", d->id >= 0 ?
	    json_object_new_int(d->id) : NULL);
	json_object_object_add(o, "name", json_object_new_string(d->name));
	json_object_object_add(o, "uuid", json_object_new_string(d->uuid));
	json_object_object_add(o, "state", json_object_new_string(d->state));
	json_object_object_add(o, "memory_kib",
	    json_object_new_int64((int64_t)d->memory_kib));
	json_object_object_add(o, "current_kib",
	    json_object_new_int64((int64_t)d->current_kib));
	json_object_object_add(o, "vcpus", json_object_new_int((int)d->vcpus));
	json_object_object_add(o, "online_vcpus",
	    json_object_new_int((int)d->online_vcpus));
	json_object_object_add(o, "cpu_time_ns",
	    json_object_new_int64((int64_t)d->cpu_time_ns));
	json_object_object_add(o, "persistent",
	    json_object_new_boolean(d->persistent));
	json_object_object_add(o, "autostart",
	    json_object_new_boolean(d->autostart));
	return o;
}

static void
print_json(struct json_object *o)
{
	printf("%s\n", json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
	    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

void
print_domain_json(const struct xmctl_domain *d)
{
	print_json(domain_json(d));
}

void
print_domains_json(const struct xmctl_domain *d, size_t n)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, domain_json(&d[i]));
	print_json(a);
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

void
print_domain_info(const struct xmctl_domain *d)
{
	printf("%-15s ", "Id:");
	print_id(d->id, 0);
	printf("\n%-15s %s\n", "Name:", d->name);
	printf("%-15s %s\n", "UUID:", d->uuid);
	printf("%-15s %s\n", "State:", d->state);
	printf("%-15s %u (%u online)\n", "CPU(s):", d->vcpus, d->online_vcpus);
	printf("%-15s %.1fs\n", "CPU time:", (double)d->cpu_time_ns / 1e9);
	printf("%-15s %" PRIu64 " KiB\n", "Max memory:", d->memory_kib);
	printf("%-15s %" PRIu64 " KiB\n", "Used memory:", d->current_kib);
	printf("%-15s %s\n", "Persistent:", d->persistent ? "yes" : "no");
	printf("%-15s %s\n", "Autostart:", d->autostart ? "enable" :
	    "disable");
}

void
print_state_json(const struct xmctl_domain_state *st)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "state", json_object_new_string(st->state));
	json_object_object_add(o, "reason",
	    json_object_new_string(st->reason));
	print_json(o);
}

/*
 * One line per event: for people "TIME domain 'NAME' (id N): EVENT
 * (REASON)", for scripts one JSON object.
 */
void
print_event(const struct xmctl_event *ev, int json)
{
	struct json_object *o;

	if (!json) {
		printf("%s domain '%s'", ev->timestamp, ev->domain);
		if (ev->id >= 0)
			printf(" (id %d)", ev->id);
		printf(": %s", ev->event);
		if (ev->reason[0] != '\0')
			printf(" (%s)", ev->reason);
		printf("\n");
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "event", json_object_new_string(ev->event));
	json_object_object_add(o, "domain",
	    json_object_new_string(ev->domain));
	json_object_object_add(o, "id", ev->id >= 0 ?
	    json_object_new_int(ev->id) : NULL);
	json_object_object_add(o, "uuid", json_object_new_string(ev->uuid));
	if (ev->reason[0] != '\0')
		json_object_object_add(o, "reason",
		    json_object_new_string(ev->reason));
	json_object_object_add(o, "timestamp",
	    json_object_new_string(ev->timestamp));
	printf("%s\n", json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

void
print_node_json(const struct xmctl_node_info *n)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "hv_version",
	    json_object_new_string(n->hv_version));
	json_object_object_add(o, "dom0_version",
	    json_object_new_string(n->dom0_version));
	json_object_object_add(o, "protocol",
	    json_object_new_int((int)n->protocol));
	json_object_object_add(o, "nr_cpus", json_object_new_int((int)n->nr_cpus));
	json_object_object_add(o, "total_kib",
	    json_object_new_int64((int64_t)n->total_kib));
	json_object_object_add(o, "free_kib",
	    json_object_new_int64((int64_t)n->free_kib));
	json_object_object_add(o, "nr_domains",
	    json_object_new_int((int)n->nr_domains));
	json_object_object_add(o, "node", json_object_new_string(n->node));
	print_json(o);
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
