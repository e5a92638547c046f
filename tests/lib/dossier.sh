# dossier.sh — a candidate's dossier recorded step by step through the
# command line, for the tests of what comes after it (cli/extension,
# cli/deadline_dates). Source it after tests/lib/check.sh, with $K the
# built ketnap and the database, user and date in the environment.
#
#   dossier REF    source (10/01/2025, Youth Union), trained (03/02, doc
#                  CN-REF), applied (03/03), verified (17/03), introduced
#                  (01/04/2025, by M1 and M2, members since 01/01/2009):
#                  one check, passed when every step was recorded

dossier() {
	"$K" step "$1" source --date 2025-01-10 --org youth_union >/dev/null &&
	"$K" step "$1" trained --date 2025-02-03 --doc "CN-$1" >/dev/null &&
	"$K" step "$1" applied --date 2025-03-03 >/dev/null &&
	"$K" step "$1" verified --date 2025-03-17 >/dev/null &&
	"$K" step "$1" introduced --date 2025-04-01 --introducer M1:2009-01-01 \
		--introducer M2:2009-01-01 >/dev/null && ok || bad "dossier $1"
}
