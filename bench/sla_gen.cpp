// Benchmark store for bench/sla.sh: N open complaints (default 100,000) spread over the six weeks
// before 2026-01-14, at every stage of the SOP, for 20 agencies with officers in post.
// Usage: sla_gen PATH [N]
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include <fmt/format.h>

#include "wadul/clock.hpp"
#include "wadul/error.hpp"
#include "wadul/store.hpp"

int main(int argc, char **argv) {
    using namespace wadul;
    if (argc < 2) {
        std::fprintf(stderr, "usage: sla_gen PATH [N]\n");
        return kExitUsage;
    }
    const long n = argc > 2 ? std::atol(argv[2]) : 100000;
    try {
        Db db = Db::open(argv[1]);
        Tx tx(db);
        Stmt ag(db, "INSERT INTO agency(id, code, name, kind) VALUES (?, ?, ?, 'opd')");
        Stmt of(db, "INSERT INTO officer(agency_id, name, phone, role, valid_from) VALUES (?, ?, ?, ?, 0)");
        for (int a = 1; a <= 20; ++a) {
            ag.args(a, fmt::format("OPD{:02}", a), fmt::format("Organisasi Perangkat Daerah {}", a)).run();
            of.args(a, "Penghubung", fmt::format("+62811{:07}", a), "liaison").run();
            of.args(a, "Kepala", fmt::format("+62812{:07}", a), "head").run();
        }
        Stmt c(db, "INSERT INTO complaint(id, ticket, source, reporter, text, received_at, status, agency_id, updated_at) "
                   "VALUES (?, ?, 'sms', ?, 'jalan rusak di desa kami mohon segera diperbaiki', ?, ?, ?, ?)");
        Stmt e(db, "INSERT INTO event(complaint_id, at, kind, actor, agency_id) VALUES (?, ?, ?, 'system', ?)");
        std::mt19937_64 rng(20260114);
        const Timestamp end = from_civil(2026, 1, 14, 10, 0, 0), span = 42 * 86400;
        static const char *const kPath[] = {"routed", "forwarded", "accepted", "answered", "approved"};
        static const char *const kStatus[] = {"routed", "forwarded", "accepted", "answered", "approved"};
        for (long i = 1; i <= n; ++i) {
            Timestamp t = end - static_cast<Timestamp>(rng() % span);
            const std::int64_t agency = 1 + static_cast<std::int64_t>(rng() % 20);
            const bool triage = rng() % 10 == 0;
            const int depth = static_cast<int>(rng() % 5); // last step reached on the path
            const std::string status = triage ? "triage" : kStatus[depth];
            std::optional<std::int64_t> agency_col;
            if (!triage) agency_col = agency;
            c.args(i, fmt::format("T{:07}", i), fmt::format("+62813{:08}", i % 100000000), t, status, agency_col, t).run();
            e.args(i, t, "received", std::nullopt).run();
            t += 60;
            if (triage) {
                e.args(i, t, "triaged", std::nullopt).run();
                continue;
            }
            for (int s = 0; s <= depth && t < end; ++s) {
                e.args(i, t, kPath[s], agency).run();
                if (s == 2 && rng() % 20 == 0) { // a pause waiting on the citizen
                    e.args(i, t + 600, "paused", std::nullopt).run();
                    if (rng() % 2) e.args(i, t + 7200, "resumed", std::nullopt).run();
                }
                t += static_cast<Timestamp>(rng() % (2 * 86400));
            }
        }
        tx.commit();
        db.exec("ANALYZE");
        // Both sides of the benchmark then read the same settled file, not a 100 MB write-ahead log.
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (const Error &err) {
        std::fprintf(stderr, "sla_gen: error: %s\n", err.what());
        return err.code();
    }
    return 0;
}
