//! scour's task runner: `cargo xtask test` runs every check the project has, `cargo xtask
//! demo` builds and serves the demo site, `cargo xtask fuzz` runs the fuzz targets.
//!
//! The xtask pattern (<https://github.com/matklad/cargo-xtask>): project automation is a
//! plain Rust binary in the workspace, so it runs wherever `cargo` runs, with no `make`,
//! no shell scripts to keep portable, and no dependencies (std only, so it builds in
//! seconds on a fresh checkout). Each task installs the tools it needs when they are
//! missing, checks before installing so a second run is quick, prints one `==> ` line per
//! step, and stops at the first failure with a message saying what failed and how to fix
//! it.

#![forbid(unsafe_code)]

mod ci;
mod demo;
mod fuzz;
mod install;
// the build script's comment stripper, so the widget budget measures what ships
mod integrations;
#[path = "../../cli/src/js_comments.rs"]
mod js_comments;
mod package;
mod size;
mod util;

use std::path::PathBuf;
use std::process::ExitCode;

use util::Failure;

/// Printed for `cargo xtask`, `cargo xtask help` and on a usage error.
const USAGE: &str = "\
usage: cargo xtask <task> [options]

tasks:
  test               install what is missing, then run every check in order and stop at
                     the first failure: cargo fmt, clippy, tests, docs, wasm tests in
                     headless Chromium, engine and widget size budgets, JS unit tests,
                     browser end-to-end tests, the npm package and its Docusaurus,
                     VitePress and Starlight integrations on real sites, and an install
                     from the packaged crate
  demo [options]     build the `scour` CLI, index the seeds and serve the demo site
      --port N       first port to try on 127.0.0.1 (default 8000; the next ones are tried
                     when it is taken)
      --no-serve     build target/demo only, do not serve it
      --source PATH  index the articles in PATH instead of seeds/
  fuzz [target] [--seconds N]
                     run the fuzz targets (index, chunk, query, ingest; all in turn when
                     none is named) under libFuzzer for N seconds each (default 60);
                     installs the nightly toolchain and cargo-fuzz when missing
  integrations       build Docusaurus, VitePress and Starlight sites with the npm
                     package's integrations and check them in headless Chromium (one
                     step of `test`; needs `cargo build --release -p scour-cli` first)
  package            put the engine prebuilt in crates/cli/prebuilt, `cargo package` the
                     CLI with its crates, install it from the .crate and check it builds
                     the seeds as the workspace CLI does (one step of `test`; needs
                     `cargo build --release -p scour-cli` first)
  help               print this message
";

/// What the command line asked for.
#[derive(Debug, PartialEq, Eq)]
enum Task {
    Help,
    Test,
    Demo(demo::Options),
    Fuzz(fuzz::Options),
    Integrations,
    Package,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = match parse_args(&args) {
        Ok(task) => task,
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    // Tools installed by `cargo install` land in ~/.cargo/bin, which a fresh shell may not
    // have on PATH yet; every child process (wasm-pack looks up wasm-bindgen there) must
    // see it. Set once, before any thread or child exists.
    util::ensure_cargo_bin_on_path();
    let result = match task {
        Task::Help => {
            print!("{USAGE}");
            Ok(())
        }
        Task::Test => ci::run(),
        Task::Demo(options) => demo::run(&options),
        Task::Fuzz(options) => fuzz::run(&options),
        Task::Integrations => integrations::run().map(drop),
        Task::Package => package::run().map(drop),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            report(&failure);
            ExitCode::FAILURE
        }
    }
}

/// Prints a failure as `error: …` followed by the fix, if one is known.
fn report(failure: &Failure) {
    eprintln!("\nerror: {}", failure.what);
    if let Some(fix) = &failure.fix {
        eprintln!("  fix: {fix}");
    }
}

/// Parses the arguments after `cargo xtask`; the error is a message for the user.
fn parse_args(args: &[String]) -> Result<Task, String> {
    let Some((task, rest)) = args.split_first() else {
        return Ok(Task::Help);
    };
    match task.as_str() {
        "help" | "-h" | "--help" => Ok(Task::Help),
        "test" => match rest.first() {
            None => Ok(Task::Test),
            Some(arg) => Err(format!(
                "`cargo xtask test` takes no arguments, got `{arg}`"
            )),
        },
        "demo" => parse_demo_args(rest).map(Task::Demo),
        "fuzz" => fuzz::parse_args(rest).map(Task::Fuzz),
        "integrations" => match rest.first() {
            None => Ok(Task::Integrations),
            Some(arg) => Err(format!(
                "`cargo xtask integrations` takes no arguments, got `{arg}`"
            )),
        },
        "package" => match rest.first() {
            None => Ok(Task::Package),
            Some(arg) => Err(format!(
                "`cargo xtask package` takes no arguments, got `{arg}`"
            )),
        },
        other => Err(format!("unknown task `{other}`")),
    }
}

/// Parses `demo`'s options; both `--port N` and `--port=N` are accepted.
fn parse_demo_args(args: &[String]) -> Result<demo::Options, String> {
    let mut options = demo::Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next().cloned())
                .ok_or_else(|| format!("`{name}` needs a value"))
        };
        match flag {
            "--port" => {
                let port = value("--port")?;
                options.port = port
                    .parse()
                    .map_err(|_| format!("`--port` takes a port number, got `{port}`"))?;
            }
            "--no-serve" if inline.is_none() => options.serve = false,
            "--source" => options.source = Some(PathBuf::from(value("--source")?)),
            _ => return Err(format!("unknown option for `demo`: `{arg}`")),
        }
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Task, String> {
        let args: Vec<String> = args.iter().map(|arg| arg.to_string()).collect();
        parse_args(&args)
    }

    #[test]
    fn no_arguments_and_help_print_usage() {
        assert_eq!(parse(&[]), Ok(Task::Help));
        assert_eq!(parse(&["help"]), Ok(Task::Help));
        assert_eq!(parse(&["--help"]), Ok(Task::Help));
    }

    #[test]
    fn test_takes_no_arguments() {
        assert_eq!(parse(&["test"]), Ok(Task::Test));
        assert!(parse(&["test", "--fast"]).is_err());
    }

    #[test]
    fn demo_defaults_to_port_8000_serving_the_seeds() {
        let Ok(Task::Demo(options)) = parse(&["demo"]) else {
            panic!("`demo` did not parse");
        };
        assert_eq!(options.port, 8000);
        assert!(options.serve);
        assert_eq!(options.source, None);
    }

    #[test]
    fn demo_options_in_both_spellings() {
        let expected = demo::Options {
            port: 9000,
            serve: false,
            source: Some(PathBuf::from("site")),
        };
        let spaced = parse(&["demo", "--port", "9000", "--no-serve", "--source", "site"]);
        assert_eq!(spaced, Ok(Task::Demo(expected.clone())));
        let inline = parse(&["demo", "--port=9000", "--source=site", "--no-serve"]);
        assert_eq!(inline, Ok(Task::Demo(expected)));
    }

    #[test]
    fn bad_demo_options_are_usage_errors() {
        assert!(parse(&["demo", "--port"]).is_err());
        assert!(parse(&["demo", "--port", "eighty"]).is_err());
        assert!(parse(&["demo", "--port", "70000"]).is_err());
        assert!(parse(&["demo", "--no-serve=yes"]).is_err());
        assert!(parse(&["demo", "--verbose"]).is_err());
        assert!(parse(&["bench"]).is_err());
    }
}
