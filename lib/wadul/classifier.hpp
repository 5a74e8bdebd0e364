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

// The learner's settings. The defaults were chosen on a validation split inside the training period
// (see bench/README.md, section "route"); they are not meant to be tuned per deployment.
struct ClassifierOptions {
    int char_min = 3, char_max = 4;  // character n-grams, with word-boundary marks
    bool char_span = true;           // n-grams over the whole normalised text (also across two words)
    bool word_bigrams = false;       // pairs of neighbouring stems
    bool stem = false;               // word features from stems (else from the normalised words)
    bool surface_words = false;      // also the unstemmed word, where stemming changed it
    double word_weight = 1.0;        // relative weight of the word block against the character block
    double char_weight = 1.0;
    int min_df = 2;                  // a feature must occur in this many training texts
    double c = 0.5;                  // SVM cost: larger fits the training data more closely
    double class_weight_power = 0.5; // 0: no class weighting, 1: fully balanced classes
    int epochs = 4;                  // passes of dual coordinate descent
    // Confidence = 1 / (1 + exp(-(slope · margin + offset))), the margin being the gap between the two
    // best scores: Platt scaling fitted on both validation folds (they agreed: 2.26/-0.36, 2.55/-0.45).
    double confidence_slope = 2.4;
    double confidence_offset = -0.4;
    unsigned seed = 1;               // order of the passes: fixed so training is reproducible
};

class Classifier {
public:
    Classifier();
    explicit Classifier(const ClassifierOptions &options);
    ~Classifier();
    Classifier(Classifier &&) noexcept;
    Classifier &operator=(Classifier &&) noexcept;

    // Learns from (text, label) pairs, replacing what was learned before.
    void train(const std::vector<std::pair<std::string, std::string>> &samples);
    // The same with a weight per sample (e.g. more for recent confirmations); weights > 0.
    void train(const std::vector<std::pair<std::string, std::string>> &samples, const std::vector<double> &weights);
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
