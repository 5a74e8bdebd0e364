#include "wadul/modem.hpp"
#include "wadul/modem_part.hpp"

#include <gammu.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "wadul/clock.hpp"
#include "wadul/error.hpp"
#include "wadul/json.hpp"

namespace wadul {

namespace {

// Gammu strings are UTF-16BE with a two-byte terminator; EncodeUTF8/DecodeUTF8 are locale
// independent and keep surrogate pairs, unlike DecodeUnicodeString (static 500-byte buffer).
std::string gammu_to_utf8(const unsigned char *ucs2) {
    std::vector<char> buf(UnicodeLength(ucs2) * 4 + 1, 0);
    EncodeUTF8(buf.data(), ucs2);
    return std::string(buf.data());
}

std::vector<unsigned char> utf8_to_gammu(const std::string &s) {
    std::vector<unsigned char> buf((s.size() + 1) * 2, 0);
    DecodeUTF8(buf.data(), s.data(), s.size());
    return buf;
}

// `units` is the message's Length (0: count up to the first U+0000, as libgammu's own helpers do):
// libgammu's PDU decoder and the dummy phone's file reader both set it, so a U+0000 inside the
// text does not cut it.
std::u16string gammu_to_u16(const unsigned char *ucs2, size_t units, size_t capacity) {
    const size_t n = std::min(std::max(units, static_cast<size_t>(UnicodeLength(ucs2))), capacity);
    std::u16string out(n, u'\0');
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<char16_t>((ucs2[2 * i] << 8) | ucs2[2 * i + 1]);
    while (!out.empty() && out.back() == u'\0') out.pop_back();
    return out;
}

// Gammu's messages end with a full stop; ours go on after them.
std::string gammu_error(GSM_Error e) {
    std::string s = GSM_ErrorString(e);
    while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.pop_back();
    return s;
}

void replace(char *&field, const std::string &value) {
    std::free(field);
    field = strdup(value.c_str());
}

// Errors that concern one stored message rather than the connection: that message is set aside.
bool part_error(GSM_Error e) {
    switch (e) {
    case ERR_CORRUPTED:
    case ERR_FILENOTSUPPORTED:
    case ERR_UNKNOWNRESPONSE:
    case ERR_UNKNOWN:
    case ERR_DATACONVERTED:
    case ERR_WRONGCRC:
        return true;
    default:
        return false;
    }
}

} // namespace

InboxPart inbox_part(const GSM_SMSMessage &m) {
    InboxPart p;
    p.folder = m.Folder;
    p.location = m.Location;
    p.sender = gammu_to_utf8(m.Number);
    const GSM_DateTime &t = m.DateTime;
    if (t.Year > 0) p.smsc_time = from_civil(t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, t.Timezone);
    p.coding = GSM_SMSCodingToString(m.Coding);
    // A part number beyond the count ("part 5 of 2", a broken phone) cannot be placed: the part
    // is read as a message of its own rather than waiting for companions that cannot exist.
    if (m.UDH.Type != UDH_NoUDH && m.UDH.AllParts > 1 && m.UDH.PartNumber >= 1 &&
        m.UDH.PartNumber <= m.UDH.AllParts) {
        // A 16-bit reference is kept apart from the 8-bit ones so the two never meet.
        p.concat_ref = m.UDH.ID16bit >= 0 ? (0x10000 | m.UDH.ID16bit) : m.UDH.ID8bit;
        p.part_no = m.UDH.PartNumber;
        p.part_count = m.UDH.AllParts;
        if (p.concat_ref < 0) p.concat_ref = 0;
    }
    if (m.Coding != SMS_Coding_8bit) {
        // Length counts septets for GSM-7 (an escaped "€" is two), characters only for UCS-2.
        const bool ucs2 = m.Coding == SMS_Coding_Unicode_No_Compression;
        const size_t length = ucs2 && m.Length > 0 ? static_cast<size_t>(m.Length) : 0;
        p.text = gammu_to_u16(m.Text, length, sizeof m.Text / 2 - 1);
    }
    return p;
}

namespace {

// libgammu's errors that mean the configuration names something it cannot use, with the gammurc
// key concerned; nullptr for the others (the modem itself).
const char *config_key(GSM_Error e) {
    switch (e) {
    case ERR_UNKNOWNCONNECTIONTYPESTRING: // a typo
    case ERR_DISABLED:                    // a connection type this libgammu was built without
    case ERR_SOURCENOTAVAILABLE:          // ... or that this system does not have
    case ERR_OTHERCONNECTIONREQUIRED:
        return "connection";
    case ERR_UNKNOWNMODELSTRING:
        return "model";
    case ERR_SPECIFYCHANNEL: // Bluetooth needs the channel in the device
        return "device";
    case ERR_BADFEATURE:
        return "features";
    default:
        return nullptr;
    }
}

// libgammu opens the debug log inside GSM_InitConnection and reports a failure as the modem's
// ("Can not open specified file"); open it first to name the file. Created 0640 (less a stricter
// umask): at logformat textall it shows every SMS sent, number and text.
void check_debug_log(const std::string &path, const std::string &key) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd >= 0) {
        ::close(fd);
        return;
    }
    const int err = errno;
    fail(err == EACCES || err == EPERM ? kExitNoPerm : kExitCantCreate, "cannot open modem debug log '{}' ({}): {}",
         path, key, errno_text(err));
}

constexpr long kMaxScanEntries = 200000; // the dummy phone holds at most 5 x 10,000
constexpr int kSendTimeoutMs = 60000;

} // namespace

GammuModem::GammuModem(const Config &cfg) {
    GSM_InitLocales(nullptr);
    sm_ = GSM_AllocStateMachine();
    if (!sm_) fail(kExitSoftware, "cannot allocate the libgammu state machine");
    GSM_Config *gc = GSM_GetConfig(sm_, 0);
    if (!cfg.modem.device.empty()) {
        const GSM_Error e = GSM_ReadConfig(nullptr, gc, 0); // fills the defaults
        if (e != ERR_USING_DEFAULTS && e != ERR_NONE)
            fail(kExitSoftware, "cannot set up the libgammu configuration: {}", gammu_error(e));
        replace(gc->Device, cfg.modem.device);
        if (!cfg.modem.connection.empty()) replace(gc->Connection, cfg.modem.connection);
        if (!cfg.modem.model.empty()) std::snprintf(gc->Model, sizeof gc->Model, "%s", cfg.modem.model.c_str());
    } else {
        const std::string &rc = cfg.modem.gammurc;
        struct stat st {};
        if (rc.empty() || ::stat(rc.c_str(), &st) != 0)
            fail(kExitConfig, "cannot read gammu config '{}': no such file (set modem.gammurc or modem.device)", rc);
        INI_Section *ini = nullptr;
        GSM_Error e = GSM_FindGammuRC(&ini, rc.c_str());
        if (e != ERR_NONE) fail(kExitConfig, "cannot read gammu config '{}': {}", rc, gammu_error(e));
        e = GSM_ReadConfig(ini, gc, cfg.modem.section);
        INI_Free(ini);
        if (e != ERR_NONE && e != ERR_USING_DEFAULTS) {
            const std::string section = cfg.modem.section ? fmt::format("gammu{}", cfg.modem.section) : "gammu";
            fail(kExitConfig, "cannot read section [{}] of gammu config '{}': {}", section, rc, gammu_error(e));
        }
    }
    // Where a key came from, for messages: wadul.toml's modem.* or the gammurc section.
    const bool inline_config = !cfg.modem.device.empty();
    const auto setting = [&](const char *key, const std::string &value) {
        const std::string v = value.empty() ? "" : fmt::format(" '{}'", value);
        if (inline_config) return fmt::format("modem.{}{}", key, v);
        return fmt::format("{}{} in section [gammu{}] of '{}'", key, v,
                           cfg.modem.section ? std::to_string(cfg.modem.section) : "", cfg.modem.gammurc);
    };
    if (!cfg.modem.debug_log.empty()) {
        replace(gc->DebugFile, cfg.modem.debug_log);
        std::snprintf(gc->DebugLevel, sizeof gc->DebugLevel, "%s", "textall");
        gc->UseGlobalDebugFile = FALSE;
    }
    if (gc->DebugFile && *gc->DebugFile)
        check_debug_log(gc->DebugFile, cfg.modem.debug_log.empty() ? setting("logfile", "") : "modem.debug_log");
    device_ = gc->Device ? gc->Device : "";
    GSM_SetConfigNum(sm_, 1);
    const GSM_Error e = GSM_InitConnection(sm_, 1);
    if (e != ERR_NONE) {
        // A wrong setting is 78, not 69: 69 reads as "modem unplugged, the next run may work".
        const char *key = config_key(e);
        std::string msg = fmt::format("cannot open modem '{}': {}", device_, gammu_error(e));
        if (key) {
            // Read before the state machine (which owns gc) is freed.
            const std::string value = std::strcmp(key, "connection") == 0 ? (gc->Connection ? gc->Connection : "")
                                      : std::strcmp(key, "model") == 0    ? gc->Model
                                      : std::strcmp(key, "device") == 0   ? device_
                                                                          : "";
            msg = fmt::format("cannot open modem '{}': {} is not valid: {}", device_, setting(key, value),
                              gammu_error(e));
        }
        GSM_FreeStateMachine(sm_);
        sm_ = nullptr;
        throw Error(key ? kExitConfig : kExitUnavailable, msg);
    }
    // After init: GSM_InitConnection resets the callbacks, and sending without one crashes.
    GSM_SetSendSMSStatusCallback(sm_, &GammuModem::on_sent, this);
}

GammuModem::~GammuModem() {
    if (!sm_) return;
    if (GSM_IsConnected(sm_)) GSM_TerminateConnection(sm_);
    GSM_FreeStateMachine(sm_);
}

void GammuModem::on_sent(GSM_StateMachine *, int status, int, void *self) {
    static_cast<GammuModem *>(self)->send_status_ = status;
}

void GammuModem::scan_inbox(const std::function<bool(const InboxPart &)> &part,
                            const std::function<void(const UnreadablePart &)> &unreadable) {
    // One MultiSMS (260 KB) reused for the whole scan; parts are handed out one by one.
    std::unique_ptr<GSM_MultiSMSMessage, decltype(&std::free)> msms(
        static_cast<GSM_MultiSMSMessage *>(std::calloc(1, sizeof(GSM_MultiSMSMessage))), &std::free);
    if (!msms) throw std::bad_alloc();
    gboolean start = TRUE;
    int last_bad_folder = -1, last_bad_location = -1;
    for (long entries = 0;; ++entries) {
        if (entries > kMaxScanEntries)
            fail(kExitIoErr, "modem '{}' returned more than {} inbox entries; stopped reading", device_,
                 kMaxScanEntries);
        msms->Number = 0;
        const GSM_Error e = GSM_GetNextSMS(sm_, msms.get(), start);
        start = FALSE;
        if (e == ERR_EMPTY) return;
        if (e != ERR_NONE && !part_error(e))
            fail(kExitUnavailable, "cannot read the inbox of modem '{}': {}", device_, gammu_error(e));
        if (e != ERR_NONE || msms->Number < 1) {
            // The driver leaves the position of the bad entry in SMS[0]; the next call with
            // start=FALSE continues after it. The same position twice means it would not move on
            // (an entry without "Number =" loops forever on the dummy phone otherwise).
            const int folder = msms->SMS[0].Folder, location = msms->SMS[0].Location;
            if (folder == last_bad_folder && location == last_bad_location)
                fail(kExitIoErr, "modem '{}' keeps returning the unreadable entry at folder {} location {}", device_,
                     folder, location);
            last_bad_folder = folder;
            last_bad_location = location;
            unreadable({folder, location,
                        e != ERR_NONE ? gammu_error(e) : "entry without a sender number or text"});
            continue;
        }
        for (int i = 0; i < msms->Number && i < GSM_MAX_MULTI_SMS; ++i) {
            const GSM_SMSMessage &m = msms->SMS[i];
            if (!m.InboxFolder || m.PDU != SMS_Deliver) continue; // sent items, drafts, status reports
            if (!part(inbox_part(m))) return;
        }
        msms->SMS[0].Folder = 0; // as the gammu CLI does: the Location just read encodes the folder
    }
}

bool GammuModem::remove(int, int location) {
    auto m = std::make_unique<GSM_SMSMessage>(); // the driver rewrites Location and Folder
    std::memset(m.get(), 0, sizeof(GSM_SMSMessage));
    m->Folder = 0;
    m->Location = location;
    const GSM_Error e = GSM_DeleteSMS(sm_, m.get());
    if (e == ERR_NONE) return true;
    if (e == ERR_EMPTY) return false;
    fail(kExitUnavailable, "cannot delete SMS at location {} from modem '{}': {}", location, device_,
         gammu_error(e));
}

SendResult GammuModem::send(const std::string &recipient, const std::string &utf8, int max_parts) {
    SendResult r;
    auto text = utf8_to_gammu(utf8);
    GSM_MultiPartSMSInfo info;
    GSM_ClearMultiPartSMSInfo(&info);
    info.Class = -1;
    info.EntriesNum = 1;
    info.UnicodeCoding = FALSE; // AutoText switches to UCS-2 itself when the text needs it
    info.Entries[0].ID = SMS_ConcatenatedAutoTextLong;
    info.Entries[0].Buffer = text.data(); // ours: never GSM_FreeMultiPartSMSInfo it
    std::unique_ptr<GSM_MultiSMSMessage, decltype(&std::free)> msms(
        static_cast<GSM_MultiSMSMessage *>(std::calloc(1, sizeof(GSM_MultiSMSMessage))), &std::free);
    if (!msms) throw std::bad_alloc();
    GSM_Error e = GSM_EncodeMultiPartSMS(GSM_GetDebug(sm_), &info, msms.get());
    if (e != ERR_NONE) {
        r.permanent = true;
        r.error = fmt::format("cannot encode the text: {}", gammu_error(e));
        return r;
    }
    if (msms->Number > max_parts) {
        r.permanent = true;
        r.error = fmt::format("the text needs {} SMS parts, more than the {} allowed (forward.max_parts)",
                              msms->Number, max_parts);
        return r;
    }
    GSM_SMSC smsc;
    std::memset(&smsc, 0, sizeof smsc);
    smsc.Location = 1;
    const bool have_smsc = GSM_GetSMSC(sm_, &smsc) == ERR_NONE;
    const auto number = utf8_to_gammu(recipient);
    for (int i = 0; i < msms->Number; ++i) {
        GSM_SMSMessage &p = msms->SMS[i];
        if (have_smsc) CopyUnicodeString(p.SMSC.Number, smsc.Number);
        else p.SMSC.Location = 1;
        CopyUnicodeString(p.Number, number.data());
        p.PDU = SMS_Submit;
        send_status_ = -1; // before the call: the dummy phone reports from inside GSM_SendSMS
        const auto t0 = std::chrono::steady_clock::now();
        e = GSM_SendSMS(sm_, &p);
        if (e != ERR_NONE) {
            r.error = fmt::format("cannot send part {} of {}: {}", i + 1, msms->Number, gammu_error(e));
            return r;
        }
        while (send_status_ == -1 && std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(kSendTimeoutMs))
            GSM_ReadDevice(sm_, TRUE);
        if (send_status_ != 0) {
            r.error = send_status_ == -1
                          ? fmt::format("no answer from the modem for part {} of {}", i + 1, msms->Number)
                          : fmt::format("the network refused part {} of {} (status {})", i + 1, msms->Number,
                                        send_status_);
            return r;
        }
        r.parts = i + 1;
    }
    r.ok = true;
    return r;
}

namespace {

// A query the modem may not support (ERR_NOTSUPPORTED, ERR_NOTIMPLEMENTED, ...) leaves its field
// unknown; a modem that stopped answering ends the report.
bool answered(GSM_Error e, const std::string &device, const char *what) {
    if (e == ERR_NONE) return true;
    if (e == ERR_TIMEOUT || e == ERR_DEVICENOTWORK || e == ERR_DEVICEREADERROR || e == ERR_DEVICEWRITEERROR ||
        e == ERR_NOTCONNECTED)
        fail(kExitUnavailable, "cannot read the {} of modem '{}': {}", what, device, gammu_error(e));
    return false;
}

std::string trimmed(const char *s) {
    std::string v(s);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\r' || v.back() == '\n')) v.pop_back();
    return v;
}

} // namespace

ModemInfo GammuModem::info() {
    ModemInfo m;
    m.device = device_;
    char buf[GSM_MAX_INFO_LENGTH + 1] = {};
    if (answered(GSM_GetManufacturer(sm_, buf), device_, "manufacturer")) m.manufacturer = trimmed(buf);
    buf[0] = 0;
    if (answered(GSM_GetModel(sm_, buf), device_, "model")) m.model = trimmed(buf);
    char date[GSM_MAX_VERSION_DATE_LENGTH + 1] = {};
    double num = 0;
    buf[0] = 0;
    if (answered(GSM_GetFirmware(sm_, buf, date, &num), device_, "firmware")) m.firmware = trimmed(buf);
    buf[0] = 0;
    if (answered(GSM_GetIMEI(sm_, buf), device_, "IMEI")) m.imei = trimmed(buf);

    GSM_NetworkInfo net;
    std::memset(&net, 0, sizeof net);
    if (answered(GSM_GetNetworkInfo(sm_, &net), device_, "network")) {
        switch (net.State) {
        case GSM_HomeNetwork: m.network = "home"; break;
        case GSM_RoamingNetwork: m.network = "roaming"; break;
        case GSM_RequestingNetwork: m.network = "searching"; break;
        case GSM_RegistrationDenied: m.network = "denied"; break;
        case GSM_NoNetwork: m.network = "none"; break;
        default: break;
        }
        m.network_code = trimmed(net.NetworkCode);
        m.network_name = gammu_to_utf8(net.NetworkName);
        // The modem's own name for the network, or libgammu's table of operators by code.
        if (m.network_name.empty() && !m.network_code.empty()) m.network_name = gammu_to_utf8(GSM_GetNetworkName(net.NetworkCode));
    }
    GSM_SignalQuality sig;
    std::memset(&sig, 0, sizeof sig);
    if (answered(GSM_GetSignalQuality(sm_, &sig), device_, "signal quality")) {
        if (sig.SignalStrength != -1) m.signal_dbm = sig.SignalStrength;
        if (sig.SignalPercent != -1) m.signal_percent = sig.SignalPercent;
    }
    GSM_SMSMemoryStatus mem;
    std::memset(&mem, 0, sizeof mem);
    if (answered(GSM_GetSMSStatus(sm_, &mem), device_, "SMS memory")) {
        m.sim_used = mem.SIMUsed;
        m.sim_size = mem.SIMSize;
        m.phone_used = mem.PhoneUsed;
        m.phone_size = mem.PhoneSize;
    }
    return m;
}

std::string format_modem_info(const ModemInfo &m, const std::string &format) {
    if (format == "json") {
        const auto str = [](const std::string &v) { return v.empty() ? std::string("null") : json_quote(v); };
        const auto jnum = [&](const std::optional<int> &v) { return v ? std::to_string(*v) : std::string("null"); };
        return fmt::format("{{\"device\":{},\"manufacturer\":{},\"model\":{},\"firmware\":{},\"imei\":{},"
                           "\"network\":{{\"state\":{},\"code\":{},\"name\":{}}},"
                           "\"signal\":{{\"dbm\":{},\"percent\":{}}},"
                           "\"sms_memory\":{{\"sim_used\":{},\"sim_size\":{},\"phone_used\":{},\"phone_size\":{}}},"
                           "\"usable\":{}}}\n",
                           str(m.device), str(m.manufacturer), str(m.model), str(m.firmware), str(m.imei),
                           str(m.network), str(m.network_code), str(m.network_name), jnum(m.signal_dbm),
                           jnum(m.signal_percent), jnum(m.sim_used), jnum(m.sim_size), jnum(m.phone_used),
                           jnum(m.phone_size), m.usable() ? "true" : "false");
    }
    const auto or_unknown = [](const std::string &v) { return v.empty() ? std::string("unknown") : v; };
    std::string network = or_unknown(m.network);
    if (!m.network_code.empty() || !m.network_name.empty()) {
        std::string op = m.network_code;
        if (!m.network_name.empty()) op += (op.empty() ? "" : " ") + std::string("(") + m.network_name + ")";
        network += ", " + op;
    }
    std::string signal = "unknown";
    if (m.signal_dbm || m.signal_percent)
        signal = m.signal_dbm && m.signal_percent ? fmt::format("{} dBm, {} %", *m.signal_dbm, *m.signal_percent)
                 : m.signal_dbm                  ? fmt::format("{} dBm", *m.signal_dbm)
                                                 : fmt::format("{} %", *m.signal_percent);
    const auto memory = [&](const std::optional<int> &used, const std::optional<int> &size) {
        if (!used || !size || *size <= 0) return std::string("none");
        return fmt::format("{} of {} used", *used, *size);
    };
    std::string sms = m.sim_used ? fmt::format("SIM {}; phone {}", memory(m.sim_used, m.sim_size),
                                               memory(m.phone_used, m.phone_size))
                                 : std::string("unknown");
    std::string out;
    const auto line = [&](const char *key, const std::string &value) { out += fmt::format("{:<14}{}\n", key, value); };
    line("device", or_unknown(m.device));
    line("manufacturer", or_unknown(m.manufacturer));
    line("model", or_unknown(m.model));
    line("firmware", or_unknown(m.firmware));
    line("imei", or_unknown(m.imei));
    line("network", network);
    line("signal", signal);
    line("sms memory", sms);
    return out;
}

} // namespace wadul
