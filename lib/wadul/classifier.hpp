// The router's learner: Indonesian complaint text → agency label with a calibrated confidence.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wadul {

struct Prediction {
    std::string label;      // empty when the model knows nothing
    double confidence = 0;  // 0..1, comparable across texts (used against route.threshold)
    std::string reason;     // short, for the event log: e.g. "model: jalan, aspal, berlubang"
};

class Classifier {
public:
    Classifier();
    ~Classifier();
    Classifier(Classifier &&) noexcept;
    Classifier &operator=(Classifier &&) noexcept;

    // Learns from (text, label) pairs, replacing what was learned before.
    void train(const std::vector<std::pair<std::string, std::string>> &samples);
    Prediction classify(std::string_view text) const;
    bool empty() const;
    std::vector<std::string> labels() const;

    // A compact binary form for the store (route_model.data); deserialize throws Error(kExitDataErr).
    std::string serialize() const;
    static Classifier deserialize(std::string_view data);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace wadul
