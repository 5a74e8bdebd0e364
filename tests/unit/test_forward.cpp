// The forward workflow on an in-memory store: officers' commands, citizens' CEK and further SMS,
// what gets queued for whom, and the events each step leaves. Sends go through the real modem
// code, libgammu on its file-backed dummy phone, and what went out is read back from libgammu's
// own debug log (logformat textall), as tests/support/forward_env.sh does for the tools.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <unistd.h>
#include <utility>
#include <vector>

#include "wadul/complaint.hpp"
#include "wadul/config.hpp"
#include "wadul/error.hpp"
#include "wadul/forward.hpp"
#include "wadul/log.hpp"
#include "wadul/modem.hpp"
#include "wadul/outbox.hpp"
#include "wadul/store.hpp"
#include "wadul/transport.hpp"
#include "temp.hpp"

using namespace wadul;
using wadul::test::TempDir;
using wadul::test::TempFile;
namespace fs = std::filesystem;

namespace {

const std::string kCitizen = "+6285700000001";
const std::string kLiaison = "+6281200000001"; // DPUPR
const std::string kHead = "+6281200000002";    // DPUPR
const std::string kOther = "+6281200000003";   // DINKES liaison

bool starts_with(const std::string &s, const std::string &prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

// A line of libgammu's hex dump: "05 |00 |03 ..." or "00 |48H|00 |61a...".
bool hex_dump_line(const std::string &l) {
    return l.size() >= 4 && std::isxdigit(static_cast<unsigned char>(l[0])) &&
           std::isxdigit(static_cast<unsigned char>(l[1])) && l[2] == ' ' && l[3] == '|';
}

int hex_byte(const std::string &s) {
    return static_cast<int>(std::strtol(s.c_str(), nullptr, 16));
}

// One SMS part as libgammu's textall debug log shows it.
struct LoggedPart {
    std::string to, text;
    int ref = -1, no = 1, total = 1; // from the UDH 05 00 03 RR TT PP; none: 1 of 1
};

// The parts sent in a debug log, in order. Mirrors parts_in_log in tests/support/forward_env.sh:
// each part is a block from "SMS Submit" to "Leaving GSM_SendSMS" with the "Recipient number"
// line, the UDH dump, and after the "7 bit SMS, length" / "Unicode SMS, length" line (and the
// empty and hex-dump lines that follow it) the part's text in UTF-8, on as many lines as it has.
std::vector<LoggedPart> parts_in_log(const fs::path &log) {
    std::vector<LoggedPart> out;
    std::ifstream in(log);
    REQUIRE(in);
    std::string l;
    bool inpart = false, want_udh = false, pre = false, intext = false;
    LoggedPart p;
    while (std::getline(in, l)) {
        if (l == "SMS Submit") {
            inpart = true;
            want_udh = pre = intext = false;
            p = LoggedPart{};
            continue;
        }
        if (!inpart)
            continue;
        if (l == "Leaving GSM_SendSMS") {
            out.push_back(p);
            inpart = false;
            continue;
        }
        if (intext) {
            p.text += "\n" + l;
            continue;
        }
        if (pre) {
            if (l.empty() || hex_dump_line(l))
                continue;
            pre = false;
            intext = true;
            p.text = l;
            continue;
        }
        const std::string rn = "Recipient number \"";
        if (starts_with(l, rn) && l.size() > rn.size() && l.back() == '"') {
            p.to = l.substr(rn.size(), l.size() - rn.size() - 1);
        } else if (starts_with(l, "UDH, length ")) {
            want_udh = true;
        } else if (want_udh && hex_dump_line(l)) {
            // "05 |00 |03 |RR |TT |PP": each byte is two hex digits, then its printable form.
            std::vector<int> b;
            for (size_t i = 0; i + 1 < l.size(); i += 4)
                b.push_back(hex_byte(l.substr(i, 2)));
            REQUIRE(b.size() >= 6);
            REQUIRE(b[0] == 5);
            p.ref = b[3];
            p.total = b[4];
            p.no = b[5];
            want_udh = false;
        } else if (starts_with(l, "7 bit SMS, length ") || starts_with(l, "Unicode SMS, length ")) {
            pre = true;
        }
    }
    return out;
}

// Whole messages: the parts of one concatenated SMS joined, checked to arrive whole and in order.
std::vector<std::pair<std::string, std::string>> messages_in_log(const fs::path &log) {
    std::vector<std::pair<std::string, std::string>> out;
    const auto parts = parts_in_log(log);
    for (size_t i = 0; i < parts.size();) {
        const LoggedPart &first = parts[i];
        REQUIRE(first.no == 1);
        REQUIRE(!first.to.empty());
        std::string text;
        for (int k = 1; k <= first.total; ++k, ++i) {
            REQUIRE(i < parts.size());
            REQUIRE(parts[i].to == first.to);
            REQUIRE(parts[i].ref == first.ref);
            REQUIRE(parts[i].total == first.total);
            REQUIRE(parts[i].no == k);
            text += parts[i].text;
        }
        out.emplace_back(first.to, text);
    }
    return out;
}

struct World {
    Db db = Db::memory();
    Config cfg = default_config();
    Log log{"test", 0, true};
    Timestamp now = 1'800'000'000;
    ForwardSummary sum;

    World() {
        setup_modem();
        db.exec("INSERT INTO agency(id, code, name, kind) VALUES (1, 'DPUPR', 'Dinas PUPR', 'opd'), "
                "(2, 'DINKES', 'Dinas Kesehatan', 'opd')");
        Stmt o(db, "INSERT INTO officer(agency_id, name, phone, role, valid_from) VALUES (?, ?, ?, ?, 0)");
        o.args(1, "Budi", kLiaison, "liaison").run();
        o.args(1, "Kepala PUPR", kHead, "head").run();
        o.args(2, "Sari", kOther, "liaison").run();
    }

    std::int64_t officer_id(const std::string &phone) {
        Stmt q(db, "SELECT id FROM officer WHERE phone = ?");
        q.bind(1, phone);
        return q.step() ? q.i64(0) : 0;
    }

    // An SMS as wadul-fetch stores it: officer rows by registered number, citizens admitted.
    std::int64_t sms(const std::string &from, const std::string &text) {
        now += 60;
        Tx tx(db);
        const auto oid = officer_id(from);
        Stmt(db, "INSERT INTO inbound(sender, sent_at, received_at, text, parts, kind, officer_id) "
                 "VALUES (?, ?, ?, ?, 1, ?, ?)")
            .args(from, now, now, text, oid ? "officer" : "citizen",
                  oid ? std::optional<std::int64_t>(oid) : std::nullopt)
            .run();
        const auto id = db.last_insert_id();
        if (!oid)
            admit_citizen_sms(db, id, from, text, now, cfg.forward.followup_window_days);
        tx.commit();
        return id;
    }

    void run() {
        now += 60;
        ForwardOptions opt;
        opt.now = now;
        process_inbound(db, cfg, opt, log, sum);
        queue_notifications(db, cfg, opt, log, sum);
    }

    // The modem: libgammu's dummy phone in a temp dir, its debug log read after each send step.
    TempDir dir;
    fs::path gammu_log = dir.path / "gammu.log";
    std::string fail_to; // refused like WADUL_TEST_SEND_FAIL does (ForwardOptions::fail_recipient)
    std::vector<std::pair<std::string, std::string>> sent; // (recipient, text) of every message sent
    // Called as the modem is handed each message (after the claim, before the send): what another
    // process does meanwhile. Reset it to stop.
    std::function<void(const std::string &recipient)> during_send;

    // The dummy phone, with the `during_send` hook in front of it.
    struct Hooked : Transport {
        std::unique_ptr<Transport> modem;
        std::function<void(const std::string &)> &hook;
        Hooked(std::unique_ptr<Transport> m, std::function<void(const std::string &)> &h)
            : modem(std::move(m)), hook(h) {}
        void scan_inbox(const std::function<bool(const InboxPart &)> &part,
                        const std::function<void(const UnreadablePart &)> &unreadable) override {
            modem->scan_inbox(part, unreadable);
        }
        bool remove(int folder, int location) override { return modem->remove(folder, location); }
        SendResult send(const std::string &recipient, const std::string &utf8, int max_parts) override {
            if (hook)
                hook(recipient);
            return modem->send(recipient, utf8, max_parts);
        }
    };

    void setup_modem() {
        fs::create_directories(dir.path / "phone");
        cfg.modem.device = (dir.path / "phone").string();
        cfg.modem.connection = "none";
        cfg.modem.model = "dummy";
        cfg.modem.debug_log = gammu_log.string();
    }

    void send() {
        ForwardOptions opt;
        opt.now = now;
        opt.fail_recipient = fail_to;
        // libgammu truncates the log at every connection and send_queue opens none when nothing is
        // due: start each step without one.
        fs::remove(gammu_log);
        const long sent_before = sum.sent, parts_before = sum.parts;
        send_queue(
            db, cfg, opt,
            [&] { return std::unique_ptr<Transport>(new Hooked(std::make_unique<GammuModem>(cfg), during_send)); },
            log, sum);
        // The modem is closed by now (send_queue owns it): its log is complete.
        long parts = 0, messages = 0;
        if (fs::exists(gammu_log)) {
            parts = static_cast<long>(parts_in_log(gammu_log).size());
            for (auto &m : messages_in_log(gammu_log)) {
                sent.push_back(std::move(m));
                ++messages;
            }
        }
        CHECK(messages == sum.sent - sent_before);
        CHECK(parts == sum.parts - parts_before);
        // What libgammu sent is exactly what the store says went out, message by message.
        std::vector<std::pair<std::string, std::string>> in_store, in_log = sent;
        for (const auto &r : list_outbox(db, "sent"))
            in_store.emplace_back(r.recipient, r.text);
        std::sort(in_store.begin(), in_store.end());
        std::sort(in_log.begin(), in_log.end());
        CHECK(in_log == in_store);
    }

    std::int64_t complaint_of(std::int64_t inbound_id) {
        Stmt q(db, "SELECT complaint_id FROM inbound WHERE id = ?");
        q.bind(1, inbound_id);
        REQUIRE(q.step());
        return q.i64(0);
    }
    std::string ticket(std::int64_t cid) {
        Stmt q(db, "SELECT ticket FROM complaint WHERE id = ?");
        q.bind(1, cid);
        REQUIRE(q.step());
        return q.str(0);
    }
    std::string status(std::int64_t cid) {
        Stmt q(db, "SELECT status FROM complaint WHERE id = ?");
        q.bind(1, cid);
        REQUIRE(q.step());
        return q.str(0);
    }
    void route(std::int64_t cid, std::int64_t agency) {
        Tx tx(db);
        append_event(db, {cid, now, "routed", "system", agency, std::nullopt, std::string("test")});
        tx.commit();
    }
    std::vector<std::string> events(std::int64_t cid) {
        std::vector<std::string> out;
        Stmt q(db, "SELECT kind FROM event WHERE complaint_id = ? ORDER BY id");
        q.bind(1, cid);
        while (q.step())
            out.push_back(q.str(0));
        return out;
    }
    long count(const std::string &sql) {
        Stmt q(db, sql);
        q.step();
        return static_cast<long>(q.i64(0));
    }
    // Queued messages to `to` with `purpose`, texts in order.
    std::vector<std::string> queued(const std::string &to, const std::string &purpose) {
        std::vector<std::string> out;
        for (const auto &r : list_outbox(db, ""))
            if (r.recipient == to && r.purpose == purpose)
                out.push_back(r.text);
        return out;
    }
    // A complaint from the citizen, routed to `agency` and forwarded (the forward sent).
    std::int64_t forwarded_complaint(const std::string &text = "Jalan di Desa Sumber rusak parah",
                                     std::int64_t agency = 1, const std::string &from = kCitizen) {
        const auto cid = complaint_of(sms(from, text));
        run();
        route(cid, agency);
        run();
        send();
        REQUIRE(status(cid) == "forwarded");
        return cid;
    }
};

bool contains(const std::string &s, const std::string &part) {
    return s.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("the whole cycle: ack, forward, TERIMA, JAWAB, SETUJU, answer delivered") {
    World w;
    const auto in = w.sms(kCitizen, "Jalan di Desa Sumber rusak parah sejak Januari");
    const auto cid = w.complaint_of(in);
    const auto t = w.ticket(cid);
    w.run();
    auto ack = w.queued(kCitizen, "ack");
    REQUIRE(ack.size() == 1);
    CHECK(contains(ack[0], t));
    CHECK(contains(ack[0], "CEK " + t));
    CHECK(w.status(cid) == "received");

    w.route(cid, 1);
    w.run();
    // Queued, not sent: the complaint stays routed, no `forwarded` event yet.
    CHECK(w.status(cid) == "routed");
    CHECK(w.events(cid) == std::vector<std::string>{"received", "routed"});
    auto fwd = w.queued(kLiaison, "forward");
    REQUIRE(fwd.size() == 1);
    CHECK(contains(fwd[0], t));
    CHECK(contains(fwd[0], "Jalan di Desa Sumber rusak parah"));
    CHECK(contains(fwd[0], "+62857****0001")); // masked by default
    CHECK_FALSE(contains(fwd[0], kCitizen));
    CHECK(w.queued(kHead, "forward").size() == 1); // notify_head
    CHECK(w.queued(kOther, "forward").empty());
    w.run(); // again: nothing new
    CHECK(w.queued(kLiaison, "forward").size() == 1);
    CHECK(w.queued(kHead, "forward").size() == 1);
    w.now += 600;
    w.send(); // the ack and both forwards go out: one `forwarded` event per officer, at the send
    CHECK(w.status(cid) == "forwarded");
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'forwarded' AND at = " + std::to_string(w.now) +
                  " AND officer_id IS NOT NULL AND agency_id = 1") == 2);
    CHECK(w.sum.forwarded == 1);

    w.sms(kLiaison, "TERIMA " + t);
    w.run();
    CHECK(w.status(cid) == "accepted");
    w.sms(kLiaison, "jawab " + t + " Jalan sudah diaspal ulang tanggal 3 Maret.");
    w.run();
    CHECK(w.status(cid) == "answered");
    auto appr = w.queued(kHead, "approval");
    REQUIRE(appr.size() == 1);
    CHECK(contains(appr[0], "Jalan sudah diaspal ulang tanggal 3 Maret."));
    CHECK(contains(appr[0], "SETUJU " + t));
    CHECK(w.queued(kCitizen, "answer").empty());
    // The request goes out before the head replies (a request still queued at SETUJU is cancelled).
    w.send();

    w.sms(kHead, "Setuju " + t);
    w.run();
    CHECK(w.status(cid) == "approved");
    auto answer = w.queued(kCitizen, "answer");
    REQUIRE(answer.size() == 1);
    CHECK(contains(answer[0], "Dinas PUPR"));
    CHECK(contains(answer[0], "Jalan sudah diaspal ulang tanggal 3 Maret."));

    w.send();
    CHECK(w.status(cid) == "closed");
    CHECK(w.sum.sent == 5); // ack, forward x2, approval, answer
    CHECK(w.sum.forwarded == 1);
    CHECK(w.events(cid) == std::vector<std::string>{"received", "routed", "forwarded", "forwarded", "accepted",
                                                    "answered", "approved", "delivered"});
    // Actors: the officer's number for their steps, system for the rest.
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'accepted' AND actor = '" + kLiaison +
                  "' AND officer_id IS NOT NULL AND agency_id = 1 AND detail = 'by the liaison officer'") == 1);
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'approved' AND actor = '" + kHead + "'") == 1);
    CHECK(w.count("SELECT count(*) FROM inbound WHERE handled_at IS NULL") == 0);
}

TEST_CASE("REVISI sends the answer back to the liaison; the new JAWAB asks for approval again") {
    World w;
    const auto cid = w.forwarded_complaint();
    const auto t = w.ticket(cid);
    w.sms(kLiaison, "JAWAB " + t + " sudah diperbaiki");
    w.run();
    w.sms(kHead, "REVISI " + t + " sebutkan tanggal pengerjaan");
    w.run();
    CHECK(w.status(cid) == "accepted");
    auto rev = w.queued(kLiaison, "revision");
    REQUIRE(rev.size() == 1);
    CHECK(contains(rev[0], "sebutkan tanggal pengerjaan"));
    w.sms(kLiaison, "JAWAB " + t + " sudah diperbaiki tanggal 5 Maret");
    w.run();
    CHECK(w.status(cid) == "answered");
    CHECK(w.queued(kHead, "approval").size() == 2);
    CHECK(w.queued(kCitizen, "answer").empty());
}

TEST_CASE("an approval request not yet sent is cancelled when a newer JAWAB replaces its answer") {
    World w;
    const auto cid = w.forwarded_complaint();
    const auto t = w.ticket(cid);
    w.send();
    w.sms(kLiaison, "JAWAB " + t + " jawaban pertama");
    w.run(); // as --no-send: the request waits in the queue
    w.sms(kLiaison, "JAWAB " + t + " jawaban kedua");
    w.run();
    CHECK(w.count("SELECT count(*) FROM outbound WHERE purpose = 'approval' AND status = 'cancelled' AND "
                  "last_error = 'superseded: a newer answer (JAWAB) replaced it' AND text LIKE '%jawaban pertama%'") == 1);
    w.send();
    int requests = 0;
    for (const auto &s : w.sent)
        if (s.first == kHead && contains(s.second, "Balas: SETUJU")) {
            ++requests;
            CHECK(contains(s.second, "jawaban kedua"));
        }
    CHECK(requests == 1);
    // SETUJU approves the text the head was asked about.
    w.sms(kHead, "SETUJU " + t);
    w.run();
    const auto ans = w.queued(kCitizen, "answer");
    REQUIRE(ans.size() == 1);
    CHECK(contains(ans[0], "jawaban kedua"));
}

TEST_CASE("an approval request still queued when the head already approved is not sent") {
    World w;
    const auto cid = w.forwarded_complaint();
    const auto t = w.ticket(cid);
    w.send();
    w.sms(kLiaison, "JAWAB " + t + " sudah diperbaiki");
    w.run(); // the modem was away: the request waits
    w.sms(kHead, "SETUJU " + t); // the liaison showed the head the answer in person
    w.run();
    CHECK(w.status(cid) == "approved");
    CHECK(w.count("SELECT count(*) FROM outbound WHERE purpose = 'approval' AND status = 'cancelled' AND "
                  "last_error = 'superseded: the answer no longer waits for approval'") == 1);
    w.send();
    for (const auto &s : w.sent) CHECK_FALSE(contains(s.second, "Balas: SETUJU"));
}

TEST_CASE("TOLAK sends the complaint back to triage") {
    World w;
    const auto cid = w.forwarded_complaint();
    w.sms(kLiaison, "TOLAK " + w.ticket(cid) + " ranah BPN, bukan kami");
    w.run();
    CHECK(w.status(cid) == "triage");
    CHECK(w.count("SELECT count(*) FROM complaint WHERE agency_id IS NULL") == 1);
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'refused' AND detail = 'ranah BPN, bukan kami'") == 1);
}

TEST_CASE("an officer's command from an unregistered number opens no complaint; the sender is told") {
    World w;
    const auto cid = w.forwarded_complaint();
    const auto t = w.ticket(cid);
    const std::string stranger = "+6289900000009";
    const auto in = w.sms(stranger, "JAWAB " + t + " sudah selesai, abaikan");
    const auto in2 = w.sms(stranger, "TERIMA no tiket " + t);
    w.run();
    w.run();
    CHECK(w.status(cid) == "forwarded");
    CHECK(w.count("SELECT count(*) FROM complaint") == 1);
    CHECK(w.complaint_of(in) == 0);
    CHECK(w.complaint_of(in2) == 0);
    // One event per SMS, though wadul-fetch and wadul-forward both admitted it.
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'rejected' AND actor = '" + stranger +
                  "' AND complaint_id = " + std::to_string(cid) + " AND detail LIKE '% not registered %'") == 2);
    CHECK(w.queued(stranger, "ack").empty());
    const auto told = w.queued(stranger, "help");
    REQUIRE(told.size() == 2);
    CHECK(contains(told[0], "tidak terdaftar sebagai pejabat penghubung"));
    CHECK(contains(told[0], t));
    CHECK(w.queued(kCitizen, "answer").empty());
    CHECK(w.queued(kLiaison, "followup").empty());
    CHECK(w.count("SELECT count(*) FROM inbound WHERE handled_at IS NULL") == 0);

    // A ticket nobody has may be a citizen's words: a complaint, as before.
    const auto junk = w.sms(stranger, "TERIMA 000001Y");
    CHECK(w.complaint_of(junk) != 0);
    // Thanks stays thanks, not TERIMA.
    const auto thanks = w.sms("+6289900000008", "TERIMA KASIH " + t);
    CHECK(w.complaint_of(thanks) != 0); // no answered complaint of theirs: a complaint, as before
    // The complaint's own citizen is no officer: their SMS is a further SMS on it, as before.
    const auto own = w.sms(kCitizen, "TERIMA " + t);
    CHECK(w.complaint_of(own) == cid);
    w.run();
    CHECK(w.queued(kCitizen, "help").empty());
}

TEST_CASE("an officer of another agency, an unknown ticket: nothing changes, the officer is told") {
    World w;
    const auto cid = w.forwarded_complaint();
    const auto t = w.ticket(cid);
    w.sms(kOther, "JAWAB " + t + " sudah");
    w.run();
    CHECK(w.status(cid) == "forwarded");
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'rejected' AND actor = '" + kOther + "'") == 1);
    auto r = w.queued(kOther, "status");
    REQUIRE(r.size() == 1);
    CHECK(contains(r[0], "tidak ditemukan"));

    w.sms(kLiaison, "TERIMA 000001Y"); // valid, but no such complaint
    w.run();
    CHECK(w.status(cid) == "forwarded");
    r = w.queued(kLiaison, "status");
    REQUIRE(r.size() == 1);
    CHECK(contains(r[0], "000001Y"));
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'rejected' AND complaint_id IS NULL") == 1);
}

TEST_CASE("a repeated JAWAB: the same text is ignored, after approval it is refused") {
    World w;
    const auto cid = w.forwarded_complaint();
    const auto t = w.ticket(cid);
    w.sms(kLiaison, "JAWAB " + t + " sudah diperbaiki"); // also takes the disposition as received
    w.run();
    CHECK(w.events(cid).back() == "answered");
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'accepted' AND detail LIKE 'implicit%'") == 1);
    w.sms(kLiaison, "JAWAB " + t + " sudah diperbaiki");
    w.run();
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'answered'") == 1);
    CHECK(w.queued(kHead, "approval").size() == 1);
    w.send(); // the head reads the request, then approves
    w.sms(kHead, "SETUJU " + t);
    w.run();
    w.sms(kLiaison, "JAWAB " + t + " jawaban lain");
    w.run();
    CHECK(w.status(cid) == "approved");
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'answered'") == 1);
    CHECK(w.queued(kCitizen, "answer").size() == 1);
    w.send();
    CHECK(w.status(cid) == "closed");
    w.sms(kLiaison, "JAWAB " + t + " jawaban lain lagi");
    w.run();
    w.send();
    // ack, 2 forwards, approval, answer, and a status reply to each of the 3 refused JAWAB
    CHECK(w.sent.size() == 8);
    int answers = 0;
    for (const auto &s : w.sent)
        answers += s.first == kCitizen && contains(s.second, "Jawaban Dinas PUPR");
    CHECK(answers == 1);
}

TEST_CASE("no ticket: the one open complaint, or the officer is asked which") {
    World w;
    const auto a = w.forwarded_complaint("Lampu jalan mati di Jl. Kartini");
    w.sms(kLiaison, "terima");
    w.run();
    CHECK(w.status(a) == "accepted");
    const auto b = w.forwarded_complaint("Saluran air tersumbat", 1, "+6285700000002");
    w.sms(kLiaison, "JAWAB: sudah diperbaiki");
    w.run();
    CHECK(w.status(a) == "accepted");
    CHECK(w.status(b) == "forwarded");
    auto ask = w.queued(kLiaison, "ask");
    REQUIRE(ask.size() == 1);
    CHECK(contains(ask[0], w.ticket(a)));
    CHECK(contains(ask[0], w.ticket(b)));

    World off;
    off.cfg.forward.implicit_ticket = false;
    const auto c = off.forwarded_complaint();
    off.sms(kLiaison, "TERIMA");
    off.run();
    CHECK(off.status(c) == "forwarded");
    CHECK(off.queued(kLiaison, "help").size() == 1);
}

TEST_CASE("a word that passes the check symbol is read as text when it names no complaint") {
    World w;
    const auto cid = w.forwarded_complaint();
    w.sms(kLiaison, "JAWAB selesai, jalan sudah diperbaiki");
    w.run();
    CHECK(w.status(cid) == "answered");
    CHECK(
        w.count("SELECT count(*) FROM event WHERE kind = 'answered' AND detail = 'selesai, jalan sudah diperbaiki'") ==
        1);
}

TEST_CASE("malformed commands and small talk from an officer get the help text") {
    World w;
    const auto cid = w.forwarded_complaint();
    w.sms(kLiaison, "JAWAB " + w.ticket(cid));
    w.sms(kLiaison, "TERIMA 7KQ4MX2");
    w.sms(kLiaison, "Selamat pagi pak");
    w.run();
    CHECK(w.status(cid) == "forwarded");
    CHECK(w.queued(kLiaison, "help").size() == 3);
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'rejected'") == 3);
}

TEST_CASE("only the head approves; approval off approves at once") {
    World w;
    const auto cid = w.forwarded_complaint();
    const auto t = w.ticket(cid);
    w.sms(kLiaison, "JAWAB " + t + " sudah");
    w.run();
    w.sms(kLiaison, "SETUJU " + t);
    w.sms(kLiaison, "REVISI " + t + " kurang lengkap");
    w.run();
    CHECK(w.status(cid) == "answered");
    const auto help = w.queued(kLiaison, "help");
    REQUIRE(help.size() == 2);
    for (const auto &h : help) {
        CHECK(contains(h, "hanya oleh Kepala OPD"));
        CHECK(contains(h, "JAWAB " + t));
        CHECK_FALSE(contains(h, "Format balasan"));
    }
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'rejected' AND actor = '" + kLiaison +
                  "' AND detail LIKE '% only the head of the agency approves answers'") == 2);

    World off;
    off.cfg.forward.approval = false;
    const auto c2 = off.forwarded_complaint();
    off.sms(kLiaison, "JAWAB " + off.ticket(c2) + " sudah diperbaiki");
    off.run();
    CHECK(off.status(c2) == "approved");
    CHECK(off.queued(kHead, "approval").empty());
    CHECK(off.queued(kCitizen, "answer").size() == 1);
    CHECK(off.count("SELECT count(*) FROM event WHERE kind = 'approved' AND actor = 'system'") == 1);
}

TEST_CASE("a citizen's further SMS joins the open complaint and reaches the officer") {
    World w;
    const auto cid = w.forwarded_complaint();
    const auto in = w.sms(kCitizen, "Tambahan: lubangnya makin besar");
    CHECK(w.complaint_of(in) == cid);
    w.run();
    CHECK(w.count("SELECT count(*) FROM complaint") == 1);
    auto f = w.queued(kLiaison, "followup");
    REQUIRE(f.size() == 1);
    CHECK(contains(f[0], "lubangnya makin besar"));
    CHECK(w.events(cid).back() == "followup");
    CHECK(w.queued(kCitizen, "ack").size() == 1);

    // Outside the window: a new complaint.
    w.now += 8 * 86400;
    const auto later = w.sms(kCitizen, "Ada pohon tumbang di Jl. Pemuda");
    CHECK(w.complaint_of(later) != cid);
    CHECK(w.count("SELECT count(*) FROM complaint") == 2);
}

TEST_CASE("an empty SMS opens no complaint, decided by wadul-fetch or left to wadul-forward") {
    World w;
    // Decided where it is stored: no complaint, nothing linked, the log says so.
    const auto in = w.sms(kCitizen, " \n\t");
    CHECK(w.count("SELECT count(*) FROM complaint") == 0);
    CHECK(w.count("SELECT count(*) FROM inbound WHERE id = " + std::to_string(in) + " AND complaint_id IS NULL") == 1);
    // Left undecided by wadul-fetch (no admission): wadul-forward's fallback decides the same.
    w.now += 60;
    Stmt(w.db, "INSERT INTO inbound(sender, sent_at, received_at, text, parts, kind) VALUES (?, ?, ?, ?, 1, "
               "'citizen')")
        .args(kCitizen, w.now, w.now, "\xC2\xA0 \xE3\x80\x80") // no-break and ideographic spaces
        .run();
    w.run();
    CHECK(w.count("SELECT count(*) FROM complaint") == 0);
    CHECK(w.count("SELECT count(*) FROM inbound WHERE handled_at IS NULL OR complaint_id IS NOT NULL") == 0);
    CHECK(w.queued(kCitizen, "ack").empty());
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'note' AND complaint_id IS NULL AND detail LIKE "
                  "'empty SMS from " + kCitizen + " (inbound %) stored without a complaint'") == 2);
    // A word after the spaces is a complaint.
    w.sms(kCitizen, "  \xC2\xA0 jalan rusak ");
    CHECK(w.count("SELECT count(*) FROM complaint") == 1);
}

TEST_CASE("a further SMS before forwarding travels inside the forward") {
    World w;
    const auto cid = w.complaint_of(w.sms(kCitizen, "Jembatan retak"));
    w.sms(kCitizen, "di Desa Pasar Banggi");
    w.run();
    w.route(cid, 1);
    w.run();
    auto fwd = w.queued(kLiaison, "forward");
    REQUIRE(fwd.size() == 1);
    CHECK(contains(fwd[0], "Jembatan retak / di Desa Pasar Banggi"));
}

TEST_CASE("the modem down: the complaint stays routed until its forward is sent, then forwarded at the send") {
    World w;
    const auto cid = w.complaint_of(w.sms(kCitizen, "Jembatan retak di Desa Pasar Banggi"));
    const auto t = w.ticket(cid);
    w.run();
    w.route(cid, 1);
    w.run();
    const std::string phone = w.cfg.modem.device;
    w.cfg.modem.device = (w.dir.path / "no-such-phone").string(); // no credit, SIM blocked, modem hung
    for (int i = 0; i < 5; ++i) {
        w.now += 3600;
        w.run();
        CHECK_THROWS_AS(w.send(), Error);
    }
    CHECK(w.status(cid) == "routed");
    CHECK(w.events(cid) == std::vector<std::string>{"received", "routed"});
    // Queued once, whatever the number of runs (fwd:ROUTE:OFFICER).
    CHECK(w.queued(kLiaison, "forward").size() == 1);
    CHECK(w.queued(kHead, "forward").size() == 1);
    // The citizen asks meanwhile: not yet "diteruskan" as if the agency had it.
    w.sms(kCitizen, "CEK " + t);
    w.run();
    REQUIRE(w.queued(kCitizen, "status").size() == 1);
    CHECK(contains(w.queued(kCitizen, "status")[0], "segera diteruskan ke instansi"));
    // A further SMS joins the forward still waiting, instead of going on its own before it.
    w.sms(kCitizen, "Tambahan: sudah ada yang jatuh");
    w.run();
    CHECK(w.queued(kLiaison, "followup").empty());
    REQUIRE(w.queued(kLiaison, "forward").size() == 1);
    CHECK(contains(w.queued(kLiaison, "forward")[0], "Jembatan retak di Desa Pasar Banggi / Tambahan: sudah ada"));
    CHECK(contains(w.queued(kHead, "forward")[0], "Tambahan: sudah ada"));

    w.cfg.modem.device = phone; // back
    w.now += 3600;
    w.run();
    w.send();
    CHECK(w.status(cid) == "forwarded");
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'forwarded' AND at = " + std::to_string(w.now)) == 2);
    CHECK(w.count("SELECT count(DISTINCT officer_id) FROM event WHERE kind = 'forwarded'") == 2);
    CHECK(w.sum.forwarded == 1);
    // A later further SMS goes on its own, as for any forwarded complaint.
    w.sms(kCitizen, "Tambahan lagi: makin parah");
    w.run();
    CHECK(w.queued(kLiaison, "followup").size() == 1);
    w.send();
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'forwarded'") == 2);
}

TEST_CASE("a forward is recorded once, only when sent, only for the routing and agency it was for") {
    World w;
    // Interrupted after the modem took it: 'unknown', no event; sent again by the sysadmin: one.
    const auto a = w.complaint_of(w.sms(kCitizen, "Lampu jalan mati"));
    w.run();
    w.send();
    w.route(a, 1);
    w.run();
    const auto claimed = claim_next(w.db, w.now, 60);
    REQUIRE(claimed);
    CHECK(claimed->purpose == "forward");
    REQUIRE(expire_leases(w.db, w.now + 61).size() == 1);
    w.now += 120;
    w.send(); // the other officer's forward
    CHECK(w.status(a) == "forwarded");
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'forwarded'") == 1);
    REQUIRE(retry(w.db, claimed->id, w.now));
    w.send();
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'forwarded'") == 2);
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'forwarded' AND officer_id = " +
                  std::to_string(w.officer_id(claimed->recipient))) == 1);

    // Routed again while the first agency's forward to the liaison was already with the modem: it
    // goes out, but the complaint is not the first agency's any more: no event, still routed.
    // The head's copy, claimed after the re-routing, is cancelled at the claim and never sent.
    World x;
    const auto b = x.complaint_of(x.sms(kCitizen, "Puskesmas tutup"));
    x.route(b, 1);
    x.run();
    x.during_send = [&](const std::string &to) {
        if (to != kLiaison)
            return;
        x.route(b, 2);
        x.during_send = nullptr;
    };
    x.send(); // before any run cancels them
    REQUIRE(x.sent.size() == 2);
    CHECK(x.sent[0].first == kCitizen);
    CHECK(x.sent[1].first == kLiaison);
    CHECK(x.count("SELECT count(*) FROM outbound WHERE purpose = 'forward' AND status = 'cancelled' AND "
                  "last_error = 'superseded: the complaint was routed again'") == 1);
    CHECK(x.status(b) == "routed");
    CHECK(x.count("SELECT count(*) FROM event WHERE kind = 'forwarded'") == 0);
    x.run();
    x.send();
    CHECK(x.status(b) == "forwarded");
    CHECK(x.count("SELECT count(*) FROM event WHERE kind = 'forwarded' AND agency_id = 2") == 1);
    CHECK(x.count("SELECT count(*) FROM event WHERE kind = 'forwarded'") == 1);

    // Closed by the admin while the forward waits: cancelled at the next run, never sent.
    World y;
    const auto c = y.complaint_of(y.sms(kCitizen, "Spam"));
    y.route(c, 1);
    y.run();
    {
        Tx tx(y.db);
        append_event(y.db, {c, y.now, "closed", "admin:rina", 1, std::nullopt, std::string("spam")});
        tx.commit();
    }
    y.run();
    y.send();
    for (const auto &m : y.sent)
        CHECK(m.first == kCitizen); // the ack only
    CHECK(y.count("SELECT count(*) FROM outbound WHERE purpose = 'forward' AND status = 'cancelled' AND last_error LIKE "
                  "'superseded: the complaint is no longer with the agency (status closed)'") == 2);
    CHECK(y.count("SELECT count(*) FROM event WHERE kind = 'forwarded'") == 0);
}

TEST_CASE("the claim is the last check: what changed after the run's own cancellations is not sent") {
    World w;
    const auto cid = w.complaint_of(w.sms(kCitizen, "Lampu jalan mati di Kragan"));
    const auto t = w.ticket(cid);
    w.route(cid, 1);
    w.run();
    w.send();
    REQUIRE(w.status(cid) == "forwarded");
    // A reminder for the disposition, queued as wadul-sla queues it; then the TERIMA is stored by
    // another process after this run's cancellations and before the modem: not sent.
    const auto routed = w.count("SELECT max(id) FROM event WHERE complaint_id = " + std::to_string(cid) +
                                " AND kind = 'routed'");
    {
        Tx tx(w.db);
        enqueue(w.db,
                {kHead, "Pengingat disposisi " + t, "reminder", cid,
                 fmt::format("sla:{}:{}:reminder:1:{}", cid, routed, kHead)},
                w.now);
        append_event(w.db, {cid, w.now, "accepted", kLiaison, 1, w.officer_id(kLiaison), std::nullopt});
        tx.commit();
    }
    const size_t before = w.sent.size();
    w.send();
    CHECK(w.sent.size() == before);
    CHECK(w.count("SELECT count(*) FROM outbound WHERE purpose = 'reminder' AND status = 'cancelled' AND last_error = "
                  "'stale: the disposition stage has ended (now in the answer stage) before it was sent'") == 1);
    // The sysadmin queues a forward cancelled as superseded again (`retry`): the claim cancels it
    // again; the new agency's goes out.
    const auto c2 = w.complaint_of(w.sms("+6285700000002", "Puskesmas Sarang tutup siang"));
    w.route(c2, 1);
    w.run();
    w.route(c2, 2);
    w.run();
    const auto old = w.count("SELECT id FROM outbound WHERE purpose = 'forward' AND status = 'cancelled' AND "
                             "complaint_id = " + std::to_string(c2) + " AND recipient = '" + kLiaison + "'");
    REQUIRE(old > 0);
    REQUIRE(retry(w.db, old, w.now));
    const size_t sent_before = w.sent.size();
    w.send();
    REQUIRE(w.sent.size() == sent_before + 2); // the ack and the new agency's forward
    CHECK(w.sent.back().first == kOther);
    CHECK(w.count("SELECT count(*) FROM outbound WHERE id = " + std::to_string(old) +
                  " AND status = 'cancelled' AND last_error = 'superseded: the complaint was routed again'") == 1);
    CHECK(w.status(c2) == "forwarded");
}

TEST_CASE("an officer whose post ended while a message for them waited does not get it") {
    World w;
    const auto cid = w.complaint_of(w.sms(kCitizen, "Jembatan di Desa Sumber retak"));
    const auto t = w.ticket(cid);
    w.route(cid, 1);
    w.run(); // the forwards queued; the modem is away
    REQUIRE(w.queued(kLiaison, "forward").size() == 1);
    // The registry changes meanwhile: Budi leaves the post, Ani takes it (registry.cpp ends his row).
    {
        Tx tx(w.db);
        Stmt(w.db, "UPDATE officer SET valid_to = ? WHERE phone = ?").args(w.now, kLiaison).run();
        Stmt(w.db, "INSERT INTO officer(agency_id, name, phone, role, valid_from) VALUES (1, 'Ani', '+6281200000011', "
                   "'liaison', ?)")
            .args(w.now)
            .run();
        tx.commit();
    }
    w.run();
    w.send();
    std::vector<std::string> to;
    for (const auto &[r, text] : w.sent)
        if (contains(text, "WADUL " + t))
            to.push_back(r);
    std::sort(to.begin(), to.end());
    CHECK(to == std::vector<std::string>{kHead, "+6281200000011"});
    CHECK(w.count("SELECT count(*) FROM outbound WHERE recipient = '" + kLiaison +
                  "' AND purpose = 'forward' AND status = 'cancelled' AND last_error = 'superseded: the recipient is "
                  "no longer an officer of the complaint''s agency'") == 1);
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'forwarded' AND officer_id = " +
                  std::to_string(w.officer_id(kLiaison))) == 0);
    CHECK(w.status(cid) == "forwarded");
    // A citizen's further SMS and an approval request for the new head: the same at the claim.
    const auto c2 = w.complaint_of(w.sms("+6285700000002", "Lampu jalan mati di Kragan"));
    w.route(c2, 2);
    w.run();
    w.send();
    w.sms("+6285700000002", "Tambahan: sudah seminggu");
    w.run(); // the follow-up queued for Sari, DINKES's liaison
    REQUIRE(w.queued(kOther, "followup").size() == 1);
    {
        Tx tx(w.db);
        Stmt(w.db, "UPDATE officer SET valid_to = ? WHERE phone = ?").args(w.now, kOther).run();
        tx.commit();
    }
    const size_t before = w.sent.size();
    w.send();
    CHECK(w.sent.size() == before);
    CHECK(w.count("SELECT count(*) FROM outbound WHERE recipient = '" + kOther +
                  "' AND purpose = 'followup' AND status = 'cancelled'") == 1);
}

TEST_CASE("a change of role while the forward waits: one forward to the number, not two") {
    World w;
    const auto cid = w.complaint_of(w.sms(kCitizen, "Jembatan di Desa Sumber retak"));
    const auto t = w.ticket(cid);
    w.route(cid, 1);
    w.run(); // the forwards queued; the modem is away
    // The registry makes the head the liaison: registry.cpp ends the row and starts a new one,
    // the same number. The complaint is still routed, so the next run looks at its officers again.
    {
        Tx tx(w.db);
        Stmt(w.db, "UPDATE officer SET valid_to = ? WHERE phone = ?").args(w.now, kHead).run();
        Stmt(w.db, "INSERT INTO officer(agency_id, name, phone, role, valid_from) VALUES (1, 'Kepala PUPR', ?, "
                   "'liaison', ?)")
            .args(kHead, w.now)
            .run();
        tx.commit();
    }
    w.run();
    CHECK(w.queued(kHead, "forward").size() == 1);
    // A further SMS meanwhile travels inside that forward, not as an SMS of its own.
    w.sms(kCitizen, "Tambahan: retaknya makin lebar");
    w.run();
    CHECK(w.queued(kHead, "followup").empty());
    w.send();
    long to_head = 0;
    for (const auto &[r, text] : w.sent)
        if (r == kHead && contains(text, "WADUL " + t)) {
            ++to_head;
            CHECK(contains(text, "makin lebar"));
        }
    CHECK(to_head == 1);
    CHECK(w.status(cid) == "forwarded");
}

TEST_CASE("handover: an officer new in post gets the agency's complaints still waiting for it") {
    World w;
    const auto waiting = w.forwarded_complaint("Jalan di Desa Sumber rusak parah");
    const auto accepted = w.forwarded_complaint("Jembatan Kaliori retak", 1, "+6285700000002");
    const auto answered = w.forwarded_complaint("Drainase Pasar Rembang mampet", 1, "+6285700000003");
    const auto other = w.forwarded_complaint("Puskesmas tutup", 2, "+6285700000004");
    w.sms(kLiaison, "TERIMA " + w.ticket(accepted));
    w.sms(kLiaison, "JAWAB " + w.ticket(answered) + " Saluran sudah dibersihkan hari ini");
    w.run();
    w.send();
    REQUIRE(w.status(accepted) == "accepted");
    REQUIRE(w.status(answered) == "answered");
    // A new Surat Tugas: Budi leaves, Ani is DPUPR's liaison.
    const std::string kNew = "+6281200000009";
    w.db.exec("UPDATE officer SET valid_to = 1 WHERE phone = '" + kLiaison + "'");
    w.db.exec("INSERT INTO officer(agency_id, name, phone, role, valid_from) VALUES (1, 'Ani', '" + kNew +
              "', 'liaison', 1)");
    w.run();
    w.send();
    // The two complaints that still wait for DPUPR's TERIMA or JAWAB, once each; not the one
    // waiting for the head's approval, not DINKES's.
    std::vector<std::string> got;
    for (const auto &m : w.sent)
        if (m.first == kNew) got.push_back(m.second);
    REQUIRE(got.size() == 2);
    CHECK(got[0].find(w.ticket(waiting)) != std::string::npos);
    CHECK(got[1].find(w.ticket(accepted)) != std::string::npos);
    CHECK(w.count("SELECT count(*) FROM outbound WHERE recipient = '" + kNew + "' AND complaint_id IN (" +
                  std::to_string(answered) + ", " + std::to_string(other) + ")") == 0);
    // Recorded for her, the statuses unchanged; nothing again at the next run.
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'forwarded' AND officer_id = " +
                  std::to_string(w.officer_id(kNew))) == 2);
    CHECK(w.status(waiting) == "forwarded");
    CHECK(w.status(accepted) == "accepted");
    const size_t before = w.sent.size();
    w.run();
    w.send();
    CHECK(w.sent.size() == before);
}

TEST_CASE("an officer who knows the ticket acts before the forward is sent") {
    World w;
    const auto cid = w.complaint_of(w.sms(kCitizen, "Jalan berlubang di Sulang"));
    const auto t = w.ticket(cid);
    w.route(cid, 1);
    w.run();
    REQUIRE(w.status(cid) == "routed");
    // Told by phone: TERIMA is taken, the disposition is done.
    w.sms(kLiaison, "TERIMA " + t);
    w.run();
    CHECK(w.status(cid) == "accepted");
    // The forward still goes out (the officer gets the text), recorded without moving the status back.
    w.send();
    CHECK(w.status(cid) == "accepted");
    CHECK(w.events(cid) == std::vector<std::string>{"received", "routed", "accepted", "forwarded", "forwarded"});
    // Another agency's officer still cannot.
    const auto c2 = w.complaint_of(w.sms("+6285700000002", "Obat habis di puskesmas"));
    w.route(c2, 1);
    w.run();
    w.sms(kOther, "TERIMA " + w.ticket(c2));
    w.run();
    CHECK(w.status(c2) == "routed");
}

TEST_CASE("CEK: the citizen's own ticket only") {
    World w;
    const auto cid = w.forwarded_complaint();
    const auto t = w.ticket(cid);
    const auto q = w.sms(kCitizen, "cek " + t);
    CHECK(w.count("SELECT count(*) FROM complaint") == 1); // not a complaint, not a followup
    w.run();
    auto st = w.queued(kCitizen, "status");
    REQUIRE(st.size() == 1);
    CHECK(contains(st[0], t));
    CHECK(contains(st[0], "Dinas PUPR"));
    CHECK(contains(st[0], "diteruskan"));
    CHECK(w.complaint_of(q) == cid);

    w.sms("+6285700000099", "CEK " + t);
    w.run();
    auto other = w.queued("+6285700000099", "status");
    REQUIRE(other.size() == 1);
    CHECK(contains(other[0], "tidak ditemukan"));
    CHECK_FALSE(contains(other[0], "Dinas PUPR"));
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'rejected' AND actor = '+6285700000099'") == 1);
    CHECK(w.count("SELECT count(*) FROM complaint") == 1);
}

TEST_CASE("re-routing forwards again to the new agency and stops what was queued for the old one") {
    World w;
    const auto cid = w.forwarded_complaint();
    w.sms(kLiaison, "TOLAK " + w.ticket(cid) + " bukan kami");
    w.run();
    w.route(cid, 2);
    w.run();
    CHECK(w.status(cid) == "routed");
    CHECK(w.queued(kOther, "forward").size() == 1);
    w.send();
    CHECK(w.status(cid) == "forwarded");
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'forwarded' AND agency_id = 2") == 1);
    // Routed twice before anything was sent: only the latest agency's forward stays queued.
    World x;
    const auto c2 = x.complaint_of(x.sms(kCitizen, "Puskesmas tutup"));
    x.route(c2, 1);
    x.run();
    x.route(c2, 2);
    x.run();
    x.send();
    for (const auto &s : x.sent)
        CHECK(s.first != kLiaison);
    CHECK(x.count("SELECT count(*) FROM outbound WHERE status = 'cancelled' AND last_error LIKE 'superseded%'") == 2);
    // A cancelled forward never becomes a `forwarded` event.
    CHECK(x.count("SELECT count(*) FROM event WHERE kind = 'forwarded' AND agency_id = 1") == 0);
    CHECK(x.count("SELECT count(*) FROM event WHERE kind = 'forwarded' AND agency_id = 2") == 1);
}

TEST_CASE("an agency without officers: the complaint waits, noted once") {
    World w;
    w.db.exec("INSERT INTO agency(id, code, name, kind) VALUES (3, 'BPBD', 'BPBD', 'opd')");
    const auto cid = w.complaint_of(w.sms(kCitizen, "Banjir"));
    w.route(cid, 3);
    w.run();
    w.run();
    CHECK(w.status(cid) == "routed");
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'note'") == 1);
    CHECK(w.log.warnings() == 1);
}

TEST_CASE("a long complaint is cut to fit forward.max_parts; the rest of the queue still goes") {
    World w;
    std::string text;
    for (int i = 0; i < 200; ++i)
        text += "jalan rusak ";
    w.cfg.forward.max_parts = 2;
    w.forwarded_complaint(text);
    auto fwd = w.queued(kLiaison, "forward");
    REQUIRE(fwd.size() == 1);
    CHECK(sms_parts(fwd[0]) <= 2);
    CHECK(contains(fwd[0], "..."));
    CHECK(contains(fwd[0], "TERIMA")); // the reply instructions survive
}

namespace {

// An answer of `n` characters, with a typographic ’ (a phone's autocorrect) when `ucs2`.
std::string answer_of(size_t n, bool ucs2) {
    const std::string base = ucs2 ? "Jalan sudah kami perbaiki, mohon maaf atas ketidaknyamanan’nya. "
                                  : "Jalan sudah kami perbaiki, mohon maaf atas ketidaknyamanannya. ";
    std::string out;
    size_t count = 0;
    while (count < n) {
        for (size_t i = 0; i < base.size() && count < n; ++i) {
            out += base[i];
            // a UTF-8 sequence counts once, at its last byte
            if (i + 1 == base.size() || (static_cast<unsigned char>(base[i + 1]) & 0xC0) != 0x80)
                ++count;
        }
    }
    if (!out.empty() && out.back() == ' ')
        out.back() = '.'; // the command's text is trimmed: a last space would not count
    return out;
}

// "maksimal N" in the reply to a too long JAWAB.
size_t max_in(const std::string &reply) {
    const auto at = reply.find("maksimal ");
    REQUIRE(at != std::string::npos);
    return std::stoul(reply.substr(at + 9));
}

} // namespace

TEST_CASE("a JAWAB too long for the head's request or the citizen's SMS is refused, with the room left") {
    for (const bool ucs2 : {true, false}) {
        for (const bool approval : {true, false}) {
            CAPTURE(ucs2);
            CAPTURE(approval);
            World w;
            w.cfg.forward.approval = approval;
            const auto cid = w.forwarded_complaint();
            const auto t = w.ticket(cid);
            w.sms(kLiaison, "TERIMA " + t);
            w.run();
            // About 1,600 characters: beyond 10 parts in either alphabet.
            const std::string too_long = answer_of(1600, ucs2);
            w.sms(kLiaison, "JAWAB " + t + " " + too_long);
            w.run();
            CHECK(w.status(cid) == "accepted");
            CHECK(w.events(cid).back() == "rejected");
            CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'answered'") == 0);
            CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'rejected' AND detail LIKE 'JAWAB " + t +
                          ": the answer is too long%'") == 1);
            CHECK(w.sum.rejected == 1);
            auto help = w.queued(kLiaison, "help");
            REQUIRE(help.size() == 1);
            CHECK(contains(help[0], "terlalu panjang"));
            CHECK(contains(help[0], "1600 karakter"));
            CHECK(contains(help[0], "JAWAB " + t));
            CHECK(sms_size(help[0]).parts == 1); // one GSM-7 part
            CHECK_FALSE(sms_size(help[0]).ucs2);
            const size_t room = max_in(help[0]);
            // Exactly the room: one character more is refused, the room itself goes through whole.
            CHECK(room > (ucs2 ? 500u : 1200u));
            CHECK(room < (ucs2 ? 670u : 1530u));
            w.sms(kLiaison, "JAWAB " + t + " " + answer_of(room + 1, ucs2));
            w.run();
            CHECK(w.status(cid) == "accepted");
            REQUIRE(w.queued(kLiaison, "help").size() == 2);
            CHECK(max_in(w.queued(kLiaison, "help")[1]) == room);
            const std::string fits = answer_of(room, ucs2);
            w.sms(kLiaison, "JAWAB " + t + " " + fits);
            w.run();
            if (approval) {
                CHECK(w.status(cid) == "answered");
                auto appr = w.queued(kHead, "approval");
                REQUIRE(appr.size() == 1);
                CHECK(contains(appr[0], fits + " | Balas: SETUJU")); // whole, not cut
                CHECK(sms_parts(appr[0]) <= w.cfg.forward.max_parts);
                w.send(); // the head reads the request, then approves
                w.sms(kHead, "SETUJU " + t);
                w.run();
            }
            CHECK(w.status(cid) == "approved");
            auto ans = w.queued(kCitizen, "answer");
            REQUIRE(ans.size() == 1);
            CHECK(contains(ans[0], fits));
            w.send();
            CHECK(w.status(cid) == "closed");
            CHECK(w.count("SELECT count(*) FROM outbound WHERE status = 'failed'") == 0);
        }
    }
}

TEST_CASE("the room counts characters that take two places: emoji in UCS-2, GSM-7's escaped ones") {
    for (const std::string unit : {"\U0001F621", "[x] "}) {
        CAPTURE(unit);
        World w;
        const auto cid = w.forwarded_complaint();
        const auto t = w.ticket(cid);
        std::string text;
        while (text.size() < 3000)
            text += unit;
        w.sms(kLiaison, "JAWAB " + t + " " + text + "!");
        w.run();
        auto help = w.queued(kLiaison, "help");
        REQUIRE(help.size() == 1);
        const size_t room = max_in(help[0]);
        std::string fits;
        size_t n = 0;
        for (size_t i = 0; i < text.size() && n < room; ++n) // the first `room` characters
            do
                fits += text[i++];
            while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80);
        if (fits.back() == ' ')
            fits.back() = '.';
        w.sms(kLiaison, "JAWAB " + t + " " + fits);
        w.run();
        CHECK(w.status(cid) == "answered");
        REQUIRE(w.queued(kHead, "approval").size() == 1);
        CHECK(sms_parts(w.queued(kHead, "approval")[0]) == w.cfg.forward.max_parts);
    }
}

TEST_CASE("a web complaint's answer goes by no SMS to the citizen, but the head's request must fit") {
    World w;
    Tx tx(w.db);
    NewComplaint n;
    n.source = "web";
    n.reporter = "ahmad@example.com";
    n.text = "Jalan rusak di Desa Pamotan";
    n.received_at = w.now;
    n.external_id = "WEB-1";
    const auto cid = create_complaint(w.db, n).id;
    tx.commit();
    w.route(cid, 1);
    w.run();
    w.send();
    REQUIRE(w.status(cid) == "forwarded");
    const auto t = w.ticket(cid);
    const std::string long_answer = answer_of(1600, false);
    w.sms(kLiaison, "JAWAB " + t + " " + long_answer);
    w.run();
    CHECK(w.status(cid) == "forwarded");
    REQUIRE(w.queued(kLiaison, "help").size() == 1);
    // Without approval no SMS carries the answer: the portal takes it whole.
    w.cfg.forward.approval = false;
    w.sms(kLiaison, "JAWAB " + t + " " + long_answer);
    w.run();
    CHECK(w.status(cid) == "approved");
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'answered' AND length(detail) = 1600") == 1);
}

TEST_CASE("an approved answer whose SMS failed takes a new JAWAB, which goes through approval again") {
    World w;
    const auto cid = w.forwarded_complaint();
    const auto t = w.ticket(cid);
    const std::string first = answer_of(400, true); // 7 UCS-2 parts with the template
    w.sms(kLiaison, "JAWAB " + t + " " + first);
    w.run();
    w.sms(kHead, "SETUJU " + t);
    w.run();
    REQUIRE(w.status(cid) == "approved");
    // While its answer is on its way, the approved complaint takes no JAWAB.
    w.sms(kLiaison, "JAWAB " + t + " jawaban lain");
    w.run();
    CHECK(w.status(cid) == "approved");
    CHECK(w.queued(kLiaison, "status").size() == 1);
    // A limit lowered since (or a store from before answers were checked): the answer fails for good.
    w.cfg.forward.max_parts = 3;
    w.send();
    CHECK(w.count("SELECT count(*) FROM outbound WHERE purpose = 'answer' AND status = 'failed'") == 1);
    CHECK(w.status(cid) == "approved");
    // The way out: a shorter JAWAB replaces it and is approved again.
    w.sms(kLiaison, "JAWAB " + t + " Jalan sudah diperbaiki tanggal 3 Maret.");
    w.run();
    CHECK(w.status(cid) == "answered");
    auto appr = w.queued(kHead, "approval");
    REQUIRE(appr.size() == 2);
    CHECK(contains(appr[1], "Jalan sudah diperbaiki tanggal 3 Maret."));
    w.sms(kHead, "SETUJU " + t);
    w.run();
    w.send();
    CHECK(w.status(cid) == "closed");
    auto answers = w.queued(kCitizen, "answer");
    REQUIRE(answers.size() == 2);
    CHECK(contains(answers[1], "Jalan sudah diperbaiki tanggal 3 Maret."));
    CHECK(w.count("SELECT count(*) FROM outbound WHERE purpose = 'answer' AND status = 'sent'") == 1);
    // Closed: refused again.
    w.sms(kLiaison, "JAWAB " + t + " lagi");
    w.run();
    CHECK(w.status(cid) == "closed");
}

TEST_CASE("send: a failing recipient is retried with backoff, then failed; the rate limit holds") {
    World w;
    w.cfg.forward.max_attempts = 2;
    w.cfg.forward.retry_seconds = 60;
    w.fail_to = kCitizen;
    w.forwarded_complaint();
    w.send();
    CHECK(w.sum.retrying == 1);
    CHECK(w.queued(kCitizen, "ack").size() == 1);
    w.send(); // not due yet
    CHECK(w.sum.retrying == 1);
    w.now += 60;
    w.send();
    CHECK(w.sum.failed == 1);
    CHECK(w.count("SELECT count(*) FROM outbound WHERE status = 'failed' AND attempts = 2") == 1);

    World r;
    r.cfg.forward.rate_per_minute = 2;
    for (int i = 0; i < 4; ++i)
        r.sms("+628570000010" + std::to_string(i), "Keluhan " + std::to_string(i));
    r.run();
    r.send();
    CHECK(r.sent.size() == 2);
    CHECK(r.sum.left == 2);
    r.now += 30;
    r.send();
    CHECK(r.sent.size() == 2);
    r.now += 30;
    r.send();
    CHECK(r.sent.size() == 4);
}

TEST_CASE("the debug-log reader gives back what the modem sent: lines, UCS-2, concatenated parts") {
    World w; // only for its dummy phone and config
    const std::string lines = "Jawaban Dinas PUPR:\nJalan sudah diaspal 😡\nTerima kasih.";
    std::string long_text;
    for (int i = 0; i < 30; ++i)
        long_text += "jalan rusak ";
    {
        GammuModem modem(w.cfg);
        CHECK(modem.send(kCitizen, lines, 3).ok);
        const SendResult r = modem.send(kLiaison, long_text, 3);
        CHECK(r.ok);
        CHECK(r.parts == 3);
    }
    const auto parts = parts_in_log(w.gammu_log);
    REQUIRE(parts.size() == 4);
    CHECK(parts[0].ref == -1);
    CHECK(parts[3].no == 3);
    CHECK(parts[3].total == 3);
    const auto msgs = messages_in_log(w.gammu_log);
    REQUIRE(msgs.size() == 2);
    CHECK(msgs[0] == std::make_pair(kCitizen, lines));
    CHECK(msgs[1] == std::make_pair(kLiaison, long_text));
}

TEST_CASE("filler words before the ticket: the officer's command finds it, the answer is the answer") {
    World w;
    const auto a = w.forwarded_complaint("Lampu jalan mati di Jl. Kartini");
    const auto b = w.forwarded_complaint("Saluran air tersumbat", 1, "+6285700000002");
    w.sms(kLiaison, "TERIMA no tiket " + w.ticket(a));
    w.run();
    CHECK(w.status(a) == "accepted");
    CHECK(w.status(b) == "forwarded");
    CHECK(w.queued(kLiaison, "ask").empty());
    w.sms(kLiaison, "JAWAB nomor tiket " + w.ticket(b) + ": saluran sudah dibersihkan");
    w.run();
    CHECK(w.status(b) == "answered");
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'answered' AND detail = 'saluran sudah dibersihkan'") == 1);
}

TEST_CASE("a citizen's CEK with fillers or courtesy only is a query; a complaint starting with 'cek' is not") {
    World w;
    const auto cid = w.forwarded_complaint();
    const auto q = w.sms(kCitizen, "Cek status aduan saya");
    CHECK(w.complaint_of(q) == 0); // not linked: no follow-up
    w.sms(kCitizen, "cek dong");
    w.run();
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'followup'") == 0);
    CHECK(w.queued(kLiaison, "followup").empty());
    auto st = w.queued(kCitizen, "status");
    REQUIRE(st.size() == 2);
    CHECK(contains(st[0], w.ticket(cid)));
    CHECK(contains(st[1], w.ticket(cid)));

    // Another citizen: a complaint that starts with "cek".
    const auto in = w.sms("+6285700000002", "Cek jalan di desa Sumber rusak parah mohon diperbaiki");
    CHECK(w.complaint_of(in) != 0);
    CHECK(w.count("SELECT count(*) FROM complaint") == 2);
    // And a bare CEK from a number with no complaint says so, not "ticket - not found".
    w.sms("+6285700000003", "Cek status aduan saya");
    w.run();
    auto none = w.queued("+6285700000003", "status");
    REQUIRE(none.size() == 1);
    CHECK(contains(none[0], "Belum ada aduan"));
}

TEST_CASE("CEK while no agency holds the complaint names none, and says 'diterima' once") {
    World w;
    const auto cid = w.complaint_of(w.sms(kCitizen, "Jalan di Desa Sumber rusak parah"));
    const auto t = w.ticket(cid);
    w.sms(kCitizen, "CEK " + t);
    w.run();
    auto st = w.queued(kCitizen, "status");
    REQUIRE(st.size() == 1);
    CHECK(contains(st[0], "Tiket " + t + ": aduan Anda diterima "));
    CHECK(contains(st[0], " dan menunggu ditelaah admin."));
    CHECK_FALSE(contains(st[0], "(-)"));
    CHECK(st[0].find("diterima") == st[0].rfind("diterima"));

    // Forwarded: the agency is named.
    w.route(cid, 1);
    w.run();
    w.send();
    w.sms(kCitizen, "CEK " + t);
    w.run();
    st = w.queued(kCitizen, "status");
    REQUIRE(st.size() == 2);
    CHECK(contains(st[1], "diteruskan ke instansi (Dinas PUPR), diterima "));

    // Sent back by TOLAK: in triage, no agency again.
    w.sms(kLiaison, "TOLAK " + t + " bukan kewenangan kami");
    w.run();
    w.sms(kCitizen, "CEK " + t);
    w.run();
    st = w.queued(kCitizen, "status");
    REQUIRE(st.size() == 3);
    CHECK(contains(st[2], " dan sedang ditelaah admin."));
    CHECK_FALSE(contains(st[2], "(-)"));
}

TEST_CASE("a burst of further SMS reaches each officer as one SMS per send, every text in it") {
    World w;
    const auto cid = w.forwarded_complaint();
    w.send();
    for (int i = 1; i <= 30; ++i)
        w.sms(kCitizen, "Pak tolong cepat ya pak (" + std::to_string(i) + ")");
    w.run();
    CHECK(w.count("SELECT count(*) FROM event WHERE kind = 'followup'") == 30);
    auto f = w.queued(kLiaison, "followup");
    REQUIRE(f.size() == 1);
    size_t at = 0;
    for (int i = 1; i <= 30; ++i) { // all of them, in order
        const auto next = f[0].find("(" + std::to_string(i) + ")", at);
        CHECK(next != std::string::npos);
        at = next == std::string::npos ? at : next;
    }
    CHECK(contains(f[0], "(1) / Pak tolong"));
    CHECK(w.queued(kHead, "followup").empty()); // liaisons only, as before
    w.send();
    CHECK(w.count("SELECT count(*) FROM outbound WHERE purpose = 'followup' AND status = 'sent'") == 1);

    // Once sent, the next further SMS is a new one.
    w.sms(kCitizen, "Sudah seminggu belum ada kabar");
    w.run();
    f = w.queued(kLiaison, "followup");
    REQUIRE(f.size() == 2);
    CHECK(contains(f[1], "Sudah seminggu belum ada kabar"));
    CHECK_FALSE(contains(f[1], "(30)"));
    CHECK(w.status(cid) == "forwarded");
}

TEST_CASE("further SMS that would not fit one message together go apart, none cut") {
    World w;
    w.cfg.forward.max_parts = 1;
    w.forwarded_complaint();
    w.send();
    const std::string a(70, 'a'), b(70, 'b'), c(5, 'c');
    w.sms(kCitizen, a);
    w.sms(kCitizen, b);
    w.sms(kCitizen, c);
    w.run();
    const auto f = w.queued(kLiaison, "followup");
    REQUIRE(f.size() == 2);
    CHECK(contains(f[0], a));
    CHECK(contains(f[1], b + " / " + c));
    for (const auto &t : f)
        CHECK_FALSE(contains(t, "..."));
}
