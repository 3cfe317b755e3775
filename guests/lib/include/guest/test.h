/*
 * TAP on the console, so that hv's boot tests can judge a guest from
 * its output: "ok N - what" or "not ok N - what", diagnostics as
 * "# ...", and the plan "1..N" at the end (or first, with test_plan).
 * A guest typically ends with `return test_done();`.
 */

#ifndef _GUEST_TEST_H_
#define _GUEST_TEST_H_

#define TEST_OK(cond, ...)	test_ok(!!(cond), __VA_ARGS__)

/* Print the result; return cond. */
int	test_ok(int cond, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
void	test_diag(const char *fmt, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	test_plan(unsigned int n);
/* Print the plan unless given; 0 if every test passed, else 1. */
int	test_done(void);
unsigned int test_failures(void);

#endif /* _GUEST_TEST_H_ */
