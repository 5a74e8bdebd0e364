// Routing: which agency a complaint concerns, how sure we are, and why; the cron step that routes
// every new complaint or sends it to the admin's triage queue; learning from confirmed agencies.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wadul/classifier.hpp"
#include "wadul/clock.hpp"
#include "wadul/textnorm.hpp"

namespace wadul {

class Db;
class Log;
struct Config;

// One agency as the router sees it: its code and its duty phrases (tupoksi) as written.
struct AgencyDuties {
    std::string code;
    std::vector<std::string> duties;
};

struct RouteDecision {
    std::optional<std::string> agency; // agency code; nullopt when nothing points anywhere
    double confidence = 0;             // 0..1, compared with route.threshold
    std::string reason;                // for the event log, e.g. "duty words: lampu jalan"
};

// The router reads a complaint's first kRouteReadChars characters (code points) only: enough for
// any complaint a person writes (the portal refuses longer texts, a 65-part SMS has as many), while
// a pasted book or a 255-part SMS costs no more to route than that. The whole text stays stored.
constexpr size_t kRouteReadChars = 10000;

// `text` cut after its first `chars` UTF-8 characters (never inside one).
std::string_view first_chars(std::string_view text, size_t chars);

// The two layers together: the registry's duty words (work from day one) and the learned
// classifier (when one is trained). One object serves many complaints; not thread-safe.
class Router {
public:
    explicit Router(const std::vector<AgencyDuties> &agencies, std::optional<Classifier> model = std::nullopt);
    ~Router();
    Router(Router &&) noexcept;
    Router &operator=(Router &&) noexcept;

    // Active agencies and the stored model (a damaged model is set aside: `model_error` says why).
    // The registry's duty words and the stored model; a model trained on fewer than
    // `min_samples` confirmed complaints is left out (route.min_samples).
    static Router from_store(Db &db, int min_samples = 0);

    // Each reads only first_chars(text, kRouteReadChars).
    RouteDecision decide(std::string_view text);
    // The duty-word layer alone, and the model alone (nullopt when no model), for tests and `explain`.
    RouteDecision by_duty_words(std::string_view text);
    std::optional<RouteDecision> by_model(std::string_view text) const;

    bool has_model() const;
    const std::string &model_error() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// "confidence=0.87; duty words: lampu jalan": the detail of a routed or triaged event.
std::string decision_detail(const RouteDecision &d);

struct RouteRun {
    int routed = 0, triaged = 0;
    int reread = 0; // complaints in triage read again for their follow-ups and left there
    bool retrained = false;
    int train_samples = 0;
};

// What the router reads of a complaint: its text, then each follow-up on a line of its own (a line
// break ends a sentence, so no phrase is matched across two SMS).
std::string routing_text(const std::string &text, const std::vector<std::string> &followups);

// The start of the detail of the `note` the cron step leaves when it read a triaged complaint's
// follow-ups and still found no agency; the decision's detail follows.
inline constexpr std::string_view kRereadNote = "follow-ups read, still in triage: ";

// The cron step. When route.learn is on and complaints were confirmed since the model was trained,
// retrains first. Then every complaint in status 'received' gets a `routed` event (agency, detail
// with confidence and reason) when the confidence reaches route.threshold, else a `triaged` event
// with the reason; each in its own short transaction, so a re-run only sees what is still new.
// The router reads the complaint's text with its follow-ups (routing_text). A complaint the router
// itself sent to triage, that no admin has acted on, is read again once a follow-up arrives after
// the last reading: routed when sure now, else it stays (a `note` starting kRereadNote, so the
// same follow-ups are not read again). Complaints an officer refused stay in triage: only the
// admin moves them on.
RouteRun route_pending(Db &db, const Config &cfg, Timestamp now, Log &log);

// Labelled examples from the store: for each complaint, its latest confirmation — an admin's
// `assigned`, or an officer's `accepted`/`answered` for their own agency — unless an officer of
// that agency refused it afterwards. Labels are agency codes.
std::vector<std::pair<std::string, std::string>> confirmed_samples(Db &db);

struct TrainResult {
    int samples = 0, labels = 0;
    bool stored = false; // false: too little to learn from (fewer than two agencies)
    std::string source;
};

// Trains on the store's confirmed history (or on `samples` when given, e.g. from a CSV) and
// stores the model in route_model with trained_at = now.
TrainResult train_from_store(Db &db, Timestamp now);
TrainResult train_and_store(Db &db, const std::vector<std::pair<std::string, std::string>> &samples,
                            Timestamp now, const std::string &source);

// True when complaints were confirmed after the stored model was trained (or none is stored and
// some exist): the cron run then retrains. With `min_minutes` > 0, not before the stored model is
// that old at `now`: cron runs every few minutes, and a year of history takes a while to learn.
bool learning_due(Db &db, Timestamp now = 0, int min_minutes = 0);

} // namespace wadul
