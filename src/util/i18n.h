/*
 * i18n.h — gettext glue.
 *
 * Messages are written in English in the source and translated through
 * gettext catalogues in po/ (Vietnamese is the first language of the users,
 * English the second). i18n_init() picks the language: an explicit "vi" or
 * "en", else $LANG ("vi*" -> Vietnamese, anything else -> English). It does
 * not depend on a generated vi_VN locale being installed: it uses C.UTF-8
 * and $LANGUAGE, which glibc's gettext honours.
 */
#ifndef KN_I18N_H
#define KN_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* lang: "vi", "en" or NULL for $LANG. Returns 0, or -1 for an unknown lang. */
int i18n_init(const char *lang);

/* The language in force: "vi" or "en". */
const char *i18n_lang(void);

/* Nonzero when the language in force is Vietnamese. */
int i18n_is_vi(void);

#endif
