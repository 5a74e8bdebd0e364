// Normalisation of SMS Indonesian into word tokens for the router's learner.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sb_stemmer;

namespace wadul {

// The token that stands for any number ("rt 05", "3 hari", a house number).
inline constexpr std::string_view kNumberToken = "<num>";

// Splits text into lowercase ASCII words: punctuation and non-ASCII bytes separate words, an
// apostrophe inside a word is dropped ("jum'at" → "jumat"), a run of three or more equal letters
// becomes one ("parahhh" → "parah"), a trailing 2 marks reduplication ("anak2" → "anak"), letters and
// digits glued together are split ("rt05" → "rt", <num>), and every number becomes kNumberToken.
std::vector<std::string> split_words(std::string_view text);
// The same, calling `word` for each word instead of building a vector.
void split_words(std::string_view text, const std::function<void(std::string_view)> &word);

// The standard Indonesian for an SMS abbreviation or slang word ("yg" → "yang", "gk" → "tidak"),
// or a Javanese word (expand_javanese); may be several words ("dll" → "dan lain lain"). Returns
// `word` itself when it is neither.
std::string_view expand_slang(std::string_view word);

// The Indonesian for a Javanese word, ngoko or krama ("dalan" → "jalan", "toya" → "air"), also
// with a Javanese suffix ("banyune" → "air", "omahku" → "rumah"); `word` itself when it is not one.
// expand_slang falls back on it.
std::string_view expand_javanese(std::string_view word);

// split_words, then expand_slang, calling `word` for each resulting word (an expansion may give
// several: "mksh" → "terima", "kasih"). No word is dropped: negations and function words stay.
void standard_words(std::string_view text, const std::function<void(std::string_view)> &word);

// Function words that carry no routing signal ("yang", "di", "dan").
bool is_stopword(std::string_view word);

// The full pipeline: split_words, expand_slang, drop stopwords and one-letter words, then stem with
// Snowball's Indonesian stemmer. Holds a stemmer and a cache of stems, so one object per thread.
class TextNormalizer {
public:
    struct Tokens {
        std::vector<std::string> words; // normalised words before stemming
        std::vector<std::string> stems; // stems, aligned with words
    };

    TextNormalizer();
    ~TextNormalizer();
    TextNormalizer(TextNormalizer &&) noexcept;
    TextNormalizer &operator=(TextNormalizer &&) noexcept;

    // With `stem` false, `stems` stays empty (for callers that only need the words).
    Tokens analyse(std::string_view text, bool stem = true);
    // The same into `out`, reusing its storage (the classifier calls this for every text).
    void analyse(std::string_view text, Tokens &out, bool stem = true);
    std::vector<std::string> tokens(std::string_view text) { return analyse(text).stems; }
    std::string stem(const std::string &word);

private:
    struct StemmerDeleter {
        void operator()(sb_stemmer *s) const;
    };
    std::unique_ptr<sb_stemmer, StemmerDeleter> stemmer_;
    std::unordered_map<std::string, std::string> cache_;
};

} // namespace wadul
