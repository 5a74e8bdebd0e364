// The outbound queue: idempotent queueing, exclusive claims, at most once after a crash, backoff,
// `failed` after the last attempt, the sysadmin's retry, and part counting.
#include <doctest/doctest.h>

#include <cstdio>
#include <set>
#include <unistd.h>

#include "wadul/outbox.hpp"
#include "wadul/store.hpp"

using namespace wadul;

namespace {

std::string status_of(Db &db, std::int64_t id) {
    Stmt q(db, "SELECT status FROM outbound WHERE id = ?");
    q.bind(1, id);
    REQUIRE(q.step());
    return q.str(0);
}

std::int64_t col(Db &db, const char *column, std::int64_t id) {
    Stmt q(db, std::string("SELECT ") + column + " FROM outbound WHERE id = ?");
    q.bind(1, id);
    REQUIRE(q.step());
    return q.i64(0);
}

std::int64_t add(Db &db, const std::string &key, Timestamp now = 1000) {
    Tx tx(db);
    auto id = enqueue(db, {"+6281234567001", "Halo " + key, "ack", std::nullopt, key}, now);
    tx.commit();
    REQUIRE(id);
    return *id;
}

} // namespace

TEST_CASE("queueing the same dedupe key twice queues once") {
    Db db = Db::memory();
    const auto id = add(db, "ack:1");
    Tx tx(db);
    CHECK_FALSE(enqueue(db, {"+6281234567001", "lain", "ack", std::nullopt, "ack:1"}, 2000));
    CHECK(enqueue(db, {"+6281234567001", "lain", "ack", std::nullopt, "ack:2"}, 2000));
    tx.commit();
    CHECK(status_of(db, id) == "queued");
    CHECK(list_outbox(db, "").size() == 2);
}

TEST_CASE("a claim is exclusive: a second claimer gets the next message or nothing") {
    Db db = Db::memory();
    const auto a = add(db, "a"), b = add(db, "b");
    auto c1 = claim_next(db, 1000, 300);
    auto c2 = claim_next(db, 1000, 300);
    auto c3 = claim_next(db, 1000, 300);
    REQUIRE(c1);
    REQUIRE(c2);
    CHECK(c1->id == a);
    CHECK(c2->id == b);
    CHECK_FALSE(c3);
    CHECK(c1->attempts == 1);
    CHECK(status_of(db, a) == "sending");
    CHECK(col(db, "lease_until", a) == 1300);
    // Not due yet: queued for later.
    add(db, "later", 5000);
    CHECK_FALSE(claim_next(db, 1000, 300));
    CHECK(any_due(db, 5000));
    CHECK_FALSE(any_due(db, 4999));
}

TEST_CASE("two store connections claiming the same queue never share a message") {
    const std::string path = "/tmp/wadul-test-outbox-" + std::to_string(::getpid()) + ".db";
    std::remove(path.c_str());
    {
        Db one = Db::open(path), two = Db::open(path);
        for (int i = 0; i < 20; ++i)
            add(one, "m" + std::to_string(i));
        std::set<std::int64_t> seen;
        int claims = 0;
        for (int i = 0; i < 30; ++i) {
            Db &db = i % 2 ? two : one;
            if (auto c = claim_next(db, 1000, 300)) {
                CHECK(seen.insert(c->id).second);
                ++claims;
            }
        }
        CHECK(claims == 20);
    }
    std::remove(path.c_str());
    std::remove((path + "-wal").c_str());
    std::remove((path + "-shm").c_str());
}

TEST_CASE("a crash between claim and record: the row becomes unknown, never resent") {
    Db db = Db::memory();
    const auto id = add(db, "x");
    REQUIRE(claim_next(db, 1000, 300));
    // Within the lease, another run leaves it alone.
    CHECK(expire_leases(db, 1200).empty());
    CHECK_FALSE(claim_next(db, 1200, 300));
    // After the lease: unknown, and still not claimable.
    auto ids = expire_leases(db, 1301);
    REQUIRE(ids.size() == 1);
    CHECK(ids[0] == id);
    CHECK(status_of(db, id) == "unknown");
    CHECK_FALSE(claim_next(db, 1400, 300));
    // The sysadmin requeues it.
    CHECK(retry(db, id, 1500));
    CHECK(status_of(db, id) == "queued");
    CHECK(col(db, "attempts", id) == 0);
    auto c = claim_next(db, 1500, 300);
    REQUIRE(c);
    CHECK(c->id == id);
    // retry only applies to failed / unknown.
    CHECK_FALSE(retry(db, id, 1500));
    CHECK_FALSE(retry(db, 999, 1500));
}

TEST_CASE("a slow run's late success is still recorded") {
    Db db = Db::memory();
    const auto id = add(db, "slow");
    REQUIRE(claim_next(db, 1000, 10));
    expire_leases(db, 2000);
    CHECK(status_of(db, id) == "unknown");
    Tx tx(db);
    mark_sent(db, id, 2001, 2);
    tx.commit();
    CHECK(status_of(db, id) == "sent");
    CHECK(col(db, "parts", id) == 2);
}

TEST_CASE("backoff doubles, then failed after max_attempts") {
    Db db = Db::memory();
    const auto id = add(db, "f");
    const RetryPolicy policy{3, 60};
    Timestamp now = 1000;
    const Timestamp expect_delay[] = {60, 120};
    for (int attempt = 1; attempt <= 2; ++attempt) {
        auto c = claim_next(db, now, 300);
        REQUIRE(c);
        CHECK(c->attempts == attempt);
        Tx tx(db);
        CHECK(mark_failed(db, id, now, "no network", false, policy) == "queued");
        tx.commit();
        CHECK(col(db, "next_attempt_at", id) == now + expect_delay[attempt - 1]);
        CHECK_FALSE(claim_next(db, now + expect_delay[attempt - 1] - 1, 300)); // not before its time
        now += expect_delay[attempt - 1];
    }
    REQUIRE(claim_next(db, now, 300));
    Tx tx(db);
    CHECK(mark_failed(db, id, now, "no network", false, policy) == "failed");
    tx.commit();
    CHECK(status_of(db, id) == "failed");
    CHECK(col(db, "attempts", id) == 3);
    CHECK_FALSE(claim_next(db, now + 100000, 300));
    auto rows = list_outbox(db, "failed");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].last_error == "no network");
}

TEST_CASE("a permanent failure fails at once") {
    Db db = Db::memory();
    const auto id = add(db, "p");
    REQUIRE(claim_next(db, 1000, 300));
    Tx tx(db);
    CHECK(mark_failed(db, id, 1000, "too long", true, RetryPolicy{5, 60}) == "failed");
    tx.commit();
    CHECK(col(db, "attempts", id) == 1);
}

TEST_CASE("cancel stops only queued messages") {
    Db db = Db::memory();
    const auto a = add(db, "a"), b = add(db, "b");
    REQUIRE(claim_next(db, 1000, 300)); // a is sending
    Tx tx(db);
    cancel(db, a, 1000, "superseded");
    cancel(db, b, 1000, "superseded");
    tx.commit();
    CHECK(status_of(db, a) == "sending");
    CHECK(status_of(db, b) == "cancelled");
    CHECK(list_outbox(db, "failed").empty()); // the sysadmin's failures are the modem's only
    REQUIRE(list_outbox(db, "cancelled").size() == 1);
    CHECK(list_outbox(db, "cancelled")[0].last_error == "superseded");
    // retry queues a cancelled message again (the next run cancels it again if still stale).
    CHECK(retry(db, b, 2000));
    CHECK(status_of(db, b) == "queued");
}

TEST_CASE("the rate limit counts parts sent in the window") {
    Db db = Db::memory();
    const auto a = add(db, "a"), b = add(db, "b");
    claim_next(db, 1000, 300);
    claim_next(db, 1000, 300);
    Tx tx(db);
    mark_sent(db, a, 1000, 3);
    mark_sent(db, b, 1030, 1);
    tx.commit();
    CHECK(parts_sent_since(db, 1000) == 4);
    CHECK(parts_sent_since(db, 1001) == 1);
    CHECK(parts_sent_since(db, 1031) == 0);
}

TEST_CASE("sms_parts: GSM-7 when the text allows, UCS-2 otherwise") {
    CHECK(sms_parts(std::string(160, 'a')) == 1);
    CHECK(sms_parts(std::string(161, 'a')) == 2);
    CHECK(sms_parts(std::string(306, 'a')) == 2);
    CHECK(sms_parts(std::string(307, 'a')) == 3);
    std::string ucs;
    for (int i = 0; i < 70; ++i)
        ucs += "é"; // é is in GSM-7: still 160 a part
    CHECK(sms_parts(ucs) == 1);
    std::string curly;
    for (int i = 0; i < 70; ++i)
        curly += "“";
    CHECK(sms_parts(curly) == 1);
    curly += "“";
    CHECK(sms_parts(curly) == 2);
    std::string long_ucs;
    for (int i = 0; i < 500; ++i)
        long_ucs += "ā";
    CHECK(sms_parts(long_ucs) == 8); // 67 UCS-2 units a part with the concatenation header
    CHECK(sms_parts("") == 1);
    // The alphabet: é is GSM-7, one ’ turns the whole text into UCS-2.
    CHECK_FALSE(sms_size(ucs).ucs2);
    CHECK_FALSE(sms_size(std::string(400, 'a')).ucs2);
    CHECK(sms_size(curly).ucs2);
    CHECK(sms_size(std::string(100, 'a') + "’").ucs2);
    CHECK(sms_size(std::string(100, 'a') + "’").parts == 2);
}
