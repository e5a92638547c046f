/* err.c — descriptions and exit statuses of enum kn_err. */
#include "util/err.h"
#include "util/i18n.h"
#include "util/banned.h"

const char *kn_strerror(enum kn_err e)
{
	switch (e) {
	case KN_OK: return _("success");
	case KN_EINVAL: return _("invalid input");
	case KN_ENOTFOUND: return _("not found");
	case KN_ERULE: return _("refused by a rule");
	case KN_EPERM: return _("permission denied");
	case KN_ECONFLICT: return _("conflicting change");
	case KN_EIO: return _("storage or I/O failure");
	case KN_ENOMEM: return _("out of memory");
	}
	return _("unknown error");
}

int kn_exit_status(enum kn_err e)
{
	switch (e) {
	case KN_OK: return 0;
	case KN_EIO: case KN_ENOMEM: return 3;
	default: return 1;
	}
}
