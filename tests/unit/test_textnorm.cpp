#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "wadul/textnorm.hpp"

using namespace wadul;
using V = std::vector<std::string>;

TEST_CASE("split_words lowercases and drops punctuation") {
    CHECK(split_words("Lampu PJU mati!!! Tolong, segera.") == V{"lampu", "pju", "mati", "tolong", "segera"});
    CHECK(split_words("") == V{});
    CHECK(split_words("?!... ---") == V{});
}

TEST_CASE("split_words collapses emphasis but keeps double letters") {
    CHECK(split_words("parahhh bangettt") == V{"parah", "banget"});
    CHECK(split_words("tanggal saat") == V{"tanggal", "saat"});
    CHECK(split_words("tolooooong") == V{"tolong"});
}

TEST_CASE("split_words turns numbers into one class token") {
    CHECK(split_words("rt 05 rw 3") == V{"rt", "<num>", "rw", "<num>"});
    CHECK(split_words("RT05") == V{"rt", "<num>"});
    CHECK(split_words("sudah 3 4 hari") == V{"sudah", "<num>", "hari"});
    CHECK(split_words("Rp. 500.000") == V{"rp", "<num>"});
}

TEST_CASE("split_words handles reduplication, apostrophes, literal line breaks and non-ASCII") {
    CHECK(split_words("anak2 hati-hati") == V{"anak", "hati", "hati"});
    CHECK(split_words("Jum'at") == V{"jumat"});
    CHECK(split_words("sampah\\nbau") == V{"sampah", "bau"});
    CHECK(split_words("caf\xC3\xA9 \xE2\x80\x9C" "banjir\xE2\x80\x9D") == V{"caf", "banjir"});
}

TEST_CASE("the callback form of split_words sees the same words") {
    V got;
    split_words("Jln rusak 2 hari", [&](std::string_view w) { got.emplace_back(w); });
    CHECK(got == split_words("Jln rusak 2 hari"));
}

TEST_CASE("SMS slang expands to standard Indonesian") {
    CHECK(expand_slang("yg") == "yang");
    CHECK(expand_slang("gk") == "tidak");
    CHECK(expand_slang("tdk") == "tidak");
    CHECK(expand_slang("sy") == "saya");
    CHECK(expand_slang("jln") == "jalan");
    CHECK(expand_slang("dll") == "dan lain lain");
    CHECK(expand_slang("lampu") == "lampu");
}

TEST_CASE("smp is 'sampai' in SMS shorthand and the junior high school as an acronym") {
    CHECK(split_words("nunggu smp sore") == V{"nunggu", "sampai", "sore"});
    CHECK(split_words("Smp kapan ini dibiarkan") == V{"sampai", "kapan", "ini", "dibiarkan"});
    // Capitals in a text that is not all capitals: the acronym.
    CHECK(split_words("Pungutan di SMP negeri") == V{"pungutan", "di", "smp", "negeri"});
    CHECK(split_words("anak saya di SMP.") == V{"anak", "saya", "di", "smp"});
    // A shouted text: the case says nothing, what follows does.
    CHECK(split_words("SUDAH SMP SEKARANG") == V{"sudah", "sampai", "sekarang"});
    CHECK(split_words("PUNGLI DI SMP 2 REMBANG") == V{"pungli", "di", "smp", "<num>", "rembang"});
    CHECK(split_words("pungli di smp n 1") == V{"pungli", "di", "smp", "n", "<num>"});
    CHECK(split_words("smp swasta") == V{"smp", "swasta"});
    CHECK(split_words("smp-2") == V{"smp", "<num>"});
    CHECK(split_words("smpn 1") == V{"smpn", "<num>"});
}

TEST_CASE("stopwords are function words only; negation stays") {
    CHECK(is_stopword("yang"));
    CHECK(is_stopword("di"));
    CHECK_FALSE(is_stopword("tidak"));
    CHECK_FALSE(is_stopword("lampu"));
}

TEST_CASE("the normaliser expands slang, drops stopwords and stems") {
    TextNormalizer n;
    const auto t = n.analyse("Lampu PJU di jln Rt05 mati parahhh, sdh 3 hari gk nyala");
    CHECK(t.words == V{"lampu", "pju", "jalan", "rt", "<num>", "mati", "parah", "<num>", "hari", "tidak", "nyala"});
    CHECK(t.stems.size() == t.words.size());
    CHECK(n.stem("jalanan") == "jalan");
    CHECK(n.stem("berlubang") == "lubang");
    CHECK(n.tokens("Jalanan berlubang") == V{"jalan", "lubang"});
    // A second call answers from the cache with the same stem.
    CHECK(n.stem("jalanan") == "jalan");
    // Without stemming, only the words come back.
    const auto w = n.analyse("Jalanan berlubang", false);
    CHECK(w.words == V{"jalanan", "berlubang"});
    CHECK(w.stems.empty());
}

TEST_CASE("the normaliser reuses its output and yields nothing for empty text") {
    TextNormalizer n;
    TextNormalizer::Tokens t;
    n.analyse("sampah menumpuk", t);
    n.analyse("", t);
    CHECK(t.words.empty());
    CHECK(t.stems.empty());
}

TEST_CASE("Javanese words, ngoko and krama, become the Indonesian the duties use") {
    CHECK(expand_slang("dalan") == "jalan");
    CHECK(expand_slang("margi") == "jalan");
    CHECK(expand_slang("toya") == "air");
    CHECK(expand_slang("griya") == "rumah");
    CHECK(expand_slang("ora") == "tidak");
    CHECK(expand_slang("mboten") == "tidak");
    CHECK(expand_slang("wis") == "sudah");
    CHECK(expand_slang("sekolahan") == "sekolah");
    // With a Javanese suffix: the definite -e/-ne, possessive -ku, krama -nipun.
    CHECK(expand_javanese("dalane") == "jalan");
    CHECK(expand_javanese("banyune") == "air");
    CHECK(expand_javanese("omahku") == "rumah");
    CHECK(expand_javanese("griyanipun") == "rumah");
    CHECK(expand_javanese("kaline") == "sungai");
    // "mati" is the same word in both languages; "kali" is also Indonesian "times".
    CHECK(expand_slang("mati") == "mati");
    CHECK(expand_slang("kali") == "kali");
    // Indonesian words ending in "e" are not taken for suffixed Javanese.
    CHECK(expand_slang("sale") == "sale");
    CHECK(expand_slang("online") == "online");
    CHECK(expand_slang("sore") == "sore");
    TextNormalizer n;
    CHECK(n.analyse("banyune PDAM ora mili wis telung dina", false).words ==
          V{"air", "pdam", "tidak", "mengalir", "telung", "hari"});
    CHECK(n.analyse("sudah 3 kali lapor", false).words == V{"<num>", "kali", "lapor"});
}
