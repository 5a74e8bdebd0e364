// Offline evaluation of the router's learner: train on one CSV, test on another, report quality.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <string>
#include <utility>
#include <vector>

#include "wadul/classifier.hpp"

namespace wadul {

struct EvalOptions {
    std::string train_csv, test_csv, text_col = "keluhan", label_col = "instansi_grup";
    // Replay (retrain_days > 0): the test rows are taken in the order of date_col, and the learner is
    // retrained every retrain_days days on the training rows plus the test rows of earlier days, as
    // wadul-route retrains from the complaints confirmed since (at most every route.retrain_every minutes).
    std::string date_col = "tanggal_keluhan";
    int retrain_days = 0;
};

struct ClassStats {
    std::string label;
    int support = 0; // test samples of this class
    double precision = 0, recall = 0, f1 = 0;
};

struct EvalResult {
    int train_n = 0, test_n = 0;
    int train_skipped = 0, test_skipped = 0; // CSV records without a text or a label (evaluate)
    double accuracy = 0, macro_f1 = 0;
    std::map<std::string, double> coverage; // "0.5","0.7","0.8","0.9" → accuracy on the most confident share
    double train_seconds = 0, classify_per_second = 0; // train_seconds: one training (the mean, in a replay)
    int retrain_days = 0, retrains = 0;                 // a replay's step and number of trainings; 0 if none
    std::vector<ClassStats> classes;
};

using Samples = std::vector<std::pair<std::string, std::string>>;

// Reads both CSVs (wadul::read_csv_columns), trains, tests.
EvalResult evaluate(const EvalOptions &opts);
// The same on samples already in memory, with the learner's settings (for validation runs).
EvalResult evaluate_samples(const Samples &train, const Samples &test, const ClassifierOptions &options = {},
                            const std::vector<double> &train_weights = {});

// The day (days since 1970-01-01, in WIB) of a date column's value: "2022-11-03", "2022-11-03
// 09:12:00" or full ISO 8601; nullopt when it cannot be read.
std::optional<std::int64_t> date_day(std::string_view value);

// The replay on samples in memory: test_days[i] is the day number of test[i] (any monotonic day count).
EvalResult evaluate_replay(const Samples &train, const Samples &test, const std::vector<std::int64_t> &test_days,
                           int retrain_days, const ClassifierOptions &options = {});

std::string format_eval_text(const EvalResult &r); // human table, English headings
std::string format_eval_json(const EvalResult &r); // one JSON object: the fields above plus "classes"

// Training samples from a CSV: (text, label); rows with an empty text or label are skipped, and
// counted in `*skipped` when given.
Samples read_training_csv(const std::string &path, const std::string &text_col, const std::string &label_col,
                          int *skipped = nullptr);

} // namespace wadul
