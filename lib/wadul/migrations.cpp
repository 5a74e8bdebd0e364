// Ordered schema migrations. Append a step, never edit one that has shipped: stores in the field
// are at every version. PRAGMA user_version holds the number of steps applied.
#include <fmt/format.h>

#include "wadul/error.hpp"
#include "wadul/store.hpp"

namespace wadul {

namespace {

const char *const kMigrations[] = {
    // 1: the whole model of the SOP.
    R"sql(
CREATE TABLE agency (
  id        INTEGER PRIMARY KEY,
  code      TEXT NOT NULL UNIQUE,
  name      TEXT NOT NULL,
  kind      TEXT NOT NULL CHECK (kind IN ('opd', 'vertical')),
  duties    TEXT NOT NULL DEFAULT '',          -- duty phrases (tupoksi), one per line
  active    INTEGER NOT NULL DEFAULT 1
);

-- Liaison officers (Pejabat Penghubung) and heads of agency, with history: a row is closed
-- (valid_to set) when the person leaves the post, never deleted.
CREATE TABLE officer (
  id         INTEGER PRIMARY KEY,
  agency_id  INTEGER NOT NULL REFERENCES agency(id),
  name       TEXT NOT NULL,
  phone      TEXT NOT NULL,                    -- +62...
  role       TEXT NOT NULL CHECK (role IN ('liaison', 'head')),
  letter     TEXT,                             -- Surat Tugas number
  valid_from INTEGER NOT NULL,
  valid_to   INTEGER
);
CREATE UNIQUE INDEX officer_current_phone ON officer(phone) WHERE valid_to IS NULL;
CREATE INDEX officer_agency ON officer(agency_id, valid_from);

CREATE TABLE registry_state (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  path      TEXT NOT NULL,
  digest    TEXT NOT NULL,
  loaded_at INTEGER NOT NULL
);

-- Every SMS part taken off the modem, as received. `fingerprint` recognises a part read again
-- after a crash between commit and delete.
CREATE TABLE sms_part (
  id          INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL UNIQUE,
  sender      TEXT NOT NULL,
  smsc_time   INTEGER NOT NULL,
  fetched_at  INTEGER NOT NULL,
  coding      TEXT NOT NULL,
  concat_ref  INTEGER,                         -- NULL for a single SMS
  part_no     INTEGER NOT NULL DEFAULT 1,
  part_count  INTEGER NOT NULL DEFAULT 1,
  ucs2        BLOB NOT NULL,                   -- the part's text, UTF-16BE
  inbound_id  INTEGER REFERENCES inbound(id)   -- set once assembled into a message
);
CREATE INDEX sms_part_pending ON sms_part(sender, concat_ref, part_count) WHERE inbound_id IS NULL;
CREATE INDEX sms_part_pending_time ON sms_part(smsc_time, id) WHERE inbound_id IS NULL;

-- Parts libgammu could not read: set aside and logged, never blocking the rest.
CREATE TABLE sms_setaside (
  id        INTEGER PRIMARY KEY,
  folder    INTEGER NOT NULL,
  location  INTEGER NOT NULL,
  error     TEXT NOT NULL,
  first_at  INTEGER NOT NULL,
  last_at   INTEGER NOT NULL,
  UNIQUE (folder, location)
);

-- One assembled SMS: a citizen's complaint or further message, or an officer's reply.
CREATE TABLE inbound (
  id           INTEGER PRIMARY KEY,
  sender       TEXT NOT NULL,
  sent_at      INTEGER NOT NULL,
  received_at  INTEGER NOT NULL,
  text         TEXT NOT NULL,
  parts        INTEGER NOT NULL,
  complete     INTEGER NOT NULL DEFAULT 1,     -- 0: parts still missing after the timeout
  kind         TEXT NOT NULL CHECK (kind IN ('citizen', 'officer')),
  officer_id   INTEGER REFERENCES officer(id),
  complaint_id INTEGER REFERENCES complaint(id),
  handled_at   INTEGER                         -- when wadul-forward acted on it
);
CREATE INDEX inbound_unhandled ON inbound(kind, id) WHERE handled_at IS NULL;
CREATE INDEX inbound_sender ON inbound(sender, received_at);

CREATE TABLE complaint (
  id            INTEGER PRIMARY KEY,
  ticket        TEXT NOT NULL UNIQUE,
  source        TEXT NOT NULL CHECK (source IN ('sms', 'web')),
  reporter      TEXT NOT NULL,                 -- +62... number, or the web portal's account
  reporter_name TEXT,
  confidential  INTEGER NOT NULL DEFAULT 0,
  text          TEXT NOT NULL,
  received_at   INTEGER NOT NULL,
  status        TEXT NOT NULL DEFAULT 'received'
                CHECK (status IN ('received', 'triage', 'routed', 'forwarded', 'accepted', 'answered',
                                  'approved', 'closed')),
  agency_id     INTEGER REFERENCES agency(id),
  updated_at    INTEGER NOT NULL,
  external_id   TEXT,                          -- web portal or LAPOR! SP4N reference
  inbound_id    INTEGER REFERENCES inbound(id)
);
CREATE INDEX complaint_status ON complaint(status, agency_id);
CREATE INDEX complaint_received ON complaint(received_at);
CREATE INDEX complaint_reporter ON complaint(reporter, received_at);
CREATE UNIQUE INDEX complaint_external ON complaint(source, external_id) WHERE external_id IS NOT NULL;

-- The audit trail, append-only: every stage, report and deadline is derived from it.
-- actor: 'system', 'admin:NAME', or the +62 number of the officer or citizen who acted.
CREATE TABLE event (
  id           INTEGER PRIMARY KEY,
  complaint_id INTEGER REFERENCES complaint(id),  -- NULL for events about no complaint
  at           INTEGER NOT NULL,
  kind         TEXT NOT NULL,
  actor        TEXT NOT NULL,
  agency_id    INTEGER REFERENCES agency(id),
  officer_id   INTEGER REFERENCES officer(id),
  detail       TEXT
);
CREATE INDEX event_complaint ON event(complaint_id, at);
CREATE INDEX event_kind_at ON event(kind, at);
CREATE TRIGGER event_append_only_update BEFORE UPDATE ON event
  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER event_append_only_delete BEFORE DELETE ON event
  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;

-- The outbound queue. `dedupe` is the natural key that makes queueing idempotent.
CREATE TABLE outbound (
  id              INTEGER PRIMARY KEY,
  recipient       TEXT NOT NULL,
  text            TEXT NOT NULL,
  purpose         TEXT NOT NULL,
  complaint_id    INTEGER REFERENCES complaint(id),
  dedupe          TEXT UNIQUE,
  created_at      INTEGER NOT NULL,
  status          TEXT NOT NULL DEFAULT 'queued'
                  CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'unknown')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until     INTEGER,
  sent_at         INTEGER,
  parts           INTEGER,
  last_error      TEXT
);
CREATE INDEX outbound_due ON outbound(status, next_attempt_at);

-- The router's learned model.
CREATE TABLE route_model (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  trained_at INTEGER NOT NULL,
  samples    INTEGER NOT NULL,
  data       BLOB NOT NULL
);
)sql",
    // 2: a message wadul chose not to send (stale, superseded) is `cancelled`, not `failed`: the
    // sysadmin's list of failures is the modem's and the network's only. SQLite cannot change a
    // CHECK in place, so the table is rebuilt (nothing references it) and the rows copied.
    R"sql(
CREATE TABLE outbound_v2 (
  id              INTEGER PRIMARY KEY,
  recipient       TEXT NOT NULL,
  text            TEXT NOT NULL,
  purpose         TEXT NOT NULL,
  complaint_id    INTEGER REFERENCES complaint(id),
  dedupe          TEXT UNIQUE,
  created_at      INTEGER NOT NULL,
  status          TEXT NOT NULL DEFAULT 'queued'
                  CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'unknown', 'cancelled')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until     INTEGER,
  sent_at         INTEGER,
  parts           INTEGER,
  last_error      TEXT
);
INSERT INTO outbound_v2 SELECT id, recipient, text, purpose, complaint_id, dedupe, created_at,
  CASE WHEN status = 'failed' AND (last_error LIKE 'stale: %' OR last_error LIKE 'superseded: %')
       THEN 'cancelled' ELSE status END,
  attempts, next_attempt_at, lease_until, sent_at, parts, last_error FROM outbound;
DROP TABLE outbound;
ALTER TABLE outbound_v2 RENAME TO outbound;
CREATE INDEX outbound_due ON outbound(status, next_attempt_at);
)sql",
};

constexpr int kCount = static_cast<int>(sizeof kMigrations / sizeof kMigrations[0]);

} // namespace

int latest_schema_version() { return kCount; }

void migrate(Db &db, int target) {
    if (target < 0 || target > kCount) throw Error(kExitSoftware, fmt::format("no schema version {}", target));
    int current = db.schema_version();
    if (current > kCount)
        throw Error(kExitConfig,
                    fmt::format("the store is at schema version {}, newer than this wadul (version {}); "
                                "upgrade wadul, never downgrade a store",
                                current, kCount));
    if (current >= target) return;
    Tx tx(db);
    current = db.schema_version(); // another process may have migrated while we waited
    if (current >= target) return;
    for (int v = current; v < target; ++v) db.exec(kMigrations[v]);
    db.exec(fmt::format("PRAGMA user_version={}", target));
    tx.commit();
}

} // namespace wadul
