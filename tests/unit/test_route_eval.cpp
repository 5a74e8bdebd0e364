#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "wadul/csv.hpp"
#include "wadul/error.hpp"
#include "wadul/route_eval.hpp"
#include "temp.hpp"

using namespace wadul;
using wadul::test::TempDir;
using wadul::test::TempFile;
namespace fs = std::filesystem;

namespace {

// A temporary directory removed when the test ends well.
void write_csv(const std::string &path, const std::vector<std::vector<std::string>> &rows) {
    CsvWriter w;
    w.row({"id", "keluhan", "instansi_grup"});
    int id = 1;
    for (const auto &r : rows) w.row({std::to_string(id++), r[0], r[1]});
    w.save(path);
}

// Self-written complaints: three agencies with distinct vocabulary.
const std::vector<std::vector<std::string>> kTrain = {
    {"lampu jalan mati sudah seminggu", "Dishub"},     {"lampu PJU mati di gang", "Dishub"},
    {"parkir liar bikin macet", "Dishub"},             {"lampu lalu lintas mati", "Dishub"},
    {"juru parkir liar di pasar", "Dishub"},           {"lampu penerangan jalan padam", "Dishub"},
    {"sampah menumpuk tidak diangkut", "DLH"},         {"bau sampah dari tps", "DLH"},
    {"truk sampah tidak datang", "DLH"},               {"sampah dibuang ke sungai", "DLH"},
    {"pembakaran sampah asap", "DLH"},                 {"tps penuh sampah berserakan", "DLH"},
    {"jalan berlubang bahaya", "PU"},                  {"jalan rusak parah berlubang", "PU"},
    {"saluran mampet banjir", "PU"},                   {"gorong gorong tersumbat banjir", "PU"},
    {"aspal jalan rusak", "PU"},                       {"drainase buntu saluran meluap", "PU"},
    {"", "PU"},                                        {"teks tanpa instansi", ""},
};
const std::vector<std::vector<std::string>> kTest = {
    {"lampu di gang kami mati", "Dishub"}, {"parkir liar di depan toko", "Dishub"},
    {"sampah belum diangkut", "DLH"},      {"tps bau sampah", "DLH"},
    {"jalan berlubang dan rusak", "PU"},   {"saluran tersumbat, banjir", "PU"},
};

} // namespace

TEST_CASE("read_training_csv skips rows without text or label") {
    TempDir d;
    write_csv(d.file("train.csv"), kTrain);
    const Samples s = read_training_csv(d.file("train.csv"), "keluhan", "instansi_grup");
    CHECK(s.size() == kTrain.size() - 2);
    CHECK(s[0].first == "lampu jalan mati sudah seminggu");
    CHECK(s[0].second == "Dishub");
    CHECK_THROWS_AS(read_training_csv(d.file("train.csv"), "teks", "instansi_grup"), Error);
    try {
        read_training_csv(d.file("absent.csv"), "keluhan", "instansi_grup");
        FAIL("read a missing file");
    } catch (const Error &e) {
        CHECK(e.code() == kExitNoInput);
    }
}

TEST_CASE("evaluate trains on one CSV and tests on the other") {
    TempDir d;
    write_csv(d.file("train.csv"), kTrain);
    write_csv(d.file("test.csv"), kTest);
    EvalOptions o;
    o.train_csv = d.file("train.csv");
    o.test_csv = d.file("test.csv");
    const EvalResult r = evaluate(o);
    CHECK(r.train_n == 18);
    CHECK(r.test_n == 6);
    CHECK(r.accuracy == doctest::Approx(1.0));
    CHECK(r.macro_f1 == doctest::Approx(1.0));
    REQUIRE(r.coverage.size() == 4);
    for (const char *k : {"0.5", "0.7", "0.8", "0.9"}) CHECK(r.coverage.at(k) == doctest::Approx(1.0));
    CHECK(r.train_seconds >= 0);
    CHECK(r.classify_per_second > 0);
    REQUIRE(r.classes.size() == 3);
    for (const auto &c : r.classes) {
        CHECK(c.support == 2);
        CHECK(c.precision == doctest::Approx(1.0));
        CHECK(c.recall == doctest::Approx(1.0));
    }
}

TEST_CASE("evaluate counts mistakes per class and in the macro average") {
    TempDir d;
    write_csv(d.file("train.csv"), kTrain);
    // Two complaints whose label disagrees with their words: the model must get them wrong.
    auto test = kTest;
    test.push_back({"lampu jalan mati", "PU"});
    test.push_back({"sampah menumpuk", "Satpol PP"});
    write_csv(d.file("test.csv"), test);
    EvalOptions o;
    o.train_csv = d.file("train.csv");
    o.test_csv = d.file("test.csv");
    const EvalResult r = evaluate(o);
    CHECK(r.test_n == 8);
    CHECK(r.accuracy == doctest::Approx(6.0 / 8));
    // Satpol PP is never predicted: F1 0; Dishub 2/3 precise, PU half recalled, DLH 2/3 precise.
    const double f1_dishub = 2 * (2.0 / 3) * 1 / (2.0 / 3 + 1), f1_pu = 2 * 1 * (2.0 / 3) / (1 + 2.0 / 3);
    const double f1_dlh = 2 * (2.0 / 3) * 1 / (2.0 / 3 + 1);
    CHECK(r.macro_f1 == doctest::Approx((f1_dishub + f1_pu + f1_dlh + 0) / 4));
    bool saw_satpol = false;
    for (const auto &c : r.classes)
        if (c.label == "Satpol PP") {
            saw_satpol = true;
            CHECK(c.support == 1);
            CHECK(c.recall == 0);
            CHECK(c.f1 == 0);
        }
    CHECK(saw_satpol);
}

TEST_CASE("coverage keeps the most confident share") {
    TempDir d;
    write_csv(d.file("train.csv"), kTrain);
    // Two texts with no word the model knows: least confident, and wrong (their class is unknown).
    auto test = kTest;
    test.push_back({"qwerty asdfgh", "Lainnya"});
    test.push_back({"zxcvb poiuy", "Lainnya"});
    write_csv(d.file("test.csv"), test);
    EvalOptions o;
    o.train_csv = d.file("train.csv");
    o.test_csv = d.file("test.csv");
    const EvalResult r = evaluate(o);
    CHECK(r.accuracy == doctest::Approx(6.0 / 8));
    CHECK(r.coverage.at("0.5") == doctest::Approx(1.0)); // 4 most confident
    CHECK(r.coverage.at("0.7") == doctest::Approx(1.0)); // 5
    CHECK(r.coverage.at("0.8") == doctest::Approx(1.0)); // 6
    CHECK(r.coverage.at("0.9") == doctest::Approx(6.0 / 7)); // 7: one unknown text gets in
}

TEST_CASE("evaluate refuses empty sets") {
    TempDir d;
    write_csv(d.file("train.csv"), kTrain);
    write_csv(d.file("empty.csv"), {{"", "PU"}});
    EvalOptions o;
    o.train_csv = d.file("train.csv");
    o.test_csv = d.file("empty.csv");
    try {
        evaluate(o);
        FAIL("evaluated on nothing");
    } catch (const Error &e) {
        CHECK(e.code() == kExitDataErr);
    }
}

TEST_CASE("the JSON report has every key, the text report every heading") {
    EvalResult r;
    r.train_n = 10;
    r.test_n = 4;
    r.accuracy = 0.75;
    r.macro_f1 = 0.5;
    r.coverage = {{"0.5", 1.0}, {"0.7", 0.9}, {"0.8", 0.85}, {"0.9", 0.8}};
    r.train_seconds = 0.01;
    r.classify_per_second = 12345;
    r.classes = {{"Dinas \"Sosial\"\n", 3, 1.0, 0.5, 2.0 / 3}};
    const auto j = nlohmann::json::parse(format_eval_json(r));
    for (const char *k : {"accuracy", "macro_f1", "coverage", "train_seconds", "classify_per_second", "classes"})
        CHECK(j.contains(k));
    CHECK(j["accuracy"].get<double>() == doctest::Approx(0.75));
    CHECK(j["coverage"]["0.7"].get<double>() == doctest::Approx(0.9));
    CHECK(j["coverage"].size() == 4);
    CHECK(j["classes"][0]["label"] == "Dinas \"Sosial\"\n");
    CHECK(j["classes"][0]["support"] == 3);
    const std::string text = format_eval_text(r);
    for (const char *h : {"accuracy", "macro-F1", "top 0.7", "train seconds", "classified/second", "precision",
                          "recall"})
        CHECK(text.find(h) != std::string::npos);
}

TEST_CASE("a replay retrains on the earlier test days, as the router learns from confirmations") {
    Samples train;
    for (const auto &r : kTrain)
        if (!r[0].empty() && !r[1].empty()) train.emplace_back(r[0], r[1]);
    // An agency the training set never saw: stray dogs, first reported on day 10, again on days 11 and 12.
    const Samples test = {
        {"anjing liar menggigit anak di gang", "Disnak"}, {"lampu jalan mati lagi", "Dishub"},
        {"anjing liar berkeliaran menggigit warga", "Disnak"}, {"sampah menumpuk di tps", "DLH"},
        {"anjing liar masuk pekarangan menggigit ayam", "Disnak"}, {"jalan berlubang lagi", "PU"},
    };
    const std::vector<std::int64_t> days = {10, 10, 11, 11, 12, 12};

    const EvalResult once = evaluate_samples(train, test);
    CHECK(once.retrains == 0);
    CHECK(once.accuracy == doctest::Approx(0.5)); // the three Disnak rows are beyond a fixed model

    const EvalResult daily = evaluate_replay(train, test, days, 1);
    CHECK(daily.retrains == 3);
    CHECK(daily.retrain_days == 1);
    CHECK(daily.test_n == 6);
    CHECK(daily.train_n == static_cast<int>(train.size()));
    // Day 10's report was confirmed as Disnak by day 11: the next two are learned.
    CHECK(daily.accuracy == doctest::Approx(5.0 / 6));

    // A step longer than the test period is the fixed model again.
    const EvalResult weekly = evaluate_replay(train, test, days, 7);
    CHECK(weekly.retrains == 1);
    CHECK(weekly.accuracy == doctest::Approx(once.accuracy));

    // The rows are taken in date order whatever the file's order.
    const Samples reversed(test.rbegin(), test.rend());
    const std::vector<std::int64_t> reversed_days(days.rbegin(), days.rend());
    CHECK(evaluate_replay(train, reversed, reversed_days, 1).accuracy == doctest::Approx(5.0 / 6));

    CHECK_THROWS_AS(evaluate_replay(train, test, {10, 11}, 1), Error);
    CHECK_THROWS_AS(evaluate_replay(train, test, days, 0), Error);
}

TEST_CASE("a replay reads the test file's dates and names a record without one") {
    TempDir d;
    write_csv(d.file("train.csv"), kTrain);
    {
        CsvWriter w;
        w.row({"keluhan", "instansi_grup", "tanggal"});
        w.row({"lampu di gang kami mati", "Dishub", "2022-11-02 08:15:00"});
        w.row({"sampah belum diangkut", "DLH", "2022-11-01"});
        w.row({"", "PU", "bukan tanggal"}); // skipped: no text, so its date is never read
        w.row({"jalan berlubang dan rusak", "PU", "2022-11-03T10:00:00+07:00"});
        w.save(d.file("test.csv"));
    }
    EvalOptions o;
    o.train_csv = d.file("train.csv");
    o.test_csv = d.file("test.csv");
    o.date_col = "tanggal";
    o.retrain_days = 1;
    const EvalResult r = evaluate(o);
    CHECK(r.retrains == 3);
    CHECK(r.test_n == 3);
    const auto j = nlohmann::json::parse(format_eval_json(r));
    CHECK(j["retrain_every_days"] == 1);
    CHECK(j["retrains"] == 3);
    CHECK(format_eval_text(r).find("retrained 3 times, every 1 day") != std::string::npos);

    {
        CsvWriter w;
        w.row({"keluhan", "instansi_grup", "tanggal"});
        w.row({"lampu di gang kami mati", "Dishub", "2022-11-02"});
        w.row({"sampah belum diangkut", "DLH", "02/11/2022"});
        w.save(d.file("test.csv"));
    }
    try {
        evaluate(o);
        FAIL("replayed a row without a date");
    } catch (const Error &e) {
        CHECK(e.code() == kExitDataErr);
        CHECK(std::string(e.what()).find("record 2") != std::string::npos);
        CHECK(std::string(e.what()).find("'tanggal'") != std::string::npos);
    }
    o.date_col = "tgl";
    CHECK_THROWS_AS(evaluate(o), Error);
}
