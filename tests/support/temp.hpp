// Temporary files and directories for the unit tests, removed when they go out of scope.
#pragma once

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <unistd.h>

namespace wadul::test {

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string t = (std::filesystem::temp_directory_path() / "wadul-test-XXXXXX").string();
        if (!mkdtemp(t.data())) throw std::runtime_error("cannot create a temporary directory");
        path = t;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    std::string file(const std::string &name) const { return (path / name).string(); }
};

struct TempFile {
    std::string path;
    explicit TempFile(const std::string &text = "") {
        std::string t = (std::filesystem::temp_directory_path() / "wadul-test-XXXXXX").string();
        const int fd = mkstemp(t.data());
        if (fd < 0) throw std::runtime_error("cannot create a temporary file");
        close(fd);
        path = t;
        if (!text.empty()) write(text);
    }
    ~TempFile() { std::remove(path.c_str()); }
    TempFile(const TempFile &) = delete;
    TempFile &operator=(const TempFile &) = delete;
    void write(const std::string &text) const { std::ofstream(path, std::ios::binary | std::ios::trunc) << text; }
};

} // namespace wadul::test
