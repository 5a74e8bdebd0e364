// The shared runner every tools/wadul-*.cpp main hands over to: common options, config, store,
// and the mapping of errors to exit codes.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "wadul/clock.hpp"
#include "wadul/config.hpp"
#include "wadul/log.hpp"
#include "wadul/store.hpp"

namespace wadul {

struct CommonOptions {
    std::string config_file;
    std::string store_path; // --store overrides store.path
    int verbose = 0;
    bool quiet = false;
    bool show_config = false;
    // Tools that only read the store (wadul-report) leave the registry file alone.
    bool sync_registry = true;
};

class Context {
public:
    Context(std::string tool, const CommonOptions &opts);
    Config cfg;
    Log log;
    // The store, opened (and migrated) on first use; created when missing. Only the runs that own
    // the complaints' transitions (cron modes, admin commands) use this.
    Db &store();
    // The same store for read-only views: a missing file is an error (kExitNoInput naming it), so
    // a mistyped --store never reads as an empty, all-fine store.
    Db &existing_store();
    // The current time (WADUL_NOW or the system clock), fixed for the whole run.
    Timestamp now() const { return now_; }

private:
    Db &open_store(bool create);
    std::optional<Db> db_;
    Timestamp now_;
    bool sync_registry_;
};

// Declares -c/--config, --store, -v/--verbose, -q/--quiet, --show-config and --version.
void add_common_options(CLI::App &app, CommonOptions &opts);

// Parses argv, builds the Context and runs `body`; returns the process exit code:
// 0 ok, 64 usage, Error::code() for failures, 70 for anything unexpected. Prints diagnostics
// as "TOOL: error: ...".
int run_tool(CLI::App &app, int argc, char **argv, CommonOptions &opts,
             const std::function<int(Context &)> &body);

} // namespace wadul
