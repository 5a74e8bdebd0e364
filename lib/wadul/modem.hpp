// The GSM modem through libgammu: the one Transport wadul ships.
#pragma once

#include <string>

#include "wadul/config.hpp"
#include "wadul/transport.hpp"

typedef struct _GSM_StateMachine GSM_StateMachine;

namespace wadul {

class GammuModem : public Transport {
public:
    // Connects to the modem that cfg.modem describes: modem.device (with connection and model) when
    // set, else section modem.section of the gammurc file modem.gammurc. Throws Error(kExitConfig)
    // for a missing or wrong gammurc or a connection or model libgammu cannot use (naming the key),
    // Error(kExitCantCreate or kExitNoPerm) when the debug log cannot be opened, and
    // Error(kExitUnavailable) when the modem cannot be opened.
    explicit GammuModem(const Config &cfg);
    ~GammuModem() override;
    GammuModem(const GammuModem &) = delete;
    GammuModem &operator=(const GammuModem &) = delete;

    // Parts libgammu cannot read (ERR_CORRUPTED from a modem, an unparsable file on the dummy
    // phone, an entry without a sender) go to `unreadable` and the scan goes on past them.
    // Errors of the connection itself throw Error(kExitUnavailable).
    void scan_inbox(const std::function<bool(const InboxPart &)> &part,
                    const std::function<void(const UnreadablePart &)> &unreadable) override;
    // `location` is the one scan_inbox reported; as in libgammu, it encodes the folder too.
    bool remove(int folder, int location) override;
    SendResult send(const std::string &recipient, const std::string &utf8, int max_parts) override;

    // What the connection was opened on, for messages.
    const std::string &device() const { return device_; }

private:
    GSM_StateMachine *sm_ = nullptr;
    std::string device_;
    int send_status_ = -1; // -1 pending; set by libgammu's send-status callback
    static void on_sent(GSM_StateMachine *sm, int status, int reference, void *self);
};

} // namespace wadul
