// RFC 4180 CSV, read and written through libcsv (Debian's libcsv-dev).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace wadul {

// Reads a CSV file and calls `row` for every record (the header too), fields unquoted. Fields may
// span lines. Throws Error(kExitNoInput) when the file is missing, kExitDataErr when malformed.
void read_csv(const std::string &path, const std::function<void(const std::vector<std::string> &)> &row,
              char separator = ',');

// Reads a CSV file with a header and returns the columns named, row by row; a missing column is an
// Error(kExitDataErr) naming it and the file.
std::vector<std::vector<std::string>> read_csv_columns(const std::string &path,
                                                       const std::vector<std::string> &columns,
                                                       char separator = ',');

// Writes records as RFC 4180 (CRLF line ends, fields quoted when needed). `excel_id` writes what
// Excel in an Indonesian locale opens directly: ';' separator and a UTF-8 byte-order mark.
class CsvWriter {
public:
    explicit CsvWriter(bool excel_id = false) : sep_(excel_id ? ';' : ','), bom_(excel_id) {}
    void row(const std::vector<std::string> &fields);
    const std::string &str() const { return out_; }
    // Writes the document to `path` with write_file_atomically (fileio.hpp): never half a file.
    void save(const std::string &path) const;

private:
    char sep_;
    bool bom_;
    std::string out_;
};

} // namespace wadul
