// The registry of agencies (OPD and vertical institutions) and their liaison officers, loaded from
// agencies.toml into the store, keeping the history of who held which post when.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "wadul/clock.hpp"

namespace wadul {

class Db;

struct RegistryOfficer {
    std::string name, phone, role, letter; // phone normalised to +62…
    int line = 0;
};

struct RegistryAgency {
    std::string code, name, kind;
    std::vector<std::string> duties;
    std::vector<RegistryOfficer> officers;
    int line = 0;
};

// Parses and validates a registry file; Error(kExitConfig) naming FILE:LINE:COLUMN for syntax
// errors, unknown keys, a missing field, a bad or duplicate phone number, an unknown role or kind,
// a duplicate agency code. Error(kExitNoInput) when the file is missing.
std::vector<RegistryAgency> parse_registry(const std::string &path);

// What a valid registry still lacks for the SOP, one "FILE:LINE: ..." line each: an agency with no
// liaison officer, an agency with no head while `approval` (forward.approval) is on (its answers
// would go out without the head's SETUJU), an officer without the number of their Surat Tugas.
std::vector<std::string> registry_warnings(const std::string &path, const std::vector<RegistryAgency> &agencies,
                                           bool approval);

struct RegistrySync {
    bool changed = false; // false: the file is what the store already holds
    int agencies_added = 0, agencies_updated = 0, agencies_retired = 0;
    int officers_started = 0, officers_ended = 0;
    // With `keep_on_bad_file`: why the file was not loaded (it cannot be read, or is invalid:
    // the message names FILE:LINE:COLUMN); empty when it was loaded or unchanged.
    std::string file_error;
};

// Loads the file into the store when its content differs from what was loaded last, in one
// transaction: agencies are upserted by code (absent ones marked inactive, never deleted);
// an officer post (agency, role, phone) that disappears is closed with valid_to = now, a new one
// opens with valid_from = now. Nothing is half-applied: a bad file changes nothing. A file that
// cannot be read or is invalid throws, or with `keep_on_bad_file` is reported in `file_error`
// with the store left as it was (the pipeline keeps running on the registry it had).
RegistrySync sync_registry(Db &db, const std::string &path, Timestamp now, bool keep_on_bad_file = false);

// The officer currently registered with this +62 number, if any.
struct OfficerRef {
    std::int64_t id, agency_id;
    std::string name, role, agency_code;
};
std::optional<OfficerRef> find_officer(Db &db, const std::string &phone);

// For a filter given on the command line (--agency CODE): the agency's code as the store has it,
// matched in any case ("dinkominfo" is DINKOMINFO, as wadul-route assign takes it);
// Error(kExitUsage) when no agency has it, so that a typo never reads as an empty, all-well listing.
std::string require_agency_code(Db &db, const std::string &code);

} // namespace wadul
