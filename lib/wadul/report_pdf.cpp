#include "wadul/report_pdf.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "wadul/error.hpp"
#include "wadul/fileio.hpp"

#ifdef WADUL_HAVE_PDF
#include <cairo-pdf.h>
#include <cairo.h>

#include "wadul/report_layout.hpp"
#endif

namespace wadul {

std::string id_int(long long v) {
    std::string digits = std::to_string(v < 0 ? -v : v), out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += '.';
        out += digits[i];
    }
    return v < 0 ? "\u2212" + out : out;
}

std::string id_decimal(double v, int decimals) {
    std::string s = fmt::format("{:.{}f}", v, decimals);
    const size_t dot = s.find('.');
    const bool neg = !s.empty() && s[0] == '-';
    const std::string whole = s.substr(neg ? 1 : 0, dot == std::string::npos ? std::string::npos : dot - (neg ? 1 : 0));
    std::string out = id_int(std::stoll(whole));
    if (neg && s.find_first_of("123456789") != std::string::npos) out = "\u2212" + out;
    if (dot != std::string::npos) out += "," + s.substr(dot + 1);
    return out;
}

#ifndef WADUL_HAVE_PDF

bool pdf_available() { return false; }

int write_monthly_pdf(const MonthlyReport &, const Config &, Timestamp, const std::string &path) {
    fail(kExitUnavailable, "cannot write '{}': this wadul was built without Cairo and Pango", path);
}

#else

bool pdf_available() { return true; }

namespace {

const Rgb kNavy{0.12, 0.23, 0.40};
const Rgb kInk{0.10, 0.10, 0.10};
const Rgb kGrey{0.40, 0.42, 0.46};
const Rgb kPale{0.94, 0.95, 0.97};
const Rgb kGreen{0.20, 0.56, 0.35};
const Rgb kAmber{0.91, 0.62, 0.13};
const Rgb kRed{0.78, 0.22, 0.20};

std::string font(const char *style, double size, bool serif = false) {
    return fmt::format("{} {} {}", serif ? "Liberation Serif,DejaVu Serif" : "Liberation Sans,DejaVu Sans", style, size);
}

TextStyle style(const char *st, double size, Rgb color = kInk, Align a = Align::Left, bool serif = false) {
    TextStyle s;
    s.font = font(st, size, serif);
    s.color = color;
    s.align = a;
    return s;
}

std::string esc(const std::string &s) { return markup_escape(s); }

std::string pct(std::optional<double> v) { return v ? id_decimal(*v * 100.0) + "%" : "\u2013"; }

std::string signed_int(long long v) { return v > 0 ? "+" + id_int(v) : v == 0 ? "0" : id_int(v); }

std::string signed_points(std::optional<double> now, std::optional<double> prev) {
    if (!now || !prev) return "\u2013";
    const double d = (*now - *prev) * 100.0;
    return (d > 0.05 ? "+" : "") + id_decimal(d) + " poin";
}

std::string hours(const Quantiles &q) { return q.n ? id_decimal(q.median_h) : "\u2013"; }
std::string med_p90(const Quantiles &q) {
    return q.n ? id_decimal(q.median_h) + " / " + id_decimal(q.p90_h) : "\u2013";
}

std::string days(double d) { return d == static_cast<long long>(d) ? id_int(static_cast<long long>(d)) : id_decimal(d); }

std::string upper(std::string s) {
    for (char &c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::string date_time_short(Timestamp t) {
    const CivilTime c = to_civil(t);
    return fmt::format("{:02}-{:02}-{:04} {:02}.{:02}", c.day, c.month, c.year, c.hour, c.minute);
}

// The first `n` code points of one line of text.
std::string excerpt(const std::string &s, size_t n) {
    std::string out;
    size_t points = 0, i = 0;
    for (; i < s.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if ((c & 0xC0) != 0x80 && points++ == n) break;
        out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : static_cast<char>(c);
    }
    return i < s.size() ? out + "\u2026" : out;
}

Rgb compliance_color(double v) { return v >= 0.9 ? kGreen : v >= 0.7 ? kAmber : kRed; }

// "54,0%" over "3.503/6.490" in small grey: the share, then what it is a share of.
std::string stage_share(const StageCount &c) {
    const int all = c.done + c.overdue;
    if (!all) return "\u2013";
    return fmt::format("{}\n<span size=\"smaller\" foreground=\"#666666\">{}/{}</span>",
                       pct(static_cast<double>(c.on_time) / all), id_int(c.on_time), id_int(all));
}

constexpr size_t kOverdueRowsInPdf = 150, kUnsentRowsInPdf = 150;

class ReportDoc {
public:
    ReportDoc(const MonthlyReport &r, const Config &cfg, Timestamp printed) : r_(r), cfg_(cfg), printed_(printed) {}

    int render(cairo_surface_t *surface, int total) {
        Page p(
            surface, total, [this](Page &pg, int n, int m) { footer(pg, n, m); },
            [this](Page &pg, int n) { running_header(pg, n); });
        letterhead(p);
        title(p);
        summary(p);
        chart(p);
        agencies(p);
        stages(p);
        times(p);
        officers(p);
        overdue(p);
        unsent(p);
        notes(p);
        signature(p);
        return p.finish();
    }

private:
    std::string month() const { return r_.month.label(); }
    std::string prev_month() const { return r_.month.previous().label(); }

    void footer(Page &p, int n, int m) {
        const double y = Page::kHeight - 44;
        p.line(Page::kLeft, y, Page::kLeft + Page::kContent, y, 0.5, kGrey);
        p.text_at(Page::kLeft, y + 5, Page::kContent * 0.7,
                  esc("Laporan Bulanan Layanan SMS Wadul Bupati \u00b7 " + month()), style("", 7.5, kGrey));
        p.text_at(Page::kLeft, y + 5, Page::kContent, fmt::format("Halaman {} dari {}", n, m),
                  style("", 7.5, kGrey, Align::Right));
    }

    void running_header(Page &p, int n) {
        if (n == 1) return;
        p.text_at(Page::kLeft, p.y(), Page::kContent,
                  esc("Pemerintah Kabupaten Rembang \u00b7 " + cfg_.report.office), style("", 7.5, kGrey));
        p.text_at(Page::kLeft, p.y(), Page::kContent, esc("Laporan Bulanan \u00b7 " + month()),
                  style("", 7.5, kGrey, Align::Right));
        p.line(Page::kLeft, p.y() + 12, Page::kLeft + Page::kContent, p.y() + 12, 0.5, kGrey);
        p.skip(24);
    }

    void letterhead(Page &p) {
        const double x = Page::kLeft, w = Page::kContent;
        auto centered = [&](const std::string &text, const TextStyle &s, double gap) {
            p.skip(p.text_at(x, p.y(), w, esc(text), s) + gap);
        };
        centered("PEMERINTAH KABUPATEN REMBANG", style("Bold", 14, kInk, Align::Center, true), 0);
        centered(upper(cfg_.report.office), style("Bold", 16.5, kInk, Align::Center, true), 2);
        centered("Jalan Gatot Subroto No. 8 Rembang, Telepon (0295) 6980426, Faksimile (0295) 6980425",
                 style("", 9, kInk, Align::Center, true), 0);
        centered("Laman dinkominfo.rembangkab.go.id \u00b7 Pos-el dinkominfo@rembangkab.go.id \u00b7 Kode Pos 59211",
                 style("", 9, kInk, Align::Center, true), 5);
        p.line(x, p.y(), x + w, p.y(), 2.4, kInk);
        p.line(x, p.y() + 3, x + w, p.y() + 3, 0.7, kInk);
        p.skip(20);
    }

    void title(Page &p) {
        p.paragraph(esc("Laporan Bulanan Layanan SMS Wadul Bupati \u2014 " + month()),
                    style("Bold", 15, kNavy, Align::Center, true), 3);
        const Timestamp last = r_.month.end() - 1;
        // A month not yet over (wadul-report allows it, with a warning): the figures are those of
        // the moment of printing and will still change; the title page says so.
        if (printed_ < r_.month.end())
            p.paragraph(esc(fmt::format("Periode 1\u2013{} \u00b7 LAPORAN SEMENTARA: bulan belum berakhir, keadaan "
                                        "data pada {}",
                                        format_date_id(last), format_datetime_id(printed_))),
                        style("Bold", 9, kRed, Align::Center), 16);
        else
            p.paragraph(esc(fmt::format("Periode 1\u2013{} \u00b7 keadaan data pada akhir bulan, {} pukul 24.00 WIB",
                                        format_date_id(last), format_date_id(last))),
                        style("", 9, kGrey, Align::Center), 16);
    }

    void heading(Page &p, const std::string &text) {
        p.need(95); // a heading never ends a page alone: it keeps a table header and a row
        p.skip(6);
        p.paragraph(esc(text), style("Bold", 11.5, kNavy, Align::Left, true), 1);
        p.line(Page::kLeft, p.y() + 1, Page::kLeft + 60, p.y() + 1, 1.5, kNavy);
        p.skip(8);
    }

    void note(Page &p, const std::string &markup) {
        p.skip(3);
        p.paragraph(markup, style("Italic", 7.5, kGrey), 6);
    }

    void card(Page &p, double x, double y, double w, double h, const std::string &label, const std::string &value,
              const std::string &sub, Rgb accent) {
        p.rect(x, y, w, h, kPale);
        p.rect(x, y, 3, h, accent);
        p.text_at(x + 9, y + 7, w - 14, esc(label), style("", 7.5, kGrey));
        p.text_at(x + 9, y + 19, w - 14, esc(value), style("Bold", 17, accent));
        p.text_at(x + 9, y + h - 15, w - 14, esc(sub), style("", 7, kGrey));
    }

    void summary(Page &p) {
        const Counts &n = r_.total, &pv = r_.prev_total;
        heading(p, "I. Ringkasan");
        const double gap = 8, h = 62, w = (Page::kContent - 3 * gap) / 4, y = p.y();
        p.need(h);
        card(p, Page::kLeft, y, w, h, "Aduan diterima", id_int(n.received),
             fmt::format("SMS {} \u00b7 web {}", id_int(n.sms), id_int(n.web)), kNavy);
        const auto share = n.followup_share(), comp = n.compliance();
        card(p, Page::kLeft + (w + gap), y, w, h, "Tindak lanjut", pct(share),
             "bulan lalu " + pct(pv.followup_share()), kNavy);
        card(p, Page::kLeft + 2 * (w + gap), y, w, h, "Kepatuhan tenggat", pct(comp),
             "bulan lalu " + pct(pv.compliance()), comp ? compliance_color(*comp) : kGrey);
        card(p, Page::kLeft + 3 * (w + gap), y, w, h, "Melewati tenggat",
             id_int(static_cast<long long>(r_.overdue.size())),
             fmt::format("dari {} belum selesai", id_int(r_.open_at_end)), r_.overdue.empty() ? kGreen : kRed);
        p.set_y(y + h + 12);

        const int diff = n.received - pv.received;
        const std::string trend = diff > 0   ? fmt::format("naik {} aduan", id_int(diff))
                                  : diff < 0 ? fmt::format("turun {} aduan", id_int(-diff))
                                             : "sama";
        int never = 0;
        for (const auto &o : r_.officers) never += o.never_responded();
        std::string text =
            n.received == 0
                ? fmt::format("Selama bulan {} Layanan SMS Wadul Bupati tidak menerima aduan ({} aduan pada bulan {}).",
                              esc(month()), id_int(pv.received), esc(prev_month()))
                : fmt::format("Selama bulan {} Layanan SMS Wadul Bupati menerima <b>{}</b> aduan ({} melalui SMS dan {} "
                              "melalui portal web), {} dibandingkan bulan {}. Sebanyak {} aduan diteruskan kepada "
                              "pejabat penghubung instansi, {} telah dijawab, dan {} telah ditindaklanjuti sampai kepada "
                              "pelapor (persentase tindak lanjut {}).",
                              esc(month()), id_int(n.received), id_int(n.sms), id_int(n.web), trend, esc(prev_month()),
                              id_int(n.forwarded), id_int(n.answered), id_int(n.followed_up), pct(share));
        // A provisional report (the month not over yet) speaks of the moment it was printed.
        const std::string when = printed_ < r_.month.end() ? "Pada " + format_datetime_id(printed_) : "Pada akhir bulan";
        text += fmt::format(" {} terdapat {} aduan yang belum selesai, {} di antaranya telah melewati tenggat SOP.", when,
                            id_int(r_.open_at_end), id_int(static_cast<long long>(r_.overdue.size())));
        if (n.thanked > 0)
            text += fmt::format(" Sebanyak {} pelapor menyampaikan ucapan terima kasih setelah menerima jawaban.",
                                id_int(n.thanked));
        if (n.closed_unanswered > 0)
            text += fmt::format(" Sebanyak {} aduan ditutup oleh admin tanpa jawaban (misalnya spam, duplikat atau "
                                "ucapan terima kasih).",
                                id_int(n.closed_unanswered));
        if (never > 0)
            text += fmt::format(" Sebanyak <b>{} pejabat penghubung tidak pernah merespons</b> aduan yang diteruskan kepadanya "
                                "(lihat bagian V).",
                                id_int(never));
        if (!r_.unsent.empty())
            text += fmt::format(" Sebanyak <b>{} aduan belum sampai kepada instansi</b> yang dituju karena SMS penerusannya "
                                "belum terkirim kepada pejabat penghubung (lihat bagian VI).",
                                id_int(static_cast<long long>(r_.unsent.size())));
        p.paragraph(text, style("", 9.5), 10);

        std::vector<TableRow> rows;
        auto count = [&](const char *label, int a, int b) {
            rows.push_back({{esc(label), id_int(b), id_int(a), signed_int(static_cast<long long>(a) - b)}});
        };
        auto ratio = [&](const char *label, std::optional<double> a, std::optional<double> b) {
            rows.push_back({{esc(label), pct(b), pct(a), signed_points(a, b)}});
        };
        count("Aduan diterima", n.received, pv.received);
        count("\u2003melalui SMS", n.sms, pv.sms);
        count("\u2003melalui portal web", n.web, pv.web);
        count("Diteruskan kepada instansi", n.forwarded, pv.forwarded);
        count("Diterima instansi (TERIMA)", n.accepted, pv.accepted);
        count("Dijawab instansi (JAWAB)", n.answered, pv.answered);
        count("Jawaban disetujui Ka. OPD", n.approved, pv.approved);
        count("Ditindaklanjuti sampai kepada pelapor", n.followed_up, pv.followed_up);
        ratio("Persentase tindak lanjut", share, pv.followup_share());
        count("Pelapor berterima kasih atas jawaban", n.thanked, pv.thanked);
        count("Ditutup admin tanpa jawaban", n.closed_unanswered, pv.closed_unanswered);
        count("Ditolak instansi (TOLAK)", n.refused, pv.refused);
        count("Dialihkan ke instansi lain", n.rerouted, pv.rerouted);
        count("Belum selesai pada akhir bulan", n.open, pv.open);
        count("Melewati tenggat pada akhir bulan", n.overdue, pv.overdue);
        ratio("Kepatuhan tenggat SOP", comp, pv.compliance());
        rows.push_back({{esc("Median waktu sejak SMS sampai dijawab (jam kerja)"),
                         hours(pv.from_sms[kMsAnswered]), hours(n.from_sms[kMsAnswered]), "\u2013"}});
        p.table({{"Indikator", 235}, {esc(prev_month()), 80, Align::Right}, {esc(month()), 80, Align::Right},
                 {"Perubahan", 80, Align::Right}},
                rows, style("", 8.5), style("Bold", 8, {1, 1, 1}));
        note(p, "Angka bulan ini dan bulan lalu masing-masing menghitung aduan yang diterima pada bulan itu, "
                "menurut keadaan pada akhir bulannya.");
    }

    void chart(Page &p) {
        heading(p, "II. Kepatuhan Tenggat per Instansi");
        p.paragraph("Persentase tahap disposisi, telaah dan jawaban, serta persetujuan Ka. OPD yang diselesaikan "
                    "dalam tenggat SOP, terhadap seluruh tahap yang selesai atau telah melewati tenggat pada akhir "
                    "bulan.",
                    style("", 9), 8);
        // Only agencies with a measured stage get a bar; the rest are counted in one sentence, so
        // the chart stays about the agencies the month concerned.
        std::vector<const AgencyRow *> rows;
        int unmeasured = 0;
        for (const auto &a : r_.agencies) {
            if (a.now.compliance()) rows.push_back(&a);
            else ++unmeasured;
        }
        std::stable_sort(rows.begin(), rows.end(), [](const AgencyRow *a, const AgencyRow *b) {
            return *a->now.compliance() > *b->now.compliance();
        });
        const std::string rest =
            unmeasured ? fmt::format("{} instansi lain tidak memiliki tahap yang selesai atau melewati tenggat "
                                     "pada bulan ini.",
                                     unmeasured)
                       : std::string();
        if (rows.empty()) {
            p.paragraph("Tidak ada tahap yang selesai atau melewati tenggat pada bulan ini.", style("", 9), 8);
            return;
        }
        const double label_w = 178, x_bar = Page::kLeft + label_w + 6, bar_w = Page::kContent - label_w - 6 - 46;
        const double row_h = 14, bar_h = 8.5;
        auto axis = [&] {
            for (int t = 0; t <= 100; t += 25)
                p.text_at(x_bar + bar_w * t / 100.0 - 15, p.y(), 30, fmt::format("{}%", t),
                          style("", 7, kGrey, Align::Center));
            p.skip(11);
        };
        p.need(11 + row_h * std::min<size_t>(rows.size(), 4) + 20);
        axis();
        double top = p.y();
        auto grid = [&](double from, double to) {
            for (int t = 0; t <= 100; t += 25)
                p.line(x_bar + bar_w * t / 100.0, from, x_bar + bar_w * t / 100.0, to, t == 0 ? 0.8 : 0.3,
                       t == 0 ? kGrey : Rgb{0.8, 0.82, 0.85});
        };
        for (const AgencyRow *a : rows) {
            if (p.y() + row_h > p.bottom()) {
                grid(top, p.y());
                p.new_page();
                axis();
                top = p.y();
            }
            TextStyle label = style("", 7.5);
            label.ellipsize = true;
            p.text_at(Page::kLeft, p.y() + 2.5, label_w, esc(a->name), label);
            const auto c = a->now.compliance();
            p.rect(x_bar, p.y() + (row_h - bar_h) / 2, std::max(0.8, bar_w * *c), bar_h, compliance_color(*c));
            p.text_at(x_bar + bar_w + 4, p.y() + 2.5, 42, pct(c), style("Bold", 7.5));
            p.skip(row_h);
        }
        grid(top, p.y());
        p.skip(6);
        p.need(16);
        double x = Page::kLeft + label_w + 6;
        for (auto [c, text] : {std::pair<Rgb, const char *>{kGreen, "\u2265 90%"}, {kAmber, "70% \u2013 < 90%"},
                               {kRed, "< 70%"}}) {
            p.rect(x, p.y() + 2, 8, 8, c);
            p.text_at(x + 11, p.y() + 0.5, 80, esc(text), style("", 7.5, kGrey));
            x += 90;
        }
        p.skip(18);
        if (!rest.empty()) p.paragraph(rest, style("", 8, kGrey), 8);
    }

    void agencies(Page &p) {
        heading(p, "III. Rekapitulasi per Instansi");
        std::vector<TableRow> rows;
        auto row = [&](const std::string &no, const std::string &name, const Counts &c, bool total) {
            rows.push_back({{no, esc(name), id_int(c.received), id_int(c.sms), id_int(c.web), id_int(c.forwarded),
                             id_int(c.accepted), id_int(c.answered), id_int(c.followed_up), id_int(c.refused),
                             id_int(c.rerouted),
                             c.overdue ? fmt::format("<span foreground=\"#c62828\"><b>{}</b></span>", id_int(c.overdue))
                                       : "0"},
                            total});
        };
        int no = 0;
        for (const auto &a : r_.agencies) row(std::to_string(++no), a.name, a.now, false);
        row("", "Jumlah (aduan berbeda)", r_.total, true);
        const Align R = Align::Right;
        p.table({{"No", 18, R}, {"Instansi", 116}, {"Aduan masuk", 36, R}, {"SMS", 26, R}, {"Web", 26, R},
                 {"Diterus\u00adkan", 40, R}, {"Diterima instansi", 36, R}, {"Dijawab", 34, R},
                 {"Ditindak\u00adlanjuti", 38, R}, {"Ditolak", 32, R}, {"Dialih\u00adkan", 38, R},
                 {"Terlam\u00adbat", 40, R}},
                rows, style("", 7.5), style("Bold", 7, {1, 1, 1}));
        note(p, "Aduan yang dialihkan dihitung pada setiap instansi yang pernah menerimanya; baris jumlah menghitung "
                "setiap aduan satu kali. Terlambat: belum selesai dan telah melewati tenggat tahapnya pada akhir "
                "bulan.");
    }

    void stages(Page &p) {
        heading(p, "Ketepatan waktu per tahap SOP");
        std::vector<TableRow> rows;
        auto row = [&](const std::string &no, const std::string &name, const Counts &c, const Counts &prev, bool t) {
            const auto now = c.compliance();
            std::string comp = pct(now);
            if (now)
                comp = fmt::format("<span foreground=\"#{:02x}{:02x}{:02x}\"><b>{}</b></span>",
                                   int(compliance_color(*now).r * 255), int(compliance_color(*now).g * 255),
                                   int(compliance_color(*now).b * 255), comp);
            rows.push_back({{no, esc(name), stage_share(c.stages[int(Stage::disposition)]),
                             stage_share(c.stages[int(Stage::answer)]), stage_share(c.stages[int(Stage::approval)]),
                             stage_share(c.stages[int(Stage::followup)]), pct(prev.compliance()), comp},
                            t});
        };
        int no = 0;
        for (const auto &a : r_.agencies) row(std::to_string(++no), a.name, a.now, a.prev, false);
        row("", "Jumlah", r_.total, r_.prev_total, true);
        const Align R = Align::Right;
        p.table({{"No", 18, R},
                 {"Instansi", 134},
                 {esc(fmt::format("Disposisi (\u2264 {} menit)", r_.disposition_minutes)), 60, R},
                 {esc(fmt::format("Telaah dan jawaban (\u2264 {} hari kerja)", days(r_.review_days + r_.answer_days))),
                  62, R},
                 {esc(fmt::format("Persetujuan (\u2264 {} hari kerja)", days(r_.approval_days))), 62, R},
                 {esc(fmt::format("Tindak lanjut (\u2264 {} hari kerja)", days(r_.followup_days))), 62, R},
                 {"Kepatuhan " + esc(prev_month()), 42, R},
                 {"Kepatuhan " + esc(month()), 42, R}},
                rows, style("", 7.5), style("Bold", 7, {1, 1, 1}));
        note(p, "a/b: a tahap diselesaikan dalam tenggat dari b tahap yang selesai atau telah melewati tenggat pada "
                "akhir bulan. Tindak lanjut adalah tahap admin portal dan tidak termasuk kepatuhan instansi.");
    }

    void times(Page &p) {
        heading(p, "IV. Waktu Penanganan (jam kerja)");
        p.paragraph("Median / persentil ke-90 waktu sampai setiap tahap, dalam jam kerja.", style("", 9), 6);
        for (int base = 0; base < 2; ++base) {
            p.need(70); // the caption stays with its table
            p.paragraph(base == 0 ? "<b>a. Sejak penugasan kepada instansi</b>"
                                  : "<b>b. Sejak SMS atau aduan web warga diterima</b>",
                        style("", 8.5), 4);
            std::vector<TableRow> rows;
            auto row = [&](const std::string &no, const std::string &name, const Counts &c, bool t) {
                TableRow r{{no, esc(name)}, t};
                for (int m = 0; m < kMilestoneCount; ++m)
                    r.cells.push_back(med_p90(base == 0 ? c.from_assignment[m] : c.from_sms[m]));
                rows.push_back(std::move(r));
            };
            int no = 0;
            for (const auto &a : r_.agencies) row(std::to_string(++no), a.name, a.now, false);
            row("", "Semua aduan", r_.total, true);
            std::vector<TableColumn> cols = {{"No", 18, Align::Right}, {"Instansi", 134}};
            for (int m = 0; m < kMilestoneCount; ++m) cols.push_back({esc(milestone_label(m)), 66, Align::Right});
            p.table(cols, rows, style("", 7.5), style("Bold", 7, {1, 1, 1}));
            p.skip(10);
        }
    }

    void officers(Page &p) {
        heading(p, "V. Respons Pejabat Penghubung");
        p.paragraph(esc(fmt::format("Pejabat penghubung yang menjabat pada bulan {} menurut riwayat registrasi, "
                                    "dengan aduan bulan ini yang diteruskan kepadanya.",
                                    month())),
                    style("", 9), 6);
        std::vector<TableRow> rows;
        int no = 0;
        for (const auto &o : r_.officers) {
            const std::string term = o.valid_to ? format_date_id(o.valid_from) + " \u2013 " + format_date_id(*o.valid_to)
                                                : "sejak " + format_date_id(o.valid_from);
            const std::string remark =
                o.never_responded() ? "<span foreground=\"#c62828\"><b>Tidak pernah merespons</b></span>"
                : o.forwarded == 0  ? "<span foreground=\"#666666\">Tidak ada aduan</span>"
                                    : "";
            rows.push_back({{std::to_string(++no), esc(o.agency_name), esc(o.name), esc(term), id_int(o.forwarded),
                             id_int(o.responded), hours(o.response), remark}});
        }
        const Align R = Align::Right;
        p.table({{"No", 18, R}, {"Instansi", 116}, {"Nama", 96}, {"Masa tugas", 84}, {"Aduan diterus\u00adkan", 40, R},
                 {"Direspons", 40, R}, {"Median respons (jam kerja)", 46, R}, {"Keterangan", 56}},
                rows, style("", 7.5), style("Bold", 7, {1, 1, 1}));
        note(p, "Direspons: pejabat membalas dengan TERIMA, JAWAB atau TOLAK dari nomor yang terdaftar. Waktu respons "
                "dihitung sejak aduan diteruskan kepadanya.");
        if (!r_.without_liaison.empty()) {
            // The SOP's first requirement: without a liaison in post the agency's complaints
            // cannot be forwarded at all.
            std::string list;
            for (const auto &[code, name] : r_.without_liaison)
                list += (list.empty() ? "" : "; ") + esc(name) + " (" + esc(code) + ")";
            p.skip(4);
            p.paragraph(fmt::format("<b>Instansi tanpa Pejabat Penghubung pada akhir bulan ({}):</b> {}. Aduan yang "
                                    "diarahkan kepada instansi tersebut tidak dapat diteruskan secara otomatis; "
                                    "instansi perlu menunjuk Pejabat Penghubung dengan Surat Tugas.",
                                    id_int(static_cast<int>(r_.without_liaison.size())), list),
                        style("", 9, kRed), 6);
        }
    }

    void overdue(Page &p) {
        heading(p, "VI. Aduan Belum Selesai yang Melewati Tenggat pada Akhir Bulan");
        if (r_.overdue.empty()) {
            p.paragraph("Tidak ada aduan yang melewati tenggat pada akhir bulan.", style("", 9), 8);
            return;
        }
        std::vector<TableRow> rows;
        const size_t shown = std::min(r_.overdue.size(), kOverdueRowsInPdf);
        for (size_t i = 0; i < shown; ++i) {
            const OverdueRow &o = r_.overdue[i];
            rows.push_back({{std::to_string(i + 1), esc(o.ticket), date_time_short(o.received_at),
                             o.agency_name.empty() ? "<i>Admin portal</i>" : esc(o.agency_name),
                             esc(stage_label(o.stage)), date_time_short(o.due), id_decimal(o.late_hours),
                             o.confidential ? "<i>(aduan rahasia)</i>" : esc(excerpt(o.text, 90))}});
        }
        const Align R = Align::Right;
        p.table({{"No", 20, R}, {"Tiket", 42}, {"Diterima", 50}, {"Instansi", 82}, {"Tahap", 58},
                 {"Tenggat", 50}, {"Terlambat (jam kerja)", 40, R}, {"Isi aduan", 140}},
                rows, style("", 7), style("Bold", 7, {1, 1, 1}));
        std::string n = fmt::format("Termasuk aduan yang diterima sebelum bulan {}.", month());
        if (shown < r_.overdue.size())
            n += fmt::format(" Ditampilkan {} dari {} aduan; daftar lengkap dalam berkas wadul-{}-terlambat.csv.",
                             id_int(static_cast<long long>(shown)), id_int(static_cast<long long>(r_.overdue.size())),
                             r_.month.iso());
        note(p, esc(n));
    }

    // The complaints whose forward never reached their agency: printed only when there are any,
    // like the paragraph on agencies without a liaison, so an ordinary month's pages do not change.
    void unsent(Page &p) {
        if (r_.unsent.empty()) return;
        heading(p, "Aduan yang belum terkirim kepada instansi");
        p.paragraph(esc(fmt::format("Aduan yang pada akhir bulan telah diarahkan kepada instansi, tetapi SMS "
                                    "penerusannya belum terkirim kepada pejabat penghubung lebih dari {} menit jam "
                                    "kerja (batas waktu disposisi). Instansi belum menerima aduan ini: tenggat "
                                    "disposisi belum berjalan dan aduan ini tidak dihitung sebagai keterlambatan "
                                    "instansi. Penerusan otomatis kepada pejabat penghubung adalah ketentuan pertama "
                                    "SOP; admin portal perlu menyampaikan aduan ini kepada instansi.",
                                    r_.disposition_minutes)),
                    style("", 9), 6);
        std::vector<TableRow> rows;
        const size_t shown = std::min(r_.unsent.size(), kUnsentRowsInPdf);
        for (size_t i = 0; i < shown; ++i) {
            const UnsentRow &u = r_.unsent[i];
            rows.push_back({{std::to_string(i + 1), esc(u.ticket), esc(u.agency_name), date_time_short(u.routed_at),
                             id_decimal(u.waited_hours), esc(unsent_reason_label(u.reason)),
                             u.confidential ? "<i>(aduan rahasia)</i>" : esc(excerpt(u.text, 70))}});
        }
        const Align R = Align::Right;
        p.table({{"No", 20, R}, {"Tiket", 42}, {"Instansi", 92}, {"Diarahkan", 52}, {"Belum terkirim (jam kerja)", 44, R},
                 {"Sebab", 108}, {"Isi aduan", 124}},
                rows, style("", 7), style("Bold", 7, {1, 1, 1}));
        std::string n = fmt::format("Termasuk aduan yang diarahkan sebelum bulan {}. Sebab menurut catatan sistem "
                                    "pada akhir bulan.",
                                    month());
        if (shown < r_.unsent.size())
            n += fmt::format(" Ditampilkan {} dari {} aduan; daftar lengkap dalam berkas wadul-{}-belum-terkirim.csv.",
                             id_int(static_cast<long long>(shown)), id_int(static_cast<long long>(r_.unsent.size())),
                             r_.month.iso());
        note(p, esc(n));
    }

    void notes(Page &p) {
        heading(p, "Keterangan");
        const std::string items[] = {
            "Angka dihitung dari log kejadian sistem untuk aduan yang diterima pada bulan laporan, menurut keadaan "
            "pada akhir bulan pukul 24.00 WIB; laporan yang sama dapat dibuat ulang kapan saja dengan hasil sama.",
            "Waktu dihitung dalam jam kerja: jam kantor pada hari kerja, di luar hari libur nasional, cuti bersama "
            "dan libur daerah. Waktu tenggat tidak berjalan selama admin menunda aduan karena menunggu keterangan "
            "warga.",
            fmt::format("Tenggat SOP: disposisi Ka. OPD {} menit; telaah dan jawaban {} hari kerja (telaah {} dan "
                        "jawaban {}, diukur bersama sampai jawaban masuk); persetujuan jawaban {} hari kerja; "
                        "penyampaian jawaban kepada pelapor atau portal {} hari kerja; triase {} hari kerja.",
                        r_.disposition_minutes, days(r_.review_days + r_.answer_days), days(r_.review_days),
                        days(r_.answer_days), days(r_.approval_days), days(r_.followup_days), days(r_.triage_days)),
            "Median dan persentil ke-90: separuh dan sembilan dari sepuluh aduan mencapai tahap itu dalam waktu "
            "tersebut atau kurang.",
            "Persentase tindak lanjut: aduan yang jawabannya telah disampaikan kepada pelapor, dibagi aduan yang "
            "diterima (indikator tindak lanjut pengaduan LAPOR! SP4N).",
            "Pelapor berterima kasih: setelah menerima jawaban, pelapor mengirim SMS yang hanya berisi ucapan "
            "terima kasih; SMS itu dicatat pada aduannya dan tidak menjadi aduan baru. Ditutup admin tanpa jawaban: "
            "misalnya spam, aduan ganda, atau aduan yang dicabut.",
            "Identitas pelapor tidak dicantumkan dalam laporan ini; isi aduan yang bersifat rahasia juga tidak "
            "ditampilkan.",
        };
        int i = 0;
        for (const auto &item : items) {
            const double h = p.text_at(Page::kLeft + 14, p.y(), Page::kContent - 14, esc(item), style("", 8.5), false);
            p.need(h);
            p.text_at(Page::kLeft, p.y(), 14, fmt::format("{}.", ++i), style("", 8.5));
            p.text_at(Page::kLeft + 14, p.y(), Page::kContent - 14, esc(item), style("", 8.5));
            p.skip(h + 3);
        }
    }

    void signature(Page &p) {
        p.need(150);
        p.skip(22);
        const double x = Page::kLeft + Page::kContent * 0.4, w = Page::kContent * 0.6;
        auto line = [&](const std::string &markup, const TextStyle &s, double gap = 0) {
            p.skip(p.text_at(x, p.y(), w, markup, s) + gap);
        };
        const TextStyle s = style("", 10, kInk, Align::Center, true);
        line(esc("Rembang, " + format_date_id(printed_)), s, 2);
        line(esc("KEPALA " + upper(cfg_.report.office)), style("Bold", 10, kInk, Align::Center, true));
        line("KABUPATEN REMBANG", style("Bold", 10, kInk, Align::Center, true), 58);
        if (cfg_.report.signatory.empty())
            line("( \u2026\u2026\u2026\u2026\u2026\u2026\u2026\u2026\u2026\u2026\u2026\u2026 )", s);
        else
            line("<u><b>" + esc(cfg_.report.signatory) + "</b></u>", s);
    }

    const MonthlyReport &r_;
    const Config &cfg_;
    Timestamp printed_;
};

cairo_status_t discard(void *, const unsigned char *, unsigned int) { return CAIRO_STATUS_SUCCESS; }

} // namespace

int write_monthly_pdf(const MonthlyReport &r, const Config &cfg, Timestamp printed, const std::string &path) {
    ReportDoc doc(r, cfg, printed);
    // Pass 1 lays the document out to count its pages for "Halaman N dari M".
    cairo_surface_t *count = cairo_pdf_surface_create_for_stream(discard, nullptr, Page::kWidth, Page::kHeight);
    const int pages = doc.render(count, 0);
    cairo_surface_destroy(count);

    const std::string tmp = path + ".tmp";
    cairo_surface_t *s = cairo_pdf_surface_create(tmp.c_str(), Page::kWidth, Page::kHeight);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        fail(exit_for_errno(errno, kExitCantCreate), "cannot create '{}': {}", tmp, errno_text(errno));
    }
    const std::string title = "Laporan Bulanan Layanan SMS Wadul Bupati \u2014 " + r.month.label();
    const std::string when = format_iso8601(printed);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title.c_str());
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR,
                                   ("Pemerintah Kabupaten Rembang, " + cfg.report.office).c_str());
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "wadul-report");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, when.c_str());
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, when.c_str());
    const int drawn = doc.render(s, pages);
    cairo_surface_finish(s);
    const cairo_status_t st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS) {
        std::remove(tmp.c_str());
        fail(kExitIoErr, "cannot write '{}': {}", tmp, cairo_status_to_string(st));
    }
    if (drawn != pages) fail(kExitSoftware, "the report laid out {} pages, then {}", pages, drawn);
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
        fail(kExitCantCreate, "cannot create '{}': {}", path, errno_text(errno));
    return pages;
}

#endif

} // namespace wadul
