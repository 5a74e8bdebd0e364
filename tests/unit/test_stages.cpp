// One stage machine for wadul-sla and wadul-report: for the same store and moment, the complaints
// `wadul-sla status` shows overdue are the ones the monthly report lists as open and overdue,
// with the same stage and deadline; and the deadlines of the cases where the report's old rules
// differed from the SOP as wadul-sla(1) documents it, worked out by hand.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>

#include "wadul/calendar.hpp"
#include "wadul/complaint.hpp"
#include "wadul/config.hpp"
#include "wadul/report_stats.hpp"
#include "wadul/sla.hpp"
#include "wadul/stages.hpp"
#include "wadul/store.hpp"

using namespace wadul;

namespace {

Timestamp T(int mo, int d, int h, int mi = 0, int s = 0) { return from_civil(2026, mo, d, h, mi, s); }

const Month kNov{2026, 11};

// Office hours Monday to Thursday 07:00-15:30, Friday 07:00-11:30; no holidays. 1 November 2026
// is a Sunday.
Calendar make_calendar() {
    OfficeHours h[7];
    for (int d = 1; d <= 4; ++d) h[d] = {7 * 60, 15 * 60 + 30};
    h[5] = {7 * 60, 11 * 60 + 30};
    return Calendar(h, {});
}

struct Store {
    Db db = Db::memory();
    Config cfg = default_config();
    Calendar cal = make_calendar();
    std::map<std::string, std::int64_t> cid;
    std::map<std::string, std::string> ticket;
    std::map<std::string, std::string> key_of; // ticket → key

    Store() {
        db.exec("INSERT INTO agency(id, code, name, kind) VALUES (1, 'DINKES', 'Dinas Kesehatan', 'opd'), "
                "(2, 'DPU', 'Dinas Pekerjaan Umum', 'opd')");
    }
    void complaint(const std::string &key, Timestamp at) {
        Tx tx(db);
        NewComplaint c;
        c.reporter = "+6285700000000";
        c.text = "jalan rusak";
        c.received_at = at;
        const auto ref = create_complaint(db, c);
        tx.commit();
        cid[key] = ref.id;
        ticket[key] = ref.ticket;
        key_of[ref.ticket] = key;
    }
    void ev(const std::string &key, Timestamp at, const char *kind, std::optional<std::int64_t> agency = std::nullopt) {
        Tx tx(db);
        append_event(db, {cid.at(key), at, kind, "system", agency, std::nullopt, std::nullopt});
        tx.commit();
    }

    struct Due {
        Stage stage;
        Timestamp due;
        bool operator==(const Due &o) const { return stage == o.stage && due == o.due; }
    };
    // key → (stage, deadline) of every complaint `wadul-sla status` shows overdue at `now`.
    std::map<std::string, Due> sla_overdue(Timestamp now) {
        std::map<std::string, Due> out;
        for (const auto &r : status_rows(db, cal, cfg, now))
            if (r.overdue) out[key_of.at(r.clock.ticket)] = {r.clock.stage, *r.clock.deadline};
        return out;
    }
    // The same from the monthly report's list of complaints open and overdue at the month's end.
    std::map<std::string, Due> report_overdue(Month m) {
        std::map<std::string, Due> out;
        for (const auto &o : build_monthly_report(db, cfg, cal, m).overdue) out[key_of.at(o.ticket)] = {o.stage, o.due};
        return out;
    }
};

// Printable for doctest's failure messages.
std::string show(const std::map<std::string, Store::Due> &m) {
    std::string s;
    for (const auto &[k, d] : m) s += k + ":" + stage_name(d.stage) + "@" + format_wib(d.due) + " ";
    return s;
}

} // namespace

TEST_CASE("wadul-sla and the report agree on what is overdue, on hand-made cases") {
    Store s;
    const Timestamp end = kNov.end();
    // r1: routed Monday 30 November 09:00, its forward SMS never sent (the modem down): the
    // agency does not have it, its disposition clock has not started: no deadline, not overdue.
    // (It used to run from the routing: due 09:30, overdue, charged to the agency.)
    s.complaint("r1", T(11, 30, 8, 59));
    s.ev("r1", T(11, 30, 9), "routed", 1);
    // r12: routed Monday 30 November 09:00, the forward sent at 13:00 when the modem came back:
    // the 30 minutes run from the send, due 13:30, overdue at the month's end.
    s.complaint("r12", T(11, 30, 8, 59));
    s.ev("r12", T(11, 30, 9), "routed", 1);
    s.ev("r12", T(11, 30, 13), "forwarded", 1);
    // r2: routed Thursday 26 November 09:00, forwarded 09:05 (due 09:35), then at 10:00, after
    // the deadline, the officer waits on the citizen and the pause never ends. A pause after the
    // deadline does not undo the breach: still overdue, due 09:35. (The report used to move the
    // deadline by every paused hour up to the month's end, so it was not overdue.)
    s.complaint("r2", T(11, 26, 8, 59));
    s.ev("r2", T(11, 26, 9), "routed", 1);
    s.ev("r2", T(11, 26, 9, 5), "forwarded", 1);
    s.ev("r2", T(11, 26, 10), "paused");
    // r3: received Thursday 26 November and never routed: no stage has started, no deadline.
    // (The report used to give it sla.triage_days from its arrival: overdue since Friday.)
    s.complaint("r3", T(11, 26, 9));
    // r4: paused before its deadline and never resumed: the clock is stopped, not overdue.
    s.complaint("r4", T(11, 30, 8, 59));
    s.ev("r4", T(11, 30, 9), "routed", 2);
    s.ev("r4", T(11, 30, 9), "forwarded", 2);
    s.ev("r4", T(11, 30, 9, 10), "paused");
    // r5: paused 09:10-09:50 within the disposition: due 09:30 + 40 min = 10:10, overdue.
    s.complaint("r5", T(11, 30, 8, 59));
    s.ev("r5", T(11, 30, 9), "routed", 2);
    s.ev("r5", T(11, 30, 9), "forwarded", 2);
    s.ev("r5", T(11, 30, 9, 10), "paused");
    s.ev("r5", T(11, 30, 9, 50), "resumed");
    // r6: REVISI Friday 27 November 10:00: the answer again, with answer_days (1) only: due
    // Monday 30 November 10:00, overdue.
    s.complaint("r6", T(11, 23, 8));
    s.ev("r6", T(11, 23, 8, 1), "routed", 1);
    s.ev("r6", T(11, 23, 8, 10), "accepted", 1);
    s.ev("r6", T(11, 26, 8), "answered", 1);
    s.ev("r6", T(11, 27, 10), "revision", 1);
    // r7: SETUJU Friday 27 November 08:00: follow-up due Monday 30 November 08:00, overdue.
    s.complaint("r7", T(11, 23, 8));
    s.ev("r7", T(11, 23, 8, 1), "routed", 1);
    s.ev("r7", T(11, 23, 8, 10), "accepted", 1);
    s.ev("r7", T(11, 26, 8), "answered", 1);
    s.ev("r7", T(11, 27, 8), "approved", 1);
    // r8: triaged Monday 30 November 07:10, assigned and forwarded at 07:30: disposition due
    // 08:00, overdue.
    s.complaint("r8", T(11, 30, 7));
    s.ev("r8", T(11, 30, 7, 10), "triaged");
    s.ev("r8", T(11, 30, 7, 30), "assigned", 2);
    s.ev("r8", T(11, 30, 7, 30), "forwarded", 2);
    // r9: TOLAK Monday 30 November 10:00: back in triage, due Tuesday 10:00, not overdue.
    s.complaint("r9", T(11, 30, 8));
    s.ev("r9", T(11, 30, 8, 1), "routed", 1);
    s.ev("r9", T(11, 30, 8, 20), "accepted", 1);
    s.ev("r9", T(11, 30, 10), "refused", 1);
    // r10: closed without an answer after its disposition ran out: no longer anyone's.
    s.complaint("r10", T(11, 30, 8));
    s.ev("r10", T(11, 30, 8, 1), "routed", 1);
    s.ev("r10", T(11, 30, 9), "closed");
    // r11: answered Friday 27 November 11:00: approval due Monday 30 November 11:00 (1 working
    // day keeps the clock time), overdue.
    s.complaint("r11", T(11, 26, 8));
    s.ev("r11", T(11, 26, 8, 1), "routed", 1);
    s.ev("r11", T(11, 26, 8, 10), "accepted", 1);
    s.ev("r11", T(11, 27, 11), "answered", 1);

    const std::map<std::string, Store::Due> expected = {
        {"r12", {Stage::disposition, T(11, 30, 13, 30)}}, {"r2", {Stage::disposition, T(11, 26, 9, 35)}},
        {"r5", {Stage::disposition, T(11, 30, 10, 10)}}, {"r6", {Stage::answer, T(11, 30, 10)}},
        {"r7", {Stage::followup, T(11, 30, 8)}},         {"r8", {Stage::disposition, T(11, 30, 8)}},
        {"r11", {Stage::approval, T(11, 30, 11)}},
    };
    const auto sla = s.sla_overdue(end);
    const auto report = s.report_overdue(kNov);
    CAPTURE(show(sla));
    CAPTURE(show(report));
    CHECK(sla == expected);
    CHECK(report == expected);

    SUBCASE("with sla.pause_on_citizen off, pauses stop no clock in either tool") {
        // r4 is then due 09:30 like any forwarding; r5 loses its 40 paused minutes: due 09:30.
        s.cfg.sla.pause_on_citizen = false;
        auto want = expected;
        want["r4"] = {Stage::disposition, T(11, 30, 9, 30)};
        want["r5"] = {Stage::disposition, T(11, 30, 9, 30)};
        CHECK(s.sla_overdue(end) == want);
        CHECK(s.report_overdue(kNov) == want);
    }
}

TEST_CASE("wadul-sla and the report agree on generated event logs") {
    // Complaints walk the status machine of complaint.hpp with pseudo-random steps, delays and
    // pauses, all before the month's end; both tools must then name the same overdue set.
    Store s;
    std::uint64_t seed = 0x9e3779b97f4a7c15ULL;
    auto rnd = [&](std::uint64_t n) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        return (seed >> 33) % n;
    };
    const Timestamp end = kNov.end();
    int overdue_seen = 0;
    for (int i = 0; i < 300; ++i) {
        const std::string key = "g" + std::to_string(i);
        Timestamp at = T(11, 16, 0) + static_cast<Timestamp>(rnd(14 * 86400));
        s.complaint(key, at);
        std::string state = "received";
        std::int64_t agency = 1;
        bool paused = false;
        for (int step = 0; step < 8; ++step) {
            at += 60 + static_cast<Timestamp>(rnd(rnd(2) ? 3600 : 2 * 86400));
            if (at >= end || rnd(6) == 0) break;
            if (rnd(5) == 0) {
                s.ev(key, at, paused ? "resumed" : "paused");
                paused = !paused;
                continue;
            }
            const std::uint64_t r = rnd(10);
            const char *kind = nullptr;
            std::optional<std::int64_t> ag;
            if (state == "received") {
                kind = r < 7 ? "routed" : "triaged";
            } else if (state == "triage") {
                kind = r < 8 ? "assigned" : "closed";
                agency = 1 + static_cast<std::int64_t>(rnd(2));
            } else if (state == "routed" || state == "forwarded") {
                kind = r < 3 ? "forwarded" : r < 7 ? "accepted" : r < 8 ? "refused" : r < 9 ? "assigned" : "closed";
                if (std::string(kind) == "assigned") agency = 3 - agency;
            } else if (state == "accepted") {
                kind = r < 8 ? "answered" : "closed";
            } else if (state == "answered") {
                kind = r < 6 ? "approved" : "revision";
            } else if (state == "approved") {
                kind = "delivered";
            } else {
                break; // closed
            }
            const std::string k = kind;
            if (k != "triaged" && k != "closed" && k != "delivered") ag = agency;
            s.ev(key, at, kind, ag);
            state = *status_after(k);
        }
    }
    const auto sla = s.sla_overdue(end);
    const auto report = s.report_overdue(kNov);
    overdue_seen = static_cast<int>(sla.size());
    CAPTURE(show(sla));
    CAPTURE(show(report));
    CHECK(sla == report);
    // The generator must exercise the comparison: some overdue, not all.
    CHECK(overdue_seen > 20);
    CHECK(overdue_seen < 250);
}

TEST_CASE("the stage machine and the deadlines on their own") {
    const Calendar cal = make_calendar();
    const Config cfg = default_config();
    const Deadlines dl(cal, cfg);
    StageMachine m(true);
    m.apply(T(11, 2, 8), EventKind::Received, std::nullopt);
    CHECK(m.current() == nullptr);
    CHECK_FALSE(m.closed());
    m.apply(T(11, 2, 8, 1), EventKind::Routed, 1, 11);
    // Routed, the forward SMS not sent yet: the disposition is there, its clock is not running.
    REQUIRE(m.current());
    CHECK(m.current()->stage == Stage::disposition);
    CHECK(m.current()->unsent);
    CHECK(m.current()->started == T(11, 2, 8, 1));
    CHECK_FALSE(dl.due(*m.current(), m.pauses_in(*m.current())));
    // A forward sent late for another agency (an earlier routing) starts nothing.
    m.apply(T(11, 2, 8, 5), EventKind::Forwarded, 2);
    CHECK(m.current()->unsent);
    // The first forward to an officer of the agency, 49 minutes later: the clock runs from it.
    m.apply(T(11, 2, 8, 50), EventKind::Forwarded, 1, 12);
    REQUIRE(m.current());
    CHECK(m.current()->stage == Stage::disposition);
    CHECK_FALSE(m.current()->unsent);
    CHECK(m.current()->started == T(11, 2, 8, 50));
    CHECK(m.current()->start_event == 11); // still the routing: the sweep's dedupe keys name it
    CHECK(*dl.due(*m.current(), m.pauses_in(*m.current())) == T(11, 2, 9, 20));
    // The head's copy a minute later moves nothing.
    m.apply(T(11, 2, 8, 51), EventKind::Forwarded, 1, 13);
    CHECK(m.current()->started == T(11, 2, 8, 50));
    CHECK(m.spans().size() == 1);
    m.apply(T(11, 2, 9), EventKind::Refused, 1);
    REQUIRE(m.current());
    CHECK(m.current()->stage == Stage::triage);
    CHECK_FALSE(m.current()->agency_id);
    // Friday 13:00 is after closing (11:30): the clock starts at the next opening, Monday 07:00,
    // and 1 working day is all of Monday's office time. wadul-sla(1): "a deadline that uses up a
    // day's office time exactly is that day's closing time": Monday 15:30, not Tuesday 07:00
    // (the same office instant; the report used to print the latter).
    StageSpan fri;
    fri.stage = Stage::triage;
    fri.started = T(11, 6, 13);
    CHECK(*dl.due(fri, {}) == T(11, 9, 15, 30));
    m.apply(T(11, 2, 10), EventKind::Assigned, 2);
    m.apply(T(11, 2, 10, 5), EventKind::Accepted, std::nullopt);
    REQUIRE(m.current());
    CHECK(m.current()->stage == Stage::answer);
    CHECK(*m.current()->agency_id == 2);
    CHECK_FALSE(m.current()->rework);
    m.apply(T(11, 3, 8), EventKind::Paused, std::nullopt);
    CHECK(m.paused_at(T(11, 3, 8)));
    CHECK_FALSE(dl.due(*m.current(), m.pauses_in(*m.current()))); // stopped
    m.apply(T(11, 3, 10), EventKind::Resumed, std::nullopt);
    // Monday 10:05 + 3 working days = Thursday 10:05, plus the 2 paused office hours.
    CHECK(*dl.due(*m.current(), m.pauses_in(*m.current())) == T(11, 5, 12, 5));
    m.apply(T(11, 4, 9), EventKind::Answered, std::nullopt);
    m.apply(T(11, 4, 10), EventKind::Revision, std::nullopt);
    REQUIRE(m.current());
    CHECK(m.current()->rework);
    CHECK(*dl.due(*m.current(), m.pauses_in(*m.current())) == T(11, 5, 10)); // answer_days only
    m.apply(T(11, 4, 11), EventKind::Closed, std::nullopt);
    CHECK(m.closed());
    CHECK(m.current() == nullptr);
    CHECK(m.spans().size() == 6); // disposition, triage, disposition, answer, approval, answer
}
