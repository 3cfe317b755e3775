/*
 * The Xen version hv answers as, in xen_version and in domctl physinfo
 * alike: guests choose code paths by it.
 */
#ifndef HV_VERSION_H
#define HV_VERSION_H

#include <xm/version.h>

#define HV_XEN_VERSION		XM_XENVER_MAKE(4, 14)
#define HV_XEN_EXTRAVERSION	".0-xm"

#endif
