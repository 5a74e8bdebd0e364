#include "wadul/report_csv.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "wadul/csv.hpp"

namespace wadul {

namespace {

class Fmt {
public:
    explicit Fmt(bool excel_id) : excel_(excel_id) {}
    std::string num(double v, int decimals = 1) const {
        std::string s = fmt::format("{:.{}f}", v, decimals);
        if (excel_) std::replace(s.begin(), s.end(), '.', ',');
        return s;
    }
    std::string pct(std::optional<double> v) const { return v ? num(*v * 100.0) : std::string(); }
    std::string hours(const Quantiles &q, bool p90) const {
        return q.n == 0 ? std::string() : num(p90 ? q.p90_h : q.median_h);
    }
    // Excel runs a cell starting with = + - @ as a formula: a citizen's text must stay text.
    std::string text(const std::string &s) const {
        if (excel_ && !s.empty() && std::string("=+-@").find(s[0]) != std::string::npos) return "'" + s;
        return s;
    }

private:
    bool excel_;
};

std::string i(int v) { return std::to_string(v); }

const Stage kMeasured[] = {Stage::disposition, Stage::answer, Stage::approval, Stage::followup};

CsvTable summary(const MonthlyReport &r, const Fmt &f) {
    CsvTable t{"ringkasan", {{"kode", "indikator", "bulan_ini", "bulan_lalu", "perubahan"}}};
    auto count = [&](const char *key, const char *label, int now, int prev) {
        t.rows.push_back({key, label, i(now), i(prev), i(now - prev)});
    };
    auto ratio = [&](const char *key, const char *label, std::optional<double> now, std::optional<double> prev) {
        t.rows.push_back({key, label, f.pct(now), f.pct(prev),
                          now && prev ? f.num((*now - *prev) * 100.0) : std::string()});
    };
    const Counts &n = r.total, &p = r.prev_total;
    count("received", "Aduan diterima", n.received, p.received);
    count("received_sms", "Aduan melalui SMS", n.sms, p.sms);
    count("received_web", "Aduan melalui web", n.web, p.web);
    count("forwarded", "Diteruskan ke instansi", n.forwarded, p.forwarded);
    count("accepted", "Diterima instansi (TERIMA)", n.accepted, p.accepted);
    count("answered", "Dijawab instansi (JAWAB)", n.answered, p.answered);
    count("approved", "Jawaban disetujui Ka. OPD", n.approved, p.approved);
    count("followed_up", "Ditindaklanjuti (jawaban sampai ke pelapor)", n.followed_up, p.followed_up);
    ratio("followup_share_pct", "Persentase tindak lanjut (%)", n.followup_share(), p.followup_share());
    count("thanked", "Pelapor berterima kasih atas jawaban", n.thanked, p.thanked);
    count("closed_unanswered", "Ditutup admin tanpa jawaban", n.closed_unanswered, p.closed_unanswered);
    count("refused", "Ditolak instansi (TOLAK)", n.refused, p.refused);
    count("rerouted", "Dialihkan ke instansi lain", n.rerouted, p.rerouted);
    count("open", "Belum selesai pada akhir bulan", n.open, p.open);
    count("overdue", "Melewati tenggat pada akhir bulan", n.overdue, p.overdue);
    count("without_liaison", "Instansi tanpa pejabat penghubung pada akhir bulan",
          static_cast<int>(r.without_liaison.size()), r.prev_without_liaison);
    count("unsent", "Aduan belum terkirim ke pejabat penghubung instansi pada akhir bulan",
          static_cast<int>(r.unsent.size()), r.prev_unsent);
    ratio("compliance_pct", "Kepatuhan tenggat instansi (%)", n.compliance(), p.compliance());
    for (int s = 0; s < kStageCount; ++s) {
        auto share = [s](const Counts &c) -> std::optional<double> {
            const StageCount &x = c.stages[s];
            if (x.done + x.overdue == 0) return std::nullopt;
            return static_cast<double>(x.on_time) / (x.done + x.overdue);
        };
        const std::string key = std::string("on_time_") + stage_name(static_cast<Stage>(s)) + "_pct";
        const std::string label = std::string("Tepat waktu: ") + stage_label(static_cast<Stage>(s)) + " (%)";
        ratio(key.c_str(), label.c_str(), share(n), share(p));
    }
    t.rows.push_back({"open_all_at_end", "Semua aduan belum selesai pada akhir bulan", i(r.open_at_end), "", ""});
    t.rows.push_back({"overdue_all_at_end", "Semua aduan melewati tenggat pada akhir bulan",
                      i(static_cast<int>(r.overdue.size())), "", ""});
    return t;
}

std::vector<std::string> count_fields(const Counts &c, const Fmt &f) {
    std::vector<std::string> v = {i(c.received), i(c.sms),      i(c.web),      i(c.forwarded), i(c.accepted),
                                  i(c.answered), i(c.approved), i(c.followed_up), i(c.refused), i(c.rerouted),
                                  i(c.open),     i(c.overdue)};
    for (Stage s : kMeasured) {
        const StageCount &x = c.stages[static_cast<int>(s)];
        v.push_back(i(x.done));
        v.push_back(i(x.on_time));
        v.push_back(i(x.overdue));
    }
    v.push_back(f.pct(c.compliance()));
    v.push_back(f.pct(c.followup_share()));
    return v;
}

CsvTable agencies(const MonthlyReport &r, const Fmt &f) {
    std::vector<std::string> head = {"kode",       "instansi",  "jenis",    "diterima",   "sms",     "web",
                                     "diteruskan", "diterima_instansi", "dijawab", "disetujui", "ditindaklanjuti",
                                     "ditolak",    "dialihkan", "terbuka",  "terlambat"};
    static const char *const kStageCols[] = {"disposisi", "jawaban", "persetujuan", "tindak_lanjut"};
    for (const char *s : kStageCols) {
        head.push_back(std::string(s) + "_selesai");
        head.push_back(std::string(s) + "_tepat_waktu");
        head.push_back(std::string(s) + "_terlambat");
    }
    for (const char *h : {"kepatuhan_persen", "tindak_lanjut_persen", "diterima_bulan_lalu",
                          "kepatuhan_persen_bulan_lalu"})
        head.push_back(h);
    CsvTable t{"instansi", {head}};
    for (const AgencyRow &a : r.agencies) {
        std::vector<std::string> row = {a.code, a.name, a.kind};
        for (auto &v : count_fields(a.now, f)) row.push_back(std::move(v));
        row.push_back(i(a.prev.received));
        row.push_back(f.pct(a.prev.compliance()));
        t.rows.push_back(std::move(row));
    }
    // Distinct complaints: a complaint re-routed between agencies counts once here.
    std::vector<std::string> row = {"JUMLAH", "Jumlah (aduan berbeda)", ""};
    for (auto &v : count_fields(r.total, f)) row.push_back(std::move(v));
    row.push_back(i(r.prev_total.received));
    row.push_back(f.pct(r.prev_total.compliance()));
    t.rows.push_back(std::move(row));
    return t;
}

CsvTable times(const MonthlyReport &r, const Fmt &f) {
    CsvTable t{"waktu",
               {{"kode", "instansi", "tahap", "jumlah", "median_jam_dari_sms", "p90_jam_dari_sms",
                 "median_jam_dari_penugasan", "p90_jam_dari_penugasan"}}};
    auto rows = [&](const std::string &code, const std::string &name, const Counts &c) {
        for (int m = 0; m < kMilestoneCount; ++m)
            t.rows.push_back({code, name, milestone_key(m), std::to_string(c.from_sms[m].n),
                              f.hours(c.from_sms[m], false), f.hours(c.from_sms[m], true),
                              f.hours(c.from_assignment[m], false), f.hours(c.from_assignment[m], true)});
    };
    for (const AgencyRow &a : r.agencies) rows(a.code, a.name, a.now);
    rows("JUMLAH", "Jumlah (aduan berbeda)", r.total);
    return t;
}

CsvTable officers(const MonthlyReport &r, const Fmt &f) {
    CsvTable t{"pejabat",
               {{"kode_instansi", "instansi", "nama", "telepon", "surat_tugas", "mulai_tugas", "akhir_tugas",
                 "diteruskan", "direspons", "median_jam_respons", "p90_jam_respons", "tidak_pernah_merespons"}}};
    for (const OfficerRow &o : r.officers)
        t.rows.push_back({o.agency_code, o.agency_name, o.name, o.phone, o.letter, format_wib(o.valid_from),
                          o.valid_to ? format_wib(*o.valid_to) : std::string(), i(o.forwarded), i(o.responded),
                          f.hours(o.response, false), f.hours(o.response, true),
                          o.never_responded() ? "ya" : "tidak"});
    return t;
}

CsvTable overdue(const MonthlyReport &r, const Fmt &f) {
    CsvTable t{"terlambat",
               {{"tiket", "diterima", "kode_instansi", "instansi", "tahap", "tahap_sejak", "tenggat",
                 "terlambat_jam_kerja", "rahasia", "isi"}}};
    for (const OverdueRow &o : r.overdue)
        t.rows.push_back({o.ticket, format_wib(o.received_at), o.agency_code, o.agency_name, stage_name(o.stage),
                          format_wib(o.stage_since), format_wib(o.due), f.num(o.late_hours),
                          o.confidential ? "ya" : "tidak", f.text(o.text)});
    return t;
}

// The complaints whose forward never reached their agency (UnsentRow): apart from the overdue
// list, since no deadline of the agency's ran for them.
CsvTable unsent(const MonthlyReport &r, const Fmt &f) {
    CsvTable t{"belum-terkirim",
               {{"tiket", "diterima", "kode_instansi", "instansi", "diarahkan", "belum_terkirim_jam_kerja", "sebab",
                 "keterangan_sebab", "rahasia", "isi"}}};
    for (const UnsentRow &u : r.unsent)
        t.rows.push_back({u.ticket, format_wib(u.received_at), u.agency_code, u.agency_name, format_wib(u.routed_at),
                          f.num(u.waited_hours), unsent_reason_key(u.reason), unsent_reason_label(u.reason),
                          u.confidential ? "ya" : "tidak", f.text(u.text)});
    return t;
}

} // namespace

std::vector<CsvTable> monthly_csv_tables(const MonthlyReport &r, bool excel_id) {
    const Fmt f(excel_id);
    return {summary(r, f), agencies(r, f), times(r, f), officers(r, f), overdue(r, f), unsent(r, f)};
}

std::vector<std::string> write_monthly_csv(const MonthlyReport &r, const std::string &dir, bool excel_id) {
    std::vector<std::string> paths;
    for (const CsvTable &t : monthly_csv_tables(r, excel_id)) {
        CsvWriter w(excel_id);
        for (const auto &row : t.rows) w.row(row);
        const std::string path =
            (std::filesystem::path(dir) / fmt::format("wadul-{}-{}.csv", r.month.iso(), t.name)).string();
        w.save(path);
        paths.push_back(path);
    }
    return paths;
}

} // namespace wadul
