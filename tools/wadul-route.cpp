// wadul-route: routes new complaints to agencies (cron), and the admin portal's routing commands.
#include <cstdio>
#include <cstdlib>
#include <set>
#include <utility>
#include <vector>

#include "wadul/error.hpp"
#include "wadul/registry.hpp"
#include "wadul/route.hpp"
#include "wadul/route_admin.hpp"
#include "wadul/route_eval.hpp"
#include "wadul/tool.hpp"

using namespace wadul;

namespace {

std::string default_admin() {
    for (const char *var : {"SUDO_USER", "USER", "LOGNAME"})
        if (const char *v = std::getenv(var); v && *v) return v;
    return "";
}

void out(const std::string &s) { std::fputs(s.c_str(), stdout); }

} // namespace

int main(int argc, char **argv) {
    CLI::App app{"Route complaints to the agency whose duties they concern, or to the admin's triage queue.\n"
                 "Without a subcommand (the cron job): route every new complaint.",
                 "wadul-route"};
    CommonOptions common;
    add_common_options(app, common);
    app.require_subcommand(0, 1);

    std::string format = "table";
    auto *triage = app.add_subcommand("triage", "List the complaints waiting in the triage queue");
    triage->add_option("--format", format, "table, json or tsv")->check(CLI::IsMember({"table", "json", "tsv"}));

    std::string ticket, agency, by = default_admin(), note;
    auto *assign = app.add_subcommand("assign", "Assign a complaint (in triage or any open one) to an agency");
    auto *reroute = app.add_subcommand("reroute", "Move a complaint already with an agency to another agency");
    for (auto *sub : {assign, reroute}) {
        sub->add_option("TICKET", ticket, "The complaint's ticket")->required();
        sub->add_option("AGENCY", agency, "The agency's code (see 'wadul-route agencies')")->required();
        sub->add_option("--by", by, "The admin's name, recorded as actor admin:NAME (default: $SUDO_USER or $USER)")
            ->option_text("NAME");
        sub->add_option("--note", note, "A note kept in the event log")->option_text("TEXT");
    }

    AdminActRequest act_req;
    act_req.by = by;
    struct ActCommand {
        AdminAct act;
        const char *name, *help, *text_name, *text_help;
        bool text_required;
    };
    const ActCommand act_commands[] = {
        {AdminAct::close, "close", "Close a complaint without an answer (spam, a duplicate, a thank-you, withdrawn)",
         "REASON", "Why it is closed, kept in the event log", true},
        {AdminAct::pause, "pause", "Stop the SLA clock of a complaint while it waits on the citizen", "REASON",
         "What the citizen is asked for, kept in the event log", true},
        {AdminAct::resume, "resume", "Start the SLA clock of a paused complaint again", "NOTE",
         "A note kept in the event log", false},
        {AdminAct::note, "note", "Add a note to a complaint's event log (e.g. its LAPOR! SP4N reference)", "TEXT",
         "The note", true},
    };
    std::vector<std::pair<CLI::App *, AdminAct>> act_subs;
    for (const auto &a : act_commands) {
        auto *sub = app.add_subcommand(a.name, a.help);
        sub->add_option("TICKET", act_req.ticket, "The complaint's ticket")->required();
        auto *t = sub->add_option(a.text_name, act_req.text, a.text_help);
        if (a.text_required) t->required();
        sub->add_option("--by", act_req.by, "The admin's name, recorded as actor admin:NAME (default: $SUDO_USER or $USER)")
            ->option_text("NAME");
        act_subs.emplace_back(sub, a.act);
    }

    std::string csv, text_col = "keluhan", label_col = "instansi_grup";
    auto *train = app.add_subcommand("train", "Train the learner on confirmed complaints, or on a CSV file");
    train->add_option("--csv", csv, "Learn from FILE instead of the store")->option_text("FILE");
    train->add_option("--text-col", text_col, "The CSV column with the complaint text (default keluhan)")
        ->option_text("NAME");
    train->add_option("--label-col", label_col, "The CSV column with the agency code (default instansi_grup)")
        ->option_text("NAME");

    EvalOptions eval_opts;
    std::string eval_format = "text";
    auto *eval = app.add_subcommand("eval", "Train on one CSV and report the learner's quality on another");
    eval->add_option("--train", eval_opts.train_csv, "Training CSV")->option_text("FILE")->required();
    eval->add_option("--test", eval_opts.test_csv, "Test CSV")->option_text("FILE")->required();
    eval->add_option("--text-col", eval_opts.text_col, "Text column (default keluhan)")->option_text("NAME");
    eval->add_option("--label-col", eval_opts.label_col, "Label column (default instansi_grup)")->option_text("NAME");
    eval->add_option("--format", eval_format, "text or json")->check(CLI::IsMember({"text", "json"}));
    eval->add_option("--retrain-every", eval_opts.retrain_days,
                     "Replay the test rows in date order, retraining every DAYS days on the rows before")
        ->option_text("DAYS")
        ->check(CLI::PositiveNumber);
    eval->add_option("--date-col", eval_opts.date_col, "Date column for --retrain-every (default tanggal_keluhan)")
        ->option_text("NAME");

    bool all = false;
    auto *agencies = app.add_subcommand("agencies", "List agencies, their officers in post and duty words");
    agencies->add_option("--format", format, "table, json or tsv")->check(CLI::IsMember({"table", "json", "tsv"}));
    agencies->add_flag("--all", all, "Include retired agencies");

    std::string registry_file;
    auto *check = app.add_subcommand("check-registry", "Validate a registry file without loading it");
    check->add_option("FILE", registry_file, "The file to check (default: registry.path)");

    std::string text;
    auto *explain = app.add_subcommand("explain", "Show how a text would be routed, without storing anything");
    explain->add_option("TEXT", text, "A complaint text")->required();

    return run_tool(app, argc, argv, common, [&](Context &ctx) -> int {
        if (*check) {
            const std::string path = registry_file.empty() ? ctx.cfg.registry.path : registry_file;
            const auto list = parse_registry(path);
            size_t officers = 0;
            for (const auto &a : list) officers += a.officers.size();
            const auto warnings = registry_warnings(path, list, ctx.cfg.forward.approval);
            for (const auto &w : warnings) ctx.log.warn("{}", w);
            out(fmt::format("{}: {} agencies, {} officers{}\n", path, list.size(), officers,
                            warnings.empty() ? "" : fmt::format(", {} warnings", warnings.size())));
            return kExitOk;
        }
        if (*eval) {
            const EvalResult r = evaluate(eval_opts);
            out(eval_format == "json" ? format_eval_json(r) : format_eval_text(r));
            return kExitOk;
        }
        // The views must not create an empty store where a path is mistyped.
        Db &db = *triage || *agencies || *explain ? ctx.existing_store() : ctx.store();
        if (*triage) {
            out(format_triage(triage_queue(db), format));
            return kExitOk;
        }
        if (*assign || *reroute) {
            const AssignResult r = assign_complaint(db, {ticket, agency, by, note, bool(*reroute)}, ctx.now());
            ctx.log.info("{}: {} to {} by admin:{}", r.ticket, *reroute ? "re-routed" : "assigned", r.agency, by);
            if (r.superseded_forwards > 0)
                ctx.log.warn("{}: {} officer(s) of {} already had it; wadul-forward now refuses their replies on it",
                             r.ticket, r.superseded_forwards, r.previous_agency);
            return kExitOk;
        }
        for (const auto &[sub, act] : act_subs) {
            if (!*sub) continue;
            act_req.act = act;
            const AdminActResult r = admin_act(db, act_req, ctx.now());
            ctx.log.info("{}: {} by admin:{} (was {})", r.ticket, admin_act_done(act), act_req.by, r.previous_status);
            if ((act == AdminAct::pause || act == AdminAct::resume) && !ctx.cfg.sla.pause_on_citizen)
                ctx.log.warn("{}: sla.pause_on_citizen is off: the event is recorded, but the SLA clock does not stop",
                             r.ticket);
            return kExitOk;
        }
        if (*train) {
            TrainResult r;
            if (!csv.empty()) {
                const auto samples = read_training_csv(csv, text_col, label_col);
                r = train_and_store(db, samples, ctx.now(), "'" + csv + "'");
                std::set<std::string> labels;
                for (const auto &s : samples) labels.insert(s.second);
                for (const auto &a : list_agencies(db, false)) labels.erase(a.code);
                if (r.stored && !labels.empty())
                    ctx.log.warn("{} of {} labels in '{}' are not agency codes (e.g. '{}'); routing ignores "
                                 "predictions of them",
                                 labels.size(), r.labels, csv, *labels.begin());
            } else {
                r = train_from_store(db, ctx.now());
            }
            if (!r.stored)
                fail(kExitDataErr, "cannot train from {}: {} samples for {} agencies; at least two agencies needed",
                     r.source, r.samples, r.labels);
            out(fmt::format("trained on {} samples, {} agencies, from {}\n", r.samples, r.labels, r.source));
            return kExitOk;
        }
        if (*agencies) {
            out(format_agencies(list_agencies(db, all), format));
            return kExitOk;
        }
        if (*explain) {
            Router router = Router::from_store(db, ctx.cfg.route.min_samples);
            const RouteDecision d = router.decide(text);
            const bool routed = d.agency && d.confidence >= ctx.cfg.route.threshold;
            out(fmt::format("{}\t{}\t{:.2f}\t{}\n", routed ? "routed" : "triage", d.agency.value_or("-"),
                            d.confidence, d.reason));
            return kExitOk;
        }
        const RouteRun r = route_pending(db, ctx.cfg, ctx.now(), ctx.log);
        if (r.routed + r.triaged + r.reread > 0)
            ctx.log.info("{} routed, {} to triage, {} left in triage after reading follow-ups", r.routed, r.triaged,
                         r.reread);
        return kExitOk;
    });
}
