//! A harness for the tests that need a tool from outside Rust (Chromium, chromedriver, axe-core,
//! tmux). The test runner's own `#[test]` can only pass or fail, so a test that returned early
//! because its tool was missing used to show as passed. These suites run under libtest-mimic
//! instead (`harness = false` in Cargo.toml), which decides at run time:
//!
//! - every tool there: the tests run as usual;
//! - a tool missing, `CI` not set: every test is reported as **ignored** (with a note on stderr
//!   saying what to install), never as passed; `-- --include-ignored` runs them anyway, and each
//!   then fails saying what is missing;
//! - a tool missing, `CI` set: every test **fails**, saying what is missing.
//!
//! Each test is a plain `fn()` that panics on failure, as under `#[test]`.

use std::process::ExitCode;

use libtest_mimic::{Arguments, Failed, Trial};

/// Whether the tools are missing here, and what to do with the suite's tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Every tool is there.
    Run,
    /// A tool is missing outside CI: report the tests as ignored.
    Ignore,
    /// A tool is missing in CI: fail every test.
    Fail,
}

/// What to do given the missing tools and whether `CI` is set.
pub fn plan(missing: &[String], ci: bool) -> Plan {
    match (missing.is_empty(), ci) {
        (true, _) => Plan::Run,
        (false, false) => Plan::Ignore,
        (false, true) => Plan::Fail,
    }
}

/// A test: its name and the function that runs it (and panics on failure).
pub type Test = (&'static str, fn());

/// Runs `tests` as the suite `suite`, which needs the tools listed as `missing` (empty when all
/// are there), each entry saying what is missing and how to install it.
#[allow(dead_code)] // each suite uses one of `run` and `run_with`
pub fn run(suite: &str, missing: Vec<String>, tests: Vec<Test>) -> ExitCode {
    run_with(suite, missing, tests, Vec::new())
}

/// As `run`, with `always`: tests of the suite that need none of the tools, run in any case.
pub fn run_with(
    suite: &str,
    missing: Vec<String>,
    tests: Vec<Test>,
    always: Vec<Test>,
) -> ExitCode {
    let args = Arguments::from_args();
    let ci = std::env::var_os("CI").is_some();
    let plan = plan(&missing, ci);
    let need = missing.join(", ");
    match plan {
        Plan::Run => {}
        Plan::Ignore => eprintln!(
            "NOT RUN: the {suite} tests need {need}; they are reported as ignored. \
             .ci/run installs what they need; in CI they fail instead."
        ),
        Plan::Fail => {
            eprintln!("FAILING: CI is set, so the {suite} tests must run, but they need {need}.")
        }
    }
    let needing = tests.into_iter().map(|(name, test)| {
        let message = format!("CI is set, so this test must run, but it needs {need}");
        Trial::test(name, move || match plan {
            Plan::Fail => Err(Failed::from(message)),
            Plan::Run | Plan::Ignore => {
                test();
                Ok(())
            }
        })
        .with_ignored_flag(plan == Plan::Ignore)
    });
    let free = always.into_iter().map(|(name, test)| {
        Trial::test(name, move || {
            test();
            Ok(())
        })
    });
    libtest_mimic::run(&args, needing.chain(free).collect()).exit_code()
}
