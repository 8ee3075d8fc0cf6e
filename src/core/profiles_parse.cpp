// parse_profiles: reads the literal structure of profiles.nix without evaluating it.
#include <algorithm>
#include <array>
#include <charconv>
#include <map>

#include "core/printable.hpp"
#include "core/profiles_parser.hpp"

namespace mvh {

namespace {

bool is_field(std::string_view f)
{
  static constexpr std::array<std::string_view, 4> fields = {"ipAddress", "tapId", "mac",
                                                             "vsockCid"};
  return std::find(fields.begin(), fields.end(), f) != fields.end();
}

std::string join(const std::vector<AttrKey>& keys)
{
  std::string s;
  for (const AttrKey& k : keys) s += (s.empty() ? "" : ".") + k.name.value_or("${...}");
  return s;
}

}  // namespace

void ProfilesParser::need_eval(std::size_t off, const std::string& what)
{
  if (!out_.needs_eval) out_.needs_eval = toks_.src().loc_str(off) + ": " + printable(what);
}

ProfilesParser::EntryState& ProfilesParser::entry(const std::string& name, std::size_t key_off)
{
  auto it = entries_.find(name);
  if (it != entries_.end()) return it->second;
  ProfileEntry pe;
  pe.name = name;
  pe.loc = toks_.src().loc(key_off);
  out_.entries.push_back(pe);
  EntryState& e = entries_[name];
  e.index = out_.entries.size() - 1;
  e.first_key = key_off;
  return e;
}

bool ProfilesParser::skip_header()
{
  Token t = toks_.peek();
  std::optional<std::size_t> close;
  if (t.punct("{")) {
    close = toks_.matching_close(0);
  } else if (t.kind == TokKind::id) {
    if (toks_.peek(1).punct(":")) {
      toks_.advance(2);
      return true;
    }
    if (toks_.peek(1).punct("@") && toks_.peek(2).punct("{")) close = toks_.matching_close(2);
  }
  if (!close) return false;
  std::size_t k = *close + 1;
  if (t.punct("{") && toks_.peek(k).punct("@") && toks_.peek(k + 1).kind == TokKind::id) k += 2;
  if (!toks_.peek(k).punct(":")) return false;
  toks_.advance(k + 1);
  return true;
}

void ProfilesParser::skip_binding_value()
{
  toks_.skip_expr();
  toks_.expect(";", "after attribute value");
}

void ProfilesParser::skip_let_bindings(const Token& let)
{
  for (;;) {
    Token t = toks_.peek();
    if (t.is(TokKind::keyword, "in")) {
      toks_.take();
      return;
    }
    if (t.kind == TokKind::eof)
      toks_.fail(t.begin, "unexpected end of file: missing 'in' for the 'let' at " +
                              toks_.src().loc_str(let.begin));
    if (t.is(TokKind::keyword, "inherit")) {
      toks_.take();
      toks_.skip_expr();
      toks_.expect(";", "after 'inherit'");
      continue;
    }
    std::vector<AttrKey> keys = toks_.attr_path();
    toks_.expect("=", "after '" + join(keys) + "'");
    skip_binding_value();
  }
}

ProfilesFile ProfilesParser::parse()
{
  std::size_t nl = text_.find('\n');
  if (nl != std::string_view::npos && nl > 0 && text_[nl - 1] == '\r') out_.newline = "\r\n";
  while (skip_header()) {
  }
  for (;;) {
    Token t = toks_.peek();
    if (t.is(TokKind::keyword, "let") && !toks_.peek(1).punct("{")) {
      toks_.take();
      skip_let_bindings(t);
    } else if (t.is(TokKind::keyword, "with") || t.is(TokKind::keyword, "assert")) {
      toks_.take();
      toks_.skip_expr();
      toks_.expect(";", "after the '" + t.text + "' expression");
    } else {
      break;
    }
  }
  Token t = toks_.peek();
  bool set = t.punct("{") || (t.is(TokKind::keyword, "rec") && toks_.peek(1).punct("{"));
  if (set) {
    parse_top_set();
    t = toks_.peek();
    if (t.kind != TokKind::eof) {
      need_eval(t.begin, "expression after the top-level attribute set");
      out_.editable = false;
    }
  } else {
    if (t.kind == TokKind::eof)
      toks_.fail(t.begin, "unexpected end of file: expected an attribute set");
    need_eval(t.begin, "top level is not an attribute set literal");
  }
  toks_.skip_expr(false);
  t = toks_.peek();
  if (t.kind != TokKind::eof) toks_.fail(t.begin, "unexpected " + NixTokens::describe(t));
  return out_;
}

void ProfilesParser::parse_top_set()
{
  if (toks_.peek().is(TokKind::keyword, "rec")) toks_.take();
  Token open = toks_.take();
  for (;;) {
    Token t = toks_.peek();
    if (t.punct("}")) break;
    if (t.kind == TokKind::eof)
      toks_.fail(t.begin, "unexpected end of file: missing '}' for the '{' at " +
                              toks_.src().loc_str(open.begin));
    std::string group = parse_top_binding();
    if (!entry_indent_) entry_indent_ = indent_before(t.begin);
    bindings_.push_back({t.begin, toks_.prev_end(), group});
    if (auto it = entries_.find(group); !group.empty() && it != entries_.end())
      out_.entries[it->second.index].spans.emplace_back(t.begin, toks_.prev_end());
  }
  Token close = toks_.take();
  detect_layout(open.begin, close.begin);
}

std::string ProfilesParser::parse_top_binding()
{
  Token t = toks_.peek();
  if (t.is(TokKind::keyword, "inherit")) {
    need_eval(t.begin, "'inherit' at top level");
    toks_.take();
    toks_.skip_expr();
    toks_.expect(";", "after 'inherit'");
    return "";
  }
  std::vector<AttrKey> keys = toks_.attr_path();
  // Messages are built only on failure: this runs for every binding on every `cd` (hook-env).
  if (!toks_.accept("=")) toks_.expect("=", "after '" + join(keys) + "'");
  if (!keys[0].name) {
    need_eval(keys[0].begin, "dynamic attribute name");
    skip_binding_value();
    return "";
  }
  std::string name = *keys[0].name;
  bool existed = entries_.count(name) > 0;
  EntryState& e = entry(name, keys[0].begin);
  auto defined_at = [&] { return " already defined at " + toks_.src().loc_str(e.first_key); };
  if (e.non_literal) toks_.fail(keys[0].begin, "attribute '" + join(keys) + "'" + defined_at());
  if (keys.size() == 1) {
    Token v = toks_.peek();
    if (v.punct("{") || (v.is(TokKind::keyword, "rec") && toks_.peek(1).punct("{"))) {
      parse_entry_body(e);
      if (toks_.peek().punct(";")) {
        toks_.take();
        return name;
      }
    } else if (existed) {
      toks_.fail(keys[0].begin, "attribute '" + name + "'" + defined_at());
    } else {
      e.non_literal = true;
    }
    need_eval(v.begin, "'" + name + "' is not an attribute set literal");
  } else if (!keys[1].name) {
    need_eval(keys[1].begin, "dynamic attribute name");
  } else if (is_field(*keys[1].name)) {
    if (keys.size() == 2) {
      read_field(e, *keys[1].name, keys[0].begin);
      return name;
    }
    need_eval(keys[0].begin, "'" + join(keys) + "' sets part of a profile field");
  }
  skip_binding_value();
  return name;
}

void ProfilesParser::parse_entry_body(EntryState& e)
{
  if (toks_.peek().is(TokKind::keyword, "rec")) toks_.take();
  Token open = toks_.take();
  const std::string& name = out_.entries[e.index].name;
  for (;;) {
    Token t = toks_.peek();
    if (t.punct("}")) break;
    if (t.kind == TokKind::eof)
      toks_.fail(t.begin, "unexpected end of file: missing '}' for the '{' at " +
                              toks_.src().loc_str(open.begin));
    if (!field_indent_) field_indent_ = indent_before(t.begin);
    if (t.is(TokKind::keyword, "inherit")) {
      toks_.take();
      if (toks_.peek().punct("(")) {
        toks_.take();
        toks_.skip_expr();
        toks_.expect(")", "to close 'inherit ('");
      }
      for (Token n = toks_.peek(); n.kind == TokKind::id || n.kind == TokKind::string;
           n = toks_.peek()) {
        if (is_field(n.text)) need_eval(n.begin, "'inherit' of '" + name + "." + n.text + "'");
        toks_.take();
      }
      toks_.expect(";", "after 'inherit'");
      continue;
    }
    std::vector<AttrKey> keys = toks_.attr_path();
    if (!toks_.accept("=")) toks_.expect("=", "after '" + join(keys) + "'");
    if (!keys[0].name) {
      need_eval(keys[0].begin, "dynamic attribute name");
    } else if (is_field(*keys[0].name)) {
      if (keys.size() == 1) {
        read_field(e, *keys[0].name, keys[0].begin);
        continue;
      }
      need_eval(keys[0].begin, "'" + name + "." + join(keys) + "' sets part of a profile field");
    }
    skip_binding_value();
  }
  toks_.take();
}

void ProfilesParser::read_field(EntryState& e, const std::string& field, std::size_t key_off)
{
  ProfileEntry& pe = out_.entries[e.index];
  auto full = [&] { return pe.name + "." + field; };
  auto it = e.fields.find(field);
  if (it != e.fields.end())
    toks_.fail(key_off,
               "attribute '" + full() + "' already defined at " + toks_.src().loc_str(it->second));
  e.fields[field] = key_off;
  const bool alone = toks_.peek(1).punct(";");
  const Token& v = toks_.peek();  // after peek(1): no further read until the last use of v
  if (field == "vsockCid") {
    pe.has_vsock_field = true;
    out_.uses_vsock = true;
    if (alone && v.kind == TokKind::integer) {
      std::int64_t n = 0;
      auto [p, ec] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), n);
      if (ec != std::errc() || p != v.text.data() + v.text.size())
        toks_.fail(v.begin, "invalid integer '" + v.text + "'");
      pe.vsock_cid = n;
    } else if (!(alone && v.is(TokKind::id, "null"))) {
      need_eval(v.begin, "'" + full() + "' is not an integer or null literal");
      skip_binding_value();
      return;
    }
  } else if (alone && v.kind == TokKind::string && !v.interpolated && !v.indented) {
    (field == "ipAddress" ? pe.ip_address : field == "tapId" ? pe.tap_id : pe.mac) = v.text;
  } else {
    need_eval(v.begin, "'" + full() + "' is not a literal string");
    skip_binding_value();
    return;
  }
  toks_.advance(2);
}

ProfilesFile parse_profiles(std::string_view text, std::string_view path)
{
  return ProfilesParser(text, path).parse();
}

}  // namespace mvh
