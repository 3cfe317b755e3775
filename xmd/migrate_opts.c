/*
 * domain.migrate's options (migrate_opts.h).  The dispatcher has
 * checked their types (methods.c's p_migrate); the ranges and what
 * needs what are checked here, and again for a caller that did not go
 * through it.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "migrate_opts.h"

/* An integer param key from lo to hi into *n: 1, 0 (absent), -1 (err). */
static int
read_int(struct json_object *params, const char *key, int64_t lo,
    int64_t hi, const char *what, int64_t *n, char *err, size_t errlen)
{
	struct json_object *v;

	if (!json_object_object_get_ex(params, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_int)) {
		snprintf(err, errlen, "%s: %s, not %s", key, what,
		    json_object_to_json_string(v));
		return -1;
	}
	*n = json_object_get_int64(v);
	if (*n < lo || *n > hi) {
		snprintf(err, errlen, "%s %lld: %s", key, (long long)*n,
		    what);
		return -1;
	}
	return 1;
}

/* A boolean param key into *b: 0, or -1 (err). */
static int
read_bool(struct json_object *params, const char *key, int *b, char *err,
    size_t errlen)
{
	struct json_object *v;

	if (!json_object_object_get_ex(params, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_boolean)) {
		snprintf(err, errlen, "%s: true or false, not %s", key,
		    json_object_to_json_string(v));
		return -1;
	}
	*b = json_object_get_boolean(v);
	return 0;
}

int
migrate_opts_read(struct json_object *params, struct migrate_opts *o,
    char *err, size_t errlen)
{
	int64_t r = 0, d = 0, bw = 0;

	memset(o, 0, sizeof(*o));
	if (read_bool(params, "live", &o->mop_live, err, errlen) != 0 ||
	    read_bool(params, "persistent", &o->mop_persistent, err,
	    errlen) != 0 ||
	    read_bool(params, "undefine_source", &o->mop_undefine_source,
	    err, errlen) != 0 ||
	    read_int(params, "max_rounds", 1, 1000, "from 1 to 1000", &r,
	    err, errlen) < 0 ||
	    read_int(params, "max_downtime_ms", 1, 600000, "from 1 to "
	    "600000", &d, err, errlen) < 0 ||
	    read_int(params, "bandwidth", 0, (int64_t)MIGRATE_BANDWIDTH_MAX,
	    "MiB/s from 0 (no limit) to 1048576", &bw, err, errlen) < 0)
		return -1;
	/* Without rounds there is nothing to bound; a bandwidth bounds
	 * the stop-and-copy stream just the same. */
	if (!o->mop_live && (r != 0 || d != 0)) {
		snprintf(err, errlen, "max_rounds and max_downtime_ms are for "
		    "a live migration (live: true)");
		return -1;
	}
	o->mop_max_rounds = (unsigned int)r;
	o->mop_max_downtime_ms = (unsigned int)d;
	o->mop_bandwidth = (uint64_t)bw;
	return 0;
}
