// The effective configuration: compiled defaults < wadul.toml < WADUL_* environment < flags.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace wadul {

struct OfficeHours {
    int open = 0;  // minutes after midnight, WIB; open == close means closed all day
    int close = 0;
};

struct Config {
    struct {
        std::string path;
        int busy_timeout_ms = 5000;
    } store;
    struct {
        std::string gammurc;    // an existing gammu config file; empty: inline device below
        int section = 0;        // [gammu] = 0, [gammu1] = 1, ...
        std::string device;     // inline alternative to gammurc
        std::string connection;
        std::string model;
        std::string lock;       // lock file serialising every use of the modem
        int multipart_timeout = 600; // seconds to wait for the missing parts of a long SMS
        std::string debug_log;  // libgammu debug log (logformat textall) for diagnosis; empty: none
    } modem;
    struct {
        std::string path;
    } registry;
    struct {
        bool syslog = true;
        std::string facility = "daemon";
    } log;
    struct {
        double threshold = 0.5;     // confidence below which a complaint goes to triage
        bool learn = true;          // learn from confirmed assignments
        int min_samples = 100;      // confirmed complaints a learned model needs before it is used
        int retrain_every = 60;     // minutes at least between retrainings from the store (0: each run)
    } route;
    struct {
        bool mask_citizen = true;   // officers see the citizen's number masked
        bool notify_head = true;    // the head of agency gets each forwarded complaint too
        bool approval = true;       // answers need SETUJU from the head (SOP step 6)
        bool implicit_ticket = true; // a reply with no ticket means the officer's one open complaint
        int followup_window_days = 7; // a citizen's further SMS joins their open complaint
        int max_attempts = 5;
        int retry_seconds = 60;     // first retry delay; doubles each attempt
        int rate_per_minute = 20;
        int lease_seconds = 300;
        int max_parts = 10;         // longest outbound SMS, in parts (10 UCS-2 parts: 670 characters)
    } forward;
    struct {
        // Spool directories of the web portal (Website Wadul Bupati); "" turns a direction off.
        std::string inbox;          // *.json complaints the portal drops; wadul-fetch imports them
        std::string outbox;         // <ticket>.json answers wadul-forward writes for the portal
    } portal;
    std::map<std::string, std::string> templates; // name → Indonesian text with {placeholders}
    struct {
        OfficeHours hours[7];       // index 0 = Sunday, WIB
        std::vector<std::string> holiday_files;
        std::vector<std::string> local_holidays; // "2026-07-25" or "2026-07-25 Hari Jadi Rembang"
        int disposition_minutes = 30;
        double review_days = 2, answer_days = 1, approval_days = 1, followup_days = 1;
        double triage_days = 1;
        double reminder_at = 0.5;   // fraction of the stage's time after which the officer is reminded
        int repeat_minutes = 240;   // working minutes between repeats of the top escalation step
        bool pause_on_citizen = true;
        std::vector<std::string> admin_phones; // the admin portal's numbers, top of the ladder
    } sla;
    struct {
        std::string out_dir = ".";
        std::string office = "Dinas Komunikasi dan Informatika";
        std::string signatory;      // name printed under the report, optional
    } report;

    // Where each key's value came from: "default", "FILE:LINE", "env WADUL_…", "--flag".
    std::map<std::string, std::string> origin;
    std::string file; // the config file read, empty when none
};

// Compiled defaults only.
Config default_config();

// Builds the effective configuration. `explicit_file` (from -c/--config) or WADUL_CONFIG replaces
// the system file, and then must exist; the system file is optional. Throws Error(kExitConfig)
// naming FILE:LINE:COLUMN for syntax errors, unknown keys and bad values.
Config load_config(const std::string &explicit_file);

// Applies one "section.key=value" override (a flag) with its origin; throws like load_config.
void set_config_value(Config &cfg, const std::string &key, const std::string &value, const std::string &origin);

// Every key as "section.key = value  # origin", in file order, for --show-config.
std::string show_config(const Config &cfg);

// Template names and the placeholders each may use; load_config rejects any other placeholder.
const std::map<std::string, std::vector<std::string>> &template_placeholders();
// Fills {name} placeholders of a template; unknown names are left as written.
std::string render_template(const std::string &tmpl, const std::map<std::string, std::string> &values);

} // namespace wadul
