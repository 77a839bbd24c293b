#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "judge/farm/farm_message.h"
#include "runner/shared/random.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using namespace pyjudge::judge;
namespace fs = std::filesystem;

namespace {

// A folder of files for the jobs, removed at the end.
struct Files {
  fs::path dir = fs::temp_directory_path() / ("pyjudge-farm-msg-" + random_hex(6));
  Files() { fs::create_directories(dir); }
  ~Files() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  Files(const Files&) = delete;
  Files& operator=(const Files&) = delete;
  fs::path write(const std::string& name, const std::string& content) const {
    std::ofstream(dir / name, std::ios::binary) << content;
    return dir / name;
  }
};

FieldViews views(const Fields& f) {
  FieldViews v;
  for (const auto& [k, x] : f) v.emplace_back(k, x);
  return v;
}

const std::string kBatch = "0123456789abcdef0123";

std::string reason(const FieldViews& f) {
  auto u = decode_unit(f);
  REQUIRE_FALSE(u);
  return u.error().message;
}

// A unit's fields with `meta` in place of the encoded one.
Fields with_meta(Fields f, const nlohmann::json& meta) {
  for (auto& [k, v] : f)
    if (k == "meta") v = meta.dump();
  return f;
}

// One job's well-formed unit, as a producer sends it: its fields and meta.
struct GoodUnit {
  Files files;
  Fields fields;
  nlohmann::json meta;
  GoodUnit() {
    Job a;
    a.id = "j1";
    a.script = files.write("s.py", "pass\n");
    auto f = encode_unit(kBatch, "u0", false, {&a});
    REQUIRE(f);
    fields = *f;
    meta = nlohmann::json::parse(fields[1].second);
  }
};

}  // namespace

TEST_SUITE("judge/farm/farm_message") {
  TEST_CASE("a unit travels whole: jobs, limits, stdin and files, each file once") {
    Files files;
    Job a;
    a.id = "sub.01";
    a.script = files.write("s.py", "print(input())\n");
    a.stdin_file = files.write("01.in", std::string("\0\xff binary", 9));
    a.limits.wall_limit_s = 3.5;
    a.limits.memory_bytes = 128LL << 20;
    Job b = a;
    b.id = "sub.02";
    b.stdin_file = files.write("02.in", "2\n");
    b.files = {{"expected", files.write("02.ans", "2\n")}};
    auto fields = encode_unit(kBatch, "u7", true, {&a, &b});
    REQUIRE(fields);
    CHECK(fields->size() == 2 + 4);  // v, meta; script once, two inputs, one answer
    auto unit = decode_unit(views(*fields));
    REQUIRE(unit);
    CHECK(unit->batch == kBatch);
    CHECK(unit->unit == "u7");
    CHECK(unit->shared);
    REQUIRE(unit->jobs.size() == 2);
    CHECK(unit->jobs[0].id == "sub.01");
    CHECK(unit->jobs[0].script == unit->jobs[1].script);
    CHECK(unit->blobs[unit->jobs[0].script] == "print(input())\n");
    REQUIRE(unit->jobs[0].stdin_blob);
    CHECK(unit->blobs[*unit->jobs[0].stdin_blob] == std::string("\0\xff binary", 9));
    CHECK(unit->jobs[0].limits.wall_limit_s == doctest::Approx(3.5));
    CHECK(unit->jobs[0].limits.memory_bytes == (128LL << 20));
    REQUIRE(unit->jobs[1].files.size() == 1);
    CHECK(unit->jobs[1].files[0].first == "expected");
    CHECK(unit->blobs[unit->jobs[1].files[0].second] == "2\n");
  }

  TEST_CASE("a producer refuses what the wire format cannot carry") {
    Files files;
    Job a;
    a.id = "j";
    a.script = files.write("s.py", "pass\n");
    a.limits.runtime = "runsc";
    auto f = encode_unit(kBatch, "u0", false, {&a});
    REQUIRE_FALSE(f);
    CHECK(f.error().message.find("runtime") != std::string::npos);
    a.limits.runtime.clear();
    a.stdin_file = files.dir / "missing.in";
    f = encode_unit(kBatch, "u0", false, {&a});
    REQUIRE_FALSE(f);
    CHECK(f.error().message.find("missing.in") != std::string::npos);
  }

  TEST_CASE("a worker rejects malformed messages with the reason") {
    const GoodUnit u;

    CHECK(reason({}).find("no version") != std::string::npos);
    CHECK(reason({{"v", "2"}, {"meta", "{}"}}).find("version") != std::string::npos);
    CHECK(reason({{"v", "1"}, {"meta", "not json"}}).find("not a JSON object") != std::string::npos);
    CHECK(reason({{"v", "1"}}).find("no meta") != std::string::npos);

    Fields f = u.fields;
    f.emplace_back("extra", "x");
    CHECK(reason(views(f)).find("unknown or repeated field") != std::string::npos);
    f = u.fields;
    f.emplace_back("b5", "x");
    CHECK(reason(views(f)).find("missing") != std::string::npos);
    f = u.fields;
    f.emplace_back("b0", "again");
    CHECK(reason(views(f)).find("repeated") != std::string::npos);

    auto m = u.meta;
    m["batch"] = "../etc";
    CHECK(reason(views(with_meta(u.fields, m))).find("batch") != std::string::npos);
    m = u.meta;
    m["unit"] = "a b";
    CHECK(reason(views(with_meta(u.fields, m))).find("unit") != std::string::npos);
    m = u.meta;
    m["jobs"] = nlohmann::json::array();
    CHECK(reason(views(with_meta(u.fields, m))).find("no jobs") != std::string::npos);
    m = u.meta;
    m["jobs"][0]["id"] = "../x";
    CHECK(reason(views(with_meta(u.fields, m))).find("valid id") != std::string::npos);
    m = u.meta;
    m["jobs"][0]["id"] = std::string(129, 'a');
    CHECK(reason(views(with_meta(u.fields, m))).find("valid id") != std::string::npos);
    m = u.meta;
    m["jobs"][0]["script"] = 9;
    CHECK(reason(views(with_meta(u.fields, m))).find("names no blob") != std::string::npos);
    m = u.meta;
    m["jobs"][0]["limits"]["memory"] = 1e300;
    CHECK(reason(views(with_meta(u.fields, m))).find("not an integer") != std::string::npos);
    m = u.meta;
    m["jobs"][0]["limits"]["memory"] = 1;
    CHECK(reason(views(with_meta(u.fields, m))).find("memory") != std::string::npos);
    m = u.meta;
    m["jobs"][0]["limits"]["runtime"] = "runc";
    CHECK(reason(views(with_meta(u.fields, m))).find("runtime") != std::string::npos);
    m = u.meta;
    m["jobs"][0]["files"] = nlohmann::json::array({nlohmann::json::array({"../etc/passwd", 0})});
    CHECK(reason(views(with_meta(u.fields, m))).find("file name") != std::string::npos);
    m = u.meta;
    m["jobs"].push_back(m["jobs"][0]);
    CHECK(reason(views(with_meta(u.fields, m))).find("repeated") != std::string::npos);
    m = u.meta;
    m["jobs"][0]["shell"] = "rm -rf /";
    CHECK(reason(views(with_meta(u.fields, m))).find("unknown key") != std::string::npos);
  }

  TEST_CASE("size limits: a file, a script, the meta") {
    const std::string big(static_cast<std::size_t>(kMaxFarmFileBytes) + 1, 'x');
    CHECK(reason({{"v", "1"}, {"meta", "{}"}, {"b0", big}}).find("larger than the farm's 64m") != std::string::npos);
    const std::string script(static_cast<std::size_t>(kMaxScriptBytes) + 1, '#');
    const nlohmann::json meta = {
        {"batch", kBatch}, {"unit", "u0"}, {"shared", false}, {"jobs", {{{"id", "j"}, {"script", 0}}}}};
    CHECK(reason({{"v", "1"}, {"meta", meta.dump()}, {"b0", script}}).find("larger than 16m") != std::string::npos);
    const std::string huge_meta(kMaxFarmMetaBytes + 1, ' ');
    CHECK(reason({{"v", "1"}, {"meta", huge_meta}}).find("larger than 4m") != std::string::npos);
  }

  TEST_CASE("a rejected unit is identified when its meta allows, so its producer hears of it") {
    const nlohmann::json meta = {{"batch", kBatch}, {"unit", "u3"}, {"jobs", {{{"id", "a"}}, {{"id", "../b"}}, 7}}};
    auto who = identify_unit({{"meta", meta.dump()}});
    REQUIRE(who);
    CHECK(who->batch == kBatch);
    CHECK(who->unit == "u3");
    CHECK(who->job_ids == std::vector<std::string>{"a"});
    CHECK_FALSE(identify_unit({{"meta", "nope"}}));
    CHECK_FALSE(identify_unit({{"meta", R"({"batch":"x","unit":"u0"})"}}));
  }

  TEST_CASE("a result travels whole, with the worker's name, and outputs within the job's caps") {
    JobResult r;
    r.id = "j1";
    r.verdict = Verdict::RE;
    r.exit_code = 1;
    r.worker = "box:42";
    r.limits.stdout_limit_bytes = 4;
    r.started_at = r.finished_at = "2026-11-23T00:00:00.000Z";
    const Fields f = encode_result("u0", r, "out", "err");
    auto back = decode_result(views(f));
    REQUIRE(back);
    CHECK(back->unit == "u0");
    CHECK(back->result.id == "j1");
    CHECK(back->result.verdict == Verdict::RE);
    CHECK(back->result.worker == "box:42");
    CHECK(back->out == "out");
    CHECK(back->err == "err");
    const Fields big = encode_result("u0", r, "12345", "");
    auto refused = decode_result(views(big));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("output limits") != std::string::npos);
  }

  TEST_CASE("names on the wire: long check ids and a validator's helper modules pass") {
    CHECK(is_valid_farm_job_id(std::string(32, 's') + "-2.secret.group1.03.check"));
    CHECK(is_valid_farm_job_id(std::string(128, 'a')));
    CHECK_FALSE(is_valid_farm_job_id(std::string(129, 'a')));
    CHECK_FALSE(is_valid_farm_job_id(".hidden"));
    CHECK_FALSE(is_valid_farm_job_id("a/b"));
    CHECK(is_valid_farm_file_name("_util.py"));
    CHECK(is_valid_farm_file_name("__init__.py"));
    CHECK_FALSE(is_valid_farm_file_name(".env"));
    CHECK_FALSE(is_valid_farm_file_name("../x"));
    CHECK_FALSE(is_valid_farm_file_name(""));
  }

  TEST_CASE("batch ids") {
    CHECK(is_valid_batch_id(kBatch));
    CHECK_FALSE(is_valid_batch_id("0123"));
    CHECK_FALSE(is_valid_batch_id("0123456789ABCDEF0123"));
    CHECK_FALSE(is_valid_batch_id("0123456789abcdef012/"));
  }

  TEST_CASE("a worker holds every limit to its own ceilings, whatever the producer checked") {
    const GoodUnit u;
    auto m = u.meta;
    m["jobs"][0]["limits"]["output_limit"] = kMaxFarmOutputBytes + 1;
    CHECK(reason(views(with_meta(u.fields, m))).find("above the farm's 256m") != std::string::npos);
    m = u.meta;
    m["jobs"][0]["limits"]["stderr_limit"] = 1LL << 40;
    CHECK(reason(views(with_meta(u.fields, m))).find("stderr limit 1024g") != std::string::npos);
    m = u.meta;
    m["jobs"][0]["limits"]["tmp_size"] = 1LL << 40;
    CHECK(reason(views(with_meta(u.fields, m))).find("tmp size 1024g is above the farm's 1g") != std::string::npos);
    m = u.meta;
    m["jobs"][0]["limits"]["output_limit"] = kMaxFarmOutputBytes;
    m["jobs"][0]["limits"]["tmp_size"] = kMaxFarmTmpBytes;
    CHECK(decode_unit(views(with_meta(u.fields, m))));
    // The producer says so before anything is sent.
    Job a;
    a.id = "j1";
    a.script = u.files.dir / "s.py";
    a.limits.tmp_bytes = kMaxFarmTmpBytes + (1 << 20);
    const auto refused = farm_accepts(a);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("tmp size is at most 1g") != std::string::npos);
    // A job in an image of its own (a compiled validator's): the workers choose the image.
    a.limits = Limits{};
    a.image = "pyjudge-gcc";
    const auto compiled = farm_accepts(a);
    REQUIRE_FALSE(compiled);
    CHECK(compiled.error().message.find("grade without --queue") != std::string::npos);
  }

  TEST_CASE("one blob under many names counts once per name") {
    const std::string blob(1 << 20, 'x');  // 1 MiB, sent once
    nlohmann::json names = nlohmann::json::array();
    for (int i = 0; i < 300; ++i) names.push_back({"f" + std::to_string(i), 1});
    nlohmann::json limits = to_json(Limits{});
    const nlohmann::json meta = {{"batch", kBatch},
                                 {"unit", "u0"},
                                 {"shared", false},
                                 {"jobs", {{{"id", "j"}, {"script", 0}, {"files", names}, {"limits", limits}}}}};
    const Fields f = {{"v", "1"}, {"meta", meta.dump()}, {"b0", "pass\n"}, {"b1", blob}};
    const auto why = reason(views(f));
    CHECK(why.find("each file counted under every name it has") != std::string::npos);
    CHECK(why.find("256m per job") != std::string::npos);
    // As many names as a tmpfs has inodes for, and no more.
    nlohmann::json many = nlohmann::json::array();
    for (std::size_t i = 0; i <= kMaxFarmJobFiles; ++i) many.push_back({"f" + std::to_string(i), 0});
    auto m2 = meta;
    m2["jobs"][0]["files"] = many;
    CHECK(reason(views({{"v", "1"}, {"meta", m2.dump()}, {"b0", "pass\n"}})).find("4096 files") != std::string::npos);
  }

  TEST_CASE("a file may not take the script's name, main.py, as docs/farm.md says") {
    Files files;
    Job a;
    a.id = "j1";
    a.script = files.write("s.py", "pass\n");
    a.files = {{"main.py", files.write("data", "1\n")}};
    const auto f = encode_unit(kBatch, "u0", false, {&a});
    REQUIRE_FALSE(f);  // the producer refuses what a worker would
    CHECK(f.error().message.find("file name 'main.py' is the script's own name in /tmp (reserved)") !=
          std::string::npos);
    a.files = {{"script.py", files.write("data", "1\n")}};  // the old, undocumented reservation
    CHECK(encode_unit(kBatch, "u0", false, {&a}));
  }

  TEST_CASE("rejections quote at most ~200 bytes of an attacker's name") {
    const GoodUnit u;
    const std::string huge(1 << 20, 'k');
    auto m = u.meta;
    m["jobs"][0][huge] = 1;
    auto why = reason(views(with_meta(u.fields, m)));
    CHECK(why.find("unknown key") != std::string::npos);
    CHECK(why.size() < 300);
    m = u.meta;
    m[huge] = 1;
    why = reason(views(with_meta(u.fields, m)));
    CHECK(why.find("unknown meta key") != std::string::npos);
    CHECK(why.size() < 300);
    m = u.meta;
    m["jobs"][0]["files"] = nlohmann::json::array({nlohmann::json::array({"../" + huge, 0})});
    why = reason(views(with_meta(u.fields, m)));
    CHECK(why.find("bad or repeated file name '../kkk") != std::string::npos);
    CHECK(why.size() < 300);
    Fields f = u.fields;
    f.emplace_back(huge, "x");
    CHECK(reason(views(f)).size() < 100);

    CHECK(farm_excerpt("short") == "short");
    CHECK(farm_excerpt(std::string(300, 'a')) == std::string(200, 'a') + "\u2026");
    CHECK(farm_excerpt("a\nb\x1b[2J") == "a?b?[2J");  // no forged log lines
    // Cut before a character, never inside one: "é" is two bytes.
    const std::string accents = std::string(199, 'a') + "\xc3\xa9" + "tail";
    CHECK(farm_excerpt(accents) == std::string(199, 'a') + "\u2026");
  }

  TEST_CASE("stream entry ids: Redis's own form only") {
    CHECK(is_valid_stream_id("1700000000000-0"));
    CHECK(is_valid_stream_id("0-1"));
    CHECK(is_valid_stream_id("18446744073709551615-18446744073709551615"));
    CHECK_FALSE(is_valid_stream_id("../x"));
    CHECK_FALSE(is_valid_stream_id("1-1/../../x"));
    CHECK_FALSE(is_valid_stream_id("1-"));
    CHECK_FALSE(is_valid_stream_id("-1"));
    CHECK_FALSE(is_valid_stream_id("1"));
    CHECK_FALSE(is_valid_stream_id("1-1-1"));
    CHECK_FALSE(is_valid_stream_id(""));
    CHECK_FALSE(is_valid_stream_id("/tmp/x"));
    CHECK_FALSE(is_valid_stream_id("123456789012345678901-0"));
    CHECK_FALSE(is_valid_stream_id(std::string_view("1-0\0/x", 6)));
  }
}
