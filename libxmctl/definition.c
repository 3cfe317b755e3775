/*
 * libxmctl: offline conversion of definitions between their XML and
 * JSON forms (common/domain_def.h), for xmctl convert and for programs
 * that keep definitions in either form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "domain_def.h"

XMCTL_API int
xmctl_definition_convert(struct xmctl *x, const char *text,
    const char *format, char **out)
{
	struct xm_domain_def def;
	char err[512];
	int rc = XMCTL_OK, json;

	*out = NULL;
	if (text == NULL || format == NULL || (strcmp(format, "xml") != 0 &&
	    strcmp(format, "json") != 0))
		return xc_fail(x, XMCTL_E_ARG,
		    "a definition converts to 'xml' or 'json'");
	json = strcmp(format, "json") == 0;
	xm_domain_def_init(&def);
	if (dd_parse_auto(&def, text, strlen(text), err, sizeof(err)) != 0)
		rc = xc_fail(x, XMCTL_E_DEFINITION, "%s", err);
	else if ((json ? dd_write_json(&def, out) :
	    dd_write_xml(&def, out)) != 0)
		rc = xc_fail(x, XMCTL_E_SYSTEM, "out of memory");
	xm_domain_def_dispose(&def);
	return rc == XMCTL_OK ? xc_ok(x) : rc;
}

XMCTL_API int
xmctl_definition_warnings(struct xmctl *x, const char *text, char **out)
{
	struct xm_domain_def def;
	char err[512], buf[2048];
	int rc = XMCTL_OK;

	*out = NULL;
	if (text == NULL)
		return xc_fail(x, XMCTL_E_ARG, "no definition");
	xm_domain_def_init(&def);
	if (dd_parse_auto(&def, text, strlen(text), err, sizeof(err)) != 0)
		rc = xc_fail(x, XMCTL_E_DEFINITION, "%s", err);
	else {
		dd_warnings(&def, buf, sizeof(buf));
		if ((*out = strdup(buf)) == NULL)
			rc = xc_fail(x, XMCTL_E_SYSTEM, "out of memory");
	}
	xm_domain_def_dispose(&def);
	return rc == XMCTL_OK ? xc_ok(x) : rc;
}
