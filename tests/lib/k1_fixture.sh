# k1_fixture.sh — steps rows shared by the importer's tests of its memory
# of people (cli/import_memo, cli/import_batch): a member admitted in the
# file who then introduces others. Each function prints CSV rows of the
# steps format (FORMATS.md), without the header.
#
#   k1_admitted        K1's whole way, from source (11/01/2019, trade
#                      union) to official (12/07/2020), in cell X.G.C1 of
#                      grassroots X.G, introduced by M1 and M2
#   k1_introduces P    P's first six steps (source 03/08/2020 … introduced
#                      05/10/2020), introduced by K1 and M1 as members
#                      since 01/01/2019; P = A0 carries the override "K1
#                      chưa là đảng viên chính thức", as A0's rows are
#                      judged before K1 is a member

k1_admitted() {
	cat <<'CSV'
K1,source,2019-01-11,,trade_union,,,,,,,,,,
K1,mentor,2019-01-18,,,M1,,,,,,,,,
K1,trained,2019-02-11,CN 1/2019,,,,,,,,,,,
K1,applied,2019-02-28,,,,,,,,,,,,
K1,verified,2019-03-31,,,,,,,,,,,,
K1,introduced,2019-04-12,,,,M1,2017-04-12,M2,2017-04-12,,,,,
K1,cell_vote,2019-05-07,,,,,,,,4,4,,,
K1,committee_vote,2019-05-19,,,,,,,,9,9,,,
K1,decision,2019-06-10,1-QĐ/ĐU,X.G,,,,,,,,,,
K1,ceremony,2019-06-20,,,,,,,,,,,,
K1,probation_vote,2020-06-27,,,,,,,,4,4,,,
K1,official,2020-07-12,2-QĐ/ĐU,X.G,,,,,,,,,,
CSV
}

k1_introduces() {
	local o=
	[ "$1" = A0 ] && o="K1 chưa là đảng viên chính thức"
	cat <<CSV
$1,source,2020-08-03,,youth_union,,,,,,,,,,
$1,mentor,2020-08-10,,,M1,,,,,,,,,
$1,trained,2020-09-07,CN 2/2020,,,,,,,,,,,
$1,applied,2020-09-14,,,,,,,,,,,,
$1,verified,2020-09-28,,,,,,,,,,,,
$1,introduced,2020-10-05,,,,K1,2019-01-01,M1,2019-01-01,,,,$o,
CSV
}
