#include "wadul/route.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "wadul/complaint.hpp"
#include "wadul/config.hpp"
#include "wadul/error.hpp"
#include "wadul/log.hpp"
#include "wadul/store.hpp"

namespace wadul {

namespace {

struct Phrase {
    std::string agency, text;
    std::vector<std::string> stems;
};

// One word of the complaint as the matcher sees it.
struct Token {
    std::string word, stem; // normalised word and its stem
    size_t sentence;        // matches of words apart stay inside one sentence
    bool context;           // a place or a risk ("depan SD", "rawan begal"), not the complaint's subject
};

struct Match {
    std::vector<size_t> pos; // the tokens matched, one per phrase stem, ascending
    bool near;               // within kMaxGap other words; else only in the same sentence
    const Phrase *phrase;
    size_t start() const { return pos.front(); }
    size_t len() const { return pos.size(); }
};

constexpr size_t kMaxGap = 2;
// A phrase whose words stand further apart in one sentence ("jalan di Desa Sumberjo ... rusak")
// is weaker evidence than the phrase itself; so is a duty word that names a place or a risk
// (kContextWeight of one word at most).
constexpr double kApartWeight = 0.5;
constexpr double kContextWeight = 0.5;

// Words that make the next duty word a place ("depan SD", "di pasar") rather than the thing
// complained about; and words that make it a fear ("sebelum ada kecelakaan", "rawan begal").
bool is_locative(std::string_view w) {
    static const std::set<std::string_view> k = {"di", "depan", "dekat", "deket", "samping", "sebelah",
                                                 "belakang", "seberang", "sekitar", "pinggir"};
    return k.count(w) != 0;
}
bool is_risk(std::string_view w) {
    static const std::set<std::string_view> k = {"sebelum", "rawan", "takut", "khawatir", "kuatir",
                                                 "cegah", "mencegah", "hindari", "menghindari",
                                                 "antisipasi", "berpotensi", "potensi"};
    return k.count(w) != 0;
}

// "Kec. Rembang" and "Kel. Leteh" are where the citizen lives, not the kecamatan or kelurahan
// office; the office is meant when an office or service word stands right before the marker
// ("kantor kecamatan", "pelayanan di kecamatan", "legalisasi di kecamatan") or when the person
// is named ("camat", "lurah": other words than the markers, though they share the stem).
constexpr std::string_view kAddressMarkers[] = {"kecamatan", "kelurahan"};
constexpr std::string_view kOfficeWords[] = {"kantor", "pelayanan", "layanan", "pegawai", "petugas", "staf",
                                             "pihak", "aparat", "legalisasi", "pengantar", "paten", "urus",
                                             "loket", "sekretaris"};

// Sentence ends: '!', '?', ';', a line break, and a '.' before a space, except after a single
// letter or an address or title abbreviation ("Kec. Sale", "Jl. Kartini", "dr. R. Soetrasno").
std::vector<std::string_view> split_sentences(std::string_view text) {
    static const std::set<std::string> kAbbrev = {"kec", "kab", "kel", "ds", "dsn", "dk", "jl", "jln", "gg",
                                                  "rt", "rw", "no", "dr", "drg", "ir", "prof", "bpk", "sdr",
                                                  "kh", "hj", "st", "ny", "tn", "rp", "dkk", "kp"};
    std::vector<std::string_view> out;
    size_t from = 0;
    auto cut = [&](size_t end) {
        if (end > from) out.push_back(text.substr(from, end - from));
        from = end + 1;
    };
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '!' || c == '?' || c == ';' || c == '\n') {
            cut(i);
        } else if (c == '.' && (i + 1 == text.size() || text[i + 1] == ' ')) {
            size_t b = i;
            while (b > from && std::isalpha(static_cast<unsigned char>(text[b - 1]))) --b;
            std::string word(text.substr(b, i - b));
            for (auto &ch : word) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            if (word.size() > 1 && !kAbbrev.count(word)) cut(i);
        }
    }
    cut(text.size());
    return out;
}

// SMS abbreviations of duty words that the shared normaliser does not know (it keeps to function
// words and the commonest nouns); applied before it, word by word.
std::string_view duty_slang(std::string_view w) {
    static const std::map<std::string_view, std::string_view> kExtra = {
        {"rsk", "rusak"},      {"rusk", "rusak"},     {"lubang2", "lubang"}, {"brlubang", "berlubang"},
        {"lmp", "lampu"},      {"pdm", "pdam"},       {"lstrk", "listrik"},  {"lstrik", "listrik"},
        {"sampa", "sampah"},   {"smph", "sampah"},    {"mcet", "macet"},     {"ktp-el", "ktp"},
        {"ekatepe", "ktp"},    {"katepe", "ktp"},     {"kk-nya", "kk"},      {"puskes", "puskesmas"},
        {"pkesmas", "puskesmas"}, {"skolah", "sekolah"}, {"bnsos", "bansos"}, {"bantuan2", "bantuan"},
        {"dkt", "dekat"},      {"dket", "dekat"},     {"smpng", "samping"},  {"sblh", "sebelah"},
    };
    auto it = kExtra.find(w);
    return it == kExtra.end() ? w : it->second;
}

// Evidence from duty words grows with the number of stems matched, and saturates: one word alone
// ("sampah") gives 0.67, a two-word phrase 0.8, three stems 0.86.
double evidence(double score) { return score / (score + 0.5); }

std::string join(const std::vector<std::string> &v, const char *sep) {
    std::string s;
    for (const auto &e : v) s += (s.empty() ? "" : sep) + e;
    return s;
}

std::vector<std::string> split_lines(const std::string &s) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i <= s.size()) {
        size_t j = s.find('\n', i);
        if (j == std::string::npos) j = s.size();
        if (j > i) out.push_back(s.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

} // namespace

struct Router::Impl {
    TextNormalizer norm;
    std::vector<Phrase> phrases;
    std::set<std::string> codes;
    std::optional<Classifier> model;
    std::string model_error;
    std::set<std::string> office_stems; // kOfficeWords, stemmed
    std::set<std::string> place_stems;  // names after a marker in duty phrases ("camat sale": "sale")
    std::set<std::string> duty_stems;   // every stem of every phrase

    std::vector<Token> tokenize(std::string_view text);
    std::string_view unsuffixed(std::string_view w);
};

// A duty word with the Javanese definite suffix, "-ne" after a vowel, "-e" after a consonant
// ("lampune dalan mati", "jembatane ambrol", "puskesmase tutup"): the duty word. Only here, where
// the duty words are known: the shared normaliser cannot tell such a word from an Indonesian one
// ending in "e" ("sale", "online"), which stays as it is when it is a duty word itself.
std::string_view Router::Impl::unsuffixed(std::string_view w) {
    if (w.size() < 5 || w.back() != 'e' || expand_slang(w) != w) return w;
    if (duty_stems.count(norm.stem(std::string(w)))) return w;
    auto vowel = [](char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; };
    // "-ne" after a vowel ("lampune"); else "-e" after a consonant ("jembatane" is "jembatan").
    if (w[w.size() - 2] == 'n' && vowel(w[w.size() - 3])) {
        const std::string_view root = w.substr(0, w.size() - 2);
        if (duty_stems.count(norm.stem(std::string(root)))) return root;
    }
    const std::string_view root = w.substr(0, w.size() - 1);
    return !vowel(root.back()) && duty_stems.count(norm.stem(std::string(root))) ? root : w;
}

std::vector<Token> Router::Impl::tokenize(std::string_view text) {
    std::vector<Token> out;
    const std::vector<std::string_view> sentences = split_sentences(text);
    for (size_t s = 0; s < sentences.size(); ++s) {
        std::vector<std::string> said; // every word of the sentence, function words too
        const size_t first = out.size();
        for (const auto &raw : split_words(sentences[s])) {
            const std::string_view w = unsuffixed(duty_slang(raw));
            const bool context = (!said.empty() && (is_locative(said.back()) || is_risk(said.back()))) ||
                                 (said.size() > 1 && is_risk(said[said.size() - 2]));
            if (raw == kNumberToken) {
                out.push_back({raw, raw, s, false});
            } else {
                // The shared normaliser word by word, so each token knows the words before it.
                TextNormalizer::Tokens t = norm.analyse(w);
                for (size_t i = 0; i < t.words.size(); ++i) out.push_back({t.words[i], t.stems[i], s, context});
            }
            const std::string_view e = expand_slang(w);
            said.emplace_back(e.substr(e.rfind(' ') == std::string_view::npos ? 0 : e.rfind(' ') + 1));
        }
        // Addresses: the marker and a place name after it say where, not whose duty; dropped, so
        // "jalan di Desa Sumberjo Kec. Rembang rusak" still reads "jalan ... rusak".
        std::vector<bool> drop(out.size() - first, false);
        for (size_t i = first; i < out.size(); ++i) {
            const bool marker = std::find(std::begin(kAddressMarkers), std::end(kAddressMarkers), out[i].word) !=
                                std::end(kAddressMarkers);
            if (marker && i > first && office_stems.count(out[i - 1].stem)) {
                out[i].context = false; // "pelayanan di kecamatan": the office itself, not a place
                continue;
            }
            if (!marker) continue;
            drop[i - first] = true;
            if (i + 1 < out.size() && place_stems.count(out[i + 1].stem)) drop[i + 1 - first] = true;
        }
        size_t k = first;
        for (size_t i = first; i < out.size(); ++i)
            if (!drop[i - first] && k++ != i) out[k - 1] = std::move(out[i]);
        out.resize(k);
    }
    return out;
}

Router::Router(const std::vector<AgencyDuties> &agencies, std::optional<Classifier> model)
    : impl_(std::make_unique<Impl>()) {
    for (const auto w : kOfficeWords) impl_->office_stems.insert(impl_->norm.stem(std::string(w)));
    std::set<std::string> marker_stems;
    for (const auto w : kAddressMarkers) marker_stems.insert(impl_->norm.stem(std::string(w)));
    for (const auto &a : agencies) {
        impl_->codes.insert(a.code);
        for (const auto &d : a.duties) {
            Phrase p{a.code, d, impl_->norm.tokens(d)};
            // A phrase made only of function words ("yang") or numbers ("P3K" is "p", 3, "k" to the
            // normaliser) would match nearly everything: skipped. So is a second spelling of a
            // phrase already listed ("kantor camat", "kantor kecamatan": one stem sequence).
            const bool all_numbers = std::all_of(p.stems.begin(), p.stems.end(),
                                                 [](const std::string &t) { return t == kNumberToken; });
            const bool dup = std::any_of(impl_->phrases.begin(), impl_->phrases.end(), [&](const Phrase &q) {
                return q.agency == p.agency && q.stems == p.stems;
            });
            for (size_t i = 0; i + 1 < p.stems.size(); ++i)
                if (marker_stems.count(p.stems[i])) impl_->place_stems.insert(p.stems[i + 1]);
            if (!p.stems.empty() && !all_numbers && !dup) {
                impl_->duty_stems.insert(p.stems.begin(), p.stems.end());
                impl_->phrases.push_back(std::move(p));
            }
        }
    }
    if (model && !model->empty()) impl_->model = std::move(model);
}

Router::~Router() = default;
Router::Router(Router &&) noexcept = default;
Router &Router::operator=(Router &&) noexcept = default;

Router Router::from_store(Db &db, int min_samples) {
    std::vector<AgencyDuties> agencies;
    Stmt s(db, "SELECT code, duties FROM agency WHERE active = 1 ORDER BY code");
    while (s.step()) agencies.push_back({s.str(0), split_lines(s.str(1))});
    std::optional<Classifier> model;
    std::string err;
    Stmt m(db, "SELECT data, samples FROM route_model WHERE id = 1");
    // A model learned from a handful of complaints would overrule the duty words on noise.
    if (m.step() && m.i64(1) >= min_samples) {
        try {
            model = Classifier::deserialize(m.view(0));
        } catch (const Error &e) {
            // Routing goes on with duty words; `wadul-route train` replaces the model.
            err = e.what();
        }
    }
    Router r(agencies, std::move(model));
    r.impl_->model_error = err;
    return r;
}

bool Router::has_model() const { return impl_->model.has_value(); }
const std::string &Router::model_error() const { return impl_->model_error; }

std::string_view first_chars(std::string_view text, size_t chars) {
    size_t seen = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        // A UTF-8 character starts at any byte but a continuation byte (10xxxxxx).
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && seen++ == chars) return text.substr(0, i);
    }
    return text;
}

RouteDecision Router::by_duty_words(std::string_view text) {
    const std::vector<Token> toks = impl_->tokenize(first_chars(text, kRouteReadChars));
    // Where each stem stands, ascending: a phrase's next word is a binary search away, so the
    // matching costs the text's length, not its square (a long sentence without the next word
    // was walked to its end once per occurrence of the first).
    std::unordered_map<std::string_view, std::vector<size_t>> at;
    for (size_t i = 0; i < toks.size(); ++i) at[toks[i].stem].push_back(i);
    std::vector<Match> matches;
    std::vector<const std::vector<size_t> *> where;
    for (const auto &p : impl_->phrases) {
        const size_t n = p.stems.size();
        where.clear();
        for (const auto &stem : p.stems) {
            const auto it = at.find(stem);
            if (it == at.end()) break;
            where.push_back(&it->second);
        }
        if (where.size() < n) continue; // a word of the phrase is not in the text
        for (const size_t i : *where[0]) {
            // The words of a phrase in order, the earliest of each: near when at most kMaxGap other
            // words stand between them ("jalan rsk berlubang" still says "jalan berlubang"), apart
            // when further but in the same sentence.
            Match m{{i}, true, &p};
            while (m.len() < n) {
                const auto &w = *where[m.len()];
                const auto next = std::upper_bound(w.begin(), w.end(), m.pos.back());
                if (next == w.end() || toks[*next].sentence != toks[i].sentence) break;
                m.pos.push_back(*next);
            }
            if (m.len() < n) continue;
            m.near = m.pos.back() - m.pos.front() + 1 - n <= kMaxGap;
            matches.push_back(std::move(m));
        }
    }
    // A phrase inside a longer matched phrase says less: "jalan" inside "lampu jalan" is the
    // lamp's, not the road's. Of two phrases of different agencies that claim the same word, the
    // near one beats the one apart, and of two alike the one that starts first is the head of the
    // noun phrase in Indonesian ("lampu jalan rusak" is a broken street lamp, not a broken road).
    auto within = [](const Match &o, const Match &m) {
        return std::includes(o.pos.begin(), o.pos.end(), m.pos.begin(), m.pos.end());
    };
    auto shares = [](const Match &o, const Match &m) {
        return std::find_first_of(o.pos.begin(), o.pos.end(), m.pos.begin(), m.pos.end()) != o.pos.end();
    };
    std::map<const Phrase *, const Match *> best; // per phrase, its strongest kept match
    auto weight = [&](const Match &m, bool with_context) {
        double w = static_cast<double>(m.len()) * (m.near ? 1 : kApartWeight);
        // A place or a risk counts as part of one word, however long its phrase: "depan kantor
        // kecamatan Sulang" says where, as "depan SD" does.
        return with_context && toks[m.start()].context ? std::min(w, 1.0) * kContextWeight : w;
    };
    // Both rules need the two matches to share a word, so only those are compared: per word, the
    // matches using it, in runs of one phrase. A match of the same phrase (same length, same
    // agency) never drops another, so a run of them ("jalan jalan ... jalan rusak": every "jalan"
    // starts a match ending on the one "rusak") is skipped at once rather than walked.
    struct Run {
        const Phrase *phrase;
        std::vector<size_t> matches;
    };
    std::vector<std::vector<Run>> using_word(toks.size());
    for (size_t k = 0; k < matches.size(); ++k)
        for (const size_t p : matches[k].pos) {
            auto &runs = using_word[p];
            if (runs.empty() || runs.back().phrase != matches[k].phrase) runs.push_back({matches[k].phrase, {}});
            runs.back().matches.push_back(k);
        }
    std::vector<size_t> compared(matches.size(), matches.size()); // the m it was last compared with
    for (size_t k = 0; k < matches.size(); ++k) {
        const Match &m = matches[k];
        bool drop = false;
        for (size_t p = 0; p < m.len() && !drop; ++p) {
            for (const auto &run : using_word[m.pos[p]]) {
                if (run.phrase->agency == m.phrase->agency && run.phrase->stems.size() <= m.len()) continue;
                for (const size_t j : run.matches) {
                    if (compared[j] == k) continue;
                    compared[j] = k;
                    const Match &o = matches[j];
                    if (m.near && !o.near) continue;
                    const bool contained = o.len() > m.len() && within(o, m);
                    const bool beaten = o.phrase->agency != m.phrase->agency && shares(o, m) && !within(m, o) &&
                                        ((o.near && !m.near) || o.start() < m.start());
                    if ((drop = contained || beaten)) break;
                }
                if (drop) break;
            }
        }
        if (drop) continue;
        auto &b = best[m.phrase];
        if (!b || weight(m, true) > weight(*b, true)) b = &m;
    }
    // Each agency scores the words of its distinct phrases: more and longer phrases, more weight.
    // `share` discounts places and risks, which tell how the complaint ranks among agencies;
    // `strength` does not, and says how sure the words are of any agency at all.
    struct Score {
        double share = 0, strength = 0;
        std::vector<std::string> phrases;
    };
    std::map<std::string, Score> by_agency;
    // In the registry's order: the phrases lie in one vector, so their addresses ascend.
    for (const auto &[phrase, m] : best) {
        auto &e = by_agency[m->phrase->agency];
        e.share += weight(*m, true);
        e.strength += weight(*m, false);
        std::string label = m->phrase->text;
        if (!m->near) label += " (apart)";
        if (toks[m->start()].context) label += " (context)";
        e.phrases.push_back(label);
    }
    RouteDecision d;
    if (by_agency.empty()) {
        d.reason = "no duty word matched";
        return d;
    }
    std::vector<std::pair<double, std::string>> ranked;
    for (const auto &[code, e] : by_agency) ranked.emplace_back(e.share, code);
    std::sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    const double top = ranked[0].first;
    const double second = ranked.size() > 1 ? ranked[1].first : 0;
    d.agency = ranked[0].second;
    d.confidence = evidence(by_agency[*d.agency].strength) * top / (top + second);
    if (ranked.size() == 1) {
        d.reason = "duty words: " + join(by_agency[ranked[0].second].phrases, ", ");
    } else {
        std::vector<std::string> parts;
        for (const auto &[score, code] : ranked)
            parts.push_back(fmt::format("{} ({})", code, join(by_agency[code].phrases, ", ")));
        d.reason = (top == second ? "duty words tie: " : "duty words: ") + join(parts, "; ");
    }
    return d;
}

std::optional<RouteDecision> Router::by_model(std::string_view text) const {
    if (!impl_->model) return std::nullopt;
    Prediction p = impl_->model->classify(first_chars(text, kRouteReadChars));
    RouteDecision d;
    // "no known words": the label is only the model's prior, which is not evidence about this text.
    if (p.label.empty() || p.reason.rfind("model: no known words", 0) == 0) {
        d.reason = p.reason.empty() ? "model: no prediction" : p.reason;
        return d;
    }
    if (!impl_->codes.count(p.label)) {
        // A model trained from a CSV may speak of groups that are not registered agencies.
        d.reason = fmt::format("model: '{}' is not an active agency", p.label);
        return d;
    }
    d.agency = p.label;
    d.confidence = p.confidence;
    d.reason = p.reason.empty() ? "model" : p.reason;
    return d;
}

RouteDecision Router::decide(std::string_view text) {
    RouteDecision duty = by_duty_words(text);
    const std::optional<RouteDecision> model = by_model(text);
    if (!model || !model->agency) {
        if (model) duty.reason += "; " + model->reason;
        return duty;
    }
    if (!duty.agency) {
        RouteDecision d = *model;
        d.reason = duty.reason + "; " + model->reason;
        return d;
    }
    RouteDecision d;
    if (*duty.agency == *model->agency) {
        // Two independent layers agreeing: at least as sure as either.
        d.agency = duty.agency;
        d.confidence = 1 - (1 - duty.confidence) * (1 - model->confidence);
        d.reason = duty.reason + "; " + model->reason;
        return d;
    }
    // The layers disagree: the stronger one wins, discounted by the other's conviction, so a
    // real conflict lands in triage rather than with a guessed agency.
    const bool duty_wins = duty.confidence >= model->confidence;
    const RouteDecision &win = duty_wins ? duty : *model;
    const RouteDecision &lose = duty_wins ? *model : duty;
    d.agency = win.agency;
    d.confidence = win.confidence * (1 - lose.confidence);
    d.reason = fmt::format("layers disagree: {} → {} ({:.2f}), {} → {} ({:.2f})", duty.reason, *duty.agency,
                           duty.confidence, model->reason, *model->agency, model->confidence);
    return d;
}

std::string decision_detail(const RouteDecision &d) {
    return fmt::format("confidence={:.2f}; {}", d.confidence, d.reason);
}

namespace {

struct Pending {
    std::int64_t id;
    std::string ticket, text;
    bool reread = false;      // in triage: read again for its follow-ups
    std::int64_t seen = 0;    // its latest event when read: anything newer, and the decision waits
};

// Complaints in triage that the router put there, that no officer refused and no admin touched,
// with a follow-up newer than the router's last reading (its `triaged` event or a re-read note):
// the greeting sent first ("Assalamualaikum pak"), the complaint itself a minute later.
constexpr const char *kRereadSql = R"sql(
SELECT c.id, c.ticket, c.text FROM complaint c
WHERE c.status = 'triage'
  AND (SELECT e.kind || ' ' || e.actor FROM event e WHERE e.complaint_id = c.id
       AND e.kind IN ('triaged', 'refused', 'routed', 'assigned') ORDER BY e.id DESC LIMIT 1) = 'triaged system'
  AND NOT EXISTS (SELECT 1 FROM event e WHERE e.complaint_id = c.id AND e.actor LIKE 'admin:%')
  AND (SELECT max(e.id) FROM event e WHERE e.complaint_id = c.id AND e.kind = 'followup') >
      (SELECT max(e.id) FROM event e WHERE e.complaint_id = c.id AND (e.kind = 'triaged' OR
       e.kind = 'note' AND e.actor = 'system' AND substr(e.detail, 1, ?) = ?))
ORDER BY c.received_at, c.id
)sql";

std::int64_t latest_event_id(Db &db, std::int64_t complaint) {
    Stmt s(db, "SELECT coalesce(max(id), 0) FROM event WHERE complaint_id = ?");
    s.args(complaint);
    s.step();
    return s.i64(0);
}

std::optional<std::int64_t> agency_id(Db &db, const std::string &code) {
    Stmt s(db, "SELECT id FROM agency WHERE code = ? AND active = 1");
    s.args(code);
    if (!s.step()) return std::nullopt;
    return s.i64(0);
}

} // namespace

RouteRun route_pending(Db &db, const Config &cfg, Timestamp now, Log &log) {
    RouteRun run;
    auto retrain = [&](const char *why) {
        const TrainResult t = train_from_store(db, now);
        if (!t.stored) return false;
        run.retrained = true;
        run.train_samples = t.samples;
        log.info("router retrained on {} confirmed complaints, {} agencies{}", t.samples, t.labels, why);
        return true;
    };
    if (cfg.route.learn && learning_due(db, now, cfg.route.retrain_every)) retrain("");
    Router router = Router::from_store(db, cfg.route.min_samples);
    // A model this wadul cannot read (an older format after an upgrade) is rebuilt from the
    // store's own confirmed history rather than left to warn every run.
    if (!router.model_error().empty() && cfg.route.learn && !run.retrained &&
        retrain(": the stored model was unusable"))
        router = Router::from_store(db, cfg.route.min_samples);
    if (!router.model_error().empty())
        log.warn("the stored routing model is unusable ({}); routing by duty words only until 'wadul-route train'",
                 router.model_error());

    std::vector<Pending> pending;
    {
        Stmt s(db, "SELECT id, ticket, text FROM complaint WHERE status = 'received' ORDER BY received_at, id");
        while (s.step()) pending.push_back({s.i64(0), s.str(1), s.str(2)});
        Stmt r(db, kRereadSql);
        r.args(static_cast<std::int64_t>(kRereadNote.size()), std::string(kRereadNote));
        while (r.step()) pending.push_back({r.i64(0), r.str(1), r.str(2), true});
    }
    for (auto &c : pending) {
        // Outside the transaction: no lock held while thinking. The latest event first, so a
        // follow-up stored meanwhile shows as a newer event and the decision waits for the next run.
        c.seen = latest_event_id(db, c.id);
        const std::vector<std::string> more = complaint_followups(db, c.id);
        RouteDecision d = router.decide(routing_text(c.text, more));
        if (!more.empty())
            d.reason = fmt::format("{} follow-up SMS read with the text; {}", more.size(), d.reason);
        Tx tx(db);
        Stmt still(db, "SELECT 1 FROM complaint WHERE id = ? AND status = ?");
        still.args(c.id, c.reread ? "triage" : "received");
        if (!still.step() || latest_event_id(db, c.id) != c.seen) continue; // another run or an admin got there first
        std::optional<std::int64_t> aid = d.agency ? agency_id(db, *d.agency) : std::nullopt;
        if (aid && d.confidence >= cfg.route.threshold) {
            append_event(db, {c.id, now, "routed", "system", aid, std::nullopt, decision_detail(d)});
            ++run.routed;
            log.info("{}: routed to {} ({})", c.ticket, *d.agency, decision_detail(d));
        } else {
            std::string detail = decision_detail(d);
            if (d.agency && d.confidence < cfg.route.threshold)
                detail = fmt::format("confidence={:.2f} below threshold {:.2f}; best guess {}; {}", d.confidence,
                                     cfg.route.threshold, *d.agency, d.reason);
            if (c.reread) {
                // Still unsure: a note rather than a second `triaged` event, which would restart
                // the triage stage's SLA clock; it also marks these follow-ups as read.
                append_event(db, {c.id, now, "note", "system", std::nullopt, std::nullopt,
                                  std::string(kRereadNote) + detail});
                ++run.reread;
                log.info("{}: still in triage ({})", c.ticket, detail);
            } else {
                append_event(db, {c.id, now, "triaged", "system", std::nullopt, std::nullopt, detail});
                ++run.triaged;
                log.info("{}: to triage ({})", c.ticket, detail);
            }
        }
        tx.commit();
    }
    return run;
}

std::string routing_text(const std::string &text, const std::vector<std::string> &followups) {
    std::string out = text;
    for (const auto &f : followups) out += "\n" + f;
    return out;
}

std::vector<std::pair<std::string, std::string>> confirmed_samples(Db &db) {
    // The latest of the events that confirm or deny an agency, per complaint. An officer's own
    // acceptance or answer counts only for the agency they served at the time of the event.
    Stmt s(db, R"sql(
WITH verdict AS (
  SELECT e.complaint_id, e.id, e.kind,
         CASE WHEN e.kind IN ('assigned') THEN e.agency_id
              ELSE coalesce(o.agency_id, e.agency_id) END AS agency_id
  FROM event e LEFT JOIN officer o ON o.id = e.officer_id
  WHERE e.complaint_id IS NOT NULL
    AND (e.kind = 'assigned' AND e.actor LIKE 'admin:%'
         OR e.kind IN ('accepted', 'answered', 'refused'))
), latest AS (
  SELECT v.* FROM verdict v
  WHERE v.id = (SELECT max(id) FROM verdict w WHERE w.complaint_id = v.complaint_id)
)
SELECT c.text, a.code FROM latest l
JOIN complaint c ON c.id = l.complaint_id
JOIN agency a ON a.id = l.agency_id
WHERE l.kind <> 'refused'
ORDER BY c.id
)sql");
    std::vector<std::pair<std::string, std::string>> out;
    while (s.step()) out.emplace_back(s.str(0), s.str(1));
    return out;
}

TrainResult train_and_store(Db &db, const std::vector<std::pair<std::string, std::string>> &samples, Timestamp now,
                            const std::string &source) {
    TrainResult r;
    r.source = source;
    r.samples = static_cast<int>(samples.size());
    std::set<std::string> labels;
    for (const auto &s : samples) labels.insert(s.second);
    r.labels = static_cast<int>(labels.size());
    // One agency alone teaches nothing about choosing between agencies.
    if (r.labels < 2) return r;
    Classifier model;
    model.train(samples);
    const std::string data = model.serialize();
    Tx tx(db);
    Stmt(db, "INSERT INTO route_model(id, trained_at, samples, data) VALUES (1, ?, ?, ?) "
             "ON CONFLICT(id) DO UPDATE SET trained_at = excluded.trained_at, samples = excluded.samples, "
             "data = excluded.data")
        .args(now, r.samples)
        .bind_blob(3, data.data(), data.size())
        .run();
    append_event(db, {std::nullopt, now, "note", "system", std::nullopt, std::nullopt,
                      fmt::format("routing model trained from {}: {} samples, {} agencies", source, r.samples,
                                  r.labels)});
    tx.commit();
    r.stored = true;
    return r;
}

TrainResult train_from_store(Db &db, Timestamp now) {
    return train_and_store(db, confirmed_samples(db), now, "the store's confirmed complaints");
}

bool learning_due(Db &db, Timestamp now, int min_minutes) {
    std::optional<Timestamp> trained;
    {
        Stmt m(db, "SELECT trained_at FROM route_model WHERE id = 1");
        if (m.step()) trained = m.i64(0);
    }
    if (trained && min_minutes > 0 && now < *trained + static_cast<Timestamp>(min_minutes) * 60) return false;
    // EXISTS: one confirmation is enough; no need to count them all on every cron tick.
    Stmt s(db, "SELECT EXISTS (SELECT 1 FROM event WHERE complaint_id IS NOT NULL AND at > ? AND "
               "(kind = 'assigned' AND actor LIKE 'admin:%' OR kind IN ('accepted', 'answered', 'refused')))");
    s.args(trained.value_or(std::numeric_limits<Timestamp>::min()));
    s.step();
    return s.i64(0) > 0;
}

} // namespace wadul
