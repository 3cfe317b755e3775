/* The other CPUs. */
#ifndef HV_SMP_H
#define HV_SMP_H

void		smp_boot(unsigned int max_cpus);
unsigned int	acpi_count_cpus(void);

#endif
