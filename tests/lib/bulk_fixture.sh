# bulk_fixture.sh — the small province of the steps import's bulk tests
# (cli/import_bulk, cli/bulk_fail): source it after defining sql() (one
# SQL statement on the test's database, tests/lib/db.sh's kn_sql).
#
#   indexes          the steps table's indexes with their definitions,
#                    one a line (what a deferred index must come back as)
#   state            the counts an import could change, as one line
#   bulk_files N     units.csv (a province, a commune, two cells),
#                    people.csv (N people, P00001…, half in each cell) and
#                    steps.csv (source, trained, applied for each: 3N rows)
#                    in the current directory

if [ -n "${KN_TEST_PG:-}" ]; then
	indexes() { sql "SELECT indexname || ': ' || indexdef FROM pg_indexes WHERE tablename = 'steps' ORDER BY indexname"; }
else
	indexes() { sql "SELECT name || ': ' || COALESCE(sql, 'auto') FROM sqlite_master WHERE type = 'index' AND tbl_name = 'steps' ORDER BY name"; }
fi
state() { sql "SELECT (SELECT COUNT(*) FROM steps) || ' steps, ' || (SELECT COUNT(*) FROM candidacies) || ' candidacies, ' || (SELECT COUNT(*) FROM audit) || ' audit entries'"; }

bulk_files() {
	cat >units.csv <<'CSV'
code,parent,name,kind,may_admit,sector,special_area
X,,Đảng bộ tỉnh X,province,1,,0
X.G,X,Đảng bộ xã G,grassroots,1,commune,0
X.G.C1,X.G,Chi bộ ấp Một,cell,0,hamlet,0
X.G.C2,X.G,Chi bộ ấp Hai,cell,0,hamlet,0
CSV
	{
		echo "ref,full_name,sex,birth_date,unit"
		for i in $(seq 1 "$1"); do printf 'P%05d,Người Thứ %d,F,1996-02-0%d,X.G.C%d\n' "$i" "$i" $((i % 9 + 1)) $((i % 2 + 1)); done
	} >people.csv
	{
		echo "person,step,date,doc_no,org"
		for i in $(seq 1 "$1"); do
			printf 'P%05d,source,2025-01-10,,youth_union\nP%05d,trained,2025-02-10,CN %d/2025,\nP%05d,applied,2025-03-03,,\n' "$i" "$i" "$i" "$i"
		done
	} >steps.csv
}
