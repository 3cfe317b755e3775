/* privop's parts: the fault probe, the GDT and LDT tests (gdt.c,
 * ldt.c), the writable page tables (ptwr.c). */
#ifndef PRIVOP_H
#define PRIVOP_H

extern volatile unsigned int gp_count, skip_len;

/* Run the asm (of len bytes); whether it raised #GP or #PF (skipped). */
#define FAULTS(len, ...) __extension__ ({				\
	unsigned int before_ = gp_count;				\
	skip_len = (len);						\
	__asm__ volatile(__VA_ARGS__);					\
	skip_len = 0;							\
	gp_count != before_;						\
})

void	debugreg_tests(void);
void	gdt_tests(void);
void	ldt_tests(void);
void	msr_tests(void);
void	ptwr_tests(void);
void	usermode_tests(void);

#endif
