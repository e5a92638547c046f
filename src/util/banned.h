/*
 * banned.h — functions ketnap must not use (as in git's banned.h).
 * Every .c file includes it as its last #include (after the system headers,
 * whose declarations the macros would otherwise break), so a use of one of
 * these is a compile error. scripts/check-banned.sh checks the include.
 */
#ifndef KN_BANNED_H
#define KN_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef gets
#define gets(x) BANNED(gets)
#undef localtime
#define localtime(x) BANNED(localtime)
#undef gmtime
#define gmtime(x) BANNED(gmtime)
#undef qsort
#define qsort(...) BANNED(qsort)	/* use xqsort() of util/sort.h */
#undef qsort_r
#define qsort_r(...) BANNED(qsort_r)	/* use xqsort_r() */

#endif
