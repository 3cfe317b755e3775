/*
 * A domain definition: the one struct that every form of a definition
 * (XML now, JSON later) is read into and written from, so that the forms
 * cannot drift apart.  Each field has one owner here: init gives it its
 * default, dispose frees it.
 *
 * The XML form is a subset of libvirt's domain XML for Xen PV guests:
 *
 *	<domain type='xen'>			(type='xm' too)
 *	  <name>hello</name>
 *	  <uuid>...</uuid>			optional: else generated
 *	  <memory unit='MiB'>16</memory>	unit optional: KiB
 *	  <vcpu>1</vcpu>			optional: 1
 *	  <os>
 *	    <type arch='x86_64' machine='xenpv'>linux</type>   optional
 *	    <kernel>guests/hello/hello.elf</kernel>
 *	    <cmdline>hello</cmdline>		optional
 *	  </os>
 *	</domain>
 *
 * Anything else is an error naming the element (or attribute) and its
 * line.  A relative kernel path is resolved by xmd against its kernel
 * directory (xmd -K, by default the directory xmd was started in).
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

struct xm_domain_def {
	char		*dd_name;
	uint8_t		 dd_uuid[XM_UUID_LEN];
	int		 dd_uuid_given;	/* 0: generated */
	uint64_t	 dd_memory_kib;
	unsigned int	 dd_vcpus;
	char		*dd_kernel;	/* as written: maybe relative */
	char		*dd_cmdline;	/* "" when absent */
};

void	xm_domain_def_init(struct xm_domain_def *);
void	xm_domain_def_dispose(struct xm_domain_def *);

/*
 * Read a definition's text (XML; its first non-blank byte is '<') into
 * def, which must have been initialised.  Returns 0, or -1 with the
 * reason in err ("line 7: unknown element <devices> in <domain>"); def
 * is then to be disposed of as it is.
 */
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
