/*
 * The domain record on the wire: the JSON objects that describe a
 * domain (domain.list, domain.info, domain.create ...), its state
 * (domain.state) and what happened to it (the lifecycle events'
 * parameters), as xm-jsonrpc(7) documents them.  Each record is one
 * field table (dom_record.c): the key, its JSON type, the member of
 * libxmctl's struct (xmctl.h) that holds it, whether a reply must have
 * it, and how xmctl shows it to people.  xmd writes with the table,
 * libxmctl reads with it, xmctl prints from it; a new key is a new row.
 */
#ifndef XM_COMMON_DOM_RECORD_H
#define XM_COMMON_DOM_RECORD_H

#include <stddef.h>

#include <json-c/json.h>

#include "xmctl.h"

enum dr_type {
	DR_STR,		/* char[f_size]; optional: left out when "" */
	DR_ID,		/* int: an integer, or null for -1 */
	DR_UINT,	/* unsigned int */
	DR_U64,		/* uint64_t */
	DR_BOOL,	/* int, 0 or 1 */
	DR_DOUBLE,	/* double, finite (a rate, a percentage) */
};

/* How xmctl shows a field to people, after its label. */
enum dr_show {
	DS_PLAIN,	/* the value; an id of -1 as "-" */
	DS_KIB,		/* "N KiB" */
	DS_SECONDS,	/* nanoseconds as "1.5s" */
	DS_ONLINE,	/* " (N online)", on the line before */
	DS_YESNO,	/* "yes" or "no" */
	DS_ENABLE,	/* "enable" or "disable" */
	DS_FIXED,	/* a double with two decimals */
};

struct dr_field {
	const char	*f_key;
	enum dr_type	 f_type;
	size_t		 f_off;
	size_t		 f_size;	/* of the member */
	int		 f_required;	/* in every reply */
	const char	*f_label;	/* for people; NULL: not shown */
	enum dr_show	 f_show;
};

struct dr_record {
	const char		*r_what;	/* "domain reply": messages */
	const struct dr_field	*r_fields;
	size_t			 r_nfields;
};

/* struct xmctl_domain, xmctl_domain_state and xmctl_event. */
extern const struct dr_record dr_domain;
extern const struct dr_record dr_domain_state;
extern const struct dr_record dr_event;
/* The other answers libxmctl reads: domain.define's (name and uuid of
 * a struct xmctl_domain), node.info's and node.ping's. */
extern const struct dr_record dr_defined;
extern const struct dr_record dr_node_info;
extern const struct dr_record dr_ping;
/* The scheduler's: domain.schedinfo's (and setSchedParams'), an item of
 * domain.vcpuinfo's array, an item of domain.vcpupin's. */
extern const struct dr_record dr_sched;
extern const struct dr_record dr_vcpu;
extern const struct dr_record dr_vcpu_pin;
/* domain.setMaxMemory's and domain.setMemory's. */
extern const struct dr_record dr_memory;
/* domain.save's. */
extern const struct dr_record dr_saved;
/* domain.migrate's, and the migration.progress notification's. */
extern const struct dr_record dr_migrated;
extern const struct dr_record dr_migration_progress;

#define DR_AT(rec, f)	((void *)((char *)(rec) + (f)->f_off))

/* The field tables of domain.stats and node.stats: stats_record.c. */
extern const struct dr_record dr_domain_stats;
extern const struct dr_record dr_vcpu_stats;	/* keys after "vcpu.N." */
extern const struct dr_record dr_node_stats;
extern const struct dr_record dr_cpu_stats;	/* keys after "cpu.N." */

/* The JSON object of rec (a new reference). */
struct json_object *dr_write(const struct dr_record *, const void *rec);
/*
 * Fill rec from o: 0, or -1 with the reason in err ("domain reply:
 * field 'memory_kib' missing").  Keys not in the table are ignored:
 * a newer xmd may send more.
 */
int	dr_read(const struct dr_record *, struct json_object *o, void *rec,
	    char *err, size_t errlen);
/*
 * The same with each key after prefix ("vcpu.0."), into (from) an
 * object that holds other keys too: flat, as libvirt's domstats.
 */
void	dr_write_prefixed(const struct dr_record *, const void *rec,
	    const char *prefix, struct json_object *o);
int	dr_read_prefixed(const struct dr_record *, struct json_object *o,
	    const char *prefix, void *rec, char *err, size_t errlen);
/*
 * domain.stats' hypercalls by number: "xm.hypercalls.NAME" (Xen's name
 * of the hypercall, lower case) for each count that is not 0.
 */
void	dr_write_hypercalls(const uint64_t *ops, struct json_object *o);
void	dr_read_hypercalls(struct json_object *o, uint64_t *ops);
/* One field's value as text for people (its f_show), into buf. */
void	dr_format(const struct dr_field *, const void *rec, char *buf,
	    size_t len);

#endif
