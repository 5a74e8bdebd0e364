#include "wadul/csv.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <csv.h>
#include <exception>

#include "wadul/error.hpp"
#include "wadul/fileio.hpp"

namespace wadul {

namespace {

struct ParseState {
    std::vector<std::string> fields;
    const std::function<void(const std::vector<std::string> &)> *row;
    // An exception from `row` must not unwind through libcsv's C frames: it waits here, and the
    // parse stops at the next chunk, after the file and the parser are released.
    std::exception_ptr error;
};

void on_field(void *data, size_t len, void *state) {
    auto *s = static_cast<ParseState *>(state);
    s->fields.emplace_back(data ? static_cast<const char *>(data) : "", data ? len : 0);
}

void on_record(int, void *state) {
    auto *s = static_cast<ParseState *>(state);
    if (!s->error) {
        try {
            (*s->row)(s->fields);
        } catch (...) {
            s->error = std::current_exception();
        }
    }
    s->fields.clear();
}

} // namespace

void read_csv(const std::string &path, const std::function<void(const std::vector<std::string> &)> &row,
              char separator) {
    std::FILE *f = std::fopen(path.c_str(), "rb");
    if (!f) fail(errno == ENOENT ? kExitNoInput : kExitIoErr, "cannot open '{}': {}", path, errno_text(errno));
    csv_parser p;
    csv_init(&p, CSV_APPEND_NULL);
    csv_set_delim(&p, static_cast<unsigned char>(separator));
    ParseState st{{}, &row, nullptr};
    char buf[1 << 16];
    size_t n;
    bool first = true;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
        size_t skip = 0;
        if (first && n >= 3 && std::memcmp(buf, "\xEF\xBB\xBF", 3) == 0) skip = 3; // a BOM is not data
        first = false;
        if (csv_parse(&p, buf + skip, n - skip, on_field, on_record, &st) != n - skip) {
            const std::string why = csv_strerror(csv_error(&p));
            csv_free(&p);
            std::fclose(f);
            fail(kExitDataErr, "cannot parse '{}': {}", path, why);
        }
        if (st.error) break;
    }
    const bool read_error = std::ferror(f);
    std::fclose(f);
    if (!st.error) csv_fini(&p, on_field, on_record, &st);
    csv_free(&p);
    if (st.error) std::rethrow_exception(st.error);
    if (read_error) fail(kExitIoErr, "cannot read '{}'", path);
}

std::vector<std::vector<std::string>> read_csv_columns(const std::string &path,
                                                       const std::vector<std::string> &columns, char separator) {
    // Excel in an Indonesian locale saves "CSV" with ';': a header that is one field holding a ';'
    // is read again with that separator instead of failing on a missing column.
    struct Semicolons {};
    std::vector<int> index;
    std::vector<std::vector<std::string>> out;
    try {
        read_csv(
            path,
            [&](const std::vector<std::string> &r) {
                if (index.empty()) {
                    for (const auto &c : columns) {
                        int at = -1;
                        for (size_t i = 0; i < r.size(); ++i)
                            if (r[i] == c) at = static_cast<int>(i);
                        if (at < 0 && separator == ',' && r.size() == 1 && r[0].find(';') != std::string::npos)
                            throw Semicolons{};
                        if (at < 0) {
                            std::string have;
                            for (const auto &h : r) have += (have.empty() ? "'" : ", '") + h + "'";
                            fail(kExitDataErr, "'{}' has no column '{}' (its header: {})", path, c, have);
                        }
                        index.push_back(at);
                    }
                    return;
                }
                std::vector<std::string> v;
                v.reserve(index.size());
                for (int i : index) v.push_back(static_cast<size_t>(i) < r.size() ? r[i] : std::string());
                out.push_back(std::move(v));
            },
            separator);
    } catch (const Semicolons &) {
        return read_csv_columns(path, columns, ';');
    }
    if (index.empty()) fail(kExitDataErr, "'{}' is empty: expected a header row", path);
    return out;
}

void CsvWriter::row(const std::vector<std::string> &fields) {
    if (bom_ && out_.empty()) out_ = "\xEF\xBB\xBF";
    for (size_t i = 0; i < fields.size(); ++i) {
        if (i) out_ += sep_;
        const std::string &f = fields[i];
        const bool quote = f.find_first_of(std::string("\"\r\n") + sep_) != std::string::npos ||
                           (!f.empty() && (f.front() == ' ' || f.back() == ' '));
        if (!quote) {
            out_ += f;
            continue;
        }
        // libcsv's csv_write2 quotes and doubles embedded quotes; size it for the worst case.
        std::string buf(f.size() * 2 + 2, '\0');
        const size_t n = csv_write2(buf.data(), buf.size(), f.data(), f.size(), '"');
        out_.append(buf.data(), n);
    }
    out_ += "\r\n";
}

void CsvWriter::save(const std::string &path) const { write_file_atomically(path, out_); }

} // namespace wadul
