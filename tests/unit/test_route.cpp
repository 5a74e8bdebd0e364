#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <set>
#include <string>
#include <unistd.h>

#include "wadul/complaint.hpp"
#include "wadul/config.hpp"
#include "wadul/error.hpp"
#include "wadul/log.hpp"
#include "wadul/registry.hpp"
#include "wadul/route.hpp"
#include "wadul/route_admin.hpp"
#include "wadul/store.hpp"
#include "temp.hpp"

using namespace wadul;
using wadul::test::TempDir;
using wadul::test::TempFile;

namespace {

const char *const kRegistry = R"(
[[agency]]
code = "DPU"
name = "Dinas Pekerjaan Umum"
duties = ["jalan rusak", "jalan berlubang", "jembatan", "drainase"]
  [[agency.officer]]
  name = "Budi"
  phone = "081200000101"
  [[agency.officer]]
  name = "Kepala DPU"
  phone = "081200000102"
  role = "head"

[[agency]]
code = "DISHUB"
name = "Dinas Perhubungan"
duties = ["lampu jalan", "PJU", "parkir liar", "terminal"]
  [[agency.officer]]
  name = "Sari"
  phone = "081200000201"

[[agency]]
code = "DLH"
name = "Dinas Lingkungan Hidup"
duties = ["sampah", "limbah", "saluran"]
  [[agency.officer]]
  name = "Wati"
  phone = "081200000301"

[[agency]]
code = "PASAR"
name = "Dinas Perdagangan"
duties = ["pasar", "saluran"]
)";

std::vector<AgencyDuties> duties() {
    return {{"DPU", {"jalan rusak", "jalan berlubang", "jembatan"}},
            {"DISHUB", {"lampu jalan", "PJU", "parkir liar"}},
            {"DLH", {"sampah", "saluran"}},
            {"PASAR", {"pasar", "saluran"}}};
}

std::int64_t count(Db &db, const std::string &sql) {
    Stmt s(db, sql);
    s.step();
    return s.i64(0);
}

std::string str(Db &db, const std::string &sql) {
    Stmt s(db, sql);
    return s.step() ? s.str(0) : "";
}

struct Store {
    TempFile registry;
    Db db = Db::memory();
    Config cfg = default_config();
    Log log{"test", 0, true};
    Store() {
        registry.write(kRegistry);
        sync_registry(db, registry.path, 100);
        cfg.route.threshold = 0.5;
        cfg.route.learn = true;
    }
    std::string complaint(const std::string &text, Timestamp at = 1000) {
        Tx tx(db);
        NewComplaint c;
        c.reporter = "+6281299990000";
        c.text = text;
        c.received_at = at;
        auto ref = create_complaint(db, c);
        tx.commit();
        return ref.ticket;
    }
    std::string status(const std::string &ticket) { return str(db, "SELECT status FROM complaint WHERE ticket='" + ticket + "'"); }
    std::string agency(const std::string &ticket) {
        return str(db, "SELECT a.code FROM complaint c JOIN agency a ON a.id=c.agency_id WHERE c.ticket='" + ticket + "'");
    }
    std::int64_t id(const std::string &ticket) { return count(db, "SELECT id FROM complaint WHERE ticket='" + ticket + "'"); }
    void officer_event(const std::string &ticket, const std::string &kind, const std::string &phone, Timestamp at,
                       const std::string &detail = "") {
        auto o = find_officer(db, phone);
        REQUIRE(o);
        Tx tx(db);
        append_event(db, {id(ticket), at, kind, phone, std::nullopt, o->id, detail});
        tx.commit();
    }
    // A further SMS from the citizen, as wadul-fetch records it.
    void followup(const std::string &ticket, const std::string &text, Timestamp at) {
        Tx tx(db);
        append_event(db, {id(ticket), at, "followup", "+6281299990000", std::nullopt, std::nullopt, text});
        tx.commit();
    }
    std::int64_t events(const std::string &ticket) {
        return count(db, "SELECT count(*) FROM event WHERE complaint_id=" + std::to_string(id(ticket)));
    }
    AssignResult assign(const std::string &ticket, const std::string &agency, bool reroute = false, Timestamp at = 5000) {
        return assign_complaint(db, {ticket, agency, "rina", "", reroute}, at);
    }
};

// Twelve confirmed complaints: "jalan rusak" texts that the admins gave to DISHUB (street
// lights), and road-surface texts to DPU.
std::vector<std::pair<std::string, std::string>> lamp_and_road_samples() {
    std::vector<std::pair<std::string, std::string>> samples;
    for (int i = 0; i < 6; ++i) {
        samples.emplace_back("jalan rusak lampu padam gelap malam " + std::to_string(i), "DISHUB");
        samples.emplace_back("aspal mengelupas retak tanjakan " + std::to_string(i), "DPU");
    }
    return samples;
}

int code_of(const std::function<void()> &f, std::string *msg = nullptr) {
    try {
        f();
    } catch (const Error &e) {
        if (msg) *msg = e.what();
        return e.code();
    }
    return 0;
}

} // namespace

TEST_CASE("duty words route SMS spelling to the agency") {
    Router r(duties());
    auto d = r.decide("jln rsk parah di dpn balai desa");
    REQUIRE(d.agency);
    CHECK(*d.agency == "DPU");
    CHECK(d.reason == "duty words: jalan rusak");
    CHECK(d.confidence >= 0.75);

    // Words between the words of a phrase, and a stemmed form ("berlubang" → "lubang").
    d = r.decide("jalan desa kami rsk dan berlubang2");
    REQUIRE(d.agency);
    CHECK(*d.agency == "DPU");

    // The phrase that starts first is the head: a broken street lamp is the transport office's.
    d = r.decide("lampu jalan rusak sudah seminggu");
    REQUIRE(d.agency);
    CHECK(*d.agency == "DISHUB");
    CHECK(d.reason == "duty words: lampu jalan");

    d = r.decide("Tolong pak, PJU mati di jl. Pemuda");
    REQUIRE(d.agency);
    CHECK(*d.agency == "DISHUB");
}

TEST_CASE("no match and ties are low confidence, never a silent guess") {
    Router r(duties());
    auto d = r.decide("mohon perhatian bapak bupati");
    CHECK_FALSE(d.agency);
    CHECK(d.confidence == 0);
    CHECK(d.reason == "no duty word matched");

    // "saluran" belongs to two agencies equally.
    d = r.decide("saluran mampet");
    CHECK(d.confidence < 0.5);
    CHECK(d.reason.find("duty words tie") == 0);

    // More evidence for one agency beats a single word for another.
    d = r.decide("sampah menumpuk, limbah dibuang ke pasar");
    Router r2({{"DLH", {"sampah", "limbah"}}, {"PASAR", {"pasar"}}});
    d = r2.decide("sampah menumpuk, limbah dibuang ke pasar");
    REQUIRE(d.agency);
    CHECK(*d.agency == "DLH");
    CHECK(d.confidence > 0.5);
    CHECK(d.confidence < r2.decide("sampah dan limbah").confidence);
}

TEST_CASE("phrases of numbers or function words alone are ignored") {
    Router r({{"BKD", {"P3K", "yang"}}, {"DPU", {"jalan rusak"}}});
    auto d = r.decide("yang 3 hari jalan rusak");
    REQUIRE(d.agency);
    CHECK(*d.agency == "DPU");
    CHECK(d.reason == "duty words: jalan rusak");
}

TEST_CASE("route_pending routes or triages by the threshold, with confidence and reason in the log") {
    Store s;
    const auto road = s.complaint("jalan rusak berlubang di Sluke");
    const auto vague = s.complaint("pelayanan lambat sekali");
    const auto tie = s.complaint("saluran mampet bau");
    RouteRun r = route_pending(s.db, s.cfg, 2000, s.log);
    CHECK(r.routed == 1);
    CHECK(r.triaged == 2);
    CHECK(s.status(road) == "routed");
    CHECK(s.agency(road) == "DPU");
    CHECK(s.status(vague) == "triage");
    CHECK(s.status(tie) == "triage");
    const auto detail = str(s.db, "SELECT detail FROM event WHERE kind='routed'");
    CHECK(detail.rfind("confidence=0.", 0) == 0);
    CHECK(detail.find("duty words: jalan rusak, jalan berlubang") != std::string::npos);
    CHECK(str(s.db, "SELECT actor FROM event WHERE kind='routed'") == "system");
    const auto tdetail = str(s.db, "SELECT detail FROM event WHERE kind='triaged' AND complaint_id=" +
                                       std::to_string(s.id(tie)));
    CHECK(tdetail.find("below threshold 0.50") != std::string::npos);
    CHECK(tdetail.find("duty words tie") != std::string::npos);

    // Re-runs are harmless: nothing is 'received' any more.
    const auto events = count(s.db, "SELECT count(*) FROM event");
    r = route_pending(s.db, s.cfg, 2100, s.log);
    CHECK(r.routed + r.triaged == 0);
    CHECK(count(s.db, "SELECT count(*) FROM event") == events);

    // A stricter threshold sends even a clear match to triage.
    s.cfg.route.threshold = 0.95;
    const auto lamp = s.complaint("lampu jalan mati");
    r = route_pending(s.db, s.cfg, 2200, s.log);
    CHECK(r.triaged == 1);
    CHECK(s.status(lamp) == "triage");
    CHECK(str(s.db, "SELECT detail FROM event WHERE kind='triaged' ORDER BY id DESC LIMIT 1").find("best guess DISHUB") !=
          std::string::npos);
}

TEST_CASE("a retired agency gets nothing") {
    Store s;
    std::string next = kRegistry;
    next.erase(next.find("[[agency]]\ncode = \"DISHUB\""), next.find("[[agency]]\ncode = \"DLH\"") -
                                                                  next.find("[[agency]]\ncode = \"DISHUB\""));
    s.registry.write(next);
    sync_registry(s.db, s.registry.path, 150);
    const auto lamp = s.complaint("lampu jalan mati");
    route_pending(s.db, s.cfg, 2000, s.log);
    CHECK(s.status(lamp) == "triage");
    std::string msg;
    CHECK(code_of([&] { s.assign(lamp, "dishub"); }, &msg) == kExitDataErr);
    CHECK(msg == "agency 'DISHUB' is retired: it is no longer in the registry");
}

TEST_CASE("admin assign and reroute, with their errors") {
    Store s;
    const auto t = s.complaint("pelayanan lambat sekali");
    const auto road = s.complaint("jalan rusak");
    route_pending(s.db, s.cfg, 2000, s.log);
    REQUIRE(s.status(t) == "triage");

    std::string msg;
    CHECK(code_of([&] { s.assign("ZZZZZZZ", "DPU"); }, &msg) == kExitDataErr);
    CHECK(code_of([&] { s.assign("0000000", "DPU"); }, &msg) == kExitDataErr);
    CHECK(code_of([&] { s.assign(t, "DPUU"); }, &msg) == kExitDataErr);
    CHECK(msg == "unknown agency 'DPUU'; did you mean DPU?");
    CHECK(code_of([&] { s.assign(t, "perhubungan"); }, &msg) == kExitDataErr);
    CHECK(msg == "unknown agency 'perhubungan'; did you mean DISHUB?");
    CHECK(code_of([&] { s.assign(t, "XYZXYZXYZ"); }, &msg) == kExitDataErr);
    CHECK(msg.find("'wadul-route agencies' lists the codes") != std::string::npos);
    CHECK(code_of([&] { s.assign(t, "DPU", true); }, &msg) == kExitDataErr);
    CHECK(msg.find("is not with an agency (status triage); use 'wadul-route assign'") != std::string::npos);

    // The ticket as a citizen might type it: lower case, with a space.
    std::string typed = t;
    for (auto &c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    typed.insert(3, " ");
    auto r = s.assign(typed, "dlh");
    CHECK(r.agency == "DLH");
    CHECK(r.previous_status == "triage");
    CHECK(s.status(t) == "routed");
    CHECK(s.agency(t) == "DLH");
    CHECK(str(s.db, "SELECT actor FROM event WHERE kind='assigned'") == "admin:rina");
    CHECK(code_of([&] { s.assign(t, "DLH"); }, &msg) == kExitDataErr);
    CHECK(msg.find("is already with DLH") != std::string::npos);

    // Re-routing after the officer was sent it: the earlier forward is superseded.
    {
        Tx tx(s.db);
        append_event(s.db, {s.id(road), 2500, "forwarded", "system", std::nullopt,
                            find_officer(s.db, "+6281200000101")->id, std::nullopt});
        tx.commit();
    }
    r = s.assign(road, "DISHUB", true);
    CHECK(r.previous_agency == "DPU");
    CHECK(r.superseded_forwards == 1);
    CHECK(s.agency(road) == "DISHUB");
    CHECK(s.status(road) == "routed");
    CHECK(str(s.db, "SELECT detail FROM event WHERE kind='assigned' ORDER BY id DESC LIMIT 1") ==
          "re-routed from DPU (forwarded); supersedes 1 forward(s) to DPU");

    {
        Tx tx(s.db);
        append_event(s.db, {s.id(road), 2600, "closed", "admin:rina", std::nullopt, std::nullopt, "duplicate"});
        tx.commit();
    }
    CHECK(code_of([&] { s.assign(road, "DPU"); }, &msg) == kExitDataErr);
    CHECK(msg.find("is closed") != std::string::npos);
}

TEST_CASE("refusal returns to triage; the admin's correction teaches the learner") {
    Store s;
    s.cfg.route.min_samples = 10; // the test's history is small; the default waits for 100
    // Street lamps described in words the registry does not list: the duty words miss them.
    const std::vector<std::string> lamp_texts = {
        "tiang penerangan di perempatan padam sejak kemarin",  "penerangan perempatan desa padam total",
        "tiang penerangan roboh dan padam di tikungan",        "penerangan tikungan gelap karena padam",
        "perempatan gelap tiang penerangan padam rawan",       "penerangan umum padam di tikungan tajam"};
    const std::vector<std::string> road_texts = {
        "aspal mengelupas jalan kabupaten retak parah", "aspal retak dan mengelupas sepanjang jalan kabupaten",
        "jalan kabupaten aspal mengelupas membahayakan", "aspal mengelupas di tanjakan jalan kabupaten retak",
        "retak aspal jalan kabupaten makin lebar",       "jalan kabupaten retak aspalnya mengelupas"};

    // A lamp complaint the duty words wrongly send to DPU ("jalan rusak"); its officer refuses.
    const auto wrong = s.complaint("tiang penerangan padam, jalan rusak gelap di perempatan");
    route_pending(s.db, s.cfg, 2000, s.log);
    REQUIRE(s.agency(wrong) == "DPU");
    s.officer_event(wrong, "refused", "+6281200000101", 2100, "bukan tupoksi DPU, ini lampu");
    CHECK(s.status(wrong) == "triage");

    // The cron run leaves it for the admin, and the queue says who refused it and why.
    auto run = route_pending(s.db, s.cfg, 2200, s.log);
    CHECK(run.routed + run.triaged == 0);
    CHECK(s.status(wrong) == "triage");
    auto queue = triage_queue(s.db);
    REQUIRE(queue.size() == 1);
    CHECK(queue[0].ticket == wrong);
    CHECK(queue[0].reason == "refused by DPU: bukan tupoksi DPU, ini lampu");
    CHECK(confirmed_samples(s.db).empty()); // a refusal alone is no label

    s.assign(wrong, "DISHUB", false, 2300);
    auto samples = confirmed_samples(s.db);
    REQUIRE(samples.size() == 1);
    CHECK(samples[0].second == "DISHUB");

    // More history: admins assign vague lamp complaints, officers accept road ones.
    Timestamp at = 3000;
    for (const auto &t : lamp_texts) s.assign(s.complaint(t, at), "DISHUB", false, at + 1), at += 10;
    for (const auto &t : road_texts) {
        const auto tk = s.complaint(t, at);
        s.assign(tk, "DPU", false, at + 1);
        s.officer_event(tk, "accepted", "+6281200000101", at + 2);
        at += 10;
    }
    // An officer's acceptance for their own agency counts too.
    samples = confirmed_samples(s.db);
    CHECK(samples.size() == 13);
    CHECK(learning_due(s.db));

    // The cron run retrains first, then routes with the model.
    const auto fresh = s.complaint("penerangan di perempatan padam lagi", 9000);
    run = route_pending(s.db, s.cfg, 9100, s.log);
    CHECK(run.retrained);
    CHECK(run.train_samples == 13);
    CHECK_FALSE(learning_due(s.db));
    Router router = Router::from_store(s.db);
    REQUIRE(router.has_model());
    auto m = router.by_model("tiang penerangan padam");
    REQUIRE(m);
    REQUIRE(m->agency);
    CHECK(*m->agency == "DISHUB");
    m = router.by_model("aspal jalan kabupaten mengelupas");
    REQUIRE(m->agency);
    CHECK(*m->agency == "DPU");
    CHECK(s.status(fresh) == "routed");
    CHECK(s.agency(fresh) == "DISHUB");
    CHECK(str(s.db, "SELECT detail FROM event WHERE kind='routed' ORDER BY id DESC LIMIT 1").find("model") !=
          std::string::npos);
    CHECK(count(s.db, "SELECT samples FROM route_model") == 13);
}

TEST_CASE("a greeting sent first: the router reads the complaint in its follow-up") {
    Store s;
    const auto greet = s.complaint("Assalamualaikum pak bupati");
    auto run = route_pending(s.db, s.cfg, 1010, s.log);
    CHECK(run.triaged == 1);
    REQUIRE(s.status(greet) == "triage");
    auto queue = triage_queue(s.db);
    REQUIRE(queue.size() == 1);
    CHECK(queue[0].followups.empty());

    // Until a follow-up arrives, re-runs leave it alone.
    auto before = s.events(greet);
    run = route_pending(s.db, s.cfg, 1020, s.log);
    CHECK(run.routed + run.triaged + run.reread == 0);
    CHECK(s.events(greet) == before);

    // The admin sees the follow-up in the queue before the next run.
    s.followup(greet, "Jalan rusak parah di desa Sumber, banyak lubang, mohon diperbaiki", 1060);
    queue = triage_queue(s.db);
    REQUIRE(queue.size() == 1);
    REQUIRE(queue[0].followups.size() == 1);
    CHECK(queue[0].followups[0].find("Jalan rusak parah") == 0);
    CHECK(format_triage(queue, "table").find("Assalamualaikum pak bupati / Jalan rusak parah") != std::string::npos);
    CHECK(format_triage(queue, "json").find("\"followups\": [\"Jalan rusak parah") != std::string::npos);
    const auto tsv = format_triage(queue, "tsv");
    CHECK(tsv.rfind("ticket\treceived\ttriaged\tsource\treason\ttext\tfollowups\n", 0) == 0);
    CHECK(tsv.find("\tAssalamualaikum pak bupati\tJalan rusak parah") != std::string::npos);

    run = route_pending(s.db, s.cfg, 1120, s.log);
    CHECK(run.routed == 1);
    CHECK(s.status(greet) == "routed");
    CHECK(s.agency(greet) == "DPU");
    const auto detail = str(s.db, "SELECT detail FROM event WHERE kind='routed'");
    CHECK(detail.find("1 follow-up SMS read with the text") != std::string::npos);
    CHECK(detail.find("duty words: jalan rusak") != std::string::npos);
    CHECK(triage_queue(s.db).empty());
}

TEST_CASE("follow-ups that say no more leave the complaint in triage, read once") {
    Store s;
    const auto greet = s.complaint("Assalamualaikum pak");
    route_pending(s.db, s.cfg, 1010, s.log);
    s.followup(greet, "Pak tolong dibantu", 1060);
    auto run = route_pending(s.db, s.cfg, 1120, s.log);
    CHECK(run.reread == 1);
    CHECK(run.triaged == 0);
    CHECK(s.status(greet) == "triage");
    // A note, not a second `triaged` event: the triage stage's clock runs on from the first.
    CHECK(count(s.db, "SELECT count(*) FROM event WHERE kind='triaged'") == 1);
    const auto note = str(s.db, "SELECT detail FROM event WHERE kind='note' AND complaint_id=" + std::to_string(s.id(greet)));
    CHECK(note.rfind(std::string(kRereadNote), 0) == 0);
    CHECK(triage_queue(s.db)[0].reason == note);

    // No churn: the same follow-ups are not read again.
    const auto before = s.events(greet);
    run = route_pending(s.db, s.cfg, 1180, s.log);
    CHECK(run.routed + run.triaged + run.reread == 0);
    CHECK(s.events(greet) == before);

    // A later follow-up with the complaint routes it, on all the texts together.
    s.followup(greet, "lampu jalan di depan balai desa mati", 1200);
    run = route_pending(s.db, s.cfg, 1240, s.log);
    CHECK(run.routed == 1);
    CHECK(s.agency(greet) == "DISHUB");
    CHECK(str(s.db, "SELECT detail FROM event WHERE kind='routed'").find("2 follow-up SMS") != std::string::npos);
}

TEST_CASE("follow-ups of a refused or admin-handled complaint stay with the admin") {
    Store s;
    const auto refused = s.complaint("jalan rusak di dekat pasar");
    const auto noted = s.complaint("Assalamualaikum");
    route_pending(s.db, s.cfg, 1010, s.log);
    REQUIRE(s.status(refused) == "routed");
    s.officer_event(refused, "refused", "+6281200000101", 1020, "bukan tupoksi");
    REQUIRE(s.status(refused) == "triage");
    REQUIRE(s.status(noted) == "triage");
    admin_act(s.db, {AdminAct::note, noted, "rina", "sudah ditelepon"}, 1030);

    s.followup(refused, "jalan rusak parah berlubang", 1060);
    s.followup(noted, "jalan rusak parah berlubang", 1060);
    const auto events = count(s.db, "SELECT count(*) FROM event");
    const auto run = route_pending(s.db, s.cfg, 1120, s.log);
    CHECK(run.routed + run.triaged + run.reread == 0);
    CHECK(s.status(refused) == "triage");
    CHECK(s.status(noted) == "triage");
    CHECK(count(s.db, "SELECT count(*) FROM event") == events);
}

TEST_CASE("a new complaint is classified with the follow-ups stored before the run") {
    Store s;
    const auto greet = s.complaint("Selamat pagi pak");
    s.followup(greet, "sampah menumpuk di pinggir kali", 1030);
    const auto run = route_pending(s.db, s.cfg, 1120, s.log);
    CHECK(run.routed == 1);
    CHECK(s.agency(greet) == "DLH");
    CHECK(count(s.db, "SELECT count(*) FROM event WHERE kind='triaged'") == 0);
    // A phrase is not matched across two SMS: each is a sentence of its own.
    CHECK(routing_text("lampu", {"jalan rusak"}) == "lampu\njalan rusak");
}

TEST_CASE("the learner's label disagreeing with the duty words lowers the confidence") {
    Store s;
    REQUIRE(train_and_store(s.db, lamp_and_road_samples(), 5000, "test").stored);
    Router r = Router::from_store(s.db);
    const auto duty = r.by_duty_words("jalan rusak gelap malam");
    const auto model = r.by_model("jalan rusak gelap malam");
    REQUIRE(duty.agency);
    REQUIRE(model);
    REQUIRE(model->agency);
    CHECK(*duty.agency == "DPU");
    CHECK(*model->agency == "DISHUB");
    const auto d = r.decide("jalan rusak gelap malam");
    CHECK(d.confidence < std::max(duty.confidence, model->confidence));
    CHECK(d.reason.find("layers disagree") == 0);
}

TEST_CASE("training needs two agencies; a damaged model falls back to duty words") {
    Store s;
    auto t = train_and_store(s.db, {{"a b c", "DPU"}, {"a b d", "DPU"}}, 100, "test");
    CHECK_FALSE(t.stored);
    CHECK(count(s.db, "SELECT count(*) FROM route_model") == 0);
    s.db.exec("INSERT INTO route_model(id, trained_at, samples, data) VALUES (1, 1, 1, x'00ff00')");
    Router r = Router::from_store(s.db);
    CHECK_FALSE(r.has_model());
    CHECK_FALSE(r.model_error().empty());
    CHECK(*r.decide("jalan rusak").agency == "DPU");
}

TEST_CASE("Javanese complaints route by the shipped registry's duty words") {
    const auto agencies = parse_registry(WADUL_SOURCE_DIR "/etc/agencies.toml");
    std::vector<AgencyDuties> d;
    for (const auto &a : agencies) d.push_back({a.code, a.duties});
    Router r(d);
    const std::pair<const char *, const char *> cases[] = {
        {"Pak, dalan neng ngarep omahku rusak parah, akeh bolongane, mbok didandani", "DPUTARU"},
        {"Lampune dalan mati wis seminggu", "DINHUB"},
        {"banyune PDAM ora mili wis telung dina", "PDAM"},
        {"sampah numpuk ning pinggir kali", "DLH"},
        {"Nyuwun pirsa, margi ing ngajeng griya kula risak", "DPUTARU"},
        {"toya PDAM mboten mili", "PDAM"},
        {"jembatane ambrol", "DPUTARU"},
        {"puskesmase tutup terus", "DINKES"},
    };
    for (const auto &[text, want] : cases) {
        const auto dec = r.decide(text);
        INFO(text, " → ", dec.reason);
        REQUIRE(dec.agency);
        CHECK(*dec.agency == want);
        CHECK(dec.confidence >= 0.5);
    }
    // A duty word ending in "e" is itself, not a suffixed one; the suffix comes off duty words only.
    Router small({{"KEC-SALE", {"camat sale"}}, {"DPU", {"jembatan"}}, {"ONLINE", {"online"}}});
    CHECK(small.decide("camat sale").agency == std::optional<std::string>("KEC-SALE"));
    CHECK(small.decide("pendaftaran online").agency == std::optional<std::string>("ONLINE"));
    CHECK(small.decide("jembatane ambrol").agency == std::optional<std::string>("DPU"));
    CHECK_FALSE(small.decide("wartane").agency);
}

TEST_CASE("the shipped registry parses and has the fourteen kecamatan") {
    const auto agencies = parse_registry(WADUL_SOURCE_DIR "/etc/agencies.toml");
    std::set<std::string> codes;
    for (const auto &a : agencies) {
        codes.insert(a.code);
        CHECK_FALSE(a.duties.empty());
        for (const auto &o : a.officers) {
            // Placeholders until the Surat Tugas data replaces them.
            CHECK(o.name.find("(contoh)") != std::string::npos);
            CHECK(o.phone.rfind("+62812000", 0) == 0);
        }
    }
    for (const char *k : {"SUMBER", "BULU", "GUNEM", "SALE", "SARANG", "SEDAN", "PAMOTAN", "SULANG", "KALIORI",
                          "REMBANG", "PANCUR", "KRAGAN", "SLUKE", "LASEM"})
        CHECK(codes.count(std::string("KEC-") + k) == 1);
    for (const char *c : {"DPUTARU", "DINKES", "RSUD", "PDAM", "PLN", "POLRES", "BPN", "SATPOLPP", "BPBD"})
        CHECK(codes.count(c) == 1);

    // And routes everyday complaints where a citizen would expect.
    std::vector<AgencyDuties> d;
    for (const auto &a : agencies) d.push_back({a.code, a.duties});
    Router r(d);
    const std::pair<const char *, const char *> cases[] = {
        {"jln rsk parah bnyk lubang", "DPUTARU"},  {"lampu jalan mati sdh 3 hr", "DINHUB"},
        {"air pdam mati 2 minggu", "PDAM"},        {"listrik padam trs tiap malam", "PLN"},
        {"ktp sy blm jadi2", "DISDUKCAPIL"},       {"bansos pkh tdk cair", "DINSOSPPKB"},
        {"pupuk subsidi langka di kios", "DINTANPAN"}, {"banjir setinggi lutut", "BPBD"},
        {"sertifikat tanah PTSL blm jadi", "BPN"}, {"PKL jualan di trotoar alun2", "SATPOLPP"},
    };
    for (const auto &[text, want] : cases) {
        const auto dec = r.decide(text);
        INFO(text, " → ", dec.reason);
        REQUIRE(dec.agency);
        CHECK(*dec.agency == want);
        CHECK(dec.confidence >= 0.5);
    }
}

TEST_CASE("an address is where the citizen lives, not the kecamatan office") {
    Router r({{"DPU", {"jalan rusak"}},
              {"KEC-SALE", {"camat sale", "kantor kecamatan sale", "pelayanan kecamatan sale"}},
              {"KOMINFO", {"sinyal"}},
              {"PEM", {"camat", "kelurahan"}}});
    // "Kec. Sale" is dropped, so the phrase around it is whole again.
    auto d = r.decide("Jalan di Desa Tahunan Kec. Sale rusak parah");
    REQUIRE(d.agency);
    CHECK(*d.agency == "DPU");
    CHECK(d.reason == "duty words: jalan rusak");
    d = r.decide("Sinyal HP di Desa Tahunan Kec. Sale hilang total");
    REQUIRE(d.agency);
    CHECK(*d.agency == "KOMINFO");
    CHECK(d.reason == "duty words: sinyal");
    d = r.decide("Warga Kecamatan Sale dan Kel. Leteh mohon perhatian");
    CHECK_FALSE(d.agency);
    // The office, its service, or the camat in person still reach the kecamatan.
    for (const char *text : {"pelayanan di kecamatan Sale lambat", "kantor kec. Sale tutup jam 10",
                             "Pak Camat Sale tidak pernah di tempat"}) {
        d = r.decide(text);
        INFO(text, " → ", d.reason);
        REQUIRE(d.agency);
        CHECK(*d.agency == "KEC-SALE");
        CHECK(d.confidence >= 0.75);
    }
}

TEST_CASE("words apart in one sentence are weaker, places and risks weaker still") {
    Router r({{"DPU", {"jalan rusak"}}, {"DIK", {"SD"}}, {"POL", {"kecelakaan"}}, {"PJU", {"lampu jalan"}}});
    const auto near = r.decide("jalan rusak");
    const auto apart = r.decide("jalan menuju makam desa kami sudah lama rusak");
    REQUIRE(apart.agency);
    CHECK(*apart.agency == "DPU");
    CHECK(apart.reason == "duty words: jalan rusak (apart)");
    CHECK(apart.confidence < near.confidence);
    // Not across sentences.
    CHECK_FALSE(r.decide("Jalan menuju makam sudah dicor. Pagarnya rusak.").agency);
    // "depan SD" is a landmark and "sebelum ada kecelakaan" a fear: they rank below the road.
    const auto d = r.decide("jalan rusak depan SD, mohon diperbaiki sebelum ada kecelakaan");
    REQUIRE(d.agency);
    CHECK(*d.agency == "DPU");
    CHECK(d.reason == "duty words: DPU (jalan rusak); DIK (SD (context)); POL (kecelakaan (context))");
    CHECK(d.confidence > 0.6);
    // Alone, a duty word after "di" is as sure as ever.
    CHECK(r.decide("antrean panjang di SD").confidence == doctest::Approx(r.decide("SD").confidence));
    // A phrase apart never outranks a phrase whose words stand together.
    const auto lamp = r.decide("lampu di depan rumah mati, jalan juga rusak");
    REQUIRE(lamp.agency);
    CHECK(*lamp.agency == "DPU");
}

TEST_CASE("the shipped registry routes the demo's complaints where a citizen would expect") {
    std::vector<AgencyDuties> d;
    for (const auto &a : parse_registry(WADUL_SOURCE_DIR "/etc/agencies.toml")) d.push_back({a.code, a.duties});
    Router r(d);
    const std::pair<const char *, const char *> cases[] = {
        {"Jalan di Desa Sumberjo Kec. Rembang rusak parah, banyak lubang besar depan SD. Mohon segera diperbaiki "
         "sebelum ada kecelakaan.",
         "DPUTARU"},
        {"Sinyal HP di Desa Tahunan Kec. Sale hilang total, susah hubungi keluarga.", "DINKOMINFO"},
        {"Pupuk subsidi di kios Kec. Sulang langka, petani tdk kebagian padahal sdh musim tanam.", "DINTANPAN"},
        {"lampu PJU di jln Gatot Subroto dkt pertigaan mati sdh seminggu, malam gelap bgt rawan begal", "DINHUB"},
        {"Air PDAM di Perumahan Gedongmulyo Lasem mati total 3 hari tagihan tetap jalan.", "PDAM"},
        {"Tolong Pak, RSUD dr. R. Soetrasno menolak pasien BPJS ibu saya dengan alasan kamar penuh.", "RSUD"},
        {"Parkir liar di depan pasar Rembang bikin macet tiap pagi", "DINHUB"},
        {"Ada anjing liar berkeliaran dekat SD Sumberjo, sudah menggigit 2 anak.", "DINTANPAN"},
        {"Kepala desa Sumberjo Kec. Rembang tidak transparan soal dana desa", "DINPERMADES"},
        {"Sampah menumpuk di Kel. Leteh Kec. Rembang sudah seminggu", "DLH"},
        {"Pelayanan di kantor Kecamatan Sale lambat sekali, pegawai sering tidak ada", "KEC-SALE"},
        {"Legalisasi di kecamatan Kragan harus bayar 50rb, apa benar?", "KEC-KRAGAN"},
        {"Pak Camat Lasem tidak pernah ada di kantor", "KEC-LASEM"},
        {"jalan rusak di depan kantor kecamatan Sulang", "DPUTARU"},
    };
    for (const auto &[text, want] : cases) {
        const auto dec = r.decide(text);
        INFO(text, " → ", dec.reason);
        REQUIRE(dec.agency);
        CHECK(*dec.agency == want);
        CHECK(dec.confidence >= 0.6);
    }
    // Unclear: to triage.
    for (const char *text : {"Warga Kec. Bulu mohon perhatian bapak bupati",
                             "Ada pungutan liar di sekolah SMP negeri untuk seragam dan buku"}) {
        const auto dec = r.decide(text);
        INFO(text, " → ", dec.reason);
        CHECK(dec.confidence < 0.5);
    }
}

TEST_CASE("a stored model this wadul cannot read is rebuilt from the confirmed history") {
    Store s;
    s.cfg.route.min_samples = 0;
    Timestamp at = 1000;
    for (int i = 0; i < 3; ++i, at += 10) {
        s.assign(s.complaint("aspal mengelupas retak tanjakan " + std::to_string(i), at), "DPU", false, at + 1);
        s.assign(s.complaint("tiang penerangan padam perempatan " + std::to_string(i), at + 2), "DISHUB", false, at + 3);
    }
    // As an upgrade leaves it: a model in an older format, trained after the last confirmation.
    s.db.exec("INSERT INTO route_model(id, trained_at, samples, data) VALUES (1, 99999, 6, x'00ff00')");
    CHECK_FALSE(learning_due(s.db));
    const auto run = route_pending(s.db, s.cfg, 100000, s.log);
    CHECK(run.retrained);
    CHECK(run.train_samples == 6);
    CHECK(Router::from_store(s.db).has_model());
    // Without learning, the damaged model stays and routing falls back to duty words.
    Store t;
    t.cfg.route.learn = false;
    t.cfg.route.min_samples = 0;
    t.db.exec("INSERT INTO route_model(id, trained_at, samples, data) VALUES (1, 1, 1, x'00ff00')");
    CHECK_FALSE(route_pending(t.db, t.cfg, 100000, t.log).retrained);
    CHECK_FALSE(Router::from_store(t.db).has_model());
}

TEST_CASE("a model learned from too few complaints does not overrule the duty words") {
    Store s;
    REQUIRE(train_and_store(s.db, lamp_and_road_samples(), 5000, "test").stored);
    CHECK(Router::from_store(s.db, 12).has_model());
    CHECK_FALSE(Router::from_store(s.db, 13).has_model());
    // With the default (100), routing is the duty words' alone: no "layers disagree" discount.
    const auto t = s.complaint("jalan rusak gelap malam", 6000);
    route_pending(s.db, s.cfg, 6001, s.log);
    CHECK(s.agency(t) == "DPU");
    CHECK(str(s.db, "SELECT detail FROM event WHERE kind='routed'").find("model") == std::string::npos);
}

TEST_CASE("cron runs retrain at most every route.retrain_every minutes") {
    Store s;
    s.cfg.route.min_samples = 0;
    s.cfg.route.retrain_every = 60;
    Timestamp at = 10000;
    for (int i = 0; i < 3; ++i, at += 10) {
        s.assign(s.complaint("aspal mengelupas retak tanjakan " + std::to_string(i), at), "DPU", false, at + 1);
        s.assign(s.complaint("tiang penerangan padam perempatan " + std::to_string(i), at + 2), "DISHUB", false, at + 3);
    }
    // No model yet: the first run trains whatever the interval.
    CHECK(route_pending(s.db, s.cfg, at, s.log).retrained);
    const Timestamp trained = at;
    // A confirmation ten minutes later is learned only once the model is an hour old.
    s.assign(s.complaint("lampu penerangan gang mati", trained + 5 * 60), "DISHUB", false, trained + 10 * 60);
    CHECK(learning_due(s.db));
    CHECK_FALSE(learning_due(s.db, trained + 20 * 60, 60));
    CHECK_FALSE(route_pending(s.db, s.cfg, trained + 20 * 60, s.log).retrained);
    CHECK_FALSE(route_pending(s.db, s.cfg, trained + 59 * 60, s.log).retrained);
    const auto run = route_pending(s.db, s.cfg, trained + 60 * 60, s.log);
    CHECK(run.retrained);
    CHECK(run.train_samples == 7);
    // Nothing new since: no retraining however long it waits.
    CHECK_FALSE(route_pending(s.db, s.cfg, trained + 10 * 3600, s.log).retrained);
    // 0: every run that finds a new confirmation.
    s.cfg.route.retrain_every = 0;
    s.assign(s.complaint("jalan aspal berlubang", trained + 10 * 3600), "DPU", false, trained + 10 * 3600 + 60);
    CHECK(route_pending(s.db, s.cfg, trained + 10 * 3600 + 120, s.log).retrained);
}

TEST_CASE("the router reads the first kRouteReadChars characters, whole ones") {
    CHECK(first_chars("jalan", 10) == "jalan");
    CHECK(first_chars("jalan", 3) == "jal");
    CHECK(first_chars("d\xC3\xA9pan", 2) == "d\xC3\xA9"); // "dépan": é is two bytes, one character
    CHECK(first_chars("d\xC3\xA9pan", 1) == "d");
    CHECK(first_chars("", 0).empty());

    Router r(duties());
    std::string filler;
    while (filler.size() < kRouteReadChars - 100) filler += "mohon perhatian bapak ";
    auto d = r.decide(filler + "jalan rusak");
    REQUIRE(d.agency);
    CHECK(*d.agency == "DPU");
    // The duty words after the first 10,000 characters are not read: the text is stored whole,
    // but a pasted book costs no more to route than a long complaint.
    while (filler.size() < kRouteReadChars) filler += "mohon perhatian bapak ";
    d = r.decide(filler + "jalan rusak");
    CHECK_FALSE(d.agency);
    CHECK(d.reason == "no duty word matched");
}

TEST_CASE("long texts: what a short one would say, at any length") {
    Router r(duties());
    // A megabyte of one phrase (the audit's: 35 s, then a hung cron tick, with the comparison of
    // every match with every other). Still a road, read from its first 10,000 characters.
    std::string big;
    for (int i = 0; i < 80000; ++i) big += "jalan rusak ";
    auto d = r.decide(big);
    REQUIRE(d.agency);
    CHECK(*d.agency == "DPU");
    CHECK(d.reason == r.decide("jalan rusak").reason);
    CHECK(d.confidence == doctest::Approx(r.decide("jalan rusak").confidence));
    // Many starts of a phrase before its one last word: the nearest "jalan" still makes it near,
    // and a lamp before it still heads the noun phrase.
    std::string many;
    for (int i = 0; i < 1500; ++i) many += "jalan ";
    d = r.decide(many + "rusak");
    REQUIRE(d.agency);
    CHECK(d.reason == "duty words: jalan rusak");
    d = r.decide(many + "lampu jalan rusak");
    REQUIRE(d.agency);
    CHECK(*d.agency == "DISHUB");
    CHECK(d.reason.find("lampu jalan") != std::string::npos);
}
