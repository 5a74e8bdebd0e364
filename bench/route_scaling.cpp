// How the duty-word matcher's time grows with the length of a complaint, up to the
// kRouteReadChars the router reads: prints, for texts of 1,250 to 10,000 characters of a few
// shapes, the time per text as a ratio to the 1,250-character one of the same shape. Linear
// matching doubles with the length (8x at 10,000); matching every pair of matches went 64x.
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "wadul/route.hpp"

using namespace wadul;

namespace {

std::string repeat_to(const std::string &unit, size_t chars, const std::string &tail = "") {
    std::string s;
    while (s.size() + unit.size() + tail.size() <= chars) s += unit;
    return s + tail;
}

double seconds_per_text(Router &r, const std::string &text) {
    int n = 0;
    const auto t0 = std::chrono::steady_clock::now();
    double elapsed = 0;
    do {
        r.by_duty_words(text);
        ++n;
        elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    } while (elapsed < 0.2);
    return elapsed / n;
}

} // namespace

int main() {
    Router r({{"DPU", {"jalan rusak", "jalan berlubang", "jembatan"}},
              {"DISHUB", {"lampu jalan", "PJU", "parkir liar"}},
              {"DLH", {"sampah", "saluran"}},
              {"PASAR", {"pasar", "saluran"}}});
    const std::vector<std::pair<const char *, std::function<std::string(size_t)>>> shapes = {
        {"'jalan rusak' repeated", [](size_t n) { return repeat_to("jalan rusak ", n); }},
        {"'jalan' repeated, then 'rusak'", [](size_t n) { return repeat_to("jalan ", n, "rusak"); }},
        {"one long sentence, mixed",
         [](size_t n) { return repeat_to("lampu jalan di dekat pasar rusak dan sampah di saluran ", n); }},
        {"sentences of a complaint",
         [](size_t n) { return repeat_to("Jalan di desa kami rusak parah. Sampah menumpuk di pasar. ", n); }},
    };
    std::printf("%-34s %8s %8s %8s %8s   (time per text / time at 1,250 characters)\n", "shape", "1250", "2500",
                "5000", "10000");
    for (const auto &[name, make] : shapes) {
        const double base = seconds_per_text(r, make(1250));
        std::printf("%-34s", name);
        for (size_t n = 1250; n <= kRouteReadChars; n *= 2) std::printf(" %8.1f", seconds_per_text(r, make(n)) / base);
        std::printf("\n");
    }
}
