#include "wadul/textnorm.hpp"

#include <libstemmer.h>
#include <unordered_set>

#include "wadul/error.hpp"

namespace wadul {

namespace {

// Written for wadul from common SMS usage in complaints (Indonesian and a little Javanese); kept
// short on purpose: only forms frequent enough to matter, and none that clash with a real word.
constexpr std::pair<std::string_view, std::string_view> kSlang[] = {
    {"yg", "yang"}, {"dgn", "dengan"}, {"dg", "dengan"}, {"dngn", "dengan"}, {"sm", "sama"},
    {"gk", "tidak"}, {"ga", "tidak"}, {"gak", "tidak"}, {"g", "tidak"}, {"gx", "tidak"},
    {"ngga", "tidak"}, {"nggak", "tidak"}, {"ngak", "tidak"}, {"enggak", "tidak"}, {"tdk", "tidak"},
    {"tak", "tidak"}, {"ndak", "tidak"}, {"nda", "tidak"}, {"gag", "tidak"}, {"kagak", "tidak"},
    {"sy", "saya"}, {"sya", "saya"}, {"aq", "aku"}, {"ak", "aku"}, {"gw", "saya"}, {"gue", "saya"},
    {"km", "kamu"}, {"kmu", "kamu"}, {"kmi", "kami"}, {"kt", "kita"},
    {"jln", "jalan"}, {"jl", "jalan"}, {"jaln", "jalan"}, {"gg", "gang"},
    {"krn", "karena"}, {"karna", "karena"}, {"krna", "karena"}, {"soalnya", "karena"},
    {"blm", "belum"}, {"blum", "belum"}, {"belom", "belum"}, {"durung", "belum"},
    {"sdh", "sudah"}, {"udh", "sudah"}, {"udah", "sudah"}, {"sudh", "sudah"}, {"dah", "sudah"},
    {"wes", "sudah"}, {"uwis", "sudah"}, {"wis", "sudah"}, {"sampun", "sudah"}, {"tlh", "telah"},
    {"bgt", "banget"}, {"bngt", "banget"}, {"sgt", "sangat"}, {"sngt", "sangat"},
    {"dll", "dan lain lain"}, {"dsb", "dan sebagainya"}, {"dst", "dan seterusnya"},
    {"tlg", "tolong"}, {"tolongin", "tolong"}, {"mhn", "mohon"}, {"mohn", "mohon"},
    {"utk", "untuk"}, {"untk", "untuk"}, {"tuk", "untuk"},
    {"dr", "dari"}, {"dri", "dari"}, {"kpd", "kepada"}, {"pd", "pada"}, {"jg", "juga"},
    {"lg", "lagi"}, {"lgi", "lagi"}, {"tp", "tapi"}, {"tpi", "tapi"}, {"tetapi", "tapi"},
    {"klo", "kalau"}, {"kalo", "kalau"}, {"kl", "kalau"}, {"bs", "bisa"}, {"bsa", "bisa"},
    {"sdg", "sedang"}, {"lgsg", "langsung"}, {"lsg", "langsung"}, {"org", "orang"}, {"wong", "orang"},
    {"kmrn", "kemarin"}, {"kmarin", "kemarin"}, {"skrg", "sekarang"}, {"skrng", "sekarang"},
    {"skr", "sekarang"}, {"sekrg", "sekarang"}, {"hr", "hari"}, {"bln", "bulan"}, {"thn", "tahun"},
    {"th", "tahun"}, {"mgg", "minggu"}, {"mggu", "minggu"}, {"jam2", "jam"}, {"brp", "berapa"},
    {"gmn", "bagaimana"}, {"gimana", "bagaimana"}, {"bgmn", "bagaimana"}, {"piye", "bagaimana"},
    {"knp", "kenapa"}, {"napa", "kenapa"}, {"opo", "apa"}, {"sj", "saja"}, {"aja", "saja"},
    {"trs", "terus"}, {"trus", "terus"}, {"bkn", "bukan"}, {"dpt", "dapat"}, {"dapet", "dapat"},
    {"hrs", "harus"}, {"spt", "seperti"}, {"kyk", "seperti"}, {"kayak", "seperti"}, {"sbg", "sebagai"},
    {"tsb", "tersebut"}, {"msh", "masih"}, {"masi", "masih"}, {"ad", "ada"}, {"tgl", "tanggal"},
    {"nmr", "nomor"}, {"nomer", "nomor"}, {"no", "nomor"}, {"kel", "kelurahan"}, {"kec", "kecamatan"},
    {"kab", "kabupaten"}, {"ds", "desa"}, {"bpk", "bapak"}, {"pak", "bapak"}, {"bu", "ibu"},
    {"yth", "yang terhormat"}, {"mksh", "terima kasih"}, {"makasih", "terima kasih"},
    {"trims", "terima kasih"}, {"trmksh", "terima kasih"}, {"tks", "terima kasih"}, {"thx", "terima kasih"},
    {"bnyk", "banyak"}, {"byk", "banyak"}, {"sblm", "sebelum"}, {"stlh", "setelah"}, {"dlm", "dalam"},
    {"dpn", "depan"}, {"blkg", "belakang"}, {"sklh", "sekolah"}, {"rmh", "rumah"}, {"lmpu", "lampu"},
    {"smpah", "sampah"}, {"bnjir", "banjir"}, {"iki", "ini"}, {"iku", "itu"}, {"ojo", "jangan"},
    {"jgn", "jangan"}, {"sampe", "sampai"}, {"smpe", "sampai"}, {"pengen", "ingin"}, {"pgn", "ingin"}, {"ngurus", "urus"}, {"bener", "benar"}, {"bnr", "benar"},
    {"gmana", "bagaimana"}, {"dgr", "dengar"}, {"ngk", "tidak"}, {"sdah", "sudah"},
    {"kpn", "kapan"}, {"kapn", "kapan"}, {"tlp", "telepon"}, {"telp", "telepon"}, {"hp", "ponsel"},
    {"wa", "whatsapp"}, {"info", "informasi"}, {"infonya", "informasi"}, {"pemkot", "pemerintah kota"},
};

// Javanese, as Rembang citizens write it (ngoko, and krama where it differs), to the Indonesian
// word the registry's duties and the learner know. Written for wadul; only words that are not
// also Indonesian words, or whose Indonesian sense would be rare in a complaint. Left out on
// purpose: "kali" (river, but Indonesian "times": "sudah 3 kali"; the definite "kaline" is
// unambiguous), "loro" (two / sick), "pari" (rice / stingray), "larang" (expensive / forbid),
// "tiba" (fall / arrive), "awan" (daytime / cloud), "medal" (out / a medal), "wulan" (month /
// a name), "petinggi" (village head in Rembang / officials), "ra" (RA, a kindergarten).
// "margi" is krama for road and also "because"; as a road it matters more.
constexpr std::pair<std::string_view, std::string_view> kJavanese[] = {
    // things complained about
    {"dalan", "jalan"}, {"ratan", "jalan"}, {"margi", "jalan"}, {"kreteg", "jembatan"},
    {"omah", "rumah"}, {"griya", "rumah"}, {"banyu", "air"}, {"toya", "air"}, {"kaline", "sungai"},
    {"kalen", "selokan"}, {"uwuh", "sampah"}, {"wit", "pohon"}, {"setrum", "listrik"}, {"peken", "pasar"},
    {"sekolahan", "sekolah"}, {"duwit", "uang"}, {"dhuwit", "uang"}, {"arto", "uang"}, {"bocah", "anak"},
    {"lare", "anak"}, {"tiyang", "orang"}, {"dina", "hari"}, {"sasi", "bulan"},
    // their state
    {"bolong", "lubang"}, {"risak", "rusak"}, {"bubrah", "rusak"}, {"ajur", "hancur"},
    {"jugrug", "longsor"}, {"mili", "mengalir"}, {"metu", "keluar"}, {"numpuk", "menumpuk"},
    {"reged", "kotor"}, {"regedh", "kotor"}, {"butek", "keruh"}, {"buthek", "keruh"}, {"ambu", "bau"},
    {"mambu", "bau"}, {"peteng", "gelap"}, {"petheng", "gelap"}, {"suwe", "lama"}, {"akeh", "banyak"},
    {"kathah", "banyak"}, {"kabeh", "semua"}, {"adoh", "jauh"}, {"cedhak", "dekat"}, {"cedak", "dekat"},
    {"dandani", "perbaiki"}, {"didandani", "diperbaiki"}, {"ndandani", "memperbaiki"},
    {"tuku", "beli"}, {"tumbas", "beli"}, {"adol", "jual"},
    // places and function words
    {"ngarep", "depan"}, {"ngajeng", "depan"}, {"mburi", "belakang"}, {"wingking", "belakang"},
    {"sandhing", "samping"}, {"sanding", "samping"}, {"neng", "di"}, {"ning", "di"}, {"nang", "di"},
    {"ing", "di"}, {"teng", "di"}, {"sing", "yang"}, {"karo", "dengan"}, {"ana", "ada"}, {"onten", "ada"},
    {"wonten", "ada"}, {"ora", "tidak"}, {"mboten", "tidak"}, {"boten", "tidak"}, {"dereng", "belum"},
    {"isih", "masih"}, {"arep", "akan"}, {"saiki", "sekarang"}, {"sakniki", "sekarang"},
    {"wingi", "kemarin"}, {"bengi", "malam"}, {"dalu", "malam"}, {"esuk", "pagi"}, {"kula", "saya"},
    {"kulo", "saya"}, {"panjenengan", "anda"}, {"nggih", "ya"}, {"inggih", "ya"}, {"njih", "ya"},
    {"tulung", "tolong"}, {"nyuwun", "mohon"}, {"suwun", "terima kasih"}, {"nuwun", "terima kasih"},
    {"pripun", "bagaimana"}, {"kepriye", "bagaimana"},
};

// Javanese suffixes on a word of kJavanese: "-e"/"-ne" (the definite: "dalane", "banyune"),
// "-ku"/"-mu" (possessive: "omahku"), krama "-ipun"/"-nipun" ("griyanipun"). Only roots of that
// table are unsuffixed here: an Indonesian word may end in "e" ("sale", "online").
constexpr std::string_view kJavaneseSuffixes[] = {"nipun", "ipun", "ne", "e", "ku", "mu"};

// Written for wadul: function words only; negation ("tidak", "belum") stays, it changes meaning.
constexpr std::string_view kStopwords[] = {
    "yang", "dan", "di", "ke", "dari", "ini", "itu", "dengan", "untuk", "pada", "adalah", "sebagai",
    "juga", "atau", "karena", "akan", "telah", "ada", "saya", "aku", "kami", "kita", "anda", "kamu",
    "dia", "mereka", "nya", "pun", "lah", "kah", "tah", "ya", "yg", "oleh", "dalam", "bahwa", "agar",
    "supaya", "jadi", "maka", "tapi", "namun", "sudah", "lagi", "saja", "sangat", "banget", "bisa",
    "dapat", "mohon", "tolong", "bapak", "ibu", "terima", "kasih", "selamat", "pagi", "siang", "sore",
    "malam", "salam", "assalamualaikum", "wr", "wb", "mas", "mbak", "min", "admin", "sama", "si",
    "para", "tersebut", "kepada", "terhormat", "hal", "apa", "apakah", "kalau", "jika", "the",
    "seperti", "sehingga", "hingga", "sampai", "lain", "kok", "sih", "deh", "dong", "nih", "tuh",
};

template <typename T> bool in_range(T c, T lo, T hi) { return c >= lo && c <= hi; }

// "smp" is SMS shorthand for "sampai" (until) and the acronym of a junior high school (Sekolah
// Menengah Pertama). It is the school when written in capitals in a text that is not all capitals,
// or when a number, "negeri" or "swasta" follows ("SMP 2", "smp n 1", "smp negeri"); `end` is where
// the word ends in `text`.
bool smp_is_school(std::string_view text, size_t end, bool capitals, bool shouting) {
    if (capitals && !shouting) return true;
    size_t i = end;
    while (i < text.size() && (text[i] == ' ' || text[i] == '.' || text[i] == '-')) ++i;
    if (i < text.size() && in_range(text[i], '0', '9')) return true;
    std::string next;
    for (; i < text.size() && next.size() < 7; ++i) {
        char c = text[i];
        if (in_range(c, 'A', 'Z')) c = static_cast<char>(c - 'A' + 'a');
        if (!in_range(c, 'a', 'z')) break;
        next.push_back(c);
    }
    return next == "n" || next == "negeri" || next == "swasta";
}

// The splitter behind split_words, calling `emit` with each word; a template so that the hot path
// (the classifier, for every text) pays no indirect call.
template <typename Emit> void split_into(std::string_view text, Emit &&emit) {
    std::string run; // one alphanumeric run, lowercased
    bool run_lower = false; // the run had a small letter
    bool last_number = false;
    std::string w;
    // A text mostly in capitals says nothing by the case of one word.
    size_t upper = 0, lower = 0;
    for (char c : text) {
        upper += in_range(c, 'A', 'Z');
        lower += in_range(c, 'a', 'z');
    }
    const bool shouting = upper > lower;
    auto flush = [&](size_t end) {
        if (run.empty()) return;
        if (run == "smp" && !smp_is_school(text, end, !run_lower, shouting)) run = "sampai";
        run_lower = false;
        // "anak2" is "anak-anak": the trailing 2 repeats the word, it is not a number.
        if (run.size() >= 3 && run.back() == '2' && in_range(run[run.size() - 2], 'a', 'z')) run.pop_back();
        size_t i = 0;
        while (i < run.size()) {
            const bool digit = in_range(run[i], '0', '9');
            size_t j = i;
            while (j < run.size() && in_range(run[j], '0', '9') == digit) ++j;
            if (digit) {
                if (!last_number) emit(kNumberToken);
                last_number = true;
            } else {
                w.clear();
                for (size_t k = i; k < j;) {
                    size_t e = k;
                    while (e < j && run[e] == run[k]) ++e;
                    // Three or more equal letters are emphasis ("parahhh", "tolonggg"); two are spelling.
                    w.append(e - k >= 3 ? 1 : e - k, run[k]);
                    k = e;
                }
                emit(std::string_view(w));
                last_number = false;
            }
            i = j;
        }
        run.clear();
    };
    for (size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        if (in_range(ch, 'a', 'z') || in_range(ch, '0', '9')) {
            run_lower |= in_range(ch, 'a', 'z');
            run.push_back(ch);
        } else if (in_range(ch, 'A', 'Z')) {
            run.push_back(static_cast<char>(ch - 'A' + 'a'));
        } else if (ch == '\'' && !run.empty() && i + 1 < text.size() &&
                   (in_range(text[i + 1], 'a', 'z') || in_range(text[i + 1], 'A', 'Z'))) {
            // An apostrophe inside a word ("jum'at") joins it.
        } else if (ch == '\\' && i + 1 < text.size() && (text[i + 1] == 'n' || text[i + 1] == 't')) {
            // Exports often carry a literal "\n" for a line break.
            flush(i);
            ++i;
        } else {
            flush(i);
        }
    }
    flush(text.size());
}

// split_into, then expand_slang, calling `emit` for each standard word: an expansion may be
// several ("dll" → "dan", "lain", "lain").
template <typename Emit> void expanded_into(std::string_view text, Emit &&emit) {
    split_into(text, [&](std::string_view raw) {
        const std::string_view w = expand_slang(raw);
        if (w.find(' ') == std::string_view::npos) {
            emit(w);
            return;
        }
        size_t start = 0;
        while (start <= w.size()) {
            size_t sp = w.find(' ', start);
            if (sp == std::string_view::npos) sp = w.size();
            emit(w.substr(start, sp - start));
            start = sp + 1;
        }
    });
}

} // namespace

std::vector<std::string> split_words(std::string_view text) {
    std::vector<std::string> out;
    split_into(text, [&](std::string_view w) { out.emplace_back(w); });
    return out;
}

void split_words(std::string_view text, const std::function<void(std::string_view)> &word) {
    split_into(text, word);
}

void standard_words(std::string_view text, const std::function<void(std::string_view)> &word) {
    expanded_into(text, word);
}

std::string_view expand_slang(std::string_view word) {
    static const std::unordered_map<std::string_view, std::string_view> table(std::begin(kSlang),
                                                                              std::end(kSlang));
    auto it = table.find(word);
    return it == table.end() ? expand_javanese(word) : it->second;
}

std::string_view expand_javanese(std::string_view word) {
    static const std::unordered_map<std::string_view, std::string_view> table(std::begin(kJavanese),
                                                                              std::end(kJavanese));
    if (auto it = table.find(word); it != table.end()) return it->second;
    for (const auto suffix : kJavaneseSuffixes) {
        if (word.size() < suffix.size() + 3 || word.substr(word.size() - suffix.size()) != suffix) continue;
        if (auto it = table.find(word.substr(0, word.size() - suffix.size())); it != table.end()) return it->second;
    }
    return word;
}

bool is_stopword(std::string_view word) {
    static const std::unordered_set<std::string_view> set(std::begin(kStopwords), std::end(kStopwords));
    return set.count(word) != 0;
}

void TextNormalizer::StemmerDeleter::operator()(sb_stemmer *s) const { sb_stemmer_delete(s); }

TextNormalizer::TextNormalizer() : stemmer_(sb_stemmer_new("indonesian", "UTF_8")) {
    if (!stemmer_) fail(kExitSoftware, "cannot create the Snowball Indonesian stemmer");
}
TextNormalizer::~TextNormalizer() = default;
TextNormalizer::TextNormalizer(TextNormalizer &&) noexcept = default;
TextNormalizer &TextNormalizer::operator=(TextNormalizer &&) noexcept = default;

std::string TextNormalizer::stem(const std::string &word) {
    auto it = cache_.find(word);
    if (it != cache_.end()) return it->second;
    const sb_symbol *s = sb_stemmer_stem(stemmer_.get(), reinterpret_cast<const sb_symbol *>(word.data()),
                                         static_cast<int>(word.size()));
    if (!s) fail(kExitSoftware, "out of memory stemming '{}'", word);
    std::string out(reinterpret_cast<const char *>(s), static_cast<size_t>(sb_stemmer_length(stemmer_.get())));
    // Unbounded input must not grow the cache without limit; the vocabulary of complaints is small.
    if (cache_.size() > 200000) cache_.clear();
    cache_.emplace(word, out);
    return out;
}

TextNormalizer::Tokens TextNormalizer::analyse(std::string_view text, bool stem_words) {
    Tokens t;
    analyse(text, t, stem_words);
    return t;
}

void TextNormalizer::analyse(std::string_view text, Tokens &t, bool stem_words) {
    t.words.clear();
    t.stems.clear();
    auto add = [&](std::string_view w) {
        if (w.size() < 2 || is_stopword(w)) return;
        t.words.emplace_back(w);
        if (stem_words) t.stems.push_back(w == kNumberToken ? std::string(w) : stem(t.words.back()));
    };
    expanded_into(text, add);
}

} // namespace wadul
