/*
 * TAP output for test guests.
 */

#include <stdarg.h>

#include <guest/console.h>
#include <guest/test.h>

static unsigned int	test_count;
static unsigned int	test_failed;
static unsigned int	test_planned;

int
test_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	test_count++;
	if (!cond)
		test_failed++;
	gprintf("%sok %u - ", cond ? "" : "not ", test_count);
	va_start(ap, fmt);
	gvprintf(fmt, ap);
	va_end(ap);
	gprintf("\n");
	return cond;
}

void
test_diag(const char *fmt, ...)
{
	va_list ap;

	gprintf("# ");
	va_start(ap, fmt);
	gvprintf(fmt, ap);
	va_end(ap);
	gprintf("\n");
}

void
test_plan(unsigned int n)
{
	test_planned = 1;
	gprintf("1..%u\n", n);
}

unsigned int
test_failures(void)
{
	return test_failed;
}

int
test_done(void)
{
	if (!test_planned)
		gprintf("1..%u\n", test_count);
	if (test_failed != 0)
		test_diag("%u of %u tests failed", test_failed, test_count);
	return test_failed != 0;
}
