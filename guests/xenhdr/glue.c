/*
 * The runtime's side of glue.h: kept apart from xenhdr.c so that no
 * file sees both include/xm and Xen's public headers.
 */

#include <guest/guest.h>

#include "glue.h"

const void *
xenhdr_start_info(void)
{
	return guest_start_info;
}

volatile void *
xenhdr_shared_info(void)
{
	return guest_shared_info;
}
