// A small page-layout engine over Cairo and Pango: A4 pages filled top to bottom, wrapped text,
// tables whose rows break across pages with the header repeated, and a footer per page that
// knows the page count (the document is laid out twice: once to count, once to draw).
#pragma once

#ifdef WADUL_HAVE_PDF

#include <functional>
#include <string>
#include <vector>

typedef struct _cairo cairo_t;
typedef struct _cairo_surface cairo_surface_t;
typedef struct _PangoContext PangoContext;

namespace wadul {

struct Rgb {
    double r = 0, g = 0, b = 0;
};

enum class Align { Left, Center, Right };

struct TextStyle {
    std::string font = "Liberation Sans,DejaVu Sans 9"; // a Pango font description
    Rgb color{0.1, 0.1, 0.1};
    Align align = Align::Left;
    bool ellipsize = false; // one line, cut with "…", instead of wrapping
};

struct TableColumn {
    std::string head; // Pango markup
    double width;     // points
    Align align = Align::Left;
};

struct TableRow {
    std::vector<std::string> cells; // Pango markup
    bool emphasis = false;          // a totals row: bold on a tinted band
};

class Page {
public:
    static constexpr double kWidth = 595.28, kHeight = 841.89; // A4 in points
    static constexpr double kLeft = 56.69, kRight = 56.69, kTop = 42.52, kBottom = 62.36;
    static constexpr double kContent = kWidth - kLeft - kRight;

    // `footer(page, total)` and `header(page)` draw the running parts of each page.
    Page(cairo_surface_t *surface, int total_pages, std::function<void(Page &, int, int)> footer,
         std::function<void(Page &, int)> header);
    ~Page();
    Page(const Page &) = delete;
    Page &operator=(const Page &) = delete;

    cairo_t *cr() { return cr_; }
    double y() const { return y_; }
    void set_y(double y) { y_ = y; }
    void skip(double dy) { y_ += dy; }
    int page() const { return page_; }
    int total() const { return total_; }
    double bottom() const { return kHeight - kBottom; }

    // Starts a new page when less than `h` points are left.
    void need(double h);
    void new_page();
    // Finishes the last page (its footer); returns the number of pages.
    int finish();

    // Draws `markup` at (x, y) within `width`; returns its height. Nothing is drawn when `draw` is false.
    double text_at(double x, double y, double width, const std::string &markup, const TextStyle &s, bool draw = true);
    // Draws a paragraph at the cursor, breaking the page before it when it does not fit.
    void paragraph(const std::string &markup, const TextStyle &s, double space_after = 4);
    // A table at the cursor; the header row is drawn again at the top of every page it continues on.
    void table(const std::vector<TableColumn> &cols, const std::vector<TableRow> &rows, const TextStyle &body,
               const TextStyle &head);

    void rect(double x, double y, double w, double h, Rgb fill);
    void line(double x0, double y0, double x1, double y1, double width, Rgb color);

private:
    cairo_t *cr_;
    PangoContext *pango_;
    int total_;
    int page_ = 1;
    double y_ = kTop;
    bool finished_ = false;
    std::function<void(Page &, int, int)> footer_;
    std::function<void(Page &, int)> header_;
};

// "&", "<" and ">" escaped for Pango markup.
std::string markup_escape(const std::string &s);

} // namespace wadul

#endif
