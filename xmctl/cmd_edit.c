/*
 * xmctl edit DOM: virsh's edit.  The domain's definition, as canonical
 * XML without the running id (dumpxml --inactive's), goes to a temporary
 * file; $VISUAL, else $EDITOR, else vi edits it; a changed file is
 * checked and defined.  An edit that xm refuses is shown with its
 * reason and, on a terminal, "Try again? [y,n,?]": y edits the same
 * file again, n throws it away.  virsh's f (define without validating)
 * is not offered: xmd validates every definition, there is nothing to
 * force.  Without a terminal a refused edit fails at once; either way
 * the stored definition stays as it was.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exit_status.h"
#include "xmctl.h"

#define EDIT_MAX	(1024 * 1024)

enum answer { ANSWER_YES, ANSWER_NO };

/* $VISUAL, else $EDITOR, else vi. */
static const char *
editor(void)
{
	const char *ed = getenv("VISUAL");

	if (ed == NULL || *ed == '\0')
		ed = getenv("EDITOR");
	return ed != NULL && *ed != '\0' ? ed : "vi";
}

/*
 * The definition of dom (a name, id or UUID) as an edit starts from it,
 * its name in name; NULL after failx.
 */
static char *
edit_start_text(struct xmctl *x, const char *dom, char *name, size_t len)
{
	char *text = NULL, *canon = NULL;

	if (xmctl_domain_definition_flags(x, dom, "xml",
	    XMCTL_DEFINITION_INACTIVE, &text) != XMCTL_OK) {
		failx("%s", xmctl_errmsg(x));
		return NULL;
	}
	/* Canonical again: id= (runtime state) is dropped on the way. */
	if (xmctl_definition_convert(x, text, "xml", &canon) != XMCTL_OK ||
	    xmctl_definition_check(x, canon, name, len) != XMCTL_OK) {
		failx("domain '%s': %s", dom, xmctl_errmsg(x));
		free(canon);
		canon = NULL;
	}
	free(text);
	return canon;
}

/* A new temporary file holding text; its path in path, or -1. */
static int
edit_write_temp(const char *text, char *path, size_t len)
{
	const char *dir = getenv("TMPDIR");
	size_t n = strlen(text);
	int fd;

	snprintf(path, len, "%s/xmctl-edit-XXXXXX.xml",
	    dir != NULL && *dir != '\0' ? dir : "/tmp");
	if ((fd = mkstemps(path, 4)) < 0)
		return failx("cannot create a file in %s: %s", dir != NULL &&
		    *dir != '\0' ? dir : "/tmp", strerror(errno)), -1;
	if (write(fd, text, n) != (ssize_t)n) {
		failx("%s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * Run the editor on path, through sh so that EDITOR may hold options
 * ("emacs -nw"); the path goes as $1, never through the shell's parsing.
 */
static int
edit_run_editor(const char *path)
{
	const char *ed = editor();
	pid_t pid;
	int st;

	if (setenv("XMCTL_EDITOR", ed, 1) != 0)
		return failx("out of memory"), -1;
	fflush(stdout);
	if ((pid = fork()) < 0)
		return failx("cannot run the editor: %s", strerror(errno)), -1;
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "exec $XMCTL_EDITOR \"$1\"", "sh",
		    path, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return failx("editor: %s", strerror(errno)), -1;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return failx("the editor '%s' failed (status %d); nothing changed",
		    ed, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st)), -1;
	return 0;
}

/* The file's text, NUL-terminated; NULL after failx. */
static char *
edit_read(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (f == NULL)
		return failx("%s: %s", path, strerror(errno)), NULL;
	if ((buf = malloc(EDIT_MAX + 1)) == NULL) {
		fclose(f);
		return failx("out of memory"), NULL;
	}
	n = fread(buf, 1, EDIT_MAX + 1, f);
	fclose(f);
	if (n > EDIT_MAX) {
		free(buf);
		return failx("%s: a definition is at most 1 MiB", path), NULL;
	}
	buf[n] = '\0';
	return buf;
}

/* Check text as the edit of domain name and define it: 0, or -1. */
static int
edit_define(struct xmctl *x, const char *name, const char *text)
{
	char newname[XMCTL_NAME_MAX], uuid[XMCTL_UUID_LEN];

	if (xmctl_definition_check(x, text, newname, sizeof(newname)) !=
	    XMCTL_OK)
		return failx("domain '%s': %s", name, xmctl_errmsg(x)), -1;
	if (strcmp(newname, name) != 0)
		return failx("domain '%s': edit cannot rename it (to '%s'): define a new domain and undefine this one",
		    name, newname), -1;
	print_def_warnings(x, text);
	if (xmctl_domain_define(x, text, newname, uuid) != XMCTL_OK)
		return failx("domain '%s': %s", name, xmctl_errmsg(x)), -1;
	return 0;
}

/* virsh's question after a refused edit, asked on the terminal. */
static enum answer
edit_ask(void)
{
	char line[64];

	for (;;) {
		printf("Try again? [y,n,?]: ");
		fflush(stdout);
		if (fgets(line, sizeof(line), stdin) == NULL)
			return ANSWER_NO;
		if (line[0] == 'y' || line[0] == 'Y')
			return ANSWER_YES;
		if (line[0] == 'n' || line[0] == 'N')
			return ANSWER_NO;
		printf("y - yes, edit the same file again\n"
		    "n - no, throw away the changes\n"
		    "? - print this help\n");
	}
}

/* Edit path until it is defined, unchanged or given up: an exit status. */
static int
edit_loop(struct xmctl *x, const char *name, const char *path,
    const char *orig)
{
	char *text;
	int rc;

	for (;;) {
		if (edit_run_editor(path) != 0 ||
		    (text = edit_read(path)) == NULL)
			return XM_EXIT_FAIL;
		if (strcmp(text, orig) == 0) {
			free(text);
			printf("Domain '%s' XML configuration not changed.\n",
			    name);
			return XM_EXIT_OK;
		}
		rc = edit_define(x, name, text);
		free(text);
		if (rc == 0) {
			printf("Domain '%s' XML configuration edited.\n", name);
			return XM_EXIT_OK;
		}
		if (!isatty(STDIN_FILENO) || edit_ask() != ANSWER_YES)
			return failx("domain '%s': the edit was not applied; its definition is unchanged",
			    name);
	}
}

int
cmd_edit(struct cmd_ctx *ctx)
{
	char name[XMCTL_NAME_MAX], path[4096], *orig;
	struct xmctl *x;
	int rc = XM_EXIT_FAIL;

	if ((x = connect_xmd(ctx)) == NULL)
		return XM_EXIT_FAIL;
	if ((orig = edit_start_text(x, ctx->argv[1], name, sizeof(name))) ==
	    NULL) {
		xmctl_free(x);
		return XM_EXIT_FAIL;
	}
	if (edit_write_temp(orig, path, sizeof(path)) == 0) {
		rc = edit_loop(x, name, path, orig);
		unlink(path);
	}
	free(orig);
	xmctl_free(x);
	return rc;
}
