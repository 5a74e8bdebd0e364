# wadul-route eval and train --csv on small self-written CSV files.
set -u
BIN=${WADUL_BIN:?}
command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing"; exit 77; }
T=$(mktemp -d)
fails=0
check() { local what=$1; shift; if "$@"; then :; else echo "FAIL: $what"; fails=$((fails + 1)); fi; }
has() { grep -qF -- "$2" "$1"; }
cat > "$T/agencies.toml" <<'TOML'
[[agency]]
code = "DPU"
name = "Dinas Pekerjaan Umum"
[[agency]]
code = "DISHUB"
name = "Dinas Perhubungan"
TOML
cat > "$T/wadul.toml" <<TOML
[store]
path = "$T/wadul.db"
[registry]
path = "$T/agencies.toml"
[log]
syslog = false
[route]
min_samples = 4  # the test's CSV is small; the default waits for 100 confirmed complaints
TOML
export WADUL_CONFIG=$T/wadul.toml WADUL_NOW=2026-11-02T09:00:00+07:00
route() { "$BIN/wadul-route" "$@" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
rc() { cat "$T/rc"; }

# Two groups with their own words; the test file reuses the words in new sentences.
{
    echo 'no,keluhan,instansi_grup'
    for i in 1 2 3 4 5 6 7 8; do
        echo "$i,\"aspal jalan retak dan berlubang di ruas $i\",DPU"
        echo "$((i + 10)),\"lampu penerangan padam di perempatan $i\",DISHUB"
    done
} > "$T/train.csv"
{
    echo 'keluhan,instansi_grup,catatan'
    echo '"jalan berlubang, aspal retak",DPU,x'
    echo '"aspal ruas desa retak",DPU,x'
    echo '"perempatan gelap, lampu padam",DISHUB,x'
    echo '"lampu penerangan padam lagi",DISHUB,x'
} > "$T/test.csv"

route eval --train "$T/train.csv" --test "$T/test.csv" --format json
check "eval exits 0" [ "$(rc)" = 0 ]
for key in train_n test_n accuracy macro_f1 coverage train_seconds classify_per_second classes; do
    check "eval json has \"$key\"" has "$T/out" "\"$key\""
done
check "eval json counts the training rows" grep -Eq '"train_n": ?16' "$T/out"
check "eval json counts the test rows" grep -Eq '"test_n": ?4' "$T/out"
check "eval learns this easy split" grep -Eq '"accuracy": ?1(\.0+)?[,}]' "$T/out"
check "eval opens no store" [ ! -e "$T/wadul.db" ]
route eval --train "$T/train.csv" --test "$T/test.csv"
check "eval text exits 0" [ "$(rc)" = 0 ]
check "eval text is not JSON" bash -c "! grep -q '^{' '$T/out'"
# A record without a label or a text is left out, and the count says so.
{ cat "$T/test.csv"; echo '"jalan rusak lagi",,x'; echo '"",DPU,x'; } >"$T/gaps.csv"
route eval --train "$T/train.csv" --test "$T/gaps.csv"
check "eval with gaps exits 0" [ "$(rc)" = 0 ]
check "eval says what it skipped" has "$T/out" "test samples         4 (2 records without text or label skipped)"
check "eval says nothing when nothing is skipped" grep -qx "train samples        16" "$T/out"
route eval --train "$T/train.csv" --test "$T/gaps.csv" --format json
check "eval json counts the skipped records" grep -Eq '"test_skipped": ?2' "$T/out"
route eval --train "$T/train.csv" --test "$T/test.csv" --label-col grup
check "missing column exits 65" [ "$(rc)" = 65 ]
check "missing column is named" has "$T/err" "grup"
route eval --train "$T/nope.csv" --test "$T/test.csv"
check "missing file exits 66" [ "$(rc)" = 66 ]
route eval --train "$T/train.csv"
check "eval without --test is a usage error" [ "$(rc)" = 64 ]

# --retrain-every replays the test rows in date order.
{
    echo 'keluhan,instansi_grup,tgl'
    echo '"aspal ruas desa retak",DPU,2022-11-02'
    echo '"jalan berlubang, aspal retak",DPU,2022-11-01 07:30:00'
    echo '"lampu penerangan padam lagi",DISHUB,2022-11-09'
} > "$T/dated.csv"
route eval --train "$T/train.csv" --test "$T/dated.csv" --date-col tgl --retrain-every 7 --format json
check "replay exits 0" [ "$(rc)" = 0 ]
check "replay counts its trainings" grep -Eq '"retrains": ?2' "$T/out"
check "replay names its step" grep -Eq '"retrain_every_days": ?7' "$T/out"
route eval --train "$T/train.csv" --test "$T/dated.csv" --retrain-every 7
check "replay without the date column exits 65" [ "$(rc)" = 65 ]
check "the missing date column is named" has "$T/err" "tanggal_keluhan"
route eval --train "$T/train.csv" --test "$T/test.csv" --date-col catatan --retrain-every 1
check "a record without a date exits 65" [ "$(rc)" = 65 ]
check "the record is named" has "$T/err" "record 1"
route eval --train "$T/train.csv" --test "$T/dated.csv" --date-col tgl --retrain-every 0
check "--retrain-every 0 is a usage error" [ "$(rc)" = 64 ]

# train --csv stores the model; routing then uses it for text without duty words.
route train --csv "$T/train.csv"
check "train --csv exits 0" [ "$(rc)" = 0 ]
check "train --csv reports" has "$T/out" "trained on 16 samples, 2 agencies"
check "model stored" [ "$(sqlite3 "$T/wadul.db" "SELECT samples FROM route_model")" = 16 ]
route explain "lampu penerangan padam di gang"
check "explain uses the model" bash -c "cut -f2 '$T/out' | grep -qx DISHUB && grep -q model '$T/out'"
route train --csv "$T/train.csv" --text-col teks
check "train with a missing column exits 65" [ "$(rc)" = 65 ]

if [ "$fails" -ne 0 ]; then echo "$fails check(s) failed; files in $T"; exit 1; fi
rm -rf "$T"
