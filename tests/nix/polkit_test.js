// Runs a polkit rules file the way polkitd does (in a context of its own that has only the
// `polkit` object; the rules are asked in order and the first answer other than NOT_HANDLED wins)
// against the requests systemd makes for org.freedesktop.systemd1.manage-units.
// Usage: node polkit_test.js RULES_FILE GROUP
// Prints one line per case and "N passed, N failed"; exits 1 on any failure.
"use strict";
const fs = require("fs");
const vm = require("vm");

const [rulesFile, group] = process.argv.slice(2);
if (!rulesFile || !group) {
  console.error("usage: node polkit_test.js RULES_FILE GROUP");
  process.exit(2);
}
const source = fs.readFileSync(rulesFile, "utf8");

// polkit's own values (polkitbackendjsauthority init.js); NOT_HANDLED is null.
const Result = {
  NO: "no",
  YES: "yes",
  AUTH_SELF: "auth_self",
  AUTH_SELF_KEEP: "auth_self_keep",
  AUTH_ADMIN: "auth_admin",
  AUTH_ADMIN_KEEP: "auth_admin_keep",
  NOT_HANDLED: null,
};
const rules = [];
const polkit = {
  Result,
  addRule(fn) {
    rules.push(fn);
  },
  addAdminRule() {
    throw new Error("the rule must not change who counts as an administrator");
  },
  spawn() {
    throw new Error("the rule must not run programs");
  },
  log() {},
};

let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) {
    passed += 1;
    console.log(`ok   ${name}`);
  } else {
    failed += 1;
    console.log(`FAIL ${name}${detail ? `\n  ${detail}` : ""}`);
  }
}

// polkit runs mozjs or duktape (ES5 plus little more): keep the rule to ES5.
const es6 = source.match(/=>|`|\b(let|const|class)\s/);
check("the rule is ES5 (no arrow functions, template strings, let, const, class)", !es6,
      es6 && `found ${JSON.stringify(es6[0])}`);

vm.runInNewContext(source, { polkit }, { filename: rulesFile });
check("the file adds exactly one rule", rules.length === 1, `it added ${rules.length}`);

// A later rule, as an administrator's or the distribution's would be: reached only when ours
// answers NOT_HANDLED.
const LATER = "answer-of-a-later-rule";
rules.push(() => LATER);

function ask(actionId, details, groups) {
  const action = {
    id: actionId,
    lookup(key) {
      return Object.prototype.hasOwnProperty.call(details, key) ? details[key] : undefined;
    },
  };
  const subject = {
    user: "someone",
    groups,
    local: true,
    active: true,
    isInGroup(g) {
      return groups.indexOf(g) !== -1;
    },
    isInNetGroup() {
      return false;
    },
  };
  const first = rules[0](action, subject);
  let chain = null;
  for (const rule of rules) {
    const r = rule(action, subject);
    if (r !== null && r !== undefined) {
      chain = r;
      break;
    }
  }
  return { first, chain };
}

const MANAGE = "org.freedesktop.systemd1.manage-units";
const member = [group, "users"];
// Near misses: a longer name with the group as prefix, and the default group when the rule is
// for another one.
const nonMember = ["users", "wheel", `${group}-extra`].concat(group === "microvm-here" ? [] : ["microvm-here"]);

function expectYes(name, actionId, details, groups) {
  const r = ask(actionId, details, groups);
  check(`allowed: ${name}`, r.first === Result.YES, `rule answered ${JSON.stringify(r.first)}`);
}
function expectNotHandled(name, actionId, details, groups) {
  const r = ask(actionId, details, groups);
  check(`left to other rules: ${name}`, r.first === null && r.chain === LATER,
        `rule answered ${JSON.stringify(r.first)}, chain ended with ${JSON.stringify(r.chain)}`);
}

for (const verb of ["start", "stop", "restart"]) {
  expectYes(`member, microvm@foo.service, ${verb}`, MANAGE, { unit: "microvm@foo.service", verb }, member);
}
expectYes("member, microvm@my-project_2.service, start", MANAGE,
          { unit: "microvm@my-project_2.service", verb: "start" }, member);
// The instance must be a valid VM name (src/core/vm_name.cpp): 1 to 63 of [A-Za-z0-9_-],
// starting and ending with a letter or digit. "." and ".." would run
// <state_dir>/./current/bin/microvm-run or the state directory's parent's runner as root.
const name63 = "a".repeat(62) + "Z";
expectYes("member, 63-character instance, start", MANAGE, { unit: `microvm@${name63}.service`, verb: "start" }, member);
for (const name of ["A", "9", "a_b", "A-9"]) {
  expectYes(`member, microvm@${name}.service, start`, MANAGE, { unit: `microvm@${name}.service`, verb: "start" }, member);
}
for (const instance of [".", "..", "...", "", "a".repeat(64), "a\\x2db", "\\x2e\\x2e", "a\nb", "a\n", "\na",
                        "-a", "a-", "_a", "a_", "a.b", "a:b", "a/b", "a b", "a\u00e9", "a\u0000"]) {
  for (const verb of ["start", "stop", "restart"]) {
    expectNotHandled(`member, instance ${JSON.stringify(instance)}, ${verb}`, MANAGE,
                     { unit: `microvm@${instance}.service`, verb }, member);
  }
}

for (const unit of ["sshd.service", "microvm@foo.socket", "xmicrovm@foo.service", "microvm@.service",
                    "microvm@foo.service.d", "MICROVM@foo.service", "microvm-virtiofsd@foo.service",
                    "install-microvm-foo.service", "microvm@foo/../x.service", "microvm@foo.service x"]) {
  expectNotHandled(`member, ${JSON.stringify(unit)}, start`, MANAGE, { unit, verb: "start" }, member);
}
for (const verb of ["enable", "reload", "try-restart", "reload-or-restart", "reload-or-try-restart", "kill",
                    "reset-failed", "set-property", "clean", "freeze", "thaw", "bind-mount", ""]) {
  expectNotHandled(`member, microvm@foo.service, verb ${JSON.stringify(verb)}`, MANAGE,
                   { unit: "microvm@foo.service", verb }, member);
}
expectNotHandled("member, microvm@foo.service, no verb detail", MANAGE, { unit: "microvm@foo.service" }, member);
expectNotHandled("member, manage-units without details (e.g. daemon-wide requests)", MANAGE, {}, member);
expectNotHandled("member, StartTransientUnit microvm@foo.service (verb start, transient message)", MANAGE,
                 { unit: "microvm@foo.service", verb: "start",
                   "polkit.message": "Authentication is required to start transient unit '$(unit)'." },
                 member);
expectNotHandled(`non-member (groups ${nonMember.join(", ")}), microvm@foo.service, start`, MANAGE,
                 { unit: "microvm@foo.service", verb: "start" }, nonMember);
for (const id of ["org.freedesktop.systemd1.manage-unit-files", "org.freedesktop.systemd1.reload-daemon",
                  "org.freedesktop.login1.reboot", "org.freedesktop.machine1.shell"]) {
  expectNotHandled(`member, action ${id}`, id, { unit: "microvm@foo.service", verb: "enable" }, member);
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
