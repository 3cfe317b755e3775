/* hv's log: levelled lines on the debug UART. */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include <stdarg.h>

enum log_level {
	LOG_ERR,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG,
};

void	console_init(void);
void	console_set_level(enum log_level);
void	console_write(const char *, unsigned long);
void	console_lock_line(void);
void	console_unlock_line(void);
void	hv_log(enum log_level, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	hv_printf(const char *, ...) __attribute__((format(printf, 1, 2)));
void	hv_vprintf(const char *, va_list);
__attribute__((noreturn)) void	hv_panic(const char *, ...)
	    __attribute__((format(printf, 1, 2)));

#define log_err(...)	hv_log(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	hv_log(LOG_WARN, __VA_ARGS__)
#define log_info(...)	hv_log(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	hv_log(LOG_DEBUG, __VA_ARGS__)

#define ASSERT(c) do {							\
	if (!(c))							\
		hv_panic("assertion '%s' failed at %s:%d", #c,		\
		    __FILE__, __LINE__);				\
} while (0)

#endif
