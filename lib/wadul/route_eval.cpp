#include "wadul/route_eval.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "wadul/clock.hpp"
#include "wadul/csv.hpp"
#include "wadul/error.hpp"

namespace wadul {

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

bool blank(const std::string &s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

std::string_view trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

} // namespace

Samples read_training_csv(const std::string &path, const std::string &text_col, const std::string &label_col,
                          int *skipped) {
    Samples out;
    for (auto &row : read_csv_columns(path, {text_col, label_col})) {
        if (blank(row[0]) || blank(row[1])) {
            if (skipped) ++*skipped;
            continue;
        }
        out.emplace_back(std::move(row[0]), std::move(row[1]));
    }
    return out;
}

namespace {

// Fills accuracy, macro-F1, per-class figures and coverage from the predictions for `test`.
void score(const Samples &test, const std::vector<Prediction> &pred, EvalResult &r) {
    // Per-class counts over every label seen in either set, so a class the model never predicts
    // still counts (with F1 0) in the macro average.
    std::set<std::string> all;
    for (const auto &s : test) all.insert(s.second);
    for (const auto &p : pred) all.insert(p.label);
    std::map<std::string, int> tp, fp, fn;
    int correct = 0;
    for (size_t i = 0; i < test.size(); ++i) {
        if (pred[i].label == test[i].second) {
            ++correct;
            ++tp[test[i].second];
        } else {
            ++fn[test[i].second];
            ++fp[pred[i].label];
        }
    }
    r.accuracy = static_cast<double>(correct) / static_cast<double>(test.size());
    // Macro-F1 over the classes in the test set or the predictions, as scikit-learn's f1_score: a
    // class predicted but absent from the test set counts with F1 0.
    double f1_sum = 0;
    int f1_n = 0;
    for (const auto &label : all) {
        if (label.empty()) continue;
        ClassStats c;
        c.label = label;
        c.support = tp[label] + fn[label];
        const int pp = tp[label] + fp[label];
        c.precision = pp ? static_cast<double>(tp[label]) / pp : 0;
        c.recall = c.support ? static_cast<double>(tp[label]) / c.support : 0;
        c.f1 = c.precision + c.recall > 0 ? 2 * c.precision * c.recall / (c.precision + c.recall) : 0;
        f1_sum += c.f1;
        ++f1_n;
        r.classes.push_back(c);
    }
    r.macro_f1 = f1_n ? f1_sum / f1_n : 0;
    std::sort(r.classes.begin(), r.classes.end(), [](const ClassStats &a, const ClassStats &b) {
        return a.support != b.support ? a.support > b.support : a.label < b.label;
    });

    // Accuracy when only the most confident share is routed automatically; ties keep test order.
    std::vector<size_t> order(test.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return pred[a].confidence > pred[b].confidence; });
    const std::pair<const char *, double> shares[] = {{"0.5", 0.5}, {"0.7", 0.7}, {"0.8", 0.8}, {"0.9", 0.9}};
    for (const auto &[share, fraction] : shares) {
        const auto n = std::max<size_t>(1, static_cast<size_t>(fraction * static_cast<double>(test.size()) + 1e-9));
        int ok = 0;
        for (size_t i = 0; i < n; ++i) ok += pred[order[i]].label == test[order[i]].second;
        r.coverage[share] = static_cast<double>(ok) / static_cast<double>(n);
    }
}

} // namespace

EvalResult evaluate_samples(const Samples &train, const Samples &test, const ClassifierOptions &options,
                            const std::vector<double> &train_weights) {
    EvalResult r;
    r.train_n = static_cast<int>(train.size());
    r.test_n = static_cast<int>(test.size());
    if (train.empty()) fail(kExitDataErr, "cannot evaluate: the training set has no labelled rows");
    if (test.empty()) fail(kExitDataErr, "cannot evaluate: the test set has no labelled rows");

    Classifier model(options);
    auto t0 = std::chrono::steady_clock::now();
    model.train(train, train_weights);
    r.train_seconds = seconds_since(t0);

    std::vector<Prediction> pred;
    pred.reserve(test.size());
    t0 = std::chrono::steady_clock::now();
    for (const auto &s : test) pred.push_back(model.classify(s.first));
    const double secs = seconds_since(t0);
    r.classify_per_second = secs > 0 ? static_cast<double>(test.size()) / secs : 0;
    score(test, pred, r);
    return r;
}

EvalResult evaluate_replay(const Samples &train, const Samples &test, const std::vector<std::int64_t> &test_days,
                           int retrain_days, const ClassifierOptions &options) {
    if (train.empty()) fail(kExitDataErr, "cannot evaluate: the training set has no labelled rows");
    if (test.empty()) fail(kExitDataErr, "cannot evaluate: the test set has no labelled rows");
    if (test_days.size() != test.size())
        fail(kExitSoftware, "cannot replay: {} dates for {} test rows", test_days.size(), test.size());
    if (retrain_days < 1) fail(kExitUsage, "cannot replay: retraining every {} days", retrain_days);
    EvalResult r;
    r.train_n = static_cast<int>(train.size());
    r.test_n = static_cast<int>(test.size());
    r.retrain_days = retrain_days;

    // The test rows in date order (ties keep the file's order), as the complaints would arrive.
    std::vector<size_t> order(test.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return test_days[a] < test_days[b]; });
    Samples sorted;
    sorted.reserve(test.size());
    for (size_t i : order) sorted.push_back(test[i]);

    std::vector<Prediction> pred;
    pred.reserve(test.size());
    Samples known = train;
    double train_secs = 0, classify_secs = 0;
    for (size_t i = 0; i < order.size();) {
        // Retrain on everything confirmed before this window: the training set and the test rows
        // of earlier days (their labels stand for the officers' and admins' confirmations).
        Classifier model(options);
        auto t0 = std::chrono::steady_clock::now();
        model.train(known);
        train_secs += seconds_since(t0);
        ++r.retrains;
        const std::int64_t end = test_days[order[i]] + retrain_days;
        const size_t from = i;
        t0 = std::chrono::steady_clock::now();
        for (; i < order.size() && test_days[order[i]] < end; ++i) pred.push_back(model.classify(sorted[i].first));
        classify_secs += seconds_since(t0);
        known.insert(known.end(), sorted.begin() + static_cast<std::ptrdiff_t>(from),
                     sorted.begin() + static_cast<std::ptrdiff_t>(i));
    }
    r.train_seconds = train_secs / r.retrains;
    r.classify_per_second = classify_secs > 0 ? static_cast<double>(test.size()) / classify_secs : 0;
    score(sorted, pred, r);
    return r;
}

std::optional<std::int64_t> date_day(std::string_view value) {
    const auto t = parse_iso8601(trim(value));
    if (!t) return std::nullopt;
    const CivilTime c = to_civil(*t);
    return days_from_civil(c.year, c.month, c.day);
}

EvalResult evaluate(const EvalOptions &opts) {
    int train_skipped = 0, test_skipped = 0;
    const Samples train = read_training_csv(opts.train_csv, opts.text_col, opts.label_col, &train_skipped);
    if (train.empty()) fail(kExitDataErr, "cannot train on '{}': no row has both a text and a label", opts.train_csv);
    // The test file as read_training_csv reads it, plus each row's day for a replay.
    const bool replay = opts.retrain_days > 0;
    std::vector<std::string> columns = {opts.text_col, opts.label_col};
    if (replay) columns.push_back(opts.date_col);
    Samples test;
    std::vector<std::int64_t> days;
    size_t record = 0;
    for (auto &row : read_csv_columns(opts.test_csv, columns)) {
        ++record;
        if (blank(row[0]) || blank(row[1])) {
            ++test_skipped;
            continue;
        }
        if (replay) {
            const auto day = date_day(row[2]);
            if (!day)
                fail(kExitDataErr,
                     "cannot replay '{}': record {} has no date in column '{}' (expected YYYY-MM-DD): '{}'",
                     opts.test_csv, record, opts.date_col, row[2]);
            days.push_back(*day);
        }
        test.emplace_back(std::move(row[0]), std::move(row[1]));
    }
    if (test.empty()) fail(kExitDataErr, "cannot test on '{}': no row has both a text and a label", opts.test_csv);
    EvalResult r = replay ? evaluate_replay(train, test, days, opts.retrain_days) : evaluate_samples(train, test);
    r.train_skipped = train_skipped;
    r.test_skipped = test_skipped;
    return r;
}

std::string format_eval_text(const EvalResult &r) {
    std::string out;
    // Records without a text or a label are left out of the figures: say how many.
    auto skipped = [](int n) {
        return n ? fmt::format(" ({} record{} without text or label skipped)", n, n == 1 ? "" : "s") : std::string();
    };
    out += fmt::format("train samples        {}{}\n", r.train_n, skipped(r.train_skipped));
    out += fmt::format("test samples         {}{}\n", r.test_n, skipped(r.test_skipped));
    out += fmt::format("accuracy             {:.3f}\n", r.accuracy);
    out += fmt::format("macro-F1             {:.3f}\n", r.macro_f1);
    for (const auto &c : r.coverage)
        out += fmt::format("accuracy, top {:<4}   {:.3f}\n", c.first, c.second);
    if (r.retrains > 0)
        out += fmt::format("replay               retrained {} times, every {} day{}, in date order\n", r.retrains,
                           r.retrain_days, r.retrain_days == 1 ? "" : "s");
    out += fmt::format("train seconds        {:.3f}{}\n", r.train_seconds, r.retrains > 0 ? " (each)" : "");
    out += fmt::format("classified/second    {:.0f}\n", r.classify_per_second);
    out += fmt::format("\n{:>7}  {:>9}  {:>6}  {:>5}  {}\n", "support", "precision", "recall", "F1", "class");
    for (const auto &c : r.classes)
        out += fmt::format("{:>7}  {:>9.3f}  {:>6.3f}  {:>5.3f}  {}\n", c.support, c.precision, c.recall, c.f1, c.label);
    return out;
}

std::string format_eval_json(const EvalResult &r) {
    nlohmann::ordered_json j;
    j["train_n"] = r.train_n;
    j["test_n"] = r.test_n;
    j["train_skipped"] = r.train_skipped;
    j["test_skipped"] = r.test_skipped;
    j["accuracy"] = r.accuracy;
    j["macro_f1"] = r.macro_f1;
    j["coverage"] = nlohmann::ordered_json::object();
    for (const auto &c : r.coverage) j["coverage"][c.first] = c.second;
    if (r.retrains > 0) {
        j["retrain_every_days"] = r.retrain_days;
        j["retrains"] = r.retrains;
    }
    j["train_seconds"] = r.train_seconds;
    j["classify_per_second"] = r.classify_per_second;
    j["classes"] = nlohmann::ordered_json::array();
    for (const auto &c : r.classes)
        j["classes"].push_back(
            {{"label", c.label}, {"support", c.support}, {"precision", c.precision}, {"recall", c.recall}, {"f1", c.f1}});
    return j.dump() + "\n";
}

} // namespace wadul
