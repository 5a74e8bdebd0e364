// The web portal's spool directories: complaint files in (good, bad, repeated, dotfiles), approved
// answers out (content, idempotence, an outbox that cannot be written), on an in-memory store.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "wadul/clock.hpp"
#include "wadul/complaint.hpp"
#include "wadul/error.hpp"
#include "wadul/log.hpp"
#include "wadul/portal.hpp"
#include "wadul/store.hpp"
#include "temp.hpp"

using namespace wadul;
using wadul::test::TempDir;
namespace fs = std::filesystem;

namespace {

// The gateway's clock during these imports: after every file's "received".
const Timestamp kNow = *parse_iso8601("2026-11-30T12:00:00+07:00");

const std::string kGood = R"({"id": "WEB-2026-00123", "received": "2026-11-03T09:12:00+07:00",
  "text": "Lampu jalan di Jl. Pemuda mati sejak seminggu.", "name": "Siti Aminah",
  "account": "siti@example.com", "confidential": true})";
const std::string kMinimal = R"({"id": "WEB-2026-00124", "received": "2026-11-03T10:00:00Z", "text": "Sampah menumpuk."})";

void put(const TempDir &d, const std::string &name, const std::string &text) {
    std::ofstream(d.file(name), std::ios::binary) << text;
}

std::string slurp(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> names_in(const fs::path &dir) {
    std::vector<std::string> v;
    if (!fs::exists(dir)) return v;
    for (const auto &e : fs::directory_iterator(dir)) v.push_back(e.path().filename().string());
    std::sort(v.begin(), v.end());
    return v;
}

long count(Db &db, const std::string &sql) {
    Stmt q(db, sql);
    q.step();
    return q.i64(0);
}

std::string text_of(Db &db, const std::string &sql) {
    Stmt q(db, sql);
    return q.step() ? q.str(0) : std::string("(none)");
}

std::string reason(const std::string &json) {
    try {
        parse_portal_complaint(json);
    } catch (const Error &e) {
        CHECK(e.code() == kExitDataErr);
        return e.what();
    }
    return "(parsed)";
}

} // namespace

TEST_CASE("a complaint file parses; what is wrong with a bad one is named") {
    const auto c = parse_portal_complaint(kGood);
    CHECK(c.id == "WEB-2026-00123");
    CHECK(c.received == *parse_iso8601("2026-11-03T02:12:00Z"));
    CHECK(c.name == std::optional<std::string>("Siti Aminah"));
    CHECK(c.account == std::optional<std::string>("siti@example.com"));
    CHECK(c.confidential);
    const auto m = parse_portal_complaint(kMinimal);
    CHECK(!m.name);
    CHECK(!m.account);
    CHECK(!m.confidential);

    CHECK(reason("{\"id\": \"X\", ").rfind("not valid JSON: parse error", 0) == 0);
    CHECK(reason("[1, 2]") == "not a JSON object");
    CHECK(reason(R"({"received": "2026-11-03", "text": "a"})") == "'id' is missing");
    CHECK(reason(R"({"id": "X", "text": "a"})") == "'received' is missing");
    CHECK(reason(R"({"id": "X", "received": "2026-11-03"})") == "'text' is missing");
    CHECK(reason(R"({"id": "X", "received": "2026-11-03", "text": "  "})") == "'text' is empty");
    CHECK(reason(R"({"id": 12, "received": "2026-11-03", "text": "a"})") == "'id' is not a string");
    CHECK(reason(R"({"id": "X", "received": "3 Nov 2026", "text": "a"})") ==
          "'received' is not an ISO 8601 time: '3 Nov 2026'");
    CHECK(reason(R"({"id": "X", "received": "2026-11-03", "text": "a", "confidential": "ya"})") ==
          "'confidential' is not true or false");

    // A message quotes at most a few characters of the file: the position finds the fault, and
    // the file may hold what a warning mailed by cron must not show.
    const std::string secret(200, 's');
    std::string r = reason("{\"id\": \"" + secret);
    CHECK(r.rfind("not valid JSON: parse error at line 1, column ", 0) == 0);
    CHECK(r.find("ssss") == std::string::npos);
    r = reason("root:" + secret + ":19000:0:99999:7:::");
    CHECK(r.find("root") == std::string::npos);
    CHECK(r.find("ssss") == std::string::npos);
    r = reason(R"({"id": "X", "received": ")" + secret + R"(", "text": "a"})");
    CHECK(r == "'received' is not an ISO 8601 time: '" + std::string(32, 's') + "\u2026'");

    // The text: 10,000 characters (not bytes) at most.
    std::string text;
    for (size_t i = 0; i < kPortalMaxTextChars; ++i) text += "\xC3\xA9"; // é
    const std::string head = R"({"id": "X", "received": "2026-11-03", "text": ")";
    CHECK(parse_portal_complaint(head + text + "\"}").text == text);
    CHECK(reason(head + text + "x\"}") == "'text' is 10001 characters long, more than the 10000 a complaint may have");
}

TEST_CASE("import: good files become web complaints, bad ones go to bad/, dotfiles stay") {
    Db db = Db::memory();
    Log log{"test", 0, true};
    TempDir in;
    put(in, "b-good.json", kGood);
    put(in, "c-minimal.json", kMinimal);
    put(in, "a-broken.json", "{\"id\": \"WEB-1\", \"text\": ");
    put(in, "d-noid.json", R"({"received": "2026-11-03T10:00:00+07:00", "text": "Tanpa id."})");
    put(in, "e-baddate.json", R"({"id": "WEB-9", "received": "kemarin", "text": "Tanggal aneh."})");
    // Thirty days ahead of the gateway's clock: the portal's clock is wrong, the deadlines would be.
    put(in, "h-future.json", R"({"id": "WEB-10", "received": "2026-12-30T12:00:00+07:00", "text": "Dari masa depan."})");
    put(in, ".f-partial.json.tmp", "{\"id\": ");
    put(in, ".g-hidden.json", kMinimal);
    put(in, "notes.txt", "not a complaint");

    const auto r = import_portal(db, in.path.string(), kNow, log);
    CHECK(r.files == 6);
    CHECK(r.imported == 2);
    CHECK(r.bad == 4);
    CHECK(r.duplicates == 0);
    CHECK(r.exit_code == kExitDataErr);
    CHECK(log.warnings() == 4);

    CHECK(names_in(in.path) == std::vector<std::string>{".f-partial.json.tmp", ".g-hidden.json", "bad", "notes.txt"});
    CHECK(names_in(in.path / "bad") == std::vector<std::string>{"a-broken.json", "d-noid.json", "e-baddate.json",
                                                                 "h-future.json"});

    CHECK(count(db, "SELECT count(*) FROM complaint WHERE source = 'web'") == 2);
    Stmt q(db, "SELECT external_id, reporter, reporter_name, confidential, text, received_at, status FROM complaint "
               "ORDER BY id");
    REQUIRE(q.step()); // name order: b-good before c-minimal
    CHECK(q.str(0) == "WEB-2026-00123");
    CHECK(q.str(1) == "siti@example.com");
    CHECK(q.str(2) == "Siti Aminah");
    CHECK(q.i64(3) == 1);
    CHECK(q.str(4) == "Lampu jalan di Jl. Pemuda mati sejak seminggu.");
    CHECK(q.i64(5) == *parse_iso8601("2026-11-03T09:12:00+07:00"));
    CHECK(q.str(6) == "received");
    REQUIRE(q.step());
    CHECK(q.str(0) == "WEB-2026-00124");
    CHECK(q.str(1) == "web"); // no account
    CHECK(q.is_null(2));
    CHECK(q.i64(3) == 0);
    q.reset();
    CHECK(text_of(db, "SELECT group_concat(kind || ' ' || actor) FROM event") == "received web,received web");

    // A second run: nothing left to do, bad/ is not read as complaints.
    const auto again = import_portal(db, in.path.string(), kNow, log);
    CHECK(again.files == 0);
    CHECK(again.exit_code == 0);

    // Another bad file of a name already in bad/ keeps the earlier one.
    put(in, "a-broken.json", "not json either");
    CHECK(import_portal(db, in.path.string(), kNow, log).bad == 1);
    CHECK(names_in(in.path / "bad") ==
          std::vector<std::string>{"a-broken.json", "a-broken.json.1", "d-noid.json", "e-baddate.json",
                                   "h-future.json"});
}

TEST_CASE("import: dates over a year old, symbolic links, pipes and huge files go to bad/ unread") {
    Db db = Db::memory();
    Log log{"test", 0, true};
    TempDir in, outside;
    // 365 days before the gateway's clock is late but plausible; 1900, or 367 days, is not.
    put(in, "a-year.json", R"({"id": "WEB-1", "received": "2025-11-30T12:00:00+07:00", "text": "Setahun lalu."})");
    put(in, "b-1900.json", R"({"id": "WEB-2", "received": "1900-01-01T00:00:00+07:00", "text": "Kuno."})");
    put(in, "c-367.json", R"({"id": "WEB-3", "received": "2025-11-28T12:00:00+07:00", "text": "Terlalu lama."})");
    // A link to a file the importer could read: a good complaint, even. Never followed.
    put(outside, "shadow", kMinimal);
    fs::create_symlink(outside.path / "shadow", in.path / "d-link.json");
    fs::create_symlink(outside.path / "nowhere", in.path / "e-dangling.json");
    REQUIRE(::mkfifo(in.file("f-pipe.json").c_str(), 0644) == 0);
    fs::create_directory(in.path / "g-dir.json");
    // Larger than any complaint file can be, whatever it says.
    put(in, "h-huge.json", R"({"id": "WEB-4", "received": "2026-11-03T10:00:00Z", "text": "Besar.")" +
                               std::string(kPortalMaxFileBytes, ' ') + "}");

    const auto r = import_portal(db, in.path.string(), kNow, log);
    CHECK(r.files == 8);
    CHECK(r.imported == 1);
    CHECK(r.bad == 7);
    CHECK(r.exit_code == kExitDataErr);
    CHECK(log.warnings() == 7);
    CHECK(text_of(db, "SELECT group_concat(external_id) FROM complaint") == "WEB-1");
    CHECK(names_in(in.path) == std::vector<std::string>{"bad"});
    CHECK(names_in(in.path / "bad") == std::vector<std::string>{"b-1900.json", "c-367.json", "d-link.json",
                                                                 "e-dangling.json", "f-pipe.json", "g-dir.json",
                                                                 "h-huge.json"});
    // The links moved as links; what they point to untouched.
    CHECK(fs::is_symlink(in.path / "bad" / "d-link.json"));
    CHECK(fs::read_symlink(in.path / "bad" / "d-link.json") == outside.path / "shadow");
    CHECK(slurp(outside.file("shadow")) == kMinimal);
}

TEST_CASE("import after a crash between commit and removal: the file is removed, no duplicate") {
    Db db = Db::memory();
    Log log{"test", 0, true};
    TempDir in;
    put(in, "x.json", kGood);
    REQUIRE(import_portal(db, in.path.string(), kNow, log).imported == 1);
    // The crash: the complaint is committed but its file is still there.
    put(in, "x.json", kGood);
    const auto r = import_portal(db, in.path.string(), kNow, log);
    CHECK(r.files == 1);
    CHECK(r.imported == 0);
    CHECK(r.duplicates == 1);
    CHECK(r.exit_code == 0);
    CHECK(names_in(in.path).empty());
    CHECK(count(db, "SELECT count(*) FROM complaint") == 1);
    CHECK(log.warnings() == 0);

    // The same id under another name with another text: still one complaint, and a warning.
    put(in, "y.json", R"({"id": "WEB-2026-00123", "received": "2026-11-03T09:12:00+07:00", "text": "Diubah."})");
    CHECK(import_portal(db, in.path.string(), kNow, log).duplicates == 1);
    CHECK(count(db, "SELECT count(*) FROM complaint") == 1);
    CHECK(log.warnings() == 1);
    CHECK(names_in(in.path).empty());
}

TEST_CASE("import: a missing inbox is nothing to do; an unreadable one is an error") {
    Db db = Db::memory();
    Log log{"test", 0, true};
    TempDir d;
    const auto r = import_portal(db, d.file("nonexistent"), kNow, log);
    CHECK(r.files == 0);
    CHECK(r.exit_code == 0);
    put(d, "plain", "");
    CHECK_THROWS_AS(import_portal(db, d.file("plain"), kNow, log), Error);
}

namespace {

// A web complaint taken through the SOP up to the head's approval, as wadul-forward records it.
std::int64_t approved_web_complaint(Db &db, Log &log, const TempDir &in) {
    db.exec("INSERT INTO agency(id, code, name, kind) VALUES (1, 'DINHUB', 'Dinas Perhubungan', 'opd')");
    put(in, "x.json", kGood);
    REQUIRE(import_portal(db, in.path.string(), kNow, log).imported == 1);
    const std::int64_t id = count(db, "SELECT id FROM complaint");
    const Timestamp t = *parse_iso8601("2026-11-04T10:30:00+07:00");
    Tx tx(db);
    append_event(db, {id, t - 3600, "routed", "system", 1, std::nullopt, std::string("test")});
    append_event(db, {id, t - 1800, "accepted", "+6281200000001", 1, std::nullopt, std::nullopt});
    append_event(db, {id, t, "answered", "+6281200000001", 1, std::nullopt,
                      std::string("Lampu sudah diganti \"LED\" hari ini.")});
    append_event(db, {id, t + 600, "approved", "+6281200000002", 1, std::nullopt, std::nullopt});
    tx.commit();
    return id;
}

} // namespace

TEST_CASE("export: the approved answer of a web complaint is written and the complaint closed") {
    Db db = Db::memory();
    Log log{"test", 0, true};
    TempDir in, d;
    approved_web_complaint(db, log, in);
    const std::string ticket = text_of(db, "SELECT ticket FROM complaint");
    const std::string out = d.file("portal/out"); // created on the way
    const Timestamp now = *parse_iso8601("2026-11-04T11:00:00+07:00");

    const auto r = export_portal(db, out, now, log);
    CHECK(r.written == 1);
    CHECK(r.exit_code == 0);
    CHECK(names_in(out) == std::vector<std::string>{ticket + ".json"});
    const std::string file = slurp(out + "/" + ticket + ".json");
    CHECK(file == "{\n"
                  "  \"id\": \"WEB-2026-00123\",\n"
                  "  \"ticket\": \"" + ticket + "\",\n"
                  "  \"status\": \"answered\",\n"
                  "  \"agency\": \"DINHUB\",\n"
                  "  \"agency_name\": \"Dinas Perhubungan\",\n"
                  "  \"answered_at\": \"2026-11-04T10:30:00+07:00\",\n"
                  "  \"answer\": \"Lampu sudah diganti \\\"LED\\\" hari ini.\"\n"
                  "}\n");
    CHECK(text_of(db, "SELECT status FROM complaint") == "closed");
    CHECK(text_of(db, "SELECT kind || ' ' || actor || ' ' || at || ' ' || agency_id FROM event ORDER BY id DESC") ==
          "delivered portal " + std::to_string(now) + " 1");
    // No SMS answer for a web complaint.
    CHECK(count(db, "SELECT count(*) FROM outbound") == 0);

    // Nothing left: a second run writes nothing, appends nothing.
    std::filesystem::remove(out + "/" + ticket + ".json");
    CHECK(export_portal(db, out, now + 60, log).written == 0);
    CHECK(names_in(out).empty());
    CHECK(count(db, "SELECT count(*) FROM event WHERE kind = 'delivered'") == 1);
}

TEST_CASE("export: a web complaint an admin closed without an answer is written once") {
    Db db = Db::memory();
    Log log{"test", 0, true};
    TempDir in, d;
    put(in, "x.json", kGood);
    REQUIRE(import_portal(db, in.path.string(), kNow, log).imported == 1);
    const std::int64_t id = count(db, "SELECT id FROM complaint");
    const std::string ticket = text_of(db, "SELECT ticket FROM complaint");
    const Timestamp closed_at = *parse_iso8601("2026-11-04T10:00:00+07:00");
    {
        Tx tx(db);
        append_event(db, {id, closed_at - 60, "triaged", "system", std::nullopt, std::nullopt, std::string("x")});
        append_event(db, {id, closed_at, "closed", "admin:rina", std::nullopt, std::nullopt,
                          std::string("duplikat dari WEB-2026-00100")});
        tx.commit();
    }
    const std::string out = d.file("out");
    const Timestamp now = closed_at + 120;
    const auto r = export_portal(db, out, now, log);
    CHECK(r.written == 1);
    CHECK(r.exit_code == 0);
    CHECK(slurp(out + "/" + ticket + ".json") == "{\n"
                                                  "  \"id\": \"WEB-2026-00123\",\n"
                                                  "  \"ticket\": \"" + ticket + "\",\n"
                                                  "  \"status\": \"closed\",\n"
                                                  "  \"agency\": null,\n"
                                                  "  \"agency_name\": null,\n"
                                                  "  \"closed_at\": \"2026-11-04T10:00:00+07:00\",\n"
                                                  "  \"reason\": \"duplikat dari WEB-2026-00100\"\n"
                                                  "}\n");
    CHECK(text_of(db, "SELECT kind || ' ' || actor FROM event ORDER BY id DESC") == "note portal");
    // Written once: a second run finds the note and writes nothing.
    std::filesystem::remove(out + "/" + ticket + ".json");
    CHECK(export_portal(db, out, now + 60, log).written == 0);
    CHECK(names_in(out).empty());
    // An SMS complaint closed by an admin goes nowhere near the portal.
    Tx tx(db);
    NewComplaint c;
    c.reporter = "+6285700000001";
    c.text = "terima kasih";
    c.received_at = now;
    const auto ref = create_complaint(db, c);
    append_event(db, {ref.id, now, "closed", "admin:rina", std::nullopt, std::nullopt, std::string("x")});
    tx.commit();
    CHECK(export_portal(db, out, now + 120, log).written == 0);
}

TEST_CASE("export after a crash between rename and commit rewrites the same file") {
    Db db = Db::memory();
    Log log{"test", 0, true};
    TempDir in, d;
    approved_web_complaint(db, log, in);
    const std::string ticket = text_of(db, "SELECT ticket FROM complaint");
    const Timestamp now = *parse_iso8601("2026-11-04T11:00:00+07:00");
    // A first run whose transaction never committed: the same store state, the file already there.
    TempDir first;
    {
        Db copy = Db::memory();
        Log l{"test", 0, true};
        TempDir in2;
        approved_web_complaint(copy, l, in2);
        copy.exec("UPDATE complaint SET ticket = '" + ticket + "'");
        REQUIRE(export_portal(copy, first.path.string(), now, l).written == 1);
    }
    const std::string before = slurp(first.file(ticket + ".json"));
    REQUIRE(!before.empty());
    // The real store still says approved: the next run writes the file again, byte for byte.
    CHECK(export_portal(db, first.path.string(), now + 60, log).written == 1);
    CHECK(slurp(first.file(ticket + ".json")) == before);
    CHECK(names_in(first.path) == std::vector<std::string>{ticket + ".json"});
    CHECK(text_of(db, "SELECT status FROM complaint") == "closed");
}

TEST_CASE("export: an outbox that cannot be written is an error and the complaint stays approved") {
    Db db = Db::memory();
    Log log{"test", 0, true};
    TempDir in, d;
    approved_web_complaint(db, log, in);
    const Timestamp now = *parse_iso8601("2026-11-04T11:00:00+07:00");

    // A file where the outbox directory should be: cannot create it (fails for root too).
    put(d, "out", "");
    auto r = export_portal(db, d.file("out"), now, log);
    CHECK(r.exit_code == kExitCantCreate);
    CHECK(r.written == 0);
    r = export_portal(db, d.file("out/sub"), now, log);
    CHECK(r.exit_code == kExitCantCreate);
    CHECK(text_of(db, "SELECT status FROM complaint") == "approved");
    CHECK(count(db, "SELECT count(*) FROM event WHERE kind = 'delivered'") == 0);

    // A read-only directory (only meaningful when not root).
    if (::geteuid() != 0) {
        fs::create_directory(d.file("ro"));
        ::chmod(d.file("ro").c_str(), 0555);
        r = export_portal(db, d.file("ro"), now, log);
        CHECK(r.exit_code == kExitCantCreate);
        CHECK(names_in(d.file("ro")).empty());
        CHECK(text_of(db, "SELECT status FROM complaint") == "approved");
        ::chmod(d.file("ro").c_str(), 0755);
    }

    // Once the outbox can be written, the answer goes out.
    r = export_portal(db, d.file("ok"), now, log);
    CHECK(r.exit_code == 0);
    CHECK(r.written == 1);
    CHECK(text_of(db, "SELECT status FROM complaint") == "closed");
}

TEST_CASE("export leaves SMS complaints to the modem") {
    Db db = Db::memory();
    Log log{"test", 0, true};
    TempDir d;
    db.exec("INSERT INTO agency(id, code, name, kind) VALUES (1, 'DINHUB', 'Dinas Perhubungan', 'opd')");
    Tx tx(db);
    NewComplaint nc;
    nc.reporter = "+6285700000001";
    nc.text = "Lampu jalan mati.";
    nc.received_at = 1000;
    const auto c = create_complaint(db, nc);
    append_event(db, {c.id, 1100, "routed", "system", 1, std::nullopt, std::nullopt});
    append_event(db, {c.id, 1200, "answered", "+6281200000001", 1, std::nullopt, std::string("Sudah.")});
    append_event(db, {c.id, 1300, "approved", "system", 1, std::nullopt, std::nullopt});
    tx.commit();
    const auto r = export_portal(db, d.file("out"), 2000, log);
    CHECK(r.written == 0);
    CHECK(!fs::exists(d.file("out"))); // nothing to write: no directory made
    CHECK(text_of(db, "SELECT status FROM complaint") == "approved");
}

TEST_CASE("import: a phone number as the account is stored in the +62 form, anything else as written") {
    Db db = Db::memory();
    Log log{"test", 0, true};
    TempDir in;
    put(in, "1.json", R"({"id": "W1", "received": "2026-11-03", "text": "a", "account": "0812-3456-7001"})");
    put(in, "2.json", R"({"id": "W2", "received": "2026-11-03", "text": "b", "account": "budi_rembang"})");
    CHECK(import_portal(db, in.path.string(), kNow, log).imported == 2);
    CHECK(text_of(db, "SELECT group_concat(reporter, ' ') FROM (SELECT reporter FROM complaint ORDER BY id)") ==
          "+6281234567001 budi_rembang");
}
