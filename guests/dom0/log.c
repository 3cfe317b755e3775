/*
 * Domain 0's console log (see log.h).  A line is formatted whole, then
 * printed with one call, so that a handler's line cannot split it.
 */

#include <stdarg.h>
#include <stdint.h>

#include <klib/format.h>

#include <guest/console.h>
#include <guest/time.h>

#include "dom0.h"
#include "log.h"

#define RATELIMIT_NS	NSEC_PER_SEC

void
dlog(const char *fmt, ...)
{
	char line[CONSOLE_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	gprintf(DOM0_NAME ": %s\n", line);
}

void
dlog_limited(struct ratelimit *rl, const char *fmt, ...)
{
	char line[CONSOLE_LINE_MAX];
	uint64_t now = monotonic_ns();
	va_list ap;

	if (now < rl->rl_next) {
		rl->rl_missed++;
		return;
	}
	rl->rl_next = now + RATELIMIT_NS;
	va_start(ap, fmt);
	kvsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (rl->rl_missed > 0)
		gprintf(DOM0_NAME ": %s (and %u more)\n", line, rl->rl_missed);
	else
		gprintf(DOM0_NAME ": %s\n", line);
	rl->rl_missed = 0;
}
