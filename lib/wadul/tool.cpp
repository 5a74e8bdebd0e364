#include "wadul/tool.hpp"

#include <cctype>
#include <cstdio>
#include <unistd.h>

#include "wadul/error.hpp"
#include "wadul/registry.hpp"

#ifndef WADUL_VERSION
#define WADUL_VERSION "0"
#endif

namespace wadul {

Context::Context(std::string tool, const CommonOptions &opts)
    : cfg(load_config(opts.config_file)), log(std::move(tool), opts.verbose, opts.quiet), now_(wadul::now()),
      sync_registry_(opts.sync_registry) {
    if (!opts.store_path.empty()) set_config_value(cfg, "store.path", opts.store_path, "--store");
    if (cfg.log.syslog) log.open_syslog(cfg.log.facility);
}

Db &Context::store() { return open_store(true); }
Db &Context::existing_store() { return open_store(false); }

Db &Context::open_store(bool create) {
    if (db_) return *db_;
    db_.emplace(Db::open(cfg.store.path, cfg.store.busy_timeout_ms, create));
    // Every tool sees the registry as the file says now: a new officer's first reply is theirs.
    if (sync_registry_ && !cfg.registry.path.empty()) {
        if (::access(cfg.registry.path.c_str(), F_OK) != 0) {
            log.warn("registry '{}' not found; using the agencies and officers already in the store",
                     cfg.registry.path);
        } else {
            // A typo in the registry must not stop SMS intake, sending and deadlines: the runs go
            // on with what the store holds, and say why at every run until the file is fixed.
            const RegistrySync r = sync_registry(*db_, cfg.registry.path, now_, true);
            if (!r.file_error.empty())
                log.warn("registry not loaded: {}; using the agencies and officers already in the store until it "
                         "is fixed (check it with 'wadul-route check-registry')",
                         r.file_error);
            if (r.changed)
                log.info("registry '{}' loaded: {} agencies added, {} updated, {} retired; {} officers started, {} ended",
                         cfg.registry.path, r.agencies_added, r.agencies_updated, r.agencies_retired,
                         r.officers_started, r.officers_ended);
        }
    }
    return *db_;
}

void add_common_options(CLI::App &app, CommonOptions &opts) {
    app.add_option("-c,--config", opts.config_file, "Read FILE instead of /etc/wadul/wadul.toml (also WADUL_CONFIG)")
        ->option_text("FILE");
    app.add_option("--store", opts.store_path, "Use the store at PATH (overrides store.path)")->option_text("PATH");
    app.add_flag("-v,--verbose", opts.verbose, "Report progress on stderr (twice: debug)");
    app.add_flag("-q,--quiet", opts.quiet, "Do not print warnings");
    app.add_flag("--show-config", opts.show_config, "Print the effective configuration with each value's origin");
    app.set_version_flag("--version", std::string("wadul ") + WADUL_VERSION);
    // Subcommands (created after this, so they inherit it) take these options too, in any place:
    // "wadul-report complaints --store X" as well as "wadul-report --store X complaints".
    app.fallthrough();
}

int run_tool(CLI::App &app, int argc, char **argv, CommonOptions &opts, const std::function<int(Context &)> &body) {
    const std::string name = app.get_name();
    // What was printed must have reached stdout: "--help >/dev/full" is no success.
    auto flushed = [&name](int rc) -> int {
        if (std::fflush(stdout) == 0 && !std::ferror(stdout)) return rc;
        std::fprintf(stderr, "%s: error: cannot write to standard output\n", name.c_str());
        return kExitIoErr;
    };
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp &e) {
        return flushed(app.exit(e));
    } catch (const CLI::CallForAllHelp &e) {
        return flushed(app.exit(e));
    } catch (const CLI::CallForVersion &e) {
        return flushed(app.exit(e));
    } catch (const CLI::ParseError &e) {
        // CLI11 capitalises its messages; ours are lower case after "error:", as in the rest.
        std::string what = e.what();
        if (what.size() > 1 && std::isupper(static_cast<unsigned char>(what[0])) &&
            !std::isupper(static_cast<unsigned char>(what[1])))
            what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
        std::fprintf(stderr, "%s: error: %s\n", name.c_str(), what.c_str());
        std::fprintf(stderr, "Try '%s --help' for more information.\n", name.c_str());
        return kExitUsage;
    }
    std::optional<Context> ctx;
    // Once the context exists, failures also go to syslog: cron's mail is not the only record.
    auto report = [&](const std::string &msg) {
        if (ctx) ctx->log.error("{}", msg);
        else std::fprintf(stderr, "%s: error: %s\n", name.c_str(), msg.c_str());
    };
    try {
        ctx.emplace(name, opts);
        if (opts.show_config) {
            std::fputs(show_config(ctx->cfg).c_str(), stdout);
            return flushed(kExitOk);
        }
        const int rc = body(*ctx);
        std::fflush(stdout);
        if (std::ferror(stdout)) {
            report("cannot write to standard output");
            return kExitIoErr;
        }
        return rc;
    } catch (const Error &e) {
        report(e.what());
        return e.code();
    } catch (const std::bad_alloc &) {
        report("out of memory");
        return kExitSoftware;
    } catch (const std::exception &e) {
        report(std::string("internal error: ") + e.what());
        return kExitSoftware;
    }
}

} // namespace wadul
