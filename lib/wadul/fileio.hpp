// Writing files that other programs read: never half a file, and the file still there after a
// power cut once the call returns.
#pragma once

#include <string>

namespace wadul {

// The sysexits code for a failed file operation: 77 (EX_NOPERM) when permissions or a read-only
// file system stood in the way, else `otherwise`.
int exit_for_errno(int err, int otherwise);

// Writes `data` to `path` as a dotfile beside it (".NAME.tmp", which readers of the directory
// skip), fsyncs it, renames it over `path`, and fsyncs the directory. Throws Error: 73 when the
// file cannot be created or renamed, 74 when it cannot be written (77 for permissions); the
// temporary file is removed.
void write_file_atomically(const std::string &path, const std::string &data);

} // namespace wadul
