#include "wadul/fetch.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "wadul/complaint.hpp"
#include "wadul/error.hpp"
#include "wadul/forward.hpp"
#include "wadul/log.hpp"
#include "wadul/msisdn.hpp"
#include "wadul/protocol.hpp"
#include "wadul/store.hpp"
#include "wadul/transport.hpp"
#include "wadul/utf16.hpp"

namespace wadul {

namespace {

std::uint64_t fnv1a64(std::u16string_view s) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (char16_t u : s) {
        for (unsigned char b : {static_cast<unsigned char>(u >> 8), static_cast<unsigned char>(u & 0xFF)}) {
            h ^= b;
            h *= 0x100000001b3ULL;
        }
    }
    return h;
}

long ms(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
    return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count());
}

// Shown where parts of a long SMS never arrived.
constexpr std::u16string_view kMissing = u"[\u2026]";

// Records a part libgammu could not read. Warns the first time only: the part stays on the
// modem, and a cron job would otherwise mail the same warning every minute.
void set_aside(Db &db, const UnreadablePart &u, Timestamp now, Log &log) {
    Tx tx(db);
    Stmt find(db, "SELECT 1 FROM sms_setaside WHERE folder = ? AND location = ?");
    find.args(u.folder, u.location);
    const bool known = find.step();
    find.reset();
    Stmt(db, "INSERT INTO sms_setaside(folder, location, error, first_at, last_at) VALUES (?, ?, ?, ?, ?) "
             "ON CONFLICT(folder, location) DO UPDATE SET error = excluded.error, last_at = excluded.last_at")
        .args(u.folder, u.location, u.error, now, now)
        .run();
    tx.commit();
    if (known)
        log.info("unreadable SMS at folder {} location {} still set aside: {}", u.folder, u.location, u.error);
    else
        log.warn("cannot read SMS at folder {} location {}: {}; set aside, left on the modem", u.folder, u.location,
                 u.error);
}

// Forgets set-aside entries that are gone from the modem (removed by hand, or readable now).
void forget_setaside(Db &db, const std::set<std::pair<int, int>> &seen) {
    std::vector<std::int64_t> gone;
    {
        Stmt all(db, "SELECT id, folder, location FROM sms_setaside");
        while (all.step())
            if (!seen.count({all.i32(1), all.i32(2)})) gone.push_back(all.i64(0));
    }
    if (gone.empty()) return;
    Tx tx(db);
    Stmt del(db, "DELETE FROM sms_setaside WHERE id = ?");
    for (auto id : gone) del.args(id).run();
    tx.commit();
}

struct Group {
    std::string sender;
    std::optional<std::int64_t> concat_ref; // nullopt: a single SMS, `first_id` is its part
    int part_count = 1;
    std::int64_t first_id = 0;
    Timestamp sent_at = 0; // of the oldest part, for the order messages are stored in
};

struct Part {
    std::int64_t id;
    int part_no;
    Timestamp smsc_time, fetched_at;
    std::string coding;
    std::u16string text;
};

// Whoever may change how a citizen's message becomes a complaint (follow-ups, spam rules) does
// it here: the one place fetch decides that. forward.cpp's admit_citizen_sms makes the decision
// (a CEK query or a further SMS on an open complaint is no new complaint); it links inbound rows
// itself, so only a new complaint comes back.
std::optional<ComplaintRef> complaint_for(Db &db, const std::string &sender, const std::string &text,
                                          Timestamp received_at, std::int64_t inbound_id, int followup_window_days) {
    const Admission a = admit_citizen_sms(db, inbound_id, sender, text, received_at, followup_window_days);
    if (a.kind != CitizenSms::complaint) return std::nullopt;
    return a.complaint;
}

// Turns groups of parts into inbound rows (and complaints), with its statements prepared once:
// at 10,000 messages, preparing them per message costs more than running them.
class Assembler {
public:
    Assembler(Db &db, const FetchOptions &opt, Log &log, FetchSummary &sum)
        : db_(db), opt_(opt), log_(log), sum_(sum),
          group_parts_(db, "SELECT id, part_no, smsc_time, fetched_at, coding, ucs2 FROM sms_part "
                           "WHERE inbound_id IS NULL AND sender = ? AND concat_ref = ? AND part_count = ? "
                           "ORDER BY part_no, smsc_time, id"),
          single_part_(db, "SELECT id, part_no, smsc_time, fetched_at, coding, ucs2 FROM sms_part "
                           "WHERE inbound_id IS NULL AND id = ?"),
          officer_(db, "SELECT id FROM officer WHERE phone = ? AND valid_to IS NULL"),
          insert_(db, "INSERT INTO inbound(sender, sent_at, received_at, text, parts, complete, kind, officer_id, "
                      "handled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
          mark_(db, "UPDATE sms_part SET inbound_id = ? WHERE id = ?"),
          link_(db, "UPDATE inbound SET complaint_id = ? WHERE id = ?") {}

    // Returns false when nothing was stored (the group vanished).
    bool store(const Group &g);

private:
    Db &db_;
    const FetchOptions &opt_;
    Log &log_;
    FetchSummary &sum_;
    Stmt group_parts_, single_part_, officer_, insert_, mark_, link_;
};

bool Assembler::store(const Group &g) {
    std::vector<Part> parts;
    Stmt &q = g.concat_ref ? group_parts_ : single_part_;
    if (g.concat_ref) q.args(g.sender, *g.concat_ref, g.part_count);
    else q.args(g.first_id);
    while (q.step()) {
        const int no = q.i32(1);
        // Two parts with the same number: the sender reused the reference for another
        // message; the later part waits for its own group.
        if (!parts.empty() && parts.back().part_no == no) continue;
        parts.push_back({q.i64(0), no, q.i64(2), q.i64(3), q.str(4), utf16_from_be_bytes(q.view(5))});
    }
    q.reset();
    if (parts.empty()) return false;

    std::u16string text16;
    const bool binary =
        std::all_of(parts.begin(), parts.end(), [](const Part &p) { return p.coding == "8bit"; });
    int expect = 1, unreadable = 0;
    Timestamp sent_at = parts.front().smsc_time, received_at = parts.front().fetched_at;
    for (const auto &p : parts) {
        if (g.concat_ref && p.part_no > expect) text16 += kMissing;
        // A binary part inside a text message has no text to give: marked as missing, not
        // dropped in silence.
        if (!binary && p.coding == "8bit") {
            text16 += kMissing;
            ++unreadable;
        } else {
            // UTF-16 units first, UTF-8 after: a surrogate pair split across two parts survives.
            text16 += p.text;
        }
        expect = p.part_no + 1;
        sent_at = std::min(sent_at, p.smsc_time);
        received_at = std::max(received_at, p.fetched_at);
    }
    const bool complete = (!g.concat_ref || static_cast<int>(parts.size()) == g.part_count) && unreadable == 0;
    if (g.concat_ref && expect <= g.part_count) text16 += kMissing;
    const std::string text = utf16_to_utf8(text16);

    // A sender that is not a phone number (an operator's "TELKOMSEL") is kept as the network gave it.
    const auto number = normalize_msisdn(g.sender);
    const std::string sender = number.value_or(g.sender);
    std::optional<std::int64_t> officer_id;
    officer_.bind(1, sender);
    if (officer_.step()) officer_id = officer_.i64(0);
    officer_.reset();
    // Nothing to answer or route: binary SMS (WAP push, MMS notices), broadcasts from names, and
    // an empty SMS (a pocket dial, a blank sent by mistake).
    const bool blank = is_blank(text);
    const bool no_complaint = !officer_id && (binary || !number || blank);

    insert_.args(sender, sent_at, received_at, text, static_cast<int>(parts.size()), complete ? 1 : 0,
                 officer_id ? "officer" : "citizen", officer_id,
                 no_complaint ? std::optional<Timestamp>(opt_.now) : std::nullopt);
    insert_.run();
    const std::int64_t inbound_id = db_.last_insert_id();
    for (const auto &p : parts) mark_.args(inbound_id, p.id).run();

    ++sum_.messages;
    if (!complete) {
        ++sum_.incomplete;
        if (unreadable)
            log_.warn("long SMS from {} stored without {} of its {} parts: {} binary (8-bit) inside a text message",
                      sender, g.part_count - static_cast<int>(parts.size()) + unreadable, g.part_count, unreadable);
        else
            log_.warn("long SMS from {} stored without {} of its {} parts after waiting {} s", sender,
                      g.part_count - static_cast<int>(parts.size()), g.part_count, opt_.multipart_timeout);
    }
    if (officer_id) {
        ++sum_.officer;
    } else if (no_complaint) {
        ++sum_.other;
        log_.info("SMS from {} stored without a complaint: {}", sender,
                  binary ? "binary message" : !number ? "the sender is not a phone number" : "empty message");
    } else if (auto ref = complaint_for(db_, sender, text, received_at, inbound_id, opt_.followup_window_days)) {
        link_.args(ref->id, inbound_id).run();
        ++sum_.complaints;
        log_.debug("complaint {} from {}", ref->ticket, sender);
    }
    return true;
}

} // namespace

std::string part_fingerprint(const InboxPart &p) {
    // The text enters as a hash only to keep the key short; it can only collide with another part
    // from the same sender, sent in the same second with the same concatenation header.
    return fmt::format("{}|{}|{}|{}:{}/{}|{:016x}", p.sender, p.smsc_time, p.coding, p.concat_ref, p.part_no,
                       p.part_count, fnv1a64(p.text));
}

void assemble_messages(Db &db, const FetchOptions &opt, Log &log, FetchSummary &sum) {
    const Timestamp cutoff = opt.now - opt.multipart_timeout;
    // Messages are stored oldest first, so complaints are numbered in the order citizens sent
    // them: each round merges the oldest single SMS (read in order from the partial index, so a
    // round costs the same at 10 or 10,000 pending parts) with the oldest ready long SMS.
    Stmt singles(db, "SELECT sender, id, smsc_time FROM sms_part INDEXED BY sms_part_pending_time "
                     "WHERE inbound_id IS NULL AND concat_ref IS NULL ORDER BY smsc_time, id LIMIT ?");
    Stmt longs(db, R"sql(
        SELECT sender, concat_ref, part_count, min(id), min(smsc_time)
        FROM sms_part WHERE inbound_id IS NULL AND concat_ref IS NOT NULL
        GROUP BY sender, concat_ref, part_count
        HAVING count(DISTINCT part_no) >= part_count OR min(fetched_at) <= ?
        ORDER BY min(smsc_time), min(id)
        LIMIT ?)sql");
    Assembler assembler(db, opt, log, sum);
    for (;;) {
        std::vector<Group> groups;
        singles.args(opt.batch);
        while (singles.step()) groups.push_back({singles.str(0), std::nullopt, 1, singles.i64(1), singles.i64(2)});
        singles.reset();
        longs.args(cutoff, opt.batch);
        while (longs.step())
            groups.push_back({longs.str(0), longs.i64(1), longs.i32(2), longs.i64(3), longs.i64(4)});
        longs.reset();
        if (groups.empty()) break;
        std::sort(groups.begin(), groups.end(), [](const Group &a, const Group &b) {
            return std::tie(a.sent_at, a.first_id) < std::tie(b.sent_at, b.first_id);
        });
        if (static_cast<int>(groups.size()) > opt.batch) groups.resize(static_cast<size_t>(opt.batch));
        Tx tx(db);
        long stored = 0;
        for (const auto &g : groups) stored += assembler.store(g) ? 1 : 0;
        tx.commit();
        if (stored == 0) break; // cannot happen; never spin
    }
    Stmt waiting(db, "SELECT count(*) FROM (SELECT 1 FROM sms_part WHERE inbound_id IS NULL "
                     "GROUP BY sender, concat_ref, part_count)");
    waiting.step();
    sum.waiting = waiting.i64(0);
}

FetchSummary fetch_inbox(Db &db, Transport &modem, const FetchOptions &opt, Log &log) {
    FetchSummary sum;
    std::vector<InboxPart> batch;
    batch.reserve(static_cast<size_t>(opt.batch));
    std::vector<int> deferred; // a location whose later parts may still be in the next batch
    std::set<std::pair<int, int>> setaside_seen;
    bool crashed_once = false;

    Stmt ins(db, "INSERT OR IGNORE INTO sms_part(fingerprint, sender, smsc_time, fetched_at, coding, concat_ref, "
                 "part_no, part_count, ucs2) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    auto flush = [&](bool last) {
        if (batch.empty() && deferred.empty()) return;
        {
            Tx tx(db);
            for (const auto &p : batch) {
                const std::string ucs2 = utf16_to_be_bytes(p.text);
                ins.args(part_fingerprint(p), p.sender, p.smsc_time, opt.now, p.coding,
                         p.concat_ref >= 0 ? std::optional<int>(p.concat_ref) : std::nullopt, p.part_no,
                         p.part_count);
                ins.bind_blob(9, ucs2.data(), ucs2.size());
                sum.parts_new += ins.run();
            }
            tx.commit();
        }
        if (opt.crash_after_first_commit && !crashed_once) {
            crashed_once = true;
            std::raise(SIGKILL);
        }
        // Only now, with every part of the batch committed, do parts leave the modem. A part
        // already in the store (read again after a crash) is deleted the same way.
        std::vector<int> locations = std::move(deferred);
        deferred.clear();
        for (const auto &p : batch)
            if (locations.empty() || locations.back() != p.location) locations.push_back(p.location);
        // One entry of the dummy phone can hold several parts; the last one's siblings may be
        // in the next batch, so its deletion waits for that batch's commit.
        if (!last && !batch.empty()) {
            deferred.push_back(locations.back());
            locations.pop_back();
        }
        std::set<int> done;
        for (int loc : locations)
            if (done.insert(loc).second) modem.remove(0, loc);
        batch.clear();
    };

    const auto t0 = std::chrono::steady_clock::now();
    modem.scan_inbox(
        [&](const InboxPart &p) {
            ++sum.parts_read;
            batch.push_back(p);
            if (static_cast<int>(batch.size()) >= opt.batch) flush(false);
            return true;
        },
        [&](const UnreadablePart &u) {
            ++sum.set_aside;
            setaside_seen.insert({u.folder, u.location});
            set_aside(db, u, opt.now, log);
        });
    flush(true);
    forget_setaside(db, setaside_seen);
    const auto t1 = std::chrono::steady_clock::now();
    log.debug("read {} parts in {} ms", sum.parts_read, ms(t0, t1));
    assemble_messages(db, opt, log, sum);
    log.debug("assembled {} messages in {} ms", sum.messages, ms(t1, std::chrono::steady_clock::now()));
    return sum;
}

} // namespace wadul
