// Validation runs for the router's learner on the Surabaya data, inside the training period only:
// train on Jan–Aug 2022, validate on Sep–Oct 2022. Settings are given as key=value arguments
// (e.g. `route_validate c=0.5 char_max=5`); `--early` validates on Jul–Aug instead; `--test` instead trains before November and tests on
// Nov–Dec, to be run once with the chosen settings. With ROUTE_DUMP set, prints each validation text's
// confidence and whether its label was right to stderr (to fit the confidence mapping). Exit 77 when
// ../shared/data is absent.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <sys/stat.h>

#include "wadul/csv.hpp"
#include "wadul/error.hpp"
#include "wadul/route_eval.hpp"

using namespace wadul;

int main(int argc, char **argv) {
    std::string path = WADUL_BENCH_DATA "/surabaya-mediacenter-keluhcerdas/keluhan_instansi.csv";
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
        std::fprintf(stderr, "route_validate: skipped: '%s' is absent\n", path.c_str());
        return 77;
    }
    ClassifierOptions o;
    std::string split = "2022-09-01", end = "2022-11-01";
    bool confusions = false;
    double half_life = 0; // in samples, oldest-first order
    int replay = 0;       // > 0: replay the test rows, retraining every `replay` days (wadul-route eval --retrain-every)
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--confusions") {
            confusions = true;
            continue;
        }
        if (a == "--early") {
            // A second validation fold: train on Jan–Jun, validate on Jul–Aug.
            split = "2022-07-01";
            end = "2022-09-01";
            continue;
        }
        if (a == "--test") {
            split = "2022-11-01";
            end = "9999";
            continue;
        }
        auto eq = a.find('=');
        if (eq == std::string::npos) {
            std::fprintf(stderr, "route_validate: error: cannot read argument '%s': expected key=value\n", a.c_str());
            return 64;
        }
        const std::string k = a.substr(0, eq);
        const double v = std::strtod(a.c_str() + eq + 1, nullptr);
        if (k == "char_min") o.char_min = static_cast<int>(v);
        else if (k == "char_max") o.char_max = static_cast<int>(v);
        else if (k == "bigrams") o.word_bigrams = v != 0;
        else if (k == "half_life") half_life = v;
        else if (k == "replay") replay = static_cast<int>(v);
        else if (k == "stem") o.stem = v != 0;
        else if (k == "surface") o.surface_words = v != 0;
        else if (k == "word_weight") o.word_weight = v;
        else if (k == "char_weight") o.char_weight = v;
        else if (k == "min_df") o.min_df = static_cast<int>(v);
        else if (k == "c") o.c = v;
        else if (k == "cw") o.class_weight_power = v;
        else if (k == "epochs") o.epochs = static_cast<int>(v);
        else if (k == "char_span") o.char_span = v != 0;
        else if (k == "slope") o.confidence_slope = v;
        else if (k == "offset") o.confidence_offset = v;
        else if (k == "seed") o.seed = static_cast<unsigned>(v);
        else {
            std::fprintf(stderr, "route_validate: error: unknown setting '%s'\n", k.c_str());
            return 64;
        }
    }
    try {
        Samples train, test;
        std::vector<std::int64_t> test_days;
        auto rows = read_csv_columns(path, {"keluhan", "instansi_grup", "tanggal_keluhan"});
        std::stable_sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) { return a[2] < b[2]; });
        for (auto &r : rows) {
            if (r[0].empty() || r[1].empty()) continue;
            if (r[2] < split) train.emplace_back(r[0], r[1]);
            else if (r[2] < end) {
                test.emplace_back(r[0], r[1]);
                test_days.push_back(date_day(r[2]).value_or(0));
            }
        }
        std::vector<double> weights;
        if (half_life > 0)
            for (size_t i = 0; i < train.size(); ++i)
                weights.push_back(std::pow(0.5, static_cast<double>(train.size() - 1 - i) / half_life));
        const EvalResult res = replay > 0 ? evaluate_replay(train, test, test_days, replay, o)
                                          : evaluate_samples(train, test, o, weights);
        std::printf("%s", format_eval_text(res).c_str());
        if (std::getenv("ROUTE_DUMP")) {
            // Confidence and correctness of every validation text, to fit the confidence mapping.
            Classifier m(o);
            m.train(train, weights);
            for (const auto &s : test) {
                const auto p = m.classify(s.first);
                std::fprintf(stderr, "%.6f %d\n", p.confidence, p.label == s.second ? 1 : 0);
            }
        }
        if (confusions) {
            // The commonest mistakes, to see where the learner's errors come from.
            Classifier m(o);
            m.train(train);
            std::map<std::pair<std::string, std::string>, int> n;
            for (const auto &s : test) {
                const auto p = m.classify(s.first);
                if (p.label != s.second) ++n[{s.second, p.label}];
            }
            std::vector<std::pair<int, std::pair<std::string, std::string>>> v;
            for (const auto &e : n) v.emplace_back(e.second, e.first);
            std::sort(v.rbegin(), v.rend());
            for (size_t i = 0; i < v.size() && i < 25; ++i)
                std::printf("%4d  %s -> %s\n", v[i].first, v[i].second.first.c_str(), v[i].second.second.c_str());
        }
    } catch (const Error &e) {
        std::fprintf(stderr, "route_validate: error: %s\n", e.what());
        return e.code();
    }
    return 0;
}
