// Speed of the router's learner on the Surabaya complaints: training on the complaints before
// 2022-11-01 and classifying Nov–Dec 2022, on one core. Prints each figure with its ratio against a
// reference measured in the same run: splitting the same texts into normalised words (the least any
// text classifier must do). Exit 77 when ../shared/data is absent.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <sys/resource.h>
#include <sys/stat.h>

#include "wadul/classifier.hpp"
#include "wadul/csv.hpp"
#include "wadul/error.hpp"
#include "wadul/textnorm.hpp"

using namespace wadul;

namespace {

// CPU time of this thread: other processes on a shared machine do not inflate it.
double cpu_seconds() {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double wall_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

} // namespace

int main() {
    const std::string path = WADUL_BENCH_DATA "/surabaya-mediacenter-keluhcerdas/keluhan_instansi.csv";
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
        std::fprintf(stderr, "route_bench: skipped: '%s' is absent\n", path.c_str());
        return 77;
    }
    try {
        std::vector<std::pair<std::string, std::string>> train;
        std::vector<std::string> test;
        for (auto &r : read_csv_columns(path, {"keluhan", "instansi_grup", "tanggal_keluhan"})) {
            if (r[0].empty() || r[1].empty()) continue;
            if (r[2] < "2022-11-01") train.emplace_back(r[0], r[1]);
            else test.push_back(r[0]);
        }
        size_t chars = 0;
        for (const auto &t : test) chars += t.size();

        // Reference: split every test text into normalised words, several rounds.
        const int rounds = 5;
        size_t words = 0;
        double c0 = cpu_seconds();
        for (int r = 0; r < rounds; ++r)
            for (const auto &t : test) words += split_words(t).size();
        const double split_cpu = cpu_seconds() - c0;
        const double split_rate = static_cast<double>(rounds * test.size()) / split_cpu;

        Classifier model;
        c0 = cpu_seconds();
        double w0 = wall_seconds();
        model.train(train);
        const double train_cpu = cpu_seconds() - c0, train_wall = wall_seconds() - w0;

        // The first round warms the stem cache and the caches of the processor, as in a long run.
        size_t sink = 0;
        for (const auto &t : test) sink += model.classify(t).label.size();
        c0 = cpu_seconds();
        w0 = wall_seconds();
        for (int r = 0; r < rounds; ++r)
            for (const auto &t : test) sink += model.classify(t).label.size();
        const double classify_cpu = cpu_seconds() - c0, classify_wall = wall_seconds() - w0;
        const double classify_rate = static_cast<double>(rounds * test.size()) / classify_cpu;

        rusage ru{};
        getrusage(RUSAGE_SELF, &ru);
        const std::string blob = model.serialize();

        std::printf("route_bench: %zu training complaints, %zu test complaints (%.0f characters each)\n",
                    train.size(), test.size(), static_cast<double>(chars) / static_cast<double>(test.size()));
        std::printf("reference: split_words      %9.0f texts/s (CPU)\n", split_rate);
        std::printf("train:                      %9.3f s CPU, %.3f s wall  (target < 1 s)\n", train_cpu, train_wall);
        std::printf("train / one reference pass  %9.1f x\n",
                    train_cpu / (static_cast<double>(train.size()) / split_rate));
        std::printf("classify:                   %9.0f texts/s (CPU), %.0f texts/s wall  (target >= 20000)\n",
                    classify_rate, static_cast<double>(rounds * test.size()) / classify_wall);
        std::printf("classify / reference        %9.2f x the reference's time per text\n",
                    split_rate / classify_rate);
        std::printf("model size                  %9.1f MiB serialised\n", static_cast<double>(blob.size()) / 1048576.0);
        std::printf("peak RSS                    %9.1f MiB\n", static_cast<double>(ru.ru_maxrss) / 1024.0);
        if (sink == 0 || words == 0) return 70; // keeps the loops from being optimised away
    } catch (const Error &e) {
        std::fprintf(stderr, "route_bench: error: %s\n", e.what());
        return e.code();
    }
    return 0;
}
