// The GSM modem through libgammu: the one Transport wadul ships.
#pragma once

#include <optional>
#include <string>

#include "wadul/config.hpp"
#include "wadul/transport.hpp"

typedef struct _GSM_StateMachine GSM_StateMachine;

namespace wadul {

// What the modem says of itself and its network (wadul-forward modem): each field empty or
// nullopt when the modem does not tell.
struct ModemInfo {
    std::string device, manufacturer, model, firmware, imei;
    // home, roaming, searching, denied, none (not registered), or "" (the modem does not say)
    std::string network;
    std::string network_code, network_name; // "510 10", "Telkomsel"
    std::optional<int> signal_dbm, signal_percent;
    std::optional<int> sim_used, sim_size, phone_used, phone_size; // SMS memory
    // SMS can flow: registered to a home or roaming network, or the modem does not say.
    bool usable() const { return network.empty() || network == "home" || network == "roaming"; }
};

// `format` text (aligned "key  value" lines) or json.
std::string format_modem_info(const ModemInfo &m, const std::string &format);

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

    // Identity, network registration, signal and SMS memory; throws Error(kExitUnavailable) only
    // when the modem stops answering.
    ModemInfo info();
    // What the connection was opened on, for messages.
    const std::string &device() const { return device_; }

private:
    GSM_StateMachine *sm_ = nullptr;
    std::string device_;
    int send_status_ = -1; // -1 pending; set by libgammu's send-status callback
    static void on_sent(GSM_StateMachine *sm, int status, int reference, void *self);
};

} // namespace wadul
