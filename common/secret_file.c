#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "secret_file.h"

int
xm_secret_file_check(const char *path, char *why, size_t len)
{
	struct stat st;
	int saved;

	if (stat(path, &st) != 0) {
		saved = errno;
		snprintf(why, len, "%s: %s", path, strerror(saved));
		errno = saved;
		return -1;
	}
	if ((st.st_mode & S_IRWXO) == 0)
		return 0;
	snprintf(why, len, "%s holds secrets and every user may %s it (mode "
	    "%04o): chmod o-rwx %s", path, st.st_mode & S_IROTH ? "read" :
	    "change", (unsigned int)(st.st_mode & 07777), path);
	return 1;
}
