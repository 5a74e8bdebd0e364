#include "wadul/report_layout.hpp"

#ifdef WADUL_HAVE_PDF

#include <algorithm>

#include <cairo.h>
#include <pango/pangocairo.h>

namespace wadul {

namespace {

constexpr double kCellPadX = 3.0, kCellPadY = 2.6;
const Rgb kHeadFill{0.12, 0.23, 0.40};
const Rgb kStripe{0.94, 0.95, 0.97};
const Rgb kEmphasisFill{0.85, 0.89, 0.95};
const Rgb kRule{0.70, 0.73, 0.78};

} // namespace

std::string markup_escape(const std::string &s) {
    gchar *e = g_markup_escape_text(s.c_str(), static_cast<gssize>(s.size()));
    std::string out(e);
    g_free(e);
    return out;
}

Page::Page(cairo_surface_t *surface, int total_pages, std::function<void(Page &, int, int)> footer,
           std::function<void(Page &, int)> header)
    : cr_(cairo_create(surface)), total_(total_pages), footer_(std::move(footer)), header_(std::move(header)) {
    // Unhinted metrics: the same layout on every pass and every machine with the same fonts.
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_set_font_options(cr_, fo);
    // One Pango context for the document, at 72 dpi: font sizes are then in points, as on paper.
    pango_ = pango_cairo_create_context(cr_);
    pango_cairo_context_set_resolution(pango_, 72);
    pango_cairo_context_set_font_options(pango_, fo);
    pango_cairo_update_context(cr_, pango_);
    cairo_font_options_destroy(fo);
    if (header_) header_(*this, page_);
}

Page::~Page() {
    g_object_unref(pango_);
    cairo_destroy(cr_);
}

void Page::need(double h) {
    if (y_ + h > bottom()) new_page();
}

void Page::new_page() {
    if (footer_) footer_(*this, page_, total_);
    cairo_show_page(cr_);
    ++page_;
    y_ = kTop;
    if (header_) header_(*this, page_);
}

int Page::finish() {
    if (!finished_) {
        if (footer_) footer_(*this, page_, total_);
        cairo_show_page(cr_);
        finished_ = true;
    }
    return page_;
}

double Page::text_at(double x, double y, double width, const std::string &markup, const TextStyle &s, bool draw) {
    PangoLayout *layout = pango_layout_new(pango_);
    PangoFontDescription *fd = pango_font_description_from_string(s.font.c_str());
    pango_layout_set_font_description(layout, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
    if (s.ellipsize) {
        pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
    } else {
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_alignment(layout, s.align == Align::Left     ? PANGO_ALIGN_LEFT
                                       : s.align == Align::Right ? PANGO_ALIGN_RIGHT
                                                                 : PANGO_ALIGN_CENTER);
    pango_layout_set_markup(layout, markup.c_str(), -1);
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    if (draw) {
        cairo_save(cr_);
        cairo_set_source_rgb(cr_, s.color.r, s.color.g, s.color.b);
        cairo_move_to(cr_, x, y);
        pango_cairo_show_layout(cr_, layout);
        cairo_restore(cr_);
    }
    g_object_unref(layout);
    return static_cast<double>(h) / PANGO_SCALE;
}

void Page::paragraph(const std::string &markup, const TextStyle &s, double space_after) {
    const double h = text_at(kLeft, y_, kContent, markup, s, false);
    need(h);
    text_at(kLeft, y_, kContent, markup, s);
    y_ += h + space_after;
}

void Page::rect(double x, double y, double w, double h, Rgb fill) {
    cairo_set_source_rgb(cr_, fill.r, fill.g, fill.b);
    cairo_rectangle(cr_, x, y, w, h);
    cairo_fill(cr_);
}

void Page::line(double x0, double y0, double x1, double y1, double width, Rgb color) {
    cairo_set_source_rgb(cr_, color.r, color.g, color.b);
    cairo_set_line_width(cr_, width);
    cairo_move_to(cr_, x0, y0);
    cairo_line_to(cr_, x1, y1);
    cairo_stroke(cr_);
}

void Page::table(const std::vector<TableColumn> &cols, const std::vector<TableRow> &rows, const TextStyle &body,
                 const TextStyle &head) {
    double total_w = 0;
    for (const auto &c : cols) total_w += c.width;
    const double x0 = kLeft + (kContent - total_w) / 2;

    auto row_height = [&](const std::vector<std::string> &cells, const TextStyle &st) {
        double h = 0;
        for (size_t i = 0; i < cols.size() && i < cells.size(); ++i)
            h = std::max(h, text_at(0, 0, cols[i].width - 2 * kCellPadX, cells[i], st, false));
        return h + 2 * kCellPadY;
    };
    std::vector<std::string> heads;
    for (const auto &c : cols) heads.push_back(c.head);
    const double head_h = row_height(heads, head);

    auto draw_head = [&] {
        rect(x0, y_, total_w, head_h, kHeadFill);
        double x = x0;
        for (const auto &c : cols) {
            TextStyle st = head;
            st.align = Align::Center;
            const double th = text_at(0, 0, c.width - 2 * kCellPadX, c.head, st, false);
            text_at(x + kCellPadX, y_ + (head_h - th) / 2, c.width - 2 * kCellPadX, c.head, st);
            x += c.width;
        }
        y_ += head_h;
    };

    if (rows.empty()) {
        need(head_h);
        draw_head();
        return;
    }
    need(head_h + row_height(rows[0].cells, body));
    draw_head();
    for (size_t r = 0; r < rows.size(); ++r) {
        TextStyle st = body;
        if (rows[r].emphasis) st.font = body.font.substr(0, body.font.rfind(' ')) + " Bold" +
                                        body.font.substr(body.font.rfind(' '));
        const double h = row_height(rows[r].cells, st);
        if (y_ + h > bottom()) {
            line(x0, y_, x0 + total_w, y_, 0.6, kRule);
            new_page();
            draw_head();
        }
        if (rows[r].emphasis)
            rect(x0, y_, total_w, h, kEmphasisFill);
        else if (r % 2 == 1)
            rect(x0, y_, total_w, h, kStripe);
        double x = x0;
        for (size_t i = 0; i < cols.size() && i < rows[r].cells.size(); ++i) {
            TextStyle cs = st;
            cs.align = cols[i].align;
            text_at(x + kCellPadX, y_ + kCellPadY, cols[i].width - 2 * kCellPadX, rows[r].cells[i], cs);
            x += cols[i].width;
        }
        y_ += h;
        line(x0, y_, x0 + total_w, y_, 0.3, kRule);
    }
    line(x0, y_, x0 + total_w, y_, 0.8, kHeadFill);
}

} // namespace wadul

#endif
