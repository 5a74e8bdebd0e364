#include <doctest/doctest.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "wadul/error.hpp"
#include "wadul/fileio.hpp"
#include "temp.hpp"

using namespace wadul;
namespace fs = std::filesystem;

namespace {
std::string slurp(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
std::size_t entries(const fs::path &dir) {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}
} // namespace

TEST_CASE("write_file_atomically writes, replaces, and leaves no temporary file") {
    test::TempDir d;
    const std::string path = d.file("a.json");
    write_file_atomically(path, "one\n");
    CHECK(slurp(path) == "one\n");
    write_file_atomically(path, "two\n");
    CHECK(slurp(path) == "two\n");
    CHECK(entries(d.path) == 1);
    write_file_atomically(d.file("empty"), "");
    CHECK(fs::file_size(d.file("empty")) == 0);
}

TEST_CASE("write_file_atomically names what failed and removes its temporary file") {
    test::TempDir d;
    try {
        write_file_atomically(d.file("missing/a.json"), "x");
        FAIL("wrote into a missing directory");
    } catch (const Error &e) {
        CHECK(e.code() == kExitCantCreate);
        CHECK(std::string(e.what()).find("cannot create '" + d.file("missing/.a.json.tmp") + "'") == 0);
    }
    // A directory where the file should go: the rename fails after the write.
    fs::create_directory(d.file("taken"));
    try {
        write_file_atomically(d.file("taken"), "x");
        FAIL("replaced a directory");
    } catch (const Error &e) {
        CHECK(e.code() == kExitCantCreate);
        CHECK(std::string(e.what()).find("cannot rename") == 0);
    }
    CHECK(!fs::exists(d.file(".taken.tmp")));
    CHECK(entries(d.path) == 1);
}

TEST_CASE("permission problems are 77, others keep their code") {
    CHECK(exit_for_errno(EACCES, kExitCantCreate) == kExitNoPerm);
    CHECK(exit_for_errno(EROFS, kExitIoErr) == kExitNoPerm);
    CHECK(exit_for_errno(ENOSPC, kExitIoErr) == kExitIoErr);
}
