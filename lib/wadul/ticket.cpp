#include "wadul/ticket.hpp"

#include <random>

namespace wadul {

namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr int kN = 32;

int value_of(char c) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    switch (c) {
    case 'O': return 0;
    case 'I':
    case 'L': return 1;
    case 'U': return -1;
    default: break;
    }
    for (int i = 0; i < kN; ++i)
        if (kAlphabet[i] == c) return i;
    return -1;
}

// Luhn mod N: doubling every second symbol from the right detects all single substitutions
// and all transpositions of adjacent symbols except one pair.
int check_value(const int *v, size_t n) {
    int sum = 0, factor = 2;
    for (size_t i = n; i-- > 0;) {
        int addend = factor * v[i];
        addend = addend / kN + addend % kN;
        sum += addend;
        factor = factor == 2 ? 1 : 2;
    }
    return (kN - sum % kN) % kN;
}

} // namespace

std::string make_ticket(std::uint32_t random30) {
    int v[kTicketLength - 1];
    std::string out;
    for (size_t i = 0; i < kTicketLength - 1; ++i) {
        v[kTicketLength - 2 - i] = static_cast<int>(random30 % kN);
        random30 /= kN;
    }
    for (int x : v) out += kAlphabet[x];
    out += kAlphabet[check_value(v, kTicketLength - 1)];
    return out;
}

std::string random_ticket() {
    static thread_local std::mt19937 gen{std::random_device{}()};
    return make_ticket(static_cast<std::uint32_t>(gen() & ((1u << 30) - 1)));
}

bool is_ticket_char(char c) { return value_of(c) >= 0; }

std::optional<std::string> parse_ticket(std::string_view typed) {
    int v[kTicketLength];
    size_t n = 0;
    for (char c : typed) {
        if (c == ' ' || c == '-' || c == '.') continue;
        const int x = value_of(c);
        if (x < 0 || n == kTicketLength) return std::nullopt;
        v[n++] = x;
    }
    if (n != kTicketLength) return std::nullopt;
    if (check_value(v, kTicketLength - 1) != v[kTicketLength - 1]) return std::nullopt;
    std::string out;
    for (size_t i = 0; i < kTicketLength; ++i) out += kAlphabet[v[i]];
    return out;
}

} // namespace wadul
