/* Building domains at boot from multiboot2 modules. */
#ifndef HV_DOMAIN_BUILD_H
#define HV_DOMAIN_BUILD_H

#include <stdbool.h>
#include <stdint.h>

struct domain_image {
	const void	*kernel;	/* ELF image, in hv's direct map */
	uint64_t	kernel_size;
	const char	*cmdline;
	uint64_t	mem_bytes;
	uint16_t	id;
	bool		privileged;
	unsigned int	nr_vcpus;	/* 1..HV_MAX_VCPUS; only vCPU 0 up */
};

struct domain	*domain_build(const struct domain_image *);
void		 domain_build_from_modules(const char *hv_cmdline);

#endif
