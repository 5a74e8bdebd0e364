# wadul-route check-registry and the registry's history, end to end; the shipped etc/agencies.toml.
set -u
BIN=${WADUL_BIN:?}
SRC=${WADUL_SRC:?}
command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing"; exit 77; }
T=$(mktemp -d)
fails=0
check() { local what=$1; shift; if "$@"; then :; else echo "FAIL: $what"; fails=$((fails + 1)); fi; }
has() { grep -qF -- "$2" "$1"; }
cat > "$T/wadul.toml" <<TOML
[store]
path = "$T/wadul.db"
[registry]
path = "$T/agencies.toml"
[log]
syslog = false
TOML
export WADUL_CONFIG=$T/wadul.toml WADUL_NOW=2026-11-02T09:00:00+07:00
route() { "$BIN/wadul-route" "$@" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
rc() { cat "$T/rc"; }

# The shipped registry: valid, and all fourteen kecamatan of Rembang are there.
route check-registry "$SRC/etc/agencies.toml"
check "shipped registry is valid" [ "$(rc)" = 0 ]
check "summary line" has "$T/out" "$SRC/etc/agencies.toml: "
for k in Sumber Bulu Gunem Sale Sarang Sedan Pamotan Sulang Kaliori Rembang Pancur Kragan Sluke Lasem; do
    check "kecamatan $k in the shipped registry" grep -q "^name = \"Kecamatan $k\"$" "$SRC/etc/agencies.toml"
done
check "placeholder officers are marked" [ "$(grep -c '^  name = ' "$SRC/etc/agencies.toml")" = "$(grep -c '(contoh)"$' "$SRC/etc/agencies.toml")" ]

# Errors name file:line:column and exit 78; nothing is loaded.
cat > "$T/bad.toml" <<'TOML'
[[agency]]
code = "DPU"
name = "Dinas Pekerjaan Umum"
  [[agency.officer]]
  name = "Budi"
  phone = "081200000101"

[[agency]]
code = "DLH"
name = "Dinas Lingkungan Hidup"
  [[agency.officer]]
  name = "Wati"
  phone = "+62 812-0000-0101"
TOML
route check-registry "$T/bad.toml"
check "duplicate phone exits 78" [ "$(rc)" = 78 ]
check "duplicate phone names file:line" has "$T/err" "wadul-route: error: $T/bad.toml:13:11: duplicate phone number '+6281200000101' (first at line 6)"

# Agency codes differing only in case clash (wadul-route assign takes any case).
printf '[[agency]]\ncode = "DPU"\nname = "A"\n[[agency]]\ncode = "dpu"\nname = "B"\n' >"$T/case.toml"
route check-registry "$T/case.toml"
check "codes differing in case exit 78" [ "$(rc)" = 78 ]
check "codes differing in case named" has "$T/err" "$T/case.toml:5:8: duplicate agency code 'dpu' (first at line 1)"
# An empty registry, or a directory, would retire every agency: refused, nothing changed.
: >"$T/empty.toml"
route check-registry "$T/empty.toml"
check "empty registry exits 78" [ "$(rc)" = 78 ]
check "empty registry explained" has "$T/err" "no [[agency]] in the registry"
route check-registry "$T"
check "a directory as registry exits 78" [ "$(rc)" = 78 ]
check "a directory as registry explained" has "$T/err" "it is a directory"
check "nothing on stdout" [ ! -s "$T/out" ]
sed -i 's/+62 812-0000-0101/12345/' "$T/bad.toml"
route check-registry "$T/bad.toml"
check "bad number exits 78" [ "$(rc)" = 78 ]
check "bad number names file:line" has "$T/err" "$T/bad.toml:13:11: bad phone number '12345'"
sed -i 's/12345/081200000301"\n  role = "boss/' "$T/bad.toml"
route check-registry "$T/bad.toml"
check "unknown role exits 78" [ "$(rc)" = 78 ]
check "unknown role names file:line" has "$T/err" "$T/bad.toml:14:10: unknown role 'boss': expected liaison or head"
route check-registry "$T/missing.toml"
check "missing file exits 66" [ "$(rc)" = 66 ]

# Without FILE it checks registry.path. A cron run with a bad registry goes on with what the
# store holds (a typo must not stop intake and sending), and says why on every run.
cp "$T/bad.toml" "$T/agencies.toml"
route check-registry
check "default file is registry.path" [ "$(rc)" = 78 ] && has "$T/err" "$T/agencies.toml:14:10"
route
check "cron run with a bad registry exits 0" [ "$(rc)" = 0 ]
check "cron run with a bad registry says why" has "$T/err" \
    "wadul-route: warning: registry not loaded: $T/agencies.toml:14:10: unknown role 'boss': expected liaison or head; using the agencies and officers already in the store"
check "a bad registry loads nothing" [ "$(sqlite3 "$T/wadul.db" 'SELECT count(*) FROM agency')" = 0 ]

# History: a good file loads; an officer's replacement closes the old post and opens a new one.
sed -i 's/^  role = "boss"$/  role = "liaison"/' "$T/agencies.toml"
route check-registry && check "fixed file is valid" [ "$(rc)" = 0 ]
route
check "cron run with good registry exits 0" [ "$(rc)" = 0 ]
sed -i 's/081200000101/081200000109/; s/"Budi"/"Bayu"/' "$T/agencies.toml"
WADUL_NOW=2026-11-03T09:00:00+07:00 route agencies
check "agencies shows the new officer" has "$T/out" "+6281200000109  Bayu"
check "the old officer is no longer listed" bash -c "! grep -q Budi '$T/out'"
hist=$(sqlite3 "$T/wadul.db" "SELECT name || ':' || (valid_to IS NOT NULL) FROM officer WHERE agency_id = (SELECT id FROM agency WHERE code = 'DPU') ORDER BY id" | tr '\n' ' ')
check "history kept: Budi closed, Bayu open ($hist)" [ "$hist" = "Budi:1 Bayu:0 " ]

# A loaded registry broken by a later edit: the store keeps what it had, officers stay in post.
before=$(sqlite3 "$T/wadul.db" "SELECT count(*) FROM agency WHERE active = 1; SELECT count(*) FROM officer WHERE valid_to IS NULL" | tr '\n' ' ')
echo 'garbage = [' >>"$T/agencies.toml"
route
check "a broken registry after a good one exits 0" [ "$(rc)" = 0 ]
check "a broken registry is named" has "$T/err" "registry not loaded: $T/agencies.toml:"
after=$(sqlite3 "$T/wadul.db" "SELECT count(*) FROM agency WHERE active = 1; SELECT count(*) FROM officer WHERE valid_to IS NULL" | tr '\n' ' ')
check "a broken registry changes nothing ($before / $after)" [ "$before" = "$after" ]

if [ "$fails" -ne 0 ]; then echo "$fails check(s) failed; files in $T"; exit 1; fi
rm -rf "$T"
