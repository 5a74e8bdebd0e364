#include "wadul/protocol.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

#include "wadul/textnorm.hpp"
#include "wadul/ticket.hpp"

namespace wadul {

namespace {

struct Keyword {
    const char *word;
    Verb verb;
};
constexpr Keyword kKeywords[] = {
    {"terima", Verb::terima}, {"jawab", Verb::jawab},   {"tolak", Verb::tolak},
    {"setuju", Verb::setuju}, {"revisi", Verb::revisi}, {"cek", Verb::cek},
};

// Words that name the ticket or the complaint, which people put between the keyword and the
// ticket, one or several: "CEK tiket 7KQ4MX2", "TERIMA no. 7KQ4MX2", "JAWAB nomor tiket 7KQ4MX2",
// "CEK status aduan 7KQ4MX2". Only such words: one that could start an answer or a complaint
// ("jalan", "sudah") must stay text. None is seven letters, so none reads as a ticket.
constexpr std::string_view kFillers[] = {"no",    "nomor",     "nomer",   "nmr",     "tiket",    "tiketnya",
                                         "kode",  "aduan",     "aduannya", "status", "statusnya", "laporan",
                                         "laporannya"};

// What may follow a bare CEK besides fillers: pronouns, particles and courtesy ("cek dong",
// "Cek status aduan saya ya pak", "cek sudah sampai mana"). A word outside both lists ("Cek jalan
// di desa Sumber rusak") makes the SMS a complaint that happens to start with "cek".
constexpr std::string_view kCekCourtesy[] = {
    "saya", "aku", "kami", "ku", "dong", "donk", "ya", "yah", "iya", "pak", "bu", "bapak", "ibu", "min",
    "admin", "mas", "mbak", "kak", "mohon", "tolong", "lagi", "sudah", "udah", "sampai", "mana", "gimana",
    "bagaimana", "apa", "nya", "terbaru", "terakhir", "<num>",
};
constexpr size_t kCekMaxWords = 6;

bool is_alpha(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0;
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
    return is_alpha(c) || is_digit(c);
}
char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool is_separator(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ':' || c == '#' || c == ',' || c == '.' ||
           c == ';' || c == '=' || c == '-';
}

size_t skip_separators(std::string_view s, size_t i) {
    while (i < s.size() && is_separator(s[i]))
        ++i;
    return i;
}

bool starts_with_ci(std::string_view s, size_t at, std::string_view word) {
    if (s.size() - at < word.size())
        return false;
    for (size_t k = 0; k < word.size(); ++k)
        if (lower(s[at + k]) != word[k])
            return false;
    return true;
}

std::string trim(std::string_view s) {
    size_t b = 0, e = s.size();
    while (b < e && (is_separator(s[b]) || s[b] == '#'))
        ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])))
        --e;
    return std::string(s.substr(b, e - b));
}

template <typename Set> bool in(const Set &set, std::string_view w) {
    return std::find(std::begin(set), std::end(set), w) != std::end(set);
}

// The length of the filler word at `i` (a whole word, any case), or 0.
size_t filler_at(std::string_view s, size_t i) {
    for (std::string_view f : kFillers)
        if (starts_with_ci(s, i, f) && (i + f.size() == s.size() || !is_alnum(s[i + f.size()])))
            return f.size();
    return 0;
}

struct TicketAt {
    std::optional<std::string> ticket;
    bool bad = false;
    bool word_like = false;
    size_t end = 0; // where the text after the ticket starts
};

// Reads a ticket at `i`: one token of ticket symbols (dashes and dots inside are ignored), or the
// first seven symbols of a longer token when the officer forgot the space after the ticket.
TicketAt ticket_at(std::string_view s, size_t i) {
    TicketAt r;
    r.end = i;
    size_t j = i, symbols = 0, seventh_end = 0;
    bool digit = false;
    while (j < s.size() && (is_ticket_char(s[j]) || s[j] == '-' || s[j] == '.')) {
        if (is_ticket_char(s[j])) {
            ++symbols;
            if (symbols <= kTicketLength)
                digit = digit || is_digit(s[j]);
            if (symbols == kTicketLength)
                seventh_end = j + 1;
        }
        ++j;
    }
    if (symbols < kTicketLength)
        return r;
    // A ticket ends where the token ends, or (glued text) after its seventh symbol.
    const size_t end = symbols == kTicketLength ? j : seventh_end;
    if (symbols > kTicketLength && !digit)
        return r; // a long word, not a ticket with text glued on
    if (auto t = parse_ticket(s.substr(i, end - i))) {
        r.ticket = t;
        r.word_like = !digit;
        r.end = end;
    } else if (symbols == kTicketLength && digit) {
        r.bad = true;
        r.end = end;
    }
    return r;
}

} // namespace

bool is_thanks(std::string_view sms, std::string_view ticket) {
    // Written for wadul, after standard_words (so "makasih", "trims", "thx" arrive
    // as "terima kasih"). Deliberately short: a word missing here only means a ticket an admin
    // closes by hand, while a word too many could hide a complaint.
    static constexpr std::string_view kThanks[] = {
        "kasih", "terimakasih", "trimakasih", "makasi", "thanks", "thank", "tq", "ty", "tengkyu", "nuwun",
        "maturnuwun", "suwun", "nuhun", "ok", "oke", "okey", "okay", "siap", "alhamdulillah", "alhamdulilah",
    };
    static constexpr std::string_view kCourtesy[] = {
        // thanks and what for
        "terima", "trima", "matur", "sembah", "hatur", "banyak", "sekali", "sangat", "sanget", "atas", "untuk", "buat",
        "bantuan", "bantuannya", "dibantu", "respon", "responnya", "respons", "responsnya", "tanggapan",
        "tanggapannya", "jawaban", "jawabannya", "informasi", "informasinya", "penjelasan", "penjelasannya",
        "tindak", "lanjut", "lanjutnya", "ditindaklanjuti", "tindaklanjutnya", "perhatian", "perhatiannya",
        "direspon", "direspons", "ditangani", "diperbaiki", "diselesaikan", "terselesaikan", "selesai", "beres",
        "tuntas",
        "pelayanan", "pelayanannya", "kerja", "kerjanya", "cepat", "tanggap", "sigap", "baik", "sudah", "telah",
        "yang", "nya", "sama", "you", "very", "much", "so", "good", "job", "mantap", "mantab", "hebat",
        "luar", "biasa", "top", "keren", "puas", "sip", "oce",
        // wishes
        "semoga", "sukses", "selalu", "sehat", "berkah", "barokah", "lancar", "amin", "aamiin", "amiin",
        "god", "bless",
        // yes, greetings, salutations
        "ya", "iya", "nggih", "njih", "inggih", "injih", "enggih", "salam", "wassalam", "wassalamualaikum",
        "assalamualaikum", "wr", "wb", "warahmatullahi", "wabarakatuh", "selamat", "pagi", "siang", "sore",
        "malam", "bapak", "ibu", "bupati", "wakil", "min", "admin", "mimin", "kak", "mas", "mbak", "mbk",
        "tim", "petugas", "pemkab", "pemerintah", "kabupaten", "rembang", "dinas", "kami", "saya", "aku",
        "kita", "dari", "warga", "kepada", "yth", "terhormat",
    };
    if (parse_command(sms).verb != Verb::none)
        return false;
    bool thanked = false, other = false;
    size_t words = 0;
    auto word = [&](std::string_view w) {
        ++words;
        if (in(kThanks, w))
            thanked = true;
        else if (w != kNumberToken && !in(kCourtesy, w))
            other = true;
    };
    // The ticket ("7KQ4MX2", "7kq-4mx2") would be split into letters and numbers: skip it first.
    size_t i = 0;
    while (i < sms.size() && !other) {
        size_t j = i;
        while (j < sms.size() && !std::isspace(static_cast<unsigned char>(sms[j])))
            ++j;
        std::string_view raw = sms.substr(i, j - i);
        while (!raw.empty() && std::ispunct(static_cast<unsigned char>(raw.back())))
            raw.remove_suffix(1);
        const auto as_ticket = raw.size() >= kTicketLength ? parse_ticket(raw) : std::nullopt;
        if (!raw.empty() && !(as_ticket && !ticket.empty() && *as_ticket == ticket))
            standard_words(sms.substr(i, j - i), word);
        i = j;
        while (i < sms.size() && std::isspace(static_cast<unsigned char>(sms[i])))
            ++i;
    }
    return thanked && !other && words <= 40;
}

const char *verb_name(Verb v) {
    switch (v) {
    case Verb::terima:
        return "TERIMA";
    case Verb::jawab:
        return "JAWAB";
    case Verb::tolak:
        return "TOLAK";
    case Verb::setuju:
        return "SETUJU";
    case Verb::revisi:
        return "REVISI";
    case Verb::cek:
        return "CEK";
    case Verb::none:
        break;
    }
    return "";
}

Command parse_command(std::string_view s) {
    Command c;
    size_t i = 0;
    while (i < s.size() && (std::isspace(static_cast<unsigned char>(s[i])) || s[i] == '#' || s[i] == '*'))
        ++i;
    const Keyword *kw = nullptr;
    for (const auto &k : kKeywords)
        if (starts_with_ci(s, i, k.word)) {
            kw = &k;
            break;
        }
    if (!kw)
        return c;
    size_t after = i + std::char_traits<char>::length(kw->word);
    // A letter right after the keyword is only allowed when a ticket starts there ("jawab7KQ4MX2"),
    // so that "Terimakasih" or "Cekatan" are not commands.
    if (after < s.size() && is_alpha(s[after]) && !ticket_at(s, after).ticket)
        return c;
    const size_t rest = skip_separators(s, after);
    if (kw->verb == Verb::terima &&
        (starts_with_ci(s, rest, "kasih") || starts_with_ci(s, rest, "kasi ") || starts_with_ci(s, rest, "ksh")))
        return c; // "Terima kasih": thanks, not a disposition
    c.verb = kw->verb;
    c.text_without_ticket = trim(s.substr(rest));

    // Fillers first: a run of them, then the ticket ("no. tiket 7KQ4MX2"). Without a ticket after
    // them they are the text ("nomor rumah 12 ...").
    TicketAt t;
    for (size_t at = rest;;) {
        const size_t n = filler_at(s, at);
        if (n == 0) {
            t = ticket_at(s, at);
            break;
        }
        at = skip_separators(s, at + n);
    }
    c.ticket = t.ticket;
    c.bad_ticket = t.bad;
    c.ticket_may_be_word = t.word_like;
    c.text = (t.ticket || t.bad) ? trim(s.substr(t.end)) : c.text_without_ticket;
    const bool needs_text = c.verb == Verb::jawab || c.verb == Verb::tolak || c.verb == Verb::revisi;
    c.malformed = needs_text && c.text.empty();
    if (c.verb == Verb::cek && !t.ticket && !t.bad) {
        size_t words = 0;
        bool other = false;
        standard_words(c.text_without_ticket, [&](std::string_view w) {
            ++words;
            other = other || !(in(kFillers, w) || in(kCekCourtesy, w));
        });
        c.bare = !other && words <= kCekMaxWords;
    }
    return c;
}

bool is_blank(std::string_view sms) {
    static constexpr std::string_view kSpaces[] = {
        "\xC2\xA0",                                                             // U+00A0 no-break space
        "\xE2\x80\x80", "\xE2\x80\x81", "\xE2\x80\x82", "\xE2\x80\x83", // U+2000..U+200B
        "\xE2\x80\x84", "\xE2\x80\x85", "\xE2\x80\x86", "\xE2\x80\x87", "\xE2\x80\x88",
        "\xE2\x80\x89", "\xE2\x80\x8A", "\xE2\x80\x8B",
        "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80", "\xEF\xBB\xBF", // U+202F, U+205F, U+3000, U+FEFF
    };
    for (size_t i = 0; i < sms.size();) {
        if (std::string_view(" \t\r\n\f\v").find(sms[i]) != std::string_view::npos) {
            ++i;
            continue;
        }
        const auto space = std::find_if(std::begin(kSpaces), std::end(kSpaces),
                                        [&](std::string_view s) { return sms.compare(i, s.size(), s) == 0; });
        if (space == std::end(kSpaces)) return false;
        i += space->size();
    }
    return true;
}

} // namespace wadul
