// report_gen: builds a synthetic store for the report benchmark: agencies, liaison officers with
// history, and complaints over N months with the event log the SOP workflow leaves (forwarding,
// TERIMA, JAWAB, REVISI, SETUJU, TOLAK and re-routing, pauses, delivery), in office hours.
//
//   report_gen OUT.db [COMPLAINTS] [MONTHS] [LAST-MONTH YYYY-MM] [SEED]
//
// Deterministic for the same arguments. One transaction, prepared statements.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "wadul/calendar.hpp"
#include "wadul/config.hpp"
#include "wadul/error.hpp"
#include "wadul/report_stats.hpp"
#include "wadul/store.hpp"
#include "wadul/ticket.hpp"

using namespace wadul;

namespace {

struct AgencyDef {
    const char *code, *name, *kind;
    double weight;
};

const AgencyDef kAgencies[] = {
    {"BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "opd", 1},
    {"BKD", "Badan Kepegawaian Daerah", "opd", 2},
    {"BPBD", "Badan Penanggulangan Bencana Daerah", "opd", 3},
    {"BPKPD", "Badan Pengelolaan Keuangan dan Pendapatan Daerah", "opd", 4},
    {"DINDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "opd", 9},
    {"DINHUB", "Dinas Perhubungan", "opd", 5},
    {"DINKES", "Dinas Kesehatan", "opd", 8},
    {"DINKOMINFO", "Dinas Komunikasi dan Informatika", "opd", 3},
    {"DINKOPUKM", "Dinas Koperasi dan Usaha Kecil Menengah", "opd", 1},
    {"DINLH", "Dinas Lingkungan Hidup", "opd", 5},
    {"DINLUTKAN", "Dinas Kelautan dan Perikanan", "opd", 2},
    {"DINPERINAKER", "Dinas Perindustrian dan Tenaga Kerja", "opd", 2},
    {"DINPERKIM", "Dinas Perumahan dan Kawasan Permukiman", "opd", 4},
    {"DINPERMADES", "Dinas Pemberdayaan Masyarakat dan Desa", "opd", 3},
    {"DINPORAPAR", "Dinas Kepemudaan, Olahraga dan Pariwisata", "opd", 1},
    {"DINSOS", "Dinas Sosial, Pemberdayaan Perempuan dan Keluarga Berencana", "opd", 6},
    {"DINTANPAN", "Dinas Pertanian dan Pangan", "opd", 3},
    {"DINDIKPORA", "Dinas Pendidikan, Pemuda dan Olahraga", "opd", 7},
    {"DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "opd", 2},
    {"DPUTARU", "Dinas Pekerjaan Umum dan Penataan Ruang", "opd", 12},
    {"RSUD", "RSUD dr. R. Soetrasno Rembang", "opd", 5},
    {"SATPOLPP", "Satuan Polisi Pamong Praja", "opd", 3},
    {"SETDA", "Sekretariat Daerah", "opd", 2},
    {"ATRBPN", "Kantor Pertanahan Kabupaten Rembang", "vertical", 2},
    {"KEMENAG", "Kantor Kementerian Agama Kabupaten Rembang", "vertical", 1},
    {"PLN", "PT PLN (Persero) ULP Rembang", "vertical", 4},
    {"POLRES", "Kepolisian Resor Rembang", "vertical", 4},
};
constexpr int kAgencyCount = sizeof kAgencies / sizeof kAgencies[0];

const char *const kFirst[] = {"Agus", "Budi", "Dwi", "Eko", "Fitri", "Hadi", "Indah", "Joko", "Lestari", "Muhammad",
                              "Nur", "Puji", "Retno", "Sri", "Teguh", "Wahyu", "Yuni", "Ahmad", "Siti", "Bambang"};
const char *const kLast[] = {"Santoso", "Wibowo", "Rahayu", "Setiawan", "Prasetyo", "Susanti", "Hidayat",
                             "Kurniawan", "Wulandari", "Saputra", "Handayani", "Nugroho", "Utami", "Purnomo"};
const char *const kTexts[] = {
    "Jalan di Desa {} rusak parah dan berlubang, mohon segera diperbaiki.",
    "Lampu penerangan jalan di Desa {} mati sudah dua minggu.",
    "Pelayanan KTP elektronik di kecamatan lama sekali, warga Desa {} menunggu berbulan-bulan.",
    "Sampah menumpuk di pasar dekat Desa {}, baunya sampai ke rumah warga.",
    "Listrik sering padam di Desa {} tanpa pemberitahuan.",
    "Mohon informasi bantuan sosial untuk lansia di Desa {}.",
    "Saluran irigasi di Desa {} tersumbat sehingga sawah kekeringan.",
    "Antrean di puskesmas Desa {} sangat panjang, dokter sering tidak ada.",
    "Ada pungutan liar dalam pengurusan surat di Desa {}.",
    "Jembatan penghubung Desa {} retak, berbahaya bagi anak sekolah.",
};
const char *const kVillages[] = {"Sumberjo", "Tireman", "Kasreman", "Pasarbanggi", "Sridadi", "Leteh", "Sendangmulyo",
                                 "Gegunung", "Sumbergirang", "Dasun", "Soditan", "Ngemplak", "Tasiksono", "Kragan"};

struct Officer {
    std::int64_t id;
    std::string phone;
    Timestamp from, to; // to = 0: still in post
    double never;       // chance this officer never answers a complaint
    double speed;       // multiplies every delay
};

class Gen {
public:
    Gen(Db &db, std::uint64_t seed, const Calendar &cal) : db_(db), rng_(seed), cal_(cal) {}

    double uni() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
    // A delay in working seconds, log-normal around `median_hours` of office time.
    std::int64_t delay(double median_hours, double sigma = 0.9) {
        return static_cast<std::int64_t>(median_hours * 3600 * std::exp(sigma * std::normal_distribution<>(0, 1)(rng_)));
    }
    Timestamp after(Timestamp t, double median_hours, double speed = 1.0) {
        return cal_.add_working_seconds(t, static_cast<std::int64_t>(delay(median_hours) * speed));
    }

    void agencies(Timestamp first, Timestamp last) {
        Stmt a(db_, "INSERT INTO agency(code, name, kind, duties) VALUES (?, ?, ?, '')");
        Stmt o(db_, "INSERT INTO officer(agency_id, name, phone, role, letter, valid_from, valid_to) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)");
        int n = 0;
        for (int i = 0; i < kAgencyCount; ++i) {
            a.args(kAgencies[i].code, kAgencies[i].name, kAgencies[i].kind).run();
            const std::int64_t aid = db_.last_insert_id();
            agency_ids_.push_back(aid);
            total_weight_ += kAgencies[i].weight;
            auto add = [&](const char *role, Timestamp from, Timestamp to, std::vector<Officer> &into) {
                const std::string phone = fmt::format("+62812{:07}", 1000000 + ++n);
                const std::string name = std::string(kFirst[(n * 7) % 20]) + " " + kLast[(n * 5) % 14];
                o.args(aid, name, phone, role, fmt::format("800/{}/2025", n), from,
                       to ? std::optional<Timestamp>(to) : std::nullopt)
                    .run();
                into.push_back({db_.last_insert_id(), phone, from, to, uni() < 0.08 ? 1.0 : 0.02,
                                0.5 + 1.5 * uni()});
            };
            liaisons_.emplace_back();
            heads_.emplace_back();
            add("head", first - 86400 * 400, 0, heads_.back());
            // One agency in four changed its liaison officer at some point in the period.
            if (uni() < 0.25) {
                const Timestamp change = first + static_cast<Timestamp>(uni() * static_cast<double>(last - first));
                add("liaison", first - 86400 * 200, change, liaisons_.back());
                add("liaison", change, 0, liaisons_.back());
            } else {
                add("liaison", first - 86400 * 200, 0, liaisons_.back());
            }
        }
    }

    int pick_agency(int avoid = -1) {
        for (;;) {
            double x = uni() * total_weight_;
            for (int i = 0; i < kAgencyCount; ++i) {
                x -= kAgencies[i].weight;
                if (x <= 0) {
                    if (i != avoid) return i;
                    break;
                }
            }
        }
    }

    const Officer &liaison_at(int agency, Timestamp t) {
        for (const auto &o : liaisons_[agency])
            if (o.from <= t && (o.to == 0 || t < o.to)) return o;
        return liaisons_[agency].back();
    }

    void complaints(std::int64_t count, Timestamp first, Timestamp last, Timestamp cutoff) {
        Stmt c(db_, "INSERT INTO complaint(ticket, source, reporter, reporter_name, confidential, text, received_at, "
                    "status, agency_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        Stmt e(db_, "INSERT INTO event(complaint_id, at, kind, actor, agency_id, officer_id, detail) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)");
        struct Ev {
            Timestamp at;
            const char *kind;
            std::string actor;
            std::optional<std::int64_t> agency, officer;
            const char *detail;
        };
        std::vector<Ev> evs;
        for (std::int64_t i = 0; i < count; ++i) {
            // Spread evenly over the period, so every month holds about count/months complaints.
            const Timestamp rec = first + static_cast<Timestamp>((static_cast<double>(i) + uni()) / count *
                                                                 static_cast<double>(last - first));
            const bool web = uni() < 0.15;
            const std::string reporter = web ? fmt::format("web:{}", 100000 + i % 90000)
                                             : fmt::format("+6285{:08}", (i * 7919) % 100000000);
            evs.clear();
            evs.push_back({rec, "received", web ? "web" : reporter, {}, {}, web ? "web" : "sms"});
            Timestamp t = rec + 5;
            int agency = pick_agency();
            if (uni() < 0.08) { // the router was unsure: triage, then an admin assigns it
                evs.push_back({t, "triaged", "system", {}, {}, "low confidence"});
                t = after(t, 4);
                evs.push_back({t, "assigned", "admin:dinkominfo", agency_ids_[agency], {}, nullptr});
            } else {
                evs.push_back({t, "routed", "system", agency_ids_[agency], {}, "confidence 0.82"});
            }
            bool done = false;
            for (int hop = 0; hop < 3 && !done; ++hop) {
                t += 10;
                const Officer &lo = liaison_at(agency, t);
                const Officer &head = heads_[agency][0];
                evs.push_back({t, "forwarded", "system", agency_ids_[agency], lo.id, nullptr});
                evs.push_back({t, "forwarded", "system", agency_ids_[agency], head.id, nullptr});
                if (uni() < lo.never) { // no reply: the admin closes it after two weeks
                    evs.push_back({cal_.add_working_days(t, 10), "closed", "admin:dinkominfo", {}, {}, "no reply"});
                    done = true;
                    break;
                }
                if (hop < 2 && uni() < 0.06) { // TOLAK: not this agency's duty; re-routed
                    t = after(t, 1.5, lo.speed);
                    evs.push_back({t, "refused", lo.phone, agency_ids_[agency], lo.id, "bukan tupoksi"});
                    agency = pick_agency(agency);
                    t = after(t, 3);
                    evs.push_back({t, "assigned", "admin:dinkominfo", agency_ids_[agency], {}, nullptr});
                    continue;
                }
                t = after(t, 0.35, lo.speed);
                evs.push_back({t, "accepted", lo.phone, agency_ids_[agency], lo.id, nullptr});
                if (uni() < 0.03) {
                    t = after(t, 2, lo.speed);
                    evs.push_back({t, "paused", lo.phone, {}, {}, "menunggu data dari pelapor"});
                    t += static_cast<Timestamp>(86400 * (1 + 3 * uni()));
                    evs.push_back({t, "resumed", web ? "web" : reporter, {}, {}, nullptr});
                }
                t = after(t, 10, lo.speed);
                evs.push_back({t, "answered", lo.phone, agency_ids_[agency], lo.id, "Sudah ditindaklanjuti."});
                if (uni() < 0.05) {
                    t = after(t, 3);
                    evs.push_back({t, "revision", head.phone, agency_ids_[agency], head.id, "lengkapi foto"});
                    t = after(t, 4, lo.speed);
                    evs.push_back({t, "answered", lo.phone, agency_ids_[agency], lo.id, "Sudah diperbaiki."});
                }
                t = after(t, 4);
                evs.push_back({t, "approved", head.phone, agency_ids_[agency], head.id, nullptr});
                t = after(t, 2);
                evs.push_back({t, "delivered", "system", {}, {}, nullptr});
                if (uni() < 0.1)
                    evs.push_back({t + 3600, "followup", web ? "web" : reporter, {}, {}, "terima kasih"});
                done = true;
            }
            std::stable_sort(evs.begin(), evs.end(), [](const Ev &a, const Ev &b) { return a.at < b.at; });
            // The store as it stands at the cutoff: later events have not happened yet.
            std::string status = "received";
            std::int64_t cur = 0; // 0: no agency
            Timestamp updated = rec;
            for (const auto &ev : evs) {
                if (ev.at >= cutoff) break;
                if (auto s = status_of(ev.kind)) {
                    status = s;
                    if (std::string(ev.kind) == "routed" || std::string(ev.kind) == "assigned") cur = ev.agency.value_or(0);
                    if (std::string(ev.kind) == "refused" || std::string(ev.kind) == "triaged") cur = 0;
                }
                updated = ev.at;
            }
            const std::uint32_t r30 = static_cast<std::uint32_t>((static_cast<std::uint64_t>(i) * 0x2545F491u + 12345u) &
                                                                 0x3FFFFFFFu);
            const int vil = static_cast<int>(uni() * 14);
            const std::string text = fmt::format(kTexts[i % 10], kVillages[vil]);
            const bool conf = uni() < 0.05;
            c.args(make_ticket(r30), web ? "web" : "sms", reporter,
                   web ? std::optional<std::string>(std::string(kFirst[i % 20]) + " " + kLast[i % 14]) : std::nullopt,
                   conf ? 1 : 0, text, rec, status,
                   cur ? std::optional<std::int64_t>(cur) : std::nullopt, updated)
                .run();
            const std::int64_t cid = db_.last_insert_id();
            for (const auto &ev : evs) {
                if (ev.at >= cutoff) break;
                e.args(cid, ev.at, ev.kind, ev.actor, ev.agency, ev.officer,
                       ev.detail ? std::optional<std::string>(ev.detail) : std::nullopt)
                    .run();
            }
        }
    }

private:
    static const char *status_of(const char *kind) {
        static const std::pair<const char *, const char *> k[] = {
            {"routed", "routed"},     {"triaged", "triage"},     {"assigned", "routed"}, {"forwarded", "forwarded"},
            {"accepted", "accepted"}, {"answered", "answered"},  {"revision", "accepted"}, {"approved", "approved"},
            {"refused", "triage"},    {"delivered", "closed"},   {"closed", "closed"}};
        for (const auto &[a, b] : k)
            if (std::string(a) == kind) return b;
        return nullptr;
    }

    Db &db_;
    std::mt19937_64 rng_;
    const Calendar &cal_;
    std::vector<std::int64_t> agency_ids_;
    std::vector<std::vector<Officer>> liaisons_, heads_;
    double total_weight_ = 0;
};

} // namespace

int main(int argc, char **argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: report_gen OUT.db [COMPLAINTS] [MONTHS] [LAST-MONTH YYYY-MM] [SEED]\n");
        return kExitUsage;
    }
    try {
        const std::int64_t count = argc > 2 ? std::atoll(argv[2]) : 1000000;
        const int months = argc > 3 ? std::atoi(argv[3]) : 24;
        const auto last = Month::parse(argc > 4 ? argv[4] : "2026-11");
        const std::uint64_t seed = argc > 5 ? std::strtoull(argv[5], nullptr, 10) : 1;
        if (count <= 0 || months <= 0 || !last) {
            std::fprintf(stderr, "report_gen: error: invalid arguments\n");
            return kExitUsage;
        }
        Month first = *last;
        for (int i = 1; i < months; ++i) first = first.previous();
        Db db = Db::open(argv[1]);
        // A scratch store built in one go: no journal needed, a crash means run it again.
        db.exec("PRAGMA journal_mode=OFF");
        db.exec("PRAGMA synchronous=OFF");
        db.exec("PRAGMA cache_size=-2000000"); // 2 GB: random index keys (tickets) thrash a small cache
        const Config cfg = default_config();
        const Calendar cal(cfg.sla.hours, {});
        Gen g(db, seed, cal);
        Tx tx(db);
        g.agencies(first.start(), last->end());
        // The cutoff is a few days into the next month, as when the report runs on the 1st.
        g.complaints(count, first.start(), last->end(), last->end() + 3 * 86400);
        tx.commit();
    } catch (const Error &e) {
        std::fprintf(stderr, "report_gen: error: %s\n", e.what());
        return e.code();
    }
    return 0;
}
