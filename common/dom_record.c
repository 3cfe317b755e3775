/*
 * The domain record's field tables (dom_record.h) and the one writer
 * and reader that walk them, with json-c.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "dom_record.h"
#include "dr_fields.h"

#define D	struct xmctl_domain
/* In the order dominfo shows them. */
static const struct dr_field domain_fields[] = {
	F_ID("id", D, id, "Id"),
	F_STR("name", D, name, 1, "Name"),
	F_STR("uuid", D, uuid, 1, "UUID"),
	F_STR("state", D, state, 1, "State"),
	F_UINT("vcpus", D, vcpus, "CPU(s)", DS_PLAIN),
	F_UINT("online_vcpus", D, online_vcpus, NULL, DS_ONLINE),
	F_U64("cpu_time_ns", D, cpu_time_ns, "CPU time", DS_SECONDS),
	F_U64("memory_kib", D, memory_kib, "Max memory", DS_KIB),
	F_U64("current_kib", D, current_kib, "Used memory", DS_KIB),
	F_STR("kernel", D, kernel, 0, "Kernel"),
	F_STR("cmdline", D, cmdline, 0, "Command line"),
	F_BOOL("persistent", D, persistent, "Persistent", DS_YESNO),
	F_BOOL("autostart", D, autostart, "Autostart", DS_ENABLE),
};
#undef D

#define S	struct xmctl_domain_state
static const struct dr_field domain_state_fields[] = {
	F_STR("domain", S, domain, 1, "Domain"),
	F_STR("state", S, state, 1, "State"),
	F_STR("reason", S, reason, 0, "Reason"),
};
#undef S

/* "event" is the whole name, "domain.shutdown", on the wire. */
#define E	struct xmctl_event
static const struct dr_field event_fields[] = {
	F_STR("event", E, event, 1, "Event"),
	F_STR("domain", E, domain, 1, "Domain"),
	F_ID("id", E, id, "Id"),
	F_STR("uuid", E, uuid, 1, "UUID"),
	F_STR("timestamp", E, timestamp, 1, "Time"),
	F_STR("reason", E, reason, 0, "Reason"),
	F_STR("action", E, action, 0, "Action"),
};
#undef E

/* domain.define's answer: what the definition was stored as. */
#define D	struct xmctl_domain
static const struct dr_field defined_fields[] = {
	F_STR("name", D, name, 1, "Name"),
	F_STR("uuid", D, uuid, 1, "UUID"),
};
#undef D

#define N	struct xmctl_node_info
static const struct dr_field node_info_fields[] = {
	F_STR("hv_version", N, hv_version, 1, "Hypervisor"),
	F_STR("dom0_version", N, dom0_version, 1, "Domain 0"),
	F_UINT("protocol", N, protocol, "Protocol", DS_PLAIN),
	F_UINT("nr_cpus", N, nr_cpus, "CPU(s)", DS_PLAIN),
	F_U64("total_kib", N, total_kib, "Memory size", DS_KIB),
	F_U64("free_kib", N, free_kib, "Free memory", DS_KIB),
	F_UINT("nr_domains", N, nr_domains, "Domains", DS_PLAIN),
	F_STR("node", N, node, 1, "Node"),
};
#undef N

#define P	struct xmctl_ping
static const struct dr_field ping_fields[] = {
	F_UINT("count", P, count, "Echoes", DS_PLAIN),
	F_UINT("size", P, size, "Bytes", DS_PLAIN),
	F_U64("min_ns", P, min_ns, "Min", DS_PLAIN),
	F_U64("avg_ns", P, avg_ns, "Avg", DS_PLAIN),
	F_U64("max_ns", P, max_ns, "Max", DS_PLAIN),
};
#undef P

#define S	struct xmctl_sched
static const struct dr_field sched_fields[] = {
	F_STR("scheduler", S, scheduler, 1, "Scheduler"),
	F_UINT("weight", S, weight, "weight", DS_PLAIN),
	F_UINT("cap", S, cap, "cap", DS_PLAIN),
};
#undef S

/* "cpu" is null for a vCPU that has never run. */
#define V	struct xmctl_vcpu
static const struct dr_field vcpu_fields[] = {
	F_UINT("vcpu", V, vcpu, "VCPU", DS_PLAIN),
	F_ID("cpu", V, cpu, "CPU"),
	F_STR("state", V, state, 1, "State"),
	F_U64("time_ns", V, time_ns, "CPU time", DS_SECONDS),
	F_STR("affinity", V, affinity, 1, "CPU Affinity"),
};
#undef V

#define P	struct xmctl_vcpu_pin
static const struct dr_field vcpu_pin_fields[] = {
	F_UINT("vcpu", P, vcpu, "VCPU", DS_PLAIN),
	F_STR("affinity", P, affinity, 1, "CPU Affinity"),
};
#undef P

#define M	struct xmctl_memory
static const struct dr_field memory_fields[] = {
	F_U64("memory_kib", M, memory_kib, "Max memory", DS_KIB),
	F_U64("current_kib", M, current_kib, "Memory", DS_KIB),
};
#undef M

#define S	struct xmctl_saved
static const struct dr_field saved_fields[] = {
	F_STR("domain", S, domain, 1, "Domain"),
	F_STR("path", S, path, 1, "File"),
	F_U64("pages", S, pages, "Pages", DS_PLAIN),
	F_U64("bytes", S, bytes, "Bytes", DS_PLAIN),
};
#undef S

#define G	struct xmctl_migrated
static const struct dr_field migrated_fields[] = {
	F_STR("domain", G, domain, 1, "Domain"),
	F_STR("uri", G, uri, 1, "Target"),
	F_U64("bytes", G, bytes, "Bytes", DS_PLAIN),
	F_U64("total_ms", G, total_ms, "Total ms", DS_PLAIN),
};
#undef G

#define R	struct xmctl_migration_progress
static const struct dr_field progress_fields[] = {
	F_STR("domain", R, domain, 1, "Domain"),
	F_STR("uri", R, uri, 1, "Target"),
	F_STR("phase", R, phase, 1, "Phase"),
	F_UINT("round", R, round, "Round", DS_PLAIN),
	F_U64("sent", R, sent, "Pages sent", DS_PLAIN),
	F_U64("remaining", R, remaining, "Pages remaining", DS_PLAIN),
	F_U64("dirty", R, dirty, "Pages dirty", DS_PLAIN),
	F_U64("dirty_rate", R, dirty_rate, "Dirty pages/s", DS_PLAIN),
	F_U64("mbps", R, mbps, "MB/s", DS_PLAIN),
	F_U64("bytes", R, bytes, "Bytes", DS_PLAIN),
};
#undef R

const struct dr_record dr_domain = {
	"domain reply", domain_fields, nitems(domain_fields)
};
const struct dr_record dr_domain_state = {
	"domain.state reply", domain_state_fields,
	nitems(domain_state_fields)
};
const struct dr_record dr_event = {
	"event", event_fields, nitems(event_fields)
};
const struct dr_record dr_defined = {
	"domain.define reply", defined_fields, nitems(defined_fields)
};
const struct dr_record dr_node_info = {
	"node.info reply", node_info_fields, nitems(node_info_fields)
};
const struct dr_record dr_ping = {
	"node.ping reply", ping_fields, nitems(ping_fields)
};
const struct dr_record dr_sched = {
	"domain.schedinfo reply", sched_fields, nitems(sched_fields)
};
const struct dr_record dr_vcpu = {
	"domain.vcpuinfo reply", vcpu_fields, nitems(vcpu_fields)
};
const struct dr_record dr_vcpu_pin = {
	"domain.vcpupin reply", vcpu_pin_fields, nitems(vcpu_pin_fields)
};
const struct dr_record dr_memory = {
	"domain.setMaxMemory reply", memory_fields, nitems(memory_fields)
};
const struct dr_record dr_migrated = {
	"domain.migrate reply", migrated_fields, nitems(migrated_fields)
};
const struct dr_record dr_migration_progress = {
	"migration.progress", progress_fields, nitems(progress_fields)
};
const struct dr_record dr_saved = {
	"domain.save reply", saved_fields, nitems(saved_fields)
};

static struct json_object *
write_field(const struct dr_field *f, const void *rec)
{
	const void *p = DR_AT(rec, f);
	int id;

	switch (f->f_type) {
	case DR_STR:
		return json_object_new_string(p);
	case DR_ID:
		memcpy(&id, p, sizeof(id));
		return id >= 0 ? json_object_new_int(id) : NULL;
	case DR_UINT:
		return json_object_new_int64(*(const unsigned int *)p);
	case DR_U64:
		return json_object_new_uint64(*(const uint64_t *)p);
	case DR_BOOL:
		return json_object_new_boolean(*(const int *)p != 0);
	case DR_DOUBLE:
		return json_object_new_double(*(const double *)p);
	}
	return NULL;
}

struct json_object *
dr_write(const struct dr_record *r, const void *rec)
{
	struct json_object *o = json_object_new_object();
	const struct dr_field *f;
	size_t i;

	for (i = 0; i < r->r_nfields; i++) {
		f = &r->r_fields[i];
		if (f->f_type == DR_STR && !f->f_required &&
		    *(const char *)DR_AT(rec, f) == '\0')
			continue;
		json_object_object_add(o, f->f_key, write_field(f, rec));
	}
	return o;
}

static int
fail(const struct dr_record *r, const struct dr_field *f, const char *why,
    char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: field '%s' %s", r->r_what,
	    f->f_key, why);
	return -1;
}

/* v as a whole number from 0 to max; -1 with *why when it is not. */
static int
read_number(struct json_object *v, uint64_t max, uint64_t *n,
    const char **why)
{
	if (!json_object_is_type(v, json_type_int)) {
		*why = "is not an integer";
		return -1;
	}
	if (json_object_get_int64(v) < 0 ||
	    (*n = json_object_get_uint64(v)) > max) {
		*why = "is out of range";
		return -1;
	}
	return 0;
}

static int
read_str(const struct dr_field *f, struct json_object *v, void *p,
    const char **why)
{
	if (!json_object_is_type(v, json_type_string)) {
		*why = "is not a string";
		return -1;
	}
	if ((size_t)json_object_get_string_len(v) >= f->f_size) {
		*why = "is too long";
		return -1;
	}
	memcpy(p, json_object_get_string(v),
	    (size_t)json_object_get_string_len(v) + 1);
	return 0;
}

static int
read_field(const struct dr_field *f, struct json_object *v, void *rec,
    const char **why)
{
	void *p = DR_AT(rec, f);
	uint64_t n;
	int i;

	switch (f->f_type) {
	case DR_STR:
		return read_str(f, v, p, why);
	case DR_ID:
		if (v == NULL)
			n = (uint64_t)-1;
		else if (read_number(v, INT_MAX, &n, why) != 0) {
			if (!json_object_is_type(v, json_type_int))
				*why = "is not an integer or null";
			return -1;
		}
		i = (int)n;
		memcpy(p, &i, sizeof(i));
		return 0;
	case DR_UINT:
		if (read_number(v, UINT_MAX, &n, why) != 0)
			return -1;
		*(unsigned int *)p = (unsigned int)n;
		return 0;
	case DR_U64:
		return read_number(v, UINT64_MAX, (uint64_t *)p, why);
	case DR_BOOL:
		if (!json_object_is_type(v, json_type_boolean)) {
			*why = "is not a boolean";
			return -1;
		}
		*(int *)p = json_object_get_boolean(v) != 0;
		return 0;
	case DR_DOUBLE:
		if (!json_object_is_type(v, json_type_double) &&
		    !json_object_is_type(v, json_type_int)) {
			*why = "is not a number";
			return -1;
		}
		*(double *)p = json_object_get_double(v);
		return 0;
	}
	*why = "has an unknown type";
	return -1;
}

int
dr_read(const struct dr_record *r, struct json_object *o, void *rec,
    char *err, size_t errlen)
{
	const struct dr_field *f;
	struct json_object *v;
	const char *why;
	size_t i;

	if (!json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "%s: not an object", r->r_what);
		return -1;
	}
	for (i = 0; i < r->r_nfields; i++) {
		f = &r->r_fields[i];
		memset(DR_AT(rec, f), 0, f->f_size);
		if (!json_object_object_get_ex(o, f->f_key, &v)) {
			if (f->f_required)
				return fail(r, f, "missing", err, errlen);
			continue;
		}
		if (read_field(f, v, rec, &why) != 0)
			return fail(r, f, why, err, errlen);
	}
	return 0;
}

/* key = prefix + f->f_key, or -1 when it does not fit. */
static int
prefixed(char *key, size_t len, const char *prefix, const struct dr_field *f)
{
	int n = snprintf(key, len, "%s%s", prefix, f->f_key);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

void
dr_write_prefixed(const struct dr_record *r, const void *rec,
    const char *prefix, struct json_object *o)
{
	char key[128];
	size_t i;

	for (i = 0; i < r->r_nfields; i++)
		if (prefixed(key, sizeof(key), prefix, &r->r_fields[i]) == 0)
			json_object_object_add(o, key,
			    write_field(&r->r_fields[i], rec));
}

int
dr_read_prefixed(const struct dr_record *r, struct json_object *o,
    const char *prefix, void *rec, char *err, size_t errlen)
{
	const struct dr_field *f;
	struct json_object *v;
	const char *why;
	char key[128];
	size_t i;

	for (i = 0; i < r->r_nfields; i++) {
		f = &r->r_fields[i];
		memset(DR_AT(rec, f), 0, f->f_size);
		if (prefixed(key, sizeof(key), prefix, f) != 0 ||
		    !json_object_object_get_ex(o, key, &v))
			continue;
		if (read_field(f, v, rec, &why) != 0) {
			snprintf(err, errlen, "%s: field '%s' %s", r->r_what,
			    key, why);
			return -1;
		}
	}
	return 0;
}

void
dr_format(const struct dr_field *f, const void *rec, char *buf, size_t len)
{
	const void *p = DR_AT(rec, f);

	switch (f->f_type) {
	case DR_STR:
		snprintf(buf, len, "%s", (const char *)p);
		return;
	case DR_ID:
		snprintf(buf, len, "%d", *(const int *)p);
		return;
	case DR_UINT:
		snprintf(buf, len, "%u", *(const unsigned int *)p);
		return;
	case DR_U64:
		snprintf(buf, len, "%" PRIu64, *(const uint64_t *)p);
		return;
	case DR_BOOL:
		snprintf(buf, len, "%d", *(const int *)p != 0);
		return;
	case DR_DOUBLE:
		snprintf(buf, len, "%.2f", *(const double *)p);
		return;
	}
	buf[0] = '\0';
}
