/*
 * Port I/O from domain 0's kernel.  It runs in ring 3, so in and out
 * work only for the ports hv opens to it in the TSS I/O bitmap; any
 * other port raises #GP.  io_probe() tries one read with a fixup, so
 * that domain 0 can tell a closed port from a device.
 */

#ifndef _DOM0_IO_H_
#define _DOM0_IO_H_

#include <stdint.h>

#include <klib/portio.h>

/* inl(port) into *val: 0, or -XM_EFAULT when it raised #GP. */
int	io_probe_inl(uint16_t port, uint32_t *val);

#endif /* _DOM0_IO_H_ */
