// The monthly report's numbers against a hand-made scenario, with every count checked against
// SQL written here, independently of the report's own replay of the event log.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "wadul/calendar.hpp"
#include "wadul/complaint.hpp"
#include "wadul/config.hpp"
#include "wadul/error.hpp"
#include "wadul/report_csv.hpp"
#include "wadul/report_query.hpp"
#include "wadul/report_stats.hpp"
#include "wadul/report_track.hpp"
#include "wadul/store.hpp"

using namespace wadul;

namespace {

Timestamp T(int mo, int d, int h, int mi = 0, int s = 0, int y = 2026) { return from_civil(y, mo, d, h, mi, s); }

const char *const kSecretPhone = "+628222333444";
const char *const kSecretName = "Siti Rahasia";
const char *const kSecretText = "RAHASIA-7731 kepala desa minta uang";

struct Scenario {
    Db db = Db::memory();
    Config cfg = default_config();
    OfficeHours hours[7];
    Calendar cal;
    std::map<std::string, std::int64_t> agency, officer;
    std::map<std::string, std::string> ticket; // c1 → its ticket
    std::map<std::string, std::int64_t> cid;

    static Calendar make_calendar(OfficeHours (&h)[7]) {
        for (int d = 1; d <= 4; ++d) h[d] = {7 * 60, 15 * 60 + 30};
        h[5] = {7 * 60, 11 * 60 + 30};
        return Calendar(h, {});
    }

    Scenario() : cal(make_calendar(hours)) {
        Tx tx(db);
        auto add_agency = [&](const char *code, const char *name, int active) {
            Stmt(db, "INSERT INTO agency(code, name, kind, active) VALUES (?, ?, 'opd', ?)").args(code, name, active).run();
            agency[code] = db.last_insert_id();
        };
        add_agency("DINKES", "Dinas Kesehatan", 1);
        add_agency("DPUTARU", "Dinas Pekerjaan Umum dan Penataan Ruang", 1);
        add_agency("LAMA", "Dinas Yang Dibubarkan", 0);
        add_agency("DINSOS", "Dinas Sosial", 1);
        auto add_officer = [&](const char *key, const char *ag, const char *name, const char *phone, const char *role,
                               Timestamp from, std::optional<Timestamp> to) {
            Stmt(db, "INSERT INTO officer(agency_id, name, phone, role, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?)")
                .args(agency[ag], name, phone, role, from, to)
                .run();
            officer[key] = db.last_insert_id();
        };
        add_officer("L1", "DINKES", "Agus Santoso", "+6281100000001", "liaison", T(1, 5, 8), T(11, 16, 8));
        add_officer("L2", "DINKES", "Budi Wibowo", "+6281100000002", "liaison", T(11, 16, 8), std::nullopt);
        add_officer("HA", "DINKES", "Dr. Hadi", "+6281100000009", "head", T(1, 5, 8), std::nullopt);
        add_officer("LX", "DPUTARU", "Eko Lama", "+6281100000020", "liaison", T(1, 5, 8), T(9, 1, 8));
        add_officer("LB", "DPUTARU", "Joko Diam", "+6281100000021", "liaison", T(9, 1, 8), std::nullopt);
        add_officer("HB", "DPUTARU", "Ir. Bambang", "+6281100000029", "head", T(1, 5, 8), std::nullopt);

        auto complaint = [&](const char *key, const char *source, Timestamp at, bool confidential = false,
                             const char *text = "Jalan rusak", const char *reporter = "+6285700000000") {
            NewComplaint c;
            c.source = source;
            c.reporter = reporter;
            c.confidential = confidential;
            c.text = text;
            c.received_at = at;
            if (confidential) c.reporter_name = kSecretName;
            auto ref = create_complaint(db, c);
            ticket[key] = ref.ticket;
            cid[key] = ref.id;
        };
        auto ev = [&](const char *key, Timestamp at, const char *kind, std::string actor,
                      std::optional<std::string> ag = std::nullopt, std::optional<std::string> off = std::nullopt) {
            EventInput e;
            e.complaint_id = cid[key];
            e.at = at;
            e.kind = kind;
            e.actor = std::move(actor);
            if (ag) e.agency_id = agency[*ag];
            if (off) e.officer_id = officer[*off];
            append_event(db, e);
        };
        auto forward = [&](const char *key, Timestamp at, const char *ag, const char *liaison, const char *head) {
            ev(key, at, "forwarded", "system", ag, liaison);
            ev(key, at, "forwarded", "system", ag, head);
        };
        const std::string L1 = "+6281100000001", L2 = "+6281100000002", HA = "+6281100000009";
        // c1: the whole SOP on time (Monday 2 November).
        complaint("c1", "sms", T(11, 2, 8));
        ev("c1", T(11, 2, 8, 0, 5), "routed", "system", "DINKES");
        forward("c1", T(11, 2, 8, 0, 10), "DINKES", "L1", "HA");
        ev("c1", T(11, 2, 8, 20), "accepted", L1, "DINKES", "L1");
        ev("c1", T(11, 4, 10), "answered", L1, "DINKES", "L1");
        ev("c1", T(11, 4, 14), "approved", HA, "DINKES", "HA");
        ev("c1", T(11, 4, 14, 5), "delivered", "system");
        // c2: confidential, the officer never replies.
        complaint("c2", "sms", T(11, 9, 9), true, kSecretText, kSecretPhone);
        ev("c2", T(11, 9, 9, 0, 5), "routed", "system", "DPUTARU");
        forward("c2", T(11, 9, 9, 0, 10), "DPUTARU", "LB", "HB");
        // c3: refused by DINKES after an hour, re-assigned to DPUTARU, no reply there.
        complaint("c3", "sms", T(11, 10, 10));
        ev("c3", T(11, 10, 10, 0, 5), "routed", "system", "DINKES");
        forward("c3", T(11, 10, 10, 0, 10), "DINKES", "L1", "HA");
        ev("c3", T(11, 10, 11, 0, 10), "refused", L1, "DINKES", "L1");
        ev("c3", T(11, 10, 13), "assigned", "admin:rina", "DPUTARU");
        forward("c3", T(11, 10, 13, 0, 10), "DPUTARU", "LB", "HB");
        // c4: the new officer accepts late and answers late; awaiting approval at month end.
        complaint("c4", "sms", T(11, 19, 9));
        ev("c4", T(11, 19, 9, 0, 5), "routed", "system", "DINKES");
        forward("c4", T(11, 19, 9, 0, 10), "DINKES", "L2", "HA");
        ev("c4", T(11, 19, 10, 0, 10), "accepted", L2, "DINKES", "L2");
        ev("c4", T(11, 30, 9), "answered", L2, "DINKES", "L2");
        // c5: web, on the evening of the last day: not yet due.
        complaint("c5", "web", T(11, 30, 20), false, "Sampah menumpuk", "web:77");
        ev("c5", T(11, 30, 20, 0, 5), "routed", "system", "DINKES");
        forward("c5", T(11, 30, 20, 0, 10), "DINKES", "L2", "HA");
        // c6, c7: October's complaints.
        complaint("c6", "web", T(10, 20, 10), false, "Lampu mati", "web:78");
        ev("c6", T(10, 20, 10, 0, 5), "routed", "system", "DINKES");
        forward("c6", T(10, 20, 10, 0, 10), "DINKES", "L1", "HA");
        ev("c6", T(10, 20, 10, 10), "accepted", L1, "DINKES", "L1");
        ev("c6", T(10, 21, 10), "answered", L1, "DINKES", "L1");
        ev("c6", T(10, 21, 12), "approved", HA, "DINKES", "HA");
        ev("c6", T(10, 21, 12, 5), "delivered", "system");
        complaint("c7", "sms", T(10, 28, 9));
        ev("c7", T(10, 28, 9, 0, 5), "routed", "system", "DPUTARU");
        forward("c7", T(10, 28, 9, 0, 10), "DPUTARU", "LB", "HB");
        // c8: December, outside the month.
        complaint("c8", "sms", T(12, 2, 9));
        ev("c8", T(12, 2, 9, 0, 5), "routed", "system", "DINKES");
        // c9: accepted in time, answered only in December: overdue at the end of November.
        complaint("c9", "sms", T(11, 12, 9));
        ev("c9", T(11, 12, 9, 0, 5), "routed", "system", "DINKES");
        forward("c9", T(11, 12, 9, 0, 10), "DINKES", "L1", "HA");
        ev("c9", T(11, 12, 9, 10), "accepted", L1, "DINKES", "L1");
        ev("c9", T(12, 2, 9), "answered", L1, "DINKES", "L1");
        // c10: stuck in triage since Friday 13 November.
        complaint("c10", "sms", T(11, 13, 8));
        ev("c10", T(11, 13, 8, 0, 5), "triaged", "system");
        // c11: the officer waits a week on the citizen; the paused week does not count.
        complaint("c11", "sms", T(11, 3, 8));
        ev("c11", T(11, 3, 8, 0, 5), "routed", "system", "DINKES");
        forward("c11", T(11, 3, 8, 0, 10), "DINKES", "L1", "HA");
        ev("c11", T(11, 3, 8, 5), "accepted", L1, "DINKES", "L1");
        ev("c11", T(11, 3, 9), "paused", L1);
        ev("c11", T(11, 10, 9), "resumed", "+6285700000000");
        ev("c11", T(11, 11, 9), "answered", L1, "DINKES", "L1");
        tx.commit();
    }

    std::int64_t sql_int(const std::string &sql, std::int64_t a = 0, std::int64_t b = 0, std::int64_t c = 0) {
        Stmt s(db, sql);
        int n = 0;
        for (auto v : {a, b, c})
            if (++n <= 3 && sql.find("?" + std::to_string(n)) != std::string::npos) s.bind(n, v);
        REQUIRE(s.step());
        return s.i64(0);
    }
};

const Month kNov{2026, 11};

// The agency a complaint was with when event `e` happened: the latest routing before it, unless a
// refusal or triage came in between. Written apart from the report's replay.
const char *const kAgencyAtEvent =
    "(SELECT CASE WHEN r.kind IN ('routed', 'assigned') THEN r.agency_id END FROM event r "
    " WHERE r.complaint_id = e.complaint_id AND r.kind IN ('routed', 'assigned', 'refused', 'triaged') "
    " AND (r.at < e.at OR (r.at = e.at AND r.id < e.id)) ORDER BY r.at DESC, r.id DESC LIMIT 1)";

const char *const kCohort =
    "e.complaint_id IN (SELECT id FROM complaint WHERE received_at >= ?1 AND received_at < ?2) AND e.at < ?2";

const AgencyRow &row(const MonthlyReport &r, const std::string &code) {
    for (const auto &a : r.agencies)
        if (a.code == code) return a;
    FAIL("no agency " << code);
    return r.agencies.front();
}

} // namespace

TEST_CASE("the month's counts agree with independent SQL") {
    Scenario s;
    const MonthlyReport r = build_monthly_report(s.db, s.cfg, s.cal, kNov);
    const Timestamp a = kNov.start(), b = kNov.end();

    CHECK(r.total.received == s.sql_int("SELECT count(*) FROM complaint WHERE received_at >= ?1 AND received_at < ?2", a, b));
    CHECK(r.total.received == 8);
    CHECK(r.total.sms == s.sql_int("SELECT count(*) FROM complaint WHERE received_at >= ?1 AND received_at < ?2 "
                                   "AND source = 'sms'", a, b));
    CHECK(r.total.web == 1);
    CHECK(r.prev_total.received == 2);
    CHECK(r.prev_total.followed_up == 1);

    for (const char *code : {"DINKES", "DPUTARU", "DINSOS"}) {
        CAPTURE(code);
        const AgencyRow &ag = row(r, code);
        const std::int64_t id = s.agency[code];
        auto per_kind = [&](const char *kind) {
            return s.sql_int(std::string("SELECT count(DISTINCT e.complaint_id) FROM event e WHERE e.kind = '") + kind +
                                 "' AND " + kCohort + " AND " + kAgencyAtEvent + " = ?3",
                             a, b, id);
        };
        CHECK(ag.now.received == s.sql_int(std::string("SELECT count(DISTINCT e.complaint_id) FROM event e WHERE "
                                                       "e.kind IN ('routed', 'assigned') AND e.agency_id = ?3 AND ") +
                                               kCohort,
                                           a, b, id));
        CHECK(ag.now.forwarded == s.sql_int(std::string("SELECT count(DISTINCT e.complaint_id) FROM event e WHERE "
                                                        "e.kind = 'forwarded' AND e.agency_id = ?3 AND ") +
                                                kCohort,
                                            a, b, id));
        CHECK(ag.now.accepted == per_kind("accepted"));
        CHECK(ag.now.answered == per_kind("answered"));
        CHECK(ag.now.approved == per_kind("approved"));
        CHECK(ag.now.refused == per_kind("refused"));
    }
    CHECK(r.total.followed_up ==
          s.sql_int(std::string("SELECT count(DISTINCT e.complaint_id) FROM event e WHERE e.kind = 'delivered' AND ") +
                        kCohort,
                    a, b));
    CHECK(r.total.open == s.sql_int("SELECT count(*) FROM complaint c WHERE received_at >= ?1 AND received_at < ?2 AND "
                                    "NOT EXISTS (SELECT 1 FROM event e WHERE e.complaint_id = c.id AND e.kind IN "
                                    "('delivered', 'closed') AND e.at < ?2)",
                                    a, b));
    CHECK(r.open_at_end == s.sql_int("SELECT count(*) FROM complaint c WHERE received_at < ?2 AND NOT EXISTS (SELECT "
                                     "1 FROM event e WHERE e.complaint_id = c.id AND e.kind IN ('delivered', 'closed') "
                                     "AND e.at < ?2)",
                                     a, b));
    // An agency without complaints is listed; a disbanded one without complaints is not.
    CHECK(row(r, "DINSOS").now.received == 0);
    CHECK(std::none_of(r.agencies.begin(), r.agencies.end(), [](const AgencyRow &x) { return x.code == "LAMA"; }));

    // Re-routing: DINKES refused c3, which then counts for DPUTARU too; the total counts it once.
    CHECK(row(r, "DINKES").now.rerouted == 1);
    CHECK(row(r, "DPUTARU").now.received == 2);
    CHECK(row(r, "DINKES").now.received == 6);
    CHECK(r.total.rerouted == 1);
}

TEST_CASE("officers: the one in post that month, responses matched by their own number") {
    Scenario s;
    const MonthlyReport r = build_monthly_report(s.db, s.cfg, s.cal, kNov);
    std::set<std::string> names;
    for (const auto &o : r.officers) names.insert(o.name);
    // L1 left mid-month and L2 took over; LX left in September; heads are not liaison officers.
    CHECK(names == std::set<std::string>{"Agus Santoso", "Budi Wibowo", "Joko Diam"});
    const Timestamp a = kNov.start(), b = kNov.end();
    for (const auto &o : r.officers) {
        CAPTURE(o.name);
        const std::int64_t id = o.id;
        CHECK(o.forwarded == s.sql_int(std::string("SELECT count(DISTINCT e.complaint_id) FROM event e WHERE "
                                                   "e.kind = 'forwarded' AND e.officer_id = ?3 AND ") +
                                           kCohort,
                                       a, b, id));
        CHECK(o.responded ==
              s.sql_int(std::string("SELECT count(DISTINCT f.complaint_id) FROM event f JOIN event e ON "
                                    "e.complaint_id = f.complaint_id AND e.at >= f.at AND e.kind IN ('accepted', "
                                    "'answered', 'refused') AND e.actor = (SELECT phone FROM officer WHERE id = ?3) "
                                    "WHERE f.kind = 'forwarded' AND f.officer_id = ?3 AND ") +
                            kCohort,
                        a, b, id));
        CHECK(o.never_responded() == (o.name == "Joko Diam"));
    }
}

TEST_CASE("agencies without a liaison officer in post at the end of the month") {
    Scenario s;
    // DINSOS never had one; LAMA is disbanded; DINKES changed liaison mid-November, DPUTARU in
    // September: both had one at every month end.
    const MonthlyReport r = build_monthly_report(s.db, s.cfg, s.cal, kNov);
    using Names = std::vector<std::pair<std::string, std::string>>;
    CHECK(r.without_liaison == Names{{"DINSOS", "Dinas Sosial"}});
    CHECK(r.prev_without_liaison == 1);
    // DINKES's liaison leaves on 30 November with nobody after her: two at the end of the month.
    s.db.exec("UPDATE officer SET valid_to = " + std::to_string(T(11, 30, 12)) + " WHERE name = 'Budi Wibowo'");
    const MonthlyReport r2 = build_monthly_report(s.db, s.cfg, s.cal, kNov);
    CHECK(r2.without_liaison == Names{{"DINKES", "Dinas Kesehatan"}, {"DINSOS", "Dinas Sosial"}});
    CHECK(r2.prev_without_liaison == 1);
    // In the summary CSV, with the previous month and the change.
    bool found = false;
    for (const auto &t : monthly_csv_tables(r2, false))
        for (const auto &row : t.rows)
            if (!row.empty() && row[0] == "without_liaison") {
                found = true;
                CHECK(row == std::vector<std::string>{"without_liaison",
                                                      "Instansi tanpa pejabat penghubung pada akhir bulan", "2", "1",
                                                      "1"});
            }
    CHECK(found);
}

TEST_CASE("deadlines on the working calendar, pauses stopping the clock") {
    Scenario s;
    const MonthlyReport r = build_monthly_report(s.db, s.cfg, s.cal, kNov);
    const auto &st = r.total.stages;
    // Disposition (30 min from the first forward SMS sent after routed/assigned, 5 s after the
    // routing here, as wadul-sla has it): c1, c9, c11 in time; c3 (refused
    // after an hour) and c4 (TERIMA after an hour) late; c2 and c3 at DPUTARU (assigned Tuesday
    // 13:00, due 13:30) overdue; c5 (routed Monday 20:00, due Tuesday 07:30) not yet due.
    CHECK(st[int(Stage::disposition)].done == 5);
    CHECK(st[int(Stage::disposition)].on_time == 3);
    CHECK(st[int(Stage::disposition)].overdue == 2);
    // Answer (2 + 1 working days): c1 in time, c4 late, c11 in time only because the paused
    // week does not count; c9 overdue (its December answer is after the month).
    CHECK(st[int(Stage::answer)].done == 3);
    CHECK(st[int(Stage::answer)].on_time == 2);
    CHECK(st[int(Stage::answer)].overdue == 1);
    CHECK(st[int(Stage::approval)].done == 1);
    CHECK(st[int(Stage::approval)].on_time == 1);
    // c11 has waited for the head's SETUJU since 11 November; c4's answer came on the 30th.
    CHECK(st[int(Stage::approval)].overdue == 1);
    // Triage runs from triaged/refused only (wadul-sla's rule). The report used to count every
    // received-to-routed stretch as an "admin" stage too (8 done); now c3's refusal (Tuesday
    // 11:00) to its re-assignment (13:00) is the one done, in time (1 working day); c10, triaged
    // Friday 13 November 08:00, was due Monday 16 November 08:00 and is still there: overdue.
    CHECK(st[int(Stage::triage)].done == 1);
    CHECK(st[int(Stage::triage)].on_time == 1);
    CHECK(st[int(Stage::triage)].overdue == 1);
    // Follow-up: only c1 (SETUJU Wednesday 14:00, delivered 14:05).
    CHECK(st[int(Stage::followup)].done == 1);
    CHECK(st[int(Stage::followup)].on_time == 1);
    REQUIRE(r.total.compliance());
    CHECK(*r.total.compliance() == doctest::Approx(6.0 / 13.0));
    REQUIRE(r.total.followup_share());
    CHECK(*r.total.followup_share() == doctest::Approx(1.0 / 8.0));

    std::set<std::string> overdue;
    for (const auto &o : r.overdue) overdue.insert(o.ticket);
    CHECK(overdue == std::set<std::string>{s.ticket["c2"], s.ticket["c3"], s.ticket["c7"], s.ticket["c9"],
                                           s.ticket["c10"], s.ticket["c11"]});
    CHECK(r.total.overdue == 5); // c7 is October's
    for (const auto &o : r.overdue) {
        if (o.ticket == s.ticket["c10"]) {
            CHECK(o.agency_code.empty());
            CHECK(o.stage == Stage::triage);
        }
        if (o.ticket == s.ticket["c2"]) {
            CHECK(o.confidential);
            CHECK(o.text.empty());
        }
        if (o.ticket == s.ticket["c9"]) {
            // TERIMA Thursday 12 November 09:10 + 3 working days = Tuesday 17 November 09:10.
            CHECK(o.stage == Stage::answer);
            CHECK(o.due == T(11, 17, 9, 10));
        }
        if (o.ticket == s.ticket["c2"]) {
            // From the forward SMS (09:00:10), not the routing (09:00:05): the agency's clock
            // starts when it has the complaint.
            CHECK(o.stage == Stage::disposition);
            CHECK(o.stage_since == T(11, 9, 9, 0, 10));
            CHECK(o.due == T(11, 9, 9, 30, 10));
        }
        if (o.ticket == s.ticket["c11"]) {
            // JAWAB Wednesday 11 November 09:00 + 1 working day; the pause ended before it began.
            CHECK(o.stage == Stage::approval);
            CHECK(o.due == T(11, 12, 9));
        }
    }

    // Time to TERIMA at DINKES from the assignment: c11 295 s, c9 595 s, c1 1195 s, c4 3605 s.
    const Quantiles &q = row(r, "DINKES").now.from_assignment[kMsAccepted];
    CHECK(q.n == 4);
    CHECK(q.median_h == doctest::Approx(595.0 / 3600));
    CHECK(q.p90_h == doctest::Approx(3605.0 / 3600));
}

TEST_CASE("CSV is the same byte for byte, and never names a confidential reporter") {
    Scenario s;
    auto render = [&](bool excel) {
        std::string all;
        for (const auto &t : monthly_csv_tables(build_monthly_report(s.db, s.cfg, s.cal, kNov), excel))
            for (const auto &row : t.rows)
                for (const auto &f : row) all += f + "\x1f";
        return all;
    };
    const std::string one = render(false);
    CHECK(one == render(false));
    for (const std::string &secret : {std::string(kSecretPhone), std::string(kSecretName), std::string("RAHASIA-7731")}) {
        CHECK(one.find(secret) == std::string::npos);
        CHECK(render(true).find(secret) == std::string::npos);
    }
    for (const char *fmt : {"table", "json", "csv"}) {
        std::ostringstream out;
        list_complaints(s.db, {}, parse_list_format(fmt), out);
        CAPTURE(fmt);
        CHECK(out.str().find(s.ticket["c2"]) != std::string::npos);
        CHECK(out.str().find(kSecretPhone) == std::string::npos);
        CHECK(out.str().find(kSecretName) == std::string::npos);
    }
    std::ostringstream shown;
    show_complaint(s.db, s.cfg, s.cal, s.ticket["c2"], kNov.end(), shown);
    CHECK(shown.str().find(kSecretPhone) == std::string::npos);
    CHECK(shown.str().find(kSecretName) == std::string::npos);
    CHECK(shown.str().find("(confidential)") != std::string::npos);
    CHECK(shown.str().find("overdue") != std::string::npos);
}

TEST_CASE("complaints filters") {
    Scenario s;
    auto count = [&](ComplaintFilter f) {
        std::ostringstream out;
        return list_complaints(s.db, f, ListFormat::Csv, out);
    };
    CHECK(count({}) == 11);
    CHECK(count({"closed", "", std::nullopt, std::nullopt}) == 2);
    CHECK(count({"open", "", std::nullopt, std::nullopt}) == 9);
    CHECK(count({"", "DPUTARU", std::nullopt, std::nullopt}) == 3);
    CHECK(count({"", "", T(11, 30, 0), std::nullopt}) == 2);
    // Closed on or after a date (the day's follow-ups for LAPOR!): c1's answer went on 4 November,
    // c6's on 21 October.
    CHECK(count({"", "", std::nullopt, T(11, 1, 0)}) == 1);
    CHECK(count({"", "", std::nullopt, T(10, 1, 0)}) == 2);
    CHECK(count({"", "", std::nullopt, T(11, 5, 0)}) == 0);
    CHECK_THROWS_AS(count({"nonsense", "", std::nullopt, std::nullopt}), Error);
    CHECK_THROWS_AS(count({"", "NOPE", std::nullopt, std::nullopt}), Error);
}

TEST_CASE("the listing carries the follow-up result: latest answer, closing time, confidential answers redacted") {
    Scenario s;
    auto event = [&](const char *key, Timestamp at, const char *kind, const char *detail) {
        EventInput e;
        e.complaint_id = s.cid[key];
        e.at = at;
        e.kind = kind;
        e.actor = "+6281100000021";
        e.agency_id = s.agency["DPUTARU"];
        e.officer_id = s.officer["LB"];
        if (detail) e.detail = detail;
        append_event(s.db, e);
    };
    event("c2", T(11, 20, 9), "accepted", nullptr);
    event("c2", T(11, 20, 10), "answered", "Draf pertama");
    event("c2", T(11, 21, 10), "answered", "Pelapor +628222333444 sudah kami hubungi");
    std::ostringstream csv, json;
    list_complaints(s.db, {}, ListFormat::Csv, csv);
    list_complaints(s.db, {}, ListFormat::Json, json);
    CHECK(csv.str().find(kSecretPhone) == std::string::npos);
    CHECK(json.str().find(kSecretPhone) == std::string::npos);
    // The latest answer only, redacted, with its time; not closed yet.
    CHECK(csv.str().find("Pelapor (confidential) sudah kami hubungi,2026-11-21T10:00:00+07:00,\r\n") !=
          std::string::npos);
    CHECK(csv.str().find("Draf pertama") == std::string::npos);
    // c1 was answered on 4 November 10:00 and its answer delivered at 14:05.
    CHECK(csv.str().find(s.ticket["c1"]) != std::string::npos);
    CHECK(csv.str().find(",2026-11-04T10:00:00+07:00,2026-11-04T14:05:00+07:00\r\n") != std::string::npos);
    CHECK(json.str().find("\"closed_at\":\"2026-11-04T14:05:00+07:00\"") != std::string::npos);
}

TEST_CASE("working time, quantiles and months") {
    Scenario s;
    WorkClock wc(s.cal);
    const Timestamp base = T(10, 1, 0);
    for (int i = 0; i < 200; ++i) {
        const Timestamp x = base + (i * 7919LL * 61) % (90 * 86400), y = x + (i * 104729LL) % (20 * 86400);
        CAPTURE(i);
        CHECK(wc.between(x, y) == s.cal.working_seconds(x, y));
    }
    std::vector<std::int64_t> v = {36000, 3600, 7200, 10800, 14400, 18000, 21600, 25200, 28800, 32400};
    const Quantiles q = quantiles(v);
    CHECK(q.n == 10);
    CHECK(q.median_h == doctest::Approx(5));
    CHECK(q.p90_h == doctest::Approx(9));
    CHECK(Month::parse("2026-11")->month == 11);
    CHECK_FALSE(Month::parse("2026-13"));
    CHECK_FALSE(Month::parse("26-11"));
    CHECK(Month::before(T(1, 1, 0, 0, 0, 2027)).iso() == "2026-12");
    CHECK(Month::before(T(12, 1, 8)).iso() == "2026-11");
    CHECK(kNov.end() - kNov.start() == 30 * 86400);
}

TEST_CASE("complaints an admin closed without an answer are counted apart") {
    Scenario s;
    auto add = [&](Timestamp received, std::optional<Timestamp> closed) {
        Tx tx(s.db);
        NewComplaint c;
        c.reporter = "+6285700000099";
        c.text = "Terima kasih pak";
        c.received_at = received;
        const auto ref = create_complaint(s.db, c);
        append_event(s.db, {ref.id, received + 5, "triaged", "system", std::nullopt, std::nullopt, "no duty word"});
        if (closed)
            append_event(s.db, {ref.id, *closed, "closed", "admin:rina", std::nullopt, std::nullopt,
                                std::string("ucapan terima kasih")});
        tx.commit();
    };
    add(T(11, 5, 9), T(11, 5, 10));  // closed in the month
    add(T(11, 27, 9), T(12, 1, 9));  // closed only after the month: still open at its end
    add(T(11, 6, 9), std::nullopt);  // never closed
    const MonthlyReport r = build_monthly_report(s.db, s.cfg, s.cal, kNov);
    const std::int64_t expected = s.sql_int(
        "SELECT count(*) FROM complaint c WHERE received_at >= ?1 AND received_at < ?2 AND EXISTS (SELECT 1 FROM "
        "event e WHERE e.complaint_id = c.id AND e.kind = 'closed' AND e.at < ?2) AND NOT EXISTS (SELECT 1 FROM event "
        "e WHERE e.complaint_id = c.id AND e.kind = 'delivered' AND e.at < ?2)",
        kNov.start(), kNov.end());
    CHECK(expected == 1);
    CHECK(r.total.closed_unanswered == expected);
    CHECK(r.total.received == 11);
}

TEST_CASE("an officer who replied before the forward SMS reached them has responded, in no time") {
    // TERIMA by phone while the modem was down; the forward went out two hours later.
    const std::unordered_map<std::int64_t, std::string> phones = {{7, "+6281100000001"}, {8, "+6281100000009"}};
    Track t(1, T(11, 2, 8), phones, true);
    t.apply(T(11, 2, 8), EventKind::Received, "+6285700000000", std::nullopt, std::nullopt);
    t.apply(T(11, 2, 8, 1), EventKind::Routed, "system", 1, std::nullopt);
    t.apply(T(11, 2, 9), EventKind::Accepted, "+6281100000001", 1, 7);
    t.apply(T(11, 2, 11), EventKind::Forwarded, "system", 1, 7);
    t.apply(T(11, 2, 11), EventKind::Forwarded, "system", 1, 8);
    REQUIRE(t.forwards().size() == 2);
    CHECK(t.forwards()[0].responded == T(11, 2, 11));
    CHECK(t.forwards()[1].responded == kNever); // the head did not reply
    // The disposition was done before the agency's clock could start: on time, no deadline.
    REQUIRE(t.stages().spans().size() == 2);
    CHECK(t.stages().spans()[0].unsent);
    CHECK(t.stages().spans()[0].ended == T(11, 2, 9));
}

TEST_CASE("complaints whose forward never reached the agency: listed with the reason, no breach of the agency's") {
    Scenario s;
    const MonthlyReport before = build_monthly_report(s.db, s.cfg, s.cal, kNov);
    REQUIRE(before.unsent.empty());
    std::map<std::string, std::int64_t> route; // complaint key → its routing event
    {
        Tx tx(s.db);
        auto complaint = [&](const char *key, Timestamp at, const char *ag, bool confidential = false) {
            NewComplaint c;
            c.reporter = "+6285700000055";
            c.text = std::string("Aduan ") + key;
            c.received_at = at;
            c.confidential = confidential;
            const auto ref = create_complaint(s.db, c);
            s.ticket[key] = ref.ticket;
            s.cid[key] = ref.id;
            route[key] = append_event(s.db, {ref.id, at + 5, "routed", "system", s.agency[ag], std::nullopt,
                                             std::nullopt});
        };
        // One forward row as wadul-forward queues it (fwd:ROUTE:OFFICER) and as the modem left it.
        auto outbound = [&](const char *key, const char *off, const char *status, Timestamp created, Timestamp next,
                            std::optional<Timestamp> sent = std::nullopt) {
            Stmt(s.db, "INSERT INTO outbound(recipient, text, purpose, complaint_id, dedupe, created_at, status, "
                       "attempts, next_attempt_at, sent_at) VALUES ((SELECT phone FROM officer WHERE id = ?), 'WADUL', "
                       "'forward', ?, ?, ?, ?, 1, ?, ?)")
                .args(s.officer[off], s.cid[key], fmt::format("fwd:{}:{}", route[key], s.officer[off]), created,
                      status, next, sent)
                .run();
        };
        // u1: DINKES has a liaison, but both forwards failed (a dead number) on Tuesday 24 November.
        complaint("u1", T(11, 24, 9), "DINKES");
        outbound("u1", "L2", "failed", T(11, 24, 9, 1), T(11, 24, 9, 10));
        outbound("u1", "HA", "failed", T(11, 24, 9, 1), T(11, 24, 9, 10));
        // u2: DINSOS never had a liaison officer: nothing was queued, wadul-forward noted it.
        complaint("u2", T(11, 25, 10), "DINSOS", true);
        append_event(s.db, {s.cid["u2"], T(11, 25, 10, 1), "note", "system", s.agency["DINSOS"], std::nullopt,
                            std::string("not forwarded: no officer registered for Dinas Sosial")});
        // u3: the forward went out and TERIMA came in time: not listed.
        complaint("u3", T(11, 26, 9), "DPUTARU");
        outbound("u3", "LB", "sent", T(11, 26, 9, 1), T(11, 26, 9, 1), T(11, 26, 9, 2));
        append_event(s.db, {s.cid["u3"], T(11, 26, 9, 2), "forwarded", "system", s.agency["DPUTARU"], s.officer["LB"],
                            std::nullopt});
        append_event(s.db, {s.cid["u3"], T(11, 26, 9, 20), "accepted", "+6281100000021", s.agency["DPUTARU"],
                            s.officer["LB"], std::nullopt});
        // u4: routed on Monday 30 November at 15:10, 20 office minutes before closing: not yet.
        complaint("u4", T(11, 30, 15, 10) - 5, "DPUTARU");
        outbound("u4", "LB", "queued", T(11, 30, 15, 11), T(11, 30, 15, 11));
        // u7: routed at 15:00, exactly 30 office minutes before the end: listed; nothing queued.
        complaint("u7", T(11, 30, 15) - 5, "DPUTARU");
        // u5: October's, routed to DPUTARU while the modem was down; its forward was given up on
        // only on 2 December: at the end of November it was still waiting.
        complaint("u5", T(10, 28, 9), "DPUTARU");
        outbound("u5", "LB", "failed", T(10, 28, 9, 1), T(12, 2, 8));
        // u6: its only forward was cancelled on 20 November, and none queued since.
        complaint("u6", T(11, 19, 9), "DPUTARU");
        outbound("u6", "LB", "cancelled", T(11, 19, 9, 1), T(11, 20, 8));
        tx.commit();
    }
    const MonthlyReport r = build_monthly_report(s.db, s.cfg, s.cal, kNov);
    std::map<std::string, const UnsentRow *> by_ticket;
    for (const auto &u : r.unsent) by_ticket[u.ticket] = &u;
    std::string reasons; // "u1:failed ...", in the report's order
    for (const auto &u : r.unsent)
        for (const auto &[key, ticket] : s.ticket)
            if (ticket == u.ticket) reasons += key + ":" + unsent_reason_key(u.reason) + " ";
    // By agency code (DINKES, DINSOS, DPUTARU), then the routing's time; not u3 (sent) nor u4
    // (routed 20 office minutes before the end).
    CHECK(reasons == "u1:failed u2:no_liaison u5:queued u6:cancelled u7:not_queued ");
    // The same condition as wadul-sla's notice to the admins, checked here on the calendar itself.
    for (const auto &u : r.unsent) {
        CAPTURE(u.ticket);
        CHECK(s.cal.working_seconds(u.routed_at, kNov.end()) >= s.cfg.sla.disposition_minutes * 60);
        CHECK(u.waited_hours == doctest::Approx(s.cal.working_seconds(u.routed_at, kNov.end()) / 3600.0));
    }
    const UnsentRow &u2 = *by_ticket.at(s.ticket["u2"]);
    // Wednesday 25 November 10:00:05 to the end: 5.5 + 8.5 + 4.5 (Friday) + 8.5 working hours, less 5 s.
    CHECK(u2.waited_hours == doctest::Approx(27.0 - 5.0 / 3600));
    CHECK(u2.routed_at == T(11, 25, 10, 0, 5));
    CHECK(u2.agency_code == "DINSOS");
    CHECK(u2.confidential);
    CHECK(u2.text.empty());
    CHECK(by_ticket.at(s.ticket["u7"])->waited_hours == doctest::Approx(0.5));
    CHECK(by_ticket.at(s.ticket["u1"])->text == "Aduan u1");
    // At the end of October only u5 was waiting.
    CHECK(r.prev_unsent == 1);

    // No breach of the agency's: not overdue, no disposition stage of theirs overdue or late (u3's
    // is done in time); but they are open at the end of the month (u3 too).
    for (const auto &o : r.overdue)
        for (const char *key : {"u1", "u2", "u4", "u5", "u6", "u7"}) CHECK(o.ticket != s.ticket[key]);
    CHECK(r.overdue.size() == before.overdue.size());
    for (const char *code : {"DINKES", "DPUTARU", "DINSOS"}) {
        CAPTURE(code);
        const StageCount &now = row(r, code).now.stages[int(Stage::disposition)];
        const StageCount &was = row(before, code).now.stages[int(Stage::disposition)];
        CHECK(now.overdue == was.overdue);
        CHECK(now.done - now.on_time == was.done - was.on_time);
        CHECK(row(r, code).now.overdue == row(before, code).now.overdue);
    }
    CHECK(r.open_at_end == before.open_at_end + 7);

    // The summary CSV counts them, this month and the month before; their own CSV lists them.
    bool counted = false, listed = false;
    for (const auto &t : monthly_csv_tables(r, false)) {
        for (const auto &line : t.rows)
            if (!line.empty() && line[0] == "unsent") {
                counted = true;
                CHECK(line == std::vector<std::string>{"unsent",
                                                       "Aduan belum terkirim ke pejabat penghubung instansi pada akhir "
                                                       "bulan",
                                                       "5", "1", "4"});
            }
        if (t.name != "belum-terkirim") continue;
        listed = true;
        REQUIRE(t.rows.size() == 6);
        CHECK(t.rows[0] == std::vector<std::string>{"tiket", "diterima", "kode_instansi", "instansi", "diarahkan",
                                                    "belum_terkirim_jam_kerja", "sebab", "keterangan_sebab", "rahasia",
                                                    "isi"});
        CHECK(t.rows[2] == std::vector<std::string>{s.ticket["u2"], "2026-11-25 10:00", "DINSOS", "Dinas Sosial",
                                                    "2026-11-25 10:00", "27.0", "no_liaison",
                                                    "Tidak ada pejabat penghubung", "ya", ""});
        CHECK(t.rows[1][6] == "failed");
    }
    CHECK(counted);
    CHECK(listed);
}
