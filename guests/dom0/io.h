/*
 * Port I/O from domain 0's kernel.  It runs in ring 3, so in and out
 * work only for the ports hv opens to it in the TSS I/O bitmap; any
 * other port raises #GP.  io_probe() tries one read with a fixup, so
 * that domain 0 can tell a closed port from a device.
 */

#ifndef _DOM0_IO_H_
#define _DOM0_IO_H_

#include <stdint.h>

static inline uint8_t
inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a" (v) : "Nd" (port));
	return v;
}

static inline uint16_t
inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a" (v) : "Nd" (port));
	return v;
}

static inline uint32_t
inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a" (v) : "Nd" (port));
	return v;
}

static inline void
outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a" (v), "Nd" (port));
}

static inline void
outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a" (v), "Nd" (port));
}

static inline void
outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a" (v), "Nd" (port));
}

/* inl(port) into *val: 0, or -XM_EFAULT when it raised #GP. */
int	io_probe_inl(uint16_t port, uint32_t *val);

#endif /* _DOM0_IO_H_ */
