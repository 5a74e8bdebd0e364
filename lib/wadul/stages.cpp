#include "wadul/stages.hpp"

#include <algorithm>
#include <utility>

namespace wadul {

const char *stage_name(Stage s) {
    switch (s) {
    case Stage::triage: return "triage";
    case Stage::disposition: return "disposition";
    case Stage::answer: return "answer";
    case Stage::approval: return "approval";
    case Stage::followup: return "followup";
    }
    return "?";
}

const char *stage_name_id(Stage s) {
    switch (s) {
    case Stage::triage: return "penelaahan admin portal";
    case Stage::disposition: return "disposisi Kepala OPD (TERIMA)";
    case Stage::answer: return "telaah dan jawaban (JAWAB)";
    case Stage::approval: return "persetujuan Kepala OPD (SETUJU)";
    case Stage::followup: return "tindak lanjut ke admin portal";
    }
    return "?";
}

const char *stage_label(Stage s) {
    switch (s) {
    case Stage::triage: return "Triase admin portal";
    case Stage::disposition: return "Disposisi";
    case Stage::answer: return "Telaah dan jawaban";
    case Stage::approval: return "Persetujuan Ka. OPD";
    case Stage::followup: return "Tindak lanjut";
    }
    return "?";
}

EventKind event_kind(std::string_view k) {
    static const std::pair<std::string_view, EventKind> kKinds[] = {
        {"received", EventKind::Received},   {"routed", EventKind::Routed},       {"triaged", EventKind::Triaged},
        {"assigned", EventKind::Assigned},   {"forwarded", EventKind::Forwarded}, {"accepted", EventKind::Accepted},
        {"answered", EventKind::Answered},   {"revision", EventKind::Revision},   {"approved", EventKind::Approved},
        {"refused", EventKind::Refused},     {"delivered", EventKind::Delivered}, {"closed", EventKind::Closed},
        {"paused", EventKind::Paused},       {"resumed", EventKind::Resumed},     {"reminded", EventKind::Reminded},
        {"escalated", EventKind::Escalated}, {"breached", EventKind::Breached},
    };
    for (const auto &[name, kind] : kKinds)
        if (name == k) return kind;
    return EventKind::Other;
}

void StageMachine::apply(Timestamp at, EventKind kind, std::optional<std::int64_t> agency_id, std::int64_t event_id) {
    if (kind == EventKind::Paused || kind == EventKind::Resumed) {
        if (!pause_on_citizen_) return;
        const bool paused = !pauses_.empty() && !pauses_.back().to;
        if (kind == EventKind::Paused && !paused) pauses_.push_back({at, std::nullopt});
        if (kind == EventKind::Resumed && paused) pauses_.back().to = at;
        return;
    }
    if (kind == EventKind::Forwarded) {
        // The forward SMS reached an officer of the agency that holds the disposition: its clock
        // starts now. A forward for another agency (sent late, after a re-routing) starts nothing.
        if (!running_) return;
        StageSpan &cur = spans_.back();
        if (cur.stage != Stage::disposition || !cur.unsent) return;
        if (agency_id && cur.agency_id && *agency_id != *cur.agency_id) return;
        cur.unsent = false;
        cur.started = std::max(cur.started, at);
        return;
    }
    std::optional<Stage> starts;
    switch (kind) {
    case EventKind::Triaged:
    case EventKind::Refused: starts = Stage::triage; break;
    case EventKind::Routed:
    case EventKind::Assigned: starts = Stage::disposition; break;
    case EventKind::Accepted:
    case EventKind::Revision: starts = Stage::answer; break;
    case EventKind::Answered: starts = Stage::approval; break;
    case EventKind::Approved: starts = Stage::followup; break;
    case EventKind::Delivered:
    case EventKind::Closed: break;
    default: return; // changes no stage: received, followup, ...
    }
    // Every kind left here changes the status, so it ends the running stage.
    if (running_) spans_.back().ended = at;
    running_ = false;
    // routed/assigned name the agency and later events may repeat it; triage has none.
    if (agency_id) agency_ = agency_id;
    if (starts == Stage::triage) agency_.reset();
    closed_ = !starts;
    if (!starts) return;
    StageSpan s;
    s.stage = *starts;
    s.rework = kind == EventKind::Revision;
    s.start_event = event_id;
    s.started = at;
    s.agency_id = agency_;
    s.unsent = *starts == Stage::disposition;
    spans_.push_back(s);
    running_ = true;
}

std::vector<Pause> StageMachine::pauses_in(const StageSpan &s) const {
    std::vector<Pause> mine;
    for (const auto &p : pauses_) {
        if (s.ended && p.from >= *s.ended) break;
        Pause q = p;
        if (s.ended && (!q.to || *q.to > *s.ended)) q.to = *s.ended;
        mine.push_back(q);
    }
    return mine;
}

Deadlines::Deadlines(const Calendar &cal, const Config &cfg)
    : cal_(cal), disposition_minutes_(cfg.sla.disposition_minutes), triage_days_(cfg.sla.triage_days),
      review_days_(cfg.sla.review_days), answer_days_(cfg.sla.answer_days), approval_days_(cfg.sla.approval_days),
      followup_days_(cfg.sla.followup_days) {}

std::int64_t Deadlines::limit(Stage s, Timestamp start, bool rework) const {
    double days = 0;
    switch (s) {
    case Stage::disposition: return std::int64_t{disposition_minutes_} * 60;
    case Stage::triage: days = triage_days_; break;
    // The review (telaah) is done once: a revision sent back by the head restarts the answer only.
    case Stage::answer: days = rework ? answer_days_ : review_days_ + answer_days_; break;
    case Stage::approval: days = approval_days_; break;
    case Stage::followup: days = followup_days_; break;
    }
    // In office seconds, so that a pause moves the deadline by the office time it took.
    return cal_.working_seconds(start, cal_.add_working_days(start, days));
}

std::optional<Timestamp> Deadlines::after(Timestamp start, std::int64_t offset, const std::vector<Pause> &pauses) const {
    Timestamp d = cal_.add_working_seconds(start, offset);
    for (const auto &p : pauses) {
        const Timestamp a = std::max(p.from, start);
        if (a >= d) break; // the pause began after the time ran out: it changes nothing
        if (!p.to) return std::nullopt;
        if (*p.to > a) d = cal_.add_working_seconds(d, cal_.working_seconds(a, *p.to));
    }
    return d;
}

} // namespace wadul
