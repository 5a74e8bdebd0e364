#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "wadul/calendar.hpp"
#include "wadul/complaint.hpp"
#include "wadul/config.hpp"
#include "wadul/outbox.hpp"
#include "wadul/sla.hpp"
#include "wadul/store.hpp"

using namespace wadul;

namespace {

Timestamp T(const char *wib) {
    auto t = parse_iso8601(wib);
    REQUIRE(t);
    return *t;
}

// A store with one agency (DPU: liaison and head in post, a former liaison), the default
// configuration (Rembang's hours: Mon-Thu 07-14, Fri 07-11, Sat 07-12:30) and the shipped holidays.
struct Fixture {
    Db db = Db::memory();
    Config cfg = default_config();
    Fixture() {
        const std::string dir = WADUL_SOURCE_DIR "/etc/holidays/";
        cfg.sla.holiday_files = {dir + "2025.toml", dir + "2026.toml"};
        cfg.sla.admin_phones = {"+628100000001"};
        db.exec("INSERT INTO agency(id, code, name, kind) VALUES (1, 'DPU', 'Dinas Pekerjaan Umum', 'opd'), "
                "(2, 'DINKES', 'Dinas Kesehatan', 'opd')");
        db.exec("INSERT INTO officer(agency_id, name, phone, role, valid_from, valid_to) VALUES "
                "(1, 'Budi', '+628111111111', 'liaison', 0, NULL), (1, 'Sri', '+628122222222', 'head', 0, NULL), "
                "(1, 'Lama', '+628133333333', 'liaison', 0, 1000)");
    }
    Calendar cal() const { return Calendar::from_config(cfg); }

    std::int64_t complaint(Timestamp at) {
        Tx tx(db);
        NewComplaint c;
        c.reporter = "+628199999999";
        c.text = "jalan rusak";
        c.received_at = at;
        const auto ref = create_complaint(db, c);
        tx.commit();
        return ref.id;
    }
    // Appends one event. A routing (routed, assigned) comes with its forward SMS sent at the same
    // instant, as when the modem works, unless `sent` is false: then the forward waits (forward()).
    std::int64_t event(std::int64_t cid, Timestamp at, const char *kind,
                       std::optional<std::int64_t> agency = std::nullopt, bool sent = true) {
        Tx tx(db);
        const auto id = append_event(db, {cid, at, kind, "system", agency, std::nullopt, std::nullopt});
        const std::string k = kind;
        if (sent && (k == "routed" || k == "assigned"))
            append_event(db, {cid, at, "forwarded", "system", agency, 1, std::nullopt});
        tx.commit();
        return id;
    }
    // The forward SMS of the complaint's routing reached an officer (wadul-forward's send step).
    void forward(std::int64_t cid, Timestamp at, std::int64_t agency) {
        Tx tx(db);
        append_event(db, {cid, at, "forwarded", "system", agency, 1, std::nullopt});
        tx.commit();
    }
    SweepResult run(Timestamp now) { return sweep(db, cal(), cfg, now); }
    std::int64_t count(const std::string &sql) {
        Stmt s(db, sql);
        REQUIRE(s.step());
        return s.i64(0);
    }
    std::int64_t outbound(const std::string &where = "1") { return count("SELECT count(*) FROM outbound WHERE " + where); }
    std::int64_t events(const std::string &kind) { return count("SELECT count(*) FROM event WHERE kind = '" + kind + "'"); }
    StatusRow status_of(std::int64_t cid, Timestamp now) {
        for (auto &r : status_rows(db, cal(), cfg, now))
            if (r.clock.complaint_id == cid) return r;
        FAIL("complaint not listed");
        return {};
    }
};

} // namespace

TEST_CASE("each stage's deadline") {
    Fixture f;
    const Timestamp mon9 = T("2026-01-12 09:00");
    struct Case {
        const char *kind;
        Stage stage;
        const char *deadline;
    } cases[] = {
        {"triaged", Stage::triage, "2026-01-13 09:00"},      // 1 working day
        {"routed", Stage::disposition, "2026-01-12 09:30"},  // 30 working minutes
        {"accepted", Stage::answer, "2026-01-15 09:00"},     // review 2 + answer 1
        {"answered", Stage::approval, "2026-01-13 09:00"},   // 1 working day
        {"approved", Stage::followup, "2026-01-13 09:00"},   // 1 working day
    };
    for (const auto &c : cases) {
        CAPTURE(c.kind);
        const auto cid = f.complaint(mon9 - 600);
        f.event(cid, mon9, c.kind, 1);
        const auto r = f.status_of(cid, mon9);
        CHECK(r.clock.stage == c.stage);
        REQUIRE(r.clock.deadline);
        CHECK(format_wib(*r.clock.deadline) == c.deadline);
        CHECK(r.clock.agency == (c.stage == Stage::triage ? "" : "DPU"));
    }
    SUBCASE("a revision restarts the answer stage with the answer time only") {
        const auto cid = f.complaint(mon9);
        f.event(cid, mon9, "routed", 1);
        f.event(cid, mon9 + 60, "accepted");
        f.event(cid, T("2026-01-13 08:00"), "answered");
        f.event(cid, T("2026-01-13 10:00"), "revision");
        const auto r = f.status_of(cid, T("2026-01-13 10:00"));
        CHECK(r.clock.stage == Stage::answer);
        CHECK(format_wib(*r.clock.deadline) == "2026-01-14 10:00");
    }
    SUBCASE("limits come from the configuration") {
        f.cfg.sla.disposition_minutes = 90;
        const auto cid = f.complaint(mon9);
        f.event(cid, T("2026-01-12 13:00"), "routed", 1);
        CHECK(format_wib(*f.status_of(cid, mon9).clock.deadline) == "2026-01-13 07:30");
    }
    SUBCASE("closed complaints are not listed") {
        const auto cid = f.complaint(mon9);
        f.event(cid, mon9, "routed", 1);
        f.event(cid, mon9 + 60, "closed");
        for (const auto &r : status_rows(f.db, f.cal(), f.cfg, mon9 + 120)) CHECK(r.clock.complaint_id != cid);
    }
}

TEST_CASE("reminder once, then the escalation ladder, each step once") {
    Fixture f;
    const auto cid = f.complaint(T("2026-01-12 08:55"));
    f.event(cid, T("2026-01-12 09:00"), "routed", 1);

    CHECK(f.run(T("2026-01-12 09:10")).messages == 0);
    // Half the time (reminder_at = 0.5): 09:15. The disposition is the head's (SOP step 3) and
    // the liaison's TERIMA records it: both are reminded.
    auto r = f.run(T("2026-01-12 09:16"));
    CHECK(r.reminders == 1);
    CHECK(f.outbound("purpose = 'reminder' AND recipient = '+628111111111'") == 1);
    CHECK(f.outbound("purpose = 'reminder' AND recipient = '+628122222222'") == 1);
    CHECK(f.outbound("recipient = '+628133333333'") == 0); // the former liaison is not told
    CHECK(f.events("reminded") == 1);
    CHECK(f.run(T("2026-01-12 09:20")).messages == 0);
    CHECK(f.outbound() == 2);

    // Deadline 09:30: the breach is recorded at the deadline, the head is told.
    r = f.run(T("2026-01-12 09:31"));
    CHECK(r.breaches == 1);
    CHECK(r.escalations == 1);
    CHECK(f.count("SELECT at FROM event WHERE kind = 'breached'") == T("2026-01-12 09:30"));
    CHECK(f.outbound("purpose = 'escalation'") == 1);
    CHECK(f.outbound("purpose = 'escalation' AND recipient = '+628122222222'") == 1);
    CHECK(f.run(T("2026-01-12 09:40")).messages == 0);

    // 240 working minutes later: the admins.
    CHECK(f.run(T("2026-01-12 13:29")).messages == 0);
    r = f.run(T("2026-01-12 13:30"));
    CHECK(r.escalations == 1);
    CHECK(f.outbound("purpose = 'escalation' AND recipient = '+628100000001'") == 1);
    // The top step repeats every 240 working minutes: 480 is Monday's closing at 14:00 (270),
    // then Tuesday 07:00 + 210 = 10:30; 720 is Wednesday 07:30 (Tuesday closes at 14:00).
    CHECK(f.run(T("2026-01-13 10:29")).messages == 0);
    CHECK(f.run(T("2026-01-13 10:30")).escalations == 1);
    CHECK(f.outbound("recipient = '+628100000001'") == 2);
    CHECK(f.run(T("2026-01-13 13:59")).messages == 0);
    CHECK(f.run(T("2026-01-14 07:29")).messages == 0);
    CHECK(f.run(T("2026-01-14 07:30")).escalations == 1);
    CHECK(f.outbound("recipient = '+628100000001'") == 3);
    CHECK(f.run(T("2026-01-14 07:31")).messages == 0);
    CHECK(f.events("breached") == 1);
    CHECK(f.events("escalated") == 4);
    CHECK(f.count("SELECT count(*) FROM event WHERE kind = 'escalated' AND detail = 'disposition admin 3'") == 1);
    CHECK(f.outbound("recipient = '+628111111111' AND purpose = 'escalation'") == 0);

    // Someone acts: the ladder stops, the next stage starts its own clock.
    f.event(cid, T("2026-01-14 08:00"), "accepted");
    CHECK(f.run(T("2026-01-14 11:00")).messages == 0);
    CHECK(f.events("breached") == 1);
}

TEST_CASE("each stage reminds and escalates whoever's step it is") {
    const std::string liaison = "+628111111111", head = "+628122222222", admin = "+628100000001";
    struct Case {
        const char *kind;             // the event that starts the stage, Monday 09:00
        const char *remind;           // past the reminder point, before the deadline
        const char *deadline;         // just past the deadline
        std::vector<std::string> reminded, ladder; // recipients of the reminder, of each step in turn
    } cases[] = {
        // Disposition: the head's act, recorded by the liaison's TERIMA.
        {"routed", "2026-01-12 09:16", "2026-01-12 09:31", {liaison, head}, {head, admin}},
        // Review and answer: the liaison with the agency's team; the head is their superior.
        {"accepted", "2026-01-14 08:00", "2026-01-15 09:01", {liaison}, {liaison, head, admin}},
        // Approval: the head's SETUJU; the liaison cannot give it.
        {"answered", "2026-01-12 12:31", "2026-01-13 09:01", {head}, {head, admin}},
        // Follow-up: the answer reaches the citizen by the system or the admin portal.
        {"approved", "2026-01-12 12:31", "2026-01-13 09:01", {admin}, {admin}},
        // Triage: the admin portal.
        {"triaged", "2026-01-12 12:31", "2026-01-13 09:01", {admin}, {admin}},
    };
    for (const auto &c : cases) {
        CAPTURE(c.kind);
        Fixture f;
        const auto cid = f.complaint(T("2026-01-12 08:55"));
        f.event(cid, T("2026-01-12 09:00"), c.kind, 1);
        CHECK(f.run(T(c.remind)).reminders == 1);
        std::vector<std::string> got;
        {
            Stmt s(f.db, "SELECT recipient FROM outbound WHERE purpose = 'reminder' ORDER BY recipient");
            while (s.step()) got.push_back(s.str(0));
        }
        std::vector<std::string> want = c.reminded;
        std::sort(want.begin(), want.end());
        CHECK(got == want);
        // Each step of the ladder, 240 working minutes apart from the deadline on.
        const Timestamp due = T(c.deadline);
        const Calendar cal = f.cal();
        for (size_t step = 0; step < c.ladder.size(); ++step) {
            CAPTURE(step);
            const Timestamp at = cal.add_working_seconds(due, static_cast<std::int64_t>(step) * 240 * 60);
            CHECK(f.run(at).escalations == 1);
            Stmt s(f.db, "SELECT recipient FROM outbound WHERE purpose = 'escalation' ORDER BY id DESC LIMIT 1");
            REQUIRE(s.step());
            CHECK(s.str(0) == c.ladder[step]);
            CHECK_FALSE(s.step());
        }
    }
}

TEST_CASE("the modem down: no reminder, escalation or breach for the agency until its forward is sent") {
    Fixture f;
    const auto cid = f.complaint(T("2026-01-12 08:55"));
    const auto routed = f.event(cid, T("2026-01-12 09:00"), "routed", 1, false);
    // The disposition is listed from the routing, without a deadline: the agency does not have it.
    auto r = f.status_of(cid, T("2026-01-12 09:10"));
    CHECK(r.clock.stage == Stage::disposition);
    CHECK(r.clock.unsent);
    CHECK(r.clock.started == T("2026-01-12 09:00"));
    CHECK_FALSE(r.clock.deadline);
    CHECK_FALSE(r.left);
    CHECK_FALSE(r.overdue);
    CHECK(format_status({r}, StatusFormat::tsv).find("\tunsent\n") != std::string::npos);
    CHECK(format_status({r}, StatusFormat::json).find("\"unsent\": true") != std::string::npos);
    // Hours of office time with the modem down: nothing for the agency, no breach on record; once
    // the forward has waited the whole disposition time, one notice to the admins.
    for (const char *now : {"2026-01-12 09:16", "2026-01-12 09:20", "2026-01-12 09:29", "2026-01-12 09:31",
                            "2026-01-12 13:00", "2026-01-13 09:00"}) {
        CAPTURE(now);
        const auto sw = f.run(T(now));
        CHECK(sw.reminders == 0);
        CHECK(sw.escalations == (std::string(now) == "2026-01-12 09:31" ? 1 : 0));
        CHECK(sw.breaches == 0);
    }
    CHECK(f.outbound() == 1);
    CHECK(f.outbound("recipient = '+628100000001' AND purpose = 'escalation' AND text LIKE 'WADUL: aduan % untuk "
                     "Dinas Pekerjaan Umum belum terkirim ke pejabat penghubungnya sejak " +
                     format_datetime_id(T("2026-01-12 09:00")) + ". Mohon periksa modem dan nomor pejabat penghubung.'") == 1);
    CHECK(f.count("SELECT count(*) FROM event WHERE kind IN ('reminded', 'breached')") == 0);
    CHECK(f.count("SELECT count(*) FROM event WHERE kind = 'escalated' AND detail = 'disposition unsent 1'") == 1);
    // The sysadmin hears of it (-v) once the forward has waited the whole disposition time.
    CHECK(f.run(T("2026-01-12 09:20")).notes.empty());
    const auto late = f.run(T("2026-01-12 09:31"));
    REQUIRE(late.notes.size() == 1);
    CHECK(late.notes[0].find("complaint '") != std::string::npos);
    CHECK(late.notes[0].find("forward SMS has not been sent") != std::string::npos);

    // The modem works again Tuesday 10:00: the forward goes out, the agency's 30 minutes run from it.
    f.forward(cid, T("2026-01-13 10:00"), 1);
    // The admins' notice, if still queued (the modem sends in queue order, the forward first), is
    // stale now.
    const auto stale = cancel_stale_steps(f.db, f.cfg, T("2026-01-13 10:01"));
    REQUIRE(stale.size() == 1);
    CHECK(stale[0].why == "stale: the forward SMS has reached the agency before it was sent");
    r = f.status_of(cid, T("2026-01-13 10:05"));
    CHECK_FALSE(r.clock.unsent);
    CHECK(r.clock.started == T("2026-01-13 10:00"));
    CHECK(r.clock.start_event == routed); // the sweep's dedupe keys still name the routing
    REQUIRE(r.clock.deadline);
    CHECK(format_wib(*r.clock.deadline) == "2026-01-13 10:30");
    CHECK(f.run(T("2026-01-13 10:10")).messages == 0);
    CHECK(f.run(T("2026-01-13 10:16")).reminders == 1);
    auto sw = f.run(T("2026-01-13 10:31"));
    CHECK(sw.breaches == 1);
    CHECK(sw.escalations == 1);
    CHECK(f.count("SELECT at FROM event WHERE kind = 'breached'") == T("2026-01-13 10:30"));
    // A second officer's forward later changes nothing.
    f.forward(cid, T("2026-01-13 10:40"), 1);
    CHECK(format_wib(*f.status_of(cid, T("2026-01-13 10:41")).clock.deadline) == "2026-01-13 10:30");
}

TEST_CASE("a reminder queued for a disposition whose forward is not sent is cancelled before it goes") {
    // As a store from before the `forwarded` event waited for the modem may hold.
    Fixture f;
    const auto cid = f.complaint(T("2026-01-12 08:55"));
    const auto routed = f.event(cid, T("2026-01-12 09:00"), "routed", 1, false);
    {
        Tx tx(f.db);
        const std::string key = fmt::format("sla:{}:{}:reminder:1:+628111111111", cid, routed);
        enqueue(f.db, {"+628111111111", "Pengingat", "reminder", cid, key}, T("2026-01-12 09:16"));
        tx.commit();
    }
    const auto stale = cancel_stale_steps(f.db, f.cfg, T("2026-01-12 09:17"));
    REQUIRE(stale.size() == 1);
    CHECK(stale[0].why == "stale: the forward SMS has not reached the agency before it was sent");
    CHECK(f.outbound("status = 'cancelled'") == 1);
}

TEST_CASE("queued messages: text, purpose, dedupe key, due now") {
    Fixture f;
    const auto cid = f.complaint(T("2026-01-12 08:55"));
    const auto routed = f.event(cid, T("2026-01-12 09:00"), "routed", 1);
    f.run(T("2026-01-12 09:31"));
    Stmt s(f.db, "SELECT recipient, text, purpose, status, next_attempt_at, dedupe, complaint_id FROM outbound");
    REQUIRE(s.step());
    CHECK(s.str(0) == "+628122222222");
    CHECK(s.str(1).find("Dinas Pekerjaan Umum") != std::string::npos);
    CHECK(s.str(1).find("12 Januari 2026 09.30 WIB") != std::string::npos);
    CHECK(s.str(2) == "escalation");
    CHECK(s.str(3) == "queued");
    CHECK(s.i64(4) == T("2026-01-12 09:31"));
    CHECK(s.str(5) == fmt::format("sla:{}:{}:head:1:+628122222222", cid, routed));
    CHECK(s.i64(6) == cid);
    CHECK_FALSE(s.step());
}

TEST_CASE("no reminder or escalation outside office hours; the breach is recorded anyway") {
    Fixture f;
    const auto cid = f.complaint(T("2026-01-09 10:35"));
    // Friday closes at 11:00: 20 minutes on Friday, 10 on Saturday; reminder due Friday 10:55.
    f.event(cid, T("2026-01-09 10:40"), "routed", 1);
    CHECK(format_wib(*f.status_of(cid, T("2026-01-09 10:41")).clock.deadline) == "2026-01-10 07:10");
    CHECK(f.run(T("2026-01-09 11:05")).messages == 0); // after hours
    CHECK(f.run(T("2026-01-10 06:59")).messages == 0);
    CHECK(f.run(T("2026-01-10 07:01")).reminders == 1);
    // Overdue on Saturday after closing and on Sunday: breach yes, SMS no.
    f.cfg.sla.reminder_at = 0;
    auto r = f.run(T("2026-01-10 13:00"));
    CHECK(r.breaches == 1);
    CHECK(r.messages == 0);
    CHECK(f.run(T("2026-01-11 10:00")).messages == 0);
    // Monday opening: Saturday's remaining 320 office minutes have passed since the deadline, so
    // the head's step and the admins' first round are both due (their second at 480).
    r = f.run(T("2026-01-12 07:00"));
    CHECK(r.escalations == 2);
    CHECK(r.breaches == 0);
    CHECK(f.outbound("purpose = 'escalation'") == 2);
    CHECK(f.run(T("2026-01-12 09:39")).messages == 0);
    CHECK(f.run(T("2026-01-12 09:40")).escalations == 1);
}

TEST_CASE("a pause waiting on the citizen stops the clock") {
    Fixture f;
    const auto cid = f.complaint(T("2026-01-12 08:55"));
    f.event(cid, T("2026-01-12 09:00"), "routed", 1);
    f.event(cid, T("2026-01-12 09:10"), "paused");
    auto r = f.status_of(cid, T("2026-01-12 13:00"));
    CHECK(r.clock.paused);
    CHECK_FALSE(r.clock.deadline);
    CHECK_FALSE(r.overdue);
    CHECK(f.run(T("2026-01-12 13:00")).messages == 0);
    CHECK(f.events("breached") == 0);
    // Resumed Tuesday 07:00 with 20 minutes left.
    f.event(cid, T("2026-01-13 07:00"), "resumed");
    r = f.status_of(cid, T("2026-01-13 07:01"));
    CHECK_FALSE(r.clock.paused);
    CHECK(format_wib(*r.clock.deadline) == "2026-01-13 07:20");
    CHECK(r.left == 19 * 60);
    // A second pause after the deadline does not undo the breach, but stops the ladder.
    f.event(cid, T("2026-01-13 08:00"), "paused");
    auto sw = f.run(T("2026-01-13 08:05"));
    CHECK(sw.breaches == 1);
    CHECK(sw.messages == 0);

    SUBCASE("unless sla.pause_on_citizen is off") {
        f.cfg.sla.pause_on_citizen = false;
        r = f.status_of(cid, T("2026-01-13 08:05"));
        CHECK_FALSE(r.clock.paused);
        CHECK(format_wib(*r.clock.deadline) == "2026-01-12 09:30");
    }
}

TEST_CASE("a stage that ended late between two sweeps is recorded as breached once") {
    Fixture f;
    const auto cid = f.complaint(T("2026-01-12 08:55"));
    f.event(cid, T("2026-01-12 09:00"), "routed", 1);
    f.event(cid, T("2026-01-12 09:45"), "accepted");
    auto r = f.run(T("2026-01-12 10:00"));
    CHECK(r.breaches == 1);
    CHECK(r.messages == 0);
    CHECK(f.count("SELECT count(*) FROM event WHERE kind = 'breached' AND detail = 'disposition'") == 1);
    CHECK(f.run(T("2026-01-12 10:05")).breaches == 0);
    // ... also after the complaint is closed, within the look-back.
    const auto c2 = f.complaint(T("2026-01-12 08:55"));
    f.event(c2, T("2026-01-12 09:00"), "approved", 1);
    f.event(c2, T("2026-01-14 09:00"), "delivered");
    CHECK(f.run(T("2026-01-14 09:05")).breaches == 1);
    CHECK(f.run(T("2026-01-14 09:10")).breaches == 0);
    CHECK(f.events("breached") == 2);
}

TEST_CASE("re-runs are idempotent") {
    Fixture f;
    for (int i = 0; i < 5; ++i) {
        const auto cid = f.complaint(T("2026-01-12 07:00"));
        f.event(cid, T("2026-01-12 07:05") + i * 600, i % 2 ? "routed" : "triaged", 1);
    }
    for (const char *now : {"2026-01-12 07:30", "2026-01-12 09:00", "2026-01-13 09:00", "2026-01-14 12:00"}) {
        CAPTURE(now);
        f.run(T(now));
        const auto rows = f.outbound(), evs = f.count("SELECT count(*) FROM event");
        const auto r = f.run(T(now));
        CHECK(r.messages == 0);
        CHECK(r.breaches == 0);
        CHECK(f.outbound() == rows);
        CHECK(f.count("SELECT count(*) FROM event") == evs);
    }
}

TEST_CASE("triage escalates to the admins only") {
    Fixture f;
    const auto cid = f.complaint(T("2026-01-12 08:55"));
    f.event(cid, T("2026-01-12 09:00"), "triaged");
    CHECK(f.run(T("2026-01-12 12:31")).reminders == 1); // half of 7 hours
    CHECK(f.outbound("purpose = 'reminder' AND recipient = '+628100000001'") == 1);
    CHECK(f.run(T("2026-01-13 09:01")).escalations == 1);
    CHECK(f.outbound("purpose = 'escalation'") == 1);
    CHECK(f.outbound("recipient <> '+628100000001'") == 0);
    CHECK(f.run(T("2026-01-13 13:00")).escalations == 1); // repeated after 240 working minutes
    CHECK(f.count("SELECT count(*) FROM event WHERE detail = 'triage admin 2'") == 1);
}

TEST_CASE("a step with nobody to send to is a note, not an event") {
    Fixture f;
    const auto cid = f.complaint(T("2026-01-12 08:55"));
    f.event(cid, T("2026-01-12 09:00"), "routed", 2); // DINKES has no officers
    auto r = f.run(T("2026-01-12 09:16"));
    CHECK(r.reminders == 0);
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0].find("no liaison officer or head of agency in post") != std::string::npos);
    CHECK(f.events("reminded") == 0);
    // Overdue: the head is missing; the admin step still comes in its turn.
    CHECK(f.run(T("2026-01-13 10:30")).escalations == 1);
    CHECK(f.outbound("recipient = '+628100000001'") == 1);
}

TEST_CASE("without sla.admin_phones, the admins' steps are counted for the warning") {
    Fixture f;
    f.cfg.sla.admin_phones.clear();
    const auto t = f.complaint(T("2026-01-12 08:55"));
    f.event(t, T("2026-01-12 09:00"), "triaged");
    const auto d = f.complaint(T("2026-01-12 08:55"));
    f.event(d, T("2026-01-12 09:00"), "routed", 1);
    CHECK(f.run(T("2026-01-12 09:10")).admin_unsent == 0);
    auto r = f.run(T("2026-01-12 12:31")); // triage reminder due; disposition: the head's step
    CHECK(r.admin_unsent == 1);
    CHECK(r.escalations == 1);
    r = f.run(T("2026-01-12 13:31")); // again the reminder, and the disposition's admin step
    CHECK(r.admin_unsent == 2);
    CHECK(r.notes.size() == 2);
    CHECK(f.outbound("recipient NOT IN ('+628111111111', '+628122222222')") == 0);
}

TEST_CASE("status: overdue first, then by time left; formats") {
    Fixture f;
    const auto a = f.complaint(T("2026-01-12 07:00"));
    const auto b = f.complaint(T("2026-01-12 07:00"));
    const auto c = f.complaint(T("2026-01-12 07:00"));
    f.event(a, T("2026-01-12 09:00"), "routed", 1);   // due 09:30
    f.event(b, T("2026-01-12 08:00"), "accepted", 2); // due Thursday
    f.event(c, T("2026-01-12 08:00"), "routed", 2);   // due 08:30
    const Timestamp now = T("2026-01-12 10:00");
    const auto rows = status_rows(f.db, f.cal(), f.cfg, now);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].clock.complaint_id == c);
    CHECK(rows[0].overdue);
    CHECK(*rows[0].left == -90 * 60);
    CHECK(rows[1].clock.complaint_id == a);
    CHECK(rows[2].clock.complaint_id == b);
    CHECK_FALSE(rows[2].overdue);
    CHECK(status_rows(f.db, f.cal(), f.cfg, now, "DPU").size() == 1);

    const std::string json = format_status(rows, StatusFormat::json);
    CHECK(json.front() == '[');
    CHECK(json.find("\"deadline\": \"2026-01-12T08:30:00+07:00\"") != std::string::npos);
    CHECK(json.find("\"overdue\": true") != std::string::npos);
    CHECK(json.find("\"stage\": \"answer\"") != std::string::npos);
    CHECK(format_status({}, StatusFormat::json) == "[]\n");
    const std::string tsv = format_status(rows, StatusFormat::tsv);
    CHECK(tsv.rfind("ticket\tagency\tstage\tstarted\tdeadline\tleft_minutes\tstate\n", 0) == 0);
    CHECK(tsv.find("\tDINKES\tdisposition\t2026-01-12T08:00:00+07:00\t2026-01-12T08:30:00+07:00\t-90\toverdue\n") !=
          std::string::npos);
    const std::string table = format_status(rows, StatusFormat::table);
    CHECK(table.rfind("TICKET ", 0) == 0);
    CHECK(table.find("-1h30m  overdue") != std::string::npos);
}

TEST_CASE("a reminder cancelled by a pause is queued again after the resume, once; one sent is not") {
    Fixture f;
    const auto cid = f.complaint(T("2026-01-12 08:55"));
    f.event(cid, T("2026-01-12 09:00"), "routed", 1);
    CHECK(f.run(T("2026-01-12 09:16")).reminders == 1); // half of the 30 minutes
    const auto first = f.outbound("purpose = 'reminder'");
    REQUIRE(first > 0);
    // Paused before wadul-forward sent it: cancelled.
    f.event(cid, T("2026-01-12 09:17"), "paused");
    CHECK(cancel_stale_steps(f.db, f.cfg, T("2026-01-12 09:18")).size() == static_cast<size_t>(first));
    CHECK(f.run(T("2026-01-12 10:00")).reminders == 0);
    // Resumed the next morning: 13 minutes are left (deadline 09:13), and the reminder comes now,
    // with the moved deadline.
    f.event(cid, T("2026-01-13 09:00"), "resumed");
    CHECK(f.run(T("2026-01-13 09:01")).reminders == 1);
    CHECK(f.outbound("purpose = 'reminder' AND status = 'queued' AND dedupe LIKE '%:reminder:2:%' AND text LIKE '%" +
                     format_datetime_id(T("2026-01-13 09:13")) + "%'") == first);
    CHECK(f.run(T("2026-01-13 09:05")).reminders == 0);
    // That one goes out; a later pause and resume do not repeat it.
    f.db.exec("UPDATE outbound SET status = 'sent' WHERE purpose = 'reminder' AND status = 'queued'");
    f.event(cid, T("2026-01-13 09:06"), "paused");
    f.event(cid, T("2026-01-13 09:08"), "resumed");
    CHECK(f.run(T("2026-01-13 09:09")).reminders == 0);
    CHECK(f.events("reminded") == 2);
}
