/*
 * A domain definition: the one struct that every form of a definition
 * (XML and JSON) is read into and written from, so that the forms cannot
 * drift apart.  One table (def_fields.c) knows each field: its XML
 * element or attribute, its JSON key, its kind, its bounds and where it
 * lives in the struct; the readers and writers of both forms walk it.
 *
 * The XML form is a subset of libvirt's domain XML for Xen PV guests
 * (schemas/domain.rng says the same; schemas/domain.schema.json for the
 * JSON form, whose keys are the XML's names):
 *
 *	<domain type='xen'>			type='xm' too
 *	  <name>web1</name>
 *	  <uuid>...</uuid>			optional: else generated
 *	  <title>..</title> <description>..</description>	optional
 *	  <memory unit='MiB'>256</memory>	unit optional: KiB
 *	  <currentMemory unit='MiB'>128</currentMemory>	optional
 *	  <vcpu placement='static' cpuset='0-1' current='1'>2</vcpu>
 *	  <os>
 *	    <type arch='x86_64' machine='xenpv'>linux</type>   optional
 *	    <kernel>/boot/vmlinuz</kernel>
 *	    <initrd>/boot/initrd</initrd>	optional
 *	    <cmdline>console=hvc0</cmdline>	optional
 *	  </os>
 *	  <cputune>				optional, all of it
 *	    <shares>512</shares> <period>100000</period> <quota>50000</quota>
 *	    <vcpupin vcpu='0' cpuset='1'/> ...
 *	    <cap>50</cap>			xm's: percent of one CPU
 *	  </cputune>
 *	  <memtune>
 *	    <hard_limit unit='MiB'>512</hard_limit>
 *	    <soft_limit unit='MiB'>256</soft_limit>
 *	  </memtune>
 *	  <on_poweroff>destroy</on_poweroff>	destroy, restart, preserve
 *	  <on_reboot>restart</on_reboot> <on_crash>destroy</on_crash>
 *	  <devices>
 *	    <console type='pty'><target type='xen' port='0'/></console>
 *	    <disk type='file|block' device='disk|cdrom'>
 *	      <driver name='qemu' type='raw'/> <source file='...'/> or dev=
 *	      <target dev='xvda' bus='xen'/> <readonly/>
 *	    </disk>
 *	    <interface type='bridge|network'>
 *	      <mac address='00:16:3e:1a:b3:4c'/>
 *	      <source bridge='xenbr0'/>		or network='default'
 *	      <model type='netfront'/> <script path='vif-bridge'/>
 *	    </interface>
 *	  </devices>
 *	</domain>
 *
 * Kept without effect, and written back (what virsh dumpxml prints for
 * a Xen PV domain; dd_warnings lists them): <bootloader>,
 * <bootloader_args>, <clock offset= adjustment= basis= timezone=/>, the
 * console's tty= and <source path=/>, <input type= bus=/>, <graphics
 * type= port= autoport= listen= keymap=><listen type= address=/>,
 * <memballoon model=/>.  <metadata>: other tools' namespaced elements,
 * kept as XML text (def_opaque.c).  <domain id=>: ignored when read,
 * written when dd_id is set (xmd: a running domain's id).
 *
 * Children may come in any order.  Anything else is an error naming the
 * element (or attribute, or JSON key) and its line (or JSON path).  A
 * relative kernel path is resolved by xmd against its kernel directory.
 *
 * Canonical form (what dd_write_xml and dd_write_json produce): the
 * table's order; sizes keep the value and unit as written (unit='KiB'
 * written when it was absent); the UUID always written (lowercase,
 * dashed), generated if it was absent; vcpu always written; optional
 * fields only when set (an empty cmdline, a console's port='0' and
 * readonly false are not written); leaf text trimmed except cmdline and
 * description, which are kept as written.  XML attributes are written
 * with double quotes, two spaces of indentation, no XML declaration.
 */
#ifndef XM_COMMON_DOMAIN_DEF_H
#define XM_COMMON_DOMAIN_DEF_H

#include <stddef.h>
#include <stdint.h>

#include "uuid.h"

#define XM_DEF_NAME_MAX		63		/* characters */
#define XM_DEF_VCPUS_MAX	128
#define XM_DEF_MEMORY_MAX_KIB	(UINT64_C(1) << 30)	/* 1 TiB */
#define XM_DEF_CMDLINE_MAX	1023	/* start_info's, less NUL */
#define XM_DEF_TEXT_MAX		(1024 * 1024) /* definition bytes */
#define XM_DEF_STR_MAX		4096	/* any other string */
#define XM_DEF_LIST_MAX		64	/* items of one list */
#define XM_DEF_WEIGHT_MIN	1	/* shares: the credit weight */
#define XM_DEF_WEIGHT_MAX	65535

/* A size as written (value and libvirt unit) and in KiB. */
struct xm_def_size {
	uint64_t	sz_value;
	char		sz_unit[8];	/* "" until set; written "KiB" */
	uint64_t	sz_kib;		/* 0: not given */
};

struct xm_def_vcpupin {
	unsigned int	 vp_vcpu;
	char		*vp_cpuset;
};

struct xm_def_console {
	char		*co_type;	/* pty */
	char		*co_tty;	/* kept, no effect: virsh's pty path */
	char		*co_source_path;	/* kept, no effect */
	char		*co_target_type;	/* xen */
	unsigned int	 co_target_port;
	int		 co_target_port_given;	/* port='0' is written back */
};

/* Devices xm keeps and writes back but does not provide (yet). */
struct xm_def_input {
	char		*in_type;	/* mouse, tablet, keyboard */
	char		*in_bus;
};

struct xm_def_graphics {
	char		*gr_type;	/* vnc, spice, sdl */
	char		*gr_port;	/* text: virsh writes -1 */
	char		*gr_autoport;
	char		*gr_listen;
	char		*gr_keymap;
	char		*gr_listen_type;	/* <listen type= address=/> */
	char		*gr_listen_address;
};

struct xm_def_disk {
	char		*dk_type;	/* file, block */
	char		*dk_device;	/* disk, cdrom */
	char		*dk_driver_name;
	char		*dk_driver_type;
	char		*dk_source_file;
	char		*dk_source_dev;
	char		*dk_target_dev;
	char		*dk_target_bus;
	int		 dk_readonly;
};

struct xm_def_interface {
	char		*if_type;	/* bridge, network */
	char		*if_mac;
	char		*if_source_bridge;
	char		*if_source_network;
	char		*if_model;
	char		*if_script;
};

/* A list: items and how many; all lists have this layout. */
#define XM_DEF_LIST(T)	struct { T *items; size_t n; }

struct xm_domain_def {
	char		*dd_type;	/* xen, xm */
	unsigned int	 dd_id;		/* written only: a running domain's */
	char		*dd_name;
	uint8_t		 dd_uuid[XM_UUID_LEN];
	int		 dd_uuid_given;	/* 0: generated */
	char		*dd_title;
	char		*dd_description;
	char		*dd_metadata;	/* kept XML, its children compact */
	struct xm_def_size dd_memory;
	struct xm_def_size dd_current_memory;
	uint64_t	 dd_memory_kib;	/* derived: dd_memory in KiB */
	unsigned int	 dd_vcpus;	/* default 1 */
	char		*dd_vcpu_placement;	/* static, auto */
	char		*dd_vcpu_cpuset;
	unsigned int	 dd_vcpu_current;	/* 0: all */
	char		*dd_bootloader;	/* kept, no effect */
	char		*dd_bootloader_args;
	char		*dd_os_arch;	/* x86_64 */
	char		*dd_os_machine;	/* xenpv */
	char		*dd_os_type;	/* linux, xen */
	char		*dd_kernel;	/* as written: maybe relative */
	char		*dd_initrd;
	char		*dd_cmdline;	/* "" when absent */
	unsigned int	 dd_shares;	/* cputune: weight, 0: default */
	uint64_t	 dd_period;	/* cputune: us, 0: not given */
	uint64_t	 dd_quota;	/* cputune: us, 0: not given */
	XM_DEF_LIST(struct xm_def_vcpupin) dd_vcpupin;
	unsigned int	 dd_cap;	/* cputune: percent of a CPU, 0: none */
	struct xm_def_size dd_hard_limit;
	struct xm_def_size dd_soft_limit;
	char		*dd_on_poweroff;	/* destroy restart preserve */
	char		*dd_on_reboot;
	char		*dd_on_crash;
	char		*dd_clock_offset;	/* kept, no effect */
	char		*dd_clock_adjustment;
	char		*dd_clock_basis;
	char		*dd_clock_timezone;
	XM_DEF_LIST(struct xm_def_console) dd_consoles;
	XM_DEF_LIST(struct xm_def_disk) dd_disks;
	XM_DEF_LIST(struct xm_def_interface) dd_interfaces;
	XM_DEF_LIST(struct xm_def_input) dd_inputs;	/* kept, no effect */
	XM_DEF_LIST(struct xm_def_graphics) dd_graphics;	/* kept */
	char		*dd_memballoon_model;	/* kept, no effect */
};

void	xm_domain_def_init(struct xm_domain_def *);
void	xm_domain_def_dispose(struct xm_domain_def *);

/*
 * Read a definition's text into def, which must have been initialised.
 * Returns 0, or -1 with the reason in err ("line 7: unknown element
 * <video> in <devices>", "$.vcpu.cpuset: expected a string"); def is then
 * to be disposed of as it is.  dd_parse_xml also validates the document
 * against schemas/domain.rng: in $XM_SCHEMA_DIR when it is set, else in
 * the installed schema directory or the source tree's; not finding it
 * is an error naming the paths tried.  The schema is compiled once per
 * process (and again only if its path changes).  dd_parse_auto reads
 * XML when the first non-blank byte is '<', JSON when it is '{'.
 * All three end with dd_validate.
 */
int	dd_parse_xml(struct xm_domain_def *, const char *text, size_t len,
	    char *err, size_t errlen);
int	dd_parse_json(struct xm_domain_def *, const char *text, size_t len,
	    char *err, size_t errlen);
int	dd_parse_auto(struct xm_domain_def *, const char *text, size_t len,
	    char *err, size_t errlen);
/* Checks between fields (currentMemory <= memory, vcpupin's vcpu ...). */
int	dd_validate(const struct xm_domain_def *, char *err, size_t errlen);

/*
 * What xmd needs from cputune: the credit scheduler's weight (shares,
 * default 256) and cap (cap, else quota / period in percent of one CPU;
 * period defaults to 100000 us; 0: no cap); whether the definition
 * sets either (else xmd leaves hv's defaults alone); the vCPU's pinning
 * (its vcpupin, else vcpu's cpuset; NULL: none).
 */
int		dd_sched_given(const struct xm_domain_def *);
unsigned int	dd_sched_weight(const struct xm_domain_def *);
/* KiB it starts with: <currentMemory> when given (a balloon driver
 * may grow it up to <memory>), else <memory>. */
uint64_t	dd_current_kib(const struct xm_domain_def *);
unsigned int	dd_sched_cap(const struct xm_domain_def *);
const char	*dd_vcpu_pin(const struct xm_domain_def *, unsigned int vcpu);
/*
 * Pin vcpu to cpuset in def (replacing its vcpupin, if any), or set the
 * cap (clearing quota and period, which it replaces): 0, or -1 when out
 * of memory or the list is full (XM_DEF_LIST_MAX).
 */
int		dd_set_vcpupin(struct xm_domain_def *, unsigned int vcpu,
		    const char *cpuset);
void		dd_set_cap(struct xm_domain_def *, unsigned int cap);
/*
 * Whether a domain with this definition can be started by this version
 * of xm: disks and interfaces are read and kept but have no backends
 * yet.  0, or -1 with "disk xvda: disks are not supported yet" in err.
 */
int	dd_check_startable(const struct xm_domain_def *, char *err,
	    size_t errlen);

/*
 * The canonical XML or JSON text of def in *out (free() it, ends with a
 * newline): 0, or -1 when out of memory.
 */
int	dd_write_xml(const struct xm_domain_def *, char **out);
int	dd_write_json(const struct xm_domain_def *, char **out);

/*
 * What def keeps without effect on xm (<clock>, <graphics> ...): one
 * line each in buf ("<graphics> is kept but has no effect"), "" when
 * nothing; how many.  A warning, never an error: definitions that
 * virsh dumpxml printed are taken as they are.
 */
int	dd_warnings(const struct xm_domain_def *, char *buf, size_t len);

/* Older names: dd_parse_auto and dd_parse_xml. */
int	xm_domain_def_parse(struct xm_domain_def *def, const char *text,
	    size_t len, char *err, size_t errlen);
int	xm_domain_def_parse_xml(struct xm_domain_def *def, const char *text,
	    size_t len, char *err, size_t errlen);

/* Whether name may name a domain; *why says why not. */
int	xm_domain_name_valid(const char *name, const char **why);

/*
 * value with libvirt's unit (NULL: KiB; b, bytes, k, KiB, KB, M, MiB,
 * MB ... E, EiB, EB, case-insensitive; KB is 1000) in KiB, rounded up.
 */
int	xm_memory_parse(const char *value, const char *unit, uint64_t *kib,
	    const char **why);

#endif
