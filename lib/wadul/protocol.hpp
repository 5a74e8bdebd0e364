// The SMS protocol officers and citizens type on an ordinary phone: TERIMA, JAWAB, TOLAK, SETUJU,
// REVISI (officers) and CEK (anyone). Reading is forgiving about case, '#', extra or missing spaces
// and punctuation; deciding who may do what is forward.cpp's job, not the parser's.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wadul {

enum class Verb { none, terima, jawab, tolak, setuju, revisi, cek };

struct Command {
    Verb verb = Verb::none;            // none: not a command (a citizen's complaint, small talk)
    std::optional<std::string> ticket; // canonical form, when a valid ticket was typed
    // A ticket was written with digits in it but fails the check symbol: a typo, never a word.
    bool bad_ticket = false;
    // The ticket was a word-like token (letters only): it may be the first word of the text and
    // not a ticket at all; `text_without_ticket` is the text read that way.
    bool ticket_may_be_word = false;
    std::string text;                // JAWAB's answer, TOLAK's reason, REVISI's note (trimmed)
    std::string text_without_ticket; // everything after the keyword, trimmed
    // A keyword whose required part is missing: JAWAB/TOLAK/REVISI without text.
    bool malformed = false;
    // CEK without a ticket, followed by nothing or only by fillers, pronouns and courtesy, at most
    // six words ("CEK", "Cek status aduan saya", "cek dong"): the sender's own complaints. Not
    // "Cek jalan di desa Sumber rusak", a complaint that starts with "cek".
    bool bare = false;
};

// Reads one SMS. Examples: "JAWAB 7KQ4MX2 Jalan sudah diperbaiki", "#jawab7KQ4MX2 sudah",
// "Terima  7kq4mx2", "jawab: sudah diperbaiki" (no ticket), "CEK 7KQ4MX2", "cek tiket 7kq-4mx2",
// "TERIMA no tiket 7KQ4MX2" (any run of filler words naming the ticket before it).
// "Terima kasih ..." is small talk, not TERIMA.
Command parse_command(std::string_view sms);

// "TERIMA", "JAWAB", ... ("" for none), as officers type them and the event log records them.
const char *verb_name(Verb v);

// True when the SMS only thanks or acknowledges ("Terima kasih pak, sudah dibantu 🙏", "ok siap",
// "matur nuwun"): at least one word of thanks, and every other word a courtesy (greetings, titles,
// "atas bantuannya", "semoga sukses"), a number or `ticket` (the complaint thanked for). A word that could carry a new problem
// ("tapi", "belum", "jalan") makes it not thanks, so "terima kasih, tapi jalan masih rusak" stays a
// complaint. Used for an SMS that follows an answered complaint, so it opens no new ticket.
bool is_thanks(std::string_view sms, std::string_view ticket = {});

// True when the SMS says nothing: empty, or white space only (spaces, tabs, line breaks, the
// no-break, typographic and ideographic spaces, a zero-width space or BOM a phone leaves). Such an
// SMS from a citizen opens no complaint: there is nothing to route or answer.
bool is_blank(std::string_view sms);

// True for the verbs only a registered officer may use.
inline bool is_officer_verb(Verb v) {
    return v != Verb::none && v != Verb::cek;
}

} // namespace wadul
