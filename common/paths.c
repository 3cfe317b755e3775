/* The default state and socket directories, shared by xmd and its clients. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "paths.h"

int
xm_default_state_dir(char *buf, size_t len)
{
	const char *env = getenv("XM_STATE_DIR");
	int n;

	if (env != NULL && *env != '\0')
		n = snprintf(buf, len, "%s", env);
	else if (geteuid() == 0)
		n = snprintf(buf, len, "/var/lib/xm");
	else if ((env = getenv("XDG_RUNTIME_DIR")) != NULL && *env != '\0')
		n = snprintf(buf, len, "%s/xm", env);
	else
		n = snprintf(buf, len, "/tmp/xm-%u", (unsigned int)geteuid());
	return n >= 0 && (size_t)n < len ? 0 : -1;
}

int
xm_default_socket_dir(char *buf, size_t len)
{
	const char *env = getenv("XM_STATE_DIR");
	int n;

	if ((env == NULL || *env == '\0') && geteuid() == 0) {
		n = snprintf(buf, len, "%s", XM_SYSTEM_SOCKET_DIR);
		return n >= 0 && (size_t)n < len ? 0 : -1;
	}
	return xm_default_state_dir(buf, len);
}
