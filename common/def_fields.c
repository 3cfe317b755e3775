/*
 * The field table of a domain definition (def_table.h explains it) and
 * the value rules every form shares: setting a field from text, whether
 * it is set, disposing of it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpulist.h"
#include "def_table.h"
#include "parse_num.h"

#define DD	struct xm_domain_def
#define F_STR(n, w, s, m, req)	{ n, DK_STR, w, offsetof(s, m), req, \
	NULL, NULL, 0, XM_DEF_STR_MAX, 0, NULL, 0, 0, 0, NULL }
#define F_ENUM(n, w, s, m, req, e) { n, DK_STR, w, offsetof(s, m), req, \
	NULL, e, 0, XM_DEF_STR_MAX, 0, NULL, 0, 0, 0, NULL }
#define F_NUM(n, k, w, s, m, req, lo, hi) { n, k, w, offsetof(s, m), req, \
	NULL, NULL, lo, hi, 0, NULL, 0, 0, 0, NULL }
#define F_SIZE(n, m, req)	{ n, DK_SIZE, DW_ELEM, offsetof(DD, m), req, \
	NULL, NULL, 0, 0, 0, NULL, 0, 0, 0, NULL }
#define F_OBJ(n, t, req)	{ n, DK_OBJ, DW_ELEM, 0, req, &t, NULL, 0, 0, \
	0, NULL, 0, 0, 0, NULL }
#define F_LIST(n, s, m, t)	{ n, DK_LIST, DW_ELEM, offsetof(s, m), 0, \
	&t, NULL, 0, XM_DEF_LIST_MAX, 0, NULL, 0, 0, 0, NULL }
#define TYPE(n, f, s)		{ n, f, nitems(f), s }
/* Kept and written back, with a warning that xm makes no use of it. */
#define F_KEEP(n, w, s, m)	{ n, DK_STR, w, offsetof(s, m), 0, NULL, \
	NULL, 0, XM_DEF_STR_MAX, 0, NULL, 1, 0, 0, NULL }
#define F_KEEP_ENUM(n, w, s, m, req, e) { n, DK_STR, w, offsetof(s, m), \
	req, NULL, e, 0, XM_DEF_STR_MAX, 0, NULL, 1, 0, 0, NULL }
#define F_KEEP_OBJ(n, t)	{ n, DK_OBJ, DW_ELEM, 0, 0, &t, NULL, 0, 0, \
	0, NULL, 1, 0, 0, NULL }
#define F_KEEP_LIST(n, s, m, t)	{ n, DK_LIST, DW_ELEM, offsetof(s, m), 0, \
	&t, NULL, 0, XM_DEF_LIST_MAX, 0, NULL, 1, 0, 0, NULL }

static int check_name(const char *, const char **);
static int check_os_type(const char *, const char **);
static int check_cpuset(const char *, const char **);
static int check_mac(const char *, const char **);
static int check_port(const char *, const char **);

/* A CPU number below 64 (cpulist.h), leading zeros allowed. */
#define CPU	"0*([0-9]|[1-5][0-9]|6[0-3])"
#define CPUS	"\\^?" CPU "(-" CPU ")?"

/*
 * Each C rule with its pattern (def_table.h).  The cpuset pattern cannot
 * say that a range must not run backwards (3-1) nor that the set must
 * not end up empty (0,^0): only the C rule does.
 */
static const struct dd_check name_check = { check_name,
    "(?![0-9]+" DD_BLANKS "$)(?!" XM_UUID_PATTERN DD_BLANKS "$)"
    "[A-Za-z0-9_+][A-Za-z0-9_.+-]*" };
static const struct dd_check os_type_check = { check_os_type, "linux|xen" };
static const struct dd_check cpuset_check = { check_cpuset,
    CPUS "(," CPUS ")*" };
static const struct dd_check mac_check = { check_mac,
    "[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}" };

static const char *const domain_types[] = { "xen", "xm", NULL };
static const char *const actions[] = { "destroy", "restart", "preserve",
    NULL };
static const char *const placements[] = { "static", "auto", NULL };
static const char *const arches[] = { "x86_64", NULL };
static const char *const machines[] = { "xenpv", NULL };
static const char *const pty[] = { "pty", NULL };
static const char *const xen[] = { "xen", NULL };
static const char *const disk_types[] = { "file", "block", NULL };
static const char *const disk_devices[] = { "disk", "cdrom", NULL };
static const char *const if_types[] = { "bridge", "network", NULL };
static const char *const clock_offsets[] = { "utc", "localtime",
    "timezone", "variable", NULL };
static const char *const clock_bases[] = { "utc", "localtime", NULL };
static const char *const input_types[] = { "mouse", "tablet", "keyboard",
    NULL };
static const char *const graphics_types[] = { "vnc", "spice", "sdl", NULL };
static const char *const yes_no[] = { "yes", "no", NULL };

static const struct dd_field vcpu_fields[] = {
	F_NUM("value", DK_U32, DW_TEXT, DD, dd_vcpus, 1, 1, XM_DEF_VCPUS_MAX),
	F_ENUM("placement", DW_ATTR, DD, dd_vcpu_placement, 0, placements),
	{ "cpuset", DK_STR, DW_ATTR, offsetof(DD, dd_vcpu_cpuset), 0, NULL,
	    NULL, 0, XM_DEF_STR_MAX, 0, &cpuset_check, 0, 0, 0, NULL },
	F_NUM("current", DK_U32, DW_ATTR, DD, dd_vcpu_current, 0, 1,
	    XM_DEF_VCPUS_MAX),
};
static const struct dd_type vcpu_type = TYPE("vcpu", vcpu_fields, 0);

static const struct dd_field os_type_fields[] = {
	F_ENUM("arch", DW_ATTR, DD, dd_os_arch, 0, arches),
	F_ENUM("machine", DW_ATTR, DD, dd_os_machine, 0, machines),
	{ "value", DK_STR, DW_TEXT, offsetof(DD, dd_os_type), 1, NULL, NULL,
	    0, XM_DEF_STR_MAX, 0, &os_type_check, 0, 0, 0, NULL },
};
static const struct dd_type os_type_type = TYPE("type", os_type_fields, 0);

static const struct dd_field os_fields[] = {
	F_OBJ("type", os_type_type, 0),
	F_STR("kernel", DW_ELEM, DD, dd_kernel, 1),
	F_STR("initrd", DW_ELEM, DD, dd_initrd, 0),
	{ "cmdline", DK_STR, DW_ELEM, offsetof(DD, dd_cmdline), 0, NULL,
	    NULL, 0, XM_DEF_CMDLINE_MAX, 1, NULL, 0, 0, 0, NULL },
};
static const struct dd_type os_type = TYPE("os", os_fields, 0);

static const struct dd_field vcpupin_fields[] = {
	F_NUM("vcpu", DK_U32, DW_ATTR, struct xm_def_vcpupin, vp_vcpu, 1, 0,
	    XM_DEF_VCPUS_MAX - 1),
	{ "cpuset", DK_STR, DW_ATTR, offsetof(struct xm_def_vcpupin,
	    vp_cpuset), 1, NULL, NULL, 0, XM_DEF_STR_MAX, 0, &cpuset_check, 0,
	    0, 0, NULL },
};
static const struct dd_type vcpupin_type = TYPE("vcpupin", vcpupin_fields,
    sizeof(struct xm_def_vcpupin));

static const struct dd_field cputune_fields[] = {
	F_NUM("shares", DK_U32, DW_ELEM, DD, dd_shares, 0, XM_DEF_WEIGHT_MIN,
	    XM_DEF_WEIGHT_MAX),
	F_NUM("cap", DK_U32, DW_ELEM, DD, dd_cap, 0, 0,
	    100 * XM_DEF_VCPUS_MAX),
	F_NUM("period", DK_U64, DW_ELEM, DD, dd_period, 0, 1000, 1000000),
	F_NUM("quota", DK_U64, DW_ELEM, DD, dd_quota, 0, 1000,
	    UINT64_C(18446744073709551)),
	F_LIST("vcpupin", DD, dd_vcpupin, vcpupin_type),
};
static const struct dd_type cputune_type = TYPE("cputune", cputune_fields,
    0);

static const struct dd_field memtune_fields[] = {
	F_SIZE("hard_limit", dd_hard_limit, 0),
	F_SIZE("soft_limit", dd_soft_limit, 0),
};
static const struct dd_type memtune_type = TYPE("memtune", memtune_fields,
    0);

#define CO	struct xm_def_console
static const struct dd_field console_target_fields[] = {
	F_ENUM("type", DW_ATTR, CO, co_target_type, 0, xen),
	{ "port", DK_U32, DW_ATTR, offsetof(CO, co_target_port), 0, NULL,
	    NULL, 0, 0, 0, NULL, 0, 0, offsetof(CO, co_target_port_given), NULL },
};
static const struct dd_type console_target_type = TYPE("target",
    console_target_fields, 0);
/* virsh's: the pty a running console is on; xmctl console finds it. */
static const struct dd_field console_source_fields[] = {
	F_KEEP("path", DW_ATTR, CO, co_source_path),
};
static const struct dd_type console_source_type = TYPE("source",
    console_source_fields, 0);
static const struct dd_field console_fields[] = {
	F_ENUM("type", DW_ATTR, CO, co_type, 1, pty),
	F_KEEP("tty", DW_ATTR, CO, co_tty),
	F_KEEP_OBJ("source", console_source_type),
	F_OBJ("target", console_target_type, 0),
};
static const struct dd_type console_type = TYPE("console", console_fields,
    sizeof(CO));

#define DK	struct xm_def_disk
static const struct dd_field driver_fields[] = {
	F_STR("name", DW_ATTR, DK, dk_driver_name, 0),
	F_STR("type", DW_ATTR, DK, dk_driver_type, 0),
};
static const struct dd_type driver_type = TYPE("driver", driver_fields, 0);
static const struct dd_field disk_source_fields[] = {
	F_STR("file", DW_ATTR, DK, dk_source_file, 0),
	F_STR("dev", DW_ATTR, DK, dk_source_dev, 0),
};
static const struct dd_type disk_source_type = TYPE("source",
    disk_source_fields, 0);
static const struct dd_field disk_target_fields[] = {
	F_STR("dev", DW_ATTR, DK, dk_target_dev, 1),
	F_ENUM("bus", DW_ATTR, DK, dk_target_bus, 0, xen),
};
static const struct dd_type disk_target_type = TYPE("target",
    disk_target_fields, 0);
static const struct dd_field disk_fields[] = {
	F_ENUM("type", DW_ATTR, DK, dk_type, 1, disk_types),
	F_ENUM("device", DW_ATTR, DK, dk_device, 0, disk_devices),
	F_OBJ("driver", driver_type, 0),
	F_OBJ("source", disk_source_type, 0),
	F_OBJ("target", disk_target_type, 1),
	{ "readonly", DK_FLAG, DW_ELEM, offsetof(DK, dk_readonly), 0, NULL,
	    NULL, 0, 0, 0, NULL, 0, 0, 0, NULL },
};
static const struct dd_type disk_type = TYPE("disk", disk_fields,
    sizeof(DK));

#define IF	struct xm_def_interface
static const struct dd_field mac_fields[] = {
	{ "address", DK_STR, DW_ATTR, offsetof(IF, if_mac), 1, NULL, NULL, 0,
	    17, 0, &mac_check, 0, 0, 0, NULL },
};
static const struct dd_type mac_type = TYPE("mac", mac_fields, 0);
static const struct dd_field if_source_fields[] = {
	F_STR("bridge", DW_ATTR, IF, if_source_bridge, 0),
	F_STR("network", DW_ATTR, IF, if_source_network, 0),
};
static const struct dd_type if_source_type = TYPE("source",
    if_source_fields, 0);
static const struct dd_field model_fields[] = {
	F_STR("type", DW_ATTR, IF, if_model, 1),
};
static const struct dd_type model_type = TYPE("model", model_fields, 0);
static const struct dd_field script_fields[] = {
	F_STR("path", DW_ATTR, IF, if_script, 1),
};
static const struct dd_type script_type = TYPE("script", script_fields, 0);
static const struct dd_field interface_fields[] = {
	F_ENUM("type", DW_ATTR, IF, if_type, 1, if_types),
	F_OBJ("mac", mac_type, 0),
	F_OBJ("source", if_source_type, 0),
	F_OBJ("model", model_type, 0),
	F_OBJ("script", script_type, 0),
};
static const struct dd_type interface_type = TYPE("interface",
    interface_fields, sizeof(IF));

#define IN	struct xm_def_input
static const struct dd_field input_fields[] = {
	F_KEEP_ENUM("type", DW_ATTR, IN, in_type, 1, input_types),
	F_KEEP("bus", DW_ATTR, IN, in_bus),
};
static const struct dd_type input_type = TYPE("input", input_fields,
    sizeof(IN));

#define GR	struct xm_def_graphics
static const struct dd_check port_check = { check_port,
    "-1|0*([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}"
    "|655[0-2][0-9]|6553[0-5])" };
static const struct dd_field listen_fields[] = {
	F_KEEP("type", DW_ATTR, GR, gr_listen_type),
	F_KEEP("address", DW_ATTR, GR, gr_listen_address),
};
static const struct dd_type listen_type = TYPE("listen", listen_fields, 0);
static const struct dd_field graphics_fields[] = {
	F_KEEP_ENUM("type", DW_ATTR, GR, gr_type, 1, graphics_types),
	{ "port", DK_STR, DW_ATTR, offsetof(GR, gr_port), 0, NULL, NULL, 0,
	    6, 0, &port_check, 1, 0, 0, NULL },
	F_KEEP_ENUM("autoport", DW_ATTR, GR, gr_autoport, 0, yes_no),
	F_KEEP("listen", DW_ATTR, GR, gr_listen),
	F_KEEP("keymap", DW_ATTR, GR, gr_keymap),
	/* Its JSON key differs from the listen attribute's. */
	{ "listen", DK_OBJ, DW_ELEM, 0, 0, &listen_type, NULL, 0, 0, 0, NULL,
	    1, 0, 0, "listen_elem" },
};
static const struct dd_type graphics_type = TYPE("graphics",
    graphics_fields, sizeof(GR));

static const struct dd_field memballoon_fields[] = {
	F_KEEP("model", DW_ATTR, DD, dd_memballoon_model),
};
static const struct dd_type memballoon_type = TYPE("memballoon",
    memballoon_fields, 0);

static const struct dd_field devices_fields[] = {
	F_LIST("console", DD, dd_consoles, console_type),
	F_LIST("disk", DD, dd_disks, disk_type),
	F_LIST("interface", DD, dd_interfaces, interface_type),
	F_KEEP_LIST("input", DD, dd_inputs, input_type),
	F_KEEP_LIST("graphics", DD, dd_graphics, graphics_type),
	F_KEEP_OBJ("memballoon", memballoon_type),
};
static const struct dd_type devices_type = TYPE("devices", devices_fields,
    0);

static const struct dd_field clock_fields[] = {
	F_KEEP_ENUM("offset", DW_ATTR, DD, dd_clock_offset, 0, clock_offsets),
	F_KEEP("adjustment", DW_ATTR, DD, dd_clock_adjustment),
	F_KEEP_ENUM("basis", DW_ATTR, DD, dd_clock_basis, 0, clock_bases),
	F_KEEP("timezone", DW_ATTR, DD, dd_clock_timezone),
};
static const struct dd_type clock_type = TYPE("clock", clock_fields, 0);

static const struct dd_field domain_fields[] = {
	F_ENUM("type", DW_ATTR, DD, dd_type, 1, domain_types),
	/* The running domain's id: runtime state, never taken from input. */
	{ "id", DK_U32, DW_ATTR, offsetof(DD, dd_id), 0, NULL, NULL, 0,
	    UINT32_MAX, 0, NULL, 0, 1, 0, NULL },
	{ "name", DK_STR, DW_ELEM, offsetof(DD, dd_name), 1, NULL, NULL, 0,
	    XM_DEF_NAME_MAX, 0, &name_check, 0, 0, 0, NULL },
	{ "uuid", DK_UUID, DW_ELEM, offsetof(DD, dd_uuid), 0, NULL, NULL, 0,
	    0, 0, NULL, 0, 0, 0, NULL },
	F_STR("title", DW_ELEM, DD, dd_title, 0),
	{ "description", DK_STR, DW_ELEM, offsetof(DD, dd_description), 0,
	    NULL, NULL, 0, XM_DEF_STR_MAX, 1, NULL, 0, 0, 0, NULL },
	/* Other tools' elements, kept as they are (def_opaque.c). */
	{ "metadata", DK_XML, DW_ELEM, offsetof(DD, dd_metadata), 0, NULL,
	    NULL, 0, XM_DEF_TEXT_MAX, 1, NULL, 0, 0, 0, NULL },
	F_SIZE("memory", dd_memory, 1),
	F_SIZE("currentMemory", dd_current_memory, 0),
	F_OBJ("vcpu", vcpu_type, 0),
	F_KEEP("bootloader", DW_ELEM, DD, dd_bootloader),
	{ "bootloader_args", DK_STR, DW_ELEM, offsetof(DD,
	    dd_bootloader_args), 0, NULL, NULL, 0, XM_DEF_STR_MAX, 1, NULL,
	    1, 0, 0, NULL },
	F_OBJ("os", os_type, 1),
	F_OBJ("cputune", cputune_type, 0),
	F_OBJ("memtune", memtune_type, 0),
	F_ENUM("on_poweroff", DW_ELEM, DD, dd_on_poweroff, 0, actions),
	F_ENUM("on_reboot", DW_ELEM, DD, dd_on_reboot, 0, actions),
	F_ENUM("on_crash", DW_ELEM, DD, dd_on_crash, 0, actions),
	F_KEEP_OBJ("clock", clock_type),
	F_OBJ("devices", devices_type, 0),
};
const struct dd_type dd_domain_type = TYPE("domain", domain_fields, 0);

static int
check_name(const char *s, const char **why)
{
	return xm_domain_name_valid(s, why) ? 0 : -1;
}

static int
check_os_type(const char *s, const char **why)
{
	*why = "only 'linux' (a PV kernel) is supported";
	return strcmp(s, "linux") == 0 || strcmp(s, "xen") == 0 ? 0 : -1;
}

/* libvirt's cpuset: "0-3,^2,8", as every CPU list (cpulist.h). */
static int
check_cpuset(const char *s, const char **why)
{
	uint64_t map;

	return xm_cpulist_parse(s, &map, why);
}

/* 00:16:3e:1a:b3:4c */
static int
check_mac(const char *s, const char **why)
{
	size_t i;

	*why = "is not a MAC address (like 00:16:3e:1a:b3:4c)";
	if (strlen(s) != 17)
		return -1;
	for (i = 0; i < 17; i++)
		if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char)s[i]))
			return -1;
	return 0;
}

/* A graphics port: -1 (virsh's "not yet chosen") or 0 to 65535. */
static int
check_port(const char *s, const char **why)
{
	uint64_t v;

	*why = "is not a port (-1, or 0 to 65535)";
	if (strcmp(s, "-1") == 0)
		return 0;
	return xm_num_parse(s, 0, 65535, &v) == XM_NUM_OK ? 0 : -1;
}

/* s without the blanks around it, in a new string; NULL: no memory. */
static char *
trimmed(const char *s)
{
	const char *e;
	char *t;

	while (isspace((unsigned char)*s))
		s++;
	for (e = s + strlen(s); e > s && isspace((unsigned char)e[-1]); e--)
		;
	if ((t = malloc((size_t)(e - s) + 1)) != NULL) {
		memcpy(t, s, (size_t)(e - s));
		t[e - s] = '\0';
	}
	return t;
}

static int
in_enum(const char *const *e, const char *s)
{
	for (; *e != NULL; e++)
		if (strcmp(*e, s) == 0)
			return 1;
	return 0;
}

static void
enum_why(const char *const *e, char *why, size_t len)
{
	size_t n;

	if (e[1] == NULL) {
		snprintf(why, len, "is not supported (only '%s')", e[0]);
		return;
	}
	snprintf(why, len, "is not one of");
	for (; *e != NULL; e++) {
		n = strlen(why);
		snprintf(why + n, len - n, "%s '%s'", n > 13 ? "," : "", *e);
	}
}

/*
 * The length of the UTF-8 sequence at s that is a character XML 1.0
 * may carry (tab, newline, return, U+0020 on, not a surrogate, U+FFFE
 * or U+FFFF), or 0.
 */
static size_t
xml_char_len(const unsigned char *s)
{
	uint32_t c;
	size_t n, i;

	if (s[0] < 0x80)
		return s[0] >= 0x20 || s[0] == '\t' || s[0] == '\n' ||
		    s[0] == '\r' ? 1 : 0;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;	/* also the NUL at the end */
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ||
	    c == 0xfffe || c == 0xffff)
		return 0;
	return n;
}

/*
 * Whether s is text that both forms can carry: JSON strings may hold
 * any bytes (json-c takes them as they come) and "\u0001", which the
 * XML form cannot write, so a definition read from JSON would be one
 * that no longer reads back once written as XML.
 */
static const char *
text_why(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	for (; *p != '\0'; p += n)
		if ((n = xml_char_len(p)) == 0)
			return *p < 0x20 ? "has a control character" :
			    "is not valid UTF-8";
	return NULL;
}

static int
set_str(const struct dd_field *f, void *base, const char *s, char *why,
    size_t len)
{
	char **dst = DD_AT(base, f);
	const char *w;
	char *t;

	if ((t = f->f_raw ? strdup(s) : trimmed(s)) == NULL)
		return snprintf(why, len, "out of memory"), -1;
	free(*dst);
	*dst = t;
	if ((w = text_why(t)) != NULL)
		snprintf(why, len, "%s", w);
	else if (!f->f_raw && *t == '\0')
		snprintf(why, len, "is empty");
	else if (strlen(t) > f->f_max)
		snprintf(why, len, "is longer than %llu bytes",
		    (unsigned long long)f->f_max);
	else if (f->f_enum != NULL && !in_enum(f->f_enum, t))
		enum_why(f->f_enum, why, len);
	else if (f->f_check != NULL && f->f_check->c_fn(t, &w) != 0)
		snprintf(why, len, "%s", w);
	else
		return 0;
	return -1;
}

static int
set_num(const struct dd_field *f, void *base, const char *s, char *why,
    size_t len)
{
	uint64_t v = 0;
	char *t = trimmed(s);
	enum xm_num_err e;
	int rc = -1;

	if (t == NULL)
		return snprintf(why, len, "out of memory"), -1;
	e = xm_num_parse(t, f->f_min, f->f_max, &v);
	if (e == XM_NUM_EMPTY || e == XM_NUM_INVALID)
		snprintf(why, len, "is not a whole number");
	else if (e != XM_NUM_OK)
		snprintf(why, len, "is out of range (%llu to %llu)",
		    (unsigned long long)f->f_min, (unsigned long long)f->f_max);
	else if (f->f_kind == DK_U32) {
		rc = 0, *(unsigned int *)DD_AT(base, f) = (unsigned int)v;
		if (f->f_given != 0)
			*(int *)((char *)base + f->f_given) = 1;
	}
	else
		rc = 0, *(uint64_t *)DD_AT(base, f) = v;
	free(t);
	return rc;
}

static int
set_size(const struct dd_field *f, void *base, const char *s,
    const char *unit, char *why, size_t len)
{
	struct xm_def_size *sz = DD_AT(base, f);
	char *t = trimmed(s);
	const char *w;
	int rc = -1;

	if (t == NULL)
		return snprintf(why, len, "out of memory"), -1;
	if (xm_memory_parse(t, unit, &sz->sz_kib, &w) != 0)
		snprintf(why, len, "%s", w);
	else if (unit != NULL && strlen(unit) >= sizeof(sz->sz_unit))
		snprintf(why, len, "has an unknown unit");
	else {
		xm_num_parse(t, 0, UINT64_MAX, &sz->sz_value);
		snprintf(sz->sz_unit, sizeof(sz->sz_unit), "%s",
		    unit != NULL ? unit : "KiB");
		rc = 0;
	}
	free(t);
	return rc;
}

int
dd_field_set(const struct dd_field *f, void *base, const char *s,
    const char *unit, char *why, size_t len)
{
	char *t;
	int rc;

	switch (f->f_kind) {
	case DK_STR:
		return set_str(f, base, s, why, len);
	case DK_U32:
	case DK_U64:
		return set_num(f, base, s, why, len);
	case DK_SIZE:
		return set_size(f, base, s, unit, why, len);
	case DK_XML:
		if (dd_xml_canon(s, &t, why, len) != 0)
			return -1;
		free(*(char **)DD_AT(base, f));
		*(char **)DD_AT(base, f) = t;
		return 0;
	case DK_UUID:
		if ((t = trimmed(s)) == NULL)
			return snprintf(why, len, "out of memory"), -1;
		rc = xm_uuid_parse(t, DD_AT(base, f));
		free(t);
		if (rc != 0)
			snprintf(why, len, "is not a UUID");
		else
			((struct xm_domain_def *)base)->dd_uuid_given = 1;
		return rc;
	default:
		snprintf(why, len, "cannot be set from text");
		return -1;
	}
}

const char *
dd_why_sep(const char *why)
{
	return strncmp(why, "is ", 3) == 0 || strncmp(why, "has ", 4) == 0 ?
	    " " : ": ";
}

int
dd_why_alone(const char *why)
{
	/* Not the value: it may not be printable. */
	return strcmp(why, "is empty") == 0 ||
	    strncmp(why, "is longer than", 14) == 0 ||
	    strcmp(why, "has a control character") == 0 ||
	    strcmp(why, "is not valid UTF-8") == 0;
}

int
dd_field_isset(const struct dd_field *f, const void *base)
{
	const void *p = (const char *)base + f->f_off;

	switch (f->f_kind) {
	case DK_STR:
	case DK_XML:
		return *(char *const *)p != NULL && **(char *const *)p != '\0';
	case DK_U32:
		if (f->f_given != 0)
			return *(const int *)((const char *)base + f->f_given);
		return *(const unsigned int *)p != 0;
	case DK_U64:
		return *(const uint64_t *)p != 0;
	case DK_SIZE:
		return ((const struct xm_def_size *)p)->sz_kib != 0;
	case DK_UUID:
		return 1;
	case DK_FLAG:
		return *(const int *)p != 0;
	case DK_OBJ:
		return dd_type_isset(f->f_type, p);
	case DK_LIST:
		return ((const struct dd_anylist *)p)->n != 0;
	}
	return 0;
}

int
dd_type_isset(const struct dd_type *t, const void *base)
{
	size_t i;

	for (i = 0; i < t->t_nfields; i++)
		if (dd_field_isset(&t->t_fields[i], base))
			return 1;
	return 0;
}

const struct dd_field *
dd_text_field(const struct dd_type *t)
{
	size_t i;

	for (i = 0; i < t->t_nfields; i++)
		if (t->t_fields[i].f_where == DW_TEXT)
			return &t->t_fields[i];
	return NULL;
}

void *
dd_list_add(const struct dd_field *f, void *base, const char **why)
{
	struct dd_anylist *l = DD_AT(base, f);
	size_t sz = f->f_type->t_size;
	void *items;

	*why = NULL;
	if (l->n >= f->f_max) {
		*why = "too many";
		return NULL;
	}
	if ((items = realloc(l->items, (l->n + 1) * sz)) == NULL) {
		*why = "out of memory";
		return NULL;
	}
	l->items = items;
	memset((char *)items + l->n * sz, 0, sz);
	return (char *)items + l->n++ * sz;
}

void
dd_type_dispose(const struct dd_type *t, void *base)
{
	const struct dd_field *f;
	struct dd_anylist *l;
	size_t i, j;

	for (i = 0; i < t->t_nfields; i++) {
		f = &t->t_fields[i];
		if (f->f_kind == DK_STR || f->f_kind == DK_XML)
			free(*(char **)DD_AT(base, f));
		else if (f->f_kind == DK_OBJ)
			dd_type_dispose(f->f_type, DD_AT(base, f));
		else if (f->f_kind == DK_LIST) {
			l = DD_AT(base, f);
			for (j = 0; j < l->n; j++)
				dd_type_dispose(f->f_type, (char *)l->items +
				    j * f->f_type->t_size);
			free(l->items);
		}
	}
}
