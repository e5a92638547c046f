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

/* English is the language of the message ids, so English needs no
 * catalogue: _() returns the id itself when the thread's language is
 * English, and looks up the Vietnamese catalogue otherwise. That makes the
 * language a per-thread choice (the web server answers each request in its
 * user's language) while gettext's own state stays process-wide. */
#define _(s) i18n_gettext(s)
#define N_(s) (s)
#undef ngettext
#define ngettext(a, b, n) i18n_ngettext(a, b, n)

const char *i18n_gettext(const char *msgid) __attribute__((format_arg(1)));
const char *i18n_ngettext(const char *one, const char *many, unsigned long n)
	__attribute__((format_arg(1))) __attribute__((format_arg(2)));

/* The calling thread's language: "vi" or "en" (NULL: the process's).
 * A process that mixes languages calls i18n_thread_langs() once first,
 * which loads the Vietnamese catalogue whatever the process language. */
void i18n_set_thread_lang(const char *lang);
void i18n_thread_langs(void);

/* lang: "vi", "en" or NULL for $LANG. Returns 0, or -1 for an unknown lang. */
int i18n_init(const char *lang);

/* The language in force: "vi" or "en". */
const char *i18n_lang(void);

/* Nonzero when the language in force is Vietnamese. */
int i18n_is_vi(void);

#endif
