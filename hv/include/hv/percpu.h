/* Per-CPU state. hv is built for SMP from the start. */
#ifndef HV_PERCPU_H
#define HV_PERCPU_H

#define HV_MAX_CPUS	8

#endif
