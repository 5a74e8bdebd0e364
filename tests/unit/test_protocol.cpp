// The SMS command parser: forgiving for officers typing on a phone, never mistaking a citizen's
// complaint ("Terima kasih …", "Cek jalan rusak …") for a command.
#include <doctest/doctest.h>

#include "wadul/protocol.hpp"
#include "wadul/ticket.hpp"

using namespace wadul;

namespace {
const std::string T = make_ticket(123456789); // "3NQK8N1"
const std::string T2 = "7KQ4MX4";             // valid: the man page's example ticket
} // namespace

TEST_CASE("example tickets are valid") {
    REQUIRE(parse_ticket(T) == T);
    REQUIRE(parse_ticket(T2) == T2);
    REQUIRE_FALSE(parse_ticket("7KQ4MX2"));
}

TEST_CASE("the five officer verbs and CEK, in canonical form") {
    auto c = parse_command("TERIMA " + T);
    CHECK(c.verb == Verb::terima);
    CHECK(c.ticket == T);
    CHECK(c.text.empty());
    CHECK_FALSE(c.malformed);

    c = parse_command("JAWAB " + T + " Jalan sudah diperbaiki tanggal 3.");
    CHECK(c.verb == Verb::jawab);
    CHECK(c.ticket == T);
    CHECK(c.text == "Jalan sudah diperbaiki tanggal 3.");

    c = parse_command("TOLAK " + T + " bukan kewenangan kami, silakan ke BPN");
    CHECK(c.verb == Verb::tolak);
    CHECK(c.text == "bukan kewenangan kami, silakan ke BPN");

    c = parse_command("SETUJU " + T);
    CHECK(c.verb == Verb::setuju);
    CHECK(c.ticket == T);

    c = parse_command("REVISI " + T + " lengkapi tanggal pengerjaan");
    CHECK(c.verb == Verb::revisi);
    CHECK(c.text == "lengkapi tanggal pengerjaan");

    c = parse_command("CEK " + T);
    CHECK(c.verb == Verb::cek);
    CHECK(c.ticket == T);
    CHECK(std::string(verb_name(Verb::revisi)) == "REVISI");
}

TEST_CASE("case, '#', extra spaces, a missing space, punctuation") {
    auto c = parse_command("#jawab7KQ4MX4 sudah diperbaiki");
    CHECK(c.verb == Verb::jawab);
    CHECK(c.ticket == T2);
    CHECK(c.text == "sudah diperbaiki");

    c = parse_command("Terima  7kq4mx4");
    CHECK(c.verb == Verb::terima);
    CHECK(c.ticket == T2);

    c = parse_command("  terima\t7KQ-4MX4. ");
    CHECK(c.verb == Verb::terima);
    CHECK(c.ticket == T2);

    c = parse_command("JAWAB#7KQ4MX4: sudah ditangani");
    CHECK(c.ticket == T2);
    CHECK(c.text == "sudah ditangani");

    c = parse_command("Jawab 7KQ4MX4,sudah");
    CHECK(c.ticket == T2);
    CHECK(c.text == "sudah");

    // A missing space after the ticket.
    c = parse_command("JAWAB 7KQ4MX4sudah diperbaiki");
    CHECK(c.ticket == T2);
    CHECK(c.text == "sudah diperbaiki");

    // O for 0 and I/L for 1 as people type them.
    const std::string with_one = make_ticket(1); // "000001Y"
    c = parse_command("terima OOOOO1Y");
    CHECK(c.ticket == with_one);

    c = parse_command("SETUJU tiket " + T);
    CHECK(c.verb == Verb::setuju);
    CHECK(c.ticket == T);

    c = parse_command("cek no. " + T);
    CHECK(c.ticket == T);

    c = parse_command("REVISI\n" + T + "\nmohon dilengkapi foto");
    CHECK(c.verb == Verb::revisi);
    CHECK(c.text == "mohon dilengkapi foto");
}

TEST_CASE("no ticket: the text starts right after the keyword") {
    auto c = parse_command("jawab: jalan sudah diperbaiki");
    CHECK(c.verb == Verb::jawab);
    CHECK_FALSE(c.ticket);
    CHECK_FALSE(c.bad_ticket);
    CHECK(c.text == "jalan sudah diperbaiki");
    CHECK_FALSE(c.malformed);

    c = parse_command("TERIMA");
    CHECK(c.verb == Verb::terima);
    CHECK_FALSE(c.ticket);
    CHECK_FALSE(c.malformed);

    c = parse_command("setuju.");
    CHECK(c.verb == Verb::setuju);
    CHECK_FALSE(c.ticket);
}

TEST_CASE("a word that passes the check symbol is flagged as maybe a word") {
    // "SELESAI" reads as the valid ticket SE1ESA1.
    auto c = parse_command("JAWAB selesai, jalan sudah diperbaiki");
    CHECK(c.ticket == "SE1ESA1");
    CHECK(c.ticket_may_be_word);
    CHECK(c.text == "jalan sudah diperbaiki");
    CHECK(c.text_without_ticket == "selesai, jalan sudah diperbaiki");
    c = parse_command("JAWAB " + T + " ok");
    CHECK_FALSE(c.ticket_may_be_word);
}

TEST_CASE("malformed and mistyped") {
    auto c = parse_command("JAWAB " + T);
    CHECK(c.verb == Verb::jawab);
    CHECK(c.malformed);
    c = parse_command("TOLAK");
    CHECK(c.malformed);
    c = parse_command("revisi " + T + "   ");
    CHECK(c.malformed);

    // One symbol wrong: the check symbol catches it.
    c = parse_command("TERIMA 7KQ4MX2");
    CHECK(c.verb == Verb::terima);
    CHECK_FALSE(c.ticket);
    CHECK(c.bad_ticket);
    c = parse_command("JAWAB 7KQ4NX4 sudah");
    CHECK(c.bad_ticket);
    CHECK(c.text == "sudah");
}

TEST_CASE("citizens' ordinary words are not commands") {
    CHECK(parse_command("Terima kasih pak atas bantuannya").verb == Verb::none);
    CHECK(parse_command("terimakasih").verb == Verb::none);
    CHECK(parse_command("Terima ksh").verb == Verb::none);
    CHECK(parse_command("Cekatan sekali petugasnya").verb == Verb::none);
    CHECK(parse_command("Jalan di desa kami rusak parah").verb == Verb::none);
    CHECK(parse_command("Setujukah bapak jika ...").verb == Verb::none);
    CHECK(parse_command("").verb == Verb::none);
    CHECK(parse_command("   #  ").verb == Verb::none);
    // "Cek jalan rusak…" is a CEK without a ticket, with text: the caller treats it as a complaint.
    auto c = parse_command("Cek jalan rusak di desa Sumber");
    CHECK(c.verb == Verb::cek);
    CHECK_FALSE(c.ticket);
    CHECK(c.text_without_ticket == "jalan rusak di desa Sumber");
}

TEST_CASE("is_officer_verb") {
    CHECK(is_officer_verb(Verb::jawab));
    CHECK_FALSE(is_officer_verb(Verb::cek));
    CHECK_FALSE(is_officer_verb(Verb::none));
}

TEST_CASE("thanks and acknowledgements, and what is not") {
    CHECK(is_thanks("Terima kasih"));
    CHECK(is_thanks("Terima kasih pak atas bantuannya, semoga sukses selalu 🙏🙏"));
    CHECK(is_thanks("makasih min"));
    CHECK(is_thanks("Matur nuwun sanget"));
    CHECK(is_thanks("ok siap"));
    CHECK(is_thanks("Alhamdulillah, trims responnya pak"));
    CHECK(is_thanks("Alhamdulillah sudah diperbaiki, terima kasih"));
    CHECK_FALSE(is_thanks("Terima kasih, tapi belum diperbaiki"));
    CHECK_FALSE(is_thanks("terima kasih, kapan diperbaiki"));
    CHECK(is_thanks("Terima kasih " + T + " sudah ditindaklanjuti", T));
    CHECK(is_thanks("thx!!! 3nqk-8n1", T));
    // A new problem, a negation, a question: not thanks.
    CHECK_FALSE(is_thanks("terima kasih, tapi jalan masih rusak"));
    CHECK_FALSE(is_thanks("Terima kasih, lampu belum menyala"));
    CHECK_FALSE(is_thanks("makasih, kapan diperbaiki?"));
    CHECK_FALSE(is_thanks("Terima kasih " + T, make_ticket(1)));  // another ticket: read as words
    // No word of thanks, or a command.
    CHECK_FALSE(is_thanks("selamat pagi pak"));
    CHECK_FALSE(is_thanks(""));
    CHECK_FALSE(is_thanks("🙏"));
    CHECK_FALSE(is_thanks("TERIMA " + T, T));
    CHECK_FALSE(is_thanks("CEK " + T + " terima kasih", T));
}

TEST_CASE("a blank SMS: nothing but white space, of any script") {
    CHECK(is_blank(""));
    CHECK(is_blank(" \t\r\n"));
    CHECK(is_blank("\xC2\xA0\xE3\x80\x80\xE2\x80\x8B\xEF\xBB\xBF")); // no-break, ideographic, zero-width, BOM
    CHECK_FALSE(is_blank("."));
    CHECK_FALSE(is_blank("  a  "));
    CHECK_FALSE(is_blank("\xC2\xA0\xC3\xA9")); // é after a no-break space
    CHECK_FALSE(is_blank("\xE2\x80")); // a cut character is not white space
}

TEST_CASE("a run of filler words before the ticket") {
    auto c = parse_command("TERIMA no tiket " + T2);
    CHECK(c.verb == Verb::terima);
    CHECK(c.ticket == T2);

    c = parse_command("JAWAB nomor tiket " + T2 + ": jalan sudah diperbaiki");
    CHECK(c.verb == Verb::jawab);
    CHECK(c.ticket == T2);
    CHECK(c.text == "jalan sudah diperbaiki");

    c = parse_command("Cek no tiket " + T2);
    CHECK(c.ticket == T2);
    c = parse_command("CEK status aduan " + T2);
    CHECK(c.ticket == T2);
    c = parse_command("setuju No. Tiket: " + T2);
    CHECK(c.ticket == T2);
    c = parse_command("TERIMA nmr tiket 7KQ4MX2"); // a typo behind the fillers is still caught
    CHECK(c.bad_ticket);

    // Fillers without a ticket after them are text.
    c = parse_command("JAWAB nomor rumah warga sudah kami data");
    CHECK_FALSE(c.ticket);
    CHECK(c.text == "nomor rumah warga sudah kami data");
}

TEST_CASE("a bare CEK: nothing after it but fillers and courtesy") {
    for (const char *sms : {"CEK", "cek.", "Cek status aduan saya", "cek dong", "Cek tiket saya", "cek aduan sy ya pak",
                            "Cek sudah sampai mana aduan saya?", "cek status 🙏"}) {
        CAPTURE(sms);
        const auto c = parse_command(sms);
        CHECK(c.verb == Verb::cek);
        CHECK_FALSE(c.ticket);
        CHECK(c.bare);
    }
    for (const char *sms : {"Cek jalan di desa Sumber rusak parah mohon diperbaiki", "cek lampu jalan mati",
                            "Cek status aduan saya, jalan masih rusak", "cek dong pak bu mas mbak saya ya kak"}) {
        CAPTURE(sms);
        const auto c = parse_command(sms);
        CHECK(c.verb == Verb::cek);
        CHECK_FALSE(c.bare);
    }
    CHECK_FALSE(parse_command("CEK " + T2).bare);
}
