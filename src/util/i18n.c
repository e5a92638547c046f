/* i18n.c — choose the message language and bind the gettext catalogue. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/banned.h"

#ifndef KN_LOCALEDIR
#define KN_LOCALEDIR "/usr/local/share/locale"
#endif

static const char *current = "en";
/* -1: follow the process; 0: English; 1: Vietnamese. */
static __thread int thread_vi = -1;

int i18n_init(const char *lang)
{
	const char *dir;

	if (!lang || !*lang) {
		const char *env = getenv("LANG");
		const char *all = getenv("LC_ALL");
		const char *msg = getenv("LC_MESSAGES");
		const char *pick = (all && *all) ? all : (msg && *msg) ? msg : env;
		lang = (pick && strncmp(pick, "vi", 2) == 0) ? "vi" : "en";
	}
	if (strcmp(lang, "vi") != 0 && strcmp(lang, "en") != 0)
		return -1;
	current = strcmp(lang, "vi") == 0 ? "vi" : "en";

	/* Byte-oriented C.UTF-8 for everything; the catalogue is chosen by
	 * $LANGUAGE so that no vi_VN locale needs to be generated. */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	/* English bypasses the catalogue (message ids are English); $LANGUAGE
	 * also picks the language of the C library's own messages
	 * (strerror), so it follows the chosen language. */
	setenv("LANGUAGE", current, 1);
	dir = getenv("KETNAP_LOCALEDIR");
	bindtextdomain("ketnap", dir && *dir ? dir : KN_LOCALEDIR);
	bind_textdomain_codeset("ketnap", "UTF-8");
	textdomain("ketnap");
	return 0;
}

const char *i18n_lang(void)
{
	return i18n_is_vi() ? "vi" : "en";
}

int i18n_is_vi(void)
{
	return thread_vi >= 0 ? thread_vi : current[0] == 'v';
}

void i18n_thread_langs(void)
{
	setenv("LANGUAGE", "vi", 1);
}

void i18n_set_thread_lang(const char *lang)
{
	thread_vi = !lang ? -1 : strcmp(lang, "vi") == 0;
}

#undef ngettext
const char *i18n_gettext(const char *msgid)
{
	return i18n_is_vi() ? dgettext("ketnap", msgid) : msgid;
}

const char *i18n_ngettext(const char *one, const char *many, unsigned long n)
{
	if (i18n_is_vi())
		return dngettext("ketnap", one, many, n);
	return n == 1 ? one : many;
}
