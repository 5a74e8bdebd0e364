// The one JSON string escaper the tools' JSON output shares.
#include <doctest/doctest.h>

#include <string>

#include "wadul/json.hpp"

using namespace wadul;

TEST_CASE("json_quote escapes what JSON requires and keeps UTF-8") {
    CHECK(json_quote("") == "\"\"");
    CHECK(json_quote("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(json_quote("l1\nl2\r\t") == "\"l1\\nl2\\r\\t\"");
    CHECK(json_quote(std::string("x\x01y", 3)) == "\"x\\u0001y\"");
    CHECK(json_quote("Jalan rusak di Sluke — tolong 🙏") == "\"Jalan rusak di Sluke — tolong 🙏\"");
    // A stray byte from a broken SMS decode must not make the whole listing fail.
    CHECK(json_quote("a\xff" "b") == "\"a\xef\xbf\xbd" "b\"");
}
